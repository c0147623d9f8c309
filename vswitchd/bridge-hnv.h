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

#ifndef VSWITCHD_BRIDGE_HNV_H
#define VSWITCHD_BRIDGE_HNV_H 1

#include <stdbool.h>

/* The HNV policy tables of the switch database, applied to the host's
 * policy (lib/hnv/hnv-policy.h).
 *
 * The policy tables (HNV_Lookup_Record, HNV_Customer_Route,
 * HNV_Provider_Address) can hold millions of rows.  ovs-vswitchd's main IDL
 * would keep a full copy of each row (well over a kilobyte per lookup
 * record) and reconfigure every bridge on each change, so the policy tables
 * take another way in:
 *
 *   - bridge_hnv_init() removes the policy tables from the main IDL.  When
 *     the first bridge enables HNV, a second, lightweight monitor of the
 *     same database opens (lib/ovsdb-cs.h, the layer under the IDL) for
 *     just the columns the switch reads: a switch without HNV keeps stock
 *     Open vSwitch's database connections.  It uses monitor version 1, in which a modified row
 *     arrives whole, so no row is kept here: each update is parsed and
 *     applied straight to the policy, and the policy is the only copy.
 *
 *   - bridge_hnv_run(), on every pass of bridge_run(), applies the updates
 *     that arrived -- only the rows that changed, deletions first -- then
 *     commits the batch; when the commit changed anything that forwarding
 *     reads, the HNV bridges revalidate their datapath flows.  Nothing here
 *     reconfigures the bridges, and changes to other tables cost nothing
 *     here.  The reply to each new monitor (at start and after every
 *     reconnection) holds the tables' whole content: the policy is swept of
 *     rows deleted while the connection was down.
 *
 *   - bridge_hnv_configure(), for each bridge in bridge_reconfigure(), hands
 *     the bridge's settings (Bridge.hnv, which stays in the main IDL) and
 *     the policy to ofproto (ofproto_set_hnv()).
 *
 *   - bridge_hnv_set_cur_cfg() and bridge_hnv_cur_cfg_behind(), for
 *     bridge_run(): Open_vSwitch's cur_cfg, which clients wait for, does
 *     not reach a next_cfg before the policy rows written with it are in
 *     the policy (so "ovs-hnvctl returns" means "the switch uses it").
 *
 *   - bridge_hnv_wait() and bridge_hnv_exit().
 *
 * A row that does not parse (a writer other than ovs-hnvctl can store any
 * string) is left out of the policy, logged (rate-limited) and counted in
 * the coverage counter "hnv_bad_row".  Everything here runs in the main
 * thread, the policy's single writer. */

struct ofproto;
struct ovsdb_idl;
struct ovsrec_bridge;
struct ovsrec_open_vswitch;

void bridge_hnv_init(const char *remote, struct ovsdb_idl *);
void bridge_hnv_run(void);
void bridge_hnv_wait(void);
void bridge_hnv_configure(struct ofproto *, const struct ovsrec_bridge *);
void bridge_hnv_set_cur_cfg(const struct ovsrec_open_vswitch *);
bool bridge_hnv_cur_cfg_behind(const struct ovsrec_open_vswitch *);
void bridge_hnv_exit(void);

#endif /* bridge-hnv.h */
