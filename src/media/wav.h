/* sipsift — WAV files (16-bit PCM, through libsndfile) and their names.
 *
 * A writer is written to incrementally, so memory does not grow with the
 * length of a call. Names are built only from sanitised pieces: nothing a
 * capture says (Call-ID, user parts) can put a '/' or a leading '.' in a
 * file name, so every file stays inside the directory it was asked for. */
#ifndef SIPSIFT_WAV_H
#define SIPSIFT_WAV_H

#include "sipsift/common.h"

struct sift_wav;

/* Creates path (DIR/NAME) under a temporary name made relative to DIR's
 * descriptor, never through a link or into a special file already in DIR
 * (util/outfile.h); sift_wav_close puts it in place, replacing whatever
 * held NAME. On failure returns SIFT_EIO with the reason in err. */
enum sift_rc sift_wav_open(const char *path, unsigned rate, unsigned channels,
			   struct sift_wav **out, char *err, size_t errlen);

/* Writes frames (channels samples each, interleaved). SIFT_EIO when the
 * file system refuses them (full disk); the file is then removed by
 * sift_wav_close, never left half-written. */
enum sift_rc sift_wav_write(struct sift_wav *w, const int16_t *s, size_t frames,
			    char *err, size_t errlen);

/* Finishes the header, closes and puts the file in place. SIFT_EIO when
 * that fails or a write had failed: the file is then removed. Accepts
 * NULL. */
enum sift_rc sift_wav_close(struct sift_wav *w, char *err, size_t errlen);

uint64_t sift_wav_frames(const struct sift_wav *w);

/* Copies into out (room for len, len >= 2) at most max characters of s
 * that are safe in a file name: letters, digits, '+', '-', '=', '_' and
 * '.' not at the start; anything else becomes '_', runs of '_' collapse.
 * An empty result is "unknown". Returns out. */
char *sift_wav_sanitise(const char *s, size_t max, char *out, size_t len);

/* The user part of a SIP/SIPS/TEL URI ("sip:alice@host;x" gives alice,
 * "tel:+4930123" gives +4930123), sanitised as above (at most max). */
char *sift_wav_user(const char *uri, size_t max, char *out, size_t len);

#endif
