/* Unit tests for network and transport decoding (src/net.c): IPv4/IPv6
 * with extension headers and fragments, UDP/TCP/SCTP, and the tunnels
 * (IP-in-IP, GRE, ERSPAN I/II/III, VXLAN), on packets built here. */
#include "testutil.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "net/net.h"
#include "net/tcp_reasm.h"

#define T0 (1000 * SIFT_USEC)

static const uint8_t A4[4] = { 192, 0, 2, 1 };
static const uint8_t B4[4] = { 192, 0, 2, 2 };
static const uint8_t C4[4] = { 10, 0, 0, 1 };
static const uint8_t D4[4] = { 10, 0, 0, 2 };
static const uint8_t A6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t B6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
static const uint8_t C6[16] = { 0xfd, 0x00, [15] = 0x11 };
static const uint8_t D6[16] = { 0xfd, 0x00, [15] = 0x22 };

static const char SIP[] = "OPTIONS sip:b@example.com SIP/2.0\r\n"
			  "Content-Length: 0\r\n\r\n";

static void putz(struct pkt *p, size_t n)
{
	assert_true(p->n + n <= sizeof(p->b));
	memset(p->b + p->n, 0, n);
	p->n += n;
}

static void set16(struct pkt *p, size_t off, uint16_t v)
{
	p->b[off] = (uint8_t)(v >> 8);
	p->b[off + 1] = (uint8_t)v;
}

static void eth(struct pkt *p, uint16_t type)
{
	static const uint8_t macs[12] = { 0x02, 0, 0, 0, 0, 1,
					  0x02, 0, 0, 0, 0, 2 };

	put(p, macs, sizeof(macs));
	put16(p, type);
}

/* IPv4 header without options; ip4_end fills in the total length. */
static size_t ip4_begin_frag(struct pkt *p, uint8_t proto, const uint8_t *src,
			     const uint8_t *dst, uint16_t id, uint16_t frag)
{
	size_t off = p->n;

	put8(p, 0x45);
	put8(p, 0);
	put16(p, 0);
	put16(p, id);
	put16(p, frag);
	put8(p, 64);
	put8(p, proto);
	put16(p, 0);
	put(p, src, 4);
	put(p, dst, 4);
	return off;
}

static size_t ip4_begin(struct pkt *p, uint8_t proto, const uint8_t *src,
			const uint8_t *dst)
{
	return ip4_begin_frag(p, proto, src, dst, 0x1234, 0x4000 /* DF */);
}

static void ip4_end(struct pkt *p, size_t off)
{
	set16(p, off + 2, (uint16_t)(p->n - off));
}

static size_t ip6_begin(struct pkt *p, uint8_t next, const uint8_t *src,
			const uint8_t *dst)
{
	size_t off = p->n;

	put32(p, 0x60000000);
	put16(p, 0);
	put8(p, next);
	put8(p, 64);
	put(p, src, 16);
	put(p, dst, 16);
	return off;
}

static void ip6_end(struct pkt *p, size_t off)
{
	set16(p, off + 4, (uint16_t)(p->n - off - 40));
}

static size_t udp_begin(struct pkt *p, uint16_t sport, uint16_t dport)
{
	size_t off = p->n;

	put16(p, sport);
	put16(p, dport);
	put16(p, 0);
	put16(p, 0);
	return off;
}

static void udp_end(struct pkt *p, size_t off)
{
	set16(p, off + 4, (uint16_t)(p->n - off));
}

/* An IPv4/UDP packet (no link header) carrying SIP. */
static void ip4_udp_sip(struct pkt *p, const uint8_t *src, const uint8_t *dst)
{
	size_t ip = ip4_begin(p, 17, src, dst);
	size_t u = udp_begin(p, 5060, 5080);

	put(p, SIP, strlen(SIP));
	udp_end(p, u);
	ip4_end(p, ip);
}

static void ip6_udp_sip(struct pkt *p, const uint8_t *src, const uint8_t *dst)
{
	size_t ip = ip6_begin(p, 17, src, dst);
	size_t u = udp_begin(p, 5060, 5080);

	put(p, SIP, strlen(SIP));
	udp_end(p, u);
	ip6_end(p, ip);
}

static struct sift_net *net_new(void)
{
	struct sift_net *n = sift_net_new(NULL);

	assert_non_null(n);
	return n;
}

/* sift_net_peek_udp, the prefetch hint's quick look, on the frame decode
 * saw: when it finds a datagram, it is the one decode found, outside any
 * tunnel; the look without the plain-frame shortcut (what the hint uses
 * when the frame is not plain) finds the same. */
static void peek_agrees(int lt, const uint8_t *b, size_t n,
			const struct sift_l4 *out)
{
	struct sift_addr src, dst, wsrc, wdst;
	const uint8_t *data, *wdata;
	size_t len, wlen;
	bool found = sift_net_peek_udp(lt, b, n, &src, &dst, &data, &len);

	assert_int_equal(found, sift_net_peek_udp_walk(lt, b, n, &wsrc, &wdst,
						       &wdata, &wlen));
	if (!found)
		return;
	assert_memory_equal(&src, &wsrc, sizeof(src));
	assert_memory_equal(&dst, &wdst, sizeof(dst));
	assert_ptr_equal(data, wdata);
	assert_int_equal(len, wlen);
	assert_int_equal(out->proto, SIFT_IPPROTO_UDP);
	assert_int_equal(out->depth, 0);
	assert_memory_equal(&src, &out->src, sizeof(src));
	assert_memory_equal(&dst, &out->dst, sizeof(dst));
	assert_ptr_equal(data, out->data);
	assert_int_equal(len, out->len);
}

/* sift_net_decode (through m, the hint's decode, when given) against the
 * walk of every layer on frame b: every field, the stats, the fragment
 * key. Each on a net of its own, fresh, so that no fragment is shared. */
static void agrees(int lt, const uint8_t *b, size_t n, const struct sift_net_plain *m)
{
	struct sift_net *x = sift_net_new(NULL), *y = sift_net_new(NULL);
	struct sift_l4 a, w;

	assert_non_null(x);
	assert_non_null(y);
	assert_int_equal(m ? sift_net_decode_memo(x, lt, b, n, T0, m, &a) :
			     sift_net_decode(x, lt, b, n, T0, &a),
			 sift_net_decode_walk(y, lt, b, n, T0, &w));
	assert_int_equal(a.proto, w.proto);
	assert_memory_equal(&a.src, &w.src, sizeof(a.src));
	assert_memory_equal(&a.dst, &w.dst, sizeof(a.dst));
	assert_ptr_equal(a.data, w.data);
	assert_int_equal(a.len, w.len);
	assert_int_equal(a.cut, w.cut);
	assert_int_equal(a.reassembled, w.reassembled);
	assert_int_equal(a.tcp_seq, w.tcp_seq);
	assert_int_equal(a.tcp_flags, w.tcp_flags);
	assert_ptr_equal(a.ip, w.ip);
	assert_int_equal(a.depth, w.depth);
	assert_memory_equal(sift_net_stats(x), sift_net_stats(y),
			    sizeof(struct sift_net_stats));
	assert_int_equal(sift_net_frag_key(x), sift_net_frag_key(y));
	sift_net_free(x);
	sift_net_free(y);
}

