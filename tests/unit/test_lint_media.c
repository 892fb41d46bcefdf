/* The media model the rules read (SDP bodies per call, payload types per
 * stream, the RTCP round trip) and the media lint rules of issue #16, on
 * calls and packets built here. */
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

#include "lint/lint_media.h"
#include "lint/lint_media_int.h"
#include "media/rtp.h"

static struct sift_addr v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint16_t port)
{
	struct sift_addr x;

	memset(&x, 0, sizeof(x));
	x.family = 4;
	x.ip[0] = a;
	x.ip[1] = b;
	x.ip[2] = c;
	x.ip[3] = d;
	x.port = port;
	return x;
}

static void sdp(struct sift_media *md, struct sift_call *c, const char *body,
		uint64_t frame, sift_time ms)
{
	struct sift_where w = { 0, frame, ms * 1000 };

	sift_media_sdp(md, c, (const uint8_t *)body, strlen(body), &w);
}

static bool feed(struct sift_media *md, struct sift_addr src, struct sift_addr dst,
		 const struct pkt *p, uint64_t frame, sift_time us)
{
	struct sift_where w = { 0, frame, us };
	uint8_t plain[4096];
	size_t plain_len;

	return sift_media_packet(md, &src, &dst, p->b, p->n, &w, plain, &plain_len);
}

static void rtp(struct pkt *p, uint8_t pt, uint16_t seq, uint32_t ts, uint32_t ssrc)
{
	p->n = 0;
	put8(p, 0x80);
	put8(p, pt);
	put16(p, seq);
	put32(p, ts);
	put32(p, ssrc);
	for (int i = 0; i < 160; i++)
		put8(p, 0xd5);
}

static const char offer[] =
	"v=0\r\no=a 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
	"m=audio 4000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n"
	"m=video 4002 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=sendonly\r\n";
static const char answer[] =
	"v=0\r\no=b 1 1 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\n"
	"m=audio 5000 RTP/SAVP 8\r\n"
	"a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n";

/* Media keeps each SDP body of a call: its m= lines with payload types
 * and names, c= address, direction, a=crypto tag and suite. */
static void test_sdp_kept(void **state)
{
	struct sift_media *md = sift_media_new();
	struct sift_call c;
	const struct sift_media_sdp *d;
	size_t n = 99;
	uint64_t dropped = 9;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.call_id = (char *)"kept";
	assert_null(sift_media_call_sdps(md, &c, &n, &dropped));
	assert_int_equal(n, 0);
	sdp(md, &c, offer, 1, 0);
	sdp(md, &c, answer, 3, 100);
	d = sift_media_call_sdps(md, &c, &n, &dropped);
	assert_non_null(d);
	assert_int_equal(n, 2);
	assert_int_equal(dropped, 0);
	assert_int_equal(d[0].where.frame, 1);
	assert_int_equal(d[0].nm, 2);
	assert_string_equal(d[0].m[0].type, "audio");
	assert_int_equal(d[0].m[0].rtp.port, 4000);
	assert_int_equal(d[0].m[0].rtp.ip[3], 1);
	assert_int_equal(d[0].m[0].nfmt, 2);
	assert_int_equal(d[0].m[0].fmt[0].pt, 0);
	assert_string_equal(d[0].m[0].fmt[0].name, "PCMU");
	assert_false(d[0].m[0].fmt[0].mapped);
	assert_string_equal(d[0].m[0].fmt[1].name, "telephone-event");
	assert_true(d[0].m[0].fmt[1].mapped);
	assert_int_equal(d[0].m[1].dir, SIFT_MEDIA_SENDONLY);
	assert_string_equal(sift_media_dir_str(d[0].m[1].dir), "sendonly");
	assert_int_equal(d[0].m[0].dir, SIFT_MEDIA_SENDRECV);
	assert_int_equal(d[1].nm, 1);
	assert_string_equal(d[1].m[0].proto, "RTP/SAVP");
	assert_int_equal(d[1].m[0].ncrypto, 1);
	assert_int_equal(d[1].m[0].crypto[0].tag, 2);
	assert_string_equal(d[1].m[0].crypto[0].suite, "AES_CM_128_HMAC_SHA1_32");
	sift_media_free(md);
	assert_null(c.part[SIFT_PART_MEDIA]);
}

static void rtcp_sr(struct pkt *p, uint32_t ssrc, uint32_t ntp_sec, uint32_t ntp_frac)
{
	p->n = 0;
	put8(p, 0x80);
	put8(p, 200);
	put16(p, 6);
	put32(p, ssrc);
	put32(p, ntp_sec);
	put32(p, ntp_frac);
	put32(p, 0);
	put32(p, 10);
	put32(p, 1600);
}

