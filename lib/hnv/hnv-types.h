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

#ifndef HNV_TYPES_H
#define HNV_TYPES_H 1

/* HNV value types: parsing, validation and formatting.
 *
 * Everything that reads HNV policy text -- ovs-hnvctl before it writes the
 * database, ovs-vswitchd when it turns database rows into its policy
 * snapshot, the unit tests -- parses it here, so that both sides accept and
 * reject exactly the same input.
 *
 * Addresses of both families are held as 'struct in6_addr', IPv4 as
 * IPv4-mapped IPv6 (::ffff:a.b.c.d), the convention of lib/packets.h.  The
 * family of an address is therefore part of its value: the IPv4 wildcard
 * 0.0.0.0 (::ffff:0.0.0.0) and the IPv6 wildcard :: are different
 * addresses, as HNV's independent IPv4 and IPv6 records require.  Prefix
 * lengths are kept in the address's own family (0..32 for IPv4, 0..128 for
 * IPv6); hnv_prefix_plen6() gives the length in mapped-IPv6 terms.
 *
 * Parse functions return NULL on success or a malloc()'d error message that
 * names the offending text and the rule it breaks, e.g.
 *     "4095: VSID out of range 4096..16777214"
 * The caller frees it.  Nothing is stored in the output on error. */

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>
#include "openvswitch/compiler.h"
#include "openvswitch/types.h"
#include "packets.h"

struct ds;

/* Virtual subnet IDs: 24 bits; 0..4095 and 0xffffff are reserved. */
#define HNV_VSID_MIN 4096
#define HNV_VSID_MAX 16777214

/* The provider address of a gateway record: the distributed default gateway
 * of its VSID, present on every host, never a tunnel destination. */
#define HNV_GATEWAY_PA_STRING "169.254.254.254"

/* Default metric of a customer route whose row has none. */
#define HNV_DEFAULT_ROUTE_METRIC 255

/* Lookup record rule (HNV_Lookup_Record.rule). */
enum hnv_rule {
    HNV_RULE_ENCAP,             /* NVGRE encapsulation (default). */
    HNV_RULE_NAT,               /* IP rewrite, WS2012 TranslationMethodNat. */
    HNV_RULE_NONE,
};

/* Lookup record type (HNV_Lookup_Record.type). */
enum hnv_record_type {
    HNV_TYPE_STATIC,            /* Default. */
    HNV_TYPE_DYNAMIC,
    HNV_TYPE_L2ONLY,            /* Wildcard CA: MAC-only reachability. */
    HNV_TYPE_GATEWAY_WILDCARD,  /* Wildcard CA: an edge gateway VM. */
};

bool hnv_vsid_is_valid(int64_t vsid);
char *hnv_parse_vsid(const char *, uint32_t *vsid) OVS_WARN_UNUSED_RESULT;

/* IPv4 or IPv6 address.  hnv_format_address() writes the canonical form
 * (dotted quad for mapped IPv4, RFC 5952 for IPv6). */
char *hnv_parse_address(const char *, struct in6_addr *)
    OVS_WARN_UNUSED_RESULT;
void hnv_format_address(const struct in6_addr *, struct ds *);
bool hnv_address_is_ipv4(const struct in6_addr *);
bool hnv_address_is_wildcard(const struct in6_addr *); /* 0.0.0.0 or :: */
bool hnv_address_is_gateway_pa(const struct in6_addr *);

/* MAC address in OVS form (10:10:10:10:11:05) or Hyper-V forms
 * (101010101105, 10-10-10-10-11-05), any case.  hnv_format_mac() writes the
 * OVS form, lowercase: the form the database stores. */
char *hnv_parse_mac(const char *, struct eth_addr *) OVS_WARN_UNUSED_RESULT;
void hnv_format_mac(const struct eth_addr, struct ds *);

/* CIDR prefix "ADDR/PLEN".  Host bits must be zero ("10.0.0.1/24" is an
 * error that names the prefix).  '*plen' is in the address's own family. */
char *hnv_parse_prefix(const char *, struct in6_addr *prefix,
                       unsigned int *plen) OVS_WARN_UNUSED_RESULT;
