/* sipsift — libsrtp2 cipher and auth types on OpenSSL 3 libcrypto (EVP):
 * AES-ICM 128/192/256 (RFC 3711 §4.1.1, RFC 6188), AES-GCM 128/256
 * (RFC 7714) and HMAC-SHA1 (RFC 3711 §4.2.1), registered with
 * srtp_replace_cipher_type() / srtp_replace_auth_type() (LIBRARIES.md,
 * "libsrtp2 with OpenSSL crypto", holds the contract we implement).
 *
 * Per packet AES-ICM encrypts its counter blocks with a keyed AES-ECB
 * context, GCM sets only the IV (EVP_CipherInit_ex2 with no cipher and no
 * key keeps the key schedule), and HMAC starts from the SHA-1 states of
 * its kept pads; the EVP_CIPHER and EVP_MD objects are fetched once. Each
 * type carries published vectors as its test_data:
 * libsrtp runs them (and the replaced type's own) before it accepts the
 * type. */
#include "media/srtp_ossl.h"
#include "media/srtp_ossl_vectors.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* The SHA1_* functions (HMAC below) are deprecated in OpenSSL 3.0 but
 * built unless libcrypto was configured without them. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/sha.h>
#if defined(OPENSSL_NO_DEPRECATED_3_0)
#define SIFT_SHA1_LOWLEVEL 0
#else
#define SIFT_SHA1_LOWLEVEL 1
#endif

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

static EVP_CIPHER *evp_ecb[3];   /* AES-128/192/256-ECB: ICM keystream */
static EVP_CIPHER *evp_gcm[2];   /* AES-128/256-GCM */
static EVP_MD *evp_sha1;
static uint64_t nallocs;

uint64_t sift_srtp_ossl_allocs(void)
{
	return nallocs;
}

/* ---- AES-ICM ----------------------------------------------------------- */

/* Counter blocks encrypted per EVP call: a 1500-byte packet in one. */
#define ICM_CHUNK 96u

/* The keystream is AES-ECB of the counter blocks, made here: setting a
 * CTR context's IV per packet cost 136 ns against 48 ns for this, for a
 * 160-byte payload (OpenSSL 3.0, this machine), the key schedule kept. */
struct icm {
	srtp_cipher_t c;         /* first: libsrtp's handle, freed with us */
	EVP_CIPHER_CTX *ctx;     /* AES-ECB, keyed once, no padding */
	const EVP_CIPHER *evp;
	size_t aes_len;
	uint8_t salt[16];        /* salt || 0x0000 */
	uint8_t ctr[16];         /* the next counter block */
	uint8_t ks[16];          /* keystream of the last block ... */
	unsigned ks_used;        /* ... of which this much is used (16: none left) */
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
	s->evp = evp_ecb[which];
	s->aes_len = aes[which];
	s->ks_used = 16;
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
	OPENSSL_cleanse(s->ctr, sizeof(s->ctr));
	OPENSSL_cleanse(s->ks, sizeof(s->ks));
	free(s);
	return srtp_err_status_ok;
}

