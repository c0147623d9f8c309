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

/* Unit tests of the HNV forwarding decision (lib/hnv/hnv-stage.h) against
 * HNV-SPEC 3, by the decision's fields rather than its words:
 * "ovstest test-hnv-stage SUBCOMMAND", where SUBCOMMAND is one of
 *
 *   words           hnv_decision_format(): the decision in words
 *   fields          action, VSIDs, key, PAs, MACs, TTL, drop reason
 *   masks           the megaflow mask of each kind of decision, exactly
 *   drop-names      every drop reason's name against the exact list
 *
 * Each prints what fails and exits with status 1 if anything did. */

#include <config.h>
#undef NDEBUG
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "command-line.h"
#include "flow.h"
#include "hnv/hnv-policy.h"
#include "hnv/hnv-route.h"
#include "hnv/hnv-stage.h"
#include "hnv/hnv-types.h"
#include "openvswitch/dynamic-string.h"
#include "ovstest.h"
#include "packets.h"
#include "util.h"
#include "uuid.h"
#include "test-hnv.h"


static ovs_be32
ip4(const char *s)
{
    struct in6_addr a = addr(s);
    return in6_addr_get_mapped_ipv4(&a);
}

static struct uuid
mkuuid(uint32_t n)
{
    struct uuid u = { .parts = { n, 0x1234, 0x5678, 0x9abc } };
    return u;
}

static uint32_t
rid(const struct hnv_record *r)
{
    return r ? r->uuid.parts[0] : 0;
}

static void
set_record_rule(struct hnv_policy *p, uint32_t id, uint32_t vsid,
                const char *ca, const char *mac_s, const char *pa,
                enum hnv_rule rule)
{
    struct uuid u = mkuuid(id);
    struct hnv_record_spec spec;

    memset(&spec, 0, sizeof spec);
    spec.vsid = vsid;
    spec.ca = addr(ca);
    spec.mac = mac(mac_s);
    spec.pa = addr(pa);
    spec.rule = rule;
    spec.type = (hnv_address_is_wildcard(&spec.ca)
                 ? HNV_TYPE_GATEWAY_WILDCARD : HNV_TYPE_STATIC);
    hnv_policy_set_record(p, &u, &spec);
}

static void
set_record(struct hnv_policy *p, uint32_t id, uint32_t vsid, const char *ca,
           const char *mac_s, const char *pa)
{
    set_record_rule(p, id, vsid, ca, mac_s, pa, HNV_RULE_ENCAP);
}

static void
remove_record(struct hnv_policy *p, uint32_t id)
{
    struct uuid u = mkuuid(id);

    hnv_policy_remove_record(p, &u);
}

static void
set_route(struct hnv_policy *p, uint32_t id, const char *rdid, uint32_t vsid,
          const char *prefix, const char *next_hop, uint32_t metric)
{
    struct uuid u = mkuuid(id);
    struct hnv_route r;
    char *error;

    memset(&r, 0, sizeof r);
    error = hnv_parse_prefix(prefix, &r.prefix, &r.plen);
    ovs_assert(!error);
    r.vsid = vsid;
    r.next_hop = addr(next_hop);
    r.metric = metric;
    hnv_policy_set_route(p, &u, rdid, &r);
}

/* The policy: two routing domains with the same addresses.
 *
 *   RD1: VSID 5001 = 10.0.1.0/24 + fd01::/64, VSID 5002 = 10.0.2.0/24 +
 *        fd02::/64, 0.0.0.0/0 and ::/0 -> VSID 5002 via the edge gateway
 *        10.0.2.254 / fd02::fe (at PA 192.168.1.2).  VSID 5003 =
 *        10.0.3.0/24, with no gateway record.
 *   RD2: VSID 6001 = 10.0.1.0/24 (its 10.0.1.6 lives on this host).
 *
 * This host's PA is 192.168.1.1/24. */
#define GW HNV_GATEWAY_PA_STRING
#define RD1 "{11111111-2222-3333-4444-000000000001}"
#define RD2 "{11111111-2222-3333-4444-000000000002}"

static struct hnv_policy *
stage_policy(void)
{
    struct hnv_policy *p = hnv_policy_create();
    struct uuid u = mkuuid(1000);
    struct in6_addr local = addr("192.168.1.1");

    hnv_policy_set_local_pa(p, &u, &local, 24);
    set_route(p, 1, RD1, 5001, "10.0.1.0/24", "0.0.0.0", 0);
    set_route(p, 2, RD1, 5002, "10.0.2.0/24", "0.0.0.0", 0);
    set_route(p, 3, RD1, 5002, "0.0.0.0/0", "10.0.2.254", 10);
    set_route(p, 4, RD1, 5001, "fd01::/64", "::", 0);
    set_route(p, 5, RD2, 6001, "10.0.1.0/24", "0.0.0.0", 0);
    set_route(p, 6, RD1, 5002, "fd02::/64", "::", 0);
    set_route(p, 7, RD1, 5002, "::/0", "fd02::fe", 10);
    set_route(p, 8, RD1, 5003, "10.0.3.0/24", "0.0.0.0", 0);

    set_record(p, 1, 5001, "10.0.1.5", "00:00:00:00:01:05", "192.168.1.1");
    set_record(p, 2, 5001, "10.0.1.6", "00:00:00:00:01:06", "192.168.1.2");
    set_record(p, 3, 5001, "10.0.1.1", "00:00:00:00:01:01", GW);
    set_record(p, 4, 5002, "10.0.2.7", "00:00:00:00:02:07", "192.168.1.1");
    set_record(p, 5, 5002, "10.0.2.8", "00:00:00:00:02:08", "192.168.1.3");
    set_record(p, 6, 5002, "10.0.2.1", "00:00:00:00:02:01", GW);
    set_record(p, 7, 5002, "10.0.2.254", "00:00:00:00:02:fe", "192.168.1.2");
    set_record(p, 8, 5002, "0.0.0.0", "00:00:00:00:02:fe", "192.168.1.2");
    set_record(p, 9, 5001, "fd01::5", "00:00:00:00:01:05", "192.168.1.1");
    set_record(p, 10, 5001, "fd01::6", "00:00:00:00:01:06", "192.168.1.2");
    set_record(p, 11, 5001, "fd01::1", "00:00:00:00:01:01", GW);
    set_record(p, 12, 6001, "10.0.1.5", "00:00:00:00:01:05", "192.168.1.1");
    set_record(p, 13, 6001, "10.0.1.6", "00:00:00:00:01:06", "192.168.1.1");
    set_record(p, 14, 5002, "fd02::1", "00:00:00:00:02:01", GW);
    set_record(p, 15, 5002, "fd02::fe", "00:00:00:00:02:fe", "192.168.1.2");
    set_record(p, 16, 5002, "fd02::7", "00:00:00:00:02:07", "192.168.1.1");
    set_record(p, 17, 5003, "10.0.3.9", "00:00:00:00:03:09", "192.168.1.3");
    set_record_rule(p, 18, 5001, "10.0.1.20", "00:00:00:00:01:20",
                    "192.168.1.2", HNV_RULE_NAT);
    set_record(p, 19, 5001, "10.0.1.21", "00:00:00:00:01:21",
               "2001:db8::21");
    hnv_policy_commit(p);
    return p;
}

static struct flow
arp_flow(const char *sha, const char *spa, const char *tpa, int op)
{
    struct flow f;

    memset(&f, 0, sizeof f);
    f.dl_type = htons(ETH_TYPE_ARP);
    f.dl_src = f.arp_sha = mac(sha);
    f.dl_dst = eth_addr_broadcast;
    f.nw_src = ip4(spa);
    f.nw_dst = ip4(tpa);
    f.nw_proto = op;
    return f;
}

