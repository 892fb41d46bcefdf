/* Unit tests for the grammar checks on raw message text (src/lint_syntax.c,
 * RFC 3261 §25), through sift_lint_message as the pipeline calls it.
 *
 * Messages are built here and parsed with sift_sip_parse. Those libosip2
 * rejects (the checks must still hold if the parser changes) go in as a
 * struct sift_sip_msg holding only the raw bytes, in a buffer of exactly
 * their size so that the sanitizers see any read past the end. The last
 * tests run the 49 RFC 4475 messages (testdata/torture, or
 * $SIFT_TORTURE_DIR) both ways and every prefix of each. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint/lint.h"
#include "lint/lint_syntax.h"
#include "sip/sip_msg.h"

#define FRAME 7

static struct sift_findings *fs;
static struct sift_lint_cfg cfg;

static int setup(void **state)
{
	(void)state;
	sift_sip_init();
	sift_lint_cfg_default(&cfg);
	fs = sift_findings_new();
	return fs ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	sift_findings_free(fs);
	fs = NULL;
	return 0;
}

/* A message from parts; NULL takes the default, "" leaves the header out.
 * Content-Length is the body's unless no_cl. */
struct parts {
	const char *start, *via, *to, *from, *callid, *cseq, *maxf, *extra;
	const char *body;
	bool no_cl;
};

static char msgbuf[8192];

static const char *build(const struct parts *p)
{
	const char *body = p->body ? p->body : "";
	int n;

#define H(field, name, def) \
	(p->field && !*p->field) ? "" : name, \
	(p->field && !*p->field) ? "" : (p->field ? p->field : def), \
	(p->field && !*p->field) ? "" : "\r\n"
	n = snprintf(msgbuf, sizeof(msgbuf),
		     "%s\r\n%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s",
		     p->start ? p->start : "OPTIONS sip:bob@example.com SIP/2.0",
		     H(via, "Via: ", "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds"),
		     H(to, "To: ", "Bob <sip:bob@example.com>"),
		     H(from, "From: ", "\"Alice\" <sip:alice@example.com>;tag=1928301774"),
		     H(callid, "Call-ID: ", "a84b4c76e66710@pc33.example.com"),
		     H(cseq, "CSeq: ", "314159 OPTIONS"),
		     H(maxf, "Max-Forwards: ", "70"),
		     p->extra ? p->extra : "");
#undef H
	assert_true(n > 0 && (size_t)n < sizeof(msgbuf));
	if (!p->no_cl)
		n += snprintf(msgbuf + n, sizeof(msgbuf) - (size_t)n,
			      "Content-Length: %zu\r\n", strlen(body));
	snprintf(msgbuf + n, sizeof(msgbuf) - (size_t)n, "\r\n%s", body);
	return msgbuf;
}

#define MSG(...) build(&(const struct parts){ __VA_ARGS__ })

static void lint_into(const struct sift_sip_msg *m, struct sift_findings *out)
{
	struct sift_lint_msg lm;

	memset(&lm, 0, sizeof(lm));
	lm.m = m;
	lm.tp = SIFT_TP_UDP;
	lm.where.file = 0;
	lm.where.frame = FRAME;
	sift_lint_message(&cfg, &lm, out);
}

static unsigned indexed_runs;

/* Lints m into fs. A message that holds the header lines its parse
 * walked (m->hdrs) is linted a second time without them, lint walking
 * the raw text itself: the findings must be the same, word for word. */
static void run(const struct sift_sip_msg *m)
{
	size_t before = sift_findings_count(fs);
	struct sift_sip_msg walk;
	struct sift_findings *again;

	lint_into(m, fs);
	if (!m->hdrs)
		return;
	indexed_runs++;
	walk = *m;
	walk.hdrs = NULL;
	walk.nhdrs = 0;
	again = sift_findings_new();
	assert_non_null(again);
	lint_into(&walk, again);
	assert_int_equal(sift_findings_count(again), sift_findings_count(fs) - before);
	for (size_t i = 0; i < sift_findings_count(again); i++) {
		const struct sift_finding *a = sift_findings_get(fs, before + i);
		const struct sift_finding *b = sift_findings_get(again, i);

		assert_string_equal(a->rule, b->rule);
		assert_string_equal(a->message, b->message);
	}
	sift_findings_free(again);
}

/* Parses n bytes, which must parse, and lints them. */
static void lint_parsed_n(const void *s, size_t n)
{
	struct sift_sip_msg *m = NULL;
	enum sift_sip_err why = SIFT_SIPE_NONE;

	if (sift_sip_parse(s, n, &m, &why) != SIFT_OK)
		fail_msg("not parsed (%s): %.80s", sift_sip_err_str(why),
			 (const char *)s);
	run(m);
	sift_sip_msg_free(m);
}

static void lint_parsed(const char *s)
{
	lint_parsed_n(s, strlen(s));
}

/* Lints the bytes as a message the parser took, whatever libosip2 says:
 * only the raw text is set (what lint_syntax reads), in an exact-size
 * copy; the method equals the CSeq method and Max-Forwards is present, so
 * that no other rule speaks. */
static void lint_raw_n(const void *s, size_t n)
{
	struct sift_sip_msg m;
	uint8_t *copy = malloc(n ? n : 1);

	assert_non_null(copy);
	if (n)
		memcpy(copy, s, n);
	memset(&m, 0, sizeof(m));
	m.raw = copy;
	m.raw_len = n;
	m.request = !(n >= 4 && memcmp(s, "SIP/", 4) == 0);
	m.method = m.cseq_method = "OPTIONS";
	m.call_id = "raw-call-id";
	m.max_forwards = 70;
	m.via.rport_value = -1;
	run(&m);
	free(copy);
}

static void lint_raw(const char *s)
{
	lint_raw_n(s, strlen(s));
}

/* Findings of rule whose message contains frag. */
static size_t count(const char *rule, const char *frag)
{
	size_t c = 0;

	for (size_t i = 0; i < sift_findings_count(fs); i++) {
		const struct sift_finding *f = sift_findings_get(fs, i);

		if (strcmp(f->rule, rule) == 0 && strstr(f->message, frag))
			c++;
	}
	return c;
}