static void rtcp_rr(struct pkt *p, uint32_t ssrc, uint32_t about, uint32_t lsr,
		    uint32_t dlsr)
{
	p->n = 0;
	put8(p, 0x81);
	put8(p, 201);
	put16(p, 7);
	put32(p, ssrc);
	put32(p, about);
	put32(p, 0);
	put32(p, 100);
	put32(p, 8);
	put32(p, lsr);
	put32(p, dlsr);
}

/* RFC 3550 §6.4.1: the round trip is the report's arrival less the SR's
 * less DLSR, here on the capture's clock: SR at 1.000 s, RR at 1.300 s
 * holding it 0.25 s (16384/65536) gives 50 ms. An LSR the capture never
 * saw, and a sample below -1 ms, give none. */
static void test_rtt(void **state)
{
	struct sift_media *md = sift_media_new();
	struct sift_call c;
	struct pkt p = { .n = 0 };
	struct sift_addr a = v4(10, 0, 0, 1, 4000), b = v4(10, 0, 0, 2, 5000);
	struct sift_addr ar = v4(10, 0, 0, 1, 4001), br = v4(10, 0, 0, 2, 5001);
	const struct sift_stream *const *sv;
	const struct sift_stream *s = NULL;
	struct sift_rtcp_info ri;
	size_t n;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.call_id = (char *)"rtt";
	sdp(md, &c, offer, 1, 0);
	sdp(md, &c, answer, 3, 100);
	rtp(&p, 0, 1, 160, 0xaaaa);
	assert_true(feed(md, a, b, &p, 10, 900000));
	rtcp_sr(&p, 0xaaaa, 0x00012345, 0x67890000);
	assert_int_equal(sift_rtcp_parse(p.b, p.n, &ri), SIFT_OK);
	assert_int_equal(ri.sr_ntp_mid, 0x23456789);
	assert_true(feed(md, ar, br, &p, 11, 1000000));
	rtcp_rr(&p, 0xbbbb, 0xaaaa, 0x23456789, 16384);
	assert_int_equal(sift_rtcp_parse(p.b, p.n, &ri), SIFT_OK);
	assert_int_equal(ri.blocks[0].lsr, 0x23456789);
	assert_int_equal(ri.blocks[0].dlsr, 16384);
	assert_true(feed(md, br, ar, &p, 12, 1300000));
	/* An SR the capture did not see; then one 2 ms "before" its SR. */
	rtcp_rr(&p, 0xbbbb, 0xaaaa, 0x11111111, 16384);
	assert_true(feed(md, br, ar, &p, 13, 1400000));
	rtcp_rr(&p, 0xbbbb, 0xaaaa, 0x23456789, 65536);
	assert_true(feed(md, br, ar, &p, 14, 1998000));
	sv = sift_media_call_streams(md, &c, &n);
	for (size_t i = 0; i < n; i++)
		if (!sv[i]->rtcp && sv[i]->ssrc == 0xaaaa)
			s = sv[i];
	assert_non_null(s);
	assert_int_equal(s->rtt.samples, 1);
	assert_true(s->rtt.last_ms > 49.999 && s->rtt.last_ms < 50.001);
	assert_int_equal(s->rtt.frame.frame, 12);
	assert_int_equal(s->last_frame.frame, 10);
	assert_int_equal(s->npts, 1);
	assert_int_equal(s->pts[0].pt, 0);
	assert_int_equal(s->pts[0].first.frame, 10);
	sift_media_free(md);
}

static void msg(struct sift_msg_rec *m, uint64_t frame, bool req, const char *method,
		int status, uint32_t cseq, struct sift_addr src, struct sift_addr dst)
{
	memset(m, 0, sizeof(*m));
	m->where.frame = frame;
	m->where.ts = (sift_time)frame * 100000;
	m->request = req;
	m->method = (char *)method;
	m->cseq_method = (char *)(req ? method : "INVITE");
	m->status = status;
	m->cseq = cseq;
	m->src = src;
	m->dst = dst;
	m->has_sdp = true;
	m->txn = UINT32_MAX;
}

static unsigned count(const struct sift_findings *fs, const char *rule)
{
	unsigned k = 0;

	for (size_t i = 0; i < sift_findings_count(fs); i++)
		k += strcmp(sift_findings_get(fs, i)->rule, rule) == 0;
	return k;
}

/* An offer forwarded over two hops and answered back over both: each
 * answer pairs with the hop it came back over; the answer with one m=
 * line to an offer of two, a suite and tag the offer lacked, and a codec
 * the offer lacked are findings, each naming offer and answer. */
