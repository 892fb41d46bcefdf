/* Out of memory is said, never a silent loss: each allocation the library
 * makes itself (malloc, calloc, realloc, strdup and strndup, wrapped for
 * this test by the linker: Makefile) is made to fail in turn, one per run,
 * while a capture goes through the pipeline. Each run must either say
 * SIFT_ENOMEM (sift_pipeline_packet, or sift_pipeline_oom after the
 * finish: main's "out of memory", exit 5) or give the very report of the
 * run where nothing failed: a failure that is worked around (a read-ahead
 * buffer, a cache) loses nothing. What libosip2, libsrtp2, OpenSSL and
 * jansson allocate inside is theirs and not counted. */
#include "testutil.h"

#include <dirent.h>
#include <dlfcn.h>
#include <execinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/capture.h"
#include "media/audio.h"
#include "pipeline.h"
#include "report/report_html.h"
#include "sipsift/report.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

/* While armed: the allocation to fail (-1: none), the count since armed,
 * and where the one that failed was called from. */
static bool armed;
static long fail_at = -1;
static long counted;
static void *fail_from[4];

static bool fails(void *from)
{
	void *bt[8];
	int n;

	if (!armed || counted++ != fail_at)
		return false;
	/* The wrapper's caller (from), then theirs: the callers of
	 * sift_grow and sift_strmap_put tell more than they do. */
	memset(fail_from, 0, sizeof(fail_from));
	fail_from[0] = from;
	n = backtrace(bt, 8);
	for (int i = 0, k = 1; i + 1 < n && k < 4; i++)
		if (bt[i] == from)
			for (int j = i + 1; j < n && k < 4; j++)
				fail_from[k++] = bt[j];
	return true;
}

void *__wrap_malloc(size_t n)
{
	return fails(__builtin_return_address(0)) ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t k, size_t n)
{
	return fails(__builtin_return_address(0)) ? NULL : __real_calloc(k, n);
}

void *__wrap_realloc(void *p, size_t n)
{
	return fails(__builtin_return_address(0)) ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
	return fails(__builtin_return_address(0)) ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
	return fails(__builtin_return_address(0)) ? NULL : __real_strndup(s, n);
}

/* NDJSON (each call written when it is finished, its streams with it),
 * with each stream's series (the HTML report's): main's callbacks. A line
 * that could not be written is said too (main: writing the report
 * failed). */
struct lines {
	FILE *f;
	bool failed;
};

/* The memory stream never fails to write: a line that could not be made
 * is out of memory, and says so (main stops the run with "out of
 * memory"; it took SIFT_EIO for a write error, stopped reading and
 * reported the calls up to there, exit 0). */
static void call_line(void *ctx, const struct sift_report *r,
		      const struct sift_call *c, sift_time now)
{
	struct lines *l = ctx;
	enum sift_rc rc = sift_report_ndjson_call(r, c, now, l->f);

	if (rc != SIFT_OK) {
		assert_int_equal(rc, SIFT_ENOMEM);
		l->failed = true;
	}
}

static void stream_line(void *ctx, const struct sift_report *r,
			const struct sift_stream *s)
{
	struct lines *l = ctx;
	enum sift_rc rc = sift_report_ndjson_stream(r, s, l->f);

	if (rc != SIFT_OK) {
		assert_int_equal(rc, SIFT_ENOMEM);
		l->failed = true;
	}
}

/* The JSON report; NDJSON with each stream's series (the HTML report's);
 * JSON with WAV files (mono and stereo) in a directory of the test's. */
enum mode { M_JSON, M_NDJSON, M_AUDIO };

static char audio_dir[] = "/tmp/sipsift-test-oom-XXXXXX";

/* Every file of the directory, by name, into f: name, size and bytes
 * (emptied with unlink when f is NULL). */
static void dir_files(FILE *f)
{
	struct dirent **v;
	int n = scandir(audio_dir, &v, NULL, alphasort);

	assert_true(n >= 0);
	for (int i = 0; i < n; i++) {
		char p[512];

		if (v[i]->d_name[0] != '.') {
			snprintf(p, sizeof(p), "%s/%s", audio_dir, v[i]->d_name);
			if (f) {
				FILE *w = fopen(p, "rb");
				int ch;

				assert_non_null(w);
				fprintf(f, "\n%s:", v[i]->d_name);
				while ((ch = fgetc(w)) != EOF)
					fputc(ch, f);
				fclose(w);
			} else {
				assert_int_equal(unlink(p), 0);
			}
		}
		free(v[i]);
	}
	free(v);
}

/* The capture through a new pipeline; true when it said out of memory
 * (or, with audio, that a file could not be made). Otherwise *json is its
 * JSON report, or in NDJSON every line, and with audio its files (the
 * caller frees it). */
