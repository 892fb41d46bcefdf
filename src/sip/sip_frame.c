/* sipsift — SIP message framing on datagrams and byte streams. */
#include <stdlib.h>
#include <string.h>

#include "sip/sip_frame.h"
#include "util/cursor.h"
#include "util/span.h"

/* A start line longer than this is not one we will wait for. */
#define MAX_START_LINE 8192
/* Header block (start line to CRLFCRLF) cap on a stream. */
#define MAX_HEADER (64 * 1024)
/* Bytes of a stream that may pass before a first start line is found; past
 * it the stream is taken for something other than SIP. */
#define MAX_PROBE (64 * 1024)
#define BUF_CAP (SIFT_SIP_MAX_MESSAGE + 128 * 1024)

/* "SIP/" DIGIT: the version is checked loosely here (a lint rule judges
 * it), so that "SIP/7.0" still reaches the parser and gets reported. */
static bool is_version(const uint8_t *p, size_t n)
{
	return n >= 5 && memcmp(p, "SIP/", 4) == 0 && sift_is_digit(p[4]);
}

/* Length of the first line without its line end, or n + 1 when no LF is
 * found within n bytes. */
static size_t line_len(const uint8_t *p, size_t n)
{
	const uint8_t *lf = memchr(p, '\n', n);

	if (!lf)
		return n + 1;
	return (size_t)(lf - p) - (lf > p && lf[-1] == '\r');
}

bool sift_sip_is_start_line(const uint8_t *p, size_t n)
{
	size_t len, i = 0;

	if (n > MAX_START_LINE)
		n = MAX_START_LINE;
	len = line_len(p, n);
	if (len > n || len < 8)
		return false;
	/* Status-Line = SIP-Version SP Status-Code SP Reason-Phrase */
	if (is_version(p, len)) {
		const uint8_t *sp = memchr(p, ' ', len);

		if (!sp)
			return false;
		i = (size_t)(sp - p) + 1;
		return len - i >= 3 && sift_is_digit(p[i]) && sift_is_digit(p[i + 1]) &&
		       sift_is_digit(p[i + 2]) && (len - i == 3 || p[i + 3] == ' ');
	}
	/* Request-Line = Method SP Request-URI SP SIP-Version */
	while (i < len && sift_is_token_char(p[i]))
		i++;
	if (i == 0 || i > 64 || i >= len || p[i] != ' ')
		return false;
	while (i < len && p[i] == ' ')
		i++;
	{
		size_t uri = i;

		while (i < len && p[i] > ' ' && p[i] < 0x7f)
			i++;
		if (i == uri || i >= len || p[i] != ' ')
			return false;
	}
	while (i < len && p[i] == ' ')
		i++;
	if (!is_version(p + i, len - i))
		return false;
	/* Nothing but the version (and trailing blanks) up to the line end. */
	for (i += 5; i < len; i++)
		if (p[i] == ' ')
			break;
		else if (p[i] != '.' && !sift_is_digit(p[i]))
			return false;
	for (; i < len; i++)
		if (p[i] != ' ' && p[i] != '\t')
			return false;
	return true;
}

bool sift_sip_maybe_start(const uint8_t *p, size_t n)
{
	size_t i = 0;

	if (n >= 8 && memcmp(p, "SIP/2.0 ", 8) == 0)
		return true;
	while (i < n && i <= 64 && sift_is_token_char(p[i]))
		i++;
	if (i == 0 || i >= n || p[i] != ' ')
		return false;
	p += i + 1;
	n -= i + 1;
	return (n >= 4 && (memcmp(p, "sip:", 4) == 0 || memcmp(p, "tel:", 4) == 0)) ||
	       (n >= 5 && memcmp(p, "sips:", 5) == 0);
}

