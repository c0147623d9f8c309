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
#include "hnv/hnv-stage.h"

#include <string.h>
#include "coverage.h"
#include "flow.h"
#include "hnv/hnv-policy.h"
#include "hnv/hnv-route.h"
#include "hnv/hnv-types.h"
#include "openvswitch/dynamic-string.h"
#include "util.h"

#define HNV_DROP_REASON(ENUM, NAME, TEXT) COVERAGE_DEFINE(hnv_drop_##NAME);
HNV_DROP_REASONS
#undef HNV_DROP_REASON

const char *
hnv_drop_reason_name(enum hnv_drop_reason reason)
{
    switch (reason) {
#define HNV_DROP_REASON(ENUM, NAME, TEXT) \
    case HNV_DROP_##ENUM: return #NAME;
    HNV_DROP_REASONS
#undef HNV_DROP_REASON
    case HNV_N_DROP_REASONS:
    default:
        return "unknown";
    }
}

const char *
hnv_drop_reason_text(enum hnv_drop_reason reason)
{
    switch (reason) {
#define HNV_DROP_REASON(ENUM, NAME, TEXT) \
    case HNV_DROP_##ENUM: return TEXT;
    HNV_DROP_REASONS
#undef HNV_DROP_REASON
    case HNV_N_DROP_REASONS:
    default:
        return "unknown";
    }
}

void
hnv_stage_count_drop(enum hnv_drop_reason reason, unsigned int n)
{
    switch (reason) {
#define HNV_DROP_REASON(ENUM, NAME, TEXT) \
    case HNV_DROP_##ENUM: COVERAGE_ADD(hnv_drop_##NAME, n); break;
    HNV_DROP_REASONS
#undef HNV_DROP_REASON
    case HNV_N_DROP_REASONS:
    default:
        break;
    }
}

/* Helpers. */

static void
drop(struct hnv_decision *d, enum hnv_drop_reason reason)
{
    d->action = HNV_ACTION_DROP;
    d->drop = reason;
}

static void
decision_init(struct hnv_decision *d, uint32_t vsid, const struct flow *flow)
{
    memset(d, 0, sizeof *d);
    d->in_vsid = d->vsid = vsid;
    d->dl_src = flow->dl_src;
    d->dl_dst = flow->dl_dst;
}

static bool
is_ipv4(const struct flow *flow)
{
    return flow->dl_type == htons(ETH_TYPE_IP);
}

/* The packet's network source and destination as policy addresses
 * (IPv4-mapped for IPv4 and ARP), un-wildcarded in 'wc'. */
static struct in6_addr
packet_src(const struct flow *flow, struct flow_wildcards *wc)
{
    struct in6_addr a;

    if (flow->dl_type == htons(ETH_TYPE_IPV6)) {
        if (wc) {
            WC_MASK_FIELD(wc, ipv6_src);
        }
        return flow->ipv6_src;
    }
    if (wc) {
        WC_MASK_FIELD(wc, nw_src);
    }
    in6_addr_set_mapped_ipv4(&a, flow->nw_src);
    return a;
}

static struct in6_addr
packet_dst(const struct flow *flow)
{
    struct in6_addr a;

    if (flow->dl_type == htons(ETH_TYPE_IPV6)) {
        return flow->ipv6_dst;
    }
    in6_addr_set_mapped_ipv4(&a, flow->nw_dst);
    return a;
}

/* Un-wildcards the leading 'plen6' bits (IPv4-mapped terms) of the
 * destination address. */
static void
mask_dst(const struct flow *flow, struct flow_wildcards *wc,
         unsigned int plen6)
{
    if (!wc) {
        return;
    }
    if (flow->dl_type == htons(ETH_TYPE_IPV6)) {
        struct in6_addr mask = ipv6_create_mask(plen6);
        for (int i = 0; i < 16; i++) {
            wc->masks.ipv6_dst.s6_addr[i] |= mask.s6_addr[i];
        }
    } else {
        unsigned int plen = plen6 > 96 ? plen6 - 96 : 0;
        wc->masks.nw_dst |= be32_prefix_mask(plen);
    }
}

