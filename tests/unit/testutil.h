/* Shared by the cmocka unit tests: cmocka's required includes, in order. */
#ifndef SIPSIFT_TESTUTIL_H
#define SIPSIFT_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#endif
