/* sipsift — JSON and NDJSON report writer (DESIGN.md "Report"). The only
 * file that includes <jansson.h>. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip/sdes.h"
#include "tls/tls.h"
#include "media/audio.h"
#include "media/quality.h"
#include "net/link.h"
#include "report/report_doc.h"
#include "report/report_int.h"
#include "report/report_json_int.h"
#include "report/report_json_write.h"
#include "sipsift/report.h"
#include "util/utf8.h"

#ifndef SIFT_VERSION
#define SIFT_VERSION "0.0.0"
#endif

/* 16 significant digits print a capture timestamp with all its
 * microseconds, and short measured values without binary noise. */
#define DUMP_FLAGS (JSON_REAL_PRECISION(16) | JSON_ENSURE_ASCII)

static json_t *ts_json(sift_time t)
{
	return json_real((double)t / 1e6);
}

static json_t *addr_json(const struct sift_addr *a)
{
	char buf[SIFT_ADDR_STRLEN];

	return json_string(sift_addr_str(a, buf, sizeof(buf)));
}

static json_t *link_json(const struct sift_input *in)
{
	const char *name;

	if (in->mixed_linktypes)
		return json_string("mixed");
	if (in->linktype < 0)
		return json_null();
	name = sift_link_name(in->linktype);
	if (name)
		return json_string(name);
	return json_sprintf("linktype-%d", in->linktype);
}

static json_t *inputs_json(const struct sift_report *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->ninputs; i++) {
		const struct sift_input *in = &r->inputs[i];
		json_t *o = json_object();

		json_object_set_new(o, "file", sift_json_text(in->path));
		json_object_set_new(o, "link_type", link_json(in));
		json_object_set_new(o, "packets", json_integer((json_int_t)in->packets));
		json_object_set_new(o, "bytes", json_integer((json_int_t)in->bytes));
		json_object_set_new(o, "first_ts", in->packets ? ts_json(in->first_ts) : json_null());
		json_object_set_new(o, "last_ts", in->packets ? ts_json(in->last_ts) : json_null());
		json_object_set_new(o, "truncated", json_boolean(in->truncated));
		if (in->error)
			json_object_set_new(o, "error", sift_json_text(in->error));
		if (in->warning)
			json_object_set_new(o, "warning", sift_json_text(in->warning));
		json_array_append_new(a, o);
	}
	return a;
}

#define SET_U64(o, k, v) json_object_set_new((o), (k), json_integer((json_int_t)(v)))

/* One TLS connection: who, what was negotiated, whether it was read. */
static json_t *tls_json(const struct sift_tls_report *t)
{
	json_t *o = json_object();
	const char *v = sift_tls_version_str(t->version);
	const char *su = sift_tls_suite_name(t->suite);
	char hex[8];

	json_object_set_new(o, "client", addr_json(&t->client));
	json_object_set_new(o, "server", addr_json(&t->server));
	json_object_set_new(o, "frame", json_integer((json_int_t)t->first.frame));
	json_object_set_new(o, "tls_version", v ? json_string(v) : json_null());
	if (!su && t->suite) {
		snprintf(hex, sizeof(hex), "0x%04x", t->suite);
		su = hex;
	}
	json_object_set_new(o, "cipher_suite", su ? json_string(su) : json_null());
	json_object_set_new(o, "decrypted", json_boolean(t->decrypted));
	json_object_set_new(o, "status", json_string(t->status));
	json_object_set_new(o, "plain_bytes", json_integer((json_int_t)t->plain_bytes));
	return o;
}

