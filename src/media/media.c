/* sipsift — media streams announced by SDP, and their SRTP decryption:
 * the packet path. The rest is beside it (media_int.h says where). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "media/media_int.h"
#include "util/cursor.h"

/* Hand a readable RTP packet p (n bytes, in the clear) to the sink; hp is
 * its header when it was parsed as plain RTP already. */
void sift_md_to_sink(struct sift_media *md, const struct endpoint *ep,
		     uint64_t gen, struct sift_stream *s, const uint8_t *p,
		     size_t n, const struct sift_rtp_hdr *hp,
		     const struct sift_where *w)
{
	struct mstream *ms = ms_of(s);
	struct sift_rtp_hdr h;
	struct sift_sdp_rtpmap buf;
	struct sift_media_payload mp;

	if (!hp) {
		if (sift_rtp_parse(p, n, false, &h) != SIFT_OK)
			return;
		hp = &h;
	}
	/* gen comes with the endpoint from its cache slot, not from the
	 * endpoint (one more miss). Endpoints no SDP made (the heuristic's,
	 * --key any's) have no map and generation 0: the static table
	 * answers them all alike. */
	if (ms->sink_pt != hp->pt || ms->sink_ep != ep || ms->sink_gen != gen) {
		const struct sift_sdp_rtpmap *cm = sift_md_codec_of(ep, hp->pt, &buf);

		ms->sink_pt = hp->pt;
		ms->sink_ep = ep;
		ms->sink_gen = gen;
		ms->sink_has = cm != NULL;
		ms->sink_event = cm && strcasecmp(cm->name, "telephone-event") == 0;
		if (cm)
			ms->sink_cm = *cm;
	}
	if (md->sink_events_only && !ms->sink_event)
		return;
	mp.s = s;
	mp.call = ms->owner;
	mp.h = hp;
	mp.payload = p + hp->hdr_len;
	mp.len = hp->payload_len;
	mp.codec = ms->sink_has ? &ms->sink_cm : NULL;
	mp.event = ms->sink_event;
	mp.w = w;
	md->sink(md->sink_ctx, &mp);
}

/* Whether the sink would turn away a packet of payload type pt of s, from
 * what sift_md_to_sink found for it before: audio, when only events are
 * wanted. Asked before the call, which for most packets of a run without
 * WAV files was 40 instructions to learn just that. */
static inline bool sink_skips(const struct sift_media *md,
			      struct sift_stream *s,
			      const struct endpoint *ep, uint64_t gen, uint8_t pt)
{
	const struct mstream *ms = ms_of(s);

	return md->sink_events_only && ms->sink_pt == pt && ms->sink_ep == ep &&
	       ms->sink_gen == gen && !ms->sink_event;
}

/* The endpoint packet p belongs to, into *k (its call, generation and
 * flags with it, from the endpoint cache where it can be): an SDP's, a
 * --key's, or one the heuristic found (then *cand holds the packets it
 * kept, *nprev of them). */
static bool pick_endpoint(struct sift_media *md, const struct sift_addr *src,
			  const struct sift_addr *dst, unsigned hs, unsigned hd,
			  const uint8_t *p, size_t n, const struct sift_where *w,
			  struct heur **cand, unsigned *nprev,
			  struct sift_epc *k)
{
	const struct sift_epc *se = sift_md_epc_at(md, src, hs);
	const struct sift_epc *e = se;

