/* sipsift — per-stream RTP statistics (RFC 3550 §6.4.1, A.1, A.3, A.8).
 *
 * Fixed size whatever the stream's length: sequence state, a 64-packet
 * window for duplicates, and running sums. */
#ifndef SIPSIFT_RTPSTAT_H
#define SIPSIFT_RTPSTAT_H

#include <stdbool.h>
#include <stdint.h>

#include "sipsift/common.h"
#include "media/rtp.h"

struct sift_rtpstat {
	bool started;
	uint8_t pt;               /* the payload type jitter is measured on */
	uint16_t max_seq;         /* highest sequence number of this run */
	uint32_t cycles;          /* count of max_seq wraps */
	uint16_t base_seq;        /* first sequence number of this run */
	uint64_t expected_before; /* expected in runs a sequence jump ended */
	uint64_t seen;            /* bit i: max_seq - i was received */
	uint64_t received;        /* distinct packets */
	uint64_t duplicates;
	uint64_t out_of_order;
	uint64_t seq_errors;      /* jumps too large to be loss or reordering */
	uint64_t markers;
	uint32_t clock;           /* Hz; 0 when unknown: no jitter */
	/* RFC 3550 A.8, kept in timestamp units */
	bool have_prev;
	sift_time prev_arrival;
	uint32_t prev_ts;
	double jitter;
	double jitter_max_ms;
	double jitter_sum_ms;
	uint64_t jitter_n;
	double max_delta_ms;      /* largest gap between arrivals */
	/* What the call quality score (media/quality.h) needs. A fixed
	 * jitter buffer of jb_ms plays a packet at the run's smallest
	 * relative transit time (arrival less RTP timestamp, over the
	 * packets of pt with a known clock) plus jb_ms; a packet arriving
	 * after that is discarded (counted in received, and in jb_late);
	 * when the late packets in a row span jb_ms of timestamps the buffer
	 * ran dry and restarts its playout at the current packet (a sender
	 * whose clock runs slow costs a few packets per jb_ms of drift, not
	 * all that follow).
	 * The loss pattern is the 2-state Markov chain over the sequence
	 * numbers of a run, a packet "played" when it came in time: bits
	 * leave the 64-packet window played[] into the four counters. */
	uint32_t jb_ms;           /* SIFT_RTPSTAT_JB_MS unless set */
	bool jb_have_ref;
	sift_time jb_ref_arrival; /* the transit reference packet */
	uint32_t jb_ref_ts;
	uint32_t jb_last_ts;      /* last in-order timestamp of pt */
	double jb_min_us;         /* smallest relative transit of this anchor */
	uint64_t jb_late;         /* distinct packets the buffer discards */
	bool jb_in_late_run;
	uint32_t jb_late_run_ts;  /* timestamp of the first late of the run */
	uint64_t played;          /* bit i: max_seq - i came in time */
	uint8_t win;              /* valid bits in seen/played (0..64) */
	int8_t prev_state;        /* last retired: -1 none, 0 lost, 1 played */
	struct sift_rtpstat_pattern {
		uint64_t ok_ok;     /* played after played */
		uint64_t ok_lost;   /* lost after played */
		uint64_t lost_ok;   /* played after lost */
		uint64_t lost_lost; /* lost after lost */
	} pat;                    /* retired bits only: read it through
				   * sift_rtpstat_pattern() */
};

/* The fixed jitter buffer assumed by default (ms). */
#define SIFT_RTPSTAT_JB_MS 60u

/* Start a stream's statistics; clock is its RTP clock rate (0 unknown). */
void sift_rtpstat_init(struct sift_rtpstat *st, uint32_t clock);

/* The first packet with a known clock rate comes after others (a
 * dynamic payload type no SDP mapped): jitter is measured on pt from
 * here on. */
void sift_rtpstat_clock(struct sift_rtpstat *st, uint32_t clock, uint8_t pt);

/* One packet with header h, arrived at arrival. */
void sift_rtpstat_add(struct sift_rtpstat *st, const struct sift_rtp_hdr *h,
		      sift_time arrival);

/* RFC 3550 A.3: packets expected from the sequence numbers, and lost
 * (expected less received; negative never, duplicates are apart). */
uint64_t sift_rtpstat_expected(const struct sift_rtpstat *st);
int64_t sift_rtpstat_lost(const struct sift_rtpstat *st);

/* Set the fixed jitter buffer (ms) before the first packet; 0 turns the
 * discard model off (every packet in time). */
void sift_rtpstat_jitter_buffer(struct sift_rtpstat *st, uint32_t ms);

/* The loss pattern over the whole stream (received late counts as lost):
 * transitions between consecutive sequence numbers of each run. */
void sift_rtpstat_pattern(const struct sift_rtpstat *st,
			  struct sift_rtpstat_pattern *out);

#endif
