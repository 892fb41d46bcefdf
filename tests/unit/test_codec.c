/* Unit tests for the audio decoders (src/codec.c): G.711 against the
 * values of ITU-T G.711's tables, and G.722, G.729 and Opus by a round
 * trip through their own encoders (spandsp, bcg729, libopus: included
 * here only, as test fixtures). */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <bcg729/encoder.h>
#include <opus.h>
#include <spandsp/telephony.h>
#include <spandsp/g722.h>

#include "sipsift/codec.h"

#define PI 3.14159265358979323846

static void sine(int16_t *s, size_t n, double hz, unsigned rate)
{
	for (size_t i = 0; i < n; i++)
		s[i] = (int16_t)(12000.0 * sin(2.0 * PI * hz * (double)i / rate));
}

/* Best normalised cross-correlation of b (delayed by 0..maxlag) with a,
 * skipping the first skip samples (encoder start-up). */
static double best_ncc(const int16_t *a, const int16_t *b, size_t n,
		       size_t maxlag, size_t skip)
{
	double best = -1.0;

	for (size_t lag = 0; lag <= maxlag; lag++) {
		double num = 0, ea = 0, eb = 0;

		for (size_t i = skip; i + lag < n; i++) {
			num += (double)a[i] * b[i + lag];
			ea += (double)a[i] * a[i];
			eb += (double)b[i + lag] * b[i + lag];
		}
		if (ea > 0 && eb > 0 && num / sqrt(ea * eb) > best)
			best = num / sqrt(ea * eb);
	}
	return best;
}

static void test_g711_tables(void **state)
{
	(void)state;
	/* Values of the G.711 tables (µ-law §2 Table 2a, A-law Table 1a). */
	assert_int_equal(sift_g711_ulaw(0x00), -32124);
	assert_int_equal(sift_g711_ulaw(0x80), 32124);
	assert_int_equal(sift_g711_ulaw(0x0f), -16764);
	assert_int_equal(sift_g711_ulaw(0x13), -14460);
	assert_int_equal(sift_g711_ulaw(0x55), -716);
	assert_int_equal(sift_g711_ulaw(0x7f), 0);
	assert_int_equal(sift_g711_ulaw(0xff), 0);
	assert_int_equal(sift_g711_alaw(0xd5), 8);
	assert_int_equal(sift_g711_alaw(0x55), -8);
	assert_int_equal(sift_g711_alaw(0x2a), -32256);
	assert_int_equal(sift_g711_alaw(0xaa), 32256);
	assert_int_equal(sift_g711_alaw(0x00), -5504);
	assert_int_equal(sift_g711_alaw(0x13), -2880);
	assert_int_equal(sift_g711_alaw(0x7f), -848);
	/* The sign bit mirrors every code. */
	for (unsigned b = 0; b < 256; b++) {
		assert_int_equal(sift_g711_alaw((uint8_t)b), -sift_g711_alaw((uint8_t)(b ^ 0x80)));
		assert_int_equal(sift_g711_ulaw((uint8_t)b), -sift_g711_ulaw((uint8_t)(b ^ 0x80)));
	}
}

static void test_g711_decode(void **state)
{
	uint8_t p[160];
	int16_t out[SIFT_CODEC_MAX_SAMPLES];
	struct sift_codec *u = sift_codec_new("PCMU", 8000, 1);
	struct sift_codec *a = sift_codec_new("pcma", 8000, 1);

	(void)state;
	assert_non_null(u);
	assert_non_null(a);
	assert_int_equal(sift_codec_rate(u), 8000);
	for (unsigned i = 0; i < sizeof(p); i++)
		p[i] = (uint8_t)i;
	assert_int_equal(sift_codec_decode(u, p, sizeof(p), out, sizeof(out) / 2), 160);
	assert_int_equal(out[0], -32124);
	assert_int_equal(sift_codec_decode(a, p, sizeof(p), out, sizeof(out) / 2), 160);
	assert_int_equal(out[0x13], -2880);
	/* Never more than the room given. */
	assert_int_equal(sift_codec_decode(u, p, sizeof(p), out, 10), 10);
	assert_int_equal(sift_codec_plc(u, out, 160), 0);
	assert_int_equal(sift_codec_decode(u, p, 0, out, 10), 0);
	assert_int_equal(sift_codec_errors(u), 1);
	sift_codec_free(u);
	sift_codec_free(a);
}

static void test_kinds(void **state)
{
	(void)state;
	assert_int_equal(sift_codec_kind("PCMU", 8000), SIFT_CODEC_PCMU);
	assert_int_equal(sift_codec_kind("G722", 8000), SIFT_CODEC_G722);
	assert_int_equal(sift_codec_kind("G729", 8000), SIFT_CODEC_G729);
	assert_int_equal(sift_codec_kind("opus", 48000), SIFT_CODEC_OPUS);
	assert_int_equal(sift_codec_kind("L16", 44100), SIFT_CODEC_L16);
	assert_int_equal(sift_codec_kind("CN", 8000), SIFT_CODEC_CN);
	assert_int_equal(sift_codec_kind("telephone-event", 8000), SIFT_CODEC_EVENT);
	assert_int_equal(sift_codec_kind("G726-32", 8000), SIFT_CODEC_UNKNOWN);
	assert_int_equal(sift_codec_kind("PCMU", 16000), SIFT_CODEC_UNKNOWN);
	assert_int_equal(sift_codec_kind(NULL, 8000), SIFT_CODEC_UNKNOWN);
	assert_null(sift_codec_new("G726-32", 8000, 1));
	assert_null(sift_codec_new("telephone-event", 8000, 1));
	assert_null(sift_codec_new("CN", 8000, 1));
}

