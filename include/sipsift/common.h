/* sipsift — types shared by every stage of the pipeline. */
#ifndef SIPSIFT_COMMON_H
#define SIPSIFT_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* One error enum for the whole program (see sift_rc_str). Decoders return
 * these and count anomalies; only main.c turns them into an exit status. */
enum sift_rc {
	SIFT_OK = 0,
	SIFT_ENOMEM,        /* allocation failed */
	SIFT_EINVAL,        /* invalid argument or malformed input */
	SIFT_ETRUNC,        /* input ends before a length field says it should */
	SIFT_EIO,           /* read or write failed */
	SIFT_ELIMIT,        /* a configured cap was reached */
	SIFT_EUNSUPPORTED,  /* valid but not handled (link type, version) */
	SIFT_ENOTFOUND,     /* no such file or item */
	SIFT_EFORMAT,       /* not the expected file format at all */
	SIFT_EOF,           /* end of input */
	SIFT_RC_COUNT
};

const char *sift_rc_str(enum sift_rc rc);

/* Capture time in microseconds since the epoch. All timeouts run on this
 * clock, never on the wall clock, so a capture always gives the same report. */
typedef int64_t sift_time;

#define SIFT_USEC 1000000LL

/* A transport address. family is 4 or 6; port is in host order. */
struct sift_addr {
	uint8_t family;
	uint8_t ip[16];
	uint16_t port;
};

/* Room for "[ffff:...:ffff]:65535" and a NUL. */
#define SIFT_ADDR_STRLEN 56

/* v in decimal at o (room for 20 digits, no NUL); its length. */
size_t sift_put_dec(char *o, uint64_t v);

/* "1.2.3.4:5060" or "[::1]:5060" (port 0 omits ":port"). Returns buf. */
char *sift_addr_str(const struct sift_addr *a, char *buf, size_t len);
/* The same host: family and address, whatever the ports. Inline, with
 * compares of a fixed size: every RTP packet asks several times (a call
 * to memcmp of a variable size was 6 % of a media capture). */
static inline bool sift_same_ip(const struct sift_addr *a, const struct sift_addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == 4)
		return memcmp(a->ip, b->ip, 4) == 0;
	return memcmp(a->ip, b->ip, 16) == 0;
}

static inline bool sift_addr_eq(const struct sift_addr *a, const struct sift_addr *b)
{
	return a->port == b->port && sift_same_ip(a, b);
}

/* Where a packet came from: input file index, 1-based frame number within
 * that file (as Wireshark numbers it) and capture time. */
struct sift_where {
	uint32_t file;
	uint64_t frame;
	sift_time ts;
};

enum sift_transport {
	SIFT_TP_UDP = 0,
	SIFT_TP_TCP,
	SIFT_TP_TLS,
	SIFT_TP_SCTP,
	SIFT_TP_WS,
	SIFT_TP_WSS,      /* WebSocket inside TLS (RFC 7118 wss) */
	SIFT_TP_COUNT
};

const char *sift_transport_str(enum sift_transport t);

/* Unchecked big-endian reads, kept for the unit tests and fuzz harnesses
 * that build or walk their own inputs: they check nothing, the caller must
 * have checked that the bytes are there. src/ reads binary data through
 * util/cursor.h, whose gets do check (tests/checksrc.py raw-bytes keeps
 * these out of src/). */
static inline uint16_t sift_be16(const uint8_t *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static inline uint32_t sift_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Makes room for element n of *v (elements of sz bytes, *cap of them
 * allocated), doubling from 8 up to max elements: every growing array has
 * a hard cap. false when max is reached or memory is out (*v is kept). */
bool sift_grow(void **v, size_t *cap, size_t n, size_t sz, size_t max);
/* sift_grow, where a failure below max is memory running out, not the
 * cap: it sets *oom (the stage's flag, which the run reports as out of
 * memory). */
bool sift_grow_oom(void **v, size_t *cap, size_t n, size_t sz, size_t max,
		   bool *oom);

/* Whether len bytes more could be had now: mapped and given back. Asked
 * before a library call that does not survive its own allocations
 * failing part way (libsrtp2's srtp_init with its NSS, and srtp_create;
 * OpenSSL's first fetch): without the room the run is out of memory
 * before the library is asked. SIFT_LIB_ROOM is what they are given:
 * they need some 120 KB, and malloc, when brk cannot grow the heap, maps
 * a megabyte at least. */
#define SIFT_LIB_ROOM ((size_t)1 << 20)
bool sift_room_for(size_t len);

#endif
