/* sipsift — the HTML report's streams: one row per stream with the
 * statistics of analyze, our measures beside what the peer's RTCP
 * reports say. Split from report_html.c (report_html_int.h). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_html_int.h"
#include "report/report_int.h"

static void put_srtp(FILE *f, const json_t *x)
{
	if (!json_is_object(x)) {
		fputs("-", f);
		return;
	}
	sift_html_esc(f, sift_html_jstr(x, "suite") ? sift_html_jstr(x, "suite") : "SRTP");
	fputs(": key ", f);
	sift_html_esc(f, sift_html_jstr(x, "key"));
	fprintf(f, ", %lld decrypted", sift_html_jint(x, "decrypted", 0));
	if (sift_html_jint(x, "auth_failures", 0))
		fprintf(f, ", <span class=\"st-bad\">%lld auth failures</span>",
			sift_html_jint(x, "auth_failures", 0));
	if (sift_html_jint(x, "replay_drops", 0))
		fprintf(f, ", %lld replayed", sift_html_jint(x, "replay_drops", 0));
	if (sift_html_jint(x, "failed_before_key", 0))
		fprintf(f, ", %lld before the key", sift_html_jint(x, "failed_before_key", 0));
	if (sift_html_jint(x, "roc", 0))
		fprintf(f, ", ROC %lld", sift_html_jint(x, "roc", 0));
}

/* Streams plotted at most: each plot is a few kB of SVG. */
#define HTML_PLOT_CAP 2000

/* The plots of the RTP streams of the calls with a detail section (detail:
 * Call-ID to call) and of no call, that kept a series. */
static void write_plots(FILE *f, json_t *streams, const json_t *detail)
{
	size_t i, n = 0, left = 0;
	json_t *s;

	json_array_foreach(streams, i, s) {
		const char *cid = sift_html_jstr(s, "call_id");
		const json_t *call = cid ? json_object_get(detail, cid) : NULL;

		if (!json_is_object(json_object_get(s, "series")) || (cid && !call))
			continue;
		if (n >= HTML_PLOT_CAP) {
			left++;
			continue;
		}
		if (!n++)
			fputs("<h3 id=\"plots\">Over time</h3>\n<div class=\"plots\">\n", f);
		sift_html_write_plot(f, s, call ? json_object_get(call, "dtmf") : NULL);
	}
	if (n)
		fputs("</div>\n", f);
	if (left)
		fprintf(f, "<p class=\"note\">Only the first %d streams are plotted; %zu more "
			"are not.</p>\n", HTML_PLOT_CAP, left);
}

/* One row per stream (data-ssrc), our statistics beside what the peer's
 * RTCP reports say. call_of maps a Call-ID to the call's number. */
/* The players of the streams of no call (the RTP heuristic, a --key):
 * their files are grouped by address pair, numbered as call 0. */
static void write_nocall_audio(FILE *f, struct sift_html_opts *o, json_t *streams)
{
	json_t *call = json_object(), *ids = json_array(), *s;
	size_t i;

	json_array_foreach(streams, i, s)
		if (!sift_html_jstr(s, "call_id"))
			json_array_append_new(ids, json_integer(sift_html_jint(s, "id", 0)));
	json_object_set_new(call, "index", json_integer(0));
	json_object_set_new(call, "streams", ids);
	sift_html_write_audio(f, o, call,
			      "<h3 id=\"nocall-audio\">Audio of the streams of no call</h3>");
	json_decref(call);
}

void sift_html_write_streams(FILE *f, struct sift_html_opts *o, json_t *streams,
			     const json_t *call_of, const json_t *detail)
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
		const char *kind = sift_html_jstr(s, "kind"), *cid = sift_html_jstr(s, "call_id");
		bool rtp = kind && !strcmp(kind, "rtp");
		json_t *rtcp = json_object_get(s, "rtcp"), *ci = cid ? json_object_get(call_of, cid) : NULL;
		long long id = sift_html_jint(s, "id", 0);

		fprintf(f, "<tr id=\"stream-%lld\" class=\"stream\" data-ssrc=\"", id);
		sift_html_esc(f, sift_html_jstr(s, "ssrc"));
		fprintf(f, "\" data-stream=\"%lld\"><td class=\"n\">%lld</td><td>", id, id);
		if (ci) {
			fprintf(f, "<a href=\"#call-%lld\" title=\"", (long long)json_integer_value(ci));
			sift_html_esc(f, cid);
			fprintf(f, "\">%lld</a>", (long long)json_integer_value(ci));
		} else {
			fputs("<span title=\"found by ", f);
			sift_html_esc(f, sift_html_jstr(s, "found_by"));
			fputs("\">-</span>", f);
		}
		fputs("</td><td>", f);
		sift_html_esc(f, kind);
		fputs("</td><td><code>", f);
		sift_html_esc(f, sift_html_jstr(s, "ssrc"));
		fputs("</code></td><td>", f);
		sift_html_esc(f, sift_html_jstr(s, "src"));
		fputs(" &rarr; ", f);
		sift_html_esc(f, sift_html_jstr(s, "dst"));
		fputs("</td><td>", f);
		if (rtp) {
			sift_html_esc(f, sift_html_jstr(s, "codec") ? sift_html_jstr(s, "codec") : "?");
			fprintf(f, " (%lld)", sift_html_jint(s, "payload_type", -1));
		} else {
			fputs("-", f);
		}
		fprintf(f, "</td><td class=\"n\">%lld</td>", sift_html_jint(s, "packets", 0));
		if (rtp) {
			double jm = sift_html_jnum(s, "jitter_ms_mean"), jx = sift_html_jnum(s, "jitter_ms_max");

			fprintf(f, "<td class=\"n%s\">%lld / %lld</td>",
				sift_html_jint(s, "lost", 0) > 0 ? " st-bad" : "",
				sift_html_jint(s, "lost", 0), sift_html_jint(s, "expected", 0));
			if (isnan(jm))
				fputs("<td class=\"n\">-</td>", f);
			else
				fprintf(f, "<td class=\"n\">%.3f / %.3f</td>", jm, jx);
			fprintf(f, "<td class=\"n\">%lld / %lld / %lld</td>",
				sift_html_jint(s, "seq_errors", 0), sift_html_jint(s, "duplicates", 0),
				sift_html_jint(s, "out_of_order", 0));
			fprintf(f, "<td class=\"n\">%.3f</td>", sift_html_jnum(s, "max_delta_ms"));
		} else {
			fprintf(f, "<td colspan=\"4\">%lld malformed</td>", sift_html_jint(s, "malformed", 0));
		}
		if (json_is_object(rtcp) && sift_html_jint(rtcp, "reports", 0)) {
			double jl = sift_html_jnum(rtcp, "jitter_ms_last"), jx = sift_html_jnum(rtcp, "jitter_ms_max");

			fprintf(f, "<td class=\"n\">%lld (%.1f%%)</td>", sift_html_jint(rtcp, "lost", 0),
				100.0 * sift_html_jnum(rtcp, "fraction_lost"));
			if (isnan(jl))
				fputs("<td class=\"n\">-</td>", f);
			else
				fprintf(f, "<td class=\"n\">%.3f / %.3f</td>", jl, jx);
		} else {
			fputs("<td class=\"n\">-</td><td class=\"n\">-</td>", f);
		}
		fputs("<td>", f);
		put_srtp(f, json_object_get(s, "srtp"));
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody>\n</table></div>\n", f);
	write_plots(f, streams, detail);
	write_nocall_audio(f, o, streams);
	fputs("</section>\n", f);
}
