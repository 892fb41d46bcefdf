/* Unit tests for the spill (src/util/spill.c): records put away in an
 * unlinked temporary file come back byte for byte, from the write buffer,
 * the read-ahead or the file; dropped slots are reused; the size cap and a
 * file that cannot be made refuse records rather than lose them. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/spill.h"

/* n bytes that differ with seed and position. */
static uint8_t *pattern(size_t n, unsigned seed)
{
	uint8_t *p = malloc(n ? n : 1);

	assert_non_null(p);
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 31u + seed * 7u + (i >> 8));
	return p;
}

static void check(struct sift_spill *s, uint64_t ref, size_t n, unsigned seed)
{
	uint8_t *want = pattern(n, seed), *got = malloc(n ? n : 1);

	assert_non_null(got);
	assert_true(sift_spill_get(s, ref, got, n));
	assert_memory_equal(got, want, n);
	free(want);
	free(got);
}

static uint64_t store(struct sift_spill *s, size_t n, unsigned seed)
{
	uint8_t *p = pattern(n, seed);
	uint64_t ref;

	assert_true(sift_spill_put(s, p, n, &ref));
	free(p);
	return ref;
}

/* Small records stay in the write buffer, then go to the file; big ones
 * go straight there; all come back, in any order. */
static void test_round_trip(void **state)
{
	static const size_t sizes[] = { 1, 63, 64, 65, 700, 4000, 65536, 65537,
					 200000, 3, 5000 };
	struct sift_spill *s = sift_spill_new(UINT64_MAX);
	uint64_t ref[400];
	size_t n = 0;

	(void)state;
	assert_non_null(s);
	for (unsigned r = 0; r < 30; r++)
		for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++, n++)
			ref[n] = store(s, sizes[k], (unsigned)n);
	/* Backwards (no read-ahead helps), then forwards. */
	for (size_t i = n; i-- > 0;)
		check(s, ref[i], sizes[i % 11], (unsigned)i);
	for (size_t i = 0; i < n; i++)
		check(s, ref[i], sizes[i % 11], (unsigned)i);
	/* Forward with gaps (read ahead), then scattered (read alone: the
	 * last read's end decides), then forward again after a scatter. */
	for (size_t i = 0; i < n; i += 3)
		check(s, ref[i], sizes[i % 11], (unsigned)i);
	for (size_t i = 0, j = 7; i < n; i++, j = (j * 37 + 11) % n)
		check(s, ref[j], sizes[j % 11], (unsigned)j);
	for (size_t i = n / 2; i < n; i++)
		check(s, ref[i], sizes[i % 11], (unsigned)i);
	sift_spill_free(s);
}

/* A dropped slot takes the next record of its class: the file does not
 * grow; a record rewritten where read-ahead had the old one comes back new. */
static void test_reuse(void **state)
{
	struct sift_spill *s = sift_spill_new(UINT64_MAX);
	uint64_t ref[200], size, again;

	(void)state;
	for (unsigned i = 0; i < 200; i++)
		ref[i] = store(s, 1000, i);
	size = sift_spill_size(s);
	/* Read ahead over the first records (they are in the file now). */
	check(s, ref[0], 1000, 0);
	sift_spill_drop(s, ref[1], 1000);
	again = store(s, 990, 1000);      /* same class: 1024-byte slots */
	assert_true(again == ref[1]);
	assert_true(sift_spill_size(s) == size);
	check(s, again, 990, 1000);
	check(s, ref[0], 1000, 0);
	check(s, ref[2], 1000, 2);
	/* The last records are still in the write buffer: reused there. */
	sift_spill_drop(s, ref[199], 1000);
	again = store(s, 1000, 5000);
	assert_true(again == ref[199]);
	check(s, again, 1000, 5000);
	/* Another class does not take it. */
	sift_spill_drop(s, ref[198], 1000);
	again = store(s, 100, 7);
	assert_true(again != ref[198]);
	assert_true(sift_spill_size(s) > size);
	check(s, again, 100, 7);
	sift_spill_free(s);
}

/* Two runs of reads forward through the file, taken in turns (the sorted
 * findings of a report: those of messages, those of calls), each read
 * ahead in a way of its own: a few reads of the file, not one a record.
 * Five runs (more than the ways) still give every record back. */
