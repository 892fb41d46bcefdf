/* sipsift — the report model every writer reads (DESIGN.md "Report"), and
 * the writers: text for people, JSON and NDJSON for scripts. */
#ifndef SIPSIFT_REPORT_H
#define SIPSIFT_REPORT_H

#include <stdio.h>

#include "sipsift/call.h"
#include "sipsift/common.h"
#include "sipsift/dtmf.h"
#include "sipsift/finding.h"
#include "sipsift/media.h"
#include "sipsift/stats.h"

struct sift_audio;
struct sift_selected;

struct sift_input {
	char *path;
	int linktype;            /* -1 when the file could not be opened */
	bool mixed_linktypes;
	uint64_t packets;
	uint64_t bytes;
	sift_time first_ts;
	sift_time last_ts;
	bool truncated;
	char *error;             /* why reading failed: one line, or NULL */
	char *warning;           /* e.g. where a truncated file ends, or NULL */
	uint64_t ts_clamped;     /* timestamps whose fraction of a second was
				  * out of range: clamped */
};

struct sift_summary {
	uint64_t packets;
	uint64_t sip_messages;    /* requests + responses + parse errors */
	uint64_t sip_requests;
	uint64_t sip_responses;
	uint64_t sip_parse_errors;
	uint64_t sip_cut;         /* SIP datagrams cut short by snaplen */
	uint64_t keepalives;      /* CRLF keep-alives (RFC 5626) */
	uint64_t tls_flows;       /* TCP directions carrying TLS: not decoded */
	uint64_t websocket_flows; /* TCP directions carrying WebSocket (decoded) */
	uint64_t sctp_skipped;    /* SCTP messages whose pieces never all came */
	uint64_t tcp_resyncs;     /* SIP framing restarted after a gap */
	uint64_t unsupported_link;/* packets on an unsupported link type */
	uint64_t rewritten;       /* decrypt -w: SRTP packets written decrypted */
	uint64_t not_rewritten;   /* ... decrypted but written as they were
				   * (fragmented or tunnelled) */
	uint64_t unwritten;       /* ... of another link type: not written */
	uint64_t tls_connections; /* TCP connections read as TLS (src/tls) */
	uint64_t tls_decrypted;   /* ... whose application data decrypted */
};

/* One TCP connection read as TLS (SIP over TLS, wss): what it was and
 * whether it could be read. */
struct sift_tls_report {
	struct sift_addr client;  /* the side that sent ClientHello (else the
				   * first side seen) */
	struct sift_addr server;
	struct sift_where first;  /* its first TLS bytes */
	uint16_t version;         /* 0x0303, 0x0304; 0 unknown */
	uint16_t suite;           /* IANA number; 0 unknown */
	bool decrypted;
	const char *status;       /* "decrypted" or why not (static text) */
	uint64_t plain_bytes;     /* application data bytes, both sides */
};

struct sift_report {
	sift_time end_ts;           /* last packet's time: "now" for outcomes */
	sift_time start_ts;         /* first packet's time (--since +N) */
	/* The calls selected (--call, --from, ...; src/call/select.h), or
	 * NULL: every call. Writers ask sift_report_shown. */
	const struct sift_selected *sel;
	struct sift_input *inputs;
	size_t ninputs;
	struct sift_summary sum;
	struct sift_calls *calls;
	struct sift_findings *findings;
	const struct sift_media *media;   /* streams */
	const struct sift_dtmf *dtmf;     /* DTMF events per call */
	const struct sift_audio *audio;   /* WAV files written, or NULL */
	struct sift_net_stats net;
	struct sift_defrag_stats defrag;
	struct sift_tcp_stats tcp;
	struct sift_tls_report *tls;      /* TLS connections, in order of end */
	size_t ntls;
	struct sift_caps caps;            /* what each cap dropped */
};

/* Is call c (a stream's or finding's call_id) in the selection? A
 * stream or finding of no call is shown only when nothing was selected. */
bool sift_report_shown(const struct sift_report *r, const struct sift_call *c);
bool sift_report_shown_id(const struct sift_report *r, const char *call_id);

