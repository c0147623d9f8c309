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

/* ovs-hnvctl: the commands that change the policy -- lookup records,
 * customer routes, provider addresses and routes, bridges and ports -- and
 * the conditional monitoring of HNV_Lookup_Record (see ovs-hnvctl.c). */

#include <config.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "db-ctl-base.h"

#include "compiler.h"
#include "hash.h"
#include "hmapx.h"
#include "hnv/hnv-types.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"
#include "openvswitch/shash.h"
#include "ovsdb-idl.h"
#include "packets.h"
#include "smap.h"
#include "lib/vswitch-idl.h"
#include "util.h"

#include "utilities/ovs-hnvctl.h"

/* Lookup records. */

void
record_spec_destroy(struct record_spec *spec)
{
    free(spec->customer_id);
    free(spec->vm_name);
    free(spec->context);
}

char *
nonempty_xstrdup(const char *s)
{
    return s && *s ? xstrdup(s) : NULL;
}

/* Fills 'spec' from textual values (as given on the command line or in an
 * import file); 'rule' and 'type' may be NULL or empty for the defaults, the
 * metadata NULL or empty for none.  Returns NULL or an error message. */
char *
record_spec_parse(struct record_spec *spec, const char *vsid,
                  const char *ca, const char *mac, const char *pa,
                  const char *rule, const char *type,
                  const char *customer_id, const char *vm_name,
                  const char *context)
{
    char *error;

    memset(spec, 0, sizeof *spec);
    error = hnv_parse_vsid(vsid, &spec->vsid);
    if (!error) {
        error = hnv_parse_address(ca, &spec->ca);
    }
    if (!error) {
        error = hnv_parse_mac(mac, &spec->mac);
    }
    if (!error) {
        error = parse_record_pa(pa, &spec->pa);
    }
    if (!error) {
        spec->rule = HNV_RULE_ENCAP;
        if (rule && *rule) {
            error = parse_rule(rule, &spec->rule);
        }
    }
    if (!error) {
        /* A wildcard CA given with no type is an edge gateway (WS2012 data
         * has no types). */
        spec->type = (hnv_address_is_wildcard(&spec->ca)
                      ? HNV_TYPE_GATEWAY_WILDCARD : HNV_TYPE_STATIC);
        if (type && *type) {
            error = parse_type(type, &spec->type);
        }
    }
    if (!error) {
        error = hnv_check_ca_type(&spec->ca, spec->type);
    }
    if (!error) {
        /* The check that ovs-vswitchd applies to the row. */
        error = hnv_check_record_addresses(&spec->ca, spec->mac, &spec->pa);
    }
    if (!error) {
        spec->customer_id = nonempty_xstrdup(customer_id);
        spec->vm_name = nonempty_xstrdup(vm_name);
        spec->context = nonempty_xstrdup(context);
    }
    return error;
}

static char *
record_key_string(uint32_t vsid, const struct in6_addr *ca,
                  const struct eth_addr *mac)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    ds_put_format(&s, "(VSID %"PRIu32", CA ", vsid);
    hnv_format_address(ca, &s);
    if (mac) {
        ds_put_cstr(&s, ", MAC ");
        hnv_format_mac(*mac, &s);
    }
    ds_put_char(&s, ')');
    return ds_steal_cstr(&s);
}

static struct hnv_rec *
cache_find_record(struct hnv_cache *c, uint32_t vsid,
                  const struct in6_addr *ca, const struct eth_addr *mac)
{
    struct hnv_rec *rec;
    HMAP_FOR_EACH_WITH_HASH (rec, node, hash_rec(vsid, ca), &c->records) {
        if (rec->vsid->vsid == vsid && ipv6_addr_equals(&rec->ca->ca, ca)
            && (!mac || eth_addr_equals(rec->mac, *mac))) {
            return rec;
        }
    }
    return NULL;
}

/* Returns a routing domain that 'a' and 'b' share, or NULL. */
static const char *
shared_rd(const struct hnv_vsid *a, const struct hnv_vsid *b)
{
    struct shash_node *node;
    SHASH_FOR_EACH (node, &a->rdids) {
        if (shash_find(&b->rdids, node->name)) {
            return node->name;
        }
    }
    return NULL;
}

/* Looks for a record other than 'self' that uses customer address 'ca' in
 * the routing domain(s) of VSID 'v' (or in 'v' itself).  Returns it and
 * stores in '*rdp' the routing domain they share (NULL if both are in
 * 'v').
 *
 * The cost is the smaller of the number of records with that CA and the
 * number of VSIDs in v's routing domains, so that both "many tenants reuse
 * the same addresses" and "one big routing domain" stay O(1) per record. */
static struct hnv_rec *
find_ca_conflict(struct hnv_cache *c, struct hnv_vsid *v,
                 const struct in6_addr *ca, const struct hnv_rec *self,
                 const char **rdp)
{
    struct hnv_ca *group = cache_get_ca(c, ca, false);
    if (!group) {
        return NULL;
    }

    size_t n_vsids = 1;
    struct shash_node *node;
    SHASH_FOR_EACH (node, &v->rdids) {
        struct hnv_rd *rd = shash_find_data(&c->rds, node->name);
        n_vsids += hmapx_count(&rd->vsids);
    }

    *rdp = NULL;
    if (group->n_records <= n_vsids) {
        struct hnv_rec *rec;
        LIST_FOR_EACH (rec, ca_node, &group->records) {
            if (rec == self) {
                continue;
            }
            if (rec->vsid == v) {
                return rec;
            }
            const char *rd = shared_rd(v, rec->vsid);
            if (rd) {
                *rdp = rd;
                return rec;
            }
        }
        return NULL;
    }

    struct hnv_rec *rec;
    HMAP_FOR_EACH_WITH_HASH (rec, node, hash_rec(v->vsid, ca), &c->records) {
        if (rec != self && rec->vsid == v
            && ipv6_addr_equals(&rec->ca->ca, ca)) {
            return rec;
        }
    }
    SHASH_FOR_EACH (node, &v->rdids) {
        struct hnv_rd *rd = shash_find_data(&c->rds, node->name);
        struct hmapx_node *xn;
        HMAPX_FOR_EACH (xn, &rd->vsids) {
            struct hnv_vsid *w = xn->data;
            if (w == v) {
                continue;
            }
            HMAP_FOR_EACH_WITH_HASH (rec, node, hash_rec(w->vsid, ca),
                                     &c->records) {
                if (rec != self && rec->vsid == w
                    && ipv6_addr_equals(&rec->ca->ca, ca)) {
                    *rdp = rd->rdid;
                    return rec;
                }
            }
        }
    }
    return NULL;
}

