/* Unit tests for per-stream RTP statistics (src/rtpstat.c): RFC 3550
 * A.1 sequence accounting, A.3 loss, A.8 jitter. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "media/rtpstat.h"

#define PTIME_US 20000      /* 20 ms of 8 kHz audio: 160 timestamp units */

static void feed(struct sift_rtpstat *st, uint16_t seq, uint32_t ts,
		 sift_time arrival)
{
	struct sift_rtp_hdr h;

	memset(&h, 0, sizeof(h));
	h.pt = 0;
	h.seq = seq;
	h.ts = ts;
	sift_rtpstat_add(st, &h, arrival);
}

/* Packet i of a steady 20 ms stream starting at sequence seq0. */
static void steady(struct sift_rtpstat *st, uint16_t seq0, unsigned i)
{
	feed(st, (uint16_t)(seq0 + i), 1000u + 160u * i,
	     1000000 + (sift_time)i * PTIME_US);
}

static void test_clean_stream(void **state)
{
	struct sift_rtpstat st;

	(void)state;
	sift_rtpstat_init(&st, 8000);
	for (unsigned i = 0; i < 50; i++)
		steady(&st, 100, i);
	assert_int_equal(st.received, 50);
	assert_int_equal(sift_rtpstat_expected(&st), 50);
	assert_int_equal(sift_rtpstat_lost(&st), 0);
	assert_int_equal(st.duplicates, 0);
	assert_int_equal(st.out_of_order, 0);
	assert_int_equal(st.seq_errors, 0);
	/* Perfectly paced: no jitter at all. */
	assert_true(st.jitter_n == 49);
	assert_true(st.jitter_max_ms < 1e-9);
	assert_true(st.max_delta_ms > 19.999 && st.max_delta_ms < 20.001);
}

static void test_sequence_wrap_and_loss(void **state)
{
	struct sift_rtpstat st;

	(void)state;
	sift_rtpstat_init(&st, 8000);
	/* 65530 .. 65535, 0 .. 9 with 65534 and 3 missing. */
	for (unsigned i = 0; i < 16; i++) {
		uint16_t seq = (uint16_t)(65530u + i);

		if (seq == 65534 || seq == 3)
			continue;
		steady(&st, 65530, i);
	}
	assert_int_equal(st.cycles, 1);
	assert_int_equal(sift_rtpstat_expected(&st), 16);
	assert_int_equal(st.received, 14);
	assert_int_equal(sift_rtpstat_lost(&st), 2);
	assert_int_equal(st.seq_errors, 0);
	/* The gap of 40 ms is the largest delta. */
	assert_true(st.max_delta_ms > 39.999 && st.max_delta_ms < 40.001);
}

static void test_duplicates_and_reordering(void **state)
{
	struct sift_rtpstat st;

	(void)state;
	sift_rtpstat_init(&st, 8000);
	steady(&st, 10, 0);
	steady(&st, 10, 2);     /* 11 late */
	steady(&st, 10, 1);     /* 11 arrives: out of order, not lost */
	steady(&st, 10, 1);     /* and again: a duplicate */
	steady(&st, 10, 2);     /* duplicate of the newest */
	steady(&st, 10, 3);
	assert_int_equal(st.received, 4);
	assert_int_equal(st.out_of_order, 1);
	assert_int_equal(st.duplicates, 2);
	assert_int_equal(sift_rtpstat_expected(&st), 4);
	assert_int_equal(sift_rtpstat_lost(&st), 0);
}

static void test_sequence_jump(void **state)
{
	struct sift_rtpstat st;

	(void)state;
	sift_rtpstat_init(&st, 8000);
	for (unsigned i = 0; i < 10; i++)
		steady(&st, 1000, i);
	/* The sender restarts its numbering: a new run, not 20000 lost. */
	for (unsigned i = 10; i < 20; i++)
		feed(&st, (uint16_t)(30000 + i), 1000u + 160u * i,
		     1000000 + (sift_time)i * PTIME_US);
	assert_int_equal(st.seq_errors, 1);
	assert_int_equal(st.received, 20);
	assert_int_equal(sift_rtpstat_expected(&st), 20);
	assert_int_equal(sift_rtpstat_lost(&st), 0);
}

