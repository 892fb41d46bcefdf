/* Unit tests for SRTP/SRTCP decryption (src/srtp.c). Packets are protected
 * here with libsrtp2 itself (the sender side), then unprotected through our
 * wrapper; one fixed vector (libsrtp's srtp_driver AES_CM_128_HMAC_SHA1_80
 * packet for SSRC 0xcafebabe) checks the ciphertext byte for byte. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include <srtp2/srtp.h>

#include "media/srtp.h"

#define SSRC 0xcafebabeu
#define PLAIN_PAYLOAD 40
#define BUF 1500

/* libsrtp's test master key||salt (srtp_driver, rtpw). */
static const char test_key_b64[] = "4fl6DT4Bi+DWT6MsBt5BOQ7Gda1Jiv7rtpYLOqvm";

static int b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static size_t b64dec(const char *s, uint8_t *out, size_t cap)
{
	unsigned acc = 0, bits = 0;
	size_t n = 0;

	for (; *s && *s != '='; s++) {
		int v = b64val(*s);

		assert_true(v >= 0);
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			assert_true(n < cap);
			out[n++] = (uint8_t)(acc >> bits);
		}
	}
	return n;
}

static size_t ks_len(enum sift_srtp_suite s)
{
	switch (s) {
	case SIFT_SUITE_AES_CM_128_HMAC_SHA1_80:
	case SIFT_SUITE_AES_CM_128_HMAC_SHA1_32:
		return 30;
	case SIFT_SUITE_AES_192_CM_HMAC_SHA1_80:
	case SIFT_SUITE_AES_192_CM_HMAC_SHA1_32:
		return 38;
	case SIFT_SUITE_AES_256_CM_HMAC_SHA1_80:
	case SIFT_SUITE_AES_256_CM_HMAC_SHA1_32:
		return 46;
	case SIFT_SUITE_AEAD_AES_128_GCM:
		return 28;
	case SIFT_SUITE_AEAD_AES_256_GCM:
		return 44;
	default:
		return 0;
	}
}

/* The test key, stretched for longer suites; variant != 0 gives another
 * key of the same suite. */
static void make_key(struct sift_srtp_key *k, enum sift_srtp_suite suite,
		     uint8_t variant)
{
	uint8_t base[32];
	size_t nb = b64dec(test_key_b64, base, sizeof(base));

	assert_int_equal(nb, 30);
	memset(k, 0, sizeof(*k));
	k->suite = suite;
	k->k.len = ks_len(suite);
	for (size_t i = 0; i < k->k.len; i++)
		k->k.keysalt[i] = (uint8_t)(base[i % nb] + i / nb + variant);
}

/* The sender's policy, built without our code. */
static void sender_policy(srtp_policy_t *p, const struct sift_srtp_key *k)
{
	memset(p, 0, sizeof(*p));
	switch (k->suite) {
	case SIFT_SUITE_AES_CM_128_HMAC_SHA1_80:
		srtp_crypto_policy_set_rtp_default(&p->rtp);
		srtp_crypto_policy_set_rtp_default(&p->rtcp);
		break;
	case SIFT_SUITE_AES_CM_128_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&p->rtp);
		srtp_crypto_policy_set_rtp_default(&p->rtcp);
		break;
	case SIFT_SUITE_AES_192_CM_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_192_hmac_sha1_80(&p->rtp);
		srtp_crypto_policy_set_aes_cm_192_hmac_sha1_80(&p->rtcp);
		break;
	case SIFT_SUITE_AES_192_CM_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_192_hmac_sha1_32(&p->rtp);
		srtp_crypto_policy_set_aes_cm_192_hmac_sha1_80(&p->rtcp);
		break;
	case SIFT_SUITE_AES_256_CM_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&p->rtp);
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&p->rtcp);
		break;
	case SIFT_SUITE_AES_256_CM_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_32(&p->rtp);
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&p->rtcp);
		break;
	case SIFT_SUITE_AEAD_AES_128_GCM:
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&p->rtp);
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&p->rtcp);
		break;
	case SIFT_SUITE_AEAD_AES_256_GCM:
		srtp_crypto_policy_set_aes_gcm_256_16_auth(&p->rtp);
		srtp_crypto_policy_set_aes_gcm_256_16_auth(&p->rtcp);
		break;
	default:
		fail();
	}
	if (k->unencrypted_srtp)
		p->rtp.sec_serv = sec_serv_auth;
	if (k->unauthenticated_srtp) {
		srtp_crypto_policy_set_aes_cm_128_null_auth(&p->rtp);
		assert_int_equal(k->suite, SIFT_SUITE_AES_CM_128_HMAC_SHA1_80);
	}
	if (k->unencrypted_srtcp)
		p->rtcp.sec_serv = sec_serv_auth;
	p->ssrc.type = ssrc_any_outbound;
	p->key = (unsigned char *)(uintptr_t)k->k.keysalt;
	p->window_size = 128;
}

