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
 * per rule, so that a mangled message gives one line, not twenty.
 *
 * This file walks the message (start line, headers, body) and reports;
 * lint_syntax_addr.c checks addresses and URIs, lint_syntax_hdr.c the
 * other header values, lint_syntax_text.c holds what they share (showing
 * text, numbers, the header table). */
#include <stdio.h>
#include <string.h>

#include "lint/lint_syntax.h"

/* Two values equal but for the amount of white space? */
static bool same_value(struct sift_span a, struct sift_span b)
{
	size_t i = 0, j = 0;

	for (;;) {
		bool wa = i < a.n && sift_is_lws(a.p[i]);
		bool wb = j < b.n && sift_is_lws(b.p[j]);

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
static void check_request_line(struct sift_span l, struct sift_syn *f)
{
	char b[48];
	size_t i = 0, end = l.n, k;
	bool spaces = false, tab = false;
	struct sift_span uri, ver, hp;

	while (i < l.n && sift_is_token_char(l.p[i]))
		i++;
	if (!i || i >= l.n || l.p[i] != ' ') {
		sift_syn_add(f, K_SYNTAX, "request line '%s' does not start with a method and SP",
		    sift_syn_show(l, b, sizeof(b)));
		return;
	}
	i++;
	if (i < l.n && sift_is_wsp(l.p[i]))
		spaces = true;
	while (i < l.n && sift_is_wsp(l.p[i]))
		i++;
	if (end && sift_is_wsp(l.p[end - 1])) {
		sift_syn_add(f, K_SYNTAX, "request line ends in white space after the SIP version");
		while (end > i && sift_is_wsp(l.p[end - 1]))
			end--;
	}
	for (k = end; k > i && !sift_is_wsp(l.p[k - 1]); k--)
		;
	if (k <= i) {
		sift_syn_add(f, K_SYNTAX, "request line '%s' has no SIP version",
		    sift_syn_show(l, b, sizeof(b)));
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
		sift_syn_add(f, K_SYNTAX, "request line has more than one SP between its elements");
	else if (tab)
		sift_syn_add(f, K_SYNTAX, "request line separates its elements with HTAB, not SP");
	if (ver.n < 5 || !sift_span_ieq(sift_span_sub(ver, 0, 4), "sip/")) {
		sift_syn_add(f, K_SYNTAX, "request line ends in '%s', not a SIP version",
		    sift_syn_show(ver, b, sizeof(b)));
	} else if (!sift_span_ieq(ver, "sip/2.0")) {
		sift_syn_add(f, K_SYNTAX, "SIP version %s is not SIP/2.0", sift_syn_show(ver, b, sizeof(b)));
		f->version = true;
	}
	if (sift_syn_has_lws(uri)) {
		sift_syn_add(f, K_SYNTAX, "Request-URI '%s' contains unescaped spaces",
		    sift_syn_show(uri, b, sizeof(b)));
		return;
	}
	if (uri.n && (uri.p[0] == '<' || uri.p[uri.n - 1] == '>')) {
		sift_syn_add(f, K_SYNTAX, "Request-URI %s is enclosed in <>",
		    sift_syn_show(uri, b, sizeof(b)));
		return;
	}
	if (!sift_syn_uri(uri, "Request-URI", f))
		return;
	if (sift_syn_uri_headers(uri, &hp))
		sift_syn_add(f, K_SYNTAX, "Request-URI carries headers '%s', which a Request-URI must not (§19.1.1)",
		    sift_syn_show(hp, b, sizeof(b)));
}

/* Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (§7.2). A
 * reason phrase may be empty, but the SP before it is not optional. */
static void check_status_line(struct sift_span l, struct sift_syn *f)
{
	char b[48];
	size_t i = 0, s;
	struct sift_span ver;

	while (i < l.n && !sift_is_wsp(l.p[i]))
		i++;
	ver = sift_span_sub(l, 0, i);
	if (!sift_span_ieq(ver, "sip/2.0")) {
		sift_syn_add(f, K_SYNTAX, "SIP version %s is not SIP/2.0", sift_syn_show(ver, b, sizeof(b)));
		f->version = true;
	}
	if (i < l.n)
		i++;
	if (i < l.n && sift_is_wsp(l.p[i])) {
		sift_syn_add(f, K_SYNTAX, "status line has more than one SP between its elements");
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
			sift_syn_add(f, K_STATUS, "status line has no status code");
		else
			sift_syn_add(f, K_STATUS, "status code '%s' is not a number",
			    sift_syn_show(sift_span_sub(l, s, i), b, sizeof(b)));
		return;
	}
	if (i - s != 3) {
		sift_syn_add(f, K_STATUS, "status code %s is outside 100-699 (Status-Code is three digits)",
		    sift_syn_show(sift_span_sub(l, s, i), b, sizeof(b)));
		return;
	}
	if (l.p[s] < '1' || l.p[s] > '6')
		sift_syn_add(f, K_STATUS, "status code %s is outside 100-699",
		    sift_syn_show(sift_span_sub(l, s, i), b, sizeof(b)));
	if (i >= l.n || l.p[i] != ' ')
		sift_syn_add(f, K_SYNTAX, "status line has no SP after the status code");
}

/* What check_message keeps from one header line to the next. */
struct hdr_state {
	struct sift_span first[H_COUNT]; /* the first value of each kind */
	bool dup_done[H_COUNT];
	bool ctype;
	uint64_t clen;
};

/* Kinds whose every value that sip_fast.c takes passes the checks below:
 * on a message it read (m->plain) they are not checked again, but for
 * Contact's expires=, which its grammar lets through when it is not a
 * number. tests/unit/test_sip_fast.c and fuzz_sip_fast hold it: every
 * message the plain path takes gets the findings that the same message
 * read by libosip2 (all checked) gets. */
static bool proven(enum sift_syn_hk k)
{
	return k == H_VIA || k == H_FROM || k == H_TO || k == H_CALLID ||
	       k == H_CSEQ || k == H_CTYPE || k == H_CLEN || k == H_CONTACT;
}

/* One header line of a message. */
static void check_header(const struct sift_hdr *h, bool plain,
			 struct hdr_state *st, struct sift_syn *f)
{
	enum sift_syn_hk k;
	char b[48], b2[48];

	if (!h->colon) {
		sift_syn_add(f, K_SYNTAX, "header line '%s' is not name ':' value",
		    sift_syn_show(h->line, b, sizeof(b)));
		return;
	}
	k = sift_syn_header_kind(h->name);
	if (plain && proven(k)) {
		/* What the body's check needs; no duplicate to look for
		 * (sip_fast.c takes none of these twice but Via and
		 * Contact, which are not single). */
		const uint8_t *gt;

		if (k == H_CTYPE)
			st->ctype = true;
		else if (k == H_CLEN && !st->first[k].p) {
			st->first[k] = h->value;
			(void)sift_syn_num(h->value, U32_MAX_VALUE, &st->clen);
		} else if (k == H_CONTACT &&
			   (gt = memchr(h->value.p, '>', h->value.n)) != NULL) {
			/* One name-addr, no '>' before its own: the
			 * parameters after it, for expires=. */
			size_t i = (size_t)(gt - h->value.p) + 1;

			(void)sift_syn_params(h->value, &i, true, H_CONTACT, f);
		}
		return;
	}
	if (sift_syn_hdrs[k].single) {
		if (!st->first[k].p) {
			st->first[k] = h->value;
		} else if (!st->dup_done[k] && !same_value(st->first[k], h->value)) {
			sift_syn_add(f, K_SYNTAX, "two %s values ('%s' and '%s')",
			    sift_syn_hdrs[k].shown, sift_syn_show(st->first[k], b, sizeof(b)),
			    sift_syn_show(h->value, b2, sizeof(b2)));
			st->dup_done[k] = true;
		}
	}
	switch (k) {
	case H_FROM:
	case H_TO:
	case H_CONTACT:
	case H_ROUTE:
	case H_RROUTE:
	case H_REPLY_TO:
		sift_syn_addresses(h->value, k, f);
		break;
	case H_VIA:
		sift_syn_via(h->value, f);
		break;
	case H_CSEQ:
		sift_syn_cseq(h->value, f);
		break;
	case H_MAXFWD:
		sift_syn_number(h->value, "Max-Forwards", 255, "is outside 0-255", f);
		break;
	case H_EXPIRES:
	case H_MINEXP:
		sift_syn_number(h->value, sift_syn_hdrs[k].shown, U32_MAX_VALUE,
			     "does not fit in 32 bits", f);
		break;
	case H_CLEN:
		sift_syn_number(h->value, "Content-Length", U32_MAX_VALUE,
			     "does not fit in 32 bits", f);
		if (st->first[k].p == h->value.p)
			(void)sift_syn_num(h->value, U32_MAX_VALUE, &st->clen);
		break;
	case H_DATE:
		sift_syn_date(h->value, f);
		break;
	case H_CTYPE:
		st->ctype = true;
		sift_syn_ctype(h->value, f);
		break;
	case H_WARNING:
		sift_syn_warning(h->value, f);
		break;
	case H_CALLID:
	case H_OTHER:
	case H_COUNT:
		break;
	}
}

/* Everything above, on one message: the start line, each header, and the
 * body against Content-Type. m, when given, holds the header lines as its
 * parse walked them (sip_msg.h): the same lines, not walked again. */
static void check_message(struct sift_span msg, bool request,
			  const struct sift_sip_msg *m, struct sift_syn *f)
{
	struct hdr_state st;
	struct sift_hdr_iter it;
	struct sift_hdr h;
	struct sift_span start;
	size_t body;

	memset(&st, 0, sizeof(st));
	st.clen = UINT64_MAX;
	/* CRLFs before the start line are ignored (§7.5); the header block
	 * ends at the first empty line. */
	if (m && m->hdrs) {
		start = m->hdr_start;
		body = m->hdr_body;
	} else {
		sift_hdr_iter_init(&it, msg.p, msg.n, true);
		start = it.start;
		body = it.body;
	}
	if (request)
		check_request_line(start, f);
	else
		check_status_line(start, f);
	if (m && m->hdrs) {
		for (size_t i = 0; i < m->nhdrs; i++)
			check_header(&m->hdrs[i], m->plain, &st, f);
	} else {
		while (sift_hdr_next(&it, &h))
			check_header(&h, m && m->plain, &st, f);
	}
	/* §20.15: a non-empty body needs its Content-Type. On a datagram the
	 * body is what Content-Length says (§18.3); line ends, blanks and NUL
	 * padding alone are none. */
	{
		size_t n = msg.n - body, real = 0;

		if (st.clen < n)
			n = (size_t)st.clen;
		for (size_t i = 0; i < n; i++)
			if (!sift_is_lws(msg.p[body + i]) &&
			    msg.p[body + i] != '\0')
				real++;
		if (real && !st.ctype)
			sift_syn_add(f, K_MISSING, "message has a %zu-byte body but no Content-Type header",
			    n);
	}
}

void sift_lint_syntax_why(const uint8_t *raw, size_t n, char *buf, size_t len)
{
	static const char resp[] = "SIP/2.0 ";
	struct sift_syn f;
	size_t i = 0;
	int k = K_SYNTAX;

	if (!len)
		return;
	buf[0] = '\0';
	if (!raw)
		return;
	memset(&f, 0, sizeof(f));
	/* A response starts with the version; CRLFs before it are ignored. */
	while (i < n && (raw[i] == '\r' || raw[i] == '\n'))
		i++;
	check_message(sift_span_of(raw, n),
		      !(n - i >= sizeof(resp) - 1 &&
			memcmp(raw + i, resp, sizeof(resp) - 1) == 0), NULL, &f);
	if (!f.count[k])
		k = f.count[K_STATUS] ? K_STATUS : K_MISSING;
	if (f.count[k])
		snprintf(buf, len, "%s", f.text[k]);
}

bool sift_syn_same(const struct sift_syn *a, const struct sift_syn *b)
{
	if (a->version != b->version)
		return false;
	for (int k = 0; k < K_COUNT; k++)
		if (a->count[k] != b->count[k] || a->more[k] != b->more[k] ||
		    a->len[k] != b->len[k] || strcmp(a->text[k], b->text[k]) != 0)
			return false;
	return true;
}

void sift_lint_syntax_check(const struct sift_sip_msg *m, struct sift_syn *f)
{
	/* The counts first: the texts are written only for a problem. */
	memset(f->count, 0, sizeof(f->count));
	memset(f->more, 0, sizeof(f->more));
	memset(f->len, 0, sizeof(f->len));
	f->version = false;
	for (int k = 0; k < K_COUNT; k++)
		f->text[k][0] = '\0';
	if (m && m->raw)
		check_message(sift_span_of(m->raw, m->raw_len), m->request, m, f);
}

void sift_lint_syntax(const struct sift_lint_cfg *cfg,
		      const struct sift_lint_msg *lm, struct sift_findings *out)
{
	const struct sift_sip_msg *m = lm->m;
	struct sift_frame_ref fr = { lm->where.file, lm->where.frame };
	struct sift_syn own;
	const struct sift_syn *fp = lm->syn;
	char more[32];

	if (!m || !m->raw)
		return;
	if (!fp) {
		sift_lint_syntax_check(m, &own);
		fp = &own;
	}
	for (int k = 0; k < K_COUNT; k++) {
		if (!fp->count[k])
			continue;
		more[0] = '\0';
		if (fp->more[k])
			snprintf(more, sizeof(more), "; and %u more", fp->more[k]);
		if (k == K_SYNTAX)
			sift_lint_emit(cfg, out, SIFT_R_SIP_PARSE_ERROR, m->call_id,
				       &fr, 1, "%s%s; a strict element answers %s or drops it",
				       fp->text[k], more,
				       !fp->version ? "400 Bad Request" :
				       fp->count[k] == 1 ? "505 Version Not Supported" :
				       "400 Bad Request (505 Version Not Supported for the version)");
		else if (k == K_STATUS)
			sift_lint_emit(cfg, out, SIFT_R_STATUS_CODE_INVALID, m->call_id,
				       &fr, 1, "%s%s; the UAC cannot classify the response",
				       fp->text[k], more);
		else
			sift_lint_emit(cfg, out, SIFT_R_MISSING_MANDATORY_HEADER,
				       m->call_id, &fr, 1,
				       "%s%s; the receiver cannot tell what the body is (RFC 3261 §20.15)",
				       fp->text[k], more);
	}
}

