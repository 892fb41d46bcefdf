/* Unit tests for the lint rules (src/lint*.c): every rule in the table
 * fires on a flow that breaks it, with the message at fault as its first
 * frame, and stays silent on the closest correct flow; rule selection
 * (--rules) and a disabled rule emitting nothing.
 *
 * Messages are struct sift_sip_msg filled with literals, as the parser
 * would hand them over, fed to sift_calls_add and to sift_lint_message in
 * capture order (as pipeline.c does); the call rules run once at the end.
 * Hosts: A 10.0.0.1 caller, P 10.0.0.2 proxy (10.1.0.2 its second
 * interface), B 10.0.0.3 callee (10.1.0.3 behind the second interface). */
#include "testutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sipsift/call.h"
#include "sipsift/finding.h"
#include "lint/lint.h"

#define T0 (1700000000 * SIFT_USEC)
#define MS 1000LL               /* sift_time units in a millisecond */
#define CID "lint-1@10.0.0.1"

#define A "10.0.0.1:5060"
#define P "10.0.0.2:5060"
#define B "10.0.0.3:5060"
#define P2 "10.1.0.2:5060"      /* the proxy's second interface */
#define B2 "10.1.0.3:5060"      /* a callee behind it */

/* One message as the parser would hand it over. Zero means "default"
 * for every field (see add()). */
struct msg {
	bool req;
	const char *method;       /* request method; a response's CSeq method */
	int status;
	const char *cid;          /* CID */
	uint32_t cseq;            /* 1 */
	const char *cseq_method;  /* method */
	const char *ruri;         /* requests: sip:bob@10.0.0.3 */
	const char *from;         /* URI: sip:alice@10.0.0.1 */
	const char *ftag;
	const char *to;           /* URI: sip:bob@10.0.0.3 */
	const char *ttag;
	const char *via;          /* top Via host: the client's IP */
	uint16_t via_port;        /* 5060 */
	const char *branch;
	bool rport;
	bool alias;
	unsigned vias;            /* 1 */
	const char *contact;      /* the URI, as the parser keeps it */
	const char *route;        /* header values as sent, ", "-joined */
	const char *rr;
	const char *src;          /* request A, response B */
	const char *dst;          /* request B, response A */
	enum sift_transport tp;   /* UDP */
	int64_t ms;               /* after T0; 0: 10 ms after the previous */
	const char *body;
	const char *ctype;        /* application/sdp when there is a body */
	bool no_clen;             /* no Content-Length header */
	bool clen_set;            /* Content-Length clen, not the body's length */
	size_t clen;
	bool no_maxfwd;
	const char *version;      /* SIP/2.0 */
};

struct t {
	struct sift_calls *cs;
	struct sift_findings *fs;
	struct sift_lint_cfg cfg;
	uint64_t frame;
	int64_t ms;
	bool linted;
};

#define REQ(t, ...) add((t), &(const struct msg){ .req = true, __VA_ARGS__ })
#define RSP(t, ...) add((t), &(const struct msg){ .req = false, __VA_ARGS__ })

static struct sift_addr ep(const char *s)
{
	struct sift_addr a;
	const char *p = s;
	char *end;

	memset(&a, 0, sizeof(a));
	a.family = 4;
	for (int i = 0; i < 4; i++) {
		unsigned long v = strtoul(p, &end, 10);

		assert_true(end != p && v <= 255);
		a.ip[i] = (uint8_t)v;
		p = end;
		if (i < 3) {
			assert_true(*p == '.');
			p++;
		}
	}
	a.port = 5060;
	if (*p == ':') {
		unsigned long v = strtoul(p + 1, &end, 10);

		assert_true(v > 0 && v < 65536 && *end == '\0');
		a.port = (uint16_t)v;
	}
	return a;
}

static const char *reason_of(int status)
{
	switch (status) {
	case 100: return "Trying";
	case 180: return "Ringing";
	case 200: return "OK";
	case 202: return "Accepted";
	case 481: return "Call/Transaction Does Not Exist";
	case 486: return "Busy Here";
	case 487: return "Request Terminated";
	default: return "Whatever";
	}
}

static const char *tp_name(enum sift_transport tp)
{
	switch (tp) {
	case SIFT_TP_TCP: return "TCP";
	case SIFT_TP_TLS: return "TLS";
	default: return "UDP";
	}
}

struct raw {
	char buf[4096];
	size_t len;
};

static void raw_put(struct raw *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void raw_put(struct raw *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(r->buf + r->len, sizeof(r->buf) - r->len, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof(r->buf) - r->len);
	r->len += (size_t)n;
}

/* A name-addr header (From, To, Contact): the URI in <>, and a tag. */
static void raw_addr(struct raw *r, const char *name, const char *uri,
		     const char *tag)
{
	raw_put(r, "%s: <%s>", name, uri);
	if (tag)
		raw_put(r, ";tag=%s", tag);
	raw_put(r, "\r\n");
}

/* The head of the message m, consistent with what the parser took from
 * it. */
static void raw_build(struct raw *r, const struct msg *s,
		      const struct sift_sip_msg *m, const char *version)
{
	r->len = 0;
	if (m->request)
		raw_put(r, "%s %s %s\r\n", m->method, m->ruri, version);
	else
		raw_put(r, "%s %d %s\r\n", version, m->status, m->reason);
	raw_put(r, "Via: SIP/2.0/%s %s:%u", m->via.transport, m->via.host,
		m->via.port);
	if (m->via.branch)
		raw_put(r, ";branch=%s", m->via.branch);
	if (m->via.rport)
		raw_put(r, ";rport");
	if (m->via.alias)
		raw_put(r, ";alias");
	raw_put(r, "\r\n");
	for (unsigned i = 1; i < m->via_count; i++)
		raw_put(r, "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-below%u\r\n", i);
	if (m->max_forwards >= 0)
		raw_put(r, "Max-Forwards: %d\r\n", m->max_forwards);
	raw_addr(r, "From", m->from_uri, m->from_tag);
	raw_addr(r, "To", m->to_uri, m->to_tag);
	raw_put(r, "Call-ID: %s\r\n", m->call_id);
	raw_put(r, "CSeq: %u %s\r\n", m->cseq, m->cseq_method);
	if (m->contact)
		raw_addr(r, "Contact", m->contact, NULL);
	if (m->route)
		raw_put(r, "Route: %s\r\n", m->route);
	if (m->record_route)
		raw_put(r, "Record-Route: %s\r\n", m->record_route);
	if (s->body)
		raw_put(r, "Content-Type: %s\r\n",
			s->ctype ? s->ctype : "application/sdp");
	if (!s->no_clen)
		raw_put(r, "Content-Length: %zu\r\n",
			s->clen_set ? s->clen : s->body ? strlen(s->body) : 0);
	raw_put(r, "\r\n");
}

/* Records a message in the calls and runs the per-message rules on it, as
 * the pipeline does. Returns its frame number. */
static uint64_t add(struct t *t, const struct msg *s)
{
	const char *src = s->src ? s->src : s->req ? A : B;
	const char *dst = s->dst ? s->dst : s->req ? B : A;
	const char *client = s->req ? src : dst;
	const char *version = s->version ? s->version : "SIP/2.0";
	struct sift_addr sa = ep(src), da = ep(dst);
	struct sift_sip_msg m;
	struct sift_lint_msg lm;
	struct sift_where w;
	char host[64];
	struct raw r;
	size_t hlen = strcspn(client, ":");

	snprintf(host, sizeof(host), "%.*s", (int)hlen, client);
	memset(&w, 0, sizeof(w));
	w.frame = ++t->frame;
	t->ms = s->ms ? s->ms : t->ms + 10;
	w.ts = T0 + t->ms * MS;

	memset(&m, 0, sizeof(m));
	m.request = s->req;
	m.method = s->method;
	m.status = s->req ? 0 : s->status;
	m.reason = s->req ? "" : reason_of(s->status);
	m.ruri = s->req ? (s->ruri ? s->ruri : "sip:bob@10.0.0.3") : NULL;
	m.call_id = s->cid ? s->cid : CID;
	m.cseq = s->cseq ? s->cseq : 1;
	m.cseq_method = s->cseq_method ? s->cseq_method : s->method;
	m.from_uri = s->from ? s->from : "sip:alice@10.0.0.1";
	m.from_tag = s->ftag;
	m.to_uri = s->to ? s->to : "sip:bob@10.0.0.3";
	m.to_tag = s->ttag;
	m.contact = s->contact;
	m.route = s->route;
	m.record_route = s->rr;
	m.via.transport = tp_name(s->tp);
	m.via.host = s->via ? s->via : host;
	m.via.port = s->via_port ? s->via_port : 5060;
	m.via.branch = s->branch;
	m.via.rport = s->rport;
	m.via.rport_value = -1;
	m.via.alias = s->alias;
	m.via_count = s->vias ? s->vias : 1;
	m.max_forwards = s->req && !s->no_maxfwd ? 70 : -1;

	/* The message as sent: the syntax rules rescan it. */
	raw_build(&r, s, &m, version);
	if (s->body) {
		m.body = (const uint8_t *)r.buf + r.len;
		m.body_len = strlen(s->body);
		m.content_type = s->ctype ? s->ctype : "application/sdp";
		raw_put(&r, "%s", s->body);
	}
	m.raw = (const uint8_t *)r.buf;
	m.raw_len = r.len;
	m.has_content_length = !s->no_clen;
	if (m.has_content_length)
		m.content_length = s->clen_set ? s->clen : m.body_len;

	assert_int_equal(sift_calls_add(t->cs, &m, &w, &sa, &da, s->tp), SIFT_OK);
	memset(&lm, 0, sizeof(lm));
	lm.m = &m;
	lm.tp = s->tp;
	lm.where = w;
	sift_lint_message(&t->cfg, &lm, t->fs);
	return w.frame;
}

/* A message the parser rejected for reason why; shown in its call when the
 * Call-ID could be read. */
static uint64_t rejected(struct t *t, const char *raw, enum sift_sip_err why,
			 const char *cid, const char *method, int status)
{
	struct sift_addr sa = ep(A), da = ep(B);
	struct sift_lint_msg lm;

	memset(&lm, 0, sizeof(lm));
	lm.raw = (const uint8_t *)raw;
	lm.n = strlen(raw);
	lm.why = why;
	lm.call_id = cid;
	lm.tp = SIFT_TP_UDP;
	lm.where.frame = ++t->frame;
	t->ms += 10;
	lm.where.ts = T0 + t->ms * MS;
	sift_lint_message(&t->cfg, &lm, t->fs);
	if (cid)
		assert_int_equal(sift_calls_add_damaged(t->cs, cid, method, status,
							&lm.where, &sa, &da,
							SIFT_TP_UDP),
				 SIFT_OK);
	return lm.where.frame;
}

/* Runs the call rules on every call, once. */
static void lint(struct t *t)
{
	assert_false(t->linted);
	t->linted = true;
	for (size_t i = 0; i < sift_calls_count(t->cs); i++)
		sift_lint_call(&t->cfg, sift_calls_get(t->cs, i), t->fs);
}

static void dump(const struct t *t)
{
	for (size_t i = 0; i < sift_findings_count(t->fs); i++) {
		const struct sift_finding *f = sift_findings_get(t->fs, i);

		print_message("  finding %s frames", f->rule);
		for (unsigned k = 0; k < f->nframes; k++)
			print_message(" %llu", (unsigned long long)f->frames[k].frame);
		print_message(": %s\n", f->message);
	}
}

static const struct sift_rule *rule_named(const char *id)
{
	for (int i = 0; i < SIFT_R_COUNT; i++)
		if (strcmp(sift_rule((enum sift_rule_id)i)->id, id) == 0)
			return sift_rule((enum sift_rule_id)i);
	fail_msg("no rule %s in the table", id);
	return NULL;
}

static size_t count_rule(const struct t *t, const char *rule)
{
	size_t k = 0;

	for (size_t i = 0; i < sift_findings_count(t->fs); i++)
		if (strcmp(sift_findings_get(t->fs, i)->rule, rule) == 0)
			k++;
	return k;
}

/* Rule `rule` fired exactly once, with exactly these frames (the message
 * at fault first), a message containing frag, the table's severity and
 * RFC, and the call's Call-ID (cid, or none when NULL). */
static void fired_in(const struct t *t, const char *rule, const char *cid,
		     const char *frag, const uint64_t *fr, size_t n)
{
	const struct sift_rule *r = rule_named(rule);
	const struct sift_finding *f = NULL;
	bool ok;

	assert_true(t->linted);
	if (count_rule(t, rule) != 1) {
		dump(t);
		fail_msg("%s fired %zu times, expected once", rule,
			 count_rule(t, rule));
	}
	for (size_t i = 0; i < sift_findings_count(t->fs); i++)
		if (strcmp(sift_findings_get(t->fs, i)->rule, rule) == 0)
			f = sift_findings_get(t->fs, i);
	ok = f->nframes == n;
	for (size_t i = 0; ok && i < n; i++)
		ok = f->frames[i].file == 0 && f->frames[i].frame == fr[i];
	if (!ok) {
		dump(t);
		print_error("expected frames");
		for (size_t i = 0; i < n; i++)
			print_error(" %llu", (unsigned long long)fr[i]);
		print_error("\n");
		fail_msg("%s has other frames", rule);
	}
	if (!strstr(f->message, frag)) {
		dump(t);
		fail_msg("%s: message lacks \"%s\"", rule, frag);
	}
	assert_int_equal(f->severity, r->severity);
	assert_string_equal(f->rfc, r->rfc);
	if (cid)
		assert_string_equal(f->call_id, cid);
	else
		assert_null(f->call_id);
}

static void only_rules(const struct t *t, const char *const *allowed, size_t n)
{
	for (size_t i = 0; i < sift_findings_count(t->fs); i++) {
		const char *rule = sift_findings_get(t->fs, i)->rule;
		bool ok = false;

		for (size_t k = 0; k < n; k++)
			ok = ok || strcmp(rule, allowed[k]) == 0;
		if (!ok) {
			dump(t);
			fail_msg("unexpected finding %s", rule);
		}
	}
}

#define FRAMES(...) (const uint64_t[]){ __VA_ARGS__ }, \
	sizeof((const uint64_t[]){ __VA_ARGS__ }) / sizeof(uint64_t)
/* Fired once as described, and nothing else fired. */
#define ONLY(t, rule, frag, ...) do { \
		fired_in((t), (rule), CID, (frag), FRAMES(__VA_ARGS__)); \
		only_rules((t), (const char *const[]){ (rule) }, 1); \
	} while (0)
