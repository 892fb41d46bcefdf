/* Unit tests: the HTML report's store of message texts
 * (src/report/report_html_texts.c): only chosen calls, a total size cap
 * counted when hit, text a page can carry, each text given once. */
#include "testutil.h"

#include <stdlib.h>

#include "report/report_html.h"

static struct sift_where at(uint32_t file, uint64_t frame)
{
	struct sift_where w;

	memset(&w, 0, sizeof(w));
	w.file = file;
	w.frame = frame;
	return w;
}

static enum sift_rc add(struct sift_html_texts *t, const char *cid,
			uint64_t frame, const char *raw, size_t len)
{
	struct sift_where w = at(0, frame);

	return sift_html_texts_add(t, cid, &w, (const uint8_t *)raw, len);
}

static void test_chosen_and_cap(void **state)
{
	struct sift_html_texts *t = sift_html_texts_new(100);
	char big[61];

	(void)state;
	assert_non_null(t);
	memset(big, 'a', sizeof(big));
	assert_int_equal(sift_html_texts_room(t, 2), SIFT_OK);
	assert_int_equal(sift_html_texts_choose_call(t, "a@h", 1), SIFT_OK);
	assert_int_equal(sift_html_texts_choose_call(t, "b@h", 3), SIFT_OK);
	/* No room for a third. */
	assert_int_equal(sift_html_texts_choose_call(t, "c@h", 4), SIFT_ELIMIT);
	assert_true(sift_html_texts_wanted(t, "a@h"));
	assert_false(sift_html_texts_wanted(t, "c@h"));
	/* A call not chosen: nothing kept, nothing counted. */
	assert_int_equal(add(t, "c@h", 1, "INVITE", 6), SIFT_OK);
	assert_int_equal(add(t, NULL, 1, "INVITE", 6), SIFT_OK);
	assert_int_equal(add(t, "a@h", 1, big, 60), SIFT_OK);
	/* 60 + 60 > 100: this one is dropped whole and counted ... */
	assert_int_equal(add(t, "b@h", 2, big, 60), SIFT_ELIMIT);
	assert_int_equal(sift_html_texts_dropped(t), 1);
	/* ... and a smaller one still fits, up to the cap exactly. */
	assert_int_equal(add(t, "b@h", 3, big, 40), SIFT_OK);
	assert_int_equal(add(t, "b@h", 4, "x", 1), SIFT_ELIMIT);
	assert_int_equal(sift_html_texts_dropped(t), 2);
	assert_null(sift_html_texts_get(t, 3, 0, 2));
	assert_non_null(sift_html_texts_get(t, 3, 0, 3));
	assert_null(sift_html_texts_get(t, 4, 0, 1));
	assert_int_equal(strlen(sift_html_texts_get(t, 1, 0, 1)), 60);
	sift_html_texts_free(t);
	sift_html_texts_free(NULL);
}

/* Two messages of one TCP segment (one frame) each get their own text,
 * in order; a text is given once. */
static void test_same_frame(void **state)
{
	struct sift_html_texts *t = sift_html_texts_new(1000);
	const char *x;

	(void)state;
	assert_int_equal(sift_html_texts_room(t, 1), SIFT_OK);
	assert_int_equal(sift_html_texts_choose_call(t, "a@h", 7), SIFT_OK);
	assert_int_equal(add(t, "a@h", 5, "ACK", 3), SIFT_OK);
	assert_int_equal(add(t, "a@h", 5, "BYE", 3), SIFT_OK);
	x = sift_html_texts_get(t, 7, 0, 5);
	assert_string_equal(x, "ACK");
	x = sift_html_texts_get(t, 7, 0, 5);
	assert_string_equal(x, "BYE");
	assert_null(sift_html_texts_get(t, 7, 0, 5));
	/* Another file, same frame number: not the same message. */
	assert_null(sift_html_texts_get(t, 7, 1, 5));
	sift_html_texts_free(t);
}

/* Any bytes become text a page carries: malformed UTF-8 is U+FFFD,
 * controls are visible Control Pictures, valid UTF-8 and line ends stay. */
static void test_text(void **state)
{
	static const char raw[] = "A\x00" "B\x1b\x7f\xff\xc3\xa9\xe2\x82\r\n\t";
	struct sift_html_texts *t = sift_html_texts_new(1000);

	(void)state;
	assert_int_equal(sift_html_texts_room(t, 1), SIFT_OK);
	assert_int_equal(sift_html_texts_choose_call(t, "a@h", 1), SIFT_OK);
	assert_int_equal(add(t, "a@h", 1, raw, sizeof(raw) - 1), SIFT_OK);
	assert_string_equal(sift_html_texts_get(t, 1, 0, 1),
			    "A\xe2\x90\x80" "B\xe2\x90\x9b\xe2\x90\xa1\xef\xbf\xbd\xc3\xa9"
			    "\xef\xbf\xbd\xef\xbf\xbd\r\n\t");
	sift_html_texts_free(t);
}

static void rel_is(const char *base, const char *path, const char *want)
{
	char *r = sift_html_relative(base, path);

	assert_non_null(r);
	assert_string_equal(r, want);
	free(r);
}

/* How the page links a WAV file: from the page's directory. */
static void test_relative(void **state)
{
	(void)state;
	rel_is("/tmp/x/aud", "/tmp/x/aud/wav/a.wav", "wav/a.wav");
	rel_is("/tmp/x/aud", "/tmp/x/aud/a.wav", "a.wav");
	rel_is("/tmp/x/aud", "/tmp/x/wav/a.wav", "../wav/a.wav");
	rel_is("/tmp/x/audio", "/tmp/x/aud/a.wav", "../aud/a.wav");
	rel_is("/tmp/x/aud", "/tmp/x/audio/a.wav", "../audio/a.wav");
	rel_is("/a/b/c", "/d/e.wav", "../../../d/e.wav");
	rel_is("/", "/d/e.wav", "d/e.wav");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chosen_and_cap),
		cmocka_unit_test(test_same_frame),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_relative),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
