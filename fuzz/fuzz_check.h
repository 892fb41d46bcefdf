/* Shared by the fuzz targets: check() says which invariant broke, where,
 * before aborting (libFuzzer and the replayer both report the abort). */
#ifndef SIPSIFT_FUZZ_CHECK_H
#define SIPSIFT_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define check(c)                                                        \
	do {                                                            \
		if (!(c)) {                                             \
			fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); \
			abort();                                        \
		}                                                       \
	} while (0)

#endif