static struct in6_addr
wildcard_ca(const struct in6_addr *like)
{
    struct in6_addr a;

    if (hnv_address_is_ipv4(like)) {
        in6_addr_set_mapped_ipv4(&a, 0);
    } else {
        memset(&a, 0, sizeof a);
    }
    return a;
}

/* Whether 'flow' is IPv6 and 'a', one of its addresses, is IPv4-mapped
 * (::ffff:a.b.c.d).  The policy keeps IPv4 addresses in that form, so such
 * an address would otherwise match IPv4 records and routes: IPv4 and IPv6
 * are checked independently (HNV-SPEC 3.1), and an IPv6 packet with a
 * mapped address matches nothing. */
static bool
is_mapped_in_ipv6(const struct flow *flow, const struct in6_addr *a)
{
    return flow->dl_type == htons(ETH_TYPE_IPV6) && IN6_IS_ADDR_V4MAPPED(a);
}

/* Whether 'rec', a wildcard record, stands for addresses that have no
 * record of their own: an edge gateway's (type gateway_wildcard, or any
 * type but l2only in WS2012 data).  An l2only record says where a MAC
 * lives, not which addresses it may use (HNV-SPEC 3.4). */
static bool
wildcard_covers_addresses(const struct hnv_record *rec)
{
    return rec->spec.type != HNV_TYPE_L2ONLY;
}

/* Returns the record that owns address 'ca' in the routing domain of
 * 'vsid', or NULL if 'ca' has none there (an outside address).  The
 * VSID's own (VSID, CA) index is asked too: while a commit moves 'vsid'
 * to another routing domain, its records are briefly in neither domain's
 * index (hnv-policy.h), and an address of the VSID must not look like an
 * outside one, which a wildcard record would then validate. */
/* Returns the record that owns address 'ca' in the routing domain of
 * 'vsid', or NULL if there is none.  Sets '*outside' to whether 'ca' is an
 * outside address, one that a wildcard record may validate: it has no
 * record in the domain, and none in 'vsid' either, even an invisible one
 * (a record that loses a conflict, or one whose VSID a commit is moving to
 * another routing domain, which is briefly in neither domain's index). */
static const struct hnv_record *
record_of_address(const struct hnv_policy *p, uint32_t vsid,
                  const struct in6_addr *ca, bool *outside)
{
    const struct hnv_record *rec = hnv_policy_lookup_in_rd(p, vsid, ca);

    *outside = !rec && !hnv_policy_vsid_has_ca(p, vsid, ca);
    return rec;
}

/* Anti-spoofing (HNV-SPEC 3.1 step 3): returns the record that allows a VM
 * of 'vsid' to send from (src, mac), or NULL if none does.
 *
 * An address that has a record anywhere in the routing domain is validated
 * by that record alone: it must be a record of 'vsid' with 'mac' that lives
 * on this host.  Only an address with no record (an outside address) may
 * be sent by an edge gateway VM: a wildcard record of 'vsid' with 'mac' that
 * lives on this host.  (The spec does not say "lives on this host" for the
 * wildcard record; requiring it keeps a VM from borrowing a remote
 * gateway's MAC.)  A fallback must not widen what the primary rule
 * forbids: an edge gateway may not send as another VM of the domain. */
static const struct hnv_record *
source_record(const struct hnv_policy *p, uint32_t vsid,
              const struct in6_addr *src, struct eth_addr mac)
{
    const struct hnv_record *rec;
    bool outside;

    if (hnv_address_is_wildcard(src)) {
        return NULL;
    }
    rec = record_of_address(p, vsid, src, &outside);
    if (rec) {
        if (rec->spec.vsid != vsid || !eth_addr_equals(rec->spec.mac, mac)) {
            rec = NULL;
        }
    } else if (outside) {
        struct in6_addr any = wildcard_ca(src);
        rec = hnv_policy_lookup(p, vsid, &any, &mac);
        if (rec && !wildcard_covers_addresses(rec)) {
            rec = NULL;
        }
    }
    return rec && hnv_policy_pa_is_local(p, &rec->spec.pa) ? rec : NULL;
}

