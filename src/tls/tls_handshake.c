/* sipsift — one TLS connection, part two: the key schedules (RFC 8446 §7,
 * RFC 5246 §6.3/§8.1, RFC 7627) and the handshake messages that carry
 * what decryption needs (§4). The record layer and record decryption are
 * in tls_conn.c; what both share is in tls_int.h. */
#include <stdlib.h>
#include <string.h>

#include "util/cursor.h"
#include "tls/tls_int.h"

/* ---- reads (util/cursor.h) ----------------------------------------- */

/* A vector with a length prefix of lbytes (1-3) bytes, as a sub-cursor;
 * cut (and empty) when the prefix or the vector runs past the end. */
static struct sift_cur cur_vec(struct sift_cur *r, size_t lbytes)
{
	size_t n = lbytes == 1 ? sift_cur_u8(r) :
		   lbytes == 2 ? sift_cur_be16(r) : sift_cur_be24(r);
	struct sift_cur sub = sift_cur_make(NULL, 0);

	if (r->cut) {
		sub.cut = true;
		return sub;
	}
	return sift_cur_sub(r, n);
}

/* ---- key setup ------------------------------------------------------ */

/* TLS 1.3 traffic keys from a traffic secret (RFC 8446 §7.3). */
bool sift_tls_set_secret13(struct sift_tls_conn *c, int d, const uint8_t *sec,
			   size_t len, enum epoch ep)
{
	struct side *s = &c->s[d];
	uint8_t key[SIFT_TLS_MAX_KEY];
	size_t kl = sift_tls_bulk_key_len(c->suite->bulk);
	bool ok = false;

	if (len != sift_tls_md_len(c->suite->prf))
		return false;
	if (!sift_tls_hkdf_expand_label(c->suite->prf, sec, len, "key", NULL, 0,
					key, kl) ||
	    !sift_tls_hkdf_expand_label(c->suite->prf, sec, len, "iv", NULL, 0,
					s->iv, 12))
		goto out;
	sift_tls_cipher_free(s->cipher);
	s->cipher = sift_tls_cipher_new(c->suite->bulk, key, SIFT_TLS_MD_NONE,
					NULL, &c->oom);
	if (s->cipher == NULL)
		goto out;
	memmove(s->secret, sec, len);
	s->secret_len = len;
	s->seq = 0;
	s->epoch = ep;
	ok = true;
out:
	memset(key, 0, sizeof(key));
	return ok;
}

enum sift_tls_label sift_tls_label13(struct sift_tls_conn *c, int d,
				     enum epoch ep)
{
	bool client = d == c->client;

	if (ep == EP_HANDSHAKE)
		return client ? SIFT_TLS_L_CHTS : SIFT_TLS_L_SHTS;
	return client ? SIFT_TLS_L_CATS0 : SIFT_TLS_L_SATS0;
}

/* No key log entry for a session whose key exchange is (EC)DHE (all of
 * TLS 1.3): with only RSA keys given, say that those cannot open it. */
static enum sift_tls_status no_keylog_status(const struct sift_tls_conn *c)
{
	return sift_tls_rsa_count(c->keys) != 0 &&
	       !sift_tls_keys_know(c->keys, c->cr) ? SIFT_TLS_DH_NO_KEYLOG
						   : SIFT_TLS_NO_KEY;
}

/* After the ServerHello of TLS 1.3 both sides are protected. */
static void start13(struct sift_tls_conn *c)
{
	int d;

	for (d = 0; d < 2; d++) {
		const uint8_t *sec;
		size_t len;
		struct side *s = &c->s[d];

		s->protected_ = true;
		if (sift_tls_keys_find(c->keys, c->cr,
				       sift_tls_label13(c, d, EP_HANDSHAKE),
				       &sec, &len)) {
			if (!sift_tls_set_secret13(c, d, sec, len, EP_HANDSHAKE))
				sift_tls_stop_side(c, d, SIFT_TLS_NO_KEY);
		} else if (sift_tls_keys_find(c->keys, c->cr,
					      sift_tls_label13(c, d, EP_APP), &sec,
					      &len)) {
			s->app_trial = true;
		} else {
			sift_tls_stop_side(c, d, no_keylog_status(c));
		}
	}
}

