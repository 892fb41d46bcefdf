/* Tests of src/tls: known answers for the TLS 1.3 key schedule (RFC 8448
 * §3) and the TLS 1.2 PRF, the key log parser, and whole connections: the
 * RFC 8448 trace record by record and byte by byte, and captures of real
 * TLS stacks (testdata/tls-*.pcap, made by testdata/make-tls-sip.sh)
 * whose decrypted bytes must be the SIP messages that were sent. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include "tls/tls.h"
#include "tls/tls_crypto.h"
#include "tls/tls_int.h"
#include "tls_rfc8448.h"

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (*s) {
		unsigned v;
		char b[3];

		if (*s == ' ') {
			s++;
			continue;
		}
		b[0] = s[0];
		b[1] = s[1];
		b[2] = '\0';
		v = (unsigned)strtoul(b, NULL, 16);
		assert_true(n < cap);
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

static void assert_hex(const uint8_t *got, size_t n, const char *want)
{
	uint8_t w[256];
	size_t wn = unhex(want, w, sizeof(w));

	assert_int_equal(n, wn);
	assert_memory_equal(got, w, n);
}

/* RFC 8448 §3 secrets. */
#define CR_8448 "cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7"
#define CHTS "b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21"
#define SHTS "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38"
#define CATS "9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5"
#define SATS "a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643"

static void kat_key_iv(const char *secret, const char *key, const char *iv)
{
	uint8_t s[32], k[16], i[12];

	assert_int_equal(unhex(secret, s, sizeof(s)), 32);
	assert_true(sift_tls_hkdf_expand_label(SIFT_TLS_MD_SHA256, s, 32, "key",
					       NULL, 0, k, sizeof(k)));
	assert_true(sift_tls_hkdf_expand_label(SIFT_TLS_MD_SHA256, s, 32, "iv",
					       NULL, 0, i, sizeof(i)));
	assert_hex(k, sizeof(k), key);
	assert_hex(i, sizeof(i), iv);
}

/* RFC 8448 §3: "derive write traffic keys for handshake data" and "for
 * application data". */
static void test_rfc8448_traffic_keys(void **state)
{
	(void)state;
	kat_key_iv(SHTS, "3fce516009c21727d0f2e4e86ee403bc", "5d313eb2671276ee13000b30");
	kat_key_iv(CHTS, "dbfaa693d1762c5b666af5d950258d01", "5bd3c71b836e0b76bb73265f");
	kat_key_iv(SATS, "9f02283b6c9c07efc26bb9f2ac92e356", "cf782b88dd83549aadf1e984");
	kat_key_iv(CATS, "17422dda596ed5d9acd890e3c63f5051", "5b78923dee08579033e523d9");
}

/* RFC 8446 §7.2 applied to RFC 8448's client application secret; the
 * expected value is the one Botan's test suite publishes. */
static void test_key_update_secret(void **state)
{
	uint8_t s[32], next[32];

	(void)state;
	unhex(CATS, s, sizeof(s));
	assert_true(sift_tls_hkdf_expand_label(SIFT_TLS_MD_SHA256, s, 32,
					       "traffic upd", NULL, 0, next, 32));
	assert_hex(next, 32, "fcdfcc72725aaee48bf64e4fd8b749cdbdbab39d90da0b26e2245ca6ea167207");
}

/* The TLS 1.2 PRF vectors posted to the IETF TLS list (msg03416), used by
 * many implementations' tests. */
static void test_prf_vectors(void **state)
{
	uint8_t secret[16], seed[16], out[148];

	(void)state;
	unhex("9bbe436ba940f017b17652849a71db35", secret, 16);
	unhex("a0ba9f936cda311827a6f796ffd5198c", seed, 16);
	assert_true(sift_tls_prf(SIFT_TLS_MD_SHA256, secret, 16, "test label",
				 seed, 16, NULL, 0, out, 100));
	assert_hex(out, 100,
		   "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a"
		   "6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab"
		   "4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701"
		   "87347b66");
	unhex("b80b733d6ceefcdc71566ea48e5567df", secret, 16);
	unhex("cd665cf6a8447dd6ff8b27555edb7465", seed, 16);
	/* The seed may come in two parts (server random || client random). */
	assert_true(sift_tls_prf(SIFT_TLS_MD_SHA384, secret, 16, "test label",
				 seed, 7, seed + 7, 9, out, 148));
	assert_hex(out, 148,
		   "7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cd"
		   "e9ca0faa60be9fe34f82b1233c9146a0e534cb400fed2700884f9dc236f80edd"
		   "8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d918425"
		   "9b5bf8cd4d90fa0d31e2dec479e4f1a26066f2eea9a69236a3e52655c9e9aee6"
		   "91c8f3a26854308d5eaa3be85e0990703d73e56f");
}

/* ---- connections ------------------------------------------------- */

struct sink {
	uint8_t data[2][65536];
	size_t n[2];
	int calls;
};

static void on_plain(void *ctx, int side, const uint8_t *p, size_t n)
{
	struct sink *s = ctx;

	assert_true(side == 0 || side == 1);
	assert_true(s->n[side] + n <= sizeof(s->data[side]));
	memcpy(s->data[side] + s->n[side], p, n);
	s->n[side] += n;
	s->calls++;
}

static struct sift_tls_keys *keys_from(const char *text)
{
	struct sift_tls_keys *k = sift_tls_keys_new();
	struct sift_tls_keyerr err;

