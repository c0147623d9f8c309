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
#include "hnv/hnv-policy.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "coverage.h"
#include "hash.h"
#include "hmapx.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/list.h"
#include "openvswitch/vlog.h"
#include "ovs-rcu.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(hnv_policy);

COVERAGE_DEFINE(hnv_policy_conflict);

/* Implementation notes (the model is in hnv-policy.h).
 *
 * Reader side: three cmaps of 'struct hnv_record', a cmap that maps a VSID
 * that has a routing domain to that domain ('struct hnv_vsid_rd', immutable,
 * replaced on a move), each domain's route table behind an RCU pointer, and
 * the local provider addresses as an RCU-published sorted array.
 *
 * Conflicts live in the indexes: every record is indexed, including those
 * that lose a conflict, and a lookup that finds several records for its key
 * returns the one with the lowest row UUID.  Removing the winner therefore
 * makes the next one win with no bookkeeping, and the outcome never depends
 * on the order of changes.  The keys are:
 *
 *   - hnv_policy_lookup(): (VSID, CA), and for a wildcard CA (VSID, CA, MAC),
 *     since one VSID may hold wildcard records for several MACs.  For a
 *     non-wildcard CA, a 'mac' argument filters the winner: the losers of a
 *     conflict stay invisible even when asked for by their MAC.
 *
 *   - hnv_policy_lookup_in_rd(): (routing domain, CA) across the domain's
 *     VSIDs.  It never returns a wildcard record (one stands for any
 *     address, not for 0.0.0.0 or ::): those share the index under their
 *     PA instead, for hnv_policy_wildcard_at_pa(): (routing domain, PA).
 *
 *   - hnv_policy_lookup_mac(): among the records of (VSID, MAC) of the
 *     family asked for that hnv_policy_lookup() would return for their own
 *     CA, the one with the lowest row UUID.
 *
 * Each index stands alone: a record that loses in the domain index to a
 * record of another VSID still wins in its own VSID's index.
 *
 * A record's routing domain index key uses 'rd_id': the VSID itself for a
 * VSID without routes (VSIDs are below 2**24), or an ID of 2**24 or more
 * allocated to the domain.  Moving a VSID to another domain replaces each of
 * its records by a copy with the new 'rd_id'.
 *
 * Writer side: records by UUID (the 'uuid_node' inside each record), an
 * array of records per VSID (for moves; 'vsid_slot' makes removal O(1)),
 * customer routes by UUID, each linked to its domain and its VSID, and the
 * local PAs by UUID.  Readers never touch any of it. */

/* A VSID, as the writer knows it.  Exists while the VSID has a record or a
 * route, or a routing domain that the next commit must take away. */
struct hnv_vsid {
    struct hmap_node node;      /* In hnv_policy's 'vsids'. */
    uint32_t vsid;
    struct hnv_record **records;    /* Its records, in no order. */
    size_t n_records, allocated_records;
    struct ovs_list routes;     /* "struct hnv_route_entry"s naming it. */
    struct hnv_rd *rd;          /* Its routing domain, NULL if none. */
    struct hnv_vsid_rd *map;    /* Published VSID->domain entry, or NULL. */
    bool leaving;               /* In hnv_policy_commit(): 'rd' is about to
                                 * change, so 'rd' routes to it no more. */
};

/* Reader-visible VSID->routing domain mapping (immutable). */
struct hnv_vsid_rd {
    struct cmap_node node;      /* In hnv_policy's 'vsid_rds'. */
    uint32_t vsid;
    uint32_t rd_id;
    const struct hnv_rd *rd;
};

/* A routing domain: one per RDID named by at least one customer route. */
struct hnv_rd {
    struct hmap_node node;      /* In hnv_policy's 'rds', by 'rdid'. */
    char *rdid;                 /* Canonical. */
    uint32_t rd_id;
    OVSRCU_TYPE(struct hnv_route_table *) table;    /* NULL if empty. */
    struct ovs_list routes;     /* All "struct hnv_route_entry"s. */
    size_t n_routes;
};

/* A customer route row (writer only). */
struct hnv_route_entry {
    struct hmap_node node;      /* In hnv_policy's 'routes', by 'uuid'. */
    struct uuid uuid;
    struct hnv_route route;
    struct hnv_rd *rd;
    struct ovs_list rd_node;    /* In 'rd->routes'. */
    struct hnv_vsid *vsid;
    struct ovs_list vsid_node;  /* In 'vsid->routes'. */
};

/* A local provider address row (writer only). */
struct hnv_local_pa {
    struct hmap_node node;      /* In hnv_policy's 'local_pas', by 'uuid'. */
    struct uuid uuid;
    struct in6_addr pa;
    unsigned int plen;          /* Clamped to the family's maximum. */
};

/* Reader-visible default gateway of a VSID for one address family
 * (immutable, replaced on a change): the gateway record (PA 169.254.254.254,
 * a non-wildcard CA) with the lowest row UUID among those of the VSID and
 * family.  A copy of what forwarding needs, not a pointer to the record, so
 * that it never outlives what it points to. */
struct hnv_gateway {
    struct cmap_node node;      /* In hnv_policy's 'gateways'. */
    uint32_t vsid;
    int family;                 /* AF_INET or AF_INET6. */
    struct eth_addr mac;
    struct in6_addr ca;
};

/* Writer side: one per gateway record, so that choosing a VSID's gateway
 * costs O(its gateway records), not O(its records).  A copy of the
 * record's key rather than a pointer: records are replaced by copies (a PA
 * change, a VSID that changes routing domain). */
struct hnv_gateway_record {
    struct hmap_node node;      /* In hnv_policy's 'gateway_records', by
                                 * hash_vsid(). */
    struct uuid uuid;
    uint32_t vsid;
    struct eth_addr mac;
    struct in6_addr ca;
};

/* The published local provider addresses, sorted by address. */
struct hnv_pa_set {
    size_t n;
    struct hnv_pa_set_entry {
        struct in6_addr pa;
        unsigned int plen;
    } pas[];
};

struct hnv_policy {
    /* Reader side. */
    struct cmap vsid_ca;        /* "struct hnv_record"s by (VSID, CA). */
    struct cmap vsid_mac;       /* "struct hnv_record"s by (VSID, MAC). */
    struct cmap rd_ca;          /* "struct hnv_record"s by (rd_id, CA). */
    struct cmap vsid_rds;       /* "struct hnv_vsid_rd"s by VSID. */
    struct cmap gateways;       /* "struct hnv_gateway"s by VSID. */
    OVSRCU_TYPE(struct hnv_pa_set *) pa_set;

    /* Writer side. */
    struct hmap records;        /* "struct hnv_record"s by UUID. */
    struct hmap routes;         /* "struct hnv_route_entry"s by UUID. */
    struct hmap local_pas;      /* "struct hnv_local_pa"s by UUID. */
    struct hmap vsids;          /* "struct hnv_vsid"s by VSID. */
    struct hmap rds;            /* "struct hnv_rd"s by RDID. */
    struct hmapx dirty_vsids;   /* Whose domain the commit must recompute. */
    struct hmapx dirty_rds;     /* Whose table the commit must rebuild. */
    struct hmap gateway_records;    /* "struct hnv_gateway_record"s. */
    struct hmapx dirty_gateways;    /* VSIDs (as uintptr_t) whose gateways
                                     * the commit must recompute. */
    uint32_t next_rd_id;
    bool rd_ids_wrapped;        /* 'next_rd_id' has wrapped around. */
    bool changed;               /* Since the last commit. */
    uint64_t n_conflicts;
    uint64_t n_changes;

    /* For tests (hnv_policy_set_commit_hook()). */
    void (*commit_hook)(const struct hnv_policy *, void *aux);
    void *commit_hook_aux;
};

/* First 'rd_id' of a routing domain; below it, 'rd_id' is a VSID. */
#define HNV_RD_ID_MIN (1u << 24)

static struct vlog_rate_limit conflict_rl = VLOG_RATE_LIMIT_INIT(5, 20);
static struct vlog_rate_limit invalid_rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Hashing and keys. */