/* Fired once as described; others may have fired too. */
#define FIRED(t, rule, frag, ...) \
	fired_in((t), (rule), CID, (frag), FRAMES(__VA_ARGS__))
#define NOT_FIRED(t, rule) do { \
		if (count_rule((t), (rule))) { \
			dump(t); \
			fail_msg("%s fired", (rule)); \
		} \
	} while (0)

static void silent(const struct t *t)
{
	assert_true(t->linted);
	if (sift_findings_count(t->fs)) {
		dump(t);
		fail_msg("%zu findings on a correct flow",
			 sift_findings_count(t->fs));
	}
}

static int setup(void **state)
{
	struct t *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	t->cs = sift_calls_new();
	t->fs = sift_findings_new();
	if (!t->cs || !t->fs) {
		sift_calls_free(t->cs);
		sift_findings_free(t->fs);
		free(t);
		return -1;
	}
	sift_lint_cfg_default(&t->cfg);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;

	sift_calls_free(t->cs);
	sift_findings_free(t->fs);
	free(t);
	return 0;
}

static const char SDP[] = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\n"
			  "c=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";

/* A calls B directly: INVITE, 100, 180, 200, ACK, BYE from A, 200. */
static void basic_call(struct t *t)
{
	REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
	    .contact = "sip:alice@10.0.0.1", .body = SDP, .ms = 1000);
	RSP(t, .method = "INVITE", .status = 100, .ftag = "f1",
	    .branch = "z9hG4bK-i1");
	RSP(t, .method = "INVITE", .status = 180, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1", .contact = "sip:bob@10.0.0.3", .ms = 1200);
	RSP(t, .method = "INVITE", .status = 200, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1", .contact = "sip:bob@10.0.0.3", .body = SDP,
	    .ms = 3000);
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-a1",
	    .ms = 3010);
	REQ(t, .method = "BYE", .cseq = 2, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-b1", .ms = 10000);
	RSP(t, .method = "BYE", .status = 200, .cseq = 2, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-b1");
}

/* Correct flows: nothing at all may fire. */

static void test_basic_call_silent(void **state)
{
	struct t *t = *state;

	basic_call(t);
	lint(t);
	silent(t);
}

/* A, P record-routing (loose), B: INVITE through P on two legs, 200 on
 * both, ACK with Route = the reversed Record-Route, which P pops (RFC 3261
 * §16.4, §12.2.1.1). */
struct proxy_frames {
	uint64_t inv_a, inv_p, ok_b, ok_p, ack_a, ack_p;
};

static const char RR_P[] = "<sip:10.0.0.2;lr>";

static struct proxy_frames proxied_call(struct t *t)
{
	struct proxy_frames f;

	f.inv_a = REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-a1",
		      .ruri = "sip:bob@example.com", .src = A, .dst = P,
		      .contact = "sip:alice@10.0.0.1", .body = SDP, .ms = 1000);
	RSP(t, .method = "INVITE", .status = 100, .ftag = "f1",
	    .branch = "z9hG4bK-a1", .src = P, .dst = A);
	f.inv_p = REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-p1",
		      .vias = 2, .src = P, .dst = B, .rr = RR_P,
		      .contact = "sip:alice@10.0.0.1", .body = SDP);
	RSP(t, .method = "INVITE", .status = 100, .ftag = "f1",
	    .branch = "z9hG4bK-p1", .vias = 2, .src = B, .dst = P);
	RSP(t, .method = "INVITE", .status = 180, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-p1", .vias = 2, .src = B, .dst = P, .rr = RR_P,
	    .contact = "sip:bob@10.0.0.3");
	RSP(t, .method = "INVITE", .status = 180, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-a1", .src = P, .dst = A, .rr = RR_P,
	    .contact = "sip:bob@10.0.0.3");
	f.ok_b = RSP(t, .method = "INVITE", .status = 200, .ftag = "f1",
		     .ttag = "t1", .branch = "z9hG4bK-p1", .vias = 2, .src = B,
		     .dst = P, .rr = RR_P, .contact = "sip:bob@10.0.0.3",
		     .body = SDP, .ms = 3000);
	f.ok_p = RSP(t, .method = "INVITE", .status = 200, .ftag = "f1",
		     .ttag = "t1", .branch = "z9hG4bK-a1", .src = P, .dst = A,
		     .rr = RR_P, .contact = "sip:bob@10.0.0.3", .body = SDP);
	f.ack_a = REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1",
		      .branch = "z9hG4bK-a2", .src = A, .dst = P, .route = RR_P);
	f.ack_p = REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1",
		      .branch = "z9hG4bK-p2", .vias = 2, .src = P, .dst = B);
	return f;
}

/* B hangs up through P: its route set is the Record-Route as received.
 * P forwards the BYE with Request-URI ruri_out. Returns the BYE P sent. */
static uint64_t proxied_bye(struct t *t, const char *ruri_out, uint64_t *in)
{
	uint64_t out, bye_b;

	bye_b = REQ(t, .method = "BYE", .ruri = "sip:alice@10.0.0.1",
		    .from = "sip:bob@10.0.0.3", .ftag = "t1",
		    .to = "sip:alice@10.0.0.1", .ttag = "f1",
		    .branch = "z9hG4bK-b1", .src = B, .dst = P, .route = RR_P,
		    .ms = 9000);
	out = REQ(t, .method = "BYE", .ruri = ruri_out,
		  .from = "sip:bob@10.0.0.3", .ftag = "t1",
		  .to = "sip:alice@10.0.0.1", .ttag = "f1",
		  .branch = "z9hG4bK-p3", .vias = 2, .src = P, .dst = A);
	RSP(t, .method = "BYE", .status = 200, .from = "sip:bob@10.0.0.3",
	    .ftag = "t1", .to = "sip:alice@10.0.0.1", .ttag = "f1",
	    .branch = "z9hG4bK-p3", .vias = 2, .src = A, .dst = P);
	RSP(t, .method = "BYE", .status = 200, .from = "sip:bob@10.0.0.3",
	    .ftag = "t1", .to = "sip:alice@10.0.0.1", .ttag = "f1",
	    .branch = "z9hG4bK-b1", .src = P, .dst = B);
	if (in)
		*in = bye_b;
	return out;
}

static void test_proxy_call_silent(void **state)
{
	struct t *t = *state;

	proxied_call(t);
	proxied_bye(t, "sip:alice@10.0.0.1", NULL);
	lint(t);
	silent(t);
}

/* P has two interfaces (10.0.0.2 towards A, 10.1.0.2 towards B) and
 * record-routes twice (RFC 5658): the callee sees
 * Record-Route: <sip:10.1.0.2;lr>, <sip:10.0.0.2;lr>. Each side's route
 * set names P twice and P pops both entries. */
static void test_proxy_two_interfaces_silent(void **state)
{
	struct t *t = *state;
	const char *rr = "<sip:10.1.0.2;lr>, <sip:10.0.0.2;lr>";
	const char *rev = "<sip:10.0.0.2;lr>, <sip:10.1.0.2;lr>";

	REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-a1",
	    .ruri = "sip:bob@10.1.0.3", .src = A, .dst = P,
	    .contact = "sip:alice@10.0.0.1", .body = SDP, .ms = 1000);
	RSP(t, .method = "INVITE", .status = 100, .ftag = "f1",
	    .branch = "z9hG4bK-a1", .src = P, .dst = A);
	REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-p1",
	    .ruri = "sip:bob@10.1.0.3", .vias = 2, .src = P2, .dst = B2,
	    .rr = rr, .contact = "sip:alice@10.0.0.1", .body = SDP);
	RSP(t, .method = "INVITE", .status = 180, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-p1", .vias = 2, .src = B2, .dst = P2, .rr = rr,
	    .contact = "sip:bob@10.1.0.3");
	RSP(t, .method = "INVITE", .status = 180, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-a1", .src = P, .dst = A, .rr = rr,
	    .contact = "sip:bob@10.1.0.3");
	RSP(t, .method = "INVITE", .status = 200, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-p1", .vias = 2, .src = B2, .dst = P2, .rr = rr,
	    .contact = "sip:bob@10.1.0.3", .body = SDP, .ms = 3000);
	RSP(t, .method = "INVITE", .status = 200, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-a1", .src = P, .dst = A, .rr = rr,
	    .contact = "sip:bob@10.1.0.3", .body = SDP);
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-a2",
	    .ruri = "sip:bob@10.1.0.3", .src = A, .dst = P, .route = rev);
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-p2",
	    .ruri = "sip:bob@10.1.0.3", .vias = 2, .src = P2, .dst = B2);
	/* A re-INVITE from A, then B hangs up. */
	REQ(t, .method = "INVITE", .cseq = 2, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-a3", .ruri = "sip:bob@10.1.0.3", .src = A,
	    .dst = P, .route = rev, .contact = "sip:alice@10.0.0.1",
	    .body = SDP, .ms = 5000);
	REQ(t, .method = "INVITE", .cseq = 2, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-p3", .ruri = "sip:bob@10.1.0.3", .vias = 2,
	    .src = P2, .dst = B2, .contact = "sip:alice@10.0.0.1", .body = SDP);
	RSP(t, .method = "INVITE", .status = 200, .cseq = 2, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-p3", .vias = 2, .src = B2,
	    .dst = P2, .contact = "sip:bob@10.1.0.3", .body = SDP);
	RSP(t, .method = "INVITE", .status = 200, .cseq = 2, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-a3", .src = P, .dst = A,
	    .contact = "sip:bob@10.1.0.3", .body = SDP);
	REQ(t, .method = "ACK", .cseq = 2, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-a4", .ruri = "sip:bob@10.1.0.3", .src = A,
	    .dst = P, .route = rev);
	REQ(t, .method = "ACK", .cseq = 2, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-p4", .ruri = "sip:bob@10.1.0.3", .vias = 2,
	    .src = P2, .dst = B2);
	REQ(t, .method = "BYE", .cseq = 1, .ruri = "sip:alice@10.0.0.1",
	    .from = "sip:bob@10.1.0.3", .ftag = "t1", .to = "sip:alice@10.0.0.1",
	    .ttag = "f1", .branch = "z9hG4bK-b1", .src = B2, .dst = P2,
	    .route = rr, .ms = 9000);
	REQ(t, .method = "BYE", .cseq = 1, .ruri = "sip:alice@10.0.0.1",
	    .from = "sip:bob@10.1.0.3", .ftag = "t1", .to = "sip:alice@10.0.0.1",
	    .ttag = "f1", .branch = "z9hG4bK-p5", .vias = 2, .src = P, .dst = A);
	RSP(t, .method = "BYE", .status = 200, .cseq = 1,
	    .from = "sip:bob@10.1.0.3", .ftag = "t1", .to = "sip:alice@10.0.0.1",
	    .ttag = "f1", .branch = "z9hG4bK-p5", .vias = 2, .src = A, .dst = P);
	RSP(t, .method = "BYE", .status = 200, .cseq = 1,
	    .from = "sip:bob@10.1.0.3", .ftag = "t1", .to = "sip:alice@10.0.0.1",
	    .ttag = "f1", .branch = "z9hG4bK-b1", .src = P2, .dst = B2);
	lint(t);
	silent(t);
}

