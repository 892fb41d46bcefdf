/* sipsift — the lint rules about media: what media counted (its streams,
 * their SRTP state, the a=crypto lines it could not use) judged as
 * findings. Media only counts; the judging is here. */
#ifndef SIPSIFT_LINT_MEDIA_H
#define SIPSIFT_LINT_MEDIA_H

#include "lint/lint.h"
#include "sipsift/dtmf.h"
#include "sipsift/finding.h"
#include "sipsift/media.h"

/* An a=crypto line of call call_id's SDP (in the message at w) that media
 * could not use, and why (sdes.h). */
void sift_lint_media_crypto(const struct sift_lint_cfg *cfg,
			    const char *call_id, const struct sift_where *w,
			    const char *crypto, const char *why,
			    struct sift_findings *out);

/* A stream that is done (its call released, or the input ended: media
 * settled its counters, see sift_media_finish). */
void sift_lint_media_stream(const struct sift_lint_cfg *cfg,
			    const struct sift_stream *s,
			    struct sift_findings *out);

/* A call that is done (before its streams are released): the rules on
 * its media as a whole (rtp-one-way, and those below). md NULL: none. */
void sift_lint_media_call(const struct sift_lint_cfg *cfg,
			  const struct sift_media *md,
			  const struct sift_call *c,
			  struct sift_findings *out);

/* Its offers and answers (lint_media_oa.c): sdp-answer-not-offered,
 * sdp-mline-mismatch, srtp-suite-not-offered, sdp-private-address. */
void sift_lint_media_sdp(const struct sift_lint_cfg *cfg,
			 const struct sift_media *md, const struct sift_call *c,
			 struct sift_findings *out);

/* Its streams' addresses against its SDP (lint_media_addr.c):
 * rtp-unexpected-source, rtp-unexpected-destination. */
void sift_lint_media_addresses(const struct sift_lint_cfg *cfg,
			       const struct sift_media *md,
			       const struct sift_call *c,
			       struct sift_findings *out);

/* Its RTP against its SIP and SDP (lint_media_rtp.c): rtp-no-media,
 * rtp-after-bye, rtp-payload-not-negotiated. */
void sift_lint_media_rtp(const struct sift_lint_cfg *cfg,
			 const struct sift_media *md, const struct sift_call *c,
			 struct sift_findings *out);

/* dtmf-double on the call's DTMF events (after sift_dtmf_close). */
void sift_lint_media_dtmf(const struct sift_lint_cfg *cfg,
			  const struct sift_call *c,
			  const struct sift_dtmf_event *ev, size_t n,
			  struct sift_findings *out);

#endif