static uint32_t
hash_vsid(uint32_t vsid)
{
    return hash_int(vsid, 0);
}

static uint32_t
hash_vsid_ca(uint32_t vsid, const struct in6_addr *ca)
{
    return hash_bytes(ca, sizeof *ca, hash_int(vsid, 1));
}

static uint32_t
hash_vsid_mac(uint32_t vsid, const struct eth_addr mac)
{
    return hash_mac(mac, 0, hash_int(vsid, 2));
}

static uint32_t
hash_rd_ca(uint32_t rd_id, const struct in6_addr *ca)
{
    return hash_bytes(ca, sizeof *ca, hash_int(rd_id, 3));
}

static uint32_t
hash_rd_pa(uint32_t rd_id, const struct in6_addr *pa)
{
    return hash_bytes(pa, sizeof *pa, hash_int(rd_id, 5));
}

static bool
address_matches_family(const struct in6_addr *addr, int family)
{
    return (!family
            || (family == AF_INET) == hnv_address_is_ipv4(addr));
}

/* Returns whether 'a' should win over 'b' (NULL loses to anything). */
static bool
record_wins(const struct hnv_record *a, const struct hnv_record *b)
{
    return !b || uuid_compare_3way(&a->uuid, &b->uuid) < 0;
}

/* Reader side. */

/* Returns the winner among the records of 'vsid' for 'ca', considering only
 * those with 'mac' if nonnull and only those other than 'except' if
 * nonnull. */
static const struct hnv_record *
find_vsid_ca(const struct hnv_policy *p, uint32_t vsid,
             const struct in6_addr *ca, const struct eth_addr *mac,
             const struct hnv_record *except)
{
    const struct hnv_record *best = NULL;
    const struct hnv_record *r;

    CMAP_FOR_EACH_WITH_HASH (r, vsid_ca_node, hash_vsid_ca(vsid, ca),
                             &p->vsid_ca) {
        if (r->spec.vsid == vsid
            && ipv6_addr_equals(&r->spec.ca, ca)
            && (!mac || eth_addr_equals(r->spec.mac, *mac))
            && r != except
            && record_wins(r, best)) {
            best = r;
        }
    }
    return best;
}

/* Returns the winner among the records indexed under 'rd_id' for 'ca',
 * ignoring 'except' and the records of 'except_vsid' (if nonzero). */
static const struct hnv_record *
find_rd_ca(const struct hnv_policy *p, uint32_t rd_id,
           const struct in6_addr *ca, const struct hnv_record *except,
           uint32_t except_vsid)
{
    const struct hnv_record *best = NULL;
    const struct hnv_record *r;

    CMAP_FOR_EACH_WITH_HASH (r, rd_ca_node, hash_rd_ca(rd_id, ca),
                             &p->rd_ca) {
        if (r->rd_id == rd_id
            && ipv6_addr_equals(&r->spec.ca, ca)
            && !hnv_address_is_wildcard(&r->spec.ca)
            && r != except
            && r->spec.vsid != except_vsid
            && record_wins(r, best)) {
            best = r;
        }
    }
    return best;
}

static const struct hnv_vsid_rd *
find_vsid_rd(const struct hnv_policy *p, uint32_t vsid)
{
    const struct hnv_vsid_rd *e;

    CMAP_FOR_EACH_WITH_HASH (e, node, hash_vsid(vsid), &p->vsid_rds) {
        if (e->vsid == vsid) {
            return e;
        }
    }
    return NULL;
}

static uint32_t
vsid_rd_id(const struct hnv_policy *p, uint32_t vsid)
{
    const struct hnv_vsid_rd *e = find_vsid_rd(p, vsid);
    return e ? e->rd_id : vsid;
}

const struct hnv_record *
hnv_policy_lookup(const struct hnv_policy *p, uint32_t vsid,
                  const struct in6_addr *ca, const struct eth_addr *mac)
{
    const struct hnv_record *r;

    if (hnv_address_is_wildcard(ca)) {
        return find_vsid_ca(p, vsid, ca, mac, NULL);
    }
    /* A record that loses to another for the same CA in its routing domain
     * is invisible through every index, so that the winner alone both
     * receives and sends (HNV-SPEC 2, conflicts). */
    r = find_vsid_ca(p, vsid, ca, NULL, NULL);
    if (!r || (mac && !eth_addr_equals(r->spec.mac, *mac))
        || find_rd_ca(p, r->rd_id, ca, NULL, 0) != r) {
        return NULL;
    }
    return r;
}

bool
hnv_policy_vsid_has_ca(const struct hnv_policy *p, uint32_t vsid,
                       const struct in6_addr *ca)
{
    return find_vsid_ca(p, vsid, ca, NULL, NULL) != NULL;
}

/* Whether 'r' is what hnv_policy_lookup() returns for its own key. */
static bool
record_is_visible(const struct hnv_policy *p, const struct hnv_record *r)
{
    return hnv_policy_lookup(p, r->spec.vsid, &r->spec.ca,
                             &r->spec.mac) == r;
}

const struct hnv_record *
hnv_policy_lookup_mac(const struct hnv_policy *p, uint32_t vsid,
                      const struct eth_addr mac, int family)
{
    const struct hnv_record *best = NULL;
    const struct hnv_record *r;

    CMAP_FOR_EACH_WITH_HASH (r, vsid_mac_node, hash_vsid_mac(vsid, mac),
                             &p->vsid_mac) {
        if (r->spec.vsid == vsid
            && eth_addr_equals(r->spec.mac, mac)
            && address_matches_family(&r->spec.ca, family)
            && record_wins(r, best)
            && record_is_visible(p, r)) {
            best = r;
        }
    }
    return best;
}

const struct hnv_record *
hnv_policy_lookup_in_rd(const struct hnv_policy *p, uint32_t vsid,
                        const struct in6_addr *ca)
{
    if (hnv_address_is_wildcard(ca)) {
        return NULL;
    }
    return find_rd_ca(p, vsid_rd_id(p, vsid), ca, NULL, 0);
}

const struct hnv_record *
hnv_policy_wildcard_at_pa(const struct hnv_policy *p, uint32_t vsid,
                          const struct in6_addr *pa, int family)
{
    uint32_t rd_id = vsid_rd_id(p, vsid);
    const struct hnv_record *r;

    CMAP_FOR_EACH_WITH_HASH (r, rd_ca_node, hash_rd_pa(rd_id, pa),
                             &p->rd_ca) {
        if (r->rd_id == rd_id
            && hnv_address_is_wildcard(&r->spec.ca)
            && ipv6_addr_equals(&r->spec.pa, pa)
            && address_matches_family(&r->spec.ca, family)
            && r->spec.type != HNV_TYPE_L2ONLY) {
            return r;
        }
    }
    return NULL;
}

static struct hnv_gateway *gateway_find(const struct hnv_policy *,
                                        uint32_t vsid, int family);

bool
hnv_policy_gateway(const struct hnv_policy *p, uint32_t vsid, int family,
                   struct eth_addr *mac, struct in6_addr *ca)
{
    const struct hnv_gateway *gw = gateway_find(p, vsid, family);

    if (!gw) {
        return false;
    }
    if (mac) {
        *mac = gw->mac;
    }
    if (ca) {
        *ca = gw->ca;
    }
    return true;
}

const char *
hnv_policy_vsid_rdid(const struct hnv_policy *p, uint32_t vsid)
{
    const struct hnv_vsid_rd *e = find_vsid_rd(p, vsid);
    return e ? e->rd->rdid : NULL;
}

bool
hnv_policy_same_rd(const struct hnv_policy *p, uint32_t a, uint32_t b)
{
    return a == b || vsid_rd_id(p, a) == vsid_rd_id(p, b);
}

