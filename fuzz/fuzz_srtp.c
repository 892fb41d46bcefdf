/* libFuzzer target for RTP/RTCP header validation (src/rtp.c) and SRTP/
 * SRTCP decryption (src/srtp.c), with two fixed candidate keys.
 *
 * Input: two header bytes, then records, each a 2-byte big-endian length
 * and that many bytes.
 *   hdr[0]  bits 0-2 suite (AES_CM_128 _80/_32, 192 _80/_32, 256 _80/_32,
 *           GCM 128/256); bit 3 the two keys are one a=crypto line with
 *           MKIs 1 and 2; bit 4 UNENCRYPTED_SRTP; bit 5 UNENCRYPTED_SRTCP;
 *           bit 6 UNAUTHENTICATED_SRTP; bit 7 generate mode
 *   hdr[1]  bits 0-1 max_roc (0-3); bits 2-3 the sender's first ROC
 *           (generate mode); bits 4-5 MKI length - 1
 * Raw mode: each record is a packet, given to sift_rtp_parse,
 *   sift_rtcp_looks, sift_rtcp_parse and to an RTP and an RTCP stream (created with the SSRC
 *   of the first packet that has one).
 * Generate mode: each record is ctl, seq step, mutation offset, mutation
 *   xor, then payload. A real packet is built from it (RTP: seq advanced by
 *   the step; RTCP: SR + APP carrying the payload), protected with libsrtp
 *   itself under key 0 or 1 (ctl bit 1), then:
 *   ctl bit 0 RTCP; bit 2 fed twice (a replay); bit 3 one byte flipped;
 *   bits 4-5 truncated by 0, 1, 4 or 9 bytes; bit 6 also through raw mode.
 *
 * Invariants (abort() on violation): outlen <= n and 0 unless OK; each
 * verdict moves exactly its counter by one and stats never go back; the
 * chosen key, once set, stays; in generate mode a packet that is neither
 * mutated, truncated nor replayed, sent with a key the stream may use and
 * a ROC within max_roc (RTP: within 2^15 of the highest index that
 * decrypted, RFC 3711 3.3.1), decrypts to exactly what was protected. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <srtp2/crypto_types.h>
#include <srtp2/srtp.h>

#include "media/rtp.h"
#include "media/srtp.h"

#define SSRC_GEN 0xcafebabeu
#define MAX_PKT 2048
#define MAX_PAYLOAD 1024

static const enum sift_srtp_suite suites[8] = {
	SIFT_SUITE_AES_CM_128_HMAC_SHA1_80, SIFT_SUITE_AES_CM_128_HMAC_SHA1_32,
	SIFT_SUITE_AES_192_CM_HMAC_SHA1_80, SIFT_SUITE_AES_192_CM_HMAC_SHA1_32,
	SIFT_SUITE_AES_256_CM_HMAC_SHA1_80, SIFT_SUITE_AES_256_CM_HMAC_SHA1_32,
	SIFT_SUITE_AEAD_AES_128_GCM, SIFT_SUITE_AEAD_AES_256_GCM,
};

static const size_t suite_ks[8] = { 30, 30, 38, 38, 46, 46, 28, 44 };

struct side {
	struct sift_srtp_stream *st;
	struct sift_srtp_stats last;
	int key;
	/* RTP: the highest index that decrypted. RFC 3711 3.3.1: a receiver
	 * guesses an index right only within 2^15 of it (the two senders
	 * take turns: one may come back from far away). */
	bool have_ok;
	uint64_t ok_index;
};

struct fz {
	struct sift_srtp_key cands[2];
	uint32_t max_roc;
	bool mki, unauth, gcm_flags;
	struct side rtp, rtcp;
	srtp_t tx[2];           /* senders; with MKI one session in tx[0] */
	uint16_t seq;
	bool started;
	uint32_t roc;           /* the sender's ROC now */
};

static void check_side(struct side *sd, enum sift_srtp_verdict v, size_t n,
		       size_t outlen)
{
	const struct sift_srtp_stats *now = sift_srtp_stream_stats(sd->st);
	struct sift_srtp_stats want = sd->last;
	int key = sift_srtp_stream_key(sd->st);

	if (outlen > n || (v != SIFT_SRTP_OK && outlen != 0))
		abort();
	if (v == SIFT_SRTP_OK)
		want.decrypted++;
	else if (v == SIFT_SRTP_AUTH_FAIL)
		want.auth_failures++;
	else if (v == SIFT_SRTP_REPLAY)
		want.replay_drops++;
	if (now->decrypted != want.decrypted ||
	    now->auth_failures != want.auth_failures ||
	    now->replay_drops != want.replay_drops)
		abort();
	if (key < -1 || key > 1 || (sd->key != -1 && key != sd->key))
		abort();
	if (v == SIFT_SRTP_OK && key == -1)
		abort();
	sd->key = key;
	sd->last = *now;
}