static void walk_agrees(int lt, const uint8_t *b, size_t n)
{
	agrees(lt, b, n, NULL);
}

static void decode(struct sift_net *n, int lt, const struct pkt *p,
		   struct sift_l4 *out)
{
	assert_int_equal(sift_net_decode(n, lt, p->b, p->n, T0, out), SIFT_OK);
	peek_agrees(lt, p->b, p->n, out);
	walk_agrees(lt, p->b, p->n);
}

/* The shortcut's edges: a plain frame with each header byte set to the
 * values its checks turn on, each cut short at every length, decoded
 * both ways (and peeked). */
static void test_plain_udp4_shortcut(void **state)
{
	static const uint8_t vals[] = { 0x00, 0x01, 0x06, 0x07, 0x08, 0x11,
					0x12, 0x13, 0x14, 0x1c, 0x20, 0x21,
					0x3f, 0x40, 0x44, 0x45, 0x46, 0x55,
					0x86, 0xdd, 0xff };
	struct pkt p = { .n = 0 };

	(void)state;
	eth(&p, 0x0800);
	ip4_udp_sip(&p, A4, B4);
	for (size_t at = 12; at < 42; at++) {
		uint8_t keep = p.b[at];

		for (size_t v = 0; v <= sizeof(vals); v++) {
			struct sift_net *n = net_new();
			struct sift_l4 out;

			p.b[at] = v < sizeof(vals) ? vals[v] : (uint8_t)(keep + 1);
			for (size_t len = 0; len <= p.n; len++) {
				walk_agrees(SIFT_LINK_ETHERNET, p.b, len);
				assert_int_equal(sift_net_decode(n, SIFT_LINK_ETHERNET,
								 p.b, len, T0, &out),
						 SIFT_OK);
				peek_agrees(SIFT_LINK_ETHERNET, p.b, len, &out);
			}
			sift_net_free(n);
		}
		p.b[at] = keep;
	}
	/* VXLAN's ports take the walk, which unwraps. */
	for (unsigned port = 4788; port <= 8473; port++) {
		p.b[36] = (uint8_t)(port >> 8);
		p.b[37] = (uint8_t)port;
		walk_agrees(SIFT_LINK_ETHERNET, p.b, p.n);
	}
}

/* The hint's decode taken for a frame: right when it was made from these
 * bytes at this address, and never when the frame at that address has
 * other bytes (a reader's buffer holds the next packets there), another
 * length or another link type. */
static void test_decode_memo(void **state)
{
	static const uint8_t vals[] = { 0x00, 0x06, 0x11, 0x45, 0x86, 0xff };
	struct pkt p = { .n = 0 };
	struct sift_net_plain m;

	(void)state;
	eth(&p, 0x0800);
	ip4_udp_sip(&p, A4, B4);
	assert_true(sift_net_plain_make(&m, SIFT_LINK_ETHERNET, p.b, p.n));
	assert_ptr_equal(m.p, p.b);
	agrees(SIFT_LINK_ETHERNET, p.b, p.n, &m);
	for (size_t len = 0; len < p.n; len++)
		agrees(SIFT_LINK_ETHERNET, p.b, len, &m);
	agrees(SIFT_LINK_LINUX_SLL, p.b, p.n, &m);
	agrees(SIFT_LINK_RAW, p.b, p.n, &m);
	for (size_t at = 0; at < SIFT_NET_PLAIN_HDR + 4; at++) {
		uint8_t keep = p.b[at];

		for (size_t v = 0; v < sizeof(vals); v++) {
			if (vals[v] == keep)
				continue;
			p.b[at] = vals[v];
			agrees(SIFT_LINK_ETHERNET, p.b, p.n, &m);
		}
		p.b[at] = keep;
	}
	/* Not a plain frame: nothing kept. */
	p.b[23] = 6;
	assert_false(sift_net_plain_make(&m, SIFT_LINK_ETHERNET, p.b, p.n));
	assert_null(m.p);
	agrees(SIFT_LINK_ETHERNET, p.b, p.n, &m);
	assert_false(sift_net_plain_make(&m, SIFT_LINK_ETHERNET, NULL, 0));
}

static void check_addr(const struct sift_addr *a, int family,
		       const uint8_t *ip, uint16_t port)
{
	assert_int_equal(a->family, family);
	assert_memory_equal(a->ip, ip, family == 4 ? 4 : 16);
	assert_int_equal(a->port, port);
}

/* out is a UDP datagram C->D (or A->B) 5060->5080 carrying SIP. */
static void check_sip_udp(const struct sift_l4 *out, int family,
			  const uint8_t *src, const uint8_t *dst)
{
	assert_int_equal(out->proto, SIFT_IPPROTO_UDP);
	check_addr(&out->src, family, src, 5060);
	check_addr(&out->dst, family, dst, 5080);
	assert_int_equal(out->len, strlen(SIP));
	assert_memory_equal(out->data, SIP, strlen(SIP));
	assert_false(out->cut);
	assert_false(out->reassembled);
}

static void test_ipv4_udp(void **state)
{
	struct sift_net *n = net_new();
	struct pkt p = { .n = 0 };
	struct sift_l4 out;

	(void)state;
	eth(&p, 0x0800);
	ip4_udp_sip(&p, A4, B4);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	check_sip_udp(&out, 4, A4, B4);
	/* The payload is borrowed from the frame, right after the headers. */
	assert_ptr_equal(out.data, p.b + 14 + 20 + 8);
	assert_int_equal(sift_net_stats(n)->udp, 1);
	assert_int_equal(sift_net_stats(n)->tunnelled, 0);
	sift_net_free(n);
}

static void test_ipv6_udp(void **state)
{
	struct sift_net *n = net_new();
	struct pkt p = { .n = 0 };
	struct sift_l4 out;

	(void)state;
	eth(&p, 0x86dd);
	ip6_udp_sip(&p, A6, B6);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	check_sip_udp(&out, 6, A6, B6);
	assert_ptr_equal(out.data, p.b + 14 + 40 + 8);
	assert_int_equal(sift_net_stats(n)->udp, 1);
	sift_net_free(n);
}

/* Raw IPv4 link type and IPv4 options (IHL 6). */
static void test_ipv4_options_raw(void **state)
{
	struct sift_net *n = net_new();
	struct pkt p = { .n = 0 };
	struct sift_l4 out;
	size_t ip, u;

	(void)state;
	ip = ip4_begin(&p, 17, A4, B4);
	p.b[ip] = 0x46;
	put32(&p, 0x94040000);       /* router alert option */
	u = udp_begin(&p, 5060, 5080);
	put(&p, SIP, strlen(SIP));
	udp_end(&p, u);
	ip4_end(&p, ip);
	decode(n, SIFT_LINK_RAW, &p, &out);
	check_sip_udp(&out, 4, A4, B4);
	assert_ptr_equal(out.data, p.b + 24 + 8);
	sift_net_free(n);
}

