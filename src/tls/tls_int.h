/* sipsift — what the TLS connection decoder reads from the key store. */
#ifndef SIPSIFT_TLS_INT_H
#define SIPSIFT_TLS_INT_H

#include "tls/tls.h"
#include "tls/tls_crypto.h"

/* Key log labels we use (NSS key log format). */
enum sift_tls_label {
	SIFT_TLS_L_CLIENT_RANDOM = 0,  /* TLS <= 1.2 master secret */
	SIFT_TLS_L_CHTS,               /* CLIENT_HANDSHAKE_TRAFFIC_SECRET */
	SIFT_TLS_L_SHTS,               /* SERVER_HANDSHAKE_TRAFFIC_SECRET */
	SIFT_TLS_L_CATS0,              /* CLIENT_TRAFFIC_SECRET_0 */
	SIFT_TLS_L_SATS0,              /* SERVER_TRAFFIC_SECRET_0 */
	SIFT_TLS_L_COUNT
};

/* The secret logged for this client random and label: true with a pointer
 * into the store and its length (48 for a master secret, 32 or 48 for a
 * TLS 1.3 traffic secret). */
bool sift_tls_keys_find(const struct sift_tls_keys *k, const uint8_t cr[32],
			enum sift_tls_label label, const uint8_t **secret,
			size_t *len);
/* Whether any label is logged for this client random. */
bool sift_tls_keys_know(const struct sift_tls_keys *k, const uint8_t cr[32]);
/* RSA key i (0-based) if it applies to a server at addr (NULL: any). */
const struct sift_tls_pkey *sift_tls_keys_rsa(const struct sift_tls_keys *k,
					      size_t i,
					      const struct sift_addr *server);

#endif
