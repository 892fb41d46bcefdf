/* sipsift — libcrypto behind the TLS decoder: HKDF-Expand-Label (RFC 8446
 * §7.1) and the TLS 1.2 PRF (RFC 5246 §5) through EVP_KDF, record ciphers
 * through EVP_CIPHER, HMAC through EVP_MAC, transcript hashes through
 * EVP_MD and RSA premaster decryption through EVP_PKEY. No primitive is
 * written here. */
#include "tls/tls_crypto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "sipsift/common.h"

static const char *md_name(enum sift_tls_md md)
{
	switch (md) {
	case SIFT_TLS_MD_SHA1:
		return "SHA1";
	case SIFT_TLS_MD_SHA256:
		return "SHA256";
	case SIFT_TLS_MD_SHA384:
		return "SHA384";
	case SIFT_TLS_MD_NONE:
		break;
	}
	return NULL;
}

size_t sift_tls_md_len(enum sift_tls_md md)
{
	switch (md) {
	case SIFT_TLS_MD_SHA1:
		return 20;
	case SIFT_TLS_MD_SHA256:
		return 32;
	case SIFT_TLS_MD_SHA384:
		return 48;
	case SIFT_TLS_MD_NONE:
		break;
	}
	return 0;
}

size_t sift_tls_bulk_key_len(enum sift_tls_bulk bulk)
{
	switch (bulk) {
	case SIFT_TLS_BULK_AES128_GCM:
	case SIFT_TLS_BULK_AES128_CBC:
		return 16;
	case SIFT_TLS_BULK_AES256_GCM:
	case SIFT_TLS_BULK_AES256_CBC:
	case SIFT_TLS_BULK_CHACHA20_POLY1305:
		return 32;
	case SIFT_TLS_BULK_NONE:
		break;
	}
	return 0;
}

/* One EVP_KDF derivation with the given parameters. */
static bool kdf_derive(const char *name, OSSL_PARAM *params, uint8_t *out,
		       size_t out_len)
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, name, NULL);
	EVP_KDF_CTX *kctx = NULL;
	bool ok = false;

	if (kdf == NULL)
		goto out;
	kctx = EVP_KDF_CTX_new(kdf);
	if (kctx == NULL)
		goto out;
	ok = EVP_KDF_derive(kctx, out, out_len, params) > 0;
out:
	EVP_KDF_CTX_free(kctx);
	EVP_KDF_free(kdf);
	return ok;
}

bool sift_tls_hkdf_expand_label(enum sift_tls_md md, const uint8_t *secret,
				size_t secret_len, const char *label,
				const uint8_t *context, size_t context_len,
				uint8_t *out, size_t out_len)
{
	/* struct HkdfLabel { uint16 length; opaque label<7..255>;
	 * opaque context<0..255>; } with label = "tls13 " + Label. */
	static const char prefix[] = "tls13 ";
	uint8_t info[2 + 1 + 255 + 1 + 255];
	size_t llen = strlen(label), plen = sizeof(prefix) - 1, n = 0;
	char mode[] = "EXPAND_ONLY";
	char dig[16];
	const char *mn = md_name(md);
	OSSL_PARAM params[5];

	if (mn == NULL || out_len > 0xffff || plen + llen > 255 ||
	    context_len > 255 || strlen(mn) >= sizeof(dig))
		return false;
	memcpy(dig, mn, strlen(mn) + 1);
	info[n++] = (uint8_t)(out_len >> 8);
	info[n++] = (uint8_t)out_len;
	info[n++] = (uint8_t)(plen + llen);
	memcpy(info + n, prefix, plen);
	n += plen;
	memcpy(info + n, label, llen);
	n += llen;
	info[n++] = (uint8_t)context_len;
	if (context_len != 0)
		memcpy(info + n, context, context_len);
	n += context_len;

	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_MODE, mode, 0);
	params[1] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, dig, 0);
	params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
						      (void *)secret, secret_len);
	params[3] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
						      info, n);
	params[4] = OSSL_PARAM_construct_end();
	return kdf_derive("HKDF", params, out, out_len);
}

