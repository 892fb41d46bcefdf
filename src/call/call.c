/* sipsift — transactions, dialogs and calls (RFC 3261 §12, §17). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "call/call_int.h"
#include "sip/sip_msg.h"
#include "util/span.h"

void sift_calls_keep_sdp(struct sift_calls *cs, bool on)
{
	cs->keep_sdp = on;
}

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

/* The call and everything later stages hung off it. */
static void call_free(struct sift_calls *cs, struct sift_call *c)
{
	if (!c)
		return;
	for (int k = 0; k < SIFT_CALL_PARTS; k++)
		if (c->part[k] && cs->part[k].release)
			cs->part[k].release(cs->part[k].owner, c);
	if (cs->leave)
		return;
	sift_call_arrays_free(cs, c);
	free(c->call_id);
	free(c->kind);
	free(c->from);
	free(c->to);
	free(c->caller_tag);
	free(c);
}

void sift_calls_free(struct sift_calls *cs)
{
	if (!cs)
		return;
	/* The spill first: handing each call's bytes back to its free
	 * lists, to be thrown away with them, was a percent of a JSON run. */
	sift_spill_free(cs->spill);
	cs->spill = NULL;
	for (size_t i = 0; i < cs->n; i++)
		call_free(cs, cs->v[i]);
	free(cs->v);
	sift_strmap_free(cs->by_id);
	free(cs->awake);
	free(cs->img);
	free(cs->scratch);
	for (unsigned k = 0; k < SIFT_CALLS_READ; k++)
		free(cs->read_buf[k]);
	free(cs);
}

void sift_calls_set_part(struct sift_calls *cs, enum sift_call_part k,
			 sift_call_part_fn release, void *owner)
{
	if ((unsigned)k >= SIFT_CALL_PARTS)
		return;
	cs->part[k].release = release;
	cs->part[k].owner = owner;
}