const struct hnv_route *
hnv_policy_route_lookup(const struct hnv_policy *p, uint32_t vsid,
                        const struct in6_addr *dst,
                        unsigned int *plen6_examined)
{
    const struct hnv_vsid_rd *e = find_vsid_rd(p, vsid);
    const struct hnv_route_table *t;

    t = e ? ovsrcu_get(struct hnv_route_table *, &e->rd->table) : NULL;
    if (t) {
        return hnv_route_table_lookup(t, dst, plen6_examined);
    }
    if (plen6_examined) {
        /* As hnv_route_table_lookup() on an empty table. */
        *plen6_examined = hnv_address_is_ipv4(dst) ? 96 : 0;
    }
    return NULL;
}

bool
hnv_policy_pa_is_local(const struct hnv_policy *p, const struct in6_addr *pa)
{
    const struct hnv_pa_set *set = ovsrcu_get(struct hnv_pa_set *,
                                              &p->pa_set);

    for (size_t i = 0; set && i < set->n; i++) {
        if (ipv6_addr_equals(&set->pas[i].pa, pa)) {
            return true;
        }
    }
    return false;
}

static bool
prefix_covers(const struct in6_addr *prefix, unsigned int plen,
              const struct in6_addr *addr)
{
    struct in6_addr mask = ipv6_create_mask(hnv_prefix_plen6(prefix, plen));
    struct in6_addr a = ipv6_addr_bitand(prefix, &mask);
    struct in6_addr b = ipv6_addr_bitand(addr, &mask);

    return ipv6_addr_equals(&a, &b);
}

bool
hnv_policy_local_pa_for(const struct hnv_policy *p,
                        const struct in6_addr *remote_pa,
                        struct in6_addr *local_pa)
{
    const struct hnv_pa_set *set = ovsrcu_get(struct hnv_pa_set *,
                                              &p->pa_set);
    const struct hnv_pa_set_entry *lowest = NULL, *covering = NULL;
    bool ipv4 = hnv_address_is_ipv4(remote_pa);

    /* The set is sorted by address, so the first of each kind is the
     * lowest. */
    for (size_t i = 0; set && i < set->n; i++) {
        const struct hnv_pa_set_entry *e = &set->pas[i];

        if (hnv_address_is_ipv4(&e->pa) != ipv4) {
            continue;
        }
        if (!lowest) {
            lowest = e;
        }
        if (prefix_covers(&e->pa, e->plen, remote_pa)
            && (!covering || e->plen > covering->plen)) {
            covering = e;
        }
    }

    if (covering || lowest) {
        *local_pa = (covering ? covering : lowest)->pa;
        return true;
    }
    return false;
}

/* Default gateways.  Adding or removing a gateway record updates
 * 'gateway_records' and marks its VSID; the commit recomputes the VSID's
 * gateways from its gateway records. */

static bool
record_is_gateway(const struct hnv_record *rec)
{
    return rec->pa_is_gateway && !hnv_address_is_wildcard(&rec->spec.ca);
}

static void
gateway_record_add(struct hnv_policy *p, const struct hnv_record *rec)
{
    if (record_is_gateway(rec)) {
        struct hnv_gateway_record *g = xmalloc(sizeof *g);

        g->uuid = rec->uuid;
        g->vsid = rec->spec.vsid;
        g->mac = rec->spec.mac;
        g->ca = rec->spec.ca;
        hmap_insert(&p->gateway_records, &g->node, hash_vsid(g->vsid));
        hmapx_add(&p->dirty_gateways, (void *) (uintptr_t) g->vsid);
    }
}

static void
gateway_record_remove(struct hnv_policy *p, const struct hnv_record *rec)
{
    if (record_is_gateway(rec)) {
        struct hnv_gateway_record *g;

        HMAP_FOR_EACH_WITH_HASH (g, node, hash_vsid(rec->spec.vsid),
                                 &p->gateway_records) {
            if (uuid_equals(&g->uuid, &rec->uuid)
                && g->vsid == rec->spec.vsid
                && eth_addr_equals(g->mac, rec->spec.mac)
                && ipv6_addr_equals(&g->ca, &rec->spec.ca)) {
                hmap_remove(&p->gateway_records, &g->node);
                free(g);
                break;
            }
        }
        hmapx_add(&p->dirty_gateways, (void *) (uintptr_t) rec->spec.vsid);
    }
}

static struct hnv_gateway *
gateway_find(const struct hnv_policy *p, uint32_t vsid, int family)
{
    struct hnv_gateway *gw;

    CMAP_FOR_EACH_WITH_HASH (gw, node, hash_vsid(vsid), &p->gateways) {
        if (gw->vsid == vsid && gw->family == family) {
            return gw;
        }
    }
    return NULL;
}

/* Publishes the gateway of 'vsid' for 'family' as its records now say. */
static void
gateway_update(struct hnv_policy *p, uint32_t vsid, int family)
{
    const struct hnv_gateway_record *best = NULL, *g;

    HMAP_FOR_EACH_WITH_HASH (g, node, hash_vsid(vsid), &p->gateway_records) {
        int g_family = hnv_address_is_ipv4(&g->ca) ? AF_INET : AF_INET6;
        if (g->vsid == vsid && g_family == family
            && (!best || uuid_compare_3way(&g->uuid, &best->uuid) < 0)) {
            best = g;
        }
    }

    struct hnv_gateway *old = gateway_find(p, vsid, family);
    if (old && best && eth_addr_equals(old->mac, best->mac)
        && ipv6_addr_equals(&old->ca, &best->ca)) {
        return;
    }

    uint32_t hash = hash_vsid(vsid);
    if (best) {
        struct hnv_gateway *new = xmalloc(sizeof *new);
        new->vsid = vsid;
        new->family = family;
        new->mac = best->mac;
        new->ca = best->ca;
        if (old) {
            cmap_replace(&p->gateways, &old->node, &new->node, hash);
        } else {
            cmap_insert(&p->gateways, &new->node, hash);
        }
    } else if (old) {
        cmap_remove(&p->gateways, &old->node, hash);
    } else {
        return;
    }
    if (old) {
        ovsrcu_postpone(free, old);
    }
    p->changed = true;
}

static void
gateways_commit(struct hnv_policy *p)
{
    struct hmapx_node *node;

    HMAPX_FOR_EACH (node, &p->dirty_gateways) {
        uint32_t vsid = (uintptr_t) node->data;
        gateway_update(p, vsid, AF_INET);
        gateway_update(p, vsid, AF_INET6);
    }
    hmapx_clear(&p->dirty_gateways);
}

/* Creation and destruction. */

struct hnv_policy *
hnv_policy_create(void)
{
    struct hnv_policy *p = xzalloc(sizeof *p);

    cmap_init(&p->vsid_ca);
    cmap_init(&p->vsid_mac);
    cmap_init(&p->rd_ca);
    cmap_init(&p->vsid_rds);
    cmap_init(&p->gateways);
    ovsrcu_init(&p->pa_set, NULL);
    hmap_init(&p->records);
    hmap_init(&p->routes);
    hmap_init(&p->local_pas);
    hmap_init(&p->vsids);
    hmap_init(&p->rds);
    hmapx_init(&p->dirty_vsids);
    hmapx_init(&p->dirty_rds);
    hmap_init(&p->gateway_records);
    hmapx_init(&p->dirty_gateways);
    p->next_rd_id = HNV_RD_ID_MIN;
    return p;
}

/* An array of records to free together after a grace period. */
struct record_batch {
    size_t n;
    struct hnv_record *records[];
};

static void
free_record_batch(struct record_batch *batch)
{
    for (size_t i = 0; i < batch->n; i++) {
        free(batch->records[i]);
    }
    free(batch);
}

static void
rd_free(struct hnv_rd *rd)
{
    hnv_route_table_destroy(ovsrcu_get_protected(struct hnv_route_table *,
                                                 &rd->table));
    free(rd->rdid);
    free(rd);
}

