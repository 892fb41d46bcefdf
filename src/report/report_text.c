/* sipsift — the report for people: plain text, one line per message. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sip/sdes.h"
#include "net/ip_defrag.h"
#include "net/tcp_reasm.h"
#include "tls/tls.h"
#include "media/quality.h"
#include "net/link.h"
#include "sipsift/report.h"
#include "report/report_int.h"
#include "util/utf8.h"

/* The civil date of a day counted from 1970-01-01, proleptic Gregorian
 * as gmtime has it: days are shifted to start on 0000-03-01, so that
 * the leap day ends a year; then 400-year eras of 146,097 days, the year
 * of the era from the day of the era, and the month from the day of a
 * year that starts in March (153 days per five months). */
static void civil_date(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static char *put_digits(char *o, uint64_t v, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		o[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return o + width;
}

/* v is m * 2^-sh exactly (m < 2^53): v * 10^prec rounded to nearest,
 * ties to even, is the integer glibc's printf writes, since it rounds
 * the exact binary value. snprintf for NaN, infinities, |v| >= 2^53 and
 * len < 32; a value below 2^-67 is zero at any prec here (with its sign,
 * as printf writes "-0.00"). snprintf took about 1,000 ns a value, a
 * twentieth of `analyze` on sipp's 4,000 media calls (four per stream). */
const char *sift_fmt_fixed(double v, unsigned prec, char *buf, size_t len)
{
	static const uint64_t p10[] = { 1, 10, 100, 1000, 10000, 100000,
					1000000 };
	__extension__ typedef unsigned __int128 u128;
	double a = fabs(v);
	u128 n = 0;
	uint64_t ip, fp;
	int e2 = 0, sh;
	char d[24], *o = buf;
	size_t k = 0;

	if (prec > 6 || len < 32 || !(a < 9007199254740992.0)) {
		snprintf(buf, len, "%.*f", (int)prec, v);
		return buf;
	}
	if (a != 0) {
		uint64_t m = (uint64_t)ldexp(frexp(a, &e2), 53);

		sh = 53 - e2;
		if (sh == 0) {
			n = (u128)m * p10[prec];
		} else if (sh <= 120) {
			u128 p = (u128)m * p10[prec], half = (u128)1 << (sh - 1),
			     rem;

			n = p >> sh;
			rem = p - (n << sh);
			if (rem > half || (rem == half && (n & 1)))
				n++;
		}
	}
	ip = (uint64_t)(n / p10[prec]);
	fp = (uint64_t)(n % p10[prec]);
	if (signbit(v))
		*o++ = '-';
	do {
		d[k++] = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip);
	while (k)
		*o++ = d[--k];
	if (prec) {
		*o++ = '.';
		o = put_digits(o, fp, (int)prec);
	}
	*o = '\0';
	return buf;
}

const char *sift_fmt_ts(sift_time t, char *buf, size_t len)
{
	time_t sec = (time_t)(t / SIFT_USEC);
	long usec = (long)(t % SIFT_USEC);
	struct tm tm;

	if (usec < 0) {
		usec += SIFT_USEC;
		sec -= 1;
	}
	/* Years 1970 to 9999 by hand: gmtime_r and snprintf took 3,900
	 * instructions a time stamp, a twentieth of a text report. */
	if (sec >= 0 && sec <= 253402300799 && len >= 27) {
		int64_t y;
		unsigned mo, d, s = (unsigned)(sec % 86400);
		char *o = buf;

		civil_date(sec / 86400, &y, &mo, &d);
		o = put_digits(o, (uint64_t)y, 4);
		*o++ = '-';
		o = put_digits(o, mo, 2);
		*o++ = '-';
		o = put_digits(o, d, 2);
		*o++ = ' ';
		o = put_digits(o, s / 3600, 2);
		*o++ = ':';
		o = put_digits(o, s / 60 % 60, 2);
		*o++ = ':';
		o = put_digits(o, s % 60, 2);
		*o++ = '.';
		o = put_digits(o, (uint64_t)usec, 6);
		*o = '\0';
		return buf;
	}
	if (!gmtime_r(&sec, &tm)) {
		snprintf(buf, len, "?");
		return buf;
	}
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d.%06ld",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, usec);
	return buf;
}

/* The time of day of t, "HH:MM:SS.uuuuuu", for any t: what was
 * sift_fmt_ts(...) + 11, which read past "?" for a stamp gmtime_r could
 * not take and showed the wrong digits past year 9999. */
const char *sift_fmt_tod(sift_time t, char *buf, size_t len)
{
	const int64_t day = 86400 * SIFT_USEC;
	int64_t in = t % day;
	char tmp[16], *o = tmp;
	unsigned s;

	if (in < 0)
		in += day;
	s = (unsigned)(in / SIFT_USEC);
	o = put_digits(o, s / 3600, 2);
	*o++ = ':';
	o = put_digits(o, s / 60 % 60, 2);
	*o++ = ':';
	o = put_digits(o, s % 60, 2);
	*o++ = '.';
	o = put_digits(o, (uint64_t)(in % SIFT_USEC), 6);
	*o = '\0';
	snprintf(buf, len, "%s", tmp);
	return buf;
}

size_t sift_put_text(FILE *f, const char *s, size_t max)
{
	size_t n = 0, left = s ? strlen(s) : 0;

	/* Packet text is any bytes: a terminal must see neither controls
	 * (C0, DEL, C1: ESC, BEL, the one-byte CSI 0x9b), nor malformed
	 * UTF-8 it may take for them, nor bidi formatting that reorders
	 * the rest of the line. Each becomes one '?'. */
	while (left && (!max || n < max)) {
		uint32_t cp;
		size_t len, run = 0;

		/* Printable ASCII goes out a run at a time, not a byte. */
		while (run < left && (!max || n + run < max) &&
		       (unsigned char)s[run] >= 0x20 && (unsigned char)s[run] < 0x7f)
			run++;
		if (run) {
			fwrite(s, 1, run, f);
			s += run;
			left -= run;
			n += run;
			continue;
		}
		len = sift_utf8_next(s, left, &cp);
		if (!len || sift_utf8_unsafe(cp)) {
			fputc('?', f);
			len = len ? len : 1;
		} else {
			fwrite(s, 1, len, f);
		}
		s += len;
		left -= len;
		n++;
	}
	return n;
}

const char *sift_uri_short(const char *uri, char *buf, size_t len)
{
	const char *p = uri ? uri : "";
	size_t n = 0;

	if (strncmp(p, "sip:", 4) == 0)
		p += 4;
	else if (strncmp(p, "sips:", 5) == 0)
		p += 5;
	else if (strncmp(p, "tel:", 4) == 0)
		p += 4;
	while (p[n] && p[n] != ';' && p[n] != '?' && p[n] != '>')
		n++;
	snprintf(buf, len, "%.*s", (int)n, p);
	return buf;
}

static void put_text(FILE *f, const char *s)
{
	sift_put_text(f, s, 0);
}

static void print_inputs(const struct sift_report *r, FILE *f)
{
	char a[64], b[64];

	fprintf(f, "Inputs\n");
	for (size_t i = 0; i < r->ninputs; i++) {
		const struct sift_input *in = &r->inputs[i];
		const char *lt = in->mixed_linktypes ? "mixed" :
				 sift_link_name(in->linktype);

		fprintf(f, "  ");
		put_text(f, in->path);
		fprintf(f, "  %s  %llu packets, %llu bytes", lt ? lt : "-",
			(unsigned long long)in->packets,
			(unsigned long long)in->bytes);
		if (in->packets)
			fprintf(f, ", %s .. %s UTC", sift_fmt_ts(in->first_ts, a, sizeof(a)),
				sift_fmt_tod(in->last_ts, b, sizeof(b)));
		if (in->truncated)
			fprintf(f, ", truncated");
		if (in->error) {
			fprintf(f, "\n    error: ");
			put_text(f, in->error);
		}
		if (in->warning) {
			fprintf(f, "\n    warning: ");
			put_text(f, in->warning);
		}
		fputc('\n', f);
	}
}

static void print_summary(const struct sift_report *r, FILE *f)
{
	const struct sift_summary *s = &r->sum;

	fprintf(f, "\nSummary\n");
	fprintf(f, "  %llu packets, %llu SIP messages (%llu requests, %llu responses, %llu unparsable), %zu calls\n",
		(unsigned long long)s->packets,
		(unsigned long long)s->sip_messages,
		(unsigned long long)s->sip_requests,
		(unsigned long long)s->sip_responses,
		(unsigned long long)s->sip_parse_errors,
		(size_t)sift_calls_total(r->calls));
	if (r->net.fragments || r->tcp.segments)
		fprintf(f, "  %llu IP fragments (%llu datagrams reassembled), %llu TCP segments (%llu out of order, %llu retransmitted, %llu gaps)\n",
			(unsigned long long)r->net.fragments,
			(unsigned long long)r->defrag.reassembled,
			(unsigned long long)r->tcp.segments,
			(unsigned long long)r->tcp.out_of_order,
			(unsigned long long)r->tcp.retransmitted,
			(unsigned long long)r->tcp.gaps);
	if (s->tls_flows || s->sctp_skipped || s->sip_cut ||
	    s->unsupported_link)
		fprintf(f, "  not decoded: %llu TLS flows, %llu incomplete SCTP messages, %llu SIP datagrams cut by snaplen, %llu packets of unsupported link types\n",
			(unsigned long long)s->tls_flows,
			(unsigned long long)s->sctp_skipped,
			(unsigned long long)s->sip_cut,
			(unsigned long long)s->unsupported_link);
	{
		/* What the caps dropped (and fragments that never made a
		 * datagram): only those that did. */
		const char *sep = "  dropped: ";

		for (unsigned i = 0; i < SIFT_CAP_COUNT; i++) {
			if (!r->caps.n[i])
				continue;
			fprintf(f, "%s%llu %s", sep,
				(unsigned long long)r->caps.n[i],
				sift_cap_words((enum sift_cap_id)i));
			sep = ", ";
		}
		if (r->defrag.pending) {
			fprintf(f, "%s%llu IP datagrams incomplete", sep,
				(unsigned long long)r->defrag.pending);
			sep = ", ";
		}
		if (sep[0] == ',')
			fputc('\n', f);
	}
	if (sift_report_ts_clamped(r))
		fprintf(f, "  %llu timestamps out of range: clamped\n",
			(unsigned long long)sift_report_ts_clamped(r));
	if (r->ntls)
		fprintf(f, "  %llu TLS connections, %llu decrypted\n",
			(unsigned long long)s->tls_connections,
			(unsigned long long)s->tls_decrypted);
	for (size_t i = 0; i < r->ntls; i++) {
		const struct sift_tls_report *t = &r->tls[i];
		char a[SIFT_ADDR_STRLEN], b[SIFT_ADDR_STRLEN];
		const char *v = sift_tls_version_str(t->version);
		const char *su = sift_tls_suite_name(t->suite);

		fprintf(f, "    TLS %s -> %s (frame %llu): %s, %s: %s\n",
			sift_addr_str(&t->client, a, sizeof(a)),
			sift_addr_str(&t->server, b, sizeof(b)),
			(unsigned long long)t->first.frame,
			v ? v : "version unknown", su ? su : "suite unknown",
			t->status);
	}
}

uint64_t sift_report_ts_clamped(const struct sift_report *r)
{
	uint64_t n = 0;

	for (size_t i = 0; i < r->ninputs; i++)
		n += r->inputs[i].ts_clamped;
	return n;
}

void sift_report_warn_caps(const struct sift_report *r, FILE *f)
{
	if (r->defrag.pending)
		fprintf(f, "sipsift: warning: %llu IP datagrams still incomplete at the end of input (their fragments are lost)\n",
			(unsigned long long)r->defrag.pending);
	for (size_t i = 0; i < r->ninputs; i++) {
		if (!r->inputs[i].ts_clamped)
			continue;
		fprintf(f, "sipsift: warning: ");
		put_text(f, r->inputs[i].path);
		fprintf(f, ": %llu timestamps out of range (a fraction of a second past one second, or a time past the year 9999): clamped\n",
			(unsigned long long)r->inputs[i].ts_clamped);
	}
}

static void print_message(const struct sift_report *r,
			  const struct sift_msg_rec *m, FILE *f)
{
	char ts[64], src[SIFT_ADDR_STRLEN], dst[SIFT_ADDR_STRLEN];
	char what[64];

	/* "%s" or "%d %s", cut at 63 bytes as snprintf cuts: by hand, as
	 * the line below (snprintf and a fprintf for the CSeq were a fifth
	 * of a text report's lines). */
	{
		const char *text = m->request ? m->method : m->reason;
		size_t n = 0, l;

		if (!m->request) {
			/* 0 to 999: a start line's three digits. */
			n = sift_put_dec(what, (uint64_t)(unsigned)m->status);
			what[n++] = ' ';
		}
		text = text ? text : "(null)";
		l = strlen(text);
		if (l > sizeof(what) - 1 - n)
			l = sizeof(what) - 1 - n;
		memcpy(what + n, text, l);
		what[n + l] = '\0';
	}
	/* "  %6llu  %s  %s -> %s  %s  " put together by hand and written
	 * at once: fprintf was a tenth of a SIP-only text report. */
	{
		char line[8 + 20 + 64 + 2 * SIFT_ADDR_STRLEN + 32];
		const char *part[] = {
			"  ", sift_fmt_tod(m->where.ts, ts, sizeof(ts)), "  ",
			sift_addr_str(&m->src, src, sizeof(src)), " -> ",
			sift_addr_str(&m->dst, dst, sizeof(dst)), "  ",
			sift_transport_str(m->transport), "  ",
		};
		char num[20];
		size_t d = sift_put_dec(num, m->where.frame), n = 2;

		/* Two blanks, then the frame number right-aligned in six. */
		memset(line, ' ', 8);
		if (d < 6)
			n += 6 - d;
		memcpy(line + n, num, d);
		n += d;
		for (size_t i = 0; i < sizeof(part) / sizeof(part[0]); i++) {
			size_t l = strlen(part[i]);

			if (l > sizeof(line) - n)
				l = sizeof(line) - n;
			memcpy(line + n, part[i], l);
			n += l;
		}
		fwrite(line, 1, n, f);
	}
	put_text(f, what);
	{
		char cseq[32] = "  (CSeq ";
		size_t n = 8;

		n += sift_put_dec(cseq + n, m->cseq);
		cseq[n++] = ' ';
		fwrite(cseq, 1, n, f);
	}
	put_text(f, m->cseq_method);
	fputc(')', f);
	if (m->retransmission)
		fprintf(f, "  retransmission");
	if (m->damaged)
		fprintf(f, "  unparsable");
	if (r->ninputs > 1)
		fprintf(f, "  [file %u]", m->where.file + 1);
	fputc('\n', f);
}

static void print_calls(const struct sift_report *r, FILE *f)
{
	for (size_t i = 0; i < sift_calls_count(r->calls); i++) {
		const struct sift_call *c = sift_calls_get(r->calls, i);
		struct sift_call_outcome o;

		if (!sift_report_shown(r, c))
			continue;
		sift_call_outcome(c, r->end_ts, &o);
		fprintf(f, "\nCall %u  %s  %s", c->index, c->kind ? c->kind : "-",
			sift_call_state_str(o.state));
		if (o.reason[0]) {
			fprintf(f, " (");
			put_text(f, o.reason);
			fputc(')', f);
		}
		fprintf(f, "  Call-ID ");
		put_text(f, c->call_id);
		fprintf(f, "\n  From ");
		put_text(f, c->from);
		fprintf(f, "\n  To   ");
		put_text(f, c->to);
		fprintf(f, "\n");
		{
			char digits[128];

			if (sift_dtmf_digits(r, c, digits, sizeof(digits)))
				fprintf(f, "  DTMF %s\n", digits);
		}
		for (size_t j = 0; j < c->nmsgs; j++)
			print_message(r, &c->msgs[j], f);
	}
}

static void print_findings(const struct sift_report *r, FILE *f)
{
	size_t n = sift_findings_count(r->findings);
	bool any = false;

	for (size_t i = 0; i < n; i++) {
		const struct sift_finding *x = sift_findings_get(r->findings, i);

		if (!sift_report_shown_id(r, x->call_id))
			continue;
		if (!any)
			fprintf(f, "\nFindings\n");
		any = true;
		fprintf(f, "  ");
		if (x->nframes) {
			uint32_t file = x->frames[0].file;

			put_text(f, sift_input_path(r, file));
			fprintf(f, ":%llu: ", (unsigned long long)x->frames[0].frame);
		}
		fprintf(f, "%s: ", sift_severity_str(x->severity));
		put_text(f, x->message);
		fprintf(f, " [%s] (%s)\n", x->rule, x->rfc);
	}
}

/* v in decimal (width: at least that many, padded with blanks before). */
static void put_dec(FILE *f, unsigned long long v, int width, bool neg)
{
	char d[24];
	int k = 0;

	do {
		d[k++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (neg)
		d[k++] = '-';
	for (; width > k; width--)
		putc(' ', f);
	while (k)
		putc(d[--k], f);
}

static void put_fixed(FILE *f, double v, unsigned prec)
{
	char buf[48];

	fputs(sift_fmt_fixed(v, prec, buf, sizeof(buf)), f);
}

/* A stream's line, its common parts written piece by piece: fprintf of
 * them (its %.2f above all) was a twentieth of `analyze` on sipp's 4,000
 * media calls, 15,109 streams. */
static void print_stream(const struct sift_stream *s, FILE *f)
{
	char a[SIFT_ADDR_STRLEN], b[SIFT_ADDR_STRLEN];
	struct sift_stream_quality sq;
	long long lost;

	fputs("  ", f);
	put_dec(f, s->id, 3, false);
	fprintf(f, "  %s %s -> %s  SSRC 0x%08x  %s  ", s->rtcp ? "rtcp" : "rtp ",
		sift_addr_str(&s->src, a, sizeof(a)),
		sift_addr_str(&s->dst, b, sizeof(b)), s->ssrc,
		s->rtcp ? "-" : (s->codec[0] ? s->codec : "?"));
	put_dec(f, s->packets, 0, false);
	fputs(" packets", f);
	if (!s->rtcp) {
		lost = (long long)sift_rtpstat_lost(&s->rs);
		fputs(", ", f);
		put_dec(f, lost < 0 ? 0 - (unsigned long long)lost :
			   (unsigned long long)lost, 0, lost < 0);
		fputs(" lost", f);
		if (s->rs.jitter_n) {
			fputs(", jitter max ", f);
			put_fixed(f, s->rs.jitter_max_ms, 2);
			fputs(" ms", f);
		}
		if (sift_quality_of_stream(s, &sq)) {
			fputs(", MOS ", f);
			put_fixed(f, sq.q.mos, 2);
			fputs(" (R ", f);
			put_fixed(f, sq.q.r, 1);
			fputs(", loss ", f);
			put_fixed(f, sq.ppl, 1);
			fputs("% with ", f);
			put_dec(f, sq.jb_late, 0, false);
			fputs(" late at ", f);
			put_dec(f, sq.jb_ms, 0, false);
			fputs(" ms buffer)", f);
		}
		if (s->rs.duplicates || s->rs.out_of_order || s->rs.seq_errors)
			fprintf(f, ", %llu dup, %llu out of order, %llu seq errors",
				(unsigned long long)s->rs.duplicates,
				(unsigned long long)s->rs.out_of_order,
				(unsigned long long)s->rs.seq_errors);
		if (s->comfort_noise)
			fprintf(f, ", %llu CN",
				(unsigned long long)s->comfort_noise);
		if (s->follows)
			fprintf(f, ", SSRC change after stream %u", s->follows);
		if (s->heuristic)
			fprintf(f, ", no SDP (heuristic)");
		if (s->peer.reports) {
			fprintf(f, "; RTCP from receiver: %ld lost",
				(long)s->peer.lost);
			if (s->peer.jitter_known)
				fprintf(f, ", jitter max %.2f ms",
					s->peer.jitter_ms_max);
			if (s->rtt.samples)
				fprintf(f, ", RTT %.1f ms (mean of %llu, max %.1f)",
					s->rtt.sum_ms / (double)s->rtt.samples,
					(unsigned long long)s->rtt.samples,
					s->rtt.max_ms);
		}
	}
	if (s->srtp && s->decrypted)
		fprintf(f, "  SRTP %s: %llu decrypted, %llu failed",
			sift_suite_name(s->suite) ? sift_suite_name(s->suite) : "?",
			(unsigned long long)s->decrypted,
			(unsigned long long)s->auth_failures);
	else if (s->srtp)
		fprintf(f, "  SRTP: %s", s->no_key ? "no key" : "no key authenticates");
	putc('\n', f);
}

static void print_streams(const struct sift_report *r, FILE *f)
{
	size_t n = r->media ? sift_media_count(r->media) : 0;

	if (!n)
		return;
	fprintf(f, "\nStreams\n");
	for (size_t i = 0; i < n; i++) {
		const struct sift_stream *s = sift_media_get(r->media, i);

		if (sift_report_shown_id(r, s->call_id))
			print_stream(s, f);
	}
}

enum sift_rc sift_report_text(const struct sift_report *r, FILE *f)
{
	print_inputs(r, f);
	print_summary(r, f);
	print_calls(r, f);
	print_streams(r, f);
	print_findings(r, f);
	if (ferror(f) || fflush(f) != 0)
		return SIFT_EIO;
	return SIFT_OK;
}