void hnv_format_prefix(const struct in6_addr *prefix, unsigned int plen,
                       struct ds *);
unsigned int hnv_prefix_plen6(const struct in6_addr *prefix,
                              unsigned int plen);

/* Routing domain ID: a GUID, with or without braces, any case.  The
 * canonical form, which the database stores and every comparison uses, is
 * lowercase with braces: "{11111111-2222-3333-4444-000000000000}".
 * On success '*canonical' is set to a malloc()'d canonical string. */
char *hnv_parse_rdid(const char *, char **canonical) OVS_WARN_UNUSED_RESULT;

/* Rule and type names.  Types are accepted with '-' or '_'
 * ("gateway-wildcard"), and the _to_string() form uses '_', as stored. */
bool hnv_rule_from_string(const char *, enum hnv_rule *);
const char *hnv_rule_to_string(enum hnv_rule);
bool hnv_type_from_string(const char *, enum hnv_record_type *);
const char *hnv_type_to_string(enum hnv_record_type);

/* Whether a record with this CA may have this type: a wildcard CA only with
 * l2only or gateway_wildcard, any other CA with static or dynamic.  Returns
 * NULL or an error message naming both. */
char *hnv_check_ca_type(const struct in6_addr *ca, enum hnv_record_type)
    OVS_WARN_UNUSED_RESULT;

/* Validation of provider addresses and lookup records.  ovs-vswitchd leaves
 * out of its policy any row that these reject (vswitchd/bridge-hnv.c), so
 * every writer -- ovs-hnvctl on all its paths, including import -- refuses
 * what they reject, with their message: an invalid value is reported to the
 * operator instead of silently removing a VM from forwarding.  Each returns
 * NULL or an error message "VALUE: RULE" for the caller to free.
 *
 * hnv_check_provider_address(): whether 'pa' can be a host's provider
 * address (HNV_Provider_Address), the source or destination of NVGRE: not
 * the unspecified (wildcard) address, not multicast nor the IPv4 limited
 * broadcast, not loopback (127.0.0.0/8, ::1), not link-local
 * (169.254.0.0/16, fe80::/10).
 *
 * hnv_check_record_pa(): whether 'pa' can be a lookup record's PA: the
 * gateway PA 169.254.254.254, or an address that hnv_check_provider_address()
 * accepts.
 *
 * hnv_check_record_addresses(): whether a lookup record's addresses make
 * sense: a unicast, nonzero MAC, a customer address that is not multicast or
 * broadcast, and hnv_check_record_pa(). */
char *hnv_check_provider_address(const struct in6_addr *pa)
    OVS_WARN_UNUSED_RESULT;
char *hnv_check_record_pa(const struct in6_addr *pa) OVS_WARN_UNUSED_RESULT;
char *hnv_check_record_addresses(const struct in6_addr *ca,
                                 const struct eth_addr mac,
                                 const struct in6_addr *pa)
    OVS_WARN_UNUSED_RESULT;

/* The row UUID of a lookup record, derived from its key: a name-based
 * (version 5, SHA-1) UUID of (VSID, CA) or, for a wildcard CA, which may
 * have several records per VSID, of (VSID, CA, MAC).  ovs-hnvctl inserts
 * records with these UUIDs so that a single-record change can be addressed
 * by _uuid, which ovsdb-server resolves in O(1) (see ovs-hnvctl.c).
 * Nothing depends on them otherwise: records that other tools create with
 * other UUIDs are valid. */
struct uuid;
void hnv_lookup_record_uuid(uint32_t vsid, const struct in6_addr *ca,
                            const struct eth_addr mac, struct uuid *);

/* NVGRE key (RFC 7637): VSID in the upper 24 bits, FlowID in the lower 8. */
static inline uint32_t
hnv_nvgre_key(uint32_t vsid, uint8_t flow_id)
{
    return (vsid << 8) | flow_id;
}

static inline uint32_t
hnv_nvgre_key_vsid(uint32_t key)
{
    return key >> 8;
}

#endif /* hnv-types.h */
