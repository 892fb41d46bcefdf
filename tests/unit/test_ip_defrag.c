/* Unit tests for IPv4/IPv6 fragment reassembly (src/ip_defrag.c). */
#include "testutil.h"

#include <string.h>

#include "net/ip_defrag.h"

#define T0 (1000 * SIFT_USEC)

/* A payload whose every byte says where it is, so misplaced bytes show. */
static void fill_pattern(uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 7 + 3);
}

static struct sift_frag frag4(uint32_t id, const uint8_t *payload,
			      uint32_t off, size_t len, bool more)
{
	struct sift_frag f;

	memset(&f, 0, sizeof(f));
	f.family = 4;
	f.proto = 17;
	f.src[0] = 10;
	f.src[3] = 1;
	f.dst[0] = 10;
	f.dst[3] = 2;
	f.id = id;
	f.offset = off;
	f.more = more;
	f.data = payload + off;
	f.len = len;
	return f;
}

static struct sift_defrag *new_default(void)
{
	struct sift_defrag *d = sift_defrag_new(NULL);

	assert_non_null(d);
	return d;
}

static void test_in_order(void **state)
{
	uint8_t pl[3000];
	struct sift_defrag *d = new_default();
	struct sift_frag f;
	const uint8_t *out;
	size_t out_len;

	(void)state;
	fill_pattern(pl, sizeof(pl));
	f = frag4(7, pl, 0, 1480, true);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len), SIFT_OK);
	assert_null(out);
	assert_int_equal(sift_defrag_pending(d), 1);
	f = frag4(7, pl, 1480, 1480, true);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len), SIFT_OK);
	assert_null(out);
	f = frag4(7, pl, 2960, 40, false);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len), SIFT_OK);
	assert_non_null(out);
	assert_int_equal(out_len, sizeof(pl));
	assert_memory_equal(out, pl, sizeof(pl));
	assert_int_equal(sift_defrag_pending(d), 0);
	assert_int_equal(sift_defrag_stats(d)->fragments, 3);
	assert_int_equal(sift_defrag_stats(d)->reassembled, 1);
	assert_int_equal(sift_defrag_stats(d)->overlaps, 0);
	sift_defrag_free(d);
}

static void test_reverse_order(void **state)
{
	uint8_t pl[2500];
	struct sift_defrag *d = new_default();
	struct sift_frag f;
	const uint8_t *out;
	size_t out_len;

	(void)state;
	fill_pattern(pl, sizeof(pl));
	f = frag4(8, pl, 2000, 500, false);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len), SIFT_OK);
	assert_null(out);
	f = frag4(8, pl, 1000, 1000, true);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len), SIFT_OK);
	assert_null(out);
	f = frag4(8, pl, 0, 1000, true);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len), SIFT_OK);
	assert_non_null(out);
	assert_int_equal(out_len, sizeof(pl));
	assert_memory_equal(out, pl, sizeof(pl));
	assert_int_equal(sift_defrag_pending(d), 0);
	sift_defrag_free(d);
}

static void test_duplicate(void **state)
{
	uint8_t pl[1600];
	struct sift_defrag *d = new_default();
	struct sift_frag f;
	const uint8_t *out;
	size_t out_len;

	(void)state;
	fill_pattern(pl, sizeof(pl));
	f = frag4(9, pl, 0, 800, true);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len), SIFT_OK);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len), SIFT_OK);
	assert_null(out);
	assert_int_equal(sift_defrag_pending(d), 1);
	f = frag4(9, pl, 800, 800, false);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len), SIFT_OK);
	assert_non_null(out);
	assert_int_equal(out_len, sizeof(pl));
	assert_memory_equal(out, pl, sizeof(pl));
	assert_int_equal(sift_defrag_stats(d)->overlaps, 0);
	assert_int_equal(sift_defrag_stats(d)->fragments, 3);
	assert_int_equal(sift_defrag_stats(d)->reassembled, 1);
	sift_defrag_free(d);
}

