/* sipsift — media: keys before media. A first pass over a seekable
 * capture reads only its signalling (pipeline_keys.c) and writes every
 * usable a=crypto line here, by Call-ID; the pass that follows gives a
 * call all its keys as soon as media first hears of it (its first SDP),
 * so that SRTP sent before the SDP that carries its key (early media, a
 * 200 OK over TCP the capture sees after the first RTP) decrypts like the
 * rest. A call's lines leave the book when its media part takes them:
 * memory is what the calls not yet begun hold, and at most
 * SIFT_MEDIA_BOOK_MAX lines (the rest counted, and keyed as before: when
 * their SDP comes). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "media/media_int.h"
#include "sip/sip_msg.h"

/* A line is kept as its text, parsed again when its call takes it: a
 * parsed line has room for SIFT_SDES_MAX_KEYS keys, the text only for
 * those it has. */
struct book_line {
	char *crypto;
	struct sift_where w;
};

/* The lines of one Call-ID, in capture order. */
struct book {
	char *call_id;
	size_t pos;                /* in md->bookv */
	struct book_line *v;
	size_t n, cap;
};

static void book_free(struct book *b)
{
	if (!b)
		return;
	free(b->call_id);
	for (size_t i = 0; i < b->n; i++)
		free(b->v[i].crypto);
	free(b->v);
	free(b);
}

void sift_md_book_free(struct sift_media *md)
{
	for (size_t i = 0; i < md->nbook; i++)
		book_free(md->bookv[i]);
	free(md->bookv);
	md->bookv = NULL;
	md->nbook = md->bookv_cap = 0;
	sift_strmap_free(md->book);
	md->book = NULL;
}

static struct book *book_get(struct sift_media *md, const char *call_id)
{
	struct book *b;

	if (!md->book) {
		md->book = sift_strmap_new();
		if (!md->book) {
			md->oom = true;
			return NULL;
		}
	}
	b = sift_strmap_get(md->book, call_id);
	if (b)
		return b;
	b = calloc(1, sizeof(*b));
	if (!b) {
		md->oom = true;
		return NULL;
	}
	b->call_id = strdup(call_id);
	b->pos = md->nbook;
	if (!b->call_id)
		md->oom = true;
	if (!b->call_id ||
	    !sift_md_push(md, (void ***)&md->bookv, &md->nbook, &md->bookv_cap, b,
			  SIFT_MEDIA_BOOK_MAX)) {
		book_free(b);
		return NULL;
	}
	if (sift_strmap_put(md->book, call_id, b) < 0) {
		md->oom = true;
		md->nbook--;
		book_free(b);
		return NULL;
	}
	return b;
}

static void book_line(struct sift_media *md, const char *call_id,
		      const char *crypto, const struct sift_where *w)
{
	struct book *b;
	char *text;

	if (md->book_lines >= SIFT_MEDIA_BOOK_MAX) {
		md->caps.book++;
		return;
	}
	b = book_get(md, call_id);
	if (!b || !sift_grow_oom((void **)&b->v, &b->cap, b->n, sizeof(*b->v),
				 SIFT_MEDIA_BOOK_MAX, &md->oom)) {
		if (!md->oom)
			md->caps.book++;
		return;
	}
	text = strdup(crypto);
	if (!text) {
		md->oom = true;
		return;
	}
	b->v[b->n].crypto = text;
	b->v[b->n].w = *w;
	b->n++;
	md->book_lines++;
}

void sift_media_book_sdp(struct sift_media *md, const char *call_id,
			 const uint8_t *body, size_t n,
			 const struct sift_where *w)
{
	struct sift_sdp *sdp = sift_md_sdp_scratch(md);

	if (!sdp || !call_id || sift_sdp_parse(body, n, sdp) != SIFT_OK)
		return;
	for (unsigned i = 0; i < sdp->nmedia; i++) {
		const struct sift_sdp_media *m = &sdp->media[i];

		for (unsigned k = 0; k < m->ncrypto; k++) {
			struct sift_sdes sd;
			char why[128];

			if (sift_sdes_parse(m->crypto[k], strlen(m->crypto[k]), &sd,
					    why, sizeof(why)) == SIFT_OK)
				book_line(md, call_id, m->crypto[k], w);
		}
	}
}

