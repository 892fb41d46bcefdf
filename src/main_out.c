/* Small outputs of the command line beside the reports: see main_out.h. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "main_out.h"
#include "rerun.h"
#include "sipsift/media.h"
#include "util/span.h"

/* With SIGPIPE ignored a write says EPIPE; errno may have been
 * overwritten since, so the pipe itself is asked too (a pipe with no
 * reader polls as an error). */
bool sift_main_stdout_gone(int e)
{
	struct pollfd p = { .fd = STDOUT_FILENO, .events = POLLOUT };

	if (e == EPIPE)
		return true;
	return poll(&p, 1, 0) == 1 && (p.revents & POLLERR);
}

/* decrypt: one stderr line per SRTP stream, and the count written (a
 * fragmented datagram rewritten whole is one packet; a selection writes
 * fewer than were read). */
void sift_main_decrypt_summary(const struct sift_cli *cli, const struct sift_report *r,
			       uint64_t written)
{
	size_t n = r->media ? sift_media_count(r->media) : 0;

	if (cli->quiet)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct sift_stream *s = sift_media_get(r->media, i);
		char a[SIFT_ADDR_STRLEN], b[SIFT_ADDR_STRLEN];

		if (!s->srtp)
			continue;
		fprintf(stderr, "sipsift: note: stream %u %s SSRC 0x%08x %s -> %s: ",
			s->id, s->rtcp ? "srtcp" : "srtp", s->ssrc,
			sift_addr_str(&s->src, a, sizeof(a)),
			sift_addr_str(&s->dst, b, sizeof(b)));
		if (s->decrypted && s->rekeys)
			fprintf(stderr, "%llu decrypted, %llu failed, %llu replayed, %u rekey%s\n",
				(unsigned long long)s->decrypted,
				(unsigned long long)s->auth_failures,
				(unsigned long long)s->replay_drops, s->rekeys,
				s->rekeys == 1 ? "" : "s");
		else if (s->decrypted)
			fprintf(stderr, "%llu decrypted, %llu failed, %llu replayed\n",
				(unsigned long long)s->decrypted,
				(unsigned long long)s->auth_failures,
				(unsigned long long)s->replay_drops);
		else if (s->no_key)
			fprintf(stderr, "no key (no a=crypto in its call; see --key)\n");
		else
			fprintf(stderr, "failed: no key of its call authenticates its %llu packets\n",
				(unsigned long long)s->auth_failures);
	}
	fprintf(stderr, "sipsift: note: %s: %llu packets written, %llu SRTP/SRTCP packets decrypted%s\n",
		cli->write_pcap, (unsigned long long)written,
		(unsigned long long)r->sum.rewritten,
		r->sum.not_rewritten ? " (some decrypted packets were fragmented or tunnelled and are written as they were)" : "");
	/* Packets held until their key came (media_hold.c) were written
	 * already, as they came: the capture is not rewritten backwards. */
	if (sift_media_held_late(r->media)) {
		bool pipe = false;

		for (int i = 0; i < cli->nfiles; i++)
			pipe = pipe || strcmp(cli->files[i], "-") == 0;
		fprintf(stderr, "sipsift: note: %s: %llu SRTP/SRTCP packets came before their key and are written encrypted, as they came (the report, DTMF and audio have them decrypted)%s\n",
			cli->write_pcap,
			(unsigned long long)sift_media_held_late(r->media),
			pipe ? "; from a file instead of standard input, the keys are read first and they are written decrypted" : "");
	}
}

/* audio -d DIR: the directory exists (or is made) and takes files; the
 * one-line reason otherwise. Checked first, so that a wrong DIR fails
 * before the capture is read. */
