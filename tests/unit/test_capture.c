/* Unit tests for src/capture.c: every capture is built in memory here and
 * written to a temporary directory, so the test needs no files. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "testutil.h"

#include "capture/capture.h"

static char tmpdir[64];

/* ---- building captures ------------------------------------------------ */

struct bld {
	uint8_t *p;
	size_t len;
	size_t cap;
	bool be;
};

static void b_bytes(struct bld *b, const void *d, size_t n)
{
	if (b->len + n > b->cap) {
		size_t ncap = (b->len + n) * 2 + 64;

		b->p = realloc(b->p, ncap);
		assert_non_null(b->p);
		b->cap = ncap;
	}
	if (d)
		memcpy(b->p + b->len, d, n);
	else
		memset(b->p + b->len, 0, n);
	b->len += n;
}

static void b_u16(struct bld *b, uint16_t v)
{
	uint8_t x[2];

	if (b->be) {
		x[0] = (uint8_t)(v >> 8);
		x[1] = (uint8_t)v;
	} else {
		x[0] = (uint8_t)v;
		x[1] = (uint8_t)(v >> 8);
	}
	b_bytes(b, x, 2);
}

static void b_u32(struct bld *b, uint32_t v)
{
	if (b->be) {
		b_u16(b, (uint16_t)(v >> 16));
		b_u16(b, (uint16_t)v);
	} else {
		b_u16(b, (uint16_t)v);
		b_u16(b, (uint16_t)(v >> 16));
	}
}

static void b_patch32(struct bld *b, size_t at, uint32_t v)
{
	size_t len = b->len;

	b->len = at;
	b_u32(b, v);
	b->len = len;
}

