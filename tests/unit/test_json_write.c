/* Unit tests: our JSON text writer (src/report/report_json_write.c) writes
 * exactly the bytes jansson's json_dumps writes with the report's flags,
 * indented and compact, on fixed cases and on random trees. */
#include "testutil.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "report/report_json_write.h"

#define DUMP_FLAGS (JSON_REAL_PRECISION(16) | JSON_ENSURE_ASCII | JSON_ENCODE_ANY)

/* Ours beside jansson's, for one value at one indent (0: compact). */
static void same_as_jansson(json_t *v, unsigned indent)
{
	struct sift_jw w = {0};
	char *want = json_dumps(v, DUMP_FLAGS | (indent ? JSON_INDENT(indent) : JSON_COMPACT));

	assert_non_null(want);
	sift_jw_value(&w, v, indent, 0);
	assert_false(w.failed);
	sift_jw_put(&w, "", 1);
	assert_string_equal(w.p, want);
	free(want);
	free(w.p);
}

static void test_fixed(void **state)
{
	static const double reals[] = {
		0.0, -0.0, 1.0, -1.5, 0.1, 1e20, 1e-5, 1.5e-7, 123456789012345678.0,
		1733475600.123456, 3.141592653589793, 1e300, -2.5e-300, 4.35, 99.99,
		1e15, 1e16, 1e17, 0.0001, 0.00001,
	};
	static const json_int_t ints[] = {
		0, 1, -1, 9, 10, -10, 65535, 4294967296LL, INT64_MAX, INT64_MIN,
	};
	static const char *strs[] = {
		"", "plain", "quote\" back\\ slash/", "\b\f\n\r\t\x01\x1f\x7f",
		"\xc2\xa7 RFC 3261", "\xe2\x80\xae bidi", "\xf0\x9f\x93\x9e phone",
		"\xef\xbf\xbd", "sip:alice@example.com;tag=1",
	};
	json_t *o = json_object(), *a = json_array(), *empty = json_object();

	(void)state;
	for (size_t i = 0; i < sizeof(reals) / sizeof(reals[0]); i++) {
		json_t *r = json_real(reals[i]);

		same_as_jansson(r, 0);
		json_array_append_new(a, r);
	}
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		json_t *n = json_integer(ints[i]);

		same_as_jansson(n, 2);
		json_array_append_new(a, n);
	}
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		json_t *s = json_string(strs[i]);

		assert_non_null(s);
		same_as_jansson(s, 0);
		json_decref(s);
		json_object_set_new(o, strs[i], json_string(strs[i]));
	}
	/* Controls only: six bytes out for each byte in, past what any
	 * buffer started with. */
	{
		char ctl[5000];

		memset(ctl, 1, sizeof(ctl) - 1);
		ctl[sizeof(ctl) - 1] = '\0';
		json_t *c = json_string(ctl);

		same_as_jansson(c, 0);
		json_decref(c);
		json_object_set_new(o, "controls", json_string(ctl));
	}
	/* A NUL inside a string is escaped, not an end. */
	json_object_set_new(o, "nul", json_stringn("a\0b", 3));
	json_object_set_new(o, "empty object", empty);
	json_object_set_new(o, "empty array", json_array());
	json_object_set_new(o, "values", a);
	json_object_set_new(o, "t", json_true());
	json_object_set_new(o, "f", json_false());
	json_object_set_new(o, "n", json_null());
	same_as_jansson(o, 0);
	same_as_jansson(o, 2);
	same_as_jansson(o, 4);
	json_decref(o);
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A random string of valid UTF-8: ASCII with its controls and escapes,
 * and code points of two, three and four bytes. */