	/* The sender's own endpoint only when it is a --key of its own;
	 * otherwise where the packet goes (the SDP names the receiver).
	 * A lookup may move the other address's slot (they can share a
	 * pair): what it gave is checked before it is used again. */
	if (!se->ep || (se->flags & EPC_OWNED)) {
		/* An SDP endpoint names where its author receives; a --key
		 * names the sender (a key is its sender's), never the
		 * receiver. */
		e = sift_md_epc_at(md, dst, hd);
		if (e->ep && (e->flags & EPC_OWNED)) {
			e->ep->last_to = w->ts;
			/* An address that calls at once named: the call is
			 * the one whose SDP names the sender (symmetric RTP,
			 * RFC 4961). */
			if (e->flags & EPC_CONTESTED) {
				const struct sift_epc *d = e;

				if (!se->flags || !sift_addr_eq(&se->addr, src))
					se = sift_md_epc_at(md, src, hs);
				e = d->flags && sift_addr_eq(&d->addr, dst) ? d :
				    sift_md_epc_at(md, dst, hd);
				if (se->ep && (se->flags & EPC_OWNED) &&
				    (se->flags & EPC_RTCP) == (e->flags & EPC_RTCP))
					e = se;
			}
		} else if (!se->flags || !sift_addr_eq(&se->addr, src)) {
			e = sift_md_epc_at(md, src, hs);
		} else {
			e = se;
		}
	}
	if (e->ep) {
		*k = *e;
		return true;
	}
	sift_md_epc_fill(k, NULL);
	if (md->any) {
		struct sift_rtp_hdr h;

		/* --key any: RTP that no SDP announced, by a strict look at
		 * its header; the key's authentication has the last word. */
		if (n < 12 || sift_rtp_parse(p, n, true, &h) != SIFT_OK)
			return false;
		sift_md_epc_fill(k, &md->any_ep);
		return true;
	}
	if (md->nheps) {
		char key[ADDR_KEY_LEN];
		struct endpoint *ep;

		ep = sift_strmap_get(md->heps, sift_md_addr_key(src, key));
		/* A sender found before may have begun another SSRC: what
		 * the heuristic kept of it counts too. */
		if (ep && !ep->rtcp)
			*cand = sift_md_heur_pending(md, src, dst, p, n, nprev);
		sift_md_epc_fill(k, ep);
	}
	if (!k->ep && md->heuristic) {
		sift_md_epc_fill(k, sift_md_heur_packet(md, src, dst, p, n, w,
						       cand));
		*nprev = SIFT_MEDIA_HEUR_CONFIRM - 1;
	}
	return k->ep != NULL;
}

/* The stream of (src, dst, ssrc, rtcp), through the cache. */
static struct sift_stream *stream_of(struct sift_media *md,
				     const struct sift_addr *src,
				     const struct sift_addr *dst, unsigned slot,
				     uint32_t ssrc, bool rtcp,
				     const struct endpoint *ep,
				     const struct mcall *call,
				     const struct sift_where *w)
{
	unsigned i = slot & ~1u;
	struct sift_stream *s;

	for (unsigned k = i; k < i + 2; k++)
		if (md->stc[k].s && md->stc[k].ssrc == ssrc &&
		    md->stc[k].rtcp == rtcp && sift_addr_eq(&md->stc[k].src, src) &&
		    sift_addr_eq(&md->stc[k].dst, dst) &&
		    md->stc[k].call == call)
			return md->stc[k].s;
	s = sift_md_stream_get(md, src, dst, ssrc, rtcp, ep, w);
	if (!s)
		return NULL;
	md->stc[i + 1] = md->stc[i];
	md->stc[i].src = *src;
	md->stc[i].dst = *dst;
	md->stc[i].ssrc = ssrc;
	md->stc[i].rtcp = rtcp;
	md->stc[i].s = s;
	md->stc[i].call = ms_of(s)->call;
	return s;
}

static bool not_audio(const char *name)
{
	return strncasecmp(name, "CN/", 3) == 0 ||
	       strncasecmp(name, "telephone-event/", 16) == 0 ||
	       strncasecmp(name, "red/", 4) == 0;
}

/* Whether s is named after an audio (or video) codec already. */
static bool audio_codec(const struct sift_stream *s)
{
	return s->codec[0] && s->pt != 13 && s->pt != s->cn_pt &&
	       !not_audio(s->codec);
}

