/* Unit tests for link-layer decoding (src/link.c): every link type, every
 * truncation of each header, non-IP payloads and unknown link types. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "net/link.h"

/* The first bytes of an IPv4 and an IPv6 header: enough for the link layer,
 * which only looks at the version nibble when it has to. */
static const uint8_t IP4[] = { 0x45, 0x00, 0x00, 0x14 };
static const uint8_t IP6[] = { 0x60, 0x00, 0x00, 0x00 };

static void put32le(struct pkt *f, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 24) };

	put(f, b, 4);
}

/* Destination and source MAC; the type is up to the caller. */
static void eth_macs(struct pkt *f)
{
	static const uint8_t macs[12] = { 0x02, 0, 0, 0, 0, 1,
					  0x02, 0, 0, 0, 0, 2 };

	memset(f, 0, sizeof(*f));
	put(f, macs, sizeof(macs));
}

/* Decodes a copy of exactly len bytes in its own allocation, so that ASan
 * sees any read past the end. */
static enum sift_rc decode_copy(int linktype, const uint8_t *p, size_t len,
				struct sift_link_result *r)
{
	uint8_t *c = malloc(len ? len : 1);
	enum sift_rc rc;

	assert_non_null(c);
	if (len)
		memcpy(c, p, len);
	memset(r, 0xa5, sizeof(*r));
	rc = sift_link_decode(linktype, c, len, r);
	free(c);
	return rc;
}

/* The full frame decodes to (l3, off); every prefix shorter than hdr (the
 * link header length) is SIFT_ETRUNC; every longer prefix gives the same
 * answer as the whole frame. sniff: the link type finds the IP version in
 * the first IP byte, so a prefix that ends right at it cannot tell. */
static void check_frame(int linktype, const struct pkt *f, enum sift_l3 l3,
			size_t off, size_t hdr, bool sniff)
{
	struct sift_link_result r;

	assert_int_equal(decode_copy(linktype, f->b, f->n, &r), SIFT_OK);
	assert_int_equal(r.l3, l3);
	assert_int_equal(r.offset, off);
	for (size_t len = 0; len < f->n; len++) {
		enum sift_rc rc = decode_copy(linktype, f->b, len, &r);

		if (len < hdr) {
			if (rc != SIFT_ETRUNC)
				fail_msg("link %d: prefix %zu of %zu gives rc %d, want ETRUNC",
					 linktype, len, f->n, rc);
			continue;
		}
		if (rc != SIFT_OK)
			fail_msg("link %d: prefix %zu of %zu gives rc %d, want OK",
				 linktype, len, f->n, rc);
		assert_int_equal(r.offset, off);
		if (sniff && len == hdr)
			assert_int_equal(r.l3, SIFT_L3_NONE);
		else
			assert_int_equal(r.l3, l3);
	}
}

static void test_ethernet(void **state)
{
	struct pkt f;

	(void)state;
	eth_macs(&f);
	put16(&f, 0x0800);
	put(&f, IP4, sizeof(IP4));
	check_frame(SIFT_LINK_ETHERNET, &f, SIFT_L3_IPV4, 14, 14, false);

	eth_macs(&f);
	put16(&f, 0x86dd);
	put(&f, IP6, sizeof(IP6));
	check_frame(SIFT_LINK_ETHERNET, &f, SIFT_L3_IPV6, 14, 14, false);
}

static void test_vlan(void **state)
{
	struct pkt f;

	(void)state;
	eth_macs(&f);
	put16(&f, 0x8100);
	put16(&f, 0x0064);            /* VLAN 100 */
	put16(&f, 0x0800);
	put(&f, IP4, sizeof(IP4));
	check_frame(SIFT_LINK_ETHERNET, &f, SIFT_L3_IPV4, 18, 18, false);

	eth_macs(&f);
	put16(&f, 0x8100);
	put16(&f, 0x2064);            /* priority 1 */
	put16(&f, 0x86dd);
	put(&f, IP6, sizeof(IP6));
	check_frame(SIFT_LINK_ETHERNET, &f, SIFT_L3_IPV6, 18, 18, false);
}

