/* sipsift — reading capture files: pcap (µs and ns), pcapng (any mix of
 * link types per interface), either of them gzip-compressed, from a path or
 * stdin ("-"); BPF filtering; merging several files by timestamp.
 *
 * sipsift reads the file formats itself rather than through
 * pcap_open_offline: libpcap refuses a pcapng whose interfaces have different
 * link types (merged captures from two capture points), cannot read gzip, and
 * reports truncation without saying where. libpcap is still used for what it
 * is best at: compiling and running BPF filters. */
#ifndef SIPSIFT_CAPTURE_H
#define SIPSIFT_CAPTURE_H

#include "sipsift/common.h"

/* Link types (LINKTYPE_* numbers as stored in files). */
#define SIFT_LINK_NULL        0
#define SIFT_LINK_ETHERNET    1
#define SIFT_LINK_RAW         101
#define SIFT_LINK_LOOP        108
#define SIFT_LINK_LINUX_SLL   113
#define SIFT_LINK_IPV4        228
#define SIFT_LINK_IPV6        229
#define SIFT_LINK_LINUX_SLL2  276

enum sift_capture_format {
	SIFT_FMT_PCAP = 0,
	SIFT_FMT_PCAPNG
};

/* One packet, valid until the next call on the capture or merger. */
struct sift_packet {
	const uint8_t *data;
	uint32_t caplen;        /* bytes present in data */
	uint32_t len;           /* bytes on the wire */
	int linktype;
	struct sift_where where;
	/* pcapng Decryption Secrets Blocks of TLS key log type (0x544c534b)
	 * read since the last packet returned: their text, for the TLS key
	 * store (the capture knows nothing of TLS). Valid until the next
	 * read; NULL when none. */
	const char *secrets;
	size_t secrets_len;
	/* The pcapng packet's first opt_comment (any bytes, not
	 * NUL-terminated), valid as data is; NULL when none. */
	const char *comment;
	size_t comment_len;
};

struct sift_capture_info {
	const char *path;       /* as given ("-" for stdin) */
	enum sift_capture_format format;
	bool gzip;
	int linktype;           /* first interface's; -1 before any is known */
	bool mixed_linktypes;   /* pcapng interfaces of several link types */
	uint32_t snaplen;
	uint64_t packets;       /* packets returned so far */
	uint64_t bytes;         /* their captured bytes */
	uint64_t filtered;      /* packets the BPF filter dropped */
	uint64_t snapped;       /* packets cut short by snaplen (caplen < len) */
	sift_time first_ts;     /* 0 until a packet is read */
	sift_time last_ts;
	bool truncated;         /* the file ends inside a record */
	uint64_t ts_clamped;    /* pcap records whose microsecond (nanosecond)
				 * field passed 999,999(,999): clamped */
};

struct sift_capture;

/* Opens path ("-" = stdin); file is the index used in sift_where.file.
 * Reads the file header. On error returns SIFT_ENOTFOUND, SIFT_EIO,
 * SIFT_EFORMAT (not a capture), SIFT_ETRUNC (cut off in the file header)
 * or SIFT_EUNSUPPORTED, with a one-line reason (no file name) in err. */
enum sift_rc sift_capture_open(const char *path, uint32_t file,
			       struct sift_capture **out, char *err,
			       size_t errlen);

/* Installs a BPF filter (pcap-filter(7)), compiled per link type as the
 * link types are met. Returns SIFT_EINVAL with the reason in err when the
 * expression does not compile for the link types known so far. */
enum sift_rc sift_capture_set_filter(struct sift_capture *c, const char *expr,
				     char *err, size_t errlen);

/* Next packet: SIFT_OK; SIFT_EOF at the clean end; SIFT_ETRUNC when the file
 * ends inside a record (everything before was returned; a warning);
 * SIFT_EFORMAT/SIFT_EIO/SIFT_EINVAL when the rest of the file cannot be read
 * (damaged block, read error, filter fails on a new link type). After any of
 * these, sift_capture_error() says what and where, in one line. */
enum sift_rc sift_capture_next(struct sift_capture *c, struct sift_packet *pkt);
/* The bytes of the packet k places after the one sift_capture_next gave
 * last (k = 0: the next), when they are in the reader's buffer already;
 * NULL otherwise. No read, no state changed: a hint of what comes, for
 * prefetching (a filter may still drop it). Valid until the next call. */
const uint8_t *sift_capture_peek(const struct sift_capture *c, unsigned k,
				 size_t *caplen, int *linktype);

/* Sets the size of the window through which a regular file is mapped
 * (src/capture/rdmap.c) for captures opened from now on, and returns the
 * one before; 0 reads with read(2). For tests, which make it small to
 * map anew at almost every record. */
size_t sift_capture_map_window(size_t bytes);

/* Reads the rest of c with read(2), not through a map: for the -j 2
 * reader thread, which copies each packet anyway (prefetch.c says why).
 * A failure is reported by the next sift_capture_next. */
void sift_capture_unmap(struct sift_capture *c);

const char *sift_capture_error(const struct sift_capture *c);
const struct sift_capture_info *sift_capture_info(const struct sift_capture *c);
void sift_capture_close(struct sift_capture *c);

/* Checks that a BPF expression compiles (for link type Ethernet). */
enum sift_rc sift_filter_check(const char *expr, char *err, size_t errlen);

/* The filter sipsift really installs: the user's expression widened so that
 * non-first IPv4/IPv6 fragments are kept (a "port 5060" filter would drop
 * them, since only the first fragment carries the UDP header). Returns a
 * malloc'd string or NULL. */
char *sift_filter_widen(const char *expr);

/* Merging several captures of one network by timestamp (ties: lower file
 * index first, then file order). */
struct sift_merge;

struct sift_merge *sift_merge_new(void);
/* Takes ownership of c (closed by sift_merge_free); on failure the caller
 * keeps it. */
enum sift_rc sift_merge_add(struct sift_merge *m, struct sift_capture *c);
/* SIFT_OK with the earliest pending packet and *from its capture; SIFT_EOF
 * when every capture has ended. When one capture ends with an error, that
 * rc is returned once with *from set (sift_capture_error(*from) says why)
 * and the other captures go on at the next call. */
enum sift_rc sift_merge_next(struct sift_merge *m, struct sift_packet *pkt,
			     struct sift_capture **from);
/* sift_capture_peek of a merger of one capture; NULL with more (the
 * heap's order is known only as packets come). */
const uint8_t *sift_merge_peek(const struct sift_merge *m, unsigned k,
			       size_t *caplen, int *linktype);
/* A packet another input handed out already (the same bytes, length, link
 * type and time: the same capture given twice, or overlapping files) is
 * handed out once. How many of capture i's packets were so dropped, and
 * in *twin the index of the capture whose packets they repeat (the first
 * one matched); 0 when none. */
uint64_t sift_merge_dups(const struct sift_merge *m, size_t i, size_t *twin);
size_t sift_merge_count(const struct sift_merge *m);
struct sift_capture *sift_merge_get(const struct sift_merge *m, size_t i);
/* Packets handed out without being remembered for the check above: more
 * than 4,096 at one timestamp. A twin of one of them from another input
 * goes through as a packet of its own (summary.skipped.merge_unchecked). */
uint64_t sift_merge_unchecked(const struct sift_merge *m);
void sift_merge_free(struct sift_merge *m);

#endif
