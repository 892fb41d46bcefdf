/* sipsift — DTMF: RFC 4733 telephone-events in RTP, and digits sent in SIP
 * INFO requests (application/dtmf-relay, application/dtmf), kept per call.
 *
 * The decoder (sift_te_*) turns the packets of one telephone-event stream
 * into events: one event per RTP timestamp (RFC 4733 §2.5.1.2), however
 * often its end packet is retransmitted (§2.5.1.4) or its packets repeat
 * (§2.6); a long event split into segments (§2.5.1.3) stays one event.
 * An event whose end never came is still reported, with the duration of
 * the last packet seen and ended false. Events 0-15 are the digits
 * 0-9 * # A-D; other event codes are kept as "E<code>" (e.g. "E16" for
 * flash). Payloads shorter than 4 bytes and events longer than
 * SIFT_DTMF_MAX_MS are anomalies: counted, not reported.
 *
 * The store (sift_dtmf_*) keeps each call's events in time order (at most
 * SIFT_DTMF_MAX_PER_CALL, the rest counted) and a decoder per stream of
 * the call, hung off the call (SIFT_PART_DTMF): what a call keeps goes
 * with it (sift_dtmf_release); it never prints. */
#ifndef SIPSIFT_DTMF_H
#define SIPSIFT_DTMF_H

#include "sipsift/call.h"
#include "sipsift/common.h"

struct sift_rtp_hdr;   /* media/rtp.h: the decoder reads the header */

#define SIFT_DTMF_MAX_PER_CALL 1000
#define SIFT_DTMF_MAX_STREAMS 64        /* telephone-event streams per call */
#define SIFT_DTMF_MAX_MS 60000          /* longer than a minute: absurd */
#define SIFT_DTMF_DEFAULT_CLOCK 8000
#define SIFT_DTMF_DIGIT_LEN 8           /* "E255" and a NUL fit */

enum sift_dtmf_source {
	SIFT_DTMF_RFC4733 = 0,
	SIFT_DTMF_SIP_INFO,
	SIFT_DTMF_INBAND
};

const char *sift_dtmf_source_str(enum sift_dtmf_source s);

struct sift_dtmf_event {
	char digit[SIFT_DTMF_DIGIT_LEN];
	enum sift_dtmf_source source;
	struct sift_where where;   /* first packet of the event, or the INFO */
	int64_t duration_ms;       /* -1: not known (INFO without Duration) */
	int volume;                /* RFC 4733 volume, -dBm0 0..63; -1 none */
	bool ended;                /* rfc4733: an end packet was seen */
	uint32_t stream;           /* stream id, 0: none (sip-info) */
	struct sift_addr src;      /* sender of the stream or of the INFO */
	struct sift_addr dst;
	uint64_t info_key;         /* sip-info: its From tag and CSeq, hashed */
};

/* The name of event code ev: "0".."9", "*", "#", "A".."D", else "E<ev>". */
void sift_dtmf_digit_name(unsigned ev, char out[SIFT_DTMF_DIGIT_LEN]);

/* What the decoders found wrong or dropped. */
struct sift_dtmf_stats {
	uint64_t packets;        /* telephone-event packets fed */
	uint64_t short_payloads; /* shorter than the 4-byte event */
	uint64_t absurd;         /* events longer than SIFT_DTMF_MAX_MS */
	uint64_t repeats;        /* packets of an event already reported
				  * (retransmitted end packets, §2.5.1.4) */
	uint64_t bad_info;       /* INFO DTMF bodies that could not be read */
	uint64_t dropped;        /* events past the per-call cap, packets of
				  * streams past SIFT_DTMF_MAX_STREAMS, and
				  * packets or INFOs memory ran out for */
};

/* RFC 4733 decoder of one stream. */
struct sift_te_decoder {
	uint32_t clock;          /* of the telephone-event rtpmap */
	bool open;               /* an event has started and not ended */
	uint32_t recent[4];      /* RTP timestamps of the last events reported
				  * (a ring): their late packets are repeats */
	uint8_t nrecent;
	uint8_t next_recent;
	uint32_t ts;             /* RTP timestamp of the open event (its
				  * first segment's) */
	uint32_t seg_ts;         /* ... of its current segment (§2.5.1.3) */
	uint64_t seg_units;      /* duration of its finished segments */
	uint16_t dur;            /* largest duration seen in this segment */
	uint8_t event;
	uint8_t volume;
	struct sift_where first; /* its first packet */
};

