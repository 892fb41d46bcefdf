/* sipsift — IPv4/IPv6, UDP/TCP/SCTP headers and tunnels.
 *
 * A frame is peeled layer by layer in one bounded loop: link header, IP
 * header (and extension headers), then either a transport header or a
 * tunnel whose inner frame or packet goes round the loop again. Only the
 * outermost IP layer is reassembled from fragments: the reassembled buffer
 * belongs to the defragmenter until its next call. */
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "net/link.h"
#include "net/net.h"
#include "net/net_int.h"
#include "net/tcp_reasm.h"
#include "util/cursor.h"
#include "util/strmap.h"

#define MAX_DEPTH 4        /* tunnels inside tunnels */

#define GRE_IPV4 0x0800
#define GRE_IPV6 0x86dd
#define GRE_TEB 0x6558       /* transparent Ethernet bridging */
#define GRE_PPP 0x880b
#define GRE_ERSPAN2 0x88be   /* type I without a sequence number */
#define GRE_ERSPAN3 0x22eb

#define VXLAN_PORT 4789
#define VXLAN_PORT_LINUX 8472

struct sift_net {
	struct sift_defrag *defrag;
	struct sift_net_stats st;
	uint64_t frag_key;      /* the last frame's IP fragment, 0: none */
	uint8_t frag_proto;     /* and the protocol its datagram carries */
};

struct sift_net *sift_net_new(const struct sift_defrag_limits *lim)
{
	struct sift_net *n = calloc(1, sizeof(*n));
	struct sift_defrag_limits def;

	if (!n)
		return NULL;
	if (!lim) {
		sift_defrag_limits_default(&def);
		lim = &def;
	}
	n->defrag = sift_defrag_new(lim);
	if (!n->defrag) {
		free(n);
		return NULL;
	}
	return n;
}

void sift_net_free(struct sift_net *n)
{
	if (!n)
		return;
	sift_defrag_free(n->defrag);
	free(n);
}

void sift_net_expire(struct sift_net *n, sift_time now)
{
	sift_defrag_expire(n->defrag, now);
}

const struct sift_net_stats *sift_net_stats(const struct sift_net *n)
{
	return &n->st;
}

uint64_t sift_net_frag_key(const struct sift_net *n)
{
	return n->frag_key;
}

uint8_t sift_net_frag_proto(const struct sift_net *n)
{
	return n->frag_proto;
}

const struct sift_defrag_stats *sift_net_defrag_stats(const struct sift_net *n)
{
	return sift_defrag_stats(n->defrag);
}

/* What the loop looks at next. */
enum layer {
	L_LINK,     /* a frame of link type 'linktype' */
	L_IP4,
	L_IP6,
	L_DONE
};

struct walk {
	enum layer layer;
	int linktype;
	const uint8_t *p;
	size_t len;        /* bytes present */
	bool cut;          /* fewer bytes present than the headers claim */
	bool defragged;    /* the outer IP packet was reassembled already */
};

/* IP payload found: protocol, addresses and where it lies. */
struct ipinfo {
	uint8_t proto;
	uint8_t family;
	uint8_t src[16];
	uint8_t dst[16];
	const uint8_t *p;
	size_t len;
};

static void set_addr(struct sift_addr *a, uint8_t family, const uint8_t *ip,
		     uint16_t port)
{
	memset(a, 0, sizeof(*a));
	a->family = family;
	/* Sizes the compiler knows: two moves, not a call to memcpy. */
	if (family == 4)
		memcpy(a->ip, ip, 4);
	else
		memcpy(a->ip, ip, 16);
	a->port = port;
}

/* Hands a fragment to the reassembler; on completion the cursor's payload
 * becomes the whole datagram. Returns false when there is nothing more to do
 * with this frame yet. */