static bool resume_master(struct sift_tls_conn *c);

/* TLS 1.2 master secret: the key log, else the session resumed, else the
 * RSA premaster secret. */
enum sift_tls_status sift_tls_get_master12(struct sift_tls_conn *c)
{
	const uint8_t *sec;
	size_t len, i;
	uint8_t pms[48];
	bool tried_rsa = false, ok = false;

	if (c->have_master)
		return SIFT_TLS_PENDING;
	if (sift_tls_keys_find(c->keys, c->cr, SIFT_TLS_L_CLIENT_RANDOM, &sec,
			       &len) && len == 48) {
		memcpy(c->master, sec, 48);
		c->have_master = true;
		return SIFT_TLS_PENDING;
	}
	if (resume_master(c)) {
		c->have_master = true;
		c->master_learnt = true;
		return SIFT_TLS_PENDING;
	}
	/* A session resumed with RSA key exchange: the secret was in a full
	 * handshake that is not in the capture (or did not decrypt). */
	if (c->info.resumed && c->suite->rsa_kx && sift_tls_rsa_count(c->keys))
		return SIFT_TLS_NO_HANDSHAKE;
	if (!c->suite->rsa_kx)
		return no_keylog_status(c);
	if (!c->cke_seen || c->enc_pms_len == 0)
		return SIFT_TLS_NO_KEY;
	if (c->rsa != NULL) {
		/* The key whose public half is in the server certificate. */
		tried_rsa = true;
		ok = sift_tls_pkey_decrypt_pms(c->rsa, c->enc_pms,
					       c->enc_pms_len, pms);
	} else if (!c->cert_mismatch) {
		const struct sift_addr *srv = c->client >= 0 &&
			c->have_addr[1 - c->client] ? &c->addr[1 - c->client] : NULL;

		for (i = 0; i < sift_tls_rsa_count(c->keys) && !ok; i++) {
			const struct sift_tls_pkey *k =
				sift_tls_keys_rsa(c->keys, i, srv);

			if (k == NULL)
				continue;
			tried_rsa = true;
			ok = sift_tls_pkey_decrypt_pms(k, c->enc_pms,
						       c->enc_pms_len, pms);
		}
	}
	if (!ok)
		return tried_rsa || c->cert_mismatch ? SIFT_TLS_RSA_MISMATCH
						     : SIFT_TLS_NO_RSA_KEY;
	if (c->info.ems) {
		if (!c->have_session_hash)
			return SIFT_TLS_NO_HANDSHAKE;
		if (!sift_tls_prf(c->suite->prf, pms, 48, "extended master secret",
				  c->session_hash, sift_tls_md_len(c->suite->prf),
				  NULL, 0, c->master, 48))
			return SIFT_TLS_UNSUPPORTED;
	} else if (!sift_tls_prf(c->suite->prf, pms, 48, "master secret",
				 c->cr, 32, c->sr, 32, c->master, 48)) {
		return SIFT_TLS_UNSUPPORTED;
	}
	memset(pms, 0, sizeof(pms));
	c->have_master = true;
	c->master_from_rsa = true;
	c->master_learnt = true;
	return SIFT_TLS_PENDING;
}

size_t sift_tls_mac_len12(const struct suite *su)
{
	return su->bulk == SIFT_TLS_BULK_AES128_CBC ||
	       su->bulk == SIFT_TLS_BULK_AES256_CBC ? sift_tls_md_len(su->mac) : 0;
}

