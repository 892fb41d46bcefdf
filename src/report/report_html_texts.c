/* sipsift — the text of SIP messages for the HTML report: the model keeps
 * no message bytes, so a pass over the inputs after the first (rerun.c)
 * hands every message of the calls that get a detail section to this
 * store, which keeps them up to a total size. The page embeds each one
 * beside its arrow. */
#include <stdlib.h>
#include <string.h>

#include "report/report_html.h"
#include "report/report_html_int.h"
#include "util/strmap.h"
#include "util/utf8.h"

/* Messages per call kept at most: a call's messages are capped at
 * SIFT_CALL_MSGS_MAX in the model, and a text no arrow shows is waste. */
#define TEXTS_PER_CALL SIFT_CALL_MSGS_MAX

struct text_ent {
	uint32_t file;
	uint64_t frame;
	char *text;           /* valid UTF-8, NUL-terminated */
	bool used;            /* matched to a message already */
};

struct call_texts {
	struct text_ent *e;
	size_t n, cap;
	size_t next;          /* where the next lookup starts */
};

struct sift_html_texts {
	struct sift_strmap *ids;   /* Call-ID -> index + 1 into calls */
	struct call_texts *calls;
	size_t ncalls;
	/* Each chosen call's number and its slot in calls (a Call-ID that
	 * names two calls has one slot): the page asks by number, as the
	 * Call-ID it holds is the JSON's (invalid UTF-8 replaced). */
	uint32_t *index;
	size_t *slot;
	size_t nindex;
	size_t room;               /* calls that can be chosen */
	size_t cap_bytes;
	size_t bytes;
	uint64_t dropped;          /* messages not kept: past the size cap */
};

struct sift_html_texts *sift_html_texts_new(size_t cap_bytes)
{
	struct sift_html_texts *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->ids = sift_strmap_new();
	t->cap_bytes = cap_bytes;
	if (!t->ids) {
		free(t);
		return NULL;
	}
	return t;
}

void sift_html_texts_free(struct sift_html_texts *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->ncalls; i++) {
		for (size_t k = 0; k < t->calls[i].n; k++)
			free(t->calls[i].e[k].text);
		free(t->calls[i].e);
	}
	free(t->calls);
	free(t->index);
	free(t->slot);
	sift_strmap_free(t->ids);
	free(t);
}

enum sift_rc sift_html_texts_room(struct sift_html_texts *t, size_t want)
{
	if (t->room)
		return SIFT_EINVAL;
	t->calls = calloc(want ? want : 1, sizeof(*t->calls));
	t->index = calloc(want ? want : 1, sizeof(*t->index));
	t->slot = calloc(want ? want : 1, sizeof(*t->slot));
	if (!t->calls || !t->index || !t->slot)
		return SIFT_ENOMEM;
	t->room = want;
	return SIFT_OK;
}

/* The calls the page gives a detail section: the first
 * SIFT_HTML_DETAIL_CAP calls shown, as sift_report_html chooses them. */
enum sift_rc sift_html_texts_choose(struct sift_html_texts *t,
				    const struct sift_report *r)
{
	size_t want = 0, k = 0;

	for (size_t i = 0; i < sift_calls_count(r->calls) && want < SIFT_HTML_DETAIL_CAP; i++)
		want += sift_report_shown_id(r, sift_calls_id(r->calls, i));
	if (sift_html_texts_room(t, want) != SIFT_OK)
		return SIFT_ENOMEM;
	for (size_t i = 0; i < sift_calls_count(r->calls) && k < want; i++) {
		const struct sift_call *c = sift_calls_get(r->calls, i);

		if (!sift_report_shown(r, c) || !c->call_id)
			continue;
		k++;
		if (sift_html_texts_choose_call(t, c->call_id, c->index) != SIFT_OK)
			return SIFT_ENOMEM;
	}
	return SIFT_OK;
}

/* One call chosen; room for it was made by sift_html_texts_choose, or by
 * a caller that chooses its own (a test): at most want calls. */
