/* sipsift — (pointer, length) text spans and the raw SIP header walker. */
#include <stdlib.h>
#include <string.h>

#include "util/span.h"

bool sift_span_eq(struct sift_span s, const char *lit)
{
	size_t l = strlen(lit);

	return s.n == l && (l == 0 || memcmp(s.p, lit, l) == 0);
}

/* Eight bytes with 'A'-'Z' made 'a'-'z', the others as they are: a byte
 * below 0x80 whose low seven bits are at least 'A' and not past 'Z'
 * gains 0x20. */
static uint64_t lower8(const uint8_t *p)
{
	const uint64_t ones = 0x0101010101010101ULL, high = ones * 0x80;
	uint64_t x, v, upper;

	memcpy(&x, p, 8);
	v = x & ~high;
	upper = (v + ones * (0x80 - 'A')) & ~(v + ones * (0x80 - 'Z' - 1)) & ~x & high;
	return x | upper >> 2;
}

/* Header names and parameter names are compared without case on every
 * line of every message: eight bytes at a time (the last eight overlap
 * what came before), a byte at a time below that. */
static bool ieq_mem(const uint8_t *a, const uint8_t *b, size_t n)
{
	size_t i;

	if (n < 8) {
		for (i = 0; i < n; i++)
			if (a[i] != b[i] && sift_lower(a[i]) != sift_lower(b[i]))
				return false;
		return true;
	}
	for (i = 0; i + 8 < n; i += 8)
		if (lower8(a + i) != lower8(b + i))
			return false;
	return lower8(a + n - 8) == lower8(b + n - 8);
}

bool sift_span_ieq(struct sift_span s, const char *lit)
{
	const uint8_t *l = (const uint8_t *)lit;
	size_t i;

	/* Byte by byte to lit's NUL: most compares fail at the first
	 * bytes, and a strlen of lit first was a percent of a SIP run. */
	for (i = 0; i < s.n; i++)
		if (!l[i] || (s.p[i] != l[i] && sift_lower(s.p[i]) != sift_lower(l[i])))
			return false;
	return !l[i];
}

bool sift_span_ieq_n(struct sift_span s, const char *lit, size_t n)
{
	return s.n == n && ieq_mem(s.p, (const uint8_t *)lit, n);
}

bool sift_span_ieq_span(struct sift_span a, struct sift_span b)
{
	return a.n == b.n && ieq_mem(a.p, b.p, a.n);
}

bool sift_span_iprefix(struct sift_span s, const char *lit,
		       struct sift_span *rest)
{
	size_t l = strlen(lit);

	if (s.n < l || !ieq_mem(s.p, (const uint8_t *)lit, l))
		return false;
	if (rest)
		*rest = sift_span_of(s.p + l, s.n - l);
	return true;
}

bool sift_span_prefix(struct sift_span s, const char *lit,
		      struct sift_span *rest)
{
	size_t l = strlen(lit);

	if (s.n < l || (l && memcmp(s.p, lit, l) != 0))
		return false;
	if (rest)
		*rest = sift_span_of(s.p + l, s.n - l);
	return true;
}

struct sift_span sift_span_trim_wsp(struct sift_span s)
{
	while (s.n && sift_is_wsp(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n && sift_is_wsp(s.p[s.n - 1]))
		s.n--;
	return s;
}

#define TOK_ALNUM(c) ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || \
		      (c >= 'A' && c <= 'Z'))
#define TOK(c) (TOK_ALNUM(c) || c == '-' || c == '.' || c == '!' || \
		c == '%' || c == '*' || c == '_' || c == '+' || c == '`' || \
		c == '\'' || c == '~')
#define TOK4(c) TOK(c), TOK(c + 1), TOK(c + 2), TOK(c + 3)
#define TOK16(c) TOK4(c), TOK4(c + 4), TOK4(c + 8), TOK4(c + 12)

const bool sift_token_tab[256] = {
	TOK16(0), TOK16(16), TOK16(32), TOK16(48),
	TOK16(64), TOK16(80), TOK16(96), TOK16(112),
	/* 128-255: none */
};

