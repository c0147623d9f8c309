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

/* Unit tests for lib/hnv: "ovstest test-hnv SUBCOMMAND", where SUBCOMMAND
 * is one of:
 *
 *   types           parsing, validation and formatting (hnv-types.h)
 *   route           the LPM route table, against a linear scan
 *   policy          the host policy, scenario by scenario
 *   policy-random   the host policy against a naive model
 *   concurrency     a reader thread looking up while the writer churns
 *   bench [N]       memory per record and the cost of set and lookup
 *
 * Each prints what fails and exits with status 1 if anything did. */

#include <config.h>
#undef NDEBUG
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "command-line.h"
#include "flow.h"
#include "hnv/hnv-l2.h"
#include "hnv/hnv-policy.h"
#include "hnv/hnv-route.h"
#include "hnv/hnv-stage.h"
#include "hnv/hnv-stats.h"
#include "hnv/hnv-types.h"
#include "openvswitch/dynamic-string.h"
#include "ovs-atomic.h"
#include "ovs-rcu.h"
#include "ovs-thread.h"
#include "ovstest.h"
#include "random.h"
#include "seq.h"
#include "util.h"
#include "uuid.h"
#include "test-hnv.h"

/* Checks that 'error' (consumed) is NULL if 'expected' is, otherwise that
 * it is exactly 'expected'. */
#define CHECK_ERROR(ERROR, EXPECTED) \
    check_error(__FILE__, __LINE__, ERROR, EXPECTED)

static void
check_error(const char *file, int line, char *error, const char *expected)
{
    if (!expected && error) {
        fail(file, line, "unexpected error \"%s\"", error);
    } else if (expected && !error) {
        fail(file, line, "expected error \"%s\", got success", expected);
    } else if (expected && strcmp(error, expected)) {
        fail(file, line, "expected error \"%s\", got \"%s\"", expected,
             error);
    }
    free(error);
}

#define CHECK_STR(ACTUAL, EXPECTED) \
    check_str(__FILE__, __LINE__, ACTUAL, EXPECTED)

static void
check_str(const char *file, int line, const char *actual,
          const char *expected)
{
    if (!actual || strcmp(actual, expected)) {
        fail(file, line, "expected \"%s\", got \"%s\"", expected,
             actual ? actual : "(null)");
    }
}


static char *
format_addr(const struct in6_addr *a)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    hnv_format_address(a, &s);
    return ds_steal_cstr(&s);
}

/* "types". */

static void
check_vsid(const char *s, uint32_t expected, const char *error)
{
    uint32_t vsid = 12345;

    CHECK_ERROR(hnv_parse_vsid(s, &vsid), error);
    CHECK(vsid == (error ? 12345 : expected));
}

static void
test_vsids(void)
{
    check_vsid("4096", 4096, NULL);
    check_vsid("5000", 5000, NULL);
    check_vsid("16777214", 16777214, NULL);
    check_vsid("04096", 4096, NULL);
    check_vsid("4095", 0, "4095: VSID out of range 4096..16777214");
    check_vsid("0", 0, "0: VSID out of range 4096..16777214");
    check_vsid("16777215", 0, "16777215: VSID out of range 4096..16777214");
    check_vsid("99999999999999999999999", 0,
               "99999999999999999999999: VSID out of range "
               "4096..16777214");
    check_vsid("+5000", 0, "+5000: invalid VSID (expected a decimal integer "
               "4096..16777214)");
    check_vsid("-5000", 0, "-5000: invalid VSID (expected a decimal integer "
               "4096..16777214)");
    check_vsid("0x1000", 0, "0x1000: invalid VSID (expected a decimal "
               "integer 4096..16777214)");
    check_vsid("5000x", 0, "5000x: invalid VSID (expected a decimal integer "
               "4096..16777214)");
    check_vsid(" 5000", 0, " 5000: invalid VSID (expected a decimal integer "
               "4096..16777214)");
    check_vsid("5000 ", 0, "5000 : invalid VSID (expected a decimal integer "
               "4096..16777214)");
    check_vsid("", 0, "empty VSID (expected a decimal integer "
               "4096..16777214)");

    CHECK(!hnv_vsid_is_valid(4095));
    CHECK(hnv_vsid_is_valid(4096));
    CHECK(hnv_vsid_is_valid(16777214));
    CHECK(!hnv_vsid_is_valid(16777215));
    CHECK(!hnv_vsid_is_valid(-1));
    CHECK(!hnv_vsid_is_valid(INT64_C(1) << 32 | 5000));
}

/* Parses 's', expecting success and canonical form 'canonical'. */
static void
check_address(const char *s, const char *canonical, bool ipv4)
{
    struct in6_addr a;
    char *error = hnv_parse_address(s, &a);

    CHECK_ERROR(error, NULL);
    if (!error) {
        char *text = format_addr(&a);

        CHECK_STR(text, canonical);
        CHECK(hnv_address_is_ipv4(&a) == ipv4);
        free(text);
    }
}

static void
check_bad_address(const char *s, const char *expected)
{
    struct in6_addr a = in6addr_exact;

    CHECK_ERROR(hnv_parse_address(s, &a), expected);
    CHECK(ipv6_addr_equals(&a, &in6addr_exact));
}

static void
test_addresses(void)
{
    struct in6_addr a;

    check_address("10.0.0.1", "10.0.0.1", true);
    check_address("0.0.0.0", "0.0.0.0", true);
    check_address("255.255.255.255", "255.255.255.255", true);
    check_address("2001:DB8:0:0::1", "2001:db8::1", false);
    check_address("::", "::", false);
    check_address("fe80::1", "fe80::1", false);
    check_bad_address("abc", "abc: invalid IP address");
    check_bad_address("", ": invalid IP address");
    check_bad_address("10.0.0.256", "10.0.0.256: invalid IP address");
    check_bad_address("10.0.0", "10.0.0: invalid IP address");
    check_bad_address("10.0.0.1/24", "10.0.0.1/24: invalid IP address");
    check_bad_address(" 10.0.0.1", " 10.0.0.1: invalid IP address");
    check_bad_address("2001:db8::g", "2001:db8::g: invalid IP address");
    check_bad_address("::ffff:10.0.0.1", "::ffff:10.0.0.1: IPv4-mapped IPv6 "
                      "address (write the IPv4 address in dotted-quad form)");

    /* The two wildcards are distinct addresses. */
    a = addr("0.0.0.0");
    CHECK(hnv_address_is_wildcard(&a));
    CHECK(!ipv6_addr_equals(&a, &in6addr_any));
    a = addr("::");
    CHECK(hnv_address_is_wildcard(&a));
    a = addr("0.0.0.1");
    CHECK(!hnv_address_is_wildcard(&a));
    a = addr("::1");
    CHECK(!hnv_address_is_wildcard(&a));

    a = addr(HNV_GATEWAY_PA_STRING);
    CHECK(hnv_address_is_gateway_pa(&a));
    a = addr("169.254.254.253");
    CHECK(!hnv_address_is_gateway_pa(&a));
    a = addr("::a9fe:fefe");
    CHECK(!hnv_address_is_gateway_pa(&a));
}

static void
check_mac(const char *s, const char *canonical)
{
    struct eth_addr m;
    char *error = hnv_parse_mac(s, &m);

    CHECK_ERROR(error, NULL);
    if (!error) {
        struct ds out = DS_EMPTY_INITIALIZER;

        hnv_format_mac(m, &out);
        CHECK_STR(ds_cstr(&out), canonical);
        ds_destroy(&out);
    }
}

static void
check_bad_mac(const char *s)
{
    struct eth_addr m = eth_addr_broadcast;
    char *expected = xasprintf("%s: invalid MAC address (use "
                               "10:10:10:10:11:05, 101010101105 or "
                               "10-10-10-10-11-05)", s);

    CHECK_ERROR(hnv_parse_mac(s, &m), expected);
    CHECK(eth_addr_equals(m, eth_addr_broadcast));
    free(expected);
}

static void
test_macs(void)
{
    check_mac("10:10:10:10:11:05", "10:10:10:10:11:05");
    check_mac("101010101105", "10:10:10:10:11:05");
    check_mac("10-10-10-10-11-05", "10:10:10:10:11:05");
    check_mac("AA-BB-CC-DD-EE-0F", "aa:bb:cc:dd:ee:0f");
    check_mac("AABBCCDDEE0F", "aa:bb:cc:dd:ee:0f");
    check_mac("1:2:3:4:5:6", "01:02:03:04:05:06");
    check_bad_mac("10:10:10:10:11");
    check_bad_mac("10:10:10:10:11:05:06");
    check_bad_mac("10:10-10:10:11:05");
    check_bad_mac("10101010110");
    check_bad_mac("1010101011050");
    check_bad_mac("g0:10:10:10:11:05");
    check_bad_mac("10:10:10:10:11:005");
    check_bad_mac("10:10:10:10:11:05 ");
    check_bad_mac("+0:10:10:10:11:05");
    check_bad_mac("");
}

static void
check_prefix(const char *s, const char *canonical, unsigned int plen,
             unsigned int plen6)
{
    struct in6_addr prefix;
    unsigned int len = 999;
    char *error = hnv_parse_prefix(s, &prefix, &len);

    CHECK_ERROR(error, NULL);
    if (!error) {
        struct ds out = DS_EMPTY_INITIALIZER;

        CHECK(len == plen);
        CHECK(hnv_prefix_plen6(&prefix, len) == plen6);
        hnv_format_prefix(&prefix, len, &out);
        CHECK_STR(ds_cstr(&out), canonical);
        ds_destroy(&out);
    }
}

static void
check_bad_prefix(const char *s, const char *expected)
{
    unsigned int len = 999;
    struct in6_addr prefix = in6addr_exact;

    CHECK_ERROR(hnv_parse_prefix(s, &prefix, &len), expected);
    CHECK(len == 999 && ipv6_addr_equals(&prefix, &in6addr_exact));
}

static void
test_prefixes(void)
{
    check_prefix("10.0.0.0/24", "10.0.0.0/24", 24, 120);
    check_prefix("10.0.0.1/32", "10.0.0.1/32", 32, 128);
    check_prefix("0.0.0.0/0", "0.0.0.0/0", 0, 96);
    check_prefix("::/0", "::/0", 0, 0);
    check_prefix("2001:DB8::/32", "2001:db8::/32", 32, 32);
    check_prefix("2001:db8::1/128", "2001:db8::1/128", 128, 128);
    check_bad_prefix("10.0.0.1/24", "10.0.0.1/24: host bits set in prefix");
    check_bad_prefix("2001:db8::1/64",
                     "2001:db8::1/64: host bits set in prefix");
    check_bad_prefix("10.0.0.0/33",
                     "10.0.0.0/33: invalid prefix length (expected 0..32)");
    check_bad_prefix("::/129",
                     "::/129: invalid prefix length (expected 0..128)");
    check_bad_prefix("10.0.0.0/",
                     "10.0.0.0/: invalid prefix length (expected 0..32)");
    check_bad_prefix("10.0.0.0/+8",
                     "10.0.0.0/+8: invalid prefix length (expected 0..32)");
    check_bad_prefix("10.0.0.0/0008",
                     "10.0.0.0/0008: invalid prefix length (expected "
                     "0..32)");
    check_bad_prefix("10.0.0.0/8/8",
                     "10.0.0.0/8/8: invalid prefix length (expected 0..32)");
    check_bad_prefix("10.0.0.0", "10.0.0.0: missing prefix length "
                     "(expected ADDRESS/PLEN, e.g. 10.0.0.0/24)");
    check_bad_prefix("abc/8", "abc/8: invalid IP address in prefix");
    check_bad_prefix("/8", "/8: invalid IP address in prefix");
}

static void
check_rdid(const char *s, const char *canonical)
{
    char *out = NULL;

    CHECK_ERROR(hnv_parse_rdid(s, &out), NULL);
    if (out) {
        CHECK_STR(out, canonical);
        free(out);
    }
}

static void
check_bad_rdid(const char *s)
{
    char *expected = xasprintf("%s: invalid routing domain ID (expected a "
                               "GUID such as "
                               "{11111111-2222-3333-4444-000000000000})", s);
    char *out = NULL;

    CHECK_ERROR(hnv_parse_rdid(s, &out), expected);
    CHECK(!out);
    free(expected);
}

