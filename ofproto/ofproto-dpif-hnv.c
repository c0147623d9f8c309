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
#include "ofproto-dpif-hnv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "coverage.h"
#include "dp-packet.h"
#include "flow.h"
#include "hnv/hnv-l2.h"
#include "hnv/hnv-policy.h"
#include "hnv/hnv-stage.h"
#include "hnv/hnv-stats.h"
#include "hnv/hnv-types.h"
#include "ofproto-dpif.h"
#include "ofproto-dpif-trace.h"
#include "ofproto-dpif-xlate.h"
#include "ofproto-dpif-xlate-cache.h"
#include "ofproto.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovs-rcu.h"
#include "packets.h"
#include "seq.h"
#include "simap.h"
#include "smap.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(ofproto_dpif_hnv);

COVERAGE_DEFINE(hnv_arp_reply);
COVERAGE_DEFINE(hnv_nd_advert);
COVERAGE_DEFINE(hnv_learn);

/* A VM port, in 'hnv_xbridge->ports'. */
struct hnv_xport {
    struct hmap_node hmap_node;         /* Hashed on 'ofp_port'. */
    ofp_port_t ofp_port;
    uint32_t vsid;
    char *name;                         /* For introspection. */
};

/* What translation reads of an HNV bridge: an immutable snapshot of its
 * settings, published in 'ofproto_dpif->hnv_xbridge' under RCU and replaced
 * as a whole when they change. */
struct hnv_xbridge {
    const struct hnv_policy *policy;    /* Host policy (RCU itself). */
    ofp_port_t tunnel_port;             /* OFPP_NONE if not on the bridge. */
    struct hmap ports;                  /* VM ports: "struct hnv_xport"s. */

    /* The bridge's, shared by its successive snapshots. */
    struct hnv_l2 *l2;                  /* VSID-scoped MAC learning. */
    struct hnv_stats *stats;            /* Per-VSID counters (a ref). */
};

/* The HNV settings of one bridge (main thread only). */
struct ofproto_dpif_hnv {
    struct ovs_list list_node;          /* In 'hnv_bridges'. */
    struct ofproto_dpif *ofproto;       /* The bridge. */
    const struct hnv_policy *policy;    /* Host policy, owned by vswitchd. */
    uint64_t policy_seqno;              /* Policy change count seen last. */
    char *tunnel_port;                  /* Name of the NVGRE port. */
    struct smap other_config;           /* HNV.other_config. */
    struct simap port_vsids;            /* Interface name -> VSID. */

    struct hnv_xbridge *xbridge;        /* Published snapshot. */
    struct hnv_l2 *l2;                  /* Owned; freed after RCU. */
    struct hnv_stats *stats;            /* A reference. */
    uint64_t l2_seqno;                  /* hnv_l2_seq() seen last. */
    bool ports_changed;                 /* A port came or went since the
                                         * snapshot was last checked. */
};

/* Every HNV-enabled bridge, in the order they were enabled. */
static struct ovs_list hnv_bridges = OVS_LIST_INITIALIZER(&hnv_bridges);

/* Snapshots. */

static const struct hnv_xport *
xport_find(const struct hnv_xbridge *xb, ofp_port_t ofp_port)
{
    const struct hnv_xport *xp;

    HMAP_FOR_EACH_IN_BUCKET (xp, hmap_node, hash_ofp_port(ofp_port),
                             &xb->ports) {
        if (xp->ofp_port == ofp_port) {
            return xp;
        }
    }
    return NULL;
}

static ofp_port_t
port_by_name(const struct ofproto_dpif *ofproto, const char *name)
{
    const struct ofport *ofport = shash_find_data(&ofproto->up.port_by_name,
                                                  name);
    return ofport ? ofport->ofp_port : OFPP_NONE;
}

/* Builds the snapshot of 'hnv''s settings. */
static struct hnv_xbridge *
xbridge_create(const struct ofproto_dpif_hnv *hnv)
{
    struct hnv_xbridge *xb = xzalloc(sizeof *xb);
    const struct simap_node *node;

    xb->policy = hnv->policy;
    xb->tunnel_port = (hnv->tunnel_port[0]
                       ? port_by_name(hnv->ofproto, hnv->tunnel_port)
                       : OFPP_NONE);
    hmap_init(&xb->ports);
    SIMAP_FOR_EACH (node, &hnv->port_vsids) {
        ofp_port_t ofp_port = port_by_name(hnv->ofproto, node->name);

        if (ofp_port != OFPP_NONE && ofp_port != xb->tunnel_port
            && !xport_find(xb, ofp_port)) {
            struct hnv_xport *xp = xmalloc(sizeof *xp);

            xp->ofp_port = ofp_port;
            xp->vsid = node->data;
            xp->name = xstrdup(node->name);
            hmap_insert(&xb->ports, &xp->hmap_node, hash_ofp_port(ofp_port));
        }
    }
    xb->l2 = hnv->l2;
    xb->stats = hnv_stats_ref(hnv->stats);
    return xb;
}

static void
xbridge_free(struct hnv_xbridge *xb)
{
    if (xb) {
        struct hnv_xport *xp;

        HMAP_FOR_EACH_POP (xp, hmap_node, &xb->ports) {
            free(xp->name);
            free(xp);
        }
        hmap_destroy(&xb->ports);
        hnv_stats_unref(xb->stats);
        free(xb);
    }
}

