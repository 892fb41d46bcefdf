/* Unit tests for the placement of decoded RTP (src/media/audio_track.c:
 * struct sift_track) and for WAV file names (src/media/wav.c): gaps,
 * reordering, duplicates, timestamp jumps, SSRC changes, comfort noise;
 * and for the export's state (src/media/audio.c): owned by each call and
 * released with it, and the note for SRTP that no key decrypted. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "media/audio.h"
#include "media/rtp.h"
#include "media/wav.h"
#include "sip/sdp.h"

/* sift_codec_new's out of memory (never, here). */
static bool codec_oom;

#define MAXOUT 600000

struct sink {
	int16_t s[MAXOUT];
	size_t n;
};

static void collect(void *ctx, const int16_t *s, size_t n)
{
	struct sink *k = ctx;

	assert_true(k->n + n <= MAXOUT);
	memcpy(k->s + k->n, s, n * sizeof(*s));
	k->n += n;
}

static struct sift_track *pcmu_track(struct sink *k)
{
	struct sift_track *t = malloc(sizeof(*t));

	assert_non_null(t);
	memset(k, 0, sizeof(*k));
	sift_track_init(t, sift_codec_new("PCMU", 8000, 1, &codec_oom), 8000, collect, k);
	return t;
}

/* 20 ms of PCMU whose every byte is code (so each packet is known in
 * the output: µ-law 0x80 + i decodes to a distinct positive value). */
static void pkt(struct sift_track *t, uint32_t ssrc, uint32_t ts, uint8_t code,
		int64_t cap_pos)
{
	uint8_t p[160];

	memset(p, code, sizeof(p));
	sift_track_packet(t, ssrc, ts, SIFT_CODEC_PCMU, p, sizeof(p), cap_pos);
}

static void test_in_order(void **state)
{
	static struct sink k;
	struct sift_track *t = pcmu_track(&k);

	(void)state;
	for (unsigned i = 0; i < 20; i++)
		pkt(t, 1, 5000 + 160 * i, (uint8_t)(0x80 + i), 160 * i);
	sift_track_done(t);
	assert_int_equal(k.n, 20 * 160);
	for (unsigned i = 0; i < 20; i++)
		assert_int_equal(k.s[160 * i + 7], sift_g711_ulaw((uint8_t)(0x80 + i)));
	assert_int_equal(t->late, 0);
	free(t);
}

static void test_gap_is_silence(void **state)
{
	static struct sink k;
	struct sift_track *t = pcmu_track(&k);

	(void)state;
	pkt(t, 1, 0, 0x81, 0);
	pkt(t, 1, 160, 0x82, 160);
	/* 320 and 480 lost */
	pkt(t, 1, 640, 0x85, 640);
	sift_track_done(t);
	assert_int_equal(k.n, 800);   /* the timestamp span, not 3 packets */
	assert_int_equal(k.s[400], 0);
	assert_int_equal(k.s[700], sift_g711_ulaw(0x85));
	assert_int_equal(t->silence_samples, 320);
	free(t);
}

static void test_reorder_and_duplicate(void **state)
{
	static struct sink k;
	struct sift_track *t = pcmu_track(&k);
	const unsigned order[] = { 0, 2, 1, 3, 5, 4, 4, 6 };

	(void)state;
	for (unsigned i = 0; i < 8; i++)
		pkt(t, 1, 160 * order[i], (uint8_t)(0x80 + order[i]), 160 * i);
	sift_track_done(t);
	assert_int_equal(k.n, 7 * 160);
	for (unsigned i = 0; i < 7; i++)
		assert_int_equal(k.s[160 * i + 1], sift_g711_ulaw((uint8_t)(0x80 + i)));
	assert_int_equal(t->late, 1);   /* the duplicate */
	free(t);
}

