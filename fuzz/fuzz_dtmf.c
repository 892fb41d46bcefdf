/* libFuzzer target for DTMF (src/dtmf.c): the RFC 4733 telephone-event
 * decoder through the per-call store, and the SIP INFO body parser.
 *
 * Input: byte 0 picks the mode.
 *   even: telephone-events. Bytes 1-2 are the clock rate (big-endian, 0
 *         allowed); then records of [flags][ts 4][n][n payload bytes]:
 *         flags bit 0 picks the call ("a"/"b"), bits 1-2 the stream,
 *         bits 3-7 the capture-time step in ms. Every few records a call
 *         may be closed (bit pattern), as the pipeline does when it ends.
 *   odd:  an INFO body. Byte 1 picks the Content-Type, the rest is the
 *         body; it also goes through the store twice (a proxy's hop).
 *
 * Invariants checked (abort() on violation): only the documented return
 * codes; at most two events from one packet; every event's digit is
 * "0"-"9", "*", "#", "A"-"D" or "E<n>" and NUL-terminated; durations from
 * 0 to SIFT_DTMF_MAX_MS (-1 only for an INFO without Duration); a call's
 * events are in time order and at most SIFT_DTMF_MAX_PER_CALL; the total
 * counts what was kept. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "media/rtp.h"
#include "sipsift/dtmf.h"

#include "fuzz_check.h"

static void check_digit(const char *d)
{
	size_t n;

	check(memchr(d, '\0', SIFT_DTMF_DIGIT_LEN) != NULL);
	n = strlen(d);
	check(n >= 1);
	if (n == 1) {
		check(strchr("0123456789*#ABCD", d[0]) != NULL);
		return;
	}
	check(d[0] == 'E' && n <= 4);
	for (size_t i = 1; i < n; i++)
		check(d[i] >= '0' && d[i] <= '9');
}

static void check_event(const struct sift_dtmf_event *e)
{
	check_digit(e->digit);
	check(e->duration_ms <= SIFT_DTMF_MAX_MS);
	if (e->source == SIFT_DTMF_RFC4733) {
		check(e->duration_ms >= 0);
		check(e->volume >= 0 && e->volume <= 63);
		check(e->stream != 0);
	} else {
		check(e->source == SIFT_DTMF_SIP_INFO);
		check(e->duration_ms >= -1);
		check(e->stream == 0);
		check(e->ended);
	}
}

static uint64_t check_call(const struct sift_dtmf *d, const struct sift_call *cid)
{
	const struct sift_dtmf_event *ev;
	size_t n;

	ev = sift_dtmf_events(d, cid, &n);
	check(n <= SIFT_DTMF_MAX_PER_CALL);
	check((ev == NULL) == (n == 0));
	for (size_t i = 0; i < n; i++) {
		check_event(&ev[i]);
		if (i)
			check(ev[i - 1].where.ts <= ev[i].where.ts);
	}
	return n;
}

static void events(const uint8_t *data, size_t size)
{
	struct sift_call calls[2] = { { 0 }, { 0 } };
	struct sift_dtmf *d = sift_dtmf_new();
	struct sift_addr src = { 4, { 127, 0, 0, 1 }, 4000 };
	struct sift_addr dst = { 4, { 127, 0, 0, 2 }, 6000 };
	struct sift_te_decoder dec;
	struct sift_dtmf_stats st;
	struct sift_where w = { 0, 0, 1000000 };
	uint32_t clock;
	size_t off = 3;
	uint64_t released = 0;

	if (!d || size < 3) {
		sift_dtmf_free(d);
		return;
	}
	clock = sift_be16(data + 1);
	sift_te_init(&dec, clock);
	memset(&st, 0, sizeof(st));
	while (size - off >= 6) {
		uint8_t flags = data[off];
		struct sift_rtp_hdr h;
		struct sift_dtmf_event out[2];
		unsigned nout = 99;
		size_t n = data[off + 5];

		memset(&h, 0, sizeof(h));
		h.pt = 101;
		h.ts = sift_be32(data + off + 1);
		off += 6;
		if (n > size - off)
			n = size - off;
		w.frame++;
		w.ts += (sift_time)(flags >> 3) * 1000;
		sift_dtmf_rtp(d, &calls[flags & 1], 1u + ((flags >> 1) & 3u), &src,
			      &dst, clock, &h, data + off, n, &w);
		sift_te_feed(&dec, &h, data + off, n, &w, out, &nout, &st);
		check(nout <= 2);
		for (unsigned i = 0; i < nout; i++) {
			out[i].stream = 1;
			check_event(&out[i]);
		}
		off += n;
		if ((flags & 0xf9) == 0xf8) {
			sift_dtmf_close(d, &calls[flags & 1]);
			check_call(d, &calls[flags & 1]);
		}
	}
	{
		struct sift_dtmf_event e;

		if (sift_te_flush(&dec, &e, &st)) {
			e.stream = 1;
			check_event(&e);
			check(!e.ended);
		}
	}
	sift_dtmf_close(d, NULL);
	released += check_call(d, &calls[0]);
	sift_dtmf_release(d, &calls[0]);
	check(!calls[0].part[SIFT_PART_DTMF]);
	released += check_call(d, &calls[1]);
	check(sift_dtmf_total(d) == released);
	sift_dtmf_free(d);
}

static void info(const uint8_t *data, size_t size)
{
	static const char *const types[4] = {
		"application/dtmf-relay", "application/dtmf",
		"Application/DTMF-Relay", "application/sdp"
	};
	char digit[SIFT_DTMF_DIGIT_LEN];
	int64_t ms = 12345;
	const char *ct;
	enum sift_rc rc;
	struct sift_dtmf *d;
	struct sift_addr a = { 4, { 10, 0, 0, 1 }, 5060 };
	struct sift_addr b = { 4, { 10, 0, 0, 2 }, 5060 };
	struct sift_where w = { 0, 1, 1000000 };
	struct sift_call c = { 0 };

	if (size < 2)
		return;
	ct = types[data[1] & 3];
	rc = sift_dtmf_info_parse(ct, data + 2, size - 2, digit, &ms);
	check(rc == SIFT_OK || rc == SIFT_EINVAL || rc == SIFT_EUNSUPPORTED);
	if (rc == SIFT_OK) {
		check_digit(digit);
		check(ms >= -1 && ms <= SIFT_DTMF_MAX_MS);
	}
	if (rc == SIFT_EUNSUPPORTED)
		check((data[1] & 3) == 3);
	d = sift_dtmf_new();
	if (!d)
		return;
	sift_dtmf_info(d, &c, ct, data + 2, size - 2, "tag", 7, &a, &b, &w);
	w.frame = 2;
	sift_dtmf_info(d, &c, ct, data + 2, size - 2, "tag", 7, &b, &a, &w);
	check(check_call(d, &c) == (rc == SIFT_OK ? 1u : 0u));
	sift_dtmf_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	if (data[0] & 1)
		info(data, size);
	else
		events(data, size);
	return 0;
}