enum sift_rc sift_html_texts_choose_call(struct sift_html_texts *t,
					 const char *call_id, uint32_t index)
{
	void *v = sift_strmap_get(t->ids, call_id);

	if (t->nindex >= t->room)
		return SIFT_ELIMIT;
	if (!v) {
		if (sift_strmap_put(t->ids, call_id, (void *)(uintptr_t)(t->ncalls + 1)))
			return SIFT_ENOMEM;
		v = (void *)(uintptr_t)++t->ncalls;
	}
	t->index[t->nindex] = index;
	t->slot[t->nindex++] = (uintptr_t)v - 1;
	return SIFT_OK;
}

bool sift_html_texts_wanted(const struct sift_html_texts *t, const char *call_id)
{
	return t && call_id && sift_strmap_get(t->ids, call_id);
}

/* Message bytes as text a page can carry in JSON: each malformed UTF-8
 * sequence becomes U+FFFD, a control other than tab, CR and LF its
 * Control Picture (U+2400 + c: a NUL shows as a visible symbol), DEL
 * U+2421. Out: at most 3 bytes per byte in, plus the NUL. */
static char *as_text(const uint8_t *raw, size_t len)
{
	char *out = malloc(3 * len + 1), *o = out;
	const char *s = (const char *)raw;

	if (!out)
		return NULL;
	for (size_t i = 0, n; i < len; i += n) {
		uint32_t cp;

		n = sift_utf8_next(s + i, len - i, &cp);
		if (!n) {
			memcpy(o, SIFT_UTF8_REPLACEMENT, 3);
			o += 3;
			n = 1;
		} else if ((cp < 0x20 && cp != '\t' && cp != '\r' && cp != '\n') || cp == 0x7f) {
			uint32_t pic = cp == 0x7f ? 0x2421 : 0x2400 + cp;

			*o++ = (char)(0xe0 | (pic >> 12));
			*o++ = (char)(0x80 | ((pic >> 6) & 0x3f));
			*o++ = (char)(0x80 | (pic & 0x3f));
		} else {
			memcpy(o, s + i, n);
			o += n;
		}
	}
	*o = '\0';
	return out;
}

enum sift_rc sift_html_texts_add(struct sift_html_texts *t, const char *call_id,
				 const struct sift_where *w,
				 const uint8_t *raw, size_t len)
{
	void *v = call_id ? sift_strmap_get(t->ids, call_id) : NULL;
	struct call_texts *ct;
	struct text_ent *e;

	if (!v)
		return SIFT_OK;
	ct = &t->calls[(uintptr_t)v - 1];
	/* A message is kept whole or not at all: the cap counts what the
	 * page will carry. */
	if (len > t->cap_bytes - t->bytes || ct->n >= TEXTS_PER_CALL) {
		t->dropped++;
		return SIFT_ELIMIT;
	}
	if (ct->n == ct->cap &&
	    !sift_grow((void **)&ct->e, &ct->cap, ct->n, sizeof(*ct->e), TEXTS_PER_CALL))
		goto oom;
	e = &ct->e[ct->n];
	memset(e, 0, sizeof(*e));
	e->file = w->file;
	e->frame = w->frame;
	e->text = as_text(raw, len);
	if (!e->text)
		goto oom;
	ct->n++;
	t->bytes += len;
	return SIFT_OK;
oom:
	return SIFT_ENOMEM;
}

uint64_t sift_html_texts_dropped(const struct sift_html_texts *t)
{
	return t ? t->dropped : 0;
}

size_t sift_html_texts_cap(const struct sift_html_texts *t)
{
	return t ? t->cap_bytes : 0;
}

/* The text of call number index's message seen in (file, frame): the first one not
 * matched yet, so that two messages of one TCP segment each get their
 * own. Lookups come in message order, which is the order the texts came
 * in: the search starts after the last match. */
const char *sift_html_texts_get(struct sift_html_texts *t, long long index,
				uint32_t file, uint64_t frame)
{
	struct call_texts *ct = NULL;

	for (size_t i = 0; t && i < t->nindex; i++)
		if (t->index[i] == index) {
			ct = &t->calls[t->slot[i]];
			break;
		}
	if (!ct)
		return NULL;
	for (size_t j = 0; j < ct->n; j++) {
		size_t k = (ct->next + j) % ct->n;
		struct text_ent *e = &ct->e[k];

		if (!e->used && e->file == file && e->frame == frame) {
			e->used = true;
			ct->next = k + 1;
			return e->text;
		}
	}
	return NULL;
}
