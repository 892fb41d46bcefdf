/* sipsift — the pipeline: link/IP/transport decoding, TCP reassembly, SIP
 * framing and parsing, grouping by call. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "media/srtp.h"
#include "sipsift/dtmf.h"
#include "lint/lint.h"
#include "lint/lint_media.h"
#include "net/link.h"
#include "sipsift/media.h"
#include "net/net.h"
#include "capture/pcap_write.h"
#include "pipeline.h"
#include "net/sctp_reasm.h"
#include "sip/sip_frame.h"
#include "sip/sdp.h"
#include "sip/sip_msg.h"
#include "sip/start_line.h"
#include "net/tcp_reasm.h"
#include "pipeline_tls.h"
#include "pipeline_caps.h"
#include "pipeline_int.h"
#include "tls/tls.h"

/* Expiry of fragments, TCP state and calls runs every this much capture
 * time (a test build may set SIFT_TEST_EXPIRE_EVERY: 0 is every packet). */
#ifdef SIFT_TEST_EXPIRE_EVERY
#define EXPIRE_EVERY SIFT_TEST_EXPIRE_EVERY
#else
#define EXPIRE_EVERY (1 * SIFT_USEC)
#endif
#define SIP_PORT 5060
#define SIPS_PORT 5061


/* Per TCP direction: its SIP framer. */
struct tcp_user {
	struct sift_sip_stream *s;
	bool counted;      /* its TLS or WebSocket flow has been counted */
	struct sift_addr src;     /* the direction, for a message cut at its end */
	struct sift_addr dst;
	struct sift_where fed;    /* the last segment fed */
	struct sift_where last;   /* the last message framed ... */
	char *last_call_id;       /* ... and its Call-ID, for framing findings */
	bool started;             /* its first payload has been looked at */
	struct sift_tls_side *tls; /* read as TLS: its side, or NULL */
};

/* What the SIP framer's emit callback needs to know of the packet. */
struct emit_ctx {
	struct sift_pipeline *pl;
	const struct sift_addr *src;
	const struct sift_addr *dst;
	struct tcp_user *u;
	enum sift_transport tp;   /* TCP, or TLS for decrypted bytes */
};

static void record_parse_error(struct sift_pipeline *pl, const uint8_t *p,
			       size_t n, const struct sift_where *w,
			       const struct sift_addr *src,
			       const struct sift_addr *dst,
			       enum sift_transport tp, enum sift_sip_err why)
{
	const uint8_t *v = NULL;
	size_t vlen = 0;
	char *cid = NULL;

	if (sift_sip_raw_header(p, n, "call-id", "i", &v, &vlen) && vlen) {
		cid = strndup((const char *)v, vlen);
		if (!cid)
			pl->oom = true;
		/* A message that is not our call's does not belong in a
		 * report restricted to one call. */
		if (pl->o.call_id && (!cid || strcmp(cid, pl->o.call_id) != 0)) {
			free(cid);
			return;
		}
	} else if (pl->o.call_id) {
		return;
	}
	if (pl->o.on_sip) {
		struct sift_sip_tap t = { p, n, cid, false, w, src, dst, tp };

		pl->o.on_sip(pl->o.on_sip_ctx, &t);
	}
	pl->r.sum.sip_messages++;
	pl->r.sum.sip_parse_errors++;
	if (pl->lint_any) {
		struct sift_lint_msg lm = { NULL, p, n, why, cid, tp, *w, NULL };

		sift_lint_message(&pl->lint, &lm, pl->r.findings);
	}
	if (cid && *cid) {
		/* Show it in its call too, as far as its start line says. */
		char method[33] = "";
		int status = 0;

		sift_sip_start_line_what(p, n, method, sizeof(method),
					 &status);
		if (sift_calls_add_damaged(pl->r.calls, cid, status ? NULL : method,
					   status, w, src, dst, tp) == SIFT_ENOMEM)
			pl->oom = true;
	}
	free(cid);
}

/* Parses one framed message and hands it on. Returns its Call-ID (a
 * malloc'd copy) when the caller asks for it. */
