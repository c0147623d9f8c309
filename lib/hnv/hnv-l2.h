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

#ifndef HNV_L2_H
#define HNV_L2_H 1

/* Where the VMs of a bridge are: a MAC learning table scoped by VSID.
 *
 * On an HNV bridge a VM port belongs to one VSID, and each VSID is a layer-2
 * domain of its own: two tenants may use the same MACs.  Stock MAC learning
 * (lib/mac-learning.h) is keyed by a 12-bit VLAN and cannot tell them apart,
 * so the HNV stage learns here instead, under the key (VSID, MAC).
 *
 * The HNV stage learns only from frames whose source passed HNV source
 * validation (a local lookup record, or a local wildcard record, has that
 * MAC), so the table holds at most one entry per local record and needs no
 * aging: an entry leaves when its port leaves the VSID or the bridge
 * (hnv_l2_flush_port()), or moves when the MAC shows up on another port.
 *
 * Thread safety
 * =============
 *
 * Lookups are lock-free (a cmap, RCU): any thread may call hnv_l2_lookup()
 * and use the result until its next quiescent state.  Changes (learning
 * from handler threads, flushing from the main thread) are serialised by a
 * mutex.  Each change that could make an existing datapath flow wrong (a
 * new entry: flows that flooded to an unknown MAC; a MAC that moved) bumps
 * hnv_l2_seq(), which the main thread watches to revalidate the bridge's
 * flows. */

#include <stdbool.h>
#include <stdint.h>
#include "openvswitch/types.h"
#include "packets.h"

struct hnv_l2;
struct seq;

struct hnv_l2 *hnv_l2_create(void);
void hnv_l2_destroy(struct hnv_l2 *);

/* Returns the port where 'mac' was learned in 'vsid', or OFPP_NONE. */
ofp_port_t hnv_l2_lookup(const struct hnv_l2 *, uint32_t vsid,
                         struct eth_addr mac);

/* Records that 'mac' of 'vsid' is behind 'port'.  Returns true if this
 * changed the table (new or moved entry). */
bool hnv_l2_learn(struct hnv_l2 *, uint32_t vsid, struct eth_addr mac,
                  ofp_port_t port);

/* Forgets every MAC learned on 'port'. */
void hnv_l2_flush_port(struct hnv_l2 *, ofp_port_t port);

/* Changes when the table changes (hnv_l2_learn() returned true, or a flush
 * removed entries). */
struct seq *hnv_l2_seq(const struct hnv_l2 *);

size_t hnv_l2_count(const struct hnv_l2 *);

/* A copy of the table for introspection: '*n' entries sorted by VSID, then
 * MAC, in an array that the caller frees. */
struct hnv_l2_entry {
    uint32_t vsid;
    struct eth_addr mac;
    ofp_port_t port;
};
struct hnv_l2_entry *hnv_l2_dump(const struct hnv_l2 *, size_t *n);

#endif /* hnv-l2.h */
