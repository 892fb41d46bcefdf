/* sipsift — the HTML report's call sections: the call's facts and timing,
 * its ladder (report_html_ladder.c), the text of its messages, its DTMF
 * and its findings. Split from report_html.c, whose tree readers and
 * escaping it shares (report_html_int.h). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_html_int.h"
#include "report/report_int.h"

static void put_dd_ts(FILE *f, const char *label, double ts)
{
	if (isnan(ts))
		return;
	fprintf(f, "<dt>%s</dt><dd>", label);
	sift_html_put_ts(f, ts, 26);
	fputs("</dd>", f);
}

void sift_html_write_call(FILE *f, const json_t *c, json_t *findings,
		       const size_t *fnext, size_t ffirst)
{
	long long idx = sift_html_jint(c, "index", 0), fin = sift_html_jint(c, "final_status", 0);
	json_t *msgs = json_object_get(c, "messages");
	json_t *dlg = json_object_get(c, "dialogs"), *d, *ids, *v;
	json_t *dtmf = json_object_get(c, "dtmf");
	const char *st = sift_html_jstr(c, "state");
	size_t i;

	fprintf(f, "<section class=\"call\" id=\"call-%lld\" data-call-id=\"", idx);
	sift_html_esc(f, sift_html_jstr(c, "call_id"));
	fprintf(f, "\" data-call=\"%lld\">\n<h3>Call %lld <span class=\"badge %s\">",
		idx, idx, sift_html_state_class(st));
	sift_html_esc(f, st);
	fputs("</span> <span class=\"kind\">", f);
	sift_html_esc(f, sift_html_jstr(c, "kind"));
	fputs("</span> ", f);
	sift_html_put_uri_short(f, sift_html_jstr(c, "from"));
	fputs(" \xe2\x86\x92 ", f);
	sift_html_put_uri_short(f, sift_html_jstr(c, "to"));
	fputs("</h3>\n<dl class=\"facts\">", f);
	fputs("<dt>Call-ID</dt><dd><code>", f);
	sift_html_esc(f, sift_html_jstr(c, "call_id"));
	fputs("</code></dd><dt>From</dt><dd>", f);
	sift_html_esc(f, sift_html_jstr(c, "from"));
	fputs("</dd><dt>To</dt><dd>", f);
	sift_html_esc(f, sift_html_jstr(c, "to"));
	fputs("</dd><dt>Outcome</dt><dd>", f);
	sift_html_esc(f, st);
	if (fin)
		fprintf(f, ", final %lld", fin);
	if (sift_html_jstr(c, "reason") && *sift_html_jstr(c, "reason")) {
		fputs(": ", f);
		sift_html_esc(f, sift_html_jstr(c, "reason"));
	}
	fputs("</dd>", f);
	put_dd_ts(f, "Start", sift_html_jnum(c, "start_ts"));
	put_dd_ts(f, "Answer", sift_html_jnum(c, "answer_ts"));
	put_dd_ts(f, "End", sift_html_jnum(c, "end_ts"));
	fputs("<dt>Setup</dt><dd>", f);
	sift_html_put_ms(f, sift_html_jint(c, "setup_ms", -1));
	fputs("</dd><dt>Duration</dt><dd>", f);
	sift_html_put_ms(f, sift_html_jint(c, "duration_ms", -1));
	fputs("</dd><dt>Transport</dt><dd>", f);
	sift_html_put_transports(f, c);
	fprintf(f, "</dd><dt>Dialogs</dt><dd>%zu%s", json_array_size(dlg),
		json_array_size(dlg) > 1 ? " (forked)" : "");
	json_array_foreach(dlg, i, d) {
		fputs(i ? "; " : ": ", f);
		fputs("to-tag <code>", f);
		sift_html_esc(f, sift_html_jstr(d, "to_tag") ? sift_html_jstr(d, "to_tag") : "-");
		fputs("</code> ", f);
		sift_html_esc(f, sift_html_jstr(d, "state"));
	}
	fputs("</dd>", f);
	ids = json_object_get(c, "streams");
	if (json_array_size(ids)) {
		fputs("<dt>Streams</dt><dd>", f);
		json_array_foreach(ids, i, v)
			fprintf(f, "%s<a href=\"#stream-%lld\">%lld</a>", i ? ", " : "",
				(long long)json_integer_value(v), (long long)json_integer_value(v));
		fputs("</dd>", f);
	}
	fputs("<dt>DTMF</dt><dd>", f);
	sift_html_put_digits(f, c, 0);
	fputs("</dd>", f);
	if (sift_html_jint(c, "dropped", 0))
		fprintf(f, "<dt>Dropped</dt><dd>%lld messages past the per-call cap</dd>",
			sift_html_jint(c, "dropped", 0));
	fputs("</dl>\n", f);
	fputs("<div class=\"flow\"><div class=\"ladder-box\">\n", f);
	sift_html_write_ladder(f, idx, msgs);
	fputs("</div><aside class=\"msginfo\" aria-live=\"polite\"><p class=\"hint\">"
	      "Select an arrow to see its message.</p></aside></div>\n", f);
	if (json_array_size(dtmf)) {
		json_t *e;

		fputs("<h4>DTMF</h4>\n<table class=\"grid small\"><thead><tr><th>Digit</th>"
		      "<th>Time (UTC)</th><th>Duration</th><th>Source</th><th>Direction</th>"
		      "<th>Frame</th></tr></thead><tbody>\n", f);
		json_array_foreach(dtmf, i, e) {
			fputs("<tr><td>", f);
			sift_html_esc(f, sift_html_jstr(e, "digit"));
			fputs("</td><td>", f);
			sift_html_put_ts(f, sift_html_jnum(e, "ts"), 26);
			fputs("</td><td class=\"n\">", f);
			sift_html_put_ms(f, sift_html_jint(e, "duration_ms", -1));
			fputs("</td><td>", f);
			sift_html_esc(f, sift_html_jstr(e, "source"));
			fputs("</td><td>", f);
			sift_html_esc(f, sift_html_jstr(e, "src"));
			fputs(" \xe2\x86\x92 ", f);
			sift_html_esc(f, sift_html_jstr(e, "dst"));
			fprintf(f, "</td><td class=\"n\">%lld</td></tr>\n", sift_html_jint(e, "frame", 0));
		}
		fputs("</tbody></table>\n", f);
	}
	if (ffirst != (size_t)-1) {
		fputs("<h4>Findings</h4>\n<ul class=\"findings\">\n", f);
		for (size_t k = ffirst; k != (size_t)-1; k = fnext[k])
			sift_html_write_finding(f, json_array_get(findings, k), idx, msgs);
		fputs("</ul>\n", f);
	}
	fputs("</section>\n", f);
}
