/* libFuzzer target for TCP reassembly (src/tcp_reasm.c) and IP fragment
 * reassembly (src/ip_defrag.c), with small limits so every cap is reached.
 *
 * Input: one header byte, then 4-byte records, each optionally followed by
 * payload bytes:
 *   header  bit 0: pattern mode (payload bytes are a function of their
 *                  sequence number / offset, so reassembled output can be
 *                  checked byte by byte); bits 1-2 pick the hold limits;
 *                  bit 3 makes the defrag byte cap smaller than a datagram
 *   rec[0]  bits 0-1 direction (4 directions, max_streams 3), bit 2 FIN,
 *           bit 3 SYN, bit 4 RST, bit 5 consumer refuses its next data,
 *           bit 6 call the expire functions, bit 7 fragment MF flag
 *   rec[1]  signed sequence delta from the direction's cursor (times 2^24
 *           with SYN, to make new ISNs); fragment offset in 8-byte units
 *   rec[2]  bits 0-5 payload length, bits 6-7 fragment id
 *   rec[3]  signed time step in units of 50 ms (negative steps back)
 *   payload (raw mode only) that many bytes from the input
 *
 * Invariants checked (abort() on violation): per direction, bytes delivered
 * never exceed bytes fed; data() never gets an empty run and is never asked
 * again after it said no; gap() never reports 0; in pattern mode the
 * delivered bytes are contiguous in sequence space across gaps and a
 * reassembled datagram holds exactly its bytes; active streams and pending
 * datagrams stay within their caps; every stream the consumer saw is closed
 * once, and nothing is active after flush. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/ip_defrag.h"
#include "net/tcp_reasm.h"

#define NDIR 4
#define MAX_STREAMS 3
#define FRAG_MAX_DATAGRAM 400
#define FRAG_MAX_DATAGRAMS 3

struct dir_user {
	bool have_next;
	uint8_t next;        /* pattern mode: the byte expected next */
	bool refused;
};

struct fz {
	bool pattern;
	bool refuse_next;
	uint64_t fed[NDIR];
	uint64_t delivered[NDIR];
	long users;          /* allocated and not yet closed */
};

static unsigned dir_of(const struct sift_addr *src)
{
	unsigned d = (unsigned)(src->port - 1000u);

	if (d >= NDIR)
		abort();
	return d;
}

static struct dir_user *user_get(struct fz *z, void **user)
{
	struct dir_user *u = *user;

	if (u == NULL) {
		u = calloc(1, sizeof(*u));
		if (u == NULL)
			abort();
		z->users++;
		*user = u;
	}
	return u;
}

static bool on_data(void *ctx, void **user, const struct sift_addr *src,
		    const struct sift_addr *dst, const uint8_t *p, size_t n,
		    const struct sift_where *where)
{
	struct fz *z = ctx;
	struct dir_user *u = user_get(z, user);
	unsigned d = dir_of(src);
	size_t i;

	if (dst == NULL || where == NULL || p == NULL || n == 0 || u->refused)
		abort();
	z->delivered[d] += n;
	if (z->delivered[d] > z->fed[d])
		abort();
	if (z->pattern) {
		if (u->have_next && p[0] != u->next)
			abort();
		for (i = 1; i < n; i++) {
			if (p[i] != (uint8_t)(p[0] + i))
				abort();
		}
		u->next = (uint8_t)(p[n - 1] + 1);
		u->have_next = true;
	} else {
		/* Every byte must be readable (ASan checks the reads). */
		volatile uint8_t sum = 0;

		for (i = 0; i < n; i++)
			sum = (uint8_t)(sum + p[i]);
		(void)sum;
	}
	if (z->refuse_next) {
		z->refuse_next = false;
		u->refused = true;
		return false;
	}
	return true;
}

static void on_gap(void *ctx, void **user, uint64_t n,
		   const struct sift_where *where)
{
	struct dir_user *u = user_get(ctx, user);

	if (n == 0 || n > UINT32_MAX || where == NULL || u->refused)
		abort();
	u->next = (uint8_t)(u->next + n);
}

static void on_close(void *ctx, void **user)
{
	struct fz *z = ctx;

	if (*user != NULL) {
		free(*user);
		*user = NULL;
		z->users--;
	}
}

static const struct sift_tcp_ops fz_ops = { on_data, on_gap, on_close };

