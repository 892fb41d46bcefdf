/* sipsift — per-direction TCP stream reassembly (RFC 9293).
 *
 * Every direction (src addr/port -> dst addr/port) is a stream with its next
 * expected sequence number. Sequence numbers are compared modulo 2^32 through
 * signed 32-bit differences (RFC 9293 §3.4), so a stream may wrap freely.
 *
 * Bytes at the expected number are handed straight to the consumer from the
 * caller's buffer. Bytes ahead of it are copied into a list of held segments,
 * sorted by sequence number and never overlapping one another (bytes already
 * held win over a later copy, as bytes already delivered win over a
 * retransmission). A hole is skipped, and the consumer told its size, when
 * the held bytes or segments of a stream pass their cap, when the total held
 * bytes pass theirs (the stream with the oldest hole gives way), when the
 * oldest held segment is older than gap_timeout, at FIN/RST, eviction, idle
 * close and flush.
 *
 * Streams live in a fixed-size hash table and in exactly one of two lists:
 * live streams in least-recently-used order (for idle close and eviction),
 * and closed streams ("lingering") in closing order. A direction closed by
 * FIN or RST lingers so that a retransmission arriving after the FIN is
 * recognised as old data rather than opening a new stream that would hand
 * the consumer the same bytes twice; lingering streams are the first to go
 * when the table is full. Streams holding data are also in a list ordered by
 * the age of their oldest held segment, so expiry looks only at the front.
 *
 * All timeouts run on a clock that is the largest capture time seen, so a
 * step back in time (merged captures) never makes anything younger and the
 * lists stay in time order. Every loop either walks a capped list or frees
 * one held segment or stream per turn. The consumer's callbacks must not call
 * back into the same sift_tcp. */
#include <stdlib.h>
#include <string.h>

#include "net/tcp_reasm.h"
#include "util/htab.h"

/* Longer payloads would make signed 32-bit sequence comparisons ambiguous;
 * RFC 7323 §2.2 caps the window at 2^30 for the same reason. */
#define TCP_MAX_SEG_LEN (1u << 30)
/* How far behind a closed stream's end a segment may start and still be
 * taken for a retransmission of it rather than a new connection whose SYN
 * was not captured (a random ISN lands in this window with odds 2^-12). */
#define TCP_LINGER_WINDOW (1u << 20)

struct held {
	struct held *next;
	uint32_t seq;
	uint32_t len;
	sift_time ts;              /* clock when it arrived */
	struct sift_where where;
	uint8_t data[];
};

struct stream {
	struct sift_hnode hn;      /* in the table */
	struct sift_lnode ln;      /* live LRU list or lingering list */
	struct stream *hold_prev;  /* holding list, when head != NULL */
	struct stream *hold_next;
	bool in_hold;
	struct sift_addr src;
	struct sift_addr dst;
	void *user;
	uint32_t next_seq;         /* next byte to deliver */
	uint32_t base_seq;         /* first byte of the stream */
	uint32_t isn;
	bool have_isn;             /* a SYN was seen */
	bool ignored;              /* data() said no */
	bool closed;               /* lingering after FIN/RST */
	sift_time last_seen;       /* or, lingering, when it closed */
	struct held *head;
	struct held *tail;
	unsigned nheld;
	size_t held_bytes;
	sift_time hold_since;      /* arrival of the oldest held segment */
};

struct sift_tcp {
	struct sift_tcp_limits lim;
	struct sift_tcp_ops ops;
	void *ctx;
	struct sift_htab tab;      /* entries capped at max_streams */
	struct sift_list live;
	struct sift_list linger;
	struct stream *hold_first;
	struct stream *hold_last;
	size_t total_hold;
	struct sift_clock clock;
	struct sift_tcp_stats st;
};

void sift_tcp_limits_default(struct sift_tcp_limits *lim)
{
	if (lim == NULL)
		return;
	lim->max_streams = 65536;
	lim->max_stream_hold = 256u << 10;
	lim->max_total_hold = 64u << 20;
	lim->gap_timeout = 5 * SIFT_USEC;
	lim->idle_timeout = 300 * SIFT_USEC;
}

