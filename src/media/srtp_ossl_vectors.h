/* sipsift — the published test vectors the OpenSSL types of srtp_ossl.c
 * carry as their test_data (libsrtp runs them when a type is replaced):
 * RFC 3711 B.2, NIST SP 800-38A F.5, RFC 6188, RFC 7714 §16 / the GCM
 * spec's test cases, RFC 2202. srtp_ossl_vectors.c holds them. */
#ifndef SIFT_SRTP_OSSL_VECTORS_H
#define SIFT_SRTP_OSSL_VECTORS_H

#include <srtp2/auth.h>
#include <srtp2/cipher.h>

extern const srtp_cipher_test_case_t sift_ossl_icm128_tests;
extern const srtp_cipher_test_case_t sift_ossl_icm192_tests;
extern const srtp_cipher_test_case_t sift_ossl_icm256_tests;
extern const srtp_cipher_test_case_t sift_ossl_gcm128_tests;
extern const srtp_cipher_test_case_t sift_ossl_gcm256_tests;
extern const srtp_auth_test_case_t sift_ossl_hmac_tests;

#endif
