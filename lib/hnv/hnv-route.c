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
#include "hnv/hnv-route.h"

#include <stdlib.h>
#include <string.h>
#include "hash.h"
#include "hnv/hnv-types.h"
#include "openvswitch/hmap.h"
#include "packets.h"
#include "util.h"

/* Implementation notes.
 *
 * The routes are kept in one array, sorted in the iteration order that
 * hnv-route.h documents and extended by VSID and next hop, so that the
 * first route of each (prefix, plen) group is the one that wins among
 * routes with that prefix.  Each address family has a list of the prefix
 * lengths it uses, longest first, each with a hash of masked prefixes that
 * points to the winning route of the prefix.
 *
 * 'plen6_examined': a lookup probes every length of the destination's
 * family, down to the first hit, and a hit at one length depends on every
 * longer length having missed.  So the decision depends exactly on the
 * leading 'max_plen6' bits of the destination, where 'max_plen6' is the
 * longest prefix length (in IPv6-mapped terms) of any route of the
 * destination's family: two addresses of one family that agree on those
 * bits mask to the same value at every length present, so they find the
 * same route (or both none).  This value is returned on hits and misses
 * alike.  A family without routes examines only the family itself: 96 bits
 * (the ::ffff:0:0/96 mapping) for IPv4, 0 for IPv6; likewise an IPv4 result
 * is always at least 96, and subtracting 96 gives the number of bits of the
 * IPv4 address to match.  The guarantee is among addresses of the
 * destination's family: a datapath flow matches the family separately (its
 * Ethernet type), so an IPv6 result below 96 is not widened to exclude
 * IPv4-mapped addresses. */

struct hnv_route_prefix {
    struct hmap_node node;      /* In hnv_route_len's 'prefixes'. */
    const struct hnv_route *route;  /* Winner for this prefix. */
};

struct hnv_route_len {
    unsigned int plen6;         /* Prefix length in IPv6-mapped terms. */
    struct in6_addr mask;       /* ipv6_create_mask(plen6). */
    struct hmap prefixes;       /* Contains "struct hnv_route_prefix"s. */
};

struct hnv_route_family {
    struct hnv_route_len *lens; /* Longest first. */
    size_t n_lens;
    unsigned int max_plen6;     /* What a lookup examines (see above). */
};

struct hnv_route_table {
    struct hnv_route *routes;   /* Sorted, without duplicates. */
    size_t n_routes;
    struct hnv_route_prefix *prefixes;  /* One per distinct prefix. */
    struct hnv_route_family families[2];    /* IPv4, IPv6. */
};

static int
route_family_index(const struct in6_addr *addr)
{
    return hnv_address_is_ipv4(addr) ? 0 : 1;
}

static unsigned int
route_plen6(const struct hnv_route *r)
{
    return hnv_prefix_plen6(&r->prefix, r->plen);
}

static int
compare_u32(uint32_t a, uint32_t b)
{
    return a < b ? -1 : a > b;
}

/* Orders routes by family (IPv4 first), prefix length (longest first),
 * prefix, metric, VSID and next hop. */
static int
compare_routes(const void *a_, const void *b_)
{
    const struct hnv_route *a = a_;
    const struct hnv_route *b = b_;
    int cmp;

    cmp = route_family_index(&a->prefix) - route_family_index(&b->prefix);
    if (!cmp) {
        cmp = compare_u32(b->plen, a->plen);
    }
    if (!cmp) {
        cmp = memcmp(&a->prefix, &b->prefix, sizeof a->prefix);
    }
    if (!cmp) {
        cmp = compare_u32(a->metric, b->metric);
    }
    if (!cmp) {
        cmp = compare_u32(a->vsid, b->vsid);
    }
    if (!cmp) {
        cmp = memcmp(&a->next_hop, &b->next_hop, sizeof a->next_hop);
    }
    return cmp;
}

static bool
same_prefix(const struct hnv_route *a, const struct hnv_route *b)
{
    return a->plen == b->plen && ipv6_addr_equals(&a->prefix, &b->prefix);
}

/* Copies the valid routes among 'routes' into a new array, with host bits
 * cleared, sorted, and without exact duplicates.  A route whose prefix
 * length is out of range for its family is dropped. */
static struct hnv_route *
normalize_routes(const struct hnv_route *routes, size_t n, size_t *n_outp)
{
    struct hnv_route *out = xmalloc(MAX(n, 1) * sizeof *out);
    size_t i, n_out = 0;

    for (i = 0; i < n; i++) {
        struct hnv_route r = routes[i];
        unsigned int max = hnv_address_is_ipv4(&r.prefix) ? 32 : 128;
        struct in6_addr mask;

        if (r.plen > max) {
            continue;
        }
        mask = ipv6_create_mask(route_plen6(&r));
        r.prefix = ipv6_addr_bitand(&r.prefix, &mask);
        out[n_out++] = r;
    }
    qsort(out, n_out, sizeof *out, compare_routes);

    n = n_out;
    n_out = 0;
    for (i = 0; i < n; i++) {
        if (!n_out || compare_routes(&out[n_out - 1], &out[i])) {
            out[n_out++] = out[i];
        }
    }
    *n_outp = n_out;
    return out;
}

