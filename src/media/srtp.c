/* sipsift — SRTP/SRTCP decryption (RFC 3711; AES-GCM RFC 7714; SDES
 * session parameters RFC 4568 §6.3) through libsrtp2, 2.x API only (libsrtp
 * 3 changed the unprotect signature). The only file that includes
 * <srtp2/srtp.h>.
 *
 * Choosing a key: until a stream has one, each packet is tried against
 * every candidate and, for RTP, every rollover counter 0..max_roc; one
 * libsrtp session with an ssrc_specific inbound policy is built per
 * candidate and the ROC of its stream is set (srtp_set_stream_roc) before
 * each trial. A failed unprotect leaves a libsrtp stream as it was (the
 * replay database only moves on success), so the ROC trials of one
 * candidate share its session. Every trial decrypts a fresh copy of the
 * packet: GCM changes its buffer even when authentication fails. The
 * session that authenticates is kept, the others are freed.
 *
 * Cost: a trial session is built once per candidate (and MKI line) and
 * stream, kept while the stream has no key and re-used for the trials of
 * its next packets (a failed unprotect changes nothing in it); once a key
 * is chosen the others are freed and the stream never trials again. Until
 * then a packet costs ncands * (max_roc + 1) unprotect trials; max_roc is
 * clamped to SRTP_ROC_TRIALS_MAX. Callers pass small bounds (a few
 * candidates, max_roc of a few): a stream whose keys never match pays
 * this on every packet it is given. Session set-up and unprotect run on
 * OpenSSL (srtp_ossl.c) when its types passed their vectors at init.
 *
 * Candidates with an MKI that share label, suite, session parameters and
 * MKI length are one a=crypto line: they go into one session as its
 * master keys (policy.keys), so a sender may switch MKI mid-stream; the
 * chosen index is then that of the first of them.
 *
 * UNAUTHENTICATED_SRTP leaves no tag to decide with: such candidates are
 * tried only after every authenticated one failed, with ROC 0, and the
 * first one is taken. AES-GCM with UNENCRYPTED_SRTP, UNENCRYPTED_SRTCP or
 * UNAUTHENTICATED_SRTP is reported unsupported rather than guessed.
 *
 * A packet whose SSRC is not the stream's, or whose header does not parse
 * once the trailer (tag, MKI, SRTCP index) is set apart, is BAD_PACKET and
 * counted nowhere: it is not a crypto error. */
#include "media/srtp.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <srtp2/crypto_types.h>
#include <srtp2/srtp.h>

#include "media/rtp.h"
#include "media/srtp_ossl.h"

/* A ROC of 255 is 2^24 packets: 93 hours of 20 ms audio. */
#define SRTP_ROC_TRIALS_MAX 255u
/* The replay window we promise: libsrtp allows up to 2^15 - 1 packets,
 * and a capture's reordering is rarely that deep, so little falls behind
 * it. libsrtp shifts its whole window on every packet that moves it on
 * (4 KB for 0x7fff: a third of an unprotect, and cache lines taken from
 * everything else), so an RTP session gets SRTP_WINDOW_FAST and a stream
 * keeps the rest itself (struct deep): packets between SRTP_WINDOW_FAST
 * and SRTP_WINDOW behind come to a session made for that one packet, and
 * a bit per index says which of them were decrypted already. Verdicts are
 * the same as with one 0x7fff window. */
#define SRTP_WINDOW 0x7fff
#define SRTP_WINDOW_FAST 1024
#define DEEP_BITS 0x8000u       /* indices hi - 0x7fff .. hi */
/* Largest packet we unprotect (UDP cannot carry more). */
#define SRTP_PACKET_MAX 65536u
#define SRTCP_INDEX_LEN 4u
#define RTCP_MIN 8u
/* Trial sessions a stream keeps while it has no key; more candidates than
 * this cost an srtp_create per packet again (oldest out first). */
#define TRIAL_CACHE_MAX 16u
/* What a candidate's session depends on, per key of its line: suite,
 * flags, length, key||salt, MKI (sig_member). */
#define SIG_MEMBER_MAX (8u + SIFT_SDES_MAX_KEYSALT)
#define SIG_MAX (SIG_MEMBER_MAX * SRTP_MAX_NUM_MASTER_KEYS)

/* A trial session kept for a stream without a key, found again by what it
 * was built from. */
struct tsess {
	uint8_t *sig;
	size_t siglen;
	srtp_t sess;
};