/* A CANCEL of a re-INVITE carries the dialog's To tag, as the re-INVITE
 * does (RFC 3261 §9.1: To identical, tags included). */
static void test_cancel_reinvite_silent(void **state)
{
	struct t *t = *state;

	basic_call(t);
	REQ(t, .method = "INVITE", .cseq = 3, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-re", .contact = "sip:alice@10.0.0.1",
	    .body = SDP, .ms = 5000);
	RSP(t, .method = "INVITE", .status = 100, .cseq = 3, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-re");
	REQ(t, .method = "CANCEL", .cseq = 3, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-re", .ms = 6000);
	RSP(t, .method = "CANCEL", .status = 200, .cseq = 3, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-re");
	RSP(t, .method = "INVITE", .status = 487, .cseq = 3, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-re");
	REQ(t, .method = "ACK", .cseq = 3, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-re");
	lint(t);
	silent(t);
}

/* INVITE, 100, 180 (To tag), CANCEL (no To tag, same branch, Request-URI,
 * From, To and CSeq number), 200 to the CANCEL, 487, ACK in the INVITE's
 * transaction. */
struct cancel_frames {
	uint64_t inv, ringing, cancel, cancel_ok, term, ack;
};

static struct cancel_frames cancelled_call(struct t *t)
{
	struct cancel_frames f;

	f.inv = REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
		    .contact = "sip:alice@10.0.0.1", .body = SDP, .ms = 1000);
	RSP(t, .method = "INVITE", .status = 100, .ftag = "f1",
	    .branch = "z9hG4bK-i1");
	f.ringing = RSP(t, .method = "INVITE", .status = 180, .ftag = "f1",
			.ttag = "t1", .branch = "z9hG4bK-i1",
			.contact = "sip:bob@10.0.0.3");
	f.cancel = REQ(t, .method = "CANCEL", .ftag = "f1",
		       .branch = "z9hG4bK-i1", .ms = 4000);
	f.cancel_ok = RSP(t, .method = "CANCEL", .status = 200, .ftag = "f1",
			  .ttag = "t1", .branch = "z9hG4bK-i1");
	f.term = RSP(t, .method = "INVITE", .status = 487, .ftag = "f1",
		     .ttag = "t1", .branch = "z9hG4bK-i1");
	f.ack = REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1",
		    .branch = "z9hG4bK-i1");
	return f;
}

static void test_cancel_after_provisional_silent(void **state)
{
	struct t *t = *state;

	cancelled_call(t);
	lint(t);
	silent(t);
}

/* 200 at 3 s, retransmitted at T1 (3.5 s); the ACK sent at 3.49 s crosses
 * the retransmission: the UAS stops. No ack-lost, no ack-missing. */
static void test_2xx_retransmission_crossing_ack_silent(void **state)
{
	struct t *t = *state;

	REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
	    .contact = "sip:alice@10.0.0.1", .body = SDP, .ms = 1000);
	RSP(t, .method = "INVITE", .status = 180, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1", .contact = "sip:bob@10.0.0.3");
	RSP(t, .method = "INVITE", .status = 200, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1", .contact = "sip:bob@10.0.0.3",
	    .body = SDP, .ms = 3000);
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-a1", .ms = 3490);
	RSP(t, .method = "INVITE", .status = 200, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1", .contact = "sip:bob@10.0.0.3",
	    .body = SDP, .ms = 3500);
	/* The UAC answers the retransmission with its ACK again (§13.2.2.4). */
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-a1", .ms = 3510);
	REQ(t, .method = "BYE", .cseq = 2, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-b1", .ms = 9000);
	RSP(t, .method = "BYE", .status = 200, .cseq = 2, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-b1");
	lint(t);
	silent(t);
}

/* The 200 retransmitted once before the ACK came: the ACK answers it. */
static void test_2xx_retransmitted_then_acked_silent(void **state)
{
	struct t *t = *state;

	REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
	    .contact = "sip:alice@10.0.0.1", .body = SDP, .ms = 1000);
	RSP(t, .method = "INVITE", .status = 200, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1", .contact = "sip:bob@10.0.0.3",
	    .body = SDP, .ms = 3000);
	RSP(t, .method = "INVITE", .status = 200, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1", .contact = "sip:bob@10.0.0.3",
	    .body = SDP, .ms = 3500);
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-a1", .ms = 3510);
	lint(t);
	silent(t);
}


/* An RFC 2543 UA puts no branch in its Via: transactions are matched on
 * CSeq, From tag and sent-by (RFC 3261 §17.1.3, §17.2.3). A call that is
 * answered, acknowledged and hung up. */
static void test_rfc2543_answered_silent(void **state)
{
	struct t *t = *state;

	REQ(t, .method = "INVITE", .ftag = "f1",
	    .contact = "sip:alice@10.0.0.1", .body = SDP, .ms = 1000);
	RSP(t, .method = "INVITE", .status = 180, .ftag = "f1", .ttag = "t1",
	    .contact = "sip:bob@10.0.0.3");
	RSP(t, .method = "INVITE", .status = 200, .ftag = "f1", .ttag = "t1",
	    .contact = "sip:bob@10.0.0.3", .body = SDP, .ms = 3000);
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1");
	REQ(t, .method = "BYE", .cseq = 2, .ftag = "f1", .ttag = "t1",
	    .ms = 9000);
	RSP(t, .method = "BYE", .status = 200, .cseq = 2, .ftag = "f1",
	    .ttag = "t1");
	lint(t);
	silent(t);
}

/* An RFC 2543 proxy's branch has no magic cookie; a rejected call: the ACK
 * for the 486 repeats the INVITE's Via, branch included. */
static void test_rfc2543_branch_rejected_silent(void **state)
{
	struct t *t = *state;

	REQ(t, .method = "INVITE", .ftag = "f1", .branch = "7a83e2.0",
	    .contact = "sip:alice@10.0.0.1", .body = SDP, .ms = 1000);
	RSP(t, .method = "INVITE", .status = 100, .ftag = "f1",
	    .branch = "7a83e2.0");
	RSP(t, .method = "INVITE", .status = 486, .ftag = "f1", .ttag = "t1",
	    .branch = "7a83e2.0");
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1", .branch = "7a83e2.0");
	lint(t);
	silent(t);
}


/* P is a strict router (RFC 2543): Record-Route without ;lr. The UAC puts
 * P's URI in the Request-URI and the remote target last in Route
 * (§12.2.1.1); P replaces the Request-URI with the last Route value and
 * removes it (§16.4). Only rr-not-loose may fire, on the first message
 * carrying that Record-Route. */
static void test_strict_routing(void **state)
{
	struct t *t = *state;
	const char *rr = "<sip:10.0.0.2>";
	uint64_t inv2;

	REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-a1",
	    .src = A, .dst = P, .contact = "sip:alice@10.0.0.1", .body = SDP,
	    .ms = 1000);
	inv2 = REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-p1",
		   .vias = 2, .src = P, .dst = B, .rr = rr,
		   .contact = "sip:alice@10.0.0.1", .body = SDP);
	RSP(t, .method = "INVITE", .status = 200, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-p1", .vias = 2, .src = B, .dst = P, .rr = rr,
	    .contact = "sip:bob@10.0.0.3", .body = SDP, .ms = 3000);
	RSP(t, .method = "INVITE", .status = 200, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-a1", .src = P, .dst = A, .rr = rr,
	    .contact = "sip:bob@10.0.0.3", .body = SDP);
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-a2",
	    .ruri = "sip:10.0.0.2", .route = "<sip:bob@10.0.0.3>", .src = A,
	    .dst = P);
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-p2",
	    .vias = 2, .src = P, .dst = B);
	REQ(t, .method = "BYE", .ruri = "sip:10.0.0.2",
	    .route = "<sip:alice@10.0.0.1>", .from = "sip:bob@10.0.0.3",
	    .ftag = "t1", .to = "sip:alice@10.0.0.1", .ttag = "f1",
	    .branch = "z9hG4bK-b1", .src = B, .dst = P, .ms = 9000);
	REQ(t, .method = "BYE", .ruri = "sip:alice@10.0.0.1",
	    .from = "sip:bob@10.0.0.3", .ftag = "t1", .to = "sip:alice@10.0.0.1",
	    .ttag = "f1", .branch = "z9hG4bK-p3", .vias = 2, .src = P, .dst = A);
	RSP(t, .method = "BYE", .status = 200, .from = "sip:bob@10.0.0.3",
	    .ftag = "t1", .to = "sip:alice@10.0.0.1", .ttag = "f1",
	    .branch = "z9hG4bK-p3", .vias = 2, .src = A, .dst = P);
	RSP(t, .method = "BYE", .status = 200, .from = "sip:bob@10.0.0.3",
	    .ftag = "t1", .to = "sip:alice@10.0.0.1", .ttag = "f1",
	    .branch = "z9hG4bK-b1", .src = P, .dst = B);
	lint(t);
	FIRED(t, "rr-not-loose", "<sip:10.0.0.2>", inv2);
	only_rules(t, (const char *const[]){ "rr-not-loose" }, 1);
}


/* Over TCP every response goes back on the connection its request came
 * on (RFC 3261 §18.2.2), and every message has a Content-Length. */
static void test_tcp_same_connection_silent(void **state)
{
	struct t *t = *state;
	const char *a = "10.0.0.1:40000";

	REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
	    .tp = SIFT_TP_TCP, .src = a, .contact = "sip:alice@10.0.0.1;transport=tcp",
	    .body = SDP, .ms = 1000);
	RSP(t, .method = "INVITE", .status = 100, .ftag = "f1",
	    .branch = "z9hG4bK-i1", .tp = SIFT_TP_TCP, .dst = a);
	RSP(t, .method = "INVITE", .status = 200, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1", .tp = SIFT_TP_TCP, .dst = a,
	    .contact = "sip:bob@10.0.0.3;transport=tcp", .body = SDP);
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-a1",
	    .ruri = "sip:bob@10.0.0.3;transport=tcp", .tp = SIFT_TP_TCP, .src = a);
	/* B hangs up on the same connection. */
	REQ(t, .method = "BYE", .ruri = "sip:alice@10.0.0.1;transport=tcp",
	    .from = "sip:bob@10.0.0.3", .ftag = "t1", .to = "sip:alice@10.0.0.1",
	    .ttag = "f1", .branch = "z9hG4bK-b1", .tp = SIFT_TP_TCP, .src = B,
	    .dst = a, .ms = 9000);
	RSP(t, .method = "BYE", .status = 200, .from = "sip:bob@10.0.0.3",
	    .ftag = "t1", .to = "sip:alice@10.0.0.1", .ttag = "f1",
	    .branch = "z9hG4bK-b1", .tp = SIFT_TP_TCP, .src = a, .dst = B);
	lint(t);
	silent(t);
}

