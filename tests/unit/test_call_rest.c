/* Unit tests for calls at rest (src/call/call_rest.c, call.h): the same
 * messages fed to two sets of calls, one putting quiet calls at rest and
 * one not, must give the same calls field for field — read back for the
 * report, woken by late messages (a retransmission, a registration
 * refreshed under its Call-ID), and finished by a sink at the same
 * capture time with the same content.
 *
 * Messages are struct sift_sip_msg filled with literals, every field the
 * calls stage keeps set, as the parser would hand them over. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sipsift/call.h"
#include "sip/sip_msg.h"

#define T0 (1700000000 * SIFT_USEC)
#define MS 1000LL

struct spec {
	const char *cid;
	bool request;
	const char *method;      /* a response's CSeq method */
	int status;
	uint32_t cseq;
	const char *ftag;
	const char *ttag;
	const char *branch;
	bool back;               /* sent by the callee (10.0.0.3) */
	int64_t ms;
	bool sdp;
	bool damaged;            /* as the parser rejected it */
};

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

static void add(struct sift_calls *cs, const struct spec *s)
{
	static const uint8_t sdp[] = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\n"
				     "m=audio 4000 RTP/AVP 0\r\n";
	struct sift_addr a = addr(1), b = addr(3);
	const struct sift_addr *src = s->back ? &b : &a, *dst = s->back ? &a : &b;
	struct sift_where w;
	struct sift_sip_msg m;

	memset(&w, 0, sizeof(w));
	w.frame = ++frame_no;
	w.file = (uint32_t)(frame_no % 2);
	w.ts = T0 + s->ms * MS;
	if (s->damaged) {
		assert_int_equal(sift_calls_add_damaged(cs, s->cid,
					s->request ? s->method : NULL,
					s->status, &w, src, dst, SIFT_TP_TCP),
				 SIFT_OK);
		return;
	}
	memset(&m, 0, sizeof(m));
	m.request = s->request;
	m.method = s->method;
	m.status = s->request ? 0 : s->status;
	m.reason = s->request ? "" : s->status == 200 ? "OK" : "Other";
	m.ruri = s->request ? "sip:bob@10.0.0.3" : NULL;
	m.call_id = s->cid;
	m.cseq = s->cseq;
	m.cseq_method = s->method;
	m.from_uri = "sip:alice@10.0.0.1";
	m.from_tag = s->ftag;
	m.to_uri = "sip:bob@10.0.0.3";
	m.to_tag = s->ttag;
	m.contact = s->back ? "sip:bob@10.0.0.3:5060" : "sip:alice@10.0.0.1:5060";
	m.route = s->request ? "<sip:p1;lr>, <sip:p2;lr>" : NULL;
	m.record_route = "<sip:p1;lr>";
	m.pai = s->request ? "<sip:+15551234@example.com>" : NULL;
	m.user_agent = s->back ? "callee/1.0" : "caller/2.0";
	m.via.transport = "UDP";
	/* The top Via is the client's, on its responses too. */
	m.via.host = s->request && s->back ? "10.0.0.3" : "10.0.0.1";
	m.via.port = 5060;
	m.via.branch = s->branch;
	m.via.rport = !s->back;
	m.via.rport_value = -1;
	m.via_count = s->back ? 2 : 1;
	m.max_forwards = s->request ? 70 : -1;
	if (s->sdp) {
		m.content_type = "application/sdp";
		m.body = sdp;
		m.body_len = sizeof(sdp) - 1;
		m.has_content_length = true;
		m.content_length = m.body_len;
	}
	assert_int_equal(sift_calls_add(cs, &m, &w, src, dst, SIFT_TP_UDP), SIFT_OK);
}

/* Every field of a call as text (not where it is kept: rest, the
 * capacities, the facts block). */
static char *describe(const struct sift_call *c)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	char a[SIFT_ADDR_STRLEN], b[SIFT_ADDR_STRLEN];

	assert_non_null(f);
