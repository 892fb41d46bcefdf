/* sipsift — the calls table and the ladder diagram ("flow"), for people. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "media/quality.h"
#include "sipsift/report.h"
#include "report/report_int.h"

/* s into a cell, cut as snprintf would cut it: a row is seventeen cells,
 * and "%s" through snprintf was a tenth of the calls table. */
static void cell_copy(char *dst, size_t len, const char *s)
{
	size_t n = strlen(s);

	if (n >= len)
		n = len - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* v in decimal into a cell (snprintf "%u" was a percent of the table). */
static void cell_dec(char *dst, size_t len, uint64_t v)
{
	char num[24];

	num[sift_put_dec(num, v)] = '\0';
	cell_copy(dst, len, num);
}

/* "7 ms", "1.234 s", "-". */
static const char *fmt_ms(int64_t v, char *buf, size_t len)
{
	char t[32];
	size_t n;

	if (v < 0) {
		cell_copy(buf, len, "-");
		return buf;
	}
	if (v < 1000) {
		n = sift_put_dec(t, (uint64_t)v);
		memcpy(t + n, " ms", 4);
	} else {
		n = sift_put_dec(t, (uint64_t)(v / 1000));
		t[n++] = '.';
		t[n++] = (char)('0' + v % 1000 / 100);
		t[n++] = (char)('0' + v % 100 / 10);
		t[n++] = (char)('0' + v % 10);
		memcpy(t + n, " s", 3);
	}
	cell_copy(buf, len, t);
	return buf;
}

static void transports_str(unsigned set, char *buf, size_t len)
{
	size_t n = 0;

	/* By hand, cut as snprintf cuts: a call of the table each. */
	buf[0] = '\0';
	for (int t = 0; t < SIFT_TP_COUNT && n + 1 < len; t++) {
		const char *name = sift_transport_str((enum sift_transport)t);
		size_t l;

		if (!(set & (1u << t)))
			continue;
		if (n)
			buf[n++] = ',';
		l = strlen(name);
		if (l > len - 1 - n)
			l = len - 1 - n;
		memcpy(buf + n, name, l);
		n += l;
		buf[n] = '\0';
	}
}

/* The media columns of a call: its RTP streams, the share of packets
 * lost over all of them, the largest jitter of any and the lowest MOS
 * (the worst direction, media/quality.h). */
struct media_cols {
	char streams[8];
	char srtp[24];
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
	unsigned srtp = 0, decrypted = 0, no_key = 0;

	for (size_t i = 0; i < n; i++) {
		const struct sift_stream *s = sv[i];
		struct sift_stream_quality sq;

		if (s->rtcp)
			continue;
		k++;
		if (s->srtp) {
			srtp++;
			decrypted += s->decrypted > 0;
			no_key += !s->decrypted && s->no_key;
		}
		if (sift_quality_of_stream(s, &sq) && (mos < 0 || sq.q.mos < mos))
			mos = sq.q.mos;
		expected += sift_rtpstat_expected(&s->rs);
		lost += sift_rtpstat_lost(&s->rs);
		if (s->rs.jitter_n && s->rs.jitter_max_ms > jitter)
			jitter = s->rs.jitter_max_ms;
	}
	cell_dec(mc->streams, sizeof(mc->streams), k);
	/* SRTP that did not decrypt is no audio (issue #11): say so. */
	if (!srtp)
		cell_copy(mc->srtp, sizeof(mc->srtp), "-");
	else if (decrypted == srtp)
		cell_copy(mc->srtp, sizeof(mc->srtp), "ok");
	else if (decrypted)
		snprintf(mc->srtp, sizeof(mc->srtp), "%u/%u", decrypted, srtp);
	else
		snprintf(mc->srtp, sizeof(mc->srtp), "%s",
			 no_key == srtp ? "no key" : "failed");
	if (expected)
		snprintf(mc->loss, sizeof(mc->loss), "%.1f%%",
			 100.0 * (double)lost / (double)expected);
	else
		cell_copy(mc->loss, sizeof(mc->loss), "-");
	if (jitter >= 0)
		snprintf(mc->jitter, sizeof(mc->jitter), "%.1f ms", jitter);
	else
		cell_copy(mc->jitter, sizeof(mc->jitter), "-");
	if (mos >= 0)
		snprintf(mc->mos, sizeof(mc->mos), "%.2f", mos);
	else
		cell_copy(mc->mos, sizeof(mc->mos), "-");
}

/* The DTMF column: the digits in order, "-" without any; more than fit
 * end in "+" (sipsift dtmf lists them all). */
static void dtmf_col(const struct sift_report *r, const struct sift_call *c,
		     char *digits, size_t len)
{
	if (!sift_dtmf_digits(r, c, digits, len))
		cell_copy(digits, len, "-");
	else if (strlen(digits) > 10)
		snprintf(digits + 9, len - 9, "+");
}

/* The table's columns, in order. Each has the spaces before it, its width
 * in the full table, and right or left alignment; REASON, the last, is as
 * wide as its longest value. */
enum col {
	C_NUM, C_START, C_KIND, C_FROM, C_TO, C_STATE, C_FINAL, C_SETUP,
	C_DURATION, C_MSGS, C_TRANSPORT, C_RTP, C_SRTP, C_LOSS, C_JITTER, C_MOS,
	C_DTMF, C_REASON, C_COUNT
};

static const struct {
	const char *head;
	unsigned sep;
	unsigned width;
	bool right;
} cols[C_COUNT] = {
	[C_NUM] = { "#", 0, 4, true },
	[C_START] = { "START (UTC)", 2, 23, false },
	[C_KIND] = { "KIND", 2, 9, false },
	[C_FROM] = { "FROM", 1, 24, false },
	[C_TO] = { "TO", 1, 24, false },
	[C_STATE] = { "STATE", 1, 12, false },
	[C_FINAL] = { "FINAL", 1, 5, true },
	[C_SETUP] = { "SETUP", 2, 9, false },
	[C_DURATION] = { "DURATION", 1, 10, false },
	[C_MSGS] = { "MSGS", 1, 5, true },
	[C_TRANSPORT] = { "TRANSPORT", 2, 9, false },
	[C_RTP] = { "RTP", 1, 3, true },
	[C_SRTP] = { "SRTP", 1, 6, false },
	[C_LOSS] = { "LOSS", 1, 6, true },
	[C_JITTER] = { "JITTER", 1, 8, true },
	[C_MOS] = { "MOS", 1, 4, true },
	[C_DTMF] = { "DTMF", 2, 10, false },
	[C_REASON] = { "REASON", 1, 0, false },
};

/* What a row shows: a width per column, 0 for a column left out. */
struct layout {
	unsigned w[C_COUNT];
};

static unsigned layout_width(const struct layout *l)
{
	unsigned n = 0;

	for (int k = 0; k < C_COUNT; k++)
		if (l->w[k])
			n += (n ? cols[k].sep : 0) + l->w[k];
	return n;
}

/* A terminal narrower than the full table: columns are narrowed or left
 * out in this order (man page, CALLS TABLE) until the table fits; #, START,
 * KIND, FROM, TO, STATE and REASON always stay. */
static void fit(struct layout *l, unsigned width)
{
	static const struct {
		enum col col;
		unsigned w;
	} steps[] = {
		{ C_REASON, 24 }, { C_TRANSPORT, 0 }, { C_MSGS, 0 }, { C_SRTP, 0 },
		{ C_JITTER, 0 }, { C_LOSS, 0 }, { C_RTP, 0 }, { C_SETUP, 0 },
		{ C_START, 12 }, { C_FROM, 16 }, { C_TO, 16 }, { C_DTMF, 0 },
		{ C_FINAL, 0 }, { C_MOS, 0 }, { C_DURATION, 0 },
		{ C_STATE, 11 }, { C_FROM, 12 }, { C_TO, 12 }, { C_REASON, 10 },
		{ C_FROM, 6 }, { C_TO, 6 }, { C_REASON, 6 },
	};

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		unsigned have = layout_width(l);

		if (have <= width)
			return;
		if (steps[i].col == C_REASON || steps[i].col == C_FROM ||
		    steps[i].col == C_TO) {
			/* Narrowed only as far as needed. */
			unsigned w = l->w[steps[i].col], over = have - width;
			unsigned floor = steps[i].w;

			if (w > floor)
				l->w[steps[i].col] = w - over > floor && w > over ?
						     w - over : floor;
		} else if (!steps[i].w || l->w[steps[i].col] > steps[i].w) {
			l->w[steps[i].col] = steps[i].w;
		}
	}
}

