/* sipsift — a stream in the JSON report (report_json.c's "streams", the
 * NDJSON "stream" lines, the HTML report's tree): its RTP statistics, the
 * G.107 score, what RTCP said, its SRTP. */
#include <math.h>
#include <stdio.h>

#include "media/audio.h"
#include "media/quality.h"
#include "report/report_int.h"
#include "report/report_json_int.h"
#include "report/report_json_write.h"
#include "sip/sdes.h"
#include "sipsift/report.h"

/* Milliseconds to the microsecond: stable across machines' last bits. */
static void ms_jv(struct sift_jv *v, const char *key, double ms)
{
	sift_jv_real(v, key, round(ms * 1000.0) / 1000.0);
}

/* Two decimals: the E-model's pow/log, stable across libm's last bits. */
static void q_jv(struct sift_jv *v, const char *key, double x)
{
	sift_jv_real(v, key, round(x * 100.0) / 100.0);
}

/* The stream's G.107 score (media/quality.h), null without one. */
static void quality_jv(struct sift_jv *v, const struct sift_stream *st)
{
	struct sift_stream_quality sq;
	const struct sift_qcodec_info *ci;

	if (!sift_quality_of_stream(st, &sq)) {
		sift_jv_null(v, "quality");
		return;
	}
	ci = sift_qcodec_info(sq.codec);
	sift_jv_obj(v, "quality");
	q_jv(v, "r", sq.q.r);
	q_jv(v, "mos", sq.q.mos);
	q_jv(v, "ppl", sq.ppl);
	q_jv(v, "burst_r", sq.burst_r);
	sift_jv_int(v, "jb_late", (long long)sq.jb_late);
	sift_jv_int(v, "jb_ms", (long long)sq.jb_ms);
	q_jv(v, "ta_ms", sq.ta_ms);
	if (sq.rtt_ms >= 0)
		q_jv(v, "rtt_ms", sq.rtt_ms);
	else
		sift_jv_null(v, "rtt_ms");
	q_jv(v, "ie_eff", sq.q.ie_eff);
	q_jv(v, "id", sq.q.id);
	sift_jv_text_str(v, "codec_model", ci->name);
	q_jv(v, "ie", ci->ie);
	q_jv(v, "bpl", ci->bpl);
	sift_jv_text_str(v, "codec_basis", ci->source);
	sift_jv_end(v);
}

/* Every payload type a stream carried (tshark's "g711A, CN"), in order. */
static void pts_jv(struct sift_jv *v, const struct sift_stream *st)
{
	sift_jv_arr(v, "payload_types");
	for (unsigned i = 0; i < st->npts; i++) {
		sift_jv_obj(v, NULL);
		sift_jv_int(v, "pt", st->pts[i].pt);
		sift_jv_int(v, "packets", (long long)st->pts[i].packets);
		sift_jv_end(v);
	}
	sift_jv_end(v);
}

/* ms as a number when known, else null. */
static void ms_if_jv(struct sift_jv *v, const char *key, bool known, double ms)
{
	if (known)
		ms_jv(v, key, ms);
	else
		sift_jv_null(v, key);
}

/* n as a number when known, else null. */
static void int_if_jv(struct sift_jv *v, const char *key, bool known, long long n)
{
	if (known)
		sift_jv_int(v, key, n);
	else
		sift_jv_null(v, key);
}

/* What RTCP said of an RTP stream (its peer's reports), or null. */
static void rtcp_jv(struct sift_jv *v, const struct sift_stream *st)
{
	if (!st->peer.reports && !st->peer.sender_reports) {
		sift_jv_null(v, "rtcp");
		return;
	}
	sift_jv_obj(v, "rtcp");
	sift_jv_int(v, "reports", (long long)st->peer.reports);
	int_if_jv(v, "lost", st->peer.reports, st->peer.lost);
	if (st->peer.reports)
		sift_jv_real(v, "fraction_lost", st->peer.fraction / 256.0);
	else
		sift_jv_null(v, "fraction_lost");
	ms_if_jv(v, "jitter_ms_last", st->peer.jitter_known, st->peer.jitter_ms_last);
	ms_if_jv(v, "jitter_ms_max", st->peer.jitter_known, st->peer.jitter_ms_max);
	sift_jv_int(v, "sender_reports", (long long)st->peer.sender_reports);
	int_if_jv(v, "sender_packets", st->peer.sender_reports,
		  (long long)st->peer.sender_packets);
	sift_jv_int(v, "rtt_samples", (long long)st->rtt.samples);
	ms_if_jv(v, "rtt_ms_last", st->rtt.samples, st->rtt.last_ms);
	ms_if_jv(v, "rtt_ms_min", st->rtt.samples, st->rtt.min_ms);
	ms_if_jv(v, "rtt_ms_max", st->rtt.samples, st->rtt.max_ms);
	ms_if_jv(v, "rtt_ms_mean", st->rtt.samples,
		 st->rtt.samples ? st->rtt.sum_ms / (double)st->rtt.samples : 0);
	sift_jv_end(v);
}

