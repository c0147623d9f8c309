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

#include <config.h>
#include "hnv/hnv-stats.h"

#include <stdlib.h>
#include "cmap.h"
#include "hash.h"
#include "hnv/hnv-types.h"
#include "openvswitch/dynamic-string.h"
#include "ovs-atomic.h"
#include "ovs-rcu.h"
#include "ovs-thread.h"
#include "util.h"

/* The counters of one VSID, or of HNV_STATS_OTHER_VSID.  Removed when the
 * VSID leaves the set (hnv_stats_set_vsids()) and freed after an RCU grace
 * period, since adders may be using it. */
struct vsid_counters {
    struct cmap_node cmap_node;             /* In 'hnv_stats->vsids'. */
    uint32_t vsid;
    atomic_uint64_t n[HNV_N_COUNTERS];      /* Packets. */
    atomic_uint64_t bytes[HNV_N_COUNTERS];
};

/* The VSIDs that may have counters of their own: sorted, no duplicates, no
 * reserved VSIDs.  Immutable once published. */
struct vsid_set {
    size_t n;
    uint32_t vsids[];
};

struct hnv_stats {
    struct cmap vsids;                      /* Contains vsid_counters. */

    /* Insertions and removals in 'vsids', and changes of 'allowed', happen
     * under 'mutex', so that an adder never inserts a VSID that has just
     * left the set.  Adders read 'allowed' without it, to send VSIDs that
     * are not in the set to the other bucket without taking the mutex. */
    struct ovs_mutex mutex;
    OVSRCU_TYPE(struct vsid_set *) allowed; /* NULL: no set yet. */
    size_t n_own;                           /* Entries other than the other
                                             * bucket, under 'mutex'. */
    struct ovs_refcount ref_cnt;
};

static const char *const counter_names[HNV_CNT_DROP] = {
    [HNV_CNT_ENCAP] = "encapsulated",
    [HNV_CNT_DECAP] = "decapsulated",
    [HNV_CNT_LOCAL] = "delivered locally",
    [HNV_CNT_ROUTED] = "routed",
    [HNV_CNT_ARP_REPLY] = "ARP replies",
    [HNV_CNT_ND_ADVERT] = "neighbor advertisements",
};

struct hnv_stats *
hnv_stats_create(void)
{
    struct hnv_stats *stats = xmalloc(sizeof *stats);

    cmap_init(&stats->vsids);
    ovs_mutex_init(&stats->mutex);
    ovsrcu_init(&stats->allowed, NULL);
    stats->n_own = 0;
    ovs_refcount_init(&stats->ref_cnt);
    return stats;
}

struct hnv_stats *
hnv_stats_ref(struct hnv_stats *stats)
{
    if (stats) {
        ovs_refcount_ref(&stats->ref_cnt);
    }
    return stats;
}

static void
hnv_stats_destroy__(struct hnv_stats *stats)
{
    struct vsid_counters *vc;

    CMAP_FOR_EACH (vc, cmap_node, &stats->vsids) {
        free(vc);
    }
    cmap_destroy(&stats->vsids);
    free(ovsrcu_get_protected(struct vsid_set *, &stats->allowed));
    ovs_mutex_destroy(&stats->mutex);
    free(stats);
}

void
hnv_stats_unref(struct hnv_stats *stats)
{
    /* ovs_refcount_unref() orders this thread's adds before the decrement
     * and, for the last reference, every other thread's adds before the
     * free.  Adders that reached 'stats' through an RCU-protected pointer
     * hold no reference, hence the grace period. */
    if (stats && ovs_refcount_unref(&stats->ref_cnt) == 1) {
        ovsrcu_postpone(hnv_stats_destroy__, stats);
    }
}

static struct vsid_counters *
find_vsid(const struct hnv_stats *stats, uint32_t vsid)
{
    struct vsid_counters *vc;

    CMAP_FOR_EACH_WITH_HASH (vc, cmap_node, hash_int(vsid, 0),
                             &stats->vsids) {
        if (vc->vsid == vsid) {
            return vc;
        }
    }
    return NULL;
}

static int
compare_uint32(const void *a_, const void *b_)
{
    uint32_t a = *(const uint32_t *) a_, b = *(const uint32_t *) b_;

    return a < b ? -1 : a > b;
}

/* Whether 'vsid' may have counters of its own under 'set'. */
static bool
vsid_allowed(const struct vsid_set *set, uint32_t vsid)
{
    return (hnv_vsid_is_valid(vsid)
            && (!set || bsearch(&vsid, set->vsids, set->n, sizeof vsid,
                                compare_uint32)));
}

/* Returns the counters of 'vsid', created if 'vsid' may have them, or else
 * those of the other bucket. */
