/* sipsift — SIP message parsing: plain messages by sip_fast.c (most of
 * them, at a tenth of the cost), the rest through libosip2. With
 * sip_uri_str.c, the only file that includes libosip2's headers. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <osipparser2/osip_parser.h>
#include <osipparser2/osip_port.h>

#include "sip/sip_arena.h"
#include "sip/sip_fast.h"
#include "sip/sip_frame.h"
#include "sip/sip_msg.h"
#include "sip/sip_uri_str.h"
#include "util/span.h"

/* libosip2 prints parse errors on stdout unless its trace goes somewhere
 * else (LIBRARIES.md): stdout carries our report. */
static void quiet_trace(const char *fi, int li, osip_trace_level_t level,
			const char *chfr, va_list ap)
{
	(void)fi;
	(void)li;
	(void)level;
	(void)chfr;
	(void)ap;
}

void sift_sip_init(void)
{
	static bool done;

	if (done)
		return;
	osip_trace_initialize_func(TRACE_LEVEL0, quiet_trace);
	for (int l = TRACE_LEVEL0; l < END_TRACE_LEVEL; l++)
		osip_trace_disable_level((osip_trace_level_t)l);
	parser_init();
	/* After parser_init: its tables live for the whole run. */
	osip_set_allocators(sift_sip_arena_malloc, sift_sip_arena_realloc,
			    sift_sip_arena_free);
	done = true;
}

/* Strings to copy into the message's single allocation. */
enum {
	S_METHOD, S_REASON, S_RURI, S_CALLID, S_CSEQM, S_FROM, S_FTAG, S_TO,
	S_TTAG, S_CONTACT, S_VTP, S_VHOST, S_VBRANCH, S_VRECV, S_CTYPE,
	S_ROUTE, S_RR, S_PAI, S_UA, S_COUNT
};

struct collect {
	char *tmp[S_COUNT];     /* malloc'd by libosip2 (to_str), ours to free */
	const char *src[S_COUNT];
	/* src's length + 1 where it is a span of the message (sip_fast.c's
	 * fields, not NUL-terminated); 0: a string, measured by store(). */
	size_t n[S_COUNT];
	/* The header lines, into the bytes parsed (store() moves them into
	 * the copy); nhdrs past SIFT_SIP_HDRS_MAX when there were more. The
	 * array is the caller's, left as it is until filled. no_index: the
	 * walk may differ from lint's, keep none. */
	struct sift_hdr *hdrs;
	size_t nhdrs;
	bool no_index;
	struct sift_span start;
	size_t body;
};

static void set(struct collect *c, int i, const char *s)
{
	c->src[i] = s;
	c->n[i] = 0;
}

static void set_owned(struct collect *c, int i, char *s)
{
	c->tmp[i] = s;
	set(c, i, s);
}

/* A span of the message, copied by store() as it is (an absent value, a
 * parameter without one, as ""). */
static void set_span(struct collect *c, int i, struct sift_span v)
{
	c->src[i] = v.p ? (const char *)v.p : "";
	c->n[i] = v.n + 1;
}

/* The Call-ID as libosip2 writes it back (number, or number@host), made
 * here: osip_call_id_to_str goes through sprintf, a percent of a SIP-only
 * run. NULL: no number, or out of memory. */
static char *call_id_str(const osip_call_id_t *cid)
{
	size_t n, h;
	char *s;

	if (!cid || !cid->number)
		return NULL;
	n = strlen(cid->number);
	h = cid->host ? strlen(cid->host) + 1 : 0;
	s = sift_sip_arena_malloc(n + h + 1);
	if (!s)
		return NULL;
	memcpy(s, cid->number, n);
	if (h) {
		s[n] = '@';
		memcpy(s + n + 1, cid->host, h - 1);
	}
	s[n + h] = '\0';
	return s;
}

