/* sipsift — one parsed SIP message (RFC 3261 §7), in our own types.
 *
 * libosip2 does the parsing (see ../shared/LIBRARIES.md for its traps); the
 * fields other stages need are copied out, validated, into a struct that
 * owns them together with the original bytes, which lint rules rescan where
 * libosip2 is lossy (Route sets, duplicate headers, Content-Length). */
#ifndef SIPSIFT_SIP_MSG_H
#define SIPSIFT_SIP_MSG_H

#include "sipsift/common.h"
#include "util/span.h"

struct sift_sip_via {
	const char *transport;  /* "UDP", "TCP", "TLS", ... as written */
	const char *host;
	uint16_t port;          /* 0 when absent */
	const char *branch;     /* NULL when absent */
	bool rport;             /* RFC 3581 rport present */
	int32_t rport_value;    /* -1 when rport has no value */
	const char *received;
	bool alias;             /* RFC 5923 alias present */
};

struct sift_sip_msg {
	bool request;
	const char *method;       /* request: its method; response: CSeq's */
	int status;               /* response status code, 0 for requests */
	const char *reason;       /* response reason phrase ("" if none) */
	const char *ruri;         /* request URI, NULL for responses */
	const char *call_id;
	uint32_t cseq;
	const char *cseq_method;
	const char *from_uri;
	const char *from_tag;     /* NULL when absent */
	const char *to_uri;
	const char *to_tag;
	const char *contact;      /* first Contact URI or NULL */
	const char *route;        /* every Route value as sent, joined by ", ";
				   * read from the raw lines (libosip2 drops
				   * what it cannot parse); NULL when none */
	const char *record_route; /* the same for Record-Route */
	const char *pai;          /* first P-Asserted-Identity as sent, or NULL */
	const char *user_agent;   /* first User-Agent (requests) or Server
				   * (responses) as sent, or NULL */
	struct sift_sip_via via;  /* topmost Via */
	unsigned via_count;
	int max_forwards;         /* -1 when absent or not 0-255 */
	bool max_forwards_bad;    /* present but not 0-255 */
	bool has_content_length;
	size_t content_length;
	const char *content_type; /* "type/subtype" in lower case, or NULL */
	const uint8_t *body;      /* inside raw; NULL when none */
	size_t body_len;
	const uint8_t *raw;       /* the message as it was on the wire */
	size_t raw_len;
	/* The header lines as the parse walked them (spans into raw), so
	 * that lint need not walk them again; hdrs is NULL when there were
	 * more than SIFT_SIP_HDRS_MAX (lint then walks raw itself). */
	const struct sift_hdr *hdrs;
	size_t nhdrs;
	struct sift_span hdr_start; /* the start line, as sift_hdr_iter_init */
	size_t hdr_body;          /* its it->body: past the empty line */
	bool plain;               /* read by sip_fast.c: Via, From, To,
				   * Call-ID, CSeq, Content-Type and
				   * Content-Length are in its grammar, which
				   * lint's syntax rules need not check again */
};

/* Header lines kept in a message's index; a message with more keeps
 * none (any real one has far fewer: a proxied INVITE about thirty). */
#define SIFT_SIP_HDRS_MAX 64

/* Installs a silent libosip2 trace handler and initialises the parser.
 * Idempotent; call before the first parse. */
void sift_sip_init(void);

/* Why a message was rejected: lint picks its rule by this code, and shows
 * sift_sip_err_str() in the finding. */
enum sift_sip_err {
	SIFT_SIPE_NONE = 0,
	SIFT_SIPE_EMPTY,          /* no bytes at all */
	SIFT_SIPE_NUL,            /* NUL byte in the headers */
	SIFT_SIPE_REJECTED,       /* libosip2 would not parse it */
	SIFT_SIPE_NO_CALL_ID,     /* mandatory headers (RFC 3261 §8.1.1) */
	SIFT_SIPE_NO_CSEQ,
	SIFT_SIPE_CSEQ_RANGE,     /* CSeq number not below 2^31 */
	SIFT_SIPE_NO_FROM,
	SIFT_SIPE_NO_TO,
	SIFT_SIPE_NO_VIA,
	SIFT_SIPE_BAD_RURI,
	SIFT_SIPE_STATUS_RANGE,   /* status code outside 100-699 */
	SIFT_SIPE_BAD_CALL_ID,
	SIFT_SIPE_BAD_FROM,
	SIFT_SIPE_BAD_TO,
	SIFT_SIPE_NO_START_LINE,  /* framing: SIP text without a start line */
	SIFT_SIPE_COUNT
};

/* "no Call-ID header", "rejected by the SIP parser", ... */
const char *sift_sip_err_str(enum sift_sip_err e);

/* Is it a mandatory header that is missing? */
bool sift_sip_err_missing(enum sift_sip_err e);

/* Parses one framed message. On failure returns SIFT_EINVAL with the
 * reason in *why (may be NULL); SIFT_ENOMEM leaves SIFT_SIPE_NONE. */
enum sift_rc sift_sip_parse(const uint8_t *p, size_t n,
			    struct sift_sip_msg **out, enum sift_sip_err *why);
void sift_sip_msg_free(struct sift_sip_msg *m);
/* sift_sip_parse through libosip2 only, and whether the last
 * sift_sip_parse took the plain path (sip_fast.h) instead: for the tests
 * and fuzz_sip_fast that hold the two to the same answer. */
enum sift_rc sift_sip_parse_osip(const uint8_t *p, size_t n,
				 struct sift_sip_msg **out, enum sift_sip_err *why);
bool sift_sip_parse_was_fast(void);

/* Finds the value of the first header named name (or its compact form,
 * may be NULL) in raw message bytes, without the parser: for messages the
 * parser rejected and for rules that need the text as sent. The value is
 * trimmed, folded lines included; returns false when absent. */
bool sift_sip_raw_header(const uint8_t *raw, size_t n, const char *name,
			 const char *compact, const uint8_t **val,
			 size_t *vlen);

/* text parsed as a URI by libosip2 and written back as sift_sip_parse
 * writes the URIs it keeps (malloc'd; NULL when libosip2 rejects it): for
 * tests/unit/test_sip_uri_str.c, which holds it to osip_uri_to_str. */
char *sift_sip_uri_reprint(const char *text);

#endif
