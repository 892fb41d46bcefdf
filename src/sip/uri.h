/* sipsift — SIP URIs and Route lists as the checks compare them (RFC 3261
 * §19.1.4, §20.30, §20.34): on the strings kept in the model, which are
 * NUL-terminated copies made by sip_msg.c. */
#ifndef SIPSIFT_URI_H
#define SIPSIFT_URI_H

#include "sipsift/common.h"

/* SIP URI equality for what the rules compare (RFC 3261 §19.1.4, the part
 * that matters on a trace): scheme, user, host (case-insensitive) and port
 * (5060 when absent, 5061 for sips), ignoring display names, angle
 * brackets and parameters. A URI that does not split that way (no scheme,
 * a port that is no number up to 65535) equals only the same text. NULL
 * equals only NULL. */
bool sift_uri_eq(const char *a, const char *b);

/* The n-th (0-based) URI of a Route/Record-Route value list, copied into
 * buf without brackets or parameters after '>'; false past the end. */
bool sift_route_nth(const char *list, size_t n, char *buf, size_t len);
size_t sift_route_count(const char *list);

/* Does the URI carry the ;lr parameter (RFC 3261 §19.1.1)? */
bool sift_uri_has_lr(const char *uri);

/* "1.2.3.4" of an address, without port. */
const char *sift_ip_str(const struct sift_addr *a, char *buf, size_t len);

/* Does URI (host and port, default 5060) name address a? */
bool sift_uri_is_addr(const char *uri, const struct sift_addr *a);

#endif
