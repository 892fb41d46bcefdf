/* Unit tests for RTP and RTCP header validation (src/rtp.c). */
#include "testutil.h"

#include <string.h>

#include "media/rtp.h"

/* 12-byte header: V=2, flags in b0 (P, X, CC), M and PT, seq, ts, ssrc. */
static void rtp_hdr(struct pkt *p, uint8_t b0, bool m, uint8_t pt,
		    uint16_t seq, uint32_t ts, uint32_t ssrc)
{
	memset(p, 0, sizeof(*p));
	put8(p, (uint8_t)(0x80 | b0));
	put8(p, (uint8_t)((m ? 0x80 : 0) | pt));
	put16(p, seq);
	put32(p, ts);
	put32(p, ssrc);
}

static void payload(struct pkt *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put8(p, (uint8_t)(0xa0 + i));
}

static void test_rtp_fields(void **state)
{
	struct pkt p;
	struct sift_rtp_hdr h;

	(void)state;
	rtp_hdr(&p, 0, true, 96, 0xbeef, 0x01020304, 0xcafebabe);
	payload(&p, 20);
	assert_int_equal(sift_rtp_parse(p.b, p.n, false, &h), SIFT_OK);
	assert_true(h.marker);
	assert_int_equal(h.pt, 96);
	assert_int_equal(h.seq, 0xbeef);
	assert_int_equal(h.ts, 0x01020304);
	assert_int_equal(h.ssrc, 0xcafebabe);
	assert_int_equal(h.cc, 0);
	assert_int_equal(h.hdr_len, 12);
	assert_int_equal(h.payload_len, 20);
	assert_int_equal(h.pad_len, 0);

	rtp_hdr(&p, 0, false, 0, 1, 2, 3);
	assert_int_equal(sift_rtp_parse(p.b, p.n, false, &h), SIFT_OK);
	assert_false(h.marker);
	assert_int_equal(h.pt, 0);
	assert_int_equal(h.payload_len, 0);
}

/* The plain header's shortcut (first byte 0x80) against the general
 * parse: every second byte, every length from 0 to 20, parsed as it is
 * and with an empty header extension added (0x90), which goes the
 * general way: the same answer, 4 bytes further on. */
static void test_rtp_plain_shortcut(void **state)
{
	(void)state;
	for (unsigned b1 = 0; b1 < 256; b1++)
		for (size_t n = 0; n <= 20; n++) {
			struct pkt a, x;
			struct sift_rtp_hdr ha, hx;
			enum sift_rc ra, rx;

			rtp_hdr(&a, 0, b1 & 0x80, (uint8_t)(b1 & 0x7f), 0x1234,
				0x89abcdef, 0x01020304);
			rtp_hdr(&x, 0x10, b1 & 0x80, (uint8_t)(b1 & 0x7f), 0x1234,
				0x89abcdef, 0x01020304);
			put16(&x, 0xbede);
			put16(&x, 0);
			payload(&a, 8);
			payload(&x, 8);
			ra = sift_rtp_parse(a.b, n, false, &ha);
			rx = sift_rtp_parse(x.b, n < 12 ? n : n + 4, false, &hx);
			assert_int_equal(ra, rx);
			if (ra != SIFT_OK)
				continue;
			assert_int_equal(ha.pt, hx.pt);
			assert_int_equal(ha.marker, hx.marker);
			assert_int_equal(ha.cc, 0);
			assert_int_equal(ha.seq, hx.seq);
			assert_int_equal(ha.ts, hx.ts);
			assert_int_equal(ha.ssrc, hx.ssrc);
			assert_int_equal(ha.hdr_len + 4, hx.hdr_len);
			assert_int_equal(ha.payload_len, hx.payload_len);
			assert_int_equal(ha.pad_len, 0);
		}
}

static void test_rtp_csrc_and_extension(void **state)
{
	struct pkt p;
	struct sift_rtp_hdr h;

	(void)state;
	rtp_hdr(&p, 0x10 | 2, false, 8, 7, 8, 9);
	put32(&p, 0x11111111);
	put32(&p, 0x22222222);
	put16(&p, 0xbede);
	put16(&p, 2);            /* two words of extension */
	put32(&p, 0x10ff0000);
	put32(&p, 0);
	payload(&p, 5);
	assert_int_equal(sift_rtp_parse(p.b, p.n, false, &h), SIFT_OK);
	assert_int_equal(h.cc, 2);
	assert_int_equal(h.hdr_len, 12 + 8 + 4 + 8);
	assert_int_equal(h.payload_len, 5);
}

