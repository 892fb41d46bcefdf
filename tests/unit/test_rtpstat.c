/* Unit tests for per-stream RTP statistics (src/rtpstat.c): RFC 3550
 * A.1 sequence accounting, A.3 loss, A.8 jitter. */
#include "testutil.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_stream),
		cmocka_unit_test(test_sequence_wrap_and_loss),
		cmocka_unit_test(test_duplicates_and_reordering),
		cmocka_unit_test(test_sequence_jump),
		cmocka_unit_test(test_jitter_a8),
		cmocka_unit_test(test_unknown_clock_and_other_pt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
