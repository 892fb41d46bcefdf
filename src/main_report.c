/* sipsift — main's end of a run: the decrypted capture put in place, the
 * selection applied, the second passes (show, extract, report) and the
 * reports written, each with the exit status it leads to. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "main_int.h"
#include "main_out.h"
#include "rerun.h"
#include "sipsift/report.h"
#include "util/outfile.h"

/* decrypt: the capture put in place and summed up. false when the run
 * ends here (*status says how). */
static bool finish_capture(struct run *rn, const struct sift_report *r,
			   int *status)
{
	const struct sift_cli *cli = rn->cli;
	char err[256];
	uint64_t written = sift_pcap_writer_packets(rn->writer);
	enum sift_rc wrc = sift_pcap_writer_close(rn->writer, err, sizeof(err));

	rn->writer = NULL;
	sift_pipeline_set_output(rn->pl, NULL);
	if (wrc != SIFT_OK) {
		if (strcmp(cli->write_pcap, "-") == 0 && sift_main_stdout_gone(errno))
			return false;
		sift_main_diag("error", cli->write_pcap, err);
		*status = EXIT_OUTPUT;
		return false;
	}
	sift_main_decrypt_summary(cli, r, written);
	/* The capture is the output; a report only when asked for. */
	return cli->format_given;
}

/* The report in the format and for the command asked. */
static enum sift_rc write_format(struct run *rn, const struct sift_report *r)
{
	const struct sift_cli *cli = rn->cli;
	FILE *out = rn->out;
	struct sift_text_opts to;

	sift_main_text_opts(cli, out, &to);
	if (cli->cmd == SIFT_CMD_AUDIO && cli->format == SIFT_FORMAT_TEXT)
		return sift_main_audio_list(cli, r, out);
	if (cli->format == SIFT_FORMAT_HTML)
		return sift_report_html(r, out, &rn->html);
	if (cli->format == SIFT_FORMAT_JUNIT)
		return sift_report_junit(r, out, cli->fail_on);
	if (cli->format != SIFT_FORMAT_TEXT)
		return sift_report_json(r, out, cli->format == SIFT_FORMAT_NDJSON);
	if (cli->cmd == SIFT_CMD_LINT)
		return sift_report_lint(r, out, cli->lint_all, &to);
	if (cli->cmd == SIFT_CMD_CALLS)
		return sift_report_calls(r, out, cli->invite_only, &to);
	if (cli->cmd == SIFT_CMD_FLOW)
		return sift_report_flow(r, out, &to);
	if (cli->cmd == SIFT_CMD_DTMF)
		return sift_report_dtmf(r, out, &to);
	return sift_report_text(r, out);
}

/* The selection judged on every call still kept (NDJSON judged each as
 * it finished): a call named that is not there is a usage error, a
 * selection that matched nothing a note. */
static int apply_selection(const struct run *rn, const struct sift_report *r,
			   int status)
{
	char msg[512];
	int k;

	if (!sift_main_selected)
		return status;
	for (size_t i = 0; i < sift_calls_count(r->calls); i++) {
		bool match;

		if (sift_selected_judge(sift_main_selected, sift_calls_get(r->calls, i),
					r->end_ts, r->start_ts, &match) != SIFT_OK)
			sift_main_select_oom = true;
	}
	if (sift_main_select_oom) {
		sift_main_diag("error", NULL, "out of memory");
		return EXIT_INTERNAL;
	}
	k = sift_selected_check(sift_main_selected, sift_calls_total(r->calls), msg,
				sizeof(msg));
	if (k == 2) {
		fprintf(stderr, "sipsift: error: %s\n", msg);
		return EXIT_USAGE;
	}
	if (k == 1 && !rn->cli->quiet)
		sift_main_diag("note", NULL, msg);
	return status;
}

/* extract: the media of the calls chosen, as the first pass found it. */
static struct sift_rr_flow *chosen_flows(const struct sift_report *r,
					 size_t *n)
{
	size_t ns = r->media ? sift_media_count(r->media) : 0;
	struct sift_rr_flow *fl = calloc(ns + 1, sizeof(*fl));

	*n = 0;
	for (size_t i = 0; fl && i < ns; i++) {
		const struct sift_stream *s = sift_media_get(r->media, i);

		if (!s->call_id || !sift_selected_has(sift_main_selected, s->call_id))
			continue;
		fl[*n].src = s->src;
		fl[*n].dst = s->dst;
		fl[*n].first_ts = s->first_ts;
		fl[*n].last_ts = s->last_ts;
		(*n)++;
	}
	return fl;
}

/* show and extract: the inputs read again for what belongs to the calls
 * chosen. */
