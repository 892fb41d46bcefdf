/* sipsift — media's own state, shared by the files of src/media/media*.c:
 * media.c (the packet path), media_sdp.c (SDP and keys), media_stream.c
 * (the stream table), media_srtp.c (SRTP trials), media_heur.c (the RTP
 * heuristic), media_plain.c (the SDP rewrite of decrypt -w). */
#ifndef SIFT_MEDIA_INT_H
#define SIFT_MEDIA_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sipsift/media.h"
#include "media/rtpstat.h"
#include "media/rtp.h"
#include "media/srtp.h"
#include "sip/sdes.h"
#include "sip/sdp.h"
#include "util/strmap.h"


/* Slots of the endpoint and stream caches: more than the streams of a
 * busy capture. sipp at 200 calls/s keeps 3,600 streams going at once;
 * with 4,096 slots (two ways each) the stream cache missed 30,000 times
 * in 478,000 packets, with 16,384 it misses only for new streams. The
 * two caches are 1.5 MB, touched only where used. */
#define CACHE_SLOTS 16384

/* Packets of a stream tried against the candidates before giving up: a
 * wrong key costs every later packet nothing. */
#define MAX_TRIAL_PACKETS 16
/* Candidates of the RTP heuristic: direct-mapped by (src, dst, SSRC); a
 * collision forgets the older candidate, so memory is fixed. */
#define HEUR_SLOTS 1024
/* Sequence steps a candidate may take: a few packets back (reordered),
 * a hundred forward (lost). */
#define HEUR_REORDER 16
#define HEUR_GAP 100

/* ROC values tried at most (a stream whose sender wrapped its sequence
 * number before the capture saw it). */
#define MAX_ROC 8

/* Where a candidate key of a call came from. */
struct mkey_info {
	bool has_ssrc;             /* --key ADDR/SSRC */
	uint32_t ssrc;
	unsigned tag;
	struct sift_frame_ref frame;
};


/* What media keeps for one call, hung off it (SIFT_PART_MEDIA) and
 * released with it; or a pseudo-call of keys given by hand or of the RTP
 * heuristic (owner NULL), kept until the end. */
struct mcall {
	struct sift_call *owner;   /* NULL: a pseudo-call (no call) */
	size_t pos;                /* index in sift_media.callv (owner set) */
	/* Its candidate keys (SIFT_MEDIA_MAX_KEYS at most), and beside each
	 * where it came from; grown as keys come. */
	struct sift_srtp_key *keys;
	struct mkey_info *ki;
	size_t nkeys, keys_cap, ki_cap;
	sift_time first_sdp;
	struct sift_stream **sv;   /* its streams, in order of first packet */
	size_t ns, scap;
	struct endpoint **epv;     /* its endpoints */
	size_t neps, eps_cap;
	struct sift_media_sdp *sdps; /* its SDP bodies (media_facts.c) */
	size_t nsdps, sdps_cap;
	uint64_t sdps_dropped;
};

/* Why an SRTP packet is held (media_hold.c): what it counts as if no key
 * ever decrypts it. */
enum sift_held_why {
	SIFT_HELD_NO_KEY = 0,      /* its call had no key: nothing (no_key) */
	SIFT_HELD_BEFORE_KEY,      /* no key of its call worked yet: before_key */
	SIFT_HELD_AUTH             /* the stream's key failed it: auth_failures */
};

struct sift_held {
	uint8_t *p;
	uint16_t len;
	uint8_t why;               /* enum sift_held_why */
	struct sift_where w;
};

/* A stream, and what only media needs of it. */
struct mstream {
	/* What every packet to the sink reads, just before the stream's own
	 * per-packet fields (the start of s), not a kilobyte after them: on
	 * a busy capture each line a packet touches is a cache miss. */
	struct mcall *call;        /* the (pseudo-)call of its endpoint */
	struct sift_call *owner;   /* call->owner */
	/* The codec of the payload type its last packet to the sink had,
	 * as endpoint sink_ep of generation sink_gen mapped it (sink_has:
	 * a codec at all): the endpoint's map is two more misses away. */
	const struct endpoint *sink_ep;
	uint64_t sink_gen;
	int sink_pt;               /* -1: nothing kept yet */
	bool sink_has;
	bool sink_event;           /* sink_cm is telephone-event */
	struct sift_sdp_rtpmap sink_cm;
	struct sift_stream s;      /* what the reports read */
	size_t pos;                /* index in sift_media.v */
	struct sift_srtp_stream *dec;
	unsigned trials;           /* packets tried before a key was chosen */
	unsigned keys_tried;       /* the call's key count at the last give-up */
	/* Rekey (same SSRC, new keys in a re-INVITE): the call's key the
	 * stream decrypts with (-1: none yet), the failures since its last
	 * packet that decrypted (a rekey explains them), and the newer keys
	 * tried so far: packets, and the call's key count then. */
	int label;
	uint64_t fail_run;
	unsigned rekey_trials;
	unsigned rekey_keys;
	/* SRTP packets no key decrypted yet, held for a later SDP's keys
	 * (media_hold.c). */
	struct sift_held *held;
	size_t nheld, held_cap, held_bytes;
};

