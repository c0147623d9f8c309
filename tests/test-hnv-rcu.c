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

/* Unit tests for lib/hnv where threads and RCU matter:
 * "ovstest test-hnv-rcu SUBCOMMAND", where SUBCOMMAND is one of:
 *
 *   stats-bound     per-VSID counters bounded by the VSIDs a bridge serves,
 *                   with adder threads while the set changes
 *   stats-refcount  references and adds from several threads, and adders
 *                   that reach the counters through an RCU pointer only
 *   policy-move [US]
 *                   a VSID moving between routing domains: every state a
 *                   reader can see during a commit, and reader threads
 *                   (the writer pauses US microseconds, 50 by default, at
 *                   each of those states)
 *
 * Each prints what fails and exits with status 1 if anything did. */

#include <config.h>
#undef NDEBUG
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "command-line.h"
#include "flow.h"
#include "hnv/hnv-policy.h"
#include "hnv/hnv-stage.h"
#include "hnv/hnv-stats.h"
#include "hnv/hnv-types.h"
#include "openvswitch/dynamic-string.h"
#include "ovs-atomic.h"
#include "ovs-rcu.h"
#include "ovs-thread.h"
#include "ovstest.h"
#include "random.h"
#include "timeval.h"
#include "util.h"
#include "test-hnv.h"

/* Threads that run 'main' on 'arg' until told to stop. */
struct workers {
    pthread_t threads[4];
    size_t n;
    atomic_bool stop;
};

static void
workers_start(struct workers *w, size_t n, const char *name,
              void *(*main)(void *), void *args, size_t arg_size)
{
    ovs_assert(n <= ARRAY_SIZE(w->threads));
    atomic_init(&w->stop, false);
    w->n = n;
    for (size_t i = 0; i < n; i++) {
        w->threads[i] = ovs_thread_create(name, main,
                                          (char *) args + i * arg_size);
    }
}

static bool
workers_stopping(struct workers *w)
{
    bool stop;

    atomic_read(&w->stop, &stop);
    return stop;
}

static void
workers_stop(struct workers *w)
{
    atomic_store(&w->stop, true);
    for (size_t i = 0; i < w->n; i++) {
        xpthread_join(w->threads[i], NULL);
    }
}

/* "stats-bound". */

#define N_FORGED 100000

static const enum hnv_counter RESERVED = HNV_CNT_DROP
                                         + HNV_DROP_RESERVED_VSID;

struct adder {
    struct hnv_stats *stats;
    struct workers *workers;
    unsigned long long n_adds;
};

/* Adds to the VSIDs the main thread moves in and out of the set, and to
 * forged ones. */
static void *
adder_main(void *adder_)
{
    struct adder *a = adder_;

    while (!workers_stopping(a->workers)) {
        for (int i = 0; i < 64; i++) {
            uint32_t vsid = (random_range(2)
                             ? 5001 + random_range(8)
                             : random_uint32() & 0xffffff);

            hnv_stats_add(a->stats, vsid, HNV_CNT_ENCAP, 1);
            a->n_adds++;
        }
        ovsrcu_quiesce();
    }
    return NULL;
}

