/* sipsift — a spill: records put away in an unlinked temporary file (see
 * spill.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sipsift/common.h"
#include "util/spill.h"

/* Size classes: 64-byte steps up to 64 KB (SMALL_CLASSES of them), then
 * one per power of two up to 2^63. */
#define STEP 64u
#define SMALL_MAX 65536u
#define SMALL_CLASSES (SMALL_MAX / STEP)
#define CLASSES (SMALL_CLASSES + 48u)

struct freelist {
	uint64_t *v;     /* offsets of free slots */
	size_t n, cap;
};

/* Reads ahead go several ways at once: the sorted findings of a JSON
 * report come from two runs through the file (those of each message, put
 * as they came, and those of each call, put when it ended), and one
 * read-ahead buffer thrown out at each switch read 265 MB back for
 * sipp-media's 4 MB of findings, 12,994 reads; with two ways 957, with
 * four 607 (35 MB). Each way is where a read from the file ended
 * (last_end) and what it read ahead, if it did (buf: len bytes at start). */
#define SPILL_AHEAD 4u

struct ahead {
	uint8_t *buf;        /* SIFT_SPILL_BUF bytes, made at its first use */
	uint64_t start;
	size_t len;
	uint64_t last_end;
	uint64_t used;
};

struct sift_spill {
	int fd;              /* -1: not made yet */
	bool broken;         /* could not be made, or a write failed */
	char why[192];       /* ... and why; or the max reached; "" */
	uint64_t max;
	uint64_t end;        /* the slots handed out, in bytes */
	/* Bytes from wstart on are still in wbuf (wlen of them), not in
	 * the file: end == wstart + wlen but after a slot written past it. */
	uint8_t *wbuf;
	uint64_t wstart;
	size_t wlen;
	struct ahead ra[SPILL_AHEAD];
	uint64_t tick;       /* ra[].used: the least recent goes first */
	uint64_t reads;      /* reads from the file (sift_spill_reads) */
	struct freelist *free;   /* CLASSES of them, made at the first drop */
};

struct sift_spill *sift_spill_new(uint64_t max)
{
	struct sift_spill *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->fd = -1;
	s->max = max;
	return s;
}

void sift_spill_free(struct sift_spill *s)
{
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	for (unsigned i = 0; s->free && i < CLASSES; i++)
		free(s->free[i].v);
	free(s->free);
	free(s->wbuf);
	for (unsigned i = 0; i < SPILL_AHEAD; i++)
		free(s->ra[i].buf);
	free(s);
}

uint64_t sift_spill_size(const struct sift_spill *s)
{
	return s ? s->end : 0;
}

/* The class of a record of n bytes, and the size of its slots. */
static unsigned class_of(size_t n, uint64_t *size)
{
	unsigned b = 17;

	if (n <= SMALL_MAX) {
		size_t k = n ? (n + STEP - 1) / STEP : 1;

		*size = (uint64_t)k * STEP;
		return (unsigned)k - 1;
	}
	while (b < 63 && ((uint64_t)1 << b) < n)
		b++;
	*size = (uint64_t)1 << b;
	return SMALL_CLASSES + b - 17;
}

/* The file, made in $TMPDIR (else /tmp) and unlinked at once. */
static bool make_file(struct sift_spill *s)
{
	const char *dir = getenv("TMPDIR");
	char *path = NULL;
	int fd;

	if (s->fd >= 0)
		return true;
	if (s->broken)
		return false;
	s->wbuf = malloc(SIFT_SPILL_BUF);
	if (!dir || !*dir)
		dir = "/tmp";
	if (!s->wbuf ||
	    asprintf(&path, "%s/sipsift-spill-XXXXXX", dir) < 0) {
		s->broken = true;
		snprintf(s->why, sizeof(s->why), "out of memory");
		return false;
	}
	fd = mkstemp(path);
	if (fd >= 0)
		unlink(path);
	free(path);
	if (fd < 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
		snprintf(s->why, sizeof(s->why),
			 "cannot make a temporary file in %.100s: %s", dir,
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		s->broken = true;
		return false;
	}
	s->fd = fd;
	return true;
}

static bool write_all(struct sift_spill *s, uint64_t off, const void *p,
		      size_t n)
{
	const uint8_t *b = p;

	/* Read ahead over these bytes gets them too (a slot reused there
	 * must not cost the read-ahead of the records around it). */
	for (unsigned i = 0; i < SPILL_AHEAD; i++) {
		struct ahead *a = &s->ra[i];
		uint64_t lo, hi;

		if (!a->len || off >= a->start + a->len || a->start >= off + n)
			continue;
		lo = off > a->start ? off : a->start;
		hi = off + n < a->start + a->len ? off + n : a->start + a->len;
		memcpy(a->buf + (lo - a->start), b + (lo - off), (size_t)(hi - lo));
	}
	while (n) {
		ssize_t k = pwrite(s->fd, b, n, (off_t)off);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			s->broken = true;
			snprintf(s->why, sizeof(s->why),
				 "writing its temporary file failed: %s",
				 k < 0 ? strerror(errno) : "no space written");
			return false;
		}
		b += k;
		off += (uint64_t)k;
		n -= (size_t)k;
	}
	return true;
}

/* Reads n bytes at off; *got says how many there were (fewer at the end
 * of the file). */
