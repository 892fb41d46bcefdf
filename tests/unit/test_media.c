/* Unit tests for the media stage (src/media.c): RTP found without SDP,
 * SSRC changes, and RTCP reports put beside the stream they are about. */
#include "media/rtpstat.h"
#include "media/srtp.h"
#include "testutil.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "sipsift/finding.h"
#include "lint/lint.h"
#include "lint/lint_media.h"
#include "sipsift/media.h"
#include "sip/sdes.h"
#include "sip/sdp.h"

#include <srtp2/srtp.h>

static struct sift_addr v4(uint8_t last, uint16_t port)
{
	struct sift_addr a = { .family = 4, .ip = { 192, 0, 2, last }, .port = port };

	return a;
}

static void rtp(struct pkt *p, uint8_t pt, uint16_t seq, uint32_t ts,
		uint32_t ssrc)
{
	p->n = 0;
	put8(p, 0x80);
	put8(p, pt);
	put16(p, seq);
	put32(p, ts);
	put32(p, ssrc);
	for (int i = 0; i < 160; i++)
		put8(p, 0xff);
}

/* Feeds one packet at time t ms; returns what sift_media_packet says. */
static bool feed(struct sift_media *md, const struct sift_addr *src,
		 const struct sift_addr *dst, const struct pkt *p, uint64_t frame,
		 int64_t t_ms)
{
	struct sift_where w = { 0, frame, 1700000000 * SIFT_USEC + t_ms * 1000 };
	uint8_t plain[4096];
	size_t plain_len;

	return sift_media_packet(md, src, dst, p->b, p->n, &w, plain, &plain_len);
}

static const struct sift_stream *only_stream(const struct sift_media *md)
{
	assert_int_equal(sift_media_count(md), 1);
	return sift_media_get(md, 0);
}

static void test_heuristic_confirms_after_five(void **state)
{
	struct sift_media *md = sift_media_new();
	struct sift_addr a = v4(1, 40000), b = v4(2, 50000);
	struct sift_lint_cfg cfg;
	struct sift_findings *fs = sift_findings_new();
	struct pkt p;
	const struct sift_stream *s;

	(void)state;
	assert_non_null(md);
	for (int i = 0; i < SIFT_MEDIA_HEUR_CONFIRM - 1; i++) {
		rtp(&p, 0, (uint16_t)(65534 + i), 160u * (unsigned)i, 0xabcdef01);
		assert_false(feed(md, &a, &b, &p, (uint64_t)i + 1, 20 * i));
	}
	assert_int_equal(sift_media_count(md), 0);
	rtp(&p, 0, (uint16_t)(65534 + SIFT_MEDIA_HEUR_CONFIRM - 1),
	    160u * (SIFT_MEDIA_HEUR_CONFIRM - 1), 0xabcdef01);
	assert_true(feed(md, &a, &b, &p, SIFT_MEDIA_HEUR_CONFIRM, 80));
	s = only_stream(md);
	/* The packets that made it sure count, from the first frame on,
	 * across the sequence wrap. */
	assert_true(s->heuristic);
	assert_null(s->call_id);
	assert_int_equal(s->packets, SIFT_MEDIA_HEUR_CONFIRM);
	assert_int_equal(s->first_frame.frame, 1);
	assert_int_equal(sift_rtpstat_expected(&s->rs), SIFT_MEDIA_HEUR_CONFIRM);
	assert_int_equal(sift_rtpstat_lost(&s->rs), 0);
	assert_string_equal(s->codec, "PCMU/8000");
	/* Later packets go straight to the stream. */
	rtp(&p, 0, 4, 800, 0xabcdef01);
	assert_true(feed(md, &a, &b, &p, 6, 100));
	assert_int_equal(only_stream(md)->packets, SIFT_MEDIA_HEUR_CONFIRM + 1);
	sift_lint_cfg_default(&cfg);
	sift_media_finish(md);
	assert_int_equal(sift_findings_count(fs), 0);
	sift_lint_media_stream(&cfg, only_stream(md), fs);
	assert_int_equal(sift_findings_count(fs), 1);
	assert_string_equal(sift_findings_get(fs, 0)->rule, "rtp-no-signalling");
	sift_findings_free(fs);
	sift_media_free(md);
}

