/* sipsift — RTP and RTCP header validation (RFC 3550 §5.1, §5.3.1, §6.4).
 *
 * Every length is checked against the bytes we have before it is used, in
 * the order libsrtp validates a header: the fixed 12 bytes, 4 per CSRC,
 * the extension header and its body, then the padding count in the last
 * octet. */
#include "media/rtp.h"

#include <string.h>

#include "util/cursor.h"

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
	struct sift_cur k = sift_cur_make(p, n), pad;
	uint8_t b0, b1;

	if (!p || !h)
		return SIFT_EINVAL;
	/* Most packets: version 2 without padding, extension or CSRCs
	 * (0x80), whose 12 bytes are read after one check. The cursor's
	 * field by field was 66 instructions a packet. */
	{
		uint8_t f[12];

		if (sift_cur_copy(&k, f, sizeof(f)) && f[0] == 0x80 &&
		    ((f[1] & 0x7f) < 72 || (f[1] & 0x7f) > 76)) {
			h->pt = f[1] & 0x7f;
			h->marker = (f[1] & 0x80) != 0;
			h->cc = 0;
			h->seq = (uint16_t)(f[2] << 8 | f[3]);
			h->ts = (uint32_t)f[4] << 24 | (uint32_t)f[5] << 16 |
				(uint32_t)f[6] << 8 | f[7];
			h->ssrc = (uint32_t)f[8] << 24 | (uint32_t)f[9] << 16 |
				  (uint32_t)f[10] << 8 | f[11];
			h->hdr_len = 12;
			h->payload_len = n - 12;
			h->pad_len = 0;
			return SIFT_OK;
		}
		k = sift_cur_make(p, n);
	}
	memset(h, 0, sizeof(*h));
	b0 = sift_cur_u8(&k);
	if (k.cut)
		return SIFT_ETRUNC;
	if ((b0 >> 6) != 2)
		return SIFT_EINVAL;
	b1 = sift_cur_u8(&k);
	if (k.cut)
		return SIFT_ETRUNC;
	/* RFC 5761 §4: SR..APP (200-204) seen through the RTP header have
	 * M=1 and PT 72-76; such a packet is RTCP, not RTP. */
	if ((b1 & 0x7f) >= 72 && (b1 & 0x7f) <= 76)
		return SIFT_EINVAL;
	h->seq = sift_cur_be16(&k);
	h->ts = sift_cur_be32(&k);
	h->ssrc = sift_cur_be32(&k);
	if (k.cut) {
		h->seq = 0;
		h->ts = h->ssrc = 0;
		return SIFT_ETRUNC;
	}
	h->pt = b1 & 0x7f;
	h->marker = (b1 & 0x80) != 0;
	h->cc = b0 & 0x0f;

	/* Lengths inside the header that run past n are a lie (ETRUNC as
	 * the header says); the callers treat both alike. */
	sift_cur_skip(&k, 4u * h->cc);
	if (b0 & 0x10) {
		/* §5.3.1: 16-bit profile field, 16-bit length in words. */
		sift_cur_skip(&k, 2);
		sift_cur_skip(&k, 4u * (size_t)sift_cur_be16(&k));
	}
	if (k.cut)
		return SIFT_ETRUNC;
	h->hdr_len = k.off;
	h->payload_len = sift_cur_left(&k);

	/* §5.1: the last octet counts the padding, itself included. Under
	 * SRTP it is encrypted (and the caller may not have removed the tag
	 * correctly), so it is left alone. */
	if ((b0 & 0x20) && !srtp) {
		uint8_t padn;

		if (h->payload_len == 0)
			return SIFT_ETRUNC;
		pad = k;
		sift_cur_skip(&pad, h->payload_len - 1);
		padn = sift_cur_u8(&pad);
		if (padn == 0)
			return SIFT_EINVAL;
		if (padn > h->payload_len)
			return SIFT_ETRUNC;
		h->pad_len = padn;
		h->payload_len -= padn;
	}
	return SIFT_OK;
}

/* The fixed part of a first packet must fit its own length: SR 28 bytes +
 * 24 per report block, RR 8 + 24 per block (§6.4.1, §6.4.2). */
