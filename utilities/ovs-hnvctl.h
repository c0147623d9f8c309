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

#ifndef OVS_HNVCTL_H
#define OVS_HNVCTL_H 1

/* ovs-hnvctl's private interface between its source files:
 *
 *   ovs-hnvctl.c         main(), options, running the commands
 *   ovs-hnvctl-cache.c   the policy cache and the argument parsers
 *   ovs-hnvctl-policy.c  commands that change the policy
 *   ovs-hnvctl-show.c    list commands and "show"
 *   ovs-hnvctl-import.c  "export" and "import"
 *   ovs-hnvctl-direct.c  the direct path
 *
 * The design is described at the top of ovs-hnvctl.c. */

#include <stdbool.h>
#include <stdint.h>
#include "db-ctl-base.h"
#include "hnv/hnv-types.h"
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"
#include "openvswitch/shash.h"
#include "hmapx.h"
#include "table.h"
#include "lib/vswitch-idl.h"

struct hnv_vsid {
    struct hmap_node node;      /* In hnv_cache's 'vsids'. */
    uint32_t vsid;
    struct shash rdids;         /* RDID -> (uintptr_t) number of routes. */
    struct ovs_list records;    /* Contains "struct hnv_rec"s. */
};

struct hnv_rd {
    char *rdid;                 /* Canonical RDID. */
    struct hmapx vsids;         /* Contains "struct hnv_vsid *"s. */
};

struct hnv_ca {
    struct hmap_node node;      /* In hnv_cache's 'cas'. */
    struct in6_addr ca;
    struct ovs_list records;    /* Contains "struct hnv_rec"s. */
    size_t n_records;
};

struct hnv_rec {
    struct hmap_node node;      /* In hnv_cache's 'records', by VSID+CA. */
    struct ovs_list ca_node;    /* In 'ca->records'. */
    struct ovs_list vsid_node;  /* In 'vsid->records'. */
    struct hnv_vsid *vsid;
    struct hnv_ca *ca;
    struct eth_addr mac;
    const struct ovsrec_hnv_lookup_record *row;
};

struct hnv_croute {
    struct hmap_node node;      /* In hnv_cache's 'croutes'. */
    const char *rdid;           /* Owned by the hnv_rd. */
    uint32_t vsid;
    struct in6_addr prefix;
    unsigned int plen;
    const struct ovsrec_hnv_customer_route *row;
};

struct hnv_addr_row {
    struct hmap_node node;
    struct in6_addr addr;
    unsigned int plen;          /* Provider routes only. */
    const struct ovsdb_idl_row *row;
};

struct hnv_cache {
    bool valid;
    struct hmap vsids;          /* Contains "struct hnv_vsid"s. */
    struct shash rds;           /* RDID -> "struct hnv_rd". */
    struct hmap cas;            /* Contains "struct hnv_ca"s. */
    struct hmap records;        /* Contains "struct hnv_rec"s. */
    struct hmap croutes;        /* Contains "struct hnv_croute"s. */
    struct hmap pas;            /* HNV_Provider_Address, by address. */
    struct hmap proutes;        /* HNV_Provider_Route, by prefix. */
};

/* ovs-hnvctl's context.  Inherits 'struct ctl_context'. */
struct hnvctl_context {
    struct ctl_context base;
    const struct ovsrec_open_vswitch *ovs;
    struct hnv_cache cache;
};

struct record_spec {
    uint32_t vsid;
    struct in6_addr ca;
    struct eth_addr mac;
    struct in6_addr pa;
    enum hnv_rule rule;
    enum hnv_record_type type;
    char *customer_id;          /* NULL if unset. */
    char *vm_name;              /* NULL if unset. */
    char *context;              /* NULL if unset. */
};

struct croute_spec {
    char *rdid;                 /* Canonical. */
    uint32_t vsid;
    struct in6_addr prefix;
    unsigned int plen;
    struct in6_addr next_hop;
    int64_t metric;
};

struct pa_spec {
    struct in6_addr pa;
    int64_t plen;
    char *interface;
    bool has_vlan;
    int64_t vlan;
};

struct proute_spec {
    struct in6_addr prefix;
    unsigned int plen;
    struct in6_addr next_hop;
    char *interface;
    int64_t metric;
};

