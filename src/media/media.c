/* sipsift — media streams announced by SDP, and their SRTP decryption. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sipsift/media.h"
#include "media/rtp.h"
#include "sip/sdes.h"
#include "sip/sdp.h"
#include "util/strmap.h"

/* Slots of the endpoint and stream caches: more than the streams of a
 * busy capture (a thousand concurrent calls). */
#define CACHE_SLOTS 4096

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

/* What media keeps for one call, hung off it (SIFT_PART_MEDIA) and
 * released with it; or a pseudo-call of keys given by hand or of the RTP
 * heuristic (owner NULL), kept until the end. */
struct mcall {
	struct sift_call *owner;   /* NULL: a pseudo-call (no call) */
	size_t pos;                /* index in sift_media.callv (owner set) */
	struct sift_srtp_key keys[SIFT_MEDIA_MAX_KEYS];
	bool has_ssrc[SIFT_MEDIA_MAX_KEYS];   /* --key ADDR/SSRC */
	uint32_t ssrc[SIFT_MEDIA_MAX_KEYS];
	unsigned tags[SIFT_MEDIA_MAX_KEYS];
	struct sift_frame_ref frames[SIFT_MEDIA_MAX_KEYS];
	size_t nkeys;
	sift_time first_sdp;
	struct sift_stream **sv;   /* its streams, in order of first packet */
	size_t ns, scap;
	struct endpoint **epv;     /* its endpoints */
	size_t neps, eps_cap;
};

/* A stream, and what only media needs of it. */
struct mstream {
	struct sift_stream s;      /* first: what the reports read */
	struct mcall *call;        /* the (pseudo-)call of its endpoint */
	size_t pos;                /* index in sift_media.v */
	struct sift_srtp_stream *dec;
	unsigned trials;           /* packets tried before a key was chosen */
	unsigned keys_tried;       /* the call's key count at the last give-up */
	/* Packets that failed before any key worked, kept (a few, small) to
	 * be tried again when the call's next SDP brings keys. */
	uint8_t *pending[4];
	uint16_t pending_len[4];
	unsigned npending;
};

static struct mstream *ms_of(struct sift_stream *s)
{
	return (struct mstream *)(void *)s;
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
};

struct endpoint {
	struct sift_addr addr;     /* its key in the map */
	struct mcall *call;
	bool rtcp;                 /* the RTCP address of its m= line */
	bool srtp;
	struct sift_sdp_rtpmap map[SIFT_SDP_MAX_PT];
	unsigned nmap;
	uint8_t pts[SIFT_SDP_MAX_PT];
	unsigned npts;
};

struct sift_media {
	struct sift_strmap *eps;         /* "ip:port" -> struct endpoint */
	size_t neps;
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
	uint64_t dropped;
	uint32_t next_id;                /* stream ids, also past released ones */
	/* Every RTP packet looks up its endpoints and its stream: a small
	 * direct-mapped cache in front of the maps keeps that off the hash
	 * and string work. Cleared whenever endpoints change (rare). */
	struct {
		struct sift_addr addr;
		struct endpoint *ep;     /* NULL: known to be no endpoint */
		bool valid;
	} epc[CACHE_SLOTS];
	struct {
		struct sift_addr src, dst;
		uint32_t ssrc;
		bool rtcp;
		struct sift_stream *s;
	} stc[CACHE_SLOTS];
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
	sift_media_done_fn done;
	void *done_ctx;
	sift_media_refused_fn refused;
	void *refused_ctx;
	uint64_t keys_refused;
	/* RTP no SDP announced: candidates, and the senders found (endpoints
	 * by source address, of the pseudo-call heur_call). */
	bool heuristic;
	struct heur *heur;               /* HEUR_SLOTS, allocated on first use */
	struct sift_strmap *heps;
	struct endpoint **hepv;
	size_t nheps, heps_cap;
	struct mcall *heur_call;
};

/* Map keys for addresses: hex of family, address and port. Cheaper than
 * printing the address (this runs for every RTP packet). */
#define ADDR_KEY_LEN (2 * (1 + 16 + 2) + 1)

static char *addr_key(const struct sift_addr *a, char *buf)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t raw[19];
	size_t n = a->family == 4 ? 4 : 16;

	raw[0] = a->family;
	memcpy(raw + 1, a->ip, n);
	raw[1 + n] = (uint8_t)(a->port >> 8);
	raw[2 + n] = (uint8_t)a->port;
	for (size_t i = 0; i < n + 3; i++) {
		buf[2 * i] = hex[raw[i] >> 4];
		buf[2 * i + 1] = hex[raw[i] & 15];
	}
	buf[2 * (n + 3)] = '\0';
	return buf;
}

#define STREAM_KEY_LEN (2 * ADDR_KEY_LEN + 16)

static char *stream_key(const struct sift_addr *src, const struct sift_addr *dst,
			uint32_t ssrc, bool rtcp, char *key)
{
	char a[ADDR_KEY_LEN], b[ADDR_KEY_LEN];

	snprintf(key, STREAM_KEY_LEN, "%s>%s/%08x/%d", addr_key(src, a),
		 addr_key(dst, b), ssrc, rtcp);
	return key;
}

/* The direction of a stream, for SSRC changes. */
static char *dir_key(const struct sift_addr *src, const struct sift_addr *dst,
		     char *key)
{
	char a[ADDR_KEY_LEN], b[ADDR_KEY_LEN];

	snprintf(key, STREAM_KEY_LEN, "%s>%s", addr_key(src, a), addr_key(dst, b));
	return key;
}

static unsigned addr_slot(const struct sift_addr *a)
{
	uint32_t h = a->port * 2654435761u;

	for (int i = 0; i < (a->family == 4 ? 4 : 16); i++)
		h = (h ^ a->ip[i]) * 16777619u;
	return h & (CACHE_SLOTS - 1);
}

static struct endpoint *ep_lookup(struct sift_media *md,
				  const struct sift_addr *a)
{
	unsigned i = addr_slot(a);
	char key[ADDR_KEY_LEN];
	struct endpoint *ep;

	if (md->epc[i].valid && sift_addr_eq(&md->epc[i].addr, a))
		return md->epc[i].ep;
	ep = sift_strmap_get(md->eps, addr_key(a, key));
	md->epc[i].addr = *a;
	md->epc[i].ep = ep;
	md->epc[i].valid = true;
	return ep;
}