/* The outer source toward 'remote_pa' for a packet from 'd->source': the
 * sender's own PA, since receivers require the outer source to be the PA of
 * the sender's record (HNV-SPEC 3.2) and a host may have several PAs; if
 * the sender's PA is of the other family, the host's PA for 'remote_pa'.
 * Returns false if the host has no PA of that family. */
static bool
outer_source(const struct hnv_policy *p, const struct hnv_decision *d,
             const struct in6_addr *remote_pa, struct in6_addr *local_pa)
{
    if (d->source && (hnv_address_is_ipv4(&d->source->spec.pa)
                      == hnv_address_is_ipv4(remote_pa))) {
        *local_pa = d->source->spec.pa;
        return true;
    }
    return hnv_policy_local_pa_for(p, remote_pa, local_pa);
}

/* Delivery of a resolved packet (HNV-SPEC 3.3) to record 'rec' in
 * 'd->vsid'. */
static void
deliver(const struct hnv_policy *p, const struct hnv_record *rec,
        struct hnv_decision *d)
{
    d->record = rec;
    d->dl_dst = rec->spec.mac;
    if (rec->pa_is_gateway) {
        drop(d, HNV_DROP_GATEWAY_PA);
    } else if (hnv_policy_pa_is_local(p, &rec->spec.pa)) {
        d->action = HNV_ACTION_DELIVER;
    } else if (rec->spec.rule != HNV_RULE_ENCAP) {
        drop(d, HNV_DROP_NAT);
    } else if (!outer_source(p, d, &rec->spec.pa, &d->local_pa)) {
        drop(d, HNV_DROP_NO_LOCAL_PA);
    } else {
        d->action = HNV_ACTION_ENCAP;
        d->remote_pa = rec->spec.pa;
        d->key = hnv_nvgre_key(d->vsid, 0);
    }
}

/* Finds the non-wildcard record of 'vsid' for 'ca', or NULL. */
static const struct hnv_record *
lookup_host(const struct hnv_policy *p, uint32_t vsid,
            const struct in6_addr *ca)
{
    const struct hnv_record *rec = hnv_policy_lookup(p, vsid, ca, NULL);

    return rec && !hnv_address_is_wildcard(&rec->spec.ca) ? rec : NULL;
}

/* From a VM port. */

static void
from_vm_arp(const struct hnv_policy *p, const struct flow *flow,
            struct flow_wildcards *wc, struct hnv_decision *d)
{
    struct in6_addr spa, tpa;

    if (wc) {
        WC_MASK_FIELD(wc, nw_proto);
        WC_MASK_FIELD(wc, nw_src);
        WC_MASK_FIELD(wc, nw_dst);
        WC_MASK_FIELD(wc, dl_src);
    }
    in6_addr_set_mapped_ipv4(&spa, flow->nw_src);
    in6_addr_set_mapped_ipv4(&tpa, flow->nw_dst);
    d->target = tpa;

    if (flow->nw_proto != ARP_OP_REQUEST) {
        drop(d, HNV_DROP_ARP_NOT_REQUEST);
        return;
    } else if (!flow->nw_src) {
        drop(d, HNV_DROP_ADDRESS_PROBE);
        return;
    } else if (flow->nw_src == flow->nw_dst) {
        drop(d, HNV_DROP_GRATUITOUS);
        return;
    }

    d->source = source_record(p, d->in_vsid, &spa, flow->dl_src);
    if (!d->source) {
        drop(d, HNV_DROP_SPOOFED);
        return;
    }
    d->source_valid = true;
    d->record = lookup_host(p, d->in_vsid, &tpa);
    if (!d->record) {
        drop(d, HNV_DROP_NO_RECORD);
    } else {
        d->action = HNV_ACTION_ARP_REPLY;
        d->reply_mac = d->record->spec.mac;
    }
}

/* ICMPv6 neighbor discovery and MLD.  Returns false if 'flow' is other
 * ICMPv6 or IPv6. */
static bool
from_vm_nd(const struct hnv_policy *p, const struct flow *flow,
           struct flow_wildcards *wc, struct hnv_decision *d)
{
    if (flow->nw_proto != IPPROTO_ICMPV6) {
        return false;
    }
    if (wc) {
        WC_MASK_FIELD(wc, tp_src);
        WC_MASK_FIELD(wc, tp_dst);
    }

