/* sipsift — the pipeline: packets in, report model out. Owns the network
 * decoder, TCP reassembly, SIP framing and parsing, and the call store. */
#ifndef SIPSIFT_PIPELINE_H
#define SIPSIFT_PIPELINE_H

#include "media/audio.h"
#include "capture/capture.h"
#include "lint/lint.h"
#include "sip/sdes.h"
#include "sipsift/report.h"

#define SIFT_MAX_SIP_PORTS 32
#define SIFT_MAX_HAND_KEYS 32

/* A key given by hand: the sender (family 0: any) and the SDES key. */
struct sift_hand_key {
	struct sift_addr sender;
	bool has_ssrc;
	uint32_t ssrc;
	struct sift_sdes sd;
};

/* Gets each call as soon as it is finished (NDJSON output); the call is
 * freed afterwards. now is the capture time at which it finished. */
typedef void (*sift_call_out_fn)(void *ctx, const struct sift_report *r,
				 const struct sift_call *c, sift_time now);

/* Gets each stream of a finished call, just before it is freed. */
typedef void (*sift_stream_out_fn)(void *ctx, const struct sift_report *r,
				   const struct sift_stream *s);

/* A cap was hit for the first time (its counter went from 0): the caller
 * warns now, not at the end of input (sift_report_warn_cap). */
typedef void (*sift_cap_fn)(void *ctx, const struct sift_report *r,
			    enum sift_cap_id cap);

/* show: one SIP message as it was framed (after TCP reassembly, TLS
 * decryption, WebSocket unframing), parsed or not. */
struct sift_sip_tap {
	const uint8_t *raw;
	size_t len;
	const char *call_id;              /* NULL when none could be read */
	bool parsed;                      /* false: the parser rejected it */
	const struct sift_where *where;
	const struct sift_addr *src;
	const struct sift_addr *dst;
	enum sift_transport tp;
};
typedef void (*sift_sip_tap_fn)(void *ctx, const struct sift_sip_tap *t);

/* extract: each packet after it went through the pipeline (and after the
 * taps of the SIP messages it completed), with what the network layers
 * made of it. */
struct sift_packet_tap {
	const struct sift_packet *pkt;
	uint8_t proto;                    /* SIFT_IPPROTO_*, 0: nothing */
	struct sift_addr src;
	struct sift_addr dst;
	size_t len;                       /* transport payload bytes */
	bool reassembled;                 /* the datagram's last fragment */
	uint64_t frag_key;                /* an IP fragment: its datagram */
};
typedef void (*sift_packet_tap_fn)(void *ctx, const struct sift_packet_tap *t);

struct sift_pipeline_opts {
	const char *call_id;              /* keep only this call, or NULL */
	uint16_t sip_ports[SIFT_MAX_SIP_PORTS]; /* besides 5060 */
	size_t n_sip_ports;
	sift_call_out_fn on_call;         /* NULL: keep every call */
	void *on_call_ctx;
	sift_stream_out_fn on_stream;     /* with on_call: its streams */
	const struct sift_lint_cfg *lint; /* rules to run; NULL: all */
	const struct sift_hand_key *keys; /* --key, --keyfile */
	size_t nkeys;
	bool no_rtp_heuristic;            /* --rtp-heuristic off */
	bool inband;                      /* --inband: DTMF tones in audio */
	bool raw_sdp;                     /* --raw: keep each SDP's text */
	bool series;                      /* each RTP stream's statistics over
					   * time (the HTML report's plots) */
	bool jb_set;                      /* --jitter-buffer given: */
	uint32_t jb_ms;                   /* the quality model's buffer, ms */
	const struct sift_audio_opts *audio; /* audio: WAV files; NULL: none */
	/* --tls-keylog, --tls-key: the caller's, read by the pipeline (which
	 * adds pcapng Decryption Secrets to it); NULL: a store of its own. */
	struct sift_tls_keys *tls_keys;
	/* decrypt -w, extract --decrypt: a TLS master secret learnt from an
	 * RSA key goes into the output (a key log line in a pcapng
	 * Decryption Secrets Block) before the first packet written after
	 * it was learnt. */
	bool tls_secrets_out;
	sift_cap_fn on_cap;               /* NULL: caps are only counted */
	void *on_cap_ctx;
	/* Key-scan mode (pipeline_keys.c): only SIP messages that carry
	 * a=crypto lines are parsed, and their keys go to the media book;
	 * nothing else is counted or reported. */
	bool keyscan;
	sift_time keys_from;              /* key scan: messages from then on */
	sift_sip_tap_fn on_sip;           /* every SIP message, or NULL */
	void *on_sip_ctx;                 /* (also on_packet's) */
	sift_packet_tap_fn on_packet;     /* every packet, or NULL */
};

struct sift_pipeline;
struct sift_tls_keys;

struct sift_pipeline *sift_pipeline_new(const struct sift_pipeline_opts *o);
void sift_pipeline_free(struct sift_pipeline *pl);
/* sift_pipeline_free for a process about to exit: what is only memory is
 * left to the exit (a free for each piece of each call and stream was 3
 * to 5 % of a SIP-only run). With WAV files (-d) being written, and under
 * AddressSanitizer, all is freed. */
