/* sipsift — media: the RTP/RTCP streams that the SDP of each call
 * announced (RFC 3264 offer/answer), with their SRTP keys (RFC 4568) and
 * decryption (srtp.h).
 *
 * Every SDP body registers its media endpoints (where its author receives
 * RTP and RTCP) for its call, and its a=crypto keys as candidates of the
 * call. A UDP datagram to or from a registered endpoint belongs to that
 * call's media; a stream is (source, destination, SSRC). Which key a
 * stream uses is settled by trial authentication among all the call's
 * candidates (srtp.h), so NAT, SBCs and rekeys need no guessing.
 *
 * What media keeps for a call (its endpoints, keys and streams) hangs off
 * the call (SIFT_PART_MEDIA) and is released with it: a release costs
 * what that call owns. */
#ifndef SIPSIFT_MEDIA_H
#define SIPSIFT_MEDIA_H

#include "sipsift/call.h"
#include "sipsift/common.h"
#include "sipsift/stats.h"
#include "sipsift/finding.h"

/* What the sinks and the key registry are handed, from the stages that
 * decode them (media/rtp.h, sip/sdp.h, sip/sdes.h). */
struct sift_rtp_hdr;
struct sift_sdp_rtpmap;
struct sift_sdes;

/* Caps: far above what real traffic needs (a busy trunk capture has tens
 * of thousands of streams; a call a few keys per m= line and re-INVITE).
 * What passes them is counted (sift_media_caps). */
#define SIFT_MEDIA_MAX_STREAMS 1000000
#define SIFT_MEDIA_MAX_ENDPOINTS 2000000
#define SIFT_MEDIA_MAX_KEYS 256     /* candidate keys per call */
/* Lines of the keys-before-media book (media_book.c), at most. */
#define SIFT_MEDIA_BOOK_MAX ((size_t)1 << 18)
/* SRTP packets held until their key comes, when the input is read once
 * (standard input, a pipe: media_hold.c): per stream 1,000 packets (20 s
 * of 20 ms audio) and 256 KiB, 32 MiB in all; packets over 2 KiB are not
 * held. */
#define SIFT_MEDIA_HOLD_PACKETS 1000u
#define SIFT_MEDIA_HOLD_BYTES ((size_t)256 << 10)
#define SIFT_MEDIA_HOLD_TOTAL ((size_t)32 << 20)
#define SIFT_MEDIA_HOLD_PACKET_MAX 2048u

#define SIFT_STREAM_PTS 8         /* payload types kept per stream */

