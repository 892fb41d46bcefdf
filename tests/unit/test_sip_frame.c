/* Unit tests for SIP framing (src/sip_frame.c): start lines, datagrams,
 * Content-Length, and the byte-stream framer with its resynchronisation and
 * stream classification. */
#include "testutil.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip/sip_frame.h"

#define MAX_EMITS 16

static const char M1[] =
	"INVITE sip:bob@example.com SIP/2.0\r\n"
	"Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK1\r\n"
	"Call-ID: one@example.com\r\n"
	"CSeq: 1 INVITE\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 10\r\n"
	"\r\n"
	"v=0\r\no=x\r\n";

static const char M2[] =
	"SIP/2.0 200 OK\r\n"
	"Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK1\r\n"
	"Call-ID: one@example.com\r\n"
	"CSeq: 1 INVITE\r\n"
	"l: 0\r\n"
	"\r\n";

/* What the framer emitted. */
struct rec {
	unsigned n;
	size_t len[MAX_EMITS];
	uint8_t *msg[MAX_EMITS];
	uint64_t frame[MAX_EMITS];
	/* Messages given up (sift_sip_stream_set_drop). */
	unsigned ndrop;
	enum sift_sip_drop_why why[MAX_EMITS];
	uint64_t claimed[MAX_EMITS];
	bool has_call_id[MAX_EMITS];
	uint64_t drop_first[MAX_EMITS];
	uint64_t drop_where[MAX_EMITS];
};

static void on_drop(void *ctx, const struct sift_sip_drop *d)
{
	struct rec *r = ctx;

	assert_true(r->ndrop < MAX_EMITS);
	r->why[r->ndrop] = d->why;
	r->claimed[r->ndrop] = d->claimed;
	r->has_call_id[r->ndrop] = d->head && d->head_len &&
		memmem(d->head, d->head_len, "Call-ID: big@", 13) != NULL;
	r->drop_first[r->ndrop] = d->first.frame;
	r->drop_where[r->ndrop] = d->where.frame;
	r->ndrop++;
}

static void on_emit(void *ctx, const uint8_t *msg, size_t len,
		    const struct sift_where *where)
{
	struct rec *r = ctx;

	assert_true(r->n < MAX_EMITS);
	r->msg[r->n] = malloc(len ? len : 1);
	assert_non_null(r->msg[r->n]);
	memcpy(r->msg[r->n], msg, len);
	r->len[r->n] = len;
	r->frame[r->n] = where->frame;
	r->n++;
}

static void rec_free(struct rec *r)
{
	for (unsigned i = 0; i < r->n; i++)
		free(r->msg[i]);
	memset(r, 0, sizeof(*r));
}

static void check_emit(const struct rec *r, unsigned i, const char *msg,
		       uint64_t frame)
{
	assert_true(i < r->n);
	assert_int_equal(r->len[i], strlen(msg));
	assert_memory_equal(r->msg[i], msg, strlen(msg));
	assert_int_equal(r->frame[i], frame);
}

static enum sift_stream_kind feed(struct sift_sip_stream *s, const void *p,
				  size_t n, uint64_t frame, struct rec *r)
{
	struct sift_where w = { 0, frame, (sift_time)frame * 1000 };

	return sift_sip_stream_feed(s, p, n, &w, on_emit, r);
}

static enum sift_stream_kind feeds(struct sift_sip_stream *s, const char *p,
				   uint64_t frame, struct rec *r)
{
	return feed(s, p, strlen(p), frame, r);
}

static struct sift_sip_stream *stream_new(void)
{
	struct sift_sip_stream *s = sift_sip_stream_new();

	assert_non_null(s);
	sift_sip_stream_set_drop(s, on_drop);
	return s;
}

static bool start_line(const char *s)
{
	return sift_sip_is_start_line((const uint8_t *)s, strlen(s));
}

static void test_start_line_requests(void **state)
{
	char longm[100];

	(void)state;
	assert_true(start_line("INVITE sip:bob@example.com SIP/2.0\r\n"));
	assert_true(start_line("REGISTER sips:example.com SIP/2.0\r\nVia: x\r\n"));
	assert_true(start_line("ACK sip:bob@192.0.2.4:5060;transport=tcp SIP/2.0\r\n"));
	assert_true(start_line("MESSAGE tel:+15551234 SIP/2.0\r\n"));
	/* Extension methods are any token (RFC 3261 §25.1). */
	assert_true(start_line("NEWMETHOD sip:x@example.com SIP/2.0\r\n"));
	assert_true(start_line("X.foo-bar!%*_+`'~ sip:x SIP/2.0\r\n"));
	/* A bare LF ends the line too. */
	assert_true(start_line("OPTIONS sip:x SIP/2.0\n"));
	/* A later version passes here so the linter can report it. */
	assert_true(start_line("INVITE sip:x SIP/7.0\r\n"));

	assert_false(start_line("INVITE sip:x SIP/2.0 extra\r\n"));
	assert_false(start_line("INVITE sip:x\r\n"));
	assert_false(start_line("INVITE  SIP/2.0\r\n"));
	assert_false(start_line("INVITE\r\n"));
	assert_false(start_line("INV(TE sip:x SIP/2.0\r\n"));
	assert_false(start_line("GET / HTTP/1.1\r\n"));
	assert_false(start_line("INVITE sip:x HTTP/2.0\r\n"));
	/* A method token of 65 characters is no method. */
	memset(longm, 'A', 65);
	strcpy(longm + 65, " sip:x SIP/2.0\r\n");
	assert_false(start_line(longm));
	memset(longm, 'A', 64);
	strcpy(longm + 64, " sip:x SIP/2.0\r\n");
	assert_true(start_line(longm));
}

