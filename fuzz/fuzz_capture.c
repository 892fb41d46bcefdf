/* libFuzzer target for src/capture.c: the input is a capture file (pcap,
 * pcapng, gzip of either). It is written to a memfd and opened by its
 * /proc path, as a user's file would be, then
 *   1. read to the end, checking each packet's invariants;
 *   2. read again as two copies through the merger, one of them filtered
 *      with a widened BPF filter, checking the merge order.
 * Any violated invariant aborts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sipsift/capture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Touches every byte so that ASan sees a packet pointing outside its
 * buffer; the sum keeps the loop from being optimised away. */
static unsigned touch(const struct sift_packet *pkt)
{
	unsigned sum = 0;
	uint32_t i;

	for (i = 0; i < pkt->caplen; i++)
		sum += pkt->data[i];
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

static void read_plain(const char *path)
{
	struct sift_capture *c = NULL;
	const struct sift_capture_info *info;
	struct sift_packet pkt;
	uint64_t prev = 0, n = 0;
	enum sift_rc rc;
	char err[256];

	if (sift_capture_open(path, 0, &c, err, sizeof(err)) != SIFT_OK) {
		if (c || strlen(err) == 0)
			abort();
		return;
	}
	while ((rc = sift_capture_next(c, &pkt)) == SIFT_OK) {
		check_packet(&pkt, prev);
		prev = pkt.where.frame;
		n++;
	}
	info = sift_capture_info(c);
	if (info->packets != n || (rc == SIFT_ETRUNC) != info->truncated)
		abort();
	if (rc != SIFT_EOF && strlen(sift_capture_error(c)) == 0)
		abort();
	if (sift_capture_next(c, &pkt) != rc)
		abort();
	sift_capture_close(c);
}

static void read_merged(const char *path, const char *filter)
{
	struct sift_packet pkt, last;
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
		if (sift_merge_add(m, c) != SIFT_OK)
			goto out;
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *filter;
	char path[64];
	size_t off = 0;
	ssize_t k;
	int fd;

	if (!filter)
		filter = sift_filter_widen("udp port 5060");
	fd = memfd_create("fuzz_capture", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	while (off < size) {
		k = write(fd, data + off, size - off);
		if (k <= 0)
			goto out;
		off += (size_t)k;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	read_plain(path);
	read_merged(path, filter);
out:
	close(fd);
	return 0;
}
