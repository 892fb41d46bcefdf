/* libFuzzer target for decrypt -w's packet rewrite (src/net/net.c,
 * sift_net_rewrite_udp): a UDP datagram decoded from a frame, or
 * reassembled from IP fragments, written again with another payload.
 *
 * The input is a link type selector byte (Ethernet, raw IP, Linux SLL2)
 * and then frames, each a 2-byte big-endian length and its bytes (16 at
 * most), decoded in turn by one decoder (so that fragments reassemble).
 * For each UDP datagram, the rewrite runs with a payload derived from the
 * input into a buffer of decrypt's room and into one too short by a byte.
 * Invariants (abort() on violation, AddressSanitizer on any read or write
 * out of bounds): a result fits its room; a fresh decoder reads it as one
 * unfragmented UDP datagram with the same addresses and ports and exactly
 * the new payload; the too-short room is refused, never cut. Every frame
 * is also decoded by a second decoder through sift_net_decode_walk, the
 * walk of every layer without decode's shortcut for plain
 * Ethernet/IPv4/UDP frames: both give the same datagram and counters.
 * The first decodes through sift_net_decode_memo, given the hint's
 * decode of the frame (sift_net_plain_make), and every other frame has
 * a byte changed after that decode was made: it must not be taken. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "net/net.h"

#include "fuzz_check.h"

#define ROOM (65536 + 256)
#define MAX_FRAMES 16

static void rewrite_one(int lt, const uint8_t *frame, size_t caplen,
			const struct sift_l4 *l4, const uint8_t *data,
			size_t size)
{
	static uint8_t out[ROOM];
	uint8_t payload[600];
	size_t plen = (size + l4->len) % sizeof(payload), n = 0;
	struct sift_net *fresh;
	struct sift_l4 o;

	for (size_t i = 0; i < plen; i++)
		payload[i] = data[i % size] ^ (uint8_t)i;
	if (sift_net_rewrite_udp(frame, caplen, l4, payload, plen, out, sizeof(out),
				 &n) != SIFT_OK)
		return;
	check(n <= sizeof(out));
	{
		size_t m = 0;

		check(sift_net_rewrite_udp(frame, caplen, l4, payload, plen, out,
					   n - 1, &m) == SIFT_EINVAL);
		/* The refused call may have written its room: build again. */
		check(sift_net_rewrite_udp(frame, caplen, l4, payload, plen, out,
					   sizeof(out), &m) == SIFT_OK && m == n);
	}
	fresh = sift_net_new(NULL);
	if (!fresh)
		return;
	/* A payload to a VXLAN port may itself read as a tunnel. */
	if (l4->dst.port == 4789 || l4->dst.port == 8472) {
		sift_net_free(fresh);
		return;
	}
	if (sift_net_decode(fresh, lt, out, n, 0, &o) == SIFT_OK &&
	    o.proto == SIFT_IPPROTO_UDP) {
		check(!o.reassembled && !o.cut);
		check(sift_addr_eq(&o.src, &l4->src) && sift_addr_eq(&o.dst, &l4->dst));
		check(o.len == plen);
		check(plen == 0 || memcmp(o.data, payload, plen) == 0);
	} else {
		/* A tunnel or an unread link layer is never rewritten, so the
		 * output must decode as the input did. */
		check(0);
	}
	sift_net_free(fresh);
}

/* Decode's answer and its counters against the walk's. A reassembled
 * datagram lies in each decoder's own buffer: the same bytes there. */
static void same_decode(const struct sift_net *n, const struct sift_l4 *a,
			const struct sift_net *m, const struct sift_l4 *b)
{
	check(a->proto == b->proto && a->cut == b->cut &&
	      a->reassembled == b->reassembled && a->len == b->len &&
	      a->depth == b->depth && a->tcp_seq == b->tcp_seq &&
	      a->tcp_flags == b->tcp_flags && !a->ip == !b->ip);
	if (a->reassembled)
		check(a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
	else
		check(a->data == b->data && a->ip == b->ip);
	check(memcmp(&a->src, &b->src, sizeof(a->src)) == 0 &&
	      memcmp(&a->dst, &b->dst, sizeof(a->dst)) == 0);
	check(memcmp(sift_net_stats(n), sift_net_stats(m),
		     sizeof(struct sift_net_stats)) == 0);
	check(sift_net_frag_key(n) == sift_net_frag_key(m));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int lts[] = { SIFT_LINK_ETHERNET, SIFT_LINK_RAW,
				   SIFT_LINK_LINUX_SLL2 };
	struct sift_net *n, *walk;
	size_t off = 1;
	int lt;

	if (size < 1)
		return 0;
	lt = lts[data[0] % 3];
	n = sift_net_new(NULL);
	walk = sift_net_new(NULL);
	if (!n || !walk) {
		sift_net_free(n);
		sift_net_free(walk);
		return 0;
	}
	for (int f = 0; f < MAX_FRAMES && off + 2 <= size; f++) {
		size_t len = (size_t)data[off] << 8 | data[off + 1];
		struct sift_l4 l4, w;
		struct sift_net_plain m;
		enum sift_rc rc;
		uint8_t *frame;

		off += 2;
		if (len > size - off)
			len = size - off;
		/* An exact copy: a read past the frame is caught. */
		frame = malloc(len ? len : 1);
		if (!frame)
			break;
		memcpy(frame, data + off, len);
		off += len;
		/* Through the hint's decode made from the frame: on every
		 * other frame a byte changes after it was made, as a reader's
		 * buffer may hold another frame at the same place. */
		sift_net_plain_make(&m, lt, frame, len);
		if ((f & 1) && len)
			frame[data[off % size] % len] ^= (uint8_t)(data[(off + 1) % size] | 1);
		rc = sift_net_decode_memo(n, lt, frame, len, (sift_time)f, &m, &l4);
		check(sift_net_decode_walk(walk, lt, frame, len, (sift_time)f, &w) == rc);
		same_decode(n, &l4, walk, &w);
		if (rc == SIFT_OK && l4.proto == SIFT_IPPROTO_UDP)
			rewrite_one(lt, frame, len, &l4, data, size);
		free(frame);
	}
	sift_net_free(n);
	sift_net_free(walk);
	return 0;
}
