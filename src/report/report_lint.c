/* sipsift — lint output: compiler-style lines, JUnit XML, the rule list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint/lint.h"
#include "sipsift/report.h"
#include "report/report_int.h"
#include "util/strmap.h"
#include "util/utf8.h"

/* FILE:FRAME: severity: */
static void line_start(const struct sift_report *r,
		       const struct sift_finding *x, FILE *f,
		       const struct sift_text_opts *to)
{
	if (x->nframes) {
		sift_put_text(f, sift_input_path(r, x->frames[0].file), 0);
		fprintf(f, ":%llu: ", (unsigned long long)x->frames[0].frame);
	} else {
		fprintf(f, "sipsift: ");
	}
	sift_put_colored(f, to, sift_severity_sgr(x->severity),
			 sift_severity_str(x->severity));
	fprintf(f, ": ");
}

/* FILE:FRAME: severity: message [rule] (RFC) */
static void finding_line(const struct sift_report *r,
			 const struct sift_finding *x, FILE *f,
			 const struct sift_text_opts *to)
{
	line_start(r, x, f, to);
	sift_put_text(f, x->message, 0);
	fprintf(f, " [%s] (%s)", x->rule, x->rfc);
	if (x->nframes > 1) {
		fprintf(f, " frames");
		for (unsigned i = 0; i < x->nframes; i++)
			fprintf(f, "%s%llu", i ? "," : " ",
				(unsigned long long)x->frames[i].frame);
	}
	fputc('\n', f);
}

static bool shown(const struct sift_report *r, const struct sift_finding *x)
{
	return sift_report_shown_id(r, x->call_id);
}

/* FILE:FRAME: severity: N × message [rule] (RFC) (first: frame F; ...):
 * the first of n findings that differ only in their frames. */
static void group_line(const struct sift_report *r,
		       const struct sift_finding *x, size_t n, FILE *f,
		       const struct sift_text_opts *to)
{
	line_start(r, x, f, to);
	fprintf(f, "%zu \u00d7 ", n);
	sift_put_text(f, x->message, 0);
	fprintf(f, " [%s] (%s) (", x->rule, x->rfc);
	if (x->nframes)
		fprintf(f, "first: frame %llu; ",
			(unsigned long long)x->frames[0].frame);
	fprintf(f, "--all lists every one)\n");
}

/* Two findings are the same for the grouped output when their rule,
 * severity and message agree once the frame numbers a message names
 * ("frame 12", "frames 3,4") are left out; the Call-ID is not part of it.
 * The key is malloc'd; NULL when out of memory. */
static char *group_key(const struct sift_finding *x)
{
	const char *m = x->message ? x->message : "";
	size_t n = strlen(m), rl = strlen(x->rule), o = 0;
	char *k = malloc(rl + 3 + n + 1);

	if (!k)
		return NULL;
	memcpy(k, x->rule, rl);
	o = rl;
	k[o++] = '\n';
	k[o++] = (char)('0' + (int)x->severity);
	k[o++] = '\n';
	for (size_t i = 0; i < n; i++) {
		k[o++] = m[i];
		if (m[i] != ' ' ||
		    !((i >= 5 && memcmp(m + i - 5, "frame", 5) == 0) ||
		      (i >= 6 && memcmp(m + i - 6, "frames", 6) == 0)))
			continue;
		while (i + 1 < n && ((m[i + 1] >= '0' && m[i + 1] <= '9') ||
				     m[i + 1] == ','))
			i++;
	}
	k[o] = '\0';
	return k;
}

/* For each shown finding, the index of the first finding of its group
 * (first[k]), and for each first one the size of its group (count[k]). */
static enum sift_rc group_findings(const struct sift_report *r, size_t n,
				   size_t *first, size_t *count)
{
	struct sift_strmap *groups = sift_strmap_new();
	enum sift_rc rc = SIFT_ENOMEM;

	if (!groups)
		goto out;
	for (size_t k = 0; k < n; k++) {
		const struct sift_finding *x = sift_findings_get(r->findings, k);
		char *key;
		void *v;

		if (!shown(r, x))
			continue;
		key = group_key(x);
		if (!key)
			goto out;
		v = sift_strmap_get(groups, key);
		if (v) {
			first[k] = (size_t)((uintptr_t)v - 1);
		} else if (sift_strmap_put(groups, key, (void *)(uintptr_t)(k + 1)) == 0) {
			first[k] = k;
		} else {
			free(key);
			goto out;
		}
		free(key);
		count[first[k]]++;
	}
	rc = SIFT_OK;
out:
	sift_strmap_free(groups);
	return rc;
}

