/* sipsift — grammar checks on the raw text of messages the parser took
 * (RFC 3261 §25): libosip2 is lenient and lossy (LIBRARIES.md) and accepts
 * messages that a strict element rejects — 10 of the 19 invalid messages
 * of RFC 4475 §3.1.2. These checks read the original bytes (m->raw) as
 * (pointer, length) spans, never past the message, and say exactly what is
 * wrong:
 *
 *   - the start line: one SP between the elements, a Request-URI without
 *     spaces, <> or bad escapes and, for SIP URIs, without a headers part
 *     (§19.1.1), version SIP/2.0 (§7.1), a three-digit status code (§7.2);
 *   - From, To, Contact, Route, Record-Route, Reply-To: balanced quotes
 *     and angle brackets, a display name that is tokens or a quoted
 *     string, no spaces inside <> (§25.1 LAQUOT/RAQUOT), a URI with '?'
 *     or ',' enclosed in <> (§20), no empty parameter;
 *   - Via: SIP/2.0 in the sent-protocol, a sent-by, no empty parameter
 *     or value;
 *   - numbers: CSeq (below 2^31, §8.1.1.5), Max-Forwards (0-255,
 *     §20.22), Expires, Min-Expires and Contact expires (32 bits, §20.19),
 *     Content-Length (not negative, 32 bits), Warning codes (3 digits);
 *   - Date: rfc1123-date in GMT (§20.17); Content-Type: type "/" subtype;
 *   - single-value headers (Call-ID, CSeq, From, To, Max-Forwards,
 *     Content-Length) given twice with different values (§7.3.1);
 *   - a body without Content-Type (§20.15), as missing-mandatory-header.
 *
 * What a message breaks is gathered per rule and reported as one finding
 * per rule, so that a mangled message gives one line, not twenty. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lint/lint_int.h"
#include "util/span.h"

/* What the checks found in one message, one text per rule. */
enum { K_SYNTAX, K_STATUS, K_MISSING, K_COUNT };

struct found {
	char text[K_COUNT][400];
	size_t len[K_COUNT];
	unsigned count[K_COUNT];  /* problems, shown or not */
	unsigned more[K_COUNT];   /* problems that did not fit */
	bool version;             /* a start line version other than 2.0: 505 */
};

