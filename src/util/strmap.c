/* sipsift — string-keyed hash map. */
#include <stdlib.h>
#include <string.h>

#include "util/strmap.h"

struct slot {
	char *key;
	uint64_t hash;
	void *val;
};

struct sift_strmap {
	struct slot *slots;
	size_t cap;      /* power of two */
	size_t count;
};

/* Eight bytes at a time, each word folded in with a multiply, then a
 * final mix (the murmur3 finalizer) so that the low bits, which pick a
 * slot, depend on every byte. FNV-1a took a byte at a time through a
 * chain of multiplies: a Call-ID's hash, looked up for every SIP
 * message, was the larger part of sift_strmap_get (2.4 % of a SIP run). */
uint64_t sift_hash(const void *p, size_t n)
{
	const uint64_t k = 0x9e3779b97f4a7c15ULL;
	const uint8_t *b = p;
	uint64_t h = 0xcbf29ce484222325ULL ^ ((uint64_t)n * k), w;

	for (; n >= 8; b += 8, n -= 8) {
		memcpy(&w, b, 8);
		h = (h ^ w) * k;
		h ^= h >> 29;
	}
	if (n) {
		w = 0;
		memcpy(&w, b, n);
		h = (h ^ w) * k;
		h ^= h >> 29;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

struct sift_strmap *sift_strmap_new(void)
{
	struct sift_strmap *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->cap = 64;
	m->slots = calloc(m->cap, sizeof(*m->slots));
	if (!m->slots) {
		free(m);
		return NULL;
	}
	return m;
}

void sift_strmap_free(struct sift_strmap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	free(m);
}

static struct slot *find(const struct sift_strmap *m, const char *key,
			 uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);

	/* The table is never full (load <= 1/2): the probe ends. */
	while (m->slots[i].key) {
		if (m->slots[i].hash == h && strcmp(m->slots[i].key, key) == 0)
			return &m->slots[i];
		i = (i + 1) & (m->cap - 1);
	}
	return &m->slots[i];
}

void *sift_strmap_get(const struct sift_strmap *m, const char *key)
{
	struct slot *s = find(m, key, sift_hash(key, strlen(key)));

	return s->key ? s->val : NULL;
}

static int grow(struct sift_strmap *m)
{
	struct sift_strmap n = { NULL, m->cap * 2, m->count };

	n.slots = calloc(n.cap, sizeof(*n.slots));
	if (!n.slots)
		return -1;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			*find(&n, m->slots[i].key, m->slots[i].hash) = m->slots[i];
	free(m->slots);
	*m = n;
	return 0;
}

int sift_strmap_put(struct sift_strmap *m, const char *key, void *val)
{
	uint64_t h = sift_hash(key, strlen(key));
	struct slot *s;

	if ((m->count + 1) * 2 > m->cap && grow(m) < 0)
		return -1;
	s = find(m, key, h);
	if (!s->key) {
		s->key = strdup(key);
		if (!s->key)
			return -1;
		s->hash = h;
		m->count++;
	}
	s->val = val;
	return 0;
}

void sift_strmap_del(struct sift_strmap *m, const char *key)
{
	struct slot *s = find(m, key, sift_hash(key, strlen(key)));
	size_t i, j;

	if (!s->key)
		return;
	free(s->key);
	s->key = NULL;
	m->count--;
	/* Backward-shift deletion (Knuth 6.4 algorithm R): move later
	 * entries of the probe run into the hole so lookups still find them
	 * without tombstones. */
	i = (size_t)(s - m->slots);
	j = i;
	for (;;) {
		size_t home;

		j = (j + 1) & (m->cap - 1);
		if (!m->slots[j].key)
			break;
		home = (size_t)m->slots[j].hash & (m->cap - 1);
		/* Leave it when its home lies cyclically in (i, j]. */
		if (i <= j ? (home > i && home <= j) : (home > i || home <= j))
			continue;
		m->slots[i] = m->slots[j];
		m->slots[j].key = NULL;
		i = j;
	}
}

size_t sift_strmap_count(const struct sift_strmap *m)
{
	return m->count;
}
