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
	if (s->no_key && !s->decrypted && s->heuristic)
		sift_lint_emit(cfg, out, SIFT_R_SRTP_NO_KEY, NULL,
			       &s->first_frame, 1,
			       "%s stream SSRC 0x%08x %s -> %s (%llu packets), announced by no SDP, is SRTP (ciphertext with an authentication tag in every RTP packet) and no key for it is in the capture (its SDP was not captured, or went over TLS that was not read): give the SRTP key with --key, or the TLS keys with --tls-keylog or --tls-key",
			       s->rtcp ? "SRTCP" : "SRTP", s->ssrc,
			       sift_addr_str(&s->src, a, sizeof(a)),
			       sift_addr_str(&s->dst, b, sizeof(b)),
			       (unsigned long long)s->packets);
	else if (s->no_key && !s->decrypted)
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

/* A direction that goes silent for this long while the other sends is
 * one-way audio (when the SDP does not say so). Long enough that voice
 * activity detection without comfort noise, a re-INVITE's round trip and
 * a sender's stall are not taken for it. */
#define ONE_WAY_STOP_US (5 * SIFT_USEC)

/* One direction of a call's RTP: the streams from src to dst. */
struct rdir {
	struct sift_addr src, dst;
	sift_time first, last;
	struct sift_frame_ref last_frame;
	sift_time gap_start, gap_end;  /* its longest silence inside */
	bool cn;                        /* suppresses silence: comfort noise
					 * (RFC 3389), or timestamps that
					 * skip pauses (RFC 3551 §4.1) */
};

static void rdir_of(const struct sift_stream *const *sv, size_t n,
		    const struct sift_addr *src, const struct sift_addr *dst,
		    struct rdir *d)
{
	memset(d, 0, sizeof(*d));
	d->src = *src;
	d->dst = *dst;
	for (size_t i = 0; i < n; i++) {
		const struct sift_stream *s = sv[i];
		sift_time g = (sift_time)(s->rs.max_delta_ms * 1000.0);

		if (s->rtcp || s->heuristic || !s->packets ||
		    !sift_addr_eq(&s->src, src) || !sift_addr_eq(&s->dst, dst))
			continue;
		/* A later stream (a new SSRC) after a silence: a gap too. */
		if (d->last && s->first_ts > d->last &&
		    s->first_ts - d->last > d->gap_end - d->gap_start) {
			d->gap_start = d->last;
			d->gap_end = s->first_ts;
		}
		if (!d->first || s->first_ts < d->first)
			d->first = s->first_ts;
		if (s->last_ts > d->last) {
			d->last = s->last_ts;
			d->last_frame = s->last_frame;
		}
		if (g > d->gap_end - d->gap_start) {
			d->gap_start = s->rs.max_delta_at - g;
			d->gap_end = s->rs.max_delta_at;
		}
		d->cn |= s->comfort_noise > 0 || s->rs.dtx_pauses > 0;
	}
}

/* True when the SDP in force at some time in [t1, t2] says the side at
 * src does not send to the side at dst: src's m= line recvonly or
 * inactive, or dst's sendonly or inactive (hold, music on hold). */
static bool sdp_silences(const struct sift_media *md, const struct sift_call *c,
			 const struct sift_addr *src, const struct sift_addr *dst,
			 sift_time t1, sift_time t2)
{
	size_t n;
	const struct sift_media_sdp *d = sift_media_call_sdps(md, c, &n, NULL);
	size_t from = 0;

	/* The latest SDP at t1, and every one until t2. */
	for (size_t i = 0; i < n; i++)
		if (d[i].where.ts <= t1)
			from = i;
	for (size_t i = from; i < n && d[i].where.ts <= t2; i++)
		for (unsigned k = 0; k < d[i].nm; k++) {
			enum sift_media_dir dir = d[i].m[k].dir;

			if (sift_addr_eq(&d[i].m[k].rtp, src) &&
			    (dir == SIFT_MEDIA_RECVONLY || dir == SIFT_MEDIA_INACTIVE))
				return true;
			if (sift_addr_eq(&d[i].m[k].rtp, dst) &&
			    (dir == SIFT_MEDIA_SENDONLY || dir == SIFT_MEDIA_INACTIVE))
				return true;
		}
	return false;
}

/* True when direction r sends all through [t1, t2]: it began before,
 * ended after, and its own longest silence is short or not in there. */
static bool flows_through(const struct rdir *r, sift_time t1, sift_time t2)
{
	return r->first <= t1 && r->last >= t2 &&
	       (r->gap_end - r->gap_start < ONE_WAY_STOP_US / 5 ||
		r->gap_end <= t1 || r->gap_start >= t2);
}

/* rtp-one-way, the mid-call case: an answered call with RTP both ways,
 * one of which goes silent for ONE_WAY_STOP_US or more (stops for good,
 * starts late, or pauses) while the other sends all through, and no SDP
 * of the call says that side does not send then. A direction that
 * suppresses silence (comfort noise, or a pause its RTP timestamps skip
 * while its sequence goes on by one) is not judged: its silences may be
 * the speaker's. */
static void one_way_stops(const struct sift_lint_cfg *cfg,
			  const struct sift_media *md,
			  const struct sift_call *c,
			  const struct sift_stream *const *sv, size_t n,
			  struct sift_findings *out)
{
	for (size_t i = 0; i < n; i++) {
		const struct sift_stream *s = sv[i];
		struct rdir d, r;
		sift_time t1 = 0, t2 = 0;
		char a[SIFT_ADDR_STRLEN], b[SIFT_ADDR_STRLEN];
		const char *how;
		struct sift_frame_ref fr[2];

		if (s->rtcp || s->heuristic)
			continue;
		rdir_of(sv, n, &s->src, &s->dst, &d);
		/* Each direction once: at its first stream. */
		if (d.first != s->first_ts)
			continue;
		rdir_of(sv, n, &s->dst, &s->src, &r);
		if (!r.first || d.cn)
			continue;
		if (r.last - d.last >= ONE_WAY_STOP_US) {
			t1 = d.last, t2 = r.last, how = "stops";
		} else if (d.first - r.first >= ONE_WAY_STOP_US) {
			t1 = r.first, t2 = d.first, how = "starts late";
		} else if (d.gap_end - d.gap_start >= ONE_WAY_STOP_US) {
			t1 = d.gap_start, t2 = d.gap_end, how = "pauses";
		} else {
			continue;
		}
		if (!flows_through(&r, t1, t2) ||
		    sdp_silences(md, c, &d.src, &d.dst, t1, t2))
			continue;
		fr[0] = d.last_frame;
		fr[1] = r.last_frame;
		sift_lint_emit(cfg, out, SIFT_R_RTP_ONE_WAY, c->call_id, fr, 2,
			       "RTP %s -> %s %s: silent for %.1f s from %.3f s into the call while the other way sends, and no SDP says it should not send (one-way audio: NAT binding lost, a firewall, a media server or phone that stopped)",
			       sift_addr_str(&d.src, a, sizeof(a)),
			       sift_addr_str(&d.dst, b, sizeof(b)), how,
			       (double)(t2 - t1) / SIFT_USEC,
			       (double)(t1 - c->first_ts) / SIFT_USEC);
	}
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
		if (!first) {
			first = s;
		} else if (!sift_addr_eq(&s->src, &first->src) ||
			   !sift_addr_eq(&s->dst, &first->dst)) {
			one_way_stops(cfg, md, c, sv, n, out);
			return;
		}
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
