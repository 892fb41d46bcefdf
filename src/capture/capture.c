/* sipsift — reading capture files: classic pcap and pcapng, optionally
 * gzip-compressed, from a path or stdin; BPF filtering through libpcap;
 * merging several captures by timestamp.
 *
 * Formats: classic pcap as libpcap writes it (pcap-savefile(5)) and pcapng
 * (draft-ietf-opsawg-pcapng). We parse both ourselves, see capture.h for why.
 * This file holds the capture object, its API and error messages; the
 * input buffer and gunzip are in gzip.c, the formats in pcap.c and
 * pcapng.c, filtering in bpf.c, merging in merge.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/capture_int.h"

void sift_cap_put_err(char *err, size_t errlen, const char *msg)
{
	if (err && errlen > 0)
		snprintf(err, errlen, "%s", msg);
}

enum sift_rc sift_cap_fail(struct sift_capture *c, enum sift_rc rc,
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
enum sift_rc sift_cap_fail_rd(struct sift_capture *c, enum sift_rc rc)
{
	return sift_cap_fail(c, rc, "%s", c->rd.err[0] ? c->rd.err : sift_rc_str(rc));
}

enum sift_rc sift_cap_damaged(struct sift_capture *c, uint64_t at,
			      const char *fmt, ...)
{
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return sift_cap_fail(c, SIFT_EFORMAT, "damaged pcapng block at byte %llu%s: %s",
			     ull(at), gz_note(c), what);
}

/* A clean end, unless the gzip stream itself was cut off. */
enum sift_rc sift_cap_end_of_file(struct sift_capture *c)
{
	if (c->rd.zcut)
		return sift_cap_fail(c, SIFT_ETRUNC,
				     "gzip data cut off after packet %llu",
				     ull(c->frame));
	c->state = SIFT_EOF;
	return SIFT_EOF;
}

enum sift_rc sift_cap_cut_in_packet(struct sift_capture *c, uint64_t at,
				    const char *unit, size_t have,
				    uint64_t want)
{
	return sift_cap_fail(c, SIFT_ETRUNC,
			     "cut off inside packet %llu (%s at byte %llu%s: %zu of %llu bytes present%s)",
			     ull(c->frame + 1), unit, ull(at), gz_note(c), have,
			     ull(want), cut_note(c));
}

enum sift_rc sift_cap_too_long(struct sift_capture *c, uint64_t at,
			       const char *unit, uint32_t caplen,
			       uint32_t snaplen)
{
	if (caplen > PKT_MAX)
		return sift_cap_fail(c, SIFT_EFORMAT,
				     "record length %u exceeds the %u-byte limit (packet %llu, %s at byte %llu%s)",
				     caplen, PKT_MAX, ull(c->frame + 1), unit, ull(at),
				     gz_note(c));
	return sift_cap_fail(c, SIFT_EFORMAT,
			     "record length %u exceeds the snapshot length %u (packet %llu, %s at byte %llu%s)",
			     caplen, snaplen, ull(c->frame + 1), unit, ull(at),
			     gz_note(c));
}

/* ---- capture API ------------------------------------------------------ */

/* Tells the format by its magic number and reads the file header. */
static enum sift_rc open_format(struct sift_capture *c)
{
	enum sift_rc rc;
	const uint8_t *p;
	struct sift_cur k;
	uint32_t magic;
	bool stopped = false;
	size_t have;

	rc = sift_rd_need(&c->rd, 4);
	if (rc != SIFT_OK)
		return sift_cap_fail_rd(c, rc);
	have = rd_avail(&c->rd);
	p = rd_cur(&c->rd);
	if (have == 0) {
		if (c->rd.zcut)
			return sift_cap_fail(c, SIFT_ETRUNC,
					     "gzip data cut off before any capture data");
		return sift_cap_fail(c, SIFT_EFORMAT, "empty file%s",
				     c->rd.gzip ? " (after gunzip)" : "");
	}
	if (have < 4) {
		static const uint8_t magics[5][4] = {
			{ 0xd4, 0xc3, 0xb2, 0xa1 }, { 0xa1, 0xb2, 0xc3, 0xd4 },
			{ 0x4d, 0x3c, 0xb2, 0xa1 }, { 0xa1, 0xb2, 0x3c, 0x4d },
			{ 0x0a, 0x0d, 0x0d, 0x0a },
		};
		size_t i;

		for (i = 0; i < 5; i++) {
			if (memcmp(p, magics[i], have) == 0)
				return sift_cap_fail(c, SIFT_ETRUNC,
						     "cut off in the file header (got %zu of %u bytes%s)",
						     have, i == 4 ? NG_SHB_MIN : PCAP_HDR_LEN,
						     cut_note(c));
		}
		return sift_cap_fail(c, SIFT_EFORMAT,
				     "not a pcap or pcapng file (only %zu bytes%s)",
				     have, c->rd.gzip ? " after gunzip" : "");
	}
	k = sift_cur_make(p, have);
	magic = sift_cur_le32(&k);
	switch (magic) {
	case 0xa1b2c3d4u: case 0xd4c3b2a1u: case 0xa1b23c4du: case 0x4d3cb2a1u:
		rc = sift_cap_pcap_open(c, magic);
		break;
	case NG_SHB:
		rc = sift_cap_ng_shb(c, true);
		/* Learn the interfaces that precede the first packet, so a
		 * filter set now is checked against the real link types. A
		 * problem found here is reported by the first
		 * sift_capture_next, like any damage after the header. */
		if (rc == SIFT_OK)
			(void)sift_cap_ng_read(c, NULL, true, &stopped);
		break;
	case 0xa1b2cd34u: case 0x34cdb2a1u:
		rc = sift_cap_fail(c, SIFT_EUNSUPPORTED,
				   "unsupported pcap variant (Kuznetzov's modified pcap)");
		break;
	default:
		rc = sift_cap_fail(c, SIFT_EFORMAT,
				   "not a pcap or pcapng file (%sstarts with %02x %02x %02x %02x)",
				   c->rd.gzip ? "gunzipped data " : "",
				   magic & 0xff, magic >> 8 & 0xff, magic >> 16 & 0xff,
				   magic >> 24);
		break;
	}
	return rc;
}