#define S(x) ((x) ? (x) : "(null)")
	fprintf(f, "%u %s %s %s %s %s %s %d %d %lld %lld %u %zu %zu %zu %llu\n",
		c->index, S(c->call_id), S(c->kind), S(c->from), S(c->to),
		S(c->caller_tag), sift_addr_str(&c->caller, a, sizeof(a)),
		c->have_caller, c->kind_initial, (long long)c->first_ts,
		(long long)c->last_ts, c->transports, c->nmsgs, c->ntxns,
		c->ndialogs, (unsigned long long)c->dropped);
	for (size_t i = 0; i < c->nmsgs; i++) {
		const struct sift_msg_rec *r = &c->msgs[i];

		fprintf(f, "m %u %llu %lld %s %s %d %d %d %s %d %s %u %s %s %d %d %s %d %u|"
			"%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s %u %d %u\n",
			r->where.file, (unsigned long long)r->where.frame,
			(long long)r->where.ts, sift_addr_str(&r->src, a, sizeof(a)),
			sift_addr_str(&r->dst, b, sizeof(b)), r->transport,
			r->request, r->status, S(r->method), r->status, S(r->reason),
			r->cseq, S(r->cseq_method), S(r->branch), r->retransmission,
			r->has_sdp, S(r->sdp_raw), r->damaged, r->txn, S(r->ruri),
			S(r->from_uri), S(r->from_tag), S(r->to_uri), S(r->to_tag),
			S(r->contact), S(r->pai), S(r->user_agent), S(r->route),
			S(r->record_route), S(r->via_host), r->via_port,
			r->via_rport, r->via_count);
	}
	for (size_t i = 0; i < c->ntxns; i++) {
		const struct sift_txn *t = &c->txns[i];

		fprintf(f, "t %s %s %u %d %d %s %lld %d %d %s %lld %s %u %d %u %u %d %lld",
			S(t->key), S(t->method), t->cseq, t->initial,
			t->has_request, sift_addr_str(&t->req_src, a, sizeof(a)),
			(long long)t->req_ts, t->provisional, t->final_status,
			S(t->final_reason), (long long)t->final_ts,
			S(t->final_to_tag), t->finals, t->acked, t->nseen,
			t->next_seen, t->cancelled, (long long)t->cancel_ts);
		for (unsigned k = 0; k < 8; k++)
			fprintf(f, " %llx", (unsigned long long)t->seen[k]);
		fputc('\n', f);
	}
	for (size_t i = 0; i < c->ndialogs; i++) {
		const struct sift_dialog *d = &c->dialogs[i];

		fprintf(f, "d %s %s %d %lld %lld %u %d %lld %d\n", S(d->from_tag),
			S(d->to_tag), d->state, (long long)d->created,
			(long long)d->confirmed, d->ok_count, d->acked,
			(long long)d->bye_ts, d->bye_by_caller);
	}
#undef S
	assert_int_equal(fclose(f), 0);
	return out;
}

/* The calls every test feeds, by capture time (ms): an answered call
 * whose BYE's 200 comes again after it went to rest, a registration
 * refreshed under its Call-ID a minute later, a call left ringing, an
 * OPTIONS never answered, a call first seen damaged, and twelve short
 * rejected calls (more than SIFT_CALLS_READ). */
static const struct spec script[] = {
	{ "up", true, "INVITE", 0, 1, "f1", NULL, "z9hG4bK-i1", false, 0, true, false },
	{ "up", false, "INVITE", 180, 1, "f1", "t1", "z9hG4bK-i1", true, 20, false, false },
	{ "up", false, "INVITE", 200, 1, "f1", "t1", "z9hG4bK-i1", true, 900, true, false },
	{ "up", true, "ACK", 0, 1, "f1", "t1", "z9hG4bK-a1", false, 910, false, false },
	{ "reg", true, "REGISTER", 0, 1, "r1", NULL, "z9hG4bK-r1", false, 1000, false, false },
	{ "reg", false, "REGISTER", 401, 1, "r1", "x1", "z9hG4bK-r1", true, 1010, false, false },
	{ "reg", true, "REGISTER", 0, 2, "r1", NULL, "z9hG4bK-r2", false, 1100, false, false },
	{ "reg", false, "REGISTER", 200, 2, "r1", "x2", "z9hG4bK-r2", true, 1110, false, false },
	{ "ring", true, "INVITE", 0, 1, "g1", NULL, "z9hG4bK-g1", false, 2000, true, false },
	{ "ring", false, "INVITE", 180, 1, "g1", "h1", "z9hG4bK-g1", true, 2050, false, false },
	{ "opt", true, "OPTIONS", 0, 7, "o1", NULL, "old-style-branch", false, 3000, false, false },
	{ "dmg", true, "INVITE", 0, 0, NULL, NULL, NULL, false, 3500, false, true },
	{ "dmg", true, "INVITE", 0, 1, "d1", NULL, "z9hG4bK-d1", false, 3600, true, false },
	{ "dmg", false, "INVITE", 486, 1, "d1", "e1", "z9hG4bK-d1", true, 3700, false, false },
	{ "dmg", true, "ACK", 0, 1, "d1", "e1", "z9hG4bK-d1", false, 3710, false, false },
	{ "up", true, "BYE", 0, 2, "f1", "t1", "z9hG4bK-b1", false, 20000, false, false },
	{ "up", false, "BYE", 200, 2, "f1", "t1", "z9hG4bK-b1", true, 20010, false, false },
	/* At rest by now: the 200 again wakes it, within the linger. */
	{ "up", false, "BYE", 200, 2, "f1", "t1", "z9hG4bK-b1", true, 30000, false, false },
	{ "opt", true, "OPTIONS", 0, 7, "o1", NULL, "old-style-branch", false, 31000, false, false },
	/* The refresh, past the linger: finished by then with a sink (a
	 * new call), woken without one. */
	{ "reg", true, "REGISTER", 0, 3, "r1", NULL, "z9hG4bK-r3", false, 61100, false, false },
	{ "reg", false, "REGISTER", 200, 3, "r1", "x3", "z9hG4bK-r3", true, 61110, false, false },
};

