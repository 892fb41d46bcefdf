/* sipsift — main: turns the pipeline's results into output and an exit
 * status (DESIGN.md "Exit status"). The only place that exits. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "capture/capture.h"
#include "cli.h"
#include "net/link.h"
#include "capture/pcap_write.h"
#include "media/srtp.h"
#include "pipeline.h"
#include "prefetch.h"
#include "rerun.h"
#include "tls/tls.h"
#include "report/report_html.h"
#include "sipsift/report.h"
#include "util/heap.h"
#include "util/outfile.h"
#include "main_int.h"
#include "main_out.h"

#ifndef SIFT_VERSION
#define SIFT_VERSION "0.0.0"
#endif

/* Progress on a terminal every this many packets. */
#define PROGRESS_EVERY 262144

static bool quiet;
static FILE *stdout_or_file;
/* NDJSON: a line could not be written (a reader like head went away, a
 * full disk): no packet more is read, the end of the run says why. */
static bool out_failed;
/* ... for want of memory (an NDJSON line could not be made). */
static bool out_oom;
/* main_int.h says what these are. */
struct sift_selected *sift_main_selected;
bool sift_main_select_oom;

void sift_main_diag(const char *level, const char *file, const char *msg)
{
	if (quiet && strcmp(level, "error") != 0)
		return;
	if (file)
		fprintf(stderr, "sipsift: %s: %s: %s\n", level, file, msg);
	else
		fprintf(stderr, "sipsift: %s: %s\n", level, msg);
}

/* A set-up step that ran out of memory (or, rc, failed otherwise): said
 * in one line, exit 5. These were silent. */
int sift_main_failed(enum sift_rc rc)
{
	char msg[128];

	/* libsrtp2 kept from starting by a descriptor limit: that reason. */
	snprintf(msg, sizeof(msg), "libsrtp2 could not start: %s",
		 strerror(sift_srtp_init_errno()));
	sift_main_diag("error", NULL, rc != SIFT_ENOMEM ? sift_rc_str(rc) :
		       sift_srtp_init_errno() ? msg : "out of memory");
	return EXIT_INTERNAL;
}

static int open_inputs(const struct sift_cli *cli, struct sift_pipeline *pl,
		       struct sift_merge *m, struct file_state *fs,
		       const char *filter)
{
	char err[256];
	int status = EXIT_OK;

	for (int i = 0; i < cli->nfiles; i++) {
		const char *path = cli->files[i];
		enum sift_rc rc;

		if ((rc = sift_pipeline_input(pl, path)) != SIFT_OK)
			return sift_main_failed(rc);
		rc = sift_capture_open(path, (uint32_t)i, &fs[i].cap, err,
				       sizeof(err));
		/* Memory is no fault of the input's (exit 5, not 3). */
		if (rc == SIFT_ENOMEM)
			return sift_main_failed(rc);
		if (rc != SIFT_OK) {
			sift_main_diag("error", path, err);
			sift_pipeline_input_done(pl, (uint32_t)i, NULL, err);
			status = EXIT_INPUT;
			continue;
		}
		if (filter &&
		    (rc = sift_capture_set_filter(fs[i].cap, filter, err,
						  sizeof(err))) != SIFT_OK) {
			sift_capture_close(fs[i].cap);
			fs[i].cap = NULL;
			if (rc == SIFT_ENOMEM)
				return sift_main_failed(rc);
			sift_main_diag("error", path, err);
			return EXIT_USAGE;
		}
		if ((rc = sift_merge_add(m, fs[i].cap)) != SIFT_OK) {
			sift_capture_close(fs[i].cap);
			fs[i].cap = NULL;
			return sift_main_failed(rc);
		}
	}
	return status;
}

static int find_file(const struct sift_cli *cli, struct file_state *fs,
		     const struct sift_capture *c)
{
	for (int i = 0; i < cli->nfiles; i++)
		if (fs[i].cap == c)
			return i;
	return -1;
}

