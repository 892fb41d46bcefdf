/* sipsift — calls at rest (call.h): a quiet call's messages, transactions
 * and dialogs written as one image into the spill (util/spill.h), read
 * back whole when the report asks for the call, or woken by a late message
 * of the call, which then goes on as if it had never slept.
 *
 * The image is the records as they are in memory, followed by their
 * strings; each pointer of a record holds the offset of its string in the
 * image (0: NULL). Read back, the image is one block and the pointers are
 * made to point into it again, each checked to fall inside the string area,
 * which ends with a NUL. Woken, the records get their own strings again, as
 * call.c makes them. */
#include <stdlib.h>
#include <string.h>

#include "call/call_int.h"

#define IMG_MAGIC 0x53494654u   /* "SIFT" */
#define ALIGN(x) (((x) + 15u) & ~(size_t)15u)

struct img_hdr {
	uint32_t magic;
	uint32_t nmsgs;
	uint32_t ntxns;
	uint32_t ndialogs;
	uint64_t size;
};

/* Every pointer of the records, by field. A pointer added to struct
 * sift_msg_rec, sift_txn or sift_dialog must be added here
 * (tests/unit/test_call_rest.c and fuzz/fuzz_calls.c compare every field
 * of calls put at rest with the same calls kept in memory).
 * msg_rec.facts is the one allocation (facts_len bytes) that MSG_FACTS
 * point into (call.c's keep_facts, own_facts here): it goes into the
 * image as one block, and is made again when the call wakes. */
#define MSG_OWN(X) X(sdp_raw)
#define MSG_FACTS(X) X(ruri) X(from_uri) X(from_tag) X(to_uri) X(to_tag) \
	X(contact) X(route) X(record_route) X(via_host) X(pai) X(user_agent) \
	X(method) X(reason) X(cseq_method) X(branch)
#define TXN_STRS(X) X(key) X(method) X(final_reason) X(final_to_tag)
#define DIALOG_STRS(X) X(from_tag) X(to_tag)

/* Where each part of a call's image starts (the strings run to its end). */
struct layout {
	size_t msgs, txns, dialogs, strs;
};

static void layout_of(const struct sift_call *c, struct layout *l)
{
	l->msgs = ALIGN(sizeof(struct img_hdr));
	l->txns = ALIGN(l->msgs + c->nmsgs * sizeof(struct sift_msg_rec));
	l->dialogs = ALIGN(l->txns + c->ntxns * sizeof(struct sift_txn));
	l->strs = ALIGN(l->dialogs + c->ndialogs * sizeof(struct sift_dialog));
}

void sift_msg_rec_clear(struct sift_msg_rec *r)
{
	free(r->facts);
	free(r->sdp_raw);
}

static void txn_clear(struct sift_txn *t)
{
	free(t->key);
	free(t->method);
	free(t->final_reason);
	free(t->final_to_tag);
}

static void dialog_clear(struct sift_dialog *d)
{
	free(d->from_tag);
	free(d->to_tag);
}