static void test_heuristic_rejects(void **state)
{
	struct sift_media *md = sift_media_new();
	struct sift_addr a = v4(1, 40000), b = v4(2, 50000), dns = v4(3, 53);
	struct pkt p;

	(void)state;
	/* Sequence numbers all over the place: never RTP. */
	for (int i = 0; i < 20; i++) {
		rtp(&p, 0, (uint16_t)(i * 7919), 160u * (unsigned)i, 0x1);
		assert_false(feed(md, &a, &b, &p, (uint64_t)i + 1, 20 * i));
	}
	/* A privileged port, an unassigned payload type, a changing SSRC. */
	for (int i = 0; i < 10; i++) {
		rtp(&p, 0, (uint16_t)i, 160u * (unsigned)i, 0x2);
		assert_false(feed(md, &dns, &b, &p, (uint64_t)i + 1, 20 * i));
		rtp(&p, 50, (uint16_t)i, 160u * (unsigned)i, 0x3);
		assert_false(feed(md, &a, &b, &p, (uint64_t)i + 1, 20 * i));
		rtp(&p, 8, (uint16_t)i, 160u * (unsigned)i, (uint32_t)(0x100 + i));
		assert_false(feed(md, &a, &b, &p, (uint64_t)i + 1, 20 * i));
	}
	/* The same sequence number over and over. */
	for (int i = 0; i < 10; i++) {
		rtp(&p, 0, 7, 160, 0x4);
		assert_false(feed(md, &a, &b, &p, (uint64_t)i + 1, 20 * i));
	}
	assert_int_equal(sift_media_count(md), 0);
	sift_media_free(md);
}

static void test_heuristic_off(void **state)
{
	struct sift_media *md = sift_media_new();
	struct sift_addr a = v4(1, 40000), b = v4(2, 50000);
	struct pkt p;

	(void)state;
	sift_media_set_heuristic(md, false);
	for (int i = 0; i < 20; i++) {
		rtp(&p, 0, (uint16_t)i, 160u * (unsigned)i, 0x5);
		assert_false(feed(md, &a, &b, &p, (uint64_t)i + 1, 20 * i));
	}
	assert_int_equal(sift_media_count(md), 0);
	sift_media_free(md);
}

/* An SDP call: the callee receives at 192.0.2.2:50000 (RTCP 50001). */
static void sdp(struct sift_media *md, struct sift_call *call)
{
	static const char body[] =
		"v=0\r\no=- 1 1 IN IP4 192.0.2.2\r\ns=-\r\nc=IN IP4 192.0.2.2\r\n"
		"t=0 0\r\nm=audio 50000 RTP/AVP 0\r\n";
	struct sift_where w = { 0, 1, 1700000000 * SIFT_USEC };
	struct sift_lint_cfg cfg;
	struct sift_findings *fs = sift_findings_new();

	sift_lint_cfg_default(&cfg);
	sift_media_sdp(md, call, (const uint8_t *)body, sizeof(body) - 1, &w);
	sift_findings_free(fs);
}

static void test_ssrc_change_and_rtcp(void **state)
{
	struct sift_media *md = sift_media_new();
	struct sift_addr a = v4(1, 40000), b = v4(2, 50000);
	struct sift_addr brtcp = v4(2, 50001), artcp = v4(1, 40001);
	const struct sift_stream *s1, *s2, *r;
	struct sift_call call = { .call_id = (char *)"call-1" };
	struct pkt p;

	(void)state;
	sdp(md, &call);
	rtp(&p, 0, 100, 1000, 0xaaaa);
	assert_true(feed(md, &a, &b, &p, 2, 0));
	rtp(&p, 0, 9000, 5000, 0xbbbb);   /* the sender restarts */
	assert_true(feed(md, &a, &b, &p, 3, 20));
	assert_int_equal(sift_media_count(md), 2);
	s1 = sift_media_get(md, 0);
	s2 = sift_media_get(md, 1);
	assert_int_equal(s1->follows, 0);
	assert_int_equal(s2->follows, s1->id);
	assert_false(s2->heuristic);
	assert_string_equal(s2->call_id, "call-1");
	/* The callee's RR about 0xbbbb: 3 lost, jitter 80 units = 10 ms. */
	p.n = 0;
	put8(&p, 0x81);
	put8(&p, 201);
	put16(&p, 7);
	put32(&p, 0xcccc);
	put32(&p, 0xbbbb);
	put32(&p, 0x10000003);   /* fraction 16/256, 3 lost */
	put32(&p, 9001);
	put32(&p, 80);
	put32(&p, 0);
	put32(&p, 0);
	assert_true(feed(md, &brtcp, &artcp, &p, 4, 40));
	r = sift_media_get(md, 2);
	assert_true(r->rtcp);
	assert_int_equal(r->rtcp_bad, 0);
	assert_int_equal(s2->peer.reports, 1);
	assert_int_equal(s2->peer.lost, 3);
	assert_int_equal(s2->peer.fraction, 16);
	assert_true(s2->peer.jitter_known);
	assert_true(s2->peer.jitter_ms_max > 9.99 && s2->peer.jitter_ms_max < 10.01);
	assert_int_equal(s1->peer.reports, 0);
	/* A compound whose length lies counts as malformed. */
	p.b[3] = 9;
	feed(md, &brtcp, &artcp, &p, 5, 60);
	assert_int_equal(r->rtcp_bad, 1);
	sift_media_free(md);
}