static void check_frag(const struct fz *z, const struct sift_frag *f,
		       const uint8_t *out, size_t out_len)
{
	size_t i;

	if (out == NULL)
		return;
	if (out_len > FRAG_MAX_DATAGRAM)
		abort();
	if (z->pattern) {
		for (i = 0; i < out_len; i++) {
			if (out[i] != (uint8_t)(i * 7 + f->id * 13))
				abort();
		}
	} else if (out_len != 0) {
		volatile uint8_t x = out[0];

		x = (uint8_t)(x + out[out_len - 1]);
		(void)x;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t holds[4] = { 0, 16, 64, 300 };
	struct sift_tcp_limits tl;
	struct sift_defrag_limits dl;
	struct sift_tcp *t = NULL;
	struct sift_defrag *d = NULL;
	struct fz z;
	uint32_t cursor[NDIR];
	uint8_t pay[64], fpay[64];
	sift_time now = 1000 * SIFT_USEC;
	size_t pos = 1;
	unsigned i;

	if (size < 1)
		return 0;
	memset(&z, 0, sizeof(z));
	z.pattern = (data[0] & 1) != 0;
	for (i = 0; i < NDIR; i++)
		cursor[i] = 0xffffff80u + i * 0x20u; /* wrap early */

	sift_tcp_limits_default(&tl);
	tl.max_streams = MAX_STREAMS;
	tl.max_stream_hold = holds[(data[0] >> 1) & 3];
	tl.max_total_hold = 2 * holds[(data[0] >> 1) & 3] + 8;
	tl.gap_timeout = SIFT_USEC;
	tl.idle_timeout = 5 * SIFT_USEC;
	sift_defrag_limits_default(&dl);
	dl.max_datagrams = FRAG_MAX_DATAGRAMS;
	dl.max_bytes = (data[0] & 8) ? 350 : 900;
	dl.max_datagram = FRAG_MAX_DATAGRAM;
	dl.max_fragments = 6;
	dl.timeout = 2 * SIFT_USEC;
	t = sift_tcp_new(&tl, &fz_ops, &z);
	d = sift_defrag_new(&dl);
	if (t == NULL || d == NULL)
		goto out;

	while (size - pos >= 4) {
		const uint8_t *r = data + pos;
		unsigned dir = r[0] & 3;
		bool syn = (r[0] & 0x08) != 0;
		size_t len = r[2] & 0x3f;
		int32_t delta = (int8_t)r[1];
		struct sift_tcp_segment s;
		struct sift_frag f;
		const uint8_t *out;
		size_t out_len;
		uint32_t dseq;

		pos += 4;
		memset(&s, 0, sizeof(s));
		s.src.family = 4;
		s.src.ip[3] = (uint8_t)(1 + (dir & 1));
		s.src.port = (uint16_t)(1000 + dir);
		s.dst.family = 4;
		s.dst.ip[3] = (uint8_t)(2 - (dir & 1));
		s.dst.port = 5060;
		s.flags = (uint8_t)(((r[0] & 0x04) ? SIFT_TCP_FIN : 0) |
				    (syn ? SIFT_TCP_SYN : 0) |
				    ((r[0] & 0x10) ? SIFT_TCP_RST : 0) |
				    SIFT_TCP_ACK);
		s.seq = cursor[dir] + (uint32_t)(syn ? delta * (1 << 24) : delta);
		dseq = syn ? s.seq + 1 : s.seq;
		if (z.pattern) {
			for (i = 0; i < len; i++)
				pay[i] = (uint8_t)(dseq + i);
		} else {
			if (len > size - pos)
				len = size - pos;
			memcpy(pay, data + pos, len);
			pos += len;
		}
		s.data = len != 0 ? pay : NULL;
		s.len = len;
		now += (sift_time)(int8_t)r[3] * (SIFT_USEC / 20);
		s.where.frame = pos;
		s.where.ts = now;
		cursor[dir] = dseq + (uint32_t)len +
			      ((r[0] & 0x04) ? 1u : 0u);
		if (r[0] & 0x20)
			z.refuse_next = true;
		z.fed[dir] += len;
		if (sift_tcp_add(t, &s) == SIFT_ENOMEM)
			abort();
		if (sift_tcp_active(t) > MAX_STREAMS)
			abort();

		/* The same record as a fragment. */
		memset(&f, 0, sizeof(f));
		f.family = (dir & 2) ? 6 : 4;
		f.proto = 17;
		f.src[0] = (uint8_t)(dir & 1);
		f.id = r[2] >> 6;
		f.offset = (uint32_t)(r[1] & 0x3f) * 8;
		f.more = (r[0] & 0x80) != 0;
		if (z.pattern) {
			for (i = 0; i < len; i++)
				fpay[i] = (uint8_t)((f.offset + i) * 7 +
						    f.id * 13);
			f.data = fpay;
		} else {
			f.data = pay;
		}
		f.len = len;
		if (sift_defrag_add(d, &f, now, &out, &out_len) == SIFT_ENOMEM)
			abort();
		check_frag(&z, &f, out, out_len);
		if (sift_defrag_pending(d) > FRAG_MAX_DATAGRAMS)
			abort();

		if (r[0] & 0x40) {
			sift_tcp_expire(t, now);
			sift_defrag_expire(d, now);
		}
	}
	if (z.pattern && sift_defrag_stats(d)->overlaps != 0)
		abort();
	if (sift_tcp_stats(t)->gaps > sift_tcp_stats(t)->gap_bytes)
		abort();
	sift_tcp_flush(t);
	if (sift_tcp_active(t) != 0 || z.users != 0)
		abort();
	for (i = 0; i < NDIR; i++) {
		if (z.delivered[i] > z.fed[i])
			abort();
	}
out:
	sift_tcp_free(t);
	sift_defrag_free(d);
	return 0;
}
