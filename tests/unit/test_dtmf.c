/* Unit tests for DTMF (src/dtmf.c): the RFC 4733 telephone-event decoder
 * on payloads built here, the SIP INFO body parser, and the per-call
 * store. */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include "media/rtp.h"
#include "sipsift/dtmf.h"

struct te {
	struct sift_te_decoder d;
	struct sift_dtmf_stats st;
	struct sift_dtmf_event ev[64];
	unsigned n;
	uint64_t frame;
};

static void te_setup(struct te *t, uint32_t clock)
{
	memset(t, 0, sizeof(*t));
	sift_te_init(&t->d, clock);
}

/* One telephone-event packet: RTP timestamp ts, event ev, end bit, volume,
 * duration; captured at ms milliseconds. */
static void te_pkt(struct te *t, uint32_t ts, uint8_t ev, bool end,
		   uint8_t vol, uint16_t dur, int64_t ms)
{
	struct sift_rtp_hdr h;
	struct sift_where w;
	struct sift_dtmf_event out[2];
	uint8_t p[4] = { ev, (uint8_t)((end ? 0x80 : 0) | (vol & 0x3f)),
			 (uint8_t)(dur >> 8), (uint8_t)dur };
	unsigned nout = 9;

	memset(&h, 0, sizeof(h));
	h.pt = 101;
	h.ts = ts;
	memset(&w, 0, sizeof(w));
	w.frame = ++t->frame;
	w.ts = 1000000 + ms * 1000;
	sift_te_feed(&t->d, &h, p, sizeof(p), &w, out, &nout, &t->st);
	assert_true(nout <= 2);
	for (unsigned i = 0; i < nout; i++) {
		assert_true(t->n < 64);
		t->ev[t->n++] = out[i];
	}
}

/* A whole event as senders send it: updates every 20 ms (160 units), then
 * the end packet three times (RFC 4733 §2.5.1.4). */
static void te_event(struct te *t, uint32_t ts, uint8_t ev, unsigned updates,
		     unsigned ends, int64_t ms)
{
	for (unsigned i = 0; i < updates; i++)
		te_pkt(t, ts, ev, false, 10, (uint16_t)(160 * (i + 1)),
		       ms + 20 * i);
	for (unsigned i = 0; i < ends; i++)
		te_pkt(t, ts, ev, true, 10, (uint16_t)(160 * (updates + 1)),
		       ms + 20 * updates);
}

static void test_end_retransmitted(void **state)
{
	struct te t;

	(void)state;
	te_setup(&t, 8000);
	te_event(&t, 1000, 5, 6, 3, 0);
	assert_int_equal(t.n, 1);
	assert_string_equal(t.ev[0].digit, "5");
	assert_true(t.ev[0].ended);
	assert_int_equal(t.ev[0].duration_ms, 140);   /* 7 * 160 / 8 */
	assert_int_equal(t.ev[0].volume, 10);
	assert_int_equal(t.ev[0].where.frame, 1);     /* its first packet */
	assert_int_equal(t.ev[0].where.ts, 1000000);
	assert_int_equal(t.ev[0].source, SIFT_DTMF_RFC4733);
	assert_int_equal(t.st.repeats, 2);
	/* A late copy of the end, after it was reported: still one. */
	te_pkt(&t, 1000, 5, true, 10, 1120, 300);
	assert_int_equal(t.n, 1);
	assert_false(sift_te_flush(&t.d, &t.ev[1], &t.st));
}

static void test_lost_end(void **state)
{
	struct te t;

	(void)state;
	te_setup(&t, 8000);
	/* Digit 1 never ends; digit 2 starts on a new timestamp. */
	te_event(&t, 1000, 1, 5, 0, 0);
	assert_int_equal(t.n, 0);
	te_event(&t, 5000, 2, 3, 3, 500);
	assert_int_equal(t.n, 2);
	assert_string_equal(t.ev[0].digit, "1");
	assert_false(t.ev[0].ended);
	assert_int_equal(t.ev[0].duration_ms, 100);   /* last seen: 800 */
	assert_string_equal(t.ev[1].digit, "2");
	assert_true(t.ev[1].ended);
	/* An event cut by the end of the stream comes out at flush. */
	te_event(&t, 9000, 11, 4, 0, 1000);
	assert_int_equal(t.n, 2);
	assert_true(sift_te_flush(&t.d, &t.ev[2], &t.st));
	assert_string_equal(t.ev[2].digit, "#");
	assert_false(t.ev[2].ended);
	assert_int_equal(t.ev[2].duration_ms, 80);
	assert_false(sift_te_flush(&t.d, &t.ev[3], &t.st));
}