static void add(struct found *f, int k, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add(struct found *f, int k, const char *fmt, ...)
{
	char one[200];
	va_list ap;
	size_t l, sep = f->len[k] ? 2 : 0;

	va_start(ap, fmt);
	vsnprintf(one, sizeof(one), fmt, ap);
	va_end(ap);
	l = strlen(one);
	f->count[k]++;
	if (f->len[k] + sep + l >= sizeof(f->text[k])) {
		f->more[k]++;
		return;
	}
	memcpy(f->text[k] + f->len[k], "; ", sep);
	memcpy(f->text[k] + f->len[k] + sep, one, l + 1);
	f->len[k] += sep + l;
}

/* Text of the message as it can be shown in a finding: printable ASCII,
 * any other byte as '?', runs of white space as one space, cut with "...".
 * Findings end up in JSON, which takes no broken UTF-8. */
static const char *show(struct sift_span s, char *buf, size_t len)
{
	size_t o = 0;
	bool space = false;

	for (size_t i = 0; i < s.n; i++) {
		uint8_t c = s.p[i];

		if (sift_is_lws(c)) {
			space = true;
			continue;
		}
		if (o + (space ? 1 : 0) + 1 + 3 >= len) {
			memcpy(buf + o, "...", 3);
			o += 3;
			space = false;
			break;
		}
		if (space)
			buf[o++] = ' ';
		space = false;
		buf[o++] = (char)(c >= 0x21 && c < 0x7f ? c : '?');
	}
	if (space && o + 1 < len)
		buf[o++] = ' ';
	buf[o] = '\0';
	return buf;
}

/* One character as it can be shown: 'c', or 0xNN. */
static const char *show_char(uint8_t c, char *buf, size_t len)
{
	if (c >= 0x21 && c < 0x7f)
		snprintf(buf, len, "'%c'", c);
	else
		snprintf(buf, len, "0x%02x", c);
	return buf;
}

/* A decimal number as a header value has it: 1*DIGIT, and a minus sign
 * is told apart from other garbage, for the message. */
enum num { NUM_OK, NUM_NEGATIVE, NUM_NOT_A_NUMBER, NUM_TOO_BIG };

static enum num parse_num(struct sift_span s, uint64_t max, uint64_t *out)
{
	if (s.n >= 2 && s.p[0] == '-' && sift_is_digit(s.p[1]))
		return sift_span_dec(sift_span_sub(s, 1, s.n), UINT64_MAX, out) ==
		       SIFT_DEC_NOT_A_NUMBER ? NUM_NOT_A_NUMBER : NUM_NEGATIVE;
	switch (sift_span_dec(s, max, out)) {
	case SIFT_DEC_OK:
		return NUM_OK;
	case SIFT_DEC_TOO_BIG:
		return NUM_TOO_BIG;
	case SIFT_DEC_NOT_A_NUMBER:
		break;
	}
	return NUM_NOT_A_NUMBER;
}

#define U32_MAX_VALUE 4294967295u

/* A header value that is one number: Max-Forwards, Expires, ... */
static void check_number(struct sift_span v, const char *what, uint64_t max,
			 const char *range, struct found *f)
{
	char b[48];
	uint64_t x;

	switch (parse_num(v, max, &x)) {
	case NUM_OK:
		break;
	case NUM_NEGATIVE:
		add(f, K_SYNTAX, "%s %s is negative", what, show(v, b, sizeof(b)));
		break;
	case NUM_NOT_A_NUMBER:
		add(f, K_SYNTAX, "%s '%s' is not a number", what,
		    show(v, b, sizeof(b)));
		break;
	case NUM_TOO_BIG:
		add(f, K_SYNTAX, "%s %s %s", what, show(v, b, sizeof(b)), range);
		break;
	}
}

/* The headers we check, by full and compact name (§7.3.3). */
enum hk {
	H_OTHER, H_FROM, H_TO, H_CONTACT, H_ROUTE, H_RROUTE, H_REPLY_TO, H_VIA,
	H_CSEQ, H_MAXFWD, H_EXPIRES, H_MINEXP, H_CLEN, H_CALLID, H_DATE,
	H_CTYPE, H_WARNING, H_COUNT
};

static const struct {
	const char *name;      /* lower case */
	const char *compact;
	const char *shown;
	bool single;           /* may appear once only (§7.3.1) */
} hdrs[H_COUNT] = {
	[H_OTHER] = { "", NULL, "", false },
	[H_FROM] = { "from", "f", "From", true },
	[H_TO] = { "to", "t", "To", true },
	[H_CONTACT] = { "contact", "m", "Contact", false },
	[H_ROUTE] = { "route", NULL, "Route", false },
	[H_RROUTE] = { "record-route", NULL, "Record-Route", false },
	[H_REPLY_TO] = { "reply-to", NULL, "Reply-To", false },
	[H_VIA] = { "via", "v", "Via", false },
	[H_CSEQ] = { "cseq", NULL, "CSeq", true },
	[H_MAXFWD] = { "max-forwards", NULL, "Max-Forwards", true },
	[H_EXPIRES] = { "expires", NULL, "Expires", false },
	[H_MINEXP] = { "min-expires", NULL, "Min-Expires", false },
	[H_CLEN] = { "content-length", "l", "Content-Length", true },
	[H_CALLID] = { "call-id", "i", "Call-ID", true },
	[H_DATE] = { "date", NULL, "Date", false },
	[H_CTYPE] = { "content-type", "c", "Content-Type", false },
	[H_WARNING] = { "warning", NULL, "Warning", false },
};

static enum hk header_kind(struct sift_span name)
{
	for (int k = H_OTHER + 1; k < H_COUNT; k++)
		if (sift_span_ieq(name, hdrs[k].name) ||
		    (hdrs[k].compact && sift_span_ieq(name, hdrs[k].compact)))
			return (enum hk)k;
	return H_OTHER;
}

/* A quoted-string starting at v.p[*i] == '"' (quoted-pairs included);
 * false when it does not end. */
static bool skip_quoted(struct sift_span v, size_t *i)
{
	for (size_t j = *i + 1; j < v.n; j++) {
		if (v.p[j] == '\\') {
			if (++j >= v.n)
				return false;
		} else if (v.p[j] == '"') {
			*i = j + 1;
			return true;
		}
	}
	return false;
}

/* A URI: scheme ":" and nothing that must be escaped; every '%' starts an
 * escape of two hex digits (RFC 3261 §25.1, RFC 2396 §2.4). '#' is let
 * through: it is common unescaped in dial strings, and harmless. */
static bool check_uri(struct sift_span u, const char *what, struct found *f)
{
	char b[48], c[8];
	size_t i = 0;

	if (!u.n) {
		add(f, K_SYNTAX, "%s is empty", what);
		return false;
	}
	if (!sift_is_alpha(u.p[0])) {
		add(f, K_SYNTAX, "%s '%s' has no scheme", what,
		    show(u, b, sizeof(b)));
		return false;
	}
	while (i < u.n && (sift_is_alpha(u.p[i]) || sift_is_digit(u.p[i]) ||
			   u.p[i] == '+' || u.p[i] == '-' || u.p[i] == '.'))
		i++;
	if (i >= u.n || u.p[i] != ':') {
		add(f, K_SYNTAX, "%s '%s' has no scheme", what,
		    show(u, b, sizeof(b)));
		return false;
	}
	for (; i < u.n; i++) {
		uint8_t x = u.p[i];

		if (x <= 0x20 || x >= 0x7f || strchr("\"<>\\^`{|}", x)) {
			add(f, K_SYNTAX, "%s '%s' has %s, which must be escaped",
			    what, show(u, b, sizeof(b)), show_char(x, c, sizeof(c)));
			return false;
		}
		if (x == '%' && (i + 2 >= u.n || !sift_is_hex(u.p[i + 1]) ||
				 !sift_is_hex(u.p[i + 2]))) {
			struct sift_span e = sift_span_sub(u, i, i + 3 < u.n ? i + 3 : u.n);

			add(f, K_SYNTAX, "%s has a bad escape '%s' (not %% and two hex digits)",
			    what, show(e, b, sizeof(b)));
			return false;
		}
	}
	return true;
}

/* "To URI", for messages. */
static const char *uri_what(const char *header, char *buf, size_t len)
{
	snprintf(buf, len, "%s URI", header);
	return buf;
}

/* Does a SIP or SIPS URI carry a headers part ("?h=v", §19.1.1)? The
 * user part may hold '?' (user-unreserved): look after the '@'. */
static bool uri_headers(struct sift_span u, struct sift_span *h)
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
static bool check_params(struct sift_span v, size_t *i, bool list, enum hk k,
			 struct found *f)
{
	const char *h = hdrs[k].shown;
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
			add(f, K_SYNTAX, "%s has %s where a ';' parameter or the end belongs",
			    h, show_char(v.p[j], c, sizeof(c)));
			return false;
		}
		j = sift_span_skip_lws(v, j + 1);
		name.p = v.p + j;
		while (j < v.n && sift_is_token_char(v.p[j]))
			j++;
		name.n = (size_t)(v.p + j - name.p);
		if (!name.n) {
			add(f, K_SYNTAX, "%s has an empty parameter (';' followed by %s)",
			    h, j < v.n ? show_char(v.p[j], c, sizeof(c)) : "nothing");
			return false;
		}
		j = sift_span_skip_lws(v, j);
		if (j >= v.n || v.p[j] != '=')
			continue;
		j = sift_span_skip_lws(v, j + 1);
		if (j < v.n && v.p[j] == '"') {
			if (!skip_quoted(v, &j)) {
				add(f, K_SYNTAX, "unterminated quoted string in %s parameter %s",
				    h, show(name, b, sizeof(b)));
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
			add(f, K_SYNTAX, "%s parameter %s has '=' but no value", h,
			    show(name, b, sizeof(b)));
			return false;
		}
		if (k == H_CONTACT && sift_span_ieq(name, "expires")) {
			uint64_t x;
			enum num r = parse_num(val, U32_MAX_VALUE, &x);

			if (r == NUM_TOO_BIG)
				add(f, K_SYNTAX, "Contact expires=%s does not fit in 32 bits",
				    show(val, b, sizeof(b)));
			else if (r != NUM_OK)
				add(f, K_SYNTAX, "Contact expires=%s is not a number of seconds",
				    show(val, b, sizeof(b)));
		}
	}
}

