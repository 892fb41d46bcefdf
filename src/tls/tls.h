/* sipsift — TLS decryption of a reassembled TCP connection (SIP over TLS,
 * RFC 3261 §26; wss). Two parts:
 *
 *  - a key store (struct sift_tls_keys): NSS key log lines (CLIENT_RANDOM
 *    for TLS <= 1.2, the four TLS 1.3 traffic secrets), from a file, from a
 *    pcapng Decryption Secrets Block, and server RSA private keys for the
 *    RSA key exchange of TLS <= 1.2;
 *  - a connection (struct sift_tls_conn): fed the in-order bytes of each
 *    TCP direction, it parses records and the handshake, derives the keys,
 *    decrypts application data and hands the plaintext to a callback.
 *
 * Supported: TLS 1.3 (RFC 8446) with AES-128-GCM, AES-256-GCM and
 * ChaCha20-Poly1305, KeyUpdate and HelloRetryRequest; TLS 1.2 (RFC 5246)
 * with ECDHE, DHE or RSA key exchange and AES-GCM, ChaCha20-Poly1305 (RFC
 * 7905) or AES-CBC with HMAC-SHA1/SHA256/SHA384 (MAC checked, RFC 7366
 * encrypt-then-MAC), extended master secret (RFC 7627) and resumption by
 * session ID or ticket. Not supported: TLS 1.3 0-RTT early data (counted
 * and skipped), TLS <= 1.1, CCM, renegotiation, compression.
 *
 * The crypto is OpenSSL's libcrypto (tls_crypto.c is the one file that
 * includes it); the record and handshake parsing here is ours. Memory per
 * connection is bounded: a record is at most 2^14 + 2048 bytes of
 * fragment, and a handshake message at most SIFT_TLS_MAX_HS_MSG. */
#ifndef SIPSIFT_TLS_H
#define SIPSIFT_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sipsift/common.h"

/* RFC 8446 §5.2: a TLSCiphertext fragment is at most 2^14 + 256 bytes;
 * RFC 5246 §6.2.3 allows 2^14 + 2048. We accept the larger. */
#define SIFT_TLS_MAX_FRAGMENT (16384 + 2048)
#define SIFT_TLS_MAX_HS_MSG (64 * 1024)
/* Key log entries kept at most (one per label and client random). */
#define SIFT_TLS_MAX_KEYS (4u << 20)
#define SIFT_TLS_MAX_RSA_KEYS 64

/* ---- key store ---------------------------------------------------- */

struct sift_tls_keys;

struct sift_tls_keys *sift_tls_keys_new(void);
void sift_tls_keys_free(struct sift_tls_keys *k);

/* Where a key log or key file went wrong: 1-based line (0 when the error
 * is not about a line) and a short reason. */
struct sift_tls_keyerr {
	size_t line;
	const char *why;
};

/* Reads an NSS key log file. Lines with labels we do not use
 * (EXPORTER_SECRET, CLIENT_EARLY_TRAFFIC_SECRET, ...) and comments are
 * skipped; a malformed line is SIFT_EINVAL with err->line set. */
enum sift_rc sift_tls_keylog_load(struct sift_tls_keys *k, const char *path,
				  struct sift_tls_keyerr *err);
/* The same for key log text in memory (a pcapng Decryption Secrets Block
 * of type TLS key log, 0x544c534b); text need not be NUL-terminated. */
enum sift_rc sift_tls_keylog_add_text(struct sift_tls_keys *k,
				      const char *text, size_t len,
				      struct sift_tls_keyerr *err);
/* "[ADDR:PORT=]FILE.pem": a server's RSA private key (PEM, PKCS#1 or
 * PKCS#8), tried on connections to ADDR:PORT (all when omitted; an IPv6
 * ADDR in brackets). */
enum sift_rc sift_tls_rsa_key_add(struct sift_tls_keys *k, const char *spec,
				  struct sift_tls_keyerr *err);
/* The text of every key log file loaded (sift_tls_keylog_load), as read;
 * NULL and 0 when none. For decrypt -w, which embeds it in its pcapng. */
const char *sift_tls_keys_files_text(const struct sift_tls_keys *k,
				     size_t *len);
/* Entries kept (key log lines used, RSA keys). */
size_t sift_tls_keys_count(const struct sift_tls_keys *k);
size_t sift_tls_rsa_count(const struct sift_tls_keys *k);

/* ---- sessions to resume ------------------------------------------- */

/* TLS 1.2 master secrets kept from full handshakes that decrypted, by the
 * session ID the server gave and by the tickets it issued, so that the
 * sessions resumed from them decrypt too (with an RSA key the secret
 * exists only in the full handshake). At most SIFT_TLS_MAX_SESSIONS; the
 * oldest is overwritten and counted. Shared by the connections of one
 * capture (sift_tls_conn_set_sessions). */
#define SIFT_TLS_MAX_SESSIONS 4096

struct sift_tls_sessions;

struct sift_tls_sessions *sift_tls_sessions_new(void);
void sift_tls_sessions_free(struct sift_tls_sessions *s);
/* Entries overwritten because the store was full: the counter, which
 * stays where it is while s lives. */
const uint64_t *sift_tls_sessions_evicted(const struct sift_tls_sessions *s);
/* Memory ran out: a session could not be kept for resumption. */
bool sift_tls_sessions_oom(const struct sift_tls_sessions *s);

/* ---- one connection ----------------------------------------------- */

/* Why a connection is or is not readable, in the order a report lists
 * them. A connection starts PENDING and ends with one of the others. */
