/* sipsift — JSON text from a jansson tree: the bytes json_dumps writes
 * with JSON_ENSURE_ASCII | JSON_REAL_PRECISION(16), indented or compact,
 * at a tenth of its cost (report_json_write.h says why). */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_json_write.h"
#include "sipsift/common.h"
#include "util/utf8.h"

/* One value of a report (a call with its messages, the streams) is never
 * near this; the buffer is written out at 64 KB between values. */
#define JW_MAX ((size_t)1 << 31)

/* reserve() when the buffer is full: it grows, or w fails. */
static bool grow(struct sift_jw *w, size_t n)
{
	void *p = w->p;

	if (w->failed)
		return false;
	if (n > JW_MAX || !sift_grow(&p, &w->cap, w->len + n, 1, JW_MAX)) {
		w->failed = true;
		return false;
	}
	w->p = p;
	return true;
}

/* Room for n more bytes; false (and w->failed) when memory ran out. The
 * check inline: a call for it was a percent of a JSON run. */
static inline bool reserve(struct sift_jw *w, size_t n)
{
	if (!w->failed && w->cap - w->len >= n)
		return true;
	return grow(w, n);
}

void sift_jw_put(struct sift_jw *w, const char *s, size_t n)
{
	if (!reserve(w, n))
		return;
	memcpy(w->p + w->len, s, n);
	w->len += n;
}

static void put_c(struct sift_jw *w, char c)
{
	if (reserve(w, 1))
		w->p[w->len++] = c;
}

static void newline(struct sift_jw *w, size_t spaces)
{
	if (!reserve(w, spaces + 1))
		return;
	w->p[w->len++] = '\n';
	memset(w->p + w->len, ' ', spaces);
	w->len += spaces;
}

static const char hex[] = "0123456789ABCDEF";

static void put_u16_escape(char *o, unsigned v)
{
	o[0] = '\\';
	o[1] = 'u';
	o[2] = hex[(v >> 12) & 0xf];
	o[3] = hex[(v >> 8) & 0xf];
	o[4] = hex[(v >> 4) & 0xf];
	o[5] = hex[v & 0xf];
}

/* The bytes that are copied as they are: ASCII but the controls, '"' and
 * '\\' (a table: the four compares were 3 % of a JSON run). */
