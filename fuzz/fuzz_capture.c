/* libFuzzer target for src/capture.c: the input is a capture file (pcap,
 * pcapng, gzip of either). It is written to a memfd and opened by its
 * /proc path, as a user's file would be, then
 *   1. read to the end, checking each packet's invariants;
 *   2. read again as two copies through the merger, one of them filtered
 *      with a widened BPF filter, checking the merge order;
 *   3. gzipped here and read again, whole and cut off at a point chosen
 *      by the input, since the fuzzer itself rarely makes valid deflate
 *      data;
 *   4. in (1.), each packet sift_capture_peek shows before it comes is
 *      the packet that comes;
 *   5. (1.) is done three ways, read(2) into a buffer, the file mapped
 *      through the default window and through a window of one page
 *      (mapped anew at almost every record: src/capture/rdmap.c), and
 *      all three must give the same packets, end and error.
 * Any violated invariant aborts.
 *
 * Seeds (fuzz/corpus/fuzz_capture/): the first packets of captures in the
 * shared corpus, cut with editcap -r: eth.pcap, eth-ns.pcap (written as
 * nsecpcap) and ng.pcapng from sipnab (sip-proxy.pcap,
 * sipp-branch-scenario.pcapng), sll.pcap from asterisk-testsuite
 * 40msalaw.pcap, raw.pcap from heplify ipip0.pcap, null.pcap from
 * rtpproxy DLT_NULL.a.pcap; mixed.pcapng is a mergecap of those four link
 * types cut to 8 packets; *.gz are gzip -9 of two of them. be.pcap (big
 * endian, an IPv4 fragment) and feat-le/feat-be.pcapng (two sections of
 * opposite byte order; if_tsresol 10^-9 and 2^-20, if_tsoffset, SPB, the
 * obsolete Packet Block, a Custom Block, an NRB) were written by hand with
 * Python's struct module and checked against tshark 4.0. dsb.pcapng is
 * testdata/tls-tls13-chacha20-dsb.pcapng (a TLS key log Decryption
 * Secrets Block, editcap --inject-secrets). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include "capture/capture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Touches every byte so that ASan sees a packet pointing outside its
 * buffer; the sum keeps the loop from being optimised away. */
static unsigned touch(const struct sift_packet *pkt)
{
	unsigned sum = 0;
	uint32_t i;

	for (i = 0; i < pkt->caplen; i++)
		sum += pkt->data[i];
	/* Decryption Secrets Block text handed out with the packet. */
	for (size_t j = 0; j < pkt->secrets_len; j++)
		sum += (unsigned char)pkt->secrets[j];
	return sum;
}

static void check_packet(const struct sift_packet *pkt, uint64_t prev_frame)
{
	if (pkt->caplen > 262144 || (pkt->caplen > 0 && !pkt->data))
		abort();
	if (pkt->where.frame <= prev_frame)
		abort();
	(void)touch(pkt);
}

/* A sum of what sift_capture_peek shows of packet k to come, its link type
 * and bytes (0: nothing shown), to hold against the packet when it comes:
 * the buffer may move by then. */
static uint64_t peek_sum(const struct sift_capture *c, unsigned k,
			 size_t *caplen)
{
	size_t n;
	int lt;
	const uint8_t *d = sift_capture_peek(c, k, &n, &lt);
	uint64_t sum;

	if (!d)
		return 0;
	sum = (uint64_t)lt;
	for (size_t i = 0; i < n; i++)
		sum = sum * 31 + d[i];
	*caplen = n;
	return sum | 1;
}

static uint64_t pkt_sum(const struct sift_packet *pkt)
{
	uint64_t sum = (uint64_t)pkt->linktype;

	for (size_t i = 0; i < pkt->caplen; i++)
		sum = sum * 31 + pkt->data[i];
	return sum | 1;
}

/* What read_plain saw: each packet, the end and its error, in one sum. */
static uint64_t read_plain(const char *path)
{
	struct sift_capture *c = NULL;
	const struct sift_capture_info *info;
	struct sift_packet pkt;
	uint64_t prev = 0, n = 0, seen = 0;
	enum sift_rc rc;
	char err[256];
	const char *e;

	if (sift_capture_open(path, 0, &c, err, sizeof(err)) != SIFT_OK) {
		if (c || strlen(err) == 0)
			abort();
		for (e = err; *e; e++)
			seen = seen * 31 + (unsigned char)*e;
		return seen;
	}
	/* Every packet peeked at comes, as it was shown: the next one, and
	 * the one after it (4.) at the next call. */
	for (uint64_t after = 0;;) {
		size_t len0 = 0, len1 = 0;
		uint64_t next = peek_sum(c, 0, &len0);

		if (after && next != after)
			abort();
		after = peek_sum(c, 1, &len1);
		rc = sift_capture_next(c, &pkt);
		if (next && (rc != SIFT_OK || pkt.caplen != len0 ||
			     pkt_sum(&pkt) != next))
			abort();
		if (rc != SIFT_OK)
			break;
		check_packet(&pkt, prev);
		prev = pkt.where.frame;
		n++;
		seen = seen * 31 + pkt_sum(&pkt);
		seen = seen * 31 + pkt.where.frame;
		seen = seen * 31 + (uint64_t)pkt.where.ts + pkt.len;
	}
	info = sift_capture_info(c);
	if (info->packets != n || (rc == SIFT_ETRUNC) != info->truncated)
		abort();
	if (rc != SIFT_EOF && strlen(sift_capture_error(c)) == 0)
		abort();
	if (sift_capture_next(c, &pkt) != rc)
		abort();
	seen = seen * 31 + (uint64_t)rc;
	for (e = sift_capture_error(c); e && *e; e++)
		seen = seen * 31 + (unsigned char)*e;
	sift_capture_close(c);
	return seen;
}

