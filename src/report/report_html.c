/* sipsift — one self-contained HTML file for people who would rather look
 * (issue #15). Everything it shows is read from the JSON report document
 * (sift_report_json_doc), so the two never disagree; the tables and the
 * ladder diagrams are written into the HTML itself (they work without
 * JavaScript), and the data the scripts need is embedded once as JSON.
 * No request leaves the file: no CDN, no web font, no external script. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_doc.h"
#include "report/report_html.h"
#include "report/report_html_int.h"
#include "report/report_int.h"

#ifndef SIFT_VERSION
#define SIFT_VERSION "0.0.0"
#endif

/* Calls with a detail section (ladder, findings, DTMF), and rows in the
 * calls table: beyond them the page says how many there are and how to
 * get the others (--call N; sipsift calls). Keeps a 50,000-call capture's
 * page quick to open. */
#define HTML_DETAIL_CAP SIFT_HTML_DETAIL_CAP
/* Rows of the calls table: a browser lays out a table of 50,000 rows in
 * minutes, not seconds. */
#define HTML_ROW_CAP 5000
/* Messages the page carries in all for the calls past the detail
 * sections that the browser draws when their row is opened (rows 1001 to
 * HTML_ROW_CAP): past it, the rest of those calls have no section. */
#define HTML_LAZY_MSGS 200000
/* Findings listed outside any call section. */
#define HTML_FINDING_CAP 5000

/* Reading the tree: every member may be missing or null. */
const char *sift_html_jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

long long sift_html_jint(const json_t *o, const char *key, long long def)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? (long long)json_integer_value(v) : def;
}

double sift_html_jnum(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

sift_time sift_html_to_time(double ts)
{
	return (sift_time)llround(ts * 1e6);
}

/* HTML text and attribute values: markup characters become references;
 * characters HTML forbids in a document (C0 and C1 controls, DEL,
 * U+FFFE/U+FFFF) become '?'. The tree's strings are valid UTF-8 already
 * (report_json.c replaces invalid bytes), so a multibyte sequence is
 * copied whole. */
void sift_html_esc(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	for (; *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", f); continue;
		case '<': fputs("&lt;", f); continue;
		case '>': fputs("&gt;", f); continue;
		case '"': fputs("&quot;", f); continue;
		case '\'': fputs("&#39;", f); continue;
		default: break;
		}
		if ((*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7f) {
			fputc('?', f);
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			fputc('?', f);
			p++;
		} else if (*p == 0xef && p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf)) {
			fputc('?', f);
			p += 2;
		} else {
			fputc(*p, f);
		}
	}
}

/* "7 ms", "1.234 s", "-" as the calls table prints them. */
void sift_html_put_ms(FILE *f, long long v)
{
	if (v < 0)
		fputs("-", f);
	else if (v < 1000)
		fprintf(f, "%lld ms", v);
	else
		fprintf(f, "%lld.%03lld s", v / 1000, v % 1000);
}

void sift_html_put_ts(FILE *f, double ts, size_t keep)
{
	char buf[64];

	if (isnan(ts)) {
		fputs("-", f);
		return;
	}
	sift_fmt_ts(sift_html_to_time(ts), buf, sizeof(buf));
	if (keep < strlen(buf))
		buf[keep] = '\0';
	fputs(buf, f);
}

void sift_html_put_uri_short(FILE *f, const char *uri)
{
	char buf[256];

	sift_html_esc(f, sift_uri_short(uri, buf, sizeof(buf)));
}

/* The state's class, coloured as the terminal would. */
const char *sift_html_state_class(const char *st)
{
	if (!st)
		return "st-unknown";
	if (!strcmp(st, "answered") || !strcmp(st, "ended"))
		return "st-ok";
	if (!strcmp(st, "cancelled") || !strcmp(st, "no-answer") ||
	    !strcmp(st, "in-progress"))
		return "st-warn";
	return "st-bad";
}

/* Stream lookup by id (ids are small and dense). */
struct stream_index {
	json_t **by_id;
	size_t n;
};