static srtp_t sender(const struct sift_srtp_key *k)
{
	srtp_policy_t p;
	srtp_t s = NULL;

	sender_policy(&p, k);
	assert_int_equal(srtp_create(&s, &p), srtp_err_status_ok);
	return s;
}

/* A plain RTP packet: seq-dependent payload, returns its length. */
static size_t rtp_plain(uint8_t *b, uint16_t seq, uint32_t ssrc)
{
	b[0] = 0x80;
	b[1] = 0x00;
	b[2] = (uint8_t)(seq >> 8);
	b[3] = (uint8_t)seq;
	b[4] = 0;
	b[5] = 0;
	b[6] = (uint8_t)(seq >> 8);
	b[7] = (uint8_t)seq;
	b[8] = (uint8_t)(ssrc >> 24);
	b[9] = (uint8_t)(ssrc >> 16);
	b[10] = (uint8_t)(ssrc >> 8);
	b[11] = (uint8_t)ssrc;
	for (int i = 0; i < PLAIN_PAYLOAD; i++)
		b[12 + i] = (uint8_t)(seq * 7 + i);
	return 12 + PLAIN_PAYLOAD;
}

/* A packet both as sent and as protected. */
struct pp {
	uint8_t plain[BUF];
	size_t pn;
	uint32_t cbuf[BUF / 4];
	size_t cn;
};

static const uint8_t *cipher(const struct pp *x)
{
	return (const uint8_t *)x->cbuf;
}

static void protect_rtp(srtp_t s, uint16_t seq, struct pp *x)
{
	int len;

	x->pn = rtp_plain(x->plain, seq, SSRC);
	memcpy(x->cbuf, x->plain, x->pn);
	len = (int)x->pn;
	assert_int_equal(srtp_protect(s, x->cbuf, &len), srtp_err_status_ok);
	x->cn = (size_t)len;
}

/* Unprotects x through the wrapper and checks the plaintext comes back. */
static void expect_ok(struct sift_srtp_stream *st, const struct sift_srtp_key *c,
		      size_t nc, uint32_t max_roc, const struct pp *x)
{
	uint8_t out[BUF];
	size_t outlen = 0;

	assert_int_equal(sift_srtp_unprotect(st, c, nc, max_roc, cipher(x), x->cn,
					     out, &outlen), SIFT_SRTP_OK);
	assert_int_equal(outlen, x->pn);
	assert_memory_equal(out, x->plain, x->pn);
}

static enum sift_srtp_verdict unprotect(struct sift_srtp_stream *st,
					const struct sift_srtp_key *c, size_t nc,
					uint32_t max_roc, const struct pp *x)
{
	uint8_t out[BUF];
	size_t outlen = 99;
	enum sift_srtp_verdict v;

	v = sift_srtp_unprotect(st, c, nc, max_roc, cipher(x), x->cn, out, &outlen);
	if (v != SIFT_SRTP_OK)
		assert_int_equal(outlen, 0);
	return v;
}

static void roundtrip(enum sift_srtp_suite suite, size_t tag)
{
	struct sift_srtp_key k;
	struct sift_srtp_stream *st;
	srtp_t s;
	struct pp x;

	make_key(&k, suite, 0);
	s = sender(&k);
	st = sift_srtp_stream_new(SSRC, false);
	assert_non_null(st);
	assert_int_equal(sift_srtp_stream_key(st), -1);
	for (uint16_t seq = 1000; seq < 1005; seq++) {
		protect_rtp(s, seq, &x);
		assert_int_equal(x.cn, x.pn + tag);
		/* Encrypted: the payload on the wire is not the plaintext. */
		assert_memory_not_equal(cipher(&x) + 12, x.plain + 12, PLAIN_PAYLOAD);
		expect_ok(st, &k, 1, 3, &x);
	}
	assert_int_equal(sift_srtp_stream_key(st), 0);
	assert_int_equal(sift_srtp_stream_roc(st), 0);
	assert_int_equal(sift_srtp_stream_stats(st)->decrypted, 5);
	assert_int_equal(sift_srtp_stream_stats(st)->auth_failures, 0);
	assert_int_equal(sift_srtp_stream_stats(st)->replay_drops, 0);
	sift_srtp_stream_free(st);
	srtp_dealloc(s);
}

static void test_cm128_80(void **state)
{
	(void)state;
	roundtrip(SIFT_SUITE_AES_CM_128_HMAC_SHA1_80, 10);
}

static void test_cm128_32(void **state)
{
	(void)state;
	roundtrip(SIFT_SUITE_AES_CM_128_HMAC_SHA1_32, 4);
}