static inline struct mstream *ms_of(struct sift_stream *s)
{
	return (struct mstream *)(void *)((char *)s - offsetof(struct mstream, s));
}

/* A datagram flow that may be RTP: the packets seen in strict sequence
 * so far, kept to be counted once it is confirmed. */
struct heur {
	struct sift_addr src, dst;
	uint32_t ssrc;
	unsigned n;
	struct {
		struct sift_rtp_hdr h;
		struct sift_where w;
	} seen[SIFT_MEDIA_HEUR_CONFIRM];
	/* What G.711 payloads look like (media_heur.c): how often each
	 * sign-and-segment nibble came, and the bytes each packet carries
	 * beyond its samples (HEUR_EXTRA_*, or that many). */
	uint32_t nib[16];
	uint32_t g711_bytes;
	int32_t extra;
};

/* How recent the last packet to an address must be for a new call's SDP
 * to find it contested (struct endpoint): longer than a packet interval or
 * a short pause, shorter than the time a PBX leaves a port before giving
 * it to the next call. */
#define SIFT_MEDIA_CONTESTED_US (2 * SIFT_USEC)

struct endpoint {
	struct sift_addr addr;     /* its key in the map */
	struct mcall *call;
	bool rtcp;                 /* the RTCP address of its m= line */
	bool srtp;
	/* Named by this call's SDP while RTP of the call that named it before
	 * still came to it (sipp's uas answers every call with one port):
	 * a packet to it goes by its sender's address (media.c). */
	bool contested;
	sift_time last_to;         /* the last packet to it, or 0 */
	/* Its a=rtpmap entries, nmap of them, malloc'd (NULL when none): a
	 * fixed SIFT_SDP_MAX_PT array was 1.4 KB per endpoint, four
	 * endpoints a call (issue #18, memory per call). */
	struct sift_sdp_rtpmap *map;
	unsigned nmap;
	uint64_t gen;              /* sift_media.ep_gen when map was set */
	uint8_t pts[SIFT_SDP_MAX_PT];
	unsigned npts;
};

/* A slot of the endpoint cache: beside the endpoint, what each packet
 * asks of it (EPC_*), so that the packet need not read the endpoint or
 * its call, two more cache misses on a busy capture. */
enum {
	EPC_VALID = 1,
	EPC_OWNED = 2,             /* its call is a call (not a --key's) */
	EPC_CONTESTED = 4,
	EPC_RTCP = 8,
	EPC_SRTP = 16
};

struct sift_epc {
	struct sift_addr addr;
	uint8_t flags;             /* EPC_*; 0: an empty slot */
	struct endpoint *ep;       /* NULL: known to be no endpoint */
	struct mcall *call;        /* ep's */
	uint64_t gen;              /* ep's */
};