struct sift_stream {
	/* What every packet reads or writes comes first, in as few cache
	 * lines as it fits: a busy capture's streams do not all stay in the
	 * cache, and each line a packet touches was a miss (issue #17). */
	uint32_t id;              /* 1-based, in order of first packet */
	uint32_t ssrc;
	bool rtcp;
	uint8_t pt;               /* first payload type seen (RTP) */
	uint8_t cn_pt;            /* RTP: CN's payload type (13, or dynamic) */
	bool srtp;                /* its SDP offered SRTP (SAVP or a=crypto) */
	bool guessed;             /* found by --key any's look at the header */
	bool heuristic;           /* RTP no SDP announced, found by its
				   * headers (call_id NULL) */
	bool no_key;              /* SRTP, and no candidate key at all */
	uint64_t packets;
	sift_time last_ts;
	/* Where the frames prove things: its last packet, and each payload
	 * type it carried with the first packet of it (RTP; the first
	 * SIFT_STREAM_PTS types, the rest counted in pts_dropped). */
	struct sift_frame_ref last_frame;
	uint64_t comfort_noise;   /* RTP: CN packets (RFC 3389) */
	struct sift_rtpseries *series;  /* the same over time (stats.h), only
					 * with sift_media_keep_series; NULL */
	struct sift_rtpstat rs;   /* RTP: sequence, loss and jitter */
	unsigned npts;
	struct {
		uint8_t pt;
		uint64_t packets;
		struct sift_frame_ref first;
	} pts[SIFT_STREAM_PTS];
	uint64_t pts_dropped;
	char *call_id;
	struct sift_addr src;
	struct sift_addr dst;
	char codec[64];           /* "PCMU/8000" from rtpmap or the static table */
	struct sift_frame_ref first_frame;
	sift_time first_ts;
	/* SRTP, when srtp: */
	enum sift_srtp_suite suite;   /* of the key that authenticated */
	unsigned crypto_tag;
	struct sift_frame_ref sdp_frame;  /* the SDP that gave that key */
	bool mki;
	uint32_t roc;
	uint64_t decrypted;
	uint64_t auth_failures;
	uint64_t replay_drops;
	uint64_t before_key;      /* failed before any key worked, in a stream
				   * that decrypted later (its key came with a
				   * later SDP), or before the new key of a
				   * rekey was found */
	uint32_t rekeys;          /* times the stream went on with a newer key
				   * of its call (same SSRC, a re-INVITE's
				   * a=crypto) */
	uint64_t plain;           /* unprotected packets inside SRTP (RTCP
				   * some stacks send in the clear) */
	uint32_t follows;         /* RTP: id of the stream of the same
				   * direction and call before an SSRC change */
	/* RTP: what RTCP said of this stream — the report blocks its
	 * receiver sent about it (RFC 3550 §6.4.1) and its sender's SRs. */
	struct {
		uint64_t reports;
		int32_t lost;             /* cumulative, in the last report */
		uint8_t fraction;         /* of the last report, /256 */
		bool jitter_known;        /* the stream's clock rate is known */
		double jitter_ms_last;
		double jitter_ms_max;
		uint64_t sender_reports;
		uint32_t sender_packets;  /* packet count of the last SR */
	} peer;
	uint64_t rtcp_bad;        /* RTCP: compounds whose lengths lie */
	/* RTP: round-trip time from the report blocks its receiver sent
	 * about it, RFC 3550 §6.4.1: the capture time of the report less
	 * that of the sender report its LSR names, less DLSR (the time the
	 * receiver held it). Only the SRs the capture saw count. */
	struct {
		uint64_t samples;
		double last_ms;
		double min_ms;
		double max_ms;
		double sum_ms;
		struct sift_frame_ref frame;  /* the report of the last sample */
	} rtt;
	/* The sender reports this stream's sender sent (RTP: its SSRC), the
	 * last few, for the round trip: NTP middle 32 bits and capture time. */
	struct {
		uint32_t ntp_mid;
		sift_time ts;
		struct sift_frame_ref frame;
	} sr_seen[4];
	uint8_t nsr_seen, next_sr;
	/* The decoder state (SRTP context, key trials, packets kept for a
	 * later key) is media's own (media.c). */
};

struct sift_media;

/* What each SDP body of a call said (RFC 3264 offer/answer), in order
 * of arrival, for the rules that pair an offer with its answer: the m=
 * lines with their payload types, c= address, direction and a=crypto
 * suites. Which message carried it (and so whether it is an offer or an
 * answer) is the call's message at `where`. At most SIFT_MEDIA_SDPS per
 * call, the rest counted. */
#define SIFT_MEDIA_SDPS 32
#define SIFT_MEDIA_SDP_PTS 32
#define SIFT_MEDIA_SDP_CRYPTO 8

enum sift_media_dir {
	SIFT_MEDIA_SENDRECV = 0,
	SIFT_MEDIA_SENDONLY,
	SIFT_MEDIA_RECVONLY,
	SIFT_MEDIA_INACTIVE
};

const char *sift_media_dir_str(enum sift_media_dir d);

struct sift_media_fmt {
	uint8_t pt;
	char name[32];            /* rtpmap encoding name, or the static
				   * table's (RFC 3551); "" unknown */
	uint32_t rate;
	bool mapped;              /* from an a=rtpmap line */
};

struct sift_media_mline {
	char type[16];            /* "audio", "image", ... */
	char proto[32];           /* "RTP/AVP", "udptl", ... */
	struct sift_addr rtp;     /* c= address and m= port (port 0: refused) */
	struct sift_addr rtcp;    /* a=rtcp, or port + 1 */
	bool rtcp_mux;
	enum sift_media_dir dir;
	/* Each SDP of every call is kept to its end: sized to what the m=
	 * line has (at most SIFT_MEDIA_SDP_PTS and SIFT_MEDIA_SDP_CRYPTO),
	 * not fixed arrays (1.9 KB a line: a third of a call's memory). */
	struct sift_media_fmt *fmt;  /* m= order */
	unsigned nfmt;
	struct sift_media_crypto {
		unsigned tag;
		char suite[48];   /* as written */
	} *crypto;
	unsigned ncrypto;
};

struct sift_media_sdp {
	struct sift_where where;  /* the message that carried it */
	uint64_t sess_version;    /* o= */
	struct sift_media_mline *m;
	unsigned nm;
};

/* The SDP bodies of call c in order (NULL and 0: none), and how many
 * were past SIFT_MEDIA_SDPS. */
const struct sift_media_sdp *sift_media_call_sdps(const struct sift_media *md,
						 const struct sift_call *c,
						 size_t *n, uint64_t *dropped);

