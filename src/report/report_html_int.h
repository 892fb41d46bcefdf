/* sipsift — what report_html.c and report_html_ladder.c share: reading
 * the JSON report tree, escaping its strings for HTML, and the parts of a
 * call section that point at the ladder's arrows. */
#ifndef SIPSIFT_REPORT_HTML_INT_H
#define SIPSIFT_REPORT_HTML_INT_H

#include <jansson.h>
#include <stdio.h>

#include "sipsift/common.h"

/* Reading the tree: every member may be missing or null. */
const char *sift_html_jstr(const json_t *o, const char *key);
long long sift_html_jint(const json_t *o, const char *key, long long def);
double sift_html_jnum(const json_t *o, const char *key);
sift_time sift_html_to_time(double ts);

/* HTML text and attribute values, markup characters as references
 * (NULL: nothing). */
void sift_html_esc(FILE *f, const char *s);

/* The ladder diagram of call idx (report_html_ladder.c), one SVG. */
void sift_html_write_ladder(FILE *f, long long idx, json_t *msgs);

/* One finding as a list item, its frames linked to the arrows of call
 * idx's ladder when msgs (the call's messages) shows them; msgs NULL:
 * no links. */
void sift_html_write_finding(FILE *f, const json_t *fd, long long idx,
			     const json_t *msgs);

#endif
