/* sipsift — what call.c and call_rest.c (calls at rest) share. */
#ifndef SIPSIFT_CALL_INT_H
#define SIPSIFT_CALL_INT_H

#include "sipsift/call.h"
#include "util/spill.h"
#include "util/strmap.h"

struct sift_calls {
	struct sift_strmap *by_id;  /* Call-ID -> open call */
	struct sift_call **v;       /* open calls, in order of first appearance */
	size_t n;
	size_t cap;
	uint64_t total;
	uint64_t dropped;           /* messages not listed: caps.no_call + caps.msgs */
	bool oom;                   /* a call at rest could not be read back */
	struct sift_calls_caps caps;
	uint64_t dialogs;           /* dialogs of calls already freed */
	sift_call_sink_fn sink;
	void *sink_ctx;
	bool keep_sdp;              /* sift_calls_keep_sdp */
	bool leave;                 /* sift_calls_leave_at_exit */
	struct {
		sift_call_part_fn release;
		void *owner;
	} part[SIFT_CALL_PARTS];
	/* Calls at rest (call_rest.c): the spill (NULL: rest off), and the
	 * calls read back (SIFT_REST_READ), oldest at read_next. */
	struct sift_spill *spill;
	struct sift_call *read[SIFT_CALLS_READ];
	char *read_buf[SIFT_CALLS_READ];    /* their blocks, kept for reuse */
	size_t read_cap[SIFT_CALLS_READ];
	unsigned read_next;
	char *img;                  /* the image being written */
	size_t img_cap;
	char *scratch;              /* a call read back to be finished or woken */
	size_t scratch_cap;
	/* Without a sink: the calls that may still go to rest (awake, woken
	 * fewer than SIFT_CALL_WAKES_MAX times), so that a tick costs what
	 * is awake, not every call of the capture. */
	struct sift_call **awake;
	size_t nawake;
	size_t awake_cap;
};

/* When the request that decides call c's outcome was sent (false: no
 * request decides it): the outcome changes with the clock only when that
 * is SIFT_TIMER_B old (call_outcome.c). */
bool sift_call_outcome_sent(const struct sift_call *c, sift_time *sent);

/* Room for one more message in c. An INVITE's call takes six (INVITE,
 * 180, 200, ACK, BYE, 200): growing from 2 by half, as sift_grow does for
 * large elements, was four reallocs a call, 1 to 2 % of a SIP-only run;
 * the first message makes room for six at once (the room in the end is
 * the same). */
static inline bool sift_call_grow_msgs(struct sift_call *c)
{
	return sift_grow((void **)&c->msgs, &c->cap, c->cap ? c->nmsgs : 5,
			 sizeof(*c->msgs), SIFT_CALL_MSGS_MAX);
}

/* Frees what a message record owns. */
void sift_msg_rec_clear(struct sift_msg_rec *r);

/* Frees a call's messages, transactions and dialogs, wherever they are
 * (its spill slot included); the counts go to 0. */
void sift_call_arrays_free(struct sift_calls *cs, struct sift_call *c);

/* Puts an awake call at rest. false: it stays awake (no spill, no memory
 * or no room on disk). */
bool sift_call_sleep(struct sift_calls *cs, struct sift_call *c);

/* A call at rest read back, read-only (SIFT_REST_READ), into a block the
 * calls keep for the next one (not among the SIFT_CALLS_READ calls read
 * back): the caller frees or wakes it before reading another. A call that
 * cannot be read back loses its messages (counted as dropped). */
void sift_call_read(struct sift_calls *cs, struct sift_call *c);

/* The same, among the SIFT_CALLS_READ calls read back (sift_calls_get). */
void sift_call_read_kept(struct sift_calls *cs, struct sift_call *c);

/* A call at rest or read back made awake, to grow again. false: out of
 * memory (it stays as it was). */
bool sift_call_wake(struct sift_calls *cs, struct sift_call *c);

/* Done: the outcome is decided and retransmissions had time to stop; or
 * nothing has happened for a long time (call.c). */
bool sift_call_is_done(const struct sift_call *c, sift_time now);

/* The list of awake calls that may go to rest (no sink): c joins it (when
 * made or woken), or all leave it. */
void sift_call_awake_push(struct sift_calls *cs, struct sift_call *c);
void sift_calls_awake_clear(struct sift_calls *cs);

/* c put at rest if it has been quiet long enough (see call_rest.c); and
 * so every awake call of the list, without a sink. */
void sift_call_rest(struct sift_calls *cs, struct sift_call *c, sift_time now);
void sift_calls_rest_awake(struct sift_calls *cs, sift_time now);

#endif
