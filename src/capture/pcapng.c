/* sipsift — pcapng files (draft-ietf-opsawg-pcapng): Section Header,
 * Interface Description (with if_tsresol and if_tsoffset), Enhanced,
 * Simple and obsolete Packet Blocks; any other block is skipped by its
 * length. Interfaces of a section may have different link types. */
#include <string.h>

#include "capture/capture_int.h"

#define MAX_IFACES  65536u                 /* pcapng interfaces per section */

#define NG_IDB 0x00000001u
#define NG_PB  0x00000002u                 /* obsolete Packet Block */
#define NG_SPB 0x00000003u
#define NG_EPB 0x00000006u
#define NG_BOM 0x1A2B3C4Du
#define NG_BOM_SWAPPED 0x4D3C2B1Au         /* NG_BOM read in the other order */
#define NG_IDB_MIN 20u
#define NG_EPB_MIN 32u                     /* also the Packet Block */
#define NG_SPB_MIN 16u
#define NG_DSB 0x0000000Au                 /* Decryption Secrets Block */
#define NG_DSB_TLS 0x544c534bu             /* ... of an NSS TLS key log */
#define NG_SECRETS_MAX (64u << 20)         /* key log text kept, at most */

#define NG_OPT_END      0
#define NG_OPT_COMMENT  1
#define NG_OPT_TSRESOL  9
#define NG_OPT_TSOFFSET 14

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

/* Brings a whole block of a validated total length into the buffer,
 * checks its trailing length and gives a cursor over the block body (after
 * type and total length, before the trailing length). */
static enum sift_rc ng_whole(struct sift_capture *c, uint64_t at,
			     uint32_t type, uint32_t total, struct sift_cur *body)
{
	struct rd *r = &c->rd;
	struct sift_cur k;
	enum sift_rc rc;
	uint32_t trail;

	if (total > BLOCK_MAX)
		return sift_cap_damaged(c, at, "total length %u exceeds the %u-byte limit",
					total, BLOCK_MAX);
	rc = sift_rd_need(r, total);
	if (rc != SIFT_OK)
		return sift_cap_fail_rd(c, rc);
	if (rd_avail(r) < total) {
		if (ng_is_packet(type))
			return sift_cap_cut_in_packet(c, at, "block", rd_avail(r), total);
		return sift_cap_fail(c, SIFT_ETRUNC,
				     "cut off inside pcapng block at byte %llu%s (type 0x%08x, %zu of %u bytes present%s)",
				     ull(at), gz_note(c), type, rd_avail(r), total,
				     cut_note(c));
	}
	k = rd_cursor(r, total);
	sift_cur_skip(&k, 8);
	*body = sift_cur_sub(&k, total - 12);
	trail = sift_cur_u32(&k, c->be);
	if (trail != total)
		return sift_cap_damaged(c, at, "trailing length %u differs from total length %u",
					trail, total);
	return SIFT_OK;
}

static enum sift_rc ng_check_len(struct sift_capture *c, uint64_t at,
				 uint32_t total, uint32_t min,
				 const char *name)
{
	if (total % 4 != 0)
		return sift_cap_damaged(c, at, "total length %u is not a multiple of 4",
					total);
	if (total < min)
		return sift_cap_damaged(c, at, "%s length %u is less than %u", name,
					total, min);
	return SIFT_OK;
}

/* Section Header Block: sets the byte order of everything up to the next
 * one and forgets the interfaces of the previous section. */
enum sift_rc sift_cap_ng_shb(struct sift_capture *c, bool at_open)
{
	struct rd *r = &c->rd;
	uint64_t at = r->off;
	struct sift_cur k;
	enum sift_rc rc;
	struct sift_cur tot;
	uint32_t bom, total;
	unsigned major, minor;

