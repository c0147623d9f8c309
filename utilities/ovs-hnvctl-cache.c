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

/* ovs-hnvctl: the policy cache that cross-row checks use, and the
 * argument parsers shared by the commands (see ovs-hnvctl.c). */

#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
#include "lib/vswitch-idl.h"
#include "util.h"

#include "utilities/ovs-hnvctl.h"

/* The policy cache. */

struct hnvctl_context *
hnvctl_context_cast(struct ctl_context *base)
{
    return CONTAINER_OF(base, struct hnvctl_context, base);
}

static uint32_t
hash_addr(const struct in6_addr *a, uint32_t basis)
{
    return hash_bytes(a, sizeof *a, basis);
}

uint32_t
hash_rec(uint32_t vsid, const struct in6_addr *ca)
{
    return hash_addr(ca, vsid);
}

void
cache_clear(struct hnv_cache *c)
{
    if (!c->valid) {
        return;
    }

    struct hnv_rec *rec;
    HMAP_FOR_EACH_POP (rec, node, &c->records) {
        free(rec);
    }
    hmap_destroy(&c->records);

    struct hnv_ca *ca;
    HMAP_FOR_EACH_POP (ca, node, &c->cas) {
        free(ca);
    }
    hmap_destroy(&c->cas);

    struct hnv_vsid *v;
    HMAP_FOR_EACH_POP (v, node, &c->vsids) {
        shash_destroy(&v->rdids);
        free(v);
    }
    hmap_destroy(&c->vsids);

    struct shash_node *node;
    SHASH_FOR_EACH (node, &c->rds) {
        struct hnv_rd *rd = node->data;
        hmapx_destroy(&rd->vsids);
        free(rd->rdid);
        free(rd);
    }
    shash_destroy(&c->rds);

    struct hnv_croute *cr;
    HMAP_FOR_EACH_POP (cr, node, &c->croutes) {
        free(cr);
    }
    hmap_destroy(&c->croutes);

    struct hnv_addr_row *ar;
    HMAP_FOR_EACH_POP (ar, node, &c->pas) {
        free(ar);
    }
    hmap_destroy(&c->pas);
    HMAP_FOR_EACH_POP (ar, node, &c->proutes) {
        free(ar);
    }
    hmap_destroy(&c->proutes);

    c->valid = false;
}

void
hnvctl_invalidate_cache(struct ctl_context *base)
{
    cache_clear(&hnvctl_context_cast(base)->cache);
}

static struct hnv_vsid *
cache_find_vsid(struct hnv_cache *c, uint32_t vsid)
{
    struct hnv_vsid *v;
    HMAP_FOR_EACH_WITH_HASH (v, node, hash_int(vsid, 0), &c->vsids) {
        if (v->vsid == vsid) {
            return v;
        }
    }
    return NULL;
}

struct hnv_vsid *
cache_get_vsid(struct hnv_cache *c, uint32_t vsid)
{
    struct hnv_vsid *v = cache_find_vsid(c, vsid);
    if (!v) {
        v = xzalloc(sizeof *v);
        v->vsid = vsid;
        shash_init(&v->rdids);
        ovs_list_init(&v->records);
        hmap_insert(&c->vsids, &v->node, hash_int(vsid, 0));
    }
    return v;
}

struct hnv_ca *
cache_get_ca(struct hnv_cache *c, const struct in6_addr *addr, bool create)
{
    struct hnv_ca *ca;
    uint32_t hash = hash_addr(addr, 0);
    HMAP_FOR_EACH_WITH_HASH (ca, node, hash, &c->cas) {
        if (ipv6_addr_equals(&ca->ca, addr)) {
            return ca;
        }
    }
    if (!create) {
        return NULL;
    }
    ca = xzalloc(sizeof *ca);
    ca->ca = *addr;
    ovs_list_init(&ca->records);
    hmap_insert(&c->cas, &ca->node, hash);
    return ca;
}