enum hnv_table_id {
    HT_RECORDS,
    HT_CROUTES,
    HT_PAS,
    HT_PROUTES,
    N_HT
};

#define HNV_MAX_COLUMNS 9

struct hnv_table_desc {
    const char *name;               /* Section name in JSON export. */
    const char *columns[HNV_MAX_COLUMNS + 1];
    uint32_t int_columns;           /* Bitmap of integer columns. */
    uint32_t required_columns;      /* Bitmap of required columns. */
};

/* Sorting: rows are printed in a stable, meaningful order. */
struct sort_item {
    const struct ovsdb_idl_row *row;
    const char *k_str;          /* Routing domain, or "". */
    uint64_t k_int;             /* VSID. */
    uint8_t k_addr[17];         /* Family (IPv4 first), then address. */
    unsigned int k_plen;
    uint64_t k_int2;            /* MAC. */
};

/* Global options (ovs-hnvctl.c). */

/* ovs-hnvctl.c. */
extern const char *db;
extern bool dry_run;
extern bool wait_for_reload;
extern bool retry;
extern struct table_style table_style;
void hnvctl_test_commit_delay(void);

/* ovs-hnvctl-policy.c. */
extern bool records_monitored;
extern bool records_all;
extern bool import_needs_records;
extern struct ovsdb_idl_condition records_cond;

/* ovs-hnvctl-show.c. */
extern const struct hnv_table_desc hnv_tables[N_HT];

/* ovs-hnvctl-cache.c. */
struct hnvctl_context *hnvctl_context_cast(struct ctl_context *base);
uint32_t hash_rec(uint32_t vsid, const struct in6_addr *ca);
void cache_clear(struct hnv_cache *c);
void hnvctl_invalidate_cache(struct ctl_context *base);
struct hnv_vsid *cache_get_vsid(struct hnv_cache *c, uint32_t vsid);
struct hnv_ca *cache_get_ca(struct hnv_cache *c, const struct in6_addr *addr,
                            bool create);
void cache_add_record(struct hnv_cache *c, uint32_t vsid,
                      const struct in6_addr *ca, const struct eth_addr mac,
                      const struct ovsrec_hnv_lookup_record *row);
void cache_remove_record(struct hnv_cache *c, struct hnv_rec *rec);
struct hnv_croute *cache_find_croute(struct hnv_cache *c, const char *rdid,
                                     uint32_t vsid,
                                     const struct in6_addr *prefix,
                                     unsigned int plen);
void cache_add_croute(struct hnv_cache *c, const char *rdid, uint32_t vsid,
                      const struct in6_addr *prefix, unsigned int plen,
                      const struct ovsrec_hnv_customer_route *row);
void cache_remove_croute(struct hnv_cache *c, struct hnv_croute *cr);
struct hnv_addr_row *cache_find_addr(struct hmap *map,
                                     const struct in6_addr *addr,
                                     unsigned int plen);
void cache_add_addr(struct hmap *map, const struct in6_addr *addr,
                    unsigned int plen, const struct ovsdb_idl_row *row);
char *parse_pa_plen(const char *s, struct in6_addr *addr, int *plen);
struct hnv_cache *cache_populate(struct hnvctl_context *ctx);
void check(const char *where, char *error);
char *addr_to_string(const struct in6_addr *addr);
char *mac_to_string(const struct eth_addr mac);
char *prefix_to_string(const struct in6_addr *prefix, unsigned int plen);
char *parse_record_pa(const char *s, struct in6_addr *pa);
char *parse_host_pa(const char *s, struct in6_addr *pa);
char *parse_rule(const char *s, enum hnv_rule *rule);
char *parse_type(const char *s, enum hnv_record_type *type);
char *parse_metric(const char *s, int64_t *metric);
char *parse_vlan(const char *s, int64_t *vlan);
char *parse_next_hop(const char *s, const struct in6_addr *prefix,
                     const char *prefix_s, struct in6_addr *next_hop);
char *parse_interface(const char *s);

/* ovs-hnvctl-policy.c. */
void record_spec_destroy(struct record_spec *spec);
char *nonempty_xstrdup(const char *s);
char *record_spec_parse(struct record_spec *spec, const char *vsid,
                        const char *ca, const char *mac, const char *pa,
                        const char *rule, const char *type,
                        const char *customer_id, const char *vm_name,
                        const char *context);