static const char *const reasons[SIFT_SIPE_COUNT] = {
	[SIFT_SIPE_NONE] = "no error",
	[SIFT_SIPE_EMPTY] = "empty message",
	[SIFT_SIPE_NUL] = "NUL byte in the headers",
	[SIFT_SIPE_REJECTED] = "rejected by the SIP parser",
	[SIFT_SIPE_NO_CALL_ID] = "no Call-ID header",
	[SIFT_SIPE_NO_CSEQ] = "no CSeq header",
	[SIFT_SIPE_CSEQ_RANGE] = "CSeq number is not below 2^31",
	[SIFT_SIPE_NO_FROM] = "no From header",
	[SIFT_SIPE_NO_TO] = "no To header",
	[SIFT_SIPE_NO_VIA] = "no Via header",
	[SIFT_SIPE_BAD_RURI] = "bad Request-URI",
	[SIFT_SIPE_STATUS_RANGE] = "status code outside 100-699",
	[SIFT_SIPE_BAD_CALL_ID] = "bad Call-ID header",
	[SIFT_SIPE_BAD_FROM] = "bad From URI",
	[SIFT_SIPE_BAD_TO] = "bad To URI",
	[SIFT_SIPE_NO_START_LINE] = "no SIP start line",
};

const char *sift_sip_err_str(enum sift_sip_err e)
{
	return (unsigned)e < SIFT_SIPE_COUNT ? reasons[e] : "unknown error";
}

bool sift_sip_err_missing(enum sift_sip_err e)
{
	return e == SIFT_SIPE_NO_CALL_ID || e == SIFT_SIPE_NO_CSEQ ||
	       e == SIFT_SIPE_NO_FROM || e == SIFT_SIPE_NO_TO ||
	       e == SIFT_SIPE_NO_VIA;
}

/* A port (or any 16-bit number) as libosip2 left it: 0 when absent or not
 * a number. */
static uint16_t port_of(struct sift_span s)
{
	uint32_t v;

	return sift_span_u32(s, 65535, &v) ? (uint16_t)v : 0;
}

static uint16_t parse_port(const char *s)
{
	return port_of(sift_span_cstr(s));
}

/* Where the body starts: past the first empty line, or n. */
static size_t find_body(const uint8_t *p, size_t n)
{
	size_t b = sift_span_blank_line(p, n);

	return b ? b : n;
}

/* The message as libosip2 reads it, its mandatory headers validated:
 * the MSG_IS_* macros dereference cseq unchecked, so nothing else looks
 * at om before this (LIBRARIES.md). */
struct parsed {
	osip_message_t *om;
	osip_call_id_t *cid;
	osip_via_t *via;
	char *nonul;            /* a copy with the body's NULs blanked */
	char *ctype;            /* ours (malloc), unlike the to_str strings */
	struct collect c;
};

static enum sift_sip_err osip_parse(struct parsed *ps, const uint8_t *p,
				    size_t n, size_t hend, enum sift_rc *rc)
{
	/* libosip2 stops at a NUL (RFC 4475 intmeth): it would parse a
	 * different message than the one on the wire. In the headers a NUL is
	 * an error; a body may be binary (ISUP in SIP-I). */
	if (memchr(p, '\0', hend))
		return SIFT_SIPE_NUL;
	if (osip_message_init(&ps->om) != 0) {
		*rc = SIFT_ENOMEM;
		return SIFT_SIPE_NONE;
	}
	if (memchr(p + hend, '\0', n - hend)) {
		/* Headers alone will not do: with a multipart Content-Type
		 * libosip2 insists on parsing the body. Give it the body with
		 * its NULs blanked; the original bytes are what we keep. */
		ps->nonul = malloc(n);
		if (!ps->nonul) {
			*rc = SIFT_ENOMEM;
			return SIFT_SIPE_NONE;
		}
		memcpy(ps->nonul, p, n);
		for (size_t i = hend; i < n; i++)
			if (!ps->nonul[i])
				ps->nonul[i] = ' ';
	}
	if (osip_message_parse(ps->om, ps->nonul ? ps->nonul : (const char *)p,
			       n) != 0)
		return SIFT_SIPE_REJECTED;
	return SIFT_SIPE_NONE;
}

static enum sift_sip_err mandatory(struct parsed *ps, struct sift_sip_msg *m)
{
	osip_message_t *om = ps->om;
	uint32_t cseq;

