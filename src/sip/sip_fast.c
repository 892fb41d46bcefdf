/* sipsift — the plain SIP message read without libosip2 (sip_fast.h).
 *
 * Every rule here is narrower than RFC 3261 on purpose: a message is taken
 * only when each byte of its header block is one whose meaning to libosip2
 * 5.3 is plain, so that the fields read here are the ones sip_msg.c would
 * get from libosip2, byte for byte, and libosip2 would not have rejected
 * the message. What libosip2 does that sets the rules:
 *   - lines end at a CR or an LF alone and folded lines are joined, so
 *     each line must end in CRLF, hold no other CR and not be folded;
 *   - it parses Via, From, To, Call-ID, CSeq, Contact, Content-Type and
 *     Content-Length (and their compact forms) and rejects the message
 *     when one fails or, for all but Via and Contact, comes twice: those
 *     are read by the grammar below or not at all;
 *   - a header value with a comma is split into values (outside a few
 *     names) and an empty value or an unpaired quote rejects the message:
 *     Via is read value by value, the other headers may hold anything
 *     printable but such a comma;
 *   - every other header it parses (Allow, Route, Authorization ...) is
 *     dropped when it fails, and unknown ones are kept as text;
 *   - a URI is written back through its parts (sip_uri_str.c): a URI of
 *     unreserved characters (and an IPv6 reference for its host), without
 *     escapes, password, headers or the x-obr/x-obp parameters it hides,
 *     comes back as it was sent;
 *   - a body is taken by Content-Length, multipart bodies parsed. */
#include <string.h>

#include "sip/sip_fast.h"
#include "sip/sip_msg.h"

/* The sets of bytes the grammar below is made of, a bit each:
 *   C_PLAIN  letters, digits and - _ . ! ~ * ' + (RFC 3261 §25.1
 *            unreserved, less '(' and ')'): parameter values
 *   C_USER   plain and $ & = ( ): a URI's user part (user-unreserved
 *            keeps them unescaped and they need no rule of their own)
 *   C_HOST   letters, digits, '.' and '-'
 *   C_IP6    hex digits, ':' and '.': inside an IPv6 reference
 *   C_LNAME  plain but upper-case letters: a parameter's name
 *            (libosip2 finds names without regard to case, this by bytes)
 *   C_CALLID Call-ID's word (§25.1) less the marks that could be read as
 *            something else (quotes, backslash, angle brackets, comma)
 *   C_TYPE   letters, digits, '-', '.', '+': a media type
 *   C_DIGIT  digits
 * A table rather than a function a set: each byte of a message's header
 * block goes through one of these (tests/unit/test_sip_fast.c checks
 * the table against the sets as written above). */
enum {
	C_PLAIN = 1, C_USER = 2, C_HOST = 4, C_IP6 = 8, C_LNAME = 16,
	C_CALLID = 32, C_TYPE = 64, C_DIGIT = 128
};

