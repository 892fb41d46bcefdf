/* sipsift — BPF filtering of capture packets through libpcap (the one
 * file of the capture reader that includes <pcap.h>): a filter is compiled
 * per link type as link types are met, and sift_filter_widen keeps the
 * IP fragments a port filter would lose. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap.h>

#include "capture/capture_int.h"

#define FILTER_SNAPLEN 262144
#define MAX_FILTERS 1024u       /* link types compiled for, per capture */

/* What sift_filter_widen appends. A filter built by it is recognised by
 * this exact shape so that, on a link type where the additions do not
 * compile, the user's own expression can still be used. */
#define WIDEN_TAIL ") or (ip[6:2] & 0x3fff != 0) or (ip6[6] == 44)"

struct filt {
	int linktype;
	struct bpf_program prog;
};

struct sift_cap_bpf {
	char *filter;
	char *filter_plain;     /* the user's part of a widened filter */
	struct filt *filts;     /* compiled, one per link type met */
	size_t nfilts;
	size_t filts_cap;
	size_t filt_last;
};

/* Files store LINKTYPE_ values; pcap_open_dead wants DLT_ values. They
 * are equal except for a few historical ones. */
static int linktype_to_dlt(int linktype)
{
	switch (linktype) {
	case 50: return DLT_PPP_SERIAL;
	case 51: return DLT_PPP_ETHER;
	case 100: return DLT_ATM_RFC1483;
	case 101: return DLT_RAW;
	case 102: return DLT_SLIP_BSDOS;
	case 103: return DLT_PPP_BSDOS;
	default: return linktype;
	}
}

static enum sift_rc bpf_compile(int linktype, const char *expr,
				bool allow_none, struct bpf_program *prog,
				char *err, size_t errlen)
{
	enum sift_rc rc = SIFT_OK;
	pcap_t *p;

	p = pcap_open_dead(linktype_to_dlt(linktype), FILTER_SNAPLEN);
	if (!p) {
		sift_cap_put_err(err, errlen, "out of memory");
		return SIFT_ENOMEM;
	}
	if (pcap_compile(p, prog, expr, 1, PCAP_NETMASK_UNKNOWN) == 0)
		goto out;
	/* The optimiser refuses a filter that matches nothing on this link
	 * type ("ip6" on raw IPv4). In a file with several link types that
	 * is a legitimate filter for that interface: compile it unoptimised.
	 * (sift_filter_check still refuses it, as tcpdump does, for
	 * Ethernet, where it means the expression contradicts itself.) */
	if (allow_none && strstr(pcap_geterr(p), "rejects all packets") &&
	    pcap_compile(p, prog, expr, 0, PCAP_NETMASK_UNKNOWN) == 0)
		goto out;
	sift_cap_put_err(err, errlen, pcap_geterr(p));
	rc = SIFT_EINVAL;
out:
	pcap_close(p);
	return rc;
}

void sift_cap_bpf_free(struct sift_capture *c)
{
	struct sift_cap_bpf *b = c->bpf;
	size_t i;

	if (!b)
		return;
	for (i = 0; i < b->nfilts; i++)
		pcap_freecode(&b->filts[i].prog);
	free(b->filts);
	free(b->filter);
	free(b->filter_plain);
	free(b);
	c->bpf = NULL;
}

/* Compiles the installed filter for one link type and caches it. A
 * widened filter that does not compile falls back to the user's own
 * expression (no link type in libpcap 1.10 needs this today). */
static enum sift_rc filter_add(struct sift_cap_bpf *b, int linktype,
			       size_t *idx, char *err, size_t errlen)
{
	struct bpf_program prog;
	enum sift_rc rc;

	if (!sift_grow((void **)&b->filts, &b->filts_cap, b->nfilts,
		       sizeof(*b->filts), MAX_FILTERS)) {
		sift_cap_put_err(err, errlen, b->nfilts >= MAX_FILTERS ?
				 "too many link types to filter" :
				 "out of memory");
		return b->nfilts >= MAX_FILTERS ? SIFT_ELIMIT : SIFT_ENOMEM;
	}
	rc = bpf_compile(linktype, b->filter, true, &prog, err, errlen);
	if (rc == SIFT_EINVAL && b->filter_plain)
		rc = bpf_compile(linktype, b->filter_plain, true, &prog, err,
				 errlen);
	if (rc != SIFT_OK)
		return rc;
	b->filts[b->nfilts].linktype = linktype;
	b->filts[b->nfilts].prog = prog;
	*idx = b->nfilts++;
	return SIFT_OK;
}

