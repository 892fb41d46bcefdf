/* sipsift — the dtmf command for people: each call's digits in order,
 * with time, duration, direction and source. */
#include <stdio.h>
#include <string.h>

#include "sipsift/report.h"
#include "report/report_int.h"

enum sift_rc sift_report_dtmf(const struct sift_report *r, FILE *f,
			      const struct sift_text_opts *to)
{
	size_t calls = 0;
	uint64_t events = 0;
	/* Absolute times carry the date when the capture spans days. */
	bool date = sift_capture_spans_days(r);

	for (size_t i = 0; i < sift_calls_count(r->calls); i++) {
		const struct sift_call *c = sift_calls_get(r->calls, i);
		const struct sift_dtmf_event *ev;
		char digits[128];
		size_t n;

		if (!sift_report_shown(r, c))
			continue;
		ev = sift_dtmf_events(r->dtmf, c, &n);
		if (!n)
			continue;
		sift_dtmf_digits(r, c, digits, sizeof(digits));
		fprintf(f, "%sCall %u  Call-ID ", calls ? "\n" : "", c->index);
		sift_put_text(f, c->call_id, 0);
		fprintf(f, "\n  From ");
		sift_put_text(f, c->from, 0);
		fprintf(f, "\n  To   ");
		sift_put_text(f, c->to, 0);
		fprintf(f, "\n  Digits %s\n", digits);
		for (size_t j = 0; j < n; j++) {
			const struct sift_dtmf_event *e = &ev[j];
			char ts[64], src[SIFT_ADDR_STRLEN], dst[SIFT_ADDR_STRLEN];
			char dur[32];
			sift_time prev = j ? ev[j - 1].where.ts : c->first_ts;
			const char *name = sift_dtmf_event_name(e->digit);

			if (e->duration_ms >= 0)
				snprintf(dur, sizeof(dur), "%lld ms",
					 (long long)e->duration_ms);
			else
				snprintf(dur, sizeof(dur), "-");
			fprintf(f, "  %15s #%-6llu %-4s %8s  %s -> %s  %s",
				sift_fmt_when(to, e->where.ts, c->first_ts, prev,
					      date, 6, ts, sizeof(ts)),
				(unsigned long long)e->where.frame,
				name ? name : e->digit,
				dur, sift_addr_str(&e->src, src, sizeof(src)),
				sift_addr_str(&e->dst, dst, sizeof(dst)),
				sift_dtmf_source_str(e->source));
			if (e->stream)
				fprintf(f, " (stream %u)", e->stream);
			if (e->source == SIFT_DTMF_RFC4733 && !e->ended)
				fprintf(f, "  no end packet");
			else if (e->source == SIFT_DTMF_INBAND && !e->ended)
				fprintf(f, "  tone still on (call ended, or another digit followed)");
			if (r->ninputs > 1)
				fprintf(f, "  [file %u]", e->where.file + 1);
			fputc('\n', f);
		}
		calls++;
		events += n;
	}
	if (calls)
		fputc('\n', f);
	fprintf(f, "%llu DTMF %s in %zu %s\n", (unsigned long long)events,
		events == 1 ? "event" : "events", calls,
		calls == 1 ? "call" : "calls");
	if (ferror(f) || fflush(f) != 0)
		return SIFT_EIO;
	return SIFT_OK;
}