static bool
xbridge_equal(const struct hnv_xbridge *a, const struct hnv_xbridge *b)
{
    const struct hnv_xport *xp;

    if (!a || !b || a->policy != b->policy
        || a->tunnel_port != b->tunnel_port
        || hmap_count(&a->ports) != hmap_count(&b->ports)) {
        return false;
    }
    HMAP_FOR_EACH (xp, hmap_node, &a->ports) {
        const struct hnv_xport *other = xport_find(b, xp->ofp_port);
        if (!other || other->vsid != xp->vsid || strcmp(other->name,
                                                        xp->name)) {
            return false;
        }
    }
    return true;
}

/* Forgets the MACs learned on ports of 'old' that 'new' (NULL: none) no
 * longer has in the same VSID. */
static void
flush_moved_ports(struct hnv_l2 *l2, const struct hnv_xbridge *old,
                  const struct hnv_xbridge *new)
{
    const struct hnv_xport *xp;

    if (!old) {
        return;
    }
    HMAP_FOR_EACH (xp, hmap_node, &old->ports) {
        const struct hnv_xport *now = new ? xport_find(new, xp->ofp_port)
                                          : NULL;
        if (!now || now->vsid != xp->vsid) {
            hnv_l2_flush_port(l2, xp->ofp_port);
        }
    }
}

/* Gives counters of their own to the VSIDs bound to VM ports in 'xb', and
 * to no other: a forged NVGRE key, or any VSID with no VM port here, is
 * counted in the "other VSIDs" bucket, so that the table's size is bounded
 * by the bridge's configuration, never by what arrives on the wire. */
static void
set_stats_vsids(struct hnv_stats *stats, const struct hnv_xbridge *xb)
{
    uint32_t *vsids = xmalloc((hmap_count(&xb->ports) + 1) * sizeof *vsids);
    const struct hnv_xport *xp;
    size_t n = 0;

    HMAP_FOR_EACH (xp, hmap_node, &xb->ports) {
        vsids[n++] = xp->vsid;
    }
    hnv_stats_set_vsids(stats, vsids, n);
    free(vsids);
}

static void
request_revalidation(struct ofproto_dpif *ofproto)
{
    ofproto->backer->need_revalidate = REV_RECONFIGURE;
}

/* Publishes a new snapshot of 'hnv' if it differs from the current one.
 * Returns true if it did. */
static bool
publish_xbridge(struct ofproto_dpif_hnv *hnv)
{
    struct hnv_xbridge *xb = xbridge_create(hnv);

    if (xbridge_equal(xb, hnv->xbridge)) {
        xbridge_free(xb);
        return false;
    }
    if (hnv->tunnel_port[0] && xb->tunnel_port == OFPP_NONE) {
        VLOG_WARN("%s: HNV tunnel port %s is not on the bridge: nothing is "
                  "encapsulated", hnv->ofproto->up.name, hnv->tunnel_port);
    }
    flush_moved_ports(hnv->l2, hnv->xbridge, xb);
    set_stats_vsids(hnv->stats, xb);
    ovsrcu_set(&hnv->ofproto->hnv_xbridge, xb);
    if (hnv->xbridge) {
        ovsrcu_postpone(xbridge_free, hnv->xbridge);
    }
    hnv->xbridge = xb;
    return true;
}

static void
hnv_bridge_free(struct ofproto_dpif_hnv *hnv)
{
    if (hnv) {
        ovsrcu_set(&hnv->ofproto->hnv_xbridge, NULL);
        if (hnv->xbridge) {
            ovsrcu_postpone(xbridge_free, hnv->xbridge);
        }
        hnv_l2_destroy(hnv->l2);
        hnv_stats_unref(hnv->stats);
        ovs_list_remove(&hnv->list_node);
        free(hnv->tunnel_port);
        smap_destroy(&hnv->other_config);
        simap_destroy(&hnv->port_vsids);
        free(hnv);
    }
}

int
ofproto_dpif_set_hnv(struct ofproto *ofproto_,
                     const struct ofproto_hnv_settings *s)
{
    struct ofproto_dpif *ofproto = CONTAINER_OF(ofproto_, struct ofproto_dpif,
                                                up);
    struct ofproto_dpif_hnv *hnv = ofproto->hnv;
    const char *tunnel_port = s && s->tunnel_port ? s->tunnel_port : "";
    struct simap no_ports = SIMAP_INITIALIZER(&no_ports);
    const struct simap *port_vsids = (s && s->port_vsids ? s->port_vsids
                                      : &no_ports);

    if (!s) {
        if (hnv) {
            VLOG_INFO("%s: HNV disabled", ofproto->up.name);
            hnv_bridge_free(hnv);
            ofproto->hnv = NULL;
            request_revalidation(ofproto);
        }
        return 0;
    }

    if (!hnv) {
        hnv = xzalloc(sizeof *hnv);
        hnv->ofproto = ofproto;
        hnv->tunnel_port = xstrdup("");
        smap_init(&hnv->other_config);
        simap_init(&hnv->port_vsids);
        hnv->l2 = hnv_l2_create();
        hnv->l2_seqno = seq_read(hnv_l2_seq(hnv->l2));
        hnv->stats = hnv_stats_create();
        ovs_list_push_back(&hnv_bridges, &hnv->list_node);
        ofproto->hnv = hnv;
        VLOG_INFO("%s: HNV enabled, tunnel port %s",
                  ofproto->up.name, tunnel_port[0] ? tunnel_port : "(none)");
    }

    bool changed = (hnv->policy != s->policy
                    || hnv->policy_seqno != s->policy_seqno
                    || strcmp(hnv->tunnel_port, tunnel_port)
                    || !smap_equal(&hnv->other_config, s->other_config)
                    || !simap_equal(&hnv->port_vsids, port_vsids));
    if (changed) {
        hnv->policy = s->policy;
        hnv->policy_seqno = s->policy_seqno;
        free(hnv->tunnel_port);
        hnv->tunnel_port = xstrdup(tunnel_port);
        smap_destroy(&hnv->other_config);
        smap_clone(&hnv->other_config, s->other_config);
        simap_destroy(&hnv->port_vsids);
        simap_init(&hnv->port_vsids);
        const struct simap_node *node;
        SIMAP_FOR_EACH (node, port_vsids) {
            simap_put(&hnv->port_vsids, node->name, node->data);
        }
    }
    /* Port numbers can change without a settings change. */
    if (publish_xbridge(hnv) || changed) {
        request_revalidation(ofproto);
    }
    simap_destroy(&no_ports);
    return 0;
}

