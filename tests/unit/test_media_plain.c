/* Unit tests for src/media/media_plain.c: decrypt -w's SIP message, its
 * SDP made plain RTP and its Content-Length rewritten. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include "sipsift/media.h"

static uint8_t out[65536];

/* The plain message of msg (body after the first empty line), as a
 * string; NULL when there is none. */
static const char *plain(const char *msg, size_t cap)
{
	static char got[65536];
	const char *blank = strstr(msg, "\r\n\r\n");
	size_t n = strlen(msg), body = blank ? (size_t)(blank - msg) + 4 : n;
	size_t m;

	m = sift_media_plain_sip((const uint8_t *)msg, n, body, out, cap);
	if (!m)
		return NULL;
	assert_true(m < sizeof(got));
	memcpy(got, out, m);
	got[m] = '\0';
	return got;
}

static void test_sdp_made_plain(void **state)
{
	const char *msg =
		"INVITE sip:b@h SIP/2.0\r\n"
		"Via: SIP/2.0/UDP a\r\n"
		"Content-Type: application/sdp\r\n"
		"Content-Length:   999\r\n"
		"\r\n"
		"v=0\r\n"
		"m=audio 4000 RTP/SAVP 0\r\n"
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:x\r\n"
		"m=video 4002 UDP/TLS/RTP/SAVPF 96\r\n"
		"a=rtpmap:0 PCMU/8000\r\n";
	const char *want =
		"INVITE sip:b@h SIP/2.0\r\n"
		"Via: SIP/2.0/UDP a\r\n"
		"Content-Type: application/sdp\r\n"
		"Content-Length: 85\r\n"
		"\r\n"
		"v=0\r\n"
		"m=audio 4000 RTP/AVP 0\r\n"
		"m=video 4002 UDP/TLS/RTP/AVPF 96\r\n"
		"a=rtpmap:0 PCMU/8000\r\n";

	(void)state;
	assert_string_equal(plain(msg, sizeof(out)), want);
	/* The length says the body that follows. */
	assert_int_equal(strlen(strstr(want, "\r\n\r\n") + 4), 85);
}

/* Compact form, a name as sent, LF line ends, a folded value. */
static void test_compact_and_folded(void **state)
{
	const char *msg =
		"SIP/2.0 200 OK\r\n"
		"Subject: a\r\n b\r\n"
		"l\t:\r\n 40\r\n"
		"\r\n"
		"m=audio 1 RTP/SAVP 8\n"
		"a=crypto:1 x\n";
	const char *want =
		"SIP/2.0 200 OK\r\n"
		"Subject: a\r\n b\r\n"
		"l\t: 20\r\n"
		"\r\n"
		"m=audio 1 RTP/AVP 8\n";

	(void)state;
	assert_string_equal(plain(msg, sizeof(out)), want);
}

/* Nothing to change, no Content-Length, or no room: no message. */
static void test_nothing(void **state)
{
	(void)state;
	assert_null(plain("INVITE sip:b@h SIP/2.0\r\nl: 5\r\n\r\nv=0\r\n",
			  sizeof(out)));
	assert_null(plain("INVITE sip:b@h SIP/2.0\r\nX: 5\r\n\r\nm=a 1 RTP/SAVP 0\r\n",
			  sizeof(out)));
	assert_null(plain("INVITE sip:b@h SIP/2.0\r\nl: 5\r\n\r\nm=a 1 RTP/SAVP 0\r\n",
			  20));
	assert_non_null(plain("INVITE sip:b@h SIP/2.0\r\nl: 5\r\n\r\nm=a 1 RTP/SAVP 0\r\n",
			      sizeof(out)));
}

/* Many short Content-Length headers, each rewritten longer than it was:
 * the rewrite stops at its room instead of writing past it. */
static void test_many_lengths(void **state)
{
	static char msg[8192];
	size_t n = 0;

	(void)state;
	n += (size_t)snprintf(msg + n, sizeof(msg) - n, "INVITE sip:b@h SIP/2.0\r\n");
	for (int i = 0; i < 1000; i++)
		n += (size_t)snprintf(msg + n, sizeof(msg) - n, "l:\r\n");
	n += (size_t)snprintf(msg + n, sizeof(msg) - n, "\r\n");
	for (int i = 0; i < 20; i++)
		n += (size_t)snprintf(msg + n, sizeof(msg) - n, "m=audio 1 RTP/SAVP 0\r\n");
	assert_true(n < sizeof(msg) - 1);
	assert_null(plain(msg, sizeof(out)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sdp_made_plain),
		cmocka_unit_test(test_compact_and_folded),
		cmocka_unit_test(test_nothing),
		cmocka_unit_test(test_many_lengths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
