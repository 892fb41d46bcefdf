/* sipsift — what the TLS connection decoder reads from the key store. */
#ifndef SIPSIFT_TLS_INT_H
#define SIPSIFT_TLS_INT_H

#include "tls/tls.h"
#include "tls/tls_crypto.h"

/* Key log labels we use (NSS key log format). */
enum sift_tls_label {
	SIFT_TLS_L_CLIENT_RANDOM = 0,  /* TLS <= 1.2 master secret */
	SIFT_TLS_L_CHTS,               /* CLIENT_HANDSHAKE_TRAFFIC_SECRET */
	SIFT_TLS_L_SHTS,               /* SERVER_HANDSHAKE_TRAFFIC_SECRET */
	SIFT_TLS_L_CATS0,              /* CLIENT_TRAFFIC_SECRET_0 */
	SIFT_TLS_L_SATS0,              /* SERVER_TRAFFIC_SECRET_0 */
	SIFT_TLS_L_COUNT
};

/* The secret logged for this client random and label: true with a pointer
 * into the store and its length (48 for a master secret, 32 or 48 for a
 * TLS 1.3 traffic secret). */
bool sift_tls_keys_find(const struct sift_tls_keys *k, const uint8_t cr[32],
			enum sift_tls_label label, const uint8_t **secret,
			size_t *len);
/* Whether any label is logged for this client random. */
bool sift_tls_keys_know(const struct sift_tls_keys *k, const uint8_t cr[32]);
/* RSA key i (0-based) if it applies to a server at addr (NULL: any). */
const struct sift_tls_pkey *sift_tls_keys_rsa(const struct sift_tls_keys *k,
					      size_t i,
					      const struct sift_addr *server);

/* tls_sessions.c: kind of key, klen <= 32. */
enum { SIFT_TLS_SESS_ID = 1, SIFT_TLS_SESS_TICKET = 2 };
void sift_tls_sessions_put(struct sift_tls_sessions *s, int kind,
			   const uint8_t *key, size_t klen,
			   const uint8_t master[48]);
bool sift_tls_sessions_get(const struct sift_tls_sessions *s, int kind,
			   const uint8_t *key, size_t klen, uint8_t master[48]);

/* ---- shared by tls_conn.c (records, decryption) and tls_handshake.c
 * (handshake messages, key schedules) ---- */

#define REC_HDR 5
#define MAX_REC (REC_HDR + SIFT_TLS_MAX_FRAGMENT)
/* A side may hold a few records while it waits for the other side. */
#define MAX_HOLD (4 * MAX_REC)
#define HS_HDR 4
#define MAX_HS_BUF (HS_HDR + SIFT_TLS_MAX_HS_MSG + SIFT_TLS_MAX_FRAGMENT)

enum { CT_CCS = 20, CT_ALERT = 21, CT_HANDSHAKE = 22, CT_APPDATA = 23,
       CT_HEARTBEAT = 24 };
enum { HS_CLIENT_HELLO = 1, HS_SERVER_HELLO = 2, HS_NEW_SESSION_TICKET = 4,
       HS_CERTIFICATE = 11, HS_SERVER_HELLO_DONE = 14,
       HS_CLIENT_KEY_EXCHANGE = 16, HS_FINISHED = 20, HS_KEY_UPDATE = 24 };
enum { EXT_ETM = 22, EXT_EMS = 23, EXT_SESSION_TICKET = 35,
       EXT_EARLY_DATA = 42, EXT_SUPPORTED_VERSIONS = 43 };

#define TLS12 0x0303
#define TLS13 0x0304

struct suite {
	uint16_t id;
	const char *name;
	bool tls13;
	bool rsa_kx;
	enum sift_tls_bulk bulk;
	enum sift_tls_md mac;     /* CBC only */
	enum sift_tls_md prf;     /* TLS 1.2 PRF / TLS 1.3 hash */
};


enum epoch { EP_PLAIN = 0, EP_HANDSHAKE, EP_APP };