void
ofproto_dpif_hnv_policy_changed(const struct hnv_policy *policy,
                                uint64_t seqno)
{
    struct ofproto_dpif_hnv *hnv;

    LIST_FOR_EACH (hnv, list_node, &hnv_bridges) {
        if (hnv->policy == policy && hnv->policy_seqno != seqno) {
            hnv->policy_seqno = seqno;
            request_revalidation(hnv->ofproto);
        }
    }
}

void
ofproto_dpif_hnv_port_changed(struct ofproto_dpif *ofproto)
{
    if (ofproto->hnv) {
        /* ofproto changes the port tables only after this returns, so the
         * snapshot is rebuilt on the next run, which must come soon. */
        ofproto->hnv->ports_changed = true;
        poll_immediate_wake();
    }
}

/* Publishes a new snapshot for every HNV bridge whose ports changed, and
 * revalidates the datapath flows of every HNV bridge whose snapshot or
 * VSID-scoped MAC table changed. */
void
ofproto_dpif_hnv_run(void)
{
    struct ofproto_dpif_hnv *hnv;

    LIST_FOR_EACH (hnv, list_node, &hnv_bridges) {
        uint64_t seqno = seq_read(hnv_l2_seq(hnv->l2));

        if (hnv->ports_changed) {
            hnv->ports_changed = false;
            if (publish_xbridge(hnv)) {
                request_revalidation(hnv->ofproto);
            }
        }

        if (seqno != hnv->l2_seqno) {
            hnv->l2_seqno = seqno;
            hnv->ofproto->backer->need_revalidate = REV_MAC_LEARNING;
        }
    }
}

void
ofproto_dpif_hnv_wait(void)
{
    struct ofproto_dpif_hnv *hnv;

    LIST_FOR_EACH (hnv, list_node, &hnv_bridges) {
        seq_wait(hnv_l2_seq(hnv->l2), hnv->l2_seqno);
    }
}

void
ofproto_dpif_hnv_destroy(struct ofproto_dpif *ofproto)
{
    hnv_bridge_free(ofproto->hnv);
    ofproto->hnv = NULL;
}

/* Translation. */

static const struct hnv_xbridge *
xbridge_get(const struct ofproto_dpif *ofproto)
{
    return ovsrcu_get(struct hnv_xbridge *, &ofproto->hnv_xbridge);
}

bool
ofproto_dpif_hnv_port_is_reserved(const struct ofproto_dpif *ofproto,
                                  ofp_port_t port)
{
    const struct hnv_xbridge *xb = xbridge_get(ofproto);

    return xb && (port == xb->tunnel_port || xport_find(xb, port));
}

static void OVS_PRINTF_FORMAT(2, 3)
report(const struct xlate_hnv *xh, const char *format, ...)
{
    if (OVS_UNLIKELY(xh->xin->trace)) {
        va_list args;

        va_start(args, format);
        char *text = xvasprintf(format, args);
        va_end(args);
        oftrace_report(xh->xin->trace, OFT_DETAIL, text);
        free(text);
    }
}

static void
report_decision(const struct xlate_hnv *xh, const struct hnv_decision *d)
{
    if (OVS_UNLIKELY(xh->xin->trace)) {
        struct ds s = DS_EMPTY_INITIALIZER;

        ds_put_cstr(&s, "HNV: ");
        hnv_decision_format(d, &s);
        oftrace_report(xh->xin->trace,
                       d->action == HNV_ACTION_DROP ? OFT_WARN : OFT_DETAIL,
                       ds_cstr(&s));
        ds_destroy(&s);
    }
}

/* Counts the packet being translated (packets and bytes) in 'counter' of
 * 'vsid', and leaves an entry in the translation cache that counts the
 * datapath flow's packets and bytes later. */
static void
count(const struct hnv_xbridge *xb, const struct xlate_hnv *xh,
      uint32_t vsid, enum hnv_counter counter)
{
    struct xlate_in *xin = xh->xin;

    if (xin->resubmit_stats) {
        hnv_stats_add_traffic(xb->stats, vsid, counter,
                              xin->resubmit_stats->n_packets,
                              xin->resubmit_stats->n_bytes);
    }
    if (xin->xcache) {
        struct xc_entry *entry = xlate_cache_add_entry(xin->xcache, XC_HNV);

        entry->hnv.stats = hnv_stats_ref(xb->stats);
        entry->hnv.vsid = vsid;
        entry->hnv.counter = counter;
    }
}

