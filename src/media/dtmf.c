/* sipsift — DTMF: RFC 4733 telephone-events and SIP INFO digits, per call
 * (see dtmf.h for the choices). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "media/codec.h"
#include "media/rtp.h"
#include "sipsift/dtmf.h"
#include "util/cursor.h"
#include "util/span.h"
#include "util/strmap.h"

const char *sift_dtmf_source_str(enum sift_dtmf_source s)
{
	switch (s) {
	case SIFT_DTMF_RFC4733:
		return "rfc4733";
	case SIFT_DTMF_SIP_INFO:
		return "sip-info";
	case SIFT_DTMF_INBAND:
		return "inband";
	}
	return "?";
}

/* RFC 4733 §3.2, Table 7: events 0-15 are the DTMF digits. */
void sift_dtmf_digit_name(unsigned ev, char out[SIFT_DTMF_DIGIT_LEN])
{
	static const char digits[] = "0123456789*#ABCD";

	if (ev < 16) {
		out[0] = digits[ev];
		out[1] = '\0';
		return;
	}
	snprintf(out, SIFT_DTMF_DIGIT_LEN, "E%u", ev & 0xffu);
}

/* The RFC 4733 decoder. */

void sift_te_init(struct sift_te_decoder *d, uint32_t clock)
{
	memset(d, 0, sizeof(*d));
	d->clock = clock ? clock : SIFT_DTMF_DEFAULT_CLOCK;
}

static void te_remember(struct sift_te_decoder *d, uint32_t ts)
{
	d->recent[d->next_recent] = ts;
	d->next_recent = (uint8_t)((d->next_recent + 1) % 4);
	if (d->nrecent < 4)
		d->nrecent++;
}

/* The open event as a report, unless it is absurdly long. */
static bool te_emit(struct sift_te_decoder *d, bool ended,
		    struct sift_dtmf_event *out, struct sift_dtmf_stats *st)
{
	uint64_t units = d->seg_units + d->dur;
	uint64_t ms = units * 1000u / d->clock;

	d->open = false;
	/* Its first segment's timestamp and its last one's: late packets of
	 * either are repeats. */
	te_remember(d, d->ts);
	if (d->seg_ts != d->ts)
		te_remember(d, d->seg_ts);
	if (ms > SIFT_DTMF_MAX_MS) {
		st->absurd++;
		return false;
	}
	memset(out, 0, sizeof(*out));
	sift_dtmf_digit_name(d->event, out->digit);
	out->source = SIFT_DTMF_RFC4733;
	out->where = d->first;
	out->duration_ms = (int64_t)ms;
	out->volume = d->volume;
	out->ended = ended;
	return true;
}

static void te_start(struct sift_te_decoder *d, const struct sift_rtp_hdr *h,
		     uint8_t ev, uint8_t vol, uint16_t dur,
		     const struct sift_where *w)
{
	d->open = true;
	d->ts = h->ts;
	d->seg_ts = h->ts;
	d->seg_units = 0;
	d->dur = dur;
	d->event = ev;
	d->volume = vol;
	d->first = *w;
}

/* A packet of an event already reported: the end packet is sent three
 * times (§2.5.1.4), and a late or repeated packet changes nothing. Only
 * the timestamps of the last few events count: a timestamp that is merely
 * older is a new event (a sender that restarted, a replayed recording). */
static bool te_recent(const struct sift_te_decoder *d, uint32_t ts)
{
	for (unsigned i = 0; i < d->nrecent; i++)
		if (d->recent[i] == ts)
			return true;
	return false;
}

void sift_te_feed(struct sift_te_decoder *d, const struct sift_rtp_hdr *h,
		  const uint8_t *p, size_t n, const struct sift_where *w,
		  struct sift_dtmf_event out[2], unsigned *nout,
		  struct sift_dtmf_stats *st)
{
	struct sift_cur cur = sift_cur_make(p, n);
	uint8_t ev, vol, evr;
	uint16_t dur;
	bool end;

