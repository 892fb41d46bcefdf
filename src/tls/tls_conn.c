/* sipsift — one TLS connection: the record layer (RFC 8446 §5, RFC 5246
 * §6.2), the handshake messages that carry what decryption needs (§4),
 * the key schedules (RFC 8446 §7, RFC 5246 §6.3/§8.1, RFC 7627) and
 * record decryption (AEAD, RFC 7905 ChaCha20-Poly1305, CBC with
 * MAC-then-encrypt or RFC 7366 encrypt-then-MAC).
 *
 * Each side's bytes are buffered until a whole record is there. A record
 * that needs something the other side has not sent yet (a client's
 * record before the ServerHello, a server's Finished before the
 * ClientKeyExchange that gives the RSA premaster secret) waits in its
 * buffer, so the two sides may be fed in any interleaving as long as each
 * is in order. */
#include <stdlib.h>
#include <string.h>

#include "util/cursor.h"
#include "tls/tls_int.h"

#define REC_HDR 5
#define MAX_REC (REC_HDR + SIFT_TLS_MAX_FRAGMENT)
/* A side may hold a few records while it waits for the other side. */
#define MAX_HOLD (4 * MAX_REC)
#define HS_HDR 4
#define MAX_HS_BUF (HS_HDR + SIFT_TLS_MAX_HS_MSG + SIFT_TLS_MAX_FRAGMENT)

enum { CT_CCS = 20, CT_ALERT = 21, CT_HANDSHAKE = 22, CT_APPDATA = 23,
       CT_HEARTBEAT = 24 };
enum { HS_CLIENT_HELLO = 1, HS_SERVER_HELLO = 2, HS_NEW_SESSION_TICKET = 4,
       HS_CERTIFICATE = 11, HS_SERVER_HELLO_DONE = 14,
       HS_CLIENT_KEY_EXCHANGE = 16, HS_FINISHED = 20, HS_KEY_UPDATE = 24 };
enum { EXT_ETM = 22, EXT_EMS = 23, EXT_SESSION_TICKET = 35,
       EXT_EARLY_DATA = 42, EXT_SUPPORTED_VERSIONS = 43 };

#define TLS12 0x0303
#define TLS13 0x0304

/* ---- reads (util/cursor.h) ----------------------------------------- */

/* A vector with a length prefix of lbytes (1-3) bytes, as a sub-cursor;
 * cut (and empty) when the prefix or the vector runs past the end. */
static struct sift_cur cur_vec(struct sift_cur *r, size_t lbytes)
{
	size_t n = lbytes == 1 ? sift_cur_u8(r) :
		   lbytes == 2 ? sift_cur_be16(r) : sift_cur_be24(r);
	struct sift_cur sub = sift_cur_make(NULL, 0);

	if (r->cut) {
		sub.cut = true;
		return sub;
	}
	return sift_cur_sub(r, n);
}

/* ---- cipher suites -------------------------------------------------- */

struct suite {
	uint16_t id;
	const char *name;
	bool tls13;
	bool rsa_kx;
	enum sift_tls_bulk bulk;
	enum sift_tls_md mac;     /* CBC only */
	enum sift_tls_md prf;     /* TLS 1.2 PRF / TLS 1.3 hash */
};

#define S13(id, n, b, h) { id, n, true, false, b, SIFT_TLS_MD_NONE, h }
#define S12(id, n, r, b, m, h) { id, n, false, r, b, m, h }

