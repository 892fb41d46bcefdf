/* sipsift — the capture reader's input: a growing buffer filled by read(2)
 * from a file or stdin, gunzipping on the way when the input starts with
 * the gzip magic (RFC 1952). zlib parses the gzip header and checks the
 * trailer (CRC-32, length); concatenated members are read on, as gunzip
 * does. See capture_int.h for the memory bounds. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/capture_int.h"

#define GZIP_MAGIC 0x1f8bu      /* RFC 1952 §2.3.1: ID1 ID2 */

enum sift_rc sift_rd_sys_error(struct rd *r, const char *call)
{
	r->rc = SIFT_EIO;
	snprintf(r->err, sizeof(r->err), "%s failed: %s", call, strerror(errno));
	return SIFT_EIO;
}

static enum sift_rc rd_sys_read(struct rd *r, uint8_t *dst, size_t n,
				size_t *got)
{
	ssize_t k;

	*got = 0;
	for (;;) {
		k = read(r->fd, dst, n);
		if (k >= 0) {
			*got = (size_t)k;
			return SIFT_OK;
		}
		if (errno != EINTR)
			break;
	}
	return sift_rd_sys_error(r, "read");
}

/* Does p start a gzip member? */
static bool gz_magic(const uint8_t *p, size_t n)
{
	struct sift_cur k = sift_cur_make(p, n);

	return sift_cur_be16(&k) == GZIP_MAGIC && !k.cut;
}

/* Tops up the compressed input, keeping what inflate has not used yet. */
static enum sift_rc rd_zin_more(struct rd *r)
{
	size_t keep = r->zs.avail_in, got;
	enum sift_rc rc;

	if (keep > 0 && r->zs.next_in != r->zin)
		memmove(r->zin, r->zs.next_in, keep);
	rc = rd_sys_read(r, r->zin + keep, RD_CHUNK - keep, &got);
	if (rc != SIFT_OK)
		return rc;
	if (got == 0)
		r->zin_eof = true;
	r->zs.next_in = r->zin;
	r->zs.avail_in = (uInt)(keep + got);
	return SIFT_OK;
}

static enum sift_rc rd_gz_fail(struct rd *r, enum sift_rc rc, const char *what)
{
	r->rc = rc;
	snprintf(r->err, sizeof(r->err), "gzip data damaged: %s", what);
	return rc;
}

/* Produces at least one more uncompressed byte into buf[end..size), or sets
 * eof. Concatenated gzip members are read on, as gunzip does; anything else
 * after a member is ignored. */
static enum sift_rc rd_fill_gz(struct rd *r)
{
	enum sift_rc rc;
	size_t room, made;
	int zrc;

	if (r->zbad != SIFT_OK) {
		r->rc = r->zbad;
		return r->rc;
	}
	for (;;) {
		if (r->zend) {
			while (r->zs.avail_in < 2 && !r->zin_eof) {
				rc = rd_zin_more(r);
				if (rc != SIFT_OK)
					return rc;
			}
			if (!gz_magic(r->zs.next_in, r->zs.avail_in)) {
				r->eof = true;
				return SIFT_OK;
			}
			if (inflateReset(&r->zs) != Z_OK)
				return rd_gz_fail(r, SIFT_EFORMAT, "cannot restart");
			r->zend = false;
		}
		if (r->zs.avail_in == 0 && !r->zin_eof) {
			rc = rd_zin_more(r);
			if (rc != SIFT_OK)
				return rc;
		}
		room = r->size - r->end;
		r->zs.next_out = r->buf + r->end;
		r->zs.avail_out = (uInt)room;
		zrc = inflate(&r->zs, Z_NO_FLUSH);
		made = room - r->zs.avail_out;
		r->end += made;
		switch (zrc) {
		case Z_STREAM_END:
			r->zend = true;
			break;
		case Z_OK:
			break;
		case Z_BUF_ERROR:
			/* No progress possible: either input is used up
			 * (cut off, or more to read) or something is wrong. */
			if (r->zs.avail_in == 0 && r->zin_eof) {
				r->zcut = true;
				r->eof = true;
				return SIFT_OK;
			}
			if (r->zs.avail_in != 0)
				return rd_gz_fail(r, SIFT_EFORMAT, "no progress");
			break;
		case Z_MEM_ERROR:
			r->rc = SIFT_ENOMEM;
			snprintf(r->err, sizeof(r->err), "out of memory");
			return SIFT_ENOMEM;
		default:
			rd_gz_fail(r, SIFT_EFORMAT,
				   r->zs.msg ? r->zs.msg : "bad data");
			/* Hand out what this call produced first: the
			 * packets before the damage are good (the CRC, for
			 * one, is only checked after all the data). */
			if (made == 0)
				return r->rc;
			r->zbad = r->rc;
			r->rc = SIFT_OK;
			return SIFT_OK;
		}
		if (made > 0)
			return SIFT_OK;
	}
}

