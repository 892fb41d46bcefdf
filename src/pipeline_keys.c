/* sipsift — keys before media: a first pass over seekable inputs that
 * reads only their signalling, so that every SRTP packet whose key is
 * anywhere in the capture decrypts, also one sent before the SDP that
 * carries its key (early media; a 200 OK over TCP that the capture holds
 * after the first RTP).
 *
 * The pass runs a pipeline of its own in key-scan mode (pipeline.c): it
 * decodes link, IP (with reassembly), UDP, TCP (with reassembly), SCTP
 * and TLS as the real pass does, sends every datagram that cannot start a
 * SIP message on its way after one byte, and parses only the messages
 * that hold "a=crypto:". Their keys go into the media book
 * (media/media_book.c), which the real pipeline takes. A non-seekable
 * input (standard input, a pipe) cannot be read twice: then no pass runs,
 * and keys count from their SDP on (a packet before is tried again, for
 * the statistics, when its key comes: media_srtp.c). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pipeline.h"

/* Every input a regular file: each can be read twice. */
static bool all_seekable(const char *const *paths, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct stat st;

		if (strcmp(paths[i], "-") == 0 || stat(paths[i], &st) != 0 ||
		    !S_ISREG(st.st_mode))
			return false;
	}
	return n > 0;
}

enum sift_rc sift_pipeline_prescan(struct sift_pipeline *pl,
				   const struct sift_pipeline_opts *o,
				   const char *const *paths, size_t n,
				   const char *filter)
{
	struct sift_pipeline_opts so;
	struct sift_pipeline *scan = NULL;
	struct sift_merge *m = NULL;
	enum sift_rc rc = SIFT_OK;

	if (!all_seekable(paths, n))
		goto out;
	/* Only what finds SIP: no outputs, no --key, no audio, no heuristic. */
	memset(&so, 0, sizeof(so));
	so.call_id = o->call_id;
	memcpy(so.sip_ports, o->sip_ports, sizeof(so.sip_ports));
	so.n_sip_ports = o->n_sip_ports;
	so.no_rtp_heuristic = true;
	so.tls_keys = sift_pipeline_tls_keys(pl);
	so.keyscan = true;
	scan = sift_pipeline_new(&so);
	m = sift_merge_new();
	if (!scan || !m) {
		rc = SIFT_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct sift_capture *c;
		char err[256];

		/* The real pass says what is wrong with an input. */
		if (sift_capture_open(paths[i], (uint32_t)i, &c, err,
				      sizeof(err)) != SIFT_OK)
			continue;
		if ((filter && sift_capture_set_filter(c, filter, err,
						       sizeof(err)) != SIFT_OK) ||
		    sift_merge_add(m, c) != SIFT_OK)
			sift_capture_close(c);
	}
	for (;;) {
		struct sift_packet pkt;
		struct sift_capture *from;
		enum sift_rc r = sift_merge_next(m, &pkt, &from);

		if (r == SIFT_EOF)
			break;
		if (r != SIFT_OK)
			continue;
		if (sift_pipeline_packet(scan, &pkt) == SIFT_ENOMEM) {
			rc = SIFT_ENOMEM;
			goto out;
		}
	}
	sift_pipeline_finish(scan);
	sift_pipeline_take_keys(pl, scan);
out:
	sift_merge_free(m);
	sift_pipeline_free(scan);
	return rc;
}