/* Sends 'packet', composed by the switch, out 'port' of 'ofproto'. */
static void
send_packet(struct ofproto_dpif *ofproto, ofp_port_t port,
            struct dp_packet *packet)
{
    struct ofpact_output output;
    struct flow flow;

    ofpact_init(&output.ofpact, OFPACT_OUTPUT, sizeof output);
    output.port = port;
    output.max_len = 0;
    flow_extract(packet, &flow);
    flow.in_port.ofp_port = OFPP_NONE;
    ofproto_dpif_execute_actions__(ofproto,
                                   ofproto_dpif_get_tables_version(ofproto),
                                   &flow, NULL, &output.ofpact, sizeof output,
                                   0, 0, packet);
}

/* Answers the ARP request or neighbor solicitation being translated as
 * 'd' says, out its input port.  The answer is composed here, for the
 * packet at hand: the datapath flow sends every request to ovs-vswitchd
 * (as for every ARP responder in OVS, whose ARP rewrites are slow-pathed
 * on every datapath). */
static void
answer(struct ofproto_dpif *ofproto, const struct xlate_hnv *xh,
       const struct hnv_decision *d)
{
    const struct flow *flow = &xh->xin->flow;
    struct dp_packet packet;

    *xh->slow |= SLOW_ACTION;
    if (!xh->xin->packet || !xh->xin->allow_side_effects) {
        report(xh, "HNV: the answer is sent when a packet is translated");
        return;
    }

    dp_packet_init(&packet, 128);
    if (d->action == HNV_ACTION_ARP_REPLY) {
        compose_arp(&packet, ARP_OP_REPLY, d->reply_mac, flow->arp_sha,
                    false, in6_addr_get_mapped_ipv4(&d->target),
                    flow->nw_src);
        struct eth_header *eth = dp_packet_eth(&packet);
        eth->eth_dst = flow->dl_src;
        COVERAGE_INC(hnv_arp_reply);
    } else {
        ovs_be32 flags = htonl(ND_RSO_SOLICITED | ND_RSO_OVERRIDE
                               | (d->record && d->record->pa_is_gateway
                                  ? ND_RSO_ROUTER : 0));
        compose_nd_na(&packet, d->reply_mac, flow->dl_src, &d->target,
                      &flow->ipv6_src, flags);
        COVERAGE_INC(hnv_nd_advert);
    }
    send_packet(ofproto, xh->in_port, &packet);
    dp_packet_uninit(&packet);
}

/* Returns the VM port of 'vsid' where 'mac' was learned, or NULL if it is
 * unknown (or was learned on a port that has since left 'vsid' and is about
 * to be flushed). */
static const struct hnv_xport *
learned_port(const struct hnv_xbridge *xb, uint32_t vsid, struct eth_addr mac)
{
    ofp_port_t port = hnv_l2_lookup(xb->l2, vsid, mac);
    const struct hnv_xport *xp = port != OFPP_NONE ? xport_find(xb, port)
                                                   : NULL;

    return xp && xp->vsid == vsid ? xp : NULL;
}

/* Outputs the frame to 'xp', where 'mac' was learned, unless the frame came
 * in on it. */
static void
output_to_learned(const struct xlate_hnv *xh, const struct hnv_xport *xp,
                  struct eth_addr mac)
{
    if (xp->ofp_port != xh->in_port) {
        report(xh, "HNV: to port %s, where "ETH_ADDR_FMT" was learned",
               xp->name, ETH_ADDR_ARGS(mac));
        xlate_hnv_output(xh->ctx, xp->ofp_port);
    } else {
        report(xh, "HNV: "ETH_ADDR_FMT" is on the input port, dropping",
               ETH_ADDR_ARGS(mac));
    }
}

/* Outputs the frame to the VM port of 'vsid' where 'mac' was learned, or
 * while it is unknown, to every VM port of 'vsid' but the input port.
 * Returns false if 'vsid' has no VM port on the bridge. */
static bool
output_in_vsid(const struct hnv_xbridge *xb, const struct xlate_hnv *xh,
               uint32_t vsid, struct eth_addr mac)
{
    const struct hnv_xport *xp = learned_port(xb, vsid, mac);
    bool any = false;

    if (xp) {
        output_to_learned(xh, xp, mac);
        return true;
    }

    report(xh, "HNV: "ETH_ADDR_FMT" not yet learned in VSID %"PRIu32", "
           "to every VM port of the VSID", ETH_ADDR_ARGS(mac), vsid);
    HMAP_FOR_EACH (xp, hmap_node, &xb->ports) {
        if (xp->vsid == vsid) {
            any = true;
            if (xp->ofp_port != xh->in_port) {
                xlate_hnv_output(xh->ctx, xp->ofp_port);
            }
        }
    }
    return any;
}