struct sift_tcp *sift_tcp_new(const struct sift_tcp_limits *lim,
			      const struct sift_tcp_ops *ops, void *ctx)
{
	struct sift_tcp *t;

	if (ops == NULL || ops->data == NULL)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	if (lim != NULL)
		t->lim = *lim;
	else
		sift_tcp_limits_default(&t->lim);
	if (t->lim.gap_timeout < 0)
		t->lim.gap_timeout = 0;
	if (t->lim.idle_timeout < 0)
		t->lim.idle_timeout = 0;
	t->ops = *ops;
	t->ctx = ctx;
	if (!sift_htab_init(&t->tab, t->lim.max_streams)) {
		free(t);
		return NULL;
	}
	/* The table takes 0 as 1; so do we. */
	t->lim.max_streams = t->tab.max;
	return t;
}

size_t sift_tcp_active(const struct sift_tcp *t)
{
	return t != NULL ? t->live.n : 0;
}

const struct sift_tcp_stats *sift_tcp_stats(const struct sift_tcp *t)
{
	return t != NULL ? &t->st : NULL;
}

/* ---- small helpers ---------------------------------------------------- */

/* RFC 9293 §3.4: a - b as a signed 32-bit distance. */
static int64_t seq_rel(uint32_t a, uint32_t b)
{
	return (int64_t)(int32_t)(a - b);
}

static bool older_than(const struct sift_tcp *t, sift_time then,
		       sift_time timeout)
{
	return sift_clock_older(&t->clock, then, timeout);
}

static uint32_t addr_hash(uint32_t h, const struct sift_addr *a)
{
	uint8_t head[3];

	head[0] = a->family;
	head[1] = (uint8_t)(a->port >> 8);
	head[2] = (uint8_t)a->port;
	h = sift_fnv1a(h, head, sizeof(head));
	return sift_fnv1a(h, a->ip, a->family == 4 ? 4 : 16);
}

static uint32_t stream_hash(const struct sift_addr *src,
			    const struct sift_addr *dst)
{
	return addr_hash(addr_hash(SIFT_FNV_INIT, src), dst);
}

static struct stream *find_stream(const struct sift_tcp *t,
				  const struct sift_addr *src,
				  const struct sift_addr *dst)
{
	uint32_t h = stream_hash(src, dst);
	struct sift_hnode *e;

	for (e = sift_htab_chain(&t->tab, h); e != NULL; e = e->next) {
		struct stream *s = sift_container_of(e, struct stream, hn);

		if (e->hash == h && sift_addr_eq(&s->src, src) &&
		    sift_addr_eq(&s->dst, dst))
			return s;
	}
	return NULL;
}

/* The first (oldest) stream of a list, or NULL. */
static struct stream *list_first(const struct sift_list *l)
{
	return l->first ? sift_container_of(l->first, struct stream, ln)
			: NULL;
}

static void list_append(struct sift_list *l, struct stream *s)
{
	sift_list_append(l, &s->ln);
}

static void list_remove(struct sift_list *l, struct stream *s)
{
	sift_list_remove(l, &s->ln);
}

/* ---- the holding list: streams with held data, oldest first ----------- */

static void hold_unlink(struct sift_tcp *t, struct stream *s)
{
	if (!s->in_hold)
		return;
	if (s->hold_prev != NULL)
		s->hold_prev->hold_next = s->hold_next;
	else
		t->hold_first = s->hold_next;
	if (s->hold_next != NULL)
		s->hold_next->hold_prev = s->hold_prev;
	else
		t->hold_last = s->hold_prev;
	s->hold_prev = s->hold_next = NULL;
	s->in_hold = false;
}

/* Puts s where its hold_since belongs. Walks back from the newest end: the
 * value is most often the current clock. */
static void hold_insert(struct sift_tcp *t, struct stream *s)
{
	struct stream *after = t->hold_last;

	while (after != NULL && after->hold_since > s->hold_since)
		after = after->hold_prev;
	s->hold_prev = after;
	s->hold_next = after != NULL ? after->hold_next : t->hold_first;
	if (s->hold_next != NULL)
		s->hold_next->hold_prev = s;
	else
		t->hold_last = s;
	if (after != NULL)
		after->hold_next = s;
	else
		t->hold_first = s;
	s->in_hold = true;
}

