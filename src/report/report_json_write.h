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

#include "sipsift/common.h"

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


/* One description of an object, two ways out: a jansson tree (for the
 * HTML page, which reads the document as a tree) or text straight into a
 * sift_jw, as json_dumps would write that tree (analyze --format json and
 * ndjson): building and freeing a tree per message cost more than the
 * rest of a SIP-heavy JSON run. Members come in order; key is the
 * member's name in an object, NULL in an array and for the root. */
#define SIFT_JV_DEPTH 16

struct sift_jv {
	/* Text: */
	struct sift_jw *w;
	unsigned indent;        /* 0: compact */
	size_t base;
	/* Tree (w NULL): the finished root. */
	struct json_t *root;
	size_t depth;
	bool first[SIFT_JV_DEPTH];
	bool array[SIFT_JV_DEPTH];
	struct json_t *open[SIFT_JV_DEPTH];
};

/* Text into w, at indent and base as sift_jw_value. */
void sift_jv_text(struct sift_jv *v, struct sift_jw *w, unsigned indent, size_t base);
/* A tree: v->root once the root is closed (the caller's to json_decref). */
void sift_jv_tree(struct sift_jv *v);

void sift_jv_obj(struct sift_jv *v, const char *key);
void sift_jv_arr(struct sift_jv *v, const char *key);
void sift_jv_end(struct sift_jv *v);
/* Packet text: NULL as null, invalid UTF-8 as U+FFFD (report_json.c's
 * text_json). */
void sift_jv_text_str(struct sift_jv *v, const char *key, const char *s);
void sift_jv_int(struct sift_jv *v, const char *key, long long n);
void sift_jv_real(struct sift_jv *v, const char *key, double d);
void sift_jv_bool(struct sift_jv *v, const char *key, bool b);
void sift_jv_null(struct sift_jv *v, const char *key);
/* An address as "ip:port" ("[ip]:port" for IPv6); a time as seconds with
 * microseconds. */
void sift_jv_addr(struct sift_jv *v, const char *key, const struct sift_addr *a);
void sift_jv_ts(struct sift_jv *v, const char *key, sift_time t);
/* packet text as a jansson string: invalid UTF-8 as U+FFFD; NULL as null. */
struct json_t *sift_json_text(const char *s);

/* A value built as a tree (NULL: null); v takes it. */
void sift_jv_put(struct sift_jv *v, const char *key, struct json_t *t);

#endif
