/* sipsift — grammar checks on name-addr / addr-spec headers (From, To,
 * Contact, Route, Record-Route, Reply-To) and the URIs in them and in the
 * Request-URI (RFC 3261 §19.1, §20, §25.1). */
#include <stdio.h>
#include <string.h>

#include "lint/lint_syntax.h"

/* A URI: scheme ":" and nothing that must be escaped; every '%' starts an
 * escape of two hex digits (RFC 3261 §25.1, RFC 2396 §2.4). '#' is let
 * through: it is common unescaped in dial strings, and harmless. */
enum uri_fault { URI_OK, URI_EMPTY, URI_NO_SCHEME, URI_UNESCAPED, URI_BAD_ESCAPE };

/* Each byte of a URI: 0 as it is (a scheme's bytes and ':' too), 1 must
 * be escaped (controls, space, past ASCII, and "<>\\^`{|}), 2 '%', which
 * starts an escape. A table: a switch per byte was 2 % of a SIP run. */
enum { U_OK, U_ESCAPE, U_PERCENT };

static const uint8_t uri_byte[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 0, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0,
	1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* Does u start with a scheme and ':' (RFC 3261 §25.1: ALPHA *( ALPHA /
 * DIGIT / "+" / "-" / "." ))? */
static bool scheme_ok(struct sift_span u)
{
	size_t i = 0;

	if (!u.n || !sift_is_alpha(u.p[0]))
		return false;
	while (i < u.n && (sift_is_alpha(u.p[i]) || sift_is_digit(u.p[i]) ||
			   u.p[i] == '+' || u.p[i] == '-' || u.p[i] == '.'))
		i++;
	return i < u.n && u.p[i] == ':';
}

/* The first fault of u, and where (*at) for the two that have a place:
 * found without writing a word, since nearly every URI has none. */
static enum uri_fault uri_fault(struct sift_span u, size_t *at)
{
	size_t i = 0;

	if (!u.n)
		return URI_EMPTY;
	if (!scheme_ok(u))
		return URI_NO_SCHEME;
	for (; i < u.n; i++) {
		uint8_t b = uri_byte[u.p[i]];

		if (b == U_OK)
			continue;
		*at = i;
		if (b == U_ESCAPE)
			return URI_UNESCAPED;
		if (i + 2 >= u.n || !sift_is_hex(u.p[i + 1]) || !sift_is_hex(u.p[i + 2]))
			return URI_BAD_ESCAPE;
	}
	return URI_OK;
}

static void uri_report(struct sift_span u, enum uri_fault k, size_t at,
		       const char *what, struct sift_syn *f)
{
	char b[48], c[8];
	struct sift_span e;

	switch (k) {
	case URI_OK:
		break;
	case URI_EMPTY:
		sift_syn_add(f, K_SYNTAX, "%s is empty", what);
		break;
	case URI_NO_SCHEME:
		sift_syn_add(f, K_SYNTAX, "%s '%s' has no scheme", what,
		    sift_syn_show(u, b, sizeof(b)));
		break;
	case URI_UNESCAPED:
		sift_syn_add(f, K_SYNTAX, "%s '%s' has %s, which must be escaped",
		    what, sift_syn_show(u, b, sizeof(b)), sift_syn_char(u.p[at], c, sizeof(c)));
		break;
	case URI_BAD_ESCAPE:
		e = sift_span_sub(u, at, at + 3 < u.n ? at + 3 : u.n);
		sift_syn_add(f, K_SYNTAX, "%s has a bad escape '%s' (not %% and two hex digits)",
		    what, sift_syn_show(e, b, sizeof(b)));
		break;
	}
}

bool sift_syn_uri(struct sift_span u, const char *what, struct sift_syn *f)
{
	size_t at = 0;
	enum uri_fault k = uri_fault(u, &at);

	uri_report(u, k, at, what, f);
	return k == URI_OK;
}

/* The URI of a header: "To URI" in the finding, written only for one. */
static bool header_uri(struct sift_span u, const char *header, struct sift_syn *f)
{
	size_t at = 0;
	enum uri_fault k = uri_fault(u, &at);
	char what[32];

	if (k == URI_OK)
		return true;
	snprintf(what, sizeof(what), "%s URI", header);
	uri_report(u, k, at, what, f);
	return false;
}

/* Does a SIP or SIPS URI carry a headers part ("?h=v", §19.1.1)? The
 * user part may hold '?' (user-unreserved): look after the '@'. */
bool sift_syn_uri_headers(struct sift_span u, struct sift_span *h)
{
	size_t i = 0;
	const uint8_t *at;

	if (!(u.n > 4 && sift_span_ieq(sift_span_sub(u, 0, 4), "sip:")) &&
	    !(u.n > 5 && sift_span_ieq(sift_span_sub(u, 0, 5), "sips:")))
		return false;
	at = memchr(u.p, '@', u.n);
	if (at)
		i = (size_t)(at - u.p);
	for (; i < u.n; i++)
		if (u.p[i] == '?') {
			*h = sift_span_sub(u, i, u.n);
			return true;
		}
	return false;
}

/* *( SEMI generic-param ) from v.p[*i] up to the end, or a comma when the
 * header is a list. Contact's expires is delta-seconds (§20.10). Returns
 * false with a problem recorded. */
bool sift_syn_params(struct sift_span v, size_t *i, bool list,
		     enum sift_syn_hk k, struct sift_syn *f)
{
	const char *h = sift_syn_hdrs[k].shown;
	char b[48], c[8];
	size_t j = *i;

	for (;;) {
		struct sift_span name, val;

		j = sift_span_skip_lws(v, j);
		if (j >= v.n || (list && v.p[j] == ',')) {
			*i = j;
			return true;
		}
		if (v.p[j] != ';') {
			sift_syn_add(f, K_SYNTAX, "%s has %s where a ';' parameter or the end belongs",
			    h, sift_syn_char(v.p[j], c, sizeof(c)));
			return false;
		}
		j = sift_span_skip_lws(v, j + 1);
		name.p = v.p + j;
		while (j < v.n && sift_is_token_char(v.p[j]))
			j++;
		name.n = (size_t)(v.p + j - name.p);
		if (!name.n) {
			sift_syn_add(f, K_SYNTAX, "%s has an empty parameter (';' followed by %s)",
			    h, j < v.n ? sift_syn_char(v.p[j], c, sizeof(c)) : "nothing");
			return false;
		}
		j = sift_span_skip_lws(v, j);
		if (j >= v.n || v.p[j] != '=')
			continue;
		j = sift_span_skip_lws(v, j + 1);
		if (j < v.n && v.p[j] == '"') {
			if (!sift_syn_skip_quoted(v, &j)) {
				sift_syn_add(f, K_SYNTAX, "unterminated quoted string in %s parameter %s",
				    h, sift_syn_show(name, b, sizeof(b)));
				return false;
			}
			continue;
		}
		val.p = v.p + j;
		while (j < v.n && !sift_is_lws(v.p[j]) && v.p[j] != ';' &&
		       v.p[j] != ',')
			j++;
		val.n = (size_t)(v.p + j - val.p);
		if (!val.n) {
			sift_syn_add(f, K_SYNTAX, "%s parameter %s has '=' but no value", h,
			    sift_syn_show(name, b, sizeof(b)));
			return false;
		}
		if (k == H_CONTACT && sift_span_ieq(name, "expires")) {
			uint64_t x;
			enum sift_syn_num r = sift_syn_num(val, U32_MAX_VALUE, &x);

			if (r == NUM_TOO_BIG)
				sift_syn_add(f, K_SYNTAX, "Contact expires=%s does not fit in 32 bits",
				    sift_syn_show(val, b, sizeof(b)));
			else if (r != NUM_OK)
				sift_syn_add(f, K_SYNTAX, "Contact expires=%s is not a number of seconds",
				    sift_syn_show(val, b, sizeof(b)));
		}
	}
}

/* An addr-spec (no <>): the URI runs to the first ';' (header parameters
 * follow, §20.10) or ','. A URI with '?' or ',' must be in <> (§20), and
 * Route and Record-Route take name-addr only (§20.30, §20.34). On success
 * *i is past the URI. */
static bool check_addr_spec(struct sift_span v, size_t *i, bool list,
			    enum sift_syn_hk k, struct sift_syn *f)
{
	const char *h = sift_syn_hdrs[k].shown;
	char b[48], c[8];
	size_t s = *i, j = *i;
	struct sift_span u, hp;

	while (j < v.n && v.p[j] != ';' && v.p[j] != ',' && v.p[j] != '<' &&
	       v.p[j] != '"')
		j++;
	u = sift_span_trim_lws(sift_span_sub(v, s, j));
	if (j < v.n && v.p[j] == '<') {
		/* "sip:x <sip:y>": a display name with ':' in it. */
		sift_syn_add(f, K_SYNTAX, "%s display name '%s' has ':' and is not quoted",
		    h, sift_syn_show(u, b, sizeof(b)));
		return false;
	}
	if (j < v.n && v.p[j] == '"') {
		sift_syn_add(f, K_SYNTAX, "%s has %s inside its URI", h,
		    sift_syn_char(v.p[j], c, sizeof(c)));
		return false;
	}
	if (k == H_ROUTE || k == H_RROUTE) {
		sift_syn_add(f, K_SYNTAX, "%s URI '%s' is not enclosed in <> (name-addr is required)",
		    h, sift_syn_show(u, b, sizeof(b)));
		return false;
	}
	if (sift_syn_has_lws(u)) {
		sift_syn_add(f, K_SYNTAX, "%s URI '%s' contains spaces", h,
		    sift_syn_show(u, b, sizeof(b)));
		return false;
	}
	if (!header_uri(u, h, f))
		return false;
	if (sift_syn_uri_headers(u, &hp)) {
		sift_syn_add(f, K_SYNTAX, "%s URI with headers '%s' is not enclosed in <> (a URI with '?' needs name-addr, §20)",
		    h, sift_syn_show(hp, b, sizeof(b)));
		return false;
	}
	if (!list && j < v.n && v.p[j] == ',') {
		sift_syn_add(f, K_SYNTAX, "%s URI with ',' is not enclosed in <>", h);
		return false;
	}
	*i = j;
	return true;
}

/* name-addr / addr-spec headers (§20.10, §20.20, §20.39, §20.30, §20.34,
 * §20.31): From, To, Reply-To hold one; Contact, Route, Record-Route a
 * comma-separated list. Stops at the first problem of the header. */
void sift_syn_addresses(struct sift_span v, enum sift_syn_hk k,
			struct sift_syn *f)
{
	const char *h = sift_syn_hdrs[k].shown;
	bool list = k == H_CONTACT || k == H_ROUTE || k == H_RROUTE;
	char b[48], c[8];
	size_t i = 0;

	if (k == H_CONTACT && v.n == 1 && v.p[0] == '*')
		return;     /* Contact: * (REGISTER, §10.2.2) */
	for (;;) {
		size_t s, j;
		struct sift_span u;

		i = sift_span_skip_lws(v, i);
		if (i >= v.n || v.p[i] == ',') {
			sift_syn_add(f, K_SYNTAX, "%s has an empty value", h);
			return;
		}
		s = i;
		/* display-name = *(token LWS) / quoted-string, then LAQUOT;
		 * or an addr-spec, which starts with a scheme and ':'. */
		if (v.p[i] == '"') {
			if (!sift_syn_skip_quoted(v, &i)) {
				sift_syn_add(f, K_SYNTAX, "unterminated quoted string in %s", h);
				return;
			}
			i = sift_span_skip_lws(v, i);
			if (i >= v.n || v.p[i] != '<') {
				sift_syn_add(f, K_SYNTAX, "%s display name is not followed by <URI>", h);
				return;
			}
		} else if (v.p[i] != '<') {
			for (j = i; j < v.n && (sift_is_token_char(v.p[j]) ||
						sift_is_lws(v.p[j])); j++)
				;
			if (j < v.n && v.p[j] == ':' && !sift_syn_has_lws(sift_span_sub(v, s, j))) {
				if (!check_addr_spec(v, &i, list, k, f))
					return;
				goto params;
			}
			if (j >= v.n || v.p[j] != '<') {
				const uint8_t *lt = memchr(v.p + j, '<', v.n - j);

				if (!lt) {
					sift_syn_add(f, K_SYNTAX, "%s value '%s' is neither <URI> nor a URI",
					    h, sift_syn_show(sift_span_sub(v, s, v.n), b, sizeof(b)));
					return;
				}
				sift_syn_add(f, K_SYNTAX, "%s display name '%s' has %s and is not quoted",
				    h, sift_syn_show(sift_span_trim_lws(sift_span_sub(v, s, (size_t)(lt - v.p))), b, sizeof(b)),
				    sift_syn_char(v.p[j], c, sizeof(c)));
				return;
			}
			i = j;
		}
		/* name-addr: LAQUOT addr-spec RAQUOT, nothing else inside.
		 * Nearly every URI holds only bytes that need no escape up to
		 * its '>': then a scheme is all there is to check (four passes
		 * over each URI were 3 % of a SIP run). */
		s = ++i;
		while (i < v.n && uri_byte[v.p[i]] == U_OK)
			i++;
		if (i < v.n && v.p[i] == '>' && scheme_ok(sift_span_sub(v, s, i))) {
			i++;
			goto params;
		}
		while (i < v.n && v.p[i] != '>' && v.p[i] != '<')
			i++;
		if (i >= v.n || v.p[i] == '<') {
			sift_syn_add(f, K_SYNTAX, "%s has '<' without '>'", h);
			return;
		}
		u = sift_span_sub(v, s, i++);
		if (u.n && (sift_is_lws(u.p[0]) || sift_is_lws(u.p[u.n - 1]))) {
			sift_syn_add(f, K_SYNTAX, "%s has spaces inside <%s>", h,
			    sift_syn_show(u, b, sizeof(b)));
			return;
		}
		if (sift_syn_has_lws(u)) {
			sift_syn_add(f, K_SYNTAX, "%s URI '%s' contains spaces", h,
			    sift_syn_show(u, b, sizeof(b)));
			return;
		}
		if (!header_uri(u, h, f))
			return;
params:
		if (!sift_syn_params(v, &i, list, k, f))
			return;
		if (i >= v.n)
			return;
		i++;    /* the comma of a list */
	}
}