static void test_jitter_a8(void **state)
{
	struct sift_rtpstat st;

	(void)state;
	sift_rtpstat_init(&st, 8000);
	/* Packet 1 arrives 8 ms late, then the stream is steady again. D is
	 * 64 units (8 ms) twice: J = 64/16 = 4, then 4 + (64-4)/16 = 7.75
	 * units, 0.96875 ms; then it decays. */
	steady(&st, 0, 0);
	feed(&st, 1, 1000u + 160u, 1000000 + PTIME_US + 8000);
	steady(&st, 0, 2);
	assert_true(st.jitter_n == 2);
	assert_true(st.jitter_max_ms > 0.96874 && st.jitter_max_ms < 0.96876);
	steady(&st, 0, 3);
	assert_true(st.jitter_max_ms > 0.96874 && st.jitter_max_ms < 0.96876);
	assert_true(st.jitter * 1000.0 / 8000 < 0.96875);
}

static void test_unknown_clock_and_other_pt(void **state)
{
	struct sift_rtpstat st;
	struct sift_rtp_hdr h;

	(void)state;
	sift_rtpstat_init(&st, 0);
	for (unsigned i = 0; i < 5; i++)
		steady(&st, 0, i);
	assert_int_equal(st.jitter_n, 0);     /* no clock, no jitter */

	/* A telephone-event packet in the stream (another PT, timestamp of
	 * the event's start) leaves the audio's jitter alone. */
	sift_rtpstat_init(&st, 8000);
	steady(&st, 0, 0);
	memset(&h, 0, sizeof(h));
	h.pt = 101;
	h.marker = true;
	h.seq = 1;
	h.ts = 5;
	sift_rtpstat_add(&st, &h, 1000000 + PTIME_US);
	feed(&st, 2, 1000u + 320u, 1000000 + 2 * PTIME_US);
	assert_int_equal(st.jitter_n, 1);
	assert_true(st.jitter_max_ms < 1e-9);
	assert_int_equal(st.markers, 1);
	assert_int_equal(st.received, 3);
}

/* Packet i of the steady stream arriving late_us later than its slot. */
static void late(struct sift_rtpstat *st, unsigned i, sift_time late_us)
{
	feed(st, (uint16_t)i, 1000u + 160u * i,
	     1000000 + (sift_time)i * PTIME_US + late_us);
}

/* The fixed 60 ms jitter buffer: a packet more than 60 ms later than the
 * stream's smallest transit is discarded (counted received and late). */
static void test_jitter_buffer_late(void **state)
{
	struct sift_rtpstat st;
	struct sift_rtpstat_pattern pat;

	(void)state;
	sift_rtpstat_init(&st, 8000);
	assert_int_equal(st.jb_ms, SIFT_RTPSTAT_JB_MS);
	/* Packet 5 is 70 ms late: 6, 7, 8 (at +20, +40, +60 of its slot)
	 * come first, 5 comes out of order and misses its playout; packet
	 * 20 is 50 ms late, within the buffer. */
	for (unsigned i = 0; i < 30; i++) {
		if (i == 5)
			continue;
		if (i == 9)
			late(&st, 5, 70000);
		late(&st, i, i == 20 ? 50000 : 0);
	}
	assert_int_equal(st.received, 30);
	assert_int_equal(sift_rtpstat_lost(&st), 0);
	assert_int_equal(st.out_of_order, 1);
	assert_int_equal(st.jb_late, 1);
	/* 29 transitions; packet 5 counts as lost in the pattern. */
	sift_rtpstat_pattern(&st, &pat);
	assert_int_equal(pat.ok_lost, 1);
	assert_int_equal(pat.lost_ok, 1);
	assert_int_equal(pat.lost_lost, 0);
	assert_int_equal(pat.ok_ok, 27);

	/* The same arrivals with the buffer off: nothing discarded. */
	sift_rtpstat_init(&st, 8000);
	sift_rtpstat_jitter_buffer(&st, 0);
	for (unsigned i = 0; i < 30; i++) {
		if (i == 5)
			continue;
		if (i == 9)
			late(&st, 5, 70000);
		late(&st, i, 0);
	}
	assert_int_equal(st.jb_late, 0);
	sift_rtpstat_pattern(&st, &pat);
	assert_int_equal(pat.ok_ok, 29);
	assert_int_equal(pat.ok_lost, 0);
}

