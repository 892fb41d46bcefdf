/* Unit tests for output files (src/util/outfile.c) and UTF-8 decoding
 * (src/util/utf8.c): nothing appears under the final name before commit,
 * an abort leaves what was there, a planted link or FIFO is replaced and
 * never written through. */
#include "testutil.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/outfile.h"
#include "util/utf8.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/sipsift-outfile-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void path_of(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

static void write_file(const char *name, const char *text)
{
	char p[128];
	FILE *f;

	path_of(p, sizeof(p), name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* The file's text, or "" when it does not exist. */
static const char *read_file(const char *name)
{
	static char buf[256];
	char p[128];
	FILE *f;
	size_t n;

	path_of(p, sizeof(p), name);
	buf[0] = '\0';
	f = fopen(p, "r");
	if (!f)
		return buf;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Entries in dir besides . and .. */
static int entries(void)
{
	char cmd[128];
	char line[32];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(line, sizeof(line), p));
	pclose(p);
	return (int)strtol(line, NULL, 10);
}

static void test_commit_replaces_only_at_the_end(void **state)
{
	struct sift_outfile *o;
	char p[128], err[128];
	FILE *f;

	(void)state;
	write_file("r.txt", "old\n");
	path_of(p, sizeof(p), "r.txt");
	assert_int_equal(sift_outfile_open(p, &o, err, sizeof(err)), SIFT_OK);
	f = sift_outfile_stream(o);
	assert_non_null(f);
	fputs("new\n", f);
	fflush(f);
	assert_string_equal(read_file("r.txt"), "old\n");
	assert_int_equal(entries(), 2);
	assert_int_equal(sift_outfile_commit(o, err, sizeof(err)), SIFT_OK);
	assert_string_equal(read_file("r.txt"), "new\n");
	assert_int_equal(entries(), 1);
}

static void test_abort_keeps_the_old_file(void **state)
{
	struct sift_outfile *o;
	char p[128], err[128];

	(void)state;
	write_file("a.txt", "old\n");
	path_of(p, sizeof(p), "a.txt");
	assert_int_equal(sift_outfile_open(p, &o, err, sizeof(err)), SIFT_OK);
	fputs("half", sift_outfile_stream(o));
	sift_outfile_abort(o);
	assert_string_equal(read_file("a.txt"), "old\n");
	assert_int_equal(entries(), 2);   /* a.txt and r.txt of the test before */
	sift_outfile_abort(NULL);
	assert_int_equal(sift_outfile_commit(NULL, err, sizeof(err)), SIFT_OK);
}

static void test_planted_link_and_fifo_are_replaced(void **state)
{
	struct sift_outfile *o;
	char link_path[128], victim[128], err[128];
	struct stat st;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);

	(void)state;
	assert_true(dfd >= 0);
	write_file("victim", "precious\n");
	path_of(victim, sizeof(victim), "victim");
	path_of(link_path, sizeof(link_path), "l.wav");
	assert_int_equal(symlink(victim, link_path), 0);
	assert_int_equal(sift_outfile_openat(dfd, "l.wav", &o, err, sizeof(err)), SIFT_OK);
	assert_int_equal(write(sift_outfile_fd(o), "x", 1), 1);
	assert_int_equal(sift_outfile_commit(o, err, sizeof(err)), SIFT_OK);
	assert_string_equal(read_file("victim"), "precious\n");
	assert_int_equal(lstat(link_path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_string_equal(read_file("l.wav"), "x");

	path_of(link_path, sizeof(link_path), "f.wav");
	assert_int_equal(mkfifo(link_path, 0600), 0);
	assert_int_equal(sift_outfile_openat(dfd, "f.wav", &o, err, sizeof(err)), SIFT_OK);
	assert_int_equal(sift_outfile_commit(o, err, sizeof(err)), SIFT_OK);
	assert_int_equal(lstat(link_path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	close(dfd);
}

static void test_bad_names(void **state)
{
	struct sift_outfile *o;
	char p[128], err[128];
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);

	(void)state;
	assert_int_equal(sift_outfile_openat(dfd, "a/b", &o, err, sizeof(err)), SIFT_EINVAL);
	assert_int_equal(sift_outfile_openat(dfd, "..", &o, err, sizeof(err)), SIFT_EINVAL);
	assert_int_equal(sift_outfile_openat(dfd, "", &o, err, sizeof(err)), SIFT_EINVAL);
	path_of(p, sizeof(p), "d");
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(sift_outfile_open(p, &o, err, sizeof(err)), SIFT_EIO);
	assert_non_null(strstr(err, "Is a directory"));
	path_of(p, sizeof(p), "no/such/x");
	assert_int_equal(sift_outfile_open(p, &o, err, sizeof(err)), SIFT_EIO);
	assert_non_null(strstr(err, "cannot write"));
	close(dfd);
}

static void test_device_written_in_place(void **state)
{
	struct sift_outfile *o;
	char err[128];
	struct stat st;

	(void)state;
	assert_int_equal(sift_outfile_open("/dev/null", &o, err, sizeof(err)), SIFT_OK);
	fputs("gone", sift_outfile_stream(o));
	assert_int_equal(sift_outfile_commit(o, err, sizeof(err)), SIFT_OK);
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
}

static void test_utf8(void **state)
{
	uint32_t cp = 0;

	(void)state;
	assert_int_equal(sift_utf8_next("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(sift_utf8_next("\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xe9);
	assert_int_equal(sift_utf8_next("\xe2\x80\xae", 3, &cp), 3);
	assert_int_equal(cp, 0x202e);
	assert_int_equal(sift_utf8_next("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
	/* Malformed: stray continuation, 0xff, overlong, surrogate, past
	 * U+10FFFF, cut short. */
	assert_int_equal(sift_utf8_next("\x9b", 1, &cp), 0);
	assert_int_equal(sift_utf8_next("\xff", 1, &cp), 0);
	assert_int_equal(sift_utf8_next("\xc0\xaf", 2, &cp), 0);
	assert_int_equal(sift_utf8_next("\xe0\x80\xaf", 3, &cp), 0);
	assert_int_equal(sift_utf8_next("\xed\xa0\x80", 3, &cp), 0);
	assert_int_equal(sift_utf8_next("\xf4\x90\x80\x80", 4, &cp), 0);
	assert_int_equal(sift_utf8_next("\xe2\x80", 2, &cp), 0);
	assert_int_equal(sift_utf8_next("\xe2\x80\xae", 2, &cp), 0);
	assert_int_equal(sift_utf8_next("", 0, &cp), 0);
	assert_true(sift_utf8_unsafe(0x1b));
	assert_true(sift_utf8_unsafe(0x7f));
	assert_true(sift_utf8_unsafe(0x9b));
	assert_true(sift_utf8_unsafe(0x202e));
	assert_true(sift_utf8_unsafe(0x2066));
	assert_false(sift_utf8_unsafe('a'));
	assert_false(sift_utf8_unsafe(0xe9));
	assert_false(sift_utf8_unsafe(0x2070));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commit_replaces_only_at_the_end),
		cmocka_unit_test(test_abort_keeps_the_old_file),
		cmocka_unit_test(test_planted_link_and_fifo_are_replaced),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_device_written_in_place),
		cmocka_unit_test(test_utf8),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
