/* Unit tests for the SRTP hold-back (src/media/media_hold.c): its caps per
 * stream and in all, from a pipe and from a file, and that what does not
 * fit is counted. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "media/media_int.h"
#include "sipsift/stats.h"

static void no_keys(void *ctx, sift_time from)
{
	(void)ctx;
	(void)from;
}

/* Holds packets of n bytes in streams of their own, `per` a stream, until
 * one is refused; returns how many were held. */
static size_t fill(struct sift_media *md, struct mstream **ms, size_t nms,
		   size_t per, size_t n)
{
	static uint8_t p[SIFT_MEDIA_HOLD_PACKET_MAX];
	struct sift_where w = { 0, 1, 0 };
	size_t held = 0;

	for (size_t i = 0; i < nms; i++)
		for (size_t k = 0; k < per; k++) {
			if (!sift_md_hold(md, ms[i], p, n, &w, SIFT_HELD_NO_KEY))
				return held;
			held++;
		}
	return held;
}

static void run(bool file)
{
	size_t nms = file ? 4200 : 140;
	struct mstream **ms = calloc(nms, sizeof(*ms));
	struct sift_media *md = sift_media_new();
	size_t per = file ? 4 : SIFT_MEDIA_HOLD_BYTES / SIFT_MEDIA_HOLD_PACKET_MAX;
	size_t held;

	assert_non_null(ms);
	assert_non_null(md);
	if (file)
		sift_media_set_key_source(md, no_keys, NULL);
	for (size_t i = 0; i < nms; i++) {
		ms[i] = calloc(1, sizeof(**ms));
		assert_non_null(ms[i]);
	}
	/* A stream holds its own share, no more: refused silently from a
	 * file (the key pass found the keys), counted from a pipe. */
	assert_int_equal(fill(md, ms, 1, per + 1, SIFT_MEDIA_HOLD_PACKET_MAX), per);
	assert_int_equal(sift_media_caps(md)->held, file ? 0 : 1);
	/* A packet over the largest held is never held. */
	assert_false(sift_md_hold(md, ms[1], (const uint8_t *)"", SIFT_MEDIA_HOLD_PACKET_MAX + 1,
				  &(struct sift_where){ 0, 1, 0 }, SIFT_HELD_NO_KEY));
	/* All streams together stop at SIFT_MEDIA_HOLD_TOTAL, counted in
	 * both cases. */
	held = fill(md, ms + 2, nms - 2, per, SIFT_MEDIA_HOLD_PACKET_MAX);
	assert_int_equal((held + per) * SIFT_MEDIA_HOLD_PACKET_MAX, SIFT_MEDIA_HOLD_TOTAL);
	assert_int_equal(sift_media_caps(md)->held, file ? 1 : 3);
	for (size_t i = 0; i < nms; i++) {
		sift_md_hold_free(ms[i]);
		free(ms[i]);
	}
	free(ms);
	sift_media_free(md);
}

static void test_hold_pipe(void **state)
{
	(void)state;
	run(false);
}

static void test_hold_file(void **state)
{
	(void)state;
	run(true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hold_pipe),
		cmocka_unit_test(test_hold_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
