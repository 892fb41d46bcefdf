/* sipsift — libsrtp2 cipher and auth types on OpenSSL 3 libcrypto (EVP):
 * AES-ICM 128/192/256 (RFC 3711 §4.1.1, RFC 6188), AES-GCM 128/256
 * (RFC 7714) and HMAC-SHA1 (RFC 3711 §4.2.1), registered with
 * srtp_replace_cipher_type() / srtp_replace_auth_type() (LIBRARIES.md,
 * "libsrtp2 with OpenSSL crypto", holds the contract we implement).
 *
 * Per packet only the IV is set (EVP_CipherInit_ex2 with no cipher and no
 * key keeps the key schedule) and HMAC re-starts a SHA-1 EVP_MD from its
 * kept pads; the EVP_CIPHER and EVP_MD objects are fetched once. Each type carries published vectors as its test_data:
 * libsrtp runs them (and the replaced type's own) before it accepts the
 * type. */
#include "media/srtp_ossl.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include <srtp2/auth.h>
#include <srtp2/cipher.h>
#include <srtp2/crypto_types.h>

#define ICM_SALT 14u
#define GCM_SALT 12u
#define GCM_TAG_MAX 16u
#define SHA1_LEN 20u
#define HMAC_KEY_MAX 64u        /* one SHA-1 block: used as it is */
/* libsrtp's ICM counts blocks in the low 16 bits of the counter and stops
 * at their end; OpenSSL's CTR would carry on into the salt. */
#define ICM_BLOCKS 0x10000u

static EVP_CIPHER *evp_ctr[3];   /* AES-128/192/256-CTR */
static EVP_CIPHER *evp_gcm[2];   /* AES-128/256-GCM */
static EVP_MD *evp_sha1;
static uint64_t nallocs;

uint64_t sift_srtp_ossl_allocs(void)
{
	return nallocs;
}

/* ---- AES-ICM ----------------------------------------------------------- */

struct icm {
	srtp_cipher_t c;         /* first: libsrtp's handle, freed with us */
	EVP_CIPHER_CTX *ctx;
	const EVP_CIPHER *evp;
	size_t aes_len;
	uint8_t salt[16];        /* salt || 0x0000 */
	uint64_t left;           /* keystream bytes until the counter ends */
};

static const srtp_cipher_type_t icm128_type, icm192_type, icm256_type;

static srtp_err_status_t icm_alloc(srtp_cipher_t **cp, int key_len,
				   const srtp_cipher_type_t *type, int which)
{
	static const size_t aes[3] = { 16, 24, 32 };
	struct icm *s;

	if (key_len != (int)(aes[which] + ICM_SALT))
		return srtp_err_status_bad_param;
	s = calloc(1, sizeof(*s));
	if (!s)
		return srtp_err_status_alloc_fail;
	s->ctx = EVP_CIPHER_CTX_new();
	if (!s->ctx) {
		free(s);
		return srtp_err_status_alloc_fail;
	}
	s->evp = evp_ctr[which];
	s->aes_len = aes[which];
	s->c.type = type;
	s->c.state = s;
	s->c.key_len = key_len;
	s->c.algorithm = (int)type->id;
	*cp = &s->c;
	nallocs++;
	return srtp_err_status_ok;
}

static srtp_err_status_t icm128_alloc(srtp_cipher_t **cp, int key_len, int tag_len)
{
	(void)tag_len;
	return icm_alloc(cp, key_len, &icm128_type, 0);
}

static srtp_err_status_t icm192_alloc(srtp_cipher_t **cp, int key_len, int tag_len)
{
	(void)tag_len;
	return icm_alloc(cp, key_len, &icm192_type, 1);
}

static srtp_err_status_t icm256_alloc(srtp_cipher_t **cp, int key_len, int tag_len)
{
	(void)tag_len;
	return icm_alloc(cp, key_len, &icm256_type, 2);
}

static srtp_err_status_t icm_dealloc(srtp_cipher_t *c)
{
	struct icm *s;

	if (!c)
		return srtp_err_status_bad_param;
	s = c->state;
	EVP_CIPHER_CTX_free(s->ctx);
	OPENSSL_cleanse(s->salt, sizeof(s->salt));
	free(s);
	return srtp_err_status_ok;
}

/* key: the AES key followed by the 14-byte salt. */
static srtp_err_status_t icm_init(void *state, const uint8_t *key)
{
	struct icm *s = state;

	if (!EVP_EncryptInit_ex2(s->ctx, s->evp, key, NULL, NULL))
		return srtp_err_status_init_fail;
	memcpy(s->salt, key + s->aes_len, ICM_SALT);
	s->salt[14] = 0;
	s->salt[15] = 0;
	s->left = 0;
	return srtp_err_status_ok;
}

