/* sipsift — output files written under a temporary name and renamed into
 * place when complete (outfile.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/outfile.h"

/* Attempts at a free temporary name before giving up (someone planting
 * names in the directory cannot make us loop). */
#define TMP_TRIES 64
#define TMP_LEN 48

struct sift_outfile {
	int dirfd;          /* where the file goes */
	bool own_dirfd;     /* opened here (sift_outfile_open) */
	int fd;
	FILE *f;            /* from fdopen, or stdout */
	bool is_stdout;
	bool direct;        /* an existing device or FIFO: written in place */
	char tmp[TMP_LEN];
	char *name;         /* the final name in dirfd */
};

static uint64_t tmp_seed;

/* Not secret, only unlikely to collide: O_EXCL makes a guessed name
 * harmless, the retry loop makes it cost one more attempt. */
static uint64_t tmp_rand(void)
{
	struct timespec ts;

	if (!tmp_seed) {
		clock_gettime(CLOCK_REALTIME, &ts);
		tmp_seed = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^
			   ((uint64_t)getpid() << 40) ^ 0x9e3779b97f4a7c15ull;
	}
	/* xorshift64 */
	tmp_seed ^= tmp_seed << 13;
	tmp_seed ^= tmp_seed >> 7;
	tmp_seed ^= tmp_seed << 17;
	return tmp_seed;
}

static void free_outfile(struct sift_outfile *o)
{
	if (o->own_dirfd && o->dirfd >= 0)
		close(o->dirfd);
	free(o->name);
	free(o);
}

enum sift_rc sift_outfile_openat(int dirfd, const char *name,
				 struct sift_outfile **out, char *err,
				 size_t errlen)
{
	struct sift_outfile *o;
	struct stat st;
	int e = 0;

	*out = NULL;
	if (!*name || strchr(name, '/') || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0) {
		snprintf(err, errlen, "not a file name");
		return SIFT_EINVAL;
	}
	/* A directory of that name would only fail the rename at the end,
	 * after all the work: say so now. */
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "cannot write: Is a directory");
		return SIFT_EIO;
	}
	o = calloc(1, sizeof(*o));
	if (!o || !(o->name = strdup(name))) {
		free(o);
		snprintf(err, errlen, "out of memory");
		return SIFT_ENOMEM;
	}
	o->dirfd = dirfd;
	o->fd = -1;
	for (int i = 0; i < TMP_TRIES && o->fd < 0; i++) {
		snprintf(o->tmp, sizeof(o->tmp), ".sipsift-%016llx.tmp",
			 (unsigned long long)tmp_rand());
		/* O_NONBLOCK: harmless on the regular file that O_EXCL
		 * guarantees, and no name we did not create is opened. */
		o->fd = openat(dirfd, o->tmp,
			       O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
			       O_NONBLOCK | O_CLOEXEC, 0666);
		e = errno;
		if (o->fd < 0 && e != EEXIST)
			break;
	}
	if (o->fd < 0) {
		snprintf(err, errlen, "cannot write: %s", strerror(e));
		free_outfile(o);
		errno = e;
		return SIFT_EIO;
	}
	/* Back to blocking writes: a full pipe is not the question here,
	 * but some file systems answer EAGAIN to non-blocking writers. */
	fcntl(o->fd, F_SETFL, fcntl(o->fd, F_GETFL) & ~O_NONBLOCK);
	*out = o;
	return SIFT_OK;
}

