/* sipsift — reassembly of user messages split over several SCTP DATA
 * chunks (RFC 9260 §6.9: B and E flags, consecutive TSNs). SIP over SCTP
 * carries one message per user message (RFC 4168 §5). Bounded: a fixed
 * number of messages under construction, each capped in size. */
#ifndef SIPSIFT_SCTP_REASM_H
#define SIPSIFT_SCTP_REASM_H

#include "sipsift/common.h"
#include "util/cursor.h"

#define SIFT_SCTP_B 0x02   /* beginning fragment */
#define SIFT_SCTP_E 0x01   /* ending fragment */

struct sift_sctp_reasm;

/* The longest message reassembled unless the user of the messages sets
 * its own (the pipeline sets SIP's: net knows nothing of SIP). */
#define SIFT_SCTP_MAX_MESSAGE (1024 * 1024)
/* Messages under construction at once; past it the oldest is dropped. */
#define SIFT_SCTP_SLOTS 64

struct sift_sctp_reasm *sift_sctp_reasm_new(void);
/* Longer messages are dropped (and counted incomplete). */
void sift_sctp_reasm_set_max(struct sift_sctp_reasm *r, size_t max);
void sift_sctp_reasm_free(struct sift_sctp_reasm *r);

/* One DATA chunk that is not a whole message (not both B and E). When it
 * completes a message, *out and *out_len point at it (valid until the next call
 * on r); otherwise *out is NULL. Chunks out of TSN order drop the message
 * under construction (counted as incomplete). */
void sift_sctp_reasm_add(struct sift_sctp_reasm *r, const struct sift_addr *src,
			 const struct sift_addr *dst, uint16_t stream,
			 uint32_t tsn, uint8_t flags, const uint8_t *p,
			 size_t n, sift_time now, const uint8_t **out,
			 size_t *out_len);

/* The user messages of one SCTP packet (RFC 9260 §3.3.1 DATA chunks),
 * whole or completed by reassembly, in chunk order; other chunk types are
 * skipped. Walk it with sift_sctp_next_message until it says false; a
 * message is valid until the next call (it may be r's buffer). */
struct sift_sctp_chunks {
	struct sift_cur k;      /* the chunks, after the 12-byte common header */
	struct sift_sctp_reasm *r;
	const struct sift_addr *src;
	const struct sift_addr *dst;
	sift_time ts;
};

void sift_sctp_chunks_start(struct sift_sctp_chunks *it,
			    struct sift_sctp_reasm *r,
			    const struct sift_addr *src,
			    const struct sift_addr *dst, const uint8_t *p,
			    size_t len, sift_time ts);
bool sift_sctp_next_message(struct sift_sctp_chunks *it, const uint8_t **msg,
			    size_t *len);

/* Messages that were started and never completed (dropped, evicted,
 * expired, or still open: call after the last chunk). */
uint64_t sift_sctp_reasm_incomplete(const struct sift_sctp_reasm *r);
/* Of those, the ones dropped to make room: more than 64 messages were
 * under construction at once (a cap, warned about). The counter itself,
 * which stays where it is while r lives (the pipeline watches it). */
const uint64_t *sift_sctp_reasm_evicted(const struct sift_sctp_reasm *r);

#endif
