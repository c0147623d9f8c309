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

#ifndef HNV_STAGE_H
#define HNV_STAGE_H 1

/* The HNV forwarding decision (HNV-SPEC section 3).
 *
 * What the HNV stage of NORMAL does with a packet is decided here, from the
 * host policy (hnv-policy.h) and the packet's flow, and nothing else: no
 * ports, no MAC learning, no datapath.  The translation layer
 * (ofproto-dpif-hnv.c, called from NORMAL) carries the decision out --
 * composes the ARP or ND reply, rewrites the MACs and the TTL, outputs to a
 * VM port or encapsulates into the bridge's NVGRE tunnel port -- and
 * "ovs-appctl hnv/lookup" and "ofproto/trace" explain it in words, so the
 * three can never disagree.
 *
 * Two entry points, one per direction:
 *
 *   - hnv_stage_from_vm(): a frame from a VM port bound to a VSID, which
 *     NORMAL did not switch locally (broadcast, multicast, unknown unicast,
 *     a gateway MAC).  ARP requests and IPv6 neighbor solicitations are
 *     answered from the records; IP unicast is forwarded by destination
 *     address, routed when it is addressed to the VSID's gateway MAC;
 *     everything else is dropped, with a reason.
 *
 *   - hnv_stage_from_tunnel(): a frame decapsulated from NVGRE, with the
 *     VSID in the GRE key.  Its inner source must live at the outer source
 *     PA; its destination must live on this host.
 *
 * Megaflows: each function un-wildcards in 'wc' (if nonnull) exactly the
 * fields it read, on every path, so that a datapath flow installed for the
 * decision matches only packets that would get the same decision.  The
 * fields are the addresses and the few protocol fields of the rules, never
 * the transport ports: traffic between two VMs needs a number of datapath
 * flows that does not grow with their connections.  A routed destination is
 * matched on as many leading bits as the route lookup examined.
 *
 * Thread safety: the functions only read the policy, so they run in any
 * thread inside an RCU read-side section (see hnv-policy.h); the records
 * and routes a decision points to are valid until the caller's next
 * quiescent state. */

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>
#include "openvswitch/types.h"
#include "packets.h"

struct ds;
struct flow;
struct flow_wildcards;
struct hnv_policy;
struct hnv_record;
struct hnv_route;

/* Why the stage dropped a packet.  Each reason has a coverage counter,
 * "hnv_drop_<name>", incremented by hnv_stage_count_drop(). */
#define HNV_DROP_REASONS                                                    \
    HNV_DROP_REASON(NOT_IP, not_ip,                                         \
                    "neither IPv4 nor IPv6")                                \
    HNV_DROP_REASON(TAGGED, tagged,                                         \
                    "802.1Q-tagged frame")                                  \
    HNV_DROP_REASON(MULTICAST, multicast,                                   \
                    "broadcast or multicast")                               \
    HNV_DROP_REASON(ARP_NOT_REQUEST, arp_not_request,                       \
                    "ARP reply or other ARP operation")                     \
    HNV_DROP_REASON(ADDRESS_PROBE, address_probe,                           \
                    "address probe (ARP from 0.0.0.0, IPv6 DAD)")           \
    HNV_DROP_REASON(GRATUITOUS, gratuitous,                                 \
                    "gratuitous ARP")                                       \
    HNV_DROP_REASON(ND_OTHER, nd_other,                                     \
                    "neighbor discovery other than a solicitation")         \
    HNV_DROP_REASON(SPOOFED, spoofed,                                       \
                    "source address and MAC match no local record")         \
    HNV_DROP_REASON(NO_RECORD, no_record,                                   \
                    "no lookup record for the destination")                 \
    HNV_DROP_REASON(NO_ROUTE, no_route,                                     \
                    "no customer route for the destination")                \
    HNV_DROP_REASON(NO_GATEWAY, no_gateway,                                 \
                    "the destination VSID has no gateway record")           \
    HNV_DROP_REASON(TTL_EXPIRED, ttl_expired,                               \
                    "TTL or hop limit expired")                             \
    HNV_DROP_REASON(GATEWAY_PA, gateway_pa,                                 \
                    "the record's PA is the gateway PA, never a tunnel "    \
                    "destination")                                          \
    HNV_DROP_REASON(NAT, nat,                                               \
                    "rule nat is not supported")                            \
    HNV_DROP_REASON(NO_LOCAL_PA, no_local_pa,                               \
                    "no local provider address of the PA's family")         \
    HNV_DROP_REASON(RESERVED_VSID, reserved_vsid,                           \
                    "reserved VSID in the GRE key")                         \
    HNV_DROP_REASON(GRE_CHECKSUM, gre_checksum,                             \
                    "GRE checksum present (RFC 7637: C must be 0)")         \
    HNV_DROP_REASON(TUNNEL_SPOOFED, tunnel_spoofed,                         \
                    "inner source does not live at the outer source PA")    \
    HNV_DROP_REASON(NOT_LOCAL, not_local,                                   \
                    "destination does not live on this host")               \
    HNV_DROP_REASON(NO_TUNNEL_PORT, no_tunnel_port,                         \
                    "the bridge has no NVGRE tunnel port")

