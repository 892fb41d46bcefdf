/* sipsift — reading ahead on a second core (prefetch.h).
 *
 * One reader thread, one taker, a ring of SLOTS slots. The reader fills a
 * slot with the packet (its bytes, and its secrets and comment, copied:
 * the capture's own buffers change at its next read), decodes it with a
 * sift_net of its own and, when it is a whole UDP datagram that frames as
 * one SIP message, parses that message (sift_sip_parse) from the slot's
 * copy and checks lint's syntax rules on it (sift_lint_syntax_check): the
 * pipeline decodes the same copy to the same bytes and takes both instead
 * of making them again (sift_pipeline_preparsed). Both are pure functions
 * of the bytes, and a parse's arena and spare block are per thread
 * (sip_arena.c), so they are what the pipeline would make. The reader
 * does this only while it is ahead; closer, the pipeline parses.
 *
 * Each side tells the other its counter with an atomic store every
 * PUBLISH slots, and takes no lock while the other keeps up; one that
 * waits spins a little, then sleeps, and only then does the other lock to
 * wake it. The slot handed out last stays the taker's until the next
 * call. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lint/lint_syntax.h"
#include "net/net.h"
#include "pipeline.h"
#include "prefetch.h"
#include "sip/sip_arena.h"
#include "sip/sip_frame.h"
#include "sip/sip_msg.h"

#define SLOTS 256u
/* How long a side waiting for the other checks before it sleeps: pauses
 * of some 50 cycles, a few microseconds, about what a SIP parse takes. */
#define SPIN 512u
/* Each side tells the other its counter every PUBLISH slots (and at once
 * when the other waits for it). */
#define PUBLISH 16u
/* A slot's buffer past this is given back when a smaller packet comes:
 * a jumbo packet once does not keep SLOTS large buffers. */
#define SLOT_KEEP ((size_t)65536 + 4096)
/* Fragments the reader's own sift_net holds are let go this often (of
 * capture time), as the pipeline does with its own. */
#define EXPIRE_EVERY ((sift_time)SIFT_USEC)

struct slot {
	enum sift_rc rc;
	struct sift_capture *from;
	struct sift_packet pkt;
	uint8_t *buf;
	size_t cap;
	char error[256];
	struct sift_sip_msg *msg;
	const uint8_t *msg_p;
	size_t msg_n;
	struct sift_syn syn;         /* msg's syntax, checked ahead */
	uint64_t unchecked;          /* sift_merge_unchecked then */
};

/* Each side writes its own cache line and reads the other's only now and
 * then: a counter both wrote on every packet cost more than the work it
 * moved (the line went from core to core each time). */
#define LINE 64

struct sift_prefetch {
	struct sift_merge *m;
	struct sift_net *net;        /* the reader's: decode only */
	sift_time next_expire;
	unsigned ahead;              /* parse only this far ahead or more */
	bool syntax;                 /* and check the syntax rules */
	pthread_t thread;
	pthread_mutex_t mu;          /* only to sleep and to wake */
	pthread_cond_t filled_cv, freed_cv;
	/* Slots are numbered from 0 on; slot i lives at ring[i % SLOTS]. */
	struct {                     /* written by the reader */
		_Alignas(LINE) _Atomic uint64_t filled; /* < filled are full */
		atomic_bool done;    /* no slot comes after filled */
		atomic_bool sleeps;
	} r;
	struct {                     /* written by the taker */
		_Alignas(LINE) _Atomic uint64_t freed;  /* < freed are free */
		atomic_bool stop;    /* the taker is done */
		atomic_bool hungry;  /* it took every filled slot */
		atomic_bool sleeps;
	} t;
	struct {                     /* the taker's own */
		_Alignas(LINE) uint64_t next;   /* the next slot to take */
		uint64_t seen;       /* filled, as it last read it */
	} tk;
	_Alignas(LINE) struct slot ring[SLOTS];
};

/* The packet's bytes, secrets and comment into s's buffer; pkt's pointers
 * into it. False when memory ran out. */
static bool copy_packet(struct slot *s, const struct sift_packet *pkt)
{
	size_t need = (size_t)pkt->caplen + pkt->secrets_len + pkt->comment_len;
	uint8_t *b;

	if (need > s->cap || (s->cap > SLOT_KEEP && need <= SLOT_KEEP)) {
		size_t cap = need < 2048 ? 2048 : need;

		b = malloc(cap);
		if (!b)
			return false;
		free(s->buf);
		s->buf = b;
		s->cap = cap;
	}
	b = s->buf;
	s->pkt = *pkt;
	memcpy(b, pkt->data, pkt->caplen);
	s->pkt.data = b;
	b += pkt->caplen;
	if (pkt->secrets_len) {
		memcpy(b, pkt->secrets, pkt->secrets_len);
		s->pkt.secrets = (const char *)b;
		b += pkt->secrets_len;
	}
	if (pkt->comment_len) {
		memcpy(b, pkt->comment, pkt->comment_len);
		s->pkt.comment = (const char *)b;
	}
	return true;
}