bool sift_main_audio_dir_ok(const char *dir, char *err, size_t errlen)
{
	struct stat st;
	char probe[4096];
	int fd;

	/* Room for the file names after it (audio.c). */
	if (strlen(dir) > 3000) {
		snprintf(err, errlen, "path too long");
		return false;
	}
	if (stat(dir, &st) != 0) {
		if (errno != ENOENT || mkdir(dir, 0777) != 0) {
			snprintf(err, errlen, "cannot create the directory: %s",
				 strerror(errno));
			return false;
		}
	} else if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "not a directory");
		return false;
	}
	/* access(2) says yes to root on a read-only file system: try. */
	if ((size_t)snprintf(probe, sizeof(probe), "%s/.sipsift-XXXXXX", dir) >= sizeof(probe)) {
		snprintf(err, errlen, "path too long");
		return false;
	}
	fd = mkstemp(probe);
	if (fd < 0) {
		snprintf(err, errlen, "cannot write there: %s", strerror(errno));
		return false;
	}
	close(fd);
	unlink(probe);
	return true;
}

/* audio, text: one line per WAV file written, then the count. */
enum sift_rc sift_main_audio_list(const struct sift_cli *cli,
			       const struct sift_report *r, FILE *out)
{
	size_t n = sift_audio_nfiles(r->audio);

	for (size_t i = 0; i < n; i++) {
		const struct sift_audio_file *f = sift_audio_file(r->audio, i);

		fprintf(out, "%s  %u Hz %s %9.3f s  call %u  %s\n", f->path,
			f->rate, f->channels == 2 ? "stereo" : "mono  ",
			f->rate ? (double)f->frames / f->rate : 0.0,
			f->call_index, f->what);
	}
	fprintf(out, "%zu WAV file%s in %s\n", n, n == 1 ? "" : "s",
		cli->audio.dir);
	return ferror(out) ? SIFT_EIO : SIFT_OK;
}

/* The terminal's columns when the report goes to one: $COLUMNS when set
 * (as git and Python read it), else the terminal's own; 0 for a pipe or a
 * file. */
unsigned sift_main_term_width(FILE *out)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");
	uint32_t v;

	if (out != stdout || !isatty(STDOUT_FILENO))
		return 0;
	if (env && sift_span_u32(sift_span_cstr(env), 100000, &v) && v)
		return v;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

/* --time, and --color against NO_COLOR (https://no-color.org: set and not
 * empty), TERM=dumb and whether the report goes to a terminal. */
void sift_main_text_opts(const struct sift_cli *cli, FILE *out,
		      struct sift_text_opts *to)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	memset(to, 0, sizeof(*to));
	to->time = cli->time;
	to->width = sift_main_term_width(out);
	if (cli->color == SIFT_COLOR_ALWAYS)
		to->color = true;
	else if (cli->color == SIFT_COLOR_AUTO)
		to->color = to->width && !(nc && *nc) &&
			    !(term && strcmp(term, "dumb") == 0);
}

/* The directory the page is written in, absolute and resolved (the WAV
 * files are linked relative to it); the working directory for standard
 * output. NULL when it cannot be resolved: the paths stay as given. */
static char *page_dir(const char *output)
{
	char *copy, *slash, *dir;

	if (!output || strcmp(output, "-") == 0)
		return realpath(".", NULL);
	copy = strdup(output);
	if (!copy)
		return NULL;
	slash = strrchr(copy, '/');
	if (!slash)
		dir = realpath(".", NULL);
	else if (slash == copy)
		dir = realpath("/", NULL);
	else {
		*slash = '\0';
		dir = realpath(copy, NULL);
	}
	free(copy);
	return dir;
}

