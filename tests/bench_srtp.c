/* make bench — SRTP micro-bench: sift_srtp_unprotect throughput per suite
 * on one stream of 172-byte RTP packets (160 bytes of payload, the size of
 * 20 ms of G.711), with sipsift's OpenSSL types (srtp_ossl.c) and with
 * libsrtp2's stock ones (Debian: NSS) for comparison, and the cost of a
 * session (srtp_create + srtp_dealloc).
 *
 *   bench_srtp [PACKETS]      (default 200000; the stock runs use a tenth)
 *
 * Times are CPU time of this process (CLOCK_PROCESS_CPUTIME_ID), so other
 * work on the machine skews them less than wall time. Every packet must
 * decrypt (exit status 1 otherwise). Output: one line per measurement,
 *   srtp-bench IMPL SUITE packets=N ns=NS pps=PPS
 *   srtp-bench IMPL session-create+dealloc n=N us=US */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <srtp2/srtp.h>

#include "media/srtp.h"
#include "media/srtp_ossl.h"

#define SSRC 0x0badcafeu
#define PAYLOAD 160
#define SLOT 200                /* bytes per stored packet, 4-aligned */

struct suite {
	const char *name;
	enum sift_srtp_suite s;
	size_t ks;
	void (*set)(srtp_crypto_policy_t *);
};

static void cm128_80(srtp_crypto_policy_t *p)
{
	srtp_crypto_policy_set_rtp_default(p);
}

static void cm128_32(srtp_crypto_policy_t *p)
{
	srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(p);
}

static void cm256_80(srtp_crypto_policy_t *p)
{
	srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(p);
}

static void gcm128(srtp_crypto_policy_t *p)
{
	srtp_crypto_policy_set_aes_gcm_128_16_auth(p);
}

static void gcm256(srtp_crypto_policy_t *p)
{
	srtp_crypto_policy_set_aes_gcm_256_16_auth(p);
}

static const struct suite suites[] = {
	{ "AES_CM_128_HMAC_SHA1_80", SIFT_SUITE_AES_CM_128_HMAC_SHA1_80, 30, cm128_80 },
	{ "AES_CM_128_HMAC_SHA1_32", SIFT_SUITE_AES_CM_128_HMAC_SHA1_32, 30, cm128_32 },
	{ "AES_256_CM_HMAC_SHA1_80", SIFT_SUITE_AES_256_CM_HMAC_SHA1_80, 46, cm256_80 },
	{ "AEAD_AES_128_GCM", SIFT_SUITE_AEAD_AES_128_GCM, 28, gcm128 },
	{ "AEAD_AES_256_GCM", SIFT_SUITE_AEAD_AES_256_GCM, 44, gcm256 },
};

static double cpu_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void policy(srtp_policy_t *p, const struct suite *su, uint8_t *key,
		   bool inbound)
{
	memset(p, 0, sizeof(*p));
	su->set(&p->rtp);
	su->set(&p->rtcp);
	p->ssrc.type = inbound ? ssrc_specific : ssrc_any_outbound;
	p->ssrc.value = SSRC;
	p->key = key;
	p->window_size = 0x7fff;
}

/* Protects n packets with a sender of the current types, then times
 * sift_srtp_unprotect over them. */
static int run(const char *impl, const struct suite *su, size_t n)
{
	uint8_t key[46], out[SLOT];
	uint32_t *buf = malloc(n * SLOT);
	size_t *len = malloc(n * sizeof(*len));
	struct sift_srtp_key k;
	struct sift_srtp_stream *st = NULL;
	srtp_policy_t p;
	srtp_t tx = NULL;
	double t0, t1;
	int rc = 1;

	if (!buf || !len)
		goto out;
	for (size_t i = 0; i < su->ks; i++)
		key[i] = (uint8_t)(i * 29 + 3);
	policy(&p, su, key, false);
	if (srtp_create(&tx, &p) != srtp_err_status_ok)
		goto out;
	for (size_t i = 0; i < n; i++) {
		uint8_t *b = (uint8_t *)buf + i * SLOT;
		uint16_t seq = (uint16_t)(i + 1000);
		int l = 12 + PAYLOAD;

		memset(b, 0, 12 + PAYLOAD);
		b[0] = 0x80;
		b[2] = (uint8_t)(seq >> 8);
		b[3] = (uint8_t)seq;
		b[4] = (uint8_t)(i >> 24);
		b[5] = (uint8_t)(i >> 16);
		b[6] = (uint8_t)(i >> 8);
		b[7] = (uint8_t)i;
		b[8] = (uint8_t)(SSRC >> 24);
		b[9] = (uint8_t)(SSRC >> 16);
		b[10] = (uint8_t)(SSRC >> 8);
		b[11] = (uint8_t)SSRC;
		for (int j = 0; j < PAYLOAD; j++)
			b[12 + j] = (uint8_t)(i + (size_t)j);
		if (srtp_protect(tx, (uint32_t *)(void *)b, &l) != srtp_err_status_ok)
			goto out;
		len[i] = (size_t)l;
	}
	memset(&k, 0, sizeof(k));
	k.suite = su->s;
	k.k.len = su->ks;
	memcpy(k.k.keysalt, key, su->ks);
	st = sift_srtp_stream_new(SSRC, false);
	if (!st)
		goto out;
	t0 = cpu_now();
	for (size_t i = 0; i < n; i++) {
		size_t ol;

		if (sift_srtp_unprotect(st, &k, 1, 0, (uint8_t *)buf + i * SLOT,
					len[i], out, &ol) != SIFT_SRTP_OK) {
			fprintf(stderr, "bench_srtp: %s %s: packet %zu does not decrypt\n",
				impl, su->name, i);
			goto out;
		}
	}
	t1 = cpu_now();
	printf("srtp-bench %-6s %-24s packets=%zu ns=%.0f pps=%.0f\n", impl,
	       su->name, n, (t1 - t0) * 1e9 / (double)n, (double)n / (t1 - t0));
	rc = 0;
out:
	sift_srtp_stream_free(st);
	if (tx)
		srtp_dealloc(tx);
	free(buf);
	free(len);
	return rc;
}

static int sessions(const char *impl, unsigned n)
{
	uint8_t key[30];
	srtp_policy_t p;
	double t0, t1;

	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i * 17 + 5);
	policy(&p, &suites[0], key, true);
	t0 = cpu_now();
	for (unsigned i = 0; i < n; i++) {
		srtp_t s = NULL;

		if (srtp_create(&s, &p) != srtp_err_status_ok)
			return 1;
		srtp_dealloc(s);
	}
	t1 = cpu_now();
	printf("srtp-bench %-6s session-create+dealloc    n=%u us=%.1f\n", impl, n,
	       (t1 - t0) * 1e6 / n);
	return 0;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 200000;
	int rc = 0;

	if (n == 0 || n > 10000000 || sift_srtp_init() != SIFT_OK ||
	    sift_srtp_crypto_note()) {
		fprintf(stderr, "bench_srtp: bad packet count, or the OpenSSL types are not in\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		rc |= run("ossl", &suites[i], n);
	rc |= sessions("ossl", 2000);
	/* libsrtp's own types again (srtp_init after shutdown brings them
	 * back; sift_srtp_init does not run twice). */
	if (srtp_shutdown() != srtp_err_status_ok || srtp_init() != srtp_err_status_ok)
		return 2;
	rc |= run("stock", &suites[0], n / 10 ? n / 10 : 1);
	rc |= run("stock", &suites[3], n / 10 ? n / 10 : 1);
	rc |= sessions("stock", 50);
	srtp_shutdown();
	return rc;
}
