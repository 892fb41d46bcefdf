/* Unit tests for util/span.c: (pointer, length) text spans and the raw
 * SIP header walker. Spans are cut out of larger buffers so that a read
 * past n would see bytes that change the answer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "util/span.h"

static struct sift_span S(const char *s)
{
	return sift_span_cstr(s);
}

/* The first n bytes of s: what follows must not count. */
static struct sift_span P(const char *s, size_t n)
{
	return sift_span_of(s, n);
}

static void assert_span(struct sift_span s, const char *want)
{
	assert_int_equal(s.n, strlen(want));
	assert_memory_equal(s.p, want, s.n);
}

static void test_compare(void **state)
{
	struct sift_span rest;

	(void)state;
	assert_true(sift_span_eq(S("abc"), "abc"));
	assert_false(sift_span_eq(S("abc"), "ABC"));
	assert_true(sift_span_eq(S(""), ""));
	assert_true(sift_span_ieq(S("Content-LENGTH"), "content-length"));
	assert_true(sift_span_ieq(P("ViaX", 3), "via"));
	assert_false(sift_span_ieq(P("ViaX", 3), "viax"));
	assert_false(sift_span_ieq(S("vi"), "via"));
	/* Only ASCII letters fold: '@' (0x40) is not '`' (0x60). */
	assert_false(sift_span_ieq(S("@"), "`"));
	assert_false(sift_span_ieq(S("["), "{"));
	assert_true(sift_span_ieq_span(S("SIP"), S("sip")));
	assert_false(sift_span_ieq_span(S("SIP"), S("sips")));
	assert_true(sift_span_iprefix(S("SIPS:bob"), "sips:", &rest));
	assert_span(rest, "bob");
	assert_true(sift_span_iprefix(S("sip:"), "SIP:", NULL));
	assert_false(sift_span_iprefix(P("sip:", 3), "sip:", &rest));
	assert_false(sift_span_iprefix(S("tel:1"), "sip:", &rest));
}

/* Case-blind equality, eight bytes at a time from eight on: every pair
 * of byte values at the first, middle and last place of lengths on each
 * side of eight and sixteen, the rest equal, against a byte-by-byte
 * compare; spans cut from a longer buffer whose next byte differs. */
static void test_ieq_every_byte(void **state)
{
	static const size_t lens[] = { 1, 2, 7, 8, 9, 15, 16, 17 };
	uint8_t a[24], b[24];

	(void)state;
	for (size_t li = 0; li < sizeof(lens) / sizeof(lens[0]); li++) {
		size_t n = lens[li];

		for (size_t at = 0; at < n; at += (n > 2 ? (n - 1) / 2 : 1)) {
			for (unsigned c1 = 0; c1 < 256; c1++) {
				for (unsigned c2 = 0; c2 < 256; c2++) {
					bool want = sift_lower((uint8_t)c1) == sift_lower((uint8_t)c2);

					memset(a, 'k', sizeof(a));
					memset(b, 'K', sizeof(b));
					b[n] = 'x';
					a[at] = (uint8_t)c1;
					b[at] = (uint8_t)c2;
					if (sift_span_ieq_span(sift_span_of(a, n), sift_span_of(b, n)) != want)
						fail_msg("n %zu at %zu: %02x vs %02x", n, at, c1, c2);
				}
			}
		}
	}
	assert_true(sift_span_ieq(S("Content-Length"), "content-length"));
	assert_false(sift_span_ieq(S("Content-Lengti"), "content-length"));
	assert_false(sift_span_ieq(S("Dontent-Length"), "content-length"));
	assert_false(sift_span_ieq(S("Content\xcdLength"), "content-length"));
	assert_true(sift_span_ieq(S("P-ASSERTED-IDENTITY"), "p-asserted-identity"));
	assert_false(sift_span_ieq(S("P-ASSERTED-IDENTITz"), "p-asserted-identity["));
}

