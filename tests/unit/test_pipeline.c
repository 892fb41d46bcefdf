/* Unit tests for the pipeline (src/pipeline.c): hand-built Ethernet/IPv4
 * packets carrying SIP over UDP, TCP and SCTP, checked in the report model
 * (summary, calls and their messages, findings). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "pipeline.h"

#define T0 (1700000000 * SIFT_USEC)

/* strndup, made to fail on demand: the executable's definition is the one
 * the library's calls reach (plain and under ASan alike). */
static bool strndup_fails;

char *strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *d;

	if (strndup_fails)
		return NULL;
	d = malloc(len + 1);
	if (d) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}

static const uint8_t IP_A[4] = { 192, 0, 2, 10 };
static const uint8_t IP_B[4] = { 192, 0, 2, 20 };

static void set16(struct pkt *p, size_t off, uint16_t v)
{
	p->b[off] = (uint8_t)(v >> 8);
	p->b[off + 1] = (uint8_t)v;
}

/* Ethernet + IPv4 header; returns the IP header offset for ip_end. */
static size_t eth_ip(struct pkt *p, uint8_t proto, const uint8_t *src,
		     const uint8_t *dst)
{
	static const uint8_t macs[12] = { 0x02, 0, 0, 0, 0, 1,
					  0x02, 0, 0, 0, 0, 2 };
	size_t off;

	memset(p, 0, sizeof(*p));
	put(p, macs, sizeof(macs));
	put16(p, 0x0800);
	off = p->n;
	put8(p, 0x45);
	put8(p, 0);
	put16(p, 0);
	put16(p, 1);
	put16(p, 0x4000);
	put8(p, 64);
	put8(p, proto);
	put16(p, 0);
	put(p, src, 4);
	put(p, dst, 4);
	return off;
}

static void ip_end(struct pkt *p, size_t off)
{
	set16(p, off + 2, (uint16_t)(p->n - off));
}

static void udp_pkt(struct pkt *p, const uint8_t *src, uint16_t sport,
		    const uint8_t *dst, uint16_t dport, const void *data,
		    size_t n)
{
	size_t ip = eth_ip(p, 17, src, dst);

	put16(p, sport);
	put16(p, dport);
	put16(p, (uint16_t)(8 + n));
	put16(p, 0);
	put(p, data, n);
	ip_end(p, ip);
}

static void tcp_pkt(struct pkt *p, const uint8_t *src, uint16_t sport,
		    const uint8_t *dst, uint16_t dport, uint32_t seq,
		    uint8_t flags, const void *data, size_t n)
{
	size_t ip = eth_ip(p, 6, src, dst);

	put16(p, sport);
	put16(p, dport);
	put32(p, seq);
	put32(p, 0);
	put8(p, 0x50);
	put8(p, flags);
	put16(p, 65535);
	put16(p, 0);
	put16(p, 0);
	put(p, data, n);
	ip_end(p, ip);
}

/* SCTP common header, then one DATA chunk per (flags, data) pair given
 * by the caller through sctp_data. */
static size_t sctp_begin(struct pkt *p, const uint8_t *src, uint16_t sport,
			 const uint8_t *dst, uint16_t dport)
{
	size_t ip = eth_ip(p, 132, src, dst);

	put16(p, sport);
	put16(p, dport);
	put32(p, 0x11223344);
	put32(p, 0);
	return ip;
}

static void sctp_data(struct pkt *p, uint8_t flags, uint32_t tsn,
		      const void *data, size_t n)
{
	put8(p, 0);                  /* DATA */
	put8(p, flags);
	put16(p, (uint16_t)(16 + n));
	put32(p, tsn);
	put16(p, 0);                 /* stream id */
	put16(p, (uint16_t)tsn);     /* stream sequence */
	put32(p, 0);                 /* PPID */
	put(p, data, n);
	while (p->n % 4)
		put8(p, 0);
}