bool sift_tls_prf(enum sift_tls_md md, const uint8_t *secret,
		  size_t secret_len, const char *label, const uint8_t *seed1,
		  size_t seed1_len, const uint8_t *seed2, size_t seed2_len,
		  uint8_t *out, size_t out_len)
{
	/* The KDF's seed is label || seed (RFC 5246 §5). */
	uint8_t seed[64 + 2 * SIFT_TLS_MAX_MD + 64];
	size_t llen = strlen(label), n = 0;
	const char *mn = md_name(md);
	char dig[16];
	OSSL_PARAM params[4];

	if (mn == NULL || llen + seed1_len + seed2_len > sizeof(seed) ||
	    strlen(mn) >= sizeof(dig))
		return false;
	memcpy(dig, mn, strlen(mn) + 1);
	memcpy(seed, label, llen);
	n = llen;
	if (seed1_len != 0)
		memcpy(seed + n, seed1, seed1_len);
	n += seed1_len;
	if (seed2_len != 0)
		memcpy(seed + n, seed2, seed2_len);
	n += seed2_len;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, dig, 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET,
						      (void *)secret, secret_len);
	params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED,
						      seed, n);
	params[3] = OSSL_PARAM_construct_end();
	return kdf_derive("TLS1-PRF", params, out, out_len);
}

struct sift_tls_cipher {
	enum sift_tls_bulk bulk;
	EVP_CIPHER *cipher;
	EVP_CIPHER_CTX *ctx;
	EVP_MAC *mac;
	EVP_MAC_CTX *mac_tmpl;  /* keyed; duplicated per record */
	size_t mac_len;
};

static const char *bulk_name(enum sift_tls_bulk bulk)
{
	switch (bulk) {
	case SIFT_TLS_BULK_AES128_GCM:
		return "AES-128-GCM";
	case SIFT_TLS_BULK_AES256_GCM:
		return "AES-256-GCM";
	case SIFT_TLS_BULK_CHACHA20_POLY1305:
		return "ChaCha20-Poly1305";
	case SIFT_TLS_BULK_AES128_CBC:
		return "AES-128-CBC";
	case SIFT_TLS_BULK_AES256_CBC:
		return "AES-256-CBC";
	case SIFT_TLS_BULK_NONE:
		break;
	}
	return NULL;
}

static bool is_cbc(enum sift_tls_bulk bulk)
{
	return bulk == SIFT_TLS_BULK_AES128_CBC ||
	       bulk == SIFT_TLS_BULK_AES256_CBC;
}

struct sift_tls_cipher *sift_tls_cipher_new(enum sift_tls_bulk bulk,
					    const uint8_t *key,
					    enum sift_tls_md mac_md,
					    const uint8_t *mac_key, bool *oom)
{
	struct sift_tls_cipher *c = calloc(1, sizeof(*c));
	const char *name = bulk_name(bulk);
	bool ok = false;

	if (c == NULL)
		*oom = true;
	if (c == NULL || name == NULL)
		goto out;
	c->bulk = bulk;
	c->cipher = EVP_CIPHER_fetch(NULL, name, NULL);
	c->ctx = EVP_CIPHER_CTX_new();
	if (c->ctx == NULL)
		*oom = true;
	if (c->cipher == NULL || c->ctx == NULL)
		goto out;
	if (EVP_DecryptInit_ex2(c->ctx, c->cipher, key, NULL, NULL) <= 0)
		goto out;
	if (is_cbc(bulk)) {
		char dig[16];
		const char *mn = md_name(mac_md);
		OSSL_PARAM params[2];

		if (mn == NULL || strlen(mn) >= sizeof(dig) || mac_key == NULL)
			goto out;
		memcpy(dig, mn, strlen(mn) + 1);
		EVP_CIPHER_CTX_set_padding(c->ctx, 0);
		c->mac_len = sift_tls_md_len(mac_md);
		c->mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
		if (c->mac == NULL)
			goto out;
		c->mac_tmpl = EVP_MAC_CTX_new(c->mac);
		if (c->mac_tmpl == NULL)
			goto out;
		params[0] = OSSL_PARAM_construct_utf8_string(
			OSSL_MAC_PARAM_DIGEST, dig, 0);
		params[1] = OSSL_PARAM_construct_end();
		if (EVP_MAC_init(c->mac_tmpl, mac_key, c->mac_len, params) <= 0)
			goto out;
	}
	ok = true;
out:
	if (!ok) {
		sift_tls_cipher_free(c);
		return NULL;
	}
	return c;
}

void sift_tls_cipher_free(struct sift_tls_cipher *c)
{
	if (c == NULL)
		return;
	EVP_CIPHER_CTX_free(c->ctx);
	EVP_CIPHER_free(c->cipher);
	EVP_MAC_CTX_free(c->mac_tmpl);
	EVP_MAC_free(c->mac);
	free(c);
}

