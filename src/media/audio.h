/* sipsift — audio export (the `audio` command): every readable RTP packet
 * of a call is decoded (codec.h) and placed by its RTP timestamp, never by
 * its arrival, into one WAV per stream direction and one stereo WAV per
 * call (caller left, callee right, aligned by capture time) (wav.h).
 *
 * Placement (struct sift_track): positions are samples on the call's
 * timeline, whose zero is the capture time of the call's first audio
 * packet. A direction's first packet, and the first after a new SSRC or a
 * timestamp jump of more than SIFT_TRACK_MAX_JUMP_S, is anchored at its
 * capture time; the packets after it follow their RTP timestamps. A small
 * reorder buffer puts late packets back in order; a packet that comes
 * after its place was written is dropped (counted). Gaps are the codec's
 * loss concealment for up to SIFT_TRACK_PLC_MS, then silence; after comfort
 * noise (RFC 3389) or telephone-events (RFC 4733) a gap is silence. */
#ifndef SIPSIFT_AUDIO_H
#define SIPSIFT_AUDIO_H

#include "sipsift/call.h"
#include "media/codec.h"
#include "sipsift/common.h"
#include "sipsift/media.h"

#define SIFT_TRACK_REORDER 8          /* packets held to undo reordering */
#define SIFT_TRACK_SLOT_BYTES 4096    /* a larger payload is counted, lost */
#define SIFT_TRACK_MAX_JUMP_S 60      /* a bigger timestamp jump is a reset */
#define SIFT_TRACK_AHEAD_S 5          /* timestamps running this far ahead of
				       * the capture clock are a reset too */
#define SIFT_TRACK_PLC_MS 60          /* concealment, then silence */

typedef void (*sift_track_out_fn)(void *ctx, const int16_t *s, size_t n);

struct sift_track_slot {
	int64_t pos;
	uint16_t len;
	uint8_t kind;                 /* enum sift_codec_kind */
	uint64_t seq;                 /* arrival order, for equal positions */
	uint8_t data[SIFT_TRACK_SLOT_BYTES];
};

struct sift_track {
	struct sift_codec *dec;       /* owned */
	unsigned rate;                /* output samples per second */
	uint32_t clock;               /* RTP clock */
	sift_track_out_fn out;
	void *ctx;
	bool started;
	bool emitted;
	uint32_t ssrc;
	uint32_t hi_rtp;              /* highest timestamp so far ... */
	int64_t hi_ext;               /* ... and it unwrapped */
	int64_t anchor_pos;           /* position of extended timestamp 0 */
	int64_t first_pos;            /* position of the first sample written */
	int64_t pos;                  /* position of the next sample */
	int64_t last_start;           /* position of the last packet written */
	bool quiet;                   /* CN or event since the last audio */
	struct sift_track_slot slots[SIFT_TRACK_REORDER];
	unsigned nslots;
	uint64_t nseq;
	int16_t buf[SIFT_CODEC_MAX_SAMPLES];
	/* Anomalies, counted. */
	uint64_t packets;
	uint64_t late;                /* duplicates, or too late to place */
	uint64_t resets;              /* timestamp jumps */
	uint64_t ssrc_changes;
	uint64_t too_big;
	uint64_t plc_samples;
	uint64_t silence_samples;
	uint64_t quiet_packets;       /* CN and telephone-event */
};

/* dec (owned from now on) decodes; out gets the samples, contiguous from
 * the first one written, at sift_codec_rate(dec) samples per second. */
void sift_track_init(struct sift_track *t, struct sift_codec *dec,
		     uint32_t clock, sift_track_out_fn out, void *ctx);
/* One packet: kind says whether it is audio (decoded by dec), CN or an
 * event; cap_pos is where its capture time puts it on the timeline. */
void sift_track_packet(struct sift_track *t, uint32_t ssrc, uint32_t rtp_ts,
		       enum sift_codec_kind kind, const uint8_t *p, size_t n,
		       int64_t cap_pos);
/* Writes out what the reorder buffer holds. */
void sift_track_flush(struct sift_track *t);
/* Flushes and frees the decoder. */
void sift_track_done(struct sift_track *t);

struct sift_audio_opts {
	const char *dir;              /* where the files go */
	bool mono;                    /* one file per direction */
	bool stereo;                  /* one stereo file per call */
	unsigned rate;                /* 0: each codec's own rate */
	uint32_t call_index;          /* only this call (--call N), 0: all */
	/* The selection (--call, --from, ...) as far as it is known while a
	 * call runs: false for a call whose audio is not wanted. NULL: all. */
	bool (*want)(const void *ctx, const struct sift_call *c);
	const void *want_ctx;
	/* The whole selection (--state too) when the call has ended: false
	 * for a call whose files are then removed. NULL: all kept. */
	bool (*keep)(const void *ctx, const struct sift_call *c);
	const void *keep_ctx;
};

struct sift_audio;

struct sift_audio *sift_audio_new(const struct sift_audio_opts *o);
void sift_audio_free(struct sift_audio *a);

/* A readable RTP packet (media.h's sink) of call c (NULL: a stream of no
 * call, found by --key or the RTP heuristic). What audio keeps for c (its
 * files while open, its streams' records) hangs off c->part[SIFT_PART_AUDIO]
 * and goes with sift_audio_release; that of no call stays to the end. */
void sift_audio_payload(struct sift_audio *a, const struct sift_media_payload *mp,
			struct sift_call *c);

/* The call is finished: its files are completed and closed. */
void sift_audio_call_done(struct sift_audio *a, const struct sift_call *c);
/* The call is being freed (its part release, sift_calls_set_part): its
 * files are closed if still open, and its streams' records go, at a cost
 * of what the call owns. */
void sift_audio_release(struct sift_audio *a, struct sift_call *c);
/* A stream of call c (NULL: of no call) that is finished, or the input
 * is: an SRTP stream that no key decrypted reached no WAV (its packets
 * never came here), and a note says why. */
void sift_audio_stream_done(struct sift_audio *a, const struct sift_stream *s,
			    const struct sift_call *c);
/* End of input: every file is completed and closed. */
void sift_audio_finish(struct sift_audio *a);

/* The WAV file that holds stream id, or NULL; and why none, or NULL. */
const char *sift_audio_stream_wav(const struct sift_audio *a, uint32_t id);
const char *sift_audio_stream_note(const struct sift_audio *a, uint32_t id);

/* The first output error as "PATH: what failed", or NULL. */
const char *sift_audio_error(const struct sift_audio *a);
/* Memory ran out: a file, a stream's record or a note is missing (the
 * pipeline's out of memory). Stays true. */
bool sift_audio_oom(const struct sift_audio *a);

/* Files written, in the order they were finished. */
struct sift_audio_file {
	char *path;
	unsigned rate;
	unsigned channels;
	uint64_t frames;
	uint32_t call_index;
	char what[96];                /* "caller: PCMU/8000 from ... to ..." */
};
size_t sift_audio_nfiles(const struct sift_audio *a);
const struct sift_audio_file *sift_audio_file(const struct sift_audio *a, size_t i);

/* Notes for people (a codec that is not decoded), in order. */
size_t sift_audio_nnotes(const struct sift_audio *a);
const char *sift_audio_note(const struct sift_audio *a, size_t i);

#endif
