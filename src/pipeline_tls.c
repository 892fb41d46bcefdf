/* sipsift — the pipeline's TLS connections (pipeline_tls.h). */
#include <stdlib.h>
#include <string.h>

#include "pipeline_tls.h"
#include "tls/tls.h"

#define SIPS_PORT 5061
/* TLS connections being read at once, at most (each holds two record
 * buffers); beyond it a TLS connection is counted, not read. */
#define MAX_TLS_LIVE 4096
/* Key log text held for decrypt -w until a packet is written (extract
 * --decrypt writes only the chosen frames): 16 MiB, some 95000 lines. */
#define MAX_LEARNT ((size_t)16 << 20)
/* "CLIENT_RANDOM " 64 hex " " 96 hex "\n" */
#define LEARNT_LINE (14 + 64 + 1 + 96 + 1)

struct tls_link;

struct sift_tls_side {
	struct tls_link *l;
	int side;
	void *user;                /* the caller's direction; NULL once closed */
	struct sift_addr src;
	struct sift_addr dst;
	bool used;                 /* carried bytes */
};

struct tls_link {
	struct sift_tls_conn *c;
	struct sift_tls_side sd[2];  /* side 0: first seen */
	struct sift_where first;
	struct sift_where cur;     /* the segment being fed */
	struct sift_tls_track *t;
	struct tls_link *next;
};

struct sift_tls_track {
	struct sift_tls_keys *keys;
	bool own_keys;
	sift_tls_track_plain_fn fn;
	void *ctx;
	struct tls_link *live;     /* connections with a side open */
	size_t nlive;
	uint64_t over_cap;         /* directions not read: MAX_TLS_LIVE */
	struct sift_tls_sessions *sessions;  /* to resume TLS 1.2 sessions */
	bool collect;              /* keep learnt secrets as key log lines */
	char *learnt;              /* ... not yet taken */
	size_t nlearnt, learnt_cap;
	uint64_t learnt_lost;      /* lines past MAX_LEARNT */
	bool oom;                  /* sift_tls_track_oom */
};

struct sift_tls_track *sift_tls_track_new(struct sift_tls_keys *keys,
					  sift_tls_track_plain_fn fn,
					  void *ctx)
{
	struct sift_tls_track *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->keys = keys;
	if (!keys) {
		t->keys = sift_tls_keys_new();
		t->own_keys = true;
		if (!t->keys) {
			free(t);
			return NULL;
		}
	}
	t->sessions = sift_tls_sessions_new();
	if (!t->sessions) {
		sift_tls_track_free(t);
		return NULL;
	}
	t->fn = fn;
	t->ctx = ctx;
	return t;
}

/* Connections still open belong to directions the TCP stage closes first
 * (sift_tcp_free); any left are freed here without a report. */
void sift_tls_track_free(struct sift_tls_track *t)
{
	if (!t)
		return;
	while (t->live) {
		struct tls_link *l = t->live;

		t->live = l->next;
		sift_tls_conn_free(l->c);
		free(l);
	}
	if (t->own_keys)
		sift_tls_keys_free(t->keys);
	sift_tls_sessions_free(t->sessions);
	if (t->learnt)
		memset(t->learnt, 0, t->learnt_cap);
	free(t->learnt);
	free(t);
}

void sift_tls_track_collect_secrets(struct sift_tls_track *t)
{
	t->collect = true;
}

const char *sift_tls_track_secrets(const struct sift_tls_track *t,
				   size_t *len)
{
	*len = t->nlearnt;
	return t->learnt;
}

void sift_tls_track_secrets_clear(struct sift_tls_track *t)
{
	if (t->learnt)
		memset(t->learnt, 0, t->nlearnt);
	t->nlearnt = 0;
}

uint64_t sift_tls_track_secrets_lost(const struct sift_tls_track *t)
{
	return t->learnt_lost;
}

static void put_hex(char *out, const uint8_t *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[p[i] >> 4];
		out[2 * i + 1] = hex[p[i] & 15];
	}
}

/* The master secret a connection learnt, as an NSS key log line. */
static void take_learnt(struct sift_tls_track *t, struct sift_tls_conn *c)
{
	uint8_t cr[32], ms[48];
	char *o;

	if (!sift_tls_conn_take_learnt(c, cr, ms))
		return;
	if (!sift_grow((void **)&t->learnt, &t->learnt_cap,
		       t->nlearnt + LEARNT_LINE, 1, MAX_LEARNT)) {
		t->learnt_lost++;
		goto out;
	}
	o = t->learnt + t->nlearnt;
	memcpy(o, "CLIENT_RANDOM ", 14);
	put_hex(o + 14, cr, 32);
	o[78] = ' ';
	put_hex(o + 79, ms, 48);
	o[175] = '\n';
	t->nlearnt += LEARNT_LINE;
out:
	memset(ms, 0, sizeof(ms));
}