static int stream_index_build(struct stream_index *x, json_t *streams)
{
	size_t i, max = 0;
	json_t *s;

	x->by_id = NULL;
	x->n = 0;
	json_array_foreach(streams, i, s) {
		long long id = sift_html_jint(s, "id", -1);

		if (id >= 0 && (size_t)id + 1 > max && id < 100000000)
			max = (size_t)id + 1;
	}
	if (!max)
		return 0;
	x->by_id = calloc(max, sizeof(*x->by_id));
	if (!x->by_id)
		return -1;
	x->n = max;
	json_array_foreach(streams, i, s) {
		long long id = sift_html_jint(s, "id", -1);

		if (id >= 0 && (size_t)id < max)
			x->by_id[id] = s;
	}
	return 0;
}

static json_t *stream_by_id(const struct stream_index *x, long long id)
{
	return id >= 0 && (size_t)id < x->n ? x->by_id[id] : NULL;
}

/* The calls table's media columns: RTP streams, loss over all of them, the
 * largest jitter of any (as sipsift calls computes them). */
static void put_media_cols(FILE *f, const json_t *call,
			   const struct stream_index *sx)
{
	json_t *ids = json_object_get(call, "streams"), *v;
	long long expected = 0, lost = 0;
	double jitter = -1;
	unsigned k = 0;
	size_t i;

	json_array_foreach(ids, i, v) {
		json_t *s = stream_by_id(sx, json_integer_value(v));
		const char *kind = sift_html_jstr(s, "kind");
		double j;

		if (!s || !kind || strcmp(kind, "rtp") != 0)
			continue;
		k++;
		expected += sift_html_jint(s, "expected", 0);
		lost += sift_html_jint(s, "lost", 0);
		j = sift_html_jnum(s, "jitter_ms_max");
		if (!isnan(j) && j > jitter)
			jitter = j;
	}
	fprintf(f, "<td>%u</td>", k);
	if (expected)
		fprintf(f, "<td>%.1f%%</td>", 100.0 * (double)lost / (double)expected);
	else
		fputs("<td>-</td>", f);
	if (jitter >= 0)
		fprintf(f, "<td>%.1f ms</td>", jitter);
	else
		fputs("<td>-</td>", f);
}

/* The call's DTMF digits in order; more than max end in "+". */
void sift_html_put_digits(FILE *f, const json_t *call, size_t max)
{
	json_t *a = json_object_get(call, "dtmf"), *e;
	size_t i, n = 0;

	if (!json_array_size(a)) {
		fputs("-", f);
		return;
	}
	json_array_foreach(a, i, e) {
		const char *d = sift_html_jstr(e, "digit");

		if (max && n >= max) {
			fputs("+", f);
			break;
		}
		if (d && strlen(d) == 1)
			sift_html_esc(f, d);
		else {
			fputs("[", f);
			sift_html_esc(f, d ? d : "?");
			fputs("]", f);
		}
		n++;
	}
}

void sift_html_put_transports(FILE *f, const json_t *call)
{
	json_t *a = json_object_get(call, "transports"), *t;
	size_t i;

	json_array_foreach(a, i, t) {
		if (i)
			fputs(",", f);
		sift_html_esc(f, json_string_value(t));
	}
}

/* Data for the scripts, embedded once: JSON inside <script> may not hold
 * "</script" or "<!--", so '<', '>' and '&' (only ever inside strings)
 * are written as \u escapes. */
static void put_json_script(FILE *f, const char *id, json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII);

	fprintf(f, "<script type=\"application/json\" id=\"%s\">", id);
	for (const char *p = s ? s : "null"; *p; p++) {
		if (*p == '<')
			fputs("\\u003c", f);
		else if (*p == '>')
			fputs("\\u003e", f);
		else if (*p == '&')
			fputs("\\u0026", f);
		else
			fputc(*p, f);
	}
	fputs("</script>\n", f);
	free(s);
}

/* Summary. */

static void put_kv_num(FILE *f, const char *k, long long v)
{
	fprintf(f, "<tr><th>%s</th><td>%lld</td></tr>\n", k, v);
}

