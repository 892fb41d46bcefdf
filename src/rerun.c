/* sipsift — the second pass of show (see rerun.h). */
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "capture/pcap_write.h"
#include "net/net.h"
#include "util/strmap.h"
#include "report/report_html.h"
#include "report/report_show.h"
#include "rerun.h"
#include "tls/tls.h"

enum { RR_OK = 0, RR_INPUT = 3, RR_OUTPUT = 4, RR_INTERNAL = 5 };

/* A pass's end: RR_INTERNAL is memory that ran out (a pipeline, a merge,
 * a tap's copy, the list of frames), said here once for every path; a
 * second pipeline that could not be made beside the first's report was
 * an exit 5 without a word. */
static int said(int status)
{
	if (status == RR_INTERNAL)
		fprintf(stderr, "sipsift: error: out of memory\n");
	return status;
}

struct show_ctx {
	struct sift_rerun *rr;
	struct sift_show *show;
	const struct sift_packet *pkt;   /* the packet being handled */
	bool failed;                     /* writing failed */
};

static bool frame_wanted(const struct sift_select *s, uint64_t frame)
{
	if (!s->nframes)
		return true;
	for (size_t i = 0; i < s->nframes; i++)
		if (s->frames[i] == frame)
			return true;
	return false;
}

/* A pcapng comment as text for the header (NUL-terminated copy). */
static char *comment_of(const struct sift_packet *pkt)
{
	if (!pkt || !pkt->comment || !pkt->comment_len)
		return NULL;
	return strndup(pkt->comment, pkt->comment_len);
}

static void show_tap(void *ctx, const struct sift_sip_tap *t)
{
	struct show_ctx *sc = ctx;
	struct sift_rerun *rr = sc->rr;
	struct sift_sel_call *c = sift_selected_get(rr->sel, t->call_id);
	struct sift_show_msg m;

	if (!c || sc->failed)
		return;
	if (frame_wanted(rr->spec, t->where->frame)) {
		memset(&m, 0, sizeof(m));
		m.raw = t->raw;
		m.len = t->len;
		m.parsed = t->parsed;
		m.call_id = t->call_id;
		m.call_index = c->index;
		m.call_start = c->first_ts;
		m.prev_ts = c->prev_ts;
		m.where = *t->where;
		m.src = *t->src;
		m.dst = *t->dst;
		m.tp = t->tp;
		m.file = t->where->file < (uint32_t)rr->nfiles ?
			 rr->files[t->where->file] : "?";
		m.several_files = rr->nfiles > 1;
		/* The comment is the packet's: the message that ends in it. */
		m.comment = sc->pkt && sc->pkt->where.frame == t->where->frame &&
			    sc->pkt->where.file == t->where->file ?
			    comment_of(sc->pkt) : NULL;
		if (sift_show_msg(sc->show, &m) != SIFT_OK)
			sc->failed = true;
		free((char *)m.comment);
	}
	c->prev_ts = t->where->ts;
}

/* Finished calls are let go at once: this pass keeps nothing of them. */
static void drop_call(void *ctx, const struct sift_report *r,
		      const struct sift_call *c, sift_time now)
{
	(void)ctx;
	(void)r;
	(void)c;
	(void)now;
}

/* The options of a pass after the first: the first pass's, without the
 * audio, the NDJSON writers and taps (each pass sets its own), its
 * finished calls let go at once. */
static struct sift_pipeline_opts pass_opts(const struct sift_rerun *rr,
					   sift_sip_tap_fn on_sip,
					   sift_packet_tap_fn on_packet,
					   void *ctx)
{
	struct sift_pipeline_opts o = rr->popts;

	o.audio = NULL;
	o.on_stream = NULL;
	o.on_call = drop_call;
	o.on_call_ctx = NULL;
	o.on_sip = on_sip;
	o.on_packet = on_packet;
	o.on_sip_ctx = ctx;
	o.tls_secrets_out = false;
	return o;
}

/* Every input opened again, merged by time as in the first pass. */
static int open_all(struct sift_rerun *rr, struct sift_merge *m,
		    struct sift_pipeline *pl)
{
	char err[256];

