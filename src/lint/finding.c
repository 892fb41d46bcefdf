/* sipsift — the list of findings. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sipsift/finding.h"

struct sift_findings {
	struct sift_finding *v;
	size_t n;
	size_t cap;
	uint64_t per_sev[3];
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
	for (size_t i = 0; i < fs->n; i++) {
		free(fs->v[i].call_id);
		free(fs->v[i].message);
	}
	free(fs->v);
	free(fs);
}

enum sift_rc sift_findings_add(struct sift_findings *fs, const char *rule,
			       enum sift_severity sev, const char *rfc,
			       const char *call_id,
			       const struct sift_frame_ref *frames,
			       unsigned nframes, const char *fmt, ...)
{
	struct sift_finding *f;
	va_list ap;
	int len;

	fs->per_sev[sev]++;
	if (fs->n >= SIFT_FINDINGS_MAX)
		return SIFT_ELIMIT;
	if (!sift_grow((void **)&fs->v, &fs->cap, fs->n, sizeof(*fs->v),
		       SIFT_FINDINGS_MAX))
		return SIFT_ENOMEM;
	f = &fs->v[fs->n];
	memset(f, 0, sizeof(*f));
	f->rule = rule;
	f->severity = sev;
	f->rfc = rfc;
	if (nframes > SIFT_FINDING_FRAMES)
		nframes = SIFT_FINDING_FRAMES;
	if (nframes)
		memcpy(f->frames, frames, nframes * sizeof(*frames));
	f->nframes = nframes;
	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		return SIFT_EINVAL;
	f->message = malloc((size_t)len + 1);
	if (!f->message)
		return SIFT_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(f->message, (size_t)len + 1, fmt, ap);
	va_end(ap);
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

static bool before(const struct sift_finding *a, const struct sift_finding *b)
{
	if (!a->nframes || !b->nframes)
		return a->nframes && !b->nframes;
	if (a->frames[0].file != b->frames[0].file)
		return a->frames[0].file < b->frames[0].file;
	return a->frames[0].frame < b->frames[0].frame;
}

void sift_findings_sort(struct sift_findings *fs)
{
	/* Insertion sort: stable, and the list is nearly in order already
	 * (message rules run in capture order). */
	for (size_t i = 1; i < fs->n; i++) {
		struct sift_finding x = fs->v[i];
		size_t j = i;

		while (j > 0 && before(&x, &fs->v[j - 1])) {
			fs->v[j] = fs->v[j - 1];
			j--;
		}
		fs->v[j] = x;
	}
}

size_t sift_findings_count(const struct sift_findings *fs)
{
	return fs->n;
}

const struct sift_finding *sift_findings_get(const struct sift_findings *fs,
					     size_t i)
{
	return i < fs->n ? &fs->v[i] : NULL;
}

uint64_t sift_findings_severity(const struct sift_findings *fs,
				enum sift_severity s)
{
	return fs->per_sev[s];
}