/* A SIP message with the Content-Length its body needs. */
static size_t sip(char *buf, size_t len, const char *start,
		  const char *call_id, const char *cseq, const char *extra,
		  const char *body)
{
	int n = snprintf(buf, len,
			 "%s\r\n"
			 "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-%.*s-%s\r\n"
			 "From: <sip:alice@example.com>;tag=a1\r\n"
			 "To: <sip:bob@example.com>%s\r\n"
			 "Call-ID: %s\r\n"
			 "CSeq: %s\r\n"
			 "%s%s%s"
			 "Content-Length: %zu\r\n"
			 "\r\n"
			 "%s",
			 /* The branch from the CSeq: one branch per
			  * transaction (the 2xx's ACK is one of its own), no
			  * space in a Via. */
			 start, (int)strcspn(cseq, " "), cseq,
			 strchr(cseq, ' ') ? strchr(cseq, ' ') + 1 : "",
			 /* Responses and the in-dialog ACK and BYE carry the
			  * UAS's tag (RFC 3261 §12.2.1.1). */
			 (start[0] == 'S' || strncmp(start, "ACK", 3) == 0 ||
			  strncmp(start, "BYE", 3) == 0) ? ";tag=b1" : "",
			 call_id, cseq,
			 /* Mandatory in requests (RFC 3261 §8.1.1.6), or lint
			  * reports it. */
			 start[0] == 'S' ? "" : "Max-Forwards: 70\r\n",
			 extra, *body ? "Content-Type: application/sdp\r\n" : "",
			 strlen(body), body);

	assert_true(n > 0 && (size_t)n < len);
	return (size_t)n;
}

static struct sift_pipeline *pl_new(const struct sift_pipeline_opts *o)
{
	struct sift_pipeline *pl = sift_pipeline_new(o);

	assert_non_null(pl);
	return pl;
}

/* Feeds p as frame number frame of file 0, at T0 + frame ms. */
static void feed(struct sift_pipeline *pl, const struct pkt *p, uint64_t frame)
{
	struct sift_packet pkt;

	memset(&pkt, 0, sizeof(pkt));
	pkt.data = p->b;
	pkt.caplen = (uint32_t)p->n;
	pkt.len = (uint32_t)p->n;
	pkt.linktype = SIFT_LINK_ETHERNET;
	pkt.where.file = 0;
	pkt.where.frame = frame;
	pkt.where.ts = T0 + (sift_time)frame * 1000;
	assert_int_equal(sift_pipeline_packet(pl, &pkt), SIFT_OK);
}

static void feed_udp(struct sift_pipeline *pl, uint64_t frame, bool a_to_b,
		     uint16_t port, const void *d, size_t n)
{
	struct pkt p;

	if (a_to_b)
		udp_pkt(&p, IP_A, 5060, IP_B, port, d, n);
	else
		udp_pkt(&p, IP_B, port, IP_A, 5060, d, n);
	feed(pl, &p, frame);
}

static void check_addr(const struct sift_addr *a, const uint8_t *ip,
		       uint16_t port)
{
	assert_int_equal(a->family, 4);
	assert_memory_equal(a->ip, ip, 4);
	assert_int_equal(a->port, port);
}

static const struct sift_call *only_call(const struct sift_report *r)
{
	assert_int_equal(sift_calls_count(r->calls), 1);
	return sift_calls_get(r->calls, 0);
}