/* Makes n contiguous bytes available at rd_cur() unless the input ends
 * first; the caller compares rd_avail() with n. n must be <= BLOCK_MAX. */
enum sift_rc sift_rd_fill(struct rd *r, size_t n)
{
	enum sift_rc rc = SIFT_OK;
	size_t got, nsize;

	if (rd_avail(r) >= n)
		return SIFT_OK;
	if (r->rc != SIFT_OK)
		return r->rc;
	if (r->mapped) {
		if (r->eof)
			return SIFT_OK;
		rc = sift_rd_map_fill(r, n);
		if (rc != SIFT_OK || r->mapped)
			return rc;
	}
	if (n > r->size - r->pos) {
		memmove(r->buf, r->buf + r->pos, rd_avail(r));
		r->end -= r->pos;
		r->pos = 0;
	}
	if (n > r->size) {
		/* Twice the size or n, whichever is more, within BLOCK_MAX. */
		nsize = r->size * 2 > n ? r->size * 2 : n;
		if (nsize > BLOCK_MAX)
			nsize = BLOCK_MAX;
		if (!sift_grow((void **)&r->buf, &r->size, n - 1, 1, nsize)) {
			r->rc = SIFT_ENOMEM;
			snprintf(r->err, sizeof(r->err), "out of memory");
			return SIFT_ENOMEM;
		}
	}
	while (rd_avail(r) < n && !r->eof) {
		if (r->gzip) {
			rc = rd_fill_gz(r);
		} else {
			rc = rd_sys_read(r, r->buf + r->end, r->size - r->end,
					 &got);
			if (rc == SIFT_OK && got == 0)
				r->eof = true;
			r->end += got;
		}
		if (rc != SIFT_OK) {
			r->rc = rc;
			return rc;
		}
	}
	return SIFT_OK;
}

/* Discards n bytes; *done says how many were there. */
enum sift_rc sift_rd_skip(struct rd *r, uint64_t n, uint64_t *done)
{
	enum sift_rc rc;
	size_t take;

	*done = 0;
	while (n > 0) {
		if (rd_avail(r) == 0) {
			if (!r->mapped)
				r->pos = r->end = 0;
			rc = sift_rd_need(r, 1);
			if (rc != SIFT_OK)
				return rc;
			if (rd_avail(r) == 0)
				break;
		}
		take = rd_avail(r);
		if (take > n)
			take = (size_t)n;
		rd_consume(r, take);
		n -= take;
		*done += take;
	}
	return SIFT_OK;
}

enum sift_rc sift_rd_init(struct rd *r)
{
	memset(r, 0, sizeof(*r));
	r->fd = -1;
	r->guard = -1;
	r->buf = malloc(RD_CHUNK);
	if (!r->buf)
		return SIFT_ENOMEM;
	r->size = RD_CHUNK;
	return SIFT_OK;
}

/* Switches to gunzipping when the input starts with the gzip magic. The
 * bytes already read become the first compressed input; nothing is read
 * twice, so stdin works too. */
enum sift_rc sift_rd_detect_gzip(struct rd *r)
{
	enum sift_rc rc;
	size_t have;

	rc = sift_rd_need(r, 2);
	if (rc != SIFT_OK)
		return rc;
	have = rd_avail(r);
	if (!gz_magic(rd_cur(r), have))
		return SIFT_OK;
	r->zin = malloc(RD_CHUNK);
	if (!r->zin)
		return SIFT_ENOMEM;
	/* The first read was at most RD_CHUNK bytes into a fresh buffer. */
	memcpy(r->zin, r->buf + r->pos, have);
	r->pos = r->end = 0;
	r->eof = false;
	if (inflateInit2(&r->zs, 15 + 32) != Z_OK)
		return SIFT_ENOMEM;
	r->zinit = true;
	r->zs.next_in = r->zin;
	r->zs.avail_in = (uInt)have;
	r->gzip = true;
	return SIFT_OK;
}

void sift_rd_fini(struct rd *r)
{
	if (r->zinit)
		inflateEnd(&r->zs);
	free(r->zin);
	sift_rd_map_fini(r);    /* a mapped buf is unmapped and NULL */
	free(r->buf);
	if (r->own_fd && r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}
