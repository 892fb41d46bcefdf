/* sipsift — SIP message parsing through libosip2. The only file besides
 * sdp.c that includes libosip2's headers. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <osipparser2/osip_parser.h>
#include <osipparser2/osip_port.h>

#include "sip/sip_frame.h"
#include "sip/sip_msg.h"

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
	done = true;
}

/* Strings to copy into the message's single allocation. */
enum {
	S_METHOD, S_REASON, S_RURI, S_CALLID, S_CSEQM, S_FROM, S_FTAG, S_TO,
	S_TTAG, S_CONTACT, S_VTP, S_VHOST, S_VBRANCH, S_VRECV, S_CTYPE,
	S_ROUTE, S_RR, S_COUNT
};

struct collect {
	char *tmp[S_COUNT];     /* malloc'd by libosip2 (to_str), ours to free */
	const char *src[S_COUNT];
};

static void set(struct collect *c, int i, const char *s)
{
	c->src[i] = s;
}

static void set_owned(struct collect *c, int i, char *s)
{
	c->tmp[i] = s;
	c->src[i] = s;
}

static int why(char *buf, size_t len, const char *s)
{
	snprintf(buf, len, "%s", s);
	return SIFT_EINVAL;
}

/* CSeq number: 1*DIGIT below 2^31 (RFC 3261 §8.1.1.5). */
static bool parse_cseq(const char *s, uint32_t *out)
{
	uint64_t v = 0;

	if (!s || !*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > 0x7fffffffu)
			return false;
	}
	*out = (uint32_t)v;
	return true;
}

static uint16_t parse_port(const char *s)
{
	unsigned v = 0;

	if (!s)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (unsigned)(*s - '0');
		if (v > 65535)
			return 0;
	}
	return (uint16_t)v;
}

static size_t find_body(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		if (p[i] != '\n')
			continue;
		if (p[i + 1] == '\n')
			return i + 2;
		if (i + 2 < n && p[i + 1] == '\r' && p[i + 2] == '\n')
			return i + 3;
	}
	return n;
}

