/* sipsift — helpers shared by the text report writers. */
#ifndef SIPSIFT_REPORT_INT_H
#define SIPSIFT_REPORT_INT_H

#include <stdio.h>

#include "sipsift/common.h"
#include "sipsift/report.h"

/* The path of input file (as given), "?" for an index past them. */
static inline const char *sift_input_path(const struct sift_report *r,
					  uint32_t file)
{
	return file < r->ninputs ? r->inputs[file].path : "?";
}

/* Capture time as UTC "2026-11-26 06:13:34.123456" (never local time: the
 * same capture prints the same everywhere). Returns buf. */
const char *sift_fmt_ts(sift_time t, char *buf, size_t len);
/* "HH:MM:SS.uuuuuu" of t (UTC), for any t; buf. */
const char *sift_fmt_tod(sift_time t, char *buf, size_t len);
/* "%.*f" of v with prec 0 to 6 into buf (len >= 32), as glibc writes it,
 * made by integer arithmetic where it can; buf. */
const char *sift_fmt_fixed(double v, unsigned prec, char *buf, size_t len);

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

/* The RFC 4734 name of a telephone-event that is not a digit ("E32":
 * "ANS", "E33": "/ANS", ...), or NULL (report_digits.c). */
const char *sift_dtmf_event_name(const char *digit);

/* For a terminal (report_term.c). */

#define SIFT_ELLIPSIS "\xe2\x80\xa6"   /* "…": a value cut to fit */
#define SIFT_SGR_GOOD "32"               /* answered, ended */
#define SIFT_SGR_WARN "33"               /* cancelled, no-answer, warning */
#define SIFT_SGR_BAD "31"                /* rejected, failed, no-ack, error */
#define SIFT_SGR_INFO "36"               /* in-progress, info */
#define SIFT_SGR_SDP "35"                /* the (SDP) mark */

/* The columns sift_put_text takes to write s. */
size_t sift_text_width(const char *s);

/* n spaces (fprintf's "%*s" cost ten times as much, per cell of the
 * calls table). */
void sift_put_pad(FILE *f, size_t n);

/* s in a cell of width columns, padded with spaces (on the left when
 * right); longer, it is cut and ends in "…". sgr: an SGR colour for the
 * text, or NULL. */
void sift_put_cell(FILE *f, const char *s, size_t width, bool right,
		   const char *sgr);

/* s (as sift_put_text) in colour sgr when to asks for colour. */
void sift_put_colored(FILE *f, const struct sift_text_opts *to,
		      const char *sgr, const char *s);

const char *sift_state_sgr(enum sift_call_state s);
const char *sift_severity_sgr(enum sift_severity s);

bool sift_same_day(sift_time a, sift_time b);

/* t as --time asks: absolute "06:13:34.123456" ("2026-11-26 06:13:34..."
 * with date), relative to base or to prev as "+1.234567"; digits (3 or 6)
 * after the second. Returns buf. */
const char *sift_fmt_when(const struct sift_text_opts *to, sift_time t,
			  sift_time base, sift_time prev, bool date,
			  int digits, char *buf, size_t len);

/* The first packet's time over all inputs; whether the inputs' packets
 * fall on more than one UTC day. */
sift_time sift_capture_start(const struct sift_report *r);
bool sift_capture_spans_days(const struct sift_report *r);

#endif