static size_t fixed_iv12(const struct suite *su)
{
	switch (su->bulk) {
	case SIFT_TLS_BULK_AES128_GCM:
	case SIFT_TLS_BULK_AES256_GCM:
		return 4;
	case SIFT_TLS_BULK_CHACHA20_POLY1305:
		return 12;
	default:
		return 16;  /* CBC: present in the key block, unused in 1.2 */
	}
}

/* RFC 5246 §6.3 key block, then the cipher of side d. */
enum sift_tls_status sift_tls_keys12(struct sift_tls_conn *c, int d)
{
	const struct suite *su = c->suite;
	size_t ml = sift_tls_mac_len12(su), kl = sift_tls_bulk_key_len(su->bulk);
	size_t il = fixed_iv12(su), total = 2 * (ml + kl + il);
	bool client = d == c->client;
	const uint8_t *mk, *k, *iv;
	enum sift_tls_status st;
	struct side *s = &c->s[d];

	if (!c->keys_done) {
		st = sift_tls_get_master12(c);
		if (st != SIFT_TLS_PENDING)
			return st;
		if (total > sizeof(c->key_block) ||
		    !sift_tls_prf(su->prf, c->master, 48, "key expansion", c->sr,
				  32, c->cr, 32, c->key_block, total))
			return SIFT_TLS_UNSUPPORTED;
		c->keys_done = true;
	}
	mk = c->key_block + (client ? 0 : ml);
	k = c->key_block + 2 * ml + (client ? 0 : kl);
	iv = c->key_block + 2 * ml + 2 * kl + (client ? 0 : il);
	sift_tls_cipher_free(s->cipher);
	s->cipher = sift_tls_cipher_new(su->bulk, k, su->mac, ml ? mk : NULL,
					&c->oom);
	if (s->cipher == NULL)
		return SIFT_TLS_UNSUPPORTED;
	memset(s->iv, 0, sizeof(s->iv));
	memcpy(s->iv, iv, il < 12 ? il : 12);
	s->seq = 0;
	s->protected_ = true;
	return SIFT_TLS_PENDING;
}

/* ---- handshake messages --------------------------------------------- */

static void parse_client_hello(struct sift_tls_conn *c, int d, struct sift_cur *r)
{
	const uint8_t *rnd;
	struct sift_cur sid, ext;

	c->ch_version = (uint16_t)sift_cur_be16(r);
	rnd = sift_cur_take(r, 32);
	sid = cur_vec(r, 1);
	(void)cur_vec(r, 2);        /* cipher suites */
	(void)cur_vec(r, 1);        /* compression methods */
	if (r->cut || rnd == NULL || sift_cur_left(&sid) > 32) {
		sift_tls_stop_all(c, SIFT_TLS_MALFORMED);
		return;
	}
	if (c->hrr_pending && memcmp(c->cr, rnd, 32) != 0) {
		/* The second ClientHello keeps its random (RFC 8446 §4.1.2). */
		sift_tls_stop_all(c, SIFT_TLS_MALFORMED);
		return;
	}
	memcpy(c->cr, rnd, 32);
	memcpy(c->info.client_random, rnd, 32);
	c->info.have_random = true;
	memcpy(c->sid, sift_cur_ptr(&sid), sift_cur_left(&sid));
	c->sid_len = sift_cur_left(&sid);
	c->ch_seen = true;
	c->client = d;
	c->info.client_side = d;
	c->ch_ems = c->ch_etm = c->ch_ticket = c->ch_early = false;
	c->have_ch_ticket_hash = false;
	if (sift_cur_left(r) == 0)
		return;
	ext = cur_vec(r, 2);
	while (sift_cur_left(&ext) != 0 && !ext.cut) {
		uint16_t type = (uint16_t)sift_cur_be16(&ext);
		struct sift_cur body = cur_vec(&ext, 2);

		if (ext.cut)
			break;
		if (type == EXT_EMS)
			c->ch_ems = true;
		else if (type == EXT_ETM)
			c->ch_etm = true;
		else if (type == EXT_SESSION_TICKET && sift_cur_left(&body) != 0) {
			c->ch_ticket = true;
			c->have_ch_ticket_hash = sift_tls_sha256(
				sift_cur_ptr(&body), sift_cur_left(&body),
				c->ch_ticket_hash);
		}
		else if (type == EXT_EARLY_DATA)
			c->ch_early = true;
	}
	if (ext.cut)
		sift_tls_stop_all(c, SIFT_TLS_MALFORMED);
}