struct sift_srtp_stream {
	uint32_t ssrc;
	bool rtcp;
	srtp_t sess;            /* the chosen session, or NULL */
	int key;                /* the chosen candidate, or -1 */
	uint32_t roc;           /* the ROC the chosen trial found */
	size_t trailer;         /* chosen: tag + MKI bytes */
	bool use_mki;
	struct sift_srtp_stats st;
	uint32_t *buf;          /* 32-bit aligned, as libsrtp wants it */
	size_t bufcap;          /* bytes */
	struct tsess *tc;       /* TRIAL_CACHE_MAX slots, until a key is chosen */
	unsigned tc_next;       /* the slot a miss takes when all are used */
	struct deep *deep;      /* RTP, once a key is chosen */
};

/* The part of the replay window libsrtp's session does not hold (see
 * SRTP_WINDOW). */
struct deep {
	uint64_t hi;            /* highest index decrypted */
	uint64_t seen[DEEP_BITS / 64];  /* bit (index % DEEP_BITS): decrypted */
	size_t nline;
	struct sift_srtp_key line[]; /* the chosen candidate and its MKI line */
};

/* Everything an srtp_policy_t points to, owned for one srtp_create. */
struct trial {
	srtp_policy_t pol;
	uint8_t key[SIFT_SDES_MAX_KEYSALT];
	srtp_master_key_t mk[SRTP_MAX_NUM_MASTER_KEYS];
	srtp_master_key_t *mkp[SRTP_MAX_NUM_MASTER_KEYS];
	uint8_t mkey[SRTP_MAX_NUM_MASTER_KEYS][SIFT_SDES_MAX_KEYSALT];
	uint8_t mki[SRTP_MAX_NUM_MASTER_KEYS][SRTP_MAX_MKI_LEN];
	size_t trailer;         /* tag + MKI (+ index for SRTCP) */
	bool use_mki;
	bool unauth;            /* no tag: UNAUTHENTICATED_SRTP */
};

static bool srtp_inited;
static unsigned ossl_types;     /* of SIFT_SRTP_OSSL_TYPES, ours */
static bool ossl_missing;       /* OpenSSL lacks an algorithm */

const char *sift_srtp_verdict_str(enum sift_srtp_verdict v)
{
	switch (v) {
	case SIFT_SRTP_OK:
		return "ok";
	case SIFT_SRTP_AUTH_FAIL:
		return "authentication failed";
	case SIFT_SRTP_REPLAY:
		return "replayed or too old";
	case SIFT_SRTP_NO_KEY:
		return "no key";
	case SIFT_SRTP_BAD_PACKET:
		return "bad packet";
	case SIFT_SRTP_NOMEM:
		return "out of memory";
	case SIFT_SRTP_UNSUPPORTED:
		return "unsupported suite or parameter";
	}
	return "unknown";
}

/* libsrtp2's first srtp_init (Debian's starts NSS in it) freed a wild
 * pointer when an allocation of NSS's failed part way: a segmentation
 * fault in NSS_InitContext, not an error (sipsift under ulimit -d, the
 * first SRTP packet of srtp-rekey.pcap). sift_srtp_init asks
 * sift_room_for first.
 *
 * srtp_create, after the same check: when the allocation of its stream
 * list failed, libsrtp2 freed the half-made session through that list
 * (NULL), a segmentation fault in srtp_stream_list_for_each (report -j 2
 * of srtp-mki.pcap under ulimit -d). Sessions are made once a stream and
 * key (the trial cache), and for a packet from far behind the replay
 * window (unprotect_deep): the check is a map and an unmap, not per
 * packet. */
static srtp_err_status_t create_session(srtp_t *sess, const srtp_policy_t *pol)
{
	if (!sift_room_for(SIFT_LIB_ROOM))
		return srtp_err_status_alloc_fail;
	return srtp_create(sess, pol);
}

/* Why srtp_init failed when it was no memory: NSS opens files in it, and
 * under a descriptor limit that was said as out of memory. */
static int init_errno;