static bool defrag(struct sift_net *n, struct walk *c, struct ipinfo *ip,
		   uint32_t id, uint32_t offset, bool more, sift_time ts)
{
	struct sift_frag f;
	const uint8_t *out = NULL;
	size_t out_len = 0;

	n->st.fragments++;
	if (c->cut || c->defragged) {
		/* A cut fragment would poison the datagram; a fragment inside a
		 * reassembled tunnel would reuse the buffer we are reading. */
		n->st.invalid++;
		return false;
	}
	memset(&f, 0, sizeof(f));
	f.family = ip->family;
	f.proto = ip->proto;
	memcpy(f.src, ip->src, 16);
	memcpy(f.dst, ip->dst, 16);
	f.id = id;
	/* Which datagram this frame is a piece of (extract writes every
	 * fragment of a datagram it keeps); never 0. */
	{
		uint8_t key[38];

		key[0] = f.family;
		key[1] = f.proto;
		memcpy(key + 2, f.src, 16);
		memcpy(key + 18, f.dst, 16);
		memcpy(key + 34, &id, 4);
		n->frag_key = sift_hash(key, sizeof(key)) | 1;
		n->frag_proto = f.proto;
	}
	f.offset = offset;
	f.more = more;
	f.data = ip->p;
	f.len = ip->len;
	if (sift_defrag_add(n->defrag, &f, ts, &out, &out_len) != SIFT_OK ||
	    !out)
		return false;
	ip->p = out;
	ip->len = out_len;
	c->defragged = true;
	return true;
}

/* RFC 791 §3.1. Returns false when the frame ends here. */
static bool decode_ip4(struct sift_net *n, struct walk *c,
		       struct ipinfo *ip, sift_time ts)
{
	struct sift_cur k = sift_cur_make(c->p, c->len);
	size_t hl, tl;
	uint16_t id, frag;
	uint8_t vhl;

	memset(ip, 0, sizeof(*ip));
	vhl = sift_cur_u8(&k);
	sift_cur_skip(&k, 1);                   /* DSCP, ECN */
	tl = sift_cur_be16(&k);
	id = sift_cur_be16(&k);
	frag = sift_cur_be16(&k);
	sift_cur_skip(&k, 1);                   /* TTL */
	ip->proto = sift_cur_u8(&k);
	sift_cur_skip(&k, 2);                   /* checksum */
	sift_cur_copy(&k, ip->src, 4);
	sift_cur_copy(&k, ip->dst, 4);
	if (k.cut) {
		n->st.cut++;
		return false;
	}
	hl = (size_t)(vhl & 0x0f) * 4;
	if ((vhl >> 4) != 4 || hl < 20 || tl < hl) {
		n->st.invalid++;
		return false;
	}
	k = sift_cur_make(c->p, c->len);
	sift_cur_skip(&k, hl);
	if (k.cut) {
		n->st.cut++;
		return false;
	}
	ip->family = 4;
	ip->p = sift_cur_ptr(&k);
	/* Frames are padded (Ethernet minimum) or cut (snaplen): trust the
	 * total length, but never read past what was captured. */
	if (tl > c->len) {
		c->cut = true;
		ip->len = sift_cur_left(&k);
	} else {
		ip->len = tl - hl;
	}
	if (frag & 0x3fff)
		return defrag(n, c, ip, id, (uint32_t)(frag & 0x1fff) * 8,
			      frag & 0x2000, ts);
	return true;
}

/* One IPv6 extension header (RFC 8200 §4) at the cursor: its length, or 0
 * when next is not one we walk over. */
size_t sift_ip6_ext_len(struct sift_cur *k, uint8_t next)
{
	uint8_t units = sift_cur_peek_u8(k, 1);

	switch (next) {
	case PROTO_HOPOPTS:
	case PROTO_ROUTING:
	case PROTO_DSTOPTS:
	case PROTO_MOBILITY:
		return ((size_t)units + 1) * 8;
	case PROTO_AH:
		/* RFC 4302 §2.2: length in 4-byte units, minus 2. */
		return ((size_t)units + 2) * 4;
	default:
		return 0;
	}
}

/* RFC 8200 §4: walk the extension headers to the upper-layer header. */
static bool decode_ip6(struct sift_net *n, struct walk *c,
		       struct ipinfo *ip, sift_time ts)
{
	struct sift_cur k = sift_cur_make(c->p, c->len);
	size_t plen, hlen;
	uint8_t v, next;

