/* libFuzzer target for transactions, dialogs and calls (src/call.c) and
 * the lint rules across a call (src/lint_*.c): the input is decoded into
 * synthetic parsed SIP messages (struct sift_sip_msg, as src/sip_msg.c
 * hands them over: Call-ID, From, To, methods and the top Via host never
 * NULL, tags and branch may be), fed through sift_calls_add and
 * sift_calls_add_damaged; every call checked is also linted.
 *
 * Input: one header byte, then 5-byte records:
 *   header  bit 0: time may step backwards (the time invariants are then
 *                  not checked); bit 1: capture time starts at 0 instead
 *                  of 2023 (0 is also "unknown" in the model); bits 2-4
 *                  all set: bursts allowed, of BURST_BUDGET messages in
 *                  all (enough to pass the dialog cap)
 *   rec[0]  bit 0 request; bits 1-4 method (mod 10); bits 5-6 Call-ID;
 *           bit 7 add it as a damaged message instead
 *   rec[1]  bits 0-3 status (mod 13); bits 4-5 From tag; bits 6-7 and
 *           rec[2] bit 0: To tag
 *   rec[2]  bits 1-3 branch; bits 4-5 Via sent-by; bits 6-7 addresses
 *           and transport
 *   rec[3]  bits 0-2 CSeq; bits 3-5 time step before the message; bit 6
 *           sift_calls_expire after it; bit 7 step backwards (header
 *           bit 0 only)
 *   rec[4]  bit 7 (with bursts allowed): a burst, the message n * 20
 *           times (n = rec[4] & 0x3f), each with its own To tag (bit 6
 *           clear: forks) or branch (bit 6 set: transactions), until
 *           the budget is spent. With full lists every message costs a
 *           linear search, so bursts are kept few and short, and the
 *           transaction and message caps (1024, 10000) are left to
 *           tests/unit/test_call.c.
 *
 * The sequence runs twice: with a sink (sift_calls_expire after steps of
 * a second or more and where asked, sift_calls_flush at the end), and
 * without one (expire and flush free nothing; sift_call_outcome on every
 * call at the end). Invariants (abort() on violation): every list within
 * its cap; every message's transaction index below ntxns or UINT32_MAX
 * (in none: always for damaged ones, also past the transaction cap);
 * dialog states within their enum; the outcome's state within its enum
 * and its reason a terminated string; when time only moves forward,
 * setup_ms and duration_ms -1 or >= 0 and a call never ends before it is
 * answered; the sink gets each call once, finished, and nothing stays
 * open after flush; without a sink nothing is freed.
 *
 * Each of the two runs is made twice, the second with quiet calls put at
 * rest (sift_calls_rest: written to a temporary file, read back for the
 * checks, woken by their next message): both must give the same calls,
 * field for field, finished by the sink at the same times (a digest of
 * every field of every call is compared).
 *
 * Seeds in fuzz/corpus/fuzz_calls/ are written by hand in this format
 * (a basic call, CANCEL, a challenge, forks, REGISTER, bursts, damaged
 * messages, RFC 2543 branches); early-bye-crosses-200 and
 * response-before-request, and found-response-first-setup-negative (the
 * fuzzer's own find, minimised), abort on src/call.c before the fix for
 * negative setup and duration times; gen-* are the fuzzer's inputs that
 * add the most branch coverage of src/call.c to the seeds. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sipsift/call.h"
#include "sipsift/finding.h"
#include "lint/lint.h"

#define REC 5
#define BURST_UNIT 20
#define BURST_BUDGET (SIFT_CALL_DIALOGS_MAX + 44)

static const char *const methods[] = {
	"INVITE", "ACK", "BYE", "CANCEL", "REGISTER",
	"OPTIONS", "SUBSCRIBE", "NOTIFY", "PRACK", "UPDATE",
};
static const int statuses[] = {
	100, 180, 183, 200, 202, 401, 407, 408, 486, 487, 500, 503, 603,
};
static const char *const reasons[] = {
	"Trying", "Ringing", "Session Progress", "OK", "Accepted",
	"Unauthorized", "Proxy Authentication Required", "Request Timeout",
	"Busy Here", "Request Terminated", "", "Service Unavailable", "Decline",
};
static const char *const call_ids[] = {
	"a@10.0.0.1", "b@10.0.0.1", "c", "a@10.0.0.2",
};
static const char *const from_tags[] = { NULL, "f1", "f2", "t1" };
static const char *const to_tags[] = {
	NULL, "t1", "t2", "t3", "f1", "f2", "", "t1",
};
static const char *const branches[] = {
	NULL, "z9hG4bK-1", "z9hG4bK-2", "z9hG4bK-3",
	"z9hG4bK", "1", "old-2", "",
};
static const struct {
	const char *host;
	uint16_t port;
} vias[] = {
	{ "10.0.0.1", 5060 }, { "10.0.0.1", 0 }, { "10.0.0.2", 5060 },
	{ "proxy.example.com", 5070 },
};
static const uint32_t cseqs[] = {
	0, 1, 2, 3, 101, 2147483646u, 2147483647u, 7,
};
static const sift_time steps[] = {
	0, 1000, 100000, SIFT_USEC, 5 * SIFT_USEC, 31900000,
	SIFT_TIMER_B, SIFT_CALL_IDLE + SIFT_USEC,
};

struct fz {
	bool monotonic;
	bool with_sink;
	bool rest;
	uint64_t digest;     /* of every call checked, in order */
	size_t sunk;
	uint8_t *seen;       /* by call index: handed to the sink */
	size_t seen_len;
	sift_time now;
};

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

