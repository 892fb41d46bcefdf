/* sipsift — a spill: records put away in an unlinked temporary file and
 * read back when asked for (calls at rest, src/call/call_rest.c; findings
 * of the JSON reports, src/lint/finding.c), so that memory follows what is
 * in use and the disk holds what is only kept for the report.
 *
 * The file is made at the first put, in $TMPDIR (else /tmp), and unlinked
 * at once: nothing is left behind, whatever ends the run. Its room is
 * reused: each record takes a slot of its size class (64-byte steps up to
 * 64 KB, powers of two above), and a slot dropped goes to the next record
 * of its class. Writes gather in a buffer of SIFT_SPILL_BUF bytes; reads
 * are served from it or from read-ahead buffers of the same size, one for
 * each of up to four runs of reads going forward through the file. */
#ifndef SIPSIFT_SPILL_H
#define SIPSIFT_SPILL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIFT_SPILL_BUF 65536

struct sift_spill;

/* A spill whose file grows to at most max bytes. NULL: out of memory. */
struct sift_spill *sift_spill_new(uint64_t max);
void sift_spill_free(struct sift_spill *s);

/* Why a put was refused, the first time one was (the file could not be
 * made or written, or it reached its max), or NULL: the caller kept the
 * record in memory, and the user should hear that memory is not bounded
 * the way it would be. */
const char *sift_spill_trouble(const struct sift_spill *s);

/* Puts the n bytes at p away; *ref names them for get and drop. false when
 * the file cannot be made or written, or would pass its max: the caller
 * keeps the record. */
bool sift_spill_put(struct sift_spill *s, const void *p, size_t n,
		    uint64_t *ref);

/* Reads back the n bytes put away under ref (n as put) into p. false when
 * the file cannot be read. */
bool sift_spill_get(struct sift_spill *s, uint64_t ref, void *p, size_t n);

/* How many reads from the file the gets took (read-ahead saves them). */
uint64_t sift_spill_reads(const struct sift_spill *s);

/* The slot of the n bytes under ref may hold another record. */
void sift_spill_drop(struct sift_spill *s, uint64_t ref, size_t n);

/* The size of the file: what was ever put away, less what was reused. */
uint64_t sift_spill_size(const struct sift_spill *s);

#endif
