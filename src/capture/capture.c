/* sipsift — reading capture files: classic pcap and pcapng, optionally
 * gzip-compressed, from a path or stdin; BPF filtering through libpcap;
 * merging several captures by timestamp.
 *
 * Formats: classic pcap as libpcap writes it (pcap-savefile(5)) and pcapng
 * (draft-ietf-opsawg-pcapng). We parse both ourselves, see capture.h for why.
 *
 * Memory is bounded per capture: one input buffer that starts at RD_CHUNK
 * and grows only as far as the largest block we must hold whole (BLOCK_MAX),
 * plus, for gzip input, one RD_CHUNK of compressed bytes. A returned packet
 * points into the input buffer; it stays valid until the next call on the
 * same capture, because the buffer is only compacted or refilled when more
 * input is needed. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pcap.h>
#include <zlib.h>

#include "capture/capture.h"

#define RD_CHUNK    (64u * 1024)          /* first buffer size, read size */
#define PKT_MAX     262144u                /* largest packet accepted */
#define SNAP_SLACK  65536u                 /* tolerated caplen above snaplen */
#define BLOCK_MAX   (PKT_MAX + 65536u)     /* largest block held whole */
#define MAX_IFACES  65536u                 /* pcapng interfaces per section */
#define FILTER_SNAPLEN 262144

#define PCAP_HDR_LEN 24u
#define PCAP_REC_LEN 16u

#define NG_SHB 0x0A0D0D0Au
#define NG_IDB 0x00000001u
#define NG_PB  0x00000002u                 /* obsolete Packet Block */
#define NG_SPB 0x00000003u
#define NG_EPB 0x00000006u
#define NG_BOM 0x1A2B3C4Du
#define NG_SHB_MIN 28u
#define NG_IDB_MIN 20u
#define NG_EPB_MIN 32u                     /* also the Packet Block */
#define NG_SPB_MIN 16u

#define NG_OPT_END      0
#define NG_OPT_TSRESOL  9
#define NG_OPT_TSOFFSET 14

/* What sift_filter_widen appends. A filter built by it is recognised by
 * this exact shape so that, on a link type where the additions do not
 * compile, the user's own expression can still be used. */
#define WIDEN_TAIL ") or (ip[6:2] & 0x3fff != 0) or (ip6[6] == 44)"

#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

/* ---- buffered input, optionally gunzipped ---------------------------- */

struct rd {
	int fd;
	bool own_fd;
	uint8_t *buf;
	size_t size;
	size_t pos;             /* first unconsumed byte */
	size_t end;             /* one past the last valid byte */
	uint64_t off;           /* stream offset of buf[pos] (uncompressed) */
	bool eof;               /* no more bytes will arrive */
	enum sift_rc rc;        /* sticky read/gunzip error */
	char err[192];

	bool gzip;
	bool zinit;
	bool zend;              /* a gzip member ended */
	bool zcut;              /* compressed input ended inside a member */
	bool zin_eof;
	enum sift_rc zbad;      /* damage found, reported once data runs out */
	z_stream zs;
	uint8_t *zin;
};

static size_t rd_avail(const struct rd *r)
{
	return r->end - r->pos;
}

static const uint8_t *rd_cur(const struct rd *r)
{
	return r->buf + r->pos;
}

