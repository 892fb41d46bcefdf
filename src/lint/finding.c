/* sipsift — the list of findings. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sipsift/finding.h"
#include "util/spill.h"

/* The most the temporary file of findings may hold; past it, findings
 * stay in memory. */
#define SPILL_MAX ((uint64_t)4 << 30)
/* The first findings stay in memory (as records): most runs have fewer,
 * and make no file. */
#ifndef SIFT_FINDINGS_SPILL_AFTER   /* a test build may set it (0) */
#define SIFT_FINDINGS_SPILL_AFTER 256
#endif
/* (A variable: at 0 the comparison with it is no constant warning.) */
static const size_t spill_after = SIFT_FINDINGS_SPILL_AFTER;

/* A finding in the spill (sift_findings_spill): its record is a struct
 * frec, its frames, its Call-ID (idlen bytes with the NUL, 0: none) and
 * its message (msglen bytes with the NUL). */
struct frec {
	const char *rule;     /* static strings of this process */
	const char *rfc;
	uint32_t severity;
	uint32_t nframes;
	uint32_t idlen;
	uint32_t msglen;
};

/* The index of a spilled finding: its sort key and where it is. */
struct fidx {
	uint64_t frame;       /* its first frame, */
	uint32_t file;        /* in this input */
	uint32_t len;         /* the record's bytes */
	bool framed;          /* it has frames (else it sorts last) */
	bool in_memory;       /* one of the first, or the spill refused it:
			       * blob holds it */
	union {
		uint64_t ref;
		uint8_t *blob;
	} at;
};

/* A finding read back. */
struct fslot {
	struct sift_finding f;
	uint8_t *buf;
	size_t cap;
};

struct sift_findings {
	struct sift_finding *v;
	size_t n;
	size_t cap;
	uint64_t per_sev[3];
	bool oom;             /* sift_findings_oom */
	/* Spilled: the index (n entries) instead of v, the record being
	 * made, and the findings read back, oldest at next. */
	struct sift_spill *spill;
	struct fidx *x;
	uint8_t *tmp;
	size_t tmp_cap;
	struct fslot slot[SIFT_FINDINGS_READ];
	unsigned next;
};

const char *sift_severity_str(enum sift_severity s)
{
	switch (s) {
	case SIFT_SEV_ERROR:
		return "error";
	case SIFT_SEV_WARNING:
		return "warning";
	default:
		return "info";
	}
}

struct sift_findings *sift_findings_new(void)
{
	return calloc(1, sizeof(struct sift_findings));
}

void sift_findings_free(struct sift_findings *fs)
{
	if (!fs)
		return;
	for (size_t i = 0; fs->v && i < fs->n; i++) {
		free(fs->v[i].call_id);
		free(fs->v[i].message);
	}
	for (size_t i = 0; fs->x && i < fs->n; i++)
		if (fs->x[i].in_memory)
			free(fs->x[i].at.blob);
	for (unsigned k = 0; k < SIFT_FINDINGS_READ; k++)
		free(fs->slot[k].buf);
	free(fs->v);
	free(fs->x);
	free(fs->tmp);
	sift_spill_free(fs->spill);
	free(fs);
}

void sift_findings_spill(struct sift_findings *fs, bool on)
{
	if (!on || fs->spill || fs->n)
		return;
	fs->spill = sift_spill_new(SPILL_MAX);
}

const char *sift_findings_spill_trouble(const struct sift_findings *fs)
{
	return fs ? sift_spill_trouble(fs->spill) : NULL;
}

/* A finding as a record into the spill (or, refused there, into memory);
 * message is mlen bytes, the record gets them and a NUL. */
static enum sift_rc spill_add(struct sift_findings *fs, const char *rule,
			      enum sift_severity sev, const char *rfc,
			      const char *call_id,
			      const struct sift_frame_ref *frames,
			      unsigned nframes, const char *message,
			      size_t mlen)
{
	size_t msglen = mlen + 1;
	struct frec h = { rule, rfc, (uint32_t)sev, nframes,
			  call_id ? (uint32_t)strlen(call_id) + 1 : 0,
			  (uint32_t)msglen };
	size_t fl = nframes * sizeof(*frames);
	size_t len = sizeof(h) + fl + h.idlen + msglen;
	struct fidx *e;

	if (len > UINT32_MAX)
		return SIFT_ELIMIT;
	if (!sift_grow((void **)&fs->x, &fs->cap, fs->n, sizeof(*fs->x),
		       SIFT_FINDINGS_MAX) ||
	    !sift_grow((void **)&fs->tmp, &fs->tmp_cap, len, 1, UINT32_MAX))
		return SIFT_ENOMEM;
	memcpy(fs->tmp, &h, sizeof(h));
	if (fl)
		memcpy(fs->tmp + sizeof(h), frames, fl);
	if (h.idlen)
		memcpy(fs->tmp + sizeof(h) + fl, call_id, h.idlen);
	memcpy(fs->tmp + sizeof(h) + fl + h.idlen, message, mlen);
	fs->tmp[sizeof(h) + fl + h.idlen + mlen] = '\0';
	e = &fs->x[fs->n];
	memset(e, 0, sizeof(*e));
	e->framed = nframes > 0;
	e->file = nframes ? frames[0].file : 0;
	e->frame = nframes ? frames[0].frame : 0;
	e->len = (uint32_t)len;
	if (fs->n < spill_after ||
	    !sift_spill_put(fs->spill, fs->tmp, len, &e->at.ref)) {
		e->in_memory = true;
		e->at.blob = malloc(len);
		if (!e->at.blob)
			return SIFT_ENOMEM;
		memcpy(e->at.blob, fs->tmp, len);
	}
	fs->n++;
	return SIFT_OK;
}

