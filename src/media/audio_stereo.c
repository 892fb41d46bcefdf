/* sipsift — audio export, the stereo mixer: the two channels of a call's
 * stereo file buffered and written as both have samples (audio_int.h,
 * struct stereo). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "media/audio_int.h"
#include "media/wav.h"

void sift_audio_st_write(struct sift_audio *a, struct stereo *st, size_t frames)
{
	int16_t tmp[2 * 2048];
	char why[256];

	while (frames) {
		size_t k = frames > 2048 ? 2048 : frames;

		for (size_t i = 0; i < k; i++) {
			tmp[2 * i] = st->ch[0].buf[i];
			tmp[2 * i + 1] = st->ch[1].buf[i];
		}
		if (st->wav && !st->failed &&
		    sift_wav_write(st->wav, tmp, k, why, sizeof(why)) != SIFT_OK) {
			st->failed = true;
			sift_audio_fail(a, st->path, why, SIFT_EIO);
		}
		for (int c = 0; c < 2; c++) {
			memmove(st->ch[c].buf, st->ch[c].buf + k,
				(st->ch[c].len - k) * sizeof(int16_t));
			st->ch[c].len -= k;
		}
		st->written += (int64_t)k;
		st->out = true;
		frames -= k;
	}
}

/* Frames both channels have are written. A channel far ahead of the other
 * (one-way audio, a direction that has not started) is written up to a
 * second before its end, the other padded with silence. */
static void st_settle(struct sift_audio *a, struct stereo *st, int c)
{
	size_t m = st->ch[0].len < st->ch[1].len ? st->ch[0].len : st->ch[1].len;
	struct stereo_ch *me = &st->ch[c], *other = &st->ch[!c];

	if (m)
		sift_audio_st_write(a, st, m);
	if (me->len > (size_t)st->rate * STEREO_LAG_S) {
		size_t target = me->len - (size_t)st->rate * STEREO_KEEP_S;

		memset(other->buf + other->len, 0,
		       (target - other->len) * sizeof(int16_t));
		other->len = target;
		sift_audio_st_write(a, st, target);
	}
}

/* n samples (NULL: silence) for channel c at stereo position pos. */
void sift_audio_st_push(struct sift_audio *a, struct stereo *st, int c,
			int64_t pos, const int16_t *s, size_t n)
{
	struct stereo_ch *ch = &st->ch[c];
	int64_t end;

	/* The file starts at the first sample of either channel: the first
	 * pushed, or an earlier one that comes before any frame is written
	 * (a direction whose first packets were held for their key). */
	if (!st->begun) {
		st->begun = true;
		st->written = pos;
	} else if (pos < st->written && !st->out && !ch->len) {
		size_t shift = (size_t)(st->written - pos);
		struct stereo_ch *o = &st->ch[!c];

		if (shift <= st->cap - o->len) {
			if (o->len) {
				memmove(o->buf + shift, o->buf, o->len * sizeof(int16_t));
				memset(o->buf, 0, shift * sizeof(int16_t));
				o->len += shift;
			}
			st->written = pos;
		}
	}
	if (pos < st->written) {
		size_t skip = (size_t)(st->written - pos);

		if (skip >= n) {
			st->dropped += n;
			return;
		}
		st->dropped += skip;
		if (s)
			s += skip;
		n -= skip;
		pos = st->written;
	}
	end = st->written + (int64_t)ch->len;
	if (pos < end) {
		/* Overlaps what the channel has: keep the first. */
		size_t skip = (size_t)(end - pos);

		if (skip >= n)
			return;
		if (s)
			s += skip;
		n -= skip;
		pos = end;
	}
	if (pos > end)
		sift_audio_st_push(a, st, c, end, NULL, (size_t)(pos - end));
	while (n) {
		size_t room = st->cap - ch->len, k = n < room ? n : room;

		if (s)
			memcpy(ch->buf + ch->len, s, k * sizeof(int16_t));
		else
			memset(ch->buf + ch->len, 0, k * sizeof(int16_t));
		ch->len += k;
		n -= k;
		if (s)
			s += k;
		st_settle(a, st, c);
	}
}

bool sift_audio_st_open(struct sift_audio *a, struct stereo *st,
			const char *base, unsigned rate)
{
	char why[256];
	enum sift_rc rc;

	if (st->wav || st->failed)
		return st->wav != NULL;
	st->rate = rate;
	st->cap = (size_t)st->rate * STEREO_CAP_S;
	snprintf(st->path, sizeof(st->path), "%s-stereo.wav", base);
	for (int c = 0; c < 2; c++) {
		st->ch[c].buf = malloc(st->cap * sizeof(int16_t));
		if (!st->ch[c].buf) {
			st->failed = true;
			sift_audio_fail(a, st->path, "out of memory", SIFT_ENOMEM);
			return false;
		}
	}
	rc = sift_wav_open(st->path, st->rate, 2, &st->wav, why, sizeof(why));
	if (rc != SIFT_OK) {
		st->failed = true;
		sift_audio_fail(a, st->path, why, rc);
		return false;
	}
	st->opened = true;
	return true;
}

void sift_audio_st_close(struct sift_audio *a, struct stereo *st, uint32_t index)
{
	char why[256];

	if (!st->wav && !st->failed)
		return;
	if (st->wav) {
		size_t m = st->ch[0].len > st->ch[1].len ? st->ch[0].len : st->ch[1].len;

		for (int c = 0; c < 2; c++) {
			memset(st->ch[c].buf + st->ch[c].len, 0,
			       (m - st->ch[c].len) * sizeof(int16_t));
			st->ch[c].len = m;
		}
		sift_audio_st_write(a, st, m);
		if (!st->failed)	/* a failed file is removed */
			sift_audio_add_file(a, st->path, st->rate, 2,
					    sift_wav_frames(st->wav), index,
					    "stereo: caller left, callee right");
		if (sift_wav_close(st->wav, why, sizeof(why)) != SIFT_OK)
			sift_audio_fail(a, st->path, why, SIFT_EIO);
		st->wav = NULL;
	}
	free(st->ch[0].buf);
	free(st->ch[1].buf);
	st->ch[0].buf = st->ch[1].buf = NULL;
}