/* One row's cells. */
struct row {
	char cell[C_COUNT][128];
	const char *reason;
	enum sift_call_state state;
};

static void row_of(const struct sift_report *r, const struct sift_call *c,
		   const struct sift_text_opts *to, sift_time base,
		   sift_time prev, bool narrow_start, struct row *w,
		   struct sift_call_outcome *o)
{
	struct media_cols mc;
	char buf[128];
	const size_t cl = sizeof(w->cell[0]);

	sift_call_outcome(c, r->end_ts, o);
	w->state = o->state;
	w->reason = o->reason;
	cell_dec(w->cell[C_NUM], cl, c->index);
	sift_fmt_when(to, o->start_ts, base, prev, !narrow_start, 3,
		      w->cell[C_START], sizeof(w->cell[0]));
	cell_copy(w->cell[C_KIND], cl, c->kind ? c->kind : "-");
	cell_copy(w->cell[C_FROM], cl, sift_uri_short(c->from, buf, sizeof(buf)));
	cell_copy(w->cell[C_TO], cl, sift_uri_short(c->to, buf, sizeof(buf)));
	cell_copy(w->cell[C_STATE], cl, sift_call_state_str(o->state));
	if (o->final_status > 0)     /* 100-699: the parser takes no other */
		cell_dec(w->cell[C_FINAL], cl, (uint64_t)o->final_status);
	else
		cell_copy(w->cell[C_FINAL], cl, "-");
	fmt_ms(o->setup_ms, w->cell[C_SETUP], sizeof(w->cell[0]));
	fmt_ms(o->duration_ms, w->cell[C_DURATION], sizeof(w->cell[0]));
	cell_dec(w->cell[C_MSGS], cl, c->nmsgs);
	transports_str(c->transports, w->cell[C_TRANSPORT], sizeof(w->cell[0]));
	media_cols(r, c, &mc);
	cell_copy(w->cell[C_RTP], cl, mc.streams);
	cell_copy(w->cell[C_SRTP], cl, mc.srtp);
	cell_copy(w->cell[C_LOSS], cl, mc.loss);
	cell_copy(w->cell[C_JITTER], cl, mc.jitter);
	cell_copy(w->cell[C_MOS], cl, mc.mos);
	dtmf_col(r, c, w->cell[C_DTMF], sizeof(w->cell[0]));
}