	for (int i = 0; i < rr->nfiles; i++) {
		struct sift_capture *cap;
		enum sift_rc rc;

		if (sift_pipeline_input(pl, rr->files[i]) != SIFT_OK)
			return RR_INTERNAL;
		rc = sift_capture_open(rr->files[i], (uint32_t)i, &cap, err,
				       sizeof(err));
		if (rc == SIFT_ENOMEM)
			return RR_INTERNAL;
		if (rc != SIFT_OK) {
			fprintf(stderr, "sipsift: error: %s: reading it again: %s\n",
				rr->files[i], err);
			return RR_INPUT;
		}
		if ((rr->filter &&
		     sift_capture_set_filter(cap, rr->filter, err, sizeof(err)) != SIFT_OK) ||
		    sift_merge_add(m, cap) != SIFT_OK) {
			sift_capture_close(cap);
			return RR_INTERNAL;
		}
	}
	return RR_OK;
}

/* The next packet of m that reads: SIFT_OK, SIFT_EOF at the end, or
 * SIFT_ENOMEM. Damage was said in the first pass, so an input's error is
 * passed over here; merge.c drops the input that gave it, so each comes
 * once and the loop ends. */
static enum sift_rc next_good(struct sift_merge *m, struct sift_packet *pkt)
{
	for (;;) {
		struct sift_capture *from = NULL;
		enum sift_rc rc = sift_merge_next(m, pkt, &from);

		if (rc == SIFT_OK || rc == SIFT_EOF || rc == SIFT_ENOMEM)
			return rc;
	}
}

int sift_rerun_show(struct sift_rerun *rr)
{
	struct show_ctx sc = { rr, NULL, NULL, false };
	/* The SIP is what this pass is for: no audio, no NDJSON. */
	struct sift_pipeline_opts o = pass_opts(rr, show_tap, NULL, &sc);
	struct sift_pipeline *pl = NULL;
	struct sift_merge *m = sift_merge_new();
	int status = RR_INTERNAL;

	pl = sift_pipeline_new(&o);
	sc.show = sift_show_new(rr->out, rr->json);
	if (!m || !pl || !sc.show)
		goto out;
	status = open_all(rr, m, pl);
	if (status != RR_OK)
		goto out;
	for (;;) {
		struct sift_packet pkt;
		enum sift_rc rc = next_good(m, &pkt);

		if (rc == SIFT_EOF)
			break;
		if (rc == SIFT_ENOMEM) {
			status = RR_INTERNAL;
			goto out;
		}
		sc.pkt = &pkt;
		if (sift_pipeline_packet(pl, &pkt) == SIFT_ENOMEM) {
			status = RR_INTERNAL;
			goto out;
		}
		sc.pkt = NULL;
		if (sc.failed)
			break;
	}
	sift_pipeline_finish(pl);
	status = sift_show_end(sc.show) == SIFT_OK && !sc.failed ? RR_OK : RR_OUTPUT;
	sc.show = NULL;
out:
	sift_show_abort(sc.show);
	sift_pipeline_free(pl);
	sift_merge_free(m);
	return said(status);
}

/* report (HTML): the text of the messages of the calls the page details. */

struct texts_ctx {
	struct sift_html_texts *t;
	bool oom;
};

static void texts_tap(void *ctx, const struct sift_sip_tap *tap)
{
	struct texts_ctx *x = ctx;

	if (!x->oom && sift_html_texts_add(x->t, tap->call_id, tap->where,
					   tap->raw, tap->len) == SIFT_ENOMEM)
		x->oom = true;
}