static void test_cm192_80(void **state)
{
	(void)state;
	roundtrip(SIFT_SUITE_AES_192_CM_HMAC_SHA1_80, 10);
}

static void test_cm192_32(void **state)
{
	(void)state;
	roundtrip(SIFT_SUITE_AES_192_CM_HMAC_SHA1_32, 4);
}

static void test_cm256_80(void **state)
{
	(void)state;
	roundtrip(SIFT_SUITE_AES_256_CM_HMAC_SHA1_80, 10);
}

static void test_cm256_32(void **state)
{
	(void)state;
	roundtrip(SIFT_SUITE_AES_256_CM_HMAC_SHA1_32, 4);
}

static void test_gcm128(void **state)
{
	(void)state;
	roundtrip(SIFT_SUITE_AEAD_AES_128_GCM, 16);
}

static void test_gcm256(void **state)
{
	(void)state;
	roundtrip(SIFT_SUITE_AEAD_AES_256_GCM, 16);
}

/* libsrtp test/srtp_driver.c, srtp_validate(): AES_CM_128_HMAC_SHA1_80
 * with the test key, SSRC 0xcafebabe, seq 0x1234, 16 bytes of 0xab. */
static const uint8_t kat_plain[28] = {
	0x80, 0x0f, 0x12, 0x34, 0xde, 0xca, 0xfb, 0xad,
	0xca, 0xfe, 0xba, 0xbe, 0xab, 0xab, 0xab, 0xab,
	0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab,
	0xab, 0xab, 0xab, 0xab,
};
static const uint8_t kat_cipher[38] = {
	0x80, 0x0f, 0x12, 0x34, 0xde, 0xca, 0xfb, 0xad,
	0xca, 0xfe, 0xba, 0xbe, 0x4e, 0x55, 0xdc, 0x4c,
	0xe7, 0x99, 0x78, 0xd8, 0x8c, 0xa4, 0xd2, 0x15,
	0x94, 0x9d, 0x24, 0x02, 0xb7, 0x8d, 0x6a, 0xcc,
	0x99, 0xea, 0x17, 0x9b, 0x8d, 0xbb,
};

static void test_known_vector(void **state)
{
	struct sift_srtp_key k;
	struct sift_srtp_stream *st;
	srtp_t s;
	uint32_t buf[16];
	uint8_t out[64];
	size_t outlen = 0;
	int len = sizeof(kat_plain);

	(void)state;
	make_key(&k, SIFT_SUITE_AES_CM_128_HMAC_SHA1_80, 0);
	/* libsrtp itself gives the published ciphertext... */
	s = sender(&k);
	memcpy(buf, kat_plain, sizeof(kat_plain));
	assert_int_equal(srtp_protect(s, buf, &len), srtp_err_status_ok);
	assert_int_equal(len, sizeof(kat_cipher));
	assert_memory_equal(buf, kat_cipher, sizeof(kat_cipher));
	srtp_dealloc(s);
	/* ...and the wrapper turns the published ciphertext back. */
	st = sift_srtp_stream_new(SSRC, false);
	assert_int_equal(sift_srtp_unprotect(st, &k, 1, 0, kat_cipher,
					     sizeof(kat_cipher), out, &outlen),
			 SIFT_SRTP_OK);
	assert_int_equal(outlen, sizeof(kat_plain));
	assert_memory_equal(out, kat_plain, sizeof(kat_plain));
	sift_srtp_stream_free(st);
}

/* The capture starts after the sequence number wrapped: ROC is 1. */
static void late_join(enum sift_srtp_suite suite)
{
	struct sift_srtp_key k;
	struct sift_srtp_stream *st, *st0;
	srtp_t s;
	struct pp after[4], x;

	make_key(&k, suite, 0);
	s = sender(&k);
	for (uint32_t seq = 65000; seq <= 65535; seq++)
		protect_rtp(s, (uint16_t)seq, &x);
	for (uint16_t i = 0; i < 4; i++)
		protect_rtp(s, (uint16_t)(10 + i), &after[i]);

	st0 = sift_srtp_stream_new(SSRC, false);
	assert_int_equal(unprotect(st0, &k, 1, 0, &after[0]), SIFT_SRTP_AUTH_FAIL);
	assert_int_equal(unprotect(st0, &k, 1, 0, &after[1]), SIFT_SRTP_AUTH_FAIL);
	assert_int_equal(sift_srtp_stream_stats(st0)->auth_failures, 2);
	assert_int_equal(sift_srtp_stream_key(st0), -1);
	sift_srtp_stream_free(st0);

	st = sift_srtp_stream_new(SSRC, false);
	for (int i = 0; i < 4; i++)
		expect_ok(st, &k, 1, 3, &after[i]);
	assert_int_equal(sift_srtp_stream_roc(st), 1);
	assert_int_equal(sift_srtp_stream_key(st), 0);
	assert_int_equal(sift_srtp_stream_stats(st)->decrypted, 4);
	assert_int_equal(sift_srtp_stream_stats(st)->auth_failures, 0);
	sift_srtp_stream_free(st);
	srtp_dealloc(s);
}

