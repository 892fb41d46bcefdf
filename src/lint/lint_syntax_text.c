/* sipsift — the grammar checks' text handling: gathering problems per
 * rule, showing message text in a finding, numbers, quoted strings, and
 * the table of the headers checked. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lint/lint_syntax.h"

void sift_syn_add(struct sift_syn *f, int k, const char *fmt, ...)
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

const char *sift_syn_show(struct sift_span s, char *buf, size_t len)
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

const char *sift_syn_char(uint8_t c, char *buf, size_t len)
{
	if (c >= 0x21 && c < 0x7f)
		snprintf(buf, len, "'%c'", c);
	else
		snprintf(buf, len, "0x%02x", c);
	return buf;
}

enum sift_syn_num sift_syn_num(struct sift_span s, uint64_t max, uint64_t *out)
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

bool sift_syn_skip_quoted(struct sift_span v, size_t *i)
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

bool sift_syn_has_lws(struct sift_span s)
{
	for (size_t i = 0; i < s.n; i++)
		if (sift_is_lws(s.p[i]))
			return true;
	return false;
}

#define HDR(name, compact, shown, single) \
	{ name, compact, shown, single, (uint8_t)(sizeof(name) - 1) }
const struct sift_syn_hdr sift_syn_hdrs[H_COUNT] = {
	[H_OTHER] = HDR("", NULL, "", false),
	[H_FROM] = HDR("from", "f", "From", true),
	[H_TO] = HDR("to", "t", "To", true),
	[H_CONTACT] = HDR("contact", "m", "Contact", false),
	[H_ROUTE] = HDR("route", NULL, "Route", false),
	[H_RROUTE] = HDR("record-route", NULL, "Record-Route", false),
	[H_REPLY_TO] = HDR("reply-to", NULL, "Reply-To", false),
	[H_VIA] = HDR("via", "v", "Via", false),
	[H_CSEQ] = HDR("cseq", NULL, "CSeq", true),
	[H_MAXFWD] = HDR("max-forwards", NULL, "Max-Forwards", true),
	[H_EXPIRES] = HDR("expires", NULL, "Expires", false),
	[H_MINEXP] = HDR("min-expires", NULL, "Min-Expires", false),
	[H_CLEN] = HDR("content-length", "l", "Content-Length", true),
	[H_CALLID] = HDR("call-id", "i", "Call-ID", true),
	[H_DATE] = HDR("date", NULL, "Date", false),
	[H_CTYPE] = HDR("content-type", "c", "Content-Type", true),
	[H_WARNING] = HDR("warning", NULL, "Warning", false),
};
#undef HDR

_Static_assert(H_COUNT <= 32, "a kind is a bit of a uint32_t");

/* Which kinds have a name (full[], names of two letters or more) or a
 * compact form (compact[]) starting with each letter: made from the table
 * once, so that a name is compared with two kinds at most, not sixteen. */
static uint32_t full[26], compact[26];

static void build_first_letters(void)
{
	for (int k = H_OTHER + 1; k < H_COUNT; k++) {
		full[sift_syn_hdrs[k].name[0] - 'a'] |= 1u << k;
		if (sift_syn_hdrs[k].compact)
			compact[sift_syn_hdrs[k].compact[0] - 'a'] |= 1u << k;
	}
}

enum sift_syn_hk sift_syn_header_kind(struct sift_span name)
{
	/* Every header of every message comes here, on -j 2's reader thread
	 * too (lint's syntax rules ahead): the tables are built once for
	 * both (a plain flag was a data race, ThreadSanitizer's jobs lane). */
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	uint32_t cand;
	uint8_t c;

	pthread_once(&once, build_first_letters);
	if (!name.n)
		return H_OTHER;
	c = sift_lower(name.p[0]);
	if (c < 'a' || c > 'z')
		return H_OTHER;
	if (name.n == 1)
		cand = compact[c - 'a'];
	else
		cand = full[c - 'a'];
	while (cand) {
		int k = __builtin_ctz(cand);

		cand &= cand - 1;
		if (name.n == 1 ||
		    sift_span_ieq_n(name, sift_syn_hdrs[k].name, sift_syn_hdrs[k].len))
			return (enum sift_syn_hk)k;
	}
	return H_OTHER;
}
