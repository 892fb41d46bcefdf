/* Unit tests for per-direction TCP reassembly (src/tcp_reasm.c). */
#include "testutil.h"

#include <string.h>

#include "net/tcp_reasm.h"

#define T0 (1000 * SIFT_USEC)
#define MAX_CALLS 64

/* What the consumer saw, in call order. */
struct rec {
	uint8_t bytes[8192];
	size_t nbytes;
	unsigned ndata;
	const uint8_t *data_p[MAX_CALLS];  /* pointer handed to data() */
	uint64_t data_frame[MAX_CALLS];    /* where->frame of each call */
	unsigned ngap;
	uint64_t gap_n[MAX_CALLS];
	uint64_t gap_frame[MAX_CALLS];
	unsigned nclose;
	uint16_t close_port[MAX_CALLS];    /* src port of each closed stream */
	bool refuse;                       /* data() returns false */
	char order[MAX_CALLS];             /* 'd', 'g', 'c' */
	unsigned norder;
};

/* Per-direction consumer state, to check the user slot is handed back. */
struct dir {
	uint16_t port;
};

static struct dir dirs[8];
static unsigned ndirs;

static void note(struct rec *r, char c)
{
	if (r->norder < MAX_CALLS)
		r->order[r->norder++] = c;
}

static bool on_data(void *ctx, void **user, const struct sift_addr *src,
		    const struct sift_addr *dst, const uint8_t *p, size_t n,
		    const struct sift_where *where)
{
	struct rec *r = ctx;

	(void)dst;
	if (*user == NULL) {
		assert_true(ndirs < 8);
		dirs[ndirs].port = src->port;
		*user = &dirs[ndirs++];
	}
	assert_int_equal(((struct dir *)*user)->port, src->port);
	assert_true(n > 0);
	assert_true(r->nbytes + n <= sizeof(r->bytes));
	memcpy(r->bytes + r->nbytes, p, n);
	r->nbytes += n;
	if (r->ndata < MAX_CALLS) {
		r->data_p[r->ndata] = p;
		r->data_frame[r->ndata] = where->frame;
	}
	r->ndata++;
	note(r, 'd');
	return !r->refuse;
}

static void on_gap(void *ctx, void **user, uint64_t n,
		   const struct sift_where *where)
{
	struct rec *r = ctx;

	(void)user;
	if (r->ngap < MAX_CALLS) {
		r->gap_n[r->ngap] = n;
		r->gap_frame[r->ngap] = where->frame;
	}
	r->ngap++;
	note(r, 'g');
}

static void on_close(void *ctx, void **user)
{
	struct rec *r = ctx;

	if (r->nclose < MAX_CALLS)
		r->close_port[r->nclose] =
			*user != NULL ? ((struct dir *)*user)->port : 0;
	r->nclose++;
	note(r, 'c');
}

static const struct sift_tcp_ops ops = {
	.data = on_data,
	.gap = on_gap,
	.close = on_close,
};

static int setup(void **state)
{
	static struct rec r;

	memset(&r, 0, sizeof(r));
	memset(dirs, 0, sizeof(dirs));
	ndirs = 0;
	*state = &r;
	return 0;
}

/* 10.0.0.1:sport -> 10.0.0.2:5060 */
static struct sift_tcp_segment seg(uint16_t sport, uint32_t seq, uint8_t flags,
				   const void *data, size_t len,
				   uint64_t frame, sift_time ts)
{
	struct sift_tcp_segment s;

	memset(&s, 0, sizeof(s));
	s.src.family = 4;
	s.src.ip[0] = 10;
	s.src.ip[3] = 1;
	s.src.port = sport;
	s.dst.family = 4;
	s.dst.ip[0] = 10;
	s.dst.ip[3] = 2;
	s.dst.port = 5060;
	s.seq = seq;
	s.flags = flags;
	s.data = data;
	s.len = len;
	s.where.file = 0;
	s.where.frame = frame;
	s.where.ts = ts;
	return s;
}

