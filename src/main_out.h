/* main_out.c: small outputs of the command line beside the reports (the
 * decrypt notes, the audio file list and directory check, the terminal's
 * width and colours). */
#ifndef SIFT_MAIN_OUT_H
#define SIFT_MAIN_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "cli.h"
#include "report/report_html.h"
#include "sipsift/report.h"

void sift_main_decrypt_summary(const struct sift_cli *cli, const struct sift_report *r,
			       uint64_t written);
bool sift_main_audio_dir_ok(const char *dir, char *err, size_t errlen);
enum sift_rc sift_main_audio_list(const struct sift_cli *cli,
			       const struct sift_report *r, FILE *out);
unsigned sift_main_term_width(FILE *out);
/* Exit 1 when findings reach --fail-on: always for lint (default: error),
 * for the other commands only when --fail-on was given. */
bool sift_main_fails(const struct sift_cli *cli, const struct sift_report *r);
void sift_main_text_opts(const struct sift_cli *cli, FILE *out,
		      struct sift_text_opts *to);
/* An output (-o, -w, or standard output as a regular file) that is one
 * of the inputs would destroy it: says so in one line, and true. */
bool sift_main_output_is_input(const struct sift_cli *cli);

/* report (HTML): the text of the messages of the calls the page details,
 * read by a second pass over the inputs (filter: the widened BPF filter
 * or NULL). When the inputs cannot be read again (standard input),
 * ho->texts stays NULL and ho->texts_note says why. Returns an exit
 * status (0, 3 input, 5 internal); ho->texts is the caller's to free. */
int sift_main_html_texts(const struct sift_cli *cli, const char *filter,
			 const struct sift_report *r, struct sift_html_opts *ho);

/* The reader of standard output went away (sipsift calls x | head), e
 * the errno of the failed write: it has what it wanted, so that is no
 * error and nothing to say. */
bool sift_main_stdout_gone(int e);

#endif
