/* sipsift — rules on proxies seen on several hops (RFC 3261 §16.4, §16.6)
 * and on Record-Route. */
#include <stdio.h>
#include <string.h>

#include "lint/lint_int.h"

/* §16.4: a proxy whose address is the topmost Route entry removes it
 * before forwarding. A request that leaves an element with that element
 * still first in its Route was forwarded without it. */
static void route_not_removed(const struct sift_lint_cfg *cfg,
			      const struct sift_call *c,
			      struct sift_findings *out)
{
	for (size_t i = 0; i < c->nmsgs; i++) {
		const struct sift_msg_rec *m = &c->msgs[i];
		char top[512], ip[SIFT_ADDR_STRLEN];
		struct sift_frame_ref fr[2];
		unsigned n = 1;

		if (m->damaged || !m->request || m->retransmission || !m->route ||
		    !sift_route_nth(m->route, 0, top, sizeof(top)) ||
		    !sift_uri_is_addr(top, &m->src))
			continue;
		/* The forwarded request first; then, when captured, the
		 * request as it reached that proxy. */
		fr[0] = sift_ref(m);
		for (size_t j = 0; j < i; j++) {
			const struct sift_msg_rec *in = &c->msgs[j];

			if (sift_is_req(in, m->method) && in->cseq == m->cseq &&
			    sift_same_ip(&in->dst, &m->src)) {
				fr[1] = sift_ref(in);
				n = 2;
			}
		}
		sift_lint_emit(cfg, out, SIFT_R_PROXY_ROUTE_NOT_REMOVED, c->call_id,
			       fr, n,
			       "%s leaves %s with its own address %s still first in Route; the next hop sends it back",
			       m->method, sift_ip_str(&m->src, ip, sizeof(ip)), top);
		return;
	}
}

/* §16.4: a strict router replaces the Request-URI (its own URI) with the
 * last Route value and removes that value. */
static bool strict_rewrite(const struct sift_msg_rec *in,
			   const struct sift_msg_rec *out_m)
{
	char last[512];
	size_t n = sift_route_count(in->route);

	return n && sift_route_nth(in->route, n - 1, last, sizeof(last)) &&
	       sift_uri_eq(last, out_m->ruri);
}

/* §16.6 with loose routing: an in-dialog request addressed to the remote
 * target keeps its Request-URI through the proxies. */
static void ruri_changed(const struct sift_lint_cfg *cfg,
			 const struct sift_call *c, struct sift_findings *out)
{
	for (size_t i = 0; i < c->nmsgs; i++) {
		const struct sift_msg_rec *out_m = &c->msgs[i];

		if (out_m->damaged || !out_m->request || !out_m->to_tag ||
		    out_m->retransmission || out_m->via_count < 2)
			continue;
		for (size_t j = 0; j < i; j++) {
			const struct sift_msg_rec *in = &c->msgs[j];
			struct sift_frame_ref fr[2];

			if (!sift_is_req(in, out_m->method) || in->cseq != out_m->cseq ||
			    !sift_same_ip(&in->dst, &out_m->src) ||
			    in->via_count + 1 != out_m->via_count ||
			    !sift_is(in->to_tag, out_m->to_tag))
				continue;
			/* Addressed to the proxy itself: strict routing, where
			 * the proxy must rewrite it. */
			if (sift_uri_is_addr(in->ruri, &in->dst) ||
			    strict_rewrite(in, out_m) ||
			    sift_uri_eq(in->ruri, out_m->ruri))
				continue;
			fr[0] = sift_ref(out_m);
			fr[1] = sift_ref(in);
			sift_lint_emit(cfg, out, SIFT_R_PROXY_RURI_CHANGED, c->call_id,
				       fr, 2,
				       "%s arrived with Request-URI %s (frame %llu) and was forwarded with %s; a loose-routing proxy must not change the remote target",
				       in->method, in->ruri ? in->ruri : "?",
				       (unsigned long long)in->where.frame,
				       out_m->ruri ? out_m->ruri : "?");
			return;
		}
	}
}

static void rr_not_loose(const struct sift_lint_cfg *cfg,
			 const struct sift_call *c, struct sift_findings *out)
{
	for (size_t i = 0; i < c->nmsgs; i++) {
		const struct sift_msg_rec *m = &c->msgs[i];
		size_t n = sift_route_count(m->record_route);

		for (size_t k = 0; k < n; k++) {
			char uri[512];
			struct sift_frame_ref fr = sift_ref(m);

			sift_route_nth(m->record_route, k, uri, sizeof(uri));
			if (sift_uri_has_lr(uri))
				continue;
			sift_lint_emit(cfg, out, SIFT_R_RR_NOT_LOOSE, c->call_id, &fr, 1,
				       "Record-Route %s has no ;lr: the proxy asks for strict routing (RFC 2543), and in-dialog requests get their Request-URI rewritten",
				       uri);
			return;
		}
	}
}

void sift_lint_proxy(const struct sift_lint_cfg *cfg, const struct sift_call *c,
		     struct sift_findings *out)
{
	route_not_removed(cfg, c, out);
	ruri_changed(cfg, c, out);
	rr_not_loose(cfg, c, out);
}