static void test_back_to_back(void **state)
{
	struct te t;

	(void)state;
	te_setup(&t, 8000);
	/* The same digit twice in a row: two events, told apart only by
	 * their timestamps. */
	te_event(&t, 2000, 7, 4, 3, 0);
	te_event(&t, 3000, 7, 4, 3, 150);
	/* A single-packet event (just the end) right after. */
	te_pkt(&t, 4000, 10, true, 5, 400, 300);
	assert_int_equal(t.n, 3);
	assert_string_equal(t.ev[0].digit, "7");
	assert_string_equal(t.ev[1].digit, "7");
	assert_string_equal(t.ev[2].digit, "*");
	assert_int_equal(t.ev[2].duration_ms, 50);
	assert_int_equal(t.ev[2].volume, 5);
	/* A new event while one is open whose end was lost, the new one
	 * being a single end packet: both come out of one packet. */
	te_pkt(&t, 5000, 12, false, 10, 160, 400);
	te_pkt(&t, 6000, 13, true, 10, 320, 450);
	assert_int_equal(t.n, 5);
	assert_string_equal(t.ev[3].digit, "A");
	assert_false(t.ev[3].ended);
	assert_string_equal(t.ev[4].digit, "B");
	assert_true(t.ev[4].ended);
}

static void test_reorder_and_older_timestamp(void **state)
{
	struct te t;

	(void)state;
	te_setup(&t, 8000);
	te_event(&t, 10000, 3, 3, 3, 0);
	te_pkt(&t, 20000, 4, false, 10, 160, 200);
	/* A late end packet of event 3 arrives after event 4 began. */
	te_pkt(&t, 10000, 3, true, 10, 640, 210);
	te_pkt(&t, 20000, 4, true, 10, 320, 220);
	assert_int_equal(t.n, 2);
	assert_string_equal(t.ev[1].digit, "4");
	assert_true(t.ev[1].ended);
	/* An older timestamp never seen is a new event (a replayed
	 * recording, a restarted sender), not a stale packet. */
	te_event(&t, 500, 0, 2, 3, 400);
	assert_int_equal(t.n, 3);
	assert_string_equal(t.ev[2].digit, "0");
}

static void test_long_event_segments(void **state)
{
	struct te t;

	(void)state;
	te_setup(&t, 8000);
	/* RFC 4733 §2.5.1.3: 0xFFFF units (8.19 s) without the E bit, then a
	 * segment that starts 0xFFFF later and ends at 8000 units. */
	te_pkt(&t, 100, 6, false, 10, 160, 0);
	te_pkt(&t, 100, 6, false, 10, 0xffff, 8190);
	te_pkt(&t, 100u + 0xffffu, 6, false, 10, 160, 8210);
	te_pkt(&t, 100u + 0xffffu, 6, true, 10, 8000, 9190);
	te_pkt(&t, 100u + 0xffffu, 6, true, 10, 8000, 9191);
	assert_int_equal(t.n, 1);
	assert_string_equal(t.ev[0].digit, "6");
	assert_int_equal(t.ev[0].duration_ms, (0xffff + 8000) * 1000 / 8000);
	assert_int_equal(t.ev[0].where.frame, 1);
	/* A sender that lets the 16-bit duration wrap on one timestamp. */
	te_pkt(&t, 200000, 8, false, 10, 0xff00, 0);
	te_pkt(&t, 200000, 8, false, 10, 0x0100, 100);
	te_pkt(&t, 200000, 8, true, 10, 0x0200, 200);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.ev[1].duration_ms, (0x10000 + 0x200) * 1000 / 8000);
	/* The timestamp wraps too: still one event per timestamp. */
	te_event(&t, 0xffffff00u, 9, 2, 3, 10000);
	te_event(&t, 0x00000100u, 1, 2, 3, 10200);
	assert_int_equal(t.n, 4);
	assert_string_equal(t.ev[3].digit, "1");
}