static bool run(const char *path, long fail, enum mode m, char **json)
{
	struct sift_pipeline_opts o;
	struct sift_audio_opts ao;
	struct sift_pipeline *pl;
	struct sift_capture *c;
	struct sift_packet pkt;
	struct lines l = { NULL, false };
	char err[256];
	size_t len = 0;
	bool oom = false, ndjson = m == M_NDJSON;

	memset(&o, 0, sizeof(o));
	*json = NULL;
	l.f = open_memstream(json, &len);
	assert_non_null(l.f);
	if (ndjson) {
		o.on_call = call_line;
		o.on_stream = stream_line;
		o.on_call_ctx = &l;
		o.series = true;
	}
	if (m == M_AUDIO) {
		memset(&ao, 0, sizeof(ao));
		ao.dir = audio_dir;
		ao.mono = ao.stereo = true;
		o.audio = &ao;
		dir_files(NULL);
	}
	pl = sift_pipeline_new(&o);
	assert_non_null(pl);
	assert_int_equal(sift_pipeline_input(pl, path), SIFT_OK);
	assert_int_equal(sift_capture_open(path, 0, &c, err, sizeof(err)), SIFT_OK);
	/* The line buffer is kept from run to run: made again in each. */
	sift_report_ndjson_release();
	counted = 0;
	fail_at = fail;
	armed = true;
	while (sift_capture_next(c, &pkt) == SIFT_OK)
		if (sift_pipeline_packet(pl, &pkt) == SIFT_ENOMEM || l.failed) {
			oom = true;
			break;
		}
	if (!oom) {
		sift_pipeline_finish(pl);
		oom = sift_pipeline_oom(pl) || l.failed;
	}
	/* The report reads calls at rest back: main checks again after
	 * it, and a report that could not be written is said too. */
	if (!oom) {
		enum sift_rc rc = sift_report_json(sift_pipeline_report(pl), l.f,
						   ndjson);

		/* The memory stream does not fail: out of memory (main:
		 * "out of memory", exit 5). */
		if (rc != SIFT_OK)
			assert_int_equal(rc, SIFT_ENOMEM);
		oom = rc != SIFT_OK || sift_pipeline_oom(pl);
	}
	/* A file the test's directory could not take is memory that ran
	 * out, and says so (main: out of memory, exit 5), not an output
	 * error (exit 4). */
	if (m == M_AUDIO && sift_audio_error(sift_pipeline_report(pl)->audio)) {
		if (!sift_audio_oom(sift_pipeline_report(pl)->audio))
			print_error("%s: allocation %ld: \"%s\" without out of memory\n",
				    path, fail, sift_audio_error(sift_pipeline_report(pl)->audio));
		assert_true(sift_audio_oom(sift_pipeline_report(pl)->audio));
		oom = true;
	}
	armed = false;
	sift_capture_close(c);
	sift_pipeline_free(pl);     /* closes the WAV files */
	if (m == M_AUDIO && !oom)
		dir_files(l.f);
	assert_int_equal(fclose(l.f), 0);
	if (oom) {
		free(*json);
		*json = NULL;
	}
	return oom;
}

/* Where an allocation was called from, as addr2line takes it (the
 * offset in the test's executable). */
static unsigned long site(void *from)
{
	Dl_info di;

	if (dladdr(from, &di) && di.dli_fbase)
		return (unsigned long)((char *)from - (char *)di.dli_fbase);
	return (unsigned long)from;
}

/* Runs whose report changed without a word, over all captures. */
static long failures;

/* Every allocation of the run over path, failed in turn. */
static void audit(const char *path, enum mode m)
{
	char *want, *got;
	long total, said = 0, same = 0, lost = 0;

	assert_false(run(path, -1, m, &want));
	total = counted;
	assert_true(total > 0);
	for (long i = 0; i < total; i++) {
		if (run(path, i, m, &got)) {
			said++;
			continue;
		}
		if (strcmp(got, want) != 0) {
			/* addr2line -f -i -e build/tests/test_oom 0x... */
			print_error("%s: allocation %ld of %ld (from 0x%lx 0x%lx "
				    "0x%lx 0x%lx) failed and the report changed without "
				    "a word\n", path, i, total, site(fail_from[0]),
				    site(fail_from[1]), site(fail_from[2]),
				    site(fail_from[3]));
			lost++;
		} else {
			same++;
		}
		free(got);
	}
	print_message("%s%s: %ld allocations: %ld said out of memory, %ld lost nothing\n",
		      path, m == M_NDJSON ? " (NDJSON)" : m == M_AUDIO ? " (audio)" : "",
		      total, said, same);
	free(want);
	failures += lost;
}

/* Captures that take the pipeline's paths between them: SRTP with
 * RFC 4733 DTMF; TCP segments; TLS 1.3 with its secrets in the pcapng;
 * IP fragments; DTMF in SIP INFO; a hold (re-INVITE); SRTP whose key
 * comes late (held packets); a rekey; a new SSRC; a forked call; RTP on
 * a shared port; WebSocket. */
