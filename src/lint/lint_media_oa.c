/* sipsift — lint rules on a call's SDP offers and answers (RFC 3264,
 * RFC 4568): which body is an offer and which its answer is read off the
 * messages that carried them; media kept what each body said
 * (sift_media_call_sdps). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lint/lint_media.h"
#include "lint/lint_media_int.h"

const struct sift_msg_rec *sift_lint_sdp_msg(const struct sift_call *c,
					     const struct sift_where *w)
{
	const struct sift_msg_rec *any = NULL;

	for (size_t i = 0; i < c->nmsgs; i++) {
		const struct sift_msg_rec *m = &c->msgs[i];

		if (m->where.file != w->file || m->where.frame != w->frame)
			continue;
		if (m->has_sdp)
			return m;
		if (!any)
			any = m;
	}
	return any;
}

static bool is_method(const struct sift_msg_rec *m, const char *name)
{
	return m->method && strcmp(m->method, name) == 0;
}

/* Offers made by a request wait for the responses of their transaction;
 * offers made by a response (an INVITE without SDP) wait for the ACK or
 * PRACK. A copy forwarded over several hops is several offers: an answer
 * pairs with the one that went to where it comes from. */
struct pending {
	size_t sdp;
	const struct sift_msg_rec *m;
};

static const struct pending *pick(const struct pending *v, size_t n,
				  const struct sift_msg_rec *ans, bool by_cseq)
{
	const struct pending *last = NULL;

	for (size_t i = n; i-- > 0;) {
		const struct sift_msg_rec *o = v[i].m;

		if (by_cseq && (o->cseq != ans->cseq || !o->cseq_method ||
				!ans->cseq_method ||
				strcmp(o->cseq_method, ans->cseq_method) != 0))
			continue;
		if (sift_same_ip(&o->dst, &ans->src))
			return &v[i];
		if (!last)
			last = &v[i];
	}
	return last;
}

size_t sift_lint_sdp_pairs(const struct sift_call *c,
			   const struct sift_media_sdp *sdps, size_t n,
			   struct sift_sdp_pair *out, size_t cap)
{
	struct pending req[SIFT_MEDIA_SDPS], rsp[SIFT_MEDIA_SDPS];
	size_t nreq = 0, nrsp = 0, k = 0;

	for (size_t i = 0; i < n && i < SIFT_MEDIA_SDPS; i++) {
		const struct sift_msg_rec *m = sift_lint_sdp_msg(c, &sdps[i].where);
		const struct pending *o = NULL;

		if (!m || m->retransmission || m->damaged)
			continue;
		if (m->request && (is_method(m, "ACK") || is_method(m, "PRACK"))) {
			o = pick(rsp, nrsp, m, false);
			if (!o && is_method(m, "PRACK"))
				req[nreq++] = (struct pending){ i, m };
		} else if (m->request) {
			req[nreq++] = (struct pending){ i, m };
		} else if (m->status > 100 && m->status < 300) {
			o = pick(req, nreq, m, true);
			if (!o)
				rsp[nrsp++] = (struct pending){ i, m };
		}
		if (o && k < cap) {
			out[k].offer = o->sdp;
			out[k].answer = i;
			out[k].offer_msg = o->m;
			out[k].answer_msg = m;
			k++;
		}
	}
	return k;
}

/* The same answer again (a reliable 183 and then the 200, RFC 3262):
 * the same author and o= version as an answer already judged against
 * the same offer. */
static bool seen_answer(const struct sift_media_sdp *sdps,
			const struct sift_sdp_pair *p, size_t i)
{
	const struct sift_media_sdp *a = &sdps[p[i].answer];

	for (size_t j = 0; j < i; j++) {
		const struct sift_media_sdp *b = &sdps[p[j].answer];

		if (p[j].offer == p[i].offer &&
		    b->sess_version == a->sess_version &&
		    sift_addr_eq(&p[j].answer_msg->src, &p[i].answer_msg->src))
			return true;
	}
	return false;
}

static bool same_codec(const struct sift_media_fmt *a,
		       const struct sift_media_fmt *b)
{
	if (!a->name[0] || !b->name[0])
		return a->pt == b->pt;
	return strcasecmp(a->name, b->name) == 0 &&
	       (!a->rate || !b->rate || a->rate == b->rate);
}

static void fmt_str(const struct sift_media_fmt *f, char *buf, size_t cap)
{
	if (f->name[0])
		snprintf(buf, cap, "%u %s/%u", f->pt, f->name, f->rate);
	else
		snprintf(buf, cap, "%u", f->pt);
}

static bool is_rtp(const struct sift_media_mline *m)
{
	return strstr(m->proto, "RTP") != NULL;
}

/* Formats that ride along a codec and carry no audio or video of their
 * own: telephone-event, comfort noise, redundancy and FEC. */
static bool auxiliary(const struct sift_media_fmt *f)
{
	static const char *const names[] = {
		"telephone-event", "CN", "red", "ulpfec", "flexfec", "rtx",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(f->name, names[i]) == 0)
			return true;
	return false;
}

/* sdp-answer-not-offered on m= line i: an answer may list formats the
 * offer lacked, but at least one of its codecs must be the offer's
 * (RFC 3264 §6.1: same name and rate; a format without a name, the same
 * number). Telephone-event and the like only count when the answer has
 * nothing else. */