static void test_udp_call(void **state)
{
	static const char sdp[] = "v=0\r\no=a 1 1 IN IP4 192.0.2.10\r\ns=-\r\n"
				  "c=IN IP4 192.0.2.10\r\nt=0 0\r\n"
				  "m=audio 4000 RTP/AVP 0\r\n";
	static const struct {
		const char *start;
		const char *cseq;
		bool a_to_b;
		bool request;
		int status;
	} flow[] = {
		{ "INVITE sip:bob@example.com SIP/2.0", "1 INVITE", true, true, 0 },
		{ "SIP/2.0 100 Trying", "1 INVITE", false, false, 100 },
		{ "SIP/2.0 180 Ringing", "1 INVITE", false, false, 180 },
		{ "SIP/2.0 200 OK", "1 INVITE", false, false, 200 },
		{ "ACK sip:bob@192.0.2.20 SIP/2.0", "1 ACK", true, true, 0 },
		{ "BYE sip:bob@192.0.2.20 SIP/2.0", "2 BYE", true, true, 0 },
		{ "SIP/2.0 200 OK", "2 BYE", false, false, 200 },
	};
	struct sift_pipeline *pl = pl_new(NULL);
	const struct sift_report *r;
	const struct sift_call *c;
	char buf[2048];

	(void)state;
	for (size_t i = 0; i < sizeof(flow) / sizeof(flow[0]); i++) {
		size_t n = sip(buf, sizeof(buf), flow[i].start, "call-1@example.com",
			       flow[i].cseq, "", i == 0 ? sdp : "");

		feed_udp(pl, i + 1, flow[i].a_to_b, 5060, buf, n);
	}
	sift_pipeline_finish(pl);
	r = sift_pipeline_report(pl);
	assert_int_equal(r->sum.packets, 7);
	assert_int_equal(r->sum.sip_messages, 7);
	assert_int_equal(r->sum.sip_requests, 3);
	assert_int_equal(r->sum.sip_responses, 4);
	assert_int_equal(r->sum.sip_parse_errors, 0);
	assert_int_equal(r->sum.keepalives, 0);
	assert_int_equal(sift_findings_count(r->findings), 0);

	c = only_call(r);
	assert_string_equal(c->call_id, "call-1@example.com");
	assert_string_equal(c->kind, "invite");
	assert_string_equal(c->from, "sip:alice@example.com");
	assert_string_equal(c->to, "sip:bob@example.com");
	assert_int_equal(c->nmsgs, 7);
	for (size_t i = 0; i < c->nmsgs; i++) {
		const struct sift_msg_rec *m = &c->msgs[i];
		const char *sp = strchr(flow[i].cseq, ' ');

		assert_int_equal(m->where.file, 0);
		assert_int_equal(m->where.frame, i + 1);
		assert_int_equal(m->where.ts, T0 + (sift_time)(i + 1) * 1000);
		assert_int_equal(m->transport, SIFT_TP_UDP);
		assert_int_equal(m->request, flow[i].request);
		assert_int_equal(m->status, flow[i].status);
		assert_int_equal(m->cseq, (uint32_t)atoi(flow[i].cseq));
		assert_string_equal(m->cseq_method, sp + 1);
		assert_string_equal(m->method, sp + 1);
		if (flow[i].a_to_b) {
			check_addr(&m->src, IP_A, 5060);
			check_addr(&m->dst, IP_B, 5060);
		} else {
			check_addr(&m->src, IP_B, 5060);
			check_addr(&m->dst, IP_A, 5060);
		}
		assert_non_null(m->branch);
		assert_true(strncmp(m->branch, "z9hG4bK-", 8) == 0);
	}
	assert_string_equal(c->msgs[2].reason, "Ringing");
	sift_pipeline_free(pl);
}

static void test_call_id_filter(void **state)
{
	struct sift_pipeline_opts o = { .call_id = "keep@example.com" };
	struct sift_pipeline *pl = pl_new(&o);
	const struct sift_report *r;
	const struct sift_call *c;
	char buf[1024];
	size_t n;

	(void)state;
	n = sip(buf, sizeof(buf), "OPTIONS sip:bob@example.com SIP/2.0",
		"drop@example.com", "1 OPTIONS", "", "");
	feed_udp(pl, 1, true, 5060, buf, n);
	n = sip(buf, sizeof(buf), "MESSAGE sip:bob@example.com SIP/2.0",
		"keep@example.com", "1 MESSAGE", "", "hi");
	feed_udp(pl, 2, true, 5060, buf, n);
	n = sip(buf, sizeof(buf), "SIP/2.0 200 OK", "drop@example.com",
		"1 OPTIONS", "", "");
	feed_udp(pl, 3, false, 5060, buf, n);
	n = sip(buf, sizeof(buf), "SIP/2.0 202 Accepted", "keep@example.com",
		"1 MESSAGE", "", "");
	feed_udp(pl, 4, false, 5060, buf, n);
	/* Parse errors: one of another call, one of ours, one with no
	 * Call-ID at all. */
	n = sip(buf, sizeof(buf), "INFO sip:bob@example.com SIP/2.0",
		"drop@example.com", "x INFO", "", "");
	feed_udp(pl, 5, true, 5060, buf, n);
	n = sip(buf, sizeof(buf), "INFO sip:bob@example.com SIP/2.0",
		"keep@example.com", "x INFO", "", "");
	feed_udp(pl, 6, true, 5060, buf, n);
	n = strlen("junk\r\nSIP/2.0 200 OK\r\n\r\n");
	feed_udp(pl, 7, true, 5060, "junk\r\nSIP/2.0 200 OK\r\n\r\n", n);
	sift_pipeline_finish(pl);
	r = sift_pipeline_report(pl);

	c = only_call(r);
	assert_string_equal(c->call_id, "keep@example.com");
	assert_string_equal(c->kind, "message");
	/* The damaged INFO may be shown in its call, after the others. */
	assert_true(c->nmsgs == 2 || c->nmsgs == 3);
	assert_int_equal(c->msgs[0].where.frame, 2);
	assert_int_equal(c->msgs[1].where.frame, 4);
	assert_int_equal(c->msgs[1].status, 202);
	if (c->nmsgs == 3)
		assert_int_equal(c->msgs[2].where.frame, 6);
	assert_int_equal(r->sum.sip_messages, 3);
	assert_int_equal(r->sum.sip_requests, 1);
	assert_int_equal(r->sum.sip_responses, 1);
	assert_int_equal(r->sum.sip_parse_errors, 1);
	assert_int_equal(sift_findings_count(r->findings), 1);
	assert_string_equal(sift_findings_get(r->findings, 0)->call_id,
			    "keep@example.com");
	assert_int_equal(sift_findings_get(r->findings, 0)->frames[0].frame, 6);
	assert_int_equal(r->sum.packets, 7);
	sift_pipeline_free(pl);
}

