/*
 * gen_srtp: writes SDES-SRTP test captures that a real SIP stack does not produce on demand.
 *
 *   srtp-late-join.pcap      no SIP: the capture starts mid-call; the caller's sender has
 *                            wrapped its sequence number (ROC 1), the callee's has not (ROC 0)
 *   srtp-rekey.pcap          re-INVITE (CSeq 2) with new a=crypto keys (tag 2) in offer and
 *                            answer; media after its ACK uses the new keys and new SSRCs
 *   srtp-mki.pcap            a=crypto with an MKI (inline:KEY|2^31|1:4 and ...|2:4), media
 *                            protected with srtp_protect_mki (4-byte MKI in every packet)
 *   srtp-rtcp-mux.pcap       a=rtcp-mux; SRTCP (SR + SDES CNAME) on the RTP ports
 *   srtp-suite-aes-256.pcap  AES_256_CM_HMAC_SHA1_80 (baresip 1.0.0 does not offer it)
 *
 * Every call: caller 192.0.2.10 (alice), callee 192.0.2.20 (bob), SIP over UDP 5060 direct,
 * INVITE / 100 / 180 / 200 (SDP) / ACK, media, BYE / 200; RTP 40000 (caller) and 50000 (callee),
 * PCMU (PT 0) 20 ms packets of a 440 Hz (caller) and 350 Hz (callee) tone, encrypted with
 * libsrtp2 using the keys of the SDP (offer key = caller->callee, answer key = callee->caller).
 * Ethernet link type, classic pcap, fixed timestamps, keys and SSRCs: the output is the same
 * on every run. Keys, SSRCs and ROCs are printed on stdout.
 *
 * Build: cc -O2 -std=c11 -Wall -Wextra -o build/gen_srtp tests/tools/gen_srtp.c \
 *            $(pkg-config --cflags --libs libsrtp2)
 * Usage: gen_srtp OUTDIR
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <srtp2/srtp.h>

#define CALLER_IP 0xC000020Au /* 192.0.2.10 */
#define CALLEE_IP 0xC0000214u /* 192.0.2.20 */
#define SIP_PORT 5060
#define CALLER_RTP 40000
#define CALLEE_RTP 50000
#define PTIME_US 20000
#define BASE_US 1700000000000000ull /* 2023-11-14 22:13:20 UTC */

static void die(const char *what)
{
    fprintf(stderr, "gen_srtp: %s\n", what);
    exit(1);
}

static void check(srtp_err_status_t st, const char *what)
{
    if (st != srtp_err_status_ok) {
        fprintf(stderr, "gen_srtp: %s failed: libsrtp error %d\n", what, (int)st);
        exit(1);
    }
}

/* ---------------------------------------------------------------- classic pcap writer */

typedef struct {
    FILE *f;
    const char *name;
    uint16_t ip_id;
    unsigned frames;
} pcapw;

static void put16le(uint8_t *p, uint16_t v) { p[0] = v & 0xff; p[1] = v >> 8; }
static void put32le(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (v >> (8 * i)) & 0xff; }
static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v & 0xff; }
static void put32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (v >> (24 - 8 * i)) & 0xff; }

static void pcap_open(pcapw *w, const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    w->f = fopen(path, "wb");
    if (!w->f) die(path);
    w->name = name;
    w->ip_id = 0x1000;
    w->frames = 0;
    uint8_t h[24];
    put32le(h, 0xa1b2c3d4u);
    put16le(h + 4, 2);
    put16le(h + 6, 4);
    put32le(h + 8, 0);
    put32le(h + 12, 0);
    put32le(h + 16, 65535);
    put32le(h + 20, 1); /* LINKTYPE_ETHERNET */
    fwrite(h, 1, sizeof h, w->f);
}

static void pcap_close(pcapw *w)
{
    if (fclose(w->f) != 0) die("write error");
    printf("%s: %u frames\n", w->name, w->frames);
}

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2) sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1) sum += (uint32_t)(p[n - 1] << 8);
    return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* one Ethernet/IPv4/UDP frame at time us (microseconds since the epoch) */
