/* sipsift — the second pass of show (see rerun.h). */
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "report/report_show.h"
#include "rerun.h"

enum { RR_OK = 0, RR_INPUT = 3, RR_OUTPUT = 4, RR_INTERNAL = 5 };

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

/* Every input opened again, merged by time as in the first pass. */
static int open_all(struct sift_rerun *rr, struct sift_merge *m,
		    struct sift_pipeline *pl)
{
	char err[256];

	for (int i = 0; i < rr->nfiles; i++) {
		struct sift_capture *cap;

		if (sift_pipeline_input(pl, rr->files[i]) != SIFT_OK)
			return RR_INTERNAL;
		if (sift_capture_open(rr->files[i], (uint32_t)i, &cap, err,
				      sizeof(err)) != SIFT_OK) {
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

int sift_rerun_show(struct sift_rerun *rr)
{
	struct sift_pipeline_opts o = rr->popts;
	struct show_ctx sc = { rr, NULL, NULL, false };
	struct sift_pipeline *pl = NULL;
	struct sift_merge *m = sift_merge_new();
	int status = RR_INTERNAL;

	/* The SIP is what this pass is for: no audio, no NDJSON. */
	o.audio = NULL;
	o.on_stream = NULL;
	o.on_call = drop_call;
	o.on_call_ctx = NULL;
	o.on_sip = show_tap;
	o.on_sip_ctx = &sc;
	pl = sift_pipeline_new(&o);
	sc.show = sift_show_new(rr->out, rr->json);
	if (!m || !pl || !sc.show)
		goto out;
	status = open_all(rr, m, pl);
	if (status != RR_OK)
		goto out;
	for (;;) {
		struct sift_packet pkt;
		struct sift_capture *from = NULL;
		enum sift_rc rc = sift_merge_next(m, &pkt, &from);

		if (rc == SIFT_EOF)
			break;
		/* Damage was said in the first pass. */
		if (rc != SIFT_OK)
			continue;
		sc.pkt = &pkt;
		if (sift_pipeline_packet(pl, &pkt) == SIFT_ENOMEM) {
			fprintf(stderr, "sipsift: error: out of memory\n");
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
	return status;
}