static struct sift_tcp *new_tcp(struct rec *r, size_t max_streams,
				size_t stream_hold, size_t total_hold,
				sift_time gap_timeout)
{
	struct sift_tcp_limits lim;
	struct sift_tcp *t;

	sift_tcp_limits_default(&lim);
	if (max_streams != 0)
		lim.max_streams = max_streams;
	if (stream_hold != 0)
		lim.max_stream_hold = stream_hold;
	if (total_hold != 0)
		lim.max_total_hold = total_hold;
	if (gap_timeout != 0)
		lim.gap_timeout = gap_timeout;
	t = sift_tcp_new(&lim, &ops, r);
	assert_non_null(t);
	return t;
}

static void add_ok(struct sift_tcp *t, struct sift_tcp_segment s)
{
	assert_int_equal(sift_tcp_add(t, &s), SIFT_OK);
}

static void test_in_order_no_copy(void **state)
{
	struct rec *r = *state;
	struct sift_tcp *t = new_tcp(r, 0, 0, 0, 0);
	static const char a[] = "INVITE sip:", b[] = "bob@x SIP/2.0\r\n";

	add_ok(t, seg(40000, 100, SIFT_TCP_SYN, NULL, 0, 1, T0));
	assert_int_equal(r->ndata, 0);
	assert_int_equal(sift_tcp_active(t), 1);
	add_ok(t, seg(40000, 101, SIFT_TCP_ACK, a, 11, 2, T0));
	add_ok(t, seg(40000, 112, SIFT_TCP_ACK, b, 15, 3, T0));
	assert_int_equal(r->ndata, 2);
	/* The fast path hands over the caller's buffer, not a copy. */
	assert_ptr_equal(r->data_p[0], (const uint8_t *)a);
	assert_ptr_equal(r->data_p[1], (const uint8_t *)b);
	assert_int_equal(r->data_frame[1], 3);
	assert_int_equal(r->nbytes, 26);
	assert_memory_equal(r->bytes, "INVITE sip:bob@x SIP/2.0\r\n", 26);
	assert_int_equal(sift_tcp_stats(t)->segments, 2);
	assert_int_equal(sift_tcp_stats(t)->streams, 1);
	assert_int_equal(sift_tcp_stats(t)->out_of_order, 0);
	sift_tcp_free(t);
	assert_int_equal(r->nclose, 1);
	assert_int_equal(r->close_port[0], 40000);
}

static void test_out_of_order_three(void **state)
{
	struct rec *r = *state;
	struct sift_tcp *t = new_tcp(r, 0, 0, 0, 0);

	add_ok(t, seg(40000, 1000, 0, "aaaa", 4, 1, T0));
	add_ok(t, seg(40000, 1012, 0, "dddd", 4, 2, T0));
	add_ok(t, seg(40000, 1008, 0, "cccc", 4, 3, T0));
	assert_int_equal(r->nbytes, 4);
	add_ok(t, seg(40000, 1004, 0, "bbbb", 4, 4, T0));
	assert_int_equal(r->nbytes, 16);
	assert_memory_equal(r->bytes, "aaaabbbbccccdddd", 16);
	/* Held bytes are copies, attributed to the frame that filled the
	 * hole (Wireshark's "reassembled in"). */
	assert_int_equal(r->ndata, 4);
	assert_int_equal(r->data_frame[2], 4);
	assert_int_equal(r->data_frame[3], 4);
	assert_int_equal(sift_tcp_stats(t)->out_of_order, 2);
	assert_int_equal(sift_tcp_stats(t)->gaps, 0);
	sift_tcp_free(t);
	assert_int_equal(r->ngap, 0);
}