static void dump(void)
{
	for (size_t i = 0; i < sift_findings_count(fs); i++) {
		const struct sift_finding *f = sift_findings_get(fs, i);

		print_message("  finding: [%s] %s\n", f->rule, f->message);
	}
}

static void reset(void)
{
	sift_findings_free(fs);
	fs = sift_findings_new();
	assert_non_null(fs);
}

/* Exactly one finding in fs, of rule, with frag in its message. */
static void expect(const char *rule, const char *frag)
{
	if (sift_findings_count(fs) != 1 || count(rule, frag) != 1) {
		dump();
		fail_msg("expected one %s finding with \"%s\", got %zu findings",
			 rule, frag, sift_findings_count(fs));
	}
	reset();
}

static void expect_none(void)
{
	if (sift_findings_count(fs) != 0) {
		dump();
		fail_msg("expected no finding, got %zu", sift_findings_count(fs));
	}
	reset();
}

#define PE "sip-parse-error"

static const char SDP[] =
	"v=0\r\n"
	"o=alice 2890844526 2890844526 IN IP4 192.0.2.1\r\n"
	"s=-\r\n"
	"c=IN IP4 192.0.2.1\r\n"
	"t=0 0\r\n"
	"m=audio 49170 RTP/AVP 0\r\n";

/* Well-formed messages that exercise the grammar's corners: no finding. */
static void test_clean(void **state)
{
	(void)state;
	lint_parsed(MSG(.start = "INVITE sip:bob@example.com;transport=udp SIP/2.0",
			.cseq = "1 INVITE",
			.to = "\"Bob \\\"the\\\\ builder\\\"\" <sip:bob@example.com>",
			.from = "alice<sip:alice@example.com;user=phone>;tag=1;x=\"a;b\"",
			.extra = "Contact: <sip:alice@192.0.2.1>;expires=4294967295;+sip.instance=\"<urn:uuid:1>\", sip:x@y;q=0.5\r\n"
				 "Route: <sip:p1.example.com;lr>,<sip:p2.example.com;lr>\r\n"
				 "Record-Route: <sip:[2001:db8::1]:5060;lr>\r\n"
				 "Date: Sat, 13 Nov 2010 23:29:00 GMT\r\n"
				 "Expires: 0\r\n"
				 "Warning: 399 devnull \"a, b\", 370 p.example.com \"x\"\r\n"
				 "Subject: \"unbalanced in free text is fine\r\n"
				 "Content-Type: application/sdp; charset=\"utf-8\"\r\n",
			.body = SDP));
	expect_none();
	/* Folding, compact forms, SWS around ':' '/' '=', leading zeros,
	 * Contact: *, escapes and '?' in a user part, IPv6 sent-by. */
	lint_parsed("REGISTER sip:registrar.example.com SIP/2.0\r\n"
		    "v:  SIP  / 2.0  / TCP     [2001:db8::9]:5061   ;\r\n"
		    "  branch  =   z9hG4bK9ikj8  ,\r\n"
		    " SIP/2.0/UDP 192.0.2.2 ; received = 192.0.2.3;rport\r\n"
		    "t :\r\n sip:%75ser?x@example.com ;   tag    = 1918181833n\r\n"
		    "f: sip:user@example.com\r\n  ;\r\n  tag = 98asjd8\r\n"
		    "i: reg.1@192.0.2.1\r\n"
		    "MaX-fOrWaRdS: 0068\r\n"
		    "cseq: 0009\r\n  REGISTER\r\n"
		    "m: *\r\n"
		    "Expires: 0\r\n"
		    "l: 0\r\n\r\n");
	expect_none();
	/* A response with an empty reason phrase and a UTF-8 one. */
	lint_parsed(MSG(.start = "SIP/2.0 100 ", .to = "<sip:bob@example.com>;tag=2"));
	expect_none();
	lint_parsed(MSG(.start = "SIP/2.0 200 \xd0\xbd\xd0\xbe OK"));
	expect_none();
	/* Unknown schemes and a '?' outside a SIP URI. */
	lint_raw(MSG(.start = "OPTIONS soap.beep://192.0.2.103:3002 SIP/2.0"));
	expect_none();
	lint_raw(MSG(.start = "OPTIONS urn:x:y?z SIP/2.0"));
	expect_none();
	/* Datagram with octets past Content-Length 0 (RFC 4475 dblreq): no
	 * body, so no Content-Type is missing. */
	lint_raw(MSG(.no_cl = true, .extra = "Content-Length: 0\r\n",
		     .body = "OPTIONS sip:x@y SIP/2.0\r\n\r\n"));
	expect_none();
}

/* Where a finding points: the frame, the Call-ID, the rule's RFC. */
static void test_finding_fields(void **state)
{
	const struct sift_finding *f;
	char err[128];

	(void)state;
	lint_parsed(MSG(.extra = "Date: Fri, 01 Jan 2010 16:00:00 EST\r\n"));
	assert_int_equal(sift_findings_count(fs), 1);
	f = sift_findings_get(fs, 0);
	assert_string_equal(f->rule, PE);
	assert_int_equal(f->nframes, 1);
	assert_int_equal(f->frames[0].frame, FRAME);
	assert_string_equal(f->call_id, "a84b4c76e66710@pc33.example.com");
	assert_string_equal(f->rfc, "RFC 3261 §7");
	assert_non_null(strstr(f->message, "400 Bad Request"));
	reset();
	/* Off when the rule is off. */
	assert_int_equal(sift_lint_cfg_parse(&cfg, "-sip-parse-error", err, sizeof(err)), SIFT_OK);
	lint_parsed(MSG(.extra = "Date: Fri, 01 Jan 2010 16:00:00 EST\r\n"));
	expect_none();
	sift_lint_cfg_default(&cfg);
}

