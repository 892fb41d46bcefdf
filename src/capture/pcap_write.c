/* sipsift — classic pcap writer (microsecond timestamps, host byte order
 * magic, as libpcap writes it). */
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
};

static bool put32(FILE *f, uint32_t v)
{
	return fwrite(&v, 4, 1, f) == 1;
}

static bool put16(FILE *f, uint16_t v)
{
	return fwrite(&v, 2, 1, f) == 1;
}

enum sift_rc sift_pcap_writer_open(const char *path, int linktype,
				   struct sift_pcap_writer **out, char *err,
				   size_t errlen)
{
	struct sift_pcap_writer *w = calloc(1, sizeof(*w));
	enum sift_rc rc;

	*out = NULL;
	if (!w)
		return SIFT_ENOMEM;
	w->linktype = linktype;
	rc = sift_outfile_open(path, &w->of, err, errlen);
	if (rc != SIFT_OK) {
		free(w);
		return rc;
	}
	w->f = sift_outfile_stream(w->of);
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
