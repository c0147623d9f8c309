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
#include "hnv/hnv-types.h"

#include <ctype.h>
#include <string.h>
#include "openvswitch/dynamic-string.h"
#include "sha1.h"
#include "util.h"
#include "uuid.h"

/* The GUID that error messages give as an example. */
#define HNV_RDID_EXAMPLE "{11111111-2222-3333-4444-000000000000}"

bool
hnv_vsid_is_valid(int64_t vsid)
{
    return vsid >= HNV_VSID_MIN && vsid <= HNV_VSID_MAX;
}

/* Parses 's' as a VSID: a plain decimal integer (digits only: no sign, no
 * hex, no surrounding blanks) in HNV_VSID_MIN..HNV_VSID_MAX. */
char *
hnv_parse_vsid(const char *s, uint32_t *vsid)
{
    uint64_t value = 0;
    const char *p;

    if (!*s) {
        return xstrdup("empty VSID (expected a decimal integer "
                       "4096..16777214)");
    }
    for (p = s; *p; p++) {
        if (!isdigit((unsigned char) *p)) {
            return xasprintf("%s: invalid VSID (expected a decimal integer "
                             "4096..16777214)", s);
        }
        if (value <= HNV_VSID_MAX) {
            value = value * 10 + (*p - '0');
        }
    }
    if (!hnv_vsid_is_valid(value)) {
        return xasprintf("%s: VSID out of range %d..%d",
                         s, HNV_VSID_MIN, HNV_VSID_MAX);
    }
    *vsid = value;
    return NULL;
}

/* Parses 's' as an IPv4 or IPv6 address.  IPv6 text that denotes an
 * IPv4-mapped address ("::ffff:10.0.0.1") is refused: it would silently
 * become the IPv4 address, whose records are a different family. */
char *
hnv_parse_address(const char *s, struct in6_addr *addr)
{
    struct in6_addr ip6;
    ovs_be32 ip4;

    if (ip_parse(s, &ip4)) {
        *addr = in6_addr_mapped_ipv4(ip4);
        return NULL;
    } else if (ipv6_parse(s, &ip6)) {
        if (IN6_IS_ADDR_V4MAPPED(&ip6)) {
            return xasprintf("%s: IPv4-mapped IPv6 address (write the IPv4 "
                             "address in dotted-quad form)", s);
        }
        *addr = ip6;
        return NULL;
    }
    return xasprintf("%s: invalid IP address", s);
}

void
hnv_format_address(const struct in6_addr *addr, struct ds *ds)
{
    ipv6_format_mapped(addr, ds);
}

bool
hnv_address_is_ipv4(const struct in6_addr *addr)
{
    return IN6_IS_ADDR_V4MAPPED(addr);
}

bool
hnv_address_is_wildcard(const struct in6_addr *addr)
{
    return (ipv6_addr_equals(addr, &in6addr_any)
            || (hnv_address_is_ipv4(addr)
                && !in6_addr_get_mapped_ipv4(addr)));
}

bool
hnv_address_is_gateway_pa(const struct in6_addr *addr)
{
    return (hnv_address_is_ipv4(addr)
            && in6_addr_get_mapped_ipv4(addr) == htonl(0xa9fefefe));
}

static int
hex_digit_value(int c)
{
    return (c >= '0' && c <= '9' ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
            : -1);
}

/* Parses exactly 'n' hex digits at 's' into '*value'.  Returns false if any
 * of them is not a hex digit. */
static bool
parse_hex_digits(const char *s, size_t n, uint8_t *value)
{
    size_t i;

    *value = 0;
    for (i = 0; i < n; i++) {
        int d = hex_digit_value(s[i]);
        if (d < 0) {
            return false;
        }
        *value = (*value << 4) | d;
    }
    return true;
}

/* Parses the 12-hex-digit Hyper-V form ("101010101105"). */
static bool
parse_mac_bare(const char *s, struct eth_addr *mac)
{
    int i;

    if (strlen(s) != 12) {
        return false;
    }
    for (i = 0; i < ETH_ADDR_LEN; i++) {
        if (!parse_hex_digits(&s[2 * i], 2, &mac->ea[i])) {
            return false;
        }
    }
    return true;
}