static void
test_rdids(void)
{
    check_rdid("{11111111-2222-3333-4444-000000000000}",
               "{11111111-2222-3333-4444-000000000000}");
    check_rdid("11111111-2222-3333-4444-000000000000",
               "{11111111-2222-3333-4444-000000000000}");
    check_rdid("{AAAAAAAA-bbbb-CCCC-dddd-EEEEEEEEEEEE}",
               "{aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee}");
    check_bad_rdid("{xyz}");
    check_bad_rdid("");
    check_bad_rdid("{}");
    check_bad_rdid("{11111111-2222-3333-4444-000000000000");
    check_bad_rdid("11111111-2222-3333-4444-000000000000}");
    check_bad_rdid("{11111111-2222-3333-4444-00000000000}");
    check_bad_rdid("{11111111-2222-3333-4444-0000000000000}");
    check_bad_rdid("{11111111-2222-3333-4444-00000000000g}");
    check_bad_rdid("{11111111+2222-3333-4444-000000000000}");
    check_bad_rdid("{{11111111-2222-3333-4444-000000000000}}");
}

static void
test_names(void)
{
    enum hnv_record_type type;
    enum hnv_rule rule;

    CHECK(hnv_rule_from_string("encap", &rule) && rule == HNV_RULE_ENCAP);
    CHECK(hnv_rule_from_string("NAT", &rule) && rule == HNV_RULE_NAT);
    CHECK(hnv_rule_from_string("none", &rule) && rule == HNV_RULE_NONE);
    CHECK(hnv_rule_from_string("TranslationMethodNat", &rule)
          && rule == HNV_RULE_NAT);
    CHECK(!hnv_rule_from_string("", &rule));
    CHECK(!hnv_rule_from_string("encaps", &rule));
    CHECK(!hnv_rule_from_string("TranslationMethod", &rule));
    CHECK_STR(hnv_rule_to_string(HNV_RULE_ENCAP), "encap");
    CHECK_STR(hnv_rule_to_string(HNV_RULE_NAT), "nat");
    CHECK_STR(hnv_rule_to_string(HNV_RULE_NONE), "none");

    CHECK(hnv_type_from_string("static", &type) && type == HNV_TYPE_STATIC);
    CHECK(hnv_type_from_string("Dynamic", &type)
          && type == HNV_TYPE_DYNAMIC);
    CHECK(hnv_type_from_string("l2only", &type) && type == HNV_TYPE_L2ONLY);
    CHECK(hnv_type_from_string("L2Only", &type) && type == HNV_TYPE_L2ONLY);
    CHECK(hnv_type_from_string("gateway_wildcard", &type)
          && type == HNV_TYPE_GATEWAY_WILDCARD);
    CHECK(hnv_type_from_string("gateway-wildcard", &type)
          && type == HNV_TYPE_GATEWAY_WILDCARD);
    CHECK(hnv_type_from_string("GatewayWildcard", &type)
          && type == HNV_TYPE_GATEWAY_WILDCARD);
    CHECK(!hnv_type_from_string("gateway--wildcard", &type));
    CHECK(!hnv_type_from_string("gateway wildcard", &type));
    CHECK(!hnv_type_from_string("l2-only", &type));
    CHECK(!hnv_type_from_string("", &type));
    CHECK(!hnv_type_from_string("static2", &type));
    CHECK_STR(hnv_type_to_string(HNV_TYPE_STATIC), "static");
    CHECK_STR(hnv_type_to_string(HNV_TYPE_DYNAMIC), "dynamic");
    CHECK_STR(hnv_type_to_string(HNV_TYPE_L2ONLY), "l2only");
    CHECK_STR(hnv_type_to_string(HNV_TYPE_GATEWAY_WILDCARD),
              "gateway_wildcard");
}

static void
check_ca_type(const char *ca_s, enum hnv_record_type type,
              const char *expected)
{
    struct in6_addr ca = addr(ca_s);

    CHECK_ERROR(hnv_check_ca_type(&ca, type), expected);
}

static void
test_ca_types(void)
{
    check_ca_type("10.0.0.5", HNV_TYPE_STATIC, NULL);
    check_ca_type("10.0.0.5", HNV_TYPE_DYNAMIC, NULL);
    check_ca_type("2001:db8::5", HNV_TYPE_STATIC, NULL);
    check_ca_type("0.0.0.0", HNV_TYPE_L2ONLY, NULL);
    check_ca_type("0.0.0.0", HNV_TYPE_GATEWAY_WILDCARD, NULL);
    check_ca_type("::", HNV_TYPE_GATEWAY_WILDCARD, NULL);
    check_ca_type("::", HNV_TYPE_L2ONLY, NULL);
    check_ca_type("0.0.0.0", HNV_TYPE_STATIC,
                  "0.0.0.0: wildcard customer address needs type l2only "
                  "or gateway_wildcard, not static");
    check_ca_type("::", HNV_TYPE_DYNAMIC,
                  "::: wildcard customer address needs type l2only "
                  "or gateway_wildcard, not dynamic");
    check_ca_type("10.0.0.5", HNV_TYPE_GATEWAY_WILDCARD,
                  "10.0.0.5: type gateway_wildcard needs a wildcard "
                  "customer address (0.0.0.0 or ::)");
    check_ca_type("2001:db8::5", HNV_TYPE_L2ONLY,
                  "2001:db8::5: type l2only needs a wildcard customer "
                  "address (0.0.0.0 or ::)");
}

static void
test_types(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    test_vsids();
    test_addresses();
    test_macs();
    test_prefixes();
    test_rdids();
    test_names();
    test_ca_types();

    CHECK(hnv_nvgre_key(5000, 0x12) == (5000u << 8 | 0x12));
    CHECK(hnv_nvgre_key_vsid(hnv_nvgre_key(16777214, 0xff)) == 16777214);
    finish("types");
}

/* "route". */

static struct hnv_route
mkroute(const char *prefix_s, uint32_t vsid, const char *next_hop,
        uint32_t metric)
{
    struct hnv_route r;
    char *error;

    memset(&r, 0, sizeof r);
    error = hnv_parse_prefix(prefix_s, &r.prefix, &r.plen);
    ovs_assert(!error);
    r.vsid = vsid;
    r.next_hop = addr(next_hop);
    r.metric = metric;
    return r;
}

static bool
routes_equal(const struct hnv_route *a, const struct hnv_route *b)
{
    return (!a || !b
            ? a == b
            : (ipv6_addr_equals(&a->prefix, &b->prefix)
               && a->plen == b->plen && a->vsid == b->vsid
               && ipv6_addr_equals(&a->next_hop, &b->next_hop)
               && a->metric == b->metric));
}

static void
format_route(const struct hnv_route *r, struct ds *s)
{
    if (!r) {
        ds_put_cstr(s, "(none)");
        return;
    }
    hnv_format_prefix(&r->prefix, r->plen, s);
    ds_put_format(s, " vsid %"PRIu32" via ", r->vsid);
    hnv_format_address(&r->next_hop, s);
    ds_put_format(s, " metric %"PRIu32, r->metric);
}

/* Checks that looking up 'dst' in 't' yields a route equal to 'expected'
 * (NULL for none) and examines 'plen6' bits. */
#define CHECK_LOOKUP(T, DST, EXPECTED, PLEN6) \
    check_lookup(__LINE__, T, DST, EXPECTED, PLEN6)

static void
check_lookup(int line, const struct hnv_route_table *t, const char *dst_s,
             const struct hnv_route *expected, unsigned int plen6)
{
    struct in6_addr dst = addr(dst_s);
    unsigned int examined = 999;
    const struct hnv_route *r = hnv_route_table_lookup(t, &dst, &examined);

    if (!routes_equal(r, expected) || examined != plen6) {
        struct ds s = DS_EMPTY_INITIALIZER;

        ds_put_format(&s, "lookup %s: got ", dst_s);
        format_route(r, &s);
        ds_put_format(&s, " (%u bits), expected ", examined);
        format_route(expected, &s);
        ds_put_format(&s, " (%u bits)", plen6);
        fail(__FILE__, line, "%s", ds_cstr(&s));
        ds_destroy(&s);
    }
    CHECK(hnv_route_table_lookup(t, &dst, NULL) == r);
}

static void
test_route_basics(void)
{
    struct hnv_route routes[] = {
        mkroute("10.0.0.0/8", 5000, "0.0.0.0", 255),
        mkroute("10.1.0.0/16", 6000, "0.0.0.0", 255),
        mkroute("10.1.0.0/16", 7000, "10.0.0.1", 10),     /* Lower metric. */
        mkroute("10.2.0.0/16", 7001, "10.0.0.9", 5),      /* Ties... */
        mkroute("10.2.0.0/16", 7000, "10.0.0.9", 5),      /* ...lowest VSID */
        mkroute("10.3.0.0/16", 7000, "10.0.0.9", 5),      /* ...then lowest */
        mkroute("10.3.0.0/16", 7000, "10.0.0.8", 5),      /* next hop. */
        mkroute("2001:db8::/32", 5000, "::", 255),
        mkroute("2001:db8:1::/48", 6000, "2001:db8::1", 255),
    };
    size_t n = ARRAY_SIZE(routes);
    struct hnv_route_table *t, *t2;
    struct hnv_route reversed[ARRAY_SIZE(routes)];
    size_t i;

    t = hnv_route_table_create(routes, n);
    CHECK(hnv_route_table_count(t) == n);
    CHECK_LOOKUP(t, "10.1.2.3", &routes[2], 112);
    CHECK_LOOKUP(t, "10.9.9.9", &routes[0], 112);
    CHECK_LOOKUP(t, "10.2.0.1", &routes[4], 112);
    CHECK_LOOKUP(t, "10.3.0.1", &routes[6], 112);
    CHECK_LOOKUP(t, "11.0.0.1", NULL, 112);
    CHECK_LOOKUP(t, "0.0.0.0", NULL, 112);
    CHECK_LOOKUP(t, "2001:db8:1:2::3", &routes[8], 48);
    CHECK_LOOKUP(t, "2001:db8:2::3", &routes[7], 48);
    CHECK_LOOKUP(t, "2001:db9::1", NULL, 48);
    CHECK_LOOKUP(t, "::", NULL, 48);

    /* Order of insertion does not matter. */
    for (i = 0; i < n; i++) {
        reversed[i] = routes[n - 1 - i];
    }
    t2 = hnv_route_table_create(reversed, n);
    CHECK(hnv_route_table_count(t2) == n);
    for (i = 0; i < n; i++) {
        CHECK(routes_equal(hnv_route_table_get(t, i),
                           hnv_route_table_get(t2, i)));
    }
    CHECK_LOOKUP(t2, "10.2.0.1", &routes[4], 112);
    CHECK_LOOKUP(t2, "10.3.0.1", &routes[6], 112);
    CHECK_LOOKUP(t2, "10.1.2.3", &routes[2], 112);
    hnv_route_table_destroy(t2);

    /* Iteration order: family, prefix length descending, prefix, metric. */
    for (i = 1; i < n; i++) {
        const struct hnv_route *a = hnv_route_table_get(t, i - 1);
        const struct hnv_route *b = hnv_route_table_get(t, i);
        bool a4 = hnv_address_is_ipv4(&a->prefix);
        bool b4 = hnv_address_is_ipv4(&b->prefix);
        int cmp = memcmp(&a->prefix, &b->prefix, sizeof a->prefix);

        CHECK(a4 > b4
              || (a4 == b4
                  && (a->plen > b->plen
                      || (a->plen == b->plen
                          && (cmp < 0
                              || (!cmp && a->metric <= b->metric))))));
    }
    CHECK(!hnv_route_table_get(t, n));
    hnv_route_table_destroy(t);
}

