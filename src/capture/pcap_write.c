/* sipsift — classic pcap writer (microsecond timestamps, host byte order
 * magic, as libpcap writes it), and the pcapng blocks decrypt -w needs to
 * carry TLS secrets (host byte order, as the byte-order magic says). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/pcap_write.h"
#include "util/outfile.h"

#define SNAPLEN 262144

struct sift_pcap_writer {
	struct sift_outfile *of;   /* a temporary name until complete */
	FILE *f;
	int linktype;
	bool ng;                   /* pcapng blocks */
	uint64_t packets;          /* written */
};

#define NG_SHB 0x0a0d0d0au
#define NG_IDB 0x00000001u
#define NG_EPB 0x00000006u
#define NG_DSB 0x0000000au
#define NG_SECRETS_TLS 0x544c534bu   /* "TLSK": NSS key log text */
#define DSB_MAX (256u * 1024)        /* key log bytes in one block */

static bool put32(FILE *f, uint32_t v)
{
	return fwrite(&v, 4, 1, f) == 1;
}

static bool put16(FILE *f, uint16_t v)
{
	return fwrite(&v, 2, 1, f) == 1;
}

/* A writer of path, under a temporary name, before its header. */
static enum sift_rc writer_new(const char *path, int linktype, bool ng,
			       struct sift_pcap_writer **out, char *err,
			       size_t errlen)
{
	struct sift_pcap_writer *w = calloc(1, sizeof(*w));
	enum sift_rc rc;

	*out = NULL;
	if (!w)
		return SIFT_ENOMEM;
	w->linktype = linktype;
	w->ng = ng;
	rc = sift_outfile_open(path, &w->of, err, errlen);
	if (rc != SIFT_OK) {
		free(w);
		return rc;
	}
	w->f = sift_outfile_stream(w->of);
	*out = w;
	return SIFT_OK;
}

enum sift_rc sift_pcap_writer_open(const char *path, int linktype,
				   struct sift_pcap_writer **out, char *err,
				   size_t errlen)
{
	struct sift_pcap_writer *w;
	enum sift_rc rc = writer_new(path, linktype, false, &w, err, errlen);

	*out = NULL;
	if (rc != SIFT_OK)
		return rc;
	/* magic, version 2.4, thiszone, sigfigs, snaplen, network */
	if (!w->f ||
	    !put32(w->f, 0xa1b2c3d4) || !put16(w->f, 2) || !put16(w->f, 4) ||
	    !put32(w->f, 0) || !put32(w->f, 0) || !put32(w->f, SNAPLEN) ||
	    !put32(w->f, (uint32_t)linktype)) {
		snprintf(err, errlen, "cannot write: %s", strerror(errno));
		sift_pcap_writer_abort(w);
		return SIFT_EIO;
	}
	*out = w;
	return SIFT_OK;
}

static bool pad4(FILE *f, size_t n)
{
	static const uint8_t zero[4];
	size_t p = (4 - n % 4) % 4;

	return p == 0 || fwrite(zero, 1, p, f) == p;
}

enum sift_rc sift_pcap_writer_open_ng(const char *path, int linktype,
				      struct sift_pcap_writer **out, char *err,
				      size_t errlen)
{
	struct sift_pcap_writer *w;
	enum sift_rc rc = writer_new(path, linktype, true, &w, err, errlen);

	*out = NULL;
	if (rc != SIFT_OK)
		return rc;
	/* SHB: type, length 28, byte-order magic, version 1.0, section
	 * length unknown (-1), length; IDB: type, length 20, link type,
	 * reserved, snap length, length (no options: microseconds). */
	if (!w->f ||
	    !put32(w->f, NG_SHB) || !put32(w->f, 28) || !put32(w->f, 0x1a2b3c4d) ||
	    !put16(w->f, 1) || !put16(w->f, 0) || !put32(w->f, 0xffffffffu) ||
	    !put32(w->f, 0xffffffffu) || !put32(w->f, 28) ||
	    !put32(w->f, NG_IDB) || !put32(w->f, 20) ||
	    !put16(w->f, (uint16_t)linktype) || !put16(w->f, 0) ||
	    !put32(w->f, SNAPLEN) || !put32(w->f, 20)) {
		snprintf(err, errlen, "cannot write: %s", strerror(errno));
		sift_pcap_writer_abort(w);
		return SIFT_EIO;
	}
	*out = w;
	return SIFT_OK;
}

