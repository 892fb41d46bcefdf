/* sipsift — `show`: SIP messages in full (see report_show.h). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"
#include "report/report_show.h"
#include "sip/sdp.h"
#include "util/span.h"
#include "util/utf8.h"

#define DUMP_FLAGS (JSON_REAL_PRECISION(16) | JSON_ENSURE_ASCII)
/* A body part larger than this is summarised, not printed. */
#define TEXT_BODY_MAX (64 * 1024)

struct sift_show {
	FILE *f;
	bool json;
	size_t n;          /* messages written */
};

struct sift_show *sift_show_new(FILE *f, bool json)
{
	struct sift_show *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->f = f;
	s->json = json;
	if (json)
		fputs("{\n  \"schema\": \"sipsift.show/1\",\n  \"messages\": [", f);
	return s;
}

void sift_show_abort(struct sift_show *s)
{
	free(s);
}

enum sift_rc sift_show_end(struct sift_show *s)
{
	FILE *f = s->f;

	if (s->json)
		fputs(s->n ? "\n  ]\n}\n" : "]\n}\n", f);
	free(s);
	return ferror(f) || fflush(f) != 0 ? SIFT_EIO : SIFT_OK;
}

/* One line of packet text, made inert for a terminal as sift_put_text
 * does (controls, malformed UTF-8 and bidi formatting become '?'); a
 * trailing CR goes. */
static void put_line(FILE *f, const uint8_t *p, size_t n)
{
	const char *s = (const char *)p;

	if (n && s[n - 1] == '\r')
		n--;
	while (n) {
		uint32_t cp;
		size_t len = sift_utf8_next(s, n, &cp);

		if (!len || sift_utf8_unsafe(cp) || cp == 0) {
			fputc(cp == '\t' && len ? '\t' : '?', f);
			len = len ? len : 1;
		} else {
			fwrite(s, 1, len, f);
		}
		s += len;
		n -= len;
	}
	fputc('\n', f);
}

static void put_lines(FILE *f, const uint8_t *p, size_t n)
{
	while (n) {
		const uint8_t *lf = memchr(p, '\n', n);
		size_t len = lf ? (size_t)(lf - p) : n;

		put_line(f, p, len);
		len += lf != NULL;
		p += len;
		n -= len;
	}
}

/* Text a person reads: well-formed UTF-8 without NUL and with no control
 * but CR, LF and TAB. */
static bool is_text(const uint8_t *p, size_t n)
{
	const char *s = (const char *)p;

	if (n > TEXT_BODY_MAX)
		return false;
	for (size_t i = 0, len; i < n; i += len) {
		uint32_t cp;

		len = sift_utf8_next(s + i, n - i, &cp);
		if (!len)
			return false;
		if ((cp < 0x20 && cp != '\r' && cp != '\n' && cp != '\t') ||
		    cp == 0x7f)
			return false;
	}
	return true;
}

/* The boundary parameter of a multipart Content-Type value (RFC 2046
 * §5.1.1), quoted or not. */
static bool boundary_of(struct sift_span ct, struct sift_span *b)
{
	struct sift_span part;

	if (!sift_span_iprefix(ct, "multipart/", NULL))
		return false;
	while (ct.n) {
		sift_span_split(&ct, ';', &part);
		part = sift_span_trim_wsp(part);
		if (sift_span_iprefix(part, "boundary=", b)) {
			if (b->n >= 2 && b->p[0] == '"' && b->p[b->n - 1] == '"')
				*b = sift_span_sub(*b, 1, b->n - 1);
			return b->n > 0;
		}
	}
	return false;
}

/* A body that is not text: its size and type, never its bytes. */
static void summarise(FILE *f, const char *what, size_t n, struct sift_span ct)
{
	if (!ct.n) {
		fprintf(f, "[%s: %zu bytes]\n", what, n);
		return;
	}
	fprintf(f, "[%s: %zu bytes of ", what, n);
	for (size_t i = 0; i < ct.n; i++) {
		unsigned char c = (unsigned char)ct.p[i];

		fputc(c >= 0x20 && c < 0x7f && c != ']' ? c : '?', f);
	}
	fputs("]\n", f);
}