/* Encapsulates the frame into NVGRE as 'd' says. */
static void
output_nvgre(const struct hnv_xbridge *xb, const struct xlate_hnv *xh,
             const struct hnv_decision *d)
{
    struct flow *flow = &xh->xin->flow;
    struct flow_tnl saved = flow->tunnel;

    memset(&flow->tunnel, 0, sizeof flow->tunnel);
    if (hnv_address_is_ipv4(&d->remote_pa)) {
        flow->tunnel.ip_dst = in6_addr_get_mapped_ipv4(&d->remote_pa);
        flow->tunnel.ip_src = in6_addr_get_mapped_ipv4(&d->local_pa);
    } else {
        flow->tunnel.ipv6_dst = d->remote_pa;
        flow->tunnel.ipv6_src = d->local_pa;
    }
    flow->tunnel.tun_id = htonll(d->key);
    flow->tunnel.flags = FLOW_TNL_F_KEY | FLOW_TNL_F_DONT_FRAGMENT;
    flow->tunnel.ip_ttl = 64;
    xlate_hnv_output(xh->ctx, xb->tunnel_port);
    flow->tunnel = saved;
}

static void
drop(const struct hnv_xbridge *xb, const struct xlate_hnv *xh,
     uint32_t vsid, enum hnv_drop_reason reason)
{
    count(xb, xh, vsid, hnv_counter_drop(reason));
}

/* Carries out 'd', the decision for a frame from a VM port ('from_tunnel'
 * false) or from the tunnel port. */
static void
execute(struct ofproto_dpif *ofproto, const struct hnv_xbridge *xb,
        const struct xlate_hnv *xh, struct hnv_decision *d,
        bool from_tunnel)
{
    struct flow *flow = &xh->xin->flow;

    if (d->action == HNV_ACTION_ENCAP && xb->tunnel_port == OFPP_NONE) {
        d->action = HNV_ACTION_DROP;
        d->drop = HNV_DROP_NO_TUNNEL_PORT;
    }
    report_decision(xh, d);

    switch (d->action) {
    case HNV_ACTION_DROP:
        drop(xb, xh, d->in_vsid, d->drop);
        return;

    case HNV_ACTION_ARP_REPLY:
    case HNV_ACTION_ND_ADVERT:
        answer(ofproto, xh, d);
        count(xb, xh, d->in_vsid, (d->action == HNV_ACTION_ARP_REPLY
                                   ? HNV_CNT_ARP_REPLY
                                   : HNV_CNT_ND_ADVERT));
        return;

    case HNV_ACTION_DELIVER:
    case HNV_ACTION_ENCAP: {
        struct eth_addr dl_src = flow->dl_src, dl_dst = flow->dl_dst;
        uint8_t nw_ttl = flow->nw_ttl;

        flow->dl_src = d->dl_src;
        flow->dl_dst = d->dl_dst;
        if (d->dec_ttl) {
            flow->nw_ttl--;
        }
        if (d->action == HNV_ACTION_ENCAP) {
            output_nvgre(xb, xh, d);
            count(xb, xh, d->vsid, HNV_CNT_ENCAP);
        } else if (output_in_vsid(xb, xh, d->vsid, d->dl_dst)) {
            count(xb, xh, d->vsid, from_tunnel ? HNV_CNT_DECAP
                                               : HNV_CNT_LOCAL);
        } else {
            report(xh, "HNV: VSID %"PRIu32" has no VM port on this bridge, "
                   "dropping", d->vsid);
            drop(xb, xh, d->in_vsid, HNV_DROP_NOT_LOCAL);
        }
        if (d->route) {
            count(xb, xh, d->vsid, HNV_CNT_ROUTED);
        }
        flow->dl_src = dl_src;
        flow->dl_dst = dl_dst;
        flow->nw_ttl = nw_ttl;
        return;
    }

    default:
        OVS_NOT_REACHED();
    }
}

/* Learns that the sender of the frame being translated, whose source
 * passed validation, is behind the input port. */
static void
learn_source(const struct hnv_xbridge *xb, const struct xlate_hnv *xh,
             uint32_t vsid)
{
    if (xh->xin->packet && xh->xin->allow_side_effects
        && hnv_l2_learn(xb->l2, vsid, xh->xin->flow.dl_src, xh->in_port)) {
        COVERAGE_INC(hnv_learn);
    }
}

static void
xlate_from_vm(struct ofproto_dpif *ofproto, const struct hnv_xbridge *xb,
              const struct xlate_hnv *xh, uint32_t vsid)
{
    const struct flow *flow = &xh->xin->flow;
    const struct hnv_xport *dst;
    struct hnv_decision d;

    report(xh, "HNV: from a VM port of VSID %"PRIu32, vsid);

    /* Local layer 2 first: untagged unicast to a MAC learned in the VSID,
     * whose record lives here. */
    dst = (hnv_stage_switch_locally(xb->policy, vsid, flow, xh->wc)
           ? learned_port(xb, vsid, flow->dl_dst) : NULL);
    if (dst) {
        enum hnv_source source = hnv_stage_check_source(xb->policy, vsid,
                                                        flow, xh->wc);
        if (source == HNV_SOURCE_SPOOFED) {
            report(xh, "HNV: dropped: %s",
                   hnv_drop_reason_text(HNV_DROP_SPOOFED));
            drop(xb, xh, vsid, HNV_DROP_SPOOFED);
            return;
        }
        if (source == HNV_SOURCE_VALID) {
            learn_source(xb, xh, vsid);
        }
        report(xh, "HNV: "ETH_ADDR_FMT" was learned in VSID %"PRIu32", "
               "switched locally", ETH_ADDR_ARGS(flow->dl_dst), vsid);
        output_to_learned(xh, dst, flow->dl_dst);
        count(xb, xh, vsid, HNV_CNT_LOCAL);
        return;
    }

    /* The HNV stage, which validates the source on the way. */
    hnv_stage_from_vm(xb->policy, vsid, flow, xh->wc, &d);
    if (d.source_valid) {
        learn_source(xb, xh, vsid);
    }
    execute(ofproto, xb, xh, &d, false);
}