static void test_rtp_csrc_past_end(void **state)
{
	struct pkt p;
	struct sift_rtp_hdr h;

	(void)state;
	/* CC 15 says 60 bytes of CSRC; only 56 follow. */
	rtp_hdr(&p, 15, false, 0, 1, 2, 3);
	payload(&p, 56);
	assert_int_equal(sift_rtp_parse(p.b, p.n, false, &h), SIFT_ETRUNC);
	put32(&p, 0);
	assert_int_equal(sift_rtp_parse(p.b, p.n, false, &h), SIFT_OK);
	assert_int_equal(h.hdr_len, 72);
	assert_int_equal(h.payload_len, 0);
}

static void test_rtp_extension_lies(void **state)
{
	struct pkt p;
	struct sift_rtp_hdr h;

	(void)state;
	rtp_hdr(&p, 0x10, false, 0, 1, 2, 3);
	put16(&p, 0xbede);
	put16(&p, 3);            /* 12 bytes claimed, 8 present */
	put32(&p, 0);
	put32(&p, 0);
	assert_int_equal(sift_rtp_parse(p.b, p.n, false, &h), SIFT_ETRUNC);
	/* X set but not even the 4-byte extension header. */
	rtp_hdr(&p, 0x10, false, 0, 1, 2, 3);
	put16(&p, 0xbede);
	assert_int_equal(sift_rtp_parse(p.b, p.n, false, &h), SIFT_ETRUNC);
	/* SRTP does not excuse the extension. */
	assert_int_equal(sift_rtp_parse(p.b, p.n, true, &h), SIFT_ETRUNC);
}

static void test_rtp_padding(void **state)
{
	struct pkt p;
	struct sift_rtp_hdr h;

	(void)state;
	/* 4 bytes of padding and nothing else: exactly all of it. */
	rtp_hdr(&p, 0x20, false, 0, 1, 2, 3);
	put32(&p, 4);
	assert_int_equal(sift_rtp_parse(p.b, p.n, false, &h), SIFT_OK);
	assert_int_equal(h.pad_len, 4);
	assert_int_equal(h.payload_len, 0);
	p.b[p.n - 1] = 5;        /* one more than there is */
	assert_int_equal(sift_rtp_parse(p.b, p.n, false, &h), SIFT_ETRUNC);

	/* 4 payload bytes, then 4 of padding. */
	rtp_hdr(&p, 0x20, false, 0, 1, 2, 3);
	put32(&p, 0xabababab);
	put32(&p, 4);
	assert_int_equal(sift_rtp_parse(p.b, p.n, false, &h), SIFT_OK);
	assert_int_equal(h.pad_len, 4);
	assert_int_equal(h.payload_len, 4);

	/* Padding larger than the payload. */
	p.b[p.n - 1] = 9;
	assert_int_equal(sift_rtp_parse(p.b, p.n, false, &h), SIFT_ETRUNC);
	/* Under SRTP it is encrypted and not looked at. */
	assert_int_equal(sift_rtp_parse(p.b, p.n, true, &h), SIFT_OK);
	assert_int_equal(h.pad_len, 0);
	assert_int_equal(h.payload_len, 8);
	/* P set on an empty payload: no room for the count octet. */
	assert_int_equal(sift_rtp_parse(p.b, 12, false, &h), SIFT_ETRUNC);
	/* A count of 0 cannot be (it counts itself). */
	p.b[p.n - 1] = 0;
	assert_int_equal(sift_rtp_parse(p.b, p.n, false, &h), SIFT_EINVAL);
}

