/* sipsift — the heap on transparent huge pages (heap.c). */
#ifndef SIFT_UTIL_HEAP_H
#define SIFT_UTIL_HEAP_H

/* Once, before the work: the heap grows in large steps, each advised to
 * be backed by huge pages. */
void sift_heap_huge(void);
/* For each packet: every 4,096th advises what the heap grew by since;
 * cheap when it did not grow. */
void sift_heap_tick(void);

#endif