static struct flow
ip_flow(const char *src_mac, const char *dst_mac, const char *src,
        const char *dst, int ttl)
{
    struct flow f;

    memset(&f, 0, sizeof f);
    f.dl_src = mac(src_mac);
    f.dl_dst = mac(dst_mac);
    if (strchr(src, ':')) {
        f.dl_type = htons(ETH_TYPE_IPV6);
        f.ipv6_src = addr(src);
        f.ipv6_dst = addr(dst);
    } else {
        f.dl_type = htons(ETH_TYPE_IP);
        f.nw_src = ip4(src);
        f.nw_dst = ip4(dst);
    }
    f.nw_proto = IPPROTO_TCP;
    f.nw_ttl = ttl;
    f.tp_src = htons(40000);
    f.tp_dst = htons(80);
    return f;
}

static struct flow
ns_flow(const char *src_mac, const char *src, const char *target)
{
    struct flow f = ip_flow(src_mac, "33:33:ff:00:00:06", src,
                            "ff02::1:ff00:6", 255);
    f.nw_proto = IPPROTO_ICMPV6;
    f.tp_src = htons(ND_NEIGHBOR_SOLICIT);
    f.tp_dst = htons(0);
    f.nd_target = addr(target);
    return f;
}

static struct flow
tunnel_flow(uint32_t key, const char *outer_src, const char *src_mac,
            const char *dst_mac, const char *src, const char *dst)
{
    struct flow f = ip_flow(src_mac, dst_mac, src, dst, 64);

    f.tunnel.tun_id = htonll(key);
    f.tunnel.ip_src = ip4(outer_src);
    f.tunnel.ip_dst = ip4("192.168.1.1");
    f.tunnel.flags = FLOW_TNL_F_KEY;
    return f;
}

static const char *
action_name(enum hnv_action a)
{
    switch (a) {
    case HNV_ACTION_DROP: return "drop";
    case HNV_ACTION_ARP_REPLY: return "arp_reply";
    case HNV_ACTION_ND_ADVERT: return "nd_advert";
    case HNV_ACTION_DELIVER: return "deliver";
    case HNV_ACTION_ENCAP: return "encap";
    default: return "?";
    }
}

static char *
addr_string(const struct in6_addr *a)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    hnv_format_address(a, &s);
    return ds_steal_cstr(&s);
}

/* Field checks that name the field and both values. */
static void
check_addr(int line, const char *what, const struct in6_addr *actual,
           const char *expected)
{
    struct in6_addr e = addr(expected);

    if (!ipv6_addr_equals(actual, &e)) {
        char *a = addr_string(actual);
        fail(__FILE__, line, "%s: expected %s, got %s", what, expected, a);
        free(a);
    }
}
#define CHECK_ADDR(WHAT, ACTUAL, EXPECTED) \
    check_addr(__LINE__, WHAT, ACTUAL, EXPECTED)

static void
check_mac(int line, const char *what, struct eth_addr actual,
          const char *expected)
{
    struct eth_addr e = mac(expected);

    if (!eth_addr_equals(actual, e)) {
        fail(__FILE__, line, "%s: expected %s, got "ETH_ADDR_FMT, what, expected,
             ETH_ADDR_ARGS(actual));
    }
}
#define CHECK_MAC(WHAT, ACTUAL, EXPECTED) \
    check_mac(__LINE__, WHAT, ACTUAL, EXPECTED)

#define CHECK_EQ(WHAT, ACTUAL, EXPECTED)                                \
    do {                                                                \
        unsigned long long a_ = (ACTUAL), e_ = (EXPECTED);              \
        if (a_ != e_) {                                                 \
            fail(__FILE__, __LINE__, "%s: expected %#llx, got %#llx", WHAT, e_,   \
                 a_);                                                   \
        }                                                               \
    } while (0)

static void
check_action(int line, const struct hnv_decision *d, enum hnv_action a)
{
    if (d->action != a) {
        fail(__FILE__, line, "action: expected %s, got %s%s%s", action_name(a),
             action_name(d->action),
             d->action == HNV_ACTION_DROP ? " " : "",
             d->action == HNV_ACTION_DROP
             ? hnv_drop_reason_name(d->drop) : "");
    }
}
#define CHECK_ACTION(D, A) check_action(__LINE__, D, A)

static void
check_drop(int line, const struct hnv_decision *d,
           enum hnv_drop_reason reason)
{
    if (d->action != HNV_ACTION_DROP) {
        fail(__FILE__, line, "expected drop %s, got action %s",
             hnv_drop_reason_name(reason), action_name(d->action));
    } else if (d->drop != reason) {
        fail(__FILE__, line, "drop reason: expected %s, got %s",
             hnv_drop_reason_name(reason), hnv_drop_reason_name(d->drop));
    }
}
#define CHECK_DROP(D, REASON) check_drop(__LINE__, D, REASON)

/* An encapsulation decision: every field of HNV-SPEC 3.3 "Record PA is
 * remote, rule encap". */
static void
check_encap(int line, const struct hnv_decision *d, uint32_t in_vsid,
            uint32_t vsid, const char *local_pa, const char *remote_pa,
            const char *dl_src, const char *dl_dst, bool dec_ttl)
{
    int before = n_failures;

    check_action(line, d, HNV_ACTION_ENCAP);
    if (d->in_vsid != in_vsid || d->vsid != vsid) {
        fail(__FILE__, line, "VSIDs: expected %"PRIu32" -> %"PRIu32", got %"PRIu32
             " -> %"PRIu32, in_vsid, vsid, d->in_vsid, d->vsid);
    }
    /* FlowID 0 (the default): the key is exactly VSID << 8. */
    if (d->key != vsid << 8) {
        fail(__FILE__, line, "key: expected %#"PRIx32", got %#"PRIx32, vsid << 8,
             d->key);
    }
    check_addr(line, "local PA", &d->local_pa, local_pa);
    check_addr(line, "remote PA", &d->remote_pa, remote_pa);
    check_mac(line, "dl_src", d->dl_src, dl_src);
    check_mac(line, "dl_dst", d->dl_dst, dl_dst);
    if (d->dec_ttl != dec_ttl) {
        fail(__FILE__, line, "dec_ttl: expected %d, got %d", dec_ttl, d->dec_ttl);
    }
    if (!d->source_valid || !d->source || !d->record) {
        fail(__FILE__, line, "source_valid/source/record not set");
    }
    if (n_failures != before) {
        struct ds s = DS_EMPTY_INITIALIZER;
        hnv_decision_format(d, &s);
        printf("    (decision: %s)\n", ds_cstr(&s));
        ds_destroy(&s);
    }
}
#define CHECK_ENCAP(D, IN_VSID, VSID, LPA, RPA, SRC, DST, DEC_TTL) \
    check_encap(__LINE__, D, IN_VSID, VSID, LPA, RPA, SRC, DST, DEC_TTL)

static void
check_deliver(int line, const struct hnv_decision *d, uint32_t in_vsid,
              uint32_t vsid, const char *dl_src, const char *dl_dst,
              bool dec_ttl)
{
    check_action(line, d, HNV_ACTION_DELIVER);
    if (d->in_vsid != in_vsid || d->vsid != vsid) {
        fail(__FILE__, line, "VSIDs: expected %"PRIu32" -> %"PRIu32", got %"PRIu32
             " -> %"PRIu32, in_vsid, vsid, d->in_vsid, d->vsid);
    }
    check_mac(line, "dl_src", d->dl_src, dl_src);
    check_mac(line, "dl_dst", d->dl_dst, dl_dst);
    if (d->dec_ttl != dec_ttl) {
        fail(__FILE__, line, "dec_ttl: expected %d, got %d", dec_ttl, d->dec_ttl);
    }
}
#define CHECK_DELIVER(D, IN_VSID, VSID, SRC, DST, DEC_TTL) \
    check_deliver(__LINE__, D, IN_VSID, VSID, SRC, DST, DEC_TTL)

