/* sipsift — calls: SIP messages correlated into transactions (RFC 3261
 * §17), dialogs (§12) and calls (everything sharing a Call-ID, across
 * proxy hops and capture points), with the outcome of each call.
 *
 * A call keeps a small owned summary of each message (never its bytes).
 * Caps bound every list; what a cap drops is counted. A call is finished
 * when its outcome is decided and it has been quiet for SIFT_CALL_LINGER of
 * capture time (retransmissions and ACKs have stopped), or when it has been
 * idle for SIFT_CALL_IDLE; a sink set with sift_calls_set_sink then gets it
 * and it is freed, so memory follows concurrent calls, not capture length.
 *
 * Without a sink every call is kept for the final report. With
 * sift_calls_rest on, a call quiet for SIFT_CALL_REST whose outcome is
 * decided (or quiet for SIFT_CALL_LINGER in any state) is put at rest: its
 * messages, transactions and dialogs go to a temporary file (util/spill.h)
 * and only the struct stays in memory; a new message of the call wakes it
 * (it goes on as if it had never slept), and sift_calls_get reads it back
 * for the report. Nothing a report shows changes; memory holds what the
 * calls in progress need, the disk what only the report needs. */
#ifndef SIPSIFT_CALL_H
#define SIPSIFT_CALL_H

#include "sipsift/common.h"

/* A parsed SIP message (sip/sip_msg.h): the calls stage reads it, the
 * model does not hold it. */
struct sift_sip_msg;

#define SIFT_CALLS_MAX 1000000
#define SIFT_CALL_MSGS_MAX 10000
#define SIFT_CALL_TXNS_MAX 1024
#define SIFT_CALL_DIALOGS_MAX 256
#define SIFT_KIND_MAX 32     /* longest method that names a call's kind */

/* 64*T1 (RFC 3261 §17.1.1.2 Timer B, §17.1.2.2 Timer F): how long a
 * transaction may wait for its final response, and how long a finished call
 * lingers for retransmissions. */
#define SIFT_TIMER_B (32 * SIFT_USEC)
#define SIFT_CALL_LINGER (32 * SIFT_USEC)
#define SIFT_CALL_IDLE (3600 * SIFT_USEC)
/* T4 (RFC 3261 §17.1.2.2, the longest a message stays in the network;
 * retransmission gaps up to T2, 4 s, come before it): a call whose outcome
 * is decided and that has been quiet this long is put at rest
 * (sift_calls_rest). When calls rest changes no output, only how often a
 * late message wakes one. */
#ifndef SIFT_CALL_REST          /* a test build may set it (0: at once) */
#define SIFT_CALL_REST (5 * SIFT_USEC)
#endif
/* A call woken this many times stays awake: a call whose messages keep
 * coming just past SIFT_CALL_REST would otherwise be written and read
 * whole for each (at most 8 times its size in all). */
#define SIFT_CALL_WAKES_MAX 8
/* Calls read back at once (sift_calls_get): the oldest of them goes back
 * to rest when another is read. */
#ifndef SIFT_CALLS_READ         /* a test build may set it (1) */
#define SIFT_CALLS_READ 8
#endif
/* The most the temporary file of calls at rest may hold; past it, calls
 * stay in memory. */
#define SIFT_CALLS_SPILL_MAX ((uint64_t)16 << 30)

enum sift_call_state {
	SIFT_CALL_IN_PROGRESS = 0,  /* still open when the capture ends */
	SIFT_CALL_ANSWERED,         /* 2xx and ACK, no BYE (yet) */
	SIFT_CALL_ENDED,            /* answered, then BYE */
	SIFT_CALL_CANCELLED,        /* CANCEL, then 487 */
	SIFT_CALL_REJECTED,         /* final 3xx-6xx but 487, 408, 5xx */
	SIFT_CALL_FAILED,           /* 408, 5xx, or no response at all (Timer B/F) */
	SIFT_CALL_NO_ANSWER,        /* provisional only, past Timer B */
	SIFT_CALL_NO_ACK            /* 2xx retransmitted, no ACK */
};

