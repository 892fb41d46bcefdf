/* sipsift — audio export: placement of decoded RTP by timestamp, and the
 * per-direction and stereo WAV files of each call (audio.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "media/audio.h"
#include "media/audio_int.h"
#include "media/rtp.h"
#include "media/wav.h"
#include "sip/sdp.h"
#include "util/htab.h"
#include "util/strmap.h"

#define MAX_DIRS 8                 /* directions per call with a file */
#define MAX_NOTES 100
#define USER_LEN 24                /* characters of a user part in a name */
/* A call with no audio for this long (capture time) has its files
 * finished, so that a long capture does not keep a file open per call
 * until its end; audio that comes later goes to new "-partN" files. */
#define CALL_IDLE (120 * SIFT_USEC)
/* Capture time after a call's start that a packet is placed at, at most:
 * a week (a stamp past that is damage, not audio to wait for). */
#define MAX_CAP_US (7 * 24 * 3600 * SIFT_USEC)
/* Files, stream records and streams of a direction kept at once: the
 * hard cap of every growing list here. */
#define AUDIO_MAX_ITEMS 1000000
#define NOTE_UNMAPPED "payload type with no rtpmap: not decoded"
#define EXPIRE_EVERY SIFT_USEC

/* ---- files -------------------------------------------------------- */

struct dir {
	struct acall *call;
	struct sift_addr src, dst;
	int role;                  /* 0 caller, 1 callee, 2.. others */
	int ch;                    /* stereo channel, or -1 */
	char codec[64];
	bool unsupported;
	bool have_track;
	struct sift_track *t;
	char path[NAME_LEN];
	struct sift_wav *wav;
	bool failed;
	bool opened;       /* its mono file was created */
	unsigned rate;             /* of the mono file */
	struct rsmp mono_rs;
	struct rsmp st_rs;
	bool st_started;
	int64_t st_pos;
	struct rec **recs;         /* its streams' records (they point at it) */
	size_t nrecs, recs_cap;
	/* G.711 is judged on its first bytes before any is decoded: sound,
	 * or ciphertext that must not become a file of noise. */
	struct sift_sniff *sn;     /* its packets while it is judged */
	bool judged;
	bool random;               /* ciphertext: nothing of it is written */
};

#define NOTE_RANDOM "payload looks encrypted: not decoded"

/* What audio keeps for one call hangs off the call (SIFT_PART_AUDIO) and
 * is released with it (sift_audio_release): the records of its streams,
 * its files while they are open, and how many sets of files it had (idle
 * expiry). The streams of no call have one such owner in sift_audio, kept
 * to the end. */
struct apart {
	struct sift_lnode ln;      /* in sift_audio.parts */
	struct sift_call *owner;   /* NULL: the streams of no call */
	struct rec *recs;          /* its streams' records, newest first */
	struct acall *open;        /* its files, while they are open */
	unsigned sets;             /* sets of files made so far */
};

/* The files of a call (or an address pair of no call) while they are open. */
struct acall {
	struct sift_lnode ln;      /* in sift_audio.open, oldest first */
	struct apart *part;        /* NULL: streams of no call, ... */
	char *key;                 /* ... in sift_audio.nocall by this key */
	uint32_t index;
	char base[PATH_LEN];
	sift_time t0;
	sift_time last_ts;
	bool have_caller;
	struct sift_addr caller;
	struct dir *dirs[MAX_DIRS];
	unsigned ndirs;
	bool roles[2];
	struct stereo st;
};

/* A stream's record: on its owner's list, and found by stream id through
 * sift_audio.by_id (the reports ask by id). */
struct rec {
	struct sift_hnode hn;      /* in sift_audio.by_id */
	struct rec *next;          /* its owner's next record */
	uint32_t id;
	struct dir *d;     /* while its call is open */
	char *wav;         /* after */
	char *note;
};

