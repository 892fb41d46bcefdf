/* sipsift — link-layer decoding down to the IP header. */
#include "capture/capture.h"
#include "net/link.h"
#include "util/cursor.h"

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

/* Asked for every packet: a switch, not the walk of the names (15
 * instructions a packet). test_link holds it to sift_link_name. */
bool sift_link_supported(int linktype)
{
	switch (linktype) {
	case SIFT_LINK_NULL:
	case SIFT_LINK_ETHERNET:
	case SIFT_LINK_PPP:
	case SIFT_LINK_RAW:
	case SIFT_LINK_LOOP:
	case SIFT_LINK_LINUX_SLL:
	case SIFT_LINK_IPV4:
	case SIFT_LINK_IPV6:
	case SIFT_LINK_LINUX_SLL2:
		return true;
	default:
		return false;
	}
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
 * types, MPLS payloads). Nothing left is no IP. */
static void set_l3_by_version(struct sift_cur *c, struct sift_link_result *r)
{
	uint8_t v;

	r->offset = c->off;
	r->l3 = SIFT_L3_NONE;
	if (!sift_cur_has(c, 1))
		return;
	v = sift_cur_peek_u8(c, 0) >> 4;
	if (v == 4)
		r->l3 = SIFT_L3_IPV4;
	else if (v == 6)
		r->l3 = SIFT_L3_IPV6;
}

static enum sift_rc decode_ppp(struct sift_cur *c, struct sift_link_result *r)
{
	uint16_t proto;

	/* Address/control 0xff 0x03 may be present (RFC 1662) or compressed
	 * away; the protocol field may be one byte (RFC 1661 §6.5). */
	if (sift_cur_has(c, 1) && sift_cur_peek_u8(c, 0) == 0xff &&
	    (!sift_cur_has(c, 2) || sift_cur_peek_u8(c, 1) == 0x03))
		sift_cur_skip(c, 2);
	proto = sift_cur_u8(c);
	if (!(proto & 1))
		proto = (uint16_t)(proto << 8 | sift_cur_u8(c));
	if (c->cut)
		return SIFT_ETRUNC;
	r->offset = c->off;
	r->l3 = proto == PPP_IPV4 ? SIFT_L3_IPV4 :
		proto == PPP_IPV6 ? SIFT_L3_IPV6 : SIFT_L3_NONE;
	return SIFT_OK;
}

/* RFC 3032: labels until bottom-of-stack, then IP. */
static enum sift_rc decode_mpls(struct sift_cur *c, struct sift_link_result *r)
{
	for (int j = 0; j < MAX_TAGS; j++) {
		uint32_t label = sift_cur_be32(c);

		if (c->cut)
			return SIFT_ETRUNC;
		if (label & 0x100) {
			set_l3_by_version(c, r);
			return SIFT_OK;
		}
	}
	r->l3 = SIFT_L3_NONE;
	return SIFT_OK;
}

/* Ethernet II with any stack of 802.1Q/802.1ad tags, then PPPoE session or
 * MPLS. 802.3 length frames (type < 0x600) carry LLC, never IP here. */
static enum sift_rc decode_ether(struct sift_cur *c, struct sift_link_result *r)
{
	uint16_t type;

	sift_cur_skip(c, 12);                   /* destination, source */
	type = sift_cur_be16(c);
	if (c->cut)
		return SIFT_ETRUNC;
	for (int i = 0; i < MAX_TAGS; i++) {
		if (type == ETH_VLAN || type == ETH_QINQ || type == ETH_QINQ_OLD) {
			sift_cur_skip(c, 2);    /* priority, VLAN id */
			type = sift_cur_be16(c);
			if (c->cut)
				return SIFT_ETRUNC;
		} else if (type == ETH_PPPOE_S) {
			/* RFC 2516 §4: 6-byte PPPoE header, then PPP. */
			sift_cur_skip(c, 6);
			if (c->cut)
				return SIFT_ETRUNC;
			return decode_ppp(c, r);
		} else if (type == ETH_MPLS || type == ETH_MPLS_MC) {
			return decode_mpls(c, r);
		} else {
			break;
		}
	}
	set_l3_ethertype(type, c->off, r);
	return SIFT_OK;
}

/* BSD loopback: a 4-byte address family, in host order of the capturing
 * machine (NULL) or network order (LOOP). AF_INET6 differs between BSDs
 * (24, 28, 30) and Linux (10). */
static enum sift_rc decode_null(struct sift_cur *c, bool big,
				struct sift_link_result *r)
{
	struct sift_cur be = *c;
	uint32_t af;

	af = big ? sift_cur_be32(c) : sift_cur_le32(c);
	if (c->cut)
		return SIFT_ETRUNC;
	/* NULL is host order of the writer: a big-endian writer's value
	 * read as little-endian has the family in the top byte. */
	if (!big && (af & 0xffff0000u) && !(af & 0xffff))
		af = sift_cur_be32(&be);
	r->offset = 4;
	if (af == 2)
		r->l3 = SIFT_L3_IPV4;
	else if (af == 10 || af == 24 || af == 28 || af == 30)
		r->l3 = SIFT_L3_IPV6;
	else
		r->l3 = SIFT_L3_NONE;
	return SIFT_OK;
}

/* Linux cooked capture: SLL has a 16-byte header with the protocol type in
 * its last two bytes, SLL2 a 20-byte one with it first. */
static enum sift_rc decode_sll(struct sift_cur *c, bool v2,
			       struct sift_link_result *r)
{
	uint16_t type;

	if (!v2)
		sift_cur_skip(c, 14);
	type = sift_cur_be16(c);
	if (v2)
		sift_cur_skip(c, 18);
	if (c->cut)
		return SIFT_ETRUNC;
	set_l3_ethertype(type, c->off, r);
	return SIFT_OK;
}

enum sift_rc sift_link_decode(int linktype, const uint8_t *p, size_t len,
			      struct sift_link_result *r)
{
	struct sift_cur c = sift_cur_make(p, len);

	/* Untagged Ethernet with IP, most frames of most captures, without
	 * the walk below (its cursor checks were 50 instructions a frame,
	 * 2 % of a capture of RTP, callgrind). */
	if (linktype == SIFT_LINK_ETHERNET && len >= 14) {
		uint16_t type = sift_cur_peek_be16(&c, 12);

		if (type == ETH_IPV4 || type == ETH_IPV6) {
			r->l3 = type == ETH_IPV4 ? SIFT_L3_IPV4 : SIFT_L3_IPV6;
			r->offset = 14;
			return SIFT_OK;
		}
	}
	r->l3 = SIFT_L3_NONE;
	r->offset = 0;
	switch (linktype) {
	case SIFT_LINK_ETHERNET:
		return decode_ether(&c, r);
	case SIFT_LINK_LINUX_SLL:
		return decode_sll(&c, false, r);
	case SIFT_LINK_LINUX_SLL2:
		return decode_sll(&c, true, r);
	case SIFT_LINK_RAW:
		set_l3_by_version(&c, r);
		return len ? SIFT_OK : SIFT_ETRUNC;
	case SIFT_LINK_IPV4:
		r->l3 = SIFT_L3_IPV4;
		return SIFT_OK;
	case SIFT_LINK_IPV6:
		r->l3 = SIFT_L3_IPV6;
		return SIFT_OK;
	case SIFT_LINK_NULL:
		return decode_null(&c, false, r);
	case SIFT_LINK_LOOP:
		return decode_null(&c, true, r);
	case SIFT_LINK_PPP:
		return decode_ppp(&c, r);
	default:
		return SIFT_EUNSUPPORTED;
	}
}