enum sift_sip_kind sift_sip_datagram(const uint8_t *p, size_t n,
				     size_t *start)
{
	size_t i = 0;

	*start = 0;
	if (n == 0)
		return SIFT_SIP_NO;
	/* RTP, RTCP, STUN, DTLS, ... all start with a byte that can start
	 * no method token (RFC 3261 §25.1) and no line end: that one test
	 * sends them on their way. */
	if (!sift_is_token_char(p[0]) && p[0] != '\r' && p[0] != '\n')
		return SIFT_SIP_NO;
	while (i < n && (p[i] == '\r' || p[i] == '\n'))
		i++;
	if (i == n)
		return SIFT_SIP_KEEPALIVE;
	if (!sift_sip_is_start_line(p + i, n - i))
		return SIFT_SIP_NO;
	*start = i;
	return SIFT_SIP_YES;
}

/* Whether the line hdr[i..e) may be Content-Length: it begins with
 * "Content-Length" or "l", then a colon or white space (a line that
 * begins so is never a folded value's continuation). */
static bool may_be_length(const uint8_t *hdr, size_t i, size_t e)
{
	uint8_t c = sift_lower(hdr[i]);

	return (c == 'c' && e - i > 14 &&
		sift_span_ieq_n(sift_span_of(hdr + i, 14), "content-length", 14) &&
		(hdr[i + 14] == ':' || sift_is_wsp(hdr[i + 14]))) ||
	       (c == 'l' && e - i > 1 &&
		(hdr[i + 1] == ':' || sift_is_wsp(hdr[i + 1])));
}

/* sift_sip_content_length from the line at i on (the lines before it are
 * known not to be the header). */
static bool content_length_from(const uint8_t *hdr, size_t n, size_t i,
				size_t *value)
{
	*value = 0;
	while (i < n) {
		const uint8_t *lf = memchr(hdr + i, '\n', n - i);
		size_t e = lf ? (size_t)(lf - hdr) : n;

		if (e == i || (e == i + 1 && hdr[i] == '\r'))
			break;       /* the empty line: the block ends */
		if (may_be_length(hdr, i, e)) {
			struct sift_hdr_iter it;
			struct sift_hdr h;

			sift_hdr_iter_at(&it, hdr, i, n);
			if (sift_hdr_next(&it, &h) &&
			    sift_hdr_is(&h, "content-length", "l"))
				return sift_sip_content_length_value(h.value, value);
		}
		i = e + 1;
	}
	return false;
}

/* Every message on a stream comes here before it is parsed: only lines
 * that may_be_length are looked at. The same answer as walking every
 * header (fuzz_span checks it), for a third of the work. */
bool sift_sip_content_length(const uint8_t *hdr, size_t n, size_t *value)
{
	return content_length_from(hdr, n, 0, value);
}

bool sift_sip_content_length_value(struct sift_span v, size_t *value)
{
	uint64_t n;

	*value = 0;
	/* More than 9 digits is no length we accept. */
	if (v.n > 9 || !sift_span_u64(v, 999999999, &n))
		return false;
	*value = (size_t)n;
	return true;
}

/* End of the header block: offset just past CRLFCRLF (or a bare LFLF),
 * or 0 when not found. */
static size_t header_end(const uint8_t *p, size_t n)
{
	return sift_span_blank_line(p, n);
}

/* header_end, and in *cand the first line before it that may_be_length
 * (SIZE_MAX: none, which content_length_from then answers at once), in
 * one walk over the lines: the framer walked them
 * twice, for a twentieth of a TCP message's cost. The same ends as
 * sift_span_blank_line: the first LF followed by LF or CR LF. */
static size_t head_scan(const uint8_t *p, size_t n, size_t *cand)
{
	size_t i = 0;

	*cand = SIZE_MAX;
	while (i < n) {
		const uint8_t *lf = memchr(p + i, '\n', n - i);
		size_t e;

		if (!lf)
			return 0;
		e = (size_t)(lf - p);
		if (*cand == SIZE_MAX && e > i && may_be_length(p, i, e))
			*cand = i;
		i = e + 1;
		if (i < n && p[i] == '\n')
			return i + 1;
		if (i + 1 < n && p[i] == '\r' && p[i + 1] == '\n')
			return i + 2;
	}
	return 0;
}

bool sift_sip_segment_whole(const uint8_t *p, size_t n)
{
	size_t hend, clen, cand;

	if (n == 0 || !sift_is_token_char(p[0]) || !sift_sip_is_start_line(p, n))
		return false;
	hend = head_scan(p, n, &cand);
	return hend && hend <= MAX_HEADER &&
	       content_length_from(p, hend, cand, &clen) && clen == n - hend;
}

