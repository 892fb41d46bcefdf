/* src/prefetch.c: what the reader thread hands out is what sift_merge_next
 * gives, packet for packet, and a message it parsed ahead is the parse of
 * the bytes it names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "capture/capture.h"
#include "lint/lint_syntax.h"
#include "net/net.h"
#include "prefetch.h"
#include "sip/sip_frame.h"
#include "sip/sip_msg.h"

static struct sift_merge *open_all(const char *const *paths, size_t n)
{
	struct sift_merge *m = sift_merge_new();
	char err[256];

	assert_non_null(m);
	for (size_t i = 0; i < n; i++) {
		struct sift_capture *c;

		assert_int_equal(sift_capture_open(paths[i], 0, &c, err,
						   sizeof(err)), SIFT_OK);
		assert_int_equal(sift_merge_add(m, c), SIFT_OK);
	}
	return m;
}

static void same_bytes(const void *a, size_t an, const void *b, size_t bn)
{
	assert_int_equal(an, bn);
	if (an)
		assert_memory_equal(a, b, an);
}

/* A message parsed ahead against a parse of the same bytes now. */
static void same_parse(const struct sift_prefetched *x,
		       const struct sift_packet *pkt)
{
	struct sift_sip_msg *m;
	enum sift_sip_err why;

	assert_true(x->msg_p >= pkt->data &&
		    x->msg_p + x->msg_n <= pkt->data + pkt->caplen);
	assert_int_equal(sift_sip_parse(x->msg_p, x->msg_n, &m, &why), SIFT_OK);
	assert_string_equal(m->call_id, x->msg->call_id);
	assert_int_equal(m->cseq, x->msg->cseq);
	assert_int_equal(m->request, x->msg->request);
	assert_int_equal(m->status, x->msg->status);
	assert_int_equal(m->raw_len, x->msg->raw_len);
	assert_memory_equal(m->raw, x->msg->raw, m->raw_len);
	/* ... and its syntax findings, checked ahead too. */
	assert_non_null(x->syn);
	{
		struct sift_syn now;

		sift_lint_syntax_check(m, &now);
		for (int k = 0; k < K_COUNT; k++) {
			assert_int_equal(now.count[k], x->syn->count[k]);
			assert_int_equal(now.more[k], x->syn->more[k]);
			if (now.count[k])
				assert_string_equal(now.text[k], x->syn->text[k]);
		}
		assert_int_equal(now.version, x->syn->version);
	}
	sift_sip_msg_free(m);
}

/* paths read twice, directly and through the reader (parsing every
 * message, ahead 0): the same results in the same order. Returns how many
 * messages came parsed ahead. */
static unsigned compare(const char *const *paths, size_t n)
{
	struct sift_merge *a = open_all(paths, n), *b = open_all(paths, n);
	struct sift_prefetch *pf = sift_prefetch_start(b, 0, true);
	unsigned parsed = 0;

	assert_non_null(pf);
	for (unsigned i = 0; i < 1000000; i++) {
		struct sift_packet pa, pb;
		struct sift_capture *fa = NULL, *fb = NULL;
		struct sift_prefetched x;
		enum sift_rc ra = sift_merge_next(a, &pa, &fa);
		enum sift_rc rb = sift_prefetch_next(pf, &pb, &fb, &x);

		assert_int_equal(ra, rb);
		if (ra == SIFT_EOF)
			break;
		assert_string_equal(sift_capture_info(fa)->path,
				    sift_capture_info(fb)->path);
		if (ra != SIFT_OK) {
			assert_string_equal(x.error, sift_capture_error(fa));
			assert_null(x.msg);
			continue;
		}
		assert_int_equal(pa.len, pb.len);
		assert_int_equal(pa.linktype, pb.linktype);
		assert_int_equal(pa.where.file, pb.where.file);
		assert_int_equal(pa.where.frame, pb.where.frame);
		assert_int_equal(pa.where.ts, pb.where.ts);
		same_bytes(pa.data, pa.caplen, pb.data, pb.caplen);
		same_bytes(pa.secrets, pa.secrets_len, pb.secrets, pb.secrets_len);
		same_bytes(pa.comment, pa.comment_len, pb.comment, pb.comment_len);
		if (x.msg) {
			same_parse(&x, &pb);
			sift_sip_msg_free(x.msg);
			parsed++;
		}
	}
	sift_prefetch_stop(pf);
	sift_merge_free(a);
	sift_merge_free(b);
	return parsed;
}

