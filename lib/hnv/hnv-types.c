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

/* HNV value types: parsing, validation and formatting (see hnv-types.h).
 *
 * TEMPORARY implementation written alongside ovs-hnvctl (branch hnvctl) so
 * that the tool builds before the shared library lands; the owner of
 * lib/hnv replaces this file at merge.  It follows the header's contract:
 * parse functions return NULL or a malloc()'d message of the form
 * "<offending text>: <rule>", and store nothing on error. */

#include <config.h>
#include "hnv/hnv-types.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>

#include "openvswitch/dynamic-string.h"
#include "packets.h"
#include "util.h"

bool
hnv_vsid_is_valid(int64_t vsid)
{
    return vsid >= HNV_VSID_MIN && vsid <= HNV_VSID_MAX;
}

/* Parses 's' as a decimal (or, if 'allow_hex', 0x-prefixed hexadecimal)
 * integer.  Returns false if 's' is not an integer; otherwise stores the
 * value in '*valuep', or UINT64_MAX if it is greater than 'max'. */
static bool
parse_uint(const char *s, bool allow_hex, uint64_t max, uint64_t *valuep)
{
    int base = 10;
    const char *p = s;

    if (allow_hex && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    }
    if (!*p) {
        return false;
    }
    for (const char *q = p; *q; q++) {
        if (base == 10 ? !isdigit((unsigned char) *q)
                       : !isxdigit((unsigned char) *q)) {
            return false;
        }
    }

    errno = 0;
    unsigned long long int value = strtoull(p, NULL, base);
    if (errno || value > max) {
        *valuep = UINT64_MAX;
        return true;
    }
    *valuep = value;
    return true;
}

char *
hnv_parse_vsid(const char *s, uint32_t *vsid)
{
    uint64_t value;

    if (!parse_uint(s, true, UINT64_MAX - 1, &value)) {
        return xasprintf("%s: invalid VSID (expected an integer)", s);
    }
    if (!hnv_vsid_is_valid(value > INT64_MAX ? -1 : (int64_t) value)) {
        return xasprintf("%s: VSID out of range %d..%d",
                         s, HNV_VSID_MIN, HNV_VSID_MAX);
    }
    *vsid = value;
    return NULL;
}

char *
hnv_parse_address(const char *s, struct in6_addr *addr)
{
    struct in6_addr a6;
    struct in_addr a4;

    if (inet_pton(AF_INET, s, &a4) == 1) {
        *addr = in6_addr_mapped_ipv4(a4.s_addr);
        return NULL;
    }
    if (inet_pton(AF_INET6, s, &a6) == 1) {
        if (IN6_IS_ADDR_V4MAPPED(&a6)) {
            return xasprintf("%s: IPv4-mapped IPv6 address not allowed "
                             "(write the IPv4 address)", s);
        }
        *addr = a6;
        return NULL;
    }
    return xasprintf("%s: invalid IP address", s);
}

void
hnv_format_address(const struct in6_addr *addr, struct ds *s)
{
    if (IN6_IS_ADDR_V4MAPPED(addr)) {
        ovs_be32 ip = in6_addr_get_mapped_ipv4(addr);
        ds_put_format(s, IP_FMT, IP_ARGS(ip));
    } else {
        ipv6_format_addr(addr, s);
    }
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
            || (IN6_IS_ADDR_V4MAPPED(addr)
                && !in6_addr_get_mapped_ipv4(addr)));
}

bool
hnv_address_is_gateway_pa(const struct in6_addr *addr)
{
    return (IN6_IS_ADDR_V4MAPPED(addr)
            && in6_addr_get_mapped_ipv4(addr) == htonl(0xa9fefefe));
}

static int
hexval(int c)
{
    return (c >= '0' && c <= '9' ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
            : -1);
}

char *
hnv_parse_mac(const char *s, struct eth_addr *mac)
{
    struct eth_addr ea;
    size_t len = strlen(s);

    if (len == 12) {
        for (int i = 0; i < 6; i++) {
            int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
            if (hi < 0 || lo < 0) {
                goto error;
            }
            ea.ea[i] = hi << 4 | lo;
        }
    } else if (len == 17 && (s[2] == ':' || s[2] == '-')) {
        char sep = s[2];
        for (int i = 0; i < 6; i++) {
            int hi = hexval(s[3 * i]), lo = hexval(s[3 * i + 1]);
            if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != sep)) {
                goto error;
            }
            ea.ea[i] = hi << 4 | lo;
        }
    } else {
        goto error;
    }
    *mac = ea;
    return NULL;

error:
    return xasprintf("%s: invalid MAC address (expected xx:xx:xx:xx:xx:xx, "
                     "xx-xx-xx-xx-xx-xx or xxxxxxxxxxxx)", s);
}

void
hnv_format_mac(const struct eth_addr mac, struct ds *s)
{
    ds_put_format(s, ETH_ADDR_FMT, ETH_ADDR_ARGS(mac));
}

