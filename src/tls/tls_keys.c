/* sipsift — the TLS key store: NSS key log entries by client random
 * (sorted, looked up by binary search) and server RSA private keys. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls/tls_int.h"
#include "util/span.h"

struct key_ent {
	uint8_t cr[32];
	uint8_t label;
	uint8_t len;
	uint8_t secret[SIFT_TLS_MAX_MD];
	uint32_t order;         /* insertion order: a later line wins */
};

struct rsa_ent {
	bool any_addr;
	struct sift_addr addr;  /* port 0: any port */
	struct sift_tls_pkey *pkey;
};

struct sift_tls_keys {
	struct key_ent *ent;
	size_t n, cap;
	size_t sorted;          /* ent[0..sorted) is sorted */
	uint32_t next_order;
	struct rsa_ent *rsa;
	size_t nrsa, rsa_cap;
	/* The text of the key log files loaded, for decrypt -w to embed. */
	char *files;
	size_t nfiles_text, files_cap;
};

static const struct {
	const char *name;
	enum sift_tls_label label;
} labels[] = {
	{ "CLIENT_RANDOM", SIFT_TLS_L_CLIENT_RANDOM },
	{ "CLIENT_HANDSHAKE_TRAFFIC_SECRET", SIFT_TLS_L_CHTS },
	{ "SERVER_HANDSHAKE_TRAFFIC_SECRET", SIFT_TLS_L_SHTS },
	{ "CLIENT_TRAFFIC_SECRET_0", SIFT_TLS_L_CATS0 },
	{ "SERVER_TRAFFIC_SECRET_0", SIFT_TLS_L_SATS0 },
};

struct sift_tls_keys *sift_tls_keys_new(void)
{
	return calloc(1, sizeof(struct sift_tls_keys));
}

void sift_tls_keys_free(struct sift_tls_keys *k)
{
	size_t i;

	if (k == NULL)
		return;
	for (i = 0; i < k->nrsa; i++)
		sift_tls_pkey_free(k->rsa[i].pkey);
	free(k->rsa);
	if (k->ent != NULL)
		memset(k->ent, 0, k->cap * sizeof(*k->ent));
	free(k->ent);
	if (k->files != NULL)
		memset(k->files, 0, k->files_cap);
	free(k->files);
	free(k);
}

size_t sift_tls_keys_count(const struct sift_tls_keys *k)
{
	return k != NULL ? k->n : 0;
}

size_t sift_tls_rsa_count(const struct sift_tls_keys *k)
{
	return k != NULL ? k->nrsa : 0;
}

static int ent_cmp(const void *a, const void *b)
{
	const struct key_ent *x = a, *y = b;
	int c = memcmp(x->cr, y->cr, sizeof(x->cr));

	if (c != 0)
		return c;
	return (int)x->label - (int)y->label;
}