static void test_rtp_not_rtp(void **state)
{
	struct pkt p;
	struct sift_rtp_hdr h;

	(void)state;
	rtp_hdr(&p, 0, false, 0, 1, 2, 3);
	payload(&p, 4);
	p.b[0] = 0x40;           /* version 1 */
	assert_int_equal(sift_rtp_parse(p.b, p.n, false, &h), SIFT_EINVAL);
	p.b[0] = 0x00;           /* version 0 */
	assert_int_equal(sift_rtp_parse(p.b, p.n, false, &h), SIFT_EINVAL);
	/* RTCP SR (200) and APP (204) as seen through an RTP header. */
	rtp_hdr(&p, 0, true, 72, 1, 2, 3);
	assert_int_equal(sift_rtp_parse(p.b, p.n, false, &h), SIFT_EINVAL);
	rtp_hdr(&p, 0, true, 76, 1, 2, 3);
	assert_int_equal(sift_rtp_parse(p.b, p.n, false, &h), SIFT_EINVAL);
	rtp_hdr(&p, 0, true, 77, 1, 2, 3);
	assert_int_equal(sift_rtp_parse(p.b, p.n, false, &h), SIFT_OK);
	rtp_hdr(&p, 0, false, 71, 1, 2, 3);
	assert_int_equal(sift_rtp_parse(p.b, p.n, false, &h), SIFT_OK);
	/* Shorter than the fixed header. */
	rtp_hdr(&p, 0, false, 0, 1, 2, 3);
	assert_int_equal(sift_rtp_parse(p.b, 11, false, &h), SIFT_ETRUNC);
	assert_int_equal(sift_rtp_parse(p.b, 0, false, &h), SIFT_ETRUNC);
}

/* RTCP headers: V=2, count, PT, length in words minus one. */
static void rtcp_hdr(struct pkt *p, uint8_t count, uint8_t pt, uint16_t words)
{
	put8(p, (uint8_t)(0x80 | count));
	put8(p, pt);
	put16(p, words);
}

static void sr(struct pkt *p, uint32_t ssrc)
{
	rtcp_hdr(p, 0, 200, 6);
	put32(p, ssrc);
	for (int i = 0; i < 5; i++)
		put32(p, (uint32_t)i);
}

static void sdes(struct pkt *p, uint32_t ssrc)
{
	rtcp_hdr(p, 1, 202, 3);
	put32(p, ssrc);
	put8(p, 1);              /* CNAME */
	put8(p, 4);
	put(p, "abcd", 4);
	put16(p, 0);             /* end of items, padded to a word */
}

static void test_rtcp_sr_sdes(void **state)
{
	struct pkt p = { .n = 0 };
	uint32_t ssrc = 0;

	(void)state;
	sr(&p, 0x12345678);
	sdes(&p, 0x12345678);
	assert_int_equal(p.n, 28 + 16);
	assert_true(sift_rtcp_looks(p.b, p.n, false, &ssrc));
	assert_int_equal(ssrc, 0x12345678);
	/* One byte more or less and the lengths no longer add up. */
	assert_false(sift_rtcp_looks(p.b, p.n - 1, false, &ssrc));
	put8(&p, 0);
	assert_false(sift_rtcp_looks(p.b, p.n, false, &ssrc));
}

static void test_rtcp_rr(void **state)
{
	struct pkt p = { .n = 0 };
	uint32_t ssrc = 0;

	(void)state;
	rtcp_hdr(&p, 1, 201, 7);  /* one report block */
	put32(&p, 0xdeadbeef);
	for (int i = 0; i < 6; i++)
		put32(&p, 0);
	assert_true(sift_rtcp_looks(p.b, p.n, false, &ssrc));
	assert_int_equal(ssrc, 0xdeadbeef);
	/* Two report blocks claimed in the same length: they do not fit. */
	p.b[0] = 0x82;
	assert_false(sift_rtcp_looks(p.b, p.n, false, &ssrc));
}