/* Overlapping bytes that differ: the first copy wins and it is counted. */
static void test_overlap_differs(void **state)
{
	uint8_t pl[48], evil[48];
	struct sift_defrag *d = new_default();
	struct sift_frag f;
	const uint8_t *out;
	size_t out_len;

	(void)state;
	fill_pattern(pl, sizeof(pl));
	memset(evil, 0xee, sizeof(evil));
	f = frag4(10, pl, 0, 24, true);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len), SIFT_OK);
	/* bytes 16..39 from another source: 16..23 overlap, 24..39 new */
	f = frag4(10, evil, 16, 24, true);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len), SIFT_OK);
	assert_int_equal(sift_defrag_stats(d)->overlaps, 1);
	f = frag4(10, pl, 40, 8, false);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len), SIFT_OK);
	assert_non_null(out);
	assert_int_equal(out_len, 48);
	assert_memory_equal(out, pl, 24);
	assert_memory_equal(out + 24, evil + 24, 16);
	assert_memory_equal(out + 40, pl + 40, 8);
	assert_int_equal(sift_defrag_stats(d)->overlaps, 1);
	sift_defrag_free(d);
}

static void test_ipv6(void **state)
{
	uint8_t pl[3000];
	struct sift_defrag *d = new_default();
	struct sift_frag f, g;
	const uint8_t *out;
	size_t out_len;

	(void)state;
	fill_pattern(pl, sizeof(pl));
	memset(&f, 0, sizeof(f));
	f.family = 6;
	f.proto = 17;
	f.src[0] = 0x20;
	f.src[1] = 0x01;
	f.src[15] = 1;
	f.dst[0] = 0x20;
	f.dst[1] = 0x01;
	f.dst[15] = 2;
	f.id = 0xdeadbeef;
	f.offset = 1448;
	f.len = sizeof(pl) - 1448;
	f.data = pl + 1448;
	f.more = false;
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len), SIFT_OK);
	assert_null(out);
	/* Same id, other source address: a different datagram (RFC 8200
	 * §4.5 keys on source, destination and identification). */
	g = f;
	g.src[15] = 9;
	g.offset = 0;
	g.len = 1448;
	g.data = pl;
	g.more = true;
	assert_int_equal(sift_defrag_add(d, &g, T0, &out, &out_len), SIFT_OK);
	assert_null(out);
	assert_int_equal(sift_defrag_pending(d), 2);
	g.src[15] = 1;
	assert_int_equal(sift_defrag_add(d, &g, T0, &out, &out_len), SIFT_OK);
	assert_non_null(out);
	assert_int_equal(out_len, sizeof(pl));
	assert_memory_equal(out, pl, sizeof(pl));
	assert_int_equal(sift_defrag_pending(d), 1);
	sift_defrag_free(d);
}

static void test_missing_middle_timeout(void **state)
{
	uint8_t pl[3000];
	struct sift_defrag_limits lim;
	struct sift_defrag *d;
	struct sift_frag f;
	const uint8_t *out;
	size_t out_len;

	(void)state;
	fill_pattern(pl, sizeof(pl));
	sift_defrag_limits_default(&lim);
	lim.timeout = 2 * SIFT_USEC;
	d = sift_defrag_new(&lim);
	assert_non_null(d);
	f = frag4(11, pl, 0, 1000, true);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len), SIFT_OK);
	f = frag4(11, pl, 2000, 1000, false);
	assert_int_equal(sift_defrag_add(d, &f, T0 + 1, &out, &out_len), SIFT_OK);
	assert_null(out);
	sift_defrag_expire(d, T0 + 2 * SIFT_USEC);
	assert_int_equal(sift_defrag_pending(d), 1);
	assert_int_equal(sift_defrag_stats(d)->timeouts, 0);
	sift_defrag_expire(d, T0 + 2 * SIFT_USEC + 1);
	assert_int_equal(sift_defrag_pending(d), 0);
	assert_int_equal(sift_defrag_stats(d)->timeouts, 1);
	/* The middle arriving late starts a new datagram, not a completion. */
	f = frag4(11, pl, 1000, 1000, true);
	assert_int_equal(sift_defrag_add(d, &f, T0 + 3 * SIFT_USEC, &out,
					 &out_len), SIFT_OK);
	assert_null(out);
	assert_int_equal(sift_defrag_pending(d), 1);
	/* Expired lazily by a later add, without sift_defrag_expire. */
	f = frag4(12, pl, 0, 1000, true);
	assert_int_equal(sift_defrag_add(d, &f, T0 + 6 * SIFT_USEC, &out,
					 &out_len), SIFT_OK);
	assert_int_equal(sift_defrag_stats(d)->timeouts, 2);
	assert_int_equal(sift_defrag_pending(d), 1);
	assert_int_equal(sift_defrag_stats(d)->reassembled, 0);
	sift_defrag_free(d);
}

