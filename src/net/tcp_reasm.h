/* sipsift — per-direction TCP stream reassembly (RFC 9293).
 *
 * Each direction of a connection is its own stream. Bytes are handed to the
 * consumer in sequence order, exactly once: retransmitted and overlapping
 * segments are trimmed, out-of-order segments are held (capped) until the
 * hole is filled. A hole that is never filled (the segment was not captured)
 * is skipped: when the held bytes of a stream exceed its cap, when the hole is
 * older than the gap timeout, at FIN/RST, or at flush; the consumer is told how
 * many bytes are missing so it can resynchronise. A stream first seen
 * mid-connection starts at its first captured segment. */
#ifndef SIPSIFT_TCP_REASM_H
#define SIPSIFT_TCP_REASM_H

#include "sipsift/common.h"
#include "sipsift/stats.h"

struct sift_tcp_limits {
	size_t max_streams;      /* directions tracked at once */
	size_t max_stream_hold;  /* out-of-order bytes held per direction */
	size_t max_total_hold;   /* out-of-order bytes held in total */
	sift_time gap_timeout;   /* a hole older than this is skipped */
	sift_time idle_timeout;  /* a direction silent this long is closed */
};

/* Held segments per direction: bounds the work of one insertion. A sender
 * with 1460-byte segments fills the default 256 KiB hold in ~180 of them. */
#define SIFT_TCP_MAX_HELD_SEGS 1024u

/* Defaults: 65536 streams, 256 KiB per stream, 64 MiB total, gap 5 s,
 * idle 300 s. */
void sift_tcp_limits_default(struct sift_tcp_limits *lim);

#define SIFT_TCP_FIN 0x01
#define SIFT_TCP_SYN 0x02
#define SIFT_TCP_RST 0x04
#define SIFT_TCP_ACK 0x10

struct sift_tcp_segment {
	struct sift_addr src;   /* sender (ip + port) */
	struct sift_addr dst;
	uint32_t seq;
	uint8_t flags;          /* SIFT_TCP_* */
	const uint8_t *data;    /* payload, borrowed for this call */
	size_t len;
	struct sift_where where;
};

/* Callbacks into the consumer (the SIP stream framer). user points at a
 * per-direction slot the consumer owns: NULL when the stream is new, set by
 * the consumer to its own state, and handed back to close() for freeing. */
struct sift_tcp_ops {
	/* In-order bytes. where is the segment that made them contiguous (so a
	 * message completed by a later segment is attributed to that frame, as
	 * Wireshark's "reassembled in" does). Return false to stop receiving
	 * data for this direction (not SIP): it is then only tracked. */
	bool (*data)(void *ctx, void **user, const struct sift_addr *src,
		     const struct sift_addr *dst, const uint8_t *p, size_t n,
		     const struct sift_where *where);
	/* n bytes were never captured before the next bytes delivered. */
	void (*gap)(void *ctx, void **user, uint64_t n,
		    const struct sift_where *where);
	/* The direction ended (FIN, RST, idle, eviction or flush). */
	void (*close)(void *ctx, void **user);
};


struct sift_tcp;

struct sift_tcp *sift_tcp_new(const struct sift_tcp_limits *lim,
			      const struct sift_tcp_ops *ops, void *ctx);
/* Flushes (sift_tcp_flush) then frees; accepts NULL. */
void sift_tcp_free(struct sift_tcp *t);

/* Feeds one segment (with or without payload: SYN, FIN and RST matter). */
enum sift_rc sift_tcp_add(struct sift_tcp *t, const struct sift_tcp_segment *s);

/* Skips stale holes and closes idle directions, by capture time. */
void sift_tcp_expire(struct sift_tcp *t, sift_time now);

/* End of input: delivers every held byte (skipping holes) and closes all. */
void sift_tcp_flush(struct sift_tcp *t);

size_t sift_tcp_active(const struct sift_tcp *t);
const struct sift_tcp_stats *sift_tcp_stats(const struct sift_tcp *t);

#endif