enum sift_rc sift_srtp_init(void)
{
	if (srtp_inited)
		return SIFT_OK;
	if (!sift_room_for(SIFT_LIB_ROOM))
		return SIFT_ENOMEM;
	errno = 0;
	if (srtp_init() != srtp_err_status_ok) {
		if (errno == EMFILE || errno == ENFILE)
			init_errno = errno;
		return SIFT_EUNSUPPORTED;
	}
	srtp_inited = true;
	/* Before any session: sessions keep the types they were made with.
	 * A type that fails its vectors stays libsrtp's own (slower, same
	 * results). */
	ossl_missing = sift_srtp_ossl_register(&ossl_types) == SIFT_EUNSUPPORTED;
	return SIFT_OK;
}

int sift_srtp_init_errno(void)
{
	return init_errno;
}

const char *sift_srtp_crypto_note(void)
{
	if (!srtp_inited || ossl_types == SIFT_SRTP_OSSL_TYPES)
		return NULL;
	if (ossl_missing)
		return "SRTP decryption uses libsrtp2's own crypto, not OpenSSL's: OpenSSL lacks AES-CTR, AES-GCM or SHA-1 (slower, same results)";
	if (ossl_types == 0)
		return "SRTP decryption uses libsrtp2's own crypto, not OpenSSL's: the OpenSSL types failed their test vectors (slower, same results)";
	return "SRTP decryption uses libsrtp2's own crypto for some algorithms: an OpenSSL type failed its test vectors (slower, same results)";
}

struct sift_srtp_stream *sift_srtp_stream_new(uint32_t ssrc, bool rtcp)
{
	struct sift_srtp_stream *s;

	if (sift_srtp_init() != SIFT_OK)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->ssrc = ssrc;
	s->rtcp = rtcp;
	s->key = -1;
	return s;
}

static void tsess_clear(struct tsess *e)
{
	if (e->sess)
		srtp_dealloc(e->sess);
	free(e->sig);
	memset(e, 0, sizeof(*e));
}

static void trial_cache_free(struct sift_srtp_stream *s)
{
	if (!s->tc)
		return;
	for (unsigned i = 0; i < TRIAL_CACHE_MAX; i++)
		tsess_clear(&s->tc[i]);
	free(s->tc);
	s->tc = NULL;
}

void sift_srtp_stream_free(struct sift_srtp_stream *s)
{
	if (!s)
		return;
	trial_cache_free(s);
	free(s->deep);
	if (s->sess)
		srtp_dealloc(s->sess);
	free(s->buf);
	free(s);
}

int sift_srtp_stream_key(const struct sift_srtp_stream *s)
{
	return s ? s->key : -1;
}

/* An RTP stream's ROC is that of the highest index decrypted (what
 * libsrtp's replay database holds; the deep window keeps the same). */
uint32_t sift_srtp_stream_roc(const struct sift_srtp_stream *s)
{
	if (!s || !s->sess)
		return 0;
	if (!s->rtcp && s->deep)
		return (uint32_t)(s->deep->hi >> 16);
	return s->roc;
}

const struct sift_srtp_stats *sift_srtp_stream_stats(const struct sift_srtp_stream *s)
{
	return s ? &s->st : NULL;
}

/* Bytes of key||salt (LIBRARIES.md): kept here so this file does not wait
 * on sdes.c. */
static size_t keysalt_len(enum sift_srtp_suite suite)
{
	switch (suite) {
	case SIFT_SUITE_AES_CM_128_HMAC_SHA1_80:
	case SIFT_SUITE_AES_CM_128_HMAC_SHA1_32:
		return 30;
	case SIFT_SUITE_AES_192_CM_HMAC_SHA1_80:
	case SIFT_SUITE_AES_192_CM_HMAC_SHA1_32:
		return 38;
	case SIFT_SUITE_AES_256_CM_HMAC_SHA1_80:
	case SIFT_SUITE_AES_256_CM_HMAC_SHA1_32:
		return 46;
	case SIFT_SUITE_AEAD_AES_128_GCM:
		return 28;
	case SIFT_SUITE_AEAD_AES_256_GCM:
		return 44;
	default:
		return 0;
	}
}

static bool suite_is_gcm(enum sift_srtp_suite suite)
{
	return suite == SIFT_SUITE_AEAD_AES_128_GCM ||
	       suite == SIFT_SUITE_AEAD_AES_256_GCM;
}

/* The SRTP policy of a suite, and its SRTCP policy: the same cipher, with
 * the 80-bit tag for AES-CM also for _32 suites (RFC 3711 §5.2, RFC 4568
 * §6.2.1), and GCM for GCM (RFC 7714 §9). */