static void
stats_bound_concurrent(void)
{
    struct hnv_stats *stats = hnv_stats_create();
    struct adder adders[3];
    struct workers workers;
    unsigned long long n_adds = 0;
    long long int deadline;
    int n_sets = 0, n_too_many = 0;

    for (size_t i = 0; i < ARRAY_SIZE(adders); i++) {
        adders[i] = (struct adder) { .stats = stats, .workers = &workers };
    }
    workers_start(&workers, ARRAY_SIZE(adders), "hnv-adder", adder_main,
                  adders, sizeof adders[0]);

    deadline = time_msec() + 1000;
    while (time_msec() < deadline) {
        uint32_t vsids[8];
        size_t n = 0;

        for (uint32_t v = 5001; v <= 5008; v++) {
            if (random_range(2)) {
                vsids[n++] = v;
            }
        }
        hnv_stats_set_vsids(stats, vsids, n);
        n_sets++;
        /* Adders run on: they must never create an entry outside the
         * set, not even one they looked up just before the change. */
        for (int i = 0; i < 10; i++) {
            n_too_many += hnv_stats_count_vsids(stats) > n + 1;
        }
        ovsrcu_quiesce();
    }
    workers_stop(&workers);
    for (size_t i = 0; i < ARRAY_SIZE(adders); i++) {
        n_adds += adders[i].n_adds;
    }
    printf("stats-bound: %d set changes, %llu adds by %"PRIuSIZE" threads\n",
           n_sets, n_adds, ARRAY_SIZE(adders));
    CHECK(n_too_many == 0);
    CHECK(n_sets > 10 && n_adds > 1000);

    const uint32_t last[] = { 5001 };
    hnv_stats_set_vsids(stats, last, ARRAY_SIZE(last));
    CHECK(hnv_stats_count_vsids(stats) <= 2);
    hnv_stats_add(stats, 5001, HNV_CNT_ENCAP, 1);
    CHECK(hnv_stats_count_vsids(stats) == 2);
    CHECK(hnv_stats_get(stats, HNV_STATS_OTHER_VSID, HNV_CNT_ENCAP) > 0);
    hnv_stats_unref(stats);
    ovsrcu_synchronize();
}

static char *
expected_block(const char *title, uint64_t encap, uint64_t arp,
               uint64_t reserved)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    ds_put_format(&s, "%s:\n"
                  "  encapsulated: %"PRIu64"\n"
                  "  decapsulated: 0\n"
                  "  delivered locally: 0\n"
                  "  routed: 0\n"
                  "  ARP replies: %"PRIu64"\n"
                  "  neighbor advertisements: 0\n"
                  "  dropped: %"PRIu64"\n", title, encap, arp, reserved);
    if (reserved) {
        ds_put_format(&s, "    reserved_vsid: %"PRIu64" (reserved VSID in "
                      "the GRE key)\n", reserved);
    }
    return ds_steal_cstr(&s);
}

#define OTHER_TITLE \
    "other VSIDs (reserved, unknown or not bound on this bridge)"

static void
check_format(const struct hnv_stats *stats, uint32_t vsid, char *a, char *b)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    char *expected = xasprintf("%s%s", a, b ? b : "");

    hnv_stats_format(stats, vsid, &s);
    if (strcmp(ds_cstr(&s), expected)) {
        printf("format: expected:\n%sgot:\n%s", expected, ds_cstr(&s));
        n_failures++;
    }
    free(expected);
    free(a);
    free(b);
    ds_destroy(&s);
}

/* Bytes beside packets, and the format "hnv/stats" prints: every packet
 * line as hnv_stats_format() prints it, followed by its bytes; a drop
 * reason's bytes at the end of its line.  The other bucket counts bytes
 * too. */
static void
stats_bytes(void)
{
    struct hnv_stats *stats = hnv_stats_create();
    const uint32_t one[] = { 5001 };
    struct ds s = DS_EMPTY_INITIALIZER;

    hnv_stats_set_vsids(stats, one, ARRAY_SIZE(one));
    hnv_stats_add_traffic(stats, 5001, HNV_CNT_ENCAP, 1, 118);
    hnv_stats_add_traffic(stats, 5001, HNV_CNT_ENCAP, 2, 236);
    hnv_stats_add_traffic(stats, 5001, RESERVED, 1, 50);
    hnv_stats_add_traffic(stats, 7001, RESERVED, 2, 100);
    hnv_stats_add_traffic(stats, 5001, HNV_CNT_LOCAL, 0, 0);
    CHECK(hnv_stats_get(stats, 5001, HNV_CNT_ENCAP) == 3);
    CHECK(hnv_stats_get_bytes(stats, 5001, HNV_CNT_ENCAP) == 354);
    CHECK(hnv_stats_get_bytes(stats, 5001, RESERVED) == 50);
    CHECK(hnv_stats_get_bytes(stats, HNV_STATS_OTHER_VSID, RESERVED) == 100);
    CHECK(hnv_stats_get_bytes(stats, 5001, HNV_CNT_LOCAL) == 0);

    hnv_stats_format_bytes(stats, 5001, &s);
    if (strcmp(ds_cstr(&s),
               "VSID 5001:\n"
               "  encapsulated: 3\n"
               "  encapsulated bytes: 354\n"
               "  decapsulated: 0\n"
               "  decapsulated bytes: 0\n"
               "  delivered locally: 0\n"
               "  delivered locally bytes: 0\n"
               "  routed: 0\n"
               "  routed bytes: 0\n"
               "  ARP replies: 0\n"
               "  ARP replies bytes: 0\n"
               "  neighbor advertisements: 0\n"
               "  neighbor advertisements bytes: 0\n"
               "  dropped: 1\n"
               "  dropped bytes: 50\n"
               "    reserved_vsid: 1 (reserved VSID in the GRE key), "
               "50 bytes\n")) {
        printf("format with bytes: got:\n%s", ds_cstr(&s));
        n_failures++;
    }

    /* Without bytes, the packet lines alone. */
    check_format(stats, 7001, expected_block(OTHER_TITLE, 0, 0, 2), NULL);

    hnv_stats_clear(stats);
    CHECK(hnv_stats_get_bytes(stats, 5001, HNV_CNT_ENCAP) == 0);
    ds_destroy(&s);
    hnv_stats_unref(stats);
}