static void handle_sip(struct sift_pipeline *pl, const uint8_t *p, size_t n,
		       const struct sift_where *w, const struct sift_addr *src,
		       const struct sift_addr *dst, enum sift_transport tp,
		       char **call_id)
{
	struct sift_sip_msg *m = NULL;
	const struct sift_syn *syn = NULL;
	struct sift_call *c;
	struct sift_lint_msg lm;
	enum sift_sip_err why;
	enum sift_rc rc;

	/* Key scan: only the keys, read without the parser. */
	if (pl->o.keyscan) {
		if (w->ts < pl->o.keys_from)
			return;
		if (sift_media_book_message(pl->media, p, n, w,
					    pl->o.call_id) == SIFT_ENOMEM)
			pl->oom = true;
		return;
	}
	/* A TCP segment's message comes from the stream's buffer, a copy. */
	if (pl->pre && n == pl->pre_n &&
	    (p == pl->pre_p || memcmp(p, pl->pre_p, n) == 0)) {
		m = pl->pre;
		syn = pl->pre_syn;
		pl->pre = NULL;
		rc = SIFT_OK;
	} else {
		rc = sift_sip_parse(p, n, &m, &why);
	}
	if (rc == SIFT_ENOMEM) {
		pl->oom = true;
		return;
	}
	if (rc != SIFT_OK) {
		record_parse_error(pl, p, n, w, src, dst, tp, why);
		return;
	}
	if (pl->o.call_id && strcmp(m->call_id, pl->o.call_id) != 0)
		goto out;
	if (pl->o.on_sip) {
		struct sift_sip_tap t = { p, n, m->call_id, true, w, src, dst, tp };

		pl->o.on_sip(pl->o.on_sip_ctx, &t);
	}
	pl->r.sum.sip_messages++;
	if (m->request)
		pl->r.sum.sip_requests++;
	else
		pl->r.sum.sip_responses++;
	memset(&lm, 0, sizeof(lm));
	lm.m = m;
	lm.tp = tp;
	lm.where = *w;
	lm.syn = syn;
	if (pl->lint_any)
		sift_lint_message(&pl->lint, &lm, pl->r.findings);
	/* A cap that dropped the message is counted by the calls stage;
	 * memory that ran out is the packet's error. */
	if (sift_calls_add(pl->r.calls, m, w, src, dst, tp) == SIFT_ENOMEM)
		pl->oom = true;
	/* What later stages learn of the call hangs off it (none when the
	 * call cap left it out). */
	c = sift_calls_lookup(pl->r.calls, m->call_id);
	/* Offer and answer (RFC 3264) name the media and its keys. */
	if (m->body_len && m->content_type &&
	    strcmp(m->content_type, "application/sdp") == 0) {
		if (c)
			sift_media_sdp(pl->media, c, m->body, m->body_len, w);
		/* decrypt -w: the SDP too must say the media is plain. The
		 * whole datagram is the message (UDP only: a stream cannot
		 * change length in place). */
		if (pl->out && tp == SIFT_TP_UDP && pl->datagram == p)
			pl->plain_len = sift_media_plain_sip(p, n,
				(size_t)(m->body - m->raw), pl->plain,
				sizeof(pl->plain));
	}
	/* DTMF in INFO requests, counted once: a retransmission or the next
	 * hop of a proxy repeats the digit (same From tag and CSeq), it does
	 * not press it again; the store tells them apart. */
	if (c && m->request && m->method && strcmp(m->method, "INFO") == 0 &&
	    m->body_len && m->content_type)
		sift_dtmf_info(pl->dtmf, c, m->content_type, m->body,
			       m->body_len, m->from_tag, m->cseq, src, dst, w);
	if (call_id && (!*call_id || strcmp(*call_id, m->call_id) != 0)) {
		free(*call_id);
		*call_id = strdup(m->call_id);
		if (!*call_id)
			pl->oom = true;
	}
out:
	sift_sip_msg_free(m);
}

static void handle_datagram(struct sift_pipeline *pl, const uint8_t *p,
			    size_t n, bool cut, const struct sift_where *w,
			    const struct sift_addr *src,
			    const struct sift_addr *dst, enum sift_transport tp);

static void emit_msg(void *ctx, const uint8_t *msg, size_t len,
		     const struct sift_where *where)
{
	struct emit_ctx *e = ctx;

	/* A WebSocket message is like a datagram: it may hold anything.
	 * Inside TLS it is wss (RFC 7118 §5). */
	if (sift_sip_stream_kind(e->u->s) == SIFT_STREAM_WS) {
		handle_datagram(e->pl, msg, len, false, where, e->src, e->dst,
				e->tp == SIFT_TP_TLS ? SIFT_TP_WSS : SIFT_TP_WS);
		return;
	}
	e->u->last = *where;
	handle_sip(e->pl, msg, len, where, e->src, e->dst, e->tp,
		   &e->u->last_call_id);
}

