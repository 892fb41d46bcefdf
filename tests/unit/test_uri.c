/* Unit tests for sip/uri.c: URI comparison (RFC 3261 §19.1.4, as far as
 * the lint rules need it), Route lists and ;lr. */
#include "testutil.h"

#include <stdbool.h>

#include "sip/uri.h"

static void test_uri_eq(void **state)
{
	(void)state;
	assert_true(sift_uri_eq("sip:a@h", "sip:a@h"));
	assert_true(sift_uri_eq("SIP:a@H", "sip:a@h"));
	assert_false(sift_uri_eq("sip:A@h", "sip:a@h"));
	assert_true(sift_uri_eq("\"Al\" <sip:a@h:5060;transport=udp>;tag=1",
				"sip:a@h"));
	assert_true(sift_uri_eq("sips:a@h:5061", "sips:a@h"));
	assert_false(sift_uri_eq("sips:a@h", "sip:a@h"));
	assert_false(sift_uri_eq("sip:a@h:5070", "sip:a@h"));
	assert_true(sift_uri_eq("sip:a@[2001:db8::1]:5060", "sip:a@[2001:DB8::1]"));
	assert_false(sift_uri_eq("sip:a@[2001:db8::1]:5070", "sip:a@[2001:db8::1]"));
	assert_true(sift_uri_eq(NULL, NULL));
	assert_false(sift_uri_eq("sip:a@h", NULL));
	/* No scheme: only the same text is equal. */
	assert_true(sift_uri_eq("garbage", "garbage"));
	assert_false(sift_uri_eq("garbage", "sip:garbage"));
}

/* 4294972356 is 2^32 + 5060: a port read into 32 bits without an overflow
 * check wraps around to 5060, the default, and the two URIs compared
 * equal. A port past 65535 is no port. */
static void test_uri_port_overflow(void **state)
{
	(void)state;
	assert_false(sift_uri_eq("sip:a@h:4294972356", "sip:a@h"));
	assert_false(sift_uri_eq("sip:a@h:4294972356", "sip:a@h:5060"));
	assert_false(sift_uri_eq("sip:a@h:65596", "sip:a@h:60"));
	assert_false(sift_uri_eq("sip:a@h:18446744073709556676", "sip:a@h"));
	assert_true(sift_uri_eq("sip:a@h:4294972356", "sip:a@h:4294972356"));
	assert_true(sift_uri_eq("sip:a@h:65535", "<sip:a@h:65535>"));
}

static void test_routes(void **state)
{
	static const char list[] =
		"<sip:p1.example.com;lr>, <sip:p2,x@example.com;lr>;x=1,"
		"  sip:p3.example.com";
	char buf[64];

	(void)state;
	assert_int_equal(sift_route_count(list), 3);
	assert_int_equal(sift_route_count(NULL), 0);
	assert_int_equal(sift_route_count(" , "), 0);
	assert_true(sift_route_nth(list, 0, buf, sizeof(buf)));
	assert_string_equal(buf, "<sip:p1.example.com;lr>");
	assert_true(sift_route_nth(list, 1, buf, sizeof(buf)));
	assert_string_equal(buf, "<sip:p2,x@example.com;lr>;x=1");
	assert_true(sift_route_nth(list, 2, buf, sizeof(buf)));
	assert_string_equal(buf, "sip:p3.example.com");
	assert_false(sift_route_nth(list, 3, buf, sizeof(buf)));
	/* Cut to the buffer, NUL-terminated. */
	assert_true(sift_route_nth(list, 0, buf, 5));
	assert_string_equal(buf, "<sip");
}

static void test_lr(void **state)
{
	(void)state;
	assert_true(sift_uri_has_lr("<sip:p1;lr>"));
	assert_true(sift_uri_has_lr("<sip:p1;LR;x>"));
	assert_true(sift_uri_has_lr("sip:p1;lr"));
	assert_true(sift_uri_has_lr("<sip:p1;lr=on>"));
	assert_false(sift_uri_has_lr("<sip:p1;lrx>"));
	assert_false(sift_uri_has_lr("<sip:p1>;lr"));
	assert_false(sift_uri_has_lr("<sip:lr@p1>"));
	assert_false(sift_uri_has_lr(NULL));
}

static void test_is_addr(void **state)
{
	struct sift_addr a = { .family = 4, .ip = { 10, 0, 0, 3 }, .port = 5060 };
	struct sift_addr b = { .family = 6, .port = 5070 };
	char ip[SIFT_ADDR_STRLEN];

	(void)state;
	b.ip[0] = 0x20;
	b.ip[1] = 0x01;
	b.ip[15] = 1;
	assert_true(sift_uri_is_addr("<sip:10.0.0.3;lr>", &a));
	assert_true(sift_uri_is_addr("sip:bob@10.0.0.3:5060", &a));
	assert_false(sift_uri_is_addr("sip:bob@10.0.0.3:5061", &a));
	assert_false(sift_uri_is_addr("sip:bob@10.0.0.3:4294972356", &a));
	assert_false(sift_uri_is_addr("sip:bob@10.0.0.4", &a));
	assert_true(sift_uri_is_addr("<sip:[2001::1]:5070;lr>", &b));
	assert_false(sift_uri_is_addr("<sip:[2001::1];lr>", &b));
	assert_string_equal(sift_ip_str(&a, ip, sizeof(ip)), "10.0.0.3");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uri_eq),
		cmocka_unit_test(test_uri_port_overflow),
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_lr),
		cmocka_unit_test(test_is_addr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
