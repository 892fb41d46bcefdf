/* Unit tests for transactions, dialogs and calls (src/call.c): RFC 3261
 * §17 transaction matching, §12 dialogs, the outcome of each call, the caps
 * and the sink that finishes calls on capture time.
 *
 * Messages are struct sift_sip_msg filled with literals, as the parser
 * would hand them over; no bytes are parsed here. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sipsift/call.h"
#include "sip/sip_msg.h"

#define T0 (1700000000 * SIFT_USEC)
#define MS 1000LL               /* sift_time units in a millisecond */
#define CID "call-1@10.0.0.1"

/* One hop: the client sends the requests (its sent-by is the top Via) and
 * gets the responses. Hosts are 10.0.0.<octet>:5060: 1 caller, 2 proxy,
 * 3 callee, 4 a second callee. */
struct leg {
	const char *via_host;
	uint8_t client;
	uint8_t server;
};

static const struct leg UAC_UAS = { "10.0.0.1", 1, 3 };
static const struct leg UAS_UAC = { "10.0.0.3", 3, 1 };
static const struct leg UAC_PROXY = { "10.0.0.1", 1, 2 };
static const struct leg PROXY_UAS = { "10.0.0.2", 2, 3 };
static const struct leg PROXY_UAS2 = { "10.0.0.2", 2, 4 };

struct spec {
	bool request;
	const char *method;      /* request method; a response's CSeq method */
	int status;
	const char *cid;         /* default CID */
	uint32_t cseq;
	const char *ftag;
	const char *ttag;
	const char *branch;
	const struct leg *leg;   /* default UAC_UAS */
	int64_t ms;              /* capture time in ms after T0 */
	bool sdp;
	const char *from;        /* default sip:alice@10.0.0.1 */
	const char *to;          /* default sip:bob@10.0.0.3 */
};

#define REQ(cs, ...) feed((cs), &(const struct spec){ .request = true, __VA_ARGS__ })
#define RSP(cs, ...) feed((cs), &(const struct spec){ .request = false, __VA_ARGS__ })
#define REQ_RC(cs, ...) add((cs), &(const struct spec){ .request = true, __VA_ARGS__ })
#define RSP_RC(cs, ...) add((cs), &(const struct spec){ .request = false, __VA_ARGS__ })

static uint64_t frame_no;

static struct sift_addr addr(uint8_t octet)
{
	struct sift_addr a;

	memset(&a, 0, sizeof(a));
	a.family = 4;
	a.ip[0] = 10;
	a.ip[3] = octet;
	a.port = 5060;
	return a;
}

static const char *reason_of(int status)
{
	switch (status) {
	case 100: return "Trying";
	case 180: return "Ringing";
	case 183: return "Session Progress";
	case 200: return "OK";
	case 302: return "Moved Temporarily";
	case 401: return "Unauthorized";
	case 404: return "Not Found";
	case 407: return "Proxy Authentication Required";
	case 408: return "Request Timeout";
	case 480: return "Temporarily Unavailable";
	case 486: return "Busy Here";
	case 487: return "Request Terminated";
	case 491: return "Request Pending";
	case 500: return "Server Internal Error";
	case 503: return "Service Unavailable";
	case 603: return "Decline";
	default: return "";
	}
}

static enum sift_rc add(struct sift_calls *cs, const struct spec *s)
{
	static const uint8_t sdp[] = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\n";
	const struct leg *l = s->leg ? s->leg : &UAC_UAS;
	struct sift_addr client = addr(l->client), server = addr(l->server);
	struct sift_where w;
	struct sift_sip_msg m;

	memset(&w, 0, sizeof(w));
	w.frame = ++frame_no;
	w.ts = T0 + s->ms * MS;
	memset(&m, 0, sizeof(m));
	m.request = s->request;
	m.method = s->method;
	m.status = s->request ? 0 : s->status;
	m.reason = s->request ? "" : reason_of(s->status);
	m.ruri = s->request ? "sip:bob@10.0.0.3" : NULL;
	m.call_id = s->cid ? s->cid : CID;
	m.cseq = s->cseq;
	m.cseq_method = s->method;
	m.from_uri = s->from ? s->from : "sip:alice@10.0.0.1";
	m.from_tag = s->ftag;
	m.to_uri = s->to ? s->to : "sip:bob@10.0.0.3";
	m.to_tag = s->ttag;
	m.via.transport = "UDP";
	m.via.host = l->via_host;
	m.via.port = 5060;
	m.via.branch = s->branch;
	m.via.rport_value = -1;
	m.via_count = 1;
	m.max_forwards = s->request ? 70 : -1;
	if (s->sdp) {
		m.content_type = "application/sdp";
		m.body = sdp;
		m.body_len = sizeof(sdp) - 1;
		m.has_content_length = true;
		m.content_length = m.body_len;
	}
	return sift_calls_add(cs, &m, &w, s->request ? &client : &server,
			      s->request ? &server : &client, SIFT_TP_UDP);
}

static const struct sift_call *call_of(const struct sift_calls *cs,
				       const char *cid)
{
	for (size_t i = 0; i < sift_calls_count(cs); i++) {
		const struct sift_call *c = sift_calls_get(cs, i);

		if (strcmp(c->call_id, cid) == 0)
			return c;
	}
	return NULL;
}

/* Adds a message that must be accepted; returns its record. */
static const struct sift_msg_rec *feed(struct sift_calls *cs,
				       const struct spec *s)
{
	const struct sift_call *c;

	assert_int_equal(add(cs, s), SIFT_OK);
	c = call_of(cs, s->cid ? s->cid : CID);
	assert_non_null(c);
	assert_true(c->nmsgs > 0);
	return &c->msgs[c->nmsgs - 1];
}

static const struct sift_call *must_call(const struct sift_calls *cs,
					 const char *cid)
{
	const struct sift_call *c = call_of(cs, cid);

	assert_non_null(c);
	return c;
}

static struct sift_call_outcome outcome(const struct sift_calls *cs,
					const char *cid, int64_t now_ms)
{
	struct sift_call_outcome o;

	sift_call_outcome(must_call(cs, cid), T0 + now_ms * MS, &o);
	return o;
}

static struct sift_calls *new_calls(void)
{
	struct sift_calls *cs = sift_calls_new();

	assert_non_null(cs);
	return cs;
}