static void pcap_udp(pcapw *w, uint64_t us, uint32_t src, uint16_t sport, uint32_t dst,
                     uint16_t dport, const uint8_t *data, size_t len)
{
    static uint8_t fr[14 + 20 + 8 + 65536];
    if (len > 65000) die("payload too large");
    uint8_t *eth = fr, *ip = fr + 14, *udp = fr + 34;
    /* locally administered MACs ending in the host's last address byte */
    const uint8_t mac_pre[5] = {0x02, 0x00, 0x5e, 0x00, 0x02};
    memcpy(eth, mac_pre, 5);
    eth[5] = dst & 0xff;
    memcpy(eth + 6, mac_pre, 5);
    eth[11] = src & 0xff;
    put16(eth + 12, 0x0800);
    ip[0] = 0x45;
    ip[1] = 0;
    put16(ip + 2, (uint16_t)(20 + 8 + len));
    put16(ip + 4, w->ip_id++);
    put16(ip + 6, 0x4000); /* DF */
    ip[8] = 64;
    ip[9] = 17;
    put16(ip + 10, 0);
    put32(ip + 12, src);
    put32(ip + 16, dst);
    put16(ip + 10, csum_fold(csum_add(0, ip, 20)));
    put16(udp, sport);
    put16(udp + 2, dport);
    put16(udp + 4, (uint16_t)(8 + len));
    put16(udp + 6, 0);
    memcpy(udp + 8, data, len);
    uint32_t sum = csum_add(0, ip + 12, 8);
    sum += 17 + 8 + (uint32_t)len;
    sum = csum_add(sum, udp, 8 + len);
    uint16_t c = csum_fold(sum);
    put16(udp + 6, c ? c : 0xffff);

    size_t caplen = 14 + 20 + 8 + len;
    uint8_t rh[16];
    put32le(rh, (uint32_t)(us / 1000000));
    put32le(rh + 4, (uint32_t)(us % 1000000));
    put32le(rh + 8, (uint32_t)caplen);
    put32le(rh + 12, (uint32_t)caplen);
    fwrite(rh, 1, sizeof rh, w->f);
    fwrite(fr, 1, caplen, w->f);
    w->frames++;
}

/* ---------------------------------------------------------------- keys and base64 */

static uint64_t prng_state;

static uint64_t prng(void) /* splitmix64: deterministic keys, SSRCs, tags */
{
    uint64_t z = (prng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void b64(const uint8_t *in, size_t n, char *out)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n) v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < n) v |= in[i + 2];
        out[o++] = tab[v >> 18 & 63];
        out[o++] = tab[v >> 12 & 63];
        out[o++] = i + 1 < n ? tab[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? tab[v & 63] : '=';
    }
    out[o] = 0;
}

typedef enum { SUITE_CM128_80, SUITE_CM256_80 } suite_t;

static const char *suite_name(suite_t s)
{
    return s == SUITE_CM256_80 ? "AES_256_CM_HMAC_SHA1_80" : "AES_CM_128_HMAC_SHA1_80";
}

static size_t suite_keylen(suite_t s) { return s == SUITE_CM256_80 ? 46 : 30; }

typedef struct {
    suite_t suite;
    uint8_t key[46];
    char b64[64];
    unsigned tag;     /* a=crypto tag */
    uint32_t mki;     /* MKI value, 0 = no MKI */
    char line[160];   /* the a=crypto attribute value */
} sdes_key;

static void key_make(sdes_key *k, suite_t suite, unsigned tag, uint32_t mki)
{
    memset(k, 0, sizeof *k);
    k->suite = suite;
    k->tag = tag;
    k->mki = mki;
    for (size_t i = 0; i < suite_keylen(suite); i++) k->key[i] = (uint8_t)(prng() >> 24);
    b64(k->key, suite_keylen(suite), k->b64);
    if (mki)
        snprintf(k->line, sizeof k->line, "%u %s inline:%s|2^31|%u:4", tag, suite_name(suite),
                 k->b64, (unsigned)mki);
    else
        snprintf(k->line, sizeof k->line, "%u %s inline:%s", tag, suite_name(suite), k->b64);
}

/* ---------------------------------------------------------------- RTP/SRTP sender */

static uint8_t ulaw(int pcm)
{
    int sign = 0;
    if (pcm < 0) {
        sign = 0x80;
        pcm = -pcm;
    }
    if (pcm > 32635) pcm = 32635;
    pcm += 0x84;
    int exp = 7;
    for (int mask = 0x4000; (pcm & mask) == 0 && exp > 0; mask >>= 1) exp--;
    int mant = (pcm >> (exp + 3)) & 0x0f;
    return (uint8_t)~(sign | (exp << 4) | mant);
}

