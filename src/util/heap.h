/* sipsift — the heap on transparent huge pages (heap.c). */
#ifndef SIFT_UTIL_HEAP_H
#define SIFT_UTIL_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* NDJSON's heap stays on 4 KB pages up to here (heap.c says why). */
#define SIFT_HEAP_EXACT ((uintptr_t)16 << 20)

/* Once, before the work: the heap grows in large steps, each advised to
 * be backed by huge pages; bounded (NDJSON), all but its first
 * SIFT_HEAP_EXACT bytes. */
void sift_heap_huge(bool bounded);
/* For each packet: every 4,096th advises what the heap grew by since;
 * cheap when it did not grow. */
void sift_heap_tick(void);

/* n zeroed bytes that every packet reaches into at random (the media
 * caches): a mapping of their own, 2 MB aligned and advised onto huge
 * pages, outside the heap and whatever it advises. *mapped says how they
 * were had (calloc when the mapping failed, and under AddressSanitizer),
 * for sift_heap_big_free. NULL when memory ran out. */
void *sift_heap_big_zalloc(size_t n, bool *mapped);
void sift_heap_big_free(void *p, size_t n, bool mapped);

#endif