static bool rtcp_first_fits(uint8_t b0, uint8_t type, size_t plen)
{
	unsigned count = b0 & 0x1f;

	switch (type) {
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

/* One RTCP packet header (§6.4.1): first byte, type, and the length in
 * bytes (the 16-bit field counts 32-bit words minus one). */
struct rtcp_hdr {
	uint8_t b0;
	uint8_t type;
	size_t plen;
};

static bool rtcp_hdr(struct sift_cur *k, struct rtcp_hdr *h)
{
	h->b0 = sift_cur_u8(k);
	h->type = sift_cur_u8(k);
	h->plen = 4u * ((size_t)sift_cur_be16(k) + 1);
	return !k->cut;
}

/* §6.1: the packets of a compound must add up to n exactly; padding is
 * only allowed in the last one. k is at the start of the compound. */
static bool rtcp_compound_adds_up(struct sift_cur k)
{
	struct rtcp_hdr h;
	struct sift_cur pkt;

	while (sift_cur_left(&k) > 0) {
		struct sift_cur at = k;

		if (!rtcp_hdr(&at, &h) || h.plen > sift_cur_left(&k))
			return false;
		if ((h.b0 >> 6) != 2 || h.type < RTCP_FIRST_PT ||
		    h.type > RTCP_LAST_PT)
			return false;
		pkt = sift_cur_sub(&k, h.plen);
		if (h.b0 & 0x20) {
			uint8_t pad;

			sift_cur_skip(&pkt, h.plen - 1);
			pad = sift_cur_u8(&pkt);
			if (sift_cur_left(&k) != 0 || pad == 0 ||
			    pad > h.plen - RTCP_HDR)
				return false;
		}
	}
	return true;
}

bool sift_rtcp_looks(const uint8_t *p, size_t n, bool srtcp, uint32_t *ssrc)
{
	struct sift_cur k = sift_cur_make(p, n), first;
	struct rtcp_hdr h;
	uint32_t s;

	if (!p || !rtcp_hdr(&k, &h))
		return false;
	if ((h.b0 >> 6) != 2 || h.type < RTCP_SR || h.type > RTCP_APP)
		return false;
	if (h.plen > n || !rtcp_first_fits(h.b0, h.type, h.plen))
		return false;
	/* A BYE with no SSRC (SC 0) names no source. */
	if (h.plen < 8)
		return false;
	s = sift_cur_be32(&k);

	if (srtcp) {
		/* RFC 3711 §3.4: only the first header is sent in clear; the
		 * rest of the compound may be encrypted, then comes the E flag
		 * and index (and MKI and tag, whose lengths the suite gives). */
		if (n - h.plen < SRTCP_INDEX)
			return false;
	} else {
		first = sift_cur_make(p, n);
		if (!rtcp_compound_adds_up(first))
			return false;
	}
	if (ssrc)
		*ssrc = s;
	return true;
}

static void rtcp_blocks(struct sift_cur b, unsigned count,
			struct sift_rtcp_info *out)
{
	/* Each report block is 24 bytes (§6.4.1); the caller checked that
	 * count of them fit. */
	for (unsigned i = 0; i < count && sift_cur_has(&b, 24); i++) {
		struct sift_rtcp_block *k;
		uint32_t lost;

		if (out->nblocks >= SIFT_RTCP_MAX_BLOCKS) {
			sift_cur_skip(&b, 24);
			out->skipped++;
			continue;
		}
		k = &out->blocks[out->nblocks++];
		k->ssrc = sift_cur_be32(&b);
		k->fraction = sift_cur_u8(&b);
		lost = sift_cur_be24(&b);
		k->cum_lost = (lost & 0x800000) ? (int32_t)lost - 0x1000000 : (int32_t)lost;
		k->ext_seq = sift_cur_be32(&b);
		k->jitter = sift_cur_be32(&b);
		k->lsr = sift_cur_be32(&b);
		k->dlsr = sift_cur_be32(&b);
	}
}

enum sift_rc sift_rtcp_parse(const uint8_t *p, size_t n,
			     struct sift_rtcp_info *out)
{
	struct sift_cur k = sift_cur_make(p, n), pkt;
	struct rtcp_hdr h;
	bool first = true;

	memset(out, 0, sizeof(*out));
	{
		struct sift_cur at = k;

		if (!p || !rtcp_hdr(&at, &h) || (h.b0 >> 6) != 2 ||
		    h.type < RTCP_FIRST_PT || h.type > RTCP_LAST_PT)
			return SIFT_EINVAL;
	}
	while (sift_cur_left(&k) >= RTCP_HDR) {
		unsigned count;
		struct sift_cur at = k;

		rtcp_hdr(&at, &h);
		count = h.b0 & 0x1f;
		if ((h.b0 >> 6) != 2 || h.plen > sift_cur_left(&k))
			return SIFT_ETRUNC;
		pkt = sift_cur_sub(&k, h.plen);
		sift_cur_skip(&pkt, RTCP_HDR);
		if (h.type == RTCP_SR) {
			/* header 8, sender info 20, then the blocks */
			if (h.plen < 28 || h.plen < 28 + 24 * (size_t)count)
				return SIFT_ETRUNC;
			if (first || !out->sr) {
				struct sift_cur si = pkt;
				uint32_t sec, frac;

				out->sender_ssrc = sift_cur_be32(&si);
				out->sr = true;
				sec = sift_cur_be32(&si);
				frac = sift_cur_be32(&si);
				out->sr_ntp_mid = sec << 16 | frac >> 16;
				sift_cur_skip(&si, 4); /* RTP time */
				out->sr_packets = sift_cur_be32(&si);
				out->sr_octets = sift_cur_be32(&si);
			}
			sift_cur_skip(&pkt, 24);
			rtcp_blocks(pkt, count, out);
		} else if (h.type == RTCP_RR) {
			if (h.plen < 8 + 24 * (size_t)count)
				return SIFT_ETRUNC;
			if (first)
				out->sender_ssrc = sift_cur_be32(&pkt);
			else
				sift_cur_skip(&pkt, 4);
			rtcp_blocks(pkt, count, out);
		} else if (first && h.plen >= 8) {
			out->sender_ssrc = sift_cur_be32(&pkt);
		}
		first = false;
	}
	return sift_cur_left(&k) == 0 ? SIFT_OK : SIFT_ETRUNC;
}
