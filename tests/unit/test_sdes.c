/* Unit tests for SDES a=crypto parsing (src/sdes.c, RFC 4568 §9): every
 * suite with a correct key, wrong lengths, bad base64, several keys with
 * MKIs, lifetimes, session parameters, unsupported suites and KDR,
 * truncated lines, the tag, blanks, and the --key form. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip/sdes.h"

/* RFC 4568 §9 example key and libsrtp's test key (LIBRARIES.md). */
#define RFC_KEY "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"
#define SRTP_KEY "4fl6DT4Bi+DWT6MsBt5BOQ7Gda1Jiv7rtpYLOqvm"

/* Keys whose byte i is (i * 7 + n) & 0xff, n the length (made with
 * Python's base64 module). */
#define K30 "HiUsMzpBSE9WXWRrcnmAh46VnKOqsbi/xs3U2+Lp"
#define K38 "Ji00O0JJUFdeZWxzeoGIj5adpKuyucDHztXc4+rx+P8GDRQbIik="
#define K38_NOPAD "Ji00O0JJUFdeZWxzeoGIj5adpKuyucDHztXc4+rx+P8GDRQbIik"
#define K46 "LjU8Q0pRWF9mbXR7gomQl56lrLO6wcjP1t3k6/L5AAcOFRwjKjE4P0ZNVFtiaQ=="
#define K46_NOPAD "LjU8Q0pRWF9mbXR7gomQl56lrLO6wcjP1t3k6/L5AAcOFRwjKjE4P0ZNVFtiaQ"
#define K28 "HCMqMTg/Rk1UW2JpcHd+hYyTmqGor7a9xMvS2Q=="
#define K44 "LDM6QUhPVl1ka3J5gIeOlZyjqrG4v8bN1Nvi6fD3/gUMExohKC82PURLUlk="
#define K29 "HSQrMjlAR05VXGNqcXh/ho2Um6KpsLe+xczT2uE="

static char why[256];

/* Parses s from an exact-size heap copy (no NUL after it), so that a read
 * past the end is caught by AddressSanitizer. */
static enum sift_rc parse(const char *s, struct sift_sdes *out)
{
	size_t n = strlen(s);
	char *copy = malloc(n ? n : 1);
	enum sift_rc rc;

	assert_non_null(copy);
	memcpy(copy, s, n);
	memset(why, 0, sizeof(why));
	rc = sift_sdes_parse(copy, n, out, why, sizeof(why));
	free(copy);
	return rc;
}

