/* sipsift — the HTML report's ladder diagrams (one SVG per call, a column
 * per host and an arrow per message, written into the page so that it
 * works without JavaScript) and the findings whose frames link to those
 * arrows. Split from report_html.c, whose tree readers and escaping it
 * shares (report_html_int.h). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_html_int.h"
#include "report/report_int.h"

/* Ladder columns; more hosts share the last one. */
#define HTML_COLS_MAX 16

/* Ladder geometry, in SVG user units (pixels at 100 %). */
#define LAD_LEFT 190     /* time and delta gutter */
#define LAD_GAP 190      /* between two host columns */
#define LAD_TOP 46       /* host labels */
#define LAD_ROW 30       /* one message */
#define LAD_RIGHT 60

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
		const char *s = sift_html_jstr(m, "src"), *d = sift_html_jstr(m, "dst");

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
	long long st = sift_html_jint(m, "status", 0);

	fputs(sift_html_jstr(m, "method") ? "msg req" : "msg resp", f);
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

	if (sift_html_jstr(m, "method"))
		snprintf(buf, sizeof(buf), "%s", sift_html_jstr(m, "method"));
	else
		snprintf(buf, sizeof(buf), "%lld%s%s", sift_html_jint(m, "status", 0),
			 sift_html_jstr(m, "reason") && *sift_html_jstr(m, "reason") ? " " : "",
			 sift_html_jstr(m, "reason") ? sift_html_jstr(m, "reason") : "");
	n = strlen(buf);
	if (max && n > max) {
		n = max;
		while (n && ((unsigned char)buf[n] & 0xc0) == 0x80)
			n--;
		buf[n] = '\0';
		sift_html_esc(f, buf);
		fputs("\xe2\x80\xa6", f);
		return;
	}
	sift_html_esc(f, buf);
}

bool sift_html_write_ladder(FILE *f, long long idx, json_t *msgs)
{
	struct ladder l = { .ncols = 0 };
	size_t n = json_array_size(msgs), i;
	int width, height, *src, *dst;
	bool ok = false;
	double prev = NAN, t0 = NAN;
	json_t *m;

	src = calloc(n ? n : 1, sizeof(*src));
	dst = calloc(n ? n : 1, sizeof(*dst));
	if (!src || !dst)
		goto out;
	json_array_foreach(msgs, i, m) {
		src[i] = column_of(&l, msgs, sift_html_jstr(m, "src"));
		dst[i] = column_of(&l, msgs, sift_html_jstr(m, "dst"));
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
		sift_html_esc(f, l.cols[c]);
		fprintf(f, "</text><line class=\"life\" x1=\"%d\" y1=\"24\" x2=\"%d\" y2=\"%d\"/>\n",
			col_x(c), col_x(c), height - 6);
	}
	json_array_foreach(msgs, i, m) {
		int y = LAD_TOP + LAD_ROW * (int)i + 14;
		int x1 = col_x(src[i]), x2 = col_x(dst[i]);
		double ts = sift_html_jnum(m, "ts");
		bool sdp = json_is_true(json_object_get(m, "sdp"));
		bool retr = json_is_true(json_object_get(m, "retransmission"));

		fputs("<g class=\"", f);
		arrow_class(f, m);
		fprintf(f, "\" id=\"c%lld-m%zu\" data-frame=\"%lld\" data-msg=\"%zu\" tabindex=\"0\">",
			idx, i, sift_html_jint(m, "frame", 0), i);
		fprintf(f, "<title>frame %lld: ", sift_html_jint(m, "frame", 0));
		put_label(f, m, 0);
		fputs(" ", f);
		sift_html_esc(f, sift_html_jstr(m, "src"));
		fputs(" \xe2\x86\x92 ", f);
		sift_html_esc(f, sift_html_jstr(m, "dst"));
		fputs(" ", f);
		sift_html_esc(f, sift_html_jstr(m, "transport"));
		fputs("</title>", f);
		/* A wide invisible band: the row is easy to hit. */
		fprintf(f, "<rect class=\"hit\" x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\"/>",
			y - 20, width, LAD_ROW);
		if (isnan(t0))
			t0 = ts;
		fprintf(f, "<text class=\"t\" x=\"4\" y=\"%d\">", y + 4);
		if (!isnan(ts)) {
			char buf[64];

			fputs(sift_fmt_tod(sift_html_to_time(ts), buf,
					   sizeof(buf)), f);
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
	ok = true;
out:
	free(src);
	free(dst);
	return ok;
}

/* The message whose (file, frame) a finding names, as the arrow's id. */
static long long msg_of(const json_t *msgs, const char *file, long long frame)
{
	size_t i;
	json_t *m;

	json_array_foreach(msgs, i, m) {
		const char *mf = sift_html_jstr(m, "file");

		if (sift_html_jint(m, "frame", -1) == frame && (!file || !mf || !strcmp(file, mf)))
			return (long long)i;
	}
	return -1;
}

/* One finding: data-rule, and its frames linked to the arrows that show
 * them (when the frame is one of the call's messages). */
void sift_html_write_finding(FILE *f, const json_t *fd, long long idx,
			     const json_t *msgs)
{
	const char *sev = sift_html_jstr(fd, "severity");
	json_t *frames = json_object_get(fd, "frames"), *fr;
	size_t i;

	fputs("<li class=\"finding sev-", f);
	sift_html_esc(f, sev);
	fputs("\" data-rule=\"", f);
	sift_html_esc(f, sift_html_jstr(fd, "rule"));
	fputs("\" data-msgs=\"", f);
	json_array_foreach(frames, i, fr) {
		long long k = msgs ? msg_of(msgs, sift_html_jstr(fr, "file"), sift_html_jint(fr, "frame", -1)) : -1;

		if (k >= 0)
			fprintf(f, "%sc%lld-m%lld", i ? " " : "", idx, k);
	}
	fputs("\"><span class=\"sev\">", f);
	sift_html_esc(f, sev);
	fputs("</span> <code>", f);
	sift_html_esc(f, sift_html_jstr(fd, "rule"));
	fputs("</code> ", f);
	sift_html_esc(f, sift_html_jstr(fd, "message"));
	fputs(" <span class=\"rfc\">", f);
	sift_html_esc(f, sift_html_jstr(fd, "rfc"));
	fputs("</span>", f);
	if (json_array_size(frames))
		fputs(" <span class=\"frames\">frames", f);
	json_array_foreach(frames, i, fr) {
		long long frame = sift_html_jint(fr, "frame", -1);
		long long k = msgs ? msg_of(msgs, sift_html_jstr(fr, "file"), frame) : -1;

		if (k >= 0)
			fprintf(f, " <a href=\"#c%lld-m%lld\">%lld</a>", idx, k, frame);
		else
			fprintf(f, " %lld", frame);
	}
	if (json_array_size(frames))
		fputs("</span>", f);
	fputs("</li>\n", f);
}
