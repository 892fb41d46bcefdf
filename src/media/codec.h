/* sipsift — audio decoders, one object per stream direction: G.711 µ-law
 * and A-law (ITU-T G.711, in-tree), G.722 (spandsp), G.729 with Annex B
 * SID frames (bcg729), Opus (libopus, RFC 7587) and L16 (RFC 3551 §4.5.11).
 * Every decoder gives mono 16-bit samples at its own rate (sift_codec_rate);
 * stereo payloads are mixed down. Decoders never print: a payload they
 * cannot read is counted (sift_codec_errors) and gives no samples. */
#ifndef SIPSIFT_CODEC_H
#define SIPSIFT_CODEC_H

#include "sipsift/common.h"

/* Room for the samples of one packet: Opus' 120 ms at 48 kHz, a 1500-byte
 * G.729 payload (150 frames of 80), a 4096-byte G.722 payload. */
#define SIFT_CODEC_MAX_SAMPLES 16384

enum sift_codec_kind {
	SIFT_CODEC_UNKNOWN = 0,   /* not decoded: reported, never written */
	SIFT_CODEC_PCMU,
	SIFT_CODEC_PCMA,
	SIFT_CODEC_G722,
	SIFT_CODEC_G729,
	SIFT_CODEC_OPUS,
	SIFT_CODEC_L16,
	SIFT_CODEC_CN,            /* RFC 3389 comfort noise: no samples */
	SIFT_CODEC_EVENT          /* RFC 4733 telephone-event: no samples */
};

/* What an rtpmap names (encoding name, case-insensitive, and clock rate). */
enum sift_codec_kind sift_codec_kind(const char *name, uint32_t clock);

struct sift_codec;

/* A decoder for rtpmap name/clock/channels; NULL when the codec is not
 * audio we decode (CN, telephone-event, unknown, L16 of more than 8
 * channels) or (*oom set) memory ran out. */
struct sift_codec *sift_codec_new(const char *name, uint32_t clock,
				  unsigned channels, bool *oom);
void sift_codec_free(struct sift_codec *c);

enum sift_codec_kind sift_codec_get_kind(const struct sift_codec *c);
/* Samples per second of its output (G.722: 16000 with an RTP clock of
 * 8000; Opus: 48000). */
unsigned sift_codec_rate(const struct sift_codec *c);

/* Decodes one RTP payload into at most cap samples. Returns the count;
 * 0 for a payload it cannot read (counted). */
size_t sift_codec_decode(struct sift_codec *c, const uint8_t *p, size_t n,
			 int16_t *out, size_t cap);

/* Packet loss concealment: up to n samples of the codec's own guess for
 * a lost packet (Opus, G.729). Returns 0 when the codec has none; the
 * caller then writes silence. */
size_t sift_codec_plc(struct sift_codec *c, int16_t *out, size_t n);

uint64_t sift_codec_errors(const struct sift_codec *c);

/* ITU-T G.711 expansion of one byte (exposed for the unit tests). */
int16_t sift_g711_ulaw(uint8_t v);
int16_t sift_g711_alaw(uint8_t v);

/* Whether G.711 bytes are too uniform to be sound: ciphertext (SRTP whose
 * key is not in the capture, or a vendor's own media encryption announced
 * as RTP/AVP). nib[i] counts the bytes whose high nibble (sign and
 * segment) is i, total of them. Sound, silence most of all, keeps to a few
 * segments; ciphertext fills all 16 evenly. Chi-square against uniform
 * (15 degrees of freedom: about 15 for ciphertext), measured on the first
 * 800 payload bytes of every G.711 stream of testdata and the public
 * corpus (214 captures): 3-31 for the 40 encrypted ones (SRTP, and
 * X-mitel-crypto in RTP/AVP), 455 and more for the 70 plain ones. Fewer
 * than SIFT_G711_SNIFF_MIN bytes are no evidence: false. */
#define SIFT_G711_SNIFF_MIN 320
#define SIFT_G711_SNIFF_BYTES 800
bool sift_g711_looks_random(const uint32_t nib[16], uint32_t total);

/* In-band DTMF: ITU-T Q.23 dual tones in decoded audio, found by spandsp's
 * detector (ITU-T Q.24 limits). Audio at 16 or 48 kHz is brought to 8 kHz
 * by averaging (DTMF lies below 1.7 kHz). Each confirmed start of a digit
 * and each end is a change, placed at the number of 8 kHz samples fed
 * when it was confirmed (within 10 ms). */
#define SIFT_TONE_MAX 16

struct sift_tone {
	char digit;              /* '0'-'9', '*', '#', 'A'-'D'; 0: it ended */
	int level_dbm0;          /* the tone's level, at its start */
	uint64_t sample;
};

struct sift_tone_rx;

/* NULL for a rate that is no multiple of 8000 up to 48000, or (*oom set)
 * no memory. */
struct sift_tone_rx *sift_tone_rx_new(unsigned rate, bool *oom);
void sift_tone_rx_free(struct sift_tone_rx *t);
/* Feeds n samples at the rate given; the changes go to out (at most
 * SIFT_TONE_MAX a feed; feed packets, not whole files). Returns how many. */
size_t sift_tone_rx_feed(struct sift_tone_rx *t, const int16_t *s, size_t n,
			 struct sift_tone out[SIFT_TONE_MAX]);
/* 8 kHz samples fed so far. */
uint64_t sift_tone_rx_pos(const struct sift_tone_rx *t);

#endif
