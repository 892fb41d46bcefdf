/* sipsift — CANCEL rules (RFC 3261 §9.1, §9.2). */
#include <stdio.h>
#include <string.h>

#include "lint/lint_int.h"

/* The same value, or none in both: an RFC 2543 element may put no Via
 * branch (the whole top Via then matches, §17.2.3) and no From tag. */
static bool same_or_none(const char *a, const char *b)
{
	return a || b ? sift_is(a, b) : true;
}

/* The INVITE a CANCEL cancels, as §9.1 matches it: same branch and top Via
 * sent-by. The latest one sent before the CANCEL. */
static const struct sift_msg_rec *matching_invite(const struct sift_call *c,
						  const struct sift_msg_rec *k)
{
	const struct sift_msg_rec *best = NULL;

	for (size_t i = 0; i < c->nmsgs && &c->msgs[i] != k; i++) {
		const struct sift_msg_rec *m = &c->msgs[i];

		if (sift_is_req(m, "INVITE") && !m->retransmission &&
		    same_or_none(m->branch, k->branch) && sift_is(m->via_host, k->via_host) &&
		    sift_via_port(m) == sift_via_port(k))
			best = m;
	}
	return best;
}

/* The INVITE the sender of a CANCEL most likely meant: the latest one it
 * sent with the same CSeq number. */
static const struct sift_msg_rec *meant_invite(const struct sift_call *c,
					       const struct sift_msg_rec *k)
{
	const struct sift_msg_rec *best = NULL;

	for (size_t i = 0; i < c->nmsgs && &c->msgs[i] != k; i++) {
		const struct sift_msg_rec *m = &c->msgs[i];

		if (sift_is_req(m, "INVITE") && m->cseq == k->cseq &&
		    sift_addr_eq(&m->src, &k->src))
			best = m;
	}
	return best;
}

/* Did the UAS show that it had the INVITE a CANCEL cancels, though the
 * capture has not (it started after the INVITE was sent)? It answered the
 * CANCEL 2xx (§9.2: only when it matched the INVITE), or answered an
 * INVITE of the same CSeq number from the same side. */
static bool uas_had_invite(const struct sift_call *c,
			   const struct sift_msg_rec *k)
{
	for (size_t i = 0; i < c->nmsgs; i++) {
		const struct sift_msg_rec *m = &c->msgs[i];

		if (m->request || m->damaged || m->cseq != k->cseq ||
		    !sift_addr_eq(&m->dst, &k->src))
			continue;
		if (sift_is(m->cseq_method, "CANCEL") && m->status >= 200 &&
		    m->status < 300)
			return true;
		if (sift_is(m->cseq_method, "INVITE"))
			return true;
	}
	return false;
}

static void check_headers(const struct sift_lint_cfg *cfg,
			  const struct sift_call *c,
			  const struct sift_msg_rec *inv,
			  const struct sift_msg_rec *k, struct sift_findings *out)
{
	/* The CANCEL first: it is the message at fault. */
	struct sift_frame_ref fr[2] = { sift_ref(k), sift_ref(inv) };
	char what[64] = "";

	if (!sift_uri_eq(k->ruri, inv->ruri))
		snprintf(what, sizeof(what), "Request-URI");
	else if (!sift_uri_eq(k->from_uri, inv->from_uri) ||
		 !same_or_none(k->from_tag, inv->from_tag))
		snprintf(what, sizeof(what), "From");
	else if (!sift_uri_eq(k->to_uri, inv->to_uri))
		snprintf(what, sizeof(what), "To");
	else if (k->cseq != inv->cseq)
		snprintf(what, sizeof(what), "CSeq number");
	if (what[0])
		sift_lint_emit(cfg, out, SIFT_R_CANCEL_HEADER_MISMATCH, c->call_id,
			       fr, 2,
			       "CANCEL's %s differs from the INVITE's (frame %llu); the UAS may not match it to the INVITE",
			       what, (unsigned long long)inv->where.frame);
	/* A CANCEL for a re-INVITE carries the dialog's To tag legitimately:
	 * only a tag the INVITE did not have is wrong. */
	if (k->to_tag && !inv->to_tag)
		sift_lint_emit(cfg, out, SIFT_R_CANCEL_TO_TAG, c->call_id, fr, 2,
			       "CANCEL carries To tag %s that the INVITE (frame %llu) had not: it was copied from a provisional response, and the UAS may answer 481",
			       k->to_tag, (unsigned long long)inv->where.frame);
	else if (k->to_tag && inv->to_tag && !sift_is(k->to_tag, inv->to_tag))
		sift_lint_emit(cfg, out, SIFT_R_CANCEL_HEADER_MISMATCH, c->call_id,
			       fr, 2,
			       "CANCEL's To tag %s differs from the re-INVITE's %s (frame %llu)",
			       k->to_tag, inv->to_tag,
			       (unsigned long long)inv->where.frame);
	if (inv->route && (!k->route || strcmp(inv->route, k->route) != 0))
		sift_lint_emit(cfg, out, SIFT_R_CANCEL_ROUTE_MISMATCH, c->call_id,
			       fr, 2,
			       "the INVITE (frame %llu) has Route %s but the CANCEL %s%s; it may not reach the same next hop",
			       (unsigned long long)inv->where.frame, inv->route,
			       k->route ? "has " : "has none",
			       k->route ? k->route : "");
}

