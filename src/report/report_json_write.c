/* sipsift — JSON text from a jansson tree: the bytes json_dumps writes
 * with JSON_ENSURE_ASCII | JSON_REAL_PRECISION(16), indented or compact,
 * at a tenth of its cost (report_json_write.h says why). */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_json_write.h"

/* Room for n more bytes; false (and w->failed) when memory ran out. */
static bool reserve(struct sift_jw *w, size_t n)
{
	size_t cap;
	char *p;

	if (w->failed)
		return false;
	if (w->cap - w->len >= n)
		return true;
	cap = w->cap ? w->cap : 4096;
	while (cap - w->len < n) {
		if (cap > SIZE_MAX / 2) {
			w->failed = true;
			return false;
		}
		cap *= 2;
	}
	p = realloc(w->p, cap);
	if (!p) {
		w->failed = true;
		return false;
	}
	w->p = p;
	w->cap = cap;
	return true;
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

/* Which ASCII bytes need an escape: controls, '"' and '\\'. */
static bool plain_ascii(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

static bool cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

void sift_jw_string(struct sift_jw *w, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	/* Worst case: 12 bytes out (a surrogate pair) for 4 in. */
	if (n > (SIZE_MAX - 2) / 3 || !reserve(w, 3 * n + 2)) {
		w->failed = true;
		return;
	}
	w->p[w->len++] = '"';
	while (i < n) {
		size_t run = i;
		uint32_t cp;
		unsigned len;

		while (run < n && plain_ascii(u[run]))
			run++;
		if (run > i) {
			memcpy(w->p + w->len, s + i, run - i);
			w->len += run - i;
			i = run;
			continue;
		}
		if (u[i] < 0x80) {
			char *o = w->p + w->len;

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
				w->len += 4;
				break;
			}
			w->len += 2;
			i++;
			continue;
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
			put_u16_escape(w->p + w->len, 0xd800 | (cp >> 10));
			put_u16_escape(w->p + w->len + 6, 0xdc00 | (cp & 0x3ff));
			w->len += 12;
		} else {
			put_u16_escape(w->p + w->len, cp);
			w->len += 6;
		}
		i += len;
	}
	w->p[w->len++] = '"';
}

static void put_int(struct sift_jw *w, json_int_t v)
{
	char buf[24], *e = buf + sizeof(buf), *o = e;
	/* The magnitude as unsigned: -INT64_MIN does not fit a signed type. */
	unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	do {
		*--o = (char)('0' + m % 10);
		m /= 10;
	} while (m);
	if (v < 0)
		*--o = '-';
	sift_jw_put(w, o, (size_t)(e - o));
}

/* As jansson: "%.16g", then ".0" when that reads as an integer, and the
 * exponent without '+' or leading zeros ("1e20", "1e-5"). */
static void put_real(struct sift_jw *w, double v)
{
	char buf[64], out[64];
	int n = snprintf(buf, sizeof(buf), "%.16g", v);
	size_t o = 0;
	const char *e;

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