	*nout = 0;
	st->packets++;
	/* RFC 4733 §2.3: event (8), E R volume (1 1 6), duration (16). */
	if (n < 4) {
		st->short_payloads++;
		return;
	}
	ev = sift_cur_u8(&cur);
	evr = sift_cur_u8(&cur);
	end = (evr & 0x80) != 0;
	vol = evr & 0x3f;
	dur = sift_cur_be16(&cur);
	if (d->open) {
		if (h->ts == d->seg_ts) {
			/* The same event again (§2.5.1.2 updates, §2.6
			 * redundancy): keep the longest duration. Some
			 * senders let the 16-bit field wrap instead of
			 * starting a segment (§2.5.1.3): a jump from near
			 * the top to near zero is a wrap, not a repeat. */
			if (d->dur >= 0xf000 && dur < 0x1000) {
				d->seg_units += 0x10000;
				d->dur = dur;
			} else if (dur > d->dur) {
				d->dur = dur;
			}
			d->volume = vol;
			if (end && te_emit(d, true, &out[0], st))
				*nout = 1;
			return;
		}
		if (ev == d->event && h->ts - d->seg_ts == 0xffffu) {
			/* §2.5.1.3: the next segment of a long event starts
			 * where the previous one ended. */
			d->seg_units += 0xffffu;
			d->seg_ts = h->ts;
			d->dur = dur;
			d->volume = vol;
			if (end && te_emit(d, true, &out[0], st))
				*nout = 1;
			return;
		}
		/* A late packet of one of its earlier segments. */
		if (ev == d->event && h->ts - d->ts < d->seg_ts - d->ts) {
			st->repeats++;
			return;
		}
		if (te_recent(d, h->ts)) {
			st->repeats++;
			return;
		}
		/* A new timestamp is a new event (§2.5.1.2): the open one
		 * lost its end packets. */
		if (te_emit(d, false, &out[*nout], st))
			(*nout)++;
	} else if (te_recent(d, h->ts)) {
		st->repeats++;
		return;
	}
	te_start(d, h, ev, vol, dur, w);
	if (end && te_emit(d, true, &out[*nout], st))
		(*nout)++;
}

bool sift_te_flush(struct sift_te_decoder *d, struct sift_dtmf_event *out,
		   struct sift_dtmf_stats *st)
{
	if (!d->open)
		return false;
	return te_emit(d, false, out, st);
}

/* SIP INFO bodies (text read as spans, util/span.h). */

/* A digit as INFO bodies write it: one of 0-9 * # A-D (any case), "!"
 * (hook flash, RFC 4733 event 16, as Cisco's dtmf-relay sends it), or an
 * event number 0-255 of at most three digits ("10" for *, "11" for #, as
 * some gateways send). */
static bool info_digit(struct sift_span v, char digit[SIFT_DTMF_DIGIT_LEN])
{
	uint32_t ev;

	if (v.n == 1) {
		uint8_t c = v.p[0];

		if (c >= 'a' && c <= 'd')
			c = (uint8_t)(c - 32);
		if (sift_is_digit(c) || c == '*' || c == '#' ||
		    (c >= 'A' && c <= 'D')) {
			digit[0] = (char)c;
			digit[1] = '\0';
			return true;
		}
		if (c == '!') {
			sift_dtmf_digit_name(16, digit);
			return true;
		}
	}
	if (v.n > 3 || !sift_span_u32(v, 255, &ev))
		return false;
	sift_dtmf_digit_name(ev, digit);
	return true;
}

/* Milliseconds, at most nine digits, at most SIFT_DTMF_MAX_MS. */
static bool info_ms(struct sift_span v, int64_t *ms)
{
	uint64_t x;

	if (v.n > 9 || !sift_span_u64(v, SIFT_DTMF_MAX_MS, &x))
		return false;
	*ms = (int64_t)x;
	return true;
}

/* application/dtmf-relay: "Signal=5" and "Duration=160" lines, in any
 * order, names in any case, other lines ignored. */
static enum sift_rc parse_relay(struct sift_span body,
				char digit[SIFT_DTMF_DIGIT_LEN],
				int64_t *duration_ms)
{
	bool have_digit = false;

	while (body.n) {
		struct sift_span line, name;

		sift_span_split(&body, '\n', &line);
		if (!sift_span_split(&line, '=', &name))
			continue;
		name = sift_span_trim_lws(name);
		line = sift_span_trim_lws(line);
		if (sift_span_ieq(name, "signal")) {
			if (!info_digit(line, digit))
				return SIFT_EINVAL;
			have_digit = true;
		} else if (sift_span_ieq(name, "duration")) {
			if (!info_ms(line, duration_ms))
				return SIFT_EINVAL;
		}
	}
	return have_digit ? SIFT_OK : SIFT_EINVAL;
}

