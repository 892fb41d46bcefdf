/* sipsift — counters and enums the model holds by value: what the
 * reports read of the lower stages (IP, defragmentation, TCP, an RTP
 * stream's statistics) and the SRTP suite names. The stages that fill
 * them include this header; the model never includes a stage's. */
#ifndef SIPSIFT_STATS_H
#define SIPSIFT_STATS_H

#include "sipsift/common.h"

/* Filled by net/net.c. */
struct sift_net_stats {
	uint64_t non_ip;        /* frames with no IP in them (ARP, STP, ...) */
	uint64_t cut;           /* frames snaplen cut inside a header */
	uint64_t invalid;       /* bad version, header length, checksum-independent damage */
	uint64_t fragments;     /* IP fragments handed to reassembly */
	uint64_t tunnelled;     /* frames unwrapped from a tunnel */
	uint64_t icmp;          /* ICMP/ICMPv6: never decoded further (quoted RTP is not RTP) */
	uint64_t other_proto;   /* other IP protocols */
	uint64_t udp;
	uint64_t tcp;
	uint64_t sctp;
	uint64_t unsupported_link;
};

/* Filled by net/ip_defrag.c. */
struct sift_defrag_stats {
	uint64_t fragments;     /* fragments accepted */
	uint64_t reassembled;   /* datagrams completed */
	uint64_t timeouts;      /* datagrams dropped incomplete by timeout */
	uint64_t overlaps;      /* fragments overlapping with different bytes */
	uint64_t invalid;       /* bad offset/length (past max_datagram, zero-length middle, ...) */
	uint64_t dropped_limit; /* fragments or datagrams dropped because a cap was hit */
	uint64_t evicted;       /* pending datagrams dropped to make room for
				 * newer ones (max_datagrams, max_bytes) */
	uint64_t pending;       /* datagrams still incomplete (at the end of
				 * input: never completed) */
	uint64_t nomem;         /* fragments lost for want of memory (the run
				 * says out of memory) */
};

/* Filled by net/tcp_reasm.c. */
struct sift_tcp_stats {
	uint64_t segments;       /* segments with payload seen */
	uint64_t streams;        /* directions opened */
	uint64_t retransmitted;  /* segments wholly already delivered */
	uint64_t overlaps;       /* segments partly already delivered */
	uint64_t out_of_order;   /* segments held for later */
	uint64_t gaps;           /* holes skipped */
	uint64_t gap_bytes;      /* bytes missing in those holes */
	uint64_t dropped_limit;  /* segments or streams dropped by a cap */
	uint64_t evicted;        /* live directions closed early to make room
				  * for a new one (max_streams) */
	uint64_t hold_skipped;   /* holes skipped before their timeout because
				  * the out-of-order bytes held passed a cap */
};

/* decrypt -w holds the IP fragments of datagrams in reassembly (to write a
 * rewritten datagram whole): at most this many frames and bytes. */
#define SIFT_FRAG_HOLD_FRAMES 256
#define SIFT_FRAG_HOLD_BYTES ((size_t)1 << 20)

/* Caps that drop data (DESIGN "bounded memory"): each is a counter in the
 * summary (text and JSON), a warning on stderr the first time it is hit,
 * and a finding where it changes a verdict. The pipeline gathers them
 * from the stages after every packet (report/report_caps.c names them). */