static bool push(void ***v, size_t *n, size_t *cap, void *x, size_t max)
{
	if (!sift_grow((void **)v, cap, *n, sizeof(**v), max))
		return false;
	(*v)[(*n)++] = x;
	return true;
}

/* The stream cache's slot of (src, dst, ssrc). */
static unsigned stc_slot(const struct sift_addr *src, const struct sift_addr *dst,
			 uint32_t ssrc)
{
	return (addr_slot(src) ^ (addr_slot(dst) * 3) ^ ssrc ^ (ssrc >> 12)) &
	       (CACHE_SLOTS - 1);
}

struct sift_media *sift_media_new(void)
{
	struct sift_media *md = calloc(1, sizeof(*md));

	if (!md)
		return NULL;
	md->eps = sift_strmap_new();
	md->by_key = sift_strmap_new();
	md->heps = sift_strmap_new();
	md->by_dir = sift_strmap_new();
	md->heuristic = true;
	if (!md->eps || !md->by_key || !md->heps || !md->by_dir) {
		sift_media_free(md);
		return NULL;
	}
	return md;
}

void sift_media_set_heuristic(struct sift_media *md, bool on)
{
	md->heuristic = on;
}

void sift_media_set_sink(struct sift_media *md, sift_media_sink_fn fn,
			 void *ctx)
{
	md->sink = fn;
	md->sink_ctx = ctx;
}

void sift_media_set_done(struct sift_media *md, sift_media_done_fn fn,
			 void *ctx)
{
	md->done = fn;
	md->done_ctx = ctx;
}

void sift_media_set_refused(struct sift_media *md, sift_media_refused_fn fn,
			    void *ctx)
{
	md->refused = fn;
	md->refused_ctx = ctx;
}

uint64_t sift_media_keys_refused(const struct sift_media *md)
{
	return md->keys_refused;
}

static void stream_free(struct sift_stream *s);
static void mcall_free(struct sift_media *md, struct mcall *c);

void sift_media_free(struct sift_media *md)
{
	if (!md)
		return;
	/* Calls still alive keep no pointer into what goes now. */
	for (size_t i = 0; i < md->ncalls; i++) {
		md->callv[i]->owner->part[SIFT_PART_MEDIA] = NULL;
		mcall_free(md, md->callv[i]);
	}
	free(md->callv);
	for (size_t i = 0; i < md->n; i++)
		stream_free(md->v[i]);
	for (size_t i = 0; i < md->nsenders; i++)
		mcall_free(md, md->senders[i].c);
	mcall_free(md, md->any);
	for (size_t i = 0; i < md->nheps; i++)
		free(md->hepv[i]);
	mcall_free(md, md->heur_call);
	free(md->hepv);
	free(md->heur);
	sift_strmap_free(md->heps);
	sift_strmap_free(md->by_dir);
	free(md->v);
	free(md->nocall);
	sift_strmap_free(md->eps);
	sift_strmap_free(md->by_key);
	free(md);
}

/* The media part of call owner. */
static struct mcall *call_get(struct sift_media *md, struct sift_call *owner)
{
	struct mcall *c = owner->part[SIFT_PART_MEDIA];

	if (c)
		return c;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->pos = md->ncalls;
	if (!push((void ***)&md->callv, &md->ncalls, &md->calls_cap, c,
		  SIFT_CALLS_MAX)) {
		free(c);
		return NULL;
	}
	c->owner = owner;
	owner->part[SIFT_PART_MEDIA] = c;
	return c;
}

static void retry_pending(struct sift_media *md, struct mcall *c);

static void add_keys(struct mcall *c, const struct sift_sdes *sd,
		     const struct sift_where *w)
{
	for (unsigned i = 0; i < sd->nkeys; i++) {
		struct sift_srtp_key *k;
		bool dup = false;

		/* The same key again (the offer repeated in a re-INVITE):
		 * one candidate is enough. */
		for (size_t j = 0; j < c->nkeys; j++)
			if (c->keys[j].suite == sd->suite &&
			    c->keys[j].k.len == sd->keys[i].len &&
			    memcmp(c->keys[j].k.keysalt, sd->keys[i].keysalt,
				   sd->keys[i].len) == 0)
				dup = true;
		if (dup || c->nkeys >= SIFT_MEDIA_MAX_KEYS)
			continue;
		k = &c->keys[c->nkeys];
		memset(k, 0, sizeof(*k));
		k->suite = sd->suite;
		k->k = sd->keys[i];
		k->unencrypted_srtp = sd->unencrypted_srtp;
		k->unencrypted_srtcp = sd->unencrypted_srtcp;
		k->unauthenticated_srtp = sd->unauthenticated_srtp;
		k->label = (uint32_t)c->nkeys;
		c->tags[c->nkeys] = sd->tag;
		c->frames[c->nkeys].file = w->file;
		c->frames[c->nkeys].frame = w->frame;
		c->nkeys++;
	}
}

static void add_endpoint(struct sift_media *md, struct mcall *c,
			 const struct sift_sdp_media *m,
			 const struct sift_addr *a, bool rtcp, bool srtp)
{
	char key[ADDR_KEY_LEN];
	struct endpoint *ep;

	if (!a->port || !a->family)
		return;
	addr_key(a, key);
	ep = sift_strmap_get(md->eps, key);
	if (ep && ep->call != c) {
		/* The address moves to c's list. */
		struct mcall *o = ep->call;

		for (size_t i = 0; i < o->neps; i++)
			if (o->epv[i] == ep) {
				o->epv[i] = o->epv[--o->neps];
				break;
			}
		if (!push((void ***)&c->epv, &c->neps, &c->eps_cap, ep,
			  SIFT_MEDIA_MAX_ENDPOINTS)) {
			sift_strmap_del(md->eps, key);
			md->epc[addr_slot(a)].valid = false;
			md->neps--;
			free(ep);
			return;
		}
	}
	if (!ep) {
		if (md->neps >= SIFT_MEDIA_MAX_ENDPOINTS) {
			md->dropped++;
			return;
		}
		ep = calloc(1, sizeof(*ep));
		if (!ep || sift_strmap_put(md->eps, key, ep) < 0) {
			free(ep);
			return;
		}
		if (!push((void ***)&c->epv, &c->neps, &c->eps_cap, ep,
			  SIFT_MEDIA_MAX_ENDPOINTS)) {
			sift_strmap_del(md->eps, key);
			free(ep);
			return;
		}
		md->neps++;
	}
	/* Only this address's cache slot can be stale; streams keep their
	 * endpoint's call as it was when they began. */
	md->epc[addr_slot(a)].valid = false;
	/* The latest SDP for an address wins: a port reused by a later call
	 * belongs to that call. */
	ep->addr = *a;
	ep->call = c;
	ep->rtcp = rtcp;
	ep->srtp = srtp;
	ep->nmap = m->nrtpmap;
	memcpy(ep->map, m->rtpmap, sizeof(ep->map[0]) * m->nrtpmap);
	ep->npts = m->npts;
	memcpy(ep->pts, m->pts, m->npts);
}