enum sift_rc sift_capture_open(const char *path, uint32_t file,
			       struct sift_capture **out, char *err,
			       size_t errlen)
{
	struct sift_capture *c = NULL;
	enum sift_rc rc;
	struct stat st;

	if (out)
		*out = NULL;
	if (!path || !out) {
		sift_cap_put_err(err, errlen, "no file given");
		return SIFT_EINVAL;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		sift_cap_put_err(err, errlen, "out of memory");
		return SIFT_ENOMEM;
	}
	c->file = file;
	c->info.linktype = -1;
	c->path = strdup(path);
	rc = sift_rd_init(&c->rd);
	if (!c->path || rc != SIFT_OK) {
		rc = sift_cap_fail(c, SIFT_ENOMEM, "out of memory");
		goto out;
	}
	c->info.path = c->path;
	if (strcmp(path, "-") == 0) {
		c->rd.fd = STDIN_FILENO;
	} else {
		c->rd.fd = open(path, O_RDONLY | O_CLOEXEC);
		if (c->rd.fd < 0) {
			if (errno == ENOENT)
				rc = sift_cap_fail(c, SIFT_ENOTFOUND, "no such file");
			else
				rc = sift_cap_fail(c, SIFT_EIO, "%s", strerror(errno));
			goto out;
		}
		c->rd.own_fd = true;
		/* open() succeeds on a directory; say so plainly rather
		 * than as a failed read. */
		if (fstat(c->rd.fd, &st) == 0 && S_ISDIR(st.st_mode)) {
			rc = sift_cap_fail(c, SIFT_EIO, "%s", strerror(EISDIR));
			goto out;
		}
	}
	rc = sift_rd_detect_gzip(&c->rd);
	if (rc != SIFT_OK) {
		rc = sift_cap_fail_rd(c, rc);
		goto out;
	}
	c->info.gzip = c->rd.gzip;
	sift_rd_map_start(&c->rd);
	rc = open_format(c);
out:
	if (rc != SIFT_OK) {
		sift_cap_put_err(err, errlen, c->err);
		sift_capture_close(c);
		return rc;
	}
	*out = c;
	return SIFT_OK;
}

const uint8_t *sift_capture_peek(const struct sift_capture *c, unsigned k,
				 size_t *caplen, int *linktype)
{
	if (c->state != SIFT_OK)
		return NULL;
	if (c->info.format == SIFT_FMT_PCAPNG)
		return sift_cap_ng_peek(c, k, caplen, linktype);
	*linktype = c->info.linktype;
	return sift_cap_pcap_peek(c, k, caplen);
}

void sift_capture_unmap(struct sift_capture *c)
{
	if (c)
		(void)sift_rd_unmap(&c->rd);
}

enum sift_rc sift_capture_next(struct sift_capture *c, struct sift_packet *pkt)
{
	enum sift_rc rc;
	bool keep;

	if (!c || !pkt)
		return SIFT_EINVAL;
	for (;;) {
		if (c->state != SIFT_OK)
			return c->state;
		pkt->comment = NULL;
		pkt->comment_len = 0;
		if (c->info.format == SIFT_FMT_PCAP)
			rc = sift_cap_pcap_read(c, pkt);
		else
			rc = sift_cap_ng_read(c, pkt, false, NULL);
		if (rc != SIFT_OK)
			return rc;
		/* The file was cut under its map: this packet's bytes
		 * may be the zeros laid over the lost pages. */
		if (rd_shrank(&c->rd))
			return sift_cap_fail(c, SIFT_EIO, "%s", SIFT_RD_SHRANK);
		/* Every packet in the file has a frame number, filtered
		 * or not, so numbers match Wireshark's. */
		c->frame++;
		c->prev_ts = pkt->where.ts;
		pkt->where.file = c->file;
		pkt->where.frame = c->frame;
		if (c->bpf) {
			rc = sift_cap_bpf_run(c, pkt, &keep);
			if (rc != SIFT_OK)
				return rc;
			if (!keep) {
				c->info.filtered++;
				continue;
			}
		}
		pkt->secrets = NULL;
		pkt->secrets_len = c->secrets_len - c->secrets_given;
		if (pkt->secrets_len)
			pkt->secrets = c->secrets + c->secrets_given;
		c->secrets_given = c->secrets_len;
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
	sift_cap_bpf_free(c);
	sift_rd_fini(&c->rd);
	free(c->ifs);
	free(c->secrets);
	free(c->path);
	free(c);
}
