/* sipsift — what a raw SIP start line says (see start_line.h). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "sip/start_line.h"

static bool is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

void sift_sip_start_line_what(const uint8_t *p, size_t n, char *method,
			      size_t mlen, int *status)
{
	size_t i = 0;

	*status = 0;
	if (n >= 12 && memcmp(p, "SIP/2.0 ", 8) == 0 && is_digit(p[8]) &&
	    is_digit(p[9]) && is_digit(p[10])) {
		*status = (p[8] - '0') * 100 + (p[9] - '0') * 10 + (p[10] - '0');
		return;
	}
	while (i < n && i + 1 < mlen && p[i] > ' ' && p[i] < 0x7f) {
		method[i] = (char)p[i];
		i++;
	}
	method[i] = '\0';
	if (!i)
		snprintf(method, mlen, "?");
}
