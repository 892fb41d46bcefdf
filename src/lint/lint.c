/* sipsift — the lint rule table, rule selection, and the rules on single
 * messages. The rules across a call live in lint_cancel.c, lint_ack.c and
 * lint_proxy.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip/sip_frame.h"
#include "lint/lint_int.h"

static const struct sift_rule rules[SIFT_R_COUNT] = {
	[SIFT_R_CANCEL_NO_MATCHING_INVITE] = { "cancel-no-matching-invite", SIFT_SEV_WARNING,
		"RFC 3261 §9.2", "cancel",
		"CANCEL for a request that was never seen; the UAS answers 481" },
	[SIFT_R_CANCEL_BRANCH_MISMATCH] = { "cancel-branch-mismatch", SIFT_SEV_ERROR,
		"RFC 3261 §9.1", "cancel",
		"CANCEL's Via branch differs from the INVITE's, so the UAS cannot match it" },
	[SIFT_R_CANCEL_HEADER_MISMATCH] = { "cancel-header-mismatch", SIFT_SEV_ERROR,
		"RFC 3261 §9.1", "cancel",
		"CANCEL's Request-URI, From, To or CSeq number differs from the INVITE's" },
	[SIFT_R_CANCEL_TO_TAG] = { "cancel-to-tag", SIFT_SEV_ERROR,
		"RFC 3261 §9.1", "cancel",
		"CANCEL carries a To tag (copied from a provisional response) the INVITE did not have" },
	[SIFT_R_CANCEL_VIA_MISMATCH] = { "cancel-via-mismatch", SIFT_SEV_ERROR,
		"RFC 3261 §9.1", "cancel",
		"CANCEL's Via sent-by differs from the INVITE's top Via" },
	[SIFT_R_CANCEL_ROUTE_MISMATCH] = { "cancel-route-mismatch", SIFT_SEV_ERROR,
		"RFC 3261 §9.1", "cancel",
		"CANCEL lacks or changes the Route header of the INVITE it cancels" },
	[SIFT_R_CANCEL_BEFORE_PROVISIONAL] = { "cancel-before-provisional", SIFT_SEV_WARNING,
		"RFC 3261 §9.1", "cancel",
		"CANCEL sent before any provisional response to the INVITE" },
	[SIFT_R_CANCEL_AFTER_FINAL] = { "cancel-after-final", SIFT_SEV_WARNING,
		"RFC 3261 §9.1", "cancel",
		"CANCEL sent after the INVITE's final response; it has no effect" },
	[SIFT_R_CANCEL_NO_487] = { "cancel-no-487", SIFT_SEV_WARNING,
		"RFC 3261 §9.2", "cancel",
		"CANCEL answered with 200 but the INVITE got no 487" },
	[SIFT_R_ACK_MISSING] = { "ack-missing", SIFT_SEV_ERROR,
		"RFC 3261 §13.2.2.4", "ack",
		"2xx to an INVITE retransmitted and never acknowledged" },
	[SIFT_R_ACK_LOST] = { "ack-lost", SIFT_SEV_ERROR,
		"RFC 3261 §13.3.1.4", "ack",
		"2xx still retransmitted after the UAC sent its ACK: the ACK went astray" },
	[SIFT_R_ACK_2XX_SAME_BRANCH] = { "ack-2xx-same-branch", SIFT_SEV_WARNING,
		"RFC 3261 §8.1.1.7", "ack",
		"ACK for a 2xx reuses the INVITE's branch instead of starting a new transaction" },
	[SIFT_R_ACK_2XX_RURI_NOT_CONTACT] = { "ack-2xx-ruri-not-contact", SIFT_SEV_ERROR,
		"RFC 3261 §12.2.1.1", "ack",
		"ACK for a 2xx is not addressed to the remote target (the 2xx's Contact)" },
	[SIFT_R_ACK_2XX_ROUTE_MISMATCH] = { "ack-2xx-route-mismatch", SIFT_SEV_ERROR,
		"RFC 3261 §12.2.1.1", "ack",
		"ACK for a 2xx does not carry the route set (the 2xx's Record-Route, reversed)" },
	[SIFT_R_ACK_NON2XX_BRANCH_MISMATCH] = { "ack-non2xx-branch-mismatch", SIFT_SEV_ERROR,
		"RFC 3261 §17.1.1.3", "ack",
		"ACK for a non-2xx final response has a branch other than the INVITE's" },
	[SIFT_R_ACK_NON2XX_RURI_MISMATCH] = { "ack-non2xx-ruri-mismatch", SIFT_SEV_ERROR,
		"RFC 3261 §17.1.1.3", "ack",
		"ACK for a non-2xx final response has a Request-URI other than the INVITE's" },
	[SIFT_R_ACK_CSEQ_MISMATCH] = { "ack-cseq-mismatch", SIFT_SEV_ERROR,
		"RFC 3261 §17.1.1.3", "ack",
		"ACK's CSeq number differs from the INVITE's" },
	[SIFT_R_ACK_TO_TAG_MISMATCH] = { "ack-to-tag-mismatch", SIFT_SEV_ERROR,
		"RFC 3261 §17.1.1.3", "ack",
		"ACK's To tag differs from the final response it acknowledges" },
	[SIFT_R_PROXY_ROUTE_NOT_REMOVED] = { "proxy-route-not-removed", SIFT_SEV_ERROR,
		"RFC 3261 §16.4", "proxy",
		"a proxy forwards a request still carrying its own topmost Route entry" },
	[SIFT_R_PROXY_RURI_CHANGED] = { "proxy-ruri-changed", SIFT_SEV_ERROR,
		"RFC 3261 §16.6", "proxy",
		"a proxy changed the Request-URI of a loose-routed in-dialog request" },
	[SIFT_R_RR_NOT_LOOSE] = { "rr-not-loose", SIFT_SEV_WARNING,
		"RFC 3261 §16.6", "proxy",
		"Record-Route URI without the lr parameter (strict routing)" },
	[SIFT_R_RPORT_RESPONSE_WRONG_PORT] = { "rport-response-wrong-port", SIFT_SEV_ERROR,
		"RFC 3581 §4", "transport",
		"response to a UDP request with rport not sent to the request's source port" },
	[SIFT_R_ALIAS_OVER_NON_TLS] = { "alias-over-non-tls", SIFT_SEV_WARNING,
		"RFC 5923 §5", "transport",
		"Via alias parameter (connection reuse) on a transport that is not TLS" },
	[SIFT_R_TCP_RESPONSE_NEW_CONNECTION] = { "tcp-response-new-connection", SIFT_SEV_INFO,
		"RFC 3261 §18.2.2", "transport",
		"response sent on another TCP connection than the one the request came on" },
	[SIFT_R_CONTENT_LENGTH_MISMATCH] = { "content-length-mismatch", SIFT_SEV_ERROR,
		"RFC 3261 §18.3", "transport",
		"Content-Length missing on a stream, or not the length of the body" },
	[SIFT_R_SIP_PARSE_ERROR] = { "sip-parse-error", SIFT_SEV_ERROR,
		"RFC 3261 §7", "syntax",
		"message that does not parse as SIP" },
	[SIFT_R_MISSING_MANDATORY_HEADER] = { "missing-mandatory-header", SIFT_SEV_ERROR,
		"RFC 3261 §8.1.1", "syntax",
		"To, From, Call-ID, CSeq, Via or (in a request) Max-Forwards missing" },
	[SIFT_R_CSEQ_METHOD_MISMATCH] = { "cseq-method-mismatch", SIFT_SEV_ERROR,
		"RFC 3261 §8.1.1.5", "syntax",
		"request whose CSeq method is not its own method" },
	[SIFT_R_STATUS_CODE_INVALID] = { "status-code-invalid", SIFT_SEV_ERROR,
		"RFC 3261 §7.2", "syntax",
		"response status code outside 100-699" },
	[SIFT_R_SRTP_AUTH_FAILURE] = { "srtp-auth-failure", SIFT_SEV_ERROR,
		"RFC 3711 §3.3", "media",
		"SRTP packets that no key of the call authenticates" },
	[SIFT_R_SRTP_NO_KEY] = { "srtp-no-key", SIFT_SEV_WARNING,
		"RFC 4568 §6.1", "media",
		"SRTP stream whose call's SDP carries no a=crypto key" },
	[SIFT_R_SDES_BAD_CRYPTO] = { "sdes-bad-crypto", SIFT_SEV_WARNING,
		"RFC 4568 §9.1", "media",
		"a=crypto line that cannot be used: malformed, a key of the wrong length, or an unsupported suite or parameter" },
	[SIFT_R_RTP_NO_SIGNALLING] = { "rtp-no-signalling", SIFT_SEV_INFO,
		"RFC 3264 §5", "media",
		"RTP stream that no SDP in the capture announced (signalling not captured, or sent another way)" },
};

const struct sift_rule *sift_rule(enum sift_rule_id id)
{
	return (unsigned)id < SIFT_R_COUNT ? &rules[id] : NULL;
}

void sift_lint_cfg_default(struct sift_lint_cfg *cfg)
{
	for (int i = 0; i < SIFT_R_COUNT; i++)
		cfg->on[i] = true;
}

/* Sets every rule that name (an id, a group or "all") stands for in v.
 * Returns false when it names nothing. */
