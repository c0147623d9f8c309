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

#ifndef HNV_STATS_H
#define HNV_STATS_H 1

/* Per-VSID packet counters of an HNV bridge ("ovs-appctl hnv/stats").
 *
 * The HNV stage counts what it does with packets, per VSID: encapsulated,
 * decapsulated, delivered locally, ARP and ND answers, and drops by reason
 * (hnv-stage.h).  Most packets never reach ovs-vswitchd -- the datapath
 * forwards them with the flows the stage installed -- so counting is done
 * the way OpenFlow rule statistics are: the translation of a packet counts
 * it at once, and leaves a "hnv" entry in the flow's translation cache
 * (ofproto-dpif-xlate-cache.h, patches/0010), so that the revalidators add
 * the datapath flow's packets later.  A drop also adds to the coverage
 * counter of its reason.
 *
 * Thread safety: counters are atomics in a cmap, created on first use under
 * a mutex; any thread may add to them and read them.  The object is
 * reference-counted, because translation caches outlive the bridge's
 * settings. */

#include <stdint.h>
#include "hnv/hnv-stage.h"

struct ds;

enum hnv_counter {
    HNV_CNT_ENCAP,              /* Encapsulated into NVGRE. */
    HNV_CNT_DECAP,              /* From NVGRE, delivered to a VM. */
    HNV_CNT_LOCAL,              /* From a VM, delivered to a VM here. */
    HNV_CNT_ROUTED,             /* Routed by the distributed gateway (also
                                 * counted as ENCAP or LOCAL). */
    HNV_CNT_ARP_REPLY,          /* ARP requests answered. */
    HNV_CNT_ND_ADVERT,          /* Neighbor solicitations answered. */
    HNV_CNT_DROP,               /* Dropped: one counter per reason, from
                                 * HNV_CNT_DROP + HNV_DROP_*. */
    HNV_N_COUNTERS = HNV_CNT_DROP + HNV_N_DROP_REASONS
};

static inline enum hnv_counter
hnv_counter_drop(enum hnv_drop_reason reason)
{
    return HNV_CNT_DROP + reason;
}

struct hnv_stats *hnv_stats_create(void);
struct hnv_stats *hnv_stats_ref(struct hnv_stats *);
void hnv_stats_unref(struct hnv_stats *);

/* Adds 'n' packets to 'counter' of 'vsid'; for a drop counter, to the
 * reason's coverage counter too. */
void hnv_stats_add(struct hnv_stats *, uint32_t vsid, enum hnv_counter,
                   uint64_t n);

/* Reads 'counter' of 'vsid' (0 if never counted). */
uint64_t hnv_stats_get(const struct hnv_stats *, uint32_t vsid,
                       enum hnv_counter);

/* Appends the counters of 'vsid', or of every VSID counted so far if 'vsid'
 * is 0, one block per VSID in increasing order; only nonzero drop reasons
 * are listed. */
void hnv_stats_format(const struct hnv_stats *, uint32_t vsid, struct ds *);

/* Sets every counter to zero. */
void hnv_stats_clear(struct hnv_stats *);

#endif /* hnv-stats.h */
