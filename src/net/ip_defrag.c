/* sipsift — IPv4 and IPv6 fragment reassembly (RFC 791 §3.2, RFC 8200 §4.5).
 *
 * Each datagram under construction keeps one payload buffer (grown as far as
 * the highest fragment end, never past max_datagram) and a sorted list of the
 * byte ranges already filled, merged so that touching ranges become one. The
 * datagram is complete when a single range covers [0, total), total being
 * fixed by the fragment whose MF flag is clear.
 *
 * Overlaps: RFC 5722 tells an IPv6 host to drop the whole datagram, and
 * stacks disagree on which copy of overlapping IPv4 bytes wins. A capture
 * analyser cannot know which stack received the packet; it keeps the bytes
 * that arrived first (as most receivers of the captures we analyse do) and
 * counts the fragment as an overlap when the bytes differ.
 *
 * Datagrams live in a hash table with a fixed number of buckets and in a list
 * ordered by creation time, which is also expiry order because the clock is
 * kept monotonic (capture time may step back between merged files; such a
 * step never makes a datagram younger). Every cap is enforced before memory
 * is taken: a new datagram evicts the oldest one when max_datagrams are
 * pending, a buffer that would pass max_bytes evicts the oldest other
 * datagrams, and a datagram past max_fragments is dropped whole (a flood of
 * tiny fragments is an attack pattern, not a datagram worth keeping). */
#include <stdlib.h>
#include <string.h>

#include "net/ip_defrag.h"
#include "util/htab.h"

/* Ranges of one datagram: never reached, max_fragments caps them lower. */
#define DG_MAX_RANGES (1u << 24)
/* RFC 791 §3.1: Total Length is 16 bits, so no IPv4 payload ends past it. */
#define DG_V4_MAX_END 65535u

struct dg_range {
	uint32_t start; /* first byte present */
	uint32_t end;   /* one past the last */
};

struct dg {
	struct sift_hnode hn;    /* in the table */
	struct sift_lnode age;   /* creation-time list */
	uint8_t family;
	uint8_t proto;
	uint8_t src[16];
	uint8_t dst[16];
	uint32_t id;
	sift_time first;     /* clock when the first fragment arrived */
	uint8_t *buf;
	size_t cap;          /* bytes allocated in buf (counted in d->bytes) */
	struct dg_range *rg;
	unsigned nrg;
	size_t rgcap;
	unsigned nfrags;     /* fragments taken, duplicates included */
	bool have_total;
	size_t total;
};

struct sift_defrag {
	struct sift_defrag_limits lim;
	struct sift_htab tab;    /* entries capped at max_datagrams */
	struct sift_list age;    /* oldest first */
	size_t bytes;        /* sum of cap over pending datagrams */
	struct sift_clock clock;
	uint8_t *out;        /* last completed payload, freed on the next call */
	struct sift_defrag_stats st;
};

/* Used for a complete empty datagram, so *out is never NULL on success. */
static const uint8_t dg_empty[1];

void sift_defrag_limits_default(struct sift_defrag_limits *lim)
{
	if (lim == NULL)
		return;
	lim->max_datagrams = 4096;
	lim->max_bytes = 32u << 20;
	lim->max_datagram = 65535;
	lim->max_fragments = 256;
	lim->timeout = 30 * SIFT_USEC;
}

static size_t addr_len(uint8_t family)
{
	return family == 4 ? 4 : 16;
}

static struct dg *dg_of(struct sift_lnode *l)
{
	return l ? sift_container_of(l, struct dg, age) : NULL;
}

static struct dg *dg_oldest(const struct sift_defrag *d)
{
	return dg_of(d->age.first);
}

