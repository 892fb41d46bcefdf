/* sipsift — a capture file read through a mapped window (mmap(2)) rather
 * than read(2) into a buffer.
 *
 * Why: on sipp-media-4000 (400 MB, 1.3 M packets, page cache warm) the
 * kernel's copy into the read buffer was 16 % of a JSON run. Mapping alone
 * gained nothing, since the parser then waited for the same memory; mapped
 * with MAP_POPULATE and read with a prefetch a few KB ahead of the record
 * (pcap.c, pcapng.c) it is 9 to 13 % faster in every output mode.
 *
 * The window is RD_MAP_WINDOW bytes, mapped anew when a record reaches past
 * it, so that resident memory stays bounded whatever the file's length (a
 * whole-file map would count the file in RSS). A record handed out points
 * into the window, valid until the next call on the capture, as with the
 * buffer (capture_int.h).
 *
 * A mapped file that another program shortens raises SIGBUS on the pages
 * past its new end. The handler below lays zero pages over the rest of the
 * window and marks it, and the capture stops at its next record with an
 * error that says so (capture.c): a message, not a crash. Regular files
 * only, and only those we opened; stdin, pipes and gzip keep read(2), and
 * so does a file whose map fails. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/capture_int.h"

/* Windows mapped at once: one per open capture; a merge of more files
 * reads the rest with read(2). */
#define GUARD_SLOTS 64

struct guard {
	atomic_uintptr_t lo, hi;        /* the window's pages, [lo, hi) */
	atomic_bool taken;
	atomic_bool hit;                /* SIGBUS in it: the file shrank */
};

static struct guard guards[GUARD_SLOTS];
static struct sigaction old_bus;
static uintptr_t page;
static atomic_size_t window = RD_MAP_WINDOW;