	assert_non_null(k);
	assert_int_equal(sift_tls_keylog_add_text(k, text, strlen(text), &err),
			 SIFT_OK);
	return k;
}

static const char keylog_8448[] =
	"# RFC 8448 section 3\n"
	"CLIENT_HANDSHAKE_TRAFFIC_SECRET " CR_8448 " " CHTS "\n"
	"SERVER_HANDSHAKE_TRAFFIC_SECRET " CR_8448 " " SHTS "\r\n"
	"CLIENT_TRAFFIC_SECRET_0 " CR_8448 " " CATS "\n"
	"SERVER_TRAFFIC_SECRET_0 " CR_8448 " " SATS "\n"
	"EXPORTER_SECRET " CR_8448 " fe22f881176eda18eb8f44529e6792c50c9a3f89452f68d8ae311b4309d3cf50\n";

static void assert_0_to_49(const uint8_t *p, size_t n)
{
	size_t i;

	assert_int_equal(n, 50);
	for (i = 0; i < n; i++)
		assert_int_equal(p[i], i);
}

/* Feeds the RFC 8448 trace: client side 0, server side 1, each side cut
 * in pieces of step bytes; server_first feeds the whole server side
 * before the client's ClientHello (the sides out of order). */
static struct sift_tls_conn *run_8448(struct sift_tls_keys *k, struct sink *s,
				      size_t step, bool server_first)
{
	struct sift_tls_conn *c = sift_tls_conn_new(k, NULL, NULL, on_plain, s);
	size_t i, ch_end = RFC8448_CLIENT_FIN_OFF;

	assert_non_null(c);
	memset(s, 0, sizeof(*s));
	if (server_first) {
		for (i = 0; i < sizeof(rfc8448_server); i += step)
			assert_int_equal(sift_tls_conn_feed(c, 1, rfc8448_server + i,
				sizeof(rfc8448_server) - i < step ? sizeof(rfc8448_server) - i : step), SIFT_OK);
	}
	for (i = 0; i < ch_end; i += step)
		assert_int_equal(sift_tls_conn_feed(c, 0, rfc8448_client + i,
			ch_end - i < step ? ch_end - i : step), SIFT_OK);
	if (!server_first) {
		for (i = 0; i < sizeof(rfc8448_server); i += step)
			assert_int_equal(sift_tls_conn_feed(c, 1, rfc8448_server + i,
				sizeof(rfc8448_server) - i < step ? sizeof(rfc8448_server) - i : step), SIFT_OK);
	}
	for (i = ch_end; i < sizeof(rfc8448_client); i += step)
		assert_int_equal(sift_tls_conn_feed(c, 0, rfc8448_client + i,
			sizeof(rfc8448_client) - i < step ? sizeof(rfc8448_client) - i : step), SIFT_OK);
	sift_tls_conn_finish(c);
	return c;
}

static void test_rfc8448_conn(void **state)
{
	static const size_t steps[] = { 100000, 1, 7, 5, 300 };
	struct sift_tls_keys *k = keys_from(keylog_8448);
	struct sink *s = calloc(1, sizeof(*s));
	size_t i;
	int order;

	(void)state;
	assert_non_null(s);
	assert_int_equal(sift_tls_keys_count(k), 4);
	for (order = 0; order < 2; order++) {
		for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
			struct sift_tls_conn *c = run_8448(k, s, steps[i], order);
			const struct sift_tls_info *in = sift_tls_conn_info(c);

			if (in->status != SIFT_TLS_DECRYPTED)
				print_error("order %d step %zu\n", order, steps[i]);
			assert_int_equal(in->status, SIFT_TLS_DECRYPTED);
			assert_int_equal(in->version, 0x0304);
			assert_int_equal(in->suite, 0x1301);
			assert_int_equal(in->client_side, 0);
			assert_string_equal(sift_tls_suite_name(in->suite),
					    "TLS_AES_128_GCM_SHA256");
			assert_0_to_49(s->data[0], s->n[0]);
			assert_0_to_49(s->data[1], s->n[1]);
			/* Client: CH, Finished, data; server: SH, flight,
			 * ticket, data. */
			assert_int_equal(in->records[0], 3);
			assert_int_equal(in->records[1], 4);
			assert_int_equal(in->decrypted[0], 2);
			assert_int_equal(in->decrypted[1], 3);
			sift_tls_conn_free(c);
		}
	}
	free(s);
	sift_tls_keys_free(k);
}

/* Only the application secrets: the handshake records are skipped and
 * application data still decrypts. */
static void test_rfc8448_app_secrets_only(void **state)
{
	struct sift_tls_keys *k = keys_from(
		"CLIENT_TRAFFIC_SECRET_0 " CR_8448 " " CATS "\n"
		"SERVER_TRAFFIC_SECRET_0 " CR_8448 " " SATS "\n");
	struct sink *s = calloc(1, sizeof(*s));
	struct sift_tls_conn *c;

	(void)state;
	c = run_8448(k, s, 100000, false);
	assert_int_equal(sift_tls_conn_info(c)->status, SIFT_TLS_DECRYPTED);
	assert_0_to_49(s->data[0], s->n[0]);
	assert_0_to_49(s->data[1], s->n[1]);
	sift_tls_conn_free(c);
	free(s);
	sift_tls_keys_free(k);
}

