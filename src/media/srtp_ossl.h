/* sipsift — libsrtp2's AES-ICM, AES-GCM and HMAC-SHA1 on OpenSSL libcrypto
 * (EVP), swapped in through libsrtp2's public replace API. Private to
 * srtp.c (and its tests): it includes <srtp2/cipher.h> and <srtp2/auth.h>,
 * which pull in <srtp2/srtp.h>.
 *
 * Why: Debian builds libsrtp2 on NSS, whose session set-up costs ~600 µs
 * and whose unprotect ~1.6 µs (LIBRARIES.md); the EVP types do both in a
 * few hundred nanoseconds. */
#ifndef SIPSIFT_SRTP_OSSL_H
#define SIPSIFT_SRTP_OSSL_H

#include <stdint.h>

#include "sipsift/common.h"

/* How many types sift_srtp_ossl_register() replaces when all goes well:
 * AES-ICM 128/192/256, AES-GCM 128/256, HMAC-SHA1. */
#define SIFT_SRTP_OSSL_TYPES 6u

/* Replaces libsrtp2's types with ours. Call after srtp_init() and before
 * any session is created, once, before any thread (libsrtp's type list
 * has no lock). Each replace runs our published test vectors and the
 * replaced type's own; a type that fails keeps libsrtp's. *nreplaced (may
 * be NULL) says how many of SIFT_SRTP_OSSL_TYPES are ours. SIFT_OK when
 * all are; SIFT_EUNSUPPORTED when OpenSSL lacks an algorithm (nothing
 * replaced); SIFT_EINVAL when a replace failed. */
enum sift_rc sift_srtp_ossl_register(unsigned *nreplaced);

struct srtp_cipher_type_t;
struct srtp_auth_type_t;

/* Our types, for tests: id is libsrtp's cipher id (SRTP_AES_ICM_128 ...);
 * NULL for another id. */
const struct srtp_cipher_type_t *sift_srtp_ossl_cipher_type(unsigned id);
const struct srtp_auth_type_t *sift_srtp_ossl_auth_type(void);

/* Ciphers and HMACs allocated from our types so far (a test can tell
 * which implementation a session got). */
uint64_t sift_srtp_ossl_allocs(void);

#endif