static void test_ways(void **state)
{
	enum { N = 2000, HALF = N / 2, SZ = 200 };
	struct sift_spill *s = sift_spill_new(UINT64_MAX);
	uint64_t ref[N], before;

	(void)state;
	for (unsigned i = 0; i < N; i++)
		ref[i] = store(s, SZ, i);
	before = sift_spill_reads(s);
	for (unsigned i = 0; i < HALF; i++) {
		check(s, ref[i], SZ, i);
		check(s, ref[HALF + i], SZ, HALF + i);
	}
	/* 2 x 256 KB (200-byte records in 256-byte slots) in 64 KB reads:
	 * 8, and the first of each run alone. With one way it was a read for
	 * nearly every record. */
	assert_true(sift_spill_reads(s) - before <= 12);
	for (unsigned i = 0; i < N / 5; i++)
		for (unsigned k = 0; k < 5; k++)
			check(s, ref[k * (N / 5) + i], SZ, k * (N / 5) + i);
	assert_true(sift_spill_reads(NULL) == 0);
	sift_spill_free(s);
}

/* A record rewritten where either of two ways had read ahead comes back
 * new, from that way's buffer. */
static void test_ways_rewrite(void **state)
{
	enum { N = 1100, SZ = 200 };
	struct sift_spill *s = sift_spill_new(UINT64_MAX);
	uint64_t ref[N], reads, again;

	(void)state;
	for (unsigned i = 0; i < N; i++)
		ref[i] = store(s, SZ, i);
	/* From the start of the file: one way reads ahead over 0..255; 700
	 * is more than a buffer past its end: read alone, in another way,
	 * and 701 reads ahead there. */
	check(s, ref[0], SZ, 0);
	check(s, ref[1], SZ, 1);
	check(s, ref[700], SZ, 700);
	check(s, ref[701], SZ, 701);
	reads = sift_spill_reads(s);
	assert_true(reads == 3);
	sift_spill_drop(s, ref[5], SZ);
	again = store(s, SZ, 5000);
	assert_true(again == ref[5]);
	check(s, again, SZ, 5000);
	sift_spill_drop(s, ref[705], SZ);
	again = store(s, SZ, 7000);
	assert_true(again == ref[705]);
	check(s, again, SZ, 7000);
	check(s, ref[2], SZ, 2);
	check(s, ref[702], SZ, 702);
	assert_true(sift_spill_reads(s) == reads);
	sift_spill_free(s);
}

/* Past the cap a record is refused (the caller keeps it); a dropped slot
 * still takes one. */
static void test_cap(void **state)
{
	struct sift_spill *s = sift_spill_new(4096);
	uint8_t *p = pattern(1024, 1);
	uint64_t ref[4], r;

	(void)state;
	for (unsigned i = 0; i < 4; i++)
		ref[i] = store(s, 1024, i);
	assert_null(sift_spill_trouble(s));
	assert_false(sift_spill_put(s, p, 1024, &r));
	/* Said once, for the user: memory holds the record instead. */
	assert_non_null(sift_spill_trouble(s));
	assert_non_null(strstr(sift_spill_trouble(s), "limit"));
	assert_false(sift_spill_put(s, p, 1, &r));
	sift_spill_drop(s, ref[2], 1024);
	assert_true(sift_spill_put(s, p, 1000, &r));
	assert_true(r == ref[2]);
	check(s, ref[3], 1024, 3);
	/* Outside what was handed out. */
	assert_false(sift_spill_get(s, 4000, p, 1024));
	assert_false(sift_spill_get(s, UINT64_MAX - 10, p, 100));
	free(p);
	sift_spill_free(s);
}

/* A directory where no file can be made: every put is refused. */
static void test_no_file(void **state)
{
	struct sift_spill *s = sift_spill_new(UINT64_MAX);
	const char *old = getenv("TMPDIR");
	char *keep = old ? strdup(old) : NULL;
	uint8_t b[16] = { 0 };
	uint64_t r;

	(void)state;
	setenv("TMPDIR", "/nonexistent/sipsift-test", 1);
	assert_null(sift_spill_trouble(s));
	assert_false(sift_spill_put(s, b, sizeof(b), &r));
	assert_false(sift_spill_put(s, b, sizeof(b), &r));
	/* Why, with the directory and the system's reason. */
	assert_non_null(strstr(sift_spill_trouble(s),
			       "/nonexistent/sipsift-test: No such file"));
	assert_null(sift_spill_trouble(NULL));
	assert_false(sift_spill_get(s, 0, b, sizeof(b)));
	sift_spill_drop(s, 0, sizeof(b));
	if (keep)
		setenv("TMPDIR", keep, 1);
	else
		unsetenv("TMPDIR");
	free(keep);
	sift_spill_free(s);
	sift_spill_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_reuse),
		cmocka_unit_test(test_ways),
		cmocka_unit_test(test_ways_rewrite),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_no_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