/* NDJSON: each call is written as soon as it is finished. */
static void stream_call(void *ctx, const struct sift_report *r,
			const struct sift_call *c, sift_time now)
{
	bool match = true;

	(void)ctx;
	if (sift_main_selected &&
	    sift_selected_judge(sift_main_selected, c, now, r->start_ts,
				&match) != SIFT_OK)
		sift_main_select_oom = true;
	if (!match)
		return;
	switch (sift_report_ndjson_call(r, c, now, stdout_or_file)) {
	case SIFT_OK:
		break;
	case SIFT_ENOMEM:
		out_oom = true;
		/* fall through */
	default:
		out_failed = true;
	}
}

static void stream_stream(void *ctx, const struct sift_report *r,
			  const struct sift_stream *s)
{
	enum sift_rc rc;

	(void)ctx;
	if (!sift_report_shown_id(r, s->call_id))
		return;
	rc = sift_report_ndjson_stream(r, s, stdout_or_file);
	out_oom = out_oom || rc == SIFT_ENOMEM;
	out_failed = out_failed || rc != SIFT_OK;
}

/* One run's state, from the inputs opened to the report written. */
void sift_main_report_write_failed(const struct sift_cli *cli, int e)
{
	fprintf(stderr, "sipsift: error: %s: writing the report failed: %s\n",
		cli->output ? cli->output : "stdout", strerror(e));
}

/* -f: checked, then widened to keep IP fragments. */
static int set_up_filter(struct run *rn)
{
	const struct sift_cli *cli = rn->cli;
	char err[256];

	if (!cli->filter)
		return EXIT_OK;
	if (sift_filter_check(cli->filter, err, sizeof(err)) != SIFT_OK) {
		fprintf(stderr, "sipsift: error: bad filter '%s': %s\n",
			cli->filter, err);
		return EXIT_USAGE;
	}
	rn->filter = sift_filter_widen(cli->filter);
	if (!rn->filter)
		return sift_main_failed(SIFT_ENOMEM);
	if (cli->verbose)
		fprintf(stderr, "sipsift: note: filter widened to keep IP fragments: %s\n",
			rn->filter);
	else if (!cli->quiet)
		fprintf(stderr, "sipsift: note: filter widened so that IP fragments of matching datagrams are kept\n");
	return EXIT_OK;
}

/* A cap hit for the first time: said now, while the run goes on. */
static void warn_cap(void *ctx, const struct sift_report *r,
		     enum sift_cap_id cap)
{
	(void)ctx;
	sift_report_warn_cap(r, cap, stderr);
}

/* audio: the selection as far as a running call shows it (--state is
 * refused for audio by the command line). */
/* audio: while a call runs, the selection but its state (known at its
 * end), so that its files are written... */
static bool audio_wanted(const void *ctx, const struct sift_call *c)
{
	const struct run *rn = ctx;
	struct sift_select running = rn->cli->sel;

	running.states = 0;
	return sift_select_match(&running, c, c->last_ts,
				 sift_pipeline_report(rn->pl)->start_ts);
}

/* ... and at its end the whole selection, as the report judges it: a
 * call --state leaves out has its files removed. */
static bool audio_keep(const void *ctx, const struct sift_call *c)
{
	const struct run *rn = ctx;
	const struct sift_report *r = sift_pipeline_report(rn->pl);
	bool match = true;

	if (!rn->cli->sel.states)
		return true;
	if (sift_selected_judge(sift_main_selected, c, r->end_ts, r->start_ts,
				&match) != SIFT_OK)
		sift_main_select_oom = true;
	return match;
}

/* The pipeline and the merger, every input opened, then the outputs
 * that start before the first packet (the NDJSON header). */
