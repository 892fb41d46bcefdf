/* sipsift — SDES keys: the a=crypto attribute (RFC 4568 §9.1):
 *   a=crypto:<tag> <crypto-suite> <key-params> [<session-params>]
 *   key-params = "inline:" base64(key||salt) ["|" lifetime] ["|" MKI ":" length]
 * several key-params separated by ";" (one per MKI). */
#ifndef SIPSIFT_SDES_H
#define SIPSIFT_SDES_H

#include "sipsift/common.h"
#include "sipsift/stats.h"


/* "AES_CM_128_HMAC_SHA1_80" ... or NULL. */
const char *sift_suite_name(enum sift_srtp_suite s);
enum sift_srtp_suite sift_suite_by_name(const char *name, size_t len);
/* Bytes of key||salt for the suite (LIBRARIES.md: 30/38/46, GCM 28/44);
 * 0 for unknown. */
size_t sift_suite_keysalt_len(enum sift_srtp_suite s);

/* Key-params of one line (RFC 4568 §9.1 allows any number, each with its
 * MKI): libsrtp2 takes up to 16 master keys in one session
 * (SRTP_MAX_NUM_MASTER_KEYS). More are counted in `dropped`. */
#define SIFT_SDES_MAX_KEYS 16
#define SIFT_SDES_MAX_KEYSALT 46

struct sift_sdes_key {
	uint8_t keysalt[SIFT_SDES_MAX_KEYSALT];
	size_t len;
	uint64_t lifetime;     /* packets; 0 when not given (default 2^48) */
	bool has_mki;
	uint32_t mki;          /* MKI value */
	uint8_t mki_len;       /* bytes of MKI in each packet (1-128 allowed by
				* the grammar; libsrtp handles up to 4 here) */
};

struct sift_sdes {
	unsigned tag;
	enum sift_srtp_suite suite;
	struct sift_sdes_key keys[SIFT_SDES_MAX_KEYS];
	unsigned nkeys;
	unsigned dropped;        /* key-params past SIFT_SDES_MAX_KEYS: read
				  * and checked, not kept */
	bool unencrypted_srtp;   /* session parameters (RFC 4568 §6.3) */
	bool unencrypted_srtcp;
	bool unauthenticated_srtp;
	uint32_t kdr;            /* key derivation rate (KDR=n means 2^n); 0 default */
	bool fec_order_set;      /* FEC_ORDER / FEC_KEY given (read, unused;
				  * WSH is read and ignored) */
};

/* Parses one a=crypto value (what follows "a=crypto:"). SIFT_EINVAL with
 * why for a malformed line or a key of the wrong length for its suite;
 * SIFT_EUNSUPPORTED with why for a suite or parameter we cannot decrypt
 * (F8, KDR other than 0, an unknown suite): never guessed. */
enum sift_rc sift_sdes_parse(const char *value, size_t n, struct sift_sdes *out,
			     char *why, size_t whylen);

/* --key SPEC suite and key: "SUITE:inline:BASE64[|...]" as in a=crypto. */
enum sift_rc sift_sdes_parse_key(const char *suite_and_key, struct sift_sdes *out,
				 char *why, size_t whylen);

#endif
