/* sipsift — network and transport decoding: IPv4/IPv6 (extension headers,
 * fragments), UDP, TCP and SCTP headers, and the tunnels that port mirroring
 * and carriers use (IP-in-IP, GRE, ERSPAN I/II/III, VXLAN). One captured
 * frame gives at most one transport payload. */
#ifndef SIPSIFT_NET_H
#define SIPSIFT_NET_H

#include "sipsift/common.h"
#include "sipsift/stats.h"
#include "net/ip_defrag.h"

#define SIFT_IPPROTO_TCP  6
#define SIFT_IPPROTO_UDP  17
#define SIFT_IPPROTO_SCTP 132

/* sift_net_decode's shortcut for plain frames (net.c) sets each field by
 * name: a new field is set there too, and compared with the walk's in
 * test_net's walk_agrees and fuzz_net_rewrite's same_decode. */
struct sift_l4 {
	uint8_t proto;          /* 0: nothing for upper layers in this frame */
	struct sift_addr src;
	struct sift_addr dst;
	const uint8_t *data;    /* transport payload, borrowed */
	size_t len;             /* bytes present */
	bool cut;               /* snaplen cut the payload short */
	bool reassembled;       /* came out of IP fragment reassembly */
	uint32_t tcp_seq;
	uint8_t tcp_flags;      /* SIFT_TCP_* from tcp_reasm.h */
	const uint8_t *ip;      /* the innermost IP header, inside the frame
				 * unless reassembled */
	unsigned depth;         /* tunnels unwrapped on the way */
};


struct sift_net;

struct sift_net *sift_net_new(const struct sift_defrag_limits *lim);
void sift_net_free(struct sift_net *n);

/* Decodes one frame. SIFT_OK with out->proto 0 when there is nothing to
 * hand on (non-IP, an incomplete fragment, ICMP, ...); errors are counted in
 * the stats, never printed. */
enum sift_rc sift_net_decode(struct sift_net *n, int linktype,
			     const uint8_t *p, size_t caplen, sift_time ts,
			     struct sift_l4 *out);
/* The same without the shortcut for plain Ethernet/IPv4/UDP frames: what
 * test_net and fuzz_net_rewrite hold sift_net_decode to. */
enum sift_rc sift_net_decode_walk(struct sift_net *n, int linktype,
				  const uint8_t *p, size_t caplen, sift_time ts,
				  struct sift_l4 *out);

/* A plain frame (Ethernet, IPv4 without options or fragmentation, UDP
 * not to a VXLAN port) decoded ahead: the pipeline's hint decodes the
 * frame after the next to fetch what it needs, and sift_net_decode_memo
 * takes that decode rather than making it again (sipp-media-4000: the
 * two were a tenth of a `calls` run). */
#define SIFT_NET_PLAIN_HDR (14 + 20 + 8)
struct sift_net_plain {
	const uint8_t *p;       /* the frame; NULL when none */
	size_t caplen;
	uint8_t h[SIFT_NET_PLAIN_HDR]; /* its headers, as they were */
	struct sift_addr src, dst;
	size_t len;             /* the UDP payload's, at p + SIFT_NET_PLAIN_HDR */
};

/* Fills m from frame p when it is a plain one; false (m->p NULL) when
 * not. Keeps no state. */
bool sift_net_plain_make(struct sift_net_plain *m, int linktype,
			 const uint8_t *p, size_t caplen);
/* sift_net_decode, taking m's decode when m was made from a frame at p
 * with the same caplen and header bytes (its decode is made of those
 * alone). */
enum sift_rc sift_net_decode_memo(struct sift_net *n, int linktype,
				  const uint8_t *p, size_t caplen, sift_time ts,
				  const struct sift_net_plain *m, struct sift_l4 *out);

/* A frame's UDP datagram when it is a plain one (link, IPv4 without
 * fragmentation or IPv6 without extension headers, UDP, no VXLAN that
 * decode would unwrap): its addresses and payload, without any state. A hint for prefetching what the datagram
 * will need; sift_net_decode has the last word on every frame. */
bool sift_net_peek_udp(int linktype, const uint8_t *p, size_t caplen,
		       struct sift_addr *src, struct sift_addr *dst,
		       const uint8_t **data, size_t *len);
/* The same without the plain-frame shortcut: for a frame that
 * sift_net_plain_make just found not plain (the hint). */
bool sift_net_peek_udp_walk(int linktype, const uint8_t *p, size_t caplen,
			    struct sift_addr *src, struct sift_addr *dst,
			    const uint8_t **data, size_t *len);

void sift_net_expire(struct sift_net *n, sift_time now);

/* The IP datagram the last frame decoded was a fragment of (a hash of
 * addresses, protocol and identification; the frame that completes it
 * has the same key), or 0 when it was none. */
uint64_t sift_net_frag_key(const struct sift_net *n);
/* The IP protocol of that fragment's datagram (17 for UDP; for IPv6 the
 * header after the Fragment header). */
uint8_t sift_net_frag_proto(const struct sift_net *n);

/* Builds into out (room for cap bytes) a copy of frame whose UDP payload
 * is replaced by payload: IPv4 total length and header checksum, IPv6
 * payload length, UDP length and checksum (none for IPv4, RFC 768; the
 * mandatory one for IPv6, RFC 8200 §8.1) fixed; trailing link padding
 * dropped. For a datagram this frame completed (reassembled from IP
 * fragments): the whole datagram as one packet, built on this frame's
 * link and IP headers (IPv4 offset and MF cleared, the IPv6 Fragment
 * header taken out). Not for a datagram in a tunnel or cut by snaplen:
 * SIFT_EINVAL. */
enum sift_rc sift_net_rewrite_udp(const uint8_t *frame, size_t caplen,
				  const struct sift_l4 *l4,
				  const uint8_t *payload, size_t plen,
				  uint8_t *out, size_t cap, size_t *outlen);
const struct sift_net_stats *sift_net_stats(const struct sift_net *n);
const struct sift_defrag_stats *sift_net_defrag_stats(const struct sift_net *n);

#endif