static void test_qinq(void **state)
{
	static const uint16_t outer[] = { 0x88a8, 0x9100, 0x8100 };
	struct pkt f;

	(void)state;
	for (size_t i = 0; i < sizeof(outer) / sizeof(outer[0]); i++) {
		eth_macs(&f);
		put16(&f, outer[i]);
		put16(&f, 0x00c8);    /* service VLAN 200 */
		put16(&f, 0x8100);
		put16(&f, 0x0064);    /* customer VLAN 100 */
		put16(&f, 0x0800);
		put(&f, IP4, sizeof(IP4));
		check_frame(SIFT_LINK_ETHERNET, &f, SIFT_L3_IPV4, 22, 22, false);
	}
	/* Outer tag straight onto IPv6, no inner 802.1Q. */
	eth_macs(&f);
	put16(&f, 0x88a8);
	put16(&f, 0x00c8);
	put16(&f, 0x86dd);
	put(&f, IP6, sizeof(IP6));
	check_frame(SIFT_LINK_ETHERNET, &f, SIFT_L3_IPV6, 18, 18, false);
}

/* A frame of nothing but tags must end, not loop or read past the end. */
static void test_vlan_stack_bounded(void **state)
{
	struct pkt f;
	struct sift_link_result r;

	(void)state;
	eth_macs(&f);
	put16(&f, 0x8100);
	for (int i = 0; i < 20; i++) {
		put16(&f, 0x0001);
		put16(&f, 0x8100);
	}
	put16(&f, 0x0001);
	put16(&f, 0x0800);
	put(&f, IP4, sizeof(IP4));
	assert_int_equal(decode_copy(SIFT_LINK_ETHERNET, f.b, f.n, &r), SIFT_OK);
	assert_int_equal(r.l3, SIFT_L3_NONE);
	assert_true(r.offset <= f.n);
}

static void pppoe(struct pkt *f, uint16_t proto)
{
	eth_macs(f);
	put16(f, 0x8864);
	put8(f, 0x11);                /* version 1, type 1 */
	put8(f, 0x00);                /* code: session data */
	put16(f, 0x1234);             /* session id */
	put16(f, 2 + 4);              /* PPP protocol + payload */
	put16(f, proto);
}

static void test_pppoe(void **state)
{
	struct pkt f;

	(void)state;
	pppoe(&f, 0x0021);
	put(&f, IP4, sizeof(IP4));
	check_frame(SIFT_LINK_ETHERNET, &f, SIFT_L3_IPV4, 22, 22, false);

	pppoe(&f, 0x0057);
	put(&f, IP6, sizeof(IP6));
	check_frame(SIFT_LINK_ETHERNET, &f, SIFT_L3_IPV6, 22, 22, false);

	/* LCP is PPP but not IP. */
	pppoe(&f, 0xc021);
	put(&f, IP4, sizeof(IP4));
	check_frame(SIFT_LINK_ETHERNET, &f, SIFT_L3_NONE, 22, 22, false);

	/* PPPoE inside a VLAN. */
	eth_macs(&f);
	put16(&f, 0x8100);
	put16(&f, 0x0007);
	put16(&f, 0x8864);
	put8(&f, 0x11);
	put8(&f, 0x00);
	put16(&f, 0x0001);
	put16(&f, 6);
	put16(&f, 0x0021);
	put(&f, IP4, sizeof(IP4));
	check_frame(SIFT_LINK_ETHERNET, &f, SIFT_L3_IPV4, 26, 26, false);
}

/* An MPLS label stack entry (RFC 3032 §2.1). */
static void mpls_label(struct pkt *f, uint32_t label, bool bottom)
{
	put32(f, label << 12 | (bottom ? 0x100u : 0) | 64);
}