static void
from_vm(const struct hnv_policy *p, uint32_t vsid, const struct flow *f,
        struct hnv_decision *d)
{
    /* Garbage first, so that a field the stage forgets to set shows. */
    memset(d, 0xa5, sizeof *d);
    hnv_stage_from_vm(p, vsid, f, NULL, d);
}

static void
from_tunnel(const struct hnv_policy *p, const struct flow *f,
            struct hnv_decision *d)
{
    memset(d, 0xa5, sizeof *d);
    hnv_stage_from_tunnel(p, f, NULL, d);
}

/* Runs the stage on 'flow' and checks the decision's words. */
static void
check_decision(int line, const struct hnv_policy *p, uint32_t vsid,
               const struct flow *flow, struct flow_wildcards *wc,
               const char *expected)
{
    struct hnv_decision d;
    struct ds s = DS_EMPTY_INITIALIZER;

    if (vsid) {
        hnv_stage_from_vm(p, vsid, flow, wc, &d);
    } else {
        hnv_stage_from_tunnel(p, flow, wc, &d);
    }
    hnv_decision_format(&d, &s);
    if (strcmp(ds_cstr(&s), expected)) {
        fail(__FILE__, line, "decision\n  got      %s\n  expected %s",
             ds_cstr(&s), expected);
    }
    ds_destroy(&s);
}
#define CHECK_DECISION(P, VSID, FLOW, EXPECTED) \
    check_decision(__LINE__, P, VSID, FLOW, NULL, EXPECTED)