static void
test_route_defaults(void)
{
    struct hnv_route v4[] = {
        mkroute("0.0.0.0/0", 5000, "10.0.0.1", 255),
        mkroute("10.0.0.0/24", 5000, "0.0.0.0", 255),
    };
    struct hnv_route v6[] = {
        mkroute("::/0", 5000, "2001:db8::1", 255),
    };
    struct hnv_route both[] = { v4[0], v6[0] };
    struct hnv_route dups[] = { v4[0], v4[1], v4[0], v4[1], v4[0] };
    struct hnv_route odd[] = {
        v4[1],
        { .prefix = addr("10.1.2.3"), .plen = 16, .vsid = 6000 },
        { .prefix = addr("10.0.0.0"), .plen = 33, .vsid = 6000 },
        { .prefix = addr("2001:db8::"), .plen = 129, .vsid = 6000 },
    };
    struct hnv_route_table *t;

    t = hnv_route_table_create(v4, ARRAY_SIZE(v4));
    CHECK_LOOKUP(t, "10.0.0.7", &v4[1], 120);
    CHECK_LOOKUP(t, "192.0.2.1", &v4[0], 120);
    CHECK_LOOKUP(t, "2001:db8::7", NULL, 0);    /* IPv4 routes only. */
    hnv_route_table_destroy(t);

    t = hnv_route_table_create(v6, ARRAY_SIZE(v6));
    CHECK_LOOKUP(t, "2001:db8::7", &v6[0], 0);
    CHECK_LOOKUP(t, "::", &v6[0], 0);
    CHECK_LOOKUP(t, "10.0.0.7", NULL, 96);      /* IPv6 routes only. */
    CHECK_LOOKUP(t, "0.0.0.0", NULL, 96);
    hnv_route_table_destroy(t);

    t = hnv_route_table_create(both, ARRAY_SIZE(both));
    CHECK_LOOKUP(t, "10.0.0.7", &v4[0], 96);
    CHECK_LOOKUP(t, "0.0.0.0", &v4[0], 96);
    CHECK_LOOKUP(t, "255.255.255.255", &v4[0], 96);
    CHECK_LOOKUP(t, "2001:db8::7", &v6[0], 0);
    CHECK_LOOKUP(t, "::", &v6[0], 0);
    hnv_route_table_destroy(t);

    t = hnv_route_table_create(NULL, 0);
    CHECK(hnv_route_table_count(t) == 0);
    CHECK_LOOKUP(t, "10.0.0.7", NULL, 96);
    CHECK_LOOKUP(t, "2001:db8::7", NULL, 0);
    hnv_route_table_destroy(t);

    /* Exact duplicates collapse. */
    t = hnv_route_table_create(dups, ARRAY_SIZE(dups));
    CHECK(hnv_route_table_count(t) == 2);
    CHECK_LOOKUP(t, "10.0.0.7", &v4[1], 120);
    hnv_route_table_destroy(t);

    /* Host bits are cleared; impossible prefix lengths are dropped. */
    t = hnv_route_table_create(odd, ARRAY_SIZE(odd));
    CHECK(hnv_route_table_count(t) == 2);
    CHECK(hnv_route_table_lookup(t, &odd[1].prefix, NULL)->plen == 16);
    {
        struct hnv_route masked = {
            .prefix = addr("10.1.0.0"), .plen = 16, .vsid = 6000
        };
        CHECK_LOOKUP(t, "10.1.200.1", &masked, 120);
    }
    hnv_route_table_destroy(t);
}

/* Returns a random address: of 'family_bias' ... near one of the pool's
 * prefixes, so that random lookups hit often. */
static struct in6_addr
random_address(const struct hnv_route *pool, size_t n, bool ipv4)
{
    struct in6_addr a;
    int i;

    for (i = 0; i < 16; i++) {
        a.s6_addr[i] = random_uint32();
    }
    if (n && random_range(4)) {
        /* Copy a random number of leading bits from a pool prefix of the
         * same family, if there is one. */
        const struct hnv_route *r = &pool[random_range(n)];

        if (hnv_address_is_ipv4(&r->prefix) == ipv4) {
            struct in6_addr mask = ipv6_create_mask(random_range(129));
            for (i = 0; i < 16; i++) {
                a.s6_addr[i] = ((r->prefix.s6_addr[i] & mask.s6_addr[i])
                                | (a.s6_addr[i] & ~mask.s6_addr[i]));
            }
        }
    }
    if (ipv4) {
        memset(a.s6_addr, 0, 10);
        a.s6_addr[10] = a.s6_addr[11] = 0xff;
    } else if (IN6_IS_ADDR_V4MAPPED(&a)) {
        a.s6_addr[0] ^= 0x80;
    }
    return a;
}

/* The reference: a linear scan with the documented tie-breaks. */
static const struct hnv_route *
naive_route_lookup(const struct hnv_route *routes, size_t n,
                   const struct in6_addr *dst, unsigned int *max_plen6)
{
    const struct hnv_route *best = NULL;
    bool ipv4 = hnv_address_is_ipv4(dst);
    size_t i;

    *max_plen6 = ipv4 ? 96 : 0;
    for (i = 0; i < n; i++) {
        const struct hnv_route *r = &routes[i];
        unsigned int plen6 = hnv_prefix_plen6(&r->prefix, r->plen);
        struct in6_addr mask = ipv6_create_mask(plen6);
        struct in6_addr masked = ipv6_addr_bitand(dst, &mask);

        if (hnv_address_is_ipv4(&r->prefix) != ipv4) {
            continue;
        }
        *max_plen6 = MAX(*max_plen6, plen6);
        if (!ipv6_addr_equals(&masked, &r->prefix)) {
            continue;
        }
        if (!best || r->plen > best->plen
            || (r->plen == best->plen
                && (r->metric < best->metric
                    || (r->metric == best->metric
                        && (r->vsid < best->vsid
                            || (r->vsid == best->vsid
                                && memcmp(&r->next_hop, &best->next_hop,
                                          sizeof r->next_hop) < 0)))))) {
            best = r;
        }
    }
    return best;
}

/* Returns 'a' with the bits after the first 'plen6' randomized, keeping its
 * family. */
static struct in6_addr
randomize_tail(const struct in6_addr *a, unsigned int plen6)
{
    struct in6_addr mask = ipv6_create_mask(plen6);
    struct in6_addr b;
    int i;

    for (;;) {
        for (i = 0; i < 16; i++) {
            b.s6_addr[i] = ((a->s6_addr[i] & mask.s6_addr[i])
                            | (random_uint32() & ~mask.s6_addr[i]));
        }
        if (hnv_address_is_ipv4(&b) == hnv_address_is_ipv4(a)) {
            return b;
        }
    }
}

static void
random_route_pool(struct hnv_route *routes, size_t n)
{
    static const char *bases[] = {
        "10.0.0.0", "10.1.0.0", "192.168.0.0", "0.0.0.0",
        "2001:db8::", "2001:db8:1::", "fd00::", "::",
    };
    size_t i;

    for (i = 0; i < n; i++) {
        struct hnv_route *r = &routes[i];
        struct in6_addr base = addr(bases[random_range(ARRAY_SIZE(bases))]);
        bool ipv4 = hnv_address_is_ipv4(&base);
        unsigned int max = ipv4 ? 32 : 128;
        struct in6_addr mask;
        int j;

        /* Prefix lengths cluster around a few values, so that equal
         * prefixes (and so metric and VSID ties) occur. */
        r->plen = (random_range(3)
                   ? (unsigned int[]) {0, 8, 16, 24, 32, 48, 64}[
                       random_range(7)] % (max + 1)
                   : random_range(max + 1));
        mask = ipv6_create_mask(hnv_prefix_plen6(&base, r->plen));
        for (j = ipv4 ? 12 : 0; j < 16; j++) {
            if (random_range(3) == 0) {
                base.s6_addr[j] = random_range(4);
            }
        }
        r->prefix = ipv6_addr_bitand(&base, &mask);
        r->vsid = 5000 + random_range(3);
        r->next_hop = addr((ipv4 ? (const char *[]) {"0.0.0.0", "10.0.0.1",
                                                     "10.0.0.2"}
                            : (const char *[]) {"::", "2001:db8::1",
                                                "2001:db8::2"})
                           [random_range(3)]);
        r->metric = random_range(3);
    }
}

static void
test_route_random(void)
{
    int iteration;
    size_t n_hits = 0, n_lookups = 0;

    for (iteration = 0; iteration < 300; iteration++) {
        struct hnv_route routes[64];
        size_t n = random_range(ARRAY_SIZE(routes) + 1);
        struct hnv_route_table *t;
        int i;

        random_route_pool(routes, n);
        t = hnv_route_table_create(routes, n);
        for (i = 0; i < 200; i++) {
            struct in6_addr dst = random_address(routes, n,
                                                 random_range(2));
            unsigned int expected_bits, bits = 999;
            const struct hnv_route *expected
                = naive_route_lookup(routes, n, &dst, &expected_bits);
            const struct hnv_route *r = hnv_route_table_lookup(t, &dst,
                                                               &bits);
            int j;

            n_lookups++;
            n_hits += r != NULL;
            if (!routes_equal(r, expected) || bits != expected_bits) {
                struct ds s = DS_EMPTY_INITIALIZER;

                hnv_format_address(&dst, &s);
                ds_put_cstr(&s, ": got ");
                format_route(r, &s);
                ds_put_format(&s, " (%u bits), expected ", bits);
                format_route(expected, &s);
                ds_put_format(&s, " (%u bits)", expected_bits);
                fail(__FILE__, __LINE__, "%s", ds_cstr(&s));
                ds_destroy(&s);
                continue;
            }

            /* Any address of the family that agrees on the examined bits
             * gets the same answer from the reference. */
            for (j = 0; j < 8; j++) {
                struct in6_addr other = randomize_tail(&dst, bits);
                unsigned int other_bits;
                const struct hnv_route *o
                    = naive_route_lookup(routes, n, &other, &other_bits);

                if (!routes_equal(o, expected)) {
                    char *a = format_addr(&dst);
                    char *b = format_addr(&other);

                    fail(__FILE__, __LINE__, "%s and %s agree on %u bits "
                         "but route differently", a, b, bits);
                    free(a);
                    free(b);
                }
            }
        }
        hnv_route_table_destroy(t);
    }
    /* The random data must exercise both outcomes. */
    CHECK(n_hits > n_lookups / 4 && n_hits < n_lookups * 9 / 10);
}

static void
test_route(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    random_set_seed(0x2a);
    test_route_basics();
    test_route_defaults();
    test_route_random();
    finish("route");
}

/* "policy". */

#define RD1 "{11111111-2222-3333-4444-000000000001}"
#define RD2 "{11111111-2222-3333-4444-000000000002}"
#define RD0 "{00000000-2222-3333-4444-000000000000}"

/* A UUID that sorts as 'n' does. */
static struct uuid
mkuuid(uint32_t n)
{
    struct uuid u = { .parts = { n, 0x1234, 0x5678, 0x9abc } };
    return u;
}

static struct hnv_record_spec
mkspec(uint32_t vsid, const char *ca, const char *mac_s, const char *pa)
{
    struct hnv_record_spec spec;

    memset(&spec, 0, sizeof spec);
    spec.vsid = vsid;
    spec.ca = addr(ca);
    spec.mac = mac(mac_s);
    spec.pa = addr(pa);
    spec.rule = HNV_RULE_ENCAP;
    spec.type = (hnv_address_is_wildcard(&spec.ca)
                 ? HNV_TYPE_GATEWAY_WILDCARD : HNV_TYPE_STATIC);
    return spec;
}

static void
set_record(struct hnv_policy *p, uint32_t id, uint32_t vsid, const char *ca,
           const char *mac_s, const char *pa)
{
    struct uuid u = mkuuid(id);
    struct hnv_record_spec spec = mkspec(vsid, ca, mac_s, pa);

    hnv_policy_set_record(p, &u, &spec);
}

static void
remove_record(struct hnv_policy *p, uint32_t id)
{
    struct uuid u = mkuuid(id);

    hnv_policy_remove_record(p, &u);
}

static void
set_route(struct hnv_policy *p, uint32_t id, const char *rdid, uint32_t vsid,
          const char *prefix, const char *next_hop, uint32_t metric)
{
    struct uuid u = mkuuid(id);
    struct hnv_route r = mkroute(prefix, vsid, next_hop, metric);

    hnv_policy_set_route(p, &u, rdid, &r);
}

static void
remove_route(struct hnv_policy *p, uint32_t id)
{
    struct uuid u = mkuuid(id);

    hnv_policy_remove_route(p, &u);
}

/* The row ID (see mkuuid()) of 'r', or 0 for NULL. */
static uint32_t
rid(const struct hnv_record *r)
{
    return r ? r->uuid.parts[0] : 0;
}

static uint32_t
lookup_id(const struct hnv_policy *p, uint32_t vsid, const char *ca,
          const char *mac_s)
{
    struct in6_addr a = addr(ca);
    struct eth_addr m;

    if (mac_s) {
        m = mac(mac_s);
    }
    return rid(hnv_policy_lookup(p, vsid, &a, mac_s ? &m : NULL));
}

static uint32_t
lookup_rd_id(const struct hnv_policy *p, uint32_t vsid, const char *ca)
{
    struct in6_addr a = addr(ca);
    return rid(hnv_policy_lookup_in_rd(p, vsid, &a));
}

static uint32_t
lookup_mac_id(const struct hnv_policy *p, uint32_t vsid, const char *mac_s,
              int family)
{
    return rid(hnv_policy_lookup_mac(p, vsid, mac(mac_s), family));
}