static void put_row(FILE *f, const struct layout *l, const char *const *cells,
		    const char *reason, const char *state_sgr)
{
	bool first = true;

	for (int k = 0; k < C_COUNT; k++) {
		const char *v = k == C_REASON ? reason : cells[k];

		if (!l->w[k] && k != C_REASON)
			continue;
		if (!first)
			sift_put_pad(f, cols[k].sep);
		first = false;
		if (k == C_REASON) {
			/* The last column: no padding after it. */
			if (l->w[k] && sift_text_width(v) > l->w[k])
				sift_put_cell(f, v, l->w[k], false, NULL);
			else
				sift_put_text(f, v, 0);
		} else {
			sift_put_cell(f, v, l->w[k], cols[k].right,
				      k == C_STATE ? state_sgr : NULL);
		}
	}
	fputc('\n', f);
}

/* Calls shown, in order; whether c is one. */
static bool shown(const struct sift_report *r, const struct sift_call *c,
		  bool invite_only)
{
	if (invite_only && (!c->kind || strcmp(c->kind, "invite") != 0))
		return false;
	return sift_report_shown(r, c);
}

/* The layout for this table: the full one, or (on a terminal narrower
 * than that) one that fits. */
static void plan(const struct sift_report *r, bool invite_only,
		 const struct sift_text_opts *to, struct layout *l)
{
	unsigned reason = (unsigned)strlen(cols[C_REASON].head);

	bool srtp = false;

	for (int k = 0; k < C_COUNT; k++)
		l->w[k] = cols[k].width;
	/* The SRTP column only in a table with SRTP in it. */
	for (size_t i = 0; i < sift_calls_count(r->calls) && !srtp; i++) {
		const struct sift_call *c = sift_calls_get(r->calls, i);
		size_t n = 0;
		const struct sift_stream *const *sv = r->media && shown(r, c, invite_only) ?
			sift_media_call_streams(r->media, c, &n) : NULL;

		for (size_t k = 0; sv && k < n; k++)
			srtp |= sv[k]->srtp && !sv[k]->rtcp;
	}
	if (!srtp)
		l->w[C_SRTP] = 0;
	/* rel and delta are short: "+123.456". */
	if (to && to->time != SIFT_TIME_ABS)
		l->w[C_START] = 12;
	if (!to || !to->width)
		return;
	for (size_t i = 0; i < sift_calls_count(r->calls); i++) {
		const struct sift_call *c = sift_calls_get(r->calls, i);
		struct sift_call_outcome o;
		unsigned n;

		if (!shown(r, c, invite_only))
			continue;
		sift_call_outcome(c, r->end_ts, &o);
		n = (unsigned)sift_text_width(o.reason);
		if (n > reason)
			reason = n;
	}
	l->w[C_REASON] = reason;
	fit(l, to->width);
}