const char *sift_call_state_str(enum sift_call_state s);

enum sift_dialog_state {
	SIFT_DIALOG_EARLY = 0,
	SIFT_DIALOG_CONFIRMED,
	SIFT_DIALOG_TERMINATED
};

const char *sift_dialog_state_str(enum sift_dialog_state s);

/* Where a call's messages, transactions and dialogs are (struct
 * sift_call.rest). */
enum sift_call_rest {
	SIFT_REST_AWAKE = 0,   /* in memory, growing */
	SIFT_REST_AWAY,        /* on disk: the arrays are NULL, the counts stay */
	SIFT_REST_READ         /* read back, read-only, in one block */
};

struct sift_msg_rec {
	struct sift_where where;
	struct sift_addr src;
	struct sift_addr dst;
	enum sift_transport transport;
	bool request;
	/* method, reason, cseq_method, branch and the strings below point
	 * into facts, one allocation per message (call.c). */
	char *method;        /* request method, or the CSeq method of a response */
	int status;
	char *reason;
	uint32_t cseq;
	uint32_t facts_len;  /* the bytes the strings in facts take (call.c's
			      * own; here, it fills what cseq leaves) */
	char *cseq_method;
	char *branch;        /* top Via branch or NULL */
	bool retransmission; /* the same request or response of its transaction again */
	bool has_sdp;        /* carries an SDP body */
	char *sdp_raw;       /* that body as sent (a NUL byte as '?'), kept only
			      * with sift_calls_keep_sdp (analyze --raw); NULL */
	bool damaged;        /* the SIP parser rejected it: only its start line
			      * and Call-ID are known, it is in no transaction */
	uint32_t txn;        /* index into the call's transactions; UINT32_MAX
			      * when in none (damaged, or past the cap) */
	/* What the lint rules compare across messages; NULL when absent (and
	 * always for damaged messages). All point into facts. */
	const char *ruri;
	const char *from_uri;
	const char *from_tag;
	const char *to_uri;
	const char *to_tag;
	const char *contact;
	const char *pai;           /* first P-Asserted-Identity value */
	const char *user_agent;    /* User-Agent (requests) or Server (responses) */
	const char *route;         /* all Route values as sent, ", "-joined */
	const char *record_route;
	const char *via_host;      /* top Via sent-by */
	uint16_t via_port;         /* 0 when not given */
	bool via_rport;
	unsigned via_count;        /* 1 from a UA, more once proxies forwarded it */
	char *facts;
};

struct sift_txn {
	char *key;           /* branch|sent-by|method, or the RFC 2543 fallback */
	char *method;
	uint32_t cseq;
	bool initial;        /* an INVITE (or other request) without To tag */
	bool has_request;    /* the request itself was captured */
	struct sift_addr req_src;
	sift_time req_ts;
	int provisional;     /* highest 1xx status seen, 0 none */
	int final_status;    /* first final status, 0 none */
	char *final_reason;
	sift_time final_ts;
	char *final_to_tag;
	uint32_t finals;     /* final responses incl. retransmissions */
	bool acked;          /* INVITE with non-2xx final: its ACK was seen */
	uint64_t seen[8];    /* the last responses seen (status and To tag,
			      * hashed): the same one again is a retransmission */
	uint8_t nseen;       /* entries used, at most 8 */
	uint8_t next_seen;   /* where the next one goes (a ring) */
	bool cancelled;      /* a CANCEL was seen for this INVITE */
	sift_time cancel_ts;
};

struct sift_dialog {
	char *from_tag;      /* the caller's (the initial request's From tag) */
	char *to_tag;
	enum sift_dialog_state state;
	sift_time created;
	sift_time confirmed; /* first 2xx, 0 none */
	uint32_t ok_count;   /* 2xx to the INVITE incl. retransmissions */
	bool acked;          /* ACK for the 2xx seen */
	sift_time bye_ts;    /* first BYE, 0 none */
	bool bye_by_caller;
};

