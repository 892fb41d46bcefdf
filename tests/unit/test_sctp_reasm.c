/* Unit tests for src/net/sctp_reasm.c: the DATA chunks of SCTP packets
 * (RFC 9260 §3.3.1) walked and reassembled into SIP messages (RFC 4168
 * §5: one user message per SIP message). Packets are the chunk area that
 * follows the 12-byte common header, built here byte by byte. */
#include "testutil.h"

#include "net/sctp_reasm.h"

static const char sip[] =
	"OPTIONS sip:bob@example.com SIP/2.0\r\n"
	"Via: SIP/2.0/SCTP 192.0.2.1:5060;branch=z9hG4bK-sctp-1\r\n"
	"From: <sip:alice@example.com>;tag=a1\r\n"
	"To: <sip:bob@example.com>\r\n"
	"Call-ID: sctp-multi-chunk@192.0.2.1\r\n"
	"CSeq: 1 OPTIONS\r\n"
	"Max-Forwards: 70\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

static struct sift_addr src = { 4, { 192, 0, 2, 1 }, 5060 };
static struct sift_addr dst = { 4, { 192, 0, 2, 2 }, 5060 };

/* One DATA chunk with its padding. */
static void data_chunk(struct pkt *p, uint8_t flags, uint32_t tsn,
		       uint16_t stream, const void *d, size_t n)
{
	put8(p, 0);
	put8(p, flags);
	put16(p, (uint16_t)(16 + n));
	put32(p, tsn);
	put16(p, stream);
	put16(p, 0);            /* stream sequence number */
	put32(p, 0);            /* PPID */
	put(p, d, n);
	while (p->n % 4)
		put8(p, 0);
}

/* A chunk that is not DATA (SACK), to be skipped. */
static void sack_chunk(struct pkt *p)
{
	put8(p, 3);
	put8(p, 0);
	put16(p, 16);
	put32(p, 1);
	put32(p, 65536);
	put16(p, 0);
	put16(p, 0);
}

/* Walks one packet and appends every message it yields to out (separated
 * by '|'); returns how many there were. */
static int walk(struct sift_sctp_reasm *r, const struct pkt *p, char *out,
		size_t cap, sift_time ts)
{
	struct sift_sctp_chunks it;
	const uint8_t *msg;
	size_t len, used = strlen(out);
	int n = 0;

	sift_sctp_chunks_start(&it, r, &src, &dst, p->b, p->n, ts);
	while (sift_sctp_next_message(&it, &msg, &len)) {
		assert_true(used + len + 1 < cap);
		if (n++ > 0 || used > 0)
			out[used++] = '|';
		memcpy(out + used, msg, len);
		used += len;
		out[used] = '\0';
	}
	return n;
}

/* A SIP message in four DATA chunks, three of them in one packet with a
 * SACK between them and the last in a second packet; then a whole
 * message in one chunk. */
static void test_sctp_multi_chunk_message(void **state)
{
	struct sift_sctp_reasm *r = sift_sctp_reasm_new();
	static struct pkt a, b;
	size_t n = strlen(sip), q = n / 4;
	char out[2048] = "";

	(void)state;
	assert_non_null(r);
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	data_chunk(&a, SIFT_SCTP_B, 100, 7, sip, q);
	sack_chunk(&a);
	data_chunk(&a, 0, 101, 7, sip + q, q + 1);      /* odd: padded */
	data_chunk(&a, 0, 102, 7, sip + 2 * q + 1, q);
	assert_int_equal(walk(r, &a, out, sizeof(out), SIFT_USEC), 0);
	assert_string_equal(out, "");

	data_chunk(&b, SIFT_SCTP_E, 103, 7, sip + 3 * q + 1, n - 3 * q - 1);
	data_chunk(&b, SIFT_SCTP_B | SIFT_SCTP_E, 104, 7, "hello", 5);
	assert_int_equal(walk(r, &b, out, sizeof(out), 2 * SIFT_USEC), 2);
	assert_int_equal(strlen(out), n + 1 + 5);
	assert_memory_equal(out, sip, n);
	assert_string_equal(out + n, "|hello");
	assert_int_equal(sift_sctp_reasm_incomplete(r), 0);
	sift_sctp_reasm_free(r);
}

/* A whole message and a complete split one in the same packet, on two
 * streams interleaved. */
static void test_sctp_interleaved_streams(void **state)
{
	struct sift_sctp_reasm *r = sift_sctp_reasm_new();
	static struct pkt a;
	char out[2048] = "";

	(void)state;
	memset(&a, 0, sizeof(a));
	data_chunk(&a, SIFT_SCTP_B, 10, 1, "one-", 4);
	data_chunk(&a, SIFT_SCTP_B, 20, 2, "two-", 4);
	data_chunk(&a, SIFT_SCTP_E, 21, 2, "end2", 4);
	data_chunk(&a, SIFT_SCTP_E, 11, 1, "end1", 4);
	assert_int_equal(walk(r, &a, out, sizeof(out), 0), 2);
	assert_string_equal(out, "two-end2|one-end1");
	sift_sctp_reasm_free(r);
}

/* A missing TSN drops the message; a middle piece without its start is
 * counted too; both as incomplete. */
static void test_sctp_gap_drops(void **state)
{
	struct sift_sctp_reasm *r = sift_sctp_reasm_new();
	static struct pkt a;
	char out[256] = "";

	(void)state;
	memset(&a, 0, sizeof(a));
	data_chunk(&a, SIFT_SCTP_B, 1, 0, "aa", 2);
	data_chunk(&a, SIFT_SCTP_E, 3, 0, "cc", 2);     /* TSN 2 lost */
	data_chunk(&a, 0, 9, 0, "zz", 2);               /* no beginning */
	assert_int_equal(walk(r, &a, out, sizeof(out), 0), 0);
	assert_int_equal(sift_sctp_reasm_incomplete(r), 2);
	sift_sctp_reasm_free(r);
}

/* A chunk length below 4 or past the packet ends the walk; what came
 * before is still handed out; a short DATA chunk is skipped. */
static void test_sctp_bad_lengths(void **state)
{
	struct sift_sctp_reasm *r = sift_sctp_reasm_new();
	static struct pkt a;
	char out[256] = "";

	(void)state;
	memset(&a, 0, sizeof(a));
	put8(&a, 0);                                    /* DATA, 12 bytes */
	put8(&a, 3);
	put16(&a, 12);
	put32(&a, 1);
	put32(&a, 0);
	data_chunk(&a, 3, 5, 0, "ok", 2);
	put8(&a, 0);
	put8(&a, 3);
	put16(&a, 200);                                 /* past the end */
	put32(&a, 6);
	assert_int_equal(walk(r, &a, out, sizeof(out), 0), 1);
	assert_string_equal(out, "ok");

	memset(&a, 0, sizeof(a));
	out[0] = '\0';
	put8(&a, 0);
	put8(&a, 3);
	put16(&a, 2);                                   /* below 4 */
	data_chunk(&a, 3, 7, 0, "no", 2);
	assert_int_equal(walk(r, &a, out, sizeof(out), 0), 0);
	sift_sctp_reasm_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sctp_multi_chunk_message),
		cmocka_unit_test(test_sctp_interleaved_streams),
		cmocka_unit_test(test_sctp_gap_drops),
		cmocka_unit_test(test_sctp_bad_lengths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