void
hnv_policy_destroy(struct hnv_policy *p)
{
    struct hnv_route_entry *route;
    struct hnv_local_pa *pa;
    struct record_batch *batch;
    struct hnv_record *rec;
    struct hnv_vsid *vs;
    struct hnv_rd *rd;

    if (!p) {
        return;
    }

    /* Readers may still be looking at records, domains and tables: free
     * them after a grace period.  The writer-only entries go at once. */
    batch = xmalloc(sizeof *batch
                    + hmap_count(&p->records) * sizeof batch->records[0]);
    batch->n = 0;
    HMAP_FOR_EACH_POP (rec, uuid_node, &p->records) {
        batch->records[batch->n++] = rec;
    }
    ovsrcu_postpone(free_record_batch, batch);

    HMAP_FOR_EACH_POP (route, node, &p->routes) {
        free(route);
    }
    HMAP_FOR_EACH_POP (pa, node, &p->local_pas) {
        free(pa);
    }
    HMAP_FOR_EACH_POP (vs, node, &p->vsids) {
        if (vs->map) {
            ovsrcu_postpone(free, vs->map);
        }
        free(vs->records);
        free(vs);
    }
    HMAP_FOR_EACH_POP (rd, node, &p->rds) {
        ovsrcu_postpone(rd_free, rd);
    }
    ovsrcu_postpone(free, ovsrcu_get_protected(struct hnv_pa_set *,
                                               &p->pa_set));

    cmap_destroy(&p->vsid_ca);
    cmap_destroy(&p->vsid_mac);
    cmap_destroy(&p->rd_ca);
    cmap_destroy(&p->vsid_rds);
    struct hnv_gateway *gw;
    CMAP_FOR_EACH (gw, node, &p->gateways) {
        ovsrcu_postpone(free, gw);
    }
    cmap_destroy(&p->gateways);
    hmap_destroy(&p->records);
    hmap_destroy(&p->routes);
    hmap_destroy(&p->local_pas);
    hmap_destroy(&p->vsids);
    hmap_destroy(&p->rds);
    hmapx_destroy(&p->dirty_vsids);
    struct hnv_gateway_record *g;
    HMAP_FOR_EACH_POP (g, node, &p->gateway_records) {
        free(g);
    }
    hmap_destroy(&p->gateway_records);
    hmapx_destroy(&p->dirty_gateways);
    hmapx_destroy(&p->dirty_rds);
    ovsrcu_postpone(free, p);
}

/* Writer side: VSIDs. */

static struct hnv_vsid *
vsid_find(const struct hnv_policy *p, uint32_t vsid)
{
    struct hnv_vsid *vs;

    HMAP_FOR_EACH_WITH_HASH (vs, node, hash_vsid(vsid), &p->vsids) {
        if (vs->vsid == vsid) {
            return vs;
        }
    }
    return NULL;
}

static struct hnv_vsid *
vsid_get(struct hnv_policy *p, uint32_t vsid)
{
    struct hnv_vsid *vs = vsid_find(p, vsid);

    if (!vs) {
        vs = xzalloc(sizeof *vs);
        vs->vsid = vsid;
        ovs_list_init(&vs->routes);
        hmap_insert(&p->vsids, &vs->node, hash_vsid(vsid));
    }
    return vs;
}

/* The 'rd_id' under which the records of 'vs' are indexed. */
static uint32_t
vsid_current_rd_id(const struct hnv_vsid *vs)
{
    return vs->rd ? vs->rd->rd_id : vs->vsid;
}

static bool
vsid_is_unused(const struct hnv_vsid *vs)
{
    return !vs->n_records && ovs_list_is_empty(&vs->routes);
}

/* Frees 'vs' if nothing refers to it any more.  A VSID that still has a
 * routing domain stays until the commit takes the domain away. */
static void
vsid_gc(struct hnv_policy *p, struct hnv_vsid *vs)
{
    if (vsid_is_unused(vs) && !vs->rd) {
        ovs_assert(!vs->map);
        hmapx_find_and_delete(&p->dirty_vsids, vs);
        hmap_remove(&p->vsids, &vs->node);
        free(vs->records);
        free(vs);
    }
}

static void
vsid_add_record(struct hnv_vsid *vs, struct hnv_record *rec)
{
    if (vs->n_records >= vs->allocated_records) {
        vs->records = x2nrealloc(vs->records, &vs->allocated_records,
                                 sizeof *vs->records);
    }
    rec->vsid_slot = vs->n_records;
    vs->records[vs->n_records++] = rec;
}

static void
vsid_remove_record(struct hnv_vsid *vs, struct hnv_record *rec)
{
    struct hnv_record *last = vs->records[--vs->n_records];

    ovs_assert(vs->records[rec->vsid_slot] == rec);
    vs->records[rec->vsid_slot] = last;
    last->vsid_slot = rec->vsid_slot;
    if (vs->allocated_records > 16
        && vs->n_records < vs->allocated_records / 4) {
        vs->allocated_records /= 2;
        vs->records = xrealloc(vs->records, vs->allocated_records
                                            * sizeof *vs->records);
    }
}

static void
vsid_replace_record(struct hnv_vsid *vs, struct hnv_record *old,
                    struct hnv_record *new)
{
    ovs_assert(vs->records[old->vsid_slot] == old);
    new->vsid_slot = old->vsid_slot;
    vs->records[new->vsid_slot] = new;
}

/* Writer side: records. */

static struct hnv_record *
record_find(const struct hnv_policy *p, const struct uuid *uuid)
{
    struct hnv_record *rec;

    HMAP_FOR_EACH_WITH_HASH (rec, uuid_node, uuid_hash(uuid), &p->records) {
        if (uuid_equals(&rec->uuid, uuid)) {
            return rec;
        }
    }
    return NULL;
}

static bool
record_spec_equals(const struct hnv_record_spec *a,
                   const struct hnv_record_spec *b)
{
    return (a->vsid == b->vsid
            && ipv6_addr_equals(&a->ca, &b->ca)
            && eth_addr_equals(a->mac, b->mac)
            && ipv6_addr_equals(&a->pa, &b->pa)
            && a->rule == b->rule
            && a->type == b->type);
}

/* Whether 'a' and 'b' sit in the same place in every index. */
static bool
record_same_keys(const struct hnv_record *a, const struct hnv_record *b)
{
    return (a->spec.vsid == b->spec.vsid
            && ipv6_addr_equals(&a->spec.ca, &b->spec.ca)
            && eth_addr_equals(a->spec.mac, b->spec.mac)
            && a->rd_id == b->rd_id);
}

static struct hnv_record *
record_create(const struct uuid *uuid, const struct hnv_record_spec *spec,
              uint32_t rd_id)
{
    struct hnv_record *rec = xzalloc(sizeof *rec);

    rec->spec = *spec;
    rec->pa_is_gateway = hnv_address_is_gateway_pa(&spec->pa);
    rec->rd_id = rd_id;
    rec->uuid = *uuid;
    return rec;
}

static struct hnv_record *
record_clone(const struct hnv_record *old, uint32_t rd_id)
{
    return record_create(&old->uuid, &old->spec, rd_id);
}

/* The hash under which 'rec' is in 'rd_ca': its CA, or for a wildcard
 * record (which stands for any address) its PA, so that tunnel validation
 * can find the wildcard records of a routing domain at a given PA
 * (hnv_policy_wildcard_at_pa()). */
static uint32_t
rd_index_hash(const struct hnv_record *rec)
{
    return (hnv_address_is_wildcard(&rec->spec.ca)
            ? hash_rd_pa(rec->rd_id, &rec->spec.pa)
            : hash_rd_ca(rec->rd_id, &rec->spec.ca));
}

static void
record_index(struct hnv_policy *p, struct hnv_record *rec)
{
    cmap_insert(&p->vsid_ca, &rec->vsid_ca_node,
                hash_vsid_ca(rec->spec.vsid, &rec->spec.ca));
    cmap_insert(&p->vsid_mac, &rec->vsid_mac_node,
                hash_vsid_mac(rec->spec.vsid, rec->spec.mac));
    cmap_insert(&p->rd_ca, &rec->rd_ca_node, rd_index_hash(rec));
}

