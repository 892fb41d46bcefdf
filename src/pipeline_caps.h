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

/* The sip-message-oversize finding for d, unless only_call is set and the
 * message is not of that call. SIFT_ENOMEM when memory ran out. */
enum sift_rc sift_pipeline_sip_drop(const struct sift_lint_cfg *lint,
				    const char *only_call,
				    const struct sift_sip_drop *d,
				    struct sift_findings *fs);

#endif