static int set_up(struct run *rn, bool *stop)
{
	struct sift_cli *cli = rn->cli;
	int status = set_up_filter(rn);
	enum sift_rc rc;

	if (status != EXIT_OK)
		return status;
	stdout_or_file = rn->out;
	if (cli->format == SIFT_FORMAT_NDJSON) {
		cli->popts.on_call = stream_call;
		cli->popts.on_stream = stream_stream;
		cli->popts.on_call_ctx = cli;
	}
	if (cli->popts.audio) {
		char err[256];

		if (!sift_main_audio_dir_ok(cli->audio.dir, err, sizeof(err))) {
			sift_main_diag("error", cli->audio.dir, err);
			return EXIT_OUTPUT;
		}
	}
	if (!cli->quiet)
		cli->popts.on_cap = warn_cap;
	cli->popts.tls_secrets_out = cli->cmd == SIFT_CMD_DECRYPT;
	/* show keeps the calls it chose (all of them without a selection)
	 * for its second pass. */
	if (sift_select_active(&cli->sel) || cli->cmd == SIFT_CMD_SHOW ||
	    cli->cmd == SIFT_CMD_EXTRACT) {
		sift_main_selected = sift_selected_new(&cli->sel);
		if (!sift_main_selected)
			return sift_main_failed(SIFT_ENOMEM);
		if (cli->popts.audio) {
			cli->audio.want = audio_wanted;
			cli->audio.want_ctx = rn;
			cli->audio.keep = audio_keep;
			cli->audio.keep_ctx = rn;
		}
	}
	rn->pl = sift_pipeline_new(&cli->popts);
	if (rn->pl)
		sift_pipeline_select(rn->pl, sift_main_selected);
	if (rn->pl && cli->verbose && sift_srtp_crypto_note())
		fprintf(stderr, "sipsift: note: %s\n", sift_srtp_crypto_note());
	rn->m = sift_merge_new();
	rn->fs = calloc((size_t)cli->nfiles, sizeof(*rn->fs));
	if (!rn->pl || !rn->m || !rn->fs)
		return sift_main_failed(SIFT_ENOMEM);
	/* Every input opens before a byte of the report is written: an input
	 * that cannot be read at all prints nothing on stdout. */
	status = open_inputs(cli, rn->pl, rn->m, rn->fs, rn->filter);
	if (status != EXIT_OK)
		return status;
	rc = cli->format == SIFT_FORMAT_NDJSON ?
	     sift_report_ndjson_header(rn->out) : SIFT_OK;
	if (rc == SIFT_ENOMEM) {
		*stop = true;
		return sift_main_failed(SIFT_ENOMEM);
	}
	if (rc != SIFT_OK) {
		int e = errno;

		*stop = true;
		if (rn->out == stdout && sift_main_stdout_gone(e))
			return EXIT_OK;
		sift_main_report_write_failed(cli, e);
		return EXIT_OUTPUT;
	}
	return EXIT_OK;
}

/* A packet the merger could not read: a cut last packet is a warning, any
 * other damage an input error (the packets before it stay). */
static int read_error(struct run *rn, enum sift_rc rc, const char *error,
		      int fi)
{
	const char *path = fi >= 0 ? rn->cli->files[fi] : "?";

	if (rc == SIFT_ETRUNC) {
		sift_main_diag("warning", path, error);
		if (fi >= 0)
			sift_pipeline_input_warning(rn->pl, (uint32_t)fi, error);
		return EXIT_OK;
	}
	sift_main_diag("error", path, error);
	if (fi >= 0)
		sift_pipeline_input_done(rn->pl, (uint32_t)fi, NULL, error);
	return EXIT_INPUT;
}

/* One packet through the pipeline (decrypt: the output capture opens with
 * the first). EXIT_OK to go on; *stop when the run ends here. */