/* The fixed jitter buffer (ms) the streams begun from now on are scored
 * with (SIFT_MEDIA_JB_MS unless set; 0 turns the discard model off). */
#define SIFT_MEDIA_JB_MS 60u
void sift_media_set_jitter_buffer(struct sift_media *md, uint32_t ms);

/* RTP streams begun from now on keep their statistics over time
 * (sift_stream.series: the HTML report's plots), up to
 * SIFT_MEDIA_MAX_SERIES streams; the streams past it have none, counted
 * by sift_media_series_dropped. */
#define SIFT_MEDIA_MAX_SERIES 4096u
void sift_media_keep_series(struct sift_media *md, bool on);
uint64_t sift_media_series_dropped(const struct sift_media *md);

/* One RTP packet of a stream as the consumers that look inside it (DTMF
 * events, audio) need it: its header, its payload in the clear (decrypted
 * when it was SRTP; padding removed) and what the SDP or the static table
 * says its payload type is (NULL: unknown). Packets that could not be
 * decrypted, and RTCP, never reach a sink. */
struct sift_media_payload {
	const struct sift_stream *s;
	struct sift_call *call;       /* the stream's call, NULL: none */
	const struct sift_rtp_hdr *h;
	const uint8_t *payload;
	size_t len;
	const struct sift_sdp_rtpmap *codec;
	bool event;                   /* codec is telephone-event (RFC 4733) */
	const struct sift_where *w;
};

typedef void (*sift_media_sink_fn)(void *ctx, const struct sift_media_payload *mp);

struct sift_media *sift_media_new(void);
void sift_media_free(struct sift_media *md);

/* Every readable RTP packet goes to fn (NULL: none), after the stream's
 * statistics have counted it. */
void sift_media_set_sink(struct sift_media *md, sift_media_sink_fn fn,
			 void *ctx);
/* on: the sink wants only RFC 4733 events (payloads its stream's map
 * names telephone-event); the others are not handed to it. Without audio
 * to write or in-band digits to find, that is all a run reads, and every
 * audio packet skips the call. */
void sift_media_sink_events_only(struct sift_media *md, bool on);

/* Each stream of a call being released goes to fn (NULL: none) before it
 * is freed. */
typedef void (*sift_media_done_fn)(void *ctx, struct sift_stream *s);
void sift_media_set_done(struct sift_media *md, sift_media_done_fn fn,
			 void *ctx);

/* Look for RTP that no SDP announced (on by default): a datagram
 * stream becomes an RTP stream after SIFT_MEDIA_HEUR_CONFIRM packets of
 * one SSRC in strict sequence (see sift_media_packet). */
#define SIFT_MEDIA_HEUR_CONFIRM 5
void sift_media_set_heuristic(struct sift_media *md, bool on);

/* An SDP body of call c, in the message at w. Unsupported or malformed
 * a=crypto lines are counted and go to the refused function. */
void sift_media_sdp(struct sift_media *md, struct sift_call *c,
		    const uint8_t *body, size_t n, const struct sift_where *w);

/* An a=crypto line (crypto, the attribute's value) of call call_id's SDP
 * in the message at w that cannot be used, and why (sdes.h). */
typedef void (*sift_media_refused_fn)(void *ctx, const char *call_id,
				      const struct sift_where *w,
				      const char *crypto, const char *why);
void sift_media_set_refused(struct sift_media *md, sift_media_refused_fn fn,
			    void *ctx);
uint64_t sift_media_keys_refused(const struct sift_media *md);

/* What media's caps left out (stats.h). */
const struct sift_media_caps *sift_media_caps(const struct sift_media *md);
/* Memory ran out below every cap (a stream, an endpoint, a key, an SDP or
 * a held packet could not be kept): what is reported would miss it, so the
 * run must say so (the pipeline's SIFT_ENOMEM). Stays true. */
bool sift_media_oom(const struct sift_media *md);
/* SRTP packets held back that decrypted when their key came: statistics,
 * DTMF and audio have them; decrypt -w wrote them as they came. */
uint64_t sift_media_held_late(const struct sift_media *md);

/* Keys before media (media_book.c). A first pass over the signalling
 * hands each SDP body of Call-ID call_id (in the message at w) to a media
 * object of its own; sift_media_book_take moves what it kept into the
 * media object of the real pass, whose calls then get all their keys at
 * their first SDP (with the frames the keys came in). */
void sift_media_book_sdp(struct sift_media *md, const char *call_id,
			 const uint8_t *body, size_t n,
			 const struct sift_where *w);