void
cache_add_record(struct hnv_cache *c, uint32_t vsid,
                 const struct in6_addr *ca, const struct eth_addr mac,
                 const struct ovsrec_hnv_lookup_record *row)
{
    struct hnv_rec *rec = xmalloc(sizeof *rec);
    rec->vsid = cache_get_vsid(c, vsid);
    rec->ca = cache_get_ca(c, ca, true);
    rec->mac = mac;
    rec->row = row;
    hmap_insert(&c->records, &rec->node, hash_rec(vsid, ca));
    ovs_list_push_back(&rec->ca->records, &rec->ca_node);
    rec->ca->n_records++;
    ovs_list_push_back(&rec->vsid->records, &rec->vsid_node);
}

void
cache_remove_record(struct hnv_cache *c, struct hnv_rec *rec)
{
    hmap_remove(&c->records, &rec->node);
    ovs_list_remove(&rec->ca_node);
    ovs_list_remove(&rec->vsid_node);
    if (!--rec->ca->n_records) {
        hmap_remove(&c->cas, &rec->ca->node);
        free(rec->ca);
    }
    free(rec);
}

/* Adds a route of 'vsid' in routing domain 'rdid' to the membership
 * counts. */
static const char *
cache_join_rd(struct hnv_cache *c, struct hnv_vsid *v, const char *rdid)
{
    struct hnv_rd *rd = shash_find_data(&c->rds, rdid);
    if (!rd) {
        rd = xzalloc(sizeof *rd);
        rd->rdid = xstrdup(rdid);
        hmapx_init(&rd->vsids);
        shash_add(&c->rds, rdid, rd);
    }
    struct shash_node *node = shash_find(&v->rdids, rdid);
    if (node) {
        node->data = (void *) ((uintptr_t) node->data + 1);
    } else {
        shash_add(&v->rdids, rdid, (void *) (uintptr_t) 1);
        hmapx_add(&rd->vsids, v);
    }
    return rd->rdid;
}

static void
cache_leave_rd(struct hnv_cache *c, struct hnv_vsid *v, const char *rdid)
{
    struct shash_node *node = shash_find(&v->rdids, rdid);
    if (!node) {
        return;
    }
    uintptr_t n = (uintptr_t) node->data - 1;
    if (n) {
        node->data = (void *) n;
    } else {
        struct hnv_rd *rd = shash_find_data(&c->rds, rdid);
        shash_delete(&v->rdids, node);
        hmapx_find_and_delete(&rd->vsids, v);
    }
}

static uint32_t
hash_croute(const char *rdid, uint32_t vsid, const struct in6_addr *prefix,
            unsigned int plen)
{
    return hash_addr(prefix, hash_string(rdid, hash_int(vsid, plen)));
}

struct hnv_croute *
cache_find_croute(struct hnv_cache *c, const char *rdid, uint32_t vsid,
                  const struct in6_addr *prefix, unsigned int plen)
{
    struct hnv_croute *cr;
    HMAP_FOR_EACH_WITH_HASH (cr, node, hash_croute(rdid, vsid, prefix, plen),
                             &c->croutes) {
        if (cr->vsid == vsid && cr->plen == plen && !strcmp(cr->rdid, rdid)
            && ipv6_addr_equals(&cr->prefix, prefix)) {
            return cr;
        }
    }
    return NULL;
}

void
cache_add_croute(struct hnv_cache *c, const char *rdid, uint32_t vsid,
                 const struct in6_addr *prefix, unsigned int plen,
                 const struct ovsrec_hnv_customer_route *row)
{
    struct hnv_croute *cr = xmalloc(sizeof *cr);
    cr->rdid = cache_join_rd(c, cache_get_vsid(c, vsid), rdid);
    cr->vsid = vsid;
    cr->prefix = *prefix;
    cr->plen = plen;
    cr->row = row;
    hmap_insert(&c->croutes, &cr->node,
                hash_croute(rdid, vsid, prefix, plen));
}

void
cache_remove_croute(struct hnv_cache *c, struct hnv_croute *cr)
{
    cache_leave_rd(c, cache_get_vsid(c, cr->vsid), cr->rdid);
    hmap_remove(&c->croutes, &cr->node);
    free(cr);
}