void sift_media_sdp(struct sift_media *md, struct sift_call *call,
		    const uint8_t *body, size_t n, const struct sift_where *w)
{
	struct sift_sdp *sdp = malloc(sizeof(*sdp));
	struct mcall *c;
	size_t keys_before;

	if (!sdp)
		return;
	if (sift_sdp_parse(body, n, sdp) != SIFT_OK)
		goto done;
	c = call_get(md, call);
	if (!c)
		goto done;
	if (!c->first_sdp)
		c->first_sdp = w->ts;
	keys_before = c->nkeys;
	for (unsigned i = 0; i < sdp->nmedia; i++) {
		const struct sift_sdp_media *m = &sdp->media[i];
		bool srtp = strstr(m->proto, "SAVP") != NULL || m->ncrypto > 0;

		for (unsigned k = 0; k < m->ncrypto; k++) {
			struct sift_sdes sd;
			char why[128];

			if (sift_sdes_parse(m->crypto[k], strlen(m->crypto[k]), &sd,
					    why, sizeof(why)) == SIFT_OK) {
				add_keys(c, &sd, w);
			} else {
				md->keys_refused++;
				if (md->refused)
					md->refused(md->refused_ctx, call->call_id,
						    w, m->crypto[k], why);
			}
		}
		add_endpoint(md, c, m, &m->rtp, false, srtp);
		if (!m->rtcp_mux)
			add_endpoint(md, c, m, &m->rtcp, true, srtp);
	}
	if (c->nkeys > keys_before)
		retry_pending(md, c);
done:
	free(sdp);
}

static const struct sift_sdp_rtpmap *codec_of(const struct endpoint *ep,
					      uint8_t pt,
					      struct sift_sdp_rtpmap *buf)
{
	/* The rtpmap entries live in the endpoint; sift_sdp_codec wants a
	 * media line, and may answer with a pointer into it: copy the answer
	 * out before this frame goes. */
	for (unsigned i = 0; i < ep->nmap; i++)
		if (ep->map[i].pt == pt) {
			*buf = ep->map[i];
			return buf;
		}
	{
		struct sift_sdp_media m;
		const struct sift_sdp_rtpmap *r;

		memset(&m, 0, sizeof(m));
		r = sift_sdp_codec(&m, pt, buf);
		if (r && r != buf)
			*buf = *r;
		return r ? buf : NULL;
	}
}

/* Streams of one call (a call's part is its own), or both of no call. */
static bool same_call(const struct mstream *a, const struct mstream *b)
{
	if (!a->call->owner || !b->call->owner)
		return !a->call->owner && !b->call->owner;
	return a->call == b->call;
}

/* The clock rate jitter is measured with: an audio or video payload's.
 * Telephone-events keep their event's start timestamp over many packets
 * (RFC 4733 §2.5.1.2) and comfort noise is sent at no fixed pace
 * (RFC 3389): no sampling instants to measure transit against. */
static uint32_t jitter_clock(const struct sift_sdp_rtpmap *cm)
{
	if (!cm || strcasecmp(cm->name, "telephone-event") == 0 ||
	    strcasecmp(cm->name, "CN") == 0)
		return 0;
	return cm->rate;
}

/* An RTP stream's first payload type: its codec, and its statistics with
 * the clock jitter is measured with. */
static void stream_start(struct sift_stream *s, const struct endpoint *ep,
			 uint8_t pt)
{
	struct sift_sdp_rtpmap buf;
	const struct sift_sdp_rtpmap *cm = codec_of(ep, pt, &buf);

	s->pt = pt;
	if (cm && cm->channels > 1)
		snprintf(s->codec, sizeof(s->codec), "%s/%u/%u", cm->name,
			 cm->rate, cm->channels);
	else if (cm)
		snprintf(s->codec, sizeof(s->codec), "%s/%u", cm->name, cm->rate);
	sift_rtpstat_init(&s->rs, jitter_clock(cm));
	/* Comfort noise (RFC 3389): PT 13, or the dynamic type the SDP
	 * maps to CN (CN/16000 beside a wideband codec). */
	s->cn_pt = 13;
	for (unsigned i = 0; i < ep->nmap; i++)
		if (strcasecmp(ep->map[i].name, "CN") == 0)
			s->cn_pt = ep->map[i].pt;
}