static void tcp_hdr(struct pkt *p, uint16_t sport, uint16_t dport,
		    uint32_t seq, uint8_t flags, unsigned hl)
{
	put16(p, sport);
	put16(p, dport);
	put32(p, seq);
	put32(p, 0x01020304);        /* ack */
	put8(p, (uint8_t)(hl / 4 << 4));
	put8(p, flags);
	put16(p, 65535);
	put16(p, 0);
	put16(p, 0);
	for (unsigned i = 20; i < hl; i++)
		put8(p, 1);          /* NOP options */
}

static void test_ipv4_tcp(void **state)
{
	struct sift_net *n = net_new();
	struct pkt p = { .n = 0 };
	struct sift_l4 out;
	size_t ip;

	(void)state;
	eth(&p, 0x0800);
	ip = ip4_begin(&p, 6, A4, B4);
	tcp_hdr(&p, 40000, 5060, 0xfedcba98, 0x12 /* SYN ACK */, 32);
	put(&p, SIP, strlen(SIP));
	ip4_end(&p, ip);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	assert_int_equal(out.proto, SIFT_IPPROTO_TCP);
	check_addr(&out.src, 4, A4, 40000);
	check_addr(&out.dst, 4, B4, 5060);
	assert_int_equal(out.tcp_seq, 0xfedcba98u);
	assert_int_equal(out.tcp_flags, SIFT_TCP_SYN | SIFT_TCP_ACK);
	assert_ptr_equal(out.data, p.b + 14 + 20 + 32);
	assert_int_equal(out.len, strlen(SIP));
	assert_false(out.cut);
	assert_int_equal(sift_net_stats(n)->tcp, 1);

	/* FIN PSH ACK, minimal header: PSH is not a flag reassembly uses. */
	memset(&p, 0, sizeof(p));
	eth(&p, 0x0800);
	ip = ip4_begin(&p, 6, B4, A4);
	tcp_hdr(&p, 5060, 40000, 7, 0x19, 20);
	ip4_end(&p, ip);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	assert_int_equal(out.proto, SIFT_IPPROTO_TCP);
	assert_int_equal(out.tcp_seq, 7);
	assert_int_equal(out.tcp_flags, SIFT_TCP_FIN | SIFT_TCP_ACK);
	assert_int_equal(out.len, 0);

	/* RST over IPv6. */
	memset(&p, 0, sizeof(p));
	eth(&p, 0x86dd);
	ip = ip6_begin(&p, 6, A6, B6);
	tcp_hdr(&p, 5061, 40001, 1, 0x04, 20);
	put(&p, "x", 1);
	ip6_end(&p, ip);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	assert_int_equal(out.proto, SIFT_IPPROTO_TCP);
	check_addr(&out.src, 6, A6, 5061);
	assert_int_equal(out.tcp_flags, SIFT_TCP_RST);
	assert_int_equal(out.len, 1);
	assert_int_equal(out.data[0], 'x');

	/* A data offset below 5 words is invalid. */
	memset(&p, 0, sizeof(p));
	eth(&p, 0x0800);
	ip = ip4_begin(&p, 6, A4, B4);
	tcp_hdr(&p, 1, 2, 3, 0x10, 20);
	p.b[14 + 20 + 12] = 0x40;
	ip4_end(&p, ip);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	assert_int_equal(out.proto, 0);
	assert_int_equal(sift_net_stats(n)->invalid, 1);
	assert_int_equal(sift_net_stats(n)->tcp, 3);
	sift_net_free(n);
}

static void test_sctp(void **state)
{
	struct sift_net *n = net_new();
	struct pkt p = { .n = 0 };
	struct sift_l4 out;
	size_t ip;

	(void)state;
	eth(&p, 0x0800);
	ip = ip4_begin(&p, 132, A4, B4);
	put16(&p, 5060);
	put16(&p, 5062);
	put32(&p, 0xdeadbeef);       /* verification tag */
	put32(&p, 0);                /* checksum */
	put8(&p, 0);                 /* DATA */
	put8(&p, 3);
	put16(&p, 16 + 4);
	put32(&p, 1);
	put32(&p, 0);
	put32(&p, 0);
	put(&p, "abcd", 4);
	ip4_end(&p, ip);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	assert_int_equal(out.proto, SIFT_IPPROTO_SCTP);
	check_addr(&out.src, 4, A4, 5060);
	check_addr(&out.dst, 4, B4, 5062);
	assert_ptr_equal(out.data, p.b + 14 + 20 + 12);
	assert_int_equal(out.len, 20);
	assert_int_equal(sift_net_stats(n)->sctp, 1);

	/* Cut inside the common header: nothing, counted as cut. */
	assert_int_equal(sift_net_decode(n, SIFT_LINK_ETHERNET, p.b,
					 14 + 20 + 8, T0, &out), SIFT_OK);
	assert_int_equal(out.proto, 0);
	assert_int_equal(sift_net_stats(n)->cut, 1);
	sift_net_free(n);
}

/* Ethernet pads short frames to 60 bytes: the IP total length decides. */
static void test_ethernet_padding(void **state)
{
	struct sift_net *n = net_new();
	struct pkt p = { .n = 0 };
	struct sift_l4 out;
	size_t ip, u;

	(void)state;
	eth(&p, 0x0800);
	ip = ip4_begin(&p, 17, A4, B4);
	u = udp_begin(&p, 5060, 5060);
	put(&p, "\r\n", 2);
	udp_end(&p, u);
	ip4_end(&p, ip);
	while (p.n < 60)
		put8(&p, 0xee);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	assert_int_equal(out.proto, SIFT_IPPROTO_UDP);
	assert_int_equal(out.len, 2);
	assert_memory_equal(out.data, "\r\n", 2);
	assert_false(out.cut);

	/* A pure ACK has no length of its own: only the IP total length
	 * keeps the padding out of the TCP stream. */
	memset(&p, 0, sizeof(p));
	eth(&p, 0x0800);
	ip = ip4_begin(&p, 6, A4, B4);
	tcp_hdr(&p, 5060, 40000, 99, 0x10, 20);
	ip4_end(&p, ip);
	while (p.n < 60)
		put8(&p, 0);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	assert_int_equal(out.proto, SIFT_IPPROTO_TCP);
	assert_int_equal(out.len, 0);
	assert_false(out.cut);

	/* The same with IPv6 and a trailer past the payload length. */
	memset(&p, 0, sizeof(p));
	eth(&p, 0x86dd);
	ip = ip6_begin(&p, 17, A6, B6);
	u = udp_begin(&p, 5060, 5060);
	put(&p, "ab", 2);
	udp_end(&p, u);
	ip6_end(&p, ip);
	putz(&p, 8);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	assert_int_equal(out.proto, SIFT_IPPROTO_UDP);
	assert_int_equal(out.len, 2);
	assert_false(out.cut);
	sift_net_free(n);
}