static void test_late_join_cm(void **state)
{
	(void)state;
	late_join(SIFT_SUITE_AES_CM_128_HMAC_SHA1_80);
}

static void test_late_join_gcm(void **state)
{
	(void)state;
	late_join(SIFT_SUITE_AEAD_AES_128_GCM);
}

/* ROC 2 after 131072+ packets, and the stream keeps counting past a wrap
 * it sees. */
static void test_late_join_roc2_then_wrap(void **state)
{
	struct sift_srtp_key k;
	struct sift_srtp_stream *st;
	srtp_t s;
	struct pp x;

	(void)state;
	make_key(&k, SIFT_SUITE_AES_CM_128_HMAC_SHA1_32, 0);
	s = sender(&k);
	for (uint32_t i = 0; i < 2 * 65536 + 65530 - 1000; i++)
		protect_rtp(s, (uint16_t)(1000 + i), &x);
	st = sift_srtp_stream_new(SSRC, false);
	protect_rtp(s, 65530, &x);
	assert_int_equal(unprotect(st, &k, 1, 1, &x), SIFT_SRTP_AUTH_FAIL);
	expect_ok(st, &k, 1, 2, &x);
	assert_int_equal(sift_srtp_stream_roc(st), 2);
	for (uint32_t seq = 65531; seq < 65536 + 5; seq++) {
		protect_rtp(s, (uint16_t)seq, &x);
		expect_ok(st, &k, 1, 2, &x);
	}
	assert_int_equal(sift_srtp_stream_roc(st), 3);
	sift_srtp_stream_free(st);
	srtp_dealloc(s);
}

static void test_second_candidate(void **state)
{
	struct sift_srtp_key c[2];
	struct sift_srtp_stream *st;
	srtp_t s;
	struct pp x;

	(void)state;
	make_key(&c[0], SIFT_SUITE_AES_CM_128_HMAC_SHA1_80, 1);
	make_key(&c[1], SIFT_SUITE_AES_CM_128_HMAC_SHA1_80, 0);
	c[0].label = 10;
	c[1].label = 11;
	s = sender(&c[1]);
	st = sift_srtp_stream_new(SSRC, false);
	for (uint16_t seq = 5; seq < 9; seq++) {
		protect_rtp(s, seq, &x);
		expect_ok(st, c, 2, 1, &x);
		assert_int_equal(sift_srtp_stream_key(st), 1);
	}
	assert_int_equal(sift_srtp_stream_stats(st)->decrypted, 4);
	assert_int_equal(sift_srtp_stream_stats(st)->auth_failures, 0);
	sift_srtp_stream_free(st);
	srtp_dealloc(s);
}

static void test_wrong_key(void **state)
{
	struct sift_srtp_key good, bad;
	struct sift_srtp_stream *st;
	srtp_t s;
	struct pp x;

	(void)state;
	make_key(&good, SIFT_SUITE_AES_CM_128_HMAC_SHA1_80, 0);
	make_key(&bad, SIFT_SUITE_AES_CM_128_HMAC_SHA1_80, 3);
	s = sender(&good);
	st = sift_srtp_stream_new(SSRC, false);
	for (uint16_t seq = 100; seq < 110; seq++) {
		protect_rtp(s, seq, &x);
		assert_int_equal(unprotect(st, &bad, 1, 2, &x), SIFT_SRTP_AUTH_FAIL);
	}
	assert_int_equal(sift_srtp_stream_stats(st)->auth_failures, 10);
	assert_int_equal(sift_srtp_stream_stats(st)->decrypted, 0);
	assert_int_equal(sift_srtp_stream_key(st), -1);
	sift_srtp_stream_free(st);
	srtp_dealloc(s);
}

static void test_replay(void **state)
{
	struct sift_srtp_key k;
	struct sift_srtp_stream *st;
	srtp_t s;
	struct pp a, b;

	(void)state;
	make_key(&k, SIFT_SUITE_AES_CM_128_HMAC_SHA1_80, 0);
	s = sender(&k);
	st = sift_srtp_stream_new(SSRC, false);
	protect_rtp(s, 40, &a);
	protect_rtp(s, 41, &b);
	expect_ok(st, &k, 1, 0, &a);
	expect_ok(st, &k, 1, 0, &b);
	assert_int_equal(unprotect(st, &k, 1, 0, &a), SIFT_SRTP_REPLAY);
	assert_int_equal(unprotect(st, &k, 1, 0, &b), SIFT_SRTP_REPLAY);
	assert_int_equal(sift_srtp_stream_stats(st)->replay_drops, 2);
	assert_int_equal(sift_srtp_stream_stats(st)->auth_failures, 0);
	assert_int_equal(sift_srtp_stream_stats(st)->decrypted, 2);
	sift_srtp_stream_free(st);
	srtp_dealloc(s);
}

