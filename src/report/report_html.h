/* sipsift — the HTML report (issue #15): one self-contained file built
 * from the JSON report document. */
#ifndef SIPSIFT_REPORT_HTML_H
#define SIPSIFT_REPORT_HTML_H

#include <stdio.h>

#include "sipsift/report.h"

/* Calls with a detail section (ladder, timing, message text, findings). */
#define SIFT_HTML_DETAIL_CAP 1000
/* Message text the page carries at most, in bytes as captured (the
 * messages past it show without their text, and the page says how
 * many). */
#define SIFT_HTML_TEXT_CAP (16u << 20)

/* The text of the messages of the calls with a detail section, handed
 * over by a pass over the inputs after the first (rerun.c). */
struct sift_html_texts;

struct sift_html_texts *sift_html_texts_new(size_t cap_bytes);
void sift_html_texts_free(struct sift_html_texts *t);
/* Marks the calls whose messages to keep: those the page details. */
enum sift_rc sift_html_texts_choose(struct sift_html_texts *t,
				    const struct sift_report *r);
/* The same by hand: room for want calls once, then each call (its Call-ID
 * as the tap gives it, and its number as the page asks). */
enum sift_rc sift_html_texts_room(struct sift_html_texts *t, size_t want);
enum sift_rc sift_html_texts_choose_call(struct sift_html_texts *t,
					 const char *call_id, uint32_t index);
bool sift_html_texts_wanted(const struct sift_html_texts *t, const char *call_id);
/* One message of call_id as framed (any bytes); nothing when the call is
 * not chosen. SIFT_ELIMIT: past the size cap (counted). */
enum sift_rc sift_html_texts_add(struct sift_html_texts *t, const char *call_id,
				 const struct sift_where *w,
				 const uint8_t *raw, size_t len);
/* The text of call number index's message seen in (file, frame), each
 * text given once (two messages of one TCP segment get one each); NULL:
 * none. */
const char *sift_html_texts_get(struct sift_html_texts *t, long long index,
				uint32_t file, uint64_t frame);

uint64_t sift_html_texts_dropped(const struct sift_html_texts *t);
size_t sift_html_texts_cap(const struct sift_html_texts *t);

/* WAV files embedded by --embed-audio at most, in bytes in all: the
 * files past it stay linked. */
#define SIFT_HTML_EMBED_CAP (16u << 20)

struct sift_audio;

struct sift_html_opts {
	struct sift_html_texts *texts;  /* NULL: the page has no message text */
	const char *texts_note;         /* why not, said on the page; or NULL */
	/* -d DIR: the WAV files written (NULL: none), linked from the
	 * directory the page is in (absolute and resolved; NULL: the paths
	 * as given), or embedded with embed up to embed_cap bytes. */
	const struct sift_audio *audio;
	const char *base_dir;
	bool embed;
	size_t embed_cap;
	size_t embedded;                /* bytes embedded so far */
	uint64_t not_embedded;          /* files linked: past the cap */
};

/* path relative to directory base, both absolute and resolved: "../"
 * for each of base's components below what the two share (malloc'd; NULL
 * when out of memory). How the page links the WAV files. */
char *sift_html_relative(const char *base, const char *path);

/* Writes the whole page; SIFT_EIO when the stream fails, SIFT_ENOMEM
 * when the document could not be built. o may be NULL. */
enum sift_rc sift_report_html(const struct sift_report *r, FILE *f,
			      struct sift_html_opts *o);

/* The page's style sheet and script (report_html_assets.c), one line per
 * string, NULL-terminated. */
extern const char *const sift_html_css[];
extern const char *const sift_html_js[];

#endif
