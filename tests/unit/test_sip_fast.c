/* sip_msg.c reads plain messages itself (sip_fast.c) and gives the rest to
 * libosip2: held here to the answer libosip2 alone gives, field for field.
 * Messages of the stacks in testdata/ (sipp, baresip, kamailio) must take
 * the plain path; every one-byte change to them (a separator, a quote, a
 * line end, a letter or digit in its place, or the byte gone) must give
 * what libosip2 gives, whichever path it takes. fuzz_sip_fast does the
 * same on arbitrary bytes. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint/lint_syntax.h"
#include "sip/sip_fast.h"
#include "sip/sip_msg.h"

static const char *const plain_msgs[] = {
	/* sipp uac, over UDP */
	"INVITE sip:service@127.0.0.2:5070 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-5104-1-0\r\n"
	"From: sipp <sip:sipp@127.0.0.1:5060>;tag=5104SIPpTag001\r\n"
	"To: service <sip:service@127.0.0.2:5070>\r\n"
	"Call-ID: 1-5104@127.0.0.1\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: sip:sipp@127.0.0.1:5060\r\n"
	"Max-Forwards: 70\r\n"
	"Subject: Performance Test\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length:   129\r\n"
	"\r\n"
	"v=0\r\n"
	"o=user1 53655765 2353687637 IN IP4 127.0.0.1\r\n"
	"s=-\r\n"
	"c=IN IP4 127.0.0.1\r\n"
	"t=0 0\r\n"
	"m=audio 6000 RTP/AVP 0\r\n"
	"a=rtpmap:0 PCMU/8000\r\n",
	/* sipp uas */
	"SIP/2.0 180 Ringing\r\n"
	"Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-5104-1-0\r\n"
	"From: sipp <sip:sipp@127.0.0.1:5060>;tag=5104SIPpTag001\r\n"
	"To: service <sip:service@127.0.0.2:5070>;tag=5084SIPpTag011\r\n"
	"Call-ID: 1-5104@127.0.0.1\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:127.0.0.2:5070;transport=UDP>\r\n"
	"Content-Length: 0\r\n"
	"\r\n",
	/* baresip through kamailio: Record-Route, two Vias, Allow */
	"INVITE sip:bob@127.0.0.30:5060;transport=udp SIP/2.0\r\n"
	"Record-Route: <sip:127.0.0.20;lr;ftag=bf6080573daee6f2>\r\n"
	"Via: SIP/2.0/UDP 127.0.0.20;branch=z9hG4bK2614.2afd6ab994b9ffdc99d27a5f215bc8fc.0\r\n"
	"Via: SIP/2.0/UDP 127.0.0.10:5060;received=127.0.0.10;branch=z9hG4bK9db967f80a532e8d;rport=5060\r\n"
	"Contact: <sip:alice-0x55e32cd74840@127.0.0.10:5060>\r\n"
	"Max-Forwards: 69\r\n"
	"To: <sip:bob@127.0.0.20;transport=udp>\r\n"
	"From: <sip:alice@127.0.0.20>;tag=bf6080573daee6f2\r\n"
	"Call-ID: d38a919993b60b41\r\n"
	"CSeq: 63175 INVITE\r\n"
	"User-Agent: baresip v1.0.0 (x86_64/linux)\r\n"
	"Allow: INVITE,ACK,BYE,CANCEL,OPTIONS,NOTIFY,SUBSCRIBE,INFO,MESSAGE,REFER\r\n"
	"Supported: gruu\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 12\r\n"
	"\r\n"
	"v=0\r\n"
	"s=-\r\n"
	"\r\n",
	/* baresip REGISTER: a quoted, comma-separated Authorization */
	"REGISTER sip:127.0.0.20;transport=udp SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 127.0.0.30:5060;branch=z9hG4bK983275bd3da0f3e5;rport\r\n"
	"Contact: <sip:bob-0x55e890214b20@127.0.0.30:5060>;expires=0\r\n"
	"Max-Forwards: 70\r\n"
	"Authorization: Digest username=\"bob\", realm=\"127.0.0.20\", "
	"nonce=\"awfXm2sH1m9cO8Id9ikpsjQSG+p3NQ4B\", uri=\"sip:127.0.0.20;transport=udp\", "
	"response=\"25605eb2c4172f6f6cebb35b71ca989c\", qop=auth, nc=00000001\r\n"
	"To: <sip:bob@127.0.0.20>\r\n"
	"From: <sip:bob@127.0.0.20>;tag=8c2df06a36dbee1a\r\n"
	"Call-ID: 543b983ead937192\r\n"
	"CSeq: 8873 REGISTER\r\n"
	"Content-Length: 0\r\n"
	"\r\n",
	/* sipp uas behind kamailio: both Vias in one header */
	"SIP/2.0 180 Ringing\r\n"
	"Via: SIP/2.0/UDP 127.0.0.20;branch=z9hG4bKdda1.d95df7afd813c7c7edeeed91d53f65bb.0, "
	"SIP/2.0/UDP 127.0.0.10:5060;branch=z9hG4bK-5810-1-0\r\n"
	"Record-Route: <sip:127.0.0.20;lr;ftag=5810SIPpTag001>\r\n"
	"From: sipp <sip:sipp@127.0.0.10:5060>;tag=5810SIPpTag001\r\n"
	"To: bob <sip:bob@127.0.0.20:5060>;tag=5805SIPpTag011\r\n"
	"Call-ID: 1-5810@127.0.0.10\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:127.0.0.30:5060;transport=UDP>\r\n"
	"Content-Length: 0\r\n"
	"\r\n",
	/* sipp over IPv6 */
	"INVITE sip:bob@[fd00:5195::2]:5060 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP [fd00:5195::1]:5060;branch=z9hG4bK-7363-1-0\r\n"
	"From: sipp <sip:sipp@[fd00:5195::1]:5060>;tag=7363SIPpTag001\r\n"
	"To: bob <sip:bob@[fd00:5195::2]:5060>\r\n"
	"Call-ID: 1-7363@fd00:5195::1\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: sip:sipp@[fd00:5195::1]:5060\r\n"
	"Max-Forwards: 70\r\n"
	"Content-Length: 0\r\n"
	"\r\n",
	/* compact forms, a quoted display name, Via alias and rport */
	"SIP/2.0 200 OK\r\n"
	"v: SIP/2.0/TCP 192.0.2.1:5062;branch=z9hG4bK776asdhds;rport=5062;alias\r\n"
	"f: \"Alice Smith\" <sip:alice@example.com>;tag=1928301774\r\n"
	"t: Bob <sip:bob@example.com>;tag=a6c85cf\r\n"
	"i: a84b4c76e66710@pc33.example.com\r\n"
	"CSeq: 314159 INVITE\r\n"
	"m: <sip:bob@192.0.2.4>\r\n"
	"c: Application/SDP\r\n"
	"Server: Example/1.0\r\n"
	"l: 4\r\n"
	"\r\n"
	"v=0\n",
};