	rc = sift_rd_need(r, 12);
	if (rc != SIFT_OK)
		return sift_cap_fail_rd(c, rc);
	k = rd_cursor(r, 12);
	sift_cur_skip(&k, 4);                   /* block type */
	tot = sift_cur_sub(&k, 4);              /* in the order the BOM says */
	bom = sift_cur_be32(&k);
	if (k.cut) {
		if (at_open)
			return sift_cap_fail(c, SIFT_ETRUNC,
					     "cut off in the file header (got %zu of %u bytes%s)",
					     rd_avail(r), NG_SHB_MIN, cut_note(c));
		return sift_cap_fail(c, SIFT_ETRUNC,
				     "cut off inside pcapng block at byte %llu%s (section header, %zu of %u bytes present%s)",
				     ull(at), gz_note(c), rd_avail(r), NG_SHB_MIN,
				     cut_note(c));
	}
	if (bom == NG_BOM)
		c->be = true;
	else if (bom == NG_BOM_SWAPPED)
		c->be = false;
	else
		return sift_cap_damaged(c, at, "byte-order magic %02x %02x %02x %02x is not 1a2b3c4d in either order",
					bom >> 24, bom >> 16 & 0xff,
					bom >> 8 & 0xff, bom & 0xff);
	total = sift_cur_u32(&tot, c->be);
	rc = ng_check_len(c, at, total, NG_SHB_MIN, "section header block");
	if (rc != SIFT_OK)
		return rc;
	if (at_open && total <= BLOCK_MAX) {
		rc = sift_rd_need(r, total);
		if (rc != SIFT_OK)
			return sift_cap_fail_rd(c, rc);
		if (rd_avail(r) < total)
			return sift_cap_fail(c, SIFT_ETRUNC,
					     "cut off in the file header (got %zu of %u bytes%s)",
					     rd_avail(r), total, cut_note(c));
	}
	rc = ng_whole(c, at, NG_SHB, total, &k);
	if (rc != SIFT_OK)
		return rc;
	sift_cur_skip(&k, 4);                   /* byte-order magic */
	major = sift_cur_u16(&k, c->be);
	minor = sift_cur_u16(&k, c->be);
	/* A new major version is incompatible by definition; minor ones
	 * only add. */
	if (major != 1)
		return sift_cap_fail(c, SIFT_EUNSUPPORTED,
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

/* The options after an (E)PB's packet data (pcapng §4.3): the first
 * opt_comment is the packet's comment, shown by `show`. Options that do
 * not fit are left alone: the packet itself is fine. */
static void ng_comment(const struct sift_capture *c, struct sift_cur *k,
		       uint32_t caplen, struct sift_packet *pkt)
{
	sift_cur_skip(k, ((caplen + 3u) & ~3u) - caplen);
	while (sift_cur_has(k, 4) && !pkt->comment) {
		uint32_t code = sift_cur_u16(k, c->be);
		uint32_t olen = sift_cur_u16(k, c->be);
		uint32_t padded = (olen + 3u) & ~3u;
		struct sift_cur v;

		if (code == NG_OPT_END || !sift_cur_has(k, padded))
			return;
		v = sift_cur_sub(k, padded);
		if (code == NG_OPT_COMMENT && olen) {
			pkt->comment = (const char *)sift_cur_bytes(&v, olen);
			pkt->comment_len = pkt->comment ? olen : 0;
		}
	}
}

/* Interface Description Block with its if_tsresol and if_tsoffset
 * options; the other options are skipped. */
static enum sift_rc ng_idb(struct sift_capture *c, uint64_t at,
			   uint32_t total)
{
	struct sift_cur k, v;
	struct iface ifc;
	uint32_t code, olen, padded;
	enum sift_rc rc;

	rc = ng_check_len(c, at, total, NG_IDB_MIN, "interface description block");
	if (rc != SIFT_OK)
		return rc;
	rc = ng_whole(c, at, NG_IDB, total, &k);
	if (rc != SIFT_OK)
		return rc;
	if (c->nifs >= MAX_IFACES)
		return sift_cap_damaged(c, at, "more than %u interfaces in one section",
					MAX_IFACES);
	memset(&ifc, 0, sizeof(ifc));
	ifc.linktype = sift_cur_u16(&k, c->be);
	sift_cur_skip(&k, 2);                   /* reserved */
	ifc.snaplen = sift_cur_u32(&k, c->be);
	ifc.exp = 6;
	while (sift_cur_has(&k, 4)) {
		code = sift_cur_u16(&k, c->be);
		olen = sift_cur_u16(&k, c->be);
		if (code == NG_OPT_END)
			break;
		/* An option length past the block is damage, not a cut. */
		padded = (olen + 3u) & ~3u;
		if (!sift_cur_has(&k, padded))
			return sift_cap_damaged(c, at, "option %u of length %u overruns the block",
						code, olen);
		v = sift_cur_sub(&k, padded);
		if (code == NG_OPT_TSRESOL && olen >= 1) {
			uint8_t res = sift_cur_u8(&v);

			ifc.pow2 = (res & 0x80) != 0;
			ifc.exp = res & 0x7f;
		} else if (code == NG_OPT_TSOFFSET && olen == 8) {
			uint64_t u = sift_cur_u64(&v, c->be);

			/* Two's complement without implementation-defined
			 * conversion. */
			ifc.offset = u <= INT64_MAX ? (int64_t)u
						    : -(int64_t)(~u) - 1;
		}
	}
	if (!sift_grow((void **)&c->ifs, &c->ifs_cap, c->nifs, sizeof(ifc),
		       MAX_IFACES))
		return sift_cap_fail(c, SIFT_ENOMEM, "out of memory");
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

/* The last microsecond of 9999-12-31: a later time (a timestamp of all
 * ones is 294247 AD) is clamped to it, and an earlier one than its
 * negative to that, so that whatever adds a timeout or a duration to a
 * packet's time never overflows (UBSan saw INT64_MAX + 1 s). */
#define NG_TS_MAX INT64_C(253402300799999999)

/* Converts a pcapng timestamp in the interface's units to microseconds,
 * saturating instead of overflowing on absurd values; counts a clamp. */
static sift_time ng_ts(const struct iface *ifc, uint64_t t, uint64_t *clamped)
{
	sift_time v;

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
		v = INT64_MAX;
	else
		v = s + off;
	if (v > NG_TS_MAX || v < -NG_TS_MAX) {
		(*clamped)++;
		v = v > 0 ? NG_TS_MAX : -NG_TS_MAX;
	}
	return v;
}

/* Enhanced, Simple and (obsolete) Packet Blocks. */
static enum sift_rc ng_packet(struct sift_capture *c, struct sift_packet *pkt,
			      uint64_t at, uint32_t type, uint32_t total)
{
	struct rd *r = &c->rd;
	const struct iface *ifc;
	uint32_t min, fixed, caplen, len, id, room;
	struct sift_cur k;
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
	rc = sift_rd_need(r, fixed);
	if (rc != SIFT_OK)
		return sift_cap_fail_rd(c, rc);
	k = rd_cursor(r, fixed);
	sift_cur_skip(&k, 8);                   /* type, total length */
	/* SPB: original length. EPB: interface (32 bits), timestamp, caplen,
	 * len. Packet Block: interface (16 bits), drops, the same. */
	id = type == NG_EPB ? sift_cur_u32(&k, c->be) :
	     type == NG_PB ? sift_cur_u16(&k, c->be) : 0;
	if (type == NG_PB)
		sift_cur_skip(&k, 2);
	if (type == NG_SPB) {
		len = sift_cur_u32(&k, c->be);
		t = caplen = 0;
	} else {
		/* High then low 32 bits, each in the section's order. */
		t = (uint64_t)sift_cur_u32(&k, c->be) << 32;
		t |= sift_cur_u32(&k, c->be);
		caplen = sift_cur_u32(&k, c->be);
		len = sift_cur_u32(&k, c->be);
	}
	if (k.cut)
		return sift_cap_cut_in_packet(c, at, "block", rd_avail(r), total);
	room = total - min;
	if (type == NG_SPB) {
		/* No captured length: it is the original length cut to
		 * interface 0's snaplen. */
		if (c->nifs == 0)
			return sift_cap_damaged(c, at, "simple packet block before any interface description");
		ifc = &c->ifs[0];
		caplen = len;
		if (ifc->snaplen != 0 && caplen > ifc->snaplen)
			caplen = ifc->snaplen;
		if (caplen > PKT_MAX)
			return sift_cap_too_long(c, at, "block", caplen, ifc->snaplen);
		/* Taking less would hand out the padding as packet data. */
		if (caplen > room)
			return sift_cap_damaged(c, at, "simple packet block holds %u bytes, too few for a %u-byte packet",
						room, caplen);
		/* No timestamp either: the previous packet's keeps capture
		 * time monotonic for timeouts and merging. */
		pkt->where.ts = c->prev_ts;
	} else {
		if (id >= c->nifs)
			return sift_cap_damaged(c, at, "packet on interface %u, but the section describes %zu",
						id, c->nifs);
		ifc = &c->ifs[id];
		if (caplen > caplen_limit(ifc->snaplen))
			return sift_cap_too_long(c, at, "block", caplen, ifc->snaplen);
		if (((uint64_t)caplen + 3) / 4 * 4 > room)
			return sift_cap_damaged(c, at, "captured length %u does not fit in block length %u",
						caplen, total);
		pkt->where.ts = ng_ts(ifc, t, &c->info.ts_clamped);
	}
	rc = ng_whole(c, at, type, total, &k);
	if (rc != SIFT_OK)
		return rc;
	sift_cur_skip(&k, fixed - 8);
	pkt->data = sift_cur_bytes(&k, caplen);
	pkt->caplen = caplen;
	pkt->len = len;
	pkt->linktype = ifc->linktype;
	if (type != NG_SPB)
		ng_comment(c, &k, caplen, pkt);
	rd_prefetch(r, total);
	rd_consume(r, total);
	return SIFT_OK;
}

static enum sift_rc ng_skip(struct sift_capture *c, uint64_t at,
			    uint32_t type, uint32_t total);

/* The Enhanced Packet Block k after the next block, when the buffer holds
 * them all and they are all EPBs that ng_packet would take (another kind
 * of block ends the look: it may be an interface, or a section). */
const uint8_t *sift_cap_ng_peek(const struct sift_capture *c, unsigned k,
				size_t *caplen, int *linktype)
{
	const struct rd *r = &c->rd;
	size_t at = r->pos;

	for (;;) {
		struct sift_cur h = sift_cur_make(r->buf + at, r->end - at);
		uint32_t type, total, id, cl, trail;
		struct sift_cur t;

		type = sift_cur_u32(&h, c->be);
		total = sift_cur_u32(&h, c->be);
		id = sift_cur_u32(&h, c->be);
		sift_cur_skip(&h, 8);                /* timestamp */
		cl = sift_cur_u32(&h, c->be);
		if (h.cut || type != NG_EPB || total % 4 != 0 ||
		    total < NG_EPB_MIN || total > BLOCK_MAX ||
		    total > r->end - at || id >= c->nifs ||
		    cl > caplen_limit(c->ifs[id].snaplen) ||
		    ((uint64_t)cl + 3) / 4 * 4 > total - NG_EPB_MIN)
			return NULL;
		t = sift_cur_make(r->buf + at + total - 4, 4);
		trail = sift_cur_u32(&t, c->be);
		if (trail != total)
			return NULL;
		if (k-- == 0) {
			*caplen = cl;
			*linktype = c->ifs[id].linktype;
			return r->buf + at + NG_EPB_MIN - 4;
		}
		at += total;
	}
}

/* A Decryption Secrets Block (pcapng spec §4.7): the text of a TLS key
 * log is kept for whoever reads the packets (sift_packet.secrets); other
 * secret types are skipped. A DSB too large to hold whole is skipped. */
static enum sift_rc ng_dsb(struct sift_capture *c, uint64_t at,
			   uint32_t total)
{
	struct sift_cur body;
	const uint8_t *text;
	uint32_t stype, slen;
	enum sift_rc rc;

	if (total > BLOCK_MAX)
		return ng_skip(c, at, NG_DSB, total);
	rc = ng_whole(c, at, NG_DSB, total, &body);
	if (rc != SIFT_OK)
		return rc;
	stype = sift_cur_u32(&body, c->be);
	slen = sift_cur_u32(&body, c->be);
	text = sift_cur_bytes(&body, slen);
	if (!body.cut && stype == NG_DSB_TLS && text && slen &&
	    c->secrets_len + slen + 1 <= NG_SECRETS_MAX &&
	    sift_grow((void **)&c->secrets, &c->secrets_cap,
		      c->secrets_len + slen, 1, NG_SECRETS_MAX)) {
		memcpy(c->secrets + c->secrets_len, text, slen);
		c->secrets_len += slen;
		/* Lines of two blocks never run together. */
		c->secrets[c->secrets_len++] = '\n';
	}
	rd_consume(&c->rd, total);
	return SIFT_OK;
}

/* Any other block: skipped by its length, streaming, so a large one costs
 * no memory; its trailing length is still checked. */
static enum sift_rc ng_skip(struct sift_capture *c, uint64_t at,
			    uint32_t type, uint32_t total)
{
	struct rd *r = &c->rd;
	struct sift_cur k;
	enum sift_rc rc;
	uint64_t done;
	uint32_t trail;

	if (total <= BLOCK_MAX) {
		struct sift_cur body;

		rc = ng_whole(c, at, type, total, &body);
		if (rc == SIFT_OK)
			rd_consume(r, total);
		return rc;
	}
	rd_consume(r, 8);
	rc = sift_rd_skip(r, total - 12, &done);
	if (rc != SIFT_OK)
		return sift_cap_fail_rd(c, rc);
	if (done == total - 12) {
		rc = sift_rd_need(r, 4);
		if (rc != SIFT_OK)
			return sift_cap_fail_rd(c, rc);
	}
	k = rd_cursor(r, 4);
	trail = sift_cur_u32(&k, c->be);
	if (done < total - 12 || k.cut)
		return sift_cap_fail(c, SIFT_ETRUNC,
				     "cut off inside pcapng block at byte %llu%s (type 0x%08x, %llu of %u bytes present%s)",
				     ull(at), gz_note(c), type,
				     ull(8 + done + (done == total - 12 ? rd_avail(r) : 0)),
				     total, cut_note(c));
	if (trail != total)
		return sift_cap_damaged(c, at, "trailing length %u differs from total length %u",
					trail, total);
	rd_consume(r, 4);
	return SIFT_OK;
}

/* See capture_int.h. */
enum sift_rc sift_cap_ng_read(struct sift_capture *c, struct sift_packet *pkt,
			      bool stop_at_packet, bool *stopped)
{
	struct rd *r = &c->rd;
	struct sift_cur k;
	uint32_t type, total;
	enum sift_rc rc;
	uint64_t at;

	for (;;) {
		at = r->off;
		rc = sift_rd_need(r, 8);
		if (rc != SIFT_OK)
			return sift_cap_fail_rd(c, rc);
		if (rd_avail(r) == 0)
			return stop_at_packet ? SIFT_OK : sift_cap_end_of_file(c);
		k = rd_cursor(r, 8);
		type = sift_cur_u32(&k, c->be);
		total = sift_cur_u32(&k, c->be);
		if (k.cut)
			return sift_cap_fail(c, SIFT_ETRUNC,
					     "cut off inside pcapng block at byte %llu%s (%zu of 8 header bytes present%s)",
					     ull(at), gz_note(c), rd_avail(r),
					     cut_note(c));
		if (type == NG_SHB) {
			rc = sift_cap_ng_shb(c, false);
			if (rc != SIFT_OK)
				return rc;
			continue;
		}
		if (ng_is_packet(type)) {
			if (stop_at_packet) {
				*stopped = true;
				return SIFT_OK;
			}
			return ng_packet(c, pkt, at, type, total);
		}
		if (type == NG_IDB) {
			rc = ng_idb(c, at, total);
		} else if (type == NG_DSB) {
			rc = ng_check_len(c, at, total, 20, "decryption secrets block");
			if (rc == SIFT_OK)
				rc = ng_dsb(c, at, total);
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
