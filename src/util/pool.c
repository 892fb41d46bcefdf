/* sipsift — a pool of fixed-size objects in chunks on huge pages.
 *
 * The media streams are what every RTP packet writes to, one of
 * thousands on a busy capture. From malloc they lie wherever the heap
 * has room; with NDJSON the heap's first 16 MB stay on 4 KB pages (heap.c
 * says why), and there the streams of a capture's first calls missed the
 * TLB on every packet: perf put the stalls on the prefetches that reach
 * them, and NDJSON ran 5 % slower than JSON on sipp's 4,000 media calls.
 * A pool gives them 2 MB chunks of their own, mapped 2 MB aligned and
 * advised onto huge pages (sift_heap_big_zalloc), whatever the report.
 *
 * Freed objects go on a free list and are handed out again: the chunks
 * stay until the pool goes, so memory follows the most objects out at
 * once, as the heap's would. Under a limit on memory (ulimit -d, -v)
 * chunks are 64 KB from calloc, and under AddressSanitizer each object
 * is its own calloc, so that a use after free is still caught. The
 * chunks' list grows through sift_grow: test_oom's failures reach a new
 * chunk there. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sipsift/common.h"
#include "util/asan.h"
#include "util/heap.h"
#include "util/pool.h"

#define CHUNK_HUGE ((size_t)2 << 20)
#define CHUNK_SMALL ((size_t)64 << 10)

struct chunk {
	void *mem;
	size_t len;
	bool mapped;
};

struct sift_pool {
	size_t size;            /* of an object, rounded to 16 bytes */
	void *free;             /* the free list, linked through the objects */
	char *next, *end;       /* the newest chunk's part never handed out */
	struct chunk *chunks;
	size_t nchunks, cap;
};

struct sift_pool *sift_pool_new(size_t size)
{
	struct sift_pool *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->size = (size + 15) & ~(size_t)15;
	if (p->size < sizeof(void *))
		p->size = sizeof(void *);
	return p;
}

#ifndef SIFT_ASAN
/* One more chunk; false when memory ran out. */
static bool add_chunk(struct sift_pool *p)
{
	size_t len = sift_heap_limited() ? CHUNK_SMALL : CHUNK_HUGE;
	struct chunk c;

	if (len < p->size)
		len = p->size;
	if (!sift_grow((void **)&p->chunks, &p->cap, p->nchunks + 1,
		       sizeof(*p->chunks), SIZE_MAX / sizeof(*p->chunks)))
		return false;
	c.len = len;
	c.mem = sift_heap_big_zalloc(len, &c.mapped);
	if (!c.mem)
		return false;
	p->chunks[p->nchunks++] = c;
	p->next = c.mem;
	p->end = p->next + len;
	return true;
}
#endif

void *sift_pool_zalloc(struct sift_pool *p)
{
#ifdef SIFT_ASAN
	return calloc(1, p->size);
#else
	void *x = p->free;

	if (x) {
		memcpy(&p->free, x, sizeof(void *));
		memset(x, 0, p->size);
		return x;
	}
	if ((size_t)(p->end - p->next) < p->size && !add_chunk(p))
		return NULL;
	x = p->next;
	p->next += p->size;
	return x;     /* never handed out: zero from the chunk's start */
#endif
}

void sift_pool_free(struct sift_pool *p, void *x)
{
	if (!x)
		return;
#ifdef SIFT_ASAN
	(void)p;
	free(x);
#else
	memcpy(x, &p->free, sizeof(void *));
	p->free = x;
#endif
}

void sift_pool_destroy(struct sift_pool *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nchunks; i++)
		sift_heap_big_free(p->chunks[i].mem, p->chunks[i].len,
				   p->chunks[i].mapped);
	free(p->chunks);
	free(p);
}
