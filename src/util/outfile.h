/* sipsift — output files that never replace anything half-written.
 *
 * Every file sipsift writes (the -o report, the decrypt -w capture, the
 * WAV files) is created under a fresh temporary name in the directory it
 * belongs to (O_CREAT|O_EXCL|O_NOFOLLOW: never an existing name, never
 * through a symbolic link, never blocking on a FIFO), written, and renamed
 * over its final name only when complete. renameat replaces a symbolic
 * link or a special file of that name itself, never what it points at. A
 * run that fails aborts the file: the temporary name is removed and
 * whatever held the final name before stays as it was.
 *
 * "-" is standard output, written directly (nothing to rename); so is a
 * path the user names that already is a device or a FIFO (/dev/null, a
 * process substitution). */
#ifndef SIPSIFT_OUTFILE_H
#define SIPSIFT_OUTFILE_H

#include <stdio.h>

#include "sipsift/common.h"

struct sift_outfile;

/* Creates the temporary file for path ("-": stdout). SIFT_EIO with the
 * reason in err. */
enum sift_rc sift_outfile_open(const char *path, struct sift_outfile **out,
			       char *err, size_t errlen);

/* The same, for name (no '/') in the directory dirfd; dirfd stays the
 * caller's and must stay open until commit or abort. */
enum sift_rc sift_outfile_openat(int dirfd, const char *name,
				 struct sift_outfile **out, char *err,
				 size_t errlen);

/* The file as a stdio stream (made on first use; NULL when that fails). */
FILE *sift_outfile_stream(struct sift_outfile *o);

/* The file descriptor, for writers that take one (libsndfile). Do not
 * mix with the stream. */
int sift_outfile_fd(const struct sift_outfile *o);

/* True for standard output. */
bool sift_outfile_is_stdout(const struct sift_outfile *o);

/* Flushes, closes and renames the file into place; frees o. When a write
 * had failed or the flush fails the file is aborted instead and SIFT_EIO
 * is returned with the reason in err (errno is kept). Accepts NULL. */
enum sift_rc sift_outfile_commit(struct sift_outfile *o, char *err,
				 size_t errlen);

/* Closes and removes the temporary file; the final name is untouched.
 * Frees o. Accepts NULL. */
void sift_outfile_abort(struct sift_outfile *o);

#endif