static void test_call_streams_and_cn(void **state)
{
	static const char body[] =
		"v=0\r\no=- 1 1 IN IP4 192.0.2.2\r\ns=-\r\nc=IN IP4 192.0.2.2\r\n"
		"t=0 0\r\nm=audio 50000 RTP/AVP 9 118\r\n"
		"a=rtpmap:118 CN/16000\r\n";
	struct sift_media *md = sift_media_new();
	struct sift_addr a = v4(1, 40000), b = v4(2, 50000), c = v4(3, 40000);
	struct sift_where w = { 0, 1, 1700000000 * SIFT_USEC };
	struct sift_lint_cfg cfg;
	struct sift_findings *fs = sift_findings_new();
	const struct sift_stream *const *sv;
	struct sift_call call = { .call_id = (char *)"call-2" };
	struct sift_call other = { .call_id = (char *)"no-such-call" };
	struct pkt p;
	size_t n;

	(void)state;
	sift_lint_cfg_default(&cfg);
	sift_media_sdp(md, &call, (const uint8_t *)body, sizeof(body) - 1, &w);
	rtp(&p, 9, 1, 160, 0x10);
	assert_true(feed(md, &a, &b, &p, 2, 0));
	/* CN on the dynamic type the SDP maps, and on the static 13. */
	rtp(&p, 118, 2, 320, 0x10);
	assert_true(feed(md, &a, &b, &p, 3, 20));
	rtp(&p, 13, 3, 480, 0x10);
	assert_true(feed(md, &a, &b, &p, 4, 40));
	rtp(&p, 9, 1, 160, 0x20);
	assert_true(feed(md, &c, &b, &p, 5, 60));
	sv = sift_media_call_streams(md, &call, &n);
	assert_int_equal(n, 2);
	assert_int_equal(sv[0]->ssrc, 0x10);
	assert_int_equal(sv[0]->comfort_noise, 2);
	assert_int_equal(sv[1]->ssrc, 0x20);
	assert_null(sift_media_call_streams(md, &other, &n));
	assert_int_equal(n, 0);
	sift_findings_free(fs);
	sift_media_free(md);
}

/* A stream that starts with comfort noise and events (WebRTC, a
 * gateway's first DTMF) is named after its audio when it comes, and its
 * jitter is measured on the audio (issue #11). */
static void test_codec_is_the_audio(void **state)
{
	static const char body[] =
		"v=0\r\no=- 1 1 IN IP4 192.0.2.2\r\ns=-\r\nc=IN IP4 192.0.2.2\r\n"
		"t=0 0\r\nm=audio 50000 RTP/AVP 8 13 101\r\n"
		"a=rtpmap:101 telephone-event/8000\r\n";
	struct sift_media *md = sift_media_new();
	struct sift_addr a = v4(1, 40000), b = v4(2, 50000);
	struct sift_where w = { 0, 1, 1700000000 * SIFT_USEC };
	struct sift_call call = { .call_id = (char *)"call-cn" };
	const struct sift_stream *s;
	struct pkt p;

	(void)state;
	sift_media_sdp(md, &call, (const uint8_t *)body, sizeof(body) - 1, &w);
	rtp(&p, 13, 1, 160, 0x30);
	assert_true(feed(md, &a, &b, &p, 2, 0));
	s = only_stream(md);
	assert_string_equal(s->codec, "CN/8000");
	rtp(&p, 101, 2, 320, 0x30);
	assert_true(feed(md, &a, &b, &p, 3, 20));
	assert_string_equal(s->codec, "CN/8000");
	for (int i = 0; i < 5; i++) {
		rtp(&p, 8, (uint16_t)(3 + i), (uint32_t)(480 + 160 * i), 0x30);
		assert_true(feed(md, &a, &b, &p, (uint64_t)(4 + i), 40 + 20 * i));
	}
	assert_string_equal(s->codec, "PCMA/8000");
	assert_int_equal(s->pt, 8);
	assert_int_equal(s->rs.pt, 8);
	/* Events and noise later leave the name alone. */
	rtp(&p, 13, 8, 1280, 0x30);
	assert_true(feed(md, &a, &b, &p, 9, 140));
	rtp(&p, 101, 9, 1440, 0x30);
	assert_true(feed(md, &a, &b, &p, 10, 160));
	assert_string_equal(s->codec, "PCMA/8000");
	assert_int_equal(s->comfort_noise, 2);
	sift_media_free(md);
}