/* Snaplen cuts the payload: what was captured is handed on, marked cut. */
static void test_snaplen_cut(void **state)
{
	struct sift_net *n = net_new();
	struct pkt p = { .n = 0 };
	struct sift_l4 out;
	size_t caplen = 14 + 20 + 8 + 10;

	(void)state;
	eth(&p, 0x0800);
	ip4_udp_sip(&p, A4, B4);
	assert_int_equal(sift_net_decode(n, SIFT_LINK_ETHERNET, p.b, caplen,
					 T0, &out), SIFT_OK);
	assert_int_equal(out.proto, SIFT_IPPROTO_UDP);
	assert_true(out.cut);
	peek_agrees(SIFT_LINK_ETHERNET, p.b, caplen, &out);
	assert_int_equal(out.len, 10);
	assert_ptr_equal(out.data, p.b + 42);
	check_addr(&out.src, 4, A4, 5060);

	/* Cut inside the IPv4 header: nothing to hand on, counted. */
	assert_int_equal(sift_net_decode(n, SIFT_LINK_ETHERNET, p.b, 14 + 12,
					 T0, &out), SIFT_OK);
	assert_int_equal(out.proto, 0);
	assert_int_equal(sift_net_stats(n)->cut, 1);

	/* Cut inside the UDP header. */
	assert_int_equal(sift_net_decode(n, SIFT_LINK_ETHERNET, p.b, 14 + 24,
					 T0, &out), SIFT_OK);
	assert_int_equal(out.proto, 0);
	assert_int_equal(sift_net_stats(n)->cut, 2);

	/* IPv6 cut in the payload. */
	memset(&p, 0, sizeof(p));
	eth(&p, 0x86dd);
	ip6_udp_sip(&p, A6, B6);
	assert_int_equal(sift_net_decode(n, SIFT_LINK_ETHERNET, p.b, p.n - 5,
					 T0, &out), SIFT_OK);
	assert_int_equal(out.proto, SIFT_IPPROTO_UDP);
	assert_true(out.cut);
	peek_agrees(SIFT_LINK_ETHERNET, p.b, p.n - 5, &out);
	assert_int_equal(out.len, strlen(SIP) - 5);
	sift_net_free(n);
}

/* RFC 8200 §4: hop-by-hop, destination options, routing, then UDP. */
static void test_ipv6_ext_headers(void **state)
{
	struct sift_net *n = net_new();
	struct pkt p = { .n = 0 };
	struct sift_l4 out;
	size_t ip, u;

	(void)state;
	eth(&p, 0x86dd);
	ip = ip6_begin(&p, 0, A6, B6);
	put8(&p, 60);                /* hop-by-hop, 8 bytes */
	put8(&p, 0);
	put8(&p, 1);                 /* PadN */
	put8(&p, 4);
	putz(&p, 4);
	put8(&p, 43);                /* destination options, 16 bytes */
	put8(&p, 1);
	put8(&p, 1);
	put8(&p, 12);
	putz(&p, 12);
	put8(&p, 51);                /* routing, 24 bytes */
	put8(&p, 2);
	put8(&p, 0);                 /* type 0 */
	put8(&p, 0);                 /* segments left */
	putz(&p, 4);
	put(&p, C6, 16);
	put8(&p, 17);                /* AH, 16 bytes: (2 + 2) * 4 */
	put8(&p, 2);
	put16(&p, 0);
	put32(&p, 0x100);            /* SPI */
	put32(&p, 1);                /* sequence */
	put32(&p, 0xaabbccdd);       /* ICV */
	u = udp_begin(&p, 5060, 5080);
	put(&p, SIP, strlen(SIP));
	udp_end(&p, u);
	ip6_end(&p, ip);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	check_sip_udp(&out, 6, A6, B6);
	assert_ptr_equal(out.data, p.b + 14 + 40 + 8 + 16 + 24 + 16 + 8);

	/* Every prefix that stops inside an extension header gives nothing. */
	for (size_t len = 14 + 40; len < 14 + 40 + 8 + 16 + 24 + 16 + 8; len++) {
		uint8_t *c = malloc(len);

		assert_non_null(c);
		memcpy(c, p.b, len);
		assert_int_equal(sift_net_decode(n, SIFT_LINK_ETHERNET, c, len,
						 T0, &out), SIFT_OK);
		assert_int_equal(out.proto, 0);
		free(c);
	}
	sift_net_free(n);
}

/* RFC 6946: a fragment header with offset 0 and no M flag is a whole
 * packet, not something to reassemble. */
static void test_ipv6_atomic_fragment(void **state)
{
	struct sift_net *n = net_new();
	struct pkt p = { .n = 0 };
	struct sift_l4 out;
	size_t ip, u;

	(void)state;
	eth(&p, 0x86dd);
	ip = ip6_begin(&p, 44, A6, B6);
	put8(&p, 17);
	put8(&p, 0);
	put16(&p, 0);
	put32(&p, 0xabcdef01);
	u = udp_begin(&p, 5060, 5080);
	put(&p, SIP, strlen(SIP));
	udp_end(&p, u);
	ip6_end(&p, ip);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	check_sip_udp(&out, 6, A6, B6);
	assert_ptr_equal(out.data, p.b + 14 + 40 + 8 + 8);
	assert_int_equal(sift_net_stats(n)->fragments, 0);
	assert_int_equal(sift_net_defrag_stats(n)->fragments, 0);
	sift_net_free(n);
}

/* A UDP datagram (header + 100 payload bytes) for fragmentation. */
struct dgram {
	uint8_t b[108];
	uint8_t payload[100];
};

static void make_dgram(struct dgram *d, uint16_t dport)
{
	for (size_t i = 0; i < sizeof(d->payload); i++)
		d->payload[i] = (uint8_t)('A' + i % 26);
	d->b[0] = 0x13;
	d->b[1] = 0xc4;              /* 5060 */
	d->b[2] = (uint8_t)(dport >> 8);
	d->b[3] = (uint8_t)dport;
	d->b[4] = 0;
	d->b[5] = sizeof(d->b);
	d->b[6] = 0;
	d->b[7] = 0;
	memcpy(d->b + 8, d->payload, sizeof(d->payload));
}

static void frag4_pkt(struct pkt *p, const struct dgram *d, uint16_t id,
		      size_t off, size_t len, bool more)
{
	size_t ip;

	memset(p, 0, sizeof(*p));
	eth(p, 0x0800);
	ip = ip4_begin_frag(p, 17, A4, B4, id,
			    (uint16_t)((more ? 0x2000 : 0) | off / 8));
	put(p, d->b + off, len);
	ip4_end(p, ip);
}

static void check_reassembled(const struct sift_l4 *out, int family,
			      const struct dgram *d)
{
	assert_int_equal(out->proto, SIFT_IPPROTO_UDP);
	assert_true(out->reassembled);
	assert_false(out->cut);
	assert_int_equal(out->src.family, family);
	assert_int_equal(out->src.port, 5060);
	assert_int_equal(out->dst.port, 5080);
	assert_int_equal(out->len, sizeof(d->payload));
	assert_memory_equal(out->data, d->payload, sizeof(d->payload));
}