/* "words": hnv_decision_format(), what hnv/lookup and ofproto/trace say. */
static void
test_words(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    struct hnv_policy *p = stage_policy();
    struct flow f;

    /* ARP (HNV-SPEC 3.1 step 2). */
    f = arp_flow("00:00:00:00:01:05", "10.0.1.5", "10.0.1.6", ARP_OP_REQUEST);
    CHECK_DECISION(p, 5001, &f, "record VSID 5001 10.0.1.6 MAC "
                   "00:00:00:00:01:06 at PA 192.168.1.2: ARP reply: "
                   "10.0.1.6 is at 00:00:00:00:01:06");
    f = arp_flow("00:00:00:00:01:05", "10.0.1.5", "10.0.1.1", ARP_OP_REQUEST);
    CHECK_DECISION(p, 5001, &f, "record VSID 5001 10.0.1.1 MAC "
                   "00:00:00:00:01:01 at PA 169.254.254.254: ARP reply: "
                   "10.0.1.1 is at 00:00:00:00:01:01");
    f = arp_flow("00:00:00:00:01:05", "10.0.1.5", "10.0.1.99", ARP_OP_REQUEST);
    CHECK_DECISION(p, 5001, &f, "dropped: no lookup record for the "
                   "destination");
    f = arp_flow("00:00:00:00:01:05", "10.0.1.5", "10.0.2.7", ARP_OP_REQUEST);
    CHECK_DECISION(p, 5001, &f, "dropped: no lookup record for the "
                   "destination");
    f = arp_flow("00:00:00:00:01:05", "0.0.0.0", "10.0.1.5", ARP_OP_REQUEST);
    CHECK_DECISION(p, 5001, &f, "dropped: address probe (ARP from 0.0.0.0, "
                   "IPv6 DAD)");
    f = arp_flow("00:00:00:00:01:05", "10.0.1.5", "10.0.1.5", ARP_OP_REQUEST);
    CHECK_DECISION(p, 5001, &f, "dropped: gratuitous ARP");
    f = arp_flow("00:00:00:00:01:05", "10.0.1.5", "10.0.1.6", ARP_OP_REPLY);
    CHECK_DECISION(p, 5001, &f, "dropped: ARP reply or other ARP operation");
    f = arp_flow("00:00:00:00:01:99", "10.0.1.5", "10.0.1.6", ARP_OP_REQUEST);
    CHECK_DECISION(p, 5001, &f, "dropped: source address and MAC match no "
                   "local record");
    /* The other tenant's addresses are its own. */
    f = arp_flow("00:00:00:00:01:05", "10.0.1.5", "10.0.1.6", ARP_OP_REQUEST);
    CHECK_DECISION(p, 6001, &f, "record VSID 6001 10.0.1.6 MAC "
                   "00:00:00:00:01:06 at PA 192.168.1.1: ARP reply: "
                   "10.0.1.6 is at 00:00:00:00:01:06");

    /* Neighbor discovery. */
    f = ns_flow("00:00:00:00:01:05", "fd01::5", "fd01::6");
    CHECK_DECISION(p, 5001, &f, "record VSID 5001 fd01::6 MAC "
                   "00:00:00:00:01:06 at PA 192.168.1.2: neighbor "
                   "advertisement: fd01::6 is at 00:00:00:00:01:06");
    f = ns_flow("00:00:00:00:01:05", "::", "fd01::5");
    CHECK_DECISION(p, 5001, &f, "dropped: address probe (ARP from 0.0.0.0, "
                   "IPv6 DAD)");
    f = ns_flow("00:00:00:00:01:05", "fd01::5", "fd01::6");
    f.tp_src = htons(ND_ROUTER_SOLICIT);
    CHECK_DECISION(p, 5001, &f, "dropped: neighbor discovery other than a "
                   "solicitation");

    /* Same subnet, by destination address: remote and local records. */
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:06", "10.0.1.5",
                "10.0.1.6", 64);
    CHECK_DECISION(p, 5001, &f, "record VSID 5001 10.0.1.6 MAC "
                   "00:00:00:00:01:06 at PA 192.168.1.2: NVGRE to "
                   "192.168.1.2 from 192.168.1.1, key 0x138900, MACs "
                   "00:00:00:00:01:05 -> 00:00:00:00:01:06");
    /* The inner destination MAC comes from the record. */
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:99:99", "10.0.1.5",
                "10.0.1.6", 64);
    CHECK_DECISION(p, 5001, &f, "record VSID 5001 10.0.1.6 MAC "
                   "00:00:00:00:01:06 at PA 192.168.1.2: NVGRE to "
                   "192.168.1.2 from 192.168.1.1, key 0x138900, MACs "
                   "00:00:00:00:01:05 -> 00:00:00:00:01:06");
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:06", "10.0.1.5",
                "10.0.1.6", 64);
    CHECK_DECISION(p, 6001, &f, "record VSID 6001 10.0.1.6 MAC "
                   "00:00:00:00:01:06 at PA 192.168.1.1: delivered locally "
                   "in VSID 6001, MACs 00:00:00:00:01:05 -> "
                   "00:00:00:00:01:06");
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:06", "fd01::5",
                "fd01::6", 64);
    CHECK_DECISION(p, 5001, &f, "record VSID 5001 fd01::6 MAC "
                   "00:00:00:00:01:06 at PA 192.168.1.2: NVGRE to "
                   "192.168.1.2 from 192.168.1.1, key 0x138900, MACs "
                   "00:00:00:00:01:05 -> 00:00:00:00:01:06");
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:07", "10.0.1.5",
                "10.0.1.7", 64);
    CHECK_DECISION(p, 5001, &f, "dropped: no lookup record for the "
                   "destination");

    /* Routed through the gateway MAC: TTL, MACs, next hops. */
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:01", "10.0.1.5",
                "10.0.2.8", 64);
    CHECK_DECISION(p, 5001, &f, "routed by 10.0.2.0/24 to VSID 5002; record "
                   "VSID 5002 10.0.2.8 MAC 00:00:00:00:02:08 at PA "
                   "192.168.1.3: NVGRE to 192.168.1.3 from 192.168.1.1, key "
                   "0x138a00, MACs 00:00:00:00:02:01 -> 00:00:00:00:02:08, "
                   "TTL - 1");
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:01", "10.0.1.5",
                "10.0.2.7", 64);
    CHECK_DECISION(p, 5001, &f, "routed by 10.0.2.0/24 to VSID 5002; record "
                   "VSID 5002 10.0.2.7 MAC 00:00:00:00:02:07 at PA "
                   "192.168.1.1: delivered locally in VSID 5002, MACs "
                   "00:00:00:00:02:01 -> 00:00:00:00:02:07, TTL - 1");
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:01", "10.0.1.5",
                "8.8.8.8", 64);
    CHECK_DECISION(p, 5001, &f, "routed by 0.0.0.0/0 to VSID 5002; record "
                   "VSID 5002 10.0.2.254 MAC 00:00:00:00:02:fe at PA "
                   "192.168.1.2: NVGRE to 192.168.1.2 from 192.168.1.1, key "
                   "0x138a00, MACs 00:00:00:00:02:01 -> 00:00:00:00:02:fe, "
                   "TTL - 1");
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:01", "10.0.1.5",
                "10.0.2.8", 1);
    CHECK_DECISION(p, 5001, &f, "routed by 10.0.2.0/24 to VSID 5002; record "
                   "VSID 5002 10.0.2.8 MAC 00:00:00:00:02:08 at PA "
                   "192.168.1.3: dropped: TTL or hop limit expired");
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:01", "10.0.1.5",
                "10.0.2.99", 64);
    CHECK_DECISION(p, 5001, &f, "routed by 10.0.2.0/24 to VSID 5002; "
                   "dropped: no lookup record for the destination");
    /* RD2 has no default route, and no gateway record at all. */
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:01", "10.0.1.5",
                "10.0.2.8", 64);
    CHECK_DECISION(p, 6001, &f, "dropped: no lookup record for the "
                   "destination");

    /* Source validation. */
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:06", "10.0.1.6",
                "10.0.1.6", 64);
    CHECK_DECISION(p, 5001, &f, "dropped: source address and MAC match no "
                   "local record");
    f = ip_flow("00:00:00:00:01:66", "00:00:00:00:01:06", "10.0.1.5",
                "10.0.1.6", 64);
    CHECK_DECISION(p, 5001, &f, "dropped: source address and MAC match no "
                   "local record");

    /* Other drops. */
    f = ip_flow("00:00:00:00:01:05", "ff:ff:ff:ff:ff:ff", "10.0.1.5",
                "10.0.1.255", 64);
    CHECK_DECISION(p, 5001, &f, "dropped: broadcast or multicast");
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:06", "10.0.1.5",
                "10.0.1.6", 64);
    f.dl_type = htons(0x88cc);
    CHECK_DECISION(p, 5001, &f, "dropped: neither IPv4 nor IPv6");
    f.dl_type = htons(ETH_TYPE_IP);
    f.vlans[0].tci = htons(VLAN_CFI | 10);
    CHECK_DECISION(p, 5001, &f, "dropped: 802.1Q-tagged frame");
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:01", "10.0.1.5",
                "10.0.1.1", 64);
    CHECK_DECISION(p, 5001, &f, "routed by 10.0.1.0/24 to VSID 5001; record "
                   "VSID 5001 10.0.1.1 MAC 00:00:00:00:01:01 at PA "
                   "169.254.254.254: dropped: the record's PA is the gateway "
                   "PA, never a tunnel destination");

    /* From the tunnel (HNV-SPEC 3.2). */
    f = tunnel_flow(5001 << 8, "192.168.1.2", "00:00:00:00:01:06",
                    "00:00:00:00:01:05", "10.0.1.6", "10.0.1.5");
    CHECK_DECISION(p, 0, &f, "record VSID 5001 10.0.1.5 MAC "
                   "00:00:00:00:01:05 at PA 192.168.1.1: delivered locally "
                   "in VSID 5001, MACs 00:00:00:00:01:06 -> "
                   "00:00:00:00:01:05");
    f.tunnel.tun_id = htonll(5001 << 8 | 0x2a);       /* Any FlowID. */
    CHECK_DECISION(p, 0, &f, "record VSID 5001 10.0.1.5 MAC "
                   "00:00:00:00:01:05 at PA 192.168.1.1: delivered locally "
                   "in VSID 5001, MACs 00:00:00:00:01:06 -> "
                   "00:00:00:00:01:05");
    /* Routed by the sender: the source is in another VSID of the RD. */
    f = tunnel_flow(5002 << 8, "192.168.1.2", "00:00:00:00:02:01",
                    "00:00:00:00:02:07", "10.0.1.6", "10.0.2.7");
    CHECK_DECISION(p, 0, &f, "record VSID 5002 10.0.2.7 MAC "
                   "00:00:00:00:02:07 at PA 192.168.1.1: delivered locally "
                   "in VSID 5002, MACs 00:00:00:00:02:01 -> "
                   "00:00:00:00:02:07");
    /* The edge gateway, for an outside address (wildcard record). */
    f = tunnel_flow(5002 << 8, "192.168.1.2", "00:00:00:00:02:fe",
                    "00:00:00:00:02:07", "8.8.8.8", "10.0.2.7");
    CHECK_DECISION(p, 0, &f, "record VSID 5002 10.0.2.7 MAC "
                   "00:00:00:00:02:07 at PA 192.168.1.1: delivered locally "
                   "in VSID 5002, MACs 00:00:00:00:02:fe -> "
                   "00:00:00:00:02:07");
    /* The edge gateway's traffic routed by its host into VSID 5001: the
     * source MAC is 5001's gateway MAC; a wildcard record of the routing
     * domain at the outer source vouches for the outside address. */
    f = tunnel_flow(5001 << 8, "192.168.1.2", "00:00:00:00:01:01",
                    "00:00:00:00:01:05", "8.8.8.8", "10.0.1.5");
    CHECK_DECISION(p, 0, &f, "record VSID 5001 10.0.1.5 MAC "
                   "00:00:00:00:01:05 at PA 192.168.1.1: delivered locally "
                   "in VSID 5001, MACs 00:00:00:00:01:01 -> "
                   "00:00:00:00:01:05");
    f = tunnel_flow(5001 << 8, "192.168.1.3", "00:00:00:00:01:01",
                    "00:00:00:00:01:05", "8.8.8.8", "10.0.1.5");
    CHECK_DECISION(p, 0, &f, "dropped: inner source does not live at the "
                   "outer source PA");
    f = tunnel_flow(6001 << 8, "192.168.1.2", "00:00:00:00:01:01",
                    "00:00:00:00:01:05", "8.8.8.8", "10.0.1.5");
    CHECK_DECISION(p, 0, &f, "dropped: inner source does not live at the "
                   "outer source PA");

    /* Forged: the source does not live at the outer source. */
    f = tunnel_flow(5001 << 8, "192.168.1.3", "00:00:00:00:01:06",
                    "00:00:00:00:01:05", "10.0.1.6", "10.0.1.5");
    CHECK_DECISION(p, 0, &f, "dropped: inner source does not live at the "
                   "outer source PA");
    f = tunnel_flow(6001 << 8, "192.168.1.2", "00:00:00:00:01:06",
                    "00:00:00:00:01:05", "10.0.1.6", "10.0.1.5");
    CHECK_DECISION(p, 0, &f, "dropped: inner source does not live at the "
                   "outer source PA");
    f = tunnel_flow(5001 << 8, "192.168.1.2", "00:00:00:00:01:06",
                    "00:00:00:00:01:07", "10.0.1.6", "10.0.1.6");
    CHECK_DECISION(p, 0, &f, "record VSID 5001 10.0.1.6 MAC "
                   "00:00:00:00:01:06 at PA 192.168.1.2: dropped: "
                   "destination does not live on this host");
    /* Routed to an edge gateway on this host, for an outside address:
     * delivered to the MAC of its local wildcard record. */
    set_record(p, 20, 5002, "0.0.0.0", "00:00:00:00:02:fd", "192.168.1.1");
    hnv_policy_commit(p);
    f = tunnel_flow(5002 << 8, "192.168.1.2", "00:00:00:00:02:01",
                    "00:00:00:00:02:fd", "10.0.1.6", "198.51.100.10");
    CHECK_DECISION(p, 0, &f, "record VSID 5002 0.0.0.0 MAC "
                   "00:00:00:00:02:fd at PA 192.168.1.1: delivered locally "
                   "in VSID 5002, MACs 00:00:00:00:02:01 -> "
                   "00:00:00:00:02:fd");
    f = tunnel_flow(5002 << 8, "192.168.1.2", "00:00:00:00:02:01",
                    "00:00:00:00:02:fe", "10.0.1.6", "198.51.100.10");
    CHECK_DECISION(p, 0, &f, "record VSID 5002 0.0.0.0 MAC "
                   "00:00:00:00:02:fe at PA 192.168.1.2: dropped: "
                   "destination does not live on this host");
    remove_record(p, 20);
    hnv_policy_commit(p);
    f = tunnel_flow(4095 << 8, "192.168.1.2", "00:00:00:00:01:06",
                    "00:00:00:00:01:05", "10.0.1.6", "10.0.1.5");
    CHECK_DECISION(p, 0, &f, "dropped: reserved VSID in the GRE key");
    f = tunnel_flow(0xffffffu << 8, "192.168.1.2", "00:00:00:00:01:06",
                    "00:00:00:00:01:05", "10.0.1.6", "10.0.1.5");
    CHECK_DECISION(p, 0, &f, "dropped: reserved VSID in the GRE key");
    /* A well-formed frame but for the GRE C bit. */
    f = tunnel_flow(5001 << 8, "192.168.1.2", "00:00:00:00:01:06",
                    "00:00:00:00:01:05", "10.0.1.6", "10.0.1.5");
    f.tunnel.flags = FLOW_TNL_F_KEY | FLOW_TNL_F_CSUM;
    CHECK_DECISION(p, 0, &f, "dropped: GRE checksum present (RFC 7637: C "
                   "must be 0)");

    /* Megaflow masks: the fields of the rules, never the transport ports;
     * a routed destination on the route's prefix only. */
    struct flow_wildcards wc;
    struct hnv_decision d;

    flow_wildcards_init_catchall(&wc);
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:06", "10.0.1.5",
                "10.0.1.6", 64);
    hnv_stage_from_vm(p, 5001, &f, &wc, &d);
    CHECK(d.action == HNV_ACTION_ENCAP);
    CHECK(wc.masks.nw_dst == OVS_BE32_MAX && wc.masks.nw_src == OVS_BE32_MAX);
    CHECK(eth_addr_equals(wc.masks.dl_src, eth_addr_exact));
    CHECK(!wc.masks.tp_src && !wc.masks.tp_dst && !wc.masks.nw_ttl);

    flow_wildcards_init_catchall(&wc);
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:01", "10.0.1.5",
                "8.8.8.8", 64);
    hnv_stage_from_vm(p, 5001, &f, &wc, &d);
    CHECK(d.action == HNV_ACTION_ENCAP && d.dec_ttl);
    CHECK(wc.masks.nw_ttl == 0xff);
    CHECK(wc.masks.nw_dst != OVS_BE32_MAX && wc.masks.nw_dst != 0);
    CHECK(!wc.masks.tp_src && !wc.masks.tp_dst);

    flow_wildcards_init_catchall(&wc);
    f = tunnel_flow(5001 << 8, "192.168.1.2", "00:00:00:00:01:06",
                    "00:00:00:00:01:05", "10.0.1.6", "10.0.1.5");
    hnv_stage_from_tunnel(p, &f, &wc, &d);
    CHECK(d.action == HNV_ACTION_DELIVER);
    CHECK(wc.masks.tunnel.tun_id == OVS_BE64_MAX
          && wc.masks.tunnel.ip_src == OVS_BE32_MAX);
    CHECK(!wc.masks.tp_src && !wc.masks.tp_dst);

    /* Source validation alone (for local switching and learning), and the
     * decision's record of it. */
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:06", "10.0.1.5",
                "10.0.1.6", 64);
    CHECK(hnv_stage_check_source(p, 5001, &f, NULL) == HNV_SOURCE_VALID);
    hnv_stage_from_vm(p, 5001, &f, NULL, &d);
    CHECK(d.source_valid);
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:06", "10.0.1.99",
                "10.0.1.6", 64);
    CHECK(hnv_stage_check_source(p, 5001, &f, NULL) == HNV_SOURCE_SPOOFED);
    hnv_stage_from_vm(p, 5001, &f, NULL, &d);
    CHECK(!d.source_valid);
    f = arp_flow("00:00:00:00:01:05", "0.0.0.0", "10.0.1.5", ARP_OP_REQUEST);
    CHECK(hnv_stage_check_source(p, 5001, &f, NULL) == HNV_SOURCE_NONE);
    f.dl_type = htons(0x88b5);
    CHECK(hnv_stage_check_source(p, 5001, &f, NULL) == HNV_SOURCE_NONE);

    /* Every drop reason has a name and words. */
    for (int i = 0; i < HNV_N_DROP_REASONS; i++) {
        CHECK(strcmp(hnv_drop_reason_name(i), "unknown"));
        CHECK(strcmp(hnv_drop_reason_text(i), "unknown"));
    }

    hnv_policy_destroy(p);
    finish("words");
}