/* What later stages keep for a call — its media streams, its DTMF, its
 * audio — hangs off the call and goes with it: this stage knows each
 * part only as an opaque pointer and the function set with
 * sift_calls_set_part that releases it (no include of a later stage).
 * When a call is freed, its parts are released in this order. */
enum sift_call_part {
	SIFT_PART_DTMF = 0,
	SIFT_PART_MEDIA,
	SIFT_PART_AUDIO,
	SIFT_CALL_PARTS
};

struct sift_call {
	char *call_id;
	/* What the call is when its Call-ID carries several requests: the
	 * method (lower case, a token of at most SIFT_KIND_MAX characters)
	 * of its INVITE if it has one, else of its first request other than
	 * ACK and CANCEL, else of its first ACK or CANCEL; NULL when no
	 * message names one. */
	char *kind;
	char *from;          /* From/To URIs of the first initial request of */
	char *to;            /* the kind (else of the first request or message) */
	char *caller_tag;    /* its From tag */
	struct sift_addr caller; /* its source (else the first initial request's) */
	bool have_caller;
	bool kind_initial;   /* from, to and caller come from an initial
			      * request of the kind */
	uint32_t index;      /* 1-based, in order of first appearance */
	sift_time first_ts;
	sift_time last_ts;
	unsigned transports; /* bit set of 1 << enum sift_transport */
	struct sift_msg_rec *msgs;
	size_t nmsgs;
	size_t cap;
	struct sift_txn *txns;
	size_t ntxns;
	size_t txn_cap;
	struct sift_dialog *dialogs;
	size_t ndialogs;
	size_t dialog_cap;
	uint64_t dropped;    /* messages, transactions or dialogs past a cap */
	bool finished;       /* handed to the sink (or would have been) */
	void *part[SIFT_CALL_PARTS];  /* owned by the stage that set it */
	/* At rest (call.c's own; see sift_calls_rest): msgs, txns and
	 * dialogs put away on disk (their counts stay), or read back
	 * read-only in one block (rest_img). */
	uint8_t rest;        /* enum sift_call_rest */
	uint8_t wakes;       /* times woken, up to SIFT_CALL_WAKES_MAX */
	bool done_known;     /* done_at reckoned since its last message */
	bool listed;         /* in the calls' list of awake calls */
	uint32_t rest_len;   /* the image's size */
	uint64_t rest_ref;   /* where it is in the spill */
	void *rest_img;      /* SIFT_REST_READ: the block read back */
	sift_time done_at;   /* when it is finished (is_done), if done_known */
};

/* The outcome of a call as the wire shows it, at capture time now (the end
 * of the capture for the final report). Times are 0 when unknown; the
 * durations are -1 when unknown. */
struct sift_call_outcome {
	enum sift_call_state state;
	int final_status;
	const char *final_reason;    /* borrowed from the call, or NULL */
	sift_time start_ts;
	sift_time answer_ts;
	sift_time end_ts;
	int64_t setup_ms;            /* request to final response */
	int64_t duration_ms;         /* answer to BYE */
	char reason[96];             /* "486 Busy Here", "BYE from callee", ... */
};

void sift_call_outcome(const struct sift_call *c, sift_time now,
		       struct sift_call_outcome *o);

struct sift_calls;

struct sift_calls *sift_calls_new(void);
void sift_calls_free(struct sift_calls *cs);

/* Called for each finished call, just before it is freed. */
typedef void (*sift_call_sink_fn)(void *ctx, const struct sift_call *c);
void sift_calls_set_sink(struct sift_calls *cs, sift_call_sink_fn fn, void *ctx);

/* Keep the text of each SDP body in its message record (sdp_raw): for
 * analyze --raw, memory the user asked for. */
void sift_calls_keep_sdp(struct sift_calls *cs, bool on);

/* Put quiet calls at rest (see above); off by default. Whoever reads a
 * call's msgs, txns or dialogs while the capture is read must not turn it
 * on (audio reads a call's messages as its RTP comes). */