/* Capture time stepping back never makes a datagram younger. */
static void test_time_goes_back(void **state)
{
	uint8_t pl[100];
	struct sift_defrag_limits lim;
	struct sift_defrag *d;
	struct sift_frag f;
	const uint8_t *out;
	size_t out_len;

	(void)state;
	fill_pattern(pl, sizeof(pl));
	sift_defrag_limits_default(&lim);
	lim.timeout = SIFT_USEC;
	d = sift_defrag_new(&lim);
	assert_non_null(d);
	f = frag4(1, pl, 0, 48, true);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len), SIFT_OK);
	f = frag4(2, pl, 0, 48, true);
	assert_int_equal(sift_defrag_add(d, &f, T0 - 10 * SIFT_USEC, &out,
					 &out_len), SIFT_OK);
	sift_defrag_expire(d, T0 + SIFT_USEC + 1);
	assert_int_equal(sift_defrag_pending(d), 0);
	assert_int_equal(sift_defrag_stats(d)->timeouts, 2);
	sift_defrag_free(d);
}

static void test_cap_datagrams(void **state)
{
	uint8_t pl[64];
	struct sift_defrag_limits lim;
	struct sift_defrag *d;
	struct sift_frag f;
	const uint8_t *out;
	size_t out_len;
	uint32_t id;

	(void)state;
	fill_pattern(pl, sizeof(pl));
	sift_defrag_limits_default(&lim);
	lim.max_datagrams = 2;
	d = sift_defrag_new(&lim);
	assert_non_null(d);
	for (id = 1; id <= 3; id++) {
		f = frag4(id, pl, 0, 32, true);
		assert_int_equal(sift_defrag_add(d, &f, T0 + id, &out,
						 &out_len), SIFT_OK);
		assert_true(sift_defrag_pending(d) <= 2);
	}
	assert_int_equal(sift_defrag_pending(d), 2);
	assert_int_equal(sift_defrag_stats(d)->dropped_limit, 1);
	/* An eviction, said as such, and the two left are pending. */
	assert_int_equal(sift_defrag_stats(d)->evicted, 1);
	assert_int_equal(sift_defrag_stats(d)->pending, 2);
	/* id 1 was the oldest and is gone; id 3 completes. */
	f = frag4(1, pl, 32, 32, false);
	assert_int_equal(sift_defrag_add(d, &f, T0 + 4, &out, &out_len),
			 SIFT_OK);
	assert_null(out);
	f = frag4(3, pl, 32, 32, false);
	assert_int_equal(sift_defrag_add(d, &f, T0 + 5, &out, &out_len),
			 SIFT_OK);
	assert_non_null(out);
	assert_memory_equal(out, pl, 64);
	sift_defrag_free(d);
}