static size_t len0(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/* n bytes appended to the image at *at (it grows). */
static bool put_bytes(struct sift_calls *cs, size_t *at, const void *p,
		      size_t n)
{
	if (*at + n < *at ||
	    !sift_grow((void **)&cs->img, &cs->img_cap, *at + n, 1, UINT32_MAX))
		return false;
	memcpy(cs->img + *at, p, n);
	*at += n;
	return true;
}

/* s appended to the image at *at; its offset, as a pointer (NULL stays
 * NULL). */
static char *put_str(struct sift_calls *cs, size_t *at, const char *s,
		     bool *ok)
{
	size_t off = *at;

	if (!s)
		return NULL;
	if (!put_bytes(cs, at, s, strlen(s) + 1)) {
		*ok = false;
		return NULL;
	}
	return (char *)(uintptr_t)off;
}

/* The image of an awake call in cs->img (kept from one call to the
 * next), *size bytes; NULL when out of memory or past UINT32_MAX. Records
 * are copied as they are, padding included (each was zeroed when made),
 * then their pointers are set in place (the image may move as strings are
 * added: records are found again by offset). */
static char *image_of(struct sift_calls *cs, const struct sift_call *c,
		      size_t *size)
{
	struct img_hdr h = { IMG_MAGIC, (uint32_t)c->nmsgs, (uint32_t)c->ntxns,
			     (uint32_t)c->ndialogs, 0 };
	struct layout l;
	size_t at;
	bool ok = true;

	layout_of(c, &l);
	if (l.strs > UINT32_MAX ||
	    !sift_grow((void **)&cs->img, &cs->img_cap, l.strs, 1, UINT32_MAX))
		return NULL;
	/* The header, and the gaps that align each part. */
	memset(cs->img, 0, l.msgs);
	at = l.msgs + c->nmsgs * sizeof(struct sift_msg_rec);
	memset(cs->img + at, 0, l.txns - at);
	at = l.txns + c->ntxns * sizeof(struct sift_txn);
	memset(cs->img + at, 0, l.dialogs - at);
	at = l.dialogs + c->ndialogs * sizeof(struct sift_dialog);
	memset(cs->img + at, 0, l.strs - at);
	at = l.strs;
#define AT(T, off, i) ((T *)(void *)(cs->img + (off) + (i) * sizeof(T)))
	for (size_t i = 0; i < c->nmsgs; i++) {
		const struct sift_msg_rec *r = &c->msgs[i];

		memcpy(AT(struct sift_msg_rec, l.msgs, i), r,
		       sizeof(struct sift_msg_rec));
		AT(struct sift_msg_rec, l.msgs, i)->facts = NULL;
		AT(struct sift_msg_rec, l.msgs, i)->facts_len = 0;
#define PUT(f) { char *o_ = put_str(cs, &at, r->f, &ok); \
		 AT(struct sift_msg_rec, l.msgs, i)->f = o_; }
		MSG_OWN(PUT)
		if (r->facts) {
			/* The facts as one block: each points into it. */
			size_t base = at;

			if (!put_bytes(cs, &at, r->facts, r->facts_len)) {
				ok = false;
				continue;
			}
#define FACT(f) AT(struct sift_msg_rec, l.msgs, i)->f = r->f ? \
		(char *)(uintptr_t)(base + (size_t)(r->f - r->facts)) : NULL;
			MSG_FACTS(FACT)
#undef FACT
		} else {
			MSG_FACTS(PUT)
		}
#undef PUT
	}
	for (size_t i = 0; i < c->ntxns; i++) {
		memcpy(AT(struct sift_txn, l.txns, i), &c->txns[i],
		       sizeof(struct sift_txn));
#define PUT(f) { char *o_ = put_str(cs, &at, c->txns[i].f, &ok); \
		 AT(struct sift_txn, l.txns, i)->f = o_; }
		TXN_STRS(PUT)
#undef PUT
	}
	for (size_t i = 0; i < c->ndialogs; i++) {
		memcpy(AT(struct sift_dialog, l.dialogs, i), &c->dialogs[i],
		       sizeof(struct sift_dialog));
#define PUT(f) { char *o_ = put_str(cs, &at, c->dialogs[i].f, &ok); \
		 AT(struct sift_dialog, l.dialogs, i)->f = o_; }
		DIALOG_STRS(PUT)
#undef PUT
	}
#undef AT
	if (!ok)
		return NULL;
	h.size = at;
	memcpy(cs->img, &h, sizeof(h));
	*size = at;
	return cs->img;
}

/* An offset of the image b (size bytes, strings from lo) made a pointer
 * into it; NULL stays NULL; false in *ok when it points outside. */
static char *fix(char *b, size_t lo, size_t size, const void *p, bool *ok)
{
	uintptr_t off = (uintptr_t)p;

	if (!p)
		return NULL;
	if (off < lo || off >= size) {
		*ok = false;
		return NULL;
	}
	return b + off;
}

