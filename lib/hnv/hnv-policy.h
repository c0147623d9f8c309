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

#ifndef HNV_POLICY_H
#define HNV_POLICY_H 1

/* The HNV policy of a host: lookup records, customer routes and local
 * provider addresses, indexed for the forwarding stage.
 *
 * Model
 * =====
 *
 * Records and routes are host-wide, as in Hyper-V: ovs-vswitchd keeps one
 * 'struct hnv_policy' built from the HNV_* tables of its database, and every
 * HNV-enabled bridge reads it.  Entries are identified by the UUID of the
 * database row they come from.
 *
 *   - Lookup records, indexed by (VSID, CA), (VSID, MAC) and (routing
 *     domain, CA).  A record is immutable: changing one replaces it with a
 *     new copy.
 *
 *   - Routing domains, one per RDID named by a customer route.  Each holds
 *     an immutable longest-prefix-match table of its routes (hnv-route.h),
 *     replaced as a whole when one of its routes changes.  A VSID belongs to
 *     the routing domain its customer routes name; a VSID with no route
 *     forms a domain of its own, with no routes.
 *
 *   - Local provider addresses (HNV_Provider_Address): a record whose PA is
 *     one of them lives on this host.
 *
 *
 * Conflicts
 * =========
 *
 * The database can hold what ovs-hnvctl refuses to write: two records for
 * one CA in one routing domain, a VSID named by routes of two routing
 * domains.  The policy never fails on them.  It chooses deterministically --
 * among records for the same key, the one whose row UUID is lowest; for a
 * VSID in several domains, the domain whose canonical RDID sorts first --
 * logs a rate-limited warning naming both rows, and counts the conflict
 * (hnv_policy_get_stats()).  Removing the winner makes the next one win.
 *
 *
 * Thread safety
 * =============
 *
 * One writer, many readers.  The writer is the thread that owns the policy
 * (ovs-vswitchd's main thread): it alone calls the hnv_policy_set_*(),
 * _remove_*() and _commit() functions.  Readers (handler and revalidator
 * threads translating packets, unixctl commands) call the lookup functions
 * at any time without locks, inside an RCU read-side section (any OVS
 * thread between quiescent states): the indexes are cmaps, a replaced
 * record or route table is freed only after an RCU grace period, and a
 * reader sees every record either wholly before or wholly after a change.
 * Pointers returned by lookups are valid until the reader's next quiescent
 * state.
 *
 * Changes become visible to readers as they are applied; hnv_policy_commit()
 * finishes a batch (publishes rebuilt route tables, re-homes VSIDs whose
 * routing domain changed) and says whether the batch changed anything that
 * forwarding reads, so the caller knows when to revalidate datapath flows.
 * It publishes in an order where no intermediate state routes into another
 * domain: a domain stops routing to a VSID before the VSID leaves it, and
 * starts only after the VSID has entered it (hnv-policy.c says how).
 *
 *
 * Cost
 * ====
 *
 * Setting or removing a record is O(1) (amortised); a route change costs
 * O(routes of its domain) at commit; moving a VSID to another routing domain
 * costs O(records of that VSID).  Nothing on a change path costs O(whole
 * policy); only creation, destruction, hnv_policy_sweep() and formatting
 * do.  Memory is about 190 bytes per record (ovstest test-hnv bench). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include "cmap.h"
#include "hnv/hnv-route.h"
#include "hnv/hnv-types.h"
#include "openvswitch/hmap.h"
#include "openvswitch/types.h"
#include "openvswitch/uuid.h"
#include "packets.h"

struct ds;

/* What a lookup record says (HNV_Lookup_Record row, parsed). */
struct hnv_record_spec {
    uint32_t vsid;
    struct in6_addr ca;         /* 0.0.0.0 or :: for wildcard records. */
    struct eth_addr mac;
    struct in6_addr pa;
    enum hnv_rule rule;
    enum hnv_record_type type;
};