static void test_rtcp_lying_length(void **state)
{
	struct pkt p = { .n = 0 };
	uint32_t ssrc = 7;

	(void)state;
	sr(&p, 1);
	sdes(&p, 1);
	p.b[28 + 3] = 9;         /* SDES claims 40 bytes, 16 present */
	assert_false(sift_rtcp_looks(p.b, p.n, false, &ssrc));
	assert_int_equal(ssrc, 7);
	p.b[28 + 3] = 3;
	p.b[3] = 200;            /* the SR claims more than the packet */
	assert_false(sift_rtcp_looks(p.b, p.n, false, &ssrc));
	/* With SRTCP only the first header is checked, and it must leave
	 * room for the E flag and index. */
	p.b[3] = 6;
	assert_true(sift_rtcp_looks(p.b, 28 + 4, true, &ssrc));
	assert_false(sift_rtcp_looks(p.b, 28 + 3, true, &ssrc));
	/* RTP is not RTCP. */
	memset(&p, 0, sizeof(p));
	put8(&p, 0x80);
	put8(&p, 0);
	put16(&p, 1);
	put32(&p, 2);
	put32(&p, 3);
	assert_false(sift_rtcp_looks(p.b, p.n, false, &ssrc));
}

static void test_rtcp_app_only(void **state)
{
	struct pkt p = { .n = 0 };
	uint32_t ssrc = 0;

	(void)state;
	rtcp_hdr(&p, 0, 204, 3);
	put32(&p, 0xa0a0a0a0);
	put(&p, "TEST", 4);
	put32(&p, 0x01020304);
	assert_true(sift_rtcp_looks(p.b, p.n, false, &ssrc));
	assert_int_equal(ssrc, 0xa0a0a0a0);
	p.b[0] = 0x40 | 0x00;    /* version 1 */
	assert_false(sift_rtcp_looks(p.b, p.n, false, &ssrc));
}

static void test_rtcp_bye_only(void **state)
{
	struct pkt p = { .n = 0 };
	uint32_t ssrc = 0;

	(void)state;
	rtcp_hdr(&p, 1, 203, 1);
	put32(&p, 0xb0b0b0b0);
	assert_true(sift_rtcp_looks(p.b, p.n, false, &ssrc));
	assert_int_equal(ssrc, 0xb0b0b0b0);
	/* SC 2 but one SSRC. */
	p.b[0] = 0x82;
	assert_false(sift_rtcp_looks(p.b, p.n, false, &ssrc));
	/* A BYE naming no source gives no SSRC. */
	memset(&p, 0, sizeof(p));
	rtcp_hdr(&p, 0, 203, 0);
	assert_false(sift_rtcp_looks(p.b, p.n, false, &ssrc));
}

static void test_rtcp_padding(void **state)
{
	struct pkt p = { .n = 0 };
	uint32_t ssrc = 0;

	(void)state;
	sr(&p, 5);
	rtcp_hdr(&p, 0, 203, 2);  /* BYE with P set below: SSRC + 4 pad */
	put32(&p, 5);
	put32(&p, 4);
	p.b[28] |= 0x20;
	assert_true(sift_rtcp_looks(p.b, p.n, false, &ssrc));
	p.b[p.n - 1] = 9;        /* more padding than the packet */
	assert_false(sift_rtcp_looks(p.b, p.n, false, &ssrc));
	p.b[p.n - 1] = 4;
	p.b[0] |= 0x20;          /* padding in the first of two: invalid */
	assert_false(sift_rtcp_looks(p.b, p.n, false, &ssrc));
}

/* A report block (RFC 3550 §6.4.1) about ssrc. */
static void block(struct pkt *p, uint32_t ssrc, uint8_t fraction,
		  uint32_t lost24, uint32_t jitter)
{
	put32(p, ssrc);
	put8(p, fraction);
	put8(p, (uint8_t)(lost24 >> 16));
	put8(p, (uint8_t)(lost24 >> 8));
	put8(p, (uint8_t)lost24);
	put32(p, 70000);         /* extended highest sequence */
	put32(p, jitter);
	put32(p, 0);             /* LSR */
	put32(p, 0);             /* DLSR */
}

