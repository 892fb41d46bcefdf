/* sipsift — a call's DTMF digits as one string, for the call lists of the
 * text and dtmf reports. A file of its own so that the report writers
 * depend on it and on the shared formatters, never on each other. */
#include <string.h>

#include "sipsift/report.h"
#include "report/report_int.h"

size_t sift_dtmf_digits(const struct sift_report *r, const struct sift_call *c,
			char *buf, size_t len)
{
	const struct sift_dtmf_event *ev;
	size_t n, used = 0;

	ev = sift_dtmf_events(r->dtmf, c, &n);
	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < n && len; i++) {
		size_t dl = strlen(ev[i].digit);

		/* Codes beyond the digits read as "[E16]" in a row of
		 * digits. */
		if (dl > 1) {
			if (used + dl + 2 >= len)
				goto more;
			buf[used++] = '[';
			memcpy(buf + used, ev[i].digit, dl);
			used += dl;
			buf[used++] = ']';
		} else {
			if (used + 1 >= len)
				goto more;
			buf[used++] = ev[i].digit[0];
		}
		buf[used] = '\0';
	}
	return n;
more:
	/* More digits than fit: a "+" says so (sipsift dtmf lists each). */
	if (used + 1 < len)
		buf[used++] = '+';
	else if (used)
		buf[used - 1] = '+';
	buf[used] = '\0';
	return n;
}