/* A lookup record as the policy holds it.  Readers see it through const
 * pointers only; the members below 'spec' are for the implementation. */
struct hnv_record {
    struct hnv_record_spec spec;
    bool pa_is_gateway;         /* PA is 169.254.254.254. */
    /* Implementation: indexes and identity.  The members are ordered so that
     * the structure has no padding beyond the end of 'spec' (120 bytes on
     * 64-bit hosts, one 128-byte malloc() block). */
    uint32_t rd_id;             /* Routing domain it is indexed under. */
    struct uuid uuid;           /* Database row. */
    uint32_t vsid_slot;         /* Writer only: index in its VSID's array. */
    struct cmap_node vsid_ca_node;
    struct cmap_node vsid_mac_node;
    struct cmap_node rd_ca_node;    /* By CA; a wildcard record by PA. */
    struct hmap_node uuid_node;     /* Writer only: by 'uuid'. */
};

/* Counters, for "ovs-appctl hnv/show" and the tests. */
struct hnv_policy_stats {
    size_t n_records;
    size_t n_routes;
    size_t n_routing_domains;   /* With at least one route. */
    size_t n_vsids;             /* With at least one record or route. */
    size_t n_local_pas;
    uint64_t n_conflicts;       /* Conflicts seen since creation. */
    uint64_t n_changes;         /* Commits that changed something. */
};

struct hnv_policy *hnv_policy_create(void);
void hnv_policy_destroy(struct hnv_policy *);

/* Writer side.  Each function takes effect at once for readers; see
 * hnv_policy_commit(). */
void hnv_policy_set_record(struct hnv_policy *, const struct uuid *,
                           const struct hnv_record_spec *);
void hnv_policy_remove_record(struct hnv_policy *, const struct uuid *);

void hnv_policy_set_route(struct hnv_policy *, const struct uuid *,
                          const char *rdid, const struct hnv_route *);
void hnv_policy_remove_route(struct hnv_policy *, const struct uuid *);

void hnv_policy_set_local_pa(struct hnv_policy *, const struct uuid *,
                             const struct in6_addr *pa, unsigned int plen);
void hnv_policy_remove_local_pa(struct hnv_policy *, const struct uuid *);

/* Finishes a batch of changes.  Returns true if the batch changed anything
 * a lookup can observe (so datapath flows must be revalidated). */
bool hnv_policy_commit(struct hnv_policy *);

/* For tests: calls 'hook' (NULL: none) in the writer's thread each time
 * hnv_policy_commit() has published a change that readers can see in the
 * middle of a commit (a rebuilt route table, a VSID's new routing domain),
 * so that a test can check that every intermediate state is safe. */
void hnv_policy_set_commit_hook(struct hnv_policy *,
                                void (*hook)(const struct hnv_policy *,
                                             void *aux),
                                void *aux);

/* A number that changes whenever a commit changes anything a lookup can
 * observe.  O(1). */
uint64_t hnv_policy_get_seqno(const struct hnv_policy *);

/* Removes every record, route and local PA whose database row 'exists'
 * says is gone.  For a writer that may have missed deletions (an IDL that
 * resynchronised after reconnecting to its database).  O(policy). */
enum hnv_policy_table {
    HNV_POLICY_RECORDS,
    HNV_POLICY_ROUTES,
    HNV_POLICY_LOCAL_PAS,
};
void hnv_policy_sweep(struct hnv_policy *,
                      bool (*exists)(enum hnv_policy_table,
                                     const struct uuid *, void *aux),
                      void *aux);

/* Reader side. */

/* The record for (vsid, ca), or NULL.  With 'mac' nonnull, only a record
 * with that MAC (for wildcard CAs, where one VSID can hold several). */
const struct hnv_record *hnv_policy_lookup(const struct hnv_policy *,
                                           uint32_t vsid,
                                           const struct in6_addr *ca,
                                           const struct eth_addr *mac);