/* The codec each packet reaches the sink with (media.c keeps the last
 * one per stream): names of the last few. */
struct codecs {
	char name[4][32];
	bool event[4];
	unsigned n;
};

static void codec_sink(void *ctx, const struct sift_media_payload *mp)
{
	struct codecs *k = ctx;

	if (k->n < 4) {
		k->event[k->n] = mp->event;
		snprintf(k->name[k->n++], sizeof(k->name[0]), "%s",
			 mp->codec ? mp->codec->name : "-");
	}
}

/* A re-INVITE that maps a dynamic payload type anew on the same address:
 * the next packet of the same stream reaches the sink with the new
 * codec, not the one the stream had; a type no SDP maps has none. */
static void test_sink_codec_follows_sdp(void **state)
{
	static const char first[] =
		"v=0\r\no=- 1 1 IN IP4 192.0.2.2\r\ns=-\r\nc=IN IP4 192.0.2.2\r\n"
		"t=0 0\r\nm=audio 50000 RTP/AVP 0 101\r\n"
		"a=rtpmap:101 telephone-event/8000\r\n";
	static const char again[] =
		"v=0\r\no=- 1 2 IN IP4 192.0.2.2\r\ns=-\r\nc=IN IP4 192.0.2.2\r\n"
		"t=0 0\r\nm=audio 50000 RTP/AVP 0 101\r\n"
		"a=rtpmap:101 opus/48000/2\r\n";
	struct sift_media *md = sift_media_new();
	struct sift_addr a = v4(1, 40000), b = v4(2, 50000);
	struct sift_where w = { 0, 1, 1700000000 * SIFT_USEC };
	struct sift_call call = { .call_id = (char *)"call-remap" };
	struct codecs k = { .n = 0 };
	struct pkt p;

	(void)state;
	sift_media_set_sink(md, codec_sink, &k);
	sift_media_sdp(md, &call, (const uint8_t *)first, sizeof(first) - 1, &w);
	rtp(&p, 101, 1, 160, 0x40);
	assert_true(feed(md, &a, &b, &p, 2, 0));
	assert_true(feed(md, &a, &b, &p, 3, 20));
	w.frame = 4;
	sift_media_sdp(md, &call, (const uint8_t *)again, sizeof(again) - 1, &w);
	rtp(&p, 101, 2, 320, 0x40);
	assert_true(feed(md, &a, &b, &p, 5, 40));
	rtp(&p, 99, 3, 480, 0x40);
	assert_true(feed(md, &a, &b, &p, 6, 60));
	assert_int_equal(sift_media_count(md), 1);
	assert_int_equal(k.n, 4);
	assert_string_equal(k.name[0], "telephone-event");
	assert_string_equal(k.name[1], "telephone-event");
	assert_string_equal(k.name[2], "opus");
	assert_string_equal(k.name[3], "-");
	/* The payload says which are events, so that no sink looks again. */
	assert_true(k.event[0] && k.event[1]);
	assert_false(k.event[2] || k.event[3]);
	sift_media_free(md);
}

/* The same packets with sift_media_sink_events_only: the sink sees the
 * two events, and neither the remapped opus nor the unmapped type; the
 * stream counts all four. */