/* The buffer plays at the smallest transit seen, not the first: a first
 * packet 30 ms late does not stretch the buffer for the others. A stall
 * of 100 ms then a burst of the held packets: those more than 60 ms late
 * go. */
static void test_jitter_buffer_min_transit_and_stall(void **state)
{
	struct sift_rtpstat st;
	struct sift_rtpstat_pattern pat;

	(void)state;
	sift_rtpstat_init(&st, 8000);
	late(&st, 0, 30000);
	for (unsigned i = 1; i < 14; i++)
		if (i != 10)
			late(&st, i, 0);
	/* 10 comes 75 ms late, after 13: 45 ms after a buffer anchored on
	 * packet 0, but 75 ms after the smallest transit (packets 1..13). */
	late(&st, 10, 75000);
	assert_int_equal(st.jb_late, 1);
	late(&st, 14, 0);
	late(&st, 15, 0);
	/* Packets 16..20 held, all arriving with 21 at 21's slot: 16 is
	 * 100 ms late, 17 80, 18 60 (the edge: in time), 19 40, 20 20. */
	for (unsigned i = 16; i <= 21; i++)
		feed(&st, (uint16_t)i, 1000u + 160u * i,
		     1000000 + 21 * (sift_time)PTIME_US);
	assert_int_equal(st.jb_late, 3);
	assert_int_equal(st.received, 22);
	assert_int_equal(sift_rtpstat_lost(&st), 0);
	/* 21 transitions; 10, 16 and 17 count as lost. */
	sift_rtpstat_pattern(&st, &pat);
	assert_int_equal(pat.ok_lost, 2);
	assert_int_equal(pat.lost_lost, 1);
	assert_int_equal(pat.lost_ok, 2);
	assert_int_equal(pat.ok_ok, 16);
}

/* A sender whose clock runs 5 % slow: packet i (20 ms of timestamps
 * each) arrives at 21 i ms, i ms behind its timestamp. Past 60 ms of
 * drift (61, 62, 63) packets are late; the fourth late in a row (64, its
 * timestamp 60 ms after 61's) finds the buffer run dry and restarts it:
 * again at 125..127 and 189..191: 9 of 200, not the 139 after 61. */
static void test_jitter_buffer_drift(void **state)
{
	struct sift_rtpstat st;

	(void)state;
	sift_rtpstat_init(&st, 8000);
	for (unsigned i = 0; i < 200; i++)
		feed(&st, (uint16_t)i, 160u * i, 1000000 + (sift_time)i * 21000);
	assert_int_equal(st.jb_late, 9);
	assert_int_equal(st.received, 200);
}

/* A timestamp that goes back (a sender's reset) moves the buffer's
 * reference: the packets after it are not all late. */
static void test_jitter_buffer_ts_reset(void **state)
{
	struct sift_rtpstat st;

	(void)state;
	sift_rtpstat_init(&st, 8000);
	for (unsigned i = 0; i < 10; i++)
		steady(&st, 0, i);
	for (unsigned i = 10; i < 20; i++)
		feed(&st, (uint16_t)i, 160u * (i - 10),
		     1000000 + (sift_time)i * PTIME_US);
	assert_int_equal(st.jb_late, 0);
	/* Without a clock there is no buffer model. */
	sift_rtpstat_init(&st, 0);
	steady(&st, 0, 0);
	late(&st, 1, 500000);
	assert_int_equal(st.jb_late, 0);
}