static void test_clock_and_codes(void **state)
{
	struct te t;

	(void)state;
	/* telephone-event/48000 (Opus calls): duration in 48 kHz units. */
	te_setup(&t, 48000);
	te_pkt(&t, 1, 15, true, 0, 4800, 0);
	/* Event 16 (flash) is kept as "E16". */
	te_pkt(&t, 2, 16, true, 0, 4800, 100);
	assert_int_equal(t.n, 2);
	assert_string_equal(t.ev[0].digit, "D");
	assert_int_equal(t.ev[0].duration_ms, 100);
	assert_string_equal(t.ev[1].digit, "E16");
	/* Clock 0 falls back to 8000. */
	te_setup(&t, 0);
	te_pkt(&t, 1, 1, true, 0, 800, 0);
	assert_int_equal(t.ev[0].duration_ms, 100);
}

static void test_garbage(void **state)
{
	struct te t;
	struct sift_rtp_hdr h;
	struct sift_where w;
	struct sift_dtmf_event out[2];
	unsigned nout;
	uint8_t p[3] = { 1, 0x80, 0 };

	(void)state;
	te_setup(&t, 8000);
	memset(&h, 0, sizeof(h));
	memset(&w, 0, sizeof(w));
	for (size_t n = 0; n < sizeof(p); n++) {
		sift_te_feed(&t.d, &h, p, n, &w, out, &nout, &t.st);
		assert_int_equal(nout, 0);
	}
	assert_int_equal(t.st.short_payloads, 3);
	/* An absurd duration (more than a minute in segments) is counted,
	 * not reported. */
	for (unsigned s = 0; s < 10; s++)
		te_pkt(&t, 5u + s * 0xffffu, 2, false, 0, 0xffff, s * 8000);
	te_pkt(&t, 5u + 10u * 0xffffu, 2, true, 0, 100, 90000);
	assert_int_equal(t.n, 0);
	assert_int_equal(t.st.absurd, 1);
	/* Random bytes never yield more than two events a packet. */
	for (unsigned i = 0; i < 2000; i++) {
		t.n = 0;
		te_pkt(&t, (i * 2654435761u) % 7, (uint8_t)(i * 31),
		       (i % 3) == 0, (uint8_t)i, (uint16_t)(i * 977), i);
	}
}