struct sift_audio {
	struct sift_audio_opts o;
	struct sift_list open;     /* acalls with open files, oldest first */
	struct sift_strmap *nocall; /* address pair -> acall of no call */
	struct sift_list parts;    /* every apart of a call, for the end */
	struct apart nocall_part;  /* the records of streams of no call */
	struct sift_htab by_id;    /* every record, by stream id */
	struct sift_audio_file *files;
	size_t nfiles, files_cap;
	char *notes[MAX_NOTES];
	size_t nnotes;
	uint64_t notes_dropped;
	bool notes_srtp;   /* some note says SRTP, not a codec */
	char err[NAME_LEN + 300];
	bool failed;
	bool oom;          /* sift_audio_oom */
	uint32_t nocall_sets;  /* numbers the file sets of no call */
	sift_time next_expire;
};

void sift_audio_fail(struct sift_audio *a, const char *path, const char *why,
		     enum sift_rc rc)
{
	if (!a->failed)
		snprintf(a->err, sizeof(a->err), "%s: %s", path, why);
	a->failed = true;
	a->oom = a->oom || rc == SIFT_ENOMEM;
}

static void add_note(struct sift_audio *a, const char *msg)
{
	if (a->nnotes >= MAX_NOTES) {
		a->notes_dropped++;
		return;
	}
	a->notes[a->nnotes] = sift_audio_dup(&a->oom, msg);
	if (a->notes[a->nnotes])
		a->nnotes++;
}

void sift_audio_add_file(struct sift_audio *a, const char *path, unsigned rate,
			 unsigned channels, uint64_t frames, uint32_t index,
		     const char *what)
{
	struct sift_audio_file *f;

	if (!sift_grow_oom((void **)&a->files, &a->files_cap, a->nfiles,
			   sizeof(*f), AUDIO_MAX_ITEMS, &a->oom))
		return;
	f = &a->files[a->nfiles];
	f->path = sift_audio_dup(&a->oom, path);
	if (!f->path)
		return;
	f->rate = rate;
	f->channels = channels;
	f->frames = frames;
	f->call_index = index;
	snprintf(f->what, sizeof(f->what), "%s", what);
	a->nfiles++;
}

static uint32_t id_hash(uint32_t id)
{
	uint8_t b[4] = { (uint8_t)id, (uint8_t)(id >> 8), (uint8_t)(id >> 16),
			 (uint8_t)(id >> 24) };

	return sift_fnv1a(SIFT_FNV_INIT, b, sizeof(b));
}

static struct rec *rec_find(const struct sift_audio *a, uint32_t id)
{
	uint32_t h = id_hash(id);

	for (struct sift_hnode *e = sift_htab_chain(&a->by_id, h); e; e = e->next) {
		struct rec *r = sift_container_of(e, struct rec, hn);

		if (e->hash == h && r->id == id)
			return r;
	}
	return NULL;
}

/* The record of stream id, made on the list of pt (its call's) at first. */
static struct rec *rec_get(struct sift_audio *a, uint32_t id, struct apart *pt)
{
	struct rec *r = rec_find(a, id);

	if (r)
		return r;
	if (sift_htab_full(&a->by_id))
		return NULL;
	r = sift_audio_zalloc(&a->oom, sizeof(*r));
	if (!r)
		return NULL;
	r->id = id;
	r->next = pt->recs;
	pt->recs = r;
	sift_htab_add(&a->by_id, &r->hn, id_hash(id));
	return r;
}

/* Frees the records of pt: each leaves the index by its own node. */
static void recs_free(struct sift_audio *a, struct apart *pt)
{
	struct rec *r = pt->recs;

	while (r) {
		struct rec *next = r->next;

		sift_htab_del(&a->by_id, &r->hn);
		free(r->wav);
		free(r->note);
		free(r);
		r = next;
	}
	pt->recs = NULL;
}

struct push_ctx {
	struct sift_audio *a;
	struct dir *d;
};

static void st_emit(void *ctx, const int16_t *s, size_t n)
{
	struct push_ctx *p = ctx;
	struct dir *d = p->d;

	sift_audio_st_push(p->a, &d->call->st, d->ch, d->st_pos, s, n);
	d->st_pos += (int64_t)n;
}

