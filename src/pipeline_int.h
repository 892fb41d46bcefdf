/* The pipeline's state, shared by pipeline.c (packets in) and
 * pipeline_calls.c (what happens when a call or a stream is done); no
 * other file includes this. */
#ifndef SIFT_PIPELINE_INT_H
#define SIFT_PIPELINE_INT_H

#include "pipeline.h"
#include "lint/lint.h"
#include "net/net.h"
#include "pipeline_caps.h"

struct sift_net;
struct sift_tcp;
struct sift_sctp_reasm;
struct sift_media;
struct sift_dtmf;
struct sift_audio;
struct sift_pcap_writer;
struct sift_tls_track;
struct sift_media_payload;
struct sift_frag_hold;
struct sift_packet;
struct sift_l4;

struct sift_pipeline {
	struct sift_pipeline_opts o;
	struct sift_net *net;
	struct sift_tcp *tcp;
	struct sift_sctp_reasm *sctp;
	struct sift_media *media;
	struct sift_dtmf *dtmf;
	struct sift_audio *audio;  /* audio -d: WAV files, or NULL */
	uint8_t plain[65536];      /* a decrypted SRTP packet */
	size_t plain_len;          /* ... in the packet being handled, or 0 */
	const uint8_t *datagram;   /* the UDP payload being handled */
	bool plain_is_media;       /* plain holds decrypted media, not SIP */
	struct sift_pcap_writer *out;   /* decrypt -w */
	struct sift_frag_hold *fh; /* decrypt -w: IP fragments held */
	uint8_t frame[65536 + 256];
	struct sift_report r;
	size_t inputs_cap;
	sift_time next_expire;
	struct sift_lint_cfg lint;
	bool lint_any;                  /* a rule of lint is on */
	bool closing;              /* freeing: released streams are no news */
	struct sift_tls_track *tls; /* TCP connections read as TLS */
	size_t tls_cap;            /* of r.tls */
	bool oom;                  /* memory ran out in the packet being handled */
	uint32_t caps_warned;      /* bit per enum sift_cap_id: told on_cap */
	struct sift_caps_watch caps_watch;
	/* The hint's decodes of plain frames ahead (sift_net_decode_memo):
	 * the frame after the next is hinted before each packet, so three
	 * are live at once; four keep the index a mask. */
	struct sift_net_plain ahead[4];
	unsigned ahead_n;               /* hints so far */
	/* The next packet's SIP message, parsed ahead, and its bytes. */
	struct sift_sip_msg *pre;
	const struct sift_syn *pre_syn;
	const uint8_t *pre_p;
	size_t pre_n;
	/* Keys before media on demand (pipeline_keys.c): the inputs. */
	const char *const *key_paths;
	size_t key_npaths;
	const char *key_filter;
};

/* pipeline_calls.c: the stages' callbacks at the end of a call or a
 * stream, and for each media payload. */
void sift_pl_stream_done(void *ctx, struct sift_stream *s);
void sift_pl_crypto_refused(void *ctx, const char *call_id,
			   const struct sift_where *w, const char *crypto,
			   const char *why);
void sift_pl_audio_streams(struct sift_pipeline *pl, const struct sift_call *c);
/* A finished call's own rules (signalling, media, digits). */
void sift_pl_lint_call(struct sift_pipeline *pl, const struct sift_call *c);
struct sift_tls_report;
void sift_pl_tls_done(struct sift_pipeline *pl, const struct sift_tls_report *t,
		      unsigned ndirs);
void sift_pl_lint_dtmf(struct sift_pipeline *pl, const struct sift_call *c);
void sift_pl_call_done(void *ctx, const struct sift_call *c);
void sift_pl_release_dtmf(void *owner, struct sift_call *c);
void sift_pl_release_media(void *owner, struct sift_call *c);
void sift_pl_release_audio(void *owner, struct sift_call *c);
void sift_pl_media_payload(void *ctx, const struct sift_media_payload *mp);

/* pipeline_frags.c: decrypt -w writes a fragmented datagram whose payload
 * it rewrote as one packet. key is the frame's sift_net_frag_key (not 0).
 * SIFT_EIO when a write fails. */
enum sift_rc sift_pl_frags_write(struct sift_pipeline *pl,
				 const struct sift_packet *pkt,
				 const struct sift_l4 *l4, uint64_t key);
/* Writes the fragments held longer than their time, as they came. */
enum sift_rc sift_pl_frags_expire(struct sift_pipeline *pl, sift_time now);
/* End of input: every fragment still held is written as it came. */
enum sift_rc sift_pl_frags_flush(struct sift_pipeline *pl);
uint64_t sift_pl_frags_early(const struct sift_frag_hold *fh);
void sift_pl_frags_free(struct sift_frag_hold *fh);

/* pipeline_caps.c: the caps' counters gathered into the report, and the
 * first hit of each told (on_cap); the watch on the counters behind them
 * set up (once every stage is made: they must outlive it). */
void sift_pl_caps_poll(struct sift_pipeline *pl);
void sift_pl_caps_watch(struct sift_pipeline *pl);

/* The hint's decode of the packet being handled, if it made one
 * (pipeline_hint.c); sift_net_decode_memo checks it is that frame's. */
const struct sift_net_plain *sift_pipeline_ahead(const struct sift_pipeline *pl);

#endif