/* After a key is chosen, a damaged packet fails without losing the key. */
static void test_chosen_key_survives(void **state)
{
	struct sift_srtp_key k;
	struct sift_srtp_stream *st;
	srtp_t s;
	struct pp x;

	(void)state;
	make_key(&k, SIFT_SUITE_AEAD_AES_256_GCM, 0);
	s = sender(&k);
	st = sift_srtp_stream_new(SSRC, false);
	protect_rtp(s, 1, &x);
	expect_ok(st, &k, 1, 0, &x);
	protect_rtp(s, 2, &x);
	((uint8_t *)x.cbuf)[20] ^= 1;
	assert_int_equal(unprotect(st, &k, 1, 0, &x), SIFT_SRTP_AUTH_FAIL);
	assert_int_equal(sift_srtp_stream_key(st), 0);
	protect_rtp(s, 3, &x);
	/* The candidates given no longer matter once a key is chosen. */
	expect_ok(st, NULL, 0, 0, &x);
	assert_int_equal(sift_srtp_stream_stats(st)->auth_failures, 1);
	assert_int_equal(sift_srtp_stream_stats(st)->decrypted, 2);
	sift_srtp_stream_free(st);
	srtp_dealloc(s);
}

static void test_mki_two_keys(void **state)
{
	struct sift_srtp_key c[3];
	struct sift_srtp_stream *st;
	srtp_policy_t p;
	srtp_master_key_t mk[2], *mkp[2] = { &mk[0], &mk[1] };
	uint8_t mki0[2] = { 0, 1 }, mki1[2] = { 0, 2 };
	srtp_t s = NULL;
	struct pp x;

	(void)state;
	/* An unrelated key first, then one a=crypto line with MKIs 1 and 2. */
	make_key(&c[0], SIFT_SUITE_AES_CM_128_HMAC_SHA1_80, 9);
	make_key(&c[1], SIFT_SUITE_AES_CM_128_HMAC_SHA1_80, 0);
	make_key(&c[2], SIFT_SUITE_AES_CM_128_HMAC_SHA1_80, 1);
	c[0].label = 1;
	c[1].label = c[2].label = 2;
	c[1].k.has_mki = c[2].k.has_mki = true;
	c[1].k.mki = 1;
	c[2].k.mki = 2;
	c[1].k.mki_len = c[2].k.mki_len = 2;

	sender_policy(&p, &c[1]);
	p.key = NULL;
	mk[0].key = c[1].k.keysalt;
	mk[0].mki_id = mki0;
	mk[0].mki_size = 2;
	mk[1].key = c[2].k.keysalt;
	mk[1].mki_id = mki1;
	mk[1].mki_size = 2;
	p.keys = mkp;
	p.num_master_keys = 2;
	assert_int_equal(srtp_create(&s, &p), srtp_err_status_ok);

	st = sift_srtp_stream_new(SSRC, false);
	for (uint16_t seq = 0; seq < 6; seq++) {
		int len;

		x.pn = rtp_plain(x.plain, (uint16_t)(300 + seq), SSRC);
		memcpy(x.cbuf, x.plain, x.pn);
		len = (int)x.pn;
		/* Second key for packets 3.. (a sender switching MKI). */
		assert_int_equal(srtp_protect_mki(s, x.cbuf, &len, 1, seq < 3 ? 0 : 1),
				 srtp_err_status_ok);
		x.cn = (size_t)len;
		assert_int_equal(x.cn, x.pn + 2 + 10);
		assert_int_equal(((uint8_t *)x.cbuf)[x.pn + 1], seq < 3 ? 1 : 2);
		expect_ok(st, c, 3, 0, &x);
		assert_int_equal(sift_srtp_stream_key(st), 1);
	}
	assert_int_equal(sift_srtp_stream_stats(st)->decrypted, 6);
	sift_srtp_stream_free(st);

	/* Without the MKI in the candidate the trailer is misread. */
	c[1].k.has_mki = c[2].k.has_mki = false;
	st = sift_srtp_stream_new(SSRC, false);
	assert_int_equal(unprotect(st, c, 3, 0, &x), SIFT_SRTP_AUTH_FAIL);
	sift_srtp_stream_free(st);
	srtp_dealloc(s);
}