/* One part of a multipart body: its headers, then its body as text or
 * summarised. */
static void put_part(FILE *f, const uint8_t *p, size_t n)
{
	size_t hdr_end = sift_span_blank_line(p, n);
	struct sift_hdr_iter it;
	struct sift_hdr h;
	struct sift_span ct = { NULL, 0 };

	/* A part may start with its CRLF (the one ending the delimiter). */
	if (n >= 2 && p[0] == '\r' && p[1] == '\n') {
		p += 2;
		n -= 2;
		hdr_end = sift_span_blank_line(p, n);
	} else if (n >= 1 && p[0] == '\n') {
		p++;
		n--;
		hdr_end = sift_span_blank_line(p, n);
	}
	if (!hdr_end) {
		put_lines(f, p, n);
		return;
	}
	sift_hdr_iter_init(&it, p, n, false);
	while (sift_hdr_next(&it, &h))
		if (sift_hdr_is(&h, "content-type", "c"))
			ct = h.value;
	put_lines(f, p, hdr_end);
	if (is_text(p + hdr_end, n - hdr_end))
		put_lines(f, p + hdr_end, n - hdr_end);
	else
		summarise(f, "binary part", n - hdr_end, ct);
}

/* A multipart body part by part (RFC 2046 §5.1.1): the delimiter lines as
 * sent, each part's text, binary parts summarised. */
static void put_multipart(FILE *f, const uint8_t *p, size_t n,
			  struct sift_span b)
{
	size_t pos = 0, part_start = 0;
	bool in_part = false;

	while (pos < n) {
		const uint8_t *lf = memchr(p + pos, '\n', n - pos);
		size_t end = lf ? (size_t)(lf - p) : n;
		size_t len = end - pos;
		bool delim = len >= 2 + b.n && p[pos] == '-' && p[pos + 1] == '-' &&
			     memcmp(p + pos + 2, b.p, b.n) == 0;

		if (delim) {
			if (in_part && pos > part_start)
				put_part(f, p + part_start, pos - part_start);
			put_line(f, p + pos, len);
			in_part = true;
			part_start = lf ? end + 1 : n;
		} else if (!in_part) {
			put_line(f, p + pos, len);   /* the preamble */
		}
		pos = lf ? end + 1 : n;
	}
	if (in_part && part_start < n)
		put_part(f, p + part_start, n - part_start);
}

static void put_body(FILE *f, const uint8_t *p, size_t n, struct sift_span ct)
{
	struct sift_span b;

	if (!n)
		return;
	if (boundary_of(ct, &b) && n <= TEXT_BODY_MAX)
		put_multipart(f, p, n, b);
	else if (is_text(p, n))
		put_lines(f, p, n);
	else
		summarise(f, "binary body", n, ct);
}

static void fmt_rel(char *buf, size_t len, sift_time a, sift_time b)
{
	int64_t d = (int64_t)(a - b);

	snprintf(buf, len, "%s%lld.%06lld", d < 0 ? "-" : "+",
		 (long long)(d < 0 ? -d : d) / SIFT_USEC,
		 (long long)(d < 0 ? -d : d) % SIFT_USEC);
}

/* The headers block and where the body starts; the Content-Type. */
static size_t split_message(const struct sift_show_msg *m, struct sift_span *ct)
{
	struct sift_hdr_iter it;
	struct sift_hdr h;

	ct->p = NULL;
	ct->n = 0;
	sift_hdr_iter_init(&it, m->raw, m->len, true);
	while (sift_hdr_next(&it, &h))
		if (sift_hdr_is(&h, "content-type", "c"))
			*ct = h.value;
	return it.body;
}

