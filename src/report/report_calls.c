/* sipsift — the calls table and the ladder diagram ("flow"), for people. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "media/quality.h"
#include "sipsift/report.h"
#include "report/report_int.h"

/* "7 ms", "1.234 s", "-". */
static const char *fmt_ms(int64_t v, char *buf, size_t len)
{
	if (v < 0)
		snprintf(buf, len, "-");
	else if (v < 1000)
		snprintf(buf, len, "%lld ms", (long long)v);
	else
		snprintf(buf, len, "%lld.%03lld s", (long long)(v / 1000),
			 (long long)(v % 1000));
	return buf;
}

static void transports_str(unsigned set, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int t = 0; t < SIFT_TP_COUNT; t++) {
		if (!(set & (1u << t)))
			continue;
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s",
				      n ? "," : "", sift_transport_str((enum sift_transport)t));
		if (n >= len)
			break;
	}
}

static void put_padded(FILE *f, const char *s, int width)
{
	int n = (int)sift_put_text(f, s, (size_t)width);

	for (; n < width; n++)
		fputc(' ', f);
}

/* The media columns of a call: its RTP streams, the share of packets
 * lost over all of them, the largest jitter of any and the lowest MOS
 * (the worst direction, media/quality.h). */
struct media_cols {
	char streams[8];
	char loss[16];
	char jitter[16];
	char mos[8];
};

static void media_cols(const struct sift_report *r, const struct sift_call *c,
		       struct media_cols *mc)
{
	size_t n = 0;
	const struct sift_stream *const *sv =
		r->media ? sift_media_call_streams(r->media, c, &n) : NULL;
	unsigned k = 0;
	uint64_t expected = 0;
	int64_t lost = 0;
	double jitter = -1, mos = -1;

	for (size_t i = 0; i < n; i++) {
		const struct sift_stream *s = sv[i];
		struct sift_stream_quality sq;

		if (s->rtcp)
			continue;
		k++;
		if (sift_quality_of_stream(s, &sq) && (mos < 0 || sq.q.mos < mos))
			mos = sq.q.mos;
		expected += sift_rtpstat_expected(&s->rs);
		lost += sift_rtpstat_lost(&s->rs);
		if (s->rs.jitter_n && s->rs.jitter_max_ms > jitter)
			jitter = s->rs.jitter_max_ms;
	}
	snprintf(mc->streams, sizeof(mc->streams), "%u", k);
	if (expected)
		snprintf(mc->loss, sizeof(mc->loss), "%.1f%%",
			 100.0 * (double)lost / (double)expected);
	else
		snprintf(mc->loss, sizeof(mc->loss), "-");
	if (jitter >= 0)
		snprintf(mc->jitter, sizeof(mc->jitter), "%.1f ms", jitter);
	else
		snprintf(mc->jitter, sizeof(mc->jitter), "-");
	if (mos >= 0)
		snprintf(mc->mos, sizeof(mc->mos), "%.2f", mos);
	else
		snprintf(mc->mos, sizeof(mc->mos), "-");
}

/* The DTMF column: the digits in order, "-" without any; more than fit
 * end in "+" (sipsift dtmf lists them all). */
static void put_dtmf(const struct sift_report *r, const struct sift_call *c,
		     FILE *f)
{
	char digits[16];

	if (!sift_dtmf_digits(r, c, digits, sizeof(digits)))
		snprintf(digits, sizeof(digits), "-");
	else if (strlen(digits) > 10)
		snprintf(digits + 9, sizeof(digits) - 9, "+");
	put_padded(f, digits, 10);
	fputc(' ', f);
}