static void mono_emit(void *ctx, const int16_t *s, size_t n)
{
	struct push_ctx *p = ctx;
	struct dir *d = p->d;
	char why[256];

	if (d->wav && !d->failed &&
	    sift_wav_write(d->wav, s, n, why, sizeof(why)) != SIFT_OK) {
		d->failed = true;
		sift_audio_fail(p->a, d->path, why, SIFT_EIO);
	}
}

static const char *role_name(int role)
{
	return role == 0 ? "caller" : role == 1 ? "callee" : "other";
}

/* Samples of direction d, contiguous from the track's first_pos. */
static void track_out(void *ctx, const int16_t *s, size_t n)
{
	struct push_ctx *p = ctx;
	struct dir *d = p->d;
	struct sift_audio *a = p->a;
	unsigned nat = d->t->rate;

	if (!d->wav && !d->failed && a->o.mono) {
		char why[256];
		enum sift_rc rc;

		d->rate = a->o.rate ? a->o.rate : nat;
		sift_rs_init(&d->mono_rs, nat, d->rate);
		rc = sift_wav_open(d->path, d->rate, 1, &d->wav, why, sizeof(why));
		if (rc != SIFT_OK) {
			d->failed = true;
			sift_audio_fail(a, d->path, why, rc);
		} else {
			d->opened = true;
		}
	}
	if (a->o.mono && d->wav)
		sift_rs_run(&d->mono_rs, s, n, mono_emit, p);
	if (a->o.stereo && d->ch >= 0 && sift_audio_st_open(a, &d->call->st, d->call->base,
						    a->o.rate ? a->o.rate : nat)) {
		if (!d->st_started) {
			d->st_started = true;
			sift_rs_init(&d->st_rs, nat, d->call->st.rate);
			d->st_pos = sift_rs_rescale(d->t->first_pos, nat, d->call->st.rate);
		}
		sift_rs_run(&d->st_rs, s, n, st_emit, p);
	}
}

/* The track's out callback needs the audio object and the direction. */
struct dir_box {
	struct dir d;
	struct push_ctx pc;
};

struct sift_audio *sift_audio_new(const struct sift_audio_opts *o)
{
	struct sift_audio *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->o = *o;
	a->nocall = sift_strmap_new();
	if (!a->nocall || !sift_htab_init(&a->by_id, AUDIO_MAX_ITEMS)) {
		sift_strmap_free(a->nocall);
		free(a);
		return NULL;
	}
	return a;
}

/* "20261126-064903_alice_bob_c1" in the output directory. */
static void call_base(struct sift_audio *a, struct acall *call,
		      const struct sift_call *c, sift_time ts, unsigned set)
{
	char from[USER_LEN + 8], to[USER_LEN + 8], when[32];
	time_t t = (time_t)((c ? c->first_ts : ts) / SIFT_USEC);
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(when, sizeof(when), "%Y%m%d-%H%M%S", &tm))
		snprintf(when, sizeof(when), "0");
	if (c) {
		sift_wav_user(c->from, USER_LEN, from, sizeof(from));
		sift_wav_user(c->to, USER_LEN, to, sizeof(to));
		snprintf(call->base, sizeof(call->base), "%s/%s_%s_%s_c%u",
			 a->o.dir, when, from, to, c->index);
		if (set > 1) {
			size_t n = strlen(call->base);

			snprintf(call->base + n, sizeof(call->base) - n, "-part%u",
				 set);
		}
	} else {
		snprintf(call->base, sizeof(call->base), "%s/%s_nocall_s%u",
			 a->o.dir, when, ++a->nocall_sets);
	}
}

/* The audio part of call c (NULL: the owner of the streams of no call). */
static struct apart *part_get(struct sift_audio *a, struct sift_call *c)
{
	struct apart *pt;

	if (!c)
		return &a->nocall_part;
	pt = c->part[SIFT_PART_AUDIO];
	if (pt)
		return pt;
	pt = sift_audio_zalloc(&a->oom, sizeof(*pt));
	if (!pt)
		return NULL;
	pt->owner = c;
	sift_list_append(&a->parts, &pt->ln);
	c->part[SIFT_PART_AUDIO] = pt;
	return pt;
}