static enum sift_rc filter_find(struct sift_cap_bpf *b, int linktype,
				size_t *idx, char *err, size_t errlen)
{
	size_t i;

	if (b->filt_last < b->nfilts &&
	    b->filts[b->filt_last].linktype == linktype) {
		*idx = b->filt_last;
		return SIFT_OK;
	}
	for (i = 0; i < b->nfilts; i++) {
		if (b->filts[i].linktype == linktype) {
			*idx = b->filt_last = i;
			return SIFT_OK;
		}
	}
	return filter_add(b, linktype, idx, err, errlen);
}

enum sift_rc sift_capture_set_filter(struct sift_capture *c, const char *expr,
				     char *err, size_t errlen)
{
	enum sift_rc rc = SIFT_OK;
	struct sift_cap_bpf *b;
	size_t i, n, idx;
	char msg[PCAP_ERRBUF_SIZE + 64];

	if (!c) {
		sift_cap_put_err(err, errlen, "no capture");
		return SIFT_EINVAL;
	}
	sift_cap_bpf_free(c);
	if (!expr)
		return SIFT_OK;
	b = c->bpf = calloc(1, sizeof(*b));
	if (!b)
		goto nomem;
	b->filter = strdup(expr);
	if (!b->filter)
		goto nomem;
	n = strlen(expr);
	if (n > strlen(WIDEN_TAIL) + 1 && expr[0] == '(' &&
	    strcmp(expr + n - strlen(WIDEN_TAIL), WIDEN_TAIL) == 0) {
		b->filter_plain = strndup(expr + 1, n - 1 - strlen(WIDEN_TAIL));
		if (!b->filter_plain)
			goto nomem;
	}
	/* Compile now for every link type known, so a bad expression is
	 * reported before any packet is read; with none known yet (no
	 * interface described so far), check it against Ethernet. */
	if (c->info.format == SIFT_FMT_PCAPNG && c->nifs > 0) {
		for (i = 0; i < c->nifs && rc == SIFT_OK; i++)
			rc = filter_find(b, c->ifs[i].linktype, &idx, msg,
					 sizeof(msg));
	} else {
		rc = filter_find(b, c->info.linktype >= 0 ? c->info.linktype
							  : SIFT_LINK_ETHERNET,
				 &idx, msg, sizeof(msg));
	}
	if (rc != SIFT_OK) {
		sift_cap_put_err(err, errlen, msg);
		sift_cap_bpf_free(c);
	}
	return rc;
nomem:
	sift_cap_bpf_free(c);
	sift_cap_put_err(err, errlen, "out of memory");
	return SIFT_ENOMEM;
}

enum sift_rc sift_cap_bpf_run(struct sift_capture *c,
			      const struct sift_packet *pkt, bool *keep)
{
	char msg[PCAP_ERRBUF_SIZE + 64];
	struct pcap_pkthdr hdr;
	enum sift_rc rc;
	size_t idx;

	*keep = true;
	rc = filter_find(c->bpf, pkt->linktype, &idx, msg, sizeof(msg));
	if (rc != SIFT_OK)
		return sift_cap_fail(c, rc,
				     "filter does not compile for link type %d: %s",
				     pkt->linktype, msg);
	memset(&hdr, 0, sizeof(hdr));
	hdr.caplen = pkt->caplen;
	hdr.len = pkt->len;
	*keep = pcap_offline_filter(&c->bpf->filts[idx].prog, &hdr,
				    pkt->data) != 0;
	return SIFT_OK;
}

enum sift_rc sift_filter_check(const char *expr, char *err, size_t errlen)
{
	struct bpf_program prog;
	enum sift_rc rc;

	if (!expr) {
		sift_cap_put_err(err, errlen, "no filter expression");
		return SIFT_EINVAL;
	}
	rc = bpf_compile(SIFT_LINK_ETHERNET, expr, false, &prog, err, errlen);
	if (rc == SIFT_OK)
		pcap_freecode(&prog);
	return rc;
}

/* A filter such as "udp port 5060" matches only the first fragment of a
 * fragmented datagram, since only that one carries the UDP header; the
 * rest would never reach reassembly. Also keep every IPv4 fragment (MF set
 * or offset non-zero, RFC 791) and IPv6 packets whose first extension
 * header is a Fragment header (next header 44, RFC 8200 §4.5); a fragment
 * header after other extension headers is not caught, BPF cannot walk the
 * chain. An expression that does not compile is returned unchanged so the
 * caller reports the user's own error. */
char *sift_filter_widen(const char *expr)
{
	char *w;
	size_t n;

	if (!expr)
		return NULL;
	if (sift_filter_check(expr, NULL, 0) != SIFT_OK)
		return strdup(expr);
	n = 1 + strlen(expr) + strlen(WIDEN_TAIL) + 1;
	w = malloc(n);
	if (!w)
		return NULL;
	snprintf(w, n, "(%s" WIDEN_TAIL, expr);
	if (sift_filter_check(w, NULL, 0) != SIFT_OK) {
		free(w);
		return strdup(expr);
	}
	return w;
}