/* An SR + SDES compound, protected as SRTCP. */
static size_t rtcp_plain(uint8_t *b)
{
	static const uint8_t sr_sdes[] = {
		0x80, 200, 0, 6, 0xca, 0xfe, 0xba, 0xbe,
		0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5,
		0x81, 202, 0, 3, 0xca, 0xfe, 0xba, 0xbe,
		1, 4, 'a', 'b', 'c', 'd', 0, 0,
	};

	memcpy(b, sr_sdes, sizeof(sr_sdes));
	return sizeof(sr_sdes);
}

static void srtcp_roundtrip(enum sift_srtp_suite suite, bool unencrypted,
			    size_t tag)
{
	struct sift_srtp_key k;
	struct sift_srtp_stream *st;
	srtp_t s;
	struct pp x;

	make_key(&k, suite, 0);
	k.unencrypted_srtcp = unencrypted;
	s = sender(&k);
	st = sift_srtp_stream_new(SSRC, true);
	for (int i = 0; i < 3; i++) {
		int len;
		const uint8_t *c;

		x.pn = rtcp_plain(x.plain);
		x.plain[15] = (uint8_t)i;
		memcpy(x.cbuf, x.plain, x.pn);
		len = (int)x.pn;
		assert_int_equal(srtp_protect_rtcp(s, x.cbuf, &len), srtp_err_status_ok);
		x.cn = (size_t)len;
		c = cipher(&x);
		assert_int_equal(x.cn, x.pn + 4 + tag);
		/* The E flag, then index i + 1 (RFC 3711 §3.4). */
		if (suite == SIFT_SUITE_AEAD_AES_128_GCM ||
		    suite == SIFT_SUITE_AEAD_AES_256_GCM) {
			assert_int_equal(c[x.cn - 4] & 0x80, unencrypted ? 0 : 0x80);
			assert_int_equal(c[x.cn - 1], i + 1);
		} else {
			assert_int_equal(c[x.pn] & 0x80, unencrypted ? 0 : 0x80);
			assert_int_equal(c[x.pn + 3], i + 1);
		}
		if (unencrypted)
			assert_memory_equal(c, x.plain, x.pn);
		else
			assert_memory_not_equal(c + 8, x.plain + 8, x.pn - 8);
		expect_ok(st, &k, 1, 3, &x);
	}
	assert_int_equal(sift_srtp_stream_key(st), 0);
	assert_int_equal(sift_srtp_stream_stats(st)->decrypted, 3);
	/* The index replays like a sequence number. */
	assert_int_equal(unprotect(st, &k, 1, 3, &x), SIFT_SRTP_REPLAY);
	sift_srtp_stream_free(st);
	srtp_dealloc(s);
}

static void test_srtcp_cm80(void **state)
{
	(void)state;
	srtcp_roundtrip(SIFT_SUITE_AES_CM_128_HMAC_SHA1_80, false, 10);
}

static void test_srtcp_cm32_uses_80bit_tag(void **state)
{
	(void)state;
	srtcp_roundtrip(SIFT_SUITE_AES_CM_128_HMAC_SHA1_32, false, 10);
	srtcp_roundtrip(SIFT_SUITE_AES_256_CM_HMAC_SHA1_32, false, 10);
}

static void test_srtcp_gcm(void **state)
{
	(void)state;
	srtcp_roundtrip(SIFT_SUITE_AEAD_AES_128_GCM, false, 16);
}

static void test_srtcp_unencrypted(void **state)
{
	(void)state;
	srtcp_roundtrip(SIFT_SUITE_AES_CM_128_HMAC_SHA1_80, true, 10);
}

/* SRTCP with MKIs on a _32 suite: the MKI sits before an 80-bit tag, not
 * a 32-bit one (libsrtp 2.5.0 looked for it with the RTP tag length). */