static void test_trim_split_find(void **state)
{
	struct sift_span s, head;

	(void)state;
	assert_span(sift_span_trim_wsp(S(" \t a b \t")), "a b");
	assert_span(sift_span_trim_wsp(S("\r\na\r\n")), "\r\na\r\n");
	assert_span(sift_span_trim_lws(S("\r\n a \r\n")), "a");
	assert_span(sift_span_trim_lws(S(" \t\r\n")), "");
	assert_span(sift_span_chomp(S("line\r")), "line");
	assert_span(sift_span_chomp(S("line")), "line");
	assert_int_equal(sift_span_skip_lws(S("a \r\n b"), 1), 5);
	assert_int_equal(sift_span_skip_lws(S("a  "), 1), 3);
	assert_int_equal(sift_span_find(S("a;b;c"), ';'), 1);
	assert_int_equal(sift_span_find(P("ab;", 2), ';'), 2);
	assert_int_equal(sift_span_find(S(""), ';'), 0);

	s = S("a/b/c");
	assert_true(sift_span_split(&s, '/', &head));
	assert_span(head, "a");
	assert_span(s, "b/c");
	assert_true(sift_span_split(&s, '/', &head));
	assert_false(sift_span_split(&s, '/', &head));
	assert_span(head, "c");
	assert_int_equal(s.n, 0);
	/* A separator past n is not seen. */
	s = P("ab/c", 2);
	assert_false(sift_span_split(&s, '/', &head));
	assert_span(head, "ab");

	s = S("  one\ttwo  three ");
	assert_true(sift_span_next_word(&s, &head));
	assert_span(head, "one");
	assert_true(sift_span_next_word(&s, &head));
	assert_span(head, "two");
	assert_true(sift_span_next_word(&s, &head));
	assert_span(head, "three");
	assert_false(sift_span_next_word(&s, &head));

	assert_span(sift_span_sub(S("abcdef"), 2, 4), "cd");
	assert_span(sift_span_sub(S("abc"), 2, 10), "c");
	assert_span(sift_span_sub(S("abc"), 5, 10), "");
}

static void test_tokens(void **state)
{
	(void)state;
	assert_true(sift_span_is_token(S("INVITE")));
	assert_true(sift_span_is_token(S("a-b.c!d%e*f_g+h`i'j~")));
	assert_false(sift_span_is_token(S("")));
	assert_false(sift_span_is_token(S("a b")));
	assert_false(sift_span_is_token(S("a:b")));
	assert_false(sift_span_is_token(P("a\0b", 3)));
	assert_true(sift_is_hex('F') && sift_is_hex('a') && !sift_is_hex('g'));
	assert_true(sift_is_lws('\n') && !sift_is_wsp('\n'));
	/* The token table against RFC 3261 §25.1's token, every byte. */
	for (int c = 0; c < 256; c++) {
		bool want = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
			    (c >= 'A' && c <= 'Z') ||
			    (c && strchr("-.!%*_+`'~", c));

		assert_int_equal(sift_is_token_char((uint8_t)c), want);
	}
	assert_int_equal(sift_lower('Q'), 'q');
	assert_int_equal(sift_lower('['), '[');
}

static void test_decimal(void **state)
{
	uint64_t v = 77;
	uint32_t w = 77;

	(void)state;
	assert_int_equal(sift_span_dec(S("0"), 10, &v), SIFT_DEC_OK);
	assert_int_equal(v, 0);
	assert_int_equal(sift_span_dec(S("65535"), 65535, &v), SIFT_DEC_OK);
	assert_int_equal(v, 65535);
	v = 77;
	assert_int_equal(sift_span_dec(S("65536"), 65535, &v), SIFT_DEC_TOO_BIG);
	assert_int_equal(v, 77);
	assert_int_equal(sift_span_dec(S(""), 10, &v), SIFT_DEC_NOT_A_NUMBER);
	assert_int_equal(sift_span_dec(S("-1"), 10, &v), SIFT_DEC_NOT_A_NUMBER);
	assert_int_equal(sift_span_dec(S("+1"), 10, &v), SIFT_DEC_NOT_A_NUMBER);
	assert_int_equal(sift_span_dec(S(" 1"), 10, &v), SIFT_DEC_NOT_A_NUMBER);
	assert_int_equal(sift_span_dec(S("1 "), 10, &v), SIFT_DEC_NOT_A_NUMBER);
	/* Too big, but a non-digit later still makes it no number. */
	assert_int_equal(sift_span_dec(S("99999999999999999999999x"), UINT64_MAX,
				       &v), SIFT_DEC_NOT_A_NUMBER);
	/* 2^64 - 1 fits, 2^64 does not; nothing wraps around. */
	assert_int_equal(sift_span_dec(S("18446744073709551615"), UINT64_MAX, &v),
			 SIFT_DEC_OK);
	assert_true(v == UINT64_MAX);
	assert_int_equal(sift_span_dec(S("18446744073709551616"), UINT64_MAX, &v),
			 SIFT_DEC_TOO_BIG);
	assert_int_equal(sift_span_dec(S("36893488147419103232"), UINT64_MAX, &v),
			 SIFT_DEC_TOO_BIG);
	/* 4294972356 = 2^32 + 5060: wrapped to 32 bits it would be 5060. */
	assert_false(sift_span_u32(S("4294972356"), UINT32_MAX, &w));
	assert_int_equal(w, 77);
	assert_true(sift_span_u32(S("4294967295"), UINT32_MAX, &w));
	assert_true(w == UINT32_MAX);
	assert_false(sift_span_u32(S("256"), 255, &w));
	assert_true(sift_span_u32(S("00255"), 255, &w));
	assert_int_equal(w, 255);
	/* Only the digits within n. */
	assert_true(sift_span_u64(P("123456", 3), 1000, &v));
	assert_int_equal(v, 123);
	assert_false(sift_span_u64(S("5"), 4, &v));
	assert_true(sift_span_u64(S("9"), 9, &v));
}

