/* sipsift — the memory of one SIP parse (sip_arena.c). */
#ifndef SIPSIFT_SIP_ARENA_H
#define SIPSIFT_SIP_ARENA_H

#include <stdbool.h>
#include <stddef.h>

/* libosip2's allocators (osip_set_allocators) and ours during a parse:
 * between sift_sip_arena_begin and sift_sip_arena_reset pieces come from
 * the arena (free does nothing for them; reset drops them all); outside,
 * and for pointers the arena did not give, they are libc's. */
void *sift_sip_arena_malloc(size_t n);
void *sift_sip_arena_realloc(void *p, size_t n);
void sift_sip_arena_free(void *p);
void sift_sip_arena_begin(void);
void sift_sip_arena_reset(void);
/* Whether every piece since sift_sip_arena_begin came from the arena:
 * then what libosip2 built needs no freeing (the reset drops it all). */
bool sift_sip_arena_all_inside(void);

/* A block of at least need bytes for a message's copy, and its return
 * when the message is freed (kept for the next one when it fits). */
void *sift_sip_block_get(size_t need);
void sift_sip_block_put(void *p);

/* The arena and the spare block are per thread: a thread that parsed
 * gives back what its own kept before it ends (prefetch.c). */
void sift_sip_arena_thread_end(void);

#endif
