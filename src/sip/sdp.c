/* sipsift — SDP bodies (RFC 8866, which obsoletes RFC 4566) read for what
 * offer/answer (RFC 3264) tells about the media: endpoints (c=, m=),
 * payload types and codecs (a=rtpmap, RFC 3551 static types), direction,
 * RTCP (RFC 3605 a=rtcp, RFC 5761 a=rtcp-mux) and the SDES a=crypto lines
 * (RFC 4568, kept raw for sdes.c).
 *
 * Our own line scanner, not libosip2's sdp_message_parse: that one refuses
 * whole bodies for a missing final CRLF, a missing o= or t= and unknown
 * line letters (LIBRARIES.md), all common in captures, and a fallback
 * scanner would be needed anyway. One pass over (pointer, length) lines,
 * fixed arrays, whatever does not fit is counted in `dropped`. */
#include <arpa/inet.h>
#include <sys/socket.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util/span.h"
#include "sip/sdp.h"

/* What a media section said, resolved against the session level once the
 * whole body is read (a session-level line may, against the grammar,
 * follow nothing; media-level values always win). */
struct media_ext {
	bool have_c;
	struct sift_addr c;        /* family 0: present but unreadable */
	bool have_dir;
	enum sift_sdp_dir dir;
	bool have_rtcp;            /* a=rtcp */
	bool rtcp_has_addr;
	uint16_t rtcp_port;
	struct sift_addr rtcp_addr;
	/* Where its a=crypto values start in out->text (which may move while
	 * it grows: the pointers are set at the end). */
	size_t crypto_at[SIFT_SDP_MAX_CRYPTO];
};

/* Index of the section the current line belongs to. */
#define AT_SESSION (-1)
#define AT_NOWHERE (-2)     /* an m= section past the media cap */

struct scan {
	struct sift_sdp *out;
	int cur;
	bool have_o;
	bool have_sess_c;
	struct sift_addr sess_c;
	enum sift_sdp_dir sess_dir;
	struct media_ext ext[SIFT_SDP_MAX_MEDIA];
};

/* Copies s into a NUL-terminated buffer of len bytes; false (and buf
 * empty) when it does not fit. */
static bool copy_str(struct sift_span s, char *buf, size_t len)
{
	if (s.n >= len) {
		buf[0] = '\0';
		return false;
	}
	memcpy(buf, s.p, s.n);
	buf[s.n] = '\0';
	return true;
}

/* copy_str for a token (RFC 8866 §9: visible characters): a name with a
 * NUL or a control character in it is left empty, not cut at the NUL. */
static bool copy_token(struct sift_span s, char *buf, size_t len)
{
	for (size_t i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];

		if (c <= ' ' || c >= 0x7f) {
			buf[0] = '\0';
			return false;
		}
	}
	return copy_str(s, buf, len);
}

/* nettype SP addrtype SP connection-address (RFC 8866 §5.7), as in c= and
 * a=rtcp. The multicast suffixes "/ttl" and "/count" are dropped. Only
 * literal IP4/IP6 addresses are read: a host name (allowed by §5.7) gives
 * family 0, since an offline analyzer resolves no names. */
static void parse_conn(struct sift_span s, struct sift_addr *a)
{
	struct sift_span net, type, rest, addr;
	char buf[64];
	int af;

	memset(a, 0, sizeof(*a));
	if (!sift_span_next_word(&s, &net) || !sift_span_next_word(&s, &type) ||
	    !sift_span_next_word(&s, &rest) || !sift_span_eq(net, "IN"))
		return;
	if (sift_span_eq(type, "IP4"))
		af = AF_INET;
	else if (sift_span_eq(type, "IP6"))
		af = AF_INET6;
	else
		return;
	sift_span_split(&rest, '/', &addr);
	if (!copy_str(addr, buf, sizeof(buf)))
		return;
	if (inet_pton(af, buf, a->ip) == 1)
		a->family = af == AF_INET ? 4 : 6;
}

/* o=<username> <sess-id> <sess-version> <nettype> <addrtype> <address>
 * (RFC 8866 §5.2): the version changes with every new offer (RFC 3264
 * §8). */
static void line_o(struct scan *sc, struct sift_span v)
{
	struct sift_span tok;
	uint64_t ver;

	if (sc->have_o)
		return;
	sc->have_o = true;
	for (int i = 0; i < 3; i++)
		if (!sift_span_next_word(&v, &tok))
			return;
	if (sift_span_u64(tok, UINT64_MAX, &ver))
		sc->out->sess_version = ver;
}

static void line_c(struct scan *sc, struct sift_span v)
{
	if (sc->cur == AT_SESSION && !sc->have_sess_c) {
		sc->have_sess_c = true;
		parse_conn(v, &sc->sess_c);
	} else if (sc->cur >= 0 && !sc->ext[sc->cur].have_c) {
		/* Several c= in one section are layered multicast; the
		 * first is the base layer. */
		sc->ext[sc->cur].have_c = true;
		parse_conn(v, &sc->ext[sc->cur].c);
	}
}

