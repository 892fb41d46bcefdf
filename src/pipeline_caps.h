/* sipsift — the caps that drop data, gathered from the stages for the
 * report (struct sift_caps), and the finding for a SIP message the framer
 * gave up. */
#ifndef SIPSIFT_PIPELINE_CAPS_H
#define SIPSIFT_PIPELINE_CAPS_H

#include "lint/rules.h"
#include "pipeline_tls.h"
#include "sip/sip_frame.h"
#include "sipsift/report.h"

struct sift_net;
struct sift_tcp;
struct sift_sctp_reasm;

/* Sets the counters of c the stages keep; the pipeline counts the others
 * (SIP and WebSocket messages too large) itself. */
void sift_pipeline_caps_gather(struct sift_caps *c, const struct sift_net *net,
			       const struct sift_tcp *tcp,
			       const struct sift_calls *calls,
			       const struct sift_findings *fs,
			       const struct sift_dtmf *dtmf,
			       const struct sift_tls_track *tls,
			       const struct sift_media *md,
			       const struct sift_sctp_reasm *sctp);

/* The counters behind the caps, found once. Every one only grows, so a
 * packet hit no cap when their sum did not move: the pipeline gathers
 * (above) only when it did, and tells a first hit while the packet that
 * made it is handled. A new cap's counter belongs here too. */
#define SIFT_CAPS_WATCHED 23
struct sift_caps_watch {
	const uint64_t *at[SIFT_CAPS_WATCHED];
	uint64_t sum;           /* of the counters at the last gather */
};

/* own: the counters the pipeline keeps itself (SIP and WebSocket messages
 * too large). The stages must outlive the watch. */
void sift_caps_watch_init(struct sift_caps_watch *w, const struct sift_caps *own,
			  const struct sift_net *net, const struct sift_tcp *tcp,
			  const struct sift_calls *calls,
			  const struct sift_findings *fs,
			  const struct sift_dtmf *dtmf,
			  const struct sift_tls_track *tls,
			  const struct sift_media *md,
			  const struct sift_sctp_reasm *sctp);

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