int sift_rerun_texts(struct sift_rerun *rr, struct sift_html_texts *t)
{
	struct texts_ctx x = { t, false };
	struct sift_pipeline_opts o = pass_opts(rr, texts_tap, NULL, &x);
	struct sift_pipeline *pl = NULL;
	struct sift_merge *m = sift_merge_new();
	int status = RR_INTERNAL;

	/* Caps were said by the first pass. */
	o.on_cap = NULL;
	pl = sift_pipeline_new(&o);
	if (!m || !pl)
		goto out;
	status = open_all(rr, m, pl);
	if (status != RR_OK)
		goto out;
	for (;;) {
		struct sift_packet pkt;
		enum sift_rc rc = next_good(m, &pkt);

		if (rc == SIFT_EOF)
			break;
		if (rc == SIFT_ENOMEM) {
			status = RR_INTERNAL;
			goto out;
		}
		if (sift_pipeline_packet(pl, &pkt) == SIFT_ENOMEM || x.oom) {
			status = RR_INTERNAL;
			goto out;
		}
	}
	sift_pipeline_finish(pl);
	status = x.oom ? RR_INTERNAL : RR_OK;
out:
	sift_pipeline_free(pl);
	sift_merge_free(m);
	return said(status);
}

/* extract */

/* Frames pending for a TCP direction or an IP datagram until the message
 * or datagram they carry is complete. */
struct pending {
	uint64_t *f;
	size_t n, cap;
};

struct extract_ctx {
	struct sift_rerun *rr;
	uint64_t *keep;                /* file << 40 | frame, to write */
	size_t nkeep, capkeep;
	struct sift_strmap *tcp;       /* "src>dst" -> struct pending */
	struct sift_strmap *frag;      /* fragment key -> struct pending */
	uint64_t *all;                 /* every pending list, to free */
	size_t nall, capall;
	/* Set by the SIP tap for the packet being handled. */
	bool sip_selected;             /* it completed a chosen call's message */
	bool sip_done;                 /* it completed any message */
	bool oom;
};

#define FRAME_KEY(w) ((uint64_t)(w)->file << 40 | ((w)->frame & ((1ULL << 40) - 1)))

static bool push(uint64_t **v, size_t *n, size_t *cap, uint64_t x)
{
	if (*n == *cap && !sift_grow((void **)v, cap, *n, sizeof(**v), SIZE_MAX / 16))
		return false;
	(*v)[(*n)++] = x;
	return true;
}

static void keep(struct extract_ctx *x, uint64_t key)
{
	if (!push(&x->keep, &x->nkeep, &x->capkeep, key))
		x->oom = true;
}

static struct pending *pending_get(struct extract_ctx *x, struct sift_strmap *m,
				   const char *key)
{
	struct pending *p = sift_strmap_get(m, key);

	if (p)
		return p;
	p = calloc(1, sizeof(*p));
	if (!p || !push(&x->all, &x->nall, &x->capall, (uint64_t)(uintptr_t)p) ||
	    sift_strmap_put(m, key, p)) {
		free(p);
		x->oom = true;
		return NULL;
	}
	return p;
}

static void dir_key(const struct sift_addr *a, const struct sift_addr *b,
		    char *buf, size_t len)
{
	char x[SIFT_ADDR_STRLEN], y[SIFT_ADDR_STRLEN];

	snprintf(buf, len, "%s>%s", sift_addr_str(a, x, sizeof(x)),
		 sift_addr_str(b, y, sizeof(y)));
}

static void extract_sip(void *ctx, const struct sift_sip_tap *t)
{
	struct extract_ctx *x = ctx;

	x->sip_done = true;
	if (sift_selected_has(x->rr->sel, t->call_id))
		x->sip_selected = true;
}

static bool media_of_chosen(const struct sift_rerun *rr,
			    const struct sift_packet_tap *t)
{
	if (rr->sip_only || t->proto != SIFT_IPPROTO_UDP)
		return false;
	for (size_t i = 0; i < rr->nflows; i++) {
		const struct sift_rr_flow *fl = &rr->flows[i];

		if (sift_addr_eq(&fl->src, &t->src) && sift_addr_eq(&fl->dst, &t->dst) &&
		    t->pkt->where.ts >= fl->first_ts && t->pkt->where.ts <= fl->last_ts)
			return true;
	}
	return false;
}

/* long-function: one decision per kind of packet (fragment, TCP segment,
 * datagram), each a few lines. */
