/* sip_uri_str.c writes the URIs sip_msg.c keeps, byte for byte as libosip2's
 * osip_uri_to_str would: held to it here on written URIs and on a bounded
 * run of random ones built from the pieces where the two could part
 * (escapes, brackets, parameters libosip2 hides, headers, bytes past
 * ASCII, opaque schemes). */
#include "testutil.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <osipparser2/osip_parser.h>

#include "sip/sip_msg.h"

/* What libosip2 makes of text: its string, or NULL when it rejects it. */
static char *osip_reprint(const char *text)
{
	osip_uri_t *u = NULL;
	char *s = NULL;

	if (osip_uri_init(&u) == 0 && osip_uri_parse(u, text) == 0 &&
	    osip_uri_to_str(u, &s) != 0)
		s = NULL;
	osip_uri_free(u);
	return s;
}

/* Both agree on text; true when it was a URI (not rejected). */
static bool same(const char *text)
{
	char *a = osip_reprint(text), *b = sift_sip_uri_reprint(text);
	bool uri = a != NULL;

	if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0))
		fail_msg("URI '%s': libosip2 '%s', ours '%s'", text,
			 a ? a : "(rejected)", b ? b : "(rejected)");
	osip_free(a);
	free(b);
	return uri;
}

static void test_written(void **state)
{
	static const char *const uris[] = {
		"sip:alice@example.com",
		"sip:alice@example.com:5060;transport=udp;lr",
		"sips:bob:secret@[2001:db8::1]:5061;maddr=239.255.255.1;ttl=15",
		"sip:+1-212-555-1212:1234@gateway.com;user=phone",
		"sip:j.doe@big.com?subject=project&priority=urgent",
		"sip:%61lice@example.com",
		"sip:al%20ice@example.com;p%3Dq=r%3Bs",
		"sip:alice@example.com;x-obr;x-OBP=1;lr",
		"sip:127.0.0.1",
		"sip:127.0.0.1:5060",
		"tel:+358-555-1234567;postd=pp22",
		"mailto:someone@example.com",
		"urn:service:sos",
		"sip:user;par=x@host",
		"sip:[::1]",
		"sip:a@b?h=%3F&i=%26",
		"sip:\xc3\xa9t\xc3\xa9@example.com",
		"sip:a@b;=x",
		"sip:a@b?=",
		"sip:",
		"",
		"sip:@",
		"sip:a@b:",
	};
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(uris) / sizeof(uris[0]); i++)
		n += same(uris[i]);
	assert_true(n >= 15);
}

/* xorshift64*: the same run every time. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

static void test_random(void **state)
{
	static const char *const head[] = {
		"sip:", "sips:", "SIP:", "tel:", "x:", "sip", ":", "",
	};
	static const char *const piece[] = {
		"a", "Z", "9", "@", ":", ";", "=", "?", "&", "[", "]", "%",
		"%4", "%41", "%zz", "%%", " ", "\t", "\"", "<", ">", "/", ",",
		"+", "$", "!", "~", "*", "'", "(", ")", "-", "_", ".", "\x80",
		"\xff", "\xc3\xa9", "x-obr", "X-OBP", "lr", "transport=tcp",
		"user=phone", "alice", "example.com", "5060", "::1", "#", "^",
		"{", "|", "\\",
	};
	uint64_t seed = 0x5349465455524953ULL;
	size_t uris = 0;
	char text[96];

	(void)state;
	for (int k = 0; k < 200000; k++) {
		size_t len = 0, parts = 1 + rnd(&seed) % 12;
		const char *h = head[rnd(&seed) % (sizeof(head) / sizeof(head[0]))];

		len = (size_t)snprintf(text, sizeof(text), "%s", h);
		for (size_t i = 0; i < parts; i++) {
			const char *p = piece[rnd(&seed) % (sizeof(piece) / sizeof(piece[0]))];
			size_t l = strlen(p);

			if (len + l >= sizeof(text))
				break;
			memcpy(text + len, p, l + 1);
			len += l;
		}
		uris += same(text);
	}
	print_message("%zu of 200000 were URIs\n", uris);
	/* Enough of them were URIs for the run to mean something. */
	assert_true(uris > 20000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_written),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