/* The counter block is (salt || 0x0000) XOR iv (RFC 3711 §4.1.1). */
static srtp_err_status_t icm_set_iv(void *state, uint8_t *iv,
				    srtp_cipher_direction_t dir)
{
	struct icm *s = state;
	uint8_t ctr[16];

	(void)dir;
	for (size_t i = 0; i < sizeof(ctr); i++)
		ctr[i] = s->salt[i] ^ iv[i];
	if (!EVP_EncryptInit_ex2(s->ctx, NULL, NULL, ctr, NULL))
		return srtp_err_status_cipher_fail;
	s->left = (uint64_t)(ICM_BLOCKS - ((unsigned)ctr[14] << 8 | ctr[15])) * 16u;
	return srtp_err_status_ok;
}

/* XORs the keystream in place; the keystream goes on across calls until
 * the next set_iv. Encryption and decryption are the same. */
static srtp_err_status_t icm_crypt(void *state, uint8_t *buf, unsigned int *len)
{
	struct icm *s = state;
	int out = 0;

	if (*len == 0)
		return srtp_err_status_ok;
	if (*len > INT_MAX || *len > s->left)
		return srtp_err_status_terminus;
	if (!EVP_EncryptUpdate(s->ctx, buf, &out, buf, (int)*len) ||
	    out != (int)*len)
		return srtp_err_status_cipher_fail;
	s->left -= *len;
	return srtp_err_status_ok;
}

/* ---- AES-GCM ----------------------------------------------------------- */

struct gcm {
	srtp_cipher_t c;
	EVP_CIPHER_CTX *ctx;
	const EVP_CIPHER *evp;
	unsigned tag_len;
	bool enc;
	uint8_t tag[GCM_TAG_MAX];
};

static const srtp_cipher_type_t gcm128_type, gcm256_type;

/* key_len counts the 12-byte salt libsrtp keeps for the IV: the cipher
 * itself uses only the key. */
static srtp_err_status_t gcm_alloc(srtp_cipher_t **cp, int key_len, int tag_len,
				   const srtp_cipher_type_t *type, int which)
{
	static const size_t aes[2] = { 16, 32 };
	struct gcm *s;

	if (key_len != (int)(aes[which] + GCM_SALT) || (tag_len != 8 && tag_len != 16))
		return srtp_err_status_bad_param;
	s = calloc(1, sizeof(*s));
	if (!s)
		return srtp_err_status_alloc_fail;
	s->ctx = EVP_CIPHER_CTX_new();
	if (!s->ctx) {
		free(s);
		return srtp_err_status_alloc_fail;
	}
	s->evp = evp_gcm[which];
	s->tag_len = (unsigned)tag_len;
	s->c.type = type;
	s->c.state = s;
	s->c.key_len = key_len;
	s->c.algorithm = (int)type->id;
	*cp = &s->c;
	nallocs++;
	return srtp_err_status_ok;
}

static srtp_err_status_t gcm128_alloc(srtp_cipher_t **cp, int key_len, int tag_len)
{
	return gcm_alloc(cp, key_len, tag_len, &gcm128_type, 0);
}

static srtp_err_status_t gcm256_alloc(srtp_cipher_t **cp, int key_len, int tag_len)
{
	return gcm_alloc(cp, key_len, tag_len, &gcm256_type, 1);
}

static srtp_err_status_t gcm_dealloc(srtp_cipher_t *c)
{
	struct gcm *s;

	if (!c)
		return srtp_err_status_bad_param;
	s = c->state;
	EVP_CIPHER_CTX_free(s->ctx);
	free(s);
	return srtp_err_status_ok;
}

static srtp_err_status_t gcm_init(void *state, const uint8_t *key)
{
	struct gcm *s = state;

	if (!EVP_CipherInit_ex2(s->ctx, s->evp, key, NULL, 1, NULL))
		return srtp_err_status_init_fail;
	s->enc = true;
	return srtp_err_status_ok;
}

/* iv: the 12-byte IV libsrtp built from salt, SSRC and index (RFC 7714
 * §8.1). */
static srtp_err_status_t gcm_set_iv(void *state, uint8_t *iv,
				    srtp_cipher_direction_t dir)
{
	struct gcm *s = state;

	if (dir != srtp_direction_encrypt && dir != srtp_direction_decrypt)
		return srtp_err_status_bad_param;
	s->enc = dir == srtp_direction_encrypt;
	if (!EVP_CipherInit_ex2(s->ctx, NULL, NULL, iv, s->enc ? 1 : 0, NULL))
		return srtp_err_status_cipher_fail;
	return srtp_err_status_ok;
}

/* May come several times (SRTCP: header, then the index word). */
static srtp_err_status_t gcm_set_aad(void *state, const uint8_t *aad,
				     uint32_t len)
{
	struct gcm *s = state;
	int out = 0;

	if (len == 0)
		return srtp_err_status_ok;
	if (len > INT_MAX || !EVP_CipherUpdate(s->ctx, NULL, &out, aad, (int)len))
		return srtp_err_status_algo_fail;
	return srtp_err_status_ok;
}

