/* sipsift — the JSON report document as one jansson tree, for the writers
 * that render it (report_html.c). Defined in report_json.c. */
#ifndef SIPSIFT_REPORT_DOC_H
#define SIPSIFT_REPORT_DOC_H

#include "sipsift/report.h"

struct json_t;

/* The document `analyze --format json` writes, as one tree the caller
 * frees with json_decref; NULL when out of memory (jansson's allocations
 * fail softly, so a member may also be missing: readers check types).
 * With series, each RTP stream that kept one has it as "series" (the
 * HTML report's plots; not in the JSON report). */
struct json_t *sift_report_json_doc(const struct sift_report *r, bool series);

#endif
