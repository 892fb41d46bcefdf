/* sipsift — SDP (RFC 8866, formerly RFC 4566) as offer/answer needs it
 * (RFC 3264): media endpoints, payload types and codecs, direction, RTCP
 * (RFC 3605 a=rtcp, RFC 5761 rtcp-mux) and the SDES a=crypto lines (kept
 * raw here; sdes.h parses them). Bounded: the m= lines are grown as a body
 * has them, up to SIFT_SDP_MAX_MEDIA (a struct sift_sdp re-used for many
 * bodies keeps the room of the largest); within one, fixed arrays. What
 * does not fit is counted in `dropped`. Read by our own line scanner:
 * libosip2's SDP parser refuses too many real bodies (LIBRARIES.md). */
#ifndef SIPSIFT_SDP_H
#define SIPSIFT_SDP_H

#include "sipsift/common.h"

/* m= lines of one body: a WebRTC offer bundles audio, video and data, an
 * SFU's offer one m= line per participant's audio and video (RFC 8843,
 * RFC 8829 "Unified Plan"); 64 is a 32-party video conference. */
#define SIFT_SDP_MAX_MEDIA 64
#define SIFT_SDP_MAX_PT 32
#define SIFT_SDP_MAX_CRYPTO 8
/* One a=crypto value kept, bytes: 16 key-params (SIFT_SDES_MAX_KEYS) of
 * AES-256 with lifetime and MKI and the session parameters fit. */
#define SIFT_SDP_CRYPTO_LEN 2048
/* The a=crypto text of one body, all lines together, bytes. */
#define SIFT_SDP_CRYPTO_POOL 65536

enum sift_sdp_dir {
	SIFT_SDP_SENDRECV = 0,
	SIFT_SDP_SENDONLY,
	SIFT_SDP_RECVONLY,
	SIFT_SDP_INACTIVE
};

struct sift_sdp_rtpmap {
	uint8_t pt;
	char name[32];        /* encoding name as written ("PCMU", "telephone-event") */
	uint32_t rate;        /* clock rate */
	uint8_t channels;     /* 1 when not given */
};

struct sift_sdp_media {
	char type[16];        /* "audio", "video", ... */
	char proto[32];       /* "RTP/AVP", "RTP/SAVP", "UDP/TLS/RTP/SAVPF", ... */
	struct sift_addr rtp; /* c= (media level, else session level) and m= port */
	struct sift_addr rtcp;/* a=rtcp, or port + 1; equal to rtp with rtcp-mux */
	bool rtcp_mux;
	uint16_t port_count;  /* m=audio 4000/2 gives 2; 1 otherwise */
	enum sift_sdp_dir dir;/* media level, else session level */
	uint8_t pts[SIFT_SDP_MAX_PT];
	unsigned npts;
	struct sift_sdp_rtpmap rtpmap[SIFT_SDP_MAX_PT];
	unsigned nrtpmap;
	/* a=crypto values, NUL-terminated, in the struct sift_sdp's text
	 * (valid until it is parsed into again or freed) */
	const char *crypto[SIFT_SDP_MAX_CRYPTO];
	unsigned ncrypto;
};

/* Zeroed before first use ({0} or calloc); sift_sdp_free releases what
 * parsing grew. */
struct sift_sdp {
	struct sift_sdp_media *media;  /* nmedia of them (room for media_cap) */
	unsigned nmedia;
	size_t media_cap;
	char *text;                    /* the a=crypto values, each with its NUL */
	size_t text_len, text_cap;
	uint64_t sess_version;  /* o= session version (a changed offer) */
	unsigned dropped;       /* media, payload types or crypto lines past a cap */
	bool oom;               /* memory ran out below a cap */
};

/* Parses an SDP body. SIFT_EINVAL when it is not SDP at all (no v=, no
 * m= line we can read); a partly readable body gives what could be read.
 * SIFT_ENOMEM when memory ran out (what was read is in out, oom set). */
enum sift_rc sift_sdp_parse(const uint8_t *p, size_t n, struct sift_sdp *out);

/* Frees the m= lines parsing grew (not out itself); out is zeroed and may
 * be parsed into again. Accepts NULL. */
void sift_sdp_free(struct sift_sdp *out);

/* The rtpmap of payload type pt in m, or for a static type (RFC 3551
 * table: 0 PCMU/8000, 8 PCMA/8000, 9 G722/8000, 18 G729/8000, 13 CN, ...)
 * a filled-in entry; NULL when unknown. buf holds the static entry. */
const struct sift_sdp_rtpmap *sift_sdp_codec(const struct sift_sdp_media *m,
					    uint8_t pt,
					    struct sift_sdp_rtpmap *buf);

#endif