static void test_blank_line(void **state)
{
	static const char crlf[] = "A\r\nB: c\r\n\r\nbody";
	static const char lf[] = "A\nB: c\n\nbody";

	(void)state;
	assert_int_equal(sift_span_blank_line((const uint8_t *)crlf, strlen(crlf)),
			 strlen(crlf) - 4);
	assert_int_equal(sift_span_blank_line((const uint8_t *)lf, strlen(lf)),
			 strlen(lf) - 4);
	assert_int_equal(sift_span_blank_line((const uint8_t *)crlf, 10), 0);
	assert_int_equal(sift_span_blank_line((const uint8_t *)"", 0), 0);
}

/* Walks msg's headers into "name=value|..." for comparison. */
static void walk(const char *msg, size_t n, bool start_line, char *out,
		 size_t len)
{
	struct sift_hdr_iter it;
	struct sift_hdr h;
	size_t o = 0;

	sift_hdr_iter_init(&it, (const uint8_t *)msg, n, start_line);
	out[0] = '\0';
	while (sift_hdr_next(&it, &h)) {
		int k = snprintf(out + o, len - o, "%.*s%s%.*s|", (int)h.name.n,
				 (const char *)h.name.p, h.colon ? "=" : "!",
				 (int)h.value.n, (const char *)h.value.p);

		assert_true(k > 0 && (size_t)k < len - o);
		o += (size_t)k;
		/* Every span lies inside the message. */
		assert_true(h.value.p >= (const uint8_t *)msg &&
			    h.value.p + h.value.n <= (const uint8_t *)msg + n);
	}
}

/* A walk from the empty line sift_span_blank_line found is the walk that
 * finds it: the same start line, headers and body; a message with CRLFs
 * before its start line, or no empty line, is refused. */
static void test_walk_from_known_body(void **state)
{
	static const char *const msgs[] = {
		"INVITE sip:b SIP/2.0\r\nVia: x\r\nTo: <sip:b>\r\n\r\nv=0\r\n",
		"INVITE sip:b SIP/2.0\nVia: x\n folded\nTo: b\n\nbody",
		"OPTIONS sip:b SIP/2.0\r\n\r\n",
		"OPTIONS sip:b SIP/2.0\n\n",
		"SIP/2.0 200 OK\r\nA: 1\r\n\nB: 2\r\n\r\n",
		"SIP/2.0 200 OK\r\nA: 1\r\n\r\n\r\nmore",
	};
	static const char *const refused[] = {
		"\r\n\r\nINVITE sip:b SIP/2.0\r\nVia: x\r\n\r\n",
		"INVITE sip:b SIP/2.0\r\nVia: x\r\n",
		"",
	};
	struct sift_hdr_iter a, b;
	struct sift_hdr ha, hb;

	(void)state;
	for (size_t k = 0; k < sizeof(msgs) / sizeof(msgs[0]); k++) {
		const uint8_t *p = (const uint8_t *)msgs[k];
		size_t n = strlen(msgs[k]), body = sift_span_blank_line(p, n);

		assert_true(body > 0);
		assert_true(sift_hdr_iter_init_body(&a, p, n, body));
		sift_hdr_iter_init(&b, p, body, true);
		assert_int_equal(a.pos, b.pos);
		assert_int_equal(a.end, b.end);
		assert_int_equal(a.body, b.body);
		assert_ptr_equal(a.start.p, b.start.p);
		assert_int_equal(a.start.n, b.start.n);
		for (;;) {
			bool more = sift_hdr_next(&a, &ha);

			assert_int_equal(more, sift_hdr_next(&b, &hb));
			if (!more)
				break;
			assert_ptr_equal(ha.line.p, hb.line.p);
			assert_int_equal(ha.line.n, hb.line.n);
		}
	}
	for (size_t k = 0; k < sizeof(refused) / sizeof(refused[0]); k++) {
		const uint8_t *p = (const uint8_t *)refused[k];
		size_t n = strlen(refused[k]), body = sift_span_blank_line(p, n);

		assert_false(sift_hdr_iter_init_body(&a, p, n, body ? body : n));
	}
}