static json_t *summary_json(const struct sift_report *r)
{
	const struct sift_summary *s = &r->sum;
	json_t *o = json_object(), *f = json_object(), *sk = json_object();
	json_t *d = json_object();

	SET_U64(o, "packets", s->packets);
	SET_U64(o, "sip_messages", s->sip_messages);
	SET_U64(o, "sip_requests", s->sip_requests);
	SET_U64(o, "sip_responses", s->sip_responses);
	SET_U64(o, "sip_parse_errors", s->sip_parse_errors);
	SET_U64(o, "dialogs", sift_calls_dialogs(r->calls));
	SET_U64(o, "calls", sift_calls_total(r->calls));
	if (r->media) {
		SET_U64(o, "rtp_streams", sift_media_rtp_streams(r->media));
		SET_U64(o, "srtp_streams", sift_media_srtp_streams(r->media));
		SET_U64(o, "decrypted_streams", sift_media_decrypted_streams(r->media));
	}
	SET_U64(o, "dtmf_events", sift_dtmf_total(r->dtmf));
	SET_U64(f, "error", sift_findings_severity(r->findings, SIFT_SEV_ERROR));
	SET_U64(f, "warning", sift_findings_severity(r->findings, SIFT_SEV_WARNING));
	SET_U64(f, "info", sift_findings_severity(r->findings, SIFT_SEV_INFO));
	json_object_set_new(o, "findings", f);
	/* What was seen but not decoded, so a user knows what is missing. */
	SET_U64(sk, "tls_flows", s->tls_flows);
	SET_U64(sk, "sctp_incomplete_messages", s->sctp_skipped);
	SET_U64(sk, "sip_cut_by_snaplen", s->sip_cut);
	SET_U64(sk, "unsupported_link_packets", s->unsupported_link);
	SET_U64(sk, "dropped_messages", sift_calls_dropped(r->calls));
	/* State dropped by a cap to make room, and fragments that never
	 * made a datagram. */
	for (unsigned i = 0; i < SIFT_CAP_COUNT; i++)
		if (i != SIFT_CAP_DTMF)
			SET_U64(sk, sift_cap_key((enum sift_cap_id)i),
				r->caps.n[i]);
	SET_U64(sk, "ip_datagrams_incomplete", r->defrag.pending);
	if (r->dtmf) {
		const struct sift_dtmf_stats *ds = sift_dtmf_stats(r->dtmf);

		/* Telephone-event payloads too short, absurd durations,
		 * unreadable INFO bodies; events past the per-call cap. */
		SET_U64(sk, "dtmf_anomalies", ds->short_payloads + ds->absurd +
			ds->bad_info);
		SET_U64(sk, "dtmf_dropped", ds->dropped);
	}
	json_object_set_new(o, "skipped", sk);
	SET_U64(d, "non_ip", r->net.non_ip);
	SET_U64(d, "cut_headers", r->net.cut);
	SET_U64(d, "invalid", r->net.invalid);
	SET_U64(d, "tunnelled", r->net.tunnelled);
	SET_U64(d, "ip_fragments", r->net.fragments);
	SET_U64(d, "ip_reassembled", r->defrag.reassembled);
	SET_U64(d, "ip_fragment_timeouts", r->defrag.timeouts);
	SET_U64(d, "tcp_segments", r->tcp.segments);
	SET_U64(d, "tcp_retransmitted", r->tcp.retransmitted);
	SET_U64(d, "tcp_out_of_order", r->tcp.out_of_order);
	SET_U64(d, "tcp_gaps", r->tcp.gaps);
	SET_U64(d, "tcp_gap_bytes", r->tcp.gap_bytes);
	SET_U64(d, "sip_resyncs", s->tcp_resyncs);
	SET_U64(d, "keepalives", s->keepalives);
	SET_U64(d, "websocket_flows", s->websocket_flows);
	SET_U64(d, "timestamps_clamped", sift_report_ts_clamped(r));
	json_object_set_new(o, "decode", d);
	/* SIP over TLS: only when the capture has TLS connections. */
	if (r->ntls) {
		json_t *ta = json_array();

		SET_U64(o, "tls_connections", s->tls_connections);
		SET_U64(o, "tls_decrypted", s->tls_decrypted);
		for (size_t i = 0; i < r->ntls; i++)
			json_array_append_new(ta, tls_json(&r->tls[i]));
		json_object_set_new(o, "tls", ta);
	}
	return o;
}

/* The SDP a message carried, as media read it (no keys: show --format
 * json has the text): each m= line's media, addresses, protocol, formats,
 * direction, a=crypto tags and suites, T.38 and rtcp-mux. */