static void test_retransmission(void **state)
{
	struct rec *r = *state;
	struct sift_tcp *t = new_tcp(r, 0, 0, 0, 0);

	add_ok(t, seg(40000, 1, 0, "hello ", 6, 1, T0));
	add_ok(t, seg(40000, 7, 0, "world", 5, 2, T0));
	add_ok(t, seg(40000, 1, 0, "hello ", 6, 3, T0));
	add_ok(t, seg(40000, 7, 0, "wor", 3, 4, T0));
	assert_int_equal(r->nbytes, 11);
	assert_int_equal(r->ndata, 2);
	assert_int_equal(sift_tcp_stats(t)->retransmitted, 2);
	assert_int_equal(sift_tcp_stats(t)->overlaps, 0);
	sift_tcp_free(t);
}

static void test_overlap_partly_new(void **state)
{
	struct rec *r = *state;
	struct sift_tcp *t = new_tcp(r, 0, 0, 0, 0);
	static const char more[] = "XXXXdef";

	add_ok(t, seg(40000, 50, 0, "abcd", 4, 1, T0));
	/* Repeats 50..53 with other bytes: the delivered ones stand. */
	add_ok(t, seg(40000, 50, 0, more, 7, 2, T0));
	assert_int_equal(r->nbytes, 7);
	assert_memory_equal(r->bytes, "abcddef", 7);
	assert_ptr_equal(r->data_p[1], (const uint8_t *)more + 4);
	assert_int_equal(sift_tcp_stats(t)->overlaps, 1);
	assert_int_equal(sift_tcp_stats(t)->retransmitted, 0);
	sift_tcp_free(t);
}

/* A segment overlapping bytes already held: held bytes win too. */
static void test_overlap_with_held(void **state)
{
	struct rec *r = *state;
	struct sift_tcp *t = new_tcp(r, 0, 0, 0, 0);

	add_ok(t, seg(40000, 0, 0, "01", 2, 1, T0));
	add_ok(t, seg(40000, 4, 0, "45", 2, 2, T0));
	add_ok(t, seg(40000, 8, 0, "89", 2, 3, T0));
	/* Covers both holes and both held segments, with other bytes. */
	add_ok(t, seg(40000, 2, 0, "23xx67yy", 8, 4, T0));
	assert_int_equal(r->nbytes, 10);
	assert_memory_equal(r->bytes, "0123456789", 10);
	/* Out of order covering a hole and part of a held segment. */
	add_ok(t, seg(40000, 14, 0, "ef", 2, 5, T0));
	add_ok(t, seg(40000, 12, 0, "cdEF", 4, 6, T0));
	add_ok(t, seg(40000, 10, 0, "ab", 2, 7, T0));
	assert_int_equal(r->nbytes, 16);
	assert_memory_equal(r->bytes, "0123456789abcdef", 16);
	sift_tcp_free(t);
	assert_int_equal(r->ngap, 0);
}

static void test_gap_at_flush(void **state)
{
	struct rec *r = *state;
	struct sift_tcp *t = new_tcp(r, 0, 0, 0, 0);

	add_ok(t, seg(40000, 0, 0, "abc", 3, 1, T0));
	add_ok(t, seg(40000, 8, 0, "ijk", 3, 2, T0));
	add_ok(t, seg(40000, 14, 0, "op", 2, 3, T0));
	assert_int_equal(r->nbytes, 3);
	sift_tcp_flush(t);
	assert_int_equal(r->ngap, 2);
	assert_int_equal(r->gap_n[0], 5);
	assert_int_equal(r->gap_frame[0], 2);
	assert_int_equal(r->gap_n[1], 3);
	assert_int_equal(r->gap_frame[1], 3);
	assert_int_equal(r->nbytes, 8);
	assert_memory_equal(r->bytes, "abcijkop", 8);
	assert_int_equal(r->nclose, 1);
	assert_int_equal(r->norder, 6);
	assert_memory_equal(r->order, "dgdgdc", 6);
	assert_int_equal(sift_tcp_stats(t)->gaps, 2);
	assert_int_equal(sift_tcp_stats(t)->gap_bytes, 8);
	assert_int_equal(sift_tcp_active(t), 0);
	sift_tcp_free(t);
	assert_int_equal(r->nclose, 1);
}