enum sift_rc sift_dtmf_info_parse(const char *ctype, const uint8_t *body,
				  size_t n, char digit[SIFT_DTMF_DIGIT_LEN],
				  int64_t *duration_ms)
{
	*duration_ms = -1;
	digit[0] = '\0';
	if (!ctype)
		return SIFT_EUNSUPPORTED;
	if (strcasecmp(ctype, "application/dtmf-relay") == 0)
		return parse_relay(sift_span_of(body, n), digit, duration_ms);
	if (strcasecmp(ctype, "application/dtmf") == 0)
		/* One digit, alone in the body. */
		return info_digit(sift_span_trim_lws(sift_span_of(body, n)), digit) ?
		       SIFT_OK : SIFT_EINVAL;
	return SIFT_EUNSUPPORTED;
}

/* The store. */

struct dstream {
	uint32_t id;
	struct sift_addr src;
	struct sift_addr dst;
	bool te_seen;                /* telephone-events came: dec is set up */
	struct sift_te_decoder dec;
	/* In-band tones (sift_dtmf_audio): the stream's first audio codec,
	 * decoded and listened to. */
	bool ib_tried;
	enum sift_codec_kind ib_kind;
	struct sift_codec *codec;
	struct sift_tone_rx *rx;
	bool ib_open;                /* a tone is on */
	char ib_digit;
	int ib_level;
	uint64_t ib_start;           /* its first 8 kHz sample */
	struct sift_where ib_where;
};

/* What DTMF keeps for one call: hung off the call (SIFT_PART_DTMF) and
 * released with it. */
struct dcall {
	struct sift_call *owner;
	size_t pos;                  /* index in sift_dtmf.v */
	struct sift_dtmf_event *ev;
	size_t n;
	size_t cap;
	struct dstream *streams;
	size_t nstreams;
	size_t scap;
};

struct sift_dtmf {
	struct dcall **v;            /* every call's store, for the end */
	size_t n;
	size_t cap;
	uint64_t total;
	struct sift_dtmf_stats st;
	bool oom;                    /* sift_dtmf_oom */
	int16_t pcm[SIFT_CODEC_MAX_SAMPLES];   /* in-band: one packet decoded */
};

struct sift_dtmf *sift_dtmf_new(void)
{
	return calloc(1, sizeof(struct sift_dtmf));
}

static void dcall_free(struct dcall *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nstreams; i++) {
		sift_codec_free(c->streams[i].codec);
		sift_tone_rx_free(c->streams[i].rx);
	}
	if (c->owner)
		c->owner->part[SIFT_PART_DTMF] = NULL;
	free(c->ev);
	free(c->streams);
	free(c);
}

void sift_dtmf_free(struct sift_dtmf *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		dcall_free(d->v[i]);
	free(d->v);
	free(d);
}

/* The call's store; NULL when memory ran out (counted as dropped, and
 * said by sift_dtmf_oom: the sink that feeds it has no way to fail). */
static struct dcall *dcall_get(struct sift_dtmf *d, struct sift_call *owner)
{
	struct dcall *c = owner->part[SIFT_PART_DTMF];

	if (c)
		return c;
	d->st.dropped++;
	if (!sift_grow_oom((void **)&d->v, &d->cap, d->n, sizeof(*d->v),
			   SIZE_MAX / 2, &d->oom))
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c) {
		d->oom = true;
		return NULL;
	}
	c->owner = owner;
	owner->part[SIFT_PART_DTMF] = c;
	c->pos = d->n;
	d->v[d->n++] = c;
	d->st.dropped--;
	return c;
}

/* Keeps e in time order (events of several streams and INFOs interleave;
 * an event without end is completed after later ones began). */
static void add_event(struct sift_dtmf *d, struct dcall *c,
		      const struct sift_dtmf_event *e)
{
	size_t i;

	if (!sift_grow_oom((void **)&c->ev, &c->cap, c->n, sizeof(*c->ev),
			   SIFT_DTMF_MAX_PER_CALL, &d->oom)) {
		d->st.dropped++;
		return;
	}
	i = c->n;
	while (i > 0 && c->ev[i - 1].where.ts > e->where.ts)
		i--;
	memmove(&c->ev[i + 1], &c->ev[i], (c->n - i) * sizeof(*c->ev));
	c->ev[i] = *e;
	c->n++;
	d->total++;
}

