/* sipsift — a call's DTMF digits as one string, for the call lists of the
 * text and dtmf reports. A file of its own so that the report writers
 * depend on it and on the shared formatters, never on each other. */
#include <stdlib.h>
#include <string.h>

#include "util/span.h"
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
		const char *name = sift_dtmf_event_name(ev[i].digit);
		const char *d = name ? name : ev[i].digit;
		size_t dl = strlen(d);

		/* Codes beyond the digits read as "[E16]" in a row of
		 * digits. */
		if (dl > 1) {
			if (used + dl + 2 >= len)
				goto more;
			buf[used++] = '[';
			memcpy(buf + used, d, dl);
			used += dl;
			buf[used++] = ']';
		} else {
			if (used + 1 >= len)
				goto more;
			buf[used++] = d[0];
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

/* RFC 4734 §2 (and the IANA audio/telephone-event registry): the modem,
 * fax and text telephony events, 23-49. */
static const char *const rfc4734[] = {
	[23] = "CRdSeg", [24] = "CReSeg", [25] = "MRdSeg", [26] = "MReSeg",
	[27] = "V32AC", [28] = "V8bISeg", [29] = "V8bRSeg",
	[30] = "V21L300", [31] = "V21H300", [32] = "ANS", [33] = "/ANS",
	[34] = "ANSam", [35] = "/ANSam", [36] = "CNG", [37] = "V21C1-0",
	[38] = "V21C1-1", [39] = "V21C2-0", [40] = "V21C2-1", [41] = "CRdi",
	[42] = "CRdr", [43] = "CRe", [44] = "ESi", [45] = "ESr", [46] = "MRdi",
	[47] = "MRdr", [48] = "MRe", [49] = "CT",
};

const char *sift_dtmf_event_name(const char *digit)
{
	uint32_t ev;

	if (!digit || digit[0] != 'E' ||
	    !sift_span_u32(sift_span_cstr(digit + 1), UINT32_MAX, &ev) ||
	    ev >= sizeof(rfc4734) / sizeof(rfc4734[0]))
		return NULL;
	return rfc4734[ev];
}