static void test_rtcp_parse_sr_blocks(void **state)
{
	struct pkt p = { .n = 0 };
	struct sift_rtcp_info ri;

	(void)state;
	/* SR with sender info and two blocks, then an SDES. */
	rtcp_hdr(&p, 2, 200, 6 + 12);
	put32(&p, 0x11111111);
	put32(&p, 1);            /* NTP */
	put32(&p, 2);
	put32(&p, 3);            /* RTP timestamp */
	put32(&p, 250);          /* packet count */
	put32(&p, 40000);        /* octet count */
	block(&p, 0x22222222, 64, 5, 80);
	block(&p, 0x33333333, 0, 0xfffffe, 0);   /* -2: duplicates */
	sdes(&p, 0x11111111);
	assert_int_equal(sift_rtcp_parse(p.b, p.n, &ri), SIFT_OK);
	assert_true(ri.sr);
	assert_int_equal(ri.sender_ssrc, 0x11111111);
	assert_int_equal(ri.sr_packets, 250);
	assert_int_equal(ri.sr_octets, 40000);
	assert_int_equal(ri.nblocks, 2);
	assert_int_equal(ri.blocks[0].ssrc, 0x22222222);
	assert_int_equal(ri.blocks[0].fraction, 64);
	assert_int_equal(ri.blocks[0].cum_lost, 5);
	assert_int_equal(ri.blocks[0].jitter, 80);
	assert_int_equal(ri.blocks[0].ext_seq, 70000);
	assert_int_equal(ri.blocks[1].cum_lost, -2);
}

static void test_rtcp_parse_rr_lies(void **state)
{
	struct pkt p = { .n = 0 };
	struct sift_rtcp_info ri;

	(void)state;
	rtcp_hdr(&p, 1, 201, 7);
	put32(&p, 0x44444444);
	block(&p, 0x55555555, 1, 3, 160);
	/* A second RR that claims two blocks and has room for one: the
	 * first is kept, the second reported as a lie. */
	rtcp_hdr(&p, 2, 201, 7);
	put32(&p, 0x44444444);
	block(&p, 0x66666666, 0, 0, 0);
	assert_int_equal(sift_rtcp_parse(p.b, p.n, &ri), SIFT_ETRUNC);
	assert_false(ri.sr);
	assert_int_equal(ri.sender_ssrc, 0x44444444);
	assert_int_equal(ri.nblocks, 1);
	assert_int_equal(ri.blocks[0].ssrc, 0x55555555);
	/* A length past the end. */
	p.n = 0;
	rtcp_hdr(&p, 0, 201, 40);
	put32(&p, 1);
	assert_int_equal(sift_rtcp_parse(p.b, p.n, &ri), SIFT_ETRUNC);
	/* No RTCP at all. */
	p.n = 0;
	rtp_hdr(&p, 0, false, 0, 1, 2, 3);
	assert_int_equal(sift_rtcp_parse(p.b, p.n, &ri), SIFT_EINVAL);
	assert_int_equal(ri.nblocks, 0);
}

static void test_rtcp_parse_many_blocks(void **state)
{
	struct pkt p = { .n = 0 };
	struct sift_rtcp_info ri;

	(void)state;
	rtcp_hdr(&p, 10, 201, (uint16_t)(1 + 6 * 10));
	put32(&p, 7);
	for (uint32_t i = 0; i < 10; i++)
		block(&p, 100 + i, 0, i, 0);
	assert_int_equal(sift_rtcp_parse(p.b, p.n, &ri), SIFT_OK);
	assert_int_equal(ri.nblocks, SIFT_RTCP_MAX_BLOCKS);
	assert_int_equal(ri.skipped, 10 - SIFT_RTCP_MAX_BLOCKS);
	assert_int_equal(ri.blocks[SIFT_RTCP_MAX_BLOCKS - 1].ssrc,
			 100 + SIFT_RTCP_MAX_BLOCKS - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rtp_fields),
		cmocka_unit_test(test_rtp_plain_shortcut),
		cmocka_unit_test(test_rtp_csrc_and_extension),
		cmocka_unit_test(test_rtp_csrc_past_end),
		cmocka_unit_test(test_rtp_extension_lies),
		cmocka_unit_test(test_rtp_padding),
		cmocka_unit_test(test_rtp_not_rtp),
		cmocka_unit_test(test_rtcp_sr_sdes),
		cmocka_unit_test(test_rtcp_rr),
		cmocka_unit_test(test_rtcp_lying_length),
		cmocka_unit_test(test_rtcp_app_only),
		cmocka_unit_test(test_rtcp_bye_only),
		cmocka_unit_test(test_rtcp_padding),
		cmocka_unit_test(test_rtcp_parse_sr_blocks),
		cmocka_unit_test(test_rtcp_parse_rr_lies),
		cmocka_unit_test(test_rtcp_parse_many_blocks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