/* INVITE at `at`, 100, 180 at +200 ms, 200 at +1 s, ACK at +1.01 s. */
static void answered_call(struct sift_calls *cs, const char *cid, int64_t at)
{
	REQ(cs, .cid = cid, .method = "INVITE", .cseq = 1, .ftag = "f1",
	    .branch = "z9hG4bK-inv", .ms = at, .sdp = true);
	RSP(cs, .cid = cid, .method = "INVITE", .status = 100, .cseq = 1,
	    .ftag = "f1", .branch = "z9hG4bK-inv", .ms = at + 10);
	RSP(cs, .cid = cid, .method = "INVITE", .status = 180, .cseq = 1,
	    .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-inv", .ms = at + 200);
	RSP(cs, .cid = cid, .method = "INVITE", .status = 200, .cseq = 1,
	    .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-inv", .ms = at + 1000,
	    .sdp = true);
	REQ(cs, .cid = cid, .method = "ACK", .cseq = 1, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-ack", .ms = at + 1010);
}

/* BYE and its 200, sent by the caller or by the callee. */
static void bye(struct sift_calls *cs, const char *cid, bool by_caller,
		const char *branch, int64_t at)
{
	const struct leg *l = by_caller ? &UAC_UAS : &UAS_UAC;
	const char *ft = by_caller ? "f1" : "t1", *tt = by_caller ? "t1" : "f1";

	REQ(cs, .cid = cid, .method = "BYE", .cseq = 2, .ftag = ft, .ttag = tt,
	    .branch = branch, .leg = l, .ms = at);
	RSP(cs, .cid = cid, .method = "BYE", .status = 200, .cseq = 2,
	    .ftag = ft, .ttag = tt, .branch = branch, .leg = l, .ms = at + 20);
}

/* ---- calls that go right ------------------------------------------------ */

static void test_basic_call_bye_caller(void **state)
{
	struct sift_calls *cs = new_calls();
	struct sift_addr caller = addr(1);
	const struct sift_call *c;
	const struct sift_dialog *d;
	struct sift_call_outcome o;
	static const uint32_t want_txn[] = { 0, 0, 0, 0, 1, 2, 2 };

	(void)state;
	answered_call(cs, CID, 0);
	o = outcome(cs, CID, 30000);
	assert_int_equal(o.state, SIFT_CALL_ANSWERED);
	assert_string_equal(o.reason, "call up when the capture ends");
	assert_int_equal(o.duration_ms, -1);
	assert_int_equal(o.end_ts, 0);

	bye(cs, CID, true, "z9hG4bK-bye", 61000);
	assert_int_equal(sift_calls_count(cs), 1);
	assert_int_equal(sift_calls_total(cs), 1);
	c = must_call(cs, CID);
	assert_string_equal(c->kind, "invite");
	assert_string_equal(c->from, "sip:alice@10.0.0.1");
	assert_string_equal(c->to, "sip:bob@10.0.0.3");
	assert_string_equal(c->caller_tag, "f1");
	assert_true(c->have_caller);
	assert_true(sift_addr_eq(&c->caller, &caller));
	assert_int_equal(c->index, 1);
	assert_int_equal(c->first_ts, T0);
	assert_int_equal(c->last_ts, T0 + 61020 * MS);
	assert_int_equal(c->transports, 1u << SIFT_TP_UDP);
	assert_int_equal(c->dropped, 0);
	assert_false(c->finished);

	/* INVITE, ACK (its own transaction for a 2xx, §13.2.2.4), BYE. */
	assert_int_equal(c->ntxns, 3);
	assert_string_equal(c->txns[0].method, "INVITE");
	assert_true(c->txns[0].initial);
	assert_true(c->txns[0].has_request);
	assert_int_equal(c->txns[0].provisional, 180);
	assert_int_equal(c->txns[0].final_status, 200);
	assert_string_equal(c->txns[0].final_reason, "OK");
	assert_string_equal(c->txns[0].final_to_tag, "t1");
	assert_int_equal(c->txns[0].finals, 1);
	assert_false(c->txns[0].acked);
	assert_string_equal(c->txns[1].method, "ACK");
	assert_false(c->txns[1].initial);
	assert_string_equal(c->txns[2].method, "BYE");
	assert_int_equal(c->txns[2].cseq, 2);
	assert_int_equal(c->txns[2].final_status, 200);

	assert_int_equal(c->nmsgs, 7);
	for (size_t i = 0; i < c->nmsgs; i++) {
		assert_int_equal(c->msgs[i].txn, want_txn[i]);
		assert_false(c->msgs[i].retransmission);
		assert_false(c->msgs[i].damaged);
		assert_int_equal(c->msgs[i].where.frame, c->msgs[0].where.frame + i);
	}
	assert_true(c->msgs[0].request);
	assert_string_equal(c->msgs[0].method, "INVITE");
	assert_string_equal(c->msgs[0].branch, "z9hG4bK-inv");
	assert_true(c->msgs[0].has_sdp);
	assert_false(c->msgs[1].has_sdp);
	assert_false(c->msgs[3].request);
	assert_int_equal(c->msgs[3].status, 200);
	assert_string_equal(c->msgs[3].reason, "OK");
	assert_string_equal(c->msgs[3].method, "INVITE");
	assert_true(c->msgs[3].has_sdp);

	assert_int_equal(c->ndialogs, 1);
	d = &c->dialogs[0];
	assert_string_equal(d->from_tag, "f1");
	assert_string_equal(d->to_tag, "t1");
	assert_int_equal(d->state, SIFT_DIALOG_TERMINATED);
	assert_int_equal(d->created, T0 + 200 * MS);
	assert_int_equal(d->confirmed, T0 + 1000 * MS);
	assert_int_equal(d->ok_count, 1);
	assert_true(d->acked);
	assert_int_equal(d->bye_ts, T0 + 61000 * MS);
	assert_true(d->bye_by_caller);

	o = outcome(cs, CID, 70000);
	assert_int_equal(o.state, SIFT_CALL_ENDED);
	assert_string_equal(o.reason, "BYE from caller");
	assert_int_equal(o.final_status, 200);
	assert_string_equal(o.final_reason, "OK");
	assert_int_equal(o.start_ts, T0);
	assert_int_equal(o.answer_ts, T0 + 1000 * MS);
	assert_int_equal(o.end_ts, T0 + 61000 * MS);
	assert_int_equal(o.setup_ms, 1000);
	assert_int_equal(o.duration_ms, 60000);
	assert_int_equal(sift_calls_dialogs(cs), 1);
	sift_calls_free(cs);
}

static void test_basic_call_bye_callee(void **state)
{
	struct sift_calls *cs = new_calls();
	const struct sift_call *c;
	struct sift_call_outcome o;

	(void)state;
	answered_call(cs, CID, 0);
	bye(cs, CID, false, "z9hG4bK-cbye", 4500);
	c = must_call(cs, CID);
	assert_int_equal(c->ndialogs, 1);
	assert_false(c->dialogs[0].bye_by_caller);
	assert_int_equal(c->dialogs[0].state, SIFT_DIALOG_TERMINATED);
	/* A callee's BYE does not make the callee the caller. */
	assert_string_equal(c->caller_tag, "f1");
	o = outcome(cs, CID, 5000);
	assert_int_equal(o.state, SIFT_CALL_ENDED);
	assert_string_equal(o.reason, "BYE from callee");
	assert_int_equal(o.setup_ms, 1000);
	assert_int_equal(o.duration_ms, 3500);
	assert_int_equal(o.end_ts, T0 + 4500 * MS);
	sift_calls_free(cs);
}

static void test_retransmissions(void **state)
{
	struct sift_calls *cs = new_calls();
	const struct sift_msg_rec *r;
	const struct sift_call *c;

	(void)state;
	r = REQ(cs, .method = "INVITE", .cseq = 1, .ftag = "f1",
		.branch = "z9hG4bK-1", .ms = 0);
	assert_false(r->retransmission);
	/* Timer A fired: the same INVITE again, 500 ms later (§17.1.1.2). */
	r = REQ(cs, .method = "INVITE", .cseq = 1, .ftag = "f1",
		.branch = "z9hG4bK-1", .ms = 500);
	assert_true(r->retransmission);
	assert_int_equal(r->txn, 0);
	r = RSP(cs, .method = "INVITE", .status = 200, .cseq = 1, .ftag = "f1",
		.ttag = "t1", .branch = "z9hG4bK-1", .ms = 1000);
	assert_false(r->retransmission);
	r = REQ(cs, .method = "ACK", .cseq = 1, .ftag = "f1", .ttag = "t1",
		.branch = "z9hG4bK-2", .ms = 1010);
	assert_false(r->retransmission);
	/* The 2xx again (§13.3.1.4) and the UAC's ACK for it again. */
	r = RSP(cs, .method = "INVITE", .status = 200, .cseq = 1, .ftag = "f1",
		.ttag = "t1", .branch = "z9hG4bK-1", .ms = 1500);
	assert_true(r->retransmission);
	assert_int_equal(r->txn, 0);
	r = REQ(cs, .method = "ACK", .cseq = 1, .ftag = "f1", .ttag = "t1",
		.branch = "z9hG4bK-2", .ms = 1510);
	assert_true(r->retransmission);
	assert_int_equal(r->txn, 1);

	c = must_call(cs, CID);
	assert_int_equal(c->ntxns, 2);
	assert_int_equal(c->txns[0].finals, 2);
	assert_int_equal(c->dialogs[0].ok_count, 2);
	/* Retransmitted but acknowledged: answered, not no-ack. */
	assert_int_equal(outcome(cs, CID, 2000).state, SIFT_CALL_ANSWERED);
	/* A retransmission does not move the request time. */
	assert_int_equal(outcome(cs, CID, 2000).setup_ms, 1000);
	sift_calls_free(cs);
}

/* Transaction keys past the 256 bytes built on the stack (a branch of
 * 300) are matched as the short ones are: retransmissions, the response
 * to its request, the ACK for a non-2xx in the INVITE's transaction. */
static void test_long_transaction_keys(void **state)
{
	struct sift_calls *cs = new_calls();
	const struct sift_msg_rec *r;
	const struct sift_call *c;
	char b1[320] = "z9hG4bK", b2[320] = "z9hG4bK";

	(void)state;
	memset(b1 + 7, 'a', 300);
	memset(b2 + 7, 'b', 300);
	r = REQ(cs, .method = "INVITE", .cseq = 1, .ftag = "f1", .branch = b1, .ms = 0);
	assert_false(r->retransmission);
	r = REQ(cs, .method = "INVITE", .cseq = 1, .ftag = "f1", .branch = b1, .ms = 500);
	assert_true(r->retransmission);
	r = RSP(cs, .method = "INVITE", .status = 486, .cseq = 1, .ftag = "f1",
		.ttag = "t1", .branch = b1, .ms = 600);
	assert_false(r->retransmission);
	assert_int_equal(r->txn, 0);
	r = REQ(cs, .method = "ACK", .cseq = 1, .ftag = "f1", .ttag = "t1",
		.branch = b1, .ms = 610);
	assert_false(r->retransmission);
	assert_int_equal(r->txn, 0);
	r = REQ(cs, .method = "INVITE", .cseq = 2, .ftag = "f1", .branch = b2, .ms = 700);
	assert_false(r->retransmission);
	assert_int_equal(r->txn, 1);
	c = must_call(cs, CID);
	assert_int_equal(c->ntxns, 2);
	assert_true(c->txns[0].acked);
	assert_int_equal(strlen(c->txns[1].key), strlen(c->txns[0].key));
	sift_calls_free(cs);
}

static void test_ack_non2xx_joins_invite(void **state)
{
	struct sift_calls *cs = new_calls();
	const struct sift_msg_rec *r;
	const struct sift_call *c;
	struct sift_call_outcome o;

	(void)state;
	REQ(cs, .method = "INVITE", .cseq = 1, .ftag = "f1", .branch = "z9hG4bK-1",
	    .ms = 0);
	RSP(cs, .method = "INVITE", .status = 180, .cseq = 1, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-1", .ms = 30);
	r = RSP(cs, .method = "INVITE", .status = 486, .cseq = 1, .ftag = "f1",
		.ttag = "t1", .branch = "z9hG4bK-1", .ms = 50);
	assert_false(r->retransmission);
	/* §17.1.1.3: same branch as the INVITE, part of its transaction. */
	r = REQ(cs, .method = "ACK", .cseq = 1, .ftag = "f1", .ttag = "t1",
		.branch = "z9hG4bK-1", .ms = 55);
	assert_int_equal(r->txn, 0);
	assert_false(r->retransmission);
	/* The ACK was lost: the UAS sends its 486 again, the UAC ACKs again. */
	r = RSP(cs, .method = "INVITE", .status = 486, .cseq = 1, .ftag = "f1",
		.ttag = "t1", .branch = "z9hG4bK-1", .ms = 550);
	assert_true(r->retransmission);
	r = REQ(cs, .method = "ACK", .cseq = 1, .ftag = "f1", .ttag = "t1",
		.branch = "z9hG4bK-1", .ms = 555);
	assert_int_equal(r->txn, 0);
	assert_true(r->retransmission);

	c = must_call(cs, CID);
	assert_int_equal(c->ntxns, 1);
	assert_true(c->txns[0].acked);
	assert_int_equal(c->txns[0].finals, 2);
	assert_int_equal(c->txns[0].final_ts, T0 + 50 * MS);
	/* §12.3 (via §13.2.2.3): the non-2xx final ends the early dialog. */
	assert_int_equal(c->ndialogs, 1);
	assert_int_equal(c->dialogs[0].state, SIFT_DIALOG_TERMINATED);
	assert_int_equal(c->dialogs[0].confirmed, 0);
	o = outcome(cs, CID, 1000);
	assert_int_equal(o.state, SIFT_CALL_REJECTED);
	assert_string_equal(o.reason, "486 Busy Here");
	assert_int_equal(o.final_status, 486);
	assert_int_equal(o.end_ts, T0 + 50 * MS);
	assert_int_equal(o.setup_ms, 50);
	assert_int_equal(o.answer_ts, 0);
	sift_calls_free(cs);
}

static void test_cancel_487(void **state)
{
	struct sift_calls *cs = new_calls();
	const struct sift_msg_rec *r;
	const struct sift_call *c;
	struct sift_call_outcome o;

	(void)state;
	REQ(cs, .method = "INVITE", .cseq = 1, .ftag = "f1", .branch = "z9hG4bK-1",
	    .ms = 0);
	RSP(cs, .method = "INVITE", .status = 180, .cseq = 1, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-1", .ms = 100);
	/* §9.1: the CANCEL carries the INVITE's branch and CSeq number. */
	r = REQ(cs, .method = "CANCEL", .cseq = 1, .ftag = "f1",
		.branch = "z9hG4bK-1", .ms = 3000);
	assert_int_equal(r->txn, 1);
	assert_false(r->retransmission);
	RSP(cs, .method = "CANCEL", .status = 200, .cseq = 1, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-1", .ms = 3010);
	c = must_call(cs, CID);
	assert_true(c->txns[0].cancelled);
	assert_int_equal(c->txns[0].cancel_ts, T0 + 3000 * MS);
	assert_false(c->txns[1].cancelled);
	o = outcome(cs, CID, 3015);
	assert_int_equal(o.state, SIFT_CALL_CANCELLED);
	assert_string_equal(o.reason, "CANCEL sent, no final response seen");
	assert_int_equal(o.final_status, 0);

	RSP(cs, .method = "INVITE", .status = 487, .cseq = 1, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-1", .ms = 3020);
	r = REQ(cs, .method = "ACK", .cseq = 1, .ftag = "f1", .ttag = "t1",
		.branch = "z9hG4bK-1", .ms = 3030);
	assert_int_equal(r->txn, 0);
	c = must_call(cs, CID);
	assert_int_equal(c->ntxns, 2);
	assert_int_equal(c->txns[1].final_status, 200);
	assert_int_equal(c->dialogs[0].state, SIFT_DIALOG_TERMINATED);
	o = outcome(cs, CID, 4000);
	assert_int_equal(o.state, SIFT_CALL_CANCELLED);
	assert_string_equal(o.reason, "cancelled by caller");
	assert_int_equal(o.final_status, 487);
	assert_string_equal(o.final_reason, "Request Terminated");
	assert_int_equal(o.end_ts, T0 + 3020 * MS);
	assert_int_equal(o.setup_ms, 3020);
	sift_calls_free(cs);
}

static void test_final_status_outcomes(void **state)
{
	static const struct {
		int status;
		enum sift_call_state want;
		const char *reason;
	} cases[] = {
		{ 486, SIFT_CALL_REJECTED, "486 Busy Here" },
		{ 603, SIFT_CALL_REJECTED, "603 Decline" },
		{ 404, SIFT_CALL_REJECTED, "404 Not Found" },
		{ 302, SIFT_CALL_REJECTED, "302 Moved Temporarily" },
		{ 480, SIFT_CALL_REJECTED, "480 Temporarily Unavailable" },
		{ 503, SIFT_CALL_FAILED, "503 Service Unavailable" },
		{ 500, SIFT_CALL_FAILED, "500 Server Internal Error" },
		{ 408, SIFT_CALL_FAILED, "408 Request Timeout" },
		/* 487 with no CANCEL seen (sent by a proxy on its own). */
		{ 487, SIFT_CALL_CANCELLED, "487 Request Terminated" },
	};
	struct sift_calls *cs = new_calls();

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char cid[32];
		struct sift_call_outcome o;

		snprintf(cid, sizeof(cid), "final-%d", cases[i].status);
		REQ(cs, .cid = cid, .method = "INVITE", .cseq = 1, .ftag = "f1",
		    .branch = "z9hG4bK-1", .ms = 0);
		RSP(cs, .cid = cid, .method = "INVITE", .status = 100, .cseq = 1,
		    .ftag = "f1", .branch = "z9hG4bK-1", .ms = 5);
		RSP(cs, .cid = cid, .method = "INVITE", .status = cases[i].status,
		    .cseq = 1, .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-1",
		    .ms = 250);
		REQ(cs, .cid = cid, .method = "ACK", .cseq = 1, .ftag = "f1",
		    .ttag = "t1", .branch = "z9hG4bK-1", .ms = 260);
		o = outcome(cs, cid, 1000);
		assert_int_equal(o.state, cases[i].want);
		assert_string_equal(o.reason, cases[i].reason);
		assert_int_equal(o.final_status, cases[i].status);
		assert_int_equal(o.setup_ms, 250);
		assert_int_equal(o.end_ts, T0 + 250 * MS);
		assert_int_equal(o.duration_ms, -1);
	}
	assert_int_equal(sift_calls_count(cs), sizeof(cases) / sizeof(cases[0]));
	sift_calls_free(cs);
}

static void test_ringing_no_answer(void **state)
{
	struct sift_calls *cs = new_calls();
	struct sift_call_outcome o;

	(void)state;
	REQ(cs, .method = "INVITE", .cseq = 1, .ftag = "f1", .branch = "z9hG4bK-1",
	    .ms = 0);
	RSP(cs, .method = "INVITE", .status = 100, .cseq = 1, .ftag = "f1",
	    .branch = "z9hG4bK-1", .ms = 10);
	RSP(cs, .method = "INVITE", .status = 180, .cseq = 1, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-1", .ms = 100);
	o = outcome(cs, CID, 10000);
	assert_int_equal(o.state, SIFT_CALL_IN_PROGRESS);
	assert_string_equal(o.reason, "ringing when the capture ends");
	o = outcome(cs, CID, 31999);
	assert_int_equal(o.state, SIFT_CALL_IN_PROGRESS);
	/* 64*T1 after the INVITE. */
	o = outcome(cs, CID, 32000);
	assert_int_equal(o.state, SIFT_CALL_NO_ANSWER);
	o = outcome(cs, CID, 40000);
	assert_int_equal(o.state, SIFT_CALL_NO_ANSWER);
	assert_string_equal(o.reason, "no final response (last 180) after 40 s");
	assert_int_equal(o.final_status, 0);
	assert_int_equal(o.setup_ms, -1);
	assert_int_equal(o.duration_ms, -1);
	assert_int_equal(o.answer_ts, 0);
	assert_int_equal(must_call(cs, CID)->dialogs[0].state, SIFT_DIALOG_EARLY);
	sift_calls_free(cs);
}

static void test_invite_timer_b(void **state)
{
	struct sift_calls *cs = new_calls();
	struct sift_call_outcome o;

	(void)state;
	/* Nothing at all comes back. */
	REQ(cs, .cid = "silent", .method = "INVITE", .cseq = 1, .ftag = "f1",
	    .branch = "z9hG4bK-1", .ms = 0);
	REQ(cs, .cid = "silent", .method = "INVITE", .cseq = 1, .ftag = "f1",
	    .branch = "z9hG4bK-1", .ms = 500);
	o = outcome(cs, "silent", 10000);
	assert_int_equal(o.state, SIFT_CALL_IN_PROGRESS);
	assert_string_equal(o.reason, "no final response when the capture ends");
	o = outcome(cs, "silent", 40000);
	assert_int_equal(o.state, SIFT_CALL_FAILED);
	assert_string_equal(o.reason, "no response within 64*T1 (Timer B)");
	assert_int_equal(o.setup_ms, -1);
	assert_int_equal(o.final_status, 0);

	/* A 100 Trying only: still no final response. */
	REQ(cs, .cid = "trying", .method = "INVITE", .cseq = 1, .ftag = "f1",
	    .branch = "z9hG4bK-1", .ms = 0);
	RSP(cs, .cid = "trying", .method = "INVITE", .status = 100, .cseq = 1,
	    .ftag = "f1", .branch = "z9hG4bK-1", .ms = 10);
	o = outcome(cs, "trying", 40000);
	assert_int_equal(o.state, SIFT_CALL_FAILED);
	assert_string_equal(o.reason, "no final response within 64*T1 (Timer B)");
	sift_calls_free(cs);
}

static void test_no_ack(void **state)
{
	struct sift_calls *cs = new_calls();
	const struct sift_call *c;
	const struct sift_msg_rec *r;
	struct sift_call_outcome o;

	(void)state;
	REQ(cs, .method = "INVITE", .cseq = 1, .ftag = "f1", .branch = "z9hG4bK-1",
	    .ms = 0);
	r = RSP(cs, .method = "INVITE", .status = 200, .cseq = 1, .ftag = "f1",
		.ttag = "t1", .branch = "z9hG4bK-1", .ms = 1000);
	assert_false(r->retransmission);
	o = outcome(cs, CID, 1100);
	assert_int_equal(o.state, SIFT_CALL_ANSWERED);
	assert_string_equal(o.reason, "answered, no ACK seen yet");

	/* §13.3.1.4: T1, 2*T1, 4*T1 ... and never an ACK. */
	for (int i = 0, at = 1500; i < 3; i++, at += 500 << i) {
		r = RSP(cs, .method = "INVITE", .status = 200, .cseq = 1,
			.ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-1", .ms = at);
		assert_true(r->retransmission);
	}
	c = must_call(cs, CID);
	assert_int_equal(c->dialogs[0].ok_count, 4);
	assert_false(c->dialogs[0].acked);
	o = outcome(cs, CID, 40000);
	assert_int_equal(o.state, SIFT_CALL_NO_ACK);
	assert_string_equal(o.reason, "no ACK for 200 OK (3 retransmissions)");
	assert_int_equal(o.answer_ts, T0 + 1000 * MS);
	assert_int_equal(o.final_status, 200);
	assert_int_equal(o.setup_ms, 1000);
	assert_int_equal(o.end_ts, 0);

	/* The callee gives up and hangs up (§13.3.1.4). */
	bye(cs, CID, false, "z9hG4bK-cbye", 33000);
	o = outcome(cs, CID, 40000);
	assert_int_equal(o.state, SIFT_CALL_NO_ACK);
	assert_string_equal(o.reason,
			    "no ACK for 200 OK (3 retransmissions), then BYE");
	assert_int_equal(o.end_ts, T0 + 33000 * MS);
	sift_calls_free(cs);
}

static void test_challenge_then_answer(void **state)
{
	struct sift_calls *cs = new_calls();
	const struct sift_msg_rec *r;
	const struct sift_call *c;
	struct sift_call_outcome o;

	(void)state;
	REQ(cs, .method = "INVITE", .cseq = 1, .ftag = "f1", .branch = "z9hG4bK-c1",
	    .leg = &UAC_PROXY, .ms = 0);
	RSP(cs, .method = "INVITE", .status = 407, .cseq = 1, .ftag = "f1",
	    .ttag = "px", .branch = "z9hG4bK-c1", .leg = &UAC_PROXY, .ms = 50);
	r = REQ(cs, .method = "ACK", .cseq = 1, .ftag = "f1", .ttag = "px",
		.branch = "z9hG4bK-c1", .leg = &UAC_PROXY, .ms = 60);
	assert_int_equal(r->txn, 0);
	o = outcome(cs, CID, 70);
	assert_int_equal(o.state, SIFT_CALL_REJECTED);
	assert_int_equal(o.final_status, 407);

	/* The same INVITE with credentials: a new transaction, next CSeq. */
	REQ(cs, .method = "INVITE", .cseq = 2, .ftag = "f1", .branch = "z9hG4bK-c2",
	    .leg = &UAC_PROXY, .ms = 100);
	RSP(cs, .method = "INVITE", .status = 100, .cseq = 2, .ftag = "f1",
	    .branch = "z9hG4bK-c2", .leg = &UAC_PROXY, .ms = 110);
	RSP(cs, .method = "INVITE", .status = 180, .cseq = 2, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-c2", .leg = &UAC_PROXY, .ms = 300);
	RSP(cs, .method = "INVITE", .status = 200, .cseq = 2, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-c2", .leg = &UAC_PROXY, .ms = 1000);
	REQ(cs, .method = "ACK", .cseq = 2, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-c3", .leg = &UAC_PROXY, .ms = 1010);
	c = must_call(cs, CID);
	assert_int_equal(c->ntxns, 3);
	assert_int_equal(c->txns[0].final_status, 407);
	assert_true(c->txns[0].acked);
	assert_true(c->txns[1].initial);
	/* The 407 had no early dialog; the second INVITE made one. */
	assert_int_equal(c->ndialogs, 1);
	assert_string_equal(c->dialogs[0].to_tag, "t1");
	o = outcome(cs, CID, 2000);
	assert_int_equal(o.state, SIFT_CALL_ANSWERED);
	assert_int_equal(o.final_status, 200);
	assert_int_equal(o.start_ts, T0);
	assert_int_equal(o.answer_ts, T0 + 1000 * MS);
	/* From the first INVITE, before the challenge. */
	assert_int_equal(o.setup_ms, 1000);

	REQ(cs, .method = "BYE", .cseq = 3, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-c4", .leg = &UAC_PROXY, .ms = 11000);
	o = outcome(cs, CID, 12000);
	assert_int_equal(o.state, SIFT_CALL_ENDED);
	assert_int_equal(o.setup_ms, 1000);
	assert_int_equal(o.duration_ms, 10000);
	sift_calls_free(cs);
}

/* caller -> proxy -> callee, captured on both hops. */
static void two_legs_invite(struct sift_calls *cs)
{
	REQ(cs, .method = "INVITE", .cseq = 1, .ftag = "f1", .branch = "z9hG4bK-c1",
	    .leg = &UAC_PROXY, .ms = 0);
	RSP(cs, .method = "INVITE", .status = 100, .cseq = 1, .ftag = "f1",
	    .branch = "z9hG4bK-c1", .leg = &UAC_PROXY, .ms = 5);
	REQ(cs, .method = "INVITE", .cseq = 1, .ftag = "f1", .branch = "z9hG4bK-p1",
	    .leg = &PROXY_UAS, .ms = 10);
	RSP(cs, .method = "INVITE", .status = 100, .cseq = 1, .ftag = "f1",
	    .branch = "z9hG4bK-p1", .leg = &PROXY_UAS, .ms = 15);
}

static void test_proxy_legs_one_call(void **state)
{
	struct sift_calls *cs = new_calls();
	struct sift_addr caller = addr(1);
	const struct sift_call *c;
	struct sift_call_outcome o;

	(void)state;
	two_legs_invite(cs);
	RSP(cs, .method = "INVITE", .status = 180, .cseq = 1, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-p1", .leg = &PROXY_UAS, .ms = 200);
	RSP(cs, .method = "INVITE", .status = 180, .cseq = 1, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-c1", .leg = &UAC_PROXY, .ms = 205);
	RSP(cs, .method = "INVITE", .status = 200, .cseq = 1, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-p1", .leg = &PROXY_UAS, .ms = 1000);
	RSP(cs, .method = "INVITE", .status = 200, .cseq = 1, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-c1", .leg = &UAC_PROXY, .ms = 1005);
	REQ(cs, .method = "ACK", .cseq = 1, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-c2", .leg = &UAC_PROXY, .ms = 1010);
	REQ(cs, .method = "ACK", .cseq = 1, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-p2", .leg = &PROXY_UAS, .ms = 1015);
	REQ(cs, .method = "BYE", .cseq = 2, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-c3", .leg = &UAC_PROXY, .ms = 5000);
	REQ(cs, .method = "BYE", .cseq = 2, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-p3", .leg = &PROXY_UAS, .ms = 5005);
	RSP(cs, .method = "BYE", .status = 200, .cseq = 2, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-p3", .leg = &PROXY_UAS, .ms = 5010);
	RSP(cs, .method = "BYE", .status = 200, .cseq = 2, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-c3", .leg = &UAC_PROXY, .ms = 5015);

	assert_int_equal(sift_calls_count(cs), 1);
	c = must_call(cs, CID);
	assert_int_equal(c->nmsgs, 14);
	/* Every hop's request is new to its own transaction: nothing here is
	 * a retransmission even though each appears twice. */
	for (size_t i = 0; i < c->nmsgs; i++)
		assert_false(c->msgs[i].retransmission);
	assert_int_equal(c->ntxns, 6);
	assert_int_equal(c->ndialogs, 1);
	assert_true(sift_addr_eq(&c->caller, &caller));
	o = outcome(cs, CID, 6000);
	assert_int_equal(o.state, SIFT_CALL_ENDED);
	assert_string_equal(o.reason, "BYE from caller");
	/* The caller's leg: its INVITE at 0, its 200 at 1005 ms. */
	assert_int_equal(o.setup_ms, 1005);
	assert_int_equal(o.end_ts, T0 + 5000 * MS);
	/* The answer as first seen on the wire (the callee's hop). */
	assert_int_equal(o.answer_ts, T0 + 1000 * MS);
	assert_int_equal(o.duration_ms, 4000);
	sift_calls_free(cs);
}

static void test_proxy_legs_outcome_from_caller(void **state)
{
	struct sift_calls *cs = new_calls();
	struct sift_call_outcome o;

	(void)state;
	/* The callee fails with 503; the proxy tells the caller 480. */
	two_legs_invite(cs);
	RSP(cs, .method = "INVITE", .status = 503, .cseq = 1, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-p1", .leg = &PROXY_UAS, .ms = 100);
	REQ(cs, .method = "ACK", .cseq = 1, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-p1", .leg = &PROXY_UAS, .ms = 105);
	RSP(cs, .method = "INVITE", .status = 480, .cseq = 1, .ftag = "f1",
	    .ttag = "px", .branch = "z9hG4bK-c1", .leg = &UAC_PROXY, .ms = 110);
	REQ(cs, .method = "ACK", .cseq = 1, .ftag = "f1", .ttag = "px",
	    .branch = "z9hG4bK-c1", .leg = &UAC_PROXY, .ms = 115);
	o = outcome(cs, CID, 1000);
	assert_int_equal(o.state, SIFT_CALL_REJECTED);
	assert_int_equal(o.final_status, 480);
	assert_string_equal(o.reason, "480 Temporarily Unavailable");
	assert_int_equal(o.setup_ms, 110);
	sift_calls_free(cs);
}

/* A proxy forks the caller's INVITE to two phones (§16.6, §12.1.2). */
static void fork_invites(struct sift_calls *cs)
{
	REQ(cs, .method = "INVITE", .cseq = 1, .ftag = "f1", .branch = "z9hG4bK-c1",
	    .leg = &UAC_PROXY, .ms = 0);
	REQ(cs, .method = "INVITE", .cseq = 1, .ftag = "f1", .branch = "z9hG4bK-pa",
	    .leg = &PROXY_UAS, .ms = 10);
	REQ(cs, .method = "INVITE", .cseq = 1, .ftag = "f1", .branch = "z9hG4bK-pb",
	    .leg = &PROXY_UAS2, .ms = 11);
	RSP(cs, .method = "INVITE", .status = 180, .cseq = 1, .ftag = "f1",
	    .ttag = "a", .branch = "z9hG4bK-pa", .leg = &PROXY_UAS, .ms = 100);
	RSP(cs, .method = "INVITE", .status = 180, .cseq = 1, .ftag = "f1",
	    .ttag = "a", .branch = "z9hG4bK-c1", .leg = &UAC_PROXY, .ms = 105);
	RSP(cs, .method = "INVITE", .status = 180, .cseq = 1, .ftag = "f1",
	    .ttag = "b", .branch = "z9hG4bK-pb", .leg = &PROXY_UAS2, .ms = 150);
	RSP(cs, .method = "INVITE", .status = 180, .cseq = 1, .ftag = "f1",
	    .ttag = "b", .branch = "z9hG4bK-c1", .leg = &UAC_PROXY, .ms = 155);
}

static void answer_fork_a(struct sift_calls *cs, int64_t at)
{
	RSP(cs, .method = "INVITE", .status = 200, .cseq = 1, .ftag = "f1",
	    .ttag = "a", .branch = "z9hG4bK-pa", .leg = &PROXY_UAS, .ms = at);
	RSP(cs, .method = "INVITE", .status = 200, .cseq = 1, .ftag = "f1",
	    .ttag = "a", .branch = "z9hG4bK-c1", .leg = &UAC_PROXY, .ms = at + 5);
	REQ(cs, .method = "ACK", .cseq = 1, .ftag = "f1", .ttag = "a",
	    .branch = "z9hG4bK-c2", .leg = &UAC_PROXY, .ms = at + 10);
	REQ(cs, .method = "ACK", .cseq = 1, .ftag = "f1", .ttag = "a",
	    .branch = "z9hG4bK-pa2", .leg = &PROXY_UAS, .ms = at + 15);
}

static void test_forking(void **state)
{
	struct sift_calls *cs = new_calls();
	const struct sift_call *c;
	struct sift_call_outcome o;

	(void)state;
	fork_invites(cs);
	c = must_call(cs, CID);
	assert_int_equal(c->ndialogs, 2);
	assert_string_equal(c->dialogs[0].to_tag, "a");
	assert_string_equal(c->dialogs[1].to_tag, "b");
	assert_string_equal(c->dialogs[1].from_tag, "f1");
	assert_int_equal(c->dialogs[0].state, SIFT_DIALOG_EARLY);
	assert_int_equal(c->dialogs[1].state, SIFT_DIALOG_EARLY);
	/* Same status, other To tag: another fork, not a retransmission. */
	assert_false(c->msgs[c->nmsgs - 1].retransmission);

	answer_fork_a(cs, 2000);
	c = must_call(cs, CID);
	assert_int_equal(c->dialogs[0].state, SIFT_DIALOG_CONFIRMED);
	assert_int_equal(c->dialogs[0].confirmed, T0 + 2000 * MS);
	assert_true(c->dialogs[0].acked);
	assert_int_equal(c->dialogs[1].state, SIFT_DIALOG_EARLY);

	/* The proxy cancels the other branch (§16.7 step 10). */
	REQ(cs, .method = "CANCEL", .cseq = 1, .ftag = "f1",
	    .branch = "z9hG4bK-pb", .leg = &PROXY_UAS2, .ms = 2020);
	RSP(cs, .method = "CANCEL", .status = 200, .cseq = 1, .ftag = "f1",
	    .ttag = "b", .branch = "z9hG4bK-pb", .leg = &PROXY_UAS2, .ms = 2025);
	RSP(cs, .method = "INVITE", .status = 487, .cseq = 1, .ftag = "f1",
	    .ttag = "b", .branch = "z9hG4bK-pb", .leg = &PROXY_UAS2, .ms = 2030);
	REQ(cs, .method = "ACK", .cseq = 1, .ftag = "f1", .ttag = "b",
	    .branch = "z9hG4bK-pb", .leg = &PROXY_UAS2, .ms = 2035);
	c = must_call(cs, CID);
	assert_int_equal(c->ndialogs, 2);
	assert_int_equal(c->dialogs[0].state, SIFT_DIALOG_CONFIRMED);
	assert_int_equal(c->dialogs[1].state, SIFT_DIALOG_TERMINATED);
	assert_int_equal(c->dialogs[1].confirmed, 0);
	assert_int_equal(c->ntxns, 6);
	assert_true(c->txns[2].cancelled);
	assert_int_equal(c->txns[2].final_status, 487);
	assert_true(c->txns[2].acked);
	assert_false(c->txns[0].cancelled);

	o = outcome(cs, CID, 3000);
	assert_int_equal(o.state, SIFT_CALL_ANSWERED);
	assert_string_equal(o.reason, "call up when the capture ends");
	assert_int_equal(o.final_status, 200);
	assert_int_equal(o.answer_ts, T0 + 2000 * MS);
	assert_int_equal(o.setup_ms, 2005);
	sift_calls_free(cs);
}

/* The second phone declines before the first answers: its 603 ends only
 * its own early dialog, and the answer still confirms the first one. */
static void test_fork_reject_before_answer(void **state)
{
	struct sift_calls *cs = new_calls();
	const struct sift_call *c;
	struct sift_call_outcome o;

	(void)state;
	fork_invites(cs);
	RSP(cs, .method = "INVITE", .status = 603, .cseq = 1, .ftag = "f1",
	    .ttag = "b", .branch = "z9hG4bK-pb", .leg = &PROXY_UAS2, .ms = 1000);
	REQ(cs, .method = "ACK", .cseq = 1, .ftag = "f1", .ttag = "b",
	    .branch = "z9hG4bK-pb", .leg = &PROXY_UAS2, .ms = 1005);
	answer_fork_a(cs, 2000);
	c = must_call(cs, CID);
	assert_int_equal(c->dialogs[0].state, SIFT_DIALOG_CONFIRMED);
	assert_int_equal(c->dialogs[0].confirmed, T0 + 2000 * MS);
	assert_int_equal(c->dialogs[1].state, SIFT_DIALOG_TERMINATED);

	REQ(cs, .method = "BYE", .cseq = 2, .ftag = "f1", .ttag = "a",
	    .branch = "z9hG4bK-c3", .leg = &UAC_PROXY, .ms = 5000);
	RSP(cs, .method = "BYE", .status = 200, .cseq = 2, .ftag = "f1",
	    .ttag = "a", .branch = "z9hG4bK-c3", .leg = &UAC_PROXY, .ms = 5010);
	o = outcome(cs, CID, 6000);
	assert_int_equal(o.state, SIFT_CALL_ENDED);
	assert_string_equal(o.reason, "BYE from caller");
	assert_int_equal(o.answer_ts, T0 + 2000 * MS);
	assert_int_equal(o.duration_ms, 3000);
	sift_calls_free(cs);
}

static void test_reinvite_keeps_outcome(void **state)
{
	struct sift_calls *cs = new_calls();
	const struct sift_call *c;
	struct sift_call_outcome o;

	(void)state;
	answered_call(cs, CID, 0);
	/* Hold from the caller: re-INVITE in the dialog, answered. */
	REQ(cs, .method = "INVITE", .cseq = 2, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-re1", .ms = 10000, .sdp = true);
	RSP(cs, .method = "INVITE", .status = 200, .cseq = 2, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-re1", .ms = 10050, .sdp = true);
	REQ(cs, .method = "ACK", .cseq = 2, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-re1a", .ms = 10060);
	/* A glare from the callee, refused with 491 (§14.1). */
	REQ(cs, .method = "INVITE", .cseq = 1, .ftag = "t1", .ttag = "f1",
	    .branch = "z9hG4bK-re2", .leg = &UAS_UAC, .ms = 20000);
	RSP(cs, .method = "INVITE", .status = 491, .cseq = 1, .ftag = "t1",
	    .ttag = "f1", .branch = "z9hG4bK-re2", .leg = &UAS_UAC, .ms = 20010);
	REQ(cs, .method = "ACK", .cseq = 1, .ftag = "t1", .ttag = "f1",
	    .branch = "z9hG4bK-re2", .leg = &UAS_UAC, .ms = 20020);

	c = must_call(cs, CID);
	assert_int_equal(c->ndialogs, 1);
	assert_int_equal(c->dialogs[0].state, SIFT_DIALOG_CONFIRMED);
	assert_int_equal(c->dialogs[0].confirmed, T0 + 1000 * MS);
	assert_int_equal(c->ntxns, 5);
	assert_false(c->txns[2].initial);
	assert_false(c->txns[4].initial);
	assert_true(c->txns[4].acked);
	o = outcome(cs, CID, 30000);
	assert_int_equal(o.state, SIFT_CALL_ANSWERED);
	assert_string_equal(o.reason, "call up when the capture ends");
	assert_int_equal(o.final_status, 200);
	assert_int_equal(o.answer_ts, T0 + 1000 * MS);
	assert_int_equal(o.setup_ms, 1000);

	bye(cs, CID, true, "z9hG4bK-bye", 60000);
	o = outcome(cs, CID, 61000);
	assert_int_equal(o.state, SIFT_CALL_ENDED);
	assert_int_equal(o.setup_ms, 1000);
	assert_int_equal(o.duration_ms, 59000);
	sift_calls_free(cs);
}

static void test_rfc2543_branches(void **state)
{
	struct sift_calls *cs = new_calls();
	const struct sift_msg_rec *r;
	const struct sift_call *c;

	(void)state;
	/* A branch without the magic cookie. */
	REQ(cs, .cid = "old", .method = "INVITE", .cseq = 7, .ftag = "f1",
	    .branch = "a1b2c3", .ms = 0);
	r = RSP(cs, .cid = "old", .method = "INVITE", .status = 180, .cseq = 7,
		.ftag = "f1", .ttag = "t1", .branch = "a1b2c3", .ms = 100);
	assert_int_equal(r->txn, 0);
	r = RSP(cs, .cid = "old", .method = "INVITE", .status = 486, .cseq = 7,
		.ftag = "f1", .ttag = "t1", .branch = "a1b2c3", .ms = 200);
	assert_int_equal(r->txn, 0);
	r = REQ(cs, .cid = "old", .method = "ACK", .cseq = 7, .ftag = "f1",
		.ttag = "t1", .branch = "a1b2c3", .ms = 210);
	assert_int_equal(r->txn, 0);
	assert_false(r->retransmission);
	assert_int_equal(outcome(cs, "old", 250).state, SIFT_CALL_REJECTED);
	/* The same branch with another CSeq is another transaction. */
	r = REQ(cs, .cid = "old", .method = "INVITE", .cseq = 8, .ftag = "f1",
		.branch = "a1b2c3", .ms = 300);
	assert_int_equal(r->txn, 1);
	assert_false(r->retransmission);
	c = must_call(cs, "old");
	assert_int_equal(c->ntxns, 2);
	assert_true(c->txns[0].acked);
	assert_int_equal(c->txns[0].final_status, 486);

	/* No branch at all. */
	REQ(cs, .cid = "none", .method = "INVITE", .cseq = 1, .ftag = "f1",
	    .ms = 0);
	r = REQ(cs, .cid = "none", .method = "INVITE", .cseq = 1, .ftag = "f1",
		.ms = 500);
	assert_true(r->retransmission);
	r = RSP(cs, .cid = "none", .method = "INVITE", .status = 200, .cseq = 1,
		.ftag = "f1", .ttag = "t1", .ms = 1000);
	assert_int_equal(r->txn, 0);
	assert_null(r->branch);
	REQ(cs, .cid = "none", .method = "ACK", .cseq = 1, .ftag = "f1",
	    .ttag = "t1", .ms = 1010);
	REQ(cs, .cid = "none", .method = "BYE", .cseq = 2, .ftag = "f1",
	    .ttag = "t1", .ms = 3000);
	r = RSP(cs, .cid = "none", .method = "BYE", .status = 200, .cseq = 2,
		.ftag = "f1", .ttag = "t1", .ms = 3010);
	assert_int_equal(r->txn, 2);
	c = must_call(cs, "none");
	assert_int_equal(c->ntxns, 3);
	assert_int_equal(c->ndialogs, 1);
	assert_int_equal(outcome(cs, "none", 4000).state, SIFT_CALL_ENDED);
	assert_int_equal(outcome(cs, "none", 4000).duration_ms, 2000);
	sift_calls_free(cs);
}

static void test_response_without_request(void **state)
{
	struct sift_calls *cs = new_calls();
	const struct sift_msg_rec *r;
	const struct sift_call *c;
	struct sift_call_outcome o;

	(void)state;
	/* The capture starts after the OPTIONS went out. */
	r = RSP(cs, .cid = "late", .method = "OPTIONS", .status = 200, .cseq = 1,
		.ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-o1", .ms = 0);
	assert_int_equal(r->txn, 0);
	assert_false(r->retransmission);
	c = must_call(cs, "late");
	assert_int_equal(sift_calls_count(cs), 1);
	assert_int_equal(c->ntxns, 1);
	assert_false(c->txns[0].has_request);
	assert_true(c->txns[0].initial);
	assert_string_equal(c->txns[0].method, "OPTIONS");
	assert_int_equal(c->txns[0].final_status, 200);
	/* The response names its request's method: that is the call. */
	assert_string_equal(c->kind, "options");
	assert_false(c->have_caller);
	o = outcome(cs, "late", 1000);
	assert_int_equal(o.state, SIFT_CALL_ANSWERED);
	assert_string_equal(o.reason, "200 OK");
	assert_int_equal(o.start_ts, T0);

	/* A second one of the same method is not taken as initial. */
	RSP(cs, .cid = "late", .method = "OPTIONS", .status = 200, .cseq = 2,
	    .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-o2", .ms = 100);
	c = must_call(cs, "late");
	assert_int_equal(c->ntxns, 2);
	assert_false(c->txns[1].initial);

	/* Its request, seen later at another capture point (a clock 5 ms
	 * behind): the same transaction, not a retransmission; a setup time
	 * that would be negative is unknown. */
	r = REQ(cs, .cid = "late", .method = "OPTIONS", .cseq = 1, .ftag = "f1",
		.branch = "z9hG4bK-o1", .ms = 5);
	assert_int_equal(r->txn, 0);
	assert_false(r->retransmission);
	c = must_call(cs, "late");
	assert_int_equal(c->ntxns, 2);
	assert_true(c->txns[0].has_request);
	assert_string_equal(c->kind, "options");
	o = outcome(cs, "late", 1000);
	assert_int_equal(o.state, SIFT_CALL_ANSWERED);
	assert_int_equal(o.final_status, 200);
	assert_int_equal(o.setup_ms, -1);
	sift_calls_free(cs);
}

/* The outcome transaction was made by a 180 whose INVITE was not
 * captured: the time since is counted from its first message. */
static void test_no_answer_reason_without_request(void **state)
{
	struct sift_calls *cs = new_calls();
	struct sift_call_outcome o;

	(void)state;
	RSP(cs, .method = "INVITE", .status = 180, .cseq = 1, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-1", .ms = 0);
	REQ(cs, .method = "INVITE", .cseq = 2, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-2", .ms = 100);
	o = outcome(cs, CID, 40000);
	assert_int_equal(o.state, SIFT_CALL_NO_ANSWER);
	assert_string_equal(o.reason, "no final response (last 180) after 40 s");
	sift_calls_free(cs);
}

static void test_register_challenge(void **state)
{
	struct sift_calls *cs = new_calls();
	const struct sift_call *c;
	struct sift_call_outcome o;

	(void)state;
	REQ(cs, .cid = "reg", .method = "REGISTER", .cseq = 1, .ftag = "f1",
	    .branch = "z9hG4bK-r1", .ms = 0);
	RSP(cs, .cid = "reg", .method = "REGISTER", .status = 401, .cseq = 1,
	    .ftag = "f1", .ttag = "x", .branch = "z9hG4bK-r1", .ms = 20);
	o = outcome(cs, "reg", 50);
	assert_int_equal(o.state, SIFT_CALL_REJECTED);
	assert_string_equal(o.reason, "401 Unauthorized");
	REQ(cs, .cid = "reg", .method = "REGISTER", .cseq = 2, .ftag = "f1",
	    .branch = "z9hG4bK-r2", .ms = 100);
	RSP(cs, .cid = "reg", .method = "REGISTER", .status = 200, .cseq = 2,
	    .ftag = "f1", .ttag = "x", .branch = "z9hG4bK-r2", .ms = 130);
	c = must_call(cs, "reg");
	assert_string_equal(c->kind, "register");
	assert_int_equal(c->ndialogs, 0);
	o = outcome(cs, "reg", 1000);
	assert_int_equal(o.state, SIFT_CALL_ANSWERED);
	assert_string_equal(o.reason, "200 OK");
	assert_int_equal(o.final_status, 200);
	assert_int_equal(o.setup_ms, 130);
	assert_int_equal(o.answer_ts, T0 + 130 * MS);
	assert_int_equal(o.end_ts, T0 + 130 * MS);

	/* A refresh ten minutes later under the same Call-ID: its own setup,
	 * not counted from the first registration. */
	REQ(cs, .cid = "reg", .method = "REGISTER", .cseq = 3, .ftag = "f1",
	    .branch = "z9hG4bK-r3", .ms = 600000);
	RSP(cs, .cid = "reg", .method = "REGISTER", .status = 200, .cseq = 3,
	    .ftag = "f1", .ttag = "x", .branch = "z9hG4bK-r3", .ms = 600040);
	o = outcome(cs, "reg", 601000);
	assert_int_equal(o.state, SIFT_CALL_ANSWERED);
	assert_int_equal(o.setup_ms, 40);
	assert_int_equal(o.answer_ts, T0 + 600040 * MS);
	sift_calls_free(cs);
}

/* One Call-ID, a REGISTER and then an INVITE (sipp's branch scenarios):
 * the call is the INVITE's: its kind, From, To, caller and outcome. */
static void test_register_then_invite(void **state)
{
	static const struct leg UA_REGISTRAR = { "10.0.0.4", 4, 2 };
	struct sift_calls *cs = new_calls();
	const struct sift_call *c;
	struct sift_call_outcome o;
	struct sift_addr caller = addr(1);

	(void)state;
	REQ(cs, .method = "REGISTER", .cseq = 1, .ftag = "r1",
	    .branch = "z9hG4bK-r1", .leg = &UA_REGISTRAR, .ms = 0,
	    .from = "sip:ua1@example.com", .to = "sip:ua1@example.com");
	RSP(cs, .method = "REGISTER", .status = 200, .cseq = 1, .ftag = "r1",
	    .ttag = "x", .branch = "z9hG4bK-r1", .leg = &UA_REGISTRAR, .ms = 1,
	    .from = "sip:ua1@example.com", .to = "sip:ua1@example.com");
	c = must_call(cs, CID);
	assert_string_equal(c->kind, "register");
	assert_string_equal(c->to, "sip:ua1@example.com");
	assert_int_equal(outcome(cs, CID, 10).state, SIFT_CALL_ANSWERED);

	REQ(cs, .method = "INVITE", .cseq = 2, .ftag = "f1",
	    .branch = "z9hG4bK-i1", .ms = 2, .sdp = true);
	RSP(cs, .method = "INVITE", .status = 180, .cseq = 2, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-i1", .ms = 3);
	RSP(cs, .method = "INVITE", .status = 403, .cseq = 2, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-i1", .ms = 7);
	/* A later REGISTER under the same Call-ID changes nothing. */
	REQ(cs, .method = "REGISTER", .cseq = 3, .ftag = "r1",
	    .branch = "z9hG4bK-r2", .leg = &UA_REGISTRAR, .ms = 9,
	    .from = "sip:ua1@example.com", .to = "sip:ua1@example.com");
	c = must_call(cs, CID);
	assert_int_equal(sift_calls_count(cs), 1);
	assert_string_equal(c->kind, "invite");
	assert_string_equal(c->from, "sip:alice@10.0.0.1");
	assert_string_equal(c->to, "sip:bob@10.0.0.3");
	assert_string_equal(c->caller_tag, "f1");
	assert_true(c->have_caller);
	assert_true(sift_addr_eq(&c->caller, &caller));
	o = outcome(cs, CID, 100);
	assert_int_equal(o.state, SIFT_CALL_REJECTED);
	assert_int_equal(o.final_status, 403);
	assert_int_equal(o.setup_ms, 5);
	assert_int_equal(o.start_ts, T0);
	sift_calls_free(cs);
}

/* An ACK or a CANCEL stands in for the INVITE until one shows; a method
 * other than INVITE does not displace the first one. */
static void test_kind_precedence(void **state)
{
	struct sift_calls *cs = new_calls();

	(void)state;
	REQ(cs, .cid = "a", .method = "ACK", .cseq = 1, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-a", .ms = 0);
	assert_string_equal(must_call(cs, "a")->kind, "ack");
	REQ(cs, .cid = "a", .method = "CANCEL", .cseq = 2, .ftag = "f1",
	    .branch = "z9hG4bK-c", .ms = 1);
	assert_string_equal(must_call(cs, "a")->kind, "ack");
	REQ(cs, .cid = "a", .method = "OPTIONS", .cseq = 3, .ftag = "f1",
	    .branch = "z9hG4bK-o", .ms = 2);
	assert_string_equal(must_call(cs, "a")->kind, "options");
	REQ(cs, .cid = "a", .method = "SUBSCRIBE", .cseq = 4, .ftag = "f1",
	    .branch = "z9hG4bK-s", .ms = 3);
	assert_string_equal(must_call(cs, "a")->kind, "options");
	RSP(cs, .cid = "a", .method = "INVITE", .status = 200, .cseq = 5,
	    .ftag = "f1", .ttag = "t2", .branch = "z9hG4bK-i", .ms = 4);
	assert_string_equal(must_call(cs, "a")->kind, "invite");
	sift_calls_free(cs);
}

/* A kind is a method token (RFC 3261 §25.1) that starts with a letter; a
 * message the parser rejected names one only with a registered method. */
static void test_kind_not_invented(void **state)
{
	struct sift_calls *cs = new_calls();
	struct sift_addr a = addr(1), b = addr(3);
	struct sift_where w = { 0, 1, T0 };
	static const char *const bad[] = {
		"%s", "SIP/x.0", "sIP/2.0", "INVITEKsip:9a23@voip", "?",
		"INV\x01ITE", "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ",
		"INV\xc3\x89TE", "IN VITE", "X-A(B)", "X/Y", "X:Y",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(sift_calls_add_damaged(cs, "d", bad[i], 0, &w,
							&a, &b, SIFT_TP_UDP),
				 SIFT_OK);
		assert_null(must_call(cs, "d")->kind);
		REQ(cs, .cid = "p", .method = bad[i], .cseq = 1, .ftag = "f1",
		    .branch = "z9hG4bK-p", .ms = 0);
		assert_null(must_call(cs, "p")->kind);
	}
	/* An extension method the parser accepted is a kind; the same word
	 * from a damaged start line is not. */
	assert_int_equal(sift_calls_add_damaged(cs, "d", "FOO", 0, &w, &a, &b,
						SIFT_TP_UDP), SIFT_OK);
	assert_null(must_call(cs, "d")->kind);
	REQ(cs, .cid = "p", .method = "FOO", .cseq = 2, .ftag = "f1",
	    .branch = "z9hG4bK-q", .ms = 1);
	assert_string_equal(must_call(cs, "p")->kind, "foo");
	assert_int_equal(sift_calls_add_damaged(cs, "d", "MESSAGE", 0, &w, &a,
						&b, SIFT_TP_UDP), SIFT_OK);
	assert_string_equal(must_call(cs, "d")->kind, "message");
	/* Every token character (RFC 3261 §25.1) past the first letter. */
	REQ(cs, .cid = "t", .method = "X-Ext.m!%*_+`'~9", .cseq = 1,
	    .ftag = "f1", .branch = "z9hG4bK-t", .ms = 2);
	assert_string_equal(must_call(cs, "t")->kind, "x-ext.m!%*_+`'~9");
	sift_calls_free(cs);
}

static void test_options_timer_f(void **state)
{
	struct sift_calls *cs = new_calls();
	struct sift_call_outcome o;

	(void)state;
	REQ(cs, .cid = "ping", .method = "OPTIONS", .cseq = 1, .ftag = "f1",
	    .branch = "z9hG4bK-1", .ms = 0);
	o = outcome(cs, "ping", 10000);
	assert_int_equal(o.state, SIFT_CALL_IN_PROGRESS);
	o = outcome(cs, "ping", 40000);
	assert_int_equal(o.state, SIFT_CALL_FAILED);
	assert_string_equal(o.reason, "no response within 64*T1 (Timer F)");
	assert_int_equal(o.setup_ms, -1);
	assert_string_equal(must_call(cs, "ping")->kind, "options");
	sift_calls_free(cs);
}

static void test_damaged(void **state)
{
	struct sift_calls *cs = new_calls();
	struct sift_addr a = addr(1), b = addr(3);
	struct sift_where w = { 0, 1, T0 };
	const struct sift_call *c;

	(void)state;
	/* A call first seen through a message the parser rejected. */
	assert_int_equal(sift_calls_add_damaged(cs, "dmg", "INVITE", 0, &w, &a,
						&b, SIFT_TP_TCP), SIFT_OK);
	c = must_call(cs, "dmg");
	assert_int_equal(c->nmsgs, 1);
	assert_true(c->msgs[0].damaged);
	assert_true(c->msgs[0].request);
	assert_string_equal(c->msgs[0].method, "INVITE");
	assert_int_equal(c->msgs[0].txn, UINT32_MAX);
	assert_int_equal(c->msgs[0].where.ts, T0);
	assert_int_equal(c->ntxns, 0);
	assert_null(c->from);
	/* Its start line still says what the call is. */
	assert_string_equal(c->kind, "invite");
	assert_int_equal(c->transports, 1u << SIFT_TP_TCP);
	assert_int_equal(outcome(cs, "dmg", 100000).state, SIFT_CALL_IN_PROGRESS);

	REQ(cs, .cid = "dmg", .method = "INVITE", .cseq = 1, .ftag = "f1",
	    .branch = "z9hG4bK-1", .ms = 500);
	w.frame = 2;
	w.ts = T0 + 600 * MS;
	assert_int_equal(sift_calls_add_damaged(cs, "dmg", NULL, 200, &w, &b,
						&a, SIFT_TP_UDP), SIFT_OK);
	c = must_call(cs, "dmg");
	assert_int_equal(c->nmsgs, 3);
	assert_string_equal(c->from, "sip:alice@10.0.0.1");
	assert_string_equal(c->to, "sip:bob@10.0.0.3");
	assert_string_equal(c->kind, "invite");
	assert_false(c->msgs[1].damaged);
	assert_int_equal(c->msgs[1].txn, 0);
	assert_true(c->msgs[2].damaged);
	assert_false(c->msgs[2].request);
	assert_int_equal(c->msgs[2].status, 200);
	assert_string_equal(c->msgs[2].method, "?");
	assert_int_equal(c->msgs[2].txn, UINT32_MAX);
	assert_int_equal(c->ntxns, 1);
	assert_int_equal(c->first_ts, T0);
	assert_int_equal(c->last_ts, T0 + 600 * MS);
	assert_int_equal(c->transports, (1u << SIFT_TP_TCP) | (1u << SIFT_TP_UDP));
	/* The damaged 200 is in no transaction: nothing was answered. */
	assert_int_equal(c->txns[0].final_status, 0);
	assert_int_equal(outcome(cs, "dmg", 1000).state, SIFT_CALL_IN_PROGRESS);
	sift_calls_free(cs);
}

static void test_state_strings(void **state)
{
	(void)state;
	assert_string_equal(sift_call_state_str(SIFT_CALL_IN_PROGRESS), "in-progress");
	assert_string_equal(sift_call_state_str(SIFT_CALL_ANSWERED), "answered");
	assert_string_equal(sift_call_state_str(SIFT_CALL_ENDED), "ended");
	assert_string_equal(sift_call_state_str(SIFT_CALL_CANCELLED), "cancelled");
	assert_string_equal(sift_call_state_str(SIFT_CALL_REJECTED), "rejected");
	assert_string_equal(sift_call_state_str(SIFT_CALL_FAILED), "failed");
	assert_string_equal(sift_call_state_str(SIFT_CALL_NO_ANSWER), "no-answer");
	assert_string_equal(sift_call_state_str(SIFT_CALL_NO_ACK), "no-ack");
	assert_string_equal(sift_call_state_str((enum sift_call_state)99), "unknown");
	assert_string_equal(sift_dialog_state_str(SIFT_DIALOG_EARLY), "early");
	assert_string_equal(sift_dialog_state_str(SIFT_DIALOG_CONFIRMED), "confirmed");
	assert_string_equal(sift_dialog_state_str(SIFT_DIALOG_TERMINATED), "terminated");
	sift_calls_free(NULL);
}

/* A BYE sent on the early dialog (§15) crosses the callee's 200; the
 * caller ACKs and hangs up again. The call ended with the second BYE. */
static void test_early_bye_then_answer(void **state)
{
	struct sift_calls *cs = new_calls();
	const struct sift_call *c;
	struct sift_call_outcome o;

	(void)state;
	REQ(cs, .method = "INVITE", .cseq = 1, .ftag = "f1", .branch = "z9hG4bK-1",
	    .ms = 0);
	RSP(cs, .method = "INVITE", .status = 180, .cseq = 1, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-1", .ms = 100);
	bye(cs, CID, true, "z9hG4bK-b1", 3000);
	RSP(cs, .method = "INVITE", .status = 200, .cseq = 1, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-1", .ms = 3030);
	REQ(cs, .method = "ACK", .cseq = 1, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-a", .ms = 3040);
	o = outcome(cs, CID, 3045);
	assert_true(o.duration_ms == -1 || o.duration_ms >= 0);
	assert_true(o.end_ts == 0 || o.end_ts >= o.answer_ts);

	REQ(cs, .method = "BYE", .cseq = 3, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-b2", .ms = 3050);
	c = must_call(cs, CID);
	assert_int_equal(c->dialogs[0].confirmed, T0 + 3030 * MS);
	o = outcome(cs, CID, 4000);
	assert_int_equal(o.state, SIFT_CALL_ENDED);
	assert_int_equal(o.answer_ts, T0 + 3030 * MS);
	assert_int_equal(o.end_ts, T0 + 3050 * MS);
	assert_int_equal(o.duration_ms, 20);
	sift_calls_free(cs);
}

/* An RFC 2543 peer sends no From tag: no dialog can be keyed, and that is
 * not something a cap dropped. */
static void test_no_from_tag_not_dropped(void **state)
{
	struct sift_calls *cs = new_calls();
	const struct sift_call *c;

	(void)state;
	REQ(cs, .method = "INVITE", .cseq = 1, .branch = "z9hG4bK-1", .ms = 0);
	RSP(cs, .method = "INVITE", .status = 180, .cseq = 1, .ttag = "t1",
	    .branch = "z9hG4bK-1", .ms = 100);
	RSP(cs, .method = "INVITE", .status = 200, .cseq = 1, .ttag = "t1",
	    .branch = "z9hG4bK-1", .ms = 1000);
	c = must_call(cs, CID);
	assert_int_equal(c->ndialogs, 0);
	assert_int_equal(c->dropped, 0);
	assert_null(c->caller_tag);
	assert_int_equal(outcome(cs, CID, 2000).final_status, 200);
	sift_calls_free(cs);
}

/* ---- hostile input ------------------------------------------------------ */

static void test_hostile_responses_only(void **state)
{
	static const struct {
		const char *method;
		int status;
		const char *ttag;
		const char *branch;
	} rs[] = {
		{ "INVITE", 180, "a", "z9hG4bK-1" },
		{ "INVITE", 200, "a", "z9hG4bK-1" },
		{ "INVITE", 487, "b", "z9hG4bK-2" },
		{ "INVITE", 100, NULL, NULL },
		{ "BYE", 200, "a", "z9hG4bK-3" },
		{ "ACK", 200, NULL, "z9hG4bK-4" },
		{ "CANCEL", 200, "a", "z9hG4bK-1" },
		{ "SUBSCRIBE", 202, "s", "xyz" },
		{ "PRACK", 200, "a", "" },
	};
	struct sift_calls *cs = new_calls();
	const struct sift_call *c;
	struct sift_call_outcome o;

	(void)state;
	for (int round = 0; round < 3; round++)
		for (size_t i = 0; i < sizeof(rs) / sizeof(rs[0]); i++)
			RSP(cs, .method = rs[i].method, .status = rs[i].status,
			    .cseq = 1, .ftag = "f1", .ttag = rs[i].ttag,
			    .branch = rs[i].branch, .ms = round * 100 + (int64_t)i);
	c = must_call(cs, CID);
	assert_int_equal(sift_calls_count(cs), 1);
	assert_int_equal(c->nmsgs, 27);
	/* 180 and 200 share their transaction; CANCEL is its own method. */
	assert_int_equal(c->ntxns, 8);
	assert_int_equal(c->dropped, 0);
	/* The first response names its request's method. */
	assert_string_equal(c->kind, "invite");
	for (size_t i = 0; i < c->ntxns; i++)
		assert_false(c->txns[i].has_request);
	/* Dialogs from the 180/200 (a) and the 202 (s). */
	assert_int_equal(c->ndialogs, 2);
	/* Judged by the first INVITE transaction, answered 200, never
	 * acknowledged nor ended as far as the capture shows; with no
	 * request there is no setup time. */
	o = outcome(cs, CID, 7200000);
	assert_true(o.state == SIFT_CALL_ANSWERED || o.state == SIFT_CALL_NO_ACK);
	assert_int_equal(o.final_status, 200);
	assert_int_equal(o.setup_ms, -1);
	sift_calls_free(cs);
}

static void test_hostile_forks_capped(void **state)
{
	struct sift_calls *cs = new_calls();
	const struct sift_call *c;
	char tag[32];

	(void)state;
	REQ(cs, .method = "INVITE", .cseq = 1, .ftag = "f1", .branch = "z9hG4bK-1",
	    .ms = 0);
	for (int i = 0; i < 1000; i++) {
		snprintf(tag, sizeof(tag), "fork-%d", i);
		RSP(cs, .method = "INVITE", .status = 180, .cseq = 1, .ftag = "f1",
		    .ttag = tag, .branch = "z9hG4bK-1", .ms = 10 + i);
	}
	c = must_call(cs, CID);
	assert_int_equal(c->nmsgs, 1001);
	assert_int_equal(c->ndialogs, SIFT_CALL_DIALOGS_MAX);
	assert_int_equal(c->dropped, 1000 - SIFT_CALL_DIALOGS_MAX);
	assert_int_equal(sift_calls_dialogs(cs), SIFT_CALL_DIALOGS_MAX);
	for (size_t i = 0; i < c->ndialogs; i++) {
		snprintf(tag, sizeof(tag), "fork-%zu", i);
		assert_string_equal(c->dialogs[i].to_tag, tag);
		assert_int_equal(c->dialogs[i].state, SIFT_DIALOG_EARLY);
	}
	/* A fork that has its dialog answers; one past the cap also does,
	 * after it: the first 2xx decides. */
	RSP(cs, .method = "INVITE", .status = 200, .cseq = 1, .ftag = "f1",
	    .ttag = "fork-7", .branch = "z9hG4bK-1", .ms = 2000);
	RSP(cs, .method = "INVITE", .status = 200, .cseq = 1, .ftag = "f1",
	    .ttag = "fork-999", .branch = "z9hG4bK-1", .ms = 2001);
	c = must_call(cs, CID);
	assert_int_equal(c->ndialogs, SIFT_CALL_DIALOGS_MAX);
	assert_int_equal(c->dropped, 1001 - SIFT_CALL_DIALOGS_MAX);
	assert_int_equal(c->dialogs[7].state, SIFT_DIALOG_CONFIRMED);
	assert_int_equal(c->txns[0].final_status, 200);
	assert_string_equal(c->txns[0].final_to_tag, "fork-7");
	assert_int_equal(outcome(cs, CID, 3000).answer_ts, T0 + 2000 * MS);
	sift_calls_free(cs);
}

static void test_hostile_cseq_jumps(void **state)
{
	struct sift_calls *cs = new_calls();
	const struct sift_msg_rec *r;
	const struct sift_call *c;
	struct sift_call_outcome o;

	(void)state;
	REQ(cs, .method = "INVITE", .cseq = 0, .ftag = "f1", .branch = "z9hG4bK-1",
	    .ms = 0);
	/* A response whose CSeq number is not its request's still matches by
	 * branch (§17.1.3 does not look at the number). */
	r = RSP(cs, .method = "INVITE", .status = 200, .cseq = 2147483647,
		.ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-1", .ms = 100);
	assert_int_equal(r->txn, 0);
	assert_int_equal(r->cseq, 2147483647);
	REQ(cs, .method = "ACK", .cseq = 0, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-2", .ms = 110);
	r = REQ(cs, .method = "BYE", .cseq = 2147483647, .ftag = "f1",
		.ttag = "t1", .branch = "z9hG4bK-3", .ms = 5000);
	assert_int_equal(r->cseq, 2147483647);
	/* Going back down, and RFC 2543 keys made of the extremes. */
	REQ(cs, .method = "BYE", .cseq = 3, .ftag = "f1", .ttag = "t1",
	    .branch = "z9hG4bK-4", .ms = 5001);
	r = REQ(cs, .method = "INFO", .cseq = 2147483647, .ftag = "f1",
		.ttag = "t1", .branch = "old", .ms = 5002);
	assert_int_equal(r->txn, 4);
	r = REQ(cs, .method = "INFO", .cseq = 0, .ftag = "f1", .ttag = "t1",
		.branch = "old", .ms = 5003);
	assert_int_equal(r->txn, 5);
	assert_false(r->retransmission);
	r = REQ(cs, .method = "INFO", .cseq = 2147483647, .ftag = "f1",
		.ttag = "t1", .branch = "old", .ms = 5004);
	assert_int_equal(r->txn, 4);
	assert_true(r->retransmission);
	c = must_call(cs, CID);
	assert_int_equal(c->ntxns, 6);
	assert_int_equal(c->txns[0].cseq, 0);
	assert_int_equal(c->txns[2].cseq, 2147483647);
	assert_int_equal(c->txns[3].cseq, 3);
	o = outcome(cs, CID, 6000);
	assert_int_equal(o.state, SIFT_CALL_ENDED);
	assert_int_equal(o.end_ts, T0 + 5000 * MS);
	assert_int_equal(o.duration_ms, 4900);
	sift_calls_free(cs);
}

static void test_hostile_msgs_capped(void **state)
{
	struct sift_calls *cs = new_calls();
	const struct sift_call *c;
	size_t extra = 501;

	(void)state;
	for (size_t i = 0; i < SIFT_CALL_MSGS_MAX; i++)
		assert_int_equal(REQ_RC(cs, .cid = "flood", .method = "OPTIONS",
					.cseq = 1, .ftag = "f1",
					.branch = "z9hG4bK-1", .ms = (int64_t)i),
				 SIFT_OK);
	for (size_t i = 0; i < extra; i++)
		assert_int_equal(RSP_RC(cs, .cid = "flood", .method = "OPTIONS",
					.status = 200, .cseq = 1, .ftag = "f1",
					.ttag = "t1", .branch = "z9hG4bK-1",
					.ms = 20000 + (int64_t)i),
				 SIFT_ELIMIT);
	c = must_call(cs, "flood");
	assert_int_equal(c->nmsgs, SIFT_CALL_MSGS_MAX);
	assert_true(c->cap <= SIFT_CALL_MSGS_MAX);
	assert_int_equal(c->dropped, extra);
	assert_int_equal(sift_calls_dropped(cs), extra);
	assert_int_equal(sift_calls_caps(cs)->msgs, extra);
	assert_int_equal(c->ntxns, 1);
	assert_false(c->msgs[0].retransmission);
	assert_true(c->msgs[SIFT_CALL_MSGS_MAX - 1].retransmission);
	/* The dropped 200s were not seen by the transaction either. */
	assert_int_equal(c->txns[0].final_status, 0);
	/* Other calls are not affected. */
	REQ(cs, .cid = "other", .method = "OPTIONS", .cseq = 1, .ftag = "f1",
	    .branch = "z9hG4bK-1", .ms = 30000);
	assert_int_equal(sift_calls_count(cs), 2);
	sift_calls_free(cs);
}

static void test_hostile_txns_capped(void **state)
{
	struct sift_calls *cs = new_calls();
	const struct sift_call *c;
	char branch[32];
	size_t n = SIFT_CALL_TXNS_MAX + 76;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		snprintf(branch, sizeof(branch), "z9hG4bK-%zu", i);
		REQ(cs, .method = "OPTIONS", .cseq = (uint32_t)i + 1, .ftag = "f1",
		    .branch = branch, .ms = (int64_t)i);
	}
	c = must_call(cs, CID);
	assert_int_equal(c->nmsgs, n);
	assert_int_equal(c->ntxns, SIFT_CALL_TXNS_MAX);
	assert_true(c->txn_cap <= SIFT_CALL_TXNS_MAX);
	assert_int_equal(c->dropped, 76);
	/* Every message is listed: none is a dropped message (issue #18:
	 * dropped_messages counted these), they are untracked. */
	assert_int_equal(sift_calls_dropped(cs), 0);
	assert_int_equal(sift_calls_caps(cs)->untracked, 76);
	assert_int_equal(sift_calls_caps(cs)->no_call, 0);
	for (size_t i = 0; i < SIFT_CALL_TXNS_MAX; i++)
		assert_int_equal(c->msgs[i].txn, i);
	/* Past the cap a message is kept, in no transaction of its own. */
	for (size_t i = SIFT_CALL_TXNS_MAX; i < c->nmsgs; i++) {
		assert_false(c->msgs[i].damaged);
		assert_true(c->msgs[i].txn == UINT32_MAX ||
			    c->msgs[i].txn < c->ntxns);
	}
	sift_calls_free(cs);
}

struct sink_log {
	size_t n;
	sift_time now;
	uint8_t *seen;            /* by call index, when not NULL */
	size_t seen_len;
	size_t answered;
	size_t bad;               /* calls handed over twice, or not finished */
	enum sift_call_state last_state;
	char last_cid[64];
};

static void sink(void *ctx, const struct sift_call *c)
{
	struct sink_log *l = ctx;
	struct sift_call_outcome o;

	l->n++;
	if (!c->finished)
		l->bad++;
	if (l->seen) {
		if (c->index >= l->seen_len || l->seen[c->index])
			l->bad++;
		else
			l->seen[c->index] = 1;
	}
	sift_call_outcome(c, l->now, &o);
	l->last_state = o.state;
	if (o.state == SIFT_CALL_ANSWERED)
		l->answered++;
	snprintf(l->last_cid, sizeof(l->last_cid), "%s", c->call_id);
}

/* What later stages hang off a call goes with it, in part order, once:
 * after the sink saw the call, or when the registry is freed. */
struct part_log {
	char order[16];
	unsigned n;
	size_t sunk;
};

static void part_release(void *owner, struct sift_call *c)
{
	struct part_log *l = owner;
	int k = c->part[SIFT_PART_DTMF] ? SIFT_PART_DTMF :
		c->part[SIFT_PART_MEDIA] ? SIFT_PART_MEDIA : SIFT_PART_AUDIO;

	assert_non_null(c->part[k]);
	if (l->n < sizeof(l->order) - 1)
		l->order[l->n++] = (char)('0' + k);
	c->part[k] = NULL;
}

static void part_sink(void *ctx, const struct sift_call *c)
{
	struct part_log *l = ctx;

	/* Still all there while the sink looks. */
	assert_non_null(c->part[SIFT_PART_MEDIA]);
	l->sunk++;
}

static void test_parts_released_with_call(void **state)
{
	static int dtmf, media, audio;
	struct sift_calls *cs = new_calls();
	struct part_log log;
	struct sift_call *c;

	(void)state;
	memset(&log, 0, sizeof(log));
	for (int k = 0; k < SIFT_CALL_PARTS; k++)
		sift_calls_set_part(cs, (enum sift_call_part)k, part_release, &log);
	sift_calls_set_sink(cs, part_sink, &log);
	answered_call(cs, "p1", 0);
	bye(cs, "p1", true, "z9hG4bK-bye", 2000);
	answered_call(cs, "p2", 0);
	c = sift_calls_lookup(cs, "p1");
	assert_non_null(c);
	assert_ptr_equal(c, sift_calls_find(cs, "p1"));
	assert_null(sift_calls_lookup(cs, "nope"));
	c->part[SIFT_PART_AUDIO] = &audio;
	c->part[SIFT_PART_MEDIA] = &media;
	c->part[SIFT_PART_DTMF] = &dtmf;
	c = sift_calls_lookup(cs, "p2");
	c->part[SIFT_PART_MEDIA] = &media;
	/* p1 ended and lingered: it goes, with its three parts in order. */
	sift_calls_expire(cs, T0 + 40000 * MS);
	assert_int_equal(log.sunk, 1);
	assert_string_equal(log.order, "012");
	/* p2 is still open when the registry goes: its part goes too. */
	sift_calls_set_sink(cs, NULL, NULL);
	sift_calls_free(cs);
	assert_string_equal(log.order, "0121");
}

static void test_hostile_many_calls_sink(void **state)
{
	enum { NCALLS = 200000, PER_SECOND = 10 };
	struct sift_calls *cs = new_calls();
	struct sink_log log;
	size_t max_open = 0;
	char cid[32];

	(void)state;
	memset(&log, 0, sizeof(log));
	log.seen_len = NCALLS + 1;
	log.seen = calloc(log.seen_len, 1);
	assert_non_null(log.seen);
	sift_calls_set_sink(cs, sink, &log);
	for (int i = 0; i < NCALLS; i++) {
		int64_t at = (int64_t)i * 1000 / PER_SECOND;

		if (i % PER_SECOND == 0) {
			log.now = T0 + at * MS;
			sift_calls_expire(cs, log.now);
		}
		snprintf(cid, sizeof(cid), "opt-%d", i);
		assert_int_equal(REQ_RC(cs, .cid = cid, .method = "OPTIONS",
					.cseq = 1, .ftag = "f1",
					.branch = "z9hG4bK-1", .ms = at),
				 SIFT_OK);
		assert_int_equal(RSP_RC(cs, .cid = cid, .method = "OPTIONS",
					.status = 200, .cseq = 1, .ftag = "f1",
					.ttag = "t1", .branch = "z9hG4bK-1",
					.ms = at + 10),
				 SIFT_OK);
		if (sift_calls_count(cs) > max_open)
			max_open = sift_calls_count(cs);
	}
	/* About LINGER seconds of calls are open at any time. */
	assert_true(max_open < 2000);
	assert_true(max_open > 32 * PER_SECOND);
	assert_true(log.n > NCALLS - 2000);
	assert_int_equal(log.bad, 0);
	assert_int_equal(log.answered, log.n);
	log.now += 60 * SIFT_USEC;
	sift_calls_flush(cs, log.now);
	assert_int_equal(sift_calls_count(cs), 0);
	assert_int_equal(log.n, NCALLS);
	assert_int_equal(log.bad, 0);
	for (size_t i = 1; i <= NCALLS; i++)
		assert_int_equal(log.seen[i], 1);
	assert_int_equal(sift_calls_total(cs), NCALLS);
	assert_int_equal(sift_calls_dropped(cs), 0);
	/* A Call-ID that comes back after its call was finished is a new one. */
	REQ(cs, .cid = "opt-0", .method = "OPTIONS", .cseq = 2, .ftag = "f1",
	    .branch = "z9hG4bK-2", .ms = 30000000);
	assert_int_equal(sift_calls_count(cs), 1);
	assert_int_equal(must_call(cs, "opt-0")->index, NCALLS + 1);
	sift_calls_free(cs);
	free(log.seen);
}

static void test_no_sink_nothing_freed(void **state)
{
	enum { NCALLS = 3000 };
	struct sift_calls *cs = new_calls();
	char cid[32];

	(void)state;
	for (int i = 0; i < NCALLS; i++) {
		int64_t at = (int64_t)i * 100;

		sift_calls_expire(cs, T0 + at * MS);
		snprintf(cid, sizeof(cid), "opt-%d", i);
		REQ(cs, .cid = cid, .method = "OPTIONS", .cseq = 1, .ftag = "f1",
		    .branch = "z9hG4bK-1", .ms = at);
		RSP(cs, .cid = cid, .method = "OPTIONS", .status = 200, .cseq = 1,
		    .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-1", .ms = at + 10);
	}
	sift_calls_expire(cs, T0 + 10000000 * MS);
	sift_calls_flush(cs, T0 + 10000000 * MS);
	assert_int_equal(sift_calls_count(cs), NCALLS);
	assert_int_equal(sift_calls_total(cs), NCALLS);
	for (size_t i = 0; i < NCALLS; i++) {
		const struct sift_call *c = sift_calls_get(cs, i);

		assert_non_null(c);
		assert_false(c->finished);
		/* In order of first appearance. */
		assert_int_equal(c->index, i + 1);
		snprintf(cid, sizeof(cid), "opt-%zu", i);
		assert_string_equal(c->call_id, cid);
	}
	assert_null(sift_calls_get(cs, NCALLS));
	sift_calls_free(cs);
}

/* ---- the sink and expiry ------------------------------------------------ */

static void test_sink_linger(void **state)
{
	struct sift_calls *cs = new_calls();
	struct sink_log log;
	const int64_t linger_ms = SIFT_CALL_LINGER / MS;

	(void)state;
	memset(&log, 0, sizeof(log));
	sift_calls_set_sink(cs, sink, &log);
	REQ(cs, .cid = "rej", .method = "INVITE", .cseq = 1, .ftag = "f1",
	    .branch = "z9hG4bK-1", .ms = 0);
	RSP(cs, .cid = "rej", .method = "INVITE", .status = 180, .cseq = 1,
	    .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-1", .ms = 50);
	RSP(cs, .cid = "rej", .method = "INVITE", .status = 486, .cseq = 1,
	    .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-1", .ms = 100);
	REQ(cs, .cid = "rej", .method = "ACK", .cseq = 1, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-1", .ms = 110);
	/* Decided, but retransmissions may still come. */
	log.now = T0 + (110 + linger_ms - 1) * MS;
	sift_calls_expire(cs, log.now);
	assert_int_equal(log.n, 0);
	assert_int_equal(sift_calls_count(cs), 1);
	/* The 486 again (the ACK was lost): the quiet starts over. */
	RSP(cs, .cid = "rej", .method = "INVITE", .status = 486, .cseq = 1,
	    .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-1", .ms = 600);
	REQ(cs, .cid = "rej", .method = "ACK", .cseq = 1, .ftag = "f1",
	    .ttag = "t1", .branch = "z9hG4bK-1", .ms = 610);
	log.now = T0 + (110 + linger_ms) * MS;
	sift_calls_expire(cs, log.now);
	assert_int_equal(log.n, 0);
	log.now = T0 + (610 + linger_ms) * MS;
	sift_calls_expire(cs, log.now);
	assert_int_equal(log.n, 1);
	assert_int_equal(log.bad, 0);
	assert_int_equal(log.last_state, SIFT_CALL_REJECTED);
	assert_string_equal(log.last_cid, "rej");
	assert_int_equal(sift_calls_count(cs), 0);
	assert_int_equal(sift_calls_total(cs), 1);
	/* Its dialog is still counted once freed. */
	assert_int_equal(sift_calls_dialogs(cs), 1);
	sift_calls_expire(cs, log.now + SIFT_CALL_IDLE);
	assert_int_equal(log.n, 1);

	/* An ended call goes after the linger too. */
	answered_call(cs, "ended", 100000);
	bye(cs, "ended", false, "z9hG4bK-b", 120000);
	log.now = T0 + (120020 + linger_ms - 1) * MS;
	sift_calls_expire(cs, log.now);
	assert_int_equal(log.n, 1);
	log.now = T0 + (120020 + linger_ms) * MS;
	sift_calls_expire(cs, log.now);
	assert_int_equal(log.n, 2);
	assert_int_equal(log.last_state, SIFT_CALL_ENDED);
	sift_calls_free(cs);
}

static void test_sink_idle(void **state)
{
	struct sift_calls *cs = new_calls();
	struct sink_log log;
	const int64_t idle_ms = SIFT_CALL_IDLE / MS;

	(void)state;
	memset(&log, 0, sizeof(log));
	sift_calls_set_sink(cs, sink, &log);
	/* Answered, no BYE: the call may last for hours. */
	answered_call(cs, "up", 0);
	/* Ringing past Timer B: an answer may still come. */
	REQ(cs, .cid = "ring", .method = "INVITE", .cseq = 1, .ftag = "f1",
	    .branch = "z9hG4bK-1", .ms = 0);
	RSP(cs, .cid = "ring", .method = "INVITE", .status = 180, .cseq = 1,
	    .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-1", .ms = 1010);
	log.now = T0 + 40000 * MS;
	assert_int_equal(outcome(cs, "ring", 40000).state, SIFT_CALL_NO_ANSWER);
	for (int64_t t = 2000; t < 1010 + idle_ms; t += 60000) {
		log.now = T0 + t * MS;
		sift_calls_expire(cs, log.now);
	}
	log.now = T0 + (1010 + idle_ms - 1) * MS;
	sift_calls_expire(cs, log.now);
	assert_int_equal(log.n, 0);
	assert_int_equal(sift_calls_count(cs), 2);
	log.now = T0 + (1010 + idle_ms) * MS;
	sift_calls_expire(cs, log.now);
	assert_int_equal(log.n, 2);
	assert_int_equal(log.bad, 0);
	assert_int_equal(sift_calls_count(cs), 0);
	sift_calls_free(cs);
}

static void test_flush(void **state)
{
	struct sift_calls *cs = new_calls();
	struct sink_log log;

	(void)state;
	memset(&log, 0, sizeof(log));
	log.seen_len = 8;
	log.seen = calloc(log.seen_len, 1);
	assert_non_null(log.seen);
	sift_calls_set_sink(cs, sink, &log);
	answered_call(cs, "up", 0);
	REQ(cs, .cid = "ring", .method = "INVITE", .cseq = 1, .ftag = "f1",
	    .branch = "z9hG4bK-1", .ms = 10);
	RSP(cs, .cid = "ring", .method = "INVITE", .status = 180, .cseq = 1,
	    .ftag = "f1", .ttag = "t1", .branch = "z9hG4bK-1", .ms = 20);
	REQ(cs, .cid = "ping", .method = "OPTIONS", .cseq = 1, .ftag = "f1",
	    .branch = "z9hG4bK-1", .ms = 30);
	log.now = T0 + 2000 * MS;
	sift_calls_expire(cs, log.now);
	assert_int_equal(log.n, 0);
	sift_calls_flush(cs, log.now);
	assert_int_equal(log.n, 3);
	assert_int_equal(log.bad, 0);
	assert_int_equal(log.seen[1] + log.seen[2] + log.seen[3], 3);
	assert_int_equal(sift_calls_count(cs), 0);
	assert_int_equal(sift_calls_total(cs), 3);
	assert_int_equal(sift_calls_dialogs(cs), 2);
	sift_calls_flush(cs, log.now);
	sift_calls_expire(cs, log.now + SIFT_CALL_IDLE);
	assert_int_equal(log.n, 3);
	sift_calls_free(cs);
	free(log.seen);
}

/* The man page (CALLS): "The same request or response seen again in its
 * transaction is marked as a retransmission", provisional ones included
 * (they were not, once). */
static void test_known_provisional_retransmission(void **state)
{
	struct sift_calls *cs = new_calls();
	const struct sift_msg_rec *r;

	(void)state;
	REQ(cs, .method = "INVITE", .cseq = 1, .ftag = "f1", .branch = "z9hG4bK-1",
	    .ms = 0);
	r = RSP(cs, .method = "INVITE", .status = 183, .cseq = 1, .ftag = "f1",
		.ttag = "t1", .branch = "z9hG4bK-1", .ms = 100);
	assert_false(r->retransmission);
	r = RSP(cs, .method = "INVITE", .status = 183, .cseq = 1, .ftag = "f1",
		.ttag = "t1", .branch = "z9hG4bK-1", .ms = 600);
	assert_true(r->retransmission);
	sift_calls_free(cs);
}

/* Two forks answer; the second fork's 200, retransmitted because nobody
 * ACKs it, is not marked: only the first final's To tag is compared. */
static void test_known_second_fork_2xx_retransmission(void **state)
{
	struct sift_calls *cs = new_calls();
	const struct sift_msg_rec *r;

	(void)state;
	REQ(cs, .method = "INVITE", .cseq = 1, .ftag = "f1", .branch = "z9hG4bK-1",
	    .ms = 0);
	RSP(cs, .method = "INVITE", .status = 200, .cseq = 1, .ftag = "f1",
	    .ttag = "a", .branch = "z9hG4bK-1", .ms = 100);
	r = RSP(cs, .method = "INVITE", .status = 200, .cseq = 1, .ftag = "f1",
		.ttag = "b", .branch = "z9hG4bK-1", .ms = 110);
	assert_false(r->retransmission);
	r = RSP(cs, .method = "INVITE", .status = 200, .cseq = 1, .ftag = "f1",
		.ttag = "b", .branch = "z9hG4bK-1", .ms = 610);
	assert_true(r->retransmission);
	sift_calls_free(cs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic_call_bye_caller),
		cmocka_unit_test(test_basic_call_bye_callee),
		cmocka_unit_test(test_retransmissions),
		cmocka_unit_test(test_long_transaction_keys),
		cmocka_unit_test(test_ack_non2xx_joins_invite),
		cmocka_unit_test(test_cancel_487),
		cmocka_unit_test(test_final_status_outcomes),
		cmocka_unit_test(test_ringing_no_answer),
		cmocka_unit_test(test_invite_timer_b),
		cmocka_unit_test(test_no_ack),
		cmocka_unit_test(test_challenge_then_answer),
		cmocka_unit_test(test_proxy_legs_one_call),
		cmocka_unit_test(test_proxy_legs_outcome_from_caller),
		cmocka_unit_test(test_forking),
		cmocka_unit_test(test_fork_reject_before_answer),
		cmocka_unit_test(test_reinvite_keeps_outcome),
		cmocka_unit_test(test_rfc2543_branches),
		cmocka_unit_test(test_response_without_request),
		cmocka_unit_test(test_no_answer_reason_without_request),
		cmocka_unit_test(test_register_challenge),
		cmocka_unit_test(test_options_timer_f),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_state_strings),
		cmocka_unit_test(test_early_bye_then_answer),
		cmocka_unit_test(test_no_from_tag_not_dropped),
		cmocka_unit_test(test_hostile_responses_only),
		cmocka_unit_test(test_hostile_forks_capped),
		cmocka_unit_test(test_hostile_cseq_jumps),
		cmocka_unit_test(test_hostile_msgs_capped),
		cmocka_unit_test(test_hostile_txns_capped),
		cmocka_unit_test(test_hostile_many_calls_sink),
		cmocka_unit_test(test_parts_released_with_call),
		cmocka_unit_test(test_no_sink_nothing_freed),
		cmocka_unit_test(test_sink_linger),
		cmocka_unit_test(test_sink_idle),
		cmocka_unit_test(test_flush),
		cmocka_unit_test(test_known_provisional_retransmission),
		cmocka_unit_test(test_known_second_fork_2xx_retransmission),
		cmocka_unit_test(test_register_then_invite),
		cmocka_unit_test(test_kind_precedence),
		cmocka_unit_test(test_kind_not_invented),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