static struct sift_stream *stream_get(struct sift_media *md,
				      const struct sift_addr *src,
				      const struct sift_addr *dst,
				      uint32_t ssrc, bool rtcp,
				      const struct endpoint *ep,
				      const struct sift_where *w)
{
	char key[STREAM_KEY_LEN];
	struct sift_stream *s;
	struct mstream *ms;
	struct mcall *c = ep->call;

	stream_key(src, dst, ssrc, rtcp, key);
	s = sift_strmap_get(md->by_key, key);
	if (s)
		return s;
	if (md->n - md->holes >= SIFT_MEDIA_MAX_STREAMS) {
		md->dropped++;
		return NULL;
	}
	ms = calloc(1, sizeof(*ms));
	if (!ms)
		return NULL;
	s = &ms->s;
	ms->call = c;
	ms->pos = md->n;
	s->call_id = c->owner ? strdup(c->owner->call_id) : NULL;
	if ((c->owner && !s->call_id) ||
	    sift_strmap_put(md->by_key, key, s) < 0)
		goto fail;
	if (!push((void ***)&md->v, &md->n, &md->cap, s, SIZE_MAX / 2))
		goto fail_key;
	/* The call's report lists its streams: kept per call, so that no
	 * report walks every stream for every call, and the call's release
	 * frees them. The streams of no call stay to the end. */
	if (c->owner ? !push((void ***)&c->sv, &c->ns, &c->scap, s,
			     SIFT_MEDIA_MAX_STREAMS) :
		       !push((void ***)&md->nocall, &md->nnocall,
			     &md->nocall_cap, s, SIFT_MEDIA_MAX_STREAMS)) {
		md->n--;
		goto fail_key;
	}
	s->id = ++md->next_id;
	s->heuristic = md->heur_call && ep->call == md->heur_call;
	/* A new SSRC on a direction that had RTP: the sender restarted its
	 * stream (a re-INVITE, a transfer, an SBC switching media). */
	if (!rtcp) {
		char dk[STREAM_KEY_LEN];
		const struct sift_stream *o;

		o = sift_strmap_get(md->by_dir, dir_key(src, dst, dk));
		if (o && same_call(ms_of((struct sift_stream *)o), ms))
			s->follows = o->id;
		sift_strmap_put(md->by_dir, dk, s);
	}
	s->ssrc = ssrc;
	s->src = *src;
	s->dst = *dst;
	s->rtcp = rtcp;
	s->srtp = ep->srtp;
	s->first_ts = w->ts;
	s->first_frame.file = w->file;
	s->first_frame.frame = w->frame;
	return s;
fail_key:
	sift_strmap_del(md->by_key, key);
fail:
	free(s->call_id);
	free(ms);
	return NULL;
}

/* What the key that authenticated says about the stream. */
static void note_key(struct mstream *ms, const struct mcall *c,
		     const struct sift_srtp_key *cands, size_t ncands)
{
	struct sift_stream *s = &ms->s;
	int k = sift_srtp_stream_key(ms->dec);

	/* label is the key's index in the call (add_keys). */
	if (k >= 0 && (size_t)k < ncands && cands[k].label < c->nkeys) {
		uint32_t i = cands[k].label;

		s->suite = c->keys[i].suite;
		s->crypto_tag = c->tags[i];
		s->sdp_frame = c->frames[i];
		s->mki = c->keys[i].k.has_mki;
	}
	s->roc = sift_srtp_stream_roc(ms->dec);
}

/* The call's SDP brought new keys: the packets its streams could not
 * decrypt before (sent before the answer that keyed them) get another
 * try. Statistics only: a decrypted capture has written them already. */
static void retry_pending(struct sift_media *md, struct mcall *c)
{
	uint8_t buf[2048];

	(void)md;
	for (size_t i = 0; i < c->ns; i++) {
		struct mstream *ms = ms_of(c->sv[i]);

		if (!ms->npending || !ms->dec || sift_srtp_stream_key(ms->dec) >= 0)
			continue;
		for (unsigned k = 0; k < ms->npending; k++) {
			size_t out = 0;

			if (sift_srtp_unprotect(ms->dec, c->keys, c->nkeys, 1,
						ms->pending[k], ms->pending_len[k],
						buf, &out) == SIFT_SRTP_OK) {
				ms->s.decrypted++;
				ms->s.before_key--;
				note_key(ms, c, c->keys, c->nkeys);
			}
			free(ms->pending[k]);
		}
		ms->npending = 0;
	}
}

static uint32_t max_roc(const struct mcall *c, sift_time now)
{
	/* 50 packets a second wrap 16 bits every 22 minutes: how many
	 * wraps can have happened since the SDP, plus one for a sender that
	 * started near 65535. */
	sift_time secs = c->first_sdp && now > c->first_sdp ?
			 (now - c->first_sdp) / SIFT_USEC : 0;
	uint64_t r = (uint64_t)secs * 50 / 65536 + 1;

	return r > MAX_ROC ? MAX_ROC : (uint32_t)r;
}

/* Keys given by hand come with no SDP time to bound the ROC: a capture
 * that starts mid-call may have seen any number of wraps. */
static uint32_t max_roc_for(const struct mcall *c, bool rtcp, sift_time now)
{
	if (rtcp)
		return 0;
	if (!c->owner)
		return MAX_ROC;
	return max_roc(c, now);
}

/* RFC 3551 §6: the static payload types in use, and the dynamic range. */
static bool heur_pt(uint8_t pt)
{
	if (pt >= 96)
		return pt <= 127;
	if (pt <= 18)
		return pt != 1 && pt != 2;
	return pt == 25 || pt == 26 || pt == 28 || (pt >= 31 && pt <= 34);
}

static struct heur *heur_slot(struct sift_media *md, const struct sift_addr *src,
			      const struct sift_addr *dst, uint32_t ssrc)
{
	return &md->heur[(addr_slot(src) ^ (addr_slot(dst) * 3) ^ ssrc ^
			  (ssrc >> 12)) & (HEUR_SLOTS - 1)];
}

static struct endpoint *heur_add(struct sift_media *md,
				 const struct sift_addr *a, bool rtcp)
{
	char key[ADDR_KEY_LEN];
	struct endpoint *ep;

	if (md->nheps >= SIFT_MEDIA_MAX_ENDPOINTS)
		return NULL;
	ep = calloc(1, sizeof(*ep));
	if (!ep)
		return NULL;
	if (sift_strmap_put(md->heps, addr_key(a, key), ep) < 0) {
		free(ep);
		return NULL;
	}
	if (!push((void ***)&md->hepv, &md->nheps, &md->heps_cap, ep,
		  SIFT_MEDIA_MAX_ENDPOINTS)) {
		sift_strmap_del(md->heps, key);
		free(ep);
		return NULL;
	}
	ep->addr = *a;
	ep->call = md->heur_call;
	ep->rtcp = rtcp;
	return ep;
}

/* RTP that no SDP announced. A flow (source, destination, SSRC) is taken
 * for RTP only after SIFT_MEDIA_HEUR_CONFIRM packets, both ports
 * unprivileged, each a well-formed RTP header with a payload type in use
 * (RFC 3551 §6) and the same SSRC, each sequence number a little after
 * the last (or a little before: reordering), the timestamp within 2^20
 * of the last and the packet within 5 s of it: random UDP matches that by
 * chance with a probability far below 2^-64. Then its
 * sender (and the next port, for its RTCP) is remembered like an SDP
 * endpoint. Returns the sender's endpoint when p confirms the flow, with
 * *cand holding the packets before it. */