enum sift_rc sift_sip_parse(const uint8_t *p, size_t n,
			    struct sift_sip_msg **out, char *whybuf,
			    size_t whylen)
{
	osip_message_t *om = NULL;
	osip_call_id_t *cid;
	osip_via_t *via = NULL;
	osip_contact_t *contact = NULL;
	osip_header_t *mf = NULL;
	osip_generic_param_t *gp = NULL;
	struct collect c;
	struct sift_sip_msg *m = NULL;
	size_t need, hend;
	char *w;
	const char **dst[S_COUNT];
	char *nonul = NULL;
	char *ctype = NULL;     /* ours (malloc), unlike the to_str strings */
	int rc = SIFT_OK;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	if (n == 0)
		return why(whybuf, whylen, "empty message");
	hend = find_body(p, n);
	/* libosip2 stops at a NUL (RFC 4475 intmeth): it would parse a
	 * different message than the one on the wire. In the headers a NUL is
	 * an error; a body may be binary (ISUP in SIP-I). */
	if (memchr(p, '\0', hend))
		return why(whybuf, whylen, "NUL byte in the headers");
	if (osip_message_init(&om) != 0)
		return SIFT_ENOMEM;
	if (memchr(p + hend, '\0', n - hend)) {
		/* Headers alone will not do: with a multipart Content-Type
		 * libosip2 insists on parsing the body. Give it the body with
		 * its NULs blanked; the original bytes are what we keep. */
		nonul = malloc(n);
		if (!nonul) {
			rc = SIFT_ENOMEM;
			goto out;
		}
		memcpy(nonul, p, n);
		for (size_t i = hend; i < n; i++)
			if (!nonul[i])
				nonul[i] = ' ';
	}
	if (osip_message_parse(om, nonul ? nonul : (const char *)p, n) != 0) {
		rc = why(whybuf, whylen, "rejected by the SIP parser");
		goto out;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		rc = SIFT_ENOMEM;
		goto out;
	}
	/* The MSG_IS_* macros dereference cseq unchecked: validate the
	 * mandatory headers before anything else (LIBRARIES.md). */
	cid = osip_message_get_call_id(om);
	if (!cid || !cid->number) {
		rc = why(whybuf, whylen, "no Call-ID header");
		goto out;
	}
	if (!om->cseq || !om->cseq->method || !om->cseq->number) {
		rc = why(whybuf, whylen, "no CSeq header");
		goto out;
	}
	if (!parse_cseq(om->cseq->number, &m->cseq)) {
		rc = why(whybuf, whylen, "CSeq number is not below 2^31");
		goto out;
	}
	if (!om->from || !om->from->url) {
		rc = why(whybuf, whylen, "no From header");
		goto out;
	}
	if (!om->to || !om->to->url) {
		rc = why(whybuf, whylen, "no To header");
		goto out;
	}
	if (osip_message_get_via(om, 0, &via) < 0 || !via || !via->host) {
		rc = why(whybuf, whylen, "no Via header");
		goto out;
	}
	m->request = om->sip_method != NULL;
	if (m->request) {
		char *ruri = NULL;

		set(&c, S_METHOD, om->sip_method);
		if (!om->req_uri || osip_uri_to_str(om->req_uri, &ruri) != 0) {
			rc = why(whybuf, whylen, "bad Request-URI");
			goto out;
		}
		set_owned(&c, S_RURI, ruri);
	} else {
		if (om->status_code < 100 || om->status_code > 699) {
			rc = why(whybuf, whylen, "status code outside 100-699");
			goto out;
		}
		m->status = om->status_code;
		set(&c, S_METHOD, om->cseq->method);
		set(&c, S_REASON, om->reason_phrase ? om->reason_phrase : "");
	}
	{
		char *s = NULL;

		if (osip_call_id_to_str(cid, &s) != 0) {
			rc = why(whybuf, whylen, "bad Call-ID header");
			goto out;
		}
		set_owned(&c, S_CALLID, s);
		s = NULL;
		if (osip_uri_to_str(om->from->url, &s) != 0) {
			rc = why(whybuf, whylen, "bad From URI");
			goto out;
		}
		set_owned(&c, S_FROM, s);
		s = NULL;
		if (osip_uri_to_str(om->to->url, &s) != 0) {
			rc = why(whybuf, whylen, "bad To URI");
			goto out;
		}
		set_owned(&c, S_TO, s);
	}
	set(&c, S_CSEQM, om->cseq->method);
	if (osip_from_get_tag(om->from, &gp) == 0 && gp && gp->gvalue)
		set(&c, S_FTAG, gp->gvalue);
	gp = NULL;
	if (osip_to_get_tag(om->to, &gp) == 0 && gp && gp->gvalue)
		set(&c, S_TTAG, gp->gvalue);
	if (osip_message_get_contact(om, 0, &contact) >= 0 && contact &&
	    contact->url) {
		char *s = NULL;

		if (osip_uri_to_str(contact->url, &s) == 0)
			set_owned(&c, S_CONTACT, s);
	}
	set(&c, S_VTP, via->protocol ? via->protocol : "");
	set(&c, S_VHOST, via->host);
	m->via.port = parse_port(via->port);
	gp = NULL;
	if (osip_via_param_get_byname(via, "branch", &gp) == 0 && gp)
		set(&c, S_VBRANCH, gp->gvalue ? gp->gvalue : "");
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
		set(&c, S_VRECV, gp->gvalue);
	gp = NULL;
	m->via.alias = osip_via_param_get_byname(via, "alias", &gp) == 0 && gp;
	m->via_count = (unsigned)osip_list_size(&om->vias);
	m->max_forwards = -1;
	if (osip_message_get_max_forwards(om, 0, &mf) >= 0 && mf &&
	    mf->hvalue) {
		m->max_forwards_bad = true;
		uint16_t v = parse_port(mf->hvalue);

		if (v <= 255 && (v || strcmp(mf->hvalue, "0") == 0)) {
			m->max_forwards = v;
			m->max_forwards_bad = false;
		}
	}
	if (om->content_type && om->content_type->type &&
	    om->content_type->subtype) {
		char *ct = NULL;

		if (asprintf(&ct, "%s/%s", om->content_type->type,
			     om->content_type->subtype) < 0) {
			rc = SIFT_ENOMEM;
			goto out;
		}
		/* Media types are case-insensitive (RFC 2045 §5.1). */
		for (char *q = ct; *q; q++)
			if (*q >= 'A' && *q <= 'Z')
				*q = (char)(*q + 32);
		ctype = ct;
		set(&c, S_CTYPE, ct);
	}

	set_owned(&c, S_ROUTE, sift_sip_raw_header_all(p, hend, "route", NULL));
	set_owned(&c, S_RR, sift_sip_raw_header_all(p, hend, "record-route", NULL));

	/* One allocation for the raw bytes and every string. */
	need = n + 1;
	for (int i = 0; i < S_COUNT; i++)
		if (c.src[i])
			need += strlen(c.src[i]) + 1;
	w = malloc(need);
	if (!w) {
		rc = SIFT_ENOMEM;
		goto out;
	}
	memcpy(w, p, n);
	w[n] = '\0';
	m->raw = (const uint8_t *)w;
	m->raw_len = n;
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
	for (int i = 0; i < S_COUNT; i++) {
		size_t l;

		if (!c.src[i])
			continue;
		l = strlen(c.src[i]);
		memcpy(w, c.src[i], l + 1);
		*dst[i] = w;
		w += l + 1;
	}
	m->has_content_length = sift_sip_content_length(m->raw, hend,
							 &m->content_length);
	if (hend < n) {
		m->body = m->raw + hend;
		m->body_len = n - hend;
	}
	*out = m;
	m = NULL;
out:
	for (int i = 0; i < S_COUNT; i++)
		osip_free(c.tmp[i]);
	if (m) {
		free((void *)m->raw);
		free(m);
	}
	osip_message_free(om);
	free(nonul);
	free(ctype);
	return rc;
}

