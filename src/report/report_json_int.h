/* sipsift — what the JSON report's files share (report_json.c,
 * report_json_stream.c). */
#ifndef SIPSIFT_REPORT_JSON_INT_H
#define SIPSIFT_REPORT_JSON_INT_H

#include "report/report_json_write.h"
#include "sipsift/report.h"

/* Stream st, written as it is described (as a call is: text for JSON and
 * NDJSON, a tree for HTML); with type, a "type" member last (NDJSON). */
void sift_json_stream(struct sift_jv *v, const struct sift_report *r,
		      const struct sift_stream *st, const char *type);

#endif