static int ent_cmp_order(const void *a, const void *b)
{
	const struct key_ent *x = a, *y = b;
	int c = ent_cmp(a, b);

	if (c != 0)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Hex field of exactly 2 * n digits into out; false otherwise. */
static bool unhex(const char *p, size_t len, uint8_t *out, size_t n)
{
	size_t i;

	if (len != 2 * n)
		return false;
	for (i = 0; i < n; i++) {
		int h = hexval(p[2 * i]), l = hexval(p[2 * i + 1]);

		if (h < 0 || l < 0)
			return false;
		out[i] = (uint8_t)(h << 4 | l);
	}
	return true;
}

static bool all_hex(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (hexval(p[i]) < 0)
			return false;
	}
	return len != 0 && len % 2 == 0;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Up to 4 whitespace-separated fields of one line (the 4th says "too
 * many"). */
static size_t split_fields(const char *p, size_t n, const char *f[4],
			   size_t fl[4])
{
	size_t i = 0, nf = 0;

	while (nf < 4) {
		while (i < n && is_space(p[i]))
			i++;
		if (i == n)
			break;
		f[nf] = p + i;
		while (i < n && !is_space(p[i]))
			i++;
		fl[nf] = (size_t)(p + i - f[nf]);
		nf++;
	}
	return nf;
}

/* One key log line. NULL when fine (kept or skipped), else why not. */
static const char *add_line(struct sift_tls_keys *k, const char *p, size_t n,
			    enum sift_rc *rc)
{
	const char *f[4];
	size_t fl[4], nf, i;
	struct key_ent e;
	bool known = false;

	nf = split_fields(p, n, f, fl);
	if (nf == 0 || f[0][0] == '#')
		return NULL;
	if (nf != 3)
		return "expected LABEL CLIENT_RANDOM SECRET";
	memset(&e, 0, sizeof(e));
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		if (strlen(labels[i].name) == fl[0] &&
		    memcmp(labels[i].name, f[0], fl[0]) == 0) {
			e.label = (uint8_t)labels[i].label;
			known = true;
		}
	}
	if (!known) {
		/* Other NSS labels (EXPORTER_SECRET, CLIENT_EARLY_TRAFFIC_
		 * SECRET, RSA, ...) are valid but unused here. */
		for (i = 0; i < fl[0]; i++) {
			char c = f[0][i];

			if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			      c == '_'))
				return "label is not an NSS key log label";
		}
		if (!all_hex(f[1], fl[1]) || !all_hex(f[2], fl[2]))
			return "fields are not hex";
		return NULL;
	}
	if (!unhex(f[1], fl[1], e.cr, 32))
		return "client random is not 64 hex digits";
	if (e.label == SIFT_TLS_L_CLIENT_RANDOM) {
		if (!unhex(f[2], fl[2], e.secret, 48))
			return "master secret is not 96 hex digits";
		e.len = 48;
	} else if (unhex(f[2], fl[2], e.secret, 32)) {
		e.len = 32;
	} else if (unhex(f[2], fl[2], e.secret, 48)) {
		e.len = 48;
	} else {
		return "traffic secret is not 64 or 96 hex digits";
	}
	if (!sift_grow((void **)&k->ent, &k->cap, k->n, sizeof(*k->ent),
		       SIFT_TLS_MAX_KEYS)) {
		*rc = k->n >= SIFT_TLS_MAX_KEYS ? SIFT_ELIMIT : SIFT_ENOMEM;
		return k->n >= SIFT_TLS_MAX_KEYS ? "too many key log entries"
						 : "out of memory";
	}
	e.order = k->next_order++;
	k->ent[k->n++] = e;
	return NULL;
}

/* Sorts what was added; a later duplicate (same random and label) wins,
 * as it would in a key log appended to by a restarted application. */
static void finish_sort(struct sift_tls_keys *k)
{
	size_t i, o;

	if (k->sorted == k->n)
		return;
	qsort(k->ent, k->n, sizeof(*k->ent), ent_cmp_order);
	for (i = 1, o = 1; i < k->n; i++) {
		if (ent_cmp(&k->ent[o - 1], &k->ent[i]) == 0) {
			k->ent[o - 1] = k->ent[i];
			continue;
		}
		k->ent[o++] = k->ent[i];
	}
	if (k->n != 0)
		k->n = o;
	k->sorted = k->n;
}

enum sift_rc sift_tls_keylog_add_text(struct sift_tls_keys *k,
				      const char *text, size_t len,
				      struct sift_tls_keyerr *err)
{
	size_t pos = 0, line = 0;
	enum sift_rc rc = SIFT_OK;

	err->line = 0;
	err->why = NULL;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		const char *why;

		line++;
		rc = SIFT_EINVAL;
		why = add_line(k, text + pos, end - pos, &rc);
		if (why != NULL) {
			err->line = line;
			err->why = why;
			goto out;
		}
		rc = SIFT_OK;
		pos = end + 1;
	}
out:
	finish_sort(k);
	return rc;
}

