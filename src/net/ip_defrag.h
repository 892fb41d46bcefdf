/* sipsift — IPv4 and IPv6 fragment reassembly (RFC 791, RFC 8200 §4.5).
 *
 * The IP decoder parses the header and hands each fragment here; the
 * reassembler keeps a bounded table of datagrams under construction and
 * returns the upper-layer payload (what follows the IP header, or the IPv6
 * fragment header) once every byte from 0 to the end is present. Memory is
 * capped in datagrams and bytes; entries older than the timeout (capture
 * time) are dropped. */
#ifndef SIPSIFT_IP_DEFRAG_H
#define SIPSIFT_IP_DEFRAG_H

#include "sipsift/common.h"
#include "sipsift/stats.h"

struct sift_defrag_limits {
	size_t max_datagrams;   /* datagrams under construction at once */
	size_t max_bytes;       /* buffered payload bytes in total */
	size_t max_datagram;    /* bytes of one reassembled payload (<= 65535 for v4) */
	unsigned max_fragments; /* fragments of one datagram */
	sift_time timeout;      /* capture time a datagram may stay incomplete */
};

/* Defaults: 4096 datagrams, 32 MiB, 65535 bytes, 256 fragments, 30 s
 * (RFC 8200 §4.5 says 60 s for IPv6; 30 s keeps memory lower and is what
 * Linux uses for IPv4). */
void sift_defrag_limits_default(struct sift_defrag_limits *lim);

struct sift_frag {
	uint8_t family;      /* 4 or 6 */
	uint8_t proto;       /* upper-layer protocol (IPv6: fragment header's next header) */
	uint8_t src[16];     /* IPv4 uses the first 4 bytes */
	uint8_t dst[16];
	uint32_t id;         /* IPv4: 16-bit identification; IPv6: 32-bit */
	uint32_t offset;     /* in bytes */
	bool more;           /* MF flag */
	const uint8_t *data; /* fragment payload, borrowed for this call */
	size_t len;
};


struct sift_defrag;

struct sift_defrag *sift_defrag_new(const struct sift_defrag_limits *lim);
void sift_defrag_free(struct sift_defrag *d);

/* Adds one fragment seen at capture time now. When it completes its
 * datagram, *out and *out_len point at the reassembled upper-layer payload,
 * valid until the next call on d; otherwise *out is NULL. Returns SIFT_OK,
 * SIFT_EINVAL (fragment rejected, counted) or SIFT_ELIMIT (cap hit,
 * counted). Never fails because of the content of other fragments. */
enum sift_rc sift_defrag_add(struct sift_defrag *d, const struct sift_frag *f,
			     sift_time now, const uint8_t **out,
			     size_t *out_len);

/* Drops datagrams that have been incomplete for longer than the timeout. */
void sift_defrag_expire(struct sift_defrag *d, sift_time now);

/* Datagrams currently incomplete (for memory checks and tests). */
size_t sift_defrag_pending(const struct sift_defrag *d);

const struct sift_defrag_stats *sift_defrag_stats(const struct sift_defrag *d);

#endif