/* Encrypts in place and finishes the message: get_tag fetches the tag. */
static srtp_err_status_t gcm_encrypt(void *state, uint8_t *buf, unsigned int *len)
{
	struct gcm *s = state;
	uint8_t end[16];
	int out = 0, fin = 0;

	if (!s->enc || *len > INT_MAX)
		return srtp_err_status_bad_param;
	if (*len && (!EVP_CipherUpdate(s->ctx, buf, &out, buf, (int)*len) ||
		     out != (int)*len))
		return srtp_err_status_cipher_fail;
	if (!EVP_CipherFinal_ex(s->ctx, end, &fin) || fin != 0 ||
	    !EVP_CIPHER_CTX_ctrl(s->ctx, EVP_CTRL_GCM_GET_TAG, (int)s->tag_len, s->tag))
		return srtp_err_status_cipher_fail;
	return srtp_err_status_ok;
}

static srtp_err_status_t gcm_get_tag(void *state, uint8_t *tag, uint32_t *len)
{
	struct gcm *s = state;

	memcpy(tag, s->tag, s->tag_len);
	*len = s->tag_len;
	return srtp_err_status_ok;
}

/* buf holds ciphertext || tag: decrypts in place (the buffer changes also
 * when the tag is wrong) and leaves *len without the tag. */
static srtp_err_status_t gcm_decrypt(void *state, uint8_t *buf, unsigned int *len)
{
	struct gcm *s = state;
	uint8_t end[16];
	unsigned n;
	int out = 0, fin = 0;

	if (s->enc || *len > INT_MAX || *len < s->tag_len)
		return srtp_err_status_bad_param;
	n = *len - s->tag_len;
	memcpy(s->tag, buf + n, s->tag_len);
	if (!EVP_CIPHER_CTX_ctrl(s->ctx, EVP_CTRL_GCM_SET_TAG, (int)s->tag_len, s->tag))
		return srtp_err_status_cipher_fail;
	if (n && (!EVP_CipherUpdate(s->ctx, buf, &out, buf, (int)n) || out != (int)n))
		return srtp_err_status_cipher_fail;
	if (EVP_CipherFinal_ex(s->ctx, end, &fin) <= 0)
		return srtp_err_status_auth_fail;
	*len = n;
	return srtp_err_status_ok;
}

/* ---- HMAC-SHA1 --------------------------------------------------------- */

/* HMAC-SHA1 (RFC 2104) on an EVP_MD: K XOR ipad and K XOR opad are kept,
 * and each message re-starts the digest and hashes its pad first. An
 * EVP_MAC re-keyed with EVP_MAC_init(ctx, NULL, 0, NULL) gives the same
 * tags but measured 1275 ns against 760 ns for this per 176-byte packet
 * (OpenSSL 3.0, same machine and load): the HMAC was the largest cost of
 * an unprotect. */
#define SHA1_BLOCK 64u

/* keyed: nothing hashed since the key was set or re-set; open: a message
 * is being hashed; done: final ran, the digest must start again. */
enum hmac_phase { HMAC_KEYED, HMAC_OPEN, HMAC_DONE };

struct hmac {
	srtp_auth_t a;
	EVP_MD_CTX *ctx;
	enum hmac_phase phase;
	uint8_t ipad[SHA1_BLOCK];
	uint8_t opad[SHA1_BLOCK];
};

static const srtp_auth_type_t hmac_type;

static srtp_err_status_t hmac_alloc(srtp_auth_t **ap, int key_len, int out_len)
{
	struct hmac *s;

	if (key_len < 0 || key_len > (int)HMAC_KEY_MAX || out_len < 1 ||
	    out_len > (int)SHA1_LEN)
		return srtp_err_status_bad_param;
	s = calloc(1, sizeof(*s));
	if (!s)
		return srtp_err_status_alloc_fail;
	s->ctx = EVP_MD_CTX_new();
	if (!s->ctx) {
		free(s);
		return srtp_err_status_alloc_fail;
	}
	s->phase = HMAC_DONE;
	s->a.type = &hmac_type;
	s->a.state = s;
	s->a.out_len = out_len;
	s->a.key_len = key_len;
	s->a.prefix_len = 0;
	*ap = &s->a;
	nallocs++;
	return srtp_err_status_ok;
}

static srtp_err_status_t hmac_dealloc(srtp_auth_t *a)
{
	struct hmac *s;

	if (!a)
		return srtp_err_status_bad_param;
	s = a->state;
	EVP_MD_CTX_free(s->ctx);
	OPENSSL_cleanse(s->ipad, sizeof(s->ipad));
	OPENSSL_cleanse(s->opad, sizeof(s->opad));
	free(s);
	return srtp_err_status_ok;
}

/* Back to the keyed state. libsrtp's own self test computes right after
 * init, without start: both orders work. */
static srtp_err_status_t hmac_start(void *state)
{
	struct hmac *s = state;

	if (s->phase == HMAC_KEYED)
		return srtp_err_status_ok;
	if (!EVP_DigestInit_ex2(s->ctx, NULL, NULL) ||
	    !EVP_DigestUpdate(s->ctx, s->ipad, SHA1_BLOCK))
		return srtp_err_status_auth_fail;
	s->phase = HMAC_KEYED;
	return srtp_err_status_ok;
}