/* Called after held segments were removed: recomputes the age of the oldest
 * one left and moves the stream in (or out of) the holding list. */
static void hold_update(struct sift_tcp *t, struct stream *s)
{
	const struct held *h;
	sift_time oldest;

	if (s->head == NULL) {
		hold_unlink(t, s);
		return;
	}
	oldest = s->head->ts;
	for (h = s->head->next; h != NULL; h = h->next) {
		if (h->ts < oldest)
			oldest = h->ts;
	}
	if (s->in_hold && oldest == s->hold_since)
		return;
	hold_unlink(t, s);
	s->hold_since = oldest;
	hold_insert(t, s);
}

static void held_pop(struct sift_tcp *t, struct stream *s)
{
	struct held *h = s->head;

	s->head = h->next;
	if (s->head == NULL)
		s->tail = NULL;
	s->nheld--;
	s->held_bytes -= h->len;
	t->total_hold -= h->len;
	free(h);
}

static void held_free_all(struct sift_tcp *t, struct stream *s)
{
	while (s->head != NULL)
		held_pop(t, s);
	hold_unlink(t, s);
}

/* ---- delivery --------------------------------------------------------- */

/* Hands n in-order bytes to the consumer. Returns false when the stream is
 * (now) ignored. */
static bool deliver(struct sift_tcp *t, struct stream *s, const uint8_t *p,
		    size_t n, const struct sift_where *where)
{
	if (s->ignored)
		return false;
	if (t->ops.data(t->ctx, &s->user, &s->src, &s->dst, p, n, where))
		return true;
	/* Not our protocol: keep only the sequence state, so later segments
	 * of this direction are recognised and not offered again. */
	s->ignored = true;
	held_free_all(t, s);
	return false;
}

/* Delivers the held segments that next_seq has reached, trimming bytes that
 * were already delivered from a later-arriving copy. trig is the segment that
 * made them contiguous (NULL: attribute each to the frame it came in). */
static void drain(struct sift_tcp *t, struct stream *s,
		  const struct sift_where *trig)
{
	bool popped = false;

	while (s->head != NULL && !s->ignored) {
		struct held *h = s->head;
		int64_t r = seq_rel(h->seq, s->next_seq);
		uint64_t skip;

		if (r > 0)
			break;
		skip = (uint64_t)-r;
		s->head = h->next;
		if (s->head == NULL)
			s->tail = NULL;
		s->nheld--;
		s->held_bytes -= h->len;
		t->total_hold -= h->len;
		popped = true;
		if (skip < h->len) {
			size_t n = (size_t)(h->len - skip);

			s->next_seq += (uint32_t)n;
			deliver(t, s, h->data + skip, n,
				trig != NULL ? trig : &h->where);
		}
		free(h);
	}
	if (popped)
		hold_update(t, s);
}

/* Gives up on the hole before the first held segment (it was not captured),
 * tells the consumer how many bytes are missing, and delivers what follows. */
static void skip_hole(struct sift_tcp *t, struct stream *s,
		      const struct sift_where *trig)
{
	struct held *h = s->head;
	int64_t n;

	if (h == NULL)
		return;
	n = seq_rel(h->seq, s->next_seq);
	if (n > 0) {
		t->st.gaps++;
		t->st.gap_bytes += (uint64_t)n;
		if (t->ops.gap != NULL)
			t->ops.gap(t->ctx, &s->user, (uint64_t)n,
				   trig != NULL ? trig : &h->where);
		s->next_seq = h->seq;
	}
	drain(t, s, trig);
}

/* Delivers every held byte, skipping every hole (FIN, RST, close). */
static void deliver_all(struct sift_tcp *t, struct stream *s,
			const struct sift_where *trig)
{
	while (s->head != NULL && !s->ignored)
		skip_hole(t, s, trig);
	held_free_all(t, s);
}

/* Bytes starting exactly at next_seq: delivered from the caller's buffer, up
 * to the next held segment; held bytes then win for the range they cover. */
