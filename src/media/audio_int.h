/* sipsift — audio export's own state, shared by the files of
 * src/media/audio*.c: audio.c (the files of each call), audio_resample.c
 * (the resampler), audio_stereo.c (the stereo mixer). */
#ifndef SIFT_AUDIO_INT_H
#define SIFT_AUDIO_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "media/audio.h"

#define PATH_LEN 4096
#define NAME_LEN (PATH_LEN + 64)   /* base name and a suffix */
#define STEREO_LAG_S 2             /* a channel this far ahead is written... */
#define STEREO_KEEP_S 1            /* ... up to this much before its end */
#define STEREO_CAP_S 3             /* buffer per channel */

/* ---- resampling (linear interpolation, streaming) ----------------- */

struct rsmp {
	unsigned in, out;
	uint64_t nin, nout;
	int16_t last;
};

typedef void (*sift_rs_emit_fn)(void *ctx, const int16_t *s, size_t n);

void sift_rs_init(struct rsmp *r, unsigned in, unsigned out);
/* Output sample k is the input at k*in/out, between its two neighbours. */
void sift_rs_run(struct rsmp *r, const int16_t *s, size_t n, sift_rs_emit_fn fn,
		 void *ctx);
/* The last input sample stands for what is left of the output. */
void sift_rs_flush(struct rsmp *r, sift_rs_emit_fn fn, void *ctx);

/* ---- the stereo file ---------------------------------------------- */

struct sift_wav;

struct stereo_ch {
	int16_t *buf;
	size_t len;        /* samples from st->written on */
};

struct stereo {
	unsigned rate;
	char path[NAME_LEN];
	struct sift_wav *wav;
	bool failed;
	bool opened;       /* the file was created */
	int64_t written;   /* frames (the first is the first sample pushed,
			    * or an earlier one pushed before any frame was
			    * written) */
	bool begun;        /* a sample was pushed */
	bool out;          /* a frame was written */
	size_t cap;
	struct stereo_ch ch[2];
	uint64_t dropped;  /* samples of a channel too late for the file */
};

/* The first error of the export is kept; path is the file it concerns. */
void sift_audio_fail(struct sift_audio *a, const char *path, const char *why);
/* The first frames of both channels written to the file. */
void sift_audio_st_write(struct sift_audio *a, struct stereo *st, size_t frames);
/* n samples (NULL: silence) for channel c at stereo position pos. */
void sift_audio_st_push(struct sift_audio *a, struct stereo *st, int c,
			int64_t pos, const int16_t *s, size_t n);

#endif
