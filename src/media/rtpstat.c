/* sipsift — per-stream RTP statistics (RFC 3550 §6.4.1, A.1, A.3, A.8).
 *
 * Sequence numbers follow A.1 with its constants: a step forward of
 * fewer than MAX_DROPOUT is in order (the numbers skipped are lost until
 * they come late), a step back of at most MAX_MISORDER is a late or
 * duplicated packet, anything else is a sequence error. Unlike A.1, which
 * waits for a second packet to confirm a jump, a jump starts a new run at
 * once: an analyzer sees the whole capture and a restarted sender (new
 * sequence base, same SSRC) is the usual cause. */
#include "media/rtpstat.h"

#include <math.h>
#include <string.h>

#define MAX_DROPOUT 3000u
#define MAX_MISORDER 100u

void sift_rtpstat_init(struct sift_rtpstat *st, uint32_t clock)
{
	memset(st, 0, sizeof(*st));
	st->clock = clock;
}

static uint64_t run_expected(const struct sift_rtpstat *st)
{
	return (uint64_t)st->cycles * 65536u + st->max_seq - st->base_seq + 1;
}

static void new_run(struct sift_rtpstat *st, uint16_t seq)
{
	st->base_seq = seq;
	st->max_seq = seq;
	st->cycles = 0;
	st->seen = 1;
	st->received++;
}

/* A.8: J += (|D| - J) / 16, D the difference of the relative transit
 * times of two consecutive packets. The timestamp difference is taken as
 * signed 32 bits so a timestamp wrap is a small step. */
static void jitter(struct sift_rtpstat *st, const struct sift_rtp_hdr *h,
		   sift_time arrival)
{
	if (st->have_prev) {
		double gap_ms = (double)(arrival - st->prev_arrival) / 1000.0;

		if (gap_ms > st->max_delta_ms)
			st->max_delta_ms = gap_ms;
		/* A timestamp that goes back while the sequence goes on is
		 * a sender's reset, not 4 s of jitter: measure from it. */
		if (st->clock && h->pt == st->pt &&
		    (int32_t)(h->ts - st->prev_ts) >= 0) {
			double arr = gap_ms * st->clock / 1000.0;
			double d = arr - (double)(int32_t)(h->ts - st->prev_ts);
			double ms;

			st->jitter += (fabs(d) - st->jitter) / 16.0;
			ms = st->jitter * 1000.0 / st->clock;
			if (ms > st->jitter_max_ms)
				st->jitter_max_ms = ms;
			st->jitter_sum_ms += ms;
			st->jitter_n++;
		}
	}
	if (h->pt == st->pt) {
		st->have_prev = true;
		st->prev_arrival = arrival;
		st->prev_ts = h->ts;
	}
}

void sift_rtpstat_clock(struct sift_rtpstat *st, uint32_t clock, uint8_t pt)
{
	st->clock = clock;
	st->pt = pt;
	st->have_prev = false;
}

void sift_rtpstat_add(struct sift_rtpstat *st, const struct sift_rtp_hdr *h,
		      sift_time arrival)
{
	uint16_t fwd;

	if (h->marker)
		st->markers++;
	if (!st->started) {
		st->started = true;
		st->pt = h->pt;
		new_run(st, h->seq);
		jitter(st, h, arrival);
		return;
	}
	fwd = (uint16_t)(h->seq - st->max_seq);
	if (fwd == 0) {
		st->duplicates++;
		return;
	}
	if (fwd < MAX_DROPOUT) {
		if (h->seq < st->max_seq)
			st->cycles++;
		st->max_seq = h->seq;
		st->seen = fwd >= 64 ? 1 : (st->seen << fwd) | 1;
		st->received++;
		jitter(st, h, arrival);
		return;
	}
	if ((uint16_t)(st->max_seq - h->seq) <= MAX_MISORDER) {
		unsigned back = (uint16_t)(st->max_seq - h->seq);

		if (back < 64 && (st->seen >> back) & 1) {
			st->duplicates++;
			return;
		}
		if (back < 64)
			st->seen |= (uint64_t)1 << back;
		st->out_of_order++;
		st->received++;
		return;
	}
	st->seq_errors++;
	st->expected_before += run_expected(st);
	new_run(st, h->seq);
	jitter(st, h, arrival);
}

uint64_t sift_rtpstat_expected(const struct sift_rtpstat *st)
{
	if (!st->started)
		return 0;
	return st->expected_before + run_expected(st);
}

int64_t sift_rtpstat_lost(const struct sift_rtpstat *st)
{
	uint64_t e = sift_rtpstat_expected(st);

	return e > st->received ? (int64_t)(e - st->received) : 0;
}
