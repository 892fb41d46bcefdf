/* sipsift — reading ahead on a second core (-j 2): a thread takes the
 * packets of the merged inputs, copies them into a ring, and parses the SIP
 * message of each whole UDP datagram that holds one, while the pipeline
 * handles the packets before it. The packets come out as sift_merge_next
 * gives them, in the same order, with the same errors, so that the report
 * is the one a single core writes. */
#ifndef SIPSIFT_PREFETCH_H
#define SIPSIFT_PREFETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/capture.h"

struct sift_prefetch;
struct sift_sip_msg;
struct sift_syn;

/* What came with a packet besides itself. */
struct sift_prefetched {
	/* sift_capture_error(from) as it was when the error came (rc not
	 * SIFT_OK), else "". */
	const char *error;
	/* The SIP message in the packet's UDP datagram, parsed ahead (the
	 * caller owns it: sift_pipeline_preparsed), or NULL; msg_p and msg_n
	 * are the bytes it was parsed from, inside the packet's data. */
	struct sift_sip_msg *msg;
	const uint8_t *msg_p;
	size_t msg_n;
	/* What lint's syntax rules find in msg (sift_lint_syntax_check), made
	 * ahead too; NULL without msg. */
	const struct sift_syn *syn;
	/* sift_merge_unchecked when the packet was read. */
	uint64_t unchecked;
};

/* How far ahead of the taker the reader must be to parse: closer, the
 * taker parses for itself. Parsing is most of a SIP capture's work, and
 * so the two share it, whichever is slower doing less. */
#define SIFT_PREFETCH_AHEAD 64u

/* Starts reading m on a thread of its own, parsing while it is ahead
 * slots or more ahead (SIFT_PREFETCH_AHEAD; 0: every message), and
 * checking lint's syntax rules on what it parsed when syntax is set
 * (not when no rule runs: the pipeline would not read it). Until
 * sift_prefetch_stop, m and its captures are the thread's: nothing else
 * may read them. NULL when the thread or memory could not be had (read m
 * directly then). */
struct sift_prefetch *sift_prefetch_start(struct sift_merge *m, unsigned ahead,
					   bool syntax);
/* The next packet, error or SIFT_EOF, as sift_merge_next(m, pkt, from)
 * would give it; pkt's bytes and *x stay valid until the next call. */
enum sift_rc sift_prefetch_next(struct sift_prefetch *pf,
				struct sift_packet *pkt,
				struct sift_capture **from,
				struct sift_prefetched *x);
/* Hints pl (sift_pipeline_hint) about the packet after the one that
 * comes next: from pf's ring when the reader has filled its slot, or,
 * when pf is NULL, from m's reading buffer (sift_merge_peek). */
struct sift_pipeline;
void sift_prefetch_hint(const struct sift_prefetch *pf,
			const struct sift_merge *m, struct sift_pipeline *pl);

/* Whether every path is a regular file (a gzip one too): the reader may
 * be read from. A pipe or a FIFO (stdin from tcpdump) is not: a reader
 * blocked on it would hold up the end of a run that stops early (its
 * output gone), waiting for packets that may never come. */
bool sift_prefetch_files(char *const *paths, int n);

/* Whether a second thread pays on m's inputs (-j's default, on two
 * cores): only when lint's syntax rules run (syntax), which the reader
 * checks ahead with the parse, and a quarter or more of the first
 * packets in the reading buffers are SIP over UDP. Measured on sipp's
 * captures since the mapped input (src/capture/rdmap.c) and the plain
 * parser: -j 2 made lint, analyze and JSON of 50,000 SIP calls over UDP
 * 9 to 17 % faster, but every mode of 4,000 calls with media 3 to 5 %
 * slower, every calls table (no rule runs) 3 to 12 % slower, and SIP
 * over TCP gained 2 to 4 % at most. Looks at no more than SAMPLE packets
 * of each input; none seen (a pcapng that starts with other blocks):
 * true, as before. */
bool sift_prefetch_pays(const struct sift_merge *m, bool syntax);

/* The cores this process may run on (its CPU affinity: taskset, a
 * container's cpuset), at least 1: -j's default is 2 when there are two. */
unsigned sift_cores(void);

/* Stops the thread (it may be ahead: what it read and nobody took is
 * dropped) and frees pf; m is the caller's again. NULL is a no-op. */
void sift_prefetch_stop(struct sift_prefetch *pf);

#endif