static void
xlate_from_tunnel(struct ofproto_dpif *ofproto, const struct hnv_xbridge *xb,
                  const struct xlate_hnv *xh)
{
    struct hnv_decision d;

    report(xh, "HNV: from the NVGRE tunnel port, key %#"PRIx64,
           ntohll(xh->xin->flow.tunnel.tun_id));
    hnv_stage_from_tunnel(xb->policy, &xh->xin->flow, xh->wc, &d);
    execute(ofproto, xb, xh, &d, true);
}

bool
ofproto_dpif_hnv_xlate_normal(struct ofproto_dpif *ofproto,
                              const struct xlate_hnv *xh)
{
    const struct hnv_xbridge *xb = xbridge_get(ofproto);

    if (!xb) {
        return false;
    } else if (xh->in_port == xb->tunnel_port) {
        xlate_from_tunnel(ofproto, xb, xh);
        return true;
    } else {
        const struct hnv_xport *xp = xport_find(xb, xh->in_port);

        if (xp) {
            xlate_from_vm(ofproto, xb, xh, xp->vsid);
            return true;
        }
        return false;
    }
}

/* Introspection. */

static const struct ofproto_dpif_hnv *
find_hnv_bridge(const char *name, struct ds *error)
{
    const struct ofproto_dpif *ofproto = ofproto_dpif_lookup_by_name(name);

    if (!ofproto) {
        ds_put_format(error, "%s: no such bridge", name);
        return NULL;
    }
    if (!ofproto->hnv) {
        ds_put_format(error, "%s: HNV is not enabled on this bridge", name);
        return NULL;
    }
    return ofproto->hnv;
}

static int
compare_xports(const void *a_, const void *b_)
{
    const struct hnv_xport *const *a = a_, *const *b = b_;

    return strcmp((*a)->name, (*b)->name);
}

/* Returns the VM ports of 'xb' sorted by name, in an array that the caller
 * frees. */
static const struct hnv_xport **
sorted_xports(const struct hnv_xbridge *xb)
{
    size_t n = hmap_count(&xb->ports), i = 0;
    const struct hnv_xport **xports = xmalloc((n + 1) * sizeof *xports);
    const struct hnv_xport *xp;

    HMAP_FOR_EACH (xp, hmap_node, &xb->ports) {
        xports[i++] = xp;
    }
    qsort(xports, n, sizeof *xports, compare_xports);
    return xports;
}

static const char *
port_name(const struct hnv_xbridge *xb, ofp_port_t port)
{
    const struct hnv_xport *xp = xport_find(xb, port);

    return xp ? xp->name : "?";
}

static void
format_hnv_bridge(const struct ofproto_dpif_hnv *hnv, struct ds *s)
{
    const struct hnv_xbridge *xb = hnv->xbridge;
    struct smap_node *node;

    ds_put_format(s, "bridge %s: tunnel port %s",
                  hnv->ofproto->up.name,
                  hnv->tunnel_port[0] ? hnv->tunnel_port : "(none)");
    if (hnv->tunnel_port[0] && xb->tunnel_port == OFPP_NONE) {
        ds_put_cstr(s, " (not on the bridge: nothing is encapsulated)");
    }
    ds_put_char(s, '\n');
    SMAP_FOR_EACH (node, &hnv->other_config) {
        ds_put_format(s, "  other_config:%s=%s\n", node->key, node->value);
    }

    size_t n = hmap_count(&xb->ports), i;
    const struct hnv_xport **xports = sorted_xports(xb);
    for (i = 0; i < n; i++) {
        ds_put_format(s, "  VM port %s: VSID %"PRIu32"\n",
                      xports[i]->name, xports[i]->vsid);
    }
    free(xports);

    struct hnv_l2_entry *entries = hnv_l2_dump(hnv->l2, &n);
    for (i = 0; i < n; i++) {
        ds_put_format(s, "  learned: VSID %"PRIu32" "ETH_ADDR_FMT" on %s\n",
                      entries[i].vsid, ETH_ADDR_ARGS(entries[i].mac),
                      port_name(xb, entries[i].port));
    }
    free(entries);
}