/* Parses six groups of one or two hex digits separated by 'sep' (':' in the
 * OVS form, '-' in the Hyper-V form). */
static bool
parse_mac_separated(const char *s, char sep, struct eth_addr *mac)
{
    int i;

    for (i = 0; i < ETH_ADDR_LEN; i++) {
        size_t n = strspn(s, "0123456789abcdefABCDEF");

        if (n < 1 || n > 2 || !parse_hex_digits(s, n, &mac->ea[i])) {
            return false;
        }
        s += n;
        if (i < ETH_ADDR_LEN - 1) {
            if (*s++ != sep) {
                return false;
            }
        }
    }
    return !*s;
}

char *
hnv_parse_mac(const char *s, struct eth_addr *mac)
{
    struct eth_addr ea;

    if (parse_mac_bare(s, &ea)
        || parse_mac_separated(s, ':', &ea)
        || parse_mac_separated(s, '-', &ea)) {
        *mac = ea;
        return NULL;
    }
    return xasprintf("%s: invalid MAC address (use 10:10:10:10:11:05, "
                     "101010101105 or 10-10-10-10-11-05)", s);
}

void
hnv_format_mac(const struct eth_addr mac, struct ds *ds)
{
    ds_put_format(ds, ETH_ADDR_FMT, ETH_ADDR_ARGS(mac));
}

/* Parses a prefix length: decimal digits only, at most 'max'. */
static bool
parse_plen(const char *s, unsigned int max, unsigned int *plen)
{
    unsigned int value = 0;

    if (!*s || strlen(s) > 3 || strspn(s, "0123456789") != strlen(s)) {
        return false;
    }
    for (; *s; s++) {
        value = value * 10 + (*s - '0');
    }
    *plen = value;
    return value <= max;
}

char *
hnv_parse_prefix(const char *s, struct in6_addr *prefix, unsigned int *plen)
{
    const char *slash = strchr(s, '/');
    struct in6_addr addr, mask, masked;
    unsigned int max, len;
    char *error;
    char *text;

    if (!slash) {
        return xasprintf("%s: missing prefix length (expected ADDRESS/PLEN, "
                         "e.g. 10.0.0.0/24)", s);
    }

    text = xmemdup0(s, slash - s);
    error = hnv_parse_address(text, &addr);
    free(text);
    if (error) {
        free(error);
        return xasprintf("%s: invalid IP address in prefix", s);
    }

    max = hnv_address_is_ipv4(&addr) ? 32 : 128;
    if (!parse_plen(slash + 1, max, &len)) {
        return xasprintf("%s: invalid prefix length (expected 0..%u)",
                         s, max);
    }

    mask = ipv6_create_mask(hnv_prefix_plen6(&addr, len));
    masked = ipv6_addr_bitand(&addr, &mask);
    if (!ipv6_addr_equals(&addr, &masked)) {
        return xasprintf("%s: host bits set in prefix", s);
    }

    *prefix = addr;
    *plen = len;
    return NULL;
}

void
hnv_format_prefix(const struct in6_addr *prefix, unsigned int plen,
                  struct ds *ds)
{
    hnv_format_address(prefix, ds);
    ds_put_format(ds, "/%u", plen);
}

unsigned int
hnv_prefix_plen6(const struct in6_addr *prefix, unsigned int plen)
{
    return hnv_address_is_ipv4(prefix) ? plen + 96 : plen;
}

