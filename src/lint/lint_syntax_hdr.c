/* sipsift — grammar checks on the other header values: numbers, Via,
 * CSeq, Date, Content-Type and Warning (RFC 3261 §20, §25.1). */
#include <string.h>

#include "lint/lint_syntax.h"

/* A header value that is one number: Max-Forwards, Expires, ... */
void sift_syn_number(struct sift_span v, const char *what, uint64_t max,
			 const char *range, struct sift_syn *f)
{
	char b[48];
	uint64_t x;

	switch (sift_syn_num(v, max, &x)) {
	case NUM_OK:
		break;
	case NUM_NEGATIVE:
		sift_syn_add(f, K_SYNTAX, "%s %s is negative", what, sift_syn_show(v, b, sizeof(b)));
		break;
	case NUM_NOT_A_NUMBER:
		sift_syn_add(f, K_SYNTAX, "%s '%s' is not a number", what,
		    sift_syn_show(v, b, sizeof(b)));
		break;
	case NUM_TOO_BIG:
		sift_syn_add(f, K_SYNTAX, "%s %s %s", what, sift_syn_show(v, b, sizeof(b)), range);
		break;
	}
}

/* Via (§20.42): sent-protocol LWS sent-by *( SEMI via-params ), comma-
 * separated, with SWS allowed around the slashes. */
void sift_syn_via(struct sift_span v, struct sift_syn *f)
{
	char b[48];
	size_t i = 0;

	for (;;) {
		struct sift_span part[3];
		size_t j;

		i = sift_span_skip_lws(v, i);
		if (i >= v.n || v.p[i] == ',') {
			sift_syn_add(f, K_SYNTAX, "Via has an empty value");
			return;
		}
		for (int n = 0; n < 3; n++) {
			if (n) {
				i = sift_span_skip_lws(v, i);
				if (i >= v.n || v.p[i] != '/') {
					sift_syn_add(f, K_SYNTAX, "Via sent-protocol is not name/version/transport");
					return;
				}
				i = sift_span_skip_lws(v, i + 1);
			}
			part[n].p = v.p + i;
			while (i < v.n && sift_is_token_char(v.p[i]))
				i++;
			part[n].n = (size_t)(v.p + i - part[n].p);
			if (!part[n].n) {
				sift_syn_add(f, K_SYNTAX, "Via sent-protocol is not name/version/transport");
				return;
			}
		}
		if (sift_span_ieq(part[0], "sip") && !sift_span_ieq(part[1], "2.0")) {
			sift_syn_add(f, K_SYNTAX, "Via sent-protocol SIP/%s is not SIP/2.0",
			    sift_syn_show(part[1], b, sizeof(b)));
			return;
		}
		j = sift_span_skip_lws(v, i);
		if (j == i || j >= v.n || v.p[j] == ';' || v.p[j] == ',') {
			sift_syn_add(f, K_SYNTAX, "Via has no sent-by after its sent-protocol");
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
		if (!sift_syn_params(v, &i, true, H_VIA, f))
			return;
		if (i >= v.n)
			return;
		i++;
	}
}

/* CSeq (§20.16, §8.1.1.5): 1*DIGIT LWS Method, the number below 2^31. */
void sift_syn_cseq(struct sift_span v, struct sift_syn *f)
{
	char b[48];
	size_t i = 0, j;
	struct sift_span num;
	uint64_t x;

	while (i < v.n && !sift_is_lws(v.p[i]))
		i++;
	num = sift_span_sub(v, 0, i);
	switch (sift_syn_num(num, 0x7fffffffu, &x)) {
	case NUM_OK:
		break;
	case NUM_NEGATIVE:
		sift_syn_add(f, K_SYNTAX, "CSeq number %s is negative", sift_syn_show(num, b, sizeof(b)));
		return;
	case NUM_NOT_A_NUMBER:
		sift_syn_add(f, K_SYNTAX, "CSeq '%s' does not start with a number",
		    sift_syn_show(v, b, sizeof(b)));
		return;
	case NUM_TOO_BIG:
		if (sift_syn_num(num, U32_MAX_VALUE, &x) != NUM_OK)
			sift_syn_add(f, K_SYNTAX, "CSeq number %s does not fit in 32 bits",
			    sift_syn_show(num, b, sizeof(b)));
		else
			sift_syn_add(f, K_SYNTAX, "CSeq number %s is not below 2^31",
			    sift_syn_show(num, b, sizeof(b)));
		return;
	}
	j = sift_span_skip_lws(v, i);
	if (j == i || j >= v.n) {
		sift_syn_add(f, K_SYNTAX, "CSeq '%s' has no method after the number",
		    sift_syn_show(v, b, sizeof(b)));
		return;
	}
	for (i = j; i < v.n && sift_is_token_char(v.p[i]); i++)
		;
	if (i == j || sift_span_skip_lws(v, i) != v.n)
		sift_syn_add(f, K_SYNTAX, "CSeq '%s' is not a number and one method token",
		    sift_syn_show(v, b, sizeof(b)));
}

/* Date (§20.17, §25.1): rfc1123-date, and SIP restricts the zone to GMT:
 * wkday "," SP 2DIGIT SP month SP 4DIGIT SP 2DIGIT ":" 2DIGIT ":" 2DIGIT
 * SP "GMT". */
void sift_syn_date(struct sift_span v, struct sift_syn *f)
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
		sift_syn_add(f, K_SYNTAX, "Date '%s' is not an RFC 1123 date like 'Sat, 13 Nov 2010 23:29:00 GMT'",
		    sift_syn_show(v, b, sizeof(b)));
	else if (!sift_span_ieq(sift_span_sub(v, 26, 29), "gmt"))
		sift_syn_add(f, K_SYNTAX, "Date '%s' is not in GMT, the only time zone SIP allows",
		    sift_syn_show(v, b, sizeof(b)));
}

/* Content-Type (§20.15): m-type SLASH m-subtype *( SEMI m-parameter ). */
void sift_syn_ctype(struct sift_span v, struct sift_syn *f)
{
	char b[48];
	size_t i = 0, j;

	while (i < v.n && sift_is_token_char(v.p[i]))
		i++;
	j = sift_span_skip_lws(v, i);
	if (!i || j >= v.n || v.p[j] != '/') {
		sift_syn_add(f, K_SYNTAX, "Content-Type '%s' has no type/subtype",
		    sift_syn_show(v, b, sizeof(b)));
		return;
	}
	i = j = sift_span_skip_lws(v, j + 1);
	while (i < v.n && sift_is_token_char(v.p[i]))
		i++;
	if (i == j) {
		sift_syn_add(f, K_SYNTAX, "Content-Type '%s' has no subtype after '/'",
		    sift_syn_show(v, b, sizeof(b)));
		return;
	}
	sift_syn_params(v, &i, false, H_CTYPE, f);
}

/* Warning (§20.43): warn-code is 3DIGIT followed by SP, in each value. */
void sift_syn_warning(struct sift_span v, struct sift_syn *f)
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
			sift_syn_add(f, K_SYNTAX, "Warning code '%s' is not three digits",
			    sift_syn_show(sift_span_sub(v, s, i), b, sizeof(b)));
			return;
		}
		/* Skip warn-agent and the quoted warn-text to the next ','. */
		while (i < v.n && v.p[i] != ',') {
			if (v.p[i] == '"') {
				if (!sift_syn_skip_quoted(v, &i)) {
					sift_syn_add(f, K_SYNTAX, "unterminated quoted string in Warning");
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