static uint64_t mix_str(uint64_t h, const char *s)
{
	return s ? mix(h, s, strlen(s) + 1) : mix(h, "\xff", 1);
}

static uint64_t mix_u64(uint64_t h, uint64_t v)
{
	return mix(h, &v, sizeof(v));
}

static uint64_t mix_addr(uint64_t h, const struct sift_addr *a)
{
	h = mix_u64(h, a->family);
	h = mix(h, a->ip, sizeof(a->ip));
	return mix_u64(h, a->port);
}

/* Every field of a call, not where it is kept (rest, capacities, the
 * facts block): the same call kept in memory and put at rest agree. */
static uint64_t digest(uint64_t h, const struct sift_call *c)
{
#define U(x) h = mix_u64(h, (uint64_t)(x));
#define S(x) h = mix_str(h, (x));
	U(c->index) S(c->call_id) S(c->kind) S(c->from) S(c->to)
	S(c->caller_tag) h = mix_addr(h, &c->caller);
	U(c->have_caller) U(c->kind_initial) U(c->first_ts) U(c->last_ts)
	U(c->transports) U(c->nmsgs) U(c->ntxns) U(c->ndialogs) U(c->dropped)
	for (size_t i = 0; i < c->nmsgs; i++) {
		const struct sift_msg_rec *r = &c->msgs[i];

		U(r->where.file) U(r->where.frame) U(r->where.ts)
		h = mix_addr(h, &r->src);
		h = mix_addr(h, &r->dst);
		U(r->transport) U(r->request) S(r->method) U(r->status)
		S(r->reason) U(r->cseq) S(r->cseq_method) S(r->branch)
		U(r->retransmission) U(r->has_sdp) S(r->sdp_raw) U(r->damaged)
		U(r->txn) S(r->ruri) S(r->from_uri) S(r->from_tag)
		S(r->to_uri) S(r->to_tag) S(r->contact) S(r->pai)
		S(r->user_agent) S(r->route) S(r->record_route)
		S(r->via_host) U(r->via_port) U(r->via_rport) U(r->via_count)
	}
	for (size_t i = 0; i < c->ntxns; i++) {
		const struct sift_txn *t = &c->txns[i];

		S(t->key) S(t->method) U(t->cseq) U(t->initial)
		U(t->has_request) h = mix_addr(h, &t->req_src);
		U(t->req_ts) U(t->provisional) U(t->final_status)
		S(t->final_reason) U(t->final_ts) S(t->final_to_tag)
		U(t->finals) U(t->acked) U(t->nseen) U(t->next_seen)
		U(t->cancelled) U(t->cancel_ts)
		for (unsigned k = 0; k < 8; k++)
			U(t->seen[k])
	}
	for (size_t i = 0; i < c->ndialogs; i++) {
		const struct sift_dialog *d = &c->dialogs[i];

		S(d->from_tag) S(d->to_tag) U(d->state) U(d->created)
		U(d->confirmed) U(d->ok_count) U(d->acked) U(d->bye_ts)
		U(d->bye_by_caller)
	}
#undef U
#undef S
	return h;
}