static bool has_lws(struct sift_span s)
{
	for (size_t i = 0; i < s.n; i++)
		if (sift_is_lws(s.p[i]))
			return true;
	return false;
}

/* An addr-spec (no <>): the URI runs to the first ';' (header parameters
 * follow, §20.10) or ','. A URI with '?' or ',' must be in <> (§20), and
 * Route and Record-Route take name-addr only (§20.30, §20.34). On success
 * *i is past the URI. */
static bool check_addr_spec(struct sift_span v, size_t *i, bool list, enum hk k,
			    struct found *f)
{
	const char *h = hdrs[k].shown;
	char b[48], c[8], what[32];
	size_t s = *i, j = *i;
	struct sift_span u, hp;

	while (j < v.n && v.p[j] != ';' && v.p[j] != ',' && v.p[j] != '<' &&
	       v.p[j] != '"')
		j++;
	u = sift_span_trim_lws(sift_span_sub(v, s, j));
	if (j < v.n && v.p[j] == '<') {
		/* "sip:x <sip:y>": a display name with ':' in it. */
		add(f, K_SYNTAX, "%s display name '%s' has ':' and is not quoted",
		    h, show(u, b, sizeof(b)));
		return false;
	}
	if (j < v.n && v.p[j] == '"') {
		add(f, K_SYNTAX, "%s has %s inside its URI", h,
		    show_char(v.p[j], c, sizeof(c)));
		return false;
	}
	if (k == H_ROUTE || k == H_RROUTE) {
		add(f, K_SYNTAX, "%s URI '%s' is not enclosed in <> (name-addr is required)",
		    h, show(u, b, sizeof(b)));
		return false;
	}
	if (has_lws(u)) {
		add(f, K_SYNTAX, "%s URI '%s' contains spaces", h,
		    show(u, b, sizeof(b)));
		return false;
	}
	if (!check_uri(u, uri_what(h, what, sizeof(what)), f))
		return false;
	if (uri_headers(u, &hp)) {
		add(f, K_SYNTAX, "%s URI with headers '%s' is not enclosed in <> (a URI with '?' needs name-addr, §20)",
		    h, show(hp, b, sizeof(b)));
		return false;
	}
	if (!list && j < v.n && v.p[j] == ',') {
		add(f, K_SYNTAX, "%s URI with ',' is not enclosed in <>", h);
		return false;
	}
	*i = j;
	return true;
}