enum sift_rc sift_tls_keylog_load(struct sift_tls_keys *k, const char *path,
				  struct sift_tls_keyerr *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;
	enum sift_rc rc = SIFT_OK;

	err->line = 0;
	err->why = NULL;
	if (f == NULL) {
		err->why = "cannot open";
		rc = SIFT_ENOTFOUND;
		goto out;
	}
	for (;;) {
		size_t got;

		/* 1 GiB is far beyond SIFT_TLS_MAX_KEYS lines of ~180 bytes. */
		if (n == cap && !sift_grow((void **)&buf, &cap, n + 65535, 1,
					   (size_t)1 << 30)) {
			err->why = "key log too large";
			rc = SIFT_ELIMIT;
			goto out;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		err->why = "read error";
		rc = SIFT_EIO;
		goto out;
	}
	rc = sift_tls_keylog_add_text(k, buf, n, err);
	if (rc == SIFT_OK && n > 0) {
		/* Kept as read, a line break after the last line. */
		if (!sift_grow((void **)&k->files, &k->files_cap,
			       k->nfiles_text + n, 1, (size_t)1 << 30)) {
			err->why = "out of memory";
			rc = SIFT_ENOMEM;
			goto out;
		}
		memcpy(k->files + k->nfiles_text, buf, n);
		k->nfiles_text += n;
		if (buf[n - 1] != '\n')
			k->files[k->nfiles_text++] = '\n';
	}
out:
	free(buf);
	if (f != NULL)
		fclose(f);
	return rc;
}

const char *sift_tls_keys_files_text(const struct sift_tls_keys *k,
				     size_t *len)
{
	*len = k != NULL ? k->nfiles_text : 0;
	return k != NULL ? k->files : NULL;
}

bool sift_tls_keys_find(const struct sift_tls_keys *k, const uint8_t cr[32],
			enum sift_tls_label label, const uint8_t **secret,
			size_t *len)
{
	struct key_ent key;
	const struct key_ent *e;

	if (k == NULL || k->sorted == 0)
		return false;
	memcpy(key.cr, cr, 32);
	key.label = (uint8_t)label;
	e = bsearch(&key, k->ent, k->sorted, sizeof(*k->ent), ent_cmp);
	if (e == NULL)
		return false;
	*secret = e->secret;
	*len = e->len;
	return true;
}

bool sift_tls_keys_know(const struct sift_tls_keys *k, const uint8_t cr[32])
{
	const uint8_t *s;
	size_t l;
	int i;

	for (i = 0; i < SIFT_TLS_L_COUNT; i++) {
		if (sift_tls_keys_find(k, cr, (enum sift_tls_label)i, &s, &l))
			return true;
	}
	return false;
}

/* "1.2.3.4:5061" or "[::1]:5061" into a; false when it is not one. */
static bool parse_addr_port(const char *p, size_t n, struct sift_addr *a)
{
	char host[64];
	size_t colon, hl;
	const char *hp;
	uint32_t port;

	if (n == 0 || n >= sizeof(host))
		return false;
	colon = n;
	while (colon > 0 && p[colon - 1] != ':')
		colon--;
	if (colon == 0 || colon == n || n - colon > 5)
		return false;
	if (!sift_span_u32(sift_span_of(p + colon, n - colon), 65535, &port))
		return false;
	hp = p;
	hl = colon - 1;
	if (hl >= 2 && hp[0] == '[' && hp[hl - 1] == ']') {
		hp++;
		hl -= 2;
	}
	memcpy(host, hp, hl);
	host[hl] = '\0';
	memset(a, 0, sizeof(*a));
	a->port = (uint16_t)port;
	if (inet_pton(AF_INET, host, a->ip) == 1) {
		a->family = 4;
		return true;
	}
	if (inet_pton(AF_INET6, host, a->ip) == 1) {
		a->family = 6;
		return true;
	}
	return false;
}

enum sift_rc sift_tls_rsa_key_add(struct sift_tls_keys *k, const char *spec,
				  struct sift_tls_keyerr *err)
{
	const char *eq = strchr(spec, '=');
	const char *path = spec;
	struct rsa_ent e;
	const char *why = NULL;

	err->line = 0;
	err->why = NULL;
	memset(&e, 0, sizeof(e));
	e.any_addr = true;
	if (eq != NULL && parse_addr_port(spec, (size_t)(eq - spec), &e.addr)) {
		e.any_addr = false;
		path = eq + 1;
	}
	if (!sift_grow((void **)&k->rsa, &k->rsa_cap, k->nrsa, sizeof(*k->rsa),
		       SIFT_TLS_MAX_RSA_KEYS)) {
		err->why = "too many RSA keys";
		return SIFT_ELIMIT;
	}
	e.pkey = sift_tls_pkey_load(path, &why);
	if (e.pkey == NULL) {
		err->why = why;
		return SIFT_EINVAL;
	}
	k->rsa[k->nrsa++] = e;
	return SIFT_OK;
}

const struct sift_tls_pkey *sift_tls_keys_rsa(const struct sift_tls_keys *k,
					      size_t i,
					      const struct sift_addr *server)
{
	const struct rsa_ent *e;

	if (k == NULL || i >= k->nrsa)
		return NULL;
	e = &k->rsa[i];
	if (e->any_addr || server == NULL)
		return e->pkey;
	if (e->addr.family != server->family ||
	    memcmp(e->addr.ip, server->ip, e->addr.family == 4 ? 4 : 16) != 0)
		return NULL;
	if (e->addr.port != 0 && e->addr.port != server->port)
		return NULL;
	return e->pkey;
}
