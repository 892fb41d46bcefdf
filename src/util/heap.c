/* sipsift — the heap on transparent huge pages.
 *
 * A capture's calls, streams and caches are spread over tens of MB of
 * heap that every packet reaches into: with 4 KB pages each of those
 * reaches may miss the TLB as well as the cache. glibc backs its heap
 * with huge pages when told so at start-up (GLIBC_TUNABLES
 * glibc.malloc.hugetlb=1: 4 to 7 % faster on sipp's captures), but only
 * through the environment. What that tunable does for the main heap is
 * done here from inside: malloc extends the heap (brk) by 64 MB at a time
 * (M_TOP_PAD), and each new stretch is marked MADV_HUGEPAGE soon after it
 * is made, before most of it is touched. A stretch never touched costs
 * nothing; one touched costs 2 MB at a time, so max RSS counts in 2 MB
 * steps. NDJSON, the mode whose memory must stay flat, keeps its first
 * 16 MB on 4 KB pages: on sipp's 50,000 calls its max RSS on the whole
 * capture against its first 10 % was up to x1.24 with huge pages from
 * the start, x1.09 without (bench-sipp allows x1.2); its heap holds 8.9
 * and 10.3 MB there. A larger heap (sipp's 4,000 media calls: 41 MB) gets
 * them past the mark: with 32 MB on 4 KB pages its page faults were 7 %
 * of the run. Where THP is off
 * (/sys/kernel/mm/transparent_hugepage/enabled "never") the kernel
 * ignores the advice; where it is "always", the advice changes nothing.
 * Under AddressSanitizer, whose allocator is not glibc's, it is a no-op. */
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "util/asan.h"
#include "util/heap.h"

#define HEAP_PAD ((size_t)64 << 20)
#define HEAP_EXACT SIFT_HEAP_EXACT

#ifdef SIFT_ASAN
#define HEAP_HUGE 0
#else
#define HEAP_HUGE 1
#endif

/* The page after the heap's start (as found at set-up), and the end of
 * the heap as last advised. */
static uintptr_t heap_from, heap_done;

static uintptr_t page_up(uintptr_t a)
{
	uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE);

	return (a + pg - 1) & ~(pg - 1);
}

static void advise(void)
{
	uintptr_t end;

	end = (uintptr_t)sbrk(0);
	if (end == (uintptr_t)-1 || end <= heap_from || end <= heap_done)
		return;
	/* The whole heap again: one call merges what earlier ones split. */
	(void)madvise((void *)heap_from, end - heap_from, MADV_HUGEPAGE);
	heap_done = end;
}

/* Under a limit on the data size or the address space (ulimit -d, -v),
 * the heap's 64 MB step can be the request that fails where the run
 * would have fitted (an analyze that ran in 40 MB of data failed at
 * once): there, the heap stays as glibc has it. */
static bool limited(void)
{
	struct rlimit r;

	return (getrlimit(RLIMIT_DATA, &r) == 0 && r.rlim_cur != RLIM_INFINITY) ||
	       (getrlimit(RLIMIT_AS, &r) == 0 && r.rlim_cur != RLIM_INFINITY);
}

void sift_heap_huge(bool bounded)
{
	void *p;

	if (!HEAP_HUGE || heap_from || limited() ||
	    mallopt(M_TOP_PAD, (int)HEAP_PAD) != 1)
		return;
	/* A piece of the heap, to know where it is (the heap is under way:
	 * stdio and the command line took from it). */
	p = malloc(64);
	if (!p)
		return;
	heap_from = page_up((uintptr_t)p) + (bounded ? HEAP_EXACT : 0);
	free(p);
	advise();
}

void sift_heap_tick(void)
{
	static unsigned n;

	if (heap_from && ++n % 4096 == 0)
		advise();
}

#define HUGE_PAGE ((size_t)2 << 20)

static size_t huge_up(size_t n)
{
	return (n + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
}

/* The media struct's endpoint and stream caches (1.8 MB) came from
 * calloc, a mapping of 4 KB pages of its own, where the cache lines that
 * every packet reaches missed the TLB too: on a huge page a `calls` run
 * on sipp's 4,000 media calls took 2 to 3 % less time (best of 11, two
 * sets). */
void *sift_heap_big_zalloc(size_t n, bool *mapped)
{
	*mapped = false;
#if HEAP_HUGE
	/* Under a limit on memory, as the heap does: what glibc would do. */
	if (!limited()) {
		size_t len = huge_up(n);
		char *m = len >= n ? mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE,
					  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) : MAP_FAILED;

		if (m != MAP_FAILED) {
			char *a = (char *)(((uintptr_t)m + HUGE_PAGE - 1) &
					   ~(uintptr_t)(HUGE_PAGE - 1));

			/* The slack before and after the aligned stretch goes
			 * back at once. */
			if (a > m)
				(void)munmap(m, (size_t)(a - m));
			if (m + len + HUGE_PAGE > a + len)
				(void)munmap(a + len, (size_t)(m + len + HUGE_PAGE - (a + len)));
			(void)madvise(a, len, MADV_HUGEPAGE);
			*mapped = true;
			return a;
		}
	}
#endif
	return calloc(1, n);
}

void sift_heap_big_free(void *p, size_t n, bool mapped)
{
	if (!p)
		return;
	if (mapped)
		(void)munmap(p, huge_up(n));
	else
		free(p);
}