static void read_merged(const char *path, const char *filter)
{
	struct sift_packet pkt, last = { 0 };
	struct sift_capture *c, *from;
	struct sift_merge *m;
	enum sift_rc rc;
	uint64_t prev[2] = { 0, 0 };
	bool have = false;
	char err[256];
	uint32_t i;

	m = sift_merge_new();
	if (!m)
		return;
	for (i = 0; i < 2; i++) {
		if (sift_capture_open(path, i, &c, err, sizeof(err)) != SIFT_OK)
			goto out;
		if (i == 1 && filter)
			(void)sift_capture_set_filter(c, filter, err,
						      sizeof(err));
		if (sift_merge_add(m, c) != SIFT_OK) {
			sift_capture_close(c);
			goto out;
		}
	}
	while ((rc = sift_merge_next(m, &pkt, &from)) != SIFT_EOF) {
		if (!from)
			abort();
		if (rc != SIFT_OK)
			continue;
		if (pkt.where.file > 1 || from != sift_merge_get(m, pkt.where.file))
			abort();
		/* Each file's packets come in file order; across files the
		 * merge cannot sort a file that is not sorted itself, so
		 * only the order among equal timestamps is checked. */
		check_packet(&pkt, prev[pkt.where.file]);
		prev[pkt.where.file] = pkt.where.frame;
		if (have && pkt.where.ts == last.where.ts &&
		    pkt.where.file < last.where.file)
			abort();
		last = pkt;
		have = true;
	}
out:
	sift_merge_free(m);
}

static int memfd_with(const uint8_t *data, size_t size, char *path,
		      size_t pathlen)
{
	size_t off = 0;
	ssize_t k;
	int fd;

	fd = memfd_create("fuzz_capture", MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	while (off < size) {
		k = write(fd, data + off, size - off);
		if (k <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)k;
	}
	snprintf(path, pathlen, "/proc/self/fd/%d", fd);
	return fd;
}

/* gzip-compresses data; returns a malloc'd buffer or NULL. */
static uint8_t *gzip_of(const uint8_t *data, size_t size, size_t *outlen)
{
	z_stream zs;
	uint8_t *out;
	size_t cap = size + size / 100 + 64;

	memset(&zs, 0, sizeof(zs));
	out = malloc(cap);
	if (!out)
		return NULL;
	if (deflateInit2(&zs, 1, Z_DEFLATED, 15 + 16, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK) {
		free(out);
		return NULL;
	}
	zs.next_in = (Bytef *)(uintptr_t)data;
	zs.avail_in = (uInt)size;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&zs);
		free(out);
		return NULL;
	}
	*outlen = cap - zs.avail_out;
	deflateEnd(&zs);
	return out;
}

static void read_gzipped(const uint8_t *data, size_t size)
{
	char path[64];
	size_t gzlen = 0;
	uint8_t *gz;
	int fd;

	gz = gzip_of(data, size, &gzlen);
	if (!gz)
		return;
	fd = memfd_with(gz, gzlen, path, sizeof(path));
	if (fd >= 0) {
		read_plain(path);
		close(fd);
	}
	if (gzlen > 0) {
		fd = memfd_with(gz, (size_t)data[0] * gzlen / 256, path,
				sizeof(path));
		if (fd >= 0) {
			read_plain(path);
			close(fd);
		}
	}
	free(gz);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *filter;
	char path[64];
	int fd;

	if (!filter)
		filter = sift_filter_widen("udp port 5060");
	fd = memfd_with(data, size, path, sizeof(path));
	if (fd < 0)
		return 0;
	{
		uint64_t mapped = read_plain(path), one_page, unmapped;
		size_t window = sift_capture_map_window(4096);

		one_page = read_plain(path);
		sift_capture_map_window(0);
		unmapped = read_plain(path);
		sift_capture_map_window(window);
		if (one_page != mapped || unmapped != mapped)
			abort();
	}
	read_merged(path, filter);
	close(fd);
	/* Already compressed input gains nothing from another layer. */
	if (size > 2 && !(data[0] == 0x1f && data[1] == 0x8b))
		read_gzipped(data, size);
	return 0;
}
