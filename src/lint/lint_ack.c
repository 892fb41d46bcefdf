/* sipsift — ACK rules (RFC 3261 §13.2.2.4, §13.3.1.4, §17.1.1.3,
 * §12.2.1.1). */
#include <stdio.h>
#include <string.h>

#include "lint/lint_int.h"

/* A UAS that gets no ACK retransmits its 2xx at T1, 2*T1, ... (§13.3.1.4).
 * A 2xx that follows an ACK by less than this may have crossed it. */
#define ACK_CROSSING (500 * 1000)

static bool is_2xx_invite(const struct sift_msg_rec *m)
{
	return !m->damaged && !m->request && m->status >= 200 &&
	       m->status < 300 && sift_is(m->cseq_method, "INVITE");
}

static bool in_dialog(const struct sift_msg_rec *m, const struct sift_dialog *d)
{
	return (sift_is(m->from_tag, d->from_tag) && sift_is(m->to_tag, d->to_tag)) ||
	       (sift_is(m->from_tag, d->to_tag) && sift_is(m->to_tag, d->from_tag));
}

static double secs(sift_time a, sift_time b)
{
	return (double)(b - a) / 1e6;
}

/* A 2xx that a proxy passes on (§16.7): the same 2xx, captured earlier,
 * went to the element that sends this one. The hop nearest the UAS says
 * whether the ACK got there. */
static bool forwarded_2xx(const struct sift_call *c, size_t i)
{
	const struct sift_msg_rec *ok = &c->msgs[i];

	for (size_t k = 0; k < i; k++) {
		const struct sift_msg_rec *m = &c->msgs[k];

		if (is_2xx_invite(m) && m->cseq == ok->cseq &&
		    sift_is(m->to_tag, ok->to_tag) && sift_same_ip(&m->dst, &ok->src))
			return true;
	}
	return false;
}

/* ack-missing and ack-lost, per dialog and INVITE (CSeq). */
static void check_retransmitted_2xx(const struct sift_lint_cfg *cfg,
				    const struct sift_call *c,
				    const struct sift_dialog *d,
				    struct sift_findings *out)
{
	struct sift_frame_ref fr[SIFT_FINDING_FRAMES];
	unsigned nfr = 0;
	bool missing_said = false, lost_said = false;

	/* Each hop's first 2xx: a proxy forwards the UAS's 2xx, so each hop
	 * has its own retransmissions and its own ACK. */
	for (size_t i = 0; i < c->nmsgs; i++) {
		const struct sift_msg_rec *ok = &c->msgs[i];
		const struct sift_msg_rec *first = NULL, *last = NULL, *bye = NULL;
		const struct sift_msg_rec *ack = NULL, *late = NULL;
		const struct sift_msg_rec *ack_here = NULL, *ack_from = NULL;
		unsigned retrans = 0, after = 0;

		/* The first 2xx of each INVITE of this dialog. */
		if (!is_2xx_invite(ok) || ok->retransmission ||
		    !sift_is(ok->to_tag, d->to_tag))
			continue;
		nfr = 0;
		for (size_t j = i; j < c->nmsgs; j++) {
			const struct sift_msg_rec *m = &c->msgs[j];

			if (is_2xx_invite(m) && m->cseq == ok->cseq &&
			    sift_is(m->to_tag, d->to_tag) &&
			    sift_addr_eq(&m->src, &ok->src)) {
				if (!first)
					first = m;
				last = m;
				if (m != ok)
					retrans++;
				if (nfr < SIFT_FINDING_FRAMES)
					fr[nfr++] = sift_ref(m);
				if (ack && m->where.ts > ack->where.ts) {
					after++;
					if (!late && (after >= 2 ||
						      m->where.ts - ack->where.ts >= ACK_CROSSING))
						late = m;
				}
			} else if (sift_is_req(m, "ACK") && m->cseq == ok->cseq &&
				   in_dialog(m, d)) {
				if (!ack)
					ack = m;
				/* The ACK that reached the sender of this 2xx,
				 * port included: from the element the 2xx
				 * went to, or from the UAC straight past a
				 * proxy that did not record-route. */
				if (sift_addr_eq(&m->dst, &ok->src) && !ack_here)
					ack_here = m;
				/* The ACK of this hop, wherever it went. */
				if (sift_same_ip(&m->src, &ok->dst) && !ack_from)
					ack_from = m;
			} else if (sift_is_req(m, "BYE") && in_dialog(m, d) && !bye) {
				bye = m;
			}
		}
		if (!retrans)
			continue;
		if (!ack) {
			/* No ACK on any hop: one finding for the dialog. */
			if (missing_said)
				continue;
			missing_said = true;
			sift_lint_emit(cfg, out, SIFT_R_ACK_MISSING, c->call_id, fr, nfr,
				       "%d to INVITE (CSeq %u) retransmitted %u times over %.1f s and never acknowledged%s; the UAS will give up on the call",
				       ok->status, ok->cseq, retrans,
				       secs(first->where.ts, last->where.ts),
				       bye ? ", then BYE" : "");
			continue;
		}
		/* Sent elsewhere than the 2xx's source: astray as soon as the
		 * 2xx comes again. Sent there: lost on the way once the 2xx
		 * keeps coming past the time they could have crossed. */
		if (lost_said || forwarded_2xx(c, i))
			continue;
		if (!ack_here && after)
			late = late ? late : last;
		if (late &&
		    (!ack_here || late->where.ts - ack_here->where.ts >= ACK_CROSSING)) {
			char where[SIFT_ADDR_STRLEN];
			/* The ACK first: it went astray. */
			const struct sift_msg_rec *lost = ack_here ? ack_here :
							  ack_from ? ack_from : ack;
			struct sift_frame_ref lf[2] = { sift_ref(lost), sift_ref(late) };

			/* Once per dialog: the hop nearest the UAS comes
			 * first and says the most. */
			lost_said = true;
			sift_addr_str(&lost->dst, where, sizeof(where));
			sift_lint_emit(cfg, out, SIFT_R_ACK_LOST, c->call_id, lf, 2,
				       "%d to INVITE (CSeq %u) still retransmitted (frame %llu) after the ACK (frame %llu, sent to %s); the ACK never reached the UAS",
				       ok->status, ok->cseq,
				       (unsigned long long)late->where.frame,
				       (unsigned long long)lost->where.frame, where);
		}
	}
}

