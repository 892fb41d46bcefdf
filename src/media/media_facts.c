/* sipsift — media: what the lint rules on media read besides the
 * counters: each SDP body of a call as it was offered or answered, the
 * payload types each stream carried and where, and the RTCP round trip
 * (RFC 3550 §6.4.1). Media keeps these; lint/lint_media*.c judges. */
#include <stdlib.h>
#include <string.h>

#include "media/media_int.h"

const char *sift_media_dir_str(enum sift_media_dir d)
{
	switch (d) {
	case SIFT_MEDIA_SENDONLY:
		return "sendonly";
	case SIFT_MEDIA_RECVONLY:
		return "recvonly";
	case SIFT_MEDIA_INACTIVE:
		return "inactive";
	case SIFT_MEDIA_SENDRECV:
	default:
		return "sendrecv";
	}
}

void sift_media_set_jitter_buffer(struct sift_media *md, uint32_t ms)
{
	md->jb_ms = ms;
}

void sift_media_keep_series(struct sift_media *md, bool on)
{
	md->series = on;
}

uint64_t sift_media_series_dropped(const struct sift_media *md)
{
	return md ? md->series_dropped : 0;
}

static enum sift_media_dir dir_of(enum sift_sdp_dir d)
{
	switch (d) {
	case SIFT_SDP_SENDONLY:
		return SIFT_MEDIA_SENDONLY;
	case SIFT_SDP_RECVONLY:
		return SIFT_MEDIA_RECVONLY;
	case SIFT_SDP_INACTIVE:
		return SIFT_MEDIA_INACTIVE;
	case SIFT_SDP_SENDRECV:
	default:
		return SIFT_MEDIA_SENDRECV;
	}
}

/* "tag SP suite SP ..." of an a=crypto value (RFC 4568 §9.1): the tag
 * and the suite as written; false when it does not start so. */
static bool crypto_head(const char *v, unsigned *tag, char *suite, size_t cap)
{
	size_t i = 0, n = 0;
	unsigned t = 0;

	while (v[i] >= '0' && v[i] <= '9' && i < 10)
		t = t * 10 + (unsigned)(v[i++] - '0');
	if (i == 0 || (v[i] != ' ' && v[i] != '\t'))
		return false;
	while (v[i] == ' ' || v[i] == '\t')
		i++;
	while (v[i] && v[i] != ' ' && v[i] != '\t' && n + 1 < cap)
		suite[n++] = v[i++];
	suite[n] = '\0';
	*tag = t;
	return n > 0;
}

static bool keep_mline(struct sift_media_mline *o, const struct sift_sdp_media *m)
{
	unsigned nf = m->npts < SIFT_MEDIA_SDP_PTS ? m->npts : SIFT_MEDIA_SDP_PTS;
	unsigned nc = m->ncrypto < SIFT_MEDIA_SDP_CRYPTO ? m->ncrypto :
							    SIFT_MEDIA_SDP_CRYPTO;

	o->fmt = nf ? calloc(nf, sizeof(*o->fmt)) : NULL;
	o->crypto = nc ? calloc(nc, sizeof(*o->crypto)) : NULL;
	if ((nf && !o->fmt) || (nc && !o->crypto))
		return false;
	memcpy(o->type, m->type, sizeof(o->type));
	o->type[sizeof(o->type) - 1] = '\0';
	memcpy(o->proto, m->proto, sizeof(o->proto));
	o->proto[sizeof(o->proto) - 1] = '\0';
	o->rtp = m->rtp;
	o->rtcp = m->rtcp;
	o->rtcp_mux = m->rtcp_mux;
	o->dir = dir_of(m->dir);
	for (unsigned i = 0; i < m->npts && o->nfmt < nf; i++) {
		struct sift_media_fmt *f = &o->fmt[o->nfmt++];
		struct sift_sdp_rtpmap buf;
		const struct sift_sdp_rtpmap *r = sift_sdp_codec(m, m->pts[i], &buf);

		f->pt = m->pts[i];
		if (r) {
			memcpy(f->name, r->name, sizeof(f->name));
			f->name[sizeof(f->name) - 1] = '\0';
			f->rate = r->rate;
			f->mapped = r != &buf;
		}
	}
	for (unsigned k = 0; k < m->ncrypto && o->ncrypto < nc; k++)
		if (crypto_head(m->crypto[k], &o->crypto[o->ncrypto].tag,
				o->crypto[o->ncrypto].suite,
				sizeof(o->crypto[0].suite)))
			o->ncrypto++;
	return true;
}

static void mlines_free(struct sift_media_mline *m, unsigned n)
{
	for (unsigned i = 0; m && i < n; i++) {
		free(m[i].fmt);
		free(m[i].crypto);
	}
	free(m);
}