/* False for a whole UDP datagram that is no SIP message (RTP, most of a
 * media capture), told by a look at the capture's own bytes before they
 * are copied: the full decode of the slot's copy, to find that out, read
 * lines that the copy had just taken from the other core's cache (16 % of
 * the reader's time on sipp-media-4000, perf). Such a datagram decodes
 * without touching the reader's sift_net (no fragment, and no tunnel: the
 * peek leaves VXLAN to decode): there is nothing to keep it for. */
static bool may_be_sip(const struct sift_packet *pkt)
{
	struct sift_addr src, dst;
	const uint8_t *d;
	size_t n, start;

	return !sift_net_peek_udp(pkt->linktype, pkt->data, pkt->caplen, &src,
				  &dst, &d, &n) ||
	       sift_sip_datagram(d, n, &start) == SIFT_SIP_YES;
}

/* The SIP message of s's packet, when it is a whole UDP datagram that is
 * one, or a TCP segment that is one whole message; parsed as handle_sip
 * would parse it. */
static void parse_ahead(struct sift_prefetch *pf, struct slot *s)
{
	const struct sift_packet *pkt = &s->pkt;
	struct sift_l4 l4;
	enum sift_sip_err why;
	size_t start;

	if (pkt->where.ts >= pf->next_expire) {
		sift_net_expire(pf->net, pkt->where.ts);
		pf->next_expire = pkt->where.ts + EXPIRE_EVERY;
	}
	if (sift_net_decode(pf->net, pkt->linktype, pkt->data, pkt->caplen,
			    pkt->where.ts, &l4) != SIFT_OK ||
	    l4.cut || l4.reassembled)
		return;
	if (l4.proto == SIFT_IPPROTO_UDP) {
		if (sift_sip_datagram(l4.data, l4.len, &start) != SIFT_SIP_YES)
			return;
	} else if (l4.proto == SIFT_IPPROTO_TCP) {
		/* A segment that is one whole message: the pipeline's
		 * framing emits the same bytes from its own buffer, and
		 * takes the parse when they are equal. */
		if (!sift_sip_segment_whole(l4.data, l4.len))
			return;
		start = 0;
	} else {
		return;
	}
	if (sift_sip_parse(l4.data + start, l4.len - start, &s->msg, &why) !=
	    SIFT_OK) {
		s->msg = NULL;
		return;
	}
	s->msg_p = l4.data + start;
	s->msg_n = l4.len - start;
	if (pf->syntax)
		sift_lint_syntax_check(s->msg, &s->syn);
}

/* Waits until ready(pf, arg) holds: spins a while (the other side works
 * on the other core), then sleeps on cv with *sleeps set. */
static void wait_for(struct sift_prefetch *pf,
		     bool (*ready)(struct sift_prefetch *, uint64_t), uint64_t arg,
		     atomic_bool *sleeps, pthread_cond_t *cv)
{
	for (unsigned i = 0; i < SPIN; i++) {
		if (ready(pf, arg))
			return;
#if defined(__x86_64__) || defined(__i386__)
		__builtin_ia32_pause();
#endif
	}
	pthread_mutex_lock(&pf->mu);
	atomic_store(sleeps, true);
	while (!ready(pf, arg))
		pthread_cond_wait(cv, &pf->mu);
	atomic_store(sleeps, false);
	pthread_mutex_unlock(&pf->mu);
}

/* Wakes the other side when it sleeps (after a store it waits for). */
static void wake(struct sift_prefetch *pf, atomic_bool *sleeps,
		 pthread_cond_t *cv)
{
	if (!atomic_load(sleeps))
		return;
	pthread_mutex_lock(&pf->mu);
	pthread_cond_signal(cv);
	pthread_mutex_unlock(&pf->mu);
}

/* The reader, waiting with a full ring, may fill slot n: a quarter of
 * the ring is free (so that it does not wake for every slot), or the
 * taker is done. */
static bool room(struct sift_prefetch *pf, uint64_t n)
{
	return n - atomic_load(&pf->t.freed) <= SLOTS - SLOTS / 4 ||
	       atomic_load(&pf->t.stop);
}

/* The taker may take slot n, or there is none to come. */
static bool ready(struct sift_prefetch *pf, uint64_t n)
{
	return atomic_load(&pf->r.filled) > n || atomic_load(&pf->r.done);
}

/* Slots below n are full. */
static void publish(struct sift_prefetch *pf, uint64_t n)
{
	atomic_store(&pf->r.filled, n);
	wake(pf, &pf->t.sleeps, &pf->filled_cv);
}

