/* sipsift — a string-keyed hash map (open addressing, linear probing) for
 * the correlation stages. Keys are copied; values are borrowed pointers. */
#ifndef SIPSIFT_STRMAP_H
#define SIPSIFT_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct sift_strmap;

struct sift_strmap *sift_strmap_new(void);
void sift_strmap_free(struct sift_strmap *m);
void *sift_strmap_get(const struct sift_strmap *m, const char *key);
/* Inserts or replaces; returns 0, or -1 when out of memory. */
int sift_strmap_put(struct sift_strmap *m, const char *key, void *val);
/* Removes key if present. */
void sift_strmap_del(struct sift_strmap *m, const char *key);
size_t sift_strmap_count(const struct sift_strmap *m);

uint64_t sift_hash(const void *p, size_t n);

#endif
