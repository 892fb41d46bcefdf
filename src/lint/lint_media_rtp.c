/* sipsift — lint rules on what RTP a call carried against what its SIP
 * and SDP said: no media at all, media after the BYE, payload types the
 * receiver never listed, and key presses sent twice. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lint/lint_media.h"
#include "lint/lint_media_int.h"

/* How long an answered call must last with no RTP before that is a
 * finding, and how long after a BYE RTP may still be in flight. */
#define NO_MEDIA_US (2 * SIFT_USEC)
#define AFTER_BYE_US (1 * SIFT_USEC)
/* A key press sent two ways: the two events start this close. */
#define DTMF_DOUBLE_US (1 * SIFT_USEC)

static const struct sift_msg_rec *first_2xx(const struct sift_call *c)
{
	for (size_t i = 0; i < c->nmsgs; i++) {
		const struct sift_msg_rec *m = &c->msgs[i];

		if (!m->request && !m->damaged && m->status >= 200 &&
		    m->status < 300 && sift_is(m->cseq_method, "INVITE"))
			return m;
	}
	return NULL;
}

/* The first BYE that was not refused (a 481 leaves the session up). */
static const struct sift_msg_rec *first_bye(const struct sift_call *c)
{
	for (size_t i = 0; i < c->nmsgs; i++) {
		const struct sift_msg_rec *m = &c->msgs[i];
		const struct sift_txn *t;

		if (!sift_is_req(m, "BYE") || m->retransmission)
			continue;
		t = sift_txn_of(c, m);
		if (t && t->final_status >= 300)
			continue;
		return m;
	}
	return NULL;
}

/* Does some SDP of the call ask for RTP (an RTP m= line, port not 0, not
 * inactive)? */
static bool wants_rtp(const struct sift_media_sdp *sdps, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (unsigned k = 0; k < sdps[i].nm; k++) {
			const struct sift_media_mline *m = &sdps[i].m[k];

			if (m->rtp.port && strstr(m->proto, "RTP") &&
			    m->dir != SIFT_MEDIA_INACTIVE)
				return true;
		}
	return false;
}

/* Is host (an address of the call's SIP or SDP) at one end of an RTP
 * stream? by_port: that very address, with packets after since (the
 * call's media counted under another call that named the address too: a
 * B2BUA's direct media; a call before that used the same ports ended
 * before this one was answered). */
static bool host_has_media(const struct sift_media *md,
			   const struct sift_addr *host, bool by_port,
			   sift_time since)
{
	size_t n = sift_media_count(md);

	for (size_t i = 0; i < n; i++) {
		const struct sift_stream *s = sift_media_get(md, i);

		if (!s || s->rtcp)
			continue;
		if (by_port ? s->last_ts > since &&
			      (sift_addr_eq(&s->src, host) || sift_addr_eq(&s->dst, host)) :
			      sift_same_ip(&s->src, host) || sift_same_ip(&s->dst, host))
			return true;
	}
	return false;
}

/* Can the capture see this call's media at all, and is there none
 * anywhere? True when RTP of some host of the call's SIP or SDP is in the
 * capture (so its point sees that host's media) and no RTP at all goes
 * from or to an SDP address of the call. */
static bool media_missing(const struct sift_media *md, const struct sift_call *c,
			  const struct sift_media_sdp *sdps, size_t n,
			  sift_time answer)
{
	bool visible = false;

	for (size_t i = 0; i < n; i++)
		for (unsigned k = 0; k < sdps[i].nm; k++) {
			const struct sift_addr *a = &sdps[i].m[k].rtp;

			if (!a->port)
				continue;
			if (host_has_media(md, a, true, answer))
				return false;
			visible = visible || host_has_media(md, a, false, 0);
		}
	for (size_t i = 0; i < c->nmsgs && !visible; i++)
		visible = host_has_media(md, &c->msgs[i].src, false, 0) ||
			  host_has_media(md, &c->msgs[i].dst, false, 0);
	return visible;
}

static void no_media(const struct sift_lint_cfg *cfg,
		     const struct sift_media *md, const struct sift_call *c,
		     const struct sift_media_sdp *sdps, size_t n,
		     const struct sift_stream *const *sv, size_t ns,
		     struct sift_findings *out)
{
	const struct sift_msg_rec *ok = first_2xx(c), *bye = first_bye(c);
	struct sift_frame_ref fr[2];
	sift_time end = bye ? bye->where.ts : c->last_ts;
	unsigned nfr = 0;