static void test_too_late(void **state)
{
	static struct sink k;
	struct sift_track *t = pcmu_track(&k);

	(void)state;
	pkt(t, 1, 0, 0x80, 0);
	/* Packet 1 comes after more than the reorder buffer holds. */
	for (unsigned i = 2; i < 2 + SIFT_TRACK_REORDER + 2; i++)
		pkt(t, 1, 160 * i, (uint8_t)(0x80 + i), 160 * i);
	pkt(t, 1, 160, 0x81, 160 * 12);
	sift_track_done(t);
	assert_int_equal(t->late, 1);
	assert_int_equal(k.n, 160 * (2 + SIFT_TRACK_REORDER + 2));
	assert_int_equal(k.s[200], 0);   /* its place stayed silent */
	free(t);
}

static void test_jump_is_reset(void **state)
{
	static struct sink k;
	struct sift_track *t = pcmu_track(&k);

	(void)state;
	pkt(t, 1, 1000, 0x81, 0);
	pkt(t, 1, 1160, 0x82, 160);
	/* The timestamp jumps by two hours; the capture time says 1 s. */
	pkt(t, 1, 1320 + 2 * 3600 * 8000u, 0x83, 8000);
	pkt(t, 1, 1480 + 2 * 3600 * 8000u, 0x84, 8160);
	sift_track_done(t);
	assert_int_equal(t->resets, 1);
	assert_int_equal(k.n, 8160 + 160);
	assert_int_equal(k.s[8000], sift_g711_ulaw(0x83));
	free(t);
}

static void test_backward_wrap(void **state)
{
	static struct sink k;
	struct sift_track *t = pcmu_track(&k);

	(void)state;
	/* Timestamps wrap around 2^32 in the middle: no reset. */
	pkt(t, 1, 0xffffff00u, 0x81, 0);
	pkt(t, 1, 0xffffff00u + 160, 0x82, 160);
	pkt(t, 1, 0xffffff00u + 320, 0x83, 320);
	sift_track_done(t);
	assert_int_equal(t->resets, 0);
	assert_int_equal(k.n, 480);
	free(t);
}

static void test_ssrc_change(void **state)
{
	static struct sink k;
	struct sift_track *t = pcmu_track(&k);

	(void)state;
	pkt(t, 1, 0, 0x81, 0);
	pkt(t, 1, 160, 0x82, 160);
	/* A new source on the same direction, 2 s later by capture time,
	 * with unrelated timestamps. */
	pkt(t, 2, 777777, 0x83, 16000);
	pkt(t, 2, 777937, 0x84, 16160);
	/* And one whose capture time overlaps what was written. */
	pkt(t, 3, 5, 0x85, 16200);
	sift_track_done(t);
	assert_int_equal(t->ssrc_changes, 2);
	assert_int_equal(k.s[16000], sift_g711_ulaw(0x83));
	assert_int_equal(k.s[16320], sift_g711_ulaw(0x85));
	assert_int_equal(k.n, 16480);
	free(t);
}

static void test_cn_and_events(void **state)
{
	static struct sink k;
	struct sift_track *t = pcmu_track(&k);
	uint8_t cn[1] = { 60 }, ev[4] = { 1, 0x0a, 0, 160 };

	(void)state;
	pkt(t, 1, 0, 0x81, 0);
	sift_track_packet(t, 1, 160, SIFT_CODEC_CN, cn, 1, 160);
	sift_track_packet(t, 1, 480, SIFT_CODEC_EVENT, ev, 4, 480);
	pkt(t, 1, 960, 0x82, 960);
	sift_track_done(t);
	assert_int_equal(k.n, 1120);
	assert_int_equal(k.s[500], 0);
	assert_int_equal(t->quiet_packets, 2);
	free(t);
}