	ps->cid = osip_message_get_call_id(om);
	if (!ps->cid || !ps->cid->number)
		return SIFT_SIPE_NO_CALL_ID;
	if (!om->cseq || !om->cseq->method || !om->cseq->number)
		return SIFT_SIPE_NO_CSEQ;
	/* CSeq number: 1*DIGIT below 2^31 (RFC 3261 §8.1.1.5). */
	if (!sift_span_u32(sift_span_cstr(om->cseq->number), 0x7fffffffu, &cseq))
		return SIFT_SIPE_CSEQ_RANGE;
	m->cseq = cseq;
	if (!om->from || !om->from->url)
		return SIFT_SIPE_NO_FROM;
	if (!om->to || !om->to->url)
		return SIFT_SIPE_NO_TO;
	if (osip_message_get_via(om, 0, &ps->via) < 0 || !ps->via ||
	    !ps->via->host)
		return SIFT_SIPE_NO_VIA;
	return SIFT_SIPE_NONE;
}

/* The start line, then Call-ID, From and To as strings with their tags,
 * and the first Contact. */
static enum sift_sip_err identity(struct parsed *ps, struct sift_sip_msg *m)
{
	osip_message_t *om = ps->om;
	struct collect *c = &ps->c;
	osip_contact_t *contact = NULL;
	osip_generic_param_t *gp = NULL;
	char *s = NULL;

	m->request = om->sip_method != NULL;
	if (m->request) {
		set(c, S_METHOD, om->sip_method);
		s = sift_sip_uri_str(om->req_uri);
		if (!s)
			return SIFT_SIPE_BAD_RURI;
		set_owned(c, S_RURI, s);
	} else {
		if (om->status_code < 100 || om->status_code > 699)
			return SIFT_SIPE_STATUS_RANGE;
		m->status = om->status_code;
		set(c, S_METHOD, om->cseq->method);
		set(c, S_REASON, om->reason_phrase ? om->reason_phrase : "");
	}
	s = call_id_str(ps->cid);
	if (!s)
		return SIFT_SIPE_BAD_CALL_ID;
	set_owned(c, S_CALLID, s);
	s = sift_sip_uri_str(om->from->url);
	if (!s)
		return SIFT_SIPE_BAD_FROM;
	set_owned(c, S_FROM, s);
	s = sift_sip_uri_str(om->to->url);
	if (!s)
		return SIFT_SIPE_BAD_TO;
	set_owned(c, S_TO, s);
	set(c, S_CSEQM, om->cseq->method);
	if (osip_from_get_tag(om->from, &gp) == 0 && gp && gp->gvalue)
		set(c, S_FTAG, gp->gvalue);
	gp = NULL;
	if (osip_to_get_tag(om->to, &gp) == 0 && gp && gp->gvalue)
		set(c, S_TTAG, gp->gvalue);
	if (osip_message_get_contact(om, 0, &contact) >= 0 && contact &&
	    contact->url) {
		s = sift_sip_uri_str(contact->url);
		if (s)
			set_owned(c, S_CONTACT, s);
	}
	return SIFT_SIPE_NONE;
}

/* Max-Forwards' value (p NULL: none): 0-255, or said to be bad. */
static void max_forwards(struct sift_sip_msg *m, struct sift_span v)
{
	uint32_t n;

	m->max_forwards = -1;
	if (!v.p)
		return;
	m->max_forwards_bad = !sift_span_u32(v, 255, &n);
	if (!m->max_forwards_bad)
		m->max_forwards = (int)n;
}

/* The topmost Via and its parameters (RFC 3261 §18.2.2, RFC 3581,
 * RFC 5923), and Max-Forwards. */
static void via_and_hops(struct parsed *ps, struct sift_sip_msg *m)
{
	osip_via_t *via = ps->via;
	osip_header_t *mf = NULL;
	osip_generic_param_t *gp = NULL;
	struct collect *c = &ps->c;

	set(c, S_VTP, via->protocol ? via->protocol : "");
	set(c, S_VHOST, via->host);
	m->via.port = parse_port(via->port);
	if (osip_via_param_get_byname(via, "branch", &gp) == 0 && gp)
		set(c, S_VBRANCH, gp->gvalue ? gp->gvalue : "");
	gp = NULL;
	m->via.rport_value = -1;
	if (osip_via_param_get_byname(via, "rport", &gp) == 0 && gp) {
		m->via.rport = true;
		if (gp->gvalue && *gp->gvalue)
			m->via.rport_value = parse_port(gp->gvalue);
	}
	gp = NULL;
	if (osip_via_param_get_byname(via, "received", &gp) == 0 && gp &&
	    gp->gvalue)
		set(c, S_VRECV, gp->gvalue);
	gp = NULL;
	m->via.alias = osip_via_param_get_byname(via, "alias", &gp) == 0 && gp;
	m->via_count = (unsigned)osip_list_size(&ps->om->vias);
	if (osip_message_get_max_forwards(ps->om, 0, &mf) >= 0 && mf && mf->hvalue)
		max_forwards(m, sift_span_cstr(mf->hvalue));
	else
		max_forwards(m, sift_span_of(NULL, 0));
}