static void test_srtcp_mki_cm32(void **state)
{
	struct sift_srtp_key c[2];
	struct sift_srtp_stream *st;
	srtp_policy_t p;
	srtp_master_key_t mk[2], *mkp[2] = { &mk[0], &mk[1] };
	uint8_t mki0[1] = { 1 }, mki1[1] = { 2 };
	srtp_t s = NULL;
	struct pp x;

	(void)state;
	make_key(&c[0], SIFT_SUITE_AES_CM_128_HMAC_SHA1_32, 0);
	make_key(&c[1], SIFT_SUITE_AES_CM_128_HMAC_SHA1_32, 1);
	for (int i = 0; i < 2; i++) {
		c[i].label = 4;
		c[i].k.has_mki = true;
		c[i].k.mki = (uint32_t)i + 1;
		c[i].k.mki_len = 1;
	}
	sender_policy(&p, &c[0]);
	p.key = NULL;
	mk[0] = (srtp_master_key_t){ c[0].k.keysalt, mki0, 1 };
	mk[1] = (srtp_master_key_t){ c[1].k.keysalt, mki1, 1 };
	p.keys = mkp;
	p.num_master_keys = 2;
	assert_int_equal(srtp_create(&s, &p), srtp_err_status_ok);
	st = sift_srtp_stream_new(SSRC, true);
	for (unsigned i = 0; i < 4; i++) {
		int len;

		x.pn = rtcp_plain(x.plain);
		x.plain[15] = (uint8_t)i;
		memcpy(x.cbuf, x.plain, x.pn);
		len = (int)x.pn;
		assert_int_equal(srtp_protect_rtcp_mki(s, x.cbuf, &len, 1, i & 1),
				 srtp_err_status_ok);
		x.cn = (size_t)len;
		assert_int_equal(x.cn, x.pn + 4 + 1 + 10);
		expect_ok(st, c, 2, 0, &x);
		assert_int_equal(sift_srtp_stream_key(st), 0);
	}
	sift_srtp_stream_free(st);
	srtp_dealloc(s);
}

static void test_unencrypted_srtp(void **state)
{
	struct sift_srtp_key k, plainkey;
	struct sift_srtp_stream *st;
	srtp_t s;
	struct pp x;

	(void)state;
	make_key(&k, SIFT_SUITE_AES_CM_128_HMAC_SHA1_80, 0);
	k.unencrypted_srtp = true;
	s = sender(&k);
	protect_rtp(s, 77, &x);
	assert_int_equal(x.cn, x.pn + 10);
	assert_memory_equal(cipher(&x), x.plain, x.pn);
	/* The same key without the parameter would decrypt the clear text. */
	plainkey = k;
	plainkey.unencrypted_srtp = false;
	st = sift_srtp_stream_new(SSRC, false);
	{
		uint8_t out[BUF];
		size_t outlen = 0;

		assert_int_equal(sift_srtp_unprotect(st, &plainkey, 1, 0, cipher(&x),
						     x.cn, out, &outlen), SIFT_SRTP_OK);
		assert_memory_not_equal(out + 12, x.plain + 12, PLAIN_PAYLOAD);
	}
	sift_srtp_stream_free(st);
	st = sift_srtp_stream_new(SSRC, false);
	expect_ok(st, &k, 1, 0, &x);
	sift_srtp_stream_free(st);
	srtp_dealloc(s);
}

static void test_unauthenticated_srtp(void **state)
{
	struct sift_srtp_key c[2];
	struct sift_srtp_stream *st;
	srtp_t s;
	struct pp x;

	(void)state;
	/* An authenticated candidate that is wrong comes first in the list,
	 * the unauthenticated one is tried after it. */
	make_key(&c[0], SIFT_SUITE_AES_CM_128_HMAC_SHA1_80, 5);
	make_key(&c[1], SIFT_SUITE_AES_CM_128_HMAC_SHA1_80, 0);
	c[1].unauthenticated_srtp = true;
	s = sender(&c[1]);
	protect_rtp(s, 500, &x);
	assert_int_equal(x.cn, x.pn);
	st = sift_srtp_stream_new(SSRC, false);
	expect_ok(st, c, 2, 2, &x);
	assert_int_equal(sift_srtp_stream_key(st), 1);
	sift_srtp_stream_free(st);
	srtp_dealloc(s);
}

