/* sipsift — the lint rule table and rule selection (--rules). */
#include <stdio.h>
#include <string.h>

#include "lint/rules.h"

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
	[SIFT_R_TLS_NO_KEY] = { "tls-no-key", SIFT_SEV_INFO,
		"RFC 3261 §26.2", "transport",
		"TLS connection that could not be read (no key, handshake not captured, wrong key): its SIP is missing" },
	[SIFT_R_CONTENT_LENGTH_MISMATCH] = { "content-length-mismatch", SIFT_SEV_ERROR,
		"RFC 3261 §18.3", "transport",
		"Content-Length missing on a stream, or not the length of the body" },
	[SIFT_R_SIP_MESSAGE_OVERSIZE] = { "sip-message-oversize", SIFT_SEV_WARNING,
		"RFC 3261 §18.3", "transport",
		"SIP message on a stream too large to analyse (start line over 8 KiB, headers over 64 KiB, body or WebSocket message over 1 MiB): skipped, framing resumes after it" },
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
	[SIFT_R_RTP_ONE_WAY] = { "rtp-one-way", SIFT_SEV_WARNING,
		"RFC 3264 §6.1", "media",
		"answered call whose RTP flows in one direction only (one-way audio)" },
	[SIFT_R_RTP_NO_MEDIA] = { "rtp-no-media", SIFT_SEV_WARNING,
		"RFC 3264 §6.1", "media",
		"answered call whose SDP asks for media but no RTP of it came for seconds after the answer, while the capture has RTP of its hosts" },
	[SIFT_R_SDP_PRIVATE_ADDRESS] = { "sdp-private-address", SIFT_SEV_WARNING,
		"RFC 3264 §5.1", "media",
		"SDP c= or a=rtcp names a private, shared or link-local address, from a public source or facing a public peer (NAT: one-way or no audio)" },
	[SIFT_R_RTP_UNEXPECTED_SOURCE] = { "rtp-unexpected-source", SIFT_SEV_WARNING,
		"RFC 4961 §3", "media",
		"RTP sent from an address its sender's SDP did not name (NAT, an SBC, or no symmetric RTP)" },
	[SIFT_R_RTP_UNEXPECTED_DESTINATION] = { "rtp-unexpected-destination", SIFT_SEV_WARNING,
		"RFC 3264 §5.1", "media",
		"RTP sent to an address no SDP of the call named (latching, an SBC, or a wrong port)" },
	[SIFT_R_RTP_AFTER_BYE] = { "rtp-after-bye", SIFT_SEV_WARNING,
		"RFC 3261 §15.1.1", "media",
		"RTP still sent more than a second after the BYE that ended the session" },
	[SIFT_R_SDP_ANSWER_NOT_OFFERED] = { "sdp-answer-not-offered", SIFT_SEV_ERROR,
		"RFC 3264 §6.1", "media",
		"SDP answer whose codecs on an m= line are all ones the offer did not have" },
	[SIFT_R_SDP_MLINE_MISMATCH] = { "sdp-mline-mismatch", SIFT_SEV_ERROR,
		"RFC 3264 §6", "media",
		"SDP answer's m= lines differ from the offer's in number or media type" },
	[SIFT_R_RTP_PAYLOAD_NOT_NEGOTIATED] = { "rtp-payload-not-negotiated", SIFT_SEV_WARNING,
		"RFC 3264 §5.1", "media",
		"RTP with a payload type its receiver's SDP did not list" },
	[SIFT_R_SRTP_SUITE_NOT_OFFERED] = { "srtp-suite-not-offered", SIFT_SEV_ERROR,
		"RFC 4568 §5.1.2", "media",
		"SDP answer's a=crypto tag or suite is not one the offer had" },
	[SIFT_R_DTMF_DOUBLE] = { "dtmf-double", SIFT_SEV_INFO,
		"RFC 4733 §2.2", "media",
		"the same key press sent both as RFC 4733 events and in-band or as SIP INFO: a receiver acting on both gets it twice" },
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

bool sift_lint_cfg_any(const struct sift_lint_cfg *cfg)
{
	for (int i = 0; i < SIFT_R_COUNT; i++)
		if (cfg->on[i])
			return true;
	return false;
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