static const struct sift_finding *only_finding(const struct sift_report *r,
					       const char *rule)
{
	const struct sift_finding *f;

	assert_int_equal(sift_findings_count(r->findings), 1);
	f = sift_findings_get(r->findings, 0);
	assert_non_null(f);
	assert_string_equal(f->rule, rule);
	assert_int_equal(f->severity, SIFT_SEV_ERROR);
	assert_non_null(f->rfc);
	assert_non_null(f->message);
	assert_int_equal(f->nframes, 1);
	return f;
}

static void test_parse_error_finding(void **state)
{
	static const char nocseq[] =
		"INVITE sip:bob@example.com SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKx\r\n"
		"From: <sip:alice@example.com>;tag=a1\r\n"
		"To: <sip:bob@example.com>\r\n"
		"i:   broken-1@example.com  \r\n"
		"Content-Length: 0\r\n"
		"\r\n";
	struct sift_pipeline *pl = pl_new(NULL);
	const struct sift_report *r;
	const struct sift_finding *f;
	char buf[1024];
	size_t n;

	(void)state;
	n = sip(buf, sizeof(buf), "OPTIONS sip:bob@example.com SIP/2.0",
		"fine@example.com", "1 OPTIONS", "", "");
	feed_udp(pl, 1, true, 5060, buf, n);
	feed_udp(pl, 2, true, 5060, "hello", 5);
	feed_udp(pl, 3, true, 5060, nocseq, strlen(nocseq));
	sift_pipeline_finish(pl);
	r = sift_pipeline_report(pl);
	f = only_finding(r, "missing-mandatory-header");
	assert_int_equal(f->frames[0].file, 0);
	assert_int_equal(f->frames[0].frame, 3);
	assert_non_null(f->call_id);
	assert_string_equal(f->call_id, "broken-1@example.com");
	assert_non_null(strstr(f->message, "no CSeq header"));
	assert_int_equal(sift_findings_severity(r->findings, SIFT_SEV_ERROR), 1);
	assert_int_equal(r->sum.sip_parse_errors, 1);
	assert_int_equal(r->sum.sip_messages, 2);
	assert_int_equal(r->sum.sip_requests, 1);
	/* The good message's call comes first (the damaged one may be
	 * shown in a call of its own). */
	assert_true(sift_calls_count(r->calls) >= 1);
	assert_string_equal(sift_calls_get(r->calls, 0)->call_id,
			    "fine@example.com");
	assert_int_equal(sift_calls_get(r->calls, 0)->nmsgs, 1);
	sift_pipeline_free(pl);
}

/* Memory that runs out while a packet is handled is the packet's error
 * (SIFT_ENOMEM), not a message quietly left out of the report. */