static void test_sink_events_only(void **state)
{
	static const char first[] =
		"v=0\r\no=- 1 1 IN IP4 192.0.2.2\r\ns=-\r\nc=IN IP4 192.0.2.2\r\n"
		"t=0 0\r\nm=audio 50000 RTP/AVP 8 101\r\n"
		"a=rtpmap:101 TELEPHONE-EVENT/8000\r\n";
	static const char again[] =
		"v=0\r\no=- 1 2 IN IP4 192.0.2.2\r\ns=-\r\nc=IN IP4 192.0.2.2\r\n"
		"t=0 0\r\nm=audio 50000 RTP/AVP 8 101\r\n"
		"a=rtpmap:101 opus/48000/2\r\n";
	struct sift_media *md = sift_media_new();
	struct sift_addr a = v4(1, 40000), b = v4(2, 50000);
	struct sift_where w = { 0, 1, 1700000000 * SIFT_USEC };
	struct sift_call call = { .call_id = (char *)"call-events" };
	struct codecs k = { .n = 0 };
	struct pkt p;

	(void)state;
	sift_media_set_sink(md, codec_sink, &k);
	sift_media_sink_events_only(md, true);
	sift_media_sdp(md, &call, (const uint8_t *)first, sizeof(first) - 1, &w);
	rtp(&p, 8, 1, 160, 0x40);
	assert_true(feed(md, &a, &b, &p, 2, 0));
	rtp(&p, 101, 2, 320, 0x40);
	assert_true(feed(md, &a, &b, &p, 3, 20));
	assert_true(feed(md, &a, &b, &p, 4, 40));
	w.frame = 5;
	sift_media_sdp(md, &call, (const uint8_t *)again, sizeof(again) - 1, &w);
	rtp(&p, 101, 3, 480, 0x40);
	assert_true(feed(md, &a, &b, &p, 6, 60));
	rtp(&p, 99, 4, 640, 0x40);
	assert_true(feed(md, &a, &b, &p, 7, 80));
	assert_int_equal(k.n, 2);
	assert_string_equal(k.name[0], "TELEPHONE-EVENT");
	assert_string_equal(k.name[1], "TELEPHONE-EVENT");
	assert_true(k.event[0] && k.event[1]);
	assert_int_equal(sift_media_count(md), 1);
	assert_int_equal(sift_media_get(md, 0)->packets, 5);
	/* Off again: every packet. */
	sift_media_sink_events_only(md, false);
	rtp(&p, 8, 5, 800, 0x40);
	assert_true(feed(md, &a, &b, &p, 8, 100));
	assert_int_equal(k.n, 3);
	assert_string_equal(k.name[2], "PCMA");
	assert_false(k.event[2]);
	sift_media_free(md);
}

struct done_log {
	uint32_t ssrc[8];
	unsigned n;
};

static void on_done(void *ctx, struct sift_stream *s)
{
	struct done_log *l = ctx;

	if (l->n < 8)
		l->ssrc[l->n++] = s->ssrc;
}

/* Two calls, each owning its endpoint and streams: releasing one frees
 * what it owns (its streams go to the done function once), and leaves the
 * other's streams, order and lookups alone. */
static void test_release_frees_what_the_call_owns(void **state)
{
	static const char body1[] =
		"v=0\r\no=- 1 1 IN IP4 192.0.2.2\r\ns=-\r\nc=IN IP4 192.0.2.2\r\n"
		"t=0 0\r\nm=audio 50000 RTP/AVP 0\r\na=rtcp-mux\r\n";
	static const char body2[] =
		"v=0\r\no=- 1 1 IN IP4 192.0.2.4\r\ns=-\r\nc=IN IP4 192.0.2.4\r\n"
		"t=0 0\r\nm=audio 52000 RTP/AVP 0\r\na=rtcp-mux\r\n";
	struct sift_media *md = sift_media_new();
	struct sift_addr a = v4(1, 40000), b = v4(2, 50000);
	struct sift_addr c = v4(3, 42000), d = v4(4, 52000);
	struct sift_where w = { 0, 1, 1700000000 * SIFT_USEC };
	struct sift_lint_cfg cfg;
	struct sift_findings *fs = sift_findings_new();
	struct sift_call one = { .call_id = (char *)"one" };
	struct sift_call two = { .call_id = (char *)"two" };
	struct done_log log = { { 0 }, 0 };
	const struct sift_stream *const *sv;
	struct pkt p;
	size_t n;

	(void)state;
	sift_lint_cfg_default(&cfg);
	sift_media_set_heuristic(md, false);
	sift_media_set_done(md, on_done, &log);
	sift_media_sdp(md, &one, (const uint8_t *)body1, sizeof(body1) - 1, &w);
	sift_media_sdp(md, &two, (const uint8_t *)body2, sizeof(body2) - 1, &w);
	assert_non_null(one.part[SIFT_PART_MEDIA]);
	rtp(&p, 0, 1, 160, 0x11);
	assert_true(feed(md, &a, &b, &p, 2, 0));
	rtp(&p, 0, 1, 160, 0x21);
	assert_true(feed(md, &c, &d, &p, 3, 10));
	rtp(&p, 0, 1, 160, 0x12);
	assert_true(feed(md, &a, &b, &p, 4, 20));
	assert_int_equal(sift_media_count(md), 3);
	sift_media_release(md, &one);
	assert_null(one.part[SIFT_PART_MEDIA]);
	assert_int_equal(log.n, 2);
	assert_int_equal(log.ssrc[0], 0x11);
	assert_int_equal(log.ssrc[1], 0x12);
	assert_int_equal(sift_media_count(md), 1);
	assert_int_equal(sift_media_get(md, 0)->ssrc, 0x21);
	assert_int_equal(sift_media_rtp_streams(md), 3);
	sv = sift_media_call_streams(md, &two, &n);
	assert_int_equal(n, 1);
	assert_int_equal(sv[0]->ssrc, 0x21);
	/* Its endpoint went with it: its media is nobody's now. */
	rtp(&p, 0, 2, 320, 0x11);
	assert_false(feed(md, &a, &b, &p, 5, 30));
	rtp(&p, 0, 2, 320, 0x21);
	assert_true(feed(md, &c, &d, &p, 6, 40));
	assert_int_equal(sift_media_get(md, 0)->packets, 2);
	/* Releasing it again, or a call without media, does nothing. */
	sift_media_release(md, &one);
	assert_int_equal(log.n, 2);
	sift_findings_free(fs);
	/* Freed before the call: the call keeps no pointer into it. */
	sift_media_free(md);
	assert_null(two.part[SIFT_PART_MEDIA]);
}

