/* sipsift — decrypt -w's packet rewrite: a UDP datagram decoded from a
 * frame, or reassembled from IP fragments, written again around another
 * payload, with its lengths and checksums made right. */
#include <string.h>

#include "capture/capture.h"
#include "net/net.h"
#include "net/net_int.h"
#include "util/cursor.h"

/* RFC 1071 one's complement sum of n bytes (an odd last byte padded). */
static uint32_t sum16(const uint8_t *p, size_t n, uint32_t acc)
{
	struct sift_cur k = sift_cur_make(p, n);

	while (sift_cur_has(&k, 2))
		acc += sift_cur_be16(&k);
	if (sift_cur_has(&k, 1))
		acc += (uint32_t)sift_cur_u8(&k) << 8;
	return acc;
}

static uint16_t fold(uint32_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

/* The header of an IPv6 packet up to its Fragment header (RFC 8200 §4.5:
 * the "Per-Fragment headers"): *len its length, *prev where the Next
 * Header field that names the Fragment header is. false when the walk
 * finds no Fragment header within the n bytes. */
static bool ip6_unfragmentable(const uint8_t *ip, size_t n, size_t *len,
			       size_t *prev)
{
	struct sift_cur k = sift_cur_make(ip, n);
	size_t off = 40, at = 6;
	uint8_t next = sift_cur_peek_u8(&k, 6);

	for (int i = 0; i < MAX_EXT_HDRS && !k.cut; i++) {
		size_t hlen;

		if (next == PROTO_FRAGMENT) {
			*len = off;
			*prev = at;
			return off + 8 <= n;
		}
		if (next != PROTO_HOPOPTS && next != PROTO_ROUTING &&
		    next != PROTO_DSTOPTS && next != PROTO_MOBILITY)
			return false;
		k = sift_cur_make(ip, n);
		sift_cur_skip(&k, off);
		if (!sift_cur_has(&k, 8))
			return false;
		hlen = sift_ip6_ext_len(&k, next);
		at = off;
		next = sift_cur_peek_u8(&k, 0);
		off += hlen;
	}
	return false;
}

/* sift_net_rewrite_udp for a datagram that came out of reassembly: one
 * unfragmented packet, the link header and IP header of the frame that
 * completed it (IPv4: offset and MF cleared; IPv6: the Fragment header
 * taken out), the datagram's UDP header, then payload. */
static enum sift_rc rewrite_whole(const uint8_t *frame, size_t caplen,
				  const struct sift_l4 *l4,
				  const uint8_t *payload, size_t plen,
				  uint8_t *out, size_t cap, size_t *outlen)
{
	size_t ip_off, hl, prev = 0, total;
	struct sift_cur k;
	uint8_t *ip, *udp;
	uint8_t v;

	if (!l4->ip || l4->ip < frame || l4->ip >= frame + caplen)
		return SIFT_EINVAL;
	ip_off = (size_t)(l4->ip - frame);
	k = sift_cur_make(l4->ip, caplen - ip_off);
	v = sift_cur_peek_u8(&k, 0) >> 4;
	if (v == 4) {
		hl = (size_t)(sift_cur_peek_u8(&k, 0) & 15) * 4;
		if (hl < 20 || !sift_cur_has(&k, hl))
			return SIFT_EINVAL;
	} else if (v != 6 || !ip6_unfragmentable(l4->ip, caplen - ip_off, &hl,
						 &prev)) {
		return SIFT_EINVAL;
	}
	total = ip_off + hl + 8 + plen;
	if (total > cap || hl + 8 + plen > 65535)
		return SIFT_EINVAL;
	memcpy(out, frame, ip_off + hl);
	/* The UDP header leads the reassembled payload (l4->data is just
	 * after it, in the reassembler's buffer). */
	memcpy(out + ip_off + hl, l4->data - 8, 8);
	memcpy(out + ip_off + hl + 8, payload, plen);
	ip = out + ip_off;
	udp = ip + hl;
	sift_put_be16(udp + 4, (uint16_t)(8 + plen));
	sift_put_be16(udp + 6, 0);
	if (v == 4) {
		sift_put_be16(ip + 2, (uint16_t)(hl + 8 + plen));
		sift_put_be16(ip + 6, 0);       /* no MF, offset 0 */
		sift_put_be16(ip + 10, 0);
		sift_put_be16(ip + 10, fold(sum16(ip, hl, 0)));
	} else {
		uint32_t acc;
		uint16_t ck;

		ip[prev] = SIFT_IPPROTO_UDP;
		sift_put_be16(ip + 4, (uint16_t)(hl - 40 + 8 + plen));
		acc = sum16(ip + 8, 32, 0);
		acc += (uint32_t)(8 + plen);
		acc += 17;
		acc = sum16(udp, 8 + plen, acc);
		ck = fold(acc);
		sift_put_be16(udp + 6, ck ? ck : 0xffff);
	}
	*outlen = total;
	return SIFT_OK;
}

enum sift_rc sift_net_rewrite_udp(const uint8_t *frame, size_t caplen,
				  const struct sift_l4 *l4,
				  const uint8_t *payload, size_t plen,
				  uint8_t *out, size_t cap, size_t *outlen)
{
	size_t ip_off, udp_off, total, hl;
	struct sift_cur k;
	uint8_t *ip, *udp;
	uint8_t vhl;

	if (l4->proto == SIFT_IPPROTO_UDP && l4->reassembled && !l4->depth &&
	    !l4->cut)
		return rewrite_whole(frame, caplen, l4, payload, plen, out, cap,
				     outlen);
	if (l4->proto != SIFT_IPPROTO_UDP || l4->reassembled || l4->depth ||
	    l4->cut || !l4->ip || l4->ip < frame || l4->data < l4->ip + 8 ||
	    l4->data > frame + caplen)
		return SIFT_EINVAL;
	ip_off = (size_t)(l4->ip - frame);
	udp_off = (size_t)(l4->data - frame) - 8;
	total = udp_off + 8 + plen;
	if (total > cap || plen > 65535 - 8)
		return SIFT_EINVAL;
	memcpy(out, frame, udp_off + 8);
	memcpy(out + udp_off + 8, payload, plen);
	ip = out + ip_off;
	udp = out + udp_off;
	k = sift_cur_make(ip, udp_off - ip_off);
	vhl = sift_cur_u8(&k);
	hl = (size_t)(vhl & 15) * 4;
	sift_put_be16(udp + 4, (uint16_t)(8 + plen));
	sift_put_be16(udp + 6, 0);
	if ((vhl >> 4) == 4) {
		/* Total length, then the header checksum over hl bytes. The
		 * decoder checked hl against the frame when it found l4. */
		if (hl < 20 || hl > udp_off - ip_off)
			return SIFT_EINVAL;
		sift_put_be16(ip + 2, (uint16_t)(total - ip_off));
		sift_put_be16(ip + 10, 0);
		sift_put_be16(ip + 10, fold(sum16(ip, hl, 0)));
	} else {
		uint32_t acc;
		uint16_t ck;

		if (udp_off - ip_off < 40)
			return SIFT_EINVAL;
		sift_put_be16(ip + 4, (uint16_t)(total - ip_off - 40));
		/* Pseudo-header: addresses, upper-layer length, next header. */
		acc = sum16(ip + 8, 32, 0);
		acc += (uint32_t)(8 + plen);
		acc += 17;
		acc = sum16(udp, 8 + plen, acc);
		ck = fold(acc);
		if (!ck)
			ck = 0xffff;
		sift_put_be16(udp + 6, ck);
	}
	*outlen = total;
	return SIFT_OK;
}
