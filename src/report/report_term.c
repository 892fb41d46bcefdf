/* sipsift — what the text writers share for a terminal: cells cut with
 * "…" (never silently), SGR colours, and times as --time asks. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sipsift/report.h"
#include "report/report_int.h"
#include "util/utf8.h"

size_t sift_text_width(const char *s)
{
	size_t n = 0, left = s ? strlen(s) : 0;

	/* As sift_put_text writes it: one column per character, a '?' for
	 * each byte that starts no character. */
	while (left) {
		uint32_t cp;
		size_t len;

		if ((unsigned char)*s < 0x80) {
			s++;
			left--;
			n++;
			continue;
		}
		len = sift_utf8_next(s, left, &cp);
		len = len ? len : 1;
		s += len;
		left -= len;
		n++;
	}
	return n;
}

void sift_put_pad(FILE *f, size_t n)
{
	static const char sp[] = "                                ";

	while (n) {
		size_t k = n < sizeof(sp) - 1 ? n : sizeof(sp) - 1;

		fwrite(sp, 1, k, f);
		n -= k;
	}
}

/* The widest cell written in one piece. */
#define CELL_FAST 128

void sift_put_cell(FILE *f, const char *s, size_t width, bool right,
		   const char *sgr)
{
	size_t n, shown;

	/* Printable ASCII that fits, without colour: padded here and written
	 * at once (a scan for the width, then three writes, were a third of
	 * the calls table). */
	if (!sgr && s && width <= CELL_FAST) {
		char cell[CELL_FAST];
		const unsigned char *u = (const unsigned char *)s;

		for (n = 0; n < width && u[n] >= 0x20 && u[n] < 0x7f; n++)
			;
		if (!u[n]) {
			size_t pad = width - n;

			memset(cell, ' ', width);
			memcpy(cell + (right ? pad : 0), s, n);
			fwrite(cell, 1, width, f);
			return;
		}
	}
	n = sift_text_width(s);
	shown = n > width ? width : n;

	if (right)
		sift_put_pad(f, width - shown);
	if (sgr)
		fprintf(f, "\x1b[%sm", sgr);
	if (n > width && width) {
		sift_put_text(f, s, width - 1);
		fputs(SIFT_ELLIPSIS, f);
	} else if (n <= width) {
		sift_put_text(f, s, 0);
	}
	if (sgr)
		fputs("\x1b[0m", f);
	if (!right)
		sift_put_pad(f, width - shown);
}

void sift_put_colored(FILE *f, const struct sift_text_opts *to,
		      const char *sgr, const char *s)
{
	bool on = to && to->color && sgr;

	if (on)
		fprintf(f, "\x1b[%sm", sgr);
	sift_put_text(f, s, 0);
	if (on)
		fputs("\x1b[0m", f);
}

const char *sift_state_sgr(enum sift_call_state s)
{
	switch (s) {
	case SIFT_CALL_ANSWERED:
	case SIFT_CALL_ENDED:
		return SIFT_SGR_GOOD;
	case SIFT_CALL_CANCELLED:
	case SIFT_CALL_NO_ANSWER:
		return SIFT_SGR_WARN;
	case SIFT_CALL_REJECTED:
	case SIFT_CALL_FAILED:
	case SIFT_CALL_NO_ACK:
		return SIFT_SGR_BAD;
	default:
		return SIFT_SGR_INFO;
	}
}

const char *sift_severity_sgr(enum sift_severity s)
{
	switch (s) {
	case SIFT_SEV_ERROR:
		return "1;" SIFT_SGR_BAD;
	case SIFT_SEV_WARNING:
		return SIFT_SGR_WARN;
	default:
		return SIFT_SGR_INFO;
	}
}

bool sift_same_day(sift_time a, sift_time b)
{
	time_t sa = (time_t)(a / SIFT_USEC), sb = (time_t)(b / SIFT_USEC);
	struct tm ta, tb;

	if (!gmtime_r(&sa, &ta) || !gmtime_r(&sb, &tb))
		return true;
	return ta.tm_year == tb.tm_year && ta.tm_yday == tb.tm_yday;
}

/* "+12.345678" (digits: 6) or "+12.345" (3); "-0.000100" for a time
 * before base (several capture points with different clocks). */
static void fmt_offset(sift_time d, int digits, char *buf, size_t len)
{
	char sign = d < 0 ? '-' : '+';
	unsigned long long u = (unsigned long long)(d < 0 ? -d : d);

	if (digits == 3)
		snprintf(buf, len, "%c%llu.%03llu", sign, u / SIFT_USEC,
			 (u % SIFT_USEC) / 1000);
	else
		snprintf(buf, len, "%c%llu.%06llu", sign, u / SIFT_USEC,
			 u % SIFT_USEC);
}

const char *sift_fmt_when(const struct sift_text_opts *to, sift_time t,
			  sift_time base, sift_time prev, bool date,
			  int digits, char *buf, size_t len)
{
	enum sift_time_mode mode = to ? to->time : SIFT_TIME_ABS;
	char full[64];

	if (mode == SIFT_TIME_REL) {
		fmt_offset(t - base, digits, buf, len);
	} else if (mode == SIFT_TIME_DELTA) {
		fmt_offset(t - prev, digits, buf, len);
	} else {
		size_t n;

		sift_fmt_ts(t, full, sizeof(full));
		/* "2026-11-26 06:13:34.123456": cut the fraction to digits. */
		n = strlen(full);
		if (n == 26 && digits == 3)
			full[23] = '\0';
		snprintf(buf, len, "%s", date || n != 26 ? full : full + 11);
	}
	return buf;
}

sift_time sift_capture_start(const struct sift_report *r)
{
	sift_time t = 0;
	bool any = false;

	for (size_t i = 0; i < r->ninputs; i++) {
		if (!r->inputs[i].packets)
			continue;
		if (!any || r->inputs[i].first_ts < t)
			t = r->inputs[i].first_ts;
		any = true;
	}
	return t;
}

bool sift_capture_spans_days(const struct sift_report *r)
{
	sift_time lo = 0, hi = 0;
	bool any = false;

	for (size_t i = 0; i < r->ninputs; i++) {
		const struct sift_input *in = &r->inputs[i];

		if (!in->packets)
			continue;
		if (!any || in->first_ts < lo)
			lo = in->first_ts;
		if (!any || in->last_ts > hi)
			hi = in->last_ts;
		any = true;
	}
	return any && !sift_same_day(lo, hi);
}
