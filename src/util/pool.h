/* sipsift — objects of one size that every packet reaches into, on huge
 * pages (pool.c). */
#ifndef SIFT_UTIL_POOL_H
#define SIFT_UTIL_POOL_H

#include <stddef.h>

struct sift_pool;

/* A pool of zeroed objects of size bytes; NULL when memory ran out. */
struct sift_pool *sift_pool_new(size_t size);
/* One object, zeroed; NULL when memory ran out. */
void *sift_pool_zalloc(struct sift_pool *p);
/* x back to the pool (NULL: nothing), to be handed out again. */
void sift_pool_free(struct sift_pool *p, void *x);
/* The pool and every object still out of it. */
void sift_pool_destroy(struct sift_pool *p);

#endif