static void test_gap_hold_cap(void **state)
{
	struct rec *r = *state;
	struct sift_tcp *t = new_tcp(r, 0, 10, 0, 0);

	add_ok(t, seg(40000, 0, 0, "ab", 2, 1, T0));
	add_ok(t, seg(40000, 7, 0, "hijk", 4, 2, T0));
	add_ok(t, seg(40000, 11, 0, "lmno", 4, 3, T0));
	assert_int_equal(r->ngap, 0);
	assert_int_equal(r->nbytes, 2);
	/* 12 bytes would be held: the hole 2..6 is given up. */
	add_ok(t, seg(40000, 20, 0, "uvwx", 4, 4, T0));
	assert_int_equal(r->ngap, 1);
	assert_int_equal(r->gap_n[0], 5);
	assert_int_equal(r->gap_frame[0], 4);
	assert_int_equal(r->nbytes, 10);
	assert_memory_equal(r->bytes, "abhijklmno", 10);
	/* 15..19 still missing; 20..23 still held. */
	add_ok(t, seg(40000, 15, 0, "pqrst", 5, 5, T0));
	assert_int_equal(r->nbytes, 19);
	assert_memory_equal(r->bytes + 10, "pqrstuvwx", 9);
	assert_int_equal(sift_tcp_stats(t)->gap_bytes, 5);
	sift_tcp_free(t);
	assert_int_equal(r->ngap, 1);
}

/* A single segment larger than the per-stream cap is not held at all. */
static void test_gap_hold_cap_big_segment(void **state)
{
	struct rec *r = *state;
	struct sift_tcp *t = new_tcp(r, 0, 4, 0, 0);

	add_ok(t, seg(40000, 0, 0, "ab", 2, 1, T0));
	add_ok(t, seg(40000, 10, 0, "klmnop", 6, 2, T0));
	assert_int_equal(r->ngap, 1);
	assert_int_equal(r->gap_n[0], 8);
	assert_int_equal(r->nbytes, 8);
	assert_memory_equal(r->bytes, "abklmnop", 8);
	sift_tcp_free(t);
}

static void test_gap_total_cap(void **state)
{
	struct rec *r = *state;
	struct sift_tcp *t = new_tcp(r, 0, 100, 6, 0);

	add_ok(t, seg(40001, 0, 0, "a", 1, 1, T0));
	add_ok(t, seg(40002, 0, 0, "A", 1, 2, T0));
	add_ok(t, seg(40001, 3, 0, "dddd", 4, 3, T0));
	add_ok(t, seg(40002, 5, 0, "FFF", 3, 4, T0 + 1));
	/* 7 held in total: 40001's hole is the oldest and is skipped. */
	assert_int_equal(r->ngap, 1);
	assert_int_equal(r->gap_n[0], 2);
	assert_int_equal(r->nbytes, 6);
	assert_memory_equal(r->bytes, "aAdddd", 6);
	sift_tcp_free(t);
	assert_int_equal(r->ngap, 2);
	assert_int_equal(r->gap_n[1], 4);
}