static struct endpoint *heur_packet(struct sift_media *md,
				    const struct sift_addr *src,
				    const struct sift_addr *dst,
				    const uint8_t *p, size_t n,
				    const struct sift_where *w,
				    struct heur **cand)
{
	struct sift_rtp_hdr h;
	struct heur *c;
	struct endpoint *ep;

	if (src->port < 1024 || dst->port < 1024 || n < 12 ||
	    sift_rtp_parse(p, n, true, &h) != SIFT_OK || !heur_pt(h.pt))
		return NULL;
	if (!md->heur) {
		md->heur = calloc(HEUR_SLOTS, sizeof(*md->heur));
		md->heur_call = calloc(1, sizeof(*md->heur_call));
		if (!md->heur || !md->heur_call) {
			md->heuristic = false;
			return NULL;
		}
	}
	c = heur_slot(md, src, dst, h.ssrc);
	if (c->n && (c->ssrc != h.ssrc || !sift_addr_eq(&c->src, src) ||
		     !sift_addr_eq(&c->dst, dst)))
		c->n = 0;
	if (c->n) {
		const struct sift_rtp_hdr *last = &c->seen[c->n - 1].h;

		int16_t ds = (int16_t)(uint16_t)(h.seq - last->seq);
		int32_t dt = (int32_t)(h.ts - last->ts);

		if (ds < -HEUR_REORDER || ds > HEUR_GAP ||
		    dt <= -(1 << 20) || dt >= (1 << 20) ||
		    w->ts < c->seen[c->n - 1].w.ts ||
		    w->ts - c->seen[c->n - 1].w.ts > 5 * SIFT_USEC)
			c->n = 0;
	}
	if (!c->n) {
		c->src = *src;
		c->dst = *dst;
		c->ssrc = h.ssrc;
	}
	c->seen[c->n].h = h;
	c->seen[c->n].w = *w;
	/* Duplicates may come, but the sequence must move on. */
	if (++c->n < SIFT_MEDIA_HEUR_CONFIRM || c->seen[0].h.seq == h.seq)
		return NULL;
	c->n = 0;
	ep = heur_add(md, src, false);
	if (!ep)
		return NULL;
	if (src->port < 65535) {
		struct sift_addr rtcp = *src;

		rtcp.port = (uint16_t)(src->port + 1);
		if (!sift_strmap_get(md->heps, addr_key(&rtcp, (char[ADDR_KEY_LEN]){ 0 })))
			heur_add(md, &rtcp, true);
	}
	*cand = c;
	return ep;
}

/* The RTP stream of rc's call with SSRC ssrc that rc's sender sends
 * (sender info) or receives (report blocks): a B2BUA that copies SSRCs
 * from leg to leg has the same SSRC on several streams, and the reporter
 * is the one that tells them apart. RTCP comes every few seconds: a walk
 * over the call's streams is cheap enough. */
static struct sift_stream *rtp_of(struct sift_media *md,
				  const struct sift_stream *rc, uint32_t ssrc,
				  bool sends)
{
	const struct mstream *mrc = ms_of((struct sift_stream *)rc);
	struct sift_stream **v = mrc->call->owner ? mrc->call->sv : md->nocall;
	size_t n = mrc->call->owner ? mrc->call->ns : md->nnocall;

	for (size_t i = 0; i < n; i++) {
		struct sift_stream *r = v[i];

		if (!r->rtcp && r->ssrc == ssrc && same_call(ms_of(r), mrc) &&
		    sift_same_ip(sends ? &r->src : &r->dst, &rc->src))
			return r;
	}
	return NULL;
}

/* A compound RTCP packet in the clear, of RTCP stream rc: its numbers go
 * beside ours on the RTP streams it reports on. */
static void rtcp_note(struct sift_media *md, struct sift_stream *rc,
		      const uint8_t *p, size_t n)
{
	struct sift_rtcp_info ri;
	enum sift_rc rc_parse = sift_rtcp_parse(p, n, &ri);

	if (rc_parse == SIFT_EINVAL)
		return;
	if (rc_parse != SIFT_OK)
		rc->rtcp_bad++;
	if (ri.sr) {
		struct sift_stream *r = rtp_of(md, rc, ri.sender_ssrc, true);

		if (r) {
			r->peer.sender_reports++;
			r->peer.sender_packets = ri.sr_packets;
		}
	}
	for (unsigned i = 0; i < ri.nblocks; i++) {
		const struct sift_rtcp_block *b = &ri.blocks[i];
		struct sift_stream *r = rtp_of(md, rc, b->ssrc, false);

		if (!r)
			continue;
		r->peer.reports++;
		r->peer.lost = b->cum_lost;
		r->peer.fraction = b->fraction;
		if (r->rs.clock) {
			double ms = (double)b->jitter * 1000.0 / r->rs.clock;

			r->peer.jitter_known = true;
			r->peer.jitter_ms_last = ms;
			if (ms > r->peer.jitter_ms_max)
				r->peer.jitter_ms_max = ms;
		}
	}
}

/* The candidate packets of p's flow, when its sender was found by the
 * heuristic while they waited (*nprev of them); they are taken. */
static struct heur *heur_pending(struct sift_media *md,
				 const struct sift_addr *src,
				 const struct sift_addr *dst,
				 const uint8_t *p, size_t n, unsigned *nprev)
{
	struct heur *c;
	uint32_t ssrc;

	if (!md->heur || n < 12)
		return NULL;
	ssrc = sift_be32(p + 8);
	c = heur_slot(md, src, dst, ssrc);
	if (!c->n || c->ssrc != ssrc || !sift_addr_eq(&c->src, src) ||
	    !sift_addr_eq(&c->dst, dst))
		return NULL;
	*nprev = c->n;
	c->n = 0;
	return c;
}

/* Hand a readable RTP packet p (n bytes, in the clear) to the sink; hp is
 * its header when it was parsed as plain RTP already. */