/* "fields". */
static void
test_fields(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    struct hnv_policy *p = stage_policy();
    struct hnv_decision d;
    struct flow f;

    /* Same subnet, remote VM: NVGRE from the sender's PA to the record's,
     * key VSID << 8, inner destination MAC = the record's MAC (whatever
     * the frame carried), source MAC unchanged, TTL unchanged. */
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:99:99", "10.0.1.5",
                "10.0.1.6", 64);
    from_vm(p, 5001, &f, &d);
    CHECK_ENCAP(&d, 5001, 5001, "192.168.1.1", "192.168.1.2",
                "00:00:00:00:01:05", "00:00:00:00:01:06", false);
    CHECK_EQ("key", d.key, 0x138900);
    CHECK_EQ("source record", rid(d.source), 1);
    CHECK_EQ("destination record", rid(d.record), 2);
    CHECK(d.route == NULL);
    /* IPv6 CA over the IPv4 PA. */
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:06", "fd01::5",
                "fd01::6", 64);
    from_vm(p, 5001, &f, &d);
    CHECK_ENCAP(&d, 5001, 5001, "192.168.1.1", "192.168.1.2",
                "00:00:00:00:01:05", "00:00:00:00:01:06", false);
    CHECK_EQ("destination record", rid(d.record), 10);

    /* Same subnet, local VM (tenant B: the same addresses, its own
     * records): delivered in VSID 6001, no TTL change. */
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:06", "10.0.1.5",
                "10.0.1.6", 64);
    from_vm(p, 6001, &f, &d);
    CHECK_DELIVER(&d, 6001, 6001, "00:00:00:00:01:05", "00:00:00:00:01:06",
                  false);
    CHECK_EQ("destination record", rid(d.record), 13);
    CHECK_EQ("source record", rid(d.source), 12);

    /* Routed to a remote VM of another VSID: source MAC = the destination
     * VSID's gateway MAC, destination MAC = the record's, TTL - 1, key of
     * the destination VSID. */
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:01", "10.0.1.5",
                "10.0.2.8", 64);
    from_vm(p, 5001, &f, &d);
    CHECK_ENCAP(&d, 5001, 5002, "192.168.1.1", "192.168.1.3",
                "00:00:00:00:02:01", "00:00:00:00:02:08", true);
    CHECK_EQ("key", d.key, 0x138a00);
    CHECK(d.route && d.route->vsid == 5002 && d.route->plen == 24);
    CHECK_EQ("destination record", rid(d.record), 5);
    /* Routed to a local VM. */
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:01", "10.0.1.5",
                "10.0.2.7", 64);
    from_vm(p, 5001, &f, &d);
    CHECK_DELIVER(&d, 5001, 5002, "00:00:00:00:02:01", "00:00:00:00:02:07",
                  true);
    CHECK_EQ("destination record", rid(d.record), 4);
    /* Routed outside: the default route's next hop, the edge gateway. */
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:01", "10.0.1.5",
                "8.8.8.8", 64);
    from_vm(p, 5001, &f, &d);
    CHECK_ENCAP(&d, 5001, 5002, "192.168.1.1", "192.168.1.2",
                "00:00:00:00:02:01", "00:00:00:00:02:fe", true);
    CHECK(d.route && d.route->plen == 0);
    CHECK_EQ("destination record", rid(d.record), 7);
    /* IPv6 routed, on-link and by the IPv6 default route. */
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:01", "fd01::5",
                "fd02::7", 64);
    from_vm(p, 5001, &f, &d);
    CHECK_DELIVER(&d, 5001, 5002, "00:00:00:00:02:01", "00:00:00:00:02:07",
                  true);
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:01", "fd01::5",
                "2001:db8:1::1", 64);
    from_vm(p, 5001, &f, &d);
    CHECK_ENCAP(&d, 5001, 5002, "192.168.1.1", "192.168.1.2",
                "00:00:00:00:02:01", "00:00:00:00:02:fe", true);
    CHECK_EQ("destination record", rid(d.record), 15);

    /* ARP reply: the target and the record's MAC, for a remote VM, the
     * gateway, and in the other tenant's domain its own record. */
    f = arp_flow("00:00:00:00:01:05", "10.0.1.5", "10.0.1.6",
                 ARP_OP_REQUEST);
    from_vm(p, 5001, &f, &d);
    CHECK_ACTION(&d, HNV_ACTION_ARP_REPLY);
    CHECK_ADDR("target", &d.target, "10.0.1.6");
    CHECK_MAC("reply_mac", d.reply_mac, "00:00:00:00:01:06");
    CHECK_EQ("record", rid(d.record), 2);
    CHECK(d.source_valid);
    f = arp_flow("00:00:00:00:01:05", "10.0.1.5", "10.0.1.1",
                 ARP_OP_REQUEST);
    from_vm(p, 5001, &f, &d);
    CHECK_ACTION(&d, HNV_ACTION_ARP_REPLY);
    CHECK_ADDR("target", &d.target, "10.0.1.1");
    CHECK_MAC("reply_mac", d.reply_mac, "00:00:00:00:01:01");
    f = arp_flow("00:00:00:00:01:05", "10.0.1.5", "10.0.1.6",
                 ARP_OP_REQUEST);
    from_vm(p, 6001, &f, &d);
    CHECK_ACTION(&d, HNV_ACTION_ARP_REPLY);
    CHECK_EQ("record", rid(d.record), 13);

    /* ND advertisement. */
    f = ns_flow("00:00:00:00:01:05", "fd01::5", "fd01::6");
    from_vm(p, 5001, &f, &d);
    CHECK_ACTION(&d, HNV_ACTION_ND_ADVERT);
    CHECK_ADDR("target", &d.target, "fd01::6");
    CHECK_MAC("reply_mac", d.reply_mac, "00:00:00:00:01:06");
    CHECK_EQ("record", rid(d.record), 10);
    f = ns_flow("00:00:00:00:01:05", "fd01::5", "fd01::1");
    from_vm(p, 5001, &f, &d);
    CHECK_ACTION(&d, HNV_ACTION_ND_ADVERT);
    CHECK_MAC("reply_mac", d.reply_mac, "00:00:00:00:01:01");

    /* Drops from a VM port, one per reason the stage decides there. */
    f = arp_flow("00:00:00:00:01:05", "10.0.1.5", "10.0.1.99",
                 ARP_OP_REQUEST);
    from_vm(p, 5001, &f, &d);
    CHECK_DROP(&d, HNV_DROP_NO_RECORD);
    f = arp_flow("00:00:00:00:01:05", "0.0.0.0", "10.0.1.5", ARP_OP_REQUEST);
    from_vm(p, 5001, &f, &d);
    CHECK_DROP(&d, HNV_DROP_ADDRESS_PROBE);
    f = arp_flow("00:00:00:00:01:05", "10.0.1.5", "10.0.1.5", ARP_OP_REQUEST);
    from_vm(p, 5001, &f, &d);
    CHECK_DROP(&d, HNV_DROP_GRATUITOUS);
    f = arp_flow("00:00:00:00:01:05", "10.0.1.5", "10.0.1.6", ARP_OP_REPLY);
    from_vm(p, 5001, &f, &d);
    CHECK_DROP(&d, HNV_DROP_ARP_NOT_REQUEST);
    f = arp_flow("00:00:00:00:01:99", "10.0.1.5", "10.0.1.6",
                 ARP_OP_REQUEST);
    from_vm(p, 5001, &f, &d);
    CHECK_DROP(&d, HNV_DROP_SPOOFED);
    f = ns_flow("00:00:00:00:01:05", "::", "fd01::5");
    from_vm(p, 5001, &f, &d);
    CHECK_DROP(&d, HNV_DROP_ADDRESS_PROBE);
    f = ns_flow("00:00:00:00:01:05", "fd01::5", "fd01::6");
    f.tp_src = htons(ND_ROUTER_SOLICIT);
    from_vm(p, 5001, &f, &d);
    CHECK_DROP(&d, HNV_DROP_ND_OTHER);
    /* Another VM's address (a remote one), another MAC. */
    f = ip_flow("00:00:00:00:01:06", "00:00:00:00:01:05", "10.0.1.6",
                "10.0.1.5", 64);
    from_vm(p, 5001, &f, &d);
    CHECK_DROP(&d, HNV_DROP_SPOOFED);
    CHECK(!d.source_valid);
    f = ip_flow("00:00:00:00:01:66", "00:00:00:00:01:06", "10.0.1.5",
                "10.0.1.6", 64);
    from_vm(p, 5001, &f, &d);
    CHECK_DROP(&d, HNV_DROP_SPOOFED);
    /* Tenant A's VM cannot use tenant B's record, and vice versa: 10.0.1.6
     * lives here in RD2 only. */
    f = ip_flow("00:00:00:00:01:06", "00:00:00:00:01:05", "10.0.1.6",
                "10.0.1.5", 64);
    from_vm(p, 5001, &f, &d);
    CHECK_DROP(&d, HNV_DROP_SPOOFED);
    /* A VM of VSID 5002 on this host, its own address and MAC, but from a
     * port of VSID 5001 (same routing domain): the record is of another
     * VSID (HNV-SPEC 3.1 step 3 matches (V, CA, MAC)). */
    f = ip_flow("00:00:00:00:02:07", "00:00:00:00:01:06", "10.0.2.7",
                "10.0.1.6", 64);
    from_vm(p, 5001, &f, &d);
    CHECK_DROP(&d, HNV_DROP_SPOOFED);
    f = arp_flow("00:00:00:00:02:07", "10.0.2.7", "10.0.1.6",
                 ARP_OP_REQUEST);
    from_vm(p, 5001, &f, &d);
    CHECK_DROP(&d, HNV_DROP_SPOOFED);
    f = ip_flow("00:00:00:00:01:05", "ff:ff:ff:ff:ff:ff", "10.0.1.5",
                "10.0.1.255", 64);
    from_vm(p, 5001, &f, &d);
    CHECK_DROP(&d, HNV_DROP_MULTICAST);
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:06", "10.0.1.5",
                "10.0.1.6", 64);
    f.dl_type = htons(0x88cc);
    from_vm(p, 5001, &f, &d);
    CHECK_DROP(&d, HNV_DROP_NOT_IP);
    f.dl_type = htons(ETH_TYPE_IP);
    f.vlans[0].tci = htons(VLAN_CFI | 10);
    from_vm(p, 5001, &f, &d);
    CHECK_DROP(&d, HNV_DROP_TAGGED);
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:07", "10.0.1.5",
                "10.0.1.7", 64);
    from_vm(p, 5001, &f, &d);
    CHECK_DROP(&d, HNV_DROP_NO_RECORD);
    /* Tenant B has no route outside. */
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:01", "10.0.1.5",
                "8.8.8.8", 64);
    from_vm(p, 6001, &f, &d);
    CHECK(d.action == HNV_ACTION_DROP);
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:01", "10.0.1.5",
                "10.0.2.8", 1);
    from_vm(p, 5001, &f, &d);
    CHECK_DROP(&d, HNV_DROP_TTL_EXPIRED);
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:01", "10.0.1.5",
                "10.0.3.9", 64);
    from_vm(p, 5001, &f, &d);
    CHECK_DROP(&d, HNV_DROP_NO_GATEWAY);
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:01", "10.0.1.5",
                "10.0.1.1", 64);
    from_vm(p, 5001, &f, &d);
    CHECK_DROP(&d, HNV_DROP_GATEWAY_PA);
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:20", "10.0.1.5",
                "10.0.1.20", 64);
    from_vm(p, 5001, &f, &d);
    CHECK_DROP(&d, HNV_DROP_NAT);
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:21", "10.0.1.5",
                "10.0.1.21", 64);
    from_vm(p, 5001, &f, &d);
    CHECK_DROP(&d, HNV_DROP_NO_LOCAL_PA);
    /* An IPv6 packet to an IPv4-mapped address routes nowhere. */
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:01", "fd01::5",
                "fd02::7", 64);
    in6_addr_set_mapped_ipv4(&f.ipv6_dst, ip4("10.0.2.8"));
    from_vm(p, 5001, &f, &d);
    CHECK_DROP(&d, HNV_DROP_NO_ROUTE);

    /* From the tunnel: delivered in the key's VSID, MACs as they came;
     * any FlowID. */
    f = tunnel_flow(5001 << 8 | 0x2a, "192.168.1.2", "00:00:00:00:01:06",
                    "00:00:00:00:01:05", "10.0.1.6", "10.0.1.5");
    from_tunnel(p, &f, &d);
    CHECK_DELIVER(&d, 5001, 5001, "00:00:00:00:01:06", "00:00:00:00:01:05",
                  false);
    CHECK_EQ("destination record", rid(d.record), 1);
    f = tunnel_flow(6001 << 8, "192.168.1.2", "00:00:00:00:01:06",
                    "00:00:00:00:01:05", "10.0.1.6", "10.0.1.5");
    from_tunnel(p, &f, &d);
    CHECK_DROP(&d, HNV_DROP_TUNNEL_SPOOFED);
    f = tunnel_flow(5001 << 8, "192.168.1.3", "00:00:00:00:01:06",
                    "00:00:00:00:01:05", "10.0.1.6", "10.0.1.5");
    from_tunnel(p, &f, &d);
    CHECK_DROP(&d, HNV_DROP_TUNNEL_SPOOFED);
    f = tunnel_flow(5001 << 8, "192.168.1.2", "00:00:00:00:01:06",
                    "00:00:00:00:01:06", "10.0.1.6", "10.0.1.6");
    from_tunnel(p, &f, &d);
    CHECK_DROP(&d, HNV_DROP_NOT_LOCAL);
    f = tunnel_flow(4095 << 8, "192.168.1.2", "00:00:00:00:01:06",
                    "00:00:00:00:01:05", "10.0.1.6", "10.0.1.5");
    from_tunnel(p, &f, &d);
    CHECK_DROP(&d, HNV_DROP_RESERVED_VSID);
    f = tunnel_flow(5001 << 8, "192.168.1.2", "00:00:00:00:01:06",
                    "00:00:00:00:01:05", "10.0.1.6", "10.0.1.5");
    f.tunnel.flags |= FLOW_TNL_F_CSUM;
    from_tunnel(p, &f, &d);
    CHECK_DROP(&d, HNV_DROP_GRE_CHECKSUM);
    f = tunnel_flow(5001 << 8, "192.168.1.2", "00:00:00:00:01:06",
                    "00:00:00:00:01:05", "10.0.1.6", "10.0.1.5");
    f.vlans[0].tci = htons(VLAN_CFI | 10);
    from_tunnel(p, &f, &d);
    CHECK_DROP(&d, HNV_DROP_TAGGED);
    f.vlans[0].tci = 0;
    f.dl_type = htons(ETH_TYPE_ARP);
    from_tunnel(p, &f, &d);
    CHECK_DROP(&d, HNV_DROP_NOT_IP);

    hnv_policy_destroy(p);
    finish("fields");
}

