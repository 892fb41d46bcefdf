/* sipsift — the dtmf command for people: each call's digits in order,
 * with time, duration, direction and source. */
#include <stdio.h>
#include <string.h>

#include "sipsift/report.h"
#include "report/report_int.h"

enum sift_rc sift_report_dtmf(const struct sift_report *r, FILE *f)
{
	size_t calls = 0;
	uint64_t events = 0;

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

			if (e->duration_ms >= 0)
				snprintf(dur, sizeof(dur), "%lld ms",
					 (long long)e->duration_ms);
			else
				snprintf(dur, sizeof(dur), "-");
			fprintf(f, "  %s #%-6llu %-4s %8s  %s -> %s  %s",
				sift_fmt_ts(e->where.ts, ts, sizeof(ts)) + 11,
				(unsigned long long)e->where.frame, e->digit,
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