/* The open files of call c (part pt), or of the streams of no call whose
 * address pair is nokey; made at the first packet (and after an idle
 * expiry, as the next set). */
static struct acall *call_get(struct sift_audio *a, struct apart *pt,
			      const char *nokey, const struct sift_call *c,
			      sift_time ts)
{
	struct acall *call = c ? pt->open : sift_strmap_get(a->nocall, nokey);

	if (call)
		return call;
	call = sift_audio_zalloc(&a->oom, sizeof(*call));
	if (!call)
		return NULL;
	if (c) {
		call->part = pt;
		pt->open = call;
	} else {
		call->key = sift_audio_dup(&a->oom, nokey);
		if (!call->key || sift_strmap_put(a->nocall, nokey, call) < 0) {
			a->oom = true;
			free(call->key);
			free(call);
			return NULL;
		}
	}
	/* From the call's first message: packets held for their SRTP key
	 * (a pipe) are placed as from a file; the stereo file starts at its
	 * first sample still. A later set counts from its first packet. */
	call->t0 = ts;
	if (c && pt->sets == 0 && c->first_ts && c->first_ts < ts)
		call->t0 = c->first_ts;
	call->index = c ? c->index : 0;
	if (c && c->have_caller) {
		call->have_caller = true;
		call->caller = c->caller;
	}
	/* The how-many-th set of files of this call (idle expiry). */
	call_base(a, call, c, ts, ++pt->sets);
	sift_list_append(&a->open, &call->ln);
	return call;
}

static struct dir *dir_get(struct sift_audio *a, struct acall *call,
			   const struct sift_stream *s)
{
	struct dir_box *b;
	struct dir *d;
	int role;

	for (unsigned i = 0; i < call->ndirs; i++)
		if (sift_addr_eq(&call->dirs[i]->src, &s->src) &&
		    sift_addr_eq(&call->dirs[i]->dst, &s->dst))
			return call->dirs[i];
	if (call->ndirs == MAX_DIRS)
		return NULL;
	b = sift_audio_zalloc(&a->oom, sizeof(*b));
	if (!b)
		return NULL;
	d = &b->d;
	b->pc.a = a;
	b->pc.d = d;
	d->call = call;
	d->src = s->src;
	d->dst = s->dst;
	/* The caller sends from where its INVITE came (most often); the
	 * first two directions of a call take the two roles. */
	role = call->have_caller && !sift_same_ip(&s->src, &call->caller) ? 1 : 0;
	if (call->roles[role])
		role = !role;
	if (call->roles[role]) {
		d->role = 2 + (int)call->ndirs;
		d->ch = -1;
		snprintf(d->path, sizeof(d->path), "%s-dir%u.wav", call->base,
			 call->ndirs + 1);
	} else {
		call->roles[role] = true;
		d->role = role;
		d->ch = role;
		snprintf(d->path, sizeof(d->path), "%s-%s.wav", call->base,
			 role_name(role));
	}
	call->dirs[call->ndirs++] = d;
	return d;
}

static struct push_ctx *dir_ctx(struct dir *d)
{
	return &((struct dir_box *)(void *)d)->pc;
}

static void call_close(struct sift_audio *a, struct acall *call);

/* Record r of direction d, whose payload is ciphertext: said once per
 * stream, since no file will name it. */
static void note_random(struct sift_audio *a, struct acall *call,
			struct dir *d, struct rec *r)
{
	char note[320], sa[SIFT_ADDR_STRLEN], da[SIFT_ADDR_STRLEN], who[32];

	if (r->note && strcmp(r->note, NOTE_UNMAPPED) != 0)
		return;
	free(r->note);
	r->note = sift_audio_dup(&a->oom, NOTE_RANDOM);
	if (call->part)
		snprintf(who, sizeof(who), "call %u", call->index);
	else
		snprintf(who, sizeof(who), "no call");
	snprintf(note, sizeof(note),
		 "stream %u (%s): %s %s -> %s looks encrypted (its bytes are random, not sound: SRTP or a vendor's media encryption whose key is not in the capture); no WAV written",
		 r->id, who, d->codec, sift_addr_str(&d->src, sa, sizeof(sa)),
		 sift_addr_str(&d->dst, da, sizeof(da)));
	a->notes_srtp = true;
	add_note(a, note);
}