static void on_refused(void *ctx, const char *call_id,
		       const struct sift_where *w, const char *crypto,
		       const char *why)
{
	unsigned *n = ctx;

	assert_string_equal(call_id, "k");
	assert_int_equal(w->frame, 7);
	assert_non_null(strstr(crypto, "NO_SUCH_SUITE"));
	assert_true(why[0] != '\0');
	(*n)++;
}

/* Media counts the a=crypto lines it cannot use and hands them on; it
 * judges nothing itself. */
static void test_refused_keys_counted(void **state)
{
	static const char body[] =
		"v=0\r\no=- 1 1 IN IP4 192.0.2.2\r\ns=-\r\nc=IN IP4 192.0.2.2\r\n"
		"t=0 0\r\nm=audio 50000 RTP/SAVP 0\r\n"
		"a=crypto:1 NO_SUCH_SUITE inline:AAAA\r\n"
		"a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n";
	struct sift_media *md = sift_media_new();
	struct sift_where w = { 0, 7, 1700000000 * SIFT_USEC };
	struct sift_call call = { .call_id = (char *)"k" };
	unsigned n = 0;

	(void)state;
	sift_media_set_refused(md, on_refused, &n);
	sift_media_sdp(md, &call, (const uint8_t *)body, sizeof(body) - 1, &w);
	assert_int_equal(n, 1);
	assert_int_equal(sift_media_keys_refused(md), 1);
	sift_media_release(md, &call);
	sift_media_free(md);
}

/* A line with more key-params than one line may bring gives its first
 * SIFT_SDES_MAX_KEYS and counts the rest in srtp_keys_dropped, once: the
 * same line again in a re-INVITE adds nothing. */
static void test_keys_past_a_line_counted(void **state)
{
	char body[4096];
	size_t n;
	struct sift_media *md = sift_media_new();
	struct sift_where w = { 0, 7, 1700000000 * SIFT_USEC };
	struct sift_call call = { .call_id = (char *)"k" };
	unsigned refused = 0;

	(void)state;
	n = (size_t)snprintf(body, sizeof(body),
			     "v=0\r\no=- 1 1 IN IP4 192.0.2.2\r\ns=-\r\nc=IN IP4 192.0.2.2\r\n"
			     "t=0 0\r\nm=audio 50000 RTP/SAVP 0\r\n"
			     "a=crypto:1 AES_CM_128_HMAC_SHA1_80 ");
	for (unsigned i = 1; i <= SIFT_SDES_MAX_KEYS + 3; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n,
				      "%sinline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|%u:4",
				      i > 1 ? ";" : "", i);
	n += (size_t)snprintf(body + n, sizeof(body) - n, "\r\n");
	/* within what an SDP keeps of one a=crypto value */
	assert_true(n < 120 + SIFT_SDP_CRYPTO_LEN);
	sift_media_set_refused(md, on_refused, &refused);
	sift_media_sdp(md, &call, (const uint8_t *)body, n, &w);
	assert_int_equal(refused, 0);
	assert_int_equal(sift_media_caps(md)->keys, 3);
	sift_media_sdp(md, &call, (const uint8_t *)body, n, &w);
	assert_int_equal(sift_media_caps(md)->keys, 3);
	sift_media_release(md, &call);
	sift_media_free(md);
}

/* What the sink got: packets, and whether in order with the payload
 * the sender protected (0x11 bytes). */
struct sunk {
	unsigned n;
	uint16_t next_seq;
	bool in_order;
	bool plain;
};

