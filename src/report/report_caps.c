/* sipsift — the caps that drop data (struct sift_caps): their names in the
 * summaries and the warning each gets the first time it is hit. */
#include <stdio.h>

#include "net/ip_defrag.h"
#include "net/sctp_reasm.h"
#include "net/tcp_reasm.h"
#include "sip/sdes.h"
#include "sip/sdp.h"
#include "sip/sip_frame.h"
#include "sipsift/media.h"
#include "sipsift/report.h"
#include "tls/tls.h"

static const struct {
	const char *key;     /* JSON summary.skipped */
	const char *words;   /* text summary, after the count */
} caps[SIFT_CAP_COUNT] = {
	[SIFT_CAP_TCP_EVICTED] = { "tcp_streams_evicted", "TCP directions evicted" },
	[SIFT_CAP_IP_EVICTED] = { "ip_datagrams_evicted", "IP datagrams evicted" },
	[SIFT_CAP_IP_DROPPED] = { "ip_fragments_dropped", "IP fragments dropped by a reassembly cap" },
	[SIFT_CAP_SIP_OVERSIZE] = { "sip_messages_oversize", "SIP messages too large" },
	[SIFT_CAP_WS_OVERSIZE] = { "websocket_messages_oversize", "WebSocket messages too large" },
	[SIFT_CAP_TLS_UNREAD] = { "tls_directions_unread", "TLS directions not read (too many at once)" },
	[SIFT_CAP_CALLS] = { "messages_no_call", "messages of calls past the cap" },
	[SIFT_CAP_CALL_MSGS] = { "messages_over_call_cap", "messages past a call's cap" },
	[SIFT_CAP_CALL_TXNS] = { "messages_untracked", "messages in no transaction" },
	[SIFT_CAP_CALL_DIALOGS] = { "dialogs_dropped", "dialogs not tracked" },
	[SIFT_CAP_FINDINGS] = { "findings_dropped", "findings not listed" },
	[SIFT_CAP_DTMF] = { "dtmf_dropped", "DTMF events dropped" },
	[SIFT_CAP_MEDIA_STREAMS] = { "rtp_streams_dropped", "RTP/RTCP streams not tracked (too many at once)" },
	[SIFT_CAP_MEDIA_ENDPOINTS] = { "sdp_addresses_dropped", "SDP media addresses not tracked (too many at once)" },
	[SIFT_CAP_SRTP_KEYS] = { "srtp_keys_dropped", "SRTP keys left out (too many in one call or on one a=crypto line)" },
	[SIFT_CAP_SDP_ITEMS] = { "sdp_items_dropped", "SDP m= lines, formats or a=crypto lines past one SDP's caps" },
	[SIFT_CAP_KEYS_BOOK] = { "early_keys_dropped", "a=crypto lines past the keys-before-media cap" },
	[SIFT_CAP_TCP_HOLD] = { "tcp_holes_skipped_by_cap", "TCP holes skipped early (out-of-order bytes past a cap)" },
	[SIFT_CAP_SCTP_EVICTED] = { "sctp_messages_evicted", "SCTP messages dropped (too many being reassembled)" },
	[SIFT_CAP_TLS_SESSIONS] = { "tls_sessions_evicted", "TLS sessions forgotten before a resumption (too many kept)" },
	[SIFT_CAP_FRAGS_EARLY] = { "fragments_written_early", "IP fragments written before their datagram was complete (decrypt -w: too many held)" },
	[SIFT_CAP_SRTP_HELD] = { "srtp_not_held", "SRTP packets read from a pipe before their key, past the hold-back (not decrypted)" },
	[SIFT_CAP_MERGE_UNCHECKED] = { "merge_unchecked", "packets not checked for a twin in another input (over 4,096 at one timestamp)" },
};

const char *sift_cap_key(enum sift_cap_id cap)
{
	return (unsigned)cap < SIFT_CAP_COUNT ? caps[cap].key : "?";
}

const char *sift_cap_words(enum sift_cap_id cap)
{
	return (unsigned)cap < SIFT_CAP_COUNT ? caps[cap].words : "?";
}

