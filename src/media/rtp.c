/* sipsift — RTP and RTCP header validation (RFC 3550 §5.1, §5.3.1, §6.4).
 *
 * Every length is checked against the bytes we have before it is used, in
 * the order libsrtp validates a header: the fixed 12 bytes, 4 per CSRC,
 * the extension header and its body, then the padding count in the last
 * octet. */
#include "media/rtp.h"

#include <string.h>

#define RTP_FIXED 12u
#define RTCP_HDR 4u
#define SRTCP_INDEX 4u          /* E flag + 31-bit index (RFC 3711 §3.4) */

enum {
	RTCP_SR = 200,
	RTCP_RR = 201,
	RTCP_SDES = 202,
	RTCP_BYE = 203,
	RTCP_APP = 204,
	RTCP_FIRST_PT = 192,    /* RFC 5761 §4: the RTCP payload type range */
	RTCP_LAST_PT = 223
};

enum sift_rc sift_rtp_parse(const uint8_t *p, size_t n, bool srtp,
			    struct sift_rtp_hdr *h)
{
	size_t off;
	uint8_t pt;

	if (!p || !h)
		return SIFT_EINVAL;
	memset(h, 0, sizeof(*h));
	if (n < 1)
		return SIFT_ETRUNC;
	if ((p[0] >> 6) != 2)
		return SIFT_EINVAL;
	if (n < 2)
		return SIFT_ETRUNC;
	pt = p[1] & 0x7f;
	/* RFC 5761 §4: SR..APP (200-204) seen through the RTP header have
	 * M=1 and PT 72-76; such a packet is RTCP, not RTP. */
	if (pt >= 72 && pt <= 76)
		return SIFT_EINVAL;
	if (n < RTP_FIXED)
		return SIFT_ETRUNC;

	h->pt = pt;
	h->marker = (p[1] & 0x80) != 0;
	h->cc = p[0] & 0x0f;
	h->seq = sift_be16(p + 2);
	h->ts = sift_be32(p + 4);
	h->ssrc = sift_be32(p + 8);

	off = RTP_FIXED + 4u * h->cc;
	if (off > n)
		return SIFT_ETRUNC;
	if (p[0] & 0x10) {
		/* §5.3.1: 16-bit profile field, 16-bit length in words. */
		if (n - off < 4)
			return SIFT_ETRUNC;
		size_t ext = 4u * (size_t)sift_be16(p + off + 2);

		off += 4;
		if (ext > n - off)
			return SIFT_ETRUNC;
		off += ext;
	}
	h->hdr_len = off;
	h->payload_len = n - off;

	/* §5.1: the last octet counts the padding, itself included. Under
	 * SRTP it is encrypted (and the caller may not have removed the tag
	 * correctly), so it is left alone. */
	if ((p[0] & 0x20) && !srtp) {
		uint8_t pad;

		if (h->payload_len == 0)
			return SIFT_ETRUNC;
		pad = p[n - 1];
		if (pad == 0)
			return SIFT_EINVAL;
		if (pad > h->payload_len)
			return SIFT_ETRUNC;
		h->pad_len = pad;
		h->payload_len -= pad;
	}
	return SIFT_OK;
}

/* The fixed part of a first packet must fit its own length: SR 28 bytes +
 * 24 per report block, RR 8 + 24 per block (§6.4.1, §6.4.2). */
static bool rtcp_first_fits(const uint8_t *p, size_t plen)
{
	unsigned count = p[0] & 0x1f;

	switch (p[1]) {
	case RTCP_SR:
		return plen >= 28 + 24 * (size_t)count;
	case RTCP_RR:
		return plen >= 8 + 24 * (size_t)count;
	case RTCP_SDES:
	case RTCP_APP:
		return plen >= 8;
	case RTCP_BYE:
		return plen >= 4 + 4 * (size_t)count;
	default:
		return false;
	}
}