static void assert_pattern(const struct sift_sdes_key *k, size_t n)
{
	assert_int_equal(k->len, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(k->keysalt[i], (uint8_t)((i * 7 + n) & 0xff));
}

static void test_rfc4568_example(void **state)
{
	struct sift_sdes s;
	static const uint8_t want[30] = {
		0x3d, 0x2d, 0x6e, 0x40, 0x25, 0x5e, 0x78, 0x21, 0x42, 0x6a,
		0x75, 0x66, 0x72, 0x39, 0x29, 0x3f, 0x2c, 0x23, 0x35, 0x68,
		0x5c, 0x60, 0x3d, 0x26, 0x5d, 0x7b, 0x71, 0x69, 0x50, 0x51,
	};

	(void)state;
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|2^20|1:4", &s), SIFT_OK);
	assert_int_equal(s.tag, 1);
	assert_int_equal(s.suite, SIFT_SUITE_AES_CM_128_HMAC_SHA1_80);
	assert_int_equal(s.nkeys, 1);
	assert_int_equal(s.keys[0].len, 30);
	assert_memory_equal(s.keys[0].keysalt, want, 30);
	assert_int_equal(s.keys[0].lifetime, 1u << 20);
	assert_true(s.keys[0].has_mki);
	assert_int_equal(s.keys[0].mki, 1);
	assert_int_equal(s.keys[0].mki_len, 4);
	assert_false(s.unencrypted_srtp);
	assert_false(s.unencrypted_srtcp);
	assert_false(s.unauthenticated_srtp);
	assert_int_equal(s.kdr, 0);
	assert_false(s.fec_order_set);
}

static void test_libsrtp_key(void **state)
{
	struct sift_sdes s;
	static const uint8_t want[30] = {
		0xe1, 0xf9, 0x7a, 0x0d, 0x3e, 0x01, 0x8b, 0xe0, 0xd6, 0x4f,
		0xa3, 0x2c, 0x06, 0xde, 0x41, 0x39, 0x0e, 0xc6, 0x75, 0xad,
		0x49, 0x8a, 0xfe, 0xeb, 0xb6, 0x96, 0x0b, 0x3a, 0xab, 0xe6,
	};

	(void)state;
	assert_int_equal(parse("2 AES_CM_128_HMAC_SHA1_80 inline:" SRTP_KEY, &s),
			 SIFT_OK);
	assert_int_equal(s.tag, 2);
	assert_int_equal(s.nkeys, 1);
	assert_memory_equal(s.keys[0].keysalt, want, 30);
	assert_int_equal(s.keys[0].lifetime, 0);
	assert_false(s.keys[0].has_mki);
}

static void test_every_suite(void **state)
{
	static const struct {
		const char *name;
		enum sift_srtp_suite suite;
		const char *key;
		size_t len;
	} cases[] = {
		{ "AES_CM_128_HMAC_SHA1_80", SIFT_SUITE_AES_CM_128_HMAC_SHA1_80, K30, 30 },
		{ "AES_CM_128_HMAC_SHA1_32", SIFT_SUITE_AES_CM_128_HMAC_SHA1_32, K30, 30 },
		{ "AES_192_CM_HMAC_SHA1_80", SIFT_SUITE_AES_192_CM_HMAC_SHA1_80, K38, 38 },
		{ "AES_192_CM_HMAC_SHA1_32", SIFT_SUITE_AES_192_CM_HMAC_SHA1_32, K38_NOPAD, 38 },
		{ "AES_256_CM_HMAC_SHA1_80", SIFT_SUITE_AES_256_CM_HMAC_SHA1_80, K46, 46 },
		{ "AES_256_CM_HMAC_SHA1_32", SIFT_SUITE_AES_256_CM_HMAC_SHA1_32, K46_NOPAD, 46 },
		{ "AEAD_AES_128_GCM", SIFT_SUITE_AEAD_AES_128_GCM, K28, 28 },
		{ "AEAD_AES_256_GCM", SIFT_SUITE_AEAD_AES_256_GCM, K44, 44 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char line[200];
		struct sift_sdes s;

		snprintf(line, sizeof(line), "%zu %s inline:%s", i + 1,
			 cases[i].name, cases[i].key);
		assert_int_equal(parse(line, &s), SIFT_OK);
		assert_int_equal(s.tag, i + 1);
		assert_int_equal(s.suite, cases[i].suite);
		assert_int_equal(s.nkeys, 1);
		assert_pattern(&s.keys[0], cases[i].len);
		assert_string_equal(sift_suite_name(cases[i].suite), cases[i].name);
		assert_int_equal(sift_suite_by_name(cases[i].name,
						    strlen(cases[i].name)),
				 cases[i].suite);
		assert_int_equal(sift_suite_keysalt_len(cases[i].suite),
				 cases[i].len);
	}
}

static void test_suite_names(void **state)
{
	(void)state;
	assert_null(sift_suite_name(SIFT_SUITE_UNKNOWN));
	assert_null(sift_suite_name(SIFT_SUITE_COUNT));
	assert_null(sift_suite_name((enum sift_srtp_suite)99));
	assert_int_equal(sift_suite_keysalt_len(SIFT_SUITE_UNKNOWN), 0);
	assert_int_equal(sift_suite_keysalt_len(SIFT_SUITE_COUNT), 0);
	/* ABNF literals are case-insensitive (RFC 5234 §2.3). */
	assert_int_equal(sift_suite_by_name("aes_cm_128_hmac_sha1_32", 23),
			 SIFT_SUITE_AES_CM_128_HMAC_SHA1_32);
	/* Length bounds the name: a prefix or a longer name is not it. */
	assert_int_equal(sift_suite_by_name("AES_CM_128_HMAC_SHA1_80", 22),
			 SIFT_SUITE_UNKNOWN);
	assert_int_equal(sift_suite_by_name("AES_CM_128_HMAC_SHA1_800", 24),
			 SIFT_SUITE_UNKNOWN);
	assert_int_equal(sift_suite_by_name("F8_128_HMAC_SHA1_80", 19),
			 SIFT_SUITE_UNKNOWN);
	assert_int_equal(sift_suite_by_name(NULL, 5), SIFT_SUITE_UNKNOWN);
	assert_int_equal(sift_suite_by_name("", 0), SIFT_SUITE_UNKNOWN);
}

static void test_wrong_key_length(void **state)
{
	struct sift_sdes s;

	(void)state;
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" K29, &s),
			 SIFT_EINVAL);
	assert_string_equal(why, "key is 29 bytes, AES_CM_128_HMAC_SHA1_80 needs 30");
	assert_int_equal(s.nkeys, 0);
	assert_int_equal(parse("1 AES_256_CM_HMAC_SHA1_80 inline:" K30, &s),
			 SIFT_EINVAL);
	assert_string_equal(why, "key is 30 bytes, AES_256_CM_HMAC_SHA1_80 needs 46");
	assert_int_equal(parse("1 AEAD_AES_128_GCM inline:" K30, &s), SIFT_EINVAL);
	assert_string_equal(why, "key is 30 bytes, AEAD_AES_128_GCM needs 28");
	/* Longer than any suite: the length is still told right. */
	assert_int_equal(parse("1 AEAD_AES_256_GCM inline:" K46 K46_NOPAD, &s),
			 SIFT_EINVAL);
	assert_int_equal(parse("1 AEAD_AES_256_GCM inline:" K30 K30 K30, &s),
			 SIFT_EINVAL);
	assert_string_equal(why, "key is 90 bytes, AEAD_AES_256_GCM needs 44");
}

static void test_bad_base64(void **state)
{
	struct sift_sdes s;
	static const char *const bad[] = {
		/* '*' is outside the alphabet */
		"1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVB*",
		/* URL-safe alphabet is not base64 here */
		"1 AES_CM_128_HMAC_SHA1_80 inline:4fl6DT4Bi-DWT6MsBt5BOQ7Gda1Jiv7rtpYLOqvm",
		/* padding in the middle */
		"1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVe=CFCanVmcjkpPywjNWhcYD0mXXtxaVBR",
		/* 41 characters: one too many for whole bytes */
		"1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY "A",
		/* padding that does not make a multiple of 4 */
		"1 AES_192_CM_HMAC_SHA1_80 inline:" K38 "=",
		"1 AES_256_CM_HMAC_SHA1_80 inline:" K46_NOPAD "=",
		/* three '=' */
		"1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxa===",
		/* empty key */
		"1 AES_CM_128_HMAC_SHA1_80 inline:",
		"1 AES_CM_128_HMAC_SHA1_80 inline:|2^20",
		"1 AES_CM_128_HMAC_SHA1_80 inline:====",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(bad[i], &s), SIFT_EINVAL);
		assert_true(strlen(why) > 0);
		assert_int_equal(s.nkeys, 0);
	}
	assert_int_equal(parse(bad[0], &s), SIFT_EINVAL);
	assert_non_null(strstr(why, "not valid base64"));
}