static void sdp_summary_jv(struct sift_jv *v, const char *key,
			   const struct sift_media_sdp *d)
{
	sift_jv_obj(v, key);
	sift_jv_int(v, "version", (long long)d->sess_version);
	sift_jv_arr(v, "media");
	for (unsigned i = 0; i < d->nm; i++) {
		const struct sift_media_mline *ml = &d->m[i];

		sift_jv_obj(v, NULL);
		sift_jv_text_str(v, "media", ml->type);
		sift_jv_addr(v, "connection", &ml->rtp);
		if (ml->rtcp_mux)
			sift_jv_null(v, "rtcp");
		else
			sift_jv_addr(v, "rtcp", &ml->rtcp);
		sift_jv_text_str(v, "proto", ml->proto);
		sift_jv_arr(v, "formats");
		for (unsigned k = 0; k < ml->nfmt; k++) {
			sift_jv_obj(v, NULL);
			sift_jv_int(v, "pt", ml->fmt[k].pt);
			if (ml->fmt[k].name[0])
				sift_jv_text_str(v, "name", ml->fmt[k].name);
			else
				sift_jv_null(v, "name");
			if (ml->fmt[k].rate)
				sift_jv_int(v, "rate", ml->fmt[k].rate);
			else
				sift_jv_null(v, "rate");
			sift_jv_end(v);
		}
		sift_jv_end(v);
		sift_jv_text_str(v, "direction", sift_media_dir_str(ml->dir));
		sift_jv_arr(v, "crypto");
		for (unsigned k = 0; k < ml->ncrypto; k++) {
			sift_jv_obj(v, NULL);
			sift_jv_int(v, "tag", ml->crypto[k].tag);
			sift_jv_text_str(v, "suite", ml->crypto[k].suite);
			sift_jv_end(v);
		}
		sift_jv_end(v);
		/* RFC 3362: T.38 fax is m=image <port> udptl t38. */
		sift_jv_bool(v, "t38", strcmp(ml->type, "image") == 0 &&
				       strcasecmp(ml->proto, "udptl") == 0);
		sift_jv_bool(v, "rtcp_mux", ml->rtcp_mux);
		sift_jv_end(v);
	}
	sift_jv_end(v);
	sift_jv_end(v);
}

/* The SDP record of the message at w, or NULL. */
static const struct sift_media_sdp *sdp_at(const struct sift_media_sdp *v,
					   size_t n, const struct sift_where *w)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].where.file == w->file && v[i].where.frame == w->frame)
			return &v[i];
	return NULL;
}

static void message_jv(struct sift_jv *v, const struct sift_report *r,
			const struct sift_msg_rec *m,
			const struct sift_media_sdp *sdps, size_t nsdps)
{
	const struct sift_media_sdp *d;

	sift_jv_obj(v, NULL);
	sift_jv_text_str(v, "file", sift_input_path(r, m->where.file));
	sift_jv_int(v, "frame", (long long)m->where.frame);
	sift_jv_ts(v, "ts", m->where.ts);
	sift_jv_addr(v, "src", &m->src);
	sift_jv_addr(v, "dst", &m->dst);
	sift_jv_text_str(v, "transport", sift_transport_str(m->transport));
	if (m->request) {
		sift_jv_text_str(v, "method", m->method);
	} else {
		sift_jv_int(v, "status", m->status);
		sift_jv_text_str(v, "reason", m->reason);
	}
	sift_jv_int(v, "cseq", (long long)m->cseq);
	sift_jv_text_str(v, "cseq_method", m->cseq_method);
	sift_jv_text_str(v, "branch", m->branch);
	sift_jv_bool(v, "retransmission", m->retransmission);
	sift_jv_bool(v, "sdp", m->has_sdp);
	/* Who sent it and where the dialog goes (issue #13): what a switch
	 * of phone or a codec mismatch is read from. */
	sift_jv_text_str(v, "user_agent", m->user_agent);
	sift_jv_text_str(v, "contact", m->contact);
	sift_jv_text_str(v, "to_tag", m->to_tag);
	d = m->has_sdp ? sdp_at(sdps, nsdps, &m->where) : NULL;
	if (d)
		sdp_summary_jv(v, "sdp_summary", d);
	else
		sift_jv_null(v, "sdp_summary");
	if (m->sdp_raw)
		sift_jv_text_str(v, "sdp_raw", m->sdp_raw);
	if (m->damaged)
		sift_jv_bool(v, "parse_error", true);
	sift_jv_end(v);
}