/* SHA-256("HelloRetryRequest"), RFC 8446 §4.1.3. */
static const uint8_t hrr_random[32] = {
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02,
	0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e,
	0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c
};

static void parse_server_hello(struct sift_tls_conn *c, struct sift_cur *r)
{
	uint16_t legacy = (uint16_t)sift_cur_be16(r), version, id;
	const uint8_t *rnd = sift_cur_take(r, 32);
	struct sift_cur sid = cur_vec(r, 1), ext;
	bool ems = false, etm = false;

	id = (uint16_t)sift_cur_be16(r);
	(void)sift_cur_u8(r);       /* compression method */
	if (r->cut || rnd == NULL || sift_cur_left(&sid) > 32) {
		sift_tls_stop_all(c, SIFT_TLS_MALFORMED);
		return;
	}
	version = legacy;
	if (sift_cur_left(r) != 0) {
		ext = cur_vec(r, 2);
		while (sift_cur_left(&ext) != 0 && !ext.cut) {
			uint16_t type = (uint16_t)sift_cur_be16(&ext);
			struct sift_cur body = cur_vec(&ext, 2);

			if (type == EXT_SUPPORTED_VERSIONS && sift_cur_left(&body) == 2)
				version = (uint16_t)sift_cur_be16(&body);
			else if (type == EXT_EMS)
				ems = true;
			else if (type == EXT_ETM)
				etm = true;
		}
		if (ext.cut) {
			sift_tls_stop_all(c, SIFT_TLS_MALFORMED);
			return;
		}
	}
	c->info.version = version;
	c->info.suite = id;
	if (memcmp(rnd, hrr_random, 32) == 0) {
		c->info.hrr = true;
		c->hrr_pending = true;
		return;
	}
	c->hrr_pending = false;
	memcpy(c->sr, rnd, 32);
	c->sh_seen = true;
	c->suite = sift_tls_suite_find(id);
	if (version != TLS12 && version != TLS13) {
		sift_tls_stop_all(c, SIFT_TLS_UNSUPPORTED);
		return;
	}
	if (c->suite == NULL || c->suite->tls13 != (version == TLS13)) {
		c->suite = NULL;
		sift_tls_stop_all(c, SIFT_TLS_UNSUPPORTED);
		return;
	}
	if (version == TLS13) {
		start13(c);
		return;
	}
	c->info.rsa_kx = c->suite->rsa_kx;
	c->info.ems = c->ch_ems && ems;
	c->info.etm = c->ch_etm && etm && sift_tls_mac_len12(c->suite) != 0;
	c->info.resumed = c->sid_len != 0 && sift_cur_left(&sid) == c->sid_len &&
			  memcmp(sift_cur_ptr(&sid), c->sid, sift_cur_left(&sid)) == 0;
	c->srv_sid_len = sift_cur_left(&sid);
	memcpy(c->srv_sid, sift_cur_ptr(&sid), c->srv_sid_len);
}

/* RFC 5077 §3.3 NewSessionTicket (TLS 1.2): lifetime hint, ticket. */
static void parse_new_session_ticket(struct sift_tls_conn *c,
				     struct sift_cur *r)
{
	struct sift_cur t;

	(void)sift_cur_be32(r);
	t = cur_vec(r, 2);
	if (t.cut || sift_cur_left(&t) == 0)
		return;
	c->have_nst = sift_tls_sha256(sift_cur_ptr(&t), sift_cur_left(&t),
				      c->nst_hash);
	c->kept_nst = false;
	sift_tls_keep_session(c);
}