/* A message the framer gave up (a cap): counted, and a finding. */
static void frame_drop(void *ctx, const struct sift_sip_drop *d)
{
	struct emit_ctx *e = ctx;
	struct sift_pipeline *pl = e->pl;

	pl->r.caps.n[d->why >= SIFT_SIP_DROP_WS_FRAME ? SIFT_CAP_WS_OVERSIZE :
			SIFT_CAP_SIP_OVERSIZE]++;
	if (sift_pipeline_sip_drop(&pl->lint, pl->o.call_id, d,
				   pl->r.findings) == SIFT_ENOMEM)
		pl->oom = true;
}

/* Bytes of one direction, plain (TCP) or decrypted (TLS), through its SIP
 * framer. */
static enum sift_stream_kind frame_bytes(struct sift_pipeline *pl,
					 struct tcp_user *u, const uint8_t *p,
					 size_t n, const struct sift_where *where,
					 enum sift_transport tp)
{
	struct emit_ctx e = { pl, &u->src, &u->dst, u, tp };
	const struct sift_sip_stream_stats *st = sift_sip_stream_stats(u->s);
	uint64_t misframed = st->misframed;
	enum sift_stream_kind k;

	u->fed = *where;
	k = sift_sip_stream_feed(u->s, p, n, where, emit_msg, &e);
	if (st->nomem)
		pl->oom = true;
	if (st->misframed != misframed &&
	    (!pl->o.call_id || (u->last_call_id &&
				strcmp(u->last_call_id, pl->o.call_id) == 0)))
		sift_lint_stream_framing(&pl->lint, u->last_call_id, &u->last,
					 "what follows this message on the stream is no SIP message: its Content-Length is too small, and the receiver misreads the rest as a new message",
					 pl->r.findings);
	return k;
}

/* Decrypted application data of one direction: framed as TCP SIP is. */
static void tls_plain(void *ctx, void *user, const uint8_t *p, size_t n,
		      const struct sift_where *w)
{
	struct sift_pipeline *pl = ctx;
	struct tcp_user *u = user;

	if (sift_sip_stream_kind(u->s) == SIFT_STREAM_TLS ||
	    sift_sip_stream_kind(u->s) == SIFT_STREAM_OTHER)
		return;
	/* SIP over secure WebSocket (wss) is WebSocket inside. */
	if (frame_bytes(pl, u, p, n, w, SIFT_TP_TLS) == SIFT_STREAM_WS &&
	    !u->counted) {
		pl->r.sum.websocket_flows++;
		u->counted = true;
	}
}

static bool tcp_data(void *ctx, void **user, const struct sift_addr *src,
		     const struct sift_addr *dst, const uint8_t *p, size_t n,
		     const struct sift_where *where)
{
	struct sift_pipeline *pl = ctx;
	struct tcp_user *u = *user;
	enum sift_stream_kind k;

	if (!u) {
		u = calloc(1, sizeof(*u));
		if (!u) {
			pl->oom = true;
			return false;
		}
		u->s = sift_sip_stream_new();
		if (!u->s) {
			free(u);
			pl->oom = true;
			return false;
		}
		sift_sip_stream_set_drop(u->s, frame_drop);
		u->src = *src;
		u->dst = *dst;
		*user = u;
	}
	if (!u->started) {
		u->started = true;
		u->tls = sift_tls_track_start(pl->tls, u, src, dst, p, n,
					      where);
	}
	if (u->tls) {
		enum sift_rc rc;

		u->fed = *where;
		rc = sift_tls_side_feed(u->tls, p, n, where);
		pl->oom = pl->oom || rc == SIFT_ENOMEM;
		return rc == SIFT_OK;
	}
	k = frame_bytes(pl, u, p, n, where, SIFT_TP_TCP);
	switch (k) {
	case SIFT_STREAM_TLS:
		pl->r.sum.tls_flows++;
		return false;
	case SIFT_STREAM_WS:
		if (!u->counted)
			pl->r.sum.websocket_flows++;
		u->counted = true;
		return true;
	case SIFT_STREAM_OTHER:
		return false;
	default:
		return true;
	}
}

static void tcp_gap(void *ctx, void **user, uint64_t n,
		    const struct sift_where *where)
{
	struct tcp_user *u = *user;

	(void)ctx;
	(void)where;
	if (u && u->tls)
		sift_tls_side_gap(u->tls, n);
	if (u)
		sift_sip_stream_gap(u->s);
}