static void test_cap_fragments(void **state)
{
	uint8_t pl[64];
	struct sift_defrag_limits lim;
	struct sift_defrag *d;
	struct sift_frag f;
	const uint8_t *out;
	size_t out_len;

	(void)state;
	fill_pattern(pl, sizeof(pl));
	sift_defrag_limits_default(&lim);
	lim.max_fragments = 2;
	d = sift_defrag_new(&lim);
	assert_non_null(d);
	f = frag4(5, pl, 0, 16, true);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len), SIFT_OK);
	f = frag4(5, pl, 16, 16, true);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len), SIFT_OK);
	f = frag4(5, pl, 32, 32, false);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len),
			 SIFT_ELIMIT);
	assert_null(out);
	assert_int_equal(sift_defrag_stats(d)->dropped_limit, 1);
	assert_int_equal(sift_defrag_pending(d), 0);
	/* Too many fragments is no eviction; nothing is left pending. */
	assert_int_equal(sift_defrag_stats(d)->evicted, 0);
	assert_int_equal(sift_defrag_stats(d)->pending, 0);
	sift_defrag_free(d);
}

static void test_cap_datagram_size(void **state)
{
	uint8_t pl[2000];
	struct sift_defrag_limits lim;
	struct sift_defrag *d;
	struct sift_frag f;
	const uint8_t *out;
	size_t out_len;

	(void)state;
	fill_pattern(pl, sizeof(pl));
	sift_defrag_limits_default(&lim);
	lim.max_datagram = 1500;
	d = sift_defrag_new(&lim);
	assert_non_null(d);
	f = frag4(6, pl, 1000, 501, false);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len),
			 SIFT_EINVAL);
	assert_int_equal(sift_defrag_stats(d)->invalid, 1);
	assert_int_equal(sift_defrag_pending(d), 0);
	f = frag4(6, pl, 1000, 500, false);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len), SIFT_OK);
	assert_int_equal(sift_defrag_pending(d), 1);
	/* Past the total length the last fragment fixed. */
	f = frag4(6, pl, 1400, 200, true);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len),
			 SIFT_EINVAL);
	/* A second, different "last" fragment. */
	f = frag4(6, pl, 800, 100, false);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len),
			 SIFT_EINVAL);
	/* An empty middle fragment. */
	f = frag4(6, pl, 800, 0, true);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len),
			 SIFT_EINVAL);
	assert_int_equal(sift_defrag_stats(d)->invalid, 4);
	f = frag4(6, pl, 0, 1000, true);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len), SIFT_OK);
	assert_non_null(out);
	assert_int_equal(out_len, 1500);
	assert_memory_equal(out, pl, 1500);
	sift_defrag_free(d);
}

/* A last fragment ending before bytes already held contradicts them. */
static void test_last_before_held(void **state)
{
	uint8_t pl[300];
	struct sift_defrag *d = new_default();
	struct sift_frag f;
	const uint8_t *out;
	size_t out_len;

	(void)state;
	fill_pattern(pl, sizeof(pl));
	f = frag4(3, pl, 200, 100, true);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len), SIFT_OK);
	f = frag4(3, pl, 96, 8, false);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len),
			 SIFT_EINVAL);
	assert_int_equal(sift_defrag_stats(d)->invalid, 1);
	sift_defrag_free(d);
}

static void test_cap_bytes(void **state)
{
	uint8_t pl[1500];
	struct sift_defrag_limits lim;
	struct sift_defrag *d;
	struct sift_frag f;
	const uint8_t *out;
	size_t out_len;

	(void)state;
	fill_pattern(pl, sizeof(pl));
	sift_defrag_limits_default(&lim);
	lim.max_bytes = 2000;
	d = sift_defrag_new(&lim);
	assert_non_null(d);
	f = frag4(1, pl, 0, 1200, true);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len), SIFT_OK);
	f = frag4(2, pl, 0, 1200, true);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len), SIFT_OK);
	assert_int_equal(sift_defrag_pending(d), 1);
	assert_int_equal(sift_defrag_stats(d)->dropped_limit, 1);
	/* One datagram alone larger than the byte cap cannot be kept. */
	f = frag4(2, pl, 1200, 300, true);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len), SIFT_OK);
	f = frag4(2, pl, 1496, 4, true);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len), SIFT_OK);
	f = frag4(2, pl, 0, 8, true);
	f.offset = 2000;
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len),
			 SIFT_ELIMIT);
	assert_int_equal(sift_defrag_stats(d)->dropped_limit, 2);
	f = frag4(2, pl, 1500, 0, false);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len), SIFT_OK);
	assert_non_null(out);
	assert_int_equal(out_len, 1500);
	assert_memory_equal(out, pl, 1500);
	assert_int_equal(sift_defrag_pending(d), 0);
	sift_defrag_free(d);
}

