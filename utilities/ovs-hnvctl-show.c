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

/* ovs-hnvctl: output -- the list commands and "show". */

#include <config.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db-ctl-base.h"

#include "compiler.h"
#include "hnv/hnv-types.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/json.h"
#include "openvswitch/list.h"
#include "openvswitch/shash.h"
#include "ovsdb-idl.h"
#include "packets.h"
#include "svec.h"
#include "lib/vswitch-idl.h"
#include "table.h"
#include "util.h"
#include "uuid.h"

#include "utilities/ovs-hnvctl.h"

/* Table output, shared by the list commands and export. */

const struct hnv_table_desc hnv_tables[N_HT] = {
    [HT_RECORDS] = {
        "lookup_records",
        { "vsid", "customer_address", "mac", "provider_address", "rule",
          "type", "customer_id", "vm_name", "context", NULL },
        1 << 0, 0xf,
    },
    [HT_CROUTES] = {
        "customer_routes",
        { "routing_domain", "vsid", "destination_prefix", "next_hop",
          "metric", NULL },
        1 << 1 | 1 << 4, 0xf,
    },
    [HT_PAS] = {
        "provider_addresses",
        { "provider_address", "prefix_length", "interface", "vlan", NULL },
        1 << 1 | 1 << 3, 0x7,
    },
    [HT_PROUTES] = {
        "provider_routes",
        { "destination_prefix", "next_hop", "interface", "metric", NULL },
        1 << 3, 0x7,
    },
};

size_t
hnv_table_n_columns(enum hnv_table_id t)
{
    size_t n = 0;
    while (hnv_tables[t].columns[n]) {
        n++;
    }
    return n;
}

/* Canonical text of address 's', or 's' itself if it does not parse. */
char *
canonical_address(const char *s)
{
    struct in6_addr addr;
    char *error = hnv_parse_address(s, &addr);
    if (error) {
        free(error);
        return xstrdup(s);
    }
    return addr_to_string(&addr);
}

static char *
canonical_prefix(const char *s)
{
    struct in6_addr prefix;
    unsigned int plen;
    char *error = hnv_parse_prefix(s, &prefix, &plen);
    if (error) {
        free(error);
        return xstrdup(s);
    }
    return prefix_to_string(&prefix, plen);
}

static char *
canonical_mac(const char *s)
{
    struct eth_addr mac;
    char *error = hnv_parse_mac(s, &mac);
    if (error) {
        free(error);
        return xstrdup(s);
    }
    return mac_to_string(mac);
}

char *
canonical_rdid(const char *s)
{
    char *rdid;
    char *error = hnv_parse_rdid(s, &rdid);
    if (error) {
        free(error);
        return xstrdup(s);
    }
    return rdid;
}

/* Stores in 'vals' the values of 'row' (of table 't') in canonical text
 * form, NULL for an unset optional column.  The caller frees them. */