static void write_summary(FILE *f, const json_t *doc, uint64_t texts_dropped,
			  uint64_t series_dropped)
{
	json_t *sum = json_object_get(doc, "summary");
	json_t *inputs = json_object_get(doc, "inputs"), *in;
	json_t *fd = json_object_get(sum, "findings");
	json_t *sk = json_object_get(sum, "skipped");
	double first = NAN, last = NAN;
	const char *key;
	json_t *v;
	size_t i;

	fputs("<section id=\"capture\">\n<h2>Capture</h2>\n<table class=\"kv\">\n", f);
	json_array_foreach(inputs, i, in) {
		double a = sift_html_jnum(in, "first_ts"), b = sift_html_jnum(in, "last_ts");

		fputs("<tr><th>File</th><td><code>", f);
		sift_html_esc(f, sift_html_jstr(in, "file"));
		fputs("</code>", f);
		if (sift_html_jstr(in, "link_type")) {
			fputs(" (", f);
			sift_html_esc(f, sift_html_jstr(in, "link_type"));
			fprintf(f, ", %lld packets", sift_html_jint(in, "packets", 0));
			fputs(")", f);
		}
		if (json_is_true(json_object_get(in, "truncated")))
			fputs(" <span class=\"st-warn\">truncated</span>", f);
		if (sift_html_jstr(in, "error")) {
			fputs("<br><span class=\"st-bad\">error: ", f);
			sift_html_esc(f, sift_html_jstr(in, "error"));
			fputs("</span>", f);
		}
		if (sift_html_jstr(in, "warning")) {
			fputs("<br><span class=\"st-warn\">warning: ", f);
			sift_html_esc(f, sift_html_jstr(in, "warning"));
			fputs("</span>", f);
		}
		fputs("</td></tr>\n", f);
		if (!isnan(a) && (isnan(first) || a < first))
			first = a;
		if (!isnan(b) && (isnan(last) || b > last))
			last = b;
	}
	fputs("<tr><th>Time span</th><td>", f);
	if (isnan(first)) {
		fputs("-", f);
	} else {
		sift_html_put_ts(f, first, 26);
		fputs(" &ndash; ", f);
		sift_html_put_ts(f, last, 26);
		fprintf(f, " UTC (%.3f s)", last - first);
	}
	fputs("</td></tr>\n", f);
	put_kv_num(f, "Packets", sift_html_jint(sum, "packets", 0));
	fprintf(f, "<tr><th>SIP messages</th><td>%lld (%lld requests, %lld responses, %lld unparsable)</td></tr>\n",
		sift_html_jint(sum, "sip_messages", 0), sift_html_jint(sum, "sip_requests", 0),
		sift_html_jint(sum, "sip_responses", 0), sift_html_jint(sum, "sip_parse_errors", 0));
	fprintf(f, "<tr><th>Calls</th><td>%lld (%lld dialogs)</td></tr>\n",
		sift_html_jint(sum, "calls", 0), sift_html_jint(sum, "dialogs", 0));
	fprintf(f, "<tr><th>Streams</th><td>%lld RTP, %lld SRTP, %lld decrypted</td></tr>\n",
		sift_html_jint(sum, "rtp_streams", 0), sift_html_jint(sum, "srtp_streams", 0),
		sift_html_jint(sum, "decrypted_streams", 0));
	put_kv_num(f, "DTMF events", sift_html_jint(sum, "dtmf_events", 0));
	fprintf(f, "<tr><th>Findings</th><td><span class=\"sev-error\">%lld error</span>, "
		"<span class=\"sev-warning\">%lld warning</span>, "
		"<span class=\"sev-info\">%lld info</span></td></tr>\n",
		sift_html_jint(fd, "error", 0), sift_html_jint(fd, "warning", 0), sift_html_jint(fd, "info", 0));
	/* What was seen but not decoded, so a reader knows what is missing. */
	fputs("<tr><th>Not decoded</th><td>", f);
	i = 0;
	json_object_foreach(sk, key, v) {
		if (!json_is_integer(v) || !json_integer_value(v))
			continue;
		fprintf(f, "%s%lld ", i++ ? ", " : "", (long long)json_integer_value(v));
		for (const char *p = key; *p; p++)
			fputc(*p == '_' ? ' ' : *p, f);
	}
	if (texts_dropped)
		fprintf(f, "%s%llu message texts past the page's cap", i++ ? ", " : "",
			(unsigned long long)texts_dropped);
	if (series_dropped)
		fprintf(f, "%s%llu streams not plotted (past the %u that keep a series)",
			i++ ? ", " : "", (unsigned long long)series_dropped,
			SIFT_MEDIA_MAX_SERIES);
	fputs(i ? "" : "nothing", f);
	fputs("</td></tr>\n</table>\n</section>\n", f);
}

/* Calls table. */

