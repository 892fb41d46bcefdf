/* sipsift — per-stream RTP statistics (RFC 3550 §6.4.1, A.1, A.3, A.8).
 *
 * Fixed size whatever the stream's length: sequence state, a 64-packet
 * window for duplicates, and running sums. */
#ifndef SIPSIFT_RTPSTAT_H
#define SIPSIFT_RTPSTAT_H

#include <stdbool.h>
#include <stdint.h>

#include "sipsift/common.h"
#include "sipsift/stats.h"
#include "media/rtp.h"


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

/* A stream's series (sift_rtpseries, stats.h): a new one (NULL when out
 * of memory), one packet added to st and to se (se NULL: st only), and
 * an RTCP report block about the stream (jitter_ms < 0: unknown). */
struct sift_rtpseries *sift_rtpseries_new(void);
void sift_rtpstat_add_series(struct sift_rtpstat *st, struct sift_rtpseries *se,
			     const struct sift_rtp_hdr *h, sift_time arrival);
void sift_rtpseries_rtcp(struct sift_rtpseries *se, sift_time arrival,
			 double jitter_ms, int32_t cum_lost);

/* The loss pattern over the whole stream (received late counts as lost):
 * transitions between consecutive sequence numbers of each run. */
void sift_rtpstat_pattern(const struct sift_rtpstat *st,
			  struct sift_rtpstat_pattern *out);

#endif