struct sift_sip_stream {
	uint8_t *buf;
	size_t len;        /* bytes in buf */
	size_t cap;
	enum sift_stream_kind kind;
	bool resync;       /* looking for the next start line */
	size_t probed;     /* bytes skipped before any start line */
	bool after_msg;    /* the last thing framed was a whole message */
	bool ws_open;      /* WebSocket: HTTP handshake passed, frames follow */
	uint8_t *msg;      /* WebSocket: a fragmented message being assembled */
	size_t msg_len;
	size_t msg_cap;
	bool msg_drop;     /* ... that is being thrown away (too big, compressed) */
	bool ws_resync;    /* WebSocket: framing lost, looking for a frame
			    * that starts a SIP message */
	struct sift_where first;   /* where the bytes at buf[0] came */
	struct sift_where msg_first; /* WebSocket: where msg's first frame came */
	sift_sip_drop_fn drop;
	void *ctx;         /* the feed's ctx, for drop */
	struct sift_sip_stream_stats st;
};

struct sift_sip_stream *sift_sip_stream_new(void)
{
	return calloc(1, sizeof(struct sift_sip_stream));
}

void sift_sip_stream_free(struct sift_sip_stream *s)
{
	if (!s)
		return;
	free(s->buf);
	free(s->msg);
	free(s);
}

enum sift_stream_kind sift_sip_stream_kind(const struct sift_sip_stream *s)
{
	return s->kind;
}

void sift_sip_stream_set_drop(struct sift_sip_stream *s, sift_sip_drop_fn fn)
{
	s->drop = fn;
}

/* A message given up: counted, and told. */
static void dropped(struct sift_sip_stream *s, enum sift_sip_drop_why why,
		    const uint8_t *head, size_t head_len, uint64_t claimed,
		    const struct sift_where *first,
		    const struct sift_where *where)
{
	struct sift_sip_drop d;

	if (why >= SIFT_SIP_DROP_WS_FRAME)
		s->st.ws_oversize++;
	else
		s->st.oversize++;
	if (!s->drop)
		return;
	memset(&d, 0, sizeof(d));
	d.why = why;
	d.head = head;
	d.head_len = head_len;
	d.claimed = claimed;
	d.first = *first;
	d.where = *where;
	s->drop(s->ctx, &d);
}

bool sift_sip_stream_partial(const struct sift_sip_stream *s,
			     const uint8_t **p, size_t *n, size_t *clen)
{
	size_t skip = 0, hend;

	if (s->kind != SIFT_STREAM_SIP || s->resync || !s->len)
		return false;
	while (skip < s->len && (s->buf[skip] == '\r' || s->buf[skip] == '\n'))
		skip++;
	if (skip == s->len || !sift_sip_is_start_line(s->buf + skip, s->len - skip))
		return false;
	hend = header_end(s->buf + skip, s->len - skip);
	if (!hend || !sift_sip_content_length(s->buf + skip, hend, clen))
		return false;
	*p = s->buf + skip;
	*n = s->len - skip;
	return *clen > *n - hend;
}

const struct sift_sip_stream_stats *
sift_sip_stream_stats(const struct sift_sip_stream *s)
{
	return &s->st;
}

void sift_sip_stream_gap(struct sift_sip_stream *s)
{
	s->after_msg = false;
	if (s->len)
		s->st.skipped_bytes += s->len;
	s->len = 0;
	s->resync = true;
	s->st.resyncs++;
}

static bool append(struct sift_sip_stream *s, const uint8_t *p, size_t n)
{
	if (n == 0)
		return true;    /* memcpy from/to NULL is undefined even for 0 */
	if (n > BUF_CAP - s->len)
		return false;
	while (s->len + n > s->cap)
		if (!sift_grow((void **)&s->buf, &s->cap, s->len + n - 1, 1,
			       BUF_CAP)) {
			s->st.nomem++;
			return false;
		}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
	return true;
}

