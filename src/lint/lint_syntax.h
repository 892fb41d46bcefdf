/* sipsift — what the grammar checks of lint_syntax*.c share: the
 * problems found in one message, how message text is shown in a finding,
 * the headers checked, and the checks of single header values. */
#ifndef SIPSIFT_LINT_SYNTAX_H
#define SIPSIFT_LINT_SYNTAX_H

#include "lint/lint_int.h"
#include "util/span.h"

/* What the checks found in one message, one text per rule. */
enum { K_SYNTAX, K_STATUS, K_MISSING, K_COUNT };

struct sift_syn {
	char text[K_COUNT][400];
	size_t len[K_COUNT];
	unsigned count[K_COUNT];  /* problems, shown or not */
	unsigned more[K_COUNT];   /* problems that did not fit */
	bool version;             /* a start line version other than 2.0: 505 */
};

/* What the syntax rules find in m (sift_lint_syntax reads it): a pure
 * function of the message, so -j 2's reader makes it ahead (prefetch.c). */
void sift_lint_syntax_check(const struct sift_sip_msg *m, struct sift_syn *f);

/* Whether a and b say the same (counts, texts, the version): for the
 * tests that hold a plain message's checks (sip_msg.h's plain) to those
 * of the same message read by libosip2. */
bool sift_syn_same(const struct sift_syn *a, const struct sift_syn *b);

/* Records one problem for rule group k. */
void sift_syn_add(struct sift_syn *f, int k, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Text of the message as it can be shown in a finding: printable ASCII,
 * any other byte as '?', runs of white space as one space, cut with "...".
 * Returns buf. */
const char *sift_syn_show(struct sift_span s, char *buf, size_t len);

/* One character as it can be shown: 'c', or 0xNN. */
const char *sift_syn_char(uint8_t c, char *buf, size_t len);

/* A decimal number as a header value has it: 1*DIGIT, and a minus sign
 * told apart from other garbage, for the message. */
enum sift_syn_num { NUM_OK, NUM_NEGATIVE, NUM_NOT_A_NUMBER, NUM_TOO_BIG };

enum sift_syn_num sift_syn_num(struct sift_span s, uint64_t max, uint64_t *out);

#define U32_MAX_VALUE 4294967295u

/* A quoted-string starting at v.p[*i] == '"' (quoted-pairs included);
 * false when it does not end. */
bool sift_syn_skip_quoted(struct sift_span v, size_t *i);

bool sift_syn_has_lws(struct sift_span s);

/* The headers we check, by full and compact name (§7.3.3). */
enum sift_syn_hk {
	H_OTHER, H_FROM, H_TO, H_CONTACT, H_ROUTE, H_RROUTE, H_REPLY_TO, H_VIA,
	H_CSEQ, H_MAXFWD, H_EXPIRES, H_MINEXP, H_CLEN, H_CALLID, H_DATE,
	H_CTYPE, H_WARNING, H_COUNT
};

struct sift_syn_hdr {
	const char *name;      /* lower case */
	const char *compact;
	const char *shown;
	bool single;           /* may appear once only (§7.3.1) */
	uint8_t len;           /* of name */
};

extern const struct sift_syn_hdr sift_syn_hdrs[H_COUNT];

enum sift_syn_hk sift_syn_header_kind(struct sift_span name);

/* Addresses and URIs (lint_syntax_addr.c). */
bool sift_syn_uri(struct sift_span u, const char *what, struct sift_syn *f);
bool sift_syn_uri_headers(struct sift_span u, struct sift_span *h);
bool sift_syn_params(struct sift_span v, size_t *i, bool list,
		     enum sift_syn_hk k, struct sift_syn *f);
void sift_syn_addresses(struct sift_span v, enum sift_syn_hk k,
			struct sift_syn *f);

/* Other header values (lint_syntax_hdr.c). */
void sift_syn_number(struct sift_span v, const char *what, uint64_t max,
		     const char *range, struct sift_syn *f);
void sift_syn_via(struct sift_span v, struct sift_syn *f);
void sift_syn_cseq(struct sift_span v, struct sift_syn *f);
void sift_syn_date(struct sift_span v, struct sift_syn *f);
void sift_syn_ctype(struct sift_span v, struct sift_syn *f);
void sift_syn_warning(struct sift_span v, struct sift_syn *f);

#endif
