/* sipsift — caps: counters gathered from the stages, the first hit of each
 * told, and the finding for a message the SIP framer gave up. */
#include <stdlib.h>
#include <string.h>

#include "lint/emit.h"
#include "media/audio.h"
#include "net/net.h"
#include "net/sctp_reasm.h"
#include "net/tcp_reasm.h"
#include "pipeline_caps.h"
#include "pipeline_int.h"
#include "pipeline_tls.h"
#include "sip/sip_msg.h"
#include "sip/start_line.h"
#include "sipsift/dtmf.h"
#include "sipsift/finding.h"
#include "sipsift/media.h"

/* The counters of pl->r.caps the stages keep; the pipeline counts the
 * others (SIP and WebSocket messages too large) itself. */
static void gather(struct sift_pipeline *pl)
{
	struct sift_caps *c = &pl->r.caps;
	const struct sift_tcp *tcp = pl->tcp;
	const struct sift_sctp_reasm *sctp = pl->sctp;
	const struct sift_tls_track *tls = pl->tls;
	const struct sift_findings *fs = pl->r.findings;
	const struct sift_dtmf *dtmf = pl->dtmf;
	const struct sift_media_caps *mc = pl->media ? sift_media_caps(pl->media) : NULL;
	const struct sift_defrag_stats *ds = sift_net_defrag_stats(pl->net);
	const struct sift_calls_caps *cc = sift_calls_caps(pl->r.calls);
	uint64_t all = 0;

	c->n[SIFT_CAP_TCP_EVICTED] = sift_tcp_stats(tcp)->evicted;
	c->n[SIFT_CAP_TCP_HOLD] = sift_tcp_stats(tcp)->hold_skipped;
	c->n[SIFT_CAP_SCTP_EVICTED] = sctp ? *sift_sctp_reasm_evicted(sctp) : 0;
	c->n[SIFT_CAP_IP_EVICTED] = ds->evicted;
	/* dropped_limit counts the evictions too. */
	c->n[SIFT_CAP_IP_DROPPED] = ds->dropped_limit - ds->evicted;
	c->n[SIFT_CAP_TLS_UNREAD] = *sift_tls_track_over_cap(tls);
	c->n[SIFT_CAP_TLS_SESSIONS] = *sift_tls_track_sessions_evicted(tls);
	c->n[SIFT_CAP_CALLS] = cc->no_call;
	c->n[SIFT_CAP_CALL_MSGS] = cc->msgs;
	c->n[SIFT_CAP_CALL_TXNS] = cc->untracked;
	c->n[SIFT_CAP_CALL_DIALOGS] = cc->dialogs;
	for (int s = SIFT_SEV_INFO; s <= SIFT_SEV_ERROR; s++)
		all += sift_findings_severity(fs, (enum sift_severity)s);
	c->n[SIFT_CAP_FINDINGS] = all - sift_findings_count(fs);
	c->n[SIFT_CAP_DTMF] = dtmf ? sift_dtmf_stats(dtmf)->dropped : 0;
	if (mc) {
		c->n[SIFT_CAP_MEDIA_STREAMS] = mc->streams;
		c->n[SIFT_CAP_MEDIA_ENDPOINTS] = mc->endpoints;
		c->n[SIFT_CAP_SRTP_KEYS] = mc->keys;
		c->n[SIFT_CAP_SDP_ITEMS] = mc->sdp_items;
		c->n[SIFT_CAP_KEYS_BOOK] = mc->book;
		c->n[SIFT_CAP_SRTP_HELD] = mc->held;
	}
}

void sift_pl_caps_poll(struct sift_pipeline *pl)
{
	gather(pl);
	pl->r.caps.n[SIFT_CAP_FRAGS_EARLY] = sift_pl_frags_early(pl->fh);
	for (unsigned i = 0; i < SIFT_CAP_COUNT; i++)
		if (pl->r.caps.n[i] && !(pl->caps_warned & (1u << i))) {
			pl->caps_warned |= 1u << i;
			if (pl->o.on_cap)
				pl->o.on_cap(pl->o.on_cap_ctx, &pl->r,
					     (enum sift_cap_id)i);
		}
}

void sift_pl_caps_watch(struct sift_pipeline *pl)
{
	struct sift_caps_watch *w = &pl->caps_watch;
	const struct sift_caps *own = &pl->r.caps;
	const struct sift_findings *fs = pl->r.findings;
	const struct sift_tcp_stats *ts = sift_tcp_stats(pl->tcp);
	const struct sift_defrag_stats *ds = sift_net_defrag_stats(pl->net);
	const struct sift_calls_caps *cc = sift_calls_caps(pl->r.calls);
	const struct sift_media_caps *mc = sift_media_caps(pl->media);
	const uint64_t *const at[] = {
		&own->n[SIFT_CAP_SIP_OVERSIZE], &own->n[SIFT_CAP_WS_OVERSIZE],
		&own->n[SIFT_CAP_MERGE_UNCHECKED],
		&ts->evicted, &ts->hold_skipped,
		sift_sctp_reasm_evicted(pl->sctp),
		&ds->evicted, &ds->dropped_limit,
		sift_tls_track_over_cap(pl->tls),
		sift_tls_track_sessions_evicted(pl->tls),
		&cc->no_call, &cc->msgs, &cc->untracked, &cc->dialogs,
		sift_findings_severity_counter(fs, SIFT_SEV_INFO),
		sift_findings_severity_counter(fs, SIFT_SEV_WARNING),
		sift_findings_severity_counter(fs, SIFT_SEV_ERROR),
		&sift_dtmf_stats(pl->dtmf)->dropped,
		&mc->streams, &mc->endpoints, &mc->keys, &mc->sdp_items,
		&mc->book, &mc->held,
	};
	_Static_assert(sizeof(at) == sizeof(w->at), "SIFT_CAPS_WATCHED counters");

	memcpy(w->at, at, sizeof(at));
	w->sum = 0;
}