enum sift_cap_id {
	SIFT_CAP_TCP_EVICTED = 0, /* TCP directions evicted (max_streams) */
	SIFT_CAP_IP_EVICTED,      /* IP datagrams evicted from reassembly */
	SIFT_CAP_IP_DROPPED,      /* IP fragments dropped by a reassembly cap */
	SIFT_CAP_SIP_OVERSIZE,    /* SIP messages on a stream too large */
	SIFT_CAP_WS_OVERSIZE,     /* WebSocket frames or messages too large */
	SIFT_CAP_TLS_UNREAD,      /* TLS connections past the live cap */
	SIFT_CAP_CALLS,           /* messages of calls past SIFT_CALLS_MAX */
	SIFT_CAP_CALL_MSGS,       /* messages past a call's SIFT_CALL_MSGS_MAX */
	SIFT_CAP_CALL_TXNS,       /* messages listed in no transaction */
	SIFT_CAP_CALL_DIALOGS,    /* dialogs past SIFT_CALL_DIALOGS_MAX */
	SIFT_CAP_FINDINGS,        /* findings past SIFT_FINDINGS_MAX */
	SIFT_CAP_DTMF,            /* DTMF events or packets dropped */
	SIFT_CAP_MEDIA_STREAMS,   /* RTP/RTCP streams past SIFT_MEDIA_MAX_STREAMS */
	SIFT_CAP_MEDIA_ENDPOINTS, /* SDP media addresses past their cap */
	SIFT_CAP_SRTP_KEYS,       /* SRTP keys past a call's SIFT_MEDIA_MAX_KEYS */
	SIFT_CAP_SDP_ITEMS,       /* m= lines, formats, a=crypto past one SDP's caps */
	SIFT_CAP_KEYS_BOOK,       /* a=crypto lines past the keys-before-media book */
	SIFT_CAP_TCP_HOLD,        /* TCP holes skipped early: out-of-order bytes cap */
	SIFT_CAP_SCTP_EVICTED,    /* SCTP messages dropped: too many being rebuilt */
	SIFT_CAP_TLS_SESSIONS,    /* TLS sessions forgotten: too many kept to resume */
	SIFT_CAP_FRAGS_EARLY,     /* decrypt -w: IP fragments written before their
				   * datagram was complete (the hold was full) */
	SIFT_CAP_SRTP_HELD,       /* SRTP packets past the hold-back for a later key */
	SIFT_CAP_MERGE_UNCHECKED, /* packets of several inputs not checked for a
				   * twin: past 4,096 at one timestamp */
	SIFT_CAP_COUNT
};

struct sift_caps {
	uint64_t n[SIFT_CAP_COUNT];
};

/* Filled by media/media*.c: what a cap of media left out. Each is 0 in
 * any real capture; a count says what is missing from the report. */
struct sift_media_caps {
	uint64_t streams;     /* RTP/RTCP streams past SIFT_MEDIA_MAX_STREAMS */
	uint64_t endpoints;   /* SDP media addresses past SIFT_MEDIA_MAX_ENDPOINTS */
	uint64_t keys;        /* keys past SIFT_MEDIA_MAX_KEYS of one call */
	uint64_t sdp_items;   /* m= lines, payload types or a=crypto lines past
			       * the caps of one SDP (sip/sdp.h) */
	uint64_t book;        /* a=crypto lines the keys-before-media pass
			       * could not keep (their keys work from their SDP on) */
	uint64_t held;        /* SRTP packets read once (a pipe) that found
			       * no key and did not fit the hold-back */
};