/* A finding that cannot be read back (memory, or the file): said so in
 * its place, not left out. */
static const struct sift_finding *lost(struct fslot *sl)
{
	static char rule[] = "internal", msg[] =
		"finding lost: its temporary file could not be read back";

	sl->f.rule = rule;
	sl->f.rfc = "";
	sl->f.severity = SIFT_SEV_ERROR;
	sl->f.message = msg;
	return &sl->f;
}

/* Spilled finding i read back into the oldest slot. */
static const struct sift_finding *spill_get(const struct sift_findings *cfs,
					    size_t i)
{
	/* The slots are a cache: reading back changes no finding. */
	struct sift_findings *fs = (struct sift_findings *)cfs;
	const struct fidx *e = &fs->x[i];
	struct fslot *sl = &fs->slot[fs->next];
	struct frec h;
	size_t fl;

	fs->next = (fs->next + 1) % SIFT_FINDINGS_READ;
	memset(&sl->f, 0, sizeof(sl->f));
	if (e->len < sizeof(h))
		return lost(sl);
	if (!sift_grow((void **)&sl->buf, &sl->cap, e->len, 1, UINT32_MAX)) {
		fs->oom = true;
		return lost(sl);
	}
	if (e->in_memory)
		memcpy(sl->buf, e->at.blob, e->len);
	else if (!sift_spill_get(fs->spill, e->at.ref, sl->buf, e->len))
		return lost(sl);
	memcpy(&h, sl->buf, sizeof(h));
	fl = (size_t)h.nframes * sizeof(struct sift_frame_ref);
	if (h.nframes > SIFT_FINDING_FRAMES || !h.msglen ||
	    sizeof(h) + fl + h.idlen + h.msglen != e->len ||
	    sl->buf[e->len - 1] != '\0' ||
	    (h.idlen && sl->buf[sizeof(h) + fl + h.idlen - 1] != '\0'))
		return lost(sl);
	sl->f.rule = h.rule;
	sl->f.rfc = h.rfc;
	sl->f.severity = (enum sift_severity)h.severity;
	sl->f.nframes = h.nframes;
	if (fl)
		memcpy(sl->f.frames, sl->buf + sizeof(h), fl);
	sl->f.call_id = h.idlen ? (char *)sl->buf + sizeof(h) + fl : NULL;
	sl->f.message = (char *)sl->buf + sizeof(h) + fl + h.idlen;
	return &sl->f;
}

static enum sift_rc add_text(struct sift_findings *fs, const char *rule,
			     enum sift_severity sev, const char *rfc,
			     const char *call_id,
			     const struct sift_frame_ref *frames,
			     unsigned nframes, const char *msg, size_t len)
{
	struct sift_finding *f;

	fs->per_sev[sev]++;
	if (fs->n >= SIFT_FINDINGS_MAX)
		return SIFT_ELIMIT;
	if (nframes > SIFT_FINDING_FRAMES)
		nframes = SIFT_FINDING_FRAMES;
	if (fs->spill)
		return spill_add(fs, rule, sev, rfc, call_id, frames, nframes,
				 msg, len);
	if (!sift_grow((void **)&fs->v, &fs->cap, fs->n, sizeof(*fs->v),
		       SIFT_FINDINGS_MAX))
		return SIFT_ENOMEM;
	f = &fs->v[fs->n];
	memset(f, 0, sizeof(*f));
	f->rule = rule;
	f->severity = sev;
	f->rfc = rfc;
	if (nframes)
		memcpy(f->frames, frames, nframes * sizeof(*frames));
	f->nframes = nframes;
	f->message = malloc(len + 1);
	if (!f->message)
		return SIFT_ENOMEM;
	memcpy(f->message, msg, len);
	f->message[len] = '\0';
	if (call_id) {
		f->call_id = strdup(call_id);
		if (!f->call_id) {
			free(f->message);
			return SIFT_ENOMEM;
		}
	}
	fs->n++;
	return SIFT_OK;
}

enum sift_rc sift_findings_add_text(struct sift_findings *fs, const char *rule,
				    enum sift_severity sev, const char *rfc,
				    const char *call_id,
				    const struct sift_frame_ref *frames,
				    unsigned nframes, const char *msg,
				    size_t len)
{
	enum sift_rc rc = add_text(fs, rule, sev, rfc, call_id, frames,
				   nframes, msg, len);

	if (rc == SIFT_ENOMEM)
		fs->oom = true;
	return rc;
}

bool sift_findings_oom(const struct sift_findings *fs)
{
	return fs && fs->oom;
}