static uint32_t
route_vsid(const struct hnv_policy *p, uint32_t vsid, const char *dst_s,
           unsigned int *bits)
{
    struct in6_addr dst = addr(dst_s);
    const struct hnv_route *r = hnv_policy_route_lookup(p, vsid, &dst, bits);

    return r ? r->vsid : 0;
}

static bool
rdid_is(const struct hnv_policy *p, uint32_t vsid, const char *rdid)
{
    const char *actual = hnv_policy_vsid_rdid(p, vsid);

    return rdid ? actual && !strcmp(actual, rdid) : !actual;
}

static struct hnv_policy_stats
stats(const struct hnv_policy *p)
{
    struct hnv_policy_stats s;

    hnv_policy_get_stats(p, &s);
    return s;
}

static void
test_policy_records(void)
{
    struct hnv_policy *p = hnv_policy_create();
    const struct hnv_record *r, *r2;
    struct in6_addr ca = addr("10.0.0.5");
    struct hnv_policy_stats s;

    CHECK(!hnv_policy_commit(p));
    set_record(p, 1, 5000, "10.0.0.5", "00:00:00:00:50:05", "192.168.1.1");
    r = hnv_policy_lookup(p, 5000, &ca, NULL);
    CHECK(rid(r) == 1);
    CHECK(r && r->spec.vsid == 5000 && !r->pa_is_gateway
          && r->spec.rule == HNV_RULE_ENCAP
          && r->spec.type == HNV_TYPE_STATIC
          && ipv6_addr_equals(&r->spec.pa, &(struct in6_addr) {
                                  .s6_addr = { [10] = 0xff, [11] = 0xff,
                                               192, 168, 1, 1 } }));
    CHECK(lookup_id(p, 5000, "10.0.0.5", "00:00:00:00:50:05") == 1);
    CHECK(lookup_id(p, 5000, "10.0.0.5", "00:00:00:00:50:06") == 0);
    CHECK(lookup_id(p, 5000, "10.0.0.6", NULL) == 0);
    CHECK(lookup_id(p, 6000, "10.0.0.5", NULL) == 0);
    CHECK(lookup_id(p, 5000, "::a00:5", NULL) == 0);
    CHECK(lookup_mac_id(p, 5000, "00:00:00:00:50:05", AF_INET) == 1);
    CHECK(lookup_mac_id(p, 5000, "00:00:00:00:50:05", 0) == 1);
    CHECK(lookup_mac_id(p, 5000, "00:00:00:00:50:05", AF_INET6) == 0);
    CHECK(lookup_mac_id(p, 6000, "00:00:00:00:50:05", 0) == 0);
    CHECK(lookup_rd_id(p, 5000, "10.0.0.5") == 1);
    CHECK(lookup_rd_id(p, 6000, "10.0.0.5") == 0);
    CHECK(hnv_policy_commit(p));
    CHECK(!hnv_policy_commit(p));

    /* Setting the same again changes nothing. */
    set_record(p, 1, 5000, "10.0.0.5", "00:00:00:00:50:05", "192.168.1.1");
    CHECK(hnv_policy_lookup(p, 5000, &ca, NULL) == r);
    CHECK(!hnv_policy_commit(p));

    /* A new PA (live migration) replaces the record. */
    set_record(p, 1, 5000, "10.0.0.5", "00:00:00:00:50:05", "192.168.1.2");
    r2 = hnv_policy_lookup(p, 5000, &ca, NULL);
    CHECK(rid(r2) == 1 && r2 != r);
    CHECK(r2 && r2->spec.pa.s6_addr[15] == 2);
    CHECK(hnv_policy_commit(p));

    /* The IPv6 record of the same VM is independent. */
    set_record(p, 2, 5000, "2001:db8::5", "00:00:00:00:50:05",
               "192.168.1.2");
    CHECK(lookup_id(p, 5000, "2001:db8::5", NULL) == 2);
    CHECK(lookup_mac_id(p, 5000, "00:00:00:00:50:05", AF_INET6) == 2);
    CHECK(lookup_mac_id(p, 5000, "00:00:00:00:50:05", AF_INET) == 1);
    CHECK(lookup_mac_id(p, 5000, "00:00:00:00:50:05", 0) == 1);

    /* A new CA, MAC or VSID moves the record. */
    set_record(p, 1, 5000, "10.0.0.6", "00:00:00:00:50:05", "192.168.1.2");
    CHECK(lookup_id(p, 5000, "10.0.0.5", NULL) == 0);
    CHECK(lookup_id(p, 5000, "10.0.0.6", NULL) == 1);
    CHECK(lookup_rd_id(p, 5000, "10.0.0.5") == 0);
    CHECK(lookup_rd_id(p, 5000, "10.0.0.6") == 1);
    set_record(p, 1, 5000, "10.0.0.6", "00:00:00:00:50:07", "192.168.1.2");
    CHECK(lookup_mac_id(p, 5000, "00:00:00:00:50:05", AF_INET) == 0);
    CHECK(lookup_mac_id(p, 5000, "00:00:00:00:50:07", AF_INET) == 1);
    set_record(p, 1, 6000, "10.0.0.6", "00:00:00:00:50:07", "192.168.1.2");
    CHECK(lookup_id(p, 5000, "10.0.0.6", NULL) == 0);
    CHECK(lookup_id(p, 6000, "10.0.0.6", NULL) == 1);
    CHECK(lookup_mac_id(p, 6000, "00:00:00:00:50:07", AF_INET) == 1);
    CHECK(lookup_rd_id(p, 6000, "10.0.0.6") == 1);
    CHECK(lookup_rd_id(p, 5000, "10.0.0.6") == 0);
    s = stats(p);
    CHECK(s.n_records == 2 && s.n_vsids == 2 && s.n_routes == 0
          && s.n_routing_domains == 0 && s.n_conflicts == 0);

    /* A gateway record. */
    set_record(p, 3, 5000, "10.0.0.1", "00:00:00:00:50:01",
               HNV_GATEWAY_PA_STRING);
    CHECK(hnv_policy_lookup(p, 5000, &(struct in6_addr) {
                                .s6_addr = { [10] = 0xff, [11] = 0xff,
                                             10, 0, 0, 1 } },
                            NULL)->pa_is_gateway);

    /* Wildcard records: one per MAC, no conflict, not in the domain
     * index. */
    set_record(p, 11, 5000, "0.0.0.0", "00:00:00:00:ee:02", "192.168.9.9");
    set_record(p, 10, 5000, "0.0.0.0", "00:00:00:00:ee:01", "192.168.9.9");
    set_record(p, 12, 5000, "::", "00:00:00:00:ee:01", "192.168.9.9");
    CHECK(lookup_id(p, 5000, "0.0.0.0", "00:00:00:00:ee:01") == 10);
    CHECK(lookup_id(p, 5000, "0.0.0.0", "00:00:00:00:ee:02") == 11);
    CHECK(lookup_id(p, 5000, "0.0.0.0", "00:00:00:00:ee:03") == 0);
    CHECK(lookup_id(p, 5000, "0.0.0.0", NULL) == 10);
    CHECK(lookup_id(p, 5000, "::", NULL) == 12);
    CHECK(lookup_id(p, 5000, "::", "00:00:00:00:ee:02") == 0);
    CHECK(lookup_rd_id(p, 5000, "0.0.0.0") == 0);
    CHECK(lookup_mac_id(p, 5000, "00:00:00:00:ee:02", AF_INET) == 11);
    CHECK(lookup_mac_id(p, 5000, "00:00:00:00:ee:01", AF_INET6) == 12);
    CHECK(stats(p).n_conflicts == 0);

    /* Removal. */
    remove_record(p, 10);
    CHECK(lookup_id(p, 5000, "0.0.0.0", NULL) == 11);
    remove_record(p, 10);       /* Again: no effect. */
    remove_record(p, 1);
    remove_record(p, 2);
    CHECK(lookup_id(p, 6000, "10.0.0.6", NULL) == 0);
    CHECK(lookup_mac_id(p, 6000, "00:00:00:00:50:07", 0) == 0);
    s = stats(p);
    CHECK(s.n_records == 3 && s.n_vsids == 1);
    CHECK(hnv_policy_commit(p));
    CHECK(stats(p).n_changes == 3);
    hnv_policy_destroy(p);
}

static void
test_policy_conflicts(void)
{
    struct hnv_policy *p = hnv_policy_create();

    /* Same (VSID, CA): the lowest UUID wins whatever the order. */
    set_record(p, 20, 5000, "10.0.0.9", "00:00:00:00:00:20", "192.168.1.1");
    set_record(p, 10, 5000, "10.0.0.9", "00:00:00:00:00:10", "192.168.1.1");
    set_record(p, 30, 5000, "10.0.0.9", "00:00:00:00:00:30", "192.168.1.1");
    CHECK(stats(p).n_conflicts == 2);
    CHECK(lookup_id(p, 5000, "10.0.0.9", NULL) == 10);
    CHECK(lookup_id(p, 5000, "10.0.0.9", "00:00:00:00:00:10") == 10);
    /* Losers stay hidden even when asked for by MAC. */
    CHECK(lookup_id(p, 5000, "10.0.0.9", "00:00:00:00:00:20") == 0);
    CHECK(lookup_mac_id(p, 5000, "00:00:00:00:00:20", 0) == 0);
    CHECK(lookup_rd_id(p, 5000, "10.0.0.9") == 10);
    /* Removing the winner promotes the next. */
    remove_record(p, 10);
    CHECK(lookup_id(p, 5000, "10.0.0.9", NULL) == 20);
    CHECK(lookup_mac_id(p, 5000, "00:00:00:00:00:20", 0) == 20);
    CHECK(lookup_rd_id(p, 5000, "10.0.0.9") == 20);
    remove_record(p, 20);
    CHECK(lookup_id(p, 5000, "10.0.0.9", NULL) == 30);
    remove_record(p, 30);
    CHECK(lookup_id(p, 5000, "10.0.0.9", NULL) == 0);

    /* Same wildcard CA and MAC. */
    set_record(p, 41, 5000, "0.0.0.0", "00:00:00:00:00:41", "192.168.1.1");
    set_record(p, 40, 5000, "0.0.0.0", "00:00:00:00:00:41", "192.168.1.2");
    CHECK(stats(p).n_conflicts == 3);
    CHECK(lookup_id(p, 5000, "0.0.0.0", "00:00:00:00:00:41") == 40);

    /* Same CA in two VSIDs of one routing domain. */
    set_route(p, 1, RD1, 5000, "10.0.0.0/24", "0.0.0.0", 255);
    set_route(p, 2, RD1, 6000, "10.0.1.0/24", "0.0.0.0", 255);
    CHECK(hnv_policy_commit(p));
    set_record(p, 51, 5000, "10.0.0.77", "00:00:00:00:00:51", "192.168.1.1");
    set_record(p, 50, 6000, "10.0.0.77", "00:00:00:00:00:50", "192.168.1.1");
    CHECK(stats(p).n_conflicts == 4);
    CHECK(lookup_rd_id(p, 5000, "10.0.0.77") == 50);
    CHECK(lookup_rd_id(p, 6000, "10.0.0.77") == 50);
    /* The loser in the routing domain is invisible in its own VSID too:
     * otherwise it would receive traffic that it could never send back. */
    CHECK(lookup_id(p, 5000, "10.0.0.77", NULL) == 0);
    CHECK(lookup_id(p, 6000, "10.0.0.77", NULL) == 50);
    remove_record(p, 50);
    CHECK(lookup_rd_id(p, 6000, "10.0.0.77") == 51);
    CHECK(lookup_id(p, 5000, "10.0.0.77", NULL) == 51);

    /* A VSID named by routes of two domains: the first RDID wins. */
    set_route(p, 3, RD2, 6000, "10.0.2.0/24", "0.0.0.0", 255);
    CHECK(stats(p).n_conflicts == 5);
    CHECK(hnv_policy_commit(p));
    CHECK(rdid_is(p, 6000, RD1));
    set_route(p, 4, RD0, 6000, "10.0.3.0/24", "0.0.0.0", 255);
    CHECK(stats(p).n_conflicts == 6);
    CHECK(hnv_policy_commit(p));
    CHECK(rdid_is(p, 6000, RD0));
    CHECK(!hnv_policy_same_rd(p, 5000, 6000));
    /* Its records left RD1: the CA of VSID 5000 no longer conflicts. */
    set_record(p, 50, 6000, "10.0.0.77", "00:00:00:00:00:50", "192.168.1.1");
    CHECK(lookup_rd_id(p, 5000, "10.0.0.77") == 51);
    CHECK(lookup_rd_id(p, 6000, "10.0.0.77") == 50);
    /* RD1's route toward VSID 6000 is out of use while 6000 is in RD0. */
    CHECK(route_vsid(p, 5000, "10.0.1.1", NULL) == 0);
    CHECK(route_vsid(p, 6000, "10.0.3.1", NULL) == 6000);
    CHECK(route_vsid(p, 6000, "10.0.1.1", NULL) == 0);
    remove_route(p, 4);
    CHECK(hnv_policy_commit(p));
    CHECK(rdid_is(p, 6000, RD1));
    CHECK(route_vsid(p, 5000, "10.0.1.1", NULL) == 6000);
    /* Moving back into RD1 makes the CA conflict again (counted). */
    CHECK(stats(p).n_conflicts == 7);
    CHECK(lookup_rd_id(p, 5000, "10.0.0.77") == 50);
    hnv_policy_destroy(p);
}