#define SHORT_CALLS 12

static char short_ids[SHORT_CALLS][16];

/* The script with the short calls (at 5 s, 10 ms apart) in time order,
 * and expiry every second of capture time before each message and on to
 * 4000 s (past SIFT_CALL_IDLE for the ringing call). */
static void feed(struct sift_calls *cs)
{
	struct spec ev[sizeof(script) / sizeof(script[0]) + 2 * SHORT_CALLS];
	size_t n = 0, k = 0;
	int64_t tick = 0;

	frame_no = 0;
	for (size_t i = 0; i < sizeof(script) / sizeof(script[0]); i++) {
		if (script[i].ms > 5000 && k == 0)
			for (; k < SHORT_CALLS; k++) {
				int64_t t = 5000 + (int64_t)k * 10;

				snprintf(short_ids[k], sizeof(short_ids[k]), "short-%zu", k);
				ev[n++] = (struct spec){ short_ids[k], true, "INVITE", 0, 1,
					"s1", NULL, "z9hG4bK-s", false, t, false, false };
				ev[n++] = (struct spec){ short_ids[k], false, "INVITE", 404, 1,
					"s1", "u1", "z9hG4bK-s", true, t + 5, false, false };
			}
		ev[n++] = script[i];
	}
	for (size_t i = 0; i < n; i++) {
		for (; tick <= ev[i].ms; tick += 1000)
			sift_calls_expire(cs, T0 + tick * MS);
		add(cs, &ev[i]);
	}
	for (; tick <= 4000000; tick += 1000)
		sift_calls_expire(cs, T0 + tick * MS);
}

static struct sift_calls *make(bool rest)
{
	struct sift_calls *cs = sift_calls_new();

	assert_non_null(cs);
	sift_calls_keep_sdp(cs, true);
	sift_calls_rest(cs, rest);
	return cs;
}

/* Without a sink: the calls read back are the calls kept in memory. */
static void test_report_same(void **state)
{
	struct sift_calls *a = make(true), *b = make(false);
	size_t asleep = 0;

	(void)state;
	feed(a);
	feed(b);
	assert_int_equal(sift_calls_count(a), sift_calls_count(b));
	assert_int_equal(sift_calls_count(a), 5 + SHORT_CALLS);
	assert_int_equal(sift_calls_dialogs(a), sift_calls_dialogs(b));
	assert_int_equal(sift_calls_dropped(a), sift_calls_dropped(b));
	/* Every call went to rest (none has had a message in 5 s). */
	for (size_t i = 0; i < sift_calls_count(b); i++) {
		const struct sift_call *x = sift_calls_get(b, i);

		assert_int_equal(x->rest, SIFT_REST_AWAKE);
	}
	/* Twice over: the second time after each was put back. */
	for (int round = 0; round < 2; round++)
		for (size_t i = 0; i < sift_calls_count(a); i++) {
			const struct sift_call *x = sift_calls_get(a, i);
			char *da = describe(x), *db = describe(sift_calls_get(b, i));

			assert_int_equal(x->rest, SIFT_REST_READ);
			asleep++;
			assert_string_equal(da, db);
			free(da);
			free(db);
		}
	assert_int_equal(asleep, 2 * sift_calls_count(a));
	/* The registration is one call, woken by its refresh. */
	{
		const struct sift_call *r = sift_calls_find(a, "reg");

		assert_non_null(r);
		assert_int_equal(r->ntxns, 3);
		assert_non_null(sift_calls_find(a, "up"));
		assert_null(sift_calls_find(a, "nosuch"));
	}
	sift_calls_free(a);
	sift_calls_free(b);
}

