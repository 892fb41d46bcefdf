/* sipsift — the HTML report's audio players: with -d DIR the audio stage
 * wrote a WAV file per stream direction and a stereo file per call; the
 * page gets an <audio> element for each, linked by a path relative to the
 * page (the page and the directory travel together), or with
 * --embed-audio carried in the page as a data: URI up to a total size
 * (the files past it stay linked, and the page says how many). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "media/audio.h"
#include "report/report_html.h"
#include "report/report_html_int.h"

/* A path as a URL path: bytes other than the unreserved ones and '/'
 * percent-encoded (RFC 3986 §2.1, §2.3), so that '#', '?', '%', spaces
 * and any byte of a directory's name reach the browser as they are. */
static void put_url_path(FILE *f, const char *p)
{
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
		    c == '~' || c == '/')
			fputc(c, f);
		else
			fprintf(f, "%%%02X", c);
	}
}

char *sift_html_relative(const char *base, const char *path)
{
	size_t i, common = 0, ups = 0, len;
	const char *q;
	char *out;

	for (i = 0; base[i] && path[i] && base[i] == path[i]; i++)
		if (base[i] == '/')
			common = i + 1;
	/* All of base matched, up to a '/' of path: base is path's
	 * directory (or above it). */
	if (!base[i] && path[i] == '/') {
		common = i + 1;
		q = base + i;
	} else {
		q = base + common;
	}
	while (*q) {
		ups++;
		q = strchr(q, '/');
		if (!q)
			break;
		q++;
	}
	len = strlen(path + common);
	out = malloc(3 * ups + len + 1);
	if (!out)
		return NULL;
	for (i = 0; i < ups; i++)
		memcpy(out + 3 * i, "../", 3);
	memcpy(out + 3 * ups, path + common, len + 1);
	return out;
}

/* The file as base64 (RFC 4648 §4), read in pieces. false when it could
 * not be read whole (what was written of it is then cut short: the
 * caller only embeds files it could stat and open). */
static bool put_base64(FILE *f, FILE *in)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned char buf[3 * 1024];
	size_t n;

	while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
		for (size_t i = 0; i < n; i += 3) {
			unsigned v = (unsigned)buf[i] << 16;
			size_t k = n - i < 3 ? n - i : 3;

			if (k > 1)
				v |= (unsigned)buf[i + 1] << 8;
			if (k > 2)
				v |= buf[i + 2];
			fputc(b64[v >> 18 & 63], f);
			fputc(b64[v >> 12 & 63], f);
			fputc(k > 1 ? b64[v >> 6 & 63] : '=', f);
			fputc(k > 2 ? b64[v & 63] : '=', f);
		}
		/* Only the last piece may be short: base64 runs on. */
		if (n < sizeof(buf))
			break;
	}
	return !ferror(in);
}

/* Embeds path when it fits what is left of the budget. */
static bool embed(FILE *f, struct sift_html_opts *o, const char *path)
{
	struct stat sb;
	FILE *in;
	bool ok;

	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    (uint64_t)sb.st_size > o->embed_cap - o->embedded)
		return false;
	in = fopen(path, "rb");
	if (!in)
		return false;
	fputs("data:audio/wav;base64,", f);
	ok = put_base64(f, in);
	fclose(in);
	o->embedded += (size_t)sb.st_size;
	return ok;
}

/* One player: label as its caption, kind ("stream 3", "stereo") as its
 * data-wav for scripts and tests. */
static void player(FILE *f, struct sift_html_opts *o, const char *path,
		   const char *kind, const char *label)
{
	char *real = realpath(path, NULL), *rel = NULL;

	fprintf(f, "<figure class=\"audio\" data-wav=\"%s\"><figcaption>", kind);
	sift_html_esc(f, label);
	fputs("</figcaption><audio controls preload=\"metadata\" src=\"", f);
	if (o->embed && real && embed(f, o, real)) {
		fputs("\"></audio></figure>\n", f);
		free(real);
		return;
	}
	if (o->embed)
		o->not_embedded++;
	if (real && o->base_dir)
		rel = sift_html_relative(o->base_dir, real);
	put_url_path(f, rel ? rel : path);
	fputs("\"></audio></figure>\n", f);
	free(rel);
	free(real);
}

/* What the audio stage says of the file at path ("caller: PCMU/8000 from
 * ... to ..."), or "". */
static const char *what_of(const struct sift_audio *a, const char *path)
{
	for (size_t i = 0; i < sift_audio_nfiles(a); i++)
		if (!strcmp(sift_audio_file(a, i)->path, path))
			return sift_audio_file(a, i)->what;
	return "";
}

/* Was the file of stream k of the call (its k-th id) shown before it? */
static bool shown_before(const struct sift_audio *a, const json_t *ids, size_t k,
			 const char *wav)
{
	for (size_t j = 0; j < k; j++) {
		const char *w = sift_audio_stream_wav(a, (uint32_t)json_integer_value(
			json_array_get(ids, j)));

		if (w && !strcmp(w, wav))
			return true;
	}
	return false;
}

void sift_html_write_audio(FILE *f, struct sift_html_opts *o, const json_t *call,
			   const char *heading)
{
	long long idx = sift_html_jint(call, "index", -1);
	const json_t *ids = json_object_get(call, "streams"), *v;
	const struct sift_audio *a = o ? o->audio : NULL;
	bool head = false;
	size_t i;

	if (!a)
		return;
	for (i = 0; i < sift_audio_nfiles(a); i++) {
		const struct sift_audio_file *af = sift_audio_file(a, i);

		if ((long long)af->call_index != idx || af->channels != 2)
			continue;
		if (!head) {
			fprintf(f, "%s\n<div class=\"audio\">\n", heading);
			head = true;
		}
		player(f, o, af->path, "stereo", "Both directions (caller left, callee right)");
	}
	json_array_foreach(ids, i, v) {
		long long id = json_integer_value(v);
		const char *wav = sift_audio_stream_wav(a, (uint32_t)id);
		char kind[32], label[160];

		if (!wav || shown_before(a, ids, i, wav))
			continue;
		if (!head) {
			fprintf(f, "%s\n<div class=\"audio\">\n", heading);
			head = true;
		}
		snprintf(kind, sizeof(kind), "stream %lld", id);
		snprintf(label, sizeof(label), "Stream %lld: %s", id, what_of(a, wav));
		player(f, o, wav, kind, label);
	}
	if (head)
		fputs("</div>\n", f);
}