typedef struct {
    srtp_t ctx;
    srtp_master_key_t mk;
    srtp_master_key_t *mkp[1];
    uint8_t mki_id[4];
    int use_mki;
    uint32_t ssrc;
    uint16_t seq;
    uint32_t ts;
    uint32_t pkts, octets;
    double rc, rs, c, s; /* tone: rotation (cos w, sin w) and current phasor */
    uint32_t src, dst;
    uint16_t sport, dport;
    const char *cname;
    int first;
} sender;

static void sender_init(sender *x, const sdes_key *k, uint32_t ssrc, uint16_t seq, uint32_t ts,
                        int hz, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
                        const char *cname)
{
    memset(x, 0, sizeof *x);
    srtp_policy_t p;
    memset(&p, 0, sizeof p);
    if (k->suite == SUITE_CM256_80) {
        srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&p.rtp);
        srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&p.rtcp);
    } else {
        srtp_crypto_policy_set_rtp_default(&p.rtp);
        srtp_crypto_policy_set_rtcp_default(&p.rtcp);
    }
    p.ssrc.type = ssrc_specific;
    p.ssrc.value = ssrc;
    p.window_size = 128;
    if (k->mki) {
        put32(x->mki_id, k->mki);
        x->mk.key = (unsigned char *)k->key;
        x->mk.mki_id = x->mki_id;
        x->mk.mki_size = 4;
        x->mkp[0] = &x->mk;
        p.keys = x->mkp;
        p.num_master_keys = 1;
        x->use_mki = 1;
    } else {
        p.key = (unsigned char *)k->key;
    }
    check(srtp_create(&x->ctx, &p), "srtp_create");
    x->ssrc = ssrc;
    x->seq = seq;
    x->ts = ts;
    if (hz == 440) {
        x->rc = 0.9408807689542255;
        x->rs = 0.3387379202452914;
    } else { /* 350 Hz */
        x->rc = 0.9624552364536473;
        x->rs = 0.27144044986507426;
    }
    x->c = 1.0;
    x->s = 0.0;
    x->src = src;
    x->dst = dst;
    x->sport = sport;
    x->dport = dport;
    x->cname = cname;
    x->first = 1;
}

static void sender_free(sender *x) { check(srtp_dealloc(x->ctx), "srtp_dealloc"); }

/* next 20 ms RTP packet, protected; returns its length */
static int sender_next(sender *x, uint8_t *buf)
{
    buf[0] = 0x80;
    buf[1] = x->first ? 0x80 : 0x00; /* marker on the first packet, PT 0 */
    put16(buf + 2, x->seq);
    put32(buf + 4, x->ts);
    put32(buf + 8, x->ssrc);
    for (int i = 0; i < 160; i++) {
        buf[12 + i] = ulaw((int)(x->s * 16000.0));
        double c = x->c * x->rc - x->s * x->rs;
        double s = x->s * x->rc + x->c * x->rs;
        x->c = c;
        x->s = s;
    }
    x->first = 0;
    x->pkts++;
    x->octets += 160;
    x->seq++;
    x->ts += 160;
    int len = 12 + 160;
    if (x->use_mki)
        check(srtp_protect_mki(x->ctx, buf, &len, 1, 0), "srtp_protect_mki");
    else
        check(srtp_protect(x->ctx, buf, &len), "srtp_protect");
    return len;
}

/* send the next RTP packet at time us */
static void sender_send(pcapw *w, sender *x, uint64_t us)
{
    uint8_t buf[512];
    int len = sender_next(x, buf);
    pcap_udp(w, us, x->src, x->sport, x->dst, x->dport, buf, (size_t)len);
}

