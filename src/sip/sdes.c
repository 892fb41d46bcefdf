/* sipsift — SDES keys: the a=crypto attribute (RFC 4568 §9.1, SRTP
 * transport §6 and grammar §9.2), with the AES-192/256 suites of RFC 6188
 * and the AEAD GCM suites of RFC 7714 §12.
 *
 * Parsed as (pointer, length) spans; nothing here needs a NUL. Anything we
 * cannot decrypt exactly as the peers did is refused with a reason
 * (EUNSUPPORTED), never guessed: libsrtp2 lacks F8 and KDR != 0
 * (LIBRARIES.md). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/span.h"
#include "sip/sdes.h"

/* Room for a decoded key||salt that is too long: enough to say how long. */
#define KEY_DECODE_MAX 64

static const struct {
	const char *name;
	size_t keysalt;
} suites[SIFT_SUITE_COUNT] = {
	[SIFT_SUITE_UNKNOWN] = { NULL, 0 },
	/* RFC 4568 §6.2.1, §6.2.2: 128-bit key, 112-bit salt. */
	[SIFT_SUITE_AES_CM_128_HMAC_SHA1_80] = { "AES_CM_128_HMAC_SHA1_80", 30 },
	[SIFT_SUITE_AES_CM_128_HMAC_SHA1_32] = { "AES_CM_128_HMAC_SHA1_32", 30 },
	/* RFC 6188 §7.1: 192/256-bit keys, the same 112-bit salt. */
	[SIFT_SUITE_AES_192_CM_HMAC_SHA1_80] = { "AES_192_CM_HMAC_SHA1_80", 38 },
	[SIFT_SUITE_AES_192_CM_HMAC_SHA1_32] = { "AES_192_CM_HMAC_SHA1_32", 38 },
	[SIFT_SUITE_AES_256_CM_HMAC_SHA1_80] = { "AES_256_CM_HMAC_SHA1_80", 46 },
	[SIFT_SUITE_AES_256_CM_HMAC_SHA1_32] = { "AES_256_CM_HMAC_SHA1_32", 46 },
	/* RFC 7714 §12: 96-bit salt. */
	[SIFT_SUITE_AEAD_AES_128_GCM] = { "AEAD_AES_128_GCM", 28 },
	[SIFT_SUITE_AEAD_AES_256_GCM] = { "AEAD_AES_256_GCM", 44 },
};

const char *sift_suite_name(enum sift_srtp_suite s)
{
	if ((unsigned)s >= SIFT_SUITE_COUNT)
		return NULL;
	return suites[s].name;
}

size_t sift_suite_keysalt_len(enum sift_srtp_suite s)
{
	if ((unsigned)s >= SIFT_SUITE_COUNT)
		return 0;
	return suites[s].keysalt;
}

enum sift_srtp_suite sift_suite_by_name(const char *name, size_t len)
{
	struct sift_span s = sift_span_of(name, len);

	if (!name)
		return SIFT_SUITE_UNKNOWN;
	for (unsigned i = 1; i < SIFT_SUITE_COUNT; i++)
		if (sift_span_ieq(s, suites[i].name))
			return (enum sift_srtp_suite)i;
	return SIFT_SUITE_UNKNOWN;
}