static void ts_or_null_jv(struct sift_jv *v, const char *key, sift_time t)
{
	if (t)
		sift_jv_ts(v, key, t);
	else
		sift_jv_null(v, key);
}

static void ms_or_null_jv(struct sift_jv *v, const char *key, int64_t ms)
{
	if (ms >= 0)
		sift_jv_int(v, key, ms);
	else
		sift_jv_null(v, key);
}

static void dtmf_jv(struct sift_jv *v, const struct sift_report *r,
		    const struct sift_call *c)
{
	const struct sift_dtmf_event *ev;
	size_t n;

	sift_jv_arr(v, "dtmf");
	ev = sift_dtmf_events(r->dtmf, c, &n);
	for (size_t i = 0; i < n; i++) {
		const struct sift_dtmf_event *e = &ev[i];

		sift_jv_obj(v, NULL);
		sift_jv_text_str(v, "digit", e->digit);
		if (sift_dtmf_event_name(e->digit))
			sift_jv_text_str(v, "name", sift_dtmf_event_name(e->digit));
		sift_jv_ts(v, "ts", e->where.ts);
		ms_or_null_jv(v, "duration_ms", e->duration_ms);
		sift_jv_text_str(v, "source", sift_dtmf_source_str(e->source));
		if (e->stream)
			sift_jv_int(v, "stream", e->stream);
		else
			sift_jv_null(v, "stream");
		sift_jv_addr(v, "src", &e->src);
		sift_jv_addr(v, "dst", &e->dst);
		if (e->volume >= 0)
			sift_jv_int(v, "volume", e->volume);
		else
			sift_jv_null(v, "volume");
		sift_jv_bool(v, "ended", e->ended);
		sift_jv_text_str(v, "file", sift_input_path(r, e->where.file));
		sift_jv_int(v, "frame", (long long)e->where.frame);
		sift_jv_end(v);
	}
	sift_jv_end(v);
}

/* A call as the report shows it; type (NDJSON's "call") last when given. */
static void call_jv(struct sift_jv *v, const struct sift_report *r,
		    const struct sift_call *c, sift_time now, const char *type)
{
	struct sift_call_outcome out;

	sift_call_outcome(c, now, &out);
	sift_jv_obj(v, NULL);
	sift_jv_int(v, "index", (long long)c->index);
	sift_jv_text_str(v, "call_id", c->call_id);
	sift_jv_text_str(v, "kind", c->kind);
	sift_jv_text_str(v, "from", c->from);
	sift_jv_text_str(v, "to", c->to);
	sift_jv_text_str(v, "state", sift_call_state_str(out.state));
	if (out.final_status)
		sift_jv_int(v, "final_status", out.final_status);
	else
		sift_jv_null(v, "final_status");
	sift_jv_text_str(v, "reason", out.reason);
	ts_or_null_jv(v, "start_ts", out.start_ts);
	ts_or_null_jv(v, "answer_ts", out.answer_ts);
	ts_or_null_jv(v, "end_ts", out.end_ts);
	ms_or_null_jv(v, "setup_ms", out.setup_ms);
	ms_or_null_jv(v, "duration_ms", out.duration_ms);
	sift_jv_arr(v, "transports");
	for (int t = 0; t < SIFT_TP_COUNT; t++)
		if (c->transports & (1u << t))
			sift_jv_text_str(v, NULL, sift_transport_str((enum sift_transport)t));
	sift_jv_end(v);
	sift_jv_arr(v, "dialogs");
	for (size_t i = 0; i < c->ndialogs; i++) {
		sift_jv_obj(v, NULL);
		sift_jv_text_str(v, "from_tag", c->dialogs[i].from_tag);
		sift_jv_text_str(v, "to_tag", c->dialogs[i].to_tag);
		sift_jv_text_str(v, "state", sift_dialog_state_str(c->dialogs[i].state));
		sift_jv_end(v);
	}
	sift_jv_end(v);
	if (r->media) {
		size_t n;
		const struct sift_stream *const *sv =
			sift_media_call_streams(r->media, c, &n);

		sift_jv_arr(v, "streams");
		for (size_t i = 0; i < n; i++)
			sift_jv_int(v, NULL, sv[i]->id);
		sift_jv_end(v);
	}
	dtmf_jv(v, r, c);
	{
		size_t nsdps = 0;
		const struct sift_media_sdp *sdps =
			r->media ? sift_media_call_sdps(r->media, c, &nsdps, NULL) : NULL;

		sift_jv_arr(v, "messages");
		for (size_t i = 0; i < c->nmsgs; i++)
			message_jv(v, r, &c->msgs[i], sdps, nsdps);
		sift_jv_end(v);
	}
	if (c->dropped)
		sift_jv_int(v, "dropped", (long long)c->dropped);
	if (type)
		sift_jv_text_str(v, "type", type);
	sift_jv_end(v);
}