/* Only SIFT_CALLS_READ calls stay read back; the others go back to rest
 * and come back on the next get. */
static void test_read_window(void **state)
{
	struct sift_calls *a = make(true);
	const struct sift_call *first;
	char *d1, *d2;

	(void)state;
	feed(a);
	first = sift_calls_get(a, 0);
	assert_int_equal(first->rest, SIFT_REST_READ);
	d1 = describe(first);
	for (size_t i = 1; i <= SIFT_CALLS_READ; i++)
		assert_non_null(sift_calls_get(a, i));
	assert_int_equal(first->rest, SIFT_REST_AWAY);
	assert_null(first->msgs);
	assert_true(first->nmsgs > 0);
	assert_true(sift_calls_get(a, 0) == first);
	d2 = describe(first);
	assert_string_equal(d1, d2);
	free(d1);
	free(d2);
	sift_calls_free(a);
}

struct log {
	char *text;
	size_t len;
	FILE *f;
};

static void sink(void *ctx, const struct sift_call *c)
{
	struct log *l = ctx;
	char *d = describe(c);

	fprintf(l->f, "finished at %lld:\n%s", (long long)c->last_ts, d);
	free(d);
}

/* With a sink: the same calls finished, with the same content, at the
 * same expiry; the refresh past the linger is a call of its own. */
static void test_sink_same(void **state)
{
	struct sift_calls *cs[2] = { make(true), make(false) };
	struct log l[2];

	(void)state;
	for (int k = 0; k < 2; k++) {
		memset(&l[k], 0, sizeof(l[k]));
		l[k].f = open_memstream(&l[k].text, &l[k].len);
		assert_non_null(l[k].f);
		sift_calls_set_sink(cs[k], sink, &l[k]);
		feed(cs[k]);
		fprintf(l[k].f, "left %zu total %llu\n", sift_calls_count(cs[k]),
			(unsigned long long)sift_calls_total(cs[k]));
		sift_calls_flush(cs[k], T0);
		assert_int_equal(fclose(l[k].f), 0);
	}
	assert_string_equal(l[0].text, l[1].text);
	assert_int_equal(sift_calls_total(cs[0]), 6 + SHORT_CALLS);
	assert_int_equal(sift_calls_dialogs(cs[0]), sift_calls_dialogs(cs[1]));
	assert_non_null(strstr(l[0].text, "REGISTER"));
	for (int k = 0; k < 2; k++) {
		free(l[k].text);
		sift_calls_free(cs[k]);
	}
}

/* Capture time that goes backwards (a 100 Trying stamped before its
 * INVITE, as two capture points with different clocks make): the call
 * goes to rest 5 s after the earlier stamp, and must still be finished at
 * the tick where Timer B of its INVITE runs out, as it is kept awake. */
static void test_sink_time_backwards(void **state)
{
	struct sift_calls *cs[2] = { make(true), make(false) };
	struct log l[2];

	(void)state;
	for (int k = 0; k < 2; k++) {
		memset(&l[k], 0, sizeof(l[k]));
		l[k].f = open_memstream(&l[k].text, &l[k].len);
		assert_non_null(l[k].f);
		sift_calls_set_sink(cs[k], sink, &l[k]);
		frame_no = 0;
		add(cs[k], &(const struct spec){ "late", true, "INVITE", 0, 1, "f1",
			 NULL, "z9hG4bK-l", false, 40000, false, false });
		add(cs[k], &(const struct spec){ "late", false, "INVITE", 100, 1,
			 "f1", NULL, "z9hG4bK-l", true, 0, false, false });
		for (int64_t t = 41000; t <= 4000000; t += 1000) {
			size_t before = sift_calls_count(cs[k]);

			sift_calls_expire(cs[k], T0 + t * MS);
			if (sift_calls_count(cs[k]) != before)
				fprintf(l[k].f, "gone at %lld\n", (long long)t);
		}
		assert_int_equal(fclose(l[k].f), 0);
	}
	assert_string_equal(l[0].text, l[1].text);
	/* Finished when Timer B ran out for the INVITE (40 s + 32 s). */
	assert_non_null(strstr(l[1].text, "gone at 72000"));
	for (int k = 0; k < 2; k++) {
		free(l[k].text);
		sift_calls_free(cs[k]);
	}
}

