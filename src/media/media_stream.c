/* sipsift — media: the stream table, its keys and caches, RTCP beside RTP. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "media/media_int.h"

static const char hex[] = "0123456789abcdef";

/* a in hex at buf, without its end: returns the end. */
static char *put_addr(char *buf, const struct sift_addr *a)
{
	uint8_t raw[19];
	size_t n = a->family == 4 ? 4 : 16;

	raw[0] = a->family;
	memcpy(raw + 1, a->ip, n);
	raw[1 + n] = (uint8_t)(a->port >> 8);
	raw[2 + n] = (uint8_t)a->port;
	for (size_t i = 0; i < n + 3; i++) {
		*buf++ = hex[raw[i] >> 4];
		*buf++ = hex[raw[i] & 15];
	}
	return buf;
}

char *sift_md_addr_key(const struct sift_addr *a, char *buf)
{
	*put_addr(buf, a) = '\0';
	return buf;
}

/* The keys are built by hand: with snprintf, the misses of the stream
 * cache cost 1,700 instructions each (a sipp capture of 3,600 streams at
 * once missed 30,000 times). */
char *sift_md_stream_key(const struct sift_addr *src, const struct sift_addr *dst,
			uint32_t ssrc, bool rtcp, char *key)
{
	char *p = sift_md_dir_key(src, dst, key);

	p += strlen(p);
	*p++ = '/';
	for (int sh = 28; sh >= 0; sh -= 4)
		*p++ = hex[(ssrc >> sh) & 15];
	*p++ = '/';
	*p++ = rtcp ? '1' : '0';
	*p = '\0';
	return key;
}

/* The direction of a stream, for SSRC changes. */
char *sift_md_dir_key(const struct sift_addr *src, const struct sift_addr *dst,
		     char *key)
{
	char *p = put_addr(key, src);

	*p++ = '>';
	*put_addr(p, dst) = '\0';
	return key;
}

void sift_md_epc_fill(struct sift_epc *e, struct endpoint *ep)
{
	e->ep = ep;
	e->call = ep ? ep->call : NULL;
	e->gen = ep ? ep->gen : 0;
	e->flags = EPC_VALID;
	if (ep)
		e->flags |= (ep->call->owner ? EPC_OWNED : 0) |
			    (ep->contested ? EPC_CONTESTED : 0) |
			    (ep->rtcp ? EPC_RTCP : 0) |
			    (ep->srtp ? EPC_SRTP : 0);
}

const struct sift_epc *sift_md_epc_miss(struct sift_media *md,
					const struct sift_addr *a, unsigned h)
{
	unsigned i = h & ~1u;
	char key[ADDR_KEY_LEN];
	struct endpoint *ep;
	struct sift_epc *e = &md->epc[i];

	ep = sift_strmap_get(md->eps, sift_md_addr_key(a, key));
	e[1] = e[0];
	e[0].addr = *a;
	sift_md_epc_fill(&e[0], ep);
	return &e[0];
}

struct endpoint *sift_md_ep_lookup(struct sift_media *md,
				   const struct sift_addr *a)
{
	return sift_md_epc_at(md, a, sift_md_addr_slot(a))->ep;
}

void sift_md_epc_forget(struct sift_media *md, const struct sift_addr *a)
{
	unsigned i = sift_md_addr_slot(a) & ~1u;

	md->epc[i].flags = md->epc[i + 1].flags = 0;
}

bool sift_md_push(struct sift_media *md, void ***v, size_t *n, size_t *cap,
		  void *x, size_t max)
{
	if (!sift_grow_oom((void **)v, cap, *n, sizeof(**v), max, &md->oom))
		return false;
	(*v)[(*n)++] = x;
	return true;
}

/* The stream cache's slot of (src, dst, ssrc). */
unsigned sift_md_stc_slot(const struct sift_addr *src, const struct sift_addr *dst,
			 uint32_t ssrc)
{
	return sift_md_stc_mix(sift_md_addr_slot(src), sift_md_addr_slot(dst), ssrc);
}

const struct sift_sdp_rtpmap *sift_md_codec_of(const struct endpoint *ep,
					      uint8_t pt,
					      struct sift_sdp_rtpmap *buf)
{
	/* The rtpmap entries live in the endpoint; sift_sdp_codec wants a
	 * media line, and may answer with a pointer into it: copy the answer
	 * out before this frame goes. No endpoint: the static table. */
	for (unsigned i = 0; ep && i < ep->nmap; i++)
		if (ep->map[i].pt == pt) {
			*buf = ep->map[i];
			return buf;
		}
	{
		struct sift_sdp_media m;
		const struct sift_sdp_rtpmap *r;

		memset(&m, 0, sizeof(m));
		r = sift_sdp_codec(&m, pt, buf);
		if (r && r != buf)
			*buf = *r;
		return r ? buf : NULL;
	}
}