static void test_ipv4_fragments(void **state)
{
	/* (offset, length, more) of three fragments, fed in several orders. */
	static const size_t fr[3][2] = { { 0, 48 }, { 48, 40 }, { 88, 20 } };
	static const int orders[][3] = {
		{ 0, 1, 2 }, { 2, 1, 0 }, { 1, 2, 0 }, { 2, 0, 1 },
	};
	struct dgram d;

	(void)state;
	make_dgram(&d, 5080);
	for (size_t o = 0; o < sizeof(orders) / sizeof(orders[0]); o++) {
		struct sift_net *n = net_new();
		struct sift_l4 out;
		struct pkt p;

		for (int i = 0; i < 3; i++) {
			int k = orders[o][i];

			frag4_pkt(&p, &d, (uint16_t)(0x100 + o), fr[k][0],
				  fr[k][1], k != 2);
			decode(n, SIFT_LINK_ETHERNET, &p, &out);
			if (i < 2) {
				assert_int_equal(out.proto, 0);
				assert_false(out.reassembled);
			}
		}
		check_reassembled(&out, 4, &d);
		check_addr(&out.src, 4, A4, 5060);
		check_addr(&out.dst, 4, B4, 5080);
		assert_int_equal(sift_net_stats(n)->fragments, 3);
		assert_int_equal(sift_net_stats(n)->udp, 1);
		assert_int_equal(sift_net_defrag_stats(n)->reassembled, 1);
		sift_net_free(n);
	}
}

static void frag6_pkt(struct pkt *p, const struct dgram *d, uint32_t id,
		      size_t off, size_t len, bool more)
{
	size_t ip;

	memset(p, 0, sizeof(*p));
	eth(p, 0x86dd);
	ip = ip6_begin(p, 44, A6, B6);
	put8(p, 17);
	put8(p, 0);
	put16(p, (uint16_t)(off | (more ? 1 : 0)));
	put32(p, id);
	put(p, d->b + off, len);
	ip6_end(p, ip);
}

static void test_ipv6_fragments(void **state)
{
	struct sift_net *n = net_new();
	struct sift_l4 out;
	struct pkt p;
	struct dgram d;

	(void)state;
	make_dgram(&d, 5080);
	/* Last first. */
	frag6_pkt(&p, &d, 0x87654321, 56, 52, false);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	assert_int_equal(out.proto, 0);
	frag6_pkt(&p, &d, 0x87654321, 0, 56, true);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	check_reassembled(&out, 6, &d);
	check_addr(&out.src, 6, A6, 5060);
	check_addr(&out.dst, 6, B6, 5080);
	assert_int_equal(sift_net_stats(n)->fragments, 2);

	/* In order, another id. */
	frag6_pkt(&p, &d, 7, 0, 16, true);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	assert_int_equal(out.proto, 0);
	frag6_pkt(&p, &d, 7, 16, 92, false);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	check_reassembled(&out, 6, &d);
	assert_int_equal(sift_net_defrag_stats(n)->reassembled, 2);
	sift_net_free(n);
}

/* RFC 1071: the one's complement sum of n bytes folded (0xffff: valid). */
static uint16_t csum(const uint8_t *b, size_t n, uint32_t acc)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		acc += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (n & 1)
		acc += (uint32_t)b[n - 1] << 8;
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)acc;
}

/* decrypt -w writes a reassembled datagram whose payload it rewrote as
 * one packet: a fresh decoder reads it unfragmented, with the new payload
 * and valid lengths and checksums (IPv4 header; IPv6 UDP). */
static void test_rewrite_reassembled(void **state)
{
	static const uint8_t np[] = "INVITE with a rewritten body, longer than before";
	uint8_t outb[512];
	struct dgram d;

	(void)state;
	make_dgram(&d, 5080);
	for (int fam = 4; fam <= 6; fam += 2) {
		struct sift_net *n = net_new(), *n2 = net_new();
		struct sift_l4 out, o2;
		struct pkt p1, p2;
		size_t len = 0;

		if (fam == 4) {
			frag4_pkt(&p1, &d, 0x77, 0, 48, true);
			frag4_pkt(&p2, &d, 0x77, 48, 60, false);
		} else {
			frag6_pkt(&p1, &d, 0x77, 0, 56, true);
			frag6_pkt(&p2, &d, 0x77, 56, 52, false);
		}
		decode(n, SIFT_LINK_ETHERNET, &p1, &out);
		/* Not a datagram yet: nothing to rewrite. */
		assert_int_equal(sift_net_rewrite_udp(p1.b, p1.n, &out, np, sizeof(np),
						      outb, sizeof(outb), &len), SIFT_EINVAL);
		decode(n, SIFT_LINK_ETHERNET, &p2, &out);
		check_reassembled(&out, fam, &d);
		assert_int_equal(sift_net_rewrite_udp(p2.b, p2.n, &out, np, sizeof(np),
						      outb, sizeof(outb), &len), SIFT_OK);
		/* Too little room: refused, not cut. */
		assert_int_equal(sift_net_rewrite_udp(p2.b, p2.n, &out, np, sizeof(np),
						      outb, 60, &len), SIFT_EINVAL);
		assert_int_equal(sift_net_rewrite_udp(p2.b, p2.n, &out, np, sizeof(np),
						      outb, sizeof(outb), &len), SIFT_OK);
		assert_int_equal(len, 14 + (fam == 4 ? 20 : 40) + 8 + sizeof(np));
		assert_int_equal(sift_net_decode(n2, SIFT_LINK_ETHERNET, outb, len, T0,
						 &o2), SIFT_OK);
		assert_int_equal(o2.proto, SIFT_IPPROTO_UDP);
		assert_false(o2.reassembled);
		assert_int_equal(o2.src.port, 5060);
		assert_int_equal(o2.dst.port, 5080);
		assert_int_equal(o2.len, sizeof(np));
		assert_memory_equal(o2.data, np, sizeof(np));
		assert_int_equal(sift_net_stats(n2)->fragments, 0);
		if (fam == 4) {
			assert_int_equal(outb[14 + 6] & 0x3f, 0);     /* no MF, offset 0 */
			assert_int_equal(outb[14 + 7], 0);
			assert_int_equal(csum(outb + 14, 20, 0), 0xffff);
		} else {
			uint32_t acc = 17 + 8 + (uint32_t)sizeof(np);

			assert_int_equal(outb[14 + 6], 17);           /* next: UDP */
			/* pseudo-header (addresses, length, next header), then
			 * the UDP header and payload */
			acc = csum(outb + 14 + 8, 32, acc);
			assert_int_equal(csum(outb + 14 + 40, 8 + sizeof(np), acc), 0xffff);
		}
		sift_net_free(n);
		sift_net_free(n2);
	}
}

/* A cut fragment would poison the datagram: refused, counted invalid. */
static void test_cut_fragment_refused(void **state)
{
	struct sift_net *n = net_new();
	struct sift_l4 out;
	struct pkt p;
	struct dgram d;

	(void)state;
	make_dgram(&d, 5080);
	frag4_pkt(&p, &d, 9, 0, 48, true);
	assert_int_equal(sift_net_decode(n, SIFT_LINK_ETHERNET, p.b, p.n - 1,
					 T0, &out), SIFT_OK);
	assert_int_equal(out.proto, 0);
	assert_int_equal(sift_net_stats(n)->invalid, 1);
	frag4_pkt(&p, &d, 9, 48, 60, false);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	assert_int_equal(out.proto, 0);
	sift_net_free(n);
}