/* The image b, read back for call c, made records in place. */
static bool relocate(struct sift_call *c, char *b, size_t size)
{
	struct img_hdr h;
	struct layout l;
	bool ok = true;

	if (size < sizeof(h))
		return false;
	memcpy(&h, b, sizeof(h));
	if (h.magic != IMG_MAGIC || h.size != size || h.nmsgs != c->nmsgs ||
	    h.ntxns != c->ntxns || h.ndialogs != c->ndialogs)
		return false;
	layout_of(c, &l);
	if (l.strs > size || (size > l.strs && b[size - 1] != '\0'))
		return false;
	c->msgs = c->nmsgs ? (struct sift_msg_rec *)(void *)(b + l.msgs) : NULL;
	c->txns = c->ntxns ? (struct sift_txn *)(void *)(b + l.txns) : NULL;
	c->dialogs = c->ndialogs ?
		     (struct sift_dialog *)(void *)(b + l.dialogs) : NULL;
	c->cap = c->nmsgs;
	c->txn_cap = c->ntxns;
	c->dialog_cap = c->ndialogs;
	for (size_t i = 0; i < c->nmsgs; i++) {
		struct sift_msg_rec *r = &c->msgs[i];
#define FIX(f) r->f = fix(b, l.strs, size, r->f, &ok);
		MSG_OWN(FIX)
		MSG_FACTS(FIX)
#undef FIX
		r->facts = NULL;
	}
	for (size_t i = 0; i < c->ntxns; i++) {
		struct sift_txn *t = &c->txns[i];
#define FIX(f) t->f = fix(b, l.strs, size, t->f, &ok);
		TXN_STRS(FIX)
#undef FIX
	}
	for (size_t i = 0; i < c->ndialogs; i++) {
		struct sift_dialog *d = &c->dialogs[i];
#define FIX(f) d->f = fix(b, l.strs, size, d->f, &ok);
		DIALOG_STRS(FIX)
#undef FIX
	}
	return ok;
}

/* The block a call was read back into goes: a slot's of the calls read
 * back (kept for the next one), or its own. */
static void drop_img(struct sift_calls *cs, struct sift_call *c)
{
	for (unsigned i = 0; i < SIFT_CALLS_READ; i++)
		if (cs->read[i] == c) {
			cs->read[i] = NULL;
			c->rest_img = NULL;
			return;
		}
	/* The scratch block (sift_call_read) stays for the next. */
	c->rest_img = NULL;
}

/* Owned arrays freed; pointers and capacities to 0, counts kept. */
static void owned_free(struct sift_call *c)
{
	for (size_t i = 0; c->msgs && i < c->nmsgs; i++)
		sift_msg_rec_clear(&c->msgs[i]);
	for (size_t i = 0; c->txns && i < c->ntxns; i++)
		txn_clear(&c->txns[i]);
	for (size_t i = 0; c->dialogs && i < c->ndialogs; i++)
		dialog_clear(&c->dialogs[i]);
	free(c->msgs);
	free(c->txns);
	free(c->dialogs);
	c->msgs = NULL;
	c->txns = NULL;
	c->dialogs = NULL;
	c->cap = c->txn_cap = c->dialog_cap = 0;
}

/* A call read back goes back to rest (its image is still in the spill). */
static void unread(struct sift_calls *cs, struct sift_call *c)
{
	drop_img(cs, c);
	c->msgs = NULL;
	c->txns = NULL;
	c->dialogs = NULL;
	c->cap = c->txn_cap = c->dialog_cap = 0;
	c->rest = SIFT_REST_AWAY;
}

void sift_call_arrays_free(struct sift_calls *cs, struct sift_call *c)
{
	switch (c->rest) {
	case SIFT_REST_AWAKE:
		owned_free(c);
		break;
	case SIFT_REST_READ:
		unread(cs, c);
		/* fall through */
	case SIFT_REST_AWAY:
	default:
		if (cs->spill)
			sift_spill_drop(cs->spill, c->rest_ref, c->rest_len);
		break;
	}
	c->rest = SIFT_REST_AWAKE;
	c->nmsgs = c->ntxns = c->ndialogs = 0;
}

