/* sipsift — media: RTP that no SDP announced (the heuristic). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "media/codec.h"
#include "media/media_int.h"
#include "util/cursor.h"

#define HEUR_EXTRA_NONE (-1)    /* no two packets in sequence yet */
#define HEUR_EXTRA_MIXED (-2)   /* not the same each time, or not G.711 */
/* What SRTP adds to a packet: an authentication tag of 4 or 10 bytes (16
 * with GCM), and an MKI of up to 4 (RFC 3711 §3.1, RFC 7714). */
#define SRTP_EXTRA_MIN 4
#define SRTP_EXTRA_MAX 20

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
	return &md->heur[sift_md_stc_mix(sift_md_addr_slot(src),
					 sift_md_addr_slot(dst), ssrc) &
			 (HEUR_SLOTS - 1)];
}

static struct endpoint *heur_add(struct sift_media *md,
				 const struct sift_addr *a, bool rtcp)
{
	char key[ADDR_KEY_LEN];
	struct endpoint *ep;

	if (md->nheps >= SIFT_MEDIA_MAX_ENDPOINTS)
		return NULL;
	ep = calloc(1, sizeof(*ep));
	if (!ep) {
		md->oom = true;
		return NULL;
	}
	if (sift_strmap_put(md->heps, sift_md_addr_key(a, key), ep) < 0) {
		md->oom = true;
		free(ep);
		return NULL;
	}
	if (!sift_md_push(md, (void ***)&md->hepv, &md->nheps, &md->heps_cap, ep,
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

/* Packet h (bytes p) of flow c, the c->n'th: what its G.711 payload looks
 * like. A G.711 packet carries one byte per sample, so its payload is the
 * timestamp step; SRTP adds its tag after it. */
static void heur_sniff(struct heur *c, const struct sift_rtp_hdr *h,
		       const uint8_t *p)
{
	const struct sift_rtp_hdr *last;
	int64_t extra;

	if (h->pt != 0 && h->pt != 8) {
		c->extra = HEUR_EXTRA_MIXED;
		return;
	}
	/* sift_rtp_parse: hdr_len + payload_len is within the packet. */
	for (size_t i = 0; i < h->payload_len &&
	     c->g711_bytes < SIFT_G711_SNIFF_BYTES; i++) {
		c->nib[p[h->hdr_len + i] >> 4]++;
		c->g711_bytes++;
	}
	if (!c->n || c->extra == HEUR_EXTRA_MIXED)
		return;
	last = &c->seen[c->n - 1].h;
	if (last->pt != h->pt || (uint16_t)(h->seq - last->seq) != 1)
		return;
	extra = (int64_t)h->payload_len - (int64_t)(uint32_t)(h->ts - last->ts);
	if (c->extra == HEUR_EXTRA_NONE && extra >= 0 && extra <= SRTP_EXTRA_MAX)
		c->extra = (int32_t)extra;
	else if (c->extra != extra)
		c->extra = HEUR_EXTRA_MIXED;
}

/* Whether the packets that confirmed flow c are SRTP: G.711 whose bytes
 * are ciphertext, each with the same few bytes beyond its samples. Both,
 * since a vendor's own encryption in RTP/AVP (X-mitel-crypto) is random
 * with nothing beyond (audio.c says no WAV of it, without calling it
 * SRTP). */
static bool heur_srtp(const struct heur *c)
{
	return c->extra >= SRTP_EXTRA_MIN && c->extra <= SRTP_EXTRA_MAX &&
	       sift_g711_looks_random(c->nib, c->g711_bytes);
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
			md->oom = true;
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
		memset(c->nib, 0, sizeof(c->nib));
		c->g711_bytes = 0;
		c->extra = HEUR_EXTRA_NONE;
	}
	heur_sniff(c, &h, p);
	c->seen[c->n].h = h;
	c->seen[c->n].w = *w;
	if (++c->n < SIFT_MEDIA_HEUR_CONFIRM)
		return NULL;
	/* Duplicates may come, but the sequence must move on: the oldest
	 * makes room (seen[] holds no more). */
	if (c->seen[0].h.seq == h.seq) {
		memmove(&c->seen[0], &c->seen[1],
			(SIFT_MEDIA_HEUR_CONFIRM - 1) * sizeof(c->seen[0]));
		c->n--;
		return NULL;
	}
	c->n = 0;
	ep = heur_add(md, src, false);
	if (!ep)
		return NULL;
	/* SRTP with no key in the capture (its SDP went over TLS, say): a
	 * stream of no key, never ciphertext read as sound or RTCP. */
	ep->srtp = heur_srtp(c);
	if (src->port < 65535) {
		struct sift_addr rtcp = *src;
		struct endpoint *rep;

		rtcp.port = (uint16_t)(src->port + 1);
		if (!sift_strmap_get(md->heps, sift_md_addr_key(&rtcp, (char[ADDR_KEY_LEN]){ 0 }))) {
			rep = heur_add(md, &rtcp, true);
			if (rep)
				rep->srtp = ep->srtp;
		}
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