/* What was given up, in words. */
static void drop_what(const struct sift_sip_drop *d, char *buf, size_t len)
{
	char method[33] = "", what[64] = "SIP message";
	int status = 0;

	if (d->head && d->head_len)
		sift_sip_start_line_what(d->head, d->head_len, method,
					 sizeof(method), &status);
	if (status)
		snprintf(what, sizeof(what), "%d response", status);
	else if (method[0])
		snprintf(what, sizeof(what), "%s request", method);
	switch (d->why) {
	case SIFT_SIP_DROP_START_LINE:
		snprintf(buf, len, "a SIP message whose start line is longer than 8192 bytes was skipped; framing resumed at the next start line");
		break;
	case SIFT_SIP_DROP_HEADERS:
		snprintf(buf, len, "%s whose headers run past 65536 bytes without their end was skipped; framing resumed at the next start line",
			 what);
		break;
	case SIFT_SIP_DROP_BODY:
		if (d->claimed)
			snprintf(buf, len, "%s with Content-Length %llu, more than the %u bytes a message may have here, was skipped; framing resumed at the next start line",
				 what, (unsigned long long)d->claimed,
				 (unsigned)SIFT_SIP_MAX_MESSAGE);
		else
			snprintf(buf, len, "%s longer than the %u bytes a message may have here was skipped; framing resumed at the next start line",
				 what, (unsigned)SIFT_SIP_MAX_MESSAGE);
		break;
	case SIFT_SIP_DROP_WS_FRAME:
		snprintf(buf, len, "a WebSocket frame claiming %llu bytes, more than the %u bytes a SIP message may have here, was skipped with the message it belongs to; framing resumed at the next frame that starts a SIP message",
			 (unsigned long long)d->claimed,
			 (unsigned)SIFT_SIP_MAX_MESSAGE);
		break;
	default:
		snprintf(buf, len, "a fragmented WebSocket message (%s) growing past the %u bytes a SIP message may have here was skipped",
			 what, (unsigned)SIFT_SIP_MAX_MESSAGE);
		break;
	}
}

enum sift_rc sift_pipeline_sip_drop(const struct sift_lint_cfg *lint,
				    const char *only_call,
				    const struct sift_sip_drop *d,
				    struct sift_findings *fs)
{
	struct sift_frame_ref fr[2];
	unsigned nfr = 1;
	const uint8_t *v = NULL;
	size_t vlen = 0;
	char *cid = NULL, what[300];

	if (d->head && d->head_len &&
	    sift_sip_raw_header(d->head, d->head_len, "call-id", "i", &v,
				&vlen) && vlen) {
		cid = strndup((const char *)v, vlen);
		if (!cid)
			return SIFT_ENOMEM;
	}
	if (only_call && (!cid || strcmp(cid, only_call) != 0)) {
		free(cid);
		return SIFT_OK;
	}
	fr[0].file = d->first.file;
	fr[0].frame = d->first.frame;
	if (d->where.file != d->first.file || d->where.frame != d->first.frame) {
		fr[1].file = d->where.file;
		fr[1].frame = d->where.frame;
		nfr = 2;
	}
	drop_what(d, what, sizeof(what));
	sift_lint_emit(lint, fs, SIFT_R_SIP_MESSAGE_OVERSIZE, cid, fr, nfr, "%s",
		       what);
	free(cid);
	return SIFT_OK;
}

const char *sift_pipeline_spill_note(const struct sift_pipeline *pl, char *buf,
				     size_t len)
{
	const char *c = sift_calls_rest_trouble(pl->r.calls);
	const char *f = sift_findings_spill_trouble(pl->r.findings);

	if (!c && !f)
		return NULL;
	snprintf(buf, len, "%s stayed in memory, not on disk (%s): memory grew with %s",
		 c && f ? "finished calls and findings" : c ? "finished calls" : "findings",
		 c ? c : f,
		 c && f ? "each of them" :
		 c ? "each call, not only with the calls open at once" :
		     "each finding");
	return buf;
}

bool sift_pipeline_oom(const struct sift_pipeline *pl)
{
	return pl->oom || sift_media_oom(pl->media) || sift_dtmf_oom(pl->dtmf) ||
	       sift_findings_oom(pl->r.findings) || sift_tls_track_oom(pl->tls) ||
	       sift_net_defrag_stats(pl->net)->nomem || sift_calls_oom(pl->r.calls) ||
	       sift_audio_oom(pl->audio);
}
