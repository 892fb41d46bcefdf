/* sipsift — lint: SIP over TLS that could not be read (tls-no-key). */
#include "lint/lint.h"
#include "sipsift/report.h"
#include "tls/tls.h"

void sift_lint_tls(const struct sift_lint_cfg *cfg,
		   const struct sift_tls_report *t, struct sift_findings *out)
{
	struct sift_frame_ref fr = { t->first.file, t->first.frame };
	char a[SIFT_ADDR_STRLEN], b[SIFT_ADDR_STRLEN];
	const char *v = sift_tls_version_str(t->version);

	if (t->decrypted)
		return;
	sift_lint_emit(cfg, out, SIFT_R_TLS_NO_KEY, NULL, &fr, 1,
		       "TLS connection %s -> %s%s%s could not be read: %s; the SIP it carries is missing from the report (give its keys with --tls-keylog or --tls-key)",
		       sift_addr_str(&t->client, a, sizeof(a)),
		       sift_addr_str(&t->server, b, sizeof(b)),
		       v ? ", " : "", v ? v : "", t->status);
}
