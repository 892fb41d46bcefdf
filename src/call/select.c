/* sipsift — the selection every command honours (see select.h). */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "call/select.h"
#include "util/span.h"
#include "sipsift/report.h"
#include "util/strmap.h"

#define DAY_USEC (86400 * SIFT_USEC)

/* Digits of a decimal number, at most maxd of them; *p moves past them.
 * false when there is none. */
static bool digits(const char **p, unsigned maxd, int64_t *v)
{
	const char *q = *p;
	int64_t n = 0;
	unsigned k = 0;

	for (; *q >= '0' && *q <= '9' && k < maxd; q++, k++)
		n = n * 10 + (*q - '0');
	if (!k)
		return false;
	*p = q;
	*v = n;
	return true;
}

/* ".F": a fraction of a second in µs (further digits are dropped). */
static int64_t fraction(const char **p)
{
	int64_t us = 0, scale = 100000;
	const char *q = *p;

	if (*q != '.')
		return 0;
	for (q++; *q >= '0' && *q <= '9'; q++) {
		us += (*q - '0') * scale;
		scale /= 10;
	}
	*p = q;
	return us;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* HH:MM[:SS[.F]] as µs since midnight. */
static bool time_of_day(const char **p, int64_t *t)
{
	int64_t h, mi, s = 0;
	const char *q = *p;

	if (!digits(&q, 2, &h) || *q++ != ':' || !digits(&q, 2, &mi) ||
	    h > 23 || mi > 59)
		return false;
	*t = (h * 3600 + mi * 60) * SIFT_USEC;
	if (*q == ':') {
		q++;
		if (!digits(&q, 2, &s) || s > 60)
			return false;
		*t += s * SIFT_USEC + fraction(&q);
	}
	*p = q;
	return true;
}

bool sift_select_time(const char *arg, int64_t *t, bool *rel, bool *tod)
{
	const char *p = arg;
	int64_t v, y, mo, d, day;

	*rel = *tod = false;
	if (*p == '+') {
		int64_t unit = SIFT_USEC;

		p++;
		if (!digits(&p, 12, &v))
			return false;
		*t = v * SIFT_USEC + fraction(&p);
		if (*p == 'm')
			unit = 60;
		else if (*p == 'h')
			unit = 3600;
		if (unit != SIFT_USEC) {
			*t *= unit;
			p++;
		} else if (*p == 's') {
			p++;
		}
		*rel = true;
		return *p == '\0';
	}
	if (*p == '@') {
		p++;
		if (!digits(&p, 12, &v))
			return false;
		*t = v * SIFT_USEC + fraction(&p);
		return *p == '\0';
	}
	if (p[0] && p[1] && p[2] == ':') {
		*tod = true;
		return time_of_day(&p, t) && *p == '\0';
	}
	if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) ||
	    *p++ != '-' || !digits(&p, 2, &d) || mo < 1 || mo > 12 || d < 1 ||
	    d > 31 || y < 1970)
		return false;
	day = days_from_civil(y, mo, d) * DAY_USEC;
	*t = day;
	if (*p == '\0')
		return true;
	if (*p != ' ' && *p != 'T')
		return false;
	p++;
	if (!time_of_day(&p, &v))
		return false;
	*t += v;
	if (*p == 'Z')
		p++;
	return *p == '\0';
}

bool sift_select_digits(const char *in, size_t n, char *out, size_t outlen)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		char ch = in[i];

		if (ch == '+' || ch == ' ' || ch == '-' || ch == '.' ||
		    ch == '(' || ch == ')')
			continue;
		if (ch < '0' || ch > '9' || k + 1 >= outlen)
			return false;
		out[k++] = ch;
	}
	out[k] = '\0';
	return k > 0;
}

static enum sift_rc add_time(bool *has, int64_t *t, bool *rel, bool *tod,
			     const char *name, const char *arg, char *err,
			     size_t errlen)
{
	if (!sift_select_time(arg, t, rel, tod)) {
		snprintf(err, errlen, "%s wants +SECONDS (after the capture's start; s, m or h may follow), YYYY-MM-DD HH:MM[:SS] (UTC), HH:MM[:SS] or @EPOCH, not '%s'",
			 name, arg);
		return SIFT_EINVAL;
	}
	*has = true;
	return SIFT_OK;
}