/* Whether 's' is exactly a GUID without braces: 8-4-4-4-12 hex digits. */
static bool
is_bare_guid(const char *s, size_t len)
{
    static const char pattern[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
    size_t i;

    if (len != strlen(pattern)) {
        return false;
    }
    for (i = 0; i < len; i++) {
        if (pattern[i] == '-'
            ? s[i] != '-'
            : hex_digit_value((unsigned char) s[i]) < 0) {
            return false;
        }
    }
    return true;
}

char *
hnv_parse_rdid(const char *s, char **canonical)
{
    size_t len = strlen(s);
    const char *guid = s;
    size_t i;

    if (len >= 2 && s[0] == '{' && s[len - 1] == '}') {
        guid = s + 1;
        len -= 2;
    }
    if (!is_bare_guid(guid, len)) {
        return xasprintf("%s: invalid routing domain ID (expected a GUID "
                         "such as "HNV_RDID_EXAMPLE")", s);
    }

    *canonical = xmalloc(len + 3);
    (*canonical)[0] = '{';
    for (i = 0; i < len; i++) {
        (*canonical)[i + 1] = tolower((unsigned char) guid[i]);
    }
    (*canonical)[len + 1] = '}';
    (*canonical)[len + 2] = '\0';
    return NULL;
}

/* Compares a name as the user wrote it with 'name' as stored: case is
 * ignored, and so is a '-' or '_' in the user's text where 'name' has '_'
 * (so "gateway-wildcard", "GatewayWildcard" and "L2Only" are accepted, the
 * latter two as Hyper-V writes them). */
static bool
name_matches(const char *s, const char *name)
{
    for (;;) {
        if (*name == '_') {
            name++;
            if (*s == '-' || *s == '_') {
                s++;
            }
        }
        if (!*s || !*name) {
            return !*s && !*name;
        }
        if (tolower((unsigned char) *s) != *name) {
            return false;
        }
        s++;
        name++;
    }
}

static const char *const rule_names[] = {
    [HNV_RULE_ENCAP] = "encap",
    [HNV_RULE_NAT] = "nat",
    [HNV_RULE_NONE] = "none",
};

static const char *const type_names[] = {
    [HNV_TYPE_STATIC] = "static",
    [HNV_TYPE_DYNAMIC] = "dynamic",
    [HNV_TYPE_L2ONLY] = "l2only",
    [HNV_TYPE_GATEWAY_WILDCARD] = "gateway_wildcard",
};

/* Accepts the stored names in any case, and Hyper-V's
 * "TranslationMethodEncap" style names. */
bool
hnv_rule_from_string(const char *s, enum hnv_rule *rule)
{
    static const char hyperv_prefix[] = "translationmethod";
    size_t n = strlen(hyperv_prefix);
    int i;

    if (!strncasecmp(s, hyperv_prefix, n)) {
        s += n;
    }
    for (i = 0; i < ARRAY_SIZE(rule_names); i++) {
        if (name_matches(s, rule_names[i])) {
            *rule = i;
            return true;
        }
    }
    return false;
}

const char *
hnv_rule_to_string(enum hnv_rule rule)
{
    return rule < ARRAY_SIZE(rule_names) ? rule_names[rule] : "<invalid>";
}

bool
hnv_type_from_string(const char *s, enum hnv_record_type *type)
{
    int i;

    for (i = 0; i < ARRAY_SIZE(type_names); i++) {
        if (name_matches(s, type_names[i])) {
            *type = i;
            return true;
        }
    }
    return false;
}

const char *
hnv_type_to_string(enum hnv_record_type type)
{
    return type < ARRAY_SIZE(type_names) ? type_names[type] : "<invalid>";
}

static bool
type_is_wildcard(enum hnv_record_type type)
{
    return type == HNV_TYPE_L2ONLY || type == HNV_TYPE_GATEWAY_WILDCARD;
}

char *
hnv_check_ca_type(const struct in6_addr *ca, enum hnv_record_type type)
{
    bool wildcard = hnv_address_is_wildcard(ca);
    struct ds s;

    if (wildcard == type_is_wildcard(type)) {
        return NULL;
    }

    ds_init(&s);
    hnv_format_address(ca, &s);
    if (wildcard) {
        ds_put_format(&s, ": wildcard customer address needs type l2only or "
                      "gateway_wildcard, not %s", hnv_type_to_string(type));
    } else {
        ds_put_format(&s, ": type %s needs a wildcard customer address "
                      "(0.0.0.0 or ::)", hnv_type_to_string(type));
    }
    return ds_steal_cstr(&s);
}

/* Whether 'addr' is a multicast or (IPv4) limited-broadcast address. */
static bool
address_is_group(const struct in6_addr *addr)
{
    if (hnv_address_is_ipv4(addr)) {
        ovs_be32 ip = in6_addr_get_mapped_ipv4(addr);

        return ip_is_multicast(ip) || ip == htonl(UINT32_MAX);
    }
    return ipv6_addr_is_multicast(addr);
}

/* Whether 'addr' is a loopback address: 127.0.0.0/8 or ::1. */
static bool
address_is_loopback(const struct in6_addr *addr)
{
    if (hnv_address_is_ipv4(addr)) {
        return (ntohl(in6_addr_get_mapped_ipv4(addr)) >> 24) == 127;
    }
    return ipv6_addr_equals(addr, &in6addr_loopback);
}

/* Whether 'addr' is link-local: 169.254.0.0/16 or fe80::/10. */
static bool
address_is_link_local(const struct in6_addr *addr)
{
    if (hnv_address_is_ipv4(addr)) {
        return (ntohl(in6_addr_get_mapped_ipv4(addr)) >> 16) == 0xa9fe;
    }
    return addr->s6_addr[0] == 0xfe && (addr->s6_addr[1] & 0xc0) == 0x80;
}

/* Returns an error message "PA: RULE" for provider address 'pa'. */
static char *
provider_address_error(const struct in6_addr *pa, const char *rule)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    hnv_format_address(pa, &s);
    ds_put_format(&s, ": %s", rule);
    return ds_steal_cstr(&s);
}