static void tcp_close(void *ctx, void **user)
{
	struct sift_pipeline *pl = ctx;
	struct tcp_user *u = *user;

	if (!u)
		return;
	/* A message cut short by the end of its stream: its Content-Length
	 * promised more than came. It is shown as far as it went. */
	{
		const uint8_t *p;
		size_t n, clen;
		char *cid = NULL;

		if (sift_sip_stream_partial(u->s, &p, &n, &clen)) {
			handle_sip(pl, p, n, &u->fed, &u->src, &u->dst,
				   u->tls ? SIFT_TP_TLS : SIFT_TP_TCP, &cid);
			/* The parser may reject a body shorter than its
			 * Content-Length: the Call-ID as it is written. */
			if (!cid) {
				const uint8_t *v;
				size_t vlen;

				if (sift_sip_raw_header(p, n, "call-id", "i", &v,
							&vlen) && vlen)
					cid = strndup((const char *)v, vlen);
			}
			if (cid && (!pl->o.call_id || strcmp(cid, pl->o.call_id) == 0)) {
				char what[200];

				snprintf(what, sizeof(what),
					 "Content-Length %zu is more than the stream carried before it ended; the receiver waits for a body that never comes",
					 clen);
				sift_lint_stream_framing(&pl->lint, cid, &u->fed,
							 what, pl->r.findings);
			}
			free(cid);
		}
	}
	pl->r.sum.keepalives += sift_sip_stream_stats(u->s)->keepalives;
	pl->r.sum.tcp_resyncs += sift_sip_stream_stats(u->s)->resyncs;
	sift_sip_stream_free(u->s);
	free(u->last_call_id);
	if (u->tls) {
		struct sift_tls_report t;
		unsigned ndirs;

		if (sift_tls_side_close(pl->tls, u->tls, &t, &ndirs))
			sift_pl_tls_done(pl, &t, ndirs);
	}
	free(u);
	*user = NULL;
}

static const struct sift_tcp_ops tcp_ops = { tcp_data, tcp_gap, tcp_close };

struct sift_pipeline *sift_pipeline_new(const struct sift_pipeline_opts *o)
{
	struct sift_pipeline *pl = calloc(1, sizeof(*pl));
	struct sift_tcp_limits tl;

	if (!pl)
		return NULL;
	if (o)
		pl->o = *o;
	sift_sip_init();
	if (pl->o.lint)
		pl->lint = *pl->o.lint;
	else
		sift_lint_cfg_default(&pl->lint);
	/* No rule on (calls, flow, dtmf): no rule's work at all. */
	pl->lint_any = sift_lint_cfg_any(&pl->lint);
	sift_tcp_limits_default(&tl);
	pl->net = sift_net_new(NULL);
	pl->tcp = sift_tcp_new(&tl, &tcp_ops, pl);
	pl->sctp = sift_sctp_reasm_new();
	if (pl->sctp)
		sift_sctp_reasm_set_max(pl->sctp, SIFT_SIP_MAX_MESSAGE);
	pl->media = sift_media_new();
	pl->r.media = pl->media;
	/* RTP the heuristic finds belongs to no call: none of it when one
	 * call was asked for (the others' SDP was not read, their RTP would
	 * all look unannounced). */
	if (pl->media)
		sift_media_set_heuristic(pl->media, !pl->o.no_rtp_heuristic &&
					 !pl->o.call_id);
	pl->tls = sift_tls_track_new(pl->o.tls_keys, tls_plain, pl);
	if (pl->tls && pl->o.tls_secrets_out)
		sift_tls_track_collect_secrets(pl->tls);
	if (pl->media)
		sift_media_keep_series(pl->media, pl->o.series);
	if (pl->media && pl->o.jb_set)
		sift_media_set_jitter_buffer(pl->media, pl->o.jb_ms);
	pl->dtmf = sift_dtmf_new();
	pl->r.dtmf = pl->dtmf;
	pl->r.calls = sift_calls_new();
	pl->r.findings = sift_findings_new();
	if (!pl->net || !pl->tcp || !pl->sctp || !pl->media || !pl->dtmf ||
	    !pl->tls || !pl->r.calls || !pl->r.findings) {
		sift_pipeline_free(pl);
		return NULL;
	}
	sift_calls_keep_sdp(pl->r.calls, pl->o.raw_sdp);
	/* The findings wait on disk too (finding.h); each report reads them
	 * one at a time. */
	sift_findings_spill(pl->r.findings, true);
	/* Quiet calls wait on disk (call.h); the audio export reads a
	 * call's messages as its RTP comes (the selection of the calls it
	 * writes). */
	sift_calls_rest(pl->r.calls, !pl->o.audio);
	sift_media_set_sink(pl->media, sift_pl_media_payload, pl);
	sift_media_sink_events_only(pl->media, !pl->o.audio && !pl->o.inband);
	sift_media_set_done(pl->media, sift_pl_stream_done, pl);
	sift_media_set_refused(pl->media, sift_pl_crypto_refused, pl);
	sift_calls_set_part(pl->r.calls, SIFT_PART_DTMF, sift_pl_release_dtmf, pl->dtmf);
	sift_calls_set_part(pl->r.calls, SIFT_PART_MEDIA, sift_pl_release_media, pl->media);
	if (pl->o.on_call)
		sift_calls_set_sink(pl->r.calls, sift_pl_call_done, pl);
	if (pl->o.audio) {
		pl->audio = sift_audio_new(pl->o.audio);
		if (!pl->audio) {
			sift_pipeline_free(pl);
			return NULL;
		}
		pl->r.audio = pl->audio;
		sift_calls_set_part(pl->r.calls, SIFT_PART_AUDIO, sift_pl_release_audio,
				    pl->audio);
	}
	for (size_t i = 0; i < pl->o.nkeys; i++)
		if (sift_media_add_key(pl->media, &pl->o.keys[i].sender,
				       pl->o.keys[i].has_ssrc, pl->o.keys[i].ssrc,
				       &pl->o.keys[i].sd) == SIFT_ENOMEM) {
			sift_pipeline_free(pl);
			return NULL;
		}
	sift_pl_caps_watch(pl);
	return pl;
}