/* Only what is async-signal-safe in practice: atomics and one mmap. */
static void on_bus(int sig, siginfo_t *si, void *ctx)
{
	uintptr_t a = (uintptr_t)si->si_addr;

	(void)sig;
	(void)ctx;
	for (size_t i = 0; i < GUARD_SLOTS; i++) {
		struct guard *g = &guards[i];
		uintptr_t lo = atomic_load(&g->lo), hi = atomic_load(&g->hi);
		uintptr_t from = a & ~(page - 1);

		if (a < lo || a >= hi)
			continue;
		if (mmap((void *)from, hi - from, PROT_READ,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
		    MAP_FAILED)
			break;
		atomic_store(&g->hit, true);
		return;
	}
	/* Not a window of ours: the fault comes again, to whoever had
	 * SIGBUS before (the default: the end of the process). */
	sigaction(SIGBUS, &old_bus, NULL);
}

/* Puts on_bus in place, unless it is there: at each capture opened,
 * since whoever set SIGBUS after us (a test harness) may have taken it. */
static bool install(void)
{
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	struct sigaction sa, cur;
	long ps = sysconf(_SC_PAGESIZE);
	bool ok = false;

	if (ps <= 0 || (ps & (ps - 1)) != 0)
		return false;
	pthread_mutex_lock(&mu);
	page = (uintptr_t)ps;
	if (sigaction(SIGBUS, NULL, &cur) == 0) {
		ok = (cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == on_bus;
		if (!ok) {
			memset(&sa, 0, sizeof(sa));
			sa.sa_sigaction = on_bus;
			sa.sa_flags = SA_SIGINFO | SA_RESTART;
			sigemptyset(&sa.sa_mask);
			old_bus = cur;
			ok = sigaction(SIGBUS, &sa, NULL) == 0;
		}
	}
	pthread_mutex_unlock(&mu);
	return ok;
}

size_t sift_capture_map_window(size_t bytes)
{
	return atomic_exchange(&window, bytes);
}

static int guard_take(void)
{
	for (int i = 0; i < GUARD_SLOTS; i++) {
		bool free_slot = false;

		if (atomic_compare_exchange_strong(&guards[i].taken, &free_slot,
						   true)) {
			atomic_store(&guards[i].hit, false);
			return i;
		}
	}
	return -1;
}

static void guard_set(int slot, const uint8_t *p, size_t size)
{
	uintptr_t lo = (uintptr_t)p;

	/* hi first to 0, so that the handler never sees a mix of two
	 * windows as one range. */
	atomic_store(&guards[slot].hi, 0);
	atomic_store(&guards[slot].lo, lo);
	atomic_store(&guards[slot].hi, p ? lo + ((size + page - 1) & ~(page - 1)) : 0);
}

static void unmap(struct rd *r)
{
	if (!r->mapped)
		return;
	guard_set(r->guard, NULL, 0);
	munmap(r->buf, r->size);
	r->buf = NULL;
	r->mapped = false;
}

/* Maps a window that holds [at, at + n) of the file, or as much of it as
 * the file has. False when mmap fails. */
static bool map_window(struct rd *r, uint64_t at, size_t n)
{
	uint64_t base = at & ~(uint64_t)(page - 1);
	uint64_t len = (at - base) + n, w = atomic_load(&window);
	void *p;

	if (len < w)
		len = w;
	len = (len + page - 1) & ~(uint64_t)(page - 1);
	if (len > r->fsize - base)
		len = r->fsize - base;
	if (len == 0 || len > SIZE_MAX)
		return false;
	p = mmap(NULL, (size_t)len, PROT_READ, MAP_PRIVATE | MAP_POPULATE,
		 r->fd, (off_t)base);
	if (p == MAP_FAILED)
		return false;
	/* The new window before the old one goes: a stale pointer into the
	 * old one faults rather than reads the new one's bytes. */
	if (r->mapped)
		unmap(r);
	else
		free(r->buf);
	r->buf = p;
	r->size = (size_t)len;
	r->map_at = base;
	r->pos = (size_t)(at - base);
	r->end = (size_t)len;
	r->mapped = true;
	guard_set(r->guard, r->buf, r->size);
	return true;
}

static void guard_give_back(struct rd *r)
{
	if (r->guard < 0)
		return;
	atomic_store(&guards[r->guard].taken, false);
	r->guard = -1;
	r->hit = NULL;
}

void sift_rd_map_start(struct rd *r)
{
	struct stat st;

	if (atomic_load(&window) == 0 || r->gzip || !r->own_fd ||
	    r->fd < 0 || fstat(r->fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size <= 0)
		return;
	if (!install())
		return;
	r->guard = guard_take();
	if (r->guard < 0)
		return;
	r->hit = &guards[r->guard].hit;
	r->fsize = (uint64_t)st.st_size;
	if (r->off > r->fsize || !map_window(r, r->off, rd_avail(r)))
		guard_give_back(r);
}

static enum sift_rc rd_error(struct rd *r, enum sift_rc rc, const char *what)
{
	r->rc = rc;
	snprintf(r->err, sizeof(r->err), "%s", what);
	return rc;
}

/* Back to read(2) from file offset at: a map failed. */
static enum sift_rc to_read(struct rd *r, uint64_t at)
{
	uint8_t *b = malloc(RD_CHUNK);

	if (!b)
		return rd_error(r, SIFT_ENOMEM, "out of memory");
	if (lseek(r->fd, (off_t)at, SEEK_SET) < 0) {
		free(b);
		return sift_rd_sys_error(r, "seek");
	}
	unmap(r);
	guard_give_back(r);
	r->buf = b;
	r->size = RD_CHUNK;
	r->pos = r->end = 0;
	r->eof = false;
	return SIFT_OK;
}

enum sift_rc sift_rd_map_fill(struct rd *r, size_t n)
{
	uint64_t at = r->map_at + r->pos;
	struct stat st;

	if (rd_shrank(r))
		return rd_error(r, SIFT_EIO, SIFT_RD_SHRANK);
	/* The file may have grown since (a capture still being written),
	 * as read(2) would see; shrunk, it is damage. */
	if (fstat(r->fd, &st) != 0)
		return sift_rd_sys_error(r, "stat");
	if ((uint64_t)st.st_size < r->map_at + r->end)
		return rd_error(r, SIFT_EIO, SIFT_RD_SHRANK);
	r->fsize = (uint64_t)st.st_size;
	if (r->map_at + r->end >= r->fsize) {
		r->eof = true;
		return SIFT_OK;
	}
	if (!map_window(r, at, n))
		return to_read(r, at);
	/* Short only where the window was cut at the file's end. */
	r->eof = rd_avail(r) < n;
	return SIFT_OK;
}

enum sift_rc sift_rd_unmap(struct rd *r)
{
	if (!r->mapped || r->rc != SIFT_OK)
		return r->rc;
	return to_read(r, r->map_at + r->pos);
}

void sift_rd_map_fini(struct rd *r)
{
	unmap(r);
	guard_give_back(r);
}