static void test_version(void **state)
{
	(void)state;
	/* RFC 4475 badvers: libosip2 takes it. */
	lint_parsed(MSG(.start = "OPTIONS sip:t.watson@example.org SIP/7.0"));
	expect(PE, "SIP version SIP/7.0 is not SIP/2.0; a strict element answers 505 Version Not Supported");
	lint_parsed(MSG(.via = "SIP/3.0/UDP c.example.com;branch=z9hG4bKkdjuw"));
	expect(PE, "Via sent-protocol SIP/3.0 is not SIP/2.0");
	lint_raw(MSG(.start = "SIP/2.1 200 OK"));
	expect(PE, "SIP version SIP/2.1 is not SIP/2.0");
	/* With another problem, both codes are named. */
	lint_parsed(MSG(.start = "OPTIONS sip:a@example.org SIP/7.0", .maxf = "300"));
	assert_int_equal(count(PE, "SIP version SIP/7.0 is not SIP/2.0; Max-Forwards 300 is outside 0-255; a strict element answers 400 Bad Request (505 Version Not Supported for the version)"), 1);
	reset();
	/* The version is case-insensitive (§7.1). */
	lint_raw(MSG(.start = "OPTIONS sip:a@example.org sip/2.0"));
	expect_none();
}

static void test_request_line(void **state)
{
	(void)state;
	lint_raw(MSG(.start = "INVITE  sip:user@example.com  SIP/2.0"));
	expect(PE, "request line has more than one SP between its elements");
	lint_raw(MSG(.start = "INVITE sip:user@example.com\tSIP/2.0"));
	expect(PE, "request line separates its elements with HTAB, not SP");
	lint_raw(MSG(.start = "INVITE sip:user@example.com; lr SIP/2.0"));
	expect(PE, "Request-URI 'sip:user@example.com; lr' contains unescaped spaces");
	lint_raw(MSG(.start = "OPTIONS sip:remote-target@example.com SIP/2.0  "));
	expect(PE, "request line ends in white space after the SIP version");
	lint_raw(MSG(.start = "INVITE <sip:user@example.com> SIP/2.0"));
	expect(PE, "Request-URI <sip:user@example.com> is enclosed in <>");
	lint_raw(MSG(.start = "INVITE sip:user@example.com HTTP/1.1"));
	expect(PE, "request line ends in 'HTTP/1.1', not a SIP version");
	lint_raw(MSG(.start = "INVITE sip:user@example.com"));
	expect(PE, "has no SIP version");
	lint_raw(MSG(.start = "INVITE user@example.com SIP/2.0"));
	expect(PE, "Request-URI 'user@example.com' has no scheme");
	lint_raw(MSG(.start = "INVITE sip:us\"er@example.com SIP/2.0"));
	expect(PE, "has '\"', which must be escaped");
	lint_raw(MSG(.start = "INVITE sip:us\xc3\xa9r@example.com SIP/2.0"));
	expect(PE, "has 0xc3, which must be escaped");
}

/* RFC 4475 escruri and the escapes of §19.1.2. */
static void test_request_uri_escapes(void **state)
{
	(void)state;
	lint_parsed(MSG(.start = "INVITE sip:user@example.com?Route=%3Csip:example.com%3E SIP/2.0",
			.cseq = "1 INVITE"));
	expect(PE, "Request-URI carries headers '?Route=%3Csip:example.com%3E'");
	lint_raw(MSG(.start = "INVITE sips:user@example.com;lr?Subject=x SIP/2.0"));
	expect(PE, "Request-URI carries headers '?Subject=x'");
	/* '?' in the user part is user-unreserved. */
	lint_parsed(MSG(.start = "OPTIONS sip:crazy?,/;;*@example.com SIP/2.0"));
	expect_none();
	lint_parsed(MSG(.start = "OPTIONS sip:sips%3Auser%40example.com@example.net SIP/2.0"));
	expect_none();
	lint_raw(MSG(.start = "OPTIONS sip:null-%00-null@example.com SIP/2.0"));
	expect_none();
	lint_raw(MSG(.start = "OPTIONS sip:a%4@example.com SIP/2.0"));
	expect(PE, "Request-URI has a bad escape '%4@'");
	lint_raw(MSG(.start = "OPTIONS sip:a%zz@example.com SIP/2.0"));
	expect(PE, "bad escape '%zz'");
	lint_raw(MSG(.start = "OPTIONS sip:a@example.com;x=% SIP/2.0"));
	expect(PE, "bad escape '%'");
}

/* Quotes and angle brackets in name-addr headers (RFC 4475 quotbal,
 * badaspec, baddn, ltgtruri's header cousins). */
static void test_addresses(void **state)
{
	(void)state;
	lint_raw(MSG(.to = "\"Mr. J. User <sip:j.user@example.com>"));
	expect(PE, "unterminated quoted string in To");
	lint_raw(MSG(.to = "\"Mr. J. User\\\" <sip:j.user@example.com>"));
	expect(PE, "unterminated quoted string in To");
	lint_raw(MSG(.to = "<sip:j.user@example.com"));
	expect(PE, "To has '<' without '>'");
	lint_raw(MSG(.to = "<sip:a@example.com <sip:b@example.com>"));
	expect(PE, "To has '<' without '>'");
	lint_raw(MSG(.to = "\"Watson, Thomas\" < sip:t.watson@example.org >"));
	expect(PE, "To has spaces inside < sip:t.watson@example.org >");
	lint_raw(MSG(.from = "Bell, Alexander <sip:a.g.bell@example.com>;tag=43"));
	expect(PE, "From display name 'Bell, Alexander' has ',' and is not quoted");
	lint_raw(MSG(.from = "sip:x <sip:a.g.bell@example.com>;tag=43"));
	expect(PE, "From display name 'sip:x' has ':' and is not quoted");
	lint_raw(MSG(.to = "Bob"));
	expect(PE, "To value 'Bob' is neither <URI> nor a URI");
	lint_raw(MSG(.to = ""));
	expect_none();  /* absent is the parser's business */
	lint_raw(MSG(.extra = "To:\r\n"));
	expect(PE, "To has an empty value");
	lint_raw(MSG(.to = "<sip:bob@exa mple.com>"));
	expect(PE, "To URI 'sip:bob@exa mple.com' contains spaces");
	lint_raw(MSG(.to = "sip:bob@exa mple.com"));
	expect(PE, "To URI 'sip:bob@exa mple.com' contains spaces");
	lint_raw(MSG(.to = "<sip:bob@example.com> junk"));
	expect(PE, "To has 'j' where a ';' parameter or the end belongs");
	lint_raw(MSG(.to = "<sip:bob@example.com>;tag"));
	expect_none();
	lint_raw(MSG(.to = "<sip:bob@example.com>;tag="));
	expect(PE, "To parameter tag has '=' but no value");
	lint_raw(MSG(.to = "<sip:bob@example.com>;x=\"open"));
	expect(PE, "unterminated quoted string in To parameter x");
	lint_raw(MSG(.to = "<sip:bob@example.com>, <sip:carol@example.com>"));
	expect(PE, "To has ',' where a ';' parameter or the end belongs");
	lint_raw(MSG(.to = "sip:bob,carol@example.com"));
	expect(PE, "To URI with ',' is not enclosed in <>");
	lint_raw(MSG(.to = "<sip:b%g0b@example.com>"));
	expect(PE, "To URI has a bad escape '%g0'");
	lint_raw(MSG(.to = "<>"));
	expect(PE, "To URI is empty");
	/* Only plain bytes up to the '>', which the scan takes at once: the
	 * scheme still counts. */
	lint_raw(MSG(.to = "<bob@example.com>"));
	expect(PE, "To URI 'bob@example.com' has no scheme");
	lint_raw(MSG(.to = "<1sip:bob@example.com>"));
	expect(PE, "To URI '1sip:bob@example.com' has no scheme");
	lint_raw(MSG(.to = "<sip:bob@example.com%41>;tag=1"));
	expect_none();
	lint_raw(MSG(.to = "<sip:bob@example.com|x>"));
	expect(PE, "To URI 'sip:bob@example.com|x' has '|', which must be escaped");
}

