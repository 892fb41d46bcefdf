/* sipsift — findings: what a rule found, where, and which RFC requires it. */
#ifndef SIPSIFT_FINDING_H
#define SIPSIFT_FINDING_H

#include "sipsift/common.h"

enum sift_severity {
	SIFT_SEV_INFO = 0,
	SIFT_SEV_WARNING,
	SIFT_SEV_ERROR
};

const char *sift_severity_str(enum sift_severity s);

#define SIFT_FINDING_FRAMES 8   /* frames kept as evidence per finding */
#define SIFT_FINDINGS_MAX 100000

struct sift_frame_ref {
	uint32_t file;
	uint64_t frame;
};

struct sift_finding {
	const char *rule;         /* static rule id */
	enum sift_severity severity;
	const char *rfc;          /* static, "RFC 3261 §7" */
	char *call_id;            /* NULL when not tied to a call */
	struct sift_frame_ref frames[SIFT_FINDING_FRAMES];
	unsigned nframes;
	char *message;
};

struct sift_findings;

struct sift_findings *sift_findings_new(void);
void sift_findings_free(struct sift_findings *fs);

/* Keep the findings in a temporary file (util/spill.h), each read back
 * when asked for, with only a small index in memory: the findings of a
 * long capture are what the report needs at its end, not while it runs.
 * Given before the first finding (later it changes nothing). A finding got
 * back stays valid until SIFT_FINDINGS_READ others have been got. */
#ifndef SIFT_FINDINGS_READ      /* a test build may set it (1) */
#define SIFT_FINDINGS_READ 8
#endif
void sift_findings_spill(struct sift_findings *fs, bool on);
/* Why findings that would wait on disk stayed in memory, or NULL. */
const char *sift_findings_spill_trouble(const struct sift_findings *fs);

/* Adds a finding (message printf-style). Past SIFT_FINDINGS_MAX they are
 * counted only. */
enum sift_rc sift_findings_add(struct sift_findings *fs, const char *rule,
			       enum sift_severity sev, const char *rfc,
			       const char *call_id,
			       const struct sift_frame_ref *frames,
			       unsigned nframes, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));

/* The same with the message made already: len bytes at msg (no NUL
 * needed). */
enum sift_rc sift_findings_add_text(struct sift_findings *fs, const char *rule,
				    enum sift_severity sev, const char *rfc,
				    const char *call_id,
				    const struct sift_frame_ref *frames,
				    unsigned nframes, const char *msg,
				    size_t len);

/* A finding could not be kept for want of memory (an add said
 * SIFT_ENOMEM): the list misses it. Stays true. */
bool sift_findings_oom(const struct sift_findings *fs);

/* Orders the findings by their first frame (file, then frame number);
 * findings without frames go last, ties keep their order. */
void sift_findings_sort(struct sift_findings *fs);

size_t sift_findings_count(const struct sift_findings *fs);
const struct sift_finding *sift_findings_get(const struct sift_findings *fs,
					     size_t i);
/* Count per severity, including those past the cap. */
uint64_t sift_findings_severity(const struct sift_findings *fs,
				enum sift_severity s);
/* The counter behind sift_findings_severity(fs, s), which stays where it
 * is while fs lives: it grows with every finding added, kept or not. */
const uint64_t *sift_findings_severity_counter(const struct sift_findings *fs,
					       enum sift_severity s);

#endif
