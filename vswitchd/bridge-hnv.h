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

/* The HNV tables of the switch database, applied to the host's policy.
 *
 * bridge.c calls in here at four points (patches/0005):
 *
 *   - bridge_hnv_init(): asks the IDL to track changes to the
 *     HNV_Lookup_Record, HNV_Customer_Route and HNV_Provider_Address tables,
 *     and not to replicate the columns the switch never reads.
 *
 *   - bridge_hnv_run(), on every pass of bridge_run(): applies the rows
 *     that changed since the last pass -- and only those -- to the host's
 *     'struct hnv_policy' (lib/hnv/hnv-policy.h), then commits the batch.
 *     The cost is proportional to the change, never to the size of the
 *     tables, and a change to any other table costs nothing here.
 *
 *   - bridge_hnv_configure(), for each bridge in bridge_reconfigure(): hands
 *     the bridge's HNV settings (Bridge.hnv) and the policy to ofproto
 *     (ofproto_set_hnv()).  The settings carry the policy's change count,
 *     so a committed policy change makes ofproto revalidate its datapath
 *     flows.  (Any database change, HNV rows included, makes bridge_run()
 *     reconfigure, so this runs after every committed batch.)
 *
 *   - bridge_hnv_exit().
 *
 * A row that does not parse (a writer other than ovs-hnvctl can store any
 * string) is left out of the policy, logged (rate-limited) and counted in
 * the coverage counter "hnv_bad_row".  When the IDL resynchronises with the
 * database (after a reconnection it re-sends every row, and deletions made
 * meanwhile were never tracked), the policy is swept of rows that no longer
 * exist.  Everything here runs in the main thread, the policy's single
 * writer.
 *
 * Known cost: any database change, HNV rows included, makes bridge_run()
 * reconfigure every bridge and revalidate every datapath flow of the HNV
 * bridges.  That is O(bridges and ports), independent of the size of the
 * policy, but could be avoided for HNV-only changes. */

struct ofproto;
struct ovsdb_idl;
struct ovsrec_bridge;

void bridge_hnv_init(struct ovsdb_idl *);
void bridge_hnv_run(struct ovsdb_idl *);
void bridge_hnv_configure(struct ofproto *, const struct ovsrec_bridge *);
void bridge_hnv_exit(void);


#endif /* bridge-hnv.h */