static bool suite_policy(enum sift_srtp_suite suite, srtp_crypto_policy_t *rtp,
			 srtp_crypto_policy_t *rtcp)
{
	switch (suite) {
	case SIFT_SUITE_AES_CM_128_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(rtcp);
		return true;
	case SIFT_SUITE_AES_CM_128_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(rtcp);
		return true;
	case SIFT_SUITE_AES_192_CM_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_192_hmac_sha1_80(rtp);
		srtp_crypto_policy_set_aes_cm_192_hmac_sha1_80(rtcp);
		return true;
	case SIFT_SUITE_AES_192_CM_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_192_hmac_sha1_32(rtp);
		srtp_crypto_policy_set_aes_cm_192_hmac_sha1_80(rtcp);
		return true;
	case SIFT_SUITE_AES_256_CM_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(rtp);
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(rtcp);
		return true;
	case SIFT_SUITE_AES_256_CM_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_32(rtp);
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(rtcp);
		return true;
	case SIFT_SUITE_AEAD_AES_128_GCM:
		srtp_crypto_policy_set_aes_gcm_128_16_auth(rtp);
		srtp_crypto_policy_set_aes_gcm_128_16_auth(rtcp);
		return true;
	case SIFT_SUITE_AEAD_AES_256_GCM:
		srtp_crypto_policy_set_aes_gcm_256_16_auth(rtp);
		srtp_crypto_policy_set_aes_gcm_256_16_auth(rtcp);
		return true;
	default:
		return false;
	}
}

/* Is candidate b one more key-param (MKI) of the same a=crypto line as a? */
static bool same_mki_line(const struct sift_srtp_key *a,
			  const struct sift_srtp_key *b)
{
	return a->k.has_mki && b->k.has_mki && a->label == b->label &&
	       a->suite == b->suite && a->k.mki_len == b->k.mki_len &&
	       a->unencrypted_srtp == b->unencrypted_srtp &&
	       a->unencrypted_srtcp == b->unencrypted_srtcp &&
	       a->unauthenticated_srtp == b->unauthenticated_srtp;
}

/* The MKI as sent: the integer in network order over mki_len bytes
 * (RFC 4568 §6.1). False when it does not fit. */
static bool mki_bytes(const struct sift_sdes_key *k, uint8_t *out)
{
	size_t len = k->mki_len;

	if (len == 0 || len > SRTP_MAX_MKI_LEN)
		return false;
	if (len < 4 && (k->mki >> (8 * len)) != 0)
		return false;
	memset(out, 0, len);
	for (size_t i = 0; i < len && i < 4; i++)
		out[len - 1 - i] = (uint8_t)(k->mki >> (8 * i));
	return true;
}

/* The key fits its suite, and its MKI (if any) its length. */
static bool key_usable(const struct sift_srtp_key *c)
{
	size_t want = keysalt_len(c->suite);
	uint8_t mki[SRTP_MAX_MKI_LEN];

	return want != 0 && c->k.len == want &&
	       (!c->k.has_mki || mki_bytes(&c->k, mki));
}

/* Fills t for candidate i (and, with an MKI, the rest of its line).
 * False when libsrtp2 cannot do what the candidate asks. */