static void
test_stats_bound(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    struct hnv_stats *stats = hnv_stats_create();
    uint64_t sum = 0;

    /* Forged keys: only 5001 is served here. */
    const uint32_t one[] = { 5001 };
    hnv_stats_set_vsids(stats, one, ARRAY_SIZE(one));
    hnv_stats_add(stats, 5001, HNV_CNT_ENCAP, 3);
    for (uint32_t i = 0; i < N_FORGED; i++) {
        /* Distinct 24-bit values (167 is odd), reserved ones included. */
        uint32_t vsid = (i * 167) & 0xffffff;

        if (vsid != 5001) {
            hnv_stats_add(stats, vsid, RESERVED, 1 + i % 3);
            sum += 1 + i % 3;
        }
    }
    CHECK(hnv_stats_count_vsids(stats) == 2);
    CHECK(hnv_stats_get(stats, 5001, HNV_CNT_ENCAP) == 3);
    CHECK(hnv_stats_get(stats, 5001, RESERVED) == 0);
    CHECK(hnv_stats_get(stats, HNV_STATS_OTHER_VSID, RESERVED) == sum);
    CHECK(hnv_stats_get(stats, 167 * 7, RESERVED) == 0);
    check_format(stats, 0, expected_block("VSID 5001", 3, 0, 0),
                 expected_block(OTHER_TITLE, 0, 0, sum));

    /* Growing the set: duplicates and reserved VSIDs are ignored. */
    const uint32_t two[] = { 5002, 0, 5001, 4095, 5002, 16777215 };
    hnv_stats_set_vsids(stats, two, ARRAY_SIZE(two));
    hnv_stats_add(stats, 5002, HNV_CNT_ARP_REPLY, 1);
    hnv_stats_add(stats, 4095, HNV_CNT_ARP_REPLY, 1);
    hnv_stats_add(stats, 16777215, HNV_CNT_ARP_REPLY, 1);
    CHECK(hnv_stats_count_vsids(stats) == 3);
    CHECK(hnv_stats_get(stats, 5001, HNV_CNT_ENCAP) == 3);
    CHECK(hnv_stats_get(stats, 5002, HNV_CNT_ARP_REPLY) == 1);
    CHECK(hnv_stats_get(stats, HNV_STATS_OTHER_VSID, HNV_CNT_ARP_REPLY)
          == 2);

    /* Shrinking it removes 5001's entry; its counters are not folded into
     * the other bucket, and what comes for it later goes there. */
    const uint32_t just_5002[] = { 5002 };
    hnv_stats_set_vsids(stats, just_5002, ARRAY_SIZE(just_5002));
    CHECK(hnv_stats_count_vsids(stats) == 2);
    CHECK(hnv_stats_get(stats, 5001, HNV_CNT_ENCAP) == 0);
    CHECK(hnv_stats_get(stats, HNV_STATS_OTHER_VSID, HNV_CNT_ENCAP) == 0);
    hnv_stats_add(stats, 5001, HNV_CNT_ENCAP, 4);
    CHECK(hnv_stats_count_vsids(stats) == 2);
    CHECK(hnv_stats_get(stats, 5001, HNV_CNT_ENCAP) == 0);
    CHECK(hnv_stats_get(stats, HNV_STATS_OTHER_VSID, HNV_CNT_ENCAP) == 4);
    check_format(stats, 0, expected_block("VSID 5002", 0, 1, 0),
                 expected_block(OTHER_TITLE, 4, 2, sum));
    check_format(stats, 5002, expected_block("VSID 5002", 0, 1, 0), NULL);
    /* 5001 and 4095 are counted in the other bucket now. */
    check_format(stats, 5001, expected_block(OTHER_TITLE, 4, 2, sum), NULL);
    check_format(stats, 4095, expected_block(OTHER_TITLE, 4, 2, sum), NULL);

    /* Back in the set, 5001 starts from zero. */
    const uint32_t both[] = { 5001, 5002 };
    hnv_stats_set_vsids(stats, both, ARRAY_SIZE(both));
    hnv_stats_add(stats, 5001, HNV_CNT_ENCAP, 1);
    CHECK(hnv_stats_get(stats, 5001, HNV_CNT_ENCAP) == 1);
    CHECK(hnv_stats_count_vsids(stats) == 3);
    /* A VSID in the set that has counted nothing yet. */
    const uint32_t three[] = { 5001, 5002, 5003 };
    hnv_stats_set_vsids(stats, three, ARRAY_SIZE(three));
    check_format(stats, 5003, expected_block("VSID 5003", 0, 0, 0), NULL);
    CHECK(hnv_stats_count_vsids(stats) == 3);

    /* An empty set leaves the other bucket alone. */
    hnv_stats_set_vsids(stats, NULL, 0);
    CHECK(hnv_stats_count_vsids(stats) == 1);
    hnv_stats_clear(stats);
    CHECK(hnv_stats_get(stats, HNV_STATS_OTHER_VSID, RESERVED) == 0);
    hnv_stats_unref(stats);

    /* Before any set: every valid VSID, up to a cap; reserved ones go to
     * the other bucket. */
    stats = hnv_stats_create();
    hnv_stats_add(stats, 0, RESERVED, 1);
    hnv_stats_add(stats, 4095, RESERVED, 1);
    hnv_stats_add(stats, 16777215, RESERVED, 1);
    CHECK(hnv_stats_count_vsids(stats) == 1);
    CHECK(hnv_stats_get(stats, HNV_STATS_OTHER_VSID, RESERVED) == 3);
    for (uint32_t i = 0; i < N_FORGED; i++) {
        hnv_stats_add(stats, 4096 + i, HNV_CNT_ENCAP, 1);
    }
    CHECK(hnv_stats_count_vsids(stats) == HNV_STATS_MAX_UNBOUNDED + 1);
    CHECK(hnv_stats_get(stats, 4096, HNV_CNT_ENCAP) == 1);
    CHECK(hnv_stats_get(stats, HNV_STATS_OTHER_VSID, HNV_CNT_ENCAP)
          == N_FORGED - HNV_STATS_MAX_UNBOUNDED);
    hnv_stats_unref(stats);

    stats_bound_concurrent();
    stats_bytes();
    finish("stats-bound");
}