void sift_calls_set_sink(struct sift_calls *cs, sift_call_sink_fn fn, void *ctx)
{
	cs->sink = fn;
	cs->sink_ctx = ctx;
	if (fn)
		sift_calls_awake_clear(cs);
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

static bool streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static struct sift_call *call_get(struct sift_calls *cs,
				  const struct sift_sip_msg *m)
{
	struct sift_call *c = sift_strmap_get(cs->by_id, m->call_id);
	bool fail = false;

	/* A message of a call at rest: it wakes and goes on. */
	if (c && !sift_call_wake(cs, c))
		return NULL;
	if (c) {
		c->done_known = false;
		sift_call_awake_push(cs, c);
	}
	/* A call first seen through a damaged message learns its From and
	 * To from the first good one. */
	if (c && !c->from && m->from_uri) {
		c->from = dup_or_null(m->from_uri, &fail);
		c->to = dup_or_null(m->to_uri, &fail);
	}

	if (c)
		return c;
	if (cs->n >= SIFT_CALLS_MAX ||
	    !sift_grow((void **)&cs->v, &cs->cap, cs->n, sizeof(*cs->v), SIZE_MAX))
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->call_id = dup_or_null(m->call_id, &fail);
	c->from = dup_or_null(m->from_uri, &fail);
	c->to = dup_or_null(m->to_uri, &fail);
	if (fail || sift_strmap_put(cs->by_id, m->call_id, c) < 0) {
		call_free(cs, c);
		return NULL;
	}
	c->index = (uint32_t)++cs->total;
	cs->v[cs->n++] = c;
	sift_call_awake_push(cs, c);
	return c;
}

/* RFC 3261 §17.1.3/§17.2.3: a transaction is its top Via branch, sent-by
 * and method. A branch without the magic cookie is from an RFC 2543
 * element: fall back on CSeq, From tag and sent-by. */
/* Appends s at p; returns the end. */
static char *put_s(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

/* A transaction key that fits here is built on the stack. */
#define TXN_KEY_BUF 256

/* The key of m's transaction (RFC 3261 §17.2.3): the branch and the sent-by
 * of its top Via and the method; before RFC 3261 (no magic cookie) §17.2.3's
 * RFC 2543 rules, from CSeq, the From tag and the Via. Built by hand: with
 * asprintf this was 3 % of a SIP-only run (callgrind). Into buf (cap
 * bytes) when it fits, as every lookup's key nearly always does (a malloc
 * and a free per message before); else malloc'd, and *own says so. */
static char *txn_key(const struct sift_sip_msg *m, const char *method,
		     char *buf, size_t cap, bool *own)
{
	const char *b = m->via.branch, *host = m->via.host ? m->via.host : "";
	const char *ftag = m->from_tag ? m->from_tag : "";
	bool cookie = b && strncmp(b, "z9hG4bK", 7) == 0;
	size_t n = strlen(host) + strlen(method) + (b ? strlen(b) : 0) +
		   (cookie ? 0 : strlen(ftag) + 16) + 16;
	char *key = n <= cap ? buf : malloc(n), *p = key;

	*own = key != buf;
	if (!key)
		return NULL;
	if (cookie) {
		p = put_s(p, b);
		*p++ = '|';
		p = put_s(p, host);
		*p++ = ':';
		p += sift_put_dec(p, m->via.port);
		*p++ = '|';
		p = put_s(p, method);
	} else {
		p = put_s(p, "2543|");
		p += sift_put_dec(p, m->cseq);
		*p++ = '|';
		p = put_s(p, method);
		*p++ = '|';
		p = put_s(p, ftag);
		*p++ = '|';
		p = put_s(p, host);
		*p++ = ':';
		p += sift_put_dec(p, m->via.port);
		*p++ = '|';
		p = put_s(p, b ? b : "");
	}
	*p = '\0';
	return key;
}

static struct sift_txn *txn_find(struct sift_call *c, const char *key)
{
	/* Newest first: retransmissions and responses follow their request
	 * closely. */
	for (size_t i = c->ntxns; i-- > 0;)
		if (strcmp(c->txns[i].key, key) == 0)
			return &c->txns[i];
	return NULL;
}

/* A new transaction under key (taken when own, else copied; freed
 * when own and it fails). */
static struct sift_txn *txn_new(struct sift_call *c, char *key, bool own,
				const struct sift_sip_msg *m,
				const char *method, sift_time ts,
				const struct sift_addr *src)
{
	struct sift_txn *t;
	bool fail = false;
	char *k = own ? key : strdup(key);

	if (!k)
		return NULL;
	if (!sift_grow((void **)&c->txns, &c->txn_cap, c->ntxns, sizeof(*t),
		  SIFT_CALL_TXNS_MAX)) {
		free(k);
		return NULL;
	}
	t = &c->txns[c->ntxns];
	memset(t, 0, sizeof(*t));
	t->method = dup_or_null(method, &fail);
	if (fail) {
		free(k);
		return NULL;
	}
	t->key = k;
	t->cseq = m->cseq;
	t->initial = m->request && !m->to_tag;
	t->has_request = m->request;
	if (m->request) {
		t->req_src = *src;
		t->req_ts = ts;
	}
	c->ntxns++;
	return t;
}

static struct sift_dialog *dialog_find(struct sift_call *c, const char *a,
				       const char *b)
{
	if (!a || !b)
		return NULL;
	for (size_t i = 0; i < c->ndialogs; i++) {
		struct sift_dialog *d = &c->dialogs[i];

		if ((streq(d->from_tag, a) && streq(d->to_tag, b)) ||
		    (streq(d->from_tag, b) && streq(d->to_tag, a)))
			return d;
	}
	return NULL;
}

static struct sift_dialog *dialog_get(struct sift_call *c,
				      const struct sift_sip_msg *m,
				      sift_time ts, bool *fail)
{
	struct sift_dialog *d = dialog_find(c, m->from_tag, m->to_tag);

	if (d)
		return d;
	/* Without both tags (an RFC 2543 peer) there is no dialog to key;
	 * that is not something a cap dropped. */
	if (!m->from_tag || !m->to_tag)
		return NULL;
	if (!sift_grow((void **)&c->dialogs, &c->dialog_cap, c->ndialogs,
		  sizeof(*d), SIFT_CALL_DIALOGS_MAX)) {
		*fail = *fail || c->ndialogs < SIFT_CALL_DIALOGS_MAX; /* no memory */
		c->dropped += c->ndialogs >= SIFT_CALL_DIALOGS_MAX;
		return NULL;
	}
	d = &c->dialogs[c->ndialogs];
	memset(d, 0, sizeof(*d));
	d->from_tag = dup_or_null(m->from_tag, fail);
	d->to_tag = dup_or_null(m->to_tag, fail);
	if (*fail) {
		free(d->from_tag);
		free(d->to_tag);
		return NULL;
	}
	d->created = ts;
	c->ndialogs++;
	return d;
}

static bool creates_dialog(const char *method)
{
	/* RFC 3261 §12.1; RFC 6665 §4.1.2.1 (SUBSCRIBE), RFC 3515 (REFER). */
	return streq(method, "INVITE") || streq(method, "SUBSCRIBE") ||
	       streq(method, "REFER");
}

/* A request: its transaction (new, or a retransmission), and what it does
 * to dialogs. Returns the transaction index or -1. */
static long on_request(struct sift_call *c, const struct sift_sip_msg *m,
		       sift_time ts, const struct sift_addr *src, bool *retrans)
{
	struct sift_txn *t;
	char kb[TXN_KEY_BUF], *key;
	bool own;

	if (streq(m->method, "ACK")) {
		/* §17.1.1.3: the ACK for a non-2xx final response is part of
		 * the INVITE transaction and reuses its branch. */
		key = txn_key(m, "INVITE", kb, sizeof(kb), &own);
		t = key ? txn_find(c, key) : NULL;
		if (own)
			free(key);
		if (t && t->final_status >= 300) {
			*retrans = t->acked;
			t->acked = true;
			return t - c->txns;
		}
		/* §13.2.2.4: the ACK for a 2xx is a transaction of its own,
		 * inside the dialog. */
		{
			struct sift_dialog *d = dialog_find(c, m->from_tag, m->to_tag);

			if (d)
				d->acked = true;
		}
	}
	key = txn_key(m, m->method, kb, sizeof(kb), &own);
	if (!key)
		return -1;
	t = txn_find(c, key);
	if (t) {
		if (own)
			free(key);
		if (t->has_request) {
			*retrans = true;
			return t - c->txns;
		}
		/* Its response came first (the request was captured late or
		 * at another point). */
		t->has_request = true;
		t->req_src = *src;
		t->req_ts = ts;
		t->initial = !m->to_tag;
	} else {
		t = txn_new(c, key, own, m, m->method, ts, src);
		if (!t)
			return -1;
	}
	if (streq(m->method, "CANCEL")) {
		/* §9.1: CANCEL carries the branch of the request it cancels. */
		struct sift_txn *inv;
		char *ikey = txn_key(m, "INVITE", kb, sizeof(kb), &own);

		inv = ikey ? txn_find(c, ikey) : NULL;
		if (own)
			free(ikey);
		if (inv && !inv->cancelled) {
			inv->cancelled = true;
			inv->cancel_ts = ts;
		}
	} else if (streq(m->method, "BYE")) {
		struct sift_dialog *d = dialog_find(c, m->from_tag, m->to_tag);

		/* A BYE on the early dialog (§15) that crossed the 2xx did
		 * not end the confirmed call; the next one does. */
		if (d && (!d->bye_ts || d->bye_ts < d->confirmed)) {
			d->bye_ts = ts;
			d->bye_by_caller = streq(m->from_tag, d->from_tag);
		}
	}
	return t - c->txns;
}

static long on_response(struct sift_call *c, const struct sift_sip_msg *m,
			sift_time ts, const struct sift_addr *src, bool *retrans)
{
	struct sift_txn *t;
	char kb[TXN_KEY_BUF];
	bool own, fail = false;
	char *key = txn_key(m, m->cseq_method, kb, sizeof(kb), &own);

	if (!key)
		return -1;
	t = txn_find(c, key);
	if (t) {
		if (own)
			free(key);
	} else {
		t = txn_new(c, key, own, m, m->cseq_method, ts, src);
		if (!t)
			return -1;
		/* Without the request we cannot see its To tag; the first
		 * transaction of a method is taken as the initial one. */
		t->initial = true;
		for (size_t i = 0; i + 1 < c->ntxns; i++)
			if (streq(c->txns[i].method, t->method))
				t->initial = false;
	}
	{
		/* The same status with the same To tag again in this
		 * transaction (on this hop): provisional or final, forked or
		 * not, it is a retransmission (§17.2.1, §13.3.1.4). */
		uint64_t h = sift_hash(m->to_tag ? m->to_tag : "",
				       m->to_tag ? strlen(m->to_tag) : 0) ^
			     (uint64_t)m->status * 0x9e3779b97f4a7c15ULL;
		for (uint8_t k = 0; k < t->nseen; k++)
			if (t->seen[k] == h)
				*retrans = true;
		if (!*retrans) {
			t->seen[t->next_seen] = h;
			t->next_seen = (uint8_t)((t->next_seen + 1) % 8);
			if (t->nseen < 8)
				t->nseen++;
		}
	}
	if (m->status >= 200) {
		t->finals++;
		if (!t->final_status) {
			t->final_status = m->status;
			t->final_reason = dup_or_null(m->reason, &fail);
			t->final_to_tag = dup_or_null(m->to_tag, &fail);
			t->final_ts = ts;
		}
	} else if (m->status > t->provisional) {
		t->provisional = m->status;
	}
	if (creates_dialog(t->method) && m->to_tag && m->status > 100 &&
	    m->status < 300) {
		struct sift_dialog *d = dialog_get(c, m, ts, &fail);

		if (d && m->status >= 200) {
			/* §12.1.2: a 2xx confirms its dialog, even one that a
			 * non-2xx final on another branch of a fork (seen on the
			 * proxy's other leg) ended while it was early. */
			if (!d->confirmed) {
				d->state = SIFT_DIALOG_CONFIRMED;
				d->confirmed = ts;
			}
			if (streq(t->method, "INVITE"))
				d->ok_count++;
		}
	} else if (t->initial && m->status >= 300) {
		/* §12.3: a non-2xx final ends the early dialogs it had. */
		for (size_t i = 0; i < c->ndialogs; i++)
			if (c->dialogs[i].state == SIFT_DIALOG_EARLY)
				c->dialogs[i].state = SIFT_DIALOG_TERMINATED;
	}
	if (streq(t->method, "BYE") && m->status >= 200 && m->status < 300) {
		struct sift_dialog *d = dialog_find(c, m->from_tag, m->to_tag);

		if (d)
			d->state = SIFT_DIALOG_TERMINATED;
	}
	return fail ? -1 : t - c->txns;
}

/* s (l bytes and its NUL) copied to *w (which moves past it); where it
 * went. */
static char *put_str(char **w, const char *s, size_t l)
{
	char *at = *w;

	if (!s)
		return NULL;
	memcpy(at, s, l + 1);
	*w += l + 1;
	return at;
}

/* The strings of a message record that the lint rules and the reports
 * read, copied into one allocation (facts): a message costs one malloc,
 * not one per string. m may be a damaged message's empty one. */
static bool keep_facts(struct sift_msg_rec *r, const struct sift_sip_msg *m,
		       const char *method, const char *reason,
		       const char *cseq_method, const char *branch)
{
	const char *src[] = { m->ruri, m->from_uri, m->from_tag, m->to_uri,
			      m->to_tag, m->contact, m->route,
			      m->record_route, m->via.host, m->pai,
			      m->user_agent };
	const char **dst[] = { &r->ruri, &r->from_uri, &r->from_tag, &r->to_uri,
			       &r->to_tag, &r->contact, &r->route,
			       &r->record_route, &r->via_host, &r->pai,
			       &r->user_agent };
	const char *own[] = { method, reason, cseq_method, branch };
	char **own_dst[] = { &r->method, &r->reason, &r->cseq_method,
			     &r->branch };
	size_t need = 1, len[sizeof(src) / sizeof(src[0])],
	       own_len[sizeof(own) / sizeof(own[0])];
	char *w;

	for (size_t i = 0; i < sizeof(src) / sizeof(src[0]); i++)
		if (src[i])
			need += (len[i] = strlen(src[i])) + 1;
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (own[i])
			need += (own_len[i] = strlen(own[i])) + 1;
	if (need > UINT32_MAX)
		return false;
	w = malloc(need);
	if (!w)
		return false;
	r->facts = w;
	r->facts_len = (uint32_t)(need - 1);   /* the bytes the strings take */
	for (size_t i = 0; i < sizeof(src) / sizeof(src[0]); i++)
		*dst[i] = put_str(&w, src[i], src[i] ? len[i] : 0);
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		*own_dst[i] = put_str(&w, own[i], own[i] ? own_len[i] : 0);
	*w = '\0';
	r->via_port = m->via.port;
	r->via_rport = m->via.rport;
	r->via_count = m->via_count;
	return true;
}

static bool is_ack_or_cancel(const char *method)
{
	return method && (strcasecmp(method, "ACK") == 0 ||
			  strcasecmp(method, "CANCEL") == 0);
}

static bool is_sdp(const struct sift_sip_msg *m)
{
	return m->body_len > 0 && streq(m->content_type, "application/sdp");
}

/* RFC 3261 §25.1: a method is a token. The grammar lets a token start
 * with "%" or "!"; no method in the IANA registry does, and a fuzzed
 * start line ("%s", "SIP/x.0", "INVITEKsip:...") must not name a kind,
 * so a kind starts with a letter and is made of token characters. */
static bool is_method_token(const char *s)
{
	size_t n = 0;

	if (!s || !((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')))
		return false;
	for (; s[n]; n++)
		if (n >= SIFT_KIND_MAX || !sift_is_token_char((uint8_t)s[n]))
			return false;
	return true;
}

/* The methods of the IANA SIP Methods registry (RFC 3261, 3262, 3265,
 * 3311, 3428, 3515, 2976, 3903, 6086): what a start line the parser
 * rejected may still be trusted to name. */
static bool is_registered_method(const char *s)
{
	static const char *const names[] = {
		"ACK", "BYE", "CANCEL", "INFO", "INVITE", "MESSAGE", "NOTIFY",
		"OPTIONS", "PRACK", "PUBLISH", "REFER", "REGISTER", "SUBSCRIBE",
		"UPDATE",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (streq(s, names[i]))
			return true;
	return false;
}

/* Which request says what a call is (man page, CALLS): an INVITE over any
 * other request, any other over an ACK or a CANCEL (they only stand in
 * until the request they belong to shows: a capture that lost the INVITE
 * or started after it), and between equals the first. 0: names no kind
 * (not a method token; from a damaged message, not a registered one). */
static int kind_rank(const char *method, bool damaged)
{
	if (!is_method_token(method))
		return 0;
	if (damaged && !is_registered_method(method))
		return 0;
	if (strcasecmp(method, "INVITE") == 0)
		return 3;
	return is_ack_or_cancel(method) ? 1 : 2;
}

/* The kind is the method in lower case. A new kind is a new initial
 * request to take From, To and the caller from. */
static bool set_kind(struct sift_call *c, const char *method)
{
	/* The kind is the method in lower case. */
	char *k = sift_span_lower_dup(sift_span_cstr(method));

	if (!k)
		return false;
	free(c->kind);
	c->kind = k;
	c->kind_initial = false;
	return true;
}

/* Room for a message's record in c (call_get's; NULL when it gave none).
 * A cap refuses it, counted; a failed allocation below the caps is out of
 * memory, not a cap reached (that warned of a million calls at once). */
static enum sift_rc room_for(struct sift_calls *cs, struct sift_call *c)
{
	if (c && sift_call_grow_msgs(c))
		return SIFT_OK;
	if (c ? c->nmsgs < SIFT_CALL_MSGS_MAX : cs->n < SIFT_CALLS_MAX)
		return SIFT_ENOMEM;
	cs->dropped++;
	if (c)
		c->dropped++, cs->caps.msgs++;
	else
		cs->caps.no_call++;
	return SIFT_ELIMIT;
}

enum sift_rc sift_calls_add(struct sift_calls *cs, const struct sift_sip_msg *m,
			    const struct sift_where *w,
			    const struct sift_addr *src,
			    const struct sift_addr *dst,
			    enum sift_transport tp)
{
	struct sift_call *c = call_get(cs, m);
	struct sift_msg_rec *r;
	bool fail = false, retrans = false, initial;
	uint64_t before;
	enum sift_rc rc;
	long txn;

	/* Past the message cap the call is still alive: it must not expire
	 * while it floods. */
	if (c && c->nmsgs)
		c->last_ts = w->ts;
	if ((rc = room_for(cs, c)) != SIFT_OK)
		return rc;
	if (kind_rank(m->method, false) > kind_rank(c->kind, false)) {
		if (!set_kind(c, m->method))
			fail = true;
	}
	/* From, To and the caller as the first initial request of the
	 * call's kind has them (the INVITE, not the REGISTER before it);
	 * until one shows, as the first request has them. */
	initial = m->request && !m->to_tag && c->kind && m->method &&
		  strcasecmp(m->method, c->kind) == 0;
	if (m->request && (!c->caller_tag || (initial && !c->kind_initial))) {
		free(c->from);
		free(c->to);
		free(c->caller_tag);
		c->from = dup_or_null(m->from_uri, &fail);
		c->to = dup_or_null(m->to_uri, &fail);
		c->caller_tag = dup_or_null(m->from_tag, &fail);
	}
	if (m->request && !m->to_tag && (!c->have_caller || (initial && !c->kind_initial))) {
		c->caller = *src;
		c->have_caller = true;
	}
	if (initial)
		c->kind_initial = true;
	if (!c->nmsgs)
		c->first_ts = w->ts;
	c->last_ts = w->ts;
	before = c->dropped;
	txn = m->request ? on_request(c, m, w->ts, src, &retrans) :
			   on_response(c, m, w->ts, src, &retrans);
	/* A dialog past its cap (dialog_get) is all that counts there. */
	cs->caps.dialogs += c->dropped - before;
	if (txn < 0 && c->ntxns < SIFT_CALL_TXNS_MAX) {
		fail = true;    /* out of memory, not the cap */
	} else if (txn < 0) {
		/* Over the transaction cap: the message is kept, in no
		 * transaction (listed: not a dropped message). */
		c->dropped++;
		cs->caps.untracked++;
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
	r->retransmission = retrans;
	r->has_sdp = is_sdp(m);
	r->txn = txn < 0 ? UINT32_MAX : (uint32_t)txn;
	if (cs->keep_sdp && r->has_sdp) {
		r->sdp_raw = malloc(m->body_len + 1);
		if (r->sdp_raw) {
			for (size_t i = 0; i < m->body_len; i++)
				r->sdp_raw[i] = m->body[i] ? (char)m->body[i] : '?';
			r->sdp_raw[m->body_len] = '\0';
		} else {
			fail = true;
		}
	}
	if (fail || !keep_facts(r, m, m->method, m->reason, m->cseq_method,
				m->via.branch)) {
		sift_msg_rec_clear(r);
		return SIFT_ENOMEM;
	}
	c->transports |= 1u << tp;
	c->nmsgs++;
	return SIFT_OK;
}

enum sift_rc sift_calls_add_damaged(struct sift_calls *cs, const char *call_id,
				    const char *method, int status,
				    const struct sift_where *w,
				    const struct sift_addr *src,
				    const struct sift_addr *dst,
				    enum sift_transport tp)
{
	struct sift_sip_msg m;
	struct sift_call *c;
	struct sift_msg_rec *r;
	bool fail = false;
	enum sift_rc rc;

	memset(&m, 0, sizeof(m));
	m.call_id = call_id;
	c = call_get(cs, &m);
	if ((rc = room_for(cs, c)) != SIFT_OK)
		return rc;
	if (!c->nmsgs)
		c->first_ts = w->ts;
	c->last_ts = w->ts;
	/* What the start line says is all there is; it is still the best
	 * word on what the call is. */
	if (kind_rank(method, true) > kind_rank(c->kind, false)) {
		if (!set_kind(c, method))
			fail = true;
	}
	r = &c->msgs[c->nmsgs];
	memset(r, 0, sizeof(*r));
	r->where = *w;
	r->src = *src;
	r->dst = *dst;
	r->transport = tp;
	r->request = method != NULL;
	r->status = status;
	r->damaged = true;
	r->txn = UINT32_MAX;
	if (fail || !keep_facts(r, &m, method ? method : "?", "", "", NULL)) {
		sift_msg_rec_clear(r);
		return SIFT_ENOMEM;
	}
	c->transports |= 1u << tp;
	c->nmsgs++;
	return SIFT_OK;
}

/* Done: the outcome is decided and retransmissions had time to stop; or
 * nothing has happened for a long time. */
bool sift_call_is_done(const struct sift_call *c, sift_time now)
{
	struct sift_call_outcome o;

	if (now - c->last_ts >= SIFT_CALL_IDLE)
		return true;
	if (now - c->last_ts < SIFT_CALL_LINGER)
		return false;
	sift_call_outcome(c, now, &o);
	switch (o.state) {
	case SIFT_CALL_ENDED:
	case SIFT_CALL_CANCELLED:
	case SIFT_CALL_REJECTED:
	case SIFT_CALL_FAILED:
	case SIFT_CALL_NO_ACK:
		return true;
	case SIFT_CALL_ANSWERED:
		return !streq(c->kind, "invite");
	default:
		return false;
	}
}

static void finish(struct sift_calls *cs, size_t i)
{
	struct sift_call *c = cs->v[i];

	sift_call_read(cs, c);
	c->finished = true;
	cs->sink(cs->sink_ctx, c);
	cs->dialogs += c->ndialogs;
	sift_strmap_del(cs->by_id, c->call_id);
	call_free(cs, c);
	cs->v[i] = NULL;
}

static void compact(struct sift_calls *cs)
{
	size_t j = 0;

	for (size_t i = 0; i < cs->n; i++)
		if (cs->v[i])
			cs->v[j++] = cs->v[i];
	cs->n = j;
}

void sift_calls_expire(struct sift_calls *cs, sift_time now)
{
	bool any = false;

	if (!cs->sink) {
		sift_calls_rest_awake(cs, now);
		return;
	}
	for (size_t i = 0; i < cs->n; i++) {
		struct sift_call *c = cs->v[i];
		bool done = c->rest == SIFT_REST_AWAKE ? sift_call_is_done(c, now) :
							now >= c->done_at;

		if (done) {
			finish(cs, i);
			any = true;
		} else {
			sift_call_rest(cs, c, now);
		}
	}
	if (any)
		compact(cs);
}

void sift_calls_leave_at_exit(struct sift_calls *cs)
{
	cs->leave = true;
}

void sift_calls_flush(struct sift_calls *cs, sift_time now)
{
	(void)now;
	if (!cs->sink)
		return;
	for (size_t i = 0; i < cs->n; i++)
		finish(cs, i);
	cs->n = 0;
}

size_t sift_calls_count(const struct sift_calls *cs)
{
	return cs->n;
}

const char *sift_calls_id(const struct sift_calls *cs, size_t i)
{
	return i < cs->n ? cs->v[i]->call_id : NULL;
}

uint64_t sift_calls_total(const struct sift_calls *cs)
{
	return cs->total;
}

uint64_t sift_calls_dropped(const struct sift_calls *cs)
{
	return cs->dropped;
}

const struct sift_calls_caps *sift_calls_caps(const struct sift_calls *cs)
{
	return &cs->caps;
}

uint64_t sift_calls_dialogs(const struct sift_calls *cs)
{
	uint64_t n = cs->dialogs;

	for (size_t i = 0; i < cs->n; i++)
		n += cs->v[i]->ndialogs;
	return n;
}