static void sink(void *ctx, const struct sift_media_payload *mp)
{
	struct sunk *k = ctx;

	if (k->n && mp->h->seq != k->next_seq)
		k->in_order = false;
	k->next_seq = (uint16_t)(mp->h->seq + 1);
	if (mp->len != 160 || mp->payload[0] != 0x11 || mp->payload[159] != 0x11)
		k->plain = false;
	k->n++;
}

/* From a pipe (no key pass) SRTP whose key is not known yet is held, at
 * most SIFT_MEDIA_HOLD_PACKETS a stream (the rest counted), and when the
 * SDP with its key comes it is decrypted and handed on in order, before
 * the packets after it. */
static void test_held_until_key(void **state)
{
	static const char offer[] =
		"v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\n"
		"t=0 0\r\nm=audio 40000 RTP/SAVP 0\r\n";
	static const char answer[] =
		"v=0\r\no=- 1 1 IN IP4 192.0.2.20\r\ns=-\r\nc=IN IP4 192.0.2.20\r\n"
		"t=0 0\r\nm=audio 50000 RTP/SAVP 0\r\n"
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n";
	struct sift_media *md = sift_media_new();
	struct sift_call call = { .call_id = (char *)"h" };
	struct sift_where w = { 0, 1, 1700000000 * SIFT_USEC };
	struct sift_addr a = v4(10, 40000), b = v4(20, 50000);
	struct sunk k = { 0, 0, true, true };
	const unsigned total = SIFT_MEDIA_HOLD_PACKETS + 5;
	struct sift_sdes sd;
	srtp_policy_t pol;
	srtp_t tx;
	char why[128];

	(void)state;
	assert_int_equal(sift_sdes_parse_key("AES_CM_128_HMAC_SHA1_80:inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz",
					     &sd, why, sizeof(why)), SIFT_OK);
	/* sipsift's own init: libsrtp2 once, with its OpenSSL types. */
	assert_int_equal(sift_srtp_init(), SIFT_OK);
	memset(&pol, 0, sizeof(pol));
	srtp_crypto_policy_set_rtp_default(&pol.rtp);
	srtp_crypto_policy_set_rtcp_default(&pol.rtcp);
	pol.ssrc.type = ssrc_any_outbound;
	pol.key = sd.keys[0].keysalt;
	pol.window_size = 1024;
	assert_int_equal(srtp_create(&tx, &pol), srtp_err_status_ok);
	sift_media_set_sink(md, sink, &k);
	sift_media_sdp(md, &call, (const uint8_t *)offer, sizeof(offer) - 1, &w);
	for (unsigned i = 0; i <= total; i++) {
		uint8_t buf[256], plain[256];
		size_t plain_len;
		int len = 12 + 160;

		buf[0] = 0x80;
		buf[1] = 0;
		buf[2] = (uint8_t)(i >> 8);
		buf[3] = (uint8_t)i;
		memset(buf + 4, 0, 4);
		buf[8] = 0xca;
		buf[9] = 0xfe;
		buf[10] = 0xba;
		buf[11] = 0xbe;
		memset(buf + 12, 0x11, 160);
		assert_int_equal(srtp_protect(tx, buf, &len), srtp_err_status_ok);
		w.frame = 2 + i;
		w.ts += 20000;
		if (i == total) {
			/* The answer with the key, then one packet more. */
			assert_int_equal(k.n, 0);
			assert_int_equal(sift_media_caps(md)->held, 5);
			sift_media_sdp(md, &call, (const uint8_t *)answer,
				       sizeof(answer) - 1, &w);
			assert_int_equal(k.n, SIFT_MEDIA_HOLD_PACKETS);
			assert_int_equal(sift_media_held_late(md), SIFT_MEDIA_HOLD_PACKETS);
		}
		assert_true(sift_media_packet(md, &b, &a, buf, (size_t)len, &w, plain,
					      &plain_len));
		assert_int_equal(plain_len, i == total ? 12 + 160 : 0);
	}
	/* The 5 past the hold are lost to the sink: the one after them is
	 * the first out of order. */
	assert_int_equal(k.n, SIFT_MEDIA_HOLD_PACKETS + 1);
	assert_true(k.plain);
	assert_false(k.in_order);
	assert_int_equal(only_stream(md)->decrypted, SIFT_MEDIA_HOLD_PACKETS + 1);
	assert_int_equal(only_stream(md)->packets, total + 1);
	srtp_dealloc(tx);
	sift_media_release(md, &call);
	sift_media_free(md);
}

static void no_keys(void *ctx, sift_time from)
{
	(void)ctx;
	(void)from;
}