OVS_NO_RETURN static void
fatal_ca_conflict(const char *where, uint32_t vsid,
                  const struct in6_addr *ca, const struct eth_addr mac,
                  const struct hnv_rec *other, const char *rd)
{
    char *ca_s = addr_to_string(ca);
    char *mac_s = mac_to_string(mac);
    char *other_mac_s = mac_to_string(other->mac);
    struct ds in = DS_EMPTY_INITIALIZER;

    if (rd) {
        ds_put_format(&in, "routing domain %s", rd);
    } else {
        ds_put_format(&in, "VSID %"PRIu32, vsid);
    }
    ctl_fatal("%s%s: customer address of (VSID %"PRIu32", MAC %s) already "
              "used in %s by (VSID %"PRIu32", MAC %s)",
              where, ca_s, vsid, mac_s, ds_cstr(&in), other->vsid->vsid,
              other_mac_s);
}

const char *
row_rule(const struct ovsrec_hnv_lookup_record *row)
{
    return row->rule && *row->rule ? row->rule : "encap";
}

const char *
row_type(const struct ovsrec_hnv_lookup_record *row)
{
    return row->type && *row->type ? row->type : "static";
}

static bool
nullable_streq(const char *a, const char *b)
{
    return a && b ? !strcmp(a, b) : !a == !b;
}

static bool
record_row_matches_spec(const struct ovsrec_hnv_lookup_record *row,
                        const struct record_spec *spec)
{
    struct in6_addr pa;
    char *error = hnv_parse_address(row->provider_address, &pa);
    if (error) {
        free(error);
        return false;
    }
    return (ipv6_addr_equals(&pa, &spec->pa)
            && !strcmp(row_rule(row), hnv_rule_to_string(spec->rule))
            && !strcmp(row_type(row), hnv_type_to_string(spec->type))
            && nullable_streq(row->customer_id, spec->customer_id)
            && nullable_streq(row->vm_name, spec->vm_name)
            && nullable_streq(row->context, spec->context));
}

/* Inserts a row for the record in 'spec' into the transaction, with the row
 * UUID derived from the record's key (hnv_lookup_record_uuid()) that the
 * direct commands rely on.  If the IDL already has a row with that UUID,
 * which happens only when this invocation deleted the record before adding
 * it again, the new row gets a random UUID instead: one transaction cannot
 * delete and insert the same UUID, and the direct commands fall back to
 * the general path for such rows anyway. */
static struct ovsrec_hnv_lookup_record *
insert_lookup_record(struct hnvctl_context *ctx,
                     const struct record_spec *spec)
{
    struct uuid uuid;

    hnv_lookup_record_uuid(spec->vsid, &spec->ca, spec->mac, &uuid);
    if (ovsrec_hnv_lookup_record_get_for_uuid(ctx->base.idl, &uuid)) {
        return ovsrec_hnv_lookup_record_insert(ctx->base.txn);
    }
    return ovsrec_hnv_lookup_record_insert_persist_uuid(ctx->base.txn, &uuid);
}

/* Adds the record in 'spec' to the transaction and the cache, after checking
 * it against both.  With 'may_exist', an identical record is not an
 * error. */
void
add_lookup_record(struct hnvctl_context *ctx, const struct record_spec *spec,
                  bool may_exist, const char *where)
{
    struct hnv_cache *c = cache_populate(ctx);
    struct hnv_rec *old = cache_find_record(c, spec->vsid, &spec->ca,
                                            &spec->mac);
    if (old) {
        if (may_exist && record_row_matches_spec(old->row, spec)) {
            return;
        }
        char *key = record_key_string(spec->vsid, &spec->ca, &spec->mac);
        ctl_fatal("%s%s: lookup record already exists%s", where, key,
                  may_exist ? " with different values" : "");
    }

    if (!hnv_address_is_wildcard(&spec->ca)) {
        struct hnv_vsid *v = cache_get_vsid(c, spec->vsid);
        const char *rd;
        struct hnv_rec *other = find_ca_conflict(c, v, &spec->ca, NULL, &rd);
        if (other) {
            fatal_ca_conflict(where, spec->vsid, &spec->ca, spec->mac,
                              other, rd);
        }
    }

    char *ca_s = addr_to_string(&spec->ca);
    char *mac_s = mac_to_string(spec->mac);
    char *pa_s = addr_to_string(&spec->pa);
    struct ovsrec_hnv_lookup_record *row = insert_lookup_record(ctx, spec);
    ovsrec_hnv_lookup_record_set_vsid(row, spec->vsid);
    ovsrec_hnv_lookup_record_set_customer_address(row, ca_s);
    ovsrec_hnv_lookup_record_set_mac(row, mac_s);
    ovsrec_hnv_lookup_record_set_provider_address(row, pa_s);
    ovsrec_hnv_lookup_record_set_rule(row, hnv_rule_to_string(spec->rule));
    ovsrec_hnv_lookup_record_set_type(row, hnv_type_to_string(spec->type));
    if (spec->customer_id) {
        ovsrec_hnv_lookup_record_set_customer_id(row, spec->customer_id);
    }
    if (spec->vm_name) {
        ovsrec_hnv_lookup_record_set_vm_name(row, spec->vm_name);
    }
    if (spec->context) {
        ovsrec_hnv_lookup_record_set_context(row, spec->context);
    }
    free(ca_s);
    free(mac_s);
    free(pa_s);

    cache_add_record(c, spec->vsid, &spec->ca, spec->mac, row);
}

