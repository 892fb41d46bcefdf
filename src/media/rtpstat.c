/* sipsift — per-stream RTP statistics (RFC 3550 §6.4.1, A.1, A.3, A.8).
 *
 * Sequence numbers follow A.1 with its constants: a step forward of
 * fewer than MAX_DROPOUT is in order (the numbers skipped are lost until
 * they come late), a step back of at most MAX_MISORDER is a late or
 * duplicated packet, anything else is a sequence error. Unlike A.1, which
 * waits for a second packet to confirm a jump, a jump starts a new run at
 * once: an analyzer sees the whole capture and a restarted sender (new
 * sequence base, same SSRC) is the usual cause.
 *
 * For the call quality score two things more, in fixed memory: which
 * packets a fixed jitter buffer would discard (late for their playout
 * time), and the loss pattern as the counts of a 2-state Markov chain
 * (played/lost after played/lost), read off a second 64-bit window as
 * its bits grow old, so a late packet that fills a gap within the window
 * is not counted as lost. */
#include "media/rtpstat.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DROPOUT 3000u
#define MAX_MISORDER 100u

void sift_rtpstat_init(struct sift_rtpstat *st, uint32_t clock)
{
	memset(st, 0, sizeof(*st));
	st->clock = clock;
	st->jb_ms = SIFT_RTPSTAT_JB_MS;
	st->prev_state = -1;
}

void sift_rtpstat_jitter_buffer(struct sift_rtpstat *st, uint32_t ms)
{
	st->jb_ms = ms;
}

/* One bit of the pattern leaves the window: count its transition. */
static void retire_bit(struct sift_rtpstat_pattern *pat, int8_t *prev, bool ok)
{
	if (*prev == 1) {
		if (ok)
			pat->ok_ok++;
		else
			pat->ok_lost++;
	} else if (*prev == 0) {
		if (ok)
			pat->lost_ok++;
		else
			pat->lost_lost++;
	}
	*prev = ok ? 1 : 0;
}

/* n lost packets in a row leave the window (a gap too old or too long
 * for the window): counted at once, not bit by bit. */
static void retire_lost(struct sift_rtpstat_pattern *pat, int8_t *prev,
			uint64_t n)
{
	if (n == 0)
		return;
	retire_bit(pat, prev, false);
	pat->lost_lost += n - 1;
}

/* The oldest n of the window's win bits leave it, oldest first. */
static void retire_window(struct sift_rtpstat_pattern *pat, int8_t *prev,
			  uint64_t played, unsigned win, unsigned n)
{
	for (unsigned j = 0; j < n && j < win; j++)
		retire_bit(pat, prev, (played >> (win - 1 - j)) & 1);
}

/* The window moves fwd numbers on: fwd - 1 lost, then the new packet,
 * played when ok. What falls off the old end is counted. (This, jb_in_time
 * and jitter run for every RTP packet: inline, they save the calls'
 * 30 instructions a packet, callgrind.) */
static inline void advance(struct sift_rtpstat *st, unsigned fwd, bool ok)
{
	unsigned total = st->win + fwd;

	if (total > 64) {
		unsigned r = total - 64;
		unsigned old = r < st->win ? r : st->win;

		retire_window(&st->pat, &st->prev_state, st->played, st->win, old);
		retire_lost(&st->pat, &st->prev_state, r - old);
	}
	st->played = fwd >= 64 ? (uint64_t)ok : (st->played << fwd) | ok;
	st->win = (uint8_t)(total > 64 ? 64 : total);
}

/* The fixed jitter buffer: is this packet in time for its playout? The
 * transit of a packet relative to the reference packet is its arrival
 * less its timestamp (both from the reference); the buffer plays at the
 * smallest relative transit seen plus jb_ms. The reference restarts when
 * the timestamp goes back in order (a sender's reset) and with each run,
 * and moves up to the current transit when the late packets in a row
 * span the buffer's length (it ran dry: a queue-based buffer refills and
 * plays on; without this, a sender clock running slower than the
 * capture's would make every packet after the first jb_ms of drift
 * late).
 * Without a clock, on another payload type (telephone-event, CN) or with
 * jb_ms 0, every packet is in time. */