enum sift_rc sift_findings_add(struct sift_findings *fs, const char *rule,
			       enum sift_severity sev, const char *rfc,
			       const char *call_id,
			       const struct sift_frame_ref *frames,
			       unsigned nframes, const char *fmt, ...)
{
	/* One pass of printf for the messages that fit (all of lint's). */
	char buf[1024], *msg = buf;
	va_list ap;
	int len;
	enum sift_rc rc;

	va_start(ap, fmt);
	len = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (len >= 0 && (size_t)len >= sizeof(buf)) {
		msg = malloc((size_t)len + 1);
		if (msg) {
			va_start(ap, fmt);
			vsnprintf(msg, (size_t)len + 1, fmt, ap);
			va_end(ap);
		}
	}
	if (len < 0 || !msg) {
		/* A message that cannot be made still counts. */
		fs->per_sev[sev]++;
		if (fs->n >= SIFT_FINDINGS_MAX)
			return SIFT_ELIMIT;
		if (len < 0)
			return SIFT_EINVAL;
		fs->oom = true;
		return SIFT_ENOMEM;
	}
	rc = sift_findings_add_text(fs, rule, sev, rfc, call_id, frames,
				    nframes, msg, (size_t)len);
	if (msg != buf)
		free(msg);
	return rc;
}

static bool before(const void *pa, const void *pb)
{
	const struct sift_finding *a = pa, *b = pb;

	if (!a->nframes || !b->nframes)
		return a->nframes && !b->nframes;
	if (a->frames[0].file != b->frames[0].file)
		return a->frames[0].file < b->frames[0].file;
	return a->frames[0].frame < b->frames[0].frame;
}

/* The same order for the index of spilled findings. */
static bool x_before(const void *pa, const void *pb)
{
	const struct fidx *a = pa, *b = pb;

	if (!a->framed || !b->framed)
		return a->framed && !b->framed;
	if (a->file != b->file)
		return a->file < b->file;
	return a->frame < b->frame;
}

/* Merges the sorted runs v[lo, mid) and v[mid, hi) of sz-byte elements,
 * the left one through t; the left wins ties (stable). */
static void merge(uint8_t *v, uint8_t *t, size_t lo, size_t mid, size_t hi,
		  size_t sz, bool (*lt)(const void *, const void *))
{
	size_t i = 0, nl = mid - lo, j = mid, k = lo;

	memcpy(t, v + lo * sz, nl * sz);
	while (i < nl && j < hi) {
		if (lt(v + j * sz, t + i * sz))
			memcpy(v + k++ * sz, v + j++ * sz, sz);
		else
			memcpy(v + k++ * sz, t + i++ * sz, sz);
	}
	memcpy(v + k * sz, t + i * sz, (nl - i) * sz);
}

/* Stable sort of n elements of sz bytes by lt. The list is nearly in
 * order (message rules run in capture order, a call's rules when it
 * ends), so two runs already in order cost one comparison; but the
 * insertion sort this was went quadratic on the findings of calls linted
 * at the end of a capture (16,000 of them: 2 % of a run), and 100,000
 * findings could take minutes. Out of memory: insertion after all. */
static void stable_sort(void *base, size_t n, size_t sz,
			bool (*lt)(const void *, const void *))
{
	uint8_t *v = base, *t = n > 1 ? malloc(n * sz) : NULL;
	uint8_t x[sizeof(struct sift_finding) > sizeof(struct fidx) ?
		  sizeof(struct sift_finding) : sizeof(struct fidx)];

	if (t) {
		for (size_t w = 1; w < n; w *= 2)
			for (size_t lo = 0; lo + w < n; lo += 2 * w) {
				size_t mid = lo + w, hi = n - mid > w ? mid + w : n;

				if (lt(v + mid * sz, v + (mid - 1) * sz))
					merge(v, t, lo, mid, hi, sz, lt);
			}
		free(t);
		return;
	}
	for (size_t i = 1; i < n && sz <= sizeof(x); i++) {
		size_t j = i;

		memcpy(x, v + i * sz, sz);
		while (j > 0 && lt(x, v + (j - 1) * sz)) {
			memcpy(v + j * sz, v + (j - 1) * sz, sz);
			j--;
		}
		memcpy(v + j * sz, x, sz);
	}
}

void sift_findings_sort(struct sift_findings *fs)
{
	if (fs->x)
		stable_sort(fs->x, fs->n, sizeof(*fs->x), x_before);
	if (fs->v)
		stable_sort(fs->v, fs->n, sizeof(*fs->v), before);
}

size_t sift_findings_count(const struct sift_findings *fs)
{
	return fs->n;
}

const struct sift_finding *sift_findings_get(const struct sift_findings *fs,
					     size_t i)
{
	if (i >= fs->n)
		return NULL;
	return fs->x ? spill_get(fs, i) : &fs->v[i];
}

uint64_t sift_findings_severity(const struct sift_findings *fs,
				enum sift_severity s)
{
	return fs->per_sev[s];
}

const uint64_t *sift_findings_severity_counter(const struct sift_findings *fs,
					       enum sift_severity s)
{
	return &fs->per_sev[s];
}