/* "stats-refcount". */

struct referrer {
    struct hnv_stats *stats;
    int n;
};

static void *
referrer_main(void *r_)
{
    struct referrer *r = r_;

    for (int i = 0; i < r->n; i++) {
        struct hnv_stats *s = hnv_stats_ref(r->stats);

        hnv_stats_add(s, 5001, HNV_CNT_ENCAP, 1);
        hnv_stats_unref(s);
        if (!(i % 128)) {
            ovsrcu_quiesce();
        }
    }
    return NULL;
}

/* The counters a bridge's snapshot points to, as in ofproto-dpif-hnv.c: a
 * translation reaches them through an RCU pointer, without a reference. */
static OVSRCU_TYPE(struct hnv_stats *) published_stats;

struct snapshot_adder {
    struct workers *workers;
    unsigned long long n_adds;
};

static void *
snapshot_adder_main(void *a_)
{
    struct snapshot_adder *a = a_;

    while (!workers_stopping(a->workers)) {
        for (int i = 0; i < 16; i++) {
            struct hnv_stats *s = ovsrcu_get(struct hnv_stats *,
                                             &published_stats);

            hnv_stats_add(s, 5001 + i % 4, HNV_CNT_ENCAP, 1);
            a->n_adds++;
        }
        ovsrcu_quiesce();
    }
    return NULL;
}