/* A behind NAT: it sends from port 40000 with Via ...:5060;rport and every
 * response goes to that source port (RFC 3581 §4). */
static void test_rport_source_port_silent(void **state)
{
	struct t *t = *state;
	const char *a = "10.0.0.1:40000";

	REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
	    .rport = true, .src = a, .contact = "sip:alice@10.0.0.1",
	    .body = SDP, .ms = 1000);
	RSP(t, .method = "INVITE", .status = 100, .ftag = "f1",
	    .branch = "z9hG4bK-i1", .rport = true, .dst = a);
	RSP(t, .method = "INVITE", .status = 200, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1", .rport = true, .dst = a,
	    .contact = "sip:bob@10.0.0.3", .body = SDP);
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-a1",
	    .rport = true, .src = a);
	REQ(t, .method = "BYE", .cseq = 2, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-b1", .rport = true, .src = a, .ms = 9000);
	RSP(t, .method = "BYE", .status = 200, .cseq = 2, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-b1", .rport = true, .dst = a);
	lint(t);
	silent(t);
}



/* CANCEL rules, RFC 3261 §9.1, §9.2. */

static void test_cancel_no_matching_invite(void **state)
{
	struct t *t = *state;
	uint64_t k;

	basic_call(t);
	k = REQ(t, .method = "CANCEL", .cseq = 7, .ftag = "f1",
		.branch = "z9hG4bK-c7", .ms = 20000);
	RSP(t, .method = "CANCEL", .status = 481, .cseq = 7, .ftag = "f1",
	    .branch = "z9hG4bK-c7");
	lint(t);
	ONLY(t, "cancel-no-matching-invite", "CSeq 7", k);
}

static void test_cancel_branch_mismatch(void **state)
{
	struct t *t = *state;
	uint64_t inv, k;

	inv = REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-1",
		  .body = SDP, .ms = 1000);
	RSP(t, .method = "INVITE", .status = 180, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-1");
	k = REQ(t, .method = "CANCEL", .ftag = "f1", .branch = "z9hG4bK-2",
		.ms = 3000);
	RSP(t, .method = "CANCEL", .status = 481, .ftag = "f1",
	    .branch = "z9hG4bK-2");
	lint(t);
	ONLY(t, "cancel-branch-mismatch", "branch z9hG4bK-2", k, inv);
}

/* The CANCEL repeats everything but one field of the INVITE (frame 1). */
static void cancel_differing(struct t *t, const char *ruri, const char *ftag,
			     const char *to, uint32_t cseq, const char *what)
{
	uint64_t inv, k;

	inv = REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
		  .body = SDP, .ms = 1000);
	RSP(t, .method = "INVITE", .status = 180, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1");
	k = REQ(t, .method = "CANCEL", .ruri = ruri, .ftag = ftag, .to = to,
		.cseq = cseq, .branch = "z9hG4bK-i1", .ms = 3000);
	RSP(t, .method = "CANCEL", .status = 200, .cseq = cseq, .ftag = ftag,
	    .ttag = "t1", .branch = "z9hG4bK-i1");
	RSP(t, .method = "INVITE", .status = 487, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1");
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-i1");
	lint(t);
	ONLY(t, "cancel-header-mismatch", what, k, inv);
}

static void test_cancel_header_mismatch_ruri(void **state)
{
	cancel_differing(*state, "sip:alice@example.com", "f1", NULL, 1,
			 "Request-URI");
}

static void test_cancel_header_mismatch_from_tag(void **state)
{
	cancel_differing(*state, NULL, "f2", NULL, 1, "From");
}

static void test_cancel_header_mismatch_to(void **state)
{
	cancel_differing(*state, NULL, "f1", "sip:carol@10.0.0.3", 1, "To");
}

static void test_cancel_header_mismatch_cseq(void **state)
{
	cancel_differing(*state, NULL, "f1", NULL, 2, "CSeq number");
}

/* Hosts compare without regard to case (§19.1.4): the CANCEL's
 * Request-URI and To are the INVITE's. */
static void test_cancel_header_host_case_silent(void **state)
{
	struct t *t = *state;

	REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
	    .ruri = "sip:bob@Example.COM", .to = "sip:bob@Example.COM",
	    .body = SDP, .ms = 1000);
	RSP(t, .method = "INVITE", .status = 180, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1", .to = "sip:bob@Example.COM");
	REQ(t, .method = "CANCEL", .ftag = "f1", .branch = "z9hG4bK-i1",
	    .ruri = "sip:bob@example.com", .to = "sip:bob@example.com",
	    .ms = 3000);
	RSP(t, .method = "CANCEL", .status = 200, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1", .to = "sip:bob@example.com");
	RSP(t, .method = "INVITE", .status = 487, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1", .to = "sip:bob@Example.COM");
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-i1",
	    .ruri = "sip:bob@Example.COM", .to = "sip:bob@Example.COM");
	lint(t);
	silent(t);
}

/* A CANCEL of a re-INVITE with a To tag that is not the dialog's. */
static void test_cancel_header_mismatch_reinvite_to_tag(void **state)
{
	struct t *t = *state;
	uint64_t inv, k;

	basic_call(t);
	inv = REQ(t, .method = "INVITE", .cseq = 3, .ftag = "f1", .ttag = "t1",
		  .branch = "z9hG4bK-re", .body = SDP, .ms = 5000);
	RSP(t, .method = "INVITE", .status = 100, .cseq = 3, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-re");
	k = REQ(t, .method = "CANCEL", .cseq = 3, .ftag = "f1", .ttag = "t9",
		.branch = "z9hG4bK-re", .ms = 6000);
	RSP(t, .method = "CANCEL", .status = 200, .cseq = 3, .ftag = "f1",
	    .ttag = "t9", .branch = "z9hG4bK-re");
	RSP(t, .method = "INVITE", .status = 487, .cseq = 3, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-re");
	REQ(t, .method = "ACK", .cseq = 3, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-re");
	lint(t);
	ONLY(t, "cancel-header-mismatch", "To tag t9", k, inv);
}

static void test_cancel_to_tag(void **state)
{
	struct t *t = *state;
	uint64_t inv, k;

	inv = REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
		  .body = SDP, .ms = 1000);
	RSP(t, .method = "INVITE", .status = 180, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1");
	k = REQ(t, .method = "CANCEL", .ftag = "f1", .ttag = "t1",
		.branch = "z9hG4bK-i1", .ms = 3000);
	RSP(t, .method = "CANCEL", .status = 200, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1");
	RSP(t, .method = "INVITE", .status = 487, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1");
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-i1");
	lint(t);
	ONLY(t, "cancel-to-tag", "To tag t1", k, inv);
}

/* The UA learned its public address (rport) after the INVITE and puts it
 * in the CANCEL's Via. */
static void test_cancel_via_mismatch(void **state)
{
	struct t *t = *state;
	uint64_t inv, k;

	inv = REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
		  .rport = true, .body = SDP, .ms = 1000);
	RSP(t, .method = "INVITE", .status = 180, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1", .rport = true);
	k = REQ(t, .method = "CANCEL", .ftag = "f1", .branch = "z9hG4bK-i1",
		.via = "203.0.113.7", .via_port = 40000, .rport = true,
		.ms = 3000);
	RSP(t, .method = "CANCEL", .status = 481, .ftag = "f1",
	    .branch = "z9hG4bK-i1", .via = "203.0.113.7", .via_port = 40000,
	    .rport = true);
	lint(t);
	ONLY(t, "cancel-via-mismatch", "203.0.113.7:40000", k, inv);
}

/* A preloaded Route to P in the INVITE; the CANCEL must carry it too. */
static void cancel_with_route(struct t *t, const char *cancel_route,
			      uint64_t *inv, uint64_t *k)
{
	*inv = REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
		   .src = A, .dst = P, .route = RR_P, .body = SDP, .ms = 1000);
	RSP(t, .method = "INVITE", .status = 100, .ftag = "f1",
	    .branch = "z9hG4bK-i1", .src = P, .dst = A);
	*k = REQ(t, .method = "CANCEL", .ftag = "f1", .branch = "z9hG4bK-i1",
		 .src = A, .dst = P, .route = cancel_route, .ms = 3000);
	RSP(t, .method = "CANCEL", .status = 200, .ftag = "f1",
	    .branch = "z9hG4bK-i1", .src = P, .dst = A);
	RSP(t, .method = "INVITE", .status = 487, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1", .src = P, .dst = A);
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-i1",
	    .src = A, .dst = P, .route = RR_P);
}

static void test_cancel_route_mismatch(void **state)
{
	struct t *t = *state;
	uint64_t inv, k;

	cancel_with_route(t, NULL, &inv, &k);
	lint(t);
	ONLY(t, "cancel-route-mismatch", "CANCEL has none", k, inv);
}

static void test_cancel_route_changed(void **state)
{
	struct t *t = *state;
	uint64_t inv, k;

	cancel_with_route(t, "<sip:10.0.0.9;lr>", &inv, &k);
	lint(t);
	ONLY(t, "cancel-route-mismatch", "<sip:10.0.0.9;lr>", k, inv);
}

static void test_cancel_route_kept_silent(void **state)
{
	struct t *t = *state;
	uint64_t inv, k;

	cancel_with_route(t, RR_P, &inv, &k);
	lint(t);
	silent(t);
}

static void test_cancel_before_provisional(void **state)
{
	struct t *t = *state;
	uint64_t inv, k;

	inv = REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
		  .body = SDP, .ms = 1000);
	k = REQ(t, .method = "CANCEL", .ftag = "f1", .branch = "z9hG4bK-i1",
		.ms = 1050);
	RSP(t, .method = "INVITE", .status = 100, .ftag = "f1",
	    .branch = "z9hG4bK-i1", .ms = 1060);
	RSP(t, .method = "CANCEL", .status = 200, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1");
	RSP(t, .method = "INVITE", .status = 487, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1");
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-i1");
	lint(t);
	ONLY(t, "cancel-before-provisional", "before any provisional", k, inv);
}

/* The CANCEL crosses a 486. */
static void test_cancel_after_final(void **state)
{
	struct t *t = *state;
	uint64_t inv, busy, k;

	inv = REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
		  .body = SDP, .ms = 1000);
	RSP(t, .method = "INVITE", .status = 180, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1");
	busy = RSP(t, .method = "INVITE", .status = 486, .ftag = "f1",
		   .ttag = "t1", .branch = "z9hG4bK-i1", .ms = 3000);
	k = REQ(t, .method = "CANCEL", .ftag = "f1", .branch = "z9hG4bK-i1",
		.ms = 3005);
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-i1");
	RSP(t, .method = "CANCEL", .status = 200, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1");
	lint(t);
	ONLY(t, "cancel-after-final", "final response 486", k, inv, busy);
}

static void test_cancel_no_487(void **state)
{
	struct t *t = *state;
	uint64_t inv, ok;

	inv = REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
		  .body = SDP, .ms = 1000);
	RSP(t, .method = "INVITE", .status = 180, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1");
	REQ(t, .method = "CANCEL", .ftag = "f1", .branch = "z9hG4bK-i1",
	    .ms = 3000);
	ok = RSP(t, .method = "CANCEL", .status = 200, .ftag = "f1", .ttag = "t1",
		 .branch = "z9hG4bK-i1");
	lint(t);
	ONLY(t, "cancel-no-487", "never got its 487", ok, inv);
}

/* The CANCEL lost the race: the INVITE was answered 200 and acknowledged;
 * no 487 is due. */
static void test_cancel_crossing_200_silent(void **state)
{
	struct t *t = *state;

	REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
	    .contact = "sip:alice@10.0.0.1", .body = SDP, .ms = 1000);
	RSP(t, .method = "INVITE", .status = 180, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1", .contact = "sip:bob@10.0.0.3");
	REQ(t, .method = "CANCEL", .ftag = "f1", .branch = "z9hG4bK-i1",
	    .ms = 3000);
	RSP(t, .method = "INVITE", .status = 200, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1", .contact = "sip:bob@10.0.0.3",
	    .body = SDP, .ms = 3001);
	RSP(t, .method = "CANCEL", .status = 200, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1");
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-a1");
	REQ(t, .method = "BYE", .cseq = 2, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-b1");
	RSP(t, .method = "BYE", .status = 200, .cseq = 2, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-b1");
	lint(t);
	silent(t);
}

/* A cancels through P: P answers the CANCEL itself and cancels its own
 * branch towards B (§16.10), then ACKs the 487 hop by hop. */
static void test_cancel_through_proxy_silent(void **state)
{
	struct t *t = *state;

	REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-a1",
	    .ruri = "sip:bob@example.com", .src = A, .dst = P, .body = SDP,
	    .ms = 1000);
	RSP(t, .method = "INVITE", .status = 100, .ftag = "f1",
	    .branch = "z9hG4bK-a1", .src = P, .dst = A);
	REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-p1",
	    .vias = 2, .src = P, .dst = B, .rr = RR_P, .body = SDP);
	RSP(t, .method = "INVITE", .status = 180, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-p1", .vias = 2, .src = B, .dst = P, .rr = RR_P);
	RSP(t, .method = "INVITE", .status = 180, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-a1", .src = P, .dst = A, .rr = RR_P);
	REQ(t, .method = "CANCEL", .ftag = "f1", .branch = "z9hG4bK-a1",
	    .ruri = "sip:bob@example.com", .src = A, .dst = P, .ms = 4000);
	RSP(t, .method = "CANCEL", .status = 200, .ftag = "f1",
	    .branch = "z9hG4bK-a1", .src = P, .dst = A);
	REQ(t, .method = "CANCEL", .ftag = "f1", .branch = "z9hG4bK-p1",
	    .src = P, .dst = B);
	RSP(t, .method = "CANCEL", .status = 200, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-p1", .src = B, .dst = P);
	RSP(t, .method = "INVITE", .status = 487, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-p1", .vias = 2, .src = B, .dst = P);
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-p1", .src = P, .dst = B);
	RSP(t, .method = "INVITE", .status = 487, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-a1", .src = P, .dst = A);
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-a1", .ruri = "sip:bob@example.com", .src = A,
	    .dst = P);
	lint(t);
	silent(t);
}

/* ACK rules, RFC 3261 §13.2.2.4, §13.3.1.4, §17.1.1.3, §12.2.1.1. */

/* INVITE and 180 from B; returns the INVITE's frame. */
static uint64_t invite_ringing(struct t *t)
{
	uint64_t inv;

	inv = REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
		  .contact = "sip:alice@10.0.0.1", .body = SDP, .ms = 1000);
	RSP(t, .method = "INVITE", .status = 180, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1", .contact = "sip:bob@10.0.0.3");
	return inv;
}

/* B's 200 at ms (a first one or a retransmission). */
static uint64_t ok_at(struct t *t, int64_t ms)
{
	return RSP(t, .method = "INVITE", .status = 200, .ftag = "f1",
		   .ttag = "t1", .branch = "z9hG4bK-i1",
		   .contact = "sip:bob@10.0.0.3", .body = SDP, .ms = ms);
}

/* The UAS retransmits its 200 at T1, 2*T1, 4*T1 and no ACK comes; B then
 * hangs up (§13.3.1.4). */
static void test_ack_missing(void **state)
{
	struct t *t = *state;
	uint64_t o1, o2, o3, o4;

	invite_ringing(t);
	o1 = ok_at(t, 3000);
	o2 = ok_at(t, 3500);
	o3 = ok_at(t, 4500);
	o4 = ok_at(t, 6500);
	REQ(t, .method = "BYE", .ruri = "sip:alice@10.0.0.1",
	    .from = "sip:bob@10.0.0.3", .ftag = "t1", .to = "sip:alice@10.0.0.1",
	    .ttag = "f1", .branch = "z9hG4bK-b1", .src = B, .dst = A,
	    .ms = 35000);
	lint(t);
	ONLY(t, "ack-missing", "retransmitted 3 times over 3.5 s", o1, o2, o3, o4);
	FIRED(t, "ack-missing", "then BYE", o1, o2, o3, o4);
}

/* The ACK went to the wrong port: the UAS keeps retransmitting its 200
 * well after it. */
static void test_ack_lost(void **state)
{
	struct t *t = *state;
	uint64_t ack, late;

	invite_ringing(t);
	ok_at(t, 3000);
	ack = REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1",
		  .branch = "z9hG4bK-a1", .dst = "10.0.0.3:5070", .ms = 3010);
	ok_at(t, 3500);
	late = ok_at(t, 4500);
	ok_at(t, 6500);
	lint(t);
	ONLY(t, "ack-lost", "sent to 10.0.0.3:5070", ack, late);
}


static void test_ack_2xx_same_branch(void **state)
{
	struct t *t = *state;
	uint64_t inv, ack;

	inv = invite_ringing(t);
	ok_at(t, 3000);
	ack = REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1",
		  .branch = "z9hG4bK-i1");
	lint(t);
	ONLY(t, "ack-2xx-same-branch", "reuses the INVITE's branch z9hG4bK-i1",
	     ack, inv);
}

static void test_ack_2xx_ruri_not_contact(void **state)
{
	struct t *t = *state;
	uint64_t ok, ack;

	REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
	    .ruri = "sip:bob@example.com", .body = SDP, .ms = 1000);
	ok = RSP(t, .method = "INVITE", .status = 200, .ftag = "f1",
		 .ttag = "t1", .branch = "z9hG4bK-i1",
		 .contact = "sip:bob@10.0.0.3:5070", .body = SDP);
	ack = REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1",
		  .branch = "z9hG4bK-a1", .ruri = "sip:bob@example.com");
	lint(t);
	ONLY(t, "ack-2xx-ruri-not-contact", "sent to sip:bob@example.com", ack, ok);
}

/* The remote target with its parameters, the host in another case: the
 * same URI (§19.1.4). */
static void test_ack_2xx_ruri_contact_equivalent_silent(void **state)
{
	struct t *t = *state;

	REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
	    .ruri = "sip:bob@example.com", .body = SDP, .ms = 1000);
	RSP(t, .method = "INVITE", .status = 200, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1", .contact = "sip:bob@Bob-PC.example.com:5070;transport=udp",
	    .body = SDP);
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-a1",
	    .ruri = "sip:bob@bob-pc.example.com:5070;transport=udp");
	lint(t);
	silent(t);
}

/* Two proxies record-routed; the 200 reaches A with
 * Record-Route: <sip:p2.example.com;lr>, <sip:p1.example.com;lr>, so A's
 * route set is p1, p2. */
static void ack_with_route(struct t *t, const char *route, uint64_t *ok,
			   uint64_t *ack)
{
	REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
	    .ruri = "sip:bob@example.com", .src = A, .dst = P, .body = SDP,
	    .ms = 1000);
	*ok = RSP(t, .method = "INVITE", .status = 200, .ftag = "f1",
		  .ttag = "t1", .branch = "z9hG4bK-i1", .src = P, .dst = A,
		  .rr = "<sip:p2.example.com;lr>, <sip:p1.example.com;lr>",
		  .contact = "sip:bob@10.0.0.3", .body = SDP);
	*ack = REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1",
		   .branch = "z9hG4bK-a1", .src = A, .dst = P, .route = route);
}

static void test_ack_2xx_route_missing(void **state)
{
	struct t *t = *state;
	uint64_t ok, ack;

	ack_with_route(t, NULL, &ok, &ack);
	lint(t);
	ONLY(t, "ack-2xx-route-mismatch", "no Route header", ack, ok);
}

static void test_ack_2xx_route_not_reversed(void **state)
{
	struct t *t = *state;
	uint64_t ok, ack;

	ack_with_route(t, "<sip:p2.example.com;lr>, <sip:p1.example.com;lr>",
		       &ok, &ack);
	lint(t);
	ONLY(t, "ack-2xx-route-mismatch", "not reversed", ack, ok);
}

static void test_ack_2xx_route_one_short(void **state)
{
	struct t *t = *state;
	uint64_t ok, ack;

	ack_with_route(t, "<sip:p1.example.com;lr>", &ok, &ack);
	lint(t);
	ONLY(t, "ack-2xx-route-mismatch", "has 1 entries", ack, ok);
}

static void test_ack_2xx_route_reversed_silent(void **state)
{
	struct t *t = *state;
	uint64_t ok, ack;

	/* Two Route header fields, parameters kept. */
	ack_with_route(t, "<sip:p1.example.com;lr>, <sip:P2.example.com;lr;ftag=f1>",
		       &ok, &ack);
	lint(t);
	silent(t);
}

/* INVITE, 100, 486 from B: the call the non-2xx ACK tests end. */
static uint64_t busy_call(struct t *t, uint64_t *busy)
{
	uint64_t inv;

	inv = REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
		  .body = SDP, .ms = 1000);
	RSP(t, .method = "INVITE", .status = 100, .ftag = "f1",
	    .branch = "z9hG4bK-i1");
	*busy = RSP(t, .method = "INVITE", .status = 486, .ftag = "f1",
		    .ttag = "t1", .branch = "z9hG4bK-i1",
		    .contact = "sip:bob@10.0.0.3:5070");
	return inv;
}

static void test_ack_non2xx_silent(void **state)
{
	struct t *t = *state;
	uint64_t busy;

	busy_call(t, &busy);
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-i1");
	lint(t);
	silent(t);
}

static void test_ack_non2xx_branch_mismatch(void **state)
{
	struct t *t = *state;
	uint64_t inv, busy, ack;

	inv = busy_call(t, &busy);
	ack = REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1",
		  .branch = "z9hG4bK-a1");
	lint(t);
	ONLY(t, "ack-non2xx-branch-mismatch", "ACK for 486 has branch z9hG4bK-a1",
	     ack, inv);
}

/* Sent to the 486's Contact instead of the INVITE's Request-URI. */
static void test_ack_non2xx_ruri_mismatch(void **state)
{
	struct t *t = *state;
	uint64_t inv, busy, ack;

	inv = busy_call(t, &busy);
	ack = REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1",
		  .branch = "z9hG4bK-i1", .ruri = "sip:bob@10.0.0.3:5070");
	lint(t);
	ONLY(t, "ack-non2xx-ruri-mismatch", "Request-URI sip:bob@10.0.0.3:5070",
	     ack, inv);
}

static void test_ack_non2xx_cseq_mismatch(void **state)
{
	struct t *t = *state;
	uint64_t inv, busy, ack;

	inv = busy_call(t, &busy);
	ack = REQ(t, .method = "ACK", .cseq = 2, .ftag = "f1", .ttag = "t1",
		  .branch = "z9hG4bK-i1");
	lint(t);
	ONLY(t, "ack-cseq-mismatch", "ACK's CSeq 2 differs from the INVITE's 1",
	     ack, inv);
}

/* INVITE with CSeq 1 INVITE, ACK for its 200 with CSeq 2 ACK. */
static void test_ack_2xx_cseq_mismatch(void **state)
{
	struct t *t = *state;
	uint64_t inv, ack;

	inv = invite_ringing(t);
	ok_at(t, 3000);
	ack = REQ(t, .method = "ACK", .cseq = 2, .ftag = "f1", .ttag = "t1",
		  .branch = "z9hG4bK-a1");
	lint(t);
	ONLY(t, "ack-cseq-mismatch", "CSeq 2 matches no INVITE", ack, inv);
}

static void test_ack_non2xx_to_tag_mismatch(void **state)
{
	struct t *t = *state;
	uint64_t inv, busy, ack;

	inv = busy_call(t, &busy);
	ack = REQ(t, .method = "ACK", .ftag = "f1", .ttag = "xyz",
		  .branch = "z9hG4bK-i1");
	lint(t);
	ONLY(t, "ack-to-tag-mismatch", "To tag xyz differs from the 486's t1",
	     ack, inv);
}

static void test_ack_2xx_to_tag_mismatch(void **state)
{
	struct t *t = *state;
	uint64_t ok, ack;

	invite_ringing(t);
	ok = ok_at(t, 3000);
	ack = REQ(t, .method = "ACK", .ftag = "f1", .ttag = "xyz",
		  .branch = "z9hG4bK-a1");
	lint(t);
	ONLY(t, "ack-to-tag-mismatch", "To tag xyz differs from the 200's t1",
	     ack, ok);
}

/* Proxy rules, RFC 3261 §16.4, §16.6. */

/* A preloads Route <sip:10.0.0.2;lr>; P forwards the INVITE to B with its
 * own entry still first (pop = false), or removed. */
static void preloaded_route(struct t *t, bool pop, uint64_t *in, uint64_t *out)
{
	*in = REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-a1",
		  .src = A, .dst = P, .route = RR_P, .body = SDP, .ms = 1000);
	RSP(t, .method = "INVITE", .status = 100, .ftag = "f1",
	    .branch = "z9hG4bK-a1", .src = P, .dst = A);
	*out = REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-p1",
		   .vias = 2, .src = P, .dst = B, .route = pop ? NULL : RR_P,
		   .body = SDP);
	RSP(t, .method = "INVITE", .status = 180, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-p1", .vias = 2, .src = B, .dst = P);
	RSP(t, .method = "INVITE", .status = 180, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-a1", .src = P, .dst = A);
}

static void test_proxy_route_not_removed(void **state)
{
	struct t *t = *state;
	uint64_t in, out;

	preloaded_route(t, false, &in, &out);
	lint(t);
	ONLY(t, "proxy-route-not-removed", "leaves 10.0.0.2 with its own address",
	     out, in);
}

static void test_proxy_route_removed_silent(void **state)
{
	struct t *t = *state;
	uint64_t in, out;

	preloaded_route(t, true, &in, &out);
	lint(t);
	silent(t);
}

/* B's BYE reaches P for sip:alice@10.0.0.1 and leaves for another URI. */
static void test_proxy_ruri_changed(void **state)
{
	struct t *t = *state;
	uint64_t in, out;

	proxied_call(t);
	out = proxied_bye(t, "sip:alice@10.0.0.9", &in);
	lint(t);
	ONLY(t, "proxy-ruri-changed", "forwarded with sip:alice@10.0.0.9", out, in);
}

static void test_rr_not_loose(void **state)
{
	struct t *t = *state;
	uint64_t ok;

	REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
	    .src = A, .dst = P, .body = SDP, .ms = 1000);
	ok = RSP(t, .method = "INVITE", .status = 200, .ftag = "f1", .ttag = "t1",
		 .branch = "z9hG4bK-i1", .src = P, .dst = A,
		 .rr = "<sip:10.0.0.9;lr>, <sip:10.0.0.2>;lr",
		 .contact = "sip:bob@10.0.0.3", .body = SDP);
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-a1",
	    .ruri = "sip:10.0.0.2", .src = A, .dst = P,
	    .route = "<sip:10.0.0.9;lr>, <sip:bob@10.0.0.3>");
	lint(t);
	/* ;lr after the '>' is a header parameter, not the URI's. */
	FIRED(t, "rr-not-loose", "<sip:10.0.0.2>", ok);
	NOT_FIRED(t, "ack-2xx-ruri-not-contact");
}

static void test_rr_loose_any_case_silent(void **state)
{
	struct t *t = *state;

	REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
	    .src = A, .dst = P, .body = SDP, .ms = 1000);
	RSP(t, .method = "INVITE", .status = 200, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1", .src = P, .dst = A,
	    .rr = "<sip:10.0.0.9;LR>, <sip:10.0.0.2;transport=udp;lr=on>",
	    .contact = "sip:bob@10.0.0.3", .body = SDP);
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-a1",
	    .src = A, .dst = P,
	    .route = "<sip:10.0.0.2;transport=udp;lr=on>, <sip:10.0.0.9;LR>");
	lint(t);
	silent(t);
}

