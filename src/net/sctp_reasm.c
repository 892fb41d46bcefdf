/* sipsift — SCTP DATA chunk reassembly. */
#include <stdlib.h>
#include <string.h>

#include "net/sctp_reasm.h"
#include "sip/sip_frame.h"

/* Messages under construction at once; past it the oldest is dropped. */
#define SLOTS 64
/* A message that waits longer than this (capture time) is dropped. */
#define TIMEOUT (30 * SIFT_USEC)

struct slot {
	bool used;
	struct sift_addr src;
	struct sift_addr dst;
	uint16_t stream;
	uint32_t next_tsn;
	sift_time last;
	uint8_t *buf;
	size_t len;
};

struct sift_sctp_reasm {
	struct slot s[SLOTS];
	uint8_t *done;          /* the last completed message, owned */
	uint64_t incomplete;
};

struct sift_sctp_reasm *sift_sctp_reasm_new(void)
{
	return calloc(1, sizeof(struct sift_sctp_reasm));
}

static void drop(struct sift_sctp_reasm *r, struct slot *sl, bool count)
{
	if (count)
		r->incomplete++;
	free(sl->buf);
	memset(sl, 0, sizeof(*sl));
}

void sift_sctp_reasm_free(struct sift_sctp_reasm *r)
{
	if (!r)
		return;
	for (int i = 0; i < SLOTS; i++)
		if (r->s[i].used)
			drop(r, &r->s[i], false);
	free(r->done);
	free(r);
}

uint64_t sift_sctp_reasm_incomplete(const struct sift_sctp_reasm *r)
{
	uint64_t n = r->incomplete;

	for (int i = 0; i < SLOTS; i++)
		n += r->s[i].used;
	return n;
}

static struct slot *find(struct sift_sctp_reasm *r, const struct sift_addr *src,
			 const struct sift_addr *dst, uint16_t stream)
{
	for (int i = 0; i < SLOTS; i++) {
		struct slot *sl = &r->s[i];

		if (sl->used && sl->stream == stream &&
		    sift_addr_eq(&sl->src, src) && sift_addr_eq(&sl->dst, dst))
			return sl;
	}
	return NULL;
}

/* A free slot, or the one idle longest (its message is dropped). */
static struct slot *take(struct sift_sctp_reasm *r, sift_time now)
{
	struct slot *old = &r->s[0];

	for (int i = 0; i < SLOTS; i++) {
		struct slot *sl = &r->s[i];

		if (sl->used && now - sl->last > TIMEOUT)
			drop(r, sl, true);
		if (!sl->used)
			return sl;
		if (sl->last < old->last)
			old = sl;
	}
	drop(r, old, true);
	return old;
}

static bool append(struct slot *sl, const uint8_t *p, size_t n)
{
	uint8_t *b;

	if (n > SIFT_SIP_MAX_MESSAGE - sl->len)
		return false;
	b = realloc(sl->buf, sl->len + n ? sl->len + n : 1);
	if (!b)
		return false;
	memcpy(b + sl->len, p, n);
	sl->buf = b;
	sl->len += n;
	return true;
}

void sift_sctp_reasm_add(struct sift_sctp_reasm *r, const struct sift_addr *src,
			 const struct sift_addr *dst, uint16_t stream,
			 uint32_t tsn, uint8_t flags, const uint8_t *p,
			 size_t n, sift_time now, const uint8_t **out,
			 size_t *out_len)
{
	struct slot *sl = find(r, src, dst, stream);

	*out = NULL;
	*out_len = 0;
	if (flags & SIFT_SCTP_B) {
		if (sl)
			drop(r, sl, true);
		sl = take(r, now);
		sl->used = true;
		sl->src = *src;
		sl->dst = *dst;
		sl->stream = stream;
	} else if (!sl || tsn != sl->next_tsn) {
		/* A middle or end piece without its beginning, or a TSN
		 * missing in between: the message cannot be rebuilt. */
		if (sl)
			drop(r, sl, true);
		else
			r->incomplete++;
		return;
	}
	if (!append(sl, p, n)) {
		drop(r, sl, true);
		return;
	}
	sl->next_tsn = tsn + 1;
	sl->last = now;
	if (!(flags & SIFT_SCTP_E))
		return;
	free(r->done);
	r->done = sl->buf;
	*out = sl->buf;
	*out_len = sl->len;
	sl->buf = NULL;
	drop(r, sl, false);
}