/* m=<media> <port>[/<number of ports>] <proto> <fmt> ... (RFC 8866 §5.14).
 * Every m= line takes a slot, even one we cannot read (then port 0, as a
 * disabled stream), because offer and answer pair media by position
 * (RFC 3264 §6). */
static void line_m(struct scan *sc, struct sift_span v)
{
	struct sift_sdp *out = sc->out;
	struct sift_sdp_media *m;
	struct sift_span type, port, count, proto, fmt;
	uint64_t x;

	/* Room for one more m= line, at most SIFT_SDP_MAX_MEDIA; memory that
	 * runs out drops the line too, and says so. */
	if (!sift_grow_oom((void **)&out->media, &out->media_cap, out->nmedia,
			   sizeof(*out->media), SIFT_SDP_MAX_MEDIA, &out->oom)) {
		out->dropped++;
		sc->cur = AT_NOWHERE;
		return;
	}
	sc->cur = (int)out->nmedia;
	m = &out->media[out->nmedia++];
	/* The arrays are read up to their counts only: zeroing all of a
	 * slot (1.7 KB; 45 KB for eight of them before) was 14 % of a
	 * SIP-only run. */
	memset(m, 0, offsetof(struct sift_sdp_media, pts));
	m->npts = m->nrtpmap = m->ncrypto = 0;
	memset(&sc->ext[sc->cur], 0, sizeof(sc->ext[0]));
	m->port_count = 1;
	if (!sift_span_next_word(&v, &type))
		return;
	/* A name too long for its field stays empty: a cut name could read
	 * as a different one. */
	copy_token(type, m->type, sizeof(m->type));
	if (!sift_span_next_word(&v, &port))
		return;
	count = port;
	if (sift_span_split(&count, '/', &port) && sift_span_u64(count, UINT16_MAX, &x) &&
	    x > 0)
		m->port_count = (uint16_t)x;
	if (sift_span_u64(port, UINT16_MAX, &x))
		m->rtp.port = (uint16_t)x;
	if (!sift_span_next_word(&v, &proto))
		return;
	copy_token(proto, m->proto, sizeof(m->proto));
	/* For RTP profiles the formats are payload types 0..127 (RFC 3551
	 * §6); other protocols (udptl t38, UDP/BFCP *) name other things. */
	while (sift_span_next_word(&v, &fmt)) {
		if (!sift_span_u64(fmt, 127, &x))
			continue;
		if (m->npts == SIFT_SDP_MAX_PT) {
			out->dropped++;
			continue;
		}
		m->pts[m->npts++] = (uint8_t)x;
	}
}

/* a=rtpmap:<payload type> <encoding name>/<clock rate>[/<channels>]
 * (RFC 8866 §6.6). */
static void attr_rtpmap(struct scan *sc, struct sift_span v)
{
	struct sift_sdp_media *m = &sc->out->media[sc->cur];
	struct sift_sdp_rtpmap r;
	struct sift_span pt, enc, name, rate;
	uint64_t x;

	memset(&r, 0, sizeof(r));
	if (!sift_span_next_word(&v, &pt) || !sift_span_u64(pt, 127, &x))
		return;
	r.pt = (uint8_t)x;
	if (!sift_span_next_word(&v, &enc))
		return;
	sift_span_split(&enc, '/', &name);
	if (name.n == 0 || !copy_token(name, r.name, sizeof(r.name)))
		return;
	if (sift_span_split(&enc, '/', &rate)) {
		if (!sift_span_u64(enc, 255, &x) || x == 0)
			return;
		r.channels = (uint8_t)x;
	} else {
		r.channels = 1;
	}
	if (!sift_span_u64(rate, UINT32_MAX, &x) || x == 0)
		return;
	r.rate = (uint32_t)x;
	/* One rtpmap per payload type; a repeat is ignored. */
	for (unsigned i = 0; i < m->nrtpmap; i++)
		if (m->rtpmap[i].pt == r.pt)
			return;
	if (m->nrtpmap == SIFT_SDP_MAX_PT) {
		sc->out->dropped++;
		return;
	}
	m->rtpmap[m->nrtpmap++] = r;
}

/* a=rtcp:<port> [<nettype> <addrtype> <connection-address>] (RFC 3605
 * §2.1): where RTCP goes when it is not on the RTP port + 1. */