static void test_g722_round_trip(void **state)
{
	enum { N = 3200 };   /* 200 ms at 16 kHz */
	static int16_t in[N], out[N + SIFT_CODEC_MAX_SAMPLES];
	uint8_t enc[N / 2];
	g722_encode_state_t *e = g722_encode_init(NULL, 64000, 0);
	struct sift_codec *d = sift_codec_new("G722", 8000, 1);
	size_t got = 0;
	int n;

	(void)state;
	assert_non_null(e);
	assert_non_null(d);
	assert_int_equal(sift_codec_rate(d), 16000);
	sine(in, N, 1000.0, 16000);
	n = g722_encode(e, enc, in, N);
	assert_int_equal(n, N / 2);
	/* 20 ms packets of 160 bytes: 320 samples each. */
	for (int off = 0; off < n; off += 160)
		got += sift_codec_decode(d, enc + off, 160, out + got, SIFT_CODEC_MAX_SAMPLES);
	assert_int_equal(got, N);
	assert_true(best_ncc(in, out, N, 64, 320) > 0.95);
	g722_encode_free(e);
	sift_codec_free(d);
}

static void test_opus_round_trip(void **state)
{
	enum { FRAME = 960, FRAMES = 25, N = FRAME * FRAMES };   /* 500 ms */
	static int16_t in[N], out[N + SIFT_CODEC_MAX_SAMPLES];
	uint8_t pkt[1500];
	int err = 0;
	OpusEncoder *e = opus_encoder_create(48000, 1, OPUS_APPLICATION_VOIP, &err);
	struct sift_codec *d = sift_codec_new("opus", 48000, 2);
	size_t got = 0, plc;

	(void)state;
	assert_non_null(e);
	assert_non_null(d);
	assert_int_equal(sift_codec_rate(d), 48000);
	sine(in, N, 440.0, 48000);
	for (int f = 0; f < FRAMES; f++) {
		opus_int32 n = opus_encode(e, in + f * FRAME, FRAME, pkt, sizeof(pkt));

		assert_true(n > 0);
		got += sift_codec_decode(d, pkt, (size_t)n, out + got, SIFT_CODEC_MAX_SAMPLES);
	}
	assert_int_equal(got, N);
	assert_true(best_ncc(in, out, N, 1000, 4800) > 0.9);
	/* Its loss concealment continues the tone. */
	plc = sift_codec_plc(d, out, FRAME);
	assert_int_equal(plc, FRAME);
	/* Garbage is counted, not decoded. */
	pkt[0] = 0xff;
	pkt[1] = 0xff;
	assert_int_equal(sift_codec_decode(d, pkt, 1, out, SIFT_CODEC_MAX_SAMPLES), 0);
	assert_true(sift_codec_errors(d) >= 1);
	opus_encoder_destroy(e);
	sift_codec_free(d);
}

static void test_g729_round_trip(void **state)
{
	enum { N = 4000 };   /* 500 ms at 8 kHz: 50 frames */
	static int16_t in[N], out[N + SIFT_CODEC_MAX_SAMPLES];
	uint8_t pkt[20];
	bcg729EncoderChannelContextStruct *e = initBcg729EncoderChannel(0);
	struct sift_codec *d = sift_codec_new("G729", 8000, 1);
	size_t got = 0;

	(void)state;
	assert_non_null(e);
	assert_non_null(d);
	sine(in, N, 500.0, 8000);
	/* Two 10 ms frames per 20 ms packet (RFC 3551 §4.5.6). */
	for (int f = 0; f < N / 80; f += 2) {
		uint8_t len = 0, len2 = 0;

		bcg729Encoder(e, in + f * 80, pkt, &len);
		bcg729Encoder(e, in + (f + 1) * 80, pkt + 10, &len2);
		assert_int_equal(len, 10);
		assert_int_equal(len2, 10);
		got += sift_codec_decode(d, pkt, 20, out + got, SIFT_CODEC_MAX_SAMPLES);
	}
	assert_int_equal(got, N);
	assert_true(best_ncc(in, out, N, 200, 800) > 0.8);
	assert_int_equal(sift_codec_plc(d, out, 160), 80);
	/* 7 bytes: no frame, counted. */
	assert_int_equal(sift_codec_decode(d, pkt, 7, out, SIFT_CODEC_MAX_SAMPLES), 0);
	assert_int_equal(sift_codec_errors(d), 1);
	closeBcg729EncoderChannel(e);
	sift_codec_free(d);
}

static void test_l16(void **state)
{
	/* Stereo, big-endian: (1000, 3000) and (-2, -4) mix to 2000 and -3. */
	const uint8_t p[] = { 0x03, 0xe8, 0x0b, 0xb8, 0xff, 0xfe, 0xff, 0xfc, 0x01 };
	int16_t out[8];
	struct sift_codec *d = sift_codec_new("L16", 44100, 2);

	(void)state;
	assert_non_null(d);
	assert_int_equal(sift_codec_rate(d), 44100);
	assert_int_equal(sift_codec_decode(d, p, sizeof(p), out, 8), 2);
	assert_int_equal(out[0], 2000);
	assert_int_equal(out[1], -3);
	assert_int_equal(sift_codec_errors(d), 1);   /* the odd byte */
	sift_codec_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_g711_tables),
		cmocka_unit_test(test_g711_decode),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_g722_round_trip),
		cmocka_unit_test(test_opus_round_trip),
		cmocka_unit_test(test_g729_round_trip),
		cmocka_unit_test(test_l16),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
