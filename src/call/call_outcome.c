/* sipsift — a call's outcome (state, reason, setup time and duration)
 * from its transactions and dialogs (RFC 3261 §13, §15, §17), and the
 * names of the states. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "call/call_int.h"

static bool streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static const char *const state_names[] = {
	[SIFT_CALL_IN_PROGRESS] = "in-progress",
	[SIFT_CALL_ANSWERED] = "answered",
	[SIFT_CALL_ENDED] = "ended",
	[SIFT_CALL_CANCELLED] = "cancelled",
	[SIFT_CALL_REJECTED] = "rejected",
	[SIFT_CALL_FAILED] = "failed",
	[SIFT_CALL_NO_ANSWER] = "no-answer",
	[SIFT_CALL_NO_ACK] = "no-ack",
};

const char *sift_call_state_str(enum sift_call_state s)
{
	if ((unsigned)s >= sizeof(state_names) / sizeof(state_names[0]))
		return "unknown";
	return state_names[s];
}

const char *sift_dialog_state_str(enum sift_dialog_state s)
{
	switch (s) {
	case SIFT_DIALOG_EARLY:
		return "early";
	case SIFT_DIALOG_CONFIRMED:
		return "confirmed";
	default:
		return "terminated";
	}
}

/* The transaction that decides the call: the last initial request sent
 * by the caller (a challenge makes the caller send its INVITE again with
 * credentials); failing that, the last initial one seen. */
static const struct sift_txn *outcome_txn(const struct sift_call *c)
{
	const struct sift_txn *best = NULL, *any = NULL, *late = NULL;

	if (!c->kind)
		return NULL;
	for (size_t i = 0; i < c->ntxns; i++) {
		const struct sift_txn *t = &c->txns[i];

		/* kind is the method in lower case. */
		if (!t->method || strcasecmp(t->method, c->kind) != 0)
			continue;
		/* A capture that starts inside a dialog has only requests
		 * with a To tag (refreshes, re-INVITEs): the last of those
		 * says how the call stands. */
		if (!t->initial) {
			late = t;
			continue;
		}
		any = t;
		if (c->have_caller && t->has_request &&
		    sift_addr_eq(&t->req_src, &c->caller))
			best = t;
	}
	return best ? best : any ? any : late;
}

bool sift_call_outcome_sent(const struct sift_call *c, sift_time *sent)
{
	const struct sift_txn *t = outcome_txn(c);

	if (!t)
		return false;
	*sent = t->has_request ? t->req_ts : c->first_ts;
	return true;
}

static const struct sift_dialog *answered_dialog(const struct sift_call *c,
						 const struct sift_txn *t)
{
	const struct sift_dialog *any = NULL;

	for (size_t i = 0; i < c->ndialogs; i++) {
		const struct sift_dialog *d = &c->dialogs[i];

		if (!d->confirmed)
			continue;
		if (t && streq(d->to_tag, t->final_to_tag))
			return d;
		if (!any)
			any = d;
	}
	return any;
}

static int64_t ms(sift_time a, sift_time b)
{
	return (b - a) / 1000;
}

static void set_final(struct sift_call_outcome *o, const struct sift_txn *t)
{
	o->final_status = t->final_status;
	o->final_reason = t->final_reason;
	snprintf(o->reason, sizeof(o->reason), "%d %s", t->final_status,
		 t->final_reason ? t->final_reason : "");
}

void sift_call_outcome(const struct sift_call *c, sift_time now,
		       struct sift_call_outcome *o)
{
	const struct sift_txn *t = outcome_txn(c);
	const struct sift_dialog *d;
	bool invite = streq(c->kind, "invite");
	sift_time start, sent, bye;

