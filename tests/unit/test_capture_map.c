/* src/capture/rdmap.c: a capture read through a mapped window gives what
 * read(2) gives, packet for packet, whatever the window's size; a file
 * that grows while it is read is read on; one that another program cuts
 * short stops with an error, not SIGBUS. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#include "capture/capture.h"

static size_t default_window;
static char tmpdir[64];

/* Everything a reader sees of a capture, in one sum: each packet (bytes,
 * lengths, time, frame, link type), the end and its error. unmap_at > 0
 * switches to read(2) after that many packets. */
static uint64_t digest(const char *path, size_t window, uint64_t unmap_at,
		       uint64_t *packets)
{
	struct sift_capture *c = NULL;
	struct sift_packet pkt;
	enum sift_rc rc;
	char err[256];
	uint64_t sum = 0, n = 0;
	const char *e;

	sift_capture_map_window(window);
	rc = sift_capture_open(path, 0, &c, err, sizeof(err));
	sift_capture_map_window(default_window);
	if (rc != SIFT_OK) {
		for (e = err; *e; e++)
			sum = sum * 31 + (unsigned char)*e;
		*packets = 0;
		return sum * 31 + (uint64_t)rc;
	}
	while ((rc = sift_capture_next(c, &pkt)) == SIFT_OK) {
		for (uint32_t i = 0; i < pkt.caplen; i++)
			sum = sum * 31 + pkt.data[i];
		sum = sum * 31 + pkt.caplen;
		sum = sum * 31 + pkt.len;
		sum = sum * 31 + (uint64_t)pkt.where.ts;
		sum = sum * 31 + pkt.where.frame;
		sum = sum * 31 + (uint64_t)pkt.linktype;
		if (++n == unmap_at)
			sift_capture_unmap(c);
	}
	sum = sum * 31 + (uint64_t)rc;
	for (e = sift_capture_error(c); e && *e; e++)
		sum = sum * 31 + (unsigned char)*e;
	sift_capture_close(c);
	*packets = n;
	return sum;
}

static bool capture_name(const char *name)
{
	static const char *const ext[] = { ".pcap", ".pcapng", ".cap", ".gz" };
	size_t n = strlen(name);

	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		size_t k = strlen(ext[i]);

		if (n > k && strcmp(name + n - k, ext[i]) == 0)
			return true;
	}
	return false;
}

static void same_every_way(const char *path, unsigned *files, uint64_t *total)
{
	uint64_t n0, n1, n2, n3, n4;
	uint64_t read0 = digest(path, 0, 0, &n0);

	/* Mapped: the default window, one page (a new map for almost every
	 * record), three pages and a byte, and the default window given up
	 * for read(2) half way. */
	assert_true(digest(path, default_window, 0, &n1) == read0);
	assert_true(digest(path, 4096, 0, &n2) == read0);
	assert_true(digest(path, 3 * 4096 + 1, 0, &n3) == read0);
	assert_true(digest(path, default_window, n0 / 2 + 1, &n4) == read0);
	assert_true(n1 == n0 && n2 == n0 && n3 == n0 && n4 == n0);
	(*files)++;
	*total += n0;
}

static void walk(const char *dir, unsigned *files, uint64_t *total)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[1024];
	struct stat st;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			walk(path, files, total);
		else if (capture_name(de->d_name))
			same_every_way(path, files, total);
	}
	closedir(d);
}

/* Every capture of testdata/ and of its third-party corpus: damaged and
 * cut-off ones included, so errors must match too. */
static void test_same_packets(void **state)
{
	unsigned files = 0;
	uint64_t total = 0;

	(void)state;
	walk("testdata", &files, &total);
	assert_true(files > 100);
	assert_true(total > 50000);
}

/* ---- files built here ------------------------------------------------- */

static void put_le32(FILE *f, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 24) };

	assert_int_equal(fwrite(b, 1, 4, f), 4);
}

/* count records of 1000 bytes each (a pattern that names the record),
 * appended to path; with a file header when fresh. */
static void write_records(const char *path, bool fresh, uint32_t first,
			  uint32_t count)
{
	FILE *f = fopen(path, fresh ? "wb" : "ab");
	uint8_t body[1000];

	assert_non_null(f);
	if (fresh) {
		put_le32(f, 0xa1b2c3d4u);
		put_le32(f, 2u | 4u << 16);     /* version 2.4 */
		put_le32(f, 0);
		put_le32(f, 0);
		put_le32(f, 65535);
		put_le32(f, 1);                 /* Ethernet */
	}
	for (uint32_t i = first; i < first + count; i++) {
		put_le32(f, 1000000 + i);
		put_le32(f, 0);
		put_le32(f, sizeof(body));
		put_le32(f, sizeof(body));
		memset(body, (int)(i & 0xff), sizeof(body));
		assert_int_equal(fwrite(body, 1, sizeof(body), f), sizeof(body));
	}
	assert_int_equal(fclose(f), 0);
}

static bool mapped_now(const char *path)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[1024];
	bool found = false;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, path))
			found = true;
	fclose(f);
	return found;
}

/* The map is there when it should be, and gone when it should not: the
 * fast path cannot go quietly unused. */