/* Keys up to one block are used as they are (RFC 2104 §2; SRTP's are 20
 * bytes). */
static srtp_err_status_t hmac_init(void *state, const uint8_t *key, int key_len)
{
	struct hmac *s = state;

	if (key_len < 0 || key_len > (int)SHA1_BLOCK)
		return srtp_err_status_bad_param;
	memset(s->ipad, 0x36, sizeof(s->ipad));
	memset(s->opad, 0x5c, sizeof(s->opad));
	for (int i = 0; i < key_len; i++) {
		s->ipad[i] ^= key[i];
		s->opad[i] ^= key[i];
	}
	if (!EVP_DigestInit_ex2(s->ctx, evp_sha1, NULL) ||
	    !EVP_DigestUpdate(s->ctx, s->ipad, SHA1_BLOCK))
		return srtp_err_status_init_fail;
	s->phase = HMAC_KEYED;
	return srtp_err_status_ok;
}

static srtp_err_status_t hmac_update(void *state, const uint8_t *buf, int len)
{
	struct hmac *s = state;

	if (len < 0)
		return srtp_err_status_bad_param;
	if (s->phase == HMAC_DONE && hmac_start(s) != srtp_err_status_ok)
		return srtp_err_status_auth_fail;
	s->phase = HMAC_OPEN;
	if (len && !EVP_DigestUpdate(s->ctx, buf, (size_t)len))
		return srtp_err_status_auth_fail;
	return srtp_err_status_ok;
}

static srtp_err_status_t hmac_compute(void *state, const uint8_t *buf, int len,
				      int tag_len, uint8_t *tag)
{
	struct hmac *s = state;
	uint8_t inner[SHA1_LEN], full[SHA1_LEN];
	unsigned n1 = 0, n2 = 0;
	srtp_err_status_t st;

	if (tag_len < 0 || tag_len > (int)SHA1_LEN)
		return srtp_err_status_bad_param;
	st = hmac_update(state, buf, len);
	if (st != srtp_err_status_ok)
		return st;
	s->phase = HMAC_DONE;
	if (!EVP_DigestFinal_ex(s->ctx, inner, &n1) || n1 != SHA1_LEN ||
	    !EVP_DigestInit_ex2(s->ctx, NULL, NULL) ||
	    !EVP_DigestUpdate(s->ctx, s->opad, SHA1_BLOCK) ||
	    !EVP_DigestUpdate(s->ctx, inner, SHA1_LEN) ||
	    !EVP_DigestFinal_ex(s->ctx, full, &n2) || n2 != SHA1_LEN)
		return srtp_err_status_auth_fail;
	memcpy(tag, full, (size_t)tag_len);
	return srtp_err_status_ok;
}

/* ---- published test vectors -------------------------------------------- */

/* RFC 3711 Appendix B.2: AES-CM keystream of session key
 * 2B7E1516..4F3C, salt F0F1..FCFD, packet index 0 (the plaintext is zero,
 * so the ciphertext is the keystream). */
static const uint8_t icm128_key[30] = {
	0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
	0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c,
	0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
	0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd
};
static uint8_t icm_iv0[16];
static const uint8_t zero48[48];
static const uint8_t icm128_ks[48] = {
	0xe0, 0x3e, 0xad, 0x09, 0x35, 0xc9, 0x5e, 0x80,
	0xe1, 0x66, 0xb1, 0x6d, 0xd9, 0x2b, 0x4e, 0xb4,
	0xd2, 0x35, 0x13, 0x16, 0x2b, 0x02, 0xd0, 0xf7,
	0x2a, 0x43, 0xa2, 0xfe, 0x4a, 0x5f, 0x97, 0xab,
	0x41, 0xe9, 0x5b, 0x3b, 0xb0, 0xa2, 0xe8, 0xdd,
	0x47, 0x79, 0x01, 0xe4, 0xfc, 0xa8, 0x94, 0xc0
};

/* NIST SP 800-38A F.5.1 (CTR-AES128.Encrypt): initial counter
 * f0f1..fdfeff, reached here as salt f0..fd XOR an IV ending feff; the
 * count runs over the low 16 bits (feff, ff00, ff01, ff02). */
