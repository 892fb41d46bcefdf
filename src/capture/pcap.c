/* sipsift — classic pcap files (pcap-savefile(5)): the 24-byte file
 * header, then 16-byte record headers each followed by caplen bytes, in
 * the byte order of the magic number, with µs or ns timestamps. */
#include "capture/capture_int.h"

#define PCAP_REC_LEN 16u

enum sift_rc sift_cap_pcap_open(struct sift_capture *c, uint32_t magic)
{
	struct rd *r = &c->rd;
	struct sift_cur k;
	enum sift_rc rc;
	unsigned major, minor;

	rc = sift_rd_need(r, PCAP_HDR_LEN);
	if (rc != SIFT_OK)
		return sift_cap_fail_rd(c, rc);
	k = rd_cursor(r, PCAP_HDR_LEN);
	c->be = magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u;
	c->nsec = magic == 0xa1b23c4du || magic == 0x4d3cb2a1u;
	sift_cur_skip(&k, 4);                   /* magic */
	major = sift_cur_u16(&k, c->be);
	minor = sift_cur_u16(&k, c->be);
	sift_cur_skip(&k, 8);                   /* thiszone, sigfigs */
	c->info.snaplen = sift_cur_u32(&k, c->be);
	/* The upper bits hold FCS information (pcap-savefile(5)). */
	c->info.linktype = (int)(sift_cur_u32(&k, c->be) & 0xffffu);
	if (k.cut)
		return sift_cap_fail(c, SIFT_ETRUNC,
				     "cut off in the file header (got %zu of %u bytes%s)",
				     rd_avail(r), PCAP_HDR_LEN, cut_note(c));
	/* Versions 2.0-2.4 as libpcap accepts; before 2.3 caplen and len
	 * were written the other way round, in 2.3 only by some writers. */
	if (major != 2 || minor > 4)
		return sift_cap_fail(c, SIFT_EUNSUPPORTED,
				     "unsupported pcap version %u.%u", major,
				     minor);
	c->lens_swapped = minor < 3 ? 2 : minor == 3 ? 1 : 0;
	c->info.format = SIFT_FMT_PCAP;
	c->caplimit = caplen_limit(c->info.snaplen);
	rd_consume(r, PCAP_HDR_LEN);
	return SIFT_OK;
}

enum sift_rc sift_cap_pcap_read(struct sift_capture *c,
				struct sift_packet *pkt)
{
	struct rd *r = &c->rd;
	uint32_t sec, frac, caplen, len, t;
	uint64_t at = r->off;
	struct sift_cur k;
	enum sift_rc rc;

	rc = sift_rd_need(r, PCAP_REC_LEN);
	if (rc != SIFT_OK)
		return sift_cap_fail_rd(c, rc);
	if (rd_avail(r) == 0)
		return sift_cap_end_of_file(c);
	k = rd_cursor(r, PCAP_REC_LEN);
	sec = sift_cur_u32(&k, c->be);
	frac = sift_cur_u32(&k, c->be);
	caplen = sift_cur_u32(&k, c->be);
	len = sift_cur_u32(&k, c->be);
	if (k.cut)
		return sift_cap_fail(c, SIFT_ETRUNC,
				     "cut off inside packet %llu (record at byte %llu%s: %zu of %u header bytes present%s)",
				     ull(c->frame + 1), ull(at), gz_note(c),
				     rd_avail(r), PCAP_REC_LEN, cut_note(c));
	if (c->lens_swapped == 2 || (c->lens_swapped == 1 && caplen > len)) {
		t = caplen;
		caplen = len;
		len = t;
	}
	/* A length field past any sane value is damage, not truncation. */
	if (caplen > c->caplimit)
		return sift_cap_too_long(c, at, "record", caplen,
					 c->info.snaplen);
	rc = sift_rd_need(r, PCAP_REC_LEN + (size_t)caplen);
	if (rc != SIFT_OK)
		return sift_cap_fail_rd(c, rc);
	k = rd_cursor(r, PCAP_REC_LEN + (size_t)caplen);
	sift_cur_skip(&k, PCAP_REC_LEN);
	pkt->data = sift_cur_bytes(&k, caplen);
	if (k.cut)
		return sift_cap_cut_in_packet(c, at, "record",
					      rd_avail(r) - PCAP_REC_LEN,
					      caplen);
	pkt->caplen = caplen;
	pkt->len = len;
	pkt->linktype = c->info.linktype;
	/* A fraction of a second past one second is damage: clamp it to the
	 * last instant of its second rather than push the time seconds (or,
	 * with 0xffffffff, 71 minutes) ahead. Counted, so it is said. */
	if (frac > (c->nsec ? UINT32_C(999999999) : UINT32_C(999999))) {
		frac = c->nsec ? UINT32_C(999999999) : UINT32_C(999999);
		c->info.ts_clamped++;
	}
	pkt->where.ts = (sift_time)sec * SIFT_USEC +
			(c->nsec ? frac / 1000 : frac);
	rd_prefetch(r, PCAP_REC_LEN + (size_t)caplen);
	rd_consume(r, PCAP_REC_LEN + (size_t)caplen);
	return SIFT_OK;
}

/* The record k after the next, when the buffer holds it whole: what
 * sift_cap_pcap_read would return, with its checks, without reading. */
const uint8_t *sift_cap_pcap_peek(const struct sift_capture *c, unsigned k,
				  size_t *caplen)
{
	const struct rd *r = &c->rd;
	size_t at = r->pos;

	for (;;) {
		struct sift_cur h;
		uint32_t cl, len;

		if (r->end - at < PCAP_REC_LEN)
			return NULL;
		h = sift_cur_make(r->buf + at + 8, 8);
		cl = sift_cur_u32(&h, c->be);
		len = sift_cur_u32(&h, c->be);
		if (c->lens_swapped == 2 || (c->lens_swapped == 1 && cl > len))
			cl = len;
		if (cl > c->caplimit || r->end - at - PCAP_REC_LEN < cl)
			return NULL;
		if (k-- == 0) {
			*caplen = cl;
			return r->buf + at + PCAP_REC_LEN;
		}
		at += PCAP_REC_LEN + cl;
	}
}