static enum sift_rc add_state(struct sift_select *s, const char *arg,
			      char *err, size_t errlen)
{
	const char *p = arg;

	/* A comma-separated list, as --rules takes. */
	while (*p) {
		size_t n = strcspn(p, ",");
		int st;

		for (st = SIFT_CALL_IN_PROGRESS; st <= SIFT_CALL_NO_ACK; st++) {
			const char *name = sift_call_state_str((enum sift_call_state)st);

			if (strlen(name) == n && strncmp(name, p, n) == 0)
				break;
		}
		if (st > SIFT_CALL_NO_ACK) {
			snprintf(err, errlen, "--state wants answered, ended, cancelled, rejected, failed, no-answer, no-ack or in-progress, not '%.*s'",
				 (int)n, p);
			return SIFT_EINVAL;
		}
		s->states |= 1u << st;
		p += n + (p[n] == ',');
	}
	if (!s->states) {
		snprintf(err, errlen, "--state wants a call state");
		return SIFT_EINVAL;
	}
	return SIFT_OK;
}

/* A positive decimal number up to max (no atoi: it takes "12abc"). */
static bool positive(const char *arg, uint64_t max, uint64_t *out)
{
	uint64_t n;

	if (!sift_span_u64(sift_span_cstr(arg), max, &n) || n == 0)
		return false;
	*out = n;
	return true;
}

#define FULL(n, what) do { \
	if ((n) >= SIFT_SELECT_MAX) { \
		snprintf(err, errlen, "too many %s options (at most %d)", what, SIFT_SELECT_MAX); \
		return SIFT_EINVAL; \
	} } while (0)

/* long-function: one case per option, each a few lines. */
enum sift_rc sift_select_add(struct sift_select *s, enum sift_select_opt o,
			     const char *arg, char *err, size_t errlen)
{
	uint64_t n;

	switch (o) {
	case SIFT_SEL_CALL:
		FULL(s->ncalls, "--call");
		if (!positive(arg, UINT32_MAX, &n)) {
			snprintf(err, errlen, "--call wants a call number from the calls list, not '%s'", arg);
			return SIFT_EINVAL;
		}
		s->calls[s->ncalls++] = (uint32_t)n;
		return SIFT_OK;
	case SIFT_SEL_CALL_ID:
		FULL(s->ncall_ids, "--call-id");
		if (!*arg) {
			snprintf(err, errlen, "--call-id wants a Call-ID");
			return SIFT_EINVAL;
		}
		s->call_ids[s->ncall_ids++] = arg;
		return SIFT_OK;
	case SIFT_SEL_FROM:
	case SIFT_SEL_TO:
		if (o == SIFT_SEL_FROM) {
			FULL(s->nfrom, "--from");
			s->from[s->nfrom++] = arg;
		} else {
			FULL(s->nto, "--to");
			s->to[s->nto++] = arg;
		}
		return SIFT_OK;
	case SIFT_SEL_NUMBER:
		FULL(s->nnumbers, "--number");
		if (!sift_select_digits(arg, strlen(arg), s->numbers[s->nnumbers],
					SIFT_SELECT_NUMBER_MAX)) {
			snprintf(err, errlen, "--number wants digits (+, spaces, dashes and dots are ignored), not '%s'", arg);
			return SIFT_EINVAL;
		}
		s->nnumbers++;
		return SIFT_OK;
	case SIFT_SEL_STATE:
		return add_state(s, arg, err, errlen);
	case SIFT_SEL_SINCE:
		return add_time(&s->has_since, &s->since, &s->since_rel,
				&s->since_tod, "--since", arg, err, errlen);
	case SIFT_SEL_UNTIL:
		return add_time(&s->has_until, &s->until, &s->until_rel,
				&s->until_tod, "--until", arg, err, errlen);
	case SIFT_SEL_FRAME:
		FULL(s->nframes, "--frame");
		if (!positive(arg, UINT64_MAX / 10, &n)) {
			snprintf(err, errlen, "--frame wants a frame number, not '%s'", arg);
			return SIFT_EINVAL;
		}
		s->frames[s->nframes++] = n;
		return SIFT_OK;
	}
	snprintf(err, errlen, "unknown selection option");
	return SIFT_EINVAL;
}

bool sift_select_active(const struct sift_select *s)
{
	return s->ncalls || s->ncall_ids || s->nfrom || s->nto ||
	       s->nnumbers || s->states || s->has_since || s->has_until ||
	       s->nframes;
}

/* PAT: a shell pattern when it has one of *?[, else a substring; case
 * does not matter either way. A pattern matches the whole URI or the URI
 * without its scheme ('bob*' finds sip:bob@example.com). */
static bool pattern_match(const char *pat, const char *text)
{
	const char *colon;

	if (!text)
		return false;
	if (!strpbrk(pat, "*?["))
		return strcasestr(text, pat) != NULL;
	if (fnmatch(pat, text, FNM_CASEFOLD) == 0)
		return true;
	colon = strchr(text, ':');
	return colon && fnmatch(pat, colon + 1, FNM_CASEFOLD) == 0;
}