static void test_start_line_responses(void **state)
{
	(void)state;
	assert_true(start_line("SIP/2.0 200 OK\r\n"));
	assert_true(start_line("SIP/2.0 180 Ringing\r\nVia: x\r\n"));
	assert_true(start_line("SIP/2.0 486 Busy Here\n"));
	/* Empty reason phrase (RFC 3261 §25.1: Reason-Phrase may be empty). */
	assert_true(start_line("SIP/2.0 183 \r\n"));
	assert_true(start_line("SIP/7.0 200 OK\r\n"));

	assert_false(start_line("SIP/2.0 20 OK\r\n"));
	assert_false(start_line("SIP/2.0 2000 OK\r\n"));
	assert_false(start_line("SIP/2.0 2x0 OK\r\n"));
	assert_false(start_line("SIP/2.0200 OK\r\n"));
	assert_false(start_line("SIP/x.0 200 OK\r\n"));
	assert_false(start_line("HTTP/1.1 200 OK\r\n"));
}

static void test_start_line_garbage(void **state)
{
	static const uint8_t rtp[] = { 0x80, 0x00, 0x12, 0x34, 0x00, 0x00,
				       0x00, 0xa0, 0xde, 0xad, 0xbe, 0xef,
				       '\r', '\n' };
	const char *full = "INVITE sip:x SIP/2.0\r\n";

	(void)state;
	assert_false(sift_sip_is_start_line(rtp, sizeof(rtp)));
	assert_false(start_line(""));
	assert_false(start_line("\r\n"));
	assert_false(start_line("hello world\r\n"));
	/* Missing line end: not (yet) a start line. */
	assert_false(start_line("INVITE sip:x SIP/2.0"));
	assert_false(start_line("SIP/2.0 200 OK"));
	/* The line end lies beyond n (a CR alone ends nothing). */
	assert_false(sift_sip_is_start_line((const uint8_t *)full,
					    strlen(full) - 2));
	assert_false(sift_sip_is_start_line((const uint8_t *)full,
					    strlen(full) - 1));
	assert_true(sift_sip_is_start_line((const uint8_t *)full,
					   strlen(full)));
	/* Leading blanks. */
	assert_false(start_line(" INVITE sip:x SIP/2.0\r\n"));
	assert_false(start_line("\tSIP/2.0 200 OK\r\n"));
	assert_false(start_line(" SIP/2.0 200 OK\r\n"));
	/* A header line that mentions SIP/2.0. */
	assert_false(start_line("Via: SIP/2.0/UDP 192.0.2.1\r\n"));
	/* NUL inside. */
	assert_false(sift_sip_is_start_line((const uint8_t *)"INV\0TE sip:x SIP/2.0\r\n", 23));
}

static enum sift_sip_kind dgram(const void *p, size_t n, size_t *start)
{
	*start = 12345;
	return sift_sip_datagram(p, n, start);
}

static void test_datagram(void **state)
{
	static const uint8_t rtp[] = { 0x80, 0x08, 0x00, 0x01, 0, 0, 0, 160,
				       1, 2, 3, 4, 0xd5, 0xd5, 0xd5, 0xd5 };
	static const uint8_t stun[] = { 0x00, 0x01, 0x00, 0x00, 0x21, 0x12,
					0xa4, 0x42 };
	char buf[256];
	size_t start;

	(void)state;
	assert_int_equal(dgram(rtp, sizeof(rtp), &start), SIFT_SIP_NO);
	assert_int_equal(dgram(stun, sizeof(stun), &start), SIFT_SIP_NO);
	assert_int_equal(dgram("", 0, &start), SIFT_SIP_NO);
	assert_int_equal(dgram("hello", 5, &start), SIFT_SIP_NO);
	assert_int_equal(dgram("\r\n\r\n", 4, &start), SIFT_SIP_KEEPALIVE);
	assert_int_equal(dgram("\r\n", 2, &start), SIFT_SIP_KEEPALIVE);
	assert_int_equal(dgram("\n", 1, &start), SIFT_SIP_KEEPALIVE);
	assert_int_equal(dgram("\r\nhello\r\n", 9, &start), SIFT_SIP_NO);

	assert_int_equal(dgram(M2, strlen(M2), &start), SIFT_SIP_YES);
	assert_int_equal(start, 0);
	snprintf(buf, sizeof(buf), "\r\n\r\n%s", M2);
	assert_int_equal(dgram(buf, strlen(buf), &start), SIFT_SIP_YES);
	assert_int_equal(start, 4);
	snprintf(buf, sizeof(buf), "\n%s", M2);
	assert_int_equal(dgram(buf, strlen(buf), &start), SIFT_SIP_YES);
	assert_int_equal(start, 1);
	/* SIP/2.0 somewhere, no start line first. */
	assert_int_equal(dgram("junk junk\r\nSIP/2.0 200 OK\r\n\r\n", 29, &start),
			 SIFT_SIP_NO);
}

static bool maybe(const char *s)
{
	return sift_sip_maybe_start((const uint8_t *)s, strlen(s));
}

static void test_maybe_start(void **state)
{
	(void)state;
	assert_true(maybe("SIP/2.0 "));
	assert_true(maybe("SIP/2.0 200 O"));
	assert_true(maybe("INVITE sip:"));
	assert_true(maybe("INVITE sip:bob@exam"));
	assert_true(maybe("REGISTER sips:"));
	assert_true(maybe("MESSAGE tel:+1"));
	assert_true(maybe("FOO sip:x"));

	assert_false(maybe(""));
	assert_false(maybe("SIP/2.0"));
	assert_false(maybe("INVITE"));
	assert_false(maybe("INVITE "));
	assert_false(maybe("INVITE si"));
	assert_false(maybe("INVITE http://x"));
	assert_false(maybe("GET / HTTP/1.1"));
	assert_false(maybe(" INVITE sip:"));
	assert_false(maybe("hello"));
}

static bool clen(const char *s, size_t *v)
{
	*v = 424242;
	return sift_sip_content_length((const uint8_t *)s, strlen(s), v);
}

