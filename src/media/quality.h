/* sipsift — call quality score: R-factor and MOS per stream from the
 * ITU-T G.107 (06/2015) E-model.
 *
 * What a capture shows feeds the model: the codec (its Ie and Bpl from
 * G.113 Appendix I), the effective packet loss Ppl (lost plus what a
 * fixed jitter buffer discards, counted by media/rtpstat.c), the burst
 * ratio BurstR (G.107 §7.5 from the 2-state Markov loss pattern) and the
 * one-way mouth-to-ear delay Ta. Every other parameter keeps its G.107
 * default (Table 3: SLR 8, RLR 2, STMR 15, LSTR 18, Ds 3, Dr 3, TELR 65,
 * WEPL 110, qdu 1, Nc -70, Nfor -64, Ps 35, Pr 35, A 0); with these and
 * no delay, no loss and Ie 0, R is 93.2. The echo paths are taken from
 * Ta as G.107 does without echo data: T = Ta, Tr = 2 Ta.
 *
 * The result is a planning estimate of conversational quality on the
 * narrowband (0..100) scale, not a listening test: it knows nothing of
 * echo, noise or levels actually on the line. Pure functions, no state. */
#ifndef SIPSIFT_QUALITY_H
#define SIPSIFT_QUALITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "media/rtpstat.h"
#include "sipsift/media.h"

/* The codecs sipsift decodes, as the E-model tells them apart. */
enum sift_qcodec {
	SIFT_QCODEC_UNKNOWN,    /* no score */
	SIFT_QCODEC_G711,       /* PCMU/PCMA, receiver with PLC (G.711 App. I) */
	SIFT_QCODEC_G711_NOPLC, /* PCMU/PCMA, receiver without concealment */
	SIFT_QCODEC_G722,
	SIFT_QCODEC_G729,       /* G.729 without VAD */
	SIFT_QCODEC_G729A,      /* G.729A with VAD (annexb): SDP's G729 default */
	SIFT_QCODEC_OPUS,
};

/* A codec's planning values and where they come from. */
struct sift_qcodec_info {
	const char *name;
	double ie;          /* equipment impairment factor */
	double bpl;         /* packet-loss robustness factor */
	double lookahead_ms; /* algorithmic delay beyond the frame */
	const char *source; /* the reference, or what is assumed */
};

const struct sift_qcodec_info *sift_qcodec_info(enum sift_qcodec c);

/* The codec of an SDP/static encoding name (case-insensitive: PCMU,
 * PCMA, G722, G729, opus); SIFT_QCODEC_UNKNOWN for others. G711 means
 * with PLC (what current endpoints do) and G729 means G.729A with VAD
 * (RFC 3551/4856: annexb=yes unless the SDP says no). */
enum sift_qcodec sift_qcodec_by_name(const char *enc, size_t n);

/* The model's inputs. */
struct sift_quality_in {
	enum sift_qcodec codec;
	double ppl;         /* effective packet loss, percent (0..100) */
	double burst_r;     /* BurstR, 1 for random loss (values < 1 count as 1) */
	double ta_ms;       /* one-way mouth-to-ear delay */
};

/* The result, with the terms a report can show. */
struct sift_quality {
	double r;           /* transmission rating R, 0..100 (clamped) */
	double mos;         /* MOS-CQE from R (G.107 Annex B) */
	double ie_eff;      /* effective equipment impairment */
	double id;          /* delay impairment */
};

/* Default one-way network delay (ms) when the capture has no RTCP round
 * trip: an assumption (a short national path), not a measurement. */
#define SIFT_QUALITY_NET_MS 20.0
/* Default packetization (ms) when the stream's is unknown. */
#define SIFT_QUALITY_PTIME_MS 20.0

/* G.107 §7 with the defaults above; in->codec UNKNOWN is taken as
 * Ie 0, Bpl 4.3 (G.107's defaults). */
void sift_quality_score(const struct sift_quality_in *in, struct sift_quality *out);

/* G.107 Annex B: MOS-CQE from R (never below 1). */
double sift_quality_mos(double r);

/* Ppl in percent: (lost + late) / expected; 0 with nothing expected. */
double sift_quality_ppl(uint64_t expected, uint64_t lost, uint64_t late);

/* G.107 §7.5: BurstR = 1 / (p + q), p the probability of a loss after a
 * packet played, q of a packet played after a loss; 1 when the pattern
 * has no loss (or no transition out of it), and never below 1. */
double sift_quality_burst_r(const struct sift_rtpstat_pattern *pat);

/* Ta: one-way network delay (RTCP round trip / 2; rtt_ms < 0 unknown:
 * SIFT_QUALITY_NET_MS) + the jitter buffer + one packet (ptime_ms, <= 0
 * unknown: SIFT_QUALITY_PTIME_MS) + the codec's look-ahead. */
double sift_quality_ta(double rtt_ms, double jb_ms, double ptime_ms,
		       enum sift_qcodec c);

/* All of it for one stream's statistics. */
void sift_quality_stream(const struct sift_rtpstat *st, enum sift_qcodec c,
			 double rtt_ms, double ptime_ms, struct sift_quality *out);

/* What the reports show of a media stream's score: the result with the
 * inputs it came from. */
struct sift_stream_quality {
	enum sift_qcodec codec;
	struct sift_quality q;
	double ppl;          /* effective loss, percent */
	double burst_r;
	double ta_ms;
	uint64_t jb_late;    /* packets the jitter buffer discards */
	uint32_t jb_ms;      /* its size, 0: the discard model off */
	double rtt_ms;       /* the RTCP round trip Ta used (the stream's
			      * mean), -1: none, SIFT_QUALITY_NET_MS assumed */
};

/* Score a stream as the reports do: RTP with a codec the model knows
 * (from its "PCMU/8000" name) and at least one packet expected; the
 * one-way delay is half the stream's mean RTCP round trip when the
 * capture has one (stream.rtt), else SIFT_QUALITY_NET_MS, and the
 * packetization is SIFT_QUALITY_PTIME_MS. False (and *out untouched) when there is no
 * score. */
bool sift_quality_of_stream(const struct sift_stream *s,
			    struct sift_stream_quality *out);

#endif