static void test_offer_answer(void **state)
{
	struct sift_media *md = sift_media_new();
	struct sift_findings *fs = sift_findings_new();
	struct sift_lint_cfg cfg;
	struct sift_call c;
	struct sift_msg_rec m[4];
	struct sift_sdp_pair pairs[8];
	const struct sift_media_sdp *d;
	struct sift_addr ua = v4(10, 0, 0, 1, 5060), px = v4(10, 0, 0, 9, 5060),
			 ub = v4(10, 0, 0, 2, 5060);
	size_t n, np;
	const struct sift_finding *f;

	(void)state;
	sift_lint_cfg_default(&cfg);
	memset(&c, 0, sizeof(c));
	c.call_id = (char *)"oa";
	c.kind = (char *)"invite";
	msg(&m[0], 1, true, "INVITE", 0, 1, ua, px);
	msg(&m[1], 2, true, "INVITE", 0, 1, px, ub);
	msg(&m[2], 3, false, NULL, 200, 1, ub, px);
	msg(&m[3], 4, false, NULL, 200, 1, px, ua);
	c.msgs = m;
	c.nmsgs = 4;
	sdp(md, &c, offer, 1, 100);
	sdp(md, &c, offer, 2, 200);
	sdp(md, &c, answer, 3, 300);
	sdp(md, &c, answer, 4, 400);
	d = sift_media_call_sdps(md, &c, &n, NULL);
	np = sift_lint_sdp_pairs(&c, d, n, pairs, 8);
	assert_int_equal(np, 2);
	assert_int_equal(pairs[0].offer, 1);
	assert_int_equal(pairs[0].answer, 2);
	assert_int_equal(pairs[1].offer, 0);
	assert_int_equal(pairs[1].answer, 3);
	sift_lint_media_sdp(&cfg, md, &c, fs);
	assert_int_equal(count(fs, "sdp-mline-mismatch"), 2);
	assert_int_equal(count(fs, "srtp-suite-not-offered"), 2);
	assert_int_equal(count(fs, "sdp-answer-not-offered"), 2);
	assert_int_equal(count(fs, "sdp-private-address"), 0);
	f = sift_findings_get(fs, 0);
	assert_int_equal(f->nframes, 2);
	assert_int_equal(f->frames[0].frame, 2);
	assert_int_equal(f->frames[1].frame, 3);
	sift_findings_free(fs);
	sift_media_free(md);
}

/* Answers that share a codec with the offer, even with extra formats
 * (RFC 3264 §6.1 allows them), and the same tag and suite: clean. */
static void test_offer_answer_clean(void **state)
{
	static const char off[] =
		"v=0\r\no=a 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
		"m=audio 4000 RTP/SAVP 0 8\r\n"
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n";
	static const char ans[] =
		"v=0\r\no=b 1 1 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\n"
		"m=audio 5000 RTP/SAVP 8 3 101\r\na=rtpmap:101 telephone-event/8000\r\n"
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n";
	struct sift_media *md = sift_media_new();
	struct sift_findings *fs = sift_findings_new();
	struct sift_lint_cfg cfg;
	struct sift_call c;
	struct sift_msg_rec m[2];

	(void)state;
	sift_lint_cfg_default(&cfg);
	memset(&c, 0, sizeof(c));
	c.call_id = (char *)"clean";
	msg(&m[0], 1, true, "INVITE", 0, 1, v4(10, 0, 0, 1, 5060), v4(10, 0, 0, 2, 5060));
	msg(&m[1], 2, false, NULL, 200, 1, v4(10, 0, 0, 2, 5060), v4(10, 0, 0, 1, 5060));
	c.msgs = m;
	c.nmsgs = 2;
	sdp(md, &c, off, 1, 100);
	sdp(md, &c, ans, 2, 200);
	sift_lint_media_sdp(&cfg, md, &c, fs);
	assert_int_equal(sift_findings_count(fs), 0);
	sift_findings_free(fs);
	sift_media_free(md);
}

