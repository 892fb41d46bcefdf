/* libFuzzer target for decrypt -w's SIP rewrite (src/media/media_plain.c):
 * a SIP message whose SDP is made plain RTP, its Content-Length rewritten.
 *
 * The input is the message; its body begins after the first empty line
 * (or there is none). The rewrite runs into a buffer of the room decrypt
 * gives it, and again into one just as long as the input and into one
 * that is too short by a byte. Invariants checked (abort() on violation,
 * and AddressSanitizer on any write past the room): a result fits the
 * room; the rewritten body has no "a=crypto:" line and no m= line that
 * says "RTP/SAVP"; its header block still ends in an empty line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sipsift/media.h"
#include "util/span.h"

#include "fuzz_check.h"

static void one(const uint8_t *data, size_t size, size_t body, size_t cap)
{
	uint8_t *out = malloc(cap ? cap : 1);
	size_t n, nb;

	if (!out)
		return;
	n = sift_media_plain_sip(data, size, body, out, cap);
	check(n <= cap);
	if (n) {
		struct sift_span all = sift_span_of(out, n), rest;

		nb = sift_span_blank_line(out, n);
		check(nb > 0);
		rest = sift_span_sub(all, nb, n);
		while (rest.n) {
			struct sift_span line;

			sift_span_split(&rest, '\n', &line);
			check(!sift_span_prefix(line, "a=crypto:", NULL));
			check(!sift_span_prefix(line, "m=", NULL) ||
			      sift_span_find_str(line, "RTP/SAVP") == line.n);
		}
	}
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t body = sift_span_blank_line(data, size);

	if (!body)
		body = size;
	one(data, size, body, 65536);
	one(data, size, body, size);
	if (size)
		one(data, size, body, size - 1);
	return 0;
}