const char *
opt(const struct ctl_context *ctx, const char *name)
{
    return shash_find_data(&ctx->options, name);
}

bool
has_opt(const struct ctl_context *ctx, const char *name)
{
    return shash_find(&ctx->options, name) != NULL;
}

/* Conditional monitoring of HNV_Lookup_Record (see the design comment at
 * the top of the file).  The "pre_*" functions of the commands, which run
 * before the IDL connects, accumulate here the lookup records that the
 * invocation needs; run_prerequisites() turns that into the table's
 * condition. */

/* Did some command register the HNV_Lookup_Record columns? */
bool records_monitored;

/* Does some command need every lookup record? */
bool records_all;

/* Does an "import" need the existing lookup records?  Only if there are any:
 * see run_prerequisites(). */
bool import_needs_records;

/* Otherwise, the records needed: a disjunction of clauses on
 * HNV_Lookup_Record, each on one column. */
struct ovsdb_idl_condition records_cond
    = OVSDB_IDL_CONDITION_INIT(&records_cond);

void
need_all_records(void)
{
    records_all = true;
}

/* Notes that the command needs the lookup records whose customer address is
 * 'ca_s' in VSID 'vsid_s' or, if 'vsid_s' is NULL, in every VSID.
 *
 * The condition compares the stored text with the canonical text of the
 * address, while the cache compares parsed addresses.  For IPv4 they agree:
 * inet_pton() accepts only the dotted-quad form that ovs-hnvctl stores, so a
 * row whose text differs does not denote the address at all.  IPv6 has many
 * spellings of one address, and another writer may have used any of them, so
 * an IPv6 address is looked up by VSID instead (all the VSID's records), or
 * if the VSID is not given, by fetching all records.
 *
 * Values that do not parse add nothing: the command reports them before it
 * looks at any record. */
static void
need_records_by_ca(const char *vsid_s, const char *ca_s)
{
    struct in6_addr ca;
    uint32_t vsid;
    char *error;

    error = hnv_parse_address(ca_s, &ca);
    if (error) {
        free(error);
        return;
    }
    if (hnv_address_is_ipv4(&ca)) {
        char *s = addr_to_string(&ca);
        ovsrec_hnv_lookup_record_add_clause_customer_address(
            &records_cond, OVSDB_F_EQ, s);
        free(s);
    } else if (!vsid_s) {
        need_all_records();
    } else {
        error = hnv_parse_vsid(vsid_s, &vsid);
        if (error) {
            free(error);
            return;
        }
        ovsrec_hnv_lookup_record_add_clause_vsid(&records_cond, OVSDB_F_EQ,
                                                 vsid);
    }
}

/* Registers the columns of the HNV tables.  With 'records' false, the
 * command never looks at lookup records, so that table is not monitored at
 * all by this command. */
void
pre_policy__(struct ctl_context *ctx, bool records)
{
    static const struct ovsdb_idl_column *record_columns[] = {
        &ovsrec_hnv_lookup_record_col_vsid,
        &ovsrec_hnv_lookup_record_col_customer_address,
        &ovsrec_hnv_lookup_record_col_mac,
        &ovsrec_hnv_lookup_record_col_provider_address,
        &ovsrec_hnv_lookup_record_col_rule,
        &ovsrec_hnv_lookup_record_col_type,
        &ovsrec_hnv_lookup_record_col_customer_id,
        &ovsrec_hnv_lookup_record_col_vm_name,
        &ovsrec_hnv_lookup_record_col_context,
    };
    static const struct ovsdb_idl_column *columns[] = {
        &ovsrec_hnv_customer_route_col_routing_domain,
        &ovsrec_hnv_customer_route_col_vsid,
        &ovsrec_hnv_customer_route_col_destination_prefix,
        &ovsrec_hnv_customer_route_col_next_hop,
        &ovsrec_hnv_customer_route_col_metric,
        &ovsrec_hnv_provider_address_col_provider_address,
        &ovsrec_hnv_provider_address_col_prefix_length,
        &ovsrec_hnv_provider_address_col_interface,
        &ovsrec_hnv_provider_address_col_vlan,
        &ovsrec_hnv_provider_route_col_destination_prefix,
        &ovsrec_hnv_provider_route_col_next_hop,
        &ovsrec_hnv_provider_route_col_interface,
        &ovsrec_hnv_provider_route_col_metric,
    };

    for (size_t i = 0; i < ARRAY_SIZE(columns); i++) {
        ovsdb_idl_add_column(ctx->idl, columns[i]);
    }
    if (records) {
        for (size_t i = 0; i < ARRAY_SIZE(record_columns); i++) {
            ovsdb_idl_add_column(ctx->idl, record_columns[i]);
        }
        records_monitored = true;
    }
}

/* For commands that need all the records (export, import, add-customer-route,
 * the list command without filters...). */
void
pre_policy(struct ctl_context *ctx)
{
    pre_policy__(ctx, true);
    need_all_records();
}