static void test_rfc8448_wrong_or_no_key(void **state)
{
	struct sift_tls_keys *k;
	struct sink *s = calloc(1, sizeof(*s));
	struct sift_tls_conn *c;

	(void)state;
	/* The server's secret logged for the client: the tag fails. */
	k = keys_from("CLIENT_HANDSHAKE_TRAFFIC_SECRET " CR_8448 " " SHTS "\n"
		      "SERVER_HANDSHAKE_TRAFFIC_SECRET " CR_8448 " " SHTS "\n"
		      "CLIENT_TRAFFIC_SECRET_0 " CR_8448 " " SATS "\n"
		      "SERVER_TRAFFIC_SECRET_0 " CR_8448 " " SATS "\n");
	c = run_8448(k, s, 100000, false);
	assert_int_equal(sift_tls_conn_info(c)->status, SIFT_TLS_DECRYPTED);
	assert_int_equal(s->n[0], 0);          /* client side refused */
	assert_0_to_49(s->data[1], s->n[1]);
	sift_tls_conn_free(c);
	sift_tls_keys_free(k);

	k = keys_from("CLIENT_HANDSHAKE_TRAFFIC_SECRET " CR_8448 " " SHTS "\n"
		      "SERVER_HANDSHAKE_TRAFFIC_SECRET " CR_8448 " " CHTS "\n");
	c = run_8448(k, s, 100000, false);
	assert_int_equal(sift_tls_conn_info(c)->status, SIFT_TLS_BAD_MAC);
	assert_int_equal(s->n[0] + s->n[1], 0);
	sift_tls_conn_free(c);
	sift_tls_keys_free(k);

	/* Keys for another connection only. */
	k = keys_from("CLIENT_RANDOM 0034ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7 "
		      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		      "202122232425262728292a2b2c2d2e2f\n");
	c = run_8448(k, s, 100000, false);
	assert_int_equal(sift_tls_conn_info(c)->status, SIFT_TLS_NO_KEY);
	assert_int_equal(s->calls, 0);
	sift_tls_conn_free(c);
	c = run_8448(NULL, s, 1000, true);
	assert_int_equal(sift_tls_conn_info(c)->status, SIFT_TLS_NO_KEY);
	sift_tls_conn_free(c);
	sift_tls_keys_free(k);
	free(s);
}

/* A capture that starts after the handshake. */
static void test_no_handshake(void **state)
{
	struct sift_tls_keys *k = keys_from(keylog_8448);
	struct sink s;
	struct sift_tls_conn *c = sift_tls_conn_new(k, NULL, NULL, on_plain, &s);

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(sift_tls_conn_feed(c, 0, rfc8448_client + RFC8448_CLIENT_APP_OFF,
					    sizeof(rfc8448_client) - RFC8448_CLIENT_APP_OFF), SIFT_OK);
	assert_int_equal(sift_tls_conn_info(c)->status, SIFT_TLS_PENDING);
	assert_int_equal(sift_tls_conn_feed(c, 1, rfc8448_server + RFC8448_SERVER_APP_OFF,
					    sizeof(rfc8448_server) - RFC8448_SERVER_APP_OFF), SIFT_OK);
	assert_int_equal(sift_tls_conn_info(c)->status, SIFT_TLS_NO_HANDSHAKE);
	assert_int_equal(s.calls, 0);
	sift_tls_conn_free(c);

	/* One side only, then the end. */
	c = sift_tls_conn_new(k, NULL, NULL, on_plain, &s);
	assert_int_equal(sift_tls_conn_feed(c, 1, rfc8448_server + RFC8448_SERVER_APP_OFF,
					    sizeof(rfc8448_server) - RFC8448_SERVER_APP_OFF), SIFT_OK);
	sift_tls_conn_finish(c);
	assert_int_equal(sift_tls_conn_info(c)->status, SIFT_TLS_NO_HANDSHAKE);
	sift_tls_conn_free(c);
	sift_tls_keys_free(k);
}

static void test_gap_and_garbage(void **state)
{
	struct sift_tls_keys *k = keys_from(keylog_8448);
	struct sink s;
	struct sift_tls_conn *c = sift_tls_conn_new(k, NULL, NULL, on_plain, &s);
	static const uint8_t sip[] = "INVITE sip:bob@example.com SIP/2.0\r\n";

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(sift_tls_conn_feed(c, 0, rfc8448_client,
					    RFC8448_CLIENT_FIN_OFF), SIFT_OK);
	sift_tls_conn_gap(c, 1, 100);
	assert_int_equal(sift_tls_conn_info(c)->status, SIFT_TLS_GAP);
	assert_true(sift_tls_conn_info(c)->gap[1]);
	assert_int_equal(sift_tls_conn_feed(c, 1, rfc8448_server,
					    sizeof(rfc8448_server)), SIFT_OK);
	assert_int_equal(s.calls, 0);
	sift_tls_conn_free(c);

	/* Plain SIP is not TLS. */
	c = sift_tls_conn_new(k, NULL, NULL, on_plain, &s);
	assert_int_equal(sift_tls_conn_feed(c, 0, sip, sizeof(sip) - 1), SIFT_OK);
	assert_int_equal(sift_tls_conn_info(c)->status, SIFT_TLS_MALFORMED);
	sift_tls_conn_free(c);
	sift_tls_keys_free(k);

	assert_true(sift_tls_is_client_hello(rfc8448_client, sizeof(rfc8448_client)));
	assert_false(sift_tls_is_client_hello(rfc8448_server, sizeof(rfc8448_server)));
	assert_false(sift_tls_is_client_hello(sip, sizeof(sip) - 1));
	assert_true(sift_tls_is_record(rfc8448_server, 5));
	assert_false(sift_tls_is_record(sip, sizeof(sip) - 1));
}