static uint32_t dg_hash(uint8_t family, uint8_t proto, const uint8_t *src,
			const uint8_t *dst, uint32_t id)
{
	uint8_t head[6];
	uint32_t h;

	head[0] = family;
	head[1] = proto;
	head[2] = (uint8_t)(id >> 24);
	head[3] = (uint8_t)(id >> 16);
	head[4] = (uint8_t)(id >> 8);
	head[5] = (uint8_t)id;
	h = sift_fnv1a(SIFT_FNV_INIT, head, sizeof(head));
	h = sift_fnv1a(h, src, addr_len(family));
	return sift_fnv1a(h, dst, addr_len(family));
}

struct sift_defrag *sift_defrag_new(const struct sift_defrag_limits *lim)
{
	struct sift_defrag *d;

	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return NULL;
	if (lim != NULL)
		d->lim = *lim;
	else
		sift_defrag_limits_default(&d->lim);
	if (d->lim.timeout < 0)
		d->lim.timeout = 0;
	if (!sift_htab_init(&d->tab, d->lim.max_datagrams)) {
		free(d);
		return NULL;
	}
	/* The table takes 0 as 1; so do we. */
	d->lim.max_datagrams = d->tab.max;
	return d;
}

static void dg_unlink(struct sift_defrag *d, struct dg *g)
{
	sift_htab_del(&d->tab, &g->hn);
	sift_list_remove(&d->age, &g->age);
	d->bytes -= g->cap;
	d->st.pending = d->tab.n;
}

static void dg_destroy(struct dg *g)
{
	free(g->buf);
	free(g->rg);
	free(g);
}

static void dg_drop(struct sift_defrag *d, struct dg *g)
{
	dg_unlink(d, g);
	dg_destroy(g);
}

void sift_defrag_free(struct sift_defrag *d)
{
	if (d == NULL)
		return;
	while (d->age.first != NULL)
		dg_drop(d, dg_oldest(d));
	free(d->out);
	sift_htab_fini(&d->tab);
	free(d);
}

static void expire_clock(struct sift_defrag *d)
{
	while (d->age.first != NULL &&
	       sift_clock_older(&d->clock, dg_oldest(d)->first,
				d->lim.timeout)) {
		dg_drop(d, dg_oldest(d));
		d->st.timeouts++;
	}
}

void sift_defrag_expire(struct sift_defrag *d, sift_time now)
{
	if (d == NULL)
		return;
	free(d->out);
	d->out = NULL;
	sift_clock_tick(&d->clock, now);
	expire_clock(d);
}

size_t sift_defrag_pending(const struct sift_defrag *d)
{
	return d != NULL ? d->tab.n : 0;
}

const struct sift_defrag_stats *sift_defrag_stats(const struct sift_defrag *d)
{
	return d != NULL ? &d->st : NULL;
}

static struct dg *dg_find(const struct sift_defrag *d, const struct sift_frag *f,
			  uint32_t h)
{
	struct sift_hnode *e;
	size_t alen = addr_len(f->family);

	for (e = sift_htab_chain(&d->tab, h); e != NULL; e = e->next) {
		struct dg *g = sift_container_of(e, struct dg, hn);

		if (e->hash == h && g->family == f->family &&
		    g->proto == f->proto &&
		    g->id == f->id && memcmp(g->src, f->src, alen) == 0 &&
		    memcmp(g->dst, f->dst, alen) == 0)
			return g;
	}
	return NULL;
}

/* Evicts the oldest datagrams other than keep until need more bytes fit
 * under max_bytes. Returns whether they fit. */
static bool make_room(struct sift_defrag *d, size_t need, const struct dg *keep)
{
	while (need > d->lim.max_bytes - d->bytes) {
		struct dg *victim = dg_oldest(d);

		if (victim != NULL && victim == keep)
			victim = dg_of(victim->age.next);
		if (victim == NULL)
			return false;
		dg_drop(d, victim);
		d->st.dropped_limit++;
		d->st.evicted++;
	}
	return true;
}

/* Makes g->buf hold at least end bytes. Grows by half again when the total
 * is unknown (in-order fragments then cost few reallocations), but never
 * past what the limits allow. */