static bool build_trial(const struct sift_srtp_key *cands, size_t ncands,
			size_t i, uint32_t ssrc, bool rtcp, struct trial *t)
{
	const struct sift_srtp_key *c = &cands[i];
	srtp_policy_t *p = &t->pol;
	size_t tag;

	memset(t, 0, sizeof(*t));
	if (!key_usable(c) || !suite_policy(c->suite, &p->rtp, &p->rtcp))
		return false;
	if (suite_is_gcm(c->suite) &&
	    (rtcp ? c->unencrypted_srtcp :
		    (c->unencrypted_srtp || c->unauthenticated_srtp)))
		return false;
	if (!rtcp && c->unencrypted_srtp)
		p->rtp.sec_serv = sec_serv_auth;
	if (!rtcp && c->unauthenticated_srtp) {
		/* No tag at all on the wire (RFC 4568 §6.3.3). */
		p->rtp.auth_type = SRTP_NULL_AUTH;
		p->rtp.auth_key_len = 0;
		p->rtp.auth_tag_len = 0;
		p->rtp.sec_serv = c->unencrypted_srtp ? sec_serv_none : sec_serv_conf;
		t->unauth = true;
	}
	if (rtcp && c->unencrypted_srtcp)
		p->rtcp.sec_serv = sec_serv_auth;
	/* libsrtp 2.5.0 finds the MKI of an SRTCP packet with the RTP tag
	 * length (fixed upstream in cisco/libsrtp#733): with a _32 suite and
	 * an MKI every SRTCP packet failed. An SRTCP stream's session never
	 * sees RTP, so its RTP policy is made the RTCP one. */
	if (rtcp)
		p->rtp = p->rtcp;

	p->ssrc.type = ssrc_specific;
	p->ssrc.value = ssrc;
	p->window_size = rtcp ? SRTP_WINDOW : SRTP_WINDOW_FAST;
	p->allow_repeat_tx = 0;
	p->next = NULL;

	if (!c->k.has_mki) {
		memcpy(t->key, c->k.keysalt, c->k.len);
		p->key = t->key;
	} else {
		unsigned nk = 0;

		for (size_t j = i; j < ncands && nk < SRTP_MAX_NUM_MASTER_KEYS; j++) {
			const struct sift_srtp_key *o = &cands[j];

			if (j != i && (!same_mki_line(c, o) || !key_usable(o)))
				continue;
			if (!mki_bytes(&o->k, t->mki[nk]))
				return false;   /* i itself: key_usable said no */
			memcpy(t->mkey[nk], o->k.keysalt, o->k.len);
			t->mk[nk].key = t->mkey[nk];
			t->mk[nk].mki_id = t->mki[nk];
			t->mk[nk].mki_size = o->k.mki_len;
			t->mkp[nk] = &t->mk[nk];
			nk++;
		}
		p->key = NULL;
		p->keys = t->mkp;
		p->num_master_keys = nk;
		t->use_mki = true;
	}

	tag = (size_t)(rtcp ? p->rtcp.auth_tag_len : p->rtp.auth_tag_len);
	t->trailer = tag + (c->k.has_mki ? c->k.mki_len : 0) +
		     (rtcp ? SRTCP_INDEX_LEN : 0);
	return true;
}

static size_t sig_member(const struct sift_srtp_key *c, uint8_t *p)
{
	size_t n = 0;

	p[n++] = (uint8_t)c->suite;
	p[n++] = (uint8_t)(c->unencrypted_srtp | c->unencrypted_srtcp << 1 |
			   c->unauthenticated_srtp << 2 | c->k.has_mki << 3);
	p[n++] = (uint8_t)c->k.len;
	memcpy(p + n, c->k.keysalt, c->k.len);
	n += c->k.len;
	if (c->k.has_mki) {
		p[n++] = c->k.mki_len;
		for (int b = 24; b >= 0; b -= 8)
			p[n++] = (uint8_t)(c->k.mki >> b);
	}
	return n;
}

/* Everything build_trial reads for candidate i (which it accepted): the
 * candidate and, with an MKI, the other keys of its line, in its order. */
static size_t trial_sig(const struct sift_srtp_key *cands, size_t ncands,
			size_t i, uint8_t *sig)
{
	const struct sift_srtp_key *c = &cands[i];
	size_t n = sig_member(c, sig);
	unsigned nk = 1;

	for (size_t j = i + 1; c->k.has_mki && j < ncands &&
	     nk < SRTP_MAX_NUM_MASTER_KEYS; j++) {
		if (!same_mki_line(c, &cands[j]) || !key_usable(&cands[j]))
			continue;
		n += sig_member(&cands[j], sig + n);
		nk++;
	}
	return n;
}

/* The stream's session for trial t of candidate i: kept from an earlier
 * packet, or made now and kept. NULL when libsrtp refuses the policy, or
 * (*oom) when memory ran out. */