/* Direction d is judged (sift_sniff): its streams say so when it is
 * ciphertext. */
static void judged(struct sift_audio *a, struct dir *d, bool random)
{
	d->judged = true;
	d->random = random;
	if (random)
		for (size_t k = 0; k < d->nrecs; k++)
			note_random(a, d->call, d, d->recs[k]);
}

/* A packet of direction d, whose track is made: decoded, or held while
 * its G.711 is judged. */
static void dir_packet(struct sift_audio *a, struct dir *d,
		       const struct sift_media_payload *mp,
		       enum sift_codec_kind kind, int64_t cap_pos)
{
	enum sift_codec_kind dk = sift_codec_get_kind(d->t->dec);
	bool random;

	if (!d->judged && dk != SIFT_CODEC_PCMU && dk != SIFT_CODEC_PCMA)
		d->judged = true;
	if (d->judged)
		sift_track_packet(d->t, mp->h->ssrc, mp->h->ts, kind,
				  mp->payload, mp->len, cap_pos);
	else if (sift_sniff_packet(&d->sn, d->t, mp, kind, cap_pos, &random))
		judged(a, d, random);
}

/* Calls quiet for CALL_IDLE have their files finished. */
static void expire(struct sift_audio *a, sift_time now)
{
	struct sift_lnode *e = a->open.first;

	while (e) {
		struct acall *call = sift_container_of(e, struct acall, ln);

		e = e->next;
		if (call->last_ts + CALL_IDLE < now)
			call_close(a, call);
	}
}

/* The track of direction d, made at its first packet of audio; false when
 * there is none to place the packet in (yet). */
static bool dir_start(struct sift_audio *a, struct acall *call, struct dir *d,
		      struct rec *r, const struct sift_media_payload *mp,
		      enum sift_codec_kind kind)
{
	const struct sift_stream *s = mp->s;
	struct sift_codec *dec;
	char note[256];

	/* Comfort noise and events before the first audio say nothing
	 * of the codec: wait for audio. */
	if (d->unsupported && !r->note)
		r->note = sift_audio_dup(&a->oom, "codec not decoded");
	if (kind == SIFT_CODEC_CN || kind == SIFT_CODEC_EVENT || d->unsupported)
		return false;
	/* A payload type no rtpmap names (a stray packet, or a dynamic type
	 * whose SDP is not in the capture) says nothing of the codec either:
	 * skipped, and said of the stream until a packet it can decode comes. */
	if (!mp->codec) {
		if (!r->note)
			r->note = sift_audio_dup(&a->oom, NOTE_UNMAPPED);
		return false;
	}
	dec = sift_codec_new(mp->codec->name, mp->codec->rate,
			     mp->codec->channels, &a->oom);
	snprintf(d->codec, sizeof(d->codec), "%s/%u", mp->codec->name,
		 mp->codec->rate);
	if (!dec) {
		d->unsupported = true;
		/* Once per stream, also when its call comes back
		 * after a pause (idle expiry). */
		if (!r->note || strcmp(r->note, NOTE_UNMAPPED) == 0) {
			snprintf(note, sizeof(note),
				 "stream %u (call %u): codec %s is not decoded; no WAV written",
				 s->id, call->index, d->codec);
			add_note(a, note);
			free(r->note);
			r->note = sift_audio_dup(&a->oom, "codec not decoded");
		}
		return false;
	}
	d->t = sift_audio_zalloc(&a->oom, sizeof(*d->t));
	if (!d->t) {
		sift_codec_free(dec);
		return false;
	}
	sift_track_init(d->t, dec, mp->codec->rate, track_out, dir_ctx(d));
	d->have_track = true;
	if (r->note && strcmp(r->note, NOTE_UNMAPPED) == 0) {
		free(r->note);
		r->note = NULL;
	}
	return true;
}

