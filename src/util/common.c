/* sipsift — shared helpers: error strings and address formatting. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "sipsift/common.h"

static const char *const rc_str[SIFT_RC_COUNT] = {
	[SIFT_OK] = "success",
	[SIFT_ENOMEM] = "out of memory",
	[SIFT_EINVAL] = "invalid input",
	[SIFT_ETRUNC] = "truncated",
	[SIFT_EIO] = "input/output error",
	[SIFT_ELIMIT] = "limit reached",
	[SIFT_EUNSUPPORTED] = "unsupported",
	[SIFT_ENOTFOUND] = "not found",
	[SIFT_EFORMAT] = "unrecognised format",
	[SIFT_EOF] = "end of input",
};

const char *sift_rc_str(enum sift_rc rc)
{
	if ((unsigned)rc >= SIFT_RC_COUNT)
		return "unknown error";
	return rc_str[rc];
}

static const char *const tp_str[SIFT_TP_COUNT] = {
	[SIFT_TP_UDP] = "udp",
	[SIFT_TP_TCP] = "tcp",
	[SIFT_TP_TLS] = "tls",
	[SIFT_TP_SCTP] = "sctp",
	[SIFT_TP_WS] = "ws",
	[SIFT_TP_WSS] = "wss",
};

const char *sift_transport_str(enum sift_transport t)
{
	if ((unsigned)t >= SIFT_TP_COUNT)
		return "unknown";
	return tp_str[t];
}

/* "00" to "99": two digits per division. */
static const char pairs[] =
	"0001020304050607080910111213141516171819"
	"2021222324252627282930313233343536373839"
	"4041424344454647484950515253545556575859"
	"6061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

size_t sift_put_dec(char *o, uint64_t v)
{
	size_t n = 1;
	char *p;

	/* The length first, then the digits from the last, two at a time
	 * (a digit at a time into a buffer and reversed, this was a percent
	 * of a JSON report: every number and address goes through it). */
	for (uint64_t t = v; t >= 10; t /= 10)
		n++;
	p = o + n;
	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);

		v /= 100;
		p -= 2;
		memcpy(p, pairs + 2 * r, 2);
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, pairs + 2 * v, 2);
	} else {
		*--p = (char)('0' + v);
	}
	return n;
}

char *sift_addr_str(const struct sift_addr *a, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];

	if (len == 0)
		return buf;
	/* IPv4 by hand, as inet_ntop writes it: every message of a report
	 * prints two addresses, and snprintf made that a twentieth of a
	 * SIP-only JSON run. */
	if (a->family == 4 && len >= sizeof("255.255.255.255:65535")) {
		char *o = buf;

		for (int i = 0; i < 4; i++) {
			o += sift_put_dec(o, a->ip[i]);
			if (i < 3)
				*o++ = '.';
		}
		if (a->port) {
			*o++ = ':';
			o += sift_put_dec(o, a->port);
		}
		*o = '\0';
		return buf;
	}
	if (a->family == 4)
		inet_ntop(AF_INET, a->ip, ip, sizeof(ip));
	else if (a->family == 6)
		inet_ntop(AF_INET6, a->ip, ip, sizeof(ip));
	else
		snprintf(ip, sizeof(ip), "?");
	if (a->port == 0)
		snprintf(buf, len, "%s", ip);
	else if (a->family == 6)
		snprintf(buf, len, "[%s]:%u", ip, a->port);
	else
		snprintf(buf, len, "%s:%u", ip, a->port);
	return buf;
}

bool sift_grow(void **v, size_t *cap, size_t n, size_t sz, size_t max)
{
	size_t ncap;
	void *nv;

	if (n < *cap)
		return true;
	if (n >= max)
		return false;
	if (sz == 0)
		return false;
	if (max > SIZE_MAX / sz)
		max = SIZE_MAX / sz;
	if (n >= max)
		return false;
	/* Growing until element n fits: callers may ask for more than one
	 * element past the end (byte buffers). Small elements start at 8
	 * and double; large ones (a call's messages, transactions, dialogs,
	 * SDPs: a few each, held by every live call) start at 2 and grow by
	 * half, so that a call holds little unused room (2 KB of 8 did). */
	ncap = *cap ? *cap : sz >= 64 ? 2 : 8;
	while (ncap <= n && ncap < max)
		ncap = ncap > max / 2 ? max :
		       sz >= 64 ? ncap + ncap / 2 : ncap * 2;
	if (ncap > max)
		ncap = max;
	nv = realloc(*v, ncap * sz);
	if (!nv)
		return false;
	*v = nv;
	*cap = ncap;
	return true;
}

bool sift_room_for(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return false;
	munmap(p, len);
	return true;
}

bool sift_grow_oom(void **v, size_t *cap, size_t n, size_t sz, size_t max,
		   bool *oom)
{
	if (sift_grow(v, cap, n, sz, max))
		return true;
	if (n < max)
		*oom = true;
	return false;
}