static void read_ahead(struct sift_prefetch *pf)
{
	uint64_t freed = 0;          /* t.freed, as last read */

	for (uint64_t n = 0;; n++) {
		struct sift_packet pkt;
		struct sift_capture *from = NULL;
		struct slot *s;
		enum sift_rc rc;

		if (n - freed == SLOTS) {
			/* Full: what is filled goes out first, or the taker
			 * may never come to free a slot. */
			publish(pf, n);
			wait_for(pf, room, n, &pf->r.sleeps, &pf->freed_cv);
			freed = atomic_load(&pf->t.freed);
		}
		if (atomic_load_explicit(&pf->t.stop, memory_order_relaxed)) {
			/* What was filled is told, for stop to free its
			 * messages. */
			atomic_store(&pf->r.filled, n);
			return;
		}
		s = &pf->ring[n % SLOTS];
		rc = sift_merge_next(pf->m, &pkt, &from);
		s->rc = rc;
		s->unchecked = sift_merge_unchecked(pf->m);
		s->from = from;
		s->msg = NULL;
		s->error[0] = '\0';
		if (rc == SIFT_OK) {
			bool sip = may_be_sip(&pkt);

			if (!copy_packet(s, &pkt)) {
				/* Out of memory: the taker says so. */
				s->rc = SIFT_ENOMEM;
				snprintf(s->error, sizeof(s->error),
					 "out of memory");
			} else if (n - atomic_load_explicit(&pf->t.freed,
						memory_order_relaxed) >= pf->ahead &&
				   sip) {
				parse_ahead(pf, s);
			}
		} else if (rc != SIFT_EOF && from) {
			const char *e = sift_capture_error(from);

			snprintf(s->error, sizeof(s->error), "%s", e ? e : "");
		}
		if (rc == SIFT_EOF || s->rc == SIFT_ENOMEM) {
			atomic_store(&pf->r.filled, n + 1);
			atomic_store(&pf->r.done, true);
			wake(pf, &pf->t.sleeps, &pf->filled_cv);
			return;
		}
		if ((n + 1) % PUBLISH == 0 ||
		    atomic_load_explicit(&pf->t.hungry, memory_order_relaxed))
			publish(pf, n + 1);
	}
}

static void *reader(void *arg)
{
	read_ahead(arg);
	sift_sip_arena_thread_end();
	return NULL;
}

struct sift_prefetch *sift_prefetch_start(struct sift_merge *m, unsigned ahead,
					   bool syntax)
{
	struct sift_prefetch *pf = calloc(1, sizeof(*pf));

	if (!pf)
		return NULL;
	pf->m = m;
	pf->ahead = ahead;
	pf->syntax = syntax;
	pf->net = sift_net_new(NULL);
	if (!pf->net || pthread_mutex_init(&pf->mu, NULL) != 0) {
		sift_net_free(pf->net);
		free(pf);
		return NULL;
	}
	pthread_cond_init(&pf->filled_cv, NULL);
	pthread_cond_init(&pf->freed_cv, NULL);
	/* The reader copies every packet into the ring, and the taker reads
	 * the copy: a mapped input (src/capture/rdmap.c) then made the
	 * media of sipp-media-4000 15 % slower at -j 2 (the reader, now
	 * faster, slept on a full ring and was woken some 1,800 more
	 * times), where at -j 1 it is 11 % faster. */
	for (size_t i = 0; i < sift_merge_count(m); i++)
		sift_capture_unmap(sift_merge_get(m, i));
	if (pthread_create(&pf->thread, NULL, reader, pf) != 0) {
		pthread_cond_destroy(&pf->filled_cv);
		pthread_cond_destroy(&pf->freed_cv);
		pthread_mutex_destroy(&pf->mu);
		sift_net_free(pf->net);
		free(pf);
		return NULL;
	}
	return pf;
}

enum sift_rc sift_prefetch_next(struct sift_prefetch *pf,
				struct sift_packet *pkt,
				struct sift_capture **from,
				struct sift_prefetched *x)
{
	struct slot *s;

