/* sipsift — SCTP chunks (RFC 9260 §3.2, §3.3.1) and DATA chunk
 * reassembly. */
#include <stdlib.h>
#include <string.h>

#include "net/sctp_reasm.h"

/* A message that waits longer than this (capture time) is dropped. */
#define TIMEOUT (30 * SIFT_USEC)

#define CHUNK_HDR 4u            /* type, flags, length */
#define DATA_HDR 16u            /* + TSN, stream id, stream seq, PPID */
#define CHUNK_DATA 0

struct slot {
	bool used;
	struct sift_addr src;
	struct sift_addr dst;
	uint16_t stream;
	uint32_t next_tsn;
	sift_time last;
	uint8_t *buf;
	size_t len;
	size_t cap;
};

struct sift_sctp_reasm {
	struct slot s[SIFT_SCTP_SLOTS];
	uint8_t *done;          /* the last completed message, owned */
	uint64_t incomplete;
	uint64_t evicted;       /* ... of which the SIFT_SCTP_SLOTS cap dropped */
	size_t max;             /* the longest message kept */
};

struct sift_sctp_reasm *sift_sctp_reasm_new(void)
{
	struct sift_sctp_reasm *r = calloc(1, sizeof(*r));

	if (r)
		r->max = SIFT_SCTP_MAX_MESSAGE;
	return r;
}

void sift_sctp_reasm_set_max(struct sift_sctp_reasm *r, size_t max)
{
	r->max = max;
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
	for (int i = 0; i < SIFT_SCTP_SLOTS; i++)
		if (r->s[i].used)
			drop(r, &r->s[i], false);
	free(r->done);
	free(r);
}

uint64_t sift_sctp_reasm_incomplete(const struct sift_sctp_reasm *r)
{
	uint64_t n = r->incomplete;

	for (int i = 0; i < SIFT_SCTP_SLOTS; i++)
		n += r->s[i].used;
	return n;
}

static struct slot *find(struct sift_sctp_reasm *r, const struct sift_addr *src,
			 const struct sift_addr *dst, uint16_t stream)
{
	for (int i = 0; i < SIFT_SCTP_SLOTS; i++) {
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

	for (int i = 0; i < SIFT_SCTP_SLOTS; i++) {
		struct slot *sl = &r->s[i];

		if (sl->used && now - sl->last > TIMEOUT)
			drop(r, sl, true);
		if (!sl->used)
			return sl;
		if (sl->last < old->last)
			old = sl;
	}
	r->evicted++;
	drop(r, old, true);
	return old;
}

const uint64_t *sift_sctp_reasm_evicted(const struct sift_sctp_reasm *r)
{
	return &r->evicted;
}

static bool append(struct slot *sl, const uint8_t *p, size_t n, size_t max)
{
	if (sl->len > max || n > max - sl->len)
		return false;
	/* Room for len + n bytes (at least one, so a finished empty
	 * message still has a buffer to hand out). */
	if (!sift_grow((void **)&sl->buf, &sl->cap,
		       sl->len + n ? sl->len + n - 1 : 0, 1,
		       max + 1))
		return false;
	if (n)
		memcpy(sl->buf + sl->len, p, n);
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
	if (!append(sl, p, n, r->max)) {
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

void sift_sctp_chunks_start(struct sift_sctp_chunks *it,
			    struct sift_sctp_reasm *r,
			    const struct sift_addr *src,
			    const struct sift_addr *dst, const uint8_t *p,
			    size_t len, sift_time ts)
{
	it->k = sift_cur_make(p, len);
	it->r = r;
	it->src = src;
	it->dst = dst;
	it->ts = ts;
}

/* RFC 9260 §3.3.1: DATA chunks; a SIP message is one user message (RFC
 * 4168 §5), in one chunk or in several (B ... E). A chunk whose length
 * field is too small or runs past the packet ends the walk. */
bool sift_sctp_next_message(struct sift_sctp_chunks *it, const uint8_t **msg,
			    size_t *len)
{
	struct sift_cur *k = &it->k;

	*msg = NULL;
	*len = 0;
	while (sift_cur_has(k, CHUNK_HDR)) {
		struct sift_cur c = *k;
		uint8_t type, flags;
		uint16_t stream;
		uint32_t tsn;
		size_t clen;

		type = sift_cur_u8(&c);
		flags = sift_cur_u8(&c);
		clen = sift_cur_be16(&c);
		if (clen < CHUNK_HDR || clen > sift_cur_left(k))
			break;
		c = sift_cur_sub(k, clen);
		/* Chunks are padded to 4 bytes; the last one's padding may
		 * be missing. */
		sift_cur_skip(k, (4 - clen % 4) % 4);
		if (type != CHUNK_DATA || clen < DATA_HDR)
			continue;
		sift_cur_skip(&c, CHUNK_HDR);
		tsn = sift_cur_be32(&c);
		stream = sift_cur_be16(&c);
		sift_cur_skip(&c, 6);           /* stream seq, PPID */
		*msg = sift_cur_ptr(&c);
		*len = sift_cur_left(&c);
		if ((flags & (SIFT_SCTP_B | SIFT_SCTP_E)) !=
		    (SIFT_SCTP_B | SIFT_SCTP_E))
			sift_sctp_reasm_add(it->r, it->src, it->dst, stream,
					    tsn, flags, *msg, *len, it->ts,
					    msg, len);
		if (*msg)
			return true;
	}
	/* Nothing more in this packet. */
	k->off = k->len;
	return false;
}
