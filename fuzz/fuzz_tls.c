/* libFuzzer target for the TLS decryption stage (src/tls): the key log
 * parser, the record layer and the handshake parser of a connection.
 *
 * Input:
 *   u16 L (big-endian), then L bytes of key log text (given to
 *   sift_tls_keylog_add_text; a malformed line is fine, the entries before
 *   it stay), then chunks:
 *     byte  bit 0 side, bit 1 a TCP gap on that side instead of data,
 *           bit 2 the end of the connection (sift_tls_conn_finish),
 *           bit 3 a new connection before this chunk (the previous one
 *           finished and freed; both share one sessions store, so a
 *           TLS 1.2 session resumes from an earlier one)
 *     u16   length, then that many bytes of that side's TCP payload.
 * Seeds (fuzz/mkseeds_tls.py) are the RFC 8448 trace and the testdata
 * captures with their key logs, so the fuzzer starts inside decrypted
 * handshakes.
 *
 * Invariants checked (abort() on violation): feed never fails but for
 * memory; plaintext delivered per side never exceeds the bytes fed on
 * it, comes in non-empty calls, and only once a record decrypted on that
 * side; the status is a known one and never PENDING after finish; records
 * counted never exceed bytes fed / 5; the client side is -1, 0 or 1; a
 * master secret handed on (sift_tls_conn_take_learnt) comes once, after a
 * record decrypted. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tls/tls.h"

#include "fuzz_check.h"

struct fz {
	uint64_t fed[2];
	uint64_t plain[2];
	const struct sift_tls_conn *c;
};

static void on_plain(void *ctx, int side, const uint8_t *p, size_t n)
{
	struct fz *z = ctx;
	volatile uint8_t sum = 0;
	size_t i;

	check(side == 0 || side == 1);
	check(n != 0 && p != NULL);
	for (i = 0; i < n; i++)
		sum = (uint8_t)(sum + p[i]);
	(void)sum;
	z->plain[side] += n;
	check(z->plain[side] <= z->fed[side]);
	check(sift_tls_conn_info(z->c)->decrypted[side] != 0);
}

static void check_info(const struct sift_tls_info *in, const struct fz *z,
		       bool finished)
{
	int d;

	check((unsigned)in->status < SIFT_TLS_STATUS_COUNT);
	check(!finished || in->status != SIFT_TLS_PENDING);
	check(in->client_side >= -1 && in->client_side <= 1);
	check(sift_tls_status_str(in->status) != NULL);
	for (d = 0; d < 2; d++) {
		check(in->records[d] <= z->fed[d] / 5);
		check(in->decrypted[d] <= in->records[d]);
		check(in->plain_bytes[d] == z->plain[d]);
	}
}

/* The connection's end: every check, and a learnt secret only once. */
static void conn_end(struct sift_tls_conn *c, const struct fz *z)
{
	uint8_t cr[32], ms[48];
	const struct sift_tls_info *in;

	sift_tls_conn_finish(c);
	in = sift_tls_conn_info(c);
	check_info(in, z, true);
	if (sift_tls_conn_take_learnt(c, cr, ms))
		check(in->decrypted[0] + in->decrypted[1] != 0);
	check(!sift_tls_conn_take_learnt(c, cr, ms));
}

static struct sift_tls_conn *conn_start(struct sift_tls_keys *k,
					struct sift_tls_sessions *ss,
					struct fz *z)
{
	struct sift_addr a0, a1;
	struct sift_tls_conn *c;

	memset(z, 0, sizeof(*z));
	memset(&a0, 0, sizeof(a0));
	memset(&a1, 0, sizeof(a1));
	a0.family = a1.family = 4;
	a0.ip[0] = a1.ip[0] = 127;
	a0.ip[3] = 1;
	a1.ip[3] = 2;
	a0.port = 40001;
	a1.port = 5061;
	c = sift_tls_conn_new(k, &a0, &a1, on_plain, z);
	if (c != NULL)
		sift_tls_conn_set_sessions(c, ss);
	z->c = c;
	return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sift_tls_keys *k = NULL;
	struct sift_tls_conn *c = NULL;
	struct sift_tls_sessions *ss = NULL;
	struct sift_tls_keyerr err;
	struct fz z;
	size_t pos = 2, klen;
	bool finished = false;

	if (size < 2)
		return 0;
	klen = sift_be16(data);
	if (klen > size - 2)
		klen = size - 2;
	k = sift_tls_keys_new();
	if (k == NULL)
		goto out;
	(void)sift_tls_keylog_add_text(k, (const char *)data + pos, klen, &err);
	check(err.line == 0 || err.why != NULL);
	pos += klen;
	ss = sift_tls_sessions_new();
	if (ss == NULL)
		goto out;
	c = conn_start(k, ss, &z);
	if (c == NULL)
		goto out;
	while (size - pos >= 3) {
		uint8_t f = data[pos];
		size_t n = sift_be16(data + pos + 1);
		int side = f & 1;

		pos += 3;
		if (f & 8) {
			conn_end(c, &z);
			sift_tls_conn_free(c);
			finished = false;
			c = conn_start(k, ss, &z);
			if (c == NULL)
				goto out;
		}
		if (n > size - pos)
			n = size - pos;
		if (f & 2) {
			sift_tls_conn_gap(c, side, n + 1);
		} else {
			z.fed[side] += n;
			check(sift_tls_conn_feed(c, side, data + pos, n) == SIFT_OK);
			pos += n;
		}
		if (f & 4) {
			sift_tls_conn_finish(c);
			finished = true;
		}
		check_info(sift_tls_conn_info(c), &z, finished);
	}
	conn_end(c, &z);
out:
	sift_tls_conn_free(c);
	sift_tls_sessions_free(ss);
	sift_tls_keys_free(k);
	return 0;
}
