/* Unit tests for the call quality score (src/media/quality.c): ITU-T
 * G.107 E-model R and MOS, worked by hand from G.107's formulas with its
 * Table 3 defaults (SLR 8, RLR 2, STMR 15, LSTR 18, Ds 3, TELR 65,
 * WEPL 110, qdu 1, Nc -70, Nfor -64, Ps 35, Pr 35, A 0):
 *
 *   Nos = 35 - 8 - 3 - 100 + 0.004 (35 - 10 - 3 - 14)^2   = -75.744
 *   Pre = 35 + 10 lg(1 + 10^-0.8) = 35.6389
 *   Nor = 2 - 121 + 35.6389 + 0.008 (0.6389)^2             = -83.358
 *   Nfo = -64 + 2 = -62
 *   No  = 10 lg(10^-7 + 10^-7.5744 + 10^-8.3358 + 10^-6.2) = -61.179
 *   Ro  = 15 - 1.5 (8 - 61.179)                            =  94.769
 *   Is  = Iolr 0.440 + Ist -0.001 + Iq 0.974               =   1.414
 *   Id (Ta 0) = Idte 0 + Idle 0.149 + Idd 0                =   0.149
 *   R   = 94.769 - 1.414 - 0.149 = 93.206; MOS = 1 + 0.035 R
 *         + R (R - 60)(100 - R) 7e-6                       =   4.409
 *
 * G.107 itself gives R = 93.2 for its defaults: the terms agree. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>

#include "media/quality.h"
#include "media/rtpstat.h"

#define near(x, want, tol) assert_true(fabs((x) - (want)) <= (tol))

static double score_r(enum sift_qcodec c, double ppl, double burst_r, double ta)
{
	struct sift_quality_in in = { c, ppl, burst_r, ta };
	struct sift_quality q;

	sift_quality_score(&in, &q);
	return q.r;
}

static void test_defaults_93_2(void **state)
{
	struct sift_quality_in in = { SIFT_QCODEC_G711, 0.0, 1.0, 0.0 };
	struct sift_quality q;

	(void)state;
	sift_quality_score(&in, &q);
	near(q.r, 93.206, 0.005);
	near(q.mos, 4.409, 0.001);
	near(q.ie_eff, 0.0, 1e-9);
	near(q.id, 0.149, 0.001);
	/* The unknown codec is G.107's defaults: Ie 0 as well. */
	near(score_r(SIFT_QCODEC_UNKNOWN, 0.0, 1.0, 0.0), 93.206, 0.005);
}

/* Ie,eff = Ie + (95 - Ie) Ppl / (Ppl / BurstR + Bpl) (G.107 §7.5). */
static void test_packet_loss(void **state)
{
	struct sift_quality_in in = { SIFT_QCODEC_G711, 5.0, 1.0, 0.0 };
	struct sift_quality q;

	(void)state;
	/* G.711 with PLC (Bpl 25.1), 5 % random loss:
	 * 95 * 5 / (5 + 25.1) = 15.781; R = 93.206 - 15.781 = 77.425;
	 * MOS = 1 + 2.710 + 77.425 * 17.425 * 22.575 * 7e-6 = 3.923. */
	sift_quality_score(&in, &q);
	near(q.ie_eff, 15.781, 0.001);
	near(q.r, 77.425, 0.005);
	near(q.mos, 3.923, 0.001);

	/* The same 5 % in bursts, BurstR 2.85:
	 * 95 * 5 / (5 / 2.85 + 25.1) = 475 / 26.854 = 17.688; R = 75.518. */
	near(score_r(SIFT_QCODEC_G711, 5.0, 2.85, 0.0), 75.518, 0.005);

	/* Without PLC (Bpl 4.3): 475 / 9.3 = 51.075; R = 42.131. */
	near(score_r(SIFT_QCODEC_G711_NOPLC, 5.0, 1.0, 0.0), 42.131, 0.005);

	/* G.729A with VAD (Ie 11, Bpl 19), 2 %: 11 + 84 * 2 / 21 = 19;
	 * R = 93.206 - 19 = 74.206. */
	near(score_r(SIFT_QCODEC_G729A, 2.0, 1.0, 0.0), 74.206, 0.005);
	/* G.729 without VAD: Ie 10, no loss: R = 83.206. */
	near(score_r(SIFT_QCODEC_G729, 0.0, 1.0, 0.0), 83.206, 0.005);

	/* BurstR below 1 is taken as 1 (random), never as better. */
	near(score_r(SIFT_QCODEC_G711, 5.0, 0.5, 0.0), 77.425, 0.005);
	/* All lost: Ie,eff = 95 * 100 / (100 + 25.1) = 75.94; R = 17.27. */
	near(score_r(SIFT_QCODEC_G711, 100.0, 1.0, 0.0), 17.27, 0.01);
}