static struct tsess *trial_session(struct sift_srtp_stream *s,
				   const struct sift_srtp_key *cands,
				   size_t ncands, size_t i, struct trial *t,
				   bool *oom)
{
	uint8_t sig[SIG_MAX];
	size_t n = trial_sig(cands, ncands, i, sig);
	struct tsess *e;
	srtp_err_status_t st;

	if (!s->tc) {
		s->tc = calloc(TRIAL_CACHE_MAX, sizeof(*s->tc));
		if (!s->tc) {
			*oom = true;
			return NULL;
		}
	}
	for (unsigned k = 0; k < TRIAL_CACHE_MAX; k++)
		if (s->tc[k].sess && s->tc[k].siglen == n &&
		    memcmp(s->tc[k].sig, sig, n) == 0)
			return &s->tc[k];
	e = NULL;
	for (unsigned k = 0; k < TRIAL_CACHE_MAX && !e; k++)
		if (!s->tc[k].sess)
			e = &s->tc[k];
	if (!e) {
		e = &s->tc[s->tc_next];
		s->tc_next = (s->tc_next + 1) % TRIAL_CACHE_MAX;
		tsess_clear(e);
	}
	e->sig = malloc(n);
	if (!e->sig) {
		*oom = true;
		return NULL;
	}
	st = create_session(&e->sess, &t->pol);
	if (st != srtp_err_status_ok) {
		*oom = st == srtp_err_status_alloc_fail;
		e->sess = NULL;
		tsess_clear(e);
		return NULL;
	}
	memcpy(e->sig, sig, n);
	e->siglen = n;
	return e;
}

/* Does the packet hold a header of this stream's SSRC once a trailer of
 * this length is set apart? */
static bool packet_fits(const struct sift_srtp_stream *s, const uint8_t *in,
			size_t n, size_t trailer)
{
	struct sift_rtp_hdr h;
	uint32_t ssrc = 0;

	if (n < trailer)
		return false;
	if (s->rtcp) {
		/* sift_rtcp_looks wants the 4-byte index still counted. */
		if (n - trailer + SRTCP_INDEX_LEN < RTCP_MIN + SRTCP_INDEX_LEN ||
		    !sift_rtcp_looks(in, n - trailer + SRTCP_INDEX_LEN, true, &ssrc))
			return false;
		return ssrc == s->ssrc;
	}
	if (sift_rtp_parse(in, n - trailer, true, &h) != SIFT_OK)
		return false;
	return h.ssrc == s->ssrc;
}

/* Room for an n-byte packet (a datagram is at most 64 KiB). */
static bool grow_buf(struct sift_srtp_stream *s, size_t n)
{
	void *b = s->buf;

	if (n <= s->bufcap)
		return true;
	if (!sift_grow(&b, &s->bufcap, n, 1, (size_t)1 << 17))
		return false;
	s->buf = b;
	return true;
}

/* One unprotect on a fresh copy of the packet. */
static srtp_err_status_t trial_unprotect(struct sift_srtp_stream *s, srtp_t sess,
					 bool use_mki, const uint8_t *in, size_t n,
					 int *len)
{
	memcpy(s->buf, in, n);
	*len = (int)n;
	if (s->rtcp)
		return srtp_unprotect_rtcp_mki(sess, s->buf, len, use_mki ? 1u : 0u);
	return srtp_unprotect_mki(sess, s->buf, len, use_mki ? 1u : 0u);
}

static enum sift_srtp_verdict deliver(struct sift_srtp_stream *s, int len,
				      size_t n, uint8_t *out, size_t *outlen)
{
	if (len < 0 || (size_t)len > n)
		return SIFT_SRTP_BAD_PACKET;
	memcpy(out, s->buf, (size_t)len);
	*outlen = (size_t)len;
	s->st.decrypted++;
	return SIFT_SRTP_OK;
}

static bool deep_has(const struct deep *d, uint64_t i)
{
	return (d->seen[(i % DEEP_BITS) / 64] >> (i % 64)) & 1u;
}

/* Index i was decrypted: the window moves on when it is the highest. */
static void deep_mark(struct deep *d, uint64_t i)
{
	if (i > d->hi) {
		if (i - d->hi >= DEEP_BITS) {
			memset(d->seen, 0, sizeof(d->seen));
		} else {
			for (uint64_t k = d->hi + 1; k < i; k++)
				d->seen[(k % DEEP_BITS) / 64] &= ~((uint64_t)1 << (k % 64));
		}
		d->hi = i;
	}
	d->seen[(i % DEEP_BITS) / 64] |= (uint64_t)1 << (i % 64);
}

/* The index of an RTP packet the chosen session just decrypted. The
 * first one's ROC is the session's; after it, the index libsrtp guessed
 * from its highest one (RFC 3711 §3.3.1), which is ours (deep->hi): no
 * look-up of the session's stream per packet. */
