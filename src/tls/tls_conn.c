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
 * is in order.
 *
 * The key schedules and handshake parsing are in tls_handshake.c; the
 * types and helpers both files use are in tls_int.h. */
#include <stdlib.h>
#include <string.h>

#include "util/cursor.h"
#include "tls/tls_int.h"

/* ---- cipher suites -------------------------------------------------- */

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

const struct suite *sift_tls_suite_find(uint16_t id)
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
	const struct suite *s = sift_tls_suite_find(suite);

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
		[SIFT_TLS_NO_RSA_KEY] = "RSA key exchange and no RSA key for this server",
		[SIFT_TLS_DH_NO_KEYLOG] = "(EC)DHE key exchange: an RSA key cannot decrypt it, a key log can",
		[SIFT_TLS_GAP] = "bytes missing from the TCP stream",
		[SIFT_TLS_MALFORMED] = "malformed TLS",
		[SIFT_TLS_LIMIT] = "TLS message over our size limit",
	};

	return (unsigned)s < SIFT_TLS_STATUS_COUNT ? str[s] : "?";
}

/* Room for need bytes in *b, growing by doubling up to max. */
bool sift_tls_grow_bytes(uint8_t **b, size_t *cap, size_t need, size_t max)
{
	while (*cap < need) {
		if (!sift_grow((void **)b, cap, *cap, 1, max))
			return false;
	}
	return true;
}

/* ---- connection state ----------------------------------------------- */

/* The first decisive status wins: it says why, or that it worked. */
static void set_status(struct sift_tls_conn *c, enum sift_tls_status st)
{
	if (c->info.status == SIFT_TLS_PENDING)
		c->info.status = st;
}

void sift_tls_stop_side(struct sift_tls_conn *c, int d,
			enum sift_tls_status st)
{
	set_status(c, st);
	c->s[d].stopped = true;
	c->s[d].len = 0;
	c->s[d].hs_len = 0;
}