/* Filled by media/rtpstat.c. */
struct sift_rtpstat {
	bool started;
	uint8_t pt;               /* the payload type jitter is measured on */
	uint16_t max_seq;         /* highest sequence number of this run */
	uint32_t cycles;          /* count of max_seq wraps */
	uint16_t base_seq;        /* first sequence number of this run */
	uint64_t expected_before; /* expected in runs a sequence jump ended */
	uint64_t seen;            /* bit i: max_seq - i was received */
	uint64_t received;        /* distinct packets */
	uint64_t duplicates;
	uint64_t out_of_order;
	uint64_t seq_errors;      /* jumps too large to be loss or reordering */
	uint64_t markers;
	uint32_t clock;           /* Hz; 0 when unknown: no jitter */
	/* RFC 3550 A.8, kept in timestamp units */
	bool have_prev;
	sift_time prev_arrival;
	uint32_t prev_ts;
	double jitter;
	double jitter_max_ms;
	double jitter_sum_ms;
	uint64_t jitter_n;
	double max_delta_ms;      /* largest gap between arrivals */
	sift_time max_delta_at;   /* the arrival that ended it */
	uint32_t dtx_pauses;      /* silences the sender suppressed (rtpstat.c) */
	/* What the call quality score (media/quality.h) needs. A fixed
	 * jitter buffer of jb_ms plays a packet at the run's smallest
	 * relative transit time (arrival less RTP timestamp, over the
	 * packets of pt with a known clock) plus jb_ms; a packet arriving
	 * after that is discarded (counted in received, and in jb_late);
	 * when the late packets in a row span jb_ms of timestamps the buffer
	 * ran dry and restarts its playout at the current packet (a sender
	 * whose clock runs slow costs a few packets per jb_ms of drift, not
	 * all that follow).
	 * The loss pattern is the 2-state Markov chain over the sequence
	 * numbers of a run, a packet "played" when it came in time: bits
	 * leave the 64-packet window played[] into the four counters. */
	uint32_t jb_ms;           /* SIFT_RTPSTAT_JB_MS unless set */
	bool jb_have_ref;
	sift_time jb_ref_arrival; /* the transit reference packet */
	uint32_t jb_ref_ts;
	uint32_t jb_last_ts;      /* last in-order timestamp of pt */
	double jb_min_us;         /* smallest relative transit of this anchor */
	uint64_t jb_late;         /* distinct packets the buffer discards */
	bool jb_in_late_run;
	uint32_t jb_late_run_ts;  /* timestamp of the first late of the run */
	uint64_t played;          /* bit i: max_seq - i came in time */
	uint8_t win;              /* valid bits in seen/played (0..64) */
	int8_t prev_state;        /* last retired: -1 none, 0 lost, 1 played */
	struct sift_rtpstat_pattern {
		uint64_t ok_ok;     /* played after played */
		uint64_t ok_lost;   /* lost after played */
		uint64_t lost_ok;   /* played after lost */
		uint64_t lost_lost; /* lost after lost */
	} pat;                    /* retired bits only: read it through
				   * sift_rtpstat_pattern() */
};

/* A stream's statistics over time, for the HTML report's plots (kept only
 * when a pipeline option asks: media/rtpstat.c). A fixed number of
 * buckets of one width, from the stream's first packet; when a packet
 * falls past the last, neighbours merge pairwise and the width doubles,
 * so that the series spans the whole stream at the finest width that
 * fits: 100 ms for a stream of up to 12.8 s, 200 ms up to 25.6 s, ... */
#define SIFT_SERIES_BUCKETS 128
#define SIFT_SERIES_WIDTH0 (SIFT_USEC / 10)

struct sift_rtpbucket {
	float jitter_ms;          /* largest running jitter (RFC 3550 A.8)
				   * after a packet of the bucket; -1 none */
	float delta_ms;           /* largest gap between two arrivals ending
				   * in the bucket; -1 none */
	uint32_t packets;         /* packets arrived, duplicates too */
	int32_t lost;             /* change of expected less received: a
				   * jump forward adds the numbers skipped, a
				   * late packet takes one back, so that the
				   * buckets add up to the stream's loss */
	uint32_t seq_errors;
	uint32_t out_of_order;
	float rtcp_jitter_ms;     /* largest jitter the peer reported about
				   * the stream in the bucket; -1 none */
	int32_t rtcp_lost;        /* cumulative lost of the peer's last report
				   * in the bucket; -1 none */
};

struct sift_rtpseries {
	sift_time t0;             /* the first packet's arrival */
	sift_time width;          /* of one bucket */
	uint32_t used;            /* buckets from the first up to the last
				   * with something in it */
	bool have_prev;
	sift_time prev_arrival;
	struct sift_rtpbucket b[SIFT_SERIES_BUCKETS];
};

/* Filled by sip/sdes.c. */
enum sift_srtp_suite {
	SIFT_SUITE_UNKNOWN = 0,
	SIFT_SUITE_AES_CM_128_HMAC_SHA1_80,
	SIFT_SUITE_AES_CM_128_HMAC_SHA1_32,
	SIFT_SUITE_AES_192_CM_HMAC_SHA1_80,
	SIFT_SUITE_AES_192_CM_HMAC_SHA1_32,
	SIFT_SUITE_AES_256_CM_HMAC_SHA1_80,
	SIFT_SUITE_AES_256_CM_HMAC_SHA1_32,
	SIFT_SUITE_AEAD_AES_128_GCM,
	SIFT_SUITE_AEAD_AES_256_GCM,
	SIFT_SUITE_COUNT
};

#endif