static void test_header_walker(void **state)
{
	static const char msg[] =
		"\r\nINVITE sip:b@h SIP/2.0\r\n"
		"Via: SIP/2.0/UDP h\r\n"
		"v : SIP/2.0/UDP g ;branch=z\r\n"
		"Subject: one\r\n"
		" two\r\n"
		"\tthree\r\n"
		"no colon here\r\n"
		"Route:\r\n"
		"X-Empty:   \r\n"
		"\r\n"
		"Body: not a header\r\n";
	char out[512];
	struct sift_hdr_iter it;
	struct sift_hdr h;
	size_t n = strlen(msg);

	(void)state;
	walk(msg, n, true, out, sizeof(out));
	assert_string_equal(out,
			    "Via=SIP/2.0/UDP h|v=SIP/2.0/UDP g ;branch=z|"
			    "Subject=one\r\n two\r\n\tthree|no!|Route=|X-Empty=|");
	sift_hdr_iter_init(&it, (const uint8_t *)msg, n, true);
	assert_span(it.start, "INVITE sip:b@h SIP/2.0");
	assert_int_equal(it.body, n - strlen("Body: not a header\r\n"));
	assert_true(sift_hdr_next(&it, &h));
	assert_true(sift_hdr_is(&h, "via", "v"));
	assert_span(h.line, "Via: SIP/2.0/UDP h");
	assert_true(sift_hdr_next(&it, &h));
	assert_true(sift_hdr_is(&h, "via", "v"));
	assert_false(sift_hdr_is(&h, "via", NULL));
	assert_true(sift_hdr_next(&it, &h));
	assert_false(sift_hdr_is(&h, "via", "v"));
	assert_true(sift_hdr_is(&h, "subject", "s"));

	/* Without a start line, the first line is a header; LF line ends;
	 * no empty line: the walk ends with the bytes. */
	walk("Content-Length: 5\nl:7", 21, false, out, sizeof(out));
	assert_string_equal(out, "Content-Length=5|l=7|");
	/* Cut short: nothing past n, not even half a header. */
	walk("A: 1\r\nB: 2\r\n", 8, false, out, sizeof(out));
	assert_string_equal(out, "A=1|B=|");
	walk("A: 1\r\nB: 2\r\n", 7, false, out, sizeof(out));
	assert_string_equal(out, "A=1|B!|");
	/* A start line alone; nothing at all. */
	walk("SIP/2.0 200 OK", 14, true, out, sizeof(out));
	assert_string_equal(out, "");
	walk("", 0, true, out, sizeof(out));
	assert_string_equal(out, "");
	/* An empty first line ends the block at once. */
	walk("\r\nA: 1\r\n", 8, false, out, sizeof(out));
	assert_string_equal(out, "");
}

/* Case-sensitive prefix, substring search and the lower-case copy. */
static void test_prefix_find_lower(void **state)
{
	struct sift_span rest;
	char *d;

	(void)state;
	assert_true(sift_span_prefix(S("a=crypto:1 AES"), "a=crypto:", &rest));
	assert_span(rest, "1 AES");
	assert_false(sift_span_prefix(S("A=crypto:1"), "a=crypto:", NULL));
	assert_false(sift_span_prefix(P("a=crypto:", 8), "a=crypto:", NULL));
	assert_true(sift_span_prefix(S("m=audio"), "", &rest));
	assert_span(rest, "m=audio");

	assert_int_equal(sift_span_find_str(S("m=audio 4 RTP/SAVP 0"), "RTP/SAVP"), 10);
	assert_int_equal(sift_span_find_str(S("UDP/TLS/RTP/SAVPF"), "RTP/SAVP"), 8);
	/* A match that would run past n is none. */
	assert_int_equal(sift_span_find_str(P("x RTP/SAVP", 9), "RTP/SAVP"), 9);
	assert_int_equal(sift_span_find_str(S("RTP/SAV RTP/SAVP"), "RTP/SAVP"), 8);
	assert_int_equal(sift_span_find_str(S("RRTP/SAVP"), "RTP/SAVP"), 1);
	assert_int_equal(sift_span_find_str(S("abc"), ""), 3);
	assert_int_equal(sift_span_find_str(S(""), "a"), 0);
	assert_int_equal(sift_span_find_str(S("ab"), "abc"), 2);

	d = sift_span_lower_dup(P("INVITE-Me", 6));
	assert_non_null(d);
	assert_string_equal(d, "invite");
	free(d);
	d = sift_span_lower_dup(S("Opt-1_x"));
	assert_string_equal(d, "opt-1_x");
	free(d);
	d = sift_span_lower_dup(S(""));
	assert_string_equal(d, "");
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_ieq_every_byte),
		cmocka_unit_test(test_trim_split_find),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_decimal),
		cmocka_unit_test(test_blank_line),
		cmocka_unit_test(test_header_walker),
		cmocka_unit_test(test_walk_from_known_body),
		cmocka_unit_test(test_prefix_find_lower),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
