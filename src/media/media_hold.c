/* sipsift — media: SRTP packets held back until their key comes.
 *
 * A packet that no key of its call decrypts yet (early media, RTCP sent
 * before the 200 OK, a rekey's first packets before the re-INVITE is
 * seen) is copied here, per stream, and decrypted and handed to every
 * stage (statistics of RTCP, DTMF, audio) when the call's next SDP brings
 * keys (media_srtp.c). A file is read for its keys first
 * (pipeline_keys.c): then only a few packets are held, for keys that come
 * with no SDP the pass could see. From standard input or a pipe, which is
 * read once, the hold is what makes early media decrypt: up to
 * SIFT_MEDIA_HOLD_PACKETS packets and SIFT_MEDIA_HOLD_BYTES bytes a
 * stream. SIFT_MEDIA_HOLD_TOTAL bytes in all, from a file or a pipe (what
 * does not fit is counted: SIFT_CAP_SRTP_HELD, and fails as before). A held packet counts
 * as a failure only when it is given up: its stream ends, or its stream
 * found its key and the packet still does not decrypt. */
#include <stdlib.h>
#include <string.h>

#include "media/media_int.h"

/* With a key pass: a few, as for a later SDP the pass could not see. */
#define HOLD_FILE_PACKETS 4u
#define HOLD_FILE_BYTES 8192u

bool sift_md_hold(struct sift_media *md, struct mstream *ms, const uint8_t *p,
		  size_t n, const struct sift_where *w, enum sift_held_why why)
{
	bool pipe = !md->keys_fn;
	size_t maxp = pipe ? SIFT_MEDIA_HOLD_PACKETS : HOLD_FILE_PACKETS;
	size_t maxb = pipe ? SIFT_MEDIA_HOLD_BYTES : HOLD_FILE_BYTES;
	struct sift_held *h;
	uint8_t *copy;

	/* All streams together, from a file too (100,000 streams of 4
	 * packets would be 800 MB): a cap the user hears of. */
	if (md->held_bytes + n > SIFT_MEDIA_HOLD_TOTAL) {
		md->caps.held++;
		return false;
	}
	if (n > SIFT_MEDIA_HOLD_PACKET_MAX || ms->nheld >= maxp ||
	    ms->held_bytes + n > maxb) {
		/* Only a stream's hold from a pipe is a cap the user must
		 * hear of; with a file the key pass has found every key
		 * already. */
		if (pipe)
			md->caps.held++;
		return false;
	}
	copy = malloc(n ? n : 1);
	if (!copy || !sift_grow((void **)&ms->held, &ms->held_cap, ms->nheld,
				sizeof(*ms->held), maxp)) {
		free(copy);
		md->oom = true;
		return false;
	}
	memcpy(copy, p, n);
	h = &ms->held[ms->nheld++];
	h->p = copy;
	h->len = (uint16_t)n;
	h->why = why;
	h->w = *w;
	ms->held_bytes += n;
	md->held_bytes += n;
	return true;
}

/* A held packet that will not decrypt counts now as what it was. */
void sift_md_held_count(struct mstream *ms, const struct sift_held *h)
{
	switch (h->why) {
	case SIFT_HELD_BEFORE_KEY:
		ms->s.before_key++;
		break;
	case SIFT_HELD_AUTH:
		ms->s.auth_failures++;
		break;
	default:
		break;   /* no key at all: the stream says no_key */
	}
}

void sift_md_held_forget(struct sift_media *md, struct mstream *ms,
			 struct sift_held *h)
{
	ms->held_bytes -= h->len;
	md->held_bytes -= h->len;
	free(h->p);
	h->p = NULL;
}

void sift_md_hold_give_up(struct sift_media *md, struct mstream *ms)
{
	for (size_t i = 0; i < ms->nheld; i++) {
		sift_md_held_count(ms, &ms->held[i]);
		sift_md_held_forget(md, ms, &ms->held[i]);
	}
	ms->nheld = 0;
}

void sift_md_hold_free(struct mstream *ms)
{
	for (size_t i = 0; i < ms->nheld; i++)
		free(ms->held[i].p);
	free(ms->held);
	ms->held = NULL;
	ms->nheld = ms->held_cap = 0;
	ms->held_bytes = 0;
}

uint64_t sift_media_held_late(const struct sift_media *md)
{
	return md ? md->held_late : 0;
}