	memset(ip, 0, sizeof(*ip));
	v = sift_cur_u8(&k) >> 4;
	sift_cur_skip(&k, 3);                   /* class, flow label */
	plen = sift_cur_be16(&k);
	next = sift_cur_u8(&k);
	sift_cur_skip(&k, 1);                   /* hop limit */
	sift_cur_copy(&k, ip->src, 16);
	sift_cur_copy(&k, ip->dst, 16);
	if (k.cut) {
		n->st.cut++;
		return false;
	}
	if (v != 6) {
		n->st.invalid++;
		return false;
	}
	ip->family = 6;
	if (plen == 0 || plen > sift_cur_left(&k)) {
		/* Jumbogram (payload length 0, RFC 2675) or cut by snaplen. */
		if (plen != 0)
			c->cut = true;
		plen = sift_cur_left(&k);
	}
	k = sift_cur_sub(&k, plen);             /* without link padding */
	for (int i = 0; i < MAX_EXT_HDRS; i++) {
		if (next == PROTO_FRAGMENT) {
			uint16_t fo;
			uint32_t id;

			ip->proto = sift_cur_u8(&k);
			sift_cur_skip(&k, 1);   /* reserved */
			fo = sift_cur_be16(&k);
			id = sift_cur_be32(&k);
			if (k.cut)
				goto cut;
			ip->p = sift_cur_ptr(&k);
			ip->len = sift_cur_left(&k);
			if ((fo & 0xfff9) == 0) {
				/* Atomic fragment (RFC 6946): offset 0, no M. */
				return true;
			}
			return defrag(n, c, ip, id, (uint32_t)(fo & 0xfff8),
				      fo & 1, ts);
		}
		if (next != PROTO_HOPOPTS && next != PROTO_ROUTING &&
		    next != PROTO_DSTOPTS && next != PROTO_MOBILITY &&
		    next != PROTO_AH) {
			ip->proto = next;
			ip->p = sift_cur_ptr(&k);
			ip->len = sift_cur_left(&k);
			return true;
		}
		/* Every extension header is at least 8 bytes. */
		if (!sift_cur_has(&k, 8))
			goto cut;
		hlen = sift_ip6_ext_len(&k, next);
		next = sift_cur_peek_u8(&k, 0);
		sift_cur_skip(&k, hlen);
		if (k.cut)
			goto cut;
	}
	n->st.invalid++;
	return false;
cut:
	n->st.cut++;
	return false;
}

/* RFC 2784/2890 GRE (and RFC 2637 enhanced GRE for PPP): the length of
 * the header for these flags, 0 when they are not handled. */
static size_t gre_len(struct sift_net *n, uint16_t flags)
{
	size_t off = 4;

	if ((flags & 7) == 0) {
		if (flags & 0x4000) {
			/* Source routing (RFC 1701): long gone, not handled. */
			n->st.other_proto++;
			return 0;
		}
		if (flags & 0x8000)
			off += 4;
		if (flags & 0x2000)
			off += 4;
		if (flags & 0x1000)
			off += 4;
	} else if ((flags & 7) == 1) {
		off += 4;                   /* key: payload length + call id */
		if (flags & 0x1000)
			off += 4;
		if (flags & 0x0080)
			off += 4;           /* acknowledgment number */
	} else {
		n->st.invalid++;
		return 0;
	}
	return off;
}

/* Moves the walk to the frame or packet inside a GRE packet. */
static bool decode_gre(struct sift_net *n, struct walk *c,
		       const struct ipinfo *ip)
{
	struct sift_cur k = sift_cur_make(ip->p, ip->len);
	uint16_t flags, proto;
	size_t off;

	flags = sift_cur_be16(&k);
	proto = sift_cur_be16(&k);
	if (k.cut)
		goto cut;
	off = gre_len(n, flags);
	if (off == 0)
		return false;
	sift_cur_skip(&k, off - 4);
	switch (proto) {
	case GRE_ERSPAN2:
		/* ERSPAN type II carries an 8-byte header and sets the GRE
		 * sequence bit; type I has neither. */
		if (flags & 0x1000)
			sift_cur_skip(&k, 8);
		c->layer = L_LINK;
		c->linktype = SIFT_LINK_ETHERNET;
		break;
	case GRE_ERSPAN3:
		/* The O bit ends the 12-byte header: an 8-byte platform
		 * specific subheader follows. */
		sift_cur_skip(&k, (sift_cur_peek_u8(&k, 11) & 1) ? 20 : 12);
		c->layer = L_LINK;
		c->linktype = SIFT_LINK_ETHERNET;
		break;
	case GRE_TEB:
		c->layer = L_LINK;
		c->linktype = SIFT_LINK_ETHERNET;
		break;
	case GRE_PPP:
		c->layer = L_LINK;
		c->linktype = SIFT_LINK_PPP;
		break;
	case GRE_IPV4:
		c->layer = L_IP4;
		break;
	case GRE_IPV6:
		c->layer = L_IP6;
		break;
	default:
		n->st.other_proto++;
		return false;
	}
	if (k.cut)
		goto cut;
	c->p = sift_cur_ptr(&k);
	c->len = sift_cur_left(&k);
	n->st.tunnelled++;
	return true;
cut:
	n->st.cut++;
	return false;
}

