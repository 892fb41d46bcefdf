/* libFuzzer target: the plain-message path of sip_msg.c (sip_fast.c)
 * against libosip2, on arbitrary bytes.
 *
 * Each input is parsed twice: by sift_sip_parse, which reads a plain
 * message itself and gives the rest to libosip2, and by
 * sift_sip_parse_osip, libosip2 alone. Invariants checked (abort() on
 * violation): both give the same result code and the same error; when a
 * message comes out, every field of the two is the same
 * (sift_sip_msg_differ), and lint's syntax rules find the same in both
 * (they skip what the plain path's grammar proves, sip_msg.h's plain).
 * So the fast path never takes a message libosip2 rejects, nor reads one
 * differently, nor hides a finding.
 *
 * Seeds (fuzz/corpus/fuzz_sip_fast): the SIP messages of the captures in
 * testdata/ and the RFC 4475 torture messages (fuzz/mkseeds_sip.py). */
#include <stdint.h>
#include <stdio.h>

#include "lint/lint_syntax.h"
#include "sip/sip_fast.h"
#include "sip/sip_msg.h"

#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sift_sip_msg *a = NULL, *b = NULL;
	enum sift_sip_err ea = SIFT_SIPE_NONE, eb = SIFT_SIPE_NONE;
	enum sift_rc ra, rb;
	bool fast;
	const char *d = NULL;

	sift_sip_init();
	ra = sift_sip_parse(data, size, &a, &ea);
	fast = sift_sip_parse_was_fast();
	rb = sift_sip_parse_osip(data, size, &b, &eb);
	if (ra != rb || ea != eb || !a != !b || (a && (d = sift_sip_msg_differ(a, b)))) {
		fprintf(stderr, "fast path %s: rc %d/%d, error %d/%d, field %s\n",
			fast ? "taken" : "not taken", (int)ra, (int)rb, (int)ea,
			(int)eb, d ? d : "-");
		abort();
	}
	if (a) {
		static struct sift_syn fa, fb;

		sift_lint_syntax_check(a, &fa);
		sift_lint_syntax_check(b, &fb);
		if (!sift_syn_same(&fa, &fb)) {
			fprintf(stderr, "lint's syntax findings differ (plain %d)\n",
				(int)a->plain);
			abort();
		}
	}
	/* ENOMEM is the only other answer, and only when out of memory. */
	check(ra == SIFT_OK || ra == SIFT_EINVAL);
	sift_sip_msg_free(a);
	sift_sip_msg_free(b);
	return 0;
}