static void attr_rtcp(struct scan *sc, struct sift_span v)
{
	struct media_ext *e = &sc->ext[sc->cur];
	struct sift_span port;
	uint64_t x;

	if (e->have_rtcp || !sift_span_next_word(&v, &port) ||
	    !sift_span_u64(port, UINT16_MAX, &x))
		return;
	e->have_rtcp = true;
	e->rtcp_port = (uint16_t)x;
	while (v.n && sift_is_wsp(v.p[0])) {
		v.p++;
		v.n--;
	}
	if (v.n) {
		e->rtcp_has_addr = true;
		parse_conn(v, &e->rtcp_addr);
	}
}

/* a=crypto:<value> (RFC 4568 §9.1), media level only. The value is kept
 * whole or not at all: one cut at the cap could read as another key or
 * lose a mandatory session parameter. */
static void attr_crypto(struct scan *sc, struct sift_span v)
{
	struct sift_sdp *out = sc->out;
	struct sift_sdp_media *m = &out->media[sc->cur];

	for (size_t i = 0; i < v.n; i++) {
		unsigned char c = (unsigned char)v.p[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return;
	}
	if (m->ncrypto == SIFT_SDP_MAX_CRYPTO || v.n >= SIFT_SDP_CRYPTO_LEN ||
	    !sift_grow_oom((void **)&out->text, &out->text_cap,
			   out->text_len + v.n, 1, SIFT_SDP_CRYPTO_POOL, &out->oom)) {
		out->dropped++;
		return;
	}
	sc->ext[sc->cur].crypto_at[m->ncrypto++] = out->text_len;
	memcpy(out->text + out->text_len, v.p, v.n);
	out->text[out->text_len + v.n] = '\0';
	out->text_len += v.n + 1;
}

static void line_a(struct scan *sc, struct sift_span v)
{
	static const struct {
		const char *name;
		enum sift_sdp_dir dir;
	} dirs[] = {
		/* RFC 8866 §6.7; the default is sendrecv (RFC 3264 §5.1). */
		{ "sendrecv", SIFT_SDP_SENDRECV },
		{ "sendonly", SIFT_SDP_SENDONLY },
		{ "recvonly", SIFT_SDP_RECVONLY },
		{ "inactive", SIFT_SDP_INACTIVE },
	};
	struct sift_span name;
	bool has_value;

	if (sc->cur == AT_NOWHERE)
		return;
	has_value = sift_span_split(&v, ':', &name);
	if (!has_value) {
		for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
			if (!sift_span_eq(name, dirs[i].name))
				continue;
			if (sc->cur == AT_SESSION) {
				sc->sess_dir = dirs[i].dir;
			} else {
				sc->ext[sc->cur].have_dir = true;
				sc->ext[sc->cur].dir = dirs[i].dir;
			}
			return;
		}
	}
	/* The rest are media-level attributes (RFC 3605 §2.1, RFC 5761
	 * §5.1.1, RFC 4568 §9.1, RFC 8866 §6.6). */
	if (sc->cur == AT_SESSION)
		return;
	if (!has_value && sift_span_eq(name, "rtcp-mux"))
		sc->out->media[sc->cur].rtcp_mux = true;
	else if (has_value && sift_span_eq(name, "rtpmap"))
		attr_rtpmap(sc, v);
	else if (has_value && sift_span_eq(name, "rtcp"))
		attr_rtcp(sc, v);
	else if (has_value && sift_span_eq(name, "crypto"))
		attr_crypto(sc, v);
}

/* Media addresses from the media level, else the session level (RFC 8866
 * §5.7); RTCP from a=rtcp, else the RTP port + 1 (RFC 3550 §11), or the
 * RTP address itself with rtcp-mux (RFC 5761 §4). */
static void resolve(struct scan *sc)
{
	for (unsigned i = 0; i < sc->out->nmedia; i++) {
		struct sift_sdp_media *m = &sc->out->media[i];
		const struct media_ext *e = &sc->ext[i];
		uint16_t port = m->rtp.port;

		for (unsigned k = 0; k < m->ncrypto; k++)
			m->crypto[k] = sc->out->text + e->crypto_at[k];
		if (e->have_c)
			m->rtp = e->c;
		else if (sc->have_sess_c)
			m->rtp = sc->sess_c;
		m->rtp.port = port;
		m->dir = e->have_dir ? e->dir : sc->sess_dir;
		m->rtcp = m->rtp;
		if (m->rtcp_mux)
			continue;
		if (e->have_rtcp) {
			if (e->rtcp_has_addr)
				m->rtcp = e->rtcp_addr;
			m->rtcp.port = e->rtcp_port;
		} else {
			/* A disabled stream (port 0) has no RTCP either. */
			m->rtcp.port = port == 0 || port == UINT16_MAX ?
				       0 : (uint16_t)(port + 1);
		}
	}
}

enum sift_rc sift_sdp_parse(const uint8_t *p, size_t n, struct sift_sdp *out)
{
	struct scan sc;
	const char *s = (const char *)p;
	size_t pos = 0;
	bool seen_v = false;
	enum sift_rc rc = SIFT_EINVAL;