static void test_info_bodies(void **state)
{
	char d[SIFT_DTMF_DIGIT_LEN];
	int64_t ms;
	const char *relay = "Signal=5\r\nDuration=160\r\n";
	const char *cisco = "signal= #\nduration =250";
	const char *only = "Signal=b";
	const char *numeric = "Signal=10\r\nDuration=100\r\n";
	const char *flash = "Signal=!\r\nDuration=250\r\n";

	(void)state;
	assert_int_equal(sift_dtmf_info_parse("application/dtmf-relay",
		(const uint8_t *)relay, strlen(relay), d, &ms), SIFT_OK);
	assert_string_equal(d, "5");
	assert_int_equal(ms, 160);
	assert_int_equal(sift_dtmf_info_parse("Application/DTMF-Relay",
		(const uint8_t *)cisco, strlen(cisco), d, &ms), SIFT_OK);
	assert_string_equal(d, "#");
	assert_int_equal(ms, 250);
	assert_int_equal(sift_dtmf_info_parse("application/dtmf-relay",
		(const uint8_t *)only, strlen(only), d, &ms), SIFT_OK);
	assert_string_equal(d, "B");
	assert_int_equal(ms, -1);
	assert_int_equal(sift_dtmf_info_parse("application/dtmf-relay",
		(const uint8_t *)numeric, strlen(numeric), d, &ms), SIFT_OK);
	assert_string_equal(d, "*");
	assert_int_equal(sift_dtmf_info_parse("application/dtmf-relay",
		(const uint8_t *)flash, strlen(flash), d, &ms), SIFT_OK);
	assert_string_equal(d, "E16");
	assert_int_equal(sift_dtmf_info_parse("application/dtmf",
		(const uint8_t *)"7\r\n", 3, d, &ms), SIFT_OK);
	assert_string_equal(d, "7");
	assert_int_equal(ms, -1);
	/* Not DTMF, or unreadable. */
	assert_int_equal(sift_dtmf_info_parse("application/sdp",
		(const uint8_t *)"v=0", 3, d, &ms), SIFT_EUNSUPPORTED);
	assert_int_equal(sift_dtmf_info_parse(NULL, NULL, 0, d, &ms),
			 SIFT_EUNSUPPORTED);
	assert_int_equal(sift_dtmf_info_parse("application/dtmf",
		(const uint8_t *)"77", 2, d, &ms), SIFT_OK);  /* event 77 */
	assert_string_equal(d, "E77");
	assert_int_equal(sift_dtmf_info_parse("application/dtmf",
		(const uint8_t *)"x", 1, d, &ms), SIFT_EINVAL);
	assert_int_equal(sift_dtmf_info_parse("application/dtmf",
		(const uint8_t *)"", 0, d, &ms), SIFT_EINVAL);
	assert_int_equal(sift_dtmf_info_parse("application/dtmf-relay",
		(const uint8_t *)"Duration=100", 12, d, &ms), SIFT_EINVAL);
	assert_int_equal(sift_dtmf_info_parse("application/dtmf-relay",
		(const uint8_t *)"Signal=1\nDuration=99999999", 26, d, &ms),
		SIFT_EINVAL);
	assert_int_equal(sift_dtmf_info_parse("application/dtmf-relay",
		(const uint8_t *)"Signal=256", 10, d, &ms), SIFT_EINVAL);
	assert_int_equal(sift_dtmf_info_parse("application/dtmf-relay",
		(const uint8_t *)"Signal=1\nDuration=-5", 20, d, &ms),
		SIFT_EINVAL);
	/* An event number has at most three digits; a duration that
	 * overflows any integer is no duration; nothing past n is read. */
	assert_int_equal(sift_dtmf_info_parse("application/dtmf-relay",
		(const uint8_t *)"Signal=0010", 11, d, &ms), SIFT_EINVAL);
	assert_int_equal(sift_dtmf_info_parse("application/dtmf-relay",
		(const uint8_t *)"Signal=1\nDuration=99999999999999999999999", 41,
		d, &ms), SIFT_EINVAL);
	assert_int_equal(sift_dtmf_info_parse("application/dtmf-relay",
		(const uint8_t *)"Signal=12", 8, d, &ms), SIFT_OK);
	assert_string_equal(d, "1");
	assert_int_equal(sift_dtmf_info_parse("application/dtmf-relay",
		(const uint8_t *)"junk\n=3\nSIGNAL =\t9 \r\n", 21, d, &ms), SIFT_OK);
	assert_string_equal(d, "9");
}

static void rtp(struct sift_dtmf *d, struct sift_call *cid, uint32_t stream,
		uint32_t ts, uint8_t ev, bool end, uint16_t dur, int64_t ms)
{
	struct sift_addr a = { 4, { 127, 0, 0, 1 }, 4000 };
	struct sift_addr b = { 4, { 127, 0, 0, 2 }, 5000 };
	struct sift_rtp_hdr h;
	struct sift_where w = { 0, (uint64_t)ms, 1000000 + ms * 1000 };
	uint8_t p[4] = { ev, (uint8_t)(end ? 0x8a : 0x0a), (uint8_t)(dur >> 8),
			 (uint8_t)dur };

	memset(&h, 0, sizeof(h));
	h.ts = ts;
	sift_dtmf_rtp(d, cid, stream, &a, &b, 8000, &h, p, sizeof(p), &w);
}