void sift_tls_stop_all(struct sift_tls_conn *c, enum sift_tls_status st)
{
	sift_tls_stop_side(c, 0, st);
	sift_tls_stop_side(c, 1, st);
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

void sift_tls_conn_set_sessions(struct sift_tls_conn *c,
				struct sift_tls_sessions *s)
{
	c->sessions = s;
}

const struct sift_tls_info *sift_tls_conn_info(const struct sift_tls_conn *c)
{
	return &c->info;
}

bool sift_tls_conn_take_learnt(struct sift_tls_conn *c, uint8_t cr[32],
			       uint8_t master[48])
{
	/* Only a secret a record proved: a wrong key's garbage is not
	 * handed on as if it were one. */
	if (!c->have_master || !c->master_learnt || c->learnt_taken ||
	    !(c->s[0].any_ok || c->s[1].any_ok))
		return false;
	c->learnt_taken = true;
	memcpy(cr, c->cr, 32);
	memcpy(master, c->master, 48);
	return true;
}

/* A record as it sits in a side's buffer (RFC 8446 §5.1, RFC 5246
 * §6.2.1): its header fields, read through the cursor, and where its
 * fragment begins (flen bytes of it once the record is whole). */
struct rec {
	uint8_t type;
	uint8_t major, minor;      /* legacy_record_version */
	uint16_t flen;
	const uint8_t *hdr;        /* the REC_HDR header bytes (TLS 1.3 AAD) */
	const uint8_t *frag;
};

/* The header of the record at p (n bytes): false when it is cut. */
static bool rec_read(const uint8_t *p, size_t n, struct rec *r)
{
	struct sift_cur c = sift_cur_make(p, n);

	r->hdr = p;
	r->type = sift_cur_u8(&c);
	r->major = sift_cur_u8(&c);
	r->minor = sift_cur_u8(&c);
	r->flen = sift_cur_be16(&c);
	r->frag = sift_cur_ptr(&c);
	return !c.cut;
}

/* The handshake type a whole record's fragment starts with; 0 (no type)
 * when it is empty. */
static uint8_t rec_hs_type(const struct rec *r)
{
	struct sift_cur f = sift_cur_make(r->frag, r->flen);

	return sift_cur_u8(&f);
}

bool sift_tls_is_record(const uint8_t *p, size_t n)
{
	struct rec r;

	if (!rec_read(p, n, &r))
		return false;
	return r.type >= CT_CCS && r.type <= CT_APPDATA && r.major == 3 &&
	       r.minor >= 1 && r.minor <= 4 && r.flen != 0 &&
	       r.flen <= SIFT_TLS_MAX_FRAGMENT;
}

bool sift_tls_is_client_hello(const uint8_t *p, size_t n)
{
	struct rec r;
	struct sift_cur f;

	/* SSL 3.0 record versions are allowed on a ClientHello (3.0-3.3). */
	if (!rec_read(p, n, &r) || r.type != CT_HANDSHAKE || r.major != 3 ||
	    r.minor > 4 || r.flen < 4)
		return false;
	/* Its first byte, even when the rest of the record is still to
	 * come. */
	f = sift_cur_make(r.frag, n - REC_HDR);
	return sift_cur_u8(&f) == HS_CLIENT_HELLO && !f.cut;
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
		   const uint8_t iv[12], uint64_t seq, const struct rec *r,
		   uint8_t *type, size_t *out_len)
{
	uint8_t nonce[12], sq[8];
	size_t i, n, flen = r->flen;

	if (flen < SIFT_TLS_TAG_LEN + 1)
		return false;
	put_seq(sq, seq);
	memcpy(nonce, iv, 12);
	for (i = 0; i < 8; i++)
		nonce[4 + i] ^= sq[i];
	if (!sift_tls_aead_open(ci, nonce, r->hdr, REC_HDR, r->frag, flen,
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
static bool open12(struct sift_tls_conn *c, int d, const struct rec *r,
		   size_t *out_len)
{
	struct side *s = &c->s[d];
	const struct suite *su = c->suite;
	uint8_t aad[13], nonce[12], mac[SIFT_TLS_MAX_MD];
	const uint8_t *f = r->frag;
	size_t flen = r->flen, ml = sift_tls_mac_len12(su), i;

	put_seq(aad, s->seq);
	aad[8] = r->type;
	aad[9] = r->major;
	aad[10] = r->minor;
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
		sift_tls_hs_append(c, d, p, n);
		break;
	case CT_ALERT: {
		struct sift_cur a = sift_cur_make(p, n);
		uint8_t level = sift_cur_u8(&a), desc = sift_cur_u8(&a);

		if (!a.cut) {
			c->info.alert[d][0] = level;
			c->info.alert[d][1] = desc;
			c->info.alert_seen[d] = true;
			if (desc == 0)
				c->info.close_notify[d] = true;
		}
		break;
	}
	case CT_APPDATA:
		if (!c->s[d].protected_) {
			/* Application data before any key: not TLS as we know it. */
			sift_tls_stop_side(c, d, SIFT_TLS_MALFORMED);
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
	if (!c->s[d].any_ok) {
		c->s[d].any_ok = true;
		sift_tls_keep_session(c);
	}
	c->info.decrypted[d]++;
	set_status(c, SIFT_TLS_DECRYPTED);
}

static enum sift_tls_status fail_status(const struct sift_tls_conn *c, int d)
{
	if (c->master_from_rsa && !c->s[d].any_ok)
		return SIFT_TLS_RSA_MISMATCH;
	return SIFT_TLS_BAD_MAC;
}

static enum rec_rc record13(struct sift_tls_conn *c, int d, const struct rec *r)
{
	struct side *s = &c->s[d];
	uint8_t type;
	size_t n;

	if (r->type != CT_APPDATA) {
		if (r->type == CT_CCS)
			return REC_DONE;     /* middlebox compatibility */
		dispatch(c, d, r->type, r->frag, r->flen);
		return REC_DONE;
	}
	if (s->app_trial) {
		const uint8_t *sec;
		size_t len;

		/* No handshake secret: records fail until the first one under
		 * the application secret. */
		if (!sift_tls_keys_find(c->keys, c->cr, sift_tls_label13(c, d, EP_APP),
					&sec, &len) ||
		    !sift_tls_set_secret13(c, d, sec, len, EP_APP)) {
			sift_tls_stop_side(c, d, SIFT_TLS_NO_KEY);
			return REC_DONE;
		}
		if (!open13(c, s->cipher, s->iv, 0, r, &type, &n))
			return REC_DONE;   /* still a handshake record */
		s->app_trial = false;
		s->seq = 1;
		decrypted_ok(c, d);
		dispatch(c, d, type, c->work, n);
		return REC_DONE;
	}
	if (s->cipher == NULL) {
		sift_tls_stop_side(c, d, SIFT_TLS_NO_KEY);
		return REC_DONE;
	}
	if (!open13(c, s->cipher, s->iv, s->seq, r, &type, &n)) {
		if (d == c->client && c->ch_early && s->epoch == EP_HANDSHAKE &&
		    !s->any_ok) {
			/* 0-RTT data under the early secret: out of scope. */
			c->info.early_skipped++;
			return REC_DONE;
		}
		sift_tls_stop_side(c, d, fail_status(c, d));
		return REC_DONE;
	}
	s->seq++;
	decrypted_ok(c, d);
	dispatch(c, d, type, c->work, n);
	return REC_DONE;
}

static enum rec_rc record12(struct sift_tls_conn *c, int d, const struct rec *r)
{
	struct side *s = &c->s[d];
	size_t n;

	if (r->type == CT_CCS) {
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
		st = sift_tls_keys12(c, d);
		if (st != SIFT_TLS_PENDING)
			sift_tls_stop_all(c, st);
		return REC_DONE;
	}
	if (!s->protected_) {
		dispatch(c, d, r->type, r->frag, r->flen);
		return REC_DONE;
	}
	if (!open12(c, d, r, &n)) {
		sift_tls_stop_side(c, d, fail_status(c, d));
		return REC_DONE;
	}
	s->seq++;
	decrypted_ok(c, d);
	dispatch(c, d, r->type, c->work, n);
	return REC_DONE;
}

/* Whether the first whole record of side d carries a ClientHello. */
static bool starts_with_ch(const struct side *s)
{
	return s->len >= REC_HDR + 1 && sift_tls_is_client_hello(s->buf, s->len);
}

static enum rec_rc record(struct sift_tls_conn *c, int d, const struct rec *r)
{
	bool is_client = d == c->client;

	if (!c->ch_seen) {
		if (r->type == CT_HANDSHAKE && rec_hs_type(r) == HS_CLIENT_HELLO) {
			dispatch(c, d, r->type, r->frag, r->flen);
			return REC_DONE;
		}
		/* Not a ClientHello: the other side may still bring one
		 * (sides fed out of order), unless it too starts otherwise. */
		if (c->s[1 - d].len >= REC_HDR + 1 &&
		    !starts_with_ch(&c->s[1 - d])) {
			sift_tls_stop_all(c, SIFT_TLS_NO_HANDSHAKE);
			return REC_DONE;
		}
		return REC_WAIT;
	}
	if (is_client && !c->sh_seen && !c->hrr_pending)
		return REC_WAIT;
	if (!is_client && !c->sh_seen && !c->hrr_pending &&
	    r->type != CT_HANDSHAKE && r->type != CT_ALERT)
		return REC_WAIT;
	if (is_client && c->hrr_pending && r->type != CT_HANDSHAKE &&
	    r->type != CT_CCS && r->type != CT_ALERT)
		return REC_WAIT;
	if (c->suite == NULL) {
		/* Before the ServerHello (or after HelloRetryRequest): only
		 * plaintext handshake and alerts. */
		if (r->type == CT_HANDSHAKE || r->type == CT_ALERT)
			dispatch(c, d, r->type, r->frag, r->flen);
		return REC_DONE;
	}
	if (c->suite->tls13)
		return record13(c, d, r);
	/* TLS 1.2 full handshake: the client's second flight follows the
	 * server's ServerHelloDone (the transcript keeps that order). */
	if (is_client && !c->info.resumed && !c->server_done &&
	    !c->s[d].protected_ && r->type == CT_HANDSHAKE &&
	    !c->s[1 - d].stopped)
		return REC_WAIT;
	return record12(c, d, r);
}

/* Handles the whole records of side d; true if any was consumed. */
static bool process(struct sift_tls_conn *c, int d)
{
	struct side *s = &c->s[d];
	size_t pos = 0;
	bool progress = false;

	while (!s->stopped) {
		struct rec r;

		/* Nothing buffered (buf may be NULL): no record. */
		if (pos == s->len || !rec_read(s->buf + pos, s->len - pos, &r))
			break;
		if (r.type < CT_CCS || r.type > CT_HEARTBEAT || r.major != 3 ||
		    r.flen > SIFT_TLS_MAX_FRAGMENT) {
			sift_tls_stop_side(c, d, SIFT_TLS_MALFORMED);
			return true;
		}
		if (s->len - pos < REC_HDR + (size_t)r.flen)
			break;
		/* The record must stay put while it waits. */
		if (record(c, d, &r) == REC_WAIT)
			break;
		if (s->stopped)
			return true;
		c->info.records[d]++;
		pos += REC_HDR + (size_t)r.flen;
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
		    !sift_tls_grow_bytes(&s->buf, &s->cap,
				s->len + n < MAX_HOLD ? s->len + n : MAX_HOLD,
				MAX_HOLD))
			return SIFT_ENOMEM;
		room = s->cap - s->len;
		if (room == 0) {
			/* Held records waiting for a side that never comes. */
			sift_tls_stop_side(c, side, c->ch_seen ? SIFT_TLS_LIMIT
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
	return c->oom ? SIFT_ENOMEM : SIFT_OK;
}

void sift_tls_conn_gap(struct sift_tls_conn *c, int side, uint64_t n)
{
	if (side < 0 || side > 1 || n == 0 || c->s[side].stopped)
		return;
	c->info.gap[side] = true;
	sift_tls_stop_side(c, side, SIFT_TLS_GAP);
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
	else if (!c->suite->tls13 && sift_tls_get_master12(c) == SIFT_TLS_PENDING)
		c->info.status = SIFT_TLS_DECRYPTED;
	else
		c->info.status = sift_tls_keys_know(c->keys, c->cr)
					 ? SIFT_TLS_NO_HANDSHAKE
					 : SIFT_TLS_NO_KEY;
}