/* The loss pattern beyond the 64-packet window: a gap longer than the
 * window, a late packet filling a gap inside it, and a sequence jump
 * that starts a new run (no transition across it). */
static void test_loss_pattern(void **state)
{
	struct sift_rtpstat st;
	struct sift_rtpstat_pattern pat;

	(void)state;
	sift_rtpstat_init(&st, 8000);
	for (unsigned i = 0; i < 200; i++)
		if (i < 50 || i >= 150)
			steady(&st, 0, i);
	assert_int_equal(sift_rtpstat_lost(&st), 100);
	sift_rtpstat_pattern(&st, &pat);
	assert_int_equal(pat.ok_lost, 1);
	assert_int_equal(pat.lost_lost, 99);
	assert_int_equal(pat.lost_ok, 1);
	assert_int_equal(pat.ok_ok, 49 + 49);
	/* Reading the pattern twice gives the same counts. */
	sift_rtpstat_pattern(&st, &pat);
	assert_int_equal(pat.ok_ok, 98);

	/* 3 comes after 4 and 5, 50 ms late: in time, not a loss. */
	sift_rtpstat_init(&st, 8000);
	for (unsigned i = 0; i < 8; i++) {
		if (i == 3)
			continue;
		steady(&st, 0, i);
		if (i == 5)
			late(&st, 3, 50000);
	}
	sift_rtpstat_pattern(&st, &pat);
	assert_int_equal(st.jb_late, 0);
	assert_int_equal(pat.ok_ok, 7);
	assert_int_equal(pat.ok_lost + pat.lost_ok + pat.lost_lost, 0);

	/* Run 1: 0..9 with 5 lost; a jump; run 2: 30000..30009 with 30002
	 * lost. */
	sift_rtpstat_init(&st, 8000);
	for (unsigned i = 0; i < 10; i++)
		if (i != 5)
			steady(&st, 0, i);
	for (unsigned i = 0; i < 10; i++)
		if (i != 2)
			feed(&st, (uint16_t)(30000 + i), 50000u + 160u * i,
			     2000000 + (sift_time)i * PTIME_US);
	assert_int_equal(st.seq_errors, 1);
	sift_rtpstat_pattern(&st, &pat);
	/* 9 transitions in each run, none between them. */
	assert_int_equal(pat.ok_ok + pat.ok_lost + pat.lost_ok + pat.lost_lost, 18);
	assert_int_equal(pat.ok_lost, 2);
	assert_int_equal(pat.lost_ok, 2);
	assert_int_equal(pat.ok_ok, 14);
}

static void feed_series(struct sift_rtpstat *st, struct sift_rtpseries *se,
			uint16_t seq, uint32_t ts, sift_time arrival)
{
	struct sift_rtp_hdr h;

	memset(&h, 0, sizeof(h));
	h.seq = seq;
	h.ts = ts;
	sift_rtpstat_add_series(st, se, &h, arrival);
}

/* The series: buckets of 100 ms from the first packet; a gap of two
 * packets shows as 2 lost where it happened, a late packet takes one back
 * where it came; buckets add up to the stream's numbers. */
