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

#include "hnv/hnv-policy.h"
#include "hnv/hnv-types.h"
#include "ofproto-dpif.h"
#include "ofproto.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/list.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(ofproto_dpif_hnv);

/* The HNV settings of one bridge. */
struct ofproto_dpif_hnv {
    struct ovs_list list_node;          /* In 'hnv_bridges'. */
    struct ofproto_dpif *ofproto;       /* The bridge. */
    const struct hnv_policy *policy;    /* Host policy, owned by vswitchd. */
    uint64_t policy_seqno;              /* Policy change count seen last. */
    char *tunnel_port;                  /* Name of the NVGRE port. */
    struct smap other_config;           /* HNV.other_config. */
};

/* Every HNV-enabled bridge, in the order they were enabled. */
static struct ovs_list hnv_bridges = OVS_LIST_INITIALIZER(&hnv_bridges);

static void
hnv_bridge_free(struct ofproto_dpif_hnv *hnv)
{
    if (hnv) {
        ovs_list_remove(&hnv->list_node);
        free(hnv->tunnel_port);
        smap_destroy(&hnv->other_config);
        free(hnv);
    }
}

static void
request_revalidation(struct ofproto_dpif *ofproto)
{
    ofproto->backer->need_revalidate = REV_RECONFIGURE;
}

int
ofproto_dpif_set_hnv(struct ofproto *ofproto_,
                     const struct ofproto_hnv_settings *s)
{
    struct ofproto_dpif *ofproto = CONTAINER_OF(ofproto_, struct ofproto_dpif,
                                                up);
    struct ofproto_dpif_hnv *hnv = ofproto->hnv;
    const char *tunnel_port = s && s->tunnel_port ? s->tunnel_port : "";

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
        smap_init(&hnv->other_config);
        ovs_list_push_back(&hnv_bridges, &hnv->list_node);
        ofproto->hnv = hnv;
        VLOG_INFO("%s: HNV enabled, tunnel port %s",
                  ofproto->up.name, tunnel_port);
        VLOG_INFO("%s: this build has the HNV configuration but not yet the "
                  "HNV forwarding stage: the bridge forwards with stock "
                  "NORMAL, without tenant isolation", ofproto->up.name);
    } else if (hnv->policy == s->policy
               && hnv->policy_seqno == s->policy_seqno
               && !strcmp(hnv->tunnel_port, tunnel_port)
               && smap_equal(&hnv->other_config, s->other_config)) {
        return 0;
    }

    hnv->policy = s->policy;
    hnv->policy_seqno = s->policy_seqno;
    free(hnv->tunnel_port);
    hnv->tunnel_port = xstrdup(tunnel_port);
    smap_destroy(&hnv->other_config);
    smap_clone(&hnv->other_config, s->other_config);
    request_revalidation(ofproto);
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
ofproto_dpif_hnv_destroy(struct ofproto_dpif *ofproto)
{
    hnv_bridge_free(ofproto->hnv);
    ofproto->hnv = NULL;
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

static void
format_hnv_bridge(const struct ofproto_dpif_hnv *hnv, struct ds *s)
{
    struct smap_node *node;

    ds_put_format(s, "bridge %s: tunnel port %s\n",
                  hnv->ofproto->up.name,
                  hnv->tunnel_port[0] ? hnv->tunnel_port : "(none)");
    SMAP_FOR_EACH (node, &hnv->other_config) {
        ds_put_format(s, "  other_config:%s=%s\n", node->key, node->value);
    }
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

/* Explains, into 's', what the policy says about a packet to 'dst' from a
 * VM of 'vsid': the same-subnet record, or the route, next hop and record
 * in the destination VSID, and how that record is reached. */
static void
explain_lookup(const struct hnv_policy *policy, uint32_t vsid,
               const struct in6_addr *dst, struct ds *s)
{
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

    explain_lookup(hnv->policy, vsid, &dst, &s);
    ds_put_cstr(&s, "forwarding: not yet forwarded: the HNV forwarding "
                "stage is not part of this build\n");
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
    return;

error:
    unixctl_command_reply_error(conn, ds_cstr(&s));
    ds_destroy(&s);
}

void
ofproto_dpif_hnv_init(void)
{
    unixctl_command_register("hnv/show", "[bridge]", 0, 1,
                             hnv_unixctl_show, NULL);
    unixctl_command_register("hnv/lookup", "bridge vsid address", 3, 3,
                             hnv_unixctl_lookup, NULL);
}