/* Opus has concealment: a lost packet is guessed, after CN it is not. */
static void test_plc_opus(void **state)
{
	static struct sink k;
	struct sift_track *t = malloc(sizeof(*t));
	/* A valid Opus packet: TOC 0x78 (CELT FB 20 ms, one frame) and
	 * three bytes of payload decode to 960 samples. */
	uint8_t p[4] = { 0x78, 0x12, 0x34, 0x56 }, cn[1] = { 40 };

	(void)state;
	assert_non_null(t);
	memset(&k, 0, sizeof(k));
	sift_track_init(t, sift_codec_new("opus", 48000, 2, &codec_oom), 48000, collect, &k);
	sift_track_packet(t, 9, 0, SIFT_CODEC_OPUS, p, 4, 0);
	sift_track_packet(t, 9, 1920, SIFT_CODEC_OPUS, p, 4, 1920);
	sift_track_flush(t);
	assert_int_equal(t->plc_samples, 960);
	assert_int_equal(t->silence_samples, 0);
	sift_track_packet(t, 9, 2880, SIFT_CODEC_CN, cn, 1, 2880);
	sift_track_packet(t, 9, 4800, SIFT_CODEC_OPUS, p, 4, 4800);
	sift_track_done(t);
	assert_int_equal(t->plc_samples, 960);
	assert_int_equal(t->silence_samples, 4800 - 2880);
	assert_int_equal(k.n, 4800 + 960);
	free(t);
}

static void test_names(void **state)
{
	char b[64];

	(void)state;
	assert_string_equal(sift_wav_sanitise("../../etc/passwd", 24, b, sizeof(b)), "etc_passwd");
	assert_string_equal(sift_wav_sanitise("..", 24, b, sizeof(b)), "unknown");
	assert_string_equal(sift_wav_sanitise("", 24, b, sizeof(b)), "unknown");
	assert_string_equal(sift_wav_sanitise("a/b\\c d", 24, b, sizeof(b)), "a_b_c_d");
	assert_string_equal(sift_wav_sanitise("+49.30", 24, b, sizeof(b)), "+49.30");
	assert_string_equal(sift_wav_sanitise("abcdefghij", 4, b, sizeof(b)), "abcd");
	assert_string_equal(sift_wav_user("sip:alice@example.com;transport=udp", 24, b, sizeof(b)), "alice");
	assert_string_equal(sift_wav_user("tel:+4930123", 24, b, sizeof(b)), "+4930123");
	assert_string_equal(sift_wav_user("sip:../../etc/passwd@h", 24, b, sizeof(b)), "etc_passwd");
	assert_string_equal(sift_wav_user("sip:example.com", 24, b, sizeof(b)), "example.com");
	assert_string_equal(sift_wav_user(NULL, 24, b, sizeof(b)), "unknown");
	/* Nothing that comes out can hold a separator or start with a dot. */
	for (unsigned c = 1; c < 256; c++) {
		char in[4] = { '.', (char)c, '.', 0 };

		sift_wav_sanitise(in, 24, b, sizeof(b));
		assert_null(strchr(b, '/'));
		assert_true(b[0] != '.');
	}
}

static void test_ahead_of_capture_clock(void **state)
{
	static struct sink k;
	struct sift_track *t = pcmu_track(&k);

	(void)state;
	/* Each timestamp step is 59 s (under the 60 s of a reset), but the
	 * packets come 20 ms apart: the file follows the capture clock, not
	 * 10 minutes of silence. */
	for (unsigned i = 0; i < 10; i++)
		pkt(t, 1, i * 59u * 8000u, (uint8_t)(0x81 + i), (int64_t)i * 160);
	sift_track_done(t);
	assert_true(t->resets >= 1);
	assert_true(k.n <= 10 * 160 + 8000 * SIFT_TRACK_AHEAD_S);
	free(t);
}

static void test_anchor_after_clock_leap(void **state)
{
	static struct sink k;
	struct sift_track *t = pcmu_track(&k);

	(void)state;
	/* A new SSRC whose capture time leaps an hour: at most a maximal
	 * jump of silence before it. */
	pkt(t, 1, 0, 0x81, 0);
	pkt(t, 2, 5000, 0x82, 3600 * 8000);
	sift_track_done(t);
	/* The first packet, the jump's silence, the second packet. */
	assert_int_equal(k.n, 160 + 8000 * SIFT_TRACK_MAX_JUMP_S + 160);
	assert_int_equal(k.s[160 + 8000 * SIFT_TRACK_MAX_JUMP_S],
			 sift_g711_ulaw(0x82));
	free(t);
}

