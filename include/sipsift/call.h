/* sipsift — SIP messages grouped into calls by Call-ID, in order of first
 * appearance. Each message is kept as a small owned summary (never its
 * bytes). Capped: past SIFT_CALLS_MAX calls or SIFT_CALL_MSGS_MAX messages
 * in one call, further ones are counted, not stored. */
#ifndef SIPSIFT_CALL_H
#define SIPSIFT_CALL_H

#include "sipsift/common.h"
#include "sipsift/sip_msg.h"

#define SIFT_CALLS_MAX 1000000
#define SIFT_CALL_MSGS_MAX 10000

struct sift_msg_rec {
	struct sift_where where;
	struct sift_addr src;
	struct sift_addr dst;
	enum sift_transport transport;
	bool request;
	char *method;        /* request method, or the CSeq method of a response */
	int status;
	char *reason;
	uint32_t cseq;
	char *cseq_method;
	char *branch;        /* top Via branch or NULL */
};

struct sift_call {
	char *call_id;
	char *kind;          /* first request's method in lower case, or NULL */
	char *from;          /* From/To URIs of the first message */
	char *to;
	struct sift_msg_rec *msgs;
	size_t nmsgs;
	size_t cap;
	uint64_t dropped;    /* messages past SIFT_CALL_MSGS_MAX */
};

struct sift_calls;

struct sift_calls *sift_calls_new(void);
void sift_calls_free(struct sift_calls *cs);

/* Records a parsed message. SIFT_ELIMIT when a cap dropped it (counted). */
enum sift_rc sift_calls_add(struct sift_calls *cs, const struct sift_sip_msg *m,
			    const struct sift_where *w,
			    const struct sift_addr *src,
			    const struct sift_addr *dst,
			    enum sift_transport tp);

size_t sift_calls_count(const struct sift_calls *cs);
const struct sift_call *sift_calls_get(const struct sift_calls *cs, size_t i);
uint64_t sift_calls_dropped(const struct sift_calls *cs);

#endif