enum sift_rc sift_outfile_open(const char *path, struct sift_outfile **out,
			       char *err, size_t errlen)
{
	const char *slash = strrchr(path, '/');
	char *dir = NULL;
	struct stat st;
	enum sift_rc rc;
	int dirfd;

	*out = NULL;
	if (strcmp(path, "-") == 0) {
		struct sift_outfile *o = calloc(1, sizeof(*o));

		if (!o) {
			snprintf(err, errlen, "out of memory");
			return SIFT_ENOMEM;
		}
		o->dirfd = -1;
		o->fd = STDOUT_FILENO;
		o->f = stdout;
		o->is_stdout = true;
		*out = o;
		return SIFT_OK;
	}
	if (slash && !slash[1]) {
		snprintf(err, errlen, "cannot write: Is a directory");
		return SIFT_EIO;
	}
	/* A path the user names that is a device or a FIFO (/dev/null,
	 * /dev/stdout, a process substitution) is written as it is: there
	 * is nothing to replace, and renaming over it would replace it. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		struct sift_outfile *o = calloc(1, sizeof(*o));

		if (!o) {
			snprintf(err, errlen, "out of memory");
			return SIFT_ENOMEM;
		}
		o->dirfd = -1;
		o->direct = true;
		o->fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
		if (o->fd < 0) {
			int e = errno;

			snprintf(err, errlen, "cannot write: %s", strerror(e));
			free(o);
			errno = e;
			return SIFT_EIO;
		}
		*out = o;
		return SIFT_OK;
	}
	if (slash) {
		size_t n = slash == path ? 1 : (size_t)(slash - path);

		dir = strndup(path, n);
		if (!dir) {
			snprintf(err, errlen, "out of memory");
			return SIFT_ENOMEM;
		}
	}
	dirfd = open(dir ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (dirfd < 0) {
		snprintf(err, errlen, "cannot write: %s", strerror(errno));
		return SIFT_EIO;
	}
	rc = sift_outfile_openat(dirfd, slash ? slash + 1 : path, out, err, errlen);
	if (rc != SIFT_OK) {
		int e = errno;

		close(dirfd);
		errno = e;
		return rc;
	}
	(*out)->own_dirfd = true;
	return SIFT_OK;
}

FILE *sift_outfile_stream(struct sift_outfile *o)
{
	if (!o->f)
		o->f = fdopen(o->fd, "wb");
	return o->f;
}

int sift_outfile_fd(const struct sift_outfile *o)
{
	return o->fd;
}

bool sift_outfile_is_stdout(const struct sift_outfile *o)
{
	return o->is_stdout;
}

/* Closes the file; false (errno set) when a buffered write fails. */
static bool close_file(struct sift_outfile *o)
{
	bool ok = true;
	int e = 0;

	if (o->f) {
		if (fflush(o->f) != 0 || ferror(o->f)) {
			ok = false;
			e = errno ? errno : EIO;
		}
		if (fclose(o->f) != 0 && ok) {
			ok = false;
			e = errno;
		}
	} else if (o->fd >= 0 && close(o->fd) != 0) {
		ok = false;
		e = errno;
	}
	o->f = NULL;
	o->fd = -1;
	if (!ok)
		errno = e;
	return ok;
}

enum sift_rc sift_outfile_commit(struct sift_outfile *o, char *err,
				 size_t errlen)
{
	int e;

	if (!o)
		return SIFT_OK;
	if (o->is_stdout) {
		errno = 0;
		if (fflush(stdout) != 0 || ferror(stdout)) {
			e = errno ? errno : EIO;
			snprintf(err, errlen, "writing failed: %s", strerror(e));
			free(o);
			errno = e;
			return SIFT_EIO;
		}
		free(o);
		return SIFT_OK;
	}
	errno = 0;
	if (!close_file(o)) {
		e = errno;
		snprintf(err, errlen, "writing failed: %s", strerror(e));
		if (!o->direct)
			unlinkat(o->dirfd, o->tmp, 0);
		free_outfile(o);
		errno = e;
		return SIFT_EIO;
	}
	if (!o->direct &&
	    renameat(o->dirfd, o->tmp, o->dirfd, o->name) != 0) {
		e = errno;
		snprintf(err, errlen, "cannot put the file in place: %s",
			 strerror(e));
		unlinkat(o->dirfd, o->tmp, 0);
		free_outfile(o);
		errno = e;
		return SIFT_EIO;
	}
	free_outfile(o);
	return SIFT_OK;
}

void sift_outfile_abort(struct sift_outfile *o)
{
	int e = errno;

	if (!o)
		return;
	if (o->is_stdout) {
		free(o);
		return;
	}
	if (o->f)
		fclose(o->f);
	else if (o->fd >= 0)
		close(o->fd);
	if (!o->direct)
		unlinkat(o->dirfd, o->tmp, 0);
	free_outfile(o);
	errno = e;
}