/* Allocates, fills and frees blocks of the sizes the freed counters had,
 * so that an adder still using freed memory reads garbage and crashes
 * instead of going unnoticed. */
static void
scribble(void)
{
    void *blocks[64];

    for (size_t i = 0; i < ARRAY_SIZE(blocks); i++) {
        blocks[i] = xmalloc(16 * (i + 1));
        memset(blocks[i], 0xa5, 16 * (i + 1));
    }
    for (size_t i = 0; i < ARRAY_SIZE(blocks); i++) {
        free(blocks[i]);
    }
}

static void
test_stats_refcount(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    struct referrer referrers[4];
    struct snapshot_adder adders[2];
    struct workers workers;
    struct hnv_stats *stats = hnv_stats_create();
    unsigned long long n_adds = 0;
    int n_swaps = 0;

    /* Each thread takes a reference, adds, and drops it, many times over;
     * the main thread's reference keeps the counters alive. */
    for (size_t i = 0; i < ARRAY_SIZE(referrers); i++) {
        referrers[i] = (struct referrer) { .stats = stats, .n = 100000 };
    }
    workers_start(&workers, ARRAY_SIZE(referrers), "hnv-ref", referrer_main,
                  referrers, sizeof referrers[0]);
    workers_stop(&workers);
    CHECK(hnv_stats_get(stats, 5001, HNV_CNT_ENCAP)
          == ARRAY_SIZE(referrers) * 100000);
    hnv_stats_unref(stats);

    /* The main thread replaces the published counters and drops the only
     * reference to the old ones while adders may still hold them. */
    ovsrcu_set(&published_stats, hnv_stats_create());
    for (size_t i = 0; i < ARRAY_SIZE(adders); i++) {
        adders[i] = (struct snapshot_adder) { .workers = &workers };
    }
    workers_start(&workers, ARRAY_SIZE(adders), "hnv-snap",
                  snapshot_adder_main, adders, sizeof adders[0]);
    long long int deadline = time_msec() + 1000;
    while (time_msec() < deadline) {
        struct hnv_stats *old = ovsrcu_get_protected(struct hnv_stats *,
                                                     &published_stats);

        ovsrcu_set(&published_stats, hnv_stats_create());
        hnv_stats_unref(old);
        scribble();
        n_swaps++;
        if (!(n_swaps % 16)) {
            ovsrcu_quiesce();
        }
    }
    workers_stop(&workers);
    for (size_t i = 0; i < ARRAY_SIZE(adders); i++) {
        n_adds += adders[i].n_adds;
    }
    printf("stats-refcount: %d swaps, %llu adds through the snapshot\n",
           n_swaps, n_adds);
    CHECK(n_swaps > 10 && n_adds > 1000);
    hnv_stats_unref(ovsrcu_get_protected(struct hnv_stats *,
                                         &published_stats));
    ovsrcu_synchronize();
    finish("stats-refcount");
}

/* "policy-move".
 *
 * A (5001) and B (5002) are in RD1, D (5003) in RD2; each has a route to
 * its /16 and records in it.  The writer swaps B and D between RD1 and RD2
 * in one commit and back, moves B to RD2 and back, out of every domain and
 * back, and into RD0 (which sorts first) while RD1 still names it.  The
 * invariants: a route that a VSID's domain gives never points at a VSID of
 * another domain; hnv_policy_lookup_in_rd() never finds a record of a VSID
 * of another domain; hnv_policy_same_rd() agrees with
 * hnv_policy_vsid_rdid(); and during the swap B and D are never in one
 * domain. */

#define RD0 "{00000000-2222-3333-4444-000000000000}"
#define RD1 "{11111111-2222-3333-4444-000000000001}"
#define RD2 "{11111111-2222-3333-4444-000000000002}"