static void test_content_length(void **state)
{
	size_t v;

	(void)state;
	assert_true(clen("Content-Length: 123\r\n", &v));
	assert_int_equal(v, 123);
	assert_true(clen("INVITE sip:a SIP/2.0\r\nVia: x\r\nContent-Length: 3\r\n\r\n", &v));
	assert_int_equal(v, 3);
	assert_true(clen("l: 5\r\n", &v));
	assert_int_equal(v, 5);
	assert_true(clen("L:6\r\n", &v));
	assert_int_equal(v, 6);
	assert_true(clen("CONTENT-LENGTH: 7\r\n", &v));
	assert_int_equal(v, 7);
	assert_true(clen("content-length:8\n", &v));
	assert_int_equal(v, 8);
	assert_true(clen("Content-Length : 9\r\n", &v));
	assert_int_equal(v, 9);
	assert_true(clen("Content-Length\t:\t 11 \t\r\n", &v));
	assert_int_equal(v, 11);
	assert_true(clen("Content-Length: 0\r\n", &v));
	assert_int_equal(v, 0);
	assert_true(clen("X-Content-Length: 5\r\nContent-Length: 6\r\n", &v));
	assert_int_equal(v, 6);
	assert_true(clen("Content-Length: 999999999\r\n", &v));
	assert_int_equal(v, 999999999);
	/* Last line without a line end. */
	assert_true(clen("Via: x\r\nl: 12", &v));
	assert_int_equal(v, 12);

	assert_false(clen("Via: x\r\nCall-ID: y\r\n\r\n", &v));
	assert_int_equal(v, 0);
	assert_false(clen("", &v));
	assert_int_equal(v, 0);
	assert_false(clen("Content-Length: abc\r\n", &v));
	assert_int_equal(v, 0);
	assert_false(clen("Content-Length: 12a\r\n", &v));
	assert_int_equal(v, 0);
	assert_false(clen("Content-Length: -1\r\n", &v));
	assert_int_equal(v, 0);
	assert_false(clen("Content-Length: \r\n", &v));
	assert_int_equal(v, 0);
	assert_false(clen("Content-Length: 1 2\r\n", &v));
	assert_int_equal(v, 0);
	assert_false(clen("Content-Length: 1000000000\r\n", &v));
	assert_int_equal(v, 0);
	assert_false(clen("Content-Length: 99999999999999999999999\r\n", &v));
	assert_int_equal(v, 0);
	assert_false(clen("Length: 5\r\n", &v));
	assert_false(clen("Content-Lengthy: 5\r\n", &v));
	assert_false(clen("ll: 5\r\n", &v));

	/* Only a line's first letter is looked at first: a folded value
	 * still counts, a continuation line is no header, and nothing
	 * after the empty line is. */
	assert_true(clen("Via: x\r\nContent-Length:\r\n 13\r\n\r\n", &v));
	assert_int_equal(v, 13);
	assert_true(clen("Subject: a\r\n l: 5\r\nl: 14\r\n\r\n", &v));
	assert_int_equal(v, 14);
	assert_false(clen("Subject: a\r\n\tContent-Length: 5\r\n\r\n", &v));
	assert_false(clen("Via: x\r\n\r\nContent-Length: 5\r\n", &v));
	assert_false(clen("Via: x\n\nl: 5\n", &v));
	assert_true(clen("Call-ID: c\r\nCSeq: 1 A\r\nContact: <sip:a>\r\n"
			 "content-length: 15\r\n\r\n", &v));
	assert_int_equal(v, 15);
	assert_true(clen("Contact: <sip:a>\r\n ;x=y\r\nL : 16\r\n", &v));
	assert_int_equal(v, 16);
}

static void test_stream_two_in_one(void **state)
{
	struct sift_sip_stream *s = stream_new();
	struct rec r = { 0 };
	char buf[1024];

	(void)state;
	snprintf(buf, sizeof(buf), "%s%s", M1, M2);
	assert_int_equal(feeds(s, buf, 7, &r), SIFT_STREAM_SIP);
	assert_int_equal(r.n, 2);
	check_emit(&r, 0, M1, 7);
	check_emit(&r, 1, M2, 7);
	assert_int_equal(sift_sip_stream_stats(s)->messages, 2);
	assert_int_equal(sift_sip_stream_stats(s)->resyncs, 0);
	assert_int_equal(sift_sip_stream_stats(s)->skipped_bytes, 0);
	assert_int_equal(sift_sip_stream_stats(s)->no_length, 0);
	rec_free(&r);
	sift_sip_stream_free(s);
}

static void test_stream_byte_by_byte(void **state)
{
	struct sift_sip_stream *s = stream_new();
	struct rec r = { 0 };
	size_t n = strlen(M1);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		feed(s, M1 + i, 1, i + 1, &r);
		assert_int_equal(r.n, i + 1 == n ? 1 : 0);
	}
	check_emit(&r, 0, M1, n);
	assert_int_equal(sift_sip_stream_stats(s)->messages, 1);
	assert_int_equal(sift_sip_stream_stats(s)->skipped_bytes, 0);
	rec_free(&r);
	sift_sip_stream_free(s);
}

/* Two messages cut into two feeds at every possible point. */
/* m1 then m2 on one stream, cut in two at every place: both framed
 * whole, each where its last byte came, nothing skipped. */