static void test_two_keys_with_mki(void **state)
{
	struct sift_sdes s;

	(void)state;
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|2^20|1:4;inline:" K30 "|2^20|2:4", &s),
			 SIFT_OK);
	assert_int_equal(s.nkeys, 2);
	assert_int_equal(s.keys[0].mki, 1);
	assert_int_equal(s.keys[1].mki, 2);
	assert_int_equal(s.keys[1].mki_len, 4);
	assert_int_equal(s.keys[0].keysalt[0], 0x3d);
	assert_pattern(&s.keys[1], 30);
	/* MKI lengths 1..4 and the largest value that fits */
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|255:1", &s), SIFT_OK);
	assert_int_equal(s.keys[0].mki, 255);
	assert_int_equal(s.keys[0].mki_len, 1);
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|4294967295:4", &s), SIFT_OK);
	assert_int_equal(s.keys[0].mki, 4294967295u);
	/* SIFT_SDES_MAX_KEYS keys are kept; more are checked, counted in
	 * dropped and left out (the line still gives its first keys) */
	{
		char line[4096];
		size_t n = (size_t)snprintf(line, sizeof(line),
					    "1 AES_CM_128_HMAC_SHA1_80 ");

		for (unsigned i = 1; i <= SIFT_SDES_MAX_KEYS; i++)
			n += (size_t)snprintf(line + n, sizeof(line) - n,
					      "%sinline:" RFC_KEY "|%u:2",
					      i > 1 ? ";" : "", i);
		assert_true(n < sizeof(line) - 200);
		assert_int_equal(parse(line, &s), SIFT_OK);
		assert_int_equal(s.nkeys, SIFT_SDES_MAX_KEYS);
		assert_int_equal(s.dropped, 0);
		assert_int_equal(s.keys[SIFT_SDES_MAX_KEYS - 1].mki, SIFT_SDES_MAX_KEYS);
		n += (size_t)snprintf(line + n, sizeof(line) - n,
				      ";inline:" RFC_KEY "|%u:2;inline:" RFC_KEY "|%u:2",
				      SIFT_SDES_MAX_KEYS + 1, SIFT_SDES_MAX_KEYS + 2);
		assert_int_equal(parse(line, &s), SIFT_OK);
		assert_int_equal(s.nkeys, SIFT_SDES_MAX_KEYS);
		assert_int_equal(s.dropped, 2);
		/* a key past the cap is still checked: no MKI, no line */
		line[n] = '\0';
		snprintf(line + n, sizeof(line) - n, ";inline:" RFC_KEY);
		assert_int_equal(parse(line, &s), SIFT_EINVAL);
		assert_int_equal(s.nkeys, 0);
		snprintf(line + n, sizeof(line) - n, ";inline:AAAA|99:2");
		assert_int_equal(parse(line, &s), SIFT_EINVAL);
	}
	/* RFC 4568 §6.1: several keys need MKIs of one length, and distinct */
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       ";inline:" K30 "|2:4", &s), SIFT_EINVAL);
	assert_non_null(strstr(why, "no MKI"));
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|1:4;inline:" K30 "|2:2", &s), SIFT_EINVAL);
	assert_non_null(strstr(why, "MKI lengths differ"));
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|1:4;inline:" K30 "|1:4", &s), SIFT_EINVAL);
	/* an empty key-param after ";" */
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|1:4;", &s), SIFT_EINVAL);
	/* the second key of the wrong length */
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|1:4;inline:" K29 "|2:4", &s), SIFT_EINVAL);
	assert_string_equal(why, "key is 29 bytes, AES_CM_128_HMAC_SHA1_80 needs 30");
}