/* name-addr / addr-spec headers (§20.10, §20.20, §20.39, §20.30, §20.34,
 * §20.31): From, To, Reply-To hold one; Contact, Route, Record-Route a
 * comma-separated list. Stops at the first problem of the header. */
static void check_addresses(struct sift_span v, enum hk k, struct found *f)
{
	const char *h = hdrs[k].shown;
	bool list = k == H_CONTACT || k == H_ROUTE || k == H_RROUTE;
	char b[48], c[8], what[32];
	size_t i = 0;

	if (k == H_CONTACT && v.n == 1 && v.p[0] == '*')
		return;     /* Contact: * (REGISTER, §10.2.2) */
	for (;;) {
		size_t s, j;
		struct sift_span u;

		i = sift_span_skip_lws(v, i);
		if (i >= v.n || v.p[i] == ',') {
			add(f, K_SYNTAX, "%s has an empty value", h);
			return;
		}
		s = i;
		/* display-name = *(token LWS) / quoted-string, then LAQUOT;
		 * or an addr-spec, which starts with a scheme and ':'. */
		if (v.p[i] == '"') {
			if (!skip_quoted(v, &i)) {
				add(f, K_SYNTAX, "unterminated quoted string in %s", h);
				return;
			}
			i = sift_span_skip_lws(v, i);
			if (i >= v.n || v.p[i] != '<') {
				add(f, K_SYNTAX, "%s display name is not followed by <URI>", h);
				return;
			}
		} else if (v.p[i] != '<') {
			for (j = i; j < v.n && (sift_is_token_char(v.p[j]) || sift_is_lws(v.p[j])); j++)
				;
			if (j < v.n && v.p[j] == ':' && !has_lws(sift_span_sub(v, s, j))) {
				if (!check_addr_spec(v, &i, list, k, f))
					return;
				goto params;
			}
			if (j >= v.n || v.p[j] != '<') {
				const uint8_t *lt = memchr(v.p + j, '<', v.n - j);

				if (!lt) {
					add(f, K_SYNTAX, "%s value '%s' is neither <URI> nor a URI",
					    h, show(sift_span_sub(v, s, v.n), b, sizeof(b)));
					return;
				}
				add(f, K_SYNTAX, "%s display name '%s' has %s and is not quoted",
				    h, show(sift_span_trim_lws(sift_span_sub(v, s, (size_t)(lt - v.p))), b, sizeof(b)),
				    show_char(v.p[j], c, sizeof(c)));
				return;
			}
			i = j;
		}
		/* name-addr: LAQUOT addr-spec RAQUOT, nothing else inside. */
		s = ++i;
		while (i < v.n && v.p[i] != '>' && v.p[i] != '<')
			i++;
		if (i >= v.n || v.p[i] == '<') {
			add(f, K_SYNTAX, "%s has '<' without '>'", h);
			return;
		}
		u = sift_span_sub(v, s, i++);
		if (u.n && (sift_is_lws(u.p[0]) || sift_is_lws(u.p[u.n - 1]))) {
			add(f, K_SYNTAX, "%s has spaces inside <%s>", h,
			    show(u, b, sizeof(b)));
			return;
		}
		if (has_lws(u)) {
			add(f, K_SYNTAX, "%s URI '%s' contains spaces", h,
			    show(u, b, sizeof(b)));
			return;
		}
		if (!check_uri(u, uri_what(h, what, sizeof(what)), f))
			return;
params:
		if (!check_params(v, &i, list, k, f))
			return;
		if (i >= v.n)
			return;
		i++;    /* the comma of a list */
	}
}