static void test_mpls(void **state)
{
	struct pkt f;

	(void)state;
	eth_macs(&f);
	put16(&f, 0x8847);
	mpls_label(&f, 16, true);
	put(&f, IP4, sizeof(IP4));
	check_frame(SIFT_LINK_ETHERNET, &f, SIFT_L3_IPV4, 18, 18, true);

	eth_macs(&f);
	put16(&f, 0x8847);
	mpls_label(&f, 1000, false);
	mpls_label(&f, 17, true);
	put(&f, IP6, sizeof(IP6));
	check_frame(SIFT_LINK_ETHERNET, &f, SIFT_L3_IPV6, 22, 22, true);

	/* Multicast MPLS, two labels, IPv4. */
	eth_macs(&f);
	put16(&f, 0x8848);
	mpls_label(&f, 1000, false);
	mpls_label(&f, 17, true);
	put(&f, IP4, sizeof(IP4));
	check_frame(SIFT_LINK_ETHERNET, &f, SIFT_L3_IPV4, 22, 22, true);

	/* A pseudowire control word (first nibble 0) is not IP. */
	eth_macs(&f);
	put16(&f, 0x8847);
	mpls_label(&f, 16, true);
	put32(&f, 0);
	check_frame(SIFT_LINK_ETHERNET, &f, SIFT_L3_NONE, 18, 18, false);
}

/* Labels without a bottom of stack: bounded, not IP. */
static void test_mpls_no_bottom(void **state)
{
	struct pkt f;
	struct sift_link_result r;
	enum sift_rc rc;

	(void)state;
	eth_macs(&f);
	put16(&f, 0x8847);
	for (int i = 0; i < 20; i++)
		mpls_label(&f, (uint32_t)i + 16, false);
	rc = decode_copy(SIFT_LINK_ETHERNET, f.b, f.n, &r);
	assert_true(rc == SIFT_OK || rc == SIFT_ETRUNC);
	assert_int_equal(r.l3, SIFT_L3_NONE);
}

static void test_arp_and_llc(void **state)
{
	struct pkt f;

	(void)state;
	eth_macs(&f);
	put16(&f, 0x0806);            /* ARP */
	put32(&f, 0x00010800);
	put32(&f, 0x06040001);
	check_frame(SIFT_LINK_ETHERNET, &f, SIFT_L3_NONE, 14, 14, false);

	eth_macs(&f);
	put16(&f, 0x8100);
	put16(&f, 0x0064);
	put16(&f, 0x0806);            /* ARP in a VLAN */
	put32(&f, 0x00010800);
	check_frame(SIFT_LINK_ETHERNET, &f, SIFT_L3_NONE, 18, 18, false);

	eth_macs(&f);
	put16(&f, 0x0026);            /* 802.3 length: LLC (STP) */
	put16(&f, 0x4242);
	put8(&f, 0x03);
	put(&f, IP4, sizeof(IP4));
	check_frame(SIFT_LINK_ETHERNET, &f, SIFT_L3_NONE, 14, 14, false);

	eth_macs(&f);
	put16(&f, 0x88cc);            /* LLDP */
	put(&f, IP4, sizeof(IP4));
	check_frame(SIFT_LINK_ETHERNET, &f, SIFT_L3_NONE, 14, 14, false);
}

static void sll(struct pkt *f, uint16_t proto)
{
	memset(f, 0, sizeof(*f));
	put16(f, 0);                  /* packet type: to us */
	put16(f, 1);                  /* ARPHRD_ETHER */
	put16(f, 6);                  /* address length */
	put32(f, 0x02000000);
	put32(f, 0x00010000);         /* address, padded to 8 */
	put16(f, proto);
}

static void test_sll(void **state)
{
	struct pkt f;

	(void)state;
	sll(&f, 0x0800);
	assert_int_equal(f.n, 16);
	put(&f, IP4, sizeof(IP4));
	check_frame(SIFT_LINK_LINUX_SLL, &f, SIFT_L3_IPV4, 16, 16, false);

	sll(&f, 0x86dd);
	put(&f, IP6, sizeof(IP6));
	check_frame(SIFT_LINK_LINUX_SLL, &f, SIFT_L3_IPV6, 16, 16, false);

	sll(&f, 0x0806);
	put32(&f, 0x00010800);
	check_frame(SIFT_LINK_LINUX_SLL, &f, SIFT_L3_NONE, 16, 16, false);
}

static void sll2(struct pkt *f, uint16_t proto)
{
	memset(f, 0, sizeof(*f));
	put16(f, proto);
	put16(f, 0);                  /* reserved */
	put32(f, 3);                  /* interface index */
	put16(f, 1);                  /* ARPHRD_ETHER */
	put8(f, 4);                   /* packet type: outgoing */
	put8(f, 6);                   /* address length */
	put32(f, 0x02000000);
	put32(f, 0x00020000);
}

