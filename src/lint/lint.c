/* sipsift — lint: runs the rules, and holds the rules on single messages.
 * The rules across a call live in lint_cancel.c, lint_ack.c, lint_proxy.c
 * and lint_transport.c; the grammar checks in lint_syntax*.c. */
#include <string.h>

#include "sip/sip_frame.h"
#include "lint/lint.h"
#include "lint/lint_int.h"

/* Rules on one message. */

static void lint_rejected(const struct sift_lint_cfg *cfg,
			  const struct sift_lint_msg *lm,
			  struct sift_findings *out)
{
	struct sift_frame_ref fr = { lm->where.file, lm->where.frame };
	const char *why = sift_sip_err_str(lm->why);

	/* The parser's reason says which rule it breaks. */
	if (sift_sip_err_missing(lm->why))
		sift_lint_emit(cfg, out, SIFT_R_MISSING_MANDATORY_HEADER,
			       lm->call_id, &fr, 1,
			       "message has %s; a peer must reject it (400) or drop it",
			       why);
	else if (lm->why == SIFT_SIPE_STATUS_RANGE)
		sift_lint_emit(cfg, out, SIFT_R_STATUS_CODE_INVALID, lm->call_id,
			       &fr, 1,
			       "response status code is outside 100-699; the UAC cannot classify it");
	else {
		char what[400] = "";

		/* "Rejected" says nothing: the grammar checks say what. */
		if (lm->why == SIFT_SIPE_REJECTED)
			sift_lint_syntax_why(lm->raw, lm->n, what, sizeof(what));
		sift_lint_emit(cfg, out, SIFT_R_SIP_PARSE_ERROR, lm->call_id, &fr, 1,
			       "SIP message could not be parsed (%s); a peer receiving it would answer 400 or drop it",
			       what[0] ? what : why);
	}
}

/* Where in the body a SIP message starts that Content-Length took in, or
 * body_len. A message/sipfrag (RFC 3420, the NOTIFY of a REFER, RFC 3515
 * §2.4.5) or message/sip body begins with a start line of its own. */
static size_t swallowed_at(const struct sift_sip_msg *m)
{
	size_t from = 0;

	if (sift_is(m->content_type, "message/sipfrag") ||
	    sift_is(m->content_type, "message/sip")) {
		const uint8_t *nl = memchr(m->body, '\n', m->body_len);

		from = nl ? (size_t)(nl - m->body) + 1 : m->body_len;
	}
	return from + sift_sip_find_start_line(m->body + from, m->body_len - from);
}

void sift_lint_message(const struct sift_lint_cfg *cfg,
		       const struct sift_lint_msg *lm,
		       struct sift_findings *out)
{
	const struct sift_sip_msg *m = lm->m;
	struct sift_frame_ref fr = { lm->where.file, lm->where.frame };
	bool stream = lm->tp == SIFT_TP_TCP || lm->tp == SIFT_TP_TLS;

	if (!m) {
		lint_rejected(cfg, lm, out);
		return;
	}
	sift_lint_syntax(cfg, lm, out);
	/* A Max-Forwards that is there but out of range is a syntax
	 * finding (lint_syntax.c), not a missing header. */
	if (m->request && m->max_forwards < 0 && !m->max_forwards_bad)
		sift_lint_emit(cfg, out, SIFT_R_MISSING_MANDATORY_HEADER, m->call_id,
			       &fr, 1,
			       "%s has no Max-Forwards header; proxies cannot detect loops",
			       m->method);
	if (m->request && strcmp(m->method, m->cseq_method) != 0)
		sift_lint_emit(cfg, out, SIFT_R_CSEQ_METHOD_MISMATCH, m->call_id,
			       &fr, 1,
			       "%s request has CSeq method %s; transactions are matched by it, so responses go astray",
			       m->method, m->cseq_method);
	/* A response echoes the request's Via (§18.2.2): only the client
	 * that put alias there is at fault. */
	if (m->request && m->via.alias && lm->tp != SIFT_TP_TLS &&
	    lm->tp != SIFT_TP_WSS)
		sift_lint_emit(cfg, out, SIFT_R_ALIAS_OVER_NON_TLS, m->call_id,
			       &fr, 1,
			       "Via carries alias over %s: connection reuse is only safe on TLS, where the peer is authenticated",
			       sift_transport_str(lm->tp));
	if (stream && !m->has_content_length)
		sift_lint_emit(cfg, out, SIFT_R_CONTENT_LENGTH_MISMATCH, m->call_id,
			       &fr, 1,
			       "%s over %s has no Content-Length; on a stream the receiver cannot tell where it ends",
			       m->request ? m->method : "response",
			       sift_transport_str(lm->tp));
	else if (stream && m->body_len && swallowed_at(m) < m->body_len)
		sift_lint_emit(cfg, out, SIFT_R_CONTENT_LENGTH_MISMATCH, m->call_id,
			       &fr, 1,
			       "Content-Length %zu takes in a SIP message that starts %zu bytes into the body; that message is lost to the receiver",
			       m->content_length, swallowed_at(m));
	else if (!stream && m->has_content_length &&
		 m->content_length > m->body_len)
		sift_lint_emit(cfg, out, SIFT_R_CONTENT_LENGTH_MISMATCH, m->call_id,
			       &fr, 1,
			       "Content-Length %zu is larger than the %zu bytes of body; the receiver must discard the message",
			       m->content_length, m->body_len);
	else if (!stream && m->has_content_length &&
		 m->content_length < m->body_len)
		sift_lint_emit(cfg, out, SIFT_R_CONTENT_LENGTH_MISMATCH, m->call_id,
			       &fr, 1,
			       "Content-Length %zu is smaller than the %zu bytes of body; the rest is ignored",
			       m->content_length, m->body_len);
}

unsigned sift_via_port(const struct sift_msg_rec *m)
{
	if (m->via_port)
		return m->via_port;
	return m->transport == SIFT_TP_TLS ? 5061 : 5060;
}

void sift_lint_stream_framing(const struct sift_lint_cfg *cfg,
			      const char *call_id, const struct sift_where *w,
			      const char *what, struct sift_findings *out)
{
	struct sift_frame_ref fr = { w->file, w->frame };

	sift_lint_emit(cfg, out, SIFT_R_CONTENT_LENGTH_MISMATCH, call_id, &fr, 1,
		       "%s", what);
}

void sift_lint_call(const struct sift_lint_cfg *cfg, const struct sift_call *c,
		    struct sift_findings *out)
{
	sift_lint_cancel(cfg, c, out);
	sift_lint_ack(cfg, c, out);
	sift_lint_proxy(cfg, c, out);
	sift_lint_transport(cfg, c, out);
}