	/* A capture with no RTP of the call's hosts was most likely
	 * filtered to SIP, or taken where its media does not pass: silence
	 * from it proves nothing. */
	if (!ok || !wants_rtp(sdps, n) || end - ok->where.ts < NO_MEDIA_US)
		return;
	for (size_t i = 0; i < ns; i++)
		if (!sv[i]->rtcp)
			return;
	if (!media_missing(md, c, sdps, n, ok->where.ts))
		return;
	fr[nfr].file = ok->where.file;
	fr[nfr++].frame = ok->where.frame;
	if (bye) {
		fr[nfr].file = bye->where.file;
		fr[nfr++].frame = bye->where.frame;
	}
	sift_lint_emit(cfg, out, SIFT_R_RTP_NO_MEDIA, c->call_id, fr, nfr,
		       "answered call has no RTP at all in %.1f s after its %d%s, although its SDP asks for media and the capture carries RTP of its hosts' other calls (no audio: a firewall, NAT, or media sent elsewhere)",
		       (double)(end - ok->where.ts) / SIFT_USEC, ok->status,
		       bye ? " until the BYE" : "");
}

static void after_bye(const struct sift_lint_cfg *cfg, const struct sift_call *c,
		      const struct sift_stream *const *sv, size_t ns,
		      struct sift_findings *out)
{
	const struct sift_msg_rec *bye = first_bye(c);
	char a[SIFT_ADDR_STRLEN], b[SIFT_ADDR_STRLEN];

	if (!bye)
		return;
	for (size_t i = 0; i < ns; i++) {
		const struct sift_stream *s = sv[i];
		struct sift_frame_ref fr[2] = {
			{ bye->where.file, bye->where.frame }, s->last_frame
		};

		/* Later by the clock and by the frame order: a capture whose
		 * clock jumps says nothing about "after". */
		if (s->rtcp || s->heuristic || s->last_ts <= bye->where.ts + AFTER_BYE_US ||
		    s->last_frame.file != bye->where.file ||
		    s->last_frame.frame <= bye->where.frame)
			continue;
		sift_lint_emit(cfg, out, SIFT_R_RTP_AFTER_BYE, c->call_id, fr, 2,
			       "RTP SSRC 0x%08x %s -> %s goes on %.1f s after the BYE ended the session (%s the BYE): its sender %s",
			       s->ssrc, sift_addr_str(&s->src, a, sizeof(a)),
			       sift_addr_str(&s->dst, b, sizeof(b)),
			       (double)(s->last_ts - bye->where.ts) / SIFT_USEC,
			       sift_same_ip(&s->src, &bye->src) ? "it sent" : "it received",
			       sift_same_ip(&s->src, &bye->src) ?
			       "must stop as soon as it sends the BYE" :
			       "must stop when the BYE arrives");
	}
}

/* The SDP m= lines of the call that name dst as their RTP address. */
static bool lists_pt(const struct sift_media_sdp *sdps, size_t n,
		     const struct sift_addr *dst, uint8_t pt, bool *named,
		     size_t *last)
{
	bool found = false;

	for (size_t i = 0; i < n; i++)
		for (unsigned k = 0; k < sdps[i].nm; k++) {
			const struct sift_media_mline *m = &sdps[i].m[k];

			if (!sift_addr_eq(&m->rtp, dst))
				continue;
			*named = true;
			*last = i;
			for (unsigned j = 0; j < m->nfmt; j++)
				found |= m->fmt[j].pt == pt;
		}
	return found;
}

static void payloads(const struct sift_lint_cfg *cfg, const struct sift_call *c,
		     const struct sift_media_sdp *sdps, size_t n,
		     const struct sift_stream *const *sv, size_t ns,
		     struct sift_findings *out)
{
	char a[SIFT_ADDR_STRLEN], b[SIFT_ADDR_STRLEN];