static void test_bad_packets(void **state)
{
	struct sift_srtp_key k, bogus;
	struct sift_srtp_stream *st;
	srtp_t s;
	struct pp x;
	uint8_t out[BUF];
	size_t outlen;

	(void)state;
	make_key(&k, SIFT_SUITE_AES_CM_128_HMAC_SHA1_80, 0);
	s = sender(&k);
	protect_rtp(s, 9, &x);
	st = sift_srtp_stream_new(SSRC, false);
	/* Header and tag, but one byte short. */
	assert_int_equal(sift_srtp_unprotect(st, &k, 1, 0, cipher(&x), 12 + 9,
					     out, &outlen), SIFT_SRTP_BAD_PACKET);
	assert_int_equal(sift_srtp_unprotect(st, &k, 1, 0, cipher(&x), 5,
					     out, &outlen), SIFT_SRTP_BAD_PACKET);
	/* Exactly header and tag: a valid length, but not what was sent. */
	assert_int_equal(sift_srtp_unprotect(st, &k, 1, 0, cipher(&x), 12 + 10,
					     out, &outlen), SIFT_SRTP_AUTH_FAIL);
	assert_int_equal(sift_srtp_stream_stats(st)->auth_failures, 1);
	/* Not this stream's SSRC. */
	sift_srtp_stream_free(st);
	st = sift_srtp_stream_new(SSRC + 1, false);
	assert_int_equal(unprotect(st, &k, 1, 0, &x), SIFT_SRTP_BAD_PACKET);
	/* No candidate; only unusable candidates. */
	assert_int_equal(unprotect(st, &k, 0, 0, &x), SIFT_SRTP_NO_KEY);
	bogus = k;
	bogus.k.len = 29;
	assert_int_equal(unprotect(st, &bogus, 1, 0, &x), SIFT_SRTP_UNSUPPORTED);
	bogus = k;
	bogus.suite = SIFT_SUITE_UNKNOWN;
	assert_int_equal(unprotect(st, &bogus, 1, 0, &x), SIFT_SRTP_UNSUPPORTED);
	bogus = k;
	bogus.k.has_mki = true;
	bogus.k.mki = 300;       /* does not fit one byte */
	bogus.k.mki_len = 1;
	assert_int_equal(unprotect(st, &bogus, 1, 0, &x), SIFT_SRTP_UNSUPPORTED);
	make_key(&bogus, SIFT_SUITE_AEAD_AES_128_GCM, 0);
	bogus.unauthenticated_srtp = true;
	assert_int_equal(unprotect(st, &bogus, 1, 0, &x), SIFT_SRTP_UNSUPPORTED);
	assert_int_equal(sift_srtp_stream_stats(st)->auth_failures, 0);
	sift_srtp_stream_free(st);
	sift_srtp_stream_free(NULL);
	srtp_dealloc(s);
}

/* A GCM trial with the wrong key must not leave its scribbles for the
 * next trial, nor touch the caller's packet. */
static void test_gcm_wrong_key_then_right(void **state)
{
	struct sift_srtp_key c[2];
	struct sift_srtp_stream *st;
	srtp_t s;
	struct pp x;
	uint8_t saved[BUF];

	(void)state;
	make_key(&c[0], SIFT_SUITE_AEAD_AES_128_GCM, 7);
	make_key(&c[1], SIFT_SUITE_AEAD_AES_128_GCM, 0);
	s = sender(&c[1]);
	protect_rtp(s, 1234, &x);
	memcpy(saved, cipher(&x), x.cn);
	st = sift_srtp_stream_new(SSRC, false);
	expect_ok(st, c, 2, 3, &x);
	assert_int_equal(sift_srtp_stream_key(st), 1);
	assert_memory_equal(saved, cipher(&x), x.cn);
	sift_srtp_stream_free(st);
	srtp_dealloc(s);
}

static void test_verdict_str(void **state)
{
	(void)state;
	for (int v = SIFT_SRTP_OK; v <= SIFT_SRTP_NOMEM; v++)
		assert_string_not_equal(sift_srtp_verdict_str((enum sift_srtp_verdict)v),
					"unknown");
	assert_string_equal(sift_srtp_verdict_str(SIFT_SRTP_REPLAY), "replayed or too old");
}

static int group_setup(void **state)
{
	(void)state;
	return sift_srtp_init() == SIFT_OK ? 0 : -1;
}

/* Releases libsrtp's (and its NSS backend's) global state, so the leak
 * checker sees only our own allocations. */
static int group_teardown(void **state)
{
	(void)state;
	return srtp_shutdown() == srtp_err_status_ok ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cm128_80),
		cmocka_unit_test(test_cm128_32),
		cmocka_unit_test(test_cm192_80),
		cmocka_unit_test(test_cm192_32),
		cmocka_unit_test(test_cm256_80),
		cmocka_unit_test(test_cm256_32),
		cmocka_unit_test(test_gcm128),
		cmocka_unit_test(test_gcm256),
		cmocka_unit_test(test_known_vector),
		cmocka_unit_test(test_late_join_cm),
		cmocka_unit_test(test_late_join_gcm),
		cmocka_unit_test(test_late_join_roc2_then_wrap),
		cmocka_unit_test(test_second_candidate),
		cmocka_unit_test(test_wrong_key),
		cmocka_unit_test(test_replay),
		cmocka_unit_test(test_chosen_key_survives),
		cmocka_unit_test(test_mki_two_keys),
		cmocka_unit_test(test_srtcp_cm80),
		cmocka_unit_test(test_srtcp_cm32_uses_80bit_tag),
		cmocka_unit_test(test_srtcp_gcm),
		cmocka_unit_test(test_srtcp_unencrypted),
		cmocka_unit_test(test_srtcp_mki_cm32),
		cmocka_unit_test(test_unencrypted_srtp),
		cmocka_unit_test(test_unauthenticated_srtp),
		cmocka_unit_test(test_bad_packets),
		cmocka_unit_test(test_gcm_wrong_key_then_right),
		cmocka_unit_test(test_verdict_str),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