/* Messages whose syntax findings agree() compared. */
static unsigned long syn_checked;

/* Both paths on p[0..n): the same answer, or fail. True when the plain
 * path took it. */
static bool agree(const uint8_t *p, size_t n)
{
	struct sift_sip_msg *a = NULL, *b = NULL;
	enum sift_sip_err ea = SIFT_SIPE_NONE, eb = SIFT_SIPE_NONE;
	enum sift_rc ra = sift_sip_parse(p, n, &a, &ea);
	bool fast = sift_sip_parse_was_fast();
	enum sift_rc rb = sift_sip_parse_osip(p, n, &b, &eb);
	const char *d = NULL;

	if (ra != rb || ea != eb || !a != !b || (a && (d = sift_sip_msg_differ(a, b))))
		fail_msg("paths differ (plain path %s): rc %d/%d, %s/%s, field %s, on:\n%.*s",
			 fast ? "taken" : "not taken", ra, rb, sift_sip_err_str(ea),
			 sift_sip_err_str(eb), d ? d : "-", (int)n, (const char *)p);
	/* Lint's syntax rules skip what the plain grammar proves (a->plain);
	 * on b, read by libosip2, they check everything: the same findings. */
	if (a) {
		static struct sift_syn fa, fb;

		assert_true(a->plain == fast);
		assert_false(b->plain);
		sift_lint_syntax_check(a, &fa);
		sift_lint_syntax_check(b, &fb);
		if (!sift_syn_same(&fa, &fb))
			fail_msg("lint's syntax findings differ on a plain message:\n%.*s",
				 (int)n, (const char *)p);
		syn_checked++;
	}
	sift_sip_msg_free(a);
	sift_sip_msg_free(b);
	return fast;
}