/* Payload type pt of s, when it is audio: the stream's name from now. */
static void name_audio(struct sift_stream *s, const struct endpoint *ep,
		       uint8_t pt)
{
	struct sift_sdp_rtpmap buf;
	const struct sift_sdp_rtpmap *cm = sift_md_codec_of(ep, pt, &buf);
	char name[sizeof(s->codec)];

	if (!cm || pt == 13 || pt == s->cn_pt)
		return;
	if (cm->channels > 1)
		snprintf(name, sizeof(name), "%s/%u/%u", cm->name, cm->rate,
			 cm->channels);
	else
		snprintf(name, sizeof(name), "%s/%u", cm->name, cm->rate);
	if (not_audio(name))
		return;
	memcpy(s->codec, name, sizeof(s->codec));
	s->pt = pt;
	/* Jitter and the quality score follow the audio, not the noise. */
	if (sift_md_jitter_clock(cm) && s->rs.pt != pt)
		sift_rtpstat_clock(&s->rs, sift_md_jitter_clock(cm), pt);
}

/* An RTP packet (header rh) of stream s: its statistics; cand holds the
 * nprev packets that made the heuristic sure, when there are. */
/* The stream's series, when the report wants one and the cap allows. */
static void start_series(struct sift_media *md, struct sift_stream *s)
{
	if (!md->series || s->series)
		return;
	if (md->nseries >= SIFT_MEDIA_MAX_SERIES) {
		md->series_dropped++;
		return;
	}
	s->series = sift_rtpseries_new();
	if (s->series)
		md->nseries++;
	else
		md->oom = true;
}

static void count_rtp(struct sift_media *md, struct sift_stream *s,
		      const struct endpoint *ep,
		      const struct sift_rtp_hdr *rh, const struct heur *cand,
		      unsigned nprev, const struct sift_where *w)
{
	if (cand && !s->packets) {
		/* The packets that made the heuristic sure count too. */
		s->first_ts = cand->seen[0].w.ts;
		s->first_frame.file = cand->seen[0].w.file;
		s->first_frame.frame = cand->seen[0].w.frame;
		sift_md_stream_start(s, ep, cand->seen[0].h.pt);
		sift_rtpstat_jitter_buffer(&s->rs, md->jb_ms);
		start_series(md, s);
		for (unsigned i = 0; i < nprev; i++) {
			sift_rtpstat_add_series(&s->rs, s->series, &cand->seen[i].h,
						cand->seen[i].w.ts);
			s->packets++;
		}
	}
	if (!s->packets) {
		sift_md_stream_start(s, ep, rh->pt);
		sift_rtpstat_jitter_buffer(&s->rs, md->jb_ms);
		start_series(md, s);
	}
	/* No clock for the stream's payload type yet: look again only when
	 * the payload type changes, not on every packet. */
	if (!s->rs.clock && s->packets && rh->pt != s->rs.pt) {
		struct sift_sdp_rtpmap buf;
		const struct sift_sdp_rtpmap *cm = sift_md_codec_of(ep, rh->pt, &buf);

		if (sift_md_jitter_clock(cm))
			sift_rtpstat_clock(&s->rs, cm->rate, rh->pt);
		else
			s->rs.pt = rh->pt;
	}
	/* A stream that began with comfort noise or events (WebRTC, a
	 * gateway's first DTMF) is named after its audio, when it comes. */
	if (rh->pt != s->pt && !audio_codec(s))
		name_audio(s, ep, rh->pt);
	sift_rtpstat_add_series(&s->rs, s->series, rh, w->ts);
	if (rh->pt == 13 || rh->pt == s->cn_pt)
		s->comfort_noise++;
}