/* Id = Idte + Idle + Idd (G.107 §7.4), with T = Ta, Tr = 2 Ta. */
static void test_delay(void **state)
{
	struct sift_quality_in in = { SIFT_QCODEC_G711, 0.0, 1.0, 100.0 };
	struct sift_quality q;

	(void)state;
	/* Ta 100: TERV = 65 - 40 lg(11 / 1.6667) = 32.22, Re = 125.55,
	 * Roe = -1.5 (-61.179 - 2) = 94.77: Idte = 1.964; Rle = 10.5 * 117 *
	 * 201^-0.25 = 325.5: Idle = 0.728; Idd = 0 (Ta <= 100): R = 90.664. */
	sift_quality_score(&in, &q);
	near(q.id, 2.692, 0.002);
	near(q.r, 90.664, 0.005);
	/* Ta 200: X = 1, Idd = 25 ((2)^(1/6) - 3 (1 + 3^-6)^(1/6) + 2)
	 * = 3.044; with Idte 3.571, Idle 0.935: R = 85.805. */
	near(score_r(SIFT_QCODEC_G711, 0.0, 1.0, 200.0), 85.805, 0.005);
	/* Ta 300: Idd = 14.761: R = 72.666. */
	near(score_r(SIFT_QCODEC_G711, 0.0, 1.0, 300.0), 72.666, 0.005);
}

static void test_mos_annex_b(void **state)
{
	(void)state;
	near(sift_quality_mos(-5.0), 1.0, 1e-12);
	near(sift_quality_mos(0.0), 1.0, 1e-12);
	/* R 50: 1 + 1.75 + 50 * -10 * 50 * 7e-6 = 2.575 */
	near(sift_quality_mos(50.0), 2.575, 1e-9);
	near(sift_quality_mos(100.0), 4.5, 1e-12);
	near(sift_quality_mos(120.0), 4.5, 1e-12);
	/* The polynomial dips below 1 under R 6.5 (R 3: 0.9889): held at 1;
	 * from there on it rises. */
	near(sift_quality_mos(3.0), 1.0, 1e-12);
	for (int r = 1; r < 100; r++)
		assert_true(sift_quality_mos(r) >= sift_quality_mos(r - 1));
	for (int r = 8; r < 100; r++)
		assert_true(sift_quality_mos(r) > sift_quality_mos(r - 1));
}

static void test_inputs(void **state)
{
	struct sift_rtpstat_pattern pat;

	(void)state;
	near(sift_quality_ppl(0, 0, 0), 0.0, 1e-12);
	near(sift_quality_ppl(200, 6, 4), 5.0, 1e-12);
	near(sift_quality_ppl(10, 8, 8), 100.0, 1e-12);

	/* No loss: BurstR 1. */
	memset(&pat, 0, sizeof(pat));
	pat.ok_ok = 99;
	near(sift_quality_burst_r(&pat), 1.0, 1e-12);
	/* Bursty: p = 5 / 90, q = 5 / 15: 1 / 0.38889 = 2.5714. */
	pat.ok_ok = 85;
	pat.ok_lost = 5;
	pat.lost_ok = 5;
	pat.lost_lost = 10;
	near(sift_quality_burst_r(&pat), 2.5714, 0.0001);
	/* Isolated losses: p = 5 / 95, q = 1: 1 / 1.0526 < 1, taken as 1. */
	pat.ok_ok = 90;
	pat.lost_lost = 0;
	near(sift_quality_burst_r(&pat), 1.0, 1e-12);
	/* A loss never recovered from (the stream ends in it): no q, 1. */
	pat.lost_ok = 0;
	pat.lost_lost = 3;
	near(sift_quality_burst_r(&pat), 1.0, 1e-12);

	/* Ta = network + buffer + packet + look-ahead: unknown RTT takes
	 * the 20 ms default: 20 + 60 + 20 = 100; RTT 80 ms for G.729A:
	 * 40 + 60 + 20 + 5 = 125; unknown ptime is 20 ms. */
	near(sift_quality_ta(-1.0, 60.0, 20.0, SIFT_QCODEC_G711), 100.0, 1e-12);
	near(sift_quality_ta(80.0, 60.0, 20.0, SIFT_QCODEC_G729A), 125.0, 1e-12);
	near(sift_quality_ta(0.0, 0.0, 0.0, SIFT_QCODEC_G711), 20.0, 1e-12);
}

