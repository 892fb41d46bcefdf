/* sipsift — WAV writer and file names (wav.h). The only file that
 * includes <sndfile.h>. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sndfile.h>

#include "media/wav.h"
#include "util/outfile.h"

/* Data bytes a WAV file can hold: 32-bit RIFF size less its header. */
#define WAV_MAX_DATA (0xffffffffull - 64)

struct sift_wav {
	int dirfd;         /* the directory the file is made in */
	struct sift_outfile *of;
	SNDFILE *sf;
	unsigned channels;
	uint64_t frames;
	bool failed;       /* a write failed: nothing more goes in */
};

static void wav_free(struct sift_wav *w)
{
	if (w->dirfd >= 0)
		close(w->dirfd);
	free(w);
}

enum sift_rc sift_wav_open(const char *path, unsigned rate, unsigned channels,
			   struct sift_wav **out, char *err, size_t errlen)
{
	const char *slash = strrchr(path, '/');
	struct sift_wav *w;
	SF_INFO info;
	char *dir;
	enum sift_rc rc;

	*out = NULL;
	w = calloc(1, sizeof(*w));
	dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) :
		      strdup(".");
	if (!w || !dir) {
		free(w);
		free(dir);
		snprintf(err, errlen, "out of memory");
		return SIFT_ENOMEM;
	}
	/* The directory is the user's choice (it may be a link); what is in
	 * it is not: every file is made relative to the directory's
	 * descriptor, under a new name, never through a link or into a FIFO
	 * someone put there (util/outfile.h). */
	w->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (w->dirfd < 0) {
		snprintf(err, errlen, "cannot create: %s", strerror(errno));
		free(w);
		return SIFT_EIO;
	}
	rc = sift_outfile_openat(w->dirfd, slash ? slash + 1 : path, &w->of,
				 err, errlen);
	if (rc != SIFT_OK) {
		wav_free(w);
		return rc;
	}
	memset(&info, 0, sizeof(info));
	info.samplerate = (int)rate;
	info.channels = (int)channels;
	info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
	errno = 0;
	w->sf = sf_open_fd(sift_outfile_fd(w->of), SFM_WRITE, &info, SF_FALSE);
	if (!w->sf) {
		/* libsndfile's own text hides the system's reason. */
		snprintf(err, errlen, "cannot create: %s",
			 errno ? strerror(errno) : sf_strerror(NULL));
		sift_outfile_abort(w->of);
		wav_free(w);
		return SIFT_EIO;
	}
	w->channels = channels;
	*out = w;
	return SIFT_OK;
}

enum sift_rc sift_wav_write(struct sift_wav *w, const int16_t *s, size_t frames,
			    char *err, size_t errlen)
{
	sf_count_t n;

	if (w->failed)
		return SIFT_EIO;
	if (!frames)
		return SIFT_OK;
	/* A WAV's sizes are 32 bits: past 4 GiB of samples libsndfile wraps
	 * them and the file reads back short. Stop before, and say so. */
	if ((w->frames + frames) * w->channels * 2 > WAV_MAX_DATA) {
		w->failed = true;
		snprintf(err, errlen, "the file would pass 4 GiB, a WAV file's limit (an hours-long call: write it with --rate 8000 or --mono)");
		return SIFT_EIO;
	}
	errno = 0;
	n = sf_writef_short(w->sf, s, (sf_count_t)frames);
	if (n != (sf_count_t)frames) {
		int e = errno;

		w->failed = true;
		snprintf(err, errlen, "writing failed: %s",
			 e ? strerror(e) : sf_strerror(w->sf));
		if (n > 0)
			w->frames += (uint64_t)n;
		return SIFT_EIO;
	}
	w->frames += frames;
	return SIFT_OK;
}

enum sift_rc sift_wav_close(struct sift_wav *w, char *err, size_t errlen)
{
	enum sift_rc rc = SIFT_OK;

	if (!w)
		return SIFT_OK;
	/* sf_close rewrites the header with the length written; the file
	 * takes its name only when that and every write went through. */
	errno = 0;
	if (sf_close(w->sf) != 0) {
		snprintf(err, errlen, "closing failed: %s",
			 errno ? strerror(errno) : "libsndfile error");
		rc = SIFT_EIO;
	}
	if (rc == SIFT_OK && w->failed) {
		snprintf(err, errlen, "not written: a write had failed");
		rc = SIFT_EIO;
	}
	if (rc == SIFT_OK)
		rc = sift_outfile_commit(w->of, err, errlen);
	else
		sift_outfile_abort(w->of);
	wav_free(w);
	return rc;
}

uint64_t sift_wav_frames(const struct sift_wav *w)
{
	return w->frames;
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '=' ||
	       c == '.';
}

char *sift_wav_sanitise(const char *s, size_t max, char *out, size_t len)
{
	size_t o = 0;

	if (max > len - 1)
		max = len - 1;
	for (size_t i = 0; s && s[i] && o < max; i++) {
		char c = s[i];

		/* No dot first (hidden files, "..") and none after another
		 * dot or '_' that stood for something unsafe. */
		if (c == '.' && (o == 0 || out[o - 1] == '.' || out[o - 1] == '_'))
			c = '_';
		if (!name_char(c))
			c = '_';
		if (c == '_' && o && out[o - 1] == '_')
			continue;
		out[o++] = c;
	}
	/* Nor a dot last, so that ".wav" follows a clean name. */
	while (o && (out[o - 1] == '.' || out[o - 1] == '_'))
		o--;
	while (o && out[0] == '_') {
		memmove(out, out + 1, --o);
	}
	if (!o)
		snprintf(out, len, "unknown");
	else
		out[o] = '\0';
	return out;
}

char *sift_wav_user(const char *uri, size_t max, char *out, size_t len)
{
	char user[128];
	const char *p = uri ? uri : "";
	const char *colon = strchr(p, ':');
	size_t n;

	if (colon && (size_t)(colon - p) <= 4)
		p = colon + 1;
	n = strcspn(p, "@;?>");
	if (n >= sizeof(user))
		n = sizeof(user) - 1;
	memcpy(user, p, n);
	user[n] = '\0';
	return sift_wav_sanitise(user, max, out, len);
}