static void test_plain_taken(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(plain_msgs) / sizeof(plain_msgs[0]); i++)
		if (!agree((const uint8_t *)plain_msgs[i], strlen(plain_msgs[i])))
			fail_msg("message %zu went to libosip2", i);
}

/* Every byte of each message replaced by each of these, each inserted
 * before it, and the byte removed. (Once, by hand: every printable byte
 * replaced and inserted, 596,790 messages, 324,556 of them plain, the
 * same answers and the same lint findings.) */
static const char subst[] = " ,;:<>\"@=\r\n\t%A0\\/?[";

static void test_one_byte_changes(void **state)
{
	size_t taken = 0, total = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(plain_msgs) / sizeof(plain_msgs[0]); i++) {
		size_t n = strlen(plain_msgs[i]);
		uint8_t *p = malloc(n + 1);

		assert_non_null(p);
		for (size_t k = 0; k < n; k++) {
			for (size_t c = 0; c < sizeof(subst) - 1; c++) {
				/* Inserted before byte k. */
				memcpy(p, plain_msgs[i], k);
				p[k] = (uint8_t)subst[c];
				memcpy(p + k + 1, plain_msgs[i] + k, n - k);
				taken += agree(p, n + 1);
				total++;
				memcpy(p, plain_msgs[i], n);
				if (p[k] == (uint8_t)subst[c])
					continue;
				p[k] = (uint8_t)subst[c];
				taken += agree(p, n);
				total++;
			}
			memcpy(p, plain_msgs[i], k);
			memcpy(p + k, plain_msgs[i] + k + 1, n - k - 1);
			taken += agree(p, n - 1);
			total++;
		}
		free(p);
	}
	/* Both ways were walked: many changes keep a message plain (a
	 * letter for a letter), many do not. */
	assert_true(taken > total / 10);
	assert_true(taken < total - total / 10);
	/* Lint's findings were compared on every message that came out. */
	assert_true(syn_checked > taken);
}