bool sift_rtcp_looks(const uint8_t *p, size_t n, bool srtcp, uint32_t *ssrc)
{
	size_t off = 0, plen;

	if (!p || n < RTCP_HDR)
		return false;
	if ((p[0] >> 6) != 2 || p[1] < RTCP_SR || p[1] > RTCP_APP)
		return false;
	plen = 4u * ((size_t)sift_be16(p + 2) + 1);
	if (plen > n || !rtcp_first_fits(p, plen))
		return false;
	/* A BYE with no SSRC (SC 0) names no source. */
	if (plen < 8)
		return false;

	if (srtcp) {
		/* RFC 3711 §3.4: only the first header is sent in clear; the
		 * rest of the compound may be encrypted, then comes the E flag
		 * and index (and MKI and tag, whose lengths the suite gives). */
		if (n - plen < SRTCP_INDEX)
			return false;
	} else {
		/* §6.1: the packets of a compound must add up to n exactly;
		 * padding is only allowed in the last one. */
		for (;;) {
			if ((p[off] >> 6) != 2 || p[off + 1] < RTCP_FIRST_PT ||
			    p[off + 1] > RTCP_LAST_PT)
				return false;
			if (p[off] & 0x20) {
				uint8_t pad = p[off + plen - 1];

				if (off + plen != n || pad == 0 ||
				    pad > plen - RTCP_HDR)
					return false;
			}
			off += plen;
			if (off == n)
				break;
			if (n - off < RTCP_HDR)
				return false;
			plen = 4u * ((size_t)sift_be16(p + off + 2) + 1);
			if (plen > n - off)
				return false;
		}
	}
	if (ssrc)
		*ssrc = sift_be32(p + 4);
	return true;
}

static void rtcp_blocks(const uint8_t *b, size_t len, unsigned count,
			struct sift_rtcp_info *out)
{
	/* Each report block is 24 bytes (§6.4.1); the caller checked that
	 * count of them fit in len. */
	for (unsigned i = 0; i < count && (size_t)(i + 1) * 24 <= len; i++) {
		const uint8_t *r = b + 24 * (size_t)i;
		struct sift_rtcp_block *k;
		uint32_t lost;

		if (out->nblocks >= SIFT_RTCP_MAX_BLOCKS) {
			out->skipped++;
			continue;
		}
		k = &out->blocks[out->nblocks++];
		k->ssrc = sift_be32(r);
		k->fraction = r[4];
		lost = ((uint32_t)r[5] << 16) | ((uint32_t)r[6] << 8) | r[7];
		k->cum_lost = (lost & 0x800000) ? (int32_t)lost - 0x1000000 : (int32_t)lost;
		k->ext_seq = sift_be32(r + 8);
		k->jitter = sift_be32(r + 12);
	}
}

enum sift_rc sift_rtcp_parse(const uint8_t *p, size_t n,
			     struct sift_rtcp_info *out)
{
	size_t off = 0;
	bool first = true;

	memset(out, 0, sizeof(*out));
	if (!p || n < RTCP_HDR || (p[0] >> 6) != 2 || p[1] < RTCP_FIRST_PT ||
	    p[1] > RTCP_LAST_PT)
		return SIFT_EINVAL;
	while (n - off >= RTCP_HDR) {
		const uint8_t *h = p + off;
		unsigned count = h[0] & 0x1f;
		size_t plen = 4u * ((size_t)sift_be16(h + 2) + 1);

		if ((h[0] >> 6) != 2 || plen > n - off)
			return SIFT_ETRUNC;
		if (h[1] == RTCP_SR) {
			/* header 8, sender info 20, then the blocks */
			if (plen < 28 || plen < 28 + 24 * (size_t)count)
				return SIFT_ETRUNC;
			if (first || !out->sr) {
				out->sender_ssrc = sift_be32(h + 4);
				out->sr = true;
				out->sr_packets = sift_be32(h + 20);
				out->sr_octets = sift_be32(h + 24);
			}
			rtcp_blocks(h + 28, plen - 28, count, out);
		} else if (h[1] == RTCP_RR) {
			if (plen < 8 + 24 * (size_t)count)
				return SIFT_ETRUNC;
			if (first)
				out->sender_ssrc = sift_be32(h + 4);
			rtcp_blocks(h + 8, plen - 8, count, out);
		} else if (first && plen >= 8) {
			out->sender_ssrc = sift_be32(h + 4);
		}
		first = false;
		off += plen;
	}
	return off == n ? SIFT_OK : SIFT_ETRUNC;
}