/* The latest 2xx to an INVITE with this CSeq received by the ACK's
 * sender before the ACK; of those, the one of the ACK's dialog: behind a
 * forking proxy each 2xx gets its own ACK (§13.2.2.4). */
static const struct sift_msg_rec *acked_2xx(const struct sift_call *c,
					    const struct sift_msg_rec *a)
{
	const struct sift_msg_rec *best = NULL, *same = NULL;

	for (size_t i = 0; i < c->nmsgs && &c->msgs[i] != a; i++) {
		const struct sift_msg_rec *m = &c->msgs[i];

		if (is_2xx_invite(m) && m->cseq == a->cseq &&
		    sift_same_ip(&m->dst, &a->src)) {
			best = m;
			if (sift_is(m->to_tag, a->to_tag))
				same = m;
		}
	}
	return same ? same : best;
}

/* The INVITE request that opened the transaction an ACK for a non-2xx
 * belongs to, or, for an ACK in a transaction of its own, the latest
 * INVITE its sender sent. */
static const struct sift_msg_rec *invite_of(const struct sift_call *c,
					    const struct sift_msg_rec *a,
					    bool same_txn)
{
	const struct sift_msg_rec *best = NULL;

	for (size_t i = 0; i < c->nmsgs && &c->msgs[i] != a; i++) {
		const struct sift_msg_rec *m = &c->msgs[i];

		if (!sift_is_req(m, "INVITE"))
			continue;
		if (same_txn ? m->txn == a->txn : sift_addr_eq(&m->src, &a->src))
			best = m;
	}
	return best;
}

/* The n-th entry of the route set the UAC must send (§12.2.1.1): the
 * Record-Route reversed; with a strict router first, that router is the
 * Request-URI instead, and the remote target closes the Route. */
static bool want_route(const struct sift_msg_rec *ok, bool strict, size_t i,
		       char *buf, size_t len)
{
	size_t n = sift_route_count(ok->record_route);

	if (strict)
		i++;
	if (i < n)
		return sift_route_nth(ok->record_route, n - 1 - i, buf, len);
	if (strict && i == n && ok->contact) {
		snprintf(buf, len, "<%s>", ok->contact);
		return true;
	}
	return false;
}

