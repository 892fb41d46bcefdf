/* sipsift — audio decoders (codec.h). The only file that includes
 * spandsp, bcg729 and libopus headers; G.711 is here in full; and the
 * in-band DTMF detector (spandsp). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <bcg729/decoder.h>
#include <opus.h>
#include <spandsp/telephony.h>
#include <spandsp/g722.h>
#include <spandsp/logging.h>
#include <spandsp/complex.h>
#include <spandsp/tone_detect.h>
#include <spandsp/super_tone_rx.h>
#include <spandsp/dtmf.h>

#include "media/codec.h"
#include "util/cursor.h"

#define OPUS_RATE 48000
#define OPUS_MAX_FRAME 5760      /* 120 ms at 48 kHz (RFC 6716 §2) */
#define OPUS_PLC_STEP 120        /* PLC lengths are multiples of 2.5 ms */
#define G729_FRAME_BYTES 10
#define G729_SID_BYTES 2         /* Annex B SID frame (RFC 3551 §4.5.6) */
#define G729_FRAME_SAMPLES 80

struct sift_codec {
	enum sift_codec_kind kind;
	unsigned rate;
	unsigned channels;         /* L16: interleaved channels in the payload */
	uint64_t errors;
	g722_decode_state_t *g722;
	bcg729DecoderChannelContextStruct *g729;
	OpusDecoder *opus;
};

/* ITU-T G.711 §A (µ-law): the 8-bit code is complemented, then sign,
 * 3-bit segment and 4-bit step; the bias of 0x84 (33 in 14-bit units)
 * is removed after shifting. */
int16_t sift_g711_ulaw(uint8_t v)
{
	unsigned u = (unsigned)~v & 0xffu;
	int t = (int)(((u & 0x0fu) << 3) + 0x84u);

	t <<= (u & 0x70u) >> 4;
	return (int16_t)((u & 0x80u) ? 0x84 - t : t - 0x84);
}

/* ITU-T G.711 §A (A-law): even bits inverted (0x55), then sign (1 is
 * positive), segment and step. */
int16_t sift_g711_alaw(uint8_t v)
{
	unsigned a = v ^ 0x55u;
	unsigned seg = (a & 0x70u) >> 4;
	int t = (int)((a & 0x0fu) << 4);

	if (seg == 0) {
		t += 8;
	} else {
		t += 0x108;
		t <<= seg - 1;
	}
	return (int16_t)((a & 0x80u) ? t : -t);
}

/* Below this a chi-square of 15 degrees of freedom is uniform (p < 1e-14
 * that ciphertext scores more); the plain streams measured score 455 and
 * more at 800 bytes, about 180 at the 320 bytes of the minimum. */
#define RANDOM_CHI2 100.0

bool sift_g711_looks_random(const uint32_t nib[16], uint32_t total)
{
	double e = total / 16.0, chi = 0;

	if (total < SIFT_G711_SNIFF_MIN)
		return false;
	for (int i = 0; i < 16; i++)
		chi += (nib[i] - e) * (nib[i] - e) / e;
	return chi < RANDOM_CHI2;
}

enum sift_codec_kind sift_codec_kind(const char *name, uint32_t clock)
{
	if (!name)
		return SIFT_CODEC_UNKNOWN;
	if (strcasecmp(name, "PCMU") == 0 && clock == 8000)
		return SIFT_CODEC_PCMU;
	if (strcasecmp(name, "PCMA") == 0 && clock == 8000)
		return SIFT_CODEC_PCMA;
	/* RFC 3551 §4.5.2: G.722's RTP clock is 8000 for 16 kHz audio. */
	if (strcasecmp(name, "G722") == 0 && clock == 8000)
		return SIFT_CODEC_G722;
	if (strcasecmp(name, "G729") == 0 && clock == 8000)
		return SIFT_CODEC_G729;
	if (strcasecmp(name, "opus") == 0 && clock == OPUS_RATE)
		return SIFT_CODEC_OPUS;
	if (strcasecmp(name, "L16") == 0 && clock >= 8000 && clock <= 192000)
		return SIFT_CODEC_L16;
	if (strcasecmp(name, "CN") == 0)
		return SIFT_CODEC_CN;
	if (strcasecmp(name, "telephone-event") == 0)
		return SIFT_CODEC_EVENT;
	return SIFT_CODEC_UNKNOWN;
}