static bool read_some(struct sift_spill *s, uint64_t off, void *p, size_t n,
		      size_t *got)
{
	uint8_t *b = p;

	*got = 0;
	s->reads++;
	while (*got < n) {
		ssize_t k = pread(s->fd, b + *got, n - *got, (off_t)(off + *got));

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return false;
		if (k == 0)
			break;
		*got += (size_t)k;
	}
	return true;
}

static bool flush(struct sift_spill *s)
{
	if (s->wlen && !write_all(s, s->wstart, s->wbuf, s->wlen))
		return false;
	s->wstart += s->wlen;
	s->wlen = 0;
	return true;
}

/* A new slot of size bytes at the end, holding the n bytes at p. */
static bool append(struct sift_spill *s, const void *p, size_t n, uint64_t size,
		   uint64_t *off)
{
	if (s->end + size > s->max || s->end + size < s->end) {
		if (!s->why[0])
			snprintf(s->why, sizeof(s->why),
				 "its temporary file reached its limit of %llu MiB",
				 (unsigned long long)(s->max >> 20));
		return false;
	}
	*off = s->end;
	if (size > SIFT_SPILL_BUF - s->wlen) {
		if (!flush(s))
			return false;
		if (size > SIFT_SPILL_BUF) {
			/* Too big for the buffer: straight to the file; the
			 * rest of its slot is a hole. */
			if (!write_all(s, *off, p, n))
				return false;
			s->end += size;
			s->wstart = s->end;
			return true;
		}
	}
	memcpy(s->wbuf + s->wlen, p, n);
	memset(s->wbuf + s->wlen + n, 0, (size_t)size - n);
	s->wlen += (size_t)size;
	s->end += size;
	return true;
}

const char *sift_spill_trouble(const struct sift_spill *s)
{
	return s && s->why[0] ? s->why : NULL;
}

bool sift_spill_put(struct sift_spill *s, const void *p, size_t n,
		    uint64_t *ref)
{
	uint64_t size;
	unsigned k = class_of(n, &size);
	struct freelist *fl = s->free ? &s->free[k] : NULL;

	if (!make_file(s))
		return false;
	if (s->broken)
		return false;
	if (fl && fl->n) {
		uint64_t off = fl->v[fl->n - 1];

		if (off >= s->wstart)
			memcpy(s->wbuf + (off - s->wstart), p, n);
		else if (!write_all(s, off, p, n))
			return false;
		fl->n--;
		*ref = off;
		return true;
	}
	return append(s, p, n, size, ref);
}

bool sift_spill_get(struct sift_spill *s, uint64_t ref, void *p, size_t n)
{
	struct ahead *a;
	size_t got;

	if (s->fd < 0 || ref + n < ref || ref + n > s->end)
		return false;
	if (ref >= s->wstart) {
		/* Still in the write buffer (a slot is never split). */
		if (ref + n > s->wstart + s->wlen)
			return false;
		memcpy(p, s->wbuf + (ref - s->wstart), n);
		return true;
	}
	for (unsigned i = 0; i < SPILL_AHEAD; i++) {
		struct ahead *h = &s->ra[i];

		if (h->len && ref >= h->start && ref + n <= h->start + h->len) {
			memcpy(p, h->buf + (ref - h->start), n);
			h->used = ++s->tick;
			return true;
		}
	}
	/* Read ahead only when the read goes forward from where one ended,
	 * by less than the buffer (a report reading back in about the order
	 * things were put away); a record wanted here and there (a call
	 * woken by its next message) is read alone, and where it ends takes
	 * the place of the way least used: reading 64 KB for each was 1.8 GB
	 * read back for sipp's 50,000 calls in NDJSON. */
	a = &s->ra[0];
	for (unsigned i = 0; i < SPILL_AHEAD; i++) {
		struct ahead *w = &s->ra[i];

		if (n < SIFT_SPILL_BUF && ref >= w->last_end &&
		    ref - w->last_end < SIFT_SPILL_BUF) {
			a = w;
			break;
		}
		if (w->used < a->used)
			a = w;
	}
	a->used = ++s->tick;
	if (n >= SIFT_SPILL_BUF || ref < a->last_end ||
	    ref - a->last_end >= SIFT_SPILL_BUF || (!a->buf &&
	    !(a->buf = malloc(SIFT_SPILL_BUF)))) {
		a->last_end = ref + n;
		return read_some(s, ref, p, n, &got) && got == n;
	}
	/* Never past wstart: the file does not hold that. */
	a->len = 0;
	{
		size_t want = SIFT_SPILL_BUF;

		if (s->wstart - ref < want)
			want = (size_t)(s->wstart - ref);
		if (!read_some(s, ref, a->buf, want, &got) || got < n)
			return false;
	}
	a->start = ref;
	a->len = got;
	a->last_end = ref + got;
	memcpy(p, a->buf, n);
	return true;
}

uint64_t sift_spill_reads(const struct sift_spill *s)
{
	return s ? s->reads : 0;
}

void sift_spill_drop(struct sift_spill *s, uint64_t ref, size_t n)
{
	uint64_t size;
	unsigned k = class_of(n, &size);
	struct freelist *fl;

	if (!s->free) {
		s->free = calloc(CLASSES, sizeof(*s->free));
		if (!s->free)
			return;   /* the slot is lost, not reused */
	}
	fl = &s->free[k];
	if (!sift_grow((void **)&fl->v, &fl->cap, fl->n, sizeof(*fl->v),
		       SIZE_MAX / sizeof(*fl->v)))
		return;
	fl->v[fl->n++] = ref;
}