static void test_ip_in_ip(void **state)
{
	struct sift_net *n = net_new();
	struct pkt p = { .n = 0 };
	struct sift_l4 out;
	size_t ip;

	(void)state;
	/* IPv4 in IPv4 (protocol 4). */
	eth(&p, 0x0800);
	ip = ip4_begin(&p, 4, A4, B4);
	ip4_udp_sip(&p, C4, D4);
	ip4_end(&p, ip);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	check_sip_udp(&out, 4, C4, D4);
	assert_int_equal(sift_net_stats(n)->tunnelled, 1);

	/* IPv6 in IPv4 (protocol 41, 6in4). */
	memset(&p, 0, sizeof(p));
	eth(&p, 0x0800);
	ip = ip4_begin(&p, 41, A4, B4);
	ip6_udp_sip(&p, C6, D6);
	ip4_end(&p, ip);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	check_sip_udp(&out, 6, C6, D6);
	assert_int_equal(sift_net_stats(n)->tunnelled, 2);

	/* IPv4 in IPv6 (next header 4). */
	memset(&p, 0, sizeof(p));
	eth(&p, 0x86dd);
	ip = ip6_begin(&p, 4, A6, B6);
	ip4_udp_sip(&p, C4, D4);
	ip6_end(&p, ip);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	check_sip_udp(&out, 4, C4, D4);
	assert_int_equal(sift_net_stats(n)->tunnelled, 3);
	assert_int_equal(sift_net_stats(n)->udp, 3);
	sift_net_free(n);
}

static size_t gre_begin(struct pkt *p, uint16_t flags, uint16_t proto)
{
	size_t off;

	eth(p, 0x0800);
	off = ip4_begin(p, 47, A4, B4);
	put16(p, flags);
	put16(p, proto);
	if (flags & 0x8000)
		put32(p, 0xbeef0000);        /* checksum + reserved */
	if (flags & 0x2000)
		put32(p, 0x0000002a);        /* key */
	if (flags & 0x1000)
		put32(p, 0x00000077);        /* sequence */
	return off;
}

static void inner_eth_sip(struct pkt *p)
{
	eth(p, 0x8100);
	put16(p, 0x0064);
	put16(p, 0x0800);
	ip4_udp_sip(p, C4, D4);
}

static void test_gre(void **state)
{
	static const uint16_t flagsets[] = { 0x0000, 0x8000, 0x2000, 0x1000,
					     0xb000, 0xa000, 0x3000 };
	struct sift_net *n = net_new();
	struct sift_l4 out;
	struct pkt p;
	size_t ip;
	uint64_t tun = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(flagsets) / sizeof(flagsets[0]); i++) {
		/* IPv4 inside. */
		memset(&p, 0, sizeof(p));
		ip = gre_begin(&p, flagsets[i], 0x0800);
		ip4_udp_sip(&p, C4, D4);
		ip4_end(&p, ip);
		decode(n, SIFT_LINK_ETHERNET, &p, &out);
		check_sip_udp(&out, 4, C4, D4);
		assert_int_equal(sift_net_stats(n)->tunnelled, ++tun);

		/* Transparent Ethernet bridging: a whole frame inside. */
		memset(&p, 0, sizeof(p));
		ip = gre_begin(&p, flagsets[i], 0x6558);
		inner_eth_sip(&p);
		ip4_end(&p, ip);
		decode(n, SIFT_LINK_ETHERNET, &p, &out);
		check_sip_udp(&out, 4, C4, D4);
		assert_int_equal(sift_net_stats(n)->tunnelled, ++tun);
	}
	/* IPv6 inside. */
	memset(&p, 0, sizeof(p));
	ip = gre_begin(&p, 0x2000, 0x86dd);
	ip6_udp_sip(&p, C6, D6);
	ip4_end(&p, ip);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	check_sip_udp(&out, 6, C6, D6);

	/* Unknown GRE protocol: other, nothing handed on. */
	memset(&p, 0, sizeof(p));
	ip = gre_begin(&p, 0, 0x1234);
	ip4_udp_sip(&p, C4, D4);
	ip4_end(&p, ip);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	assert_int_equal(out.proto, 0);
	assert_int_equal(sift_net_stats(n)->other_proto, 1);
	sift_net_free(n);
}

/* ERSPAN type II: GRE with the S bit, 8-byte ERSPAN header, Ethernet. */
static void test_erspan2(void **state)
{
	struct sift_net *n = net_new();
	struct pkt p = { .n = 0 };
	struct sift_l4 out;
	size_t ip;

	(void)state;
	ip = gre_begin(&p, 0x1000, 0x88be);
	put32(&p, 0x10640005);       /* ver 1, VLAN 100, session 5 */
	put32(&p, 0x00000001);       /* index */
	inner_eth_sip(&p);
	ip4_end(&p, ip);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	check_sip_udp(&out, 4, C4, D4);
	assert_ptr_equal(out.data, p.b + p.n - strlen(SIP));
	assert_int_equal(sift_net_stats(n)->tunnelled, 1);
	sift_net_free(n);
}

/* ERSPAN type I: no sequence bit, no ERSPAN header. */
static void test_erspan1(void **state)
{
	struct sift_net *n = net_new();
	struct pkt p = { .n = 0 };
	struct sift_l4 out;
	size_t ip;

	(void)state;
	ip = gre_begin(&p, 0x0000, 0x88be);
	inner_eth_sip(&p);
	ip4_end(&p, ip);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	check_sip_udp(&out, 4, C4, D4);
	sift_net_free(n);
}

/* ERSPAN type III: 12-byte header; the O bit adds 8 bytes of platform
 * specific subheader. */
static void test_erspan3(void **state)
{
	struct sift_net *n = net_new();
	struct sift_l4 out;
	struct pkt p;
	size_t ip;

	(void)state;
	for (int o = 0; o < 2; o++) {
		memset(&p, 0, sizeof(p));
		ip = gre_begin(&p, 0x1000, 0x22eb);
		put32(&p, 0x20640005);   /* ver 2, VLAN 100, session 5 */
		put32(&p, 0x12345678);   /* timestamp */
		put16(&p, 0);            /* SGT */
		put16(&p, (uint16_t)(0x0100 | o)); /* HW id, O bit */
		if (o) {
			put32(&p, 0x00000001);   /* platform id 0 */
			put32(&p, 0xffffffff);
		}
		inner_eth_sip(&p);
		ip4_end(&p, ip);
		decode(n, SIFT_LINK_ETHERNET, &p, &out);
		check_sip_udp(&out, 4, C4, D4);
	}
	sift_net_free(n);
}

