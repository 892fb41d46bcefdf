/* libFuzzer target for the audio decoders (src/codec.c) and the placement
 * of their output (src/audio.c: struct sift_track).
 *
 * Input: byte 0 picks the codec (PCMU, PCMA, G722, G729, opus, L16 with
 * byte 1 channels), then records of [len:2][flags:1][ts step:2] and len
 * payload bytes. flags bit 0: a new SSRC; bit 1: comfort noise; bit 2: a
 * telephone-event; bits 3-4: the capture time leaps (0, 1 s, 100 s, back).
 * Each payload also goes through the decoder alone, and its concealment
 * is asked for; what that decoder gives goes to the in-band DTMF detector.
 *
 * Invariants (abort() on violation): a decoder gives at most the room it
 * was given and never more than a payload can hold; concealment at most
 * what was asked; the track writes contiguous samples, exactly as many as
 * it says it wrote, and its buffer is empty when done; the detector
 * reports at most SIFT_TONE_MAX changes a feed, none past what it was fed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "media/audio.h"
#include "media/codec.h"

#include "fuzz_check.h"

/* sift_codec_new's out of memory (never, here). */
static bool codec_oom;

static const struct {
	const char *name;
	uint32_t clock;
	enum sift_codec_kind kind;
} codecs[] = {
	{ "PCMU", 8000, SIFT_CODEC_PCMU },
	{ "PCMA", 8000, SIFT_CODEC_PCMA },
	{ "G722", 8000, SIFT_CODEC_G722 },
	{ "G729", 8000, SIFT_CODEC_G729 },
	{ "opus", 48000, SIFT_CODEC_OPUS },
	{ "L16", 16000, SIFT_CODEC_L16 },
};

static uint64_t written;

static void count(void *ctx, const int16_t *s, size_t n)
{
	(void)ctx;
	check(s != NULL);
	written += n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int16_t out[SIFT_CODEC_MAX_SAMPLES];
	static struct sift_track t;
	struct sift_codec *solo;
	struct sift_codec *dec;
	struct sift_tone_rx *rx;
	unsigned which, channels = 1;
	size_t off = 2;
	uint32_t ts = 1000, ssrc = 1;
	int64_t cap = 0;

	if (size < 2)
		return 0;
	which = data[0] % (sizeof(codecs) / sizeof(codecs[0]));
	if (codecs[which].kind == SIFT_CODEC_L16)
		channels = 1 + data[1] % 3;
	solo = sift_codec_new(codecs[which].name, codecs[which].clock, channels, &codec_oom);
	dec = sift_codec_new(codecs[which].name, codecs[which].clock, channels, &codec_oom);
	check(solo && dec);
	rx = sift_tone_rx_new(sift_codec_rate(solo), &codec_oom);
	check(rx != NULL);
	check(sift_codec_get_kind(dec) == codecs[which].kind);
	written = 0;
	sift_track_init(&t, dec, codecs[which].clock, count, NULL);
	while (size - off >= 5) {
		size_t len = (size_t)data[off] << 8 | data[off + 1];
		uint8_t flags = data[off + 2];
		uint32_t step = (uint32_t)data[off + 3] << 8 | data[off + 4];
		enum sift_codec_kind kind = codecs[which].kind;
		const uint8_t *p;
		size_t got, room;
		int64_t rate = sift_codec_rate(solo);

		off += 5;
		if (len > size - off)
			len = size - off;
		p = data + off;
		off += len;
		/* Alone: bounded by the room and by what the bytes can hold. */
		room = (size_t)(flags >> 5) * 1000 + 1;
		if (room > SIFT_CODEC_MAX_SAMPLES)
			room = SIFT_CODEC_MAX_SAMPLES;
		got = sift_codec_decode(solo, p, len, out, room);
		check(got <= room);
		check(got <= len * 2 + (codecs[which].kind == SIFT_CODEC_G729 ||
					codecs[which].kind == SIFT_CODEC_OPUS ? 5760 : 0));
		{
			struct sift_tone ch[SIFT_TONE_MAX];
			size_t nch = sift_tone_rx_feed(rx, out, got, ch);

			check(nch <= SIFT_TONE_MAX);
			for (size_t i = 0; i < nch; i++)
				check(ch[i].sample <= sift_tone_rx_pos(rx));
		}
		check(sift_codec_plc(solo, out, room) <= room);
		/* Through the placement. */
		if (flags & 1)
			ssrc++;
		if (flags & 2)
			kind = SIFT_CODEC_CN;
		else if (flags & 4)
			kind = SIFT_CODEC_EVENT;
		switch ((flags >> 3) & 3) {
		case 1:
			cap += rate;
			break;
		case 2:
			cap += 100 * rate;
			break;
		case 3:
			cap -= rate;
			break;
		default:
			cap += (int64_t)step * rate / (int64_t)codecs[which].clock;
			break;
		}
		ts += step;
		sift_track_packet(&t, ssrc, ts, kind, p, len, cap);
	}
	sift_track_done(&t);
	check(t.nslots == 0);
	if (t.emitted)
		check(t.pos >= t.first_pos);
	check(written == (uint64_t)(t.emitted ? t.pos - t.first_pos : 0));
	sift_codec_free(solo);
	sift_tone_rx_free(rx);
	return 0;
}