/* Responses of the INVITE's transaction before the CANCEL, and after. */
static void check_timing(const struct sift_lint_cfg *cfg,
			 const struct sift_call *c,
			 const struct sift_msg_rec *inv,
			 const struct sift_msg_rec *k, struct sift_findings *out)
{
	const struct sift_msg_rec *prov = NULL, *final = NULL, *ok = NULL;
	const struct sift_txn *t = sift_txn_of(c, inv);
	struct sift_frame_ref fr[3];

	for (size_t i = 0; i < c->nmsgs; i++) {
		const struct sift_msg_rec *m = &c->msgs[i];

		if (m->damaged || m->request)
			continue;
		if (t && m->txn == inv->txn && m->where.ts <= k->where.ts) {
			if (m->status < 200 && !prov)
				prov = m;
			if (m->status >= 200 && !final)
				final = m;
		}
		if (k->txn < c->ntxns && m->txn == k->txn && m->status >= 200 &&
		    m->status < 300 && !ok)
			ok = m;
	}
	fr[0] = sift_ref(k);
	fr[1] = sift_ref(inv);
	if (final) {
		fr[2] = sift_ref(final);
		sift_lint_emit(cfg, out, SIFT_R_CANCEL_AFTER_FINAL, c->call_id, fr, 3,
			       "CANCEL sent after the INVITE's final response %d (frame %llu); it has no effect on a completed transaction",
			       final->status, (unsigned long long)final->where.frame);
	} else if (!prov) {
		sift_lint_emit(cfg, out, SIFT_R_CANCEL_BEFORE_PROVISIONAL, c->call_id,
			       fr, 2,
			       "CANCEL sent before any provisional response to the INVITE (frame %llu); the UAC should wait for one, or the CANCEL may overtake the INVITE",
			       (unsigned long long)inv->where.frame);
	}
	if (ok && t && !t->final_status) {
		fr[0] = sift_ref(ok);
		sift_lint_emit(cfg, out, SIFT_R_CANCEL_NO_487, c->call_id, fr, 2,
			       "CANCEL was answered %d (frame %llu) but the INVITE (frame %llu) never got its 487; the caller's INVITE transaction hangs until Timer B",
			       ok->status, (unsigned long long)ok->where.frame,
			       (unsigned long long)inv->where.frame);
	}
}

void sift_lint_cancel(const struct sift_lint_cfg *cfg, const struct sift_call *c,
		      struct sift_findings *out)
{
	for (size_t i = 0; i < c->nmsgs; i++) {
		const struct sift_msg_rec *k = &c->msgs[i];
		const struct sift_msg_rec *inv;
		struct sift_frame_ref fr[2];

		if (!sift_is_req(k, "CANCEL") || k->retransmission)
			continue;
		inv = matching_invite(c, k);
		if (!inv) {
			const struct sift_msg_rec *meant = meant_invite(c, k);

			fr[0] = sift_ref(k);
			if (!meant && uas_had_invite(c, k))
				continue;
			if (!meant) {
				sift_lint_emit(cfg, out, SIFT_R_CANCEL_NO_MATCHING_INVITE,
					       c->call_id, fr, 1,
					       "CANCEL (CSeq %u) matches no INVITE in the capture; a UAS answers 481 Call/Transaction Does Not Exist",
					       k->cseq);
				continue;
			}
			fr[1] = sift_ref(meant);
			if (same_or_none(meant->branch, k->branch))
				sift_lint_emit(cfg, out, SIFT_R_CANCEL_VIA_MISMATCH,
					       c->call_id, fr, 2,
					       "CANCEL's Via sent-by %s:%u differs from the INVITE's %s:%u (frame %llu); the UAS cannot match it and answers 481",
					       k->via_host ? k->via_host : "?", sift_via_port(k),
					       meant->via_host ? meant->via_host : "?",
					       sift_via_port(meant),
					       (unsigned long long)meant->where.frame);
			else
				sift_lint_emit(cfg, out, SIFT_R_CANCEL_BRANCH_MISMATCH,
					       c->call_id, fr, 2,
					       "CANCEL's Via branch %s differs from the INVITE's %s (frame %llu); the UAS cannot match it and answers 481",
					       k->branch ? k->branch : "(none)",
					       meant->branch ? meant->branch : "(none)",
					       (unsigned long long)meant->where.frame);
			check_headers(cfg, c, meant, k, out);
			continue;
		}
		check_headers(cfg, c, inv, k, out);
		check_timing(cfg, c, inv, k, out);
	}
}