static void test_vxlan(void **state)
{
	static const uint16_t ports[] = { 4789, 8472 };
	struct sift_net *n = net_new();
	struct sift_l4 out;
	struct pkt p;
	size_t ip, u;

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		memset(&p, 0, sizeof(p));
		eth(&p, 0x0800);
		ip = ip4_begin(&p, 17, A4, B4);
		u = udp_begin(&p, 51234, ports[i]);
		put32(&p, 0x08000000);   /* I flag */
		put32(&p, 0x00002a00);   /* VNI 42 */
		inner_eth_sip(&p);
		udp_end(&p, u);
		ip4_end(&p, ip);
		decode(n, SIFT_LINK_ETHERNET, &p, &out);
		check_sip_udp(&out, 4, C4, D4);
	}
	assert_int_equal(sift_net_stats(n)->tunnelled, 2);

	/* Port 4789 without the I flag is plain UDP. */
	memset(&p, 0, sizeof(p));
	eth(&p, 0x0800);
	ip = ip4_begin(&p, 17, A4, B4);
	u = udp_begin(&p, 51234, 4789);
	put32(&p, 0x00000000);
	put32(&p, 0x00002a00);
	inner_eth_sip(&p);
	udp_end(&p, u);
	ip4_end(&p, ip);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	assert_int_equal(out.proto, SIFT_IPPROTO_UDP);
	check_addr(&out.dst, 4, B4, 4789);
	assert_int_equal(sift_net_stats(n)->tunnelled, 2);
	sift_net_free(n);
}

/* depth IP-in-IP headers around an IPv4/UDP packet. */
static void nested(struct pkt *p, int depth)
{
	size_t offs[64];

	assert_true(depth < 64);
	memset(p, 0, sizeof(*p));
	eth(p, 0x0800);
	for (int i = 0; i < depth; i++)
		offs[i] = ip4_begin(p, 4, A4, B4);
	ip4_udp_sip(p, C4, D4);
	for (int i = depth - 1; i >= 0; i--)
		ip4_end(p, offs[i]);
}

static void test_tunnel_depth_cap(void **state)
{
	struct sift_net *n = net_new();
	struct sift_l4 out;
	struct pkt p;
	int deepest = -1;

	(void)state;
	nested(&p, 3);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	check_sip_udp(&out, 4, C4, D4);

	/* Find the cap: some depth works, every deeper one is refused. */
	for (int d = 0; d <= 40; d++) {
		nested(&p, d);
		decode(n, SIFT_LINK_ETHERNET, &p, &out);
		if (out.proto == SIFT_IPPROTO_UDP) {
			assert_int_equal(deepest, d - 1);
			deepest = d;
		} else {
			assert_int_equal(out.proto, 0);
		}
	}
	assert_true(deepest >= 3 && deepest < 40);

	nested(&p, 40);
	{
		uint64_t inv = sift_net_stats(n)->invalid;

		decode(n, SIFT_LINK_ETHERNET, &p, &out);
		assert_int_equal(out.proto, 0);
		assert_null(out.data);
		assert_int_equal(out.len, 0);
		assert_int_equal(sift_net_stats(n)->invalid, inv + 1);
	}
	sift_net_free(n);
}

/* ICMP errors quote the start of the offending packet: counted, never
 * decoded (quoted RTP is not RTP). */
static void test_icmp(void **state)
{
	struct sift_net *n = net_new();
	struct pkt p = { .n = 0 };
	struct sift_l4 out;
	size_t ip;

	(void)state;
	eth(&p, 0x0800);
	ip = ip4_begin(&p, 1, B4, A4);
	put32(&p, 0x03030000);       /* port unreachable */
	put32(&p, 0);
	ip4_udp_sip(&p, A4, B4);
	ip4_end(&p, ip);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	assert_int_equal(out.proto, 0);
	assert_int_equal(sift_net_stats(n)->icmp, 1);
	assert_int_equal(sift_net_stats(n)->udp, 0);

	memset(&p, 0, sizeof(p));
	eth(&p, 0x86dd);
	ip = ip6_begin(&p, 58, B6, A6);
	put32(&p, 0x01040000);
	put32(&p, 0);
	ip6_udp_sip(&p, A6, B6);
	ip6_end(&p, ip);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	assert_int_equal(out.proto, 0);
	assert_int_equal(sift_net_stats(n)->icmp, 2);
	assert_int_equal(sift_net_stats(n)->udp, 0);
	sift_net_free(n);
}

static void test_invalid_ip(void **state)
{
	struct sift_net *n = net_new();
	struct sift_l4 out;
	struct pkt p;
	size_t ip, u;

	(void)state;
	/* IHL 3 (12 bytes) is below the minimum. */
	memset(&p, 0, sizeof(p));
	eth(&p, 0x0800);
	ip4_udp_sip(&p, A4, B4);
	p.b[14] = 0x43;
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	assert_int_equal(out.proto, 0);
	assert_int_equal(sift_net_stats(n)->invalid, 1);

	/* Version 5 behind an IPv4 ethertype. */
	p.b[14] = 0x55;
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	assert_int_equal(out.proto, 0);
	assert_int_equal(sift_net_stats(n)->invalid, 2);

	/* Total length below the header length. */
	p.b[14] = 0x45;
	set16(&p, 14 + 2, 12);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	assert_int_equal(out.proto, 0);
	assert_int_equal(sift_net_stats(n)->invalid, 3);

	/* Version 4 behind an IPv6 ethertype. */
	memset(&p, 0, sizeof(p));
	eth(&p, 0x86dd);
	ip6_udp_sip(&p, A6, B6);
	p.b[14] = 0x40;
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	assert_int_equal(out.proto, 0);
	assert_int_equal(sift_net_stats(n)->invalid, 4);

	/* UDP length below its own header. */
	memset(&p, 0, sizeof(p));
	eth(&p, 0x0800);
	ip = ip4_begin(&p, 17, A4, B4);
	u = udp_begin(&p, 5060, 5060);
	put(&p, SIP, strlen(SIP));
	ip4_end(&p, ip);
	set16(&p, u + 4, 7);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	assert_int_equal(out.proto, 0);
	assert_int_equal(sift_net_stats(n)->invalid, 5);
	assert_int_equal(sift_net_stats(n)->udp, 0);
	sift_net_free(n);
}

static void test_non_ip_and_unsupported(void **state)
{
	struct sift_net *n = net_new();
	struct pkt p = { .n = 0 };
	struct sift_l4 out;

	(void)state;
	eth(&p, 0x0806);
	putz(&p, 28);
	decode(n, SIFT_LINK_ETHERNET, &p, &out);
	assert_int_equal(out.proto, 0);
	assert_int_equal(sift_net_stats(n)->non_ip, 1);

	assert_int_equal(sift_net_decode(n, 147, p.b, p.n, T0, &out),
			 SIFT_EUNSUPPORTED);
	assert_int_equal(out.proto, 0);
	assert_int_equal(sift_net_stats(n)->unsupported_link, 1);

	/* Cut inside the link header. */
	assert_int_equal(sift_net_decode(n, SIFT_LINK_ETHERNET, p.b, 10, T0,
					 &out), SIFT_OK);
	assert_int_equal(out.proto, 0);
	assert_int_equal(sift_net_stats(n)->cut, 1);
	sift_net_free(n);
}