/* "type/subtype" in lower case: media types are case-insensitive (RFC 2045
 * §5.1). */
static enum sift_rc content_type(struct parsed *ps)
{
	osip_content_type_t *ct = ps->om->content_type;
	size_t t, st;
	char *s;

	if (!ct || !ct->type || !ct->subtype)
		return SIFT_OK;
	/* By hand: asprintf was 1,200 instructions a message with a body. */
	t = strlen(ct->type);
	st = strlen(ct->subtype);
	s = malloc(t + st + 2);
	if (!s)
		return SIFT_ENOMEM;
	for (size_t i = 0; i < t; i++)
		s[i] = (char)sift_lower((uint8_t)ct->type[i]);
	s[t] = '/';
	for (size_t i = 0; i < st; i++)
		s[t + 1 + i] = (char)sift_lower((uint8_t)ct->subtype[i]);
	s[t + 1 + st] = '\0';
	ps->ctype = s;
	set(&ps->c, S_CTYPE, s);
	return SIFT_OK;
}

/* One allocation for the message, the raw bytes and every string (the
 * message had a calloc and a free of its own, a percent of a SIP run):
 * *out is m moved to the block's start. */
static enum sift_rc store(const struct sift_sip_msg *m0, struct sift_sip_msg **out,
			  const struct collect *c, const uint8_t *p, size_t n,
			  size_t hend)
{
	const char **dst[S_COUNT];
	size_t need = sizeof(*m0) + n + 1, hoff = 0, nh = c->nhdrs, len[S_COUNT];
	struct sift_sip_msg *m;
	char *w;

	if (c->no_index || nh > SIFT_SIP_HDRS_MAX)
		nh = 0;
	for (int i = 0; i < S_COUNT; i++)
		if (c->src[i])
			need += (len[i] = c->n[i] ? c->n[i] - 1 : strlen(c->src[i])) + 1;
	/* The header index after the strings, aligned for its spans. */
	if (nh) {
		hoff = (need + _Alignof(struct sift_hdr) - 1) & ~(_Alignof(struct sift_hdr) - 1);
		need = hoff + nh * sizeof(struct sift_hdr);
	}
	m = sift_sip_block_get(need);
	if (!m)
		return SIFT_ENOMEM;
	*m = *m0;
	w = (char *)(m + 1);
	memcpy(w, p, n);
	w[n] = '\0';
	m->raw = (const uint8_t *)w;
	m->raw_len = n;
	if (nh) {
		struct sift_hdr *h = (struct sift_hdr *)(void *)((char *)m + hoff);

		/* The same lines, moved from p into the copy. */
		for (size_t i = 0; i < nh; i++) {
			h[i] = c->hdrs[i];
			h[i].line.p = m->raw + (h[i].line.p - p);
			h[i].name.p = m->raw + (h[i].name.p - p);
			h[i].value.p = m->raw + (h[i].value.p - p);
		}
		m->hdrs = h;
		m->nhdrs = nh;
		m->hdr_start = c->start;
		if (m->hdr_start.p)
			m->hdr_start.p = m->raw + (m->hdr_start.p - p);
		m->hdr_body = c->body;
	}
	w += n + 1;
	dst[S_METHOD] = &m->method;
	dst[S_REASON] = &m->reason;
	dst[S_RURI] = &m->ruri;
	dst[S_CALLID] = &m->call_id;
	dst[S_CSEQM] = &m->cseq_method;
	dst[S_FROM] = &m->from_uri;
	dst[S_FTAG] = &m->from_tag;
	dst[S_TO] = &m->to_uri;
	dst[S_TTAG] = &m->to_tag;
	dst[S_CONTACT] = &m->contact;
	dst[S_VTP] = &m->via.transport;
	dst[S_VHOST] = &m->via.host;
	dst[S_VBRANCH] = &m->via.branch;
	dst[S_VRECV] = &m->via.received;
	dst[S_CTYPE] = &m->content_type;
	dst[S_ROUTE] = &m->route;
	dst[S_RR] = &m->record_route;
	dst[S_PAI] = &m->pai;
	dst[S_UA] = &m->user_agent;
	for (int i = 0; i < S_COUNT; i++) {
		if (!c->src[i])
			continue;
		memcpy(w, c->src[i], len[i]);
		w[len[i]] = '\0';
		*dst[i] = w;
		w += len[i] + 1;
	}
	if (hend < n) {
		m->body = m->raw + hend;
		m->body_len = n - hend;
	}
	*out = m;
	return SIFT_OK;
}