struct hnv_addr_row *
cache_find_addr(struct hmap *map, const struct in6_addr *addr,
                unsigned int plen)
{
    struct hnv_addr_row *ar;
    HMAP_FOR_EACH_WITH_HASH (ar, node, hash_addr(addr, plen), map) {
        if (ar->plen == plen && ipv6_addr_equals(&ar->addr, addr)) {
            return ar;
        }
    }
    return NULL;
}

void
cache_add_addr(struct hmap *map, const struct in6_addr *addr,
               unsigned int plen, const struct ovsdb_idl_row *row)
{
    struct hnv_addr_row *ar = xmalloc(sizeof *ar);
    ar->addr = *addr;
    ar->plen = plen;
    ar->row = row;
    hmap_insert(map, &ar->node, hash_addr(addr, plen));
}

/* Parses the provider address of an HNV_Provider_Address row, which may
 * carry a prefix length ("PA/PLEN") when written by other tools. */
char *
parse_pa_plen(const char *s, struct in6_addr *addr, int *plen)
{
    const char *slash = strchr(s, '/');
    char *error;

    if (!slash) {
        error = hnv_parse_address(s, addr);
        *plen = -1;
        return error;
    }

    char *a = xmemdup0(s, slash - s);
    error = hnv_parse_address(a, addr);
    free(a);
    if (error) {
        free(error);
        return xasprintf("%s: invalid IP address", s);
    }

    unsigned int max = hnv_address_is_ipv4(addr) ? 32 : 128;
    unsigned int len;
    if (!slash[1] || strspn(slash + 1, "0123456789") != strlen(slash + 1)
        || !str_to_uint(slash + 1, 10, &len) || len > max) {
        return xasprintf("%s: prefix length out of range 0..%u", s, max);
    }
    *plen = len;
    return NULL;
}

/* Builds the cache from the IDL, unless it is up to date.  Rows whose values
 * do not parse (written by other tools) are left out of the indexes. */
struct hnv_cache *
cache_populate(struct hnvctl_context *ctx)
{
    struct hnv_cache *c = &ctx->cache;
    if (c->valid) {
        return c;
    }

    c->valid = true;
    hmap_init(&c->vsids);
    shash_init(&c->rds);
    hmap_init(&c->cas);
    hmap_init(&c->records);
    hmap_init(&c->croutes);
    hmap_init(&c->pas);
    hmap_init(&c->proutes);

    const struct ovsrec_hnv_lookup_record *rec;
    OVSREC_HNV_LOOKUP_RECORD_FOR_EACH (rec, ctx->base.idl) {
        struct in6_addr ca;
        struct eth_addr mac;
        char *error = hnv_parse_address(rec->customer_address, &ca);
        if (!error) {
            error = hnv_parse_mac(rec->mac, &mac);
        }
        if (!error && hnv_vsid_is_valid(rec->vsid)) {
            cache_add_record(c, rec->vsid, &ca, mac, rec);
        }
        free(error);
    }

    const struct ovsrec_hnv_customer_route *cr;
    OVSREC_HNV_CUSTOMER_ROUTE_FOR_EACH (cr, ctx->base.idl) {
        struct in6_addr prefix;
        unsigned int plen;
        char *rdid = NULL;
        char *error = hnv_parse_rdid(cr->routing_domain, &rdid);
        if (!error) {
            error = hnv_parse_prefix(cr->destination_prefix, &prefix, &plen);
        }
        if (!error && hnv_vsid_is_valid(cr->vsid)) {
            cache_add_croute(c, rdid, cr->vsid, &prefix, plen, cr);
        }
        free(error);
        free(rdid);
    }

    const struct ovsrec_hnv_provider_address *pa;
    OVSREC_HNV_PROVIDER_ADDRESS_FOR_EACH (pa, ctx->base.idl) {
        struct in6_addr addr;
        int plen;
        char *error = parse_pa_plen(pa->provider_address, &addr, &plen);
        if (!error) {
            cache_add_addr(&c->pas, &addr, 0, &pa->header_);
        }
        free(error);
    }

    const struct ovsrec_hnv_provider_route *pr;
    OVSREC_HNV_PROVIDER_ROUTE_FOR_EACH (pr, ctx->base.idl) {
        struct in6_addr prefix;
        unsigned int plen;
        char *error = hnv_parse_prefix(pr->destination_prefix,
                                       &prefix, &plen);
        if (!error) {
            cache_add_addr(&c->proutes, &prefix, plen, &pr->header_);
        }
        free(error);
    }
    return c;
}

