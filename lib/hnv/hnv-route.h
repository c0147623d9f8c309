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

#ifndef HNV_ROUTE_H
#define HNV_ROUTE_H 1

/* Customer route table of one routing domain: longest-prefix match with
 * metrics, IPv4 and IPv6.
 *
 * A table is built once from an array of routes and never changes
 * afterwards, so any number of threads may look it up concurrently without
 * locks; a routing domain whose routes change gets a new table, published
 * through RCU by its owner (see hnv-policy.h).  Building costs O(n log n) in
 * the routes of the one domain, never in the whole policy.
 *
 * Lookup: among the routes whose prefix covers the destination address (of
 * the same family), the longest prefix wins; among routes with that same
 * prefix, the lowest metric; remaining ties go to the lowest VSID, then the
 * lowest next hop, so the choice never depends on insertion order.
 *
 * The table is organised by prefix length: one hash of masked prefixes per
 * length in use, probed from the longest length down, so a lookup costs at
 * most one hash probe per distinct prefix length present.  For datapath
 * flow wildcarding, a lookup also reports how many leading bits of the
 * destination address it examined: a flow that matches those bits makes the
 * same decision. */

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

/* A customer route (HNV_Customer_Route row).  Addresses are IPv4-mapped for
 * IPv4 (see hnv-types.h); 'plen' is in the prefix's own family. */
struct hnv_route {
    struct in6_addr prefix;     /* Host bits zero. */
    unsigned int plen;          /* 0..32 for IPv4, 0..128 for IPv6. */
    uint32_t vsid;              /* Destination virtual subnet. */
    struct in6_addr next_hop;   /* 0.0.0.0 or :: for on-link. */
    uint32_t metric;            /* Lower is preferred. */
};

struct hnv_route_table;

/* Builds a table from 'n' routes (copied).  Routes of both families may be
 * mixed.  Exact duplicates (prefix, plen, vsid, next hop, metric) are
 * harmless. */
struct hnv_route_table *hnv_route_table_create(const struct hnv_route *,
                                               size_t n);
void hnv_route_table_destroy(struct hnv_route_table *);

/* Returns the route that wins for 'dst', or NULL.  If 'plen6_examined' is
 * nonnull, stores the number of leading bits of 'dst' (in IPv6-mapped
 * terms, 0..128) that the lookup depended on, on hits and misses alike. */
const struct hnv_route *hnv_route_table_lookup(
    const struct hnv_route_table *, const struct in6_addr *dst,
    unsigned int *plen6_examined);

/* Number of routes in the table (after dropping exact duplicates). */
size_t hnv_route_table_count(const struct hnv_route_table *);

/* Iteration in a stable order (by family, prefix length descending,
 * prefix, metric): for (i = 0; i < hnv_route_table_count(t); i++)
 * hnv_route_table_get(t, i). */
const struct hnv_route *hnv_route_table_get(const struct hnv_route_table *,
                                            size_t i);

#endif /* hnv-route.h */