struct sift_media {
	struct sift_strmap *eps;         /* "ip:port" -> struct endpoint */
	size_t neps;
	bool oom;                        /* sift_media_oom */
	struct sift_strmap *by_key;      /* stream key -> struct sift_stream */
	struct sift_strmap *by_dir;      /* src>dst -> its latest RTP stream */
	/* Every stream kept, in order of first packet; a released one
	 * leaves a hole (NULL) until there are as many holes as streams,
	 * so that a release costs what its call owns. */
	struct sift_stream **v;
	size_t n, cap, holes;
	struct mcall **callv;            /* the calls' parts (pos) */
	size_t ncalls, calls_cap;
	struct sift_stream **nocall;     /* the streams of no call, in order */
	size_t nnocall, nocall_cap;
	uint32_t next_id;                /* stream ids, also past released ones */
	/* Every RTP packet looks up its endpoints and its stream: a small
	 * two-way cache in front of the maps keeps that off the hash and
	 * string work (slot & ~1 and its neighbour, the newest first: with
	 * one way, two streams of a few hundred that share a slot missed on
	 * every packet, 8 % of all). Cleared whenever endpoints change. */
	struct sift_epc epc[CACHE_SLOTS];
	struct {
		struct sift_addr src, dst;
		uint32_t ssrc;
		bool rtcp;
		struct sift_stream *s;
		struct mcall *call;      /* s's, without reading s */
	} stc[CACHE_SLOTS];
	struct {                         /* sift_media_hint's next packet */
		unsigned slot;           /* its stream's in stc */
		uint32_t ssrc;
		bool set;
	} hint;
	uint64_t gone_rtp, gone_srtp, gone_decrypted;  /* released streams */
	struct mcall *any;               /* --key any=...: for RTP nobody announced */
	struct endpoint any_ep;
	struct {                         /* --key ADDR:PORT=...: one pseudo-call */
		struct sift_addr addr;   /* per sender */
		struct mcall *c;
	} senders[64];
	size_t nsenders;
	sift_media_sink_fn sink;
	void *sink_ctx;
	bool sink_events_only;           /* sift_media_sink_events_only */
	bool leave;                      /* sift_media_leave_at_exit */
	bool mapped;                     /* sift_heap_big_zalloc's */
	sift_media_done_fn done;
	void *done_ctx;
	sift_media_refused_fn refused;
	void *refused_ctx;
	uint64_t keys_refused;
	struct sift_media_caps caps;     /* what a cap dropped */
	struct sift_sdp *sdp;            /* scratch for sift_media_sdp */
	/* Keys before media (media_book.c): Call-ID -> its a=crypto lines. */
	struct sift_strmap *book;
	struct book **bookv;
	size_t nbook, bookv_cap;
	size_t book_lines;
	sift_media_keys_fn keys_fn;      /* fills the book on demand */
	void *keys_ctx;
	bool keys_asked;                 /* keys_fn was called */
	size_t held_bytes;               /* of every stream's held packets */
	uint64_t held_late;              /* held packets decrypted later */
	/* RTP no SDP announced: candidates, and the senders found (endpoints
	 * by source address, of the pseudo-call heur_call). */
	bool heuristic;
	struct heur *heur;               /* HEUR_SLOTS, allocated on first use */
	struct sift_strmap *heps;
	struct endpoint **hepv;
	size_t nheps, heps_cap;
	struct mcall *heur_call;
	uint64_t ep_gen;                 /* endpoint maps set so far */
	uint32_t jb_ms;                  /* jitter buffer of new streams */
	bool series;                     /* keep each stream's series */
	uint32_t nseries;                /* series made */
	uint64_t series_dropped;         /* streams past SIFT_MEDIA_MAX_SERIES */
};

/* Map keys for addresses: hex of family, address and port. Cheaper than
 * printing the address (this runs for every RTP packet). */
#define ADDR_KEY_LEN (2 * (1 + 16 + 2) + 1)

#define STREAM_KEY_LEN (2 * ADDR_KEY_LEN + 16)
/* media_stream.c: map keys, caches and the stream table. */
char *sift_md_addr_key(const struct sift_addr *a, char *buf);
char *sift_md_stream_key(const struct sift_addr *src, const struct sift_addr *dst,
			 uint32_t ssrc, bool rtcp, char *key);
char *sift_md_dir_key(const struct sift_addr *src, const struct sift_addr *dst,
		      char *key);
/* A cache slot of an address: the address's words and the port mixed by
 * one multiply each and the product's high bits kept (a byte at a time,
 * FNV, it was 5 % of a media capture). Every RTP packet hashes its two
 * addresses once: the endpoint cache's slots, and the stream cache's
 * mixed from them. */
static inline unsigned sift_md_addr_slot(const struct sift_addr *a)
{
	const uint64_t k = 0x9e3779b97f4a7c15ULL;
	uint64_t x, y = 0;

	if (a->family == 4) {
		uint32_t v;

		memcpy(&v, a->ip, 4);
		x = v;
	} else {
		memcpy(&x, a->ip, 8);
		memcpy(&y, a->ip + 8, 8);
	}
	x = ((x ^ (y * k)) + a->port) * k;
	return (unsigned)(x >> 40) & (CACHE_SLOTS - 1);
}

/* The stream cache's slot of (src, dst, ssrc), from their addresses'. */
static inline unsigned sift_md_stc_mix(unsigned hs, unsigned hd, uint32_t ssrc)
{
	return (hs ^ (hd * 3) ^ ssrc ^ (ssrc >> 12)) & (CACHE_SLOTS - 1);
}
void sift_md_epc_forget(struct sift_media *md, const struct sift_addr *a);
unsigned sift_md_stc_slot(const struct sift_addr *src,
			  const struct sift_addr *dst, uint32_t ssrc);
/* The endpoint cache's slot for a (h: sift_md_addr_slot(a)) filled from
 * the map: a was in neither of its two entries. */
const struct sift_epc *sift_md_epc_miss(struct sift_media *md,
					const struct sift_addr *a, unsigned h);

/* The endpoint cache's slot for a (h: sift_md_addr_slot(a)), filled from
 * the map when a was not in it. The look at the two entries inline: the
 * call was 40 instructions, twice a packet, most of them the miss path's
 * frame. */