void sift_pipeline_free_at_exit(struct sift_pipeline *pl);
/* The merger's count of packets it could not check for a twin
 * (sift_merge_unchecked), handed over before each packet: a cap whose
 * counter lives outside the pipeline (with -j 2, on the reader's thread). */
void sift_pipeline_merge_unchecked(struct sift_pipeline *pl, uint64_t n);
/* Before sift_pipeline_finish, when sift_pipeline_free_at_exit follows
 * the report: the calls that the end of input hands to the NDJSON
 * writer, and their streams, are written as before but not freed one by
 * one, nor taken out of the maps that found them (4 % of an NDJSON run
 * on sipp's 4,000 media calls, which all end there). The same cases as
 * sift_pipeline_free_at_exit free all. */
void sift_pipeline_leave_at_exit(struct sift_pipeline *pl);

/* Registers an input file; its index is the order of calls (0, 1, ...),
 * matching sift_where.file of its packets. */
enum sift_rc sift_pipeline_input(struct sift_pipeline *pl, const char *path);
/* Records what is known about input i after reading (or failing to). */
void sift_pipeline_input_done(struct sift_pipeline *pl, uint32_t i,
			      const struct sift_capture_info *info,
			      const char *error);

/* A warning about input i that is no failure (a file cut off in its last
 * packet: everything before it was read). */
void sift_pipeline_input_warning(struct sift_pipeline *pl, uint32_t i,
				 const char *msg);

/* Before each packet: the frame after the next one, as a hint (NULL when
 * it is not known yet). What the frames to come will need is fetched into
 * the cache ahead of them (sift_media_hint); nothing a report says
 * changes. pipeline_hint.c. */
void sift_pipeline_hint(struct sift_pipeline *pl, int linktype,
			const uint8_t *p, size_t caplen);

/* Feeds one packet. Errors are counted in the report, never fatal, except
 * SIFT_ENOMEM. */
enum sift_rc sift_pipeline_packet(struct sift_pipeline *pl,
				  const struct sift_packet *pkt);

/* The SIP message that the bytes p..p+n of the next packet's data hold,
 * parsed ahead (prefetch.c), with what lint's syntax rules find in it
 * (syn, or NULL; it must live until the packet is handled): the next
 * sift_pipeline_packet takes them instead of making them again (for a
 * message its TCP framing gives, when the bytes are equal), and frees m
 * either way, so that a parse never outlives its packet's bytes. */
struct sift_sip_msg;
struct sift_syn;
void sift_pipeline_preparsed(struct sift_pipeline *pl, struct sift_sip_msg *m,
			     const struct sift_syn *syn, const uint8_t *p,
			     size_t n);

/* End of input: flushes TCP streams and pending state. */
void sift_pipeline_finish(struct sift_pipeline *pl);
/* After sift_pipeline_finish: memory ran out there, and the report would
 * miss what it could not hold (main: "out of memory", exit 5). */
bool sift_pipeline_oom(const struct sift_pipeline *pl);

/* decrypt -w: every packet from now on goes to w, SRTP decrypted (packets
 * of another link type than w's are counted, not written). SIFT_EIO from
 * sift_pipeline_packet when writing fails. */
struct sift_pcap_writer;
void sift_pipeline_set_output(struct sift_pipeline *pl,
			      struct sift_pcap_writer *w);

/* After sift_pipeline_finish: a note for stderr when TLS connections
 * could not be read (their SIP is missing from every report), in buf;
 * NULL when all were read or there were none. */
const char *sift_pipeline_tls_note(const struct sift_pipeline *pl, char *buf,
				   size_t len);
/* Finished calls and findings wait in a temporary file (util/spill.h);
 * when it could not be made or written, or reached its limit, they
 * stayed in memory: why, in buf, or NULL (pipeline_caps.c). */
const char *sift_pipeline_spill_note(const struct sift_pipeline *pl, char *buf,
				     size_t len);

/* Keys before media (pipeline_keys.c): when every path is a regular
 * file, the first SRTP packet that no key known so far decrypts makes pl
 * read their signalling from that packet's time on (with pl's call
 * filter, SIP ports and TLS keys, and the BPF filter) in a pass of its
 * own, which gives pl every SRTP key still to come; the packet is then
 * tried again. Once a run. Does nothing for standard input or a pipe.
 * paths and filter must live as long as pl. */
void sift_pipeline_keys_on_demand(struct sift_pipeline *pl,
				  const char *const *paths, size_t n,
				  const char *filter);
/* The keys a key-scan pipeline found go to pl. */
void sift_pipeline_take_keys(struct sift_pipeline *pl,
			     struct sift_pipeline *scan);
struct sift_tls_keys *sift_pipeline_tls_keys(struct sift_pipeline *pl);
/* tls_secrets_out: key log lines not written because more than 16 MiB
 * of them waited for a packet to be written. */
uint64_t sift_pipeline_tls_secrets_lost(const struct sift_pipeline *pl);

/* Report writers show only the calls in sel (NULL: all); see
 * src/call/select.h. */
struct sift_selected;
void sift_pipeline_select(struct sift_pipeline *pl,
			  const struct sift_selected *sel);

const struct sift_report *sift_pipeline_report(const struct sift_pipeline *pl);

#endif
