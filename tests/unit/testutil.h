/* Shared by the cmocka unit tests: cmocka's required includes, in order. */
#ifndef SIPSIFT_TESTUTIL_H
#define SIPSIFT_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

/* A packet built byte by byte in network order (test_net, test_pipeline). */
struct pkt {
	uint8_t b[4096];
	size_t n;
};

static inline void put(struct pkt *p, const void *d, size_t n)
{
	assert_true(p->n + n <= sizeof(p->b));
	memcpy(p->b + p->n, d, n);
	p->n += n;
}

static inline void put8(struct pkt *p, uint8_t v)
{
	put(p, &v, 1);
}

static inline void put16(struct pkt *p, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put(p, b, 2);
}

static inline void put32(struct pkt *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p, (uint16_t)v);
}

#endif