static void check_route_set(const struct sift_lint_cfg *cfg,
			    const struct sift_call *c,
			    const struct sift_msg_rec *ok,
			    const struct sift_msg_rec *a, bool strict,
			    struct sift_findings *out)
{
	struct sift_frame_ref fr[2] = { sift_ref(a), sift_ref(ok) };
	size_t n = sift_route_count(ok->record_route);
	size_t m = sift_route_count(a->route);
	bool reversed = true, forward = true;

	if (!n)
		return;
	if (!m && !strict) {
		sift_lint_emit(cfg, out, SIFT_R_ACK_2XX_ROUTE_MISMATCH, c->call_id,
			       fr, 2,
			       "ACK has no Route header although the %d (frame %llu) had Record-Route %s; proxies that record-routed are bypassed",
			       ok->status, (unsigned long long)ok->where.frame,
			       ok->record_route);
		return;
	}
	if (m != n) {
		sift_lint_emit(cfg, out, SIFT_R_ACK_2XX_ROUTE_MISMATCH, c->call_id,
			       fr, 2,
			       "ACK's Route has %zu entries but the %d (frame %llu) recorded %zu (%s)%s",
			       m, ok->status, (unsigned long long)ok->where.frame, n,
			       ok->record_route,
			       strict ? "; with a strict router first, the route set minus that router plus the remote target" : "");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char r[512], want[512], rf[512];

		sift_route_nth(a->route, i, r, sizeof(r));
		if (!want_route(ok, strict, i, want, sizeof(want)) ||
		    !sift_uri_eq(r, want))
			reversed = false;
		if (!sift_route_nth(ok->record_route, i, rf, sizeof(rf)) ||
		    !sift_uri_eq(r, rf))
			forward = false;
	}
	if (reversed)
		return;
	sift_lint_emit(cfg, out, SIFT_R_ACK_2XX_ROUTE_MISMATCH, c->call_id, fr, 2,
		       forward && !strict ?
		       "ACK's Route %s is the %d's Record-Route (frame %llu) in received order, not reversed; the request visits the proxies backwards" :
		       "ACK's Route %s is not the %d's Record-Route (frame %llu) reversed",
		       a->route, ok->status, (unsigned long long)ok->where.frame);
}