/* Via (§20.42): sent-protocol LWS sent-by *( SEMI via-params ), comma-
 * separated, with SWS allowed around the slashes. */
static void check_via(struct sift_span v, struct found *f)
{
	char b[48];
	size_t i = 0;

	for (;;) {
		struct sift_span part[3];
		size_t j;

		i = sift_span_skip_lws(v, i);
		if (i >= v.n || v.p[i] == ',') {
			add(f, K_SYNTAX, "Via has an empty value");
			return;
		}
		for (int n = 0; n < 3; n++) {
			if (n) {
				i = sift_span_skip_lws(v, i);
				if (i >= v.n || v.p[i] != '/') {
					add(f, K_SYNTAX, "Via sent-protocol is not name/version/transport");
					return;
				}
				i = sift_span_skip_lws(v, i + 1);
			}
			part[n].p = v.p + i;
			while (i < v.n && sift_is_token_char(v.p[i]))
				i++;
			part[n].n = (size_t)(v.p + i - part[n].p);
			if (!part[n].n) {
				add(f, K_SYNTAX, "Via sent-protocol is not name/version/transport");
				return;
			}
		}
		if (sift_span_ieq(part[0], "sip") && !sift_span_ieq(part[1], "2.0")) {
			add(f, K_SYNTAX, "Via sent-protocol SIP/%s is not SIP/2.0",
			    show(part[1], b, sizeof(b)));
			return;
		}
		j = sift_span_skip_lws(v, i);
		if (j == i || j >= v.n || v.p[j] == ';' || v.p[j] == ',') {
			add(f, K_SYNTAX, "Via has no sent-by after its sent-protocol");
			return;
		}
		i = j;
		while (i < v.n && !sift_is_lws(v.p[i]) && v.p[i] != ';' && v.p[i] != ',')
			i++;
		j = sift_span_skip_lws(v, i);
		if (j < v.n && v.p[j] == ':') {
			/* sent-by = host [ COLON port ], COLON = SWS ":" SWS */
			i = sift_span_skip_lws(v, j + 1);
			while (i < v.n && sift_is_digit(v.p[i]))
				i++;
		}
		if (!check_params(v, &i, true, H_VIA, f))
			return;
		if (i >= v.n)
			return;
		i++;
	}
}

/* CSeq (§20.16, §8.1.1.5): 1*DIGIT LWS Method, the number below 2^31. */
static void check_cseq(struct sift_span v, struct found *f)
{
	char b[48];
	size_t i = 0, j;
	struct sift_span num;
	uint64_t x;

	while (i < v.n && !sift_is_lws(v.p[i]))
		i++;
	num = sift_span_sub(v, 0, i);
	switch (parse_num(num, 0x7fffffffu, &x)) {
	case NUM_OK:
		break;
	case NUM_NEGATIVE:
		add(f, K_SYNTAX, "CSeq number %s is negative", show(num, b, sizeof(b)));
		return;
	case NUM_NOT_A_NUMBER:
		add(f, K_SYNTAX, "CSeq '%s' does not start with a number",
		    show(v, b, sizeof(b)));
		return;
	case NUM_TOO_BIG:
		if (parse_num(num, U32_MAX_VALUE, &x) != NUM_OK)
			add(f, K_SYNTAX, "CSeq number %s does not fit in 32 bits",
			    show(num, b, sizeof(b)));
		else
			add(f, K_SYNTAX, "CSeq number %s is not below 2^31",
			    show(num, b, sizeof(b)));
		return;
	}
	j = sift_span_skip_lws(v, i);
	if (j == i || j >= v.n) {
		add(f, K_SYNTAX, "CSeq '%s' has no method after the number",
		    show(v, b, sizeof(b)));
		return;
	}
	for (i = j; i < v.n && sift_is_token_char(v.p[i]); i++)
		;
	if (i == j || sift_span_skip_lws(v, i) != v.n)
		add(f, K_SYNTAX, "CSeq '%s' is not a number and one method token",
		    show(v, b, sizeof(b)));
}

/* Date (§20.17, §25.1): rfc1123-date, and SIP restricts the zone to GMT:
 * wkday "," SP 2DIGIT SP month SP 4DIGIT SP 2DIGIT ":" 2DIGIT ":" 2DIGIT
 * SP "GMT". */
