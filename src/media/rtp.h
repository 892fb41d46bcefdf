/* sipsift — RTP and RTCP headers (RFC 3550 §5.1, §6.4), validated fully
 * before use: 12 bytes + 4 per CSRC, then the extension (§5.3.1), then the
 * padding (§5.1, last octet counts), as libsrtp does. */
#ifndef SIPSIFT_RTP_H
#define SIPSIFT_RTP_H

#include "sipsift/common.h"

struct sift_rtp_hdr {
	uint8_t pt;
	bool marker;
	uint8_t cc;
	uint16_t seq;
	uint32_t ts;
	uint32_t ssrc;
	size_t hdr_len;       /* 12 + 4*cc + extension */
	size_t payload_len;   /* without padding */
	uint8_t pad_len;      /* 0 without the P bit */
};

/* SIFT_OK for a well-formed RTP packet; SIFT_ETRUNC when a length in it
 * (CSRC count, extension length, padding) runs past n; SIFT_EINVAL when
 * it is no RTP (version not 2, RTCP payload types 72-76 in the PT field).
 * For SRTP, pass n without the authentication tag and MKI, or padding is
 * read from the wrong byte; with srtp true the padding is not checked (it
 * is encrypted). */
enum sift_rc sift_rtp_parse(const uint8_t *p, size_t n, bool srtp,
			    struct sift_rtp_hdr *h);

/* Is p a compound RTCP packet (RFC 3550 §6.1: version 2, first packet SR
 * or RR — or, as many stacks send, APP/SDES/BYE — with lengths that add up
 * to n)? Also true for SRTCP when srtcp is set (then the E flag, index and
 * tag follow the compound and are not counted). */
bool sift_rtcp_looks(const uint8_t *p, size_t n, bool srtcp, uint32_t *ssrc);

/* What a compound RTCP packet reports (RFC 3550 §6.4): the sender info of
 * an SR, and the report blocks of SRs and RRs about the sources the
 * sender receives. */
#define SIFT_RTCP_MAX_BLOCKS 8

struct sift_rtcp_block {
	uint32_t ssrc;            /* the source reported on */
	uint8_t fraction;         /* lost since the last report, /256 */
	int32_t cum_lost;         /* 24-bit signed (duplicates make it < 0) */
	uint32_t ext_seq;         /* extended highest sequence received */
	uint32_t jitter;          /* interarrival jitter, timestamp units */
	uint32_t lsr;             /* middle 32 bits of the NTP time of the
				   * last SR from ssrc received; 0 none */
	uint32_t dlsr;            /* since then, 1/65536 s */
};

struct sift_rtcp_info {
	uint32_t sender_ssrc;
	bool sr;                  /* it had an SR: sender info below */
	uint32_t sr_ntp_mid;      /* middle 32 bits of its NTP timestamp */
	uint32_t sr_packets;      /* sender's packet count */
	uint32_t sr_octets;
	struct sift_rtcp_block blocks[SIFT_RTCP_MAX_BLOCKS];
	unsigned nblocks;
	unsigned skipped;         /* blocks past SIFT_RTCP_MAX_BLOCKS */
};

/* Read the SRs and RRs of a compound RTCP packet in the clear (n bytes,
 * SRTCP already decrypted). SIFT_OK when every packet's length fits;
 * SIFT_ETRUNC when a length lies (what came before it is kept in out);
 * SIFT_EINVAL when it is no RTCP. */
enum sift_rc sift_rtcp_parse(const uint8_t *p, size_t n,
			     struct sift_rtcp_info *out);

#endif