enum sift_format {
	SIFT_FORMAT_TEXT = 0,
	SIFT_FORMAT_JSON,
	SIFT_FORMAT_NDJSON,
	SIFT_FORMAT_JUNIT,
	SIFT_FORMAT_HTML     /* src/report/report_html.h */
};

/* Write the report; SIFT_EIO when the stream fails, SIFT_ENOMEM when
 * memory ran out making it (what came before may have been written). In
 * NDJSON, calls that were streamed already (sift_report_ndjson_call) are
 * not repeated. */
enum sift_rc sift_report_json(const struct sift_report *r, FILE *f,
			      bool ndjson);
/* NDJSON: the header line, and one call line. */
enum sift_rc sift_report_ndjson_header(FILE *f);
enum sift_rc sift_report_ndjson_call(const struct sift_report *r,
				     const struct sift_call *c, sift_time now,
				     FILE *f);

enum sift_rc sift_report_ndjson_stream(const struct sift_report *r,
				       const struct sift_stream *s, FILE *f);
/* The NDJSON line buffer the calling thread keeps from line to line (up
 * to 1 MB), given back; the next line makes it again. A line that cannot
 * be made for want of memory is SIFT_ENOMEM, nothing written. */
void sift_report_ndjson_release(void);

/* How a text report meets a person (--time, --color, the terminal):
 * main.c fills it; a NULL one is the default (absolute times, no colour,
 * not a terminal). */
enum sift_time_mode {
	SIFT_TIME_ABS = 0,   /* UTC time of day (the date when needed) */
	SIFT_TIME_REL,       /* since the start of the call (calls: capture) */
	SIFT_TIME_DELTA      /* since the line before */
};

struct sift_text_opts {
	enum sift_time_mode time;
	bool color;          /* SGR colours for states, severities, SDP marks */
	unsigned width;      /* the terminal's columns; 0: a pipe or a file */
};

/* Text for people: the full report (analyze), the calls table, and the
 * ladder diagram of each call in the report. */
enum sift_rc sift_report_text(const struct sift_report *r, FILE *f);
enum sift_rc sift_report_calls(const struct sift_report *r, FILE *f,
			       bool invite_only,
			       const struct sift_text_opts *to);
enum sift_rc sift_report_flow(const struct sift_report *r, FILE *f,
			      const struct sift_text_opts *to);

/* DTMF: each call's digits with time, duration, direction and source. */
enum sift_rc sift_report_dtmf(const struct sift_report *r, FILE *f,
			      const struct sift_text_opts *to);

/* Lint: findings one per line as a compiler prints them, then the count
 * per severity. Unless all, a finding repeated (same rule, same message
 * but for frame numbers) is one line with its count and first frame. */
enum sift_rc sift_report_lint(const struct sift_report *r, FILE *f, bool all,
			      const struct sift_text_opts *to);

/* JUnit XML: one test case per call, failing when it has findings at or
 * above fail_on (a severity, or -1: none fails); lower ones go to the
 * test case's output. */
enum sift_rc sift_report_junit(const struct sift_report *r, FILE *f,
			       int fail_on);

/* Timestamps clamped in all inputs. */
uint64_t sift_report_ts_clamped(const struct sift_report *r);
/* At the end of input: one warning line for IP datagrams left
 * incomplete and per input with clamped timestamps; nothing when none.
 * The caps of struct sift_caps are told when first hit, by
 * sift_report_warn_cap. */
void sift_report_warn_caps(const struct sift_report *r, FILE *f);

/* One warning line: cap was hit (its limit and what is lost). */
void sift_report_warn_cap(const struct sift_report *r, enum sift_cap_id cap,
			  FILE *f);
/* The cap's key in the JSON summary ("skipped") and its words in the text
 * summary ("TCP directions evicted"). */
const char *sift_cap_key(enum sift_cap_id cap);
const char *sift_cap_words(enum sift_cap_id cap);

/* The rule catalogue (--list-rules). */
enum sift_rc sift_report_rules(FILE *f);

#endif