static void to_sink(struct sift_media *md, const struct endpoint *ep,
		    const struct sift_stream *s, const uint8_t *p, size_t n,
		    const struct sift_rtp_hdr *hp, const struct sift_where *w)
{
	struct sift_rtp_hdr h;
	struct sift_sdp_rtpmap buf;
	struct sift_media_payload mp;

	if (hp)
		h = *hp;
	else if (sift_rtp_parse(p, n, false, &h) != SIFT_OK)
		return;
	mp.s = s;
	mp.call = ms_of((struct sift_stream *)s)->call->owner;
	mp.h = &h;
	mp.payload = p + h.hdr_len;
	mp.len = h.payload_len;
	mp.codec = codec_of(ep, h.pt, &buf);
	mp.w = w;
	md->sink(md->sink_ctx, &mp);
}

bool sift_media_packet(struct sift_media *md, const struct sift_addr *src,
		       const struct sift_addr *dst, const uint8_t *p, size_t n,
		       const struct sift_where *w, uint8_t *plain,
		       size_t *plain_len)
{
	struct endpoint *ep;
	struct sift_stream *s;
	struct mstream *ms;
	const struct sift_srtp_key *cands;
	struct sift_srtp_key filt[SIFT_MEDIA_MAX_KEYS];
	size_t ncands;
	bool rtcp;
	uint32_t ssrc;
	struct sift_rtp_hdr rh;
	struct heur *cand = NULL;
	unsigned nprev = 0;

	*plain_len = 0;
	if ((!md->neps && !md->any && !md->heuristic) || n < 8 ||
	    (p[0] >> 6) != 2)
		return false;
	ep = ep_lookup(md, src);
	/* The sender's own endpoint only when it is a --key of its own;
	 * otherwise where the packet goes (the SDP names the receiver). */
	if (ep && ep->call->owner)
		ep = NULL;
	/* An SDP endpoint names where its author receives; a --key names
	 * the sender (a key is its sender's), never the receiver. */
	if (!ep) {
		ep = ep_lookup(md, dst);
		if (ep && !ep->call->owner)
			ep = NULL;
	}
	if (!ep)
		ep = ep_lookup(md, src);
	if (!ep && md->any) {
		struct sift_rtp_hdr h;

		/* --key any: RTP that no SDP announced, by a strict look at
		 * its header; the key's authentication has the last word. */
		if (n < 12 || sift_rtp_parse(p, n, true, &h) != SIFT_OK)
			return false;
		ep = &md->any_ep;
	}
	if (!ep && md->nheps) {
		char key[ADDR_KEY_LEN];

		ep = sift_strmap_get(md->heps, addr_key(src, key));
		/* A sender found before may have begun another SSRC: what
		 * the heuristic kept of it counts too. */
		if (ep && !ep->rtcp)
			cand = heur_pending(md, src, dst, p, n, &nprev);
	}
	if (!ep && md->heuristic) {
		ep = heur_packet(md, src, dst, p, n, w, &cand);
		nprev = SIFT_MEDIA_HEUR_CONFIRM - 1;
	}
	if (!ep)
		return false;
	/* RTCP on its own port, or multiplexed (RFC 5761 §4: packet types
	 * 192-223 in the second byte are RTCP's; RTP avoids payload types
	 * 64-95 so that they never look alike). */
	rtcp = ep->rtcp || (p[1] >= 192 && p[1] <= 223);
	if (rtcp) {
		ssrc = sift_be32(p + 4);
	} else {
		if (n < 12 || sift_rtp_parse(p, n, ep->srtp, &rh) == SIFT_EINVAL)
			return false;
		ssrc = rh.ssrc;
	}
	{
		unsigned i = stc_slot(src, dst, ssrc);

		if (md->stc[i].s && md->stc[i].ssrc == ssrc &&
		    md->stc[i].rtcp == rtcp && sift_addr_eq(&md->stc[i].src, src) &&
		    sift_addr_eq(&md->stc[i].dst, dst)) {
			s = md->stc[i].s;
		} else {
			s = stream_get(md, src, dst, ssrc, rtcp, ep, w);
			if (!s)
				return true;
			md->stc[i].src = *src;
			md->stc[i].dst = *dst;
			md->stc[i].ssrc = ssrc;
			md->stc[i].rtcp = rtcp;
			md->stc[i].s = s;
		}
	}
	ms = ms_of(s);
	s->guessed = ep == &md->any_ep;
	if (cand && !s->packets && !rtcp) {
		/* The packets that made the heuristic sure count too. */
		s->first_ts = cand->seen[0].w.ts;
		s->first_frame.file = cand->seen[0].w.file;
		s->first_frame.frame = cand->seen[0].w.frame;
		stream_start(s, ep, cand->seen[0].h.pt);
		for (unsigned i = 0; i < nprev; i++) {
			sift_rtpstat_add(&s->rs, &cand->seen[i].h, cand->seen[i].w.ts);
			s->packets++;
		}
	}
	if (!s->packets && !rtcp)
		stream_start(s, ep, rh.pt);
	/* No clock for the stream's payload type yet: look again only when
	 * the payload type changes, not on every packet. */
	if (!rtcp && !s->rs.clock && s->packets && rh.pt != s->rs.pt) {
		struct sift_sdp_rtpmap buf;
		const struct sift_sdp_rtpmap *cm = codec_of(ep, rh.pt, &buf);

		if (jitter_clock(cm))
			sift_rtpstat_clock(&s->rs, cm->rate, rh.pt);
		else
			s->rs.pt = rh.pt;
	}
	if (!rtcp) {
		sift_rtpstat_add(&s->rs, &rh, w->ts);
		if (rh.pt == 13 || rh.pt == s->cn_pt)
			s->comfort_noise++;
	}
	s->packets++;
	s->last_ts = w->ts;
	if (!s->srtp) {
		if (rtcp)
			rtcp_note(md, s, p, n);
		else if (md->sink)
			to_sink(md, ep, s, p, n, &rh, w);
		return true;
	}
	/* Some stacks send RTCP in the clear inside an SRTP session (APP at
	 * the start, BYE at the end): a compound whose lengths add up to the
	 * datagram is no SRTCP and no authentication failure. */
	if (rtcp && sift_rtcp_looks(p, n, false, NULL)) {
		s->plain++;
		rtcp_note(md, s, p, n);
		return true;
	}
	if (!ep->call->nkeys) {
		s->no_key = true;
		return true;
	}
	if (!ms->dec) {
		ms->dec = sift_srtp_stream_new(ssrc, rtcp);
		if (!ms->dec)
			return true;
	}
	/* A new SDP brought keys the stream has not tried: try again. */
	if (sift_srtp_stream_key(ms->dec) < 0 && ep->call->nkeys > ms->keys_tried) {
		ms->trials = 0;
		ms->keys_tried = (unsigned)ep->call->nkeys;
	}
	if (sift_srtp_stream_key(ms->dec) < 0 && ms->trials >= MAX_TRIAL_PACKETS) {
		s->auth_failures++;
		return true;
	}
	if (sift_srtp_stream_key(ms->dec) < 0)
		ms->trials++;
	/* Keys given for one SSRC only (--key ADDR/SSRC) are no candidates
	 * for the others. */
	cands = ep->call->keys;
	ncands = ep->call->nkeys;
	for (size_t i = 0; i < ep->call->nkeys; i++)
		if (ep->call->has_ssrc[i])
			cands = NULL;
	if (!cands) {
		ncands = 0;
		for (size_t i = 0; i < ep->call->nkeys; i++)
			if (!ep->call->has_ssrc[i] || ep->call->ssrc[i] == ssrc)
				filt[ncands++] = ep->call->keys[i];
		cands = filt;
	}
	switch (sift_srtp_unprotect(ms->dec, cands, ncands,
				    max_roc_for(ep->call, rtcp, w->ts), p, n,
				    plain, plain_len)) {
	case SIFT_SRTP_OK:
		break;
	case SIFT_SRTP_REPLAY:
		s->replay_drops++;
		*plain_len = 0;
		return true;
	default:
		/* Before any key works, a failure may only mean its key is in
		 * an SDP still to come (RTCP sent before the 200 OK). */
		if (sift_srtp_stream_key(ms->dec) < 0) {
			s->before_key++;
			if (ms->npending < 4 && n <= 2048) {
				uint8_t *copy = malloc(n);

				if (copy) {
					memcpy(copy, p, n);
					ms->pending[ms->npending] = copy;
					ms->pending_len[ms->npending++] = (uint16_t)n;
				}
			}
		} else {
			s->auth_failures++;
		}
		*plain_len = 0;
		return true;
	}
	s->decrypted++;
	note_key(ms, ep->call, cands, ncands);
	if (rtcp)
		rtcp_note(md, s, plain, *plain_len);
	else if (md->sink)
		to_sink(md, ep, s, plain, *plain_len, NULL, w);
	return true;
}