/* The text of one NDJSON line. One buffer serves every line: one of its
 * own for each call, grown from 8 bytes by doubling, was ten reallocs a
 * call (perf: 5 % of an NDJSON run on sipp-tcp-20000). Past LINE_KEEP
 * after a line it is let go: one huge call does not hold it to the end. */
#define LINE_KEEP ((size_t)1 << 20)

static _Thread_local struct sift_jw line_w;

void sift_report_ndjson_release(void)
{
	free(line_w.p);
	memset(&line_w, 0, sizeof(line_w));
}

static struct sift_jw *line_begin(void)
{
	line_w.len = 0;
	line_w.failed = false;
	return &line_w;
}

/* The line written: 0, -1 when the stream failed, -2 when memory ran
 * out making it (nothing written). */
static int line_end(struct sift_jw *w, FILE *f)
{
	int rc;

	sift_jw_put(w, "\n", 1);
	rc = w->failed ? -2 : sift_jw_flush(w, f);
	if (w->cap > LINE_KEEP || w->failed) {
		free(w->p);
		w->p = NULL;
		w->cap = 0;
	}
	return rc;
}

static enum sift_rc line_rc(int rc)
{
	return rc == -2 ? SIFT_ENOMEM : rc < 0 ? SIFT_EIO : SIFT_OK;
}

/* A call as one NDJSON line. */
static int call_line(const struct sift_report *r, const struct sift_call *c,
		     sift_time now, FILE *f)
{
	struct sift_jw *w = line_begin();
	struct sift_jv v;

	sift_jv_text(&v, w, 0, 0);
	call_jv(&v, r, c, now, "call");
	return line_end(w, f);
}

/* A finding, written as it is described (as call_jv); with type, a "type"
 * member last (NDJSON). */
static void finding_jv(struct sift_jv *v, const struct sift_report *r,
		       const struct sift_finding *f, const char *type)
{
	sift_jv_obj(v, NULL);
	sift_jv_text_str(v, "rule", f->rule);
	sift_jv_text_str(v, "severity", sift_severity_str(f->severity));
	sift_jv_text_str(v, "rfc", f->rfc);
	sift_jv_text_str(v, "call_id", f->call_id);
	sift_jv_arr(v, "frames");
	for (unsigned i = 0; i < f->nframes; i++) {
		sift_jv_obj(v, NULL);
		sift_jv_text_str(v, "file", sift_input_path(r, f->frames[i].file));
		sift_jv_int(v, "frame", (long long)f->frames[i].frame);
		sift_jv_end(v);
	}
	sift_jv_end(v);
	sift_jv_text_str(v, "message", f->message);
	if (type)
		sift_jv_text_str(v, "type", type);
	sift_jv_end(v);
}

