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
#include <spandsp/bit_operations.h>
#include <spandsp/g711.h>

#include "media/codec.h"

/* sift_codec_new's out of memory (never, here). */
static bool codec_oom;

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
	struct sift_codec *u = sift_codec_new("PCMU", 8000, 1, &codec_oom);
	struct sift_codec *a = sift_codec_new("pcma", 8000, 1, &codec_oom);

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
	assert_null(sift_codec_new("G726-32", 8000, 1, &codec_oom));
	assert_null(sift_codec_new("telephone-event", 8000, 1, &codec_oom));
	assert_null(sift_codec_new("CN", 8000, 1, &codec_oom));
	/* A codec we do not decode is no lack of memory. */
	assert_false(codec_oom);
}

static void test_g722_round_trip(void **state)
{
	enum { N = 3200 };   /* 200 ms at 16 kHz */
	static int16_t in[N], out[N + SIFT_CODEC_MAX_SAMPLES];
	uint8_t enc[N / 2];
	g722_encode_state_t *e = g722_encode_init(NULL, 64000, 0);
	struct sift_codec *d = sift_codec_new("G722", 8000, 1, &codec_oom);
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
	struct sift_codec *d = sift_codec_new("opus", 48000, 2, &codec_oom);
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
	struct sift_codec *d = sift_codec_new("G729", 8000, 1, &codec_oom);
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
	struct sift_codec *d = sift_codec_new("L16", 44100, 2, &codec_oom);

	(void)state;
	assert_non_null(d);
	assert_int_equal(sift_codec_rate(d), 44100);
	assert_int_equal(sift_codec_decode(d, p, sizeof(p), out, 8), 2);
	assert_int_equal(out[0], 2000);
	assert_int_equal(out[1], -3);
	assert_int_equal(sift_codec_errors(d), 1);   /* the odd byte */
	sift_codec_free(d);
}

/* n samples of the dual tone lo+hi Hz (each at amplitude a) at rate. */
static void tone(int16_t *s, size_t n, unsigned rate, double lo, double hi,
		 double a)
{
	for (size_t i = 0; i < n; i++)
		s[i] = (int16_t)(a * (sin(2 * M_PI * lo * (double)i / rate) +
				      sin(2 * M_PI * hi * (double)i / rate)));
}

/* Feeds a whole buffer as 20 ms packets; returns the changes seen. */
static size_t listen(struct sift_tone_rx *rx, const int16_t *s, size_t n,
		     unsigned rate, struct sift_tone *all, size_t cap)
{
	size_t k = 0, step = rate / 50;

	for (size_t off = 0; off < n; off += step) {
		struct sift_tone ch[SIFT_TONE_MAX];
		size_t m = sift_tone_rx_feed(rx, s + off, n - off < step ? n - off : step, ch);

		for (size_t i = 0; i < m && k < cap; i++)
			all[k++] = ch[i];
	}
	return k;
}

static void test_inband_tones(void **state)
{
	static int16_t s[48000 * 2];
	static const unsigned rates[] = { 8000, 16000, 48000 };
	struct sift_tone all[16];

	(void)state;
	for (size_t r = 0; r < 3; r++) {
		unsigned rate = rates[r];
		struct sift_tone_rx *rx = sift_tone_rx_new(rate, &codec_oom);
		size_t n = 0, k;

		assert_non_null(rx);
		/* 100 ms of silence, '5' (770+1336 Hz) for 100 ms, 200 ms of
		 * silence, '#' (941+1477) for 80 ms, 200 ms of silence. */
		memset(s, 0, sizeof(s));
		n += rate / 10;
		tone(s + n, rate / 10, rate, 770, 1336, 6000);
		n += rate / 10 + rate / 5;
		tone(s + n, rate * 8 / 100, rate, 941, 1477, 6000);
		n += rate * 8 / 100 + rate / 5;
		k = listen(rx, s, n, rate, all, 16);
		assert_int_equal(k, 4);
		assert_int_equal(all[0].digit, '5');
		assert_int_equal(all[1].digit, 0);
		assert_int_equal(all[2].digit, '#');
		assert_int_equal(all[3].digit, 0);
		/* Placed within a block or so of the truth (in 8 kHz samples):
		 * '5' lasts 800 samples, '#' 640. */
		assert_true(all[1].sample - all[0].sample >= 600 &&
			    all[1].sample - all[0].sample <= 1000);
		assert_true(all[3].sample - all[2].sample >= 440 &&
			    all[3].sample - all[2].sample <= 840);
		assert_true(all[0].sample >= 800 && all[0].sample <= 1300);
		assert_int_equal(sift_tone_rx_pos(rx), n / (rate / 8000));
		sift_tone_rx_free(rx);
	}
}