static uint8_t icm_iv_feff[16] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfe, 0xff
};
static const uint8_t nist_plain[64] = {
	0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96,
	0xe9, 0x3d, 0x7e, 0x11, 0x73, 0x93, 0x17, 0x2a,
	0xae, 0x2d, 0x8a, 0x57, 0x1e, 0x03, 0xac, 0x9c,
	0x9e, 0xb7, 0x6f, 0xac, 0x45, 0xaf, 0x8e, 0x51,
	0x30, 0xc8, 0x1c, 0x46, 0xa3, 0x5c, 0xe4, 0x11,
	0xe5, 0xfb, 0xc1, 0x19, 0x1a, 0x0a, 0x52, 0xef,
	0xf6, 0x9f, 0x24, 0x45, 0xdf, 0x4f, 0x9b, 0x17,
	0xad, 0x2b, 0x41, 0x7b, 0xe6, 0x6c, 0x37, 0x10
};
static const uint8_t nist128_cipher[64] = {
	0x87, 0x4d, 0x61, 0x91, 0xb6, 0x20, 0xe3, 0x26,
	0x1b, 0xef, 0x68, 0x64, 0x99, 0x0d, 0xb6, 0xce,
	0x98, 0x06, 0xf6, 0x6b, 0x79, 0x70, 0xfd, 0xff,
	0x86, 0x17, 0x18, 0x7b, 0xb9, 0xff, 0xfd, 0xff,
	0x5a, 0xe4, 0xdf, 0x3e, 0xdb, 0xd5, 0xd3, 0x5e,
	0x5b, 0x4f, 0x09, 0x02, 0x0d, 0xb0, 0x3e, 0xab,
	0x1e, 0x03, 0x1d, 0xda, 0x2f, 0xbe, 0x03, 0xd1,
	0x79, 0x21, 0x70, 0xa0, 0xf3, 0x00, 0x9c, 0xee
};

static const srtp_cipher_test_case_t icm128_nist = {
	30, icm128_key, icm_iv_feff, 64, nist_plain, 64, nist128_cipher,
	0, NULL, 0, NULL
};
static const srtp_cipher_test_case_t icm128_tests = {
	30, icm128_key, icm_iv0, 48, zero48, 48, icm128_ks, 0, NULL, 0,
	&icm128_nist
};

/* RFC 6188 §7.2: AES-192-CM keystream, same salt, index 0. */
static const uint8_t icm192_key[38] = {
	0xea, 0xb2, 0x34, 0x76, 0x4e, 0x51, 0x7b, 0x2d,
	0x3d, 0x16, 0x0d, 0x58, 0x7d, 0x8c, 0x86, 0x21,
	0x97, 0x40, 0xf6, 0x5f, 0x99, 0xb6, 0xbc, 0xf7,
	0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
	0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd
};
static const uint8_t icm192_ks[48] = {
	0x35, 0x09, 0x6c, 0xba, 0x46, 0x10, 0x02, 0x8d,
	0xc1, 0xb5, 0x75, 0x03, 0x80, 0x4c, 0xe3, 0x7c,
	0x5d, 0xe9, 0x86, 0x29, 0x1d, 0xcc, 0xe1, 0x61,
	0xd5, 0x16, 0x5e, 0xc4, 0x56, 0x8f, 0x5c, 0x9a,
	0x47, 0x4a, 0x40, 0xc7, 0x78, 0x94, 0xbc, 0x17,
	0x18, 0x02, 0x02, 0x27, 0x2a, 0x4c, 0x26, 0x4d
};
/* NIST SP 800-38A F.5.3 (CTR-AES192.Encrypt), as F.5.1 above. */
static const uint8_t nist192_key[38] = {
	0x8e, 0x73, 0xb0, 0xf7, 0xda, 0x0e, 0x64, 0x52,
	0xc8, 0x10, 0xf3, 0x2b, 0x80, 0x90, 0x79, 0xe5,
	0x62, 0xf8, 0xea, 0xd2, 0x52, 0x2c, 0x6b, 0x7b,
	0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
	0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd
};
static const uint8_t nist192_cipher[64] = {
	0x1a, 0xbc, 0x93, 0x24, 0x17, 0x52, 0x1c, 0xa2,
	0x4f, 0x2b, 0x04, 0x59, 0xfe, 0x7e, 0x6e, 0x0b,
	0x09, 0x03, 0x39, 0xec, 0x0a, 0xa6, 0xfa, 0xef,
	0xd5, 0xcc, 0xc2, 0xc6, 0xf4, 0xce, 0x8e, 0x94,
	0x1e, 0x36, 0xb2, 0x6b, 0xd1, 0xeb, 0xc6, 0x70,
	0xd1, 0xbd, 0x1d, 0x66, 0x56, 0x20, 0xab, 0xf7,
	0x4f, 0x78, 0xa7, 0xf6, 0xd2, 0x98, 0x09, 0x58,
	0x5a, 0x97, 0xda, 0xec, 0x58, 0xc6, 0xb0, 0x50
};
static const srtp_cipher_test_case_t icm192_nist = {
	38, nist192_key, icm_iv_feff, 64, nist_plain, 64, nist192_cipher,
	0, NULL, 0, NULL
};
static const srtp_cipher_test_case_t icm192_tests = {
	38, icm192_key, icm_iv0, 48, zero48, 48, icm192_ks, 0, NULL, 0,
	&icm192_nist
};

