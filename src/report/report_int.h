/* sipsift — helpers shared by the text report writers. */
#ifndef SIPSIFT_REPORT_INT_H
#define SIPSIFT_REPORT_INT_H

#include <stdio.h>

#include "sipsift/common.h"
#include "sipsift/report.h"

/* Capture time as UTC "2026-11-26 06:13:34.123456" (never local time: the
 * same capture prints the same everywhere). Returns buf. */
const char *sift_fmt_ts(sift_time t, char *buf, size_t len);

/* Writes packet text with control characters (C0, DEL, C1), malformed
 * UTF-8 and bidi formatting characters replaced by '?': never send them
 * to a terminal. At most max characters (0: no limit); returns the number
 * of characters written. */
size_t sift_put_text(FILE *f, const char *s, size_t max);

/* "alice@example.com" from "sip:alice@example.com;user=phone": what a
 * person calls the party. Writes into buf. */
const char *sift_uri_short(const char *uri, char *buf, size_t len);

/* The call's DTMF digits in order as one string ("123#", other event
 * codes as "[E16]"), cut to fit len with a "+" at the end when cut.
 * Returns the number of events. */
size_t sift_dtmf_digits(const struct sift_report *r, const struct sift_call *c,
			char *buf, size_t len);

#endif