enum sift_rc sift_report_calls(const struct sift_report *r, FILE *f,
			       bool invite_only)
{
	size_t shown = 0;

	fprintf(f, "%4s  %-23s  %-9s %-24s %-24s %-12s %5s  %-9s %-10s %5s  %-9s %3s %6s %8s %4s  %-10s %s\n",
		"#", "START (UTC)", "KIND", "FROM", "TO", "STATE", "FINAL",
		"SETUP", "DURATION", "MSGS", "TRANSPORT", "RTP", "LOSS",
		"JITTER", "MOS", "DTMF", "REASON");
	for (size_t i = 0; i < sift_calls_count(r->calls); i++) {
		const struct sift_call *c = sift_calls_get(r->calls, i);
		struct sift_call_outcome o;
		struct media_cols mc;
		char ts[64], from[128], to[128], setup[32], dur[32], tp[32];
		char final[8];

		if (invite_only && (!c->kind || strcmp(c->kind, "invite") != 0))
			continue;
		if (!sift_report_shown(r, c))
			continue;
		sift_call_outcome(c, r->end_ts, &o);
		sift_fmt_ts(o.start_ts, ts, sizeof(ts));
		ts[23] = '\0';   /* milliseconds are enough in a table */
		if (o.final_status)
			snprintf(final, sizeof(final), "%d", o.final_status);
		else
			snprintf(final, sizeof(final), "-");
		transports_str(c->transports, tp, sizeof(tp));
		fprintf(f, "%4u  %s  ", c->index, ts);
		put_padded(f, c->kind ? c->kind : "-", 9);
		fputc(' ', f);
		put_padded(f, sift_uri_short(c->from, from, sizeof(from)), 24);
		fputc(' ', f);
		put_padded(f, sift_uri_short(c->to, to, sizeof(to)), 24);
		media_cols(r, c, &mc);
		fprintf(f, " %-12s %5s  %-9s %-10s %5zu  %-9s %3s %6s %8s %4s  ",
			sift_call_state_str(o.state), final,
			fmt_ms(o.setup_ms, setup, sizeof(setup)),
			fmt_ms(o.duration_ms, dur, sizeof(dur)), c->nmsgs, tp,
			mc.streams, mc.loss, mc.jitter, mc.mos);
		put_dtmf(r, c, f);
		sift_put_text(f, o.reason, 0);
		fputc('\n', f);
		shown++;
	}
	fprintf(f, "%zu %s\n", shown, shown == 1 ? "call" : "calls");
	if (ferror(f) || fflush(f) != 0)
		return SIFT_EIO;
	return SIFT_OK;
}

/* Ladder diagram. */

#define PREFIX 23          /* "06:20:07.675721 #12345 " */
#define MIN_GAP 14         /* narrowest room between two columns */
#define MAX_GAP 28
#define MAX_COLS 16

struct column {
	struct sift_addr addr;  /* port 0 when the column is a whole host */
};

/* One column per host; a host that talks to itself (two parties on one
 * address, as on a loopback test) is split by port. */
static bool split_host(const struct sift_call *c, const struct sift_addr *a)
{
	for (size_t i = 0; i < c->nmsgs; i++)
		if (sift_same_ip(&c->msgs[i].src, a) && sift_same_ip(&c->msgs[i].dst, a))
			return true;
	return false;
}

static int column_of(struct column *cols, int *n, const struct sift_call *c,
		     const struct sift_addr *a)
{
	struct sift_addr key = *a;

	if (!split_host(c, a))
		key.port = 0;
	for (int i = 0; i < *n; i++)
		if (sift_addr_eq(&cols[i].addr, &key))
			return i;
	if (*n >= MAX_COLS)
		return -1;
	cols[*n].addr = key;
	return (*n)++;
}

static void label_of(const struct sift_msg_rec *m, char *buf, size_t len)
{
	if (m->damaged && m->request)
		snprintf(buf, len, "%s (unparsable)", m->method);
	else if (m->damaged)
		snprintf(buf, len, "%d (unparsable)", m->status);
	else if (m->request)
		snprintf(buf, len, "%s%s%s", m->method, m->has_sdp ? " (SDP)" : "",
			 m->retransmission ? " (retr)" : "");
	else
		snprintf(buf, len, "%d %s%s%s", m->status, m->reason,
			 m->has_sdp ? " (SDP)" : "",
			 m->retransmission ? " (retr)" : "");
	/* The ladder is drawn byte by byte: ASCII only, no controls. */
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			*p = '?';
}

/* Draws label centred on an arrow from column position a to b. */
static void draw_arrow(char *line, int a, int b, const char *label)
{
	int lo = a < b ? a : b, hi = a < b ? b : a;
	int room = hi - lo - 5, len = (int)strlen(label);

	for (int x = lo + 1; x < hi; x++)
		line[x] = '-';
	if (a < b)
		line[hi - 1] = '>';
	else
		line[lo + 1] = '<';
	if (len > room)
		len = room;
	if (len > 0) {
		int start = lo + 3 + (room - len) / 2;

		memcpy(line + start, label, (size_t)len);
	}
}

static void flow_list(const struct sift_report *r, const struct sift_call *c,
		      FILE *f)
{
	for (size_t i = 0; i < c->nmsgs; i++) {
		const struct sift_msg_rec *m = &c->msgs[i];
		char ts[64], src[SIFT_ADDR_STRLEN], dst[SIFT_ADDR_STRLEN];
		char label[160];

		label_of(m, label, sizeof(label));
		fprintf(f, "%s #%-5llu %s -> %s  %s\n",
			sift_fmt_ts(m->where.ts, ts, sizeof(ts)) + 11,
			(unsigned long long)m->where.frame,
			sift_addr_str(&m->src, src, sizeof(src)),
			sift_addr_str(&m->dst, dst, sizeof(dst)), label);
	}
	(void)r;
}

