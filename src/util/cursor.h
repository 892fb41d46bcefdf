/* sipsift — one bounds-checked cursor for every binary read.
 *
 * A cursor is (pointer, length, offset, cut flag). Every get checks the
 * bytes left first; on short data it marks the cursor cut, moves it to the
 * end (so every later get fails too) and returns 0, as tcpdump's GET_ macros
 * and ND_TCHECK do. A caller reads a whole header, then looks at `cut` once.
 *
 * "cut" means the data ended early (snaplen, a short buffer, a file cut
 * off): callers report it as truncation (SIFT_ETRUNC, a "cut" counter).
 * A length field that lies (too small, past its container) is a different
 * thing, checked by the caller on the value it read and reported as invalid
 * (SIFT_EINVAL, an "invalid" or "damaged" counter).
 *
 * Static inline functions only: a get costs a compare and the loads. The
 * sift_put_* writers are for building headers in our own buffers, whose
 * size the caller has checked. */
#ifndef SIPSIFT_CURSOR_H
#define SIPSIFT_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct sift_cur {
	const uint8_t *p;
	size_t len;             /* bytes at p */
	size_t off;             /* next byte to read, <= len */
	bool cut;               /* a read ran past len */
};

static inline struct sift_cur sift_cur_make(const uint8_t *p, size_t len)
{
	/* No bytes: an empty string, not NULL, so that sift_cur_ptr's
	 * p + off is never arithmetic on a null pointer (UBSan). */
	struct sift_cur c = { p ? p : (const uint8_t *)"", p ? len : 0, 0, false };

	return c;
}

static inline size_t sift_cur_left(const struct sift_cur *c)
{
	return c->len - c->off;
}

static inline bool sift_cur_has(const struct sift_cur *c, size_t n)
{
	return c->len - c->off >= n;
}

/* The next unread byte (one past the end when nothing is left). */
static inline const uint8_t *sift_cur_ptr(const struct sift_cur *c)
{
	return c->p + c->off;
}

/* Claims n bytes: their start, or NULL (and the cursor cut) when fewer are
 * left. The building block of every get. */
static inline const uint8_t *sift_cur_take(struct sift_cur *c, size_t n)
{
	const uint8_t *q;

	if (c->len - c->off < n) {
		c->cut = true;
		c->off = c->len;
		return NULL;
	}
	q = c->p + c->off;
	c->off += n;
	return q;
}

static inline void sift_cur_skip(struct sift_cur *c, size_t n)
{
	(void)sift_cur_take(c, n);
}

/* Same as take, named for what callers do with it. */
static inline const uint8_t *sift_cur_bytes(struct sift_cur *c, size_t n)
{
	return sift_cur_take(c, n);
}

/* Copies n bytes into dst (zeroes on short data). */
static inline bool sift_cur_copy(struct sift_cur *c, void *dst, size_t n)
{
	const uint8_t *q = sift_cur_take(c, n);

	if (!q) {
		memset(dst, 0, n);
		return false;
	}
	memcpy(dst, q, n);
	return true;
}

/* A cursor over the next n bytes, which the parent steps over. On short
 * data both are cut and the sub-cursor holds nothing. */
static inline struct sift_cur sift_cur_sub(struct sift_cur *c, size_t n)
{
	const uint8_t *q = sift_cur_take(c, n);
	struct sift_cur s = { q, q ? n : 0, 0, q == NULL };

	return s;
}

/* The rest of the cursor as a sub-cursor; the parent ends up empty. */
static inline struct sift_cur sift_cur_rest(struct sift_cur *c)
{
	return sift_cur_sub(c, sift_cur_left(c));
}

static inline uint8_t sift_cur_u8(struct sift_cur *c)
{
	const uint8_t *q = sift_cur_take(c, 1);

	return q ? q[0] : 0;
}

static inline uint16_t sift_cur_be16(struct sift_cur *c)
{
	const uint8_t *q = sift_cur_take(c, 2);

	return q ? (uint16_t)((unsigned)q[0] << 8 | q[1]) : 0;
}

static inline uint32_t sift_cur_be24(struct sift_cur *c)
{
	const uint8_t *q = sift_cur_take(c, 3);

	return q ? (uint32_t)q[0] << 16 | (uint32_t)q[1] << 8 | q[2] : 0;
}

static inline uint32_t sift_cur_be32(struct sift_cur *c)
{
	const uint8_t *q = sift_cur_take(c, 4);

	return q ? (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
		   (uint32_t)q[2] << 8 | q[3] : 0;
}

static inline uint64_t sift_cur_be64(struct sift_cur *c)
{
	const uint8_t *q = sift_cur_take(c, 8);
	uint64_t v = 0;

	for (int i = 0; q && i < 8; i++)
		v = v << 8 | q[i];
	return v;
}

static inline uint16_t sift_cur_le16(struct sift_cur *c)
{
	const uint8_t *q = sift_cur_take(c, 2);

	return q ? (uint16_t)((unsigned)q[1] << 8 | q[0]) : 0;
}

static inline uint32_t sift_cur_le32(struct sift_cur *c)
{
	const uint8_t *q = sift_cur_take(c, 4);

	return q ? (uint32_t)q[3] << 24 | (uint32_t)q[2] << 16 |
		   (uint32_t)q[1] << 8 | q[0] : 0;
}

static inline uint64_t sift_cur_le64(struct sift_cur *c)
{
	const uint8_t *q = sift_cur_take(c, 8);
	uint64_t v = 0;

	for (int i = 7; q && i >= 0; i--)
		v = v << 8 | q[i];
	return v;
}

/* Fields whose byte order the file says (pcap, pcapng). */
static inline uint16_t sift_cur_u16(struct sift_cur *c, bool be)
{
	return be ? sift_cur_be16(c) : sift_cur_le16(c);
}

static inline uint32_t sift_cur_u32(struct sift_cur *c, bool be)
{
	return be ? sift_cur_be32(c) : sift_cur_le32(c);
}

static inline uint64_t sift_cur_u64(struct sift_cur *c, bool be)
{
	return be ? sift_cur_be64(c) : sift_cur_le64(c);
}

/* Peeks at rel bytes past the offset without moving; a peek past the end
 * cuts the cursor like a get. */
static inline uint8_t sift_cur_peek_u8(struct sift_cur *c, size_t rel)
{
	if (c->len - c->off <= rel) {
		c->cut = true;
		c->off = c->len;
		return 0;
	}
	return c->p[c->off + rel];
}

static inline uint16_t sift_cur_peek_be16(struct sift_cur *c, size_t rel)
{
	struct sift_cur t = *c;
	uint16_t v;

	if (c->len - c->off < rel) {
		c->cut = true;
		c->off = c->len;
		return 0;
	}
	t.off += rel;
	v = sift_cur_be16(&t);
	if (t.cut) {
		c->cut = true;
		c->off = c->len;
	}
	return v;
}

/* Writers into our own buffers (the caller checked the room). */
static inline void sift_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void sift_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

#endif