static void extract_packet(void *ctx, const struct sift_packet_tap *t)
{
	struct extract_ctx *x = ctx;
	uint64_t me = FRAME_KEY(&t->pkt->where);
	bool mine = x->sip_selected || media_of_chosen(x->rr, t);
	char key[2 * SIFT_ADDR_STRLEN + 4];
	struct pending *p;

	if (t->frag_key) {
		/* A piece of a datagram: kept with the datagram when it is
		 * complete and ours. */
		snprintf(key, sizeof(key), "%016llx", (unsigned long long)t->frag_key);
		p = pending_get(x, x->frag, key);
		if (p && !push(&p->f, &p->n, &p->cap, me))
			x->oom = true;
		if (p && t->reassembled) {
			if (mine)
				for (size_t i = 0; i < p->n; i++)
					keep(x, p->f[i]);
			p->n = 0;
		}
	} else if (t->proto == SIFT_IPPROTO_TCP && t->len) {
		/* Each segment with payload belongs to the message that ends
		 * in it or after it on its direction. */
		dir_key(&t->src, &t->dst, key, sizeof(key));
		p = pending_get(x, x->tcp, key);
		if (p && !push(&p->f, &p->n, &p->cap, me))
			x->oom = true;
		if (p && x->sip_done) {
			if (x->sip_selected)
				for (size_t i = 0; i < p->n; i++)
					keep(x, p->f[i]);
			p->n = 0;
		}
	} else if (mine) {
		keep(x, me);
	}
	x->sip_selected = x->sip_done = false;
}

static int cmp_u64(const void *a, const void *b)
{
	const uint64_t *pa = a, *pb = b;
	uint64_t x = *pa, y = *pb;

	return x < y ? -1 : x > y;
}

/* Pass 2: the frames to write. */
static int mark_frames(struct sift_rerun *rr, struct extract_ctx *x)
{
	struct sift_pipeline_opts o = pass_opts(rr, extract_sip, extract_packet, x);
	struct sift_merge *m = sift_merge_new();
	struct sift_pipeline *pl;
	int status = RR_INTERNAL;

	pl = sift_pipeline_new(&o);
	if (!m || !pl)
		goto out;
	status = open_all(rr, m, pl);
	while (status == RR_OK) {
		struct sift_packet pkt;
		enum sift_rc rc = next_good(m, &pkt);

		if (rc == SIFT_EOF)
			break;
		if (rc == SIFT_ENOMEM) {
			status = RR_INTERNAL;
			goto out;
		}
		if (sift_pipeline_packet(pl, &pkt) == SIFT_ENOMEM || x->oom)
			status = RR_INTERNAL;
	}
	sift_pipeline_finish(pl);
	if (x->oom)
		status = RR_INTERNAL;
out:
	sift_pipeline_free(pl);
	sift_merge_free(m);
	return status;
}

/* The output complete: put in place (nothing chosen: an empty capture,
 * Ethernet, all the same). Takes w. */
static int close_output(struct sift_rerun *rr, struct sift_pcap_writer *w)
{
	char err[256];

	if (!w && sift_pcap_writer_open(rr->write_pcap, SIFT_LINK_ETHERNET, &w,
					err, sizeof(err)) != SIFT_OK) {
		fprintf(stderr, "sipsift: error: %s: %s\n", rr->write_pcap, err);
		return RR_OUTPUT;
	}
	if (sift_pcap_writer_close(w, err, sizeof(err)) == SIFT_OK)
		return RR_OK;
	fprintf(stderr, "sipsift: error: %s: %s\n", rr->write_pcap, err);
	return RR_OUTPUT;
}