static void test_mki_bounds(void **state)
{
	struct sift_sdes s;

	(void)state;
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|1:5", &s), SIFT_EUNSUPPORTED);
	assert_non_null(strstr(why, "MKI length 5"));
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|1:128", &s), SIFT_EUNSUPPORTED);
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|1:129", &s), SIFT_EINVAL);
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|1:0", &s), SIFT_EINVAL);
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|1:1000", &s), SIFT_EINVAL);
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|256:1", &s), SIFT_EINVAL);
	assert_non_null(strstr(why, "does not fit"));
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|99999999999999999999999:4", &s), SIFT_EINVAL);
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|:4", &s), SIFT_EINVAL);
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|1:", &s), SIFT_EINVAL);
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|1:x", &s), SIFT_EINVAL);
}

static void test_lifetime_forms(void **state)
{
	struct sift_sdes s;

	(void)state;
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|2^31", &s), SIFT_OK);
	assert_int_equal(s.keys[0].lifetime, 1ull << 31);
	assert_false(s.keys[0].has_mki);
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|1048576", &s), SIFT_OK);
	assert_int_equal(s.keys[0].lifetime, 1048576);
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|2^48|7:2", &s), SIFT_OK);
	assert_int_equal(s.keys[0].lifetime, 1ull << 48);
	assert_int_equal(s.keys[0].mki, 7);
	assert_int_equal(s.keys[0].mki_len, 2);
	/* MKI without a lifetime */
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|3:1", &s), SIFT_OK);
	assert_int_equal(s.keys[0].lifetime, 0);
	assert_int_equal(s.keys[0].mki, 3);
	/* out of range (RFC 3711 §9.2: at most 2^48), malformed, misplaced */
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|2^49", &s), SIFT_EINVAL);
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|281474976710657", &s), SIFT_EINVAL);
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|0", &s), SIFT_EINVAL);
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|2^", &s), SIFT_EINVAL);
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|3^20", &s), SIFT_EINVAL);
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|", &s), SIFT_EINVAL);
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|1:4|2^20", &s), SIFT_EINVAL);
	assert_non_null(strstr(why, "after the MKI"));
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|2^20|2^20", &s), SIFT_EINVAL);
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       "|2^20|1:4|", &s), SIFT_EINVAL);
}

