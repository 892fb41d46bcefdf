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
	int len;

	if (!r || !cfg->on[id])
		return;
	va_start(ap, fmt);
	len = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Cut to the buffer, as the message always was. */
	if (len < 0) {
		len = 0;
		msg[0] = '\0';
	} else if ((size_t)len >= sizeof(msg)) {
		len = (int)sizeof(msg) - 1;
	}
	sift_findings_add_text(out, r->id, r->severity, r->rfc, call_id,
			       frames, nframes, msg, (size_t)len);
}
