/* sipsift — whether this build runs under AddressSanitizer (and with it
 * LeakSanitizer): gcc says so with __SANITIZE_ADDRESS__, clang with
 * __has_feature. */
#ifndef SIFT_UTIL_ASAN_H
#define SIFT_UTIL_ASAN_H

#if defined(__SANITIZE_ADDRESS__)
#define SIFT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SIFT_ASAN 1
#endif
#endif

#endif
