/* Unit tests for SDP parsing (src/sdp.c): a baresip offer, session and
 * media c=, IPv6, a=rtcp and rtcp-mux, several media, disabled streams,
 * line ends, garbage, every cap, and the RFC 3551 static payload types. */
#include "testutil.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip/sdes.h"
#include "sip/sdp.h"

#define RFC_KEY "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"

/* What baresip offers for an SRTP call (mediaenc=srtp-mand). */
static const char BARESIP[] =
	"v=0\r\n"
	"o=- 1234 5678 IN IP4 127.0.0.10\r\n"
	"s=-\r\n"
	"c=IN IP4 127.0.0.10\r\n"
	"t=0 0\r\n"
	"m=audio 10000 RTP/SAVP 0 101\r\n"
	"a=rtpmap:0 PCMU/8000\r\n"
	"a=rtpmap:101 telephone-event/8000\r\n"
	"a=fmtp:101 0-15\r\n"
	"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY "\r\n"
	"a=sendrecv\r\n";

static struct sift_sdp *sdp;

static int setup(void **state)
{
	(void)state;
	sdp = calloc(1, sizeof(*sdp));
	return sdp ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	sift_sdp_free(sdp);
	free(sdp);
	return 0;
}

/* Parses n bytes from an exact-size heap copy (no NUL after it), so a
 * read past the end is caught by AddressSanitizer. */
static enum sift_rc parse_n(const char *s, size_t n)
{
	uint8_t *copy = malloc(n ? n : 1);
	enum sift_rc rc;

	assert_non_null(copy);
	memcpy(copy, s, n);
	/* What a previous body left must not show through. */
	if (sdp->media)
		memset(sdp->media, 0xa5, sdp->media_cap * sizeof(*sdp->media));
	sdp->sess_version = 0xa5a5;
	sdp->dropped = 0xa5;
	rc = sift_sdp_parse(copy, n, sdp);
	free(copy);
	return rc;
}

static enum sift_rc parse(const char *s)
{
	return parse_n(s, strlen(s));
}

static void assert_ip4(const struct sift_addr *a, const char *ip, uint16_t port)
{
	uint8_t want[4];

	assert_int_equal(inet_pton(AF_INET, ip, want), 1);
	assert_int_equal(a->family, 4);
	assert_memory_equal(a->ip, want, 4);
	assert_int_equal(a->port, port);
}

static void assert_ip6(const struct sift_addr *a, const char *ip, uint16_t port)
{
	uint8_t want[16];

	assert_int_equal(inet_pton(AF_INET6, ip, want), 1);
	assert_int_equal(a->family, 6);
	assert_memory_equal(a->ip, want, 16);
	assert_int_equal(a->port, port);
}