static uint32_t
hash_prefix(const struct in6_addr *prefix)
{
    return hash_bytes(prefix, sizeof *prefix, 0);
}

/* Adds to 'fam' the prefix length of 'route', which must be no longer than
 * any length already there. */
static struct hnv_route_len *
family_add_len(struct hnv_route_family *fam, const struct hnv_route *route)
{
    unsigned int plen6 = route_plen6(route);
    struct hnv_route_len *len;

    if (fam->n_lens && fam->lens[fam->n_lens - 1].plen6 == plen6) {
        return &fam->lens[fam->n_lens - 1];
    }
    len = &fam->lens[fam->n_lens++];
    len->plen6 = plen6;
    len->mask = ipv6_create_mask(plen6);
    hmap_init(&len->prefixes);
    return len;
}

/* Returns the number of distinct prefix lengths among the routes of 't' in
 * family 'family_index'. */
static size_t
count_lens(const struct hnv_route_table *t, int family_index)
{
    size_t i, n = 0;

    for (i = 0; i < t->n_routes; i++) {
        const struct hnv_route *r = &t->routes[i];

        if (route_family_index(&r->prefix) == family_index
            && (!i || route_family_index(&t->routes[i - 1].prefix)
                      != family_index
                || t->routes[i - 1].plen != r->plen)) {
            n++;
        }
    }
    return n;
}

struct hnv_route_table *
hnv_route_table_create(const struct hnv_route *routes, size_t n)
{
    struct hnv_route_table *t = xzalloc(sizeof *t);
    size_t i, n_prefixes = 0;

    t->routes = normalize_routes(routes, n, &t->n_routes);
    t->prefixes = xmalloc(MAX(t->n_routes, 1) * sizeof *t->prefixes);
    for (i = 0; i < 2; i++) {
        struct hnv_route_family *fam = &t->families[i];

        fam->lens = xmalloc(MAX(count_lens(t, i), 1) * sizeof *fam->lens);
        fam->max_plen6 = i == 0 ? 96 : 0;
    }

    for (i = 0; i < t->n_routes; i++) {
        const struct hnv_route *r = &t->routes[i];
        struct hnv_route_family *fam
            = &t->families[route_family_index(&r->prefix)];
        struct hnv_route_prefix *p;
        struct hnv_route_len *len;

        if (i && same_prefix(&t->routes[i - 1], r)) {
            /* Sorted order puts the winner of each prefix first. */
            continue;
        }
        len = family_add_len(fam, r);
        fam->max_plen6 = MAX(fam->max_plen6, len->plen6);

        p = &t->prefixes[n_prefixes++];
        p->route = r;
        hmap_insert(&len->prefixes, &p->node, hash_prefix(&r->prefix));
    }
    return t;
}

void
hnv_route_table_destroy(struct hnv_route_table *t)
{
    if (t) {
        for (int i = 0; i < 2; i++) {
            struct hnv_route_family *fam = &t->families[i];

            for (size_t j = 0; j < fam->n_lens; j++) {
                hmap_destroy(&fam->lens[j].prefixes);
            }
            free(fam->lens);
        }
        free(t->prefixes);
        free(t->routes);
        free(t);
    }
}

/* Returns the winning route for 'dst' among those of length 'len', or
 * NULL. */
static const struct hnv_route *
len_lookup(const struct hnv_route_len *len, const struct in6_addr *dst)
{
    struct in6_addr masked = ipv6_addr_bitand(dst, &len->mask);
    const struct hnv_route_prefix *p;

    HMAP_FOR_EACH_WITH_HASH (p, node, hash_prefix(&masked), &len->prefixes) {
        if (ipv6_addr_equals(&p->route->prefix, &masked)) {
            return p->route;
        }
    }
    return NULL;
}

const struct hnv_route *
hnv_route_table_lookup(const struct hnv_route_table *t,
                       const struct in6_addr *dst,
                       unsigned int *plen6_examined)
{
    const struct hnv_route_family *fam
        = &t->families[route_family_index(dst)];
    size_t i;

    if (plen6_examined) {
        *plen6_examined = fam->max_plen6;
    }
    for (i = 0; i < fam->n_lens; i++) {
        const struct hnv_route *r = len_lookup(&fam->lens[i], dst);
        if (r) {
            return r;
        }
    }
    return NULL;
}

size_t
hnv_route_table_count(const struct hnv_route_table *t)
{
    return t->n_routes;
}

const struct hnv_route *
hnv_route_table_get(const struct hnv_route_table *t, size_t i)
{
    return i < t->n_routes ? &t->routes[i] : NULL;
}