static void check_date(struct sift_span v, struct found *f)
{
	static const char *const wkdays[] = {
		"mon", "tue", "wed", "thu", "fri", "sat", "sun"
	};
	static const char *const months[] = {
		"jan", "feb", "mar", "apr", "may", "jun",
		"jul", "aug", "sep", "oct", "nov", "dec"
	};
	/* D digit, 'a' any letter, others literal. */
	static const char shape[] = "aaa, DD aaa DDDD DD:DD:DD aaa";
	char b[48];
	bool ok = v.n == sizeof(shape) - 1, day = false, mon = false;

	for (size_t i = 0; ok && i < v.n; i++) {
		if (shape[i] == 'D')
			ok = sift_is_digit(v.p[i]);
		else if (shape[i] == 'a')
			ok = sift_is_alpha(v.p[i]);
		else
			ok = v.p[i] == (uint8_t)shape[i];
	}
	for (size_t i = 0; ok && i < 7; i++)
		day = day || sift_span_ieq(sift_span_sub(v, 0, 3), wkdays[i]);
	for (size_t i = 0; ok && i < 12; i++)
		mon = mon || sift_span_ieq(sift_span_sub(v, 8, 11), months[i]);
	if (!ok || !day || !mon)
		add(f, K_SYNTAX, "Date '%s' is not an RFC 1123 date like 'Sat, 13 Nov 2010 23:29:00 GMT'",
		    show(v, b, sizeof(b)));
	else if (!sift_span_ieq(sift_span_sub(v, 26, 29), "gmt"))
		add(f, K_SYNTAX, "Date '%s' is not in GMT, the only time zone SIP allows",
		    show(v, b, sizeof(b)));
}

/* Content-Type (§20.15): m-type SLASH m-subtype *( SEMI m-parameter ). */
static void check_ctype(struct sift_span v, struct found *f)
{
	char b[48];
	size_t i = 0, j;

	while (i < v.n && sift_is_token_char(v.p[i]))
		i++;
	j = sift_span_skip_lws(v, i);
	if (!i || j >= v.n || v.p[j] != '/') {
		add(f, K_SYNTAX, "Content-Type '%s' has no type/subtype",
		    show(v, b, sizeof(b)));
		return;
	}
	i = j = sift_span_skip_lws(v, j + 1);
	while (i < v.n && sift_is_token_char(v.p[i]))
		i++;
	if (i == j) {
		add(f, K_SYNTAX, "Content-Type '%s' has no subtype after '/'",
		    show(v, b, sizeof(b)));
		return;
	}
	check_params(v, &i, false, H_CTYPE, f);
}

/* Warning (§20.43): warn-code is 3DIGIT followed by SP, in each value. */
static void check_warning(struct sift_span v, struct found *f)
{
	char b[48];
	size_t i = 0;

	while (i < v.n) {
		size_t s;

		i = sift_span_skip_lws(v, i);
		s = i;
		while (i < v.n && sift_is_digit(v.p[i]))
			i++;
		if (i - s != 3 || i >= v.n || !sift_is_wsp(v.p[i])) {
			while (i < v.n && !sift_is_lws(v.p[i]))
				i++;
			add(f, K_SYNTAX, "Warning code '%s' is not three digits",
			    show(sift_span_sub(v, s, i), b, sizeof(b)));
			return;
		}
		/* Skip warn-agent and the quoted warn-text to the next ','. */
		while (i < v.n && v.p[i] != ',') {
			if (v.p[i] == '"') {
				if (!skip_quoted(v, &i)) {
					add(f, K_SYNTAX, "unterminated quoted string in Warning");
					return;
				}
				continue;
			}
			i++;
		}
		if (i < v.n)
			i++;
	}
}

/* Two values equal but for the amount of white space? */
static bool same_value(struct sift_span a, struct sift_span b)
{
	size_t i = 0, j = 0;

	for (;;) {
		bool wa = i < a.n && sift_is_lws(a.p[i]), wb = j < b.n && sift_is_lws(b.p[j]);

		if (wa != wb)
			return false;
		if (wa) {
			i = sift_span_skip_lws(a, i);
			j = sift_span_skip_lws(b, j);
			continue;
		}
		if (i >= a.n || j >= b.n)
			return i >= a.n && j >= b.n;
		if (a.p[i++] != b.p[j++])
			return false;
	}
}

