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

#include <malloc.h>
#include <stdlib.h>

#include "coverage.h"
#include "hnv/hnv-policy.h"
#include "hnv/hnv-types.h"
#include "ofproto/ofproto-dpif-hnv.h"
#include "ofproto/ofproto.h"
#include "openvswitch/json.h"
#include "openvswitch/list.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-cs.h"
#include "ovsdb-error.h"
#include "ovsdb-idl.h"
#include "simap.h"
#include "timeval.h"
#include "unixctl.h"
#include "uuidset.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(bridge_hnv);

COVERAGE_DEFINE(hnv_apply_yield);
COVERAGE_DEFINE(hnv_bad_row);
COVERAGE_DEFINE(hnv_row_change);

/* The host's policy.  Created by bridge_hnv_init(), written only here, in
 * the main thread; read by translation threads through ofproto. */
static struct hnv_policy *policy;

/* The monitor of the policy tables (see bridge-hnv.h), opened when the
 * first bridge enables HNV, so that a switch without HNV behaves exactly
 * as stock Open vSwitch, down to its database connections. */
static char *db_remote;
static struct ovsdb_cs *cs;

static struct vlog_rate_limit bad_row_rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Updates are applied in slices.
 *
 * A bulk import or the initial load of a large policy arrives as one update
 * of up to millions of rows.  Applying it in one go would hold the main
 * thread for seconds (about 11 s for 1,000,000 records), during which the
 * bridges do nothing else: no OpenFlow, no LACP, no BFD, no reconfiguration.
 * So bridge_hnv_run() applies at most SLICE_ROWS rows per main-loop
 * iteration, commits them (readers see records as they are applied, see
 * hnv-policy.h), and comes back on the next iteration (poll_immediate_wake()
 * in bridge_hnv_wait()) until the updates received so far are done.
 *
 * 'pending' holds the updates received and not yet fully applied, in
 * order; the cursor says how far the first one is.  Within a table update,
 * deletions go first, so that a transaction that replaces a row by another
 * with the same key never looks like a conflict. */
#define SLICE_ROWS 20000

struct pending_update {
    struct ovs_list node;           /* In 'pending'. */
    struct ovsdb_cs_event *event;   /* OVSDB_CS_EVENT_TYPE_UPDATE. */
    struct ovsdb_cs_db_update *du;  /* Parsed, NULL until started. */
    struct uuidset seen;            /* Rows that exist, if 'clear'. */
    size_t table, pass, row;        /* Cursor into 'du'. */
    int64_t next_cfg;               /* Open_vSwitch next_cfg it carries, or
                                     * -1 (known once 'du' is parsed). */
};

static struct ovs_list pending = OVS_LIST_INITIALIZER(&pending);

/* hnv/apply-pause: updates are received and queued in 'pending' but not
 * applied until hnv/apply-resume.  A debugging and testing aid, like
 * upstream's revalidator/pause. */
static bool apply_paused;

static void
pending_update_destroy(struct pending_update *pu)
{
    if (pu->du) {
        ovsdb_cs_db_update_destroy(pu->du);
    }
    uuidset_destroy(&pu->seen);
    ovsdb_cs_event_destroy(pu->event);
    free(pu);
}

static void
pending_clear(void)
{
    struct pending_update *pu;

    LIST_FOR_EACH_POP (pu, node, &pending) {
        pending_update_destroy(pu);
    }
}