static const unsigned char plain_tab[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

static bool plain_ascii(unsigned char c)
{
	return plain_tab[c];
}

/* Eight bytes as a number whose low byte is the first of them. */
static uint64_t load8(const unsigned char *u)
{
	uint64_t x;

	memcpy(&x, u, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	x = __builtin_bswap64(x);
#endif
	return x;
}

/* The high bit of each of eight bytes (x from load8) that needs more
 * than a copy: a control, '"' or '\\', or past ASCII (the classic SWAR
 * tests for a byte below n and for a zero byte, on the word and on it
 * XOR the quote and the backslash). A borrow only runs upwards from a
 * byte that is flagged, so the lowest bit set is the first such byte
 * exactly (higher ones may be wrong). A byte at a time was a tenth of a
 * JSON report. */
static uint64_t special8(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');

	return (x | ((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b)) & high;
}

static bool cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/* s[0..n) as a JSON string at w (room reserved). ascii_only: stop at the
 * first byte past ASCII and return false, the string half written. */
static bool put_string(struct sift_jw *w, const char *s, size_t n, bool ascii_only)
{
	const unsigned char *u = (const unsigned char *)s;
	char *o = w->p + w->len;
	size_t i = 0;

	*o++ = '"';
	while (i < n) {
		uint32_t cp;
		unsigned len;

		/* Eight bytes at a time, copied before they are looked at: a
		 * special byte's copy is overwritten by what it becomes (the
		 * room for 6 bytes out for each in covers the overshoot). */
		while (n - i >= 8) {
			uint64_t x = load8(u + i), m = special8(x);

			memcpy(o, u + i, 8);
			if (m) {
				size_t k = (size_t)__builtin_ctzll(m) >> 3;

				o += k;
				i += k;
				break;
			}
			o += 8;
			i += 8;
		}
		while (i < n && plain_ascii(u[i]))
			*o++ = (char)u[i++];
		if (i == n)
			break;
		if (u[i] < 0x80) {
			switch (u[i]) {
			case '"': o[0] = '\\', o[1] = '"'; break;
			case '\\': o[0] = '\\', o[1] = '\\'; break;
			case '\b': o[0] = '\\', o[1] = 'b'; break;
			case '\f': o[0] = '\\', o[1] = 'f'; break;
			case '\n': o[0] = '\\', o[1] = 'n'; break;
			case '\r': o[0] = '\\', o[1] = 'r'; break;
			case '\t': o[0] = '\\', o[1] = 't'; break;
			default:
				put_u16_escape(o, u[i]);
				o += 4;
				break;
			}
			o += 2;
			i++;
			continue;
		}
		if (ascii_only) {
			w->len = (size_t)(o - w->p);
			return false;
		}
		/* jansson holds valid UTF-8 only; a byte that does not start a
		 * sequence it accepts is written as U+FFFD rather than read
		 * past the end. */
		if (u[i] >= 0xf0 && u[i] < 0xf5 && n - i >= 4 && cont(u[i + 1]) &&
		    cont(u[i + 2]) && cont(u[i + 3])) {
			cp = (uint32_t)(u[i] & 0x07) << 18 | (uint32_t)(u[i + 1] & 0x3f) << 12 |
			     (uint32_t)(u[i + 2] & 0x3f) << 6 | (u[i + 3] & 0x3f);
			len = 4;
		} else if (u[i] >= 0xe0 && u[i] < 0xf0 && n - i >= 3 && cont(u[i + 1]) &&
			   cont(u[i + 2])) {
			cp = (uint32_t)(u[i] & 0x0f) << 12 | (uint32_t)(u[i + 1] & 0x3f) << 6 |
			     (u[i + 2] & 0x3f);
			len = 3;
		} else if (u[i] >= 0xc2 && u[i] < 0xe0 && n - i >= 2 && cont(u[i + 1])) {
			cp = (uint32_t)(u[i] & 0x1f) << 6 | (u[i + 1] & 0x3f);
			len = 2;
		} else {
			cp = 0xfffd;
			len = 1;
		}
		if (cp >= 0x10000) {
			cp -= 0x10000;
			put_u16_escape(o, 0xd800 | (cp >> 10));
			put_u16_escape(o + 6, 0xdc00 | (cp & 0x3ff));
			o += 12;
		} else {
			put_u16_escape(o, cp);
			o += 6;
		}
		i += len;
	}
	*o++ = '"';
	w->len = (size_t)(o - w->p);
	return true;
}

/* Room for s[0..n) as a string: 6 bytes out for 1 in at worst (a control
 * as \u001F; a surrogate pair is 12 for 4), and the quotes. */
static bool reserve_string(struct sift_jw *w, size_t n)
{
	if (n > (SIZE_MAX - 2) / 6 || !reserve(w, 6 * n + 2)) {
		w->failed = true;
		return false;
	}
	return true;
}

void sift_jw_string(struct sift_jw *w, const char *s, size_t n)
{
	if (reserve_string(w, n))
		put_string(w, s, n, false);
}

/* Straight into the buffer: through a scratch array and sift_jw_put it
 * was two calls more for each of a report's numbers. */
static void put_int(struct sift_jw *w, json_int_t v)
{
	char *o;

	if (!reserve(w, 21))
		return;
	o = w->p + w->len;
	if (v < 0)
		*o++ = '-';
	/* The magnitude as unsigned: -INT64_MIN does not fit a signed type. */
	o += sift_put_dec(o, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v);
	w->len = (size_t)(o - w->p);
}

/* GCC and clang both have it on 64-bit targets; __extension__ keeps
 * -Wpedantic quiet about a type ISO C lacks. */
__extension__ typedef unsigned __int128 sift_u128;

static const uint64_t pow10_u64[20] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
	100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL,
	1000000000000ULL, 10000000000000ULL, 100000000000000ULL,
	1000000000000000ULL, 10000000000000000ULL, 100000000000000000ULL,
	1000000000000000000ULL, 10000000000000000000ULL,
};

/* "%.16g" of v written by integer arithmetic, for the values a report
 * holds (timestamps, milliseconds, ratios): 1e-4 <= |v| < 1e16, where %g
 * writes no exponent. v is m * 2^-sh exactly; its 16 significant digits
 * are m * 10^k * 2^-sh rounded to nearest, ties to even as glibc does,
 * with k = 15 - X and X the decimal exponent of the rounded value (found
 * by trying: a guess off by one shows as 15 or 17 digits). m * 10^k stays
 * below 2^53 * 10^19 < 2^117. False when v is outside that range; the
 * caller then asks snprintf. snprintf took 4,000 instructions a value, a
 * sixth of the JSON writer on a SIP-only capture. */
static bool put_real_fixed(struct sift_jw *w, double v)
{
	char buf[48], *o = buf;
	int x, e2, sh, k, digits, point;
	sift_u128 p, n, rem, half;
	uint64_t m, nd;
	double a = v < 0 ? -v : v;

	if (!(a >= 1e-4 && a < 1e16))
		return false;
	m = (uint64_t)ldexp(frexp(a, &e2), 53);
	sh = 53 - e2;
	if (sh <= 0 || sh > 120)
		return false;
	/* A guess of X from the binary exponent: log10(2) ~ 0.30103. */
	x = (int)floor((e2 - 1) * 0.30102999566398120);
	for (int tries = 0;; tries++) {
		if (tries == 3 || x < -4 || x > 15)
			return false;
		k = 15 - x;
		if (k > 19)
			return false;
		p = (sift_u128)m * pow10_u64[k];
		n = p >> sh;
		rem = p - (n << sh);
		half = (sift_u128)1 << (sh - 1);
		if (rem > half || (rem == half && (n & 1)))
			n++;
		if (n >= pow10_u64[16])
			x++;
		else if (n < pow10_u64[15])
			x--;
		else
			break;
	}
	nd = (uint64_t)n;
	if (v < 0)
		*o++ = '-';
	/* 16 digits; the point after X + 1 of them, or "0." and -X - 1
	 * zeros before them. */
	point = x + 1;
	if (point <= 0) {
		*o++ = '0';
		*o++ = '.';
		for (int i = 0; i < -point; i++)
			*o++ = '0';
	}
	digits = 16;
	/* Trailing zeros of the fraction go, as %g drops them. */
	while (digits > (point > 0 ? point : 0) && nd % 10 == 0) {
		nd /= 10;
		digits--;
	}
	{
		char d[16];

		for (int i = digits - 1; i >= 0; i--) {
			d[i] = (char)('0' + nd % 10);
			nd /= 10;
		}
		for (int i = 0; i < digits; i++) {
			if (i == point && point > 0)
				*o++ = '.';
			*o++ = d[i];
		}
	}
	/* An integral value reads as one: jansson adds ".0". */
	if (digits <= point) {
		*o++ = '.';
		*o++ = '0';
	}
	sift_jw_put(w, buf, (size_t)(o - buf));
	return true;
}

/* As jansson: "%.16g", then ".0" when that reads as an integer, and the
 * exponent without '+' or leading zeros ("1e20", "1e-5"). */
static void put_real(struct sift_jw *w, double v)
{
	char buf[64], out[64];
	int n;
	size_t o = 0;
	const char *e;

	if (put_real_fixed(w, v))
		return;
	/* Zero, the most common value outside the fixed path (no loss, no
	 * jitter), as "%.16g" and the ".0" below make it: snprintf was 2,000
	 * instructions a value. */
	if (v == 0) {
		if (signbit(v))
			sift_jw_put(w, "-0.0", 4);
		else
			sift_jw_put(w, "0.0", 3);
		return;
	}
	n = snprintf(buf, sizeof(buf), "%.16g", v);
	if (n < 0 || (size_t)n >= sizeof(buf) - 3) {
		w->failed = true;
		return;
	}
	e = strchr(buf, 'e');
	if (!e) {
		sift_jw_put(w, buf, (size_t)n);
		if (!strchr(buf, '.'))
			sift_jw_put(w, ".0", 2);
		return;
	}
	memcpy(out, buf, (size_t)(e - buf) + 1);
	o = (size_t)(e - buf) + 1;
	e++;
	if (*e == '-')
		out[o++] = *e++;
	else if (*e == '+')
		e++;
	while (*e == '0' && e[1])
		e++;
	while (*e)
		out[o++] = *e++;
	sift_jw_put(w, out, o);
}

void sift_jw_value(struct sift_jw *w, const json_t *v, unsigned indent,
		   size_t base)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *key;
		json_t *m;
		bool first = true;
		void *it = json_object_iter((json_t *)v);

		if (!it) {
			sift_jw_put(w, "{}", 2);
			return;
		}
		put_c(w, '{');
		for (; it; it = json_object_iter_next((json_t *)v, it)) {
			key = json_object_iter_key(it);
			m = json_object_iter_value(it);
			if (!first)
				put_c(w, ',');
			first = false;
			if (indent)
				newline(w, base + indent);
			sift_jw_string(w, key, json_object_iter_key_len(it));
			if (indent)
				sift_jw_put(w, ": ", 2);
			else
				put_c(w, ':');
			sift_jw_value(w, m, indent, base + indent);
		}
		if (indent)
			newline(w, base);
		put_c(w, '}');
		return;
	}
	case JSON_ARRAY: {
		size_t n = json_array_size(v);

		if (!n) {
			sift_jw_put(w, "[]", 2);
			return;
		}
		put_c(w, '[');
		for (size_t i = 0; i < n; i++) {
			if (i)
				put_c(w, ',');
			if (indent)
				newline(w, base + indent);
			sift_jw_value(w, json_array_get(v, i), indent, base + indent);
		}
		if (indent)
			newline(w, base);
		put_c(w, ']');
		return;
	}
	case JSON_STRING:
		sift_jw_string(w, json_string_value(v), json_string_length(v));
		return;
	case JSON_INTEGER:
		put_int(w, json_integer_value(v));
		return;
	case JSON_REAL:
		put_real(w, json_real_value(v));
		return;
	case JSON_TRUE:
		sift_jw_put(w, "true", 4);
		return;
	case JSON_FALSE:
		sift_jw_put(w, "false", 5);
		return;
	case JSON_NULL:
		sift_jw_put(w, "null", 4);
		return;
	}
}