/* SRTCP compound: SR (no report blocks) + SDES CNAME, to the RTP port (rtcp-mux) */
static void sender_rtcp(pcapw *w, sender *x, uint64_t us)
{
    uint8_t buf[256];
    uint64_t ntp_s = us / 1000000 + 2208988800ull;
    uint64_t frac = ((us % 1000000) << 32) / 1000000;
    buf[0] = 0x80;
    buf[1] = 200;
    put16(buf + 2, 6);
    put32(buf + 4, x->ssrc);
    put32(buf + 8, (uint32_t)ntp_s);
    put32(buf + 12, (uint32_t)frac);
    put32(buf + 16, x->ts);
    put32(buf + 20, x->pkts);
    put32(buf + 24, x->octets);
    size_t n = 28;
    size_t cl = strlen(x->cname);
    size_t chunk = 4 + 2 + cl + 1; /* SSRC, CNAME item, END */
    chunk = (chunk + 3) & ~(size_t)3;
    memset(buf + n, 0, 4 + chunk);
    buf[n] = 0x81;
    buf[n + 1] = 202;
    put16(buf + n + 2, (uint16_t)(chunk / 4));
    put32(buf + n + 4, x->ssrc);
    buf[n + 8] = 1; /* CNAME */
    buf[n + 9] = (uint8_t)cl;
    memcpy(buf + n + 10, x->cname, cl);
    n += 4 + chunk;
    int len = (int)n;
    if (x->use_mki)
        check(srtp_protect_rtcp_mki(x->ctx, buf, &len, 1, 0), "srtp_protect_rtcp_mki");
    else
        check(srtp_protect_rtcp(x->ctx, buf, &len), "srtp_protect_rtcp");
    pcap_udp(w, us, x->src, x->sport, x->dst, x->dport, buf, (size_t)len);
}

/* ---------------------------------------------------------------- SIP */

typedef struct {
    pcapw *w;
    char call_id[64];
    char ftag[32];
    char ttag[32];
    unsigned branch;
    char via[160];     /* Via of the current client transaction */
    unsigned sdp_ver_a, sdp_ver_b;
} dialog;

static void sip_send(dialog *d, uint64_t us, int from_caller, const char *msg)
{
    if (from_caller)
        pcap_udp(d->w, us, CALLER_IP, SIP_PORT, CALLEE_IP, SIP_PORT, (const uint8_t *)msg, strlen(msg));
    else
        pcap_udp(d->w, us, CALLEE_IP, SIP_PORT, CALLER_IP, SIP_PORT, (const uint8_t *)msg, strlen(msg));
}

/* SDP of one side; keys: a=crypto values; rtcp_mux: add a=rtcp-mux */
static void sdp_make(char *out, size_t cap, int caller, unsigned version, const sdes_key *k,
                     int rtcp_mux)
{
    const char *ip = caller ? "192.0.2.10" : "192.0.2.20";
    snprintf(out, cap,
             "v=0\r\n"
             "o=%s %u %u IN IP4 %s\r\n"
             "s=sipsift gen_srtp\r\n"
             "c=IN IP4 %s\r\n"
             "t=0 0\r\n"
             "m=audio %u RTP/SAVP 0\r\n"
             "a=rtpmap:0 PCMU/8000\r\n"
             "a=ptime:20\r\n"
             "%s"
             "a=crypto:%s\r\n"
             "a=sendrecv\r\n",
             caller ? "alice" : "bob", caller ? 4711u : 4712u, version, ip, ip,
             caller ? CALLER_RTP : CALLEE_RTP, rtcp_mux ? "a=rtcp-mux\r\n" : "", k->line);
}

/* request from the caller; in_dialog adds the To tag; body may be NULL */
static void sip_request(dialog *d, uint64_t us, const char *method, unsigned cseq,
                        const char *cseq_method, int in_dialog, const char *body)
{
    char msg[4096];
    snprintf(d->via, sizeof d->via, "SIP/2.0/UDP 192.0.2.10:5060;rport;branch=z9hG4bK%s-%u",
             d->ftag, d->branch++);
    int n = snprintf(msg, sizeof msg,
                     "%s sip:bob@192.0.2.20:5060 SIP/2.0\r\n"
                     "Via: %s\r\n"
                     "Max-Forwards: 70\r\n"
                     "From: <sip:alice@192.0.2.10>;tag=%s\r\n"
                     "To: <sip:bob@192.0.2.20>%s%s\r\n"
                     "Call-ID: %s\r\n"
                     "CSeq: %u %s\r\n"
                     "Contact: <sip:alice@192.0.2.10:5060>\r\n"
                     "User-Agent: sipsift-gen_srtp\r\n",
                     method, d->via, d->ftag, in_dialog ? ";tag=" : "", in_dialog ? d->ttag : "",
                     d->call_id, cseq, cseq_method);
    if (body)
        snprintf(msg + n, sizeof msg - (size_t)n,
                 "Content-Type: application/sdp\r\nContent-Length: %zu\r\n\r\n%s", strlen(body), body);
    else
        snprintf(msg + n, sizeof msg - (size_t)n, "Content-Length: 0\r\n\r\n");
    sip_send(d, us, 1, msg);
}