enum hnv_drop_reason {
#define HNV_DROP_REASON(ENUM, NAME, TEXT) HNV_DROP_##ENUM,
    HNV_DROP_REASONS
#undef HNV_DROP_REASON
    HNV_N_DROP_REASONS
};

const char *hnv_drop_reason_name(enum hnv_drop_reason);  /* "no_record" */
const char *hnv_drop_reason_text(enum hnv_drop_reason);  /* In words. */

/* Adds 'n' to the coverage counter of 'reason': for the caller to use once
 * per dropped packet (not when translating without a packet, as
 * revalidators do). */
void hnv_stage_count_drop(enum hnv_drop_reason, unsigned int n);

enum hnv_action {
    HNV_ACTION_DROP,            /* 'drop' says why. */
    HNV_ACTION_ARP_REPLY,       /* Answer the ARP request: 'reply_mac' has
                                 * 'target'. */
    HNV_ACTION_ND_ADVERT,       /* Answer the neighbor solicitation with an
                                 * advertisement: 'reply_mac' has 'target'. */
    HNV_ACTION_DELIVER,         /* Output to the VM port of 'vsid' where
                                 * 'dl_dst' lives, with 'dl_src', 'dl_dst'
                                 * and, if 'dec_ttl', TTL - 1. */
    HNV_ACTION_ENCAP,           /* The same frame, encapsulated in NVGRE
                                 * from 'local_pa' to 'remote_pa' with
                                 * 'key'. */
};

struct hnv_decision {
    enum hnv_action action;
    enum hnv_drop_reason drop;          /* HNV_ACTION_DROP only. */

    uint32_t in_vsid;                   /* VSID of the input port or key. */
    uint32_t vsid;                      /* VSID the packet leaves in. */

    /* Whether the sender's source address and MAC passed source validation
     * (from a VM port: a packet dropped before validation, or that has no
     * source address, says false). */
    bool source_valid;
    const struct hnv_record *source;    /* The record that validated it:
                                         * its PA is the outer source of
                                         * an encapsulation. */

    /* How the destination was resolved (any action; NULL if not reached). */
    const struct hnv_route *route;      /* Nonnull if routed. */
    const struct hnv_record *record;    /* Destination or ARP/ND target. */

    /* ARP_REPLY, ND_ADVERT. */
    struct in6_addr target;
    struct eth_addr reply_mac;

    /* DELIVER, ENCAP: the frame on the way out. */
    struct eth_addr dl_src, dl_dst;
    bool dec_ttl;

    /* ENCAP. */
    struct in6_addr local_pa, remote_pa;
    uint32_t key;                       /* VSID << 8 | FlowID. */
};

void hnv_stage_from_vm(const struct hnv_policy *, uint32_t vsid,
                       const struct flow *, struct flow_wildcards *,
                       struct hnv_decision *);
void hnv_stage_from_tunnel(const struct hnv_policy *, const struct flow *,
                           struct flow_wildcards *, struct hnv_decision *);

/* The source validation of hnv_stage_from_vm() alone (HNV-SPEC 3.1 step 3),
 * for frames that NORMAL switches locally and for MAC learning.  IPv4, IPv6
 * and ARP frames with a source address are VALID or SPOOFED; other frames
 * (another ethertype, an ARP probe, an IPv6 packet from ::) have no source
 * address to validate: NONE. */
enum hnv_source {
    HNV_SOURCE_NONE,
    HNV_SOURCE_VALID,
    HNV_SOURCE_SPOOFED,
};
enum hnv_source hnv_stage_check_source(const struct hnv_policy *,
                                       uint32_t vsid, const struct flow *,
                                       struct flow_wildcards *);

/* Whether a frame from a VM port of 'vsid' may take local layer 2 (HNV-SPEC
 * 3.1 step 1) if its destination MAC was learned on a port of the VSID:
 * the frame is untagged unicast, and the destination MAC is that of a
 * record of the VSID (of the frame's address family, if it is IPv4, ARP or
 * IPv6) that lives on this host.  When a VM's record moves to another host
 * (live migration), frames to it thus go to the stage, which forwards
 * them by IP to the new host, at once, even while the old port and its
 * learned MAC still exist here. */
bool hnv_stage_switch_locally(const struct hnv_policy *, uint32_t vsid,
                              const struct flow *, struct flow_wildcards *);

/* Appends to 's' the decision in words, one line without a newline, e.g.
 * "routed by 10.0.2.0/24 to VSID 5002; record 10.0.2.6 at PA 192.168.1.2:
 * NVGRE from 192.168.1.1, key 0x138a00". */
void hnv_decision_format(const struct hnv_decision *, struct ds *);

#endif /* hnv-stage.h */