static void
record_unindex(struct hnv_policy *p, struct hnv_record *rec)
{
    cmap_remove(&p->vsid_ca, &rec->vsid_ca_node,
                hash_vsid_ca(rec->spec.vsid, &rec->spec.ca));
    cmap_remove(&p->vsid_mac, &rec->vsid_mac_node,
                hash_vsid_mac(rec->spec.vsid, rec->spec.mac));
    cmap_remove(&p->rd_ca, &rec->rd_ca_node, rd_index_hash(rec));
}

/* Replaces 'old' by 'new' in the VSID indexes, which must have the same VSID,
 * CA and MAC, and in the domain index, where 'new' may have another
 * 'rd_id'. */
static void
record_reindex(struct hnv_policy *p, struct hnv_record *old,
               struct hnv_record *new)
{
    cmap_replace(&p->vsid_ca, &old->vsid_ca_node, &new->vsid_ca_node,
                 hash_vsid_ca(new->spec.vsid, &new->spec.ca));
    cmap_replace(&p->vsid_mac, &old->vsid_mac_node, &new->vsid_mac_node,
                 hash_vsid_mac(new->spec.vsid, new->spec.mac));
    if (rd_index_hash(old) == rd_index_hash(new)) {
        cmap_replace(&p->rd_ca, &old->rd_ca_node, &new->rd_ca_node,
                     rd_index_hash(new));
    } else {
        cmap_insert(&p->rd_ca, &new->rd_ca_node, rd_index_hash(new));
        cmap_remove(&p->rd_ca, &old->rd_ca_node, rd_index_hash(old));
    }
}

static void
log_record_conflict(struct hnv_policy *p, const struct hnv_record *a,
                    const struct hnv_record *b, const char *where)
{
    const struct hnv_record *winner = record_wins(a, b) ? a : b;

    p->n_conflicts++;
    COVERAGE_INC(hnv_policy_conflict);
    if (!VLOG_DROP_WARN(&conflict_rl)) {
        struct ds s = DS_EMPTY_INITIALIZER;

        hnv_format_address(&a->spec.ca, &s);
        VLOG_WARN("conflict: lookup records "UUID_FMT" (VSID %"PRIu32") and "
                  UUID_FMT" (VSID %"PRIu32") both claim customer address %s "
                  "in %s; using "UUID_FMT" (lowest row UUID)",
                  UUID_ARGS(&a->uuid), a->spec.vsid,
                  UUID_ARGS(&b->uuid), b->spec.vsid, ds_cstr(&s), where,
                  UUID_ARGS(&winner->uuid));
        ds_destroy(&s);
    }
}

/* Checks whether 'rec', newly indexed in its VSID's indexes and in its
 * routing domain, shares a key with another record, and if so logs and
 * counts the conflict.  'vsid_too' false skips the VSID's own index (when
 * 'rec' merely moved to another domain). */
static void
record_check_conflicts(struct hnv_policy *p, const struct hnv_record *rec,
                       bool vsid_too)
{
    const struct hnv_record *other = NULL;
    bool wildcard = hnv_address_is_wildcard(&rec->spec.ca);

    if (vsid_too) {
        other = find_vsid_ca(p, rec->spec.vsid, &rec->spec.ca,
                             wildcard ? &rec->spec.mac : NULL, rec);
        if (other) {
            log_record_conflict(p, rec, other, "its VSID");
            return;
        }
    }
    if (!wildcard) {
        other = find_rd_ca(p, rec->rd_id, &rec->spec.ca, rec,
                           rec->spec.vsid);
        if (other) {
            struct hnv_vsid *vs = vsid_find(p, rec->spec.vsid);
            char *where = xasprintf("routing domain %s",
                                    vs && vs->rd ? vs->rd->rdid : "?");

            log_record_conflict(p, rec, other, where);
            free(where);
        }
    }
}

/* Removes 'rec' from the policy and frees it after a grace period. */
static void
record_remove(struct hnv_policy *p, struct hnv_record *rec)
{
    struct hnv_vsid *vs = vsid_find(p, rec->spec.vsid);

    gateway_record_remove(p, rec);

    record_unindex(p, rec);
    hmap_remove(&p->records, &rec->uuid_node);
    vsid_remove_record(vs, rec);
    vsid_gc(p, vs);
    ovsrcu_postpone(free, rec);
    p->changed = true;
}

void
hnv_policy_set_record(struct hnv_policy *p, const struct uuid *uuid,
                      const struct hnv_record_spec *spec)
{
    struct hnv_record *old = record_find(p, uuid);
    struct hnv_record *new;
    struct hnv_vsid *vs;

    if (!hnv_vsid_is_valid(spec->vsid)) {
        VLOG_WARN_RL(&invalid_rl, "lookup record "UUID_FMT": VSID %"PRIu32
                     " out of range %d..%d, ignored", UUID_ARGS(uuid),
                     spec->vsid, HNV_VSID_MIN, HNV_VSID_MAX);
        if (old) {
            record_remove(p, old);
        }
        return;
    }
    if (old && record_spec_equals(&old->spec, spec)) {
        return;
    }

    vs = vsid_get(p, spec->vsid);
    new = record_create(uuid, spec, vsid_current_rd_id(vs));
    if (old && record_same_keys(old, new)) {
        /* Only the PA, rule or type changed: swap the copies in place. */
        gateway_record_remove(p, old);
        gateway_record_add(p, new);
        record_reindex(p, old, new);
        hmap_replace(&p->records, &old->uuid_node, &new->uuid_node);
        vsid_replace_record(vs, old, new);
        ovsrcu_postpone(free, old);
    } else {
        /* New, or a changed key: index the new copy, then drop the old
         * one, so that readers never find neither. */
        record_index(p, new);
        hmap_insert(&p->records, &new->uuid_node, uuid_hash(uuid));
        vsid_add_record(vs, new);
        gateway_record_add(p, new);
        if (old) {
            record_remove(p, old);      /* Its key differs from 'new''s. */
        }
        record_check_conflicts(p, new, true);
    }
    p->changed = true;
}

void
hnv_policy_remove_record(struct hnv_policy *p, const struct uuid *uuid)
{
    struct hnv_record *rec = record_find(p, uuid);

    if (rec) {
        record_remove(p, rec);
    }
}

/* Writer side: routing domains and customer routes. */

static struct hnv_rd *
rd_find(const struct hnv_policy *p, const char *rdid)
{
    struct hnv_rd *rd;

    HMAP_FOR_EACH_WITH_HASH (rd, node, hash_string(rdid, 0), &p->rds) {
        if (!strcmp(rd->rdid, rdid)) {
            return rd;
        }
    }
    return NULL;
}

static uint32_t
rd_id_allocate(struct hnv_policy *p)
{
    for (;;) {
        uint32_t id = p->next_rd_id;
        const struct hnv_rd *rd;
        bool used = false;

        if (id == UINT32_MAX) {
            p->next_rd_id = HNV_RD_ID_MIN;
            p->rd_ids_wrapped = true;
        } else {
            p->next_rd_id = id + 1;
        }
        if (!p->rd_ids_wrapped) {
            return id;
        }
        HMAP_FOR_EACH (rd, node, &p->rds) {
            if (rd->rd_id == id) {
                used = true;
                break;
            }
        }
        if (!used) {
            return id;
        }
        /* Only after 4 billion domains have been created does an ID need
         * checking, and even then rarely. */
    }
}

/* Returns the domain for 'rdid' (canonical), taking ownership of it. */
static struct hnv_rd *
rd_get(struct hnv_policy *p, char *rdid)
{
    struct hnv_rd *rd = rd_find(p, rdid);

    if (rd) {
        free(rdid);
    } else {
        rd = xzalloc(sizeof *rd);
        rd->rdid = rdid;
        rd->rd_id = rd_id_allocate(p);
        ovsrcu_init(&rd->table, NULL);
        ovs_list_init(&rd->routes);
        hmap_insert(&p->rds, &rd->node, hash_string(rdid, 0));
    }
    return rd;
}

static struct hnv_route_entry *
route_find(const struct hnv_policy *p, const struct uuid *uuid)
{
    struct hnv_route_entry *e;

    HMAP_FOR_EACH_WITH_HASH (e, node, uuid_hash(uuid), &p->routes) {
        if (uuid_equals(&e->uuid, uuid)) {
            return e;
        }
    }
    return NULL;
}

