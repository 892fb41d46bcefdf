/* sipsift — (pointer, length) text spans for the SDP and SDES parsers:
 * nothing here reads past n or relies on a NUL. */
#ifndef SIPSIFT_SPAN_H
#define SIPSIFT_SPAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct span {
	const char *p;
	size_t n;
};

static inline bool is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Next whitespace-separated token of *s (1*WSP separates the fields of an
 * a=crypto line, RFC 4568 §9.1; SDP tolerates the same); false at the end. */
static inline bool next_token(struct span *s, struct span *tok)
{
	size_t i = 0, start;

	while (i < s->n && is_wsp(s->p[i]))
		i++;
	if (i == s->n)
		return false;
	start = i;
	while (i < s->n && !is_wsp(s->p[i]))
		i++;
	tok->p = s->p + start;
	tok->n = i - start;
	s->p += i;
	s->n -= i;
	return true;
}

/* Splits *s at the first c: the part before goes to *head, *s keeps the
 * part after. Without c, all of *s is the head and *s becomes empty. */
static inline bool split_at(struct span *s, char c, struct span *head)
{
	const char *q = s->n ? memchr(s->p, c, s->n) : NULL;

	head->p = s->p;
	if (!q) {
		head->n = s->n;
		s->p += s->n;
		s->n = 0;
		return false;
	}
	head->n = (size_t)(q - s->p);
	s->n -= head->n + 1;
	s->p = q + 1;
	return true;
}

/* 1*DIGIT into a uint64_t; false on an empty span, a non-digit or
 * overflow past max. */
static inline bool parse_dec(struct span s, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;

	if (s.n == 0)
		return false;
	for (size_t i = 0; i < s.n; i++) {
		unsigned d;

		if (!is_digit(s.p[i]))
			return false;
		d = (unsigned)(s.p[i] - '0');
		if (d > max || x > max / 10 || x * 10 > max - d)
			return false;
		x = x * 10 + d;
	}
	*v = x;
	return true;
}

#endif
