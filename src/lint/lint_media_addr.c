/* sipsift — lint rules on media addresses: SDP that names a private
 * address across a NAT, and RTP from or to an address no SDP named. */
#include <stdio.h>
#include <string.h>

#include "lint/lint_media.h"
#include "lint/lint_media_int.h"

static enum sift_scope scope4(const uint8_t *ip)
{
	if (ip[0] == 10 || (ip[0] == 172 && (ip[1] & 0xf0) == 16) ||
	    (ip[0] == 192 && ip[1] == 168))
		return SIFT_SCOPE_PRIVATE;
	if (ip[0] == 100 && (ip[1] & 0xc0) == 64)
		return SIFT_SCOPE_SHARED;
	if (ip[0] == 169 && ip[1] == 254)
		return SIFT_SCOPE_LINK_LOCAL;
	if (ip[0] == 127)
		return SIFT_SCOPE_LOOPBACK;
	if (ip[0] == 0 || ip[0] >= 224)
		return SIFT_SCOPE_OTHER;
	return SIFT_SCOPE_PUBLIC;
}

enum sift_scope sift_lint_scope(const struct sift_addr *a)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	static const uint8_t zero[16] = { 0 };

	if (a->family == 4)
		return scope4(a->ip);
	if (a->family != 6)
		return SIFT_SCOPE_OTHER;
	if (memcmp(a->ip, mapped, 12) == 0)
		return scope4(a->ip + 12);
	if ((a->ip[0] & 0xfe) == 0xfc)
		return SIFT_SCOPE_PRIVATE;
	if (a->ip[0] == 0xfe && (a->ip[1] & 0xc0) == 0x80)
		return SIFT_SCOPE_LINK_LOCAL;
	if (memcmp(a->ip, zero, 15) == 0 && a->ip[15] == 1)
		return SIFT_SCOPE_LOOPBACK;
	if (memcmp(a->ip, zero, 15) == 0 || a->ip[0] == 0xff)
		return SIFT_SCOPE_OTHER;
	return SIFT_SCOPE_PUBLIC;
}

const char *sift_lint_scope_str(enum sift_scope s)
{
	switch (s) {
	case SIFT_SCOPE_PRIVATE:
		return "a private address (RFC 1918 / RFC 4193)";
	case SIFT_SCOPE_SHARED:
		return "a shared carrier-grade NAT address (RFC 6598)";
	case SIFT_SCOPE_LINK_LOCAL:
		return "a link-local address";
	case SIFT_SCOPE_LOOPBACK:
		return "a loopback address";
	case SIFT_SCOPE_OTHER:
		return "no unicast address";
	case SIFT_SCOPE_PUBLIC:
	default:
		return "a public address";
	}
}

static bool behind_nat(enum sift_scope s)
{
	return s == SIFT_SCOPE_PRIVATE || s == SIFT_SCOPE_SHARED ||
	       s == SIFT_SCOPE_LINK_LOCAL;
}

/* ICE (WebRTC: UDP/TLS/RTP/SAVPF) finds its own way through NATs: the
 * c= of such an m= line is only a default. */
static bool ice(const struct sift_media_mline *m)
{
	return strncmp(m->proto, "UDP/TLS", 7) == 0;
}

/* The first m= line address of d (RTP, then RTCP) in a NAT scope; NULL
 * when none. */
static const struct sift_addr *nat_addr(const struct sift_media_sdp *d)
{
	for (unsigned i = 0; i < d->nm; i++) {
		if (!d->m[i].rtp.port || ice(&d->m[i]))
			continue;
		if (behind_nat(sift_lint_scope(&d->m[i].rtp)))
			return &d->m[i].rtp;
		if (!d->m[i].rtcp_mux && behind_nat(sift_lint_scope(&d->m[i].rtcp)))
			return &d->m[i].rtcp;
	}
	return NULL;
}

/* The first public m= line address of d, or NULL. */
static const struct sift_addr *public_addr(const struct sift_media_sdp *d)
{
	for (unsigned i = 0; i < d->nm; i++)
		if (d->m[i].rtp.port &&
		    sift_lint_scope(&d->m[i].rtp) == SIFT_SCOPE_PUBLIC)
			return &d->m[i].rtp;
	return NULL;
}

/* The call has RTP, and none of it reaches address a: captured on the
 * NAT side, RTP to a shows the NAT was crossed (the peer latched onto
 * its public side); with no RTP at all the capture shows nothing. */
static bool unreached(const struct sift_stream *const *sv, size_t ns,
		      const struct sift_addr *a)
{
	bool rtp = false;

	for (size_t i = 0; i < ns; i++) {
		if (sv[i]->rtcp)
			continue;
		if (sift_addr_eq(&sv[i]->dst, a))
			return false;
		rtp = true;
	}
	return rtp;
}