const char *row_rule(const struct ovsrec_hnv_lookup_record *row);
const char *row_type(const struct ovsrec_hnv_lookup_record *row);
void add_lookup_record(struct hnvctl_context *ctx,
                       const struct record_spec *spec, bool may_exist,
                       const char *where);
const char *opt(const struct ctl_context *ctx, const char *name);
bool has_opt(const struct ctl_context *ctx, const char *name);
void need_all_records(void);
void pre_policy__(struct ctl_context *ctx, bool records);
void pre_policy(struct ctl_context *ctx);
void pre_policy_no_records(struct ctl_context *ctx);
void pre_add_lookup_record(struct ctl_context *ctx);
void pre_lookup_record_key(struct ctl_context *ctx);
void pre_list_lookup_records(struct ctl_context *ctx);
void pre_switch(struct ctl_context *ctx);
void pre_all(struct ctl_context *ctx);
void cmd_add_lookup_record(struct ctl_context *base);
void cmd_set_lookup_record(struct ctl_context *base);
void cmd_del_lookup_record(struct ctl_context *base);
char *croute_spec_parse(struct croute_spec *spec, const char *rdid,
                        const char *vsid, const char *prefix,
                        const char *next_hop, const char *metric);
void add_customer_route(struct hnvctl_context *ctx,
                        const struct croute_spec *spec, bool may_exist,
                        const char *where);
void cmd_add_customer_route(struct ctl_context *base);
void cmd_del_customer_route(struct ctl_context *base);
void cmd_list_customer_routes(struct ctl_context *ctx);
char *pa_spec_parse(struct pa_spec *spec, const char *pa_plen,
                    const char *plen_s, const char *interface,
                    const char *vlan);
void add_provider_address(struct hnvctl_context *ctx,
                          const struct pa_spec *spec, bool may_exist,
                          const char *where);
void cmd_add_provider_address(struct ctl_context *base);
void cmd_del_provider_address(struct ctl_context *base);
void cmd_list_provider_addresses(struct ctl_context *ctx);
char *proute_spec_parse(struct proute_spec *spec, const char *prefix,
                        const char *next_hop, const char *interface,
                        const char *metric);
void add_provider_route(struct hnvctl_context *ctx,
                        const struct proute_spec *spec, bool may_exist,
                        const char *where);
void cmd_add_provider_route(struct ctl_context *base);
void cmd_del_provider_route(struct ctl_context *base);
void cmd_list_provider_routes(struct ctl_context *ctx);
const struct ovsrec_bridge *find_bridge(struct ctl_context *ctx,
                                        const char *name, bool must_exist);
void cmd_enable_bridge(struct ctl_context *ctx);
void cmd_disable_bridge(struct ctl_context *ctx);
void cmd_bind_port(struct ctl_context *ctx);
void cmd_unbind_port(struct ctl_context *ctx);

/* ovs-hnvctl-show.c. */
size_t hnv_table_n_columns(enum hnv_table_id t);
char *canonical_address(const char *s);
char *canonical_rdid(const char *s);
void row_values(enum hnv_table_id t, const struct ovsdb_idl_row *row,
                char *vals[HNV_MAX_COLUMNS]);
void row_values_destroy(char *vals[HNV_MAX_COLUMNS]);
struct sort_item *sorted_rows(struct ctl_context *ctx, enum hnv_table_id t,
                              bool (*filter)(const struct ctl_context *,
                              const struct ovsdb_idl_row *), size_t *n);
void list_table(struct ctl_context *ctx, enum hnv_table_id t,
                bool (*filter)(const struct ctl_context *,
                const struct ovsdb_idl_row *));
void cmd_list_lookup_records(struct ctl_context *ctx);
void cmd_show(struct ctl_context *base);

/* ovs-hnvctl-import.c. */
void cmd_export(struct ctl_context *ctx);
void pre_import(struct ctl_context *ctx);
void cmd_import(struct ctl_context *base);

/* ovs-hnvctl-direct.c. */
bool direct_records_table_is_empty(void);
bool run_direct_commands(const char *args, const struct ctl_command *commands,
                         size_t n_commands);

#endif /* ovs-hnvctl.h */