/* How far the policy has caught up with the database, for cur_cfg.
 *
 * ovs-hnvctl (like ovs-vsctl) increments Open_vSwitch next_cfg in the
 * transaction that writes the records, and waits until ovs-vswitchd sets
 * cur_cfg to at least that value.  bridge.c sets cur_cfg when the main IDL
 * has been applied, but the records come here, on another connection, and
 * are applied in slices.  So the monitor also watches next_cfg: OVSDB sends
 * a transaction's changes to a monitor in one update, so the next_cfg of
 * the transaction arrives with its records.  'applied_cfg' is the next_cfg
 * carried by the last update that has been applied completely (every slice)
 * and committed, with ofproto told of the change (which requests
 * revalidation); updates are applied in order, so every earlier update is
 * applied too.  -1 until the first update that carries one.
 *
 * bridge_hnv_set_cur_cfg() keeps cur_cfg at or below 'applied_cfg' while
 * the monitor is open, and bridge_hnv_cur_cfg_behind() tells bridge.c when
 * it may write a larger value.  While the monitor is not connected but
 * the main IDL is, the hold is bounded by HOLD_DISCONNECTED_MS: both
 * connect to the same database and usually reconnect together, and then
 * the monitor's first update (the whole policy) sets 'applied_cfg'; if the
 * monitor stays away longer, cur_cfg follows next_cfg as in stock Open
 * vSwitch rather than wedging every waiting client, and a warning says so.
 * While the main IDL is down too, cur_cfg cannot be written anyway and the
 * bound does not run, so a long database outage does not use it up.
 * hnv/apply-pause holds cur_cfg with no bound: that is its purpose. */
#define HOLD_DISCONNECTED_MS 10000
static int64_t applied_cfg = -1;
static int64_t cur_cfg_written = -1;    /* Last value set by this file. */
static struct ovsdb_idl *main_idl;      /* bridge.c's. */
static long long int monitor_down_since; /* Since when the monitor has been
                                          * down while 'main_idl' was up,
                                          * or 0. */

/* The policy tables and the columns the switch reads from them, and
 * Open_vSwitch's next_cfg (see above). */
static const struct {
    const char *table;
    const char *columns[7];
} monitored[] = {
    { "HNV_Lookup_Record", { "vsid", "customer_address", "mac",
                             "provider_address", "rule", "type", NULL } },
    { "HNV_Customer_Route", { "routing_domain", "vsid", "destination_prefix",
                              "next_hop", "metric", NULL } },
    { "HNV_Provider_Address", { "provider_address", "prefix_length",
                                NULL } },
    { "Open_vSwitch", { "next_cfg", NULL } },
};

static struct json *
compose_monitor_requests(const struct json *schema OVS_UNUSED,
                         void *aux OVS_UNUSED)
{
    struct json *requests = json_object_create();

    for (size_t i = 0; i < ARRAY_SIZE(monitored); i++) {
        struct json *columns = json_array_create_empty();
        struct json *request = json_object_create();

        for (const char *const *c = monitored[i].columns; *c; c++) {
            json_array_add(columns, json_string_create(*c));
        }
        json_object_put(request, "columns", columns);
        json_object_put(requests, monitored[i].table, request);
    }
    return requests;
}

static const struct ovsdb_cs_ops cs_ops = {
    .compose_monitor_requests = compose_monitor_requests,
};

static void
hnv_unixctl_apply_pause(struct unixctl_conn *conn, int argc OVS_UNUSED,
                        const char *argv[] OVS_UNUSED, void *aux OVS_UNUSED)
{
    apply_paused = true;
    unixctl_command_reply(conn, NULL);
}

static void
hnv_unixctl_apply_resume(struct unixctl_conn *conn, int argc OVS_UNUSED,
                         const char *argv[] OVS_UNUSED, void *aux OVS_UNUSED)
{
    apply_paused = false;
    poll_immediate_wake();
    unixctl_command_reply(conn, NULL);
}