/* For commands that never look at lookup records. */
void
pre_policy_no_records(struct ctl_context *ctx)
{
    pre_policy__(ctx, false);
}

/* add-lookup-record VSID CA ...: the records with CA, in every VSID, so that
 * both "already exists" and "CA already used in the routing domain" are
 * decided on rows that are all present (find_ca_conflict() looks only at
 * records of that CA); the customer routes, which give the routing domains,
 * are monitored whole.  An IPv6 CA needs all records (see
 * need_records_by_ca()). */
void
pre_add_lookup_record(struct ctl_context *ctx)
{
    pre_policy__(ctx, true);
    need_records_by_ca(NULL, ctx->argv[2]);
}

/* set-lookup-record and del-lookup-record VSID CA [MAC]: the records with
 * that key, which match_records() selects among those present. */
void
pre_lookup_record_key(struct ctl_context *ctx)
{
    pre_policy__(ctx, true);
    if (has_opt(ctx, "--all")) {
        need_all_records();
    } else if (ctx->argc >= 3) {
        need_records_by_ca(ctx->argv[1], ctx->argv[2]);
    }
}

/* list-lookup-records: the rows that the filters select (a superset, when
 * several are given), or all rows. */
void
pre_list_lookup_records(struct ctl_context *ctx)
{
    const char *ca_s = opt(ctx, "--ca");
    const char *pa_s = opt(ctx, "--pa");
    const char *vsid_s = opt(ctx, "--vsid");
    struct in6_addr pa;
    uint32_t vsid;
    char *error;

    pre_policy__(ctx, true);
    if (ca_s) {
        need_records_by_ca(vsid_s, ca_s);
    } else if (vsid_s) {
        error = hnv_parse_vsid(vsid_s, &vsid);
        if (!error) {
            ovsrec_hnv_lookup_record_add_clause_vsid(&records_cond,
                                                     OVSDB_F_EQ, vsid);
        }
        free(error);
    } else if (pa_s) {
        /* As for customer addresses, only IPv4 text is unique. */
        error = hnv_parse_address(pa_s, &pa);
        if (!error && hnv_address_is_ipv4(&pa)) {
            char *s = addr_to_string(&pa);
            ovsrec_hnv_lookup_record_add_clause_provider_address(
                &records_cond, OVSDB_F_EQ, s);
            free(s);
        } else if (!error) {
            need_all_records();
        }
        free(error);
    } else {
        need_all_records();
    }
}

void
pre_switch(struct ctl_context *ctx)
{
    ovsdb_idl_add_column(ctx->idl, &ovsrec_open_vswitch_col_bridges);
    ovsdb_idl_add_column(ctx->idl, &ovsrec_bridge_col_name);
    ovsdb_idl_add_column(ctx->idl, &ovsrec_bridge_col_ports);
    ovsdb_idl_add_column(ctx->idl, &ovsrec_bridge_col_hnv);
    ovsdb_idl_add_column(ctx->idl, &ovsrec_port_col_name);
    ovsdb_idl_add_column(ctx->idl, &ovsrec_port_col_interfaces);
    ovsdb_idl_add_column(ctx->idl, &ovsrec_port_col_hnv_vsid);
    ovsdb_idl_add_column(ctx->idl, &ovsrec_interface_col_name);
    ovsdb_idl_add_column(ctx->idl, &ovsrec_interface_col_type);
    ovsdb_idl_add_column(ctx->idl, &ovsrec_interface_col_options);
    ovsdb_idl_add_column(ctx->idl, &ovsrec_hnv_col_tunnel_port);
}

void
pre_all(struct ctl_context *ctx)
{
    pre_policy(ctx);
    pre_switch(ctx);
}

void
cmd_add_lookup_record(struct ctl_context *base)
{
    struct hnvctl_context *ctx = hnvctl_context_cast(base);
    struct record_spec spec;

    check("", record_spec_parse(&spec, base->argv[1], base->argv[2],
                                base->argv[3], base->argv[4],
                                opt(base, "--rule"), opt(base, "--type"),
                                opt(base, "--customer-id"),
                                opt(base, "--vm-name"),
                                opt(base, "--context")));
    add_lookup_record(ctx, &spec, has_opt(base, "--may-exist"), "");
    record_spec_destroy(&spec);
}

/* Stores in '*recsp' the '*n_recsp' cached records that match the (VSID,
 * CA[, MAC]) in argv[1..3] and returns that key as text, for messages. */
static char *
match_records(struct hnvctl_context *ctx, struct ctl_context *base,
              struct hnv_rec ***recsp, size_t *n_recsp)
{
    struct hnv_cache *c = cache_populate(ctx);
    uint32_t vsid;
    struct in6_addr ca;
    struct eth_addr mac;
    bool has_mac = base->argc > 3;

    check("", hnv_parse_vsid(base->argv[1], &vsid));
    check("", hnv_parse_address(base->argv[2], &ca));
    if (has_mac) {
        check("", hnv_parse_mac(base->argv[3], &mac));
    }

    struct hnv_rec **recs = NULL;
    size_t n = 0, allocated = 0;
    struct hnv_rec *rec;
    HMAP_FOR_EACH_WITH_HASH (rec, node, hash_rec(vsid, &ca), &c->records) {
        if (rec->vsid->vsid == vsid && ipv6_addr_equals(&rec->ca->ca, &ca)
            && (!has_mac || eth_addr_equals(rec->mac, mac))) {
            if (n >= allocated) {
                recs = x2nrealloc(recs, &allocated, sizeof *recs);
            }
            recs[n++] = rec;
        }
    }
    *recsp = recs;
    *n_recsp = n;
    return record_key_string(vsid, &ca, has_mac ? &mac : NULL);
}

