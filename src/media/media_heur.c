/* sipsift — media: RTP that no SDP announced (the heuristic). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "media/media_int.h"
#include "util/cursor.h"

/* RFC 3551 §6: the static payload types in use, and the dynamic range. */
static bool heur_pt(uint8_t pt)
{
	if (pt >= 96)
		return pt <= 127;
	if (pt <= 18)
		return pt != 1 && pt != 2;
	return pt == 25 || pt == 26 || pt == 28 || (pt >= 31 && pt <= 34);
}

static struct heur *heur_slot(struct sift_media *md, const struct sift_addr *src,
			      const struct sift_addr *dst, uint32_t ssrc)
{
	return &md->heur[(sift_md_addr_slot(src) ^ (sift_md_addr_slot(dst) * 3) ^ ssrc ^
			  (ssrc >> 12)) & (HEUR_SLOTS - 1)];
}

static struct endpoint *heur_add(struct sift_media *md,
				 const struct sift_addr *a, bool rtcp)
{
	char key[ADDR_KEY_LEN];
	struct endpoint *ep;

	if (md->nheps >= SIFT_MEDIA_MAX_ENDPOINTS)
		return NULL;
	ep = calloc(1, sizeof(*ep));
	if (!ep)
		return NULL;
	if (sift_strmap_put(md->heps, sift_md_addr_key(a, key), ep) < 0) {
		free(ep);
		return NULL;
	}
	if (!sift_md_push((void ***)&md->hepv, &md->nheps, &md->heps_cap, ep,
		  SIFT_MEDIA_MAX_ENDPOINTS)) {
		sift_strmap_del(md->heps, key);
		free(ep);
		return NULL;
	}
	ep->addr = *a;
	ep->call = md->heur_call;
	ep->rtcp = rtcp;
	return ep;
}

/* RTP that no SDP announced. A flow (source, destination, SSRC) is taken
 * for RTP only after SIFT_MEDIA_HEUR_CONFIRM packets, both ports
 * unprivileged, each a well-formed RTP header with a payload type in use
 * (RFC 3551 §6) and the same SSRC, each sequence number a little after
 * the last (or a little before: reordering), the timestamp within 2^20
 * of the last and the packet within 5 s of it: random UDP matches that by
 * chance with a probability far below 2^-64. Then its
 * sender (and the next port, for its RTCP) is remembered like an SDP
 * endpoint. Returns the sender's endpoint when p confirms the flow, with
 * *cand holding the packets before it. */
struct endpoint *sift_md_heur_packet(struct sift_media *md,
				    const struct sift_addr *src,
				    const struct sift_addr *dst,
				    const uint8_t *p, size_t n,
				    const struct sift_where *w,
				    struct heur **cand)
{
	struct sift_rtp_hdr h;
	struct heur *c;
	struct endpoint *ep;

	if (src->port < 1024 || dst->port < 1024 || n < 12 ||
	    sift_rtp_parse(p, n, true, &h) != SIFT_OK || !heur_pt(h.pt))
		return NULL;
	if (!md->heur) {
		md->heur = calloc(HEUR_SLOTS, sizeof(*md->heur));
		md->heur_call = calloc(1, sizeof(*md->heur_call));
		if (!md->heur || !md->heur_call) {
			md->heuristic = false;
			return NULL;
		}
	}
	c = heur_slot(md, src, dst, h.ssrc);
	if (c->n && (c->ssrc != h.ssrc || !sift_addr_eq(&c->src, src) ||
		     !sift_addr_eq(&c->dst, dst)))
		c->n = 0;
	if (c->n) {
		const struct sift_rtp_hdr *last = &c->seen[c->n - 1].h;

		int16_t ds = (int16_t)(uint16_t)(h.seq - last->seq);
		int32_t dt = (int32_t)(h.ts - last->ts);

		if (ds < -HEUR_REORDER || ds > HEUR_GAP ||
		    dt <= -(1 << 20) || dt >= (1 << 20) ||
		    w->ts < c->seen[c->n - 1].w.ts ||
		    w->ts - c->seen[c->n - 1].w.ts > 5 * SIFT_USEC)
			c->n = 0;
	}
	if (!c->n) {
		c->src = *src;
		c->dst = *dst;
		c->ssrc = h.ssrc;
	}
	c->seen[c->n].h = h;
	c->seen[c->n].w = *w;
	/* Duplicates may come, but the sequence must move on. */
	if (++c->n < SIFT_MEDIA_HEUR_CONFIRM || c->seen[0].h.seq == h.seq)
		return NULL;
	c->n = 0;
	ep = heur_add(md, src, false);
	if (!ep)
		return NULL;
	if (src->port < 65535) {
		struct sift_addr rtcp = *src;

		rtcp.port = (uint16_t)(src->port + 1);
		if (!sift_strmap_get(md->heps, sift_md_addr_key(&rtcp, (char[ADDR_KEY_LEN]){ 0 })))
			heur_add(md, &rtcp, true);
	}
	*cand = c;
	return ep;
}

/* The candidate packets of p's flow, when its sender was found by the
 * heuristic while they waited (*nprev of them); they are taken. */
struct heur *sift_md_heur_pending(struct sift_media *md,
				 const struct sift_addr *src,
				 const struct sift_addr *dst,
				 const uint8_t *p, size_t n, unsigned *nprev)
{
	struct heur *c;
	struct sift_cur cur = sift_cur_make(p, n);
	uint32_t ssrc;

	if (!md->heur || n < 12)
		return NULL;
	sift_cur_skip(&cur, 8);
	ssrc = sift_cur_be32(&cur);
	c = heur_slot(md, src, dst, ssrc);
	if (!c->n || c->ssrc != ssrc || !sift_addr_eq(&c->src, src) ||
	    !sift_addr_eq(&c->dst, dst))
		return NULL;
	*nprev = c->n;
	c->n = 0;
	return c;
}