    uint16_t type = ntohs(flow->tp_src);
    switch (type) {
    case ND_NEIGHBOR_SOLICIT:
        break;
    case ND_ROUTER_SOLICIT:
    case ND_ROUTER_ADVERT:
    case ND_NEIGHBOR_ADVERT:
    case 137:                   /* Redirect. */
        drop(d, HNV_DROP_ND_OTHER);
        return true;
    case MLD_QUERY:
    case MLD_REPORT:
    case MLD_DONE:
    case MLD2_REPORT:
        drop(d, HNV_DROP_MULTICAST);
        return true;
    default:
        return false;
    }

    if (wc) {
        WC_MASK_FIELD(wc, ipv6_src);
        WC_MASK_FIELD(wc, nd_target);
        WC_MASK_FIELD(wc, dl_src);
    }
    d->target = flow->nd_target;
    if (ipv6_addr_is_set(&flow->ipv6_src)) {
        d->source = (is_mapped_in_ipv6(flow, &flow->ipv6_src) ? NULL
                     : source_record(p, d->in_vsid, &flow->ipv6_src,
                                     flow->dl_src));
        if (!d->source) {
            drop(d, HNV_DROP_SPOOFED);
            return true;
        }
        d->source_valid = true;
    } else {
        drop(d, HNV_DROP_ADDRESS_PROBE);
        return true;
    }

    d->record = (is_mapped_in_ipv6(flow, &flow->nd_target) ? NULL
                 : lookup_host(p, d->in_vsid, &flow->nd_target));
    if (!d->record) {
        drop(d, HNV_DROP_NO_RECORD);
    } else {
        d->action = HNV_ACTION_ND_ADVERT;
        d->reply_mac = d->record->spec.mac;
    }
    return true;
}

/* IPv4 or IPv6 unicast from a VM: same subnet by destination address, or
 * routed if sent to the VSID's gateway MAC. */
static void
from_vm_ip(const struct hnv_policy *p, const struct flow *flow,
           struct flow_wildcards *wc, struct hnv_decision *d)
{
    int family = is_ipv4(flow) ? AF_INET : AF_INET6;
    struct in6_addr src = packet_src(flow, wc);
    struct in6_addr dst = packet_dst(flow);
    struct eth_addr gw_mac;

    if (wc) {
        WC_MASK_FIELD(wc, dl_src);
    }
    d->source = (is_mapped_in_ipv6(flow, &src) ? NULL
                 : source_record(p, d->in_vsid, &src, flow->dl_src));
    if (!d->source) {
        drop(d, HNV_DROP_SPOOFED);
        return;
    }
    d->source_valid = true;

    if (!hnv_policy_gateway(p, d->in_vsid, family, &gw_mac, NULL)
        || !eth_addr_equals(gw_mac, flow->dl_dst)) {
        /* Same subnet: the record of the destination address decides. */
        mask_dst(flow, wc, 128);
        const struct hnv_record *rec = (is_mapped_in_ipv6(flow, &dst) ? NULL
                                        : lookup_host(p, d->in_vsid, &dst));
        if (!rec) {
            drop(d, HNV_DROP_NO_RECORD);
        } else {
            deliver(p, rec, d);
        }
        return;
    }

    /* Routed. */
    if (is_mapped_in_ipv6(flow, &dst)) {
        mask_dst(flow, wc, 128);
        drop(d, HNV_DROP_NO_ROUTE);
        return;
    }
    unsigned int plen6;
    const struct hnv_route *route = hnv_policy_route_lookup(p, d->in_vsid,
                                                            &dst, &plen6);
    mask_dst(flow, wc, plen6);
    if (!route || !hnv_policy_same_rd(p, d->in_vsid, route->vsid)) {
        /* A route always leads to a VSID of its own routing domain, but a
         * reader may see a VSID's move between domains half done (or a
         * conflicting database): never deliver outside the sender's. */
        drop(d, HNV_DROP_NO_ROUTE);
        return;
    }
    d->route = route;
    d->vsid = route->vsid;

