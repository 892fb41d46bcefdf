/* sipsift — what report_html.c and report_html_ladder.c share: reading
 * the JSON report tree, escaping its strings for HTML, and the parts of a
 * call section that point at the ladder's arrows. */
#ifndef SIPSIFT_REPORT_HTML_INT_H
#define SIPSIFT_REPORT_HTML_INT_H

#include <jansson.h>
#include <stdio.h>

#include "sipsift/common.h"

struct sift_html_opts;

/* Reading the tree: every member may be missing or null. */
const char *sift_html_jstr(const json_t *o, const char *key);
long long sift_html_jint(const json_t *o, const char *key, long long def);
double sift_html_jnum(const json_t *o, const char *key);
sift_time sift_html_to_time(double ts);

/* HTML text and attribute values, markup characters as references
 * (NULL: nothing). */
void sift_html_esc(FILE *f, const char *s);

/* "7 ms", "1.234 s", "-" (v < 0) as the calls table prints them. */
void sift_html_put_ms(FILE *f, long long v);
/* A timestamp as UTC text cut to keep characters; "-" when NAN. */
void sift_html_put_ts(FILE *f, double ts, size_t keep);
void sift_html_put_uri_short(FILE *f, const char *uri);
/* The CSS class of a call state, coloured as the terminal would. */
const char *sift_html_state_class(const char *st);
/* The call's DTMF digits in order; more than max (0: all) end in "+". */
void sift_html_put_digits(FILE *f, const json_t *call, size_t max);
void sift_html_put_transports(FILE *f, const json_t *call);

/* One call's section (report_html_call.c): facts, timing, ladder, DTMF
 * and the findings listed from ffirst on through fnext; false when out of
 * memory. */
bool sift_html_write_call(FILE *f, const json_t *c, json_t *findings,
			  const size_t *fnext, size_t ffirst,
			  struct sift_html_opts *o);

/* The streams table and the plots (report_html_stream.c); call_of maps a
 * Call-ID to its call's number, detail to the call (those with a detail
 * section). */
void sift_html_write_streams(FILE *f, struct sift_html_opts *o, json_t *streams,
			     const json_t *call_of, const json_t *detail);

/* One RTP stream's plots from its series (report_html_plot.c); dtmf: its
 * call's DTMF events, or NULL. */
void sift_html_write_plot(FILE *f, const json_t *s, const json_t *dtmf);

/* The call's audio players (report_html_audio.c): its stereo file and a
 * file per stream direction, when -d DIR wrote them (o->audio), under
 * heading (HTML) when there is any. call is the JSON's call, or an object
 * of "index" 0 and the "streams" of no call. */
void sift_html_write_audio(FILE *f, struct sift_html_opts *o, const json_t *call,
			   const char *heading);

/* The ladder diagram of call idx (report_html_ladder.c), one SVG; false
 * when out of memory. */
bool sift_html_write_ladder(FILE *f, long long idx, json_t *msgs);

/* One finding as a list item, its frames linked to the arrows of call
 * idx's ladder when msgs (the call's messages) shows them; msgs NULL:
 * no links. */
void sift_html_write_finding(FILE *f, const json_t *fd, long long idx,
			     const json_t *msgs);

#endif
