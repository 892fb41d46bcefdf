/* sipsift — the HTML report's stream plots: one inline SVG per RTP stream
 * drawn from its series (stats.h, "series" in the report document), in
 * the page itself so that it shows without JavaScript. Panels share one
 * time axis (seconds from the stream's first packet): jitter, ours and
 * the peer's RTCP-reported; the largest gap between two arrivals; lost
 * packets summed over time, ours and RTCP-reported; and a strip of
 * events: loss, sequence errors and the call's DTMF digits. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_html_int.h"

/* Geometry in SVG user units. */
#define PL_W 760
#define PL_LEFT 64
#define PL_RIGHT 16
#define PL_TOP 8
#define PL_PANEL 64      /* one value panel */
#define PL_GAP 28        /* between panels: the next one's title */
#define PL_STRIP 30      /* the events strip */
#define PL_AXIS 26       /* time labels */

struct plot {
	FILE *f;
	size_t n;            /* buckets */
	double bucket_s;
	double span_s;       /* n buckets */
	const json_t *se;
};

static double xpos(const struct plot *p, double t_s)
{
	double w = PL_W - PL_LEFT - PL_RIGHT;

	if (t_s < 0)
		t_s = 0;
	return PL_LEFT + (p->span_s > 0 ? t_s / p->span_s * w : 0);
}

/* The bucket's middle on the time axis. */
static double xmid(const struct plot *p, size_t i)
{
	return xpos(p, ((double)i + 0.5) * p->bucket_s);
}