static void check_call(struct fz *z, const struct sift_call *c,
		       sift_time now)
{
	struct sift_call_outcome o;

	if (!c || !c->call_id)
		abort();
	z->digest = digest(mix_u64(z->digest, (uint64_t)now), c);
	if (c->nmsgs > SIFT_CALL_MSGS_MAX || c->nmsgs > c->cap ||
	    c->ntxns > SIFT_CALL_TXNS_MAX || c->ntxns > c->txn_cap ||
	    c->ndialogs > SIFT_CALL_DIALOGS_MAX || c->ndialogs > c->dialog_cap)
		abort();
	if (c->nmsgs == 0)
		abort();
	for (size_t i = 0; i < c->nmsgs; i++) {
		const struct sift_msg_rec *r = &c->msgs[i];

		/* UINT32_MAX: in no transaction (damaged, or past the cap). */
		if (r->damaged ? r->txn != UINT32_MAX :
				 r->txn >= c->ntxns && r->txn != UINT32_MAX)
			abort();
		if (!r->method)
			abort();
	}
	for (size_t i = 0; i < c->ntxns; i++)
		if (!c->txns[i].key || !c->txns[i].method)
			abort();
	for (size_t i = 0; i < c->ndialogs; i++) {
		const struct sift_dialog *d = &c->dialogs[i];

		if ((unsigned)d->state > SIFT_DIALOG_TERMINATED ||
		    !d->from_tag || !d->to_tag)
			abort();
	}

	sift_call_outcome(c, now, &o);
	if ((unsigned)o.state > SIFT_CALL_NO_ACK ||
	    strcmp(sift_call_state_str(o.state), "unknown") == 0)
		abort();
	if (!memchr(o.reason, '\0', sizeof(o.reason)))
		abort();
	if (o.start_ts != c->first_ts)
		abort();
	if (z->monotonic) {
		if (o.setup_ms < -1 || o.duration_ms < -1)
			abort();
		if (o.answer_ts && o.end_ts && o.end_ts < o.answer_ts)
			abort();
		if (o.answer_ts && o.answer_ts < o.start_ts)
			abort();
	}
	if (o.duration_ms != -1 && o.state != SIFT_CALL_ENDED)
		abort();

	/* The rules across a call read the same model: every finding names
	 * a rule of the table, the call, and frames of this call. */
	{
		struct sift_findings *fs = sift_findings_new();
		struct sift_lint_cfg cfg;

		if (!fs)
			return;
		sift_lint_cfg_default(&cfg);
		sift_lint_call(&cfg, c, fs);
		for (size_t i = 0; i < sift_findings_count(fs); i++) {
			const struct sift_finding *f = sift_findings_get(fs, i);
			bool known = false;

			for (int k = 0; k < SIFT_R_COUNT; k++)
				if (strcmp(sift_rule((enum sift_rule_id)k)->id, f->rule) == 0)
					known = true;
			if (!known || !f->message || f->nframes > SIFT_FINDING_FRAMES ||
			    !f->call_id || strcmp(f->call_id, c->call_id) != 0)
				abort();
			for (unsigned k = 0; k < f->nframes; k++) {
				bool in_call = false;

				for (size_t j = 0; j < c->nmsgs; j++)
					if (c->msgs[j].where.frame == f->frames[k].frame)
						in_call = true;
				if (!in_call)
					abort();
			}
		}
		sift_findings_free(fs);
	}
}

static void sink(void *ctx, const struct sift_call *c)
{
	struct fz *z = ctx;

	if (!c->finished)
		abort();
	if (c->index == 0 || c->index >= z->seen_len || z->seen[c->index])
		abort();
	z->seen[c->index] = 1;
	z->sunk++;
	check_call(z, c, z->now);
}