static bool
route_equals(const struct hnv_route *a, const struct hnv_route *b)
{
    return (ipv6_addr_equals(&a->prefix, &b->prefix)
            && a->plen == b->plen
            && a->vsid == b->vsid
            && ipv6_addr_equals(&a->next_hop, &b->next_hop)
            && a->metric == b->metric);
}

static void
route_remove(struct hnv_policy *p, struct hnv_route_entry *e)
{
    hmap_remove(&p->routes, &e->node);
    ovs_list_remove(&e->rd_node);
    e->rd->n_routes--;
    hmapx_add(&p->dirty_rds, e->rd);
    ovs_list_remove(&e->vsid_node);
    hmapx_add(&p->dirty_vsids, e->vsid);
    free(e);
}

/* Logs and counts a conflict if 'e' names a VSID that routes of another
 * routing domain also name. */
static void
route_check_conflict(struct hnv_policy *p, const struct hnv_route_entry *e)
{
    const struct hnv_route_entry *other;

    LIST_FOR_EACH (other, vsid_node, &e->vsid->routes) {
        if (other->rd != e->rd) {
            const char *winner = (strcmp(e->rd->rdid, other->rd->rdid) < 0
                                  ? e->rd->rdid : other->rd->rdid);

            p->n_conflicts++;
            COVERAGE_INC(hnv_policy_conflict);
            VLOG_WARN_RL(&conflict_rl, "conflict: customer routes "UUID_FMT
                         " (routing domain %s) and "UUID_FMT" (routing "
                         "domain %s) put VSID %"PRIu32" in two routing "
                         "domains; using %s (first RDID)",
                         UUID_ARGS(&e->uuid), e->rd->rdid,
                         UUID_ARGS(&other->uuid), other->rd->rdid,
                         e->vsid->vsid, winner);
            return;
        }
    }
}

static bool
route_is_valid(const struct uuid *uuid, const struct hnv_route *route)
{
    unsigned int max = hnv_address_is_ipv4(&route->prefix) ? 32 : 128;

    if (!hnv_vsid_is_valid(route->vsid) || route->plen > max) {
        VLOG_WARN_RL(&invalid_rl, "customer route "UUID_FMT": invalid VSID "
                     "%"PRIu32" or prefix length %u, ignored",
                     UUID_ARGS(uuid), route->vsid, route->plen);
        return false;
    }
    return true;
}

void
hnv_policy_set_route(struct hnv_policy *p, const struct uuid *uuid,
                     const char *rdid, const struct hnv_route *route)
{
    struct hnv_route_entry *old = route_find(p, uuid);
    struct hnv_route_entry *e;
    char *canonical;
    char *error;

    error = hnv_parse_rdid(rdid, &canonical);
    if (error || !route_is_valid(uuid, route)) {
        if (error) {
            VLOG_WARN_RL(&invalid_rl, "customer route "UUID_FMT": %s, "
                         "ignored", UUID_ARGS(uuid), error);
            free(error);
        } else {
            free(canonical);
        }
        if (old) {
            route_remove(p, old);
        }
        return;
    }

    if (old && !strcmp(old->rd->rdid, canonical)
        && route_equals(&old->route, route)) {
        free(canonical);
        return;
    }
    if (old) {
        route_remove(p, old);
    }

    e = xzalloc(sizeof *e);
    e->uuid = *uuid;
    e->route = *route;
    e->rd = rd_get(p, canonical);
    e->vsid = vsid_get(p, route->vsid);
    hmap_insert(&p->routes, &e->node, uuid_hash(uuid));
    ovs_list_push_back(&e->rd->routes, &e->rd_node);
    e->rd->n_routes++;
    route_check_conflict(p, e);
    ovs_list_push_back(&e->vsid->routes, &e->vsid_node);
    hmapx_add(&p->dirty_rds, e->rd);
    hmapx_add(&p->dirty_vsids, e->vsid);
}

void
hnv_policy_remove_route(struct hnv_policy *p, const struct uuid *uuid)
{
    struct hnv_route_entry *e = route_find(p, uuid);

    if (e) {
        route_remove(p, e);
    }
}

/* Writer side: local provider addresses. */

static int
compare_pa_entries(const void *a_, const void *b_)
{
    const struct hnv_pa_set_entry *a = a_;
    const struct hnv_pa_set_entry *b = b_;
    int cmp = memcmp(&a->pa, &b->pa, sizeof a->pa);

    return cmp ? cmp : (a->plen > b->plen) - (a->plen < b->plen);
}

static bool
pa_sets_equal(const struct hnv_pa_set *a, const struct hnv_pa_set *b)
{
    size_t na = a ? a->n : 0;
    size_t nb = b ? b->n : 0;

    return na == nb && (!na || !memcmp(a->pas, b->pas,
                                       na * sizeof a->pas[0]));
}

/* Publishes the local PAs anew, if they changed. */
static void
pa_set_publish(struct hnv_policy *p)
{
    struct hnv_pa_set *old = ovsrcu_get_protected(struct hnv_pa_set *,
                                                  &p->pa_set);
    size_t n = hmap_count(&p->local_pas);
    struct hnv_pa_set *set;
    struct hnv_local_pa *pa;

    set = xzalloc(sizeof *set + n * sizeof set->pas[0]);
    HMAP_FOR_EACH (pa, node, &p->local_pas) {
        set->pas[set->n].pa = pa->pa;
        set->pas[set->n].plen = pa->plen;
        set->n++;
    }
    qsort(set->pas, set->n, sizeof set->pas[0], compare_pa_entries);

    if (pa_sets_equal(old, set)) {
        free(set);
    } else {
        ovsrcu_set(&p->pa_set, set);
        ovsrcu_postpone(free, old);
        p->changed = true;
    }
}

static struct hnv_local_pa *
local_pa_find(const struct hnv_policy *p, const struct uuid *uuid)
{
    struct hnv_local_pa *pa;

    HMAP_FOR_EACH_WITH_HASH (pa, node, uuid_hash(uuid), &p->local_pas) {
        if (uuid_equals(&pa->uuid, uuid)) {
            return pa;
        }
    }
    return NULL;
}

void
hnv_policy_set_local_pa(struct hnv_policy *p, const struct uuid *uuid,
                        const struct in6_addr *addr, unsigned int plen)
{
    struct hnv_local_pa *pa = local_pa_find(p, uuid);
    unsigned int max = hnv_address_is_ipv4(addr) ? 32 : 128;

    if (!pa) {
        pa = xzalloc(sizeof *pa);
        pa->uuid = *uuid;
        hmap_insert(&p->local_pas, &pa->node, uuid_hash(uuid));
    }
    pa->pa = *addr;
    pa->plen = MIN(plen, max);
    pa_set_publish(p);
}

void
hnv_policy_remove_local_pa(struct hnv_policy *p, const struct uuid *uuid)
{
    struct hnv_local_pa *pa = local_pa_find(p, uuid);

    if (pa) {
        hmap_remove(&p->local_pas, &pa->node);
        free(pa);
        pa_set_publish(p);
    }
}

/* Commit. */

void
hnv_policy_set_commit_hook(struct hnv_policy *p,
                           void (*hook)(const struct hnv_policy *, void *),
                           void *aux)
{
    p->commit_hook = hook;
    p->commit_hook_aux = aux;
}

/* Called after each change that hnv_policy_commit() publishes. */
static void
commit_hook_run(const struct hnv_policy *p)
{
    if (p->commit_hook) {
        p->commit_hook(p, p->commit_hook_aux);
    }
}

/* The routing domain that 'vs' belongs to: among those its routes name, the
 * one whose canonical RDID sorts first. */
static struct hnv_rd *
vsid_choose_rd(const struct hnv_vsid *vs)
{
    const struct hnv_route_entry *e;
    struct hnv_rd *best = NULL;

    LIST_FOR_EACH (e, vsid_node, &vs->routes) {
        if (!best || strcmp(e->rd->rdid, best->rdid) < 0) {
            best = e->rd;
        }
    }
    return best;
}

