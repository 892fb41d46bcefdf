/* sipsift — media: SRTP trials, keys that came late, the ROC. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "media/media_int.h"

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
		s->crypto_tag = c->ki[i].tag;
		s->sdp_frame = c->ki[i].frame;
		s->mki = c->keys[i].k.has_mki;
		ms->label = (int)i;
	}
	s->roc = sift_srtp_stream_roc(ms->dec);
	ms->fail_run = 0;
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

/* Keys given for one SSRC only come by hand (--key): a pseudo-call holds
 * few, and SDP never gives them to a call. */
#define FILT_MAX 64

/* Keys given for one SSRC only (--key ADDR/SSRC) are no candidates for
 * the others: the call's keys, or those in filt. */
static const struct sift_srtp_key *key_candidates(const struct mcall *c,
						  uint32_t ssrc,
						  struct sift_srtp_key *filt,
						  size_t *ncands)
{
	bool any_ssrc = false;

	for (size_t i = 0; i < c->nkeys; i++)
		if (c->ki[i].has_ssrc)
			any_ssrc = true;
	if (!any_ssrc || c->nkeys > FILT_MAX) {
		*ncands = c->nkeys;
		return c->keys;
	}
	*ncands = 0;
	for (size_t i = 0; i < c->nkeys; i++)
		if (!c->ki[i].has_ssrc || c->ki[i].ssrc == ssrc)
			filt[(*ncands)++] = c->keys[i];
	return filt;
}

/* sift_srtp_unprotect; memory that ran out there is the run's error
 * (sift_media_oom), not a packet that failed to decrypt. */
static enum sift_srtp_verdict unprotect(struct sift_media *md,
					struct sift_srtp_stream *dec,
					const struct sift_srtp_key *cands,
					size_t ncands, uint32_t max_roc,
					const uint8_t *in, size_t n,
					uint8_t *out, size_t *outlen)
{
	enum sift_srtp_verdict v = sift_srtp_unprotect(dec, cands, ncands,
						       max_roc, in, n, out,
						       outlen);

	if (v == SIFT_SRTP_NOMEM)
		md->oom = true;
	return v;
}

/* Rekey (RFC 4568 §7.1.4: new keys in a re-INVITE, the sender keeps its
 * SSRC, sequence numbers and ROC): packet p of stream s, whose key stopped
 * authenticating it, tried against the call's keys newer than that key,
 * with a session of its own; the one that authenticates replaces the
 * stream's. At most MAX_TRIAL_PACKETS packets per set of keys, as for a
 * stream's first key. The failures since its last good packet were the
 * new key's packets before it was found: they move to before_key. */
static bool try_rekey(struct sift_media *md, struct mstream *ms,
		      const struct mcall *c, bool rtcp, uint32_t ssrc,
		      const uint8_t *p, size_t n, const struct sift_where *w,
		      uint8_t *plain, size_t *plain_len)
{
	struct sift_srtp_key filt[FILT_MAX];
	struct sift_srtp_stream *dec;
	uint32_t roc = sift_srtp_stream_roc(ms->dec), bound;
	size_t ncands = 0;

	if (ms->label < 0 || (size_t)ms->label + 1 >= c->nkeys)
		return false;
	if (c->nkeys != ms->rekey_keys) {
		ms->rekey_keys = (unsigned)c->nkeys;
		ms->rekey_trials = 0;
	}
	if (ms->rekey_trials >= MAX_TRIAL_PACKETS)
		return false;
	ms->rekey_trials++;
	/* The newest first would be no cheaper: one trial session each. */
	for (size_t i = (size_t)ms->label + 1; i < c->nkeys && ncands < FILT_MAX; i++)
		if (!c->ki[i].has_ssrc || c->ki[i].ssrc == ssrc)
			filt[ncands++] = c->keys[i];
	if (!ncands)
		return false;
	dec = sift_srtp_stream_new(ssrc, rtcp);
	if (!dec) {
		md->oom = true;
		return false;
	}
	/* The index goes on: the ROC the stream has, or the next one. */
	bound = rtcp ? 0 : roc + 1;
	if (!rtcp && bound < max_roc_for(c, rtcp, w->ts))
		bound = max_roc_for(c, rtcp, w->ts);
	if (unprotect(md, dec, filt, ncands, bound, p, n, plain,
		      plain_len) != SIFT_SRTP_OK) {
		sift_srtp_stream_free(dec);
		*plain_len = 0;
		return false;
	}
	sift_srtp_stream_free(ms->dec);
	ms->dec = dec;
	ms->s.rekeys++;
	ms->s.auth_failures -= ms->fail_run;
	ms->s.before_key += ms->fail_run;
	ms->s.decrypted++;
	note_key(ms, c, filt, ncands);
	return true;
}