/* Offset of the first start line at a line beginning in p, or n when
 * none. A start line always holds "SIP/": look for that and check the line
 * around it, which is cheap on non-SIP bytes. */
size_t sift_sip_find_start_line(const uint8_t *p, size_t n)
{
	size_t i = 0;

	while (i + 4 <= n) {
		const uint8_t *hit = memmem(p + i, n - i, "SIP/", 4);
		size_t at, bol;

		if (!hit)
			break;
		at = (size_t)(hit - p);
		bol = at;
		while (bol > 0 && p[bol - 1] != '\n' && at - bol < MAX_START_LINE)
			bol--;
		if ((bol == 0 || p[bol - 1] == '\n') &&
		    sift_sip_is_start_line(p + bol, n - bol))
			return bol;
		i = at + 4;
	}
	return n;
}

/* A TLS record header: content type 20-23, version 3.x (RFC 8446 §5.1). */
static bool is_tls(const uint8_t *p, size_t n)
{
	return n >= 3 && p[0] >= 0x14 && p[0] <= 0x17 && p[1] == 3 &&
	       p[2] <= 4;
}

/* The first bytes of a stream: SIP, TLS, an HTTP upgrade to WebSocket, or
 * (when no start line shows) unknown for now. */
static enum sift_stream_kind classify(const uint8_t *p, size_t n)
{
	if (is_tls(p, n))
		return SIFT_STREAM_TLS;
	if (n >= 4 && memcmp(p, "GET ", 4) == 0) {
		size_t end = header_end(p, n);

		if (!end)
			return n > MAX_HEADER ? SIFT_STREAM_OTHER :
						SIFT_STREAM_UNKNOWN;
		for (size_t i = 0; i + 9 <= end; i++)
			if (sift_span_ieq(sift_span_of(p + i, 9), "websocket"))
				return SIFT_STREAM_WS;
		return SIFT_STREAM_OTHER;
	}
	/* The server's side of the handshake (RFC 6455 §4.2.2). */
	if (n >= 12 && memcmp(p, "HTTP/1.1 101", 12) == 0)
		return SIFT_STREAM_WS;
	return SIFT_STREAM_UNKNOWN;
}

/* Appends to the WebSocket message being assembled, or drops it past the
 * cap. */
static void ws_collect(struct sift_sip_stream *s, const uint8_t *p, size_t n,
		       const struct sift_where *where)
{
	if (s->msg_drop)
		return;
	if (n > SIFT_SIP_MAX_MESSAGE - s->msg_len) {
		dropped(s, SIFT_SIP_DROP_WS_MESSAGE, s->msg, s->msg_len,
			(uint64_t)s->msg_len + n, &s->msg_first, where);
		s->msg_drop = true;
		return;
	}
	while (s->msg_len + n > s->msg_cap)
		if (!sift_grow((void **)&s->msg, &s->msg_cap, s->msg_len + n - 1,
			       1, SIFT_SIP_MAX_MESSAGE)) {
			s->st.nomem++;
			s->msg_drop = true;
			return;
		}
	if (n)
		memcpy(s->msg + s->msg_len, p, n);
	s->msg_len += n;
}

/* Bytes of a WebSocket payload looked at to tell a SIP start. */
#define WS_PEEK 80

/* Does a frame header at b (a text or binary frame, RSV bits clear, a
 * length a SIP message may have) carry a payload that starts a SIP
 * message? 1 yes, 0 no, -1 not enough bytes to tell. */
static int ws_starts_sip(const uint8_t *b, size_t len)
{
	uint8_t op = b[0] & 0x0f, peek[WS_PEEK];
	size_t hl = 2, k;
	uint64_t plen;
	struct sift_cur c;

	if ((b[0] & 0x70) || (op != 1 && op != 2))
		return 0;
	if (len < 2)
		return -1;
	plen = b[1] & 0x7f;
	c = sift_cur_make(b, len);
	sift_cur_skip(&c, 2);
	if (plen == 126) {
		plen = sift_cur_be16(&c);
		hl = 4;
	} else if (plen == 127) {
		plen = sift_cur_be64(&c);
		hl = 10;
	}
	if (b[1] & 0x80)
		hl += 4;
	if (len < hl)
		return -1;
	if (plen < 8 || plen > SIFT_SIP_MAX_MESSAGE)
		return 0;
	k = plen < WS_PEEK ? (size_t)plen : WS_PEEK;
	if (len - hl < k)
		return -1;
	for (size_t i = 0; i < k; i++)
		peek[i] = (uint8_t)(b[hl + i] ^
				    ((b[1] & 0x80) ? b[hl - 4 + (i & 3)] : 0));
	return sift_sip_maybe_start(peek, k) ||
	       sift_sip_is_start_line(peek, k);
}