/* ---- key log ----------------------------------------------------- */

static void test_keylog_errors(void **state)
{
	static const struct {
		const char *text;
		size_t line;
	} bad[] = {
		{ "CLIENT_RANDOM " CR_8448 "\n", 1 },
		{ "\n# c\nCLIENT_RANDOM " CR_8448 " abcd\n", 3 },
		{ "CLIENT_RANDOM zz" CR_8448 " " CATS CATS "\n", 1 },
		{ "CLIENT_TRAFFIC_SECRET_0 " CR_8448 " " CATS "00\n", 1 },
		{ "CLIENT_TRAFFIC_SECRET_0 " CR_8448 " " CATS "\nfoo bar baz\n", 2 },
		{ "CLIENT_RANDOM " CR_8448 " " CATS CATS " extra\n", 1 },
		{ "OTHER_LABEL xyz 00\n", 1 },
	};
	struct sift_tls_keys *k;
	struct sift_tls_keyerr err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		k = sift_tls_keys_new();
		assert_int_equal(sift_tls_keylog_add_text(k, bad[i].text,
							  strlen(bad[i].text), &err),
				 SIFT_EINVAL);
		assert_int_equal(err.line, bad[i].line);
		assert_non_null(err.why);
		sift_tls_keys_free(k);
	}
	k = sift_tls_keys_new();
	assert_int_equal(sift_tls_keylog_load(k, "/nonexistent/keys.log", &err),
			 SIFT_ENOTFOUND);
	sift_tls_keys_free(k);
}

/* Thousands of entries, unused labels, a later duplicate winning, and no
 * trailing newline. */
static void test_keylog_many(void **state)
{
	size_t n = 5000, i, len = 0, cap = n * 200 + 256;
	char *text = malloc(cap);
	struct sift_tls_keys *k = sift_tls_keys_new();
	struct sift_tls_keyerr err;
	uint8_t cr[32];
	const uint8_t *sec;
	size_t sl;
	int w;

	(void)state;
	assert_non_null(text);
	for (i = 0; i < n; i++) {
		w = snprintf(text + len, cap - len,
			     "CLIENT_RANDOM %064zx %092zx%04zx\n", i * 7919, i, i);
		assert_true(w > 0);
		len += (size_t)w;
	}
	w = snprintf(text + len, cap - len,
		     "CLIENT_EARLY_TRAFFIC_SECRET %064x %064x\n"
		     "CLIENT_RANDOM %064x %096x", 1, 2, 7919 * 97, 0xabc);
	len += (size_t)w;
	assert_int_equal(sift_tls_keylog_add_text(k, text, len, &err), SIFT_OK);
	assert_int_equal(sift_tls_keys_count(k), n);
	for (i = 0; i < n; i += 97) {
		size_t v = i * 7919, j;

		memset(cr, 0, sizeof(cr));
		for (j = 0; j < 8; j++)
			cr[31 - j] = (uint8_t)(v >> (8 * j));
		assert_true(sift_tls_keys_find(k, cr, SIFT_TLS_L_CLIENT_RANDOM,
					       &sec, &sl));
		assert_int_equal(sl, 48);
		assert_int_equal(sec[47], (i == 97 ? 0xbc : (uint8_t)i));
		assert_false(sift_tls_keys_find(k, cr, SIFT_TLS_L_CATS0, &sec, &sl));
	}
	memset(cr, 0xee, sizeof(cr));
	assert_false(sift_tls_keys_know(k, cr));
	free(text);
	sift_tls_keys_free(k);
}

static void test_rsa_spec(void **state)
{
	struct sift_tls_keys *k = sift_tls_keys_new();
	struct sift_tls_keyerr err;
	struct sift_addr a;

	(void)state;
	assert_int_equal(sift_tls_rsa_key_add(k, "127.0.0.1:5061=/nonexistent.pem", &err),
			 SIFT_EINVAL);
	assert_non_null(err.why);
	assert_int_equal(sift_tls_rsa_key_add(k, "testdata/tls-server.key", &err), SIFT_OK);
	assert_int_equal(sift_tls_rsa_key_add(k, "[::1]:5061=testdata/tls-server.key", &err),
		SIFT_OK);
	assert_int_equal(sift_tls_rsa_key_add(k, "127.0.0.1:5061=testdata/tls-server.key", &err),
		SIFT_OK);
	assert_int_equal(sift_tls_rsa_key_add(k, "testdata/tls-server.crt", &err), SIFT_EINVAL);
	assert_int_equal(sift_tls_rsa_count(k), 3);
	memset(&a, 0, sizeof(a));
	a.family = 4;
	a.ip[0] = 127;
	a.ip[3] = 1;
	a.port = 5061;
	assert_non_null(sift_tls_keys_rsa(k, 0, &a));
	assert_null(sift_tls_keys_rsa(k, 1, &a));
	assert_non_null(sift_tls_keys_rsa(k, 2, &a));
	a.port = 5062;
	assert_null(sift_tls_keys_rsa(k, 2, &a));
	sift_tls_keys_free(k);
}


/* ---- captures of real TLS stacks ---------------------------------- */

static uint8_t *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b;
	long len;

	if (f == NULL)
		return NULL;
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	assert_true(len >= 0 && len < (1 << 24));
	rewind(f);
	b = malloc((size_t)len + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*n = (size_t)len;
	return b;
}

#define MAX_CONNS 4