/* The endpoint a stream's codecs are read from (the SDP of its call that
 * names its receiver, or its sender), or NULL. */
static const struct endpoint *stream_ep(struct sift_media *md,
					const struct mstream *ms)
{
	const struct endpoint *ep = sift_md_ep_lookup(md, &ms->s.dst);

	if (ep && ep->call == ms->call)
		return ep;
	ep = sift_md_ep_lookup(md, &ms->s.src);
	return ep && ep->call == ms->call ? ep : NULL;
}

/* A held packet, decrypted into buf: with the stream's key, a newer key
 * of its call (rekey), or, for a stream without one, by trial. */
static bool held_unprotect(struct sift_media *md, struct mstream *ms,
			   const struct mcall *c, const struct sift_held *h,
			   uint8_t *buf, size_t *out)
{
	struct sift_stream *s = &ms->s;
	struct sift_srtp_key filt[FILT_MAX];
	const struct sift_srtp_key *cands;
	size_t ncands;

	if (ms->dec && sift_srtp_stream_key(ms->dec) >= 0) {
		if (unprotect(md, ms->dec, NULL, 0, 0, h->p, h->len, buf,
			      out) == SIFT_SRTP_OK) {
			s->decrypted++;
			return true;
		}
		return try_rekey(md, ms, c, s->rtcp, s->ssrc, h->p, h->len, &h->w,
				 buf, out);
	}
	if (!c->nkeys)
		return false;
	if (!ms->dec) {
		ms->dec = sift_srtp_stream_new(s->ssrc, s->rtcp);
		if (!ms->dec) {
			md->oom = true;
			return false;
		}
	}
	cands = key_candidates(c, s->ssrc, filt, &ncands);
	if (unprotect(md, ms->dec, cands, ncands,
		      max_roc_for(c, s->rtcp, h->w.ts), h->p, h->len,
		      buf, out) != SIFT_SRTP_OK)
		return false;
	s->decrypted++;
	note_key(ms, c, cands, ncands);
	return true;
}

/* The held packets of ms that decrypt now go to every stage, in the
 * order they came, at their own time; the others stay held (16 failed
 * tries a time, as for a first key). Held packets were written as they
 * came by decrypt -w (held_late). */
static void replay(struct sift_media *md, struct mstream *ms,
		   const struct mcall *c)
{

	uint8_t buf[SIFT_MEDIA_HOLD_PACKET_MAX];
	const struct endpoint *ep = NULL;
	size_t keep = 0;
	unsigned failed = 0;

	for (size_t k = 0; k < ms->nheld; k++) {
		struct sift_held *h = &ms->held[k];
		size_t out = 0;

		if (failed >= MAX_TRIAL_PACKETS ||
		    !held_unprotect(md, ms, c, h, buf, &out)) {
			failed++;
			ms->held[keep++] = *h;
			continue;
		}
		md->held_late++;
		if (ms->s.rtcp) {
			sift_md_rtcp_note(md, &ms->s, buf, out);
		} else if (md->sink) {
			if (!ep)
				ep = stream_ep(md, ms);
			sift_md_to_sink(md, ep, ep ? ep->gen : 0, &ms->s, buf,
					out, NULL, &h->w);
		}
		sift_md_held_forget(md, ms, h);
	}
	ms->nheld = keep;
}

/* The call's SDP brought new keys: the packets its streams held get
 * another try. */
void sift_md_retry_pending(struct sift_media *md, struct mcall *c)
{
	for (size_t i = 0; i < c->ns; i++) {
		struct mstream *ms = ms_of(c->sv[i]);

		if (ms->nheld)
			replay(md, ms, c);
	}
}

