/* Unit tests for util/heap.c: after sift_heap_huge the heap is advised
 * MADV_HUGEPAGE ("hg" among the mapping's VmFlags in /proc/self/smaps),
 * and so is what it grew by since, once sift_heap_tick has come round;
 * under AddressSanitizer, whose allocator is not glibc's, nothing is. */
#include "testutil.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/asan.h"
#include "util/heap.h"

/* Does the kernel take MADV_HUGEPAGE at all (CONFIG_TRANSPARENT_HUGEPAGE)? */
static bool thp_built(void)
{
	size_t n = (size_t)4 << 20;
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bool ok;

	assert_true(p != MAP_FAILED);
	ok = madvise(p, n, MADV_HUGEPAGE) == 0;
	munmap(p, n);
	return ok;
}

/* The VmFlags of the mapping that holds p: 1 with "hg", 0 without, -1
 * when no mapping holds it. */
static int advised(const void *p)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	bool in = false;
	int r = -1;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) {
			in = (uintptr_t)p >= lo && (uintptr_t)p < hi;
			continue;
		}
		if (in && strncmp(line, "VmFlags:", 8) == 0) {
			r = strstr(line, " hg") != NULL;
			break;
		}
	}
	fclose(f);
	return r;
}

static void test_heap_advised(void **state)
{
	enum { PIECES = 64, PIECE = 100 * 1000 };  /* below the mmap threshold */
	void *v[PIECES];
	bool want;

	(void)state;
#ifdef SIFT_ASAN
	want = false;
#else
	want = thp_built();
#endif
	sift_heap_huge();
	sift_heap_huge();           /* once only: a second call changes nothing */
	/* 6.4 MB: the heap grows past what it had when it was advised. */
	for (int i = 0; i < PIECES; i++) {
		v[i] = malloc(PIECE);
		assert_non_null(v[i]);
		memset(v[i], i, PIECE);
	}
	for (int i = 0; i < 4096; i++)
		sift_heap_tick();
	/* From the page after the piece that located the heap (v[0] may
	 * begin on that piece's page, which is left as it was). */
	for (int i = 1; i < PIECES; i++)
		assert_int_equal(advised(v[i]), want);
	for (int i = 0; i < PIECES; i++)
		free(v[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_heap_advised),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