static enum sift_rc dg_grow(struct sift_defrag *d, struct dg *g, size_t end,
			    size_t max_end)
{
	size_t want, old;

	if (end <= g->cap)
		return SIFT_OK;
	if (!make_room(d, end - g->cap, g))
		return SIFT_ELIMIT;
	want = g->cap + g->cap / 2;
	if (g->have_total && want > g->total)
		want = g->total;
	if (want > max_end)
		want = max_end;
	if (want < end || want - g->cap > d->lim.max_bytes - d->bytes)
		want = end;
	/* Capped at want, sift_grow allocates exactly want bytes. */
	old = g->cap;
	if (!sift_grow((void **)&g->buf, &g->cap, end - 1, 1, want))
		return SIFT_ENOMEM;
	d->bytes += g->cap - old;
	return SIFT_OK;
}

static struct dg *dg_create(struct sift_defrag *d, const struct sift_frag *f,
			    uint32_t h)
{
	struct dg *g;
	size_t alen = addr_len(f->family);

	g = calloc(1, sizeof(*g));
	if (g == NULL)
		return NULL;
	g->family = f->family;
	g->proto = f->proto;
	memcpy(g->src, f->src, alen);
	memcpy(g->dst, f->dst, alen);
	g->id = f->id;
	g->first = d->clock.now;
	sift_htab_add(&d->tab, &g->hn, h);
	sift_list_append(&d->age, &g->age);
	d->st.pending = d->tab.n;
	return g;
}

/* Copies the bytes of [s, e) that no earlier fragment supplied and compares
 * the rest with what is there. Returns true when some overlapping byte
 * differs. */
static bool dg_fill(struct dg *g, uint32_t s, uint32_t e, const uint8_t *p)
{
	uint32_t pos = s;
	bool differ = false;
	unsigned k;

	for (k = 0; k < g->nrg && pos < e; k++) {
		const struct dg_range *r = &g->rg[k];
		uint32_t ce;

		if (r->end <= pos)
			continue;
		if (r->start >= e)
			break;
		if (pos < r->start) {
			memcpy(g->buf + pos, p + (pos - s), r->start - pos);
			pos = r->start;
		}
		ce = r->end < e ? r->end : e;
		if (memcmp(g->buf + pos, p + (pos - s), ce - pos) != 0)
			differ = true;
		pos = ce;
	}
	if (pos < e)
		memcpy(g->buf + pos, p + (pos - s), e - pos);
	return differ;
}

/* Adds [s, e) to the sorted range list, merging ranges it touches. The
 * caller has made room for one more entry. */
static void dg_add_range(struct dg *g, uint32_t s, uint32_t e)
{
	unsigned i = 0, j;

	while (i < g->nrg && g->rg[i].end < s)
		i++;
	j = i;
	while (j < g->nrg && g->rg[j].start <= e)
		j++;
	if (i == j) {
		memmove(&g->rg[i + 1], &g->rg[i],
			(g->nrg - i) * sizeof(g->rg[0]));
		g->rg[i].start = s;
		g->rg[i].end = e;
		g->nrg++;
		return;
	}
	if (g->rg[i].start < s)
		s = g->rg[i].start;
	if (g->rg[j - 1].end > e)
		e = g->rg[j - 1].end;
	g->rg[i].start = s;
	g->rg[i].end = e;
	memmove(&g->rg[i + 1], &g->rg[j], (g->nrg - j) * sizeof(g->rg[0]));
	g->nrg -= j - i - 1;
}

static enum sift_rc dg_reserve_range(struct dg *g)
{
	if (!sift_grow((void **)&g->rg, &g->rgcap, g->nrg, sizeof(*g->rg),
		       DG_MAX_RANGES))
		return g->nrg >= DG_MAX_RANGES ? SIFT_ELIMIT : SIFT_ENOMEM;
	return SIFT_OK;
}

