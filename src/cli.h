/* sipsift — command line parsing (DESIGN.md "Command line"). */
#ifndef SIPSIFT_CLI_H
#define SIPSIFT_CLI_H

#include <stdio.h>

#include "call/select.h"
#include "lint/lint.h"
#include "pipeline.h"
#include "sipsift/report.h"

enum sift_command {
	SIFT_CMD_NONE = 0,
	SIFT_CMD_ANALYZE,
	SIFT_CMD_CALLS,
	SIFT_CMD_FLOW,
	SIFT_CMD_LINT,
	SIFT_CMD_DECRYPT,
	SIFT_CMD_DTMF,
	SIFT_CMD_AUDIO,
	SIFT_CMD_REPORT,
	SIFT_CMD_SHOW,
	SIFT_CMD_EXTRACT
};

enum sift_color {
	SIFT_COLOR_AUTO = 0,   /* on a terminal, unless NO_COLOR or TERM=dumb */
	SIFT_COLOR_ALWAYS,
	SIFT_COLOR_NEVER
};

struct sift_cli {
	enum sift_command cmd;
	const char *output;          /* -o FILE, NULL for stdout */
	const char *write_pcap;      /* decrypt -w FILE */
	bool format_given;
	enum sift_format format;
	const char *filter;          /* -f EXPR */
	struct sift_pipeline_opts popts;
	struct sift_select sel;      /* --call, --call-id, --from, ... */
	bool sip_only;               /* extract --sip-only */
	bool extract_decrypt;        /* extract --decrypt */
	bool decrypt_selected;       /* decrypt -w with a selection: extract */
	struct sift_lint_cfg rules;  /* --rules */
	int fail_on;                 /* --fail-on: a severity, or -1 for none */
	bool fail_on_given;
	bool list_rules;             /* --list-rules */
	bool lint_all;               /* --all: every repeated finding */
	bool embed_audio;            /* report --embed-audio */
	struct sift_hand_key keys[SIFT_MAX_HAND_KEYS];  /* --key, --keyfile */
	bool invite_only;            /* --invite */
	enum sift_time_mode time;    /* --time abs|rel|delta */
	enum sift_color color;       /* --color auto|always|never */
	struct sift_audio_opts audio;/* audio: -d DIR, --mono, --stereo, --rate */
	int verbose;
	unsigned jobs;               /* -j: 1, 2 or more (a reader thread);
				      * 0: 2 when it may run on two cores */
	bool quiet;
	bool help;
	bool version;
	char **files;
	int nfiles;
};

/* Parses argv (reordering it, as getopt does). Returns 0, or 2 with a
 * one-line message in err for a usage error. */
int sift_cli_parse(int argc, char **argv, struct sift_cli *cli, char *err,
		   size_t errlen);

void sift_cli_usage(FILE *f);

/* The help of one command (its options only); SIFT_CMD_NONE: the general
 * help, as sift_cli_usage. */
void sift_cli_usage_cmd(FILE *f, enum sift_command cmd);

#endif