static json_t *random_string(void)
{
	char buf[64];
	size_t n = 0, want = next() % 40;

	for (size_t i = 0; i < want && n + 4 < sizeof(buf); i++) {
		uint32_t cp;

		switch (next() % 6) {
		case 0: cp = (uint32_t)(next() % 0x20); break;
		case 1: cp = "\"\\/ az"[next() % 6]; break;
		case 2: cp = 0x80 + (uint32_t)(next() % 0x780); break;
		case 3:
			cp = 0x800 + (uint32_t)(next() % 0xf800);
			if (cp >= 0xd800 && cp < 0xe000)
				cp = 0xfffd;
			break;
		case 4: cp = 0x10000 + (uint32_t)(next() % 0x100000); break;
		default: cp = 0x20 + (uint32_t)(next() % 0x5f); break;
		}
		if (cp < 0x80) {
			buf[n++] = (char)cp;
		} else if (cp < 0x800) {
			buf[n++] = (char)(0xc0 | cp >> 6);
			buf[n++] = (char)(0x80 | (cp & 0x3f));
		} else if (cp < 0x10000) {
			buf[n++] = (char)(0xe0 | cp >> 12);
			buf[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			buf[n++] = (char)(0x80 | (cp & 0x3f));
		} else {
			buf[n++] = (char)(0xf0 | cp >> 18);
			buf[n++] = (char)(0x80 | ((cp >> 12) & 0x3f));
			buf[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			buf[n++] = (char)(0x80 | (cp & 0x3f));
		}
	}
	return json_stringn(buf, n);
}

static double random_real(void)
{
	switch (next() % 4) {
	case 0: return (double)(int64_t)next() / 1e6;
	case 1: return (double)(next() % 100000) / 100.0;
	case 2: {
		union { uint64_t u; double d; } x;

		/* Any finite double, NaN and infinities aside (not JSON). */
		do
			x.u = next();
		while ((x.u & 0x7ff0000000000000ULL) == 0x7ff0000000000000ULL);
		return x.d;
	}
	default: return (double)(next() % 1000) * 1e-9;
	}
}

static json_t *random_value(unsigned depth)
{
	unsigned kind = (unsigned)(next() % (depth < 4 ? 8 : 6));

	switch (kind) {
	case 0: return json_integer((json_int_t)next() >> (next() % 64));
	case 1: return json_real(random_real());
	case 2: return random_string();
	case 3: return json_true();
	case 4: return json_false();
	case 5: return json_null();
	case 6: {
		json_t *o = json_object();
		size_t n = next() % 5;

		for (size_t i = 0; i < n; i++) {
			json_t *k = random_string();

			json_object_setn_new(o, json_string_value(k), json_string_length(k),
					     random_value(depth + 1));
			json_decref(k);
		}
		return o;
	}
	default: {
		json_t *a = json_array();
		size_t n = next() % 5;

		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, random_value(depth + 1));
		return a;
	}
	}
}

static void test_random_trees(void **state)
{
	(void)state;
	for (int i = 0; i < 3000; i++) {
		json_t *v = random_value(0);

		same_as_jansson(v, 0);
		same_as_jansson(v, 2);
		json_decref(v);
	}
}

/* One real as ours and as jansson's (snprintf "%.16g"), compact. */
static void same_real(double d)
{
	json_t *r = json_real(d);

	same_as_jansson(r, 0);
	json_decref(r);
}

/* Reals are written by integer arithmetic where %.16g writes no exponent
 * (report_json_write.c): every kind a report holds, the edges of that
 * range, rounding that carries into a new digit, and exact ties (glibc
 * rounds them to even). */
static void test_reals(void **state)
{
	static const double fixed[] = {
		1234567890123456.5, 1234567890123457.5, 1234567890123455.5,
		9999999999999999.0, 9999999999999998.0, 999999999999999.9,
		99999999999999.99, 0.99999999999999999, 9.9999999999999991,
		0.0001, 0.00010000000000000001, 0.000099999999999999991,
		1e15, 1e16, 1e-4, 2.5, 0.125, 0.3, 1796547246.60648,
		1796547246.607497, 4503599627370496.5, 9007199254740991.0,
		0.0,                 /* and -0.0: put_real's own path */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		same_real(fixed[i]);
		same_real(-fixed[i]);
	}
	for (int j = -6; j <= 17; j++) {
		double p = pow(10, j);

		same_real(p);
		same_real(nextafter(p, 0));
		same_real(nextafter(p, INFINITY));
		same_real(nextafter(nextafter(p, 0), 0));
	}
	for (int i = 0; i < 200000; i++) {
		double d;

		switch (i % 5) {
		case 0: /* a capture time: seconds and microseconds */
			d = (double)(1000000000 + next() % 1000000000) +
			    (double)(next() % 1000000) / 1e6;
			break;
		case 1: /* milliseconds, ratios */
			d = (double)(next() % 100000000) / pow(10, (double)(next() % 9));
			break;
		case 2: { /* any bits whose exponent falls near the range */
			union { uint64_t u; double d; } x;

			x.u = next() & 0x800fffffffffffffULL;
			x.u |= (uint64_t)(1023 - 16 + next() % 72) << 52;
			d = x.d;
			break;
		}
		case 3: /* a 16-digit decimal and a half ulp beside it */
			d = (double)(next() % 10000000000000000ULL) / pow(10, (double)(next() % 21));
			d = nextafter(d, (next() & 1) ? INFINITY : 0);
			break;
		default: /* halves at the 16th digit */
			d = ((double)(next() % 9000000000000000ULL + 1000000000000000ULL) + 0.5) /
			    pow(10, (double)(next() % 20));
			break;
		}
		same_real(d);
	}
}

/* A string that is not valid UTF-8 (jansson never holds one, but the
 * writer must not read past it): each bad byte becomes U+FFFD. */
static void test_invalid_utf8_stays_inside(void **state)
{
	struct sift_jw w = {0};

	(void)state;
	sift_jw_string(&w, "a\xe2\x80", 3);
	sift_jw_string(&w, "\xf0\x9f", 2);
	sift_jw_string(&w, "\xc0\xaf", 2);
	sift_jw_put(&w, "", 1);
	assert_string_equal(w.p, "\"a\\uFFFD\\uFFFD\"\"\\uFFFD\\uFFFD\"\"\\uFFFD\\uFFFD\"");
	free(w.p);
}

/* One random description, given to a tree and to text: the text is the
 * tree's dump. The generator is re-seeded so both see the same calls. */
static void describe(struct sift_jv *v, const char *key, unsigned depth)
{
	static const char *texts[] = {
		NULL, "", "sip:bob@example.com", "quote\" and \\", "\x1b[31m",
		"caf\xc3\xa9", "bad \xff\xfe utf-8", "\xe2\x80\xae", "cut \xe2\x80",
		/* past eight bytes, a special byte at each place of a word */
		"sip:alice@atlanta.example.com;transport=tcp",
		"0123456\"89abcdef\\", "01234567\n", "012345678\x7f\x1f",
		"twenty plain bytes..caf\xc3\xa9 then more plain bytes",
		"twenty plain bytes..\xff", "0123456789abcde\xe2\x80",
	};
	/* Short and long keys (put_key copies 8 bytes at a time), with a
	 * byte that needs an escape early, late, or past ASCII. */
	const char *keys[] = { "a", "from", "to_tag", "\xc2\xa7", "k\"q",
			       "jitter_ms_mean", "rtt_ms_mean_of_all\"q",
			       "abcdefgh\\", "abcdefghijklmnop\xc3\xa9",
			       /* past text_member's 48 bytes, plain and not */
			       "a_name_of_forty_nine_bytes_which_no_report_has_01",
			       "a_name_of_forty_seven_bytes_which_no_report_has",
			       "a_name_of_forty_seven_bytes_no_report_has_at_al\x01" };
	const size_t nkeys = sizeof(keys) / sizeof(keys[0]);
	unsigned kind = (unsigned)(next() % (depth < 5 ? 9 : 6));

	switch (kind) {
	case 0: sift_jv_int(v, key, (long long)(next() >> (next() % 64))); break;
	case 1: sift_jv_real(v, key, random_real()); break;
	case 2: sift_jv_text_str(v, key, texts[next() % (sizeof(texts) / sizeof(texts[0]))]); break;
	case 3: sift_jv_bool(v, key, next() & 1); break;
	case 4: sift_jv_null(v, key); break;
	case 5: sift_jv_put(v, key, random_value(3)); break;
	case 6: case 7: {
		size_t n = next() % 5;

		sift_jv_obj(v, key);
		for (size_t i = 0; i < n; i++) {
			/* Keys unique within an object, as ours are. */
			char k[64];

			snprintf(k, sizeof(k), "%s%zu", keys[next() % nkeys], i);
			describe(v, k, depth + 1);
		}
		sift_jv_end(v);
		break;
	}
	default: {
		size_t n = next() % 5;

		sift_jv_arr(v, key);
		for (size_t i = 0; i < n; i++)
			describe(v, NULL, depth + 1);
		sift_jv_end(v);
		break;
	}
	}
}

static void test_jv_tree_and_text_agree(void **state)
{
	(void)state;
	for (int i = 0; i < 2000; i++) {
		uint64_t seed = rng;
		struct sift_jv tv, xv;
		struct sift_jw w = {0}, wc = {0};
		char *want, *want_c;

		sift_jv_tree(&tv);
		describe(&tv, NULL, 0);
		assert_non_null(tv.root);
		want = json_dumps(tv.root, DUMP_FLAGS | JSON_INDENT(2));
		want_c = json_dumps(tv.root, DUMP_FLAGS | JSON_COMPACT);
		rng = seed;
		sift_jv_text(&xv, &w, 2, 0);
		describe(&xv, NULL, 0);
		rng = seed;
		sift_jv_text(&xv, &wc, 0, 0);
		describe(&xv, NULL, 0);
		sift_jw_put(&w, "", 1);
		sift_jw_put(&wc, "", 1);
		assert_false(w.failed);
		assert_string_equal(w.p, want);
		assert_string_equal(wc.p, want_c);
		free(want);
		free(want_c);
		free(w.p);
		free(wc.p);
		json_decref(tv.root);
	}
}

/* A time stamp written from its integer is the real t / 1e6 as the writer
 * writes any real: random stamps of ten-digit seconds (past 2^33 too,
 * where the first version went wrong: 9999999999.999999 is the double
 * 10000000000), the edges, whole seconds, and stamps outside (reals). */
static void one_ts(sift_time t)
{
	struct sift_jv a, b;
	struct sift_jw wa = {0}, wb = {0};

	sift_jv_text(&a, &wa, 0, 0);
	sift_jv_obj(&a, NULL);
	sift_jv_ts(&a, "ts", t);
	sift_jv_end(&a);
	sift_jv_text(&b, &wb, 0, 0);
	sift_jv_obj(&b, NULL);
	sift_jv_real(&b, "ts", (double)t / 1e6);
	sift_jv_end(&b);
	sift_jw_put(&wa, "", 1);
	sift_jw_put(&wb, "", 1);
	assert_string_equal(wa.p, wb.p);
	free(wa.p);
	free(wb.p);
}

/* sift_put_dec, which every number and address goes through, against
 * printf: each length's edges (10^k - 1, 10^k, 10^k + 1) and the ends. */
static void test_put_dec(void **state)
{
	uint64_t v = 1;

	(void)state;
	for (int k = 0; k <= 20; k++) {
		uint64_t probe[] = { v - 1, v, v + 1, UINT64_MAX, UINT64_MAX - 1 };

		for (size_t i = 0; i < sizeof(probe) / sizeof(probe[0]); i++) {
			char got[24], want[24];
			size_t n = sift_put_dec(got, probe[i]);

			got[n] = '\0';
			snprintf(want, sizeof(want), "%llu", (unsigned long long)probe[i]);
			assert_string_equal(got, want);
		}
		if (k < 19)
			v *= 10;
	}
}

static void test_ts(void **state)
{
	static const sift_time edges[] = {
		1000000000LL * SIFT_USEC, 1000000000LL * SIFT_USEC - 1,
		10000000000LL * SIFT_USEC - 1, 10000000000LL * SIFT_USEC,
		8589934592LL * SIFT_USEC - 1, 8589934592LL * SIFT_USEC,
		8589934591999999LL, 8589934591500001LL,
		1796590351893559LL, 1796590351000000LL, 1796590351500000LL,
		1796590351000001LL, 1796590351999999LL, 1796590351100000LL,
		0, 1, 5000001, -1500000, 999999999999999LL,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		one_ts(edges[i]);
	for (int i = 0; i < 200000; i++) {
		uint64_t x = next();
		sift_time t = (sift_time)(1000000000000000ULL + x % 9000000000000000ULL);

		/* Whole, tenths, and any microseconds. */
		if (i % 3 == 0)
			t -= t % SIFT_USEC;
		else if (i % 3 == 1)
			t -= t % 100000;
		one_ts(t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed),
		cmocka_unit_test(test_random_trees),
		cmocka_unit_test(test_reals),
		cmocka_unit_test(test_invalid_utf8_stays_inside),
		cmocka_unit_test(test_jv_tree_and_text_agree),
		cmocka_unit_test(test_ts),
		cmocka_unit_test(test_put_dec),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