/* Framing lost: skips to the next frame that starts a SIP message. True
 * when found at *off; false when more bytes must come (*off moved past
 * what cannot hold one). */
static bool ws_seek(struct sift_sip_stream *s, const uint8_t *b, size_t len,
		    size_t *off)
{
	size_t i = *off;

	for (; i + 2 <= len; i++) {
		int r = ws_starts_sip(b + i, len - i);

		if (r < 0)
			break;
		if (r > 0) {
			s->st.skipped_bytes += i - *off;
			*off = i;
			s->ws_resync = false;
			s->msg_len = 0;
			s->msg_drop = false;
			s->st.resyncs++;
			return true;
		}
	}
	s->st.skipped_bytes += i - *off;
	*off = i;
	return false;
}

/* RFC 6455 §5.2 frames carrying one SIP message per WebSocket message (RFC
 * 7118 §5). Returns the bytes consumed from b; stops at an incomplete
 * frame. The HTTP handshake before the first frame is skipped. */
static size_t ws_frames(struct sift_sip_stream *s, uint8_t *b, size_t len,
			const struct sift_where *where, sift_sip_emit_fn emit,
			void *ctx)
{
	size_t off = 0;

	if (!s->ws_open) {
		size_t end = header_end(b, len);

		if (!end) {
			if (len > MAX_HEADER)
				s->kind = SIFT_STREAM_OTHER;
			return 0;
		}
		s->ws_open = true;
		off = end;
	}
	while (len - off >= 2) {
		uint8_t *f;
		size_t avail, hl;
		uint64_t plen;
		uint8_t op;
		bool fin, masked;
		uint8_t *pl;
		struct sift_cur hc;

		if (s->ws_resync && !ws_seek(s, b, len, &off))
			break;
		f = b + off;
		avail = len - off;
		hl = 2;
		plen = f[1] & 0x7f;
		op = f[0] & 0x0f;
		fin = f[0] & 0x80;
		masked = f[1] & 0x80;
		hc = sift_cur_make(f, avail);

		/* RFC 6455 §5.2: the 16- or 64-bit extended length. */
		sift_cur_skip(&hc, 2);
		if (plen == 126) {
			if (avail < 4)
				break;
			plen = sift_cur_be16(&hc);
			hl = 4;
		} else if (plen == 127) {
			if (avail < 10)
				break;
			plen = sift_cur_be64(&hc);
			hl = 10;
		}
		if (masked)
			hl += 4;
		if (avail < hl)
			break;
		if (plen > SIFT_SIP_MAX_MESSAGE) {
			/* No SIP message is that large (a frame of another
			 * protocol, or a length that lies): this frame and
			 * the message it belongs to are given up, and framing
			 * starts again at the next frame that begins a SIP
			 * message. */
			size_t k = avail - hl < 4096 ? avail - hl : 4096;

			if (masked)
				for (size_t i = 0; i < k; i++)
					f[hl + i] ^= f[hl - 4 + (i & 3)];
			dropped(s, SIFT_SIP_DROP_WS_FRAME, f + hl, k, plen,
				where, where);
			s->ws_resync = true;
			off += 1;
			continue;
		}
		if (avail - hl < plen)
			break;
		pl = f + hl;
		if (masked)
			for (size_t i = 0; i < plen; i++)
				pl[i] ^= f[hl - 4 + (i & 3)];
		off += hl + (size_t)plen;
		if (op >= 8)
			continue;   /* close, ping, pong */
		if (op != 0) {
			/* A new data frame: RSV1 marks permessage-deflate
			 * (RFC 7692), which is not decoded. */
			s->msg_len = 0;
			s->msg_first = *where;
			s->msg_drop = (f[0] & 0x40) != 0;
			if (s->msg_drop)
				s->st.skipped_bytes += plen;
		}
		if (fin && s->msg_len == 0 && !s->msg_drop) {
			s->st.messages++;
			emit(ctx, pl, (size_t)plen, where);
			continue;
		}
		ws_collect(s, pl, (size_t)plen, where);
		if (fin) {
			if (!s->msg_drop) {
				s->st.messages++;
				emit(ctx, s->msg, s->msg_len, where);
			}
			s->msg_len = 0;
			s->msg_drop = false;
		}
	}
	return off;
}

