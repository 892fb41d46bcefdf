/* sipsift — keys before media, on demand: when an SRTP packet finds no
 * key that decrypts it (early media; a 200 OK over TCP that the capture
 * holds after the first RTP), the signalling of the capture from that
 * packet's time on is read in a pass of its own, so that every SRTP
 * packet whose key is anywhere in the capture decrypts. The pass runs
 * once a run, and only then: a capture whose SRTP always follows its key
 * (and one without SRTP) is read once.
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
#include "pipeline_int.h"

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

static enum sift_rc scan_keys(struct sift_pipeline *pl, sift_time from)
{
	struct sift_pipeline_opts so;
	struct sift_pipeline *scan = NULL;
	struct sift_merge *m = NULL;
	enum sift_rc rc = SIFT_OK;

	/* Only what finds SIP: no outputs, no --key, no audio, no heuristic. */
	memset(&so, 0, sizeof(so));
	so.call_id = pl->o.call_id;
	memcpy(so.sip_ports, pl->o.sip_ports, sizeof(so.sip_ports));
	so.n_sip_ports = pl->o.n_sip_ports;
	so.no_rtp_heuristic = true;
	so.tls_keys = sift_pipeline_tls_keys(pl);
	so.keyscan = true;
	so.keys_from = from;
	scan = sift_pipeline_new(&so);
	m = sift_merge_new();
	if (!scan || !m) {
		rc = SIFT_ENOMEM;
		goto out;
	}
	/* The real pass says what is wrong with an input; memory that runs
	 * out here is said as the run's (an input left out of this pass
	 * lost its keys without a word: auth failures instead of audio). */
	for (size_t i = 0; i < pl->key_npaths; i++) {
		struct sift_capture *c;
		char err[256];

		rc = sift_capture_open(pl->key_paths[i], (uint32_t)i, &c, err,
				       sizeof(err));
		if (rc == SIFT_ENOMEM)
			goto out;
		if (rc != SIFT_OK)
			continue;
		if (pl->key_filter)
			rc = sift_capture_set_filter(c, pl->key_filter, err,
						     sizeof(err));
		if (rc == SIFT_OK)
			rc = sift_merge_add(m, c);
		if (rc != SIFT_OK) {
			sift_capture_close(c);
			if (rc == SIFT_ENOMEM)
				goto out;
		}
	}
	rc = SIFT_OK;
	for (;;) {
		struct sift_packet pkt;
		struct sift_capture *from_cap;
		enum sift_rc r = sift_merge_next(m, &pkt, &from_cap);

		if (r == SIFT_EOF)
			break;
		if (r == SIFT_ENOMEM) {
			rc = r;
			goto out;
		}
		if (r != SIFT_OK)
			continue;
		if (sift_pipeline_packet(scan, &pkt) == SIFT_ENOMEM) {
			rc = SIFT_ENOMEM;
			goto out;
		}
	}
	sift_pipeline_finish(scan);
	if (sift_pipeline_oom(scan)) {
		rc = SIFT_ENOMEM;
		goto out;
	}
	sift_pipeline_take_keys(pl, scan);
out:
	sift_merge_free(m);
	sift_pipeline_free(scan);
	return rc;
}

/* Media asks (sift_media_set_key_source). Out of memory in the pass is
 * out of memory in the packet that asked. */
static void keys_wanted(void *ctx, sift_time from)
{
	struct sift_pipeline *pl = ctx;

	if (scan_keys(pl, from) == SIFT_ENOMEM)
		pl->oom = true;
}

void sift_pipeline_keys_on_demand(struct sift_pipeline *pl,
				  const char *const *paths, size_t n,
				  const char *filter)
{
	if (!all_seekable(paths, n))
		return;
	pl->key_paths = paths;
	pl->key_npaths = n;
	pl->key_filter = filter;
	sift_media_set_key_source(pl->media, keys_wanted, pl);
}

void sift_pipeline_take_keys(struct sift_pipeline *pl,
			     struct sift_pipeline *scan)
{
	sift_media_book_take(pl->media, scan->media);
}
