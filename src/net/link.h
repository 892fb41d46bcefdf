/* sipsift — link layers: from a captured frame to its IP packet.
 *
 * Ethernet (802.1Q, QinQ 0x88a8/0x9100, PPPoE session, MPLS), Linux cooked
 * SLL and SLL2, raw IP, BSD loopback (NULL and LOOP), PPP. The tunnel
 * encapsulations that carry Ethernet or IP again (GRE, ERSPAN, VXLAN,
 * IP-in-IP) are unwrapped by the network decoder, which calls back here for
 * the inner frame. */
#ifndef SIPSIFT_LINK_H
#define SIPSIFT_LINK_H

#include "sipsift/common.h"

#define SIFT_LINK_PPP 9

enum sift_l3 {
	SIFT_L3_NONE = 0,   /* not IP (ARP, LLDP, STP, ...): nothing to do */
	SIFT_L3_IPV4,
	SIFT_L3_IPV6
};

struct sift_link_result {
	enum sift_l3 l3;
	size_t offset;      /* where the IP header starts */
};

/* SIFT_OK (l3 may be SIFT_L3_NONE), SIFT_ETRUNC when the frame ends inside
 * a link header, SIFT_EUNSUPPORTED for an unknown link type. */
enum sift_rc sift_link_decode(int linktype, const uint8_t *p, size_t len,
			      struct sift_link_result *r);

bool sift_link_supported(int linktype);

/* Short name of a link type ("ethernet", "linux-sll2", ...), or NULL. */
const char *sift_link_name(int linktype);

#endif
