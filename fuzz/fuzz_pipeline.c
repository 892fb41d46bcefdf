/* libFuzzer target: arbitrary packets through the whole pipeline (link
 * layer, IP, fragments, TCP, SIP framing and parsing, grouping) and every
 * report writer: JSON, NDJSON, text, calls, flow (as piped and at a
 * terminal's width), DTMF, lint, JUnit XML and HTML.
 *
 * Input: one byte of link type index (bit 7: --inband; bit 6: write the
 * decrypted capture, as decrypt -w: SDP rewritten, SRTP made plain,
 * fragments held until their datagram is whole), then records of
 *   [2 bytes big-endian length][1 byte time step in ms][length bytes]
 * each fed as one packet. fuzz/mkseeds.py turns captures into seeds. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "capture/capture.h"
#include "capture/pcap_write.h"
#include "pipeline.h"
#include "report/report_html.h"
#include "sipsift/report.h"

static const int linktypes[] = {
	SIFT_LINK_ETHERNET, SIFT_LINK_LINUX_SLL, SIFT_LINK_LINUX_SLL2,
	SIFT_LINK_RAW, SIFT_LINK_NULL, SIFT_LINK_LOOP, SIFT_LINK_IPV4,
	SIFT_LINK_IPV6, 9 /* PPP */, 147 /* unsupported */
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The directory of the written captures, removed at exit. */
static char outdir[] = "/tmp/fuzz_pipeline.XXXXXX";

static void rm_outdir(void)
{
	rmdir(outdir);
}

static int link_of(uint8_t b)
{
	return linktypes[(b & 0x3f) % (sizeof(linktypes) / sizeof(linktypes[0]))];
}

/* The bytes of the record at off and its length, in *len (moved past
 * it in *off); NULL at the end. */
static const uint8_t *record(const uint8_t *data, size_t size, size_t *off,
			     size_t *len)
{
	size_t at = *off;

	if (size - at < 3)
		return NULL;
	*len = (size_t)data[at] << 8 | data[at + 1];
	at += 3;
	if (*len > size - at)
		*len = size - at;
	*off = at + *len;
	return data + at;
}

/* The packets of one input, as the real pass and the key pass read them,
 * each after the hint main gives before it (the packet after the next). */
static void feed(struct sift_pipeline *pl, const uint8_t *data, size_t size)
{
	struct sift_packet pkt = { 0 };
	sift_time ts = 1700000000LL * SIFT_USEC;
	size_t off = 1;

	sift_pipeline_input(pl, "fuzz");
	pkt.linktype = link_of(data[0]);
	while (size - off >= 3) {
		size_t len = (size_t)data[off] << 8 | data[off + 1];
		size_t ahead = off, hlen = 0;
		const uint8_t *h;

		ts += (sift_time)data[off + 2] * 1000;
		(void)record(data, size, &ahead, &hlen);     /* this one */
		(void)record(data, size, &ahead, &hlen);     /* the next */
		h = record(data, size, &ahead, &hlen);
		sift_pipeline_hint(pl, pkt.linktype, h, hlen);
		off += 3;
		if (len > size - off)
			len = size - off;
		pkt.data = data + off;
		pkt.caplen = (uint32_t)len;
		pkt.len = (uint32_t)len;
		pkt.where.frame++;
		pkt.where.ts = ts;
		sift_pipeline_packet(pl, &pkt);
		off += len;
	}
	sift_pipeline_finish(pl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sift_pipeline *pl, *scan;
	struct sift_pipeline_opts opts = { 0 }, kopts = { 0 };
	struct sift_pcap_writer *out = NULL;
	FILE *null;

	if (size < 1)
		return 0;
	/* Bit 7 of the first byte: listen for in-band DTMF too (--inband),
	 * which decodes every stream's audio. */
	opts.inband = (data[0] & 0x80) != 0;
	pl = sift_pipeline_new(&opts);
	if (!pl)
		return 0;
	/* Keys before media (pipeline_keys.c): a key pass over the same
	 * packets hands its a=crypto keys to the real pass. */
	kopts.keyscan = true;
	kopts.no_rtp_heuristic = true;
	scan = sift_pipeline_new(&kopts);
	if (scan) {
		feed(scan, data, size);
		sift_pipeline_take_keys(pl, scan);
		sift_pipeline_free(scan);
	}
	/* The output goes to a file in a directory of this process's own,
	 * removed (aborted) after each input. */
	if (data[0] & 0x40) {
		static bool made;
		char path[64], err[256];

		if (!made && mkdtemp(outdir)) {
			made = true;
			atexit(rm_outdir);
		}
		snprintf(path, sizeof(path), "%s/out.pcap", outdir);
		if (made && sift_pcap_writer_open_decrypted(path, link_of(data[0]), NULL, 0,
							    false, &out, err,
							    sizeof(err)) == SIFT_OK)
			sift_pipeline_set_output(pl, out);
	}
	feed(pl, data, size);
	if (out) {
		sift_pipeline_set_output(pl, NULL);
		sift_pcap_writer_abort(out);
	}
	null = fopen("/dev/null", "w");
	if (null) {
		const struct sift_report *r = sift_pipeline_report(pl);
		/* The flow's columns as a terminal of 1 to 256 columns would
		 * give them, its time mode too, from the input. */
		struct sift_text_opts piped = { SIFT_TIME_ABS, false, 0 };
		struct sift_text_opts tty = {
			(enum sift_time_mode)(data[size - 1] % 3), true,
			1u + data[size / 2]
		};

		sift_report_json(r, null, false);
		sift_report_json(r, null, true);
		sift_report_text(r, null);
		sift_report_calls(r, null, false, &piped);
		sift_report_calls(r, null, true, &tty);
		sift_report_flow(r, null, &piped);
		sift_report_flow(r, null, &tty);
		sift_report_dtmf(r, null, &tty);
		sift_report_lint(r, null, false, &piped);
		sift_report_lint(r, null, true, &tty);
		sift_report_junit(r, null, data[0] % 3);
		sift_report_html(r, null, NULL);
		fclose(null);
	}
	sift_pipeline_free(pl);
	return 0;
}