static enum sift_srtp_verdict feed(struct fz *f, struct side *sd,
				   const uint8_t *p, size_t n,
				   uint8_t *out, size_t *outlen)
{
	enum sift_srtp_verdict v;

	*outlen = 0;
	v = sift_srtp_unprotect(sd->st, f->cands, 2, f->max_roc, p, n, out, outlen);
	check_side(sd, v, n, *outlen);
	return v;
}

static void parse_checks(const uint8_t *p, size_t n)
{
	struct sift_rtp_hdr h;
	uint32_t ssrc;

	for (int srtp = 0; srtp < 2; srtp++) {
		if (sift_rtp_parse(p, n, srtp, &h) == SIFT_OK &&
		    (h.hdr_len < 12 || h.hdr_len + h.payload_len + h.pad_len != n ||
		     (srtp && h.pad_len)))
			abort();
	}
	for (int srtcp = 0; srtcp < 2; srtcp++)
		if (sift_rtcp_looks(p, n, srtcp, &ssrc) && n < 8)
			abort();
	{
		struct sift_rtcp_info ri;
		enum sift_rc rc = sift_rtcp_parse(p, n, &ri);

		/* Every block read came from 24 bytes inside the packet; a
		 * compound that looks like RTCP is read as RTCP. */
		if (ri.nblocks > SIFT_RTCP_MAX_BLOCKS ||
		    (size_t)ri.nblocks * 24 > n ||
		    (rc == SIFT_EINVAL && (ri.nblocks || ri.sr)) ||
		    (sift_rtcp_looks(p, n, false, NULL) && rc == SIFT_EINVAL))
			abort();
	}
}

static void raw_packet(struct fz *f, const uint8_t *p, size_t n)
{
	uint8_t out[65536];
	size_t outlen;

	parse_checks(p, n);
	if (n >= 12) {
		if (!f->rtp.st)
			f->rtp.st = sift_srtp_stream_new(sift_be32(p + 8), false);
		if (!f->rtcp.st)
			f->rtcp.st = sift_srtp_stream_new(sift_be32(p + 4), true);
	}
	if (f->rtp.st)
		feed(f, &f->rtp, p, n, out, &outlen);
	if (f->rtcp.st)
		feed(f, &f->rtcp, p, n, out, &outlen);
}

static void make_cands(struct fz *f, uint8_t h0, uint8_t h1)
{
	unsigned si = h0 & 7;

	memset(f->cands, 0, sizeof(f->cands));
	for (int c = 0; c < 2; c++) {
		struct sift_srtp_key *k = &f->cands[c];

		k->suite = suites[si];
		k->k.len = suite_ks[si];
		for (size_t i = 0; i < k->k.len; i++)
			k->k.keysalt[i] = (uint8_t)(c ? i * 7 + 0x55 : i * 13 + 1);
		k->unencrypted_srtp = (h0 & 0x10) != 0;
		k->unencrypted_srtcp = (h0 & 0x20) != 0;
		k->unauthenticated_srtp = (h0 & 0x40) != 0;
		k->label = f->mki ? 1 : (uint32_t)c + 1;
		if (f->mki) {
			k->k.has_mki = true;
			k->k.mki = (uint32_t)c + 1;
			k->k.mki_len = (uint8_t)(((h1 >> 4) & 3) + 1);
		}
	}
	f->unauth = (h0 & 0x40) != 0;
	f->gcm_flags = si >= 6 && (h0 & 0x70) != 0;
}

static bool sender_crypto(enum sift_srtp_suite s, srtp_policy_t *p)
{
	switch (s) {
	case SIFT_SUITE_AES_CM_128_HMAC_SHA1_80:
		srtp_crypto_policy_set_rtp_default(&p->rtp);
		srtp_crypto_policy_set_rtp_default(&p->rtcp);
		return true;
	case SIFT_SUITE_AES_CM_128_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&p->rtp);
		srtp_crypto_policy_set_rtp_default(&p->rtcp);
		return true;
	case SIFT_SUITE_AES_192_CM_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_192_hmac_sha1_80(&p->rtp);
		srtp_crypto_policy_set_aes_cm_192_hmac_sha1_80(&p->rtcp);
		return true;
	case SIFT_SUITE_AES_192_CM_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_192_hmac_sha1_32(&p->rtp);
		srtp_crypto_policy_set_aes_cm_192_hmac_sha1_80(&p->rtcp);
		return true;
	case SIFT_SUITE_AES_256_CM_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&p->rtp);
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&p->rtcp);
		return true;
	case SIFT_SUITE_AES_256_CM_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_32(&p->rtp);
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&p->rtcp);
		return true;
	case SIFT_SUITE_AEAD_AES_128_GCM:
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&p->rtp);
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&p->rtcp);
		return true;
	case SIFT_SUITE_AEAD_AES_256_GCM:
		srtp_crypto_policy_set_aes_gcm_256_16_auth(&p->rtp);
		srtp_crypto_policy_set_aes_gcm_256_16_auth(&p->rtcp);
		return true;
	default:
		return false;
	}
}

