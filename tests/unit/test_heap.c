/* Unit tests for util/heap.c: after sift_heap_huge(bounded) the heap past
 * its first SIFT_HEAP_EXACT (16 MB) is advised MADV_HUGEPAGE ("hg" among
 * the mapping's VmFlags in /proc/self/smaps) once sift_heap_tick has come
 * round, and the first 16 MB are not; under AddressSanitizer, whose
 * allocator is not glibc's, nothing is. (The unbounded case is the same
 * with no 16 MB.) sift_heap_big_zalloc's memory is zeroed, 2 MB aligned
 * and advised the same way. */
#include "testutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

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
	/* 48 MB in pieces below the mmap threshold, so from the heap: it
	 * grows past what it had when it was advised, and past 16 MB. */
	enum { PIECES = 480, PIECE = 100 * 1000 };
	char **v = calloc(PIECES, sizeof(*v));
	uintptr_t first;
	bool want, below = false, above = false;

	(void)state;
	assert_non_null(v);
	want = thp_built();
#ifdef SIFT_ASAN
	want = false;
#endif
	sift_heap_huge(true);
	sift_heap_huge(false);      /* once only: a second call changes nothing */
	for (int i = 0; i < PIECES; i++) {
		v[i] = malloc(PIECE);
		assert_non_null(v[i]);
		memset(v[i], i, PIECE);
	}
	for (int i = 0; i < 4096; i++)
		sift_heap_tick();
	first = (uintptr_t)v[0];
	for (int i = 1; i < PIECES; i++) {
		uintptr_t at = (uintptr_t)v[i];

		/* Clear of the 16 MB mark by a page or more either way. */
		if (at + PIECE + 4096 < first + SIFT_HEAP_EXACT) {
			assert_int_equal(advised(v[i]), 0);
			below = true;
		} else if (at > first + SIFT_HEAP_EXACT + 8192) {
			assert_int_equal(advised(v[i]), want);
			above = true;
		}
	}
	assert_true(below && above);
	for (int i = 0; i < PIECES; i++)
		free(v[i]);
	free(v);
}

static bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void test_big_zalloc(void **state)
{
	size_t n = ((size_t)1 << 20) + 12345;
	bool mapped, want = thp_built();
	unsigned char *p;

	(void)state;
#ifdef SIFT_ASAN
	want = false;
#endif
	p = sift_heap_big_zalloc(n, &mapped);
	assert_non_null(p);
	assert_true(all_zero(p, n));
	memset(p, 0xa5, n);
	if (mapped) {
		assert_int_equal((uintptr_t)p % ((uintptr_t)2 << 20), 0);
		assert_int_equal(advised(p), want);
		assert_int_equal(advised(p + n - 1), want);
	}
#ifdef SIFT_ASAN
	assert_false(mapped);
#endif
	sift_heap_big_free(p, n, mapped);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_heap_advised),
		cmocka_unit_test(test_big_zalloc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