static inline bool jb_in_time(struct sift_rtpstat *st,
			      const struct sift_rtp_hdr *h, sift_time arrival,
			      bool in_order)
{
	double rel;

	if (!st->jb_ms || !st->clock || h->pt != st->pt)
		return true;
	if (!st->jb_have_ref ||
	    (in_order && (int32_t)(h->ts - st->jb_last_ts) < 0)) {
		st->jb_have_ref = true;
		st->jb_ref_arrival = arrival;
		st->jb_ref_ts = h->ts;
		st->jb_last_ts = h->ts;
		st->jb_min_us = 0;
		st->jb_in_late_run = false;
		return true;
	}
	if (in_order)
		st->jb_last_ts = h->ts;
	rel = (double)(arrival - st->jb_ref_arrival) -
	      (double)(int32_t)(h->ts - st->jb_ref_ts) * 1e6 / st->clock;
	if (rel < st->jb_min_us) {
		st->jb_min_us = rel;
		return true;
	}
	if (rel - st->jb_min_us <= (double)st->jb_ms * 1000.0) {
		st->jb_in_late_run = false;
		return true;
	}
	if (!st->jb_in_late_run) {
		st->jb_in_late_run = true;
		st->jb_late_run_ts = h->ts;
	} else if ((double)(int32_t)(h->ts - st->jb_late_run_ts) * 1000.0 >=
		   (double)st->jb_ms * st->clock) {
		/* Late for a whole buffer's worth of audio: it ran dry and
		 * starts again with this packet. */
		st->jb_in_late_run = false;
		st->jb_min_us = rel;
		return true;
	}
	st->jb_late++;
	return false;
}

static uint64_t run_expected(const struct sift_rtpstat *st)
{
	return (uint64_t)st->cycles * 65536u + st->max_seq - st->base_seq + 1;
}

static void new_run(struct sift_rtpstat *st, const struct sift_rtp_hdr *h,
		    sift_time arrival)
{
	st->base_seq = h->seq;
	st->max_seq = h->seq;
	st->cycles = 0;
	st->seen = 1;
	st->received++;
	/* The pattern does not run across runs: the old window is counted
	 * and the new run starts without a previous state. */
	retire_window(&st->pat, &st->prev_state, st->played, st->win, st->win);
	st->prev_state = -1;
	st->win = 0;
	st->played = 0;
	st->jb_have_ref = false;
	advance(st, 1, jb_in_time(st, h, arrival, true));
}

/* A.8: J += (|D| - J) / 16, D the difference of the relative transit
 * times of two consecutive packets. The timestamp difference is taken as
 * signed 32 bits so a timestamp wrap is a small step. */