void sift_calls_rest(struct sift_calls *cs, bool on);
/* Why calls that would rest stayed in memory (sift_spill_trouble), or
 * NULL. */
const char *sift_calls_rest_trouble(const struct sift_calls *cs);

/* Part k of every call is released by release(owner, c) when the call is
 * freed (after the sink saw it, or by sift_calls_free); release sets
 * c->part[k] to NULL. Parts are released in enum order. */
typedef void (*sift_call_part_fn)(void *owner, struct sift_call *c);
void sift_calls_set_part(struct sift_calls *cs, enum sift_call_part k,
			 sift_call_part_fn release, void *owner);

/* Records a parsed message. SIFT_ELIMIT when a cap dropped it (counted). */
enum sift_rc sift_calls_add(struct sift_calls *cs, const struct sift_sip_msg *m,
			    const struct sift_where *w,
			    const struct sift_addr *src,
			    const struct sift_addr *dst,
			    enum sift_transport tp);

/* Records a message the parser rejected, under the Call-ID read from its
 * raw text, so that it shows in its call. method is the request method or
 * NULL; status the response code or 0 (both from the raw start line). */
enum sift_rc sift_calls_add_damaged(struct sift_calls *cs, const char *call_id,
				    const char *method, int status,
				    const struct sift_where *w,
				    const struct sift_addr *src,
				    const struct sift_addr *dst,
				    enum sift_transport tp);

/* Finishes the calls that are done by capture time now (see above). With
 * no sink set they stay for the final report. */
void sift_calls_expire(struct sift_calls *cs, sift_time now);

/* End of input: every remaining call goes to the sink, if one is set. */
void sift_calls_flush(struct sift_calls *cs, sift_time now);
/* The process exits after this run's report: the calls the flush hands
 * to the sink still have their parts released (their streams written),
 * but their memory is left to the exit, not freed piece by piece. */
void sift_calls_leave_at_exit(struct sift_calls *cs);

/* The call with this Call-ID that is still kept, or NULL. */
const struct sift_call *sift_calls_find(const struct sift_calls *cs,
					const char *call_id);

/* The same, for a later stage that hangs its part off the call. */
struct sift_call *sift_calls_lookup(struct sift_calls *cs, const char *call_id);

size_t sift_calls_count(const struct sift_calls *cs);
/* Call i, whole: a call at rest is read back (read-only), and stays so
 * until SIFT_CALLS_READ other calls have been read back: use a call's
 * messages, transactions and dialogs before asking for that many others.
 * Its struct stays where it is. find and lookup read back the same way. */
const struct sift_call *sift_calls_get(const struct sift_calls *cs, size_t i);
/* Call i's Call-ID, without reading the call back (selections count the
 * calls they show by it); NULL past the end. */
const char *sift_calls_id(const struct sift_calls *cs, size_t i);
uint64_t sift_calls_total(const struct sift_calls *cs);    /* incl. finished and freed */
uint64_t sift_calls_dropped(const struct sift_calls *cs);  /* messages not listed */
/* A call at rest could not be read back for want of memory: what it held
 * is missing (the caller's out of memory). Stays true. */
bool sift_calls_oom(const struct sift_calls *cs);

/* What the calls' caps did (each a cap counter of the summary). */
struct sift_calls_caps {
	uint64_t no_call;    /* messages of new calls past SIFT_CALLS_MAX (or
			      * memory): not listed */
	uint64_t msgs;       /* messages past a call's SIFT_CALL_MSGS_MAX: not listed */
	uint64_t untracked;  /* messages listed in no transaction (past
			      * SIFT_CALL_TXNS_MAX) */
	uint64_t dialogs;    /* dialogs past SIFT_CALL_DIALOGS_MAX: not kept */
};
const struct sift_calls_caps *sift_calls_caps(const struct sift_calls *cs);
uint64_t sift_calls_dialogs(const struct sift_calls *cs);  /* dialogs seen in all calls */

#endif