/* A line that begins as a start line does ("INVITE sip:", "SIP/2.0 ")
 * but has no end within MAX_START_LINE bytes. */
static bool start_line_too_long(const uint8_t *b, size_t len)
{
	return len >= MAX_START_LINE && sift_sip_maybe_start(b, len) &&
	       !memchr(b, '\n', MAX_START_LINE);
}

/* Where the message at offset off of the buffer began: the bytes after a
 * message framed in this feed came in this feed's packet. */
static const struct sift_where *msg_first(const struct sift_sip_stream *s,
					  size_t off,
					  const struct sift_where *where)
{
	return off ? where : &s->first;
}

/* A message at b that a cap makes us give up: the stream is SIP (a start
 * line showed), framing starts again at the next start line. */
static void give_up(struct sift_sip_stream *s, enum sift_sip_drop_why why,
		    const uint8_t *b, size_t head, uint64_t claimed,
		    size_t *off, size_t skip, const struct sift_where *where)
{
	s->kind = SIFT_STREAM_SIP;
	s->after_msg = false;
	dropped(s, why, b, head, claimed, msg_first(s, *off, where), where);
	s->st.skipped_bytes += skip;
	*off += skip;
	s->resync = true;
	s->st.resyncs++;
}

/* No start line at b (or resynchronising): looks for the next one. True
 * when found, with *off moved to it; false when more bytes must come. */
static bool seek_start_line(struct sift_sip_stream *s, const uint8_t *b,
			    size_t len, size_t *off)
{
	size_t at;

	/* A start line may still be arriving. */
	if (!s->resync && line_len(b, len) > len && len < MAX_START_LINE)
		return false;
	/* Right behind a message and no start line: that message's
	 * Content-Length did not reach its end. */
	if (s->after_msg && !s->resync)
		s->st.misframed++;
	s->after_msg = false;
	at = sift_sip_find_start_line(b, len);
	if (at == len) {
		/* Keep a tail that may hold the beginning of a start line
		 * cut by the segment boundary. */
		size_t keep = len < MAX_START_LINE ? len : MAX_START_LINE;

		s->st.skipped_bytes += len - keep;
		if (s->kind == SIFT_STREAM_UNKNOWN)
			s->probed += len - keep;
		*off += len - keep;
		s->resync = true;
		if (s->kind == SIFT_STREAM_UNKNOWN &&
		    s->probed + keep > MAX_PROBE)
			s->kind = SIFT_STREAM_OTHER;
		return false;
	}
	if (at) {
		s->st.skipped_bytes += at;
		if (s->kind == SIFT_STREAM_UNKNOWN)
			s->probed += at;
	}
	if (!s->resync)
		s->st.resyncs++;
	s->resync = false;
	*off += at;
	return true;
}

/* CRLF keep-alives between messages (RFC 5626 §3.5.1): counted; returns
 * how many bytes they take. */
static size_t keepalives(struct sift_sip_stream *s, const uint8_t *b,
			 size_t len)
{
	size_t skip = 0;

	while (skip < len && (b[skip] == '\r' || b[skip] == '\n'))
		skip++;
	if (skip >= 4 || (skip && skip == len))
		s->st.keepalives++;
	return skip;
}