bool sift_media_short_tag(const struct sift_stream *s)
{
	const struct mcall *c = ms_of((struct sift_stream *)s)->call;

	for (size_t i = 0; c->owner && i < c->nkeys; i++)
		if (c->keys[i].suite == SIFT_SUITE_AES_CM_128_HMAC_SHA1_32 ||
		    c->keys[i].suite == SIFT_SUITE_AES_192_CM_HMAC_SHA1_32 ||
		    c->keys[i].suite == SIFT_SUITE_AES_256_CM_HMAC_SHA1_32)
			return true;
	return false;
}

/* A stream is done (see sift_media_finish). */
static void settle(struct sift_stream *s)
{
	/* A guess (--key any) that never decrypted may be no SRTP at all:
	 * its counters stay as they are. No key ever worked: what failed
	 * before is what failed. */
	if (!s->srtp || (s->guessed && !s->decrypted) || s->decrypted)
		return;
	s->auth_failures += s->before_key;
	s->before_key = 0;
}

/* The holes released streams left in md->v go. */
static void compact(struct sift_media *md)
{
	size_t j = 0;

	if (!md->holes)
		return;
	for (size_t i = 0; i < md->n; i++)
		if (md->v[i]) {
			ms_of(md->v[i])->pos = j;
			md->v[j++] = md->v[i];
		}
	md->n = j;
	md->holes = 0;
}

void sift_media_finish(struct sift_media *md)
{
	compact(md);
	for (size_t i = 0; i < md->n; i++)
		settle(md->v[i]);
}

static void stream_free(struct sift_stream *s)
{
	struct mstream *ms;

	if (!s)
		return;
	ms = ms_of(s);
	for (unsigned k = 0; k < ms->npending; k++)
		free(ms->pending[k]);
	sift_srtp_stream_free(ms->dec);
	free(s->call_id);
	free(ms);
}

/* A call's part, with its endpoints (not its streams). */
static void mcall_free(struct sift_media *md, struct mcall *c)
{
	char key[ADDR_KEY_LEN];

	if (!c)
		return;
	for (size_t i = 0; i < c->neps; i++) {
		struct endpoint *ep = c->epv[i];

		md->epc[addr_slot(&ep->addr)].valid = false;
		sift_strmap_del(md->eps, addr_key(&ep->addr, key));
		md->neps--;
		free(ep);
	}
	free(c->epv);
	free(c->sv);
	free(c);
}

void sift_media_release(struct sift_media *md, struct sift_call *call)
{
	struct mcall *c = call ? call->part[SIFT_PART_MEDIA] : NULL;
	char key[STREAM_KEY_LEN];

	if (!c)
		return;
	for (size_t i = 0; i < c->ns; i++) {
		struct sift_stream *s = c->sv[i];
		struct mstream *ms = ms_of(s);
		unsigned slot = stc_slot(&s->src, &s->dst, s->ssrc);

		settle(s);
		if (md->done)
			md->done(md->done_ctx, s);
		md->gone_rtp += !s->rtcp;
		md->gone_srtp += s->srtp;
		md->gone_decrypted += s->decrypted > 0;
		if (md->stc[slot].s == s)
			md->stc[slot].s = NULL;
		sift_strmap_del(md->by_key, stream_key(&s->src, &s->dst, s->ssrc,
						       s->rtcp, key));
		if (sift_strmap_get(md->by_dir, dir_key(&s->src, &s->dst, key)) == s)
			sift_strmap_del(md->by_dir, key);
		md->v[ms->pos] = NULL;
		md->holes++;
		stream_free(s);
	}
	/* Holes go once they are half of the list: each stream is moved a
	 * bounded number of times on average. */
	if (md->holes > 64 && md->holes * 2 > md->n)
		compact(md);
	md->callv[c->pos] = md->callv[--md->ncalls];
	md->callv[c->pos]->pos = c->pos;
	call->part[SIFT_PART_MEDIA] = NULL;
	mcall_free(md, c);
}