static void check_ack(const struct sift_lint_cfg *cfg, const struct sift_call *c,
		      const struct sift_msg_rec *a, struct sift_findings *out)
{
	const struct sift_txn *t = sift_txn_of(c, a);
	struct sift_frame_ref fr[3];

	if (t && sift_is(t->method, "INVITE")) {
		/* §17.1.1.3: the ACK for a non-2xx, in the INVITE's
		 * transaction. */
		const struct sift_msg_rec *inv = invite_of(c, a, true);

		if (!inv)
			return;
		fr[0] = sift_ref(a);
		fr[1] = sift_ref(inv);
		if (!sift_uri_eq(a->ruri, inv->ruri))
			sift_lint_emit(cfg, out, SIFT_R_ACK_NON2XX_RURI_MISMATCH,
				       c->call_id, fr, 2,
				       "ACK for %d has Request-URI %s, the INVITE (frame %llu) had %s",
				       t->final_status, a->ruri ? a->ruri : "?",
				       (unsigned long long)inv->where.frame,
				       inv->ruri ? inv->ruri : "?");
		if (a->cseq != inv->cseq)
			sift_lint_emit(cfg, out, SIFT_R_ACK_CSEQ_MISMATCH, c->call_id,
				       fr, 2,
				       "ACK's CSeq %u differs from the INVITE's %u (frame %llu); the UAS keeps retransmitting its %d",
				       a->cseq, inv->cseq,
				       (unsigned long long)inv->where.frame,
				       t->final_status);
		if (t->final_to_tag && !sift_is(a->to_tag, t->final_to_tag))
			sift_lint_emit(cfg, out, SIFT_R_ACK_TO_TAG_MISMATCH, c->call_id,
				       fr, 2,
				       "ACK's To tag %s differs from the %d's %s",
				       a->to_tag ? a->to_tag : "(none)",
				       t->final_status, t->final_to_tag);
		return;
	}
	/* An ACK in a transaction of its own: for a 2xx, or for a non-2xx
	 * but with a new branch. */
	{
		const struct sift_msg_rec *inv = invite_of(c, a, false);
		const struct sift_txn *it = inv ? sift_txn_of(c, inv) : NULL;
		const struct sift_msg_rec *ok;

		if (inv && it && it->final_status >= 300 && inv->cseq == a->cseq &&
		    !(it->final_to_tag && a->to_tag &&
		      !sift_is(it->final_to_tag, a->to_tag) && acked_2xx(c, a))) {
			fr[0] = sift_ref(a);
			fr[1] = sift_ref(inv);
			sift_lint_emit(cfg, out, SIFT_R_ACK_NON2XX_BRANCH_MISMATCH,
				       c->call_id, fr, 2,
				       "ACK for %d has branch %s, not the INVITE's %s (frame %llu); it is outside the INVITE transaction, which keeps retransmitting its %d",
				       it->final_status, a->branch ? a->branch : "(none)",
				       inv->branch ? inv->branch : "(none)",
				       (unsigned long long)inv->where.frame,
				       it->final_status);
			return;
		}
		ok = acked_2xx(c, a);
		if (!ok) {
			if (inv && inv->cseq != a->cseq) {
				fr[0] = sift_ref(a);
				fr[1] = sift_ref(inv);
				sift_lint_emit(cfg, out, SIFT_R_ACK_CSEQ_MISMATCH,
					       c->call_id, fr, 2,
					       "ACK's CSeq %u matches no INVITE; the last INVITE (frame %llu) had %u",
					       a->cseq, (unsigned long long)inv->where.frame,
					       inv->cseq);
			}
			return;
		}
		fr[0] = sift_ref(a);
		fr[1] = sift_ref(ok);
		if (inv && sift_is(inv->branch, a->branch) &&
		    sift_is(inv->via_host, a->via_host) && sift_via_port(inv) == sift_via_port(a)) {
			fr[1] = sift_ref(inv);
			sift_lint_emit(cfg, out, SIFT_R_ACK_2XX_SAME_BRANCH, c->call_id,
				       fr, 2,
				       "ACK for %d reuses the INVITE's branch %s (frame %llu); an ACK for a 2xx is a new transaction and needs a new branch",
				       ok->status, a->branch ? a->branch : "",
				       (unsigned long long)inv->where.frame);
			fr[1] = sift_ref(ok);
		}
		if (ok->to_tag && !sift_is(a->to_tag, ok->to_tag))
			sift_lint_emit(cfg, out, SIFT_R_ACK_TO_TAG_MISMATCH, c->call_id,
				       fr, 2,
				       "ACK's To tag %s differs from the %d's %s (frame %llu); it belongs to no dialog",
				       a->to_tag ? a->to_tag : "(none)", ok->status,
				       ok->to_tag, (unsigned long long)ok->where.frame);
		/* Only the UAC builds the request from the dialog; a proxy
		 * forwarding it (more Vias) has popped its own Route. */
		if (a->via_count != 1)
			return;
		{
			char first[512];
			bool strict = false;

			/* With a strict router first in the route set the
			 * Request-URI is that router (§12.2.1.1). */
			if (sift_route_nth(ok->record_route,
					   sift_route_count(ok->record_route) - 1,
					   first, sizeof(first)) &&
			    !sift_uri_has_lr(first))
				strict = true;
			if (!strict && ok->contact && !sift_uri_eq(a->ruri, ok->contact))
				sift_lint_emit(cfg, out, SIFT_R_ACK_2XX_RURI_NOT_CONTACT,
					       c->call_id, fr, 2,
					       "ACK is sent to %s, not to the remote target %s from the %d's Contact (frame %llu)",
					       a->ruri ? a->ruri : "?", ok->contact,
					       ok->status, (unsigned long long)ok->where.frame);
			else if (strict && !sift_uri_eq(a->ruri, first))
				sift_lint_emit(cfg, out, SIFT_R_ACK_2XX_RURI_NOT_CONTACT,
					       c->call_id, fr, 2,
					       "ACK is sent to %s, but with the strict router %s first in the route set the Request-URI must be that router",
					       a->ruri ? a->ruri : "?", first);
			check_route_set(cfg, c, ok, a, strict, out);
		}
	}
}

void sift_lint_ack(const struct sift_lint_cfg *cfg, const struct sift_call *c,
		   struct sift_findings *out)
{
	for (size_t i = 0; i < c->ndialogs; i++)
		if (c->dialogs[i].ok_count >= 2)
			check_retransmitted_2xx(cfg, c, &c->dialogs[i], out);
	for (size_t i = 0; i < c->nmsgs; i++) {
		const struct sift_msg_rec *a = &c->msgs[i];

		if (sift_is_req(a, "ACK") && !a->retransmission)
			check_ack(cfg, c, a, out);
	}
}
