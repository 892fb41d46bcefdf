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
#include "report/report_int.h"

#ifndef SIFT_VERSION
#define SIFT_VERSION "0.0.0"
#endif

/* Calls with a detail section (ladder, findings, DTMF), and rows in the
 * calls table: beyond them the page says how many there are and how to
 * get the others (--call N; sipsift calls). Keeps a 50,000-call capture's
 * page quick to open. */
#define HTML_DETAIL_CAP 1000
/* Rows of the calls table: a browser lays out a table of 50,000 rows in
 * minutes, not seconds. */
#define HTML_ROW_CAP 5000
/* Findings listed outside any call section. */
#define HTML_FINDING_CAP 5000
/* Ladder columns; more hosts share the last one. */
#define HTML_COLS_MAX 16

/* Ladder geometry, in SVG user units (pixels at 100 %). */
#define LAD_LEFT 190     /* time and delta gutter */
#define LAD_GAP 190      /* between two host columns */
#define LAD_TOP 46       /* host labels */
#define LAD_ROW 30       /* one message */
#define LAD_RIGHT 60

/* Reading the tree: every member may be missing or null. */
static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static long long jint(const json_t *o, const char *key, long long def)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? (long long)json_integer_value(v) : def;
}

static double jnum(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

static sift_time to_time(double ts)
{
	return (sift_time)llround(ts * 1e6);
}

/* HTML text and attribute values: markup characters become references;
 * characters HTML forbids in a document (C0 and C1 controls, DEL,
 * U+FFFE/U+FFFF) become '?'. The tree's strings are valid UTF-8 already
 * (report_json.c replaces invalid bytes), so a multibyte sequence is
 * copied whole. */
static void esc(FILE *f, const char *s)
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
static void put_ms(FILE *f, long long v)
{
	if (v < 0)
		fputs("-", f);
	else if (v < 1000)
		fprintf(f, "%lld ms", v);
	else
		fprintf(f, "%lld.%03lld s", v / 1000, v % 1000);
}

static void put_ts(FILE *f, double ts, size_t keep)
{
	char buf[64];

	if (isnan(ts)) {
		fputs("-", f);
		return;
	}
	sift_fmt_ts(to_time(ts), buf, sizeof(buf));
	if (keep < strlen(buf))
		buf[keep] = '\0';
	fputs(buf, f);
}

static void put_uri_short(FILE *f, const char *uri)
{
	char buf[256];

	esc(f, sift_uri_short(uri, buf, sizeof(buf)));
}

/* The state's class, coloured as the terminal would. */
static const char *state_class(const char *st)
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
		long long id = jint(s, "id", -1);

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
		long long id = jint(s, "id", -1);

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
		const char *kind = jstr(s, "kind");
		double j;

		if (!s || !kind || strcmp(kind, "rtp") != 0)
			continue;
		k++;
		expected += jint(s, "expected", 0);
		lost += jint(s, "lost", 0);
		j = jnum(s, "jitter_ms_max");
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
static void put_digits(FILE *f, const json_t *call, size_t max)
{
	json_t *a = json_object_get(call, "dtmf"), *e;
	size_t i, n = 0;

	if (!json_array_size(a)) {
		fputs("-", f);
		return;
	}
	json_array_foreach(a, i, e) {
		const char *d = jstr(e, "digit");

		if (max && n >= max) {
			fputs("+", f);
			break;
		}
		if (d && strlen(d) == 1)
			esc(f, d);
		else {
			fputs("[", f);
			esc(f, d ? d : "?");
			fputs("]", f);
		}
		n++;
	}
}

static void put_transports(FILE *f, const json_t *call)
{
	json_t *a = json_object_get(call, "transports"), *t;
	size_t i;

	json_array_foreach(a, i, t) {
		if (i)
			fputs(",", f);
		esc(f, json_string_value(t));
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

static void write_summary(FILE *f, const json_t *doc)
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
		double a = jnum(in, "first_ts"), b = jnum(in, "last_ts");

		fputs("<tr><th>File</th><td><code>", f);
		esc(f, jstr(in, "file"));
		fputs("</code>", f);
		if (jstr(in, "link_type")) {
			fputs(" (", f);
			esc(f, jstr(in, "link_type"));
			fprintf(f, ", %lld packets", jint(in, "packets", 0));
			fputs(")", f);
		}
		if (json_is_true(json_object_get(in, "truncated")))
			fputs(" <span class=\"st-warn\">truncated</span>", f);
		if (jstr(in, "error")) {
			fputs("<br><span class=\"st-bad\">error: ", f);
			esc(f, jstr(in, "error"));
			fputs("</span>", f);
		}
		if (jstr(in, "warning")) {
			fputs("<br><span class=\"st-warn\">warning: ", f);
			esc(f, jstr(in, "warning"));
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
		put_ts(f, first, 26);
		fputs(" &ndash; ", f);
		put_ts(f, last, 26);
		fprintf(f, " UTC (%.3f s)", last - first);
	}
	fputs("</td></tr>\n", f);
	put_kv_num(f, "Packets", jint(sum, "packets", 0));
	fprintf(f, "<tr><th>SIP messages</th><td>%lld (%lld requests, %lld responses, %lld unparsable)</td></tr>\n",
		jint(sum, "sip_messages", 0), jint(sum, "sip_requests", 0),
		jint(sum, "sip_responses", 0), jint(sum, "sip_parse_errors", 0));
	fprintf(f, "<tr><th>Calls</th><td>%lld (%lld dialogs)</td></tr>\n",
		jint(sum, "calls", 0), jint(sum, "dialogs", 0));
	fprintf(f, "<tr><th>Streams</th><td>%lld RTP, %lld SRTP, %lld decrypted</td></tr>\n",
		jint(sum, "rtp_streams", 0), jint(sum, "srtp_streams", 0),
		jint(sum, "decrypted_streams", 0));
	put_kv_num(f, "DTMF events", jint(sum, "dtmf_events", 0));
	fprintf(f, "<tr><th>Findings</th><td><span class=\"sev-error\">%lld error</span>, "
		"<span class=\"sev-warning\">%lld warning</span>, "
		"<span class=\"sev-info\">%lld info</span></td></tr>\n",
		jint(fd, "error", 0), jint(fd, "warning", 0), jint(fd, "info", 0));
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
	fputs(i ? "" : "nothing", f);
	fputs("</td></tr>\n</table>\n</section>\n", f);
}

/* Calls table. */

static void write_calls_table(FILE *f, json_t *calls,
			      const struct stream_index *sx)
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
		fprintf(f, "<p class=\"note\">This capture has %zu calls: the first %d have a "
			"detail section below. For any other, write a report of that call "
			"alone: <code>sipsift report --call N -o call.html FILE</code>.</p>\n",
			n, HTML_DETAIL_CAP);
	fputs("<table id=\"calltable\" class=\"grid\">\n<thead><tr>", f);
	for (i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		fprintf(f, "<th%s>%s</th>", num[i] ? " data-num=\"1\"" : "", head[i]);
	fputs("</tr></thead>\n<tbody>\n", f);
	/* Rows stay small (a 50,000-call page): numeric cells are right-
	 * aligned by the style sheet's column rules, and a cell carries a
	 * sort value (data-v) only where its text does not sort as it is. */
	json_array_foreach(calls, i, c) {
		long long idx = jint(c, "index", 0), fin = jint(c, "final_status", 0);
		long long setup = jint(c, "setup_ms", -1), dur = jint(c, "duration_ms", -1);
		const char *st = jstr(c, "state");

		if (i >= HTML_ROW_CAP)
			break;
		fprintf(f, "<tr data-call=\"%lld\" data-cid=\"", idx);
		esc(f, jstr(c, "call_id"));
		if (i < HTML_DETAIL_CAP)
			fprintf(f, "\"><td><a href=\"#call-%lld\">%lld</a></td><td>", idx, idx);
		else
			fprintf(f, "\"><td>%lld</td><td>", idx);
		put_ts(f, jnum(c, "start_ts"), 23);
		fputs("</td><td>", f);
		esc(f, jstr(c, "kind") ? jstr(c, "kind") : "-");
		fputs("</td><td>", f);
		put_uri_short(f, jstr(c, "from"));
		fputs("</td><td>", f);
		put_uri_short(f, jstr(c, "to"));
		fprintf(f, "</td><td class=\"%s\">", state_class(st));
		esc(f, st);
		if (fin)
			fprintf(f, "</td><td>%lld", fin);
		else
			fputs("</td><td>-", f);
		fprintf(f, "</td><td data-v=\"%lld\">", setup);
		put_ms(f, setup);
		fprintf(f, "</td><td data-v=\"%lld\">", dur);
		put_ms(f, dur);
		fprintf(f, "</td><td>%zu</td><td>",
			json_array_size(json_object_get(c, "messages")));
		put_transports(f, c);
		fputs("</td>", f);
		put_media_cols(f, c, sx);
		fputs("<td>", f);
		put_digits(f, c, 10);
		fputs("</td><td>", f);
		esc(f, jstr(c, "reason"));
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody>\n</table>\n", f);
	if (n > HTML_ROW_CAP)
		fprintf(f, "<p class=\"note\">Only the first %d of %zu calls are listed; "
			"<code>sipsift calls</code> lists them all.</p>\n", HTML_ROW_CAP, n);
	fputs("</section>\n", f);
}

/* Ladder. */

/* "10.0.0.1" from "10.0.0.1:5060", "[::1]" from "[::1]:5060". */
static size_t host_len(const char *addr)
{
	const char *colon = strrchr(addr, ':');

	if (addr[0] == '[') {
		const char *close = strchr(addr, ']');

		return close ? (size_t)(close - addr) + 1 : strlen(addr);
	}
	return colon ? (size_t)(colon - addr) : strlen(addr);
}

struct ladder {
	char cols[HTML_COLS_MAX][64];   /* host, or host:port when split */
	int ncols;
};

/* One column per host; a host that talks to itself (two parties on one
 * address, a loopback test) is split by port, as sipsift flow does. */
static bool split_host(const json_t *msgs, const char *addr, size_t hl)
{
	size_t i;
	json_t *m;

	json_array_foreach(msgs, i, m) {
		const char *s = jstr(m, "src"), *d = jstr(m, "dst");

		if (s && d && host_len(s) == hl && host_len(d) == hl &&
		    !strncmp(s, addr, hl) && !strncmp(d, addr, hl))
			return true;
	}
	return false;
}

static int column_of(struct ladder *l, const json_t *msgs, const char *addr)
{
	char key[64];
	size_t hl;

	if (!addr)
		addr = "?";
	hl = host_len(addr);
	if (split_host(msgs, addr, hl))
		hl = strlen(addr);
	snprintf(key, sizeof(key), "%.*s", (int)hl, addr);
	for (int i = 0; i < l->ncols; i++)
		if (!strcmp(l->cols[i], key))
			return i;
	if (l->ncols >= HTML_COLS_MAX)
		return HTML_COLS_MAX - 1;
	memcpy(l->cols[l->ncols], key, sizeof(key));
	return l->ncols++;
}

static int col_x(int c)
{
	return LAD_LEFT + LAD_GAP * c;
}

/* The class of an arrow: requests in the accent colour, responses by
 * status class. */
static void arrow_class(FILE *f, const json_t *m)
{
	long long st = jint(m, "status", 0);

	fputs(jstr(m, "method") ? "msg req" : "msg resp", f);
	if (st)
		fprintf(f, " s%lldxx", st / 100);
	if (json_is_true(json_object_get(m, "retransmission")))
		fputs(" retr", f);
	if (json_is_true(json_object_get(m, "parse_error")))
		fputs(" damaged", f);
}

/* "INVITE", "180 Ringing": at most max bytes (0: all), cut on a UTF-8
 * boundary with an ellipsis, so that a long reason phrase stays between
 * its two columns (the full one is in the arrow's title). */
static void put_label(FILE *f, const json_t *m, size_t max)
{
	char buf[512];
	size_t n;

	if (jstr(m, "method"))
		snprintf(buf, sizeof(buf), "%s", jstr(m, "method"));
	else
		snprintf(buf, sizeof(buf), "%lld%s%s", jint(m, "status", 0),
			 jstr(m, "reason") && *jstr(m, "reason") ? " " : "",
			 jstr(m, "reason") ? jstr(m, "reason") : "");
	n = strlen(buf);
	if (max && n > max) {
		n = max;
		while (n && ((unsigned char)buf[n] & 0xc0) == 0x80)
			n--;
		buf[n] = '\0';
		esc(f, buf);
		fputs("\xe2\x80\xa6", f);
		return;
	}
	esc(f, buf);
}

static void write_ladder(FILE *f, long long idx, json_t *msgs)
{
	struct ladder l = { .ncols = 0 };
	size_t n = json_array_size(msgs), i;
	int width, height, *src, *dst;
	double prev = NAN, t0 = NAN;
	json_t *m;

	src = calloc(n ? n : 1, sizeof(*src));
	dst = calloc(n ? n : 1, sizeof(*dst));
	if (!src || !dst)
		goto out;
	json_array_foreach(msgs, i, m) {
		src[i] = column_of(&l, msgs, jstr(m, "src"));
		dst[i] = column_of(&l, msgs, jstr(m, "dst"));
	}
	width = col_x(l.ncols ? l.ncols - 1 : 0) + LAD_RIGHT + 60;
	height = LAD_TOP + LAD_ROW * (int)n + 20;
	fprintf(f, "<svg class=\"ladder\" xmlns=\"http://www.w3.org/2000/svg\" "
		"width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
		"aria-label=\"Ladder diagram of call %lld\">\n",
		width, height, width, height, idx);
	fputs("<text class=\"gh\" x=\"4\" y=\"16\">time (UTC)</text>"
	      "<text class=\"gh\" x=\"100\" y=\"16\">delta</text>\n", f);
	for (int c = 0; c < l.ncols; c++) {
		fprintf(f, "<text class=\"host\" x=\"%d\" y=\"16\" text-anchor=\"middle\">",
			col_x(c));
		esc(f, l.cols[c]);
		fprintf(f, "</text><line class=\"life\" x1=\"%d\" y1=\"24\" x2=\"%d\" y2=\"%d\"/>\n",
			col_x(c), col_x(c), height - 6);
	}
	json_array_foreach(msgs, i, m) {
		int y = LAD_TOP + LAD_ROW * (int)i + 14;
		int x1 = col_x(src[i]), x2 = col_x(dst[i]);
		double ts = jnum(m, "ts");
		bool sdp = json_is_true(json_object_get(m, "sdp"));
		bool retr = json_is_true(json_object_get(m, "retransmission"));

		fputs("<g class=\"", f);
		arrow_class(f, m);
		fprintf(f, "\" id=\"c%lld-m%zu\" data-frame=\"%lld\" data-msg=\"%zu\" tabindex=\"0\">",
			idx, i, jint(m, "frame", 0), i);
		fprintf(f, "<title>frame %lld: ", jint(m, "frame", 0));
		put_label(f, m, 0);
		fputs(" ", f);
		esc(f, jstr(m, "src"));
		fputs(" \xe2\x86\x92 ", f);
		esc(f, jstr(m, "dst"));
		fputs(" ", f);
		esc(f, jstr(m, "transport"));
		fputs("</title>", f);
		/* A wide invisible band: the row is easy to hit. */
		fprintf(f, "<rect class=\"hit\" x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\"/>",
			y - 20, width, LAD_ROW);
		if (isnan(t0))
			t0 = ts;
		fprintf(f, "<text class=\"t\" x=\"4\" y=\"%d\">", y + 4);
		if (!isnan(ts)) {
			char buf[64];

			sift_fmt_ts(to_time(ts), buf, sizeof(buf));
			fputs(buf + 11, f);   /* HH:MM:SS.uuuuuu */
		}
		fprintf(f, "</text><text class=\"d\" x=\"%d\" y=\"%d\" text-anchor=\"end\">",
			LAD_LEFT - 40, y + 4);
		if (!isnan(prev) && !isnan(ts))
			fprintf(f, "+%.3f", ts - prev);
		fputs("</text>", f);
		if (!isnan(ts))
			prev = ts;
		if (x1 == x2) {
			/* To itself: a small loop on the right of its column. */
			fprintf(f, "<path class=\"a\" d=\"M%d,%d h40 v10 h-38\" fill=\"none\"/>"
				"<path class=\"h\" d=\"M%d,%d l9,-4.5 v9 z\"/>", x1, y - 5, x1, y + 5);
			fprintf(f, "<text class=\"l\" x=\"%d\" y=\"%d\">", x1 + 46, y + 4);
		} else {
			int dir = x2 > x1 ? 1 : -1;

			fprintf(f, "<line class=\"a\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
				"<path class=\"h\" d=\"M%d,%d l%d,-4.5 v9 z\"/>",
				x1, y, x2 - 8 * dir, y, x2, y, -9 * dir);
			fprintf(f, "<text class=\"l\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
				(x1 + x2) / 2, y - 5);
		}
		/* About 6.5 units per character at 12px. */
		{
			int room = (x1 == x2 ? 200 : abs(x2 - x1) - 30) -
				   (sdp ? 26 : 0) - (retr ? 26 : 0);

			put_label(f, m, room > 42 ? (size_t)room / 7 : 6);
		}
		if (sdp)
			fputs("<tspan class=\"sdp\"> SDP</tspan>", f);
		if (retr)
			fputs("<tspan class=\"rt\"> retr</tspan>", f);
		if (json_is_true(json_object_get(m, "parse_error")))
			fputs("<tspan class=\"rt\"> unparsable</tspan>", f);
		fputs("</text></g>\n", f);
	}
	fputs("</svg>\n", f);
out:
	free(src);
	free(dst);
}

/* The message whose (file, frame) a finding names, as the arrow's id. */
static long long msg_of(const json_t *msgs, const char *file, long long frame)
{
	size_t i;
	json_t *m;

	json_array_foreach(msgs, i, m) {
		const char *mf = jstr(m, "file");

		if (jint(m, "frame", -1) == frame && (!file || !mf || !strcmp(file, mf)))
			return (long long)i;
	}
	return -1;
}

/* One finding: data-rule, and its frames linked to the arrows that show
 * them (when the frame is one of the call's messages). */
static void write_finding(FILE *f, const json_t *fd, long long idx,
			  const json_t *msgs)
{
	const char *sev = jstr(fd, "severity");
	json_t *frames = json_object_get(fd, "frames"), *fr;
	size_t i;

	fputs("<li class=\"finding sev-", f);
	esc(f, sev);
	fputs("\" data-rule=\"", f);
	esc(f, jstr(fd, "rule"));
	fputs("\" data-msgs=\"", f);
	json_array_foreach(frames, i, fr) {
		long long k = msgs ? msg_of(msgs, jstr(fr, "file"), jint(fr, "frame", -1)) : -1;

		if (k >= 0)
			fprintf(f, "%sc%lld-m%lld", i ? " " : "", idx, k);
	}
	fputs("\"><span class=\"sev\">", f);
	esc(f, sev);
	fputs("</span> <code>", f);
	esc(f, jstr(fd, "rule"));
	fputs("</code> ", f);
	esc(f, jstr(fd, "message"));
	fputs(" <span class=\"rfc\">", f);
	esc(f, jstr(fd, "rfc"));
	fputs("</span>", f);
	if (json_array_size(frames))
		fputs(" <span class=\"frames\">frames", f);
	json_array_foreach(frames, i, fr) {
		long long frame = jint(fr, "frame", -1);
		long long k = msgs ? msg_of(msgs, jstr(fr, "file"), frame) : -1;

		if (k >= 0)
			fprintf(f, " <a href=\"#c%lld-m%lld\">%lld</a>", idx, k, frame);
		else
			fprintf(f, " %lld", frame);
	}
	if (json_array_size(frames))
		fputs("</span>", f);
	fputs("</li>\n", f);
}

static void put_dd_ts(FILE *f, const char *label, double ts)
{
	if (isnan(ts))
		return;
	fprintf(f, "<dt>%s</dt><dd>", label);
	put_ts(f, ts, 26);
	fputs("</dd>", f);
}

static void write_call(FILE *f, const json_t *c, json_t *findings,
		       const size_t *fnext, size_t ffirst)
{
	long long idx = jint(c, "index", 0), fin = jint(c, "final_status", 0);
	json_t *msgs = json_object_get(c, "messages");
	json_t *dlg = json_object_get(c, "dialogs"), *d, *ids, *v;
	json_t *dtmf = json_object_get(c, "dtmf");
	const char *st = jstr(c, "state");
	size_t i;

	fprintf(f, "<section class=\"call\" id=\"call-%lld\" data-call-id=\"", idx);
	esc(f, jstr(c, "call_id"));
	fprintf(f, "\" data-call=\"%lld\">\n<h3>Call %lld <span class=\"badge %s\">",
		idx, idx, state_class(st));
	esc(f, st);
	fputs("</span> <span class=\"kind\">", f);
	esc(f, jstr(c, "kind"));
	fputs("</span> ", f);
	put_uri_short(f, jstr(c, "from"));
	fputs(" \xe2\x86\x92 ", f);
	put_uri_short(f, jstr(c, "to"));
	fputs("</h3>\n<dl class=\"facts\">", f);
	fputs("<dt>Call-ID</dt><dd><code>", f);
	esc(f, jstr(c, "call_id"));
	fputs("</code></dd><dt>From</dt><dd>", f);
	esc(f, jstr(c, "from"));
	fputs("</dd><dt>To</dt><dd>", f);
	esc(f, jstr(c, "to"));
	fputs("</dd><dt>Outcome</dt><dd>", f);
	esc(f, st);
	if (fin)
		fprintf(f, ", final %lld", fin);
	if (jstr(c, "reason") && *jstr(c, "reason")) {
		fputs(": ", f);
		esc(f, jstr(c, "reason"));
	}
	fputs("</dd>", f);
	put_dd_ts(f, "Start", jnum(c, "start_ts"));
	put_dd_ts(f, "Answer", jnum(c, "answer_ts"));
	put_dd_ts(f, "End", jnum(c, "end_ts"));
	fputs("<dt>Setup</dt><dd>", f);
	put_ms(f, jint(c, "setup_ms", -1));
	fputs("</dd><dt>Duration</dt><dd>", f);
	put_ms(f, jint(c, "duration_ms", -1));
	fputs("</dd><dt>Transport</dt><dd>", f);
	put_transports(f, c);
	fprintf(f, "</dd><dt>Dialogs</dt><dd>%zu%s", json_array_size(dlg),
		json_array_size(dlg) > 1 ? " (forked)" : "");
	json_array_foreach(dlg, i, d) {
		fputs(i ? "; " : ": ", f);
		fputs("to-tag <code>", f);
		esc(f, jstr(d, "to_tag") ? jstr(d, "to_tag") : "-");
		fputs("</code> ", f);
		esc(f, jstr(d, "state"));
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
	put_digits(f, c, 0);
	fputs("</dd>", f);
	if (jint(c, "dropped", 0))
		fprintf(f, "<dt>Dropped</dt><dd>%lld messages past the per-call cap</dd>",
			jint(c, "dropped", 0));
	fputs("</dl>\n", f);
	fputs("<div class=\"flow\"><div class=\"ladder-box\">\n", f);
	write_ladder(f, idx, msgs);
	fputs("</div><aside class=\"msginfo\" aria-live=\"polite\"><p class=\"hint\">"
	      "Select an arrow to see its message.</p></aside></div>\n", f);
	if (json_array_size(dtmf)) {
		json_t *e;

		fputs("<h4>DTMF</h4>\n<table class=\"grid small\"><thead><tr><th>Digit</th>"
		      "<th>Time (UTC)</th><th>Duration</th><th>Source</th><th>Direction</th>"
		      "<th>Frame</th></tr></thead><tbody>\n", f);
		json_array_foreach(dtmf, i, e) {
			fputs("<tr><td>", f);
			esc(f, jstr(e, "digit"));
			fputs("</td><td>", f);
			put_ts(f, jnum(e, "ts"), 26);
			fputs("</td><td class=\"n\">", f);
			put_ms(f, jint(e, "duration_ms", -1));
			fputs("</td><td>", f);
			esc(f, jstr(e, "source"));
			fputs("</td><td>", f);
			esc(f, jstr(e, "src"));
			fputs(" \xe2\x86\x92 ", f);
			esc(f, jstr(e, "dst"));
			fprintf(f, "</td><td class=\"n\">%lld</td></tr>\n", jint(e, "frame", 0));
		}
		fputs("</tbody></table>\n", f);
	}
	if (ffirst != (size_t)-1) {
		fputs("<h4>Findings</h4>\n<ul class=\"findings\">\n", f);
		for (size_t k = ffirst; k != (size_t)-1; k = fnext[k])
			write_finding(f, json_array_get(findings, k), idx, msgs);
		fputs("</ul>\n", f);
	}
	fputs("</section>\n", f);
}

/* Streams. */

static void put_srtp(FILE *f, const json_t *x)
{
	if (!json_is_object(x)) {
		fputs("-", f);
		return;
	}
	esc(f, jstr(x, "suite") ? jstr(x, "suite") : "SRTP");
	fputs(": key ", f);
	esc(f, jstr(x, "key"));
	fprintf(f, ", %lld decrypted", jint(x, "decrypted", 0));
	if (jint(x, "auth_failures", 0))
		fprintf(f, ", <span class=\"st-bad\">%lld auth failures</span>",
			jint(x, "auth_failures", 0));
	if (jint(x, "replay_drops", 0))
		fprintf(f, ", %lld replayed", jint(x, "replay_drops", 0));
	if (jint(x, "failed_before_key", 0))
		fprintf(f, ", %lld before the key", jint(x, "failed_before_key", 0));
	if (jint(x, "roc", 0))
		fprintf(f, ", ROC %lld", jint(x, "roc", 0));
}

/* One row per stream (data-ssrc), our statistics beside what the peer's
 * RTCP reports say. call_of maps a Call-ID to the call's number. */
static void write_streams(FILE *f, json_t *streams, const json_t *call_of)
{
	size_t i;
	json_t *s;

	fprintf(f, "<section id=\"streams\">\n<h2>Streams <span class=\"count\">%zu</span></h2>\n",
		json_array_size(streams));
	if (!json_array_size(streams)) {
		fputs("<p>No RTP or RTCP stream.</p>\n</section>\n", f);
		return;
	}
	fputs("<div class=\"scroll\"><table class=\"grid small\">\n<thead><tr>"
	      "<th rowspan=\"2\">#</th><th rowspan=\"2\">Call</th><th rowspan=\"2\">Kind</th>"
	      "<th rowspan=\"2\">SSRC</th><th rowspan=\"2\">Source &rarr; destination</th>"
	      "<th rowspan=\"2\">Codec</th><th rowspan=\"2\" class=\"n\">Packets</th>"
	      "<th colspan=\"4\" class=\"grp\">Measured here</th>"
	      "<th colspan=\"2\" class=\"grp\">RTCP-reported</th>"
	      "<th rowspan=\"2\">SRTP</th></tr>\n<tr>"
	      "<th class=\"n\">Lost / expected</th><th class=\"n\">Jitter mean / max ms</th>"
	      "<th class=\"n\" title=\"sequence errors / duplicates / out of order\">Seq / dup / ooo</th>"
	      "<th class=\"n\" title=\"largest gap between two packets\">Max &Delta; ms</th>"
	      "<th class=\"n\">Lost (fraction)</th><th class=\"n\">Jitter last / max ms</th>"
	      "</tr></thead>\n<tbody>\n", f);
	json_array_foreach(streams, i, s) {
		const char *kind = jstr(s, "kind"), *cid = jstr(s, "call_id");
		bool rtp = kind && !strcmp(kind, "rtp");
		json_t *rtcp = json_object_get(s, "rtcp"), *ci = cid ? json_object_get(call_of, cid) : NULL;
		long long id = jint(s, "id", 0);

		fprintf(f, "<tr id=\"stream-%lld\" class=\"stream\" data-ssrc=\"", id);
		esc(f, jstr(s, "ssrc"));
		fprintf(f, "\" data-stream=\"%lld\"><td class=\"n\">%lld</td><td>", id, id);
		if (ci) {
			fprintf(f, "<a href=\"#call-%lld\" title=\"", (long long)json_integer_value(ci));
			esc(f, cid);
			fprintf(f, "\">%lld</a>", (long long)json_integer_value(ci));
		} else {
			fputs("<span title=\"found by ", f);
			esc(f, jstr(s, "found_by"));
			fputs("\">-</span>", f);
		}
		fputs("</td><td>", f);
		esc(f, kind);
		fputs("</td><td><code>", f);
		esc(f, jstr(s, "ssrc"));
		fputs("</code></td><td>", f);
		esc(f, jstr(s, "src"));
		fputs(" &rarr; ", f);
		esc(f, jstr(s, "dst"));
		fputs("</td><td>", f);
		if (rtp) {
			esc(f, jstr(s, "codec") ? jstr(s, "codec") : "?");
			fprintf(f, " (%lld)", jint(s, "payload_type", -1));
		} else {
			fputs("-", f);
		}
		fprintf(f, "</td><td class=\"n\">%lld</td>", jint(s, "packets", 0));
		if (rtp) {
			double jm = jnum(s, "jitter_ms_mean"), jx = jnum(s, "jitter_ms_max");

			fprintf(f, "<td class=\"n%s\">%lld / %lld</td>",
				jint(s, "lost", 0) > 0 ? " st-bad" : "",
				jint(s, "lost", 0), jint(s, "expected", 0));
			if (isnan(jm))
				fputs("<td class=\"n\">-</td>", f);
			else
				fprintf(f, "<td class=\"n\">%.3f / %.3f</td>", jm, jx);
			fprintf(f, "<td class=\"n\">%lld / %lld / %lld</td>",
				jint(s, "seq_errors", 0), jint(s, "duplicates", 0),
				jint(s, "out_of_order", 0));
			fprintf(f, "<td class=\"n\">%.3f</td>", jnum(s, "max_delta_ms"));
		} else {
			fprintf(f, "<td colspan=\"4\">%lld malformed</td>", jint(s, "malformed", 0));
		}
		if (json_is_object(rtcp) && jint(rtcp, "reports", 0)) {
			double jl = jnum(rtcp, "jitter_ms_last"), jx = jnum(rtcp, "jitter_ms_max");

			fprintf(f, "<td class=\"n\">%lld (%.1f%%)</td>", jint(rtcp, "lost", 0),
				100.0 * jnum(rtcp, "fraction_lost"));
			if (isnan(jl))
				fputs("<td class=\"n\">-</td>", f);
			else
				fprintf(f, "<td class=\"n\">%.3f / %.3f</td>", jl, jx);
		} else {
			fputs("<td class=\"n\">-</td><td class=\"n\">-</td>", f);
		}
		fputs("<td>", f);
		put_srtp(f, json_object_get(s, "srtp"));
		/* Hook for the time-series plots (jitter, inter-arrival delta,
		 * loss events on the time axis): the model keeps no per-stream
		 * series yet; a writer fills this element when it does. */
		fprintf(f, "<div class=\"plots\" data-plots=\"%lld\" hidden></div></td></tr>\n", id);
	}
	fputs("</tbody>\n</table></div>\n</section>\n", f);
}

/* Findings not shown in a call section, and the count per rule. */
static void write_other_findings(FILE *f, json_t *findings, const bool *placed)
{
	size_t i, n = 0, shown = 0;
	json_t *fd, *per_rule = json_object();
	const char *key;
	json_t *v;

	json_array_foreach(findings, i, fd) {
		const char *rule = jstr(fd, "rule");
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
			esc(f, key);
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
			write_finding(f, fd, 0, NULL);
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
	      "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
	      "<title>sipsift: ", f);
	json_array_foreach(inputs, i, in) {
		if (i == 3) {
			fputs(", ...", f);
			break;
		}
		if (i)
			fputs(", ", f);
		esc(f, jstr(in, "file"));
	}
	fputs("</title>\n<style>\n", f);
	for (i = 0; sift_html_css[i]; i++)
		fputs(sift_html_css[i], f);
	fputs("</style>\n</head>\n<body>\n", f);
	fputs("<header><h1>sipsift report</h1><nav><a href=\"#capture\">Capture</a> "
	      "<a href=\"#calls\">Calls</a> <a href=\"#streams\">Streams</a> "
	      "<a href=\"#findings\">Findings</a></nav></header>\n<main>\n", f);
}

enum sift_rc sift_report_html(const struct sift_report *r, FILE *f)
{
	json_t *doc = sift_report_json_doc(r), *calls, *streams, *findings, *data = NULL;
	json_t *ids = NULL, *call_of = NULL, *fd;
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
	call_of = json_object();
	ffirst = malloc((ncalls ? ncalls : 1) * sizeof(*ffirst));
	flast = malloc((ncalls ? ncalls : 1) * sizeof(*flast));
	fnext = malloc((nf ? nf : 1) * sizeof(*fnext));
	placed = calloc(nf ? nf : 1, sizeof(*placed));
	data = json_object();
	if (!ids || !call_of || !ffirst || !flast || !fnext || !placed || !data)
		goto out;
	for (i = 0; i < ncalls; i++) {
		const char *cid = jstr(json_array_get(calls, i), "call_id");

		ffirst[i] = flast[i] = (size_t)-1;
		if (cid && !json_object_get(call_of, cid))
			json_object_set(call_of, cid, json_object_get(json_array_get(calls, i),
								       "index"));
		if (i < HTML_DETAIL_CAP && cid && !json_object_get(ids, cid))
			json_object_set_new(ids, cid, json_integer((json_int_t)i));
	}
	json_array_foreach(findings, i, fd) {
		const char *cid = jstr(fd, "call_id");
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
	write_summary(f, doc);
	write_calls_table(f, calls, &sx);
	if (ncalls)
		fputs("<section id=\"details\">\n<h2>Call details</h2>\n", f);
	{
		json_t *dc = json_array();

		json_array_foreach(calls, i, fd) {
			if (i >= HTML_DETAIL_CAP)
				break;
			write_call(f, fd, findings, fnext, ffirst[i]);
			/* The scripts read the messages of the calls shown. */
			json_array_append_new(dc, json_pack("{s:O?,s:O?}", "index",
				json_object_get(fd, "index"), "messages",
				json_object_get(fd, "messages")));
		}
		json_object_set_new(data, "calls", dc);
	}
	if (ncalls)
		fputs("</section>\n", f);
	write_streams(f, streams, call_of);
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
	json_decref(call_of);
	json_decref(data);
	json_decref(doc);
	return rc;
}