void sift_audio_payload(struct sift_audio *a, const struct sift_media_payload *mp,
			struct sift_call *c)
{
	const struct sift_stream *s = mp->s;
	char nokey[2 * SIFT_ADDR_STRLEN + 4] = "";
	enum sift_codec_kind kind;
	struct apart *pt;
	struct acall *call;
	struct dir *d;
	struct rec *r;
	int64_t cap_pos;
	sift_time dt;

	if ((!a->o.mono && !a->o.stereo) ||
	    (a->o.call_index && (!c || c->index != a->o.call_index)) ||
	    (a->o.want && (!c || !a->o.want(a->o.want_ctx, c))))
		return;
	if (mp->w->ts >= a->next_expire) {
		expire(a, mp->w->ts);
		a->next_expire = mp->w->ts + EXPIRE_EVERY;
	}
	/* Streams of no call (a --key, the RTP heuristic) are grouped by
	 * their two addresses, so that both directions of one conversation
	 * share a stereo file and unrelated ones do not. A call's files and
	 * records hang off the call. */
	if (!c) {
		char x[SIFT_ADDR_STRLEN], y[SIFT_ADDR_STRLEN];

		sift_addr_str(&s->src, x, sizeof(x));
		sift_addr_str(&s->dst, y, sizeof(y));
		snprintf(nokey, sizeof(nokey), "%s|%s",
			 strcmp(x, y) < 0 ? x : y, strcmp(x, y) < 0 ? y : x);
	}
	pt = part_get(a, c);
	if (!pt)
		return;
	call = call_get(a, pt, nokey, c, mp->w->ts);
	if (!call)
		return;
	if (mp->w->ts > call->last_ts)
		call->last_ts = mp->w->ts;
	d = dir_get(a, call, s);
	r = rec_get(a, s->id, pt);
	if (!d || !r)
		return;
	if (r->d != d) {
		if (!sift_grow_oom((void **)&d->recs, &d->recs_cap, d->nrecs,
				   sizeof(*d->recs), AUDIO_MAX_ITEMS, &a->oom))
			return;
		d->recs[d->nrecs++] = r;
		r->d = d;
	}
	if (d->random) {
		note_random(a, call, d, r);
		return;
	}
	kind = mp->codec ? sift_codec_kind(mp->codec->name, mp->codec->rate)
			 : SIFT_CODEC_UNKNOWN;
	if (!d->have_track && !dir_start(a, call, d, r, mp, kind))
		return;
	if (!d->t)
		return;
	/* Another audio codec in the middle of the direction (a re-INVITE
	 * changed it): its packets are counted, their time stays silent. */
	if (kind != SIFT_CODEC_CN && kind != SIFT_CODEC_EVENT &&
	    (!mp->codec || kind != sift_codec_get_kind(d->t->dec))) {
		d->t->late++;
		return;
	}
	/* Where the capture clock puts it; a packet stamped before the call
	 * began is at its start, one absurdly far after at a week. */
	dt = mp->w->ts - call->t0;
	if (dt < 0)
		dt = 0;
	if (dt > MAX_CAP_US)
		dt = MAX_CAP_US;
	cap_pos = dt / SIFT_USEC * (int64_t)d->t->rate +
		  dt % SIFT_USEC * (int64_t)d->t->rate / SIFT_USEC;
	dir_packet(a, d, mp, kind, cap_pos);
}