static uint64_t decrypted_index(const struct sift_srtp_stream *s, uint32_t seq,
				bool first)
{
	uint32_t roc = 0, hseq;

	if (first) {
		(void)srtp_get_stream_roc(s->sess, s->ssrc, &roc);
		return (uint64_t)roc << 16 | seq;
	}
	roc = (uint32_t)(s->deep->hi >> 16);
	hseq = (uint32_t)(s->deep->hi & 0xffffu);
	if (hseq < 0x8000u) {
		if (seq > hseq && seq - hseq > 0x8000u && roc > 0)
			roc--;
	} else if (hseq - 0x8000u > seq) {
		roc++;
	}
	return (uint64_t)roc << 16 | seq;
}

/* A key was chosen for an RTP stream: what the deep window needs. */
static bool deep_start(struct sift_srtp_stream *s,
		       const struct sift_srtp_key *cands, size_t ncands,
		       size_t i, uint16_t seq)
{
	size_t n = 1;

	for (size_t j = i + 1; cands[i].k.has_mki && j < ncands &&
	     n < SRTP_MAX_NUM_MASTER_KEYS; j++)
		n += same_mki_line(&cands[i], &cands[j]) && key_usable(&cands[j]);
	s->deep = calloc(1, sizeof(*s->deep) + n * sizeof(s->deep->line[0]));
	if (!s->deep)
		return false;
	s->deep->line[0] = cands[i];
	for (size_t j = i + 1; s->deep->nline + 1 < n && j < ncands; j++)
		if (same_mki_line(&cands[i], &cands[j]) && key_usable(&cands[j]))
			s->deep->line[++s->deep->nline] = cands[j];
	s->deep->nline++;
	s->deep->hi = decrypted_index(s, seq, true);
	deep_mark(s->deep, s->deep->hi);
	return true;
}

/* libsrtp's short window calls the packet too old: what one 0x7fff window
 * would say. */
static enum sift_srtp_verdict unprotect_deep(struct sift_srtp_stream *s,
					     const uint8_t *in, size_t n,
					     uint8_t *out, size_t *outlen)
{
	struct deep *d = s->deep;
	uint16_t seq = (uint16_t)(in[2] << 8 | in[3]);
	uint64_t back = (uint16_t)((uint16_t)d->hi - seq), i;
	struct trial *t = NULL;
	srtp_t sess = NULL;
	enum sift_srtp_verdict v = SIFT_SRTP_REPLAY;
	srtp_err_status_t st;
	int len;

	if (back == 0 || back > SRTP_WINDOW || back > d->hi)
		goto out;
	i = d->hi - back;
	if (deep_has(d, i))
		goto out;
	v = SIFT_SRTP_NOMEM;
	t = malloc(sizeof(*t));
	if (!t)
		goto out;
	v = SIFT_SRTP_AUTH_FAIL;
	if (!build_trial(d->line, d->nline, 0, s->ssrc, false, t))
		goto out;
	st = create_session(&sess, &t->pol);
	if (st != srtp_err_status_ok) {
		sess = NULL;
		if (st == srtp_err_status_alloc_fail)
			v = SIFT_SRTP_NOMEM;
		goto out;
	}
	if (srtp_set_stream_roc(sess, s->ssrc, (uint32_t)(i >> 16)) !=
	    srtp_err_status_ok ||
	    trial_unprotect(s, sess, s->use_mki, in, n, &len) != srtp_err_status_ok)
		goto out;
	deep_mark(d, i);
	v = deliver(s, len, n, out, outlen);
out:
	if (sess)
		srtp_dealloc(sess);
	free(t);
	if (v == SIFT_SRTP_REPLAY)
		s->st.replay_drops++;
	else if (v == SIFT_SRTP_AUTH_FAIL)
		s->st.auth_failures++;
	return v;
}

static enum sift_srtp_verdict unprotect_chosen(struct sift_srtp_stream *s,
					       const uint8_t *in, size_t n,
					       uint8_t *out, size_t *outlen)
{
	srtp_err_status_t st;
	uint32_t *b = s->buf;
	int len = (int)n;

	if (!packet_fits(s, in, n, s->trailer))
		return SIFT_SRTP_BAD_PACKET;
	/* Straight in out when it is aligned as libsrtp wants: a copy less
	 * per packet (out may hold garbage when this fails). */
	if (((uintptr_t)out & (sizeof(uint32_t) - 1)) == 0)
		b = (uint32_t *)(void *)out;
	memcpy(b, in, n);
	st = s->rtcp ? srtp_unprotect_rtcp_mki(s->sess, b, &len, s->use_mki ? 1u : 0u) :
		       srtp_unprotect_mki(s->sess, b, &len, s->use_mki ? 1u : 0u);
	if (st == srtp_err_status_ok) {
		if (s->deep)
			deep_mark(s->deep, decrypted_index(s, (uint16_t)(in[2] << 8 | in[3]),
							   false));
		if (b == s->buf)
			return deliver(s, len, n, out, outlen);
		if (len < 0 || (size_t)len > n)
			return SIFT_SRTP_BAD_PACKET;
		*outlen = (size_t)len;
		s->st.decrypted++;
		return SIFT_SRTP_OK;
	}
	if (st == srtp_err_status_replay_old && s->deep)
		return unprotect_deep(s, in, n, out, outlen);
	if (st == srtp_err_status_replay_fail || st == srtp_err_status_replay_old) {
		s->st.replay_drops++;
		return SIFT_SRTP_REPLAY;
	}
	s->st.auth_failures++;
	return SIFT_SRTP_AUTH_FAIL;
}