static const char *const captures[] = {
	"testdata/srtp-dtmf-call.pcap",
	"testdata/sip-tcp-segmented.pcap",
	"testdata/tls-tls13-chacha20-dsb.pcapng",
	"testdata/sip-udp-fragmented.pcap",
	"testdata/dtmf-sip-info.pcap",
	"testdata/media-hold.pcap",
	"testdata/srtp-late-join.pcap",
	"testdata/srtp-rekey.pcap",
	"testdata/rtp-ssrc-change.pcap",
	"testdata/call-forked.pcap",
	"testdata/media-shared-port.pcap",
	"testdata/wss-kamailio.pcap",
};

static void test_captures(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(captures) / sizeof(captures[0]); i++) {
		audit(captures[i], M_JSON);
		audit(captures[i], M_NDJSON);
	}
	assert_int_equal(failures, 0);
}

/* ---- the report writers ------------------------------------------------ */

/* The capture through a pipeline, nothing failed: the report that the
 * writers below are run on (with the RTP series the HTML page draws). */
static struct sift_pipeline *whole(const char *path)
{
	struct sift_pipeline_opts o;
	struct sift_pipeline *pl;
	struct sift_capture *c;
	struct sift_packet pkt;
	char err[256];

	memset(&o, 0, sizeof(o));
	o.series = true;
	pl = sift_pipeline_new(&o);
	assert_non_null(pl);
	assert_int_equal(sift_pipeline_input(pl, path), SIFT_OK);
	assert_int_equal(sift_capture_open(path, 0, &c, err, sizeof(err)), SIFT_OK);
	while (sift_capture_next(c, &pkt) == SIFT_OK)
		assert_int_equal(sift_pipeline_packet(pl, &pkt), SIFT_OK);
	sift_pipeline_finish(pl);
	assert_false(sift_pipeline_oom(pl));
	sift_capture_close(c);
	return pl;
}

enum writer { W_TEXT, W_CALLS, W_FLOW, W_FLOW_WIDE, W_DTMF, W_LINT,
	      W_LINT_ALL, W_JUNIT, W_HTML, W_COUNT };

static const char *const writer_name[W_COUNT] = {
	"text", "calls", "flow", "flow (120 columns, colour)", "dtmf", "lint",
	"lint --all", "junit", "html",
};

/* One writer into *out (the caller frees it); its answer. */
static enum sift_rc write_one(const struct sift_report *r, enum writer w,
			      char **out)
{
	struct sift_text_opts to = { SIFT_TIME_ABS, false, 0 };
	struct sift_text_opts wide = { SIFT_TIME_REL, true, 120 };
	struct sift_html_opts ho;
	size_t len = 0;
	enum sift_rc rc = SIFT_EINVAL;
	FILE *f = open_memstream(out, &len);

	assert_non_null(f);
	memset(&ho, 0, sizeof(ho));
	switch (w) {
	case W_TEXT: rc = sift_report_text(r, f); break;
	case W_CALLS: rc = sift_report_calls(r, f, false, &to); break;
	case W_FLOW: rc = sift_report_flow(r, f, &to); break;
	case W_FLOW_WIDE: rc = sift_report_flow(r, f, &wide); break;
	case W_DTMF: rc = sift_report_dtmf(r, f, &to); break;
	case W_LINT: rc = sift_report_lint(r, f, false, &to); break;
	case W_LINT_ALL: rc = sift_report_lint(r, f, true, &wide); break;
	case W_JUNIT: rc = sift_report_junit(r, f, SIFT_SEV_WARNING); break;
	case W_HTML: rc = sift_report_html(r, f, &ho); break;
	case W_COUNT: break;
	}
	assert_int_equal(fclose(f), 0);
	return rc;
}

/* Each writer, each of its allocations failed in turn: the writer says
 * SIFT_ENOMEM (main: "out of memory", exit 5), or the report it reads
 * calls back from says it ran out (sift_pipeline_oom), or the page is
 * the one of the run where nothing failed. The memory stream never fails
 * to write, so any other answer is memory taken for a write error. */