bool sift_call_sleep(struct sift_calls *cs, struct sift_call *c)
{
	size_t size;
	uint64_t ref;
	char *b;

	if (!cs->spill || c->rest != SIFT_REST_AWAKE)
		return false;
	b = image_of(cs, c, &size);
	if (!b || !sift_spill_put(cs->spill, b, size, &ref))
		return false;
	owned_free(c);
	c->rest = SIFT_REST_AWAY;
	c->rest_ref = ref;
	c->rest_len = (uint32_t)size;
	return true;
}

/* The image of a call at rest read into b (room for it; NULL: memory ran
 * out, sift_calls_oom) and made its records. Not readable: the call goes
 * on without what it held, its messages counted as dropped; false. */
static bool read_into(struct sift_calls *cs, struct sift_call *c, char *b)
{
	if (!b)
		cs->oom = true;
	if (b && sift_spill_get(cs->spill, c->rest_ref, b, c->rest_len) &&
	    relocate(c, b, c->rest_len)) {
		c->rest = SIFT_REST_READ;
		c->rest_img = b;
		return true;
	}
	c->msgs = NULL;
	c->txns = NULL;
	c->dialogs = NULL;
	c->dropped += c->nmsgs;
	cs->dropped += c->nmsgs;
	sift_call_arrays_free(cs, c);
	return false;
}

bool sift_calls_oom(const struct sift_calls *cs)
{
	return cs && cs->oom;
}

void sift_call_read(struct sift_calls *cs, struct sift_call *c)
{
	if (c->rest != SIFT_REST_AWAY)
		return;
	(void)read_into(cs, c, sift_grow((void **)&cs->scratch, &cs->scratch_cap,
					 c->rest_len, 1, UINT32_MAX) ?
			       cs->scratch : NULL);
}

void sift_call_read_kept(struct sift_calls *cs, struct sift_call *c)
{
	unsigned k = cs->read_next;
	struct sift_call *old = cs->read[k];

	if (c->rest != SIFT_REST_AWAY)
		return;
	/* The oldest call read back goes back to rest; its slot's block
	 * takes this one (no allocation per call read). */
	if (old && old->rest == SIFT_REST_READ)
		unread(cs, old);
	cs->read[k] = NULL;
	if (!read_into(cs, c, sift_grow((void **)&cs->read_buf[k],
					&cs->read_cap[k], c->rest_len, 1,
					UINT32_MAX) ? cs->read_buf[k] : NULL))
		return;
	cs->read[k] = c;
	cs->read_next = (k + 1) % SIFT_CALLS_READ;
}

static char *dup0(const char *s, bool *fail)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*fail = true;
	return d;
}

/* The fact fields of r (pointing into the image) copied into one
 * allocation of its own, as call.c keeps them. */
static bool own_facts(struct sift_msg_rec *r)
{
	size_t need = 0;
	char *w;

#define ADD(f) need += len0(r->f);
	MSG_FACTS(ADD)
#undef ADD
	r->facts_len = 0;
	if (!need)
		return true;
	w = malloc(need);
	if (!w)
		return false;
	r->facts = w;
	r->facts_len = (uint32_t)need;
#define COPY(f) if (r->f) { size_t n_ = len0(r->f); memcpy(w, r->f, n_); r->f = w; w += n_; }
	MSG_FACTS(COPY)
#undef COPY
	return true;
}

/* The records read back, each made to own its strings. */
static bool own_all(struct sift_call *c, struct sift_msg_rec *m,
		    struct sift_txn *t, struct sift_dialog *d)
{
	bool fail = false;

