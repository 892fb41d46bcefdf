/* sipsift — lint: reporting a finding of a rule, and the helpers the
 * rule files share to read the model. */
#ifndef SIPSIFT_LINT_EMIT_H
#define SIPSIFT_LINT_EMIT_H

#include <string.h>

#include "lint/rules.h"

/* Reports a finding of rule id when the rule is on (severity and RFC from
 * the table). */
void sift_lint_emit(const struct sift_lint_cfg *cfg, struct sift_findings *out,
		    enum sift_rule_id id, const char *call_id,
		    const struct sift_frame_ref *frames, unsigned nframes,
		    const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

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

#endif
