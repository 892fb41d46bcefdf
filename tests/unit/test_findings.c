/* Unit tests for the list of findings (src/lint/finding.c) kept in a
 * temporary file (sift_findings_spill): the same findings added to a
 * spilled list and to one in memory read back the same, in the same
 * order once sorted (stable, by first frame, frameless last), with the
 * same counts; the cap holds in both. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sipsift/finding.h"

static const char *const rules[] = { "rule-a", "rule-b", "rule-c" };

/* Finding i: some without frames or Call-ID, frames out of order, up to
 * more than SIFT_FINDING_FRAMES of them. */
static void add_one(struct sift_findings *fs, unsigned i)
{
	struct sift_frame_ref fr[SIFT_FINDING_FRAMES + 2];
	unsigned nf = i % 5 == 0 ? 0 : i % (SIFT_FINDING_FRAMES + 3);
	char cid[32];

	for (unsigned k = 0; k < nf; k++) {
		fr[k].file = (i / 7) % 2;
		fr[k].frame = 1000 - (i * 37) % 500 + k;
	}
	snprintf(cid, sizeof(cid), "call-%u@host", i % 9);
	assert_int_equal(sift_findings_add(fs, rules[i % 3],
					   (enum sift_severity)(i % 3),
					   "RFC 3261 §8", i % 4 ? cid : NULL,
					   nf ? fr : NULL, nf,
					   "finding %u: %s", i,
					   i % 6 ? "x" : "a longer message, frame 12"),
			 SIFT_OK);
}

static void same(const struct sift_finding *a, const struct sift_finding *b)
{
	assert_string_equal(a->rule, b->rule);
	assert_int_equal(a->severity, b->severity);
	assert_string_equal(a->rfc, b->rfc);
	if (a->call_id || b->call_id)
		assert_string_equal(a->call_id, b->call_id);
	assert_int_equal(a->nframes, b->nframes);
	for (unsigned k = 0; k < a->nframes; k++) {
		assert_int_equal(a->frames[k].file, b->frames[k].file);
		assert_int_equal(a->frames[k].frame, b->frames[k].frame);
	}
	assert_string_equal(a->message, b->message);
}

static void test_spilled_same(void **state)
{
	struct sift_findings *a = sift_findings_new(), *b = sift_findings_new();

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	sift_findings_spill(a, true);
	for (unsigned i = 0; i < 3000; i++) {
		add_one(a, i);
		add_one(b, i);
	}
	assert_int_equal(sift_findings_count(a), 3000);
	for (size_t i = 0; i < 3000; i += 97)
		same(sift_findings_get(a, i), sift_findings_get(b, i));
	sift_findings_sort(a);
	sift_findings_sort(b);
	for (size_t i = 0; i < 3000; i++)
		same(sift_findings_get(a, i), sift_findings_get(b, i));
	for (int s = 0; s < 3; s++)
		assert_int_equal(sift_findings_severity(a, (enum sift_severity)s),
				 sift_findings_severity(b, (enum sift_severity)s));
	assert_null(sift_findings_get(a, 3000));
	sift_findings_free(a);
	sift_findings_free(b);
}

/* Sorted is in order of first frame (frameless last), ties in the order
 * they came: checked on a list added far out of order (the findings of
 * calls linted at the end come after those of every message), in memory
 * and spilled. Finding i's number is in its message. */
static void check_sorted(struct sift_findings *fs, size_t n)
{
	unsigned prev_no = 0;
	bool prev_framed = true;
	uint64_t prev_key = 0;

	/* One finding at a time: a test build may read back one only
	 * (SIFT_FINDINGS_READ 1). */
	for (size_t i = 0; i < n; i++) {
		const struct sift_finding *f = sift_findings_get(fs, i);
		unsigned no = 0;
		bool framed;
		uint64_t key = 0;

		assert_non_null(f);
		assert_int_equal(sscanf(f->message, "finding %u", &no), 1);
		framed = f->nframes > 0;
		if (framed)
			key = f->frames[0].file * 1000000ull + f->frames[0].frame;
		if (i) {
			assert_true(prev_framed || !framed);
			if (prev_framed && framed) {
				assert_true(prev_key <= key);
				if (prev_key == key)
					assert_true(prev_no < no);
			} else if (!prev_framed && !framed) {
				assert_true(prev_no < no);
			}
		}
		prev_no = no;
		prev_framed = framed;
		prev_key = key;
	}
}

