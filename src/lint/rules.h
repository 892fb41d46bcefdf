/* sipsift — lint: the rule table and what a rule is given.
 *
 * Each rule has a stable id (DESIGN.md), a severity, the RFC section that
 * requires what it checks, and a one-line description. This is the lowest
 * layer of lint: the rule files and the driver (lint.c) build on it. */
#ifndef SIPSIFT_LINT_RULES_H
#define SIPSIFT_LINT_RULES_H

#include "sipsift/call.h"
#include "sipsift/finding.h"
#include "sip/sip_msg.h"

enum sift_rule_id {
	/* CANCEL, RFC 3261 §9.1 */
	SIFT_R_CANCEL_NO_MATCHING_INVITE = 0,
	SIFT_R_CANCEL_BRANCH_MISMATCH,
	SIFT_R_CANCEL_HEADER_MISMATCH,
	SIFT_R_CANCEL_TO_TAG,
	SIFT_R_CANCEL_VIA_MISMATCH,
	SIFT_R_CANCEL_ROUTE_MISMATCH,
	SIFT_R_CANCEL_BEFORE_PROVISIONAL,
	SIFT_R_CANCEL_AFTER_FINAL,
	SIFT_R_CANCEL_NO_487,
	/* ACK, RFC 3261 §13.2.2.4, §17.1.1.3, §12.2.1.1 */
	SIFT_R_ACK_MISSING,
	SIFT_R_ACK_LOST,
	SIFT_R_ACK_2XX_SAME_BRANCH,
	SIFT_R_ACK_2XX_RURI_NOT_CONTACT,
	SIFT_R_ACK_2XX_ROUTE_MISMATCH,
	SIFT_R_ACK_NON2XX_BRANCH_MISMATCH,
	SIFT_R_ACK_NON2XX_RURI_MISMATCH,
	SIFT_R_ACK_CSEQ_MISMATCH,
	SIFT_R_ACK_TO_TAG_MISMATCH,
	/* Proxies, RFC 3261 §16 */
	SIFT_R_PROXY_ROUTE_NOT_REMOVED,
	SIFT_R_PROXY_RURI_CHANGED,
	SIFT_R_RR_NOT_LOOSE,
	/* Transport and syntax */
	SIFT_R_RPORT_RESPONSE_WRONG_PORT,
	SIFT_R_ALIAS_OVER_NON_TLS,
	SIFT_R_TCP_RESPONSE_NEW_CONNECTION,
	SIFT_R_TLS_NO_KEY,
	SIFT_R_CONTENT_LENGTH_MISMATCH,
	SIFT_R_SIP_MESSAGE_OVERSIZE,
	SIFT_R_SIP_PARSE_ERROR,
	SIFT_R_MISSING_MANDATORY_HEADER,
	SIFT_R_CSEQ_METHOD_MISMATCH,
	SIFT_R_STATUS_CODE_INVALID,
	/* Media */
	SIFT_R_SRTP_AUTH_FAILURE,
	SIFT_R_SRTP_NO_KEY,
	SIFT_R_SDES_BAD_CRYPTO,
	SIFT_R_RTP_NO_SIGNALLING,
	SIFT_R_RTP_ONE_WAY,
	SIFT_R_RTP_NO_MEDIA,
	SIFT_R_SDP_PRIVATE_ADDRESS,
	SIFT_R_RTP_UNEXPECTED_SOURCE,
	SIFT_R_RTP_UNEXPECTED_DESTINATION,
	SIFT_R_RTP_AFTER_BYE,
	SIFT_R_SDP_ANSWER_NOT_OFFERED,
	SIFT_R_SDP_MLINE_MISMATCH,
	SIFT_R_RTP_PAYLOAD_NOT_NEGOTIATED,
	SIFT_R_SRTP_SUITE_NOT_OFFERED,
	SIFT_R_DTMF_DOUBLE,
	SIFT_R_COUNT
};

struct sift_rule {
	const char *id;            /* "cancel-branch-mismatch" */
	enum sift_severity severity;
	const char *rfc;           /* "RFC 3261 §9.1" */
	const char *group;         /* cancel, ack, proxy, transport, syntax */
	const char *summary;       /* one line */
};

const struct sift_rule *sift_rule(enum sift_rule_id id);

/* Which rules run. */
struct sift_lint_cfg {
	bool on[SIFT_R_COUNT];
};

/* Every rule on. */
void sift_lint_cfg_default(struct sift_lint_cfg *cfg);

/* Is any rule on? */
bool sift_lint_cfg_any(const struct sift_lint_cfg *cfg);

/* --rules SPEC: comma-separated rule ids, group names or "all", each with
 * "+" (enable) or "-" (disable); a spec whose first item has no sign starts
 * from no rule at all, otherwise from every rule. Disabling wins over
 * enabling, whatever the order ("-ack-missing,+all" is every rule but
 * ack-missing). SIFT_EINVAL with the unknown name in err. */
enum sift_rc sift_lint_cfg_parse(struct sift_lint_cfg *cfg, const char *spec,
				 char *err, size_t errlen);

/* A single message, as it is parsed, for the rules on one message. why is
 * the parser's reason when it rejected the message (then m is NULL and
 * raw/n are the bytes). */
struct sift_syn;

struct sift_lint_msg {
	const struct sift_sip_msg *m;
	const uint8_t *raw;
	size_t n;
	enum sift_sip_err why;
	const char *call_id;        /* from the raw text when m is NULL */
	enum sift_transport tp;
	struct sift_where where;
	/* m's syntax checked ahead (sift_lint_syntax_check, prefetch.c), or
	 * NULL: lint checks it itself. */
	const struct sift_syn *syn;
};

#endif