static void deliver_inorder(struct sift_tcp *t, struct stream *s,
			    const uint8_t *p, size_t len,
			    const struct sift_where *where)
{
	while (len > 0 && !s->ignored) {
		size_t n = len;
		uint32_t done;
		size_t adv;

		if (s->head != NULL) {
			int64_t hr = seq_rel(s->head->seq, s->next_seq);

			if (hr > 0 && (uint64_t)hr < n)
				n = (size_t)hr;
		}
		done = s->next_seq + (uint32_t)n;
		s->next_seq = done;
		if (!deliver(t, s, p, n, where))
			break;
		p += n;
		len -= n;
		drain(t, s, where);
		adv = (uint32_t)(s->next_seq - done);
		if (adv >= len)
			break;
		p += adv;
		len -= adv;
	}
}

static struct held *held_new(struct sift_tcp *t, uint32_t seq,
			     const uint8_t *p, size_t n,
			     const struct sift_where *where)
{
	struct held *h = malloc(sizeof(*h) + n);

	if (h == NULL)
		return NULL;
	h->next = NULL;
	h->seq = seq;
	h->len = (uint32_t)n;
	h->ts = t->clock.now;
	h->where = *where;
	memcpy(h->data, p, n);
	return h;
}

/* Copies the parts of an out-of-order segment that are not held yet. rs is
 * its distance ahead of next_seq (> 0). */
static enum sift_rc hold(struct sift_tcp *t, struct stream *s, int64_t rs,
			 const uint8_t *p, size_t len,
			 const struct sift_where *where)
{
	int64_t re = rs + (int64_t)len, pos = rs;
	struct held *prev = NULL, *cur, *h;
	bool was_empty = s->head == NULL;
	size_t stored = 0;

	/* Fast path: past everything held (segments after a loss usually come
	 * in order). */
	if (s->tail != NULL &&
	    rs < seq_rel(s->tail->seq, s->next_seq) + (int64_t)s->tail->len) {
		prev = NULL;
		cur = s->head;
	} else {
		prev = s->tail;
		cur = NULL;
	}
	for (; pos < re; prev = cur, cur = cur->next) {
		int64_t cs, ce, stop;

		if (cur != NULL) {
			cs = seq_rel(cur->seq, s->next_seq);
			ce = cs + cur->len;
			if (ce <= pos)
				continue;
			stop = cs < re ? cs : re;
		} else {
			cs = ce = stop = re;
		}
		if (pos < stop) {
			size_t off = (size_t)(pos - rs);
			size_t n = (size_t)(stop - pos);

			h = held_new(t, s->next_seq + (uint32_t)pos, p + off,
				     n, where);
			if (h == NULL)
				return SIFT_ENOMEM;
			h->next = cur;
			if (prev != NULL)
				prev->next = h;
			else
				s->head = h;
			if (cur == NULL)
				s->tail = h;
			s->nheld++;
			s->held_bytes += n;
			t->total_hold += n;
			stored += n;
			prev = h;
		}
		if (cur == NULL)
			break;
		pos = ce;
	}
	if (stored != 0)
		t->st.out_of_order++;
	if (was_empty && s->head != NULL) {
		s->hold_since = t->clock.now;
		hold_insert(t, s);
	}
	return SIFT_OK;
}

/* One segment's payload, seq being the number of its first byte. */
static enum sift_rc take_data(struct sift_tcp *t, struct stream *s,
			      uint32_t seq, const uint8_t *p, size_t len,
			      const struct sift_where *where)
{
	int64_t r = seq_rel(seq, s->next_seq);
	enum sift_rc rc;

	if (r < 0) {
		uint64_t old = (uint64_t)-r;

		if (old >= len) {
			t->st.retransmitted++;
			return SIFT_OK;
		}
		t->st.overlaps++;
		p += old;
		len -= (size_t)old;
		r = 0;
	}
	if (r == 0) {
		deliver_inorder(t, s, p, len, where);
		return SIFT_OK;
	}
	rc = hold(t, s, r, p, len, where);
	while (s->head != NULL && (s->held_bytes > t->lim.max_stream_hold ||
				   s->nheld > SIFT_TCP_MAX_HELD_SEGS)) {
		t->st.hold_skipped++;
		skip_hole(t, s, where);
	}
	/* Over the global cap, the stream whose hole is oldest gives way: its
	 * missing segment is the least likely still to come. */
	while (t->total_hold > t->lim.max_total_hold && t->hold_first != NULL) {
		t->st.hold_skipped++;
		skip_hole(t, t->hold_first,
			  t->hold_first == s ? where : NULL);
	}
	return rc;
}