void
row_values(enum hnv_table_id t, const struct ovsdb_idl_row *row,
           char *vals[HNV_MAX_COLUMNS])
{
    memset(vals, 0, HNV_MAX_COLUMNS * sizeof *vals);
    switch (t) {
    case HT_RECORDS: {
        const struct ovsrec_hnv_lookup_record *r
            = CONTAINER_OF(row, struct ovsrec_hnv_lookup_record, header_);
        vals[0] = xasprintf("%"PRId64, r->vsid);
        vals[1] = canonical_address(r->customer_address);
        vals[2] = canonical_mac(r->mac);
        vals[3] = canonical_address(r->provider_address);
        vals[4] = xstrdup(row_rule(r));
        vals[5] = xstrdup(row_type(r));
        vals[6] = nonempty_xstrdup(r->customer_id);
        vals[7] = nonempty_xstrdup(r->vm_name);
        vals[8] = nonempty_xstrdup(r->context);
        break;
    }
    case HT_CROUTES: {
        const struct ovsrec_hnv_customer_route *r
            = CONTAINER_OF(row, struct ovsrec_hnv_customer_route, header_);
        vals[0] = canonical_rdid(r->routing_domain);
        vals[1] = xasprintf("%"PRId64, r->vsid);
        vals[2] = canonical_prefix(r->destination_prefix);
        vals[3] = canonical_address(r->next_hop);
        vals[4] = xasprintf("%"PRId64, (r->n_metric ? r->metric[0]
                                        : HNV_DEFAULT_ROUTE_METRIC));
        break;
    }
    case HT_PAS: {
        const struct ovsrec_hnv_provider_address *r
            = CONTAINER_OF(row, struct ovsrec_hnv_provider_address, header_);
        vals[0] = canonical_address(r->provider_address);
        vals[1] = xasprintf("%"PRId64, r->prefix_length);
        vals[2] = xstrdup(r->interface);
        vals[3] = r->n_vlan ? xasprintf("%"PRId64, r->vlan[0]) : NULL;
        break;
    }
    case HT_PROUTES: {
        const struct ovsrec_hnv_provider_route *r
            = CONTAINER_OF(row, struct ovsrec_hnv_provider_route, header_);
        vals[0] = canonical_prefix(r->destination_prefix);
        vals[1] = canonical_address(r->next_hop);
        vals[2] = xstrdup(r->interface);
        vals[3] = xasprintf("%"PRId64, (r->n_metric ? r->metric[0]
                                        : HNV_DEFAULT_ROUTE_METRIC));
        break;
    }
    case N_HT:
    default:
        OVS_NOT_REACHED();
    }
}

void
row_values_destroy(char *vals[HNV_MAX_COLUMNS])
{
    for (size_t i = 0; i < HNV_MAX_COLUMNS; i++) {
        free(vals[i]);
    }
}

static void
addr_sort_key(const char *s, uint8_t key[17], unsigned int *plen)
{
    struct in6_addr addr;
    unsigned int len = 0;
    char *error = (strchr(s, '/')
                   ? hnv_parse_prefix(s, &addr, &len)
                   : hnv_parse_address(s, &addr));
    if (error) {
        free(error);
        memset(key, 0xff, 17);
    } else {
        key[0] = !hnv_address_is_ipv4(&addr);
        memcpy(key + 1, &addr, 16);
    }
    if (plen) {
        *plen = len;
    }
}

static int
compare_sort_items(const void *a_, const void *b_)
{
    const struct sort_item *a = a_;
    const struct sort_item *b = b_;
    int cmp = strcmp(a->k_str, b->k_str);
    if (cmp) {
        return cmp;
    }
    if (a->k_int != b->k_int) {
        return a->k_int < b->k_int ? -1 : 1;
    }
    cmp = memcmp(a->k_addr, b->k_addr, sizeof a->k_addr);
    if (cmp) {
        return cmp;
    }
    if (a->k_plen != b->k_plen) {
        return a->k_plen < b->k_plen ? -1 : 1;
    }
    if (a->k_int2 != b->k_int2) {
        return a->k_int2 < b->k_int2 ? -1 : 1;
    }
    return uuid_compare_3way(&a->row->uuid, &b->row->uuid);
}

/* Returns the rows of table 't' that 'filter' accepts (all if NULL), sorted,
 * in a malloc()'d array of '*n' items. */