static void test_codec_table(void **state)
{
	(void)state;
	assert_int_equal(sift_qcodec_by_name("PCMU", 4), SIFT_QCODEC_G711);
	assert_int_equal(sift_qcodec_by_name("pcma", 4), SIFT_QCODEC_G711);
	assert_int_equal(sift_qcodec_by_name("G722", 4), SIFT_QCODEC_G722);
	assert_int_equal(sift_qcodec_by_name("G729", 4), SIFT_QCODEC_G729A);
	assert_int_equal(sift_qcodec_by_name("OPUS", 4), SIFT_QCODEC_OPUS);
	assert_int_equal(sift_qcodec_by_name("PCM", 3), SIFT_QCODEC_UNKNOWN);
	assert_int_equal(sift_qcodec_by_name("PCMUX", 5), SIFT_QCODEC_UNKNOWN);
	assert_int_equal(sift_qcodec_by_name("PCMU", 3), SIFT_QCODEC_UNKNOWN);
	assert_int_equal(sift_qcodec_by_name(NULL, 0), SIFT_QCODEC_UNKNOWN);
	/* G.113 Appendix I values. */
	near(sift_qcodec_info(SIFT_QCODEC_G711)->bpl, 25.1, 1e-12);
	near(sift_qcodec_info(SIFT_QCODEC_G711_NOPLC)->bpl, 4.3, 1e-12);
	near(sift_qcodec_info(SIFT_QCODEC_G729A)->ie, 11.0, 1e-12);
	near(sift_qcodec_info(SIFT_QCODEC_G729A)->bpl, 19.0, 1e-12);
	near(sift_qcodec_info(SIFT_QCODEC_G729)->ie, 10.0, 1e-12);
	/* Out of range falls back to the defaults. */
	near(sift_qcodec_info((enum sift_qcodec)99)->bpl, 4.3, 1e-12);
	for (int c = SIFT_QCODEC_UNKNOWN; c <= SIFT_QCODEC_OPUS; c++)
		assert_non_null(sift_qcodec_info((enum sift_qcodec)c)->source);
}

/* A 1000-packet 20 ms PCMU stream through rtpstat, packet i dropped when
 * drop(i): the score of the measured statistics. */
static void stream(struct sift_quality *q, struct sift_rtpstat_pattern *pat,
		   int kind)
{
	struct sift_rtpstat st;

	sift_rtpstat_init(&st, 8000);
	for (unsigned i = 0; i < 1000; i++) {
		struct sift_rtp_hdr h;

		if (kind == 1 && i % 20 == 10)
			continue;       /* 5 % isolated */
		if (kind == 2 && i % 100 >= 50 && i % 100 < 55)
			continue;       /* 5 % in bursts of 5 */
		memset(&h, 0, sizeof(h));
		h.seq = (uint16_t)(1000 + i);
		h.ts = 160u * i;
		sift_rtpstat_add(&st, &h, 5000000 + (sift_time)i * 20000);
	}
	sift_rtpstat_pattern(&st, pat);
	sift_quality_stream(&st, SIFT_QCODEC_G711, -1.0, 20.0, q);
}