enum sift_tls_status {
	SIFT_TLS_PENDING = 0,     /* not decided yet */
	SIFT_TLS_DECRYPTED,       /* application data decrypted */
	SIFT_TLS_NO_KEY,          /* no key for this client random */
	SIFT_TLS_NO_HANDSHAKE,    /* handshake not in the capture */
	SIFT_TLS_UNSUPPORTED,     /* version or cipher suite not supported */
	SIFT_TLS_BAD_MAC,         /* bad record MAC/tag: wrong key */
	SIFT_TLS_RSA_MISMATCH,    /* the RSA key does not fit the server */
	SIFT_TLS_NO_RSA_KEY,      /* RSA key exchange, no RSA key for this server */
	SIFT_TLS_DH_NO_KEYLOG,    /* (EC)DHE: an RSA key cannot open it */
	SIFT_TLS_GAP,             /* bytes missing from the TCP stream */
	SIFT_TLS_MALFORMED,       /* not TLS, or a record/handshake is broken */
	SIFT_TLS_LIMIT,           /* a message exceeded our caps */
	SIFT_TLS_STATUS_COUNT
};

const char *sift_tls_status_str(enum sift_tls_status s);
/* IANA name ("TLS_AES_128_GCM_SHA256"), or NULL when unknown to us. */
const char *sift_tls_suite_name(uint16_t suite);
/* "TLS 1.2", "TLS 1.3", ... or NULL. */
const char *sift_tls_version_str(uint16_t version);

/* What we learned about one connection. Side numbers are the caller's
 * (the side argument of sift_tls_conn_feed). */
struct sift_tls_info {
	enum sift_tls_status status;
	int client_side;          /* side that sent ClientHello; -1 unknown */
	uint16_t version;         /* negotiated: 0x0303, 0x0304; 0 unknown */
	uint16_t suite;           /* negotiated cipher suite; 0 unknown */
	bool rsa_kx;              /* RSA key exchange (server key used) */
	bool ems;                 /* extended master secret */
	bool etm;                 /* encrypt-then-MAC */
	bool resumed;             /* abbreviated handshake (ID or ticket) */
	bool hrr;                 /* HelloRetryRequest seen */
	bool close_notify[2];     /* per side */
	bool gap[2];              /* the side stopped at a TCP gap */
	uint8_t alert[2][2];      /* last alert per side: level, description */
	bool alert_seen[2];
	uint32_t key_updates[2];
	uint64_t records[2];      /* records seen per side */
	uint64_t decrypted[2];    /* records decrypted per side */
	uint64_t plain_bytes[2];  /* application data bytes delivered */
	uint64_t early_skipped;   /* 0-RTT records skipped (out of scope) */
	uint8_t client_random[32];
	bool have_random;
};

/* Application data, in order, per side. The bytes are borrowed for the
 * call. */
typedef void (*sift_tls_plain_fn)(void *ctx, int side, const uint8_t *p,
				  size_t n);

struct sift_tls_conn;

/* addr[0], addr[1]: the two ends of the TCP connection as side 0 and 1
 * (either may be NULL), used to choose RSA keys by server address. The
 * key store must outlive the connection; it is only read. */
struct sift_tls_conn *sift_tls_conn_new(const struct sift_tls_keys *k,
					const struct sift_addr *addr0,
					const struct sift_addr *addr1,
					sift_tls_plain_fn fn, void *ctx);
void sift_tls_conn_free(struct sift_tls_conn *c);
/* The store this connection keeps its session in and resumes from (NULL:
 * none); it must outlive the connection. */
void sift_tls_conn_set_sessions(struct sift_tls_conn *c,
				struct sift_tls_sessions *s);

/* In-order TCP payload of one side (0 or 1), any split: records may span
 * calls and a call may hold several records. Returns SIFT_OK, or
 * SIFT_ENOMEM; every other problem is in the status, and feeding on after
 * a final status is harmless (bytes are dropped). */
enum sift_rc sift_tls_conn_feed(struct sift_tls_conn *c, int side,
				const uint8_t *p, size_t n);
/* n bytes of that side are missing (TCP gap): record boundaries and
 * sequence numbers are lost, so the side stops. */
void sift_tls_conn_gap(struct sift_tls_conn *c, int side, uint64_t n);
/* End of the connection: a PENDING status becomes final. */
void sift_tls_conn_finish(struct sift_tls_conn *c);
const struct sift_tls_info *sift_tls_conn_info(const struct sift_tls_conn *c);
/* A TLS 1.2 master secret that no key log gave (the server's RSA key
 * decrypted the premaster secret, or a resumed session took it from the
 * full handshake it resumes), once a record decrypted under it:
 * true once per connection, with the client random and the 48-byte
 * secret, the two fields of an NSS key log CLIENT_RANDOM line. decrypt -w
 * writes that line into its pcapng, so that Wireshark reads the output
 * with no RSA key configured. */
bool sift_tls_conn_take_learnt(struct sift_tls_conn *c, uint8_t cr[32],
			       uint8_t master[48]);

/* Whether a TCP payload starts like a TLS handshake record carrying a
 * ClientHello (content type 22, version 3.x, handshake type 1): how the
 * pipeline recognises TLS on any port. Needs 6 bytes. */
bool sift_tls_is_client_hello(const uint8_t *p, size_t n);
/* Whether it starts like any TLS record (a capture that begins after the
 * handshake): content type 20..23, version 3.1..3.4, sane length. */
bool sift_tls_is_record(const uint8_t *p, size_t n);

#endif