static void show_text(struct sift_show *s, const struct sift_show_msg *m)
{
	FILE *f = s->f;
	char ts[64], rel[32], delta[32], a[SIFT_ADDR_STRLEN], b[SIFT_ADDR_STRLEN];
	struct sift_span ct;
	size_t body = split_message(m, &ct);

	fmt_rel(rel, sizeof(rel), m->where.ts, m->call_start);
	if (m->prev_ts)
		fmt_rel(delta, sizeof(delta), m->where.ts, m->prev_ts);
	else
		snprintf(delta, sizeof(delta), "+0.000000");
	fprintf(f, "%s== frame %llu", s->n ? "\n" : "",
		(unsigned long long)m->where.frame);
	if (m->several_files) {
		fputs(" of ", f);
		sift_put_text(f, m->file, 0);
	}
	fprintf(f, "  %s  %s  (%s)  %s -> %s  %s  call %u%s\n",
		sift_fmt_ts(m->where.ts, ts, sizeof(ts)), rel, delta,
		sift_addr_str(&m->src, a, sizeof(a)),
		sift_addr_str(&m->dst, b, sizeof(b)), sift_transport_str(m->tp),
		m->call_index, m->parsed ? "" : "  (rejected by the SIP parser)");
	if (m->comment) {
		fputs("== comment: ", f);
		put_line(f, (const uint8_t *)m->comment, strlen(m->comment));
	}
	put_lines(f, m->raw, body);
	put_body(f, m->raw + body, m->len - body, ct);
}

/* Packet text as a JSON string: malformed UTF-8 and NUL become U+FFFD
 * (jansson takes neither); other controls jansson escapes itself. */
static json_t *textn_json(const void *v, size_t n)
{
	const char *p = v;
	char *copy = malloc(3 * n + 1);
	size_t o = 0;
	json_t *j;

	if (!copy)
		return json_null();
	for (size_t i = 0, len; i < n; i += len) {
		uint32_t cp;

		len = sift_utf8_next(p + i, n - i, &cp);
		if (len && cp) {
			memcpy(copy + o, p + i, len);
			o += len;
		} else {
			memcpy(copy + o, SIFT_UTF8_REPLACEMENT, 3);
			o += 3;
			len = 1;
		}
	}
	j = json_stringn(copy, o);
	free(copy);
	return j ? j : json_null();
}

static json_t *span_json(struct sift_span s)
{
	return textn_json(s.p, s.n);
}

/* long-function: the SDP read line by line into the summary, each line
 * kind a few lines. */
static void sdp_extra(const uint8_t *body, size_t n, json_t *o, json_t *media)
{
	struct sift_span all = sift_span_of(body, n), line;
	int cur = -1;
	size_t ncand[SIFT_SDP_MAX_MEDIA] = { 0 };

	while (all.n) {
		json_t *m = NULL;

		sift_span_split(&all, '\n', &line);
		line = sift_span_chomp(line);
		if (line.n < 2 || line.p[1] != '=')
			continue;
		if (line.p[0] == 'm') {
			cur++;
			continue;
		}
		if (cur >= 0 && (size_t)cur < json_array_size(media))
			m = json_array_get(media, (size_t)cur);
		if (line.p[0] == 'o' && cur < 0) {
			json_object_set_new(o, "origin", span_json(sift_span_sub(line, 2, line.n)));
		} else if (line.p[0] == 'c') {
			if (cur < 0)
				json_object_set_new(o, "connection", span_json(sift_span_sub(line, 2, line.n)));
			else if (m)
				json_object_set_new(m, "connection", span_json(sift_span_sub(line, 2, line.n)));
		} else if (line.p[0] == 'a' && m) {
			struct sift_span v = sift_span_sub(line, 2, line.n), name;
			uint64_t pt;
			json_t *fmts = json_object_get(m, "formats");

			if (sift_span_iprefix(v, "candidate:", NULL) && cur < SIFT_SDP_MAX_MEDIA) {
				ncand[cur]++;
				json_object_set_new(m, "ice_candidates", json_integer((json_int_t)ncand[cur]));
				continue;
			}
			if (!sift_span_iprefix(v, "fmtp:", &v))
				continue;
			if (!sift_span_next_word(&v, &name) ||
			    !sift_span_u64(name, 127, &pt))
				continue;
			for (size_t i = 0; i < json_array_size(fmts); i++) {
				json_t *fm = json_array_get(fmts, i);

				if (json_integer_value(json_object_get(fm, "pt")) == (json_int_t)pt)
					json_object_set_new(fm, "fmtp",
							    span_json(sift_span_trim_wsp(v)));
			}
		}
	}
}