static int one_packet(struct run *rn, struct sift_packet *pkt, bool *stop)
{
	const struct sift_cli *cli = rn->cli;
	enum sift_rc rc;

	if (cli->cmd == SIFT_CMD_DECRYPT && !rn->writer) {
		char err[256];
		size_t klen;
		const char *keys = sift_tls_keys_files_text(cli->popts.tls_keys,
							    &klen);

		/* The output takes the link type of the first packet; with
		 * TLS secrets (an RSA key gives them as it opens sessions)
		 * it is pcapng that carries them, so that Wireshark reads
		 * the SIP over TLS without settings. */
		if (sift_pcap_writer_open_decrypted(cli->write_pcap,
						    pkt->linktype, keys, klen,
						    pkt->secrets_len > 0 ||
						    sift_tls_rsa_count(cli->popts.tls_keys) > 0,
						    &rn->writer, err,
						    sizeof(err)) != SIFT_OK) {
			sift_main_diag("error", cli->write_pcap, err);
			*stop = true;
			return EXIT_OUTPUT;
		}
		sift_pipeline_set_output(rn->pl, rn->writer);
	}
	/* Secrets the input carried go out before the packets they open;
	 * a classic pcap (chosen before they came) cannot hold them: said
	 * once. */
	if (cli->cmd == SIFT_CMD_DECRYPT && pkt->secrets_len > 0) {
		enum sift_rc wr = sift_pcap_write_tls_keylog(rn->writer,
							     pkt->secrets,
							     pkt->secrets_len);

		if (wr == SIFT_EIO)
			goto write_failed;
		if (wr == SIFT_EINVAL && !rn->secrets_told && !cli->quiet) {
			rn->secrets_told = true;
			sift_main_diag("note", cli->write_pcap,
				       "TLS secrets that came after the first packet are not in this classic pcap; name the output .pcapng to keep them");
		}
	}
	rc = sift_pipeline_packet(rn->pl, pkt);
	if (rc == SIFT_ENOMEM) {
		sift_main_diag("error", NULL, "out of memory");
		*stop = true;
		return EXIT_INTERNAL;
	}
	if (rc == SIFT_EIO)
		goto write_failed;
	return EXIT_OK;
write_failed:
	{
		int e = errno;

		*stop = true;
		if (strcmp(cli->write_pcap, "-") == 0 && sift_main_stdout_gone(e))
			return EXIT_OK;
		sift_main_diag("error", cli->write_pcap, "writing the capture failed");
		return EXIT_OUTPUT;
	}
}

static void progress_line(const struct run *rn, uint64_t n)
{
	const struct sift_report *pr = sift_pipeline_report(rn->pl);

	if (pr->audio)
		fprintf(stderr, "\rsipsift: %llu packets, %zu WAV files",
			(unsigned long long)n, sift_audio_nfiles(pr->audio));
	else
		fprintf(stderr, "\rsipsift: %llu packets", (unsigned long long)n);
}

/* Every packet of every input, in time order, through the pipeline.
 * *stop when the run ends without a report. */
static int packets(struct run *rn, struct sift_prefetch *pf, bool *stop)
{
	bool progress = !rn->cli->quiet && isatty(STDERR_FILENO);
	uint64_t n = 0;
	int status = EXIT_OK;

	for (;;) {
		struct sift_packet pkt;
		struct sift_capture *from = NULL;
		struct sift_prefetched x = { "", NULL, NULL, 0, NULL, 0 };
		enum sift_rc rc = pf ? sift_prefetch_next(pf, &pkt, &from, &x) :
				       sift_merge_next(rn->m, &pkt, &from);
		int fi, st;

		if (rc == SIFT_EOF)
			break;
		fi = find_file(rn->cli, rn->fs, from);
		/* Memory is no damage of the input's: the run stops, exit 5. */
		if (rc == SIFT_ENOMEM) {
			*stop = true;
			return sift_main_failed(rc);
		}
		if (rc != SIFT_OK) {
			if (!pf)
				x.error = sift_capture_error(from);
			if (read_error(rn, rc, x.error, fi) != EXIT_OK)
				status = EXIT_INPUT;
			continue;
		}
		if (pf)         /* a parse ahead lives for its packet only */
			sift_pipeline_preparsed(rn->pl, x.msg, x.syn, x.msg_p, x.msg_n);
		sift_pipeline_merge_unchecked(rn->pl, pf ? x.unchecked :
						     sift_merge_unchecked(rn->m));
		if (fi >= 0) {
			if (sift_link_supported(pkt.linktype)) {
				rn->fs[fi].supported++;
			} else {
				rn->fs[fi].unsupported++;
				rn->fs[fi].bad_linktype = pkt.linktype;
			}
		}
		sift_prefetch_hint(pf, rn->m, rn->pl);
		st = one_packet(rn, &pkt, stop);
		if (*stop)
			return st != EXIT_OK ? st : status;
		if (out_failed)
			break;
		sift_heap_tick();
		if (progress && ++n % PROGRESS_EVERY == 0)
			progress_line(rn, n);
	}
	if (progress && n >= PROGRESS_EVERY)
		fprintf(stderr, "\r\033[K");
	return status;
}