/* response from the callee to the current client transaction */
static void sip_response(dialog *d, uint64_t us, int code, const char *reason, unsigned cseq,
                         const char *method, int with_tag, const char *body)
{
    char msg[4096];
    int n = snprintf(msg, sizeof msg,
                     "SIP/2.0 %d %s\r\n"
                     "Via: %s;received=192.0.2.10;rport=5060\r\n"
                     "From: <sip:alice@192.0.2.10>;tag=%s\r\n"
                     "To: <sip:bob@192.0.2.20>%s%s\r\n"
                     "Call-ID: %s\r\n"
                     "CSeq: %u %s\r\n"
                     "%s"
                     "Server: sipsift-gen_srtp\r\n",
                     code, reason, d->via, d->ftag, with_tag ? ";tag=" : "", with_tag ? d->ttag : "",
                     d->call_id, cseq, method,
                     code > 100 && code < 300 && strcmp(method, "BYE") != 0
                         ? "Contact: <sip:bob@192.0.2.20:5060>\r\n" : "");
    if (body)
        snprintf(msg + n, sizeof msg - (size_t)n,
                 "Content-Type: application/sdp\r\nContent-Length: %zu\r\n\r\n%s", strlen(body), body);
    else
        snprintf(msg + n, sizeof msg - (size_t)n, "Content-Length: 0\r\n\r\n");
    sip_send(d, us, 0, msg);
}

static void dialog_init(dialog *d, pcapw *w, const char *name)
{
    memset(d, 0, sizeof *d);
    d->w = w;
    snprintf(d->call_id, sizeof d->call_id, "%.*s-%08x@192.0.2.10", (int)strcspn(name, "."), name,
             (unsigned)(prng() >> 32));
    snprintf(d->ftag, sizeof d->ftag, "a%08x", (unsigned)(prng() >> 32));
    snprintf(d->ttag, sizeof d->ttag, "b%08x", (unsigned)(prng() >> 32));
    d->sdp_ver_a = d->sdp_ver_b = 1;
}

/* INVITE (offer) / 100 / 180 / 200 (answer) / ACK from *t; advances *t */
static void call_setup(dialog *d, uint64_t *t, const sdes_key *ka, const sdes_key *kb, int rtcp_mux)
{
    char sdp[1024];
    sdp_make(sdp, sizeof sdp, 1, d->sdp_ver_a++, ka, rtcp_mux);
    sip_request(d, *t, "INVITE", 1, "INVITE", 0, sdp);
    sip_response(d, *t + 1500, 100, "Trying", 1, "INVITE", 0, NULL);
    sip_response(d, *t + 12000, 180, "Ringing", 1, "INVITE", 1, NULL);
    sdp_make(sdp, sizeof sdp, 0, d->sdp_ver_b++, kb, rtcp_mux);
    sip_response(d, *t + 400000, 200, "OK", 1, "INVITE", 1, sdp);
    sip_request(d, *t + 402000, "ACK", 1, "ACK", 1, NULL);
    *t += 410000;
}

static void call_teardown(dialog *d, uint64_t *t, unsigned cseq)
{
    sip_request(d, *t, "BYE", cseq, "BYE", 1, NULL);
    sip_response(d, *t + 1800, 200, "OK", cseq, "BYE", 1, NULL);
    *t += 2000;
}

/* n 20 ms slots of media both ways from *t: caller at +0, callee at +7 ms; advances *t.
   rtcp_every > 0: each side sends an SRTCP SR in slots where slot % rtcp_every == rtcp_every - 1 */
static void media(pcapw *w, uint64_t *t, sender *a, sender *b, int n, int rtcp_every)
{
    for (int i = 0; i < n; i++) {
        uint64_t s = *t + (uint64_t)i * PTIME_US;
        if (a) sender_send(w, a, s);
        if (b) sender_send(w, b, s + 7000);
        if (rtcp_every > 0 && i % rtcp_every == rtcp_every - 1) {
            if (a) sender_rtcp(w, a, s + 3000);
            if (b) sender_rtcp(w, b, s + 11000);
        }
    }
    *t += (uint64_t)n * PTIME_US;
}

static void print_key(const char *file, const char *who, const char *addr, const sdes_key *k,
                      uint32_t ssrc)
{
    printf("%s: %s %s ssrc 0x%08x a=crypto:%s\n", file, who, addr, (unsigned)ssrc, k->line);
}

