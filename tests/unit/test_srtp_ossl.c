/* Unit tests for the OpenSSL cipher and auth types inside libsrtp2
 * (src/media/srtp_ossl.c): each type against its published vectors and
 * against vectors checked here by hand, a wrong vector rejected, and
 * packets crossed between libsrtp's stock (NSS) types and ours in both
 * directions — byte-identical output, sequence wrap, tampered packets
 * rejected — for AES_CM_128_HMAC_SHA1_80/_32, AES_256_CM_HMAC_SHA1_80 and
 * AEAD_AES_128/256_GCM. Also: a stream without a key re-uses its trial
 * sessions (no srtp_create per packet).
 *
 * Stock sessions come from srtp_shutdown() + srtp_init(), which bring
 * libsrtp's own types back (LIBRARIES.md); sift_srtp_ossl_register() puts
 * ours in again. Sessions keep the types they were created with, and
 * sift_srtp_ossl_allocs() tells which ones a session got. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include <srtp2/auth.h>
#include <srtp2/cipher.h>
#include <srtp2/srtp.h>

#include "media/srtp.h"
#include "media/srtp_ossl.h"

#define SSRC 0x5ee5f00du
#define BUF 1500
#define PAYLOAD 160

static size_t ks_len(enum sift_srtp_suite s)
{
	switch (s) {
	case SIFT_SUITE_AES_CM_128_HMAC_SHA1_80:
	case SIFT_SUITE_AES_CM_128_HMAC_SHA1_32:
		return 30;
	case SIFT_SUITE_AES_256_CM_HMAC_SHA1_80:
		return 46;
	case SIFT_SUITE_AEAD_AES_128_GCM:
		return 28;
	case SIFT_SUITE_AEAD_AES_256_GCM:
		return 44;
	default:
		return 0;
	}
}

static void make_key(struct sift_srtp_key *k, enum sift_srtp_suite suite,
		     uint8_t variant)
{
	memset(k, 0, sizeof(*k));
	k->suite = suite;
	k->k.len = ks_len(suite);
	assert_true(k->k.len > 0);
	for (size_t i = 0; i < k->k.len; i++)
		k->k.keysalt[i] = (uint8_t)(i * 37 + 11 + variant * 101);
}

/* Sender or receiver policy, built without our srtp.c. */
static srtp_t session(const struct sift_srtp_key *k, bool inbound)
{
	srtp_policy_t p;
	srtp_t s = NULL;

	memset(&p, 0, sizeof(p));
	switch (k->suite) {
	case SIFT_SUITE_AES_CM_128_HMAC_SHA1_80:
		srtp_crypto_policy_set_rtp_default(&p.rtp);
		break;
	case SIFT_SUITE_AES_CM_128_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&p.rtp);
		break;
	case SIFT_SUITE_AES_256_CM_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&p.rtp);
		break;
	case SIFT_SUITE_AEAD_AES_128_GCM:
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&p.rtp);
		break;
	case SIFT_SUITE_AEAD_AES_256_GCM:
		srtp_crypto_policy_set_aes_gcm_256_16_auth(&p.rtp);
		break;
	default:
		fail();
	}
	p.rtcp = p.rtp;
	if (k->suite == SIFT_SUITE_AES_CM_128_HMAC_SHA1_32)
		srtp_crypto_policy_set_rtp_default(&p.rtcp);
	p.ssrc.type = inbound ? ssrc_any_inbound : ssrc_any_outbound;
	p.key = (unsigned char *)(uintptr_t)k->k.keysalt;
	p.window_size = 1024;
	assert_int_equal(srtp_create(&s, &p), srtp_err_status_ok);
	return s;
}

static size_t rtp_plain(uint8_t *b, uint16_t seq)
{
	b[0] = 0x80;
	b[1] = 0x08;
	b[2] = (uint8_t)(seq >> 8);
	b[3] = (uint8_t)seq;
	b[4] = 0x12;
	b[5] = 0x34;
	b[6] = (uint8_t)(seq >> 8);
	b[7] = (uint8_t)seq;
	b[8] = (uint8_t)(SSRC >> 24);
	b[9] = (uint8_t)(SSRC >> 16);
	b[10] = (uint8_t)(SSRC >> 8);
	b[11] = (uint8_t)SSRC;
	for (int i = 0; i < PAYLOAD; i++)
		b[12 + i] = (uint8_t)(seq * 13 + i);
	return 12 + PAYLOAD;
}