static void every_split(const char *m1, const char *m2)
{
	char buf[1024];
	size_t n, n1 = strlen(m1);

	snprintf(buf, sizeof(buf), "%s%s", m1, m2);
	n = strlen(buf);
	for (size_t k = 0; k <= n; k++) {
		struct sift_sip_stream *s = stream_new();
		struct rec r = { 0 };

		feed(s, buf, k, 1, &r);
		feed(s, buf + k, n - k, 2, &r);
		if (r.n != 2)
			fail_msg("%.20s... + %.20s... split at %zu: %u messages",
				 m1, m2, k, r.n);
		check_emit(&r, 0, m1, k >= n1 ? 1 : 2);
		check_emit(&r, 1, m2, k == n ? 1 : 2);
		assert_int_equal(sift_sip_stream_stats(s)->skipped_bytes, 0);
		assert_int_equal(sift_sip_stream_stats(s)->resyncs, 0);
		rec_free(&r);
		sift_sip_stream_free(s);
	}
}

static void test_stream_every_split(void **state)
{
	(void)state;
	every_split(M1, M2);
}

/* The framer finds the end of the headers and the Content-Length in one
 * walk over the lines (head_scan): wherever the header is (first, last,
 * folded, compact, after a look-alike, after a continuation line that
 * looks like it), with CRLF or bare LF lines, each message is framed
 * whole, at every split, and sift_sip_segment_whole takes it alone. */
static void test_stream_length_anywhere(void **state)
{
	static const char *const msgs[] = {
		"BYE sip:a SIP/2.0\r\nContent-Length: 3\r\nVia: x\r\n\r\nabc",
		"BYE sip:a SIP/2.0\r\nVia: x\r\nl:4\r\n\r\nabcd",
		"BYE sip:a SIP/2.0\r\nX-Content-Length: 9\r\nL : 2\r\n\r\nab",
		"BYE sip:a SIP/2.0\r\nContent-Length:\r\n 5\r\n\r\nabcde",
		"BYE sip:a SIP/2.0\r\nSubject: x\r\n l: 7\r\nl: 1\r\n\r\na",
		"BYE sip:a SIP/2.0\nVia: x\ncontent-length: 2\n\nab",
		"BYE sip:a SIP/2.0\r\nVia: x\r\n\r\n",
		"SIP/2.0 200 OK\r\nContent-Lengthy: 5\r\nContent-Length: 0\r\n\r\n",
	};
	const size_t nm = sizeof(msgs) / sizeof(msgs[0]), no_length = 6;

	(void)state;
	assert_null(strstr(msgs[no_length], "ength"));
	for (size_t a = 0; a < nm; a++) {
		size_t na = strlen(msgs[a]);

		/* A segment without Content-Length is never taken whole; one
		 * byte short of its body or its empty line, none is. */
		assert_int_equal(sift_sip_segment_whole((const uint8_t *)msgs[a], na),
				 a != no_length);
		assert_false(sift_sip_segment_whole((const uint8_t *)msgs[a], na - 1));
		every_split(msgs[a], msgs[(a + 1) % nm]);
	}
}

static void test_stream_body_split(void **state)
{
	struct sift_sip_stream *s = stream_new();
	struct rec r = { 0 };
	size_t n = strlen(M1);

	(void)state;
	/* Headers and 3 body bytes, then the rest of the body. */
	feed(s, M1, n - 7, 1, &r);
	assert_int_equal(r.n, 0);
	feed(s, M1 + n - 7, 7, 2, &r);
	assert_int_equal(r.n, 1);
	check_emit(&r, 0, M1, 2);
	rec_free(&r);
	sift_sip_stream_free(s);
}

static void test_stream_keepalives(void **state)
{
	struct sift_sip_stream *s = stream_new();
	struct rec r = { 0 };
	char buf[1024];

	(void)state;
	/* A ping (CRLFCRLF) as its own segment between messages. */
	feeds(s, M1, 1, &r);
	feeds(s, "\r\n\r\n", 2, &r);
	feeds(s, M2, 3, &r);
	assert_int_equal(r.n, 2);
	check_emit(&r, 1, M2, 3);
	assert_int_equal(sift_sip_stream_stats(s)->keepalives, 1);
	/* ... and inside one segment with messages around it. */
	snprintf(buf, sizeof(buf), "%s\r\n\r\n%s", M2, M1);
	feeds(s, buf, 4, &r);
	assert_int_equal(r.n, 4);
	check_emit(&r, 2, M2, 4);
	check_emit(&r, 3, M1, 4);
	assert_int_equal(sift_sip_stream_stats(s)->keepalives, 2);
	/* A pong (CRLF) alone. */
	feeds(s, "\r\n", 5, &r);
	assert_int_equal(sift_sip_stream_stats(s)->keepalives, 3);
	assert_int_equal(sift_sip_stream_stats(s)->messages, 4);
	assert_int_equal(sift_sip_stream_stats(s)->skipped_bytes, 0);
	rec_free(&r);
	sift_sip_stream_free(s);
}

static void test_stream_no_content_length(void **state)
{
	static const char nolen[] =
		"OPTIONS sip:x@example.com SIP/2.0\r\n"
		"Call-ID: two@example.com\r\n"
		"CSeq: 2 OPTIONS\r\n"
		"\r\n";
	struct sift_sip_stream *s = stream_new();
	struct rec r = { 0 };
	char buf[1024];

	(void)state;
	snprintf(buf, sizeof(buf), "%s%s", nolen, M2);
	feeds(s, buf, 1, &r);
	assert_int_equal(r.n, 2);
	check_emit(&r, 0, nolen, 1);
	check_emit(&r, 1, M2, 1);
	assert_int_equal(sift_sip_stream_stats(s)->no_length, 1);
	rec_free(&r);
	sift_sip_stream_free(s);
}

/* Bytes lost in the middle of a message: the rest of it is skipped and
 * framing starts again at the next start line. */
