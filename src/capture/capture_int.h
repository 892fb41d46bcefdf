/* sipsift — what the capture reader's files share (private to
 * src/capture/): the buffered, optionally gunzipped input (gzip.c), the
 * capture object and its error helpers (capture.c), the two file formats
 * (pcap.c, pcapng.c) and BPF filtering (bpf.c, the one file that includes
 * <pcap.h>). Merging (merge.c) sees only capture.h.
 *
 * Memory is bounded per capture: one input buffer that starts at RD_CHUNK
 * and grows only as far as the largest block we must hold whole (BLOCK_MAX),
 * plus, for gzip input, one RD_CHUNK of compressed bytes. A returned packet
 * points into the input buffer; it stays valid until the next call on the
 * same capture, because the buffer is only compacted or refilled when more
 * input is needed. */
#ifndef SIPSIFT_CAPTURE_INT_H
#define SIPSIFT_CAPTURE_INT_H

#include <stdatomic.h>
#include <zlib.h>

#include "capture/capture.h"
#include "util/cursor.h"

#define RD_CHUNK    (64u * 1024)          /* first buffer size, read size */
#define PKT_MAX     262144u                /* largest packet accepted */
#define SNAP_SLACK  65536u                 /* tolerated caplen above snaplen */
#define BLOCK_MAX   (PKT_MAX + 65536u)     /* largest block held whole */
#define RD_MAP_WINDOW (4u * 1024 * 1024)  /* mapped window (rdmap.c) */
#define RD_AHEAD    3072u                  /* prefetch distance, bytes */

#define PCAP_HDR_LEN 24u
#define NG_SHB       0x0A0D0D0Au
#define NG_SHB_MIN   28u

#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

/* ---- buffered input, optionally gunzipped (gzip.c) -------------------- */

struct rd {
	int fd;
	bool own_fd;
	uint8_t *buf;
	size_t size;
	size_t pos;             /* first unconsumed byte */
	size_t end;             /* one past the last valid byte */
	uint64_t off;           /* stream offset of buf[pos] (uncompressed) */
	bool eof;               /* no more bytes will arrive */
	enum sift_rc rc;        /* sticky read/gunzip error */
	char err[192];

	bool gzip;
	bool zinit;
	bool zend;              /* a gzip member ended */
	bool zcut;              /* compressed input ended inside a member */
	bool zin_eof;
	enum sift_rc zbad;      /* damage found, reported once data runs out */
	z_stream zs;
	uint8_t *zin;

	bool mapped;            /* buf is a window of the file (rdmap.c) */
	uint64_t map_at;        /* file offset of buf[0] when mapped */
	uint64_t fsize;         /* the file's size when last looked at */
	int guard;              /* the window's SIGBUS guard; -1: none */
	const atomic_bool *hit; /* set when the file shrank under the map */
};

#define SIFT_RD_SHRANK "the file shrank while it was read (another program cut it)"

static inline bool rd_shrank(const struct rd *r)
{
	return r->hit && atomic_load_explicit(r->hit, memory_order_relaxed);
}

/* The record of n bytes at rd_cur() is about to be read: the bytes
 * RD_AHEAD further on are asked for now, so that a mapped file's pages
 * arrive before the parser needs them (the hardware prefetcher stops at
 * each 4 KB page). A buffer read(2) filled is in the cache already. */
static inline void rd_prefetch(const struct rd *r, size_t n)
{
	if (r->mapped && r->end - r->pos > RD_AHEAD + n)
		for (size_t o = 0; o < n; o += 64)
			__builtin_prefetch(r->buf + r->pos + RD_AHEAD + o);
}

static inline size_t rd_avail(const struct rd *r)
{
	return r->end - r->pos;
}

static inline const uint8_t *rd_cur(const struct rd *r)
{
	return r->buf + r->pos;
}

/* A cursor over the n bytes at rd_cur() (the caller made them available). */
static inline struct sift_cur rd_cursor(const struct rd *r, size_t n)
{
	return sift_cur_make(rd_cur(r), n < rd_avail(r) ? n : rd_avail(r));
}

static inline void rd_consume(struct rd *r, size_t n)
{
	r->pos += n;
	r->off += n;
}

enum sift_rc sift_rd_init(struct rd *r);
void sift_rd_fini(struct rd *r);
/* Makes n contiguous bytes available at rd_cur() unless the input ends
 * first; the caller compares rd_avail() with n. n must be <= BLOCK_MAX.
 * The check for bytes already there inline, the reading in gzip.c (the
 * call was 45 instructions a packet, twice a pcap record). */
enum sift_rc sift_rd_fill(struct rd *r, size_t n);

static inline enum sift_rc sift_rd_need(struct rd *r, size_t n)
{
	return rd_avail(r) >= n ? SIFT_OK : sift_rd_fill(r, n);
}
/* Discards n bytes; *done says how many were there. */
enum sift_rc sift_rd_skip(struct rd *r, uint64_t n, uint64_t *done);
/* Switches to gunzipping when the input starts with the gzip magic. */
enum sift_rc sift_rd_detect_gzip(struct rd *r);
/* A system call on the input failed: "<call> failed: <errno's text>",
 * sticky, SIFT_EIO. */
enum sift_rc sift_rd_sys_error(struct rd *r, const char *call);
/* rdmap.c: reads a regular file we opened through a mapped window from
 * here on (nothing changes when it cannot); the fill and the end of a
 * mapped input. */