	for (size_t i = 0; i < c->nmsgs && !fail; i++) {
		memcpy(&m[i], &c->msgs[i], sizeof(m[i]));
#define NUL(f) m[i].f = NULL;
		MSG_OWN(NUL)
#undef NUL
#define DUP(f) m[i].f = dup0(c->msgs[i].f, &fail);
		MSG_OWN(DUP)
#undef DUP
		if (!own_facts(&m[i])) {
			/* The facts still point into the image. */
			m[i].facts = NULL;
			fail = true;
		}
	}
	for (size_t i = 0; i < c->ntxns && !fail; i++) {
		memcpy(&t[i], &c->txns[i], sizeof(t[i]));
#define DUP(f) t[i].f = dup0(c->txns[i].f, &fail);
		TXN_STRS(DUP)
#undef DUP
	}
	for (size_t i = 0; i < c->ndialogs && !fail; i++) {
		memcpy(&d[i], &c->dialogs[i], sizeof(d[i]));
#define DUP(f) d[i].f = dup0(c->dialogs[i].f, &fail);
		DIALOG_STRS(DUP)
#undef DUP
	}
	return !fail;
}

static size_t room(size_t n)
{
	return n < 2 ? 2 : n;
}

bool sift_call_wake(struct sift_calls *cs, struct sift_call *c)
{
	struct sift_msg_rec *m;
	struct sift_txn *t;
	struct sift_dialog *d;

	if (c->rest == SIFT_REST_AWAY)
		sift_call_read(cs, c);
	if (c->rest == SIFT_REST_AWAKE)
		return true;
	/* calloc: a record not reached when memory runs out has only NULL
	 * pointers to free. Room for 2 at least: sift_grow grows large
	 * records by half, which from 1 is no growth. */
	m = calloc(room(c->nmsgs), sizeof(*m));
	t = calloc(room(c->ntxns), sizeof(*t));
	d = calloc(room(c->ndialogs), sizeof(*d));
	if (!m || !t || !d || !own_all(c, m, t, d)) {
		for (size_t i = 0; m && i < c->nmsgs; i++)
			sift_msg_rec_clear(&m[i]);
		for (size_t i = 0; t && i < c->ntxns; i++)
			txn_clear(&t[i]);
		for (size_t i = 0; d && i < c->ndialogs; i++)
			dialog_clear(&d[i]);
		free(m);
		free(t);
		free(d);
		return false;
	}
	drop_img(cs, c);
	sift_spill_drop(cs->spill, c->rest_ref, c->rest_len);
	c->msgs = m;
	c->txns = t;
	c->dialogs = d;
	c->cap = room(c->nmsgs);
	c->txn_cap = room(c->ntxns);
	c->dialog_cap = room(c->ndialogs);
	c->rest = SIFT_REST_AWAKE;
	c->wakes++;
	return true;
}

/* Forget the list of awake calls. */
void sift_calls_awake_clear(struct sift_calls *cs)
{
	for (size_t i = 0; i < cs->nawake; i++)
		cs->awake[i]->listed = false;
	cs->nawake = 0;
}

/* c may go to rest: it joins the list that sift_calls_expire walks
 * without a sink (with one, it walks every open call anyway). Out of
 * memory, c only stays awake. */
void sift_call_awake_push(struct sift_calls *cs, struct sift_call *c)
{
	if (!cs->spill || cs->sink || c->listed ||
	    c->wakes >= SIFT_CALL_WAKES_MAX ||
	    !sift_grow((void **)&cs->awake, &cs->awake_cap, cs->nawake,
		       sizeof(*cs->awake), SIZE_MAX))
		return;
	cs->awake[cs->nawake++] = c;
	c->listed = true;
}

void sift_calls_rest(struct sift_calls *cs, bool on)
{
	if (on) {
		if (!cs->spill)
			cs->spill = sift_spill_new(SIFT_CALLS_SPILL_MAX);
		for (size_t i = 0; i < cs->n; i++)
			sift_call_awake_push(cs, cs->v[i]);
		return;
	}
	sift_calls_awake_clear(cs);
	/* Off: every call comes back to memory first (if memory runs out,
	 * rest stays on). */
	for (size_t i = 0; i < cs->n; i++)
		if (!sift_call_wake(cs, cs->v[i]))
			return;
	sift_spill_free(cs->spill);
	cs->spill = NULL;
}