static void test_sll2(void **state)
{
	struct pkt f;

	(void)state;
	sll2(&f, 0x0800);
	assert_int_equal(f.n, 20);
	put(&f, IP4, sizeof(IP4));
	check_frame(SIFT_LINK_LINUX_SLL2, &f, SIFT_L3_IPV4, 20, 20, false);

	sll2(&f, 0x86dd);
	put(&f, IP6, sizeof(IP6));
	check_frame(SIFT_LINK_LINUX_SLL2, &f, SIFT_L3_IPV6, 20, 20, false);

	sll2(&f, 0x0806);
	put32(&f, 0x00010800);
	check_frame(SIFT_LINK_LINUX_SLL2, &f, SIFT_L3_NONE, 20, 20, false);
}

static void test_raw(void **state)
{
	struct pkt f;

	(void)state;
	memset(&f, 0, sizeof(f));
	put(&f, IP4, sizeof(IP4));
	check_frame(SIFT_LINK_RAW, &f, SIFT_L3_IPV4, 0, 1, false);

	memset(&f, 0, sizeof(f));
	put(&f, IP6, sizeof(IP6));
	check_frame(SIFT_LINK_RAW, &f, SIFT_L3_IPV6, 0, 1, false);

	/* Version 5 is neither. */
	memset(&f, 0, sizeof(f));
	put32(&f, 0x50000000);
	check_frame(SIFT_LINK_RAW, &f, SIFT_L3_NONE, 0, 1, false);
}

/* LINKTYPE_IPV4/IPV6 say the version: no header, nothing to sniff. */
static void test_ipv4_ipv6_linktypes(void **state)
{
	struct sift_link_result r;

	(void)state;
	assert_int_equal(decode_copy(SIFT_LINK_IPV4, IP4, sizeof(IP4), &r),
			 SIFT_OK);
	assert_int_equal(r.l3, SIFT_L3_IPV4);
	assert_int_equal(r.offset, 0);
	assert_int_equal(decode_copy(SIFT_LINK_IPV6, IP6, sizeof(IP6), &r),
			 SIFT_OK);
	assert_int_equal(r.l3, SIFT_L3_IPV6);
	assert_int_equal(r.offset, 0);
	/* The link type wins over the first nibble (the IP decoder then
	 * counts the mismatch as invalid). */
	assert_int_equal(decode_copy(SIFT_LINK_IPV6, IP4, sizeof(IP4), &r),
			 SIFT_OK);
	assert_int_equal(r.l3, SIFT_L3_IPV6);
	for (size_t len = 0; len < sizeof(IP4); len++) {
		assert_int_equal(decode_copy(SIFT_LINK_IPV4, IP4, len, &r),
				 SIFT_OK);
		assert_int_equal(r.l3, SIFT_L3_IPV4);
		assert_int_equal(r.offset, 0);
	}
}

/* BSD loopback: the family in the writer's byte order (NULL) or network
 * order (LOOP); IPv6 is 24, 28 or 30 depending on the BSD, 10 on Linux. */
static void test_null_loop(void **state)
{
	static const struct {
		uint32_t af;
		enum sift_l3 l3;
	} fams[] = {
		{ 2, SIFT_L3_IPV4 }, { 24, SIFT_L3_IPV6 }, { 28, SIFT_L3_IPV6 },
		{ 30, SIFT_L3_IPV6 }, { 10, SIFT_L3_IPV6 }, { 7, SIFT_L3_NONE },
		{ 0, SIFT_L3_NONE }, { 17, SIFT_L3_NONE },
	};
	struct pkt f;

	(void)state;
	for (size_t i = 0; i < sizeof(fams) / sizeof(fams[0]); i++) {
		const uint8_t *ip = fams[i].l3 == SIFT_L3_IPV6 ? IP6 : IP4;

		/* NULL from a little-endian writer. */
		memset(&f, 0, sizeof(f));
		put32le(&f, fams[i].af);
		put(&f, ip, 4);
		check_frame(SIFT_LINK_NULL, &f, fams[i].l3, 4, 4, false);
		/* NULL from a big-endian writer. */
		memset(&f, 0, sizeof(f));
		put32(&f, fams[i].af);
		put(&f, ip, 4);
		check_frame(SIFT_LINK_NULL, &f, fams[i].l3, 4, 4, false);
		/* LOOP: always network order. */
		memset(&f, 0, sizeof(f));
		put32(&f, fams[i].af);
		put(&f, ip, 4);
		check_frame(SIFT_LINK_LOOP, &f, fams[i].l3, 4, 4, false);
	}
}