struct sort_item *
sorted_rows(struct ctl_context *ctx, enum hnv_table_id t,
            bool (*filter)(const struct ctl_context *,
                           const struct ovsdb_idl_row *),
            size_t *n)
{
    static const struct ovsdb_idl_table_class *classes[N_HT] = {
        [HT_RECORDS] = &ovsrec_table_hnv_lookup_record,
        [HT_CROUTES] = &ovsrec_table_hnv_customer_route,
        [HT_PAS] = &ovsrec_table_hnv_provider_address,
        [HT_PROUTES] = &ovsrec_table_hnv_provider_route,
    };
    struct sort_item *items = NULL;
    size_t allocated = 0;

    *n = 0;
    for (const struct ovsdb_idl_row *row
             = ovsdb_idl_first_row(ctx->idl, classes[t]);
         row; row = ovsdb_idl_next_row(row)) {
        if (filter && !filter(ctx, row)) {
            continue;
        }
        if (*n >= allocated) {
            items = x2nrealloc(items, &allocated, sizeof *items);
        }
        struct sort_item *item = &items[(*n)++];
        memset(item, 0, sizeof *item);
        item->row = row;
        item->k_str = "";

        switch (t) {
        case HT_RECORDS: {
            const struct ovsrec_hnv_lookup_record *r
                = CONTAINER_OF(row, struct ovsrec_hnv_lookup_record, header_);
            struct eth_addr mac;
            char *error = hnv_parse_mac(r->mac, &mac);
            item->k_int = r->vsid;
            addr_sort_key(r->customer_address, item->k_addr, NULL);
            item->k_int2 = error ? UINT64_MAX : eth_addr_to_uint64(mac);
            free(error);
            break;
        }
        case HT_CROUTES: {
            const struct ovsrec_hnv_customer_route *r
                = CONTAINER_OF(row, struct ovsrec_hnv_customer_route,
                               header_);
            item->k_str = r->routing_domain;
            item->k_int = r->vsid;
            addr_sort_key(r->destination_prefix, item->k_addr,
                          &item->k_plen);
            break;
        }
        case HT_PAS: {
            const struct ovsrec_hnv_provider_address *r
                = CONTAINER_OF(row, struct ovsrec_hnv_provider_address,
                               header_);
            addr_sort_key(r->provider_address, item->k_addr, NULL);
            break;
        }
        case HT_PROUTES: {
            const struct ovsrec_hnv_provider_route *r
                = CONTAINER_OF(row, struct ovsrec_hnv_provider_route,
                               header_);
            addr_sort_key(r->destination_prefix, item->k_addr,
                          &item->k_plen);
            break;
        }
        case N_HT:
        default:
            OVS_NOT_REACHED();
        }
    }
    if (*n) {
        qsort(items, *n, sizeof *items, compare_sort_items);
    }
    return items;
}

/* Parses the --columns option of a list command into indexes of the
 * columns of table 't'. */
static size_t
parse_columns_option(const struct ctl_context *ctx, enum hnv_table_id t,
                     size_t cols[HNV_MAX_COLUMNS])
{
    size_t n_all = hnv_table_n_columns(t);
    const char *spec = opt(ctx, "--columns");
    size_t n = 0;

    if (!spec) {
        for (size_t i = 0; i < n_all; i++) {
            cols[n++] = i;
        }
        return n;
    }

    char *copy = xstrdup(spec);
    char *save_ptr = NULL;
    for (char *name = strtok_r(copy, ",", &save_ptr); name;
         name = strtok_r(NULL, ",", &save_ptr)) {
        size_t i;
        for (i = 0; i < n_all; i++) {
            if (!strcasecmp(name, hnv_tables[t].columns[i])) {
                break;
            }
        }
        if (i == n_all) {
            struct ds all = DS_EMPTY_INITIALIZER;
            for (size_t j = 0; j < n_all; j++) {
                ds_put_format(&all, "%s%s", j ? ", " : "",
                              hnv_tables[t].columns[j]);
            }
            ctl_fatal("%s: unknown column (choose from %s)", name,
                      ds_cstr(&all));
        }
        if (n >= HNV_MAX_COLUMNS) {
            ctl_fatal("%s: too many columns", spec);
        }
        cols[n++] = i;
    }
    free(copy);
    return n;
}