/* RFC 7348 VXLAN: 8 bytes, I flag set, then an Ethernet frame. */
static bool is_vxlan(const struct sift_l4 *u)
{
	struct sift_cur k = sift_cur_make(u->data, u->len);
	uint32_t flags, vni;

	if (u->dst.port != VXLAN_PORT && u->dst.port != VXLAN_PORT_LINUX)
		return false;
	flags = sift_cur_be32(&k);
	vni = sift_cur_be32(&k);
	/* Flags: I (0x08) in the first byte, the other three reserved. */
	return !k.cut && sift_cur_has(&k, 14) && (flags >> 24 & 0x08) &&
	       (flags & 0xffffff) == 0 && (vni & 0xff) == 0;
}

static bool decode_udp(struct sift_net *n, struct walk *c,
		       const struct ipinfo *ip, struct sift_l4 *out)
{
	struct sift_cur k = sift_cur_make(ip->p, ip->len);
	uint16_t sport, dport;
	size_t ulen;

	sport = sift_cur_be16(&k);
	dport = sift_cur_be16(&k);
	ulen = sift_cur_be16(&k);
	sift_cur_skip(&k, 2);                   /* checksum */
	if (k.cut) {
		n->st.cut++;
		return false;
	}
	if (ulen < 8) {
		n->st.invalid++;
		return false;
	}
	n->st.udp++;
	out->proto = SIFT_IPPROTO_UDP;
	set_addr(&out->src, ip->family, ip->src, sport);
	set_addr(&out->dst, ip->family, ip->dst, dport);
	out->data = sift_cur_ptr(&k);
	if (ulen - 8 > sift_cur_left(&k)) {
		out->len = sift_cur_left(&k);
		out->cut = true;
	} else {
		out->len = ulen - 8;
	}
	if (!out->cut && is_vxlan(out)) {
		c->layer = L_LINK;
		c->linktype = SIFT_LINK_ETHERNET;
		c->p = out->data + 8;
		c->len = out->len - 8;
		memset(out, 0, sizeof(*out));
		n->st.tunnelled++;
		return true;
	}
	return false;
}

static void decode_tcp(struct sift_net *n, const struct ipinfo *ip,
		       struct sift_l4 *out)
{
	struct sift_cur k = sift_cur_make(ip->p, ip->len);
	uint16_t sport, dport;
	uint32_t seq;
	uint8_t off, flags;
	size_t hl;

	sport = sift_cur_be16(&k);
	dport = sift_cur_be16(&k);
	seq = sift_cur_be32(&k);
	sift_cur_skip(&k, 4);                   /* acknowledgment number */
	off = sift_cur_u8(&k);
	flags = sift_cur_u8(&k);
	sift_cur_skip(&k, 6);                   /* window, checksum, urgent */
	if (k.cut) {
		n->st.cut++;
		return;
	}
	hl = (size_t)(off >> 4) * 4;
	if (hl < 20) {
		n->st.invalid++;
		return;
	}
	sift_cur_skip(&k, hl - 20);             /* options */
	if (k.cut) {
		n->st.cut++;
		return;
	}
	n->st.tcp++;
	out->proto = SIFT_IPPROTO_TCP;
	set_addr(&out->src, ip->family, ip->src, sport);
	set_addr(&out->dst, ip->family, ip->dst, dport);
	out->tcp_seq = seq;
	out->tcp_flags = flags & (SIFT_TCP_FIN | SIFT_TCP_SYN | SIFT_TCP_RST |
				  SIFT_TCP_ACK);
	out->data = sift_cur_ptr(&k);
	out->len = sift_cur_left(&k);
}