static void
test_policy_domains(void)
{
    struct hnv_policy *p = hnv_policy_create();
    unsigned int bits;

    set_record(p, 1, 5000, "10.0.0.5", "00:00:00:00:50:05", "192.168.1.1");
    set_record(p, 2, 6000, "10.0.1.5", "00:00:00:00:60:05", "192.168.1.2");
    set_record(p, 3, 7000, "10.0.1.5", "00:00:00:00:70:05", "192.168.1.3");
    set_record(p, 4, 6000, "2001:db8:1::5", "00:00:00:00:60:05",
               "192.168.1.2");
    CHECK(hnv_policy_commit(p));

    /* Without routes every VSID is a domain of its own. */
    CHECK(rdid_is(p, 5000, NULL));
    CHECK(!hnv_policy_same_rd(p, 5000, 6000));
    CHECK(hnv_policy_same_rd(p, 5000, 5000));
    CHECK(lookup_rd_id(p, 5000, "10.0.1.5") == 0);
    CHECK(lookup_rd_id(p, 6000, "10.0.1.5") == 2);
    CHECK(lookup_rd_id(p, 7000, "10.0.1.5") == 3);
    bits = 999;
    CHECK(route_vsid(p, 5000, "10.0.1.5", &bits) == 0 && bits == 96);
    CHECK(route_vsid(p, 5000, "2001:db8::1", &bits) == 0 && bits == 0);

    /* Routes take effect at commit. */
    set_route(p, 1, "{11111111-2222-3333-4444-000000000001}", 5000,
              "10.0.0.0/24", "0.0.0.0", 255);
    set_route(p, 2, "11111111-2222-3333-4444-000000000001", 6000,
              "10.0.1.0/24", "0.0.0.0", 255);
    set_route(p, 3, RD1, 6000, "2001:db8:1::/48", "::", 255);
    set_route(p, 4, RD1, 6000, "0.0.0.0/0", "10.0.1.1", 255);
    set_route(p, 5, RD2, 7000, "10.0.1.0/24", "0.0.0.0", 255);
    CHECK(rdid_is(p, 5000, NULL));
    CHECK(route_vsid(p, 5000, "10.0.1.5", NULL) == 0);
    CHECK(hnv_policy_commit(p));
    CHECK(rdid_is(p, 5000, RD1));
    CHECK(rdid_is(p, 6000, RD1));
    CHECK(rdid_is(p, 7000, RD2));
    CHECK(hnv_policy_same_rd(p, 5000, 6000));
    CHECK(!hnv_policy_same_rd(p, 5000, 7000));
    CHECK(!hnv_policy_same_rd(p, 5000, 8000));
    CHECK(lookup_rd_id(p, 5000, "10.0.1.5") == 2);
    CHECK(lookup_rd_id(p, 6000, "10.0.0.5") == 1);
    CHECK(lookup_rd_id(p, 7000, "10.0.1.5") == 3);
    CHECK(lookup_rd_id(p, 7000, "10.0.0.5") == 0);
    CHECK(lookup_rd_id(p, 5000, "2001:db8:1::5") == 4);
    CHECK(route_vsid(p, 5000, "10.0.1.5", &bits) == 6000 && bits == 120);
    CHECK(route_vsid(p, 5000, "192.0.2.1", &bits) == 6000 && bits == 120);
    CHECK(route_vsid(p, 5000, "2001:db8:1::9", &bits) == 6000
          && bits == 48);
    CHECK(route_vsid(p, 5000, "2001:db8:2::9", &bits) == 0 && bits == 48);
    CHECK(route_vsid(p, 7000, "10.0.0.5", &bits) == 0 && bits == 120);
    CHECK(route_vsid(p, 7000, "10.0.1.5", &bits) == 7000);
    CHECK(route_vsid(p, 8000, "10.0.1.5", &bits) == 0 && bits == 96);
    CHECK(stats(p).n_routing_domains == 2 && stats(p).n_routes == 5
          && stats(p).n_vsids == 3 && stats(p).n_conflicts == 0);

    /* A record added later lands in its VSID's domain. */
    set_record(p, 5, 6000, "10.0.1.6", "00:00:00:00:60:06", "192.168.1.2");
    CHECK(lookup_rd_id(p, 5000, "10.0.1.6") == 5);

    /* VSID 6000 moves to RD2: its records follow. */
    remove_route(p, 2);
    remove_route(p, 3);
    remove_route(p, 4);
    set_route(p, 6, RD2, 6000, "10.0.2.0/24", "0.0.0.0", 255);
    CHECK(hnv_policy_commit(p));
    CHECK(rdid_is(p, 6000, RD2));
    CHECK(lookup_rd_id(p, 5000, "10.0.1.6") == 0);
    CHECK(lookup_rd_id(p, 7000, "10.0.1.6") == 5);
    CHECK(lookup_rd_id(p, 7000, "2001:db8:1::5") == 4);
    CHECK(lookup_id(p, 6000, "10.0.1.6", NULL) == 5);
    CHECK(lookup_mac_id(p, 6000, "00:00:00:00:60:06", 0) == 5);
    /* 6000 and 7000 both have 10.0.1.5: one conflict, lowest UUID. */
    CHECK(stats(p).n_conflicts == 1);
    CHECK(lookup_rd_id(p, 7000, "10.0.1.5") == 2);
    CHECK(route_vsid(p, 5000, "10.0.1.5", NULL) == 0);
    CHECK(route_vsid(p, 6000, "10.0.2.5", NULL) == 6000);

    /* Last route of RD1 gone: VSID 5000 is on its own again. */
    remove_route(p, 1);
    CHECK(hnv_policy_commit(p));
    CHECK(rdid_is(p, 5000, NULL));
    CHECK(lookup_rd_id(p, 5000, "10.0.0.5") == 1);
    CHECK(stats(p).n_routing_domains == 1);

    /* Route change without effect on lookups: commit says so. */
    set_route(p, 7, RD2, 7000, "10.0.1.0/24", "0.0.0.0", 255);
    CHECK(stats(p).n_routes == 3);
    CHECK(!hnv_policy_commit(p));
    remove_route(p, 7);
    CHECK(!hnv_policy_commit(p));
    set_route(p, 7, RD2, 7000, "10.0.1.0/24", "0.0.0.0", 1);
    CHECK(hnv_policy_commit(p));

    /* Invalid input is ignored and removes the row's old version. */
    set_route(p, 7, RD2, 4095, "10.0.1.0/24", "0.0.0.0", 1);
    CHECK(stats(p).n_routes == 2);
    {
        struct uuid u = mkuuid(8);
        struct hnv_route r = mkroute("10.0.9.0/24", 7000, "0.0.0.0", 1);

        hnv_policy_set_route(p, &u, "{xyz}", &r);
        CHECK(stats(p).n_routes == 2);
    }
    set_record(p, 1, 4095, "10.0.0.5", "00:00:00:00:50:05", "192.168.1.1");
    CHECK(lookup_id(p, 5000, "10.0.0.5", NULL) == 0);
    CHECK(stats(p).n_records == 4);
    hnv_policy_commit(p);
    hnv_policy_destroy(p);
}

static bool
local_pa_is(const struct hnv_policy *p, const char *remote,
            const char *expected)
{
    struct in6_addr r = addr(remote), local;
    bool found = hnv_policy_local_pa_for(p, &r, &local);
    struct in6_addr e;

    if (!expected) {
        return !found;
    }
    e = addr(expected);
    return found && ipv6_addr_equals(&local, &e);
}

static void
test_policy_local_pas(void)
{
    struct hnv_policy *p = hnv_policy_create();
    struct uuid u1 = mkuuid(1), u2 = mkuuid(2), u3 = mkuuid(3);
    struct in6_addr a1 = addr("192.168.2.1"), a2 = addr("192.168.1.1");
    struct in6_addr a3 = addr("2001:db8::1"), other = addr("192.168.1.2");

    CHECK(!hnv_policy_pa_is_local(p, &a1));
    CHECK(local_pa_is(p, "192.168.1.9", NULL));
    hnv_policy_set_local_pa(p, &u1, &a1, 24);
    hnv_policy_set_local_pa(p, &u2, &a2, 24);
    hnv_policy_set_local_pa(p, &u3, &a3, 64);
    CHECK(hnv_policy_commit(p));
    CHECK(hnv_policy_pa_is_local(p, &a1));
    CHECK(hnv_policy_pa_is_local(p, &a2));
    CHECK(hnv_policy_pa_is_local(p, &a3));
    CHECK(!hnv_policy_pa_is_local(p, &other));
    CHECK(local_pa_is(p, "192.168.2.77", "192.168.2.1"));
    CHECK(local_pa_is(p, "192.168.1.77", "192.168.1.1"));
    CHECK(local_pa_is(p, "10.9.9.9", "192.168.1.1"));
    CHECK(local_pa_is(p, "2001:db8::99", "2001:db8::1"));
    CHECK(local_pa_is(p, "2001:db9::99", "2001:db8::1"));
    CHECK(stats(p).n_local_pas == 3);

    /* Same again: no change. */
    hnv_policy_set_local_pa(p, &u1, &a1, 24);
    CHECK(!hnv_policy_commit(p));
    /* A longer covering prefix wins over a shorter one. */
    hnv_policy_set_local_pa(p, &u1, &a1, 16);
    CHECK(local_pa_is(p, "192.168.1.77", "192.168.1.1"));
    CHECK(local_pa_is(p, "192.168.7.77", "192.168.2.1"));
    CHECK(hnv_policy_commit(p));

    hnv_policy_remove_local_pa(p, &u3);
    CHECK(!hnv_policy_pa_is_local(p, &a3));
    CHECK(local_pa_is(p, "2001:db8::99", NULL));
    hnv_policy_remove_local_pa(p, &u3);
    CHECK(stats(p).n_local_pas == 2);
    hnv_policy_destroy(p);
}

static void
test_policy_format(void)
{
    struct hnv_policy *p = hnv_policy_create();
    struct uuid u = mkuuid(1);
    struct in6_addr pa = addr("192.168.1.0");
    struct ds s = DS_EMPTY_INITIALIZER;

    set_record(p, 1, 7000, "10.0.0.5", "00:00:00:00:70:05", "192.168.1.1");
    set_record(p, 2, 6000, "10.0.1.5", "00:00:00:00:60:05", "192.168.1.2");
    set_record(p, 3, 6000, "10.0.1.6", "00:00:00:00:60:06", "192.168.1.2");
    set_record(p, 4, 9000, "10.0.1.6", "00:00:00:00:90:06", "192.168.1.2");
    set_route(p, 1, RD2, 5000, "10.0.0.0/24", "0.0.0.0", 255);
    set_route(p, 2, RD2, 6000, "10.0.1.0/24", "0.0.0.0", 255);
    set_route(p, 3, RD1, 8000, "10.0.1.0/24", "0.0.0.0", 255);
    set_route(p, 4, RD1, 8000, "10.0.1.0/24", "0.0.0.0", 255);
    hnv_policy_set_local_pa(p, &u, &pa, 24);
    hnv_policy_commit(p);
    hnv_policy_format(p, &s);
    CHECK_STR(ds_cstr(&s),
              "lookup records: 4\n"
              "customer routes: 4\n"
              "routing domains: 2\n"
              "VSIDs: 5\n"
              "local provider addresses: 1\n"
              "conflicts: 0\n"
              "routing domain " RD1 ": 2 routes (1 in use)\n"
              "  VSID 8000: 0 lookup records\n"
              "routing domain " RD2 ": 2 routes (2 in use)\n"
              "  VSID 5000: 0 lookup records\n"
              "  VSID 6000: 2 lookup records\n"
              "VSID 7000: 1 lookup record (no routing domain)\n"
              "VSID 9000: 1 lookup record (no routing domain)\n"
              "local provider addresses:\n"
              "  192.168.1.0/24\n");
    ds_destroy(&s);
    hnv_policy_destroy(p);
}