static struct dstream *dstream_get(struct sift_dtmf *d, struct dcall *c,
				   uint32_t id, const struct sift_addr *src,
				   const struct sift_addr *dst, uint32_t clock)
{
	struct dstream *s;

	for (size_t i = 0; i < c->nstreams; i++)
		if (c->streams[i].id == id)
			return &c->streams[i];
	if (!sift_grow_oom((void **)&c->streams, &c->scap, c->nstreams,
			   sizeof(*c->streams), SIFT_DTMF_MAX_STREAMS, &d->oom)) {
		d->st.dropped++;
		return NULL;
	}
	s = &c->streams[c->nstreams++];
	memset(s, 0, sizeof(*s));
	s->id = id;
	s->src = *src;
	s->dst = *dst;
	sift_te_init(&s->dec, clock);
	return s;
}

static void stream_event(struct sift_dtmf *d, struct dcall *c,
			 const struct dstream *s, struct sift_dtmf_event *e)
{
	e->stream = s->id;
	e->src = s->src;
	e->dst = s->dst;
	add_event(d, c, e);
}

void sift_dtmf_rtp(struct sift_dtmf *d, struct sift_call *call,
		   uint32_t stream_id, const struct sift_addr *src,
		   const struct sift_addr *dst, uint32_t clock,
		   const struct sift_rtp_hdr *h, const uint8_t *p, size_t n,
		   const struct sift_where *w)
{
	struct sift_dtmf_event out[2];
	struct dcall *c;
	struct dstream *s;
	unsigned nout = 0;

	if (!d || !call)
		return;
	c = dcall_get(d, call);
	if (!c)
		return;
	s = dstream_get(d, c, stream_id, src, dst, clock);
	if (!s)
		return;
	if (!s->te_seen) {
		/* The stream may have begun with audio. */
		sift_te_init(&s->dec, clock);
		s->te_seen = true;
	}
	sift_te_feed(&s->dec, h, p, n, w, out, &nout, &d->st);
	for (unsigned i = 0; i < nout; i++)
		stream_event(d, c, s, &out[i]);
}

/* The tone that is on as an event (ended: its end was heard). */
static void inband_event(struct sift_dtmf *d, struct dcall *c,
			 struct dstream *s, uint64_t end, bool ended)
{
	struct sift_dtmf_event e;

	memset(&e, 0, sizeof(e));
	e.digit[0] = s->ib_digit;
	e.source = SIFT_DTMF_INBAND;
	e.where = s->ib_where;
	e.duration_ms = (int64_t)((end - s->ib_start) / 8);
	/* The level in dBm0, as RFC 4733's volume: its negation, 0..63. */
	e.volume = s->ib_level > 0 ? 0 : s->ib_level < -63 ? 63 : -s->ib_level;
	e.ended = ended;
	s->ib_open = false;
	stream_event(d, c, s, &e);
}

void sift_dtmf_audio(struct sift_dtmf *d, struct sift_call *call,
		     uint32_t stream_id, const struct sift_addr *src,
		     const struct sift_addr *dst, const char *codec,
		     uint32_t clock, unsigned channels, const uint8_t *p,
		     size_t n, const struct sift_where *w)
{
	struct sift_tone ch[SIFT_TONE_MAX];
	enum sift_codec_kind kind;
	struct dcall *c;
	struct dstream *s;
	size_t ns, nch;
	uint64_t pos0;

	if (!d || !call)
		return;
	/* Comfort noise and events are no audio to listen to: a stream that
	 * starts with CN is fixed to its first codec that is. */
	kind = sift_codec_kind(codec, clock);
	if (kind == SIFT_CODEC_UNKNOWN || kind == SIFT_CODEC_CN ||
	    kind == SIFT_CODEC_EVENT)
		return;
	c = dcall_get(d, call);
	if (!c)
		return;
	s = dstream_get(d, c, stream_id, src, dst, 0);
	if (!s)
		return;
	if (!s->ib_tried) {
		s->ib_tried = true;
		s->ib_kind = kind;
		s->codec = sift_codec_new(codec, clock, channels, &d->oom);
		if (s->codec)
			s->rx = sift_tone_rx_new(sift_codec_rate(s->codec),
						 &d->oom);
		if (!s->rx) {
			sift_codec_free(s->codec);
			s->codec = NULL;
		}
	}
	/* Listened to in its first codec only; another one is skipped. */
	if (!s->rx || kind != s->ib_kind)
		return;
	ns = sift_codec_decode(s->codec, p, n, d->pcm, SIFT_CODEC_MAX_SAMPLES);
	if (!ns)
		return;
	pos0 = sift_tone_rx_pos(s->rx);
	nch = sift_tone_rx_feed(s->rx, d->pcm, ns, ch);
	for (size_t i = 0; i < nch; i++) {
		if (s->ib_open)
			inband_event(d, c, s, ch[i].sample, ch[i].digit == 0);
		if (!ch[i].digit)
			continue;
		s->ib_open = true;
		s->ib_digit = ch[i].digit;
		s->ib_level = ch[i].level_dbm0;
		s->ib_start = ch[i].sample;
		/* When it was heard: the packet's capture time, and its place
		 * in the packet. */
		s->ib_where = *w;
		s->ib_where.ts += (sift_time)((ch[i].sample - pos0) * 125);
	}
}

