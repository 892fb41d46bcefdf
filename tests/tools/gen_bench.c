/* gen_bench — writes a large, realistic SIP+RTP capture for `make bench`.
 *
 *   gen_bench -n PACKETS [-c CONCURRENT] [-s SEED] [-t TCP_EVERY]
 *             [--talk MIN:MAX] [--srtp] -o FILE.pcap
 *
 * CONCURRENT call slots (default 200) each run one call after another: a
 * SIP dialog (INVITE with SDP, 100 Trying, 180 Ringing, 200 OK with SDP,
 * ACK, ... , BYE, 200 OK) between two phones, and G.711 RTP both ways at
 * 50 packets/s per direction (12-byte RTP header + 160 bytes of payload)
 * between the answer and the BYE.  Every TCP_EVERY-th call (default 50;
 * 0 = none) carries its SIP over one TCP connection instead of UDP (SYN,
 * data segments each acknowledged, FIN).  Talk time is random between MIN
 * and MAX seconds (default 3:15), ringing 1-4 s, and a slot rests 0-0.5 s
 * between calls.  Call-IDs, tags, branches, CSeqs, addresses, RTP ports,
 * SSRCs and sequence numbers all vary with the seed; the same arguments
 * always give the same bytes.
 *
 * --srtp: the same calls with SDES-SRTP (RFC 4568).  Offer and answer say
 * RTP/SAVP and carry "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:KEY", a
 * key per call direction (30 bytes of master key and salt that look random
 * but follow from the seed and the call's number only), and every RTP
 * packet is protected with libsrtp2 under the key its sender offered
 * (srtp_protect: 172 bytes of RTP become 182).  The key stream is separate
 * from the one that draws everything else, so with and without --srtp the
 * calls, times, addresses and SSRCs are the same, and without --srtp the
 * output is byte for byte what it was before the option existed.
 *
 * Once PACKETS packets are written no call starts any more and every call
 * that is talking hangs up at its next 20 ms tick, so each dialog in the
 * file is complete and the file holds PACKETS packets plus a short tail.
 *
 * Output: classic pcap (microseconds), Ethernet, IPv4 with real header,
 * UDP and TCP checksums; timestamps never decrease.  A summary goes to
 * stderr.  C11 and stdio (no libpcap needed to write) plus libsrtp2:
 *   cc -O2 -std=c11 gen_bench.c $(pkg-config --cflags --libs libsrtp2)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <srtp2/srtp.h>

#define TICK_US 20000u          /* RTP ptime: one packet per direction */
#define RTP_PAYLOAD 160u        /* G.711, 20 ms at 8 kHz */
#define SUBSLOTS 16u            /* events inside one slot's time window */
#define START_SEC 1767225600u   /* 2026-01-01 00:00:00 UTC */

/* ---- deterministic randomness (xorshift64*) ------------------------- */
static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 2685821657736338717ull;
}

static uint32_t rnd_range(uint32_t lo, uint32_t hi) /* inclusive */
{
	return lo + (uint32_t)(rnd() % ((uint64_t)hi - lo + 1));
}

static void rnd_hex(char *out, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++)
		out[i] = hex[rnd() & 15];
	out[n] = 0;
}

/* Key material for --srtp: splitmix64 over (seed, call, direction), apart
 * from rnd() so that the plain capture keeps its bytes. */
static uint64_t key_seed;

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* ---- output --------------------------------------------------------- */
static FILE *out;
static uint8_t *obuf;
static size_t olen;
#define OBUF_SIZE (4u << 20)
static uint64_t n_packets, n_bytes, n_rtp, n_sip_udp, n_sip_tcp, n_tcp_pkts;
static uint64_t last_ts_us;

static void oflush(void)
{
	if (olen && fwrite(obuf, 1, olen, out) != olen) {
		perror("gen_bench: write");
		exit(1);
	}
	olen = 0;
}