/* Request-Line = Method SP Request-URI SP SIP-Version (§7.1, §25.1). */
static void check_request_line(struct sift_span l, struct found *f)
{
	char b[48];
	size_t i = 0, end = l.n, k;
	bool spaces = false, tab = false;
	struct sift_span uri, ver, hp;

	while (i < l.n && sift_is_token_char(l.p[i]))
		i++;
	if (!i || i >= l.n || l.p[i] != ' ') {
		add(f, K_SYNTAX, "request line '%s' does not start with a method and SP",
		    show(l, b, sizeof(b)));
		return;
	}
	i++;
	if (i < l.n && sift_is_wsp(l.p[i]))
		spaces = true;
	while (i < l.n && sift_is_wsp(l.p[i]))
		i++;
	if (end && sift_is_wsp(l.p[end - 1])) {
		add(f, K_SYNTAX, "request line ends in white space after the SIP version");
		while (end > i && sift_is_wsp(l.p[end - 1]))
			end--;
	}
	for (k = end; k > i && !sift_is_wsp(l.p[k - 1]); k--)
		;
	if (k <= i) {
		add(f, K_SYNTAX, "request line '%s' has no SIP version",
		    show(l, b, sizeof(b)));
		return;
	}
	ver = sift_span_sub(l, k, end);
	uri = sift_span_sub(l, i, k - 1);
	tab = l.p[k - 1] == '\t' || (i > 0 && l.p[i - 1] == '\t');
	if (uri.n && sift_is_wsp(uri.p[uri.n - 1]))
		spaces = true;
	while (uri.n && sift_is_wsp(uri.p[uri.n - 1]))
		uri.n--;
	if (spaces)
		add(f, K_SYNTAX, "request line has more than one SP between its elements");
	else if (tab)
		add(f, K_SYNTAX, "request line separates its elements with HTAB, not SP");
	if (ver.n < 5 || !sift_span_ieq(sift_span_sub(ver, 0, 4), "sip/")) {
		add(f, K_SYNTAX, "request line ends in '%s', not a SIP version",
		    show(ver, b, sizeof(b)));
	} else if (!sift_span_ieq(ver, "sip/2.0")) {
		add(f, K_SYNTAX, "SIP version %s is not SIP/2.0", show(ver, b, sizeof(b)));
		f->version = true;
	}
	if (has_lws(uri)) {
		add(f, K_SYNTAX, "Request-URI '%s' contains unescaped spaces",
		    show(uri, b, sizeof(b)));
		return;
	}
	if (uri.n && (uri.p[0] == '<' || uri.p[uri.n - 1] == '>')) {
		add(f, K_SYNTAX, "Request-URI %s is enclosed in <>",
		    show(uri, b, sizeof(b)));
		return;
	}
	if (!check_uri(uri, "Request-URI", f))
		return;
	if (uri_headers(uri, &hp))
		add(f, K_SYNTAX, "Request-URI carries headers '%s', which a Request-URI must not (§19.1.1)",
		    show(hp, b, sizeof(b)));
}

/* Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (§7.2). A
 * reason phrase may be empty, but the SP before it is not optional. */
static void check_status_line(struct sift_span l, struct found *f)
{
	char b[48];
	size_t i = 0, s;
	struct sift_span ver;

	while (i < l.n && !sift_is_wsp(l.p[i]))
		i++;
	ver = sift_span_sub(l, 0, i);
	if (!sift_span_ieq(ver, "sip/2.0")) {
		add(f, K_SYNTAX, "SIP version %s is not SIP/2.0", show(ver, b, sizeof(b)));
		f->version = true;
	}
	if (i < l.n)
		i++;
	if (i < l.n && sift_is_wsp(l.p[i])) {
		add(f, K_SYNTAX, "status line has more than one SP between its elements");
		while (i < l.n && sift_is_wsp(l.p[i]))
			i++;
	}
	s = i;
	while (i < l.n && sift_is_digit(l.p[i]))
		i++;
	if (i == s) {
		while (i < l.n && !sift_is_wsp(l.p[i]))
			i++;
		if (i == s)
			add(f, K_STATUS, "status line has no status code");
		else
			add(f, K_STATUS, "status code '%s' is not a number",
			    show(sift_span_sub(l, s, i), b, sizeof(b)));
		return;
	}
	if (i - s != 3) {
		add(f, K_STATUS, "status code %s is outside 100-699 (Status-Code is three digits)",
		    show(sift_span_sub(l, s, i), b, sizeof(b)));
		return;
	}
	if (l.p[s] < '1' || l.p[s] > '6')
		add(f, K_STATUS, "status code %s is outside 100-699",
		    show(sift_span_sub(l, s, i), b, sizeof(b)));
	if (i >= l.n || l.p[i] != ' ')
		add(f, K_SYNTAX, "status line has no SP after the status code");
}

/* Everything above, on one message: the start line, each header, and the
 * body against Content-Type. */