static void flow_call(const struct sift_report *r, const struct sift_call *c,
		      FILE *f, unsigned width)
{
	struct column cols[MAX_COLS];
	int ncols = 0, gap, pos[MAX_COLS];
	struct sift_call_outcome o;
	bool too_many = false;
	char *line;
	size_t lw;

	sift_call_outcome(c, r->end_ts, &o);
	fprintf(f, "Call %u  %s  %s", c->index, c->kind ? c->kind : "-",
		sift_call_state_str(o.state));
	if (o.reason[0]) {
		fprintf(f, " (");
		sift_put_text(f, o.reason, 0);
		fputc(')', f);
	}
	fprintf(f, "\n  Call-ID ");
	sift_put_text(f, c->call_id, 0);
	fprintf(f, "\n  From ");
	sift_put_text(f, c->from, 0);
	fprintf(f, "\n  To   ");
	sift_put_text(f, c->to, 0);
	fprintf(f, "\n\n");
	for (size_t i = 0; i < c->nmsgs && !too_many; i++)
		if (column_of(cols, &ncols, c, &c->msgs[i].src) < 0 ||
		    column_of(cols, &ncols, c, &c->msgs[i].dst) < 0)
			too_many = true;
	gap = ncols > 1 ? ((int)width - PREFIX - 2) / (ncols - 1) : MAX_GAP;
	if (gap > MAX_GAP)
		gap = MAX_GAP;
	if (too_many || gap < MIN_GAP) {
		/* Too many hosts for the width: a list says the same. */
		flow_list(r, c, f);
		return;
	}
	lw = (size_t)(PREFIX + (ncols - 1) * gap + gap / 2 + 1);
	line = malloc(lw + 1);
	if (!line)
		return;
	for (int i = 0; i < ncols; i++)
		pos[i] = PREFIX + i * gap;
	/* Header: each host's name centred over its column. */
	memset(line, ' ', lw);
	line[lw] = '\0';
	for (int i = 0; i < ncols; i++) {
		char name[SIFT_ADDR_STRLEN];
		int len, start;

		sift_addr_str(&cols[i].addr, name, sizeof(name));
		len = (int)strlen(name);
		if (len > gap - 1)
			len = gap - 1;
		start = pos[i] - len / 2;
		if (start < 0)
			start = 0;
		if (start + len > (int)lw)
			len = (int)lw - start;
		memcpy(line + start, name, (size_t)len);
	}
	while (lw && line[lw - 1] == ' ')
		line[--lw] = '\0';
	fprintf(f, "%s\n", line);
	lw = (size_t)(PREFIX + (ncols - 1) * gap + 1);
	for (size_t i = 0; i < c->nmsgs; i++) {
		const struct sift_msg_rec *m = &c->msgs[i];
		int a = column_of(cols, &ncols, c, &m->src);
		int b = column_of(cols, &ncols, c, &m->dst);
		char ts[64], label[160], head[PREFIX + 1];

		memset(line, ' ', lw);
		line[lw] = '\0';
		for (int k = 0; k < ncols; k++)
			line[pos[k]] = '|';
		label_of(m, label, sizeof(label));
		if (a == b) {
			/* To itself: a turn-around mark beside the column. */
			char self[170];
			size_t n = (size_t)snprintf(self, sizeof(self), "<-' %s", label);
			size_t room = lw - (size_t)pos[a] - 1;

			memcpy(line + pos[a] + 1, self, n < room ? n : room);
		} else {
			draw_arrow(line, pos[a], pos[b], label);
		}
		snprintf(head, sizeof(head), "%s #%-6llu",
			 sift_fmt_ts(m->where.ts, ts, sizeof(ts)) + 11,
			 (unsigned long long)m->where.frame);
		memcpy(line, head, strlen(head));
		for (size_t e = lw; e && line[e - 1] == ' '; e--)
			line[e - 1] = '\0';
		fprintf(f, "%s\n", line);
	}
	free(line);
}

enum sift_rc sift_report_flow(const struct sift_report *r, FILE *f,
			      unsigned width)
{
	bool first = true;

	for (size_t i = 0; i < sift_calls_count(r->calls); i++) {
		const struct sift_call *c = sift_calls_get(r->calls, i);

		if (!sift_report_shown(r, c))
			continue;
		if (!first)
			fputc('\n', f);
		first = false;
		flow_call(r, c, f, width);
	}
	if (ferror(f) || fflush(f) != 0)
		return SIFT_EIO;
	return SIFT_OK;
}