void sift_sip_msg_free(struct sift_sip_msg *m)
{
	if (!m)
		return;
	free((void *)m->raw);
	free(m);
}

static bool ci_eq(const uint8_t *a, size_t n, const char *b)
{
	size_t bl = strlen(b);

	if (n != bl)
		return false;
	for (size_t i = 0; i < n; i++) {
		uint8_t x = a[i], y = (uint8_t)b[i];

		if (x >= 'A' && x <= 'Z')
			x = (uint8_t)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (uint8_t)(y + 32);
		if (x != y)
			return false;
	}
	return true;
}

char *sift_sip_raw_header_all(const uint8_t *raw, size_t n, const char *name,
			      const char *compact)
{
	size_t off = 0, len = 0, cap = 0;
	char *out = NULL;

	for (;;) {
		const uint8_t *v;
		size_t vlen;
		char *o;

		if (!sift_sip_raw_header(raw + off, n - off, name, compact, &v, &vlen))
			break;
		if (len + vlen + 3 > cap) {
			cap = (len + vlen + 3) * 2;
			o = realloc(out, cap);
			if (!o) {
				free(out);
				return NULL;
			}
			out = o;
		}
		if (len) {
			memcpy(out + len, ", ", 2);
			len += 2;
		}
		memcpy(out + len, v, vlen);
		len += vlen;
		out[len] = '\0';
		/* Go on from this line's end: the scanner skips the first
		 * line of what it is given (a start line), here just "\n". */
		off = (size_t)(v - raw) + vlen;
		while (off < n && raw[off] != '\n')
			off++;
		if (off >= n)
			break;
	}
	return out;
}

bool sift_sip_raw_header(const uint8_t *raw, size_t n, const char *name,
			 const char *compact, const uint8_t **val,
			 size_t *vlen)
{
	size_t i = 0, end = find_body(raw, n);

	/* Skip the start line. */
	while (i < end && raw[i] != '\n')
		i++;
	i++;
	while (i < end) {
		const uint8_t *line = raw + i;
		const uint8_t *lf = memchr(line, '\n', end - i);
		size_t len = lf ? (size_t)(lf - line) : end - i;
		size_t j = 0, ne;

		i += len + 1;
		while (j < len && line[j] != ':' && line[j] != ' ' &&
		       line[j] != '\t')
			j++;
		ne = j;
		while (j < len && (line[j] == ' ' || line[j] == '\t'))
			j++;
		if (j >= len || line[j] != ':')
			continue;
		if (!ci_eq(line, ne, name) && !(compact && ci_eq(line, ne, compact)))
			continue;
		j++;
		while (j < len && (line[j] == ' ' || line[j] == '\t'))
			j++;
		while (len > j && (line[len - 1] == '\r' || line[len - 1] == ' ' ||
				   line[len - 1] == '\t'))
			len--;
		*val = line + j;
		*vlen = len - j;
		return true;
	}
	return false;
}