/* SR with no report blocks, then 16 bytes of APP data. */
static size_t rtcp_plain(uint8_t *b, unsigned n)
{
	static const uint8_t sr[8] = { 0x80, 200, 0x00, 0x06 };
	static const uint8_t app[8] = { 0x80, 204, 0x00, 0x06 };

	memset(b, 0, 48);
	memcpy(b, sr, 4);
	b[4] = (uint8_t)(SSRC >> 24);
	b[5] = (uint8_t)(SSRC >> 16);
	b[6] = (uint8_t)(SSRC >> 8);
	b[7] = (uint8_t)SSRC;
	b[8] = (uint8_t)n;
	memcpy(b + 28, app, 4);
	memcpy(b + 32, b + 4, 4);
	memcpy(b + 36, "TEST", 4);
	b[40] = (uint8_t)(n * 3);
	return 48;
}

/* libsrtp's own types again: what Debian's package ships. */
static void stock_types(void)
{
	assert_int_equal(srtp_shutdown(), srtp_err_status_ok);
	assert_int_equal(srtp_init(), srtp_err_status_ok);
}

static void our_types(void)
{
	unsigned n = 0;

	assert_int_equal(sift_srtp_ossl_register(&n), SIFT_OK);
	assert_int_equal(n, SIFT_SRTP_OSSL_TYPES);
}

/* ---- the types against their vectors ----------------------------------- */

static void test_self_tests(void **state)
{
	static const unsigned ids[] = {
		SRTP_AES_ICM_128, SRTP_AES_ICM_192, SRTP_AES_ICM_256,
		SRTP_AES_GCM_128, SRTP_AES_GCM_256
	};

	(void)state;
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		const srtp_cipher_type_t *t = sift_srtp_ossl_cipher_type(ids[i]);

		assert_non_null(t);
		assert_int_equal(t->id, ids[i]);
		assert_non_null(t->test_data);
		assert_int_equal(srtp_cipher_type_self_test(t), srtp_err_status_ok);
	}
	assert_null(sift_srtp_ossl_cipher_type(SRTP_NULL_CIPHER));
	assert_int_equal(srtp_auth_type_self_test(sift_srtp_ossl_auth_type()),
			 srtp_err_status_ok);
	/* sift_srtp_init() put all of them in. */
	assert_null(sift_srtp_crypto_note());
}

/* A vector with one byte wrong fails: the self test can tell. */
static void test_wrong_vector_fails(void **state)
{
	const srtp_cipher_type_t *icm = sift_srtp_ossl_cipher_type(SRTP_AES_ICM_128);
	const srtp_cipher_type_t *gcm = sift_srtp_ossl_cipher_type(SRTP_AES_GCM_256);
	const srtp_auth_type_t *hm = sift_srtp_ossl_auth_type();
	srtp_cipher_test_case_t c;
	srtp_auth_test_case_t a;
	uint8_t bad[128];

	(void)state;
	c = *icm->test_data;
	c.next_test_case = NULL;
	memcpy(bad, c.ciphertext, c.ciphertext_length_octets);
	bad[5] ^= 0x40;
	c.ciphertext = bad;
	assert_int_not_equal(srtp_cipher_type_test(icm, &c), srtp_err_status_ok);

	c = *gcm->test_data;
	c.next_test_case = NULL;
	memcpy(bad, c.ciphertext, c.ciphertext_length_octets);
	bad[c.ciphertext_length_octets - 1] ^= 1;          /* the tag */
	c.ciphertext = bad;
	assert_int_not_equal(srtp_cipher_type_test(gcm, &c), srtp_err_status_ok);

	a = *hm->test_data;
	a.next_test_case = NULL;
	memcpy(bad, a.tag, (size_t)a.tag_length_octets);
	bad[0] ^= 0x80;
	a.tag = bad;
	assert_int_not_equal(srtp_auth_type_test(hm, &a), srtp_err_status_ok);
}

/* RFC 3711 B.2 keystream, written here, taken in uneven pieces: the
 * keystream runs on across encrypt calls and a zero length works. */