void sift_lint_media_private(const struct sift_lint_cfg *cfg,
			     const struct sift_call *c,
			     const struct sift_media_sdp *sdps, size_t n,
			     const struct sift_sdp_pair *pairs, size_t np,
			     const struct sift_stream *const *sv, size_t ns,
			     struct sift_findings *out)
{
	bool told[SIFT_MEDIA_SDPS] = { false };
	char a[SIFT_ADDR_STRLEN], b[SIFT_ADDR_STRLEN];

	/* A body from a public source that names a NAT-side address: the
	 * NAT rewrote the packet and nobody fixed the SDP. Each address
	 * once per call (retransmissions and re-INVITEs repeat it). */
	for (size_t i = 0; i < n && i < SIFT_MEDIA_SDPS; i++) {
		const struct sift_msg_rec *m = sift_lint_sdp_msg(c, &sdps[i].where);
		const struct sift_addr *p = nat_addr(&sdps[i]);
		struct sift_frame_ref fr = { sdps[i].where.file, sdps[i].where.frame };
		bool again = false;

		if (!m || !p || m->retransmission ||
		    sift_lint_scope(&m->src) != SIFT_SCOPE_PUBLIC)
			continue;
		for (size_t j = 0; j < i && !again; j++)
			again = told[j] && nat_addr(&sdps[j]) &&
				sift_addr_eq(nat_addr(&sdps[j]), p);
		told[i] = true;
		if (again)
			continue;
		sift_addr_str(p, a, sizeof(a));
		sift_lint_emit(cfg, out, SIFT_R_SDP_PRIVATE_ADDRESS, c->call_id, &fr, 1,
			       "SDP names %s for its media, %s, but the message came from public %s: a NAT is in between and the peer's RTP to %s cannot arrive (one-way audio) unless an SBC or symmetric RTP fixes it",
			       a, sift_lint_scope_str(sift_lint_scope(p)),
			       sift_addr_str(&m->src, b, sizeof(b)), a);
	}
	/* An offer and its answer in different scopes: one side cannot
	 * reach the other's address. */
	for (size_t i = 0; i < np; i++) {
		const struct sift_media_sdp *o = &sdps[pairs[i].offer];
		const struct sift_media_sdp *r = &sdps[pairs[i].answer];
		const struct sift_media_sdp *in = nat_addr(o) ? o : r;
		const struct sift_media_sdp *pub = in == o ? r : o;
		struct sift_frame_ref fr[2] = {
			{ o->where.file, o->where.frame },
			{ r->where.file, r->where.frame },
		};

		if (told[pairs[i].offer] || told[pairs[i].answer] ||
		    !nat_addr(in) || nat_addr(pub) || !public_addr(pub) ||
		    !unreached(sv, ns, nat_addr(in)))
			continue;
		told[pairs[i].offer] = told[pairs[i].answer] = true;
		sift_lint_emit(cfg, out, SIFT_R_SDP_PRIVATE_ADDRESS, c->call_id, fr, 2,
			       "SDP %s names %s, %s, while its peer's SDP names public %s: the two sides are in different address scopes and RTP to %s cannot cross the NAT",
			       in == o ? "offer" : "answer",
			       sift_addr_str(nat_addr(in), a, sizeof(a)),
			       sift_lint_scope_str(sift_lint_scope(nat_addr(in))),
			       sift_addr_str(public_addr(pub), b, sizeof(b)), a);
	}
}

/* Is a the RTP address of an m= line of some SDP of the call? *host:
 * the address of one on the same host (another port), when not. */
static bool sdp_names(const struct sift_media_sdp *sdps, size_t n,
		      const struct sift_addr *a, const struct sift_addr **host)
{
	for (size_t i = 0; i < n; i++)
		for (unsigned k = 0; k < sdps[i].nm; k++) {
			const struct sift_addr *r = &sdps[i].m[k].rtp;

			if (!r->port)
				continue;
			if (sift_addr_eq(r, a))
				return true;
			if (host && !*host && sift_same_ip(r, a))
				*host = r;
		}
	return false;
}

/* The RTP address the sender of a stream to dst should send from: that
 * of an SDP of the call that names no address of dst's host (the peer's),
 * NAT-side ones first; NULL when the capture has no SDP of the peer. */
static const struct sift_addr *peer_of(const struct sift_media_sdp *sdps,
				       size_t n, const struct sift_addr *dst)
{
	const struct sift_addr *any = NULL;

	for (size_t i = 0; i < n; i++) {
		bool mine = false;

		for (unsigned k = 0; k < sdps[i].nm; k++)
			mine |= sift_same_ip(&sdps[i].m[k].rtp, dst);
		if (mine)
			continue;
		for (unsigned k = 0; k < sdps[i].nm; k++) {
			const struct sift_addr *r = &sdps[i].m[k].rtp;

			if (!r->port)
				continue;
			if (behind_nat(sift_lint_scope(r)))
				return r;
			if (!any)
				any = r;
		}
	}
	return any;
}

/* Does some RTP stream of the call go from a to b? */
static bool flows(const struct sift_stream *const *sv, size_t ns,
		  const struct sift_addr *a, const struct sift_addr *b)
{
	for (size_t i = 0; i < ns; i++)
		if (!sv[i]->rtcp && sift_addr_eq(&sv[i]->src, a) &&
		    sift_addr_eq(&sv[i]->dst, b))
			return true;
	return false;
}