static bool append_value(char **out, size_t *len, size_t *cap,
			 struct sift_span v, size_t max);

/* A header's value as sent, NUL-terminated (NULL when out of memory). */
static char *value_dup(struct sift_span v)
{
	/* As strndup: up to a NUL, from the arena during a parse. */
	size_t n = strnlen((const char *)v.p, v.n);
	char *s = sift_sip_arena_malloc(n + 1);

	if (s) {
		memcpy(s, v.p, n);
		s[n] = '\0';
	}
	return s;
}

/* One pass over the header lines for what is read as sent, not through
 * libosip2: every Route and Record-Route value (libosip2 drops what it
 * cannot parse), the first Content-Length, P-Asserted-Identity and
 * User-Agent (requests) or Server (responses). Each was a scan of its own,
 * five per message: a tenth of a SIP-only run. */
static bool raw_headers(struct collect *c, struct sift_sip_msg *m,
			const uint8_t *p, size_t hend, size_t n)
{
	const char *ua = m->request ? "user-agent" : "server";
	struct sift_hdr_iter it;
	struct sift_hdr h;
	char *route = NULL, *rr = NULL;
	size_t rlen = 0, rcap = 0, rrlen = 0, rrcap = 0;
	bool cl = false, route_ok = true, rr_ok = true, dup_ok = true;

	/* The empty line find_body found ends the walk: not looked for again
	 * when the message begins with its start line (440 instructions a
	 * message). */
	if (!sift_hdr_iter_init_body(&it, p, n, hend))
		sift_hdr_iter_init(&it, p, hend, true);
	c->start = it.start;
	c->body = it.body;
	/* Lint walks the whole message: the same lines when this walk
	 * found the empty line before hend, or hend is the end. Otherwise
	 * (CRLFs before the start line, say) no index. */
	c->no_index = it.end == hend && hend != n;
	while (sift_hdr_next(&it, &h)) {
		if (c->nhdrs < SIFT_SIP_HDRS_MAX)
			c->hdrs[c->nhdrs] = h;
		c->nhdrs++;
		if (!h.colon || !h.name.n)
			continue;
		/* By first letter: most lines are none of these. Joined, the
		 * values never take more than the message and a separator
		 * each. */
		switch (sift_lower(h.name.p[0])) {
		case 'r':
			if (sift_hdr_is(&h, "route", NULL))
				route_ok = route_ok &&
					   append_value(&route, &rlen, &rcap, h.value, 3 * hend + 8);
			else if (sift_hdr_is(&h, "record-route", NULL))
				rr_ok = rr_ok &&
					append_value(&rr, &rrlen, &rrcap, h.value, 3 * hend + 8);
			break;
		case 'c':
		case 'l':
			if (!cl && sift_hdr_is(&h, "content-length", "l")) {
				cl = true;
				m->has_content_length = sift_sip_content_length_value(
					h.value, &m->content_length);
			}
			break;
		case 'p':
			if (!c->src[S_PAI] && sift_hdr_is(&h, "p-asserted-identity", NULL)) {
				set_owned(c, S_PAI, value_dup(h.value));
				dup_ok = dup_ok && c->src[S_PAI];
			}
			break;
		case 'u':
		case 's':
			if (!c->src[S_UA] && sift_hdr_is(&h, ua, NULL)) {
				set_owned(c, S_UA, value_dup(h.value));
				dup_ok = dup_ok && c->src[S_UA];
			}
			break;
		default:
			break;
		}
	}
	/* Out of memory: no value rather than a part of one, and the
	 * parse fails (SIFT_ENOMEM). */
	if (!route_ok) {
		free(route);
		route = NULL;
	}
	if (!rr_ok) {
		free(rr);
		rr = NULL;
	}
	set_owned(c, S_ROUTE, route);
	set_owned(c, S_RR, rr);
	return route_ok && rr_ok && dup_ok;
}

