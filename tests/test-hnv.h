/*
 * Copyright (c) 2026 ovs-hnv developers.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at:
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

#ifndef TEST_HNV_H
#define TEST_HNV_H 1

/* What the HNV unit tests (tests/test-hnv*.c, run by "ovstest") share: a
 * check that reports a failure and goes on, so that one run lists every
 * failed check; the verdict at the end of a test; and parsers of test data
 * that abort on a typo in the test itself.
 *
 * Each test program includes this once; the failure count is its own. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "hnv/hnv-types.h"
#include "packets.h"
#include "util.h"

static int n_failures;

static inline void
fail(const char *file, int line, const char *format, ...)
    OVS_PRINTF_FORMAT(3, 4);

static inline void
fail(const char *file, int line, const char *format, ...)
{
    va_list args;

    printf("%s:%d: FAILED: ", file, line);
    va_start(args, format);
    vprintf(format, args);
    va_end(args);
    putchar('\n');
    n_failures++;
}

#define CHECK(COND)                                                     \
    do {                                                                \
        if (!(COND)) {                                                  \
            fail(__FILE__, __LINE__, "%s", #COND);                      \
        }                                                               \
    } while (0)

/* Prints the verdict of the test 'name' and exits with status 1 if any
 * check failed. */
static inline void
finish(const char *name)
{
    if (n_failures) {
        printf("%s: %d check(s) failed\n", name, n_failures);
        exit(1);
    }
    printf("%s: all checks passed\n", name);
}

static inline struct in6_addr
addr(const char *s)
{
    struct in6_addr a;
    char *error = hnv_parse_address(s, &a);

    ovs_assert(!error);
    return a;
}

static inline struct eth_addr
mac(const char *s)
{
    struct eth_addr m;
    char *error = hnv_parse_mac(s, &m);

    ovs_assert(!error);
    return m;
}

#endif /* test-hnv.h */