static int second_pass(struct run *rn, const struct sift_report *r,
		       int status)
{
	const struct sift_cli *cli = rn->cli;
	struct sift_rerun rr = {
		.files = cli->files, .nfiles = cli->nfiles, .filter = rn->filter,
		.popts = cli->popts, .sel = sift_main_selected, .spec = &cli->sel,
		.out = rn->out, .json = cli->format == SIFT_FORMAT_JSON,
		.write_pcap = cli->write_pcap, .sip_only = cli->sip_only,
		.decrypt = cli->extract_decrypt,
	};
	struct sift_rr_flow *flows = NULL;
	int st;

	if (cli->cmd == SIFT_CMD_EXTRACT) {
		flows = chosen_flows(r, &rr.nflows);
		if (!flows)
			return sift_main_failed(SIFT_ENOMEM);
		rr.flows = flows;
	}
	/* The first pass's calls are not needed any more. */
	sift_pipeline_free(rn->pl);
	rn->pl = NULL;
	if (cli->cmd == SIFT_CMD_SHOW) {
		st = sift_rerun_show(&rr);
		if (st == EXIT_OUTPUT && rn->out == stdout && sift_main_stdout_gone(errno))
			return status;
		if (st == EXIT_OUTPUT)
			sift_main_report_write_failed(cli, errno);
	} else {
		st = sift_rerun_extract(&rr);
		if (st == EXIT_OUTPUT && strcmp(cli->write_pcap, "-") == 0 &&
		    sift_main_stdout_gone(errno))
			st = EXIT_OK;
		if (st == EXIT_OK && !cli->quiet && rr.decrypt)
			fprintf(stderr, "sipsift: note: %s: %llu packets of %zu call%s written, %llu SRTP/SRTCP packets decrypted%s\n",
				cli->write_pcap, (unsigned long long)rr.written,
				sift_selected_count(sift_main_selected),
				sift_selected_count(sift_main_selected) == 1 ? "" : "s",
				(unsigned long long)rr.decrypted,
				rr.other_link ? " (packets of another link type than the first left out)" : "");
		else if (st == EXIT_OK && !cli->quiet)
			fprintf(stderr, "sipsift: note: %s: %llu packets of %zu call%s written%s\n",
				cli->write_pcap, (unsigned long long)rr.written,
				sift_selected_count(sift_main_selected),
				sift_selected_count(sift_main_selected) == 1 ? "" : "s",
				rr.other_link ? " (packets of another link type than the first left out)" : "");
	}
	free(flows);
	return st != EXIT_OK ? st : status;
}

/* The outputs after the last packet: decrypt's capture, the audio notes,
 * the report; then --fail-on. */
int sift_main_write_reports(struct run *rn, int status)
{
	const struct sift_cli *cli = rn->cli;
	const struct sift_report *r;
	char note[512];
	enum sift_rc wr;

	r = sift_pipeline_report(rn->pl);
	status = apply_selection(rn, r, status);
	if (status == EXIT_USAGE || status == EXIT_INTERNAL)
		return status;
	if (!cli->quiet && sift_pipeline_tls_note(rn->pl, note, sizeof(note)))
		sift_main_diag("note", NULL, note);
	if (!cli->quiet && sift_pipeline_spill_note(rn->pl, note, sizeof(note)))
		sift_main_diag("note", NULL, note);
	if (cli->cmd == SIFT_CMD_DECRYPT && !finish_capture(rn, r, &status))
		return status;
	if (cli->cmd == SIFT_CMD_SHOW || cli->cmd == SIFT_CMD_EXTRACT)
		return second_pass(rn, r, status);
	if (cli->popts.audio) {
		if (!cli->quiet)
			for (size_t i = 0; i < sift_audio_nnotes(r->audio); i++)
				sift_main_diag("note", NULL, sift_audio_note(r->audio, i));
		if (sift_audio_error(r->audio)) {
			sift_main_diag("error", NULL, sift_audio_error(r->audio));
			status = EXIT_OUTPUT;
		}
	}
	if (cli->format == SIFT_FORMAT_HTML) {
		int st = sift_main_html_texts(cli, rn->filter, r, &rn->html);

		if (st != EXIT_OK)
			return st;
	}
	wr = write_format(rn, r);
	if (wr == SIFT_ENOMEM) {
		status = sift_main_failed(SIFT_ENOMEM);
	} else if (wr != SIFT_OK) {
		int e = errno;

		if (rn->out != stdout || !sift_main_stdout_gone(e)) {
			sift_main_report_write_failed(cli, e);
			status = EXIT_OUTPUT;
		}
	} else if (sift_pipeline_oom(rn->pl)) {
		/* Calls read back for the report ran out of memory. */
		status = sift_main_failed(SIFT_ENOMEM);
	} else if (status == EXIT_OK && sift_main_fails(cli, r)) {
		status = EXIT_FINDINGS;
	}
	return status;
}