bool sift_tls_aead_open(struct sift_tls_cipher *c, const uint8_t nonce[12],
			const uint8_t *aad, size_t aad_len, const uint8_t *in,
			size_t in_len, uint8_t *out)
{
	size_t ct_len;
	int l = 0, l2 = 0;

	if (in_len < SIFT_TLS_TAG_LEN || in_len - SIFT_TLS_TAG_LEN > INT32_MAX ||
	    is_cbc(c->bulk))
		return false;
	ct_len = in_len - SIFT_TLS_TAG_LEN;
	if (EVP_DecryptInit_ex2(c->ctx, NULL, NULL, nonce, NULL) <= 0)
		return false;
	if (EVP_DecryptUpdate(c->ctx, NULL, &l, aad, (int)aad_len) <= 0)
		return false;
	if (ct_len != 0 &&
	    EVP_DecryptUpdate(c->ctx, out, &l, in, (int)ct_len) <= 0)
		return false;
	if (EVP_CIPHER_CTX_ctrl(c->ctx, EVP_CTRL_AEAD_SET_TAG, SIFT_TLS_TAG_LEN,
				(void *)(in + ct_len)) <= 0)
		return false;
	return EVP_DecryptFinal_ex(c->ctx, out + (ct_len ? l : 0), &l2) > 0;
}

bool sift_tls_cbc_decrypt(struct sift_tls_cipher *c, const uint8_t iv[16],
			  const uint8_t *in, size_t in_len, uint8_t *out)
{
	int l = 0, l2 = 0;

	if (!is_cbc(c->bulk) || in_len % 16 != 0 || in_len > INT32_MAX)
		return false;
	if (EVP_DecryptInit_ex2(c->ctx, NULL, NULL, iv, NULL) <= 0)
		return false;
	if (in_len != 0 && EVP_DecryptUpdate(c->ctx, out, &l, in, (int)in_len) <= 0)
		return false;
	return EVP_DecryptFinal_ex(c->ctx, out + l, &l2) > 0;
}

bool sift_tls_hmac(struct sift_tls_cipher *c, const uint8_t *a, size_t a_len,
		   const uint8_t *b, size_t b_len, const uint8_t *d,
		   size_t d_len, uint8_t *out)
{
	EVP_MAC_CTX *m;
	size_t ol = 0;
	bool ok = false;

	if (c->mac_tmpl == NULL)
		return false;
	m = EVP_MAC_CTX_dup(c->mac_tmpl);
	if (m == NULL)
		return false;
	if ((a_len && EVP_MAC_update(m, a, a_len) <= 0) ||
	    (b_len && EVP_MAC_update(m, b, b_len) <= 0) ||
	    (d_len && EVP_MAC_update(m, d, d_len) <= 0))
		goto out;
	ok = EVP_MAC_final(m, out, &ol, SIFT_TLS_MAX_MD) > 0 && ol == c->mac_len;
out:
	EVP_MAC_CTX_free(m);
	return ok;
}

struct sift_tls_transcript {
	EVP_MD_CTX *sha256;
	EVP_MD_CTX *sha384;
};

/* OpenSSL 3 makes its method store at the first fetch. When memory ran
 * out part way it kept a store without its lock, and the next fetch took
 * that lock: a segmentation fault in CRYPTO_THREAD_read_lock (sipsift
 * under ulimit -d, at the first TLS handshake message of
 * tls-kamailio-srtp.pcap). The first fetch here is made while a megabyte
 * is known to be free; without it, out of memory. A TLS connection's
 * transcript is the first of OpenSSL a capture asks for (the keys of
 * --tls-key are read at the start). */
static bool crypto_ready(void)
{
	static bool ready;
	EVP_MD *md;

	if (ready)
		return true;
	if (!sift_room_for(SIFT_LIB_ROOM))
		return false;
	md = EVP_MD_fetch(NULL, "SHA2-256", NULL);
	if (md == NULL)
		return false;
	EVP_MD_free(md);
	ready = true;
	return true;
}

struct sift_tls_transcript *sift_tls_transcript_new(void)
{
	struct sift_tls_transcript *t;

	if (!crypto_ready())
		return NULL;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	t->sha256 = EVP_MD_CTX_new();
	t->sha384 = EVP_MD_CTX_new();
	if (t->sha256 == NULL || t->sha384 == NULL ||
	    EVP_DigestInit_ex2(t->sha256, EVP_sha256(), NULL) <= 0 ||
	    EVP_DigestInit_ex2(t->sha384, EVP_sha384(), NULL) <= 0) {
		sift_tls_transcript_free(t);
		return NULL;
	}
	return t;
}