void
bridge_hnv_init(const char *remote, struct ovsdb_idl *idl)
{
    static const struct ovsdb_idl_table_class *tables[] = {
        &ovsrec_table_hnv_lookup_record,
        &ovsrec_table_hnv_customer_route,
        &ovsrec_table_hnv_provider_address,
        &ovsrec_table_hnv_provider_route,
    };

    /* The main IDL replicates none of the policy tables: a table with no
     * column is not monitored at all. */
    for (size_t i = 0; i < ARRAY_SIZE(tables); i++) {
        for (size_t j = 0; j < tables[i]->n_columns; j++) {
            ovsdb_idl_omit(idl, &tables[i]->columns[j]);
        }
    }

    policy = hnv_policy_create();
    db_remote = xstrdup(remote);
    main_idl = idl;

    unixctl_command_register("hnv/apply-pause", "", 0, 0,
                             hnv_unixctl_apply_pause, NULL);
    unixctl_command_register("hnv/apply-resume", "", 0, 0,
                             hnv_unixctl_apply_resume, NULL);
}

static void
open_monitor(void)
{
    if (!cs) {
        /* Monitor version 1 ("monitor"): a modified row arrives whole, so
         * no row needs to be kept here to apply a change. */
        cs = ovsdb_cs_create(ovsrec_idl_class.database, 1, &cs_ops, NULL);
        ovsdb_cs_set_remote(cs, db_remote, true);
        monitor_down_since = time_msec();
    }
}

void
bridge_hnv_exit(void)
{
    ovsdb_cs_destroy(cs);
    cs = NULL;
    pending_clear();
    hnv_policy_destroy(policy);
    policy = NULL;
    free(db_remote);
    db_remote = NULL;
}

