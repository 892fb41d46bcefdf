/* sipsift — the bounded hash table and the age-ordered list that the
 * reassemblers (ip_defrag.c, tcp_reasm.c) keep their state in.
 *
 * Both are intrusive: an entry embeds a sift_hnode and a sift_lnode and is
 * found again with sift_container_of, so the table allocates nothing per
 * entry. The table has a fixed number of buckets (a power of two between
 * 16 and 65536, at least the entry cap) and counts its entries; the owner
 * enforces the cap by evicting from the head of its list (oldest first)
 * before it adds, while sift_htab_full says so. The hash is FNV-1a, not
 * keyed: a hostile capture can only lengthen chains up to the cap, which
 * bounds the cost of a lookup.
 *
 * sift_clock is the capture-time clock the timeouts run on: the largest
 * time seen, so a step back (merged captures) never makes anything younger
 * and the lists stay in time order. */
#ifndef SIPSIFT_HTAB_H
#define SIPSIFT_HTAB_H

#include <stddef.h>

#include "sipsift/common.h"

#define sift_container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

#define SIFT_FNV_INIT 2166136261u

/* FNV-1a over n bytes, continuing from h (SIFT_FNV_INIT to start). */
static inline uint32_t sift_fnv1a(uint32_t h, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 16777619u;
	}
	return h;
}

struct sift_hnode {
	struct sift_hnode *next;        /* bucket chain */
	struct sift_hnode **pprev;
	uint32_t hash;
};

struct sift_htab {
	struct sift_hnode **b;
	size_t nb;                      /* a power of two */
	size_t n;                       /* entries */
	size_t max;                     /* the owner's cap, at least 1 */
};

/* max 0 is taken as 1: a table that can hold nothing would evict every
 * entry it makes. false when memory is out. */
bool sift_htab_init(struct sift_htab *t, size_t max);
void sift_htab_fini(struct sift_htab *t);
/* Links e in at the head of its chain. */
void sift_htab_add(struct sift_htab *t, struct sift_hnode *e, uint32_t hash);
void sift_htab_del(struct sift_htab *t, struct sift_hnode *e);

/* The chain that entries of this hash are on (walk ->next, compare ->hash
 * and then the key). */
static inline struct sift_hnode *sift_htab_chain(const struct sift_htab *t,
						 uint32_t hash)
{
	return t->b[hash & (t->nb - 1)];
}

static inline bool sift_htab_full(const struct sift_htab *t)
{
	return t->n >= t->max;
}

/* ---- a list in the order entries were appended ------------------------ */

struct sift_lnode {
	struct sift_lnode *prev;
	struct sift_lnode *next;
};

struct sift_list {
	struct sift_lnode *first;       /* oldest */
	struct sift_lnode *last;
	size_t n;
};

void sift_list_append(struct sift_list *l, struct sift_lnode *e);
void sift_list_remove(struct sift_list *l, struct sift_lnode *e);

/* ---- capture-time clock ----------------------------------------------- */

struct sift_clock {
	sift_time now;                  /* largest time seen */
	bool set;
};

static inline void sift_clock_tick(struct sift_clock *c, sift_time t)
{
	if (!c->set || t > c->now)
		c->now = t;
	c->set = true;
}

/* Is then more than timeout before now? now >= then always holds for
 * times taken from this clock, so the unsigned difference cannot wrap
 * even at the ends of the int64 range. */
static inline bool sift_clock_older(const struct sift_clock *c, sift_time then,
				    sift_time timeout)
{
	return (uint64_t)c->now - (uint64_t)then > (uint64_t)timeout;
}

#endif
