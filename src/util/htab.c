/* sipsift — the bounded intrusive hash table and list (see htab.h). */
#include <stdlib.h>

#include "util/htab.h"

#define HTAB_MIN_BUCKETS 16u
#define HTAB_MAX_BUCKETS 65536u

bool sift_htab_init(struct sift_htab *t, size_t max)
{
	size_t nb = HTAB_MIN_BUCKETS;

	t->max = max ? max : 1;
	t->n = 0;
	while (nb < t->max && nb < HTAB_MAX_BUCKETS)
		nb <<= 1;
	t->nb = nb;
	t->b = calloc(nb, sizeof(*t->b));
	return t->b != NULL;
}

void sift_htab_fini(struct sift_htab *t)
{
	free(t->b);
	t->b = NULL;
	t->nb = t->n = 0;
}

void sift_htab_add(struct sift_htab *t, struct sift_hnode *e, uint32_t hash)
{
	struct sift_hnode **slot = &t->b[hash & (t->nb - 1)];

	e->hash = hash;
	e->next = *slot;
	if (*slot)
		(*slot)->pprev = &e->next;
	e->pprev = slot;
	*slot = e;
	t->n++;
}

void sift_htab_del(struct sift_htab *t, struct sift_hnode *e)
{
	*e->pprev = e->next;
	if (e->next)
		e->next->pprev = e->pprev;
	e->next = NULL;
	e->pprev = NULL;
	t->n--;
}

void sift_list_append(struct sift_list *l, struct sift_lnode *e)
{
	e->next = NULL;
	e->prev = l->last;
	if (l->last)
		l->last->next = e;
	else
		l->first = e;
	l->last = e;
	l->n++;
}

void sift_list_remove(struct sift_list *l, struct sift_lnode *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		l->first = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		l->last = e->prev;
	e->prev = e->next = NULL;
	l->n--;
}