static json_t *tool_json(void)
{
	json_t *t = json_object();

	json_object_set_new(t, "name", json_string("sipsift"));
	json_object_set_new(t, "version", json_string(SIFT_VERSION));
	return t;
}

static int dump_line(json_t *o, FILE *f, const char *type)
{
	struct sift_jw *w = line_begin();

	json_object_set_new(o, "type", json_string(type));
	sift_jw_value(w, o, 0, 0);
	json_decref(o);
	return line_end(w, f);
}

/* NDJSON: one object per line, {"type": ...}. A header line first; each
 * call as soon as it is finished; then the findings; the summary (with the
 * inputs, known only at the end) last. */
enum sift_rc sift_report_ndjson_header(FILE *f)
{
	json_t *h = json_object();

	json_object_set_new(h, "schema", json_string("sipsift.report/1"));
	json_object_set_new(h, "tool", tool_json());
	return line_rc(dump_line(h, f, "header"));
}

/* A stream (s) or a finding (x) as one NDJSON line. */
static int elem_line(const struct sift_report *r, const struct sift_stream *s,
		     const struct sift_finding *x, FILE *f)
{
	struct sift_jw *w = line_begin();
	struct sift_jv v;

	sift_jv_text(&v, w, 0, 0);
	if (s)
		sift_json_stream(&v, r, s, "stream");
	else
		finding_jv(&v, r, x, "finding");
	return line_end(w, f);
}

enum sift_rc sift_report_ndjson_stream(const struct sift_report *r,
				       const struct sift_stream *s, FILE *f)
{
	return line_rc(elem_line(r, s, NULL, f));
}

enum sift_rc sift_report_ndjson_call(const struct sift_report *r,
				     const struct sift_call *c, sift_time now,
				     FILE *f)
{
	return line_rc(call_line(r, c, now, f));
}

/* With a selection, the streams and findings of the calls selected; those
 * of no call only when nothing was selected. */
static bool stream_shown(const struct sift_report *r, const struct sift_stream *s)
{
	return sift_report_shown_id(r, s->call_id);
}

static bool finding_shown(const struct sift_report *r, const struct sift_finding *x)
{
	return sift_report_shown_id(r, x->call_id);
}

static enum sift_rc write_ndjson(const struct sift_report *r, FILE *f)
{
	json_t *sum;
	int k;

	for (size_t i = 0; i < sift_calls_count(r->calls); i++) {
		const struct sift_call *c = sift_calls_get(r->calls, i);

		if (sift_report_shown(r, c) && (k = call_line(r, c, r->end_ts, f)) < 0)
			return line_rc(k);
	}
	for (size_t i = 0; r->media && i < sift_media_count(r->media); i++)
		if (stream_shown(r, sift_media_get(r->media, i)) &&
		    (k = elem_line(r, sift_media_get(r->media, i), NULL, f)) < 0)
			return line_rc(k);
	for (size_t i = 0; i < sift_findings_count(r->findings); i++)
		if (finding_shown(r, sift_findings_get(r->findings, i)) &&
		    (k = elem_line(r, NULL, sift_findings_get(r->findings, i), f)) < 0)
			return line_rc(k);
	sum = summary_json(r);
	json_object_set_new(sum, "inputs", inputs_json(r));
	if ((k = dump_line(sum, f, "summary")) < 0)
		return line_rc(k);
	return fflush(f) == 0 ? SIFT_OK : SIFT_EIO;
}

/* Writes value v as the member "key" of an object indented by `indent`,
 * one value at a time, so the whole report is never held as one tree. The
 * text gathers in w and goes to f in pieces of 64 KB or more. */
static int put_member(struct sift_jw *w, FILE *f, const char *key, json_t *v,
		      bool last, size_t indent)
{
	static const char pad[] = "        ";

	if (indent > sizeof(pad) - 1)
		indent = sizeof(pad) - 1;
	sift_jw_put(w, pad, indent);
	if (key) {
		sift_jw_string(w, key, strlen(key));
		sift_jw_put(w, ": ", 2);
	}
	if (v)
		sift_jw_value(w, v, 2, indent);
	else
		w->failed = true;
	json_decref(v);
	if (last)
		sift_jw_put(w, "\n", 1);
	else
		sift_jw_put(w, ",\n", 2);
	if (w->failed || w->len >= 65536)
		return sift_jw_flush(w, f);
	return 0;
}