/* Pass 3: the frames marked, copied as they are, in capture order. */
static int copy_frames(struct sift_rerun *rr, const uint64_t *keep, size_t n)
{
	struct sift_merge *m = sift_merge_new();
	struct sift_pcap_writer *w = NULL;
	char err[256];
	int status = RR_INTERNAL;

	if (!m)
		goto out;
	for (int i = 0; i < rr->nfiles; i++) {
		struct sift_capture *cap;
		enum sift_rc rc = sift_capture_open(rr->files[i], (uint32_t)i,
						    &cap, err, sizeof(err));

		if (rc == SIFT_ENOMEM)      /* status is RR_INTERNAL */
			goto out;
		if (rc != SIFT_OK) {
			fprintf(stderr, "sipsift: error: %s: reading it again: %s\n",
				rr->files[i], err);
			status = RR_INPUT;
			goto out;
		}
		if (sift_merge_add(m, cap) != SIFT_OK) {
			sift_capture_close(cap);
			goto out;
		}
	}
	for (;;) {
		struct sift_packet pkt;
		enum sift_rc rc = next_good(m, &pkt);
		uint64_t k;

		if (rc == SIFT_EOF)
			break;
		if (rc == SIFT_ENOMEM) {
			status = RR_INTERNAL;
			goto out;
		}
		k = FRAME_KEY(&pkt.where);
		if (!bsearch(&k, keep, n, sizeof(*keep), cmp_u64))
			continue;
		if (!w && sift_pcap_writer_open(rr->write_pcap, pkt.linktype, &w,
						err, sizeof(err)) != SIFT_OK) {
			fprintf(stderr, "sipsift: error: %s: %s\n", rr->write_pcap, err);
			status = RR_OUTPUT;
			goto out;
		}
		if (pkt.linktype != sift_pcap_writer_linktype(w)) {
			rr->other_link++;
			continue;
		}
		if (sift_pcap_write(w, pkt.where.ts, pkt.data, pkt.caplen,
				    pkt.len) != SIFT_OK) {
			status = RR_OUTPUT;
			fprintf(stderr, "sipsift: error: %s: writing the capture failed\n",
				rr->write_pcap);
			goto out;
		}
		rr->written++;
	}
	status = close_output(rr, w);
	w = NULL;
out:
	sift_pcap_writer_abort(w);
	sift_merge_free(m);
	return status;
}

/* TLS secrets read before the output is open: written when it opens. */
struct held {
	char *t;
	size_t n, cap;
	bool lost;
};

static void held_secrets(struct held *h, const char *t, size_t n)
{
	if (!sift_grow((void **)&h->t, &h->cap, h->n + n, 1, (size_t)1 << 28)) {
		h->lost = true;
		return;
	}
	memcpy(h->t + h->n, t, n);
	h->n += n;
}

/* Pass 3 with decrypt: a pipeline reads every packet again (the keys are
 * in the SDP of the calls, and early SRTP asks for the keys to come, as
 * decrypt -w does) and writes the marked frames only, SRTP/SRTCP that
 * decrypted as plain RTP/RTCP. */