static void
hnv_unixctl_show(struct unixctl_conn *conn, int argc, const char *argv[],
                 void *aux OVS_UNUSED)
{
    const struct hnv_policy *policy = NULL;
    struct ds s = DS_EMPTY_INITIALIZER;

    if (argc > 1) {
        const struct ofproto_dpif_hnv *hnv = find_hnv_bridge(argv[1], &s);

        if (!hnv) {
            unixctl_command_reply_error(conn, ds_cstr(&s));
            ds_destroy(&s);
            return;
        }
        format_hnv_bridge(hnv, &s);
        policy = hnv->policy;
    } else {
        const struct ofproto_dpif_hnv *hnv;

        LIST_FOR_EACH (hnv, list_node, &hnv_bridges) {
            format_hnv_bridge(hnv, &s);
            policy = hnv->policy;
        }
        if (!policy) {
            ds_put_cstr(&s, "no bridge has HNV enabled\n");
        }
    }
    if (policy) {
        hnv_policy_format(policy, &s);
    }
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
format_record(const struct hnv_record *rec, struct ds *s)
{
    const struct hnv_record_spec *spec = &rec->spec;

    ds_put_format(s, "VSID %"PRIu32", CA ", spec->vsid);
    hnv_format_address(&spec->ca, s);
    ds_put_cstr(s, ", MAC ");
    hnv_format_mac(spec->mac, s);
    ds_put_cstr(s, ", PA ");
    hnv_format_address(&spec->pa, s);
    ds_put_format(s, ", rule %s, type %s",
                  hnv_rule_to_string(spec->rule),
                  hnv_type_to_string(spec->type));
}

/* Describes how the record 'rec' is reached from this host. */
static void
format_delivery(const struct hnv_policy *policy,
                const struct hnv_record *rec, struct ds *s)
{
    const struct hnv_record_spec *spec = &rec->spec;
    struct in6_addr local_pa;

    ds_put_cstr(s, "delivery: ");
    if (rec->pa_is_gateway) {
        ds_put_cstr(s, "none: a gateway record is answered by the switch, "
                    "never a tunnel destination\n");
    } else if (hnv_policy_pa_is_local(policy, &spec->pa)) {
        ds_put_format(s, "local: to the VM port of VSID %"PRIu32" with "
                      "MAC ", spec->vsid);
        hnv_format_mac(spec->mac, s);
        ds_put_cstr(s, ", no encapsulation\n");
    } else if (spec->rule == HNV_RULE_ENCAP) {
        ds_put_cstr(s, "NVGRE to PA ");
        hnv_format_address(&spec->pa, s);
        if (hnv_policy_local_pa_for(policy, &spec->pa, &local_pa)) {
            ds_put_cstr(s, " from local PA ");
            hnv_format_address(&local_pa, s);
        } else {
            ds_put_cstr(s, " (no local PA of that family: dropped)");
        }
        ds_put_format(s, ", key %#"PRIx32" (VSID %"PRIu32", FlowID 0)\n",
                      hnv_nvgre_key(spec->vsid, 0), spec->vsid);
    } else {
        ds_put_format(s, "rule %s to PA ", hnv_rule_to_string(spec->rule));
        hnv_format_address(&spec->pa, s);
        ds_put_char(s, '\n');
    }
}

/* Says where bridge 'hnv' sends a packet for record 'rec'. */
static void
format_forwarding(const struct ofproto_dpif_hnv *hnv,
                  const struct hnv_record *rec, struct ds *s)
{
    const struct hnv_record_spec *spec = &rec->spec;
    const struct hnv_xbridge *xb = hnv->xbridge;
    struct in6_addr local_pa;

    ds_put_cstr(s, "forwarding: ");
    if (rec->pa_is_gateway) {
        ds_put_cstr(s, "none\n");
    } else if (hnv_policy_pa_is_local(hnv->policy, &spec->pa)) {
        ofp_port_t port = hnv_l2_lookup(hnv->l2, spec->vsid, spec->mac);
        bool any = false;

        if (port != OFPP_NONE) {
            ds_put_format(s, "output to VM port %s (MAC learned there)\n",
                          port_name(xb, port));
            return;
        }
        ds_put_cstr(s, "MAC not learned yet: output to every VM port of "
                    "the VSID:");
        const struct hnv_xport **xports = sorted_xports(xb);
        for (size_t i = 0; i < hmap_count(&xb->ports); i++) {
            if (xports[i]->vsid == spec->vsid) {
                ds_put_format(s, " %s", xports[i]->name);
                any = true;
            }
        }
        free(xports);
        ds_put_cstr(s, any ? "\n" : " (none on this bridge: dropped)\n");
    } else if (spec->rule != HNV_RULE_ENCAP) {
        ds_put_cstr(s, "dropped (rule not supported)\n");
    } else if (!hnv_policy_local_pa_for(hnv->policy, &spec->pa, &local_pa)) {
        ds_put_format(s, "dropped: %s\n",
                      hnv_drop_reason_text(HNV_DROP_NO_LOCAL_PA));
    } else if (xb->tunnel_port == OFPP_NONE) {
        ds_put_format(s, "dropped: %s\n",
                      hnv_drop_reason_text(HNV_DROP_NO_TUNNEL_PORT));
    } else {
        ds_put_format(s, "output to tunnel port %s\n", hnv->tunnel_port);
    }
}

/* Explains, into 's', what the policy says about a packet to 'dst' from a
 * VM of 'vsid': the same-subnet record, or the route, next hop and record
 * in the destination VSID, and how that record is reached. */
static void
explain_lookup(const struct ofproto_dpif_hnv *hnv, uint32_t vsid,
               const struct in6_addr *dst, struct ds *s)
{
    const struct hnv_policy *policy = hnv->policy;
    const char *rdid = hnv_policy_vsid_rdid(policy, vsid);
    const struct hnv_record *rec;
    const struct hnv_route *route;
    const struct in6_addr *next_hop;

    ds_put_format(s, "source: VSID %"PRIu32", routing domain %s\n",
                  vsid, rdid ? rdid : "(none: the VSID has no customer "
                  "route)");
    ds_put_cstr(s, "destination: ");
    hnv_format_address(dst, s);
    ds_put_char(s, '\n');

    rec = hnv_policy_lookup(policy, vsid, dst, NULL);
    if (rec && !hnv_address_is_wildcard(dst)) {
        ds_put_cstr(s, "record: ");
        format_record(rec, s);
        ds_put_cstr(s, " (same virtual subnet)\n");
        format_delivery(policy, rec, s);
        format_forwarding(hnv, rec, s);
        return;
    }

    route = hnv_policy_route_lookup(policy, vsid, dst, NULL);
    if (!route) {
        ds_put_format(s, "route: none in the routing domain of VSID "
                      "%"PRIu32": dropped\n", vsid);
        return;
    }
    ds_put_cstr(s, "route: ");
    hnv_format_prefix(&route->prefix, route->plen, s);
    ds_put_format(s, " metric %"PRIu32" -> VSID %"PRIu32", ",
                  route->metric, route->vsid);
    if (hnv_address_is_wildcard(&route->next_hop)) {
        ds_put_cstr(s, "on-link\n");
        next_hop = dst;
    } else {
        ds_put_cstr(s, "next hop ");
        hnv_format_address(&route->next_hop, s);
        ds_put_char(s, '\n');
        next_hop = &route->next_hop;
    }

    rec = hnv_policy_lookup(policy, route->vsid, next_hop, NULL);
    if (!rec) {
        ds_put_cstr(s, "next hop ");
        hnv_format_address(next_hop, s);
        ds_put_format(s, ": no record in VSID %"PRIu32": dropped\n",
                      route->vsid);
        return;
    }
    ds_put_cstr(s, "record: ");
    format_record(rec, s);
    ds_put_char(s, '\n');
    format_delivery(policy, rec, s);
    format_forwarding(hnv, rec, s);
}

static void
hnv_unixctl_lookup(struct unixctl_conn *conn, int argc OVS_UNUSED,
                   const char *argv[], void *aux OVS_UNUSED)
{
    const struct ofproto_dpif_hnv *hnv;
    struct ds s = DS_EMPTY_INITIALIZER;
    struct in6_addr dst;
    uint32_t vsid;
    char *error;

    hnv = find_hnv_bridge(argv[1], &s);
    if (!hnv) {
        goto error;
    }
    error = hnv_parse_vsid(argv[2], &vsid);
    if (!error) {
        error = hnv_parse_address(argv[3], &dst);
    }
    if (error) {
        ds_put_cstr(&s, error);
        free(error);
        goto error;
    }

    explain_lookup(hnv, vsid, &dst, &s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
    return;

error:
    unixctl_command_reply_error(conn, ds_cstr(&s));
    ds_destroy(&s);
}

/* Parses argv[i], if present, as a VSID for hnv/stats: any 24-bit value,
 * since drops of reserved VSIDs are counted under the VSID of the key.
 * Returns 0 if absent, UINT32_MAX on error. */
static uint32_t
parse_optional_vsid(int argc, const char *argv[], int i, struct ds *error)
{
    unsigned int vsid = 0;

    if (argc > i && (!str_to_uint(argv[i], 10, &vsid) || vsid > 0xffffff)) {
        ds_put_format(error, "%s: VSID must be a number from 0 to 16777215",
                      argv[i]);
        return UINT32_MAX;
    }
    return vsid;
}

static void
hnv_unixctl_stats(struct unixctl_conn *conn, int argc, const char *argv[],
                  void *aux OVS_UNUSED)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    const struct ofproto_dpif_hnv *hnv;

    if (argc > 1) {
        hnv = find_hnv_bridge(argv[1], &s);
        uint32_t vsid = hnv ? parse_optional_vsid(argc, argv, 2, &s) : 0;
        if (!hnv || vsid == UINT32_MAX) {
            unixctl_command_reply_error(conn, ds_cstr(&s));
            ds_destroy(&s);
            return;
        }
        hnv_stats_format_bytes(hnv->stats, vsid, &s);
    } else {
        LIST_FOR_EACH (hnv, list_node, &hnv_bridges) {
            ds_put_format(&s, "bridge %s:\n", hnv->ofproto->up.name);
            hnv_stats_format_bytes(hnv->stats, 0, &s);
        }
    }
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
hnv_unixctl_stats_clear(struct unixctl_conn *conn, int argc,
                        const char *argv[], void *aux OVS_UNUSED)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    const struct ofproto_dpif_hnv *hnv;

    if (argc > 1) {
        hnv = find_hnv_bridge(argv[1], &s);
        if (!hnv) {
            unixctl_command_reply_error(conn, ds_cstr(&s));
            ds_destroy(&s);
            return;
        }
        hnv_stats_clear(hnv->stats);
    } else {
        LIST_FOR_EACH (hnv, list_node, &hnv_bridges) {
            hnv_stats_clear(hnv->stats);
        }
    }
    unixctl_command_reply(conn, "statistics cleared");
    ds_destroy(&s);
}

void
ofproto_dpif_hnv_init(void)
{
    unixctl_command_register("hnv/show", "[bridge]", 0, 1,
                             hnv_unixctl_show, NULL);
    unixctl_command_register("hnv/lookup", "bridge vsid address", 3, 3,
                             hnv_unixctl_lookup, NULL);
    unixctl_command_register("hnv/stats", "[bridge [vsid]]", 0, 2,
                             hnv_unixctl_stats, NULL);
    unixctl_command_register("hnv/stats-clear", "[bridge]", 0, 1,
                             hnv_unixctl_stats_clear, NULL);
}
