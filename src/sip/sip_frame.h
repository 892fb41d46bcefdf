/* sipsift — finding SIP messages in transport payloads (RFC 3261 §7.5,
 * §18.3): a datagram is one message; a byte stream is cut at CRLFCRLF plus
 * Content-Length (or its compact form "l"), with keep-alives skipped and
 * resynchronisation at the next start line after a gap. Recognition is by
 * content, on any port. */
#ifndef SIPSIFT_SIP_FRAME_H
#define SIPSIFT_SIP_FRAME_H

#include "sipsift/common.h"
#include "util/span.h"

/* Largest message accepted on a stream; also caps the stream's buffer. */
#define SIFT_SIP_MAX_MESSAGE (1024 * 1024)

enum sift_sip_kind {
	SIFT_SIP_NO = 0,        /* not SIP */
	SIFT_SIP_KEEPALIVE,     /* only CRLFs (RFC 5626 §3.5.1) */
	SIFT_SIP_YES
};

/* Does a datagram hold a SIP message? Cheap on RTP and other binary data:
 * the first byte decides most of them. On SIFT_SIP_YES, *start skips the
 * CRLFs that may precede the start line (RFC 3261 §7.5). */
enum sift_sip_kind sift_sip_datagram(const uint8_t *p, size_t n,
				     size_t *start);

/* Is a TCP segment's payload one whole SIP message, from its start line
 * to the end of the body its Content-Length gives, as most stacks send
 * them? -j 2's reader parses such a segment ahead (prefetch.c); the
 * stream framing emits these same bytes when nothing was pending. */
bool sift_sip_segment_whole(const uint8_t *p, size_t n);

/* Offset of the first complete start line that begins a line in p, or n
 * when there is none. */
size_t sift_sip_find_start_line(const uint8_t *p, size_t n);

/* Does p begin with a complete SIP start line (request or status line)? */
bool sift_sip_is_start_line(const uint8_t *p, size_t n);

/* Could p be the beginning of a start line that was cut short (snaplen)?
 * "SIP/2.0 " or a method token followed by a SIP, SIPS or TEL URI. */
bool sift_sip_maybe_start(const uint8_t *p, size_t n);

/* What a stream's first bytes say it carries. */
enum sift_stream_kind {
	SIFT_STREAM_UNKNOWN = 0,   /* not decided yet */
	SIFT_STREAM_SIP,
	SIFT_STREAM_TLS,           /* TLS records: SIP over TLS not decoded */
	SIFT_STREAM_WS,            /* HTTP upgrade to WebSocket (RFC 7118) */
	SIFT_STREAM_OTHER          /* something else: stop looking */
};

struct sift_sip_stream_stats {
	uint64_t messages;
	uint64_t keepalives;
	uint64_t resyncs;          /* restarts after a gap or garbage */
	uint64_t skipped_bytes;    /* bytes thrown away while resynchronising */
	uint64_t no_length;        /* messages without Content-Length */
	uint64_t oversize;         /* messages dropped by a cap: a start line
				    * over 8 KiB, headers over 64 KiB, a body
				    * over SIFT_SIP_MAX_MESSAGE (each reported
				    * through the drop callback) */
	uint64_t ws_oversize;      /* WebSocket frames or messages dropped by
				    * SIFT_SIP_MAX_MESSAGE (also reported) */
	uint64_t misframed;        /* a message followed by bytes that start no
				    * message: its Content-Length was short */
	uint64_t nomem;            /* memory ran out: bytes pending were thrown
				    * away (the caller's out of memory) */
};

/* Called for each complete message: bytes borrowed for this call; where is
 * the packet that completed it. */
typedef void (*sift_sip_emit_fn)(void *ctx, const uint8_t *msg, size_t len,
				 const struct sift_where *where);

/* Why a message was dropped by a cap of the framer. */
enum sift_sip_drop_why {
	SIFT_SIP_DROP_START_LINE = 0, /* start line longer than 8 KiB */
	SIFT_SIP_DROP_HEADERS,        /* no end of headers within 64 KiB */
	SIFT_SIP_DROP_BODY,           /* Content-Length past SIFT_SIP_MAX_MESSAGE */
	SIFT_SIP_DROP_WS_FRAME,       /* WebSocket frame claiming more */
	SIFT_SIP_DROP_WS_MESSAGE      /* fragmented WebSocket message growing past it */
};

/* A message the framer could not keep: reported once, the stream then
 * resynchronises at the next start line (or WebSocket frame that starts
 * one) and goes on. */
struct sift_sip_drop {
	enum sift_sip_drop_why why;
	const uint8_t *head;       /* its first bytes (the start line, some
				    * headers: where a Call-ID may be found),
				    * borrowed for the call; may be NULL */
	size_t head_len;
	uint64_t claimed;          /* Content-Length or frame length claimed, or 0 */
	struct sift_where first;   /* the packet its first bytes came in */
	struct sift_where where;   /* the packet where it was given up */
};

typedef void (*sift_sip_drop_fn)(void *ctx, const struct sift_sip_drop *d);

struct sift_sip_stream;

struct sift_sip_stream *sift_sip_stream_new(void);
void sift_sip_stream_free(struct sift_sip_stream *s);

/* Appends in-order stream bytes and emits every message they complete.
 * Returns the stream's kind as far as known; once SIFT_STREAM_TLS or
 * _OTHER, the caller stops feeding it. A WebSocket stream (RFC 7118) goes
 * on: after the HTTP handshake each WebSocket message is emitted as one
 * candidate SIP message (not yet checked for a start line, as for a
 * datagram); compressed (permessage-deflate) messages are skipped. */
enum sift_stream_kind sift_sip_stream_feed(struct sift_sip_stream *s,
					   const uint8_t *p, size_t n,
					   const struct sift_where *where,
					   sift_sip_emit_fn emit, void *ctx);

/* Bytes were lost: drop the partial message, resynchronise at the next
 * start line. */
void sift_sip_stream_gap(struct sift_sip_stream *s);

enum sift_stream_kind sift_sip_stream_kind(const struct sift_sip_stream *s);

/* Who is told of a dropped message: fn gets the ctx given to each
 * sift_sip_stream_feed. NULL: nobody (only counted). */
void sift_sip_stream_set_drop(struct sift_sip_stream *s, sift_sip_drop_fn fn);

/* At the end of a stream: a message whose headers arrived whole but whose
 * body (by Content-Length) never did. Returns false when there is none;
 * otherwise the bytes that came and the Content-Length. */
bool sift_sip_stream_partial(const struct sift_sip_stream *s,
			     const uint8_t **p, size_t *n, size_t *clen);

const struct sift_sip_stream_stats *
sift_sip_stream_stats(const struct sift_sip_stream *s);

/* Scans a header block (start line excluded or not) for Content-Length or
 * "l". Returns false when absent or malformed; *value is then 0. */
bool sift_sip_content_length(const uint8_t *hdr, size_t n, size_t *value);

/* The same for one Content-Length value already found. */
bool sift_sip_content_length_value(struct sift_span v, size_t *value);

#endif