void
bridge_hnv_wait(void)
{
    ofproto_dpif_hnv_wait();
    if (cs) {
        ovsdb_cs_wait(cs);
    }
    if (!ovs_list_is_empty(&pending) && !apply_paused) {
        poll_immediate_wake();
    }
    if (monitor_down_since
        && time_msec() < monitor_down_since + HOLD_DISCONNECTED_MS) {
        /* Wake when the hold on cur_cfg expires, for bridge_run() to write
         * what it held back. */
        poll_timer_wait_until(monitor_down_since + HOLD_DISCONNECTED_MS);
    }
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

/* Column values, from the OVSDB JSON of a row.  An optional column is
 * ["set", []] when empty and the bare atom otherwise. */

static bool
column_is_empty(const struct json *json)
{
    return (json->type == JSON_ARRAY && json->array.n == 2
            && json->array.elems[0]->type == JSON_STRING
            && !strcmp(json_string(json->array.elems[0]), "set")
            && json->array.elems[1]->type == JSON_ARRAY
            && !json->array.elems[1]->array.n);
}

/* Stores in '*s' the string in column 'name' of 'row', or NULL if the
 * column is 'optional' and empty.  Returns NULL or an error message. */
static char *
get_string(const struct shash *row, const char *name, bool optional,
           const char **s)
{
    const struct json *json = shash_find_data(row, name);

    *s = NULL;
    if (json && json->type == JSON_STRING) {
        *s = json_string(json);
        return NULL;
    } else if (json && optional && column_is_empty(json)) {
        return NULL;
    }
    return xasprintf("column %s missing or not a string", name);
}

/* Stores in '*value' the integer in column 'name' of 'row'; if the column is
 * 'optional' and empty, stores 'dflt'.  Returns NULL or an error message. */
static char *
get_integer(const struct shash *row, const char *name, bool optional,
            int64_t dflt, int64_t *value)
{
    const struct json *json = shash_find_data(row, name);

    if (json && json->type == JSON_INTEGER) {
        *value = json_integer(json);
        return NULL;
    } else if (json && optional && column_is_empty(json)) {
        *value = dflt;
        return NULL;
    }
    return xasprintf("column %s missing or not an integer", name);
}

static char *
parse_vsid(int64_t vsid, uint32_t *out)
{
    if (!hnv_vsid_is_valid(vsid)) {
        return xasprintf("%"PRId64": VSID out of range %d..%d",
                         vsid, HNV_VSID_MIN, HNV_VSID_MAX);
    }
    *out = vsid;
    return NULL;
}

/* Parses lookup record 'row' into 'spec'.  Returns NULL or an error
 * message for the caller to free. */
static char *
parse_lookup_record(const struct shash *row, struct hnv_record_spec *spec)
{
    const char *ca, *mac, *pa, *rule, *type;
    char *error;
    int64_t vsid;

    if ((error = get_integer(row, "vsid", false, 0, &vsid))
        || (error = get_string(row, "customer_address", false, &ca))
        || (error = get_string(row, "mac", false, &mac))
        || (error = get_string(row, "provider_address", false, &pa))
        || (error = get_string(row, "rule", true, &rule))
        || (error = get_string(row, "type", true, &type))
        || (error = parse_vsid(vsid, &spec->vsid))
        || (error = hnv_parse_address(ca, &spec->ca))
        || (error = hnv_parse_mac(mac, &spec->mac))
        || (error = hnv_parse_address(pa, &spec->pa))) {
        return error;
    }

    spec->rule = HNV_RULE_ENCAP;
    if (rule && !hnv_rule_from_string(rule, &spec->rule)) {
        return xasprintf("%s: unknown rule", rule);
    }
    spec->type = HNV_TYPE_STATIC;
    if (type && !hnv_type_from_string(type, &spec->type)) {
        return xasprintf("%s: unknown type", type);
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

/* Parses customer route 'row' into 'route' and '*rdid' (canonical,
 * malloc()'d).  Returns NULL or an error message for the caller to free. */
static char *
parse_customer_route(const struct shash *row, struct hnv_route *route,
                     char **rdid)
{
    const char *rd, *prefix, *next_hop;
    int64_t vsid, metric;
    char *error;

    if ((error = get_string(row, "routing_domain", false, &rd))
        || (error = get_integer(row, "vsid", false, 0, &vsid))
        || (error = get_string(row, "destination_prefix", false, &prefix))
        || (error = get_string(row, "next_hop", false, &next_hop))
        || (error = get_integer(row, "metric", true,
                                HNV_DEFAULT_ROUTE_METRIC, &metric))
        || (error = parse_vsid(vsid, &route->vsid))
        || (error = hnv_parse_prefix(prefix, &route->prefix, &route->plen))
        || (error = hnv_parse_address(next_hop, &route->next_hop))) {
        return error;
    }
    if (metric < 0 || metric > UINT32_MAX) {
        return xasprintf("%"PRId64": metric out of range", metric);
    }
    route->metric = metric;
    if (hnv_address_is_ipv4(&route->prefix)
        != hnv_address_is_ipv4(&route->next_hop)) {
        return xasprintf("%s: next hop %s is of another address family",
                         prefix, next_hop);
    }
    return hnv_parse_rdid(rd, rdid);
}

/* Parses provider address 'row' into 'pa' and 'plen'. */
static char *
parse_provider_address(const struct shash *row, struct in6_addr *pa,
                       unsigned int *plen)
{
    const char *address;
    int64_t prefix_length;
    char *error;

    if ((error = get_string(row, "provider_address", false, &address))
        || (error = get_integer(row, "prefix_length", false, 0,
                                &prefix_length))
        || (error = hnv_parse_address(address, pa))
        || (error = hnv_check_provider_address(pa))) {
        return error;
    }
    if (prefix_length < 0
        || prefix_length > (hnv_address_is_ipv4(pa) ? 32 : 128)) {
        return xasprintf("%"PRId64": prefix length out of range for %s",
                         prefix_length, address);
    }
    *plen = prefix_length;
    return NULL;
}

static void
apply_lookup_record(const struct ovsdb_cs_row_update *ru)
{
    struct hnv_record_spec spec;
    char *error;

    if (ru->type == OVSDB_CS_ROW_DELETE) {
        hnv_policy_remove_record(policy, &ru->row_uuid);
    } else if ((error = parse_lookup_record(ru->columns, &spec))) {
        hnv_policy_remove_record(policy, &ru->row_uuid);
        report_bad_row("HNV_Lookup_Record", &ru->row_uuid, error);
    } else {
        hnv_policy_set_record(policy, &ru->row_uuid, &spec);
    }
}

static void
apply_customer_route(const struct ovsdb_cs_row_update *ru)
{
    struct hnv_route route;
    char *rdid = NULL;
    char *error;

    if (ru->type == OVSDB_CS_ROW_DELETE) {
        hnv_policy_remove_route(policy, &ru->row_uuid);
    } else if ((error = parse_customer_route(ru->columns, &route, &rdid))) {
        hnv_policy_remove_route(policy, &ru->row_uuid);
        report_bad_row("HNV_Customer_Route", &ru->row_uuid, error);
    } else {
        hnv_policy_set_route(policy, &ru->row_uuid, rdid, &route);
    }
    free(rdid);
}

static void
apply_provider_address(const struct ovsdb_cs_row_update *ru)
{
    unsigned int plen = 0;
    struct in6_addr pa;
    char *error;

    if (ru->type == OVSDB_CS_ROW_DELETE) {
        hnv_policy_remove_local_pa(policy, &ru->row_uuid);
    } else if ((error = parse_provider_address(ru->columns, &pa, &plen))) {
        hnv_policy_remove_local_pa(policy, &ru->row_uuid);
        report_bad_row("HNV_Provider_Address", &ru->row_uuid, error);
    } else {
        hnv_policy_set_local_pa(policy, &ru->row_uuid, &pa, plen);
    }
}

/* Returns the function that applies a row of 'table', or NULL for a table
 * the policy does not use. */
static void (*row_applier(const char *table))
    (const struct ovsdb_cs_row_update *)
{
    return (!strcmp(table, "HNV_Lookup_Record") ? apply_lookup_record
            : !strcmp(table, "HNV_Customer_Route") ? apply_customer_route
            : !strcmp(table, "HNV_Provider_Address") ? apply_provider_address
            : NULL);
}

static bool
row_was_seen(enum hnv_policy_table table OVS_UNUSED, const struct uuid *uuid,
             void *seen)
{
    return uuidset_find(seen, uuid) != NULL;
}

/* Returns the Open_vSwitch next_cfg that 'du' carries, or -1. */
static int64_t
update_next_cfg(const struct ovsdb_cs_db_update *du)
{
    for (size_t i = 0; i < du->n; i++) {
        const struct ovsdb_cs_table_update *tu = &du->table_updates[i];

        if (strcmp(tu->table_name, "Open_vSwitch")) {
            continue;
        }
        for (size_t j = 0; j < tu->n; j++) {
            const struct ovsdb_cs_row_update *ru = &tu->row_updates[j];
            const struct json *next_cfg
                = (ru->type != OVSDB_CS_ROW_DELETE && ru->columns
                   ? shash_find_data(ru->columns, "next_cfg") : NULL);

            if (next_cfg && next_cfg->type == JSON_INTEGER) {
                return json_integer(next_cfg);
            }
        }
    }
    return -1;
}

/* Applies up to 'budget' rows of 'pu'.  Returns the number of rows
 * applied (or looked at) and sets '*done' if 'pu' is finished.  An update
 * with 'clear' set (the reply to a new monitor, after every connection)
 * holds the whole content of the tables: once it is applied, whatever the
 * policy has beyond it was deleted meanwhile and is swept. */
static size_t
apply_some(struct pending_update *pu, size_t budget, bool *done)
{
    const struct ovsdb_cs_update_event *update = &pu->event->update;
    size_t n = 0;

    *done = false;
    if (!pu->du) {
        struct ovsdb_error *error = ovsdb_cs_parse_db_update(
            update->table_updates, update->version, &pu->du);
        if (error) {
            char *s = ovsdb_error_to_string_free(error);
            VLOG_WARN("cannot parse HNV policy update: %s", s);
            free(s);
            *done = true;
            return 0;
        }
        pu->next_cfg = update_next_cfg(pu->du);
    }

    for (; pu->table < pu->du->n; pu->table++, pu->pass = pu->row = 0) {
        const struct ovsdb_cs_table_update *tu
            = &pu->du->table_updates[pu->table];
        void (*apply)(const struct ovsdb_cs_row_update *)
            = row_applier(tu->table_name);

        for (; apply && pu->pass < 2; pu->pass++, pu->row = 0) {
            for (; pu->row < tu->n; pu->row++) {
                const struct ovsdb_cs_row_update *ru
                    = &tu->row_updates[pu->row];
                bool is_delete = ru->type == OVSDB_CS_ROW_DELETE;

                if (n >= budget) {
                    return n;
                }
                if (is_delete == !pu->pass) {
                    apply(ru);
                    COVERAGE_INC(hnv_row_change);
                    if (update->clear && !is_delete) {
                        uuidset_insert(&pu->seen, &ru->row_uuid);
                    }
                    n++;
                }
            }
        }
    }

    if (update->clear) {
        hnv_policy_sweep(policy, row_was_seen, &pu->seen);
        n++;
    }
    *done = true;
    return n;
}

/* Above this many rows in one batch (a bulk import, the initial load), the
 * JSON that carried them was large; give its memory, which the C library
 * would otherwise keep, back to the system. */
#define BULK_ROWS 10000

void
bridge_hnv_run(void)
{
    static size_t bulk_rows;
    struct ovsdb_cs_event *event;
    struct ovs_list events;

    ofproto_dpif_hnv_run();
    if (!cs) {
        return;
    }
    ovsdb_cs_run(cs, &events);
    if (ovsdb_cs_is_connected(cs) || !ovsdb_idl_is_connected(main_idl)) {
        monitor_down_since = 0;
    } else if (!monitor_down_since) {
        monitor_down_since = time_msec();
    }
    LIST_FOR_EACH_POP (event, list_node, &events) {
        if (event->type == OVSDB_CS_EVENT_TYPE_UPDATE) {
            struct pending_update *pu = xzalloc(sizeof *pu);
            pu->event = event;
            pu->next_cfg = -1;
            uuidset_init(&pu->seen);
            ovs_list_push_back(&pending, &pu->node);
        } else {
            ovsdb_cs_event_destroy(event);
        }
    }

    int64_t done_cfg = -1;
    size_t n_changed = 0;
    while (!apply_paused && !ovs_list_is_empty(&pending)
           && n_changed < SLICE_ROWS) {
        struct pending_update *pu = CONTAINER_OF(ovs_list_front(&pending),
                                                 struct pending_update,
                                                 node);
        bool done;

        n_changed += apply_some(pu, SLICE_ROWS - n_changed, &done);
        if (done) {
            if (pu->next_cfg >= 0) {
                done_cfg = pu->next_cfg;
            }
            ovs_list_remove(&pu->node);
            pending_update_destroy(pu);
        }
    }
    if (!apply_paused && !ovs_list_is_empty(&pending)) {
        COVERAGE_INC(hnv_apply_yield);
    }

    if (n_changed && hnv_policy_commit(policy)) {
        ofproto_dpif_hnv_policy_changed(policy,
                                        hnv_policy_get_seqno(policy));
    }
    if (done_cfg >= 0) {
        /* Committed and handed to ofproto just above. */
        applied_cfg = done_cfg;
    }
    bulk_rows += n_changed;
    if (ovs_list_is_empty(&pending)) {
        if (bulk_rows >= BULK_ROWS) {
            malloc_trim(0);
        }
        bulk_rows = 0;
    }
}

/* Fills 'port_vsids' with the name of each interface of each VM port of
 * bridge 'br_cfg' (a Port with an hnv_vsid) and its VSID.  A VM port is
 * normally one interface; every interface of a bonded one is listed. */
static void
collect_port_vsids(const struct ovsrec_bridge *br_cfg,
                   struct simap *port_vsids)
{
    for (size_t i = 0; i < br_cfg->n_ports; i++) {
        const struct ovsrec_port *port = br_cfg->ports[i];

        if (port->n_hnv_vsid && hnv_vsid_is_valid(*port->hnv_vsid)) {
            for (size_t j = 0; j < port->n_interfaces; j++) {
                simap_put(port_vsids, port->interfaces[j]->name,
                          *port->hnv_vsid);
            }
        }
    }
}

void
bridge_hnv_configure(struct ofproto *ofproto,
                     const struct ovsrec_bridge *br_cfg)
{
    const struct ovsrec_hnv *hnv = br_cfg->hnv;

    if (hnv) {
        struct simap port_vsids = SIMAP_INITIALIZER(&port_vsids);
        struct ofproto_hnv_settings s;

        open_monitor();
        collect_port_vsids(br_cfg, &port_vsids);
        s.policy = policy;
        s.policy_seqno = hnv_policy_get_seqno(policy);
        s.tunnel_port = hnv->tunnel_port;
        s.port_vsids = &port_vsids;
        s.other_config = &hnv->other_config;
        ofproto_set_hnv(ofproto, &s);
        simap_destroy(&port_vsids);
    } else {
        ofproto_set_hnv(ofproto, NULL);
    }
}

/* Returns the value that Open_vSwitch's cur_cfg may take now, given
 * 'next_cfg': 'next_cfg' itself, unless the HNV policy has not yet applied
 * the transactions up to it (see 'applied_cfg'); then the largest value it
 * has applied through, or -1 if none yet. */
static int64_t
cur_cfg_target(int64_t next_cfg)
{
    if (!cs) {
        return next_cfg;
    }
    if (monitor_down_since
        && time_msec() >= monitor_down_since + HOLD_DISCONNECTED_MS) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 60);

        if (applied_cfg < next_cfg) {
            VLOG_WARN_RL(&rl, "HNV policy monitor disconnected for more "
                         "than %d s: cur_cfg no longer waits for the HNV "
                         "policy", HOLD_DISCONNECTED_MS / 1000);
        }
        return next_cfg;
    }
    return MIN(next_cfg, applied_cfg);
}

/* Sets 'ovs''s cur_cfg, in the caller's transaction, for bridge_run():
 * without HNV (no monitor open) to next_cfg, exactly as stock Open
 * vSwitch; with it, to at most what the HNV policy has applied (see
 * 'applied_cfg'), and never backward while holding.
 *
 * So a client that waits for cur_cfg >= its next_cfg (ovs-hnvctl,
 * ovs-vsctl) returns once the policy rows of its transaction, and of every
 * earlier one, are in the policy: new translations use them (they read the
 * policy under RCU) and revalidation of existing datapath flows has been
 * requested, though not necessarily finished. */
void
bridge_hnv_set_cur_cfg(const struct ovsrec_open_vswitch *ovs)
{
    int64_t target = cur_cfg_target(ovs->next_cfg);

    if (!cs) {
        ovsrec_open_vswitch_set_cur_cfg(ovs, ovs->next_cfg);
    } else if (target == ovs->next_cfg || target > ovs->cur_cfg) {
        ovsrec_open_vswitch_set_cur_cfg(ovs, target);
        cur_cfg_written = target;
    }
}

/* Returns true if bridge_hnv_set_cur_cfg() held 'ovs''s cur_cfg back and
 * the HNV policy has since caught up: bridge_run() then writes it without
 * waiting for a change in the main IDL. */
bool
bridge_hnv_cur_cfg_behind(const struct ovsrec_open_vswitch *ovs)
{
    int64_t target = cur_cfg_target(ovs->next_cfg);

    return cs && target > ovs->cur_cfg && target > cur_cfg_written;
}
