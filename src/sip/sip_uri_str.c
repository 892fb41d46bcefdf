/* sipsift — URIs written back as libosip2 writes them (sip_uri_str.h). */
#include <string.h>

#include <osipparser2/osip_parser.h>
#include <osipparser2/osip_port.h>

#include "sip/sip_arena.h"
#include "sip/sip_msg.h"
#include "sip/sip_uri_str.h"
#include "util/span.h"

/* A URI as libosip2 writes it back (osip_uri_to_str of 5.3: scheme ':'
 * [user [':' password] '@'] host (bracketed when it holds a ':') [':'
 * port], then ';'name['='value] for each parameter but x-obr and x-obp,
 * then '?'name'='value, '&' before the next ones; user, password,
 * parameters and headers %XX-escaped outside their sets), made here:
 * libosip2's goes through sprintf and a malloc per part, a tenth of a
 * SIP-only run. tests/unit/test_sip_uri_str.c holds the two to the same
 * bytes. NULL where libosip2 fails (no host, no scheme for an opaque URI)
 * or out of memory. */
enum { ESC_USER, ESC_PASSWORD, ESC_PARAM, ESC_HEADER };

/* Does set esc keep c as it is (RFC 3261 §25.1 unreserved, and the
 * user-, password-, param- and hnv-unreserved marks as libosip2 has
 * them)? */
static bool esc_keeps(int esc, unsigned char c)
{
	if (sift_is_alpha(c) || sift_is_digit(c))
		return true;
	switch (c) {
	case '-': case '_': case '.': case '!': case '~': case '*':
	case '\'': case '(': case ')': case '+': case '$':
		return true;
	case '&':
		return esc != ESC_HEADER;
	case '=': case ',':
		return esc == ESC_USER || esc == ESC_PASSWORD;
	case ';':
		return esc == ESC_USER;
	case '?':
		return esc == ESC_USER || esc == ESC_HEADER;
	case '/':
		return esc != ESC_PASSWORD;
	case '[': case ']': case ':':
		return esc == ESC_PARAM || esc == ESC_HEADER;
	default:
		return false;
	}
}

/* s appended at w, escaped with set esc; past it. */
static char *put_esc(char *w, const char *s, int esc)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
		if (esc_keeps(esc, *u)) {
			*w++ = (char)*u;
		} else {
			*w++ = '%';
			*w++ = hex[*u >> 4];
			*w++ = hex[*u & 15];
		}
	}
	return w;
}

static char *put_lit(char *w, const char *s)
{
	size_t n = strlen(s);

	memcpy(w, s, n);
	return w + n;
}

/* The most the URI can take, escaped (3 bytes for each escaped one),
 * with its NUL. */
static size_t uri_bound(const osip_uri_t *u, const char *scheme)
{
	osip_list_iterator_t it;
	size_t n = strlen(scheme) + 2;

	if (u->string)
		return n + strlen(u->string);
	n += strlen(u->host) + 3;
	if (u->username)
		n += 3 * strlen(u->username) + 1;
	if (u->password)
		n += 3 * strlen(u->password) + 1;
	if (u->port)
		n += strlen(u->port) + 1;
	for (osip_uri_param_t *p = osip_list_get_first(&u->url_params, &it);
	     p; p = osip_list_get_next(&it))
		n += 3 * strlen(p->gname) + 2 + (p->gvalue ? 3 * strlen(p->gvalue) : 0);
	for (osip_uri_header_t *h = osip_list_get_first(&u->url_headers, &it);
	     h; h = osip_list_get_next(&it))
		n += 3 * strlen(h->gname) + 3 * strlen(h->gvalue) + 2;
	return n;
}

/* The URI written at w; past it. */
static char *uri_put(const osip_uri_t *u, const char *scheme, char *w)
{
	osip_list_iterator_t it;
	bool first = true;

	w = put_lit(w, scheme);
	*w++ = ':';
	if (u->string)
		return put_lit(w, u->string);
	if (u->username) {
		w = put_esc(w, u->username, ESC_USER);
		if (u->password) {
			*w++ = ':';
			w = put_esc(w, u->password, ESC_PASSWORD);
		}
		*w++ = '@';
	}
	if (strchr(u->host, ':')) {
		*w++ = '[';
		w = put_lit(w, u->host);
		*w++ = ']';
	} else {
		w = put_lit(w, u->host);
	}
	if (u->port) {
		*w++ = ':';
		w = put_lit(w, u->port);
	}
	for (osip_uri_param_t *p = osip_list_get_first(&u->url_params, &it);
	     p; p = osip_list_get_next(&it)) {
		if (strcasecmp(p->gname, "x-obr") == 0 ||
		    strcasecmp(p->gname, "x-obp") == 0)
			continue;
		*w++ = ';';
		w = put_esc(w, p->gname, ESC_PARAM);
		if (p->gvalue) {
			*w++ = '=';
			w = put_esc(w, p->gvalue, ESC_PARAM);
		}
	}
	for (osip_uri_header_t *h = osip_list_get_first(&u->url_headers, &it);
	     h; h = osip_list_get_next(&it)) {
		*w++ = first ? '?' : '&';
		w = put_esc(w, h->gname, ESC_HEADER);
		*w++ = '=';
		w = put_esc(w, h->gvalue, ESC_HEADER);
		first = false;
	}
	return w;
}

char *sift_sip_uri_str(const osip_uri_t *u)
{
	const char *scheme;
	char *s;
	osip_list_iterator_t it;

	if (!u || (!u->host && !u->string) || (!u->scheme && u->string))
		return NULL;
	/* A parameter or header without a name (or a header without a
	 * value) libosip2's parser never makes; libosip2 would crash on it. */
	for (osip_uri_param_t *p = osip_list_get_first(&u->url_params, &it);
	     p; p = osip_list_get_next(&it))
		if (!p->gname)
			return NULL;
	for (osip_uri_header_t *h = osip_list_get_first(&u->url_headers, &it);
	     h; h = osip_list_get_next(&it))
		if (!h->gname || !h->gvalue)
			return NULL;
	scheme = u->scheme ? u->scheme : "sip";
	/* From the arena during a parse (the string is copied into the
	 * message and dropped with the rest), from libc outside one. */
	s = sift_sip_arena_malloc(uri_bound(u, scheme));
	if (!s)
		return NULL;
	*uri_put(u, scheme, s) = '\0';
	return s;
}

char *sift_sip_uri_reprint(const char *text)
{
	osip_uri_t *u = NULL;
	char *s = NULL;

	if (osip_uri_init(&u) == 0 && osip_uri_parse(u, text) == 0)
		s = sift_sip_uri_str(u);
	osip_uri_free(u);
	return s;
}