void sift_tls_keep_session(struct sift_tls_conn *c)
{
	bool proved = c->s[0].any_ok || c->s[1].any_ok;

	if (c->sessions == NULL || !c->have_master || !proved ||
	    c->suite == NULL || c->suite->tls13)
		return;
	if (!c->kept_sid && c->srv_sid_len != 0) {
		sift_tls_sessions_put(c->sessions, SIFT_TLS_SESS_ID, c->srv_sid,
				      c->srv_sid_len, c->master);
		c->kept_sid = true;
	}
	if (!c->kept_nst && c->have_nst) {
		sift_tls_sessions_put(c->sessions, SIFT_TLS_SESS_TICKET,
				      c->nst_hash, 32, c->master);
		c->kept_nst = true;
	}
}

/* A resumed session's master secret, from the full handshake it resumes
 * (the ticket first: a client that offers one sends a session ID of its
 * own that the server echoes). */
static bool resume_master(struct sift_tls_conn *c)
{
	if (!c->info.resumed || c->sessions == NULL)
		return false;
	if (c->have_ch_ticket_hash &&
	    sift_tls_sessions_get(c->sessions, SIFT_TLS_SESS_TICKET,
				  c->ch_ticket_hash, 32, c->master))
		return true;
	return c->srv_sid_len != 0 &&
	       sift_tls_sessions_get(c->sessions, SIFT_TLS_SESS_ID, c->srv_sid,
				     c->srv_sid_len, c->master);
}

/* The first certificate of a TLS 1.2 Certificate message picks the RSA
 * key that belongs to this server. */
static void parse_certificate(struct sift_tls_conn *c, int d, struct sift_cur *r)
{
	struct sift_cur list = cur_vec(r, 3), cert;
	const struct sift_addr *srv = c->have_addr[d] ? &c->addr[d] : NULL;
	size_t i;
	bool tried = false;

	c->cert_seen = true;
	cert = cur_vec(&list, 3);
	if (cert.cut || sift_cur_left(&cert) == 0 || sift_tls_rsa_count(c->keys) == 0)
		return;
	for (i = 0; i < sift_tls_rsa_count(c->keys); i++) {
		const struct sift_tls_pkey *k = sift_tls_keys_rsa(c->keys, i, srv);

		if (k == NULL)
			continue;
		tried = true;
		if (sift_tls_pkey_matches_cert(k, sift_cur_ptr(&cert), sift_cur_left(&cert)) == 1) {
			c->rsa = k;
			return;
		}
	}
	/* Keys given for other servers say nothing about this one: no key,
	 * not a key that does not fit. */
	c->cert_mismatch = tried;
}

static bool ks_update13(struct sift_tls_conn *c, int d)
{
	struct side *s = &c->s[d];
	uint8_t next[SIFT_TLS_MAX_MD];
	bool ok;

	/* RFC 8446 §7.2: application_traffic_secret_N+1. */
	ok = sift_tls_hkdf_expand_label(c->suite->prf, s->secret, s->secret_len,
					"traffic upd", NULL, 0, next,
					s->secret_len) &&
	     sift_tls_set_secret13(c, d, next, s->secret_len, EP_APP);
	memset(next, 0, sizeof(next));
	return ok;
}