/* A packet of a stream whose key is known. */
static bool chosen_packet(struct sift_media *md, struct sift_stream *s,
			  const struct mcall *c, bool rtcp, uint32_t ssrc,
			  const uint8_t *p, size_t n,
			  const struct sift_where *w, uint8_t *plain,
			  size_t *plain_len)
{
	struct mstream *ms = ms_of(s);

	switch (unprotect(md, ms->dec, NULL, 0, 0, p, n, plain,
			  plain_len)) {
	case SIFT_SRTP_OK:
		s->decrypted++;
		s->roc = sift_srtp_stream_roc(ms->dec);
		ms->fail_run = 0;
		return true;
	case SIFT_SRTP_REPLAY:
		s->replay_drops++;
		break;
	default:
		if (try_rekey(md, ms, c, rtcp, ssrc, p, n, w, plain, plain_len)) {
			/* The new key's packets that came before it. */
			if (ms->nheld)
				replay(md, ms, c);
			return true;
		}
		/* Held for a newer key still to come; failed if none does. */
		if (!sift_md_hold(md, ms, p, n, w, SIFT_HELD_AUTH)) {
			s->auth_failures++;
			ms->fail_run++;
		}
		break;
	}
	*plain_len = 0;
	return false;
}

/* SRTP or SRTCP packet p of stream s, whose endpoint is ep: true when it
 * decrypted into plain (*plain_len bytes). */
bool sift_md_srtp_packet(struct sift_media *md, struct endpoint *ep,
			 struct sift_stream *s, bool rtcp, uint32_t ssrc,
			 const uint8_t *p, size_t n,
			 const struct sift_where *w, uint8_t *plain,
			 size_t *plain_len)
{
	struct mstream *ms = ms_of(s);
	const struct sift_srtp_key *cands;
	struct sift_srtp_key filt[FILT_MAX];
	size_t ncands;

again:
	if (!ep->call->nkeys && !sift_md_ask_keys(md, ep->call, w->ts)) {
		s->no_key = true;
		/* SRTP the heuristic found has no SDP that could bring one. */
		if (ep->call != md->heur_call)
			sift_md_hold(md, ms, p, n, w, SIFT_HELD_NO_KEY);
		return false;
	}
	/* A stream that has its key: no candidates, no trial. */
	if (ms->dec && sift_srtp_stream_key(ms->dec) >= 0)
		return chosen_packet(md, s, ep->call, rtcp, ssrc, p, n, w, plain,
				     plain_len);
	if (!ms->dec) {
		ms->dec = sift_srtp_stream_new(ssrc, rtcp);
		if (!ms->dec) {
			md->oom = true;
			return false;
		}
	}
	/* A new SDP brought keys the stream has not tried: try again. */
	if (sift_srtp_stream_key(ms->dec) < 0 && ep->call->nkeys > ms->keys_tried) {
		ms->trials = 0;
		ms->keys_tried = (unsigned)ep->call->nkeys;
	}
	if (sift_srtp_stream_key(ms->dec) < 0 && ms->trials >= MAX_TRIAL_PACKETS) {
		if (!sift_md_hold(md, ms, p, n, w, SIFT_HELD_BEFORE_KEY))
			s->auth_failures++;
		return false;
	}
	if (sift_srtp_stream_key(ms->dec) < 0)
		ms->trials++;
	cands = key_candidates(ep->call, ssrc, filt, &ncands);
	switch (unprotect(md, ms->dec, cands, ncands,
			  max_roc_for(ep->call, rtcp, w->ts), p, n,
			  plain, plain_len)) {
	case SIFT_SRTP_OK:
		break;
	case SIFT_SRTP_REPLAY:
		s->replay_drops++;
		*plain_len = 0;
		return false;
	default:
		/* Before any key works, a failure may only mean its key is in
		 * an SDP still to come (RTCP sent before the 200 OK). */
		if (sift_srtp_stream_key(ms->dec) < 0) {
			/* Once a run: the keys the capture holds further on. */
			if (sift_md_ask_keys(md, ep->call, w->ts))
				goto again;
			if (!sift_md_hold(md, ms, p, n, w, SIFT_HELD_BEFORE_KEY))
				s->before_key++;
		} else {
			s->auth_failures++;
		}
		*plain_len = 0;
		return false;
	}
	s->decrypted++;
	note_key(ms, ep->call, cands, ncands);
	/* Packets held before: with this key, before this one. */
	if (ms->nheld)
		replay(md, ms, ep->call);
	return true;
}