void
list_table(struct ctl_context *ctx, enum hnv_table_id t,
           bool (*filter)(const struct ctl_context *,
                          const struct ovsdb_idl_row *))
{
    size_t cols[HNV_MAX_COLUMNS];
    size_t n_cols = parse_columns_option(ctx, t, cols);
    size_t n;
    struct sort_item *items = sorted_rows(ctx, t, filter, &n);

    struct table *table = xmalloc(sizeof *table);
    table_init(table);
    for (size_t i = 0; i < n_cols; i++) {
        table_add_column(table, "%s", hnv_tables[t].columns[cols[i]]);
    }
    for (size_t i = 0; i < n; i++) {
        char *vals[HNV_MAX_COLUMNS];
        row_values(t, items[i].row, vals);
        table_add_row(table);
        for (size_t j = 0; j < n_cols; j++) {
            size_t c = cols[j];
            struct cell *cell = table_add_cell(table);
            if (!vals[c]) {
                /* Unset: an empty cell, null in JSON. */
            } else if (hnv_tables[t].int_columns & (1u << c)) {
                cell->json = json_integer_create(strtoll(vals[c], NULL, 10));
            } else {
                cell->text = vals[c];
                vals[c] = NULL;
            }
        }
        row_values_destroy(vals);
    }
    free(items);
    ctx->table = table;
}

static bool
filter_records(const struct ctl_context *ctx, const struct ovsdb_idl_row *row)
{
    const struct ovsrec_hnv_lookup_record *r
        = CONTAINER_OF(row, struct ovsrec_hnv_lookup_record, header_);
    const char *s;

    if ((s = opt(ctx, "--vsid")) != NULL) {
        uint32_t vsid;
        char *error = hnv_parse_vsid(s, &vsid);
        if (error) {
            ctl_fatal("%s", error);
        }
        if (r->vsid != vsid) {
            return false;
        }
    }
    if ((s = opt(ctx, "--ca")) != NULL || (s = opt(ctx, "--pa")) != NULL) {
        for (int i = 0; i < 2; i++) {
            const char *name = i ? "--pa" : "--ca";
            const char *value = i ? r->provider_address : r->customer_address;
            struct in6_addr want, have;
            if (!(s = opt(ctx, name))) {
                continue;
            }
            check("", hnv_parse_address(s, &want));
            char *error = hnv_parse_address(value, &have);
            if (error) {
                free(error);
                return false;
            }
            if (!ipv6_addr_equals(&want, &have)) {
                return false;
            }
        }
    }
    if ((s = opt(ctx, "--type")) != NULL) {
        enum hnv_record_type type;
        check("", parse_type(s, &type));
        if (strcmp(row_type(r), hnv_type_to_string(type))) {
            return false;
        }
    }
    return true;
}

void
cmd_list_lookup_records(struct ctl_context *ctx)
{
    /* Validate the filters even if there are no rows. */
    const char *s;
    uint32_t vsid;
    struct in6_addr addr;
    enum hnv_record_type type;
    if ((s = opt(ctx, "--vsid")) != NULL) {
        check("", hnv_parse_vsid(s, &vsid));
    }
    if ((s = opt(ctx, "--ca")) != NULL) {
        check("", hnv_parse_address(s, &addr));
    }
    if ((s = opt(ctx, "--pa")) != NULL) {
        check("", hnv_parse_address(s, &addr));
    }
    if ((s = opt(ctx, "--type")) != NULL) {
        check("", parse_type(s, &type));
    }
    list_table(ctx, HT_RECORDS, filter_records);
}

/* show. */

static int
compare_vsid_ptrs(const void *a_, const void *b_)
{
    const struct hnv_vsid *const *a = a_;
    const struct hnv_vsid *const *b = b_;
    return (*a)->vsid < (*b)->vsid ? -1 : (*a)->vsid > (*b)->vsid;
}