static void dir_close(struct sift_audio *a, struct dir *d)
{
	char why[256], what[96], sa[SIFT_ADDR_STRLEN], da[SIFT_ADDR_STRLEN];

	if (d->t) {
		if (!d->judged)
			judged(a, d, sift_sniff_end(&d->sn, d->t));
		sift_track_done(d->t);
		if (d->wav)
			sift_rs_flush(&d->mono_rs, mono_emit, dir_ctx(d));
		if (d->st_started && d->call->st.wav)
			sift_rs_flush(&d->st_rs, st_emit, dir_ctx(d));
	}
	if (d->wav) {
		snprintf(what, sizeof(what), "%s: %s %s -> %s", role_name(d->role),
			 d->codec, sift_addr_str(&d->src, sa, sizeof(sa)),
			 sift_addr_str(&d->dst, da, sizeof(da)));
		if (!d->failed)	/* a failed file is removed */
			sift_audio_add_file(a, d->path, d->rate, 1, sift_wav_frames(d->wav),
				 d->call->index, what);
		if (sift_wav_close(d->wav, why, sizeof(why)) != SIFT_OK)
			sift_audio_fail(a, d->path, why, SIFT_EIO);
		d->wav = NULL;
	}
}

/* The file a stream's samples went to: its direction's, or with --stereo
 * alone the call's stereo file when the direction has a channel there. */
static const char *dir_file(const struct sift_audio *a, const struct dir *d)
{
	/* Only files that were made: one that could not be created is
	 * named nowhere (its error was said). */
	if (a->o.mono && d->t && d->t->emitted && d->opened)
		return d->path;
	if (!a->o.mono && d->ch >= 0 && d->st_started && d->call->st.opened)
		return d->call->st.path;
	return NULL;
}

/* The files of call are finished, its records say where its streams
 * went, and it leaves the lists it is on. */
static void call_close(struct sift_audio *a, struct acall *call)
{
	for (unsigned i = 0; i < call->ndirs; i++)
		dir_close(a, call->dirs[i]);
	sift_audio_st_close(a, &call->st, call->index);
	for (unsigned i = 0; i < call->ndirs; i++) {
		struct dir *d = call->dirs[i];
		const char *f = dir_file(a, d);

		for (size_t k = 0; k < d->nrecs; k++) {
			struct rec *r = d->recs[k];

			if (r->d != d)
				continue;
			if (f && !r->wav)
				r->wav = sift_audio_dup(&a->oom, f);
			if (!f && !r->note && d->ch < 0 && !a->o.mono)
				r->note = sift_audio_dup(&a->oom, "a third direction of its call: in no stereo file");
			else if (!f && !r->note && d->have_track)
				r->note = sift_audio_dup(&a->oom, "no audio packet could be decoded");
			r->d = NULL;
		}
	}
	for (unsigned i = 0; i < call->ndirs; i++) {
		free(call->dirs[i]->t);
		free(call->dirs[i]->recs);
		free((struct dir_box *)(void *)call->dirs[i]);
	}
	sift_list_remove(&a->open, &call->ln);
	if (call->part)
		call->part->open = NULL;
	else
		sift_strmap_del(a->nocall, call->key);
	free(call->key);
	free(call);
}

/* The files of call index, finished, that the selection does not keep:
 * removed and no longer listed. */
static void discard(struct sift_audio *a, uint32_t index)
{
	size_t n = 0;

	for (size_t i = 0; i < a->nfiles; i++) {
		struct sift_audio_file *f = &a->files[i];

		if (f->call_index != index) {
			a->files[n++] = *f;
			continue;
		}
		if (unlink(f->path) != 0 && errno != ENOENT)
			sift_audio_fail(a, f->path, strerror(errno), SIFT_EIO);
		free(f->path);
	}
	a->nfiles = n;
}

void sift_audio_call_done(struct sift_audio *a, const struct sift_call *c)
{
	const struct apart *pt = a && c ? c->part[SIFT_PART_AUDIO] : NULL;

	if (pt && pt->open)
		call_close(a, pt->open);
	if (pt && a->o.keep && !a->o.keep(a->o.keep_ctx, c))
		discard(a, c->index);
}

static void part_free(struct sift_audio *a, struct apart *pt)
{
	if (pt->open)
		call_close(a, pt->open);
	recs_free(a, pt);
	sift_list_remove(&a->parts, &pt->ln);
	pt->owner->part[SIFT_PART_AUDIO] = NULL;
	free(pt);
}

void sift_audio_release(struct sift_audio *a, struct sift_call *c)
{
	struct apart *pt = a && c ? c->part[SIFT_PART_AUDIO] : NULL;

	if (pt)
		part_free(a, pt);
}