enum sift_rc sift_report_calls(const struct sift_report *r, FILE *f,
			       bool invite_only,
			       const struct sift_text_opts *to)
{
	size_t count = 0;
	struct layout l;
	const char *head[C_COUNT];
	sift_time base = sift_capture_start(r), prev = base;
	bool color = to && to->color;
	struct row *w = malloc(sizeof(*w));

	if (!w)
		return SIFT_ENOMEM;
	plan(r, invite_only, to, &l);
	for (int k = 0; k < C_COUNT; k++)
		head[k] = cols[k].head;
	if (to && to->time == SIFT_TIME_REL)
		head[C_START] = "START (REL)";
	else if (to && to->time == SIFT_TIME_DELTA)
		head[C_START] = "DELTA";
	else if (l.w[C_START] < cols[C_START].width)
		head[C_START] = "TIME (UTC)";
	put_row(f, &l, head, cols[C_REASON].head, NULL);
	for (size_t i = 0; i < sift_calls_count(r->calls); i++) {
		const struct sift_call *c = sift_calls_get(r->calls, i);
		struct sift_call_outcome o;
		const char *cells[C_COUNT];

		if (!shown(r, c, invite_only))
			continue;
		row_of(r, c, to, base, prev, l.w[C_START] < cols[C_START].width,
		       w, &o);
		prev = o.start_ts;
		for (int k = 0; k < C_COUNT; k++)
			cells[k] = w->cell[k];
		put_row(f, &l, cells, w->reason,
			color ? sift_state_sgr(w->state) : NULL);
		count++;
	}
	free(w);
	fprintf(f, "%zu %s\n", count, count == 1 ? "call" : "calls");
	if (ferror(f) || fflush(f) != 0)
		return SIFT_EIO;
	return SIFT_OK;
}

/* Ladder diagram. */

#define MIN_GAP 14         /* narrowest room between two columns */
#define MAX_GAP 28
#define MAX_COLS 16
#define CUT '\x01'         /* in a ladder line: "…" (labels are ASCII) */

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

static int column_of(struct column *cols_, int *n, const struct sift_call *c,
		     const struct sift_addr *a)
{
	struct sift_addr key = *a;

	if (!split_host(c, a))
		key.port = 0;
	for (int i = 0; i < *n; i++)
		if (sift_addr_eq(&cols_[i].addr, &key))
			return i;
	if (*n >= MAX_COLS)
		return -1;
	cols_[*n].addr = key;
	return (*n)++;
}