static void test_ppp(void **state)
{
	struct pkt f;

	(void)state;
	/* Address and control present, 2-byte protocol. */
	memset(&f, 0, sizeof(f));
	put16(&f, 0xff03);
	put16(&f, 0x0021);
	put(&f, IP4, sizeof(IP4));
	check_frame(SIFT_LINK_PPP, &f, SIFT_L3_IPV4, 4, 4, false);

	memset(&f, 0, sizeof(f));
	put16(&f, 0xff03);
	put16(&f, 0x0057);
	put(&f, IP6, sizeof(IP6));
	check_frame(SIFT_LINK_PPP, &f, SIFT_L3_IPV6, 4, 4, false);

	/* Address and control compressed away (RFC 1661 §6.6). */
	memset(&f, 0, sizeof(f));
	put16(&f, 0x0021);
	put(&f, IP4, sizeof(IP4));
	check_frame(SIFT_LINK_PPP, &f, SIFT_L3_IPV4, 2, 2, false);

	memset(&f, 0, sizeof(f));
	put16(&f, 0x0057);
	put(&f, IP6, sizeof(IP6));
	check_frame(SIFT_LINK_PPP, &f, SIFT_L3_IPV6, 2, 2, false);

	/* One-byte protocol field (RFC 1661 §6.5), with and without ff03. */
	memset(&f, 0, sizeof(f));
	put8(&f, 0x21);
	put(&f, IP4, sizeof(IP4));
	check_frame(SIFT_LINK_PPP, &f, SIFT_L3_IPV4, 1, 1, false);

	memset(&f, 0, sizeof(f));
	put16(&f, 0xff03);
	put8(&f, 0x57);
	put(&f, IP6, sizeof(IP6));
	check_frame(SIFT_LINK_PPP, &f, SIFT_L3_IPV6, 3, 3, false);

	/* LCP: PPP, not IP. */
	memset(&f, 0, sizeof(f));
	put16(&f, 0xff03);
	put16(&f, 0xc021);
	put32(&f, 0x01010004);
	check_frame(SIFT_LINK_PPP, &f, SIFT_L3_NONE, 4, 4, false);
}

static void test_unsupported(void **state)
{
	static const int unknown[] = { 2, 105, 127, 147, 187, 275, 277, -1, 1000 };
	struct sift_link_result r;

	(void)state;
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		assert_int_equal(decode_copy(unknown[i], IP4, sizeof(IP4), &r),
				 SIFT_EUNSUPPORTED);
		assert_int_equal(r.l3, SIFT_L3_NONE);
		assert_false(sift_link_supported(unknown[i]));
		assert_null(sift_link_name(unknown[i]));
	}
}

static void test_names(void **state)
{
	static const struct {
		int type;
		const char *name;
	} names[] = {
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

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *n = sift_link_name(names[i].type);

		assert_non_null(n);
		assert_string_equal(n, names[i].name);
		assert_true(sift_link_supported(names[i].type));
	}
	/* The switch and the table of names say the same of every type. */
	for (int t = -2; t < 1024; t++)
		assert_int_equal(sift_link_supported(t), sift_link_name(t) != NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ethernet),
		cmocka_unit_test(test_vlan),
		cmocka_unit_test(test_qinq),
		cmocka_unit_test(test_vlan_stack_bounded),
		cmocka_unit_test(test_pppoe),
		cmocka_unit_test(test_mpls),
		cmocka_unit_test(test_mpls_no_bottom),
		cmocka_unit_test(test_arp_and_llc),
		cmocka_unit_test(test_sll),
		cmocka_unit_test(test_sll2),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_ipv4_ipv6_linktypes),
		cmocka_unit_test(test_null_loop),
		cmocka_unit_test(test_ppp),
		cmocka_unit_test(test_unsupported),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