char *
hnv_check_provider_address(const struct in6_addr *pa)
{
    const char *rule
        = (hnv_address_is_wildcard(pa)
           ? "wildcard address is not a provider address"
           : address_is_group(pa)
           ? "provider address must be unicast"
           : address_is_loopback(pa)
           ? "provider address must not be a loopback address"
           : address_is_link_local(pa)
           ? "provider address must not be link-local (only a gateway "
             "record's PA is "HNV_GATEWAY_PA_STRING")"
           : NULL);

    return rule ? provider_address_error(pa, rule) : NULL;
}

char *
hnv_check_record_pa(const struct in6_addr *pa)
{
    return (hnv_address_is_gateway_pa(pa)
            ? NULL
            : hnv_check_provider_address(pa));
}

char *
hnv_check_record_addresses(const struct in6_addr *ca,
                           const struct eth_addr mac,
                           const struct in6_addr *pa)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    if (eth_addr_is_multicast(mac) || eth_addr_is_zero(mac)) {
        hnv_format_mac(mac, &s);
        ds_put_cstr(&s, ": a VM's MAC address must be unicast and nonzero");
    } else if (address_is_group(ca)) {
        hnv_format_address(ca, &s);
        ds_put_cstr(&s, ": customer address must be unicast");
    } else {
        return hnv_check_record_pa(pa);
    }
    return ds_steal_cstr(&s);
}

void
hnv_lookup_record_uuid(uint32_t vsid, const struct in6_addr *ca,
                       const struct eth_addr mac, struct uuid *uuid)
{
    static const char name_space[] = "ovs-hnv lookup record";
    uint8_t digest[SHA1_DIGEST_SIZE];
    struct sha1_ctx ctx;
    ovs_be32 vsid_be = htonl(vsid);

    sha1_init(&ctx);
    sha1_update(&ctx, name_space, sizeof name_space);
    sha1_update(&ctx, &vsid_be, sizeof vsid_be);
    sha1_update(&ctx, ca, sizeof *ca);
    if (hnv_address_is_wildcard(ca)) {
        sha1_update(&ctx, &mac, sizeof mac);
    }
    sha1_final(&ctx, digest);

    /* RFC 4122 section 4.3: version 5 in the top nibble of time_hi, the
     * variant 10x in the top bits of clock_seq. */
    digest[6] = (digest[6] & 0x0f) | 0x50;
    digest[8] = (digest[8] & 0x3f) | 0x80;
    for (int i = 0; i < 4; i++) {
        uuid->parts[i] = (uint32_t) digest[4 * i] << 24
                         | (uint32_t) digest[4 * i + 1] << 16
                         | (uint32_t) digest[4 * i + 2] << 8
                         | digest[4 * i + 3];
    }
}