static void audit_writers(const char *path)
{
	struct sift_pipeline *pl = whole(path);

	for (int w = 0; w < W_COUNT; w++) {
		char *want, *got;
		long total, said = 0, same = 0;

		counted = 0;
		fail_at = -1;
		armed = true;
		assert_int_equal(write_one(sift_pipeline_report(pl), w, &want), SIFT_OK);
		armed = false;
		total = counted;
		for (long i = 0; i < total; i++) {
			enum sift_rc rc;

			counted = 0;
			fail_at = i;
			armed = true;
			rc = write_one(sift_pipeline_report(pl), w, &got);
			armed = false;
			if (rc == SIFT_ENOMEM || sift_pipeline_oom(pl)) {
				said++;
			} else if (rc != SIFT_OK || strcmp(got, want) != 0) {
				print_error("%s: %s: allocation %ld of %ld (from 0x%lx "
					    "0x%lx 0x%lx 0x%lx) failed: %s\n", path,
					    writer_name[w], i, total,
					    site(fail_from[0]), site(fail_from[1]),
					    site(fail_from[2]), site(fail_from[3]),
					    rc != SIFT_OK ? sift_rc_str(rc) :
					    "the report changed without a word");
				failures++;
			} else {
				same++;
			}
			free(got);
			/* Calls read back without memory stay lost to this
			 * report: the next run gets a whole one again. */
			if (sift_pipeline_oom(pl)) {
				sift_pipeline_free(pl);
				pl = whole(path);
			}
		}
		print_message("%s: %s: %ld allocations: %ld said out of memory, "
			      "%ld lost nothing\n", path, writer_name[w], total,
			      said, same);
		free(want);
	}
	sift_pipeline_free(pl);
}

static void test_writers(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(captures) / sizeof(captures[0]); i++)
		audit_writers(captures[i]);
	assert_int_equal(failures, 0);
}

/* ---- the merger ------------------------------------------------------- */

/* Two captures merged by time (the same file given twice, and another):
 * each packet handed out, as file, frame and a hash of its bytes, into
 * *out. true when the merger said SIFT_ENOMEM. */
static bool merge_run(const char *a, const char *b, char **out)
{
	const char *paths[] = { a, a, b };
	struct sift_merge *m;
	struct sift_packet pkt;
	size_t len = 0;
	enum sift_rc rc = SIFT_OK;
	FILE *f = open_memstream(out, &len);

	assert_non_null(f);
	m = sift_merge_new();
	if (!m)
		rc = SIFT_ENOMEM;
	for (uint32_t i = 0; m && rc == SIFT_OK && i < 3; i++) {
		struct sift_capture *c;
		char err[256];

		rc = sift_capture_open(paths[i], i, &c, err, sizeof(err));
		if (rc == SIFT_OK && (rc = sift_merge_add(m, c)) != SIFT_OK)
			sift_capture_close(c);
	}
	while (rc == SIFT_OK && (rc = sift_merge_next(m, &pkt, NULL)) == SIFT_OK) {
		uint64_t h = 1469598103934665603ULL;

		for (size_t i = 0; i < pkt.caplen; i++)
			h = (h ^ pkt.data[i]) * 1099511628211ULL;
		fprintf(f, "%u %llu %llx\n", pkt.where.file,
			(unsigned long long)pkt.where.frame, (unsigned long long)h);
	}
	sift_merge_free(m);
	assert_int_equal(fclose(f), 0);
	if (rc != SIFT_EOF)
		assert_int_equal(rc, SIFT_ENOMEM);
	return rc == SIFT_ENOMEM;
}

/* Each allocation of the merge failed in turn: it says SIFT_ENOMEM, or
 * hands out the very packets of the run where nothing failed (a packet
 * it could not remember was handed out again from its twin). */
static void test_merge(void **state)
{
	const char *a = "testdata/sip-udp-sipp.pcap", *b = "testdata/sip-udp-kamailio.pcap";
	char *want, *got;
	long total, said = 0;

	(void)state;
	counted = 0;
	fail_at = -1;
	armed = true;
	assert_false(merge_run(a, b, &want));
	armed = false;
	total = counted;
	for (long i = 0; i < total; i++) {
		bool oom;

		counted = 0;
		fail_at = i;
		armed = true;
		oom = merge_run(a, b, &got);
		armed = false;
		if (oom)
			said++;
		else if (strcmp(got, want) != 0)
			fail_msg("merge: allocation %ld of %ld (from 0x%lx) failed and "
				 "the packets changed without a word", i, total,
				 site(fail_from[0]));
		free(got);
	}
	print_message("merge: %ld allocations: %ld said out of memory\n", total, said);
	free(want);
}

/* WAV files: decrypted SRTP, and the codecs sipsift decodes. */
static const char *const audio_captures[] = {
	"testdata/srtp-dtmf-call.pcap",
	"testdata/audio-pcma.pcap",
	"testdata/audio-g722.pcap",
	"testdata/audio-opus.pcap",
};

static void test_audio(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(audio_dir));
	for (size_t i = 0; i < sizeof(audio_captures) / sizeof(audio_captures[0]); i++)
		audit(audio_captures[i], M_AUDIO);
	dir_files(NULL);
	assert_int_equal(rmdir(audio_dir), 0);
	assert_int_equal(failures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_captures),
		cmocka_unit_test(test_audio),
		cmocka_unit_test(test_writers),
		cmocka_unit_test(test_merge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