    const struct in6_addr *next_hop = &route->next_hop;
    if (hnv_address_is_wildcard(next_hop)) {
        mask_dst(flow, wc, 128);
        next_hop = &dst;
    }
    const struct hnv_record *rec = lookup_host(p, route->vsid, next_hop);
    if (!rec) {
        drop(d, HNV_DROP_NO_RECORD);
        return;
    }
    d->record = rec;

    if (wc) {
        WC_MASK_FIELD(wc, nw_ttl);
    }
    if (flow->nw_ttl <= 1) {
        drop(d, HNV_DROP_TTL_EXPIRED);
        return;
    }
    if (!hnv_policy_gateway(p, route->vsid, family, &d->dl_src, NULL)) {
        drop(d, HNV_DROP_NO_GATEWAY);
        return;
    }
    d->dec_ttl = true;
    deliver(p, rec, d);
}

void
hnv_stage_from_vm(const struct hnv_policy *p, uint32_t vsid,
                  const struct flow *flow, struct flow_wildcards *wc,
                  struct hnv_decision *d)
{
    decision_init(d, vsid, flow);
    if (wc) {
        WC_MASK_FIELD(wc, dl_type);
        WC_MASK_FIELD(wc, dl_dst);
        wc->masks.vlans[0].tci |= htons(VLAN_CFI);
    }

    if (flow->vlans[0].tci & htons(VLAN_CFI)) {
        drop(d, HNV_DROP_TAGGED);
    } else if (flow->dl_type == htons(ETH_TYPE_ARP)) {
        from_vm_arp(p, flow, wc, d);
    } else if (flow->dl_type != htons(ETH_TYPE_IP)
               && flow->dl_type != htons(ETH_TYPE_IPV6)) {
        drop(d, HNV_DROP_NOT_IP);
    } else {
        if (wc) {
            WC_MASK_FIELD(wc, nw_proto);
        }
        if (flow->dl_type == htons(ETH_TYPE_IPV6)
            && from_vm_nd(p, flow, wc, d)) {
            return;
        }
        if (eth_addr_is_multicast(flow->dl_dst)) {
            drop(d, HNV_DROP_MULTICAST);
        } else {
            from_vm_ip(p, flow, wc, d);
        }
    }
}

enum hnv_source
hnv_stage_check_source(const struct hnv_policy *p, uint32_t vsid,
                       const struct flow *flow, struct flow_wildcards *wc)
{
    struct in6_addr src;

    if (wc) {
        WC_MASK_FIELD(wc, dl_type);
    }
    if (flow->vlans[0].tci & htons(VLAN_CFI)) {
        return HNV_SOURCE_NONE;
    } else if (flow->dl_type == htons(ETH_TYPE_ARP)) {
        if (wc) {
            WC_MASK_FIELD(wc, nw_src);
        }
        if (!flow->nw_src) {
            return HNV_SOURCE_NONE;
        }
        in6_addr_set_mapped_ipv4(&src, flow->nw_src);
    } else if (flow->dl_type == htons(ETH_TYPE_IP)
               || flow->dl_type == htons(ETH_TYPE_IPV6)) {
        src = packet_src(flow, wc);
        if (is_mapped_in_ipv6(flow, &src)) {
            return HNV_SOURCE_SPOOFED;
        }
        if (!ipv6_addr_is_set(&src)
            || (hnv_address_is_ipv4(&src) && !flow->nw_src)) {
            return HNV_SOURCE_NONE;
        }
    } else {
        return HNV_SOURCE_NONE;
    }
    if (wc) {
        WC_MASK_FIELD(wc, dl_src);
    }
    return (source_record(p, vsid, &src, flow->dl_src)
            ? HNV_SOURCE_VALID : HNV_SOURCE_SPOOFED);
}