static srtp_t sender(const char *inline_key)
{
	char spec[128], why[128];
	struct sift_sdes sd;
	srtp_policy_t pol;
	srtp_t tx;

	snprintf(spec, sizeof(spec), "AES_CM_128_HMAC_SHA1_80:inline:%s", inline_key);
	assert_int_equal(sift_sdes_parse_key(spec, &sd, why, sizeof(why)), SIFT_OK);
	memset(&pol, 0, sizeof(pol));
	srtp_crypto_policy_set_rtp_default(&pol.rtp);
	srtp_crypto_policy_set_rtcp_default(&pol.rtcp);
	pol.ssrc.type = ssrc_any_outbound;
	pol.key = sd.keys[0].keysalt;
	pol.window_size = 1024;
	assert_int_equal(srtp_create(&tx, &pol), srtp_err_status_ok);
	return tx;
}

/* A rekey whose re-INVITE the capture shows late, read from a file whose
 * key pass found nothing to do: the first 4 failures are held, the rest
 * count as failures until the new key comes; then the held ones decrypt
 * with it, and the counted ones are the new key's, before it was found
 * (failed_before_key), not authentication failures. */
static void test_rekey_counted_before_key(void **state)
{
	static const char k1[] = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz";
	static const char k2[] = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk";
	char sdp[512];
	struct sift_media *md = sift_media_new();
	struct sift_call call = { .call_id = (char *)"r" };
	struct sift_where w = { 0, 1, 1700000000 * SIFT_USEC };
	struct sift_addr a = v4(10, 40000), b = v4(20, 50000);
	srtp_t tx1, tx2;

	(void)state;
	assert_int_equal(sift_srtp_init(), SIFT_OK);
	tx1 = sender(k1);
	tx2 = sender(k2);
	sift_media_set_key_source(md, no_keys, NULL);
	snprintf(sdp, sizeof(sdp),
		 "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\n"
		 "t=0 0\r\nm=audio 40000 RTP/SAVP 0\r\n"
		 "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\r\n", k1);
	sift_media_sdp(md, &call, (const uint8_t *)sdp, strlen(sdp), &w);
	for (unsigned i = 0; i < 14; i++) {
		uint8_t buf[256], plain[256];
		size_t plain_len;
		int len = 12 + 160;

		memset(buf, 0, 12);
		buf[0] = 0x80;
		buf[3] = (uint8_t)i;
		buf[11] = 7;
		memset(buf + 12, 0x11, 160);
		assert_int_equal(srtp_protect(i < 3 ? tx1 : tx2, buf, &len),
				 srtp_err_status_ok);
		w.frame = 2 + i;
		w.ts += 20000;
		if (i == 13) {
			/* 3 decrypted; 4 held, 6 failed so far */
			assert_int_equal(only_stream(md)->decrypted, 3);
			assert_int_equal(only_stream(md)->auth_failures, 6);
			snprintf(sdp, sizeof(sdp),
				 "v=0\r\no=- 1 2 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\n"
				 "t=0 0\r\nm=audio 40000 RTP/SAVP 0\r\n"
				 "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\r\n", k2);
			sift_media_sdp(md, &call, (const uint8_t *)sdp, strlen(sdp), &w);
		}
		sift_media_packet(md, &b, &a, buf, (size_t)len, &w, plain, &plain_len);
	}
	assert_int_equal(only_stream(md)->rekeys, 1);
	assert_int_equal(only_stream(md)->auth_failures, 0);
	assert_int_equal(only_stream(md)->before_key, 6);
	assert_int_equal(only_stream(md)->decrypted, 3 + 4 + 1);
	assert_int_equal(sift_media_caps(md)->held, 0);
	srtp_dealloc(tx1);
	srtp_dealloc(tx2);
	sift_media_release(md, &call);
	sift_media_free(md);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_heuristic_confirms_after_five),
		cmocka_unit_test(test_heuristic_rejects),
		cmocka_unit_test(test_heuristic_off),
		cmocka_unit_test(test_ssrc_change_and_rtcp),
		cmocka_unit_test(test_call_streams_and_cn),
		cmocka_unit_test(test_codec_is_the_audio),
		cmocka_unit_test(test_sink_codec_follows_sdp),
		cmocka_unit_test(test_sink_events_only),
		cmocka_unit_test(test_release_frees_what_the_call_owns),
		cmocka_unit_test(test_refused_keys_counted),
		cmocka_unit_test(test_keys_past_a_line_counted),
		cmocka_unit_test(test_held_until_key),
		cmocka_unit_test(test_rekey_counted_before_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
