/* bench_pcap_loop — the floor for `make bench`: a plain libpcap read loop.
 *
 *   bench_pcap_loop FILE
 *
 * Opens FILE with pcap_open_offline, calls pcap_next_ex until the end,
 * counts packets and captured bytes (and touches each packet's first and
 * last byte so the data is really read), and prints
 *
 *   packets=N bytes=N seconds=S
 *
 * where seconds is the loop alone (monotonic clock), without process
 * start-up.  Exit status 0, or 1 on any libpcap error.
 */
#define _DEFAULT_SOURCE /* u_char and friends in <pcap/pcap.h> */
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <time.h>

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	uint64_t packets = 0, bytes = 0;
	unsigned sink = 0;
	struct timespec t0, t1;
	pcap_t *p;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: bench_pcap_loop FILE\n");
		return 2;
	}
	p = pcap_open_offline(argv[1], err);
	if (!p) {
		fprintf(stderr, "bench_pcap_loop: %s\n", err);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while ((rc = pcap_next_ex(p, &h, &d)) == 1) {
		packets++;
		bytes += h->caplen;
		if (h->caplen)
			sink += d[0] ^ d[h->caplen - 1];
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc == PCAP_ERROR) {
		fprintf(stderr, "bench_pcap_loop: %s\n", pcap_geterr(p));
		pcap_close(p);
		return 1;
	}
	pcap_close(p);
	printf("packets=%" PRIu64 " bytes=%" PRIu64 " seconds=%.6f sink=%u\n",
	       packets, bytes,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	       sink & 1);
	return 0;
}