static void test_out_of_memory(void **state)
{
	static const char nocseq[] =
		"INVITE sip:bob@example.com SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKx\r\n"
		"From: <sip:alice@example.com>;tag=a1\r\n"
		"To: <sip:bob@example.com>\r\n"
		"Call-ID: broken-2@example.com\r\n"
		"Content-Length: 0\r\n"
		"\r\n";
	struct sift_pipeline *pl = pl_new(NULL);
	struct sift_packet pkt;
	struct pkt p;

	(void)state;
	udp_pkt(&p, IP_A, 5060, IP_B, 5060, nocseq, strlen(nocseq));
	memset(&pkt, 0, sizeof(pkt));
	pkt.data = p.b;
	pkt.caplen = (uint32_t)p.n;
	pkt.len = (uint32_t)p.n;
	pkt.linktype = SIFT_LINK_ETHERNET;
	pkt.where.ts = T0;
	strndup_fails = true;
	assert_int_equal(sift_pipeline_packet(pl, &pkt), SIFT_ENOMEM);
	strndup_fails = false;
	/* The next packet is handled as usual. */
	pkt.where.frame = 1;
	assert_int_equal(sift_pipeline_packet(pl, &pkt), SIFT_OK);
	sift_pipeline_finish(pl);
	assert_int_equal(sift_pipeline_report(pl)->sum.sip_parse_errors, 2);
	sift_pipeline_free(pl);
}

/* On a SIP port, text that holds "SIP/2.0" but no start line is a damaged
 * message; "hello" is not, and neither is anything on other ports unless
 * --sip-port names them. */
static void test_no_start_line(void **state)
{
	static const char junk[] =
		"xx INVITE sip:bob@example.com SIP/2.0\r\n"
		"Call-ID: junk-1@example.com\r\n"
		"CSeq: 1 INVITE\r\n"
		"\r\n";
	struct sift_pipeline_opts o = { .n_sip_ports = 1 };
	struct sift_pipeline *pl;
	const struct sift_report *r;
	const struct sift_finding *f;
	struct pkt p7000, p7001;

	(void)state;
	udp_pkt(&p7000, IP_A, 40000, IP_B, 7000, junk, strlen(junk));
	udp_pkt(&p7001, IP_A, 7001, IP_B, 40000, junk, strlen(junk));
	pl = pl_new(NULL);
	feed_udp(pl, 1, true, 5060, "hello", 5);
	feed(pl, &p7000, 2);
	feed_udp(pl, 3, false, 5060, "hello SIP world", 15);
	assert_int_equal(sift_findings_count(sift_pipeline_report(pl)->findings), 0);
	feed_udp(pl, 4, true, 5060, junk, strlen(junk));
	sift_pipeline_finish(pl);
	r = sift_pipeline_report(pl);
	f = only_finding(r, "sip-parse-error");
	assert_int_equal(f->frames[0].frame, 4);
	assert_string_equal(f->call_id, "junk-1@example.com");
	assert_non_null(strstr(f->message, "no SIP start line"));
	assert_int_equal(r->sum.sip_parse_errors, 1);
	assert_int_equal(r->sum.sip_messages, 1);
	assert_int_equal(r->sum.sip_requests, 0);
	sift_pipeline_free(pl);

	/* Port 7000 made a SIP port, as destination and as source; 7001 is
	 * not one. */
	o.sip_ports[0] = 7000;
	pl = pl_new(&o);
	feed(pl, &p7000, 1);
	feed(pl, &p7001, 2);
	udp_pkt(&p7001, IP_B, 7000, IP_A, 40000, junk, strlen(junk));
	feed(pl, &p7001, 3);
	sift_pipeline_finish(pl);
	r = sift_pipeline_report(pl);
	assert_int_equal(sift_findings_count(r->findings), 2);
	assert_int_equal(sift_findings_get(r->findings, 0)->frames[0].frame, 1);
	assert_int_equal(sift_findings_get(r->findings, 1)->frames[0].frame, 3);
	assert_int_equal(r->sum.sip_parse_errors, 2);
	sift_pipeline_free(pl);
}