static int run_pipeline(struct run *rn, bool *stop)
{
	/* -j 2: the inputs are read, and their UDP SIP parsed, on a second
	 * core (without a thread, on one). SIPSIFT_PREFETCH_AHEAD
	 * (tests/jobs.sh): how far ahead the reader parses; 0: always. */
	const char *env = getenv("SIPSIFT_PREFETCH_AHEAD");
	bool syntax = sift_lint_cfg_any(&rn->cli->rules);
	unsigned jobs = rn->cli->jobs ? rn->cli->jobs :
		sift_cores() >= 2 && sift_prefetch_pays(rn->m, syntax) ? 2 : 1;
	struct sift_prefetch *pf = jobs < 2 ||
		!sift_prefetch_files(rn->cli->files, rn->cli->nfiles) ? NULL :
		sift_prefetch_start(rn->m, env && *env ? (unsigned)strtoul(env, NULL, 10) :
				    SIFT_PREFETCH_AHEAD, syntax);
	int st = packets(rn, pf, stop);

	sift_prefetch_stop(pf);
	if (*stop)
		return st;
	/* An NDJSON line that could not be made stopped the reading: said,
	 * not a report that ends there. */
	if (out_oom) {
		*stop = true;
		return sift_main_failed(SIFT_ENOMEM);
	}
	sift_pipeline_leave_at_exit(rn->pl);
	sift_pipeline_finish(rn->pl);
	/* What the end of input flushes ran out of memory: no report. */
	if (out_oom || sift_pipeline_oom(rn->pl)) {
		*stop = true;
		return sift_main_failed(SIFT_ENOMEM);
	}
	return st;
}

/* An input that repeats another's packets (the same file named twice)
 * was read once: say so. */
static void warn_dups(struct run *rn)
{
	for (size_t k = 0; k < sift_merge_count(rn->m); k++) {
		struct sift_capture *c = sift_merge_get(rn->m, k);
		size_t twin = 0;
		uint64_t n = sift_merge_dups(rn->m, k, &twin);
		int fi = find_file(rn->cli, rn->fs, c);
		int ti = find_file(rn->cli, rn->fs, sift_merge_get(rn->m, twin));
		uint64_t all = sift_capture_info(c)->packets;
		char msg[512];

		if (!n || fi < 0 || ti < 0)
			continue;
		if (n == all && strcmp(rn->cli->files[ti], rn->cli->files[fi]) == 0)
			snprintf(msg, sizeof(msg),
				 "given twice (%llu packets): read once",
				 (unsigned long long)n);
		else if (n == all)
			snprintf(msg, sizeof(msg),
				 "the same capture as %s (its %llu packets, same bytes and times): read once",
				 rn->cli->files[ti], (unsigned long long)n);
		else
			snprintf(msg, sizeof(msg),
				 "%llu of its %llu packets are %s's (same bytes and times): read once",
				 (unsigned long long)n, (unsigned long long)all,
				 rn->cli->files[ti]);
		sift_main_diag("warning", rn->cli->files[fi], msg);
	}
}

/* Each input's end: its link types said, its counts to the report. */
static int finish_inputs(struct run *rn, int status)
{
	const struct sift_cli *cli = rn->cli;

	for (int i = 0; i < cli->nfiles; i++) {
		const struct file_state *f = &rn->fs[i];

		if (!f->cap)
			continue;
		if (f->unsupported) {
			char msg[128];

			snprintf(msg, sizeof(msg),
				 "unsupported link type %d (%llu packets not decoded)",
				 f->bad_linktype, (unsigned long long)f->unsupported);
			if (!f->supported) {
				sift_main_diag("error", cli->files[i], msg);
				status = EXIT_INPUT;
				rn->unreadable = true;
			} else {
				sift_main_diag("warning", cli->files[i], msg);
			}
			sift_pipeline_input_done(rn->pl, (uint32_t)i, NULL, msg);
		}
		sift_pipeline_input_done(rn->pl, (uint32_t)i,
					 sift_capture_info(f->cap), NULL);
	}
	warn_dups(rn);
	if (!cli->quiet)
		sift_report_warn_caps(sift_pipeline_report(rn->pl), stderr);
	return status;
}

/* The run, step by step. *keep: a report was written that main puts in
 * place even with exit 3 (a capture damaged halfway). */