static void test_session_params(void **state)
{
	struct sift_sdes s;

	(void)state;
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       " UNENCRYPTED_SRTP", &s), SIFT_OK);
	assert_true(s.unencrypted_srtp);
	assert_false(s.unencrypted_srtcp);
	assert_false(s.unauthenticated_srtp);
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       " UNENCRYPTED_SRTCP UNAUTHENTICATED_SRTP", &s), SIFT_OK);
	assert_false(s.unencrypted_srtp);
	assert_true(s.unencrypted_srtcp);
	assert_true(s.unauthenticated_srtp);
	assert_int_equal(s.nkeys, 1);
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       " KDR=0 WSH=64", &s), SIFT_OK);
	assert_int_equal(s.kdr, 0);
	/* WSH is read and ignored: it sets nothing */
	assert_false(s.fec_order_set);
	assert_false(s.unencrypted_srtp);
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       " FEC_ORDER=FEC_SRTP", &s), SIFT_OK);
	assert_true(s.fec_order_set);
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       " FEC_KEY=inline:" K30, &s), SIFT_OK);
	assert_true(s.fec_order_set);
	/* §6.3.7: "-" marks an optional parameter that may be ignored; an
	 * unknown one without it makes the attribute invalid. */
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       " -X_VENDOR=1", &s), SIFT_OK);
	assert_int_equal(s.nkeys, 1);
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       " X_VENDOR=1", &s), SIFT_EUNSUPPORTED);
	assert_non_null(strstr(why, "X_VENDOR=1"));
	assert_int_equal(s.nkeys, 0);
	/* keywords are ABNF literals: case-insensitive */
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       " unencrypted_srtp", &s), SIFT_OK);
	assert_true(s.unencrypted_srtp);
}

static void test_kdr(void **state)
{
	struct sift_sdes s;

	(void)state;
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       " KDR=1", &s), SIFT_EUNSUPPORTED);
	assert_non_null(strstr(why, "KDR"));
	assert_non_null(strstr(why, "not supported"));
	assert_int_equal(s.nkeys, 0);
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       " KDR=24", &s), SIFT_EUNSUPPORTED);
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       " KDR=25", &s), SIFT_EINVAL);
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       " KDR=100", &s), SIFT_EINVAL);
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       " KDR=", &s), SIFT_EINVAL);
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY
			       " KDR=00", &s), SIFT_OK);
}

static void test_unsupported_suites(void **state)
{
	struct sift_sdes s;

	(void)state;
	assert_int_equal(parse("1 F8_128_HMAC_SHA1_80 inline:" RFC_KEY, &s),
			 SIFT_EUNSUPPORTED);
	assert_string_equal(why, "unsupported crypto suite F8_128_HMAC_SHA1_80");
	assert_int_equal(s.suite, SIFT_SUITE_UNKNOWN);
	assert_int_equal(s.nkeys, 0);
	assert_int_equal(parse("1 AES_CM_129_HMAC_SHA1_80 inline:" RFC_KEY, &s),
			 SIFT_EUNSUPPORTED);
	assert_string_equal(why, "unsupported crypto suite AES_CM_129_HMAC_SHA1_80");
	assert_int_equal(parse("1 NULL_HMAC_SHA1_80 inline:" RFC_KEY, &s),
			 SIFT_EUNSUPPORTED);
	/* the key method: only "inline" exists for SRTP (§6.1) */
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 uri:" RFC_KEY, &s),
			 SIFT_EUNSUPPORTED);
	assert_non_null(strstr(why, "key method"));
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 INLINE:" RFC_KEY, &s),
			 SIFT_OK);
}

