/* sipsift — media: SDP endpoints and SRTP keys, from calls and from --key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "media/media_int.h"
#include "util/heap.h"

struct sift_media *sift_media_new(void)
{
	bool mapped;
	struct sift_media *md = sift_heap_big_zalloc(sizeof(*md), &mapped);

	if (!md)
		return NULL;
	md->mapped = mapped;
	md->eps = sift_strmap_new();
	md->by_key = sift_strmap_new();
	md->heps = sift_strmap_new();
	md->by_dir = sift_strmap_new();
	md->heuristic = true;
	md->jb_ms = SIFT_MEDIA_JB_MS;
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

void sift_media_sink_events_only(struct sift_media *md, bool on)
{
	md->sink_events_only = on;
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

const struct sift_media_caps *sift_media_caps(const struct sift_media *md)
{
	return &md->caps;
}

bool sift_media_oom(const struct sift_media *md)
{
	return md->oom;
}

/* One SDP at a time is read: its room is allocated once, not per body
 * (grown to the most m= lines a body had). */
struct sift_sdp *sift_md_sdp_scratch(struct sift_media *md)
{
	if (!md->sdp)
		md->sdp = calloc(1, sizeof(*md->sdp));
	return md->sdp;
}

void sift_media_free(struct sift_media *md)
{
	if (!md)
		return;
	/* Calls still alive keep no pointer into what goes now. */
	for (size_t i = 0; i < md->ncalls; i++) {
		md->callv[i]->owner->part[SIFT_PART_MEDIA] = NULL;
		sift_md_mcall_free(md, md->callv[i]);
	}
	free(md->callv);
	for (size_t i = 0; i < md->n; i++)
		sift_md_stream_free(md->v[i]);
	for (size_t i = 0; i < md->nsenders; i++)
		sift_md_mcall_free(md, md->senders[i].c);
	sift_md_mcall_free(md, md->any);
	for (size_t i = 0; i < md->nheps; i++)
		free(md->hepv[i]);
	sift_md_mcall_free(md, md->heur_call);
	free(md->hepv);
	free(md->heur);
	sift_sdp_free(md->sdp);
	free(md->sdp);
	sift_md_book_free(md);
	sift_strmap_free(md->heps);
	sift_strmap_free(md->by_dir);
	free(md->v);
	free(md->nocall);
	sift_strmap_free(md->eps);
	sift_strmap_free(md->by_key);
	sift_heap_big_free(md, sizeof(*md), md->mapped);
}

/* The media part of call owner. */
static struct mcall *call_get(struct sift_media *md, struct sift_call *owner)
{
	struct mcall *c = owner->part[SIFT_PART_MEDIA];

	if (c)
		return c;
	c = calloc(1, sizeof(*c));
	if (!c) {
		md->oom = true;
		return NULL;
	}
	c->pos = md->ncalls;
	if (!sift_md_push(md, (void ***)&md->callv, &md->ncalls, &md->calls_cap, c,
		  SIFT_CALLS_MAX)) {
		free(c);
		return NULL;
	}
	c->owner = owner;
	owner->part[SIFT_PART_MEDIA] = c;
	/* Keys before media: every key the capture holds for the call, from
	 * its first SDP on. */
	sift_md_book_preload(md, c, owner->call_id);
	return c;
}

/* The keys of one a=crypto line, as candidates of call c. The same key
 * again (the offer repeated in a re-INVITE, or a line the keys-before-
 * media book gave already) is one candidate. Past SIFT_MEDIA_MAX_KEYS the
 * newest are counted and left out: a key already there may be the one a
 * stream still to come needs, and no key is evicted for another. */
void sift_md_add_keys(struct sift_media *md, struct mcall *c,
		      const struct sift_sdes *sd, const struct sift_where *w)
{
	size_t before = c->nkeys;

	for (unsigned i = 0; i < sd->nkeys; i++) {
		struct sift_srtp_key *k;
		bool dup = false;

		for (size_t j = 0; j < c->nkeys && !dup; j++)
			dup = c->keys[j].suite == sd->suite &&
			      c->keys[j].k.len == sd->keys[i].len &&
			      memcmp(c->keys[j].k.keysalt, sd->keys[i].keysalt,
				     sd->keys[i].len) == 0;
		if (dup)
			continue;
		if (c->nkeys >= SIFT_MEDIA_MAX_KEYS) {
			md->caps.keys++;
			continue;
		}
		if (!sift_grow((void **)&c->keys, &c->keys_cap, c->nkeys,
			       sizeof(*c->keys), SIFT_MEDIA_MAX_KEYS) ||
		    !sift_grow((void **)&c->ki, &c->ki_cap, c->nkeys,
			       sizeof(*c->ki), SIFT_MEDIA_MAX_KEYS)) {
			md->oom = true;
			continue;
		}
		k = &c->keys[c->nkeys];
		memset(k, 0, sizeof(*k));
		k->suite = sd->suite;
		k->k = sd->keys[i];
		k->unencrypted_srtp = sd->unencrypted_srtp;
		k->unencrypted_srtcp = sd->unencrypted_srtcp;
		k->unauthenticated_srtp = sd->unauthenticated_srtp;
		k->label = (uint32_t)c->nkeys;
		memset(&c->ki[c->nkeys], 0, sizeof(c->ki[0]));
		c->ki[c->nkeys].tag = sd->tag;
		c->ki[c->nkeys].frame.file = w->file;
		c->ki[c->nkeys].frame.frame = w->frame;
		c->nkeys++;
	}
	/* Key-params past what one line may bring (sdes.h): counted once,
	 * when the line is new to the call (not an offer repeated). */
	if (sd->dropped && c->nkeys > before)
		md->caps.keys += sd->dropped;
}