/* Changes the plain path must not take. */
static void test_not_taken(void **state)
{
	static const char *const other[] = {
		/* folded header */
		"OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
		"From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: x\r\nCSeq: 1\r\n OPTIONS\r\n\r\n",
		/* a Via received that is an IPv6 address */
		"OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP [::1]:5060;branch=z9hG4bK1;received=::2\r\n"
		"From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n\r\n",
		/* an escaped user part */
		"OPTIONS sip:%61@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
		"From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n\r\n",
		/* LF line ends */
		"OPTIONS sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\n"
		"From: <sip:a@b>;tag=1\nTo: <sip:a@b>\nCall-ID: x\nCSeq: 1 OPTIONS\n\n",
		/* a body longer than Content-Length */
		"OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
		"From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n"
		"Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nabc",
		/* a multipart body */
		"OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
		"From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n"
		"Content-Type: multipart/mixed;boundary=zz\r\nContent-Length: 3\r\n\r\nabc",
		/* a parameter libosip2 hides when it writes the URI back */
		"OPTIONS sip:a@b;x-obr SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
		"From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n\r\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		if (agree((const uint8_t *)other[i], strlen(other[i])))
			fail_msg("case %zu took the plain path", i);
}

/* Cases at the edge of the plain path's rules: taken or not, the answer
 * is libosip2's. */
static void test_edges(void **state)
{
#define HEAD "OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n"
#define VIA "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
#define FT "From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\n"
	static const char *const edges[] = {
		HEAD VIA "From: <sip:a@b>;tag=1;tag=2\r\nTo: <sip:a@b>\r\n\r\n",
		HEAD VIA "From: <sip:a@b>;tag;tag=2\r\nTo: <sip:a@b>;Tag=3\r\n\r\n",
		HEAD "Via: SIP/2.0/UDP h;branch=1;branch=2;rport=7;rport;received=r;received=s\r\n" FT "\r\n",
		HEAD "Via: SIP/2.0/UDP h;branch;rport=;received\r\n" FT "\r\n",
		HEAD "Via: SIP/2.0/UDP h:99999;Branch=x;RPORT=1;alias=2\r\n" FT "\r\n",
		HEAD VIA FT "Max-Forwards: 70\r\nMax-Forwards: 1\r\n\r\n",
		HEAD VIA FT "Max-Forwards:\r\n\r\n",
		HEAD VIA FT "Max-Forwards: 256\r\n\r\n",
		HEAD VIA FT "Content-Length: 000\r\n\r\n",
		HEAD VIA FT "Content-Type: text/plain\r\nContent-Length: 0003\r\n\r\nabc",
		HEAD VIA FT "Content-Length: 3\r\n\r\nabc",
		"OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\nCSeq: 2147483647 OPTIONS\r\n" VIA FT "\r\n",
		"OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\nCSeq: 2147483648 OPTIONS\r\n" VIA FT "\r\n",
		"SIP/2.0 699 X\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n" VIA FT "\r\n",
		"SIP/2.0 700 X\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n" VIA FT "\r\n",
		"SIP/2.0 099 X\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n" VIA FT "\r\n",
		"SIP/2.0 200 \r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n" VIA FT "\r\n",
		"SIP/2.0 200\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n" VIA FT "\r\n",
		HEAD VIA FT "Call-ID: y\r\n\r\n",
		HEAD VIA FT "Contact: <sip:c@d>\r\nContact: <sip:e@f>;expires=1\r\nm: sip:g@h\r\n\r\n",
		HEAD "Via: SIP/2.0/UDP h;branch=1 ,\tSIP/2.0/TCP g:5;rport\r\nv: SIP/2.0/UDP i\r\n" FT "\r\n",
		HEAD "Via: SIP/2.0/UDP h;branch=1,\r\n" FT "\r\n",
		HEAD "Via: SIP/2.0/UDP h;branch=1,,SIP/2.0/UDP g\r\n" FT "\r\n",
		HEAD "Via: SIP/2.0/UDP h;branch=1, x\r\n" FT "\r\n",
		HEAD "Via: SIP/2.0/UDP [::1]\r\n" "From: <sip:[::1]>;tag=1\r\nTo: <sip:a@[1::]:9>\r\n\r\n",
		HEAD "Via: SIP/2.0/UDP [abc]\r\n" "From: <sip:a@[abc]>;tag=1\r\nTo: <sip:a@b>\r\n\r\n",
		HEAD "Via: SIP/2.0/UDP [::1\r\n" "From: <sip:a@[]>;tag=1\r\nTo: <sip:a@[::g]>\r\n\r\n",
		HEAD "Via: SIP/2.0/UDP [::1]x\r\n" "From: <sip:a@[::1]x>;tag=1\r\nTo: <sip:a@b>\r\n\r\n",
		HEAD "Via: SIP/2.0/UDP [::ffff:1.2.3.4]:7\r\n" "From: <sip:a@[::ffff:1.2.3.4]>;tag=1\r\nTo: <sip:a@b>\r\n\r\n",
		HEAD VIA FT "Supported: a,,b\r\n\r\n",
		HEAD VIA FT "Supported: ,a\r\n\r\n",
		HEAD VIA FT "X-Q: \"a,b\r\n\r\n",
		HEAD VIA FT "Subject: \"a,b\r\n\r\n",
		HEAD VIA FT "Allow: INVITE, ,ACK\r\n\r\n",
		HEAD VIA FT "Accept: x;;;\r\nRoute: nonsense\r\nRecord-Route: <bad\r\n\r\n",
		HEAD VIA FT "Content-Encoding: \r\nMIME-Version: x\r\nCall-Info: ?\r\n\r\n",
		HEAD VIA "From: \"a\" <sip:a@b>;tag=1\r\nTo: a b  c <sip:a@b>\r\n\r\n",
		HEAD VIA "From: sip:a@b;tag=1\r\nTo: sip:a@b\r\n\r\n",
		HEAD VIA "From: <sips:a@b:5061;lr;maddr=x>;tag=1\r\nTo: <sip:b>\r\n\r\n",
		HEAD VIA "From: <sip:a@b;x-OBP>;tag=1\r\nTo: <sip:b>\r\n\r\n",
		HEAD VIA "From: <sip:a:pw@b>;tag=1\r\nTo: <sip:b>\r\n\r\n",
		HEAD VIA "From: <SIP:a@b>;tag=1\r\nTo: <sip:b>\r\n\r\n",
		"OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x@y@z\r\nCSeq: 1 OPTIONS\r\n" VIA FT "\r\n",
		"OPTIONS sip:a@b SIP/2.0\r\nCall-ID: @y\r\nCSeq: 1 OPTIONS\r\n" VIA FT "\r\n",
		"OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x@\r\nCSeq: 1 OPTIONS\r\n" VIA FT "\r\n",
		"OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\nCSeq: 1 options\r\n" VIA FT "\r\n",
		"\r\nOPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n" VIA FT "\r\n",
		"OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n" VIA FT,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		agree((const uint8_t *)edges[i], strlen(edges[i]));
#undef HEAD
#undef VIA
#undef FT
}

/* The table of byte classes, against the sets as sip_fast.c's comment
 * writes them. */
static void test_classes(void **state)
{
	(void)state;
	for (unsigned c = 0; c < 256; c++) {
		bool alnum = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
			     (c >= 'a' && c <= 'z');
		bool hex = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') ||
			   (c >= 'a' && c <= 'f');
		bool plain = alnum || (c && strchr("-_.!~*'+", (int)c));
		unsigned want = 0;

		want |= plain ? 1 : 0;
		want |= plain || (c && strchr("$&=()", (int)c)) ? 2 : 0;
		want |= alnum || c == '.' || c == '-' ? 4 : 0;
		want |= hex || c == ':' || c == '.' ? 8 : 0;
		want |= plain && !(c >= 'A' && c <= 'Z') ? 16 : 0;
		want |= plain || (c && strchr("%`():/[]?{}", (int)c)) ? 32 : 0;
		want |= alnum || c == '-' || c == '.' || c == '+' ? 64 : 0;
		want |= c >= '0' && c <= '9' ? 128 : 0;
		if (sift_sip_fast_class((uint8_t)c) != want)
			fail_msg("byte 0x%02x: class 0x%02x, sets say 0x%02x", c,
				 sift_sip_fast_class((uint8_t)c), want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_plain_taken),
		cmocka_unit_test(test_one_byte_changes),
		cmocka_unit_test(test_not_taken),
		cmocka_unit_test(test_edges),
	};

	sift_sip_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
