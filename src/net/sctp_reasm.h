/* sipsift — reassembly of user messages split over several SCTP DATA
 * chunks (RFC 9260 §6.9: B and E flags, consecutive TSNs). SIP over SCTP
 * carries one message per user message (RFC 4168 §5). Bounded: a fixed
 * number of messages under construction, each capped in size. */
#ifndef SIPSIFT_SCTP_REASM_H
#define SIPSIFT_SCTP_REASM_H

#include "sipsift/common.h"

#define SIFT_SCTP_B 0x02   /* beginning fragment */
#define SIFT_SCTP_E 0x01   /* ending fragment */

struct sift_sctp_reasm;

struct sift_sctp_reasm *sift_sctp_reasm_new(void);
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

/* Messages that were started and never completed (dropped, evicted,
 * expired, or still open: call after the last chunk). */
uint64_t sift_sctp_reasm_incomplete(const struct sift_sctp_reasm *r);

#endif