static void test_mapped_or_not(void **state)
{
	struct sift_capture *c;
	struct sift_packet pkt;
	char path[128], err[256];

	(void)state;
	snprintf(path, sizeof(path), "%s/maps.pcap", tmpdir);
	write_records(path, true, 0, 10);
	assert_int_equal(sift_capture_open(path, 0, &c, err, sizeof(err)), SIFT_OK);
	assert_int_equal(sift_capture_next(c, &pkt), SIFT_OK);
	assert_true(mapped_now(path));
	sift_capture_unmap(c);
	assert_false(mapped_now(path));
	for (int i = 1; i < 10; i++) {
		assert_int_equal(sift_capture_next(c, &pkt), SIFT_OK);
		assert_int_equal(pkt.data[0], i);
	}
	assert_int_equal(sift_capture_next(c, &pkt), SIFT_EOF);
	sift_capture_close(c);

	sift_capture_map_window(0);
	assert_int_equal(sift_capture_open(path, 0, &c, err, sizeof(err)), SIFT_OK);
	sift_capture_map_window(default_window);
	assert_int_equal(sift_capture_next(c, &pkt), SIFT_OK);
	assert_false(mapped_now(path));
	sift_capture_close(c);
	assert_false(mapped_now(path));
}

/* path, freshly written with count records, opened through a window of
 * the given size, and its first skip packets read. */
static struct sift_capture *open_read(const char *path, uint32_t count,
				      size_t window, uint32_t skip)
{
	struct sift_capture *c;
	struct sift_packet pkt;
	char err[256];

	write_records(path, true, 0, count);
	sift_capture_map_window(window);
	assert_int_equal(sift_capture_open(path, 0, &c, err, sizeof(err)), SIFT_OK);
	sift_capture_map_window(default_window);
	for (uint32_t i = 0; i < skip; i++)
		assert_int_equal(sift_capture_next(c, &pkt), SIFT_OK);
	return c;
}

/* A capture still being written: what is added before the reader reaches
 * the end is read, as with read(2). */
static void test_file_grows(void **state)
{
	static const size_t windows[] = { 4096, 0x100000 };
	char path[128];

	(void)state;
	snprintf(path, sizeof(path), "%s/grows.pcap", tmpdir);
	for (size_t w = 0; w < 2; w++) {
		struct sift_capture *c = open_read(path, 20, windows[w], 5);
		struct sift_packet pkt;
		uint32_t n = 5;

		write_records(path, false, 20, 20);
		while (sift_capture_next(c, &pkt) == SIFT_OK) {
			assert_int_equal(pkt.data[0], n);
			assert_int_equal(pkt.data[999], n);
			n++;
		}
		assert_int_equal(n, 40);
		sift_capture_close(c);
	}
}

/* Cut short by another program while mapped: the pages past the new end
 * are gone, and touching them raises SIGBUS. The packets before the cut
 * come as they were, then an error that says what happened. The packet
 * that reaches over the cut may come with zeros where its lost bytes
 * were (the handler's pages): the error follows it. */
static void test_file_shrinks(void **state)
{
	static const size_t windows[] = { 4096, 0x100000 };
	char path[128];

	(void)state;
	snprintf(path, sizeof(path), "%s/shrinks.pcap", tmpdir);
	for (size_t w = 0; w < 2; w++) {
		struct sift_capture *c = open_read(path, 200, windows[w], 3);
		struct sift_packet pkt;
		enum sift_rc rc;
		uint32_t n = 3;

		/* To 12 pages: records 0 to 47 whole, 48 across the cut. */
		assert_int_equal(truncate(path, 12 * 4096), 0);
		while ((rc = sift_capture_next(c, &pkt)) == SIFT_OK) {
			assert_int_equal(pkt.caplen, 1000);
			assert_int_equal(pkt.data[0], n);
			if (n < 48)
				assert_int_equal(pkt.data[999], n);
			else
				(void)pkt.data[999];    /* past the cut */
			n++;
		}
		assert_true(n == 48 || n == 49);
		if (windows[w] == 4096) {
			/* A window mapped anew at the cut sees the file's
			 * new end, as read(2) would: cut off in a record. */
			assert_true(rc == SIFT_ETRUNC || rc == SIFT_EIO);
		} else {
			/* One window held the whole file: SIGBUS. */
			assert_int_equal(rc, SIFT_EIO);
			assert_non_null(strstr(sift_capture_error(c), "shrank"));
		}
		sift_capture_close(c);
	}
}

/* More captures open at once than there are guarded windows: the rest
 * read with read(2), and every one reads whole. */
static void test_many_open(void **state)
{
	enum { N = 80 };
	struct sift_capture *c[N];
	struct sift_packet pkt;
	char path[128], err[256];

	(void)state;
	snprintf(path, sizeof(path), "%s/many.pcap", tmpdir);
	write_records(path, true, 0, 30);
	for (int i = 0; i < N; i++)
		assert_int_equal(sift_capture_open(path, 0, &c[i], err,
						   sizeof(err)), SIFT_OK);
	for (int k = 0; k < 30; k++)
		for (int i = 0; i < N; i++) {
			assert_int_equal(sift_capture_next(c[i], &pkt), SIFT_OK);
			assert_int_equal(pkt.data[500], k);
		}
	for (int i = 0; i < N; i++) {
		assert_int_equal(sift_capture_next(c[i], &pkt), SIFT_EOF);
		sift_capture_close(c[i]);
	}
}

static int setup(void **state)
{
	(void)state;
	default_window = sift_capture_map_window(0);
	sift_capture_map_window(default_window);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/sipsift-map-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	static const char *const names[] = { "maps.pcap", "grows.pcap",
					     "shrinks.pcap", "many.pcap" };
	char path[128];

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, names[i]);
		unlink(path);
	}
	return rmdir(tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_packets),
		cmocka_unit_test(test_mapped_or_not),
		cmocka_unit_test(test_file_grows),
		cmocka_unit_test(test_file_shrinks),
		cmocka_unit_test(test_many_open),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