/* A call (c), a stream (s) or a finding (x) as an element of "calls",
 * "streams" or "findings", written as it is described. */
static int put_call(struct sift_jw *w, FILE *f, const struct sift_report *r,
		    const struct sift_call *c, const struct sift_stream *s,
		    const struct sift_finding *x, bool last)
{
	struct sift_jv v;

	sift_jw_put(w, "    ", 4);
	sift_jv_text(&v, w, 2, 4);
	if (c)
		call_jv(&v, r, c, r->end_ts, NULL);
	else if (s)
		sift_json_stream(&v, r, s, NULL);
	else
		finding_jv(&v, r, x, NULL);
	sift_jw_put(w, last ? "\n" : ",\n", last ? 1 : 2);
	if (w->failed || w->len >= 65536)
		return sift_jw_flush(w, f);
	return 0;
}

static bool shown(const struct sift_report *r, const struct sift_call *c)
{
	return sift_report_shown(r, c);
}

/* The same document as one tree, for the writers that read the report
 * through it (HTML): only the calls shown, as sift_report_json writes. */
/* A value of the series: -1 (none) as null, else ms with microseconds. */
static json_t *series_ms(float v)
{
	return v < 0 ? json_null() : json_real(round((double)v * 1000.0) / 1000.0);
}

/* A stream's series (stats.h) as parallel arrays, one entry per bucket. */
static json_t *series_json(const struct sift_rtpseries *se)
{
	json_t *o = json_object(), *a[8];
	static const char *const names[8] = {
		"packets", "lost", "seq_errors", "out_of_order", "jitter_ms",
		"max_delta_ms", "rtcp_jitter_ms", "rtcp_lost"
	};

	json_object_set_new(o, "start_ts", ts_json(se->t0));
	json_object_set_new(o, "bucket_ms", json_integer((json_int_t)(se->width / 1000)));
	for (int k = 0; k < 8; k++)
		a[k] = json_array();
	for (uint32_t i = 0; i < se->used && i < SIFT_SERIES_BUCKETS; i++) {
		const struct sift_rtpbucket *b = &se->b[i];

		json_array_append_new(a[0], json_integer(b->packets));
		json_array_append_new(a[1], json_integer(b->lost));
		json_array_append_new(a[2], json_integer(b->seq_errors));
		json_array_append_new(a[3], json_integer(b->out_of_order));
		json_array_append_new(a[4], series_ms(b->jitter_ms));
		json_array_append_new(a[5], series_ms(b->delta_ms));
		json_array_append_new(a[6], series_ms(b->rtcp_jitter_ms));
		json_array_append_new(a[7], b->rtcp_lost < 0 ? json_null() :
				      json_integer(b->rtcp_lost));
	}
	for (int k = 0; k < 8; k++)
		json_object_set_new(o, names[k], a[k]);
	return o;
}