void sift_audio_finish(struct sift_audio *a)
{
	if (!a)
		return;
	while (a->open.first)
		call_close(a, sift_container_of(a->open.first, struct acall, ln));
	/* The calls still there at the end are judged now. */
	for (struct sift_lnode *e = a->parts.first; e && a->o.keep; e = e->next) {
		struct apart *pt = sift_container_of(e, struct apart, ln);

		if (pt->owner && !a->o.keep(a->o.keep_ctx, pt->owner))
			discard(a, pt->owner->index);
	}
	if (a->notes_dropped && a->nnotes == MAX_NOTES) {
		char msg[96];

		/* The last note kept gives way to the count: it is one of
		 * them. */
		snprintf(msg, sizeof(msg), a->notes_srtp ?
			 "%llu more streams with no WAV written" :
			 "%llu more streams whose codec is not decoded",
			 (unsigned long long)a->notes_dropped + 1);
		free(a->notes[MAX_NOTES - 1]);
		a->notes[MAX_NOTES - 1] = sift_audio_dup(&a->oom, msg);
	}
}

void sift_audio_free(struct sift_audio *a)
{
	if (!a)
		return;
	sift_audio_finish(a);
	/* Calls still alive keep no pointer into what goes now. */
	while (a->parts.first)
		part_free(a, sift_container_of(a->parts.first, struct apart, ln));
	recs_free(a, &a->nocall_part);
	sift_strmap_free(a->nocall);
	sift_htab_fini(&a->by_id);
	for (size_t i = 0; i < a->nfiles; i++)
		free(a->files[i].path);
	free(a->files);
	for (size_t i = 0; i < a->nnotes; i++)
		free(a->notes[i]);
	free(a);
}

void sift_audio_stream_done(struct sift_audio *a, const struct sift_stream *s,
			    const struct sift_call *c)
{
	char note[256], who[32];

	if (!a || (!a->o.mono && !a->o.stereo) || s->rtcp || !s->srtp ||
	    s->decrypted || (a->o.call_index && (!c || c->index != a->o.call_index)))
		return;
	if (c)
		snprintf(who, sizeof(who), "call %u", c->index);
	else
		snprintf(who, sizeof(who), "no call");
	/* Undecrypted packets never reached audio: no file of noise, and
	 * this says why there is none. */
	if (s->no_key)
		snprintf(note, sizeof(note),
			 "stream %u (%s): SRTP with no usable key; no WAV written",
			 s->id, who);
	else
		snprintf(note, sizeof(note),
			 "stream %u (%s): SRTP that no key decrypts (%llu packets failed authentication); no WAV written",
			 s->id, who,
			 (unsigned long long)(s->auth_failures + s->before_key));
	a->notes_srtp = true;
	add_note(a, note);
}

const char *sift_audio_stream_wav(const struct sift_audio *a, uint32_t id)
{
	const struct rec *r = a ? rec_find(a, id) : NULL;

	if (!r)
		return NULL;
	return r->d ? dir_file(a, r->d) : r->wav;
}

const char *sift_audio_stream_note(const struct sift_audio *a, uint32_t id)
{
	const struct rec *r = a ? rec_find(a, id) : NULL;

	return r ? r->note : NULL;
}

const char *sift_audio_error(const struct sift_audio *a)
{
	return a && a->failed ? a->err : NULL;
}

bool sift_audio_oom(const struct sift_audio *a)
{
	return a && a->oom;
}

size_t sift_audio_nfiles(const struct sift_audio *a)
{
	return a ? a->nfiles : 0;
}

const struct sift_audio_file *sift_audio_file(const struct sift_audio *a, size_t i)
{
	return a && i < a->nfiles ? &a->files[i] : NULL;
}

size_t sift_audio_nnotes(const struct sift_audio *a)
{
	return a ? a->nnotes : 0;
}

const char *sift_audio_note(const struct sift_audio *a, size_t i)
{
	return a && i < a->nnotes ? a->notes[i] : NULL;
}