static void test_ordering(void **state)
{
	struct sift_quality clean, iso, burst;
	struct sift_rtpstat_pattern pc, pi, pb;

	(void)state;
	stream(&clean, &pc, 0);
	stream(&iso, &pi, 1);
	stream(&burst, &pb, 2);
	/* 999 transitions each. Isolated: 50 losses, each entered from and
	 * left to a played packet; bursts: 10 bursts of 5. */
	assert_int_equal(pc.ok_ok, 999);
	assert_int_equal(pi.ok_lost, 50);
	assert_int_equal(pi.lost_ok, 50);
	assert_int_equal(pi.lost_lost, 0);
	assert_int_equal(pi.ok_ok, 899);
	assert_int_equal(pb.ok_lost, 10);
	assert_int_equal(pb.lost_ok, 10);
	assert_int_equal(pb.lost_lost, 40);
	assert_int_equal(pb.ok_ok, 939);
	/* Ta = 20 + 60 + 20 = 100 (R 90.664 without loss).
	 * Isolated: BurstR 1 (1 / (50/949 + 1) < 1), Ie,eff 15.781:
	 * R = 74.883, MOS 3.817.
	 * Bursty: p = 10/949, q = 10/50: BurstR = 4.7497; Ie,eff =
	 * 475 / (5 / 4.7497 + 25.1) = 18.163: R = 72.501, MOS 3.712. */
	near(clean.r, 90.664, 0.005);
	near(iso.r, 74.883, 0.005);
	near(iso.mos, 3.817, 0.001);
	near(burst.r, 72.501, 0.005);
	near(burst.mos, 3.712, 0.001);
	assert_true(clean.mos > iso.mos);
	assert_true(iso.mos > burst.mos);
}

/* What the reports score: a media stream by its codec name, the same
 * statistics as test_ordering's isolated loss. */
static void test_of_stream(void **state)
{
	struct sift_stream s;
	struct sift_stream_quality sq;
	struct sift_quality iso;
	struct sift_rtpstat_pattern pi;

	(void)state;
	memset(&s, 0, sizeof(s));
	sift_rtpstat_init(&s.rs, 8000);
	snprintf(s.codec, sizeof(s.codec), "PCMA/8000");
	/* Nothing expected yet: no score. */
	assert_false(sift_quality_of_stream(&s, &sq));
	for (unsigned i = 0; i < 1000; i++) {
		struct sift_rtp_hdr h;

		if (i % 20 == 10)
			continue;
		memset(&h, 0, sizeof(h));
		h.seq = (uint16_t)(1000 + i);
		h.ts = 160u * i;
		sift_rtpstat_add(&s.rs, &h, 5000000 + (sift_time)i * 20000);
	}
	stream(&iso, &pi, 1);
	assert_true(sift_quality_of_stream(&s, &sq));
	assert_int_equal(sq.codec, SIFT_QCODEC_G711);
	near(sq.ppl, 5.0, 1e-9);
	near(sq.burst_r, 1.0, 1e-9);
	near(sq.ta_ms, 100.0, 1e-9);
	assert_int_equal(sq.jb_ms, 60);
	assert_int_equal(sq.jb_late, 0);
	near(sq.q.r, iso.r, 1e-9);
	near(sq.q.mos, 3.817, 0.001);
	/* A codec the model does not know, RTCP, no codec: no score. */
	snprintf(s.codec, sizeof(s.codec), "iLBC/8000");
	assert_false(sift_quality_of_stream(&s, &sq));
	snprintf(s.codec, sizeof(s.codec), "opus/48000/2");
	assert_true(sift_quality_of_stream(&s, &sq));
	assert_int_equal(sq.codec, SIFT_QCODEC_OPUS);
	s.rtcp = true;
	assert_false(sift_quality_of_stream(&s, &sq));
	s.rtcp = false;
	s.codec[0] = '\0';
	assert_false(sift_quality_of_stream(&s, &sq));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_93_2),
		cmocka_unit_test(test_packet_loss),
		cmocka_unit_test(test_delay),
		cmocka_unit_test(test_mos_annex_b),
		cmocka_unit_test(test_inputs),
		cmocka_unit_test(test_codec_table),
		cmocka_unit_test(test_ordering),
		cmocka_unit_test(test_of_stream),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