/* "masks": HNV-SPEC 3.5 and hnv-stage.h: exactly the fields of the rules,
 * never the transport ports; a routed destination on the bits the route
 * lookup examined. */
static void
test_masks(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    struct hnv_policy *p = stage_policy();
    struct flow_wildcards wc;
    struct hnv_decision d;
    struct flow f;

    /* Same subnet: exact addresses and MACs, no TTL, no ports. */
    flow_wildcards_init_catchall(&wc);
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:06", "10.0.1.5",
                "10.0.1.6", 64);
    hnv_stage_from_vm(p, 5001, &f, &wc, &d);
    CHECK_ACTION(&d, HNV_ACTION_ENCAP);
    CHECK_EQ("nw_src mask", ntohl(wc.masks.nw_src), 0xffffffff);
    CHECK_EQ("nw_dst mask", ntohl(wc.masks.nw_dst), 0xffffffff);
    CHECK(eth_addr_equals(wc.masks.dl_src, eth_addr_exact));
    CHECK(eth_addr_equals(wc.masks.dl_dst, eth_addr_exact));
    CHECK_EQ("dl_type mask", ntohs(wc.masks.dl_type), 0xffff);
    CHECK_EQ("nw_ttl mask", wc.masks.nw_ttl, 0);
    CHECK_EQ("tp_src mask", ntohs(wc.masks.tp_src), 0);
    CHECK_EQ("tp_dst mask", ntohs(wc.masks.tp_dst), 0);

    /* Routed by a next hop: the RD's longest IPv4 prefix is /24. */
    flow_wildcards_init_catchall(&wc);
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:01", "10.0.1.5",
                "8.8.8.8", 64);
    hnv_stage_from_vm(p, 5001, &f, &wc, &d);
    CHECK_ACTION(&d, HNV_ACTION_ENCAP);
    CHECK_EQ("nw_dst mask", ntohl(wc.masks.nw_dst), 0xffffff00);
    CHECK_EQ("nw_ttl mask", wc.masks.nw_ttl, 0xff);
    CHECK_EQ("tp_src mask", ntohs(wc.masks.tp_src), 0);
    CHECK_EQ("tp_dst mask", ntohs(wc.masks.tp_dst), 0);
    /* Routed on-link: the destination itself is the record: /32. */
    flow_wildcards_init_catchall(&wc);
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:01", "10.0.1.5",
                "10.0.2.8", 64);
    hnv_stage_from_vm(p, 5001, &f, &wc, &d);
    CHECK_ACTION(&d, HNV_ACTION_ENCAP);
    CHECK_EQ("nw_dst mask", ntohl(wc.masks.nw_dst), 0xffffffff);

    /* IPv6 routed by the ::/0 next hop: the RD's longest IPv6 prefix is
     * /64. */
    flow_wildcards_init_catchall(&wc);
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:01", "fd01::5",
                "2001:db8:1::1", 64);
    hnv_stage_from_vm(p, 5001, &f, &wc, &d);
    CHECK_ACTION(&d, HNV_ACTION_ENCAP);
    struct in6_addr m64 = ipv6_create_mask(64);
    if (!ipv6_addr_equals(&wc.masks.ipv6_dst, &m64)) {
        char *s = addr_string(&wc.masks.ipv6_dst);
        fail(__FILE__, __LINE__, "ipv6_dst mask: expected ffff:ffff:ffff:ffff::, "
             "got %s", s);
        free(s);
    }
    CHECK(ipv6_addr_equals(&wc.masks.ipv6_src, &in6addr_exact));
    CHECK_EQ("nw_ttl mask", wc.masks.nw_ttl, 0xff);
    CHECK_EQ("tp_src mask", ntohs(wc.masks.tp_src), 0);

    /* A longer prefix in the domain lengthens what a lookup examines:
     * with 10.9.9.0/28 in RD1, 8.8.8.8 is matched on 28 bits. */
    set_route(p, 9, RD1, 5002, "10.9.9.0/28", "0.0.0.0", 0);
    hnv_policy_commit(p);
    flow_wildcards_init_catchall(&wc);
    f = ip_flow("00:00:00:00:01:05", "00:00:00:00:01:01", "10.0.1.5",
                "8.8.8.8", 64);
    hnv_stage_from_vm(p, 5001, &f, &wc, &d);
    CHECK_ACTION(&d, HNV_ACTION_ENCAP);
    CHECK_EQ("nw_dst mask", ntohl(wc.masks.nw_dst), 0xfffffff0);

    /* From the tunnel: key, outer source, inner addresses; no ports. */
    flow_wildcards_init_catchall(&wc);
    f = tunnel_flow(5001 << 8, "192.168.1.2", "00:00:00:00:01:06",
                    "00:00:00:00:01:05", "10.0.1.6", "10.0.1.5");
    hnv_stage_from_tunnel(p, &f, &wc, &d);
    CHECK_ACTION(&d, HNV_ACTION_DELIVER);
    CHECK_EQ("tun_id mask", ntohll(wc.masks.tunnel.tun_id), UINT64_MAX);
    CHECK_EQ("tun_src mask", ntohl(wc.masks.tunnel.ip_src), 0xffffffff);
    CHECK_EQ("nw_src mask", ntohl(wc.masks.nw_src), 0xffffffff);
    CHECK_EQ("nw_dst mask", ntohl(wc.masks.nw_dst), 0xffffffff);
    CHECK_EQ("tp_src mask", ntohs(wc.masks.tp_src), 0);
    CHECK_EQ("tp_dst mask", ntohs(wc.masks.tp_dst), 0);
    CHECK_EQ("nw_ttl mask", wc.masks.nw_ttl, 0);

    hnv_policy_destroy(p);
    finish("masks");
}