	memset(o, 0, sizeof(*o));
	o->state = SIFT_CALL_IN_PROGRESS;
	o->setup_ms = -1;
	o->duration_ms = -1;
	o->start_ts = c->first_ts;
	if (!t) {
		snprintf(o->reason, sizeof(o->reason), "no initial request seen");
		return;
	}
	sent = t->has_request ? t->req_ts : c->first_ts;
	start = sent;
	/* When a challenge (401/407) made the caller send the request again,
	 * setup time counts from the first attempt of that chain; earlier
	 * rounds (registration refreshes under one Call-ID) do not count. */
	for (size_t i = (size_t)(t - c->txns); i-- > 0;) {
		const struct sift_txn *p = &c->txns[i];

		if (!p->initial || !p->has_request || !streq(p->method, t->method))
			continue;
		if (p->final_status != 401 && p->final_status != 407)
			break;
		start = p->req_ts;
	}
	/* A final seen before its request (the two captured at points with
	 * different clocks), or without it, gives no setup time. */
	if (t->final_status && t->has_request && t->final_ts >= start)
		o->setup_ms = ms(start, t->final_ts);
	if (t->final_status >= 200 && t->final_status < 300) {
		o->final_status = t->final_status;
		o->final_reason = t->final_reason;
		if (!invite) {
			o->state = SIFT_CALL_ANSWERED;
			o->answer_ts = t->final_ts;
			o->end_ts = t->final_ts;
			set_final(o, t);
			return;
		}
		d = answered_dialog(c, t);
		o->answer_ts = d ? d->confirmed : t->final_ts;
		/* A BYE before the answer (on the early dialog, §15, crossing
		 * the 2xx) did not end the confirmed call. */
		bye = d && d->bye_ts >= o->answer_ts ? d->bye_ts : 0;
		if (d && !d->acked && d->ok_count >= 2) {
			o->state = SIFT_CALL_NO_ACK;
			snprintf(o->reason, sizeof(o->reason),
				 "no ACK for %d %s (%u retransmissions)%s",
				 t->final_status, t->final_reason ? t->final_reason : "",
				 d->ok_count - 1, bye ? ", then BYE" : "");
			o->end_ts = bye;
			return;
		}
		if (bye) {
			o->state = SIFT_CALL_ENDED;
			o->end_ts = bye;
			o->duration_ms = ms(o->answer_ts, bye);
			snprintf(o->reason, sizeof(o->reason), "BYE from %s",
				 d->bye_by_caller ? "caller" : "callee");
			return;
		}
		o->state = SIFT_CALL_ANSWERED;
		snprintf(o->reason, sizeof(o->reason), "%s",
			 d && d->acked ? "call up when the capture ends" :
					 "answered, no ACK seen yet");
		return;
	}
	if (t->final_status >= 300) {
		o->end_ts = t->final_ts;
		set_final(o, t);
		if (t->final_status == 487) {
			o->state = SIFT_CALL_CANCELLED;
			if (t->cancelled)
				snprintf(o->reason, sizeof(o->reason),
					 "cancelled by caller");
		} else if (t->final_status == 408 ||
			   (t->final_status >= 500 && t->final_status < 600)) {
			o->state = SIFT_CALL_FAILED;
		} else {
			o->state = SIFT_CALL_REJECTED;
		}
		return;
	}
	if (t->cancelled) {
		o->state = SIFT_CALL_CANCELLED;
		snprintf(o->reason, sizeof(o->reason), "CANCEL sent, no final response seen");
		return;
	}
	if (now - sent >= SIFT_TIMER_B) {
		if (t->provisional > 100) {
			o->state = SIFT_CALL_NO_ANSWER;
			snprintf(o->reason, sizeof(o->reason),
				 "no final response (last %d) after %lld s",
				 t->provisional,
				 (long long)((now - sent) / SIFT_USEC));
		} else {
			o->state = SIFT_CALL_FAILED;
			snprintf(o->reason, sizeof(o->reason),
				 "no %sresponse within 64*T1 (%s)",
				 t->provisional ? "final " : "",
				 invite ? "Timer B" : "Timer F");
		}
		return;
	}
	snprintf(o->reason, sizeof(o->reason), "%s",
		 t->provisional > 100 ? "ringing when the capture ends" :
		 "no final response when the capture ends");
}