static const struct suite suites[] = {
	S13(0x1301, "TLS_AES_128_GCM_SHA256", SIFT_TLS_BULK_AES128_GCM, SIFT_TLS_MD_SHA256),
	S13(0x1302, "TLS_AES_256_GCM_SHA384", SIFT_TLS_BULK_AES256_GCM, SIFT_TLS_MD_SHA384),
	S13(0x1303, "TLS_CHACHA20_POLY1305_SHA256", SIFT_TLS_BULK_CHACHA20_POLY1305, SIFT_TLS_MD_SHA256),
	S12(0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA", true, SIFT_TLS_BULK_AES128_CBC, SIFT_TLS_MD_SHA1, SIFT_TLS_MD_SHA256),
	S12(0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", true, SIFT_TLS_BULK_AES256_CBC, SIFT_TLS_MD_SHA1, SIFT_TLS_MD_SHA256),
	S12(0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256", true, SIFT_TLS_BULK_AES128_CBC, SIFT_TLS_MD_SHA256, SIFT_TLS_MD_SHA256),
	S12(0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256", true, SIFT_TLS_BULK_AES256_CBC, SIFT_TLS_MD_SHA256, SIFT_TLS_MD_SHA256),
	S12(0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256", true, SIFT_TLS_BULK_AES128_GCM, SIFT_TLS_MD_NONE, SIFT_TLS_MD_SHA256),
	S12(0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384", true, SIFT_TLS_BULK_AES256_GCM, SIFT_TLS_MD_NONE, SIFT_TLS_MD_SHA384),
	S12(0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", false, SIFT_TLS_BULK_AES128_CBC, SIFT_TLS_MD_SHA1, SIFT_TLS_MD_SHA256),
	S12(0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", false, SIFT_TLS_BULK_AES256_CBC, SIFT_TLS_MD_SHA1, SIFT_TLS_MD_SHA256),
	S12(0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", false, SIFT_TLS_BULK_AES128_CBC, SIFT_TLS_MD_SHA256, SIFT_TLS_MD_SHA256),
	S12(0x006b, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", false, SIFT_TLS_BULK_AES256_CBC, SIFT_TLS_MD_SHA256, SIFT_TLS_MD_SHA256),
	S12(0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", false, SIFT_TLS_BULK_AES128_GCM, SIFT_TLS_MD_NONE, SIFT_TLS_MD_SHA256),
	S12(0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", false, SIFT_TLS_BULK_AES256_GCM, SIFT_TLS_MD_NONE, SIFT_TLS_MD_SHA384),
	S12(0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", false, SIFT_TLS_BULK_AES128_CBC, SIFT_TLS_MD_SHA1, SIFT_TLS_MD_SHA256),
	S12(0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", false, SIFT_TLS_BULK_AES256_CBC, SIFT_TLS_MD_SHA1, SIFT_TLS_MD_SHA256),
	S12(0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", false, SIFT_TLS_BULK_AES128_CBC, SIFT_TLS_MD_SHA1, SIFT_TLS_MD_SHA256),
	S12(0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", false, SIFT_TLS_BULK_AES256_CBC, SIFT_TLS_MD_SHA1, SIFT_TLS_MD_SHA256),
	S12(0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", false, SIFT_TLS_BULK_AES128_CBC, SIFT_TLS_MD_SHA256, SIFT_TLS_MD_SHA256),
	S12(0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", false, SIFT_TLS_BULK_AES256_CBC, SIFT_TLS_MD_SHA384, SIFT_TLS_MD_SHA384),
	S12(0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", false, SIFT_TLS_BULK_AES128_CBC, SIFT_TLS_MD_SHA256, SIFT_TLS_MD_SHA256),
	S12(0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", false, SIFT_TLS_BULK_AES256_CBC, SIFT_TLS_MD_SHA384, SIFT_TLS_MD_SHA384),
	S12(0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", false, SIFT_TLS_BULK_AES128_GCM, SIFT_TLS_MD_NONE, SIFT_TLS_MD_SHA256),
	S12(0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", false, SIFT_TLS_BULK_AES256_GCM, SIFT_TLS_MD_NONE, SIFT_TLS_MD_SHA384),
	S12(0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", false, SIFT_TLS_BULK_AES128_GCM, SIFT_TLS_MD_NONE, SIFT_TLS_MD_SHA256),
	S12(0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", false, SIFT_TLS_BULK_AES256_GCM, SIFT_TLS_MD_NONE, SIFT_TLS_MD_SHA384),
	S12(0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", false, SIFT_TLS_BULK_CHACHA20_POLY1305, SIFT_TLS_MD_NONE, SIFT_TLS_MD_SHA256),
	S12(0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", false, SIFT_TLS_BULK_CHACHA20_POLY1305, SIFT_TLS_MD_NONE, SIFT_TLS_MD_SHA256),
	S12(0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", false, SIFT_TLS_BULK_CHACHA20_POLY1305, SIFT_TLS_MD_NONE, SIFT_TLS_MD_SHA256),
};

static const struct suite *suite_find(uint16_t id)
{
	size_t i;

	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		if (suites[i].id == id)
			return &suites[i];
	}
	return NULL;
}

const char *sift_tls_suite_name(uint16_t suite)
{
	const struct suite *s = suite_find(suite);

	return s ? s->name : NULL;
}

const char *sift_tls_version_str(uint16_t version)
{
	switch (version) {
	case 0x0300:
		return "SSL 3.0";
	case 0x0301:
		return "TLS 1.0";
	case 0x0302:
		return "TLS 1.1";
	case TLS12:
		return "TLS 1.2";
	case TLS13:
		return "TLS 1.3";
	default:
		return NULL;
	}
}

const char *sift_tls_status_str(enum sift_tls_status s)
{
	static const char *const str[SIFT_TLS_STATUS_COUNT] = {
		[SIFT_TLS_PENDING] = "pending",
		[SIFT_TLS_DECRYPTED] = "decrypted",
		[SIFT_TLS_NO_KEY] = "no key for this client random",
		[SIFT_TLS_NO_HANDSHAKE] = "handshake not in the capture",
		[SIFT_TLS_UNSUPPORTED] = "unsupported version or cipher suite",
		[SIFT_TLS_BAD_MAC] = "bad record MAC/tag (wrong key)",
		[SIFT_TLS_RSA_MISMATCH] = "RSA key does not fit the server",
		[SIFT_TLS_GAP] = "bytes missing from the TCP stream",
		[SIFT_TLS_MALFORMED] = "malformed TLS",
		[SIFT_TLS_LIMIT] = "TLS message over our size limit",
	};

	return (unsigned)s < SIFT_TLS_STATUS_COUNT ? str[s] : "?";
}

/* Room for need bytes in *b, growing by doubling up to max. */
static bool grow_bytes(uint8_t **b, size_t *cap, size_t need, size_t max)
{
	while (*cap < need) {
		if (!sift_grow((void **)b, cap, *cap, 1, max))
			return false;
	}
	return true;
}

/* ---- connection state ----------------------------------------------- */

enum epoch { EP_PLAIN = 0, EP_HANDSHAKE, EP_APP };

struct side {
	uint8_t *buf;             /* unconsumed bytes, whole records first */
	size_t len, cap;
	uint8_t *hs;              /* handshake message reassembly */
	size_t hs_len, hs_cap;
	bool stopped;             /* nothing more is read on this side */
	bool protected_;          /* records are encrypted */
	enum epoch epoch;         /* TLS 1.3 key epoch */
	struct sift_tls_cipher *cipher;
	uint8_t iv[12];
	uint64_t seq;
	uint8_t secret[SIFT_TLS_MAX_MD];  /* TLS 1.3 current traffic secret */
	size_t secret_len;
	bool app_trial;           /* 1.3: no handshake key, try the app key */
	bool any_ok;              /* a protected record decrypted */
};

struct sift_tls_conn {
	const struct sift_tls_keys *keys;
	struct sift_addr addr[2];
	bool have_addr[2];
	sift_tls_plain_fn fn;
	void *ctx;
	struct sift_tls_info info;
	struct side s[2];
	int client;               /* -1 until a ClientHello */
	bool ch_seen, sh_seen, hrr_pending, server_done;
	uint8_t cr[32], sr[32];
	uint8_t sid[32];
	size_t sid_len;
	bool ch_ticket, ch_ems, ch_etm, ch_early;
	uint16_t ch_version;
	const struct suite *suite;
	bool keys_done;           /* TLS 1.2 key block derived */
	bool master_from_rsa;
	uint8_t master[48];
	bool have_master;
	uint8_t key_block[2 * (SIFT_TLS_MAX_MD + SIFT_TLS_MAX_KEY + 16)];
	uint8_t enc_pms[1024];
	size_t enc_pms_len;
	bool cke_seen;
	struct sift_tls_transcript *th;
	uint8_t session_hash[SIFT_TLS_MAX_MD];
	bool have_session_hash;
	const struct sift_tls_pkey *rsa;  /* matches the server certificate */
	bool cert_seen, cert_mismatch;
	uint8_t *work;            /* decrypted fragment */
};

/* The first decisive status wins: it says why, or that it worked. */
static void set_status(struct sift_tls_conn *c, enum sift_tls_status st)
{
	if (c->info.status == SIFT_TLS_PENDING)
		c->info.status = st;
}

static void stop_side(struct sift_tls_conn *c, int d, enum sift_tls_status st)
{
	set_status(c, st);
	c->s[d].stopped = true;
	c->s[d].len = 0;
	c->s[d].hs_len = 0;
}

static void stop_all(struct sift_tls_conn *c, enum sift_tls_status st)
{
	stop_side(c, 0, st);
	stop_side(c, 1, st);
}

struct sift_tls_conn *sift_tls_conn_new(const struct sift_tls_keys *k,
					const struct sift_addr *addr0,
					const struct sift_addr *addr1,
					sift_tls_plain_fn fn, void *ctx)
{
	struct sift_tls_conn *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->keys = k;
	if (addr0 != NULL) {
		c->addr[0] = *addr0;
		c->have_addr[0] = true;
	}
	if (addr1 != NULL) {
		c->addr[1] = *addr1;
		c->have_addr[1] = true;
	}
	c->fn = fn;
	c->ctx = ctx;
	c->client = -1;
	c->info.client_side = -1;
	return c;
}

void sift_tls_conn_free(struct sift_tls_conn *c)
{
	int d;

	if (c == NULL)
		return;
	for (d = 0; d < 2; d++) {
		free(c->s[d].buf);
		free(c->s[d].hs);
		sift_tls_cipher_free(c->s[d].cipher);
	}
	sift_tls_transcript_free(c->th);
	free(c->work);
	memset(c, 0, sizeof(*c));
	free(c);
}

const struct sift_tls_info *sift_tls_conn_info(const struct sift_tls_conn *c)
{
	return &c->info;
}

bool sift_tls_is_record(const uint8_t *p, size_t n)
{
	if (n < REC_HDR)
		return false;
	return p[0] >= CT_CCS && p[0] <= CT_APPDATA && p[1] == 3 &&
	       p[2] >= 1 && p[2] <= 4 && sift_be16(p + 3) != 0 &&
	       sift_be16(p + 3) <= SIFT_TLS_MAX_FRAGMENT;
}

bool sift_tls_is_client_hello(const uint8_t *p, size_t n)
{
	/* SSL 3.0 record versions are allowed on a ClientHello (3.0-3.3). */
	if (n < REC_HDR + 1 || p[0] != CT_HANDSHAKE || p[1] != 3 || p[2] > 4)
		return false;
	return sift_be16(p + 3) >= 4 && p[5] == HS_CLIENT_HELLO;
}

/* ---- key setup ------------------------------------------------------ */

/* TLS 1.3 traffic keys from a traffic secret (RFC 8446 §7.3). */
static bool set_secret13(struct sift_tls_conn *c, int d, const uint8_t *sec,
			 size_t len, enum epoch ep)
{
	struct side *s = &c->s[d];
	uint8_t key[SIFT_TLS_MAX_KEY];
	size_t kl = sift_tls_bulk_key_len(c->suite->bulk);
	bool ok = false;

	if (len != sift_tls_md_len(c->suite->prf))
		return false;
	if (!sift_tls_hkdf_expand_label(c->suite->prf, sec, len, "key", NULL, 0,
					key, kl) ||
	    !sift_tls_hkdf_expand_label(c->suite->prf, sec, len, "iv", NULL, 0,
					s->iv, 12))
		goto out;
	sift_tls_cipher_free(s->cipher);
	s->cipher = sift_tls_cipher_new(c->suite->bulk, key, SIFT_TLS_MD_NONE,
					NULL);
	if (s->cipher == NULL)
		goto out;
	memmove(s->secret, sec, len);
	s->secret_len = len;
	s->seq = 0;
	s->epoch = ep;
	ok = true;
out:
	memset(key, 0, sizeof(key));
	return ok;
}

static enum sift_tls_label label13(struct sift_tls_conn *c, int d, enum epoch ep)
{
	bool client = d == c->client;

	if (ep == EP_HANDSHAKE)
		return client ? SIFT_TLS_L_CHTS : SIFT_TLS_L_SHTS;
	return client ? SIFT_TLS_L_CATS0 : SIFT_TLS_L_SATS0;
}

/* After the ServerHello of TLS 1.3 both sides are protected. */
static void start13(struct sift_tls_conn *c)
{
	int d;

	for (d = 0; d < 2; d++) {
		const uint8_t *sec;
		size_t len;
		struct side *s = &c->s[d];

		s->protected_ = true;
		if (sift_tls_keys_find(c->keys, c->cr, label13(c, d, EP_HANDSHAKE),
				       &sec, &len)) {
			if (!set_secret13(c, d, sec, len, EP_HANDSHAKE))
				stop_side(c, d, SIFT_TLS_NO_KEY);
		} else if (sift_tls_keys_find(c->keys, c->cr,
					      label13(c, d, EP_APP), &sec,
					      &len)) {
			s->app_trial = true;
		} else {
			stop_side(c, d, SIFT_TLS_NO_KEY);
		}
	}
}

/* TLS 1.2 master secret: the key log, else the RSA premaster secret. */
static enum sift_tls_status get_master12(struct sift_tls_conn *c)
{
	const uint8_t *sec;
	size_t len, i;
	uint8_t pms[48];
	bool tried_rsa = false, ok = false;

	if (c->have_master)
		return SIFT_TLS_PENDING;
	if (sift_tls_keys_find(c->keys, c->cr, SIFT_TLS_L_CLIENT_RANDOM, &sec,
			       &len) && len == 48) {
		memcpy(c->master, sec, 48);
		c->have_master = true;
		return SIFT_TLS_PENDING;
	}
	if (!c->suite->rsa_kx || !c->cke_seen || c->enc_pms_len == 0)
		return SIFT_TLS_NO_KEY;
	if (c->rsa != NULL) {
		/* The key whose public half is in the server certificate. */
		tried_rsa = true;
		ok = sift_tls_pkey_decrypt_pms(c->rsa, c->enc_pms,
					       c->enc_pms_len, pms);
	} else if (!c->cert_mismatch) {
		const struct sift_addr *srv = c->client >= 0 &&
			c->have_addr[1 - c->client] ? &c->addr[1 - c->client] : NULL;

		for (i = 0; i < sift_tls_rsa_count(c->keys) && !ok; i++) {
			const struct sift_tls_pkey *k =
				sift_tls_keys_rsa(c->keys, i, srv);

			if (k == NULL)
				continue;
			tried_rsa = true;
			ok = sift_tls_pkey_decrypt_pms(k, c->enc_pms,
						       c->enc_pms_len, pms);
		}
	}
	if (!ok)
		return tried_rsa || c->cert_mismatch ? SIFT_TLS_RSA_MISMATCH
						     : SIFT_TLS_NO_KEY;
	if (c->info.ems) {
		if (!c->have_session_hash)
			return SIFT_TLS_NO_HANDSHAKE;
		if (!sift_tls_prf(c->suite->prf, pms, 48, "extended master secret",
				  c->session_hash, sift_tls_md_len(c->suite->prf),
				  NULL, 0, c->master, 48))
			return SIFT_TLS_UNSUPPORTED;
	} else if (!sift_tls_prf(c->suite->prf, pms, 48, "master secret",
				 c->cr, 32, c->sr, 32, c->master, 48)) {
		return SIFT_TLS_UNSUPPORTED;
	}
	memset(pms, 0, sizeof(pms));
	c->have_master = true;
	c->master_from_rsa = true;
	return SIFT_TLS_PENDING;
}

static size_t mac_len12(const struct suite *su)
{
	return su->bulk == SIFT_TLS_BULK_AES128_CBC ||
	       su->bulk == SIFT_TLS_BULK_AES256_CBC ? sift_tls_md_len(su->mac) : 0;
}

static size_t fixed_iv12(const struct suite *su)
{
	switch (su->bulk) {
	case SIFT_TLS_BULK_AES128_GCM:
	case SIFT_TLS_BULK_AES256_GCM:
		return 4;
	case SIFT_TLS_BULK_CHACHA20_POLY1305:
		return 12;
	default:
		return 16;  /* CBC: present in the key block, unused in 1.2 */
	}
}

/* RFC 5246 §6.3 key block, then the cipher of side d. */
static enum sift_tls_status keys12(struct sift_tls_conn *c, int d)
{
	const struct suite *su = c->suite;
	size_t ml = mac_len12(su), kl = sift_tls_bulk_key_len(su->bulk);
	size_t il = fixed_iv12(su), total = 2 * (ml + kl + il);
	bool client = d == c->client;
	const uint8_t *mk, *k, *iv;
	enum sift_tls_status st;
	struct side *s = &c->s[d];

	if (!c->keys_done) {
		st = get_master12(c);
		if (st != SIFT_TLS_PENDING)
			return st;
		if (total > sizeof(c->key_block) ||
		    !sift_tls_prf(su->prf, c->master, 48, "key expansion", c->sr,
				  32, c->cr, 32, c->key_block, total))
			return SIFT_TLS_UNSUPPORTED;
		c->keys_done = true;
	}
	mk = c->key_block + (client ? 0 : ml);
	k = c->key_block + 2 * ml + (client ? 0 : kl);
	iv = c->key_block + 2 * ml + 2 * kl + (client ? 0 : il);
	sift_tls_cipher_free(s->cipher);
	s->cipher = sift_tls_cipher_new(su->bulk, k, su->mac, ml ? mk : NULL);
	if (s->cipher == NULL)
		return SIFT_TLS_UNSUPPORTED;
	memset(s->iv, 0, sizeof(s->iv));
	memcpy(s->iv, iv, il < 12 ? il : 12);
	s->seq = 0;
	s->protected_ = true;
	return SIFT_TLS_PENDING;
}

/* ---- handshake messages --------------------------------------------- */

static void parse_client_hello(struct sift_tls_conn *c, int d, struct sift_cur *r)
{
	const uint8_t *rnd;
	struct sift_cur sid, ext;

	c->ch_version = (uint16_t)sift_cur_be16(r);
	rnd = sift_cur_take(r, 32);
	sid = cur_vec(r, 1);
	(void)cur_vec(r, 2);        /* cipher suites */
	(void)cur_vec(r, 1);        /* compression methods */
	if (r->cut || rnd == NULL || sift_cur_left(&sid) > 32) {
		stop_all(c, SIFT_TLS_MALFORMED);
		return;
	}
	if (c->hrr_pending && memcmp(c->cr, rnd, 32) != 0) {
		/* The second ClientHello keeps its random (RFC 8446 §4.1.2). */
		stop_all(c, SIFT_TLS_MALFORMED);
		return;
	}
	memcpy(c->cr, rnd, 32);
	memcpy(c->info.client_random, rnd, 32);
	c->info.have_random = true;
	memcpy(c->sid, sift_cur_ptr(&sid), sift_cur_left(&sid));
	c->sid_len = sift_cur_left(&sid);
	c->ch_seen = true;
	c->client = d;
	c->info.client_side = d;
	c->ch_ems = c->ch_etm = c->ch_ticket = c->ch_early = false;
	if (sift_cur_left(r) == 0)
		return;
	ext = cur_vec(r, 2);
	while (sift_cur_left(&ext) != 0 && !ext.cut) {
		uint16_t type = (uint16_t)sift_cur_be16(&ext);
		struct sift_cur body = cur_vec(&ext, 2);

		if (ext.cut)
			break;
		if (type == EXT_EMS)
			c->ch_ems = true;
		else if (type == EXT_ETM)
			c->ch_etm = true;
		else if (type == EXT_SESSION_TICKET && sift_cur_left(&body) != 0)
			c->ch_ticket = true;
		else if (type == EXT_EARLY_DATA)
			c->ch_early = true;
	}
	if (ext.cut)
		stop_all(c, SIFT_TLS_MALFORMED);
}

/* SHA-256("HelloRetryRequest"), RFC 8446 §4.1.3. */
static const uint8_t hrr_random[32] = {
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02,
	0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e,
	0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c
};

static void parse_server_hello(struct sift_tls_conn *c, struct sift_cur *r)
{
	uint16_t legacy = (uint16_t)sift_cur_be16(r), version, id;
	const uint8_t *rnd = sift_cur_take(r, 32);
	struct sift_cur sid = cur_vec(r, 1), ext;
	bool ems = false, etm = false;

	id = (uint16_t)sift_cur_be16(r);
	(void)sift_cur_u8(r);       /* compression method */
	if (r->cut || rnd == NULL || sift_cur_left(&sid) > 32) {
		stop_all(c, SIFT_TLS_MALFORMED);
		return;
	}
	version = legacy;
	if (sift_cur_left(r) != 0) {
		ext = cur_vec(r, 2);
		while (sift_cur_left(&ext) != 0 && !ext.cut) {
			uint16_t type = (uint16_t)sift_cur_be16(&ext);
			struct sift_cur body = cur_vec(&ext, 2);

			if (type == EXT_SUPPORTED_VERSIONS && sift_cur_left(&body) == 2)
				version = (uint16_t)sift_cur_be16(&body);
			else if (type == EXT_EMS)
				ems = true;
			else if (type == EXT_ETM)
				etm = true;
		}
		if (ext.cut) {
			stop_all(c, SIFT_TLS_MALFORMED);
			return;
		}
	}
	c->info.version = version;
	c->info.suite = id;
	if (memcmp(rnd, hrr_random, 32) == 0) {
		c->info.hrr = true;
		c->hrr_pending = true;
		return;
	}
	c->hrr_pending = false;
	memcpy(c->sr, rnd, 32);
	c->sh_seen = true;
	c->suite = suite_find(id);
	if (version != TLS12 && version != TLS13) {
		stop_all(c, SIFT_TLS_UNSUPPORTED);
		return;
	}
	if (c->suite == NULL || c->suite->tls13 != (version == TLS13)) {
		c->suite = NULL;
		stop_all(c, SIFT_TLS_UNSUPPORTED);
		return;
	}
	if (version == TLS13) {
		start13(c);
		return;
	}
	c->info.rsa_kx = c->suite->rsa_kx;
	c->info.ems = c->ch_ems && ems;
	c->info.etm = c->ch_etm && etm && mac_len12(c->suite) != 0;
	c->info.resumed = c->sid_len != 0 && sift_cur_left(&sid) == c->sid_len &&
			  memcmp(sift_cur_ptr(&sid), c->sid, sift_cur_left(&sid)) == 0;
}

/* The first certificate of a TLS 1.2 Certificate message picks the RSA
 * key that belongs to this server. */
static void parse_certificate(struct sift_tls_conn *c, int d, struct sift_cur *r)
{
	struct sift_cur list = cur_vec(r, 3), cert;
	const struct sift_addr *srv = c->have_addr[d] ? &c->addr[d] : NULL;
	size_t i;

	c->cert_seen = true;
	cert = cur_vec(&list, 3);
	if (cert.cut || sift_cur_left(&cert) == 0 || sift_tls_rsa_count(c->keys) == 0)
		return;
	for (i = 0; i < sift_tls_rsa_count(c->keys); i++) {
		const struct sift_tls_pkey *k = sift_tls_keys_rsa(c->keys, i, srv);

		if (k != NULL && sift_tls_pkey_matches_cert(k, sift_cur_ptr(&cert), sift_cur_left(&cert)) == 1) {
			c->rsa = k;
			return;
		}
	}
	c->cert_mismatch = true;
}

static bool ks_update13(struct sift_tls_conn *c, int d)
{
	struct side *s = &c->s[d];
	uint8_t next[SIFT_TLS_MAX_MD];
	bool ok;

	/* RFC 8446 §7.2: application_traffic_secret_N+1. */
	ok = sift_tls_hkdf_expand_label(c->suite->prf, s->secret, s->secret_len,
					"traffic upd", NULL, 0, next,
					s->secret_len) &&
	     set_secret13(c, d, next, s->secret_len, EP_APP);
	memset(next, 0, sizeof(next));
	return ok;
}

/* One whole handshake message (header included in msg) from side d. */
static void handle_hs(struct sift_tls_conn *c, int d, const uint8_t *msg,
		      size_t n)
{
	uint8_t type = msg[0];
	struct sift_cur r = sift_cur_make(msg + HS_HDR, n - HS_HDR);
	bool tls13 = c->suite != NULL && c->suite->tls13;

	if (c->th != NULL && !c->have_session_hash && !tls13)
		(void)sift_tls_transcript_add(c->th, msg, n);
	switch (type) {
	case HS_CLIENT_HELLO:
		if (!c->ch_seen || c->hrr_pending)
			parse_client_hello(c, d, &r);
		break;
	case HS_SERVER_HELLO:
		if (d != c->client && !c->sh_seen)
			parse_server_hello(c, &r);
		break;
	case HS_CERTIFICATE:
		if (!tls13 && d != c->client)
			parse_certificate(c, d, &r);
		break;
	case HS_SERVER_HELLO_DONE:
		if (d != c->client)
			c->server_done = true;
		break;
	case HS_CLIENT_KEY_EXCHANGE:
		if (d != c->client || tls13 || c->suite == NULL)
			break;
		if (c->th != NULL && !c->have_session_hash)
			c->have_session_hash = sift_tls_transcript_hash(
				c->th, c->suite->prf, c->session_hash);
		c->cke_seen = true;
		if (c->suite->rsa_kx) {
			struct sift_cur e = cur_vec(&r, 2);

			if (!e.cut && sift_cur_left(&e) <= sizeof(c->enc_pms)) {
				memcpy(c->enc_pms, sift_cur_ptr(&e), sift_cur_left(&e));
				c->enc_pms_len = sift_cur_left(&e);
			}
		}
		break;
	case HS_FINISHED:
		/* RFC 8446 §7.1: after its Finished a side sends with its
		 * application traffic secret. */
		if (tls13 && c->s[d].epoch == EP_HANDSHAKE) {
			const uint8_t *sec;
			size_t len;

			if (!sift_tls_keys_find(c->keys, c->cr,
						label13(c, d, EP_APP), &sec,
						&len) ||
			    !set_secret13(c, d, sec, len, EP_APP))
				stop_side(c, d, SIFT_TLS_NO_KEY);
		}
		break;
	case HS_KEY_UPDATE:
		if (tls13 && c->s[d].epoch == EP_APP) {
			c->info.key_updates[d]++;
			if (!ks_update13(c, d))
				stop_side(c, d, SIFT_TLS_UNSUPPORTED);
		}
		break;
	default:
		break;
	}
}

/* Appends handshake bytes of side d and handles every whole message. */
static void hs_append(struct sift_tls_conn *c, int d, const uint8_t *p,
		      size_t n)
{
	struct side *s = &c->s[d];
	size_t pos = 0;

	if (n == 0)
		return;   /* an empty handshake record carries nothing */
	if (s->hs_len + n > MAX_HS_BUF) {
		stop_side(c, d, SIFT_TLS_LIMIT);
		return;
	}
	if (!grow_bytes(&s->hs, &s->hs_cap, s->hs_len + n, MAX_HS_BUF)) {
		stop_side(c, d, SIFT_TLS_LIMIT);
		return;
	}
	memcpy(s->hs + s->hs_len, p, n);
	s->hs_len += n;
	while (!s->stopped && s->hs_len - pos >= HS_HDR) {
		const uint8_t *m = s->hs + pos;
		size_t ml = (size_t)m[1] << 16 | (size_t)m[2] << 8 | m[3];

		if (ml > SIFT_TLS_MAX_HS_MSG) {
			stop_side(c, d, SIFT_TLS_LIMIT);
			return;
		}
		if (s->hs_len - pos < HS_HDR + ml)
			break;
		handle_hs(c, d, m, HS_HDR + ml);
		pos += HS_HDR + ml;
	}
	if (s->stopped)
		return;
	memmove(s->hs, s->hs + pos, s->hs_len - pos);
	s->hs_len -= pos;
}

/* ---- records -------------------------------------------------------- */

enum rec_rc { REC_DONE, REC_WAIT };

static void put_seq(uint8_t out[8], uint64_t seq)
{
	int i;

	for (i = 7; i >= 0; i--) {
		out[i] = (uint8_t)seq;
		seq >>= 8;
	}
}

/* TLS 1.3 record (RFC 8446 §5.2-5.4): plaintext into c->work, inner
 * content type into *type. */
static bool open13(struct sift_tls_conn *c, struct sift_tls_cipher *ci,
		   const uint8_t iv[12], uint64_t seq, const uint8_t *rec,
		   size_t flen, uint8_t *type, size_t *out_len)
{
	uint8_t nonce[12], sq[8];
	size_t i, n;

	if (flen < SIFT_TLS_TAG_LEN + 1)
		return false;
	put_seq(sq, seq);
	memcpy(nonce, iv, 12);
	for (i = 0; i < 8; i++)
		nonce[4 + i] ^= sq[i];
	if (!sift_tls_aead_open(ci, nonce, rec, REC_HDR, rec + REC_HDR, flen,
				c->work))
		return false;
	n = flen - SIFT_TLS_TAG_LEN;
	while (n > 0 && c->work[n - 1] == 0)
		n--;
	if (n == 0)
		return false;
	*type = c->work[n - 1];
	*out_len = n - 1;
	return true;
}

/* TLS 1.2 record (RFC 5246 §6.2.3, RFC 7905, RFC 7366). */
static bool open12(struct sift_tls_conn *c, int d, const uint8_t *rec,
		   size_t flen, size_t *out_len)
{
	struct side *s = &c->s[d];
	const struct suite *su = c->suite;
	uint8_t aad[13], nonce[12], mac[SIFT_TLS_MAX_MD];
	const uint8_t *f = rec + REC_HDR;
	size_t ml = mac_len12(su), i;

	put_seq(aad, s->seq);
	aad[8] = rec[0];
	aad[9] = rec[1];
	aad[10] = rec[2];
	if (ml == 0 && su->bulk != SIFT_TLS_BULK_CHACHA20_POLY1305) {
		/* GCM: 4-byte salt || 8-byte explicit nonce. */
		size_t pl;

		if (flen < 8 + SIFT_TLS_TAG_LEN)
			return false;
		pl = flen - 8 - SIFT_TLS_TAG_LEN;
		memcpy(nonce, s->iv, 4);
		memcpy(nonce + 4, f, 8);
		aad[11] = (uint8_t)(pl >> 8);
		aad[12] = (uint8_t)pl;
		*out_len = pl;
		return sift_tls_aead_open(s->cipher, nonce, aad, 13, f + 8,
					  flen - 8, c->work);
	}
	if (ml == 0) {
		size_t pl;

		if (flen < SIFT_TLS_TAG_LEN)
			return false;
		pl = flen - SIFT_TLS_TAG_LEN;
		memcpy(nonce, s->iv, 12);
		for (i = 0; i < 8; i++)
			nonce[4 + i] ^= aad[i];
		aad[11] = (uint8_t)(pl >> 8);
		aad[12] = (uint8_t)pl;
		*out_len = pl;
		return sift_tls_aead_open(s->cipher, nonce, aad, 13, f, flen,
					  c->work);
	}
	if (c->info.etm) {
		/* MAC over seq || header(len of IV||C) || IV || C. */
		size_t cl;

		if (flen < 16 + 16 + ml || (flen - ml) % 16 != 0)
			return false;
		cl = flen - ml;
		aad[11] = (uint8_t)(cl >> 8);
		aad[12] = (uint8_t)cl;
		if (!sift_tls_hmac(s->cipher, aad, 13, f, cl, NULL, 0, mac) ||
		    memcmp(mac, f + cl, ml) != 0)
			return false;
		if (!sift_tls_cbc_decrypt(s->cipher, f, f + 16, cl - 16, c->work))
			return false;
		{
			size_t n = cl - 16, pad = c->work[n - 1];

			if (pad + 1 > n)
				return false;
			for (i = 0; i <= pad; i++) {
				if (c->work[n - 1 - i] != pad)
					return false;
			}
			*out_len = n - pad - 1;
		}
		return true;
	}
	/* MAC-then-encrypt: IV || E(content || MAC || padding). */
	{
		size_t n, pad, cl;

		if (flen < 16 + 16 || flen % 16 != 0)
			return false;
		n = flen - 16;
		if (!sift_tls_cbc_decrypt(s->cipher, f, f + 16, n, c->work))
			return false;
		pad = c->work[n - 1];
		if (pad + 1 + ml > n)
			return false;
		for (i = 0; i <= pad; i++) {
			if (c->work[n - 1 - i] != pad)
				return false;
		}
		cl = n - pad - 1 - ml;
		aad[11] = (uint8_t)(cl >> 8);
		aad[12] = (uint8_t)cl;
		if (!sift_tls_hmac(s->cipher, aad, 13, c->work, cl, NULL, 0, mac) ||
		    memcmp(mac, c->work + cl, ml) != 0)
			return false;
		*out_len = cl;
		return true;
	}
}

/* Content of one record (decrypted or plaintext) of side d. */
static void dispatch(struct sift_tls_conn *c, int d, uint8_t type,
		     const uint8_t *p, size_t n)
{
	switch (type) {
	case CT_HANDSHAKE:
		hs_append(c, d, p, n);
		break;
	case CT_ALERT:
		if (n >= 2) {
			c->info.alert[d][0] = p[0];
			c->info.alert[d][1] = p[1];
			c->info.alert_seen[d] = true;
			if (p[1] == 0)
				c->info.close_notify[d] = true;
		}
		break;
	case CT_APPDATA:
		if (!c->s[d].protected_) {
			/* Application data before any key: not TLS as we know it. */
			stop_side(c, d, SIFT_TLS_MALFORMED);
			break;
		}
		c->info.plain_bytes[d] += n;
		if (n != 0 && c->fn != NULL)
			c->fn(c->ctx, d, p, n);
		break;
	default:
		break;
	}
}

static void decrypted_ok(struct sift_tls_conn *c, int d)
{
	c->s[d].any_ok = true;
	c->info.decrypted[d]++;
	set_status(c, SIFT_TLS_DECRYPTED);
}

static enum sift_tls_status fail_status(const struct sift_tls_conn *c, int d)
{
	if (c->master_from_rsa && !c->s[d].any_ok)
		return SIFT_TLS_RSA_MISMATCH;
	return SIFT_TLS_BAD_MAC;
}

static enum rec_rc record13(struct sift_tls_conn *c, int d, const uint8_t *rec,
			    size_t flen)
{
	struct side *s = &c->s[d];
	uint8_t type;
	size_t n;

	if (rec[0] != CT_APPDATA) {
		if (rec[0] == CT_CCS)
			return REC_DONE;     /* middlebox compatibility */
		dispatch(c, d, rec[0], rec + REC_HDR, flen);
		return REC_DONE;
	}
	if (s->app_trial) {
		const uint8_t *sec;
		size_t len;

		/* No handshake secret: records fail until the first one under
		 * the application secret. */
		if (!sift_tls_keys_find(c->keys, c->cr, label13(c, d, EP_APP),
					&sec, &len) ||
		    !set_secret13(c, d, sec, len, EP_APP)) {
			stop_side(c, d, SIFT_TLS_NO_KEY);
			return REC_DONE;
		}
		if (!open13(c, s->cipher, s->iv, 0, rec, flen, &type, &n))
			return REC_DONE;   /* still a handshake record */
		s->app_trial = false;
		s->seq = 1;
		decrypted_ok(c, d);
		dispatch(c, d, type, c->work, n);
		return REC_DONE;
	}
	if (s->cipher == NULL) {
		stop_side(c, d, SIFT_TLS_NO_KEY);
		return REC_DONE;
	}
	if (!open13(c, s->cipher, s->iv, s->seq, rec, flen, &type, &n)) {
		if (d == c->client && c->ch_early && s->epoch == EP_HANDSHAKE &&
		    !s->any_ok) {
			/* 0-RTT data under the early secret: out of scope. */
			c->info.early_skipped++;
			return REC_DONE;
		}
		stop_side(c, d, fail_status(c, d));
		return REC_DONE;
	}
	s->seq++;
	decrypted_ok(c, d);
	dispatch(c, d, type, c->work, n);
	return REC_DONE;
}

static enum rec_rc record12(struct sift_tls_conn *c, int d, const uint8_t *rec,
			    size_t flen)
{
	struct side *s = &c->s[d];
	size_t n;

	if (rec[0] == CT_CCS) {
		enum sift_tls_status st;

		/* The server's keys may need the client's ClientKeyExchange
		 * (RSA premaster secret) in a full handshake. */
		if (d != c->client && !c->info.resumed && !c->cke_seen &&
		    c->server_done)
			return REC_WAIT;
		/* A server that goes to ChangeCipherSpec without
		 * ServerHelloDone resumes a session (ID or ticket). */
		if (d != c->client && !c->server_done)
			c->info.resumed = true;
		st = keys12(c, d);
		if (st != SIFT_TLS_PENDING)
			stop_all(c, st);
		return REC_DONE;
	}
	if (!s->protected_) {
		dispatch(c, d, rec[0], rec + REC_HDR, flen);
		return REC_DONE;
	}
	if (!open12(c, d, rec, flen, &n)) {
		stop_side(c, d, fail_status(c, d));
		return REC_DONE;
	}
	s->seq++;
	decrypted_ok(c, d);
	dispatch(c, d, rec[0], c->work, n);
	return REC_DONE;
}

/* Whether the first whole record of side d carries a ClientHello. */
static bool starts_with_ch(const struct side *s)
{
	return s->len >= REC_HDR + 1 && sift_tls_is_client_hello(s->buf, s->len);
}

static enum rec_rc record(struct sift_tls_conn *c, int d, const uint8_t *rec,
			  size_t flen)
{
	bool is_client = d == c->client;

	if (!c->ch_seen) {
		if (rec[0] == CT_HANDSHAKE && flen >= 1 &&
		    rec[REC_HDR] == HS_CLIENT_HELLO) {
			dispatch(c, d, rec[0], rec + REC_HDR, flen);
			return REC_DONE;
		}
		/* Not a ClientHello: the other side may still bring one
		 * (sides fed out of order), unless it too starts otherwise. */
		if (c->s[1 - d].len >= REC_HDR + 1 &&
		    !starts_with_ch(&c->s[1 - d])) {
			stop_all(c, SIFT_TLS_NO_HANDSHAKE);
			return REC_DONE;
		}
		return REC_WAIT;
	}
	if (is_client && !c->sh_seen && !c->hrr_pending)
		return REC_WAIT;
	if (!is_client && !c->sh_seen && !c->hrr_pending &&
	    rec[0] != CT_HANDSHAKE && rec[0] != CT_ALERT)
		return REC_WAIT;
	if (is_client && c->hrr_pending && rec[0] != CT_HANDSHAKE &&
	    rec[0] != CT_CCS && rec[0] != CT_ALERT)
		return REC_WAIT;
	if (c->suite == NULL) {
		/* Before the ServerHello (or after HelloRetryRequest): only
		 * plaintext handshake and alerts. */
		if (rec[0] == CT_HANDSHAKE || rec[0] == CT_ALERT)
			dispatch(c, d, rec[0], rec + REC_HDR, flen);
		return REC_DONE;
	}
	if (c->suite->tls13)
		return record13(c, d, rec, flen);
	/* TLS 1.2 full handshake: the client's second flight follows the
	 * server's ServerHelloDone (the transcript keeps that order). */
	if (is_client && !c->info.resumed && !c->server_done &&
	    !c->s[d].protected_ && rec[0] == CT_HANDSHAKE &&
	    !c->s[1 - d].stopped)
		return REC_WAIT;
	return record12(c, d, rec, flen);
}

/* Handles the whole records of side d; true if any was consumed. */
static bool process(struct sift_tls_conn *c, int d)
{
	struct side *s = &c->s[d];
	size_t pos = 0;
	bool progress = false;

	while (!s->stopped && s->len - pos >= REC_HDR) {
		const uint8_t *rec = s->buf + pos;
		size_t flen = sift_be16(rec + 3);

		if (rec[0] < CT_CCS || rec[0] > CT_HEARTBEAT || rec[1] != 3 ||
		    flen > SIFT_TLS_MAX_FRAGMENT) {
			stop_side(c, d, SIFT_TLS_MALFORMED);
			return true;
		}
		if (s->len - pos < REC_HDR + flen)
			break;
		/* The record must stay put while it waits. */
		if (record(c, d, rec, flen) == REC_WAIT)
			break;
		if (s->stopped)
			return true;
		c->info.records[d]++;
		pos += REC_HDR + flen;
		progress = true;
	}
	if (!s->stopped && pos != 0) {
		memmove(s->buf, s->buf + pos, s->len - pos);
		s->len -= pos;
	}
	return progress;
}

enum sift_rc sift_tls_conn_feed(struct sift_tls_conn *c, int side,
				const uint8_t *p, size_t n)
{
	struct side *s;
	int guard;

	if (side < 0 || side > 1)
		return SIFT_EINVAL;
	s = &c->s[side];
	if (c->work == NULL) {
		c->work = malloc(SIFT_TLS_MAX_FRAGMENT);
		c->th = sift_tls_transcript_new();
		if (c->work == NULL || c->th == NULL)
			return SIFT_ENOMEM;
	}
	while (n != 0 && !s->stopped) {
		size_t room, take;

		/* Grow towards a whole record, then towards MAX_HOLD. */
		if (s->len + n > s->cap && s->cap < MAX_HOLD &&
		    !grow_bytes(&s->buf, &s->cap,
				s->len + n < MAX_HOLD ? s->len + n : MAX_HOLD,
				MAX_HOLD))
			return SIFT_ENOMEM;
		room = s->cap - s->len;
		if (room == 0) {
			/* Held records waiting for a side that never comes. */
			stop_side(c, side, c->ch_seen ? SIFT_TLS_LIMIT
						      : SIFT_TLS_NO_HANDSHAKE);
			break;
		}
		take = n < room ? n : room;
		memcpy(s->buf + s->len, p, take);
		s->len += take;
		p += take;
		n -= take;
		/* Each pass consumes at least one record or stops. */
		for (guard = 0; guard < 1000000; guard++) {
			bool a = process(c, side);
			bool b = process(c, 1 - side);

			if (!a && !b)
				break;
		}
	}
	return SIFT_OK;
}

void sift_tls_conn_gap(struct sift_tls_conn *c, int side, uint64_t n)
{
	if (side < 0 || side > 1 || n == 0 || c->s[side].stopped)
		return;
	c->info.gap[side] = true;
	stop_side(c, side, SIFT_TLS_GAP);
}

void sift_tls_conn_finish(struct sift_tls_conn *c)
{
	if (c->info.status != SIFT_TLS_PENDING)
		return;
	if (!c->sh_seen)
		c->info.status = SIFT_TLS_NO_HANDSHAKE;
	else if (c->suite == NULL)
		c->info.status = SIFT_TLS_UNSUPPORTED;
	else if (c->s[0].cipher != NULL || c->s[1].cipher != NULL ||
		 c->s[0].app_trial || c->s[1].app_trial)
		c->info.status = SIFT_TLS_DECRYPTED;   /* nothing to decrypt */
	else if (!c->suite->tls13 && get_master12(c) == SIFT_TLS_PENDING)
		c->info.status = SIFT_TLS_DECRYPTED;
	else
		c->info.status = sift_tls_keys_know(c->keys, c->cr)
					 ? SIFT_TLS_NO_HANDSHAKE
					 : SIFT_TLS_NO_KEY;
}
