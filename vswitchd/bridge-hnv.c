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
#include "bridge-hnv.h"

#include <stdlib.h>

#include "coverage.h"
#include "hnv/hnv-policy.h"
#include "hnv/hnv-types.h"
#include "ofproto/ofproto.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(bridge_hnv);

COVERAGE_DEFINE(hnv_bad_row);
COVERAGE_DEFINE(hnv_row_change);

/* The host's policy.  Created by bridge_hnv_init(), written only here, in
 * the main thread; read by translation threads through ofproto. */
static struct hnv_policy *policy;

static struct vlog_rate_limit bad_row_rl = VLOG_RATE_LIMIT_INIT(5, 20);

void
bridge_hnv_init(struct ovsdb_idl *idl)
{
    static const struct ovsdb_idl_column *tracked[] = {
        &ovsrec_hnv_lookup_record_col_vsid,
        &ovsrec_hnv_lookup_record_col_customer_address,
        &ovsrec_hnv_lookup_record_col_mac,
        &ovsrec_hnv_lookup_record_col_provider_address,
        &ovsrec_hnv_lookup_record_col_rule,
        &ovsrec_hnv_lookup_record_col_type,
        &ovsrec_hnv_customer_route_col_routing_domain,
        &ovsrec_hnv_customer_route_col_vsid,
        &ovsrec_hnv_customer_route_col_destination_prefix,
        &ovsrec_hnv_customer_route_col_next_hop,
        &ovsrec_hnv_customer_route_col_metric,
        &ovsrec_hnv_provider_address_col_provider_address,
        &ovsrec_hnv_provider_address_col_prefix_length,
        /* Only to see the IDL resynchronise: see bridge_hnv_run(). */
        &ovsrec_open_vswitch_col_bridges,
    };
    /* Columns the switch never reads: not worth a copy of every row. */
    static const struct ovsdb_idl_column *omitted[] = {
        &ovsrec_hnv_lookup_record_col_customer_id,
        &ovsrec_hnv_lookup_record_col_vm_name,
        &ovsrec_hnv_lookup_record_col_context,
        &ovsrec_hnv_lookup_record_col_external_ids,
        &ovsrec_hnv_customer_route_col_external_ids,
        &ovsrec_hnv_provider_address_col_interface,
        &ovsrec_hnv_provider_address_col_vlan,
        &ovsrec_hnv_provider_address_col_external_ids,
        &ovsrec_hnv_provider_route_col_destination_prefix,
        &ovsrec_hnv_provider_route_col_next_hop,
        &ovsrec_hnv_provider_route_col_interface,
        &ovsrec_hnv_provider_route_col_metric,
        &ovsrec_hnv_provider_route_col_external_ids,
    };

    policy = hnv_policy_create();
    for (size_t i = 0; i < ARRAY_SIZE(tracked); i++) {
        ovsdb_idl_track_add_column(idl, tracked[i]);
    }
    for (size_t i = 0; i < ARRAY_SIZE(omitted); i++) {
        ovsdb_idl_omit(idl, omitted[i]);
    }
}

void
bridge_hnv_exit(void)
{
    hnv_policy_destroy(policy);
    policy = NULL;
}

/* Logs that the row with 'uuid' in 'table' is left out of the policy
 * because of 'error' (which is freed). */
static void
report_bad_row(const char *table, const struct uuid *uuid, char *error)
{
    COVERAGE_INC(hnv_bad_row);
    VLOG_WARN_RL(&bad_row_rl, "%s row "UUID_FMT" ignored: %s",
                 table, UUID_ARGS(uuid), error);
    free(error);
}

/* Parses the lookup record 'row' into 'spec'.  Returns NULL or an error
 * message for the caller to free. */
static char *
parse_lookup_record(const struct ovsrec_hnv_lookup_record *row,
                    struct hnv_record_spec *spec)
{
    char *error;

    if (!hnv_vsid_is_valid(row->vsid)) {
        return xasprintf("%"PRId64": VSID out of range %d..%d",
                         row->vsid, HNV_VSID_MIN, HNV_VSID_MAX);
    }
    spec->vsid = row->vsid;

    error = hnv_parse_address(row->customer_address, &spec->ca);
    if (!error) {
        error = hnv_parse_mac(row->mac, &spec->mac);
    }
    if (!error) {
        error = hnv_parse_address(row->provider_address, &spec->pa);
    }
    if (error) {
        return error;
    }