static void test_keepalive_and_cut(void **state)
{
	struct sift_pipeline *pl = pl_new(NULL);
	const struct sift_report *r;
	struct sift_packet pkt;
	struct pkt p;
	char buf[1024];
	size_t n;

	(void)state;
	feed_udp(pl, 1, true, 5060, "\r\n\r\n", 4);
	feed_udp(pl, 2, false, 5060, "\r\n", 2);
	/* A message snaplen cut short is counted, not parsed. */
	n = sip(buf, sizeof(buf), "REGISTER sip:example.com SIP/2.0",
		"reg@example.com", "1 REGISTER", "", "");
	udp_pkt(&p, IP_A, 5060, IP_B, 5060, buf, n);
	memset(&pkt, 0, sizeof(pkt));
	pkt.data = p.b;
	pkt.caplen = (uint32_t)p.n - 40;
	pkt.len = (uint32_t)p.n;
	pkt.linktype = SIFT_LINK_ETHERNET;
	pkt.where.frame = 3;
	pkt.where.ts = T0;
	assert_int_equal(sift_pipeline_packet(pl, &pkt), SIFT_OK);
	/* An unsupported link type is counted. */
	pkt.caplen = (uint32_t)p.n;
	pkt.linktype = 147;
	pkt.where.frame = 4;
	assert_int_equal(sift_pipeline_packet(pl, &pkt), SIFT_OK);
	sift_pipeline_finish(pl);
	r = sift_pipeline_report(pl);
	assert_int_equal(r->sum.packets, 4);
	assert_int_equal(r->sum.keepalives, 2);
	assert_int_equal(r->sum.sip_cut, 1);
	assert_int_equal(r->sum.unsupported_link, 1);
	assert_int_equal(r->sum.sip_messages, 0);
	assert_int_equal(r->sum.sip_parse_errors, 0);
	assert_int_equal(sift_findings_count(r->findings), 0);
	assert_int_equal(sift_calls_count(r->calls), 0);
	sift_pipeline_free(pl);
}

/* One message in two TCP segments: it belongs to the segment that
 * completed it (Wireshark's "reassembled in"). */
static void test_tcp_two_segments(void **state)
{
	struct sift_pipeline *pl = pl_new(NULL);
	const struct sift_report *r;
	const struct sift_call *c;
	struct pkt p;
	char buf[1024];
	size_t n, cut = 60;

	(void)state;
	n = sip(buf, sizeof(buf), "OPTIONS sip:bob@example.com SIP/2.0",
		"tcp-1@example.com", "9 OPTIONS", "", "");
	tcp_pkt(&p, IP_A, 40000, IP_B, 5060, 1000, 0x18, buf, cut);
	feed(pl, &p, 1);
	assert_int_equal(sift_calls_count(sift_pipeline_report(pl)->calls), 0);
	tcp_pkt(&p, IP_A, 40000, IP_B, 5060, (uint32_t)(1000 + cut), 0x18,
		buf + cut, n - cut);
	feed(pl, &p, 2);
	r = sift_pipeline_report(pl);
	c = only_call(r);
	assert_string_equal(c->call_id, "tcp-1@example.com");
	assert_int_equal(c->nmsgs, 1);
	assert_int_equal(c->msgs[0].where.frame, 2);
	assert_int_equal(c->msgs[0].where.ts, T0 + 2000);
	assert_int_equal(c->msgs[0].transport, SIFT_TP_TCP);
	assert_int_equal(c->msgs[0].cseq, 9);
	check_addr(&c->msgs[0].src, IP_A, 40000);
	check_addr(&c->msgs[0].dst, IP_B, 5060);
	sift_pipeline_finish(pl);
	r = sift_pipeline_report(pl);
	assert_int_equal(r->sum.sip_messages, 1);
	assert_int_equal(r->sum.sip_requests, 1);
	assert_int_equal(r->sum.packets, 2);
	assert_int_equal(r->sum.tcp_resyncs, 0);
	sift_pipeline_free(pl);
}

struct caps_seen {
	unsigned n;
	enum sift_cap_id cap;
	uint64_t packets;          /* packets the report had counted then */
};

static void on_cap(void *ctx, const struct sift_report *r,
		   enum sift_cap_id cap)
{
	struct caps_seen *cs = ctx;

	cs->n++;
	cs->cap = cap;
	cs->packets = r->sum.packets;
}

/* A message past a stream cap: told to on_cap while the packet that hit
 * it is handled (not at the end of input), once however often the cap is
 * hit; a sip-message-oversize finding with its frame; the next message on
 * the connection framed. */
