/* sipsift — media: the SIP message of decrypt -w, its SDP made plain RTP. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "media/media_int.h"

static bool line_starts(const uint8_t *p, size_t n, const char *s)
{
	size_t l = strlen(s);

	return n >= l && memcmp(p, s, l) == 0;
}

size_t sift_media_plain_sip(const uint8_t *msg, size_t n, size_t body_off,
			    uint8_t *out, size_t cap)
{
	size_t o = 0, i = body_off, blen_pos = 0;
	bool changed = false;
	char num[16];
	int k;

	if (body_off > n || body_off > cap)
		return 0;
	/* The body first, into place after a header block of the same size;
	 * the headers are copied afterwards with the new Content-Length. */
	o = body_off;
	while (i < n) {
		const uint8_t *line = msg + i;
		const uint8_t *lf = memchr(line, '\n', n - i);
		size_t len = lf ? (size_t)(lf - line) + 1 : n - i;

		i += len;
		if (line_starts(line, len, "a=crypto:")) {
			changed = true;
			continue;
		}
		if (o + len > cap)
			return 0;
		if (line_starts(line, len, "m=")) {
			/* Copy with "RTP/SAVP" as "RTP/AVP". */
			for (size_t j = 0; j < len; j++) {
				if (len - j >= 8 && memcmp(line + j, "RTP/SAVP", 8) == 0) {
					memcpy(out + o, "RTP/AVP", 7);
					o += 7;
					j += 7;
					changed = true;
					continue;
				}
				out[o++] = line[j];
			}
			continue;
		}
		memcpy(out + o, line, len);
		o += len;
	}
	if (!changed)
		return 0;
	/* Headers, with Content-Length (or l) rewritten. */
	{
		size_t blen = o - body_off, h = 0, w = 0;
		uint8_t *hdr = malloc(body_off + 32);

		if (!hdr)
			return 0;
		k = snprintf(num, sizeof(num), "%zu", blen);
		while (h < body_off) {
			const uint8_t *line = msg + h;
			const uint8_t *lf = memchr(line, '\n', body_off - h);
			size_t len = lf ? (size_t)(lf - line) + 1 : body_off - h;
			size_t colon = 0;

			h += len;
			while (colon < len && line[colon] != ':')
				colon++;
			if (colon < len && ((colon == 14 && strncasecmp((const char *)line, "content-length", 14) == 0) ||
					    (colon == 1 && (line[0] == 'l' || line[0] == 'L')))) {
				memcpy(hdr + w, line, colon + 1);
				w += colon + 1;
				hdr[w++] = ' ';
				memcpy(hdr + w, num, (size_t)k);
				w += (size_t)k;
				hdr[w++] = '\r';
				hdr[w++] = '\n';
				blen_pos = w;
				continue;
			}
			memcpy(hdr + w, line, len);
			w += len;
		}
		if (!blen_pos || w + blen > cap || w > body_off + 32) {
			free(hdr);
			return 0;
		}
		memmove(out + w, out + body_off, blen);
		memcpy(out, hdr, w);
		free(hdr);
		return w + blen;
	}
}