/* ---- stream lifetime -------------------------------------------------- */

static void call_close(struct sift_tcp *t, struct stream *s)
{
	if (t->ops.close != NULL)
		t->ops.close(t->ctx, &s->user);
	s->user = NULL;
}

/* Delivers what is held, tells the consumer, and leaves s out of the live
 * list (the caller frees it or makes it linger). */
static void finish(struct sift_tcp *t, struct stream *s,
		   const struct sift_where *trig)
{
	deliver_all(t, s, trig);
	call_close(t, s);
	list_remove(&t->live, s);
}

static void stream_free(struct sift_tcp *t, struct stream *s)
{
	held_free_all(t, s);
	sift_htab_del(&t->tab, &s->hn);
	free(s);
}

static void linger(struct sift_tcp *t, struct stream *s)
{
	s->closed = true;
	s->last_seen = t->clock.now;
	list_append(&t->linger, s);
}

static void evict_one(struct sift_tcp *t)
{
	struct stream *s = list_first(&t->linger);

	if (s != NULL) {
		list_remove(&t->linger, s);
		stream_free(t, s);
		return;
	}
	s = list_first(&t->live);
	if (s == NULL)
		return;
	finish(t, s, NULL);
	stream_free(t, s);
	t->st.dropped_limit++;
	t->st.evicted++;
}

/* (Re)starts s as a new live direction: at ISN + 1 after a SYN (the SYN
 * takes one sequence number, RFC 9293 §3.4), else at the first byte seen. */
static void stream_start(struct sift_tcp *t, struct stream *s, uint32_t seq,
			 bool syn)
{
	s->user = NULL;
	s->ignored = false;
	s->closed = false;
	s->have_isn = syn;
	s->isn = seq;
	s->next_seq = syn ? seq + 1 : seq;
	s->base_seq = s->next_seq;
	s->last_seen = t->clock.now;
	list_append(&t->live, s);
	t->st.streams++;
}

static struct stream *stream_new(struct sift_tcp *t,
				 const struct sift_tcp_segment *seg)
{
	struct stream *s;

	/* Every stream is in the table and in exactly one of the lists. */
	while (sift_htab_full(&t->tab))
		evict_one(t);
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return NULL;
	s->src = seg->src;
	s->dst = seg->dst;
	sift_htab_add(&t->tab, &s->hn, stream_hash(&s->src, &s->dst));
	return s;
}

static void expire_clock(struct sift_tcp *t)
{
	while (t->hold_first != NULL &&
	       older_than(t, t->hold_first->hold_since, t->lim.gap_timeout))
		skip_hole(t, t->hold_first, NULL);
	while (t->live.first != NULL &&
	       older_than(t, list_first(&t->live)->last_seen,
			  t->lim.idle_timeout)) {
		struct stream *s = list_first(&t->live);

		finish(t, s, NULL);
		stream_free(t, s);
	}
	while (t->linger.first != NULL &&
	       older_than(t, list_first(&t->linger)->last_seen,
			  t->lim.idle_timeout)) {
		struct stream *s = list_first(&t->linger);

		list_remove(&t->linger, s);
		stream_free(t, s);
	}
}

void sift_tcp_expire(struct sift_tcp *t, sift_time now)
{
	if (t == NULL)
		return;
	sift_clock_tick(&t->clock, now);
	expire_clock(t);
}

void sift_tcp_flush(struct sift_tcp *t)
{
	if (t == NULL)
		return;
	while (t->live.first != NULL) {
		struct stream *s = list_first(&t->live);

		finish(t, s, NULL);
		stream_free(t, s);
	}
	while (t->linger.first != NULL) {
		struct stream *s = list_first(&t->linger);

		list_remove(&t->linger, s);
		stream_free(t, s);
	}
}