/* now: the time of the SDP (0 for a --key's endpoint). */
static void add_endpoint(struct sift_media *md, struct mcall *c,
			 const struct sift_sdp_media *m,
			 const struct sift_addr *a, bool rtcp, bool srtp,
			 sift_time now)
{
	char key[ADDR_KEY_LEN];
	struct endpoint *ep;
	bool contested = false;

	if (!a->port || !a->family)
		return;
	sift_md_addr_key(a, key);
	ep = sift_strmap_get(md->eps, key);
	if (ep && ep->call != c) {
		/* The address moves to c's list. */
		struct mcall *o = ep->call;

		/* Packets still come to it: for o, or for calls before. */
		contested = o->owner && c->owner && ep->last_to &&
			    ep->last_to <= now &&
			    now - ep->last_to < SIFT_MEDIA_CONTESTED_US;

		for (size_t i = 0; i < o->neps; i++)
			if (o->epv[i] == ep) {
				o->epv[i] = o->epv[--o->neps];
				break;
			}
		if (!sift_md_push(md, (void ***)&c->epv, &c->neps, &c->eps_cap, ep,
			  SIFT_MEDIA_MAX_ENDPOINTS)) {
			sift_strmap_del(md->eps, key);
			sift_md_epc_forget(md, a);
			md->neps--;
			free(ep->map);
			free(ep);
			return;
		}
	}
	if (!ep) {
		if (md->neps >= SIFT_MEDIA_MAX_ENDPOINTS) {
			md->caps.endpoints++;
			return;
		}
		ep = calloc(1, sizeof(*ep));
		if (!ep || sift_strmap_put(md->eps, key, ep) < 0) {
			md->oom = true;
			free(ep);
			return;
		}
		if (!sift_md_push(md, (void ***)&c->epv, &c->neps, &c->eps_cap, ep,
			  SIFT_MEDIA_MAX_ENDPOINTS)) {
			sift_strmap_del(md->eps, key);
			free(ep);
			return;
		}
		md->neps++;
	}
	/* Only this address's cache slot can be stale; streams keep their
	 * endpoint's call as it was when they began. */
	sift_md_epc_forget(md, a);
	/* The latest SDP for an address wins: a port reused by a later call
	 * belongs to that call. */
	if (ep->call != c)
		ep->contested = contested;
	ep->addr = *a;
	ep->call = c;
	ep->rtcp = rtcp;
	ep->srtp = srtp;
	free(ep->map);
	ep->map = NULL;
	ep->nmap = 0;
	ep->gen = ++md->ep_gen;
	if (m->nrtpmap) {
		/* Out of memory: the endpoint goes on with static payload
		 * types only, and the run says so. */
		ep->map = malloc(sizeof(ep->map[0]) * m->nrtpmap);
		if (ep->map) {
			memcpy(ep->map, m->rtpmap,
			       sizeof(ep->map[0]) * m->nrtpmap);
			ep->nmap = m->nrtpmap;
		} else {
			md->oom = true;
		}
	}
	ep->npts = m->npts;
	memcpy(ep->pts, m->pts, m->npts);
}

void sift_media_sdp(struct sift_media *md, struct sift_call *call,
		    const uint8_t *body, size_t n, const struct sift_where *w)
{
	struct sift_sdp *sdp = sift_md_sdp_scratch(md);
	struct mcall *c;
	size_t keys_before;
	enum sift_rc rc;

	if (!sdp) {
		md->oom = true;
		return;
	}
	rc = sift_sdp_parse(body, n, sdp);
	if (rc == SIFT_ENOMEM)
		md->oom = true;
	if (rc != SIFT_OK)
		return;
	md->caps.sdp_items += sdp->dropped;
	c = call_get(md, call);
	if (!c)
		return;
	if (!c->first_sdp)
		c->first_sdp = w->ts;
	keys_before = c->nkeys;
	if (!sift_md_sdp_keep(c, sdp, w))
		md->oom = true;
	for (unsigned i = 0; i < sdp->nmedia; i++) {
		const struct sift_sdp_media *m = &sdp->media[i];
		bool srtp = strstr(m->proto, "SAVP") != NULL || m->ncrypto > 0;

		for (unsigned k = 0; k < m->ncrypto; k++) {
			struct sift_sdes sd;
			char why[128];

			if (sift_sdes_parse(m->crypto[k], strlen(m->crypto[k]), &sd,
					    why, sizeof(why)) == SIFT_OK) {
				sift_md_add_keys(md, c, &sd, w);
			} else {
				md->keys_refused++;
				if (md->refused)
					md->refused(md->refused_ctx, call->call_id,
						    w, m->crypto[k], why);
			}
		}
		add_endpoint(md, c, m, &m->rtp, false, srtp, w->ts);
		if (!m->rtcp_mux)
			add_endpoint(md, c, m, &m->rtcp, true, srtp, w->ts);
	}
	if (c->nkeys > keys_before)
		sift_md_retry_pending(md, c);
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
		add_endpoint(md, c, &m, sender, false, true, 0);
		rtcp.port = (uint16_t)(sender->port + 1);
		if (sender->port < 65535)
			add_endpoint(md, c, &m, &rtcp, true, true, 0);
	}
	before = c->nkeys;
	sift_md_add_keys(md, c, sd, &w);
	for (size_t i = before; i < c->nkeys; i++) {
		c->ki[i].has_ssrc = has_ssrc;
		c->ki[i].ssrc = ssrc;
	}
	return c->nkeys > before ? SIFT_OK : SIFT_ELIMIT;
}
