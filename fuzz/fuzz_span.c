/* libFuzzer target for the text readers under src/util/span.c and
 * src/sip/uri.c, on arbitrary bytes.
 *
 * The input is walked as a raw SIP message (with a start line and
 * without), each header value read as a number and compared; then it is
 * cut in two at its first NUL (or the middle) and the halves compared as
 * URIs and read as Route lists.
 *
 * Invariants checked (abort() on violation): every span the walker gives
 * lies inside the input and inside the header block; header names are
 * tokens; a header with a colon has a name; values are trimmed; the walk
 * ends; a number read is at most its max and is the one its digits say
 * (re-read with a larger max); URI equality is reflexive and symmetric;
 * route_nth answers for every index below route_count and not at it.
 * The stream framer's Content-Length (sip/sip_frame.c, which looks only
 * at lines that may be the header) gives what walking every header gives;
 * a segment sift_sip_segment_whole takes for one whole message is framed
 * by a fresh stream as that message or not at all (a start line over the
 * framer's cap, an HTTP GET), never otherwise. A walk started from the
 * empty line sift_span_blank_line found (sift_hdr_iter_init_body) is the
 * walk that looks for it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sip/sip_frame.h"
#include "sip/uri.h"
#include "util/span.h"

#include "fuzz_check.h"

static void inside(struct sift_span s, const uint8_t *p, size_t n)
{
	check(s.n == 0 || (s.p >= p && s.p + s.n <= p + n));
}

static void numbers(struct sift_span v)
{
	uint64_t a, b;
	uint32_t w;

	if (sift_span_u64(v, 65535, &a)) {
		check(a <= 65535);
		check(sift_span_u64(v, UINT64_MAX, &b) && a == b);
		check(sift_span_u32(v, 65535, &w) && w == a);
	} else if (sift_span_dec(v, 65535, &a) == SIFT_DEC_TOO_BIG) {
		check(sift_span_dec(v, UINT64_MAX, &b) != SIFT_DEC_NOT_A_NUMBER);
	}
}

static void walk(const uint8_t *p, size_t n, bool start_line)
{
	struct sift_hdr_iter it;
	struct sift_hdr h;
	size_t count = 0;

	sift_hdr_iter_init(&it, p, n, start_line);
	check(it.end <= n && it.body <= n && it.end <= it.body);
	inside(it.start, p, n);
	while (sift_hdr_next(&it, &h)) {
		check(++count <= n + 1);
		inside(h.line, p, n);
		inside(h.name, p, it.end);
		inside(h.value, p, it.end);
		check(!h.colon || sift_span_is_token(h.name));
		check(!h.value.n || (!sift_is_lws(h.value.p[0]) &&
				     !sift_is_lws(h.value.p[h.value.n - 1])));
		numbers(h.value);
		check(sift_span_ieq_span(h.name, h.name));
	}
}

/* The walk from a known empty line is the walk that finds it. */
static void known_body(const uint8_t *p, size_t n)
{
	struct sift_hdr_iter a, b;
	size_t body = sift_span_blank_line(p, n);

	if (!sift_hdr_iter_init_body(&a, p, n, body ? body : n))
		return;
	check(body);
	sift_hdr_iter_init(&b, p, body, true);
	check(a.p == b.p && a.pos == b.pos && a.end == b.end &&
	      a.body == b.body && a.start.p == b.start.p && a.start.n == b.start.n);
}

static void uris(const char *a, const char *b)
{
	size_t n = sift_route_count(a);
	char buf[256];

	check(sift_uri_eq(a, a));
	check(sift_uri_eq(a, b) == sift_uri_eq(b, a));
	(void)sift_uri_has_lr(a);
	if (n > 64)
		n = 64;
	for (size_t i = 0; i < n; i++)
		check(sift_route_nth(a, i, buf, sizeof(buf)));
	if (sift_route_count(a) <= 64)
		check(!sift_route_nth(a, sift_route_count(a), buf, sizeof(buf)));
}

/* Content-Length the long way: every header walked (what the framer did
 * before it looked at first letters). */
static bool clen_walk(const uint8_t *p, size_t n, size_t *v)
{
	struct sift_hdr_iter it;
	struct sift_hdr h;

	*v = 0;
	sift_hdr_iter_init(&it, p, n, false);
	while (sift_hdr_next(&it, &h))
		if (sift_hdr_is(&h, "content-length", "l"))
			return sift_sip_content_length_value(h.value, v);
	return false;
}

struct framed {
	size_t n, len;
	const uint8_t *msg;
};

static void on_msg(void *ctx, const uint8_t *msg, size_t len,
		   const struct sift_where *where)
{
	struct framed *f = ctx;

	(void)where;
	if (!f->n++) {
		f->msg = msg;
		f->len = len;
	}
}

static void framing(const uint8_t *p, size_t n)
{
	size_t a, b;
	bool ka = sift_sip_content_length(p, n, &a), kb = clen_walk(p, n, &b);

	check(ka == kb && a == b);
	if (sift_sip_segment_whole(p, n)) {
		struct sift_sip_stream *s = sift_sip_stream_new();
		struct sift_where w = { 0, 1, 0 };
		struct framed f = { 0, 0, NULL };

		if (!s)
			return;
		(void)sift_sip_stream_feed(s, p, n, &w, on_msg, &f);
		check(f.n == 0 || (f.n == 1 && f.len == n && memcmp(f.msg, p, n) == 0));
		sift_sip_stream_free(s);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t cut = nul ? (size_t)(nul - data) : size / 2;
	char *a, *b;

	walk(data, size, true);
	walk(data, size, false);
	known_body(data, size);
	framing(data, size);
	/* Exact-size copies: a read past the end is caught by ASan. */
	a = malloc(cut + 1);
	b = malloc(size - cut + 1);
	if (a && b) {
		memcpy(a, data, cut);
		a[cut] = '\0';
		memcpy(b, data + cut, size - cut);
		b[size - cut] = '\0';
		uris(a, b);
	}
	free(a);
	free(b);
	return 0;
}