char *
hnv_parse_prefix(const char *s, struct in6_addr *prefix, unsigned int *plen)
{
    const char *slash = strchr(s, '/');
    struct in6_addr addr;
    uint64_t len;
    char *error;

    if (!slash) {
        return xasprintf("%s: invalid prefix (expected ADDRESS/LENGTH)", s);
    }

    char *addr_s = xmemdup0(s, slash - s);
    error = hnv_parse_address(addr_s, &addr);
    free(addr_s);
    if (error) {
        free(error);
        return xasprintf("%s: invalid prefix (expected ADDRESS/LENGTH)", s);
    }

    unsigned int max = hnv_address_is_ipv4(&addr) ? 32 : 128;
    if (!parse_uint(slash + 1, false, UINT64_MAX - 1, &len)) {
        return xasprintf("%s: invalid prefix (expected ADDRESS/LENGTH)", s);
    }
    if (len > max) {
        return xasprintf("%s: prefix length out of range 0..%u", s, max);
    }

    unsigned int plen6 = hnv_prefix_plen6(&addr, len);
    struct in6_addr mask = ipv6_create_mask(plen6);
    struct in6_addr masked = ipv6_addr_bitand(&addr, &mask);
    if (!ipv6_addr_equals(&masked, &addr)) {
        return xasprintf("%s: host bits set in prefix", s);
    }

    *prefix = addr;
    *plen = len;
    return NULL;
}

void
hnv_format_prefix(const struct in6_addr *prefix, unsigned int plen,
                  struct ds *s)
{
    hnv_format_address(prefix, s);
    ds_put_format(s, "/%u", plen);
}

unsigned int
hnv_prefix_plen6(const struct in6_addr *prefix, unsigned int plen)
{
    return hnv_address_is_ipv4(prefix) ? plen + 96 : plen;
}

char *
hnv_parse_rdid(const char *s, char **canonical)
{
    static const int groups[] = { 8, 4, 4, 4, 12 };
    size_t len = strlen(s);
    const char *p = s;
    struct ds out = DS_EMPTY_INITIALIZER;

    if (len && s[0] == '{') {
        if (s[len - 1] != '}') {
            goto error;
        }
        p++;
        len -= 2;
    } else if (len && s[len - 1] == '}') {
        goto error;
    }
    if (len != 36) {
        goto error;
    }

    ds_put_char(&out, '{');
    for (int g = 0; g < ARRAY_SIZE(groups); g++) {
        if (g) {
            if (*p++ != '-') {
                goto error;
            }
            ds_put_char(&out, '-');
        }
        for (int i = 0; i < groups[g]; i++, p++) {
            if (hexval(*p) < 0) {
                goto error;
            }
            ds_put_char(&out, tolower((unsigned char) *p));
        }
    }
    ds_put_char(&out, '}');
    *canonical = ds_steal_cstr(&out);
    return NULL;

error:
    ds_destroy(&out);
    return xasprintf("%s: invalid routing domain ID (expected a GUID such as "
                     "{11111111-2222-3333-4444-000000000000})", s);
}

bool
hnv_rule_from_string(const char *s, enum hnv_rule *rule)
{
    if (!strcasecmp(s, "encap")) {
        *rule = HNV_RULE_ENCAP;
    } else if (!strcasecmp(s, "nat")) {
        *rule = HNV_RULE_NAT;
    } else if (!strcasecmp(s, "none")) {
        *rule = HNV_RULE_NONE;
    } else {
        return false;
    }
    return true;
}

const char *
hnv_rule_to_string(enum hnv_rule rule)
{
    switch (rule) {
    case HNV_RULE_ENCAP:
        return "encap";
    case HNV_RULE_NAT:
        return "nat";
    case HNV_RULE_NONE:
        return "none";
    }
    OVS_NOT_REACHED();
}

bool
hnv_type_from_string(const char *s, enum hnv_record_type *type)
{
    if (!strcasecmp(s, "static")) {
        *type = HNV_TYPE_STATIC;
    } else if (!strcasecmp(s, "dynamic")) {
        *type = HNV_TYPE_DYNAMIC;
    } else if (!strcasecmp(s, "l2only")) {
        *type = HNV_TYPE_L2ONLY;
    } else if (!strcasecmp(s, "gateway_wildcard")
               || !strcasecmp(s, "gateway-wildcard")) {
        *type = HNV_TYPE_GATEWAY_WILDCARD;
    } else {
        return false;
    }
    return true;
}

const char *
hnv_type_to_string(enum hnv_record_type type)
{
    switch (type) {
    case HNV_TYPE_STATIC:
        return "static";
    case HNV_TYPE_DYNAMIC:
        return "dynamic";
    case HNV_TYPE_L2ONLY:
        return "l2only";
    case HNV_TYPE_GATEWAY_WILDCARD:
        return "gateway_wildcard";
    }
    OVS_NOT_REACHED();
}

char *
hnv_check_ca_type(const struct in6_addr *ca, enum hnv_record_type type)
{
    bool wildcard = hnv_address_is_wildcard(ca);
    bool wildcard_type = (type == HNV_TYPE_L2ONLY
                          || type == HNV_TYPE_GATEWAY_WILDCARD);
    struct ds s = DS_EMPTY_INITIALIZER;

    if (wildcard == wildcard_type) {
        return NULL;
    }
    hnv_format_address(ca, &s);
    if (wildcard) {
        ds_put_format(&s, ": wildcard customer address not allowed with "
                      "type %s (only l2only or gateway_wildcard)",
                      hnv_type_to_string(type));
    } else {
        ds_put_format(&s, ": type %s requires a wildcard customer address "
                      "(0.0.0.0 or ::)", hnv_type_to_string(type));
    }
    return ds_steal_cstr(&s);
}