/* Decodes every prefix of p from its own allocation (ASan sees reads past
 * the end); a shorter prefix never yields an uncut payload. */
static void check_prefixes(const struct pkt *p, int lt)
{
	struct sift_net *n = net_new();
	struct sift_l4 out;

	for (size_t len = 0; len <= p->n; len++) {
		uint8_t *c = malloc(len ? len : 1);

		assert_non_null(c);
		memcpy(c, p->b, len);
		assert_int_equal(sift_net_decode(n, lt, c, len, T0, &out),
				 SIFT_OK);
		if (out.proto != 0) {
			assert_true(out.data >= c);
			assert_true(out.data + out.len <= c + len);
			if (len < p->n)
				assert_true(out.cut);
		}
		if (len == p->n) {
			check_sip_udp(&out, out.src.family,
				      out.src.family == 4 ? C4 : C6,
				      out.src.family == 4 ? D4 : D6);
		}
		free(c);
	}
	sift_net_free(n);
}

static void test_truncated_tunnels(void **state)
{
	struct pkt p;
	size_t ip, ip2, u;

	(void)state;
	/* ERSPAN II, VLAN inside. */
	memset(&p, 0, sizeof(p));
	ip = gre_begin(&p, 0x1000, 0x88be);
	put32(&p, 0x10640005);
	put32(&p, 1);
	inner_eth_sip(&p);
	ip4_end(&p, ip);
	check_prefixes(&p, SIFT_LINK_ETHERNET);

	/* ERSPAN III with the O bit. */
	memset(&p, 0, sizeof(p));
	ip = gre_begin(&p, 0x1000, 0x22eb);
	put32(&p, 0x20640005);
	put32(&p, 0);
	put16(&p, 0);
	put16(&p, 1);
	put32(&p, 1);
	put32(&p, 2);
	inner_eth_sip(&p);
	ip4_end(&p, ip);
	check_prefixes(&p, SIFT_LINK_ETHERNET);

	/* GRE with every optional field, IPv6 inside. */
	memset(&p, 0, sizeof(p));
	ip = gre_begin(&p, 0xb000, 0x86dd);
	ip6_udp_sip(&p, C6, D6);
	ip4_end(&p, ip);
	check_prefixes(&p, SIFT_LINK_ETHERNET);

	/* VXLAN over IPv6. */
	memset(&p, 0, sizeof(p));
	eth(&p, 0x86dd);
	ip = ip6_begin(&p, 17, A6, B6);
	u = udp_begin(&p, 40000, 4789);
	put32(&p, 0x08000000);
	put32(&p, 0x00000100);
	inner_eth_sip(&p);
	udp_end(&p, u);
	ip6_end(&p, ip);
	check_prefixes(&p, SIFT_LINK_ETHERNET);

	/* IPv6 with a hop-by-hop header carrying IPv4 in IPv4, on SLL2. */
	memset(&p, 0, sizeof(p));
	put16(&p, 0x86dd);
	putz(&p, 18);
	ip = ip6_begin(&p, 0, A6, B6);
	put8(&p, 4);
	put8(&p, 0);
	putz(&p, 6);
	ip2 = ip4_begin(&p, 4, A4, B4);
	ip4_udp_sip(&p, C4, D4);
	ip4_end(&p, ip2);
	ip6_end(&p, ip);
	check_prefixes(&p, SIFT_LINK_LINUX_SLL2);

	/* PPPoE, then 6in4. */
	memset(&p, 0, sizeof(p));
	eth(&p, 0x8864);
	put32(&p, 0x11000001);
	put16(&p, 0);
	put16(&p, 0x0021);
	ip = ip4_begin(&p, 41, A4, B4);
	ip6_udp_sip(&p, C6, D6);
	ip4_end(&p, ip);
	check_prefixes(&p, SIFT_LINK_ETHERNET);
}

/* sift_addr_str writes IPv4 by hand: what inet_ntop and "%s:%u" write. */
static void test_addr_str(void **state)
{
	static const uint8_t ips[][4] = {
		{ 0, 0, 0, 0 }, { 255, 255, 255, 255 }, { 10, 0, 0, 1 },
		{ 192, 168, 100, 9 }, { 1, 20, 199, 250 },
	};
	static const uint16_t ports[] = { 0, 1, 9, 5060, 65535 };
	struct sift_addr a;
	char got[SIFT_ADDR_STRLEN], want[64], ip[INET_ADDRSTRLEN], small[8];

	(void)state;
	for (size_t i = 0; i < sizeof(ips) / sizeof(ips[0]); i++)
		for (size_t j = 0; j < sizeof(ports) / sizeof(ports[0]); j++) {
			memset(&a, 0, sizeof(a));
			a.family = 4;
			memcpy(a.ip, ips[i], 4);
			a.port = ports[j];
			assert_non_null(inet_ntop(AF_INET, ips[i], ip, sizeof(ip)));
			if (ports[j])
				snprintf(want, sizeof(want), "%s:%u", ip, ports[j]);
			else
				snprintf(want, sizeof(want), "%s", ip);
			assert_string_equal(sift_addr_str(&a, got, sizeof(got)), want);
		}
	/* A buffer too small is cut as snprintf cuts, never overrun. */
	memcpy(a.ip, ips[1], 4);
	a.port = 65535;
	assert_string_equal(sift_addr_str(&a, small, sizeof(small)), "255.255");
	memset(&a, 0, sizeof(a));
	a.family = 6;
	memcpy(a.ip, A6, 16);
	a.port = 5061;
	assert_string_equal(sift_addr_str(&a, got, sizeof(got)), "[2001:db8::1]:5061");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr_str),
		cmocka_unit_test(test_ipv4_udp),
		cmocka_unit_test(test_ipv6_udp),
		cmocka_unit_test(test_ipv4_options_raw),
		cmocka_unit_test(test_ipv4_tcp),
		cmocka_unit_test(test_sctp),
		cmocka_unit_test(test_ethernet_padding),
		cmocka_unit_test(test_snaplen_cut),
		cmocka_unit_test(test_ipv6_ext_headers),
		cmocka_unit_test(test_ipv6_atomic_fragment),
		cmocka_unit_test(test_ipv4_fragments),
		cmocka_unit_test(test_ipv6_fragments),
		cmocka_unit_test(test_rewrite_reassembled),
		cmocka_unit_test(test_cut_fragment_refused),
		cmocka_unit_test(test_ip_in_ip),
		cmocka_unit_test(test_gre),
		cmocka_unit_test(test_erspan2),
		cmocka_unit_test(test_erspan1),
		cmocka_unit_test(test_erspan3),
		cmocka_unit_test(test_vxlan),
		cmocka_unit_test(test_tunnel_depth_cap),
		cmocka_unit_test(test_icmp),
		cmocka_unit_test(test_invalid_ip),
		cmocka_unit_test(test_non_ip_and_unsupported),
		cmocka_unit_test(test_truncated_tunnels),
		cmocka_unit_test(test_plain_udp4_shortcut),
		cmocka_unit_test(test_decode_memo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