static void test_truncated(void **state)
{
	struct sift_sdes s;

	(void)state;
	assert_int_equal(parse("", &s), SIFT_EINVAL);
	assert_int_equal(parse("   ", &s), SIFT_EINVAL);
	assert_int_equal(parse("1", &s), SIFT_EINVAL);
	assert_non_null(strstr(why, "no crypto suite"));
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80", &s), SIFT_EINVAL);
	assert_non_null(strstr(why, "no key parameters"));
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 ", &s), SIFT_EINVAL);
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline", &s), SIFT_EINVAL);
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFC"
			       "anVmcjkpPywjNWhcYD0mXXtx", &s), SIFT_EINVAL);
	assert_string_equal(why, "key is 27 bytes, AES_CM_128_HMAC_SHA1_80 needs 30");
	/* a cut suite name is another (unknown) suite */
	assert_int_equal(parse("1 AES_CM_128_HMAC", &s), SIFT_EUNSUPPORTED);
	/* length given shorter than the string: only n bytes are read */
	memset(why, 0, sizeof(why));
	assert_int_equal(sift_sdes_parse("1 AES_CM_128_HMAC_SHA1_80 inline:"
					 RFC_KEY "|2^20|1:4", 78, &s, why,
					 sizeof(why)), SIFT_OK);
	assert_int_equal(s.keys[0].lifetime, 1u << 20);
	assert_false(s.keys[0].has_mki);
	assert_int_equal(sift_sdes_parse(NULL, 10, &s, why, sizeof(why)),
			 SIFT_EINVAL);
	/* no room for a reason is fine */
	assert_int_equal(sift_sdes_parse("1 X inline:" RFC_KEY, 51, &s, NULL, 0),
			 SIFT_EUNSUPPORTED);
	why[0] = 'x';
	assert_int_equal(sift_sdes_parse("1", 1, &s, why, 1), SIFT_EINVAL);
	assert_int_equal(why[0], '\0');
}