/* The default gateway of 'vsid' for 'family' as "MAC CA", or "none". */
static char *
gateway_string(const struct hnv_policy *p, uint32_t vsid, int family)
{
    struct eth_addr m;
    struct in6_addr ca;
    struct ds s = DS_EMPTY_INITIALIZER;

    if (!hnv_policy_gateway(p, vsid, family, &m, &ca)) {
        return xstrdup("none");
    }
    hnv_format_mac(m, &s);
    ds_put_char(&s, ' ');
    hnv_format_address(&ca, &s);
    return ds_steal_cstr(&s);
}

static bool
gateway_is(const struct hnv_policy *p, uint32_t vsid, int family,
           const char *expected)
{
    char *actual = gateway_string(p, vsid, family);
    bool ok = !strcmp(actual, expected);

    if (!ok) {
        fprintf(stderr, "gateway of VSID %"PRIu32": %s, expected %s\n",
                vsid, actual, expected);
    }
    free(actual);
    return ok;
}

static void
test_policy_gateways(void)
{
    struct hnv_policy *p = hnv_policy_create();

    /* Only gateway records count, and only at commit. */
    set_record(p, 5, 5000, "10.0.0.5", "00:00:00:00:50:05", "192.168.1.1");
    set_record(p, 3, 5000, "10.0.0.1", "00:00:00:00:50:01",
               HNV_GATEWAY_PA_STRING);
    CHECK(gateway_is(p, 5000, AF_INET, "none"));
    CHECK(hnv_policy_commit(p));
    CHECK(gateway_is(p, 5000, AF_INET, "00:00:00:00:50:01 10.0.0.1"));
    CHECK(gateway_is(p, 5000, AF_INET6, "none"));
    CHECK(gateway_is(p, 6000, AF_INET, "none"));

    /* Per family; a wildcard gateway record is not a default gateway. */
    set_record(p, 4, 5000, "2001:db8::1", "00:00:00:00:60:01",
               HNV_GATEWAY_PA_STRING);
    set_record(p, 6, 6000, "0.0.0.0", "00:00:00:00:60:02",
               HNV_GATEWAY_PA_STRING);
    CHECK(hnv_policy_commit(p));
    CHECK(gateway_is(p, 5000, AF_INET6, "00:00:00:00:60:01 2001:db8::1"));
    CHECK(gateway_is(p, 5000, AF_INET, "00:00:00:00:50:01 10.0.0.1"));
    CHECK(gateway_is(p, 6000, AF_INET, "none"));

    /* Several: the lowest row UUID wins, whatever the order; removing it
     * makes the next one win. */
    set_record(p, 2, 5000, "10.0.0.254", "00:00:00:00:50:fe",
               HNV_GATEWAY_PA_STRING);
    CHECK(hnv_policy_commit(p));
    CHECK(gateway_is(p, 5000, AF_INET, "00:00:00:00:50:fe 10.0.0.254"));
    set_record(p, 9, 5000, "10.0.0.253", "00:00:00:00:50:fd",
               HNV_GATEWAY_PA_STRING);
    CHECK(hnv_policy_commit(p));
    CHECK(gateway_is(p, 5000, AF_INET, "00:00:00:00:50:fe 10.0.0.254"));
    remove_record(p, 2);
    CHECK(hnv_policy_commit(p));
    CHECK(gateway_is(p, 5000, AF_INET, "00:00:00:00:50:01 10.0.0.1"));

    /* A new MAC is published; a record that stops being a gateway, or
     * moves to another VSID, takes its gateway with it. */
    set_record(p, 3, 5000, "10.0.0.1", "00:00:00:00:50:11",
               HNV_GATEWAY_PA_STRING);
    CHECK(hnv_policy_commit(p));
    CHECK(gateway_is(p, 5000, AF_INET, "00:00:00:00:50:11 10.0.0.1"));
    set_record(p, 3, 5000, "10.0.0.1", "00:00:00:00:50:11", "192.168.1.1");
    CHECK(hnv_policy_commit(p));
    CHECK(gateway_is(p, 5000, AF_INET, "00:00:00:00:50:fd 10.0.0.253"));
    set_record(p, 9, 7000, "10.0.0.253", "00:00:00:00:50:fd",
               HNV_GATEWAY_PA_STRING);
    CHECK(hnv_policy_commit(p));
    CHECK(gateway_is(p, 5000, AF_INET, "none"));
    CHECK(gateway_is(p, 7000, AF_INET, "00:00:00:00:50:fd 10.0.0.253"));

    /* The last record of a VSID gone: nothing left behind. */
    remove_record(p, 9);
    CHECK(hnv_policy_commit(p));
    CHECK(gateway_is(p, 7000, AF_INET, "none"));

    hnv_policy_destroy(p);
}

static void
test_policy(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    CHECK(sizeof(struct hnv_record) <= 120);
    test_policy_records();
    test_policy_conflicts();
    test_policy_domains();
    test_policy_local_pas();
    test_policy_gateways();
    test_policy_format();
    finish("policy");
}

/* "policy-random": the policy against a naive model. */

#define N_RECORD_IDS 60
#define N_ROUTE_IDS 16

static const uint32_t model_vsids[] = { 5000, 5001, 5002, 5003 };
static const char *const model_cas[] = {
    "10.0.0.1", "10.0.0.2", "10.0.1.1", "0.0.0.0", "2001:db8::1", "::",
};
static const char *const model_macs[] = {
    "00:00:00:00:00:01", "00:00:00:00:00:02", "00:00:00:00:00:03",
};
static const char *const model_rdids[] = { RD0, RD1, RD2 };
static const char *const model_prefixes[] = {
    "10.0.0.0/24", "10.0.0.0/16", "0.0.0.0/0", "10.0.1.0/24",
    "2001:db8::/64", "::/0",
};

struct model {
    bool has_record[N_RECORD_IDS + 1];
    struct hnv_record_spec records[N_RECORD_IDS + 1];
    bool has_route[N_ROUTE_IDS + 1];
    const char *route_rdids[N_ROUTE_IDS + 1];
    struct hnv_route routes[N_ROUTE_IDS + 1];
    const char *committed_rd[ARRAY_SIZE(model_vsids)];  /* NULL: none. */
    bool committed_route[N_ROUTE_IDS + 1];  /* In use at the last commit. */
    struct hnv_route committed_routes[N_ROUTE_IDS + 1];
    const char *committed_route_rdids[N_ROUTE_IDS + 1];
    bool changed;
};

static int
model_vsid_index(uint32_t vsid)
{
    for (int i = 0; i < ARRAY_SIZE(model_vsids); i++) {
        if (model_vsids[i] == vsid) {
            return i;
        }
    }
    OVS_NOT_REACHED();
}

/* Domain key: the RDID, or a per-VSID key for a VSID on its own. */
static const void *
model_rd_key(const struct model *m, uint32_t vsid)
{
    int i = model_vsid_index(vsid);

    return m->committed_rd[i] ? (const void *) m->committed_rd[i]
                              : (const void *) &model_vsids[i];
}

static uint32_t model_lookup_in_rd(const struct model *, uint32_t vsid,
                                   const struct in6_addr *ca);

static uint32_t
model_lookup(const struct model *m, uint32_t vsid, const struct in6_addr *ca,
             const struct eth_addr *mac_)
{
    bool wildcard = hnv_address_is_wildcard(ca);
    uint32_t best = 0;

    for (uint32_t id = 1; id <= N_RECORD_IDS; id++) {
        const struct hnv_record_spec *r = &m->records[id];

        if (m->has_record[id] && r->vsid == vsid
            && ipv6_addr_equals(&r->ca, ca)
            && (!wildcard || !mac_ || eth_addr_equals(r->mac, *mac_))
            && !best) {
            best = id;
        }
    }
    if (best && mac_ && !eth_addr_equals(m->records[best].mac, *mac_)) {
        return 0;
    }
    /* A record that loses in its routing domain is invisible. */
    if (best && !wildcard && model_lookup_in_rd(m, vsid, ca) != best) {
        return 0;
    }
    return best;
}

static uint32_t
model_lookup_in_rd(const struct model *m, uint32_t vsid,
                   const struct in6_addr *ca)
{
    if (hnv_address_is_wildcard(ca)) {
        return 0;
    }
    for (uint32_t id = 1; id <= N_RECORD_IDS; id++) {
        const struct hnv_record_spec *r = &m->records[id];

        if (m->has_record[id] && ipv6_addr_equals(&r->ca, ca)
            && model_rd_key(m, r->vsid) == model_rd_key(m, vsid)) {
            return id;
        }
    }
    return 0;
}

static uint32_t
model_lookup_mac(const struct model *m, uint32_t vsid,
                 const struct eth_addr mac_, int family)
{
    for (uint32_t id = 1; id <= N_RECORD_IDS; id++) {
        const struct hnv_record_spec *r = &m->records[id];

        if (m->has_record[id] && r->vsid == vsid
            && eth_addr_equals(r->mac, mac_)
            && (!family
                || (family == AF_INET) == hnv_address_is_ipv4(&r->ca))
            && model_lookup(m, vsid, &r->ca, &r->mac) == id) {
            return id;
        }
    }
    return 0;
}

static const struct hnv_route *
model_route_lookup(const struct model *m, uint32_t vsid,
                   const struct in6_addr *dst, unsigned int *bits)
{
    const char *rdid = m->committed_rd[model_vsid_index(vsid)];
    struct hnv_route routes[N_ROUTE_IDS];
    size_t n = 0;

    for (int id = 1; id <= N_ROUTE_IDS; id++) {
        if (rdid && m->committed_route[id]
            && m->committed_route_rdids[id] == rdid) {
            routes[n++] = m->committed_routes[id];
        }
    }
    return naive_route_lookup(routes, n, dst, bits);
}

/* Applies at commit what the policy applies at commit. */
static void
model_commit(struct model *m)
{
    const char *old_rd[ARRAY_SIZE(model_vsids)];
    bool old_used[N_ROUTE_IDS + 1];
    struct hnv_route old_routes[N_ROUTE_IDS + 1];
    const char *old_rdids[N_ROUTE_IDS + 1];

    memcpy(old_rd, m->committed_rd, sizeof old_rd);
    memcpy(old_used, m->committed_route, sizeof old_used);
    memcpy(old_routes, m->committed_routes, sizeof old_routes);
    memcpy(old_rdids, m->committed_route_rdids, sizeof old_rdids);

    for (int i = 0; i < ARRAY_SIZE(model_vsids); i++) {
        const char *best = NULL;

        for (int id = 1; id <= N_ROUTE_IDS; id++) {
            if (m->has_route[id] && m->routes[id].vsid == model_vsids[i]
                && (!best || strcmp(m->route_rdids[id], best) < 0)) {
                best = m->route_rdids[id];
            }
        }
        m->committed_rd[i] = best;
        m->changed |= best != old_rd[i];
    }
    for (int id = 1; id <= N_ROUTE_IDS; id++) {
        m->committed_route[id] = (m->has_route[id]
                                  && m->committed_rd[model_vsid_index(
                                         m->routes[id].vsid)]
                                     == m->route_rdids[id]);
        m->committed_routes[id] = m->routes[id];
        m->committed_route_rdids[id] = m->route_rdids[id];
    }
    /* Compare the set of routes in use per domain, duplicates merged. */
    for (int r = 0; r < ARRAY_SIZE(model_rdids) && !m->changed; r++) {
        const char *rdid = model_rdids[r];

        for (int pass = 0; pass < 2 && !m->changed; pass++) {
            const bool *a_used = pass ? m->committed_route : old_used;
            const struct hnv_route *a = pass ? m->committed_routes
                                             : old_routes;
            const char **a_rdids = pass ? m->committed_route_rdids
                                        : old_rdids;
            const bool *b_used = pass ? old_used : m->committed_route;
            const struct hnv_route *b = pass ? old_routes
                                             : m->committed_routes;
            const char **b_rdids = pass ? old_rdids
                                        : m->committed_route_rdids;

            for (int i = 1; i <= N_ROUTE_IDS && !m->changed; i++) {
                bool found = false;

                if (!a_used[i] || a_rdids[i] != rdid) {
                    continue;
                }
                for (int j = 1; j <= N_ROUTE_IDS; j++) {
                    if (b_used[j] && b_rdids[j] == rdid
                        && routes_equal(&a[i], &b[j])) {
                        found = true;
                    }
                }
                m->changed |= !found;
            }
        }
    }
}