static int decrypt_frames(struct sift_rerun *rr, const uint64_t *keep,
			  size_t n)
{
	struct sift_pipeline_opts o = pass_opts(rr, NULL, NULL, NULL);
	struct sift_merge *m = sift_merge_new();
	struct sift_pcap_writer *w = NULL;
	struct sift_pipeline *pl;
	struct held held = { NULL, 0, 0, false };
	bool secrets_seen = false;
	char err[256];
	int status = RR_INTERNAL;

	/* Secrets learnt from RSA keys go out before the next frame
	 * written. */
	o.tls_secrets_out = true;
	pl = sift_pipeline_new(&o);
	if (!m || !pl)
		goto out;
	sift_pipeline_keys_on_demand(pl, (const char *const *)rr->files,
				     (size_t)rr->nfiles, rr->filter);
	status = open_all(rr, m, pl);
	while (status == RR_OK) {
		struct sift_packet pkt;
		enum sift_rc rc = next_good(m, &pkt);
		uint64_t k;
		bool want;

		if (rc == SIFT_EOF)
			break;
		if (rc == SIFT_ENOMEM) {
			status = RR_INTERNAL;
			goto out;
		}
		k = FRAME_KEY(&pkt.where);
		want = bsearch(&k, keep, n, sizeof(*keep), cmp_u64) != NULL;
		if (want && !w) {
			size_t klen;
			const char *keys = sift_tls_keys_files_text(
				rr->popts.tls_keys, &klen);

			/* As decrypt -w: pcapng with the TLS secrets. */
			if (sift_pcap_writer_open_decrypted(
				    rr->write_pcap, pkt.linktype, keys, klen,
				    secrets_seen || pkt.secrets_len > 0 ||
				    sift_tls_rsa_count(rr->popts.tls_keys) > 0,
				    &w, err,
				    sizeof(err)) != SIFT_OK) {
				fprintf(stderr, "sipsift: error: %s: %s\n",
					rr->write_pcap, err);
				status = RR_OUTPUT;
				break;
			}
			if (held.n && sift_pcap_write_tls_keylog(w, held.t,
								 held.n) == SIFT_EIO) {
				fprintf(stderr, "sipsift: error: %s: writing the capture failed\n",
					rr->write_pcap);
				status = RR_OUTPUT;
				break;
			}
		}
		if (want && pkt.linktype != sift_pcap_writer_linktype(w)) {
			rr->other_link++;
			want = false;
		}
		/* Secrets the input carried go out before the frames after
		 * them (all of them: a marked frame may need any). */
		if (pkt.secrets_len > 0) {
			if (w && sift_pcap_write_tls_keylog(w, pkt.secrets,
							    pkt.secrets_len) == SIFT_EIO) {
				fprintf(stderr, "sipsift: error: %s: writing the capture failed\n",
					rr->write_pcap);
				status = RR_OUTPUT;
				break;
			}
			if (!w)
				held_secrets(&held, pkt.secrets, pkt.secrets_len);
			secrets_seen = true;
		}
		/* Only a marked frame goes out; every frame is read. */
		sift_pipeline_set_output(pl, want ? w : NULL);
		rc = sift_pipeline_packet(pl, &pkt);
		if (rc == SIFT_ENOMEM) {
			status = RR_INTERNAL;
		} else if (rc == SIFT_EIO) {
			fprintf(stderr, "sipsift: error: %s: writing the capture failed\n",
				rr->write_pcap);
			status = RR_OUTPUT;
		} else if (want) {
			rr->written++;
		}
	}
	sift_pipeline_set_output(pl, NULL);
	sift_pipeline_finish(pl);
	rr->decrypted = sift_pipeline_report(pl)->sum.rewritten;
	if (status != RR_OK)
		goto out;
	status = close_output(rr, w);
	w = NULL;
out:
	if (pl && sift_pipeline_tls_secrets_lost(pl))
		fprintf(stderr, "sipsift: warning: %s: more than 16 MiB of TLS secrets learnt from RSA keys waited for a frame to be written: %llu sessions are not in the output's key log\n",
			rr->write_pcap,
			(unsigned long long)sift_pipeline_tls_secrets_lost(pl));
	if (held.lost)
		fprintf(stderr, "sipsift: warning: %s: more than 256 MiB of TLS secrets before the first frame written: some are not in the output\n",
			rr->write_pcap);
	free(held.t);
	sift_pcap_writer_abort(w);
	sift_pipeline_free(pl);
	sift_merge_free(m);
	return status;
}

int sift_rerun_extract(struct sift_rerun *rr)
{
	struct extract_ctx x;
	int status = RR_INTERNAL;
	size_t n = 0;

	memset(&x, 0, sizeof(x));
	x.rr = rr;
	x.tcp = sift_strmap_new();
	x.frag = sift_strmap_new();
	if (x.tcp && x.frag)
		status = mark_frames(rr, &x);
	if (status == RR_OK) {
		/* A frame may be marked twice (two messages in one segment). */
		qsort(x.keep, x.nkeep, sizeof(*x.keep), cmp_u64);
		for (size_t i = 0; i < x.nkeep; i++)
			if (!n || x.keep[n - 1] != x.keep[i])
				x.keep[n++] = x.keep[i];
		status = rr->decrypt ? decrypt_frames(rr, x.keep, n) :
				       copy_frames(rr, x.keep, n);
	}
	for (size_t i = 0; i < x.nall; i++) {
		struct pending *p = (struct pending *)(uintptr_t)x.all[i];

		free(p->f);
		free(p);
	}
	free(x.all);
	free(x.keep);
	sift_strmap_free(x.tcp);
	sift_strmap_free(x.frag);
	return said(status);
}