static const uint32_t senders[] = { 5001, 5002, 5003 };
static const uint32_t dsts[] = { 0x0a010005, 0x0a020005, 0x0a030005 };

static struct uuid
row(uint32_t n)
{
    return (struct uuid) { .parts = { n, 0x1234, 0x5678, 0x9abc } };
}

/* Sets customer route 'id' of 'rdid' to VSID's /16, or with 'rdid' NULL
 * removes it. */
static void
set_route(struct hnv_policy *p, uint32_t id, const char *rdid, uint32_t vsid)
{
    struct hnv_route r = {
        .prefix = in6_addr_mapped_ipv4(htonl(0x0a000000 | (vsid - 5000)
                                             << 16)),
        .plen = 16,
        .vsid = vsid,
        .metric = 1,
    };
    struct uuid u = row(id);

    r.next_hop = in6_addr_mapped_ipv4(htonl(0));
    if (rdid) {
        hnv_policy_set_route(p, &u, rdid, &r);
    } else {
        hnv_policy_remove_route(p, &u);
    }
}

static void
set_record(struct hnv_policy *p, uint32_t id, uint32_t vsid, uint32_t ca)
{
    struct hnv_record_spec spec = {
        .vsid = vsid,
        .ca = in6_addr_mapped_ipv4(htonl(ca)),
        .mac = (struct eth_addr) { .ea = { 0, 0x15, 0x5d, 0, id >> 8, id } },
        .pa = in6_addr_mapped_ipv4(htonl(0xc0a80101)),
        .rule = HNV_RULE_ENCAP,
        .type = HNV_TYPE_STATIC,
    };
    struct uuid u = row(id);

    hnv_policy_set_record(p, &u, &spec);
}

/* Returns the number of (sender, destination) pairs whose route, or whose
 * record found in the sender's domain, belongs to another domain.  With
 * 'recheck', a violation counts only if a second look finds it again,
 * because a reader thread's lookup and hnv_policy_same_rd() see the policy
 * at two different moments. */
static int
count_violations(const struct hnv_policy *p, bool recheck,
                 unsigned long long *n_routes_to_b)
{
    int n = 0;

    for (size_t i = 0; i < ARRAY_SIZE(senders); i++) {
        for (size_t j = 0; j < ARRAY_SIZE(dsts); j++) {
            struct in6_addr dst = in6_addr_mapped_ipv4(htonl(dsts[j]));
            const struct hnv_record *rec;
            const struct hnv_route *r;

            /* A domain's record index holds only its VSIDs' records. */
            rec = hnv_policy_lookup_in_rd(p, senders[i], &dst);
            if (rec && !hnv_policy_same_rd(p, senders[i], rec->spec.vsid)
                && (!recheck
                    || ((rec = hnv_policy_lookup_in_rd(p, senders[i], &dst))
                        && !hnv_policy_same_rd(p, senders[i],
                                               rec->spec.vsid)))) {
                n++;
            }

            r = hnv_policy_route_lookup(p, senders[i], &dst, NULL);
            if (r && r->vsid == 5002 && senders[i] != 5002) {
                (*n_routes_to_b)++;
            }
            if (r && !hnv_policy_same_rd(p, senders[i], r->vsid)) {
                if (recheck) {
                    r = hnv_policy_route_lookup(p, senders[i], &dst, NULL);
                    if (!r || hnv_policy_same_rd(p, senders[i], r->vsid)) {
                        continue;
                    }
                }
                n++;
            }
        }
    }
    return n;
}

/* The MAC of B's edge gateway VM, behind a local wildcard record. */
static const struct eth_addr gateway_mac = { .ea = { 0, 0x15, 0x5d, 0, 0, 0xfe } };

/* Whether B's edge gateway VM may send as 10.2.0.5, a VM of B with a record
 * of its own: never, in any state (HNV-SPEC 3.4: a wildcard record
 * validates only addresses that have no record). */