static bool any_pattern(const char *const *pats, size_t n, const char *text)
{
	for (size_t i = 0; i < n; i++)
		if (pattern_match(pats[i], text))
			return true;
	return false;
}

/* The number of a URI: the user part of sip:/sips: (before @ or ;), or a
 * tel: URI's number (before ;), with the visual separators gone. A name
 * in front (From: "A" <sip:...>) and the angle brackets are skipped. */
static bool uri_number(const char *uri, char *out, size_t outlen)
{
	const char *p, *e;

	if (!uri)
		return false;
	p = strchr(uri, '<');
	p = p ? p + 1 : uri;
	while (*p == ' ')
		p++;
	if (strncasecmp(p, "sip:", 4) == 0)
		p += 4;
	else if (strncasecmp(p, "sips:", 5) == 0)
		p += 5;
	else if (strncasecmp(p, "tel:", 4) == 0)
		p += 4;
	else
		return false;
	e = p + strcspn(p, "@;>?");
	if (p[e - p] != '@' && strncasecmp(p - 4, "tel:", 4) != 0)
		return false;   /* sip:host has no user part */
	return sift_select_digits(p, (size_t)(e - p), out, outlen);
}

/* A number matches when the URI's number ends with it: 5551234 finds
 * +1 555 1234 and 0015551234 alike. */
static bool number_match(const struct sift_select *s, const char *uri)
{
	char num[128];
	size_t nl;

	if (!uri_number(uri, num, sizeof(num)))
		return false;
	nl = strlen(num);
	for (size_t i = 0; i < s->nnumbers; i++) {
		size_t k = strlen(s->numbers[i]);

		if (k <= nl && strcmp(num + nl - k, s->numbers[i]) == 0)
			return true;
	}
	return false;
}

static bool numbers_match(const struct sift_select *s, const struct sift_call *c)
{
	if (number_match(s, c->from) || number_match(s, c->to))
		return true;
	for (size_t i = 0; i < c->nmsgs; i++) {
		const struct sift_msg_rec *m = &c->msgs[i];

		if (number_match(s, m->ruri) || number_match(s, m->from_uri) ||
		    number_match(s, m->to_uri) || number_match(s, m->pai))
			return true;
	}
	return false;
}

static bool named(const struct sift_select *s, const struct sift_call *c)
{
	if (!s->ncalls && !s->ncall_ids)
		return true;
	for (size_t i = 0; i < s->ncalls; i++)
		if (c->index == s->calls[i])
			return true;
	for (size_t i = 0; i < s->ncall_ids; i++)
		if (c->call_id && strcmp(c->call_id, s->call_ids[i]) == 0)
			return true;
	return false;
}

static bool has_frame(const struct sift_select *s, const struct sift_call *c)
{
	if (!s->nframes)
		return true;
	for (size_t i = 0; i < c->nmsgs; i++)
		for (size_t k = 0; k < s->nframes; k++)
			if (c->msgs[i].where.frame == s->frames[k])
				return true;
	return false;
}

/* A time option as an absolute time, for a capture that started at
 * start. */
static sift_time resolve(int64_t t, bool rel, bool tod, sift_time start)
{
	if (rel)
		return start + (sift_time)t;
	if (tod)
		return start - start % DAY_USEC + (sift_time)t;
	return (sift_time)t;
}

bool sift_select_match(const struct sift_select *s, const struct sift_call *c,
		       sift_time now, sift_time start)
{
	if (!named(s, c) || !has_frame(s, c))
		return false;
	if (s->nfrom && !any_pattern(s->from, s->nfrom, c->from))
		return false;
	if (s->nto && !any_pattern(s->to, s->nto, c->to))
		return false;
	if (s->nnumbers && !numbers_match(s, c))
		return false;
	/* A call is in the time window when it starts in it. */
	if (s->has_since &&
	    c->first_ts < resolve(s->since, s->since_rel, s->since_tod, start))
		return false;
	if (s->has_until &&
	    c->first_ts > resolve(s->until, s->until_rel, s->until_tod, start))
		return false;
	if (s->states) {
		struct sift_call_outcome o;

		sift_call_outcome(c, now, &o);
		if (!(s->states & (1u << o.state)))
			return false;
	}
	return true;
}

struct sift_selected {
	const struct sift_select *s;
	struct sift_strmap *ids;        /* Call-ID -> struct sift_sel_call */
	bool found_call[SIFT_SELECT_MAX];
	bool found_id[SIFT_SELECT_MAX];
	bool found_frame[SIFT_SELECT_MAX];
	struct sift_sel_call **recs;    /* every record, to free */
	size_t nrecs, cap;
};

