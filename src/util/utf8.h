/* sipsift — UTF-8 decoding for the writers that must emit valid text
 * (JSON, XML) or inert text (a terminal). Packet text is any bytes. */
#ifndef SIPSIFT_UTF8_H
#define SIPSIFT_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* U+FFFD REPLACEMENT CHARACTER, in UTF-8. */
#define SIFT_UTF8_REPLACEMENT "\xef\xbf\xbd"

/* The length (1-4) of the well-formed UTF-8 sequence at s, of at most n
 * bytes, with its code point in *cp; 0 when s does not start one
 * (a stray continuation byte, an overlong form, a surrogate, past
 * U+10FFFF, cut short). RFC 3629 §4. */
size_t sift_utf8_next(const char *s, size_t n, uint32_t *cp);

/* A code point that must not reach a terminal as it is: C0 and C1
 * controls, DEL, and the bidirectional formatting characters that
 * reorder what follows (U+061C, U+200E-U+200F, U+202A-U+202E,
 * U+2066-U+2069; Unicode TR 9). */
int sift_utf8_unsafe(uint32_t cp);

#endif
