/* sipsift — audio export: G.711 judged before it is decoded, so that
 * ciphertext (SRTP whose key is not in the capture, or a vendor's own
 * media encryption announced as RTP/AVP) never becomes a file of noise
 * (audio_int.h). */
#include <stdlib.h>
#include <string.h>

#include "media/audio_int.h"
#include "media/rtp.h"

struct sift_sniff {
	uint32_t nib[16];          /* G.711 bytes by their high nibble */
	uint32_t bytes;
	unsigned n;
	struct {
		uint32_t ssrc, ts;
		enum sift_codec_kind kind;
		int64_t cap_pos;
		uint8_t *p;
		size_t len;
	} pk[SIFT_SNIFF_PKTS];
};

/* The verdict on what *sn holds: sound goes to track t, held packets in
 * the order they came; then *sn is freed. */
static bool judge(struct sift_sniff **sn, struct sift_track *t)
{
	struct sift_sniff *x = *sn;
	bool random = x && sift_g711_looks_random(x->nib, x->bytes);

	for (unsigned i = 0; x && i < x->n; i++) {
		if (!random)
			sift_track_packet(t, x->pk[i].ssrc, x->pk[i].ts,
					  x->pk[i].kind, x->pk[i].p,
					  x->pk[i].len, x->pk[i].cap_pos);
		free(x->pk[i].p);
	}
	free(x);
	*sn = NULL;
	return random;
}

bool sift_sniff_packet(struct sift_sniff **sn, struct sift_track *t,
		       const struct sift_media_payload *mp,
		       enum sift_codec_kind kind, int64_t cap_pos, bool *random)
{
	enum sift_codec_kind dk = sift_codec_get_kind(t->dec);
	struct sift_sniff *x = *sn;
	uint8_t *copy;

	if (!x)
		x = *sn = calloc(1, sizeof(*x));
	copy = x ? malloc(mp->len ? mp->len : 1) : NULL;
	/* Out of memory: judged on what came, this packet after it. */
	if (!copy) {
		*random = judge(sn, t);
		if (!*random)
			sift_track_packet(t, mp->h->ssrc, mp->h->ts, kind,
					  mp->payload, mp->len, cap_pos);
		return true;
	}
	memcpy(copy, mp->payload, mp->len);
	x->pk[x->n].ssrc = mp->h->ssrc;
	x->pk[x->n].ts = mp->h->ts;
	x->pk[x->n].kind = kind;
	x->pk[x->n].cap_pos = cap_pos;
	x->pk[x->n].p = copy;
	x->pk[x->n].len = mp->len;
	x->n++;
	/* Comfort noise and events held between say nothing. */
	if (kind == dk)
		for (size_t i = 0; i < mp->len && x->bytes < SIFT_G711_SNIFF_BYTES; i++) {
			x->nib[mp->payload[i] >> 4]++;
			x->bytes++;
		}
	if (x->bytes < SIFT_G711_SNIFF_BYTES && x->n < SIFT_SNIFF_PKTS)
		return false;
	*random = judge(sn, t);
	return true;
}

bool sift_sniff_end(struct sift_sniff **sn, struct sift_track *t)
{
	return judge(sn, t);
}