struct cap_conn {
	uint16_t cport;
	uint32_t next[2];
	bool have_next[2];
	struct sift_tls_conn *c;
};

/* A little-endian field of the test's own pcap fixture, whose length the
 * asserts checked. */
static uint32_t rd_le32(const uint8_t *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

/* A classic little-endian pcap of Ethernet/IPv4/TCP on loopback, the
 * server on port 5061: feeds each connection's in-order payload (side 0
 * the client) and returns the connections, in order of their SYN. */
/* The sessions store the connections of one feed_pcap share (as the
 * pipeline's do), made anew by each; use_sessions false: none. Callers
 * free their connections before the next feed_pcap. */
static struct sift_tls_sessions *feed_sessions;
static bool use_sessions = true;

static size_t feed_pcap(const char *path, const struct sift_tls_keys *k,
			struct sink *s, struct cap_conn *cc)
{
	size_t n, pos = 24, nc = 0;
	uint8_t *b = slurp(path, &n);

	assert_non_null(b);
	sift_tls_sessions_free(feed_sessions);
	feed_sessions = use_sessions ? sift_tls_sessions_new() : NULL;
	assert_true(!use_sessions || feed_sessions != NULL);
	assert_true(n >= 24);
	assert_int_equal(rd_le32(b), 0xa1b2c3d4);
	assert_int_equal(rd_le32(b + 20), 1);
	while (n - pos >= 16) {
		size_t cl = rd_le32(b + pos + 8), ihl, thl, plen, i;
		const uint8_t *e = b + pos + 16, *ip, *tcp;
		uint16_t sport, dport, cport;
		uint32_t seq;
		uint8_t flags;
		int side;
		struct cap_conn *c = NULL;
		struct sift_addr a[2];

		assert_true(cl <= n - pos - 16);
		pos += 16 + cl;
		if (cl < 14 + 20 || sift_be16(e + 12) != 0x0800)
			continue;
		ip = e + 14;
		ihl = (size_t)(ip[0] & 15) * 4;
		assert_true(cl >= 14 + ihl + 20 && ip[9] == 6);
		tcp = ip + ihl;
		thl = (size_t)(tcp[12] >> 4) * 4;
		plen = sift_be16(ip + 2) - ihl - thl;
		assert_true(14 + ihl + thl + plen <= cl);
		sport = sift_be16(tcp);
		dport = sift_be16(tcp + 2);
		seq = sift_be32(tcp + 4);
		flags = tcp[13];
		side = sport == 5061 ? 1 : 0;
		cport = side ? dport : sport;
		for (i = 0; i < nc; i++) {
			if (cc[i].cport == cport)
				c = &cc[i];
		}
		if (c == NULL) {
			assert_true(flags & 0x02);   /* begins with a SYN */
			assert_true(nc < MAX_CONNS);
			c = &cc[nc++];
			memset(c, 0, sizeof(*c));
			c->cport = cport;
			memset(&a, 0, sizeof(a));
			a[0].family = a[1].family = 4;
			memcpy(a[side].ip, ip + 12, 4);
			a[side].port = sport;
			memcpy(a[1 - side].ip, ip + 16, 4);
			a[1 - side].port = dport;
			c->c = sift_tls_conn_new(k, &a[0], &a[1], on_plain, s);
			assert_non_null(c->c);
			sift_tls_conn_set_sessions(c->c, feed_sessions);
		}
		if (flags & 0x02) {
			c->next[side] = seq + 1;
			c->have_next[side] = true;
			continue;
		}
		if (plen == 0 || !c->have_next[side] || seq != c->next[side])
			continue;   /* retransmissions would be skipped here */
		assert_int_equal(sift_tls_conn_feed(c->c, side, tcp + thl, plen),
				 SIFT_OK);
		c->next[side] += (uint32_t)plen;
	}
	free(b);
	for (pos = 0; pos < nc; pos++)
		sift_tls_conn_finish(cc[pos].c);
	return nc;
}

struct cap_case {
	const char *name;
	uint16_t version, suite;
	bool rsa, etm, ems;
	size_t conns;
	bool hrr_keyupdate;   /* HelloRetryRequest, one KeyUpdate per side */
};

static void check_capture(const struct cap_case *t, const char *rsa_spec,
			  bool want_ok)
{
	char path[256];
	struct sift_tls_keys *k = sift_tls_keys_new();
	struct sift_tls_keyerr err;
	struct sink *s = calloc(1, sizeof(*s));
	struct cap_conn cc[MAX_CONNS];
	uint8_t *want;
	size_t n, nc, i;

	assert_non_null(s);
	snprintf(path, sizeof(path), "testdata/tls-%s.keys", t->name);
	if (!t->rsa)
		assert_int_equal(sift_tls_keylog_load(k, path, &err), SIFT_OK);
	if (rsa_spec != NULL)
		assert_int_equal(sift_tls_rsa_key_add(k, rsa_spec, &err), SIFT_OK);
	snprintf(path, sizeof(path), "testdata/tls-%s.pcap", t->name);
	nc = feed_pcap(path, k, s, cc);
	assert_int_equal(nc, t->conns);
	for (i = 0; i < nc; i++) {
		const struct sift_tls_info *in = sift_tls_conn_info(cc[i].c);

		if (!want_ok) {
			assert_int_not_equal(in->status, SIFT_TLS_DECRYPTED);
			continue;
		}
		if (in->status != SIFT_TLS_DECRYPTED)
			print_error("%s conn %zu: %s\n", t->name, i,
				    sift_tls_status_str(in->status));
		assert_int_equal(in->status, SIFT_TLS_DECRYPTED);
		assert_int_equal(in->version, t->version);
		assert_int_equal(in->suite, t->suite);
		assert_int_equal(in->client_side, 0);
		assert_int_equal(in->rsa_kx, t->rsa);
		assert_int_equal(in->etm, t->etm);
		if (t->version == 0x0303) {
			assert_int_equal(in->ems, t->ems);
			assert_int_equal(in->resumed, i > 0);
		}
		/* The client closed with close_notify. */
		assert_true(in->close_notify[0]);
		assert_int_equal(in->hrr, t->hrr_keyupdate);
		assert_int_equal(in->key_updates[0], t->hrr_keyupdate);
		assert_int_equal(in->key_updates[1], t->hrr_keyupdate);
		assert_int_equal(in->early_skipped, 0);
	}
	if (want_ok) {
		snprintf(path, sizeof(path), "testdata/tls-%s.c2s", t->name);
		want = slurp(path, &n);
		assert_non_null(want);
		assert_int_equal(s->n[0], n);
		assert_memory_equal(s->data[0], want, n);
		free(want);
		snprintf(path, sizeof(path), "testdata/tls-%s.s2c", t->name);
		want = slurp(path, &n);
		assert_non_null(want);
		assert_int_equal(s->n[1], n);
		assert_memory_equal(s->data[1], want, n);
		free(want);
	} else {
		assert_int_equal(s->n[0] + s->n[1], 0);
	}
	for (i = 0; i < nc; i++)
		sift_tls_conn_free(cc[i].c);
	sift_tls_keys_free(k);
	free(s);
}

static const struct cap_case cap_cases[] = {
	{ "tls13-aes128gcm", 0x0304, 0x1301, false, false, false, 1, false },
	{ "tls13-aes256gcm", 0x0304, 0x1302, false, false, false, 1, false },
	{ "tls13-chacha20", 0x0304, 0x1303, false, false, false, 1, false },
	{ "tls13-hrr-keyupdate", 0x0304, 0x1301, false, false, false, 1, true },
	{ "tls12-ecdhe-aes128gcm", 0x0303, 0xc02f, false, false, true, 1, false },
	{ "tls12-ecdhe-chacha20", 0x0303, 0xcca8, false, false, true, 1, false },
	{ "tls12-ecdhe-cbc-sha-etm", 0x0303, 0xc013, false, true, true, 1, false },
	{ "tls12-ecdhe-cbc-sha-noetm", 0x0303, 0xc013, false, false, true, 1, false },
	{ "tls12-ecdhe-cbc-sha384", 0x0303, 0xc028, false, false, true, 1, false },
	{ "tls12-resume-ticket", 0x0303, 0xc02f, false, false, true, 2, false },
	{ "tls12-resume-id", 0x0303, 0xc02f, false, false, true, 2, false },
	/* A server with an ECDSA certificate. */
	{ "tls12-ecdsa-aes256gcm", 0x0303, 0xc02c, false, false, true, 1, false },
	{ "tls13-ecdsa-aes128gcm", 0x0304, 0x1301, false, false, false, 1, false },
};

static const struct cap_case rsa_cases[] = {
	{ "tls12-rsa-aes256gcm", 0x0303, 0x009d, true, false, true, 1, false },
	{ "tls12-rsa-cbc-sha256-noems", 0x0303, 0x003c, true, false, false, 1, false },
	/* The second connection resumes the first (ticket; session ID). */
	{ "tls12-rsa-resume-ticket", 0x0303, 0x009d, true, false, true, 2, false },
	{ "tls12-rsa-resume-id", 0x0303, 0x003c, true, false, true, 2, false },
};

static void test_captures_keylog(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cap_cases) / sizeof(cap_cases[0]); i++)
		check_capture(&cap_cases[i], NULL, true);
}