static void test_stream_gap_resync(void **state)
{
	struct sift_sip_stream *s = stream_new();
	const struct sift_sip_stream_stats *st = sift_sip_stream_stats(s);
	struct rec r = { 0 };
	size_t n1 = strlen(M1);
	char buf[1024];

	(void)state;
	feed(s, M1, 40, 1, &r);
	sift_sip_stream_gap(s);
	assert_int_equal(st->resyncs, 1);
	/* The tail of the lost message (no start line in it), then M2. */
	snprintf(buf, sizeof(buf), "%s%s", M1 + 60, M2);
	feeds(s, buf, 2, &r);
	assert_int_equal(r.n, 1);
	check_emit(&r, 0, M2, 2);
	assert_int_equal(st->resyncs, 1);
	assert_int_equal(st->skipped_bytes, 40 + (n1 - 60));
	assert_int_equal(st->messages, 1);
	/* Back in step: M1 frames normally. */
	feeds(s, M1, 3, &r);
	assert_int_equal(r.n, 2);
	check_emit(&r, 1, M1, 3);
	assert_int_equal(st->skipped_bytes, 40 + (n1 - 60));
	rec_free(&r);
	sift_sip_stream_free(s);
}

/* The tail after a gap arrives in small pieces before the next start
 * line: nothing is emitted from them, and the next message is found. */
static void test_stream_gap_small_pieces(void **state)
{
	struct sift_sip_stream *s = stream_new();
	struct rec r = { 0 };
	size_t n1 = strlen(M1);

	(void)state;
	feeds(s, "INVITE sip:x SIP/2.0\r\nVia: SIP/2.0/TCP h\r\n", 1, &r);
	sift_sip_stream_gap(s);
	for (size_t i = 50; i < n1; i += 5)
		feed(s, M1 + i, n1 - i < 5 ? n1 - i : 5, 2, &r);
	assert_int_equal(r.n, 0);
	feeds(s, M2, 3, &r);
	assert_int_equal(r.n, 1);
	check_emit(&r, 0, M2, 3);
	rec_free(&r);
	sift_sip_stream_free(s);
}

/* Capture started in the middle of a message. */
static void test_stream_garbage_prefix(void **state)
{
	static const char tail[] = "ength: 10\r\n\r\nv=0\r\no=x\r\n";
	struct sift_sip_stream *s = stream_new();
	struct rec r = { 0 };
	char buf[1024];

	(void)state;
	snprintf(buf, sizeof(buf), "%s%s", tail, M1);
	assert_int_equal(feeds(s, buf, 1, &r), SIFT_STREAM_SIP);
	assert_int_equal(r.n, 1);
	check_emit(&r, 0, M1, 1);
	assert_int_equal(sift_sip_stream_stats(s)->skipped_bytes, strlen(tail));
	assert_int_equal(sift_sip_stream_stats(s)->resyncs, 1);
	rec_free(&r);
	sift_sip_stream_free(s);
}

static void test_stream_tls(void **state)
{
	static const uint8_t hello[] = {
		0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03,
		0x03, 0x5e, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e, 0x6f, 0x70, 0x81,
	};
	struct sift_sip_stream *s = stream_new();
	struct rec r = { 0 };

	(void)state;
	assert_int_equal(feed(s, hello, sizeof(hello), 1, &r), SIFT_STREAM_TLS);
	/* Once TLS, always TLS: later bytes are not looked at. */
	assert_int_equal(feeds(s, M1, 2, &r), SIFT_STREAM_TLS);
	assert_int_equal(r.n, 0);
	assert_int_equal(sift_sip_stream_stats(s)->messages, 0);
	sift_sip_stream_free(s);

	/* The record header arriving one byte at a time. */
	s = stream_new();
	assert_int_equal(feed(s, hello, 1, 1, &r), SIFT_STREAM_UNKNOWN);
	assert_int_equal(feed(s, hello + 1, 1, 2, &r), SIFT_STREAM_UNKNOWN);
	assert_int_equal(feed(s, hello + 2, sizeof(hello) - 2, 3, &r),
			 SIFT_STREAM_TLS);
	assert_int_equal(r.n, 0);
	sift_sip_stream_free(s);
}

static const char WS_UPGRADE[] =
	"GET / HTTP/1.1\r\n"
	"Host: sip.example.com\r\n"
	"Upgrade: websocket\r\n"
	"Connection: Upgrade\r\n"
	"Sec-WebSocket-Protocol: sip\r\n"
	"Sec-WebSocket-Version: 13\r\n"
	"\r\n";

static void test_stream_websocket(void **state)
{
	static const char http[] =
		"GET /index.html HTTP/1.1\r\n"
		"Host: www.example.com\r\n"
		"\r\n";
	struct sift_sip_stream *s = stream_new();
	struct rec r = { 0 };

	(void)state;
	assert_int_equal(feeds(s, WS_UPGRADE, 1, &r), SIFT_STREAM_WS);
	assert_int_equal(r.n, 0);
	sift_sip_stream_free(s);

	/* Plain HTTP is something else. */
	s = stream_new();
	assert_int_equal(feeds(s, http, 1, &r), SIFT_STREAM_OTHER);
	assert_int_equal(feeds(s, M1, 2, &r), SIFT_STREAM_OTHER);
	assert_int_equal(r.n, 0);
	sift_sip_stream_free(s);
}

/* BUG: an HTTP upgrade whose header block spans two segments is never
 * classified: the first piece has a complete line but no start line, so
 * the framer enters resync, and classify() is only tried when not in
 * resync. The stream stays UNKNOWN and ends as OTHER. */
static void test_stream_websocket_split(void **state)
{
	struct sift_sip_stream *s;
	struct rec r = { 0 };

	(void)state;
	s = stream_new();
	assert_int_equal(feed(s, WS_UPGRADE, 30, 1, &r), SIFT_STREAM_UNKNOWN);
	assert_int_equal(feed(s, WS_UPGRADE + 30, strlen(WS_UPGRADE) - 30, 2,
			      &r), SIFT_STREAM_WS);
	sift_sip_stream_free(s);
}