struct sift_codec *sift_codec_new(const char *name, uint32_t clock,
				  unsigned channels, bool *oom)
{
	enum sift_codec_kind k = sift_codec_kind(name, clock);
	struct sift_codec *c;
	int err = 0;

	if (k == SIFT_CODEC_UNKNOWN || k == SIFT_CODEC_CN || k == SIFT_CODEC_EVENT)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		goto nomem;
	c->kind = k;
	c->channels = channels ? channels : 1;
	switch (k) {
	case SIFT_CODEC_G722:
		c->rate = 16000;
		c->g722 = g722_decode_init(NULL, 64000, 0);
		if (!c->g722)
			goto nomem;
		break;
	case SIFT_CODEC_G729:
		c->rate = 8000;
		c->g729 = initBcg729DecoderChannel();
		if (!c->g729)
			goto nomem;
		break;
	case SIFT_CODEC_OPUS:
		/* One output channel: libopus mixes a stereo stream down. */
		c->rate = OPUS_RATE;
		c->opus = opus_decoder_create(OPUS_RATE, 1, &err);
		if (!c->opus || err != OPUS_OK)
			goto nomem;     /* (rate and channels are ours: memory) */
		break;
	case SIFT_CODEC_L16:
		c->rate = clock;
		if (c->channels > 8)
			goto fail;
		break;
	default:
		c->rate = 8000;
		break;
	}
	return c;
nomem:
	*oom = true;
fail:
	sift_codec_free(c);
	return NULL;
}

void sift_codec_free(struct sift_codec *c)
{
	if (!c)
		return;
	if (c->g722)
		g722_decode_free(c->g722);
	if (c->g729)
		closeBcg729DecoderChannel(c->g729);
	if (c->opus)
		opus_decoder_destroy(c->opus);
	free(c);
}

enum sift_codec_kind sift_codec_get_kind(const struct sift_codec *c)
{
	return c->kind;
}

unsigned sift_codec_rate(const struct sift_codec *c)
{
	return c->rate;
}

uint64_t sift_codec_errors(const struct sift_codec *c)
{
	return c->errors;
}

/* RFC 3551 §4.5.6: 10-byte frames, at most one 2-byte SID frame last. */
static size_t decode_g729(struct sift_codec *c, const uint8_t *p, size_t n,
			  int16_t *out, size_t cap)
{
	size_t got = 0, off = 0;

	while (n - off >= G729_FRAME_BYTES && got + G729_FRAME_SAMPLES <= cap) {
		bcg729Decoder(c->g729, p + off, G729_FRAME_BYTES, 0, 0, 0, out + got);
		off += G729_FRAME_BYTES;
		got += G729_FRAME_SAMPLES;
	}
	if (n - off == G729_SID_BYTES && got + G729_FRAME_SAMPLES <= cap) {
		bcg729Decoder(c->g729, p + off, G729_SID_BYTES, 0, 1, 0, out + got);
		off += G729_SID_BYTES;
		got += G729_FRAME_SAMPLES;
	}
	if (off != n)
		c->errors++;
	return got;
}

static size_t decode_opus(struct sift_codec *c, const uint8_t *p, size_t n,
			  int16_t *out, size_t cap)
{
	int frames, got;

	if (n == 0 || n > 0x7fffffff) {
		c->errors++;
		return 0;
	}
	frames = opus_packet_get_nb_samples(p, (opus_int32)n, OPUS_RATE);
	if (frames <= 0 || (size_t)frames > cap || frames > OPUS_MAX_FRAME) {
		c->errors++;
		return 0;
	}
	got = opus_decode(c->opus, p, (opus_int32)n, out, frames, 0);
	if (got <= 0) {
		c->errors++;
		return 0;
	}
	return (size_t)got;
}

/* RFC 3551 §4.5.11: 16-bit big-endian, channels interleaved; mixed down. */
static size_t decode_l16(struct sift_codec *c, const uint8_t *p, size_t n,
			 int16_t *out, size_t cap)
{
	size_t frame = 2u * c->channels, got = 0;
	struct sift_cur cur = sift_cur_make(p, n);

	if (n % frame)
		c->errors++;
	while (sift_cur_has(&cur, frame) && got < cap) {
		int32_t sum = 0;

		for (unsigned ch = 0; ch < c->channels; ch++)
			sum += (int16_t)sift_cur_be16(&cur);
		out[got++] = (int16_t)(sum / (int32_t)c->channels);
	}
	return got;
}

