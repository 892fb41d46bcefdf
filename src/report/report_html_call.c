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

/* The phases of an INVITE as a VoIP engineer reads them off the ladder:
 * post-dial delay from the INVITE to the first 18x (180 Ringing, 183
 * Session Progress: the caller hears ringing or early media), ring time
 * from that 18x to the final response of the same CSeq (answered,
 * rejected, or the 487 after a CANCEL), setup from the request to its
 * final response (the outcome's, across a 401/407 round), duration from
 * the answer to the BYE. Read from the messages as listed (every hop):
 * the first 18x of any hop, its INVITE the first with its CSeq number. */
struct phases {
	double invite, ring, final;
	long long final_status;
	const json_t *ringing;     /* the first 18x */
	const json_t *final_msg;
};

static bool invite_msg(const json_t *m, long long cseq)
{
	const char *cm = sift_html_jstr(m, "cseq_method");

	return cm && !strcmp(cm, "INVITE") && sift_html_jint(m, "cseq", -1) == cseq;
}

static void find_phases(const json_t *msgs, struct phases *p)
{
	size_t i, at = 0;
	const json_t *m;
	long long cseq = -1;

	p->invite = p->ring = p->final = NAN;
	p->final_status = 0;
	p->ringing = p->final_msg = NULL;
	json_array_foreach(msgs, i, m) {
		long long st = sift_html_jint(m, "status", 0);

		if (st >= 180 && st <= 199 && invite_msg(m, sift_html_jint(m, "cseq", -1))) {
			p->ringing = m;
			p->ring = sift_html_jnum(m, "ts");
			cseq = sift_html_jint(m, "cseq", -1);
			at = i;
			break;
		}
	}
	if (!p->ringing)
		return;
	json_array_foreach(msgs, i, m) {
		const char *meth = sift_html_jstr(m, "method");
		long long st = sift_html_jint(m, "status", 0);

		if (i < at && meth && !strcmp(meth, "INVITE") && invite_msg(m, cseq) &&
		    isnan(p->invite))
			p->invite = sift_html_jnum(m, "ts");
		if (i > at && st >= 200 && invite_msg(m, cseq)) {
			p->final = sift_html_jnum(m, "ts");
			p->final_status = st;
			p->final_msg = m;
			break;
		}
	}
}

static long long ms_between(double a, double b)
{
	return isnan(a) || isnan(b) || b < a ? -1 : llround((b - a) * 1000.0);
}

static void put_status(FILE *f, const json_t *m)
{
	fprintf(f, "%lld", sift_html_jint(m, "status", 0));
	if (sift_html_jstr(m, "reason") && *sift_html_jstr(m, "reason")) {
		fputs(" ", f);
		sift_html_esc(f, sift_html_jstr(m, "reason"));
	}
}

/* Post-dial delay, setup, ring and duration, each with a data-* value in
 * ms for scripts and tests (absent when unknown). */
static void put_timing(FILE *f, const json_t *c, const json_t *msgs)
{
	long long setup = sift_html_jint(c, "setup_ms", -1);
	long long dur = sift_html_jint(c, "duration_ms", -1);
	struct phases p;
	long long pdd, ring;

	find_phases(msgs, &p);
	pdd = ms_between(p.invite, p.ring);
	ring = ms_between(p.ring, p.final);
	if (p.ringing) {
		fputs("<dt>Post-dial delay</dt><dd", f);
		if (pdd >= 0)
			fprintf(f, " data-pdd-ms=\"%lld\"", pdd);
		fputs(">", f);
		sift_html_put_ms(f, pdd);
		fputs(" <span class=\"hint\">INVITE to ", f);
		put_status(f, p.ringing);
		fputs("</span></dd>", f);
	}
	fputs("<dt>Setup</dt><dd", f);
	if (setup >= 0)
		fprintf(f, " data-setup-ms=\"%lld\"", setup);
	fputs(">", f);
	sift_html_put_ms(f, setup);
	fputs("</dd>", f);
	if (p.ringing) {
		fputs("<dt>Ring</dt><dd", f);
		if (ring >= 0)
			fprintf(f, " data-ring-ms=\"%lld\"", ring);
		fputs(">", f);
		if (p.final_msg) {
			sift_html_put_ms(f, ring);
			fputs(" <span class=\"hint\">", f);
			put_status(f, p.ringing);
			fputs(" to ", f);
			put_status(f, p.final_msg);
			fputs("</span>", f);
		} else {
			fputs("no final response after ", f);
			put_status(f, p.ringing);
			fputs(" at ", f);
			sift_html_put_ts(f, p.ring, 26);
		}
		fputs("</dd>", f);
	}
	fputs("<dt>Duration</dt><dd", f);
	if (dur >= 0)
		fprintf(f, " data-duration-ms=\"%lld\"", dur);
	fputs(">", f);
	sift_html_put_ms(f, dur);
	fputs("</dd>", f);
}

bool sift_html_write_call(FILE *f, const json_t *c, json_t *findings,
			  const size_t *fnext, size_t ffirst,
			  struct sift_html_opts *o)
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
	put_timing(f, c, msgs);
	fputs("<dt>Transport</dt><dd>", f);
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
	if (!sift_html_write_ladder(f, idx, msgs))
		return false;
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
	sift_html_write_audio(f, o, c, "<h4>Audio</h4>");
	if (ffirst != (size_t)-1) {
		fputs("<h4>Findings</h4>\n<ul class=\"findings\">\n", f);
		for (size_t k = ffirst; k != (size_t)-1; k = fnext[k])
			sift_html_write_finding(f, json_array_get(findings, k), idx, msgs);
		fputs("</ul>\n", f);
	}
	fputs("</section>\n", f);
	return true;
}
