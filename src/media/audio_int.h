/* sipsift — audio export's own state, shared by the files of
 * src/media/audio*.c: audio.c (the files of each call), audio_resample.c
 * (the resampler), audio_stereo.c (the stereo file), audio_sniff.c (G.711
 * judged before it is decoded). */
#ifndef SIFT_AUDIO_INT_H
#define SIFT_AUDIO_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "media/audio.h"
#include "media/codec.h"
#include "sipsift/common.h"

/* calloc and strdup that note memory running out in *oom (sift_audio_oom:
 * the run's out of memory), as sift_grow_oom does, so that no file,
 * record or note goes missing without a word. */
static inline void *sift_audio_zalloc(bool *oom, size_t n)
{
	void *p = calloc(1, n);

	if (!p)
		*oom = true;
	return p;
}

static inline char *sift_audio_dup(bool *oom, const char *s)
{
	char *d = strdup(s);

	if (!d)
		*oom = true;
	return d;
}

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
/* v samples at from Hz, at to Hz; in two steps, so that no product can
 * overflow for positions of any plausible capture. */
int64_t sift_rs_rescale(int64_t v, unsigned from, unsigned to);

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

/* A file that failed: the export's first error is kept (path is the file
 * it concerns); rc SIFT_ENOMEM is out of memory (sift_audio_oom). */
void sift_audio_fail(struct sift_audio *a, const char *path, const char *why,
		     enum sift_rc rc);
/* A file written, for the list the command prints. */
void sift_audio_add_file(struct sift_audio *a, const char *path, unsigned rate,
			 unsigned channels, uint64_t frames, uint32_t index,
			 const char *what);
/* The stereo file st of a call whose files are named base, opened at rate
 * with its first samples; false when it cannot be (said once). */
bool sift_audio_st_open(struct sift_audio *a, struct stereo *st,
			const char *base, unsigned rate);
/* The call's stereo file finished, both channels to the same length, and
 * listed as file of call index. */
void sift_audio_st_close(struct sift_audio *a, struct stereo *st, uint32_t index);
/* The first frames of both channels written to the file. */
void sift_audio_st_write(struct sift_audio *a, struct stereo *st, size_t frames);
/* n samples (NULL: silence) for channel c at stereo position pos. */
void sift_audio_st_push(struct sift_audio *a, struct stereo *st, int c,
			int64_t pos, const int16_t *s, size_t n);


/* ---- G.711 judged before it is decoded (audio_sniff.c) ------------ */

/* A G.711 direction's first packets are held, and their bytes counted,
 * until SIFT_G711_SNIFF_BYTES of G.711 (or SIFT_SNIFF_PKTS packets) came:
 * then sift_g711_looks_random says whether they are sound, which goes to
 * the track, held packets first, or ciphertext, which goes nowhere. */
#define SIFT_SNIFF_PKTS 16

struct sift_sniff;
struct sift_track;
struct sift_media_payload;

/* Packet mp of a direction being judged (*sn, made at its first packet),
 * whose track is t: true when it is judged, with *random the verdict. */
bool sift_sniff_packet(struct sift_sniff **sn, struct sift_track *t,
		       const struct sift_media_payload *mp,
		       enum sift_codec_kind kind, int64_t cap_pos, bool *random);
/* The direction ends before it was judged: judged on what came (too little
 * is sound). Returns the verdict; *sn is freed. */
bool sift_sniff_end(struct sift_sniff **sn, struct sift_track *t);

#endif