/* Contact, Route, Record-Route (RFC 4475 regbadct, badinv01). */
static void test_address_lists(void **state)
{
	(void)state;
	/* regbadct: libosip2 takes it. */
	lint_parsed(MSG(.start = "REGISTER sip:example.com SIP/2.0", .cseq = "1 REGISTER",
			.extra = "Contact: sip:user@example.com?Route=%3Csip:sip.example.com%3E\r\n"));
	expect(PE, "Contact URI with headers '?Route=%3Csip:sip.example.com%3E' is not enclosed in <>");
	lint_parsed(MSG(.start = "REGISTER sip:example.com SIP/2.0", .cseq = "1 REGISTER",
			.extra = "Contact: <sip:user@example.com?Route=%3Csip:sip.example.com%3E>\r\n"));
	expect_none();
	lint_raw(MSG(.extra = "Contact: \"Joe\" <sip:joe@example.org>;;;;\r\n"));
	expect(PE, "Contact has an empty parameter (';' followed by ';')");
	lint_raw(MSG(.extra = "Contact: <sip:joe@example.org>;\r\n"));
	expect(PE, "Contact has an empty parameter (';' followed by nothing)");
	lint_raw(MSG(.extra = "Contact: <sip:a@example.org>,,<sip:b@example.org>\r\n"));
	expect(PE, "Contact has an empty value");
	lint_raw(MSG(.extra = "Contact: <sip:a@example.org>,\r\n"));
	expect(PE, "Contact has an empty value");
	lint_raw(MSG(.extra = "Contact: <sip:user@host129.example.com>\r\n  ;expires=280297596632815\r\n"));
	expect(PE, "Contact expires=280297596632815 does not fit in 32 bits");
	lint_raw(MSG(.extra = "Contact: <sip:user@example.com>;expires=soon\r\n"));
	expect(PE, "Contact expires=soon is not a number of seconds");
	lint_raw(MSG(.extra = "Route: sip:proxy.example.com;lr\r\n"));
	expect(PE, "Route URI 'sip:proxy.example.com' is not enclosed in <> (name-addr is required)");
	lint_raw(MSG(.extra = "Record-Route: <sip:p1.example.com;lr>, sip:p2.example.com\r\n"));
	expect(PE, "Record-Route URI 'sip:p2.example.com' is not enclosed in <>");
	lint_raw(MSG(.extra = "Route: <sip:p1.example.com;lr>\r\nRoute: <p2.example.com>\r\n"));
	expect(PE, "Route URI 'p2.example.com' has no scheme");
	/* One finding per rule however many headers are wrong. */
	lint_raw(MSG(.extra = "Contact: <sip:a@b>;;\r\nRoute: sip:x\r\nReply-To: \"x\r\n"));
	assert_int_equal(sift_findings_count(fs), 1);
	assert_int_equal(count(PE, "Contact has an empty parameter"), 1);
	assert_int_equal(count(PE, "Route URI 'sip:x' is not enclosed"), 1);
	assert_int_equal(count(PE, "unterminated quoted string in Reply-To"), 1);
	reset();
}

static void test_via(void **state)
{
	(void)state;
	lint_raw(MSG(.via = "SIP/2.0/UDP 192.0.2.15;;,;,,"));
	expect(PE, "Via has an empty parameter (';' followed by ';')");
	lint_raw(MSG(.via = "SIP/2.0/UDP 192.0.2.15;branch=z9hG4bK1,,SIP/2.0/UDP 192.0.2.16"));
	expect(PE, "Via has an empty value");
	lint_raw(MSG(.via = "SIP/2.0/UDP 192.0.2.15;branch=z9hG4bK1,"));
	expect(PE, "Via has an empty value");
	lint_raw(MSG(.via = "SIP/UDP 192.0.2.15;branch=z9hG4bK1"));
	expect(PE, "Via sent-protocol is not name/version/transport");
	lint_raw(MSG(.via = "SIP/2.0/UDP;branch=z9hG4bK1"));
	expect(PE, "Via has no sent-by after its sent-protocol");
	lint_raw(MSG(.via = "SIP/2.0/UDP 192.0.2.15 : 5060;branch=z9hG4bK1"));
	expect_none();
	lint_raw(MSG(.via = "SIP/2.0/UDP 192.0.2.15;branch=z9hG4bK1;received="));
	expect(PE, "Via parameter received has '=' but no value");
}

/* CSeq, Max-Forwards, Expires, Content-Length (RFC 4475 scalar02,
 * scalarlg, ncl). */