/* Bytes that look like nothing (no TLS, no HTTP, no start line). */
static void fill_binary(uint8_t *b, size_t n)
{
	uint32_t x = 0x12345678;

	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		b[i] = (uint8_t)(x >> 16);
	}
	b[0] = 0x80;
}

static void test_stream_binary_other(void **state)
{
	size_t n = 70 * 1024;
	uint8_t *b = malloc(n);
	struct sift_sip_stream *s;
	struct rec r = { 0 };
	enum sift_stream_kind k = SIFT_STREAM_UNKNOWN;

	(void)state;
	assert_non_null(b);
	fill_binary(b, n);
	/* In 1 KiB segments. */
	s = stream_new();
	for (size_t i = 0; i < n; i += 1024) {
		k = feed(s, b + i, 1024, i / 1024 + 1, &r);
		assert_true(k == SIFT_STREAM_UNKNOWN || k == SIFT_STREAM_OTHER);
		if (k == SIFT_STREAM_OTHER)
			break;
	}
	assert_int_equal(k, SIFT_STREAM_OTHER);
	assert_int_equal(feeds(s, M1, 99, &r), SIFT_STREAM_OTHER);
	assert_int_equal(r.n, 0);
	sift_sip_stream_free(s);

	/* In one piece. */
	s = stream_new();
	assert_int_equal(feed(s, b, n, 1, &r), SIFT_STREAM_OTHER);
	assert_int_equal(r.n, 0);
	sift_sip_stream_free(s);

	/* 4 KiB of binary and then SIP: still found (a stream may start in
	 * the middle of a large body). */
	s = stream_new();
	feed(s, b, 4096, 1, &r);
	feeds(s, "\r\n", 2, &r);
	assert_int_equal(feeds(s, M1, 3, &r), SIFT_STREAM_SIP);
	assert_int_equal(r.n, 1);
	check_emit(&r, 0, M1, 3);
	rec_free(&r);
	sift_sip_stream_free(s);
	free(b);
}

/* Heap in use, mmapped chunks included (0 under ASan, which has its own
 * allocator: the bound is then checked by the normal build only). */
static size_t heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

/* A Content-Length past the cap is not waited for: the header block is
 * skipped and the stream resynchronises, holding far less than the claim. */
static void oversize_then(bool sip_first)
{
	struct sift_sip_stream *s = stream_new();
	const struct sift_sip_stream_stats *st = sift_sip_stream_stats(s);
	struct rec r = { 0 };
	size_t chunk = 64 * 1024, body = 3 * 1024 * 1024;
	uint8_t *b = malloc(chunk);
	size_t base = heap_in_use();
	unsigned first = sip_first ? 1 : 0;
	char hdr[256];

	assert_non_null(b);
	memset(b, 'x', chunk);
	for (size_t i = 80; i < chunk; i += 80)
		b[i] = '\n';
	if (sip_first)
		feeds(s, M2, 1, &r);
	snprintf(hdr, sizeof(hdr),
		 "MESSAGE sip:x@example.com SIP/2.0\r\n"
		 "Content-Length: %zu\r\n\r\n", body);
	feeds(s, hdr, 2, &r);
	for (size_t i = 0; i < body; i += chunk) {
		feed(s, b, chunk, 3 + i / chunk, &r);
		assert_true(heap_in_use() <= base + SIFT_SIP_MAX_MESSAGE);
	}
	assert_int_equal(r.n, first);
	assert_int_equal(st->oversize, 1);
	/* Told once, with its claim and the frame its headers came in. */
	assert_int_equal(r.ndrop, 1);
	assert_int_equal(r.why[0], SIFT_SIP_DROP_BODY);
	assert_int_equal(r.claimed[0], body);
	assert_int_equal(r.drop_first[0], 2);
	assert_true(st->skipped_bytes >= body - SIFT_SIP_MAX_MESSAGE);
	/* The next message frames. */
	feeds(s, "\r\n", 500, &r);
	assert_int_equal(feeds(s, M1, 501, &r), SIFT_STREAM_SIP);
	assert_int_equal(r.n, first + 1);
	check_emit(&r, first, M1, 501);
	rec_free(&r);
	sift_sip_stream_free(s);
	free(b);
}

static void test_stream_oversize(void **state)
{
	(void)state;
	oversize_then(true);
}

/* BUG: when the oversize message is the first on the stream, the body
 * skipped while resynchronising counts as probing for a first start line
 * (s->probed), although one was found: past 64 KiB the stream is declared
 * SIFT_STREAM_OTHER and every later message on it is lost. */
static void test_stream_oversize_first(void **state)
{
	(void)state;
	oversize_then(false);
}

/* Headers that never end within 64 KiB, the first message of its
 * stream: told, and the stream stays SIP (it used to become OTHER and lose
 * every later message). */
static void test_stream_headers_too_long_first(void **state)
{
	struct sift_sip_stream *s = stream_new();
	struct rec r = { 0 };
	size_t n = 70 * 1024;
	char *b = malloc(n + 1);
	size_t at;

	(void)state;
	assert_non_null(b);
	at = (size_t)snprintf(b, n, "INVITE sip:bob@example.com SIP/2.0\r\n"
			      "Call-ID: big@example.com\r\n");
	while (at + 40 < n)
		at += (size_t)snprintf(b + at, n - at,
				       "X-Padding: 0123456789abcdefghij\r\n");
	for (size_t i = 0; i < at; i += 1000)
		feed(s, b + i, at - i < 1000 ? at - i : 1000, 1 + i / 1000, &r);
	assert_int_equal(sift_sip_stream_kind(s), SIFT_STREAM_SIP);
	assert_int_equal(r.ndrop, 1);
	assert_int_equal(r.why[0], SIFT_SIP_DROP_HEADERS);
	assert_true(r.has_call_id[0]);
	assert_int_equal(r.drop_first[0], 1);
	/* The rest of its headers, its end, then a message that frames. */
	feeds(s, "X-Last: 1\r\n\r\n", 200, &r);
	assert_int_equal(feeds(s, M1, 201, &r), SIFT_STREAM_SIP);
	assert_int_equal(feeds(s, M2, 202, &r), SIFT_STREAM_SIP);
	assert_int_equal(r.n, 2);
	check_emit(&r, 0, M1, 201);
	check_emit(&r, 1, M2, 202);
	assert_int_equal(sift_sip_stream_stats(s)->oversize, 1);
	rec_free(&r);
	sift_sip_stream_free(s);
	free(b);
}