static void test_icm_pieces(void **state)
{
	static const uint8_t key[30] = {
		0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6, 0xab, 0xf7,
		0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c, 0xf0, 0xf1, 0xf2, 0xf3,
		0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd
	};
	static const uint8_t ks[32] = {
		0xe0, 0x3e, 0xad, 0x09, 0x35, 0xc9, 0x5e, 0x80,
		0xe1, 0x66, 0xb1, 0x6d, 0xd9, 0x2b, 0x4e, 0xb4,
		0xd2, 0x35, 0x13, 0x16, 0x2b, 0x02, 0xd0, 0xf7,
		0x2a, 0x43, 0xa2, 0xfe, 0x4a, 0x5f, 0x97, 0xab
	};
	const srtp_cipher_type_t *t = sift_srtp_ossl_cipher_type(SRTP_AES_ICM_128);
	srtp_cipher_t *c = NULL;
	uint8_t iv[16] = { 0 }, buf[32] = { 0 };
	unsigned n;

	(void)state;
	assert_int_equal(t->alloc(&c, 30, 0), srtp_err_status_ok);
	assert_ptr_equal(c->type, t);
	assert_int_equal(c->algorithm, SRTP_AES_ICM_128);
	assert_int_equal(c->key_len, 30);
	assert_int_equal(t->init(c->state, key), srtp_err_status_ok);
	for (int round = 0; round < 2; round++) {
		memset(buf, 0, sizeof(buf));
		assert_int_equal(t->set_iv(c->state, iv, srtp_direction_encrypt),
				 srtp_err_status_ok);
		n = 0;
		assert_int_equal(t->encrypt(c->state, buf, &n), srtp_err_status_ok);
		n = 7;
		assert_int_equal(t->encrypt(c->state, buf, &n), srtp_err_status_ok);
		n = 25;
		assert_int_equal(t->encrypt(c->state, buf + 7, &n), srtp_err_status_ok);
		assert_memory_equal(buf, ks, sizeof(ks));
	}
	/* Keystream block 1 is block 0 of the IV whose counter is one more. */
	iv[15] = 1;
	memset(buf, 0, sizeof(buf));
	assert_int_equal(t->set_iv(c->state, iv, srtp_direction_decrypt),
			 srtp_err_status_ok);
	n = 16;
	assert_int_equal(t->decrypt(c->state, buf, &n), srtp_err_status_ok);
	assert_memory_equal(buf, ks + 16, 16);
	assert_int_equal(t->dealloc(c), srtp_err_status_ok);
	/* Wrong key lengths are refused. */
	assert_int_equal(t->alloc(&c, 16, 0), srtp_err_status_bad_param);
	assert_int_equal(t->alloc(&c, 46, 0), srtp_err_status_bad_param);
}

/* GCM: a wrong tag is auth_fail, a right one decrypts; 8-byte tags. */
static void test_gcm_tag(void **state)
{
	const srtp_cipher_type_t *t = sift_srtp_ossl_cipher_type(SRTP_AES_GCM_128);
	srtp_cipher_t *c = NULL;
	uint8_t key[28], iv[12], aad[12], plain[40], buf[64];
	uint32_t tl = 0;
	unsigned n;

	(void)state;
	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i * 7);
	memset(iv, 0x5a, sizeof(iv));
	memset(aad, 0x33, sizeof(aad));
	for (size_t i = 0; i < sizeof(plain); i++)
		plain[i] = (uint8_t)i;
	for (int tag = 8; tag <= 16; tag += 8) {
		assert_int_equal(t->alloc(&c, 28, tag), srtp_err_status_ok);
		assert_int_equal(t->init(c->state, key), srtp_err_status_ok);
		memcpy(buf, plain, sizeof(plain));
		assert_int_equal(t->set_iv(c->state, iv, srtp_direction_encrypt), 0);
		/* The AAD in two pieces, as SRTCP gives it. */
		assert_int_equal(t->set_aad(c->state, aad, 8), 0);
		assert_int_equal(t->set_aad(c->state, aad + 8, 4), 0);
		n = sizeof(plain);
		assert_int_equal(t->encrypt(c->state, buf, &n), 0);
		assert_int_equal(t->get_tag(c->state, buf + n, &tl), 0);
		assert_int_equal(tl, (uint32_t)tag);
		assert_memory_not_equal(buf, plain, sizeof(plain));
		for (int flip = 0; flip < 2; flip++) {
			uint8_t copy[64];

			memcpy(copy, buf, sizeof(plain) + (size_t)tag);
			if (flip)
				copy[sizeof(plain) + (size_t)tag - 1] ^= 1;
			assert_int_equal(t->set_iv(c->state, iv, srtp_direction_decrypt), 0);
			assert_int_equal(t->set_aad(c->state, aad, 12), 0);
			n = (unsigned)(sizeof(plain) + (size_t)tag);
			if (flip) {
				assert_int_equal(t->decrypt(c->state, copy, &n),
						 srtp_err_status_auth_fail);
			} else {
				assert_int_equal(t->decrypt(c->state, copy, &n), 0);
				assert_int_equal(n, sizeof(plain));
				assert_memory_equal(copy, plain, sizeof(plain));
			}
		}
		/* Shorter than the tag: refused. */
		n = (unsigned)tag - 1;
		assert_int_equal(t->set_iv(c->state, iv, srtp_direction_decrypt), 0);
		assert_int_not_equal(t->decrypt(c->state, buf, &n), srtp_err_status_ok);
		assert_int_equal(t->dealloc(c), srtp_err_status_ok);
	}
	assert_int_equal(t->alloc(&c, 28, 12), srtp_err_status_bad_param);
	assert_int_equal(t->alloc(&c, 16, 16), srtp_err_status_bad_param);
}