/* What the walk and its strings left, for libosip2's turn. */
static void collect_reset(struct collect *c)
{
	struct sift_hdr *h = c->hdrs;

	for (int i = 0; i < S_COUNT; i++)
		osip_free(c->tmp[i]);
	memset(c, 0, sizeof(*c));
	c->hdrs = h;
}

/* The fields of a message sip_fast.c read, as identity, via_and_hops and
 * content_type would have them from libosip2; the strings stay spans of
 * the message until store() copies them. False when out of memory. */
static bool fast_fields(const struct sift_sip_fast *f, struct collect *c,
			struct sift_sip_msg *m)
{
	if (f->request) {
		set_span(c, S_METHOD, f->method);
		set_span(c, S_RURI, f->ruri);
	} else {
		m->status = f->status;
		set_span(c, S_METHOD, f->cseq_method);
		set_span(c, S_REASON, f->reason);
	}
	m->cseq = f->cseq;
	set_span(c, S_CALLID, f->call_id);
	set_span(c, S_FROM, f->from);
	set_span(c, S_TO, f->to);
	set_span(c, S_CSEQM, f->cseq_method);
	if (f->from_tag.p)
		set_span(c, S_FTAG, f->from_tag);
	if (f->to_tag.p)
		set_span(c, S_TTAG, f->to_tag);
	if (f->contact.p)
		set_span(c, S_CONTACT, f->contact);
	set_span(c, S_VTP, f->via_tp);
	set_span(c, S_VHOST, f->via_host);
	if (f->via_branch_seen)
		set_span(c, S_VBRANCH, f->via_branch);
	if (f->via_received.p)
		set_span(c, S_VRECV, f->via_received);
	m->via.port = port_of(f->via_port);
	m->via.rport = f->via_rport;
	m->via.rport_value = f->via_rport && f->via_rport_value.n ?
			     port_of(f->via_rport_value) : -1;
	m->via.alias = f->via_alias;
	m->via_count = f->via_count;
	max_forwards(m, f->max_forwards);
	if (f->ctype.p) {
		char *s = sift_sip_arena_malloc(f->ctype.n + f->csubtype.n + 2);

		if (!s)
			return false;
		for (size_t i = 0; i < f->ctype.n; i++)
			s[i] = (char)sift_lower(f->ctype.p[i]);
		s[f->ctype.n] = '/';
		for (size_t i = 0; i < f->csubtype.n; i++)
			s[f->ctype.n + 1 + i] = (char)sift_lower(f->csubtype.p[i]);
		s[f->ctype.n + 1 + f->csubtype.n] = '\0';
		set(c, S_CTYPE, s);
	}
	return true;
}

/* Per thread, as the arena: -j 2 parses ahead on the reader's thread. */
static _Thread_local bool fast_off;
static _Thread_local bool last_fast;

/* A plain message (sip_fast.h) read without libosip2: true when taken,
 * *m and ps->c filled as the libosip2 path fills them. Otherwise nothing
 * is left behind but what the arena's reset drops. */
static bool fast(struct parsed *ps, struct sift_sip_msg *m, const uint8_t *p,
		 size_t n, size_t hend, enum sift_rc *rc)
{
	struct sift_sip_fast f;
	const uint8_t *lf = memchr(p, '\n', hend);
	struct collect *c = &ps->c;

	if (fast_off || !lf || lf == p || lf[-1] != '\r' ||
	    !sift_sip_fast_start(sift_span_of(p, (size_t)(lf - p) - 1), &f))
		return false;
	memset(m, 0, sizeof(*m));
	m->request = f.request;
	if (!raw_headers(c, m, p, hend, n) || c->no_index ||
	    c->nhdrs > SIFT_SIP_HDRS_MAX || c->body != hend ||
	    !sift_sip_fast_headers(p, n, hend, c->start, c->hdrs, c->nhdrs, &f)) {
		collect_reset(c);
		return false;
	}
	if (!fast_fields(&f, c, m))
		*rc = SIFT_ENOMEM;
	m->plain = true;
	return true;
}