static void test_baresip_offer(void **state)
{
	const struct sift_sdp_media *m;
	struct sift_sdes sdes;
	char why[128];

	(void)state;
	assert_int_equal(parse(BARESIP), SIFT_OK);
	assert_int_equal(sdp->nmedia, 1);
	assert_int_equal(sdp->dropped, 0);
	assert_int_equal(sdp->sess_version, 5678);
	m = &sdp->media[0];
	assert_string_equal(m->type, "audio");
	assert_string_equal(m->proto, "RTP/SAVP");
	assert_ip4(&m->rtp, "127.0.0.10", 10000);
	assert_ip4(&m->rtcp, "127.0.0.10", 10001);
	assert_false(m->rtcp_mux);
	assert_int_equal(m->port_count, 1);
	assert_int_equal(m->dir, SIFT_SDP_SENDRECV);
	assert_int_equal(m->npts, 2);
	assert_int_equal(m->pts[0], 0);
	assert_int_equal(m->pts[1], 101);
	assert_int_equal(m->nrtpmap, 2);
	assert_int_equal(m->rtpmap[0].pt, 0);
	assert_string_equal(m->rtpmap[0].name, "PCMU");
	assert_int_equal(m->rtpmap[0].rate, 8000);
	assert_int_equal(m->rtpmap[1].pt, 101);
	assert_string_equal(m->rtpmap[1].name, "telephone-event");
	assert_int_equal(m->rtpmap[1].rate, 8000);
	assert_int_equal(m->rtpmap[1].channels, 1);
	assert_int_equal(m->ncrypto, 1);
	assert_string_equal(m->crypto[0],
			    "1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY);
	/* and the value is what sdes.c reads */
	assert_int_equal(sift_sdes_parse(m->crypto[0], strlen(m->crypto[0]),
					 &sdes, why, sizeof(why)), SIFT_OK);
	assert_int_equal(sdes.suite, SIFT_SUITE_AES_CM_128_HMAC_SHA1_80);
	assert_int_equal(sdes.keys[0].keysalt[0], 0x3d);
}

static void test_session_vs_media_c(void **state)
{
	(void)state;
	assert_int_equal(parse("v=0\r\n"
			       "o=- 1 2 IN IP4 192.0.2.99\r\n"
			       "s=-\r\n"
			       "c=IN IP4 192.0.2.1\r\n"
			       "t=0 0\r\n"
			       "m=audio 4000 RTP/AVP 8\r\n"
			       "m=video 5000 RTP/AVP 96\r\n"
			       "c=IN IP4 233.252.0.7/127\r\n"
			       "c=IN IP4 233.252.0.8/127\r\n"
			       "m=audio 6000 RTP/AVP 0\r\n"
			       "c=IN IP4 198.51.100.3\r\n"), SIFT_OK);
	assert_int_equal(sdp->nmedia, 3);
	/* no media c=: the session's */
	assert_ip4(&sdp->media[0].rtp, "192.0.2.1", 4000);
	/* multicast TTL ignored, first c= of a section wins */
	assert_ip4(&sdp->media[1].rtp, "233.252.0.7", 5000);
	assert_ip4(&sdp->media[1].rtcp, "233.252.0.7", 5001);
	assert_ip4(&sdp->media[2].rtp, "198.51.100.3", 6000);
	assert_int_equal(sdp->sess_version, 2);

	/* no c= anywhere: the address stays unknown, the port is kept */
	assert_int_equal(parse("v=0\r\nm=audio 4000 RTP/AVP 0\r\n"), SIFT_OK);
	assert_int_equal(sdp->media[0].rtp.family, 0);
	assert_int_equal(sdp->media[0].rtp.port, 4000);
	assert_int_equal(sdp->sess_version, 0);

	/* a host name is not resolved, and does not fall back to the
	 * session's address */
	assert_int_equal(parse("v=0\r\nc=IN IP4 192.0.2.1\r\n"
			       "m=audio 4000 RTP/AVP 0\r\n"
			       "c=IN IP4 media.example.com\r\n"), SIFT_OK);
	assert_int_equal(sdp->media[0].rtp.family, 0);
	assert_int_equal(sdp->media[0].rtp.port, 4000);
	/* nor is an address of the wrong type, or a non-IN network */
	assert_int_equal(parse("v=0\r\nc=IN IP4 ::1\r\nm=audio 1 RTP/AVP 0\r\n"),
			 SIFT_OK);
	assert_int_equal(sdp->media[0].rtp.family, 0);
	assert_int_equal(parse("v=0\r\nc=ATM NSAP 47.0005\r\n"
			       "m=audio 1 RTP/AVP 0\r\n"), SIFT_OK);
	assert_int_equal(sdp->media[0].rtp.family, 0);
}

static void test_ipv6(void **state)
{
	(void)state;
	assert_int_equal(parse("v=0\r\n"
			       "o=- 1 1 IN IP6 2001:db8::99\r\n"
			       "c=IN IP6 2001:db8::1\r\n"
			       "m=audio 4000 RTP/AVP 0\r\n"
			       "m=audio 4002 RTP/AVP 0\r\n"
			       "c=IN IP6 ff15::101/3\r\n"
			       "m=audio 4004 RTP/AVP 0\r\n"
			       "c=IN IP4 192.0.2.5\r\n"), SIFT_OK);
	assert_int_equal(sdp->nmedia, 3);
	assert_ip6(&sdp->media[0].rtp, "2001:db8::1", 4000);
	assert_ip6(&sdp->media[0].rtcp, "2001:db8::1", 4001);
	/* the multicast number-of-addresses suffix is dropped */
	assert_ip6(&sdp->media[1].rtp, "ff15::101", 4002);
	assert_ip4(&sdp->media[2].rtp, "192.0.2.5", 4004);
}

static void test_rtcp_attribute(void **state)
{
	(void)state;
	assert_int_equal(parse("v=0\r\n"
			       "c=IN IP4 192.0.2.1\r\n"
			       "m=audio 49170 RTP/AVP 0\r\n"
			       "a=rtcp:53020\r\n"
			       "m=audio 49172 RTP/AVP 0\r\n"
			       "a=rtcp:53020 IN IP4 126.16.64.4\r\n"
			       "m=audio 49174 RTP/AVP 0\r\n"
			       "a=rtcp:53022 IN IP6 2001:db8::7\r\n"
			       "m=audio 49176 RTP/AVP 0\r\n"
			       "a=rtcp:70000\r\n"), SIFT_OK);
	assert_int_equal(sdp->nmedia, 4);
	/* port only: the RTP address */
	assert_ip4(&sdp->media[0].rtp, "192.0.2.1", 49170);
	assert_ip4(&sdp->media[0].rtcp, "192.0.2.1", 53020);
	/* with an address (RFC 3605 §2.1) */
	assert_ip4(&sdp->media[1].rtcp, "126.16.64.4", 53020);
	assert_ip4(&sdp->media[1].rtp, "192.0.2.1", 49172);
	assert_ip6(&sdp->media[2].rtcp, "2001:db8::7", 53022);
	/* an impossible port is ignored: port + 1 */
	assert_ip4(&sdp->media[3].rtcp, "192.0.2.1", 49177);

	/* at session level a=rtcp means nothing */
	assert_int_equal(parse("v=0\r\nc=IN IP4 192.0.2.1\r\na=rtcp:9\r\n"
			       "m=audio 4000 RTP/AVP 0\r\n"), SIFT_OK);
	assert_int_equal(sdp->media[0].rtcp.port, 4001);
}

static void test_rtcp_mux(void **state)
{
	(void)state;
	assert_int_equal(parse("v=0\r\n"
			       "c=IN IP4 192.0.2.1\r\n"
			       "m=audio 4000 RTP/SAVPF 111\r\n"
			       "a=rtcp:9 IN IP4 0.0.0.0\r\n"
			       "a=rtcp-mux\r\n"
			       "m=audio 5000 RTP/AVP 0\r\n"
			       "a=rtcp-mux\r\n"), SIFT_OK);
	/* RFC 5761: RTCP on the RTP address and port, over a=rtcp */
	assert_true(sdp->media[0].rtcp_mux);
	assert_ip4(&sdp->media[0].rtcp, "192.0.2.1", 4000);
	assert_true(sdp->media[1].rtcp_mux);
	assert_ip4(&sdp->media[1].rtcp, "192.0.2.1", 5000);
	assert_true(sift_addr_eq(&sdp->media[1].rtp, &sdp->media[1].rtcp));
}

static void test_several_media(void **state)
{
	const struct sift_sdp_media *a, *v;

	(void)state;
	assert_int_equal(parse("v=0\r\n"
			       "o=alice 2890844526 2890844527 IN IP4 host.example\r\n"
			       "s=call\r\n"
			       "c=IN IP4 192.0.2.1\r\n"
			       "t=0 0\r\n"
			       "a=sendonly\r\n"
			       "m=audio 49170 RTP/AVP 0 8 97\r\n"
			       "a=rtpmap:97 opus/48000/2\r\n"
			       "m=video 51372 RTP/AVP 31 96\r\n"
			       "a=rtpmap:96 H264/90000\r\n"
			       "a=inactive\r\n"
			       "m=audio 49180 RTP/AVP 0\r\n"
			       "a=recvonly\r\n"), SIFT_OK);
	assert_int_equal(sdp->nmedia, 3);
	assert_int_equal(sdp->sess_version, 2890844527u);
	a = &sdp->media[0];
	v = &sdp->media[1];
	assert_string_equal(a->type, "audio");
	assert_string_equal(v->type, "video");
	assert_string_equal(v->proto, "RTP/AVP");
	assert_int_equal(a->npts, 3);
	assert_int_equal(a->pts[2], 97);
	assert_int_equal(a->nrtpmap, 1);
	assert_string_equal(a->rtpmap[0].name, "opus");
	assert_int_equal(a->rtpmap[0].rate, 48000);
	assert_int_equal(a->rtpmap[0].channels, 2);
	assert_int_equal(v->npts, 2);
	assert_int_equal(v->pts[0], 31);
	assert_int_equal(v->nrtpmap, 1);
	assert_string_equal(v->rtpmap[0].name, "H264");
	assert_int_equal(v->rtpmap[0].rate, 90000);
	assert_ip4(&v->rtp, "192.0.2.1", 51372);
	/* session direction by default, the media one wins */
	assert_int_equal(a->dir, SIFT_SDP_SENDONLY);
	assert_int_equal(v->dir, SIFT_SDP_INACTIVE);
	assert_int_equal(sdp->media[2].dir, SIFT_SDP_RECVONLY);
}

static void test_disabled_and_port_count(void **state)
{
	(void)state;
	assert_int_equal(parse("v=0\r\n"
			       "c=IN IP4 192.0.2.1\r\n"
			       "m=audio 0 RTP/AVP 0\r\n"
			       "m=audio 4000/2 RTP/AVP 0\r\n"
			       "m=video 65535 RTP/AVP 31\r\n"
			       "m=audio 65536 RTP/AVP 0\r\n"
			       "m=image 5006 udptl t38\r\n"
			       "m=audio 4000/0 RTP/AVP 0\r\n"), SIFT_OK);
	assert_int_equal(sdp->nmedia, 6);
	/* port 0: disabled, and no RTCP port either */
	assert_int_equal(sdp->media[0].rtp.port, 0);
	assert_int_equal(sdp->media[0].rtcp.port, 0);
	assert_int_equal(sdp->media[0].npts, 1);
	assert_int_equal(sdp->media[1].rtp.port, 4000);
	assert_int_equal(sdp->media[1].port_count, 2);
	assert_int_equal(sdp->media[1].rtcp.port, 4001);
	assert_int_equal(sdp->media[2].rtp.port, 65535);
	assert_int_equal(sdp->media[2].rtcp.port, 0);
	/* an unreadable port keeps its slot (offer and answer pair media by
	 * position), as a disabled stream */
	assert_int_equal(sdp->media[3].rtp.port, 0);
	assert_string_equal(sdp->media[3].type, "audio");
	/* non-RTP formats are not payload types */
	assert_string_equal(sdp->media[4].type, "image");
	assert_string_equal(sdp->media[4].proto, "udptl");
	assert_int_equal(sdp->media[4].npts, 0);
	/* a port count of 0 is not one */
	assert_int_equal(sdp->media[5].port_count, 1);
	assert_int_equal(sdp->media[5].rtp.port, 4000);
}

static void test_missing_final_crlf(void **state)
{
	(void)state;
	/* the baresip body cut before its final CRLF */
	assert_int_equal(parse_n(BARESIP, strlen(BARESIP) - 2), SIFT_OK);
	assert_int_equal(sdp->media[0].dir, SIFT_SDP_SENDRECV);
	assert_int_equal(sdp->media[0].ncrypto, 1);
	/* the last line is an a=crypto: its value ends at the body's end */
	assert_int_equal(parse("v=0\r\nm=audio 4000 RTP/SAVP 0\r\n"
			       "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:"
			       RFC_KEY "|2^20|1:4"), SIFT_OK);
	assert_int_equal(sdp->media[0].ncrypto, 1);
	assert_string_equal(sdp->media[0].crypto[0],
			    "1 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY "|2^20|1:4");
	assert_int_equal(parse("v=0\r\nm=audio 4000 RTP/AVP 0\r\na=inactive"),
			 SIFT_OK);
	assert_int_equal(sdp->media[0].dir, SIFT_SDP_INACTIVE);
	/* a body that ends in the middle of an m= line */
	assert_int_equal(parse("v=0\r\nm=audio 40"), SIFT_OK);
	assert_int_equal(sdp->media[0].rtp.port, 40);
	assert_int_equal(sdp->media[0].proto[0], '\0');
}

static void test_lf_only(void **state)
{
	(void)state;
	assert_int_equal(parse("v=0\n"
			       "o=- 1 77 IN IP4 192.0.2.1\n"
			       "c=IN IP4 192.0.2.1\n"
			       "m=audio 4000 RTP/SAVP 0 101\n"
			       "a=rtpmap:101 telephone-event/8000\n"
			       "a=crypto:3 AES_CM_128_HMAC_SHA1_32 inline:" RFC_KEY "\n"
			       "a=sendonly\n"), SIFT_OK);
	assert_int_equal(sdp->sess_version, 77);
	assert_ip4(&sdp->media[0].rtp, "192.0.2.1", 4000);
	assert_int_equal(sdp->media[0].npts, 2);
	assert_int_equal(sdp->media[0].nrtpmap, 1);
	assert_int_equal(sdp->media[0].dir, SIFT_SDP_SENDONLY);
	assert_string_equal(sdp->media[0].crypto[0],
			    "3 AES_CM_128_HMAC_SHA1_32 inline:" RFC_KEY);
	/* mixed line ends, blank lines and trailing blanks */
	assert_int_equal(parse("v=0\r\n\r\nc=IN IP4 192.0.2.1  \n"
			       "m=audio 4000 RTP/AVP 0 \r\n\n"
			       "a=recvonly \t\r\n"), SIFT_OK);
	assert_ip4(&sdp->media[0].rtp, "192.0.2.1", 4000);
	assert_int_equal(sdp->media[0].dir, SIFT_SDP_RECVONLY);
}

static void test_garbage(void **state)
{
	static const uint8_t bin[] = { 0x80, 0x00, 0x12, 0x34, 'v', '=', '0', '\n' };

	(void)state;
	assert_int_equal(parse(""), SIFT_EINVAL);
	assert_int_equal(sift_sdp_parse(NULL, 0, sdp), SIFT_EINVAL);
	assert_int_equal(parse("hello world\r\n"), SIFT_EINVAL);
	assert_int_equal(parse("SIP/2.0 200 OK\r\nv=0\r\nm=audio 1 RTP/AVP 0\r\n"),
			 SIFT_EINVAL);
	assert_int_equal(parse("o=- 1 1 IN IP4 1.2.3.4\r\nm=audio 1 RTP/AVP 0\r\n"),
			 SIFT_EINVAL);
	assert_int_equal(parse_n((const char *)bin, sizeof(bin)), SIFT_EINVAL);
	/* SDP, but no media at all */
	assert_int_equal(parse("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\n"),
			 SIFT_EINVAL);
	assert_int_equal(parse("v=0"), SIFT_EINVAL);
	/* unknown and malformed lines inside SDP are skipped */
	assert_int_equal(parse("v=0\r\n"
			       "x=whatever\r\n"
			       "this is not a line\r\n"
			       "b=AS:64\r\n"
			       "k=clear:secret\r\n"
			       "=\r\n"
			       "a\r\n"
			       "m=audio 4000 RTP/AVP 0\r\n"
			       "a=rtpmap:\r\n"
			       "a=rtpmap:0\r\n"
			       "a=rtpmap:0 PCMU\r\n"
			       "a=rtpmap:0 PCMU/0\r\n"
			       "a=rtpmap:128 X/8000\r\n"
			       "a=rtpmap:96 X/8000/0\r\n"
			       "a=rtpmap:97 /8000\r\n"
			       "a=rtpmap:98 X/99999999999\r\n"
			       "a=rtpmap:99 "
			       "a-name-longer-than-thirty-one-characters/8000\r\n"
			       "a=rtcp:\r\n"
			       "a=crypto:1 bad\001control\r\n"
			       "a=:\r\n"
			       "a=sendrecv:x\r\n"
			       "o=- 1 99 IN IP4 1.2.3.4\r\n"
			       "m=\r\n"), SIFT_OK);
	assert_int_equal(sdp->nmedia, 2);
	assert_int_equal(sdp->media[0].nrtpmap, 0);
	assert_int_equal(sdp->media[0].ncrypto, 0);
	assert_int_equal(sdp->media[0].rtcp.port, 4001);
	assert_int_equal(sdp->sess_version, 99);
	assert_int_equal(sdp->media[1].type[0], '\0');
}

/* Found by fuzz_sdp: a NUL inside a name made an empty-looking entry. */
static void test_nul_in_names(void **state)
{
	static const char body[] = "v=0\r\nm=aud\0io 4000 RTP/\0AVP 96 97\r\n"
				   "a=rtpmap:96 \0\0opus/48000/2\r\n"
				   "a=rtpmap:97 PCMU/8000\r\n";
	struct sift_sdp_rtpmap buf;

	(void)state;
	assert_int_equal(parse_n(body, sizeof(body) - 1), SIFT_OK);
	assert_int_equal(sdp->nmedia, 1);
	assert_string_equal(sdp->media[0].type, "");
	assert_string_equal(sdp->media[0].proto, "");
	assert_int_equal(sdp->media[0].npts, 2);
	assert_int_equal(sdp->media[0].nrtpmap, 1);
	assert_null(sift_sdp_codec(&sdp->media[0], 96, &buf));
	assert_string_equal(sift_sdp_codec(&sdp->media[0], 97, &buf)->name, "PCMU");
}

static void test_payload_type_cap(void **state)
{
	char body[512];
	size_t n;

	(void)state;
	n = (size_t)snprintf(body, sizeof(body), "v=0\r\nm=audio 4000 RTP/AVP");
	for (int pt = 0; pt < 40; pt++)
		n += (size_t)snprintf(body + n, sizeof(body) - n, " %d", 60 + pt);
	n += (size_t)snprintf(body + n, sizeof(body) - n, "\r\n");
	assert_true(n < sizeof(body));
	assert_int_equal(parse(body), SIFT_OK);
	assert_int_equal(sdp->media[0].npts, SIFT_SDP_MAX_PT);
	assert_int_equal(sdp->media[0].pts[0], 60);
	assert_int_equal(sdp->media[0].pts[31], 91);
	assert_int_equal(sdp->dropped, 8);
}

static void test_rtpmap_cap(void **state)
{
	char body[4096];
	size_t n;

	(void)state;
	n = (size_t)snprintf(body, sizeof(body), "v=0\r\nm=audio 4000 RTP/AVP 96\r\n");
	for (int pt = 0; pt < 35; pt++)
		n += (size_t)snprintf(body + n, sizeof(body) - n,
				      "a=rtpmap:%d X%d/8000\r\n", 90 + pt, pt);
	/* a second rtpmap for one payload type is ignored, not counted */
	n += (size_t)snprintf(body + n, sizeof(body) - n, "a=rtpmap:90 Y/16000\r\n");
	assert_true(n < sizeof(body));
	assert_int_equal(parse(body), SIFT_OK);
	assert_int_equal(sdp->media[0].nrtpmap, SIFT_SDP_MAX_PT);
	assert_int_equal(sdp->dropped, 3);
	assert_string_equal(sdp->media[0].rtpmap[0].name, "X0");
}

static void test_crypto_cap(void **state)
{
	char body[8192];
	size_t n;

	(void)state;
	n = (size_t)snprintf(body, sizeof(body), "v=0\r\nm=audio 4000 RTP/SAVP 0\r\n");
	for (int i = 1; i <= 12; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n,
				      "a=crypto:%d AES_CM_128_HMAC_SHA1_80 inline:%s\r\n",
				      i, RFC_KEY);
	assert_true(n < sizeof(body));
	assert_int_equal(parse(body), SIFT_OK);
	assert_int_equal(sdp->media[0].ncrypto, SIFT_SDP_MAX_CRYPTO);
	assert_int_equal(sdp->dropped, 4);
	assert_string_equal(sdp->media[0].crypto[7],
			    "8 AES_CM_128_HMAC_SHA1_80 inline:" RFC_KEY);

	/* a value too long to keep whole is not kept cut */
	n = (size_t)snprintf(body, sizeof(body), "v=0\r\nm=audio 4000 RTP/SAVP 0\r\n"
			     "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s", RFC_KEY);
	while (n < 33 + 40 + 27 + SIFT_SDP_CRYPTO_LEN)
		n += (size_t)snprintf(body + n, sizeof(body) - n, " -X");
	n += (size_t)snprintf(body + n, sizeof(body) - n,
			      "\r\na=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:%s\r\n",
			      RFC_KEY);
	assert_true(n < sizeof(body));
	assert_int_equal(parse(body), SIFT_OK);
	assert_int_equal(sdp->media[0].ncrypto, 1);
	assert_int_equal(sdp->media[0].crypto[0][0], '2');
	assert_int_equal(sdp->dropped, 1);

	/* a=crypto is media-level (RFC 4568 §9.1) */
	assert_int_equal(parse("v=0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:"
			       RFC_KEY "\r\nm=audio 4000 RTP/SAVP 0\r\n"), SIFT_OK);
	assert_int_equal(sdp->media[0].ncrypto, 0);
}

static void test_media_cap(void **state)
{
	char body[16384];
	size_t n;
	const unsigned last = SIFT_SDP_MAX_MEDIA - 1;
	char ip[32];

	(void)state;
	n = (size_t)snprintf(body, sizeof(body), "v=0\r\nc=IN IP4 192.0.2.1\r\n");
	for (int i = 0; i < SIFT_SDP_MAX_MEDIA + 2; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n,
				      "m=audio %d RTP/AVP 0\r\na=rtpmap:%d X/8000\r\n"
				      "c=IN IP4 192.0.2.%d\r\na=sendonly\r\n",
				      4000 + 2 * i, 96 + i % 32, 10 + i);
	assert_true(n < sizeof(body));
	assert_int_equal(parse(body), SIFT_OK);
	assert_int_equal(sdp->nmedia, SIFT_SDP_MAX_MEDIA);
	assert_int_equal(sdp->dropped, 2);
	/* what follows a dropped m= line does not leak into the last kept */
	assert_int_equal(sdp->media[last].nrtpmap, 1);
	assert_int_equal(sdp->media[last].rtpmap[0].pt, 96 + last % 32);
	snprintf(ip, sizeof(ip), "192.0.2.%u", 10 + last);
	assert_ip4(&sdp->media[last].rtp, ip, (uint16_t)(4000 + 2 * last));
	/* a WebRTC-sized offer (audio, video, data and 17 more) is whole */
	n = (size_t)snprintf(body, sizeof(body), "v=0\r\nc=IN IP4 192.0.2.1\r\n");
	for (int i = 0; i < 20; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n,
				      "m=video %d RTP/SAVPF 96\r\n", 5000 + 2 * i);
	assert_int_equal(parse(body), SIFT_OK);
	assert_int_equal(sdp->nmedia, 20);
	assert_int_equal(sdp->dropped, 0);
	assert_int_equal(sdp->media[19].rtp.port, 5038);
	/* a smaller body after a larger one: only its own m= lines */
	assert_int_equal(parse("v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 4000 RTP/AVP 0\r\n"),
			 SIFT_OK);
	assert_int_equal(sdp->nmedia, 1);
	assert_int_equal(sdp->media[0].npts, 1);

	/* names too long for their fields stay empty, the slot is kept */
	assert_int_equal(parse("v=0\r\nm=audioaudioaudioaudio 4000 "
			       "RTP/AVP/AND/A/PROFILE/LONGER/THAN/32 0\r\n"),
			 SIFT_OK);
	assert_int_equal(sdp->nmedia, 1);
	assert_int_equal(sdp->media[0].type[0], '\0');
	assert_int_equal(sdp->media[0].proto[0], '\0');
	assert_int_equal(sdp->media[0].rtp.port, 4000);
	assert_int_equal(sdp->media[0].npts, 1);
}

static void test_session_version(void **state)
{
	(void)state;
	assert_int_equal(parse("v=0\r\no=- 1 18446744073709551615 IN IP4 1.2.3.4\r\n"
			       "o=- 1 5 IN IP4 1.2.3.4\r\n"
			       "m=audio 1 RTP/AVP 0\r\n"), SIFT_OK);
	assert_true(sdp->sess_version == UINT64_MAX);
	assert_int_equal(parse("v=0\r\no=- 1 18446744073709551616 IN IP4 1.2.3.4\r\n"
			       "m=audio 1 RTP/AVP 0\r\n"), SIFT_OK);
	assert_int_equal(sdp->sess_version, 0);
	assert_int_equal(parse("v=0\r\no=- 1\r\nm=audio 1 RTP/AVP 0\r\n"), SIFT_OK);
	assert_int_equal(sdp->sess_version, 0);
}

static void test_static_codecs(void **state)
{
	static const struct {
		uint8_t pt;
		const char *name;
		uint32_t rate;
		uint8_t channels;
	} table[] = {
		{ 0, "PCMU", 8000, 1 }, { 3, "GSM", 8000, 1 },
		{ 4, "G723", 8000, 1 }, { 5, "DVI4", 8000, 1 },
		{ 6, "DVI4", 16000, 1 }, { 7, "LPC", 8000, 1 },
		{ 8, "PCMA", 8000, 1 }, { 9, "G722", 8000, 1 },
		{ 10, "L16", 44100, 2 }, { 11, "L16", 44100, 1 },
		{ 12, "QCELP", 8000, 1 }, { 13, "CN", 8000, 1 },
		{ 14, "MPA", 90000, 1 }, { 15, "G728", 8000, 1 },
		{ 16, "DVI4", 11025, 1 }, { 17, "DVI4", 22050, 1 },
		{ 18, "G729", 8000, 1 }, { 25, "CelB", 90000, 1 },
		{ 26, "JPEG", 90000, 1 }, { 28, "nv", 90000, 1 },
		{ 31, "H261", 90000, 1 }, { 32, "MPV", 90000, 1 },
		{ 33, "MP2T", 90000, 1 }, { 34, "H263", 90000, 1 },
	};
	static const uint8_t unknown[] = { 1, 2, 19, 20, 24, 27, 29, 30, 35, 72,
					   96, 127, 128, 255 };
	struct sift_sdp_rtpmap buf;
	const struct sift_sdp_rtpmap *r;

	(void)state;
	assert_int_equal(parse("v=0\r\nm=audio 4000 RTP/AVP 0 8 9 96\r\n"), SIFT_OK);
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		r = sift_sdp_codec(&sdp->media[0], table[i].pt, &buf);
		assert_ptr_equal(r, &buf);
		assert_int_equal(r->pt, table[i].pt);
		assert_string_equal(r->name, table[i].name);
		assert_int_equal(r->rate, table[i].rate);
		assert_int_equal(r->channels, table[i].channels);
		/* without a media section too */
		r = sift_sdp_codec(NULL, table[i].pt, &buf);
		assert_non_null(r);
		assert_string_equal(r->name, table[i].name);
	}
	for (size_t i = 0; i < sizeof(unknown); i++)
		assert_null(sift_sdp_codec(&sdp->media[0], unknown[i], &buf));
	assert_null(sift_sdp_codec(&sdp->media[0], 0, NULL));
}

static void test_rtpmap_override(void **state)
{
	struct sift_sdp_rtpmap buf;
	const struct sift_sdp_rtpmap *r;

	(void)state;
	assert_int_equal(parse("v=0\r\nm=audio 4000 RTP/AVP 0 8 96\r\n"
			       "a=rtpmap:8 PCMA/16000\r\n"
			       "a=rtpmap:96 opus/48000/2\r\n"), SIFT_OK);
	/* an rtpmap in the SDP wins over the static table */
	r = sift_sdp_codec(&sdp->media[0], 8, &buf);
	assert_ptr_equal(r, &sdp->media[0].rtpmap[0]);
	assert_string_equal(r->name, "PCMA");
	assert_int_equal(r->rate, 16000);
	r = sift_sdp_codec(&sdp->media[0], 96, &buf);
	assert_non_null(r);
	assert_string_equal(r->name, "opus");
	assert_int_equal(r->channels, 2);
	r = sift_sdp_codec(&sdp->media[0], 0, &buf);
	assert_ptr_equal(r, &buf);
	assert_string_equal(r->name, "PCMU");
	assert_null(sift_sdp_codec(&sdp->media[0], 97, &buf));
	/* the rtpmap belongs to its own media section only */
	assert_int_equal(parse("v=0\r\nm=audio 4000 RTP/AVP 96\r\n"
			       "a=rtpmap:96 opus/48000/2\r\n"
			       "m=audio 5000 RTP/AVP 96\r\n"), SIFT_OK);
	assert_non_null(sift_sdp_codec(&sdp->media[0], 96, &buf));
	assert_null(sift_sdp_codec(&sdp->media[1], 96, &buf));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_baresip_offer),
		cmocka_unit_test(test_session_vs_media_c),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_rtcp_attribute),
		cmocka_unit_test(test_rtcp_mux),
		cmocka_unit_test(test_several_media),
		cmocka_unit_test(test_disabled_and_port_count),
		cmocka_unit_test(test_missing_final_crlf),
		cmocka_unit_test(test_lf_only),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_nul_in_names),
		cmocka_unit_test(test_payload_type_cap),
		cmocka_unit_test(test_rtpmap_cap),
		cmocka_unit_test(test_crypto_cap),
		cmocka_unit_test(test_media_cap),
		cmocka_unit_test(test_session_version),
		cmocka_unit_test(test_static_codecs),
		cmocka_unit_test(test_rtpmap_override),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