/* The ladder is drawn byte by byte: ASCII only, no controls. */
static void ascii_only(char *buf)
{
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			*p = '?';
}

/* A message's label: what it is (base), and its marks, in the order they
 * are kept when the label must be cut. */
static void label_parts(const struct sift_msg_rec *m, char *base, size_t blen,
			const char *marks[3])
{
	int k = 0;

	if (m->damaged && m->request)
		snprintf(base, blen, "%s", m->method);
	else if (m->damaged)
		snprintf(base, blen, "%d", m->status);
	else if (m->request)
		snprintf(base, blen, "%s", m->method);
	else
		snprintf(base, blen, "%d %s", m->status, m->reason);
	ascii_only(base);
	marks[0] = marks[1] = marks[2] = NULL;
	if (m->damaged)
		marks[k++] = " (unparsable)";
	if (!m->damaged && m->has_sdp)
		marks[k++] = " (SDP)";
	if (!m->damaged && m->retransmission)
		marks[k++] = " (retr)";
}

static void label_of(const struct sift_msg_rec *m, char *buf, size_t len)
{
	char base[160];
	const char *marks[3];

	label_parts(m, base, sizeof(base), marks);
	snprintf(buf, len, "%s%s%s%s", base, marks[0] ? marks[0] : "",
		 marks[1] ? marks[1] : "", marks[2] ? marks[2] : "");
}

/* The label in at most room columns: cut with "…" (CUT), never silently;
 * the marks ((SDP), (retr)) stay and the text before them is cut, the
 * last mark going first when even that does not fit. */
static void fit_label(const struct sift_msg_rec *m, int room, char *out,
		      size_t len)
{
	char base[160];
	const char *marks[3];
	int nm;

	label_of(m, out, len);
	if (room <= 0) {
		out[0] = '\0';
		return;
	}
	if ((int)strlen(out) <= room)
		return;
	label_parts(m, base, sizeof(base), marks);
	for (nm = 3; nm >= 0; nm--) {
		int ml = 0, keep, bl = (int)strlen(base);
		char kept[48];

		snprintf(kept, sizeof(kept), "%s%s%s",
			 nm > 0 && marks[0] ? marks[0] : "",
			 nm > 1 && marks[1] ? marks[1] : "",
			 nm > 2 && marks[2] ? marks[2] : "");
		ml = (int)strlen(kept);
		keep = room - ml - 1;   /* base characters, and the "…" */
		if (nm && keep < 3)
			continue;
		if (keep < 0)
			keep = 0;
		if (keep >= bl)         /* only a mark was left out */
			snprintf(out, len, "%s%s%c", base, kept, CUT);
		else
			snprintf(out, len, "%.*s%c%s", keep, base, CUT, kept);
		break;
	}
	if ((int)strlen(out) > room) {
		out[room - 1] = CUT;
		out[room] = '\0';
	}
}

/* Draws label (already fit to the room) centred on an arrow from column
 * position a to b. */
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

/* A ladder line: CUT as "…", the (SDP) mark in colour when asked. */
static void put_line(FILE *f, const char *line,
		     const struct sift_text_opts *to)
{
	bool color = to && to->color;

	for (const char *p = line; *p; p++) {
		if (*p == CUT) {
			fputs(SIFT_ELLIPSIS, f);
		} else if (color && strncmp(p, "(SDP)", 5) == 0) {
			fprintf(f, "\x1b[%sm(SDP)\x1b[0m", SIFT_SGR_SDP);
			p += 4;
		} else {
			fputc(*p, f);
		}
	}
	fputc('\n', f);
}

/* How a ladder writes times: whether absolute times carry the date (the
 * call crosses midnight, or the capture spans days), and how wide they
 * are. */
struct flow_time {
	const struct sift_text_opts *to;
	bool date;
	int width;
};