static void put32le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void put16be(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32be(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Reserve room for one record of len bytes at time ts; returns the frame. */
static uint8_t *orecord(uint64_t ts_us, size_t len)
{
	uint8_t *p;

	if (ts_us < last_ts_us)
		ts_us = last_ts_us; /* never decrease (cannot happen; belt) */
	last_ts_us = ts_us;
	if (olen + 16 + len > OBUF_SIZE)
		oflush();
	p = obuf + olen;
	put32le(p, (uint32_t)(START_SEC + ts_us / 1000000u));
	put32le(p + 4, (uint32_t)(ts_us % 1000000u));
	put32le(p + 8, (uint32_t)len);
	put32le(p + 12, (uint32_t)len);
	olen += 16 + len;
	n_packets++;
	n_bytes += len;
	return p + 16;
}

/* ---- checksums ------------------------------------------------------ */
static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
	while (n > 1) {
		s += (uint32_t)p[0] << 8 | p[1];
		p += 2;
		n -= 2;
	}
	if (n)
		s += (uint32_t)p[0] << 8;
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* ---- hosts ---------------------------------------------------------- */
struct host {
	uint32_t ip;
	uint8_t mac[6];
	uint16_t ip_id;
	char ips[16];
};

static void host_init(struct host *h, uint32_t ip)
{
	h->ip = ip;
	h->mac[0] = 0x02; /* locally administered */
	h->mac[1] = 0x5b;
	put32be(h->mac + 2, ip);
	h->ip_id = (uint16_t)rnd();
	snprintf(h->ips, sizeof(h->ips), "%u.%u.%u.%u", ip >> 24,
		 (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
}

/* Ethernet + IPv4 header for l4len bytes of protocol proto. */
static uint8_t *l3(uint8_t *f, struct host *s, const struct host *d,
		   uint8_t proto, size_t l4len)
{
	uint8_t *ip = f + 14;

	memcpy(f, d->mac, 6);
	memcpy(f + 6, s->mac, 6);
	f[12] = 0x08;
	f[13] = 0x00;
	ip[0] = 0x45;
	ip[1] = proto == 17 ? 0xb8 : 0x68; /* EF for media/SIP-UDP, AF31 TCP */
	put16be(ip + 2, (uint16_t)(20 + l4len));
	put16be(ip + 4, s->ip_id++);
	ip[6] = 0x40; /* DF */
	ip[7] = 0;
	ip[8] = 64;
	ip[9] = proto;
	ip[10] = ip[11] = 0;
	put32be(ip + 12, s->ip);
	put32be(ip + 16, d->ip);
	put16be(ip + 10, fold(sum16(ip, 20, 0)));
	return ip + 20;
}

static uint32_t pseudo(const struct host *s, const struct host *d,
		       uint8_t proto, size_t l4len)
{
	uint32_t x = 0;

	x += s->ip >> 16;
	x += s->ip & 0xffff;
	x += d->ip >> 16;
	x += d->ip & 0xffff;
	x += proto;
	x += (uint32_t)l4len;
	return x;
}

static void udp_packet(uint64_t ts, struct host *s, uint16_t sport,
		       struct host *d, uint16_t dport, const uint8_t *hdr,
		       size_t hlen, const uint8_t *pay, size_t plen)
{
	size_t l4 = 8 + hlen + plen;
	uint8_t *f = orecord(ts, 14 + 20 + l4);
	uint8_t *u = l3(f, s, d, 17, l4);
	uint16_t c;

	put16be(u, sport);
	put16be(u + 2, dport);
	put16be(u + 4, (uint16_t)l4);
	u[6] = u[7] = 0;
	memcpy(u + 8, hdr, hlen);
	memcpy(u + 8 + hlen, pay, plen);
	c = fold(sum16(u, l4, pseudo(s, d, 17, l4)));
	put16be(u + 6, c ? c : 0xffff);
}

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_PSH 0x08
#define TH_ACK 0x10

static void tcp_packet(uint64_t ts, struct host *s, uint16_t sport,
		       struct host *d, uint16_t dport, uint32_t seq,
		       uint32_t ack, uint8_t flags, const uint8_t *pay,
		       size_t plen)
{
	bool syn = flags & TH_SYN;
	size_t thl = syn ? 24 : 20; /* SYNs carry an MSS option */
	size_t l4 = thl + plen;
	uint8_t *f = orecord(ts, 14 + 20 + l4);
	uint8_t *t = l3(f, s, d, 6, l4);

	put16be(t, sport);
	put16be(t + 2, dport);
	put32be(t + 4, seq);
	put32be(t + 8, (flags & TH_ACK) ? ack : 0);
	t[12] = (uint8_t)((thl / 4) << 4);
	t[13] = flags;
	put16be(t + 14, 64240);
	t[16] = t[17] = 0;
	t[18] = t[19] = 0;
	if (syn) {
		t[20] = 2;
		t[21] = 4;
		put16be(t + 22, 1460);
	}
	memcpy(t + thl, pay, plen);
	put16be(t + 16, fold(sum16(t, l4, pseudo(s, d, 6, l4))));
	n_tcp_pkts++;
}

/* ---- calls ---------------------------------------------------------- */
enum phase { IDLE, RINGING, TALKING, DONE };

struct call {
	enum phase ph;
	uint32_t wait;          /* IDLE: ticks until the next call starts */
	uint64_t start, ring, answer, hangup; /* absolute tick numbers */
	bool tcp, bye_from_b;
	struct host a, b;       /* caller, callee */
	uint16_t a_sip, a_rtp, b_rtp;
	uint32_t a_ssrc, b_ssrc, a_rts, b_rts;
	uint16_t a_seq, b_seq;
	bool a_mark, b_mark;
	uint32_t cseq, b_cseq;
	uint32_t a_tseq, b_tseq;        /* TCP next sequence numbers */
	char anum[16], bnum[16], callid[48], ftag[16], ttag[16];
	char br_inv[24], br_ack[24], br_bye[24];
	uint64_t sess_a, sess_b;
	/* --srtp: each side's sending context and its SDP key (base64). */
	srtp_t a_srtp, b_srtp;
	char a_b64[48], b_b64[48];
};

static uint64_t calls_started, calls_tcp;
static uint32_t tcp_every = 50;
static uint32_t talk_min = 3 * 50, talk_max = 15 * 50; /* in ticks */
static uint8_t noise[8192];     /* "voice": mu-law bytes, read in windows */
static bool srtp_mode;
#define SRTP_KEY_LEN 30u        /* AES_CM_128_HMAC_SHA1_80: 16 key + 14 salt */
#define SRTP_TAG_LEN 10u

static void b64(const uint8_t *in, size_t n, char *out)
{
	static const char t[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i, o = 0;

	for (i = 0; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];

		out[o++] = t[v >> 18];
		out[o++] = t[(v >> 12) & 63];
		out[o++] = t[(v >> 6) & 63];
		out[o++] = t[v & 63];
	}
	if (i < n) {
		uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0);

		out[o++] = t[v >> 18];
		out[o++] = t[(v >> 12) & 63];
		out[o++] = i + 1 < n ? t[(v >> 6) & 63] : '=';
		out[o++] = '=';
	}
	out[o] = 0;
}

static void srtp_check(srtp_err_status_t st, const char *what)
{
	if (st != srtp_err_status_ok) {
		fprintf(stderr, "gen_bench: %s: libsrtp2 error %d\n", what, (int)st);
		exit(1);
	}
}

/* The sending context of one direction of call number n, and its key. */
static void srtp_side(srtp_t *ctx, char *b64out, uint64_t n, unsigned dir)
{
	uint8_t key[SRTP_KEY_LEN];
	uint64_t x = key_seed ^ (n * 2 + dir) * 0xd6e8feb86659fd93ull;
	srtp_policy_t p;

	for (size_t i = 0; i < sizeof(key); i += 8) {
		uint64_t r = splitmix64(&x);

		for (size_t j = 0; j < 8 && i + j < sizeof(key); j++)
			key[i + j] = (uint8_t)(r >> (8 * j));
	}
	b64(key, sizeof(key), b64out);
	memset(&p, 0, sizeof(p));
	srtp_crypto_policy_set_rtp_default(&p.rtp);
	srtp_crypto_policy_set_rtcp_default(&p.rtcp);
	p.ssrc.type = ssrc_any_outbound;
	p.key = key;
	p.window_size = 128;
	srtp_check(srtp_create(ctx, &p), "srtp_create");
}

static void srtp_end(struct call *c)
{
	if (c->a_srtp)
		srtp_check(srtp_dealloc(c->a_srtp), "srtp_dealloc");
	if (c->b_srtp)
		srtp_check(srtp_dealloc(c->b_srtp), "srtp_dealloc");
	c->a_srtp = c->b_srtp = NULL;
}

static void call_new(struct call *c, uint64_t tick)
{
	uint64_t n = calls_started++;

	memset(c, 0, sizeof(*c));
	c->ph = RINGING;
	c->tcp = tcp_every && n % tcp_every == tcp_every - 1;
	if (c->tcp)
		calls_tcp++;
	host_init(&c->a, 0x0a010000u | rnd_range(1, 0xfffe)); /* 10.1/16 */
	host_init(&c->b, 0x0a020000u | rnd_range(1, 0xfffe)); /* 10.2/16 */
	c->a_sip = c->tcp ? (uint16_t)rnd_range(32768, 60999) : 5060;
	c->a_rtp = (uint16_t)(rnd_range(5000, 14999) * 2);
	c->b_rtp = (uint16_t)(rnd_range(5000, 14999) * 2);
	c->a_ssrc = (uint32_t)rnd();
	c->b_ssrc = (uint32_t)rnd();
	c->a_rts = (uint32_t)rnd();
	c->b_rts = (uint32_t)rnd();
	c->a_seq = (uint16_t)rnd();
	c->b_seq = (uint16_t)rnd();
	c->a_mark = c->b_mark = true;
	c->cseq = rnd_range(1, 30000);
	c->b_cseq = rnd_range(1, 30000);
	c->a_tseq = (uint32_t)rnd();
	c->b_tseq = (uint32_t)rnd();
	snprintf(c->anum, sizeof(c->anum), "49301%06u", rnd_range(0, 999999));
	snprintf(c->bnum, sizeof(c->bnum), "49892%06u", rnd_range(0, 999999));
	{
		char h[17];

		rnd_hex(h, 16);
		snprintf(c->callid, sizeof(c->callid), "%s-%" PRIu64 "@%s", h,
			 n, c->a.ips);
	}
	rnd_hex(c->ftag, 10);
	rnd_hex(c->ttag, 10);
	rnd_hex(c->br_inv, 16);
	rnd_hex(c->br_ack, 16);
	rnd_hex(c->br_bye, 16);
	c->sess_a = rnd() % 4000000000u;
	c->sess_b = rnd() % 4000000000u;
	c->start = tick;
	c->ring = tick + rnd_range(1, 3);
	c->answer = c->ring + rnd_range(50, 200);    /* 1-4 s ringing */
	c->hangup = c->answer + rnd_range(talk_min, talk_max);
	c->bye_from_b = rnd() & 1;
	if (srtp_mode) {
		srtp_side(&c->a_srtp, c->a_b64, n, 0);
		srtp_side(&c->b_srtp, c->b_b64, n, 1);
	}
}

/* SIP message text. */
static char msg[4096];

static size_t sdp(char *p, size_t cap, const struct host *h, uint64_t sess,
		  uint16_t port, bool offer, const char *key)
{
	int n;

	if (key) /* --srtp: RTP/SAVP and the sender's key */
		return (size_t)snprintf(p, cap,
			"v=0\r\n"
			"o=- %" PRIu64 " %" PRIu64 " IN IP4 %s\r\n"
			"s=-\r\n"
			"c=IN IP4 %s\r\n"
			"t=0 0\r\n"
			"m=audio %u RTP/SAVP %s\r\n"
			"a=rtpmap:0 PCMU/8000\r\n"
			"%s"
			"a=rtpmap:101 telephone-event/8000\r\n"
			"a=fmtp:101 0-16\r\n"
			"a=ptime:20\r\n"
			"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\r\n"
			"a=sendrecv\r\n",
			sess, sess, h->ips, h->ips, port, offer ? "0 8 101" : "0 101",
			offer ? "a=rtpmap:8 PCMA/8000\r\n" : "", key);
	n = snprintf(p, cap,
		"v=0\r\n"
		"o=- %" PRIu64 " %" PRIu64 " IN IP4 %s\r\n"
		"s=-\r\n"
		"c=IN IP4 %s\r\n"
		"t=0 0\r\n"
		"m=audio %u RTP/AVP %s\r\n"
		"a=rtpmap:0 PCMU/8000\r\n"
		"%s"
		"a=rtpmap:101 telephone-event/8000\r\n"
		"a=fmtp:101 0-16\r\n"
		"a=ptime:20\r\n"
		"a=sendrecv\r\n",
		sess, sess, h->ips, h->ips, port, offer ? "0 8 101" : "0 101",
		offer ? "a=rtpmap:8 PCMA/8000\r\n" : "");
	return (size_t)n;
}

enum kind { INVITE, TRYING, RINGING_180, OK_INVITE, ACK, BYE, OK_BYE };

/* Builds one message of the dialog in msg[]; returns its length and
 * whether the caller (a) sends it. */
static size_t build(const struct call *c, enum kind k, bool *from_a)
{
	const char *tp = c->tcp ? "TCP" : "UDP";
	const char *tpl = c->tcp ? "tcp" : "udp";
	char body[1024], a_contact[96], b_contact[96], via_a[160], via_b[160];
	char from_hdr[128], to_hdr[128];
	size_t blen = 0;
	int n = 0;

	snprintf(a_contact, sizeof(a_contact), "<sip:%s@%s:%u;transport=%s>",
		 c->anum, c->a.ips, c->a_sip, tpl);
	snprintf(b_contact, sizeof(b_contact), "<sip:%s@%s:5060;transport=%s>",
		 c->bnum, c->b.ips, tpl);
	snprintf(from_hdr, sizeof(from_hdr), "\"%s\" <sip:%s@%s>;tag=%s",
		 c->anum, c->anum, c->a.ips, c->ftag);
	snprintf(to_hdr, sizeof(to_hdr), "<sip:%s@%s>", c->bnum, c->b.ips);
	snprintf(via_a, sizeof(via_a), "SIP/2.0/%s %s:%u;branch=z9hG4bK%s;rport",
		 tp, c->a.ips, c->a_sip,
		 k == ACK ? c->br_ack : (k == BYE || k == OK_BYE) ? c->br_bye : c->br_inv);
	snprintf(via_b, sizeof(via_b), "SIP/2.0/%s %s:5060;branch=z9hG4bK%s",
		 tp, c->b.ips, c->br_bye);

	switch (k) {
	case INVITE:
		*from_a = true;
		blen = sdp(body, sizeof(body), &c->a, c->sess_a, c->a_rtp, true,
			   srtp_mode ? c->a_b64 : NULL);
		n = snprintf(msg, sizeof(msg),
			"INVITE sip:%s@%s:5060;transport=%s SIP/2.0\r\n"
			"Via: %s\r\n"
			"Max-Forwards: 70\r\n"
			"From: %s\r\n"
			"To: %s\r\n"
			"Call-ID: %s\r\n"
			"CSeq: %u INVITE\r\n"
			"Contact: %s\r\n"
			"Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, NOTIFY, REFER\r\n"
			"Supported: replaces, timer\r\n"
			"Session-Expires: 1800\r\n"
			"User-Agent: benchphone/2.1\r\n"
			"Content-Type: application/sdp\r\n"
			"Content-Length: %zu\r\n\r\n%s",
			c->bnum, c->b.ips, tpl, via_a, from_hdr, to_hdr,
			c->callid, c->cseq, a_contact, blen, body);
		break;
	case TRYING:
		*from_a = false;
		n = snprintf(msg, sizeof(msg),
			"SIP/2.0 100 Trying\r\n"
			"Via: %s;received=%s;rport=%u\r\n"
			"From: %s\r\n"
			"To: %s\r\n"
			"Call-ID: %s\r\n"
			"CSeq: %u INVITE\r\n"
			"Content-Length: 0\r\n\r\n",
			via_a, c->a.ips, c->a_sip, from_hdr, to_hdr,
			c->callid, c->cseq);
		break;
	case RINGING_180:
	case OK_INVITE:
		*from_a = false;
		if (k == OK_INVITE)
			blen = sdp(body, sizeof(body), &c->b, c->sess_b,
				   c->b_rtp, false, srtp_mode ? c->b_b64 : NULL);
		n = snprintf(msg, sizeof(msg),
			"SIP/2.0 %s\r\n"
			"Via: %s;received=%s;rport=%u\r\n"
			"From: %s\r\n"
			"To: %s;tag=%s\r\n"
			"Call-ID: %s\r\n"
			"CSeq: %u INVITE\r\n"
			"Contact: %s\r\n"
			"Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE\r\n"
			"Server: benchpbx/5.4\r\n"
			"%s"
			"Content-Length: %zu\r\n\r\n%s",
			k == OK_INVITE ? "200 OK" : "180 Ringing",
			via_a, c->a.ips, c->a_sip, from_hdr, to_hdr, c->ttag,
			c->callid, c->cseq, b_contact,
			blen ? "Content-Type: application/sdp\r\n" : "",
			blen, blen ? body : "");
		break;
	case ACK:
		*from_a = true;
		n = snprintf(msg, sizeof(msg),
			"ACK sip:%s@%s:5060;transport=%s SIP/2.0\r\n"
			"Via: %s\r\n"
			"Max-Forwards: 70\r\n"
			"From: %s\r\n"
			"To: %s;tag=%s\r\n"
			"Call-ID: %s\r\n"
			"CSeq: %u ACK\r\n"
			"User-Agent: benchphone/2.1\r\n"
			"Content-Length: 0\r\n\r\n",
			c->bnum, c->b.ips, tpl, via_a, from_hdr, to_hdr,
			c->ttag, c->callid, c->cseq);
		break;
	case BYE:
	case OK_BYE:
		if (!c->bye_from_b) {
			*from_a = k == BYE;
			if (k == BYE)
				n = snprintf(msg, sizeof(msg),
					"BYE sip:%s@%s:5060;transport=%s SIP/2.0\r\n"
					"Via: %s\r\n"
					"Max-Forwards: 70\r\n"
					"From: %s\r\n"
					"To: %s;tag=%s\r\n"
					"Call-ID: %s\r\n"
					"CSeq: %u BYE\r\n"
					"User-Agent: benchphone/2.1\r\n"
					"Content-Length: 0\r\n\r\n",
					c->bnum, c->b.ips, tpl, via_a, from_hdr,
					to_hdr, c->ttag, c->callid, c->cseq + 1);
			else
				n = snprintf(msg, sizeof(msg),
					"SIP/2.0 200 OK\r\n"
					"Via: %s;received=%s;rport=%u\r\n"
					"From: %s\r\n"
					"To: %s;tag=%s\r\n"
					"Call-ID: %s\r\n"
					"CSeq: %u BYE\r\n"
					"Server: benchpbx/5.4\r\n"
					"Content-Length: 0\r\n\r\n",
					via_a, c->a.ips, c->a_sip, from_hdr,
					to_hdr, c->ttag, c->callid, c->cseq + 1);
		} else if (k == BYE) {
			/* The callee hangs up: its own CSeq space, From and
			 * To swapped, sent to the caller's Contact. */
			*from_a = false;
			n = snprintf(msg, sizeof(msg),
				"BYE sip:%s@%s:%u;transport=%s SIP/2.0\r\n"
				"Via: %s\r\n"
				"Max-Forwards: 70\r\n"
				"From: %s;tag=%s\r\n"
				"To: %s\r\n"
				"Call-ID: %s\r\n"
				"CSeq: %u BYE\r\n"
				"User-Agent: benchpbx/5.4\r\n"
				"Content-Length: 0\r\n\r\n",
				c->anum, c->a.ips, c->a_sip, tpl, via_b, to_hdr,
				c->ttag, from_hdr, c->callid, c->b_cseq);
		} else {
			*from_a = true;
			n = snprintf(msg, sizeof(msg),
				"SIP/2.0 200 OK\r\n"
				"Via: %s\r\n"
				"From: %s;tag=%s\r\n"
				"To: %s\r\n"
				"Call-ID: %s\r\n"
				"CSeq: %u BYE\r\n"
				"User-Agent: benchphone/2.1\r\n"
				"Content-Length: 0\r\n\r\n",
				via_b, to_hdr, c->ttag, from_hdr, c->callid,
				c->b_cseq);
		}
		break;
	}
	if (n < 0 || (size_t)n >= sizeof(msg)) {
		fprintf(stderr, "gen_bench: message too long\n");
		exit(1);
	}
	return (size_t)n;
}

/* Sends one SIP message of the dialog at time ts (and, over TCP, the
 * peer's acknowledgement right after it). */
static void sip_send(struct call *c, enum kind k, uint64_t ts)
{
	bool from_a;
	size_t n = build(c, k, &from_a);
	struct host *s = from_a ? &c->a : &c->b, *d = from_a ? &c->b : &c->a;
	uint16_t sp = from_a ? c->a_sip : 5060, dp = from_a ? 5060 : c->a_sip;

	if (!c->tcp) {
		udp_packet(ts, s, sp, d, dp, (const uint8_t *)msg, n, NULL, 0);
		n_sip_udp++;
		return;
	}
	{
		uint32_t *sseq = from_a ? &c->a_tseq : &c->b_tseq;
		uint32_t *dseq = from_a ? &c->b_tseq : &c->a_tseq;

		tcp_packet(ts, s, sp, d, dp, *sseq, *dseq, TH_PSH | TH_ACK,
			   (const uint8_t *)msg, n);
		*sseq += (uint32_t)n;
		tcp_packet(ts + 1, d, dp, s, sp, *dseq, *sseq, TH_ACK, NULL, 0);
		n_sip_tcp++;
	}
}

static void tcp_open(struct call *c, uint64_t ts)
{
	tcp_packet(ts, &c->a, c->a_sip, &c->b, 5060, c->a_tseq++, 0, TH_SYN,
		   NULL, 0);
	tcp_packet(ts + 1, &c->b, 5060, &c->a, c->a_sip, c->b_tseq++,
		   c->a_tseq, TH_SYN | TH_ACK, NULL, 0);
	tcp_packet(ts + 2, &c->a, c->a_sip, &c->b, 5060, c->a_tseq,
		   c->b_tseq, TH_ACK, NULL, 0);
}

static void tcp_close(struct call *c, uint64_t ts)
{
	tcp_packet(ts, &c->a, c->a_sip, &c->b, 5060, c->a_tseq++, c->b_tseq,
		   TH_FIN | TH_ACK, NULL, 0);
	tcp_packet(ts + 1, &c->b, 5060, &c->a, c->a_sip, c->b_tseq++,
		   c->a_tseq, TH_FIN | TH_ACK, NULL, 0);
	tcp_packet(ts + 2, &c->a, c->a_sip, &c->b, 5060, c->a_tseq,
		   c->b_tseq, TH_ACK, NULL, 0);
}

static void rtp_send(struct call *c, bool from_a, uint64_t ts, uint64_t tick)
{
	uint8_t h[12];
	struct host *s = from_a ? &c->a : &c->b, *d = from_a ? &c->b : &c->a;
	uint16_t *seq = from_a ? &c->a_seq : &c->b_seq;
	uint32_t *rts = from_a ? &c->a_rts : &c->b_rts;
	bool *mark = from_a ? &c->a_mark : &c->b_mark;
	size_t off = (size_t)((tick * 7 + (from_a ? 0 : 3001)) % (sizeof(noise) - RTP_PAYLOAD));

	h[0] = 0x80;
	h[1] = (uint8_t)((*mark ? 0x80 : 0) | 0); /* PT 0 = PCMU */
	*mark = false;
	put16be(h + 2, (*seq)++);
	put32be(h + 4, *rts);
	*rts += RTP_PAYLOAD;
	put32be(h + 8, from_a ? c->a_ssrc : c->b_ssrc);
	if (srtp_mode) {
		uint8_t pkt[sizeof(h) + RTP_PAYLOAD + SRTP_TAG_LEN + 16];
		int len = (int)(sizeof(h) + RTP_PAYLOAD);

		memcpy(pkt, h, sizeof(h));
		memcpy(pkt + sizeof(h), noise + off, RTP_PAYLOAD);
		srtp_check(srtp_protect(from_a ? c->a_srtp : c->b_srtp, pkt, &len),
			   "srtp_protect");
		udp_packet(ts, s, from_a ? c->a_rtp : c->b_rtp, d,
			   from_a ? c->b_rtp : c->a_rtp, pkt, (size_t)len, NULL, 0);
		n_rtp++;
		return;
	}
	udp_packet(ts, s, from_a ? c->a_rtp : c->b_rtp, d,
		   from_a ? c->b_rtp : c->a_rtp, h, sizeof(h), noise + off,
		   RTP_PAYLOAD);
	n_rtp++;
}

/* Everything slot c does in this tick, at times from base on, spaced step
 * microseconds apart (SUBSLOTS of them fit in the slot's window). */
static void call_tick(struct call *c, uint64_t tick, uint64_t base,
		      uint64_t step, bool stopping)
{
	uint64_t t = base;

	if (c->ph == IDLE) {
		if (stopping)
			return;
		if (c->wait) {
			c->wait--;
			return;
		}
		call_new(c, tick);
	}
	if (c->ph == DONE)
		return;
	if (stopping && c->ph == TALKING && c->hangup > tick)
		c->hangup = tick; /* end of the capture: everyone hangs up */
	if (tick == c->start) {
		if (c->tcp) {
			tcp_open(c, t);
			t += 3 * step;
		}
		sip_send(c, INVITE, t);
		sip_send(c, TRYING, t + step * 2);
		return;
	}
	if (tick == c->ring) {
		sip_send(c, RINGING_180, t);
		return;
	}
	if (tick < c->answer)
		return;
	if (tick == c->answer) {
		sip_send(c, OK_INVITE, t);
		sip_send(c, ACK, t + step * 2);
		c->ph = TALKING;
		return;
	}
	if (tick < c->hangup) {
		/* Both directions, a few microseconds apart. */
		rtp_send(c, true, t, tick);
		rtp_send(c, false, t + step * (SUBSLOTS / 2), tick);
		return;
	}
	if (tick == c->hangup) {
		sip_send(c, BYE, t);
		sip_send(c, OK_BYE, t + step * 4);
		srtp_end(c);
		if (!c->tcp) {
			c->ph = stopping ? DONE : IDLE;
			c->wait = (uint32_t)rnd_range(0, 25);
		}
		return;
	}
	/* TCP: the caller closes the connection a tick after the BYE. */
	tcp_close(c, t);
	c->ph = stopping ? DONE : IDLE;
	c->wait = (uint32_t)rnd_range(0, 25);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: gen_bench -n PACKETS [-c CONCURRENT] [-s SEED] [-t TCP_EVERY]\n"
		"                 [--talk MIN:MAX] [--srtp] -o FILE.pcap\n");
	exit(2);
}

int main(int argc, char **argv)
{
	uint64_t target = 0, seed = 1;
	uint32_t conc = 200;
	const char *path = NULL;
	struct call *calls;
	uint64_t window, step, tick;
	bool stopping = false;
	uint8_t gh[24];

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v;

		if (!strcmp(a, "--srtp")) {
			srtp_mode = true;
			continue;
		}
		v = i + 1 < argc ? argv[++i] : NULL;
		if (!v)
			usage();
		if (!strcmp(a, "-n"))
			target = strtoull(v, NULL, 10);
		else if (!strcmp(a, "-c"))
			conc = (uint32_t)strtoul(v, NULL, 10);
		else if (!strcmp(a, "-s"))
			seed = strtoull(v, NULL, 10);
		else if (!strcmp(a, "-t"))
			tcp_every = (uint32_t)strtoul(v, NULL, 10);
		else if (!strcmp(a, "--talk")) {
			unsigned lo, hi;

			if (sscanf(v, "%u:%u", &lo, &hi) != 2 || !lo || hi < lo)
				usage();
			talk_min = lo * 50;
			talk_max = hi * 50;
		} else if (!strcmp(a, "-o"))
			path = v;
		else
			usage();
	}
	if (!target || !conc || !path)
		usage();
	rng_state = seed * 0x9e3779b97f4a7c15ull + 0x2545f4914f6cdd1dull;
	if (!rng_state)
		rng_state = 1;
	key_seed = seed * 0xa0761d6478bd642full + 0xe7037ed1a0b428dbull;
	if (srtp_mode)
		srtp_check(srtp_init(), "srtp_init");
	for (size_t i = 0; i < sizeof(noise); i++) {
		/* mu-law of low-level noise around silence (0xff/0x7f). */
		uint8_t r = (uint8_t)(rnd() & 0x0f);

		noise[i] = (uint8_t)((rnd() & 1 ? 0xf0 : 0x70) | r);
	}

	out = fopen(path, "wb");
	obuf = malloc(OBUF_SIZE);
	calls = calloc(conc, sizeof(*calls));
	if (!out || !obuf || !calls) {
		fprintf(stderr, "gen_bench: %s: %s\n", path, strerror(errno));
		return 1;
	}
	put32le(gh, 0xa1b2c3d4);
	gh[4] = 2; gh[5] = 0; gh[6] = 4; gh[7] = 0;     /* version 2.4 */
	put32le(gh + 8, 0);
	put32le(gh + 12, 0);
	put32le(gh + 16, 65535);                        /* snaplen */
	put32le(gh + 20, 1);                            /* Ethernet */
	memcpy(obuf, gh, 24);
	olen = 24;

	/* Slots start staggered over the first 5 s, then run back to back. */
	for (uint32_t i = 0; i < conc; i++) {
		calls[i].ph = IDLE;
		calls[i].wait = (uint32_t)rnd_range(0, 250);
	}
	window = TICK_US / conc;
	step = window / SUBSLOTS;
	for (tick = 0;; tick++) {
		uint64_t tbase = tick * TICK_US;
		bool busy = false;

		if (!stopping && n_packets >= target)
			stopping = true;
		for (uint32_t i = 0; i < conc; i++) {
			call_tick(&calls[i], tick, tbase + (uint64_t)i * TICK_US / conc,
				  step, stopping);
			if (calls[i].ph == RINGING || calls[i].ph == TALKING ||
			    (calls[i].ph == IDLE && !stopping))
				busy = true;
		}
		if (stopping && !busy)
			break;
	}
	oflush();
	if (fclose(out) != 0) {
		perror("gen_bench: close");
		return 1;
	}
	fprintf(stderr,
		"gen_bench: %s: %" PRIu64 " packets (%" PRIu64 " RTP, %" PRIu64
		" SIP/UDP, %" PRIu64 " SIP/TCP messages in %" PRIu64
		" TCP segments), %" PRIu64 " calls (%" PRIu64 " over TCP), "
		"%u concurrent, %.1f s of traffic, %.1f MiB%s\n",
		path, n_packets, n_rtp, n_sip_udp, n_sip_tcp, n_tcp_pkts,
		calls_started, calls_tcp, conc, (double)tick * TICK_US / 1e6,
		(double)(n_bytes + 16 * n_packets + 24) / 1048576.0,
		srtp_mode ? "; every RTP packet SRTP (AES_CM_128_HMAC_SHA1_80, SDES)" : "");
	if (srtp_mode)
		srtp_check(srtp_shutdown(), "srtp_shutdown");
	free(calls);
	free(obuf);
	return 0;
}