static double arr_num(const json_t *a, size_t i)
{
	json_t *v = json_array_get(a, i);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* The largest value of series arrays a and b (b may be NULL), at least
 * floor: the panel's scale. */
static double scale_of(const json_t *a, const json_t *b, double floor)
{
	double m = floor;

	for (size_t i = 0; i < json_array_size(a); i++)
		if (arr_num(a, i) > m)
			m = arr_num(a, i);
	for (size_t i = 0; b && i < json_array_size(b); i++)
		if (arr_num(b, i) > m)
			m = arr_num(b, i);
	return m;
}

/* A panel's frame: its title, the scale's top and zero. */
static void panel_frame(const struct plot *p, int y, const char *title,
			double top, const char *unit)
{
	fprintf(p->f, "<text class=\"pt\" x=\"%d\" y=\"%d\">%s</text>", PL_LEFT, y - 6, title);
	fprintf(p->f, "<line class=\"grid\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
		PL_LEFT, y, PL_W - PL_RIGHT, y);
	fprintf(p->f, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
		PL_LEFT, y + PL_PANEL, PL_W - PL_RIGHT, y + PL_PANEL);
	fprintf(p->f, "<text class=\"yl\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%.*f%s</text>",
		PL_LEFT - 6, y + 4, top < 10 ? 1 : 0, top, unit);
	fprintf(p->f, "<text class=\"yl\" x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>\n",
		PL_LEFT - 6, y + PL_PANEL + 4);
}

/* A line through the buckets that have a value (a gap where one has
 * none); carry: a value holds until the next (a cumulative count that
 * comes with each report). */
static void polyline(const struct plot *p, const json_t *a, int y, double top,
		     const char *cls, bool carry)
{
	bool open = false;
	double last = NAN;

	for (size_t i = 0; i < json_array_size(a); i++) {
		double v = arr_num(a, i);

		if (isnan(v) && carry)
			v = last;
		if (isnan(v)) {
			if (open) {
				fputs("\"/>", p->f);
				open = false;
			}
			continue;
		}
		last = v;
		if (!open) {
			fprintf(p->f, "<polyline class=\"%s\" points=\"", cls);
			open = true;
		}
		fprintf(p->f, "%.1f,%.1f ", xmid(p, i),
			y + PL_PANEL - (top > 0 ? v / top * PL_PANEL : 0));
	}
	if (open)
		fputs("\"/>", p->f);
	fputs("\n", p->f);
}

/* A dot where each report came (they are seconds apart: the line between
 * them holds the last value). */
static void dots(const struct plot *p, const json_t *a, int y, double top,
		 const char *cls)
{
	for (size_t i = 0; i < json_array_size(a); i++) {
		double v = arr_num(a, i);

		if (!isnan(v))
			fprintf(p->f, "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\"/>",
				cls, xmid(p, i), y + PL_PANEL - (top > 0 ? v / top * PL_PANEL : 0));
	}
	fputs("\n", p->f);
}

/* Our loss summed over time (from each bucket's change) as an array the
 * cumulative line reads. */
static json_t *running_loss(const json_t *lost, long long *total)
{
	json_t *a = json_array();
	long long sum = 0;

	for (size_t i = 0; a && i < json_array_size(lost); i++) {
		sum += (long long)arr_num(lost, i);
		json_array_append_new(a, json_integer(sum > 0 ? sum : 0));
	}
	*total = sum > 0 ? sum : 0;
	return a;
}

/* Seconds on the time axis: about six labels at a round step. */
static void time_axis(const struct plot *p, int y)
{
	static const double steps[] = { 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60,
					120, 300, 600, 900, 1800, 3600, 7200,
					14400, 43200, 86400 };
	double step = steps[sizeof(steps) / sizeof(steps[0]) - 1];

	for (size_t k = 0; k < sizeof(steps) / sizeof(steps[0]); k++)
		if (p->span_s / steps[k] <= 7) {
			step = steps[k];
			break;
		}
	for (int k = 0; k <= 7 && k * step <= p->span_s + 1e-9; k++) {
		double x = xpos(p, k * step);

		fprintf(p->f, "<line class=\"tick\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
			"<text class=\"xl\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%g s</text>",
			x, y, x, y + 4, x, y + 16, k * step);
	}
	fputs("\n", p->f);
}

/* The events strip: a red bar per bucket with loss (its height grows with
 * the count), a mark per bucket with sequence errors, and the DTMF digits
 * of this stream at their time. */
static void events(const struct plot *p, int y, const json_t *dtmf,
		   long long stream_id, double t0)
{
	const json_t *lost = json_object_get(p->se, "lost");
	const json_t *seqe = json_object_get(p->se, "seq_errors");
	size_t i;
	json_t *e;

	fprintf(p->f, "<text class=\"pt\" x=\"%d\" y=\"%d\">Events</text>", PL_LEFT, y - 6);
	fprintf(p->f, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
		PL_LEFT, y + PL_STRIP, PL_W - PL_RIGHT, y + PL_STRIP);
	for (i = 0; i < json_array_size(lost); i++) {
		double v = arr_num(lost, i), h;

		if (!(v > 0))
			continue;
		h = 4 + log10(v + 1) * 8;
		if (h > PL_STRIP - 2)
			h = PL_STRIP - 2;
		fprintf(p->f, "<rect class=\"loss\" data-lost=\"%.0f\" x=\"%.1f\" y=\"%.1f\" "
			"width=\"3\" height=\"%.1f\"><title>%.0f lost</title></rect>",
			v, xmid(p, i) - 1.5, y + PL_STRIP - h, h, v);
	}
	for (i = 0; i < json_array_size(seqe); i++) {
		double v = arr_num(seqe, i), x = xmid(p, i);

		if (v > 0)
			fprintf(p->f, "<path class=\"seqe\" d=\"M%.1f,%d l5,-7 h-10 z\">"
				"<title>%.0f sequence error%s</title></path>",
				x, y + 9, v, v == 1 ? "" : "s");
	}
	json_array_foreach(dtmf, i, e) {
		double ts = sift_html_jnum(e, "ts"), x;

		if (sift_html_jint(e, "stream", -1) != stream_id || isnan(ts))
			continue;
		x = xpos(p, ts - t0);
		fprintf(p->f, "<g class=\"dtmf\" data-digit=\"1\"><line x1=\"%.1f\" y1=\"%d\" "
			"x2=\"%.1f\" y2=\"%d\"/><text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">",
			x, y + 12, x, y + PL_STRIP, x, y + 10);
		sift_html_esc(p->f, sift_html_jstr(e, "digit"));
		fputs("</text></g>", p->f);
	}
	fputs("\n", p->f);
}

/* One stream's figure; dtmf is its call's DTMF events (or NULL). */
void sift_html_write_plot(FILE *f, const json_t *s, const json_t *dtmf)
{
	const json_t *se = json_object_get(s, "series");
	struct plot p = { f, 0, 0, 0, se };
	long long id = sift_html_jint(s, "id", 0), total = 0;
	double t0 = sift_html_jnum(se, "start_ts"), top;
	int h = PL_TOP + 3 * (PL_GAP + PL_PANEL) + PL_GAP + PL_STRIP + PL_AXIS, y;
	json_t *cum;

	p.n = json_array_size(json_object_get(se, "packets"));
	p.bucket_s = (double)sift_html_jint(se, "bucket_ms", 100) / 1000.0;
	p.span_s = p.bucket_s * (double)p.n;
	cum = running_loss(json_object_get(se, "lost"), &total);
	fprintf(f, "<figure class=\"plot\" id=\"plot-%lld\" data-plot=\"%lld\" data-lost=\"%lld\">"
		"<figcaption><a href=\"#stream-%lld\">Stream %lld</a> ", id, id, total, id, id);
	sift_html_esc(f, sift_html_jstr(s, "src"));
	fputs(" &rarr; ", f);
	sift_html_esc(f, sift_html_jstr(s, "dst"));
	fputs(" <code>", f);
	sift_html_esc(f, sift_html_jstr(s, "ssrc"));
	fputs("</code> ", f);
	sift_html_esc(f, sift_html_jstr(s, "codec"));
	fprintf(f, " <span class=\"hint\">%lld ms per point</span></figcaption>\n",
		sift_html_jint(se, "bucket_ms", 0));
	fprintf(f, "<svg class=\"plot\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"Stream %lld "
		"over time\">\n", PL_W, h, PL_W, h, id);
	y = PL_TOP + PL_GAP;
	top = scale_of(json_object_get(se, "jitter_ms"), json_object_get(se, "rtcp_jitter_ms"), 1);
	panel_frame(&p, y, "Jitter (ms): <tspan class=\"k-us\">measured</tspan> "
		    "<tspan class=\"k-rtcp\">RTCP-reported</tspan>", top, "");
	polyline(&p, json_object_get(se, "jitter_ms"), y, top, "us", false);
	polyline(&p, json_object_get(se, "rtcp_jitter_ms"), y, top, "rtcp", true);
	dots(&p, json_object_get(se, "rtcp_jitter_ms"), y, top, "rtcpdot");
	y += PL_PANEL + PL_GAP;
	top = scale_of(json_object_get(se, "max_delta_ms"), NULL, 1);
	panel_frame(&p, y, "Largest inter-arrival gap (ms)", top, "");
	polyline(&p, json_object_get(se, "max_delta_ms"), y, top, "delta", false);
	y += PL_PANEL + PL_GAP;
	top = scale_of(cum, json_object_get(se, "rtcp_lost"), 1);
	panel_frame(&p, y, "Lost packets so far: <tspan class=\"k-loss\">measured</tspan> "
		    "<tspan class=\"k-rtcp\">RTCP-reported</tspan>", top, "");
	polyline(&p, cum, y, top, "lossline", false);
	polyline(&p, json_object_get(se, "rtcp_lost"), y, top, "rtcp", true);
	dots(&p, json_object_get(se, "rtcp_lost"), y, top, "rtcpdot");
	y += PL_PANEL + PL_GAP;
	events(&p, y, dtmf, id, t0);
	time_axis(&p, y + PL_STRIP);
	fputs("</svg></figure>\n", f);
	json_decref(cum);
}