/* One DSB of at most DSB_MAX bytes of text. */
static enum sift_rc write_dsb(struct sift_pcap_writer *w, const char *text,
			      size_t len)
{
	uint32_t total = (uint32_t)(20 + len + (4 - len % 4) % 4);

	if (!put32(w->f, NG_DSB) || !put32(w->f, total) ||
	    !put32(w->f, NG_SECRETS_TLS) || !put32(w->f, (uint32_t)len) ||
	    fwrite(text, 1, len, w->f) != len || !pad4(w->f, len) ||
	    !put32(w->f, total))
		return SIFT_EIO;
	return SIFT_OK;
}

enum sift_rc sift_pcap_write_tls_keylog(struct sift_pcap_writer *w,
					const char *text, size_t len)
{
	if (!w->ng)
		return SIFT_EINVAL;
	/* Blocks a reader holds whole (ours: capture_int.h BLOCK_MAX), cut
	 * after a line. */
	while (len > 0) {
		size_t n = len;
		enum sift_rc rc;

		if (n > DSB_MAX) {
			n = DSB_MAX;
			while (n > 0 && text[n - 1] != '\n')
				n--;
			if (n == 0)
				n = DSB_MAX;
		}
		rc = write_dsb(w, text, n);
		if (rc != SIFT_OK)
			return rc;
		text += n;
		len -= n;
	}
	return SIFT_OK;
}

enum sift_rc sift_pcap_writer_open_decrypted(const char *path, int linktype,
					     const char *keylog, size_t klen,
					     bool secrets_ahead,
					     struct sift_pcap_writer **out,
					     char *err, size_t errlen)
{
	size_t plen = strlen(path);
	bool ng = klen > 0 || secrets_ahead ||
		  (plen >= 7 && strcmp(path + plen - 7, ".pcapng") == 0);
	enum sift_rc rc = ng ?
		sift_pcap_writer_open_ng(path, linktype, out, err, errlen) :
		sift_pcap_writer_open(path, linktype, out, err, errlen);

	if (rc != SIFT_OK || klen == 0)
		return rc;
	if (sift_pcap_write_tls_keylog(*out, keylog, klen) != SIFT_OK) {
		snprintf(err, errlen, "cannot write: %s", strerror(errno));
		sift_pcap_writer_abort(*out);
		*out = NULL;
		return SIFT_EIO;
	}
	return SIFT_OK;
}

static enum sift_rc write_epb(struct sift_pcap_writer *w, int64_t sec,
			      int64_t usec, const uint8_t *data,
			      uint32_t caplen, uint32_t len)
{
	uint64_t t = (uint64_t)sec * 1000000u + (uint64_t)usec;
	uint32_t total = 32 + caplen + (4 - caplen % 4) % 4;

	if (!put32(w->f, NG_EPB) || !put32(w->f, total) || !put32(w->f, 0) ||
	    !put32(w->f, (uint32_t)(t >> 32)) || !put32(w->f, (uint32_t)t) ||
	    !put32(w->f, caplen) || !put32(w->f, len < caplen ? caplen : len) ||
	    fwrite(data, 1, caplen, w->f) != caplen || !pad4(w->f, caplen) ||
	    !put32(w->f, total))
		return SIFT_EIO;
	return SIFT_OK;
}

enum sift_rc sift_pcap_write(struct sift_pcap_writer *w, sift_time ts,
			     const uint8_t *data, uint32_t caplen,
			     uint32_t len)
{
	int64_t sec = ts / SIFT_USEC, usec = ts % SIFT_USEC;

	if (usec < 0) {
		usec += SIFT_USEC;
		sec--;
	}
	if (caplen > SNAPLEN)
		caplen = SNAPLEN;
	w->packets++;
	if (w->ng)
		return write_epb(w, sec, usec, data, caplen, len);
	if (!put32(w->f, (uint32_t)sec) || !put32(w->f, (uint32_t)usec) ||
	    !put32(w->f, caplen) || !put32(w->f, len < caplen ? caplen : len) ||
	    fwrite(data, 1, caplen, w->f) != caplen)
		return SIFT_EIO;
	return SIFT_OK;
}

int sift_pcap_writer_linktype(const struct sift_pcap_writer *w)
{
	return w->linktype;
}

uint64_t sift_pcap_writer_packets(const struct sift_pcap_writer *w)
{
	return w ? w->packets : 0;
}

enum sift_rc sift_pcap_writer_close(struct sift_pcap_writer *w, char *err,
				    size_t errlen)
{
	enum sift_rc rc;

	if (!w)
		return SIFT_OK;
	rc = sift_outfile_commit(w->of, err, errlen);
	free(w);
	return rc;
}

void sift_pcap_writer_abort(struct sift_pcap_writer *w)
{
	if (!w)
		return;
	sift_outfile_abort(w->of);
	free(w);
}
