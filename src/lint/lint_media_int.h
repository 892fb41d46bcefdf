/* sipsift — what the files of the media rules share (lint_media*.c):
 * offer/answer pairs and address scopes. */
#ifndef SIPSIFT_LINT_MEDIA_INT_H
#define SIPSIFT_LINT_MEDIA_INT_H

#include "lint/emit.h"
#include "sipsift/call.h"
#include "sipsift/media.h"

/* The message of call c at w that carried an SDP body (NULL: none). */
const struct sift_msg_rec *sift_lint_sdp_msg(const struct sift_call *c,
					     const struct sift_where *w);

/* An offer and its answer, as indexes into the call's SDP bodies. */
struct sift_sdp_pair {
	size_t offer, answer;
	const struct sift_msg_rec *offer_msg, *answer_msg;
};

/* The offer/answer pairs of the call's SDP bodies (RFC 3264 §4 and RFC
 * 3261 §13.2.1): a request's body answered by a 1xx/2xx response of its
 * transaction, or a 2xx's body answered by the ACK (or PRACK). */
size_t sift_lint_sdp_pairs(const struct sift_call *c,
			   const struct sift_media_sdp *sdps, size_t n,
			   struct sift_sdp_pair *out, size_t cap);

/* Address scopes, for NAT. */
enum sift_scope {
	SIFT_SCOPE_PUBLIC = 0,
	SIFT_SCOPE_PRIVATE,     /* RFC 1918, fc00::/7 */
	SIFT_SCOPE_SHARED,      /* RFC 6598 100.64.0.0/10 */
	SIFT_SCOPE_LINK_LOCAL,  /* 169.254.0.0/16, fe80::/10 */
	SIFT_SCOPE_LOOPBACK,
	SIFT_SCOPE_OTHER        /* unspecified (hold), multicast, none */
};

enum sift_scope sift_lint_scope(const struct sift_addr *a);
const char *sift_lint_scope_str(enum sift_scope s);

/* sdp-private-address on the call's SDP bodies and their pairs. */
void sift_lint_media_private(const struct sift_lint_cfg *cfg,
			     const struct sift_call *c,
			     const struct sift_media_sdp *sdps, size_t n,
			     const struct sift_sdp_pair *pairs, size_t np,
			     const struct sift_stream *const *sv, size_t ns,
			     struct sift_findings *out);

#endif