/* One whole handshake message (header included in msg) from side d. */
static void handle_hs(struct sift_tls_conn *c, int d, const uint8_t *msg,
		      size_t n)
{
	struct sift_cur h = sift_cur_make(msg, n);
	uint8_t type = sift_cur_u8(&h);
	struct sift_cur r = sift_cur_make(msg + HS_HDR, n - HS_HDR);
	bool tls13 = c->suite != NULL && c->suite->tls13;

	if (c->th != NULL && !c->have_session_hash && !tls13)
		(void)sift_tls_transcript_add(c->th, msg, n);
	switch (type) {
	case HS_CLIENT_HELLO:
		if (!c->ch_seen || c->hrr_pending)
			parse_client_hello(c, d, &r);
		break;
	case HS_SERVER_HELLO:
		if (d != c->client && !c->sh_seen)
			parse_server_hello(c, &r);
		break;
	case HS_CERTIFICATE:
		if (!tls13 && d != c->client)
			parse_certificate(c, d, &r);
		break;
	case HS_NEW_SESSION_TICKET:
		if (!tls13 && d != c->client)
			parse_new_session_ticket(c, &r);
		break;
	case HS_SERVER_HELLO_DONE:
		if (d != c->client)
			c->server_done = true;
		break;
	case HS_CLIENT_KEY_EXCHANGE:
		if (d != c->client || tls13 || c->suite == NULL)
			break;
		if (c->th != NULL && !c->have_session_hash)
			c->have_session_hash = sift_tls_transcript_hash(
				c->th, c->suite->prf, c->session_hash);
		c->cke_seen = true;
		if (c->suite->rsa_kx) {
			struct sift_cur e = cur_vec(&r, 2);

			if (!e.cut && sift_cur_left(&e) <= sizeof(c->enc_pms)) {
				memcpy(c->enc_pms, sift_cur_ptr(&e), sift_cur_left(&e));
				c->enc_pms_len = sift_cur_left(&e);
			}
		}
		break;
	case HS_FINISHED:
		/* RFC 8446 §7.1: after its Finished a side sends with its
		 * application traffic secret. */
		if (tls13 && c->s[d].epoch == EP_HANDSHAKE) {
			const uint8_t *sec;
			size_t len;

			if (!sift_tls_keys_find(c->keys, c->cr,
						sift_tls_label13(c, d, EP_APP), &sec,
						&len) ||
			    !sift_tls_set_secret13(c, d, sec, len, EP_APP))
				sift_tls_stop_side(c, d, SIFT_TLS_NO_KEY);
		}
		break;
	case HS_KEY_UPDATE:
		if (tls13 && c->s[d].epoch == EP_APP) {
			c->info.key_updates[d]++;
			if (!ks_update13(c, d))
				sift_tls_stop_side(c, d, SIFT_TLS_UNSUPPORTED);
		}
		break;
	default:
		break;
	}
}

/* Appends handshake bytes of side d and handles every whole message. */
void sift_tls_hs_append(struct sift_tls_conn *c, int d, const uint8_t *p,
			size_t n)
{
	struct side *s = &c->s[d];
	size_t pos = 0;

	if (n == 0)
		return;   /* an empty handshake record carries nothing */
	if (s->hs_len + n > MAX_HS_BUF) {
		sift_tls_stop_side(c, d, SIFT_TLS_LIMIT);
		return;
	}
	if (!sift_tls_grow_bytes(&s->hs, &s->hs_cap, s->hs_len + n, MAX_HS_BUF)) {
		c->oom = true;
		sift_tls_stop_side(c, d, SIFT_TLS_LIMIT);
		return;
	}
	memcpy(s->hs + s->hs_len, p, n);
	s->hs_len += n;
	while (!s->stopped && s->hs_len - pos >= HS_HDR) {
		const uint8_t *m = s->hs + pos;
		struct sift_cur h = sift_cur_make(m, s->hs_len - pos);
		size_t ml;

		sift_cur_skip(&h, 1);
		ml = sift_cur_be24(&h);

		if (ml > SIFT_TLS_MAX_HS_MSG) {
			sift_tls_stop_side(c, d, SIFT_TLS_LIMIT);
			return;
		}
		if (s->hs_len - pos < HS_HDR + ml)
			break;
		handle_hs(c, d, m, HS_HDR + ml);
		pos += HS_HDR + ml;
	}
	if (s->stopped)
		return;
	memmove(s->hs, s->hs + pos, s->hs_len - pos);
	s->hs_len -= pos;
}