void sift_report_warn_cap(const struct sift_report *r, enum sift_cap_id cap,
			  FILE *f)
{
	struct sift_tcp_limits tl;
	struct sift_defrag_limits dl;

	(void)r;
	sift_tcp_limits_default(&tl);
	sift_defrag_limits_default(&dl);
	fputs("sipsift: warning: ", f);
	switch (cap) {
	case SIFT_CAP_TCP_EVICTED:
		fprintf(f, "more than %u TCP directions at once: the oldest are evicted before their end (what they carry next is lost)\n",
			(unsigned)tl.max_streams);
		break;
	case SIFT_CAP_IP_EVICTED:
		fprintf(f, "more than %u IP datagrams in reassembly at once: the oldest are evicted incomplete (their fragments are lost)\n",
			(unsigned)dl.max_datagrams);
		break;
	case SIFT_CAP_IP_DROPPED:
		fprintf(f, "IP fragments past a reassembly cap (%u fragments per datagram, %zu bytes held in all) are dropped\n",
			dl.max_fragments, dl.max_bytes);
		break;
	case SIFT_CAP_SIP_OVERSIZE:
		fprintf(f, "a SIP message on a stream is too large to analyse (start line over 8192 bytes, headers over 65536, body over %u): it is skipped, see the sip-message-oversize findings\n",
			(unsigned)SIFT_SIP_MAX_MESSAGE);
		break;
	case SIFT_CAP_WS_OVERSIZE:
		fprintf(f, "a WebSocket frame or message is larger than %u bytes: it is skipped, see the sip-message-oversize findings\n",
			(unsigned)SIFT_SIP_MAX_MESSAGE);
		break;
	case SIFT_CAP_TLS_UNREAD:
		fprintf(f, "too many TLS connections are read at once: the later ones are not read (the SIP they carry is missing)\n");
		break;
	case SIFT_CAP_TLS_SESSIONS:
		fprintf(f, "more than %u TLS sessions are kept for resumption: the oldest are forgotten (a later connection that resumes one is not read)\n",
			(unsigned)SIFT_TLS_MAX_SESSIONS);
		break;
	case SIFT_CAP_CALLS:
		fprintf(f, "more than %u calls at once: the messages of later calls are dropped\n",
			(unsigned)SIFT_CALLS_MAX);
		break;
	case SIFT_CAP_CALL_MSGS:
		fprintf(f, "a call has more than %u messages: its later messages are dropped\n",
			(unsigned)SIFT_CALL_MSGS_MAX);
		break;
	case SIFT_CAP_CALL_TXNS:
		fprintf(f, "a call has more than %u transactions: its later messages are listed in no transaction (their responses and retransmissions are not matched)\n",
			(unsigned)SIFT_CALL_TXNS_MAX);
		break;
	case SIFT_CAP_CALL_DIALOGS:
		fprintf(f, "a call has more than %u dialogs: the later ones are not tracked\n",
			(unsigned)SIFT_CALL_DIALOGS_MAX);
		break;
	case SIFT_CAP_FINDINGS:
		fprintf(f, "more than %u findings: the later ones are counted, not listed\n",
			(unsigned)SIFT_FINDINGS_MAX);
		break;
	case SIFT_CAP_DTMF:
		fprintf(f, "DTMF past a cap (%u events or %u telephone-event streams per call) is dropped\n",
			(unsigned)SIFT_DTMF_MAX_PER_CALL,
			(unsigned)SIFT_DTMF_MAX_STREAMS);
		break;
	case SIFT_CAP_MEDIA_STREAMS:
		fprintf(f, "more than %d RTP/RTCP streams at once: the later ones are not tracked (their packets are counted, not measured or decrypted)\n",
			SIFT_MEDIA_MAX_STREAMS);
		break;
	case SIFT_CAP_MEDIA_ENDPOINTS:
		fprintf(f, "more than %d SDP media addresses at once: the later ones are not tracked (their RTP is found by the heuristic only)\n",
			SIFT_MEDIA_MAX_ENDPOINTS);
		break;
	case SIFT_CAP_SRTP_KEYS:
		fprintf(f, "more than %d SRTP keys in one call, or more than %d on one a=crypto line: the later keys are left out (streams needing them stay encrypted)\n",
			SIFT_MEDIA_MAX_KEYS, SIFT_SDES_MAX_KEYS);
		break;
	case SIFT_CAP_SDP_ITEMS:
		fprintf(f, "an SDP has more than %d m= lines, %d payload types on one m= line or %d a=crypto lines on one: the rest are not read (their media is not tied to the call)\n",
			SIFT_SDP_MAX_MEDIA, SIFT_SDP_MAX_PT, SIFT_SDP_MAX_CRYPTO);
		break;
	case SIFT_CAP_KEYS_BOOK:
		fprintf(f, "more than %zu a=crypto lines wait for their calls in the keys-before-media pass: the later ones work from their own SDP on\n",
			SIFT_MEDIA_BOOK_MAX);
		break;
	case SIFT_CAP_TCP_HOLD:
		fprintf(f, "out-of-order TCP data past a cap (%zu bytes or %u segments held per direction, %zu bytes in all): the hole it waits behind is skipped before its timeout (what was in it is lost)\n",
			tl.max_stream_hold, (unsigned)SIFT_TCP_MAX_HELD_SEGS,
			tl.max_total_hold);
		break;
	case SIFT_CAP_SCTP_EVICTED:
		fprintf(f, "more than %d SCTP messages are being reassembled at once: the oldest are dropped (their SIP is lost)\n",
			SIFT_SCTP_SLOTS);
		break;
	case SIFT_CAP_FRAGS_EARLY:
		fprintf(f, "decrypt -w holds at most %d IP fragments (%zu bytes) of datagrams not yet complete: the oldest are written as they came, so a SIP message or SRTP packet among them keeps its SRTP (or RTP/SAVP SDP) in the output\n",
			SIFT_FRAG_HOLD_FRAMES, SIFT_FRAG_HOLD_BYTES);
		break;
	case SIFT_CAP_SRTP_HELD:
		fprintf(f, "SRTP packets read from a pipe before their key are held for it at most %u (%zu bytes) per stream, %zu bytes in all: later ones are not decrypted when the key comes (give the capture as a file: it is read for its keys first)\n",
			SIFT_MEDIA_HOLD_PACKETS, SIFT_MEDIA_HOLD_BYTES,
			SIFT_MEDIA_HOLD_TOTAL);
		break;
	case SIFT_CAP_MERGE_UNCHECKED:
		fprintf(f, "more than 4096 packets of the inputs share one timestamp: the later ones are not checked for a twin in another input, and a twin of one is counted as a packet of its own\n");
		break;
	default:
		fprintf(f, "a cap was hit\n");
		break;
	}
}