void
cmd_set_lookup_record(struct ctl_context *base)
{
    struct hnvctl_context *ctx = hnvctl_context_cast(base);
    const char *pa_s = opt(base, "--pa");
    const char *rule_s = opt(base, "--rule");
    struct in6_addr pa;
    enum hnv_rule rule;

    if (pa_s) {
        check("", parse_record_pa(pa_s, &pa));
    }
    if (rule_s) {
        check("", parse_rule(rule_s, &rule));
    }
    if (!pa_s && !rule_s && !has_opt(base, "--customer-id")
        && !has_opt(base, "--vm-name") && !has_opt(base, "--context")) {
        ctl_fatal("set-lookup-record: nothing to set (use --pa, --rule, "
                  "--customer-id, --vm-name or --context)");
    }

    struct hnv_rec **recs;
    size_t n;
    char *key = match_records(ctx, base, &recs, &n);
    if (!n) {
        if (has_opt(base, "--if-exists")) {
            free(key);
            return;
        }
        ctl_fatal("%s: no such lookup record", key);
    } else if (n > 1) {
        ctl_fatal("%s: %"PRIuSIZE" lookup records match (give the MAC)",
                  key, n);
    }

    const struct ovsrec_hnv_lookup_record *row = recs[0]->row;
    if (pa_s) {
        char *s = addr_to_string(&pa);
        ovsrec_hnv_lookup_record_set_provider_address(row, s);
        free(s);
    }
    if (rule_s) {
        ovsrec_hnv_lookup_record_set_rule(row, hnv_rule_to_string(rule));
    }
    if (has_opt(base, "--customer-id")) {
        const char *v = opt(base, "--customer-id");
        ovsrec_hnv_lookup_record_set_customer_id(row, v && *v ? v : NULL);
    }
    if (has_opt(base, "--vm-name")) {
        const char *v = opt(base, "--vm-name");
        ovsrec_hnv_lookup_record_set_vm_name(row, v && *v ? v : NULL);
    }
    if (has_opt(base, "--context")) {
        const char *v = opt(base, "--context");
        ovsrec_hnv_lookup_record_set_context(row, v && *v ? v : NULL);
    }
    free(recs);
    free(key);
}

void
cmd_del_lookup_record(struct ctl_context *base)
{
    struct hnvctl_context *ctx = hnvctl_context_cast(base);
    struct hnv_cache *c = cache_populate(ctx);

    if (has_opt(base, "--all")) {
        if (base->argc > 1) {
            ctl_fatal("del-lookup-record: --all takes no arguments");
        }
        struct hnv_rec *rec;
        HMAP_FOR_EACH_SAFE (rec, node, &c->records) {
            cache_remove_record(c, rec);
        }
        const struct ovsrec_hnv_lookup_record *row;
        OVSREC_HNV_LOOKUP_RECORD_FOR_EACH_SAFE (row, base->idl) {
            ovsrec_hnv_lookup_record_delete(row);
        }
        return;
    }
    if (base->argc < 3) {
        ctl_fatal("'del-lookup-record' command requires at least 2 arguments "
                  "(or --all)");
    }

    struct hnv_rec **recs;
    size_t n;
    char *key = match_records(ctx, base, &recs, &n);
    if (!n && !has_opt(base, "--if-exists")) {
        ctl_fatal("%s: no such lookup record", key);
    }
    for (size_t i = 0; i < n; i++) {
        ovsrec_hnv_lookup_record_delete(recs[i]->row);
        cache_remove_record(c, recs[i]);
    }
    free(recs);
    free(key);
}

/* Customer routes. */

char *
croute_spec_parse(struct croute_spec *spec, const char *rdid,
                  const char *vsid, const char *prefix, const char *next_hop,
                  const char *metric)
{
    char *error;

    memset(spec, 0, sizeof *spec);
    spec->metric = HNV_DEFAULT_ROUTE_METRIC;
    error = hnv_parse_rdid(rdid, &spec->rdid);
    if (!error) {
        error = hnv_parse_vsid(vsid, &spec->vsid);
    }
    if (!error) {
        error = hnv_parse_prefix(prefix, &spec->prefix, &spec->plen);
    }
    if (!error) {
        error = parse_next_hop(next_hop, &spec->prefix, prefix,
                               &spec->next_hop);
    }
    if (!error && metric && *metric) {
        error = parse_metric(metric, &spec->metric);
    }
    return error;
}