enum sift_srtp_verdict sift_srtp_unprotect(struct sift_srtp_stream *s,
					   const struct sift_srtp_key *cands,
					   size_t ncands, uint32_t max_roc,
					   const uint8_t *in, size_t n,
					   uint8_t *out, size_t *outlen)
{
	bool tried = false, bad = false, oom = false;
	struct trial *t = NULL;
	enum sift_srtp_verdict v = SIFT_SRTP_UNSUPPORTED;

	if (outlen)
		*outlen = 0;
	if (!s || !in || !out || !outlen || n > SRTP_PACKET_MAX || n > INT_MAX)
		return SIFT_SRTP_BAD_PACKET;
	if (!grow_buf(s, n))
		return SIFT_SRTP_NOMEM;
	if (s->sess)
		return unprotect_chosen(s, in, n, out, outlen);
	if (!cands || ncands == 0)
		return SIFT_SRTP_NO_KEY;
	if (max_roc > SRTP_ROC_TRIALS_MAX)
		max_roc = SRTP_ROC_TRIALS_MAX;

	t = malloc(sizeof(*t));
	if (!t)
		return SIFT_SRTP_NOMEM;
	/* Pass 0: candidates with a tag; pass 1: UNAUTHENTICATED_SRTP. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < ncands; i++) {
			bool unauth = !s->rtcp && cands[i].unauthenticated_srtp;
			bool covered = false;
			uint32_t rocs;
			struct tsess *e;

			if (unauth != (pass == 1))
				continue;
			/* A later key-param of an MKI line is already in the
			 * session of its first one. */
			for (size_t j = 0; j < i && !covered; j++)
				covered = same_mki_line(&cands[j], &cands[i]) &&
					  key_usable(&cands[j]);
			if (covered)
				continue;
			if (!build_trial(cands, ncands, i, s->ssrc, s->rtcp, t))
				continue;
			if (!packet_fits(s, in, n, t->trailer)) {
				bad = true;
				continue;
			}
			e = trial_session(s, cands, ncands, i, t, &oom);
			if (oom) {
				v = SIFT_SRTP_NOMEM;
				goto out;
			}
			if (!e)
				continue;
			rocs = (s->rtcp || t->unauth) ? 0 : max_roc;
			for (uint32_t r = 0; r <= rocs; r++) {
				int len;

				if (!s->rtcp &&
				    srtp_set_stream_roc(e->sess, s->ssrc, r) != srtp_err_status_ok)
					break;
				tried = true;
				if (trial_unprotect(s, e->sess, t->use_mki, in, n, &len) !=
				    srtp_err_status_ok)
					continue;
				s->sess = e->sess;
				e->sess = NULL;
				trial_cache_free(s);
				if (!s->rtcp &&
				    !deep_start(s, cands, ncands, i,
						(uint16_t)(in[2] << 8 | in[3]))) {
					/* Without it no verdict could be kept. */
					srtp_dealloc(s->sess);
					s->sess = NULL;
					v = SIFT_SRTP_NOMEM;
					goto out;
				}
				s->key = (int)i;
				s->roc = r;
				s->trailer = t->trailer;
				s->use_mki = t->use_mki;
				v = deliver(s, len, n, out, outlen);
				goto out;
			}
		}
	}
	if (tried) {
		s->st.auth_failures++;
		v = SIFT_SRTP_AUTH_FAIL;
	} else if (bad) {
		v = SIFT_SRTP_BAD_PACKET;
	}
out:
	free(t);
	return v;
}
