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

/* A string from packet text may hold any byte: jansson refuses invalid
 * UTF-8 (json_string gives NULL and the field would vanish), so each
 * malformed sequence becomes U+FFFD, as a decoder shows it. Controls are
 * escaped by jansson itself (\u001b). */
static json_t *text_json(const char *s)
{
	json_t *j;
	char *copy;
	size_t n, o = 0;

	if (!s)
		return json_null();
	j = json_string(s);
	if (j)
		return j;
	n = strlen(s);
	/* At most three bytes out for each byte in. */
	copy = malloc(3 * n + 1);
	if (!copy)
		return json_null();
	for (size_t i = 0, len; i < n; i += len) {
		uint32_t cp;

		len = sift_utf8_next(s + i, n - i, &cp);
		if (len) {
			memcpy(copy + o, s + i, len);
			o += len;
		} else {
			memcpy(copy + o, SIFT_UTF8_REPLACEMENT, 3);
			o += 3;
			len = 1;
		}
	}
	copy[o] = '\0';
	j = json_string(copy);
	free(copy);
	return j ? j : json_null();
}

static const char *input_path(const struct sift_report *r, uint32_t file)
{
	return file < r->ninputs ? r->inputs[file].path : "?";
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

		json_object_set_new(o, "file", text_json(in->path));
		json_object_set_new(o, "link_type", link_json(in));
		json_object_set_new(o, "packets", json_integer((json_int_t)in->packets));
		json_object_set_new(o, "bytes", json_integer((json_int_t)in->bytes));
		json_object_set_new(o, "first_ts", in->packets ? ts_json(in->first_ts) : json_null());
		json_object_set_new(o, "last_ts", in->packets ? ts_json(in->last_ts) : json_null());
		json_object_set_new(o, "truncated", json_boolean(in->truncated));
		if (in->error)
			json_object_set_new(o, "error", text_json(in->error));
		if (in->warning)
			json_object_set_new(o, "warning", text_json(in->warning));
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
static json_t *sdp_summary_json(const struct sift_media_sdp *d)
{
	json_t *o = json_object(), *ms = json_array();

	SET_U64(o, "version", d->sess_version);
	for (unsigned i = 0; i < d->nm; i++) {
		const struct sift_media_mline *ml = &d->m[i];
		json_t *m = json_object(), *fmts = json_array(), *cr = json_array();

		json_object_set_new(m, "media", text_json(ml->type));
		json_object_set_new(m, "connection", addr_json(&ml->rtp));
		json_object_set_new(m, "rtcp", ml->rtcp_mux ? json_null() :
					     addr_json(&ml->rtcp));
		json_object_set_new(m, "proto", text_json(ml->proto));
		for (unsigned k = 0; k < ml->nfmt; k++) {
			json_t *f = json_object();

			json_object_set_new(f, "pt", json_integer(ml->fmt[k].pt));
			json_object_set_new(f, "name", ml->fmt[k].name[0] ?
					    text_json(ml->fmt[k].name) : json_null());
			json_object_set_new(f, "rate", ml->fmt[k].rate ?
					    json_integer(ml->fmt[k].rate) : json_null());
			json_array_append_new(fmts, f);
		}
		json_object_set_new(m, "formats", fmts);
		json_object_set_new(m, "direction",
				    json_string(sift_media_dir_str(ml->dir)));
		for (unsigned k = 0; k < ml->ncrypto; k++) {
			json_t *c = json_object();

			json_object_set_new(c, "tag", json_integer(ml->crypto[k].tag));
			json_object_set_new(c, "suite", text_json(ml->crypto[k].suite));
			json_array_append_new(cr, c);
		}
		json_object_set_new(m, "crypto", cr);
		/* RFC 3362: T.38 fax is m=image <port> udptl t38. */
		json_object_set_new(m, "t38", json_boolean(
			strcmp(ml->type, "image") == 0 &&
			strcasecmp(ml->proto, "udptl") == 0));
		json_object_set_new(m, "rtcp_mux", json_boolean(ml->rtcp_mux));
		json_array_append_new(ms, m);
	}
	json_object_set_new(o, "media", ms);
	return o;
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

static json_t *message_json(const struct sift_report *r,
			    const struct sift_msg_rec *m,
			    const struct sift_media_sdp *sdps, size_t nsdps)
{
	json_t *o = json_object();
	const struct sift_media_sdp *d;

	json_object_set_new(o, "file", text_json(input_path(r, m->where.file)));
	SET_U64(o, "frame", m->where.frame);
	json_object_set_new(o, "ts", ts_json(m->where.ts));
	json_object_set_new(o, "src", addr_json(&m->src));
	json_object_set_new(o, "dst", addr_json(&m->dst));
	json_object_set_new(o, "transport", json_string(sift_transport_str(m->transport)));
	if (m->request) {
		json_object_set_new(o, "method", text_json(m->method));
	} else {
		json_object_set_new(o, "status", json_integer(m->status));
		json_object_set_new(o, "reason", text_json(m->reason));
	}
	SET_U64(o, "cseq", m->cseq);
	json_object_set_new(o, "cseq_method", text_json(m->cseq_method));
	json_object_set_new(o, "branch", text_json(m->branch));
	json_object_set_new(o, "retransmission", json_boolean(m->retransmission));
	json_object_set_new(o, "sdp", json_boolean(m->has_sdp));
	/* Who sent it and where the dialog goes (issue #13): what a switch
	 * of phone or a codec mismatch is read from. */
	json_object_set_new(o, "user_agent", text_json(m->user_agent));
	json_object_set_new(o, "contact", text_json(m->contact));
	json_object_set_new(o, "to_tag", text_json(m->to_tag));
	d = m->has_sdp ? sdp_at(sdps, nsdps, &m->where) : NULL;
	json_object_set_new(o, "sdp_summary", d ? sdp_summary_json(d) : json_null());
	if (m->sdp_raw)
		json_object_set_new(o, "sdp_raw", text_json(m->sdp_raw));
	if (m->damaged)
		json_object_set_new(o, "parse_error", json_true());
	return o;
}

static json_t *ts_or_null(sift_time t);

/* Milliseconds to the microsecond: stable across machines' last bits. */
static json_t *ms_json(double ms)
{
	return json_real(round(ms * 1000.0) / 1000.0);
}

/* Two decimals: the E-model's pow/log, stable across libm's last bits. */
static json_t *q_json(double v)
{
	return json_real(round(v * 100.0) / 100.0);
}

/* The stream's G.107 score (media/quality.h), null without one. */
static json_t *quality_json(const struct sift_stream *st)
{
	struct sift_stream_quality sq;
	const struct sift_qcodec_info *ci;
	json_t *o;

	if (!sift_quality_of_stream(st, &sq))
		return json_null();
	ci = sift_qcodec_info(sq.codec);
	o = json_object();
	json_object_set_new(o, "r", q_json(sq.q.r));
	json_object_set_new(o, "mos", q_json(sq.q.mos));
	json_object_set_new(o, "ppl", q_json(sq.ppl));
	json_object_set_new(o, "burst_r", q_json(sq.burst_r));
	SET_U64(o, "jb_late", sq.jb_late);
	SET_U64(o, "jb_ms", sq.jb_ms);
	json_object_set_new(o, "ta_ms", q_json(sq.ta_ms));
	json_object_set_new(o, "rtt_ms", sq.rtt_ms >= 0 ? q_json(sq.rtt_ms) : json_null());
	json_object_set_new(o, "ie_eff", q_json(sq.q.ie_eff));
	json_object_set_new(o, "id", q_json(sq.q.id));
	json_object_set_new(o, "codec_model", json_string(ci->name));
	json_object_set_new(o, "ie", q_json(ci->ie));
	json_object_set_new(o, "bpl", q_json(ci->bpl));
	json_object_set_new(o, "codec_basis", json_string(ci->source));
	return o;
}

/* Every payload type a stream carried (tshark's "g711A, CN"), in order. */
static json_t *pts_json(const struct sift_stream *st)
{
	json_t *pts = json_array();

	for (unsigned i = 0; i < st->npts; i++) {
		json_t *e = json_object();

		json_object_set_new(e, "pt", json_integer(st->pts[i].pt));
		SET_U64(e, "packets", st->pts[i].packets);
		json_array_append_new(pts, e);
	}
	return pts;
}

static json_t *stream_json(const struct sift_report *r,
			   const struct sift_stream *st)
{
	json_t *o = json_object();

	SET_U64(o, "id", st->id);
	json_object_set_new(o, "call_id", text_json(st->call_id));
	json_object_set_new(o, "kind", json_string(st->rtcp ? "rtcp" : "rtp"));
	json_object_set_new(o, "ssrc", json_sprintf("0x%08x", st->ssrc));
	json_object_set_new(o, "src", addr_json(&st->src));
	json_object_set_new(o, "dst", addr_json(&st->dst));
	json_object_set_new(o, "found_by", json_string(st->heuristic ? "heuristic" :
						       st->call_id ? "sdp" : "key"));
	if (!st->rtcp) {
		json_object_set_new(o, "payload_type", json_integer(st->pt));
		json_object_set_new(o, "codec", st->codec[0] ? text_json(st->codec) : json_null());
		json_object_set_new(o, "payload_types", pts_json(st));
	}
	SET_U64(o, "packets", st->packets);
	if (!st->rtcp) {
		const struct sift_rtpstat *rs = &st->rs;

		SET_U64(o, "expected", sift_rtpstat_expected(rs));
		json_object_set_new(o, "lost", json_integer(sift_rtpstat_lost(rs)));
		SET_U64(o, "duplicates", rs->duplicates);
		SET_U64(o, "out_of_order", rs->out_of_order);
		SET_U64(o, "seq_errors", rs->seq_errors);
		json_object_set_new(o, "jitter_ms_max", rs->jitter_n ?
				    ms_json(rs->jitter_max_ms) : json_null());
		json_object_set_new(o, "jitter_ms_mean", rs->jitter_n ?
				    ms_json(rs->jitter_sum_ms / (double)rs->jitter_n) :
				    json_null());
		json_object_set_new(o, "max_delta_ms", ms_json(rs->max_delta_ms));
		SET_U64(o, "markers", rs->markers);
		SET_U64(o, "comfort_noise", st->comfort_noise);
		json_object_set_new(o, "ssrc_change_from", st->follows ?
				    json_integer(st->follows) : json_null());
		json_object_set_new(o, "quality", quality_json(st));
		if (st->peer.reports || st->peer.sender_reports) {
			json_t *x = json_object();

			SET_U64(x, "reports", st->peer.reports);
			json_object_set_new(x, "lost", st->peer.reports ?
					    json_integer(st->peer.lost) : json_null());
			json_object_set_new(x, "fraction_lost", st->peer.reports ?
					    json_real(st->peer.fraction / 256.0) : json_null());
			json_object_set_new(x, "jitter_ms_last", st->peer.jitter_known ?
					    ms_json(st->peer.jitter_ms_last) : json_null());
			json_object_set_new(x, "jitter_ms_max", st->peer.jitter_known ?
					    ms_json(st->peer.jitter_ms_max) : json_null());
			SET_U64(x, "sender_reports", st->peer.sender_reports);
			json_object_set_new(x, "sender_packets", st->peer.sender_reports ?
					    json_integer(st->peer.sender_packets) : json_null());
			SET_U64(x, "rtt_samples", st->rtt.samples);
			json_object_set_new(x, "rtt_ms_last", st->rtt.samples ?
					    ms_json(st->rtt.last_ms) : json_null());
			json_object_set_new(x, "rtt_ms_min", st->rtt.samples ?
					    ms_json(st->rtt.min_ms) : json_null());
			json_object_set_new(x, "rtt_ms_max", st->rtt.samples ?
					    ms_json(st->rtt.max_ms) : json_null());
			json_object_set_new(x, "rtt_ms_mean", st->rtt.samples ?
					    ms_json(st->rtt.sum_ms / (double)st->rtt.samples) :
					    json_null());
			json_object_set_new(o, "rtcp", x);
		} else {
			json_object_set_new(o, "rtcp", json_null());
		}
	} else {
		SET_U64(o, "malformed", st->rtcp_bad);
	}
	json_object_set_new(o, "first_ts", ts_json(st->first_ts));
	json_object_set_new(o, "last_ts", ts_json(st->last_ts));
	if (st->srtp) {
		json_t *x = json_object();
		const char *suite = sift_suite_name(st->suite);

		json_object_set_new(x, "suite", suite ? json_string(suite) : json_null());
		json_object_set_new(x, "crypto_tag", st->decrypted ? json_integer(st->crypto_tag) : json_null());
		/* A key given by hand (--key) came in no frame: null. */
		if (st->decrypted && st->sdp_frame.frame) {
			json_t *fr = json_object();

			json_object_set_new(fr, "file", text_json(input_path(r, st->sdp_frame.file)));
			SET_U64(fr, "frame", st->sdp_frame.frame);
			json_object_set_new(x, "sdp_frame", fr);
		} else {
			json_object_set_new(x, "sdp_frame", json_null());
		}
		json_object_set_new(x, "mki", json_boolean(st->mki));
		SET_U64(x, "roc", st->roc);
		SET_U64(x, "decrypted", st->decrypted);
		SET_U64(x, "auth_failures", st->auth_failures);
		SET_U64(x, "replay_drops", st->replay_drops);
		SET_U64(x, "failed_before_key", st->before_key);
		SET_U64(x, "rekeys", st->rekeys);
		SET_U64(x, "unprotected", st->plain);
		json_object_set_new(x, "key", json_string(st->decrypted ? "found" :
							  st->no_key ? "none" : "failed"));
		json_object_set_new(o, "srtp", x);
	} else {
		json_object_set_new(o, "srtp", json_null());
	}
	{
		const char *wav = sift_audio_stream_wav(r->audio, st->id);
		const char *note = sift_audio_stream_note(r->audio, st->id);

		/* Only readable RTP reaches the audio export: say why an
		 * SRTP stream that never decrypted has no file. */
		if (r->audio && !wav && !note && !st->rtcp && st->srtp &&
		    !st->decrypted)
			note = "SRTP not decrypted";
		json_object_set_new(o, "wav", wav ? text_json(wav) : json_null());
		if (note && !wav)
			json_object_set_new(o, "wav_note", json_string(note));
	}
	return o;
}

static json_t *ts_or_null(sift_time t)
{
	return t ? ts_json(t) : json_null();
}

static json_t *ms_or_null(int64_t v)
{
	return v >= 0 ? json_integer((json_int_t)v) : json_null();
}

static json_t *dtmf_json(const struct sift_report *r, const struct sift_call *c)
{
	json_t *a = json_array();
	const struct sift_dtmf_event *ev;
	size_t n;

	ev = sift_dtmf_events(r->dtmf, c, &n);
	for (size_t i = 0; i < n; i++) {
		const struct sift_dtmf_event *e = &ev[i];
		json_t *o = json_object();

		json_object_set_new(o, "digit", json_string(e->digit));
		if (sift_dtmf_event_name(e->digit))
			json_object_set_new(o, "name",
					    json_string(sift_dtmf_event_name(e->digit)));
		json_object_set_new(o, "ts", ts_json(e->where.ts));
		json_object_set_new(o, "duration_ms", ms_or_null(e->duration_ms));
		json_object_set_new(o, "source", json_string(sift_dtmf_source_str(e->source)));
		json_object_set_new(o, "stream", e->stream ? json_integer(e->stream) : json_null());
		json_object_set_new(o, "src", addr_json(&e->src));
		json_object_set_new(o, "dst", addr_json(&e->dst));
		json_object_set_new(o, "volume", e->volume >= 0 ? json_integer(e->volume) : json_null());
		json_object_set_new(o, "ended", json_boolean(e->ended));
		json_object_set_new(o, "file", text_json(input_path(r, e->where.file)));
		SET_U64(o, "frame", e->where.frame);
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *call_json(const struct sift_report *r, const struct sift_call *c,
			 sift_time now)
{
	json_t *o = json_object(), *msgs = json_array(), *tps = json_array();
	json_t *dlg = json_array();
	struct sift_call_outcome out;

	sift_call_outcome(c, now, &out);
	SET_U64(o, "index", c->index);
	json_object_set_new(o, "call_id", text_json(c->call_id));
	json_object_set_new(o, "kind", text_json(c->kind));
	json_object_set_new(o, "from", text_json(c->from));
	json_object_set_new(o, "to", text_json(c->to));
	json_object_set_new(o, "state", json_string(sift_call_state_str(out.state)));
	json_object_set_new(o, "final_status",
			    out.final_status ? json_integer(out.final_status) : json_null());
	json_object_set_new(o, "reason", text_json(out.reason));
	json_object_set_new(o, "start_ts", ts_or_null(out.start_ts));
	json_object_set_new(o, "answer_ts", ts_or_null(out.answer_ts));
	json_object_set_new(o, "end_ts", ts_or_null(out.end_ts));
	json_object_set_new(o, "setup_ms", ms_or_null(out.setup_ms));
	json_object_set_new(o, "duration_ms", ms_or_null(out.duration_ms));
	for (int t = 0; t < SIFT_TP_COUNT; t++)
		if (c->transports & (1u << t))
			json_array_append_new(tps, json_string(sift_transport_str((enum sift_transport)t)));
	json_object_set_new(o, "transports", tps);
	for (size_t i = 0; i < c->ndialogs; i++) {
		json_t *d = json_object();

		json_object_set_new(d, "from_tag", text_json(c->dialogs[i].from_tag));
		json_object_set_new(d, "to_tag", text_json(c->dialogs[i].to_tag));
		json_object_set_new(d, "state", json_string(sift_dialog_state_str(c->dialogs[i].state)));
		json_array_append_new(dlg, d);
	}
	json_object_set_new(o, "dialogs", dlg);
	if (r->media) {
		json_t *ids = json_array();

		size_t n;
		const struct sift_stream *const *sv =
			sift_media_call_streams(r->media, c, &n);

		for (size_t i = 0; i < n; i++)
			json_array_append_new(ids, json_integer(sv[i]->id));
		json_object_set_new(o, "streams", ids);
	}
	json_object_set_new(o, "dtmf", dtmf_json(r, c));
	{
		size_t nsdps = 0;
		const struct sift_media_sdp *sdps =
			r->media ? sift_media_call_sdps(r->media, c, &nsdps, NULL) : NULL;

		for (size_t i = 0; i < c->nmsgs; i++)
			json_array_append_new(msgs, message_json(r, &c->msgs[i],
								 sdps, nsdps));
	}
	json_object_set_new(o, "messages", msgs);
	if (c->dropped)
		SET_U64(o, "dropped", c->dropped);
	return o;
}

static json_t *finding_json(const struct sift_report *r,
			    const struct sift_finding *f)
{
	json_t *o = json_object(), *fr = json_array();

	json_object_set_new(o, "rule", json_string(f->rule));
	json_object_set_new(o, "severity", json_string(sift_severity_str(f->severity)));
	json_object_set_new(o, "rfc", json_string(f->rfc));
	json_object_set_new(o, "call_id", text_json(f->call_id));
	for (unsigned i = 0; i < f->nframes; i++) {
		json_t *x = json_object();

		json_object_set_new(x, "file", text_json(input_path(r, f->frames[i].file)));
		SET_U64(x, "frame", f->frames[i].frame);
		json_array_append_new(fr, x);
	}
	json_object_set_new(o, "frames", fr);
	json_object_set_new(o, "message", text_json(f->message));
	return o;
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
	int rc;

	json_object_set_new(o, "type", json_string(type));
	rc = json_dumpf(o, f, DUMP_FLAGS | JSON_COMPACT);
	json_decref(o);
	if (rc == 0 && fputc('\n', f) == EOF)
		rc = -1;
	return rc;
}

/* NDJSON: one object per line, {"type": ...}. A header line first; each
 * call as soon as it is finished; then the findings; the summary (with the
 * inputs, known only at the end) last. */
enum sift_rc sift_report_ndjson_header(FILE *f)
{
	json_t *h = json_object();

	json_object_set_new(h, "schema", json_string("sipsift.report/1"));
	json_object_set_new(h, "tool", tool_json());
	return dump_line(h, f, "header") < 0 ? SIFT_EIO : SIFT_OK;
}

enum sift_rc sift_report_ndjson_stream(const struct sift_report *r,
				       const struct sift_stream *s, FILE *f)
{
	return dump_line(stream_json(r, s), f, "stream") < 0 ? SIFT_EIO : SIFT_OK;
}

enum sift_rc sift_report_ndjson_call(const struct sift_report *r,
				     const struct sift_call *c, sift_time now,
				     FILE *f)
{
	return dump_line(call_json(r, c, now), f, "call") < 0 ? SIFT_EIO : SIFT_OK;
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

	for (size_t i = 0; i < sift_calls_count(r->calls); i++) {
		const struct sift_call *c = sift_calls_get(r->calls, i);

		if (!sift_report_shown(r, c))
			continue;
		if (dump_line(call_json(r, c, r->end_ts), f, "call") < 0)
			return SIFT_EIO;
	}
	for (size_t i = 0; r->media && i < sift_media_count(r->media); i++)
		if (stream_shown(r, sift_media_get(r->media, i)) &&
		    dump_line(stream_json(r, sift_media_get(r->media, i)), f, "stream") < 0)
			return SIFT_EIO;
	for (size_t i = 0; i < sift_findings_count(r->findings); i++)
		if (finding_shown(r, sift_findings_get(r->findings, i)) &&
		    dump_line(finding_json(r, sift_findings_get(r->findings, i)), f, "finding") < 0)
			return SIFT_EIO;
	sum = summary_json(r);
	json_object_set_new(sum, "inputs", inputs_json(r));
	if (dump_line(sum, f, "summary") < 0)
		return SIFT_EIO;
	return fflush(f) == 0 ? SIFT_OK : SIFT_EIO;
}

/* Writes value v as the member "key" of an object indented by two, from
 * jansson's own indented dump: one value at a time, so the whole report is
 * never held as one tree. */
static int put_member(FILE *f, const char *key, json_t *v, bool last,
		      size_t indent)
{
	char *s = json_dumps(v, DUMP_FLAGS | JSON_INDENT(2) | JSON_ENCODE_ANY);
	int rc = 0;

	json_decref(v);
	if (!s)
		return -1;
	static const char pad[] = "        ";
	size_t len, lines = 0;
	char *buf, *o;

	if (indent > sizeof(pad) - 1)
		indent = sizeof(pad) - 1;
	fwrite(pad, 1, indent, f);
	if (key)
		fprintf(f, "\"%s\": ", key);
	/* Each new line gets the indent: copied once into a buffer and
	 * written with one call (a line per fwrite cost a tenth of a run). */
	len = strlen(s);
	for (const char *p = s; (p = memchr(p, '\n', len - (size_t)(p - s))); p++)
		lines++;
	buf = malloc(len + lines * indent + 1);
	if (!buf) {
		free(s);
		return -1;
	}
	o = buf;
	for (const char *p = s, *end = s + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);

		memcpy(o, p, n);
		o += n;
		if (nl) {
			memcpy(o, pad, indent);
			o += indent;
		}
		p += n;
	}
	fwrite(buf, 1, (size_t)(o - buf), f);
	free(buf);
	fputs(last ? "\n" : ",\n", f);
	free(s);
	if (ferror(f))
		rc = -1;
	return rc;
}

static bool shown(const struct sift_report *r, const struct sift_call *c)
{
	return sift_report_shown(r, c);
}

/* The same document as one tree, for the writers that read the report
 * through it (HTML): only the calls shown, as sift_report_json writes. */
json_t *sift_report_json_doc(const struct sift_report *r)
{
	json_t *o = json_object(), *calls = json_array(), *streams = json_array();
	json_t *fs = json_array();

	json_object_set_new(o, "schema", json_string("sipsift.report/1"));
	json_object_set_new(o, "tool", tool_json());
	json_object_set_new(o, "inputs", inputs_json(r));
	json_object_set_new(o, "summary", summary_json(r));
	for (size_t i = 0; i < sift_calls_count(r->calls); i++)
		if (shown(r, sift_calls_get(r->calls, i)))
			json_array_append_new(calls, call_json(r, sift_calls_get(r->calls, i),
							       r->end_ts));
	json_object_set_new(o, "calls", calls);
	for (size_t i = 0; r->media && i < sift_media_count(r->media); i++)
		if (stream_shown(r, sift_media_get(r->media, i)))
			json_array_append_new(streams, stream_json(r, sift_media_get(r->media, i)));
	json_object_set_new(o, "streams", streams);
	for (size_t i = 0; i < sift_findings_count(r->findings); i++)
		if (finding_shown(r, sift_findings_get(r->findings, i)))
			json_array_append_new(fs, finding_json(r, sift_findings_get(r->findings, i)));
	json_object_set_new(o, "findings", fs);
	return o;
}

enum sift_rc sift_report_json(const struct sift_report *r, FILE *f,
			      bool ndjson)
{
	size_t ncalls = 0, nf = 0, done = 0, fdone = 0;
	int rc = 0;

	if (ndjson)
		return write_ndjson(r, f);
	for (size_t i = 0; i < sift_calls_count(r->calls); i++)
		ncalls += shown(r, sift_calls_get(r->calls, i));
	fputs("{\n", f);
	rc |= put_member(f, "schema", json_string("sipsift.report/1"), false, 2);
	rc |= put_member(f, "tool", tool_json(), false, 2);
	rc |= put_member(f, "inputs", inputs_json(r), false, 2);
	rc |= put_member(f, "summary", summary_json(r), false, 2);
	fputs(ncalls ? "  \"calls\": [\n" : "  \"calls\": [],\n", f);
	for (size_t i = 0; i < sift_calls_count(r->calls) && !rc; i++) {
		const struct sift_call *c = sift_calls_get(r->calls, i);

		if (shown(r, c))
			rc |= put_member(f, NULL, call_json(r, c, r->end_ts),
					 ++done == ncalls, 4);
	}
	if (ncalls)
		fputs("  ],\n", f);
	{
		json_t *streams = json_array();

		for (size_t i = 0; r->media && i < sift_media_count(r->media); i++)
			if (stream_shown(r, sift_media_get(r->media, i)))
				json_array_append_new(streams, stream_json(r, sift_media_get(r->media, i)));
		rc |= put_member(f, "streams", streams, false, 2);
	}
	for (size_t i = 0; i < sift_findings_count(r->findings); i++)
		nf += finding_shown(r, sift_findings_get(r->findings, i));
	fputs(nf ? "  \"findings\": [\n" : "  \"findings\": []\n", f);
	for (size_t i = 0; i < sift_findings_count(r->findings) && !rc; i++)
		if (finding_shown(r, sift_findings_get(r->findings, i)))
			rc |= put_member(f, NULL, finding_json(r, sift_findings_get(r->findings, i)),
					 ++fdone == nf, 4);
	if (nf)
		fputs("  ]\n", f);
	fputs("}\n", f);
	if (rc || ferror(f) || fflush(f) != 0)
		return SIFT_EIO;
	return SIFT_OK;
}