static void
show_ports(struct ds *s, const struct ovsrec_bridge *br, struct json *jbr)
{
    /* Ports bound to each VSID, by VSID, then name. */
    struct svec lines = SVEC_EMPTY_INITIALIZER;
    for (size_t i = 0; i < br->n_ports; i++) {
        const struct ovsrec_port *p = br->ports[i];
        if (p->n_hnv_vsid) {
            svec_add_nocopy(&lines, xasprintf("%08"PRId64" %s",
                                              p->hnv_vsid[0], p->name));
        }
    }
    svec_sort(&lines);

    struct json *jports = json_object_create();
    int64_t cur = -1;
    const char *line;
    size_t i;
    SVEC_FOR_EACH (i, line, &lines) {
        int64_t vsid = strtoll(line, NULL, 10);
        const char *name = strchr(line, ' ') + 1;
        if (vsid != cur) {
            ds_put_format(s, "%s        VSID %"PRId64":", cur >= 0 ? "\n" : "",
                          vsid);
            cur = vsid;
        }
        ds_put_format(s, " %s", name);

        char *key = xasprintf("%"PRId64, vsid);
        struct json *list = shash_find_data(json_object(jports), key);
        if (!list) {
            list = json_array_create_empty();
            json_object_put(jports, key, list);
        }
        json_array_add(list, json_string_create(name));
        free(key);
    }
    if (cur >= 0) {
        ds_put_char(s, '\n');
    }
    json_object_put(jbr, "ports", jports);
    svec_destroy(&lines);
}

