/* sipsift — what the lint rule groups share. */
#ifndef SIPSIFT_LINT_INT_H
#define SIPSIFT_LINT_INT_H

#include <string.h>

#include "lint/lint.h"

/* Rule groups over one call (lint_cancel.c, lint_ack.c, lint_proxy.c). */
void sift_lint_cancel(const struct sift_lint_cfg *cfg, const struct sift_call *c,
		      struct sift_findings *out);
void sift_lint_ack(const struct sift_lint_cfg *cfg, const struct sift_call *c,
		   struct sift_findings *out);
void sift_lint_proxy(const struct sift_lint_cfg *cfg, const struct sift_call *c,
		     struct sift_findings *out);
void sift_lint_transport(const struct sift_lint_cfg *cfg,
			 const struct sift_call *c, struct sift_findings *out);

/* Grammar checks on a parsed message's raw text (lint_syntax.c). */
void sift_lint_syntax(const struct sift_lint_cfg *cfg,
		      const struct sift_lint_msg *lm, struct sift_findings *out);

static inline bool sift_is(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* A message that counts as a request of this method (not damaged). */
static inline bool sift_is_req(const struct sift_msg_rec *m, const char *method)
{
	return !m->damaged && m->request && sift_is(m->method, method);
}

static inline const struct sift_txn *sift_txn_of(const struct sift_call *c,
						 const struct sift_msg_rec *m)
{
	return m->txn < c->ntxns ? &c->txns[m->txn] : NULL;
}

/* The frame of a message, as evidence. */
static inline struct sift_frame_ref sift_ref(const struct sift_msg_rec *m)
{
	struct sift_frame_ref r = { m->where.file, m->where.frame };

	return r;
}

/* SIP URI equality for what the rules compare (RFC 3261 §19.1.4, the part
 * that matters on a trace): scheme, user, host (case-insensitive) and port
 * (5060 when absent, 5061 for sips), ignoring display names, angle
 * brackets and parameters. NULL equals only NULL. */
bool sift_uri_eq(const char *a, const char *b);

/* The n-th (0-based) URI of a Route/Record-Route value list, copied into
 * buf without brackets or parameters after '>'; false past the end. */
bool sift_route_nth(const char *list, size_t n, char *buf, size_t len);
size_t sift_route_count(const char *list);

/* Does the URI carry the ;lr parameter (RFC 3261 §19.1.1)? */
bool sift_uri_has_lr(const char *uri);

/* "1.2.3.4" of an address, without port. */
const char *sift_ip_str(const struct sift_addr *a, char *buf, size_t len);

/* Does URI (host and port, default 5060) name address a? */
bool sift_uri_is_addr(const char *uri, const struct sift_addr *a);

#endif
