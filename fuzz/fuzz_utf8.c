/* libFuzzer target for UTF-8 decoding (src/util/utf8.c), which the report
 * writers run over packet text before it reaches a terminal, JSON or XML.
 *
 * The input is any bytes, walked as the writers walk them: a well-formed
 * sequence is taken whole, anything else one byte at a time. Invariants
 * (abort() on violation): a length of 0-4 within what is left; a code
 * point in range and no surrogate; the code point encoded again gives
 * exactly the bytes read (so no overlong form is accepted); an ASCII byte
 * is always its own sequence.
 *
 * The same bytes as a SIP message's text for the HTML report
 * (src/report/report_html_texts.c): what the page gets is well-formed
 * UTF-8 with no control but tab, CR and LF, at most three bytes per byte
 * in, and given back once. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_check.h"
#include "report/report_html.h"
#include "util/utf8.h"

static size_t encode(uint32_t cp, unsigned char *b)
{
	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		b[0] = (unsigned char)(0xc0 | cp >> 6);
		b[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		b[0] = (unsigned char)(0xe0 | cp >> 12);
		b[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	b[0] = (unsigned char)(0xf0 | cp >> 18);
	b[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
	b[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	b[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

static void html_text(const uint8_t *data, size_t size)
{
	struct sift_html_texts *t = sift_html_texts_new(1u << 20);
	struct sift_where w;
	const char *out;
	size_t n, i = 0;

	if (!t)
		return;
	memset(&w, 0, sizeof(w));
	w.frame = 1;
	if (sift_html_texts_room(t, 1) != SIFT_OK ||
	    sift_html_texts_choose_call(t, "c", 1) != SIFT_OK ||
	    sift_html_texts_add(t, "c", &w, data, size) != SIFT_OK) {
		sift_html_texts_free(t);
		return;
	}
	out = sift_html_texts_get(t, 1, 0, 1);
	check(out != NULL);
	n = strlen(out);
	check(n <= 3 * size);
	while (i < n) {
		uint32_t cp;
		size_t len = sift_utf8_next(out + i, n - i, &cp);

		check(len > 0);
		check(cp >= 0x20 || cp == '\t' || cp == '\r' || cp == '\n');
		check(cp != 0x7f);
		i += len;
	}
	check(sift_html_texts_get(t, 1, 0, 1) == NULL);
	sift_html_texts_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	size_t i = 0;

	while (i < size) {
		uint32_t cp = 0xffffffffu;
		size_t len = sift_utf8_next(s + i, size - i, &cp);

		check(len <= 4 && len <= size - i);
		if (data[i] < 0x80)
			check(len == 1 && cp == data[i]);
		if (len) {
			unsigned char b[4];

			check(cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff));
			check(encode(cp, b) == len && memcmp(b, data + i, len) == 0);
			(void)sift_utf8_unsafe(cp);
		}
		i += len ? len : 1;
	}
	html_text(data, size);
	return 0;
}