/* Where the body of a framed message starts: after its empty line. */
static const uint8_t *body_of(const uint8_t *msg, size_t n)
{
	const uint8_t *e = memmem(msg, n, "\r\n\r\n", 4);

	if (e)
		return e + 4;
	e = memmem(msg, n, "\n\n", 2);
	return e ? e + 2 : NULL;
}

enum sift_rc sift_media_book_message(struct sift_media *md, const uint8_t *msg,
				     size_t n, const struct sift_where *w,
				     const char *only_call_id)
{
	static const char sdp_type[] = "application/sdp";
	const uint8_t *v, *body;
	size_t vlen;
	char *cid;

	if (!memmem(msg, n, "a=crypto:", 9))
		return SIFT_OK;
	body = body_of(msg, n);
	if (!body || !sift_sip_raw_header(msg, n, "content-type", "c", &v, &vlen) ||
	    vlen < sizeof(sdp_type) - 1 ||
	    strncasecmp((const char *)v, sdp_type, sizeof(sdp_type) - 1) != 0 ||
	    (vlen > sizeof(sdp_type) - 1 && v[sizeof(sdp_type) - 1] != ';' &&
	     v[sizeof(sdp_type) - 1] != ' ' && v[sizeof(sdp_type) - 1] != '\t'))
		return SIFT_OK;
	if (!sift_sip_raw_header(msg, n, "call-id", "i", &v, &vlen) || !vlen)
		return SIFT_OK;
	cid = strndup((const char *)v, vlen);
	if (!cid)
		return SIFT_ENOMEM;
	if (!only_call_id || strcmp(cid, only_call_id) == 0)
		sift_media_book_sdp(md, cid, body, n - (size_t)(body - msg), w);
	free(cid);
	return SIFT_OK;
}

void sift_media_book_take(struct sift_media *to, struct sift_media *from)
{
	sift_md_book_free(to);
	to->book = from->book;
	to->bookv = from->bookv;
	to->nbook = from->nbook;
	to->bookv_cap = from->bookv_cap;
	to->book_lines = from->book_lines;
	to->caps.book += from->caps.book;
	from->book = NULL;
	from->bookv = NULL;
	from->nbook = from->bookv_cap = 0;
	from->book_lines = 0;
}

void sift_md_book_preload(struct sift_media *md, struct mcall *c,
			  const char *call_id)
{
	struct book *b = md->book && call_id ? sift_strmap_get(md->book, call_id) :
					      NULL;

	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++) {
		struct sift_sdes sd;
		char why[128];

		/* It parsed when it was booked. */
		if (sift_sdes_parse(b->v[i].crypto, strlen(b->v[i].crypto), &sd,
				    why, sizeof(why)) == SIFT_OK)
			sift_md_add_keys(md, c, &sd, &b->v[i].w);
	}
	sift_strmap_del(md->book, call_id);
	md->book_lines -= b->n;
	md->bookv[b->pos] = md->bookv[--md->nbook];
	md->bookv[b->pos]->pos = b->pos;
	book_free(b);
}

void sift_media_set_key_source(struct sift_media *md, sift_media_keys_fn fn,
			       void *ctx)
{
	md->keys_fn = fn;
	md->keys_ctx = ctx;
	md->keys_asked = false;
}

/* The first packet that found no key: the book is filled from `at` on
 * (once a run) and every call known now takes its lines; a call that got
 * keys tries its kept packets again. True when call c got new keys. */
bool sift_md_ask_keys(struct sift_media *md, struct mcall *c, sift_time at)
{
	size_t before = c->nkeys;

	if (!md->keys_fn || md->keys_asked)
		return false;
	md->keys_asked = true;
	md->keys_fn(md->keys_ctx, at);
	for (size_t i = 0; i < md->ncalls && md->nbook; i++) {
		struct mcall *k = md->callv[i];
		size_t had = k->nkeys;

		sift_md_book_preload(md, k, k->owner->call_id);
		if (k->nkeys > had)
			sift_md_retry_pending(md, k);
	}
	return c->nkeys > before;
}
