/* sipsift — `show`: the full text of SIP messages, each under a line that
 * says where and when it was seen; or, in JSON, each message with its
 * headers in order and its SDP read out. */
#ifndef SIPSIFT_REPORT_SHOW_H
#define SIPSIFT_REPORT_SHOW_H

#include <stdio.h>

#include "sipsift/common.h"

/* One message to show. raw is the message as framed (any bytes). */
struct sift_show_msg {
	const uint8_t *raw;
	size_t len;
	bool parsed;               /* false: the SIP parser rejected it */
	const char *call_id;
	uint32_t call_index;
	sift_time call_start;      /* the call's first message */
	sift_time prev_ts;         /* its call's message before, 0: none */
	struct sift_where where;
	struct sift_addr src;
	struct sift_addr dst;
	enum sift_transport tp;
	const char *file;          /* the input's path */
	bool several_files;        /* name the file in the text header */
	const char *comment;       /* pcapng packet comment, or NULL */
};

struct sift_show;

struct sift_show *sift_show_new(FILE *f, bool json);
enum sift_rc sift_show_msg(struct sift_show *s, const struct sift_show_msg *m);
/* Ends the document (JSON) and frees s; SIFT_EIO when the stream
 * failed at any point. */
enum sift_rc sift_show_end(struct sift_show *s);
/* Frees s without ending the document. */
void sift_show_abort(struct sift_show *s);

/* The SDP body's summary as a jansson object (struct json_t *; NULL when
 * it is no SDP): origin, connection, each m= line with its formats
 * (rtpmap and fmtp), direction, a=crypto suites and keys, T.38, rtcp-mux
 * and the count of ICE candidates. */
struct json_t;
struct json_t *sift_sdp_summary_json(const uint8_t *body, size_t n);

#endif
