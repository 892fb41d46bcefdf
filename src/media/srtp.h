/* sipsift — SRTP/SRTCP decryption (RFC 3711, RFC 7714) through libsrtp2
 * (2.x API; the only file that includes <srtp2/srtp.h> is src/srtp.c).
 *
 * Decryption is per SSRC. Which key a stream uses is not known from the
 * SDP alone (NAT, SBCs, asymmetric RTP, rekeys in re-INVITEs), so the first
 * packet of each SSRC is tried against every candidate key of its call —
 * and, for a capture that starts mid-call, every rollover counter (ROC)
 * from 0 to a bound — on a copy (GCM changes its buffer even when
 * authentication fails, LIBRARIES.md); the one that authenticates is
 * kept. Replayed and reordered packets are told apart from authentication
 * failures. */
#ifndef SIPSIFT_SRTP_H
#define SIPSIFT_SRTP_H

#include "sipsift/common.h"
#include "sip/sdes.h"

/* One candidate key: what one a=crypto line (or a --key) gives for one
 * of its key-params. */
struct sift_srtp_key {
	enum sift_srtp_suite suite;
	struct sift_sdes_key k;
	bool unencrypted_srtp;
	bool unencrypted_srtcp;
	bool unauthenticated_srtp;
	uint32_t label;          /* the caller's: which line it came from */
};

enum sift_srtp_verdict {
	SIFT_SRTP_OK = 0,        /* decrypted and authenticated */
	SIFT_SRTP_AUTH_FAIL,     /* no candidate authenticates (or the chosen
				  * one stopped authenticating this packet) */
	SIFT_SRTP_REPLAY,        /* a duplicate or a packet behind the replay
				  * window: not a crypto error */
	SIFT_SRTP_NO_KEY,        /* no candidate at all */
	SIFT_SRTP_BAD_PACKET,    /* too short for its header, tag and MKI */
	SIFT_SRTP_UNSUPPORTED,   /* the suite or a parameter libsrtp2 lacks */
	SIFT_SRTP_NOMEM          /* memory ran out (a session, a buffer) */
};

const char *sift_srtp_verdict_str(enum sift_srtp_verdict v);

struct sift_srtp_stats {
	uint64_t decrypted;
	uint64_t auth_failures;
	uint64_t replay_drops;
};

struct sift_srtp_stream;

/* Calls srtp_init() once (idempotent) and swaps libsrtp2's ciphers and
 * HMAC for our OpenSSL ones (srtp_ossl.c). */
enum sift_rc sift_srtp_init(void);
/* The errno (EMFILE, ENFILE) that kept libsrtp2 from starting when it was
 * not memory, or 0. A stream that cannot be made stops the run as out of
 * memory does (exit 5); main says this reason instead. */
int sift_srtp_init_errno(void);

/* NULL when decryption runs on OpenSSL; otherwise why not, for a -v note
 * (results are the same, only slower). */
const char *sift_srtp_crypto_note(void);

/* rtcp: this stream carries SRTCP (the index is in each packet). */
struct sift_srtp_stream *sift_srtp_stream_new(uint32_t ssrc, bool rtcp);
void sift_srtp_stream_free(struct sift_srtp_stream *s);

/* Unprotects one packet into out (room for n bytes), *outlen its length.
 * Until a key is chosen, each candidate is tried (RTP: with ROC 0 ..
 * max_roc); afterwards only the chosen one. */
enum sift_srtp_verdict sift_srtp_unprotect(struct sift_srtp_stream *s,
					   const struct sift_srtp_key *cands,
					   size_t ncands, uint32_t max_roc,
					   const uint8_t *in, size_t n,
					   uint8_t *out, size_t *outlen);

/* The chosen candidate (its index in the cands last given), or -1. */
int sift_srtp_stream_key(const struct sift_srtp_stream *s);
uint32_t sift_srtp_stream_roc(const struct sift_srtp_stream *s);
const struct sift_srtp_stats *sift_srtp_stream_stats(const struct sift_srtp_stream *s);

#endif