static inline const struct sift_epc *sift_md_epc_at(struct sift_media *md,
						    const struct sift_addr *a,
						    unsigned h)
{
	const struct sift_epc *e = &md->epc[h & ~1u];

	if (e[0].flags && sift_addr_eq(&e[0].addr, a))
		return &e[0];
	if (e[1].flags && sift_addr_eq(&e[1].addr, a))
		return &e[1];
	return sift_md_epc_miss(md, a, h);
}
/* e's endpoint, call, generation and flags from ep (NULL: none). */
void sift_md_epc_fill(struct sift_epc *e, struct endpoint *ep);
struct endpoint *sift_md_ep_lookup(struct sift_media *md,
				   const struct sift_addr *a);
/* x appended to *v; false at max, or when memory ran out (md->oom). */
bool sift_md_push(struct sift_media *md, void ***v, size_t *n, size_t *cap,
		  void *x, size_t max);
const struct sift_sdp_rtpmap *sift_md_codec_of(const struct endpoint *ep,
					       uint8_t pt,
					       struct sift_sdp_rtpmap *buf);
uint32_t sift_md_jitter_clock(const struct sift_sdp_rtpmap *cm);
void sift_md_stream_start(struct sift_stream *s, const struct endpoint *ep,
			  uint8_t pt);
struct sift_stream *sift_md_stream_get(struct sift_media *md,
				       const struct sift_addr *src,
				       const struct sift_addr *dst,
				       uint32_t ssrc, bool rtcp,
				       const struct endpoint *ep,
				       const struct sift_where *w);
void sift_md_rtcp_note(struct sift_media *md, struct sift_stream *rc,
		       const uint8_t *p, size_t n);
void sift_md_stream_free(struct sift_stream *s);
void sift_md_mcall_free(struct sift_media *md, struct mcall *c);

/* media_sdp.c: keys of a call, and the SDP scratch. */
void sift_md_add_keys(struct sift_media *md, struct mcall *c,
		      const struct sift_sdes *sd, const struct sift_where *w);
struct sift_sdp *sift_md_sdp_scratch(struct sift_media *md);

/* media_book.c: keys before media. */
void sift_md_book_preload(struct sift_media *md, struct mcall *c,
			  const char *call_id);
void sift_md_book_free(struct sift_media *md);

/* media_hold.c: SRTP packets held until their key comes. */
bool sift_md_hold(struct sift_media *md, struct mstream *ms, const uint8_t *p,
		  size_t n, const struct sift_where *w, enum sift_held_why why);
void sift_md_held_count(struct mstream *ms, const struct sift_held *h);
void sift_md_held_forget(struct sift_media *md, struct mstream *ms,
			 struct sift_held *h);
void sift_md_hold_give_up(struct sift_media *md, struct mstream *ms);
void sift_md_hold_free(struct mstream *ms);

/* media.c: a readable RTP packet to the sink (ep may be NULL: static
 * payload types only; gen: ep's, 0 without one). */
void sift_md_to_sink(struct sift_media *md, const struct endpoint *ep,
		     uint64_t gen, struct sift_stream *s, const uint8_t *p,
		     size_t n, const struct sift_rtp_hdr *hp,
		     const struct sift_where *w);

/* media_srtp.c: the SRTP side of a packet, and keys that came late. */
void sift_md_retry_pending(struct sift_media *md, struct mcall *c);
bool sift_md_ask_keys(struct sift_media *md, struct mcall *c, sift_time at);
bool sift_md_srtp_packet(struct sift_media *md, struct endpoint *ep,
			 struct sift_stream *s, bool rtcp, uint32_t ssrc,
			 const uint8_t *p, size_t n,
			 const struct sift_where *w, uint8_t *plain,
			 size_t *plain_len);

/* media_facts.c: what the lint rules read besides the counters. An SDP
 * kept, or past the cap counted as dropped; false: out of memory. */
bool sift_md_sdp_keep(struct mcall *c, const struct sift_sdp *sdp,
		      const struct sift_where *w);
void sift_md_sdps_free(struct mcall *c);
void sift_md_note_packet(struct sift_stream *s, const struct sift_rtp_hdr *h,
			 const struct sift_where *w);
void sift_md_rtt_sr(struct sift_stream *r, const struct sift_stream *rc,
		    uint32_t ntp_mid);
void sift_md_rtt_block(struct sift_stream *r, const struct sift_stream *rc,
		       uint32_t lsr, uint32_t dlsr);

/* media_heur.c: RTP that no SDP announced. */
struct endpoint *sift_md_heur_packet(struct sift_media *md,
				     const struct sift_addr *src,
				     const struct sift_addr *dst,
				     const uint8_t *p, size_t n,
				     const struct sift_where *w,
				     struct heur **cand);
struct heur *sift_md_heur_pending(struct sift_media *md,
				  const struct sift_addr *src,
				  const struct sift_addr *dst,
				  const uint8_t *p, size_t n, unsigned *nprev);

#endif