const char *sift_calls_rest_trouble(const struct sift_calls *cs)
{
	return cs ? sift_spill_trouble(cs->spill) : NULL;
}

/* When a call put at rest is finished: the first tick at which is_done
 * says so, if nothing new comes. From last_ts + SIFT_CALL_LINGER on, the
 * outcome changes with the clock at one time only, when Timer B runs out
 * for the request that decides it (sift_call_outcome_sent; later than the
 * linger only when capture time went backwards), and then from in
 * progress to its final state; so is_done is true from the linger on, or
 * from that time on, or only after SIFT_CALL_IDLE. */
static sift_time done_at(const struct sift_call *c)
{
	sift_time linger = c->last_ts + SIFT_CALL_LINGER;
	sift_time idle = c->last_ts + SIFT_CALL_IDLE;
	sift_time sent;

	if (sift_call_is_done(c, linger))
		return linger;
	if (sift_call_outcome_sent(c, &sent) && sent + SIFT_TIMER_B > linger &&
	    sent + SIFT_TIMER_B < idle && sift_call_is_done(c, sent + SIFT_TIMER_B))
		return sent + SIFT_TIMER_B;
	return idle;
}

/* A quiet call goes to rest, knowing when it will be done: after
 * SIFT_CALL_REST when its outcome is decided (it will be finished by the
 * linger), after SIFT_CALL_LINGER when it is still in progress (a call
 * being talked: its BYE will wake it). Freeing a call in progress only to
 * read it back soon would cost more than it saves. */
void sift_call_rest(struct sift_calls *cs, struct sift_call *c, sift_time now)
{
	if (!cs->spill || c->rest != SIFT_REST_AWAKE ||
	    c->wakes >= SIFT_CALL_WAKES_MAX || now - c->last_ts < SIFT_CALL_REST)
		return;
	/* Reckoned once while it stays quiet (call_get forgets it). */
	if (!c->done_known) {
		c->done_at = done_at(c);
		c->done_known = true;
	}
	if (c->done_at >= c->last_ts + SIFT_CALL_IDLE &&
	    now - c->last_ts < SIFT_CALL_LINGER)
		return;
	(void)sift_call_sleep(cs, c);
}

/* Without a sink: the awake calls that are quiet go to rest; those that
 * cannot any more leave the list. */
void sift_calls_rest_awake(struct sift_calls *cs, sift_time now)
{
	size_t j = 0;

	for (size_t i = 0; i < cs->nawake; i++) {
		struct sift_call *c = cs->awake[i];

		sift_call_rest(cs, c, now);
		if (c->rest == SIFT_REST_AWAKE && c->wakes < SIFT_CALL_WAKES_MAX)
			cs->awake[j++] = c;
		else
			c->listed = false;
	}
	cs->nawake = j;
}

/* The call read back when at rest (call.h: sift_calls_get). The cache of
 * calls read back is no change to what the calls are: cs is const to
 * its readers. */
static struct sift_call *whole(const struct sift_calls *cs,
			       struct sift_call *c)
{
	if (c && c->rest == SIFT_REST_AWAY)
		sift_call_read_kept((struct sift_calls *)cs, c);
	return c;
}

const struct sift_call *sift_calls_find(const struct sift_calls *cs,
					const char *call_id)
{
	return call_id ? whole(cs, sift_strmap_get(cs->by_id, call_id)) : NULL;
}

struct sift_call *sift_calls_lookup(struct sift_calls *cs, const char *call_id)
{
	return call_id ? whole(cs, sift_strmap_get(cs->by_id, call_id)) : NULL;
}

const struct sift_call *sift_calls_get(const struct sift_calls *cs, size_t i)
{
	return i < cs->n ? whole(cs, cs->v[i]) : NULL;
}