/* A start line over 8 KiB (a Request-URI of 9000 bytes), first on its
 * stream: told, the stream stays SIP, the next message frames. */
static void test_stream_start_line_too_long(void **state)
{
	struct sift_sip_stream *s = stream_new();
	struct rec r = { 0 };
	size_t n = 9000;
	char *b = malloc(n + 200);
	size_t at;

	(void)state;
	assert_non_null(b);
	at = (size_t)snprintf(b, 200, "INVITE sip:");
	memset(b + at, 'a', n);
	at += n;
	at += (size_t)snprintf(b + at, 200, "@example.com SIP/2.0\r\n"
			       "Call-ID: big@example.com\r\n"
			       "Content-Length: 0\r\n\r\n");
	for (size_t i = 0; i < at; i += 1400)
		feed(s, b + i, at - i < 1400 ? at - i : 1400, 1 + i / 1400, &r);
	assert_int_equal(r.ndrop, 1);
	assert_int_equal(r.why[0], SIFT_SIP_DROP_START_LINE);
	assert_int_equal(r.drop_first[0], 1);
	assert_int_equal(sift_sip_stream_kind(s), SIFT_STREAM_SIP);
	assert_int_equal(feeds(s, M1, 100, &r), SIFT_STREAM_SIP);
	assert_int_equal(r.n, 1);
	check_emit(&r, 0, M1, 100);
	rec_free(&r);
	sift_sip_stream_free(s);
	free(b);
}

/* The first message of a stream cut by its end (Content-Length more than
 * came): the stream is SIP and the partial message is there to report. */
static void test_stream_partial_first(void **state)
{
	struct sift_sip_stream *s = stream_new();
	struct rec r = { 0 };
	const uint8_t *p;
	size_t n, clen;

	(void)state;
	feed(s, M1, strlen(M1) - 4, 1, &r);
	assert_int_equal(r.n, 0);
	assert_int_equal(sift_sip_stream_kind(s), SIFT_STREAM_SIP);
	assert_true(sift_sip_stream_partial(s, &p, &n, &clen));
	assert_int_equal(n, strlen(M1) - 4);
	assert_int_equal(clen, 10);
	sift_sip_stream_free(s);
}

/* One RFC 6455 frame (unmasked unless mask) into b; returns its length. */
static size_t ws_frame(uint8_t *b, uint8_t op, bool fin, const void *p,
		       size_t n, uint64_t claim, bool mask)
{
	size_t h = 0;
	uint64_t len = claim ? claim : n;
	static const uint8_t key[4] = { 0x11, 0x22, 0x33, 0x44 };

	b[h++] = (uint8_t)((fin ? 0x80 : 0) | op);
	if (len < 126) {
		b[h++] = (uint8_t)len;
	} else if (len <= 0xffff) {
		b[h++] = 126;
		b[h++] = (uint8_t)(len >> 8);
		b[h++] = (uint8_t)len;
	} else {
		b[h++] = 127;
		for (int i = 7; i >= 0; i--)
			b[h++] = (uint8_t)(len >> (i * 8));
	}
	if (mask) {
		b[1] |= 0x80;
		memcpy(b + h, key, 4);
		h += 4;
	}
	for (size_t i = 0; i < n; i++)
		b[h + i] = (uint8_t)(((const uint8_t *)p)[i] ^
				     (mask ? key[i & 3] : 0));
	return h + n;
}

/* A frame claiming 2^63 bytes: told, and the messages after it framed
 * (they used to be lost with the stream declared OTHER). */
static void test_ws_huge_claim(void **state)
{
	struct sift_sip_stream *s = stream_new();
	struct rec r = { 0 };
	uint8_t b[2048];
	size_t n;

	(void)state;
	assert_int_equal(feeds(s, WS_UPGRADE, 1, &r), SIFT_STREAM_WS);
	n = ws_frame(b, 1, true, "garbage", 7, UINT64_C(1) << 63, true);
	assert_int_equal(feed(s, b, n, 2, &r), SIFT_STREAM_WS);
	n = ws_frame(b, 1, true, M1, strlen(M1), 0, true);
	assert_int_equal(feed(s, b, n, 3, &r), SIFT_STREAM_WS);
	n = ws_frame(b, 1, true, M2, strlen(M2), 0, false);
	assert_int_equal(feed(s, b, n, 4, &r), SIFT_STREAM_WS);
	assert_int_equal(r.ndrop, 1);
	assert_int_equal(r.why[0], SIFT_SIP_DROP_WS_FRAME);
	assert_int_equal(r.claimed[0], UINT64_C(1) << 63);
	assert_int_equal(r.n, 2);
	check_emit(&r, 0, M1, 3);
	check_emit(&r, 1, M2, 4);
	assert_int_equal(sift_sip_stream_stats(s)->ws_oversize, 1);
	rec_free(&r);
	sift_sip_stream_free(s);
}

/* A 6 MB message in 64 KiB fragments, and a 2 MB single frame: each told
 * once; the messages after them framed. */