static void test_tcp_oversize_first_hit(void **state)
{
	struct caps_seen cs = { 0 };
	struct sift_pipeline_opts o = { 0 };
	struct sift_pipeline *pl;
	const struct sift_report *r;
	const struct sift_finding *f;
	struct pkt p;
	char buf[1024];
	size_t n, big;
	uint32_t seq = 1000;

	(void)state;
	o.on_cap = on_cap;
	o.on_cap_ctx = &cs;
	pl = pl_new(&o);
	big = sip(buf, sizeof(buf), "MESSAGE sip:bob@example.com SIP/2.0",
		  "big@example.com", "1 MESSAGE",
		  "Content-Length: 2000000\r\n", "");
	/* sip() wrote its own Content-Length 0 after ours: the first wins. */
	tcp_pkt(&p, IP_A, 40000, IP_B, 5060, seq, 0x18, buf, big);
	seq += (uint32_t)big;
	feed(pl, &p, 1);
	assert_int_equal(cs.n, 1);
	assert_int_equal(cs.cap, SIFT_CAP_SIP_OVERSIZE);
	assert_int_equal(cs.packets, 1);
	tcp_pkt(&p, IP_A, 40000, IP_B, 5060, seq, 0x18, buf, big);
	seq += (uint32_t)big;
	feed(pl, &p, 2);
	assert_int_equal(cs.n, 1);
	n = sip(buf, sizeof(buf), "OPTIONS sip:bob@example.com SIP/2.0",
		"after@example.com", "2 OPTIONS", "", "");
	tcp_pkt(&p, IP_A, 40000, IP_B, 5060, seq, 0x18, buf, n);
	feed(pl, &p, 3);
	sift_pipeline_finish(pl);
	r = sift_pipeline_report(pl);
	assert_int_equal(cs.n, 1);
	assert_int_equal(r->caps.n[SIFT_CAP_SIP_OVERSIZE], 2);
	assert_non_null(sift_calls_find(r->calls, "after@example.com"));
	assert_true(sift_findings_count(r->findings) >= 1);
	f = sift_findings_get(r->findings, 0);
	assert_string_equal(f->rule, "sip-message-oversize");
	assert_string_equal(f->call_id, "big@example.com");
	assert_int_equal(f->frames[0].frame, 1);
	sift_pipeline_free(pl);
}

/* RFC 4168: SIP over SCTP, one message per DATA chunk with B and E set. */
static void test_sctp(void **state)
{
	struct sift_pipeline *pl = pl_new(NULL);
	const struct sift_report *r;
	const struct sift_call *c;
	struct pkt p;
	char buf[1024];
	size_t n, ip;

	(void)state;
	n = sip(buf, sizeof(buf), "OPTIONS sip:bob@example.com SIP/2.0",
		"sctp-1@example.com", "1 OPTIONS", "", "");
	/* A SACK chunk first, then the DATA chunk. */
	ip = sctp_begin(&p, IP_A, 5060, IP_B, 5060);
	put8(&p, 3);
	put8(&p, 0);
	put16(&p, 16);
	put32(&p, 0);
	put32(&p, 0x10000);
	put32(&p, 0);
	sctp_data(&p, 0x03, 1, buf, n);
	ip_end(&p, ip);
	feed(pl, &p, 1);

	/* A beginning without its end: not a message. */
	n = sip(buf, sizeof(buf), "OPTIONS sip:bob@example.com SIP/2.0",
		"sctp-2@example.com", "2 OPTIONS", "", "");
	ip = sctp_begin(&p, IP_A, 5060, IP_B, 5060);
	sctp_data(&p, 0x02, 2, buf, 50);
	ip_end(&p, ip);
	feed(pl, &p, 2);
	sift_pipeline_finish(pl);

	r = sift_pipeline_report(pl);
	c = only_call(r);
	assert_string_equal(c->call_id, "sctp-1@example.com");
	assert_int_equal(c->nmsgs, 1);
	assert_int_equal(c->msgs[0].transport, SIFT_TP_SCTP);
	assert_int_equal(c->msgs[0].where.frame, 1);
	check_addr(&c->msgs[0].src, IP_A, 5060);
	assert_int_equal(r->sum.sctp_skipped, 1);
	assert_int_equal(r->sum.sip_messages, 1);
	assert_int_equal(r->sum.sip_parse_errors, 0);
	sift_pipeline_free(pl);
}

static void test_free_null(void **state)
{
	(void)state;
	sift_pipeline_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_udp_call),
		cmocka_unit_test(test_call_id_filter),
		cmocka_unit_test(test_parse_error_finding),
		cmocka_unit_test(test_no_start_line),
		cmocka_unit_test(test_keepalive_and_cut),
		cmocka_unit_test(test_tcp_two_segments),
		cmocka_unit_test(test_sctp),
		cmocka_unit_test(test_tcp_oversize_first_hit),
		cmocka_unit_test(test_out_of_memory),
		cmocka_unit_test(test_free_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