static void test_series_buckets(void **state)
{
	struct sift_rtpstat st;
	struct sift_rtpseries *se = sift_rtpseries_new();
	int64_t lost = 0;
	uint64_t packets = 0;

	(void)state;
	assert_non_null(se);
	sift_rtpstat_init(&st, 8000);
	for (unsigned i = 0; i < 50; i++) {
		if (i == 12 || i == 13 || i == 30)
			continue;
		feed_series(&st, se, (uint16_t)(100 + i), 1000u + 160u * i,
			    1000000 + (sift_time)i * PTIME_US);
	}
	/* 30 comes late, at the time of packet 34 (bucket 6). */
	feed_series(&st, se, 130, 1000u + 160u * 30, 1000000 + 34 * PTIME_US + 1);
	assert_int_equal(se->width, SIFT_SERIES_WIDTH0);
	assert_int_equal(se->t0, 1000000);
	assert_int_equal(se->used, 10);     /* 0 .. 0.98 s */
	assert_int_equal(se->b[2].lost, 2);  /* packet 14 at 280 ms: 12, 13 */
	assert_int_equal(se->b[6].lost, 0);  /* 30 missing at 31, back at 34 */
	assert_int_equal(se->b[6].out_of_order, 1);
	assert_true(se->b[2].delta_ms > 59.9 && se->b[2].delta_ms < 60.1);
	assert_true(se->b[0].jitter_ms >= 0);
	assert_true(se->b[0].rtcp_jitter_ms < 0 && se->b[0].rtcp_lost < 0);
	for (unsigned i = 0; i < se->used; i++) {
		lost += se->b[i].lost;
		packets += se->b[i].packets;
	}
	assert_int_equal(lost, sift_rtpstat_lost(&st));
	assert_int_equal(lost, 2);
	assert_int_equal(packets, st.received);
	/* An RTCP report lands in the bucket of its arrival. */
	sift_rtpseries_rtcp(se, 1000000 + 450000, 3.5, 2);
	assert_true(se->b[4].rtcp_jitter_ms > 3.49f && se->b[4].rtcp_jitter_ms < 3.51f);
	assert_int_equal(se->b[4].rtcp_lost, 2);
	free(se);
}

/* A stream longer than 128 buckets: neighbours merge and the width
 * doubles, as often as needed; sums and maxima survive the merges. */
static void test_series_merge(void **state)
{
	struct sift_rtpstat st;
	struct sift_rtpseries *se = sift_rtpseries_new();
	uint64_t packets = 0;
	int64_t lost = 0;
	float jmax = 0;

	(void)state;
	assert_non_null(se);
	sift_rtpstat_init(&st, 8000);
	/* 60 s of 20 ms packets, one lost every 5 s, one packet 40 ms late
	 * at 30 s (jitter). */
	for (unsigned i = 0; i < 3000; i++) {
		sift_time at = 1000000 + (sift_time)i * PTIME_US;

		if (i % 250 == 100)
			continue;
		if (i == 1500)
			at += 40000;
		feed_series(&st, se, (uint16_t)i, 160u * i, at);
	}
	/* 60 s / 128 buckets: 100 ms doubled to 800 ms (75 used). */
	assert_int_equal(se->width, 8 * SIFT_SERIES_WIDTH0);
	assert_int_equal(se->used, 75);
	for (unsigned i = 0; i < SIFT_SERIES_BUCKETS; i++) {
		packets += se->b[i].packets;
		lost += se->b[i].lost;
		if (se->b[i].jitter_ms > jmax)
			jmax = se->b[i].jitter_ms;
		if (i >= se->used)
			assert_int_equal(se->b[i].packets, 0);
	}
	assert_int_equal(packets, st.received);
	assert_int_equal(lost, sift_rtpstat_lost(&st));
	assert_int_equal(lost, 12);
	assert_true(jmax > 2.0f && (double)jmax <= st.jitter_max_ms + 1e-3);
	/* The late packet's bucket (30 s / 0.8 s = 37) holds the largest. */
	assert_true(se->b[37].jitter_ms == jmax);
	free(se);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_stream),
		cmocka_unit_test(test_sequence_wrap_and_loss),
		cmocka_unit_test(test_duplicates_and_reordering),
		cmocka_unit_test(test_sequence_jump),
		cmocka_unit_test(test_jitter_a8),
		cmocka_unit_test(test_unknown_clock_and_other_pt),
		cmocka_unit_test(test_jitter_buffer_late),
		cmocka_unit_test(test_jitter_buffer_min_transit_and_stall),
		cmocka_unit_test(test_jitter_buffer_drift),
		cmocka_unit_test(test_jitter_buffer_ts_reset),
		cmocka_unit_test(test_loss_pattern),
		cmocka_unit_test(test_series_buckets),
		cmocka_unit_test(test_series_merge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