/* The sending side, built with libsrtp directly (not through srtp.c). */
static void make_senders(struct fz *f, uint32_t roc)
{
	srtp_policy_t p;
	srtp_master_key_t mk[2], *mkp[2] = { &mk[0], &mk[1] };
	uint8_t mki[2][4];

	for (int c = 0; c < 2; c++) {
		const struct sift_srtp_key *k = &f->cands[c];

		if (f->mki && c == 1)
			break;
		memset(&p, 0, sizeof(p));
		if (!sender_crypto(k->suite, &p))
			return;
		if (!f->gcm_flags) {
			if (k->unencrypted_srtp)
				p.rtp.sec_serv = sec_serv_auth;
			if (k->unauthenticated_srtp) {
				p.rtp.auth_type = SRTP_NULL_AUTH;
				p.rtp.auth_key_len = 0;
				p.rtp.auth_tag_len = 0;
				p.rtp.sec_serv = k->unencrypted_srtp ? sec_serv_none :
								       sec_serv_conf;
			}
			if (k->unencrypted_srtcp)
				p.rtcp.sec_serv = sec_serv_auth;
		}
		p.ssrc.type = ssrc_specific;
		p.ssrc.value = SSRC_GEN;
		p.window_size = 128;
		if (f->mki) {
			for (int j = 0; j < 2; j++) {
				unsigned len = f->cands[j].k.mki_len;

				memset(mki[j], 0, sizeof(mki[j]));
				mki[j][len - 1] = (uint8_t)f->cands[j].k.mki;
				mk[j].key = f->cands[j].k.keysalt;
				mk[j].mki_id = mki[j];
				mk[j].mki_size = len;
			}
			p.keys = mkp;
			p.num_master_keys = 2;
		} else {
			p.key = f->cands[c].k.keysalt;
		}
		if (srtp_create(&f->tx[c], &p) != srtp_err_status_ok) {
			f->tx[c] = NULL;
			continue;
		}
		if (srtp_set_stream_roc(f->tx[c], SSRC_GEN, roc) != srtp_err_status_ok)
			abort();
	}
}

static size_t build_rtp(uint8_t *b, uint16_t seq, const uint8_t *pl, size_t n)
{
	b[0] = 0x80;
	b[1] = 0x60;
	b[2] = (uint8_t)(seq >> 8);
	b[3] = (uint8_t)seq;
	memset(b + 4, 0, 4);
	b[8] = (uint8_t)(SSRC_GEN >> 24);
	b[9] = (uint8_t)(SSRC_GEN >> 16);
	b[10] = (uint8_t)(SSRC_GEN >> 8);
	b[11] = (uint8_t)SSRC_GEN;
	memcpy(b + 12, pl, n);
	return 12 + n;
}

static size_t build_rtcp(uint8_t *b, const uint8_t *pl, size_t n)
{
	size_t words = n / 4;

	memset(b, 0, 28);
	b[0] = 0x80;
	b[1] = 200;
	b[3] = 6;
	b[4] = (uint8_t)(SSRC_GEN >> 24);
	b[5] = (uint8_t)(SSRC_GEN >> 16);
	b[6] = (uint8_t)(SSRC_GEN >> 8);
	b[7] = (uint8_t)SSRC_GEN;
	/* APP: header, SSRC, name, then the payload's whole words. */
	b[28] = 0x80;
	b[29] = 204;
	b[30] = (uint8_t)((words + 2) >> 8);
	b[31] = (uint8_t)(words + 2);
	memcpy(b + 32, b + 4, 4);
	memcpy(b + 36, "FUZZ", 4);
	memcpy(b + 40, pl, words * 4);
	return 40 + words * 4;
}