/* RFC 9260 §3.1: the 12-byte common header; the chunks are the payload. */
static void decode_sctp(struct sift_net *n, const struct ipinfo *ip,
			struct sift_l4 *out)
{
	struct sift_cur k = sift_cur_make(ip->p, ip->len);
	uint16_t sport, dport;

	sport = sift_cur_be16(&k);
	dport = sift_cur_be16(&k);
	sift_cur_skip(&k, 8);                   /* verification tag, checksum */
	if (k.cut) {
		n->st.cut++;
		return;
	}
	n->st.sctp++;
	out->proto = SIFT_IPPROTO_SCTP;
	set_addr(&out->src, ip->family, ip->src, sport);
	set_addr(&out->dst, ip->family, ip->dst, dport);
	out->data = sift_cur_ptr(&k);
	out->len = sift_cur_left(&k);
}

/* Transport header of the IP payload. Returns true when the walk moved to
 * an inner frame (VXLAN) and the loop must go on. */
static bool decode_transport(struct sift_net *n, struct walk *c,
			     const struct ipinfo *ip, struct sift_l4 *out)
{
	switch (ip->proto) {
	case SIFT_IPPROTO_UDP:
		return decode_udp(n, c, ip, out);
	case SIFT_IPPROTO_TCP:
		decode_tcp(n, ip, out);
		return false;
	case SIFT_IPPROTO_SCTP:
		decode_sctp(n, ip, out);
		return false;
	case PROTO_ICMP:
	case PROTO_ICMPV6:
		n->st.icmp++;
		return false;
	default:
		n->st.other_proto++;
		return false;
	}
}

/* Ethernet II with no tag, IPv4 with a 20-byte header and no
 * fragmentation, UDP not to a VXLAN port, both lengths within what was
 * captured: most frames of a capture of RTP. Their addresses and payload
 * as the walk below finds them, read from one copy of the frame's first
 * 42 bytes (the walk's cursors and checks were 270 instructions such a
 * frame, a tenth of a `calls` run on sipp's 4,000 media calls,
 * callgrind). False for any other frame, which the walk decodes. test_net holds both to the same
 * answer on every frame it decodes and on each byte of a plain frame
 * changed, and fuzz_net_rewrite on every frame it makes. */
static bool plain_udp4(const uint8_t *p, size_t caplen,
		       uint8_t h[SIFT_NET_PLAIN_HDR],
		       struct sift_addr *src, struct sift_addr *dst,
		       const uint8_t **data, size_t *len)
{
	struct sift_cur k = sift_cur_make(p, caplen);
	size_t tl, ulen;
	uint16_t dport;

	if (!sift_cur_copy(&k, h, SIFT_NET_PLAIN_HDR) || h[12] != 0x08 || h[13] != 0x00 ||
	    h[14] != 0x45 || h[23] != SIFT_IPPROTO_UDP ||
	    ((h[20] & 0x3f) | h[21]) != 0)
		return false;
	tl = (size_t)h[16] << 8 | h[17];
	ulen = (size_t)h[38] << 8 | h[39];
	dport = (uint16_t)(h[36] << 8 | h[37]);
	if (tl < 28 || tl > caplen - 14 || ulen < 8 || ulen > tl - 20 ||
	    dport == VXLAN_PORT || dport == VXLAN_PORT_LINUX)
		return false;
	memset(src, 0, sizeof(*src));
	memset(dst, 0, sizeof(*dst));
	src->family = dst->family = 4;
	memcpy(src->ip, h + 26, 4);
	memcpy(dst->ip, h + 30, 4);
	src->port = (uint16_t)(h[34] << 8 | h[35]);
	dst->port = dport;
	*data = sift_cur_ptr(&k);
	*len = ulen - 8;
	return true;
}

/* The walk of every layer, without the shortcut (for test_net). */
enum sift_rc sift_net_decode_walk(struct sift_net *n, int linktype,
				  const uint8_t *p, size_t caplen, sift_time ts,
				  struct sift_l4 *out)
{
	struct walk c = { L_LINK, linktype, p, caplen, false, false };
	struct ipinfo ip;