bool
hnv_stage_switch_locally(const struct hnv_policy *p, uint32_t vsid,
                         const struct flow *flow, struct flow_wildcards *wc)
{
    int family = (flow->dl_type == htons(ETH_TYPE_IPV6) ? AF_INET6
                  : flow->dl_type == htons(ETH_TYPE_IP)
                    || flow->dl_type == htons(ETH_TYPE_ARP) ? AF_INET
                  : 0);
    const struct hnv_record *rec;

    if (wc) {
        WC_MASK_FIELD(wc, dl_type);
        WC_MASK_FIELD(wc, dl_dst);
        wc->masks.vlans[0].tci |= htons(VLAN_CFI);
    }
    if (flow->vlans[0].tci & htons(VLAN_CFI)
        || eth_addr_is_multicast(flow->dl_dst)) {
        return false;
    }
    rec = hnv_policy_lookup_mac(p, vsid, flow->dl_dst, family);
    return rec && !rec->pa_is_gateway
           && hnv_policy_pa_is_local(p, &rec->spec.pa);
}

/* From the tunnel port. */

/* NVGRE validation (HNV-SPEC 3.2 step 2): returns the record that says the
 * inner source 'src' of 'flow' (in 'vsid') lives at 'outer', the outer
 * source, or NULL.  An address with a record in the routing domain lives
 * at that record's PA and nowhere else.  An address with no record (an
 * outside address) may come from an edge gateway: a wildcard record of the
 * VSID with the inner source MAC, or (routed by the sender, so the MAC is a
 * gateway MAC now) any wildcard record of the routing domain, at 'outer'.
 * l2only records validate no address. */
static const struct hnv_record *
tunnel_source(const struct hnv_policy *p, uint32_t vsid,
              const struct flow *flow, const struct in6_addr *src,
              const struct in6_addr *outer, struct flow_wildcards *wc)
{
    const struct hnv_record *from;

    if (is_mapped_in_ipv6(flow, src) || hnv_address_is_wildcard(src)) {
        return NULL;
    }
    bool outside;
    from = record_of_address(p, vsid, src, &outside);
    if (!from && outside) {
        struct in6_addr any = wildcard_ca(src);
        if (wc) {
            WC_MASK_FIELD(wc, dl_src);
        }
        from = hnv_policy_lookup(p, vsid, &any, &flow->dl_src);
        if (!from || !ipv6_addr_equals(&from->spec.pa, outer)
            || !wildcard_covers_addresses(from)) {
            from = hnv_policy_wildcard_at_pa(
                p, vsid, outer, is_ipv4(flow) ? AF_INET : AF_INET6);
        }
        if (from && !wildcard_covers_addresses(from)) {
            from = NULL;
        }
    }
    return from && ipv6_addr_equals(&from->spec.pa, outer) ? from : NULL;
}

void
hnv_stage_from_tunnel(const struct hnv_policy *p, const struct flow *flow,
                      struct flow_wildcards *wc, struct hnv_decision *d)
{
    uint64_t key = ntohll(flow->tunnel.tun_id);
    uint32_t vsid = hnv_nvgre_key_vsid(key);

    decision_init(d, vsid, flow);
    if (wc) {
        WC_MASK_FIELD(wc, tunnel.tun_id);
        WC_MASK_FIELD(wc, dl_type);
        wc->masks.tunnel.flags |= FLOW_TNL_F_CSUM;
        wc->masks.vlans[0].tci |= htons(VLAN_CFI);
    }

    /* Upstream's GRE receive has already refused what is not GRE at all
     * and checked a checksum if there is one.  The C bit is the one header
     * bit of RFC 7637's "MUST be zero" still visible here (the S bit leaves
     * no trace). */
    if (flow->tunnel.flags & FLOW_TNL_F_CSUM) {
        drop(d, HNV_DROP_GRE_CHECKSUM);
        return;
    } else if (key > UINT32_MAX || !hnv_vsid_is_valid(vsid)) {
        drop(d, HNV_DROP_RESERVED_VSID);
        return;
    } else if (flow->vlans[0].tci & htons(VLAN_CFI)) {
        drop(d, HNV_DROP_TAGGED);
        return;
    } else if (flow->dl_type != htons(ETH_TYPE_IP)
               && flow->dl_type != htons(ETH_TYPE_IPV6)) {
        drop(d, HNV_DROP_NOT_IP);
        return;
    }