static void test_captures_rsa(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rsa_cases) / sizeof(rsa_cases[0]); i++) {
		check_capture(&rsa_cases[i], "testdata/tls-server.key", true);
		check_capture(&rsa_cases[i], "127.0.0.1:5061=testdata/tls-server.key", true);
		/* A key for another address, or another server's key. */
		check_capture(&rsa_cases[i], "127.0.0.2:5061=testdata/tls-server.key", false);
		check_capture(&rsa_cases[i], "testdata/tls-other.key", false);
		check_capture(&rsa_cases[i], NULL, false);
	}
}

static void test_capture_rsa_mismatch_status(void **state)
{
	struct sift_tls_keys *k = sift_tls_keys_new();
	struct sift_tls_keyerr err;
	struct sink *s = calloc(1, sizeof(*s));
	struct cap_conn cc[MAX_CONNS];

	(void)state;
	assert_int_equal(sift_tls_rsa_key_add(k, "testdata/tls-other.key", &err), SIFT_OK);
	assert_int_equal(feed_pcap("testdata/tls-tls12-rsa-aes256gcm.pcap", k, s, cc), 1);
	assert_int_equal(sift_tls_conn_info(cc[0].c)->status, SIFT_TLS_RSA_MISMATCH);
	sift_tls_conn_free(cc[0].c);
	sift_tls_keys_free(k);
	/* The right key for another server, or none: no key for this one,
	 * not a key that does not fit. */
	k = sift_tls_keys_new();
	assert_int_equal(sift_tls_rsa_key_add(k, "127.0.0.2:5061=testdata/tls-server.key", &err), SIFT_OK);
	assert_int_equal(feed_pcap("testdata/tls-tls12-rsa-aes256gcm.pcap", k, s, cc), 1);
	assert_int_equal(sift_tls_conn_info(cc[0].c)->status, SIFT_TLS_NO_RSA_KEY);
	sift_tls_conn_free(cc[0].c);
	sift_tls_keys_free(k);
	k = sift_tls_keys_new();
	assert_int_equal(feed_pcap("testdata/tls-tls12-rsa-aes256gcm.pcap", k, s, cc), 1);
	assert_int_equal(sift_tls_conn_info(cc[0].c)->status, SIFT_TLS_NO_RSA_KEY);
	sift_tls_conn_free(cc[0].c);
	sift_tls_keys_free(k);
	/* Only an RSA key for (EC)DHE sessions (an ECDSA server, TLS 1.2 and
	 * 1.3; an RSA server with ECDHE): it says the RSA key cannot help. */
	{
		static const char *const dh[] = {
			"testdata/tls-tls12-ecdsa-aes256gcm.pcap",
			"testdata/tls-tls13-ecdsa-aes128gcm.pcap",
			"testdata/tls-tls12-ecdhe-aes128gcm.pcap",
		};

		for (size_t i = 0; i < 3; i++) {
			k = sift_tls_keys_new();
			assert_int_equal(sift_tls_rsa_key_add(k, "testdata/tls-server.key", &err), SIFT_OK);
			assert_int_equal(feed_pcap(dh[i], k, s, cc), 1);
			assert_int_equal(sift_tls_conn_info(cc[0].c)->status, SIFT_TLS_DH_NO_KEYLOG);
			sift_tls_conn_free(cc[0].c);
			sift_tls_keys_free(k);
		}
	}
	/* An EC key is refused, saying why. */
	k = sift_tls_keys_new();
	assert_int_equal(sift_tls_rsa_key_add(k, "testdata/tls-server-ec.key", &err), SIFT_EINVAL);
	assert_non_null(strstr(err.why, "EC key"));
	sift_tls_keys_free(k);
	/* A TLS 1.3 capture with another capture's key log. */
	k = sift_tls_keys_new();
	assert_int_equal(sift_tls_keylog_load(k, "testdata/tls-tls13-aes128gcm.keys", &err), SIFT_OK);
	memset(s, 0, sizeof(*s));
	assert_int_equal(feed_pcap("testdata/tls-tls13-chacha20.pcap", k, s, cc), 1);
	assert_int_equal(sift_tls_conn_info(cc[0].c)->status, SIFT_TLS_NO_KEY);
	assert_int_equal(s->calls, 0);
	sift_tls_conn_free(cc[0].c);
	sift_tls_keys_free(k);
	free(s);
}