void sift_te_init(struct sift_te_decoder *d, uint32_t clock);

/* One telephone-event packet (h its RTP header, p/n its clear payload).
 * Up to two events are complete after it (the open one that a new
 * timestamp ended without its end packet, and a new one that was a single
 * end packet): they go to out[0..*nout-1], with digit, where, duration,
 * volume and ended set (stream and addresses are the caller's). */
void sift_te_feed(struct sift_te_decoder *d, const struct sift_rtp_hdr *h,
		  const uint8_t *p, size_t n, const struct sift_where *w,
		  struct sift_dtmf_event out[2], unsigned *nout,
		  struct sift_dtmf_stats *st);

/* End of the stream: the open event, if any (ended false). */
bool sift_te_flush(struct sift_te_decoder *d, struct sift_dtmf_event *out,
		   struct sift_dtmf_stats *st);

/* A SIP INFO body: application/dtmf-relay ("Signal=5\r\nDuration=160") or
 * application/dtmf (a line with the digit). ctype is the Content-Type
 * (lower case, no parameters). SIFT_OK with the digit and the duration in
 * ms (-1 when not given); SIFT_EUNSUPPORTED for another content type;
 * SIFT_EINVAL for a body without a usable digit or with an absurd
 * duration. */
enum sift_rc sift_dtmf_info_parse(const char *ctype, const uint8_t *body,
				  size_t n, char digit[SIFT_DTMF_DIGIT_LEN],
				  int64_t *duration_ms);

struct sift_dtmf;

struct sift_dtmf *sift_dtmf_new(void);
void sift_dtmf_free(struct sift_dtmf *d);

/* A packet of stream stream_id (src -> dst) of call c whose payload
 * type is telephone-event at the given clock rate (0: 8000). */
void sift_dtmf_rtp(struct sift_dtmf *d, struct sift_call *c,
		   uint32_t stream_id, const struct sift_addr *src,
		   const struct sift_addr *dst, uint32_t clock,
		   const struct sift_rtp_hdr *h, const uint8_t *p, size_t n,
		   const struct sift_where *w);

/* In-band DTMF: an audio packet (p/n its clear payload in codec at clock,
 * from the stream's rtpmap) of stream stream_id of call c. The
 * stream's first audio codec is decoded and its tones detected (codec.h:
 * sift_tone_rx); an event is reported when its tone ends, its time when
 * it was heard, its volume the tone's level. */
void sift_dtmf_audio(struct sift_dtmf *d, struct sift_call *c,
		     uint32_t stream_id, const struct sift_addr *src,
		     const struct sift_addr *dst, const char *codec,
		     uint32_t clock, unsigned channels, const uint8_t *p,
		     size_t n, const struct sift_where *w);

/* An INFO request of call c (not a retransmission) with its body.
 * The same request forwarded by a proxy (another hop of the call: the same
 * From tag and CSeq number) is the same key press and counts once. */
void sift_dtmf_info(struct sift_dtmf *d, struct sift_call *c,
		    const char *ctype, const uint8_t *body, size_t n,
		    const char *from_tag, uint32_t cseq,
		    const struct sift_addr *src, const struct sift_addr *dst,
		    const struct sift_where *w);

/* The call is finished (c) or the input is (NULL: every call): open
 * events become final, reported without their end. */
void sift_dtmf_close(struct sift_dtmf *d, const struct sift_call *c);

/* Frees what is kept for the call (its part release, see
 * sift_calls_set_part): the cost is what the call kept, no more. */
void sift_dtmf_release(struct sift_dtmf *d, struct sift_call *c);

/* The call's events in time order (NULL and 0 when none). */
const struct sift_dtmf_event *sift_dtmf_events(const struct sift_dtmf *d,
					       const struct sift_call *c,
					       size_t *n);

/* Events reported in all calls, also released ones. */
uint64_t sift_dtmf_total(const struct sift_dtmf *d);
const struct sift_dtmf_stats *sift_dtmf_stats(const struct sift_dtmf *d);
/* Memory ran out below a cap: an event could not be kept (the pipeline's
 * SIFT_ENOMEM). Stays true. */
bool sift_dtmf_oom(const struct sift_dtmf *d);

#endif