static inline void jitter(struct sift_rtpstat *st, const struct sift_rtp_hdr *h,
			  sift_time arrival)
{
	if (st->have_prev) {
		double gap_ms = (double)(arrival - st->prev_arrival) / 1000.0;

		if (gap_ms > st->max_delta_ms) {
			st->max_delta_ms = gap_ms;
			st->max_delta_at = arrival;
		}
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
	st->jb_have_ref = false;
}

/* A silence the sender meant (RFC 3551 §4.1, silence suppression): more
 * than 200 ms without packets, the next one the very next sequence number,
 * its RTP timestamp on by about the time that passed (half to twice). A
 * lost stretch skips sequence numbers; a stalled sender does not move its
 * timestamps on. */
static void dtx_pause(struct sift_rtpstat *st, const struct sift_rtp_hdr *h,
		      sift_time arrival, uint16_t fwd)
{
	double gap_s, ts_s;

	/* Per packet: integers first, the doubles only for a real pause. */
	if (fwd != 1 || !st->clock || !st->have_prev || h->pt != st->pt ||
	    arrival - st->prev_arrival <= SIFT_USEC / 5)
		return;
	gap_s = (double)(arrival - st->prev_arrival) / SIFT_USEC;
	ts_s = (double)(int32_t)(h->ts - st->prev_ts) / st->clock;
	if (ts_s >= gap_s / 2 && ts_s <= gap_s * 2)
		st->dtx_pauses++;
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
		new_run(st, h, arrival);
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
		advance(st, fwd, jb_in_time(st, h, arrival, true));
		dtx_pause(st, h, arrival, fwd);
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
		if (jb_in_time(st, h, arrival, false) && back < st->win)
			st->played |= (uint64_t)1 << back;
		st->out_of_order++;
		st->received++;
		return;
	}
	st->seq_errors++;
	st->expected_before += run_expected(st);
	new_run(st, h, arrival);
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

void sift_rtpstat_pattern(const struct sift_rtpstat *st,
			  struct sift_rtpstat_pattern *out)
{
	int8_t prev = st->prev_state;

	*out = st->pat;
	retire_window(out, &prev, st->played, st->win, st->win);
}

/* The series (stats.h): buckets that merge pairwise when full. */

static void bucket_clear(struct sift_rtpbucket *b)
{
	memset(b, 0, sizeof(*b));
	b->jitter_ms = -1;
	b->delta_ms = -1;
	b->rtcp_jitter_ms = -1;
	b->rtcp_lost = -1;
}

struct sift_rtpseries *sift_rtpseries_new(void)
{
	struct sift_rtpseries *se = malloc(sizeof(*se));

	if (!se)
		return NULL;
	memset(se, 0, sizeof(*se));
	se->width = SIFT_SERIES_WIDTH0;
	for (unsigned i = 0; i < SIFT_SERIES_BUCKETS; i++)
		bucket_clear(&se->b[i]);
	return se;
}

static float fmaxf_(float a, float b)
{
	return a > b ? a : b;
}

/* Two neighbours as one: maxima of the maxima, sums of the counts, the
 * later RTCP report's cumulative loss. */
static struct sift_rtpbucket merged(const struct sift_rtpbucket *a,
				    const struct sift_rtpbucket *b)
{
	struct sift_rtpbucket m;

	m.jitter_ms = fmaxf_(a->jitter_ms, b->jitter_ms);
	m.delta_ms = fmaxf_(a->delta_ms, b->delta_ms);
	m.packets = a->packets + b->packets;
	m.lost = a->lost + b->lost;
	m.seq_errors = a->seq_errors + b->seq_errors;
	m.out_of_order = a->out_of_order + b->out_of_order;
	m.rtcp_jitter_ms = fmaxf_(a->rtcp_jitter_ms, b->rtcp_jitter_ms);
	m.rtcp_lost = b->rtcp_lost >= 0 ? b->rtcp_lost : a->rtcp_lost;
	return m;
}

/* The bucket of arrival t; the first packet sets the start. A time before
 * the start (inputs merged from two clocks) goes to the first bucket. The
 * width doubles at most 62 times: the loop ends. */
static struct sift_rtpbucket *bucket_at(struct sift_rtpseries *se, sift_time t)
{
	uint64_t k;

	if (!se->used) {
		se->t0 = t;
		se->used = 1;
	}
	for (;;) {
		k = t <= se->t0 ? 0 : (uint64_t)(t - se->t0) / (uint64_t)se->width;
		if (k < SIFT_SERIES_BUCKETS || se->width > INT64_MAX / 4)
			break;
		for (unsigned i = 0; i < SIFT_SERIES_BUCKETS / 2; i++)
			se->b[i] = merged(&se->b[2 * i], &se->b[2 * i + 1]);
		for (unsigned i = SIFT_SERIES_BUCKETS / 2; i < SIFT_SERIES_BUCKETS; i++)
			bucket_clear(&se->b[i]);
		se->width *= 2;
		se->used = (se->used + 1) / 2;
	}
	if (k >= SIFT_SERIES_BUCKETS)
		k = SIFT_SERIES_BUCKETS - 1;
	if (k + 1 > se->used)
		se->used = (uint32_t)k + 1;
	return &se->b[k];
}

static int64_t missing(const struct sift_rtpstat *st)
{
	return (int64_t)sift_rtpstat_expected(st) - (int64_t)st->received;
}

void sift_rtpstat_add_series(struct sift_rtpstat *st, struct sift_rtpseries *se,
			     const struct sift_rtp_hdr *h, sift_time arrival)
{
	int64_t miss;
	uint64_t seqe, ooo;
	struct sift_rtpbucket *b;

	/* Most streams keep no series: they pay nothing for it. */
	if (!se) {
		sift_rtpstat_add(st, h, arrival);
		return;
	}
	miss = missing(st);
	seqe = st->seq_errors;
	ooo = st->out_of_order;
	sift_rtpstat_add(st, h, arrival);
	b = bucket_at(se, arrival);
	b->packets++;
	b->lost += (int32_t)(missing(st) - miss);
	b->seq_errors += (uint32_t)(st->seq_errors - seqe);
	b->out_of_order += (uint32_t)(st->out_of_order - ooo);
	if (st->clock && st->jitter_n)
		b->jitter_ms = fmaxf_(b->jitter_ms, (float)(st->jitter * 1000.0 / st->clock));
	if (se->have_prev && arrival >= se->prev_arrival)
		b->delta_ms = fmaxf_(b->delta_ms,
				     (float)((double)(arrival - se->prev_arrival) / 1000.0));
	se->have_prev = true;
	se->prev_arrival = arrival;
}

void sift_rtpseries_rtcp(struct sift_rtpseries *se, sift_time arrival,
			 double jitter_ms, int32_t cum_lost)
{
	struct sift_rtpbucket *b;

	/* A report before the stream's first packet has no place on its
	 * time axis. */
	if (!se || !se->used)
		return;
	b = bucket_at(se, arrival);
	if (jitter_ms >= 0)
		b->rtcp_jitter_ms = fmaxf_(b->rtcp_jitter_ms, (float)jitter_ms);
	b->rtcp_lost = cum_lost;
}