/* Whether 'vsid' has a record for 'ca', visible or not: a record is
 * invisible to the other lookups while it loses a conflict, and for a
 * moment while a commit moves its VSID to another routing domain.  For
 * source validation, which must never take such an address for an outside
 * one. */
bool hnv_policy_vsid_has_ca(const struct hnv_policy *, uint32_t vsid,
                            const struct in6_addr *ca);

/* A record of 'vsid' with 'mac', or NULL.  With 'family' AF_INET or AF_INET6
 * only records whose CA is of that family; with 0, any. */
const struct hnv_record *hnv_policy_lookup_mac(const struct hnv_policy *,
                                               uint32_t vsid,
                                               const struct eth_addr mac,
                                               int family);

/* The record for 'ca' anywhere in the routing domain of 'vsid' (the VSID's
 * own records when it has no routing domain), or NULL. */
const struct hnv_record *hnv_policy_lookup_in_rd(const struct hnv_policy *,
                                                 uint32_t vsid,
                                                 const struct in6_addr *ca);

/* A wildcard record (an edge gateway: any type but l2only) of the routing
 * domain of 'vsid' whose PA is 'pa' and whose CA is of 'family' (AF_INET,
 * AF_INET6, or 0 for any), or NULL.  For NVGRE validation of routed traffic from outside addresses,
 * whose source MAC is no longer the gateway VM's. */
const struct hnv_record *hnv_policy_wildcard_at_pa(const struct hnv_policy *,
                                                   uint32_t vsid,
                                                   const struct in6_addr *pa,
                                                   int family);

/* The default gateway of 'vsid' for 'family' (AF_INET or AF_INET6): the
 * MAC and customer address of its gateway record (PA 169.254.254.254, not a
 * wildcard CA; the one with the lowest row UUID if there are several).
 * Returns false if the VSID has none.  Routed packets leave with the
 * destination VSID's gateway MAC as their source.  Updated at commit. */
bool hnv_policy_gateway(const struct hnv_policy *, uint32_t vsid, int family,
                        struct eth_addr *mac, struct in6_addr *ca);

/* The canonical RDID of the routing domain of 'vsid', or NULL if the VSID
 * has none. */
const char *hnv_policy_vsid_rdid(const struct hnv_policy *, uint32_t vsid);

/* Whether VSIDs 'a' and 'b' are in the same routing domain (a VSID is
 * always in the same domain as itself). */
bool hnv_policy_same_rd(const struct hnv_policy *, uint32_t a, uint32_t b);

/* Longest-prefix match for 'dst' among the customer routes of the routing
 * domain of 'vsid'.  See hnv_route_table_lookup() for 'plen6_examined'. */
const struct hnv_route *hnv_policy_route_lookup(const struct hnv_policy *,
                                                uint32_t vsid,
                                                const struct in6_addr *dst,
                                                unsigned int *plen6_examined);

/* Whether 'pa' is one of this host's provider addresses. */
bool hnv_policy_pa_is_local(const struct hnv_policy *,
                            const struct in6_addr *pa);

/* A local provider address of the same family as 'remote_pa', to use as the
 * outer source toward it: the one whose prefix covers 'remote_pa' if any,
 * otherwise the lowest.  Returns false if the host has none of that
 * family. */
bool hnv_policy_local_pa_for(const struct hnv_policy *,
                             const struct in6_addr *remote_pa,
                             struct in6_addr *local_pa);

/* Writer thread only: these read the writer's bookkeeping.  Statistics
 * cost O(VSIDs + routing domains); formatting O(policy). */
void hnv_policy_get_stats(const struct hnv_policy *,
                          struct hnv_policy_stats *);

/* Appends to 'ds' a human-readable summary: totals, then per routing domain
 * its VSIDs and route count, per VSID its record count, the local PAs and
 * the conflict count ("ovs-appctl hnv/show"). */
void hnv_policy_format(const struct hnv_policy *, struct ds *);

#endif /* hnv-policy.h */
