/* sipsift — the caps that drop data: the watch on the stages' counters
 * behind them (pipeline_caps.c gathers them into the report's struct
 * sift_caps), and the finding for a SIP message the framer gave up. */
#ifndef SIPSIFT_PIPELINE_CAPS_H
#define SIPSIFT_PIPELINE_CAPS_H

#include "lint/rules.h"
#include "pipeline_tls.h"
#include "sip/sip_frame.h"
#include "sipsift/report.h"

/* The counters behind the caps, found once (sift_pl_caps_watch,
 * pipeline_int.h). Every one only grows, so a packet hit no cap when their
 * sum did not move: the pipeline gathers the caps (sift_pl_caps_poll) only
 * when it did, and tells a first hit while the packet that made it is
 * handled. A new cap's counter belongs here too. */
#define SIFT_CAPS_WATCHED 24
struct sift_caps_watch {
	const uint64_t *at[SIFT_CAPS_WATCHED];
	uint64_t sum;           /* of the counters at the last gather */
};

/* True when a counter moved since the last call that said so; extra is a
 * counter of the caller's that only grows (or 0). */
static inline bool sift_caps_watch_moved(struct sift_caps_watch *w,
					 uint64_t extra)
{
	uint64_t sum = extra;

	/* Unrolled: the loop was 120 instructions a packet. */
#pragma GCC unroll 32
	for (unsigned i = 0; i < SIFT_CAPS_WATCHED; i++)
		sum += *w->at[i];
	if (sum == w->sum)
		return false;
	w->sum = sum;
	return true;
}

/* The sip-message-oversize finding for d, unless only_call is set and the
 * message is not of that call. SIFT_ENOMEM when memory ran out. */
enum sift_rc sift_pipeline_sip_drop(const struct sift_lint_cfg *lint,
				    const char *only_call,
				    const struct sift_sip_drop *d,
				    struct sift_findings *fs);

#endif
