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
	/* extract: the pcap to write, and the media of the calls chosen as
	 * the first pass found it (each stream's addresses and time). */
	const char *write_pcap;
	bool sip_only;
	const struct sift_rr_flow *flows;
	size_t nflows;
	/* extract --decrypt (and decrypt -w with a selection): SRTP/SRTCP
	 * written as plain RTP/RTCP, as decrypt -w does. */
	bool decrypt;
	uint64_t written;                   /* packets written */
	uint64_t other_link;                /* ... not: another link type */
	uint64_t decrypted;                 /* ... SRTP/SRTCP made plain */
};

struct sift_rr_flow {
	struct sift_addr src;
	struct sift_addr dst;
	sift_time first_ts;
	sift_time last_ts;
};

/* show: every SIP message of the chosen calls (only the frames of
 * --frame, when given). Returns an exit status (0, 3 input, 4 output,
 * 5 internal); diagnostics go to stderr. */
int sift_rerun_show(struct sift_rerun *rr);

/* extract: the packets of the chosen calls, byte for byte, in capture
 * order: every frame that carried their SIP (each TCP segment with
 * payload up to the one that completed a message, each IP fragment) and,
 * unless sip_only, the UDP packets of their streams. A second pass marks
 * the frames, a third copies them (with decrypt, a third pipeline reads
 * everything again, for the keys, and writes the marked frames with
 * their SRTP made plain). Returns an exit status. */
int sift_rerun_extract(struct sift_rerun *rr);

/* report (HTML): every SIP message of the calls t chose goes to t (the
 * page shows each one's text beside its arrow). Returns an exit status. */
struct sift_html_texts;
int sift_rerun_texts(struct sift_rerun *rr, struct sift_html_texts *t);

#endif
