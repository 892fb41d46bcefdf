/* sipsift — merging several captures of one network by timestamp (ties:
 * lower file index first, then file order). */
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "util/strmap.h"

#define MAX_MERGE 65536u        /* captures merged at once */
#define DUP_MAX 4096u           /* packets of one timestamp remembered */

/* A binary min-heap of the captures' lookahead packets. Each packet points
 * into its own capture's buffer, so it stays valid while other captures
 * are read; a capture is advanced only at the call after its packet was
 * handed out. */
struct merge_ent {
	size_t idx;             /* into caps */
	struct sift_packet pkt;
};

struct sift_merge {
	struct sift_capture **caps;
	size_t ncaps;
	size_t caps_cap;
	struct merge_ent *heap;
	size_t nheap;
	size_t heap_cap;
	size_t *refill;         /* captures to advance at the next call */
	size_t nrefill;
	size_t refill_cap;
	/* The same packet (bytes, length, link type and time) from two
	 * inputs is one packet given twice (the same capture named twice,
	 * or two files that overlap): it is handed out once. The packets
	 * handed out at the current timestamp are remembered by hash. */
	struct dup_ent *seen;
	size_t nseen;
	size_t seen_cap;
	sift_time seen_ts;
	uint64_t *dups;         /* per capture: its packets dropped as such */
	uint64_t unchecked;     /* packets past DUP_MAX at one timestamp */
	size_t *twin;           /* per capture: 1 + the capture they repeat */
	size_t dups_cap;
	size_t twin_cap;
	/* A packet could not be remembered for want of memory: its twin
	 * from another input would be handed out again (sift_merge_next
	 * says SIFT_ENOMEM instead). */
	bool oom;
};

struct dup_ent {
	size_t idx;
	uint64_t hash;
	uint32_t caplen;
	uint32_t len;
	int linktype;
	bool used;              /* already matched a packet of another input */
};

static bool ent_before(const struct merge_ent *a, const struct merge_ent *b)
{
	if (a->pkt.where.ts != b->pkt.where.ts)
		return a->pkt.where.ts < b->pkt.where.ts;
	if (a->pkt.where.file != b->pkt.where.file)
		return a->pkt.where.file < b->pkt.where.file;
	if (a->pkt.where.frame != b->pkt.where.frame)
		return a->pkt.where.frame < b->pkt.where.frame;
	return a->idx < b->idx;
}

static void heap_push(struct sift_merge *m, const struct merge_ent *e)
{
	size_t i = m->nheap++, parent;

	while (i > 0) {
		parent = (i - 1) / 2;
		if (!ent_before(e, &m->heap[parent]))
			break;
		m->heap[i] = m->heap[parent];
		i = parent;
	}
	m->heap[i] = *e;
}

static void heap_pop(struct sift_merge *m, struct merge_ent *top)
{
	struct merge_ent last;
	size_t i = 0, child;

	*top = m->heap[0];
	last = m->heap[--m->nheap];
	for (;;) {
		child = 2 * i + 1;
		if (child >= m->nheap)
			break;
		if (child + 1 < m->nheap &&
		    ent_before(&m->heap[child + 1], &m->heap[child]))
			child++;
		if (!ent_before(&m->heap[child], &last))
			break;
		m->heap[i] = m->heap[child];
		i = child;
	}
	if (m->nheap > 0)
		m->heap[i] = last;
}

struct sift_merge *sift_merge_new(void)
{
	return calloc(1, sizeof(struct sift_merge));
}

/* On failure c stays the caller's (main.c closes it then). */
enum sift_rc sift_merge_add(struct sift_merge *m, struct sift_capture *c)
{
	if (!m || !c)
		return SIFT_EINVAL;
	/* The heap and the refill list hold at most one entry per capture. */
	if (!sift_grow((void **)&m->caps, &m->caps_cap, m->ncaps,
		       sizeof(*m->caps), MAX_MERGE) ||
	    !sift_grow((void **)&m->heap, &m->heap_cap, m->ncaps,
		       sizeof(*m->heap), MAX_MERGE) ||
	    !sift_grow((void **)&m->refill, &m->refill_cap, m->ncaps,
		       sizeof(*m->refill), MAX_MERGE) ||
	    !sift_grow((void **)&m->dups, &m->dups_cap, m->ncaps,
		       sizeof(*m->dups), MAX_MERGE) ||
	    !sift_grow((void **)&m->twin, &m->twin_cap, m->ncaps,
		       sizeof(*m->twin), MAX_MERGE))
		return m->ncaps >= MAX_MERGE ? SIFT_ELIMIT : SIFT_ENOMEM;
	m->dups[m->ncaps] = 0;
	m->twin[m->ncaps] = 0;
	m->refill[m->nrefill++] = m->ncaps;
	m->caps[m->ncaps++] = c;
	return SIFT_OK;
}