int sift_jw_flush(struct sift_jw *w, FILE *f)
{
	int rc = 0;

	if (w->failed)
		rc = -1;
	else if (w->len && fwrite(w->p, 1, w->len, f) != w->len)
		rc = -1;
	w->len = 0;
	return rc;
}

/* ---- sift_jv: one description, a tree or text ---- */

void sift_jv_text(struct sift_jv *v, struct sift_jw *w, unsigned indent, size_t base)
{
	memset(v, 0, sizeof(*v));
	v->w = w;
	v->indent = indent;
	v->base = base;
}

void sift_jv_tree(struct sift_jv *v)
{
	memset(v, 0, sizeof(*v));
}

/* Keys up to this long (all of the report's names) are copied as they
 * are checked; a longer one, or one that needs an escape, goes the long
 * way. */
#define KEY_FAST 48

static const char spaces16[16] = "                ";

static void text_member_slow(struct sift_jv *v, const char *key, bool comma, size_t sp)
{
	struct sift_jw *w = v->w;

	if (comma)
		put_c(w, ',');
	if (v->indent)
		newline(w, sp);
	sift_jw_string(w, key, strlen(key));
	sift_jw_put(w, ": ", v->indent ? 2 : 1);
}

/* Text: what goes before a value (separator, new line, key), written in
 * one piece: a call through put_c, newline and sift_jw_string for each
 * was a tenth of a SIP-only JSON report, and strlen, a check and a
 * memcpy of the key were half of what was left. */
