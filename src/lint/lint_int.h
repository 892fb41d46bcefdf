/* sipsift — the rule groups that lint.c runs, and what they share. */
#ifndef SIPSIFT_LINT_INT_H
#define SIPSIFT_LINT_INT_H

#include "lint/emit.h"
#include "sip/uri.h"

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
/* The top Via's sent-by port, the default when none is written (RFC 3261
 * §18.2.1, §19.1.2): 5061 over TLS, 5060 otherwise. */
unsigned sift_via_port(const struct sift_msg_rec *m);

/* What the grammar checks find wrong in the raw text of a message the
 * parser rejected, in buf ("" when they find nothing): the first problem,
 * said as in a syntax finding. */
void sift_lint_syntax_why(const uint8_t *raw, size_t n, char *buf, size_t len);
void sift_lint_syntax(const struct sift_lint_cfg *cfg,
		      const struct sift_lint_msg *lm, struct sift_findings *out);

#endif