static void write_calls_table(FILE *f, json_t *calls,
			      const struct stream_index *sx, size_t drawable)
{
	static const char *const head[] = {
		"#", "Start (UTC)", "Kind", "From", "To", "State", "Final",
		"Setup", "Duration", "Msgs", "Transport", "RTP", "Loss",
		"Jitter", "DTMF", "Reason"
	};
	/* Numeric columns sort by value. */
	static const bool num[] = {
		true, false, false, false, false, false, true, true, true,
		true, false, true, true, true, false, false
	};
	size_t n = json_array_size(calls), i;
	json_t *c;

	fprintf(f, "<section id=\"calls\">\n<h2>Calls <span class=\"count\">%zu</span></h2>\n", n);
	fputs("<p class=\"noscript-hide\"><input id=\"filter\" type=\"search\" "
	      "placeholder=\"Filter: number, Call-ID, state, party\" "
	      "aria-label=\"Filter the calls\"> <span id=\"shown\"></span></p>\n", f);
	if (n > HTML_DETAIL_CAP)
		fprintf(f, "<p class=\"note\" id=\"lazy-note\">This capture has %zu calls: the "
			"first %d have a detail section below, and the browser draws that of "
			"calls %d to %zu when their row is opened (with JavaScript on). For any "
			"other, write a report of that call alone: "
			"<code>sipsift report --call N -o call.html FILE</code>.</p>\n",
			n, HTML_DETAIL_CAP, HTML_DETAIL_CAP + 1, drawable);
	fputs("<table id=\"calltable\" class=\"grid\">\n<thead><tr>", f);
	for (i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		fprintf(f, "<th%s>%s</th>", num[i] ? " data-num=\"1\"" : "", head[i]);
	fputs("</tr></thead>\n<tbody>\n", f);
	/* Rows stay small (a 50,000-call page): numeric cells are right-
	 * aligned by the style sheet's column rules, and a cell carries a
	 * sort value (data-v) only where its text does not sort as it is. */
	json_array_foreach(calls, i, c) {
		long long idx = sift_html_jint(c, "index", 0), fin = sift_html_jint(c, "final_status", 0);
		long long setup = sift_html_jint(c, "setup_ms", -1), dur = sift_html_jint(c, "duration_ms", -1);
		const char *st = sift_html_jstr(c, "state");

		if (i >= HTML_ROW_CAP)
			break;
		fprintf(f, "<tr data-call=\"%lld\" data-cid=\"", idx);
		sift_html_esc(f, sift_html_jstr(c, "call_id"));
		if (i < drawable)
			fprintf(f, "\"><td><a href=\"#call-%lld\">%lld</a></td><td>", idx, idx);
		else
			fprintf(f, "\"><td>%lld</td><td>", idx);
		sift_html_put_ts(f, sift_html_jnum(c, "start_ts"), 23);
		fputs("</td><td>", f);
		sift_html_esc(f, sift_html_jstr(c, "kind") ? sift_html_jstr(c, "kind") : "-");
		fputs("</td><td>", f);
		sift_html_put_uri_short(f, sift_html_jstr(c, "from"));
		fputs("</td><td>", f);
		sift_html_put_uri_short(f, sift_html_jstr(c, "to"));
		fprintf(f, "</td><td class=\"%s\">", sift_html_state_class(st));
		sift_html_esc(f, st);
		if (fin)
			fprintf(f, "</td><td>%lld", fin);
		else
			fputs("</td><td>-", f);
		fprintf(f, "</td><td data-v=\"%lld\">", setup);
		sift_html_put_ms(f, setup);
		fprintf(f, "</td><td data-v=\"%lld\">", dur);
		sift_html_put_ms(f, dur);
		fprintf(f, "</td><td>%zu</td><td>",
			json_array_size(json_object_get(c, "messages")));
		sift_html_put_transports(f, c);
		fputs("</td>", f);
		put_media_cols(f, c, sx);
		fputs("<td>", f);
		sift_html_put_digits(f, c, 10);
		fputs("</td><td>", f);
		sift_html_esc(f, sift_html_jstr(c, "reason"));
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody>\n</table>\n", f);
	if (n > HTML_ROW_CAP)
		fprintf(f, "<p class=\"note\">Only the first %d of %zu calls are listed; "
			"<code>sipsift calls</code> lists them all.</p>\n", HTML_ROW_CAP, n);
	fputs("</section>\n", f);
}




/* Findings not shown in a call section, and the count per rule. */
static void write_other_findings(FILE *f, json_t *findings, const bool *placed)
{
	size_t i, n = 0, shown = 0;
	json_t *fd, *per_rule = json_object();
	const char *key;
	json_t *v;

	json_array_foreach(findings, i, fd) {
		const char *rule = sift_html_jstr(fd, "rule");
		json_t *cnt;

		if (!rule)
			continue;
		cnt = json_object_get(per_rule, rule);
		if (cnt)
			json_integer_set(cnt, json_integer_value(cnt) + 1);
		else
			json_object_set_new(per_rule, rule, json_integer(1));
		n += !placed[i];
	}
	fprintf(f, "<section id=\"findings\">\n<h2>Findings <span class=\"count\">%zu</span></h2>\n",
		json_array_size(findings));
	if (json_object_size(per_rule)) {
		fputs("<table class=\"grid small\"><thead><tr><th>Rule</th><th class=\"n\">Count</th>"
		      "</tr></thead><tbody>\n", f);
		json_object_foreach(per_rule, key, v) {
			fputs("<tr><td><code>", f);
			sift_html_esc(f, key);
			fprintf(f, "</code></td><td class=\"n\">%lld</td></tr>\n",
				(long long)json_integer_value(v));
		}
		fputs("</tbody></table>\n", f);
	}
	if (n) {
		fputs("<h3>Not in a call section</h3>\n<ul class=\"findings\">\n", f);
		json_array_foreach(findings, i, fd) {
			if (placed[i])
				continue;
			if (shown++ >= HTML_FINDING_CAP)
				break;
			sift_html_write_finding(f, fd, 0, NULL);
		}
		fputs("</ul>\n", f);
		if (n > HTML_FINDING_CAP)
			fprintf(f, "<p class=\"note\">Only the first %d of %zu are listed; "
				"<code>sipsift lint</code> lists them all.</p>\n",
				HTML_FINDING_CAP, n);
	}
	fputs("</section>\n", f);
	json_decref(per_rule);
}

static void write_head(FILE *f, const json_t *doc)
{
	json_t *inputs = json_object_get(doc, "inputs"), *in;
	size_t i;

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"sipsift\">\n"
	      /* Nothing may leave the file, whatever a string in it says. */
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
	      "media-src 'self' file: data:\">\n"
	      "<title>sipsift: ", f);
	json_array_foreach(inputs, i, in) {
		if (i == 3) {
			fputs(", ...", f);
			break;
		}
		if (i)
			fputs(", ", f);
		sift_html_esc(f, sift_html_jstr(in, "file"));
	}
	fputs("</title>\n<style>\n", f);
	for (i = 0; sift_html_css[i]; i++)
		fputs(sift_html_css[i], f);
	fputs("</style>\n</head>\n<body>\n", f);
	fputs("<header><h1>sipsift report</h1><nav><a href=\"#capture\">Capture</a> "
	      "<a href=\"#calls\">Calls</a> <a href=\"#streams\">Streams</a> "
	      "<a href=\"#findings\">Findings</a></nav></header>\n<main>\n", f);
}

/* What the browser needs to draw a call's section when its row is opened
 * (the data of the others is embedded once): the facts and, per message,
 * what the ladder and the message box show. NULL when the messages would
 * pass what is *left. */
static json_t *lazy_call(const json_t *c, size_t *left)
{
	static const char *const call_keys[] = {
		"index", "call_id", "kind", "from", "to", "state", "reason", "start_ts"
	};
	static const char *const msg_keys[] = {
		"frame", "file", "ts", "src", "dst", "transport", "method", "status",
		"reason", "cseq", "cseq_method", "branch", "retransmission", "sdp",
		"parse_error"
	};
	json_t *msgs = json_object_get(c, "messages"), *o, *a, *m;
	size_t i;

	if (json_array_size(msgs) > *left)
		return NULL;
	*left -= json_array_size(msgs);
	o = json_object();
	a = json_array();
	for (i = 0; i < sizeof(call_keys) / sizeof(call_keys[0]); i++)
		if (json_object_get(c, call_keys[i]))
			json_object_set(o, call_keys[i], json_object_get(c, call_keys[i]));
	json_object_set_new(o, "state_class",
			    json_string(sift_html_state_class(sift_html_jstr(c, "state"))));
	json_array_foreach(msgs, i, m) {
		json_t *x = json_object();

		for (size_t k = 0; k < sizeof(msg_keys) / sizeof(msg_keys[0]); k++)
			if (json_object_get(m, msg_keys[k]))
				json_object_set(x, msg_keys[k], json_object_get(m, msg_keys[k]));
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "messages", a);
	return o;
}

/* The calls listed past the detail sections, for the browser: as many as
 * HTML_LAZY_MSGS allows, in order; *drawable says up to which row. */
static json_t *lazy_calls(json_t *calls, size_t *drawable)
{
	json_t *a = json_array(), *c, *x;
	size_t i, left = HTML_LAZY_MSGS;

	*drawable = HTML_DETAIL_CAP;
	json_array_foreach(calls, i, c) {
		if (i < HTML_DETAIL_CAP)
			continue;
		if (i >= HTML_ROW_CAP)
			break;
		x = lazy_call(c, &left);
		if (!x)
			break;
		json_array_append_new(a, x);
		*drawable = i + 1;
	}
	return a;
}

/* Each message of a detailed call gets its text (for the scripts), when
 * the pass that collected them kept it. */
static void attach_texts(json_t *call, const json_t *inputs,
			 struct sift_html_texts *t)
{
	long long idx = sift_html_jint(call, "index", -1);
	json_t *m, *in;
	size_t i, k;

	json_array_foreach(json_object_get(call, "messages"), i, m) {
		const char *file = sift_html_jstr(m, "file"), *text;
		uint32_t fi = 0;

		json_array_foreach(inputs, k, in)
			if (file && sift_html_jstr(in, "file") &&
			    !strcmp(file, sift_html_jstr(in, "file"))) {
				fi = (uint32_t)k;
				break;
			}
		text = sift_html_texts_get(t, idx, fi,
					   (uint64_t)sift_html_jint(m, "frame", 0));
		if (text)
			json_object_set_new(m, "text", json_string(text));
	}
}

/* What the page says about the messages' text above the call details. */
static void put_texts_note(FILE *f, const struct sift_html_opts *o)
{
	uint64_t dropped = o ? sift_html_texts_dropped(o->texts) : 0;

	if (o && o->texts_note) {
		fputs("<p class=\"note\" id=\"texts-none\">The text of the messages is not in this page: ", f);
		sift_html_esc(f, o->texts_note);
		fputs(". <code>sipsift show</code> prints it.</p>\n", f);
	} else if (dropped) {
		fprintf(f, "<p class=\"note\" id=\"texts-capped\">The text of %llu messages "
			"is not in this page: it carries at most %zu MiB of message text. "
			"<code>sipsift show --call N</code> prints them.</p>\n",
			(unsigned long long)dropped, sift_html_texts_cap(o->texts) >> 20);
	}
}

/* The sections of the first HTML_DETAIL_CAP calls, and their messages
 * into data for the scripts; false when out of memory. */
static bool write_details(FILE *f, json_t *doc, json_t *findings,
			  const size_t *fnext, const size_t *ffirst,
			  struct sift_html_opts *o, json_t *data)
{
	json_t *dc = json_array(), *fd;
	size_t i;

	json_array_foreach(json_object_get(doc, "calls"), i, fd) {
		if (i >= HTML_DETAIL_CAP)
			break;
		if (!sift_html_write_call(f, fd, findings, fnext, ffirst[i], o)) {
			json_decref(dc);
			return false;
		}
		if (o && o->texts)
			attach_texts(fd, json_object_get(doc, "inputs"), o->texts);
		/* The scripts read the messages of the calls shown. */
		json_array_append_new(dc, json_pack("{s:O?,s:O?}", "index",
			json_object_get(fd, "index"), "messages",
			json_object_get(fd, "messages")));
	}
	json_object_set_new(data, "calls", dc);
	return true;
}

enum sift_rc sift_report_html(const struct sift_report *r, FILE *f,
			      struct sift_html_opts *o)
{
	json_t *doc = sift_report_json_doc(r, true), *calls, *streams, *findings, *data = NULL;
	json_t *ids = NULL, *detail = NULL, *call_of = NULL, *fd, *lazy = NULL;
	size_t drawable;
	struct stream_index sx = { NULL, 0 };
	size_t ncalls, nf, *ffirst = NULL, *flast = NULL, *fnext = NULL, i;
	bool *placed = NULL;
	enum sift_rc rc = SIFT_ENOMEM;

	if (!doc)
		goto out;
	calls = json_object_get(doc, "calls");
	streams = json_object_get(doc, "streams");
	findings = json_object_get(doc, "findings");
	ncalls = json_array_size(calls);
	nf = json_array_size(findings);
	if (stream_index_build(&sx, streams) != 0)
		goto out;
	/* Each finding is shown once: in its call's section when that call
	 * has one (the first call of its Call-ID), else in the list of
	 * the others. Linked lists per call keep the findings' order. */
	ids = json_object();
	detail = json_object();
	call_of = json_object();
	ffirst = malloc((ncalls ? ncalls : 1) * sizeof(*ffirst));
	flast = malloc((ncalls ? ncalls : 1) * sizeof(*flast));
	fnext = malloc((nf ? nf : 1) * sizeof(*fnext));
	placed = calloc(nf ? nf : 1, sizeof(*placed));
	data = json_object();
	if (!ids || !detail || !call_of || !ffirst || !flast || !fnext || !placed || !data)
		goto out;
	for (i = 0; i < ncalls; i++) {
		const char *cid = sift_html_jstr(json_array_get(calls, i), "call_id");

		ffirst[i] = flast[i] = (size_t)-1;
		if (cid && !json_object_get(call_of, cid))
			json_object_set(call_of, cid, json_object_get(json_array_get(calls, i),
								       "index"));
		if (i < HTML_DETAIL_CAP && cid && !json_object_get(ids, cid)) {
			json_object_set_new(ids, cid, json_integer((json_int_t)i));
			json_object_set(detail, cid, json_array_get(calls, i));
		}
	}
	json_array_foreach(findings, i, fd) {
		const char *cid = sift_html_jstr(fd, "call_id");
		json_t *pos = cid ? json_object_get(ids, cid) : NULL;
		size_t c;

		fnext[i] = (size_t)-1;
		if (!pos)
			continue;
		c = (size_t)json_integer_value(pos);
		if (flast[c] == (size_t)-1)
			ffirst[c] = i;
		else
			fnext[flast[c]] = i;
		flast[c] = i;
		placed[i] = true;
	}
	write_head(f, doc);
	write_summary(f, doc, o ? sift_html_texts_dropped(o->texts) : 0,
		      r->media ? sift_media_series_dropped(r->media) : 0);
	lazy = lazy_calls(calls, &drawable);
	write_calls_table(f, calls, &sx, drawable);
	if (ncalls) {
		fputs("<section id=\"details\">\n<h2>Call details</h2>\n", f);
		put_texts_note(f, o);
	}
	if (!write_details(f, doc, findings, fnext, ffirst, o, data))
		goto out;
	json_object_set_new(data, "lazy", lazy);
	lazy = NULL;
	if (o && o->not_embedded)
		fprintf(f, "<p class=\"note\" id=\"audio-capped\">%llu audio files are linked, "
			"not embedded: the page carries at most %zu MiB of audio.</p>\n",
			(unsigned long long)o->not_embedded, o->embed_cap >> 20);
	if (ncalls > HTML_DETAIL_CAP)
		fputs("<div id=\"lazy-details\"></div>\n", f);
	if (ncalls)
		fputs("</section>\n", f);
	sift_html_write_streams(f, o, streams, call_of, detail);
	write_other_findings(f, findings, placed);
	fputs("</main>\n<footer>Written by sipsift " SIFT_VERSION
	      " from the same document as <code>analyze --format json</code>.</footer>\n", f);
	put_json_script(f, "sipsift-data", data);
	fputs("<script>\n", f);
	for (i = 0; sift_html_js[i]; i++)
		fputs(sift_html_js[i], f);
	fputs("</script>\n</body>\n</html>\n", f);
	rc = ferror(f) || fflush(f) != 0 ? SIFT_EIO : SIFT_OK;
out:
	free(sx.by_id);
	free(ffirst);
	free(flast);
	free(fnext);
	free(placed);
	json_decref(ids);
	json_decref(detail);
	json_decref(lazy);
	json_decref(call_of);
	json_decref(data);
	json_decref(doc);
	return rc;
}