static const char *dir_str(enum sift_sdp_dir d)
{
	switch (d) {
	case SIFT_SDP_SENDONLY:
		return "sendonly";
	case SIFT_SDP_RECVONLY:
		return "recvonly";
	case SIFT_SDP_INACTIVE:
		return "inactive";
	default:
		return "sendrecv";
	}
}

/* a=crypto:<tag> <suite> <key-params> [<session-params>] (RFC 4568
 * §9.1): the suite and the key parameters as written. */
static json_t *crypto_json(const char *c)
{
	struct sift_span v = sift_span_cstr(c), tag, suite, key;
	json_t *o = json_object();
	uint64_t t;

	if (sift_span_next_word(&v, &tag) && sift_span_u64(tag, UINT32_MAX, &t))
		json_object_set_new(o, "tag", json_integer((json_int_t)t));
	if (sift_span_next_word(&v, &suite))
		json_object_set_new(o, "suite", span_json(suite));
	if (sift_span_next_word(&v, &key))
		json_object_set_new(o, "key", span_json(key));
	v = sift_span_trim_wsp(v);
	if (v.n)
		json_object_set_new(o, "session_params", span_json(v));
	return o;
}

static json_t *media_json(const struct sift_sdp_media *sm)
{
	json_t *m = json_object(), *fmts = json_array(), *cr = json_array();

	json_object_set_new(m, "media", json_string(sm->type));
	json_object_set_new(m, "port", json_integer(sm->rtp.port));
	json_object_set_new(m, "proto", json_string(sm->proto));
	json_object_set_new(m, "connection", json_null());
	for (unsigned k = 0; k < sm->npts; k++) {
		struct sift_sdp_rtpmap buf;
		const struct sift_sdp_rtpmap *rm = sift_sdp_codec(sm, sm->pts[k], &buf);
		json_t *fm = json_object();

		json_object_set_new(fm, "pt", json_integer(sm->pts[k]));
		json_object_set_new(fm, "name", rm ? textn_json(rm->name, strlen(rm->name)) : json_null());
		json_object_set_new(fm, "rate", rm ? json_integer(rm->rate) : json_null());
		if (rm && rm->channels > 1)
			json_object_set_new(fm, "channels", json_integer(rm->channels));
		json_object_set_new(fm, "fmtp", json_null());
		json_array_append_new(fmts, fm);
	}
	json_object_set_new(m, "formats", fmts);
	json_object_set_new(m, "direction", json_string(dir_str(sm->dir)));
	for (unsigned k = 0; k < sm->ncrypto; k++)
		json_array_append_new(cr, crypto_json(sm->crypto[k]));
	json_object_set_new(m, "crypto", cr);
	/* RFC 3362: T.38 fax is m=image <port> udptl t38. */
	json_object_set_new(m, "t38", json_boolean(strcmp(sm->type, "image") == 0 &&
						   strcasecmp(sm->proto, "udptl") == 0));
	json_object_set_new(m, "rtcp_mux", json_boolean(sm->rtcp_mux));
	json_object_set_new(m, "ice_candidates", json_integer(0));
	return m;
}

json_t *sift_sdp_summary_json(const uint8_t *body, size_t n)
{
	struct sift_sdp *sdp = calloc(1, sizeof(*sdp));
	json_t *o, *media;

	if (!sdp)
		return NULL;
	if (sift_sdp_parse(body, n, sdp) != SIFT_OK) {
		sift_sdp_free(sdp);
		free(sdp);
		return NULL;
	}
	o = json_object();
	media = json_array();
	json_object_set_new(o, "origin", json_null());
	json_object_set_new(o, "connection", json_null());
	for (unsigned i = 0; i < sdp->nmedia; i++)
		json_array_append_new(media, media_json(&sdp->media[i]));
	sdp_extra(body, n, o, media);
	json_object_set_new(o, "media", media);
	sift_sdp_free(sdp);
	free(sdp);
	return o;
}