static void test_ws_big_messages(void **state)
{
	struct sift_sip_stream *s = stream_new();
	struct rec r = { 0 };
	size_t chunk = 64 * 1024, total = 6 * 1024 * 1024, n;
	uint8_t *pay = malloc(2 * 1024 * 1024), *b = malloc(2 * 1024 * 1024 + 64);
	uint64_t f = 2;

	(void)state;
	assert_non_null(pay);
	assert_non_null(b);
	memset(pay, 'z', 2 * 1024 * 1024);
	memcpy(pay, M1, strlen(M1) - 12);  /* a start line, no end */
	assert_int_equal(feeds(s, WS_UPGRADE, 1, &r), SIFT_STREAM_WS);
	for (size_t sent = 0; sent < total; sent += chunk) {
		n = ws_frame(b, sent ? 0 : 1, sent + chunk >= total, pay, chunk,
			     0, true);
		assert_int_equal(feed(s, b, n, f++, &r), SIFT_STREAM_WS);
	}
	n = ws_frame(b, 1, true, M2, strlen(M2), 0, true);
	feed(s, b, n, 500, &r);
	assert_int_equal(r.n, 1);
	check_emit(&r, 0, M2, 500);
	assert_int_equal(r.ndrop, 1);
	assert_int_equal(r.why[0], SIFT_SIP_DROP_WS_MESSAGE);
	/* One frame of 2 MB, fed in 64 KiB segments. */
	n = ws_frame(b, 2, true, pay, 2 * 1024 * 1024, 0, false);
	for (size_t i = 0; i < n; i += chunk)
		assert_int_equal(feed(s, b + i, n - i < chunk ? n - i : chunk,
				      600 + i / chunk, &r), SIFT_STREAM_WS);
	n = ws_frame(b, 1, true, M1, strlen(M1), 0, false);
	feed(s, b, n, 900, &r);
	assert_int_equal(r.ndrop, 2);
	assert_int_equal(r.why[1], SIFT_SIP_DROP_WS_FRAME);
	assert_int_equal(r.n, 2);
	check_emit(&r, 1, M1, 900);
	assert_int_equal(sift_sip_stream_stats(s)->ws_oversize, 2);
	rec_free(&r);
	sift_sip_stream_free(s);
	free(pay);
	free(b);
}

/* A large message under the cap is buffered and emitted whole, once. */
static void test_stream_large_under_cap(void **state)
{
	struct sift_sip_stream *s = stream_new();
	struct rec r = { 0 };
	size_t body = 900 * 1000, chunk = 32 * 1024, sent = 0;
	uint8_t *b = malloc(body);
	char hdr[256];
	size_t hl;

	(void)state;
	assert_non_null(b);
	memset(b, 'y', body);
	hl = (size_t)snprintf(hdr, sizeof(hdr),
			      "MESSAGE sip:x@example.com SIP/2.0\r\n"
			      "Content-Length: %zu\r\n\r\n", body);
	feeds(s, hdr, 1, &r);
	for (uint64_t f = 2; sent < body; f++) {
		size_t k = body - sent < chunk ? body - sent : chunk;

		feed(s, b + sent, k, f, &r);
		sent += k;
		assert_int_equal(r.n, sent == body ? 1 : 0);
	}
	assert_int_equal(r.len[0], hl + body);
	assert_memory_equal(r.msg[0], hdr, hl);
	assert_memory_equal(r.msg[0] + hl, b, body);
	assert_int_equal(sift_sip_stream_stats(s)->oversize, 0);
	rec_free(&r);
	sift_sip_stream_free(s);
	free(b);
}

/* Feeding nothing is allowed, also before any byte (it used to pass NULL
 * to memcpy: undefined behaviour, caught by UBSan). */
static void test_stream_empty_feed(void **state)
{
	struct sift_sip_stream *s = stream_new();
	struct rec r = { 0 };

	(void)state;
	assert_int_equal(feed(s, "", 0, 1, &r), SIFT_STREAM_UNKNOWN);
	assert_int_equal(feed(s, M2, 10, 2, &r), SIFT_STREAM_UNKNOWN);
	assert_int_equal(feed(s, "", 0, 3, &r), SIFT_STREAM_UNKNOWN);
	assert_int_equal(r.n, 0);
	assert_int_equal(feeds(s, M2 + 10, 4, &r), SIFT_STREAM_SIP);
	check_emit(&r, 0, M2, 4);
	rec_free(&r);
	sift_sip_stream_free(s);
}

static void test_stream_free_null(void **state)
{
	(void)state;
	sift_sip_stream_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start_line_requests),
		cmocka_unit_test(test_start_line_responses),
		cmocka_unit_test(test_start_line_garbage),
		cmocka_unit_test(test_datagram),
		cmocka_unit_test(test_maybe_start),
		cmocka_unit_test(test_content_length),
		cmocka_unit_test(test_stream_two_in_one),
		cmocka_unit_test(test_stream_byte_by_byte),
		cmocka_unit_test(test_stream_every_split),
		cmocka_unit_test(test_stream_length_anywhere),
		cmocka_unit_test(test_stream_body_split),
		cmocka_unit_test(test_stream_keepalives),
		cmocka_unit_test(test_stream_no_content_length),
		cmocka_unit_test(test_stream_gap_resync),
		cmocka_unit_test(test_stream_gap_small_pieces),
		cmocka_unit_test(test_stream_garbage_prefix),
		cmocka_unit_test(test_stream_tls),
		cmocka_unit_test(test_stream_websocket),
		cmocka_unit_test(test_stream_websocket_split),
		cmocka_unit_test(test_stream_binary_other),
		cmocka_unit_test(test_stream_oversize),
		cmocka_unit_test(test_stream_oversize_first),
		cmocka_unit_test(test_stream_large_under_cap),
		cmocka_unit_test(test_stream_headers_too_long_first),
		cmocka_unit_test(test_stream_start_line_too_long),
		cmocka_unit_test(test_stream_partial_first),
		cmocka_unit_test(test_ws_huge_claim),
		cmocka_unit_test(test_ws_big_messages),
		cmocka_unit_test(test_stream_empty_feed),
		cmocka_unit_test(test_stream_free_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