static void unexpected_source(const struct sift_lint_cfg *cfg,
			      const struct sift_call *c,
			      const struct sift_stream *s,
			      const struct sift_media_sdp *sdps, size_t n,
			      const struct sift_stream *const *sv, size_t ns,
			      struct sift_findings *out)
{
	const struct sift_addr *host = NULL, *want;
	char a[SIFT_ADDR_STRLEN], b[SIFT_ADDR_STRLEN], w[SIFT_ADDR_STRLEN];
	const char *why;
	bool latched = flows(sv, ns, &s->dst, &s->src);

	sdp_names(sdps, n, &s->src, &host);
	want = host ? host : peer_of(sdps, n, &s->dst);
	if (!want)
		return;
	if (host)
		why = "the same host from another port: its sender does not use symmetric RTP (RFC 4961)";
	else if (behind_nat(sift_lint_scope(want)) &&
		 sift_lint_scope(&s->src) == SIFT_SCOPE_PUBLIC)
		why = "a public address for a NAT-side SDP address: a NAT rewrote the source and nobody fixed the SDP";
	else
		why = "another host: an SBC or media relay sends for it, or its SDP names the wrong address";
	sift_lint_emit(cfg, out, SIFT_R_RTP_UNEXPECTED_SOURCE, c->call_id,
		       &s->first_frame, 1,
		       "RTP SSRC 0x%08x to %s comes from %s, not from %s that its sender's SDP named: %s; %s",
		       s->ssrc, sift_addr_str(&s->dst, b, sizeof(b)),
		       sift_addr_str(&s->src, a, sizeof(a)),
		       sift_addr_str(want, w, sizeof(w)), why,
		       latched ? "its peer latches onto that source and sends back there, so audio flows both ways" :
		       flows(sv, ns, &s->dst, want) ?
		       "its peer keeps sending to the SDP address, which this sender may never hear (one-way audio)" :
		       "its peer sends nothing back to either address");
}

/* RTP from an address an SDP named to one no SDP named. When RTP to the
 * sender came from exactly there, the sender latched onto it (symmetric
 * RTP, RFC 4961): the right thing, and the unexpected source is the
 * finding. */
static void unexpected_destination(const struct sift_lint_cfg *cfg,
				   const struct sift_call *c,
				   const struct sift_stream *s,
				   const struct sift_media_sdp *sdps, size_t n,
				   const struct sift_stream *const *sv, size_t ns,
				   struct sift_findings *out)
{
	const struct sift_addr *host = NULL;
	char a[SIFT_ADDR_STRLEN], b[SIFT_ADDR_STRLEN], w[SIFT_ADDR_STRLEN];

	if (flows(sv, ns, &s->dst, &s->src))
		return;
	sdp_names(sdps, n, &s->dst, &host);
	if (host)
		sift_lint_emit(cfg, out, SIFT_R_RTP_UNEXPECTED_DESTINATION, c->call_id,
			       &s->first_frame, 1,
			       "RTP SSRC 0x%08x from %s goes to %s, a port no SDP of the call named (that host's SDP says %s): a wrong port, lost to the receiver",
			       s->ssrc, sift_addr_str(&s->src, a, sizeof(a)),
			       sift_addr_str(&s->dst, b, sizeof(b)),
			       sift_addr_str(host, w, sizeof(w)));
	else
		sift_lint_emit(cfg, out, SIFT_R_RTP_UNEXPECTED_DESTINATION, c->call_id,
			       &s->first_frame, 1,
			       "RTP SSRC 0x%08x from %s goes to %s, which no SDP of the call named: an SBC or relay redirected it, or a stale SDP address is in use",
			       s->ssrc, sift_addr_str(&s->src, a, sizeof(a)),
			       sift_addr_str(&s->dst, b, sizeof(b)));
}

void sift_lint_media_addresses(const struct sift_lint_cfg *cfg,
			       const struct sift_media *md,
			       const struct sift_call *c,
			       struct sift_findings *out)
{
	const struct sift_media_sdp *sdps;
	const struct sift_stream *const *sv;
	size_t n, ns;

	sdps = sift_media_call_sdps(md, c, &n, NULL);
	sv = sift_media_call_streams(md, c, &ns);
	if (!sdps || !sv)
		return;
	for (size_t i = 0; i < ns; i++) {
		const struct sift_stream *s = sv[i];
		bool src_ok, dst_ok;

		if (s->rtcp || s->heuristic || !s->call_id)
			continue;
		src_ok = sdp_names(sdps, n, &s->src, NULL);
		dst_ok = sdp_names(sdps, n, &s->dst, NULL);
		if (dst_ok && !src_ok)
			unexpected_source(cfg, c, s, sdps, n, sv, ns, out);
		else if (src_ok && !dst_ok)
			unexpected_destination(cfg, c, s, sdps, n, sv, ns, out);
	}
}
