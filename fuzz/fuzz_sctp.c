/* libFuzzer target for the SCTP chunk walk and DATA chunk reassembly
 * (src/net/sctp_reasm.c).
 *
 * Input: records of a 2-byte big-endian length n and n bytes; each record
 * is the chunk area of one SCTP packet (what follows the common header),
 * all between the same two addresses, one second apart.
 *
 * Invariants checked (abort() on violation): every message handed out lies
 * inside the packet or is the reassembler's own (ASan checks the reads), is
 * at most the SIP message cap, and a packet of n bytes gives at most n / 16
 * whole messages plus one per reassembled one. */
#include <stdint.h>
#include <string.h>

#include "fuzz_check.h"
#include "net/sctp_reasm.h"
#include "sip/sip_frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct sift_addr src = { 4, { 10, 0, 0, 1 }, 5060 };
	static const struct sift_addr dst = { 4, { 10, 0, 0, 2 }, 5060 };
	struct sift_sctp_reasm *r = sift_sctp_reasm_new();
	struct sift_cur k = sift_cur_make(data, size);
	sift_time ts = 0;

	if (!r)
		return 0;
	while (sift_cur_has(&k, 2)) {
		size_t n = sift_cur_be16(&k), msgs = 0;
		struct sift_sctp_chunks it;
		const uint8_t *pkt, *msg;
		volatile uint8_t sink = 0;
		size_t len;

		if (n > sift_cur_left(&k))
			n = sift_cur_left(&k);
		pkt = sift_cur_bytes(&k, n);
		sift_sctp_chunks_start(&it, r, &src, &dst, pkt, n, ts);
		while (sift_sctp_next_message(&it, &msg, &len)) {
			check(len <= SIFT_SIP_MAX_MESSAGE);
			check(msg != NULL);
			/* Touch every byte so ASan sees a bad pointer. */
			for (size_t i = 0; i < len; i++)
				sink ^= msg[i];
			msgs++;
			check(msgs <= n / 16 + 1);
		}
		(void)sink;
		ts += SIFT_USEC;
	}
	sift_sctp_reasm_free(r);
	return 0;
}
