/* sipsift — TLS 1.2 master secrets by session ID and by ticket, so that a
 * session resumed (RFC 5246 §7.4.1.2 by ID, RFC 5077 by ticket) reads with
 * the secret its full handshake gave: the only way to read a resumed
 * session with an RSA key, whose exchange happens in the full handshake
 * only. Bounded: SIFT_TLS_MAX_SESSIONS entries in a ring, the oldest
 * overwritten (counted). A ticket is kept as its SHA-256. */
#include <stdlib.h>
#include <string.h>

#include "tls/tls_int.h"
#include "util/htab.h"

struct sess {
	struct sift_hnode h;
	uint8_t kind;             /* SIFT_TLS_SESS_*; 0: free slot */
	uint8_t klen;
	uint8_t key[32];
	uint8_t master[48];
};

struct sift_tls_sessions {
	struct sess *ring;        /* SIFT_TLS_MAX_SESSIONS, on first use */
	size_t next;              /* the slot the next entry takes */
	struct sift_htab tab;
	bool tab_ok;
	bool oom;                 /* sift_tls_sessions_oom */
	uint64_t evicted;
};

struct sift_tls_sessions *sift_tls_sessions_new(void)
{
	struct sift_tls_sessions *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	if (!sift_htab_init(&s->tab, SIFT_TLS_MAX_SESSIONS)) {
		free(s);
		return NULL;
	}
	s->tab_ok = true;
	return s;
}

void sift_tls_sessions_free(struct sift_tls_sessions *s)
{
	if (s == NULL)
		return;
	if (s->ring != NULL)
		memset(s->ring, 0, SIFT_TLS_MAX_SESSIONS * sizeof(*s->ring));
	free(s->ring);
	if (s->tab_ok)
		sift_htab_fini(&s->tab);
	free(s);
}

const uint64_t *sift_tls_sessions_evicted(const struct sift_tls_sessions *s)
{
	static const uint64_t none;

	return s != NULL ? &s->evicted : &none;
}

static uint32_t sess_hash(int kind, const uint8_t *key, size_t klen)
{
	uint8_t k = (uint8_t)kind;

	return sift_fnv1a(sift_fnv1a(SIFT_FNV_INIT, &k, 1), key, klen);
}

static struct sess *find(const struct sift_tls_sessions *s, int kind,
			 const uint8_t *key, size_t klen, uint32_t h)
{
	for (struct sift_hnode *n = sift_htab_chain(&s->tab, h); n; n = n->next) {
		struct sess *e = sift_container_of(n, struct sess, h);

		if (n->hash == h && e->kind == kind && e->klen == klen &&
		    memcmp(e->key, key, klen) == 0)
			return e;
	}
	return NULL;
}

void sift_tls_sessions_put(struct sift_tls_sessions *s, int kind,
			   const uint8_t *key, size_t klen,
			   const uint8_t master[48])
{
	uint32_t h;
	struct sess *e;

	if (s == NULL || klen == 0 || klen > 32)
		return;
	h = sess_hash(kind, key, klen);
	e = find(s, kind, key, klen, h);
	if (e != NULL) {
		memcpy(e->master, master, 48);
		return;
	}
	if (s->ring == NULL) {
		s->ring = calloc(SIFT_TLS_MAX_SESSIONS, sizeof(*s->ring));
		if (s->ring == NULL) {
			s->oom = true;   /* not kept: the run says so */
			return;
		}
	}
	e = &s->ring[s->next];
	if (e->kind != 0) {
		sift_htab_del(&s->tab, &e->h);
		s->evicted++;
	}
	memset(e, 0, sizeof(*e));
	e->kind = (uint8_t)kind;
	e->klen = (uint8_t)klen;
	memcpy(e->key, key, klen);
	memcpy(e->master, master, 48);
	sift_htab_add(&s->tab, &e->h, h);
	s->next = (s->next + 1) % SIFT_TLS_MAX_SESSIONS;
}

bool sift_tls_sessions_oom(const struct sift_tls_sessions *s)
{
	return s != NULL && s->oom;
}

bool sift_tls_sessions_get(const struct sift_tls_sessions *s, int kind,
			   const uint8_t *key, size_t klen, uint8_t master[48])
{
	const struct sess *e;

	if (s == NULL || klen == 0 || klen > 32)
		return false;
	e = find(s, kind, key, klen, sess_hash(kind, key, klen));
	if (e == NULL)
		return false;
	memcpy(master, e->master, 48);
	return true;
}