/* Transport rules: RFC 3581 §4, RFC 5923 §5, RFC 3261 §18.2.2, §18.3. */

static void test_rport_response_wrong_port(void **state)
{
	struct t *t = *state;
	uint64_t inv, trying;

	inv = REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
		  .rport = true, .src = "10.0.0.1:40000", .body = SDP,
		  .ms = 1000);
	trying = RSP(t, .method = "INVITE", .status = 100, .ftag = "f1",
		     .branch = "z9hG4bK-i1", .rport = true, .dst = A);
	RSP(t, .method = "INVITE", .status = 486, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1", .rport = true, .dst = A);
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-i1",
	    .rport = true, .src = "10.0.0.1:40000");
	lint(t);
	/* Said once per call, on the first response. */
	ONLY(t, "rport-response-wrong-port", "at its source 10.0.0.1:40000",
	     trying, inv);
}

/* Without rport the response goes to the Via's port (RFC 3261 §18.2.2). */
static void test_no_rport_response_to_via_port_silent(void **state)
{
	struct t *t = *state;

	REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
	    .src = "10.0.0.1:40000", .body = SDP, .ms = 1000);
	RSP(t, .method = "INVITE", .status = 486, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1", .dst = A);
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-i1",
	    .src = "10.0.0.1:40000");
	lint(t);
	silent(t);
}