static void rd_consume(struct rd *r, size_t n)
{
	r->pos += n;
	r->off += n;
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
	r->rc = SIFT_EIO;
	snprintf(r->err, sizeof(r->err), "read failed: %s", strerror(errno));
	return SIFT_EIO;
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
			if (r->zs.avail_in < 2 || r->zs.next_in[0] != 0x1f ||
			    r->zs.next_in[1] != 0x8b) {
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
static enum sift_rc rd_need(struct rd *r, size_t n)
{
	enum sift_rc rc = SIFT_OK;
	size_t got, nsize;
	uint8_t *nbuf;

	if (rd_avail(r) >= n)
		return SIFT_OK;
	if (r->rc != SIFT_OK)
		return r->rc;
	if (n > r->size - r->pos) {
		memmove(r->buf, r->buf + r->pos, rd_avail(r));
		r->end -= r->pos;
		r->pos = 0;
	}
	if (n > r->size) {
		nsize = r->size * 2 > n ? r->size * 2 : n;
		if (nsize > BLOCK_MAX)
			nsize = BLOCK_MAX;
		nbuf = realloc(r->buf, nsize);
		if (!nbuf) {
			r->rc = SIFT_ENOMEM;
			snprintf(r->err, sizeof(r->err), "out of memory");
			return SIFT_ENOMEM;
		}
		r->buf = nbuf;
		r->size = nsize;
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
static enum sift_rc rd_skip(struct rd *r, uint64_t n, uint64_t *done)
{
	enum sift_rc rc;
	size_t take;

	*done = 0;
	while (n > 0) {
		if (rd_avail(r) == 0) {
			r->pos = r->end = 0;
			rc = rd_need(r, 1);
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

static enum sift_rc rd_init(struct rd *r)
{
	memset(r, 0, sizeof(*r));
	r->fd = -1;
	r->buf = malloc(RD_CHUNK);
	if (!r->buf)
		return SIFT_ENOMEM;
	r->size = RD_CHUNK;
	return SIFT_OK;
}

/* Switches to gunzipping when the input starts with the gzip magic. The
 * bytes already read become the first compressed input; nothing is read
 * twice, so stdin works too. */
static enum sift_rc rd_detect_gzip(struct rd *r)
{
	enum sift_rc rc;
	size_t have;

	rc = rd_need(r, 2);
	if (rc != SIFT_OK)
		return rc;
	have = rd_avail(r);
	if (have < 2 || r->buf[r->pos] != 0x1f || r->buf[r->pos + 1] != 0x8b)
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

static void rd_fini(struct rd *r)
{
	if (r->zinit)
		inflateEnd(&r->zs);
	free(r->zin);
	free(r->buf);
	if (r->own_fd && r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

/* ---- capture ---------------------------------------------------------- */

struct iface {
	int linktype;
	uint32_t snaplen;       /* 0: not limited */
	bool pow2;              /* if_tsresol is a power of 2 */
	uint8_t exp;            /* its exponent (units are 10^-exp or 2^-exp s) */
	int64_t offset;         /* if_tsoffset, seconds */
};

struct filt {
	int linktype;
	struct bpf_program prog;
};

struct sift_capture {
	struct sift_capture_info info;
	char *path;
	uint32_t file;
	struct rd rd;

	bool be;                /* file fields are big-endian */
	bool nsec;              /* classic pcap with ns timestamps */
	int lens_swapped;       /* classic 2.x, x < 3: 0 no, 1 maybe, 2 yes */
	uint32_t caplimit;      /* classic pcap: largest caplen accepted */

	struct iface *ifs;      /* pcapng: interfaces of this section */
	size_t nifs;
	size_t ifs_cap;

	uint64_t frame;         /* packets read from the file so far */
	sift_time prev_ts;
	enum sift_rc state;     /* SIFT_OK while more may come, else sticky */
	char err[256];

	char *filter;
	char *filter_plain;     /* the user's part of a widened filter */
	struct filt *filts;     /* compiled, one per link type met */
	size_t nfilts;
	size_t filts_cap;
	size_t filt_last;
};

static uint16_t get16(const struct sift_capture *c, const uint8_t *p)
{
	return c->be ? sift_be16(p) : sift_le16(p);
}

static uint32_t get32(const struct sift_capture *c, const uint8_t *p)
{
	return c->be ? sift_be32(p) : sift_le32(p);
}

static unsigned long long ull(uint64_t v)
{
	return (unsigned long long)v;
}

static void put_err(char *err, size_t errlen, const char *msg)
{
	if (err && errlen > 0)
		snprintf(err, errlen, "%s", msg);
}

PRINTF_LIKE(3, 4)
static enum sift_rc fail(struct sift_capture *c, enum sift_rc rc,
			 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	c->state = rc;
	if (rc == SIFT_ETRUNC)
		c->info.truncated = true;
	return rc;
}

/* A read or gunzip error from the input layer. */
static enum sift_rc fail_rd(struct sift_capture *c, enum sift_rc rc)
{
	return fail(c, rc, "%s", c->rd.err[0] ? c->rd.err : sift_rc_str(rc));
}

/* Offsets in messages are in the uncompressed stream; say so for gzip. */
static const char *gz_note(const struct sift_capture *c)
{
	return c->rd.gzip ? " of the gunzipped data" : "";
}

PRINTF_LIKE(3, 4)
static enum sift_rc damaged(struct sift_capture *c, uint64_t at,
			    const char *fmt, ...)
{
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return fail(c, SIFT_EFORMAT, "damaged pcapng block at byte %llu%s: %s",
		    ull(at), gz_note(c), what);
}

/* A clean end, unless the gzip stream itself was cut off. */
static enum sift_rc end_of_file(struct sift_capture *c)
{
	if (c->rd.zcut)
		return fail(c, SIFT_ETRUNC,
			    "gzip data cut off after packet %llu",
			    ull(c->frame));
	c->state = SIFT_EOF;
	return SIFT_EOF;
}

static const char *cut_note(const struct sift_capture *c)
{
	return c->rd.zcut ? "; the gzip data is cut off" : "";
}

static enum sift_rc cut_in_packet(struct sift_capture *c, uint64_t at,
				  const char *unit, size_t have, uint64_t want)
{
	return fail(c, SIFT_ETRUNC,
		    "cut off inside packet %llu (%s at byte %llu%s: %zu of %llu bytes present%s)",
		    ull(c->frame + 1), unit, ull(at), gz_note(c), have,
		    ull(want), cut_note(c));
}

static enum sift_rc too_long(struct sift_capture *c, uint64_t at,
			     const char *unit, uint32_t caplen,
			     uint32_t snaplen)
{
	if (caplen > PKT_MAX)
		return fail(c, SIFT_EFORMAT,
			    "record length %u exceeds the %u-byte limit (packet %llu, %s at byte %llu%s)",
			    caplen, PKT_MAX, ull(c->frame + 1), unit, ull(at),
			    gz_note(c));
	return fail(c, SIFT_EFORMAT,
		    "record length %u exceeds the snapshot length %u (packet %llu, %s at byte %llu%s)",
		    caplen, snaplen, ull(c->frame + 1), unit, ull(at),
		    gz_note(c));
}

/* Largest caplen we believe for a snapshot length: writers sometimes store
 * a snaplen a little below what they really wrote, so allow some slack;
 * a wildly larger length is a damaged record, not a big packet. */
static uint32_t caplen_limit(uint32_t snaplen)
{
	if (snaplen == 0 || snaplen >= PKT_MAX - SNAP_SLACK)
		return PKT_MAX;
	return snaplen + SNAP_SLACK;
}

/* ---- classic pcap ----------------------------------------------------- */

static enum sift_rc pcap_open_hdr(struct sift_capture *c, uint32_t magic)
{
	struct rd *r = &c->rd;
	const uint8_t *p;
	enum sift_rc rc;
	unsigned major, minor;

	rc = rd_need(r, PCAP_HDR_LEN);
	if (rc != SIFT_OK)
		return fail_rd(c, rc);
	if (rd_avail(r) < PCAP_HDR_LEN)
		return fail(c, SIFT_ETRUNC,
			    "cut off in the file header (got %zu of %u bytes%s)",
			    rd_avail(r), PCAP_HDR_LEN, cut_note(c));
	p = rd_cur(r);
	c->be = magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u;
	c->nsec = magic == 0xa1b23c4du || magic == 0x4d3cb2a1u;
	major = get16(c, p + 4);
	minor = get16(c, p + 6);
	/* Versions 2.0-2.4 as libpcap accepts; before 2.3 caplen and len
	 * were written the other way round, in 2.3 only by some writers. */
	if (major != 2 || minor > 4)
		return fail(c, SIFT_EUNSUPPORTED,
			    "unsupported pcap version %u.%u", major, minor);
	c->lens_swapped = minor < 3 ? 2 : minor == 3 ? 1 : 0;
	c->info.format = SIFT_FMT_PCAP;
	c->info.snaplen = get32(c, p + 16);
	/* The upper bits hold FCS information (pcap-savefile(5)). */
	c->info.linktype = (int)(get32(c, p + 20) & 0xffffu);
	c->caplimit = caplen_limit(c->info.snaplen);
	rd_consume(r, PCAP_HDR_LEN);
	return SIFT_OK;
}

static enum sift_rc pcap_read(struct sift_capture *c, struct sift_packet *pkt)
{
	struct rd *r = &c->rd;
	uint32_t sec, frac, caplen, len, t;
	uint64_t at = r->off;
	const uint8_t *p;
	enum sift_rc rc;

	rc = rd_need(r, PCAP_REC_LEN);
	if (rc != SIFT_OK)
		return fail_rd(c, rc);
	if (rd_avail(r) == 0)
		return end_of_file(c);
	if (rd_avail(r) < PCAP_REC_LEN)
		return fail(c, SIFT_ETRUNC,
			    "cut off inside packet %llu (record at byte %llu%s: %zu of %u header bytes present%s)",
			    ull(c->frame + 1), ull(at), gz_note(c),
			    rd_avail(r), PCAP_REC_LEN, cut_note(c));
	p = rd_cur(r);
	sec = get32(c, p);
	frac = get32(c, p + 4);
	caplen = get32(c, p + 8);
	len = get32(c, p + 12);
	if (c->lens_swapped == 2 || (c->lens_swapped == 1 && caplen > len)) {
		t = caplen;
		caplen = len;
		len = t;
	}
	if (caplen > c->caplimit)
		return too_long(c, at, "record", caplen, c->info.snaplen);
	rc = rd_need(r, PCAP_REC_LEN + (size_t)caplen);
	if (rc != SIFT_OK)
		return fail_rd(c, rc);
	if (rd_avail(r) < PCAP_REC_LEN + (size_t)caplen)
		return cut_in_packet(c, at, "record",
				     rd_avail(r) - PCAP_REC_LEN, caplen);
	p = rd_cur(r);
	pkt->data = p + PCAP_REC_LEN;
	pkt->caplen = caplen;
	pkt->len = len;
	pkt->linktype = c->info.linktype;
	pkt->where.ts = (sift_time)sec * SIFT_USEC +
			(c->nsec ? frac / 1000 : frac);
	rd_consume(r, PCAP_REC_LEN + (size_t)caplen);
	return SIFT_OK;
}

/* ---- pcapng ----------------------------------------------------------- */

static bool ng_is_packet(uint32_t type)
{
	return type == NG_EPB || type == NG_SPB || type == NG_PB;
}

/* Blocks that are not packets but that Wireshark (4.0) lists as frames:
 * Custom Blocks, systemd Journal Export and sysdig event blocks. They take
 * a frame number so that ours stay equal to Wireshark's. */
static bool ng_is_frame(uint32_t type)
{
	switch (type) {
	case 0x00000BADu: case 0x40000BADu:     /* Custom Block */
	case 0x00000009u:                       /* systemd Journal Export */
	case 0x00000204u: case 0x00000216u: case 0x00000221u: /* sysdig */
		return true;
	default:
		return false;
	}
}

/* Brings a whole block of a validated total length into the buffer and
 * checks its trailing length. */
static enum sift_rc ng_whole(struct sift_capture *c, uint64_t at,
			     uint32_t type, uint32_t total, const uint8_t **pp)
{
	struct rd *r = &c->rd;
	enum sift_rc rc;
	uint32_t trail;

	if (total > BLOCK_MAX)
		return damaged(c, at, "total length %u exceeds the %u-byte limit",
			       total, BLOCK_MAX);
	rc = rd_need(r, total);
	if (rc != SIFT_OK)
		return fail_rd(c, rc);
	if (rd_avail(r) < total) {
		if (ng_is_packet(type))
			return cut_in_packet(c, at, "block", rd_avail(r), total);
		return fail(c, SIFT_ETRUNC,
			    "cut off inside pcapng block at byte %llu%s (type 0x%08x, %zu of %u bytes present%s)",
			    ull(at), gz_note(c), type, rd_avail(r), total,
			    cut_note(c));
	}
	*pp = rd_cur(r);
	trail = get32(c, *pp + total - 4);
	if (trail != total)
		return damaged(c, at, "trailing length %u differs from total length %u",
			       trail, total);
	return SIFT_OK;
}

static enum sift_rc ng_check_len(struct sift_capture *c, uint64_t at,
				 uint32_t total, uint32_t min,
				 const char *name)
{
	if (total % 4 != 0)
		return damaged(c, at, "total length %u is not a multiple of 4",
			       total);
	if (total < min)
		return damaged(c, at, "%s length %u is less than %u", name,
			       total, min);
	return SIFT_OK;
}

/* Section Header Block: sets the byte order of everything up to the next
 * one and forgets the interfaces of the previous section. */
static enum sift_rc ng_shb(struct sift_capture *c, bool at_open)
{
	struct rd *r = &c->rd;
	uint64_t at = r->off;
	const uint8_t *p;
	enum sift_rc rc;
	uint32_t bom, total;
	unsigned major, minor;

	rc = rd_need(r, 12);
	if (rc != SIFT_OK)
		return fail_rd(c, rc);
	if (rd_avail(r) < 12) {
		if (at_open)
			return fail(c, SIFT_ETRUNC,
				    "cut off in the file header (got %zu of %u bytes%s)",
				    rd_avail(r), NG_SHB_MIN, cut_note(c));
		return fail(c, SIFT_ETRUNC,
			    "cut off inside pcapng block at byte %llu%s (section header, %zu of %u bytes present%s)",
			    ull(at), gz_note(c), rd_avail(r), NG_SHB_MIN,
			    cut_note(c));
	}
	p = rd_cur(r);
	bom = sift_le32(p + 8);
	if (bom == NG_BOM)
		c->be = false;
	else if (sift_be32(p + 8) == NG_BOM)
		c->be = true;
	else
		return damaged(c, at, "byte-order magic %02x %02x %02x %02x is not 1a2b3c4d in either order",
			       p[8], p[9], p[10], p[11]);
	total = get32(c, p + 4);
	rc = ng_check_len(c, at, total, NG_SHB_MIN, "section header block");
	if (rc != SIFT_OK)
		return rc;
	if (at_open && total <= BLOCK_MAX) {
		rc = rd_need(r, total);
		if (rc != SIFT_OK)
			return fail_rd(c, rc);
		if (rd_avail(r) < total)
			return fail(c, SIFT_ETRUNC,
				    "cut off in the file header (got %zu of %u bytes%s)",
				    rd_avail(r), total, cut_note(c));
	}
	rc = ng_whole(c, at, NG_SHB, total, &p);
	if (rc != SIFT_OK)
		return rc;
	major = get16(c, p + 12);
	minor = get16(c, p + 14);
	/* A new major version is incompatible by definition; minor ones
	 * only add. */
	if (major != 1)
		return fail(c, SIFT_EUNSUPPORTED,
			    "unsupported pcapng version %u.%u", major, minor);
	c->nifs = 0;
	c->info.format = SIFT_FMT_PCAPNG;
	rd_consume(r, total);
	return SIFT_OK;
}

static uint64_t pow10_u64(unsigned e)
{
	uint64_t v = 1;

	while (e-- > 0)
		v *= 10;
	return v;
}

/* Interface Description Block with its if_tsresol and if_tsoffset
 * options; the other options are skipped. */
static enum sift_rc ng_idb(struct sift_capture *c, uint64_t at,
			   uint32_t total)
{
	const uint8_t *p;
	struct iface ifc, *nifs;
	uint32_t o, end, code, olen, padded;
	uint64_t u;
	enum sift_rc rc;
	size_t ncap;

	rc = ng_check_len(c, at, total, NG_IDB_MIN, "interface description block");
	if (rc != SIFT_OK)
		return rc;
	rc = ng_whole(c, at, NG_IDB, total, &p);
	if (rc != SIFT_OK)
		return rc;
	if (c->nifs >= MAX_IFACES)
		return damaged(c, at, "more than %u interfaces in one section",
			       MAX_IFACES);
	memset(&ifc, 0, sizeof(ifc));
	ifc.linktype = get16(c, p + 8);
	ifc.snaplen = get32(c, p + 12);
	ifc.exp = 6;
	end = total - 4;
	for (o = 16; end - o >= 4;) {
		code = get16(c, p + o);
		olen = get16(c, p + o + 2);
		o += 4;
		if (code == NG_OPT_END)
			break;
		padded = (olen + 3u) & ~3u;
		if (padded > end - o)
			return damaged(c, at, "option %u of length %u overruns the block",
				       code, olen);
		if (code == NG_OPT_TSRESOL && olen >= 1) {
			ifc.pow2 = (p[o] & 0x80) != 0;
			ifc.exp = p[o] & 0x7f;
		} else if (code == NG_OPT_TSOFFSET && olen == 8) {
			u = c->be ? (uint64_t)get32(c, p + o) << 32 |
					    get32(c, p + o + 4)
				  : (uint64_t)get32(c, p + o + 4) << 32 |
					    get32(c, p + o);
			/* Two's complement without implementation-defined
			 * conversion. */
			ifc.offset = u <= INT64_MAX ? (int64_t)u
						    : -(int64_t)(~u) - 1;
		}
		o += padded;
	}
	if (c->nifs == c->ifs_cap) {
		ncap = c->ifs_cap ? c->ifs_cap * 2 : 4;
		nifs = realloc(c->ifs, ncap * sizeof(*nifs));
		if (!nifs)
			return fail(c, SIFT_ENOMEM, "out of memory");
		c->ifs = nifs;
		c->ifs_cap = ncap;
	}
	c->ifs[c->nifs++] = ifc;
	if (c->info.linktype < 0) {
		c->info.linktype = ifc.linktype;
		c->info.snaplen = ifc.snaplen;
	} else if (ifc.linktype != c->info.linktype) {
		c->info.mixed_linktypes = true;
	}
	rd_consume(&c->rd, total);
	return SIFT_OK;
}

static uint64_t sat_mul(uint64_t a, uint64_t b)
{
	if (b != 0 && a > UINT64_MAX / b)
		return UINT64_MAX;
	return a * b;
}

/* Converts a pcapng timestamp in the interface's units to microseconds,
 * saturating instead of overflowing on absurd values. */
static sift_time ng_ts(const struct iface *ifc, uint64_t t)
{
	uint64_t us, sec, frac;
	unsigned b = ifc->exp, shift;
	int64_t s, off;

	if (!ifc->pow2) {
		if (b == 6)
			us = t;
		else if (b > 6)
			us = b - 6 > 19 ? 0 : t / pow10_u64(b - 6);
		else
			us = sat_mul(t, pow10_u64(6 - b));
	} else {
		sec = b >= 64 ? 0 : t >> b;
		frac = b == 0 ? 0 : b >= 64 ? t : t & ((UINT64_C(1) << b) - 1);
		shift = b;
		/* Keep frac * 10^6 within 64 bits. */
		if (shift > 40) {
			frac = shift - 40 >= 64 ? 0 : frac >> (shift - 40);
			shift = 40;
		}
		frac = (frac * 1000000u) >> shift;
		us = sat_mul(sec, 1000000u);
		us = us > UINT64_MAX - frac ? UINT64_MAX : us + frac;
	}
	s = us > INT64_MAX ? INT64_MAX : (int64_t)us;
	off = ifc->offset;
	if (off > INT64_MAX / SIFT_USEC)
		off = INT64_MAX / SIFT_USEC;
	if (off < -(INT64_MAX / SIFT_USEC))
		off = -(INT64_MAX / SIFT_USEC);
	off *= SIFT_USEC;
	if (off > 0 && s > INT64_MAX - off)
		return INT64_MAX;
	return s + off;
}

/* Enhanced, Simple and (obsolete) Packet Blocks. */
static enum sift_rc ng_packet(struct sift_capture *c, struct sift_packet *pkt,
			      uint64_t at, uint32_t type, uint32_t total)
{
	struct rd *r = &c->rd;
	const struct iface *ifc;
	uint32_t min, fixed, caplen, len, id, room;
	const uint8_t *p;
	enum sift_rc rc;
	uint64_t t;

	min = type == NG_SPB ? NG_SPB_MIN : NG_EPB_MIN;
	fixed = min - 4;
	rc = ng_check_len(c, at, total, min,
			  type == NG_SPB ? "simple packet block" :
			  type == NG_EPB ? "enhanced packet block" :
					   "packet block");
	if (rc != SIFT_OK)
		return rc;
	rc = rd_need(r, fixed);
	if (rc != SIFT_OK)
		return fail_rd(c, rc);
	if (rd_avail(r) < fixed)
		return cut_in_packet(c, at, "block", rd_avail(r), total);
	p = rd_cur(r);
	room = total - min;
	if (type == NG_SPB) {
		/* No captured length: it is the original length cut to
		 * interface 0's snaplen. */
		if (c->nifs == 0)
			return damaged(c, at, "simple packet block before any interface description");
		ifc = &c->ifs[0];
		len = get32(c, p + 8);
		caplen = len;
		if (ifc->snaplen != 0 && caplen > ifc->snaplen)
			caplen = ifc->snaplen;
		if (caplen > PKT_MAX)
			return too_long(c, at, "block", caplen, ifc->snaplen);
		/* Taking less would hand out the padding as packet data. */
		if (caplen > room)
			return damaged(c, at, "simple packet block holds %u bytes, too few for a %u-byte packet",
				       room, caplen);
		/* No timestamp either: the previous packet's keeps capture
		 * time monotonic for timeouts and merging. */
		pkt->where.ts = c->prev_ts;
	} else {
		id = type == NG_EPB ? get32(c, p + 8) : get16(c, p + 8);
		if (id >= c->nifs)
			return damaged(c, at, "packet on interface %u, but the section describes %zu",
				       id, c->nifs);
		ifc = &c->ifs[id];
		t = (uint64_t)get32(c, p + 12) << 32 | get32(c, p + 16);
		caplen = get32(c, p + 20);
		len = get32(c, p + 24);
		if (caplen > caplen_limit(ifc->snaplen))
			return too_long(c, at, "block", caplen, ifc->snaplen);
		if (((uint64_t)caplen + 3) / 4 * 4 > room)
			return damaged(c, at, "captured length %u does not fit in block length %u",
				       caplen, total);
		pkt->where.ts = ng_ts(ifc, t);
	}
	rc = ng_whole(c, at, type, total, &p);
	if (rc != SIFT_OK)
		return rc;
	pkt->data = p + fixed;
	pkt->caplen = caplen;
	pkt->len = len;
	pkt->linktype = ifc->linktype;
	rd_consume(r, total);
	return SIFT_OK;
}

/* Any other block: skipped by its length, streaming, so a large one costs
 * no memory; its trailing length is still checked. */
static enum sift_rc ng_skip(struct sift_capture *c, uint64_t at,
			    uint32_t type, uint32_t total)
{
	struct rd *r = &c->rd;
	enum sift_rc rc;
	uint64_t done;
	uint32_t trail;

	if (total <= BLOCK_MAX) {
		const uint8_t *p;

		rc = ng_whole(c, at, type, total, &p);
		if (rc == SIFT_OK)
			rd_consume(r, total);
		return rc;
	}
	rd_consume(r, 8);
	rc = rd_skip(r, total - 12, &done);
	if (rc != SIFT_OK)
		return fail_rd(c, rc);
	if (done == total - 12) {
		rc = rd_need(r, 4);
		if (rc != SIFT_OK)
			return fail_rd(c, rc);
	}
	if (done < total - 12 || rd_avail(r) < 4)
		return fail(c, SIFT_ETRUNC,
			    "cut off inside pcapng block at byte %llu%s (type 0x%08x, %llu of %u bytes present%s)",
			    ull(at), gz_note(c), type,
			    ull(8 + done + (done == total - 12 ? rd_avail(r) : 0)),
			    total, cut_note(c));
	trail = get32(c, rd_cur(r));
	if (trail != total)
		return damaged(c, at, "trailing length %u differs from total length %u",
			       trail, total);
	rd_consume(r, 4);
	return SIFT_OK;
}

/* Reads blocks up to the next packet. With stop_at_packet (used at open
 * to learn the first interfaces), returns SIFT_OK with *stopped set in
 * front of the first packet block instead of reading it. */
static enum sift_rc ng_read(struct sift_capture *c, struct sift_packet *pkt,
			    bool stop_at_packet, bool *stopped)
{
	struct rd *r = &c->rd;
	const uint8_t *p;
	uint32_t type, total;
	enum sift_rc rc;
	uint64_t at;

	for (;;) {
		at = r->off;
		rc = rd_need(r, 8);
		if (rc != SIFT_OK)
			return fail_rd(c, rc);
		if (rd_avail(r) == 0)
			return stop_at_packet ? SIFT_OK : end_of_file(c);
		if (rd_avail(r) < 8)
			return fail(c, SIFT_ETRUNC,
				    "cut off inside pcapng block at byte %llu%s (%zu of 8 header bytes present%s)",
				    ull(at), gz_note(c), rd_avail(r),
				    cut_note(c));
		p = rd_cur(r);
		type = get32(c, p);
		if (type == NG_SHB) {
			rc = ng_shb(c, false);
			if (rc != SIFT_OK)
				return rc;
			continue;
		}
		total = get32(c, p + 4);
		if (ng_is_packet(type)) {
			if (stop_at_packet) {
				*stopped = true;
				return SIFT_OK;
			}
			return ng_packet(c, pkt, at, type, total);
		}
		if (type == NG_IDB) {
			rc = ng_idb(c, at, total);
		} else {
			rc = ng_check_len(c, at, total, 12, "block");
			if (rc == SIFT_OK)
				rc = ng_skip(c, at, type, total);
			if (rc == SIFT_OK && ng_is_frame(type))
				c->frame++;
		}
		if (rc != SIFT_OK)
			return rc;
	}
}

/* ---- BPF -------------------------------------------------------------- */

/* Files store LINKTYPE_ values; pcap_open_dead wants DLT_ values. They
 * are equal except for a few historical ones. */
static int linktype_to_dlt(int linktype)
{
	switch (linktype) {
	case 50: return DLT_PPP_SERIAL;
	case 51: return DLT_PPP_ETHER;
	case 100: return DLT_ATM_RFC1483;
	case 101: return DLT_RAW;
	case 102: return DLT_SLIP_BSDOS;
	case 103: return DLT_PPP_BSDOS;
	default: return linktype;
	}
}

static enum sift_rc bpf_compile(int linktype, const char *expr,
				bool allow_none, struct bpf_program *prog,
				char *err, size_t errlen)
{
	enum sift_rc rc = SIFT_OK;
	pcap_t *p;

	p = pcap_open_dead(linktype_to_dlt(linktype), FILTER_SNAPLEN);
	if (!p) {
		put_err(err, errlen, "out of memory");
		return SIFT_ENOMEM;
	}
	if (pcap_compile(p, prog, expr, 1, PCAP_NETMASK_UNKNOWN) == 0)
		goto out;
	/* The optimiser refuses a filter that matches nothing on this link
	 * type ("ip6" on raw IPv4). In a file with several link types that
	 * is a legitimate filter for that interface: compile it unoptimised.
	 * (sift_filter_check still refuses it, as tcpdump does, for
	 * Ethernet, where it means the expression contradicts itself.) */
	if (allow_none && strstr(pcap_geterr(p), "rejects all packets") &&
	    pcap_compile(p, prog, expr, 0, PCAP_NETMASK_UNKNOWN) == 0)
		goto out;
	put_err(err, errlen, pcap_geterr(p));
	rc = SIFT_EINVAL;
out:
	pcap_close(p);
	return rc;
}

static void filters_free(struct sift_capture *c)
{
	size_t i;

	for (i = 0; i < c->nfilts; i++)
		pcap_freecode(&c->filts[i].prog);
	free(c->filts);
	c->filts = NULL;
	c->nfilts = c->filts_cap = c->filt_last = 0;
	free(c->filter);
	free(c->filter_plain);
	c->filter = c->filter_plain = NULL;
}

/* Compiles the installed filter for one link type and caches it. A
 * widened filter that does not compile falls back to the user's own
 * expression (no link type in libpcap 1.10 needs this today). */
static enum sift_rc filter_add(struct sift_capture *c, int linktype,
			       size_t *idx, char *err, size_t errlen)
{
	struct filt *nf;
	struct bpf_program prog;
	enum sift_rc rc;
	size_t ncap;

	if (c->nfilts == c->filts_cap) {
		ncap = c->filts_cap ? c->filts_cap * 2 : 4;
		nf = realloc(c->filts, ncap * sizeof(*nf));
		if (!nf) {
			put_err(err, errlen, "out of memory");
			return SIFT_ENOMEM;
		}
		c->filts = nf;
		c->filts_cap = ncap;
	}
	rc = bpf_compile(linktype, c->filter, true, &prog, err, errlen);
	if (rc == SIFT_EINVAL && c->filter_plain)
		rc = bpf_compile(linktype, c->filter_plain, true, &prog, err,
				 errlen);
	if (rc != SIFT_OK)
		return rc;
	c->filts[c->nfilts].linktype = linktype;
	c->filts[c->nfilts].prog = prog;
	*idx = c->nfilts++;
	return SIFT_OK;
}

static enum sift_rc filter_find(struct sift_capture *c, int linktype,
				size_t *idx, char *err, size_t errlen)
{
	size_t i;

	if (c->filt_last < c->nfilts &&
	    c->filts[c->filt_last].linktype == linktype) {
		*idx = c->filt_last;
		return SIFT_OK;
	}
	for (i = 0; i < c->nfilts; i++) {
		if (c->filts[i].linktype == linktype) {
			*idx = c->filt_last = i;
			return SIFT_OK;
		}
	}
	return filter_add(c, linktype, idx, err, errlen);
}

enum sift_rc sift_capture_set_filter(struct sift_capture *c, const char *expr,
				     char *err, size_t errlen)
{
	enum sift_rc rc = SIFT_OK;
	size_t i, n, idx;
	char msg[PCAP_ERRBUF_SIZE + 64];

	if (!c) {
		put_err(err, errlen, "no capture");
		return SIFT_EINVAL;
	}
	filters_free(c);
	if (!expr)
		return SIFT_OK;
	c->filter = strdup(expr);
	if (!c->filter)
		goto nomem;
	n = strlen(expr);
	if (n > strlen(WIDEN_TAIL) + 1 && expr[0] == '(' &&
	    strcmp(expr + n - strlen(WIDEN_TAIL), WIDEN_TAIL) == 0) {
		c->filter_plain = strndup(expr + 1, n - 1 - strlen(WIDEN_TAIL));
		if (!c->filter_plain)
			goto nomem;
	}
	/* Compile now for every link type known, so a bad expression is
	 * reported before any packet is read; with none known yet (no
	 * interface described so far), check it against Ethernet. */
	if (c->info.format == SIFT_FMT_PCAPNG && c->nifs > 0) {
		for (i = 0; i < c->nifs && rc == SIFT_OK; i++)
			rc = filter_find(c, c->ifs[i].linktype, &idx, msg,
					 sizeof(msg));
	} else {
		rc = filter_find(c, c->info.linktype >= 0 ? c->info.linktype
							  : SIFT_LINK_ETHERNET,
				 &idx, msg, sizeof(msg));
	}
	if (rc != SIFT_OK) {
		put_err(err, errlen, msg);
		filters_free(c);
	}
	return rc;
nomem:
	filters_free(c);
	put_err(err, errlen, "out of memory");
	return SIFT_ENOMEM;
}

enum sift_rc sift_filter_check(const char *expr, char *err, size_t errlen)
{
	struct bpf_program prog;
	enum sift_rc rc;

	if (!expr) {
		put_err(err, errlen, "no filter expression");
		return SIFT_EINVAL;
	}
	rc = bpf_compile(SIFT_LINK_ETHERNET, expr, false, &prog, err, errlen);
	if (rc == SIFT_OK)
		pcap_freecode(&prog);
	return rc;
}

/* A filter such as "udp port 5060" matches only the first fragment of a
 * fragmented datagram, since only that one carries the UDP header; the
 * rest would never reach reassembly. Also keep every IPv4 fragment (MF set
 * or offset non-zero, RFC 791) and IPv6 packets whose first extension
 * header is a Fragment header (next header 44, RFC 8200 §4.5); a fragment
 * header after other extension headers is not caught, BPF cannot walk the
 * chain. An expression that does not compile is returned unchanged so the
 * caller reports the user's own error. */
char *sift_filter_widen(const char *expr)
{
	char *w;
	size_t n;

	if (!expr)
		return NULL;
	if (sift_filter_check(expr, NULL, 0) != SIFT_OK)
		return strdup(expr);
	n = 1 + strlen(expr) + strlen(WIDEN_TAIL) + 1;
	w = malloc(n);
	if (!w)
		return NULL;
	snprintf(w, n, "(%s" WIDEN_TAIL, expr);
	if (sift_filter_check(w, NULL, 0) != SIFT_OK) {
		free(w);
		return strdup(expr);
	}
	return w;
}

/* ---- capture API ------------------------------------------------------ */

enum sift_rc sift_capture_open(const char *path, uint32_t file,
			       struct sift_capture **out, char *err,
			       size_t errlen)
{
	struct sift_capture *c = NULL;
	enum sift_rc rc;
	const uint8_t *p;
	uint32_t magic;
	bool stopped = false;
	struct stat st;
	size_t have;

	if (out)
		*out = NULL;
	if (!path || !out) {
		put_err(err, errlen, "no file given");
		return SIFT_EINVAL;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		put_err(err, errlen, "out of memory");
		return SIFT_ENOMEM;
	}
	c->file = file;
	c->info.linktype = -1;
	c->path = strdup(path);
	rc = rd_init(&c->rd);
	if (!c->path || rc != SIFT_OK) {
		rc = fail(c, SIFT_ENOMEM, "out of memory");
		goto out;
	}
	c->info.path = c->path;
	if (strcmp(path, "-") == 0) {
		c->rd.fd = STDIN_FILENO;
	} else {
		c->rd.fd = open(path, O_RDONLY | O_CLOEXEC);
		if (c->rd.fd < 0) {
			if (errno == ENOENT)
				rc = fail(c, SIFT_ENOTFOUND, "no such file");
			else
				rc = fail(c, SIFT_EIO, "%s", strerror(errno));
			goto out;
		}
		c->rd.own_fd = true;
		/* open() succeeds on a directory; say so plainly rather
		 * than as a failed read. */
		if (fstat(c->rd.fd, &st) == 0 && S_ISDIR(st.st_mode)) {
			rc = fail(c, SIFT_EIO, "%s", strerror(EISDIR));
			goto out;
		}
	}
	rc = rd_detect_gzip(&c->rd);
	if (rc != SIFT_OK) {
		rc = fail_rd(c, rc);
		goto out;
	}
	c->info.gzip = c->rd.gzip;
	rc = rd_need(&c->rd, 4);
	if (rc != SIFT_OK) {
		rc = fail_rd(c, rc);
		goto out;
	}
	have = rd_avail(&c->rd);
	p = rd_cur(&c->rd);
	if (have == 0) {
		if (c->rd.zcut)
			rc = fail(c, SIFT_ETRUNC, "gzip data cut off before any capture data");
		else
			rc = fail(c, SIFT_EFORMAT, "empty file%s",
				  c->rd.gzip ? " (after gunzip)" : "");
		goto out;
	}
	if (have < 4) {
		static const uint8_t magics[5][4] = {
			{ 0xd4, 0xc3, 0xb2, 0xa1 }, { 0xa1, 0xb2, 0xc3, 0xd4 },
			{ 0x4d, 0x3c, 0xb2, 0xa1 }, { 0xa1, 0xb2, 0x3c, 0x4d },
			{ 0x0a, 0x0d, 0x0d, 0x0a },
		};
		size_t i;

		for (i = 0; i < 5; i++) {
			if (memcmp(p, magics[i], have) == 0) {
				rc = fail(c, SIFT_ETRUNC,
					  "cut off in the file header (got %zu of %u bytes%s)",
					  have, i == 4 ? NG_SHB_MIN : PCAP_HDR_LEN,
					  cut_note(c));
				goto out;
			}
		}
		rc = fail(c, SIFT_EFORMAT,
			  "not a pcap or pcapng file (only %zu bytes%s)", have,
			  c->rd.gzip ? " after gunzip" : "");
		goto out;
	}
	magic = sift_le32(p);
	switch (magic) {
	case 0xa1b2c3d4u: case 0xd4c3b2a1u: case 0xa1b23c4du: case 0x4d3cb2a1u:
		rc = pcap_open_hdr(c, magic);
		break;
	case NG_SHB:
		rc = ng_shb(c, true);
		/* Learn the interfaces that precede the first packet, so a
		 * filter set now is checked against the real link types. A
		 * problem found here is reported by the first
		 * sift_capture_next, like any damage after the header. */
		if (rc == SIFT_OK)
			(void)ng_read(c, NULL, true, &stopped);
		break;
	case 0xa1b2cd34u: case 0x34cdb2a1u:
		rc = fail(c, SIFT_EUNSUPPORTED,
			  "unsupported pcap variant (Kuznetzov's modified pcap)");
		break;
	default:
		rc = fail(c, SIFT_EFORMAT,
			  "not a pcap or pcapng file (%sstarts with %02x %02x %02x %02x)",
			  c->rd.gzip ? "gunzipped data " : "",
			  p[0], p[1], p[2], p[3]);
		break;
	}
out:
	if (rc != SIFT_OK) {
		put_err(err, errlen, c->err);
		sift_capture_close(c);
		return rc;
	}
	*out = c;
	return SIFT_OK;
}

enum sift_rc sift_capture_next(struct sift_capture *c, struct sift_packet *pkt)
{
	char msg[PCAP_ERRBUF_SIZE + 64];
	struct pcap_pkthdr hdr;
	enum sift_rc rc;
	size_t idx;

	if (!c || !pkt)
		return SIFT_EINVAL;
	for (;;) {
		if (c->state != SIFT_OK)
			return c->state;
		if (c->info.format == SIFT_FMT_PCAP)
			rc = pcap_read(c, pkt);
		else
			rc = ng_read(c, pkt, false, NULL);
		if (rc != SIFT_OK)
			return rc;
		/* Every packet in the file has a frame number, filtered
		 * or not, so numbers match Wireshark's. */
		c->frame++;
		c->prev_ts = pkt->where.ts;
		pkt->where.file = c->file;
		pkt->where.frame = c->frame;
		if (c->filter) {
			rc = filter_find(c, pkt->linktype, &idx, msg,
					 sizeof(msg));
			if (rc != SIFT_OK)
				return fail(c, rc,
					    "filter does not compile for link type %d: %s",
					    pkt->linktype, msg);
			memset(&hdr, 0, sizeof(hdr));
			hdr.caplen = pkt->caplen;
			hdr.len = pkt->len;
			if (pcap_offline_filter(&c->filts[idx].prog, &hdr,
						pkt->data) == 0) {
				c->info.filtered++;
				continue;
			}
		}
		if (c->info.packets == 0)
			c->info.first_ts = pkt->where.ts;
		c->info.last_ts = pkt->where.ts;
		c->info.packets++;
		c->info.bytes += pkt->caplen;
		if (pkt->caplen < pkt->len)
			c->info.snapped++;
		return SIFT_OK;
	}
}

const char *sift_capture_error(const struct sift_capture *c)
{
	if (!c)
		return "no capture";
	return c->err[0] ? c->err : sift_rc_str(c->state);
}

const struct sift_capture_info *sift_capture_info(const struct sift_capture *c)
{
	return c ? &c->info : NULL;
}

void sift_capture_close(struct sift_capture *c)
{
	if (!c)
		return;
	filters_free(c);
	rd_fini(&c->rd);
	free(c->ifs);
	free(c->path);
	free(c);
}

/* ---- merging ---------------------------------------------------------- */

/* A binary min-heap of the captures' lookahead packets. Each packet points
 * into its own capture's buffer, so it stays valid while other captures
 * are read; a capture is advanced only at the call after its packet was
 * handed out. */
struct merge_ent {
	size_t idx;             /* into caps */
	struct sift_packet pkt;
};

struct sift_merge {
	struct sift_capture **caps;
	size_t ncaps;
	size_t caps_cap;
	struct merge_ent *heap;
	size_t nheap;
	size_t *refill;         /* captures to advance at the next call */
	size_t nrefill;
};

static bool ent_before(const struct merge_ent *a, const struct merge_ent *b)
{
	if (a->pkt.where.ts != b->pkt.where.ts)
		return a->pkt.where.ts < b->pkt.where.ts;
	if (a->pkt.where.file != b->pkt.where.file)
		return a->pkt.where.file < b->pkt.where.file;
	if (a->pkt.where.frame != b->pkt.where.frame)
		return a->pkt.where.frame < b->pkt.where.frame;
	return a->idx < b->idx;
}

static void heap_push(struct sift_merge *m, const struct merge_ent *e)
{
	size_t i = m->nheap++, parent;

	while (i > 0) {
		parent = (i - 1) / 2;
		if (!ent_before(e, &m->heap[parent]))
			break;
		m->heap[i] = m->heap[parent];
		i = parent;
	}
	m->heap[i] = *e;
}

static void heap_pop(struct sift_merge *m, struct merge_ent *top)
{
	struct merge_ent last;
	size_t i = 0, child;

	*top = m->heap[0];
	last = m->heap[--m->nheap];
	for (;;) {
		child = 2 * i + 1;
		if (child >= m->nheap)
			break;
		if (child + 1 < m->nheap &&
		    ent_before(&m->heap[child + 1], &m->heap[child]))
			child++;
		if (!ent_before(&m->heap[child], &last))
			break;
		m->heap[i] = m->heap[child];
		i = child;
	}
	if (m->nheap > 0)
		m->heap[i] = last;
}

struct sift_merge *sift_merge_new(void)
{
	return calloc(1, sizeof(struct sift_merge));
}

/* On failure c stays the caller's (main.c closes it then). */
enum sift_rc sift_merge_add(struct sift_merge *m, struct sift_capture *c)
{
	struct sift_capture **ncaps = NULL;
	struct merge_ent *nheap = NULL;
	size_t *nrefill = NULL, ncap;

	if (!m || !c)
		return SIFT_EINVAL;
	if (m->ncaps == m->caps_cap) {
		ncap = m->caps_cap ? m->caps_cap * 2 : 4;
		ncaps = realloc(m->caps, ncap * sizeof(*ncaps));
		if (ncaps)
			m->caps = ncaps;
		nheap = realloc(m->heap, ncap * sizeof(*nheap));
		if (nheap)
			m->heap = nheap;
		nrefill = realloc(m->refill, ncap * sizeof(*nrefill));
		if (nrefill)
			m->refill = nrefill;
		if (!ncaps || !nheap || !nrefill)
			return SIFT_ENOMEM;
		m->caps_cap = ncap;
	}
	m->refill[m->nrefill++] = m->ncaps;
	m->caps[m->ncaps++] = c;
	return SIFT_OK;
}

enum sift_rc sift_merge_next(struct sift_merge *m, struct sift_packet *pkt,
			     struct sift_capture **from)
{
	struct merge_ent e;
	struct sift_capture *c;
	enum sift_rc rc;

	if (from)
		*from = NULL;
	if (!m || !pkt)
		return SIFT_EINVAL;
	/* Refill in the order captures were added, so errors found while
	 * priming are reported in file order. */
	while (m->nrefill > 0) {
		e.idx = m->refill[0];
		memmove(m->refill, m->refill + 1,
			(m->nrefill - 1) * sizeof(*m->refill));
		m->nrefill--;
		c = m->caps[e.idx];
		rc = sift_capture_next(c, &e.pkt);
		if (rc == SIFT_OK) {
			heap_push(m, &e);
		} else if (rc != SIFT_EOF) {
			if (from)
				*from = c;
			return rc;
		}
	}
	if (m->nheap == 0)
		return SIFT_EOF;
	heap_pop(m, &e);
	*pkt = e.pkt;
	if (from)
		*from = m->caps[e.idx];
	m->refill[m->nrefill++] = e.idx;
	return SIFT_OK;
}

size_t sift_merge_count(const struct sift_merge *m)
{
	return m ? m->ncaps : 0;
}

struct sift_capture *sift_merge_get(const struct sift_merge *m, size_t i)
{
	if (!m || i >= m->ncaps)
		return NULL;
	return m->caps[i];
}

void sift_merge_free(struct sift_merge *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->ncaps; i++)
		sift_capture_close(m->caps[i]);
	free(m->caps);
	free(m->heap);
	free(m->refill);
	free(m);
}