enum sift_rc sift_defrag_add(struct sift_defrag *d, const struct sift_frag *f,
			     sift_time now, const uint8_t **out,
			     size_t *out_len)
{
	enum sift_rc rc = SIFT_OK;
	struct dg *g = NULL;
	size_t max_end, end;
	uint32_t h;
	bool created = false;

	if (out != NULL)
		*out = NULL;
	if (out_len != NULL)
		*out_len = 0;
	if (d == NULL || f == NULL || out == NULL || out_len == NULL)
		return SIFT_EINVAL;
	free(d->out);
	d->out = NULL;
	sift_clock_tick(&d->clock, now);
	expire_clock(d);

	max_end = d->lim.max_datagram;
	if (f->family == 4 && max_end > DG_V4_MAX_END)
		max_end = DG_V4_MAX_END;
	/* RFC 791 §3.2 / RFC 8200 §4.5: only the last fragment may be short,
	 * so an empty fragment with MF set carries nothing and ends nothing. */
	if ((f->family != 4 && f->family != 6) ||
	    (f->len != 0 && f->data == NULL) || f->len > max_end ||
	    f->offset > max_end - f->len || (f->more && f->len == 0)) {
		d->st.invalid++;
		return SIFT_EINVAL;
	}
	end = f->offset + f->len;

	/* RFC 6946: an "atomic fragment" (offset 0, MF clear) is a whole
	 * datagram and must not be merged with a queue of the same id. */
	if (f->offset == 0 && !f->more) {
		d->st.fragments++;
		d->st.reassembled++;
		*out = f->len != 0 ? f->data : dg_empty;
		*out_len = f->len;
		return SIFT_OK;
	}

	h = dg_hash(f->family, f->proto, f->src, f->dst, f->id);
	g = dg_find(d, f, h);
	if (g != NULL) {
		size_t hi = g->nrg != 0 ? g->rg[g->nrg - 1].end : 0;

		if ((g->have_total && end > g->total) ||
		    (g->have_total && !f->more && end != g->total) ||
		    (!g->have_total && !f->more && hi > end)) {
			d->st.invalid++;
			return SIFT_EINVAL;
		}
		if (g->nfrags >= d->lim.max_fragments) {
			dg_drop(d, g);
			d->st.dropped_limit++;
			return SIFT_ELIMIT;
		}
	} else {
		if (d->lim.max_fragments == 0) {
			d->st.dropped_limit++;
			return SIFT_ELIMIT;
		}
		while (sift_htab_full(&d->tab)) {
			dg_drop(d, dg_oldest(d));
			d->st.dropped_limit++;
			d->st.evicted++;
		}
		if (!make_room(d, f->len != 0 ? end : 0, NULL)) {
			d->st.dropped_limit++;
			return SIFT_ELIMIT;
		}
		g = dg_create(d, f, h);
		if (g == NULL) {
			d->st.nomem++;
			return SIFT_ENOMEM;
		}
		created = true;
	}

	if (f->len != 0) {
		rc = dg_grow(d, g, end, max_end);
		if (rc == SIFT_OK)
			rc = dg_reserve_range(g);
		if (rc != SIFT_OK)
			goto out;
		if (dg_fill(g, f->offset, (uint32_t)end, f->data))
			d->st.overlaps++;
		dg_add_range(g, f->offset, (uint32_t)end);
	}
	g->nfrags++;
	d->st.fragments++;
	if (!f->more) {
		g->have_total = true;
		g->total = end;
	}

	if (g->have_total && g->nrg == 1 && g->rg[0].start == 0 &&
	    g->rg[0].end == g->total) {
		dg_unlink(d, g);
		d->out = g->buf;
		g->buf = NULL;
		*out = d->out;
		*out_len = g->total;
		dg_destroy(g);
		d->st.reassembled++;
	}
	return SIFT_OK;
out:
	d->st.dropped_limit += rc == SIFT_ELIMIT;
	d->st.nomem += rc == SIFT_ENOMEM;
	/* A datagram made for this fragment alone holds nothing: drop it
	 * rather than let it wait for its timeout. */
	if (created)
		dg_drop(d, g);
	return rc;
}