static void test_store(void **state)
{
	struct sift_dtmf *d = sift_dtmf_new();
	struct sift_addr a = { 4, { 10, 0, 0, 1 }, 5060 };
	struct sift_addr b = { 4, { 10, 0, 0, 2 }, 5060 };
	struct sift_where w = { 0, 42, 1000000 + 150 * 1000 };
	const struct sift_dtmf_event *ev;
	struct sift_call c1 = { 0 }, c2 = { 0 }, none = { 0 };
	size_t n;

	(void)state;
	assert_non_null(d);
	/* Stream 1 opens digit 1 at 100 ms and never ends it; stream 2
	 * sends digit 2 at 120 ms; an INFO sends 3 at 150 ms. */
	rtp(d, &c1, 1, 1000, 1, false, 160, 100);
	rtp(d, &c1, 2, 7000, 2, true, 320, 120);
	sift_dtmf_info(d, &c1, "application/dtmf-relay",
		       (const uint8_t *)"Signal=3\nDuration=90", 20, "t1", 2,
		       &a, &b, &w);
	/* The proxy's next hop of it: the same From tag and CSeq. */
	w.frame = 43;
	sift_dtmf_info(d, &c1, "application/dtmf-relay",
		       (const uint8_t *)"Signal=3\nDuration=90", 20, "t1", 2,
		       &b, &a, &w);
	/* The other party's INFO with the same CSeq number is its own. */
	sift_dtmf_info(d, &c1, "application/dtmf", (const uint8_t *)"3", 1,
		       "t2", 2, &b, &a, &w);
	sift_dtmf_info(d, &c1, "application/dtmf-relay",
		       (const uint8_t *)"Signal=?", 8, "t1", 3, &a, &b, &w);
	w.frame = 42;
	ev = sift_dtmf_events(d, &c1, &n);
	assert_int_equal(n, 3);
	/* The call ends: digit 1 is reported without end, in time order. */
	sift_dtmf_close(d, &c1);
	ev = sift_dtmf_events(d, &c1, &n);
	assert_int_equal(n, 4);
	assert_string_equal(ev[0].digit, "1");
	assert_false(ev[0].ended);
	assert_int_equal(ev[0].stream, 1);
	assert_string_equal(ev[1].digit, "2");
	assert_int_equal(ev[1].stream, 2);
	assert_string_equal(ev[2].digit, "3");
	assert_int_equal(ev[2].source, SIFT_DTMF_SIP_INFO);
	assert_int_equal(ev[2].stream, 0);
	assert_int_equal(ev[2].duration_ms, 90);
	assert_int_equal(ev[2].where.frame, 42);
	assert_string_equal(ev[3].digit, "3");
	assert_int_equal(ev[3].where.frame, 43);
	assert_int_equal(sift_dtmf_stats(d)->repeats, 1);
	assert_int_equal(sift_dtmf_stats(d)->bad_info, 1);
	/* The cap: SIFT_DTMF_MAX_PER_CALL events, the rest counted. */
	for (unsigned i = 0; i < SIFT_DTMF_MAX_PER_CALL + 5; i++)
		rtp(d, &c2, 9, 100 + i * 1000, 4, true, 160, 200 + i);
	assert_null(sift_dtmf_events(d, &none, &n));
	assert_int_equal(n, 0);
	ev = sift_dtmf_events(d, &c2, &n);
	assert_int_equal(n, SIFT_DTMF_MAX_PER_CALL);
	assert_int_equal(sift_dtmf_stats(d)->dropped, 5);
	assert_int_equal(sift_dtmf_total(d), 4 + SIFT_DTMF_MAX_PER_CALL);
	/* Released calls are gone; the total stays. */
	sift_dtmf_release(d, &c1);
	assert_null(sift_dtmf_events(d, &c1, &n));
	ev = sift_dtmf_events(d, &c2, &n);
	assert_int_equal(n, SIFT_DTMF_MAX_PER_CALL);
	assert_non_null(c2.part[SIFT_PART_DTMF]);
	sift_dtmf_release(d, &c2);
	assert_null(c2.part[SIFT_PART_DTMF]);
	sift_dtmf_close(d, NULL);
	assert_int_equal(sift_dtmf_total(d), 4 + SIFT_DTMF_MAX_PER_CALL);
	sift_dtmf_free(d);
	sift_dtmf_free(NULL);
}

static void test_late_packets_of_a_segment(void **state)
{
	struct te t;

	(void)state;
	te_setup(&t, 8000);
	/* A long event in two segments; a packet of the first segment comes
	 * late, after the second began, and again after the end. Still one
	 * key press. */
	te_pkt(&t, 100, 5, false, 10, 160, 0);
	te_pkt(&t, 100, 5, false, 10, 0xffff, 8190);
	te_pkt(&t, 100u + 0xffffu, 5, false, 10, 160, 8210);
	te_pkt(&t, 100, 5, false, 10, 0xfe00, 8215);
	te_pkt(&t, 100u + 0xffffu, 5, true, 10, 800, 8300);
	te_pkt(&t, 100, 5, false, 10, 0xff00, 8400);
	assert_int_equal(t.n, 1);
	assert_string_equal(t.ev[0].digit, "5");
	assert_true(t.ev[0].ended);
	assert_int_equal(t.ev[0].duration_ms, (0xffff + 800) * 1000 / 8000);
}

