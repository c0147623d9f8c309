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
#include "hnv/hnv-l2.h"

#include <stdlib.h>
#include "cmap.h"
#include "hash.h"
#include "ovs-rcu.h"
#include "ovs-thread.h"
#include "seq.h"
#include "util.h"

/* One learned MAC.  Immutable once in the cmap: a move replaces it. */
struct l2_node {
    struct cmap_node cmap_node;         /* In 'hnv_l2->entries'. */
    struct hnv_l2_entry e;
};

struct hnv_l2 {
    struct cmap entries;                /* Contains "struct l2_node"s. */
    struct ovs_mutex mutex;             /* Serialises writers. */
    struct seq *seq;                    /* Changes with the table. */
};

static uint32_t
l2_hash(uint32_t vsid, struct eth_addr mac)
{
    return hash_mac(mac, 0, hash_int(vsid, 0));
}

static struct l2_node *
l2_find(const struct hnv_l2 *l2, uint32_t vsid, struct eth_addr mac)
{
    struct l2_node *node;

    CMAP_FOR_EACH_WITH_HASH (node, cmap_node, l2_hash(vsid, mac),
                             &l2->entries) {
        if (node->e.vsid == vsid && eth_addr_equals(node->e.mac, mac)) {
            return node;
        }
    }
    return NULL;
}

struct hnv_l2 *
hnv_l2_create(void)
{
    struct hnv_l2 *l2 = xmalloc(sizeof *l2);

    cmap_init(&l2->entries);
    ovs_mutex_init(&l2->mutex);
    l2->seq = seq_create();
    return l2;
}

static void
hnv_l2_free(struct hnv_l2 *l2)
{
    if (l2) {
        struct l2_node *node;

        CMAP_FOR_EACH (node, cmap_node, &l2->entries) {
            free(node);
        }
        cmap_destroy(&l2->entries);
        ovs_mutex_destroy(&l2->mutex);
        seq_destroy(l2->seq);
        free(l2);
    }
}

/* Frees 'l2' after an RCU grace period: threads that are looking into it
 * may go on until their next quiescent state. */
void
hnv_l2_destroy(struct hnv_l2 *l2)
{
    if (l2) {
        ovsrcu_postpone(hnv_l2_free, l2);
    }
}

ofp_port_t
hnv_l2_lookup(const struct hnv_l2 *l2, uint32_t vsid, struct eth_addr mac)
{
    const struct l2_node *node = l2_find(l2, vsid, mac);

    return node ? node->e.port : OFPP_NONE;
}

bool
hnv_l2_learn(struct hnv_l2 *l2, uint32_t vsid, struct eth_addr mac,
             ofp_port_t port)
{
    struct l2_node *old = l2_find(l2, vsid, mac);

    if (old && old->e.port == port) {
        return false;           /* The common case, without the lock. */
    }

    ovs_mutex_lock(&l2->mutex);
    old = l2_find(l2, vsid, mac);
    bool changed = !old || old->e.port != port;
    if (changed) {
        struct l2_node *node = xmalloc(sizeof *node);

        node->e.vsid = vsid;
        node->e.mac = mac;
        node->e.port = port;
        if (old) {
            cmap_replace(&l2->entries, &old->cmap_node, &node->cmap_node,
                         l2_hash(vsid, mac));
            ovsrcu_postpone(free, old);
        } else {
            cmap_insert(&l2->entries, &node->cmap_node, l2_hash(vsid, mac));
        }
        seq_change(l2->seq);
    }
    ovs_mutex_unlock(&l2->mutex);
    return changed;
}

void
hnv_l2_flush_port(struct hnv_l2 *l2, ofp_port_t port)
{
    struct l2_node *node;
    bool changed = false;

    ovs_mutex_lock(&l2->mutex);
    CMAP_FOR_EACH (node, cmap_node, &l2->entries) {
        if (node->e.port == port) {
            cmap_remove(&l2->entries, &node->cmap_node,
                        l2_hash(node->e.vsid, node->e.mac));
            ovsrcu_postpone(free, node);
            changed = true;
        }
    }
    if (changed) {
        seq_change(l2->seq);
    }
    ovs_mutex_unlock(&l2->mutex);
}

struct seq *
hnv_l2_seq(const struct hnv_l2 *l2)
{
    return l2->seq;
}

size_t
hnv_l2_count(const struct hnv_l2 *l2)
{
    return cmap_count(&l2->entries);
}

static int
compare_entries(const void *a_, const void *b_)
{
    const struct hnv_l2_entry *a = a_, *b = b_;

    if (a->vsid != b->vsid) {
        return a->vsid < b->vsid ? -1 : 1;
    }
    return memcmp(a->mac.ea, b->mac.ea, sizeof a->mac.ea);
}

struct hnv_l2_entry *
hnv_l2_dump(const struct hnv_l2 *l2, size_t *n)
{
    size_t allocated = cmap_count(&l2->entries);
    struct hnv_l2_entry *entries = xmalloc((allocated + 1) * sizeof *entries);
    const struct l2_node *node;

    *n = 0;
    CMAP_FOR_EACH (node, cmap_node, &l2->entries) {
        if (*n >= allocated) {
            allocated = 2 * allocated + 1;
            entries = xrealloc(entries, (allocated + 1) * sizeof *entries);
        }
        entries[(*n)++] = node->e;
    }
    qsort(entries, *n, sizeof *entries, compare_entries);
    return entries;
}
