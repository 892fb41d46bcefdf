/* sipsift — messages grouped by Call-ID. */
#include <stdlib.h>
#include <string.h>

#include "sipsift/call.h"
#include "strmap.h"

struct sift_calls {
	struct sift_strmap *by_id;
	struct sift_call **v;      /* in order of first appearance */
	size_t n;
	size_t cap;
	uint64_t dropped;
};

struct sift_calls *sift_calls_new(void)
{
	struct sift_calls *cs = calloc(1, sizeof(*cs));

	if (!cs)
		return NULL;
	cs->by_id = sift_strmap_new();
	if (!cs->by_id) {
		free(cs);
		return NULL;
	}
	return cs;
}

static void msg_rec_clear(struct sift_msg_rec *r)
{
	free(r->method);
	free(r->reason);
	free(r->cseq_method);
	free(r->branch);
}

static void call_free(struct sift_call *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nmsgs; i++)
		msg_rec_clear(&c->msgs[i]);
	free(c->msgs);
	free(c->call_id);
	free(c->kind);
	free(c->from);
	free(c->to);
	free(c);
}

void sift_calls_free(struct sift_calls *cs)
{
	if (!cs)
		return;
	for (size_t i = 0; i < cs->n; i++)
		call_free(cs->v[i]);
	free(cs->v);
	sift_strmap_free(cs->by_id);
	free(cs);
}

static char *dup_or_null(const char *s, bool *fail)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*fail = true;
	return d;
}

static char *lower_dup(const char *s, bool *fail)
{
	char *d = dup_or_null(s, fail);

	for (char *p = d; p && *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	return d;
}

static struct sift_call *call_get(struct sift_calls *cs,
				  const struct sift_sip_msg *m)
{
	struct sift_call *c = sift_strmap_get(cs->by_id, m->call_id);
	bool fail = false;

	if (c)
		return c;
	if (cs->n >= SIFT_CALLS_MAX)
		return NULL;
	if (cs->n == cs->cap) {
		size_t cap = cs->cap ? cs->cap * 2 : 64;
		struct sift_call **v = realloc(cs->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		cs->v = v;
		cs->cap = cap;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->call_id = dup_or_null(m->call_id, &fail);
	c->from = dup_or_null(m->from_uri, &fail);
	c->to = dup_or_null(m->to_uri, &fail);
	if (fail || sift_strmap_put(cs->by_id, m->call_id, c) < 0) {
		call_free(c);
		return NULL;
	}
	cs->v[cs->n++] = c;
	return c;
}

enum sift_rc sift_calls_add(struct sift_calls *cs, const struct sift_sip_msg *m,
			    const struct sift_where *w,
			    const struct sift_addr *src,
			    const struct sift_addr *dst,
			    enum sift_transport tp)
{
	struct sift_call *c = call_get(cs, m);
	struct sift_msg_rec *r;
	bool fail = false;

	if (!c) {
		cs->dropped++;
		return SIFT_ELIMIT;
	}
	if (c->nmsgs >= SIFT_CALL_MSGS_MAX) {
		c->dropped++;
		cs->dropped++;
		return SIFT_ELIMIT;
	}
	if (c->nmsgs == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		struct sift_msg_rec *v = realloc(c->msgs, cap * sizeof(*v));

		if (!v)
			return SIFT_ENOMEM;
		c->msgs = v;
		c->cap = cap;
	}
	r = &c->msgs[c->nmsgs];
	memset(r, 0, sizeof(*r));
	r->where = *w;
	r->src = *src;
	r->dst = *dst;
	r->transport = tp;
	r->request = m->request;
	r->status = m->status;
	r->cseq = m->cseq;
	r->method = dup_or_null(m->method, &fail);
	r->reason = dup_or_null(m->reason, &fail);
	r->cseq_method = dup_or_null(m->cseq_method, &fail);
	r->branch = dup_or_null(m->via.branch, &fail);
	if (fail) {
		msg_rec_clear(r);
		return SIFT_ENOMEM;
	}
	if (!c->kind && m->request)
		c->kind = lower_dup(m->method, &fail);
	c->nmsgs++;
	return fail ? SIFT_ENOMEM : SIFT_OK;
}

size_t sift_calls_count(const struct sift_calls *cs)
{
	return cs->n;
}

const struct sift_call *sift_calls_get(const struct sift_calls *cs, size_t i)
{
	return i < cs->n ? cs->v[i] : NULL;
}

uint64_t sift_calls_dropped(const struct sift_calls *cs)
{
	return cs->dropped;
}