static void answer_formats(const struct sift_lint_cfg *cfg,
			   const struct sift_call *c,
			   const struct sift_media_mline *o,
			   const struct sift_media_mline *a, unsigned i,
			   const struct sift_frame_ref fr[2],
			   struct sift_findings *out)
{
	char list[200] = "";
	size_t used = 0;
	unsigned media = 0;

	if (!a->rtp.port || !is_rtp(a) || !is_rtp(o) || !a->nfmt)
		return;
	for (unsigned k = 0; k < a->nfmt; k++)
		media += !auxiliary(&a->fmt[k]);
	for (unsigned k = 0; k < a->nfmt; k++) {
		if (media && auxiliary(&a->fmt[k]))
			continue;
		for (unsigned j = 0; j < o->nfmt; j++)
			if (same_codec(&a->fmt[k], &o->fmt[j]))
				return;
		if (used + 40 < sizeof(list)) {
			char f[48];

			fmt_str(&a->fmt[k], f, sizeof(f));
			used += (size_t)snprintf(list + used, sizeof(list) - used,
						 "%s%s", used ? ", " : "", f);
		}
	}
	sift_lint_emit(cfg, out, SIFT_R_SDP_ANSWER_NOT_OFFERED, c->call_id, fr, 2,
		       "SDP answer's m=%s line %u lists only %s, none of which the offer had: the two sides share no codec, and neither may send what the other listed",
		       a->type, i + 1, list);
}

/* srtp-suite-not-offered on m= line i: each a=crypto of the answer must
 * be one of the offer's, tag and suite (RFC 4568 §5.1.2). */
static void answer_crypto(const struct sift_lint_cfg *cfg,
			  const struct sift_call *c,
			  const struct sift_media_mline *o,
			  const struct sift_media_mline *a, unsigned i,
			  const struct sift_frame_ref fr[2],
			  struct sift_findings *out)
{
	if (!a->rtp.port)
		return;
	for (unsigned k = 0; k < a->ncrypto; k++) {
		bool tag = false, both = false;

		for (unsigned j = 0; j < o->ncrypto; j++) {
			if (o->crypto[j].tag != a->crypto[k].tag)
				continue;
			tag = true;
			both = strcmp(o->crypto[j].suite, a->crypto[k].suite) == 0;
		}
		if (both)
			continue;
		sift_lint_emit(cfg, out, SIFT_R_SRTP_SUITE_NOT_OFFERED, c->call_id, fr, 2,
			       "SDP answer's m=%s line %u accepts a=crypto:%u %s, but the offer %s; the offerer cannot tell which key and suite protect its media",
			       a->type, i + 1, a->crypto[k].tag, a->crypto[k].suite,
			       !o->ncrypto ? "had no a=crypto at all" :
			       tag ? "gave that tag another suite" :
			       "had no a=crypto with that tag");
	}
}

static void judge_pair(const struct sift_lint_cfg *cfg, const struct sift_call *c,
		       const struct sift_media_sdp *off,
		       const struct sift_media_sdp *ans,
		       struct sift_findings *out)
{
	struct sift_frame_ref fr[2] = {
		{ off->where.file, off->where.frame },
		{ ans->where.file, ans->where.frame },
	};
	unsigned n = off->nm < ans->nm ? off->nm : ans->nm;

	if (off->nm != ans->nm) {
		sift_lint_emit(cfg, out, SIFT_R_SDP_MLINE_MISMATCH, c->call_id, fr, 2,
			       "SDP answer has %u m= line%s where the offer has %u; each m= line of the answer must answer the offer's in the same place",
			       ans->nm, ans->nm == 1 ? "" : "s", off->nm);
	} else {
		for (unsigned i = 0; i < n; i++)
			if (strcasecmp(off->m[i].type, ans->m[i].type) != 0) {
				sift_lint_emit(cfg, out, SIFT_R_SDP_MLINE_MISMATCH,
					       c->call_id, fr, 2,
					       "SDP answer's m= line %u is %s where the offer's is %s: the answer's m= lines must follow the offer's order",
					       i + 1, ans->m[i].type, off->m[i].type);
				return;
			}
	}
	for (unsigned i = 0; i < n; i++) {
		if (strcasecmp(off->m[i].type, ans->m[i].type) != 0)
			continue;
		answer_formats(cfg, c, &off->m[i], &ans->m[i], i, fr, out);
		answer_crypto(cfg, c, &off->m[i], &ans->m[i], i, fr, out);
	}
}

void sift_lint_media_sdp(const struct sift_lint_cfg *cfg,
			 const struct sift_media *md, const struct sift_call *c,
			 struct sift_findings *out)
{
	struct sift_sdp_pair pairs[SIFT_MEDIA_SDPS];
	const struct sift_media_sdp *sdps;
	const struct sift_stream *const *sv;
	size_t n, np, ns;

	sdps = sift_media_call_sdps(md, c, &n, NULL);
	if (!sdps)
		return;
	np = sift_lint_sdp_pairs(c, sdps, n, pairs, SIFT_MEDIA_SDPS);
	for (size_t i = 0; i < np; i++)
		if (!seen_answer(sdps, pairs, i))
			judge_pair(cfg, c, &sdps[pairs[i].offer],
				   &sdps[pairs[i].answer], out);
	sv = sift_media_call_streams(md, c, &ns);
	sift_lint_media_private(cfg, c, sdps, n, pairs, np, sv, ns, out);
}