void sift_pipeline_free(struct sift_pipeline *pl)
{
	if (!pl)
		return;
	sift_sip_msg_free(pl->pre);
	/* Closing TCP streams calls back into us: do it while all is live. */
	sift_tcp_free(pl->tcp);
	/* The calls go with what they own, before the stages that own the
	 * rest; nothing of it is reported any more. */
	pl->closing = true;
	sift_calls_free(pl->r.calls);
	sift_net_free(pl->net);
	sift_sctp_reasm_free(pl->sctp);
	sift_media_free(pl->media);
	sift_dtmf_free(pl->dtmf);
	sift_audio_free(pl->audio);
	sift_findings_free(pl->r.findings);
	sift_tls_track_free(pl->tls);
	sift_pl_frags_free(pl->fh);
	free(pl->r.tls);
	for (size_t i = 0; i < pl->r.ninputs; i++) {
		free(pl->r.inputs[i].path);
		free(pl->r.inputs[i].error);
		free(pl->r.inputs[i].warning);
	}
	free(pl->r.inputs);
	free(pl);
}

enum sift_rc sift_pipeline_input(struct sift_pipeline *pl, const char *path)
{
	struct sift_input *in;

	if (!sift_grow((void **)&pl->r.inputs, &pl->inputs_cap, pl->r.ninputs,
		       sizeof(*pl->r.inputs), UINT32_MAX))
		return SIFT_ENOMEM;
	in = &pl->r.inputs[pl->r.ninputs];
	memset(in, 0, sizeof(*in));
	in->linktype = -1;
	in->path = strdup(path);
	if (!in->path)
		return SIFT_ENOMEM;
	pl->r.ninputs++;
	return SIFT_OK;
}

void sift_pipeline_input_done(struct sift_pipeline *pl, uint32_t i,
			      const struct sift_capture_info *info,
			      const char *error)
{
	struct sift_input *in;

	if (i >= pl->r.ninputs)
		return;
	in = &pl->r.inputs[i];
	if (info) {
		in->linktype = info->linktype;
		in->mixed_linktypes = info->mixed_linktypes;
		in->packets = info->packets;
		in->bytes = info->bytes;
		in->first_ts = info->first_ts;
		in->last_ts = info->last_ts;
		in->truncated = info->truncated;
		in->ts_clamped = info->ts_clamped;
	}
	if (error && !in->error)
		in->error = strdup(error);
}

void sift_pipeline_input_warning(struct sift_pipeline *pl, uint32_t i,
				 const char *msg)
{
	if (i < pl->r.ninputs && !pl->r.inputs[i].warning)
		pl->r.inputs[i].warning = strdup(msg);
}