static void test_gap_timeout(void **state)
{
	struct rec *r = *state;
	struct sift_tcp *t = new_tcp(r, 0, 0, 0, 2 * SIFT_USEC);

	add_ok(t, seg(40000, 0, 0, "ab", 2, 1, T0));
	add_ok(t, seg(40000, 5, 0, "fg", 2, 2, T0 + SIFT_USEC));
	add_ok(t, seg(40000, 9, 0, "jk", 2, 3, T0 + 2 * SIFT_USEC));
	sift_tcp_expire(t, T0 + 3 * SIFT_USEC);
	assert_int_equal(r->ngap, 0);
	/* The hole before "fg" is 2 s + 1 µs old: skipped. The one before
	 * "jk" is younger and waits. */
	sift_tcp_expire(t, T0 + 3 * SIFT_USEC + 1);
	assert_int_equal(r->ngap, 1);
	assert_int_equal(r->gap_n[0], 3);
	assert_int_equal(r->gap_frame[0], 2);
	assert_int_equal(r->nbytes, 4);
	assert_memory_equal(r->bytes, "abfg", 4);
	/* Lazily, from a segment of another direction. */
	add_ok(t, seg(40001, 0, 0, "zz", 2, 4, T0 + 4 * SIFT_USEC + 1));
	assert_int_equal(r->ngap, 2);
	assert_int_equal(r->gap_n[1], 2);
	assert_int_equal(r->gap_frame[1], 3);
	assert_memory_equal(r->bytes, "abfgjk", 6);
	assert_int_equal(sift_tcp_stats(t)->gap_bytes, 5);
	assert_int_equal(sift_tcp_active(t), 2);
	sift_tcp_free(t);
}

static void test_idle_timeout(void **state)
{
	struct rec *r = *state;
	struct sift_tcp_limits lim;
	struct sift_tcp *t;

	sift_tcp_limits_default(&lim);
	lim.idle_timeout = 10 * SIFT_USEC;
	t = sift_tcp_new(&lim, &ops, r);
	assert_non_null(t);
	add_ok(t, seg(40000, 0, 0, "ab", 2, 1, T0));
	add_ok(t, seg(40001, 0, 0, "cd", 2, 2, T0 + 5 * SIFT_USEC));
	sift_tcp_expire(t, T0 + 10 * SIFT_USEC);
	assert_int_equal(r->nclose, 0);
	sift_tcp_expire(t, T0 + 10 * SIFT_USEC + 1);
	assert_int_equal(r->nclose, 1);
	assert_int_equal(r->close_port[0], 40000);
	assert_int_equal(sift_tcp_active(t), 1);
	sift_tcp_free(t);
	assert_int_equal(r->nclose, 2);
}

static void test_wraparound(void **state)
{
	struct rec *r = *state;
	struct sift_tcp *t = new_tcp(r, 0, 0, 0, 0);
	const uint32_t isn = 0xfffffff9u;

	/* Data starts at 0xfffffffa; 6 bytes reach 2^32, the rest wraps. */
	add_ok(t, seg(40000, isn, SIFT_TCP_SYN, NULL, 0, 1, T0));
	add_ok(t, seg(40000, 0xfffffffau, 0, "abcd", 4, 2, T0));
	add_ok(t, seg(40000, 2, 0, "ghij", 4, 3, T0));
	add_ok(t, seg(40000, 0, 0, "EF", 2, 4, T0));
	assert_int_equal(r->nbytes, 4);
	assert_int_equal(sift_tcp_stats(t)->out_of_order, 2);
	/* Fills 0xfffffffe..0xffffffff: everything held follows. */
	add_ok(t, seg(40000, 0xfffffffeu, 0, "ef", 2, 5, T0));
	assert_int_equal(r->nbytes, 12);
	assert_memory_equal(r->bytes, "abcdefEFghij", 12);
	/* Old data from before the wrap is a retransmission, not new. */
	add_ok(t, seg(40000, 0xfffffffcu, 0, "cdef", 4, 6, T0));
	assert_int_equal(sift_tcp_stats(t)->retransmitted, 1);
	assert_int_equal(r->nbytes, 12);
	sift_tcp_free(t);
	assert_int_equal(r->ngap, 0);
}

