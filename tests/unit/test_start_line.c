/* Unit tests for sip/start_line.c: the method or status code of a start
 * line that did not parse. Inputs are cut out of longer buffers so that a
 * read past n would change the answer. */
#include <stdio.h>

#include "testutil.h"

#include "sip/start_line.h"

static void what(const char *s, size_t n, size_t mlen, const char *method,
		 int status)
{
	char m[64];
	int st = -1;

	memset(m, 'x', sizeof(m));
	sift_sip_start_line_what((const uint8_t *)s, n, m, mlen, &st);
	assert_int_equal(st, status);
	if (!status)
		assert_string_equal(m, method);
}

static void test_status(void **state)
{
	(void)state;
	what("SIP/2.0 486 Busy Here", 21, 33, NULL, 486);
	what("SIP/2.0 200 OK", 12, 33, NULL, 200);
	/* Two digits and a letter: no status, the token instead. */
	what("SIP/2.0 20x OK", 14, 33, "SIP/2.0", 0);
	/* Cut before the third digit (n = 11): no status. */
	what("SIP/2.0 180 Ringing", 11, 33, "SIP/2.0", 0);
}

static void test_method(void **state)
{
	(void)state;
	what("INVITE sip:bob@example.com SIP/2.0", 34, 33, "INVITE", 0);
	/* Cut to fit: mlen 4 leaves 3 characters. */
	what("OPTIONS sip:x SIP/2.0", 21, 4, "OPT", 0);
	/* n ends the token. */
	what("REGISTERED", 8, 33, "REGISTER", 0);
	/* Nothing printable first: "?". */
	what(" INVITE", 7, 33, "?", 0);
	what("\x01\x02", 2, 33, "?", 0);
	what("", 0, 33, "?", 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_method),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