static void test_inband_quiet(void **state)
{
	static int16_t s[8000 * 3];
	struct sift_tone all[16];
	struct sift_tone_rx *rx = sift_tone_rx_new(8000, &codec_oom);

	(void)state;
	/* A dial tone (350+440 Hz, ITU-T E.180) and a 1 kHz test tone are no
	 * digits; rates that are no multiple of 8 kHz are refused. */
	tone(s, 8000 * 2, 8000, 350, 440, 8000);
	tone(s + 16000, 8000, 8000, 1000, 1000, 5000);
	assert_int_equal(listen(rx, s, 24000, 8000, all, 16), 0);
	sift_tone_rx_free(rx);
	assert_null(sift_tone_rx_new(44100, &codec_oom));
	assert_null(sift_tone_rx_new(0, &codec_oom));
	assert_null(sift_tone_rx_new(96000, &codec_oom));
	/* A rate the detector does not take is no lack of memory. */
	assert_false(codec_oom);
	sift_tone_rx_free(NULL);
}

/* n G.711 bytes into the nibble counts sift_g711_looks_random reads. */
static bool judge_bytes(const uint8_t *b, uint32_t n)
{
	uint32_t nib[16] = { 0 };

	for (uint32_t i = 0; i < n; i++)
		nib[b[i] >> 4]++;
	return sift_g711_looks_random(nib, n);
}

/* Ciphertext (here a PRNG's bytes) is random from the minimum on; sound
 * of every kind is not: silence, a tone, speech-like noise at -20 dBm0,
 * and full-scale white noise, in both laws. */
static void test_g711_random(void **state)
{
	uint8_t b[SIFT_G711_SNIFF_BYTES];
	uint32_t x = 2463534242u;

	(void)state;
	for (size_t i = 0; i < sizeof(b); i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		b[i] = (uint8_t)(x >> 24);
	}
	assert_true(judge_bytes(b, sizeof(b)));
	assert_true(judge_bytes(b, SIFT_G711_SNIFF_MIN));
	assert_false(judge_bytes(b, SIFT_G711_SNIFF_MIN - 1));
	for (int law = 0; law < 2; law++) {
		memset(b, law ? 0xd5 : 0xff, sizeof(b));
		assert_false(judge_bytes(b, sizeof(b)));
		for (size_t i = 0; i < sizeof(b); i++) {
			int16_t v = (int16_t)(10000 * sin(2 * M_PI * 1000 * i / 8000.0));

			b[i] = law ? linear_to_alaw(v) : linear_to_ulaw(v);
		}
		assert_false(judge_bytes(b, sizeof(b)));
		for (int amp = 0; amp < 2; amp++) {
			for (size_t i = 0; i < sizeof(b); i++) {
				int32_t v;

				x ^= x << 13;
				x ^= x >> 17;
				x ^= x << 5;
				/* Full scale uniform, or a Laplacian of
				 * speech's kind at about -20 dBm0. */
				if (amp)
					v = (int32_t)(x % 65536) - 32768;
				else
					v = (int32_t)(-1000 * log((x % 65535 + 1) / 65536.0)) *
					    (x & 0x80000000u ? 1 : -1);
				b[i] = law ? linear_to_alaw((int16_t)v) : linear_to_ulaw((int16_t)v);
			}
			assert_false(judge_bytes(b, sizeof(b)));
		}
	}
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
		cmocka_unit_test(test_inband_tones),
		cmocka_unit_test(test_inband_quiet),
		cmocka_unit_test(test_g711_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