    spec->rule = HNV_RULE_ENCAP;
    if (row->rule && !hnv_rule_from_string(row->rule, &spec->rule)) {
        return xasprintf("%s: unknown rule", row->rule);
    }
    spec->type = HNV_TYPE_STATIC;
    if (row->type && !hnv_type_from_string(row->type, &spec->type)) {
        return xasprintf("%s: unknown type", row->type);
    }
    if (hnv_address_is_wildcard(&spec->ca)
        && (spec->type == HNV_TYPE_STATIC
            || spec->type == HNV_TYPE_DYNAMIC)) {
        /* WS2012 data: a wildcard CA of any type is an edge gateway.
         * (ovs-hnvctl refuses to write this; other writers may.) */
        spec->type = HNV_TYPE_GATEWAY_WILDCARD;
    }
    return hnv_check_record_addresses(&spec->ca, spec->mac, &spec->pa);
}

/* Parses the customer route 'row' into 'route' and '*rdid' (canonical,
 * malloc()'d).  Returns NULL or an error message for the caller to free. */
static char *
parse_customer_route(const struct ovsrec_hnv_customer_route *row,
                     struct hnv_route *route, char **rdid)
{
    char *error;

    if (!hnv_vsid_is_valid(row->vsid)) {
        return xasprintf("%"PRId64": VSID out of range %d..%d",
                         row->vsid, HNV_VSID_MIN, HNV_VSID_MAX);
    }
    route->vsid = row->vsid;
    route->metric = (row->n_metric
                     ? *row->metric : HNV_DEFAULT_ROUTE_METRIC);

    error = hnv_parse_prefix(row->destination_prefix, &route->prefix,
                             &route->plen);
    if (!error) {
        error = hnv_parse_address(row->next_hop, &route->next_hop);
    }
    if (error) {
        return error;
    }
    if (hnv_address_is_ipv4(&route->prefix)
        != hnv_address_is_ipv4(&route->next_hop)) {
        return xasprintf("%s: next hop %s is of another address family",
                         row->destination_prefix, row->next_hop);
    }
    return hnv_parse_rdid(row->routing_domain, rdid);
}

static bool
apply_lookup_records(struct ovsdb_idl *idl)
{
    const struct ovsrec_hnv_lookup_record *row;
    bool changed = false;

    /* Deletions first, so that a transaction that replaces a row by
     * another with the same key never looks like a conflict. */
    OVSREC_HNV_LOOKUP_RECORD_FOR_EACH_TRACKED (row, idl) {
        if (ovsrec_hnv_lookup_record_is_deleted(row)) {
            COVERAGE_INC(hnv_row_change);
            hnv_policy_remove_record(policy, &row->header_.uuid);
            changed = true;
        }
    }
    OVSREC_HNV_LOOKUP_RECORD_FOR_EACH_TRACKED (row, idl) {
        const struct uuid *uuid = &row->header_.uuid;
        struct hnv_record_spec spec;
        char *error;

        if (ovsrec_hnv_lookup_record_is_deleted(row)) {
            continue;
        }
        COVERAGE_INC(hnv_row_change);
        changed = true;

        error = parse_lookup_record(row, &spec);
        if (error) {
            hnv_policy_remove_record(policy, uuid);
            report_bad_row("HNV_Lookup_Record", uuid, error);
        } else {
            hnv_policy_set_record(policy, uuid, &spec);
        }
    }
    return changed;
}

static bool
apply_customer_routes(struct ovsdb_idl *idl)
{
    const struct ovsrec_hnv_customer_route *row;
    bool changed = false;

    OVSREC_HNV_CUSTOMER_ROUTE_FOR_EACH_TRACKED (row, idl) {
        if (ovsrec_hnv_customer_route_is_deleted(row)) {
            COVERAGE_INC(hnv_row_change);
            hnv_policy_remove_route(policy, &row->header_.uuid);
            changed = true;
        }
    }
    OVSREC_HNV_CUSTOMER_ROUTE_FOR_EACH_TRACKED (row, idl) {
        const struct uuid *uuid = &row->header_.uuid;
        struct hnv_route route;
        char *rdid = NULL;
        char *error;

        if (ovsrec_hnv_customer_route_is_deleted(row)) {
            continue;
        }
        COVERAGE_INC(hnv_row_change);
        changed = true;

        error = parse_customer_route(row, &route, &rdid);
        if (error) {
            hnv_policy_remove_route(policy, uuid);
            report_bad_row("HNV_Customer_Route", uuid, error);
        } else {
            hnv_policy_set_route(policy, uuid, rdid, &route);
        }
        free(rdid);
    }
    return changed;
}