/* ---- the export's state: owned by the call, released with it ---- */

struct fake_call {
	struct sift_call c;
	struct sift_stream s;
};

static void fake_call(struct fake_call *f, uint32_t index, uint32_t stream,
		      uint8_t host)
{
	memset(f, 0, sizeof(*f));
	f->c.call_id = "call@h";
	f->c.index = index;
	f->c.from = "sip:alice@h";
	f->c.to = "sip:bob@h";
	f->c.first_ts = 1700000000LL * SIFT_USEC;
	f->s.id = stream;
	f->s.call_id = f->c.call_id;
	f->s.src.family = 4;
	f->s.src.ip[0] = 127;
	f->s.src.ip[3] = host;
	f->s.src.port = 4000;
	f->s.dst = f->s.src;
	f->s.dst.ip[3] = (uint8_t)(host + 1);
}

/* n packets of 20 ms of PCMU on the stream of call f (or of no call). */
static void feed(struct sift_audio *a, struct fake_call *f, bool nocall,
		 unsigned n)
{
	static const struct sift_sdp_rtpmap pcmu = { 0, "PCMU", 8000, 1 };
	uint8_t pl[160];

	memset(pl, 0xff, sizeof(pl));
	for (unsigned i = 0; i < n; i++) {
		struct sift_rtp_hdr h = { 0 };
		struct sift_where w = { 0, i, f->c.first_ts + i * 20000 };
		struct sift_media_payload mp = { 0 };

		h.seq = (uint16_t)i;
		h.ts = i * 160;
		h.ssrc = 7;
		h.payload_len = sizeof(pl);
		mp.s = &f->s;
		mp.call = nocall ? NULL : &f->c;
		mp.h = &h;
		mp.payload = pl;
		mp.len = sizeof(pl);
		mp.codec = &pcmu;
		mp.w = &w;
		sift_audio_payload(a, &mp, mp.call);
	}
}

static void test_call_owns_audio(void **state)
{
	char dir[] = "/tmp/sipsift-audio-XXXXXX";
	struct sift_audio_opts o = { 0 };
	struct fake_call one, two, none;
	struct sift_audio *a;
	char *wav;

	(void)state;
	assert_non_null(mkdtemp(dir));
	o.dir = dir;
	o.mono = true;
	a = sift_audio_new(&o);
	assert_non_null(a);
	fake_call(&one, 1, 1, 10);
	fake_call(&two, 2, 2, 20);
	fake_call(&none, 0, 3, 30);
	none.s.call_id = NULL;
	feed(a, &one, false, 10);
	feed(a, &two, false, 10);
	feed(a, &none, true, 10);
	/* Each call now owns its part; the stream of no call is audio's. */
	assert_non_null(one.c.part[SIFT_PART_AUDIO]);
	assert_non_null(two.c.part[SIFT_PART_AUDIO]);
	assert_ptr_not_equal(one.c.part[SIFT_PART_AUDIO], two.c.part[SIFT_PART_AUDIO]);
	assert_int_equal(sift_audio_nfiles(a), 0);

	/* Call one finishes: its file is written and named by its stream. */
	sift_audio_call_done(a, &one.c);
	assert_int_equal(sift_audio_nfiles(a), 1);
	assert_int_equal(sift_audio_file(a, 0)->call_index, 1);
	assert_non_null(sift_audio_stream_wav(a, 1));
	wav = strdup(sift_audio_stream_wav(a, 1));
	assert_non_null(strstr(wav, "_c1-caller.wav"));
	/* Released: its records go, the others stay. */
	sift_audio_release(a, &one.c);
	assert_null(one.c.part[SIFT_PART_AUDIO]);
	assert_null(sift_audio_stream_wav(a, 1));
	assert_non_null(sift_audio_stream_wav(a, 2));
	assert_non_null(sift_audio_stream_wav(a, 3));
	/* Released again: nothing left to do. */
	sift_audio_release(a, &one.c);

	/* A call released while its files are open has them finished. */
	sift_audio_release(a, &two.c);
	assert_null(two.c.part[SIFT_PART_AUDIO]);
	assert_int_equal(sift_audio_nfiles(a), 2);
	assert_int_equal(sift_audio_file(a, 1)->call_index, 2);
	assert_null(sift_audio_stream_wav(a, 2));

	/* The same call back (its Call-ID again, a new call): a new part,
	 * the first set of files again. */
	fake_call(&one, 4, 4, 10);
	feed(a, &one, false, 5);
	assert_non_null(one.c.part[SIFT_PART_AUDIO]);
	sift_audio_finish(a);
	assert_int_equal(sift_audio_nfiles(a), 4);
	assert_non_null(strstr(sift_audio_stream_wav(a, 4), "_c4-caller.wav"));
	assert_null(strstr(sift_audio_stream_wav(a, 4), "-part"));
	assert_non_null(strstr(sift_audio_stream_wav(a, 3), "_nocall_s1-caller.wav"));
	/* Freeing the export leaves no live call pointing into it. */
	sift_audio_free(a);
	assert_null(one.c.part[SIFT_PART_AUDIO]);
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		assert_int_equal(system(cmd), 0);
	}
	free(wav);
}