static void check_message(struct sift_span msg, bool request, struct found *f)
{
	struct sift_span first[H_COUNT];
	bool dup_done[H_COUNT] = { false }, ctype = false;
	uint64_t clen = UINT64_MAX;
	struct sift_hdr_iter it;
	struct sift_hdr h;
	char b[48], b2[48];

	memset(first, 0, sizeof(first));
	/* CRLFs before the start line are ignored (§7.5); the header block
	 * ends at the first empty line. */
	sift_hdr_iter_init(&it, msg.p, msg.n, true);
	if (request)
		check_request_line(it.start, f);
	else
		check_status_line(it.start, f);
	while (sift_hdr_next(&it, &h)) {
		enum hk k;

		if (!h.colon) {
			add(f, K_SYNTAX, "header line '%s' is not name ':' value",
			    show(h.line, b, sizeof(b)));
			continue;
		}
		k = header_kind(h.name);
		if (hdrs[k].single) {
			if (!first[k].p) {
				first[k] = h.value;
			} else if (!dup_done[k] && !same_value(first[k], h.value)) {
				add(f, K_SYNTAX, "two %s values ('%s' and '%s')",
				    hdrs[k].shown, show(first[k], b, sizeof(b)),
				    show(h.value, b2, sizeof(b2)));
				dup_done[k] = true;
			}
		}
		switch (k) {
		case H_FROM:
		case H_TO:
		case H_CONTACT:
		case H_ROUTE:
		case H_RROUTE:
		case H_REPLY_TO:
			check_addresses(h.value, k, f);
			break;
		case H_VIA:
			check_via(h.value, f);
			break;
		case H_CSEQ:
			check_cseq(h.value, f);
			break;
		case H_MAXFWD:
			check_number(h.value, "Max-Forwards", 255, "is outside 0-255", f);
			break;
		case H_EXPIRES:
		case H_MINEXP:
			check_number(h.value, hdrs[k].shown, U32_MAX_VALUE,
				     "does not fit in 32 bits", f);
			break;
		case H_CLEN:
			check_number(h.value, "Content-Length", U32_MAX_VALUE,
				     "does not fit in 32 bits", f);
			if (first[k].p == h.value.p)
				(void)parse_num(h.value, U32_MAX_VALUE, &clen);
			break;
		case H_DATE:
			check_date(h.value, f);
			break;
		case H_CTYPE:
			ctype = true;
			check_ctype(h.value, f);
			break;
		case H_WARNING:
			check_warning(h.value, f);
			break;
		case H_CALLID:
		case H_OTHER:
		case H_COUNT:
			break;
		}
	}
	/* §20.15: a non-empty body needs its Content-Type. On a datagram the
	 * body is what Content-Length says (§18.3); line ends, blanks and NUL
	 * padding alone are none. */
	{
		size_t n = msg.n - it.body, real = 0;

		if (clen < n)
			n = (size_t)clen;
		for (size_t i = 0; i < n; i++)
			if (!sift_is_lws(msg.p[it.body + i]) &&
			    msg.p[it.body + i] != '\0')
				real++;
		if (real && !ctype)
			add(f, K_MISSING, "message has a %zu-byte body but no Content-Type header",
			    n);
	}
}

void sift_lint_syntax(const struct sift_lint_cfg *cfg,
		      const struct sift_lint_msg *lm, struct sift_findings *out)
{
	const struct sift_sip_msg *m = lm->m;
	struct sift_frame_ref fr = { lm->where.file, lm->where.frame };
	struct sift_span msg;
	struct found f;
	char more[32];

	if (!m || !m->raw)
		return;
	memset(&f, 0, sizeof(f));
	msg = sift_span_of(m->raw, m->raw_len);
	check_message(msg, m->request, &f);
	for (int k = 0; k < K_COUNT; k++) {
		if (!f.count[k])
			continue;
		more[0] = '\0';
		if (f.more[k])
			snprintf(more, sizeof(more), "; and %u more", f.more[k]);
		if (k == K_SYNTAX)
			sift_lint_emit(cfg, out, SIFT_R_SIP_PARSE_ERROR, m->call_id,
				       &fr, 1, "%s%s; a strict element answers %s or drops it",
				       f.text[k], more,
				       !f.version ? "400 Bad Request" :
				       f.count[k] == 1 ? "505 Version Not Supported" :
				       "400 Bad Request (505 Version Not Supported for the version)");
		else if (k == K_STATUS)
			sift_lint_emit(cfg, out, SIFT_R_STATUS_CODE_INVALID, m->call_id,
				       &fr, 1, "%s%s; the UAC cannot classify the response",
				       f.text[k], more);
		else
			sift_lint_emit(cfg, out, SIFT_R_MISSING_MANDATORY_HEADER,
				       m->call_id, &fr, 1,
				       "%s%s; the receiver cannot tell what the body is (RFC 3261 §20.15)",
				       f.text[k], more);
	}
}
