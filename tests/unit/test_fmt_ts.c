/* Unit tests: the UTC time stamps of the text reports (sift_fmt_ts in
 * src/report/report_text.c), written by hand from 1970 to 9999, held to
 * gmtime_r and snprintf, the way they were written before; and their
 * "%.2f" numbers (sift_fmt_fixed), held to snprintf. */
#include "testutil.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sipsift/report.h"
#include "report/report_int.h"

/* What sift_fmt_ts wrote through gmtime_r. */
static void reference(sift_time t, char *buf, size_t len)
{
	time_t sec = (time_t)(t / SIFT_USEC);
	long usec = (long)(t % SIFT_USEC);
	struct tm tm;

	if (usec < 0) {
		usec += SIFT_USEC;
		sec -= 1;
	}
	if (!gmtime_r(&sec, &tm)) {
		snprintf(buf, len, "?");
		return;
	}
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d.%06ld",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, usec);
}

static void same(sift_time t)
{
	char want[64], got[64];

	reference(t, want, sizeof(want));
	sift_fmt_ts(t, got, sizeof(got));
	if (strcmp(want, got) != 0)
		fail_msg("%lld: want %s, got %s", (long long)t, want, got);
}

static void test_days_and_edges(void **state)
{
	static const int64_t secs[] = {
		0, 59, 60, 3599, 3600, 86399, 86400,
		951782400,     /* 2000-02-29 */
		951868800,     /* 2000-03-01 */
		4107456000,    /* 2100-02-28 */
		4107542400,    /* 2100-03-01 */
		1796547246,    /* a capture of 2026 */
		4294967295,    /* 2106, the last unsigned 32-bit second */
		253402300799,  /* 9999-12-31 23:59:59 */
		253402300800,  /* 10000: gmtime's way again */
		-1, -86400, -86401,
	};

	(void)state;
	/* Every day from 1970 to past 2500, at its first and last second. */
	for (int64_t d = 0; d < 200000; d++) {
		same((sift_time)d * 86400 * SIFT_USEC);
		same(((sift_time)d * 86400 + 86399) * SIFT_USEC + 999999);
	}
	for (size_t i = 0; i < sizeof(secs) / sizeof(secs[0]); i++) {
		same((sift_time)secs[i] * SIFT_USEC);
		same((sift_time)secs[i] * SIFT_USEC + 123456);
		same((sift_time)secs[i] * SIFT_USEC - 1);
	}
}

static void test_random(void **state)
{
	uint64_t rng = 88172645463325252ULL;

	(void)state;
	for (int i = 0; i < 300000; i++) {
		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		same((sift_time)(rng % 253402300800ULL) * SIFT_USEC + (sift_time)(rng % 1000000));
	}
}

/* A buffer too short for the whole stamp is cut as snprintf cuts it. */
static void test_short_buffer(void **state)
{
	char want[16], got[16];

	(void)state;
	reference(1796547246LL * SIFT_USEC, want, sizeof(want));
	sift_fmt_ts(1796547246LL * SIFT_USEC, got, sizeof(got));
	assert_string_equal(got, want);
}

/* The time of day: the stamp's last 15 characters from 1970 to 9999,
 * and right, still 15 characters, before and after. */
static void test_time_of_day(void **state)
{
	static const struct {
		int64_t us;
		const char *want;
	} far[] = {
		{ -1, "23:59:59.999999" },
		{ -86400LL * SIFT_USEC - 1, "23:59:59.999999" },
		{ 253402300800LL * SIFT_USEC + 3723000042LL, "01:02:03.000042" },
		{ INT64_MAX, "04:00:54.775807" },
		{ INT64_MIN, "19:59:05.224192" },
	};
	char full[64], got[64];
	uint64_t rng = 2463534242ULL;

	(void)state;
	for (int i = 0; i < 100000; i++) {
		sift_time t;

		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		t = (sift_time)(rng % 253402300800ULL) * SIFT_USEC +
		    (sift_time)(rng % 1000000);
		sift_fmt_ts(t, full, sizeof(full));
		sift_fmt_tod(t, got, sizeof(got));
		if (strcmp(full + 11, got) != 0)
			fail_msg("%lld: want %s, got %s", (long long)t, full + 11, got);
	}
	for (size_t i = 0; i < sizeof(far) / sizeof(far[0]); i++)
		assert_string_equal(sift_fmt_tod(far[i].us, got, sizeof(got)),
				    far[i].want);
	/* A short buffer is cut, as snprintf cuts. */
	assert_string_equal(sift_fmt_tod(0, got, 6), "00:00");
}

static void fixed_same(double v, unsigned prec)
{
	char want[400], got[400];

	snprintf(want, sizeof(want), "%.*f", (int)prec, v);
	sift_fmt_fixed(v, prec, got, sizeof(got));
	if (strcmp(want, got) != 0)
		fail_msg("%.17g at %u: want %s, got %s", v, prec, want, got);
}

/* Ties (exact halves round to even, as glibc does), signs, zero, values
 * too small or too large for the integer way, and random doubles of
 * every size a report holds, at every precision. */
static void test_fixed(void **state)
{
	static const double edge[] = {
		0.0, -0.0, 0.125, 0.375, 2.5, 3.5, -2.5, 0.005, 0.015, 1.005,
		4.35, 90.655, 99.995, 1e-30, -1e-30, 5e-324, 0.5, 1.5,
		4503599627370495.5, 4503599627370496.0, 9007199254740991.0,
		9007199254740992.0, 1e300, -1e300, INFINITY, -INFINITY, NAN,
	};
	uint64_t x = 88172645463325252ULL;

	(void)state;
	for (size_t i = 0; i < sizeof(edge) / sizeof(edge[0]); i++)
		for (unsigned p = 0; p <= 6; p++)
			fixed_same(edge[i], p);
	for (int i = 0; i < 300000; i++) {
		double v;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* Mantissa and exponent at random: 2^-40 to 2^60. */
		v = ldexp((double)(x >> 11), (int)(x % 100) - 93);
		if (x & 1)
			v = -v;
		fixed_same(v, (unsigned)(x >> 5) % 7);
		/* Decimal-looking values too (ms, MOS, percentages). */
		fixed_same((double)(x % 100000) / 1000.0, (unsigned)(x >> 9) % 4);
	}
	/* Precision past 6, or a short buffer: snprintf's own answer. */
	fixed_same(1.0 / 3.0, 9);
	{
		char b[8];

		assert_string_equal(sift_fmt_fixed(3.14159, 2, b, sizeof(b)), "3.14");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days_and_edges),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_short_buffer),
		cmocka_unit_test(test_time_of_day),
		cmocka_unit_test(test_fixed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