/* A copy of a span for a message, cut short and made printable. */
static void quote(struct sift_span s, char *buf, size_t len)
{
	size_t i, n = s.n < len - 1 ? s.n : len - 1;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s.p[i];

		buf[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	buf[i] = '\0';
}

#define QUOTE_LEN 48

static enum sift_rc fail(enum sift_rc rc, char *why, size_t whylen,
			 const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static enum sift_rc fail(enum sift_rc rc, char *why, size_t whylen,
			 const char *fmt, ...)
{
	va_list ap;

	if (why && whylen) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Base64 (RFC 4648 §4, the standard alphabet; RFC 4568 §6.1 key-salt).
 * "=" padding is optional but, when present, only at the end and only so
 * much as makes a multiple of 4. Writes min(decoded, cap) bytes and sets
 * *decoded to the full decoded length. False on anything else. */
static bool b64_decode(struct sift_span s, uint8_t *out, size_t cap,
		       size_t *decoded)
{
	size_t pad = 0, data, nout = 0;
	uint32_t acc = 0;
	unsigned bits = 0;

	while (pad < s.n && pad < 2 && s.p[s.n - 1 - pad] == '=')
		pad++;
	data = s.n - pad;
	if (data == 0 || data % 4 == 1)
		return false;
	if (pad && (data + pad) % 4 != 0)
		return false;
	for (size_t i = 0; i < data; i++) {
		int v = b64_value(s.p[i]);

		if (v < 0)
			return false;
		acc = (acc << 6 | (uint32_t)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (nout < cap)
				out[nout] = (uint8_t)(acc >> bits);
			nout++;
		}
	}
	*decoded = nout;
	return true;
}

/* One SRTP key-param (RFC 4568 §9.2):
 *   "inline:" key-salt ["|" lifetime] ["|" mki-value ":" mki-length] */
static enum sift_rc parse_key_param(struct sift_span kp, enum sift_srtp_suite suite,
				    struct sift_sdes_key *key, char *why,
				    size_t whylen)
{
	struct sift_span method, info, field;
	char q[QUOTE_LEN];
	uint8_t buf[KEY_DECODE_MAX];
	size_t decoded, need = sift_suite_keysalt_len(suite);
	bool more;

	memset(key, 0, sizeof(*key));
	if (!sift_span_split(&kp, ':', &method)) {
		quote(method, q, sizeof(q));
		return fail(SIFT_EINVAL, why, whylen,
			    "key parameter '%s' has no key method", q);
	}
	info = kp;
	/* "inline" is the only key method RFC 4568 §6.1 defines for SRTP. */
	if (!sift_span_ieq(method, "inline")) {
		quote(method, q, sizeof(q));
		return fail(SIFT_EUNSUPPORTED, why, whylen,
			    "key method '%s' not supported", q);
	}
	more = sift_span_split(&info, '|', &field);
	if (!b64_decode(field, buf, sizeof(buf), &decoded)) {
		quote(field, q, sizeof(q));
		return fail(SIFT_EINVAL, why, whylen,
			    "key '%s' is not valid base64", q);
	}
	if (decoded != need)
		return fail(SIFT_EINVAL, why, whylen, "key is %zu bytes, %s needs %zu",
			    decoded, sift_suite_name(suite), need);
	memcpy(key->keysalt, buf, need);
	key->len = need;

	if (!more)
		return SIFT_OK;
	more = sift_span_split(&info, '|', &field);
	/* A field without ':' is the lifetime; with one it is the MKI, which
	 * comes last (§9.2). */
	if (!memchr(field.p, ':', field.n)) {
		struct sift_span exp;
		uint64_t v;

		/* Lifetime: decimal or "2^" n, at most 2^48 SRTP packets
		 * (RFC 3711 §9.2, RFC 4568 §6.1). */
		if (sift_span_iprefix(field, "2^", &exp)) {
			if (!sift_span_u64(exp, 48, &v)) {
				quote(field, q, sizeof(q));
				return fail(SIFT_EINVAL, why, whylen,
					    "lifetime '%s' out of range", q);
			}
			v = (uint64_t)1 << v;
		} else if (!sift_span_u64(field, (uint64_t)1 << 48, &v) || v == 0) {
			quote(field, q, sizeof(q));
			return fail(SIFT_EINVAL, why, whylen,
				    "bad lifetime '%s'", q);
		}
		key->lifetime = v;
		if (!more)
			return SIFT_OK;
		more = sift_span_split(&info, '|', &field);
	}
	if (more) {
		quote(info, q, sizeof(q));
		return fail(SIFT_EINVAL, why, whylen,
			    "unexpected '%s' after the MKI", q);
	}
	{
		struct sift_span val, len = field;
		uint64_t mki, mlen;

		if (!sift_span_split(&len, ':', &val) || !sift_span_u64(val, UINT64_MAX / 2, &mki) ||
		    !sift_span_u64(len, 999, &mlen) || len.n > 3) {
			quote(field, q, sizeof(q));
			return fail(SIFT_EINVAL, why, whylen, "bad MKI '%s'", q);
		}
		/* mki-length is 1..128 bytes (§9.2); we (and libsrtp2 as
		 * configured in srtp.c) handle 1..4. */
		if (mlen < 1 || mlen > 128)
			return fail(SIFT_EINVAL, why, whylen,
				    "MKI length %u out of range 1..128", (unsigned)mlen);
		if (mlen > 4)
			return fail(SIFT_EUNSUPPORTED, why, whylen,
				    "MKI length %u not supported (at most 4)",
				    (unsigned)mlen);
		if (mki >> (8 * mlen) != 0)
			return fail(SIFT_EINVAL, why, whylen,
				    "MKI value %llu does not fit in %u bytes",
				    (unsigned long long)mki, (unsigned)mlen);
		key->has_mki = true;
		key->mki = (uint32_t)mki;
		key->mki_len = (uint8_t)mlen;
	}
	return SIFT_OK;
}

/* One SRTP session parameter (RFC 4568 §6.3, grammar §9.2). */
static enum sift_rc parse_session_param(struct sift_span sp, struct sift_sdes *out,
					char *why, size_t whylen)
{
	struct sift_span val;
	char q[QUOTE_LEN];

	if (sift_span_ieq(sp, "UNENCRYPTED_SRTP")) {
		out->unencrypted_srtp = true;
	} else if (sift_span_ieq(sp, "UNENCRYPTED_SRTCP")) {
		out->unencrypted_srtcp = true;
	} else if (sift_span_ieq(sp, "UNAUTHENTICATED_SRTP")) {
		out->unauthenticated_srtp = true;
	} else if (sift_span_iprefix(sp, "KDR=", &val)) {
		uint64_t kdr;

		/* kdr = "KDR=" 1*2DIGIT, 0..24 (§6.3.1). libsrtp2 derives
		 * session keys once only: any other rate would decrypt
		 * wrongly. */
		if (val.n > 2 || !sift_span_u64(val, 24, &kdr)) {
			quote(sp, q, sizeof(q));
			return fail(SIFT_EINVAL, why, whylen, "bad '%s'", q);
		}
		if (kdr != 0)
			return fail(SIFT_EUNSUPPORTED, why, whylen,
				    "KDR=%u (key derivation rate 2^%u) not supported",
				    (unsigned)kdr, (unsigned)kdr);
		out->kdr = (uint32_t)kdr;
	} else if (sift_span_iprefix(sp, "FEC_ORDER=", &val) ||
		   sift_span_iprefix(sp, "FEC_KEY=", &val)) {
		/* §6.3.4, §6.3.5: about FEC streams, which we do not
		 * decode; noted, not used. */
		out->fec_order_set = true;
	} else if (sift_span_iprefix(sp, "WSH=", &val)) {
		/* §6.3.6: a replay window size hint; the decryptor picks its
		 * own window, so it is read and ignored. */
	} else if (sp.n && sp.p[0] == '-') {
		/* §6.3.7: a parameter prefixed with "-" is optional and MAY
		 * be ignored. */
	} else {
		/* §6.3.7: "If an SDP crypto attribute is received with an
		 * unknown session parameter that is not prefixed with a '-'
		 * character, that crypto attribute MUST be considered
		 * invalid." It may change the transform, so we do not guess. */
		quote(sp, q, sizeof(q));
		return fail(SIFT_EUNSUPPORTED, why, whylen,
			    "unknown session parameter '%s' (RFC 4568 §6.3.7)", q);
	}
	return SIFT_OK;
}

/* key-params *(1*WSP session-param), the suite already known. */
static enum sift_rc parse_keys_and_params(struct sift_span s,
					  enum sift_srtp_suite suite,
					  struct sift_sdes *out, char *why,
					  size_t whylen)
{
	struct sift_span kps, kp, sp;
	enum sift_rc rc = SIFT_OK;

	if (!sift_span_next_word(&s, &kps)) {
		rc = fail(SIFT_EINVAL, why, whylen, "no key parameters");
		goto out;
	}
	/* key-params = key-param *(";" key-param): one per master key. */
	for (;;) {
		bool more = sift_span_split(&kps, ';', &kp);

		if (out->nkeys == SIFT_SDES_MAX_KEYS) {
			/* Past the cap: checked as the others (a line with
			 * a malformed key is no line), then left out. */
			struct sift_sdes_key extra;

			rc = parse_key_param(kp, suite, &extra, why, whylen);
			if (rc != SIFT_OK)
				goto out;
			if (!extra.has_mki || extra.mki_len != out->keys[0].mki_len) {
				rc = fail(SIFT_EINVAL, why, whylen,
					  "key %u has no MKI of the others' length",
					  out->nkeys + out->dropped + 1);
				goto out;
			}
			out->dropped++;
			if (!more)
				break;
			continue;
		}
		rc = parse_key_param(kp, suite, &out->keys[out->nkeys], why, whylen);
		if (rc != SIFT_OK)
			goto out;
		out->nkeys++;
		if (!more)
			break;
	}
	/* RFC 4568 §6.1: with several master keys, each carries an MKI, all of
	 * the same length, so that a packet says which key it used. */
	if (out->nkeys > 1) {
		for (unsigned i = 0; i < out->nkeys; i++) {
			const struct sift_sdes_key *k = &out->keys[i];

			if (!k->has_mki) {
				rc = fail(SIFT_EINVAL, why, whylen,
					  "key %u of %u has no MKI", i + 1, out->nkeys);
				goto out;
			}
			if (k->mki_len != out->keys[0].mki_len) {
				rc = fail(SIFT_EINVAL, why, whylen,
					  "MKI lengths differ (%u and %u)",
					  out->keys[0].mki_len, k->mki_len);
				goto out;
			}
			for (unsigned j = 0; j < i; j++)
				if (out->keys[j].mki == k->mki) {
					rc = fail(SIFT_EINVAL, why, whylen,
						  "MKI %u used twice", (unsigned)k->mki);
					goto out;
				}
		}
	}
	while (sift_span_next_word(&s, &sp)) {
		rc = parse_session_param(sp, out, why, whylen);
		if (rc != SIFT_OK)
			goto out;
	}
out:
	return rc;
}

static enum sift_rc check_suite(struct sift_span name, enum sift_srtp_suite *suite,
				char *why, size_t whylen)
{
	char q[QUOTE_LEN];

	*suite = sift_suite_by_name((const char *)name.p, name.n);
	if (*suite != SIFT_SUITE_UNKNOWN)
		return SIFT_OK;
	/* F8_128_HMAC_SHA1_80 (§6.2.3) and anything newer: libsrtp2 cannot
	 * do them, so they are reported, not tried. */
	quote(name, q, sizeof(q));
	return fail(SIFT_EUNSUPPORTED, why, whylen, "unsupported crypto suite %s", q);
}

enum sift_rc sift_sdes_parse(const char *value, size_t n, struct sift_sdes *out,
			     char *why, size_t whylen)
{
	struct sift_span s = sift_span_of(value, value ? n : 0), tok;
	uint64_t tag;
	char q[QUOTE_LEN];
	enum sift_rc rc;

	memset(out, 0, sizeof(*out));
	if (why && whylen)
		why[0] = '\0';
	s = sift_span_trim_lws(s);
	/* tag = 1*9DIGIT (§9.1) */
	if (!sift_span_next_word(&s, &tok)) {
		rc = fail(SIFT_EINVAL, why, whylen, "empty crypto attribute");
		goto out;
	}
	if (tok.n > 9 || !sift_span_u64(tok, 999999999, &tag)) {
		quote(tok, q, sizeof(q));
		rc = fail(SIFT_EINVAL, why, whylen,
			  "bad tag '%s' (1 to 9 digits)", q);
		goto out;
	}
	out->tag = (unsigned)tag;
	if (!sift_span_next_word(&s, &tok)) {
		rc = fail(SIFT_EINVAL, why, whylen, "no crypto suite");
		goto out;
	}
	rc = check_suite(tok, &out->suite, why, whylen);
	if (rc != SIFT_OK)
		goto out;
	rc = parse_keys_and_params(s, out->suite, out, why, whylen);
out:
	if (rc != SIFT_OK) {
		/* No half-filled result: a failed line yields no key. */
		unsigned tagv = out->tag;

		memset(out, 0, sizeof(*out));
		out->tag = tagv;
	}
	return rc;
}

enum sift_rc sift_sdes_parse_key(const char *suite_and_key, struct sift_sdes *out,
				 char *why, size_t whylen)
{
	struct sift_span s, name;
	enum sift_rc rc;

	memset(out, 0, sizeof(*out));
	if (why && whylen)
		why[0] = '\0';
	if (!suite_and_key) {
		rc = fail(SIFT_EINVAL, why, whylen, "no key given");
		goto out;
	}
	s = sift_span_trim_lws(sift_span_cstr(suite_and_key));
	/* "SUITE:" then key-params and session params as in a=crypto. */
	if (!sift_span_split(&s, ':', &name) || name.n == 0) {
		rc = fail(SIFT_EINVAL, why, whylen,
			  "expected SUITE:inline:KEY");
		goto out;
	}
	rc = check_suite(name, &out->suite, why, whylen);
	if (rc != SIFT_OK)
		goto out;
	rc = parse_keys_and_params(s, out->suite, out, why, whylen);
out:
	if (rc != SIFT_OK)
		memset(out, 0, sizeof(*out));
	return rc;
}
