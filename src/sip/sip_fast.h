/* sipsift — the plain SIP message read without libosip2.
 *
 * libosip2 took 40 to 55 % of a SIP-only run (issue #17), most of it on
 * messages as plain as a message gets: CRLF line ends, no folding, one
 * value a line, URIs of letters, digits and a few marks. sip_fast.c reads
 * only those: what it takes, libosip2 would parse to the same fields (held
 * to it by tests/unit/test_sip_fast.c and fuzz/fuzz_sip_fast.c); anything
 * else, even a case it could read, goes to libosip2 as before.
 *
 * Spans point into the message; a span whose p is NULL is absent. */
#ifndef SIPSIFT_SIP_FAST_H
#define SIPSIFT_SIP_FAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/span.h"

struct sift_sip_fast {
	bool request;
	struct sift_span method;        /* requests */
	struct sift_span ruri;
	int status;                     /* responses: 100-699 */
	struct sift_span reason;        /* may be empty, never absent */
	struct sift_span call_id;
	uint32_t cseq;
	struct sift_span cseq_method;
	struct sift_span from, from_tag, to, to_tag;
	struct sift_span contact;       /* the first Contact's URI */
	/* The topmost Via. A parameter without a value has a value span
	 * with p set and n 0 (seen) or p NULL (absent). */
	struct sift_span via_tp, via_host, via_port;
	bool via_branch_seen;
	struct sift_span via_branch;
	bool via_rport;
	struct sift_span via_rport_value;
	bool via_received_seen;
	struct sift_span via_received;
	bool via_alias;
	unsigned via_count;
	struct sift_span max_forwards;  /* the first one's value */
	struct sift_span ctype, csubtype;
};

/* The start line (as the header walk gives it, without its CRLF). */
bool sift_sip_fast_start(struct sift_span line, struct sift_sip_fast *f);

/* The header lines h[0..nh) of the message p[0..n), its empty line ending
 * at hend, after sift_sip_fast_start on its start line: true when every
 * line is one libosip2 reads the way this does, f filled. */
bool sift_sip_fast_headers(const uint8_t *p, size_t n, size_t hend,
			   struct sift_span start, const struct sift_hdr *h,
			   size_t nh, struct sift_sip_fast *f);

/* The byte classes sip_fast.c reads with (a bit a set, as its comment
 * lists them): for the test that holds the table to the sets. */
uint8_t sift_sip_fast_class(uint8_t c);

struct sift_sip_msg;

/* The first field in which two parses of one message differ (its name),
 * NULL when they agree: tests and fuzz_sip_fast hold the plain path to
 * libosip2's with it. */
const char *sift_sip_msg_differ(const struct sift_sip_msg *a,
				const struct sift_sip_msg *b);

#endif