static bool is_sip_port(const struct sift_pipeline *pl, uint16_t port)
{
	if (port == SIP_PORT)
		return true;
	for (size_t i = 0; i < pl->o.n_sip_ports; i++)
		if (pl->o.sip_ports[i] == port)
			return true;
	return false;
}

static void handle_datagram(struct sift_pipeline *pl, const uint8_t *p,
			    size_t n, bool cut, const struct sift_where *w,
			    const struct sift_addr *src,
			    const struct sift_addr *dst, enum sift_transport tp)
{
	size_t start;

	switch (sift_sip_datagram(p, n, &start)) {
	case SIFT_SIP_YES:
		if (cut) {
			/* Parsing a message snaplen cut short would report
			 * damage that was never on the wire. */
			pl->r.sum.sip_cut++;
			return;
		}
		handle_sip(pl, p + start, n - start, w, src, dst, tp, NULL);
		return;
	case SIFT_SIP_KEEPALIVE:
		pl->r.sum.keepalives++;
		return;
	default:
		break;
	}
	if (cut || pl->o.keyscan) {
		if (cut && sift_sip_maybe_start(p, n))
			pl->r.sum.sip_cut++;
		return;
	}
	if (tp == SIFT_TP_UDP) {
		size_t plain_len;

		if (sift_media_packet(pl->media, src, dst, p, n, w, pl->plain,
				      &plain_len)) {
			pl->plain_len = plain_len;
			pl->plain_is_media = plain_len > 0;
			return;
		}
	}
	/* On a port given to SIP, a datagram that mentions SIP/2.0 but has
	 * no start line is a damaged message (junk before the start line, a
	 * mangled method); other text there ("hello" keep-alives) is not. */
	if ((is_sip_port(pl, src->port) || is_sip_port(pl, dst->port)) &&
	    n && memmem(p, n, "SIP/2.0", 7))
		record_parse_error(pl, p, n, w, src, dst, tp,
				   SIFT_SIPE_NO_START_LINE);
}

/* RFC 9260 §3.3.1: DATA chunks, decoded and reassembled in net/sctp. */
static void handle_sctp(struct sift_pipeline *pl, const struct sift_l4 *l4,
			const struct sift_where *w)
{
	struct sift_sctp_chunks it;
	const uint8_t *msg;
	size_t mlen;

	sift_sctp_chunks_start(&it, pl->sctp, &l4->src, &l4->dst, l4->data,
			       l4->len, w->ts);
	while (sift_sctp_next_message(&it, &msg, &mlen))
		handle_datagram(pl, msg, mlen, false, w, &l4->src, &l4->dst,
				SIFT_TP_SCTP);
}

/* decrypt -w: every packet as it was, but SRTP/SRTCP that decrypted as
 * plain RTP/RTCP in the same frame (lengths and checksums fixed). */
static enum sift_rc write_packet(struct sift_pipeline *pl,
				 const struct sift_packet *pkt,
				 const struct sift_l4 *l4)
{
	uint64_t key = sift_net_frag_key(pl->net);
	size_t n;

	if (pkt->linktype != sift_pcap_writer_linktype(pl->out)) {
		pl->r.sum.unwritten++;
		return SIFT_OK;
	}
	if (pl->fh) {
		enum sift_rc rc = sift_pl_frags_expire(pl, pkt->where.ts);

		if (rc != SIFT_OK)
			return rc;
	}
	/* A piece of a UDP datagram, the only kind rewritten: held until
	 * the datagram is complete (pipeline_frags.c). Others (ICMP, a
	 * tunnel, TCP) go out as they come. */
	if (key && sift_net_frag_proto(pl->net) == 17)
		return sift_pl_frags_write(pl, pkt, l4, key);
	if (pl->plain_len &&
	    sift_net_rewrite_udp(pkt->data, pkt->caplen, l4, pl->plain,
				 pl->plain_len, pl->frame, sizeof(pl->frame),
				 &n) == SIFT_OK) {
		if (pl->plain_is_media)
			pl->r.sum.rewritten++;
		return sift_pcap_write(pl->out, pkt->where.ts, pl->frame,
				       (uint32_t)n, (uint32_t)n);
	}
	if (pl->plain_len)
		pl->r.sum.not_rewritten++;
	return sift_pcap_write(pl->out, pkt->where.ts, pkt->data, pkt->caplen,
			       pkt->len);
}