static void
compare_with_model(const struct hnv_policy *p, const struct model *m,
                   int op)
{
    for (int v = 0; v < ARRAY_SIZE(model_vsids); v++) {
        uint32_t vsid = model_vsids[v];
        const char *rdid = hnv_policy_vsid_rdid(p, vsid);

        if (rdid ? !m->committed_rd[v] || strcmp(rdid, m->committed_rd[v])
                 : m->committed_rd[v] != NULL) {
            fail(__FILE__, __LINE__, "op %d: VSID %"PRIu32" in %s, model "
                 "says %s", op, vsid, rdid ? rdid : "none",
                 m->committed_rd[v] ? m->committed_rd[v] : "none");
        }
        for (int w = 0; w < ARRAY_SIZE(model_vsids); w++) {
            bool same = model_rd_key(m, vsid) == model_rd_key(m,
                                                              model_vsids[w]);
            if (hnv_policy_same_rd(p, vsid, model_vsids[w]) != same) {
                fail(__FILE__, __LINE__, "op %d: same_rd(%"PRIu32", %"PRIu32
                     ") wrong", op, vsid, model_vsids[w]);
            }
        }
        for (int c = 0; c < ARRAY_SIZE(model_cas); c++) {
            struct in6_addr ca = addr(model_cas[c]);
            uint32_t got, want;

            got = rid(hnv_policy_lookup(p, vsid, &ca, NULL));
            want = model_lookup(m, vsid, &ca, NULL);
            if (got != want) {
                fail(__FILE__, __LINE__, "op %d: lookup(%"PRIu32", %s) = "
                     "%"PRIu32", model %"PRIu32, op, vsid, model_cas[c],
                     got, want);
            }
            for (int k = 0; k < ARRAY_SIZE(model_macs); k++) {
                struct eth_addr mm = mac(model_macs[k]);

                got = rid(hnv_policy_lookup(p, vsid, &ca, &mm));
                want = model_lookup(m, vsid, &ca, &mm);
                if (got != want) {
                    fail(__FILE__, __LINE__, "op %d: lookup(%"PRIu32", %s, "
                         "%s) = %"PRIu32", model %"PRIu32, op, vsid,
                         model_cas[c], model_macs[k], got, want);
                }
            }
            got = rid(hnv_policy_lookup_in_rd(p, vsid, &ca));
            want = model_lookup_in_rd(m, vsid, &ca);
            if (got != want) {
                fail(__FILE__, __LINE__, "op %d: lookup_in_rd(%"PRIu32", %s)"
                     " = %"PRIu32", model %"PRIu32, op, vsid, model_cas[c],
                     got, want);
            }
        }
        for (int k = 0; k < ARRAY_SIZE(model_macs); k++) {
            static const int families[] = { 0, AF_INET, AF_INET6 };
            struct eth_addr mm = mac(model_macs[k]);

            for (int f = 0; f < ARRAY_SIZE(families); f++) {
                uint32_t got = rid(hnv_policy_lookup_mac(p, vsid, mm,
                                                         families[f]));
                uint32_t want = model_lookup_mac(m, vsid, mm, families[f]);

                if (got != want) {
                    fail(__FILE__, __LINE__, "op %d: lookup_mac(%"PRIu32
                         ", %s, %d) = %"PRIu32", model %"PRIu32, op, vsid,
                         model_macs[k], families[f], got, want);
                }
            }
        }
        for (int d = 0; d < 4; d++) {
            static const char *dsts[] = {
                "10.0.0.1", "10.0.1.1", "2001:db8::1", "2001:db9::1",
            };
            struct in6_addr dst = addr(dsts[d]);
            unsigned int got_bits, want_bits;
            const struct hnv_route *got
                = hnv_policy_route_lookup(p, vsid, &dst, &got_bits);
            const struct hnv_route *want
                = model_route_lookup(m, vsid, &dst, &want_bits);

            if (!routes_equal(got, want) || got_bits != want_bits) {
                fail(__FILE__, __LINE__, "op %d: route lookup(%"PRIu32", "
                     "%s) differs from model", op, vsid, dsts[d]);
            }
        }
    }
}

static void
test_policy_random(struct ovs_cmdl_context *ctx)
{
    int n_ops = ctx->argc > 1 ? atoi(ctx->argv[1]) : 5000;
    struct hnv_policy *p = hnv_policy_create();
    struct model *m = xzalloc(sizeof *m);
    size_t n_commits_changed = 0;
    int op;

    random_set_seed(0x5eed);
    for (op = 0; op < n_ops && n_failures < 20; op++) {
        int what = random_range(100);

        if (what < 45) {
            uint32_t id = 1 + random_range(N_RECORD_IDS);
            struct hnv_record_spec spec
                = mkspec(model_vsids[random_range(ARRAY_SIZE(model_vsids))],
                         model_cas[random_range(ARRAY_SIZE(model_cas))],
                         model_macs[random_range(ARRAY_SIZE(model_macs))],
                         random_range(2) ? "192.168.0.1" : "192.168.0.2");
            struct uuid u = mkuuid(id);

            m->changed |= (!m->has_record[id]
                           || memcmp(&m->records[id], &spec, sizeof spec));
            m->has_record[id] = true;
            m->records[id] = spec;
            hnv_policy_set_record(p, &u, &spec);
        } else if (what < 70) {
            uint32_t id = 1 + random_range(N_RECORD_IDS);

            m->changed |= m->has_record[id];
            m->has_record[id] = false;
            remove_record(p, id);
        } else if (what < 82) {
            uint32_t id = 1 + random_range(N_ROUTE_IDS);
            const char *rdid
                = model_rdids[random_range(ARRAY_SIZE(model_rdids))];
            struct hnv_route r = mkroute(
                model_prefixes[random_range(ARRAY_SIZE(model_prefixes))],
                model_vsids[random_range(ARRAY_SIZE(model_vsids))],
                random_range(2) ? "0.0.0.0" : "10.0.0.1",
                random_range(2));
            struct uuid u = mkuuid(id);

            if (!hnv_address_is_ipv4(&r.prefix)) {
                r.next_hop = in6addr_any;
            }
            m->has_route[id] = true;
            m->route_rdids[id] = rdid;
            m->routes[id] = r;
            hnv_policy_set_route(p, &u, rdid, &r);
        } else if (what < 90) {
            uint32_t id = 1 + random_range(N_ROUTE_IDS);

            m->has_route[id] = false;
            remove_route(p, id);
        } else {
            bool changed;

            model_commit(m);
            changed = hnv_policy_commit(p);
            if (changed != m->changed) {
                fail(__FILE__, __LINE__, "op %d: commit returned %d, model "
                     "says %d", op, changed, m->changed);
            }
            n_commits_changed += changed;
            m->changed = false;
        }
        compare_with_model(p, m, op);
    }

    {
        struct hnv_policy_stats s = stats(p);
        size_t n_records = 0, n_routes = 0;

        for (int id = 1; id <= N_RECORD_IDS; id++) {
            n_records += m->has_record[id];
        }
        for (int id = 1; id <= N_ROUTE_IDS; id++) {
            n_routes += m->has_route[id];
        }
        CHECK(s.n_records == n_records);
        CHECK(s.n_routes == n_routes);
        CHECK(s.n_changes == n_commits_changed);
        /* The data must make conflicts happen. */
        CHECK(s.n_conflicts > 0);
    }
    free(m);
    hnv_policy_destroy(p);
    finish("policy-random");
}

/* "concurrency". */

struct reader_ctx {
    const struct hnv_policy *policy;
    atomic_bool stop;
    unsigned long long n_lookups;
    unsigned long long n_churn_hits;
    int n_errors;
};

/* Records with id 1..N_STABLE never change; ids above churn.  The writer
 * keeps every churned record self-consistent: its PA's last byte equals its
 * MAC's last byte, so a reader that saw a half-changed record would notice.
 */
#define N_STABLE 50
#define N_CHURN 200

static void *
reader_main(void *ctx_)
{
    struct reader_ctx *ctx = ctx_;
    const struct hnv_policy *p = ctx->policy;
    bool stop = false;

    while (!stop) {
        for (int i = 1; i <= N_STABLE; i++) {
            struct in6_addr ca = in6_addr_mapped_ipv4(htonl(0x0a000000 + i));
            const struct hnv_record *r = hnv_policy_lookup(p, 5000, &ca,
                                                           NULL);
            const struct hnv_route *route;

            if (!r || rid(r) != i
                || hnv_policy_lookup_in_rd(p, 6000, &ca) != r) {
                ctx->n_errors++;
            }
            route = hnv_policy_route_lookup(p, 6000, &ca, NULL);
            if (!route || route->vsid != 5000) {
                ctx->n_errors++;
            }
        }
        for (int i = 0; i < N_CHURN; i++) {
            struct in6_addr ca = in6_addr_mapped_ipv4(htonl(0x0a010000 + i));
            const struct hnv_record *r = hnv_policy_lookup(p, 5000, &ca,
                                                           NULL);
            if (r) {
                ctx->n_churn_hits++;
                if (r->spec.pa.s6_addr[15] != r->spec.mac.ea[5]
                    || !ipv6_addr_equals(&r->spec.ca, &ca)) {
                    ctx->n_errors++;
                }
            }
        }
        ctx->n_lookups += 2 * N_STABLE + N_CHURN;
        ovsrcu_quiesce();
        atomic_read(&ctx->stop, &stop);
    }
    return NULL;
}

static void
concurrency_set(struct hnv_policy *p, uint32_t id, uint32_t ca, uint8_t v)
{
    struct hnv_record_spec spec;
    struct uuid u = mkuuid(id);

    memset(&spec, 0, sizeof spec);
    spec.vsid = 5000;
    spec.ca = in6_addr_mapped_ipv4(htonl(ca));
    spec.mac = (struct eth_addr) { .ea = { 0, 0, 0, 0, id, v } };
    spec.pa = in6_addr_mapped_ipv4(htonl(0xc0a80000 + v));
    hnv_policy_set_record(p, &u, &spec);
}

static void
test_concurrency(struct ovs_cmdl_context *ctx_ OVS_UNUSED)
{
    struct hnv_policy *p = hnv_policy_create();
    struct reader_ctx ctx = { .policy = p };
    long long int deadline;
    pthread_t reader;
    int n_ops = 0;

    random_set_seed(7);
    for (int i = 1; i <= N_STABLE; i++) {
        concurrency_set(p, i, 0x0a000000 + i, i);
    }
    set_route(p, 1, RD1, 5000, "10.0.0.0/16", "0.0.0.0", 1);
    set_route(p, 2, RD1, 6000, "10.2.0.0/16", "0.0.0.0", 1);
    hnv_policy_commit(p);
    atomic_init(&ctx.stop, false);
    reader = ovs_thread_create("hnv-reader", reader_main, &ctx);

    deadline = time_msec() + 1500;
    while (time_msec() < deadline) {
        for (int k = 0; k < 100; k++, n_ops++) {
            uint32_t id = 1000 + random_range(N_CHURN);
            int what = random_range(10);

            if (what < 6) {
                concurrency_set(p, id, 0x0a010000 + (id - 1000),
                                random_uint32());
            } else if (what < 9) {
                remove_record(p, id);
            } else {
                /* Churn routes and domains too: a third domain takes
                 * VSID 7000 in and out; a second route for 6000 comes and
                 * goes in RD1 (the stable routes never change meaning). */
                if (random_range(2)) {
                    set_route(p, 3, random_range(2) ? RD0 : RD2, 7000,
                              "10.3.0.0/16", "0.0.0.0", 1);
                    set_route(p, 4, RD1, 6000, "10.4.0.0/16", "0.0.0.0",
                              random_range(3));
                } else {
                    remove_route(p, 3);
                    remove_route(p, 4);
                }
                hnv_policy_commit(p);
            }
        }
        ovsrcu_quiesce();
    }
    atomic_store(&ctx.stop, true);
    xpthread_join(reader, NULL);

    printf("writer: %d operations; reader: %llu lookups, %llu churned "
           "records seen\n", n_ops, ctx.n_lookups, ctx.n_churn_hits);
    CHECK(ctx.n_errors == 0);
    CHECK(ctx.n_lookups > 0 && ctx.n_churn_hits > 0);
    hnv_policy_destroy(p);
    ovsrcu_synchronize();
    finish("concurrency");
}