	memset(out, 0, sizeof(*out));
	n->frag_key = 0;
	for (int depth = 0; depth <= MAX_DEPTH; depth++) {
		struct sift_link_result lr;
		enum sift_rc rc;

		if (c.layer == L_LINK) {
			rc = sift_link_decode(c.linktype, c.p, c.len, &lr);
			if (rc == SIFT_EUNSUPPORTED) {
				n->st.unsupported_link++;
				return rc;
			}
			if (rc != SIFT_OK) {
				n->st.cut++;
				return SIFT_OK;
			}
			if (lr.l3 == SIFT_L3_NONE) {
				if (depth == 0)
					n->st.non_ip++;
				return SIFT_OK;
			}
			c.layer = lr.l3 == SIFT_L3_IPV4 ? L_IP4 : L_IP6;
			c.p += lr.offset;
			c.len -= lr.offset;
		}
		if (c.layer == L_IP4) {
			if (!decode_ip4(n, &c, &ip, ts))
				return SIFT_OK;
		} else {
			if (!decode_ip6(n, &c, &ip, ts))
				return SIFT_OK;
		}
		switch (ip.proto) {
		case PROTO_IPIP:
		case PROTO_IPV6:
			c.layer = ip.proto == PROTO_IPIP ? L_IP4 : L_IP6;
			c.p = ip.p;
			c.len = ip.len;
			n->st.tunnelled++;
			continue;
		case PROTO_GRE:
			if (!decode_gre(n, &c, &ip))
				return SIFT_OK;
			continue;
		default:
			break;
		}
		{
			const uint8_t *iphdr = c.p;

			if (!decode_transport(n, &c, &ip, out)) {
				out->cut = out->cut || c.cut;
				out->reassembled = c.defragged;
				out->ip = iphdr;
				out->depth = (unsigned)depth;
				return SIFT_OK;
			}
		}
	}
	/* Tunnels nested deeper than anyone deploys: not followed. */
	n->st.invalid++;
	memset(out, 0, sizeof(*out));
	return SIFT_OK;
}

/* The rest of a plain frame's decode, src, dst, data and len made. */
static enum sift_rc plain_done(struct sift_net *n, const uint8_t *p,
			       struct sift_l4 *out)
{
	/* Field by field (struct sift_l4 says so): a compound literal
	 * zeroing the rest cost 24 instructions a packet. */
	out->proto = SIFT_IPPROTO_UDP;
	out->cut = false;
	out->reassembled = false;
	out->tcp_seq = 0;
	out->tcp_flags = 0;
	out->ip = p + 14;
	out->depth = 0;
	n->frag_key = 0;
	n->st.udp++;
	return SIFT_OK;
}

enum sift_rc sift_net_decode(struct sift_net *n, int linktype,
			     const uint8_t *p, size_t caplen, sift_time ts,
			     struct sift_l4 *out)
{
	uint8_t h[SIFT_NET_PLAIN_HDR];

	if (linktype == SIFT_LINK_ETHERNET &&
	    plain_udp4(p, caplen, h, &out->src, &out->dst, &out->data, &out->len))
		return plain_done(n, p, out);
	return sift_net_decode_walk(n, linktype, p, caplen, ts, out);
}

bool sift_net_plain_make(struct sift_net_plain *m, int linktype,
			 const uint8_t *p, size_t caplen)
{
	const uint8_t *data;

	m->p = NULL;
	if (!p || linktype != SIFT_LINK_ETHERNET ||
	    !plain_udp4(p, caplen, m->h, &m->src, &m->dst, &data, &m->len))
		return false;
	m->p = p;
	m->caplen = caplen;
	return true;
}

enum sift_rc sift_net_decode_memo(struct sift_net *n, int linktype,
				  const uint8_t *p, size_t caplen, sift_time ts,
				  const struct sift_net_plain *m, struct sift_l4 *out)
{
	/* plain_udp4's answer is made of the header bytes, caplen and p
	 * alone: the same three, the same answer, whatever frame it is. */
	if (m->p == p && m->caplen == caplen && linktype == SIFT_LINK_ETHERNET &&
	    memcmp(m->h, p, SIFT_NET_PLAIN_HDR) == 0) {
		out->src = m->src;
		out->dst = m->dst;
		out->data = p + SIFT_NET_PLAIN_HDR;
		out->len = m->len;
		return plain_done(n, p, out);
	}
	return sift_net_decode(n, linktype, p, caplen, ts, out);
}