void sift_pipeline_set_output(struct sift_pipeline *pl,
			      struct sift_pcap_writer *w)
{
	pl->out = w;
}

void sift_pipeline_preparsed(struct sift_pipeline *pl, struct sift_sip_msg *m,
			     const struct sift_syn *syn, const uint8_t *p,
			     size_t n)
{
	sift_sip_msg_free(pl->pre);
	pl->pre = m;
	pl->pre_syn = syn;
	pl->pre_p = p;
	pl->pre_n = n;
}

static enum sift_rc packet(struct sift_pipeline *pl,
			   const struct sift_packet *pkt);

enum sift_rc sift_pipeline_packet(struct sift_pipeline *pl,
				  const struct sift_packet *pkt)
{
	enum sift_rc rc = packet(pl, pkt);

	/* A message parsed ahead and not taken goes with its packet. */
	if (pl->pre) {
		sift_sip_msg_free(pl->pre);
		pl->pre = NULL;
	}
	return rc;
}

static enum sift_rc packet(struct sift_pipeline *pl,
			   const struct sift_packet *pkt)
{
	struct sift_l4 l4;
	enum sift_rc rc;

	if (!pl->r.sum.packets || pkt->where.ts < pl->r.start_ts)
		pl->r.start_ts = pkt->where.ts;
	pl->r.sum.packets++;
	if (pkt->where.ts > pl->r.end_ts)
		pl->r.end_ts = pkt->where.ts;
	if (pkt->where.ts >= pl->next_expire) {
		sift_net_expire(pl->net, pkt->where.ts);
		sift_tcp_expire(pl->tcp, pkt->where.ts);
		sift_calls_expire(pl->r.calls, pkt->where.ts);
		pl->next_expire = pkt->where.ts + EXPIRE_EVERY;
	}
	/* Key log text from a pcapng Decryption Secrets Block: before the
	 * packets it is for. The lines before a malformed one are used
	 * (the capture is no place for a usage error). */
	if (pkt->secrets_len) {
		struct sift_tls_keyerr ke = { 0, NULL };

		if (sift_tls_keylog_add_text(sift_tls_track_keys(pl->tls),
					     pkt->secrets, pkt->secrets_len,
					     &ke) == SIFT_ENOMEM)
			return SIFT_ENOMEM;
	}
	pl->plain_len = 0;
	pl->plain_is_media = false;
	pl->oom = false;
	pl->datagram = NULL;
	rc = sift_net_decode_memo(pl->net, pkt->linktype, pkt->data, pkt->caplen,
				  pkt->where.ts, sift_pipeline_ahead(pl), &l4);
	if (rc == SIFT_EUNSUPPORTED) {
		pl->r.sum.unsupported_link++;
		return SIFT_OK;
	}
	switch (l4.proto) {
	case SIFT_IPPROTO_UDP:
		pl->datagram = l4.data;
		handle_datagram(pl, l4.data, l4.len, l4.cut, &pkt->where,
				&l4.src, &l4.dst, SIFT_TP_UDP);
		break;
	case SIFT_IPPROTO_TCP: {
		struct sift_tcp_segment seg;

		/* A segment cut by snaplen feeds what was captured; the
		 * missing rest shows as a gap, which is what it is. */
		seg.src = l4.src;
		seg.dst = l4.dst;
		seg.seq = l4.tcp_seq;
		seg.flags = l4.tcp_flags;
		seg.data = l4.data;
		seg.len = l4.len;
		seg.where = pkt->where;
		if (sift_tcp_add(pl->tcp, &seg) == SIFT_ENOMEM)
			return SIFT_ENOMEM;
		break;
	}
	case SIFT_IPPROTO_SCTP:
		handle_sctp(pl, &l4, &pkt->where);
		break;
	default:
		break;
	}
	/* Caps are gathered after a packet only while someone listens for
	 * one not told yet, and only when a counter behind them moved; the
	 * end of input gathers them for the summary. (Told while the packet
	 * that hit one is handled: test_pipeline's
	 * test_tcp_oversize_first_hit.) */
	if (pl->o.on_cap && pl->caps_warned != (1u << SIFT_CAP_COUNT) - 1 &&
	    sift_caps_watch_moved(&pl->caps_watch,
				  pl->fh ? sift_pl_frags_early(pl->fh) : 0))
		sift_pl_caps_poll(pl);
	/* Memory that ran out while the packet was handled is an error, not
	 * a packet quietly left out of the report. The stages' own flags
	 * every 1024 packets (reading them all per packet was 2 % of a
	 * media run), and at the end (main). */
	if (pl->oom || ((pl->r.sum.packets & 1023) == 0 && sift_pipeline_oom(pl)))
		return SIFT_ENOMEM;
	if (pl->o.on_packet) {
		struct sift_packet_tap t = {
			pkt, l4.proto, l4.src, l4.dst, l4.len, l4.reassembled,
			sift_net_frag_key(pl->net)
		};

		pl->o.on_packet(pl->o.on_sip_ctx, &t);
	}
	if (!pl->out)
		return SIFT_OK;
	/* Secrets this packet taught (an RSA key opened its session) go
	 * before it: Wireshark reads a pcapng in order. The output is
	 * pcapng whenever RSA keys are given (main.c, rerun.c). */
	{
		size_t len;
		const char *text = sift_tls_track_secrets(pl->tls, &len);

		if (len) {
			rc = sift_pcap_write_tls_keylog(pl->out, text, len);
			if (rc == SIFT_EIO)
				return rc;
			sift_tls_track_secrets_clear(pl->tls);
		}
	}
	return write_packet(pl, pkt, &l4);
}