static const uint8_t cls[256] = {
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x33, 0x00, 0x00, 0x02, 0x20, 0x02, 0x33, 0x22, 0x22, 0x33, 0x73, 0x00, 0x77, 0x7f, 0x20,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x28, 0x00, 0x00, 0x02, 0x00, 0x20,
	0x00, 0x6f, 0x6f, 0x6f, 0x6f, 0x6f, 0x6f, 0x67, 0x67, 0x67, 0x67, 0x67, 0x67, 0x67, 0x67, 0x67,
	0x67, 0x67, 0x67, 0x67, 0x67, 0x67, 0x67, 0x67, 0x67, 0x67, 0x67, 0x20, 0x00, 0x20, 0x00, 0x33,
	0x20, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x77, 0x77, 0x77, 0x77, 0x77, 0x77, 0x77, 0x77, 0x77,
	0x77, 0x77, 0x77, 0x77, 0x77, 0x77, 0x77, 0x77, 0x77, 0x77, 0x77, 0x20, 0x00, 0x20, 0x33, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

uint8_t sift_sip_fast_class(uint8_t c)
{
	return cls[c];
}

static size_t run(struct sift_span s, size_t i, unsigned set)
{
	while (i < s.n && (cls[s.p[i]] & set))
		i++;
	return i;
}

/* The run of set's bytes at *i into *out, *i past it; false when empty. */
static bool take(struct sift_span s, size_t *i, unsigned set, struct sift_span *out)
{
	size_t e = run(s, *i, set);

	if (e == *i)
		return false;
	*out = sift_span_of(s.p + *i, e - *i);
	*i = e;
	return true;
}

/* ':' port (1 to 5 digits) at *i, when there is one: into *out, *i past
 * it; false when the ':' has no such port after it. */
static bool port(struct sift_span s, size_t *i, struct sift_span *out)
{
	size_t b = *i + 1;

	if (*i >= s.n || s.p[*i] != ':')
		return true;
	*i = b;
	return take(s, i, C_DIGIT, out) && *i - b <= 5;
}

/* ';' name ['=' value] from i on, in a URI or after a header's value;
 * each seen is given to cb (when set). False on anything else. */
typedef void (*param_cb)(void *ctx, struct sift_span name, struct sift_span value);

static bool params(struct sift_span s, size_t i, unsigned name_set,
		   param_cb cb, void *ctx)
{
	while (i < s.n) {
		struct sift_span name, value = { NULL, 0 };

		if (s.p[i++] != ';' || !take(s, &i, name_set, &name))
			return false;
		if (i < s.n && s.p[i] == '=') {
			i++;
			if (!take(s, &i, C_PLAIN, &value))
				return false;
		}
		if (cb)
			cb(ctx, name, value);
	}
	return true;
}

/* The URI parameters sift_sip_uri_str leaves out, as osip_uri_to_str does. */
static void hidden_param(void *ctx, struct sift_span name, struct sift_span value)
{
	(void)value;
	if (sift_span_ieq(name, "x-obr") || sift_span_ieq(name, "x-obp"))
		*(bool *)ctx = true;
}

/* A host from i on: a name or IPv4 address, or an IPv6 reference (with
 * a ':' in it: libosip2 keeps what is inside the brackets, and a URI is
 * written back bracketed when its host holds a ':'). *in is the host
 * as libosip2 keeps it; the end, or i when there is none. */
static size_t host(struct sift_span s, size_t i, struct sift_span *in)
{
	size_t e;

	if (i < s.n && s.p[i] == '[') {
		e = run(s, i + 1, C_IP6);
		if (e == i + 1 || e >= s.n || s.p[e] != ']' ||
		    !memchr(s.p + i + 1, ':', e - i - 1))
			return i;
		*in = sift_span_of(s.p + i + 1, e - i - 1);
		return e + 1;
	}
	e = run(s, i, C_HOST);
	*in = sift_span_of(s.p + i, e - i);
	return e;
}

/* sip: or sips:, [user '@'] host [':' port] *(';' param): a URI that
 * libosip2 parses and writes back as these bytes. */
static bool uri_ok(struct sift_span u)
{
	struct sift_span in, pt = { NULL, 0 };
	size_t i, h;
	const uint8_t *at;
	bool hidden = false;

	if (sift_span_prefix(u, "sip:", NULL))
		i = 4;
	else if (sift_span_prefix(u, "sips:", NULL))
		i = 5;
	else
		return false;
	at = memchr(u.p + i, '@', u.n - i);
	if (at) {
		size_t e = run(u, i, C_USER);

		if (e == i || u.p + e != at)
			return false;
		i = e + 1;
	}
	h = host(u, i, &in);
	if (h == i || !port(u, &h, &pt))
		return false;
	return params(u, h, C_PLAIN, hidden_param, &hidden) && !hidden;
}

struct tag {
	struct sift_span *tag;
	bool seen;
};

static void tag_param(void *ctx, struct sift_span name, struct sift_span value)
{
	struct tag *t = ctx;

	/* The first tag, as osip_from_get_tag finds it; one without a
	 * value is libosip2's NULL, no tag. */
	if (!t->seen && sift_span_eq(name, "tag")) {
		t->seen = true;
		*t->tag = value;
	}
}

/* From, To and Contact: [display] '<' URI '>' *(';' param), or a URI
 * alone when nothing follows it (a ';' there would be the header's). The
 * display name is words of token characters, or a quoted string without
 * quotes, backslashes or angle brackets in it. */
static bool name_addr(struct sift_span v, struct sift_span *uri,
		      struct sift_span *tag)
{
	size_t i = 0, lt, gt;
	struct tag t = { tag, false };

	if (!memchr(v.p, '<', v.n)) {
		/* The whole value is the URI, if it has no parameters to be
		 * taken as the header's. */
		if (memchr(v.p, ';', v.n) || !uri_ok(v))
			return false;
		*uri = v;
		return true;
	}
	if (v.p[0] == '"') {
		for (i = 1; i < v.n && v.p[i] != '"'; i++)
			if (v.p[i] < 0x20 || v.p[i] > 0x7e || v.p[i] == '\\' ||
			    v.p[i] == '<' || v.p[i] == '>')
				return false;
		if (i == v.n)
			return false;
		i++;
		while (i < v.n && v.p[i] == ' ')
			i++;
		if (i == v.n || v.p[i] != '<')
			return false;
	} else {
		while (i < v.n && (sift_is_token_char(v.p[i]) || v.p[i] == ' '))
			i++;
		if (i == v.n || v.p[i] != '<')
			return false;
	}
	lt = i;
	gt = lt + 1;
	while (gt < v.n && v.p[gt] != '>')
		gt++;
	if (gt == v.n)
		return false;
	*uri = sift_span_of(v.p + lt + 1, gt - lt - 1);
	/* libosip2 takes no URI of fewer than 6 bytes between brackets
	 * ("<sip:b>"), though it does one alone. */
	if (uri->n < 6 || !uri_ok(*uri))
		return false;
	return params(v, gt + 1, C_LNAME, tag ? tag_param : NULL, &t);
}

static void via_param(void *ctx, struct sift_span name, struct sift_span value)
{
	struct sift_sip_fast *f = ctx;

	/* The first of each, as osip_via_param_get_byname finds it. */
	if (sift_span_eq(name, "branch")) {
		if (!f->via_branch_seen) {
			f->via_branch_seen = true;
			f->via_branch = value;
		}
	} else if (sift_span_eq(name, "rport")) {
		if (!f->via_rport) {
			f->via_rport = true;
			f->via_rport_value = value;
		}
	} else if (sift_span_eq(name, "received")) {
		if (!f->via_received_seen) {
			f->via_received_seen = true;
			f->via_received = value;
		}
	} else if (sift_span_eq(name, "alias")) {
		f->via_alias = true;
	}
}

/* "SIP/2.0/" transport SP host [':' port] *(';' param): the first Via
 * fills f, every one must read. */
static bool via(struct sift_span v, struct sift_sip_fast *f)
{
	struct sift_span in, pt = { NULL, 0 };
	size_t i = 8, e, h;
	bool first = f->via_count == 0;

	if (!sift_span_prefix(v, "SIP/2.0/", NULL))
		return false;
	for (e = i; e < v.n && sift_is_alpha(v.p[e]); e++)
		;
	if (e == i || e >= v.n || v.p[e] != ' ')
		return false;
	if (first)
		f->via_tp = sift_span_of(v.p + i, e - i);
	i = e + 1;
	h = host(v, i, &in);
	if (h == i || !port(v, &h, &pt))
		return false;
	if (first) {
		f->via_host = in;
		f->via_port = pt;
	}
	f->via_count++;
	return params(v, h, C_LNAME, first ? via_param : NULL, f);
}

/* A Via header: its values split at commas (the grammar above has none
 * of its own), each trimmed, as libosip2 splits them. */
static bool vias(struct sift_span v, struct sift_sip_fast *f)
{
	for (;;) {
		const uint8_t *c = memchr(v.p, ',', v.n);
		size_t n = c ? (size_t)(c - v.p) : v.n;

		if (!via(sift_span_trim_wsp(sift_span_of(v.p, n)), f))
			return false;
		if (!c)
			return true;
		v = sift_span_of(c + 1, v.n - n - 1);
	}
}

enum kind {
	K_OTHER, K_VIA, K_FROM, K_TO, K_CALLID, K_CSEQ, K_CONTACT, K_CTYPE,
	K_CLEN, K_MAXF, K_NOSPLIT
};

/* What libosip2 makes of a header by its name (lower-cased by it). */
static enum kind kind_of(struct sift_span name)
{
#define N(s, k) { sizeof(s) - 1, s, k }
	static const struct {
		size_t n;
		const char *name;
		enum kind k;
	} names[] = {
		N("via", K_VIA), N("from", K_FROM), N("to", K_TO),
		N("call-id", K_CALLID), N("cseq", K_CSEQ),
		N("contact", K_CONTACT), N("content-type", K_CTYPE),
		N("content-length", K_CLEN), N("max-forwards", K_MAXF),
		/* Never split at commas (osip_message_set_multiple_header). */
		N("date", K_NOSPLIT), N("subject", K_NOSPLIT),
		N("expires", K_NOSPLIT), N("server", K_NOSPLIT),
		N("user-agent", K_NOSPLIT), N("organization", K_NOSPLIT),
		N("www-authenticate", K_NOSPLIT),
		N("authentication-info", K_NOSPLIT),
		N("proxy-authenticate", K_NOSPLIT),
		N("proxy-authorization", K_NOSPLIT),
		N("proxy-authentication-info", K_NOSPLIT),
		N("authorization", K_NOSPLIT),
	};
#undef N
	uint8_t c = sift_lower(name.p[0]);

	if (name.n == 1) {
		switch (c) {
		case 'v': return K_VIA;
		case 'f': return K_FROM;
		case 't': return K_TO;
		case 'i': return K_CALLID;
		case 'm': return K_CONTACT;
		case 'c': return K_CTYPE;
		case 'l': return K_CLEN;
		default: return K_OTHER;
		}
	}
	/* By length and first letter before a compare: each header of
	 * each message is looked up here. */
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (name.n == names[i].n && c == (uint8_t)names[i].name[0] &&
		    sift_span_ieq(name, names[i].name))
			return names[i].k;
	return K_OTHER;
}

/* A header libosip2 keeps as text or drops when it fails to parse it:
 * printable (or past ASCII, or HTAB), and with a comma only where the
 * split it makes cannot fail (no quotes, no empty piece). */
static bool other_ok(struct sift_span v, bool split)
{
	bool comma = false, quote = false;

	for (size_t i = 0; i < v.n; i++) {
		uint8_t c = v.p[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return false;
		if (c == ',') {
			if (i == 0 || v.p[i - 1] == ',')
				return false;
			comma = true;
		} else if (c == '"') {
			quote = true;
		}
	}
	return !split || !comma || !quote;
}

bool sift_sip_fast_start(struct sift_span l, struct sift_sip_fast *f)
{
	size_t i, e;

	memset(f, 0, sizeof(*f));
	if (sift_span_prefix(l, "SIP/2.0 ", NULL)) {
		uint32_t st;

		if (l.n < 12 || l.p[11] != ' ' ||
		    !sift_span_u32(sift_span_of(l.p + 8, 3), 999, &st) ||
		    st < 100 || st > 699)
			return false;
		for (i = 12; i < l.n; i++)
			if (l.p[i] < 0x20 || l.p[i] > 0x7e)
				return false;
		f->status = (int)st;
		f->reason = sift_span_of(l.p + 12, l.n - 12);
		return true;
	}
	for (e = 0; e < l.n && e < 32 && l.p[e] >= 'A' && l.p[e] <= 'Z'; e++)
		;
	if (e == 0 || e >= l.n || l.p[e] != ' ')
		return false;
	f->request = true;
	f->method = sift_span_of(l.p, e);
	i = e + 1;
	e = i;
	while (e < l.n && l.p[e] != ' ')
		e++;
	if (e == l.n || !sift_span_eq(sift_span_of(l.p + e, l.n - e), " SIP/2.0"))
		return false;
	f->ruri = sift_span_of(l.p + i, e - i);
	return uri_ok(f->ruri);
}

/* One header line of the block: CRLF-ended, no other CR, not folded (the
 * next line begins right after its CRLF). */
static bool line_ok(const struct sift_hdr *h, const uint8_t *next)
{
	const uint8_t *end = h->line.p + h->line.n;

	return h->colon && h->name.n && end + 2 == next && end[0] == '\r' &&
	       end[1] == '\n' && h->value.p + h->value.n <= end &&
	       !memchr(h->line.p, '\r', h->line.n);
}

static bool cseq(struct sift_span v, struct sift_sip_fast *f)
{
	size_t e = run(v, 0, C_DIGIT);
	size_t m;

	if (e == 0 || e > 10 || e >= v.n || v.p[e] != ' ')
		return false;
	for (m = e + 1; m < v.n && v.p[m] >= 'A' && v.p[m] <= 'Z'; m++)
		;
	if (m == e + 1 || m != v.n)
		return false;
	/* Below 2^31 (§8.1.1.5): sip_msg.c says what else is wrong. */
	if (!sift_span_u32(sift_span_of(v.p, e), 0x7fffffffu, &f->cseq))
		return false;
	f->cseq_method = sift_span_of(v.p + e + 1, m - e - 1);
	return true;
}

static bool content_type(struct sift_span v, struct sift_sip_fast *f)
{
	size_t t = run(v, 0, C_TYPE), s;

	if (t == 0 || t >= v.n || v.p[t] != '/')
		return false;
	s = run(v, t + 1, C_TYPE);
	if (s == t + 1)
		return false;
	f->ctype = sift_span_of(v.p, t);
	f->csubtype = sift_span_of(v.p + t + 1, s - t - 1);
	/* A multipart body is parsed part by part. */
	if (sift_span_ieq(f->ctype, "multipart"))
		return false;
	return params(v, s, C_LNAME, NULL, NULL);
}

static bool call_id(struct sift_span v, struct sift_sip_fast *f)
{
	size_t e = run(v, 0, C_CALLID);

	if (e == 0)
		return false;
	if (e < v.n) {
		size_t h;

		if (v.p[e] != '@')
			return false;
		h = run(v, e + 1, C_CALLID);
		if (h == e + 1 || h != v.n)
			return false;
	}
	f->call_id = v;
	return true;
}

bool sift_sip_fast_headers(const uint8_t *p, size_t n, size_t hend,
			   struct sift_span start, const struct sift_hdr *h,
			   size_t nh, struct sift_sip_fast *f)
{
	struct sift_span clen = { NULL, 0 };
	uint32_t len = 0;
	bool seen_ctype = false;

	if (!nh || start.p != p || hend < 2 || hend > n || p[hend - 2] != '\r' ||
	    p[hend - 1] != '\n' || start.p + start.n + 2 != h[0].line.p ||
	    start.p[start.n] != '\r' || memchr(start.p, '\r', start.n))
		return false;
	for (size_t i = 0; i < nh; i++) {
		const uint8_t *next = i + 1 < nh ? h[i + 1].line.p : p + hend - 2;
		struct sift_span v = h[i].value;
		bool ok;

		if (!line_ok(&h[i], next))
			return false;
		switch (kind_of(h[i].name)) {
		case K_VIA:
			ok = vias(v, f);
			break;
		case K_FROM:
			ok = !f->from.p && name_addr(v, &f->from, &f->from_tag);
			break;
		case K_TO:
			ok = !f->to.p && name_addr(v, &f->to, &f->to_tag);
			break;
		case K_CALLID:
			ok = !f->call_id.p && call_id(v, f);
			break;
		case K_CSEQ:
			ok = !f->cseq_method.p && cseq(v, f);
			break;
		case K_CONTACT: {
			struct sift_span u;

			/* "*" (§10.2.2), with whatever follows it, is
			 * libosip2's wildcard: a Contact without a URI. */
			ok = v.n && v.p[0] != '*' && name_addr(v, &u, NULL);
			if (ok && !f->contact.p)
				f->contact = u;
			break;
		}
		case K_CTYPE:
			ok = !seen_ctype && content_type(v, f);
			seen_ctype = true;
			break;
		case K_CLEN:
			ok = !clen.p && v.n <= 9 && sift_span_u32(v, UINT32_MAX, &len);
			clen = v;
			break;
		case K_MAXF:
			/* Kept as text; sip_msg.c reads the first one's. */
			ok = v.n && !memchr(v.p, ',', v.n) && other_ok(v, false);
			if (ok && !f->max_forwards.p)
				f->max_forwards = v;
			break;
		case K_NOSPLIT:
			ok = other_ok(v, false);
			break;
		default:
			ok = other_ok(v, true);
			break;
		}
		if (!ok)
			return false;
	}
	if (!f->via_count || !f->from.p || !f->to.p || !f->call_id.p ||
	    !f->cseq_method.p)
		return false;
	/* The body: as long as Content-Length says, or none. */
	if (n > hend)
		return clen.p != NULL && len == n - hend;
	return !clen.p || len == 0;
}

/* ---- the check that holds the two paths together ---- */

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool same_span(struct sift_span a, const uint8_t *ra, struct sift_span b,
		      const uint8_t *rb)
{
	if (!a.p || !b.p)
		return !a.p && !b.p && a.n == b.n;
	return a.n == b.n && a.p - ra == b.p - rb;
}

const char *sift_sip_msg_differ(const struct sift_sip_msg *a,
				const struct sift_sip_msg *b)
{
#define STR(f) if (!same_str(a->f, b->f)) return #f
#define VAL(f) if (a->f != b->f) return #f
	VAL(request); STR(method); VAL(status); STR(reason); STR(ruri);
	STR(call_id); VAL(cseq); STR(cseq_method); STR(from_uri);
	STR(from_tag); STR(to_uri); STR(to_tag); STR(contact); STR(route);
	STR(record_route); STR(pai); STR(user_agent); STR(via.transport);
	STR(via.host); VAL(via.port); STR(via.branch); VAL(via.rport);
	VAL(via.rport_value); STR(via.received); VAL(via.alias);
	VAL(via_count); VAL(max_forwards); VAL(max_forwards_bad);
	VAL(has_content_length); VAL(content_length); STR(content_type);
	VAL(body_len); VAL(raw_len); VAL(nhdrs); VAL(hdr_body);
#undef STR
#undef VAL
	if ((a->body ? a->body - a->raw : -1) != (b->body ? b->body - b->raw : -1))
		return "body";
	if (memcmp(a->raw, b->raw, a->raw_len) != 0)
		return "raw";
	if (!same_span(a->hdr_start, a->raw, b->hdr_start, b->raw))
		return "hdr_start";
	if (!a->hdrs != !b->hdrs)
		return "hdrs";
	for (size_t i = 0; a->hdrs && i < a->nhdrs; i++)
		if (!same_span(a->hdrs[i].line, a->raw, b->hdrs[i].line, b->raw) ||
		    !same_span(a->hdrs[i].name, a->raw, b->hdrs[i].name, b->raw) ||
		    !same_span(a->hdrs[i].value, a->raw, b->hdrs[i].value, b->raw) ||
		    a->hdrs[i].colon != b->hdrs[i].colon)
			return "hdrs";
	return NULL;
}