/* ---------------------------------------------------------------- the captures */

/* a plain call: setup, 2.5 s media, teardown */
static void gen_basic(const char *dir, const char *file, suite_t suite, uint32_t mki_a,
                      uint32_t mki_b, int rtcp_mux, uint64_t seed)
{
    pcapw w;
    dialog d;
    sdes_key ka, kb;
    sender a, b;
    prng_state = seed;
    pcap_open(&w, dir, file);
    dialog_init(&d, &w, file);
    key_make(&ka, suite, 1, mki_a);
    key_make(&kb, suite, 1, mki_b);
    uint32_t ssrc_a = (uint32_t)(prng() >> 32), ssrc_b = (uint32_t)(prng() >> 32);
    uint16_t seq_a = (uint16_t)(prng() >> 52), seq_b = (uint16_t)(prng() >> 52);
    uint64_t t = BASE_US + seed % 1000 * 1000000ull;
    call_setup(&d, &t, &ka, &kb, rtcp_mux);
    sender_init(&a, &ka, ssrc_a, seq_a, 1000, 440, CALLER_IP, CALLER_RTP, CALLEE_IP, CALLEE_RTP, "alice@192.0.2.10");
    sender_init(&b, &kb, ssrc_b, seq_b, 2000, 350, CALLEE_IP, CALLEE_RTP, CALLER_IP, CALLER_RTP, "bob@192.0.2.20");
    /* rtcp-mux: an SR from each side every second (slots 49, 99) and one at the end */
    media(&w, &t, &a, &b, 125, rtcp_mux ? 50 : 0);
    if (rtcp_mux) {
        sender_rtcp(&w, &a, t);
        sender_rtcp(&w, &b, t + 1000);
    }
    t += 5000;
    print_key(file, "caller", "192.0.2.10:40000", &ka, ssrc_a);
    print_key(file, "callee", "192.0.2.20:50000", &kb, ssrc_b);
    call_teardown(&d, &t, 2);
    sender_free(&a);
    sender_free(&b);
    pcap_close(&w);
}

static void gen_rekey(const char *dir)
{
    const char *file = "srtp-rekey.pcap";
    pcapw w;
    dialog d;
    sdes_key ka1, kb1, ka2, kb2;
    sender a, b;
    char sdp[1024];
    prng_state = 20;
    pcap_open(&w, dir, file);
    dialog_init(&d, &w, file);
    key_make(&ka1, SUITE_CM128_80, 1, 0);
    key_make(&kb1, SUITE_CM128_80, 1, 0);
    key_make(&ka2, SUITE_CM128_80, 2, 0);
    key_make(&kb2, SUITE_CM128_80, 2, 0);
    uint32_t ssrc_a1 = (uint32_t)(prng() >> 32), ssrc_b1 = (uint32_t)(prng() >> 32);
    uint32_t ssrc_a2 = (uint32_t)(prng() >> 32), ssrc_b2 = (uint32_t)(prng() >> 32);
    uint64_t t = BASE_US + 20 * 1000000ull;
    call_setup(&d, &t, &ka1, &kb1, 0);
    sender_init(&a, &ka1, ssrc_a1, 1000, 8000, 440, CALLER_IP, CALLER_RTP, CALLEE_IP, CALLEE_RTP, "alice@192.0.2.10");
    sender_init(&b, &kb1, ssrc_b1, 2000, 16000, 350, CALLEE_IP, CALLEE_RTP, CALLER_IP, CALLER_RTP, "bob@192.0.2.20");
    media(&w, &t, &a, &b, 60, 0);
    uint32_t ts_a = a.ts, ts_b = b.ts;
    sender_free(&a);
    sender_free(&b);
    /* re-INVITE, CSeq 2: new keys (tag 2) in offer and answer, same ports; no media in between */
    sdp_make(sdp, sizeof sdp, 1, d.sdp_ver_a++, &ka2, 0);
    sip_request(&d, t + 2000, "INVITE", 2, "INVITE", 1, sdp);
    sdp_make(sdp, sizeof sdp, 0, d.sdp_ver_b++, &kb2, 0);
    sip_response(&d, t + 9000, 200, "OK", 2, "INVITE", 1, sdp);
    sip_request(&d, t + 12000, "ACK", 2, "ACK", 1, NULL);
    t += 20000;
    /* new crypto contexts and new SSRCs (sequence numbers start again, timestamps go on) */
    sender_init(&a, &ka2, ssrc_a2, 30000, ts_a + 160, 440, CALLER_IP, CALLER_RTP, CALLEE_IP, CALLEE_RTP, "alice@192.0.2.10");
    sender_init(&b, &kb2, ssrc_b2, 40000, ts_b + 160, 350, CALLEE_IP, CALLEE_RTP, CALLER_IP, CALLER_RTP, "bob@192.0.2.20");
    media(&w, &t, &a, &b, 60, 0);
    t += 5000;
    print_key(file, "caller key 1 (INVITE)", "192.0.2.10:40000", &ka1, ssrc_a1);
    print_key(file, "callee key 1 (200)", "192.0.2.20:50000", &kb1, ssrc_b1);
    print_key(file, "caller key 2 (re-INVITE)", "192.0.2.10:40000", &ka2, ssrc_a2);
    print_key(file, "callee key 2 (200)", "192.0.2.20:50000", &kb2, ssrc_b2);
    call_teardown(&d, &t, 3);
    sender_free(&a);
    sender_free(&b);
    pcap_close(&w);
}

