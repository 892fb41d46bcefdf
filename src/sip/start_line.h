/* sipsift — what a raw SIP start line says, for a message that did not
 * parse (RFC 3261 §7.1, §7.2): its method or its status code. */
#ifndef SIPSIFT_START_LINE_H
#define SIPSIFT_START_LINE_H

#include <stddef.h>
#include <stdint.h>

/* From the n bytes at p: *status the status code of a response
 * ("SIP/2.0 NNN"), else 0 and method the leading token (printable, cut to
 * fit mlen, at least 1), "?" when there is none. */
void sift_sip_start_line_what(const uint8_t *p, size_t n, char *method,
			      size_t mlen, int *status);

#endif