static void run(struct fz *z, const uint8_t *data, size_t size)
{
	struct sift_calls *cs = sift_calls_new();
	sift_time now = (data[0] & 2) ? 0 : 1700000000 * SIFT_USEC;
	uint64_t frame = 0;
	size_t budget = BURST_BUDGET;

	if (!cs)
		return;
	sift_calls_rest(cs, z->rest);
	if (z->with_sink)
		sift_calls_set_sink(cs, sink, z);
	for (size_t pos = 1; size - pos >= REC; pos += REC) {
		const uint8_t *r = data + pos;
		bool request = r[0] & 1;
		const char *method = methods[((r[0] >> 1) & 15) % 10];
		unsigned si = (r[1] & 15) % 13;
		unsigned pair = r[2] >> 6;
		unsigned step = (r[3] >> 3) & 7;
		size_t reps = 1;
		struct sift_sip_msg m;
		struct sift_addr a, b;
		struct sift_where w;
		char vary[32];

		if ((data[0] & 1) && (r[3] & 0x80) && now >= steps[step])
			now -= steps[step];
		else
			now += steps[step];
		if ((data[0] & 0x1c) == 0x1c && (r[4] & 0x80)) {
			reps = (size_t)(r[4] & 0x3f) * BURST_UNIT;
			if (reps > budget)
				reps = budget;
			budget -= reps;
		}

		memset(&m, 0, sizeof(m));
		m.request = request;
		m.method = method;
		m.status = request ? 0 : statuses[si];
		m.reason = request ? "" : reasons[si];
		m.ruri = request ? "sip:bob@example.com" : NULL;
		m.call_id = call_ids[(r[0] >> 5) & 3];
		m.cseq = cseqs[r[3] & 7];
		m.cseq_method = method;
		m.from_uri = "sip:alice@example.com";
		m.from_tag = from_tags[(r[1] >> 4) & 3];
		m.to_uri = "sip:bob@example.com";
		m.to_tag = to_tags[((r[1] >> 6) | (r[2] & 1) << 2) & 7];
		m.via.transport = "UDP";
		m.via.host = vias[(r[2] >> 4) & 3].host;
		m.via.port = vias[(r[2] >> 4) & 3].port;
		m.via.branch = branches[(r[2] >> 1) & 7];
		m.via.rport_value = -1;
		m.via_count = 1;
		m.max_forwards = request ? 70 : -1;
		if ((request && si & 1) || m.status == 200 || m.status == 183) {
			static const uint8_t sdp[] = "v=0\r\n";

			m.content_type = "application/sdp";
			m.body = sdp;
			m.body_len = sizeof(sdp) - 1;
		}
		memset(&a, 0, sizeof(a));
		a.family = 4;
		a.ip[0] = 10;
		a.ip[3] = (uint8_t)(1 + (pair & 1));
		a.port = 5060;
		b = a;
		b.ip[3] = (uint8_t)(2 + (pair >> 1));
		for (size_t k = 0; k < reps; k++) {
			memset(&w, 0, sizeof(w));
			w.frame = ++frame;
			w.ts = now;
			if (reps > 1) {
				snprintf(vary, sizeof(vary), "%s%zu",
					 (r[4] & 0x40) ? "z9hG4bK-v" : "fork-", k);
				if (r[4] & 0x40)
					m.via.branch = vary;
				else
					m.to_tag = vary;
			}
			if (r[0] & 0x80)
				sift_calls_add_damaged(cs, m.call_id,
						       request ? method : NULL,
						       m.status, &w,
						       request ? &a : &b,
						       request ? &b : &a,
						       (enum sift_transport)pair);
			else
				sift_calls_add(cs, &m, &w, request ? &a : &b,
					       request ? &b : &a,
					       (enum sift_transport)pair);
		}
		if ((r[3] & 0x40) || steps[step] >= SIFT_USEC) {
			z->now = now;
			sift_calls_expire(cs, now);
		}
		/* (Not with rest: reading every call back after each message
		 * would leave none at rest to wake.) */
		for (size_t i = 0; !z->rest && i < sift_calls_count(cs); i++)
			if (sift_calls_get(cs, i)->finished)
				abort();
	}

	z->now = now;
	if (z->with_sink) {
		sift_calls_flush(cs, now);
		if (sift_calls_count(cs) != 0 || z->sunk != sift_calls_total(cs))
			abort();
	} else {
		size_t n = sift_calls_count(cs);

		sift_calls_expire(cs, now + 2 * SIFT_CALL_IDLE);
		sift_calls_flush(cs, now);
		if (n != sift_calls_count(cs) || n != sift_calls_total(cs) ||
		    n > sizeof(call_ids) / sizeof(call_ids[0]))
			abort();
		for (size_t i = 0; i < n; i++) {
			const struct sift_call *c = sift_calls_get(cs, i);

			if (c->finished || c->index != i + 1)
				abort();
			check_call(z, c, now);
			check_call(z, c, now + SIFT_CALL_IDLE);
		}
		if (sift_calls_get(cs, n))
			abort();
	}
	sift_calls_free(cs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz z;
	uint64_t kept = 0;

	if (size < 1)
		return 0;
	for (int k = 0; k < 4; k++) {
		memset(&z, 0, sizeof(z));
		z.monotonic = !(data[0] & 1);
		z.with_sink = k < 2;
		z.rest = k & 1;
		/* Each message makes at most one call; a record is one
		 * message or its part of the bursts. */
		z.seen_len = size / REC + BURST_BUDGET + 2;
		z.seen = calloc(z.seen_len, 1);
		if (!z.seen)
			return 0;
		run(&z, data, size);
		free(z.seen);
		if (!z.rest)
			kept = z.digest;
		else if (z.digest != kept)
			abort();
	}
	return 0;
}