static void gen_late_join(const char *dir)
{
    const char *file = "srtp-late-join.pcap";
    pcapw w;
    sdes_key ka, kb;
    sender a, b;
    uint8_t buf[512];
    prng_state = 10;
    pcap_open(&w, dir, file);
    key_make(&ka, SUITE_CM128_80, 1, 0);
    key_make(&kb, SUITE_CM128_80, 1, 0);
    uint32_t ssrc_a = (uint32_t)(prng() >> 32), ssrc_b = (uint32_t)(prng() >> 32);
    sender_init(&a, &ka, ssrc_a, 65000, 123456, 440, CALLER_IP, CALLER_RTP, CALLEE_IP, CALLEE_RTP, "alice@192.0.2.10");
    sender_init(&b, &kb, ssrc_b, 20000, 654321, 350, CALLEE_IP, CALLEE_RTP, CALLER_IP, CALLER_RTP, "bob@192.0.2.20");
    /* the call has been running: the caller protects seq 65000..65535 (not captured) */
    while (a.seq != 0) {
        (void)sender_next(&a, buf);
        (void)sender_next(&b, buf);
    }
    uint32_t roc_a = 0, roc_b = 0;
    check(srtp_get_stream_roc(a.ctx, ssrc_a, &roc_a), "srtp_get_stream_roc");
    check(srtp_get_stream_roc(b.ctx, ssrc_b, &roc_b), "srtp_get_stream_roc");
    if (roc_a != 0 || roc_b != 0) die("unexpected ROC before the wrap");
    uint16_t first_b = b.seq;
    uint64_t t = BASE_US + 10 * 1000000ull;
    media(&w, &t, &a, &b, 150, 0); /* caller seq 0..149 with ROC 1 */
    check(srtp_get_stream_roc(a.ctx, ssrc_a, &roc_a), "srtp_get_stream_roc");
    check(srtp_get_stream_roc(b.ctx, ssrc_b, &roc_b), "srtp_get_stream_roc");
    if (roc_a != 1 || roc_b != 0) die("unexpected ROC after the wrap");
    print_key(file, "caller (ROC 1, seq 0..149)", "192.0.2.10:40000", &ka, ssrc_a);
    printf("%s: callee (ROC 0, seq %u..%u)\n", file, (unsigned)first_b, (unsigned)(uint16_t)(b.seq - 1));
    print_key(file, "callee", "192.0.2.20:50000", &kb, ssrc_b);
    sender_free(&a);
    sender_free(&b);
    pcap_close(&w);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gen_srtp OUTDIR\n");
        return 2;
    }
    check(srtp_init(), "srtp_init");
    gen_late_join(argv[1]);
    gen_rekey(argv[1]);
    gen_basic(argv[1], "srtp-mki.pcap", SUITE_CM128_80, 1, 2, 0, 30);
    gen_basic(argv[1], "srtp-rtcp-mux.pcap", SUITE_CM128_80, 0, 0, 1, 40);
    gen_basic(argv[1], "srtp-suite-aes-256.pcap", SUITE_CM256_80, 0, 0, 0, 50);
    check(srtp_shutdown(), "srtp_shutdown");
    return 0;
}
