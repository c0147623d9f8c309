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

/* Per-VSID packet and byte counters of an HNV bridge ("ovs-appctl
 * hnv/stats").
 *
 * The HNV stage counts what it does with packets, per VSID, in packets and
 * in bytes: encapsulated,
 * decapsulated, delivered locally, ARP and ND answers, and drops by reason
 * (hnv-stage.h).  Most packets never reach ovs-vswitchd -- the datapath
 * forwards them with the flows the stage installed -- so counting is done
 * the way OpenFlow rule statistics are: the translation of a packet counts
 * it at once, and leaves a "hnv" entry in the flow's translation cache
 * (ofproto-dpif-xlate-cache.h, patches/0010), so that the revalidators add
 * the datapath flow's packets and bytes later.  Bytes are those of the
 * frame the translation sees, as the datapath flow's statistics count it:
 * for a packet encapsulated, the inner Ethernet frame from the VM (no
 * outer headers); for one decapsulated, the inner frame (with native
 * tunnelling, the flow after tnl_pop counts the inner frame too).  A drop
 * also adds its packets to the coverage counter of its reason.
 *
 * Bounded table
 * =============
 *
 * The VSID counted under often comes from the wire (key >> 8 of a GRE key),
 * so the table must not grow with what an underlay host sends.  The owner
 * of the bridge says which VSIDs may have counters of their own
 * (hnv_stats_set_vsids(); ofproto-dpif-hnv.c gives those of the VM ports
 * bound on the bridge).  Everything else -- a reserved
 * VSID, one not in the set, or any VSID once the table is full -- is
 * counted in one bucket, HNV_STATS_OTHER_VSID, which hnv_stats_format()
 * lists last, as "other VSIDs (reserved, unknown or not bound on this
 * bridge)".  The table therefore never holds more than the set's size + 1
 * entries.  Until the first hnv_stats_set_vsids() call any valid VSID may
 * have counters, up to HNV_STATS_MAX_UNBOUNDED of them.
 *
 * When a VSID leaves the set, its counters are dropped, not folded into the
 * other bucket: that bucket counts what was sent to VSIDs the bridge did not
 * serve, and a VSID that was bound had traffic of its own.  Packets counted
 * for it afterwards (say, by the revalidators, for a datapath flow installed
 * while it was bound) go to the other bucket; if it comes back it starts
 * from zero.
 *
 * Thread safety
 * =============
 *
 * Counters are atomics in a cmap, created on first use under a mutex; any
 * thread may add to them and read them.  hnv_stats_set_vsids() is for one
 * thread at a time (the main thread); it removes entries while other
 * threads add, so removed entries are freed after an RCU grace period.
 *
 * The object is reference-counted, because translation caches outlive the
 * bridge's settings.  The last hnv_stats_unref() frees it after an RCU
 * grace period, so a thread that found it through an RCU-protected pointer
 * (the bridge's snapshot) may add to it without a reference of its own
 * until its next quiescent state. */

#include <stdbool.h>
#include <stddef.h>
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

/* The bucket of everything that has no counters of its own. */
#define HNV_STATS_OTHER_VSID 0

/* Most VSIDs with counters of their own before hnv_stats_set_vsids() is
 * first called. */
#define HNV_STATS_MAX_UNBOUNDED 4096

struct hnv_stats *hnv_stats_create(void);
struct hnv_stats *hnv_stats_ref(struct hnv_stats *);
void hnv_stats_unref(struct hnv_stats *);

/* Adds 'n_packets' packets and 'n_bytes' bytes to 'counter' of 'vsid' --
 * or of HNV_STATS_OTHER_VSID if 'vsid' may not have counters of its own
 * (see above) -- and, for a drop counter, the packets to the reason's
 * coverage counter too. */
void hnv_stats_add_traffic(struct hnv_stats *, uint32_t vsid,
                           enum hnv_counter, uint64_t n_packets,
                           uint64_t n_bytes);

/* The same with no bytes: hnv_stats_add_traffic(..., n, 0).  For the unit
 * tests that predate byte counters (tests/test-hnv.c); the switch counts
 * with hnv_stats_add_traffic(). */
void hnv_stats_add(struct hnv_stats *, uint32_t vsid, enum hnv_counter,
                   uint64_t n);

/* Reads the packets, or the bytes, of 'counter' of 'vsid' (0 if it has no
 * counters of its own); HNV_STATS_OTHER_VSID reads the other bucket. */
uint64_t hnv_stats_get(const struct hnv_stats *, uint32_t vsid,
                       enum hnv_counter);
uint64_t hnv_stats_get_bytes(const struct hnv_stats *, uint32_t vsid,
                             enum hnv_counter);

/* Main thread: from now on only the 'n' VSIDs in 'vsids' (in any order,
 * duplicates and reserved VSIDs ignored) may have counters of their own.
 * Removes the counters of every other VSID.  O(n log n + entries). */
void hnv_stats_set_vsids(struct hnv_stats *, const uint32_t *vsids,
                         size_t n);

/* The number of entries in the table, the other bucket included once
 * something was counted in it. */
size_t hnv_stats_count_vsids(const struct hnv_stats *);

/* Appends the counters of 'vsid', or if 'vsid' is 0 of every VSID that has
 * counters, one block per VSID in increasing order, then the other bucket
 * (if anything was counted in it); only nonzero drop reasons are listed.
 * For a 'vsid' that may not have counters of its own (reserved, or not in
 * the set), the block is the other bucket's, since that is where it is
 * counted.
 *
 * hnv_stats_format_bytes() is what "hnv/stats" prints: every "  NAME: N"
 * line of packets is followed by "  NAME bytes: N", and each drop reason
 * line "    REASON: N (TEXT)" ends in ", N bytes".  The packet lines are
 * those of hnv_stats_format(), which prints packets only, so that the
 * tests' and tools' "grep -x '  encapsulated: 3'" keep matching and a
 * reason line cut at " (" still reads "    REASON: N". */
void hnv_stats_format(const struct hnv_stats *, uint32_t vsid, struct ds *);
void hnv_stats_format_bytes(const struct hnv_stats *, uint32_t vsid,
                            struct ds *);

/* Sets every counter to zero. */
void hnv_stats_clear(struct hnv_stats *);

#endif /* hnv-stats.h */