/* A master secret the RSA key gave is handed on once, after a record
 * proved it; as a key log line it opens the same capture with no RSA key
 * (what decrypt -w writes for Wireshark). A key log's own secret, or a
 * wrong key's, is not handed on. */
static void test_capture_rsa_learnt(void **state)
{
	struct sift_tls_keys *k = sift_tls_keys_new();
	struct sift_tls_keyerr err;
	struct sink *s = calloc(1, sizeof(*s));
	struct cap_conn cc[MAX_CONNS];
	uint8_t cr[32], ms[48];
	char line[200];
	size_t i;

	(void)state;
	assert_non_null(s);
	assert_int_equal(sift_tls_rsa_key_add(k, "testdata/tls-server.key", &err), SIFT_OK);
	assert_int_equal(feed_pcap("testdata/tls-tls12-rsa-aes256gcm.pcap", k, s, cc), 1);
	assert_int_equal(sift_tls_conn_info(cc[0].c)->status, SIFT_TLS_DECRYPTED);
	assert_true(sift_tls_conn_take_learnt(cc[0].c, cr, ms));
	assert_false(sift_tls_conn_take_learnt(cc[0].c, cr, ms));
	assert_memory_equal(cr, sift_tls_conn_info(cc[0].c)->client_random, 32);
	sift_tls_conn_free(cc[0].c);
	sift_tls_keys_free(k);
	memcpy(line, "CLIENT_RANDOM ", 14);
	for (i = 0; i < 32; i++)
		snprintf(line + 14 + 2 * i, 3, "%02x", cr[i]);
	line[78] = ' ';
	for (i = 0; i < 48; i++)
		snprintf(line + 79 + 2 * i, 3, "%02x", ms[i]);
	k = sift_tls_keys_new();
	assert_int_equal(sift_tls_keylog_add_text(k, line, strlen(line), &err), SIFT_OK);
	memset(s, 0, sizeof(*s));
	assert_int_equal(feed_pcap("testdata/tls-tls12-rsa-aes256gcm.pcap", k, s, cc), 1);
	assert_int_equal(sift_tls_conn_info(cc[0].c)->status, SIFT_TLS_DECRYPTED);
	assert_true(s->n[0] > 0 && s->n[1] > 0);
	/* Known from the key log: nothing learnt. */
	assert_false(sift_tls_conn_take_learnt(cc[0].c, cr, ms));
	sift_tls_conn_free(cc[0].c);
	sift_tls_keys_free(k);
	k = sift_tls_keys_new();
	assert_int_equal(sift_tls_rsa_key_add(k, "testdata/tls-other.key", &err), SIFT_OK);
	assert_int_equal(feed_pcap("testdata/tls-tls12-rsa-aes256gcm.pcap", k, s, cc), 1);
	assert_false(sift_tls_conn_take_learnt(cc[0].c, cr, ms));
	sift_tls_conn_free(cc[0].c);
	sift_tls_keys_free(k);
	free(s);
}