static void test_numbers(void **state)
{
	(void)state;
	lint_raw(MSG(.cseq = "36893488147419103232 REGISTER"));
	expect(PE, "CSeq number 36893488147419103232 does not fit in 32 bits");
	lint_raw(MSG(.cseq = "4294967296 OPTIONS"));
	expect(PE, "CSeq number 4294967296 does not fit in 32 bits");
	lint_raw(MSG(.cseq = "2147483648 OPTIONS"));
	expect(PE, "CSeq number 2147483648 is not below 2^31");
	lint_parsed(MSG(.cseq = "2147483647 OPTIONS"));
	expect_none();
	lint_raw(MSG(.cseq = "-3 OPTIONS"));
	expect(PE, "CSeq number -3 is negative");
	lint_raw(MSG(.cseq = "OPTIONS"));
	expect(PE, "CSeq 'OPTIONS' does not start with a number");
	lint_raw(MSG(.cseq = "8"));
	expect(PE, "CSeq '8' has no method after the number");
	lint_raw(MSG(.cseq = "8 OPTIONS junk"));
	expect(PE, "CSeq '8 OPTIONS junk' is not a number and one method token");
	/* Max-Forwards: the parser takes 300 as absent, so the missing
	 * header rule speaks too; ours says what is wrong. */
	lint_parsed(MSG(.maxf = "300"));
	assert_int_equal(count(PE, "Max-Forwards 300 is outside 0-255"), 1);
	reset();
	lint_parsed(MSG(.maxf = "255"));
	expect_none();
	lint_raw(MSG(.maxf = "-1"));
	expect(PE, "Max-Forwards -1 is negative");
	lint_raw(MSG(.maxf = "7O"));
	expect(PE, "Max-Forwards '7O' is not a number");
	lint_parsed(MSG(.extra = "Expires: 10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\r\n"));
	expect(PE, "Expires 1000000000000000000000000000000000000");
	lint_parsed(MSG(.extra = "Expires: 4294967296\r\n"));
	expect(PE, "Expires 4294967296 does not fit in 32 bits");
	lint_parsed(MSG(.extra = "Expires: 4294967295\r\n"));
	expect_none();
	lint_parsed(MSG(.extra = "Min-Expires: -60\r\n"));
	expect(PE, "Min-Expires -60 is negative");
	/* ncl: libosip2 takes a negative Content-Length. */
	lint_parsed(MSG(.no_cl = true, .extra = "Content-Type: application/sdp\r\nContent-Length: -999\r\n",
			.body = SDP));
	expect(PE, "Content-Length -999 is negative");
	lint_raw(MSG(.no_cl = true, .extra = "Content-Length: 4294967296\r\n"));
	expect(PE, "Content-Length 4294967296 does not fit in 32 bits");
	lint_raw(MSG(.no_cl = true, .extra = "l: bad\r\n"));
	expect(PE, "Content-Length 'bad' is not a number");
	/* scalarlg's Warning code. */
	lint_raw(MSG(.start = "SIP/2.0 503 Service Unavailable",
		     .extra = "Warning: 1812 overture \"In Progress\"\r\n"));
	expect(PE, "Warning code '1812' is not three digits");
	lint_raw(MSG(.extra = "Warning: 399 x \"ok\", 39 y \"short\"\r\n"));
	expect(PE, "Warning code '39' is not three digits");
	lint_raw(MSG(.extra = "Warning: 399 x \"open\r\n"));
	expect(PE, "unterminated quoted string in Warning");
}

/* §7.3.1: single-value headers twice (RFC 4475 multi01, mcl01). */
static void test_duplicates(void **state)
{
	(void)state;
	lint_raw(MSG(.no_cl = true, .extra = "Content-Length: 13\r\nMax-Forwards: 60\r\nContent-Length: 5\r\n"));
	expect(PE, "two Content-Length values ('13' and '5')");
	lint_raw(MSG(.extra = "Call-ID: other@192.0.2.2\r\n"));
	expect(PE, "two Call-ID values ('a84b4c76e66710@pc33.example.com' and 'other@192.0.2.2')");
	lint_raw(MSG(.extra = "CSeq: 59 OPTIONS\r\nTo: sip:other@example.net\r\nf: <sip:x@y>;tag=2\r\nMax-Forwards: 5\r\n"));
	assert_int_equal(sift_findings_count(fs), 1);
	assert_int_equal(count(PE, "two CSeq values"), 1);
	assert_int_equal(count(PE, "two To values"), 1);
	assert_int_equal(count(PE, "two From values"), 1);
	assert_int_equal(count(PE, "two Max-Forwards values ('70' and '5')"), 1);
	reset();
	/* The same value twice, white space aside, is let through; so are
	 * list headers. */
	lint_raw(MSG(.no_cl = true, .extra = "l: 0\r\nContent-Length:  0\r\ni: a84b4c76e66710@pc33.example.com\r\n"
		     "Via: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bKx\r\n"));
	expect_none();
	/* Reported once per header. */
	lint_raw(MSG(.extra = "Max-Forwards: 1\r\nMax-Forwards: 2\r\n"));
	assert_int_equal(count(PE, "two Max-Forwards values ('70' and '1')"), 1);
	assert_int_equal(count(PE, "'2'"), 0);
	reset();
}

/* §20.17 (RFC 4475 baddate). */
static void test_date(void **state)
{
	(void)state;
	lint_parsed(MSG(.extra = "Date: Fri, 01 Jan 2010 16:00:00 EST\r\n"));
	expect(PE, "Date 'Fri, 01 Jan 2010 16:00:00 EST' is not in GMT");
	lint_parsed(MSG(.extra = "Date: Fri, 1 Jan 2010 16:00:00 GMT\r\n"));
	expect(PE, "Date 'Fri, 1 Jan 2010 16:00:00 GMT' is not an RFC 1123 date");
	lint_parsed(MSG(.extra = "Date: Fry, 01 Jan 2010 16:00:00 GMT\r\n"));
	expect(PE, "is not an RFC 1123 date");
	lint_parsed(MSG(.extra = "Date: Fri, 01 Jon 2010 16:00:00 GMT\r\n"));
	expect(PE, "is not an RFC 1123 date");
	lint_parsed(MSG(.extra = "Date: Friday, 01-Jan-10 16:00:00 GMT\r\n"));
	expect(PE, "is not an RFC 1123 date");
	lint_parsed(MSG(.extra = "Date: fri, 01 jan 2010 16:00:00 gmt\r\n"));
	expect_none();
}

