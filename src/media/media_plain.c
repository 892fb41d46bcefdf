/* sipsift — media: the SIP message of decrypt -w, its SDP made plain RTP.
 * The text is read as spans and its headers with the one header walker
 * (util/span.h); every write is checked against the room it goes to. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "media/media_int.h"
#include "util/span.h"

/* The Content-Length line may grow by this much in all (the new length
 * has more digits than the old, a space is added). */
#define HDR_SLACK 32

/* Appends n bytes to buf (*o of cap used); false when they do not fit. */
static bool put(uint8_t *buf, size_t cap, size_t *o, const void *p, size_t n)
{
	if (n > cap - *o)
		return false;
	memcpy(buf + *o, p, n);
	*o += n;
	return true;
}

/* The SDP body into out from *o on: a=crypto lines left out, "RTP/SAVP"
 * in m= lines written "RTP/AVP". *changed says whether anything was. */
static bool plain_body(struct sift_span body, uint8_t *out, size_t cap,
		       size_t *o, bool *changed)
{
	while (body.n) {
		struct sift_span line = sift_span_sub(body, 0,
						      sift_span_find(body, '\n') + 1);

		body = sift_span_sub(body, line.n, body.n);
		if (sift_span_prefix(line, "a=crypto:", NULL)) {
			*changed = true;
			continue;
		}
		if (!sift_span_prefix(line, "m=", NULL)) {
			if (!put(out, cap, o, line.p, line.n))
				return false;
			continue;
		}
		for (;;) {
			size_t j = sift_span_find_str(line, "RTP/SAVP");

			if (!put(out, cap, o, line.p, j))
				return false;
			if (j == line.n)
				break;
			if (!put(out, cap, o, "RTP/AVP", 7))
				return false;
			line = sift_span_sub(line, j + 8, line.n);
			*changed = true;
		}
	}
	return true;
}

/* The header block msg[0, n) into hdr (cap bytes), the Content-Length
 * header (or l) saying num; 0 when it has none or hdr is too small. */
static size_t plain_headers(const uint8_t *msg, size_t n, const char *num,
			    uint8_t *hdr, size_t cap)
{
	struct sift_hdr_iter it;
	struct sift_hdr h;
	size_t w = 0, from;
	bool found = false;

	sift_hdr_iter_init(&it, msg, n, true);
	/* The start line (and CRLFs before it) as it was. */
	from = it.pos;
	if (!put(hdr, cap, &w, msg, from))
		return 0;
	while (sift_hdr_next(&it, &h)) {
		if (sift_hdr_is(&h, "content-length", "l")) {
			/* The name as sent, up to its colon. */
			size_t colon = sift_span_find(h.line, ':');

			if (!put(hdr, cap, &w, h.line.p, colon + 1) ||
			    !put(hdr, cap, &w, " ", 1) ||
			    !put(hdr, cap, &w, num, strlen(num)) ||
			    !put(hdr, cap, &w, "\r\n", 2))
				return 0;
			found = true;
		} else if (!put(hdr, cap, &w, msg + from, it.pos - from)) {
			return 0;
		}
		from = it.pos;
	}
	/* The empty line that ends the block. */
	if (!put(hdr, cap, &w, msg + from, n - from))
		return 0;
	return found ? w : 0;
}

size_t sift_media_plain_sip(const uint8_t *msg, size_t n, size_t body_off,
			    uint8_t *out, size_t cap)
{
	size_t o, blen, w;
	bool changed = false;
	char num[24];
	uint8_t *hdr;

	if (body_off > n || body_off > cap)
		return 0;
	/* The body first, into place after a header block of the same size;
	 * the headers are copied afterwards with the new Content-Length. */
	o = body_off;
	if (!plain_body(sift_span_of(msg + body_off, n - body_off), out, cap,
			&o, &changed) || !changed)
		return 0;
	blen = o - body_off;
	snprintf(num, sizeof(num), "%zu", blen);
	hdr = malloc(body_off + HDR_SLACK);
	if (!hdr)
		return 0;
	w = plain_headers(msg, body_off, num, hdr, body_off + HDR_SLACK);
	if (!w || w > cap - blen) {
		free(hdr);
		return 0;
	}
	memmove(out + w, out + body_off, blen);
	memcpy(out, hdr, w);
	free(hdr);
	return w + blen;
}