static void test_scope(void **state)
{
	struct sift_addr a6;

	(void)state;
	assert_int_equal(sift_lint_scope(&(struct sift_addr){ 4, { 10, 1, 2, 3 }, 0 }), SIFT_SCOPE_PRIVATE);
	assert_int_equal(sift_lint_scope(&(struct sift_addr){ 4, { 172, 31, 0, 1 }, 0 }), SIFT_SCOPE_PRIVATE);
	assert_int_equal(sift_lint_scope(&(struct sift_addr){ 4, { 172, 32, 0, 1 }, 0 }), SIFT_SCOPE_PUBLIC);
	assert_int_equal(sift_lint_scope(&(struct sift_addr){ 4, { 192, 168, 0, 1 }, 0 }), SIFT_SCOPE_PRIVATE);
	assert_int_equal(sift_lint_scope(&(struct sift_addr){ 4, { 100, 64, 0, 1 }, 0 }), SIFT_SCOPE_SHARED);
	assert_int_equal(sift_lint_scope(&(struct sift_addr){ 4, { 100, 128, 0, 1 }, 0 }), SIFT_SCOPE_PUBLIC);
	assert_int_equal(sift_lint_scope(&(struct sift_addr){ 4, { 169, 254, 1, 1 }, 0 }), SIFT_SCOPE_LINK_LOCAL);
	assert_int_equal(sift_lint_scope(&(struct sift_addr){ 4, { 127, 0, 0, 11 }, 0 }), SIFT_SCOPE_LOOPBACK);
	assert_int_equal(sift_lint_scope(&(struct sift_addr){ 4, { 0, 0, 0, 0 }, 0 }), SIFT_SCOPE_OTHER);
	assert_int_equal(sift_lint_scope(&(struct sift_addr){ 4, { 203, 0, 113, 1 }, 0 }), SIFT_SCOPE_PUBLIC);
	memset(&a6, 0, sizeof(a6));
	a6.family = 6;
	a6.ip[0] = 0xfd;
	assert_int_equal(sift_lint_scope(&a6), SIFT_SCOPE_PRIVATE);
	a6.ip[0] = 0xfe;
	a6.ip[1] = 0x80;
	assert_int_equal(sift_lint_scope(&a6), SIFT_SCOPE_LINK_LOCAL);
	a6.ip[0] = 0x20;
	a6.ip[1] = 0x01;
	assert_int_equal(sift_lint_scope(&a6), SIFT_SCOPE_PUBLIC);
	memset(a6.ip, 0, 16);
	a6.ip[10] = a6.ip[11] = 0xff;
	a6.ip[12] = 10;
	assert_int_equal(sift_lint_scope(&a6), SIFT_SCOPE_PRIVATE);
}

/* A private c= in a body from a public address is a finding, once per
 * address; from a private address, none. */
static void test_private_address(void **state)
{
	static const char priv[] =
		"v=0\r\no=a 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\n"
		"m=audio 4000 RTP/AVP 0\r\n";
	static const char pub[] =
		"v=0\r\no=b 1 1 IN IP4 198.51.100.7\r\ns=-\r\nc=IN IP4 198.51.100.7\r\nt=0 0\r\n"
		"m=audio 5000 RTP/AVP 0\r\n";
	struct sift_media *md = sift_media_new();
	struct sift_findings *fs = sift_findings_new();
	struct sift_lint_cfg cfg;
	struct sift_call c;
	struct sift_msg_rec m[3];
	struct sift_addr nat = v4(203, 0, 113, 1, 5060), srv = v4(198, 51, 100, 7, 5060);

	(void)state;
	sift_lint_cfg_default(&cfg);
	memset(&c, 0, sizeof(c));
	c.call_id = (char *)"nat";
	msg(&m[0], 1, true, "INVITE", 0, 1, nat, srv);
	msg(&m[1], 2, false, NULL, 200, 1, srv, nat);
	msg(&m[2], 3, true, "INVITE", 0, 2, nat, srv);
	c.msgs = m;
	c.nmsgs = 3;
	sdp(md, &c, priv, 1, 100);
	sdp(md, &c, pub, 2, 200);
	sdp(md, &c, priv, 3, 300);
	sift_lint_media_sdp(&cfg, md, &c, fs);
	assert_int_equal(count(fs, "sdp-private-address"), 1);
	assert_int_equal(sift_findings_get(fs, 0)->frames[0].frame, 1);
	sift_findings_free(fs);
	sift_media_free(md);
}

/* RTP 1.5 s after the BYE its sender sent, and a payload type the
 * receiver's SDP did not list, each name their frames. */