/* Streams of one call (a call's part is its own), or both of no call. */
static bool same_call(const struct mstream *a, const struct mstream *b)
{
	if (!a->call->owner || !b->call->owner)
		return !a->call->owner && !b->call->owner;
	return a->call == b->call;
}

/* The clock rate jitter is measured with: an audio or video payload's.
 * Telephone-events keep their event's start timestamp over many packets
 * (RFC 4733 §2.5.1.2) and comfort noise is sent at no fixed pace
 * (RFC 3389): no sampling instants to measure transit against. */
uint32_t sift_md_jitter_clock(const struct sift_sdp_rtpmap *cm)
{
	if (!cm || strcasecmp(cm->name, "telephone-event") == 0 ||
	    strcasecmp(cm->name, "CN") == 0)
		return 0;
	return cm->rate;
}

/* An RTP stream's first payload type: its codec, and its statistics with
 * the clock jitter is measured with. */
void sift_md_stream_start(struct sift_stream *s, const struct endpoint *ep,
			 uint8_t pt)
{
	struct sift_sdp_rtpmap buf;
	const struct sift_sdp_rtpmap *cm = sift_md_codec_of(ep, pt, &buf);

	s->pt = pt;
	if (cm && cm->channels > 1)
		snprintf(s->codec, sizeof(s->codec), "%s/%u/%u", cm->name,
			 cm->rate, cm->channels);
	else if (cm)
		snprintf(s->codec, sizeof(s->codec), "%s/%u", cm->name, cm->rate);
	sift_rtpstat_init(&s->rs, sift_md_jitter_clock(cm));
	/* Comfort noise (RFC 3389): PT 13, or the dynamic type the SDP
	 * maps to CN (CN/16000 beside a wideband codec). */
	s->cn_pt = 13;
	for (unsigned i = 0; i < ep->nmap; i++)
		if (strcasecmp(ep->map[i].name, "CN") == 0)
			s->cn_pt = ep->map[i].pt;
}

struct sift_stream *sift_md_stream_get(struct sift_media *md,
				      const struct sift_addr *src,
				      const struct sift_addr *dst,
				      uint32_t ssrc, bool rtcp,
				      const struct endpoint *ep,
				      const struct sift_where *w)
{
	char key[STREAM_KEY_LEN];
	struct sift_stream *s;
	struct mstream *ms;
	struct mcall *c = ep->call;

	sift_md_stream_key(src, dst, ssrc, rtcp, key);
	s = sift_strmap_get(md->by_key, key);
	if (s && !(c->owner && ms_of(s)->call != c && ms_of(s)->call->owner))
		return s;
	/* The same addresses and SSRC in another call's SDP (a PBX reusing
	 * its ports, sipp replaying one recording in every call): a stream
	 * of this call; the other call keeps what it had. */
	if (s)
		sift_strmap_del(md->by_key, key);
	if (md->n - md->holes >= SIFT_MEDIA_MAX_STREAMS) {
		md->caps.streams++;
		return NULL;
	}
	ms = calloc(1, sizeof(*ms));
	if (!ms) {
		md->oom = true;
		return NULL;
	}
	s = &ms->s;
	ms->call = c;
	ms->owner = c->owner;
	ms->sink_pt = -1;
	ms->pos = md->n;
	ms->label = -1;
	s->call_id = c->owner ? strdup(c->owner->call_id) : NULL;
	if ((c->owner && !s->call_id) ||
	    sift_strmap_put(md->by_key, key, s) < 0) {
		md->oom = true;
		goto fail;
	}
	if (!sift_md_push(md, (void ***)&md->v, &md->n, &md->cap, s, SIZE_MAX / 2))
		goto fail_key;
	/* The call's report lists its streams: kept per call, so that no
	 * report walks every stream for every call, and the call's release
	 * frees them. The streams of no call stay to the end. */
	if (c->owner ? !sift_md_push(md, (void ***)&c->sv, &c->ns, &c->scap, s,
			     SIFT_MEDIA_MAX_STREAMS) :
		       !sift_md_push(md, (void ***)&md->nocall, &md->nnocall,
			     &md->nocall_cap, s, SIFT_MEDIA_MAX_STREAMS)) {
		md->n--;
		goto fail_key;
	}
	s->id = ++md->next_id;
	s->heuristic = md->heur_call && ep->call == md->heur_call;
	/* A new SSRC on a direction that had RTP: the sender restarted its
	 * stream (a re-INVITE, a transfer, an SBC switching media). */
	if (!rtcp) {
		char dk[STREAM_KEY_LEN];
		const struct sift_stream *o;

		o = sift_strmap_get(md->by_dir, sift_md_dir_key(src, dst, dk));
		if (o && same_call(ms_of((struct sift_stream *)o), ms))
			s->follows = o->id;
		if (sift_strmap_put(md->by_dir, dk, s) < 0)
			md->oom = true;
	}
	s->ssrc = ssrc;
	s->src = *src;
	s->dst = *dst;
	s->rtcp = rtcp;
	s->srtp = ep->srtp;
	s->first_ts = w->ts;
	s->first_frame.file = w->file;
	s->first_frame.frame = w->frame;
	return s;
fail_key:
	sift_strmap_del(md->by_key, key);
fail:
	free(s->call_id);
	free(ms);
	return NULL;
}