size_t sift_codec_decode(struct sift_codec *c, const uint8_t *p, size_t n,
			 int16_t *out, size_t cap)
{
	size_t got = 0;

	if (!n) {
		c->errors++;
		return 0;
	}
	switch (c->kind) {
	case SIFT_CODEC_PCMU:
		for (; got < n && got < cap; got++)
			out[got] = sift_g711_ulaw(p[got]);
		break;
	case SIFT_CODEC_PCMA:
		for (; got < n && got < cap; got++)
			out[got] = sift_g711_alaw(p[got]);
		break;
	case SIFT_CODEC_G722:
		/* 64 kbit/s: two 16 kHz samples per byte. */
		if (n > cap / 2 || n > 0x7fffffff) {
			c->errors++;
			return 0;
		}
		got = (size_t)g722_decode(c->g722, out, p, (int)n);
		break;
	case SIFT_CODEC_G729:
		got = decode_g729(c, p, n, out, cap);
		break;
	case SIFT_CODEC_OPUS:
		got = decode_opus(c, p, n, out, cap);
		break;
	case SIFT_CODEC_L16:
		got = decode_l16(c, p, n, out, cap);
		break;
	default:
		break;
	}
	return got;
}

size_t sift_codec_plc(struct sift_codec *c, int16_t *out, size_t n)
{
	switch (c->kind) {
	case SIFT_CODEC_OPUS: {
		int got;

		n -= n % OPUS_PLC_STEP;
		if (n > OPUS_MAX_FRAME)
			n = OPUS_MAX_FRAME;
		if (!n)
			return 0;
		got = opus_decode(c->opus, NULL, 0, out, (int)n, 0);
		return got > 0 ? (size_t)got : 0;
	}
	case SIFT_CODEC_G729:
		if (n < G729_FRAME_SAMPLES)
			return 0;
		bcg729Decoder(c->g729, NULL, 0, 1, 0, 0, out);
		return G729_FRAME_SAMPLES;
	default:
		return 0;
	}
}

/* In-band DTMF (codec.h): spandsp's detector, whose limits are ITU-T Q.24
 * (twist, frequency deviation, at least 40 ms of tone, 40 ms of pause). */
struct sift_tone_rx {
	dtmf_rx_state_t *rx;
	unsigned decim;            /* input samples per 8 kHz sample */
	int32_t acc;
	unsigned nacc;
	uint64_t pos;              /* 8 kHz samples given to the detector */
	struct sift_tone *out;     /* the changes of this feed */
	size_t nout;
};

static void tone_change(void *user, int code, int level, int delay)
{
	struct sift_tone_rx *t = user;
	struct sift_tone *c;

	(void)delay;
	if (!t->out || t->nout >= SIFT_TONE_MAX)
		return;
	c = &t->out[t->nout++];
	c->digit = (char)code;
	c->level_dbm0 = level;
	c->sample = t->pos;
}

struct sift_tone_rx *sift_tone_rx_new(unsigned rate, bool *oom)
{
	struct sift_tone_rx *t;

	if (!rate || rate % 8000 != 0 || rate / 8000 > 6)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t) {
		*oom = true;
		return NULL;
	}
	t->decim = rate / 8000;
	t->rx = dtmf_rx_init(NULL, NULL, NULL);
	if (!t->rx) {
		*oom = true;
		free(t);
		return NULL;
	}
	dtmf_rx_set_realtime_callback(t->rx, tone_change, t);
	return t;
}

void sift_tone_rx_free(struct sift_tone_rx *t)
{
	if (!t)
		return;
	dtmf_rx_free(t->rx);
	free(t);
}

size_t sift_tone_rx_feed(struct sift_tone_rx *t, const int16_t *s, size_t n,
			 struct sift_tone out[SIFT_TONE_MAX])
{
	/* Fed in small blocks, so that each change is placed within 10 ms
	 * (pos is where the block that confirmed it ends). */
	int16_t block[80];
	size_t nb = 0;

	t->out = out;
	t->nout = 0;
	for (size_t i = 0; i < n; i++) {
		/* Higher rates come down to 8 kHz by averaging decim samples:
		 * DTMF lies below 1.7 kHz, well inside the first lobe. */
		t->acc += s[i];
		if (++t->nacc < t->decim)
			continue;
		block[nb++] = (int16_t)(t->acc / (int32_t)t->decim);
		t->acc = 0;
		t->nacc = 0;
		if (nb == sizeof(block) / sizeof(block[0])) {
			t->pos += nb;
			dtmf_rx(t->rx, block, (int)nb);
			nb = 0;
		}
	}
	if (nb) {
		t->pos += nb;
		dtmf_rx(t->rx, block, (int)nb);
	}
	t->out = NULL;
	return t->nout;
}

uint64_t sift_tone_rx_pos(const struct sift_tone_rx *t)
{
	return t->pos;
}