/* RFC 2202 case 2 through start/update/compute in pieces, twice on one
 * key (the key is re-used), and truncated to 4 bytes. */
static void test_hmac_pieces(void **state)
{
	static const uint8_t tag2[20] = {
		0xef, 0xfc, 0xdf, 0x6a, 0xe5, 0xeb, 0x2f, 0xa2, 0xd2, 0x74,
		0x16, 0xd5, 0xf1, 0x84, 0xdf, 0x9c, 0x25, 0x9a, 0x7c, 0x79
	};
	static const char msg[] = "what do ya want for nothing?";
	const srtp_auth_type_t *t = sift_srtp_ossl_auth_type();
	srtp_auth_t *a = NULL;
	uint8_t out[20];

	(void)state;
	assert_int_equal(t->alloc(&a, 4, 20), srtp_err_status_ok);
	assert_int_equal(a->prefix_len, 0);
	assert_int_equal(t->init(a->state, (const uint8_t *)"Jefe", 4), 0);
	for (int round = 0; round < 3; round++) {
		memset(out, 0, sizeof(out));
		assert_int_equal(t->start(a->state), 0);
		assert_int_equal(t->update(a->state, (const uint8_t *)msg, 10), 0);
		assert_int_equal(t->update(a->state, (const uint8_t *)msg + 10, 0), 0);
		assert_int_equal(t->compute(a->state, (const uint8_t *)msg + 10,
					    (int)strlen(msg) - 10, round == 2 ? 4 : 20,
					    out), 0);
		assert_memory_equal(out, tag2, round == 2 ? 4 : 20);
	}
	assert_int_equal(t->dealloc(a), srtp_err_status_ok);
	assert_int_equal(t->alloc(&a, 20, 21), srtp_err_status_bad_param);
}

/* ---- stock against ours ------------------------------------------------ */

/* Stock and our senders give the same bytes for every packet, across the
 * 16-bit wrap; each side's receiver (libsrtp's with stock types, our
 * sift_srtp stream with ours) decrypts the other's packets, and rejects
 * them when a byte is changed. */
