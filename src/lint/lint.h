/* sipsift — lint: rules that check the signalling against the RFCs.
 *
 * Each rule has a stable id (DESIGN.md), a severity, the RFC section that
 * requires what it checks, and a one-line description. Rules read only the
 * validated model (messages as parsed, calls with their transactions and
 * dialogs, and the raw header values kept for them); they never see packet
 * bytes. Adding a rule is one table row (rules.c) and one check.
 *
 * Layers, lowest first: rules.c (the table, --rules), emit.c (a finding of
 * a rule), the rule files lint_*.c, and lint.c, which runs them. */
#ifndef SIPSIFT_LINT_H
#define SIPSIFT_LINT_H

#include "lint/rules.h"
#include "lint/emit.h"

/* Rules on a single message, as it is parsed. */
void sift_lint_message(const struct sift_lint_cfg *cfg,
		       const struct sift_lint_msg *lm,
		       struct sift_findings *out);

/* A stream message whose Content-Length did not frame the stream: what
 * followed it was no SIP message (too small), or its body held one (too
 * large), or it had none. */
void sift_lint_stream_framing(const struct sift_lint_cfg *cfg,
			      const char *call_id, const struct sift_where *w,
			      const char *what, struct sift_findings *out);

/* A TLS connection at its end (lint_tls.c): tls-no-key when it could not
 * be read. */
struct sift_tls_report;
void sift_lint_tls(const struct sift_lint_cfg *cfg,
		   const struct sift_tls_report *t, struct sift_findings *out);

/* Rules across the messages of a call; run once, when the call is done. */
void sift_lint_call(const struct sift_lint_cfg *cfg, const struct sift_call *c,
		    struct sift_findings *out);

#endif
