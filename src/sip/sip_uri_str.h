/* sipsift — a URI libosip2 parsed, written back as osip_uri_to_str would
 * write it (held to it by tests/unit/test_sip_uri_str.c). */
#ifndef SIPSIFT_SIP_URI_STR_H
#define SIPSIFT_SIP_URI_STR_H

#include <osipparser2/osip_uri.h>

/* The text, from the parse arena during a parse (libc outside one); NULL
 * where libosip2 fails or out of memory. */
char *sift_sip_uri_str(const osip_uri_t *u);

#endif