struct side {
	uint8_t *buf;             /* unconsumed bytes, whole records first */
	size_t len, cap;
	uint8_t *hs;              /* handshake message reassembly */
	size_t hs_len, hs_cap;
	bool stopped;             /* nothing more is read on this side */
	bool protected_;          /* records are encrypted */
	enum epoch epoch;         /* TLS 1.3 key epoch */
	struct sift_tls_cipher *cipher;
	uint8_t iv[12];
	uint64_t seq;
	uint8_t secret[SIFT_TLS_MAX_MD];  /* TLS 1.3 current traffic secret */
	size_t secret_len;
	bool app_trial;           /* 1.3: no handshake key, try the app key */
	bool any_ok;              /* a protected record decrypted */
};

struct sift_tls_conn {
	const struct sift_tls_keys *keys;
	bool oom;                 /* memory ran out: feed says SIFT_ENOMEM */
	struct sift_addr addr[2];
	bool have_addr[2];
	sift_tls_plain_fn fn;
	void *ctx;
	struct sift_tls_info info;
	struct side s[2];
	int client;               /* -1 until a ClientHello */
	bool ch_seen, sh_seen, hrr_pending, server_done;
	uint8_t cr[32], sr[32];
	uint8_t sid[32];
	size_t sid_len;
	bool ch_ticket, ch_ems, ch_etm, ch_early;
	uint16_t ch_version;
	const struct suite *suite;
	bool keys_done;           /* TLS 1.2 key block derived */
	bool master_from_rsa;
	bool master_learnt;       /* not from the key log: RSA or resumed */
	bool learnt_taken;        /* sift_tls_conn_take_learnt said it */
	struct sift_tls_sessions *sessions;
	uint8_t srv_sid[32];      /* the session ID the ServerHello gave */
	size_t srv_sid_len;
	uint8_t ch_ticket_hash[32];  /* SHA-256 of the ticket offered */
	bool have_ch_ticket_hash;
	uint8_t nst_hash[32];     /* SHA-256 of the ticket the server issued */
	bool have_nst;
	bool kept_sid, kept_nst;  /* put into the sessions store */
	uint8_t master[48];
	bool have_master;
	uint8_t key_block[2 * (SIFT_TLS_MAX_MD + SIFT_TLS_MAX_KEY + 16)];
	uint8_t enc_pms[1024];
	size_t enc_pms_len;
	bool cke_seen;
	struct sift_tls_transcript *th;
	uint8_t session_hash[SIFT_TLS_MAX_MD];
	bool have_session_hash;
	const struct sift_tls_pkey *rsa;  /* matches the server certificate */
	bool cert_seen, cert_mismatch;
	uint8_t *work;            /* decrypted fragment */
};


/* tls_conn.c */
const struct suite *sift_tls_suite_find(uint16_t id);
/* Room for need bytes in *b, growing by doubling up to max. */
bool sift_tls_grow_bytes(uint8_t **b, size_t *cap, size_t need, size_t max);
void sift_tls_stop_side(struct sift_tls_conn *c, int d,
			enum sift_tls_status st);
void sift_tls_stop_all(struct sift_tls_conn *c, enum sift_tls_status st);

/* tls_handshake.c */
/* TLS 1.3 traffic keys from a traffic secret (RFC 8446 §7.3). */
bool sift_tls_set_secret13(struct sift_tls_conn *c, int d, const uint8_t *sec,
			   size_t len, enum epoch ep);
enum sift_tls_label sift_tls_label13(struct sift_tls_conn *c, int d,
				     enum epoch ep);
enum sift_tls_status sift_tls_get_master12(struct sift_tls_conn *c);
/* Once the master secret proved itself: into the sessions store under
 * the server's session ID and ticket. */
void sift_tls_keep_session(struct sift_tls_conn *c);
size_t sift_tls_mac_len12(const struct suite *su);
enum sift_tls_status sift_tls_keys12(struct sift_tls_conn *c, int d);
void sift_tls_hs_append(struct sift_tls_conn *c, int d, const uint8_t *p,
			size_t n);

#endif