/* A 20 ms PCMU packet of the dual tone lo+hi, from sample offset off. */
static void pcmu_tone(uint8_t *p, unsigned off, double lo, double hi)
{
	for (unsigned i = 0; i < 160; i++) {
		double t = (double)(off + i) / 8000;
		double v = 6000 * (sin(2 * M_PI * lo * t) + sin(2 * M_PI * hi * t));
		int x = (int)v, sign = x < 0 ? 0x80 : 0, seg = 0;

		/* G.711 µ-law encoding (ITU-T G.711 §A): bias, segment, step. */
		if (x < 0)
			x = -x;
		x += 0x84;
		if (x > 0x7fff)
			x = 0x7fff;
		for (int m = x >> 7; m > 1 && seg < 7; m >>= 1)
			seg++;
		p[i] = (uint8_t)~(sign | (seg << 4) | ((x >> (seg + 3)) & 0x0f));
	}
}

static void test_inband_after_cn(void **state)
{
	struct sift_dtmf *d = sift_dtmf_new();
	struct sift_addr a = { .family = 4, .ip = { 192, 0, 2, 1 }, .port = 4000 };
	struct sift_addr b = { .family = 4, .ip = { 192, 0, 2, 2 }, .port = 6000 };
	struct sift_where w = { 0, 1, 1700000000 * SIFT_USEC };
	const struct sift_dtmf_event *ev;
	uint8_t p[160], cn[1] = { 40 };
	struct sift_call call = { 0 };
	size_t n;

	(void)state;
	/* Silence suppressed: the stream starts with comfort noise, then
	 * 200 ms of '1' (697+1209 Hz) and 200 ms of silence in PCMU. */
	sift_dtmf_audio(d, &call, 1, &a, &b, "CN", 8000, 1, cn, 1, &w);
	for (unsigned k = 0; k < 20; k++) {
		w.frame++;
		w.ts += 20000;
		if (k < 10)
			pcmu_tone(p, k * 160, 697, 1209);
		else
			memset(p, 0xff, sizeof(p));
		sift_dtmf_audio(d, &call, 1, &a, &b, "PCMU", 8000, 1, p, 160, &w);
	}
	sift_dtmf_close(d, NULL);
	ev = sift_dtmf_events(d, &call, &n);
	assert_int_equal(n, 1);
	assert_string_equal(ev[0].digit, "1");
	assert_int_equal(ev[0].source, SIFT_DTMF_INBAND);
	assert_true(ev[0].ended);
	assert_true(ev[0].duration_ms >= 150 && ev[0].duration_ms <= 230);
	sift_dtmf_free(d);
}

/* In-band listening on L16 at 44.1 kHz: the tone detector takes no such
 * rate, so nothing is listened to, and that is no lack of memory (it was
 * taken for one: the run stopped with "out of memory", exit 5). */
static void test_inband_rate_not_taken(void **state)
{
	struct sift_dtmf *d = sift_dtmf_new();
	struct sift_addr a = { .family = 4, .ip = { 192, 0, 2, 1 }, .port = 4000 };
	struct sift_addr b = { .family = 4, .ip = { 192, 0, 2, 2 }, .port = 6000 };
	struct sift_where w = { 0, 1, 1700000000 * SIFT_USEC };
	struct sift_call call = { 0 };
	uint8_t p[882] = { 0 };
	size_t n;

	(void)state;
	sift_dtmf_audio(d, &call, 1, &a, &b, "L16", 44100, 1, p, sizeof(p), &w);
	sift_dtmf_close(d, NULL);
	assert_false(sift_dtmf_oom(d));
	(void)sift_dtmf_events(d, &call, &n);
	assert_int_equal(n, 0);
	sift_dtmf_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_end_retransmitted),
		cmocka_unit_test(test_lost_end),
		cmocka_unit_test(test_back_to_back),
		cmocka_unit_test(test_reorder_and_older_timestamp),
		cmocka_unit_test(test_long_event_segments),
		cmocka_unit_test(test_late_packets_of_a_segment),
		cmocka_unit_test(test_inband_after_cn),
		cmocka_unit_test(test_inband_rate_not_taken),
		cmocka_unit_test(test_clock_and_codes),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_info_bodies),
		cmocka_unit_test(test_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