static const char *msg_time(const struct flow_time *ft,
			    const struct sift_call *c, size_t i, char *buf,
			    size_t len)
{
	sift_time t = c->msgs[i].where.ts;

	return sift_fmt_when(ft->to, t, c->msgs[0].where.ts,
			     i ? c->msgs[i - 1].where.ts : t, ft->date, 6, buf,
			     len);
}

static void flow_time_of(const struct sift_report *r,
			 const struct sift_call *c,
			 const struct sift_text_opts *to, struct flow_time *ft)
{
	ft->to = to;
	ft->date = (!to || to->time == SIFT_TIME_ABS) && c->nmsgs &&
		   (!sift_same_day(c->msgs[0].where.ts,
				   c->msgs[c->nmsgs - 1].where.ts) ||
		    sift_capture_spans_days(r));
	ft->width = 15;
	for (size_t i = 0; i < c->nmsgs; i++) {
		char ts[64];
		int n = (int)strlen(msg_time(ft, c, i, ts, sizeof(ts)));

		if (n > ft->width)
			ft->width = n;
	}
}

static void flow_list(const struct flow_time *ft, const struct sift_call *c,
		      FILE *f)
{
	for (size_t i = 0; i < c->nmsgs; i++) {
		const struct sift_msg_rec *m = &c->msgs[i];
		char ts[64], src[SIFT_ADDR_STRLEN], dst[SIFT_ADDR_STRLEN];
		char label[200];

		label_of(m, label, sizeof(label));
		fprintf(f, "%*s #%-5llu %s -> %s  ", ft->width,
			msg_time(ft, c, i, ts, sizeof(ts)),
			(unsigned long long)m->where.frame,
			sift_addr_str(&m->src, src, sizeof(src)),
			sift_addr_str(&m->dst, dst, sizeof(dst)));
		put_line(f, label, ft->to);
	}
}

