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

#ifndef OFPROTO_DPIF_HNV_H
#define OFPROTO_DPIF_HNV_H 1

/* The HNV stage of an ofproto-dpif bridge: NORMAL for HNV-enabled bridges.
 *
 * Settings
 * ========
 *
 * ofproto_set_hnv() (ofproto.h) reaches ofproto_dpif_set_hnv() through the
 * ofproto class (patches/0006) with the host policy (owned by vswitchd,
 * lib/hnv/hnv-policy.h), the name of the bridge's NVGRE tunnel port, the
 * VSID of each VM port (Port.hnv_vsid) and the HNV options.  The bridge
 * keeps them in a 'struct ofproto_dpif_hnv', which only the main thread
 * touches, and publishes for translation an immutable snapshot with the
 * ports resolved to OpenFlow port numbers ('struct hnv_xbridge', in
 * 'ofproto_dpif->hnv_xbridge', RCU).  The snapshot is rebuilt when the
 * settings change and after ofproto constructs or destructs a port of the
 * bridge (patches/0011), since port numbers exist only between those two
 * points.  Whenever the snapshot changes, the
 * policy's change count moves (a record or route changed) or the bridge's
 * VSID-scoped MAC table changes (lib/hnv/hnv-l2.h), the bridge's datapath
 * flows are revalidated, so that existing flows follow the new policy.
 *
 * Forwarding
 * ==========
 *
 * xlate_normal() (patches/0009) hands ofproto_dpif_hnv_xlate_normal() every
 * frame that arrives on an HNV bridge, before MAC learning.  Frames from a
 * VM port or from the tunnel port are the HNV stage's; frames from any
 * other port ("unbound ports") go on through stock NORMAL, which never
 * floods them to VM ports or the tunnel port
 * (ofproto_dpif_hnv_port_is_reserved()).  Tenants and the stock ports are
 * thus isolated from each other on the bridge.
 *
 * From a VM port of VSID V (HNV-SPEC 3.1):
 *
 *   1. Local layer 2 first: unicast to a MAC learned in V on another port
 *      is output there, unchanged, once the source passed validation
 *      (hnv_stage_check_source(): a spoofed IP or ARP source is dropped;
 *      a frame with no source address, e.g. another ethertype, passes).
 *      Gateway MACs are never learned: their records' PA is not local.
 *
 *   2. Anything else goes to hnv_stage_from_vm() (lib/hnv/hnv-stage.h),
 *      and its decision is carried out here: an ARP reply or neighbor
 *      advertisement composed by ovs-vswitchd and sent out the input port
 *      (the datapath flow is slow-pathed, so every request reaches
 *      ovs-vswitchd and gets its answer); output to the VM port of the
 *      destination VSID where the destination MAC was learned (to all that
 *      VSID's VM ports while it is unknown); or encapsulation: the tunnel
 *      metadata is set -- destination and source PA, key = VSID << 8 |
 *      FlowID, key and DF flags -- and the frame is output to the tunnel
 *      port, which becomes set(tunnel(...)) and an output to the gre vport
 *      or, with native tunnelling, tnl_push() and the underlay bridge.
 *      MAC rewrites and the TTL decrement are changes to the flow that the
 *      translation commits as datapath set actions before the output.
 *
 * In both cases a (V, source MAC) whose source passed validation is learned
 * on the input port, so the MAC table holds validated senders only.
 *
 * From the tunnel port (HNV-SPEC 3.2): hnv_stage_from_tunnel() decides;
 * delivery is to the VM port of the VSID where the destination MAC lives.
 *
 * The decision reads only the flow and the policy, and un-wildcards what it
 * reads, so every decision is an ordinary datapath flow whose mask covers
 * the addresses involved and never the transport ports.
 *
 * Counters: each packet the stage handles is counted per VSID
 * (lib/hnv/hnv-stats.h) -- directly for the packet being translated, and
 * through the flow's translation cache for the packets that the datapath
 * flow forwards afterwards (patches/0010).
 *
 * Unixctl commands (registered by ofproto_dpif_hnv_init()):
 *
 *   hnv/show [BRIDGE]             the policy in use, each bridge's tunnel
 *                                 port, VM ports and learned MACs
 *   hnv/lookup BRIDGE VSID ADDR   what the policy says about a packet to
 *                                 ADDR from a VM of VSID, and where the
 *                                 bridge sends it
 *   hnv/stats [BRIDGE [VSID]]     the per-VSID counters
 *   hnv/stats-clear [BRIDGE]      zeroes them
 *
 * Thread safety: the settings functions and the unixctl commands run in the
 * main thread.  ofproto_dpif_hnv_xlate_normal() and
 * ofproto_dpif_hnv_port_is_reserved() run in any thread that translates
 * (handlers, revalidators, the main thread for ofproto/trace) and read only
 * the RCU-protected snapshot, the policy (RCU) and the MAC table (RCU). */

#include <stdbool.h>
#include <stdint.h>
#include "odp-util.h"
#include "openvswitch/types.h"

struct flow_wildcards;
struct hnv_policy;
struct ofproto;
struct ofproto_dpif;
struct ofproto_hnv_settings;
struct xlate_ctx;
struct xlate_in;

void ofproto_dpif_hnv_init(void);
int ofproto_dpif_set_hnv(struct ofproto *,
                         const struct ofproto_hnv_settings *);
void ofproto_dpif_hnv_destroy(struct ofproto_dpif *);

/* Tells every bridge that uses 'policy' that it changed ('seqno' is its new
 * change count): each revalidates its datapath flows. */
void ofproto_dpif_hnv_policy_changed(const struct hnv_policy *policy,
                                     uint64_t seqno);

/* Tells 'ofproto''s HNV stage, if any, that ofproto is constructing or
 * destructing one of its ports (patches/0011): the snapshot is checked on
 * the next ofproto_dpif_hnv_run(). */
void ofproto_dpif_hnv_port_changed(struct ofproto_dpif *);

/* Main loop: republish the snapshots of the bridges whose ports changed and
 * revalidate the bridges whose VSID-scoped MAC table changed. */
void ofproto_dpif_hnv_run(void);
void ofproto_dpif_hnv_wait(void);

/* What the HNV stage needs of a translation in progress (filled in by
 * xlate_normal(), patches/0009). */
struct xlate_hnv {
    struct xlate_ctx *ctx;          /* For xlate_hnv_output(). */
    struct xlate_in *xin;           /* Flow, packet, trace, cache, stats. */
    struct flow_wildcards *wc;      /* The datapath flow's mask. */
    enum slow_path_reason *slow;    /* The datapath flow's slow-path reason. */
    ofp_port_t in_port;
};

/* Translates NORMAL for a frame that arrived on 'in_port' of 'ofproto', if
 * it is the HNV stage's, and returns true; returns false for stock
 * NORMAL. */
bool ofproto_dpif_hnv_xlate_normal(struct ofproto_dpif *,
                                   const struct xlate_hnv *);

/* Whether 'port' of 'ofproto' is a VM port or the tunnel port of an HNV
 * bridge, which stock NORMAL must not flood to. */
bool ofproto_dpif_hnv_port_is_reserved(const struct ofproto_dpif *,
                                       ofp_port_t port);

#endif /* ofproto-dpif-hnv.h */