	for (size_t i = 0; i < ns; i++) {
		const struct sift_stream *s = sv[i];

		if (s->rtcp || s->heuristic)
			continue;
		for (unsigned k = 0; k < s->npts; k++) {
			bool named = false;
			size_t last = 0;
			struct sift_frame_ref fr[2];

			if (lists_pt(sdps, n, &s->dst, s->pts[k].pt, &named, &last) ||
			    !named)
				continue;
			fr[0] = s->pts[k].first;
			fr[1].file = sdps[last].where.file;
			fr[1].frame = sdps[last].where.frame;
			sift_lint_emit(cfg, out, SIFT_R_RTP_PAYLOAD_NOT_NEGOTIATED,
				       c->call_id, fr, 2,
				       "RTP SSRC 0x%08x %s -> %s carries payload type %u (%llu packets) that the receiver's SDP did not list: the receiver cannot decode it",
				       s->ssrc, sift_addr_str(&s->src, a, sizeof(a)),
				       sift_addr_str(&s->dst, b, sizeof(b)),
				       s->pts[k].pt,
				       (unsigned long long)s->pts[k].packets);
		}
	}
}

void sift_lint_media_rtp(const struct sift_lint_cfg *cfg,
			 const struct sift_media *md, const struct sift_call *c,
			 struct sift_findings *out)
{
	const struct sift_media_sdp *sdps;
	const struct sift_stream *const *sv;
	struct sift_call_outcome o;
	size_t n, ns;

	if (!md || !c->kind || strcmp(c->kind, "invite") != 0)
		return;
	sdps = sift_media_call_sdps(md, c, &n, NULL);
	sv = sift_media_call_streams(md, c, &ns);
	if (!sdps)
		return;
	sift_call_outcome(c, 0, &o);
	if (o.final_status >= 200 && o.final_status <= 299)
		no_media(cfg, md, c, sdps, n, sv, ns, out);
	if (!sv)
		return;
	after_bye(cfg, c, sv, ns, out);
	payloads(cfg, c, sdps, n, sv, ns, out);
}

void sift_lint_media_dtmf(const struct sift_lint_cfg *cfg,
			  const struct sift_call *c,
			  const struct sift_dtmf_event *ev, size_t n,
			  struct sift_findings *out)
{
	struct sift_frame_ref fr[SIFT_FINDING_FRAMES];
	char digits[64] = "";
	size_t used = 0;
	unsigned nfr = 0, pairs = 0;
	const char *other = NULL;
	bool taken[SIFT_DTMF_MAX_PER_CALL] = { false };

	for (size_t i = 0; i < n && i < SIFT_DTMF_MAX_PER_CALL; i++) {
		if (ev[i].source != SIFT_DTMF_RFC4733)
			continue;
		for (size_t j = 0; j < n && j < SIFT_DTMF_MAX_PER_CALL; j++) {
			sift_time d = ev[j].where.ts - ev[i].where.ts;

			if (ev[j].source == SIFT_DTMF_RFC4733 || taken[j] ||
			    strcmp(ev[j].digit, ev[i].digit) != 0 ||
			    d > DTMF_DOUBLE_US + (ev[i].duration_ms > 0 ?
						 ev[i].duration_ms * 1000 : 0) ||
			    d < -DTMF_DOUBLE_US)
				continue;
			taken[j] = true;
			pairs++;
			if (!other)
				other = ev[j].source == SIFT_DTMF_SIP_INFO ?
					"SIP INFO" : "in-band tones";
			else if (strcmp(other, ev[j].source == SIFT_DTMF_SIP_INFO ?
					"SIP INFO" : "in-band tones") != 0)
				other = "in-band tones or SIP INFO";
			if (nfr + 2 <= SIFT_FINDING_FRAMES) {
				fr[nfr].file = ev[i].where.file;
				fr[nfr++].frame = ev[i].where.frame;
				fr[nfr].file = ev[j].where.file;
				fr[nfr++].frame = ev[j].where.frame;
			}
			if (used + 4 < sizeof(digits))
				used += (size_t)snprintf(digits + used,
							 sizeof(digits) - used,
							 "%s%s", used ? " " : "",
							 ev[i].digit);
			break;
		}
	}
	if (!pairs)
		return;
	sift_lint_emit(cfg, out, SIFT_R_DTMF_DOUBLE, c->call_id, fr, nfr,
		       "%u key press%s (%s) sent both as RFC 4733 events and as %s: a receiver that acts on both gets each digit twice",
		       pairs, pairs == 1 ? "" : "es", digits, other);
}