/* SRTP that no key decrypted never reaches audio: a note per stream says
 * why; a decrypted one, RTCP, and plain RTP say nothing. */
static void test_srtp_not_decrypted_note(void **state)
{
	struct sift_audio_opts o = { 0 };
	struct fake_call f;
	struct sift_audio *a;

	(void)state;
	o.dir = "/nonexistent";
	o.stereo = true;
	a = sift_audio_new(&o);
	assert_non_null(a);
	fake_call(&f, 3, 5, 10);
	sift_audio_stream_done(a, &f.s, &f.c);          /* plain RTP */
	f.s.srtp = true;
	f.s.decrypted = 4;
	sift_audio_stream_done(a, &f.s, &f.c);          /* decrypted */
	f.s.decrypted = 0;
	f.s.rtcp = true;
	sift_audio_stream_done(a, &f.s, &f.c);          /* SRTCP */
	assert_int_equal(sift_audio_nnotes(a), 0);
	f.s.rtcp = false;
	f.s.no_key = true;
	sift_audio_stream_done(a, &f.s, &f.c);
	f.s.no_key = false;
	f.s.auth_failures = 40;
	f.s.before_key = 2;
	sift_audio_stream_done(a, &f.s, NULL);
	assert_int_equal(sift_audio_nnotes(a), 2);
	assert_string_equal(sift_audio_note(a, 0),
			    "stream 5 (call 3): SRTP with no usable key; no WAV written");
	assert_string_equal(sift_audio_note(a, 1),
			    "stream 5 (no call): SRTP that no key decrypts (42 packets failed authentication); no WAV written");
	sift_audio_free(a);

	/* --call N: the other calls' streams are not this export's. */
	o.call_index = 9;
	a = sift_audio_new(&o);
	assert_non_null(a);
	f.s.no_key = true;
	sift_audio_stream_done(a, &f.s, &f.c);
	assert_int_equal(sift_audio_nnotes(a), 0);
	sift_audio_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_order),
		cmocka_unit_test(test_gap_is_silence),
		cmocka_unit_test(test_reorder_and_duplicate),
		cmocka_unit_test(test_too_late),
		cmocka_unit_test(test_jump_is_reset),
		cmocka_unit_test(test_ahead_of_capture_clock),
		cmocka_unit_test(test_anchor_after_clock_leap),
		cmocka_unit_test(test_backward_wrap),
		cmocka_unit_test(test_ssrc_change),
		cmocka_unit_test(test_cn_and_events),
		cmocka_unit_test(test_plc_opus),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_call_owns_audio),
		cmocka_unit_test(test_srtp_not_decrypted_note),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
