/* sipsift — the libcrypto primitives the TLS decoder needs, behind our own
 * types (tls_crypto.c is the only file that includes OpenSSL headers). */
#ifndef SIPSIFT_TLS_CRYPTO_H
#define SIPSIFT_TLS_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sift_tls_md {
	SIFT_TLS_MD_NONE = 0,
	SIFT_TLS_MD_SHA1,
	SIFT_TLS_MD_SHA256,
	SIFT_TLS_MD_SHA384
};

enum sift_tls_bulk {
	SIFT_TLS_BULK_NONE = 0,
	SIFT_TLS_BULK_AES128_GCM,
	SIFT_TLS_BULK_AES256_GCM,
	SIFT_TLS_BULK_CHACHA20_POLY1305,
	SIFT_TLS_BULK_AES128_CBC,
	SIFT_TLS_BULK_AES256_CBC
};

#define SIFT_TLS_TAG_LEN 16
#define SIFT_TLS_MAX_MD 48
#define SIFT_TLS_MAX_KEY 32

size_t sift_tls_md_len(enum sift_tls_md md);

/* RFC 8446 §7.1 HKDF-Expand-Label(secret, label, context, outlen): label
 * without the "tls13 " prefix. */
bool sift_tls_hkdf_expand_label(enum sift_tls_md md, const uint8_t *secret,
				size_t secret_len, const char *label,
				const uint8_t *context, size_t context_len,
				uint8_t *out, size_t out_len);
/* RFC 5246 §5 PRF(secret, label, seed) with P_<md>; seed is seed1||seed2. */
bool sift_tls_prf(enum sift_tls_md md, const uint8_t *secret,
		  size_t secret_len, const char *label, const uint8_t *seed1,
		  size_t seed1_len, const uint8_t *seed2, size_t seed2_len,
		  uint8_t *out, size_t out_len);

/* One direction's record protection: a keyed cipher and, for CBC suites,
 * a keyed HMAC. */
struct sift_tls_cipher;

/* NULL when OpenSSL lacks the algorithms, or (*oom set) memory ran out. */
struct sift_tls_cipher *sift_tls_cipher_new(enum sift_tls_bulk bulk,
					    const uint8_t *key,
					    enum sift_tls_md mac_md,
					    const uint8_t *mac_key, bool *oom);
void sift_tls_cipher_free(struct sift_tls_cipher *c);
/* AEAD: in is ciphertext || 16-byte tag; out gets in_len - 16 bytes.
 * false when the tag does not verify. */
bool sift_tls_aead_open(struct sift_tls_cipher *c, const uint8_t nonce[12],
			const uint8_t *aad, size_t aad_len, const uint8_t *in,
			size_t in_len, uint8_t *out);
/* CBC without padding removal; in_len a multiple of 16. */
bool sift_tls_cbc_decrypt(struct sift_tls_cipher *c, const uint8_t iv[16],
			  const uint8_t *in, size_t in_len, uint8_t *out);
/* HMAC of a||b||d with the cipher's MAC key; out gets the digest length. */
bool sift_tls_hmac(struct sift_tls_cipher *c, const uint8_t *a, size_t a_len,
		   const uint8_t *b, size_t b_len, const uint8_t *d,
		   size_t d_len, uint8_t *out);

size_t sift_tls_bulk_key_len(enum sift_tls_bulk bulk);

/* A running handshake transcript hash (SHA-256 and SHA-384 at once, since
 * the suite is known only after ClientHello). */
struct sift_tls_transcript;

struct sift_tls_transcript *sift_tls_transcript_new(void);
void sift_tls_transcript_free(struct sift_tls_transcript *t);
bool sift_tls_transcript_add(struct sift_tls_transcript *t, const uint8_t *p,
			     size_t n);
/* The hash so far; out gets sift_tls_md_len(md) bytes. */
bool sift_tls_transcript_hash(const struct sift_tls_transcript *t,
			      enum sift_tls_md md, uint8_t *out);

/* SHA-256 of n bytes into out[32] (a session ticket's fingerprint). */
bool sift_tls_sha256(const uint8_t *p, size_t n, uint8_t out[32]);

/* An RSA private key. */
struct sift_tls_pkey;

/* NULL with *why set when the file cannot be read or holds no RSA key. */
struct sift_tls_pkey *sift_tls_pkey_load(const char *path, const char **why);
void sift_tls_pkey_free(struct sift_tls_pkey *k);
/* 1 when the DER certificate's public key is this key, 0 when not, -1
 * when the certificate cannot be parsed. */
int sift_tls_pkey_matches_cert(const struct sift_tls_pkey *k,
			       const uint8_t *der, size_t n);
/* RSAES-PKCS1-v1_5 decryption of an encrypted premaster secret: true with
 * 48 bytes in pms. */
bool sift_tls_pkey_decrypt_pms(const struct sift_tls_pkey *k,
			       const uint8_t *in, size_t n, uint8_t pms[48]);

#endif