/* Found by fuzz_tcp_reasm: a first fragment larger than the byte cap, with
 * nothing pending to evict, is refused (it used to crash). */
static void test_cap_bytes_empty_table(void **state)
{
	uint8_t pl[64];
	struct sift_defrag_limits lim;
	struct sift_defrag *d;
	struct sift_frag f;
	const uint8_t *out;
	size_t out_len;

	(void)state;
	fill_pattern(pl, sizeof(pl));
	sift_defrag_limits_default(&lim);
	lim.max_bytes = 32;
	d = sift_defrag_new(&lim);
	assert_non_null(d);
	f = frag4(1, pl, 8, 40, true);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len),
			 SIFT_ELIMIT);
	assert_null(out);
	assert_int_equal(sift_defrag_pending(d), 0);
	assert_int_equal(sift_defrag_stats(d)->dropped_limit, 1);
	f = frag4(1, pl, 8, 16, true);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len), SIFT_OK);
	assert_int_equal(sift_defrag_pending(d), 1);
	sift_defrag_free(d);
}

/* RFC 6946: offset 0 with MF clear is whole and never joins a queue. */
static void test_atomic(void **state)
{
	uint8_t pl[100];
	struct sift_defrag *d = new_default();
	struct sift_frag f;
	const uint8_t *out;
	size_t out_len;

	(void)state;
	fill_pattern(pl, sizeof(pl));
	f = frag4(4, pl, 48, 52, false);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len), SIFT_OK);
	f = frag4(4, pl, 0, 48, false);
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len), SIFT_OK);
	assert_non_null(out);
	assert_int_equal(out_len, 48);
	assert_int_equal(sift_defrag_pending(d), 1);
	sift_defrag_free(d);
}

static void test_bad_args(void **state)
{
	uint8_t pl[16];
	struct sift_defrag *d = new_default();
	struct sift_frag f;
	const uint8_t *out = pl;
	size_t out_len = 1;

	(void)state;
	fill_pattern(pl, sizeof(pl));
	f = frag4(4, pl, 0, 8, true);
	f.family = 5;
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len),
			 SIFT_EINVAL);
	assert_null(out);
	assert_int_equal(out_len, 0);
	f = frag4(4, pl, 0, 16, true);
	f.offset = 0xfffffff8u;
	assert_int_equal(sift_defrag_add(d, &f, T0, &out, &out_len),
			 SIFT_EINVAL);
	assert_int_equal(sift_defrag_stats(d)->invalid, 2);
	assert_int_equal(sift_defrag_add(NULL, &f, T0, &out, &out_len),
			 SIFT_EINVAL);
	sift_defrag_free(d);
	sift_defrag_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_order),
		cmocka_unit_test(test_reverse_order),
		cmocka_unit_test(test_duplicate),
		cmocka_unit_test(test_overlap_differs),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_missing_middle_timeout),
		cmocka_unit_test(test_time_goes_back),
		cmocka_unit_test(test_cap_datagrams),
		cmocka_unit_test(test_cap_fragments),
		cmocka_unit_test(test_cap_datagram_size),
		cmocka_unit_test(test_last_before_held),
		cmocka_unit_test(test_cap_bytes),
		cmocka_unit_test(test_cap_bytes_empty_table),
		cmocka_unit_test(test_atomic),
		cmocka_unit_test(test_bad_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