static void b_free(struct bld *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* Ethernet + IPv4 + UDP with `pay` payload bytes; frag_off in 8-byte units
 * makes a non-first fragment that carries no UDP header. */
static size_t frame_udp4(uint8_t *f, uint16_t sport, uint16_t dport,
			 size_t pay, uint16_t frag_off)
{
	size_t ip_len = 20 + (frag_off ? 0 : 8) + pay, n = 0, i;

	memset(f, 0, 14 + ip_len);
	memcpy(f, "\x00\x11\x22\x33\x44\x55\x00\x66\x77\x88\x99\xaa\x08\x00", 14);
	n = 14;
	f[n] = 0x45;
	f[n + 2] = (uint8_t)(ip_len >> 8);
	f[n + 3] = (uint8_t)ip_len;
	f[n + 6] = (uint8_t)(frag_off >> 8);
	f[n + 7] = (uint8_t)frag_off;
	f[n + 8] = 64;
	f[n + 9] = 17;
	memcpy(f + n + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	n += 20;
	if (!frag_off) {
		f[n] = (uint8_t)(sport >> 8);
		f[n + 1] = (uint8_t)sport;
		f[n + 2] = (uint8_t)(dport >> 8);
		f[n + 3] = (uint8_t)dport;
		f[n + 4] = (uint8_t)((8 + pay) >> 8);
		f[n + 5] = (uint8_t)(8 + pay);
		n += 8;
	}
	for (i = 0; i < pay; i++)
		f[n + i] = (uint8_t)('a' + i % 26);
	return n + pay;
}

/* Ethernet + IPv6 with a Fragment header (next header 44), offset 1448. */
static size_t frame_frag6(uint8_t *f)
{
	memset(f, 0, 14 + 40 + 8 + 16);
	memcpy(f, "\x00\x11\x22\x33\x44\x55\x00\x66\x77\x88\x99\xaa\x86\xdd", 14);
	f[14] = 0x60;
	f[14 + 5] = 24;         /* payload length */
	f[14 + 6] = 44;         /* next header: Fragment */
	f[14 + 7] = 64;
	f[14 + 8 + 15] = 1;
	f[14 + 24 + 15] = 2;
	f[54] = 17;             /* fragment header: next header UDP */
	f[56] = 0x05;           /* offset 181 * 8 */
	f[57] = 0xa8;
	return 14 + 40 + 8 + 16;
}

/* Linux cooked v1 + IPv4 + UDP. */
static size_t frame_sll(uint8_t *f, uint16_t dport)
{
	uint8_t tmp[128];
	size_t n = frame_udp4(tmp, 5060, dport, 10, 0);

	memset(f, 0, 16);
	f[3] = 1;               /* ARPHRD_ETHER */
	f[5] = 6;
	f[14] = 0x08;
	memcpy(f + 16, tmp + 14, n - 14);
	return 16 + n - 14;
}

static void pcap_hdr(struct bld *b, bool ns, uint32_t snaplen, uint32_t lt)
{
	b_u32(b, ns ? 0xa1b23c4du : 0xa1b2c3d4u);
	b_u16(b, 2);
	b_u16(b, 4);
	b_u32(b, 0);
	b_u32(b, 0);
	b_u32(b, snaplen);
	b_u32(b, lt);
}

static void pcap_rec(struct bld *b, uint32_t sec, uint32_t frac,
		     const uint8_t *d, uint32_t caplen, uint32_t len)
{
	b_u32(b, sec);
	b_u32(b, frac);
	b_u32(b, caplen);
	b_u32(b, len);
	b_bytes(b, d, caplen);
}

static size_t ng_begin(struct bld *b, uint32_t type)
{
	size_t at = b->len;

	b_u32(b, type);
	b_u32(b, 0);
	return at;
}

static void ng_end(struct bld *b, size_t at)
{
	uint32_t total;

	while (b->len % 4)
		b_bytes(b, NULL, 1);
	total = (uint32_t)(b->len - at + 4);
	b_u32(b, total);
	b_patch32(b, at + 4, total);
}

static void ng_shb(struct bld *b)
{
	size_t at = ng_begin(b, 0x0A0D0D0A);

	b_u32(b, 0x1A2B3C4D);
	b_u16(b, 1);
	b_u16(b, 0);
	b_u32(b, 0xffffffff);
	b_u32(b, 0xffffffff);
	ng_end(b, at);
}

/* tsresol < 0: no option; tsoffset 0: no option. */
static void ng_idb(struct bld *b, uint16_t lt, uint32_t snaplen, int tsresol,
		   int64_t tsoffset)
{
	size_t at = ng_begin(b, 1);
	uint64_t u = (uint64_t)tsoffset;
	uint8_t r;

	b_u16(b, lt);
	b_u16(b, 0);
	b_u32(b, snaplen);
	b_u16(b, 2);            /* if_name, to be skipped */
	b_u16(b, 3);
	b_bytes(b, "et0\0", 4);
	if (tsresol >= 0) {
		b_u16(b, 9);
		b_u16(b, 1);
		r = (uint8_t)tsresol;
		b_bytes(b, &r, 1);
		b_bytes(b, NULL, 3);
	}
	if (tsoffset != 0) {
		b_u16(b, 14);
		b_u16(b, 8);
		if (b->be) {
			b_u32(b, (uint32_t)(u >> 32));
			b_u32(b, (uint32_t)u);
		} else {
			b_u32(b, (uint32_t)u);
			b_u32(b, (uint32_t)(u >> 32));
		}
	}
	b_u16(b, 0);
	b_u16(b, 0);
	ng_end(b, at);
}

static void ng_epb(struct bld *b, uint32_t ifid, uint64_t ts,
		   const uint8_t *d, uint32_t caplen, uint32_t len)
{
	size_t at = ng_begin(b, 6);

	b_u32(b, ifid);
	b_u32(b, (uint32_t)(ts >> 32));
	b_u32(b, (uint32_t)ts);
	b_u32(b, caplen);
	b_u32(b, len);
	b_bytes(b, d, caplen);
	ng_end(b, at);
}

static void ng_spb(struct bld *b, const uint8_t *d, uint32_t stored,
		   uint32_t len)
{
	size_t at = ng_begin(b, 3);

	b_u32(b, len);
	b_bytes(b, d, stored);
	ng_end(b, at);
}

static void ng_pb(struct bld *b, uint16_t ifid, uint64_t ts,
		  const uint8_t *d, uint32_t caplen)
{
	size_t at = ng_begin(b, 2);

	b_u16(b, ifid);
	b_u16(b, 0);
	b_u32(b, (uint32_t)(ts >> 32));
	b_u32(b, (uint32_t)ts);
	b_u32(b, caplen);
	b_u32(b, caplen);
	b_bytes(b, d, caplen);
	ng_end(b, at);
}

static void ng_other(struct bld *b, uint32_t type, size_t body)
{
	size_t at = ng_begin(b, type);

	b_bytes(b, NULL, body);
	ng_end(b, at);
}

/* ---- files ------------------------------------------------------------ */

static void tpath(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", tmpdir, name);
}

static void write_file(const char *path, const void *d, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	if (n > 0)
		assert_int_equal(fwrite(d, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void write_gz(const char *path, const void *d, size_t n)
{
	gzFile g = gzopen(path, "wb");

	assert_non_null(g);
	assert_int_equal(gzwrite(g, d, (unsigned)n), (int)n);
	assert_int_equal(gzclose(g), Z_OK);
}

static void *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *d;
	long sz;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	sz = ftell(f);
	assert_true(sz >= 0);
	rewind(f);
	d = malloc((size_t)sz + 1);
	assert_non_null(d);
	assert_int_equal(fread(d, 1, (size_t)sz, f), (size_t)sz);
	fclose(f);
	*n = (size_t)sz;
	return d;
}

/* What a test checks of each packet read. */
struct seen {
	uint32_t caplen;
	uint32_t len;
	int linktype;
	sift_time ts;
	uint64_t frame;
	uint8_t first;
	uint8_t last;
};

#define MAXSEEN 32

/* What sift_capture_peek showed of a packet to come: to hold against what
 * sift_capture_next gives when it comes (the reader's buffer may have
 * moved by then, so its length, link type and a sum of its bytes). */
struct peeked {
	bool set;
	size_t caplen;
	int linktype;
	uint64_t sum;
};

static struct peeked peek_at(const struct sift_capture *c, unsigned k)
{
	struct peeked pk = { false, 0, 0, 0 };
	const uint8_t *d = sift_capture_peek(c, k, &pk.caplen, &pk.linktype);

	if (!d)
		return pk;
	pk.set = true;
	for (size_t i = 0; i < pk.caplen; i++)
		pk.sum = pk.sum * 31 + d[i];
	return pk;
}

/* A packet sift_capture_peek showed is the one that comes. */
static void check_peeked(const struct peeked *pk, enum sift_rc rc,
			 const struct sift_packet *pkt)
{
	struct peeked got = { true, 0, 0, 0 };

	if (!pk->set)
		return;
	assert_int_equal(rc, SIFT_OK);
	got.caplen = pkt->caplen;
	got.linktype = pkt->linktype;
	for (size_t i = 0; i < got.caplen; i++)
		got.sum = got.sum * 31 + pkt->data[i];
	assert_int_equal(got.caplen, pk->caplen);
	assert_int_equal(got.linktype, pk->linktype);
	assert_true(got.sum == pk->sum);
}

/* Reads a whole capture; returns how it ended and fills s[] and *n. */
static enum sift_rc read_all(const char *path, const char *filter,
			     struct seen *s, size_t *n, char *err,
			     size_t errlen, struct sift_capture_info *info)
{
	struct sift_capture *c = NULL;
	struct sift_packet pkt;
	enum sift_rc rc;
	char ferr[256];

	*n = 0;
	err[0] = '\0';
	rc = sift_capture_open(path, 0, &c, err, errlen);
	if (rc != SIFT_OK) {
		assert_null(c);
		return rc;
	}
	if (filter)
		assert_int_equal(sift_capture_set_filter(c, filter, ferr,
							 sizeof(ferr)),
				 SIFT_OK);
	for (struct peeked after = { false, 0, 0, 0 };;) {
		/* Without a filter, every packet peeked at comes: the next
		 * one, and the one after it at the following call. */
		struct peeked next = peek_at(c, 0);

		if (!filter) {
			if (after.set) {
				assert_true(next.set);
				assert_true(next.sum == after.sum);
			}
			after = peek_at(c, 1);
		}
		rc = sift_capture_next(c, &pkt);
		if (!filter)
			check_peeked(&next, rc, &pkt);
		if (rc != SIFT_OK)
			break;
		assert_true(*n < MAXSEEN);
		s[*n].caplen = pkt.caplen;
		s[*n].len = pkt.len;
		s[*n].linktype = pkt.linktype;
		s[*n].ts = pkt.where.ts;
		s[*n].frame = pkt.where.frame;
		s[*n].first = pkt.caplen ? pkt.data[0] : 0;
		s[*n].last = pkt.caplen ? pkt.data[pkt.caplen - 1] : 0;
		(*n)++;
	}
	/* The end is sticky. */
	assert_int_equal(sift_capture_next(c, &pkt), rc);
	if (rc != SIFT_EOF)
		snprintf(err, errlen, "%s", sift_capture_error(c));
	if (info)
		*info = *sift_capture_info(c);
	if (info)
		info->path = NULL;
	sift_capture_close(c);
	return rc;
}

/* ---- tests: classic pcap ---------------------------------------------- */

static void build_classic(struct bld *b, bool ns)
{
	uint8_t f[256];
	size_t n;

	pcap_hdr(b, ns, 65535, SIFT_LINK_ETHERNET);
	n = frame_udp4(f, 5060, 5060, 20, 0);
	pcap_rec(b, 1700000000, ns ? 123456789 : 123456, f, (uint32_t)n,
		 (uint32_t)n);
	n = frame_udp4(f, 5060, 5070, 30, 0);
	pcap_rec(b, 1700000001, 0, f, 40, (uint32_t)n);   /* snaplen-cut */
	n = frame_udp4(f, 5060, 5060, 40, 0);
	pcap_rec(b, 1700000002, ns ? 999999999 : 999999, f, (uint32_t)n,
		 (uint32_t)n);
}

static void check_classic(bool be, bool ns)
{
	struct bld b = { .be = be };
	struct seen s[MAXSEEN];
	struct sift_capture_info info;
	char path[128], err[256];
	size_t n;

	build_classic(&b, ns);
	tpath(path, sizeof(path), "classic.pcap");
	write_file(path, b.p, b.len);
	assert_int_equal(read_all(path, NULL, s, &n, err, sizeof(err), &info),
			 SIFT_EOF);
	assert_int_equal(n, 3);
	assert_int_equal(s[0].ts, 1700000000LL * SIFT_USEC + 123456);
	assert_int_equal(s[1].ts, 1700000001LL * SIFT_USEC);
	assert_int_equal(s[2].ts, 1700000002LL * SIFT_USEC + 999999);
	assert_int_equal(s[0].caplen, 14 + 20 + 8 + 20);
	assert_int_equal(s[1].caplen, 40);
	assert_int_equal(s[1].len, 14 + 20 + 8 + 30);
	assert_int_equal(s[0].frame, 1);
	assert_int_equal(s[2].frame, 3);
	assert_int_equal(s[0].linktype, SIFT_LINK_ETHERNET);
	assert_int_equal(s[0].first, 0x00);
	assert_int_equal(s[2].last, 'a' + 39 % 26);
	assert_int_equal(info.format, SIFT_FMT_PCAP);
	assert_false(info.gzip);
	assert_int_equal(info.linktype, SIFT_LINK_ETHERNET);
	assert_int_equal(info.snaplen, 65535);
	assert_int_equal(info.packets, 3);
	assert_int_equal(info.bytes, 62 + 40 + 82);
	assert_int_equal(info.snapped, 1);
	assert_int_equal(info.first_ts, s[0].ts);
	assert_int_equal(info.last_ts, s[2].ts);
	assert_false(info.truncated);
	b_free(&b);
}

static void test_classic_le(void **state)
{
	(void)state;
	check_classic(false, false);
}

static void test_classic_be(void **state)
{
	(void)state;
	check_classic(true, false);
}

static void test_classic_ns_le(void **state)
{
	(void)state;
	check_classic(false, true);
}

static void test_classic_ns_be(void **state)
{
	(void)state;
	check_classic(true, true);
}

/* A packet larger than the first input buffer makes it grow. */
static void test_classic_big_packet(void **state)
{
	struct bld b = { 0 };
	struct seen s[MAXSEEN];
	static uint8_t big[200000];
	char path[128], err[256];
	size_t n, i;

	(void)state;
	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)i;
	pcap_hdr(&b, false, 262144, SIFT_LINK_RAW);
	pcap_rec(&b, 1, 0, big, 100, 100);
	pcap_rec(&b, 2, 0, big, sizeof(big), sizeof(big));
	pcap_rec(&b, 3, 0, big, 70000, 70000);
	tpath(path, sizeof(path), "big.pcap");
	write_file(path, b.p, b.len);
	assert_int_equal(read_all(path, NULL, s, &n, err, sizeof(err), NULL),
			 SIFT_EOF);
	assert_int_equal(n, 3);
	assert_int_equal(s[1].caplen, sizeof(big));
	assert_int_equal(s[1].last, (uint8_t)(sizeof(big) - 1));
	assert_int_equal(s[2].last, (uint8_t)(70000 - 1));
	assert_int_equal(s[2].linktype, SIFT_LINK_RAW);
	b_free(&b);
}

/* A fraction of a second past one second is clamped into its second and
 * counted; an all-ones pcapng time is clamped to the end of 9999. */
static void test_ts_clamped(void **state)
{
	struct bld b = { 0 };
	struct seen s[MAXSEEN];
	struct sift_capture_info info;
	uint8_t f[128];
	char path[128], err[256];
	size_t n, len;

	(void)state;
	len = frame_udp4(f, 1, 2, 4, 0);
	pcap_hdr(&b, false, 65535, SIFT_LINK_ETHERNET);
	pcap_rec(&b, 10, 999999, f, (uint32_t)len, (uint32_t)len);
	pcap_rec(&b, 11, 1000000, f, (uint32_t)len, (uint32_t)len);
	pcap_rec(&b, 12, 0xffffffff, f, (uint32_t)len, (uint32_t)len);
	tpath(path, sizeof(path), "usec.pcap");
	write_file(path, b.p, b.len);
	assert_int_equal(read_all(path, NULL, s, &n, err, sizeof(err), &info),
			 SIFT_EOF);
	assert_int_equal(n, 3);
	assert_int_equal(s[0].ts, 10 * SIFT_USEC + 999999);
	assert_int_equal(s[1].ts, 11 * SIFT_USEC + 999999);
	assert_int_equal(s[2].ts, 12 * SIFT_USEC + 999999);
	assert_int_equal(info.ts_clamped, 2);
	b_free(&b);

	memset(&b, 0, sizeof(b));
	ng_shb(&b);
	ng_idb(&b, SIFT_LINK_ETHERNET, 0, -1, 0);
	ng_epb(&b, 0, 5, f, (uint32_t)len, (uint32_t)len);
	ng_epb(&b, 0, UINT64_MAX, f, (uint32_t)len, (uint32_t)len);
	tpath(path, sizeof(path), "ones.pcapng");
	write_file(path, b.p, b.len);
	assert_int_equal(read_all(path, NULL, s, &n, err, sizeof(err), &info),
			 SIFT_EOF);
	assert_int_equal(n, 2);
	assert_int_equal(s[0].ts, 5);
	assert_int_equal(s[1].ts, INT64_C(253402300799999999));
	assert_int_equal(info.ts_clamped, 1);
	b_free(&b);
}

/* ---- tests: pcapng ---------------------------------------------------- */

static const uint64_t NS_TS = 1700000000ULL * 1000000000ULL + 123456789ULL;

static void build_ng(struct bld *b)
{
	uint8_t f[256];
	size_t n;

	ng_shb(b);
	ng_idb(b, SIFT_LINK_ETHERNET, 64, -1, 0);
	ng_idb(b, SIFT_LINK_LINUX_SLL, 65535, 9, 10);
	ng_other(b, 0x00001234, 12);                       /* unknown */
	n = frame_udp4(f, 5060, 5060, 10, 0);
	ng_epb(b, 0, 1700000000ULL * 1000000 + 5, f, (uint32_t)n,
	       (uint32_t)n);                               /* frame 1 */
	n = frame_sll(f, 5060);
	ng_epb(b, 1, NS_TS, f, (uint32_t)n, (uint32_t)n);  /* frame 2 */
	ng_other(b, 4, 20);                                /* NRB */
	n = frame_udp4(f, 5060, 5070, 100, 0);
	ng_spb(b, f, 64, (uint32_t)n);                     /* frame 3 */
	n = frame_udp4(f, 5060, 5060, 5, 0);
	ng_pb(b, 0, 1700000003ULL * 1000000, f, (uint32_t)n); /* frame 4 */
}

static void test_pcapng_mixed(void **state)
{
	struct bld b = { 0 };
	struct seen s[MAXSEEN];
	struct sift_capture_info info;
	char path[128], err[256];
	size_t n;

	(void)state;
	build_ng(&b);
	/* A second section in the other byte order, raw IP, power-of-2
	 * resolution: 2^-20 s units. */
	b.be = true;
	ng_shb(&b);
	ng_idb(&b, SIFT_LINK_RAW, 0, 0x80 | 20, 0);
	/* A Custom Block: Wireshark lists it as frame 5. */
	ng_other(&b, 0x00000BAD, 8);
	{
		uint8_t f[128];
		size_t n2 = frame_udp4(f, 1, 2, 4, 0);

		ng_epb(&b, 0, (5ULL << 20) + (1ULL << 19), f + 14,
		       (uint32_t)(n2 - 14), (uint32_t)(n2 - 14));
	}
	tpath(path, sizeof(path), "mixed.pcapng");
	write_file(path, b.p, b.len);
	assert_int_equal(read_all(path, NULL, s, &n, err, sizeof(err), &info),
			 SIFT_EOF);
	assert_int_equal(n, 5);
	assert_int_equal(s[0].linktype, SIFT_LINK_ETHERNET);
	assert_int_equal(s[0].ts, 1700000000LL * SIFT_USEC + 5);
	assert_int_equal(s[1].linktype, SIFT_LINK_LINUX_SLL);
	/* ns resolution cut to µs, plus if_tsoffset 10 s */
	assert_int_equal(s[1].ts, 1700000010LL * SIFT_USEC + 123456);
	assert_int_equal(s[1].first, 0);
	/* SPB: interface 0's snaplen 64 cuts it; no timestamp of its own */
	assert_int_equal(s[2].linktype, SIFT_LINK_ETHERNET);
	assert_int_equal(s[2].caplen, 64);
	assert_int_equal(s[2].len, 14 + 20 + 8 + 100);
	assert_int_equal(s[2].ts, s[1].ts);
	assert_int_equal(s[3].ts, 1700000003LL * SIFT_USEC);
	assert_int_equal(s[3].caplen, 14 + 20 + 8 + 5);
	assert_int_equal(s[4].linktype, SIFT_LINK_RAW);
	assert_int_equal(s[4].ts, 5500000);
	assert_int_equal(s[4].first, 0x45);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(s[i].frame, i + 1);
	assert_int_equal(s[4].frame, 6);
	assert_int_equal(info.format, SIFT_FMT_PCAPNG);
	assert_int_equal(info.linktype, SIFT_LINK_ETHERNET);
	assert_int_equal(info.snaplen, 64);
	assert_true(info.mixed_linktypes);
	assert_int_equal(info.snapped, 1);
	assert_int_equal(info.packets, 5);

	/* The same file filtered: compiled per link type. */
	assert_int_equal(read_all(path, "udp dst port 5060", s, &n, err,
				  sizeof(err), &info),
			 SIFT_EOF);
	assert_int_equal(n, 3);
	assert_int_equal(s[0].frame, 1);
	assert_int_equal(s[1].frame, 2);
	assert_int_equal(s[2].frame, 4);
	assert_int_equal(info.filtered, 2);
	b_free(&b);
}

/* A block larger than anything held in memory is skipped by streaming. */
static void test_pcapng_skip_huge_block(void **state)
{
	struct bld b = { 0 };
	struct seen s[MAXSEEN];
	char path[128], err[256];
	uint8_t f[128];
	size_t n;

	(void)state;
	ng_shb(&b);
	ng_idb(&b, SIFT_LINK_ETHERNET, 0, -1, 0);
	ng_other(&b, 0x00001234, 700000);
	n = frame_udp4(f, 1, 2, 3, 0);
	ng_epb(&b, 0, 7, f, (uint32_t)n, (uint32_t)n);
	tpath(path, sizeof(path), "huge.pcapng");
	write_file(path, b.p, b.len);
	assert_int_equal(read_all(path, NULL, s, &n, err, sizeof(err), NULL),
			 SIFT_EOF);
	assert_int_equal(n, 1);
	assert_int_equal(s[0].ts, 7);

	/* Cut inside that block. */
	write_file(path, b.p, 500000);
	assert_int_equal(read_all(path, NULL, s, &n, err, sizeof(err), NULL),
			 SIFT_ETRUNC);
	assert_int_equal(n, 0);
	assert_non_null(strstr(err, "cut off inside pcapng block at byte"));
	b_free(&b);
}

static void test_pcapng_damaged_length(void **state)
{
	struct bld b = { 0 };
	struct seen s[MAXSEEN];
	char path[128], err[256], want[128];
	uint8_t f[128];
	size_t n, at;

	(void)state;
	ng_shb(&b);
	ng_idb(&b, SIFT_LINK_ETHERNET, 0, -1, 0);
	n = frame_udp4(f, 1, 2, 3, 0);
	ng_epb(&b, 0, 7, f, (uint32_t)n, (uint32_t)n);
	at = b.len;
	ng_epb(&b, 0, 8, f, (uint32_t)n, (uint32_t)n);
	b_patch32(&b, at + 4, 7);
	tpath(path, sizeof(path), "damaged.pcapng");
	write_file(path, b.p, b.len);
	assert_int_equal(read_all(path, NULL, s, &n, err, sizeof(err), NULL),
			 SIFT_EFORMAT);
	assert_int_equal(n, 1);
	snprintf(want, sizeof(want),
		 "damaged pcapng block at byte %zu: total length 7 is not a multiple of 4",
		 at);
	assert_string_equal(err, want);

	/* Trailing length that disagrees. */
	b_patch32(&b, at + 4, (uint32_t)(b.len - at));
	b_patch32(&b, b.len - 4, 12);
	write_file(path, b.p, b.len);
	assert_int_equal(read_all(path, NULL, s, &n, err, sizeof(err), NULL),
			 SIFT_EFORMAT);
	assert_int_equal(n, 1);
	assert_non_null(strstr(err, "trailing length 12 differs"));

	/* Too short to be a block. */
	b_patch32(&b, at + 4, 8);
	write_file(path, b.p, b.len);
	assert_int_equal(read_all(path, NULL, s, &n, err, sizeof(err), NULL),
			 SIFT_EFORMAT);
	assert_non_null(strstr(err, "length 8 is less than 32"));
	b_free(&b);

	/* An SPB must hold min(original length, snaplen of interface 0)
	 * bytes; taking fewer would return its padding as data. */
	ng_shb(&b);
	ng_idb(&b, SIFT_LINK_ETHERNET, 0, -1, 0);
	n = frame_udp4(f, 1, 2, 3, 0);
	ng_spb(&b, f, (uint32_t)n, (uint32_t)n + 20);
	write_file(path, b.p, b.len);
	assert_int_equal(read_all(path, NULL, s, &n, err, sizeof(err), NULL),
			 SIFT_EFORMAT);
	assert_int_equal(n, 0);
	assert_non_null(strstr(err, "simple packet block holds 48 bytes, too few for a 65-byte packet"));
	b_free(&b);
}

static void test_pcapng_bad_interface(void **state)
{
	struct bld b = { 0 };
	struct seen s[MAXSEEN];
	char path[128], err[256];
	uint8_t f[128];
	size_t n;

	(void)state;
	ng_shb(&b);
	ng_idb(&b, SIFT_LINK_ETHERNET, 0, -1, 0);
	n = frame_udp4(f, 1, 2, 3, 0);
	ng_epb(&b, 0, 7, f, (uint32_t)n, (uint32_t)n);
	/* A new section forgets the interfaces of the previous one. */
	ng_shb(&b);
	ng_epb(&b, 0, 8, f, (uint32_t)n, (uint32_t)n);
	tpath(path, sizeof(path), "badif.pcapng");
	write_file(path, b.p, b.len);
	assert_int_equal(read_all(path, NULL, s, &n, err, sizeof(err), NULL),
			 SIFT_EFORMAT);
	assert_int_equal(n, 1);
	assert_non_null(strstr(err, "packet on interface 0, but the section describes 0"));
	b_free(&b);
}

static void test_pcapng_truncated(void **state)
{
	struct bld b = { 0 };
	struct seen s[MAXSEEN];
	struct sift_capture_info info;
	char path[128], err[256], want[160];
	uint8_t f[128];
	size_t n, at;

	(void)state;
	ng_shb(&b);
	ng_idb(&b, SIFT_LINK_ETHERNET, 0, -1, 0);
	n = frame_udp4(f, 1, 2, 30, 0);
	ng_epb(&b, 0, 7, f, (uint32_t)n, (uint32_t)n);
	at = b.len;
	ng_epb(&b, 0, 8, f, (uint32_t)n, (uint32_t)n);
	tpath(path, sizeof(path), "cut.pcapng");
	write_file(path, b.p, at + 40);
	assert_int_equal(read_all(path, NULL, s, &n, err, sizeof(err), &info),
			 SIFT_ETRUNC);
	assert_int_equal(n, 1);
	assert_true(info.truncated);
	snprintf(want, sizeof(want),
		 "cut off inside packet 2 (block at byte %zu: 40 of %zu bytes present)",
		 at, b.len - at);
	assert_string_equal(err, want);
	b_free(&b);
}

/* ---- tests: gzip ------------------------------------------------------ */

static void test_gzip(void **state)
{
	struct bld b = { 0 };
	struct seen s[MAXSEEN];
	struct sift_capture_info info;
	char path[128], err[256];
	uint8_t *gz;
	size_t n, gzlen;

	(void)state;
	build_classic(&b, false);
	tpath(path, sizeof(path), "classic.pcap.gz");
	write_gz(path, b.p, b.len);
	assert_int_equal(read_all(path, NULL, s, &n, err, sizeof(err), &info),
			 SIFT_EOF);
	assert_int_equal(n, 3);
	assert_true(info.gzip);
	assert_int_equal(s[2].ts, 1700000002LL * SIFT_USEC + 999999);

	/* Damaged: a wrong CRC in the gzip trailer. Every packet was
	 * decompressed before the check fails. */
	gz = slurp(path, &gzlen);
	gz[gzlen - 8] ^= 0xff;
	write_file(path, gz, gzlen);
	assert_int_equal(read_all(path, NULL, s, &n, err, sizeof(err), NULL),
			 SIFT_EFORMAT);
	assert_int_equal(n, 3);
	assert_string_equal(err, "gzip data damaged: incorrect data check");

	/* Cut off inside the compressed data: what was decompressed is
	 * returned, then the truncation. */
	gz[gzlen - 8] ^= 0xff;
	write_file(path, gz, gzlen - 12);
	assert_int_equal(read_all(path, NULL, s, &n, err, sizeof(err), &info),
			 SIFT_ETRUNC);
	assert_true(info.truncated);
	assert_true(n <= 3);
	free(gz);
	b_free(&b);
}

/* A gzip stream cut off exactly between two records still says so. */
static void test_gzip_cut_at_record(void **state)
{
	struct bld b = { 0 };
	struct seen s[MAXSEEN];
	struct sift_capture_info info;
	char path[128], err[256];
	size_t n, two, cut;
	uint8_t *gz;
	gzFile g;

	(void)state;
	build_classic(&b, false);
	two = 24 + 16 + 62 + 16 + 40;   /* header and the first two records */
	tpath(path, sizeof(path), "flush.pcap.gz");
	g = gzopen(path, "wb");
	assert_non_null(g);
	assert_int_equal(gzwrite(g, b.p, (unsigned)two), (int)two);
	assert_int_equal(gzflush(g, Z_FULL_FLUSH), Z_OK);
	cut = (size_t)gzoffset(g);
	assert_int_equal(gzwrite(g, b.p + two, (unsigned)(b.len - two)),
			 (int)(b.len - two));
	assert_int_equal(gzclose(g), Z_OK);
	gz = slurp(path, &n);
	assert_true(cut < n);
	write_file(path, gz, cut);
	assert_int_equal(read_all(path, NULL, s, &n, err, sizeof(err), &info),
			 SIFT_ETRUNC);
	assert_int_equal(n, 2);
	assert_true(info.truncated);
	assert_string_equal(err, "gzip data cut off after packet 2");
	free(gz);
	b_free(&b);
}

/* "-" reads stdin, gzip included. */
static void test_stdin_gzip(void **state)
{
	struct bld b = { 0 };
	struct seen s[MAXSEEN];
	struct sift_capture_info info;
	char path[128], err[256];
	int saved, fd;
	enum sift_rc rc;
	size_t n;

	(void)state;
	build_ng(&b);
	tpath(path, sizeof(path), "stdin.pcapng.gz");
	write_gz(path, b.p, b.len);
	saved = dup(STDIN_FILENO);
	assert_true(saved >= 0);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	close(fd);
	rc = read_all("-", NULL, s, &n, err, sizeof(err), &info);
	assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	close(saved);
	assert_int_equal(rc, SIFT_EOF);
	assert_int_equal(n, 4);
	assert_true(info.gzip);
	assert_int_equal(info.format, SIFT_FMT_PCAPNG);
	b_free(&b);
}

/* ---- tests: errors ---------------------------------------------------- */

static enum sift_rc open_err(const char *name, const void *d, size_t n,
			     char *err, size_t errlen)
{
	struct sift_capture *c = (struct sift_capture *)&c;
	char path[128];
	enum sift_rc rc;

	tpath(path, sizeof(path), name);
	write_file(path, d, n);
	rc = sift_capture_open(path, 0, &c, err, errlen);
	assert_int_not_equal(rc, SIFT_OK);
	assert_null(c);
	return rc;
}

static void test_open_errors(void **state)
{
	struct sift_capture *c = NULL;
	struct bld b = { 0 };
	char err[256], path[128];

	(void)state;
	assert_int_equal(open_err("text.txt", "#include <stdio.h>\n", 19, err,
				  sizeof(err)),
			 SIFT_EFORMAT);
	assert_string_equal(err, "not a pcap or pcapng file (starts with 23 69 6e 63)");
	assert_int_equal(open_err("empty", "", 0, err, sizeof(err)),
			 SIFT_EFORMAT);
	assert_string_equal(err, "empty file");

	pcap_hdr(&b, false, 65535, 1);
	assert_int_equal(open_err("short.pcap", b.p, 10, err, sizeof(err)),
			 SIFT_ETRUNC);
	assert_string_equal(err, "cut off in the file header (got 10 of 24 bytes)");
	assert_int_equal(open_err("short2.pcap", b.p, 2, err, sizeof(err)),
			 SIFT_ETRUNC);
	assert_string_equal(err, "cut off in the file header (got 2 of 24 bytes)");
	b_patch32(&b, 4, 3);    /* major 3, minor 0 */
	assert_int_equal(open_err("v3.pcap", b.p, b.len, err, sizeof(err)),
			 SIFT_EUNSUPPORTED);
	assert_string_equal(err, "unsupported pcap version 3.0");
	b_free(&b);

	ng_shb(&b);
	assert_int_equal(open_err("short.pcapng", b.p, 20, err, sizeof(err)),
			 SIFT_ETRUNC);
	assert_string_equal(err, "cut off in the file header (got 20 of 28 bytes)");
	b_patch32(&b, 12, 2);   /* major 2 */
	assert_int_equal(open_err("v2.pcapng", b.p, b.len, err, sizeof(err)),
			 SIFT_EUNSUPPORTED);
	assert_string_equal(err, "unsupported pcapng version 2.0");
	b_free(&b);

	tpath(path, sizeof(path), "does-not-exist.pcap");
	assert_int_equal(sift_capture_open(path, 0, &c, err, sizeof(err)),
			 SIFT_ENOTFOUND);
	assert_null(c);
	assert_string_equal(err, "no such file");

	assert_int_equal(sift_capture_open(tmpdir, 0, &c, err, sizeof(err)),
			 SIFT_EIO);
	assert_null(c);
	assert_string_equal(err, "Is a directory");

	/* A compressed text file is still a text file. */
	tpath(path, sizeof(path), "text.gz");
	write_gz(path, "hello world\n", 12);
	assert_int_equal(sift_capture_open(path, 0, &c, err, sizeof(err)),
			 SIFT_EFORMAT);
	assert_string_equal(err, "not a pcap or pcapng file (gunzipped data starts with 68 65 6c 6c)");
}

static void test_truncated_last_packet(void **state)
{
	struct bld b = { 0 };
	struct seen s[MAXSEEN];
	struct sift_capture_info info;
	char path[128], err[256], want[160];
	size_t n, at;
	uint8_t f[256];
	size_t fl;

	(void)state;
	pcap_hdr(&b, false, 65535, 1);
	fl = frame_udp4(f, 5060, 5060, 50, 0);
	pcap_rec(&b, 1, 0, f, (uint32_t)fl, (uint32_t)fl);
	pcap_rec(&b, 2, 0, f, (uint32_t)fl, (uint32_t)fl);
	at = b.len;
	pcap_rec(&b, 3, 0, f, (uint32_t)fl, (uint32_t)fl);
	tpath(path, sizeof(path), "cut.pcap");
	write_file(path, b.p, at + 16 + 40);
	assert_int_equal(read_all(path, NULL, s, &n, err, sizeof(err), &info),
			 SIFT_ETRUNC);
	assert_int_equal(n, 2);
	assert_true(info.truncated);
	assert_int_equal(info.packets, 2);
	snprintf(want, sizeof(want),
		 "cut off inside packet 3 (record at byte %zu: 40 of %zu bytes present)",
		 at, fl);
	assert_string_equal(err, want);

	/* Cut inside the record header. */
	write_file(path, b.p, at + 10);
	assert_int_equal(read_all(path, NULL, s, &n, err, sizeof(err), &info),
			 SIFT_ETRUNC);
	assert_int_equal(n, 2);
	snprintf(want, sizeof(want),
		 "cut off inside packet 3 (record at byte %zu: 10 of 16 header bytes present)",
		 at);
	assert_string_equal(err, want);
	b_free(&b);
}

static void test_record_too_large(void **state)
{
	struct bld b = { 0 };
	struct seen s[MAXSEEN];
	char path[128], err[256];
	uint8_t f[64] = { 0 };
	size_t n;

	(void)state;
	pcap_hdr(&b, false, 0, 1);
	pcap_rec(&b, 1, 0, f, 60, 60);
	b_u32(&b, 2);
	b_u32(&b, 0);
	b_u32(&b, 300000);
	b_u32(&b, 300000);
	b_bytes(&b, NULL, 1000);
	tpath(path, sizeof(path), "huge.pcap");
	write_file(path, b.p, b.len);
	assert_int_equal(read_all(path, NULL, s, &n, err, sizeof(err), NULL),
			 SIFT_EFORMAT);
	assert_int_equal(n, 1);
	assert_string_equal(err, "record length 300000 exceeds the 262144-byte limit (packet 2, record at byte 100)");

	/* Far above the file's snaplen is damage too. */
	b_free(&b);
	pcap_hdr(&b, false, 1500, 1);
	b_u32(&b, 2);
	b_u32(&b, 0);
	b_u32(&b, 200000);
	b_u32(&b, 200000);
	write_file(path, b.p, b.len);
	assert_int_equal(read_all(path, NULL, s, &n, err, sizeof(err), NULL),
			 SIFT_EFORMAT);
	assert_string_equal(err, "record length 200000 exceeds the snapshot length 1500 (packet 1, record at byte 24)");
	b_free(&b);
}

/* ---- tests: BPF ------------------------------------------------------- */

static void build_filter_pcap(struct bld *b)
{
	uint8_t f[256];
	size_t n;

	pcap_hdr(b, false, 65535, 1);
	n = frame_udp4(f, 5060, 5060, 10, 0);
	pcap_rec(b, 1, 0, f, (uint32_t)n, (uint32_t)n);     /* 1 */
	n = frame_udp4(f, 6000, 6002, 10, 0);
	pcap_rec(b, 2, 0, f, (uint32_t)n, (uint32_t)n);     /* 2 */
	n = frame_udp4(f, 5061, 5060, 10, 0);
	pcap_rec(b, 3, 0, f, (uint32_t)n, (uint32_t)n);     /* 3 */
	n = frame_udp4(f, 0, 0, 40, 185);                   /* fragment */
	pcap_rec(b, 4, 0, f, (uint32_t)n, (uint32_t)n);     /* 4 */
	n = frame_frag6(f);
	pcap_rec(b, 5, 0, f, (uint32_t)n, (uint32_t)n);     /* 5 */
	n = frame_udp4(f, 5060, 5080, 10, 0);
	pcap_rec(b, 6, 0, f, (uint32_t)n, (uint32_t)n);     /* 6 */
}

static void test_filter(void **state)
{
	struct bld b = { 0 };
	struct seen s[MAXSEEN];
	struct sift_capture_info info;
	char path[128], err[256];
	char *w;
	size_t n;

	(void)state;
	build_filter_pcap(&b);
	tpath(path, sizeof(path), "filter.pcap");
	write_file(path, b.p, b.len);

	assert_int_equal(read_all(path, "udp port 5060", s, &n, err,
				  sizeof(err), &info),
			 SIFT_EOF);
	assert_int_equal(n, 3);
	assert_int_equal(s[0].frame, 1);
	assert_int_equal(s[1].frame, 3);
	assert_int_equal(s[2].frame, 6);
	assert_int_equal(s[2].ts, 6 * SIFT_USEC);
	assert_int_equal(info.filtered, 3);
	assert_int_equal(info.packets, 3);
	assert_int_equal(info.first_ts, 1 * SIFT_USEC);
	assert_int_equal(info.last_ts, 6 * SIFT_USEC);

	/* Widened, the fragments survive, with their frame numbers. */
	w = sift_filter_widen("udp port 5060");
	assert_non_null(w);
	assert_string_equal(w, "(udp port 5060) or (ip[6:2] & 0x3fff != 0) or (ip6[6] == 44)");
	assert_int_equal(sift_filter_check(w, err, sizeof(err)), SIFT_OK);
	assert_int_equal(read_all(path, w, s, &n, err, sizeof(err), &info),
			 SIFT_EOF);
	assert_int_equal(n, 5);
	assert_int_equal(s[2].frame, 4);
	assert_int_equal(s[3].frame, 5);
	assert_int_equal(s[4].frame, 6);
	assert_int_equal(info.filtered, 1);
	free(w);
	b_free(&b);
}

static void test_filter_invalid(void **state)
{
	struct sift_capture *c = NULL;
	struct bld b = { 0 };
	char path[128], err[256];
	char *w;

	(void)state;
	err[0] = '\0';
	assert_int_equal(sift_filter_check("udp port", err, sizeof(err)),
			 SIFT_EINVAL);
	assert_true(strlen(err) > 0);
	assert_int_equal(sift_filter_check("udp port 5060", err, sizeof(err)),
			 SIFT_OK);
	/* An expression that does not compile comes back as it was, so
	 * the caller reports the user's own mistake. */
	w = sift_filter_widen("udp port");
	assert_non_null(w);
	assert_string_equal(w, "udp port");
	free(w);
	/* Unbalanced parentheses must not be "repaired" by the wrapping. */
	w = sift_filter_widen("udp) or (tcp");
	assert_non_null(w);
	assert_string_equal(w, "udp) or (tcp");
	free(w);

	build_filter_pcap(&b);
	tpath(path, sizeof(path), "filter-bad.pcap");
	write_file(path, b.p, b.len);
	assert_int_equal(sift_capture_open(path, 0, &c, err, sizeof(err)),
			 SIFT_OK);
	err[0] = '\0';
	assert_int_equal(sift_capture_set_filter(c, "host nonsense..", err,
						 sizeof(err)),
			 SIFT_EINVAL);
	assert_true(strlen(err) > 0);
	sift_capture_close(c);
	b_free(&b);

	/* A link type libpcap cannot filter on. */
	pcap_hdr(&b, false, 65535, 147);
	write_file(path, b.p, b.len);
	assert_int_equal(sift_capture_open(path, 0, &c, err, sizeof(err)),
			 SIFT_OK);
	assert_int_equal(sift_capture_set_filter(c, "udp", err, sizeof(err)),
			 SIFT_EINVAL);
	assert_non_null(strstr(err, "147"));
	sift_capture_close(c);
	b_free(&b);
}

/* "ip6" matches nothing on raw IPv4: libpcap's optimiser refuses such a
 * filter, but for one interface of a mixed file it is what the user meant.
 * On Ethernet a filter matching nothing is a contradiction and refused. */
static void test_filter_matches_none(void **state)
{
	struct bld b = { 0 };
	struct seen s[MAXSEEN];
	struct sift_capture_info info;
	char path[128], err[256];
	uint8_t f[128];
	size_t n;

	(void)state;
	assert_int_equal(sift_filter_check("ip6 and ip", err, sizeof(err)),
			 SIFT_EINVAL);
	assert_non_null(strstr(err, "rejects all packets"));
	ng_shb(&b);
	ng_idb(&b, SIFT_LINK_ETHERNET, 0, -1, 0);
	ng_idb(&b, SIFT_LINK_IPV4, 0, -1, 0);
	n = frame_udp4(f, 5060, 5060, 3, 0);
	ng_epb(&b, 1, 7, f + 14, (uint32_t)n - 14, (uint32_t)n - 14);
	n = frame_frag6(f);
	ng_epb(&b, 0, 8, f, (uint32_t)n, (uint32_t)n);
	tpath(path, sizeof(path), "none.pcapng");
	write_file(path, b.p, b.len);
	assert_int_equal(read_all(path, "ip6", s, &n, err, sizeof(err), &info),
			 SIFT_EOF);
	assert_int_equal(n, 1);
	assert_int_equal(s[0].frame, 2);
	assert_int_equal(info.filtered, 1);
	b_free(&b);
}

/* A link type met after the filter was installed that the filter does not
 * compile for ends the read with SIFT_EINVAL, after what came before. */
static void test_filter_new_linktype(void **state)
{
	struct bld b = { 0 };
	struct seen s[MAXSEEN];
	char path[128], err[256];
	uint8_t f[128];
	size_t n;

	(void)state;
	ng_shb(&b);
	ng_idb(&b, SIFT_LINK_ETHERNET, 0, -1, 0);
	n = frame_udp4(f, 5060, 5060, 3, 0);
	ng_epb(&b, 0, 7, f, (uint32_t)n, (uint32_t)n);
	ng_idb(&b, 147, 0, -1, 0);
	ng_epb(&b, 1, 8, f, (uint32_t)n, (uint32_t)n);
	tpath(path, sizeof(path), "lt147.pcapng");
	write_file(path, b.p, b.len);
	assert_int_equal(read_all(path, "udp", s, &n, err, sizeof(err), NULL),
			 SIFT_EINVAL);
	assert_int_equal(n, 1);
	assert_non_null(strstr(err, "filter does not compile for link type 147"));
	b_free(&b);
}

/* ---- tests: merging --------------------------------------------------- */

static void write_ts_pcap(const char *name, const uint32_t *sec, size_t n,
			  size_t cut_last)
{
	struct bld b = { 0 };
	char path[128];
	uint8_t f[128];
	size_t fl, i;

	pcap_hdr(&b, false, 65535, 1);
	for (i = 0; i < n; i++) {
		uint8_t mark = 0;

		fl = frame_udp4(f, 5060, 5060, 10, 0);
		/* Files differ in their bytes (the same packet at the same
		 * time in two inputs is read once). */
		for (const char *q = name; *q; q++)
			mark = (uint8_t)(mark * 31 + (uint8_t)*q);
		f[fl - 2] = mark;
		f[fl - 1] = (uint8_t)i;
		pcap_rec(&b, sec[i], 0, f, (uint32_t)fl, (uint32_t)fl);
	}
	tpath(path, sizeof(path), name);
	write_file(path, b.p, b.len - cut_last);
	b_free(&b);
}

static struct sift_merge *merge_open(const char *a, const char *b2)
{
	struct sift_merge *m = sift_merge_new();
	struct sift_capture *c;
	char path[128], err[256];

	assert_non_null(m);
	tpath(path, sizeof(path), a);
	assert_int_equal(sift_capture_open(path, 0, &c, err, sizeof(err)),
			 SIFT_OK);
	assert_int_equal(sift_merge_add(m, c), SIFT_OK);
	tpath(path, sizeof(path), b2);
	assert_int_equal(sift_capture_open(path, 1, &c, err, sizeof(err)),
			 SIFT_OK);
	assert_int_equal(sift_merge_add(m, c), SIFT_OK);
	assert_int_equal(sift_merge_count(m), 2);
	return m;
}

static void test_merge(void **state)
{
	static const uint32_t ta[] = { 1, 3, 3, 5 };
	static const uint32_t tb[] = { 2, 3, 4 };
	/* file, frame in the expected merged order */
	static const unsigned want[][2] = {
		{ 0, 1 }, { 1, 1 }, { 0, 2 }, { 0, 3 }, { 1, 2 }, { 1, 3 },
		{ 0, 4 },
	};
	struct sift_merge *m;
	struct sift_packet pkt;
	struct sift_capture *from;
	size_t i;

	(void)state;
	write_ts_pcap("ma.pcap", ta, 4, 0);
	write_ts_pcap("mb.pcap", tb, 3, 0);
	m = merge_open("ma.pcap", "mb.pcap");
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(sift_merge_next(m, &pkt, &from), SIFT_OK);
		assert_int_equal(pkt.where.file, want[i][0]);
		assert_int_equal(pkt.where.frame, want[i][1]);
		assert_ptr_equal(from, sift_merge_get(m, want[i][0]));
		/* The payload's last byte is the packet's index in its file. */
		assert_int_equal(pkt.data[pkt.caplen - 1], want[i][1] - 1);
	}
	assert_int_equal(sift_merge_next(m, &pkt, &from), SIFT_EOF);
	assert_int_equal(sift_merge_next(m, &pkt, &from), SIFT_EOF);
	assert_int_equal(sift_capture_info(sift_merge_get(m, 0))->packets, 4);
	assert_null(sift_merge_get(m, 2));
	sift_merge_free(m);
	sift_merge_free(NULL);
}

/* One capture goes by a path of its own (no heap): its packets in file
 * order whatever their times, then EOF for good; cut off, the error once
 * with the capture it came from, then EOF (a loop on the error was a
 * hang of every command on a cut capture). */
static void test_merge_one(void **state)
{
	static const uint32_t ts[] = { 3, 1, 2 };
	struct sift_merge *m;
	struct sift_capture *c, *from;
	struct sift_packet pkt;
	char path[128], err[256];

	(void)state;
	for (int cut = 0; cut <= 1; cut++) {
		write_ts_pcap("one.pcap", ts, 3, cut ? 5 : 0);
		m = sift_merge_new();
		assert_non_null(m);
		tpath(path, sizeof(path), "one.pcap");
		assert_int_equal(sift_capture_open(path, 0, &c, err, sizeof(err)), SIFT_OK);
		assert_int_equal(sift_merge_add(m, c), SIFT_OK);
		for (unsigned i = 0; i < 2; i++) {
			assert_int_equal(sift_merge_next(m, &pkt, &from), SIFT_OK);
			assert_int_equal(pkt.where.frame, i + 1);
			assert_int_equal(pkt.where.ts, (sift_time)ts[i] * SIFT_USEC);
			assert_ptr_equal(from, c);
		}
		if (cut) {
			assert_int_equal(sift_merge_next(m, &pkt, &from), SIFT_ETRUNC);
			assert_ptr_equal(from, c);
		} else {
			assert_int_equal(sift_merge_next(m, &pkt, &from), SIFT_OK);
			assert_int_equal(pkt.where.frame, 3);
		}
		assert_int_equal(sift_merge_next(m, &pkt, &from), SIFT_EOF);
		assert_null(from);
		assert_int_equal(sift_merge_next(m, &pkt, &from), SIFT_EOF);
		sift_merge_free(m);
	}
}

/* The same capture given twice: its packets come out once, and the
 * second input is said to repeat the first. */
static void test_merge_dups(void **state)
{
	static const uint32_t ts[] = { 1, 2, 2, 4 };
	struct sift_merge *m;
	struct sift_packet pkt;
	struct sift_capture *from;
	size_t twin = 99;

	(void)state;
	write_ts_pcap("da.pcap", ts, 4, 0);
	m = merge_open("da.pcap", "da.pcap");
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(sift_merge_next(m, &pkt, &from), SIFT_OK);
		assert_int_equal(pkt.where.file, 0);
		assert_int_equal(pkt.where.frame, i + 1);
	}
	assert_int_equal(sift_merge_next(m, &pkt, &from), SIFT_EOF);
	assert_int_equal(sift_merge_dups(m, 0, &twin), 0);
	assert_int_equal(twin, 99);
	assert_int_equal(sift_merge_dups(m, 1, &twin), 4);
	assert_int_equal(twin, 0);
	assert_int_equal(sift_capture_info(sift_merge_get(m, 1))->packets, 4);
	sift_merge_free(m);

	/* Different bytes at the same times: both kept. */
	write_ts_pcap("db.pcap", ts, 4, 0);
	m = merge_open("da.pcap", "db.pcap");
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(sift_merge_next(m, &pkt, &from), SIFT_OK);
	assert_int_equal(sift_merge_next(m, &pkt, &from), SIFT_EOF);
	assert_int_equal(sift_merge_dups(m, 1, NULL), 0);
	sift_merge_free(m);
}

struct key {
	sift_time ts;
	uint32_t file;
	uint64_t frame;
};

static int key_cmp(const void *pa, const void *pb)
{
	const struct key *a = pa, *b = pb;

	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	if (a->file != b->file)
		return a->file < b->file ? -1 : 1;
	return a->frame < b->frame ? -1 : a->frame > b->frame;
}

/* Seven files through the heap, against a sort of every packet. */
static void test_merge_many(void **state)
{
	enum { NF = 7, NP = 12 };
	struct key want[NF * NP];
	struct sift_merge *m = sift_merge_new();
	struct sift_packet pkt;
	struct sift_capture *c, *from;
	uint32_t ts[NP], seed = 12345, f, i;
	char name[32], path[128], err[256];
	size_t k = 0;

	(void)state;
	assert_non_null(m);
	for (f = 0; f < NF; f++) {
		ts[0] = 1;
		for (i = 0; i < NP; i++) {
			seed = seed * 1103515245u + 12345u;
			if (i > 0)
				ts[i] = ts[i - 1] + (seed >> 16) % 3;
			want[k].ts = (sift_time)ts[i] * SIFT_USEC;
			want[k].file = f;
			want[k].frame = i + 1;
			k++;
		}
		snprintf(name, sizeof(name), "many%u.pcap", (unsigned)f);
		write_ts_pcap(name, ts, NP, 0);
		tpath(path, sizeof(path), name);
		assert_int_equal(sift_capture_open(path, f, &c, err,
						   sizeof(err)),
				 SIFT_OK);
		assert_int_equal(sift_merge_add(m, c), SIFT_OK);
	}
	qsort(want, k, sizeof(want[0]), key_cmp);
	for (i = 0; i < k; i++) {
		assert_int_equal(sift_merge_next(m, &pkt, &from), SIFT_OK);
		assert_int_equal(pkt.where.ts, want[i].ts);
		assert_int_equal(pkt.where.file, want[i].file);
		assert_int_equal(pkt.where.frame, want[i].frame);
		assert_int_equal(pkt.data[pkt.caplen - 1], want[i].frame - 1);
	}
	assert_int_equal(sift_merge_next(m, &pkt, &from), SIFT_EOF);
	assert_null(from);
	sift_merge_free(m);

	/* A failed add leaves the capture with the caller. */
	assert_int_equal(sift_capture_open(path, 0, &c, err, sizeof(err)),
			 SIFT_OK);
	assert_int_equal(sift_merge_add(NULL, c), SIFT_EINVAL);
	assert_int_equal(sift_capture_next(c, &pkt), SIFT_OK);
	sift_capture_close(c);
}

/* One capture ending in an error is reported once; the other goes on. */
static void test_merge_error(void **state)
{
	static const uint32_t ta[] = { 1, 2, 3 };
	static const uint32_t tb[] = { 1, 2, 3 };
	struct sift_merge *m;
	struct sift_packet pkt;
	struct sift_capture *from;
	unsigned trunc = 0, ok = 0;
	enum sift_rc rc;

	(void)state;
	write_ts_pcap("ea.pcap", ta, 3, 0);
	write_ts_pcap("eb.pcap", tb, 3, 5);     /* cut inside packet 3 */
	m = merge_open("ea.pcap", "eb.pcap");
	while ((rc = sift_merge_next(m, &pkt, &from)) != SIFT_EOF) {
		if (rc == SIFT_ETRUNC) {
			trunc++;
			assert_ptr_equal(from, sift_merge_get(m, 1));
			assert_non_null(strstr(sift_capture_error(from),
					       "cut off inside packet 3"));
			continue;
		}
		assert_int_equal(rc, SIFT_OK);
		ok++;
	}
	assert_int_equal(trunc, 1);
	assert_int_equal(ok, 5);
	sift_merge_free(m);
}

/* ---- fixture ---------------------------------------------------------- */

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/sipsift-capture-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	struct dirent *de;
	char path[512];
	DIR *d;

	(void)state;
	d = opendir(tmpdir);
	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmpdir, de->d_name);
		unlink(path);
	}
	closedir(d);
	return rmdir(tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classic_le),
		cmocka_unit_test(test_classic_be),
		cmocka_unit_test(test_classic_ns_le),
		cmocka_unit_test(test_classic_ns_be),
		cmocka_unit_test(test_classic_big_packet),
		cmocka_unit_test(test_ts_clamped),
		cmocka_unit_test(test_pcapng_mixed),
		cmocka_unit_test(test_pcapng_skip_huge_block),
		cmocka_unit_test(test_pcapng_damaged_length),
		cmocka_unit_test(test_pcapng_bad_interface),
		cmocka_unit_test(test_pcapng_truncated),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_gzip_cut_at_record),
		cmocka_unit_test(test_stdin_gzip),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_truncated_last_packet),
		cmocka_unit_test(test_record_too_large),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_filter_invalid),
		cmocka_unit_test(test_filter_matches_none),
		cmocka_unit_test(test_filter_new_linktype),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_merge_one),
		cmocka_unit_test(test_merge_dups),
		cmocka_unit_test(test_merge_many),
		cmocka_unit_test(test_merge_error),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
