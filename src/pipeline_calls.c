/* What happens when a stream or a call is done, and to each media
 * payload: the callbacks the pipeline gives media, calls and DTMF (see
 * pipeline.c for packets in). */
#include <string.h>

#include "pipeline_int.h"
#include "pipeline_tls.h"
#include "util/asan.h"
#include "sipsift/dtmf.h"
#include "sipsift/media.h"
#include "lint/lint_media.h"
#include "sip/sdp.h"
#include "media/audio.h"

/* A TLS connection ended: it goes in the report. */
void sift_pl_tls_done(struct sift_pipeline *pl, const struct sift_tls_report *t,
		      unsigned ndirs)
{
	/* Directions of a connection that could not be read are TLS flows
	 * not decoded, as before there was a decryptor. */
	if (!t->decrypted)
		pl->r.sum.tls_flows += ndirs;
	pl->r.sum.tls_connections++;
	if (t->decrypted)
		pl->r.sum.tls_decrypted++;
	if (!pl->o.call_id)
		sift_lint_tls(&pl->lint, t, pl->r.findings);
	if (pl->r.ntls == pl->tls_cap &&
	    !sift_grow((void **)&pl->r.tls, &pl->tls_cap, pl->r.ntls,
		       sizeof(*pl->r.tls), SIZE_MAX / sizeof(*pl->r.tls))) {
		pl->oom = true;
		return;
	}
	pl->r.tls[pl->r.ntls++] = *t;
}

/* A stream of a call being freed (NDJSON: after its call was written):
 * its findings, and its line. */
void sift_pl_stream_done(void *ctx, struct sift_stream *s)
{
	struct sift_pipeline *pl = ctx;

	if (pl->closing)
		return;
	if (pl->lint_any)
		sift_lint_media_stream(&pl->lint, s, pl->r.findings);
	if (pl->o.on_stream)
		pl->o.on_stream(pl->o.on_call_ctx, &pl->r, s);
}

/* An a=crypto line media could not use. */
void sift_pl_crypto_refused(void *ctx, const char *call_id,
			   const struct sift_where *w, const char *crypto,
			   const char *why)
{
	struct sift_pipeline *pl = ctx;

	sift_lint_media_crypto(&pl->lint, call_id, w, crypto, why,
			       pl->r.findings);
}

/* The audio export hears of every stream of call c (NULL: the streams of
 * no call) that it may not have seen: SRTP no key decrypted. */
void sift_pl_audio_streams(struct sift_pipeline *pl, const struct sift_call *c)
{
	const struct sift_stream *const *v;
	size_t n;

	if (!pl->audio)
		return;
	if (!c) {
		for (size_t i = 0; i < sift_media_count(pl->media); i++) {
			const struct sift_stream *s = sift_media_get(pl->media, i);

			if (!s->call_id)
				sift_audio_stream_done(pl->audio, s, NULL);
		}
		return;
	}
	v = sift_media_call_streams(pl->media, c, &n);
	for (size_t i = 0; i < n; i++)
		sift_audio_stream_done(pl->audio, v[i], c);
}

/* dtmf-double: the call's digits, once they are final. */
void sift_pl_lint_dtmf(struct sift_pipeline *pl, const struct sift_call *c)
{
	size_t n = 0;
	const struct sift_dtmf_event *ev = sift_dtmf_events(pl->dtmf, c, &n);

	if (ev)
		sift_lint_media_dtmf(&pl->lint, c, ev, n, pl->r.findings);
}

void sift_pl_lint_call(struct sift_pipeline *pl, const struct sift_call *c)
{
	if (!pl->lint_any)
		return;
	sift_lint_call(&pl->lint, c, pl->r.findings);
	sift_lint_media_call(&pl->lint, pl->media, c, pl->r.findings);
	sift_pl_lint_dtmf(pl, c);
}

/* A finished call, before it is freed with all it owns (its parts: DTMF,
 * streams, audio records; see sift_calls_set_part). */
void sift_pl_call_done(void *ctx, const struct sift_call *c)
{
	struct sift_pipeline *pl = ctx;

	sift_media_call_settle(pl->media, c);
	/* Its digits belong in its report: an event whose end packets never
	 * came is final now. */
	sift_dtmf_close(pl->dtmf, c);
	sift_pl_lint_call(pl, c);
	/* Its WAV files are finished before its streams name them. */
	sift_pl_audio_streams(pl, c);
	sift_audio_call_done(pl->audio, c);
	pl->o.on_call(pl->o.on_call_ctx, &pl->r, c, pl->r.end_ts);
}

/* The parts a call owns, released when it is freed. */
void sift_pl_release_dtmf(void *owner, struct sift_call *c)
{
	sift_dtmf_release(owner, c);
}

void sift_pl_release_media(void *owner, struct sift_call *c)
{
	sift_media_release(owner, c);
}

void sift_pl_release_audio(void *owner, struct sift_call *c)
{
	sift_audio_release(owner, c);
}

/* Every readable RTP packet (media.h): telephone-events (RFC 4733) go to
 * the DTMF decoder of their stream — the payload type is what the stream's
 * SDP mapped it to (a=rtpmap), so any dynamic number works — and, when
 * asked for, audio to the in-band DTMF detector and everything to the
 * audio export. */
void sift_pl_media_payload(void *ctx, const struct sift_media_payload *mp)
{
	struct sift_pipeline *pl = ctx;

	if (pl->audio)
		sift_audio_payload(pl->audio, mp, mp->call);
	if (!mp->codec || !mp->call)
		return;
	if (!mp->event) {
		if (pl->o.inband)
			sift_dtmf_audio(pl->dtmf, mp->call, mp->s->id,
					&mp->s->src, &mp->s->dst,
					mp->codec->name, mp->codec->rate,
					mp->codec->channels, mp->payload,
					mp->len, mp->w);
		return;
	}
	sift_dtmf_rtp(pl->dtmf, mp->call, mp->s->id, &mp->s->src,
		      &mp->s->dst, mp->codec->rate, mp->h, mp->payload, mp->len,
		      mp->w);
}

/* Whether memory may be left to the exit (sift_pipeline_free_at_exit,
 * sift_pipeline_leave_at_exit). perf on sipp's 50,000 calls, JSON:
 * freeing the calls and their media after the report was written took
 * 4.6 % of the run (malloc_consolidate and _int_free). All the pipeline
 * holds is memory, given back by the exit at once, but for the TLS
 * secrets learnt, wiped as by sift_tls_track_free, and the WAV files of
 * -d (releasing a call closes its files, and sift_audio_free judges the
 * calls left): with audio on, all is freed. Under AddressSanitizer too,
 * for its leak check. */
static bool left_at_exit(const struct sift_pipeline *pl)
{
#ifndef SIFT_ASAN
	return pl && !pl->audio;
#else
	(void)pl;
	return false;
#endif
}

void sift_pipeline_leave_at_exit(struct sift_pipeline *pl)
{
	if (!left_at_exit(pl))
		return;
	sift_calls_leave_at_exit(pl->r.calls);
	sift_media_leave_at_exit(pl->media);
}

void sift_pipeline_free_at_exit(struct sift_pipeline *pl)
{
	if (left_at_exit(pl)) {
		sift_tls_track_free(pl->tls);
		return;
	}
	sift_pipeline_free(pl);
}

void sift_pipeline_merge_unchecked(struct sift_pipeline *pl, uint64_t n)
{
	pl->r.caps.n[SIFT_CAP_MERGE_UNCHECKED] = n;
}