enum sift_rc sift_report_lint(const struct sift_report *r, FILE *f, bool all,
			      const struct sift_text_opts *to)
{
	uint64_t e = sift_findings_severity(r->findings, SIFT_SEV_ERROR);
	uint64_t w = sift_findings_severity(r->findings, SIFT_SEV_WARNING);
	uint64_t i = sift_findings_severity(r->findings, SIFT_SEV_INFO);
	size_t n = sift_findings_count(r->findings);
	size_t *first = NULL, *count = NULL;
	enum sift_rc rc = SIFT_OK;

	if (!all && n > 1) {
		first = calloc(n, sizeof(*first));
		count = calloc(n, sizeof(*count));
		if (!first || !count) {
			rc = SIFT_ENOMEM;
			goto out;
		}
		rc = group_findings(r, n, first, count);
		if (rc != SIFT_OK)
			goto out;
	}
	for (size_t k = 0; k < n; k++) {
		const struct sift_finding *x = sift_findings_get(r->findings, k);

		if (!shown(r, x))
			continue;
		if (!first || count[k] == 1)
			finding_line(r, x, f, to);
		else if (first[k] == k)
			group_line(r, x, count[k], f, to);
	}
	fprintf(f, "%llu %s, %llu %s, %llu info in %llu %s (%llu SIP messages)\n",
		(unsigned long long)e, e == 1 ? "error" : "errors",
		(unsigned long long)w, w == 1 ? "warning" : "warnings",
		(unsigned long long)i, (unsigned long long)sift_calls_total(r->calls),
		sift_calls_total(r->calls) == 1 ? "call" : "calls",
		(unsigned long long)r->sum.sip_messages);
	if (ferror(f) || fflush(f) != 0)
		rc = SIFT_EIO;
out:
	free(first);
	free(count);
	return rc;
}

/* XML character data and attribute values: escape markup, replace what
 * XML 1.0 cannot carry (control characters other than tab and newline:
 * '?'; malformed UTF-8, U+FFFE and U+FFFF: U+FFFD), so that the document
 * stays well-formed whatever bytes a packet held. */
static void xml_text(FILE *f, const char *s)
{
	size_t left = s ? strlen(s) : 0;

	for (size_t len; left; s += len, left -= len) {
		unsigned char ch = (unsigned char)*s;
		uint32_t cp;

		len = 1;
		if (ch >= 0x80) {
			len = sift_utf8_next(s, left, &cp);
			if (!len || cp == 0xfffe || cp == 0xffff) {
				fputs(SIFT_UTF8_REPLACEMENT, f);
				len = len ? len : 1;
			} else {
				fwrite(s, 1, len, f);
			}
			continue;
		}
		switch (ch) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			if (ch < 0x20 && ch != '\t' && ch != '\n')
				fputc('?', f);
			else
				fputc(ch, f);
		}
	}
}

struct case_findings {
	size_t *idx;
	size_t n;
	size_t cap;
};

static int case_add(struct case_findings *cf, size_t i)
{
	void *v = cf->idx;

	/* A finding is in one case at most: no more than there are. */
	if (!sift_grow(&v, &cf->cap, cf->n, sizeof(*cf->idx), SIFT_FINDINGS_MAX))
		return -1;
	cf->idx = v;
	cf->idx[cf->n++] = i;
	return 0;
}

/* One finding's line, XML-escaped, into f; false when out of memory. */
static bool case_line(const struct sift_report *r, const struct sift_finding *x,
		      FILE *f)
{
	char *line = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&line, &len);

	if (!m)
		return false;
	finding_line(r, x, m, NULL);
	if (fclose(m) != 0) {
		free(line);
		return false;
	}
	xml_text(f, line);
	free(line);
	return true;
}

/* One test case; false when out of memory. */
static bool write_case(const struct sift_report *r, FILE *f, const char *cls,
		       const char *name, double secs,
		       const struct case_findings *cf, int fail_on,
		       unsigned *failures)
{
	size_t first_k = SIZE_MAX;

	/* The first finding that fails the case, by its place: a finding
	 * read back from the temporary file lives until a few more are. */
	for (size_t k = 0; cf && k < cf->n && first_k == SIZE_MAX; k++)
		if (fail_on >= 0 &&
		    (int)sift_findings_get(r->findings, cf->idx[k])->severity >= fail_on)
			first_k = k;
	fprintf(f, "    <testcase classname=\"");
	xml_text(f, cls);
	fprintf(f, "\" name=\"");
	xml_text(f, name);
	fprintf(f, "\" time=\"%.3f\"", secs);
	if (!cf || !cf->n) {
		fprintf(f, "/>\n");
		return true;
	}
	fprintf(f, ">\n");
	if (first_k != SIZE_MAX) {
		const struct sift_finding *first =
			sift_findings_get(r->findings, cf->idx[first_k]);

		fprintf(f, "      <failure type=\"%s\" message=\"", first->rule);
		xml_text(f, first->message);
		fprintf(f, "\">");
		for (size_t k = first_k; k < cf->n; k++) {
			const struct sift_finding *x = sift_findings_get(r->findings, cf->idx[k]);

			if ((int)x->severity >= fail_on && !case_line(r, x, f))
				return false;
		}
		fprintf(f, "</failure>\n");
		(*failures)++;
	}
	{
		bool any = false;

		for (size_t k = 0; k < cf->n; k++) {
			const struct sift_finding *x = sift_findings_get(r->findings, cf->idx[k]);

			if (fail_on >= 0 && (int)x->severity >= fail_on)
				continue;
			if (!any)
				fprintf(f, "      <system-out>");
			any = true;
			if (!case_line(r, x, f))
				return false;
		}
		if (any)
			fprintf(f, "</system-out>\n");
	}
	fprintf(f, "    </testcase>\n");
	return true;
}

