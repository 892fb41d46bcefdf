/* sipsift — grammar checks on the raw text of messages the parser took
 * (RFC 3261 §25): libosip2 is lenient and lossy (LIBRARIES.md) and accepts
 * messages that a strict element rejects. Findings are sip-parse-error with
 * what exactly is wrong. */
#include <stdio.h>
#include <string.h>

#include "lint_int.h"

/* §7.1/§7.2: SIP-Version = "SIP/2.0", in the request line's last token or
 * the status line's first. */
static bool bad_version(const uint8_t *p, size_t n, bool request,
			char *what, size_t len)
{
	const uint8_t *eol = memchr(p, '\n', n);
	size_t l = eol ? (size_t)(eol - p) : n;
	const uint8_t *v;

	if (l && p[l - 1] == '\r')
		l--;
	if (request) {
		if (l < 7)
			return false;
		v = p + l - 7;
	} else {
		v = p;
	}
	if (l >= 7 && memcmp(v, "SIP/2.0", 7) == 0)
		return false;
	snprintf(what, len, "SIP version is not SIP/2.0");
	return true;
}

void sift_lint_syntax(const struct sift_lint_cfg *cfg,
		      const struct sift_lint_msg *lm, struct sift_findings *out)
{
	const struct sift_sip_msg *m = lm->m;
	struct sift_frame_ref fr = { lm->where.file, lm->where.frame };
	char what[128];

	if (!m)
		return;
	if (bad_version(m->raw, m->raw_len, m->request, what, sizeof(what)))
		sift_lint_emit(cfg, out, SIFT_R_SIP_PARSE_ERROR, m->call_id, &fr, 1,
			       "%s; a strict element answers 505 Version Not Supported or drops it",
			       what);
}