static bool
gateway_may_spoof(const struct hnv_policy *p)
{
    struct hnv_decision d;
    struct flow flow;

    memset(&flow, 0, sizeof flow);
    flow.dl_type = htons(ETH_TYPE_IP);
    flow.dl_src = gateway_mac;
    flow.dl_dst = (struct eth_addr) { .ea = { 0, 0x15, 0x5d, 0, 0, 13 } };
    flow.nw_src = htonl(0x0a020005);
    flow.nw_dst = htonl(0x0a020006);
    flow.nw_proto = IPPROTO_TCP;
    flow.nw_ttl = 64;
    hnv_stage_from_vm(p, 5002, &flow, NULL, &d);
    return d.source_valid;
}

struct move_hook {
    int n_spoofs;           /* States where gateway_may_spoof(). */
    bool swapping;          /* B and D swap domains: never together. */
    int n_together;
    int n_calls;
    int n_violations;
    int n_inconsistent;     /* hnv_policy_same_rd() against the RDIDs. */
    unsigned long long n_routes_to_b;
    long long int delay_ns; /* Sleep in each call, for reader threads. */
};

static void
move_hook_cb(const struct hnv_policy *p, void *hook_)
{
    struct move_hook *hook = hook_;

    hook->n_calls++;
    hook->n_violations += count_violations(p, false, &hook->n_routes_to_b);
    for (size_t i = 0; i < ARRAY_SIZE(senders); i++) {
        for (size_t j = 0; j < ARRAY_SIZE(senders); j++) {
            const char *a = hnv_policy_vsid_rdid(p, senders[i]);
            const char *b = hnv_policy_vsid_rdid(p, senders[j]);
            bool same = i == j || (a && b && !strcmp(a, b));

            hook->n_inconsistent += (same != hnv_policy_same_rd(p, senders[i],
                                                                senders[j]));
        }
    }
    hook->n_spoofs += gateway_may_spoof(p);
    if (hook->swapping && hnv_policy_same_rd(p, 5002, 5003)) {
        hook->n_together++;
    }
    if (hook->delay_ns) {
        xnanosleep(hook->delay_ns);
    }
}

/* One round of moves of B, each committed. */
static void
move_b_around(struct hnv_policy *p, struct move_hook *hook)
{
    hook->swapping = true;
    set_route(p, 2, RD2, 5002);         /* B: RD1 -> RD2, D: RD2 -> RD1. */
    set_route(p, 3, RD1, 5003);
    hnv_policy_commit(p);
    set_route(p, 2, RD1, 5002);         /* And back. */
    set_route(p, 3, RD2, 5003);
    hnv_policy_commit(p);
    hook->swapping = false;

    set_route(p, 2, RD2, 5002);         /* RD1 -> RD2. */
    hnv_policy_commit(p);
    set_route(p, 2, RD1, 5002);         /* RD2 -> RD1. */
    hnv_policy_commit(p);
    set_route(p, 2, NULL, 5002);
    hnv_policy_commit(p);               /* RD1 -> none. */
    set_route(p, 2, RD1, 5002);         /* none -> RD1. */
    hnv_policy_commit(p);
    set_route(p, 4, RD0, 5002);         /* RD1 -> RD0, RD1 still names B. */
    hnv_policy_commit(p);
    set_route(p, 4, NULL, 5002);
    hnv_policy_commit(p);               /* RD0 -> RD1. */
}

struct mover_reader {
    const struct hnv_policy *p;
    struct workers *workers;
    unsigned long long n_lookups, n_routes_to_b;
    int n_violations;
};

static void *
mover_reader_main(void *r_)
{
    struct mover_reader *r = r_;

    while (!workers_stopping(r->workers)) {
        r->n_violations += count_violations(r->p, true, &r->n_routes_to_b);
        r->n_lookups += ARRAY_SIZE(senders) * ARRAY_SIZE(dsts);
        ovsrcu_quiesce();
    }
    return NULL;
}