static bool mark(bool *v, const char *name, size_t len)
{
	bool any = false;

	for (int i = 0; i < SIFT_R_COUNT; i++) {
		const struct sift_rule *r = &rules[i];

		if ((len == 3 && memcmp(name, "all", 3) == 0) ||
		    (strlen(r->id) == len && memcmp(name, r->id, len) == 0) ||
		    (strlen(r->group) == len && memcmp(name, r->group, len) == 0)) {
			v[i] = true;
			any = true;
		}
	}
	return any;
}

enum sift_rc sift_lint_cfg_parse(struct sift_lint_cfg *cfg, const char *spec,
				 char *err, size_t errlen)
{
	bool plus[SIFT_R_COUNT] = { false }, minus[SIFT_R_COUNT] = { false };
	bool from_none = spec[0] != '+' && spec[0] != '-';
	const char *p = spec;

	while (*p) {
		size_t len = strcspn(p, ",");
		bool *v = plus;

		if (*p == '+' || *p == '-') {
			v = *p == '+' ? plus : minus;
			p++;
			len--;
		}
		if (len == 0 || !mark(v, p, len)) {
			snprintf(err, errlen, "unknown rule or group '%.*s' (see --list-rules)",
				 (int)len, p);
			return SIFT_EINVAL;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	for (int i = 0; i < SIFT_R_COUNT; i++)
		cfg->on[i] = (!from_none || plus[i]) && !minus[i];
	return SIFT_OK;
}

void sift_lint_emit(const struct sift_lint_cfg *cfg, struct sift_findings *out,
		    enum sift_rule_id id, const char *call_id,
		    const struct sift_frame_ref *frames, unsigned nframes,
		    const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!cfg->on[id])
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sift_findings_add(out, rules[id].id, rules[id].severity, rules[id].rfc,
			  call_id, frames, nframes, "%s", msg);
}

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
	else
		sift_lint_emit(cfg, out, SIFT_R_SIP_PARSE_ERROR, lm->call_id, &fr, 1,
			       "SIP message could not be parsed (%s); a peer receiving it would answer 400 or drop it",
			       why);
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
	if (m->request && m->via.alias && lm->tp != SIFT_TP_TLS)
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

/* Helpers shared by the rule groups. */

/* Splits a URI (possibly "Name <uri>;params") into scheme, user, host,
 * port. */
struct uri_parts {
	char scheme[8];
	char user[128];
	char host[128];
	unsigned port;
};

static bool uri_split(const char *s, struct uri_parts *u)
{
	const char *lt, *p, *end, *at, *hp;
	size_t n;

	memset(u, 0, sizeof(*u));
	if (!s)
		return false;
	lt = strchr(s, '<');
	p = lt ? lt + 1 : s;
	while (*p == ' ')
		p++;
	end = p + strcspn(p, lt ? ">" : ";?> ,");
	n = strcspn(p, ":");
	if (p + n >= end || n >= sizeof(u->scheme))
		return false;
	for (size_t i = 0; i < n; i++)
		u->scheme[i] = (char)(p[i] | 0x20);
	p += n + 1;
	/* Params of the URI end the host part too. */
	{
		const char *semi = memchr(p, ';', (size_t)(end - p));

		if (semi)
			end = semi;
	}
	at = memchr(p, '@', (size_t)(end - p));
	if (at) {
		n = (size_t)(at - p);
		if (n >= sizeof(u->user))
			n = sizeof(u->user) - 1;
		memcpy(u->user, p, n);
		p = at + 1;
	}
	if (*p == '[') {
		const char *rb = memchr(p, ']', (size_t)(end - p));

		if (!rb)
			return false;
		hp = rb + 1;
	} else {
		hp = memchr(p, ':', (size_t)(end - p));
		if (!hp)
			hp = end;
	}
	n = (size_t)(hp - p);
	if (n >= sizeof(u->host))
		n = sizeof(u->host) - 1;
	for (size_t i = 0; i < n; i++)
		u->host[i] = (char)((p[i] >= 'A' && p[i] <= 'Z') ? p[i] + 32 : p[i]);
	u->port = strcmp(u->scheme, "sips") == 0 ? 5061 : 5060;
	if (hp < end && *hp == ':') {
		unsigned v = 0;

		for (hp++; hp < end && *hp >= '0' && *hp <= '9'; hp++)
			v = v * 10 + (unsigned)(*hp - '0');
		if (v && v < 65536)
			u->port = v;
	}
	return true;
}

bool sift_uri_eq(const char *a, const char *b)
{
	struct uri_parts x, y;

	if (!a || !b)
		return a == b;
	if (!uri_split(a, &x) || !uri_split(b, &y))
		return strcmp(a, b) == 0;
	return strcmp(x.scheme, y.scheme) == 0 && strcmp(x.user, y.user) == 0 &&
	       strcmp(x.host, y.host) == 0 && x.port == y.port;
}

/* Route values are "<uri>;params" separated by commas; a comma inside
 * angle brackets belongs to the URI. */
static const char *route_next(const char *p, const char **start, size_t *len)
{
	int depth = 0;
	const char *q;

	while (*p == ' ' || *p == ',')
		p++;
	if (!*p)
		return NULL;
	*start = p;
	for (q = p; *q; q++) {
		if (*q == '<')
			depth++;
		else if (*q == '>')
			depth--;
		else if (*q == ',' && depth <= 0)
			break;
	}
	*len = (size_t)(q - p);
	return q;
}

size_t sift_route_count(const char *list)
{
	const char *p = list, *s;
	size_t n = 0, len;

	if (!list)
		return 0;
	while ((p = route_next(p, &s, &len)) != NULL)
		n++;
	return n;
}

bool sift_route_nth(const char *list, size_t n, char *buf, size_t len)
{
	const char *p = list, *s;
	size_t l;

	if (!list)
		return false;
	while ((p = route_next(p, &s, &l)) != NULL) {
		if (n-- == 0) {
			snprintf(buf, len, "%.*s", (int)l, s);
			return true;
		}
	}
	return false;
}

bool sift_uri_has_lr(const char *uri)
{
	const char *p = uri, *end;

	if (!uri)
		return false;
	/* Only the URI's own parameters: inside <...> when bracketed. */
	if ((p = strchr(uri, '<')) != NULL) {
		end = strchr(p, '>');
		if (!end)
			end = p + strlen(p);
	} else {
		p = uri;
		end = p + strlen(p);
	}
	for (const char *q = p; q + 3 <= end; q++)
		if (q[0] == ';' && (q[1] | 0x20) == 'l' && (q[2] | 0x20) == 'r' &&
		    (q + 3 == end || q[3] == ';' || q[3] == '>' || q[3] == '=' ||
		     q[3] == ' '))
			return true;
	return false;
}

const char *sift_ip_str(const struct sift_addr *a, char *buf, size_t len)
{
	struct sift_addr x = *a;

	x.port = 0;
	return sift_addr_str(&x, buf, len);
}

bool sift_uri_is_addr(const char *uri, const struct sift_addr *a)
{
	struct uri_parts u;
	char ip[SIFT_ADDR_STRLEN];
	size_t n;

	if (!uri_split(uri, &u))
		return false;
	sift_ip_str(a, ip, sizeof(ip));
	n = strlen(u.host);
	if (n >= 2 && u.host[0] == '[') {
		/* [v6]: compare without brackets. */
		return strlen(ip) == n - 2 && strncmp(u.host + 1, ip, n - 2) == 0 &&
		       u.port == a->port;
	}
	return strcmp(u.host, ip) == 0 && u.port == a->port;
}