/* The RTP stream of rc's call with SSRC ssrc that rc's sender sends
 * (sender info) or receives (report blocks): a B2BUA that copies SSRCs
 * from leg to leg has the same SSRC on several streams, and the reporter
 * is the one that tells them apart. RTCP comes every few seconds: a walk
 * over the call's streams is cheap enough. */
static struct sift_stream *rtp_of(struct sift_media *md,
				  const struct sift_stream *rc, uint32_t ssrc,
				  bool sends)
{
	const struct mstream *mrc = ms_of((struct sift_stream *)rc);
	struct sift_stream **v = mrc->call->owner ? mrc->call->sv : md->nocall;
	size_t n = mrc->call->owner ? mrc->call->ns : md->nnocall;

	for (size_t i = 0; i < n; i++) {
		struct sift_stream *r = v[i];

		if (!r->rtcp && r->ssrc == ssrc && same_call(ms_of(r), mrc) &&
		    sift_same_ip(sends ? &r->src : &r->dst, &rc->src))
			return r;
	}
	return NULL;
}

/* A compound RTCP packet in the clear, of RTCP stream rc: its numbers go
 * beside ours on the RTP streams it reports on. */
void sift_md_rtcp_note(struct sift_media *md, struct sift_stream *rc,
		      const uint8_t *p, size_t n)
{
	struct sift_rtcp_info ri;
	enum sift_rc rc_parse = sift_rtcp_parse(p, n, &ri);

	if (rc_parse == SIFT_EINVAL)
		return;
	if (rc_parse != SIFT_OK)
		rc->rtcp_bad++;
	if (ri.sr) {
		struct sift_stream *r = rtp_of(md, rc, ri.sender_ssrc, true);

		if (r) {
			r->peer.sender_reports++;
			r->peer.sender_packets = ri.sr_packets;
			sift_md_rtt_sr(r, rc, ri.sr_ntp_mid);
		}
	}
	for (unsigned i = 0; i < ri.nblocks; i++) {
		const struct sift_rtcp_block *b = &ri.blocks[i];
		struct sift_stream *r = rtp_of(md, rc, b->ssrc, false);

		if (!r)
			continue;
		r->peer.reports++;
		sift_md_rtt_block(r, rc, b->lsr, b->dlsr);
		r->peer.lost = b->cum_lost;
		r->peer.fraction = b->fraction;
		sift_rtpseries_rtcp(r->series, rc->last_ts,
				    r->rs.clock ? (double)b->jitter * 1000.0 / r->rs.clock : -1,
				    b->cum_lost);
		if (r->rs.clock) {
			double ms = (double)b->jitter * 1000.0 / r->rs.clock;

			r->peer.jitter_known = true;
			r->peer.jitter_ms_last = ms;
			if (ms > r->peer.jitter_ms_max)
				r->peer.jitter_ms_max = ms;
		}
	}
}

/* A stream is done (see sift_media_finish). */
static void settle(struct sift_media *md, struct sift_stream *s)
{
	/* Held packets no key came for fail now. */
	sift_md_hold_give_up(md, ms_of(s));
	/* A guess (--key any) that never decrypted may be no SRTP at all:
	 * its counters stay as they are. No key ever worked: what failed
	 * before is what failed. */
	if (!s->srtp || (s->guessed && !s->decrypted) || s->decrypted)
		return;
	s->auth_failures += s->before_key;
	s->before_key = 0;
}

/* The holes released streams left in md->v go. */
static void compact(struct sift_media *md)
{
	size_t j = 0;

	if (!md->holes)
		return;
	for (size_t i = 0; i < md->n; i++)
		if (md->v[i]) {
			ms_of(md->v[i])->pos = j;
			md->v[j++] = md->v[i];
		}
	md->n = j;
	md->holes = 0;
}

void sift_media_finish(struct sift_media *md)
{
	compact(md);
	for (size_t i = 0; i < md->n; i++)
		if (md->v[i])
			settle(md, md->v[i]);
}