	/* The room for m= lines stays; each is cleared when it is taken. */
	out->nmedia = 0;
	out->text_len = 0;
	out->sess_version = 0;
	out->dropped = 0;
	out->oom = false;
	/* The media sections' part is cleared as each is taken. */
	memset(&sc, 0, offsetof(struct scan, ext));
	sc.out = out;
	sc.cur = AT_SESSION;
	sc.sess_dir = SIFT_SDP_SENDRECV;
	if (!p)
		goto out;
	while (pos < n) {
		const char *lf = memchr(s + pos, '\n', n - pos);
		size_t end = lf ? (size_t)(lf - s) : n;
		struct sift_span line = sift_span_of(s + pos, end - pos), v;

		pos = lf ? end + 1 : n;
		/* CRLF per RFC 8866 §5, but bare LF is accepted as §5 allows
		 * parsers to, and trailing blanks are dropped. */
		while (line.n && (line.p[line.n - 1] == '\r' ||
				  sift_is_wsp(line.p[line.n - 1])))
			line.n--;
		if (line.n == 0)
			continue;
		/* <type>=<value>: anything else is ignored (§5). */
		if (line.n < 2 || line.p[1] != '=') {
			if (!seen_v)
				goto out;
			continue;
		}
		v.p = line.p + 2;
		v.n = line.n - 2;
		/* v= comes first (§5); a body that starts otherwise is not
		 * SDP. */
		if (!seen_v) {
			if (line.p[0] != 'v')
				goto out;
			seen_v = true;
			continue;
		}
		switch (line.p[0]) {
		case 'o':
			line_o(&sc, v);
			break;
		case 'c':
			line_c(&sc, v);
			break;
		case 'm':
			line_m(&sc, v);
			break;
		case 'a':
			line_a(&sc, v);
			break;
		default:
			/* s= i= u= e= p= b= t= r= z= k= and unknown letters:
			 * nothing media analysis needs. */
			break;
		}
	}
	if (!seen_v || out->nmedia == 0)
		goto out;
	resolve(&sc);
	rc = SIFT_OK;
out:
	return out->oom ? SIFT_ENOMEM : rc;
}

void sift_sdp_free(struct sift_sdp *out)
{
	if (!out)
		return;
	free(out->media);
	free(out->text);
	memset(out, 0, sizeof(*out));
}

/* RFC 3551 §6 tables 4 and 5. Video clocks are 90000 Hz; G722 says 8000
 * although it samples at 16 kHz (an error kept for compatibility, §4.5.2). */
static const struct {
	const char *name;
	uint32_t rate;
	uint8_t channels;
} static_pt[35] = {
	[0] = { "PCMU", 8000, 1 },
	[3] = { "GSM", 8000, 1 },
	[4] = { "G723", 8000, 1 },
	[5] = { "DVI4", 8000, 1 },
	[6] = { "DVI4", 16000, 1 },
	[7] = { "LPC", 8000, 1 },
	[8] = { "PCMA", 8000, 1 },
	[9] = { "G722", 8000, 1 },
	[10] = { "L16", 44100, 2 },
	[11] = { "L16", 44100, 1 },
	[12] = { "QCELP", 8000, 1 },
	[13] = { "CN", 8000, 1 },
	[14] = { "MPA", 90000, 1 },
	[15] = { "G728", 8000, 1 },
	[16] = { "DVI4", 11025, 1 },
	[17] = { "DVI4", 22050, 1 },
	[18] = { "G729", 8000, 1 },
	[25] = { "CelB", 90000, 1 },
	[26] = { "JPEG", 90000, 1 },
	[28] = { "nv", 90000, 1 },
	[31] = { "H261", 90000, 1 },
	[32] = { "MPV", 90000, 1 },
	[33] = { "MP2T", 90000, 1 },
	[34] = { "H263", 90000, 1 },
};

const struct sift_sdp_rtpmap *sift_sdp_codec(const struct sift_sdp_media *m,
					    uint8_t pt,
					    struct sift_sdp_rtpmap *buf)
{
	/* An rtpmap in the SDP wins, also over a static type (RFC 3551 §3
	 * lets a session redefine them). */
	if (m) {
		for (unsigned i = 0; i < m->nrtpmap && i < SIFT_SDP_MAX_PT; i++)
			if (m->rtpmap[i].pt == pt)
				return &m->rtpmap[i];
	}
	if (pt >= sizeof(static_pt) / sizeof(static_pt[0]) ||
	    !static_pt[pt].name || !buf)
		return NULL;
	memset(buf, 0, sizeof(*buf));
	buf->pt = pt;
	memcpy(buf->name, static_pt[pt].name, strlen(static_pt[pt].name) + 1);
	buf->rate = static_pt[pt].rate;
	buf->channels = static_pt[pt].channels;
	return buf;
}