void
add_customer_route(struct hnvctl_context *ctx, const struct croute_spec *spec,
                   bool may_exist, const char *where)
{
    struct hnv_cache *c = cache_populate(ctx);
    struct hnv_croute *old = cache_find_croute(c, spec->rdid, spec->vsid,
                                               &spec->prefix, spec->plen);
    char *prefix_s = prefix_to_string(&spec->prefix, spec->plen);
    char *next_hop_s = addr_to_string(&spec->next_hop);

    if (old) {
        const struct ovsrec_hnv_customer_route *r = old->row;
        int64_t metric = r->n_metric ? r->metric[0]
                                     : HNV_DEFAULT_ROUTE_METRIC;
        char *old_nh = canonical_address(r->next_hop);
        bool same = !strcmp(old_nh, next_hop_s) && metric == spec->metric;
        free(old_nh);
        if (may_exist && same) {
            free(prefix_s);
            free(next_hop_s);
            return;
        }
        ctl_fatal("%s(%s, VSID %"PRIu32", %s): customer route already "
                  "exists%s", where, spec->rdid, spec->vsid, prefix_s,
                  may_exist ? " with a different next hop or metric" : "");
    }

    /* A VSID belongs to exactly one routing domain. */
    struct hnv_vsid *v = cache_get_vsid(c, spec->vsid);
    struct shash_node *node;
    SHASH_FOR_EACH (node, &v->rdids) {
        if (strcmp(node->name, spec->rdid)) {
            ctl_fatal("%s%"PRIu32": VSID already in another routing domain "
                      "%s", where, spec->vsid, node->name);
        }
    }

    /* Joining a routing domain: the VSID's customer addresses must not be
     * used by the other VSIDs of the domain. */
    bool joining = !shash_find(&v->rdids, spec->rdid);
    cache_add_croute(c, spec->rdid, spec->vsid, &spec->prefix, spec->plen,
                     NULL);
    if (joining) {
        struct hnv_rec *rec;
        LIST_FOR_EACH (rec, vsid_node, &v->records) {
            const char *rd;
            struct hnv_rec *other;
            if (hnv_address_is_wildcard(&rec->ca->ca)) {
                continue;
            }
            other = find_ca_conflict(c, v, &rec->ca->ca, rec, &rd);
            if (other && other->vsid != v) {
                fatal_ca_conflict(where, v->vsid, &rec->ca->ca, rec->mac,
                                  other, rd);
            }
        }
    }

    struct ovsrec_hnv_customer_route *row
        = ovsrec_hnv_customer_route_insert(ctx->base.txn);
    ovsrec_hnv_customer_route_set_routing_domain(row, spec->rdid);
    ovsrec_hnv_customer_route_set_vsid(row, spec->vsid);
    ovsrec_hnv_customer_route_set_destination_prefix(row, prefix_s);
    ovsrec_hnv_customer_route_set_next_hop(row, next_hop_s);
    ovsrec_hnv_customer_route_set_metric(row, &spec->metric, 1);
    cache_find_croute(c, spec->rdid, spec->vsid, &spec->prefix,
                      spec->plen)->row = row;
    free(prefix_s);
    free(next_hop_s);
}

void
cmd_add_customer_route(struct ctl_context *base)
{
    struct croute_spec spec;

    check("", croute_spec_parse(&spec, base->argv[1], base->argv[2],
                                base->argv[3], base->argv[4],
                                base->argc > 5 ? base->argv[5] : NULL));
    add_customer_route(hnvctl_context_cast(base), &spec,
                       has_opt(base, "--may-exist"), "");
    free(spec.rdid);
}

void
cmd_del_customer_route(struct ctl_context *base)
{
    struct hnvctl_context *ctx = hnvctl_context_cast(base);
    struct hnv_cache *c = cache_populate(ctx);
    struct in6_addr prefix;
    unsigned int plen;
    uint32_t vsid;
    char *rdid;

    check("", hnv_parse_rdid(base->argv[1], &rdid));
    check("", hnv_parse_vsid(base->argv[2], &vsid));
    check("", hnv_parse_prefix(base->argv[3], &prefix, &plen));

    struct hnv_croute *cr = cache_find_croute(c, rdid, vsid, &prefix, plen);
    if (!cr) {
        if (!has_opt(base, "--if-exists")) {
            char *prefix_s = prefix_to_string(&prefix, plen);
            ctl_fatal("(%s, VSID %"PRIu32", %s): no such customer route",
                      rdid, vsid, prefix_s);
        }
    } else {
        ovsrec_hnv_customer_route_delete(cr->row);
        cache_remove_croute(c, cr);
    }
    free(rdid);
}

static bool
filter_croutes(const struct ctl_context *ctx, const struct ovsdb_idl_row *row)
{
    const struct ovsrec_hnv_customer_route *r
        = CONTAINER_OF(row, struct ovsrec_hnv_customer_route, header_);
    const char *s;

    if ((s = opt(ctx, "--vsid")) != NULL) {
        uint32_t vsid;
        check("", hnv_parse_vsid(s, &vsid));
        if (r->vsid != vsid) {
            return false;
        }
    }
    if ((s = opt(ctx, "--rdid")) != NULL) {
        char *want;
        check("", hnv_parse_rdid(s, &want));
        char *have = canonical_rdid(r->routing_domain);
        bool match = !strcmp(want, have);
        free(want);
        free(have);
        if (!match) {
            return false;
        }
    }
    return true;
}

void
cmd_list_customer_routes(struct ctl_context *ctx)
{
    const char *s;
    if ((s = opt(ctx, "--vsid")) != NULL) {
        uint32_t vsid;
        check("", hnv_parse_vsid(s, &vsid));
    }
    if ((s = opt(ctx, "--rdid")) != NULL) {
        char *rdid;
        check("", hnv_parse_rdid(s, &rdid));
        free(rdid);
    }
    list_table(ctx, HT_CROUTES, filter_croutes);
}

/* Provider addresses and routes. */

char *
pa_spec_parse(struct pa_spec *spec, const char *pa_plen, const char *plen_s,
              const char *interface, const char *vlan)
{
    char *error;
    int plen = -1;

    memset(spec, 0, sizeof *spec);
    if (plen_s) {
        /* Import: address and prefix length in separate columns. */
        error = parse_host_pa(pa_plen, &spec->pa);
        if (!error) {
            int64_t value;
            unsigned int max = hnv_address_is_ipv4(&spec->pa) ? 32 : 128;
            error = parse_metric(plen_s, &value);
            if (error || value > max) {
                free(error);
                error = xasprintf("%s: prefix length out of range 0..%u",
                                  plen_s, max);
            }
            plen = value;
        }
    } else {
        if (!strchr(pa_plen, '/')) {
            return xasprintf("%s: invalid provider address (expected "
                             "ADDRESS/LENGTH)", pa_plen);
        }
        error = parse_pa_plen(pa_plen, &spec->pa, &plen);
        if (!error && hnv_address_is_wildcard(&spec->pa)) {
            error = xasprintf("%s: wildcard address is not a provider "
                              "address", pa_plen);
        }
        if (!error) {
            error = hnv_check_provider_address(&spec->pa);
        }
    }
    if (!error) {
        error = parse_interface(interface);
    }
    if (!error && vlan && *vlan) {
        spec->has_vlan = true;
        error = parse_vlan(vlan, &spec->vlan);
    }
    if (!error) {
        spec->plen = plen;
        spec->interface = xstrdup(interface);
    }
    return error;
}