/* The same for a whole SIP message (msg, n bytes, framed), read without
 * the SIP parser: its Call-ID, Content-Type and body as sent. Messages
 * without "a=crypto:", of another Call-ID than only_call_id (when not
 * NULL) or whose body is no application/sdp are passed over. SIFT_ENOMEM
 * when memory ran out. */
enum sift_rc sift_media_book_message(struct sift_media *md, const uint8_t *msg,
				     size_t n, const struct sift_where *w,
				     const char *only_call_id);
void sift_media_book_take(struct sift_media *to, struct sift_media *from);
/* Keys before media, on demand: fn is called once a run, the first time
 * an SRTP or SRTCP packet finds no key that decrypts it (its call has
 * none yet, or none works), to fill md's book (sift_media_book_take) with
 * every a=crypto line the capture holds from time `from` on. Every call
 * media knows then takes its lines, and the packet is tried again. A
 * capture whose every SRTP packet follows its key never calls fn. */
typedef void (*sift_media_keys_fn)(void *ctx, sift_time from);
void sift_media_set_key_source(struct sift_media *md, sift_media_keys_fn fn,
			       void *ctx);

/* A hint, before each packet is handed to the pipeline: the datagram
 * (src to dst, n bytes at p; NULL, 0 when there is none or it is not
 * known) of the packet after the next. The cache lines that find its
 * endpoints and stream are fetched now, and the lines of the next
 * packet's stream, found through those fetched at the call before, so
 * that the misses of both overlap the work on packets before them.
 * Nothing a report says changes; a wrong hint costs only time. */
void sift_media_hint(struct sift_media *md, const struct sift_addr *src,
		     const struct sift_addr *dst, const uint8_t *p, size_t n);

/* A UDP datagram that is no SIP. Returns true when it belongs to a known
 * media endpoint (and is counted in its stream). When it was SRTP/SRTCP
 * and decrypted, *plain (room for n bytes) holds the plain packet and
 * *plain_len its length; otherwise *plain_len is 0. */
bool sift_media_packet(struct sift_media *md, const struct sift_addr *src,
		       const struct sift_addr *dst, const uint8_t *p, size_t n,
		       const struct sift_where *w, uint8_t *plain,
		       size_t *plain_len);

/* decrypt -w: the SIP message msg (n bytes, its body at body_off) as a
 * decrypted capture must show it, so that Wireshark takes the media for
 * plain RTP: "RTP/SAVP" becomes "RTP/AVP" (SAVPF: AVPF) in m= lines,
 * a=crypto lines go, Content-Length follows. Returns the new length in
 * out (room for cap), or 0 when nothing had to change or it does not fit. */
size_t sift_media_plain_sip(const uint8_t *msg, size_t n, size_t body_off,
			    uint8_t *out, size_t cap);

/* A key given by hand (--key): sender is the address the stream is sent
 * from (family 0: any stream, found by a strict look at its RTP header),
 * optionally for one SSRC only. Its streams belong to no call. */
enum sift_rc sift_media_add_key(struct sift_media *md,
				const struct sift_addr *sender, bool has_ssrc,
				uint32_t ssrc, const struct sift_sdes *sd);

/* The call is being freed (its part release, sift_calls_set_part): its
 * streams go to the done function and are freed with its endpoints and
 * keys, so memory follows the calls in progress. */
void sift_media_release(struct sift_media *md, struct sift_call *c);
/* The process exits after this run's report: a release still settles its
 * streams and hands them to the done function, but leaves their memory,
 * and the maps that found them, to the exit. */
void sift_media_leave_at_exit(struct sift_media *md);
/* Call c is finished: its streams' SRTP packets still held for a key
 * count now as what they failed as (before its files and report). */
void sift_media_call_settle(struct sift_media *md, const struct sift_call *c);

/* Does the stream's call offer a suite with a 32-bit SRTP tag? */
bool sift_media_short_tag(const struct sift_stream *s);

/* End of input: every stream kept is settled, as a released one is before
 * the done function: in an SRTP stream that no key ever decrypted, what
 * failed before a key was found counts as failed (auth_failures). */
void sift_media_finish(struct sift_media *md);

size_t sift_media_count(const struct sift_media *md);
/* The streams of call c, in order of first packet. */
const struct sift_stream *const *sift_media_call_streams(const struct sift_media *md,
							const struct sift_call *c,
							size_t *n);
const struct sift_stream *sift_media_get(const struct sift_media *md, size_t i);
/* Streams seen, also those released. */
uint64_t sift_media_rtp_streams(const struct sift_media *md);
uint64_t sift_media_srtp_streams(const struct sift_media *md);
uint64_t sift_media_decrypted_streams(const struct sift_media *md);

#endif
