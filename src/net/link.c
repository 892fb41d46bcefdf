/* sipsift — link-layer decoding down to the IP header. */
#include "capture/capture.h"
#include "net/link.h"

#define ETH_IPV4    0x0800
#define ETH_IPV6    0x86dd
#define ETH_VLAN    0x8100
#define ETH_QINQ    0x88a8
#define ETH_QINQ_OLD 0x9100
#define ETH_PPPOE_S 0x8864
#define ETH_MPLS    0x8847
#define ETH_MPLS_MC 0x8848

#define PPP_IPV4 0x0021
#define PPP_IPV6 0x0057

/* Tags and labels we are willing to peel off one frame: bounds the loop on
 * a frame made of nothing but VLAN tags. */
#define MAX_TAGS 8

static const struct {
	int type;
	const char *name;
} link_names[] = {
	{ SIFT_LINK_NULL, "null" },
	{ SIFT_LINK_ETHERNET, "ethernet" },
	{ SIFT_LINK_PPP, "ppp" },
	{ SIFT_LINK_RAW, "raw" },
	{ SIFT_LINK_LOOP, "loop" },
	{ SIFT_LINK_LINUX_SLL, "linux-sll" },
	{ SIFT_LINK_IPV4, "ipv4" },
	{ SIFT_LINK_IPV6, "ipv6" },
	{ SIFT_LINK_LINUX_SLL2, "linux-sll2" },
};

const char *sift_link_name(int linktype)
{
	for (size_t i = 0; i < sizeof(link_names) / sizeof(link_names[0]); i++)
		if (link_names[i].type == linktype)
			return link_names[i].name;
	return NULL;
}

bool sift_link_supported(int linktype)
{
	return sift_link_name(linktype) != NULL;
}

static void set_l3_ethertype(uint16_t type, size_t off,
			     struct sift_link_result *r)
{
	r->offset = off;
	if (type == ETH_IPV4)
		r->l3 = SIFT_L3_IPV4;
	else if (type == ETH_IPV6)
		r->l3 = SIFT_L3_IPV6;
	else
		r->l3 = SIFT_L3_NONE;
}

/* The first nibble of an IP header says which version it is (raw IP link
 * types, MPLS payloads). */
static void set_l3_by_version(const uint8_t *p, size_t len, size_t off,
			      struct sift_link_result *r)
{
	r->offset = off;
	r->l3 = SIFT_L3_NONE;
	if (off >= len)
		return;
	if ((p[off] >> 4) == 4)
		r->l3 = SIFT_L3_IPV4;
	else if ((p[off] >> 4) == 6)
		r->l3 = SIFT_L3_IPV6;
}

static enum sift_rc decode_ppp(const uint8_t *p, size_t len, size_t off,
			       struct sift_link_result *r)
{
	uint16_t proto;

	/* Address/control 0xff 0x03 may be present (RFC 1662) or compressed
	 * away; the protocol field may be one byte (RFC 1661 §6.5). */
	if (len > off && p[off] == 0xff && (len - off < 2 || p[off + 1] == 0x03))
		off += 2;
	if (off >= len)
		return SIFT_ETRUNC;
	if (p[off] & 1) {
		proto = p[off];
		off += 1;
	} else {
		if (len - off < 2)
			return SIFT_ETRUNC;
		proto = sift_be16(p + off);
		off += 2;
	}
	r->offset = off;
	r->l3 = proto == PPP_IPV4 ? SIFT_L3_IPV4 :
		proto == PPP_IPV6 ? SIFT_L3_IPV6 : SIFT_L3_NONE;
	return SIFT_OK;
}

/* Ethernet II with any stack of 802.1Q/802.1ad tags, then PPPoE session or
 * MPLS. 802.3 length frames (type < 0x600) carry LLC, never IP here. */
static enum sift_rc decode_ether(const uint8_t *p, size_t len,
				 struct sift_link_result *r)
{
	size_t off = 12;
	uint16_t type;