static void gen_packet(struct fz *f, const uint8_t *r, size_t rn)
{
	static uint32_t cbuf[(MAX_PKT + SRTP_MAX_TRAILER_LEN) / 4 + 1];
	uint8_t plain[MAX_PKT], out[MAX_PKT + SRTP_MAX_TRAILER_LEN];
	uint8_t *c = (uint8_t *)cbuf;
	const uint8_t *pl;
	size_t pn, plen, cn, outlen;
	uint8_t ctl;
	bool rtcp, mutated, replay;
	unsigned keyi, trunc;
	srtp_t tx;
	struct side *sd;
	int len;
	enum sift_srtp_verdict v;
	static const unsigned truncs[4] = { 0, 1, 4, 9 };

	if (rn < 4)
		return;
	ctl = r[0];
	rtcp = ctl & 1;
	keyi = (ctl >> 1) & 1;
	replay = (ctl & 4) != 0;
	trunc = truncs[(ctl >> 4) & 3];
	pl = r + 4;
	plen = rn - 4 > MAX_PAYLOAD ? MAX_PAYLOAD : rn - 4;
	tx = f->tx[f->mki ? 0 : keyi];
	if (!tx)
		return;

	if (rtcp) {
		pn = build_rtcp(plain, pl, plen);
	} else {
		uint16_t step = r[1] ? r[1] : 1;

		if (f->started && (uint32_t)f->seq + step > 0xffff)
			f->roc++;
		f->seq = f->started ? (uint16_t)(f->seq + step) : (uint16_t)(r[1] << 8);
		pn = build_rtp(plain, f->seq, pl, plen);
	}
	memcpy(c, plain, pn);
	len = (int)pn;
	if (rtcp)
		len = srtp_protect_rtcp_mki(tx, c, &len, f->mki, keyi) ==
		      srtp_err_status_ok ? len : -1;
	else
		len = srtp_protect_mki(tx, c, &len, f->mki, keyi) ==
		      srtp_err_status_ok ? len : -1;
	if (len < 0)
		return;
	if (!rtcp)
		f->started = true;
	cn = (size_t)len;
	mutated = (ctl & 8) != 0;
	if (mutated)
		c[r[2] % cn] ^= (uint8_t)(r[3] | 1);
	if (trunc && cn > trunc)
		cn -= trunc;
	else
		trunc = 0;

	sd = rtcp ? &f->rtcp : &f->rtp;
	{
		int before = sd->key;
		uint64_t index = (uint64_t)f->roc << 16 | f->seq;
		uint64_t dist = !sd->have_ok ? 0 : index > sd->ok_index ?
				index - sd->ok_index : sd->ok_index - index;
		bool expect = !mutated && !trunc && !f->unauth && !f->gcm_flags &&
			      (f->mki || before == -1 || before == (int)keyi) &&
			      (rtcp || before != -1 || f->roc <= f->max_roc) &&
			      (rtcp || dist < 0x8000);

		v = feed(f, sd, c, cn, out, &outlen);
		if (!rtcp && v == SIFT_SRTP_OK &&
		    (!sd->have_ok || index > sd->ok_index)) {
			sd->have_ok = true;
			sd->ok_index = index;
		}
		if (expect && (v != SIFT_SRTP_OK || outlen != pn ||
			       memcmp(out, plain, pn) != 0))
			abort();
	}
	if (replay) {
		v = feed(f, sd, c, cn, out, &outlen);
		if (!mutated && !trunc && !f->unauth && v == SIFT_SRTP_OK)
			abort();
	}
	if (ctl & 0x40)
		raw_packet(f, c, cn);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f;
	bool gen;
	uint32_t roc0;
	size_t off = 2;

	if (size < 2)
		return 0;
	if (sift_srtp_init() != SIFT_OK)
		abort();
	memset(&f, 0, sizeof(f));
	f.rtp.key = f.rtcp.key = -1;
	f.mki = (data[0] & 0x08) != 0;
	f.max_roc = data[1] & 3;
	gen = (data[0] & 0x80) != 0;
	roc0 = (data[1] >> 2) & 3;
	make_cands(&f, data[0], data[1]);
	f.roc = roc0;
	if (gen) {
		/* Both streams of the generated SSRC, before raw feeding
		 * could create them with another. */
		make_senders(&f, roc0);
		f.rtp.st = sift_srtp_stream_new(SSRC_GEN, false);
		f.rtcp.st = sift_srtp_stream_new(SSRC_GEN, true);
		if (!f.rtp.st || !f.rtcp.st)
			abort();
	}

	while (size - off >= 2) {
		size_t n = sift_be16(data + off);
		const uint8_t *p = data + off + 2;

		off += 2;
		if (n > size - off)
			n = size - off;
		if (gen)
			gen_packet(&f, p, n);
		else
			raw_packet(&f, p, n);
		off += n;
	}
	sift_srtp_stream_free(f.rtp.st);
	sift_srtp_stream_free(f.rtcp.st);
	for (int c = 0; c < 2; c++)
		if (f.tx[c])
			srtp_dealloc(f.tx[c]);
	return 0;
}