static bool
apply_provider_addresses(struct ovsdb_idl *idl)
{
    const struct ovsrec_hnv_provider_address *row;
    bool changed = false;

    OVSREC_HNV_PROVIDER_ADDRESS_FOR_EACH_TRACKED (row, idl) {
        if (ovsrec_hnv_provider_address_is_deleted(row)) {
            COVERAGE_INC(hnv_row_change);
            hnv_policy_remove_local_pa(policy, &row->header_.uuid);
            changed = true;
        }
    }
    OVSREC_HNV_PROVIDER_ADDRESS_FOR_EACH_TRACKED (row, idl) {
        const struct uuid *uuid = &row->header_.uuid;
        struct in6_addr pa;
        char *error;

        if (ovsrec_hnv_provider_address_is_deleted(row)) {
            continue;
        }
        COVERAGE_INC(hnv_row_change);
        changed = true;

        error = hnv_parse_address(row->provider_address, &pa);
        if (!error && row->prefix_length > (hnv_address_is_ipv4(&pa)
                                            ? 32 : 128)) {
            error = xasprintf("%"PRId64": prefix length too long for %s",
                              row->prefix_length, row->provider_address);
        }
        if (error) {
            hnv_policy_remove_local_pa(policy, uuid);
            report_bad_row("HNV_Provider_Address", uuid, error);
        } else {
            hnv_policy_set_local_pa(policy, uuid, &pa, row->prefix_length);
        }
    }
    return changed;
}

/* Whether the IDL resynchronised with the database since the last call:
 * then it re-sent every row as new, and deletions it missed meanwhile were
 * never tracked.  The Open_vSwitch row shows up as new exactly then (and at
 * the first connection). */
static bool
idl_resynchronised(struct ovsdb_idl *idl)
{
    const struct ovsrec_open_vswitch *ovs;

    OVSREC_OPEN_VSWITCH_FOR_EACH_TRACKED (ovs, idl) {
        if (ovsrec_open_vswitch_is_new(ovs)) {
            return true;
        }
    }
    return false;
}

static bool
row_exists(enum hnv_policy_table table, const struct uuid *uuid, void *idl_)
{
    const struct ovsdb_idl *idl = idl_;

    switch (table) {
    case HNV_POLICY_RECORDS:
        return ovsrec_hnv_lookup_record_get_for_uuid(idl, uuid) != NULL;
    case HNV_POLICY_ROUTES:
        return ovsrec_hnv_customer_route_get_for_uuid(idl, uuid) != NULL;
    case HNV_POLICY_LOCAL_PAS:
        return ovsrec_hnv_provider_address_get_for_uuid(idl, uuid) != NULL;
    }
    OVS_NOT_REACHED();
}

void
bridge_hnv_run(struct ovsdb_idl *idl)
{
    bool changed;

    changed = apply_customer_routes(idl);
    changed |= apply_provider_addresses(idl);
    changed |= apply_lookup_records(idl);
    if (idl_resynchronised(idl)) {
        /* O(policy), but only after a reconnection. */
        hnv_policy_sweep(policy, row_exists, idl);
        changed = true;
    }
    if (changed) {
        hnv_policy_commit(policy);
    }
    ovsdb_idl_track_clear(idl);
}

void
bridge_hnv_configure(struct ofproto *ofproto,
                     const struct ovsrec_bridge *br_cfg)
{
    const struct ovsrec_hnv *hnv = br_cfg->hnv;

    if (hnv) {
        struct ofproto_hnv_settings s;

        s.policy = policy;
        s.policy_seqno = hnv_policy_get_seqno(policy);
        s.tunnel_port = hnv->tunnel_port;
        s.other_config = &hnv->other_config;
        ofproto_set_hnv(ofproto, &s);
    } else {
        ofproto_set_hnv(ofproto, NULL);
    }
}