struct sift_span sift_span_trim_lws(struct sift_span s)
{
	while (s.n && sift_is_lws(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n && sift_is_lws(s.p[s.n - 1]))
		s.n--;
	return s;
}

struct sift_span sift_span_chomp(struct sift_span s)
{
	if (s.n && s.p[s.n - 1] == '\r')
		s.n--;
	return s;
}

size_t sift_span_skip_lws(struct sift_span s, size_t from)
{
	while (from < s.n && sift_is_lws(s.p[from]))
		from++;
	return from;
}

size_t sift_span_find(struct sift_span s, uint8_t c)
{
	const uint8_t *q = s.n ? memchr(s.p, c, s.n) : NULL;

	return q ? (size_t)(q - s.p) : s.n;
}

size_t sift_span_find_str(struct sift_span s, const char *lit)
{
	size_t l = strlen(lit);

	if (!l || s.n < l)
		return s.n;
	for (size_t i = 0; i + l <= s.n; i++) {
		i += sift_span_find(sift_span_sub(s, i, s.n - l + 1), (uint8_t)lit[0]);
		if (i + l > s.n)
			break;
		if (memcmp(s.p + i, lit, l) == 0)
			return i;
	}
	return s.n;
}

bool sift_span_split(struct sift_span *s, uint8_t c, struct sift_span *head)
{
	size_t i = sift_span_find(*s, c);

	head->p = s->p;
	head->n = i;
	if (i == s->n) {
		s->p += s->n;
		s->n = 0;
		return false;
	}
	s->p += i + 1;
	s->n -= i + 1;
	return true;
}

bool sift_span_next_word(struct sift_span *s, struct sift_span *word)
{
	size_t i = 0, start;

	while (i < s->n && sift_is_wsp(s->p[i]))
		i++;
	if (i == s->n)
		return false;
	start = i;
	while (i < s->n && !sift_is_wsp(s->p[i]))
		i++;
	word->p = s->p + start;
	word->n = i - start;
	s->p += i;
	s->n -= i;
	return true;
}

bool sift_span_is_token(struct sift_span s)
{
	if (!s.n)
		return false;
	for (size_t i = 0; i < s.n; i++)
		if (!sift_is_token_char(s.p[i]))
			return false;
	return true;
}

char *sift_span_lower_dup(struct sift_span s)
{
	char *d = malloc(s.n + 1);

	if (!d)
		return NULL;
	for (size_t i = 0; i < s.n; i++)
		d[i] = (char)sift_lower(s.p[i]);
	d[s.n] = '\0';
	return d;
}

enum sift_dec sift_span_dec(struct sift_span s, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;
	bool big = false;

	if (!s.n)
		return SIFT_DEC_NOT_A_NUMBER;
	for (size_t i = 0; i < s.n; i++) {
		unsigned d;

		if (!sift_is_digit(s.p[i]))
			return SIFT_DEC_NOT_A_NUMBER;
		d = (unsigned)(s.p[i] - '0');
		/* Keep reading after an overflow: a non-digit further on
		 * still makes it no number at all. */
		if (big || d > max || x > (max - d) / 10)
			big = true;
		else
			x = x * 10 + d;
	}
	if (big)
		return SIFT_DEC_TOO_BIG;
	*v = x;
	return SIFT_DEC_OK;
}

bool sift_span_u64(struct sift_span s, uint64_t max, uint64_t *v)
{
	return sift_span_dec(s, max, v) == SIFT_DEC_OK;
}

bool sift_span_u32(struct sift_span s, uint32_t max, uint32_t *v)
{
	uint64_t x;

	if (sift_span_dec(s, max, &x) != SIFT_DEC_OK)
		return false;
	*v = (uint32_t)x;
	return true;
}

size_t sift_span_blank_line(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		const uint8_t *lf = memchr(p + i, '\n', n - i);

		if (!lf)
			return 0;
		i = (size_t)(lf - p);
		if (i + 1 < n && p[i + 1] == '\n')
			return i + 2;
		if (i + 2 < n && p[i + 1] == '\r' && p[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

/* Index of the LF ending the line at from, or end. */
static size_t line_end(const uint8_t *p, size_t from, size_t end)
{
	const uint8_t *lf = from < end ? memchr(p + from, '\n', end - from) : NULL;

	return lf ? (size_t)(lf - p) : end;
}

void sift_hdr_iter_init(struct sift_hdr_iter *it, const uint8_t *msg,
			size_t n, bool start_line)
{
	size_t pos = 0;

	memset(it, 0, sizeof(*it));
	it->p = msg;
	it->end = it->body = n;
	if (start_line) {
		size_t s = 0;

		while (s < n && (msg[s] == '\r' || msg[s] == '\n'))
			s++;
		pos = line_end(msg, s, n);
		it->start = sift_span_chomp(sift_span_of(msg + s, pos - s));
		if (pos >= n) {
			it->pos = n;
			return;
		}
		pos++;
	}
	it->pos = pos;
	/* The header block ends at the first empty line. */
	for (size_t i = pos; i < n;) {
		size_t e = line_end(msg, i, n);

		if (e == i || (e == i + 1 && msg[i] == '\r')) {
			it->end = i;
			it->body = e < n ? e + 1 : n;
			break;
		}
		i = e + 1;
	}
}

bool sift_hdr_iter_init_body(struct sift_hdr_iter *it, const uint8_t *msg,
			     size_t n, size_t body)
{
	size_t pos;

	/* The known empty line is the walk's when the start line begins
	 * the message and it is a line of its own: LF LF or LF CR LF ends
	 * at body, as sift_span_blank_line finds it. */
	if (!n || msg[0] == '\r' || msg[0] == '\n' || body > n || body < 2 ||
	    msg[body - 1] != '\n' ||
	    !(msg[body - 2] == '\n' ||
	      (body >= 3 && msg[body - 2] == '\r' && msg[body - 3] == '\n')))
		return false;
	memset(it, 0, sizeof(*it));
	it->p = msg;
	pos = line_end(msg, 0, n);
	it->start = sift_span_chomp(sift_span_of(msg, pos));
	it->pos = pos + 1;
	it->body = body;
	it->end = body - (msg[body - 2] == '\r' ? 2 : 1);
	return true;
}

void sift_hdr_iter_at(struct sift_hdr_iter *it, const uint8_t *msg,
		      size_t pos, size_t end)
{
	memset(it, 0, sizeof(*it));
	it->p = msg;
	it->pos = pos;
	it->end = it->body = end;
}

bool sift_hdr_next(struct sift_hdr_iter *it, struct sift_hdr *h)
{
	const uint8_t *p = it->p;
	size_t s = it->pos, end = it->end, e, i;

	if (s >= end)
		return false;
	e = line_end(p, s, end);
	h->line = sift_span_chomp(sift_span_of(p + s, e - s));
	/* Lines that start with SP or HTAB continue the value (§7.3.1). */
	while (e + 1 < end && sift_is_wsp(p[e + 1]))
		e = line_end(p, e + 1, end);
	it->pos = e < end ? e + 1 : end;
	for (i = s; i < e && sift_is_token_char(p[i]); i++)
		;
	h->name = sift_span_of(p + s, i - s);
	while (i < e && sift_is_wsp(p[i]))
		i++;
	h->colon = h->name.n && i < e && p[i] == ':';
	if (h->colon)
		h->value = sift_span_trim_lws(sift_span_of(p + i + 1, e - i - 1));
	else
		h->value = sift_span_of(p + e, 0);
	return true;
}

bool sift_hdr_is(const struct sift_hdr *h, const char *name,
		 const char *compact)
{
	uint8_t c;

	if (!h->colon)
		return false;
	if (!h->name.n)
		return !*name || (compact && !*compact);
	/* Every header of every message is asked about several names: the
	 * first letter rules out most before a whole compare. */
	c = sift_lower(h->name.p[0]);
	return (c == sift_lower((uint8_t)name[0]) && sift_span_ieq(h->name, name)) ||
	       (compact && c == sift_lower((uint8_t)compact[0]) &&
		sift_span_ieq(h->name, compact));
}