/* Publishes the domain of 'vs' for readers. */
static void
vsid_publish_rd(struct hnv_policy *p, struct hnv_vsid *vs)
{
    struct hnv_vsid_rd *old = vs->map;
    struct hnv_vsid_rd *new = NULL;
    uint32_t hash = hash_vsid(vs->vsid);

    if (vs->rd) {
        new = xmalloc(sizeof *new);
        new->vsid = vs->vsid;
        new->rd_id = vs->rd->rd_id;
        new->rd = vs->rd;
    }
    if (old && new) {
        cmap_replace(&p->vsid_rds, &old->node, &new->node, hash);
    } else if (new) {
        cmap_insert(&p->vsid_rds, &new->node, hash);
    } else if (old) {
        cmap_remove(&p->vsid_rds, &old->node, hash);
    }
    if (old) {
        ovsrcu_postpone(free, old);
    }
    vs->map = new;
}

/* The first half of moving 'vs' to another routing domain: takes its
 * records out of its domain's index and then its mapping away, so that it
 * is for a moment in a domain of its own whose index does not hold its
 * records.  A VSID with no domain stays there. */
static void
vsid_leave(struct hnv_policy *p, struct hnv_vsid *vs)
{
    for (size_t i = 0; i < vs->n_records; i++) {
        struct hnv_record *rec = vs->records[i];

        cmap_remove(&p->rd_ca, &rec->rd_ca_node, rd_index_hash(rec));
    }
    commit_hook_run(p);
    if (vs->rd) {
        hmapx_add(&p->dirty_rds, vs->rd);
        vs->rd = NULL;
        vsid_publish_rd(p, vs);
        commit_hook_run(p);
    }
    p->changed = true;
}

/* The second half: puts 'vs' into 'rd' (NULL for a domain of its own),
 * then its records, as copies with the new 'rd_id', into that domain's
 * index. */
static void
vsid_enter(struct hnv_policy *p, struct hnv_vsid *vs, struct hnv_rd *rd)
{
    uint32_t rd_id;
    size_t i;

    if (rd) {
        hmapx_add(&p->dirty_rds, rd);
        vs->rd = rd;
        vsid_publish_rd(p, vs);
        commit_hook_run(p);
    }

    rd_id = vsid_current_rd_id(vs);
    for (i = 0; i < vs->n_records; i++) {
        struct hnv_record *old = vs->records[i];
        struct hnv_record *new = record_clone(old, rd_id);

        cmap_replace(&p->vsid_ca, &old->vsid_ca_node, &new->vsid_ca_node,
                     hash_vsid_ca(new->spec.vsid, &new->spec.ca));
        cmap_replace(&p->vsid_mac, &old->vsid_mac_node, &new->vsid_mac_node,
                     hash_vsid_mac(new->spec.vsid, new->spec.mac));
        cmap_insert(&p->rd_ca, &new->rd_ca_node, rd_index_hash(new));
        hmap_replace(&p->records, &old->uuid_node, &new->uuid_node);
        vsid_replace_record(vs, old, new);
        ovsrcu_postpone(free, old);
    }
    commit_hook_run(p);
    for (i = 0; i < vs->n_records; i++) {
        record_check_conflicts(p, vs->records[i], false);
    }
}

/* 'struct hnv_route_table' is opaque here, so ovsrcu_postpone() cannot
 * check the argument's type. */
static void
route_table_destroy_cb(void *table)
{
    hnv_route_table_destroy(table);
}

static bool
tables_equal(const struct hnv_route_table *a, const struct hnv_route_table *b)
{
    size_t n = a ? hnv_route_table_count(a) : 0;

    if (n != (b ? hnv_route_table_count(b) : 0)) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (!route_equals(hnv_route_table_get(a, i),
                          hnv_route_table_get(b, i))) {
            return false;
        }
    }
    return true;
}

/* Rebuilds the route table of 'rd' from those of its routes whose VSID is
 * in 'rd' and is not leaving it (a route toward a VSID that belongs to
 * another domain would leak across domains) and publishes it if it
 * differs. */
static void
rd_rebuild(struct hnv_policy *p, struct hnv_rd *rd)
{
    struct hnv_route_table *old, *new = NULL;
    const struct hnv_route_entry *e;
    struct hnv_route *routes;
    size_t n = 0;

    routes = xmalloc(MAX(rd->n_routes, 1) * sizeof *routes);
    LIST_FOR_EACH (e, rd_node, &rd->routes) {
        if (e->vsid->rd == rd && !e->vsid->leaving) {
            routes[n++] = e->route;
        }
    }
    if (n) {
        new = hnv_route_table_create(routes, n);
    }
    free(routes);

    old = ovsrcu_get_protected(struct hnv_route_table *, &rd->table);
    if (tables_equal(old, new)) {
        hnv_route_table_destroy(new);
    } else {
        ovsrcu_set(&rd->table, new);
        if (old) {
            ovsrcu_postpone__(route_table_destroy_cb, old);
        }
        p->changed = true;
        commit_hook_run(p);
    }
}

/* Readers see every state that a commit publishes on its way, so the
 * commit publishes in an order where each of them is safe.  For the VSIDs
 * that move from a domain OLD to a domain NEW (either may be none: a
 * domain of the VSID's own):
 *
 *   1. Each OLD's route table is rebuilt without the routes to the VSIDs
 *      that leave it, and published while they are still in it: from here
 *      on, no domain routes to a VSID that is leaving it.
 *
 *   2. Each moving VSID leaves OLD (vsid_leave()): its records leave OLD's
 *      index, then its mapping goes, so that it is alone in a domain of
 *      its own with no records indexed.
 *
 *   3. Each moving VSID enters NEW (vsid_enter()): its mapping is
 *      published, then its records join NEW's index.  NEW's table has no
 *      route to it yet: that table was built while the VSID was elsewhere.
 *
 *   4. Each NEW's route table is rebuilt with the routes to the VSIDs that
 *      entered it, and published: only now does NEW route to them.
 *
 * So in every state: a domain's table routes only to VSIDs in that domain
 * (a reader whose route lookup from S returns a route to V would find
 * hnv_policy_same_rd(S, V) true at that moment); hnv_policy_same_rd() is
 * true of two VSIDs only if it is true of them before or after the commit
 * (a VSID is in OLD, alone, or in NEW, and a swap of two VSIDs never shows
 * them together); and a domain's record index holds records only of its
 * VSIDs.  Traffic to, from and within a moving VSID may be dropped during
 * the commit; none crosses a domain.  A reader's route lookup and its
 * same-domain check still see two moments: a reader that checks the one
 * with the other may drop a packet during a move, but never passes one
 * that both the state before and the state after would refuse. */
bool
hnv_policy_commit(struct hnv_policy *p)
{
    struct hmapx moving = HMAPX_INITIALIZER(&moving);
    struct hmapx left = HMAPX_INITIALIZER(&left);
    struct hmapx_node *node;
    bool changed;

    /* Step 1 (see above). */
    HMAPX_FOR_EACH (node, &p->dirty_vsids) {
        struct hnv_vsid *vs = node->data;

        if (vsid_choose_rd(vs) != vs->rd) {
            vs->leaving = true;
            hmapx_add(&moving, vs);
            if (vs->rd) {
                hmapx_add(&left, vs->rd);
            }
        }
    }
    HMAPX_FOR_EACH (node, &left) {
        rd_rebuild(p, node->data);
    }
    hmapx_destroy(&left);

    /* Steps 2 and 3.  A domain left without routes has no VSIDs after
     * this. */
    HMAPX_FOR_EACH (node, &moving) {
        struct hnv_vsid *vs = node->data;

        vs->leaving = false;
        vsid_leave(p, vs);
    }
    HMAPX_FOR_EACH (node, &moving) {
        struct hnv_vsid *vs = node->data;

        vsid_enter(p, vs, vsid_choose_rd(vs));
    }
    hmapx_destroy(&moving);

    HMAPX_FOR_EACH_SAFE (node, &p->dirty_vsids) {
        vsid_gc(p, node->data);
    }
    hmapx_clear(&p->dirty_vsids);

    /* Step 4, and the domains whose routes changed. */
    HMAPX_FOR_EACH (node, &p->dirty_rds) {
        struct hnv_rd *rd = node->data;

        if (rd->n_routes) {
            rd_rebuild(p, rd);
        } else {
            if (ovsrcu_get_protected(struct hnv_route_table *, &rd->table)) {
                p->changed = true;
            }
            hmap_remove(&p->rds, &rd->node);
            ovsrcu_postpone(rd_free, rd);
        }
    }
    hmapx_clear(&p->dirty_rds);

    gateways_commit(p);

    changed = p->changed;
    if (changed) {
        p->n_changes++;
        p->changed = false;
    }
    return changed;
}