static void cross(enum sift_srtp_suite suite, size_t tag)
{
	struct sift_srtp_key k;
	struct sift_srtp_stream *st;
	srtp_t stx, srx, otx;
	uint64_t before;
	uint32_t p1[BUF / 4], p2[BUF / 4], plain[BUF / 4];
	uint8_t out[BUF];
	size_t outlen;
	uint16_t seq = 65530;

	make_key(&k, suite, 0);
	stock_types();
	before = sift_srtp_ossl_allocs();
	stx = session(&k, false);
	srx = session(&k, true);
	assert_int_equal(sift_srtp_ossl_allocs(), before);
	our_types();
	otx = session(&k, false);
	assert_true(sift_srtp_ossl_allocs() > before);
	st = sift_srtp_stream_new(SSRC, false);
	assert_non_null(st);

	for (int i = 0; i < 14; i++, seq++) {
		size_t pn = rtp_plain((uint8_t *)plain, seq);
		int l1 = (int)pn, l2 = (int)pn, l;

		memcpy(p1, plain, pn);
		memcpy(p2, plain, pn);
		assert_int_equal(srtp_protect(stx, p1, &l1), srtp_err_status_ok);
		assert_int_equal(srtp_protect(otx, p2, &l2), srtp_err_status_ok);
		assert_int_equal(l1, (int)(pn + tag));
		assert_int_equal(l2, l1);
		assert_memory_equal(p1, p2, (size_t)l1);
		assert_memory_not_equal((uint8_t *)p1 + 12, (uint8_t *)plain + 12, PAYLOAD);

		/* Stock-protected, tampered, through ours: refused. */
		memcpy(out, p1, (size_t)l1);
		out[i % 2 ? 20 : (size_t)l1 - 1] ^= 0x10;
		outlen = 7;
		assert_int_equal(sift_srtp_unprotect(st, &k, 1, 1, out, (size_t)l1,
						     out + 512, &outlen),
				 SIFT_SRTP_AUTH_FAIL);
		assert_int_equal(outlen, 0);
		/* Stock-protected through ours. */
		outlen = 0;
		assert_int_equal(sift_srtp_unprotect(st, &k, 1, 1, (uint8_t *)p1,
						     (size_t)l1, out, &outlen),
				 SIFT_SRTP_OK);
		assert_int_equal(outlen, pn);
		assert_memory_equal(out, plain, pn);

		/* Ours-protected through stock; tampered first: refused. */
		memcpy(out, p2, (size_t)l2);
		out[30] ^= 1;
		l = l2;
		assert_int_not_equal(srtp_unprotect(srx, out, &l), srtp_err_status_ok);
		l = l2;
		assert_int_equal(srtp_unprotect(srx, p2, &l), srtp_err_status_ok);
		assert_int_equal(l, (int)pn);
		assert_memory_equal(p2, plain, pn);
	}
	/* Past the wrap: ROC 1 on both sides. */
	assert_int_equal(sift_srtp_stream_roc(st), 1);
	assert_int_equal(sift_srtp_stream_stats(st)->decrypted, 14);
	assert_int_equal(sift_srtp_stream_stats(st)->auth_failures, 14);

	/* SRTCP: same bytes from both senders, and stock opens ours. */
	for (unsigned i = 0; i < 3; i++) {
		size_t pn = rtcp_plain((uint8_t *)plain, i);
		int l1 = (int)pn, l2 = (int)pn;

		memcpy(p1, plain, pn);
		memcpy(p2, plain, pn);
		assert_int_equal(srtp_protect_rtcp(stx, p1, &l1), srtp_err_status_ok);
		assert_int_equal(srtp_protect_rtcp(otx, p2, &l2), srtp_err_status_ok);
		assert_int_equal(l1, l2);
		assert_memory_equal(p1, p2, (size_t)l1);
		assert_int_equal(srtp_unprotect_rtcp(srx, p2, &l2), srtp_err_status_ok);
		assert_int_equal(l2, (int)pn);
		assert_memory_equal(p2, plain, pn);
	}
	sift_srtp_stream_free(st);
	srtp_dealloc(stx);
	srtp_dealloc(srx);
	srtp_dealloc(otx);
}

static void test_cross_cm128_80(void **state)
{
	(void)state;
	cross(SIFT_SUITE_AES_CM_128_HMAC_SHA1_80, 10);
}

static void test_cross_cm128_32(void **state)
{
	(void)state;
	cross(SIFT_SUITE_AES_CM_128_HMAC_SHA1_32, 4);
}

static void test_cross_cm256_80(void **state)
{
	(void)state;
	cross(SIFT_SUITE_AES_256_CM_HMAC_SHA1_80, 10);
}

static void test_cross_gcm128(void **state)
{
	(void)state;
	cross(SIFT_SUITE_AEAD_AES_128_GCM, 16);
}

static void test_cross_gcm256(void **state)
{
	(void)state;
	cross(SIFT_SUITE_AEAD_AES_256_GCM, 16);
}

/* ---- sessions made once ------------------------------------------------ */

/* Packets no candidate opens cost no new session after the first; a new
 * candidate costs one; once a key is chosen no trial runs again. */