struct sift_tls_keys *sift_tls_track_keys(const struct sift_tls_track *t)
{
	return t->keys;
}

/* Decrypted application data of one side. */
static void tls_plain(void *ctx, int side, const uint8_t *p, size_t n)
{
	struct tls_link *l = ctx;

	if ((side == 0 || side == 1) && l->sd[side].user)
		l->t->fn(l->t->ctx, l->sd[side].user, p, n, &l->cur);
}

/* The connection the reverse direction of src -> dst opened, if any. */
static struct tls_link *tls_reverse(struct sift_tls_track *t,
				    const struct sift_addr *src,
				    const struct sift_addr *dst)
{
	for (struct tls_link *l = t->live; l; l = l->next)
		if (l->sd[0].user && !l->sd[1].user && !l->sd[1].used &&
		    sift_addr_eq(&l->sd[0].src, dst) &&
		    sift_addr_eq(&l->sd[0].dst, src))
			return l;
	return NULL;
}

struct sift_tls_side *sift_tls_track_start(struct sift_tls_track *t,
					   void *user,
					   const struct sift_addr *src,
					   const struct sift_addr *dst,
					   const uint8_t *p, size_t n,
					   const struct sift_where *w)
{
	struct tls_link *l = NULL;
	struct sift_tls_side *s;

	if (sift_tls_is_record(p, n))
		l = tls_reverse(t, src, dst);
	if (l) {
		s = &l->sd[1];
		s->user = user;
		s->used = true;
		return s;
	}
	if (!sift_tls_is_client_hello(p, n) &&
	    !(sift_tls_is_record(p, n) &&
	      (src->port == SIPS_PORT || dst->port == SIPS_PORT)))
		return NULL;
	if (t->nlive >= MAX_TLS_LIVE) {
		t->over_cap++;
		return NULL;
	}
	l = calloc(1, sizeof(*l));
	if (!l) {
		t->oom = true;
		return NULL;
	}
	l->c = sift_tls_conn_new(t->keys, src, dst, tls_plain, l);
	if (!l->c) {
		t->oom = true;
		free(l);
		return NULL;
	}
	sift_tls_conn_set_sessions(l->c, t->sessions);
	l->t = t;
	l->first = *w;
	for (int i = 0; i < 2; i++) {
		l->sd[i].l = l;
		l->sd[i].side = i;
		l->sd[i].src = i ? *dst : *src;
		l->sd[i].dst = i ? *src : *dst;
	}
	l->sd[0].user = user;
	l->sd[0].used = true;
	l->next = t->live;
	t->live = l;
	t->nlive++;
	return &l->sd[0];
}

enum sift_rc sift_tls_side_feed(struct sift_tls_side *s, const uint8_t *p,
				size_t n, const struct sift_where *w)
{
	enum sift_rc rc;

	s->l->cur = *w;
	rc = sift_tls_conn_feed(s->l->c, s->side, p, n);
	if (s->l->t->collect)
		take_learnt(s->l->t, s->l->c);
	return rc;
}

void sift_tls_side_gap(struct sift_tls_side *s, uint64_t n)
{
	sift_tls_conn_gap(s->l->c, s->side, n);
}

bool sift_tls_side_close(struct sift_tls_track *t, struct sift_tls_side *s,
			 struct sift_tls_report *out, unsigned *ndirs)
{
	struct tls_link *l = s->l;
	const struct sift_tls_info *in;
	int cs;

	s->user = NULL;
	/* The other side may never have sent a byte. */
	if (l->sd[0].user || l->sd[1].user)
		return false;
	for (struct tls_link **pp = &t->live; *pp; pp = &(*pp)->next)
		if (*pp == l) {
			*pp = l->next;
			t->nlive--;
			break;
		}
	sift_tls_conn_finish(l->c);
	in = sift_tls_conn_info(l->c);
	cs = in->client_side == 1 ? 1 : 0;
	memset(out, 0, sizeof(*out));
	out->client = l->sd[cs].src;
	out->server = l->sd[cs].dst;
	out->first = l->first;
	out->version = in->version;
	out->suite = in->suite;
	out->decrypted = in->status == SIFT_TLS_DECRYPTED;
	out->status = sift_tls_status_str(in->status);
	out->plain_bytes = in->plain_bytes[0] + in->plain_bytes[1];
	*ndirs = (unsigned)l->sd[0].used + (unsigned)l->sd[1].used;
	sift_tls_conn_free(l->c);
	free(l);
	return true;
}

const uint64_t *sift_tls_track_over_cap(const struct sift_tls_track *t)
{
	return &t->over_cap;
}

const uint64_t *sift_tls_track_sessions_evicted(const struct sift_tls_track *t)
{
	return sift_tls_sessions_evicted(t->sessions);
}

bool sift_tls_track_oom(const struct sift_tls_track *t)
{
	return t && (t->oom || sift_tls_sessions_oom(t->sessions));
}