/* Not decode's functions on a scratch net: 7 % slower on sipp-media-4000
 * (tried). test_net holds it to decode on every frame it decodes. */
bool sift_net_peek_udp(int linktype, const uint8_t *p, size_t caplen,
		       struct sift_addr *src, struct sift_addr *dst,
		       const uint8_t **data, size_t *len)
{
	uint8_t h[SIFT_NET_PLAIN_HDR];

	return (linktype == SIFT_LINK_ETHERNET &&
		plain_udp4(p, caplen, h, src, dst, data, len)) ||
	       sift_net_peek_udp_walk(linktype, p, caplen, src, dst, data, len);
}

bool sift_net_peek_udp_walk(int linktype, const uint8_t *p, size_t caplen,
			    struct sift_addr *src, struct sift_addr *dst,
			    const uint8_t **data, size_t *len)
{
	struct sift_link_result lr;
	struct sift_cur k;
	size_t hl, iplen, ulen;
	uint8_t v;

	if (sift_link_decode(linktype, p, caplen, &lr) != SIFT_OK ||
	    lr.l3 == SIFT_L3_NONE)
		return false;
	k = sift_cur_make(p + lr.offset, caplen - lr.offset);
	v = sift_cur_peek_u8(&k, 0);
	/* The lengths as decode_ip4/decode_ip6 and decode_udp take them:
	 * the IP header's, within what was captured. */
	if (lr.l3 == SIFT_L3_IPV4) {
		uint8_t ip[8];

		hl = (size_t)(v & 0x0f) * 4;
		iplen = sift_cur_peek_be16(&k, 2);
		if ((v >> 4) != 4 || sift_cur_peek_u8(&k, 9) != SIFT_IPPROTO_UDP ||
		    (sift_cur_peek_be16(&k, 6) & 0x3fff) != 0 || hl < 20 ||
		    iplen < hl)
			return false;
		sift_cur_skip(&k, 12);
		sift_cur_copy(&k, ip, 8);
		if (k.cut)
			return false;
		set_addr(src, 4, ip, 0);
		set_addr(dst, 4, ip + 4, 0);
	} else {
		uint8_t ip[32];

		hl = 40;
		iplen = sift_cur_peek_be16(&k, 4);
		if ((v >> 4) != 6 || sift_cur_peek_u8(&k, 6) != SIFT_IPPROTO_UDP)
			return false;
		sift_cur_skip(&k, 8);
		sift_cur_copy(&k, ip, 32);
		if (k.cut)
			return false;
		set_addr(src, 6, ip, 0);
		set_addr(dst, 6, ip + 16, 0);
		if (iplen == 0 || iplen > sift_cur_left(&k))
			iplen = sift_cur_left(&k);
		iplen += hl;
	}
	/* From the IP header again, within its length. */
	k = sift_cur_make(p + lr.offset, caplen - lr.offset);
	if (iplen > sift_cur_left(&k))
		iplen = sift_cur_left(&k);
	k = sift_cur_sub(&k, iplen);
	sift_cur_skip(&k, hl);
	src->port = sift_cur_be16(&k);
	dst->port = sift_cur_be16(&k);
	ulen = sift_cur_be16(&k);
	sift_cur_skip(&k, 2);
	if (k.cut || ulen < 8)
		return false;
	*data = sift_cur_ptr(&k);
	*len = ulen - 8 < sift_cur_left(&k) ? ulen - 8 : sift_cur_left(&k);
	/* VXLAN that decode would unwrap: its datagram is the inner one. */
	if ((dst->port == VXLAN_PORT || dst->port == VXLAN_PORT_LINUX) &&
	    ulen - 8 <= sift_cur_left(&k)) {
		struct sift_l4 u = { .dst = *dst, .data = *data, .len = *len };

		if (is_vxlan(&u))
			return false;
	}
	return true;
}