static void test_trial_sessions_reused(void **state)
{
	struct sift_srtp_key k[3];
	struct sift_srtp_stream *st;
	srtp_t tx;
	uint32_t p[BUF / 4];
	uint8_t out[BUF];
	size_t outlen;
	uint64_t a0, a1;

	(void)state;
	make_key(&k[0], SIFT_SUITE_AES_CM_128_HMAC_SHA1_80, 1);
	make_key(&k[1], SIFT_SUITE_AEAD_AES_128_GCM, 2);
	make_key(&k[2], SIFT_SUITE_AES_CM_128_HMAC_SHA1_80, 0);
	tx = session(&k[2], false);
	st = sift_srtp_stream_new(SSRC, false);
	for (uint16_t seq = 100; seq < 110; seq++) {
		int l = (int)rtp_plain((uint8_t *)p, seq);

		assert_int_equal(srtp_protect(tx, p, &l), srtp_err_status_ok);
		a0 = sift_srtp_ossl_allocs();
		/* Two wrong keys until seq 104, then the right one too. */
		assert_int_equal(sift_srtp_unprotect(st, k, seq < 104 ? 2 : 3, 2,
						     (uint8_t *)p, (size_t)l, out,
						     &outlen),
				 seq < 104 ? SIFT_SRTP_AUTH_FAIL : SIFT_SRTP_OK);
		a1 = sift_srtp_ossl_allocs();
		if (seq == 100 || seq == 104)
			assert_true(a1 > a0);      /* sessions made */
		else
			assert_int_equal(a1, a0);  /* re-used, or chosen */
	}
	assert_int_equal(sift_srtp_stream_key(st), 2);
	assert_int_equal(sift_srtp_stream_stats(st)->decrypted, 6);
	assert_int_equal(sift_srtp_stream_stats(st)->auth_failures, 4);
	sift_srtp_stream_free(st);
	srtp_dealloc(tx);
}

/* ---- the replay window -------------------------------------------------- */

struct sched {
	uint64_t at;            /* order of delivery */
	uint32_t idx;           /* packet */
};

static int sched_cmp(const void *a, const void *b)
{
	const struct sched *x = a, *y = b;

	return x->at < y->at ? -1 : x->at > y->at;
}

/* A libsrtp session with one 0x7fff window and our stream (short libsrtp
 * window plus its own deep one) give the same verdict for every packet of
 * a stream with late packets (up to 40000 behind), duplicates near and
 * far (2^15 behind exactly is the edge of libsrtp's index guess), tampered
 * packets and two sequence wraps. */