static void test_alias_over_non_tls(void **state)
{
	struct t *t = *state;
	uint64_t inv;

	inv = REQ(t, .method = "OPTIONS", .ftag = "f1", .branch = "z9hG4bK-o1",
		  .alias = true, .tp = SIFT_TP_TCP, .src = "10.0.0.1:40000",
		  .ms = 1000);
	lint(t);
	ONLY(t, "alias-over-non-tls", "alias over tcp", inv);
}

static void test_alias_over_tls_silent(void **state)
{
	struct t *t = *state;

	REQ(t, .method = "OPTIONS", .ftag = "f1", .branch = "z9hG4bK-o1",
	    .alias = true, .tp = SIFT_TP_TLS, .src = "10.0.0.1:40000",
	    .ms = 1000);
	lint(t);
	silent(t);
}

static void test_tcp_response_new_connection(void **state)
{
	struct t *t = *state;
	uint64_t inv, ok;

	inv = REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
		  .tp = SIFT_TP_TCP, .src = "10.0.0.1:40000", .body = SDP,
		  .ms = 1000);
	RSP(t, .method = "INVITE", .status = 100, .ftag = "f1",
	    .branch = "z9hG4bK-i1", .tp = SIFT_TP_TCP, .dst = "10.0.0.1:40000");
	ok = RSP(t, .method = "INVITE", .status = 486, .ftag = "f1", .ttag = "t1",
		 .branch = "z9hG4bK-i1", .tp = SIFT_TP_TCP,
		 .src = "10.0.0.3:41000", .dst = A);
	lint(t);
	ONLY(t, "tcp-response-new-connection", "10.0.0.3:41000 -> 10.0.0.1:5060",
	     ok, inv);
}

static void test_content_length_missing_on_tcp(void **state)
{
	struct t *t = *state;
	uint64_t inv;

	inv = REQ(t, .method = "OPTIONS", .ftag = "f1", .branch = "z9hG4bK-o1",
		  .tp = SIFT_TP_TCP, .no_clen = true, .ms = 1000);
	lint(t);
	ONLY(t, "content-length-mismatch", "OPTIONS over tcp has no Content-Length",
	     inv);
}

/* Content-Length too large on a stream: the body swallowed the next
 * message. */
static void test_content_length_swallows_message(void **state)
{
	struct t *t = *state;
	uint64_t m;

	m = REQ(t, .method = "MESSAGE", .ftag = "f1", .branch = "z9hG4bK-m1",
		.tp = SIFT_TP_TCP, .ctype = "text/plain",
		.body = "hello\r\nBYE sip:bob@10.0.0.3 SIP/2.0\r\nVia: x\r\n",
		.ms = 1000);
	lint(t);
	ONLY(t, "content-length-mismatch", "starts 7 bytes into the body", m);
}

static void test_content_length_larger_than_datagram(void **state)
{
	struct t *t = *state;
	uint64_t m;

	m = REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
		.body = SDP, .clen_set = true, .clen = 300, .ms = 1000);
	lint(t);
	ONLY(t, "content-length-mismatch", "300 is larger than", m);
}

static void test_content_length_smaller_than_datagram(void **state)
{
	struct t *t = *state;
	uint64_t m;

	m = REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
		.body = SDP, .clen_set = true, .clen = 10, .ms = 1000);
	lint(t);
	ONLY(t, "content-length-mismatch", "10 is smaller than", m);
}

/* Over UDP Content-Length is optional (RFC 3261 §20.14); a stream message
 * with an SDP body framed right. */
static void test_content_length_fine_silent(void **state)
{
	struct t *t = *state;

	REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
	    .body = SDP, .no_clen = true, .ms = 1000);
	REQ(t, .method = "INVITE", .cid = "lint-2@10.0.0.1", .ftag = "f1",
	    .branch = "z9hG4bK-i2", .tp = SIFT_TP_TCP, .body = SDP);
	lint(t);
	silent(t);
}

static void test_stream_framing(void **state)
{
	struct t *t = *state;
	struct sift_where w = { 0, 42, T0 };

	sift_lint_stream_framing(&t->cfg, CID, &w,
				 "Content-Length 10 ends inside the body", t->fs);
	lint(t);
	ONLY(t, "content-length-mismatch", "ends inside the body", 42);
}

/* Syntax rules, RFC 3261 §7, §8.1.1. */

/* A message the parser rejected shows in its call; the call rules do not
 * trip over it. */
static void test_sip_parse_error(void **state)
{
	struct t *t = *state;
	uint64_t bad;

	basic_call(t);
	bad = rejected(t, "INFO  sip:bob@10.0.0.3 SIP/2.0\r\n\r\n",
		       SIFT_SIPE_REJECTED, CID, "INFO", 0);
	lint(t);
	ONLY(t, "sip-parse-error",
	     "could not be parsed (request line has more than one SP between its elements)",
	     bad);
}

/* The grammar checks say what is wrong with a rejected message; when they
 * find nothing, the parser's own reason stays. */
static void test_sip_parse_error_says_why(void **state)
{
	struct t *t = *state;
	uint64_t bad;

	basic_call(t);
	bad = rejected(t, "INFO sip:bob@10.0.0.3 SIP/2.0\r\nContent-Lengt\r\n\r\n",
		       SIFT_SIPE_REJECTED, CID, "INFO", 0);
	lint(t);
	ONLY(t, "sip-parse-error",
	     "could not be parsed (header line 'Content-Lengt' is not name ':' value)",
	     bad);
}

static void test_sip_parse_error_unexplained(void **state)
{
	struct t *t = *state;
	uint64_t bad;

	basic_call(t);
	bad = rejected(t, "INFO sip:bob@10.0.0.3 SIP/2.0\r\n\r\n",
		       SIFT_SIPE_REJECTED, CID, "INFO", 0);
	lint(t);
	ONLY(t, "sip-parse-error", "could not be parsed (rejected by the SIP parser)",
	     bad);
}

static void test_sip_parse_error_no_call_id(void **state)
{
	struct t *t = *state;
	uint64_t bad;

	bad = rejected(t, "GARBAGE\r\n\r\n", SIFT_SIPE_NO_START_LINE, NULL, NULL,
		       0);
	lint(t);
	fired_in(t, "sip-parse-error", NULL, "(no SIP start line)", FRAMES(bad));
	assert_int_equal(sift_findings_count(t->fs), 1);
}