void
add_provider_address(struct hnvctl_context *ctx, const struct pa_spec *spec,
                     bool may_exist, const char *where)
{
    struct hnv_cache *c = cache_populate(ctx);
    struct hnv_addr_row *old = cache_find_addr(&c->pas, &spec->pa, 0);
    char *pa_s = addr_to_string(&spec->pa);

    if (old) {
        const struct ovsrec_hnv_provider_address *r
            = CONTAINER_OF(old->row, struct ovsrec_hnv_provider_address,
                           header_);
        bool same = (r->prefix_length == spec->plen
                     && !strcmp(r->interface, spec->interface)
                     && r->n_vlan == spec->has_vlan
                     && (!r->n_vlan || r->vlan[0] == spec->vlan));
        if (may_exist && same) {
            free(pa_s);
            return;
        }
        ctl_fatal("%s%s: provider address already exists%s", where, pa_s,
                  may_exist ? " with different values" : "");
    }

    struct ovsrec_hnv_provider_address *row
        = ovsrec_hnv_provider_address_insert(ctx->base.txn);
    ovsrec_hnv_provider_address_set_provider_address(row, pa_s);
    ovsrec_hnv_provider_address_set_prefix_length(row, spec->plen);
    ovsrec_hnv_provider_address_set_interface(row, spec->interface);
    if (spec->has_vlan) {
        ovsrec_hnv_provider_address_set_vlan(row, &spec->vlan, 1);
    }
    cache_add_addr(&c->pas, &spec->pa, 0, &row->header_);
    free(pa_s);
}

void
cmd_add_provider_address(struct ctl_context *base)
{
    struct pa_spec spec;

    check("", pa_spec_parse(&spec, base->argv[1], NULL, base->argv[2],
                            opt(base, "--vlan")));
    add_provider_address(hnvctl_context_cast(base), &spec,
                         has_opt(base, "--may-exist"), "");
    free(spec.interface);
}

void
cmd_del_provider_address(struct ctl_context *base)
{
    struct hnvctl_context *ctx = hnvctl_context_cast(base);
    struct hnv_cache *c = cache_populate(ctx);
    struct in6_addr pa;
    int plen;

    check("", parse_pa_plen(base->argv[1], &pa, &plen));
    struct hnv_addr_row *ar = cache_find_addr(&c->pas, &pa, 0);
    if (!ar) {
        if (!has_opt(base, "--if-exists")) {
            ctl_fatal("%s: no such provider address", base->argv[1]);
        }
        return;
    }
    ovsrec_hnv_provider_address_delete(
        CONTAINER_OF(ar->row, struct ovsrec_hnv_provider_address, header_));
    hmap_remove(&c->pas, &ar->node);
    free(ar);
}

void
cmd_list_provider_addresses(struct ctl_context *ctx)
{
    list_table(ctx, HT_PAS, NULL);
}

char *
proute_spec_parse(struct proute_spec *spec, const char *prefix,
                  const char *next_hop, const char *interface,
                  const char *metric)
{
    char *error;

    memset(spec, 0, sizeof *spec);
    spec->metric = HNV_DEFAULT_ROUTE_METRIC;
    error = hnv_parse_prefix(prefix, &spec->prefix, &spec->plen);
    if (!error) {
        error = parse_next_hop(next_hop, &spec->prefix, prefix,
                               &spec->next_hop);
    }
    if (!error) {
        error = parse_interface(interface);
    }
    if (!error && metric && *metric) {
        error = parse_metric(metric, &spec->metric);
    }
    if (!error) {
        spec->interface = xstrdup(interface);
    }
    return error;
}

void
add_provider_route(struct hnvctl_context *ctx, const struct proute_spec *spec,
                   bool may_exist, const char *where)
{
    struct hnv_cache *c = cache_populate(ctx);
    struct hnv_addr_row *old = cache_find_addr(&c->proutes, &spec->prefix,
                                               spec->plen);
    char *prefix_s = prefix_to_string(&spec->prefix, spec->plen);
    char *next_hop_s = addr_to_string(&spec->next_hop);

    if (old) {
        const struct ovsrec_hnv_provider_route *r
            = CONTAINER_OF(old->row, struct ovsrec_hnv_provider_route,
                           header_);
        char *old_nh = canonical_address(r->next_hop);
        int64_t metric = r->n_metric ? r->metric[0]
                                     : HNV_DEFAULT_ROUTE_METRIC;
        bool same = (!strcmp(old_nh, next_hop_s)
                     && !strcmp(r->interface, spec->interface)
                     && metric == spec->metric);
        free(old_nh);
        if (may_exist && same) {
            free(prefix_s);
            free(next_hop_s);
            return;
        }
        ctl_fatal("%s%s: provider route already exists%s", where, prefix_s,
                  may_exist ? " with different values" : "");
    }

    struct ovsrec_hnv_provider_route *row
        = ovsrec_hnv_provider_route_insert(ctx->base.txn);
    ovsrec_hnv_provider_route_set_destination_prefix(row, prefix_s);
    ovsrec_hnv_provider_route_set_next_hop(row, next_hop_s);
    ovsrec_hnv_provider_route_set_interface(row, spec->interface);
    ovsrec_hnv_provider_route_set_metric(row, &spec->metric, 1);
    cache_add_addr(&c->proutes, &spec->prefix, spec->plen, &row->header_);
    free(prefix_s);
    free(next_hop_s);
}