static json_t *headers_json(const struct sift_show_msg *m, json_t *o,
			    struct sift_span *ct)
{
	struct sift_hdr_iter it;
	struct sift_hdr h;
	json_t *hs = json_array();

	ct->p = NULL;
	ct->n = 0;
	sift_hdr_iter_init(&it, m->raw, m->len, true);
	json_object_set_new(o, "start_line", span_json(sift_span_chomp(it.start)));
	while (sift_hdr_next(&it, &h)) {
		json_t *x = json_object();

		if (!h.colon) {
			json_object_set_new(x, "line", span_json(sift_span_chomp(h.line)));
		} else {
			json_object_set_new(x, "name", span_json(h.name));
			json_object_set_new(x, "value", span_json(h.value));
		}
		json_array_append_new(hs, x);
		if (h.colon && sift_hdr_is(&h, "content-type", "c"))
			*ct = h.value;
	}
	json_object_set_new(o, "headers", hs);
	return json_integer((json_int_t)it.body);
}

static json_t *body_json(const struct sift_show_msg *m, size_t body,
			 struct sift_span ct, json_t **sdp)
{
	json_t *b;
	const uint8_t *p = m->raw + body;
	size_t n = m->len - body;

	*sdp = NULL;
	if (!n)
		return json_null();
	b = json_object();
	json_object_set_new(b, "content_type", ct.n ? span_json(ct) : json_null());
	json_object_set_new(b, "length", json_integer((json_int_t)n));
	json_object_set_new(b, "text", is_text(p, n) ? textn_json(p, n) : json_null());
	if (ct.n && sift_span_iprefix(ct, "application/sdp", NULL))
		*sdp = sift_sdp_summary_json(p, n);
	return b;
}

static void show_json(struct sift_show *s, const struct sift_show_msg *m)
{
	json_t *o = json_object(), *bodyj, *sdp, *at;
	struct sift_span ct;
	char a[SIFT_ADDR_STRLEN], *text;
	size_t body;

	json_object_set_new(o, "file", textn_json(m->file, strlen(m->file)));
	json_object_set_new(o, "frame", json_integer((json_int_t)m->where.frame));
	json_object_set_new(o, "ts", json_real((double)m->where.ts / 1e6));
	json_object_set_new(o, "rel_s", json_real((double)(int64_t)(m->where.ts - m->call_start) / 1e6));
	json_object_set_new(o, "delta_s", m->prev_ts ?
			    json_real((double)(int64_t)(m->where.ts - m->prev_ts) / 1e6) :
			    json_real(0));
	json_object_set_new(o, "src", json_string(sift_addr_str(&m->src, a, sizeof(a))));
	json_object_set_new(o, "dst", json_string(sift_addr_str(&m->dst, a, sizeof(a))));
	json_object_set_new(o, "transport", json_string(sift_transport_str(m->tp)));
	json_object_set_new(o, "call", json_integer(m->call_index));
	json_object_set_new(o, "call_id", m->call_id ?
			    textn_json(m->call_id, strlen(m->call_id)) : json_null());
	json_object_set_new(o, "comment", m->comment ?
			    textn_json(m->comment, strlen(m->comment)) : json_null());
	json_object_set_new(o, "parse_error", json_boolean(!m->parsed));
	at = headers_json(m, o, &ct);
	body = (size_t)json_integer_value(at);
	json_decref(at);
	bodyj = body_json(m, body, ct, &sdp);
	json_object_set_new(o, "body", bodyj);
	json_object_set_new(o, "sdp", sdp ? sdp : json_null());
	text = json_dumps(o, DUMP_FLAGS | JSON_INDENT(2));
	json_decref(o);
	fputs(s->n ? ",\n    " : "\n    ", s->f);
	for (const char *p = text; p && *p; p++) {
		fputc(*p, s->f);
		if (*p == '\n')
			fputs("    ", s->f);
	}
	free(text);
}

enum sift_rc sift_show_msg(struct sift_show *s, const struct sift_show_msg *m)
{
	if (s->json)
		show_json(s, m);
	else
		show_text(s, m);
	s->n++;
	return ferror(s->f) ? SIFT_EIO : SIFT_OK;
}