void sift_dtmf_info(struct sift_dtmf *d, struct sift_call *call,
		    const char *ctype, const uint8_t *body, size_t n,
		    const char *from_tag, uint32_t cseq,
		    const struct sift_addr *src, const struct sift_addr *dst,
		    const struct sift_where *w)
{
	struct sift_dtmf_event e;
	struct dcall *c;
	enum sift_rc rc;
	uint8_t key[8 + 256];
	size_t klen = 0;

	if (!d || !call)
		return;
	memset(&e, 0, sizeof(e));
	rc = sift_dtmf_info_parse(ctype, body, n, e.digit, &e.duration_ms);
	if (rc == SIFT_EUNSUPPORTED)
		return;
	if (rc != SIFT_OK) {
		d->st.bad_info++;
		return;
	}
	c = dcall_get(d, call);
	if (!c)
		return;
	key[klen++] = (uint8_t)(cseq >> 24);
	key[klen++] = (uint8_t)(cseq >> 16);
	key[klen++] = (uint8_t)(cseq >> 8);
	key[klen++] = (uint8_t)cseq;
	for (const char *t = from_tag; t && *t && klen < sizeof(key); t++)
		key[klen++] = (uint8_t)*t;
	e.info_key = sift_hash(key, klen);
	for (size_t i = 0; i < c->n; i++) {
		if (c->ev[i].source == SIFT_DTMF_SIP_INFO &&
		    c->ev[i].info_key == e.info_key) {
			d->st.repeats++;
			return;
		}
	}
	e.source = SIFT_DTMF_SIP_INFO;
	e.where = *w;
	e.volume = -1;
	e.ended = true;
	e.src = *src;
	e.dst = *dst;
	add_event(d, c, &e);
}

static void dcall_close(struct sift_dtmf *d, struct dcall *c)
{
	for (size_t i = 0; i < c->nstreams; i++) {
		struct dstream *s = &c->streams[i];
		struct sift_dtmf_event e;

		if (s->te_seen && sift_te_flush(&s->dec, &e, &d->st))
			stream_event(d, c, s, &e);
		if (s->ib_open)
			inband_event(d, c, s, sift_tone_rx_pos(s->rx), false);
	}
}

void sift_dtmf_close(struct sift_dtmf *d, const struct sift_call *call)
{
	struct dcall *c;

	if (!d)
		return;
	if (!call) {
		for (size_t i = 0; i < d->n; i++)
			dcall_close(d, d->v[i]);
		return;
	}
	c = call->part[SIFT_PART_DTMF];
	if (c)
		dcall_close(d, c);
}

void sift_dtmf_release(struct sift_dtmf *d, struct sift_call *call)
{
	struct dcall *c;

	if (!d || !call)
		return;
	c = call->part[SIFT_PART_DTMF];
	if (!c)
		return;
	d->v[c->pos] = d->v[--d->n];
	d->v[c->pos]->pos = c->pos;
	dcall_free(c);
}

const struct sift_dtmf_event *sift_dtmf_events(const struct sift_dtmf *d,
					       const struct sift_call *call,
					       size_t *n)
{
	const struct dcall *c;

	*n = 0;
	if (!d || !call)
		return NULL;
	c = call->part[SIFT_PART_DTMF];
	if (!c || !c->n)
		return NULL;
	*n = c->n;
	return c->ev;
}

uint64_t sift_dtmf_total(const struct sift_dtmf *d)
{
	return d ? d->total : 0;
}

const struct sift_dtmf_stats *sift_dtmf_stats(const struct sift_dtmf *d)
{
	return &d->st;
}

bool sift_dtmf_oom(const struct sift_dtmf *d)
{
	return d && d->oom;
}