static void deep_window(enum sift_srtp_suite suite)
{
	enum { N = 75000, SLOTB = 200 };
	static const uint32_t late[] = { 3, 700, 1500, 5000, 20000, 32000, 33000, 40000 };
	static const uint32_t dup[] = { 0, 10, 1100, 3000, 30000, 32766, 32768, 50000 };
	struct sift_srtp_key k;
	struct sift_srtp_stream *st;
	struct sched *sc = calloc(3 * N, sizeof(*sc));
	uint32_t *pk = calloc(N, SLOTB);
	uint16_t *pl = calloc(N, sizeof(*pl));
	size_t ns = 0, deep_ok = 0, deep_replay = 0, old = 0, ok = 0;
	srtp_policy_t p;
	srtp_t tx, ref = NULL;
	uint64_t hi = 0;

	assert_non_null(sc);
	assert_non_null(pk);
	assert_non_null(pl);
	make_key(&k, suite, 3);
	tx = session(&k, false);
	for (uint32_t i = 0; i < N; i++) {
		uint8_t *b = (uint8_t *)pk + (size_t)i * SLOTB;
		int l = (int)rtp_plain(b, (uint16_t)(60000u + i));

		b[5] = (uint8_t)i;      /* timestamp: tells packets apart */
		b[4] = (uint8_t)(i >> 8);
		assert_int_equal(srtp_protect(tx, (uint32_t *)(void *)b, &l),
				 srtp_err_status_ok);
		pl[i] = (uint16_t)l;
		/* Most in order; some late by up to 40000; some twice. */
		if (i % 997 == 500)
			sc[ns++] = (struct sched){ (uint64_t)(i + late[i % 8]) * 4 + 1, i };
		else
			sc[ns++] = (struct sched){ (uint64_t)i * 4, i };
		if (i % 1301 == 7)
			sc[ns++] = (struct sched){ (uint64_t)(i + dup[i % 8]) * 4 + 2, i };
	}
	qsort(sc, ns, sizeof(*sc), sched_cmp);
	memset(&p, 0, sizeof(p));
	{
		srtp_t tmp = session(&k, true);   /* the policy, checked */

		srtp_dealloc(tmp);
	}
	/* The reference: libsrtp with one 0x7fff window. */
	switch (suite) {
	case SIFT_SUITE_AEAD_AES_128_GCM:
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&p.rtp);
		break;
	default:
		srtp_crypto_policy_set_rtp_default(&p.rtp);
		break;
	}
	p.rtcp = p.rtp;
	p.ssrc.type = ssrc_specific;
	p.ssrc.value = SSRC;
	p.key = k.k.keysalt;
	p.window_size = 0x7fff;
	assert_int_equal(srtp_create(&ref, &p), srtp_err_status_ok);
	st = sift_srtp_stream_new(SSRC, false);
	for (size_t j = 0; j < ns; j++) {
		uint32_t i = sc[j].idx;
		uint32_t c[SLOTB / 4];
		uint8_t out[BUF];
		size_t outlen = 0;
		int l = pl[i];
		bool tamper = j % 2003 == 1000;
		srtp_err_status_t rs;
		enum sift_srtp_verdict want, got;

		memcpy(c, (uint8_t *)pk + (size_t)i * SLOTB, (size_t)l);
		if (tamper)
			((uint8_t *)c)[40] ^= 4;
		got = sift_srtp_unprotect(st, &k, 1, 0, (const uint8_t *)c, (size_t)l,
					  out, &outlen);
		rs = srtp_unprotect(ref, c, &l);
		want = rs == srtp_err_status_ok ? SIFT_SRTP_OK :
		       rs == srtp_err_status_replay_fail ||
		       rs == srtp_err_status_replay_old ? SIFT_SRTP_REPLAY :
		       SIFT_SRTP_AUTH_FAIL;
		if (got != want)
			fail_msg("packet %u (delivery %zu): ours %d, libsrtp 0x7fff %d",
				 i, j, (int)got, (int)rs);
		if (got == SIFT_SRTP_OK) {
			assert_int_equal(outlen, (size_t)l);
			assert_memory_equal(out, c, (size_t)l);
			ok++;
			if (i + 1024 < hi)
				deep_ok++;
			if (i > hi)
				hi = i;
		} else {
			if (got == SIFT_SRTP_REPLAY && i + 1024 < hi && i + 0x7fff >= hi)
				deep_replay++;
			/* Beyond the window: too old, or (more than 2^15 back)
			 * taken for a packet ahead that does not authenticate. */
			if (i + 0x7fff < hi)
				old++;
		}
	}
	/* Every path was taken. */
	assert_true(deep_ok > 5);
	assert_true(deep_replay > 3);
	assert_true(old > 3);
	assert_true(ok > N - 200);
	assert_int_equal(sift_srtp_stream_roc(st), 2);
	sift_srtp_stream_free(st);
	srtp_dealloc(ref);
	srtp_dealloc(tx);
	free(sc);
	free(pk);
	free(pl);
}

static void test_deep_window_cm(void **state)
{
	(void)state;
	deep_window(SIFT_SUITE_AES_CM_128_HMAC_SHA1_80);
}

static void test_deep_window_gcm(void **state)
{
	(void)state;
	deep_window(SIFT_SUITE_AEAD_AES_128_GCM);
}

static int group_setup(void **state)
{
	(void)state;
	return sift_srtp_init() == SIFT_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	return srtp_shutdown() == srtp_err_status_ok ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_self_tests),
		cmocka_unit_test(test_wrong_vector_fails),
		cmocka_unit_test(test_icm_pieces),
		cmocka_unit_test(test_gcm_tag),
		cmocka_unit_test(test_hmac_pieces),
		cmocka_unit_test(test_cross_cm128_80),
		cmocka_unit_test(test_cross_cm128_32),
		cmocka_unit_test(test_cross_cm256_80),
		cmocka_unit_test(test_cross_gcm128),
		cmocka_unit_test(test_cross_gcm256),
		cmocka_unit_test(test_trial_sessions_reused),
		cmocka_unit_test(test_deep_window_cm),
		cmocka_unit_test(test_deep_window_gcm),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
