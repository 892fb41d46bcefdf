/* sipsift — JSON text from a jansson tree, written by us (report_json.c).
 *
 * jansson's own dump spent about 75 instructions per byte written
 * (a callback per token, snprintf for every integer, a UTF-8 decode of
 * every string byte): as much as the rest of a SIP-heavy `analyze --format
 * json` run. This writer produces the same bytes as json_dumps with
 * JSON_ENSURE_ASCII | JSON_REAL_PRECISION(16) and JSON_INDENT(2) or
 * JSON_COMPACT (tests/unit/test_json_write.c compares the two on random
 * trees), straight into one buffer per value. */
#ifndef SIPSIFT_REPORT_JSON_WRITE_H
#define SIPSIFT_REPORT_JSON_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct json_t;

/* A growing output buffer; free .p when done. .failed is set when memory
 * ran out (the text is then incomplete and must not be written). */
struct sift_jw {
	char *p;
	size_t len, cap;
	bool failed;
};

/* Appends v to w. indent 0: compact (",", ":"); otherwise each member on
 * its own line, indented by `indent` spaces per level plus `base` spaces,
 * "key": value, as json_dumps with JSON_INDENT(indent) whose every line
 * after the first is prefixed by `base` spaces. */
void sift_jw_value(struct sift_jw *w, const struct json_t *v, unsigned indent,
		   size_t base);

/* Appends n bytes. */
void sift_jw_put(struct sift_jw *w, const char *s, size_t n);

/* Appends s as a JSON string (quotes and escapes, ASCII only out). s must
 * be valid UTF-8, as every jansson string is. */
void sift_jw_string(struct sift_jw *w, const char *s, size_t n);

/* Writes what w holds to f and empties it; -1 when w failed or f did. */
int sift_jw_flush(struct sift_jw *w, FILE *f);

#endif