void sift_media_hint(struct sift_media *md, const struct sift_addr *src,
		     const struct sift_addr *dst, const uint8_t *p, size_t n)
{
	unsigned hs, hd, i = md->hint.slot;

	/* The next packet: its stream, through the cache line fetched when
	 * it was two ahead. Its first lines hold what every packet reads
	 * (mstream's head, the stream's counters, its rtpstat, its payload
	 * types). */
	for (unsigned k = i; md->hint.set && k < i + 2; k++)
		if (md->stc[k].s && md->stc[k].ssrc == md->hint.ssrc) {
			const char *a = (const char *)ms_of(md->stc[k].s);

			/* A constant count: unrolled, not a loop of 30
			 * instructions. */
#pragma GCC unroll 16
			for (size_t o = 0; o < offsetof(struct mstream, s) + 384;
			     o += 64)
				__builtin_prefetch(a + o, 1);
			break;
		}
	md->hint.set = false;
	if (n < 12 || (p[0] >> 6) != 2 || !md->neps)
		return;
	/* The one after: the lines that find its endpoints and stream. */
	hs = sift_md_addr_slot(src);
	hd = sift_md_addr_slot(dst);
	{
		struct sift_cur c = sift_cur_make(p, n);

		sift_cur_skip(&c, p[1] >= 192 && p[1] <= 223 ? 4 : 8);
		md->hint.ssrc = sift_cur_be32(&c);
	}
	md->hint.slot = sift_md_stc_mix(hs, hd, md->hint.ssrc) & ~1u;
	md->hint.set = true;
	__builtin_prefetch(&md->epc[hs & ~1u]);
	__builtin_prefetch(&md->epc[hd & ~1u]);
	__builtin_prefetch(&md->stc[md->hint.slot]);
	__builtin_prefetch(&md->stc[md->hint.slot + 1]);
}

bool sift_media_packet(struct sift_media *md, const struct sift_addr *src,
		       const struct sift_addr *dst, const uint8_t *p, size_t n,
		       const struct sift_where *w, uint8_t *plain,
		       size_t *plain_len)
{
	struct endpoint *ep;
	struct sift_stream *s;
	bool rtcp;
	uint32_t ssrc;
	struct sift_rtp_hdr rh;
	struct heur *cand = NULL;
	unsigned nprev = 0;
	struct sift_epc k;
	unsigned hs, hd;

	*plain_len = 0;
	if ((!md->neps && !md->any && !md->heuristic) || n < 8 ||
	    (p[0] >> 6) != 2)
		return false;
	hs = sift_md_addr_slot(src);
	hd = sift_md_addr_slot(dst);
	if (!pick_endpoint(md, src, dst, hs, hd, p, n, w, &cand, &nprev, &k))
		return false;
	ep = k.ep;
	/* RTCP on its own port, or multiplexed (RFC 5761 §4: packet types
	 * 192-223 in the second byte are RTCP's; RTP avoids payload types
	 * 64-95 so that they never look alike). */
	rtcp = (k.flags & EPC_RTCP) || (p[1] >= 192 && p[1] <= 223);
	if (rtcp) {
		struct sift_cur c = sift_cur_make(p, n);

		sift_cur_skip(&c, 4);
		ssrc = sift_cur_be32(&c);
	} else {
		if (n < 12 ||
		    sift_rtp_parse(p, n, k.flags & EPC_SRTP, &rh) == SIFT_EINVAL)
			return false;
		ssrc = rh.ssrc;
	}
	s = stream_of(md, src, dst, sift_md_stc_mix(hs, hd, ssrc), ssrc, rtcp,
		      ep, k.call, w);
	if (!s)
		return true;
	s->guessed = ep == &md->any_ep;
	if (!rtcp)
		count_rtp(md, s, ep, &rh, cand, nprev, w);
	s->packets++;
	s->last_ts = w->ts;
	sift_md_note_packet(s, rtcp ? NULL : &rh, w);
	if (!s->srtp) {
		if (rtcp)
			sift_md_rtcp_note(md, s, p, n);
		else if (md->sink && !sink_skips(md, s, ep, k.gen, rh.pt))
			sift_md_to_sink(md, ep, k.gen, s, p, n, &rh, w);
		return true;
	}
	/* Some stacks send RTCP in the clear inside an SRTP session (APP at
	 * the start, BYE at the end): a compound whose lengths add up to the
	 * datagram is no SRTCP and no authentication failure. */
	if (rtcp && sift_rtcp_looks(p, n, false, NULL)) {
		s->plain++;
		sift_md_rtcp_note(md, s, p, n);
		return true;
	}
	if (!sift_md_srtp_packet(md, ep, s, rtcp, ssrc, p, n, w, plain, plain_len))
		return true;
	if (rtcp)
		sift_md_rtcp_note(md, s, plain, *plain_len);
	else if (md->sink)
		sift_md_to_sink(md, ep, k.gen, s, plain, *plain_len, NULL, w);
	return true;
}