static inline __attribute__((always_inline)) void text_member(struct sift_jv *v, const char *key)
{
	struct sift_jw *w = v->w;
	size_t d = v->depth, sp;
	bool comma, named;
	char *o;

	if (!d)
		return;
	comma = !v->first[d - 1];
	v->first[d - 1] = false;
	named = !v->array[d - 1];
	sp = v->indent ? v->base + v->indent * d : 0;
	/* ',' '\n', the indent in whole 16s, '"' key '"' ':' ' ' */
	if (!reserve(w, 2 + sp + 16 + KEY_FAST + 4))
		return;
	o = w->p + w->len;
	if (comma)
		*o++ = ',';
	if (v->indent) {
		*o++ = '\n';
		for (size_t i = 0; i < sp; i += 16)
			memcpy(o + i, spaces16, 16);
		o += sp;
	}
	if (named) {
		const unsigned char *u = (const unsigned char *)(key ? key : "");
		size_t n = 0;

		*o++ = '"';
		while (n < KEY_FAST && plain_ascii(u[n])) {
			o[n] = (char)u[n];
			n++;
		}
		if (u[n]) {
			text_member_slow(v, (const char *)u, comma, sp);
			return;
		}
		o += n;
		*o++ = '"';
		*o++ = ':';
		if (v->indent)
			*o++ = ' ';
	}
	w->len = (size_t)(o - w->p);
}