static void test_after_bye_payload(void **state)
{
	static const char o2[] =
		"v=0\r\no=a 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
		"m=audio 4000 RTP/AVP 0\r\n";
	static const char a2[] =
		"v=0\r\no=b 1 1 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\n"
		"m=audio 5000 RTP/AVP 0 8\r\n";
	struct sift_media *md = sift_media_new();
	struct sift_findings *fs = sift_findings_new();
	struct sift_lint_cfg cfg;
	struct sift_call c;
	struct sift_msg_rec m[3];
	struct pkt p = { .n = 0 };
	struct sift_addr a = v4(10, 0, 0, 1, 4000), b = v4(10, 0, 0, 2, 5000);
	const struct sift_finding *f;

	(void)state;
	sift_lint_cfg_default(&cfg);
	memset(&c, 0, sizeof(c));
	c.call_id = (char *)"bye";
	c.kind = (char *)"invite";
	msg(&m[0], 1, true, "INVITE", 0, 1, v4(10, 0, 0, 1, 5060), v4(10, 0, 0, 2, 5060));
	msg(&m[1], 2, false, NULL, 200, 1, v4(10, 0, 0, 2, 5060), v4(10, 0, 0, 1, 5060));
	msg(&m[2], 15, true, "BYE", 0, 2, v4(10, 0, 0, 1, 5060), v4(10, 0, 0, 2, 5060));
	m[2].has_sdp = false;
	m[2].where.ts = 2 * SIFT_USEC;
	c.msgs = m;
	c.nmsgs = 3;
	sdp(md, &c, o2, 1, 0);
	sdp(md, &c, a2, 2, 100);
	for (uint16_t i = 0; i < 10; i++) {
		rtp(&p, i < 5 ? 0 : 8, i, i * 160u, 0x1234);
		assert_true(feed(md, a, b, &p, 10 + i, (sift_time)i * 400000));
		rtp(&p, i < 5 ? 0 : 8, i, i * 160u, 0x5678);
		assert_true(feed(md, b, a, &p, 40 + i, (sift_time)i * 20000));
	}
	sift_lint_media_rtp(&cfg, md, &c, fs);
	assert_int_equal(count(fs, "rtp-after-bye"), 1);
	assert_int_equal(count(fs, "rtp-payload-not-negotiated"), 1);
	for (size_t i = 0; i < sift_findings_count(fs); i++) {
		f = sift_findings_get(fs, i);
		if (strcmp(f->rule, "rtp-after-bye") == 0) {
			assert_int_equal(f->frames[0].frame, 15);
			assert_int_equal(f->frames[1].frame, 19);
		} else {
			/* PT 8 to the caller, who offered only PCMU. */
			assert_int_equal(f->frames[0].frame, 45);
			assert_int_equal(f->frames[1].frame, 1);
		}
	}
	sift_findings_free(fs);
	sift_media_free(md);
}

static struct sift_dtmf_event ev(const char *digit, enum sift_dtmf_source src,
				 uint64_t frame, sift_time ms)
{
	struct sift_dtmf_event e;

	memset(&e, 0, sizeof(e));
	snprintf(e.digit, sizeof(e.digit), "%s", digit);
	e.source = src;
	e.where.frame = frame;
	e.where.ts = ms * 1000;
	e.duration_ms = 200;
	return e;
}

/* The same digit as RFC 4733 and SIP INFO within a second is one key
 * press sent twice; another digit, or the same one 5 s later, is not. */
static void test_dtmf_double(void **state)
{
	struct sift_findings *fs = sift_findings_new();
	struct sift_lint_cfg cfg;
	struct sift_call c;
	struct sift_dtmf_event e[5];
	const struct sift_finding *f;

	(void)state;
	sift_lint_cfg_default(&cfg);
	memset(&c, 0, sizeof(c));
	c.call_id = (char *)"dtmf";
	e[0] = ev("5", SIFT_DTMF_RFC4733, 5, 1000);
	e[1] = ev("5", SIFT_DTMF_SIP_INFO, 6, 1004);
	e[2] = ev("7", SIFT_DTMF_RFC4733, 9, 2000);
	e[3] = ev("8", SIFT_DTMF_SIP_INFO, 10, 2001);
	e[4] = ev("5", SIFT_DTMF_SIP_INFO, 30, 7000);
	sift_lint_media_dtmf(&cfg, &c, e, 5, fs);
	assert_int_equal(sift_findings_count(fs), 1);
	f = sift_findings_get(fs, 0);
	assert_string_equal(f->rule, "dtmf-double");
	assert_int_equal(f->nframes, 2);
	assert_int_equal(f->frames[0].frame, 5);
	assert_int_equal(f->frames[1].frame, 6);
	assert_non_null(strstr(f->message, "1 key press (5)"));
	sift_findings_free(fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sdp_kept),
		cmocka_unit_test(test_rtt),
		cmocka_unit_test(test_offer_answer),
		cmocka_unit_test(test_offer_answer_clean),
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_private_address),
		cmocka_unit_test(test_after_bye_payload),
		cmocka_unit_test(test_dtmf_double),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