/* Statistics and formatting. */

static size_t
count_used_vsids(const struct hnv_policy *p)
{
    const struct hnv_vsid *vs;
    size_t n = 0;

    HMAP_FOR_EACH (vs, node, &p->vsids) {
        n += !vsid_is_unused(vs);
    }
    return n;
}

static size_t
count_used_rds(const struct hnv_policy *p)
{
    const struct hnv_rd *rd;
    size_t n = 0;

    HMAP_FOR_EACH (rd, node, &p->rds) {
        n += rd->n_routes > 0;
    }
    return n;
}

uint64_t
hnv_policy_get_seqno(const struct hnv_policy *p)
{
    return p->n_changes;
}

void
hnv_policy_sweep(struct hnv_policy *p,
                 bool (*exists)(enum hnv_policy_table, const struct uuid *,
                                void *aux),
                 void *aux)
{
    struct hnv_route_entry *route;
    struct hnv_local_pa *pa;
    struct hnv_record *rec;

    HMAP_FOR_EACH_SAFE (rec, uuid_node, &p->records) {
        struct uuid uuid = rec->uuid;

        if (!exists(HNV_POLICY_RECORDS, &uuid, aux)) {
            hnv_policy_remove_record(p, &uuid);
        }
    }
    HMAP_FOR_EACH_SAFE (route, node, &p->routes) {
        struct uuid uuid = route->uuid;

        if (!exists(HNV_POLICY_ROUTES, &uuid, aux)) {
            hnv_policy_remove_route(p, &uuid);
        }
    }
    HMAP_FOR_EACH_SAFE (pa, node, &p->local_pas) {
        struct uuid uuid = pa->uuid;

        if (!exists(HNV_POLICY_LOCAL_PAS, &uuid, aux)) {
            hnv_policy_remove_local_pa(p, &uuid);
        }
    }
}

void
hnv_policy_get_stats(const struct hnv_policy *p, struct hnv_policy_stats *s)
{
    s->n_records = hmap_count(&p->records);
    s->n_routes = hmap_count(&p->routes);
    s->n_routing_domains = count_used_rds(p);
    s->n_vsids = count_used_vsids(p);
    s->n_local_pas = hmap_count(&p->local_pas);
    s->n_conflicts = p->n_conflicts;
    s->n_changes = p->n_changes;
}

static const char *
plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* Orders VSIDs by the RDID of their domain, those without one last, then by
 * VSID. */
static int
compare_vsids_for_format(const void *a_, const void *b_)
{
    const struct hnv_vsid *const *a = a_;
    const struct hnv_vsid *const *b = b_;
    const struct hnv_rd *ra = (*a)->rd;
    const struct hnv_rd *rb = (*b)->rd;

    if (ra != rb) {
        return !ra ? 1 : !rb ? -1 : strcmp(ra->rdid, rb->rdid);
    }
    return (*a)->vsid < (*b)->vsid ? -1 : (*a)->vsid > (*b)->vsid;
}

static int
compare_rds_by_rdid(const void *a_, const void *b_)
{
    const struct hnv_rd *const *a = a_;
    const struct hnv_rd *const *b = b_;

    return strcmp((*a)->rdid, (*b)->rdid);
}

static void
format_vsid(const struct hnv_vsid *vs, const char *indent, struct ds *s)
{
    ds_put_format(s, "%sVSID %"PRIu32": %"PRIuSIZE" %s", indent, vs->vsid,
                  vs->n_records,
                  plural(vs->n_records, "lookup record", "lookup records"));
    if (!vs->rd) {
        ds_put_cstr(s, " (no routing domain)");
    }
    ds_put_char(s, '\n');
}

/* Formats the domains that no committed VSID belongs to yet (or any more):
 * they have routes but no VSIDs. */
static void
format_empty_rds(const struct hnv_policy *p, struct ds *s)
{
    const struct hnv_rd **rds = xmalloc(MAX(hmap_count(&p->rds), 1)
                                        * sizeof *rds);
    const struct hnv_vsid *vs;
    const struct hnv_rd *rd;
    size_t i, n = 0;

    HMAP_FOR_EACH (rd, node, &p->rds) {
        bool has_vsid = false;

        HMAP_FOR_EACH (vs, node, &p->vsids) {
            if (vs->rd == rd) {
                has_vsid = true;
                break;
            }
        }
        if (!has_vsid && rd->n_routes) {
            rds[n++] = rd;
        }
    }
    qsort(rds, n, sizeof *rds, compare_rds_by_rdid);
    for (i = 0; i < n; i++) {
        ds_put_format(s, "routing domain %s: %"PRIuSIZE" %s, no VSIDs "
                      "(not committed)\n", rds[i]->rdid, rds[i]->n_routes,
                      plural(rds[i]->n_routes, "route", "routes"));
    }
    free(rds);
}

void
hnv_policy_format(const struct hnv_policy *p, struct ds *s)
{
    struct hnv_policy_stats st;
    const struct hnv_vsid **vsids;
    const struct hnv_vsid *vs;
    const struct hnv_rd *cur_rd = NULL;
    size_t i, n = 0;

    hnv_policy_get_stats(p, &st);
    ds_put_format(s, "lookup records: %"PRIuSIZE"\n"
                  "customer routes: %"PRIuSIZE"\n"
                  "routing domains: %"PRIuSIZE"\n"
                  "VSIDs: %"PRIuSIZE"\n"
                  "local provider addresses: %"PRIuSIZE"\n"
                  "conflicts: %"PRIu64"\n",
                  st.n_records, st.n_routes, st.n_routing_domains,
                  st.n_vsids, st.n_local_pas, st.n_conflicts);

    vsids = xmalloc(MAX(hmap_count(&p->vsids), 1) * sizeof *vsids);
    HMAP_FOR_EACH (vs, node, &p->vsids) {
        if (!vsid_is_unused(vs)) {
            vsids[n++] = vs;
        }
    }
    qsort(vsids, n, sizeof *vsids, compare_vsids_for_format);
    for (i = 0; i < n; i++) {
        vs = vsids[i];
        if (vs->rd && vs->rd != cur_rd) {
            const struct hnv_route_table *t
                = ovsrcu_get_protected(struct hnv_route_table *,
                                       &vs->rd->table);
            cur_rd = vs->rd;
            ds_put_format(s, "routing domain %s: %"PRIuSIZE" %s "
                          "(%"PRIuSIZE" in use)\n", cur_rd->rdid,
                          cur_rd->n_routes,
                          plural(cur_rd->n_routes, "route", "routes"),
                          t ? hnv_route_table_count(t) : 0);
        }
        format_vsid(vs, vs->rd ? "  " : "", s);
    }
    free(vsids);
    format_empty_rds(p, s);

    if (st.n_local_pas) {
        const struct hnv_pa_set *set
            = ovsrcu_get_protected(struct hnv_pa_set *, &p->pa_set);

        ds_put_cstr(s, "local provider addresses:\n");
        for (i = 0; set && i < set->n; i++) {
            ds_put_cstr(s, "  ");
            hnv_format_prefix(&set->pas[i].pa, set->pas[i].plen, s);
            ds_put_char(s, '\n');
        }
    }
}
