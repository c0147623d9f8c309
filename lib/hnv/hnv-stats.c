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
#include "openvswitch/dynamic-string.h"
#include "ovs-atomic.h"
#include "ovs-thread.h"
#include "util.h"

/* The counters of one VSID.  Never removed before the whole table. */
struct vsid_counters {
    struct cmap_node cmap_node;             /* In 'hnv_stats->vsids'. */
    uint32_t vsid;
    atomic_uint64_t n[HNV_N_COUNTERS];
};

struct hnv_stats {
    struct cmap vsids;                      /* Contains vsid_counters. */
    struct ovs_mutex mutex;                 /* Serialises insertions. */
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

void
hnv_stats_unref(struct hnv_stats *stats)
{
    if (stats && ovs_refcount_unref_relaxed(&stats->ref_cnt) == 1) {
        struct vsid_counters *vc;

        CMAP_FOR_EACH (vc, cmap_node, &stats->vsids) {
            free(vc);
        }
        cmap_destroy(&stats->vsids);
        ovs_mutex_destroy(&stats->mutex);
        free(stats);
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

static struct vsid_counters *
find_or_add_vsid(struct hnv_stats *stats, uint32_t vsid)
{
    struct vsid_counters *vc = find_vsid(stats, vsid);

    if (!vc) {
        ovs_mutex_lock(&stats->mutex);
        vc = find_vsid(stats, vsid);
        if (!vc) {
            vc = xzalloc(sizeof *vc);
            vc->vsid = vsid;
            for (int i = 0; i < HNV_N_COUNTERS; i++) {
                atomic_init(&vc->n[i], 0);
            }
            cmap_insert(&stats->vsids, &vc->cmap_node, hash_int(vsid, 0));
        }
        ovs_mutex_unlock(&stats->mutex);
    }
    return vc;
}

void
hnv_stats_add(struct hnv_stats *stats, uint32_t vsid,
              enum hnv_counter counter, uint64_t n)
{
    if (n && counter < HNV_N_COUNTERS) {
        struct vsid_counters *vc = find_or_add_vsid(stats, vsid);
        uint64_t orig;

        atomic_add_relaxed(&vc->n[counter], n, &orig);
        if (counter >= HNV_CNT_DROP) {
            hnv_stage_count_drop(counter - HNV_CNT_DROP, n);
        }
    }
}

uint64_t
hnv_stats_get(const struct hnv_stats *stats, uint32_t vsid,
              enum hnv_counter counter)
{
    struct vsid_counters *vc = find_vsid(stats, vsid);
    uint64_t n = 0;

    if (vc && counter < HNV_N_COUNTERS) {
        atomic_read_relaxed(&vc->n[counter], &n);
    }
    return n;
}

static int
compare_uint32(const void *a_, const void *b_)
{
    uint32_t a = *(const uint32_t *) a_, b = *(const uint32_t *) b_;

    return a < b ? -1 : a > b;
}

static void
format_vsid(const struct hnv_stats *stats, uint32_t vsid, struct ds *s)
{
    uint64_t drops = 0;

    ds_put_format(s, "VSID %"PRIu32":\n", vsid);
    for (int i = 0; i < HNV_CNT_DROP; i++) {
        ds_put_format(s, "  %s: %"PRIu64"\n", counter_names[i],
                      hnv_stats_get(stats, vsid, i));
    }
    for (int r = 0; r < HNV_N_DROP_REASONS; r++) {
        drops += hnv_stats_get(stats, vsid, hnv_counter_drop(r));
    }
    ds_put_format(s, "  dropped: %"PRIu64"\n", drops);
    for (int r = 0; r < HNV_N_DROP_REASONS; r++) {
        uint64_t n = hnv_stats_get(stats, vsid, hnv_counter_drop(r));
        if (n) {
            ds_put_format(s, "    %s: %"PRIu64" (%s)\n",
                          hnv_drop_reason_name(r), n,
                          hnv_drop_reason_text(r));
        }
    }
}

void
hnv_stats_format(const struct hnv_stats *stats, uint32_t vsid, struct ds *s)
{
    if (vsid) {
        format_vsid(stats, vsid, s);
        return;
    }

    size_t n = 0, allocated = cmap_count(&stats->vsids) + 1;
    uint32_t *vsids = xmalloc(allocated * sizeof *vsids);
    const struct vsid_counters *vc;

    CMAP_FOR_EACH (vc, cmap_node, &stats->vsids) {
        if (n >= allocated) {
            vsids = x2nrealloc(vsids, &allocated, sizeof *vsids);
        }
        vsids[n++] = vc->vsid;
    }
    qsort(vsids, n, sizeof *vsids, compare_uint32);
    for (size_t i = 0; i < n; i++) {
        format_vsid(stats, vsids[i], s);
    }
    free(vsids);
}

void
hnv_stats_clear(struct hnv_stats *stats)
{
    struct vsid_counters *vc;

    CMAP_FOR_EACH (vc, cmap_node, &stats->vsids) {
        for (int i = 0; i < HNV_N_COUNTERS; i++) {
            atomic_store_relaxed(&vc->n[i], 0);
        }
    }
}