/* Tree: t goes into the open container, or becomes the root. */
static void tree_attach(struct sift_jv *v, const char *key, json_t *t)
{
	json_t *c;

	if (!t)
		t = json_null();
	if (!v->depth) {
		json_decref(v->root);
		v->root = t;
		return;
	}
	c = v->open[v->depth - 1];
	if (v->array[v->depth - 1])
		json_array_append_new(c, t);
	else
		json_object_set_new(c, key ? key : "", t);
}

static void open_container(struct sift_jv *v, const char *key, bool array)
{
	/* Nothing of ours nests this deep; past it the writer would lose
	 * its place, so the text is marked failed rather than wrong. */
	if (v->depth >= SIFT_JV_DEPTH) {
		if (v->w)
			v->w->failed = true;
		v->depth++;
		return;
	}
	if (v->w) {
		text_member(v, key);
		put_c(v->w, array ? '[' : '{');
	} else {
		json_t *t = array ? json_array() : json_object();

		tree_attach(v, key, t);
		v->open[v->depth] = t;
	}
	v->first[v->depth] = true;
	v->array[v->depth] = array;
	v->depth++;
}

void sift_jv_obj(struct sift_jv *v, const char *key)
{
	open_container(v, key, false);
}

void sift_jv_arr(struct sift_jv *v, const char *key)
{
	open_container(v, key, true);
}

void sift_jv_end(struct sift_jv *v)
{
	size_t d;

	if (!v->depth)
		return;
	d = --v->depth;
	if (d >= SIFT_JV_DEPTH || !v->w)
		return;
	if (!v->first[d] && v->indent)
		newline(v->w, v->base + v->indent * d);
	put_c(v->w, v->array[d] ? ']' : '}');
}

static bool deep(const struct sift_jv *v)
{
	return v->depth > SIFT_JV_DEPTH;
}

void sift_jv_put(struct sift_jv *v, const char *key, json_t *t)
{
	if (deep(v)) {
		json_decref(t);
		return;
	}
	if (!v->w) {
		tree_attach(v, key, t);
		return;
	}
	text_member(v, key);
	if (t)
		sift_jw_value(v->w, t, v->indent, v->base + v->indent * v->depth);
	else
		sift_jw_put(v->w, "null", 4);
	json_decref(t);
}