json_t *sift_report_json_doc(const struct sift_report *r, bool series)
{
	json_t *o = json_object(), *streams = json_array(), *fs = json_array();
	struct sift_jv v;

	json_object_set_new(o, "schema", json_string("sipsift.report/1"));
	json_object_set_new(o, "tool", tool_json());
	json_object_set_new(o, "inputs", inputs_json(r));
	json_object_set_new(o, "summary", summary_json(r));
	/* The calls as the JSON report describes them (call_jv), as a tree. */
	sift_jv_tree(&v);
	sift_jv_arr(&v, NULL);
	for (size_t i = 0; i < sift_calls_count(r->calls); i++)
		if (sift_report_shown_id(r, sift_calls_id(r->calls, i)))
			call_jv(&v, r, sift_calls_get(r->calls, i), r->end_ts, NULL);
	sift_jv_end(&v);
	json_object_set_new(o, "calls", v.root);
	for (size_t i = 0; r->media && i < sift_media_count(r->media); i++)
		if (stream_shown(r, sift_media_get(r->media, i))) {
			const struct sift_stream *st = sift_media_get(r->media, i);
			json_t *so;

			sift_jv_tree(&v);
			sift_json_stream(&v, r, st, NULL);
			so = v.root;

			if (series && st->series && !st->rtcp)
				json_object_set_new(so, "series", series_json(st->series));
			json_array_append_new(streams, so);
		}
	json_object_set_new(o, "streams", streams);
	for (size_t i = 0; i < sift_findings_count(r->findings); i++)
		if (finding_shown(r, sift_findings_get(r->findings, i))) {
			sift_jv_tree(&v);
			finding_jv(&v, r, sift_findings_get(r->findings, i), NULL);
			json_array_append_new(fs, v.root);
		}
	json_object_set_new(o, "findings", fs);
	return o;
}

static void puts_jw(struct sift_jw *w, const char *s)
{
	sift_jw_put(w, s, strlen(s));
}

enum sift_rc sift_report_json(const struct sift_report *r, FILE *f,
			      bool ndjson)
{
	struct sift_jw w = {0};
	size_t ncalls = 0, nf = 0, done = 0, fdone = 0, nstreams = 0, sdone = 0;
	int rc = 0;

	if (ndjson)
		return write_ndjson(r, f);
	for (size_t i = 0; i < sift_calls_count(r->calls); i++)
		ncalls += sift_report_shown_id(r, sift_calls_id(r->calls, i));
	sift_jw_put(&w, "{\n", 2);
	rc |= put_member(&w, f, "schema", json_string("sipsift.report/1"), false, 2);
	rc |= put_member(&w, f, "tool", tool_json(), false, 2);
	rc |= put_member(&w, f, "inputs", inputs_json(r), false, 2);
	rc |= put_member(&w, f, "summary", summary_json(r), false, 2);
	puts_jw(&w, ncalls ? "  \"calls\": [\n" : "  \"calls\": [],\n");
	for (size_t i = 0; i < sift_calls_count(r->calls) && !rc; i++) {
		const struct sift_call *c = sift_calls_get(r->calls, i);

		if (shown(r, c))
			rc |= put_call(&w, f, r, c, NULL, NULL, ++done == ncalls);
	}
	if (ncalls)
		puts_jw(&w, "  ],\n");
	for (size_t i = 0; r->media && i < sift_media_count(r->media); i++)
		nstreams += stream_shown(r, sift_media_get(r->media, i));
	puts_jw(&w, nstreams ? "  \"streams\": [\n" : "  \"streams\": [],\n");
	for (size_t i = 0; r->media && i < sift_media_count(r->media) && !rc; i++)
		if (stream_shown(r, sift_media_get(r->media, i)))
			rc |= put_call(&w, f, r, NULL, sift_media_get(r->media, i),
				       NULL, ++sdone == nstreams);
	if (nstreams)
		puts_jw(&w, "  ],\n");
	for (size_t i = 0; i < sift_findings_count(r->findings); i++)
		nf += finding_shown(r, sift_findings_get(r->findings, i));
	puts_jw(&w, nf ? "  \"findings\": [\n" : "  \"findings\": []\n");
	for (size_t i = 0; i < sift_findings_count(r->findings) && !rc; i++)
		if (finding_shown(r, sift_findings_get(r->findings, i)))
			rc |= put_call(&w, f, r, NULL, NULL,
				       sift_findings_get(r->findings, i), ++fdone == nf);
	if (nf)
		puts_jw(&w, "  ]\n");
	puts_jw(&w, "}\n");
	rc |= sift_jw_flush(&w, f);
	free(w.p);
	/* The text could not be made (its buffer, or a jansson value): out of
	 * memory, whatever was written before it. */
	if (w.failed)
		return SIFT_ENOMEM;
	if (rc || ferror(f) || fflush(f) != 0)
		return SIFT_EIO;
	return SIFT_OK;
}