static void test_syn_fin(void **state)
{
	struct rec *r = *state;
	struct sift_tcp *t = new_tcp(r, 0, 0, 0, 0);

	add_ok(t, seg(40000, 500, SIFT_TCP_SYN, NULL, 0, 1, T0));
	/* A retransmitted SYN is not a new connection. */
	add_ok(t, seg(40000, 500, SIFT_TCP_SYN, NULL, 0, 2, T0));
	assert_int_equal(sift_tcp_stats(t)->streams, 1);
	add_ok(t, seg(40000, 501, SIFT_TCP_ACK, "abc", 3, 3, T0));
	add_ok(t, seg(40000, 504, SIFT_TCP_FIN | SIFT_TCP_ACK, "de", 2, 4, T0));
	assert_int_equal(r->nbytes, 5);
	assert_memory_equal(r->bytes, "abcde", 5);
	assert_int_equal(r->nclose, 1);
	assert_int_equal(sift_tcp_active(t), 0);
	/* Retransmitted data and FIN after the close are old, not a new
	 * stream that would hand the bytes over again. */
	add_ok(t, seg(40000, 504, SIFT_TCP_FIN | SIFT_TCP_ACK, "de", 2, 5, T0));
	add_ok(t, seg(40000, 501, SIFT_TCP_ACK, "abc", 3, 6, T0));
	assert_int_equal(r->nbytes, 5);
	assert_int_equal(sift_tcp_active(t), 0);
	assert_int_equal(sift_tcp_stats(t)->retransmitted, 2);
	/* A new SYN (new ISN) on the same addresses: a new stream. */
	add_ok(t, seg(40000, 9000, SIFT_TCP_SYN, NULL, 0, 7, T0));
	add_ok(t, seg(40000, 9001, 0, "xyz", 3, 8, T0));
	assert_int_equal(sift_tcp_stats(t)->streams, 2);
	assert_int_equal(sift_tcp_active(t), 1);
	assert_int_equal(r->nbytes, 8);
	assert_int_equal(ndirs, 2);
	sift_tcp_free(t);
	assert_int_equal(r->nclose, 2);
}

/* A FIN with a hole before it: what is held is delivered past the hole. */
static void test_fin_skips_hole(void **state)
{
	struct rec *r = *state;
	struct sift_tcp *t = new_tcp(r, 0, 0, 0, 0);

	add_ok(t, seg(40000, 0, 0, "ab", 2, 1, T0));
	add_ok(t, seg(40000, 6, SIFT_TCP_FIN, "gh", 2, 2, T0));
	assert_int_equal(r->ngap, 1);
	assert_int_equal(r->gap_n[0], 4);
	assert_int_equal(r->gap_frame[0], 2);
	assert_memory_equal(r->bytes, "abgh", 4);
	assert_int_equal(r->nclose, 1);
	/* The missing segment arriving late is old news. */
	add_ok(t, seg(40000, 2, 0, "cdef", 4, 3, T0));
	assert_int_equal(r->nbytes, 4);
	assert_int_equal(sift_tcp_active(t), 0);
	sift_tcp_free(t);
	assert_int_equal(r->nclose, 1);
}

static void test_rst(void **state)
{
	struct rec *r = *state;
	struct sift_tcp *t = new_tcp(r, 0, 0, 0, 0);

	add_ok(t, seg(40000, 0, 0, "ab", 2, 1, T0));
	add_ok(t, seg(40000, 4, 0, "ef", 2, 2, T0));
	/* RFC 9293 §3.5.3: a RST's payload is a diagnostic, not data. */
	add_ok(t, seg(40000, 2, SIFT_TCP_RST, "!!", 2, 3, T0));
	assert_int_equal(r->nbytes, 4);
	assert_memory_equal(r->bytes, "abef", 4);
	assert_int_equal(r->ngap, 1);
	assert_int_equal(r->nclose, 1);
	assert_int_equal(sift_tcp_active(t), 0);
	/* A RST for a direction never seen opens nothing. */
	add_ok(t, seg(40009, 0, SIFT_TCP_RST, NULL, 0, 4, T0));
	assert_int_equal(sift_tcp_stats(t)->streams, 1);
	sift_tcp_free(t);
	assert_int_equal(r->nclose, 1);
}

