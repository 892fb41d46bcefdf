/* sipsift — what net.c and net_rewrite.c share: IP protocol numbers and
 * the walk over IPv6 extension headers. */
#ifndef SIPSIFT_NET_INT_H
#define SIPSIFT_NET_INT_H

#include <stddef.h>
#include <stdint.h>

#include "util/cursor.h"

#define MAX_EXT_HDRS 16    /* IPv6 extension headers in one packet */
#define PROTO_HOPOPTS 0
#define PROTO_ICMP 1
#define PROTO_IPIP 4
#define PROTO_IPV6 41
#define PROTO_ROUTING 43
#define PROTO_FRAGMENT 44
#define PROTO_GRE 47
#define PROTO_ESP 50
#define PROTO_AH 51
#define PROTO_ICMPV6 58
#define PROTO_NONE 59
#define PROTO_DSTOPTS 60
#define PROTO_MOBILITY 135

/* One IPv6 extension header (RFC 8200 §4) at the cursor: its length, or 0
 * when next is not one we walk over. */
size_t sift_ip6_ext_len(struct sift_cur *k, uint8_t next);

#endif