void sift_jv_text_str(struct sift_jv *v, const char *key, const char *s)
{
	size_t n, mark;
	bool first;

	if (!v->w || deep(v) || !s) {
		sift_jv_put(v, key, sift_json_text(s));
		return;
	}
	n = strlen(s);
	mark = v->w->len;
	first = v->depth && v->first[v->depth - 1];
	text_member(v, key);
	if (!reserve_string(v->w, n) || put_string(v->w, s, n, true))
		return;
	/* ASCII is valid as it is; anything else goes the way of the tree,
	 * so that both agree on what a malformed sequence becomes: the
	 * member is taken back and written again. */
	v->w->len = mark;
	if (v->depth)
		v->first[v->depth - 1] = first;
	sift_jv_put(v, key, sift_json_text(s));
}

void sift_jv_int(struct sift_jv *v, const char *key, long long n)
{
	if (!v->w || deep(v)) {
		sift_jv_put(v, key, json_integer(n));
		return;
	}
	text_member(v, key);
	put_int(v->w, n);
}

void sift_jv_real(struct sift_jv *v, const char *key, double d)
{
	if (!v->w || deep(v)) {
		sift_jv_put(v, key, json_real(d));
		return;
	}
	text_member(v, key);
	put_real(v->w, d);
}

void sift_jv_bool(struct sift_jv *v, const char *key, bool b)
{
	if (!v->w || deep(v)) {
		sift_jv_put(v, key, json_boolean(b));
		return;
	}
	text_member(v, key);
	if (b)
		sift_jw_put(v->w, "true", 4);
	else
		sift_jw_put(v->w, "false", 5);
}

void sift_jv_null(struct sift_jv *v, const char *key)
{
	sift_jv_put(v, key, NULL);
}

void sift_jv_addr(struct sift_jv *v, const char *key, const struct sift_addr *a)
{
	char buf[SIFT_ADDR_STRLEN];

	sift_jv_text_str(v, key, sift_addr_str(a, buf, sizeof(buf)));
}

void sift_jv_ts(struct sift_jv *v, const char *key, sift_time t)
{
	char buf[32];
	size_t n;
	uint32_t us;

	/* Seconds of ten digits below 2^33 (2001 to 2242): the real's 16
	 * significant digits are the seconds and the six of the
	 * microseconds, as %.16g rounds them (the double is off by less
	 * than half a microsecond there; from 2^33 on its step is 1.9 us),
	 * so they are written from the integer (a stamp through put_real
	 * cost 800 instructions). Else as any real. */
	if (!v->w || deep(v) || t < (sift_time)1000000000 * SIFT_USEC ||
	    t >= ((sift_time)1 << 33) * SIFT_USEC) {
		sift_jv_real(v, key, (double)t / 1e6);
		return;
	}
	n = sift_put_dec(buf, (uint64_t)(t / SIFT_USEC));
	us = (uint32_t)(t % SIFT_USEC);
	buf[n++] = '.';
	if (!us) {
		buf[n++] = '0';
	} else {
		for (uint32_t d = 100000; us; d /= 10) {
			buf[n++] = (char)('0' + us / d);
			us %= d;
		}
	}
	text_member(v, key);
	sift_jw_put(v->w, buf, n);
}

/* A string from packet text may hold any byte: jansson refuses invalid
 * UTF-8 (json_string gives NULL and the field would vanish), so each
 * malformed sequence becomes U+FFFD, as a decoder shows it. Controls are
 * escaped when written (\u001b). */
json_t *sift_json_text(const char *s)
{
	json_t *j;
	char *copy;
	size_t n, o = 0;

	if (!s)
		return json_null();
	j = json_string(s);
	if (j)
		return j;
	n = strlen(s);
	/* At most three bytes out for each byte in. */
	copy = malloc(3 * n + 1);
	if (!copy)
		return json_null();
	for (size_t i = 0, len; i < n; i += len) {
		uint32_t cp;

		len = sift_utf8_next(s + i, n - i, &cp);
		if (len) {
			memcpy(copy + o, s + i, len);
			o += len;
		} else {
			memcpy(copy + o, SIFT_UTF8_REPLACEMENT, 3);
			o += 3;
			len = 1;
		}
	}
	copy[o] = '\0';
	j = json_string(copy);
	free(copy);
	return j ? j : json_null();
}