enum sift_rc sift_report_junit(const struct sift_report *r, FILE *f,
			       int fail_on)
{
	struct sift_strmap *by_call = sift_strmap_new();
	size_t ncalls = sift_calls_count(r->calls);
	struct case_findings *cases = calloc(ncalls + 1, sizeof(*cases));
	struct case_findings *loose;
	unsigned failures = 0, tests = 0;
	char *body = NULL;
	size_t blen = 0;
	FILE *b = NULL;
	enum sift_rc rc = SIFT_ENOMEM;

	if (!by_call || !cases)
		goto out;
	loose = &cases[ncalls];
	for (size_t i = 0; i < ncalls; i++)
		if (sift_strmap_put(by_call, sift_calls_get(r->calls, i)->call_id,
				    &cases[i]) < 0)
			goto out;
	for (size_t k = 0; k < sift_findings_count(r->findings); k++) {
		const struct sift_finding *x = sift_findings_get(r->findings, k);
		struct case_findings *cf = x->call_id ?
			sift_strmap_get(by_call, x->call_id) : NULL;

		if (case_add(cf ? cf : loose, k) < 0)
			goto out;
	}
	/* The cases first, into memory: the counts go in the opening tags. */
	b = open_memstream(&body, &blen);
	if (!b)
		goto out;
	for (size_t i = 0; i < ncalls; i++) {
		const struct sift_call *c = sift_calls_get(r->calls, i);
		char name[512], from[128], to[128];

		if (!sift_report_shown(r, c))
			continue;
		snprintf(name, sizeof(name), "call %u %s -> %s (Call-ID %s)", c->index,
			 sift_uri_short(c->from, from, sizeof(from)),
			 sift_uri_short(c->to, to, sizeof(to)), c->call_id);
		snprintf(from, sizeof(from), "sipsift.%s", c->kind ? c->kind : "unknown");
		if (!write_case(r, b, from, name,
				(double)(c->last_ts - c->first_ts) / 1e6,
				&cases[i], fail_on, &failures))
			goto out;
		tests++;
	}
	if (loose->n && !r->sel) {
		if (!write_case(r, b, "sipsift.capture",
				"messages outside any call", 0, loose, fail_on,
				&failures))
			goto out;
		tests++;
	}
	if (fclose(b) != 0) {
		b = NULL;
		goto out;
	}
	b = NULL;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<testsuites name=\"sipsift lint\" tests=\"%u\" failures=\"%u\" errors=\"0\">\n",
		tests, failures);
	fprintf(f, "  <testsuite name=\"sipsift lint: ");
	for (size_t i = 0; i < r->ninputs; i++) {
		if (i)
			fputs(", ", f);
		xml_text(f, r->inputs[i].path);
	}
	fprintf(f, "\" tests=\"%u\" failures=\"%u\" errors=\"0\" skipped=\"0\">\n",
		tests, failures);
	fwrite(body, 1, blen, f);
	fprintf(f, "  </testsuite>\n</testsuites>\n");
	rc = (ferror(f) || fflush(f) != 0) ? SIFT_EIO : SIFT_OK;
out:
	if (b)
		fclose(b);
	free(body);
	for (size_t i = 0; cases && i <= ncalls; i++)
		free(cases[i].idx);
	free(cases);
	sift_strmap_free(by_call);
	return rc;
}

enum sift_rc sift_report_rules(FILE *f)
{
	fprintf(f, "%-28s %-8s %-20s %-10s %s\n", "RULE", "SEVERITY", "RFC",
		"GROUP", "DESCRIPTION");
	for (int i = 0; i < SIFT_R_COUNT; i++) {
		const struct sift_rule *r = sift_rule((enum sift_rule_id)i);

		/* The RFC column is padded by characters, not bytes: "§" is
		 * two bytes in UTF-8. */
		int pad = 20 - (int)(strlen(r->rfc) - 1);

		fprintf(f, "%-28s %-8s %s%*s %-10s %s\n", r->id,
			sift_severity_str(r->severity), r->rfc, pad > 0 ? pad : 0,
			"", r->group, r->summary);
	}
	if (ferror(f) || fflush(f) != 0)
		return SIFT_EIO;
	return SIFT_OK;
}