enum sift_rc sift_sip_parse(const uint8_t *p, size_t n,
			    struct sift_sip_msg **out, enum sift_sip_err *why)
{
	struct parsed ps;
	struct sift_hdr hdrs[SIFT_SIP_HDRS_MAX];
	struct sift_sip_msg mm, *m = &mm;
	enum sift_sip_err e = SIFT_SIPE_NONE;
	enum sift_rc rc = SIFT_OK;
	size_t hend;

	*out = NULL;
	memset(&ps, 0, sizeof(ps));
	ps.c.hdrs = hdrs;
	if (n == 0) {
		e = SIFT_SIPE_EMPTY;
		goto out;
	}
	sift_sip_arena_begin();
	hend = find_body(p, n);
	last_fast = fast(&ps, m, p, n, hend, &rc);
	if (last_fast) {
		if (!rc)
			rc = store(m, out, &ps.c, p, n, hend);
		goto out;
	}
	e = osip_parse(&ps, p, n, hend, &rc);
	if (e || rc)
		goto out;
	memset(m, 0, sizeof(*m));
	e = mandatory(&ps, m);
	if (!e)
		e = identity(&ps, m);
	if (e)
		goto out;
	via_and_hops(&ps, m);
	rc = content_type(&ps);
	if (rc)
		goto out;
	if (!raw_headers(&ps.c, m, p, hend, n)) {
		rc = SIFT_ENOMEM;
		goto out;
	}
	rc = store(m, out, &ps.c, p, n, hend);
out:
	if (e)
		rc = SIFT_EINVAL;
	if (why)
		*why = e;
	for (int i = 0; i < S_COUNT; i++)
		osip_free(ps.c.tmp[i]);
	/* Walking libosip2's message to free piece by piece what the reset
	 * drops at once was 4 % of a SIP-only run: only when some piece came
	 * from libc (too large for the arena). */
	if (!sift_sip_arena_all_inside())
		osip_message_free(ps.om);
	sift_sip_arena_reset();
	free(ps.nonul);
	free(ps.ctype);
	return rc;
}

enum sift_rc sift_sip_parse_osip(const uint8_t *p, size_t n,
				 struct sift_sip_msg **out, enum sift_sip_err *why)
{
	enum sift_rc rc;

	fast_off = true;
	rc = sift_sip_parse(p, n, out, why);
	fast_off = false;
	return rc;
}

bool sift_sip_parse_was_fast(void)
{
	return last_fast;
}

void sift_sip_msg_free(struct sift_sip_msg *m)
{
	/* The message heads its block (store). */
	sift_sip_block_put(m);
}

/* Appends v to *out, a fold (CRLF and the blanks around it, RFC 3261
 * §7.3.1) as one SP. */
static bool append_value(char **out, size_t *len, size_t *cap,
			 struct sift_span v, size_t max)
{
	size_t sep = *len ? 2 : 0;

	while (*len + sep + v.n + 1 > *cap)
		if (!sift_grow((void **)out, cap, *len + sep + v.n, 1, max))
			return false;
	memcpy(*out + *len, ", ", sep);
	*len += sep;
	/* A run of white space at a time: with a line break in it, a fold,
	 * one SP; else copied as it is. (This was "fold = fold ||
	 * v.p[j++] == '\n'", which stops moving j once fold is set: a folded
	 * Record-Route, a CRLF then a blank, hung the run; fuzz_pipeline
	 * found it.) */
	for (size_t i = 0; i < v.n;) {
		size_t j = i;
		bool fold = false;

		for (; j < v.n && sift_is_lws(v.p[j]); j++)
			if (v.p[j] == '\n')
				fold = true;
		if (j == i) {
			(*out)[(*len)++] = (char)v.p[i++];
			continue;
		}
		if (fold) {
			(*out)[(*len)++] = ' ';
		} else {
			memcpy(*out + *len, v.p + i, j - i);
			*len += j - i;
		}
		i = j;
	}
	(*out)[*len] = '\0';
	return true;
}

bool sift_sip_raw_header(const uint8_t *raw, size_t n, const char *name,
			 const char *compact, const uint8_t **val,
			 size_t *vlen)
{
	struct sift_hdr_iter it;
	struct sift_hdr h;

	sift_hdr_iter_init(&it, raw, n, true);
	while (sift_hdr_next(&it, &h)) {
		if (sift_hdr_is(&h, name, compact)) {
			*val = h.value.p;
			*vlen = h.value.n;
			return true;
		}
	}
	return false;
}
