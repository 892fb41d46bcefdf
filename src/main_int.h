/* sipsift — what main.c and main_report.c share: the exit statuses, the
 * state of one run, and the few helpers and globals both use. */
#ifndef SIFT_MAIN_INT_H
#define SIFT_MAIN_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "capture/capture.h"
#include "capture/pcap_write.h"
#include "call/select.h"
#include "cli.h"
#include "pipeline.h"
#include "report/report_html.h"

enum {
	EXIT_OK = 0,
	EXIT_FINDINGS = 1,
	EXIT_USAGE = 2,
	EXIT_INPUT = 3,
	EXIT_OUTPUT = 4,
	EXIT_INTERNAL = 5
};

struct file_state {
	struct sift_capture *cap;   /* owned by the merger once added */
	uint64_t supported;         /* packets on link types we decode */
	uint64_t unsupported;
	int bad_linktype;
};

struct run {
	struct sift_cli *cli;
	FILE *out;
	struct sift_pipeline *pl;
	struct sift_merge *m;
	struct sift_pcap_writer *writer;
	struct file_state *fs;
	char *filter;               /* the BPF filter, widened */
	bool unreadable;            /* an input none of whose packets decoded */
	bool secrets_told;          /* decrypt: late secrets not carried, said */
	struct sift_html_opts html; /* report: the message texts */
};

/* The calls the selection options chose (NULL: no selection); judged as
 * each call finishes (NDJSON) or after the last packet. */
extern struct sift_selected *sift_main_selected;
extern bool sift_main_select_oom;

/* "sipsift: LEVEL: FILE: MSG" on stderr (FILE may be NULL); under -q
 * only errors. */
void sift_main_diag(const char *level, const char *file, const char *msg);
/* A failure of ours (memory, mostly) said, and its exit status. */
int sift_main_failed(enum sift_rc rc);
void sift_main_report_write_failed(const struct sift_cli *cli, int e);

/* main_report.c: after the last packet, the reports, the capture and
 * the second passes; the run's exit status from status. */
int sift_main_write_reports(struct run *rn, int status);

#endif