static void test_sip_version_wrong(void **state)
{
	struct t *t = *state;
	uint64_t inv, ok;

	inv = REQ(t, .method = "OPTIONS", .ftag = "f1", .branch = "z9hG4bK-o1",
		  .version = "SIP/3.0", .ms = 1000);
	ok = RSP(t, .method = "OPTIONS", .status = 200, .ftag = "f1", .ttag = "t1",
		 .branch = "z9hG4bK-o1", .version = "SIP/2.1");
	lint(t);
	assert_int_equal(count_rule(t, "sip-parse-error"), 2);
	assert_int_equal(sift_findings_count(t->fs), 2);
	assert_int_equal(sift_findings_get(t->fs, 0)->frames[0].frame, inv);
	assert_int_equal(sift_findings_get(t->fs, 1)->frames[0].frame, ok);
	for (size_t i = 0; i < 2; i++)
		assert_non_null(strstr(sift_findings_get(t->fs, i)->message,
				       "is not SIP/2.0"));
}

static void test_missing_max_forwards(void **state)
{
	struct t *t = *state;
	uint64_t inv;

	inv = REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
		  .no_maxfwd = true, .body = SDP, .ms = 1000);
	/* Responses have no Max-Forwards. */
	RSP(t, .method = "INVITE", .status = 100, .ftag = "f1",
	    .branch = "z9hG4bK-i1");
	lint(t);
	ONLY(t, "missing-mandatory-header", "INVITE has no Max-Forwards", inv);
}

static void test_missing_header_rejected(void **state)
{
	struct t *t = *state;
	uint64_t bad;

	bad = rejected(t, "OPTIONS sip:bob@10.0.0.3 SIP/2.0\r\n\r\n",
		       SIFT_SIPE_NO_CALL_ID, NULL, NULL, 0);
	lint(t);
	fired_in(t, "missing-mandatory-header", NULL, "message has no Call-ID header",
		 FRAMES(bad));
	assert_int_equal(sift_findings_count(t->fs), 1);
}

static void test_cseq_method_mismatch(void **state)
{
	struct t *t = *state;
	uint64_t inv;

	inv = REQ(t, .method = "INVITE", .cseq_method = "BYE", .ftag = "f1",
		  .branch = "z9hG4bK-i1", .body = SDP, .ms = 1000);
	lint(t);
	ONLY(t, "cseq-method-mismatch", "INVITE request has CSeq method BYE", inv);
}

static void test_status_code_invalid(void **state)
{
	struct t *t = *state;
	uint64_t bad;

	bad = rejected(t, "SIP/2.0 700 Weird\r\n\r\n",
		       SIFT_SIPE_STATUS_RANGE, CID, NULL, 700);
	lint(t);
	ONLY(t, "status-code-invalid", "outside 100-699", bad);
}

/* The rule table and --rules. */

static const char *const GROUPS[] = { "cancel", "ack", "proxy", "transport",
				      "syntax", "media" };

static void test_rule_table(void **state)
{
	(void)state;
	for (int i = 0; i < SIFT_R_COUNT; i++) {
		const struct sift_rule *r = sift_rule((enum sift_rule_id)i);
		struct sift_lint_cfg cfg;
		char err[128] = "";
		bool group = false;

		assert_non_null(r);
		assert_non_null(r->id);
		assert_non_null(r->summary);
		assert_true(strncmp(r->rfc, "RFC ", 4) == 0);
		for (size_t g = 0; g < sizeof(GROUPS) / sizeof(GROUPS[0]); g++)
			group = group || strcmp(r->group, GROUPS[g]) == 0;
		assert_true(group);
		for (int k = 0; k < i; k++)
			assert_string_not_equal(sift_rule((enum sift_rule_id)k)->id,
						r->id);
		/* The id alone selects exactly that rule. */
		assert_int_equal(sift_lint_cfg_parse(&cfg, r->id, err, sizeof(err)),
				 SIFT_OK);
		for (int k = 0; k < SIFT_R_COUNT; k++)
			assert_int_equal(cfg.on[k], k == i);
	}
	assert_null(sift_rule(SIFT_R_COUNT));
}

static void test_cfg_all_but_one(void **state)
{
	struct sift_lint_cfg cfg;
	char err[128] = "";

	(void)state;
	/* Disabling wins whatever the order. */
	assert_int_equal(sift_lint_cfg_parse(&cfg, "-ack-missing,+all", err,
					     sizeof(err)), SIFT_OK);
	for (int k = 0; k < SIFT_R_COUNT; k++)
		assert_int_equal(cfg.on[k], k != SIFT_R_ACK_MISSING);
	assert_int_equal(sift_lint_cfg_parse(&cfg, "+all,-ack-missing", err,
					     sizeof(err)), SIFT_OK);
	for (int k = 0; k < SIFT_R_COUNT; k++)
		assert_int_equal(cfg.on[k], k != SIFT_R_ACK_MISSING);
}

static void test_cfg_group_only(void **state)
{
	struct sift_lint_cfg cfg;
	char err[128] = "";
	int n = 0;

	(void)state;
	assert_int_equal(sift_lint_cfg_parse(&cfg, "cancel", err, sizeof(err)),
			 SIFT_OK);
	for (int k = 0; k < SIFT_R_COUNT; k++) {
		assert_int_equal(cfg.on[k],
				 strcmp(sift_rule((enum sift_rule_id)k)->group,
					"cancel") == 0);
		n += cfg.on[k];
	}
	assert_int_equal(n, SIFT_R_CANCEL_NO_487 - SIFT_R_CANCEL_NO_MATCHING_INVITE + 1);
	/* A group and a rule of another group; a group minus one rule. */
	assert_int_equal(sift_lint_cfg_parse(&cfg, "cancel,+rr-not-loose,-cancel-no-487",
					     err, sizeof(err)), SIFT_OK);
	for (int k = 0; k < SIFT_R_COUNT; k++)
		assert_int_equal(cfg.on[k],
				 (k <= SIFT_R_CANCEL_NO_487 || k == SIFT_R_RR_NOT_LOOSE) &&
				 k != SIFT_R_CANCEL_NO_487);
}

static void test_cfg_signed_first_starts_from_all(void **state)
{
	struct sift_lint_cfg cfg;
	char err[128] = "";

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	assert_int_equal(sift_lint_cfg_parse(&cfg, "+proxy", err, sizeof(err)),
			 SIFT_OK);
	for (int k = 0; k < SIFT_R_COUNT; k++)
		assert_true(cfg.on[k]);
	assert_int_equal(sift_lint_cfg_parse(&cfg, "-syntax", err, sizeof(err)),
			 SIFT_OK);
	for (int k = 0; k < SIFT_R_COUNT; k++)
		assert_int_equal(cfg.on[k],
				 strcmp(sift_rule((enum sift_rule_id)k)->group,
					"syntax") != 0);
}

static void expect_unknown(const char *spec, const char *name)
{
	struct sift_lint_cfg cfg;
	char err[128] = "";

	assert_int_equal(sift_lint_cfg_parse(&cfg, spec, err, sizeof(err)),
			 SIFT_EINVAL);
	if (!strstr(err, name))
		fail_msg("\"%s\": err \"%s\" does not name \"%s\"", spec, err, name);
}

static void test_cfg_unknown(void **state)
{
	(void)state;
	expect_unknown("bogus", "'bogus'");
	expect_unknown("+all,-nosuch-rule", "'nosuch-rule'");
	expect_unknown("cancel,ack-missin", "'ack-missin'");   /* no prefixes */
	expect_unknown("ACK", "'ACK'");
	expect_unknown("cancel,,ack", "''");
	expect_unknown("-", "''");
}

/* A disabled rule emits nothing; the others still run. */
static void test_disabled_rule_silent(void **state)
{
	struct t *t = *state;
	char err[128] = "";
	uint64_t inv, ok;

	assert_int_equal(sift_lint_cfg_parse(&t->cfg,
					     "-cancel-to-tag,-cseq-method-mismatch",
					     err, sizeof(err)), SIFT_OK);
	inv = REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
		  .cseq_method = "BYE", .body = SDP, .ms = 1000);
	RSP(t, .method = "INVITE", .status = 180, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1");
	REQ(t, .method = "CANCEL", .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1", .ms = 3000);
	ok = RSP(t, .method = "CANCEL", .status = 200, .ftag = "f1", .ttag = "t1",
		 .branch = "z9hG4bK-i1");
	lint(t);
	/* cancel-to-tag and cseq-method-mismatch would fire (see their
	 * tests); cancel-no-487 is on and does. */
	ONLY(t, "cancel-no-487", "never got its 487", ok, inv);
}

static void test_disabled_stream_framing_silent(void **state)
{
	struct t *t = *state;
	struct sift_where w = { 0, 42, T0 };
	char err[128] = "";

	assert_int_equal(sift_lint_cfg_parse(&t->cfg, "-transport", err,
					     sizeof(err)), SIFT_OK);
	sift_lint_stream_framing(&t->cfg, CID, &w, "whatever", t->fs);
	REQ(t, .method = "OPTIONS", .ftag = "f1", .branch = "z9hG4bK-o1",
	    .tp = SIFT_TP_TCP, .no_clen = true, .alias = true, .ms = 1000);
	lint(t);
	silent(t);
}

/* Found by these tests and fixed: false positives and a wrong attribution. */
/* P forwards the INVITE without record-routing: the 200 reaches A from P,
 * the ACK goes straight to B's Contact (§12.2.1.1). B's retransmission of
 * its 200 crosses the ACK; nothing was lost. */
static void test_2xx_crossing_ack_non_rr_proxy_silent(void **state)
{
	struct t *t = *state;

	REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-a1",
	    .ruri = "sip:bob@example.com", .src = A, .dst = P,
	    .contact = "sip:alice@10.0.0.1", .body = SDP, .ms = 1000);
	REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-p1",
	    .vias = 2, .src = P, .dst = B, .contact = "sip:alice@10.0.0.1",
	    .body = SDP);
	RSP(t, .method = "INVITE", .status = 200, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-p1", .vias = 2, .src = B, .dst = P,
	    .contact = "sip:bob@10.0.0.3", .body = SDP, .ms = 3000);
	RSP(t, .method = "INVITE", .status = 200, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-a1", .src = P, .dst = A,
	    .contact = "sip:bob@10.0.0.3", .body = SDP);
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-a2",
	    .src = A, .dst = B, .ms = 3490);
	RSP(t, .method = "INVITE", .status = 200, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-p1", .vias = 2, .src = B, .dst = P,
	    .contact = "sip:bob@10.0.0.3", .body = SDP, .ms = 3500);
	RSP(t, .method = "INVITE", .status = 200, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-a1", .src = P, .dst = A,
	    .contact = "sip:bob@10.0.0.3", .body = SDP);
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-a2",
	    .src = A, .dst = B);
	lint(t);
	silent(t);
}

/* An RFC 2543 UA cancels: INVITE and CANCEL both without branch, matched
 * on Request-URI, tags, Call-ID, CSeq and the whole top Via (§9.1, §17.2.3). */
static void test_rfc2543_cancel_silent(void **state)
{
	struct t *t = *state;

	REQ(t, .method = "INVITE", .ftag = "f1",
	    .contact = "sip:alice@10.0.0.1", .body = SDP, .ms = 1000);
	RSP(t, .method = "INVITE", .status = 180, .ftag = "f1", .ttag = "t1",
	    .contact = "sip:bob@10.0.0.3");
	REQ(t, .method = "CANCEL", .ftag = "f1", .ms = 4000);
	RSP(t, .method = "CANCEL", .status = 200, .ftag = "f1", .ttag = "t1");
	RSP(t, .method = "INVITE", .status = 487, .ftag = "f1", .ttag = "t1");
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1");
	lint(t);
	silent(t);
}

/* An RFC 2543 UA without From tag nor branch cancels (tags were optional
 * in RFC 2543; §9.1 asks for identical From, tag or none). */