/* §20.15: Content-Type, and a body without one. */
static void test_content_type(void **state)
{
	char frag[128];

	(void)state;
	lint_raw(MSG(.extra = "Content-Type: application\r\n", .body = SDP));
	expect(PE, "Content-Type 'application' has no type/subtype");
	lint_raw(MSG(.extra = "Content-Type: application/\r\n", .body = SDP));
	expect(PE, "Content-Type 'application/' has no subtype after '/'");
	lint_raw(MSG(.extra = "c: application / sdp ;charset=utf-8\r\n", .body = SDP));
	expect_none();
	lint_raw(MSG(.extra = "Content-Type: application/sdp;;\r\n", .body = SDP));
	expect(PE, "Content-Type has an empty parameter");
	lint_parsed(MSG(.start = "SIP/2.0 200 OK", .body = SDP));
	snprintf(frag, sizeof(frag), "message has a %zu-byte body but no Content-Type header",
		 strlen(SDP));
	expect("missing-mandatory-header", frag);
	/* On a datagram the body is what Content-Length says. */
	lint_raw(MSG(.no_cl = true, .extra = "Content-Length: 3\r\n", .body = "abcdef"));
	expect("missing-mandatory-header", "a 3-byte body");
	lint_raw(MSG(.no_cl = true, .body = "\r\n\r\n"));
	expect_none();
	lint_raw_n(MSG(.no_cl = true, .body = "\r\n"), strlen(msgbuf) + 1);
	expect_none();  /* and the NUL that pads it */
}

/* §7.2 (RFC 4475 bigcode). */
static void test_status_line(void **state)
{
	(void)state;
	lint_raw(MSG(.start = "SIP/2.0 4294967301 better not break the receiver"));
	expect("status-code-invalid", "status code 4294967301 is outside 100-699");
	lint_raw(MSG(.start = "SIP/2.0 099 Low"));
	expect("status-code-invalid", "status code 099 is outside 100-699");
	lint_raw(MSG(.start = "SIP/2.0 OK"));
	expect("status-code-invalid", "status code 'OK' is not a number");
	lint_raw(MSG(.start = "SIP/2.0"));
	expect("status-code-invalid", "status line has no status code");
	lint_raw(MSG(.start = "SIP/2.0  200 OK"));
	expect(PE, "status line has more than one SP between its elements");
	lint_raw(MSG(.start = "SIP/2.0 200"));
	expect(PE, "status line has no SP after the status code");
}

static void test_header_lines(void **state)
{
	(void)state;
	lint_raw(MSG(.extra = "Not a header\r\n"));
	expect(PE, "header line 'Not a header' is not name ':' value");
	lint_raw(MSG(.extra = ": no name\r\n"));
	expect(PE, "header line ': no name' is not name ':' value");
	/* Bytes that are no printable ASCII are shown as '?'. */
	lint_raw(MSG(.extra = "X\x01Y: 1\r\n"));
	expect(PE, "header line 'X?Y: 1' is not name ':' value");
	/* Unknown headers may hold anything. */
	lint_parsed(MSG(.extra = "UnknownHeaderWithUnusualValue: ;;,,;;,;\r\nX-Q: \"<\r\n"));
	expect_none();
	/* Only what fits is listed, with the rest counted. */
	{
		char extra[2048];
		size_t o = 0;

		for (int i = 0; i < 30; i++)
			o += (size_t)snprintf(extra + o, sizeof(extra) - o,
					      "Bad header line number %02d\r\n", i);
		lint_raw(MSG(.extra = extra));
		assert_int_equal(sift_findings_count(fs), 1);
		assert_int_equal(count(PE, "more; a strict element answers 400"), 1);
		reset();
	}
}

/* Lines cut anywhere must never be read past: every prefix of a message
 * with every construct, in an exact-size buffer. */
static void test_every_prefix(void **state)
{
	const char *s = MSG(.start = "INVITE sip:a%41@b.example.com?x=y SIP/2.0",
			    .to = "\"Bob \\\"x\\\"\" < sip:bob@example.com >;tag=\"q\"",
			    .via = "SIP / 2.0 / UDP [2001:db8::1] : 5060 ;branch=z9hG4bK1 , SIP/2.0/TCP h;x=\"y\"",
			    .extra = "Contact: sip:c@d?e;expires=99999999999, *\r\n"
				     "Date: Sat, 13 Nov 2010 23:29:00 GMT\r\n"
				     "Warning: 399 x \"y\"\r\nCSeq: 2 INVITE\r\n"
				     "Content-Type: a/b;c=\"d\"\r\nl: 5\r\n",
			    .body = "hello");
	size_t n = strlen(s);

	(void)state;
	for (size_t i = 0; i <= n; i++)
		lint_raw_n(s, i);
	assert_true(sift_findings_count(fs) > 0);
	reset();
}

/* The RFC 4475 messages. For each: the fragment our checks report when
 * lint_syntax alone reads it (NULL: nothing), and whether the whole path
 * (parser, then every message rule) must report something. */
struct torture {
	const char *name;
	bool invalid;            /* RFC 4475 §3.1.2 */
	const char *rule;
	const char *frag;
};