/* Whether e repeats a packet another input handed out at the same
 * time; remembers it otherwise. With one input nothing is compared. */
static bool seen_before(struct sift_merge *m, const struct merge_ent *e)
{
	const struct sift_packet *p = &e->pkt;
	struct dup_ent *d;
	uint64_t h;

	if (m->ncaps < 2)
		return false;
	if (p->where.ts != m->seen_ts || !m->nseen) {
		m->nseen = 0;
		m->seen_ts = p->where.ts;
	}
	h = sift_hash(p->data, p->caplen);
	for (size_t i = 0; i < m->nseen; i++) {
		d = &m->seen[i];
		if (d->used || d->idx == e->idx || d->hash != h ||
		    d->caplen != p->caplen || d->len != p->len ||
		    d->linktype != p->linktype)
			continue;
		d->used = true;
		m->dups[e->idx]++;
		if (!m->twin[e->idx])
			m->twin[e->idx] = d->idx + 1;
		return true;
	}
	if (m->nseen < DUP_MAX &&
	    !sift_grow((void **)&m->seen, &m->seen_cap, m->nseen,
		       sizeof(*m->seen), DUP_MAX)) {
		m->oom = true;
		return false;
	}
	/* Past the cap a packet is not remembered: a twin of it that comes
	 * later from another input is not known for one. Counted. */
	if (m->nseen == DUP_MAX)
		m->unchecked++;
	if (m->nseen < DUP_MAX) {
		d = &m->seen[m->nseen++];
		d->idx = e->idx;
		d->hash = h;
		d->caplen = p->caplen;
		d->len = p->len;
		d->linktype = p->linktype;
		d->used = false;
	}
	return false;
}

enum sift_rc sift_merge_next(struct sift_merge *m, struct sift_packet *pkt,
			     struct sift_capture **from)
{
	struct merge_ent e;
	struct sift_capture *c;
	enum sift_rc rc;

	if (from)
		*from = NULL;
	if (!m || !pkt)
		return SIFT_EINVAL;
	/* One capture: its packets in its order, as the heap would give
	 * them, without the heap (a copy of each packet in and out, 5 % of
	 * a capture of RTP). */
	if (m->ncaps == 1 && m->nheap == 0) {
		/* It stays in refill while it has packets; an error or its
		 * end drops it, as below, and then there is nothing more. */
		if (m->nrefill == 0)
			return SIFT_EOF;
		rc = sift_capture_next(m->caps[0], pkt);
		if (rc != SIFT_OK)
			m->nrefill = 0;
		if (from && rc != SIFT_EOF)
			*from = m->caps[0];
		return rc;
	}
	for (;;) {
		/* Refill in the order captures were added, so errors found
		 * while priming are reported in file order. */
		while (m->nrefill > 0) {
			e.idx = m->refill[0];
			memmove(m->refill, m->refill + 1,
				(m->nrefill - 1) * sizeof(*m->refill));
			m->nrefill--;
			c = m->caps[e.idx];
			rc = sift_capture_next(c, &e.pkt);
			if (rc == SIFT_OK) {
				heap_push(m, &e);
			} else if (rc != SIFT_EOF) {
				if (from)
					*from = c;
				return rc;
			}
		}
		if (m->nheap == 0)
			return SIFT_EOF;
		heap_pop(m, &e);
		m->refill[m->nrefill++] = e.idx;
		if (!seen_before(m, &e))
			break;
	}
	if (m->oom)
		return SIFT_ENOMEM;
	*pkt = e.pkt;
	if (from)
		*from = m->caps[e.idx];
	return SIFT_OK;
}

const uint8_t *sift_merge_peek(const struct sift_merge *m, unsigned k,
			       size_t *caplen, int *linktype)
{
	if (m->ncaps != 1 || m->nheap != 0 || m->nrefill == 0)
		return NULL;
	return sift_capture_peek(m->caps[0], k, caplen, linktype);
}

uint64_t sift_merge_dups(const struct sift_merge *m, size_t i, size_t *twin)
{
	if (!m || i >= m->ncaps || !m->dups[i])
		return 0;
	if (twin)
		*twin = m->twin[i] - 1;
	return m->dups[i];
}

size_t sift_merge_count(const struct sift_merge *m)
{
	return m ? m->ncaps : 0;
}

uint64_t sift_merge_unchecked(const struct sift_merge *m)
{
	return m ? m->unchecked : 0;
}

struct sift_capture *sift_merge_get(const struct sift_merge *m, size_t i)
{
	if (!m || i >= m->ncaps)
		return NULL;
	return m->caps[i];
}

void sift_merge_free(struct sift_merge *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->ncaps; i++)
		sift_capture_close(m->caps[i]);
	free(m->caps);
	free(m->heap);
	free(m->refill);
	free(m->seen);
	free(m->dups);
	free(m->twin);
	free(m);
}