	/* Every slot before the next is the reader's again (the one handed
	 * out last included: this call ends its life); told now and then,
	 * and whenever the taker has to wait. */
	if (pf->tk.next % PUBLISH == 0 || pf->tk.next == pf->tk.seen) {
		atomic_store(&pf->t.freed, pf->tk.next);
		/* A reader asleep on a full ring is woken once it has its
		 * room (it published where it stopped), not for every 16. */
		if (atomic_load(&pf->r.sleeps) &&
		    room(pf, atomic_load(&pf->r.filled)))
			wake(pf, &pf->r.sleeps, &pf->freed_cv);
	}
	if (pf->tk.next == pf->tk.seen) {
		pf->tk.seen = atomic_load(&pf->r.filled);
		if (pf->tk.next == pf->tk.seen) {
			atomic_store(&pf->t.hungry, true);
			wait_for(pf, ready, pf->tk.next, &pf->t.sleeps,
				 &pf->filled_cv);
			atomic_store(&pf->t.hungry, false);
			pf->tk.seen = atomic_load(&pf->r.filled);
		}
		if (pf->tk.next == pf->tk.seen)
			return SIFT_EOF;
	}
	s = &pf->ring[pf->tk.next++ % SLOTS];
	*pkt = s->pkt;
	*from = s->from;
	x->error = s->error;
	x->msg = s->msg;
	x->msg_p = s->msg_p;
	x->msg_n = s->msg_n;
	x->syn = s->msg && pf->syntax ? &s->syn : NULL;
	x->unchecked = s->unchecked;
	/* The caller's now. Written only when set: a store would take the
	 * slot's line from the reader's cache for every packet (the reader
	 * refills it next), not only for those with a message. */
	if (s->msg)
		s->msg = NULL;
	return s->rc;
}

/* The bytes of the packet k slots after the one handed out last, when the
 * reader has told it filled: until the taker frees it, the slot is not
 * the reader's to change. */
static const uint8_t *ring_peek(const struct sift_prefetch *pf, unsigned k,
				size_t *caplen, int *linktype)
{
	const struct slot *s;

	if (pf->tk.next + k >= pf->tk.seen)
		return NULL;
	s = &pf->ring[(pf->tk.next + k) % SLOTS];
	if (s->rc != SIFT_OK)
		return NULL;
	*caplen = s->pkt.caplen;
	*linktype = s->pkt.linktype;
	return s->pkt.data;
}

void sift_prefetch_hint(const struct sift_prefetch *pf,
			const struct sift_merge *m, struct sift_pipeline *pl)
{
	const uint8_t *d;
	size_t caplen = 0;
	int linktype = 0;

	d = pf ? ring_peek(pf, 1, &caplen, &linktype) :
		 sift_merge_peek(m, 1, &caplen, &linktype);
	sift_pipeline_hint(pl, linktype, d, caplen);
}

void sift_prefetch_stop(struct sift_prefetch *pf)
{
	if (!pf)
		return;
	pthread_mutex_lock(&pf->mu);
	atomic_store(&pf->t.stop, true);
	pthread_cond_signal(&pf->freed_cv);
	pthread_mutex_unlock(&pf->mu);
	pthread_join(pf->thread, NULL);
	/* Messages parsed ahead that nobody took (the reader told every slot
	 * it filled before it ended). */
	for (uint64_t i = pf->tk.next; i < atomic_load(&pf->r.filled); i++)
		sift_sip_msg_free(pf->ring[i % SLOTS].msg);
	for (unsigned i = 0; i < SLOTS; i++)
		free(pf->ring[i].buf);
	pthread_cond_destroy(&pf->filled_cv);
	pthread_cond_destroy(&pf->freed_cv);
	pthread_mutex_destroy(&pf->mu);
	sift_net_free(pf->net);
	free(pf);
}

unsigned sift_cores(void)
{
	cpu_set_t set;
	int n;

	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return 1;
	n = CPU_COUNT(&set);
	return n > 0 ? (unsigned)n : 1;
}

/* Packets looked at in each input's reading buffer: sift_capture_peek
 * walks from the next one each time, so k of them cost k * k / 2 steps
 * (512: a tenth of a millisecond). */
#define SAMPLE 512u

bool sift_prefetch_pays(const struct sift_merge *m, bool syntax)
{
	unsigned seen = 0, sip = 0;

	if (!syntax)
		return false;
	for (size_t i = 0; i < sift_merge_count(m); i++) {
		const struct sift_capture *c = sift_merge_get(m, i);

		for (unsigned k = 0; k < SAMPLE; k++) {
			struct sift_addr src, dst;
			const uint8_t *d, *u;
			size_t caplen, n, start;
			int linktype;

			d = sift_capture_peek(c, k, &caplen, &linktype);
			if (!d)
				break;
			seen++;
			if (sift_net_peek_udp(linktype, d, caplen, &src, &dst,
					      &u, &n) &&
			    sift_sip_datagram(u, n, &start) == SIFT_SIP_YES)
				sip++;
		}
	}
	return seen == 0 || sip >= seen / 4;
}

bool sift_prefetch_files(char *const *paths, int n)
{
	for (int i = 0; i < n; i++) {
		struct stat st;

		if (strcmp(paths[i], "-") == 0 || stat(paths[i], &st) != 0 ||
		    !S_ISREG(st.st_mode))
			return false;
	}
	return true;
}