/* RFC 6188 §7.1: AES-256-CM keystream, same salt, index 0. */
static const uint8_t icm256_key[46] = {
	0x57, 0xf8, 0x2f, 0xe3, 0x61, 0x3f, 0xd1, 0x70,
	0xa8, 0x5e, 0xc9, 0x3c, 0x40, 0xb1, 0xf0, 0x92,
	0x2e, 0xc4, 0xcb, 0x0d, 0xc0, 0x25, 0xb5, 0x82,
	0x72, 0x14, 0x7c, 0xc4, 0x38, 0x94, 0x4a, 0x98,
	0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
	0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd
};
static const uint8_t icm256_ks[48] = {
	0x92, 0xbd, 0xd2, 0x8a, 0x93, 0xc3, 0xf5, 0x25,
	0x11, 0xc6, 0x77, 0xd0, 0x8b, 0x55, 0x15, 0xa4,
	0x9d, 0xa7, 0x1b, 0x23, 0x78, 0xa8, 0x54, 0xf6,
	0x70, 0x50, 0x75, 0x6d, 0xed, 0x16, 0x5b, 0xac,
	0x63, 0xc4, 0x86, 0x8b, 0x70, 0x96, 0xd8, 0x84,
	0x21, 0xb5, 0x63, 0xb8, 0xc9, 0x4c, 0x9a, 0x31
};
static const srtp_cipher_test_case_t icm256_tests = {
	46, icm256_key, icm_iv0, 48, zero48, 48, icm256_ks, 0, NULL, 0, NULL
};

/* The Galois/Counter Mode of Operation (McGrew, Viega; the GCM spec's
 * appendix B), test cases 4 (AES-128) and 16 (AES-256): 60 bytes of
 * plaintext, 20 of AAD, 96-bit IV. The key is followed by 12 salt bytes
 * libsrtp keeps for itself (any value: the cipher does not read them). A
 * truncated 8-byte tag is the full tag's first 8 bytes (SP 800-38D
 * §5.2.1.2): the 8-byte cases read the first 68 bytes of the same arrays. */
static const uint8_t gcm128_key[28] = {
	0xfe, 0xff, 0xe9, 0x92, 0x86, 0x65, 0x73, 0x1c,
	0x6d, 0x6a, 0x8f, 0x94, 0x67, 0x30, 0x83, 0x08,
	0xca, 0xfe, 0xba, 0xbe, 0xfa, 0xce, 0xdb, 0xad,
	0xde, 0xca, 0xf8, 0x88
};
static const uint8_t gcm256_key[44] = {
	0xfe, 0xff, 0xe9, 0x92, 0x86, 0x65, 0x73, 0x1c,
	0x6d, 0x6a, 0x8f, 0x94, 0x67, 0x30, 0x83, 0x08,
	0xfe, 0xff, 0xe9, 0x92, 0x86, 0x65, 0x73, 0x1c,
	0x6d, 0x6a, 0x8f, 0x94, 0x67, 0x30, 0x83, 0x08,
	0xca, 0xfe, 0xba, 0xbe, 0xfa, 0xce, 0xdb, 0xad,
	0xde, 0xca, 0xf8, 0x88
};
static uint8_t gcm_iv[12] = {
	0xca, 0xfe, 0xba, 0xbe, 0xfa, 0xce, 0xdb, 0xad,
	0xde, 0xca, 0xf8, 0x88
};
static const uint8_t gcm_plain[60] = {
	0xd9, 0x31, 0x32, 0x25, 0xf8, 0x84, 0x06, 0xe5,
	0xa5, 0x59, 0x09, 0xc5, 0xaf, 0xf5, 0x26, 0x9a,
	0x86, 0xa7, 0xa9, 0x53, 0x15, 0x34, 0xf7, 0xda,
	0x2e, 0x4c, 0x30, 0x3d, 0x8a, 0x31, 0x8a, 0x72,
	0x1c, 0x3c, 0x0c, 0x95, 0x95, 0x68, 0x09, 0x53,
	0x2f, 0xcf, 0x0e, 0x24, 0x49, 0xa6, 0xb5, 0x25,
	0xb1, 0x6a, 0xed, 0xf5, 0xaa, 0x0d, 0xe6, 0x57,
	0xba, 0x63, 0x7b, 0x39
};
static const uint8_t gcm_aad[20] = {
	0xfe, 0xed, 0xfa, 0xce, 0xde, 0xad, 0xbe, 0xef,
	0xfe, 0xed, 0xfa, 0xce, 0xde, 0xad, 0xbe, 0xef,
	0xab, 0xad, 0xda, 0xd2
};
static const uint8_t gcm128_cipher[76] = {
	0x42, 0x83, 0x1e, 0xc2, 0x21, 0x77, 0x74, 0x24,
	0x4b, 0x72, 0x21, 0xb7, 0x84, 0xd0, 0xd4, 0x9c,
	0xe3, 0xaa, 0x21, 0x2f, 0x2c, 0x02, 0xa4, 0xe0,
	0x35, 0xc1, 0x7e, 0x23, 0x29, 0xac, 0xa1, 0x2e,
	0x21, 0xd5, 0x14, 0xb2, 0x54, 0x66, 0x93, 0x1c,
	0x7d, 0x8f, 0x6a, 0x5a, 0xac, 0x84, 0xaa, 0x05,
	0x1b, 0xa3, 0x0b, 0x39, 0x6a, 0x0a, 0xac, 0x97,
	0x3d, 0x58, 0xe0, 0x91,
	/* tag */
	0x5b, 0xc9, 0x4f, 0xbc, 0x32, 0x21, 0xa5, 0xdb,
	0x94, 0xfa, 0xe9, 0x5a, 0xe7, 0x12, 0x1a, 0x47
};
static const uint8_t gcm256_cipher[76] = {
	0x52, 0x2d, 0xc1, 0xf0, 0x99, 0x56, 0x7d, 0x07,
	0xf4, 0x7f, 0x37, 0xa3, 0x2a, 0x84, 0x42, 0x7d,
	0x64, 0x3a, 0x8c, 0xdc, 0xbf, 0xe5, 0xc0, 0xc9,
	0x75, 0x98, 0xa2, 0xbd, 0x25, 0x55, 0xd1, 0xaa,
	0x8c, 0xb0, 0x8e, 0x48, 0x59, 0x0d, 0xbb, 0x3d,
	0xa7, 0xb0, 0x8b, 0x10, 0x56, 0x82, 0x88, 0x38,
	0xc5, 0xf6, 0x1e, 0x63, 0x93, 0xba, 0x7a, 0x0a,
	0xbc, 0xc9, 0xf6, 0x62,
	/* tag */
	0x76, 0xfc, 0x6e, 0xce, 0x0f, 0x4e, 0x17, 0x68,
	0xcd, 0xdf, 0x88, 0x53, 0xbb, 0x2d, 0x55, 0x1b
};
static const srtp_cipher_test_case_t gcm128_tests_8 = {
	28, gcm128_key, gcm_iv, 60, gcm_plain, 68, gcm128_cipher, 20, gcm_aad,
	8, NULL
};
static const srtp_cipher_test_case_t gcm128_tests = {
	28, gcm128_key, gcm_iv, 60, gcm_plain, 76, gcm128_cipher, 20, gcm_aad,
	16, &gcm128_tests_8
};
static const srtp_cipher_test_case_t gcm256_tests_8 = {
	44, gcm256_key, gcm_iv, 60, gcm_plain, 68, gcm256_cipher, 20, gcm_aad,
	8, NULL
};
static const srtp_cipher_test_case_t gcm256_tests = {
	44, gcm256_key, gcm_iv, 60, gcm_plain, 76, gcm256_cipher, 20, gcm_aad,
	16, &gcm256_tests_8
};