/* key: the AES key followed by the 14-byte salt. */
static srtp_err_status_t icm_init(void *state, const uint8_t *key)
{
	struct icm *s = state;

	if (!EVP_EncryptInit_ex2(s->ctx, s->evp, key, NULL, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(s->ctx, 0))
		return srtp_err_status_init_fail;
	memcpy(s->salt, key + s->aes_len, ICM_SALT);
	s->salt[14] = 0;
	s->salt[15] = 0;
	s->left = 0;
	s->ks_used = 16;
	return srtp_err_status_ok;
}

/* The counter block is (salt || 0x0000) XOR iv (RFC 3711 §4.1.1). */
static srtp_err_status_t icm_set_iv(void *state, uint8_t *iv,
				    srtp_cipher_direction_t dir)
{
	struct icm *s = state;

	(void)dir;
	for (size_t i = 0; i < sizeof(s->ctr); i++)
		s->ctr[i] = s->salt[i] ^ iv[i];
	s->ks_used = 16;
	s->left = (uint64_t)(ICM_BLOCKS - ((unsigned)s->ctr[14] << 8 | s->ctr[15])) * 16u;
	return srtp_err_status_ok;
}

/* n counter blocks from s->ctr on, encrypted into ks; the counter moves
 * on (its low 16 bits: s->left keeps it from wrapping). */
static bool icm_blocks(struct icm *s, uint8_t *ks, unsigned n)
{
	uint8_t blocks[ICM_CHUNK * 16];
	int out = 0;

	for (unsigned b = 0; b < n; b++) {
		unsigned lo = (unsigned)s->ctr[14] << 8 | s->ctr[15];

		memcpy(blocks + 16 * b, s->ctr, 16);
		lo = (lo + 1) & 0xffffu;
		s->ctr[14] = (uint8_t)(lo >> 8);
		s->ctr[15] = (uint8_t)lo;
	}
	return EVP_EncryptUpdate(s->ctx, ks, &out, blocks, (int)(16 * n)) &&
	       out == (int)(16 * n);
}

/* buf ^= ks over n bytes, eight at a time. */
static void xor_into(uint8_t *buf, const uint8_t *ks, size_t n)
{
	size_t k = 0;

	for (; k + 8 <= n; k += 8) {
		uint64_t a, b;

		memcpy(&a, buf + k, 8);
		memcpy(&b, ks + k, 8);
		a ^= b;
		memcpy(buf + k, &a, 8);
	}
	for (; k < n; k++)
		buf[k] ^= ks[k];
}

/* XORs the keystream in place; the keystream goes on across calls until
 * the next set_iv. Encryption and decryption are the same. */
static srtp_err_status_t icm_crypt(void *state, uint8_t *buf, unsigned int *len)
{
	struct icm *s = state;
	uint8_t ks[ICM_CHUNK * 16];
	size_t n = *len, i = 0;

	if (n == 0)
		return srtp_err_status_ok;
	if ((uint64_t)n > s->left + (16u - s->ks_used))
		return srtp_err_status_terminus;
	/* What is left of the last block first. */
	while (i < n && s->ks_used < 16)
		buf[i++] ^= s->ks[s->ks_used++];
	while (i < n) {
		size_t want = (n - i + 15) / 16;
		unsigned nb = want > ICM_CHUNK ? ICM_CHUNK : (unsigned)want;
		size_t take = n - i < 16u * nb ? n - i : 16u * nb;

		if (s->left < 16u * nb)
			return srtp_err_status_terminus;
		if (!icm_blocks(s, ks, nb))
			return srtp_err_status_cipher_fail;
		s->left -= 16u * nb;
		xor_into(buf + i, ks, take);
		i += take;
		if (take < 16u * nb) {
			/* The rest of the last block waits for the next call. */
			memcpy(s->ks, ks + 16u * (nb - 1), 16);
			s->ks_used = (unsigned)(take - 16u * (nb - 1));
		}
	}
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

/* HMAC-SHA1 (RFC 2104). The SHA-1 states after K XOR ipad and after
 * K XOR opad are kept, and each message starts from a copy of them: two
 * compressions fewer per packet. On OpenSSL's SHA1_* functions (deprecated
 * in 3.0, still built by default) a 176-byte packet's tag took 206 ns
 * against 430 ns through EVP_MD (re-starting the digest and hashing the
 * pads; an EVP_MD_CTX_copy_ex per message: 324 ns; EVP_MAC: 1275 ns). A
 * libcrypto built without the deprecated functions gets the EVP_MD way.
 * The HMAC was the largest cost of an unprotect. */
#define SHA1_BLOCK 64u

/* keyed: nothing hashed since the key was set or re-set; open: a message
 * is being hashed; done: final ran, the digest must start again. */
enum hmac_phase { HMAC_KEYED, HMAC_OPEN, HMAC_DONE };

struct hmac {
	srtp_auth_t a;
	enum hmac_phase phase;
#if SIFT_SHA1_LOWLEVEL
	SHA_CTX ipad_ctx;        /* SHA-1 of K XOR ipad */
	SHA_CTX opad_ctx;        /* SHA-1 of K XOR opad */
	SHA_CTX w;               /* the message being hashed */
#else
	EVP_MD_CTX *ctx;
#endif
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
#if !SIFT_SHA1_LOWLEVEL
	s->ctx = EVP_MD_CTX_new();
	if (!s->ctx) {
		free(s);
		return srtp_err_status_alloc_fail;
	}
#endif
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
#if !SIFT_SHA1_LOWLEVEL
	EVP_MD_CTX_free(s->ctx);
#endif
	OPENSSL_cleanse(s, sizeof(*s));
	free(s);
	return srtp_err_status_ok;
}

/* The digest, started again after the inner pad. */
static bool hmac_restart(struct hmac *s)
{
#if SIFT_SHA1_LOWLEVEL
	s->w = s->ipad_ctx;
	return true;
#else
	return EVP_DigestInit_ex2(s->ctx, NULL, NULL) &&
	       EVP_DigestUpdate(s->ctx, s->ipad, SHA1_BLOCK);
#endif
}

/* Back to the keyed state. libsrtp's own self test computes right after
 * init, without start: both orders work. */
static srtp_err_status_t hmac_start(void *state)
{
	struct hmac *s = state;

	if (s->phase == HMAC_KEYED)
		return srtp_err_status_ok;
	if (!hmac_restart(s))
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
#if SIFT_SHA1_LOWLEVEL
	if (!SHA1_Init(&s->ipad_ctx) || !SHA1_Update(&s->ipad_ctx, s->ipad, SHA1_BLOCK) ||
	    !SHA1_Init(&s->opad_ctx) || !SHA1_Update(&s->opad_ctx, s->opad, SHA1_BLOCK))
		return srtp_err_status_init_fail;
	s->w = s->ipad_ctx;
#else
	if (!EVP_DigestInit_ex2(s->ctx, evp_sha1, NULL) ||
	    !EVP_DigestUpdate(s->ctx, s->ipad, SHA1_BLOCK))
		return srtp_err_status_init_fail;
#endif
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
	if (!len)
		return srtp_err_status_ok;
#if SIFT_SHA1_LOWLEVEL
	if (!SHA1_Update(&s->w, buf, (size_t)len))
		return srtp_err_status_auth_fail;
#else
	if (!EVP_DigestUpdate(s->ctx, buf, (size_t)len))
		return srtp_err_status_auth_fail;
#endif
	return srtp_err_status_ok;
}

/* The outer hash of the inner digest, into full. */
static bool hmac_finish(struct hmac *s, uint8_t *full)
{
	uint8_t inner[SHA1_LEN];
#if SIFT_SHA1_LOWLEVEL
	if (!SHA1_Final(inner, &s->w))
		return false;
	s->w = s->opad_ctx;
	return SHA1_Update(&s->w, inner, SHA1_LEN) && SHA1_Final(full, &s->w);
#else
	unsigned n1 = 0, n2 = 0;

	return EVP_DigestFinal_ex(s->ctx, inner, &n1) && n1 == SHA1_LEN &&
	       EVP_DigestInit_ex2(s->ctx, NULL, NULL) &&
	       EVP_DigestUpdate(s->ctx, s->opad, SHA1_BLOCK) &&
	       EVP_DigestUpdate(s->ctx, inner, SHA1_LEN) &&
	       EVP_DigestFinal_ex(s->ctx, full, &n2) && n2 == SHA1_LEN;
#endif
}

static srtp_err_status_t hmac_compute(void *state, const uint8_t *buf, int len,
				      int tag_len, uint8_t *tag)
{
	struct hmac *s = state;
	uint8_t full[SHA1_LEN];
	srtp_err_status_t st;

	if (tag_len < 0 || tag_len > (int)SHA1_LEN)
		return srtp_err_status_bad_param;
	st = hmac_update(state, buf, len);
	if (st != srtp_err_status_ok)
		return st;
	s->phase = HMAC_DONE;
	if (!hmac_finish(s, full))
		return srtp_err_status_auth_fail;
	memcpy(tag, full, (size_t)tag_len);
	return srtp_err_status_ok;
}

static const srtp_cipher_type_t icm128_type = {
	icm128_alloc, icm_dealloc, icm_init, NULL, icm_crypt, icm_crypt,
	icm_set_iv, NULL, "AES-128 counter mode (sipsift, OpenSSL EVP)",
	&sift_ossl_icm128_tests, SRTP_AES_ICM_128
};
static const srtp_cipher_type_t icm192_type = {
	icm192_alloc, icm_dealloc, icm_init, NULL, icm_crypt, icm_crypt,
	icm_set_iv, NULL, "AES-192 counter mode (sipsift, OpenSSL EVP)",
	&sift_ossl_icm192_tests, SRTP_AES_ICM_192
};
static const srtp_cipher_type_t icm256_type = {
	icm256_alloc, icm_dealloc, icm_init, NULL, icm_crypt, icm_crypt,
	icm_set_iv, NULL, "AES-256 counter mode (sipsift, OpenSSL EVP)",
	&sift_ossl_icm256_tests, SRTP_AES_ICM_256
};
static const srtp_cipher_type_t gcm128_type = {
	gcm128_alloc, gcm_dealloc, gcm_init, gcm_set_aad, gcm_encrypt,
	gcm_decrypt, gcm_set_iv, gcm_get_tag,
	"AES-128 GCM (sipsift, OpenSSL EVP)", &sift_ossl_gcm128_tests, SRTP_AES_GCM_128
};
static const srtp_cipher_type_t gcm256_type = {
	gcm256_alloc, gcm_dealloc, gcm_init, gcm_set_aad, gcm_encrypt,
	gcm_decrypt, gcm_set_iv, gcm_get_tag,
	"AES-256 GCM (sipsift, OpenSSL EVP)", &sift_ossl_gcm256_tests, SRTP_AES_GCM_256
};
static const srtp_auth_type_t hmac_type = {
	hmac_alloc, hmac_dealloc, hmac_init, hmac_compute, hmac_update,
	hmac_start, "HMAC-SHA1 (sipsift, OpenSSL EVP SHA-1)", &sift_ossl_hmac_tests,
	SRTP_HMAC_SHA1
};

static bool fetch_all(void)
{
	static const char *const ecb[3] = { "AES-128-ECB", "AES-192-ECB", "AES-256-ECB" };
	static const char *const gcm[2] = { "AES-128-GCM", "AES-256-GCM" };

	for (size_t i = 0; i < 3; i++)
		if (!evp_ecb[i] && !(evp_ecb[i] = EVP_CIPHER_fetch(NULL, ecb[i], NULL)))
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
