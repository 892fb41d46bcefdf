/* sipsift — transport rules across a request and its responses: rport
 * (RFC 3581 §4) and TCP connection reuse for responses (RFC 3261 §18.2.2). */
#include <stdio.h>
#include <string.h>

#include "lint/lint_int.h"

/* The request that opened the response's transaction, as it reached the
 * element that answers. */
static const struct sift_msg_rec *request_of(const struct sift_call *c,
					     const struct sift_msg_rec *r)
{
	for (size_t i = 0; i < c->nmsgs && &c->msgs[i] != r; i++) {
		const struct sift_msg_rec *q = &c->msgs[i];

		if (!q->damaged && q->request && q->txn == r->txn &&
		    sift_same_ip(&q->dst, &r->src))
			return q;
	}
	return NULL;
}

void sift_lint_transport(const struct sift_lint_cfg *cfg,
			 const struct sift_call *c, struct sift_findings *out)
{
	bool rport_said = false, tcp_said = false;

	for (size_t i = 0; i < c->nmsgs; i++) {
		const struct sift_msg_rec *r = &c->msgs[i];
		const struct sift_msg_rec *q;
		struct sift_frame_ref fr[2];
		char want[SIFT_ADDR_STRLEN], got[SIFT_ADDR_STRLEN];

		if (r->damaged || r->request || r->txn >= c->ntxns)
			continue;
		q = request_of(c, r);
		if (!q)
			continue;
		fr[0] = sift_ref(r);
		fr[1] = sift_ref(q);
		if (!rport_said && q->transport == SIFT_TP_UDP && q->via_rport &&
		    r->transport == SIFT_TP_UDP && !sift_addr_eq(&r->dst, &q->src)) {
			sift_lint_emit(cfg, out, SIFT_R_RPORT_RESPONSE_WRONG_PORT,
				       c->call_id, fr, 2,
				       "%d sent to %s, but the %s (frame %llu) asked with rport to be answered at its source %s; behind NAT the response is lost",
				       r->status, sift_addr_str(&r->dst, got, sizeof(got)),
				       q->method, (unsigned long long)q->where.frame,
				       sift_addr_str(&q->src, want, sizeof(want)));
			rport_said = true;
		}
		if (!tcp_said && q->transport == SIFT_TP_TCP &&
		    r->transport == SIFT_TP_TCP &&
		    !(sift_addr_eq(&r->src, &q->dst) && sift_addr_eq(&r->dst, &q->src))) {
			sift_lint_emit(cfg, out, SIFT_R_TCP_RESPONSE_NEW_CONNECTION,
				       c->call_id, fr, 2,
				       "%d went %s -> %s, not back on the connection the %s came on (frame %llu); a client behind NAT or a firewall may never see it",
				       r->status, sift_addr_str(&r->src, want, sizeof(want)),
				       sift_addr_str(&r->dst, got, sizeof(got)), q->method,
				       (unsigned long long)q->where.frame);
			tcp_said = true;
		}
	}
}