void sift_md_stream_free(struct sift_stream *s)
{
	struct mstream *ms;

	if (!s)
		return;
	ms = ms_of(s);
	sift_md_hold_free(ms);
	sift_srtp_stream_free(ms->dec);
	free(s->series);
	free(s->call_id);
	free(ms);
}

/* A call's part, with its endpoints (not its streams). */
void sift_md_mcall_free(struct sift_media *md, struct mcall *c)
{
	char key[ADDR_KEY_LEN];

	if (!c)
		return;
	for (size_t i = 0; i < c->neps; i++) {
		struct endpoint *ep = c->epv[i];

		sift_md_epc_forget(md, &ep->addr);
		sift_strmap_del(md->eps, sift_md_addr_key(&ep->addr, key));
		md->neps--;
		free(ep->map);
		free(ep);
	}
	free(c->epv);
	free(c->sv);
	free(c->keys);
	free(c->ki);
	sift_md_sdps_free(c);
	free(c);
}

void sift_media_call_settle(struct sift_media *md, const struct sift_call *call)
{
	struct mcall *c = call ? call->part[SIFT_PART_MEDIA] : NULL;

	for (size_t i = 0; c && i < c->ns; i++)
		sift_md_hold_give_up(md, ms_of(c->sv[i]));
}

void sift_media_release(struct sift_media *md, struct sift_call *call)
{
	struct mcall *c = call ? call->part[SIFT_PART_MEDIA] : NULL;
	char key[STREAM_KEY_LEN];

	if (!c)
		return;
	for (size_t i = 0; i < c->ns; i++) {
		struct sift_stream *s = c->sv[i];
		struct mstream *ms = ms_of(s);
		unsigned slot = sift_md_stc_slot(&s->src, &s->dst, s->ssrc) & ~1u;

		settle(md, s);
		if (md->done)
			md->done(md->done_ctx, s);
		md->gone_rtp += !s->rtcp;
		md->gone_srtp += s->srtp;
		md->gone_decrypted += s->decrypted > 0;
		md->v[ms->pos] = NULL;
		md->holes++;
		if (md->leave)
			continue;
		if (md->stc[slot].s == s)
			md->stc[slot].s = NULL;
		if (md->stc[slot + 1].s == s)
			md->stc[slot + 1].s = NULL;
		if (sift_strmap_get(md->by_key,
				    sift_md_stream_key(&s->src, &s->dst, s->ssrc,
						       s->rtcp, key)) == s)
			sift_strmap_del(md->by_key, key);
		if (sift_strmap_get(md->by_dir, sift_md_dir_key(&s->src, &s->dst, key)) == s)
			sift_strmap_del(md->by_dir, key);
		sift_md_stream_free(s);
	}
	/* Holes go once they are half of the list: each stream is moved a
	 * bounded number of times on average. */
	if (md->holes > 64 && md->holes * 2 > md->n)
		compact(md);
	md->callv[c->pos] = md->callv[--md->ncalls];
	md->callv[c->pos]->pos = c->pos;
	call->part[SIFT_PART_MEDIA] = NULL;
	if (!md->leave)
		sift_md_mcall_free(md, c);
}

void sift_media_leave_at_exit(struct sift_media *md)
{
	md->leave = true;
}

const struct sift_stream *const *sift_media_call_streams(const struct sift_media *md,
							const struct sift_call *call,
							size_t *n)
{
	const struct mcall *c = md && call ? call->part[SIFT_PART_MEDIA] : NULL;

	*n = c ? c->ns : 0;
	return c && c->ns ? (const struct sift_stream *const *)c->sv : NULL;
}

/* The list is read in order, without holes: the media object is not
 * changed in what it means (the same streams in the same order), only in
 * how it is laid out, hence the cast. */
size_t sift_media_count(const struct sift_media *md)
{
	compact((struct sift_media *)md);
	return md->n;
}

const struct sift_stream *sift_media_get(const struct sift_media *md, size_t i)
{
	compact((struct sift_media *)md);
	return i < md->n ? md->v[i] : NULL;
}

uint64_t sift_media_rtp_streams(const struct sift_media *md)
{
	uint64_t k = md->gone_rtp;

	for (size_t i = 0; i < md->n; i++)
		k += md->v[i] && !md->v[i]->rtcp;
	return k;
}

uint64_t sift_media_srtp_streams(const struct sift_media *md)
{
	uint64_t k = md->gone_srtp;

	for (size_t i = 0; i < md->n; i++)
		k += md->v[i] && md->v[i]->srtp;
	return k;
}

uint64_t sift_media_decrypted_streams(const struct sift_media *md)
{
	uint64_t k = md->gone_decrypted;

	for (size_t i = 0; i < md->n; i++)
		k += md->v[i] && md->v[i]->decrypted > 0;
	return k;
}