static struct vsid_counters *
find_or_add_vsid(struct hnv_stats *stats, uint32_t vsid)
{
    struct vsid_counters *vc = find_vsid(stats, vsid);

    if (vc) {
        return vc;
    }

    /* Without the mutex, so that forged VSIDs do not serialise the
     * threads: not in the set, or the table is full. */
    const struct vsid_set *set = ovsrcu_get(struct vsid_set *,
                                            &stats->allowed);
    size_t max = (set ? set->n : HNV_STATS_MAX_UNBOUNDED) + 1;
    if (!vsid_allowed(set, vsid) || cmap_count(&stats->vsids) >= max) {
        vsid = HNV_STATS_OTHER_VSID;
        vc = find_vsid(stats, vsid);
        if (vc) {
            return vc;
        }
    }

    ovs_mutex_lock(&stats->mutex);
    if (vsid != HNV_STATS_OTHER_VSID) {
        /* Again, under the mutex: the set may have changed since. */
        set = ovsrcu_get_protected(struct vsid_set *, &stats->allowed);
        if (!vsid_allowed(set, vsid)
            || stats->n_own >= (set ? set->n : HNV_STATS_MAX_UNBOUNDED)) {
            vsid = HNV_STATS_OTHER_VSID;
        }
    }
    vc = find_vsid(stats, vsid);
    if (!vc) {
        vc = xzalloc(sizeof *vc);
        vc->vsid = vsid;
        for (int i = 0; i < HNV_N_COUNTERS; i++) {
            atomic_init(&vc->n[i], 0);
            atomic_init(&vc->bytes[i], 0);
        }
        cmap_insert(&stats->vsids, &vc->cmap_node, hash_int(vsid, 0));
        stats->n_own += vsid != HNV_STATS_OTHER_VSID;
    }
    ovs_mutex_unlock(&stats->mutex);
    return vc;
}

void
hnv_stats_add_traffic(struct hnv_stats *stats, uint32_t vsid,
                      enum hnv_counter counter, uint64_t n_packets,
                      uint64_t n_bytes)
{
    if ((n_packets || n_bytes) && counter < HNV_N_COUNTERS) {
        struct vsid_counters *vc = find_or_add_vsid(stats, vsid);
        uint64_t orig;

        atomic_add_relaxed(&vc->n[counter], n_packets, &orig);
        atomic_add_relaxed(&vc->bytes[counter], n_bytes, &orig);
        if (counter >= HNV_CNT_DROP && n_packets) {
            hnv_stage_count_drop(counter - HNV_CNT_DROP, n_packets);
        }
    }
}

void
hnv_stats_add(struct hnv_stats *stats, uint32_t vsid,
              enum hnv_counter counter, uint64_t n)
{
    hnv_stats_add_traffic(stats, vsid, counter, n, 0);
}

void
hnv_stats_set_vsids(struct hnv_stats *stats, const uint32_t *vsids,
                    size_t n)
{
    struct vsid_set *set = xmalloc(sizeof *set + n * sizeof *set->vsids);
    struct vsid_counters *vc;

    set->n = 0;
    for (size_t i = 0; i < n; i++) {
        if (hnv_vsid_is_valid(vsids[i])) {
            set->vsids[set->n++] = vsids[i];
        }
    }
    qsort(set->vsids, set->n, sizeof *set->vsids, compare_uint32);
    if (set->n) {
        size_t k = 1;

        for (size_t i = 1; i < set->n; i++) {
            if (set->vsids[i] != set->vsids[k - 1]) {
                set->vsids[k++] = set->vsids[i];
            }
        }
        set->n = k;
    }

    ovs_mutex_lock(&stats->mutex);
    struct vsid_set *old = ovsrcu_get_protected(struct vsid_set *,
                                                &stats->allowed);
    ovsrcu_set(&stats->allowed, set);
    CMAP_FOR_EACH (vc, cmap_node, &stats->vsids) {
        if (vc->vsid != HNV_STATS_OTHER_VSID
            && !vsid_allowed(set, vc->vsid)) {
            cmap_remove(&stats->vsids, &vc->cmap_node, hash_int(vc->vsid, 0));
            stats->n_own--;
            ovsrcu_postpone(free, vc);
        }
    }
    ovs_mutex_unlock(&stats->mutex);
    if (old) {
        ovsrcu_postpone(free, old);
    }
}

size_t
hnv_stats_count_vsids(const struct hnv_stats *stats)
{
    return cmap_count(&stats->vsids);
}

/* Reads the packets, or if 'bytes' the bytes, of 'counter' of 'vsid'. */
static uint64_t
read_counter(const struct hnv_stats *stats, uint32_t vsid,
             enum hnv_counter counter, bool bytes)
{
    struct vsid_counters *vc = find_vsid(stats, vsid);
    uint64_t n = 0;