const struct sift_stream *const *sift_media_call_streams(const struct sift_media *md,
							const struct sift_call *call,
							size_t *n)
{
	const struct mcall *c = md && call ? call->part[SIFT_PART_MEDIA] : NULL;

	*n = c ? c->ns : 0;
	return c && c->ns ? (const struct sift_stream *const *)c->sv : NULL;
}

/* The list is read in order, without holes: the media object is not
 * changed in what it means (the same streams in the same order), only in
 * how it is laid out, hence the cast. */
size_t sift_media_count(const struct sift_media *md)
{
	compact((struct sift_media *)md);
	return md->n;
}

const struct sift_stream *sift_media_get(const struct sift_media *md, size_t i)
{
	compact((struct sift_media *)md);
	return i < md->n ? md->v[i] : NULL;
}

uint64_t sift_media_rtp_streams(const struct sift_media *md)
{
	uint64_t k = md->gone_rtp;

	for (size_t i = 0; i < md->n; i++)
		k += md->v[i] && !md->v[i]->rtcp;
	return k;
}

uint64_t sift_media_srtp_streams(const struct sift_media *md)
{
	uint64_t k = md->gone_srtp;

	for (size_t i = 0; i < md->n; i++)
		k += md->v[i] && md->v[i]->srtp;
	return k;
}

uint64_t sift_media_decrypted_streams(const struct sift_media *md)
{
	uint64_t k = md->gone_decrypted;

	for (size_t i = 0; i < md->n; i++)
		k += md->v[i] && md->v[i]->decrypted > 0;
	return k;
}

static bool line_starts(const uint8_t *p, size_t n, const char *s)
{
	size_t l = strlen(s);

	return n >= l && memcmp(p, s, l) == 0;
}

size_t sift_media_plain_sip(const uint8_t *msg, size_t n, size_t body_off,
			    uint8_t *out, size_t cap)
{
	size_t o = 0, i = body_off, blen_pos = 0;
	bool changed = false;
	char num[16];
	int k;

	if (body_off > n || body_off > cap)
		return 0;
	/* The body first, into place after a header block of the same size;
	 * the headers are copied afterwards with the new Content-Length. */
	o = body_off;
	while (i < n) {
		const uint8_t *line = msg + i;
		const uint8_t *lf = memchr(line, '\n', n - i);
		size_t len = lf ? (size_t)(lf - line) + 1 : n - i;

		i += len;
		if (line_starts(line, len, "a=crypto:")) {
			changed = true;
			continue;
		}
		if (o + len > cap)
			return 0;
		if (line_starts(line, len, "m=")) {
			/* Copy with "RTP/SAVP" as "RTP/AVP". */
			for (size_t j = 0; j < len; j++) {
				if (len - j >= 8 && memcmp(line + j, "RTP/SAVP", 8) == 0) {
					memcpy(out + o, "RTP/AVP", 7);
					o += 7;
					j += 7;
					changed = true;
					continue;
				}
				out[o++] = line[j];
			}
			continue;
		}
		memcpy(out + o, line, len);
		o += len;
	}
	if (!changed)
		return 0;
	/* Headers, with Content-Length (or l) rewritten. */
	{
		size_t blen = o - body_off, h = 0, w = 0;
		uint8_t *hdr = malloc(body_off + 32);

		if (!hdr)
			return 0;
		k = snprintf(num, sizeof(num), "%zu", blen);
		while (h < body_off) {
			const uint8_t *line = msg + h;
			const uint8_t *lf = memchr(line, '\n', body_off - h);
			size_t len = lf ? (size_t)(lf - line) + 1 : body_off - h;
			size_t colon = 0;

			h += len;
			while (colon < len && line[colon] != ':')
				colon++;
			if (colon < len && ((colon == 14 && strncasecmp((const char *)line, "content-length", 14) == 0) ||
					    (colon == 1 && (line[0] == 'l' || line[0] == 'L')))) {
				memcpy(hdr + w, line, colon + 1);
				w += colon + 1;
				hdr[w++] = ' ';
				memcpy(hdr + w, num, (size_t)k);
				w += (size_t)k;
				hdr[w++] = '\r';
				hdr[w++] = '\n';
				blen_pos = w;
				continue;
			}
			memcpy(hdr + w, line, len);
			w += len;
		}
		if (!blen_pos || w + blen > cap || w > body_off + 32) {
			free(hdr);
			return 0;
		}
		memmove(out + w, out + body_off, blen);
		memcpy(out, hdr, w);
		free(hdr);
		return w + blen;
	}
}

enum sift_rc sift_media_add_key(struct sift_media *md,
				const struct sift_addr *sender, bool has_ssrc,
				uint32_t ssrc, const struct sift_sdes *sd)
{
	struct sift_where w = { 0, 0, 0 };
	struct mcall *c;
	size_t before;

	if (!sender->family) {
		if (!md->any) {
			md->any = calloc(1, sizeof(*md->any));
			if (!md->any)
				return SIFT_ENOMEM;
			md->any_ep.call = md->any;
			md->any_ep.srtp = true;
		}
		c = md->any;
	} else {
		struct sift_sdp_media m;
		struct sift_addr rtcp = *sender;

		/* One pseudo-call per sender: its keys are its own. */
		c = NULL;
		for (size_t i = 0; i < md->nsenders; i++)
			if (sift_addr_eq(&md->senders[i].addr, sender))
				c = md->senders[i].c;
		if (!c) {
			if (md->nsenders >= sizeof(md->senders) / sizeof(md->senders[0]))
				return SIFT_ELIMIT;
			c = calloc(1, sizeof(*c));
			if (!c)
				return SIFT_ENOMEM;
			md->senders[md->nsenders].addr = *sender;
			md->senders[md->nsenders++].c = c;
		}
		memset(&m, 0, sizeof(m));
		add_endpoint(md, c, &m, sender, false, true);
		rtcp.port = (uint16_t)(sender->port + 1);
		if (sender->port < 65535)
			add_endpoint(md, c, &m, &rtcp, true, true);
	}
	before = c->nkeys;
	add_keys(c, sd, &w);
	for (size_t i = before; i < c->nkeys; i++) {
		c->has_ssrc[i] = has_ssrc;
		c->ssrc[i] = ssrc;
	}
	return c->nkeys > before ? SIFT_OK : SIFT_ELIMIT;
}
