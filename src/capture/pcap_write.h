/* sipsift — writing classic pcap files (the decrypted capture). Written by
 * hand rather than through pcap_dump: the format is 40 lines, and the
 * writer must report a full disk as an output error. */
#ifndef SIPSIFT_PCAP_WRITE_H
#define SIPSIFT_PCAP_WRITE_H

#include <stdio.h>

#include "sipsift/common.h"

struct sift_pcap_writer;

/* Creates path ("-" is stdout) for packets of link type linktype, under
 * a temporary name until closed (util/outfile.h). SIFT_EIO with the
 * reason in err. */
enum sift_rc sift_pcap_writer_open(const char *path, int linktype,
				   struct sift_pcap_writer **out, char *err,
				   size_t errlen);

/* The same as pcapng (RFC draft "PCAP Next Generation"): a Section Header
 * and one Interface Description Block, then an Enhanced Packet Block per
 * packet (microseconds), so that Decryption Secrets can go beside them. */
enum sift_rc sift_pcap_writer_open_ng(const char *path, int linktype,
				      struct sift_pcap_writer **out, char *err,
				      size_t errlen);
/* A pcapng writer: a Decryption Secrets Block of TLS key log text (type
 * 0x544c534b), that Wireshark uses for the packets after it. SIFT_EIO
 * when the write fails; SIFT_EINVAL on a classic pcap writer. */
enum sift_rc sift_pcap_write_tls_keylog(struct sift_pcap_writer *w,
					const char *text, size_t len);

/* The decrypted capture's writer (decrypt -w, extract --decrypt): pcapng
 * when TLS secrets go with it (keylog, klen bytes of key log text given
 * by the user, written first; or secrets_ahead, secrets the input carries
 * before its first packet) or when path ends in .pcapng; classic pcap
 * otherwise. */
enum sift_rc sift_pcap_writer_open_decrypted(const char *path, int linktype,
					     const char *keylog, size_t klen,
					     bool secrets_ahead,
					     struct sift_pcap_writer **out,
					     char *err, size_t errlen);

/* SIFT_EIO when the write fails (disk full, pipe closed). */
enum sift_rc sift_pcap_write(struct sift_pcap_writer *w, sift_time ts,
			     const uint8_t *data, uint32_t caplen,
			     uint32_t len);

int sift_pcap_writer_linktype(const struct sift_pcap_writer *w);

/* Packets written so far (a failed write counts: the file is not kept).
 * Accepts NULL. */
uint64_t sift_pcap_writer_packets(const struct sift_pcap_writer *w);

/* Flushes, closes and puts the file in place; SIFT_EIO with the reason in
 * err when that fails (the file is then removed). Accepts NULL. */
enum sift_rc sift_pcap_writer_close(struct sift_pcap_writer *w, char *err,
				    size_t errlen);

/* A failed run: the file is removed, nothing is put in place. Accepts
 * NULL. */
void sift_pcap_writer_abort(struct sift_pcap_writer *w);

#endif