bool sift_md_sdp_keep(struct mcall *c, const struct sift_sdp *sdp,
		      const struct sift_where *w)
{
	struct sift_media_sdp *d;

	if (c->nsdps >= SIFT_MEDIA_SDPS) {
		c->sdps_dropped++;
		return true;
	}
	if (!sift_grow((void **)&c->sdps, &c->sdps_cap, c->nsdps,
		       sizeof(*c->sdps), SIFT_MEDIA_SDPS)) {
		c->sdps_dropped++;
		return false;
	}
	d = &c->sdps[c->nsdps];
	memset(d, 0, sizeof(*d));
	d->where = *w;
	d->sess_version = sdp->sess_version;
	if (sdp->nmedia) {
		d->m = calloc(sdp->nmedia, sizeof(*d->m));
		if (!d->m) {
			c->sdps_dropped++;
			return false;
		}
	}
	d->nm = sdp->nmedia;
	for (unsigned i = 0; i < sdp->nmedia; i++)
		if (!keep_mline(&d->m[i], &sdp->media[i])) {
			mlines_free(d->m, sdp->nmedia);
			d->m = NULL;
			c->sdps_dropped++;
			return false;
		}
	c->nsdps++;
	return true;
}

void sift_md_sdps_free(struct mcall *c)
{
	for (size_t i = 0; i < c->nsdps; i++)
		mlines_free(c->sdps[i].m, c->sdps[i].nm);
	free(c->sdps);
	c->sdps = NULL;
	c->nsdps = c->sdps_cap = 0;
}

const struct sift_media_sdp *sift_media_call_sdps(const struct sift_media *md,
						 const struct sift_call *call,
						 size_t *n, uint64_t *dropped)
{
	const struct mcall *c = md && call ? call->part[SIFT_PART_MEDIA] : NULL;

	*n = c ? c->nsdps : 0;
	if (dropped)
		*dropped = c ? c->sdps_dropped : 0;
	return c && c->nsdps ? c->sdps : NULL;
}

void sift_md_note_packet(struct sift_stream *s, const struct sift_rtp_hdr *h,
			 const struct sift_where *w)
{
	s->last_frame.file = w->file;
	s->last_frame.frame = w->frame;
	if (!h)
		return;
	for (unsigned i = 0; i < s->npts; i++)
		if (s->pts[i].pt == h->pt) {
			s->pts[i].packets++;
			return;
		}
	if (s->npts >= SIFT_STREAM_PTS) {
		s->pts_dropped++;
		return;
	}
	s->pts[s->npts].pt = h->pt;
	s->pts[s->npts].packets = 1;
	s->pts[s->npts].first.file = w->file;
	s->pts[s->npts].first.frame = w->frame;
	s->npts++;
}

/* An SR of r's sender (capture time and frame of the RTCP stream rc's
 * latest packet): kept for the round trip of later reports. */
void sift_md_rtt_sr(struct sift_stream *r, const struct sift_stream *rc,
		    uint32_t ntp_mid)
{
	unsigned i = r->next_sr;

	r->sr_seen[i].ntp_mid = ntp_mid;
	r->sr_seen[i].ts = rc->last_ts;
	r->sr_seen[i].frame = rc->last_frame;
	r->next_sr = (uint8_t)((i + 1) % 4);
	if (r->nsr_seen < 4)
		r->nsr_seen++;
}

/* A round trip longer than this is no network's: a capture whose clock
 * jumped, or an LSR that matches by chance. */
#define RTT_MAX_MS 10000.0

/* A report block about r (in RTCP stream rc's latest packet): with an
 * LSR the capture saw go by, a round trip (RFC 3550 §6.4.1, Figure 2):
 * the report's capture time less the SR's, less DLSR. It is the round
 * trip between the capture point and the SR's sender: captured beside
 * the receiver it is near 0, and DLSR's 1/65536 s steps can make it a
 * little negative (taken as 0); more than 1 ms below 0, or more than
 * RTT_MAX_MS, is no sample. */
void sift_md_rtt_block(struct sift_stream *r, const struct sift_stream *rc,
		       uint32_t lsr, uint32_t dlsr)
{
	double ms;

	if (!lsr)
		return;
	for (unsigned i = 0; i < r->nsr_seen; i++) {
		if (r->sr_seen[i].ntp_mid != lsr)
			continue;
		ms = (double)(rc->last_ts - r->sr_seen[i].ts) / 1000.0 -
		     (double)dlsr * 1000.0 / 65536.0;
		if (ms < -1.0 || ms > RTT_MAX_MS)
			return;
		if (ms < 0)
			ms = 0;
		if (!r->rtt.samples || ms < r->rtt.min_ms)
			r->rtt.min_ms = ms;
		if (ms > r->rtt.max_ms)
			r->rtt.max_ms = ms;
		r->rtt.last_ms = ms;
		r->rtt.sum_ms += ms;
		r->rtt.samples++;
		r->rtt.frame = rc->last_frame;
		return;
	}
}