static void test_new_isn_closes_old(void **state)
{
	struct rec *r = *state;
	struct sift_tcp *t = new_tcp(r, 0, 0, 0, 0);

	add_ok(t, seg(40000, 100, SIFT_TCP_SYN, NULL, 0, 1, T0));
	add_ok(t, seg(40000, 101, 0, "ab", 2, 2, T0));
	add_ok(t, seg(40000, 105, 0, "ef", 2, 3, T0));
	add_ok(t, seg(40000, 7000, SIFT_TCP_SYN, NULL, 0, 4, T0));
	/* The old stream was finished: its held bytes past the hole, then
	 * close; the new one starts afresh. */
	assert_memory_equal(r->order, "dgdc", 4);
	assert_int_equal(r->nclose, 1);
	assert_int_equal(sift_tcp_stats(t)->streams, 2);
	add_ok(t, seg(40000, 7001, 0, "new", 3, 5, T0));
	assert_int_equal(r->nbytes, 7);
	assert_memory_equal(r->bytes, "abefnew", 7);
	assert_int_equal(ndirs, 2);
	sift_tcp_free(t);
	assert_int_equal(r->nclose, 2);
}

static void test_refuse(void **state)
{
	struct rec *r = *state;
	struct sift_tcp *t = new_tcp(r, 0, 0, 0, 0);

	r->refuse = true;
	add_ok(t, seg(40000, 0, 0, "HTTP", 4, 1, T0));
	assert_int_equal(r->ndata, 1);
	add_ok(t, seg(40000, 8, 0, "held", 4, 2, T0));
	add_ok(t, seg(40000, 4, 0, "/1.1", 4, 3, T0));
	add_ok(t, seg(40000, 12, 0, "more", 4, 4, T0));
	sift_tcp_expire(t, T0 + 100 * SIFT_USEC);
	/* Asked once; tracked, so never asked again and never told of gaps. */
	assert_int_equal(r->ndata, 1);
	assert_int_equal(r->ngap, 0);
	assert_int_equal(sift_tcp_active(t), 1);
	assert_int_equal(sift_tcp_stats(t)->streams, 1);
	add_ok(t, seg(40000, 16, SIFT_TCP_FIN, NULL, 0, 5, T0 + 100 * SIFT_USEC));
	assert_int_equal(r->nclose, 1);
	assert_int_equal(sift_tcp_active(t), 0);
	sift_tcp_free(t);
	assert_int_equal(r->ndata, 1);
	assert_int_equal(r->nclose, 1);
}

/* Refusing while held bytes are being delivered stops the delivery. */
static void test_refuse_mid_drain(void **state)
{
	struct rec *r = *state;
	struct sift_tcp *t = new_tcp(r, 0, 0, 0, 0);

	add_ok(t, seg(40000, 0, 0, "ab", 2, 1, T0));
	add_ok(t, seg(40000, 4, 0, "ef", 2, 2, T0));
	add_ok(t, seg(40000, 6, 0, "gh", 2, 3, T0));
	r->refuse = true;
	add_ok(t, seg(40000, 2, 0, "cd", 2, 4, T0));
	assert_int_equal(r->ndata, 2);
	assert_memory_equal(r->bytes, "abcd", 4);
	sift_tcp_flush(t);
	assert_int_equal(r->ndata, 2);
	assert_int_equal(r->ngap, 0);
	assert_int_equal(r->nclose, 1);
	sift_tcp_free(t);
}