void sift_rd_map_start(struct rd *r);
enum sift_rc sift_rd_map_fill(struct rd *r, size_t n);
enum sift_rc sift_rd_unmap(struct rd *r);
void sift_rd_map_fini(struct rd *r);

/* ---- the capture (capture.c) ------------------------------------------ */

struct iface {
	int linktype;
	uint32_t snaplen;       /* 0: not limited */
	bool pow2;              /* if_tsresol is a power of 2 */
	uint8_t exp;            /* its exponent (units are 10^-exp or 2^-exp s) */
	int64_t offset;         /* if_tsoffset, seconds */
};

struct sift_cap_bpf;

struct sift_capture {
	struct sift_capture_info info;
	char *path;
	uint32_t file;
	struct rd rd;

	bool be;                /* file fields are big-endian */
	bool nsec;              /* classic pcap with ns timestamps */
	int lens_swapped;       /* classic 2.x, x < 3: 0 no, 1 maybe, 2 yes */
	uint32_t caplimit;      /* classic pcap: largest caplen accepted */

	struct iface *ifs;      /* pcapng: interfaces of this section */
	size_t nifs;
	size_t ifs_cap;

	uint64_t frame;         /* packets read from the file so far */
	sift_time prev_ts;
	enum sift_rc state;     /* SIFT_OK while more may come, else sticky */
	char err[256];

	struct sift_cap_bpf *bpf;  /* the installed filter, NULL without */

	char *secrets;          /* pcapng DSB TLS key log text, all of it */
	size_t secrets_len;
	size_t secrets_cap;
	size_t secrets_given;   /* ... handed out with packets so far */
};

static inline unsigned long long ull(uint64_t v)
{
	return (unsigned long long)v;
}

/* Offsets in messages are in the uncompressed stream; say so for gzip. */
static inline const char *gz_note(const struct sift_capture *c)
{
	return c->rd.gzip ? " of the gunzipped data" : "";
}

static inline const char *cut_note(const struct sift_capture *c)
{
	return c->rd.zcut ? "; the gzip data is cut off" : "";
}

/* Largest caplen we believe for a snapshot length: writers sometimes store
 * a snaplen a little below what they really wrote, so allow some slack;
 * a wildly larger length is a damaged record, not a big packet. */
static inline uint32_t caplen_limit(uint32_t snaplen)
{
	if (snaplen == 0 || snaplen >= PKT_MAX - SNAP_SLACK)
		return PKT_MAX;
	return snaplen + SNAP_SLACK;
}

void sift_cap_put_err(char *err, size_t errlen, const char *msg);
/* Records a sticky error (message in c->err); returns rc. */
PRINTF_LIKE(3, 4)
enum sift_rc sift_cap_fail(struct sift_capture *c, enum sift_rc rc,
			   const char *fmt, ...);
/* A read or gunzip error from the input layer. */
enum sift_rc sift_cap_fail_rd(struct sift_capture *c, enum sift_rc rc);
/* A length field or value that cannot be right (SIFT_EFORMAT). */
PRINTF_LIKE(3, 4)
enum sift_rc sift_cap_damaged(struct sift_capture *c, uint64_t at,
			      const char *fmt, ...);
/* A clean end, unless the gzip stream itself was cut off. */
enum sift_rc sift_cap_end_of_file(struct sift_capture *c);
/* The file ends inside a packet's record or block (SIFT_ETRUNC). */
enum sift_rc sift_cap_cut_in_packet(struct sift_capture *c, uint64_t at,
				    const char *unit, size_t have,
				    uint64_t want);
/* A captured length past PKT_MAX or the snapshot length (SIFT_EFORMAT). */
enum sift_rc sift_cap_too_long(struct sift_capture *c, uint64_t at,
			       const char *unit, uint32_t caplen,
			       uint32_t snaplen);

/* ---- the formats (pcap.c, pcapng.c) ----------------------------------- */

enum sift_rc sift_cap_pcap_open(struct sift_capture *c, uint32_t magic);
/* sift_capture_peek of each format: the packet record k after the next,
 * when the buffer holds it and every record before it whole, and the
 * reader would hand it out as it is; NULL otherwise. */
const uint8_t *sift_cap_pcap_peek(const struct sift_capture *c, unsigned k,
				  size_t *caplen);
const uint8_t *sift_cap_ng_peek(const struct sift_capture *c, unsigned k,
				size_t *caplen, int *linktype);
enum sift_rc sift_cap_pcap_read(struct sift_capture *c,
				struct sift_packet *pkt);
/* Section Header Block (at_open: the file's first). */
enum sift_rc sift_cap_ng_shb(struct sift_capture *c, bool at_open);
/* Reads blocks up to the next packet. With stop_at_packet (used at open
 * to learn the first interfaces), returns SIFT_OK with *stopped set in
 * front of the first packet block instead of reading it. */
enum sift_rc sift_cap_ng_read(struct sift_capture *c, struct sift_packet *pkt,
			      bool stop_at_packet, bool *stopped);

/* ---- BPF (bpf.c) ------------------------------------------------------ */

/* Runs the installed filter on pkt: *keep false when it drops it. An
 * error (the filter does not compile for a new link type) is recorded
 * with sift_cap_fail. */
enum sift_rc sift_cap_bpf_run(struct sift_capture *c,
			      const struct sift_packet *pkt, bool *keep);
void sift_cap_bpf_free(struct sift_capture *c);

#endif