/* Errors. */

/* Reports 'error' (from a parse function) and exits; 'where' is a "FILE:LINE:
 * " prefix for import, or "". */
OVS_NO_RETURN static void
fatal_where(const char *where, char *error)
{
    ctl_fatal("%s%s", where, error);
}

void
check(const char *where, char *error)
{
    if (error) {
        fatal_where(where, error);
    }
}

char *
addr_to_string(const struct in6_addr *addr)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    hnv_format_address(addr, &s);
    return ds_steal_cstr(&s);
}

char *
mac_to_string(const struct eth_addr mac)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    hnv_format_mac(mac, &s);
    return ds_steal_cstr(&s);
}

char *
prefix_to_string(const struct in6_addr *prefix, unsigned int plen)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    hnv_format_prefix(prefix, plen, &s);
    return ds_steal_cstr(&s);
}

/* Value parsers used by commands and by import: each returns NULL or an
 * error message in the style of hnv-types.h. */

/* Parses 's' as the PA of a lookup record, with the switch's own rules
 * (hnv_check_record_pa()), so that the switch never has to ignore a record
 * that ovs-hnvctl wrote. */
char *
parse_record_pa(const char *s, struct in6_addr *pa)
{
    char *error = hnv_parse_address(s, pa);
    return error ? error : hnv_check_record_pa(pa);
}

/* Parses 's' as a host's provider address (HNV_Provider_Address), with the
 * switch's own rules (hnv_check_provider_address()). */
char *
parse_host_pa(const char *s, struct in6_addr *pa)
{
    char *error = hnv_parse_address(s, pa);
    return error ? error : hnv_check_provider_address(pa);
}

char *
parse_rule(const char *s, enum hnv_rule *rule)
{
    static const char prefix[] = "TranslationMethod";

    if (!strncasecmp(s, prefix, strlen(prefix))
        && hnv_rule_from_string(s + strlen(prefix), rule)) {
        return NULL;
    }
    if (hnv_rule_from_string(s, rule)) {
        return NULL;
    }
    return xasprintf("%s: invalid rule (expected encap, nat or none)", s);
}

char *
parse_type(const char *s, enum hnv_record_type *type)
{
    if (!strcasecmp(s, "GatewayWildcard")) {
        *type = HNV_TYPE_GATEWAY_WILDCARD;
        return NULL;
    }
    if (hnv_type_from_string(s, type)) {
        return NULL;
    }
    return xasprintf("%s: invalid type (expected static, dynamic, l2only or "
                     "gateway-wildcard)", s);
}

char *
parse_metric(const char *s, int64_t *metric)
{
    unsigned long long int value;
    char *end;

    errno = 0;
    value = s[0] && isdigit((unsigned char) s[0]) ? strtoull(s, &end, 10) : 0;
    if (!s[0] || !isdigit((unsigned char) s[0]) || *end || errno
        || value > UINT32_MAX) {
        return xasprintf("%s: invalid metric (expected an integer "
                         "0..4294967295)", s);
    }
    *metric = value;
    return NULL;
}

char *
parse_vlan(const char *s, int64_t *vlan)
{
    int64_t value;
    char *error = parse_metric(s, &value);
    if (error || value > 4095) {
        free(error);
        return xasprintf("%s: VLAN out of range 0..4095", s);
    }
    *vlan = value;
    return NULL;
}

char *
parse_next_hop(const char *s, const struct in6_addr *prefix,
               const char *prefix_s, struct in6_addr *next_hop)
{
    char *error = hnv_parse_address(s, next_hop);
    if (!error
        && hnv_address_is_ipv4(next_hop) != hnv_address_is_ipv4(prefix)) {
        error = xasprintf("%s: next hop is not in the address family of "
                          "%s", s, prefix_s);
    }
    return error;
}

char *
parse_interface(const char *s)
{
    return *s ? NULL : xstrdup("interface name must not be empty");
}