void sift_tcp_free(struct sift_tcp *t)
{
	if (t == NULL)
		return;
	sift_tcp_flush(t);
	sift_htab_fini(&t->tab);
	free(t);
}

/* A segment for a lingering (closed) direction: old data is dropped; a SYN
 * with a new ISN, or data beyond the old stream, is a new connection.
 * Returns true when s was restarted. */
static bool linger_reopen(struct sift_tcp *t, struct stream *s,
			  const struct sift_tcp_segment *seg)
{
	bool syn = (seg->flags & SIFT_TCP_SYN) != 0;
	int64_t r, window;

	if (syn) {
		if (s->have_isn && seg->seq == s->isn)
			return false;
	} else {
		if (seg->len == 0 || (seg->flags & SIFT_TCP_RST) != 0)
			return false;
		r = seq_rel(seg->seq, s->next_seq);
		window = (int64_t)(uint32_t)(s->next_seq - s->base_seq);
		if (window > (int64_t)TCP_LINGER_WINDOW)
			window = TCP_LINGER_WINDOW;
		if (r < 0 && r >= -window) {
			t->st.retransmitted++;
			return false;
		}
	}
	list_remove(&t->linger, s);
	stream_start(t, s, seg->seq, syn);
	return true;
}

enum sift_rc sift_tcp_add(struct sift_tcp *t, const struct sift_tcp_segment *seg)
{
	enum sift_rc rc = SIFT_OK;
	struct stream *s;
	bool syn, fin, rst;
	uint32_t dseq;

	if (t == NULL || seg == NULL || (seg->len != 0 && seg->data == NULL) ||
	    seg->len > TCP_MAX_SEG_LEN ||
	    (seg->src.family != 4 && seg->src.family != 6) ||
	    seg->dst.family != seg->src.family)
		return SIFT_EINVAL;
	syn = (seg->flags & SIFT_TCP_SYN) != 0;
	fin = (seg->flags & SIFT_TCP_FIN) != 0;
	rst = (seg->flags & SIFT_TCP_RST) != 0;
	sift_clock_tick(&t->clock, seg->where.ts);
	expire_clock(t);
	if (seg->len != 0)
		t->st.segments++;

	s = find_stream(t, &seg->src, &seg->dst);
	if (s == NULL) {
		/* Nothing to deliver and no SYN: do not track (pure ACKs of
		 * the other direction, FIN/RST of a stream never seen). */
		if (rst || (!syn && seg->len == 0))
			return SIFT_OK;
		s = stream_new(t, seg);
		if (s == NULL)
			return SIFT_ENOMEM;
		stream_start(t, s, seg->seq, syn);
	} else if (s->closed) {
		if (!linger_reopen(t, s, seg))
			return SIFT_OK;
	} else if (syn && !(s->have_isn && s->isn == seg->seq)) {
		/* A SYN with a new ISN is a new connection on the same
		 * addresses (the old one ended unseen). */
		finish(t, s, NULL);
		stream_start(t, s, seg->seq, syn);
	} else {
		list_remove(&t->live, s);
		s->last_seen = t->clock.now;
		list_append(&t->live, s);
	}

	/* RFC 9293 §3.5.3: data in a RST is a diagnostic, not stream bytes.
	 * Data in a SYN starts after the ISN. */
	dseq = syn ? seg->seq + 1 : seg->seq;
	if (seg->len != 0 && !rst && !s->ignored)
		rc = take_data(t, s, dseq, seg->data, seg->len, &seg->where);

	if (fin || rst) {
		finish(t, s, &seg->where);
		/* The FIN takes a sequence number after the data; remember it
		 * so a retransmitted FIN is seen as old. */
		if (fin && !rst) {
			uint32_t end = dseq + (uint32_t)seg->len + 1;

			if (seq_rel(end, s->next_seq) > 0)
				s->next_seq = end;
		}
		linger(t, s);
	}
	return rc;
}