static void flow_head(const struct sift_report *r, const struct sift_call *c,
		      FILE *f, const struct sift_text_opts *to)
{
	struct sift_call_outcome o;

	sift_call_outcome(c, r->end_ts, &o);
	fprintf(f, "Call %u  %s  ", c->index, c->kind ? c->kind : "-");
	sift_put_colored(f, to, sift_state_sgr(o.state),
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
	fputc('\n', f);
}

/* The header line: each host's name centred over its column; when a name
 * does not fit its column (IPv6 addresses do not), every host is numbered
 * (H1, H2, ...) and a legend above names them. */
static void flow_hosts(FILE *f, const struct column *cl, int ncols,
		       const int *pos, int gap, char *line, size_t lw)
{
	bool legend = false;

	for (int i = 0; i < ncols; i++) {
		char name[SIFT_ADDR_STRLEN];

		sift_addr_str(&cl[i].addr, name, sizeof(name));
		if ((int)strlen(name) > gap - 1)
			legend = true;
	}
	if (legend) {
		for (int i = 0; i < ncols; i++) {
			char name[SIFT_ADDR_STRLEN], h[16];

			snprintf(h, sizeof(h), "H%d", i + 1);
			fprintf(f, "  %-4s %s\n", h,
				sift_addr_str(&cl[i].addr, name, sizeof(name)));
		}
	}
	fputc('\n', f);
	memset(line, ' ', lw);
	line[lw] = '\0';
	for (int i = 0; i < ncols; i++) {
		char name[SIFT_ADDR_STRLEN];
		int len, start;

		if (legend)
			snprintf(name, sizeof(name), "H%d", i + 1);
		else
			sift_addr_str(&cl[i].addr, name, sizeof(name));
		len = (int)strlen(name);
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
}

/* On a terminal the ladder fits its width: room for half the last host's
 * name past its column (a pipe keeps the 80-column layout). */
static int fit_room(const struct sift_text_opts *to, const struct column *cl,
		    int ncols)
{
	char name[SIFT_ADDR_STRLEN];
	int n = 0;

	if (!to || !to->width)
		return 0;
	for (int i = 0; i < ncols; i++) {
		int len = (int)strlen(sift_addr_str(&cl[i].addr, name, sizeof(name)));

		if (len > n)
			n = len;
	}
	return n / 2;
}

static bool flow_call(const struct sift_report *r, const struct sift_call *c,
		      FILE *f, const struct sift_text_opts *to)
{
	struct column cl[MAX_COLS];
	int ncols = 0, gap, pos[MAX_COLS], prefix;
	unsigned width = to && to->width >= 40 ? to->width : 80;
	struct flow_time ft;
	bool too_many = false;
	char *line;
	size_t lw;

	flow_head(r, c, f, to);
	flow_time_of(r, c, to, &ft);
	prefix = ft.width + 8;     /* "06:20:07.675721 #12345 " */
	for (size_t i = 0; i < c->nmsgs && !too_many; i++)
		if (column_of(cl, &ncols, c, &c->msgs[i].src) < 0 ||
		    column_of(cl, &ncols, c, &c->msgs[i].dst) < 0)
			too_many = true;
	gap = ncols > 1 ? ((int)width - prefix - 2 - fit_room(to, cl, ncols)) /
			  (ncols - 1) : MAX_GAP;
	if (gap > MAX_GAP)
		gap = MAX_GAP;
	if (too_many || gap < MIN_GAP) {
		/* Too many hosts for the width: a list says the same. */
		fputc('\n', f);
		flow_list(&ft, c, f);
		return true;
	}
	lw = (size_t)(prefix + (ncols - 1) * gap + gap / 2 + 1);
	line = malloc(lw + 1);
	if (!line)
		return false;
	for (int i = 0; i < ncols; i++)
		pos[i] = prefix + i * gap;
	flow_hosts(f, cl, ncols, pos, gap, line, lw);
	lw = (size_t)(prefix + (ncols - 1) * gap + 1);
	for (size_t i = 0; i < c->nmsgs; i++) {
		const struct sift_msg_rec *m = &c->msgs[i];
		int a = column_of(cl, &ncols, c, &m->src);
		int b = column_of(cl, &ncols, c, &m->dst);
		char ts[64], label[200], head[96];

		memset(line, ' ', lw);
		line[lw] = '\0';
		for (int k = 0; k < ncols; k++)
			line[pos[k]] = '|';
		if (a == b) {
			/* To itself: a turn-around mark beside the column. */
			int room = (int)lw - pos[a] - 1 - 4;
			size_t n;

			fit_label(m, room, label, sizeof(label));
			n = strlen(label);
			if (room > 0) {
				memcpy(line + pos[a] + 1, "<-' ", 4);
				memcpy(line + pos[a] + 5, label, n);
			}
		} else {
			int lo = pos[a] < pos[b] ? pos[a] : pos[b];
			int hi = pos[a] < pos[b] ? pos[b] : pos[a];

			fit_label(m, hi - lo - 5, label, sizeof(label));
			draw_arrow(line, pos[a], pos[b], label);
		}
		snprintf(head, sizeof(head), "%*s #%-6llu", ft.width,
			 msg_time(&ft, c, i, ts, sizeof(ts)),
			 (unsigned long long)m->where.frame);
		memcpy(line, head, strlen(head) < lw ? strlen(head) : lw);
		for (size_t e = lw; e && line[e - 1] == ' '; e--)
			line[e - 1] = '\0';
		put_line(f, line, to);
	}
	free(line);
	return true;
}

enum sift_rc sift_report_flow(const struct sift_report *r, FILE *f,
			      const struct sift_text_opts *to)
{
	bool first = true;

	for (size_t i = 0; i < sift_calls_count(r->calls); i++) {
		const struct sift_call *c = sift_calls_get(r->calls, i);

		if (!sift_report_shown(r, c))
			continue;
		if (!first)
			fputc('\n', f);
		first = false;
		if (!flow_call(r, c, f, to))
			return SIFT_ENOMEM;
	}
	if (ferror(f) || fflush(f) != 0)
		return SIFT_EIO;
	return SIFT_OK;
}