/* RFC 2202 §3, test cases 1-3 (full 20-byte HMAC-SHA1), and case 1
 * truncated to SRTP's 80 bits. */
static const uint8_t hmac_key1[20] = {
	0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b,
	0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b
};
static const uint8_t hmac_data1[8] = { 'H', 'i', ' ', 'T', 'h', 'e', 'r', 'e' };
static const uint8_t hmac_tag1[20] = {
	0xb6, 0x17, 0x31, 0x86, 0x55, 0x05, 0x72, 0x64, 0xe2, 0x8b,
	0xc0, 0xb6, 0xfb, 0x37, 0x8c, 0x8e, 0xf1, 0x46, 0xbe, 0x00
};
static const uint8_t hmac_key2[4] = { 'J', 'e', 'f', 'e' };
static const uint8_t hmac_data2[28] = {
	'w', 'h', 'a', 't', ' ', 'd', 'o', ' ', 'y', 'a', ' ', 'w', 'a', 'n',
	't', ' ', 'f', 'o', 'r', ' ', 'n', 'o', 't', 'h', 'i', 'n', 'g', '?'
};
static const uint8_t hmac_tag2[20] = {
	0xef, 0xfc, 0xdf, 0x6a, 0xe5, 0xeb, 0x2f, 0xa2, 0xd2, 0x74,
	0x16, 0xd5, 0xf1, 0x84, 0xdf, 0x9c, 0x25, 0x9a, 0x7c, 0x79
};
static const uint8_t hmac_key3[20] = {
	0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa,
	0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa
};
static const uint8_t hmac_data3[50] = {
	0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd,
	0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd,
	0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd,
	0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd,
	0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd
};
static const uint8_t hmac_tag3[20] = {
	0x12, 0x5d, 0x73, 0x42, 0xb9, 0xac, 0x11, 0xcd, 0x91, 0xa3,
	0x9a, 0xf4, 0x8a, 0xa1, 0x7b, 0x4f, 0x63, 0xf1, 0x75, 0xd3
};
static const srtp_auth_test_case_t hmac_test1_80 = {
	20, hmac_key1, 8, hmac_data1, 10, hmac_tag1, NULL
};
static const srtp_auth_test_case_t hmac_test3 = {
	20, hmac_key3, 50, hmac_data3, 20, hmac_tag3, &hmac_test1_80
};
static const srtp_auth_test_case_t hmac_test2 = {
	4, hmac_key2, 28, hmac_data2, 20, hmac_tag2, &hmac_test3
};
static const srtp_auth_test_case_t hmac_tests = {
	20, hmac_key1, 8, hmac_data1, 20, hmac_tag1, &hmac_test2
};

