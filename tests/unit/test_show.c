/* Unit tests: show's message writer (src/report/report_show.c). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include "report/report_show.h"

static char *shown(const char *raw, size_t len, bool json)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	struct sift_show *s;
	struct sift_show_msg m;

	assert_non_null(f);
	s = sift_show_new(f, json);
	assert_non_null(s);
	memset(&m, 0, sizeof(m));
	m.raw = (const uint8_t *)raw;
	m.len = len;
	m.parsed = true;
	m.call_id = "x@y";
	m.call_index = 2;
	m.call_start = 1000 * SIFT_USEC;
	m.prev_ts = 1001 * SIFT_USEC;
	m.where.frame = 42;
	m.where.ts = 1001 * SIFT_USEC + 250000;
	m.src.family = 4;
	m.src.ip[0] = 192;
	m.src.port = 5060;
	m.dst = m.src;
	m.file = "x.pcap";
	assert_int_equal(sift_show_msg(s, &m), SIFT_OK);
	assert_int_equal(sift_show_end(s), SIFT_OK);
	fclose(f);
	return buf;
}

#define MP "MESSAGE sip:b@h SIP/2.0\r\n" \
	"Content-Type: multipart/mixed;boundary=\"BB\"\r\n" \
	"\r\n" \
	"--BB\r\n" \
	"Content-Type: application/sdp\r\n" \
	"\r\n" \
	"v=0\r\n" \
	"--BB\r\n" \
	"Content-Type: application/isup\r\n" \
	"\r\n" \
	"\x01\x00\x02\xff\r\n" \
	"--BB--\r\n"

static void test_multipart(void **state)
{
	char *out;

	(void)state;
	out = shown(MP, sizeof(MP) - 1, false);
	assert_non_null(strstr(out, "== frame 42  1970-01-01 00:16:41.250000  +1.250000  (+0.250000)  192.0.0.0:5060 -> 192.0.0.0:5060  udp  call 2\n"));
	assert_non_null(strstr(out, "--BB\nContent-Type: application/sdp\n\nv=0\n--BB\n"));
	assert_non_null(strstr(out, "Content-Type: application/isup\n\n[binary part: 6 bytes of application/isup]\n--BB--\n"));
	free(out);
}

static void test_escapes_and_binary(void **state)
{
	static const char msg[] = "INFO sip:b@h SIP/2.0\r\n"
				  "Subject: \x1b[31mred\xc2\x9b\xe2\x80\xae\r\n"
				  "Content-Type: application/octet-stream\r\n"
				  "\r\n"
				  "\x00\x01\x02";
	char *out;

	(void)state;
	out = shown(msg, sizeof(msg) - 1, false);
	assert_non_null(strstr(out, "Subject: ?[31mred??\n"));
	assert_null(strchr(out, '\x1b'));
	assert_non_null(strstr(out, "[binary body: 3 bytes of application/octet-stream]\n"));
	free(out);
}

static void test_json(void **state)
{
	static const char msg[] = "SIP/2.0 200 OK\r\n"
				  "Via: SIP/2.0/UDP h\r\n"
				  "Bad line\r\n"
				  "Content-Type: application/sdp\r\n"
				  "\r\n"
				  "v=0\r\no=- 1 2 IN IP4 192.0.2.1\r\nc=IN IP4 192.0.2.1\r\n"
				  "m=audio 4000 RTP/SAVP 0 96\r\n"
				  "a=rtpmap:96 opus/48000/2\r\na=fmtp:96 useinbandfec=1\r\n"
				  "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:QUJD|2^20 KDR=1\r\n"
				  "a=candidate:1 1 udp 1 192.0.2.1 4000 typ host\r\n"
				  "a=candidate:2 1 udp 1 192.0.2.1 4002 typ host\r\n"
				  "a=rtcp-mux\r\na=sendonly\r\n"
				  "m=image 5000 udptl t38\r\n";
	char *out;

	(void)state;
	out = shown(msg, sizeof(msg) - 1, true);
	assert_non_null(strstr(out, "\"schema\": \"sipsift.show/1\""));
	assert_non_null(strstr(out, "\"start_line\": \"SIP/2.0 200 OK\""));
	assert_non_null(strstr(out, "\"line\": \"Bad line\""));
	assert_non_null(strstr(out, "\"origin\": \"- 1 2 IN IP4 192.0.2.1\""));
	assert_non_null(strstr(out, "\"name\": \"opus\""));
	assert_non_null(strstr(out, "\"channels\": 2"));
	assert_non_null(strstr(out, "\"fmtp\": \"useinbandfec=1\""));
	assert_non_null(strstr(out, "\"suite\": \"AES_CM_128_HMAC_SHA1_80\""));
	assert_non_null(strstr(out, "\"key\": \"inline:QUJD|2^20\""));
	assert_non_null(strstr(out, "\"session_params\": \"KDR=1\""));
	assert_non_null(strstr(out, "\"ice_candidates\": 2"));
	assert_non_null(strstr(out, "\"rtcp_mux\": true"));
	assert_non_null(strstr(out, "\"direction\": \"sendonly\""));
	assert_non_null(strstr(out, "\"t38\": true"));
	assert_non_null(strstr(out, "\"rel_s\": 1.25"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_multipart),
		cmocka_unit_test(test_escapes_and_binary),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