static void test_rfc2543_cancel_no_from_tag_silent(void **state)
{
	struct t *t = *state;

	REQ(t, .method = "INVITE", .contact = "sip:alice@10.0.0.1", .body = SDP,
	    .ms = 1000);
	RSP(t, .method = "INVITE", .status = 180, .ttag = "t1",
	    .contact = "sip:bob@10.0.0.3");
	REQ(t, .method = "CANCEL", .ms = 4000);
	RSP(t, .method = "CANCEL", .status = 200, .ttag = "t1");
	RSP(t, .method = "INVITE", .status = 487, .ttag = "t1");
	REQ(t, .method = "ACK", .ttag = "t1");
	lint(t);
	silent(t);
}

/* The same with the strict router named by its host name. */
static void test_strict_routing_fqdn(void **state)
{
	struct t *t = *state;
	const char *rr = "<sip:p.example.com>";

	REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-a1",
	    .src = A, .dst = P, .contact = "sip:alice@10.0.0.1", .body = SDP,
	    .ms = 1000);
	REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-p1",
	    .vias = 2, .src = P, .dst = B, .rr = rr,
	    .contact = "sip:alice@10.0.0.1", .body = SDP);
	RSP(t, .method = "INVITE", .status = 200, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-p1", .vias = 2, .src = B, .dst = P, .rr = rr,
	    .contact = "sip:bob@10.0.0.3", .body = SDP, .ms = 3000);
	RSP(t, .method = "INVITE", .status = 200, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-a1", .src = P, .dst = A, .rr = rr,
	    .contact = "sip:bob@10.0.0.3", .body = SDP);
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-a2",
	    .ruri = "sip:p.example.com", .route = "<sip:bob@10.0.0.3>", .src = A,
	    .dst = P);
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-p2",
	    .vias = 2, .src = P, .dst = B);
	lint(t);
	NOT_FIRED(t, "proxy-ruri-changed");
	NOT_FIRED(t, "ack-2xx-ruri-not-contact");
}

/* A transfer over TCP: the NOTIFY's body is a message/sipfrag (RFC 3515
 * §2.4.5), a status line, framed by its Content-Length like any body. */
static void test_tcp_notify_sipfrag_silent(void **state)
{
	struct t *t = *state;
	const char *a = "10.0.0.1:40000";

	REQ(t, .method = "REFER", .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-r1", .tp = SIFT_TP_TCP, .src = a, .ms = 1000);
	RSP(t, .method = "REFER", .status = 202, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-r1", .tp = SIFT_TP_TCP, .dst = a);
	REQ(t, .method = "NOTIFY", .ruri = "sip:alice@10.0.0.1;transport=tcp",
	    .from = "sip:bob@10.0.0.3", .ftag = "t1", .to = "sip:alice@10.0.0.1",
	    .ttag = "f1", .branch = "z9hG4bK-n1", .tp = SIFT_TP_TCP, .src = B,
	    .dst = a, .body = "SIP/2.0 200 OK\r\n", .ctype = "message/sipfrag");
	RSP(t, .method = "NOTIFY", .status = 200, .from = "sip:bob@10.0.0.3",
	    .ftag = "t1", .to = "sip:alice@10.0.0.1", .ttag = "f1",
	    .branch = "z9hG4bK-n1", .tp = SIFT_TP_TCP, .src = a, .dst = B);
	lint(t);
	silent(t);
}

/* A forking proxy (no Record-Route) passes on two 200s, from B at
 * 10.0.0.3 and from another phone at 10.0.0.4; A acknowledges each at its
 * Contact and hangs up the second (§13.2.2.4). */
static void test_forked_two_2xx_silent(void **state)
{
	struct t *t = *state;

	REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-a1",
	    .ruri = "sip:bob@example.com", .src = A, .dst = P,
	    .contact = "sip:alice@10.0.0.1", .body = SDP, .ms = 1000);
	RSP(t, .method = "INVITE", .status = 100, .ftag = "f1",
	    .branch = "z9hG4bK-a1", .src = P, .dst = A);
	RSP(t, .method = "INVITE", .status = 200, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-a1", .src = P, .dst = A,
	    .contact = "sip:bob@10.0.0.3", .body = SDP, .ms = 3000);
	RSP(t, .method = "INVITE", .status = 200, .ftag = "f1", .ttag = "t2",
	    .branch = "z9hG4bK-a1", .src = P, .dst = A,
	    .contact = "sip:bob@10.0.0.4", .body = SDP, .ms = 3002);
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-a2",
	    .ruri = "sip:bob@10.0.0.3", .src = A, .dst = B);
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t2", .branch = "z9hG4bK-a3",
	    .ruri = "sip:bob@10.0.0.4", .src = A, .dst = "10.0.0.4:5060");
	REQ(t, .method = "BYE", .cseq = 2, .ftag = "f1", .ttag = "t2",
	    .branch = "z9hG4bK-b1", .ruri = "sip:bob@10.0.0.4", .src = A,
	    .dst = "10.0.0.4:5060");
	RSP(t, .method = "BYE", .status = 200, .cseq = 2, .ftag = "f1",
	    .ttag = "t2", .branch = "z9hG4bK-b1", .src = "10.0.0.4:5060",
	    .dst = A);
	lint(t);
	silent(t);
}

/* The ACK is lost on P's leg: P record-routed, A's ACKs reach P, P's go
 * to a wrong port; B keeps retransmitting its 200, P forwards each
 * retransmission (§16.7) and A acknowledges each one. */
static void test_ack_lost_on_proxy_leg(void **state)
{
	struct t *t = *state;
	static const int64_t at[] = { 3000, 3500, 4500 };
	uint64_t ack_p = 0, late = 0;

	REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-a1",
	    .src = A, .dst = P, .body = SDP, .ms = 1000);
	REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-p1",
	    .vias = 2, .src = P, .dst = B, .rr = RR_P, .body = SDP);
	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		uint64_t ok, ap;

		ok = RSP(t, .method = "INVITE", .status = 200, .ftag = "f1",
			 .ttag = "t1", .branch = "z9hG4bK-p1", .vias = 2, .src = B,
			 .dst = P, .rr = RR_P, .contact = "sip:bob@10.0.0.3",
			 .body = SDP, .ms = at[i]);
		RSP(t, .method = "INVITE", .status = 200, .ftag = "f1", .ttag = "t1",
		    .branch = "z9hG4bK-a1", .src = P, .dst = A, .rr = RR_P,
		    .contact = "sip:bob@10.0.0.3", .body = SDP);
		REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1",
		    .branch = "z9hG4bK-a2", .src = A, .dst = P, .route = RR_P);
		ap = REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1",
			 .branch = "z9hG4bK-p2", .vias = 2, .src = P,
			 .dst = "10.0.0.3:5070");
		if (i == 0)
			ack_p = ap;
		late = ok;
	}
	lint(t);
	ONLY(t, "ack-lost", "sent to 10.0.0.3:5070", ack_p, late);
}

/* The responses echo the request's Via, alias included (§18.2.2): only the
 * client put it there. */
static void test_alias_echoed_in_responses(void **state)
{
	struct t *t = *state;
	uint64_t inv;

	inv = REQ(t, .method = "INVITE", .ftag = "f1", .branch = "z9hG4bK-i1",
		  .alias = true, .tp = SIFT_TP_TCP, .src = "10.0.0.1:40000",
		  .body = SDP, .ms = 1000);
	RSP(t, .method = "INVITE", .status = 100, .ftag = "f1",
	    .branch = "z9hG4bK-i1", .alias = true, .tp = SIFT_TP_TCP,
	    .dst = "10.0.0.1:40000");
	RSP(t, .method = "INVITE", .status = 486, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-i1", .alias = true, .tp = SIFT_TP_TCP,
	    .dst = "10.0.0.1:40000");
	REQ(t, .method = "ACK", .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-i1",
	    .alias = true, .tp = SIFT_TP_TCP, .src = "10.0.0.1:40000");
	lint(t);
	/* The ACK repeats the INVITE's Via (§17.1.1.3): one finding, the
	 * INVITE's, would do; two requests are the client's own. */
	assert_int_equal(count_rule(t, "alias-over-non-tls"), 2);
	assert_int_equal(sift_findings_get(t->fs, 0)->frames[0].frame, inv);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* correct flows */
		T(test_basic_call_silent),
		T(test_2xx_crossing_ack_non_rr_proxy_silent),
		T(test_rfc2543_cancel_silent),
		T(test_rfc2543_cancel_no_from_tag_silent),
		T(test_strict_routing_fqdn),
		T(test_tcp_notify_sipfrag_silent),
		T(test_forked_two_2xx_silent),
		T(test_ack_lost_on_proxy_leg),
		T(test_alias_echoed_in_responses),

		T(test_proxy_call_silent),
		T(test_proxy_two_interfaces_silent),
		T(test_cancel_reinvite_silent),
		T(test_cancel_after_provisional_silent),
		T(test_cancel_crossing_200_silent),
		T(test_cancel_through_proxy_silent),
		T(test_2xx_retransmission_crossing_ack_silent),
		T(test_2xx_retransmitted_then_acked_silent),
		T(test_rfc2543_answered_silent),
		T(test_rfc2543_branch_rejected_silent),
		T(test_strict_routing),
		T(test_tcp_same_connection_silent),
		T(test_rport_source_port_silent),
		/* cancel */
		T(test_cancel_no_matching_invite),
		T(test_cancel_branch_mismatch),
		T(test_cancel_header_mismatch_ruri),
		T(test_cancel_header_mismatch_from_tag),
		T(test_cancel_header_mismatch_to),
		T(test_cancel_header_mismatch_cseq),
		T(test_cancel_header_mismatch_reinvite_to_tag),
		T(test_cancel_header_host_case_silent),
		T(test_cancel_to_tag),
		T(test_cancel_via_mismatch),
		T(test_cancel_route_mismatch),
		T(test_cancel_route_changed),
		T(test_cancel_route_kept_silent),
		T(test_cancel_before_provisional),
		T(test_cancel_after_final),
		T(test_cancel_no_487),
		/* ack */
		T(test_ack_missing),
		T(test_ack_lost),
		T(test_ack_2xx_same_branch),
		T(test_ack_2xx_ruri_not_contact),
		T(test_ack_2xx_ruri_contact_equivalent_silent),
		T(test_ack_2xx_route_missing),
		T(test_ack_2xx_route_not_reversed),
		T(test_ack_2xx_route_one_short),
		T(test_ack_2xx_route_reversed_silent),
		T(test_ack_non2xx_silent),
		T(test_ack_non2xx_branch_mismatch),
		T(test_ack_non2xx_ruri_mismatch),
		T(test_ack_non2xx_cseq_mismatch),
		T(test_ack_2xx_cseq_mismatch),
		T(test_ack_non2xx_to_tag_mismatch),
		T(test_ack_2xx_to_tag_mismatch),
		/* proxy */
		T(test_proxy_route_not_removed),
		T(test_proxy_route_removed_silent),
		T(test_proxy_ruri_changed),
		T(test_rr_not_loose),
		T(test_rr_loose_any_case_silent),
		/* transport */
		T(test_rport_response_wrong_port),
		T(test_no_rport_response_to_via_port_silent),
		T(test_alias_over_non_tls),
		T(test_alias_over_tls_silent),
		T(test_tcp_response_new_connection),
		T(test_content_length_missing_on_tcp),
		T(test_content_length_swallows_message),
		T(test_content_length_larger_than_datagram),
		T(test_content_length_smaller_than_datagram),
		T(test_content_length_fine_silent),
		T(test_stream_framing),
		/* syntax */
		T(test_sip_parse_error),
		T(test_sip_parse_error_says_why),
		T(test_sip_parse_error_unexplained),
		T(test_sip_parse_error_no_call_id),
		T(test_sip_version_wrong),
		T(test_missing_max_forwards),
		T(test_missing_header_rejected),
		T(test_cseq_method_mismatch),
		T(test_status_code_invalid),
		/* selection */
		cmocka_unit_test(test_rule_table),
		cmocka_unit_test(test_cfg_all_but_one),
		cmocka_unit_test(test_cfg_group_only),
		cmocka_unit_test(test_cfg_signed_first_starts_from_all),
		cmocka_unit_test(test_cfg_unknown),
		T(test_disabled_rule_silent),
		T(test_disabled_stream_framing_silent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
