/* sipsift — where a parse's memory comes from: an arena for libosip2's
 * pieces and the strings a parse writes, emptied when the parse ends, and
 * one spare block for the message's own copy (sip_msg.c). */
#include <malloc.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sip/sip_arena.h"
#include "util/asan.h"

/* libosip2 allocates some eighty small pieces for each message (osip_malloc:
 * 2.6 million for sipp's 30,000, callgrind) and none outlives the parse. Between
 * them lay the calls' long-lived allocations, so that on a SIP-only capture
 * malloc and free, walking a fragmented heap, took a third of the run
 * (perf). While a message is parsed its pieces come from an arena instead,
 * emptied when the parse ends: a bump pointer, a size before each piece for
 * osip_realloc, nothing to do for osip_free. Outside a parse, and for a
 * pointer the arena did not give, the calls go to libc. Under
 * AddressSanitizer what is not handed out stays poisoned, so an overrun
 * inside libosip2 is still caught. */
#ifdef SIFT_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define ARENA_CHUNK ((size_t)64 * 1024)
/* 64 chunks (4 MB or more) are far more than a message takes (its text is
 * capped by the framing); past them pieces come from libc. */
#define ARENA_CHUNKS 64
#define ARENA_ALIGN 16u

struct chunk {
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

/* One per thread: -j 2 parses on the reader thread too (prefetch.c). */
static _Thread_local struct {
	bool on;
	bool outside;           /* a piece of this parse came from libc */
	unsigned n;
	struct chunk *c[ARENA_CHUNKS];
} arena;

/* Each message's block (its copy, its strings and its header lines;
 * often past 1 KB) was a malloc and a free per message, on a heap holding
 * thousands of live calls: that malloc was 4 % of a SIP-only run of
 * 50,000 calls (perf). A message is parsed, used and freed before the
 * next, so the freed block waits here for the next parse (up to SPARE_MAX;
 * the larger of two is kept). With -j 2 the reader's messages are freed on
 * the main thread, into its spare: the reader mallocs a block for each. Blocks are at least SPARE_MIN, so one fits most
 * messages. While it waits it is poisoned under AddressSanitizer: a
 * pointer kept into a freed message is still caught. */
#define SPARE_MIN ((size_t)2048)
#define SPARE_MAX ((size_t)64 * 1024)

static _Thread_local struct {
	void *p;
	size_t cap;
} spare;

void *sift_sip_block_get(size_t need)
{
	void *p;

	if (spare.p && spare.cap >= need) {
		p = spare.p;
		spare.p = NULL;
		UNPOISON(p, spare.cap);
		return p;
	}
	return malloc(need < SPARE_MIN ? SPARE_MIN : need);
}

void sift_sip_block_put(void *p)
{
	size_t cap;

	if (!p)
		return;
	cap = malloc_usable_size(p);
	if (cap > SPARE_MAX || (spare.p && spare.cap >= cap)) {
		free(p);
		return;
	}
	free(spare.p);
	spare.p = p;
	spare.cap = cap;
	POISON(p, cap);
}

static size_t round_up(size_t n)
{
	return (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
}

/* Whether p is a piece the arena gave in this parse. */
static bool in_arena(const void *p)
{
	const unsigned char *b = p;

	for (unsigned i = 0; i < arena.n; i++)
		if (b >= arena.c[i]->data && b < arena.c[i]->data + arena.c[i]->used)
			return true;
	return false;
}

static struct chunk *chunk_for(size_t need)
{
	struct chunk *c;
	size_t size = need > ARENA_CHUNK ? need : ARENA_CHUNK;

	if (arena.n && arena.c[arena.n - 1]->size - arena.c[arena.n - 1]->used >= need)
		return arena.c[arena.n - 1];
	if (arena.n == ARENA_CHUNKS)
		return NULL;
	c = malloc(sizeof(*c) + size);
	if (!c)
		return NULL;
	c->size = size;
	c->used = 0;
	POISON(c->data, size);
	arena.c[arena.n++] = c;
	return c;
}

/* The size of a piece of n bytes in a chunk: its size before it, the
 * piece, and under ASan a gap after it. */
static size_t piece_size(size_t n)
{
	size_t need = ARENA_ALIGN + round_up(n ? n : 1);

#ifdef SIFT_ASAN
	need += ARENA_ALIGN;
#endif
	return need;
}

/* Piece of need bytes for n at the end of c. */
static void *carve(struct chunk *c, size_t need, size_t n)
{
	unsigned char *p = c->data + c->used;

	c->used += need;
	UNPOISON(p, sizeof(size_t));
	memcpy(p, &n, sizeof(n));
	POISON(p, sizeof(size_t));
	UNPOISON(p + ARENA_ALIGN, n);
	return p + ARENA_ALIGN;
}

/* All but the common case: no parse on, a piece too large, or a chunk
 * to find or make. */
static __attribute__((noinline)) void *malloc_slow(size_t n)
{
	struct chunk *c;

	if (!arena.on)
		return malloc(n);
	if (n > ARENA_CHUNK * 4 || !(c = chunk_for(piece_size(n)))) {
		arena.outside = true;
		return malloc(n);
	}
	return carve(c, piece_size(n), n);
}

/* Some eighty pieces a message, nearly all from the room left in the
 * last chunk: that path saves no registers (the slow one is apart). */
void *sift_sip_arena_malloc(size_t n)
{
	if (arena.on && arena.n && n <= ARENA_CHUNK * 4) {
		struct chunk *c = arena.c[arena.n - 1];
		size_t need = piece_size(n);

		if (c->size - c->used >= need)
			return carve(c, need, n);
	}
	return malloc_slow(n);
}

void sift_sip_arena_free(void *p)
{
	if (p && !in_arena(p))
		free(p);
}

void *sift_sip_arena_realloc(void *p, size_t n)
{
	size_t old;
	void *q;

	if (!p)
		return sift_sip_arena_malloc(n);
	if (!in_arena(p)) {
		/* libc's (a piece too big for the arena, or one past its
		 * chunks): moved to a new libc piece, as realloc would. */
		old = malloc_usable_size(p);
		q = malloc(n);
		if (!q)
			return NULL;
		memcpy(q, p, old < n ? old : n);
		free(p);
		return q;
	}
	UNPOISON((unsigned char *)p - ARENA_ALIGN, sizeof(size_t));
	memcpy(&old, (unsigned char *)p - ARENA_ALIGN, sizeof(old));
	POISON((unsigned char *)p - ARENA_ALIGN, sizeof(size_t));
	if (n <= old)
		return p;
	q = sift_sip_arena_malloc(n);
	if (q)
		memcpy(q, p, old);
	return q;
}

/* The parse is over and libosip2 freed what it had: the arena is empty
 * again. One chunk of the usual size is kept for the next message. */
void sift_sip_arena_reset(void)
{
	unsigned keep = arena.n && arena.c[0]->size == ARENA_CHUNK ? 1 : 0;

	for (unsigned i = keep; i < arena.n; i++)
		free(arena.c[i]);
	arena.n = keep;
	if (keep) {
		arena.c[0]->used = 0;
		POISON(arena.c[0]->data, arena.c[0]->size);
	}
	arena.on = false;
}

void sift_sip_arena_begin(void)
{
	arena.on = true;
	arena.outside = false;
}

bool sift_sip_arena_all_inside(void)
{
	return !arena.outside;
}

void sift_sip_arena_thread_end(void)
{
	for (unsigned i = 0; i < arena.n; i++)
		free(arena.c[i]);
	arena.n = 0;
	arena.on = false;
	free(spare.p);
	spare.p = NULL;
}