/* "bench". */

static long long int
now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static size_t
rss_bytes(void)
{
    unsigned long size = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");

    if (f) {
        if (fscanf(f, "%lu %lu", &size, &resident) != 2) {
            resident = 0;
        }
        fclose(f);
    }
    return resident * sysconf(_SC_PAGESIZE);
}

static void
bench_spec(size_t i, struct hnv_record_spec *spec, struct uuid *u)
{
    memset(spec, 0, sizeof *spec);
    spec->vsid = HNV_VSID_MIN + i / 1000;   /* 1,000 records per VSID. */
    spec->ca = in6_addr_mapped_ipv4(htonl(0x0a000000 + i % 1000));
    spec->mac = (struct eth_addr) { .ea = { 0, i >> 24, i >> 16, i >> 8, i,
                                            1 } };
    spec->pa = in6_addr_mapped_ipv4(htonl(0xc0a80000 + i % 64));
    *u = (struct uuid) { .parts = { hash_int(i, 0), i, 0, 0 } };
}

static void
test_bench(struct ovs_cmdl_context *ctx)
{
    size_t n = ctx->argc > 1 ? strtoul(ctx->argv[1], NULL, 10) : 1000000;
    struct hnv_policy *p = hnv_policy_create();
    struct hnv_record_spec spec;
    size_t rss0, heap0, i, n_found = 0;
    long long int t0, t_set, t_lookup, t_rd, t_replace;
    struct mallinfo2 mi;
    struct uuid u;

    mi = mallinfo2();
    heap0 = mi.uordblks + mi.hblkhd;
    rss0 = rss_bytes();

    t0 = now_ns();
    for (i = 0; i < n; i++) {
        bench_spec(i, &spec, &u);
        hnv_policy_set_record(p, &u, &spec);
    }
    hnv_policy_commit(p);
    t_set = now_ns() - t0;
    /* Let the RCU thread free the cmaps' outgrown bucket arrays. */
    ovsrcu_barrier();

    mi = mallinfo2();
    printf("%zu records: sizeof(struct hnv_record) = %zu\n",
           n, sizeof(struct hnv_record));
    printf("memory per record: %.1f bytes allocated (heap), %.1f bytes "
           "RSS growth\n",
           (double) (mi.uordblks + mi.hblkhd - heap0) / n,
           (double) (rss_bytes() - rss0) / n);

    t0 = now_ns();
    for (i = 0; i < n; i++) {
        size_t j = hash_int(i, 1) % n;
        bench_spec(j, &spec, &u);
        n_found += hnv_policy_lookup(p, spec.vsid, &spec.ca, NULL) != NULL;
    }
    t_lookup = now_ns() - t0;

    t0 = now_ns();
    for (i = 0; i < n; i++) {
        size_t j = hash_int(i, 2) % n;
        bench_spec(j, &spec, &u);
        n_found += hnv_policy_lookup_in_rd(p, spec.vsid, &spec.ca) != NULL;
    }
    t_rd = now_ns() - t0;

    t0 = now_ns();
    for (i = 0; i < n; i++) {
        bench_spec(i, &spec, &u);
        spec.pa.s6_addr[15] ^= 0x80;
        hnv_policy_set_record(p, &u, &spec);
        if (i % 1024 == 0) {
            ovsrcu_quiesce();
        }
    }
    t_replace = now_ns() - t0;

    /* The forwarding decision for a packet from a local VM to each record
     * of its VSID, as the HNV stage of NORMAL would make it when
     * translating: one source record per VSID, on this host. */
    struct in6_addr local_pa = in6_addr_mapped_ipv4(htonl(0xc0a86401));
    u = (struct uuid) { .parts = { 0, 0, 0, 1 } };
    hnv_policy_set_local_pa(p, &u, &local_pa, 32);
    for (i = 0; i < n; i += 1000) {
        bench_spec(i, &spec, &u);
        spec.ca = in6_addr_mapped_ipv4(htonl(0x0a000401));
        spec.mac = (struct eth_addr) { .ea = { 2, 0, 0, 0, 4, 1 } };
        spec.pa = local_pa;
        u.parts[2] = 1;
        hnv_policy_set_record(p, &u, &spec);
    }
    hnv_policy_commit(p);

    size_t n_forwarded = 0;
    t0 = now_ns();
    for (i = 0; i < n; i++) {
        struct flow_wildcards wc;
        struct hnv_decision d;
        struct flow f;

        bench_spec(hash_int(i, 3) % n, &spec, &u);
        memset(&f, 0, sizeof f);
        f.dl_type = htons(ETH_TYPE_IP);
        f.dl_src = (struct eth_addr) { .ea = { 2, 0, 0, 0, 4, 1 } };
        f.dl_dst = spec.mac;
        f.nw_src = htonl(0x0a000401);
        f.nw_dst = in6_addr_get_mapped_ipv4(&spec.ca);
        f.nw_proto = IPPROTO_TCP;
        f.nw_ttl = 64;
        flow_wildcards_init_catchall(&wc);
        hnv_stage_from_vm(p, spec.vsid, &f, &wc, &d);
        n_forwarded += (d.action == HNV_ACTION_ENCAP
                        || d.action == HNV_ACTION_DELIVER);
    }
    long long int t_decide = now_ns() - t0;

    printf("set (insert): %.0f ns/op\n", (double) t_set / n);
    printf("set (replace PA): %.0f ns/op\n", (double) t_replace / n);
    printf("lookup: %.0f ns/op\n", (double) t_lookup / n);
    printf("lookup_in_rd: %.0f ns/op\n", (double) t_rd / n);
    printf("forwarding decision (hnv_stage_from_vm): %.0f ns/op\n",
           (double) t_decide / n);
    CHECK(n_found == 2 * n);
    CHECK(n_forwarded == n);
    hnv_policy_destroy(p);
    ovsrcu_synchronize();
    finish("bench");
}

/* "l2": the VSID-scoped MAC table. */

static void
test_l2(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    struct hnv_l2 *l2 = hnv_l2_create();
    struct eth_addr a = mac("00:00:00:00:15:05");
    struct eth_addr b = mac("00:00:00:00:15:08");
    uint64_t seqno = seq_read(hnv_l2_seq(l2));
    struct hnv_l2_entry *entries;
    size_t n;

    /* The same MAC in two VSIDs: two entries, one per VSID. */
    CHECK(hnv_l2_lookup(l2, 5001, a) == OFPP_NONE);
    CHECK(hnv_l2_learn(l2, 5001, a, u16_to_ofp(1)));
    CHECK(hnv_l2_learn(l2, 6001, a, u16_to_ofp(4)));
    CHECK(hnv_l2_learn(l2, 5001, b, u16_to_ofp(2)));
    CHECK(hnv_l2_lookup(l2, 5001, a) == u16_to_ofp(1));
    CHECK(hnv_l2_lookup(l2, 6001, a) == u16_to_ofp(4));
    CHECK(hnv_l2_lookup(l2, 6002, a) == OFPP_NONE);
    CHECK(hnv_l2_count(l2) == 3);
    CHECK(seq_read(hnv_l2_seq(l2)) != seqno);

    /* Learning what is known changes nothing. */
    seqno = seq_read(hnv_l2_seq(l2));
    CHECK(!hnv_l2_learn(l2, 5001, a, u16_to_ofp(1)));
    CHECK(seq_read(hnv_l2_seq(l2)) == seqno);

    /* A move replaces the entry and is a change. */
    CHECK(hnv_l2_learn(l2, 5001, a, u16_to_ofp(3)));
    CHECK(hnv_l2_lookup(l2, 5001, a) == u16_to_ofp(3));
    CHECK(hnv_l2_count(l2) == 3);
    CHECK(seq_read(hnv_l2_seq(l2)) != seqno);

    /* The dump is sorted by VSID, then MAC. */
    entries = hnv_l2_dump(l2, &n);
    CHECK(n == 3);
    if (n == 3) {
        CHECK(entries[0].vsid == 5001 && eth_addr_equals(entries[0].mac, a));
        CHECK(entries[1].vsid == 5001 && eth_addr_equals(entries[1].mac, b));
        CHECK(entries[2].vsid == 6001 && entries[2].port == u16_to_ofp(4));
    }
    free(entries);

    /* Flushing a port forgets its MACs, in every VSID, and nothing else. */
    seqno = seq_read(hnv_l2_seq(l2));
    hnv_l2_flush_port(l2, u16_to_ofp(3));
    CHECK(hnv_l2_lookup(l2, 5001, a) == OFPP_NONE);
    CHECK(hnv_l2_lookup(l2, 5001, b) == u16_to_ofp(2));
    CHECK(hnv_l2_count(l2) == 2);
    CHECK(seq_read(hnv_l2_seq(l2)) != seqno);
    seqno = seq_read(hnv_l2_seq(l2));
    hnv_l2_flush_port(l2, u16_to_ofp(9));
    CHECK(seq_read(hnv_l2_seq(l2)) == seqno);

    hnv_l2_destroy(l2);
    finish("l2");
}

/* "stats": per-VSID counters. */

static void
test_stats(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    struct hnv_stats *stats = hnv_stats_create();
    struct ds s = DS_EMPTY_INITIALIZER;

    CHECK(hnv_stats_get(stats, 5001, HNV_CNT_ENCAP) == 0);
    hnv_stats_add(stats, 5001, HNV_CNT_ENCAP, 3);
    hnv_stats_add(stats, 5001, HNV_CNT_ENCAP, 2);
    hnv_stats_add(stats, 5002, HNV_CNT_ARP_REPLY, 1);
    hnv_stats_add(stats, 5001, hnv_counter_drop(HNV_DROP_SPOOFED), 4);
    hnv_stats_add(stats, 5001, HNV_CNT_LOCAL, 0);
    CHECK(hnv_stats_get(stats, 5001, HNV_CNT_ENCAP) == 5);
    CHECK(hnv_stats_get(stats, 5002, HNV_CNT_ARP_REPLY) == 1);
    CHECK(hnv_stats_get(stats, 5002, HNV_CNT_ENCAP) == 0);
    CHECK(hnv_stats_get(stats, 5001, hnv_counter_drop(HNV_DROP_SPOOFED))
          == 4);

    /* A reference keeps the counters alive. */
    struct hnv_stats *ref = hnv_stats_ref(stats);
    hnv_stats_unref(stats);
    hnv_stats_add(ref, 5001, HNV_CNT_DECAP, 7);

    hnv_stats_format(ref, 0, &s);
    CHECK_STR(ds_cstr(&s),
              "VSID 5001:\n"
              "  encapsulated: 5\n"
              "  decapsulated: 7\n"
              "  delivered locally: 0\n"
              "  routed: 0\n"
              "  ARP replies: 0\n"
              "  neighbor advertisements: 0\n"
              "  dropped: 4\n"
              "    spoofed: 4 (source address and MAC match no local "
              "record)\n"
              "VSID 5002:\n"
              "  encapsulated: 0\n"
              "  decapsulated: 0\n"
              "  delivered locally: 0\n"
              "  routed: 0\n"
              "  ARP replies: 1\n"
              "  neighbor advertisements: 0\n"
              "  dropped: 0\n");

    hnv_stats_clear(ref);
    CHECK(hnv_stats_get(ref, 5001, HNV_CNT_ENCAP) == 0);
    hnv_stats_unref(ref);
    ds_destroy(&s);
    finish("stats");
}

static const struct ovs_cmdl_command commands[] = {
    {"types", NULL, 0, 0, test_types, OVS_RO},
    {"route", NULL, 0, 0, test_route, OVS_RO},
    {"policy", NULL, 0, 0, test_policy, OVS_RO},
    {"policy-random", "[N-OPS]", 0, 1, test_policy_random, OVS_RO},
    {"l2", NULL, 0, 0, test_l2, OVS_RO},
    {"stats", NULL, 0, 0, test_stats, OVS_RO},
    {"concurrency", NULL, 0, 0, test_concurrency, OVS_RO},
    {"bench", "[N-RECORDS]", 0, 1, test_bench, OVS_RO},
    {NULL, NULL, 0, 0, NULL, OVS_RO},
};

static void
test_hnv_main(int argc, char *argv[])
{
    struct ovs_cmdl_context ctx = {
        .argc = argc - optind,
        .argv = argv + optind,
    };

    set_program_name(argv[0]);
    ovs_cmdl_run_command(&ctx, commands);
}

OVSTEST_REGISTER("test-hnv", test_hnv_main);
