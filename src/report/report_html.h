/* sipsift — the HTML report (issue #15): one self-contained file built
 * from the JSON report document. */
#ifndef SIPSIFT_REPORT_HTML_H
#define SIPSIFT_REPORT_HTML_H

#include <stdio.h>

#include "sipsift/report.h"

/* Writes the whole page; SIFT_EIO when the stream fails, SIFT_ENOMEM
 * when the document could not be built. */
enum sift_rc sift_report_html(const struct sift_report *r, FILE *f);

/* The page's style sheet and script (report_html_assets.c), one line per
 * string, NULL-terminated. */
extern const char *const sift_html_css[];
extern const char *const sift_html_js[];

#endif