void
cmd_show(struct ctl_context *base)
{
    struct hnvctl_context *ctx = hnvctl_context_cast(base);
    struct hnv_cache *c = cache_populate(ctx);
    struct ds *s = &base->output;
    struct json *j = json_object_create();

    /* Bridges, sorted by name. */
    struct json *jbridges = json_object_create();
    struct svec names = SVEC_EMPTY_INITIALIZER;
    const struct ovsrec_bridge *br;
    OVSREC_BRIDGE_FOR_EACH (br, base->idl) {
        svec_add(&names, br->name);
    }
    svec_sort(&names);
    const char *name;
    size_t i;
    SVEC_FOR_EACH (i, name, &names) {
        br = find_bridge(base, name, true);
        bool bound = false;
        for (size_t k = 0; k < br->n_ports; k++) {
            bound |= br->ports[k]->n_hnv_vsid > 0;
        }
        if (!br->hnv && !bound) {
            continue;
        }
        struct json *jbr = json_object_create();
        ds_put_format(s, "Bridge %s%s\n", br->name,
                      br->hnv ? "" : " (HNV not enabled)");
        if (br->hnv) {
            ds_put_format(s, "    tunnel port: %s\n", br->hnv->tunnel_port);
            json_object_put_string(jbr, "tunnel_port", br->hnv->tunnel_port);
        }
        json_object_put(jbr, "enabled", json_boolean_create(br->hnv));
        if (bound) {
            ds_put_cstr(s, "    ports:\n");
        }
        show_ports(s, br, jbr);
        json_object_put(jbridges, br->name, jbr);
    }
    svec_destroy(&names);
    json_object_put(j, "bridges", jbridges);

    /* VSIDs with records or routes. */
    struct json *jvsids = json_object_create();
    size_t n_vsids = hmap_count(&c->vsids);
    struct hnv_vsid **vsids = xmalloc(n_vsids * sizeof *vsids + 1);
    size_t n = 0;
    struct hnv_vsid *v;
    HMAP_FOR_EACH (v, node, &c->vsids) {
        if (!ovs_list_is_empty(&v->records) || !shash_is_empty(&v->rdids)) {
            vsids[n++] = v;
        }
    }
    qsort(vsids, n, sizeof *vsids, compare_vsid_ptrs);
    for (i = 0; i < n; i++) {
        v = vsids[i];
        struct json *jv = json_object_create();
        size_t n_records = ovs_list_size(&v->records);

        ds_put_format(s, "VSID %"PRIu32"\n", v->vsid);
        struct shash_node *node;
        SHASH_FOR_EACH (node, &v->rdids) {
            ds_put_format(s, "    routing domain: %s\n", node->name);
            json_object_put_string(jv, "routing_domain", node->name);
        }
        ds_put_format(s, "    lookup records: %"PRIuSIZE"\n", n_records);
        json_object_put(jv, "lookup_records", json_integer_create(n_records));
        char *key = xasprintf("%"PRIu32, v->vsid);
        json_object_put(jvsids, key, jv);
        free(key);
    }
    free(vsids);
    json_object_put(j, "vsids", jvsids);

    /* Routing domains and their routes. */
    struct json *jrds = json_object_create();
    size_t n_routes;
    struct sort_item *routes = sorted_rows(base, HT_CROUTES, NULL, &n_routes);
    const char *cur_rd = NULL;
    struct json *jroutes = NULL;
    for (i = 0; i < n_routes; i++) {
        char *vals[HNV_MAX_COLUMNS];
        row_values(HT_CROUTES, routes[i].row, vals);
        if (!cur_rd || strcmp(cur_rd, routes[i].k_str)) {
            cur_rd = routes[i].k_str;
            ds_put_format(s, "Routing domain %s\n", vals[0]);
            jroutes = json_array_create_empty();
            json_object_put(jrds, vals[0], jroutes);
        }
        ds_put_format(s, "    %s -> VSID %s next hop %s metric %s\n",
                      vals[2], vals[1], vals[3], vals[4]);
        struct json *jr = json_object_create();
        json_object_put(jr, "vsid",
                        json_integer_create(strtoll(vals[1], NULL, 10)));
        json_object_put_string(jr, "destination_prefix", vals[2]);
        json_object_put_string(jr, "next_hop", vals[3]);
        json_object_put(jr, "metric",
                        json_integer_create(strtoll(vals[4], NULL, 10)));
        json_array_add(jroutes, jr);
        row_values_destroy(vals);
    }
    free(routes);
    json_object_put(j, "routing_domains", jrds);

    /* Provider addresses and routes. */
    struct json *jpas = json_array_create_empty();
    struct sort_item *items = sorted_rows(base, HT_PAS, NULL, &n);
    for (i = 0; i < n; i++) {
        char *vals[HNV_MAX_COLUMNS];
        row_values(HT_PAS, items[i].row, vals);
        ds_put_format(s, "Provider address %s/%s interface %s", vals[0],
                      vals[1], vals[2]);
        struct json *jpa = json_object_create();
        json_object_put_string(jpa, "provider_address", vals[0]);
        json_object_put(jpa, "prefix_length",
                        json_integer_create(strtoll(vals[1], NULL, 10)));
        json_object_put_string(jpa, "interface", vals[2]);
        if (vals[3]) {
            ds_put_format(s, " vlan %s", vals[3]);
            json_object_put(jpa, "vlan",
                            json_integer_create(strtoll(vals[3], NULL, 10)));
        }
        ds_put_char(s, '\n');
        json_array_add(jpas, jpa);
        row_values_destroy(vals);
    }
    free(items);
    json_object_put(j, "provider_addresses", jpas);

    struct json *jprs = json_array_create_empty();
    items = sorted_rows(base, HT_PROUTES, NULL, &n);
    for (i = 0; i < n; i++) {
        char *vals[HNV_MAX_COLUMNS];
        row_values(HT_PROUTES, items[i].row, vals);
        ds_put_format(s, "Provider route %s next hop %s interface %s "
                      "metric %s\n", vals[0], vals[1], vals[2], vals[3]);
        struct json *jpr = json_object_create();
        json_object_put_string(jpr, "destination_prefix", vals[0]);
        json_object_put_string(jpr, "next_hop", vals[1]);
        json_object_put_string(jpr, "interface", vals[2]);
        json_object_put(jpr, "metric",
                        json_integer_create(strtoll(vals[3], NULL, 10)));
        json_array_add(jprs, jpr);
        row_values_destroy(vals);
    }
    free(items);
    json_object_put(j, "provider_routes", jprs);

    if (table_style.format == TF_JSON) {
        ds_clear(s);
        json_to_ds(j, table_style.json_flags, s);
        ds_put_char(s, '\n');
    }
    json_destroy(j);
}