/* "drop-names": the names are the coverage counters "hnv_drop_<name>" and
 * the keys of "hnv/stats": an interface. */
static void
test_drop_names(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    static const char *const expected[] = {
        [HNV_DROP_NOT_IP] = "not_ip",
        [HNV_DROP_TAGGED] = "tagged",
        [HNV_DROP_MULTICAST] = "multicast",
        [HNV_DROP_ARP_NOT_REQUEST] = "arp_not_request",
        [HNV_DROP_ADDRESS_PROBE] = "address_probe",
        [HNV_DROP_GRATUITOUS] = "gratuitous",
        [HNV_DROP_ND_OTHER] = "nd_other",
        [HNV_DROP_SPOOFED] = "spoofed",
        [HNV_DROP_NO_RECORD] = "no_record",
        [HNV_DROP_NO_ROUTE] = "no_route",
        [HNV_DROP_NO_GATEWAY] = "no_gateway",
        [HNV_DROP_TTL_EXPIRED] = "ttl_expired",
        [HNV_DROP_GATEWAY_PA] = "gateway_pa",
        [HNV_DROP_NAT] = "nat",
        [HNV_DROP_NO_LOCAL_PA] = "no_local_pa",
        [HNV_DROP_RESERVED_VSID] = "reserved_vsid",
        [HNV_DROP_GRE_CHECKSUM] = "gre_checksum",
        [HNV_DROP_TUNNEL_SPOOFED] = "tunnel_spoofed",
        [HNV_DROP_NOT_LOCAL] = "not_local",
        [HNV_DROP_NO_TUNNEL_PORT] = "no_tunnel_port",
    };

    CHECK_EQ("number of drop reasons", HNV_N_DROP_REASONS,
             ARRAY_SIZE(expected));
    for (int i = 0; i < HNV_N_DROP_REASONS; i++) {
        const char *name = hnv_drop_reason_name(i);
        const char *text = hnv_drop_reason_text(i);

        if (i >= ARRAY_SIZE(expected) || !expected[i]) {
            fail(__FILE__, __LINE__, "drop reason %d (%s) is not in the list", i, name);
            continue;
        }
        if (strcmp(name, expected[i])) {
            fail(__FILE__, __LINE__, "drop reason %d: expected name %s, got %s", i,
                 expected[i], name);
        }
        if (!strcmp(text, "unknown") || !text[0]) {
            fail(__FILE__, __LINE__, "drop reason %s has no words", name);
        }
        for (int j = 0; j < i; j++) {
            if (!strcmp(name, hnv_drop_reason_name(j))) {
                fail(__FILE__, __LINE__, "drop reasons %d and %d share name %s", j, i,
                     name);
            }
            if (!strcmp(text, hnv_drop_reason_text(j))) {
                fail(__FILE__, __LINE__, "drop reasons %d and %d share words", j, i);
            }
        }
    }
    CHECK(!strcmp(hnv_drop_reason_name(HNV_N_DROP_REASONS), "unknown"));

    finish("drop-names");
}

static const struct ovs_cmdl_command commands[] = {
    {"words", NULL, 0, 0, test_words, OVS_RO},
    {"fields", NULL, 0, 0, test_fields, OVS_RO},
    {"masks", NULL, 0, 0, test_masks, OVS_RO},
    {"drop-names", NULL, 0, 0, test_drop_names, OVS_RO},
    {NULL, NULL, 0, 0, NULL, OVS_RO},
};

static void
test_hnv_stage_main(int argc, char *argv[])
{
    struct ovs_cmdl_context ctx = {
        .argc = argc - optind,
        .argv = argv + optind,
    };

    set_program_name(argv[0]);
    ovs_cmdl_run_command(&ctx, commands);
}

OVSTEST_REGISTER("test-hnv-stage", test_hnv_stage_main);