static const struct torture TORTURE[] = {
	/* §3.1.1 valid */
	{ "wsinv", false, NULL, NULL },
	{ "intmeth", false, NULL, NULL },
	{ "esc01", false, NULL, NULL },
	{ "escnull", false, NULL, NULL },
	{ "esc02", false, NULL, NULL },
	{ "lwsdisp", false, NULL, NULL },
	{ "longreq", false, NULL, NULL },
	{ "dblreq", false, NULL, NULL },
	{ "semiuri", false, NULL, NULL },
	{ "transports", false, NULL, NULL },
	{ "mpart01", false, NULL, NULL },
	{ "unreason", false, NULL, NULL },
	{ "noreason", false, NULL, NULL },
	/* §3.1.2 invalid */
	{ "badinv01", true, PE, "Via has an empty parameter (';' followed by ';')" },
	{ "clerr", true, NULL, NULL },  /* Content-Length 9999: lint.c's rule */
	{ "ncl", true, PE, "Content-Length -999 is negative" },
	{ "scalar02", true, PE, "CSeq number 36893488147419103232 does not fit in 32 bits; Max-Forwards 300 is outside 0-255; Expires 1000" },
	{ "scalarlg", true, PE, "CSeq number 9292394834772304023312 does not fit in 32 bits; Warning code '1812' is not three digits" },
	{ "quotbal", true, PE, "unterminated quoted string in To" },
	{ "ltgtruri", true, PE, "Request-URI <sip:user@example.com> is enclosed in <>" },
	{ "lwsruri", true, PE, "Request-URI 'sip:user@example.com; lr' contains unescaped spaces" },
	{ "lwsstart", true, PE, "request line has more than one SP between its elements" },
	{ "trws", true, PE, "request line ends in white space after the SIP version" },
	{ "escruri", true, PE, "Request-URI carries headers '?Route=%3Csip:example.com%3E'" },
	{ "baddate", true, PE, "Date 'Fri, 01 Jan 2010 16:00:00 EST' is not in GMT" },
	{ "regbadct", true, PE, "Contact URI with headers '?Route=%3Csip:sip.example.com%3E' is not enclosed in <>" },
	{ "badaspec", true, PE, "To has spaces inside < sip:t.watson@example.org >" },
	{ "baddn", true, PE, "From display name 'Bell, Alexander' has ',' and is not quoted; To display name 'Watson, Thomas' has ','" },
	{ "badvers", true, PE, "SIP version SIP/7.0 is not SIP/2.0; Via sent-protocol SIP/7.0 is not SIP/2.0" },
	{ "mismatch01", true, NULL, NULL },     /* cseq-method-mismatch */
	{ "mismatch02", true, NULL, NULL },
	{ "bigcode", true, "status-code-invalid", "status code 4294967301 is outside 100-699" },
	/* §3.2 */
	{ "badbranch", false, NULL, NULL },
	/* §3.3: the grammar holds; multi01 and mcl01 break §7.3.1 */
	{ "insuf", false, NULL, NULL },
	{ "unkscm", false, NULL, NULL },
	{ "novelsc", false, NULL, NULL },
	{ "unksm2", false, NULL, NULL },
	{ "bext01", false, NULL, NULL },
	{ "invut", false, NULL, NULL },
	{ "regaut01", false, NULL, NULL },
	{ "multi01", false, PE, "two CSeq values ('5 INVITE' and '59 INVITE'); two Call-ID values ('multi01.98asdh@192.0.2.1' and 'multi01.98asdh@192.0.2.2'); two To values ('sip:user@example.com' and 'sip:other@example.net')" },
	{ "mcl01", false, PE, "two Content-Length values ('13' and '5')" },
	{ "bcast", false, NULL, NULL },
	{ "zeromf", false, NULL, NULL },
	{ "cparam01", false, NULL, NULL },
	{ "cparam02", false, NULL, NULL },
	{ "regescrt", false, NULL, NULL },
	{ "sdp01", false, NULL, NULL },
	/* §3.4 */
	{ "inv2543", false, NULL, NULL },
};

static uint8_t *slurp(const char *name, size_t *n)
{
	const char *dir = getenv("SIFT_TORTURE_DIR");
	char path[512];
	FILE *f;
	uint8_t *buf = malloc(65536);
	size_t got;

	assert_non_null(buf);
	snprintf(path, sizeof(path), "%s/%s.dat", dir ? dir : "testdata/torture", name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s (run from the repository root or set SIFT_TORTURE_DIR)", path);
	got = fread(buf, 1, 65536, f);
	fclose(f);
	assert_true(got > 0 && got < 65536);
	*n = got;
	return buf;
}

/* lint_syntax alone on the raw bytes: the expected finding or none. */
static void test_torture_raw(void **state)
{
	size_t invalid = 0, covered = 0;

	(void)state;
	assert_int_equal(sizeof(TORTURE) / sizeof(TORTURE[0]), 49);
	for (size_t i = 0; i < sizeof(TORTURE) / sizeof(TORTURE[0]); i++) {
		const struct torture *t = &TORTURE[i];
		size_t n;
		uint8_t *p = slurp(t->name, &n);

		lint_raw_n(p, n);
		if (t->frag ? sift_findings_count(fs) != 1 || count(t->rule, t->frag) != 1 :
			      sift_findings_count(fs) != 0) {
			dump();
			fail_msg("%s: expected %s", t->name, t->frag ? t->frag : "no finding");
		}
		reset();
		invalid += t->invalid;
		covered += t->invalid && t->frag;
		free(p);
	}
	assert_int_equal(invalid, 19);
	/* All but clerr, mismatch01 and mismatch02, which other rules of
	 * sift_lint_message cover (below). */
	assert_int_equal(covered, 16);
}

/* The path the pipeline takes: the parser, then sift_lint_message on the
 * parsed message or, when rejected, on the reason. Every invalid message
 * gives a finding (those libosip2 takes: ncl, escruri, baddate, regbadct,
 * badvers from lint_syntax, mismatch01/02 from cseq-method-mismatch); no
 * valid one that parses gets one from lint_syntax. */
static void test_torture_parsed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(TORTURE) / sizeof(TORTURE[0]); i++) {
		const struct torture *t = &TORTURE[i];
		struct sift_sip_msg *m = NULL;
		struct sift_lint_msg lm;
		enum sift_sip_err why = SIFT_SIPE_NONE;
		size_t n;
		uint8_t *p = slurp(t->name, &n);

		memset(&lm, 0, sizeof(lm));
		lm.where.frame = FRAME;
		if (sift_sip_parse(p, n, &m, &why) == SIFT_OK) {
			lm.m = m;
		} else {
			lm.raw = p;
			lm.n = n;
			lm.why = why;
			lm.call_id = "x";
		}
		sift_lint_message(&cfg, &lm, fs);
		if (t->invalid && sift_findings_count(fs) == 0)
			fail_msg("%s: invalid, and no finding", t->name);
		/* Those libosip2 takes get our finding, word for word. */
		if (t->invalid && m && t->frag && count(t->rule, t->frag) != 1) {
			dump();
			fail_msg("%s: parsed, and no finding with \"%s\"", t->name, t->frag);
		}
		if (!t->invalid && !t->frag && m && count(PE, "a strict element answers")) {
			dump();
			fail_msg("%s: valid, and a grammar finding", t->name);
		}
		reset();
		sift_sip_msg_free(m);
		free(p);
	}
}