    if (vc && counter < HNV_N_COUNTERS) {
        atomic_read_relaxed(bytes ? &vc->bytes[counter] : &vc->n[counter],
                            &n);
    }
    return n;
}

uint64_t
hnv_stats_get(const struct hnv_stats *stats, uint32_t vsid,
              enum hnv_counter counter)
{
    return read_counter(stats, vsid, counter, false);
}

uint64_t
hnv_stats_get_bytes(const struct hnv_stats *stats, uint32_t vsid,
                    enum hnv_counter counter)
{
    return read_counter(stats, vsid, counter, true);
}

static void
format_vsid(const struct hnv_stats *stats, uint32_t vsid, bool with_bytes,
            struct ds *s)
{
    uint64_t drops = 0, drop_bytes = 0;

    if (vsid == HNV_STATS_OTHER_VSID) {
        ds_put_cstr(s, "other VSIDs (reserved, unknown or not bound on this "
                    "bridge):\n");
    } else {
        ds_put_format(s, "VSID %"PRIu32":\n", vsid);
    }
    for (int i = 0; i < HNV_CNT_DROP; i++) {
        ds_put_format(s, "  %s: %"PRIu64"\n", counter_names[i],
                      hnv_stats_get(stats, vsid, i));
        if (with_bytes) {
            ds_put_format(s, "  %s bytes: %"PRIu64"\n", counter_names[i],
                          hnv_stats_get_bytes(stats, vsid, i));
        }
    }
    for (int r = 0; r < HNV_N_DROP_REASONS; r++) {
        drops += hnv_stats_get(stats, vsid, hnv_counter_drop(r));
        drop_bytes += hnv_stats_get_bytes(stats, vsid, hnv_counter_drop(r));
    }
    ds_put_format(s, "  dropped: %"PRIu64"\n", drops);
    if (with_bytes) {
        ds_put_format(s, "  dropped bytes: %"PRIu64"\n", drop_bytes);
    }
    for (int r = 0; r < HNV_N_DROP_REASONS; r++) {
        enum hnv_counter c = hnv_counter_drop(r);
        uint64_t n = hnv_stats_get(stats, vsid, c);
        uint64_t bytes = hnv_stats_get_bytes(stats, vsid, c);

        if (n || (with_bytes && bytes)) {
            ds_put_format(s, "    %s: %"PRIu64" (%s)",
                          hnv_drop_reason_name(r), n,
                          hnv_drop_reason_text(r));
            if (with_bytes) {
                ds_put_format(s, ", %"PRIu64" bytes", bytes);
            }
            ds_put_char(s, '\n');
        }
    }
}

static void
format__(const struct hnv_stats *stats, uint32_t vsid, bool with_bytes,
         struct ds *s)
{
    if (vsid) {
        /* A VSID counted in the other bucket shows that bucket. */
        if (!find_vsid(stats, vsid)
            && !vsid_allowed(ovsrcu_get(struct vsid_set *, &stats->allowed),
                             vsid)) {
            vsid = HNV_STATS_OTHER_VSID;
        }
        format_vsid(stats, vsid, with_bytes, s);
        return;
    }

    size_t n = 0, allocated = cmap_count(&stats->vsids) + 1;
    uint32_t *vsids = xmalloc(allocated * sizeof *vsids);
    const struct vsid_counters *vc;
    bool other = false;

    CMAP_FOR_EACH (vc, cmap_node, &stats->vsids) {
        if (vc->vsid == HNV_STATS_OTHER_VSID) {
            other = true;
            continue;
        }
        if (n >= allocated) {
            vsids = x2nrealloc(vsids, &allocated, sizeof *vsids);
        }
        vsids[n++] = vc->vsid;
    }
    qsort(vsids, n, sizeof *vsids, compare_uint32);
    for (size_t i = 0; i < n; i++) {
        format_vsid(stats, vsids[i], with_bytes, s);
    }
    if (other) {
        format_vsid(stats, HNV_STATS_OTHER_VSID, with_bytes, s);
    }
    free(vsids);
}

void
hnv_stats_format(const struct hnv_stats *stats, uint32_t vsid, struct ds *s)
{
    format__(stats, vsid, false, s);
}

void
hnv_stats_format_bytes(const struct hnv_stats *stats, uint32_t vsid,
                       struct ds *s)
{
    format__(stats, vsid, true, s);
}

void
hnv_stats_clear(struct hnv_stats *stats)
{
    struct vsid_counters *vc;

    CMAP_FOR_EACH (vc, cmap_node, &stats->vsids) {
        for (int i = 0; i < HNV_N_COUNTERS; i++) {
            atomic_store_relaxed(&vc->n[i], 0);
            atomic_store_relaxed(&vc->bytes[i], 0);
        }
    }
}