static void
test_policy_move(struct ovs_cmdl_context *ctx)
{
    long long int delay_us = ctx->argc > 1 ? atoll(ctx->argv[1]) : 50;
    struct hnv_policy *p = hnv_policy_create();
    struct move_hook hook = { .n_calls = 0 };
    struct mover_reader readers[2];
    struct workers workers;
    unsigned long long n_lookups = 0, n_routes_to_b = 0;
    int n_violations = 0, n_rounds = 0;

    set_route(p, 1, RD1, 5001);
    set_route(p, 2, RD1, 5002);
    set_route(p, 3, RD2, 5003);
    set_record(p, 11, 5001, 0x0a010005);
    set_record(p, 12, 5002, 0x0a020005);
    set_record(p, 13, 5002, 0x0a020006);
    set_record(p, 14, 5003, 0x0a030005);
    struct uuid pa_row = row(20), gw_row = row(21);
    struct in6_addr pa = in6_addr_mapped_ipv4(htonl(0xc0a80101));
    hnv_policy_set_local_pa(p, &pa_row, &pa, 24);
    hnv_policy_set_record(p, &gw_row, &(struct hnv_record_spec) {
        .vsid = 5002, .ca = in6_addr_mapped_ipv4(0), .mac = gateway_mac,
        .pa = pa, .rule = HNV_RULE_ENCAP, .type = HNV_TYPE_GATEWAY_WILDCARD,
    });
    hnv_policy_commit(p);
    CHECK(hnv_policy_same_rd(p, 5001, 5002));
    CHECK(!hnv_policy_same_rd(p, 5001, 5003));
    CHECK(!gateway_may_spoof(p));

    /* Every state published in the middle of a commit, in the writer's
     * thread: exact. */
    hnv_policy_set_commit_hook(p, move_hook_cb, &hook);
    move_b_around(p, &hook);
    printf("policy-move: %d intermediate states, %llu routes to B seen\n",
           hook.n_calls, hook.n_routes_to_b);
    CHECK(hook.n_violations == 0);
    CHECK(hook.n_inconsistent == 0);
    CHECK(hook.n_together == 0);
    CHECK(hook.n_calls >= 6 && hook.n_routes_to_b > 0);
    printf("policy-move: %d intermediate states let B's edge gateway send "
           "as a VM of B\n", hook.n_spoofs);
    CHECK(hook.n_spoofs == 0);

    /* Reader threads, with the writer pausing at each intermediate state
     * (50 us unless told) so that they can see it. */
    hook.delay_ns = delay_us * 1000;
    for (size_t i = 0; i < ARRAY_SIZE(readers); i++) {
        readers[i] = (struct mover_reader) { .p = p, .workers = &workers };
    }
    workers_start(&workers, ARRAY_SIZE(readers), "hnv-mover",
                  mover_reader_main, readers, sizeof readers[0]);
    long long int deadline = time_msec() + 1000;
    while (time_msec() < deadline) {
        move_b_around(p, &hook);
        n_rounds++;
        ovsrcu_quiesce();
    }
    workers_stop(&workers);
    for (size_t i = 0; i < ARRAY_SIZE(readers); i++) {
        n_lookups += readers[i].n_lookups;
        n_routes_to_b += readers[i].n_routes_to_b;
        n_violations += readers[i].n_violations;
    }
    printf("policy-move: %d rounds of moves; readers: %llu lookups, %llu "
           "routes to B, %d into another domain\n", n_rounds, n_lookups,
           n_routes_to_b, n_violations);
    CHECK(n_violations == 0);
    CHECK(hook.n_violations == 0);
    CHECK(n_routes_to_b > 0);

    hnv_policy_destroy(p);
    ovsrcu_synchronize();
    finish("policy-move");
}

static const struct ovs_cmdl_command commands[] = {
    {"stats-bound", NULL, 0, 0, test_stats_bound, OVS_RO},
    {"stats-refcount", NULL, 0, 0, test_stats_refcount, OVS_RO},
    {"policy-move", "[DELAY-US]", 0, 1, test_policy_move, OVS_RO},
    {NULL, NULL, 0, 0, NULL, OVS_RO},
};

static void
test_hnv_rcu_main(int argc, char *argv[])
{
    struct ovs_cmdl_context ctx = {
        .argc = argc - optind,
        .argv = argv + optind,
    };

    set_program_name(argv[0]);
    ovs_cmdl_run_command(&ctx, commands);
}

OVSTEST_REGISTER("test-hnv-rcu", test_hnv_rcu_main);
