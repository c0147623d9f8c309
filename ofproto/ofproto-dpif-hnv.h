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

#ifndef OFPROTO_DPIF_HNV_H
#define OFPROTO_DPIF_HNV_H 1

/* The HNV stage of an ofproto-dpif bridge: its settings and introspection.
 *
 * ofproto_set_hnv() (ofproto.h) reaches ofproto_dpif_set_hnv() through the
 * ofproto class (patches/0006).  An HNV-enabled bridge keeps a
 * 'struct ofproto_dpif_hnv': the host policy it reads (owned by vswitchd,
 * lib/hnv/hnv-policy.h), the name of its NVGRE tunnel port and its
 * options.  Whenever any of these changes, or the policy's change count
 * moves, the bridge's datapath flows are revalidated, so that existing
 * flows follow the new policy.
 *
 * Unixctl commands (registered by ofproto_dpif_hnv_init()):
 *
 *   hnv/show [BRIDGE]             the policy in use and each bridge's
 *                                 settings
 *   hnv/lookup BRIDGE VSID ADDR   what the policy says about a packet to
 *                                 ADDR from a VM of VSID
 *
 * Everything here runs in the main thread and 'ofproto->hnv' is freed
 * without RCU: the forwarding stage, which runs in handler and revalidator
 * threads, must get these settings through the translation layer's
 * RCU-protected configuration (xlate_ofproto_set()), never through
 * 'ofproto->hnv'. */

#include <stdint.h>

struct ofproto;
struct ofproto_dpif;
struct ofproto_hnv_settings;

void ofproto_dpif_hnv_init(void);
int ofproto_dpif_set_hnv(struct ofproto *,
                         const struct ofproto_hnv_settings *);
void ofproto_dpif_hnv_destroy(struct ofproto_dpif *);

/* Tells every bridge that uses 'policy' that it changed ('seqno' is its new
 * change count): each revalidates its datapath flows. */
struct hnv_policy;
void ofproto_dpif_hnv_policy_changed(const struct hnv_policy *policy,
                                     uint64_t seqno);

#endif /* ofproto-dpif-hnv.h */