/* ---- the types ---------------------------------------------------------- */

static const srtp_cipher_type_t icm128_type = {
	icm128_alloc, icm_dealloc, icm_init, NULL, icm_crypt, icm_crypt,
	icm_set_iv, NULL, "AES-128 counter mode (sipsift, OpenSSL EVP)",
	&icm128_tests, SRTP_AES_ICM_128
};
static const srtp_cipher_type_t icm192_type = {
	icm192_alloc, icm_dealloc, icm_init, NULL, icm_crypt, icm_crypt,
	icm_set_iv, NULL, "AES-192 counter mode (sipsift, OpenSSL EVP)",
	&icm192_tests, SRTP_AES_ICM_192
};
static const srtp_cipher_type_t icm256_type = {
	icm256_alloc, icm_dealloc, icm_init, NULL, icm_crypt, icm_crypt,
	icm_set_iv, NULL, "AES-256 counter mode (sipsift, OpenSSL EVP)",
	&icm256_tests, SRTP_AES_ICM_256
};
static const srtp_cipher_type_t gcm128_type = {
	gcm128_alloc, gcm_dealloc, gcm_init, gcm_set_aad, gcm_encrypt,
	gcm_decrypt, gcm_set_iv, gcm_get_tag,
	"AES-128 GCM (sipsift, OpenSSL EVP)", &gcm128_tests, SRTP_AES_GCM_128
};
static const srtp_cipher_type_t gcm256_type = {
	gcm256_alloc, gcm_dealloc, gcm_init, gcm_set_aad, gcm_encrypt,
	gcm_decrypt, gcm_set_iv, gcm_get_tag,
	"AES-256 GCM (sipsift, OpenSSL EVP)", &gcm256_tests, SRTP_AES_GCM_256
};
static const srtp_auth_type_t hmac_type = {
	hmac_alloc, hmac_dealloc, hmac_init, hmac_compute, hmac_update,
	hmac_start, "HMAC-SHA1 (sipsift, OpenSSL EVP SHA-1)", &hmac_tests,
	SRTP_HMAC_SHA1
};

static bool fetch_all(void)
{
	static const char *const ctr[3] = { "AES-128-CTR", "AES-192-CTR", "AES-256-CTR" };
	static const char *const gcm[2] = { "AES-128-GCM", "AES-256-GCM" };

	for (size_t i = 0; i < 3; i++)
		if (!evp_ctr[i] && !(evp_ctr[i] = EVP_CIPHER_fetch(NULL, ctr[i], NULL)))
			return false;
	for (size_t i = 0; i < 2; i++)
		if (!evp_gcm[i] && !(evp_gcm[i] = EVP_CIPHER_fetch(NULL, gcm[i], NULL)))
			return false;
	if (!evp_sha1 && !(evp_sha1 = EVP_MD_fetch(NULL, "SHA1", NULL)))
		return false;
	return true;
}

const struct srtp_cipher_type_t *sift_srtp_ossl_cipher_type(unsigned id)
{
	switch (id) {
	case SRTP_AES_ICM_128:
		return &icm128_type;
	case SRTP_AES_ICM_192:
		return &icm192_type;
	case SRTP_AES_ICM_256:
		return &icm256_type;
	case SRTP_AES_GCM_128:
		return &gcm128_type;
	case SRTP_AES_GCM_256:
		return &gcm256_type;
	default:
		return NULL;
	}
}

const struct srtp_auth_type_t *sift_srtp_ossl_auth_type(void)
{
	return &hmac_type;
}

enum sift_rc sift_srtp_ossl_register(unsigned *nreplaced)
{
	/* AES-ICM first: libsrtp derives the session keys of every suite,
	 * GCM included, with it. */
	static const srtp_cipher_type_t *const ciphers[] = {
		&icm128_type, &icm192_type, &icm256_type, &gcm128_type, &gcm256_type
	};
	unsigned n = 0;

	if (nreplaced)
		*nreplaced = 0;
	if (!fetch_all())
		return SIFT_EUNSUPPORTED;
	for (size_t i = 0; i < sizeof(ciphers) / sizeof(ciphers[0]); i++)
		if (srtp_replace_cipher_type(ciphers[i], ciphers[i]->id) ==
		    srtp_err_status_ok)
			n++;
	if (srtp_replace_auth_type(&hmac_type, SRTP_HMAC_SHA1) == srtp_err_status_ok)
		n++;
	if (nreplaced)
		*nreplaced = n;
	return n == SIFT_SRTP_OSSL_TYPES ? SIFT_OK : SIFT_EINVAL;
}
