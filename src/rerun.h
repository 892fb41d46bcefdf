/* sipsift — the second pass of show and extract: the first pass chose
 * the calls (the selection needs finished calls); this one reads the
 * inputs again and hands on what belongs to them, so that nothing is
 * kept for calls that were not selected. */
#ifndef SIPSIFT_RERUN_H
#define SIPSIFT_RERUN_H

#include "call/select.h"
#include "pipeline.h"

struct sift_rerun {
	char **files;
	int nfiles;
	const char *filter;                 /* the widened BPF filter, or NULL */
	struct sift_pipeline_opts popts;    /* the first pass's options */
	struct sift_selected *sel;          /* the calls chosen */
	const struct sift_select *spec;     /* for --frame */
	FILE *out;
	bool json;
};

/* show: every SIP message of the chosen calls (only the frames of
 * --frame, when given). Returns an exit status (0, 3 input, 4 output,
 * 5 internal); diagnostics go to stderr. */
int sift_rerun_show(struct sift_rerun *rr);

#endif