static void test_sort_order(void **state)
{
	(void)state;
	for (int spill = 0; spill < 2; spill++) {
		struct sift_findings *fs = sift_findings_new();

		assert_non_null(fs);
		sift_findings_spill(fs, spill);
		/* Messages in capture order, then calls from the start. */
		for (unsigned i = 0; i < 9000; i++)
			add_one(fs, i);
		for (unsigned i = 0; i < 6000; i++) {
			struct sift_frame_ref fr = { 0, 3 * (uint64_t)i + 1 };

			assert_int_equal(sift_findings_add(fs, "rule-call", SIFT_SEV_WARNING,
							   "RFC 3261 §13", NULL, &fr, 1,
							   "finding %u: call", 9000 + i),
					 SIFT_OK);
		}
		sift_findings_sort(fs);
		check_sorted(fs, 15000);
		sift_findings_free(fs);
	}
}

/* A message longer than the formatting buffer comes back whole, in
 * memory and spilled; one made already (sift_findings_add_text) too. */
static void test_long_message(void **state)
{
	static char big[3001];

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[1000] = 'y';
	for (int spill = 0; spill < 2; spill++) {
		struct sift_findings *fs = sift_findings_new();
		struct sift_frame_ref fr = { 0, 7 };
		const struct sift_finding *f;

		assert_non_null(fs);
		sift_findings_spill(fs, spill);
		assert_int_equal(sift_findings_add(fs, "rule-a", SIFT_SEV_INFO, "", "c1",
						   &fr, 1, "<%s>", big), SIFT_OK);
		assert_int_equal(sift_findings_add_text(fs, "rule-b", SIFT_SEV_ERROR, "",
							NULL, NULL, 0, "abcdef", 3),
				 SIFT_OK);
		f = sift_findings_get(fs, 0);
		assert_int_equal(strlen(f->message), 3002);
		assert_int_equal(f->message[0], '<');
		assert_int_equal(f->message[1001], 'y');
		assert_int_equal(f->message[3001], '>');
		assert_string_equal(f->call_id, "c1");
		f = sift_findings_get(fs, 1);
		assert_string_equal(f->message, "abc");
		assert_null(f->call_id);
		assert_int_equal(sift_findings_severity(fs, SIFT_SEV_ERROR), 1);
		sift_findings_free(fs);
	}
}

/* A finding got back stays until SIFT_FINDINGS_READ others were got. */
static void test_read_window(void **state)
{
	struct sift_findings *a = sift_findings_new();
	const struct sift_finding *x;
	char keep[64];

	(void)state;
	sift_findings_spill(a, true);
	for (unsigned i = 0; i < 40; i++)
		add_one(a, i);
	x = sift_findings_get(a, 3);
	snprintf(keep, sizeof(keep), "%s", x->message);
	for (size_t i = 10; i < 10 + SIFT_FINDINGS_READ - 1; i++)
		assert_non_null(sift_findings_get(a, i));
	assert_string_equal(x->message, keep);
	sift_findings_free(a);
}

/* Spilling asked for late (findings already kept) changes nothing; the
 * cap counts past SIFT_FINDINGS_MAX in both lists. */
static void test_late_and_cap(void **state)
{
	struct sift_findings *a = sift_findings_new();

	(void)state;
	add_one(a, 1);
	sift_findings_spill(a, true);
	add_one(a, 2);
	assert_int_equal(sift_findings_count(a), 2);
	assert_string_equal(sift_findings_get(a, 1)->message, "finding 2: x");
	sift_findings_free(a);
	a = sift_findings_new();
	sift_findings_spill(a, true);
	for (unsigned i = 0; i < SIFT_FINDINGS_MAX + 5; i++)
		if (sift_findings_add(a, "r", SIFT_SEV_INFO, "RFC", NULL, NULL, 0,
				      "m") != SIFT_OK)
			assert_true(i >= SIFT_FINDINGS_MAX);
	assert_int_equal(sift_findings_count(a), SIFT_FINDINGS_MAX);
	assert_int_equal(sift_findings_severity(a, SIFT_SEV_INFO),
			 SIFT_FINDINGS_MAX + 5);
	sift_findings_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spilled_same),
		cmocka_unit_test(test_sort_order),
		cmocka_unit_test(test_long_message),
		cmocka_unit_test(test_read_window),
		cmocka_unit_test(test_late_and_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