static int run(struct sift_cli *cli, FILE *out, bool *keep)
{
	struct run rn = { .cli = cli, .out = out };
	bool stop = false;
	int status = set_up(&rn, &stop);

	if (status != EXIT_OK || stop)
		goto out;
	/* Keys before media: the signalling of seekable inputs is read
	 * again when an SRTP packet comes before its key. */
	sift_pipeline_keys_on_demand(rn.pl, (const char *const *)cli->files,
				     (size_t)cli->nfiles, rn.filter);
	status = run_pipeline(&rn, &stop);
	if (stop)
		goto out;
	status = finish_inputs(&rn, status);
	/* An input none of whose packets could be decoded: its error was
	 * said; no report, no capture (the WAV files finished so far are
	 * complete and stay). One found damaged further in is reported up
	 * to the damage, its outputs kept, and exits 3. */
	if (rn.unreadable)
		goto out;
	*keep = true;
	status = sift_main_write_reports(&rn, status);
out:
	/* Still open: the run failed, the capture is not put in place. */
	sift_html_texts_free(rn.html.texts);
	free((char *)rn.html.base_dir);
	sift_pcap_writer_abort(rn.writer);
	sift_merge_free(rn.m);
	sift_pipeline_free_at_exit(rn.pl);
	sift_selected_free(sift_main_selected);
	sift_main_selected = NULL;
	free(rn.fs);
	free(rn.filter);
	return status;
}

int main(int argc, char **argv)
{
	struct sift_cli cli;
	struct sift_outfile *of = NULL;
	char err[256];
	FILE *out = stdout;
	bool keep = false;
	int status;

	/* A closed pipe is a write error (EPIPE) to tell from a full disk,
	 * not a signal that kills us before the files are cleaned up; so is
	 * a file past ulimit -f (EFBIG, not SIGXFSZ). */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);

	if (sift_cli_parse(argc, argv, &cli, err, sizeof(err)) != 0) {
		fprintf(stderr, "sipsift: error: %s\nTry 'sipsift --help'.\n", err);
		return EXIT_USAGE;
	}
	if (cli.help) {
		sift_cli_usage_cmd(stdout, cli.cmd);
		return fflush(stdout) == 0 || sift_main_stdout_gone(errno) ? EXIT_OK : EXIT_OUTPUT;
	}
	if (cli.version) {
		printf("sipsift %s\n", SIFT_VERSION);
		return EXIT_OK;
	}
	if (cli.list_rules)
		return sift_report_rules(stdout) == SIFT_OK || sift_main_stdout_gone(errno) ?
		       EXIT_OK : EXIT_OUTPUT;
	quiet = cli.quiet;
	if (sift_main_output_is_input(&cli))
		return EXIT_USAGE;
	sift_heap_huge(cli.format == SIFT_FORMAT_NDJSON);
	/* The report goes under a temporary name, put in place only when
	 * the run succeeds (util/outfile.h). */
	if (cli.output && strcmp(cli.output, "-") != 0) {
		if (sift_outfile_open(cli.output, &of, err, sizeof(err)) != SIFT_OK) {
			fprintf(stderr, "sipsift: error: %s: %s\n", cli.output, err);
			return EXIT_OUTPUT;
		}
		out = sift_outfile_stream(of);
		if (!out) {
			fprintf(stderr, "sipsift: error: %s: cannot write: %s\n",
				cli.output, strerror(errno));
			sift_outfile_abort(of);
			return EXIT_OUTPUT;
		}
	}
	status = run(&cli, out, &keep);
	sift_tls_keys_free(cli.popts.tls_keys);
	if (of && status != EXIT_OK && status != EXIT_FINDINGS &&
	    !(status == EXIT_INPUT && keep)) {
		sift_outfile_abort(of);
	} else if (of && sift_outfile_commit(of, err, sizeof(err)) != SIFT_OK) {
		fprintf(stderr, "sipsift: error: %s: %s\n", cli.output, err);
		status = EXIT_OUTPUT;
	}
	if (!of && fflush(stdout) != 0 && !sift_main_stdout_gone(errno) &&
	    (status == EXIT_OK || status == EXIT_FINDINGS ||
	     (status == EXIT_INPUT && keep))) {
		fprintf(stderr, "sipsift: error: stdout: %s\n", strerror(errno));
		status = EXIT_OUTPUT;
	}
	return status;
}