/* An SRTP stream's decryption, or null. */
static void srtp_jv(struct sift_jv *v, const struct sift_report *r,
		    const struct sift_stream *st)
{
	const char *suite;

	if (!st->srtp) {
		sift_jv_null(v, "srtp");
		return;
	}
	suite = sift_suite_name(st->suite);
	sift_jv_obj(v, "srtp");
	sift_jv_text_str(v, "suite", suite);
	int_if_jv(v, "crypto_tag", st->decrypted, st->crypto_tag);
	/* A key given by hand (--key) came in no frame: null. */
	if (st->decrypted && st->sdp_frame.frame) {
		sift_jv_obj(v, "sdp_frame");
		sift_jv_text_str(v, "file", sift_input_path(r, st->sdp_frame.file));
		sift_jv_int(v, "frame", (long long)st->sdp_frame.frame);
		sift_jv_end(v);
	} else {
		sift_jv_null(v, "sdp_frame");
	}
	sift_jv_bool(v, "mki", st->mki);
	sift_jv_int(v, "roc", (long long)st->roc);
	sift_jv_int(v, "decrypted", (long long)st->decrypted);
	sift_jv_int(v, "auth_failures", (long long)st->auth_failures);
	sift_jv_int(v, "replay_drops", (long long)st->replay_drops);
	sift_jv_int(v, "failed_before_key", (long long)st->before_key);
	sift_jv_int(v, "rekeys", (long long)st->rekeys);
	sift_jv_int(v, "unprotected", (long long)st->plain);
	sift_jv_text_str(v, "key", st->decrypted ? "found" :
			 st->no_key ? "none" : "failed");
	sift_jv_end(v);
}

void sift_json_stream(struct sift_jv *v, const struct sift_report *r,
		      const struct sift_stream *st, const char *type)
{
	const char *wav = sift_audio_stream_wav(r->audio, st->id);
	const char *note = sift_audio_stream_note(r->audio, st->id);
	char ssrc[16];

	sift_jv_obj(v, NULL);
	sift_jv_int(v, "id", (long long)st->id);
	sift_jv_text_str(v, "call_id", st->call_id);
	sift_jv_text_str(v, "kind", st->rtcp ? "rtcp" : "rtp");
	snprintf(ssrc, sizeof(ssrc), "0x%08x", st->ssrc);
	sift_jv_text_str(v, "ssrc", ssrc);
	sift_jv_addr(v, "src", &st->src);
	sift_jv_addr(v, "dst", &st->dst);
	sift_jv_text_str(v, "found_by", st->heuristic ? "heuristic" :
			 st->call_id ? "sdp" : "key");
	if (!st->rtcp) {
		sift_jv_int(v, "payload_type", st->pt);
		sift_jv_text_str(v, "codec", st->codec[0] ? st->codec : NULL);
		pts_jv(v, st);
	}
	sift_jv_int(v, "packets", (long long)st->packets);
	if (!st->rtcp) {
		const struct sift_rtpstat *rs = &st->rs;

		sift_jv_int(v, "expected", (long long)sift_rtpstat_expected(rs));
		sift_jv_int(v, "lost", sift_rtpstat_lost(rs));
		sift_jv_int(v, "duplicates", (long long)rs->duplicates);
		sift_jv_int(v, "out_of_order", (long long)rs->out_of_order);
		sift_jv_int(v, "seq_errors", (long long)rs->seq_errors);
		ms_if_jv(v, "jitter_ms_max", rs->jitter_n, rs->jitter_max_ms);
		ms_if_jv(v, "jitter_ms_mean", rs->jitter_n, rs->jitter_n ?
			 rs->jitter_sum_ms / (double)rs->jitter_n : 0);
		ms_jv(v, "max_delta_ms", rs->max_delta_ms);
		sift_jv_int(v, "markers", (long long)rs->markers);
		sift_jv_int(v, "comfort_noise", (long long)st->comfort_noise);
		int_if_jv(v, "ssrc_change_from", st->follows,
			  (long long)st->follows);
		quality_jv(v, st);
		rtcp_jv(v, st);
	} else {
		sift_jv_int(v, "malformed", (long long)st->rtcp_bad);
	}
	sift_jv_ts(v, "first_ts", st->first_ts);
	sift_jv_ts(v, "last_ts", st->last_ts);
	srtp_jv(v, r, st);
	/* Only readable RTP reaches the audio export: say why an SRTP
	 * stream that never decrypted has no file. */
	if (r->audio && !wav && !note && !st->rtcp && st->srtp && !st->decrypted)
		note = "SRTP not decrypted";
	sift_jv_text_str(v, "wav", wav);
	if (note && !wav)
		sift_jv_text_str(v, "wav_note", note);
	if (type)
		sift_jv_text_str(v, "type", type);
	sift_jv_end(v);
}