/* Calls freed in every state (at rest, read back, woken): nothing leaks
 * (the sanitizer build says). */
static void test_free_any_state(void **state)
{
	struct sift_calls *a = make(true);

	(void)state;
	feed(a);
	assert_non_null(sift_calls_get(a, 0));
	add(a, &(const struct spec){ "short-3", true, "BYE", 0, 2, "s1", "u1",
		 "z9hG4bK-late", false, 4000001, false, false });
	assert_int_equal(sift_calls_find(a, "short-3")->rest, SIFT_REST_AWAKE);
	assert_int_equal(sift_calls_find(a, "short-3")->nmsgs, 3);
	sift_calls_free(a);
	/* Turning rest off brings every call back to memory. */
	a = make(true);
	feed(a);
	sift_calls_rest(a, false);
	for (size_t i = 0; i < sift_calls_count(a); i++)
		assert_int_equal(sift_calls_get(a, i)->rest, SIFT_REST_AWAKE);
	sift_calls_free(a);
}

/* No file can be made: the calls stay awake, nothing else changes. */
static void test_no_spill_file(void **state)
{
	const char *old = getenv("TMPDIR");
	char *keep = old ? strdup(old) : NULL;
	struct sift_calls *a, *b = make(false);

	(void)state;
	setenv("TMPDIR", "/nonexistent/sipsift-test", 1);
	a = make(true);
	feed(a);
	feed(b);
	for (size_t i = 0; i < sift_calls_count(a); i++) {
		const struct sift_call *x = sift_calls_get(a, i);
		char *da = describe(x), *db = describe(sift_calls_get(b, i));

		assert_int_equal(x->rest, SIFT_REST_AWAKE);
		assert_string_equal(da, db);
		free(da);
		free(db);
	}
	if (keep)
		setenv("TMPDIR", keep, 1);
	else
		unsetenv("TMPDIR");
	free(keep);
	sift_calls_free(a);
	sift_calls_free(b);
}

/* A call woken SIFT_CALL_WAKES_MAX times stays awake: messages just past
 * the rest each cost a write and a read of the call only so often. */
static void test_wake_limit(void **state)
{
	struct sift_calls *a = make(true);
	const struct sift_call *c;
	int64_t ms = 0;

	(void)state;
	frame_no = 0;
	add(a, &(const struct spec){ "opt", true, "OPTIONS", 0, 1, "o1", NULL,
		 "z9hG4bK-o", false, 0, false, false });
	c = sift_calls_find(a, "opt");
	for (unsigned i = 1; i <= SIFT_CALL_WAKES_MAX + 3; i++) {
		ms += SIFT_CALL_REST / MS;
		sift_calls_expire(a, T0 + ms * MS);
		assert_int_equal(c->rest, i <= SIFT_CALL_WAKES_MAX ?
				 SIFT_REST_AWAY : SIFT_REST_AWAKE);
		/* Expiry walks only the calls that may still rest. */
		assert_false(c->listed);
		ms += 1;
		add(a, &(const struct spec){ "opt", true, "OPTIONS", 0, 1, "o1",
			 NULL, "z9hG4bK-o", false, ms, false, false });
		assert_int_equal(c->rest, SIFT_REST_AWAKE);
		assert_int_equal(c->nmsgs, i + 1);
		assert_true(c->msgs[i].retransmission);
		assert_int_equal(c->listed, i < SIFT_CALL_WAKES_MAX);
	}
	assert_int_equal(c->wakes, SIFT_CALL_WAKES_MAX);
	sift_calls_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_same),
		cmocka_unit_test(test_read_window),
		cmocka_unit_test(test_sink_same),
		cmocka_unit_test(test_sink_time_backwards),
		cmocka_unit_test(test_free_any_state),
		cmocka_unit_test(test_no_spill_file),
		cmocka_unit_test(test_wake_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
