/* sipsift — audio export, placement: decoded RTP put at its place on
 * the call's timeline by timestamp, reordered, gaps filled with silence
 * or concealment (audio.h, struct sift_track). */
#include <stdlib.h>
#include <string.h>

#include "media/audio.h"

#define ZEROS 4096

static const int16_t zeros[ZEROS];

void sift_track_init(struct sift_track *t, struct sift_codec *dec,
		     uint32_t clock, sift_track_out_fn out, void *ctx)
{
	memset(t, 0, sizeof(*t));
	t->dec = dec;
	t->rate = sift_codec_rate(dec);
	t->clock = clock ? clock : 8000;
	t->out = out;
	t->ctx = ctx;
}

static void emit(struct sift_track *t, const int16_t *s, size_t n)
{
	if (n) {
		t->out(t->ctx, s, n);
		t->pos += (int64_t)n;
	}
}

/* A gap of n samples before the next packet: concealment when the codec
 * has it and the sender was not quiet on purpose, then silence. */
static void fill_gap(struct sift_track *t, int64_t n)
{
	int64_t plc_max = (int64_t)t->rate * SIFT_TRACK_PLC_MS / 1000;

	while (!t->quiet && n > 0 && plc_max > 0) {
		size_t want = (size_t)(n < plc_max ? n : plc_max);
		size_t got;

		if (want > SIFT_CODEC_MAX_SAMPLES)
			want = SIFT_CODEC_MAX_SAMPLES;
		got = sift_codec_plc(t->dec, t->buf, want);
		if (!got)
			break;
		if (got > want)
			got = want;
		emit(t, t->buf, got);
		t->plc_samples += got;
		n -= (int64_t)got;
		plc_max -= (int64_t)got;
	}
	while (n > 0) {
		size_t k = n > ZEROS ? ZEROS : (size_t)n;

		emit(t, zeros, k);
		t->silence_samples += k;
		n -= (int64_t)k;
	}
}

static void write_slot(struct sift_track *t, const struct sift_track_slot *s)
{
	size_t got, skip = 0;

	if (s->kind == SIFT_CODEC_CN || s->kind == SIFT_CODEC_EVENT) {
		t->quiet = true;
		t->quiet_packets++;
		return;
	}
	/* Its place is behind us: a duplicate, or later than the buffer
	 * could wait. Decoding it would upset a stateful decoder. */
	if (t->emitted && s->pos <= t->last_start) {
		t->late++;
		return;
	}
	got = sift_codec_decode(t->dec, s->data, s->len, t->buf,
				SIFT_CODEC_MAX_SAMPLES);
	if (!got)
		return;
	if (!t->emitted) {
		t->emitted = true;
		t->first_pos = s->pos;
		t->pos = s->pos;
	}
	if (s->pos > t->pos)
		fill_gap(t, s->pos - t->pos);
	else if (s->pos < t->pos)
		skip = (size_t)(t->pos - s->pos);
	t->last_start = s->pos;
	t->quiet = false;
	if (skip >= got)
		return;
	emit(t, t->buf + skip, got - skip);
}

/* The slot with the lowest position (first come among equals) goes. */
static void pop_one(struct sift_track *t)
{
	unsigned best = 0;

	for (unsigned i = 1; i < t->nslots; i++)
		if (t->slots[i].pos < t->slots[best].pos ||
		    (t->slots[i].pos == t->slots[best].pos &&
		     t->slots[i].seq < t->slots[best].seq))
			best = i;
	write_slot(t, &t->slots[best]);
	t->nslots--;
	if (best != t->nslots)
		t->slots[best] = t->slots[t->nslots];
}

void sift_track_flush(struct sift_track *t)
{
	while (t->nslots)
		pop_one(t);
}

void sift_track_done(struct sift_track *t)
{
	if (t->dec)
		sift_track_flush(t);
	sift_codec_free(t->dec);
	t->dec = NULL;
}

/* Timestamp 0 of a new run (first packet, new SSRC, jump) sits at its
 * capture time, and never before what is already written. */
static void anchor(struct sift_track *t, uint32_t ssrc, uint32_t rtp_ts,
		   int64_t cap_pos)
{
	sift_track_flush(t);
	t->ssrc = ssrc;
	t->hi_rtp = rtp_ts;
	t->hi_ext = 0;
	t->anchor_pos = cap_pos;
	if (t->emitted && t->anchor_pos < t->pos)
		t->anchor_pos = t->pos;
	/* Nor more than a maximal jump after it: a capture time that leaps
	 * (a damaged or merged capture) costs at most that much silence. */
	if (t->emitted &&
	    t->anchor_pos > t->pos + (int64_t)t->rate * SIFT_TRACK_MAX_JUMP_S)
		t->anchor_pos = t->pos + (int64_t)t->rate * SIFT_TRACK_MAX_JUMP_S;
}

void sift_track_packet(struct sift_track *t, uint32_t ssrc, uint32_t rtp_ts,
		       enum sift_codec_kind kind, const uint8_t *p, size_t n,
		       int64_t cap_pos)
{
	struct sift_track_slot *s;
	int64_t ext = 0;

	t->packets++;
	if (!t->started) {
		t->started = true;
		anchor(t, ssrc, rtp_ts, cap_pos);
	} else if (ssrc != t->ssrc) {
		t->ssrc_changes++;
		anchor(t, ssrc, rtp_ts, cap_pos);
	} else {
		int32_t d = (int32_t)(rtp_ts - t->hi_rtp);
		int64_t jump = (int64_t)t->clock * SIFT_TRACK_MAX_JUMP_S;

		if (d > jump || d < -jump) {
			t->resets++;
			anchor(t, ssrc, rtp_ts, cap_pos);
		} else {
			ext = t->hi_ext + d;
			if (d > 0) {
				t->hi_rtp = rtp_ts;
				t->hi_ext = ext;
			}
		}
	}
	/* Each step may be a plausible jump, yet together run far ahead of
	 * the time that passed: the file follows the capture clock, so its
	 * length stays near the capture's span. */
	if (t->anchor_pos + ext * (int64_t)t->rate / (int64_t)t->clock >
	    cap_pos + (int64_t)t->rate * SIFT_TRACK_AHEAD_S) {
		t->resets++;
		anchor(t, ssrc, rtp_ts, cap_pos);
		ext = 0;
	}
	if (n > SIFT_TRACK_SLOT_BYTES) {
		t->too_big++;
		return;
	}
	if (t->nslots == SIFT_TRACK_REORDER)
		pop_one(t);
	s = &t->slots[t->nslots++];
	s->pos = t->anchor_pos + ext * (int64_t)t->rate / (int64_t)t->clock;
	s->len = (uint16_t)n;
	s->kind = (uint8_t)kind;
	s->seq = t->nseq++;
	if (n)
		memcpy(s->data, p, n);
}