static void test_stream_cap(void **state)
{
	struct rec *r = *state;
	struct sift_tcp *t = new_tcp(r, 2, 0, 0, 0);

	add_ok(t, seg(40001, 0, 0, "a", 1, 1, T0));
	add_ok(t, seg(40002, 0, 0, "b", 1, 2, T0));
	add_ok(t, seg(40001, 1, 0, "c", 1, 3, T0));
	/* 40002 is the least recently used: it goes, with close(). */
	add_ok(t, seg(40003, 0, 0, "d", 1, 4, T0));
	assert_int_equal(r->nclose, 1);
	assert_int_equal(r->close_port[0], 40002);
	assert_int_equal(sift_tcp_active(t), 2);
	assert_int_equal(sift_tcp_stats(t)->dropped_limit, 1);
	assert_int_equal(sift_tcp_stats(t)->evicted, 1);
	assert_int_equal(sift_tcp_stats(t)->streams, 3);
	sift_tcp_free(t);
	assert_int_equal(r->nclose, 3);
}

/* Closed (lingering) directions are evicted before live ones, silently. */
static void test_stream_cap_prefers_closed(void **state)
{
	struct rec *r = *state;
	struct sift_tcp *t = new_tcp(r, 2, 0, 0, 0);

	add_ok(t, seg(40001, 0, 0, "a", 1, 1, T0));
	add_ok(t, seg(40002, 0, SIFT_TCP_FIN, "b", 1, 2, T0));
	assert_int_equal(r->nclose, 1);
	add_ok(t, seg(40003, 0, 0, "c", 1, 3, T0));
	assert_int_equal(r->nclose, 1);
	assert_int_equal(sift_tcp_active(t), 2);
	assert_int_equal(sift_tcp_stats(t)->dropped_limit, 0);
	sift_tcp_free(t);
	assert_int_equal(r->nclose, 3);
}

static void test_mid_stream(void **state)
{
	struct rec *r = *state;
	struct sift_tcp *t = new_tcp(r, 0, 0, 0, 0);
	static const char m[] = "SIP/2.0 200 OK\r\n";

	/* A pure ACK of an unseen direction is not tracked. */
	add_ok(t, seg(40000, 77, SIFT_TCP_ACK, NULL, 0, 1, T0));
	assert_int_equal(sift_tcp_active(t), 0);
	add_ok(t, seg(40000, 123456789, SIFT_TCP_ACK, m, 16, 2, T0));
	assert_int_equal(r->ndata, 1);
	assert_ptr_equal(r->data_p[0], (const uint8_t *)m);
	add_ok(t, seg(40000, 123456789 + 16, SIFT_TCP_ACK, "\r\n", 2, 3, T0));
	assert_int_equal(r->nbytes, 18);
	assert_int_equal(sift_tcp_stats(t)->streams, 1);
	sift_tcp_free(t);
}

static void test_bad_args(void **state)
{
	struct rec *r = *state;
	struct sift_tcp *t = new_tcp(r, 0, 0, 0, 0);
	struct sift_tcp_segment s = seg(40000, 0, 0, NULL, 4, 1, T0);
	struct sift_tcp_ops no_data = { 0 };

	assert_int_equal(sift_tcp_add(t, &s), SIFT_EINVAL);
	s = seg(40000, 0, 0, "ab", 2, 1, T0);
	s.src.family = 0;
	assert_int_equal(sift_tcp_add(t, &s), SIFT_EINVAL);
	assert_int_equal(sift_tcp_active(t), 0);
	assert_null(sift_tcp_new(NULL, &no_data, r));
	sift_tcp_free(t);
	sift_tcp_free(NULL);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_in_order_no_copy),
		T(test_out_of_order_three),
		T(test_retransmission),
		T(test_overlap_partly_new),
		T(test_overlap_with_held),
		T(test_gap_at_flush),
		T(test_gap_hold_cap),
		T(test_gap_hold_cap_big_segment),
		T(test_gap_total_cap),
		T(test_gap_timeout),
		T(test_idle_timeout),
		T(test_wraparound),
		T(test_syn_fin),
		T(test_fin_skips_hole),
		T(test_rst),
		T(test_new_isn_closes_old),
		T(test_refuse),
		T(test_refuse_mid_drain),
		T(test_stream_cap),
		T(test_stream_cap_prefers_closed),
		T(test_mid_stream),
		T(test_bad_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
