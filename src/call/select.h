/* sipsift — which calls a run reports: the selection options every command
 * honours (--call, --call-id, --from, --to, --number, --state, --since,
 * --until) and, for show, --frame.
 *
 * A selection is judged on a finished call (its state is known only then):
 * after the last packet for the whole report, or as each call finishes in
 * NDJSON. What it selected is kept as a set of Call-IDs (a call is
 * everything sharing a Call-ID), so that the writers can tell a stream or a
 * finding of a selected call after the call itself was freed. Memory
 * follows the calls selected, never the calls read.
 *
 * Within one option, any value matches (--call 1 --call 3); the options
 * match together (--from alice --state answered). --call and --call-id
 * name calls: a call named by either is named. */
#ifndef SIPSIFT_SELECT_H
#define SIPSIFT_SELECT_H

#include "sipsift/call.h"
#include "sipsift/common.h"

#define SIFT_SELECT_MAX 64
#define SIFT_SELECT_NUMBER_MAX 48

/* The selection as given on the command line; no allocation (the strings
 * are borrowed from argv). */
struct sift_select {
	uint32_t calls[SIFT_SELECT_MAX];           /* --call N */
	size_t ncalls;
	const char *call_ids[SIFT_SELECT_MAX];     /* --call-id ID */
	size_t ncall_ids;
	const char *from[SIFT_SELECT_MAX];         /* --from PAT */
	size_t nfrom;
	const char *to[SIFT_SELECT_MAX];           /* --to PAT */
	size_t nto;
	char numbers[SIFT_SELECT_MAX][SIFT_SELECT_NUMBER_MAX]; /* --number, digits only */
	size_t nnumbers;
	unsigned states;                           /* bit 1 << enum sift_call_state */
	bool has_since, since_rel;                 /* --since */
	int64_t since;                             /* µs: epoch, or after the start */
	bool since_tod;                            /* HH:MM[:SS]: on the start's day */
	bool has_until, until_rel;                 /* --until */
	int64_t until;
	bool until_tod;
	uint64_t frames[SIFT_SELECT_MAX];          /* show --frame N */
	size_t nframes;
};

enum sift_select_opt {
	SIFT_SEL_CALL = 0,
	SIFT_SEL_CALL_ID,
	SIFT_SEL_FROM,
	SIFT_SEL_TO,
	SIFT_SEL_NUMBER,
	SIFT_SEL_STATE,
	SIFT_SEL_SINCE,
	SIFT_SEL_UNTIL,
	SIFT_SEL_FRAME
};

/* Adds one option's value. SIFT_EINVAL with a one-line reason in err. */
enum sift_rc sift_select_add(struct sift_select *s, enum sift_select_opt o,
			     const char *arg, char *err, size_t errlen);

/* Any option given (--frame included)? */
bool sift_select_active(const struct sift_select *s);

/* Does finished call c match, at capture time now, in a capture that
 * started at start? */
bool sift_select_match(const struct sift_select *s, const struct sift_call *c,
		       sift_time now, sift_time start);

/* Digits of a user part or tel: number without visual separators
 * (+ space - . ( )); false when anything else is left or it is too long. */
bool sift_select_digits(const char *in, size_t n, char *out, size_t outlen);

/* A time option: +N[.F][s|m|h] after the capture's start; YYYY-MM-DD
 * HH:MM[:SS[.F]] (or with T, an optional Z) in UTC; HH:MM[:SS[.F]] on the
 * capture start's day; @EPOCH[.F]. false when it is none of these. */
bool sift_select_time(const char *arg, int64_t *t, bool *rel, bool *tod);

/* What a run selected. */
struct sift_selected;

/* A selected call as show needs it. */
struct sift_sel_call {
	uint32_t index;
	sift_time first_ts;
	sift_time prev_ts;     /* show: the last message of it met, 0 none */
};

struct sift_selected *sift_selected_new(const struct sift_select *s);
void sift_selected_free(struct sift_selected *x);

/* Judges finished call c and keeps its Call-ID when it matches (a call
 * already kept stays selected). SIFT_ENOMEM when it could not be kept. */
enum sift_rc sift_selected_judge(struct sift_selected *x,
				 const struct sift_call *c, sift_time now,
				 sift_time start, bool *match);

/* The selected call with this Call-ID, or NULL. */
struct sift_sel_call *sift_selected_get(const struct sift_selected *x,
					const char *call_id);
bool sift_selected_has(const struct sift_selected *x, const char *call_id);
size_t sift_selected_count(const struct sift_selected *x);

/* After every call was judged (total: the calls in the capture): 2 with
 * the message for a call named by --call or --call-id that is not there;
 * 1 with a note when nothing matched; 0 otherwise. */
int sift_selected_check(const struct sift_selected *x, uint64_t total,
			char *msg, size_t len);

#endif