static void test_same_packets(void **state)
{
	static const char *const udp[] = { "testdata/sip-udp-sipp.pcap" };
	static const char *const two[] = { "testdata/sip-udp-kamailio.pcap",
					   "testdata/sip-udp-sipp.pcap" };
	static const char *const frag[] = { "testdata/sip-udp-fragmented.pcap" };
	static const char *const tcp[] = { "testdata/sip-tcp-segmented.pcap" };
	static const char *const call_tcp[] = { "testdata/srtp-dtmf-call-tcp.pcap" };
	static const char *const tiny[] = { "testdata/tcp-tiny-segments.pcap" };
	static const char *const keepalive[] = { "testdata/tcp-keepalive.pcap" };
	/* Messages that lint's syntax rules find fault with. */
	static const char *const bad[] = { "testdata/lint-status-code-invalid.pcap",
					   "testdata/lint-missing-mandatory-header.pcap" };

	(void)state;
	sift_sip_init();
	/* Every message of a UDP capture is parsed ahead (7 datagrams). */
	assert_int_equal(compare(udp, 1), 7);
	assert_true(compare(two, 2) > 7);
	/* Reassembled messages are the pipeline's to parse: of the
	 * fragmented capture only its whole datagrams. */
	assert_int_equal(compare(frag, 1), 6);
	/* Its INVITE spans segments and its ACK and BYE share one: the
	 * other four messages come whole, one to a segment. */
	assert_int_equal(compare(tcp, 1), 4);
	/* A TCP segment that is one whole message is parsed ahead: each
	 * of the 13 of a call over TCP, not one of those cut into tiny
	 * segments, and not one after a keepalive in its segment. */
	assert_int_equal(compare(call_tcp, 1), 13);
	assert_int_equal(compare(tiny, 1), 0);
	assert_int_equal(compare(keepalive, 1), 5);
	assert_true(compare(bad, 2) > 0);
}

/* pcapng comments and TLS secrets are copied with their packet; a cut
 * capture's error comes with its words, once, then the end. */
static void test_extras_and_errors(void **state)
{
	static const char *const comment[] = { "testdata/show-comment.pcapng" };
	static const char *const dsb[] = { "testdata/tls-tls13-chacha20-dsb.pcapng" };
	static const char *const cut[] = { "testdata/sip-udp-sipp-cut.pcap" };

	(void)state;
	sift_sip_init();
	compare(comment, 1);
	compare(dsb, 1);
	compare(cut, 1);
}

/* A taker that stops early: the reader, wherever it is (blocked on a full
 * ring, or reading with slots it has not told yet), ends, and what it
 * parsed for nobody is freed (ASan's leak check; the first version lost
 * the messages of the slots filled since its last count). */
static void test_stop_early(void **state)
{
	static const char *const big[] = { "testdata/srtp-dtmf-call.pcap" };

	(void)state;
	sift_sip_init();
	for (unsigned take = 0; take < 600; take += take < 64 ? 3 : 97) {
		struct sift_merge *m = open_all(big, 1);
		struct sift_prefetch *pf = sift_prefetch_start(m, 0, true);

		assert_non_null(pf);
		for (unsigned i = 0; i < take; i++) {
			struct sift_packet p;
			struct sift_capture *from;
			struct sift_prefetched x;

			if (sift_prefetch_next(pf, &p, &from, &x) == SIFT_EOF)
				break;
			sift_sip_msg_free(x.msg);
		}
		sift_prefetch_stop(pf);
		sift_merge_free(m);
	}
}

/* -j's default: a second thread for lint over a SIP-over-UDP capture
 * only; not for a calls table (no rule runs), a call with its media, or
 * SIP over TCP; and merged inputs are counted together. */
static void test_pays(void **state)
{
	static const char *const udp[] = { "testdata/sip-udp-sipp.pcap" };
	static const char *const media[] = { "testdata/srtp-dtmf-call.pcap" };
	static const char *const tcp[] = { "testdata/sip-tcp-segmented.pcap" };
	static const char *const both[] = { "testdata/sip-udp-sipp.pcap",
					    "testdata/srtp-dtmf-call.pcap" };
	struct sift_merge *m;

	(void)state;
	m = open_all(udp, 1);
	assert_true(sift_prefetch_pays(m, true));
	assert_false(sift_prefetch_pays(m, false));
	sift_merge_free(m);
	m = open_all(media, 1);
	assert_false(sift_prefetch_pays(m, true));
	sift_merge_free(m);
	m = open_all(tcp, 1);
	assert_false(sift_prefetch_pays(m, true));
	sift_merge_free(m);
	/* The SIP capture's 7 messages against the call's 591 packets. */
	m = open_all(both, 2);
	assert_false(sift_prefetch_pays(m, true));
	sift_merge_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_packets),
		cmocka_unit_test(test_extras_and_errors),
		cmocka_unit_test(test_stop_early),
		cmocka_unit_test(test_pays),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
