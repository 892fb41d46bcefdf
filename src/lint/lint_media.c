/* sipsift — lint rules on media streams and their SDES keys (RFC 4568,
 * RFC 3711): media counts, this judges. */
#include "lint/lint_media.h"

#include <string.h>

void sift_lint_media_crypto(const struct sift_lint_cfg *cfg,
			    const char *call_id, const struct sift_where *w,
			    const char *crypto, const char *why,
			    struct sift_findings *out)
{
	struct sift_frame_ref fr = { w->file, w->frame };

	sift_lint_emit(cfg, out, SIFT_R_SDES_BAD_CRYPTO, call_id, &fr, 1,
		       "a=crypto:%.60s cannot be used (%s); media keyed by it cannot be decrypted",
		       crypto, why);
}

void sift_lint_media_stream(const struct sift_lint_cfg *cfg,
			    const struct sift_stream *s,
			    struct sift_findings *out)
{
	char a[SIFT_ADDR_STRLEN], b[SIFT_ADDR_STRLEN];

	if (s->heuristic && !s->rtcp)
		sift_lint_emit(cfg, out, SIFT_R_RTP_NO_SIGNALLING, NULL,
			       &s->first_frame, 1,
			       "RTP stream SSRC 0x%08x %s -> %s (%llu packets, payload type %u) was announced by no SDP in the capture: its call's signalling was not captured (capture started after the INVITE, or SIP went another way)",
			       s->ssrc, sift_addr_str(&s->src, a, sizeof(a)),
			       sift_addr_str(&s->dst, b, sizeof(b)),
			       (unsigned long long)s->packets, s->pt);
	if (!s->srtp)
		return;
	/* A guess (--key any) that never decrypted may be no SRTP at all:
	 * no finding. */
	if (s->guessed && !s->decrypted)
		return;
	if (s->no_key && !s->decrypted)
		sift_lint_emit(cfg, out, SIFT_R_SRTP_NO_KEY, s->call_id,
			       &s->first_frame, 1,
			       "SRTP stream SSRC 0x%08x %s -> %s (%llu packets) has no SDES key in its call's SDP (DTLS-SRTP, ZRTP or MIKEY?); give one with --key to decrypt it",
			       s->ssrc, sift_addr_str(&s->src, a, sizeof(a)),
			       sift_addr_str(&s->dst, b, sizeof(b)),
			       (unsigned long long)s->packets);
	else if (s->auth_failures && !s->decrypted)
		sift_lint_emit(cfg, out, SIFT_R_SRTP_AUTH_FAILURE, s->call_id,
			       &s->first_frame, 1,
			       "no key of the call authenticates %s SSRC 0x%08x %s -> %s: %llu packets fail, so the key %s is not the one the sender uses%s",
			       s->rtcp ? "SRTCP" : "SRTP", s->ssrc,
			       sift_addr_str(&s->src, a, sizeof(a)),
			       sift_addr_str(&s->dst, b, sizeof(b)),
			       (unsigned long long)s->auth_failures,
			       s->call_id ? "in the SDP" : "given with --key",
			       s->rtcp && sift_media_short_tag(s) ?
			       " (or, with an _32 suite, the sender tags SRTCP with 32 bits where RFC 4568 §6.2 keeps 80)" : "");
	else if (s->auth_failures > s->decrypted / 10 + 2)
		sift_lint_emit(cfg, out, SIFT_R_SRTP_AUTH_FAILURE, s->call_id,
			       &s->first_frame, 1,
			       "SSRC 0x%08x %s -> %s: %llu of %llu packets fail authentication after the key was found (damage or a rekey without new SDP)",
			       s->ssrc, sift_addr_str(&s->src, a, sizeof(a)),
			       sift_addr_str(&s->dst, b, sizeof(b)),
			       (unsigned long long)s->auth_failures,
			       (unsigned long long)s->packets);
}

/* The direction of the m= line that names a in the latest SDP of the
 * call that names it; SIFT_MEDIA_SENDRECV when none does. */
static enum sift_media_dir dir_of(const struct sift_media *md,
				  const struct sift_call *c,
				  const struct sift_addr *a)
{
	size_t n;
	const struct sift_media_sdp *d = sift_media_call_sdps(md, c, &n, NULL);

	for (size_t i = n; i-- > 0;)
		for (unsigned k = 0; k < d[i].nm; k++)
			if (sift_addr_eq(&d[i].m[k].rtp, a))
				return d[i].m[k].dir;
	return SIFT_MEDIA_SENDRECV;
}

/* rtp-one-way: an answered INVITE call whose RTP all goes one way (every
 * stream the same source and destination), nothing back. A call put on
 * hold and resumed has both directions; a call whose SDP says the silent
 * side does not send (its latest m= line recvonly or inactive, or the
 * other side's sendonly or inactive: hold from the first offer, music on
 * hold) is not one-way audio. */
void sift_lint_media_call(const struct sift_lint_cfg *cfg,
			  const struct sift_media *md,
			  const struct sift_call *c,
			  struct sift_findings *out)
{
	struct sift_call_outcome o;
	const struct sift_stream *const *sv;
	const struct sift_stream *first = NULL;
	char a[SIFT_ADDR_STRLEN], b[SIFT_ADDR_STRLEN];
	uint64_t packets = 0;
	size_t n = 0;

	if (!md || !c->kind || strcmp(c->kind, "invite") != 0)
		return;
	sift_lint_media_sdp(cfg, md, c, out);
	sift_lint_media_addresses(cfg, md, c, out);
	sift_lint_media_rtp(cfg, md, c, out);
	sift_call_outcome(c, 0, &o);
	if (o.final_status < 200 || o.final_status > 299)
		return;
	sv = sift_media_call_streams(md, c, &n);
	for (size_t i = 0; i < n; i++) {
		const struct sift_stream *s = sv[i];

		if (s->rtcp || s->heuristic)
			continue;
		if (!first)
			first = s;
		else if (!sift_addr_eq(&s->src, &first->src) ||
			 !sift_addr_eq(&s->dst, &first->dst))
			return;
		packets += s->packets;
	}
	if (!first)
		return;
	{
		enum sift_media_dir silent = dir_of(md, c, &first->dst);
		enum sift_media_dir talker = dir_of(md, c, &first->src);

		if (silent == SIFT_MEDIA_RECVONLY || silent == SIFT_MEDIA_INACTIVE ||
		    talker == SIFT_MEDIA_SENDONLY || talker == SIFT_MEDIA_INACTIVE)
			return;
	}
	sift_lint_emit(cfg, out, SIFT_R_RTP_ONE_WAY, c->call_id,
		       &first->first_frame, 1,
		       "answered call has RTP one way only: %llu packets %s -> %s, none back from %s (one-way audio: NAT, a firewall, or a wrong c= address on that side)",
		       (unsigned long long)packets,
		       sift_addr_str(&first->src, a, sizeof(a)),
		       sift_addr_str(&first->dst, b, sizeof(b)), b);
}