	if (len < 14)
		return SIFT_ETRUNC;
	type = sift_be16(p + off);
	off += 2;
	for (int i = 0; i < MAX_TAGS; i++) {
		if (type == ETH_VLAN || type == ETH_QINQ || type == ETH_QINQ_OLD) {
			if (len - off < 4)
				return SIFT_ETRUNC;
			type = sift_be16(p + off + 2);
			off += 4;
		} else if (type == ETH_PPPOE_S) {
			/* RFC 2516 §4: 6-byte PPPoE header, then PPP. */
			if (len - off < 6)
				return SIFT_ETRUNC;
			return decode_ppp(p, len, off + 6, r);
		} else if (type == ETH_MPLS || type == ETH_MPLS_MC) {
			/* RFC 3032: labels until bottom-of-stack, then IP. */
			for (int j = 0; j < MAX_TAGS; j++) {
				if (len - off < 4)
					return SIFT_ETRUNC;
				off += 4;
				if (p[off - 2] & 0x01) {
					set_l3_by_version(p, len, off, r);
					return SIFT_OK;
				}
			}
			r->l3 = SIFT_L3_NONE;
			return SIFT_OK;
		} else {
			break;
		}
	}
	set_l3_ethertype(type, off, r);
	return SIFT_OK;
}

/* BSD loopback: a 4-byte address family, in host order of the capturing
 * machine (NULL) or network order (LOOP). AF_INET6 differs between BSDs
 * (24, 28, 30) and Linux (10). */
static enum sift_rc decode_null(const uint8_t *p, size_t len, bool big,
				struct sift_link_result *r)
{
	uint32_t af;

	if (len < 4)
		return SIFT_ETRUNC;
	af = big ? sift_be32(p) : sift_le32(p);
	/* NULL is host order of the writer: a big-endian writer's value
	 * read as little-endian has the family in the top byte. */
	if (!big && (af & 0xffff0000u) && !(af & 0xffff))
		af = sift_be32(p);
	r->offset = 4;
	if (af == 2)
		r->l3 = SIFT_L3_IPV4;
	else if (af == 10 || af == 24 || af == 28 || af == 30)
		r->l3 = SIFT_L3_IPV6;
	else
		r->l3 = SIFT_L3_NONE;
	return SIFT_OK;
}

enum sift_rc sift_link_decode(int linktype, const uint8_t *p, size_t len,
			      struct sift_link_result *r)
{
	r->l3 = SIFT_L3_NONE;
	r->offset = 0;
	switch (linktype) {
	case SIFT_LINK_ETHERNET:
		return decode_ether(p, len, r);
	case SIFT_LINK_LINUX_SLL:
		/* 16-byte header, protocol type in the last two bytes. */
		if (len < 16)
			return SIFT_ETRUNC;
		set_l3_ethertype(sift_be16(p + 14), 16, r);
		return SIFT_OK;
	case SIFT_LINK_LINUX_SLL2:
		/* 20-byte header, protocol type first. */
		if (len < 20)
			return SIFT_ETRUNC;
		set_l3_ethertype(sift_be16(p), 20, r);
		return SIFT_OK;
	case SIFT_LINK_RAW:
		set_l3_by_version(p, len, 0, r);
		return len ? SIFT_OK : SIFT_ETRUNC;
	case SIFT_LINK_IPV4:
		r->l3 = SIFT_L3_IPV4;
		return SIFT_OK;
	case SIFT_LINK_IPV6:
		r->l3 = SIFT_L3_IPV6;
		return SIFT_OK;
	case SIFT_LINK_NULL:
		return decode_null(p, len, false, r);
	case SIFT_LINK_LOOP:
		return decode_null(p, len, true, r);
	case SIFT_LINK_PPP:
		return decode_ppp(p, len, 0, r);
	default:
		return SIFT_EUNSUPPORTED;
	}
}
