/* sipsift — SIP URIs and Route lists, compared as the lint rules need. */
#include <stdio.h>
#include <string.h>

#include "sip/uri.h"
#include "util/span.h"

/* A URI (possibly "Name <uri>;params") split into scheme, user, host,
 * port, the first three cut to their buffers and scheme and host in lower
 * case. */
struct uri_parts {
	char scheme[8];
	char user[128];
	char host[128];
	unsigned port;
};

/* Copies s into buf (of len bytes), cut to fit, optionally lowered. */
static void copy_part(struct sift_span s, char *buf, size_t len, bool lower)
{
	size_t n = s.n < len - 1 ? s.n : len - 1;

	for (size_t i = 0; i < n; i++)
		buf[i] = (char)(lower ? sift_lower(s.p[i]) : s.p[i]);
	buf[n] = '\0';
}

/* The URI itself: inside <...> when bracketed, else up to the first
 * ';', '?', '>', SP or ','. */
static struct sift_span uri_of(const char *s)
{
	struct sift_span v = sift_span_cstr(s);
	size_t lt = sift_span_find(v, '<'), end;

	if (lt < v.n) {
		v = sift_span_sub(v, lt + 1, v.n);
		while (v.n && v.p[0] == ' ')
			v = sift_span_sub(v, 1, v.n);
		return sift_span_sub(v, 0, sift_span_find(v, '>'));
	}
	while (v.n && v.p[0] == ' ')
		v = sift_span_sub(v, 1, v.n);
	for (end = 0; end < v.n && !strchr(";?> ,", v.p[end]); end++)
		;
	return sift_span_sub(v, 0, end);
}

static bool uri_split(const char *s, struct uri_parts *u)
{
	struct sift_span v, scheme, hostport, host;
	size_t i;

	memset(u, 0, sizeof(*u));
	if (!s)
		return false;
	v = uri_of(s);
	if (!sift_span_split(&v, ':', &scheme) || scheme.n >= sizeof(u->scheme))
		return false;
	for (i = 0; i < scheme.n; i++)
		u->scheme[i] = (char)(scheme.p[i] | 0x20);
	/* Params of the URI end the host part too. */
	v = sift_span_sub(v, 0, sift_span_find(v, ';'));
	i = sift_span_find(v, '@');
	if (i < v.n) {
		copy_part(sift_span_sub(v, 0, i), u->user, sizeof(u->user), false);
		v = sift_span_sub(v, i + 1, v.n);
	}
	if (v.n && v.p[0] == '[') {
		i = sift_span_find(v, ']');
		if (i == v.n)
			return false;
		i++;
	} else {
		i = sift_span_find(v, ':');
	}
	host = sift_span_sub(v, 0, i);
	hostport = sift_span_sub(v, i, v.n);
	copy_part(host, u->host, sizeof(u->host), true);
	u->port = strcmp(u->scheme, "sips") == 0 ? 5061 : 5060;
	if (hostport.n && hostport.p[0] == ':') {
		struct sift_span digits = sift_span_sub(hostport, 1, hostport.n);
		uint32_t port;

		for (i = 0; i < digits.n && sift_is_digit(digits.p[i]); i++)
			;
		digits = sift_span_sub(digits, 0, i);
		/* A port past 65535 is no port, never one wrapped around:
		 * "h:4294972356" is not "h:5060". */
		if (digits.n && !sift_span_u32(digits, 65535, &port))
			return false;
		if (digits.n && port)
			u->port = port;
	}
	return true;
}

bool sift_uri_eq(const char *a, const char *b)
{
	struct uri_parts x, y;

	if (!a || !b)
		return a == b;
	/* The same bytes split the same way: the usual case (an ACK to the
	 * Contact it was sent), and splitting cost 2,800 instructions. */
	if (strcmp(a, b) == 0)
		return true;
	if (!uri_split(a, &x) || !uri_split(b, &y))
		return strcmp(a, b) == 0;
	return strcmp(x.scheme, y.scheme) == 0 && strcmp(x.user, y.user) == 0 &&
	       strcmp(x.host, y.host) == 0 && x.port == y.port;
}

/* Route values are "<uri>;params" separated by commas; a comma inside
 * angle brackets belongs to the URI. */
static const char *route_next(const char *p, const char **start, size_t *len)
{
	int depth = 0;
	const char *q;

	while (*p == ' ' || *p == ',')
		p++;
	if (!*p)
		return NULL;
	*start = p;
	for (q = p; *q; q++) {
		if (*q == '<')
			depth++;
		else if (*q == '>')
			depth--;
		else if (*q == ',' && depth <= 0)
			break;
	}
	*len = (size_t)(q - p);
	return q;
}

size_t sift_route_count(const char *list)
{
	const char *p = list, *s;
	size_t n = 0, len;

	if (!list)
		return 0;
	while ((p = route_next(p, &s, &len)) != NULL)
		n++;
	return n;
}

bool sift_route_nth(const char *list, size_t n, char *buf, size_t len)
{
	const char *p = list, *s;
	size_t l;

	if (!list)
		return false;
	while ((p = route_next(p, &s, &l)) != NULL) {
		if (n-- == 0) {
			snprintf(buf, len, "%.*s", (int)l, s);
			return true;
		}
	}
	return false;
}

bool sift_uri_has_lr(const char *uri)
{
	struct sift_span v = sift_span_cstr(uri), rest;
	size_t lt;

	if (!uri)
		return false;
	/* Only the URI's own parameters: inside <...> when bracketed. */
	lt = sift_span_find(v, '<');
	if (lt < v.n) {
		v = sift_span_sub(v, lt, v.n);
		v = sift_span_sub(v, 0, sift_span_find(v, '>'));
	}
	for (size_t i = 0; i < v.n; i++) {
		if (v.p[i] != ';' ||
		    !sift_span_iprefix(sift_span_sub(v, i + 1, v.n), "lr", &rest))
			continue;
		if (!rest.n || strchr(";>= ", rest.p[0]))
			return true;
	}
	return false;
}

const char *sift_ip_str(const struct sift_addr *a, char *buf, size_t len)
{
	struct sift_addr x = *a;

	x.port = 0;
	return sift_addr_str(&x, buf, len);
}

bool sift_uri_is_addr(const char *uri, const struct sift_addr *a)
{
	struct uri_parts u;
	char ip[SIFT_ADDR_STRLEN];
	size_t n;

	if (!uri_split(uri, &u))
		return false;
	sift_ip_str(a, ip, sizeof(ip));
	n = strlen(u.host);
	if (n >= 2 && u.host[0] == '[') {
		/* [v6]: compare without brackets. */
		return strlen(ip) == n - 2 && strncmp(u.host + 1, ip, n - 2) == 0 &&
		       u.port == a->port;
	}
	return strcmp(u.host, ip) == 0 && u.port == a->port;
}