int sift_main_html_texts(const struct sift_cli *cli, const char *filter,
			 const struct sift_report *r, struct sift_html_opts *ho)
{
	struct sift_rerun rr = {
		.files = cli->files, .nfiles = cli->nfiles, .filter = filter,
		.popts = cli->popts,
	};
	uint64_t dropped;
	int st;

	ho->audio = r->audio;
	ho->embed = cli->embed_audio;
	ho->embed_cap = SIFT_HTML_EMBED_CAP;
	ho->base_dir = page_dir(cli->output);
	if (r->media && sift_media_series_dropped(r->media) && !cli->quiet)
		fprintf(stderr, "sipsift: warning: only %u streams keep their statistics over time: %llu streams are not plotted\n",
			SIFT_MEDIA_MAX_SERIES,
			(unsigned long long)sift_media_series_dropped(r->media));
	for (int i = 0; i < cli->nfiles; i++)
		if (strcmp(cli->files[i], "-") == 0) {
			ho->texts_note = "the capture came on standard input, which cannot be read a second time";
			return 0;
		}
	ho->texts = sift_html_texts_new(SIFT_HTML_TEXT_CAP);
	if (!ho->texts || sift_html_texts_choose(ho->texts, r) != SIFT_OK) {
		fprintf(stderr, "sipsift: error: out of memory\n");
		return 5;
	}
	st = sift_rerun_texts(&rr, ho->texts);
	if (st == 3) {
		/* Said on stderr; the page is written without the text. */
		sift_html_texts_free(ho->texts);
		ho->texts = NULL;
		ho->texts_note = "the inputs could not be read a second time";
		return 0;
	}
	if (st != 0)
		return st;
	dropped = sift_html_texts_dropped(ho->texts);
	if (dropped && !cli->quiet)
		fprintf(stderr, "sipsift: warning: the page carries at most %zu MiB of message text: %llu messages are shown without theirs\n",
			sift_html_texts_cap(ho->texts) >> 20, (unsigned long long)dropped);
	return 0;
}

bool sift_main_fails(const struct sift_cli *cli, const struct sift_report *r)
{
	if (cli->fail_on < 0 || (cli->cmd != SIFT_CMD_LINT && !cli->fail_on_given))
		return false;
	for (int s = cli->fail_on; s <= SIFT_SEV_ERROR; s++)
		if (sift_findings_severity(r->findings, (enum sift_severity)s))
			return true;
	return false;
}

/* Same file: same device and inode (a different spelling, dir/../, a
 * symbolic or a hard link are all caught). */
static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* An output that is one of the inputs would destroy it (-o X.pcap
 * X.pcap truncated the capture before reading it): a usage error, one
 * line naming the file. An output that does not exist yet cannot be an
 * input. Standard output counts when it is a regular file the report
 * or the capture goes to (sipsift calls x.pcap >> x.pcap). */
bool sift_main_output_is_input(const struct sift_cli *cli)
{
	struct { const char *name; struct stat st; bool used; } o[3];
	bool to_stdout = (cli->write_pcap && strcmp(cli->write_pcap, "-") == 0) ||
			 ((!cli->output || strcmp(cli->output, "-") == 0) &&
			  (cli->cmd != SIFT_CMD_DECRYPT || cli->format_given));
	const char *paths[2] = { cli->output, cli->write_pcap };

	for (int k = 0; k < 2; k++) {
		o[k].name = paths[k];
		o[k].used = paths[k] && strcmp(paths[k], "-") != 0 &&
			    stat(paths[k], &o[k].st) == 0 && S_ISREG(o[k].st.st_mode);
	}
	o[2].name = "standard output";
	o[2].used = to_stdout && fstat(STDOUT_FILENO, &o[2].st) == 0 &&
		    S_ISREG(o[2].st.st_mode);
	if (cli->output && cli->write_pcap && strcmp(cli->output, "-") != 0 &&
	    (strcmp(cli->output, cli->write_pcap) == 0 ||
	     (o[0].used && o[1].used && same_file(&o[0].st, &o[1].st)))) {
		fprintf(stderr, "sipsift: error: %s: given both as the report (-o) and as the capture (-w)\n",
			cli->output);
		return true;
	}
	for (int i = 0; i < cli->nfiles; i++) {
		struct stat in;
		bool is_stdin = strcmp(cli->files[i], "-") == 0;

		if ((is_stdin ? fstat(STDIN_FILENO, &in) : stat(cli->files[i], &in)) != 0 ||
		    !S_ISREG(in.st_mode))
			continue;
		for (int k = 0; k < 3; k++)
			if (o[k].used && same_file(&o[k].st, &in)) {
				fprintf(stderr, "sipsift: error: %s: the output is also an input (%s): it would be destroyed\n",
					o[k].name, is_stdin ? "standard input" : cli->files[i]);
				return true;
			}
	}
	return false;
}
