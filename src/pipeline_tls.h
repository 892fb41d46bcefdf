/* sipsift — the pipeline's TLS connections: which TCP directions are read
 * as TLS, the sift_tls_conn both directions of one share, and what each
 * connection was at its end (struct sift_tls_report). */
#ifndef SIPSIFT_PIPELINE_TLS_H
#define SIPSIFT_PIPELINE_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sipsift/report.h"

struct sift_tls_keys;
struct sift_tls_track;
/* One direction of a connection read as TLS. */
struct sift_tls_side;

/* Decrypted bytes of the direction whose user pointer is user; w is the
 * segment that brought them. */
typedef void (*sift_tls_track_plain_fn)(void *ctx, void *user,
					const uint8_t *p, size_t n,
					const struct sift_where *w);

/* keys: the caller's store (kept), or NULL for one of its own. */
struct sift_tls_track *sift_tls_track_new(struct sift_tls_keys *keys,
					  sift_tls_track_plain_fn fn,
					  void *ctx);
void sift_tls_track_free(struct sift_tls_track *t);
/* Memory ran out: a TLS connection could not be followed, or a session
 * kept for resumption (the pipeline's SIFT_ENOMEM). */
bool sift_tls_track_oom(const struct sift_tls_track *t);
struct sift_tls_keys *sift_tls_track_keys(const struct sift_tls_track *t);
/* TLS directions not read because MAX_TLS_LIVE (4096) connections were
 * being read at once. These two give the counters themselves, which stay
 * where they are while t lives (the pipeline watches them). */
const uint64_t *sift_tls_track_over_cap(const struct sift_tls_track *t);
/* TLS 1.2 sessions forgotten because SIFT_TLS_MAX_SESSIONS (4096) were
 * kept for resumption: a later resumption of one cannot be read. */
const uint64_t *sift_tls_track_sessions_evicted(const struct sift_tls_track *t);

/* decrypt -w: master secrets learnt from RSA keys are kept as NSS key log
 * lines (CLIENT_RANDOM) until taken, for the output to carry them before
 * the packet that needs them. Held at most 16 MiB; lines past it are
 * counted (sift_tls_track_secrets_lost), not kept. */
void sift_tls_track_collect_secrets(struct sift_tls_track *t);
const char *sift_tls_track_secrets(const struct sift_tls_track *t,
				   size_t *len);
void sift_tls_track_secrets_clear(struct sift_tls_track *t);
uint64_t sift_tls_track_secrets_lost(const struct sift_tls_track *t);

/* The first payload of a direction src -> dst: TLS (a ClientHello on any
 * port; any record on 5061 or opposite a direction read as TLS) gets a
 * side, NULL otherwise (or when it cannot be read: out of memory, too
 * many connections at once). */
struct sift_tls_side *sift_tls_track_start(struct sift_tls_track *t,
					   void *user,
					   const struct sift_addr *src,
					   const struct sift_addr *dst,
					   const uint8_t *p, size_t n,
					   const struct sift_where *w);
enum sift_rc sift_tls_side_feed(struct sift_tls_side *s, const uint8_t *p,
				size_t n, const struct sift_where *w);
void sift_tls_side_gap(struct sift_tls_side *s, uint64_t n);
/* The direction ended. When it was the last of its connection, *out is
 * what the connection was and *ndirs how many directions carried bytes;
 * returns true then. */
bool sift_tls_side_close(struct sift_tls_track *t, struct sift_tls_side *s,
			 struct sift_tls_report *out, unsigned *ndirs);

#endif