    /* The inner source must live at the outer source: a record of the
     * routing domain whose PA is the outer source, or for an address with
     * no record, an edge gateway there -- a wildcard record of the VSID
     * with the inner source MAC, or (routed by the sender, so the MAC is a
     * gateway MAC now) any wildcard record of the routing domain at the
     * outer source. */
    struct in6_addr outer;
    if (flow->tunnel.ip_src) {
        in6_addr_set_mapped_ipv4(&outer, flow->tunnel.ip_src);
        if (wc) {
            WC_MASK_FIELD(wc, tunnel.ip_src);
        }
    } else {
        outer = flow->tunnel.ipv6_src;
        if (wc) {
            WC_MASK_FIELD(wc, tunnel.ipv6_src);
        }
    }
    struct in6_addr src = packet_src(flow, wc);
    const struct hnv_record *from = tunnel_source(p, vsid, flow, &src,
                                                  &outer, wc);
    if (!from) {
        drop(d, HNV_DROP_TUNNEL_SPOOFED);
        return;
    }

    /* Delivery: only to a record of the VSID that lives here -- the record
     * of the destination address, or, for an address outside the virtual
     * subnets (routed to an edge gateway by a customer route), the local
     * wildcard record of the VSID with the inner destination MAC. */
    struct in6_addr dst = packet_dst(flow);
    mask_dst(flow, wc, 128);
    if (is_mapped_in_ipv6(flow, &dst)) {
        drop(d, HNV_DROP_NOT_LOCAL);
        return;
    }
    const struct hnv_record *rec = lookup_host(p, vsid, &dst);
    if (!rec) {
        struct in6_addr any = wildcard_ca(&dst);
        if (wc) {
            WC_MASK_FIELD(wc, dl_dst);
        }
        rec = hnv_policy_lookup(p, vsid, &any, &flow->dl_dst);
    }
    d->record = rec;
    if (!rec || rec->pa_is_gateway
        || !hnv_policy_pa_is_local(p, &rec->spec.pa)) {
        drop(d, HNV_DROP_NOT_LOCAL);
        return;
    }
    d->dl_dst = rec->spec.mac;
    d->action = HNV_ACTION_DELIVER;
}

/* Explanation. */

void
hnv_decision_format(const struct hnv_decision *d, struct ds *s)
{
    if (d->route) {
        ds_put_cstr(s, "routed by ");
        hnv_format_prefix(&d->route->prefix, d->route->plen, s);
        ds_put_format(s, " to VSID %"PRIu32"; ", d->route->vsid);
    }
    if (d->record) {
        ds_put_format(s, "record VSID %"PRIu32" ", d->record->spec.vsid);
        hnv_format_address(&d->record->spec.ca, s);
        ds_put_cstr(s, " MAC ");
        hnv_format_mac(d->record->spec.mac, s);
        ds_put_cstr(s, " at PA ");
        hnv_format_address(&d->record->spec.pa, s);
        ds_put_cstr(s, ": ");
    }

    switch (d->action) {
    case HNV_ACTION_DROP:
        ds_put_format(s, "dropped: %s", hnv_drop_reason_text(d->drop));
        break;
    case HNV_ACTION_ARP_REPLY:
    case HNV_ACTION_ND_ADVERT:
        ds_put_format(s, "%s: ", (d->action == HNV_ACTION_ARP_REPLY
                                  ? "ARP reply" : "neighbor advertisement"));
        hnv_format_address(&d->target, s);
        ds_put_cstr(s, " is at ");
        hnv_format_mac(d->reply_mac, s);
        break;
    case HNV_ACTION_DELIVER:
    case HNV_ACTION_ENCAP:
        if (d->action == HNV_ACTION_DELIVER) {
            ds_put_format(s, "delivered locally in VSID %"PRIu32, d->vsid);
        } else {
            ds_put_cstr(s, "NVGRE to ");
            hnv_format_address(&d->remote_pa, s);
            ds_put_cstr(s, " from ");
            hnv_format_address(&d->local_pa, s);
            ds_put_format(s, ", key %#"PRIx32, d->key);
        }
        ds_put_cstr(s, ", MACs ");
        hnv_format_mac(d->dl_src, s);
        ds_put_cstr(s, " -> ");
        hnv_format_mac(d->dl_dst, s);
        if (d->dec_ttl) {
            ds_put_cstr(s, ", TTL - 1");
        }
        break;
    default:
        OVS_NOT_REACHED();
    }
}