/* RSA key exchange happens in the full handshake only: the resumed
 * connection reads with the master secret kept from it, by ticket and by
 * session ID, and hands that secret on under its own client random.
 * Without the store, the resumed connection says its handshake is not in
 * the capture. */
static void test_capture_rsa_resumed(void **state)
{
	static const char *const caps[] = {
		"testdata/tls-tls12-rsa-resume-ticket.pcap",
		"testdata/tls-tls12-rsa-resume-id.pcap",
	};
	struct sift_tls_keyerr err;
	struct sink *s = calloc(1, sizeof(*s));
	struct cap_conn cc[MAX_CONNS];
	uint8_t cr[2][32], ms[2][48];
	size_t i;

	(void)state;
	assert_non_null(s);
	for (i = 0; i < 2; i++) {
		struct sift_tls_keys *k = sift_tls_keys_new();

		assert_int_equal(sift_tls_rsa_key_add(k, "testdata/tls-server.key", &err), SIFT_OK);
		memset(s, 0, sizeof(*s));
		assert_int_equal(feed_pcap(caps[i], k, s, cc), 2);
		assert_true(sift_tls_conn_info(cc[1].c)->resumed);
		assert_int_equal(sift_tls_conn_info(cc[1].c)->status, SIFT_TLS_DECRYPTED);
		assert_true(sift_tls_conn_take_learnt(cc[0].c, cr[0], ms[0]));
		assert_true(sift_tls_conn_take_learnt(cc[1].c, cr[1], ms[1]));
		assert_memory_not_equal(cr[0], cr[1], 32);
		assert_memory_equal(ms[0], ms[1], 48);
		assert_int_equal(*sift_tls_sessions_evicted(feed_sessions), 0);
		sift_tls_conn_free(cc[0].c);
		sift_tls_conn_free(cc[1].c);
		use_sessions = false;
		memset(s, 0, sizeof(*s));
		assert_int_equal(feed_pcap(caps[i], k, s, cc), 2);
		use_sessions = true;
		assert_int_equal(sift_tls_conn_info(cc[0].c)->status, SIFT_TLS_DECRYPTED);
		assert_int_equal(sift_tls_conn_info(cc[1].c)->status, SIFT_TLS_NO_HANDSHAKE);
		sift_tls_conn_free(cc[0].c);
		sift_tls_conn_free(cc[1].c);
		sift_tls_keys_free(k);
	}
	free(s);
}

/* The store keeps SIFT_TLS_MAX_SESSIONS entries: one more overwrites the
 * oldest, counted; a key put again is updated in place. */
static void test_sessions_bounded(void **state)
{
	struct sift_tls_sessions *ss = sift_tls_sessions_new();
	uint8_t key[32] = { 0 }, m[48], got[48];
	uint32_t i;

	(void)state;
	assert_non_null(ss);
	for (i = 0; i <= SIFT_TLS_MAX_SESSIONS; i++) {
		memcpy(key, &i, sizeof(i));
		memset(m, (int)(i & 0xff), sizeof(m));
		sift_tls_sessions_put(ss, SIFT_TLS_SESS_ID, key, 32, m);
	}
	assert_int_equal(*sift_tls_sessions_evicted(ss), 1);
	i = 0;
	memcpy(key, &i, sizeof(i));
	assert_false(sift_tls_sessions_get(ss, SIFT_TLS_SESS_ID, key, 32, got));
	i = SIFT_TLS_MAX_SESSIONS;
	memcpy(key, &i, sizeof(i));
	assert_true(sift_tls_sessions_get(ss, SIFT_TLS_SESS_ID, key, 32, got));
	assert_int_equal(got[0], (uint8_t)(SIFT_TLS_MAX_SESSIONS & 0xff));
	/* Same bytes, other kind: not found. */
	assert_false(sift_tls_sessions_get(ss, SIFT_TLS_SESS_TICKET, key, 32, got));
	memset(m, 0x5a, sizeof(m));
	sift_tls_sessions_put(ss, SIFT_TLS_SESS_ID, key, 32, m);
	assert_int_equal(*sift_tls_sessions_evicted(ss), 1);
	assert_true(sift_tls_sessions_get(ss, SIFT_TLS_SESS_ID, key, 32, got));
	assert_int_equal(got[47], 0x5a);
	sift_tls_sessions_free(ss);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc8448_traffic_keys),
		cmocka_unit_test(test_key_update_secret),
		cmocka_unit_test(test_prf_vectors),
		cmocka_unit_test(test_rfc8448_conn),
		cmocka_unit_test(test_rfc8448_app_secrets_only),
		cmocka_unit_test(test_rfc8448_wrong_or_no_key),
		cmocka_unit_test(test_no_handshake),
		cmocka_unit_test(test_gap_and_garbage),
		cmocka_unit_test(test_keylog_errors),
		cmocka_unit_test(test_keylog_many),
		cmocka_unit_test(test_rsa_spec),
		cmocka_unit_test(test_captures_keylog),
		cmocka_unit_test(test_captures_rsa),
		cmocka_unit_test(test_capture_rsa_mismatch_status),
		cmocka_unit_test(test_capture_rsa_learnt),
		cmocka_unit_test(test_capture_rsa_resumed),
		cmocka_unit_test(test_sessions_bounded),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	sift_tls_sessions_free(feed_sessions);
	return rc;
}