void sift_pipeline_finish(struct sift_pipeline *pl)
{
	sift_tcp_flush(pl->tcp);
	/* A failed write shows when the output is closed (its error
	 * stays). */
	(void)sift_pl_frags_flush(pl);
	sift_pl_caps_poll(pl);
	sift_calls_flush(pl->r.calls, pl->r.end_ts);
	sift_dtmf_close(pl->dtmf, NULL);
	sift_media_finish(pl->media);
	for (size_t i = 0; pl->lint_any && i < sift_media_count(pl->media); i++)
		sift_lint_media_stream(&pl->lint, sift_media_get(pl->media, i),
				       pl->r.findings);
	/* (Only with audio: getting a call at rest reads it back.) */
	for (size_t i = 0; pl->audio && i < sift_calls_count(pl->r.calls); i++)
		sift_pl_audio_streams(pl, sift_calls_get(pl->r.calls, i));
	sift_pl_audio_streams(pl, NULL);
	sift_audio_finish(pl->audio);
	/* Without a sink the calls stay for the report: lint them now (not
	 * reading back the calls at rest when no rule is on). */
	for (size_t i = 0; pl->lint_any && i < sift_calls_count(pl->r.calls); i++)
		sift_pl_lint_call(pl, sift_calls_get(pl->r.calls, i));
	sift_findings_sort(pl->r.findings);
	pl->r.sum.sctp_skipped = sift_sctp_reasm_incomplete(pl->sctp);
	pl->r.net = *sift_net_stats(pl->net);
	pl->r.defrag = *sift_net_defrag_stats(pl->net);
	pl->r.tcp = *sift_tcp_stats(pl->tcp);
	sift_pl_caps_poll(pl);
}

const char *sift_pipeline_tls_note(const struct sift_pipeline *pl, char *buf,
				   size_t len)
{
	const struct sift_summary *s = &pl->r.sum;
	const struct sift_tls_keys *k = sift_tls_track_keys(pl->tls);
	uint64_t unread = s->tls_connections - s->tls_decrypted;
	bool keys = sift_tls_keys_count(k) || sift_tls_rsa_count(k);

	if (!unread)
		return NULL;
	snprintf(buf, len, "%llu of %llu TLS connections could not be read (%s); the SIP they carry is not in this report%s",
		 (unsigned long long)unread,
		 (unsigned long long)s->tls_connections,
		 keys ? "see the tls-no-key findings" : "no TLS keys were given",
		 keys ? "" : ": give them with --tls-keylog FILE or --tls-key FILE.pem");
	return buf;
}

struct sift_tls_keys *sift_pipeline_tls_keys(struct sift_pipeline *pl)
{
	return sift_tls_track_keys(pl->tls);
}

uint64_t sift_pipeline_tls_secrets_lost(const struct sift_pipeline *pl)
{
	return sift_tls_track_secrets_lost(pl->tls);
}

void sift_pipeline_select(struct sift_pipeline *pl,
			  const struct sift_selected *sel)
{
	pl->r.sel = sel;
}

const struct sift_report *sift_pipeline_report(const struct sift_pipeline *pl)
{
	return &pl->r;
}
