/* sipsift — (pointer, length) text spans: the one way SIP, SDP and SDES
 * text is read. Nothing here reads past n or relies on a NUL; a span is
 * borrowed from the bytes it points into.
 *
 * Character classes are those of RFC 3261 §25.1 (token, LWS) and RFC 5234
 * (DIGIT, ALPHA, HEXDIG, WSP); comparisons are ASCII case-insensitive where
 * the grammar says so (header names, ABNF literals, RFC 5234 §2.3). */
#ifndef SIPSIFT_SPAN_H
#define SIPSIFT_SPAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct sift_span {
	const uint8_t *p;
	size_t n;
};

static inline struct sift_span sift_span_of(const void *p, size_t n)
{
	struct sift_span s = { (const uint8_t *)p, n };

	return s;
}

/* A span over a NUL-terminated string (NULL gives the empty span). */
static inline struct sift_span sift_span_cstr(const char *s)
{
	return sift_span_of(s, s ? strlen(s) : 0);
}

/* [from, to) of s; both are clamped to s.n. */
static inline struct sift_span sift_span_sub(struct sift_span s, size_t from,
					     size_t to)
{
	if (to > s.n)
		to = s.n;
	if (from > to)
		from = to;
	return sift_span_of(s.p + from, to - from);
}

/* Character classes. */
static inline bool sift_is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

static inline bool sift_is_alpha(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool sift_is_hex(uint8_t c)
{
	return sift_is_digit(c) || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

/* token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" /
 * "'" / "~"): a table (span.c), as every header name, parameter name and
 * display name of every message is walked with this. */
extern const bool sift_token_tab[256];

static inline bool sift_is_token_char(uint8_t c)
{
	return sift_token_tab[c];
}

/* SP / HTAB */
static inline bool sift_is_wsp(uint8_t c)
{
	return c == ' ' || c == '\t';
}

/* White space inside a header value, line folding included. */
static inline bool sift_is_lws(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static inline uint8_t sift_lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + ('a' - 'A')) : c;
}

/* Comparisons. */
bool sift_span_eq(struct sift_span s, const char *lit);
bool sift_span_ieq(struct sift_span s, const char *lit);
/* The same with lit's length n known (a table's names): eight bytes at a
 * time. */
bool sift_span_ieq_n(struct sift_span s, const char *lit, size_t n);
bool sift_span_ieq_span(struct sift_span a, struct sift_span b);
/* s starts with lit, case-insensitively; the rest goes to *rest (may be
 * NULL). */
bool sift_span_iprefix(struct sift_span s, const char *lit,
		       struct sift_span *rest);
/* The same, byte for byte (SDP is case-sensitive, RFC 8866 §5). */
bool sift_span_prefix(struct sift_span s, const char *lit,
		      struct sift_span *rest);

/* Trimming: SP/HTAB only; SP/HTAB/CR/LF; a final CR (of a CRLF line). */
struct sift_span sift_span_trim_wsp(struct sift_span s);
struct sift_span sift_span_trim_lws(struct sift_span s);
struct sift_span sift_span_chomp(struct sift_span s);

/* First i >= from that is not LWS, or s.n. */
size_t sift_span_skip_lws(struct sift_span s, size_t from);

/* Index of the first c in s, or s.n. */
size_t sift_span_find(struct sift_span s, uint8_t c);

/* Index of the first occurrence of lit in s, or s.n (also for an empty
 * lit: there is nothing to find). */
size_t sift_span_find_str(struct sift_span s, const char *lit);

/* Splits *s at the first c: the part before goes to *head, *s keeps the
 * part after. Without c, all of *s is the head, *s becomes empty and the
 * answer is false. */
bool sift_span_split(struct sift_span *s, uint8_t c, struct sift_span *head);

/* The next SP/HTAB-separated word of *s (1*WSP separates the fields of an
 * a=crypto line, RFC 4568 §9.1, and of SDP lines); false at the end. */
bool sift_span_next_word(struct sift_span *s, struct sift_span *word);

/* A non-empty span of token characters only. */
bool sift_span_is_token(struct sift_span s);

/* A NUL-terminated copy of s in lower case (malloc'd), or NULL when
 * memory is out. A NUL inside s ends the string there. */
char *sift_span_lower_dup(struct sift_span s);

/* Decimal numbers: 1*DIGIT, no sign, no blanks. *v is set only on
 * SIFT_DEC_OK; a value above max (or above 2^64 - 1) is SIFT_DEC_TOO_BIG,
 * never a wrapped value. */
enum sift_dec { SIFT_DEC_OK, SIFT_DEC_NOT_A_NUMBER, SIFT_DEC_TOO_BIG };

enum sift_dec sift_span_dec(struct sift_span s, uint64_t max, uint64_t *v);
bool sift_span_u64(struct sift_span s, uint64_t max, uint64_t *v);
bool sift_span_u32(struct sift_span s, uint32_t max, uint32_t *v);

/* Offset just past the first empty line (LF LF or LF CR LF: the end of a
 * header block, RFC 3261 §7), or 0 when there is none. */
size_t sift_span_blank_line(const uint8_t *p, size_t n);

/* A raw SIP header walker (RFC 3261 §7.3): for messages the parser
 * rejected and for checks that need the text as sent. */
struct sift_hdr {
	struct sift_span line;   /* the header's first line, without CRLF */
	struct sift_span name;   /* token characters before the colon */
	struct sift_span value;  /* trimmed; folded lines (§7.3.1) included */
	bool colon;              /* name [WSP] ":" — a header at all */
};

struct sift_hdr_iter {
	const uint8_t *p;
	size_t pos;
	size_t end;              /* where the header block ends */
	size_t body;             /* past the empty line, or the length */
	struct sift_span start;  /* the start line, when one was skipped */
};

/* Walks msg[0, n). With start_line, CRLFs before it (§7.5) and the start
 * line itself are skipped first. The walk stops at the first empty line;
 * it->body is where the body begins (n when there is no empty line). */
void sift_hdr_iter_init(struct sift_hdr_iter *it, const uint8_t *msg,
			size_t n, bool start_line);
/* sift_hdr_iter_init(it, msg, body, true) for a message whose first
 * empty line ends at body (sift_span_blank_line's answer), without
 * walking to that line again: false, it untouched, unless the message
 * begins with its start line and body ends an empty line. */
bool sift_hdr_iter_init_body(struct sift_hdr_iter *it, const uint8_t *msg,
			     size_t n, size_t body);
/* A walk of msg[pos, end) from the header line at pos, without looking
 * for the block's end first: end is where the caller knows it ends. */
void sift_hdr_iter_at(struct sift_hdr_iter *it, const uint8_t *msg,
		      size_t pos, size_t end);

/* The next header line (lines without a colon too: h->colon tells);
 * false at the end of the header block. */
bool sift_hdr_next(struct sift_hdr_iter *it, struct sift_hdr *h);

/* Is h the header called name, or compact (may be NULL; §7.3.3)? */
bool sift_hdr_is(const struct sift_hdr *h, const char *name,
		 const char *compact);

#endif