static void test_tag(void **state)
{
	struct sift_sdes s;

	(void)state;
	assert_int_equal(parse("999999999 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY,
			       &s), SIFT_OK);
	assert_int_equal(s.tag, 999999999);
	assert_int_equal(parse("0 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY, &s),
			 SIFT_OK);
	assert_int_equal(s.tag, 0);
	assert_int_equal(parse("1234567890 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY,
			       &s), SIFT_EINVAL);
	assert_non_null(strstr(why, "tag"));
	/* ten digits even when the value is small: tag = 1*9DIGIT */
	assert_int_equal(parse("0000000001 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY,
			       &s), SIFT_EINVAL);
	assert_int_equal(parse("000000001 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY,
			       &s), SIFT_OK);
	assert_int_equal(s.tag, 1);
	assert_int_equal(parse("99999999999999999999999 AES_CM_128_HMAC_SHA1_80 "
			       "inline:" RFC_KEY, &s), SIFT_EINVAL);
	assert_int_equal(parse("-1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY, &s),
			 SIFT_EINVAL);
	assert_int_equal(parse("x AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY, &s),
			 SIFT_EINVAL);
	assert_int_equal(parse("AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY, &s),
			 SIFT_EINVAL);
}

static void test_whitespace(void **state)
{
	struct sift_sdes s;

	(void)state;
	assert_int_equal(parse("  7\tAES_CM_128_HMAC_SHA1_80  \t inline:" RFC_KEY
			       "|2^20|1:4 \t UNENCRYPTED_SRTCP   \r\n", &s),
			 SIFT_OK);
	assert_int_equal(s.tag, 7);
	assert_int_equal(s.nkeys, 1);
	assert_int_equal(s.keys[0].mki_len, 4);
	assert_true(s.unencrypted_srtcp);
	/* a blank inside the key ends the key-params: the rest is a session
	 * parameter we do not know */
	assert_int_equal(parse("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVm"
			       " cjkpPywjNWhcYD0mXXtxaVBR", &s), SIFT_EINVAL);
	/* "a=crypto:1 ..." with a blank after the colon still reads */
	assert_int_equal(parse(" 1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY, &s),
			 SIFT_OK);
	/* a NUL is not a blank */
	assert_int_equal(sift_sdes_parse("1\0AES_CM_128_HMAC_SHA1_80 inline:"
					 RFC_KEY, 73, &s, why, sizeof(why)),
			 SIFT_EINVAL);
}

static void test_parse_key(void **state)
{
	struct sift_sdes s;

	(void)state;
	assert_int_equal(sift_sdes_parse_key("AES_CM_128_HMAC_SHA1_80:inline:"
					     SRTP_KEY, &s, why, sizeof(why)),
			 SIFT_OK);
	assert_int_equal(s.suite, SIFT_SUITE_AES_CM_128_HMAC_SHA1_80);
	assert_int_equal(s.nkeys, 1);
	assert_int_equal(s.keys[0].keysalt[0], 0xe1);
	assert_int_equal(s.keys[0].keysalt[29], 0xe6);
	assert_int_equal(sift_sdes_parse_key("AEAD_AES_256_GCM:inline:" K44
					     "|2^31|1:4", &s, why, sizeof(why)),
			 SIFT_OK);
	assert_int_equal(s.suite, SIFT_SUITE_AEAD_AES_256_GCM);
	assert_pattern(&s.keys[0], 44);
	assert_int_equal(s.keys[0].lifetime, 1ull << 31);
	assert_int_equal(s.keys[0].mki_len, 4);
	assert_int_equal(sift_sdes_parse_key("aes_256_cm_hmac_sha1_32:INLINE:" K46,
					     &s, why, sizeof(why)), SIFT_OK);
	assert_int_equal(s.suite, SIFT_SUITE_AES_256_CM_HMAC_SHA1_32);
	assert_int_equal(sift_sdes_parse_key("AES_CM_128_HMAC_SHA1_80:inline:"
					     SRTP_KEY " UNENCRYPTED_SRTP", &s,
					     why, sizeof(why)), SIFT_OK);
	assert_true(s.unencrypted_srtp);

	assert_int_equal(sift_sdes_parse_key("AES_CM_128_HMAC_SHA1_80:inline:" K29,
					     &s, why, sizeof(why)), SIFT_EINVAL);
	assert_string_equal(why, "key is 29 bytes, AES_CM_128_HMAC_SHA1_80 needs 30");
	assert_int_equal(s.nkeys, 0);
	assert_int_equal(sift_sdes_parse_key("F8_128_HMAC_SHA1_80:inline:" SRTP_KEY,
					     &s, why, sizeof(why)),
			 SIFT_EUNSUPPORTED);
	assert_string_equal(why, "unsupported crypto suite F8_128_HMAC_SHA1_80");
	assert_int_equal(sift_sdes_parse_key("AES_CM_128_HMAC_SHA1_80", &s, why,
					     sizeof(why)), SIFT_EINVAL);
	assert_int_equal(sift_sdes_parse_key(":inline:" SRTP_KEY, &s, why,
					     sizeof(why)), SIFT_EINVAL);
	assert_int_equal(sift_sdes_parse_key("AES_CM_128_HMAC_SHA1_80:", &s, why,
					     sizeof(why)), SIFT_EINVAL);
	assert_int_equal(sift_sdes_parse_key("AES_CM_128_HMAC_SHA1_80:inline:"
					     SRTP_KEY " KDR=2", &s, why, sizeof(why)),
			 SIFT_EUNSUPPORTED);
	assert_int_equal(sift_sdes_parse_key("", &s, why, sizeof(why)), SIFT_EINVAL);
	assert_int_equal(sift_sdes_parse_key(NULL, &s, why, sizeof(why)),
			 SIFT_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc4568_example),
		cmocka_unit_test(test_libsrtp_key),
		cmocka_unit_test(test_every_suite),
		cmocka_unit_test(test_suite_names),
		cmocka_unit_test(test_wrong_key_length),
		cmocka_unit_test(test_bad_base64),
		cmocka_unit_test(test_two_keys_with_mki),
		cmocka_unit_test(test_mki_bounds),
		cmocka_unit_test(test_lifetime_forms),
		cmocka_unit_test(test_session_params),
		cmocka_unit_test(test_kdr),
		cmocka_unit_test(test_unsupported_suites),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_tag),
		cmocka_unit_test(test_whitespace),
		cmocka_unit_test(test_parse_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
