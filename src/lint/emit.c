/* sipsift — a finding of a rule, when the rule is on. */
#include <stdarg.h>
#include <stdio.h>

#include "lint/emit.h"

void sift_lint_emit(const struct sift_lint_cfg *cfg, struct sift_findings *out,
		    enum sift_rule_id id, const char *call_id,
		    const struct sift_frame_ref *frames, unsigned nframes,
		    const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	const struct sift_rule *r = sift_rule(id);

	if (!r || !cfg->on[id])
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sift_findings_add(out, r->id, r->severity, r->rfc,
			  call_id, frames, nframes, "%s", msg);
}