/* Every prefix of every torture message, in an exact-size buffer. */
static void test_torture_prefixes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(TORTURE) / sizeof(TORTURE[0]); i++) {
		size_t n, step;
		uint8_t *p = slurp(TORTURE[i].name, &n);

		step = n > 2000 ? 7 : 1;
		for (size_t k = 0; k <= n; k += step)
			lint_raw_n(p, k);
		reset();
		free(p);
	}
}

/* A parse keeps the header lines it walked; CRLFs before the start line
 * (§7.5), where its walk and lint's would differ, keep none. Either way
 * run() holds lint with and without them to the same findings. */
static void test_header_index(void **state)
{
	struct sift_sip_msg *m = NULL;
	const char *s = MSG(.extra = "Subject: x\r\n");
	char lead[8300];
	unsigned runs = indexed_runs;

	(void)state;
	assert_int_equal(sift_sip_parse((const uint8_t *)s, strlen(s), &m, NULL), SIFT_OK);
	assert_non_null(m->hdrs);
	/* Via To From Call-ID CSeq Max-Forwards Subject Content-Length */
	assert_int_equal(m->nhdrs, 8);
	assert_true(m->hdrs[6].value.n == 1 && m->hdrs[6].value.p[0] == 'x');
	assert_true(m->hdrs[6].value.p >= m->raw && m->hdrs[6].value.p < m->raw + m->raw_len);
	sift_sip_msg_free(m);
	lint_parsed(MSG(.extra = "Subject: x\r\nMax-Forwards: 60\r\n"));
	assert_true(indexed_runs > runs);
	expect(PE, "two Max-Forwards values ('70' and '60')");
	reset();
	snprintf(lead, sizeof(lead), "\r\n\r\n%s", MSG(.body = "v=0\r\n"));
	if (sift_sip_parse((const uint8_t *)lead, strlen(lead), &m, NULL) == SIFT_OK) {
		assert_null(m->hdrs);
		run(m);
		sift_sip_msg_free(m);
	}
	reset();
}

/* The kind of a header name, by the table's order, one kind at a time:
 * what sift_syn_header_kind answered before it looked by first letter. */
static enum sift_syn_hk kind_by_scan(struct sift_span name)
{
	for (int k = H_OTHER + 1; k < H_COUNT; k++) {
		const char *c = sift_syn_hdrs[k].compact;

		if (name.n && sift_span_ieq(name, sift_syn_hdrs[k].name))
			return (enum sift_syn_hk)k;
		if (c && name.n == 1 && sift_lower(name.p[0]) == (uint8_t)c[0])
			return (enum sift_syn_hk)k;
	}
	return H_OTHER;
}

/* Every name and compact form of the table in any case, every name cut
 * and lengthened by one, and random short names from the letters of
 * header names: the same kind as a scan of the whole table gives. */
static void test_header_kind(void **state)
{
	static const char letters[] = "cdefilmrtvwaxyz-A_C1";
	uint64_t rng = 0x9e3779b97f4a7c15ULL;

	(void)state;
	for (int k = H_OTHER + 1; k < H_COUNT; k++) {
		char buf[32];
		const char *n = sift_syn_hdrs[k].name, *c = sift_syn_hdrs[k].compact;
		size_t len = strlen(n);

		assert_int_equal(sift_syn_header_kind(sift_span_of((const uint8_t *)n, len)), k);
		for (size_t i = 0; i < len; i++)
			buf[i] = (char)(i % 2 ? n[i] : n[i] - ('a' <= n[i] && n[i] <= 'z' ? 32 : 0));
		assert_int_equal(sift_syn_header_kind(sift_span_of((const uint8_t *)buf, len)), k);
		assert_int_equal(sift_syn_header_kind(sift_span_of((const uint8_t *)n, len - 1)),
				 kind_by_scan(sift_span_of((const uint8_t *)n, len - 1)));
		memcpy(buf, n, len);
		buf[len] = 's';
		assert_int_equal(sift_syn_header_kind(sift_span_of((const uint8_t *)buf, len + 1)),
				 H_OTHER);
		if (c) {
			char up = (char)(c[0] - 32);

			assert_int_equal(sift_syn_header_kind(sift_span_of((const uint8_t *)c, 1)), k);
			assert_int_equal(sift_syn_header_kind(sift_span_of((const uint8_t *)&up, 1)), k);
		}
	}
	assert_int_equal(sift_syn_header_kind(sift_span_of((const uint8_t *)"", 0)), H_OTHER);
	for (int i = 0; i < 200000; i++) {
		char buf[8];
		size_t len;

		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		len = 1 + rng % 4;
		for (size_t j = 0; j < len; j++)
			buf[j] = letters[(rng >> (8 + 5 * j)) % (sizeof(letters) - 1)];
		assert_int_equal(sift_syn_header_kind(sift_span_of((const uint8_t *)buf, len)),
				 kind_by_scan(sift_span_of((const uint8_t *)buf, len)));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_clean, setup, teardown),
		cmocka_unit_test_setup_teardown(test_finding_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_request_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_request_uri_escapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_addresses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_address_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_via, setup, teardown),
		cmocka_unit_test_setup_teardown(test_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_date, setup, teardown),
		cmocka_unit_test_setup_teardown(test_content_type, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_header_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_prefix, setup, teardown),
		cmocka_unit_test(test_header_kind),
		cmocka_unit_test_setup_teardown(test_header_index, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torture_raw, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torture_parsed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torture_prefixes, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