void
cmd_add_provider_route(struct ctl_context *base)
{
    struct proute_spec spec;

    check("", proute_spec_parse(&spec, base->argv[1], base->argv[2],
                                base->argv[3],
                                base->argc > 4 ? base->argv[4] : NULL));
    add_provider_route(hnvctl_context_cast(base), &spec,
                       has_opt(base, "--may-exist"), "");
    free(spec.interface);
}

void
cmd_del_provider_route(struct ctl_context *base)
{
    struct hnvctl_context *ctx = hnvctl_context_cast(base);
    struct hnv_cache *c = cache_populate(ctx);
    struct in6_addr prefix;
    unsigned int plen;

    check("", hnv_parse_prefix(base->argv[1], &prefix, &plen));
    struct hnv_addr_row *ar = cache_find_addr(&c->proutes, &prefix, plen);
    if (!ar) {
        if (!has_opt(base, "--if-exists")) {
            ctl_fatal("%s: no such provider route", base->argv[1]);
        }
        return;
    }
    ovsrec_hnv_provider_route_delete(
        CONTAINER_OF(ar->row, struct ovsrec_hnv_provider_route, header_));
    hmap_remove(&c->proutes, &ar->node);
    free(ar);
}

void
cmd_list_provider_routes(struct ctl_context *ctx)
{
    list_table(ctx, HT_PROUTES, NULL);
}

/* Bridges and ports. */

const struct ovsrec_bridge *
find_bridge(struct ctl_context *ctx, const char *name, bool must_exist)
{
    const struct ovsrec_bridge *br;
    OVSREC_BRIDGE_FOR_EACH (br, ctx->idl) {
        if (!strcmp(br->name, name)) {
            return br;
        }
    }
    if (must_exist) {
        ctl_fatal("%s: no such bridge", name);
    }
    return NULL;
}

static const struct ovsrec_port *
find_port(struct ctl_context *ctx, const char *name, bool must_exist)
{
    const struct ovsrec_port *port;
    OVSREC_PORT_FOR_EACH (port, ctx->idl) {
        if (!strcmp(port->name, name)) {
            return port;
        }
    }
    if (must_exist) {
        ctl_fatal("%s: no such port", name);
    }
    return NULL;
}

static bool
bridge_has_port(const struct ovsrec_bridge *br, const struct ovsrec_port *p)
{
    for (size_t i = 0; i < br->n_ports; i++) {
        if (br->ports[i] == p) {
            return true;
        }
    }
    return false;
}

void
cmd_enable_bridge(struct ctl_context *ctx)
{
    const struct ovsrec_bridge *br = find_bridge(ctx, ctx->argv[1], true);
    const struct ovsrec_port *port = find_port(ctx, ctx->argv[2], true);

    if (!bridge_has_port(br, port)) {
        ctl_fatal("%s: port is not on bridge %s", port->name, br->name);
    }
    if (port->n_interfaces != 1
        || strcmp(port->interfaces[0]->type, "gre")
        || !smap_get(&port->interfaces[0]->options, "remote_ip")
        || strcmp(smap_get(&port->interfaces[0]->options, "remote_ip"),
                  "flow")
        || !smap_get(&port->interfaces[0]->options, "key")
        || strcmp(smap_get(&port->interfaces[0]->options, "key"), "flow")) {
        ctl_fatal("%s: tunnel port must be a gre interface with "
                  "options:remote_ip=flow and options:key=flow", port->name);
    }
    if (port->n_hnv_vsid) {
        ctl_fatal("%s: port is bound to VSID %"PRId64" (unbind-port it "
                  "first)", port->name, port->hnv_vsid[0]);
    }

    if (br->hnv) {
        ovsrec_hnv_set_tunnel_port(br->hnv, port->name);
    } else {
        struct ovsrec_hnv *hnv = ovsrec_hnv_insert(ctx->txn);
        ovsrec_hnv_set_tunnel_port(hnv, port->name);
        ovsrec_bridge_set_hnv(br, hnv);
    }
}

void
cmd_disable_bridge(struct ctl_context *ctx)
{
    const struct ovsrec_bridge *br
        = find_bridge(ctx, ctx->argv[1], !has_opt(ctx, "--if-exists"));
    if (br && br->hnv) {
        ovsrec_bridge_set_hnv(br, NULL);
    }
}

void
cmd_bind_port(struct ctl_context *ctx)
{
    const struct ovsrec_port *port = find_port(ctx, ctx->argv[1], true);
    uint32_t vsid;

    check("", hnv_parse_vsid(ctx->argv[2], &vsid));

    const struct ovsrec_bridge *br;
    OVSREC_BRIDGE_FOR_EACH (br, ctx->idl) {
        if (br->hnv && !strcmp(br->hnv->tunnel_port, port->name)
            && bridge_has_port(br, port)) {
            ctl_fatal("%s: port is the HNV tunnel port of bridge %s",
                      port->name, br->name);
        }
    }

    int64_t value = vsid;
    ovsrec_port_set_hnv_vsid(port, &value, 1);
}

void
cmd_unbind_port(struct ctl_context *ctx)
{
    const struct ovsrec_port *port
        = find_port(ctx, ctx->argv[1], !has_opt(ctx, "--if-exists"));
    if (port && port->n_hnv_vsid) {
        ovsrec_port_set_hnv_vsid(port, NULL, 0);
    }
}
