/* sipsift — decrypt -w and IP fragments. A SIP message whose SDP must
 * say RTP/AVP in the decrypted capture, or an SRTP packet, may come in
 * several IP fragments; the rewrite changes its length, so it cannot be
 * done fragment by fragment. The fragments of a datagram are held here
 * (copies) until the frame that completes it: when its payload was
 * rewritten, the datagram is written as one unfragmented packet in place
 * of all its fragments (at the time of the last); otherwise its fragments
 * are written as they came, then that frame. Fragments of a datagram that
 * is not complete within FRAG_HOLD_TIME of capture time (a piece was
 * lost) are written as they came; so are the oldest when the hold is
 * full (counted: SIFT_CAP_FRAGS_EARLY). Held fragments are written late,
 * after packets that arrived between them, with their own timestamps. */
#include <stdlib.h>
#include <string.h>

#include "capture/pcap_write.h"
#include "net/net.h"
#include "pipeline_int.h"

/* Fragments of one datagram leave the sender together. */
#define FRAG_HOLD_TIME (1 * SIFT_USEC)
#define FRAG_HOLD_FRAMES SIFT_FRAG_HOLD_FRAMES
#define FRAG_HOLD_BYTES SIFT_FRAG_HOLD_BYTES

struct held {
	uint64_t key;              /* sift_net_frag_key */
	sift_time ts;
	uint32_t caplen, len;
	struct sift_pcap_writer *w; /* the output it was held for */
	uint8_t *data;
};

struct sift_frag_hold {
	struct held *v;            /* in order of arrival */
	size_t n, cap;
	size_t bytes;
	uint64_t early;            /* frames written early: the hold was full */
	/* Datagrams whose fragments went out before they were complete: a
	 * later piece must not make them whole again (a ring). */
	uint64_t gone[64];
	unsigned next_gone;
};

void sift_pl_frags_free(struct sift_frag_hold *fh)
{
	if (!fh)
		return;
	for (size_t i = 0; i < fh->n; i++)
		free(fh->v[i].data);
	free(fh->v);
	free(fh);
}

uint64_t sift_pl_frags_early(const struct sift_frag_hold *fh)
{
	return fh ? fh->early : 0;
}

/* Writes (wr) or drops the held frames of datagram key, and takes them
 * out of the hold. */
static enum sift_rc release(struct sift_frag_hold *fh, uint64_t key, bool wr)
{
	enum sift_rc rc = SIFT_OK;
	size_t j = 0;

	for (size_t i = 0; i < fh->n; i++) {
		struct held *h = &fh->v[i];

		if (h->key != key) {
			fh->v[j++] = *h;
			continue;
		}
		if (wr && rc == SIFT_OK)
			rc = sift_pcap_write(h->w, h->ts, h->data, h->caplen, h->len);
		fh->bytes -= h->caplen;
		free(h->data);
	}
	fh->n = j;
	return rc;
}

/* Datagram key goes out incomplete. */
static enum sift_rc let_go(struct sift_frag_hold *fh, uint64_t key)
{
	fh->gone[fh->next_gone++ % 64] = key;
	return release(fh, key, true);
}

/* Whether datagram key can be written whole: its other fragments are all
 * still held. */
static bool whole(const struct sift_frag_hold *fh, uint64_t key)
{
	bool held = false;

	for (unsigned i = 0; i < 64; i++)
		if (fh->gone[i] == key)
			return false;
	for (size_t i = 0; i < fh->n && !held; i++)
		held = fh->v[i].key == key;
	return held;
}

enum sift_rc sift_pl_frags_expire(struct sift_pipeline *pl, sift_time now)
{
	struct sift_frag_hold *fh = pl->fh;
	enum sift_rc rc = SIFT_OK;

	/* The oldest first; each release takes at least one frame. */
	while (fh && fh->n && now - fh->v[0].ts > FRAG_HOLD_TIME && rc == SIFT_OK)
		rc = let_go(fh, fh->v[0].key);
	return rc;
}

enum sift_rc sift_pl_frags_flush(struct sift_pipeline *pl)
{
	struct sift_frag_hold *fh = pl->fh;
	enum sift_rc rc = SIFT_OK;

	while (fh && fh->n) {
		enum sift_rc r = release(fh, fh->v[0].key, true);

		if (rc == SIFT_OK)
			rc = r;
	}
	return rc;
}

/* A fragment of a datagram still incomplete: into the hold. */
static enum sift_rc hold(struct sift_pipeline *pl,
			 const struct sift_packet *pkt, uint64_t key)
{
	struct sift_frag_hold *fh = pl->fh;
	uint8_t *copy;

	if (!fh) {
		fh = pl->fh = calloc(1, sizeof(*fh));
		if (!fh)
			return SIFT_ENOMEM;
	}
	/* Room: the oldest datagrams go out as they came. */
	while (fh->n && (fh->n >= FRAG_HOLD_FRAMES ||
			 fh->bytes + pkt->caplen > FRAG_HOLD_BYTES)) {
		size_t before = fh->n;
		enum sift_rc rc = let_go(fh, fh->v[0].key);

		fh->early += before - fh->n;
		if (rc != SIFT_OK)
			return rc;
	}
	if (pkt->caplen > FRAG_HOLD_BYTES ||
	    !sift_grow((void **)&fh->v, &fh->cap, fh->n, sizeof(*fh->v),
		       FRAG_HOLD_FRAMES))
		return sift_pcap_write(pl->out, pkt->where.ts, pkt->data,
				       pkt->caplen, pkt->len);
	copy = malloc(pkt->caplen ? pkt->caplen : 1);
	if (!copy)
		return SIFT_ENOMEM;
	memcpy(copy, pkt->data, pkt->caplen);
	fh->v[fh->n].key = key;
	fh->v[fh->n].ts = pkt->where.ts;
	fh->v[fh->n].caplen = pkt->caplen;
	fh->v[fh->n].len = pkt->len;
	fh->v[fh->n].w = pl->out;
	fh->v[fh->n].data = copy;
	fh->n++;
	fh->bytes += pkt->caplen;
	return SIFT_OK;
}

enum sift_rc sift_pl_frags_write(struct sift_pipeline *pl,
				 const struct sift_packet *pkt,
				 const struct sift_l4 *l4, uint64_t key)
{
	size_t n;
	enum sift_rc rc;

	if (!l4->proto)
		return hold(pl, pkt, key);
	/* The frame that completed the datagram. */
	if (pl->plain_len && pl->fh && whole(pl->fh, key) &&
	    sift_net_rewrite_udp(pkt->data, pkt->caplen, l4, pl->plain,
				 pl->plain_len, pl->frame, sizeof(pl->frame),
				 &n) == SIFT_OK) {
		release(pl->fh, key, false);
		if (pl->plain_is_media)
			pl->r.sum.rewritten++;
		return sift_pcap_write(pl->out, pkt->where.ts, pl->frame,
				       (uint32_t)n, (uint32_t)n);
	}
	if (pl->plain_len)
		pl->r.sum.not_rewritten++;
	rc = pl->fh ? release(pl->fh, key, true) : SIFT_OK;
	if (rc != SIFT_OK)
		return rc;
	return sift_pcap_write(pl->out, pkt->where.ts, pkt->data, pkt->caplen,
			       pkt->len);
}
