/* libFuzzer target for SDP (src/sdp.c) and SDES a=crypto (src/sdes.c).
 *
 * The input is parsed as an SDP body; every a=crypto value it yields goes
 * through sift_sdes_parse, and so does the raw input itself (as an a=crypto
 * value, and NUL-terminated as a --key SPEC), since a value reaches sdes.c
 * from other places than our SDP parser too.
 *
 * Invariants checked (abort() on violation): only the documented return
 * codes; counts within their caps; strings NUL-terminated inside their
 * fields; addresses of family 0, 4 or 6; rtcp-mux puts RTCP on the RTP
 * address; codecs looked up have a name and a clock rate; a parsed key
 * has known suite, 1 to SIFT_SDES_MAX_KEYS keys each exactly as long as
 * the suite's key||salt, MKI lengths 1 to 4, lifetimes at most 2^48, KDR 0;
 * a refused line leaves no key and says why in the room it was given. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip/sdes.h"
#include "sip/sdp.h"

#include "fuzz_check.h"

#define KEY_SPEC_MAX 4096
#define WHY_LEN 64

static void check_str(const char *s, size_t cap)
{
	check(memchr(s, '\0', cap) != NULL);
}

static void check_addr(const struct sift_addr *a)
{
	check(a->family == 0 || a->family == 4 || a->family == 6);
}

static void check_sdes(enum sift_rc rc, const struct sift_sdes *s,
		       const char *why)
{
	check_str(why, WHY_LEN);
	if (rc != SIFT_OK) {
		check(rc == SIFT_EINVAL || rc == SIFT_EUNSUPPORTED ||
		      rc == SIFT_ELIMIT);
		check(s->nkeys == 0);
		check(why[0] != '\0');
		return;
	}
	check(s->suite > SIFT_SUITE_UNKNOWN && s->suite < SIFT_SUITE_COUNT);
	check(sift_suite_name(s->suite) != NULL);
	check(s->nkeys >= 1 && s->nkeys <= SIFT_SDES_MAX_KEYS);
	check(s->tag <= 999999999);
	check(s->kdr == 0);
	for (unsigned i = 0; i < s->nkeys; i++) {
		const struct sift_sdes_key *k = &s->keys[i];

		check(k->len == sift_suite_keysalt_len(s->suite));
		check(k->len > 0 && k->len <= SIFT_SDES_MAX_KEYSALT);
		check(k->lifetime <= (uint64_t)1 << 48);
		if (k->has_mki) {
			check(k->mki_len >= 1 && k->mki_len <= 4);
			check(k->mki_len == 4 || k->mki >> (8 * k->mki_len) == 0);
			check(k->mki_len == s->keys[0].mki_len);
		} else {
			check(k->mki_len == 0 && k->mki == 0);
			check(s->nkeys == 1);
		}
	}
}

static void sdes_value(const char *v, size_t n)
{
	struct sift_sdes s;
	char why[WHY_LEN];
	enum sift_rc rc;

	memset(why, 'x', sizeof(why));
	rc = sift_sdes_parse(v, n, &s, why, sizeof(why));
	check_sdes(rc, &s, why);
}

static void check_media(const struct sift_sdp_media *m)
{
	struct sift_sdp_rtpmap buf;

	check_str(m->type, sizeof(m->type));
	check_str(m->proto, sizeof(m->proto));
	check_addr(&m->rtp);
	check_addr(&m->rtcp);
	check(m->port_count >= 1);
	check(m->dir <= SIFT_SDP_INACTIVE);
	if (m->rtcp_mux)
		check(sift_addr_eq(&m->rtp, &m->rtcp));
	check(m->npts <= SIFT_SDP_MAX_PT);
	check(m->nrtpmap <= SIFT_SDP_MAX_PT);
	check(m->ncrypto <= SIFT_SDP_MAX_CRYPTO);
	for (unsigned i = 0; i < m->npts; i++) {
		const struct sift_sdp_rtpmap *r;

		check(m->pts[i] <= 127);
		r = sift_sdp_codec(m, m->pts[i], &buf);
		if (r) {
			check(r->pt == m->pts[i]);
			check(r->name[0] != '\0');
			check_str(r->name, sizeof(r->name));
			check(r->rate > 0 && r->channels >= 1);
		}
	}
	for (unsigned i = 0; i < m->nrtpmap; i++) {
		const struct sift_sdp_rtpmap *r = &m->rtpmap[i];

		check(r->pt <= 127);
		check_str(r->name, sizeof(r->name));
		check(r->name[0] != '\0');
		check(r->rate > 0 && r->channels >= 1);
		for (unsigned j = 0; j < i; j++)
			check(m->rtpmap[j].pt != r->pt);
		check(sift_sdp_codec(m, r->pt, &buf) == &m->rtpmap[i]);
	}
	for (unsigned i = 0; i < m->ncrypto; i++) {
		check_str(m->crypto[i], SIFT_SDP_CRYPTO_LEN);
		sdes_value(m->crypto[i], strlen(m->crypto[i]));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sift_sdp sdp;
	enum sift_rc rc;

	rc = sift_sdp_parse(data, size, &sdp);
	check(rc == SIFT_OK || rc == SIFT_EINVAL);
	if (rc == SIFT_OK) {
		check(sdp.nmedia >= 1 && sdp.nmedia <= SIFT_SDP_MAX_MEDIA);
		for (unsigned i = 0; i < sdp.nmedia; i++)
			check_media(&sdp.media[i]);
	}

	sdes_value((const char *)data, size);

	if (size < KEY_SPEC_MAX) {
		struct sift_sdes s;
		char spec[KEY_SPEC_MAX];
		char why[WHY_LEN];

		memcpy(spec, data, size);
		spec[size] = '\0';
		memset(why, 'x', sizeof(why));
		rc = sift_sdes_parse_key(spec, &s, why, sizeof(why));
		check_sdes(rc, &s, why);
		if (rc == SIFT_OK)
			check(s.tag == 0);
	}
	return 0;
}