struct sift_selected *sift_selected_new(const struct sift_select *s)
{
	struct sift_selected *x = calloc(1, sizeof(*x));

	if (!x)
		return NULL;
	x->s = s;
	x->ids = sift_strmap_new();
	if (!x->ids) {
		sift_selected_free(x);
		return NULL;
	}
	return x;
}

void sift_selected_free(struct sift_selected *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->nrecs; i++)
		free(x->recs[i]);
	free(x->recs);
	sift_strmap_free(x->ids);
	free(x);
}

/* Which named calls and frames this call is (whatever the filters say). */
static void note_found(struct sift_selected *x, const struct sift_call *c)
{
	const struct sift_select *s = x->s;

	for (size_t i = 0; i < s->ncalls; i++)
		x->found_call[i] |= c->index == s->calls[i];
	for (size_t i = 0; i < s->ncall_ids; i++)
		x->found_id[i] |= c->call_id && strcmp(c->call_id, s->call_ids[i]) == 0;
	for (size_t i = 0; i < c->nmsgs && s->nframes; i++)
		for (size_t k = 0; k < s->nframes; k++)
			x->found_frame[k] |= c->msgs[i].where.frame == s->frames[k];
}

enum sift_rc sift_selected_judge(struct sift_selected *x,
				 const struct sift_call *c, sift_time now,
				 sift_time start, bool *match)
{
	struct sift_sel_call *rec;

	*match = false;
	if (!c->call_id)
		return SIFT_OK;
	if (sift_strmap_get(x->ids, c->call_id)) {
		*match = true;
		return SIFT_OK;
	}
	/* Only the calls selected are remembered: each call is judged
	 * once, when it is finished (or at the end of the capture). */
	note_found(x, c);
	if (!sift_select_match(x->s, c, now, start))
		return SIFT_OK;
	if (x->nrecs == x->cap &&
	    !sift_grow((void **)&x->recs, &x->cap, x->nrecs, sizeof(*x->recs),
		       SIFT_CALLS_MAX))
		return SIFT_ENOMEM;
	rec = calloc(1, sizeof(*rec));
	if (!rec)
		return SIFT_ENOMEM;
	x->recs[x->nrecs++] = rec;
	rec->index = c->index;
	rec->first_ts = c->first_ts;
	if (sift_strmap_put(x->ids, c->call_id, rec))
		return SIFT_ENOMEM;
	*match = true;
	return SIFT_OK;
}

struct sift_sel_call *sift_selected_get(const struct sift_selected *x,
					const char *call_id)
{
	return call_id ? sift_strmap_get(x->ids, call_id) : NULL;
}

bool sift_selected_has(const struct sift_selected *x, const char *call_id)
{
	return sift_selected_get(x, call_id) != NULL;
}

size_t sift_selected_count(const struct sift_selected *x)
{
	return sift_strmap_count(x->ids);
}

int sift_selected_check(const struct sift_selected *x, uint64_t total,
			char *msg, size_t len)
{
	const struct sift_select *s = x->s;
	const char *calls = total == 1 ? "call" : "calls";

	for (size_t i = 0; i < s->ncalls; i++)
		if (!x->found_call[i]) {
			snprintf(msg, len, "--call %u: no such call; the capture has %llu %s (numbered 1 to %llu by 'sipsift calls')",
				 s->calls[i], (unsigned long long)total, calls,
				 (unsigned long long)total);
			if (!total)
				snprintf(msg, len, "--call %u: no such call; the capture has no calls",
					 s->calls[i]);
			return 2;
		}
	for (size_t i = 0; i < s->ncall_ids; i++)
		if (!x->found_id[i]) {
			snprintf(msg, len, "--call-id %s: no call has this Call-ID; the capture has %llu %s",
				 s->call_ids[i], (unsigned long long)total, calls);
			return 2;
		}
	for (size_t i = 0; i < s->nframes; i++)
		if (!x->found_frame[i]) {
			snprintf(msg, len, "--frame %llu: no SIP message of a call is in that frame (the capture has %llu %s)",
				 (unsigned long long)s->frames[i],
				 (unsigned long long)total, calls);
			return 2;
		}
	if (sift_select_active(s) && !sift_strmap_count(x->ids)) {
		snprintf(msg, len, "no call matches the selection (the capture has %llu %s)",
			 (unsigned long long)total, calls);
		return 1;
	}
	return 0;
}

bool sift_report_shown(const struct sift_report *r, const struct sift_call *c)
{
	return !r->sel || sift_selected_has(r->sel, c->call_id);
}

bool sift_report_shown_id(const struct sift_report *r, const char *call_id)
{
	return !r->sel || sift_selected_has(r->sel, call_id);
}