void sift_tls_transcript_free(struct sift_tls_transcript *t)
{
	if (t == NULL)
		return;
	EVP_MD_CTX_free(t->sha256);
	EVP_MD_CTX_free(t->sha384);
	free(t);
}

bool sift_tls_transcript_add(struct sift_tls_transcript *t, const uint8_t *p,
			     size_t n)
{
	return EVP_DigestUpdate(t->sha256, p, n) > 0 &&
	       EVP_DigestUpdate(t->sha384, p, n) > 0;
}

bool sift_tls_transcript_hash(const struct sift_tls_transcript *t,
			      enum sift_tls_md md, uint8_t *out)
{
	EVP_MD_CTX *src = md == SIFT_TLS_MD_SHA384 ? t->sha384 : t->sha256;
	EVP_MD_CTX *cp;
	unsigned int ol = 0;
	bool ok;

	if (md != SIFT_TLS_MD_SHA256 && md != SIFT_TLS_MD_SHA384)
		return false;
	cp = EVP_MD_CTX_new();
	if (cp == NULL)
		return false;
	ok = EVP_MD_CTX_copy_ex(cp, src) > 0 && EVP_DigestFinal_ex(cp, out, &ol) > 0;
	EVP_MD_CTX_free(cp);
	return ok && ol == sift_tls_md_len(md);
}

bool sift_tls_sha256(const uint8_t *p, size_t n, uint8_t out[32])
{
	unsigned int ol = 0;

	return EVP_Digest(p, n, out, &ol, EVP_sha256(), NULL) > 0 && ol == 32;
}

struct sift_tls_pkey {
	EVP_PKEY *pkey;
};

struct sift_tls_pkey *sift_tls_pkey_load(const char *path, const char **why)
{
	struct sift_tls_pkey *k = NULL;
	EVP_PKEY *pkey = NULL;
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		*why = "cannot open the key file";
		goto out;
	}
	pkey = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	if (pkey == NULL) {
		*why = "no PEM private key in the file";
		goto out;
	}
	if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA) {
		/* An ECDSA (or EdDSA, DSA) server signs an (EC)DHE exchange:
		 * no session key ever travels under its key. */
		*why = EVP_PKEY_get_base_id(pkey) == EVP_PKEY_EC ?
		       "an EC key: a server key decrypts only TLS 1.2 RSA key exchange, which a server with an ECDSA certificate cannot do; its sessions (ECDHE) need a key log (--tls-keylog)" :
		       "not an RSA key: a server key decrypts only TLS 1.2 RSA key exchange; sessions with any other server key need a key log (--tls-keylog)";
		goto out;
	}
	k = calloc(1, sizeof(*k));
	if (k == NULL) {
		*why = "out of memory";
		goto out;
	}
	k->pkey = pkey;
	pkey = NULL;
out:
	EVP_PKEY_free(pkey);
	if (f != NULL)
		fclose(f);
	return k;
}

void sift_tls_pkey_free(struct sift_tls_pkey *k)
{
	if (k == NULL)
		return;
	EVP_PKEY_free(k->pkey);
	free(k);
}

int sift_tls_pkey_matches_cert(const struct sift_tls_pkey *k,
			       const uint8_t *der, size_t n)
{
	const unsigned char *p = der;
	X509 *x;
	EVP_PKEY *pub;
	int r = -1;

	if (n > INT32_MAX)
		return -1;
	x = d2i_X509(NULL, &p, (long)n);
	if (x == NULL)
		return -1;
	pub = X509_get0_pubkey(x);
	if (pub != NULL)
		r = EVP_PKEY_eq(k->pkey, pub) == 1 ? 1 : 0;
	X509_free(x);
	return r;
}

bool sift_tls_pkey_decrypt_pms(const struct sift_tls_pkey *k,
			       const uint8_t *in, size_t n, uint8_t pms[48])
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, k->pkey, NULL);
	uint8_t out[1024];
	size_t ol = sizeof(out);
	bool ok = false;

	if (ctx == NULL || (size_t)EVP_PKEY_get_size(k->pkey) > sizeof(out))
		goto out;
	if (EVP_PKEY_decrypt_init(ctx) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) <= 0)
		goto out;
	if (EVP_PKEY_decrypt(ctx, out, &ol, in, n) <= 0 || ol != 48)
		goto out;
	memcpy(pms, out, 48);
	ok = true;
out:
	EVP_PKEY_CTX_free(ctx);
	return ok;
}