enum sift_stream_kind sift_sip_stream_feed(struct sift_sip_stream *s,
					   const uint8_t *p, size_t n,
					   const struct sift_where *where,
					   sift_sip_emit_fn emit, void *ctx)
{
	size_t off = 0;

	if (s->kind == SIFT_STREAM_TLS || s->kind == SIFT_STREAM_OTHER)
		return s->kind;
	s->ctx = ctx;
	if (!s->len)
		s->first = *where;
	if (!append(s, p, n)) {
		/* Over the cap (or memory: the caller stops): whatever was
		 * pending cannot be a message we keep. Start again. */
		if (s->st.nomem)
			return s->kind;
		if (s->kind == SIFT_STREAM_SIP && s->len)
			dropped(s, SIFT_SIP_DROP_BODY, s->buf,
				s->len < MAX_HEADER ? s->len : MAX_HEADER, 0,
				&s->first, where);
		sift_sip_stream_gap(s);
		s->first = *where;
		if (!append(s, p, n < BUF_CAP ? n : BUF_CAP))
			return s->kind;
	}
	for (;;) {
		uint8_t *b = s->buf + off;
		size_t len = s->len - off, hend, clen, total, cand;
		size_t skip = keepalives(s, b, len);

		off += skip;
		b += skip;
		len -= skip;
		if (len == 0)
			break;
		if (s->kind == SIFT_STREAM_UNKNOWN && !s->resync) {
			enum sift_stream_kind k = classify(b, len);

			if (k != SIFT_STREAM_UNKNOWN)
				s->kind = k;
			if (k == SIFT_STREAM_TLS || k == SIFT_STREAM_OTHER)
				break;
			/* An HTTP request whose headers are still arriving:
			 * wait for them before judging it. */
			if (k == SIFT_STREAM_UNKNOWN && len >= 4 &&
			    memcmp(b, "GET ", 4) == 0)
				break;
		}
		if (s->kind == SIFT_STREAM_WS) {
			off += ws_frames(s, b, len, where, emit, ctx);
			break;
		}
		if (!s->resync && start_line_too_long(b, len)) {
			/* All of it that is known to be the start line goes:
			 * a shorter tail of it is no start line. */
			give_up(s, SIFT_SIP_DROP_START_LINE, b,
				len < MAX_HEADER ? len : MAX_HEADER,
				0, &off, MAX_START_LINE, where);
			continue;
		}
		if (s->resync || !sift_sip_is_start_line(b, len)) {
			if (!seek_start_line(s, b, len, &off))
				break;
			continue;
		}
		hend = head_scan(b, len, &cand);
		if (!hend || hend > MAX_HEADER) {
			/* Past the cap whether its end came in the same
			 * segment or not. */
			if (len > MAX_HEADER) {
				/* No end of headers in sight: drop this start
				 * line (whole: less of it may still look like
				 * one) and look for the next. */
				const uint8_t *lf = memchr(b, '\n', len);

				give_up(s, SIFT_SIP_DROP_HEADERS, b, MAX_HEADER,
					0, &off, lf ? (size_t)(lf - b) + 1 : 1,
					where);
				continue;
			}
			break;
		}
		/* A start line and a whole header block: the stream is SIP,
		 * whatever comes next. */
		s->kind = SIFT_STREAM_SIP;
		if (!content_length_from(b, hend, cand, &clen)) {
			/* Mandatory on streams (RFC 3261 §18.3, §20.14); take
			 * the message as having no body. */
			s->st.no_length++;
			clen = 0;
		}
		if (clen > SIFT_SIP_MAX_MESSAGE - hend) {
			/* Too big to keep: its headers are skipped, its body
			 * by resynchronisation. */
			give_up(s, SIFT_SIP_DROP_BODY, b, hend, clen, &off,
				hend, where);
			continue;
		}
		total = hend + clen;
		if (total > len)
			break;
		s->kind = SIFT_STREAM_SIP;
		s->st.messages++;
		s->after_msg = true;
		emit(ctx, b, total, where);
		off += total;
	}
	if (off) {
		memmove(s->buf, s->buf + off, s->len - off);
		s->len -= off;
		s->first = *where;
	}
	if (s->kind == SIFT_STREAM_TLS || s->kind == SIFT_STREAM_OTHER) {
		free(s->buf);
		s->buf = NULL;
		s->len = s->cap = 0;
	}
	return s->kind;
}
