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

/* ovs-hnvctl: the operator's tool for Hyper-V Network Virtualization.
 *
 * Design
 * ======
 *
 * ovs-hnvctl is ovs-vsctl's sibling: it is built on lib/db-ctl-base, so the
 * global options (--db, --timeout, --dry-run, --no-wait, --format...), the
 * "--" chaining of commands, the per-command options (--may-exist,
 * --if-exists) and the generic database commands (list, find, get, set...)
 * behave exactly as in ovs-vsctl.  Every invocation is one OVSDB
 * transaction: each command validates its arguments and then modifies the
 * IDL transaction; any error calls ctl_fatal(), which exits before the
 * transaction is committed, so a failed invocation writes nothing.
 *
 * The one syntactic addition is that a command's own options may also follow
 * its arguments, as PowerShell users write them (HNV-SPEC 4.1):
 * reorder_command_options() moves them in front of the command name, per
 * "--"-separated segment, before ctl_parse_commands() sees the command line.
 * Global output options (--format=...) given there are applied as globals.
 *
 * Values are parsed and validated with lib/hnv/hnv-types.h, the library that
 * ovs-vswitchd uses too, and stored in canonical form.
 *
 * The rules that involve several rows -- a customer address may be used
 * only once in a routing domain, a VSID belongs to one routing domain -- are
 * checked against a cache of the HNV policy (struct hnv_cache), built from
 * the database the first time a command needs it and kept up to date by
 * every command of the invocation, so a command sees the effect of the
 * commands before it (and an import sees its own earlier rows).  The cache
 * indexes records by (VSID, CA), by CA and by VSID, and routing domains by
 * RDID, so that each check costs O(1) in the size of the policy: importing a
 * million records is linear.  Generic database commands that may change
 * anything invalidate the cache, which is rebuilt on next use.
 *
 * Conditional monitoring: the cache is built from the rows that the IDL
 * holds, and the IDL holds only the lookup records that the invocation
 * needs.  The commands are parsed before the IDL connects, so each
 * command's "pre_*" function (run by run_prerequisites()) adds to a
 * condition on HNV_Lookup_Record the rows that it and its checks can look
 * at: add-lookup-record V CA the records with customer address CA in any
 * VSID (find_ca_conflict() looks only at records of the CA it is given, and
 * the routing domains come from HNV_Customer_Route, which, like the provider
 * tables, is small and always monitored whole); set- and del-lookup-record
 * V CA the records of CA; list-lookup-records the rows its filters select.
 * The union of these clauses is the condition.  Commands whose checks may
 * reach any record (add-customer-route: a VSID that joins a routing domain
 * has all its records checked), or that show everything (import, export,
 * show, list without filters, del-lookup-record --all) and the generic
 * database commands make the condition "true": the whole table.  Commands
 * that never look at records (provider addresses and routes, customer
 * route deletion and listing) do not monitor the table at all.  So the
 * cache is only ever asked about rows that are present.
 *
 * The condition compares stored text, the cache parsed addresses.  IPv4
 * text that parses is unique (inet_pton), so "customer_address == canonical
 * text" selects exactly the rows with that address; IPv6 text is not
 * unique, so an IPv6 key is fetched by VSID (set, del, list --vsid) or the
 * whole table is (add, list --ca alone).  See need_records_by_ca().
 *
 * "import" reads its whole file while the command line is checked (before
 * connecting to the database), so syntax errors are reported with their line
 * numbers before anything happens and the file is read only once even if the
 * transaction must be retried; the rows are validated and inserted in file
 * order when the transaction is built.  The file formats are documented in
 * ovs-hnvctl(8). */

#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db-ctl-base.h"

#include "command-line.h"
#include "compiler.h"
#include "dirs.h"
#include "fatal-signal.h"
#include "hash.h"
#include "hmapx.h"
#include "hnv/hnv-types.h"
#include "jsonrpc.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/json.h"
#include "openvswitch/list.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-data.h"
#include "ovsdb-idl.h"
#include "packets.h"
#include "process.h"
#include "smap.h"
#include "socket-util.h"
#include "sset.h"
#include "stream.h"
#include "stream-ssl.h"
#include "svec.h"
#include "lib/vswitch-idl.h"
#include "table.h"
#include "timeval.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(hnvctl);

/* --db: The database server to contact. */
static const char *db;

/* --dry-run: Do not commit any changes. */
static bool dry_run;

/* --no-wait: Wait for ovs-vswitchd to reload its configuration? */
static bool wait_for_reload = true;

/* --timeout: Time to wait for a connection to 'db'. */
static unsigned int timeout;

/* --retry: Keep trying to connect to the database forever? */
static bool retry;

/* Format for table output (--format, --data, --bare...). */
static struct table_style table_style = {
    TF_TABLE, CF_STRING, true, JSSF_SORT, 0
};

/* The IDL and the current transaction, for hnvctl_exit() only. */
static struct ovsdb_idl *the_idl;
static struct ovsdb_idl_txn *the_idl_txn;

OVS_NO_RETURN static void hnvctl_exit(int status);
OVS_NO_RETURN static void usage(void);
static void hnvctl_cmd_init(void);
static void parse_options(int argc, char *argv[], struct shash *local_opts);
static void reorder_command_options(int argc, char *argv[]);
static void run_prerequisites(struct ctl_command[], size_t n_commands,
                              struct ovsdb_idl *);
static bool direct_records_table_is_empty(void);
static bool run_direct_commands(const char *args,
                                const struct ctl_command *, size_t n);
static bool do_hnvctl(const char *args, struct ctl_command *, size_t n,
                      struct ovsdb_idl *);

int
main(int argc, char *argv[])
{
    struct ovsdb_idl *idl;
    struct ctl_command *commands;
    struct shash local_options;
    unsigned int seqno;
    size_t n_commands;

    set_program_name(argv[0]);
    fatal_ignore_sigpipe();
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);
    vlog_set_levels_from_string_assert("reconnect:warn");

    hnvctl_cmd_init();

    /* Parse command line. */
    char *args = process_escape_args(argv);
    shash_init(&local_options);
    parse_options(argc, argv, &local_options);
    reorder_command_options(argc - optind, argv + optind);
    char *error = ctl_parse_commands(argc - optind, argv + optind,
                                     &local_options, &commands, &n_commands);
    if (error) {
        ctl_fatal("%s", error);
    }
    VLOG(ctl_might_write_to_db(commands, n_commands) ? VLL_INFO : VLL_DBG,
         "Called as %s", args);

    ctl_timeout_setup(timeout);

    if (run_direct_commands(args, commands, n_commands)) {
        free(args);
        exit(EXIT_SUCCESS);
    }

    /* Initialize IDL. */
    idl = the_idl = ovsdb_idl_create_unconnected(&ovsrec_idl_class, false);
    ovsdb_idl_set_remote(idl, db, retry);
    ovsdb_idl_set_db_change_aware(idl, false);
    run_prerequisites(commands, n_commands, idl);

    /* Execute the commands.  As in ovs-vsctl, a transaction is tried at
     * most once per database sequence number. */
    seqno = ovsdb_idl_get_seqno(idl);
    for (;;) {
        ovsdb_idl_run(idl);
        if (!ovsdb_idl_is_alive(idl)) {
            int retval = ovsdb_idl_get_last_error(idl);
            ctl_fatal("%s: database connection failed (%s)",
                      db, ovs_retval_to_string(retval));
        }

        if (seqno != ovsdb_idl_get_seqno(idl)) {
            seqno = ovsdb_idl_get_seqno(idl);
            if (do_hnvctl(args, commands, n_commands, idl)) {
                free(args);
                exit(EXIT_SUCCESS);
            }
        }

        if (seqno == ovsdb_idl_get_seqno(idl)) {
            ovsdb_idl_wait(idl);
            poll_block();
        }
    }
}

/* Global options. */

enum {
    OPT_DB = UCHAR_MAX + 1,
    OPT_NO_SYSLOG,
    OPT_NO_WAIT,
    OPT_DRY_RUN,
    OPT_BOOTSTRAP_CA_CERT,
    OPT_PEER_CA_CERT,
    OPT_LOCAL,
    OPT_RETRY,
    OPT_COMMANDS,
    OPT_OPTIONS,
    VLOG_OPTION_ENUMS,
    TABLE_OPTION_ENUMS,
    SSL_OPTION_ENUMS,
};

static const struct option global_long_options[] = {
    {"db", required_argument, NULL, OPT_DB},
    {"no-syslog", no_argument, NULL, OPT_NO_SYSLOG},
    {"no-wait", no_argument, NULL, OPT_NO_WAIT},
    {"dry-run", no_argument, NULL, OPT_DRY_RUN},
    {"timeout", required_argument, NULL, 't'},
    {"retry", no_argument, NULL, OPT_RETRY},
    {"help", no_argument, NULL, 'h'},
    {"commands", no_argument, NULL, OPT_COMMANDS},
    {"options", no_argument, NULL, OPT_OPTIONS},
    {"version", no_argument, NULL, 'V'},
    VLOG_LONG_OPTIONS,
    TABLE_LONG_OPTIONS,
    STREAM_SSL_LONG_OPTIONS,
    {"bootstrap-ca-cert", required_argument, NULL, OPT_BOOTSTRAP_CA_CERT},
    {"peer-ca-cert", required_argument, NULL, OPT_PEER_CA_CERT},
    {NULL, 0, NULL, 0},
};

static void
parse_options(int argc, char *argv[], struct shash *local_options)
{
    const int n_global_long_options = ARRAY_SIZE(global_long_options) - 1;
    struct option *options;
    size_t allocated_options;
    size_t n_options;
    char *tmp, *short_options;

    tmp = ovs_cmdl_long_options_to_short_options(global_long_options);
    short_options = xasprintf("+%s", tmp);
    free(tmp);

    /* As in ovs-vsctl: the first command's own options may come before its
     * name, so they are accepted here too and passed on as local options. */
    options = xmemdup(global_long_options, sizeof global_long_options);
    allocated_options = ARRAY_SIZE(global_long_options);
    n_options = n_global_long_options;
    ctl_add_cmd_options(&options, &n_options, &allocated_options, OPT_LOCAL);

    for (;;) {
        int idx;
        int c = getopt_long(argc, argv, short_options, options, &idx);
        if (c == -1) {
            break;
        }

        switch (c) {
        case OPT_DB:
            db = optarg;
            break;

        case OPT_NO_SYSLOG:
            vlog_set_levels(&this_module, VLF_SYSLOG, VLL_WARN);
            break;

        case OPT_NO_WAIT:
            wait_for_reload = false;
            break;

        case OPT_DRY_RUN:
            dry_run = true;
            break;

        case OPT_LOCAL:
            if (shash_find(local_options, options[idx].name)) {
                ctl_fatal("'%s' option specified multiple times",
                          options[idx].name);
            }
            shash_add_nocopy(local_options,
                             xasprintf("--%s", options[idx].name),
                             nullable_xstrdup(optarg));
            break;

        case 'h':
            usage();

        case OPT_COMMANDS:
            ctl_print_commands();
            /* fall through */

        case OPT_OPTIONS:
            ctl_print_options(global_long_options);
            /* fall through */

        case 'V':
            ovs_print_version(0, 0);
            printf("DB Schema %s\n", ovsrec_get_db_version());
            exit(EXIT_SUCCESS);

        case 't':
            if (!str_to_uint(optarg, 10, &timeout) || !timeout) {
                ctl_fatal("value %s on -t or --timeout is invalid", optarg);
            }
            break;

        case OPT_RETRY:
            retry = true;
            break;

        VLOG_OPTION_HANDLERS
        TABLE_OPTION_HANDLERS(&table_style)
        STREAM_SSL_OPTION_HANDLERS

        case OPT_PEER_CA_CERT:
            stream_ssl_set_peer_ca_cert_file(optarg);
            break;

        case OPT_BOOTSTRAP_CA_CERT:
            stream_ssl_set_ca_cert_file(optarg, true);
            break;

        case '?':
            exit(EXIT_FAILURE);

        case 0:
            break;

        default:
            abort();
        }
    }
    free(short_options);

    if (!db) {
        db = ctl_default_db();
    }

    for (size_t i = n_global_long_options; options[i].name; i++) {
        free(CONST_CAST(char *, options[i].name));
    }
    free(options);
}

static const struct ctl_command_syntax hnvctl_commands[];

static const struct ctl_command_syntax *
find_hnv_command(const char *name)
{
    for (const struct ctl_command_syntax *p = hnvctl_commands; p->name; p++) {
        if (!strcmp(p->name, name)) {
            return p;
        }
    }
    return NULL;
}

/* Output options that may also follow a command's arguments, where they
 * act as the global options of the same name. */
static bool
apply_late_global_option(const char *arg)
{
    if (!strncmp(arg, "--format=", 9)) {
        table_parse_format(&table_style, arg + 9);
    } else if (!strncmp(arg, "--data=", 7)) {
        table_parse_cell_format(&table_style, arg + 7);
    } else if (!strcmp(arg, "--pretty")) {
        table_style.json_flags |= JSSF_PRETTY;
    } else if (!strcmp(arg, "--no-headings")) {
        table_style.headings = false;
    } else if (!strcmp(arg, "--bare")) {
        table_style.format = TF_LIST;
        table_style.cell_format = CF_BARE;
        table_style.headings = false;
    } else if (!strcmp(arg, "--dry-run")) {
        dry_run = true;
    } else if (!strcmp(arg, "--no-wait")) {
        wait_for_reload = false;
    } else {
        return false;
    }
    return true;
}

/* Returns true if 'arg' names one of the options of 'syntax'. */
static bool
command_has_option(const struct ctl_command_syntax *syntax, const char *arg)
{
    size_t len = strcspn(arg, "=");
    const char *s = syntax->options;

    while ((s = strstr(s, "--")) != NULL) {
        size_t n = strcspn(s, "=?,");
        if (n == len && !strncmp(s, arg, len)) {
            return true;
        }
        s += n;
    }
    return false;
}

/* In each "--"-separated command of argv[0..argc-1] (after the global
 * options), moves the options that follow an ovs-hnvctl command's name or
 * arguments in front of the name, where ctl_parse_commands() expects them.
 * Output options (--format=...) found anywhere in such a command are
 * applied as global options and removed.  Generic database commands are
 * left as they are. */
static void
reorder_command_options(int argc, char *argv[])
{
    int start = 0;

    for (int i = 0; i <= argc; i++) {
        if (i < argc && strcmp(argv[i], "--")) {
            continue;
        }

        /* Segment argv[start..i-1]. */
        int name = start;
        while (name < i && argv[name][0] == '-' && argv[name][1]) {
            name++;
        }
        const struct ctl_command_syntax *syntax
            = name < i ? find_hnv_command(argv[name]) : NULL;
        if (syntax) {
            char **opts = xmalloc((i - start) * sizeof *opts);
            char **rest = xmalloc((i - start) * sizeof *rest);
            int n_opts = 0, n_rest = 0;

            for (int j = start; j < i; j++) {
                const char *arg = argv[j];
                if (j == name) {
                    continue;
                } else if (arg[0] == '-' && arg[1] == '-' && arg[2]
                           && !command_has_option(syntax, arg)
                           && apply_late_global_option(arg)) {
                    continue;
                } else if (j < name
                           || (arg[0] == '-' && arg[1] == '-' && arg[2])) {
                    opts[n_opts++] = argv[j];
                } else {
                    rest[n_rest++] = argv[j];
                }
            }

            char *cmd = argv[name];
            int k = start;
            for (int j = 0; j < n_opts; j++) {
                argv[k++] = opts[j];
            }
            argv[k++] = cmd;
            for (int j = 0; j < n_rest; j++) {
                argv[k++] = rest[j];
            }
            /* The slots of removed options become "--": empty commands,
             * which ctl_parse_commands() skips. */
            while (k < i) {
                argv[k++] = "--";
            }
            free(opts);
            free(rest);
        }
        start = i + 1;
    }
}

static void
usage(void)
{
    printf("\
%s: Hyper-V Network Virtualization (HNV) configuration utility\n\
usage: %s [OPTIONS] COMMAND [ARG...] [-- [OPTIONS] COMMAND [ARG...]]...\n\
\n\
Lookup records (New/Set/Remove/Get-NetVirtualizationLookupRecord):\n\
  add-lookup-record VSID CA MAC PA   add a lookup record\n\
      [--rule=encap|nat|none]\n\
      [--type=static|dynamic|l2only|gateway-wildcard]\n\
      [--customer-id=ID] [--vm-name=NAME] [--context=TEXT] [--may-exist]\n\
  set-lookup-record VSID CA [MAC]    change a record's PA, rule, metadata\n\
      [--pa=PA] [--rule=RULE] [--customer-id=ID] [--vm-name=NAME]\n\
      [--context=TEXT] [--if-exists]\n\
  del-lookup-record VSID CA [MAC]    delete lookup records [--if-exists]\n\
  del-lookup-record --all            delete every lookup record\n\
  list-lookup-records                list lookup records\n\
      [--vsid=N] [--ca=IP] [--pa=IP] [--type=T] [--columns=COL,...]\n\
\n\
Customer routes (*-NetVirtualizationCustomerRoute):\n\
  add-customer-route RDID VSID PREFIX NEXT-HOP [METRIC]  [--may-exist]\n\
  del-customer-route RDID VSID PREFIX                    [--if-exists]\n\
  list-customer-routes [--rdid=ID] [--vsid=N] [--columns=COL,...]\n\
\n\
Provider addresses and routes (*-NetVirtualizationProvider*):\n\
  add-provider-address PA/PLEN INTERFACE [--vlan=N]      [--may-exist]\n\
  del-provider-address PA                                [--if-exists]\n\
  list-provider-addresses [--columns=COL,...]\n\
  add-provider-route PREFIX NEXT-HOP INTERFACE [METRIC]  [--may-exist]\n\
  del-provider-route PREFIX                              [--if-exists]\n\
  list-provider-routes [--columns=COL,...]\n\
\n\
Bridges and ports:\n\
  enable-bridge BRIDGE TUNNEL-PORT   run HNV on BRIDGE, NVGRE on TUNNEL-PORT\n\
  disable-bridge BRIDGE              stop HNV on BRIDGE [--if-exists]\n\
  bind-port PORT VSID                bind VM port PORT to VSID\n\
  unbind-port PORT                   unbind PORT [--if-exists]\n\
\n\
Bulk and overview:\n\
  import [FILE|-]                    add records and routes from CSV or JSON\n\
      [--may-exist] [--replace]      (all or nothing)\n\
  export                             print the policy as JSON (or CSV with\n\
                                     --format=csv), in import's format\n\
  show                               print an overview of the HNV setup\n\
\n\
A command's options may come before or after its arguments.\n\
\n\
%s\
\n\
Options:\n\
  --db=DATABASE               connect to DATABASE\n\
                              (default: %s)\n\
  --no-wait                   do not wait for ovs-vswitchd to reconfigure\n\
  --retry                     keep trying to connect to server forever\n\
  -t, --timeout=SECS          wait at most SECS seconds\n\
  --dry-run                   do not commit changes to database\n",
           program_name, program_name, ctl_get_db_cmd_usage(),
           ctl_default_db());
    table_usage();
    vlog_usage();
    printf("\
  --no-syslog             equivalent to --verbose=hnvctl:syslog:warn\n");
    stream_usage("database", true, true, true);
    printf("\n\
Other options:\n\
  -h, --help                  display this help message\n\
  -V, --version               display version information\n");
    exit(EXIT_SUCCESS);
}

/* The policy cache. */

struct hnv_vsid {
    struct hmap_node node;      /* In hnv_cache's 'vsids'. */
    uint32_t vsid;
    struct shash rdids;         /* RDID -> (uintptr_t) number of routes. */
    struct ovs_list records;    /* Contains "struct hnv_rec"s. */
};

struct hnv_rd {
    char *rdid;                 /* Canonical RDID. */
    struct hmapx vsids;         /* Contains "struct hnv_vsid *"s. */
};

struct hnv_ca {
    struct hmap_node node;      /* In hnv_cache's 'cas'. */
    struct in6_addr ca;
    struct ovs_list records;    /* Contains "struct hnv_rec"s. */
    size_t n_records;
};

struct hnv_rec {
    struct hmap_node node;      /* In hnv_cache's 'records', by VSID+CA. */
    struct ovs_list ca_node;    /* In 'ca->records'. */
    struct ovs_list vsid_node;  /* In 'vsid->records'. */
    struct hnv_vsid *vsid;
    struct hnv_ca *ca;
    struct eth_addr mac;
    const struct ovsrec_hnv_lookup_record *row;
};

struct hnv_croute {
    struct hmap_node node;      /* In hnv_cache's 'croutes'. */
    const char *rdid;           /* Owned by the hnv_rd. */
    uint32_t vsid;
    struct in6_addr prefix;
    unsigned int plen;
    const struct ovsrec_hnv_customer_route *row;
};

struct hnv_addr_row {
    struct hmap_node node;
    struct in6_addr addr;
    unsigned int plen;          /* Provider routes only. */
    const struct ovsdb_idl_row *row;
};

struct hnv_cache {
    bool valid;
    struct hmap vsids;          /* Contains "struct hnv_vsid"s. */
    struct shash rds;           /* RDID -> "struct hnv_rd". */
    struct hmap cas;            /* Contains "struct hnv_ca"s. */
    struct hmap records;        /* Contains "struct hnv_rec"s. */
    struct hmap croutes;        /* Contains "struct hnv_croute"s. */
    struct hmap pas;            /* HNV_Provider_Address, by address. */
    struct hmap proutes;        /* HNV_Provider_Route, by prefix. */
};

/* ovs-hnvctl's context.  Inherits 'struct ctl_context'. */
struct hnvctl_context {
    struct ctl_context base;
    const struct ovsrec_open_vswitch *ovs;
    struct hnv_cache cache;
};

static struct hnvctl_context *
hnvctl_context_cast(struct ctl_context *base)
{
    return CONTAINER_OF(base, struct hnvctl_context, base);
}

static uint32_t
hash_addr(const struct in6_addr *a, uint32_t basis)
{
    return hash_bytes(a, sizeof *a, basis);
}

static uint32_t
hash_rec(uint32_t vsid, const struct in6_addr *ca)
{
    return hash_addr(ca, vsid);
}

static void
cache_clear(struct hnv_cache *c)
{
    if (!c->valid) {
        return;
    }

    struct hnv_rec *rec;
    HMAP_FOR_EACH_POP (rec, node, &c->records) {
        free(rec);
    }
    hmap_destroy(&c->records);

    struct hnv_ca *ca;
    HMAP_FOR_EACH_POP (ca, node, &c->cas) {
        free(ca);
    }
    hmap_destroy(&c->cas);

    struct hnv_vsid *v;
    HMAP_FOR_EACH_POP (v, node, &c->vsids) {
        shash_destroy(&v->rdids);
        free(v);
    }
    hmap_destroy(&c->vsids);

    struct shash_node *node;
    SHASH_FOR_EACH (node, &c->rds) {
        struct hnv_rd *rd = node->data;
        hmapx_destroy(&rd->vsids);
        free(rd->rdid);
        free(rd);
    }
    shash_destroy(&c->rds);

    struct hnv_croute *cr;
    HMAP_FOR_EACH_POP (cr, node, &c->croutes) {
        free(cr);
    }
    hmap_destroy(&c->croutes);

    struct hnv_addr_row *ar;
    HMAP_FOR_EACH_POP (ar, node, &c->pas) {
        free(ar);
    }
    hmap_destroy(&c->pas);
    HMAP_FOR_EACH_POP (ar, node, &c->proutes) {
        free(ar);
    }
    hmap_destroy(&c->proutes);

    c->valid = false;
}

static void
hnvctl_invalidate_cache(struct ctl_context *base)
{
    cache_clear(&hnvctl_context_cast(base)->cache);
}

static struct hnv_vsid *
cache_find_vsid(struct hnv_cache *c, uint32_t vsid)
{
    struct hnv_vsid *v;
    HMAP_FOR_EACH_WITH_HASH (v, node, hash_int(vsid, 0), &c->vsids) {
        if (v->vsid == vsid) {
            return v;
        }
    }
    return NULL;
}

static struct hnv_vsid *
cache_get_vsid(struct hnv_cache *c, uint32_t vsid)
{
    struct hnv_vsid *v = cache_find_vsid(c, vsid);
    if (!v) {
        v = xzalloc(sizeof *v);
        v->vsid = vsid;
        shash_init(&v->rdids);
        ovs_list_init(&v->records);
        hmap_insert(&c->vsids, &v->node, hash_int(vsid, 0));
    }
    return v;
}

static struct hnv_ca *
cache_get_ca(struct hnv_cache *c, const struct in6_addr *addr, bool create)
{
    struct hnv_ca *ca;
    uint32_t hash = hash_addr(addr, 0);
    HMAP_FOR_EACH_WITH_HASH (ca, node, hash, &c->cas) {
        if (ipv6_addr_equals(&ca->ca, addr)) {
            return ca;
        }
    }
    if (!create) {
        return NULL;
    }
    ca = xzalloc(sizeof *ca);
    ca->ca = *addr;
    ovs_list_init(&ca->records);
    hmap_insert(&c->cas, &ca->node, hash);
    return ca;
}

static void
cache_add_record(struct hnv_cache *c, uint32_t vsid,
                 const struct in6_addr *ca, const struct eth_addr mac,
                 const struct ovsrec_hnv_lookup_record *row)
{
    struct hnv_rec *rec = xmalloc(sizeof *rec);
    rec->vsid = cache_get_vsid(c, vsid);
    rec->ca = cache_get_ca(c, ca, true);
    rec->mac = mac;
    rec->row = row;
    hmap_insert(&c->records, &rec->node, hash_rec(vsid, ca));
    ovs_list_push_back(&rec->ca->records, &rec->ca_node);
    rec->ca->n_records++;
    ovs_list_push_back(&rec->vsid->records, &rec->vsid_node);
}

static void
cache_remove_record(struct hnv_cache *c, struct hnv_rec *rec)
{
    hmap_remove(&c->records, &rec->node);
    ovs_list_remove(&rec->ca_node);
    ovs_list_remove(&rec->vsid_node);
    if (!--rec->ca->n_records) {
        hmap_remove(&c->cas, &rec->ca->node);
        free(rec->ca);
    }
    free(rec);
}

/* Adds a route of 'vsid' in routing domain 'rdid' to the membership
 * counts. */
static const char *
cache_join_rd(struct hnv_cache *c, struct hnv_vsid *v, const char *rdid)
{
    struct hnv_rd *rd = shash_find_data(&c->rds, rdid);
    if (!rd) {
        rd = xzalloc(sizeof *rd);
        rd->rdid = xstrdup(rdid);
        hmapx_init(&rd->vsids);
        shash_add(&c->rds, rdid, rd);
    }
    struct shash_node *node = shash_find(&v->rdids, rdid);
    if (node) {
        node->data = (void *) ((uintptr_t) node->data + 1);
    } else {
        shash_add(&v->rdids, rdid, (void *) (uintptr_t) 1);
        hmapx_add(&rd->vsids, v);
    }
    return rd->rdid;
}

static void
cache_leave_rd(struct hnv_cache *c, struct hnv_vsid *v, const char *rdid)
{
    struct shash_node *node = shash_find(&v->rdids, rdid);
    if (!node) {
        return;
    }
    uintptr_t n = (uintptr_t) node->data - 1;
    if (n) {
        node->data = (void *) n;
    } else {
        struct hnv_rd *rd = shash_find_data(&c->rds, rdid);
        shash_delete(&v->rdids, node);
        hmapx_find_and_delete(&rd->vsids, v);
    }
}

static uint32_t
hash_croute(const char *rdid, uint32_t vsid, const struct in6_addr *prefix,
            unsigned int plen)
{
    return hash_addr(prefix, hash_string(rdid, hash_int(vsid, plen)));
}

static struct hnv_croute *
cache_find_croute(struct hnv_cache *c, const char *rdid, uint32_t vsid,
                  const struct in6_addr *prefix, unsigned int plen)
{
    struct hnv_croute *cr;
    HMAP_FOR_EACH_WITH_HASH (cr, node, hash_croute(rdid, vsid, prefix, plen),
                             &c->croutes) {
        if (cr->vsid == vsid && cr->plen == plen && !strcmp(cr->rdid, rdid)
            && ipv6_addr_equals(&cr->prefix, prefix)) {
            return cr;
        }
    }
    return NULL;
}

static void
cache_add_croute(struct hnv_cache *c, const char *rdid, uint32_t vsid,
                 const struct in6_addr *prefix, unsigned int plen,
                 const struct ovsrec_hnv_customer_route *row)
{
    struct hnv_croute *cr = xmalloc(sizeof *cr);
    cr->rdid = cache_join_rd(c, cache_get_vsid(c, vsid), rdid);
    cr->vsid = vsid;
    cr->prefix = *prefix;
    cr->plen = plen;
    cr->row = row;
    hmap_insert(&c->croutes, &cr->node,
                hash_croute(rdid, vsid, prefix, plen));
}

static void
cache_remove_croute(struct hnv_cache *c, struct hnv_croute *cr)
{
    cache_leave_rd(c, cache_get_vsid(c, cr->vsid), cr->rdid);
    hmap_remove(&c->croutes, &cr->node);
    free(cr);
}

static struct hnv_addr_row *
cache_find_addr(struct hmap *map, const struct in6_addr *addr,
                unsigned int plen)
{
    struct hnv_addr_row *ar;
    HMAP_FOR_EACH_WITH_HASH (ar, node, hash_addr(addr, plen), map) {
        if (ar->plen == plen && ipv6_addr_equals(&ar->addr, addr)) {
            return ar;
        }
    }
    return NULL;
}

static void
cache_add_addr(struct hmap *map, const struct in6_addr *addr,
               unsigned int plen, const struct ovsdb_idl_row *row)
{
    struct hnv_addr_row *ar = xmalloc(sizeof *ar);
    ar->addr = *addr;
    ar->plen = plen;
    ar->row = row;
    hmap_insert(map, &ar->node, hash_addr(addr, plen));
}

/* Parses the provider address of an HNV_Provider_Address row, which may
 * carry a prefix length ("PA/PLEN") when written by other tools. */
static char *
parse_pa_plen(const char *s, struct in6_addr *addr, int *plen)
{
    const char *slash = strchr(s, '/');
    char *error;

    if (!slash) {
        error = hnv_parse_address(s, addr);
        *plen = -1;
        return error;
    }

    char *a = xmemdup0(s, slash - s);
    error = hnv_parse_address(a, addr);
    free(a);
    if (error) {
        free(error);
        return xasprintf("%s: invalid IP address", s);
    }

    unsigned int max = hnv_address_is_ipv4(addr) ? 32 : 128;
    unsigned int len;
    if (!slash[1] || strspn(slash + 1, "0123456789") != strlen(slash + 1)
        || !str_to_uint(slash + 1, 10, &len) || len > max) {
        return xasprintf("%s: prefix length out of range 0..%u", s, max);
    }
    *plen = len;
    return NULL;
}

/* Builds the cache from the IDL, unless it is up to date.  Rows whose values
 * do not parse (written by other tools) are left out of the indexes. */
static struct hnv_cache *
cache_populate(struct hnvctl_context *ctx)
{
    struct hnv_cache *c = &ctx->cache;
    if (c->valid) {
        return c;
    }

    c->valid = true;
    hmap_init(&c->vsids);
    shash_init(&c->rds);
    hmap_init(&c->cas);
    hmap_init(&c->records);
    hmap_init(&c->croutes);
    hmap_init(&c->pas);
    hmap_init(&c->proutes);

    const struct ovsrec_hnv_lookup_record *rec;
    OVSREC_HNV_LOOKUP_RECORD_FOR_EACH (rec, ctx->base.idl) {
        struct in6_addr ca;
        struct eth_addr mac;
        char *error = hnv_parse_address(rec->customer_address, &ca);
        if (!error) {
            error = hnv_parse_mac(rec->mac, &mac);
        }
        if (!error && hnv_vsid_is_valid(rec->vsid)) {
            cache_add_record(c, rec->vsid, &ca, mac, rec);
        }
        free(error);
    }

    const struct ovsrec_hnv_customer_route *cr;
    OVSREC_HNV_CUSTOMER_ROUTE_FOR_EACH (cr, ctx->base.idl) {
        struct in6_addr prefix;
        unsigned int plen;
        char *rdid = NULL;
        char *error = hnv_parse_rdid(cr->routing_domain, &rdid);
        if (!error) {
            error = hnv_parse_prefix(cr->destination_prefix, &prefix, &plen);
        }
        if (!error && hnv_vsid_is_valid(cr->vsid)) {
            cache_add_croute(c, rdid, cr->vsid, &prefix, plen, cr);
        }
        free(error);
        free(rdid);
    }

    const struct ovsrec_hnv_provider_address *pa;
    OVSREC_HNV_PROVIDER_ADDRESS_FOR_EACH (pa, ctx->base.idl) {
        struct in6_addr addr;
        int plen;
        char *error = parse_pa_plen(pa->provider_address, &addr, &plen);
        if (!error) {
            cache_add_addr(&c->pas, &addr, 0, &pa->header_);
        }
        free(error);
    }

    const struct ovsrec_hnv_provider_route *pr;
    OVSREC_HNV_PROVIDER_ROUTE_FOR_EACH (pr, ctx->base.idl) {
        struct in6_addr prefix;
        unsigned int plen;
        char *error = hnv_parse_prefix(pr->destination_prefix,
                                       &prefix, &plen);
        if (!error) {
            cache_add_addr(&c->proutes, &prefix, plen, &pr->header_);
        }
        free(error);
    }
    return c;
}

/* Errors. */

/* Reports 'error' (from a parse function) and exits; 'where' is a "FILE:LINE:
 * " prefix for import, or "". */
OVS_NO_RETURN static void
fatal_where(const char *where, char *error)
{
    ctl_fatal("%s%s", where, error);
}

static void
check(const char *where, char *error)
{
    if (error) {
        fatal_where(where, error);
    }
}

static char *
addr_to_string(const struct in6_addr *addr)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    hnv_format_address(addr, &s);
    return ds_steal_cstr(&s);
}

static char *
mac_to_string(const struct eth_addr mac)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    hnv_format_mac(mac, &s);
    return ds_steal_cstr(&s);
}

static char *
prefix_to_string(const struct in6_addr *prefix, unsigned int plen)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    hnv_format_prefix(prefix, plen, &s);
    return ds_steal_cstr(&s);
}

/* Value parsers used by commands and by import: each returns NULL or an
 * error message in the style of hnv-types.h. */

static char *
parse_provider_address(const char *s, struct in6_addr *pa)
{
    char *error = hnv_parse_address(s, pa);
    if (!error && hnv_address_is_wildcard(pa)) {
        error = xasprintf("%s: wildcard address is not a provider address",
                          s);
    }
    return error;
}

static char *
parse_rule(const char *s, enum hnv_rule *rule)
{
    static const char prefix[] = "TranslationMethod";

    if (!strncasecmp(s, prefix, strlen(prefix))
        && hnv_rule_from_string(s + strlen(prefix), rule)) {
        return NULL;
    }
    if (hnv_rule_from_string(s, rule)) {
        return NULL;
    }
    return xasprintf("%s: invalid rule (expected encap, nat or none)", s);
}

static char *
parse_type(const char *s, enum hnv_record_type *type)
{
    if (!strcasecmp(s, "GatewayWildcard")) {
        *type = HNV_TYPE_GATEWAY_WILDCARD;
        return NULL;
    }
    if (hnv_type_from_string(s, type)) {
        return NULL;
    }
    return xasprintf("%s: invalid type (expected static, dynamic, l2only or "
                     "gateway-wildcard)", s);
}

static char *
parse_metric(const char *s, int64_t *metric)
{
    unsigned long long int value;
    char *end;

    errno = 0;
    value = s[0] && isdigit((unsigned char) s[0]) ? strtoull(s, &end, 10) : 0;
    if (!s[0] || !isdigit((unsigned char) s[0]) || *end || errno
        || value > UINT32_MAX) {
        return xasprintf("%s: invalid metric (expected an integer "
                         "0..4294967295)", s);
    }
    *metric = value;
    return NULL;
}

static char *
parse_vlan(const char *s, int64_t *vlan)
{
    int64_t value;
    char *error = parse_metric(s, &value);
    if (error || value > 4095) {
        free(error);
        return xasprintf("%s: VLAN out of range 0..4095", s);
    }
    *vlan = value;
    return NULL;
}

static char *
parse_next_hop(const char *s, const struct in6_addr *prefix,
               const char *prefix_s, struct in6_addr *next_hop)
{
    char *error = hnv_parse_address(s, next_hop);
    if (!error
        && hnv_address_is_ipv4(next_hop) != hnv_address_is_ipv4(prefix)) {
        error = xasprintf("%s: next hop is not in the address family of "
                          "%s", s, prefix_s);
    }
    return error;
}

static char *
parse_interface(const char *s)
{
    return *s ? NULL : xstrdup("interface name must not be empty");
}

/* Lookup records. */

struct record_spec {
    uint32_t vsid;
    struct in6_addr ca;
    struct eth_addr mac;
    struct in6_addr pa;
    enum hnv_rule rule;
    enum hnv_record_type type;
    char *customer_id;          /* NULL if unset. */
    char *vm_name;              /* NULL if unset. */
    char *context;              /* NULL if unset. */
};

static void
record_spec_destroy(struct record_spec *spec)
{
    free(spec->customer_id);
    free(spec->vm_name);
    free(spec->context);
}

static char *
nonempty_xstrdup(const char *s)
{
    return s && *s ? xstrdup(s) : NULL;
}

/* Fills 'spec' from textual values (as given on the command line or in an
 * import file); 'rule' and 'type' may be NULL or empty for the defaults, the
 * metadata NULL or empty for none.  Returns NULL or an error message. */
static char *
record_spec_parse(struct record_spec *spec, const char *vsid,
                  const char *ca, const char *mac, const char *pa,
                  const char *rule, const char *type,
                  const char *customer_id, const char *vm_name,
                  const char *context)
{
    char *error;

    memset(spec, 0, sizeof *spec);
    error = hnv_parse_vsid(vsid, &spec->vsid);
    if (!error) {
        error = hnv_parse_address(ca, &spec->ca);
    }
    if (!error) {
        error = hnv_parse_mac(mac, &spec->mac);
    }
    if (!error) {
        error = parse_provider_address(pa, &spec->pa);
    }
    if (!error) {
        spec->rule = HNV_RULE_ENCAP;
        if (rule && *rule) {
            error = parse_rule(rule, &spec->rule);
        }
    }
    if (!error) {
        /* A wildcard CA given with no type is an edge gateway (WS2012 data
         * has no types). */
        spec->type = (hnv_address_is_wildcard(&spec->ca)
                      ? HNV_TYPE_GATEWAY_WILDCARD : HNV_TYPE_STATIC);
        if (type && *type) {
            error = parse_type(type, &spec->type);
        }
    }
    if (!error) {
        error = hnv_check_ca_type(&spec->ca, spec->type);
    }
    if (!error) {
        spec->customer_id = nonempty_xstrdup(customer_id);
        spec->vm_name = nonempty_xstrdup(vm_name);
        spec->context = nonempty_xstrdup(context);
    }
    return error;
}

static char *
record_key_string(uint32_t vsid, const struct in6_addr *ca,
                  const struct eth_addr *mac)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    ds_put_format(&s, "(VSID %"PRIu32", CA ", vsid);
    hnv_format_address(ca, &s);
    if (mac) {
        ds_put_cstr(&s, ", MAC ");
        hnv_format_mac(*mac, &s);
    }
    ds_put_char(&s, ')');
    return ds_steal_cstr(&s);
}

static struct hnv_rec *
cache_find_record(struct hnv_cache *c, uint32_t vsid,
                  const struct in6_addr *ca, const struct eth_addr *mac)
{
    struct hnv_rec *rec;
    HMAP_FOR_EACH_WITH_HASH (rec, node, hash_rec(vsid, ca), &c->records) {
        if (rec->vsid->vsid == vsid && ipv6_addr_equals(&rec->ca->ca, ca)
            && (!mac || eth_addr_equals(rec->mac, *mac))) {
            return rec;
        }
    }
    return NULL;
}

/* Returns a routing domain that 'a' and 'b' share, or NULL. */
static const char *
shared_rd(const struct hnv_vsid *a, const struct hnv_vsid *b)
{
    struct shash_node *node;
    SHASH_FOR_EACH (node, &a->rdids) {
        if (shash_find(&b->rdids, node->name)) {
            return node->name;
        }
    }
    return NULL;
}

/* Looks for a record other than 'self' that uses customer address 'ca' in
 * the routing domain(s) of VSID 'v' (or in 'v' itself).  Returns it and
 * stores in '*rdp' the routing domain they share (NULL if both are in
 * 'v').
 *
 * The cost is the smaller of the number of records with that CA and the
 * number of VSIDs in v's routing domains, so that both "many tenants reuse
 * the same addresses" and "one big routing domain" stay O(1) per record. */
static struct hnv_rec *
find_ca_conflict(struct hnv_cache *c, struct hnv_vsid *v,
                 const struct in6_addr *ca, const struct hnv_rec *self,
                 const char **rdp)
{
    struct hnv_ca *group = cache_get_ca(c, ca, false);
    if (!group) {
        return NULL;
    }

    size_t n_vsids = 1;
    struct shash_node *node;
    SHASH_FOR_EACH (node, &v->rdids) {
        struct hnv_rd *rd = shash_find_data(&c->rds, node->name);
        n_vsids += hmapx_count(&rd->vsids);
    }

    *rdp = NULL;
    if (group->n_records <= n_vsids) {
        struct hnv_rec *rec;
        LIST_FOR_EACH (rec, ca_node, &group->records) {
            if (rec == self) {
                continue;
            }
            if (rec->vsid == v) {
                return rec;
            }
            const char *rd = shared_rd(v, rec->vsid);
            if (rd) {
                *rdp = rd;
                return rec;
            }
        }
        return NULL;
    }

    struct hnv_rec *rec;
    HMAP_FOR_EACH_WITH_HASH (rec, node, hash_rec(v->vsid, ca), &c->records) {
        if (rec != self && rec->vsid == v
            && ipv6_addr_equals(&rec->ca->ca, ca)) {
            return rec;
        }
    }
    SHASH_FOR_EACH (node, &v->rdids) {
        struct hnv_rd *rd = shash_find_data(&c->rds, node->name);
        struct hmapx_node *xn;
        HMAPX_FOR_EACH (xn, &rd->vsids) {
            struct hnv_vsid *w = xn->data;
            if (w == v) {
                continue;
            }
            HMAP_FOR_EACH_WITH_HASH (rec, node, hash_rec(w->vsid, ca),
                                     &c->records) {
                if (rec != self && rec->vsid == w
                    && ipv6_addr_equals(&rec->ca->ca, ca)) {
                    *rdp = rd->rdid;
                    return rec;
                }
            }
        }
    }
    return NULL;
}

OVS_NO_RETURN static void
fatal_ca_conflict(const char *where, uint32_t vsid,
                  const struct in6_addr *ca, const struct eth_addr mac,
                  const struct hnv_rec *other, const char *rd)
{
    char *ca_s = addr_to_string(ca);
    char *mac_s = mac_to_string(mac);
    char *other_mac_s = mac_to_string(other->mac);
    struct ds in = DS_EMPTY_INITIALIZER;

    if (rd) {
        ds_put_format(&in, "routing domain %s", rd);
    } else {
        ds_put_format(&in, "VSID %"PRIu32, vsid);
    }
    ctl_fatal("%s%s: customer address of (VSID %"PRIu32", MAC %s) already "
              "used in %s by (VSID %"PRIu32", MAC %s)",
              where, ca_s, vsid, mac_s, ds_cstr(&in), other->vsid->vsid,
              other_mac_s);
}

static const char *
row_rule(const struct ovsrec_hnv_lookup_record *row)
{
    return row->rule && *row->rule ? row->rule : "encap";
}

static const char *
row_type(const struct ovsrec_hnv_lookup_record *row)
{
    return row->type && *row->type ? row->type : "static";
}

static bool
nullable_streq(const char *a, const char *b)
{
    return a && b ? !strcmp(a, b) : !a == !b;
}

static bool
record_row_matches_spec(const struct ovsrec_hnv_lookup_record *row,
                        const struct record_spec *spec)
{
    struct in6_addr pa;
    char *error = hnv_parse_address(row->provider_address, &pa);
    if (error) {
        free(error);
        return false;
    }
    return (ipv6_addr_equals(&pa, &spec->pa)
            && !strcmp(row_rule(row), hnv_rule_to_string(spec->rule))
            && !strcmp(row_type(row), hnv_type_to_string(spec->type))
            && nullable_streq(row->customer_id, spec->customer_id)
            && nullable_streq(row->vm_name, spec->vm_name)
            && nullable_streq(row->context, spec->context));
}

/* Inserts a row for the record in 'spec' into the transaction, with the row
 * UUID derived from the record's key (hnv_lookup_record_uuid()) that the
 * direct commands rely on.  If the IDL already has a row with that UUID,
 * which happens only when this invocation deleted the record before adding
 * it again, the new row gets a random UUID instead: one transaction cannot
 * delete and insert the same UUID, and the direct commands fall back to
 * the general path for such rows anyway. */
static struct ovsrec_hnv_lookup_record *
insert_lookup_record(struct hnvctl_context *ctx,
                     const struct record_spec *spec)
{
    struct uuid uuid;

    hnv_lookup_record_uuid(spec->vsid, &spec->ca, spec->mac, &uuid);
    if (ovsrec_hnv_lookup_record_get_for_uuid(ctx->base.idl, &uuid)) {
        return ovsrec_hnv_lookup_record_insert(ctx->base.txn);
    }
    return ovsrec_hnv_lookup_record_insert_persist_uuid(ctx->base.txn, &uuid);
}

/* Adds the record in 'spec' to the transaction and the cache, after checking
 * it against both.  With 'may_exist', an identical record is not an
 * error. */
static void
add_lookup_record(struct hnvctl_context *ctx, const struct record_spec *spec,
                  bool may_exist, const char *where)
{
    struct hnv_cache *c = cache_populate(ctx);
    struct hnv_rec *old = cache_find_record(c, spec->vsid, &spec->ca,
                                            &spec->mac);
    if (old) {
        if (may_exist && record_row_matches_spec(old->row, spec)) {
            return;
        }
        char *key = record_key_string(spec->vsid, &spec->ca, &spec->mac);
        ctl_fatal("%s%s: lookup record already exists%s", where, key,
                  may_exist ? " with different values" : "");
    }

    if (!hnv_address_is_wildcard(&spec->ca)) {
        struct hnv_vsid *v = cache_get_vsid(c, spec->vsid);
        const char *rd;
        struct hnv_rec *other = find_ca_conflict(c, v, &spec->ca, NULL, &rd);
        if (other) {
            fatal_ca_conflict(where, spec->vsid, &spec->ca, spec->mac,
                              other, rd);
        }
    }

    char *ca_s = addr_to_string(&spec->ca);
    char *mac_s = mac_to_string(spec->mac);
    char *pa_s = addr_to_string(&spec->pa);
    struct ovsrec_hnv_lookup_record *row = insert_lookup_record(ctx, spec);
    ovsrec_hnv_lookup_record_set_vsid(row, spec->vsid);
    ovsrec_hnv_lookup_record_set_customer_address(row, ca_s);
    ovsrec_hnv_lookup_record_set_mac(row, mac_s);
    ovsrec_hnv_lookup_record_set_provider_address(row, pa_s);
    ovsrec_hnv_lookup_record_set_rule(row, hnv_rule_to_string(spec->rule));
    ovsrec_hnv_lookup_record_set_type(row, hnv_type_to_string(spec->type));
    if (spec->customer_id) {
        ovsrec_hnv_lookup_record_set_customer_id(row, spec->customer_id);
    }
    if (spec->vm_name) {
        ovsrec_hnv_lookup_record_set_vm_name(row, spec->vm_name);
    }
    if (spec->context) {
        ovsrec_hnv_lookup_record_set_context(row, spec->context);
    }
    free(ca_s);
    free(mac_s);
    free(pa_s);

    cache_add_record(c, spec->vsid, &spec->ca, spec->mac, row);
}

static const char *
opt(const struct ctl_context *ctx, const char *name)
{
    return shash_find_data(&ctx->options, name);
}

static bool
has_opt(const struct ctl_context *ctx, const char *name)
{
    return shash_find(&ctx->options, name) != NULL;
}

/* Conditional monitoring of HNV_Lookup_Record (see the design comment at
 * the top of the file).  The "pre_*" functions of the commands, which run
 * before the IDL connects, accumulate here the lookup records that the
 * invocation needs; run_prerequisites() turns that into the table's
 * condition. */

/* Did some command register the HNV_Lookup_Record columns? */
static bool records_monitored;

/* Does some command need every lookup record? */
static bool records_all;

/* Does an "import" need the existing lookup records?  Only if there are any:
 * see run_prerequisites(). */
static bool import_needs_records;

/* Otherwise, the records needed: a disjunction of clauses on
 * HNV_Lookup_Record, each on one column. */
static struct ovsdb_idl_condition records_cond
    = OVSDB_IDL_CONDITION_INIT(&records_cond);

static void
need_all_records(void)
{
    records_all = true;
}

/* Notes that the command needs the lookup records whose customer address is
 * 'ca_s' in VSID 'vsid_s' or, if 'vsid_s' is NULL, in every VSID.
 *
 * The condition compares the stored text with the canonical text of the
 * address, while the cache compares parsed addresses.  For IPv4 they agree:
 * inet_pton() accepts only the dotted-quad form that ovs-hnvctl stores, so a
 * row whose text differs does not denote the address at all.  IPv6 has many
 * spellings of one address, and another writer may have used any of them, so
 * an IPv6 address is looked up by VSID instead (all the VSID's records), or
 * if the VSID is not given, by fetching all records.
 *
 * Values that do not parse add nothing: the command reports them before it
 * looks at any record. */
static void
need_records_by_ca(const char *vsid_s, const char *ca_s)
{
    struct in6_addr ca;
    uint32_t vsid;
    char *error;

    error = hnv_parse_address(ca_s, &ca);
    if (error) {
        free(error);
        return;
    }
    if (hnv_address_is_ipv4(&ca)) {
        char *s = addr_to_string(&ca);
        ovsrec_hnv_lookup_record_add_clause_customer_address(
            &records_cond, OVSDB_F_EQ, s);
        free(s);
    } else if (!vsid_s) {
        need_all_records();
    } else {
        error = hnv_parse_vsid(vsid_s, &vsid);
        if (error) {
            free(error);
            return;
        }
        ovsrec_hnv_lookup_record_add_clause_vsid(&records_cond, OVSDB_F_EQ,
                                                 vsid);
    }
}

/* Registers the columns of the HNV tables.  With 'records' false, the
 * command never looks at lookup records, so that table is not monitored at
 * all by this command. */
static void
pre_policy__(struct ctl_context *ctx, bool records)
{
    static const struct ovsdb_idl_column *record_columns[] = {
        &ovsrec_hnv_lookup_record_col_vsid,
        &ovsrec_hnv_lookup_record_col_customer_address,
        &ovsrec_hnv_lookup_record_col_mac,
        &ovsrec_hnv_lookup_record_col_provider_address,
        &ovsrec_hnv_lookup_record_col_rule,
        &ovsrec_hnv_lookup_record_col_type,
        &ovsrec_hnv_lookup_record_col_customer_id,
        &ovsrec_hnv_lookup_record_col_vm_name,
        &ovsrec_hnv_lookup_record_col_context,
    };
    static const struct ovsdb_idl_column *columns[] = {
        &ovsrec_hnv_customer_route_col_routing_domain,
        &ovsrec_hnv_customer_route_col_vsid,
        &ovsrec_hnv_customer_route_col_destination_prefix,
        &ovsrec_hnv_customer_route_col_next_hop,
        &ovsrec_hnv_customer_route_col_metric,
        &ovsrec_hnv_provider_address_col_provider_address,
        &ovsrec_hnv_provider_address_col_prefix_length,
        &ovsrec_hnv_provider_address_col_interface,
        &ovsrec_hnv_provider_address_col_vlan,
        &ovsrec_hnv_provider_route_col_destination_prefix,
        &ovsrec_hnv_provider_route_col_next_hop,
        &ovsrec_hnv_provider_route_col_interface,
        &ovsrec_hnv_provider_route_col_metric,
    };

    for (size_t i = 0; i < ARRAY_SIZE(columns); i++) {
        ovsdb_idl_add_column(ctx->idl, columns[i]);
    }
    if (records) {
        for (size_t i = 0; i < ARRAY_SIZE(record_columns); i++) {
            ovsdb_idl_add_column(ctx->idl, record_columns[i]);
        }
        records_monitored = true;
    }
}

/* For commands that need all the records (export, import, add-customer-route,
 * the list command without filters...). */
static void
pre_policy(struct ctl_context *ctx)
{
    pre_policy__(ctx, true);
    need_all_records();
}

/* For commands that never look at lookup records. */
static void
pre_policy_no_records(struct ctl_context *ctx)
{
    pre_policy__(ctx, false);
}

/* add-lookup-record VSID CA ...: the records with CA, in every VSID, so that
 * both "already exists" and "CA already used in the routing domain" are
 * decided on rows that are all present (find_ca_conflict() looks only at
 * records of that CA); the customer routes, which give the routing domains,
 * are monitored whole.  An IPv6 CA needs all records (see
 * need_records_by_ca()). */
static void
pre_add_lookup_record(struct ctl_context *ctx)
{
    pre_policy__(ctx, true);
    need_records_by_ca(NULL, ctx->argv[2]);
}

/* set-lookup-record and del-lookup-record VSID CA [MAC]: the records with
 * that key, which match_records() selects among those present. */
static void
pre_lookup_record_key(struct ctl_context *ctx)
{
    pre_policy__(ctx, true);
    if (has_opt(ctx, "--all")) {
        need_all_records();
    } else if (ctx->argc >= 3) {
        need_records_by_ca(ctx->argv[1], ctx->argv[2]);
    }
}

/* list-lookup-records: the rows that the filters select (a superset, when
 * several are given), or all rows. */
static void
pre_list_lookup_records(struct ctl_context *ctx)
{
    const char *ca_s = opt(ctx, "--ca");
    const char *pa_s = opt(ctx, "--pa");
    const char *vsid_s = opt(ctx, "--vsid");
    struct in6_addr pa;
    uint32_t vsid;
    char *error;

    pre_policy__(ctx, true);
    if (ca_s) {
        need_records_by_ca(vsid_s, ca_s);
    } else if (vsid_s) {
        error = hnv_parse_vsid(vsid_s, &vsid);
        if (!error) {
            ovsrec_hnv_lookup_record_add_clause_vsid(&records_cond,
                                                     OVSDB_F_EQ, vsid);
        }
        free(error);
    } else if (pa_s) {
        /* As for customer addresses, only IPv4 text is unique. */
        error = hnv_parse_address(pa_s, &pa);
        if (!error && hnv_address_is_ipv4(&pa)) {
            char *s = addr_to_string(&pa);
            ovsrec_hnv_lookup_record_add_clause_provider_address(
                &records_cond, OVSDB_F_EQ, s);
            free(s);
        } else if (!error) {
            need_all_records();
        }
        free(error);
    } else {
        need_all_records();
    }
}

static void
pre_switch(struct ctl_context *ctx)
{
    ovsdb_idl_add_column(ctx->idl, &ovsrec_open_vswitch_col_bridges);
    ovsdb_idl_add_column(ctx->idl, &ovsrec_bridge_col_name);
    ovsdb_idl_add_column(ctx->idl, &ovsrec_bridge_col_ports);
    ovsdb_idl_add_column(ctx->idl, &ovsrec_bridge_col_hnv);
    ovsdb_idl_add_column(ctx->idl, &ovsrec_port_col_name);
    ovsdb_idl_add_column(ctx->idl, &ovsrec_port_col_interfaces);
    ovsdb_idl_add_column(ctx->idl, &ovsrec_port_col_hnv_vsid);
    ovsdb_idl_add_column(ctx->idl, &ovsrec_interface_col_name);
    ovsdb_idl_add_column(ctx->idl, &ovsrec_interface_col_type);
    ovsdb_idl_add_column(ctx->idl, &ovsrec_interface_col_options);
    ovsdb_idl_add_column(ctx->idl, &ovsrec_hnv_col_tunnel_port);
}

static void
pre_all(struct ctl_context *ctx)
{
    pre_policy(ctx);
    pre_switch(ctx);
}

static void
cmd_add_lookup_record(struct ctl_context *base)
{
    struct hnvctl_context *ctx = hnvctl_context_cast(base);
    struct record_spec spec;

    check("", record_spec_parse(&spec, base->argv[1], base->argv[2],
                                base->argv[3], base->argv[4],
                                opt(base, "--rule"), opt(base, "--type"),
                                opt(base, "--customer-id"),
                                opt(base, "--vm-name"),
                                opt(base, "--context")));
    add_lookup_record(ctx, &spec, has_opt(base, "--may-exist"), "");
    record_spec_destroy(&spec);
}

/* Stores in '*recsp' the '*n_recsp' cached records that match the (VSID,
 * CA[, MAC]) in argv[1..3] and returns that key as text, for messages. */
static char *
match_records(struct hnvctl_context *ctx, struct ctl_context *base,
              struct hnv_rec ***recsp, size_t *n_recsp)
{
    struct hnv_cache *c = cache_populate(ctx);
    uint32_t vsid;
    struct in6_addr ca;
    struct eth_addr mac;
    bool has_mac = base->argc > 3;

    check("", hnv_parse_vsid(base->argv[1], &vsid));
    check("", hnv_parse_address(base->argv[2], &ca));
    if (has_mac) {
        check("", hnv_parse_mac(base->argv[3], &mac));
    }

    struct hnv_rec **recs = NULL;
    size_t n = 0, allocated = 0;
    struct hnv_rec *rec;
    HMAP_FOR_EACH_WITH_HASH (rec, node, hash_rec(vsid, &ca), &c->records) {
        if (rec->vsid->vsid == vsid && ipv6_addr_equals(&rec->ca->ca, &ca)
            && (!has_mac || eth_addr_equals(rec->mac, mac))) {
            if (n >= allocated) {
                recs = x2nrealloc(recs, &allocated, sizeof *recs);
            }
            recs[n++] = rec;
        }
    }
    *recsp = recs;
    *n_recsp = n;
    return record_key_string(vsid, &ca, has_mac ? &mac : NULL);
}

static void
cmd_set_lookup_record(struct ctl_context *base)
{
    struct hnvctl_context *ctx = hnvctl_context_cast(base);
    const char *pa_s = opt(base, "--pa");
    const char *rule_s = opt(base, "--rule");
    struct in6_addr pa;
    enum hnv_rule rule;

    if (pa_s) {
        check("", parse_provider_address(pa_s, &pa));
    }
    if (rule_s) {
        check("", parse_rule(rule_s, &rule));
    }
    if (!pa_s && !rule_s && !has_opt(base, "--customer-id")
        && !has_opt(base, "--vm-name") && !has_opt(base, "--context")) {
        ctl_fatal("set-lookup-record: nothing to set (use --pa, --rule, "
                  "--customer-id, --vm-name or --context)");
    }

    struct hnv_rec **recs;
    size_t n;
    char *key = match_records(ctx, base, &recs, &n);
    if (!n) {
        if (has_opt(base, "--if-exists")) {
            free(key);
            return;
        }
        ctl_fatal("%s: no such lookup record", key);
    } else if (n > 1) {
        ctl_fatal("%s: %"PRIuSIZE" lookup records match (give the MAC)",
                  key, n);
    }

    const struct ovsrec_hnv_lookup_record *row = recs[0]->row;
    if (pa_s) {
        char *s = addr_to_string(&pa);
        ovsrec_hnv_lookup_record_set_provider_address(row, s);
        free(s);
    }
    if (rule_s) {
        ovsrec_hnv_lookup_record_set_rule(row, hnv_rule_to_string(rule));
    }
    if (has_opt(base, "--customer-id")) {
        const char *v = opt(base, "--customer-id");
        ovsrec_hnv_lookup_record_set_customer_id(row, v && *v ? v : NULL);
    }
    if (has_opt(base, "--vm-name")) {
        const char *v = opt(base, "--vm-name");
        ovsrec_hnv_lookup_record_set_vm_name(row, v && *v ? v : NULL);
    }
    if (has_opt(base, "--context")) {
        const char *v = opt(base, "--context");
        ovsrec_hnv_lookup_record_set_context(row, v && *v ? v : NULL);
    }
    free(recs);
    free(key);
}

static void
cmd_del_lookup_record(struct ctl_context *base)
{
    struct hnvctl_context *ctx = hnvctl_context_cast(base);
    struct hnv_cache *c = cache_populate(ctx);

    if (has_opt(base, "--all")) {
        if (base->argc > 1) {
            ctl_fatal("del-lookup-record: --all takes no arguments");
        }
        struct hnv_rec *rec;
        HMAP_FOR_EACH_SAFE (rec, node, &c->records) {
            cache_remove_record(c, rec);
        }
        const struct ovsrec_hnv_lookup_record *row;
        OVSREC_HNV_LOOKUP_RECORD_FOR_EACH_SAFE (row, base->idl) {
            ovsrec_hnv_lookup_record_delete(row);
        }
        return;
    }
    if (base->argc < 3) {
        ctl_fatal("'del-lookup-record' command requires at least 2 arguments "
                  "(or --all)");
    }

    struct hnv_rec **recs;
    size_t n;
    char *key = match_records(ctx, base, &recs, &n);
    if (!n && !has_opt(base, "--if-exists")) {
        ctl_fatal("%s: no such lookup record", key);
    }
    for (size_t i = 0; i < n; i++) {
        ovsrec_hnv_lookup_record_delete(recs[i]->row);
        cache_remove_record(c, recs[i]);
    }
    free(recs);
    free(key);
}

/* Table output, shared by the list commands and export. */

enum hnv_table_id {
    HT_RECORDS,
    HT_CROUTES,
    HT_PAS,
    HT_PROUTES,
    N_HT
};

#define HNV_MAX_COLUMNS 9

struct hnv_table_desc {
    const char *name;               /* Section name in JSON export. */
    const char *columns[HNV_MAX_COLUMNS + 1];
    uint32_t int_columns;           /* Bitmap of integer columns. */
    uint32_t required_columns;      /* Bitmap of required columns. */
};

static const struct hnv_table_desc hnv_tables[N_HT] = {
    [HT_RECORDS] = {
        "lookup_records",
        { "vsid", "customer_address", "mac", "provider_address", "rule",
          "type", "customer_id", "vm_name", "context", NULL },
        1 << 0, 0xf,
    },
    [HT_CROUTES] = {
        "customer_routes",
        { "routing_domain", "vsid", "destination_prefix", "next_hop",
          "metric", NULL },
        1 << 1 | 1 << 4, 0xf,
    },
    [HT_PAS] = {
        "provider_addresses",
        { "provider_address", "prefix_length", "interface", "vlan", NULL },
        1 << 1 | 1 << 3, 0x7,
    },
    [HT_PROUTES] = {
        "provider_routes",
        { "destination_prefix", "next_hop", "interface", "metric", NULL },
        1 << 3, 0x7,
    },
};

static size_t
hnv_table_n_columns(enum hnv_table_id t)
{
    size_t n = 0;
    while (hnv_tables[t].columns[n]) {
        n++;
    }
    return n;
}

/* Canonical text of address 's', or 's' itself if it does not parse. */
static char *
canonical_address(const char *s)
{
    struct in6_addr addr;
    char *error = hnv_parse_address(s, &addr);
    if (error) {
        free(error);
        return xstrdup(s);
    }
    return addr_to_string(&addr);
}

static char *
canonical_prefix(const char *s)
{
    struct in6_addr prefix;
    unsigned int plen;
    char *error = hnv_parse_prefix(s, &prefix, &plen);
    if (error) {
        free(error);
        return xstrdup(s);
    }
    return prefix_to_string(&prefix, plen);
}

static char *
canonical_mac(const char *s)
{
    struct eth_addr mac;
    char *error = hnv_parse_mac(s, &mac);
    if (error) {
        free(error);
        return xstrdup(s);
    }
    return mac_to_string(mac);
}

static char *
canonical_rdid(const char *s)
{
    char *rdid;
    char *error = hnv_parse_rdid(s, &rdid);
    if (error) {
        free(error);
        return xstrdup(s);
    }
    return rdid;
}

/* Stores in 'vals' the values of 'row' (of table 't') in canonical text
 * form, NULL for an unset optional column.  The caller frees them. */
static void
row_values(enum hnv_table_id t, const struct ovsdb_idl_row *row,
           char *vals[HNV_MAX_COLUMNS])
{
    memset(vals, 0, HNV_MAX_COLUMNS * sizeof *vals);
    switch (t) {
    case HT_RECORDS: {
        const struct ovsrec_hnv_lookup_record *r
            = CONTAINER_OF(row, struct ovsrec_hnv_lookup_record, header_);
        vals[0] = xasprintf("%"PRId64, r->vsid);
        vals[1] = canonical_address(r->customer_address);
        vals[2] = canonical_mac(r->mac);
        vals[3] = canonical_address(r->provider_address);
        vals[4] = xstrdup(row_rule(r));
        vals[5] = xstrdup(row_type(r));
        vals[6] = nonempty_xstrdup(r->customer_id);
        vals[7] = nonempty_xstrdup(r->vm_name);
        vals[8] = nonempty_xstrdup(r->context);
        break;
    }
    case HT_CROUTES: {
        const struct ovsrec_hnv_customer_route *r
            = CONTAINER_OF(row, struct ovsrec_hnv_customer_route, header_);
        vals[0] = canonical_rdid(r->routing_domain);
        vals[1] = xasprintf("%"PRId64, r->vsid);
        vals[2] = canonical_prefix(r->destination_prefix);
        vals[3] = canonical_address(r->next_hop);
        vals[4] = xasprintf("%"PRId64, (r->n_metric ? r->metric[0]
                                        : HNV_DEFAULT_ROUTE_METRIC));
        break;
    }
    case HT_PAS: {
        const struct ovsrec_hnv_provider_address *r
            = CONTAINER_OF(row, struct ovsrec_hnv_provider_address, header_);
        vals[0] = canonical_address(r->provider_address);
        vals[1] = xasprintf("%"PRId64, r->prefix_length);
        vals[2] = xstrdup(r->interface);
        vals[3] = r->n_vlan ? xasprintf("%"PRId64, r->vlan[0]) : NULL;
        break;
    }
    case HT_PROUTES: {
        const struct ovsrec_hnv_provider_route *r
            = CONTAINER_OF(row, struct ovsrec_hnv_provider_route, header_);
        vals[0] = canonical_prefix(r->destination_prefix);
        vals[1] = canonical_address(r->next_hop);
        vals[2] = xstrdup(r->interface);
        vals[3] = xasprintf("%"PRId64, (r->n_metric ? r->metric[0]
                                        : HNV_DEFAULT_ROUTE_METRIC));
        break;
    }
    case N_HT:
    default:
        OVS_NOT_REACHED();
    }
}

static void
row_values_destroy(char *vals[HNV_MAX_COLUMNS])
{
    for (size_t i = 0; i < HNV_MAX_COLUMNS; i++) {
        free(vals[i]);
    }
}

/* Sorting: rows are printed in a stable, meaningful order. */
struct sort_item {
    const struct ovsdb_idl_row *row;
    const char *k_str;          /* Routing domain, or "". */
    uint64_t k_int;             /* VSID. */
    uint8_t k_addr[17];         /* Family (IPv4 first), then address. */
    unsigned int k_plen;
    uint64_t k_int2;            /* MAC. */
};

static void
addr_sort_key(const char *s, uint8_t key[17], unsigned int *plen)
{
    struct in6_addr addr;
    unsigned int len = 0;
    char *error = (strchr(s, '/')
                   ? hnv_parse_prefix(s, &addr, &len)
                   : hnv_parse_address(s, &addr));
    if (error) {
        free(error);
        memset(key, 0xff, 17);
    } else {
        key[0] = !hnv_address_is_ipv4(&addr);
        memcpy(key + 1, &addr, 16);
    }
    if (plen) {
        *plen = len;
    }
}

static int
compare_sort_items(const void *a_, const void *b_)
{
    const struct sort_item *a = a_;
    const struct sort_item *b = b_;
    int cmp = strcmp(a->k_str, b->k_str);
    if (cmp) {
        return cmp;
    }
    if (a->k_int != b->k_int) {
        return a->k_int < b->k_int ? -1 : 1;
    }
    cmp = memcmp(a->k_addr, b->k_addr, sizeof a->k_addr);
    if (cmp) {
        return cmp;
    }
    if (a->k_plen != b->k_plen) {
        return a->k_plen < b->k_plen ? -1 : 1;
    }
    if (a->k_int2 != b->k_int2) {
        return a->k_int2 < b->k_int2 ? -1 : 1;
    }
    return uuid_compare_3way(&a->row->uuid, &b->row->uuid);
}

/* Returns the rows of table 't' that 'filter' accepts (all if NULL), sorted,
 * in a malloc()'d array of '*n' items. */
static struct sort_item *
sorted_rows(struct ctl_context *ctx, enum hnv_table_id t,
            bool (*filter)(const struct ctl_context *,
                           const struct ovsdb_idl_row *),
            size_t *n)
{
    static const struct ovsdb_idl_table_class *classes[N_HT] = {
        [HT_RECORDS] = &ovsrec_table_hnv_lookup_record,
        [HT_CROUTES] = &ovsrec_table_hnv_customer_route,
        [HT_PAS] = &ovsrec_table_hnv_provider_address,
        [HT_PROUTES] = &ovsrec_table_hnv_provider_route,
    };
    struct sort_item *items = NULL;
    size_t allocated = 0;

    *n = 0;
    for (const struct ovsdb_idl_row *row
             = ovsdb_idl_first_row(ctx->idl, classes[t]);
         row; row = ovsdb_idl_next_row(row)) {
        if (filter && !filter(ctx, row)) {
            continue;
        }
        if (*n >= allocated) {
            items = x2nrealloc(items, &allocated, sizeof *items);
        }
        struct sort_item *item = &items[(*n)++];
        memset(item, 0, sizeof *item);
        item->row = row;
        item->k_str = "";

        switch (t) {
        case HT_RECORDS: {
            const struct ovsrec_hnv_lookup_record *r
                = CONTAINER_OF(row, struct ovsrec_hnv_lookup_record, header_);
            struct eth_addr mac;
            char *error = hnv_parse_mac(r->mac, &mac);
            item->k_int = r->vsid;
            addr_sort_key(r->customer_address, item->k_addr, NULL);
            item->k_int2 = error ? UINT64_MAX : eth_addr_to_uint64(mac);
            free(error);
            break;
        }
        case HT_CROUTES: {
            const struct ovsrec_hnv_customer_route *r
                = CONTAINER_OF(row, struct ovsrec_hnv_customer_route,
                               header_);
            item->k_str = r->routing_domain;
            item->k_int = r->vsid;
            addr_sort_key(r->destination_prefix, item->k_addr,
                          &item->k_plen);
            break;
        }
        case HT_PAS: {
            const struct ovsrec_hnv_provider_address *r
                = CONTAINER_OF(row, struct ovsrec_hnv_provider_address,
                               header_);
            addr_sort_key(r->provider_address, item->k_addr, NULL);
            break;
        }
        case HT_PROUTES: {
            const struct ovsrec_hnv_provider_route *r
                = CONTAINER_OF(row, struct ovsrec_hnv_provider_route,
                               header_);
            addr_sort_key(r->destination_prefix, item->k_addr,
                          &item->k_plen);
            break;
        }
        case N_HT:
        default:
            OVS_NOT_REACHED();
        }
    }
    if (*n) {
        qsort(items, *n, sizeof *items, compare_sort_items);
    }
    return items;
}

/* Parses the --columns option of a list command into indexes of the
 * columns of table 't'. */
static size_t
parse_columns_option(const struct ctl_context *ctx, enum hnv_table_id t,
                     size_t cols[HNV_MAX_COLUMNS])
{
    size_t n_all = hnv_table_n_columns(t);
    const char *spec = opt(ctx, "--columns");
    size_t n = 0;

    if (!spec) {
        for (size_t i = 0; i < n_all; i++) {
            cols[n++] = i;
        }
        return n;
    }

    char *copy = xstrdup(spec);
    char *save_ptr = NULL;
    for (char *name = strtok_r(copy, ",", &save_ptr); name;
         name = strtok_r(NULL, ",", &save_ptr)) {
        size_t i;
        for (i = 0; i < n_all; i++) {
            if (!strcasecmp(name, hnv_tables[t].columns[i])) {
                break;
            }
        }
        if (i == n_all) {
            struct ds all = DS_EMPTY_INITIALIZER;
            for (size_t j = 0; j < n_all; j++) {
                ds_put_format(&all, "%s%s", j ? ", " : "",
                              hnv_tables[t].columns[j]);
            }
            ctl_fatal("%s: unknown column (choose from %s)", name,
                      ds_cstr(&all));
        }
        if (n >= HNV_MAX_COLUMNS) {
            ctl_fatal("%s: too many columns", spec);
        }
        cols[n++] = i;
    }
    free(copy);
    return n;
}

static void
list_table(struct ctl_context *ctx, enum hnv_table_id t,
           bool (*filter)(const struct ctl_context *,
                          const struct ovsdb_idl_row *))
{
    size_t cols[HNV_MAX_COLUMNS];
    size_t n_cols = parse_columns_option(ctx, t, cols);
    size_t n;
    struct sort_item *items = sorted_rows(ctx, t, filter, &n);

    struct table *table = xmalloc(sizeof *table);
    table_init(table);
    for (size_t i = 0; i < n_cols; i++) {
        table_add_column(table, "%s", hnv_tables[t].columns[cols[i]]);
    }
    for (size_t i = 0; i < n; i++) {
        char *vals[HNV_MAX_COLUMNS];
        row_values(t, items[i].row, vals);
        table_add_row(table);
        for (size_t j = 0; j < n_cols; j++) {
            size_t c = cols[j];
            struct cell *cell = table_add_cell(table);
            if (!vals[c]) {
                /* Unset: an empty cell, null in JSON. */
            } else if (hnv_tables[t].int_columns & (1u << c)) {
                cell->json = json_integer_create(strtoll(vals[c], NULL, 10));
            } else {
                cell->text = vals[c];
                vals[c] = NULL;
            }
        }
        row_values_destroy(vals);
    }
    free(items);
    ctx->table = table;
}

static bool
filter_records(const struct ctl_context *ctx, const struct ovsdb_idl_row *row)
{
    const struct ovsrec_hnv_lookup_record *r
        = CONTAINER_OF(row, struct ovsrec_hnv_lookup_record, header_);
    const char *s;

    if ((s = opt(ctx, "--vsid")) != NULL) {
        uint32_t vsid;
        char *error = hnv_parse_vsid(s, &vsid);
        if (error) {
            ctl_fatal("%s", error);
        }
        if (r->vsid != vsid) {
            return false;
        }
    }
    if ((s = opt(ctx, "--ca")) != NULL || (s = opt(ctx, "--pa")) != NULL) {
        for (int i = 0; i < 2; i++) {
            const char *name = i ? "--pa" : "--ca";
            const char *value = i ? r->provider_address : r->customer_address;
            struct in6_addr want, have;
            if (!(s = opt(ctx, name))) {
                continue;
            }
            check("", hnv_parse_address(s, &want));
            char *error = hnv_parse_address(value, &have);
            if (error) {
                free(error);
                return false;
            }
            if (!ipv6_addr_equals(&want, &have)) {
                return false;
            }
        }
    }
    if ((s = opt(ctx, "--type")) != NULL) {
        enum hnv_record_type type;
        check("", parse_type(s, &type));
        if (strcmp(row_type(r), hnv_type_to_string(type))) {
            return false;
        }
    }
    return true;
}

static void
cmd_list_lookup_records(struct ctl_context *ctx)
{
    /* Validate the filters even if there are no rows. */
    const char *s;
    uint32_t vsid;
    struct in6_addr addr;
    enum hnv_record_type type;
    if ((s = opt(ctx, "--vsid")) != NULL) {
        check("", hnv_parse_vsid(s, &vsid));
    }
    if ((s = opt(ctx, "--ca")) != NULL) {
        check("", hnv_parse_address(s, &addr));
    }
    if ((s = opt(ctx, "--pa")) != NULL) {
        check("", hnv_parse_address(s, &addr));
    }
    if ((s = opt(ctx, "--type")) != NULL) {
        check("", parse_type(s, &type));
    }
    list_table(ctx, HT_RECORDS, filter_records);
}

/* Customer routes. */

struct croute_spec {
    char *rdid;                 /* Canonical. */
    uint32_t vsid;
    struct in6_addr prefix;
    unsigned int plen;
    struct in6_addr next_hop;
    int64_t metric;
};

static char *
croute_spec_parse(struct croute_spec *spec, const char *rdid,
                  const char *vsid, const char *prefix, const char *next_hop,
                  const char *metric)
{
    char *error;

    memset(spec, 0, sizeof *spec);
    spec->metric = HNV_DEFAULT_ROUTE_METRIC;
    error = hnv_parse_rdid(rdid, &spec->rdid);
    if (!error) {
        error = hnv_parse_vsid(vsid, &spec->vsid);
    }
    if (!error) {
        error = hnv_parse_prefix(prefix, &spec->prefix, &spec->plen);
    }
    if (!error) {
        error = parse_next_hop(next_hop, &spec->prefix, prefix,
                               &spec->next_hop);
    }
    if (!error && metric && *metric) {
        error = parse_metric(metric, &spec->metric);
    }
    return error;
}

static void
add_customer_route(struct hnvctl_context *ctx, const struct croute_spec *spec,
                   bool may_exist, const char *where)
{
    struct hnv_cache *c = cache_populate(ctx);
    struct hnv_croute *old = cache_find_croute(c, spec->rdid, spec->vsid,
                                               &spec->prefix, spec->plen);
    char *prefix_s = prefix_to_string(&spec->prefix, spec->plen);
    char *next_hop_s = addr_to_string(&spec->next_hop);

    if (old) {
        const struct ovsrec_hnv_customer_route *r = old->row;
        int64_t metric = r->n_metric ? r->metric[0]
                                     : HNV_DEFAULT_ROUTE_METRIC;
        char *old_nh = canonical_address(r->next_hop);
        bool same = !strcmp(old_nh, next_hop_s) && metric == spec->metric;
        free(old_nh);
        if (may_exist && same) {
            free(prefix_s);
            free(next_hop_s);
            return;
        }
        ctl_fatal("%s(%s, VSID %"PRIu32", %s): customer route already "
                  "exists%s", where, spec->rdid, spec->vsid, prefix_s,
                  may_exist ? " with a different next hop or metric" : "");
    }

    /* A VSID belongs to exactly one routing domain. */
    struct hnv_vsid *v = cache_get_vsid(c, spec->vsid);
    struct shash_node *node;
    SHASH_FOR_EACH (node, &v->rdids) {
        if (strcmp(node->name, spec->rdid)) {
            ctl_fatal("%s%"PRIu32": VSID already in another routing domain "
                      "%s", where, spec->vsid, node->name);
        }
    }

    /* Joining a routing domain: the VSID's customer addresses must not be
     * used by the other VSIDs of the domain. */
    bool joining = !shash_find(&v->rdids, spec->rdid);
    cache_add_croute(c, spec->rdid, spec->vsid, &spec->prefix, spec->plen,
                     NULL);
    if (joining) {
        struct hnv_rec *rec;
        LIST_FOR_EACH (rec, vsid_node, &v->records) {
            const char *rd;
            struct hnv_rec *other;
            if (hnv_address_is_wildcard(&rec->ca->ca)) {
                continue;
            }
            other = find_ca_conflict(c, v, &rec->ca->ca, rec, &rd);
            if (other && other->vsid != v) {
                fatal_ca_conflict(where, v->vsid, &rec->ca->ca, rec->mac,
                                  other, rd);
            }
        }
    }

    struct ovsrec_hnv_customer_route *row
        = ovsrec_hnv_customer_route_insert(ctx->base.txn);
    ovsrec_hnv_customer_route_set_routing_domain(row, spec->rdid);
    ovsrec_hnv_customer_route_set_vsid(row, spec->vsid);
    ovsrec_hnv_customer_route_set_destination_prefix(row, prefix_s);
    ovsrec_hnv_customer_route_set_next_hop(row, next_hop_s);
    ovsrec_hnv_customer_route_set_metric(row, &spec->metric, 1);
    cache_find_croute(c, spec->rdid, spec->vsid, &spec->prefix,
                      spec->plen)->row = row;
    free(prefix_s);
    free(next_hop_s);
}

static void
cmd_add_customer_route(struct ctl_context *base)
{
    struct croute_spec spec;

    check("", croute_spec_parse(&spec, base->argv[1], base->argv[2],
                                base->argv[3], base->argv[4],
                                base->argc > 5 ? base->argv[5] : NULL));
    add_customer_route(hnvctl_context_cast(base), &spec,
                       has_opt(base, "--may-exist"), "");
    free(spec.rdid);
}

static void
cmd_del_customer_route(struct ctl_context *base)
{
    struct hnvctl_context *ctx = hnvctl_context_cast(base);
    struct hnv_cache *c = cache_populate(ctx);
    struct in6_addr prefix;
    unsigned int plen;
    uint32_t vsid;
    char *rdid;

    check("", hnv_parse_rdid(base->argv[1], &rdid));
    check("", hnv_parse_vsid(base->argv[2], &vsid));
    check("", hnv_parse_prefix(base->argv[3], &prefix, &plen));

    struct hnv_croute *cr = cache_find_croute(c, rdid, vsid, &prefix, plen);
    if (!cr) {
        if (!has_opt(base, "--if-exists")) {
            char *prefix_s = prefix_to_string(&prefix, plen);
            ctl_fatal("(%s, VSID %"PRIu32", %s): no such customer route",
                      rdid, vsid, prefix_s);
        }
    } else {
        ovsrec_hnv_customer_route_delete(cr->row);
        cache_remove_croute(c, cr);
    }
    free(rdid);
}

static bool
filter_croutes(const struct ctl_context *ctx, const struct ovsdb_idl_row *row)
{
    const struct ovsrec_hnv_customer_route *r
        = CONTAINER_OF(row, struct ovsrec_hnv_customer_route, header_);
    const char *s;

    if ((s = opt(ctx, "--vsid")) != NULL) {
        uint32_t vsid;
        check("", hnv_parse_vsid(s, &vsid));
        if (r->vsid != vsid) {
            return false;
        }
    }
    if ((s = opt(ctx, "--rdid")) != NULL) {
        char *want;
        check("", hnv_parse_rdid(s, &want));
        char *have = canonical_rdid(r->routing_domain);
        bool match = !strcmp(want, have);
        free(want);
        free(have);
        if (!match) {
            return false;
        }
    }
    return true;
}

static void
cmd_list_customer_routes(struct ctl_context *ctx)
{
    const char *s;
    if ((s = opt(ctx, "--vsid")) != NULL) {
        uint32_t vsid;
        check("", hnv_parse_vsid(s, &vsid));
    }
    if ((s = opt(ctx, "--rdid")) != NULL) {
        char *rdid;
        check("", hnv_parse_rdid(s, &rdid));
        free(rdid);
    }
    list_table(ctx, HT_CROUTES, filter_croutes);
}

/* Provider addresses and routes. */

struct pa_spec {
    struct in6_addr pa;
    int64_t plen;
    char *interface;
    bool has_vlan;
    int64_t vlan;
};

static char *
pa_spec_parse(struct pa_spec *spec, const char *pa_plen, const char *plen_s,
              const char *interface, const char *vlan)
{
    char *error;
    int plen = -1;

    memset(spec, 0, sizeof *spec);
    if (plen_s) {
        /* Import: address and prefix length in separate columns. */
        error = parse_provider_address(pa_plen, &spec->pa);
        if (!error) {
            int64_t value;
            unsigned int max = hnv_address_is_ipv4(&spec->pa) ? 32 : 128;
            error = parse_metric(plen_s, &value);
            if (error || value > max) {
                free(error);
                error = xasprintf("%s: prefix length out of range 0..%u",
                                  plen_s, max);
            }
            plen = value;
        }
    } else {
        if (!strchr(pa_plen, '/')) {
            return xasprintf("%s: invalid provider address (expected "
                             "ADDRESS/LENGTH)", pa_plen);
        }
        error = parse_pa_plen(pa_plen, &spec->pa, &plen);
        if (!error && hnv_address_is_wildcard(&spec->pa)) {
            error = xasprintf("%s: wildcard address is not a provider "
                              "address", pa_plen);
        }
    }
    if (!error) {
        error = parse_interface(interface);
    }
    if (!error && vlan && *vlan) {
        spec->has_vlan = true;
        error = parse_vlan(vlan, &spec->vlan);
    }
    if (!error) {
        spec->plen = plen;
        spec->interface = xstrdup(interface);
    }
    return error;
}

static void
add_provider_address(struct hnvctl_context *ctx, const struct pa_spec *spec,
                     bool may_exist, const char *where)
{
    struct hnv_cache *c = cache_populate(ctx);
    struct hnv_addr_row *old = cache_find_addr(&c->pas, &spec->pa, 0);
    char *pa_s = addr_to_string(&spec->pa);

    if (old) {
        const struct ovsrec_hnv_provider_address *r
            = CONTAINER_OF(old->row, struct ovsrec_hnv_provider_address,
                           header_);
        bool same = (r->prefix_length == spec->plen
                     && !strcmp(r->interface, spec->interface)
                     && r->n_vlan == spec->has_vlan
                     && (!r->n_vlan || r->vlan[0] == spec->vlan));
        if (may_exist && same) {
            free(pa_s);
            return;
        }
        ctl_fatal("%s%s: provider address already exists%s", where, pa_s,
                  may_exist ? " with different values" : "");
    }

    struct ovsrec_hnv_provider_address *row
        = ovsrec_hnv_provider_address_insert(ctx->base.txn);
    ovsrec_hnv_provider_address_set_provider_address(row, pa_s);
    ovsrec_hnv_provider_address_set_prefix_length(row, spec->plen);
    ovsrec_hnv_provider_address_set_interface(row, spec->interface);
    if (spec->has_vlan) {
        ovsrec_hnv_provider_address_set_vlan(row, &spec->vlan, 1);
    }
    cache_add_addr(&c->pas, &spec->pa, 0, &row->header_);
    free(pa_s);
}

static void
cmd_add_provider_address(struct ctl_context *base)
{
    struct pa_spec spec;

    check("", pa_spec_parse(&spec, base->argv[1], NULL, base->argv[2],
                            opt(base, "--vlan")));
    add_provider_address(hnvctl_context_cast(base), &spec,
                         has_opt(base, "--may-exist"), "");
    free(spec.interface);
}

static void
cmd_del_provider_address(struct ctl_context *base)
{
    struct hnvctl_context *ctx = hnvctl_context_cast(base);
    struct hnv_cache *c = cache_populate(ctx);
    struct in6_addr pa;
    int plen;

    check("", parse_pa_plen(base->argv[1], &pa, &plen));
    struct hnv_addr_row *ar = cache_find_addr(&c->pas, &pa, 0);
    if (!ar) {
        if (!has_opt(base, "--if-exists")) {
            ctl_fatal("%s: no such provider address", base->argv[1]);
        }
        return;
    }
    ovsrec_hnv_provider_address_delete(
        CONTAINER_OF(ar->row, struct ovsrec_hnv_provider_address, header_));
    hmap_remove(&c->pas, &ar->node);
    free(ar);
}

static void
cmd_list_provider_addresses(struct ctl_context *ctx)
{
    list_table(ctx, HT_PAS, NULL);
}

struct proute_spec {
    struct in6_addr prefix;
    unsigned int plen;
    struct in6_addr next_hop;
    char *interface;
    int64_t metric;
};

static char *
proute_spec_parse(struct proute_spec *spec, const char *prefix,
                  const char *next_hop, const char *interface,
                  const char *metric)
{
    char *error;

    memset(spec, 0, sizeof *spec);
    spec->metric = HNV_DEFAULT_ROUTE_METRIC;
    error = hnv_parse_prefix(prefix, &spec->prefix, &spec->plen);
    if (!error) {
        error = parse_next_hop(next_hop, &spec->prefix, prefix,
                               &spec->next_hop);
    }
    if (!error) {
        error = parse_interface(interface);
    }
    if (!error && metric && *metric) {
        error = parse_metric(metric, &spec->metric);
    }
    if (!error) {
        spec->interface = xstrdup(interface);
    }
    return error;
}

static void
add_provider_route(struct hnvctl_context *ctx, const struct proute_spec *spec,
                   bool may_exist, const char *where)
{
    struct hnv_cache *c = cache_populate(ctx);
    struct hnv_addr_row *old = cache_find_addr(&c->proutes, &spec->prefix,
                                               spec->plen);
    char *prefix_s = prefix_to_string(&spec->prefix, spec->plen);
    char *next_hop_s = addr_to_string(&spec->next_hop);

    if (old) {
        const struct ovsrec_hnv_provider_route *r
            = CONTAINER_OF(old->row, struct ovsrec_hnv_provider_route,
                           header_);
        char *old_nh = canonical_address(r->next_hop);
        int64_t metric = r->n_metric ? r->metric[0]
                                     : HNV_DEFAULT_ROUTE_METRIC;
        bool same = (!strcmp(old_nh, next_hop_s)
                     && !strcmp(r->interface, spec->interface)
                     && metric == spec->metric);
        free(old_nh);
        if (may_exist && same) {
            free(prefix_s);
            free(next_hop_s);
            return;
        }
        ctl_fatal("%s%s: provider route already exists%s", where, prefix_s,
                  may_exist ? " with different values" : "");
    }

    struct ovsrec_hnv_provider_route *row
        = ovsrec_hnv_provider_route_insert(ctx->base.txn);
    ovsrec_hnv_provider_route_set_destination_prefix(row, prefix_s);
    ovsrec_hnv_provider_route_set_next_hop(row, next_hop_s);
    ovsrec_hnv_provider_route_set_interface(row, spec->interface);
    ovsrec_hnv_provider_route_set_metric(row, &spec->metric, 1);
    cache_add_addr(&c->proutes, &spec->prefix, spec->plen, &row->header_);
    free(prefix_s);
    free(next_hop_s);
}

static void
cmd_add_provider_route(struct ctl_context *base)
{
    struct proute_spec spec;

    check("", proute_spec_parse(&spec, base->argv[1], base->argv[2],
                                base->argv[3],
                                base->argc > 4 ? base->argv[4] : NULL));
    add_provider_route(hnvctl_context_cast(base), &spec,
                       has_opt(base, "--may-exist"), "");
    free(spec.interface);
}

static void
cmd_del_provider_route(struct ctl_context *base)
{
    struct hnvctl_context *ctx = hnvctl_context_cast(base);
    struct hnv_cache *c = cache_populate(ctx);
    struct in6_addr prefix;
    unsigned int plen;

    check("", hnv_parse_prefix(base->argv[1], &prefix, &plen));
    struct hnv_addr_row *ar = cache_find_addr(&c->proutes, &prefix, plen);
    if (!ar) {
        if (!has_opt(base, "--if-exists")) {
            ctl_fatal("%s: no such provider route", base->argv[1]);
        }
        return;
    }
    ovsrec_hnv_provider_route_delete(
        CONTAINER_OF(ar->row, struct ovsrec_hnv_provider_route, header_));
    hmap_remove(&c->proutes, &ar->node);
    free(ar);
}

static void
cmd_list_provider_routes(struct ctl_context *ctx)
{
    list_table(ctx, HT_PROUTES, NULL);
}

/* Bridges and ports. */

static const struct ovsrec_bridge *
find_bridge(struct ctl_context *ctx, const char *name, bool must_exist)
{
    const struct ovsrec_bridge *br;
    OVSREC_BRIDGE_FOR_EACH (br, ctx->idl) {
        if (!strcmp(br->name, name)) {
            return br;
        }
    }
    if (must_exist) {
        ctl_fatal("%s: no such bridge", name);
    }
    return NULL;
}

static const struct ovsrec_port *
find_port(struct ctl_context *ctx, const char *name, bool must_exist)
{
    const struct ovsrec_port *port;
    OVSREC_PORT_FOR_EACH (port, ctx->idl) {
        if (!strcmp(port->name, name)) {
            return port;
        }
    }
    if (must_exist) {
        ctl_fatal("%s: no such port", name);
    }
    return NULL;
}

static bool
bridge_has_port(const struct ovsrec_bridge *br, const struct ovsrec_port *p)
{
    for (size_t i = 0; i < br->n_ports; i++) {
        if (br->ports[i] == p) {
            return true;
        }
    }
    return false;
}

static void
cmd_enable_bridge(struct ctl_context *ctx)
{
    const struct ovsrec_bridge *br = find_bridge(ctx, ctx->argv[1], true);
    const struct ovsrec_port *port = find_port(ctx, ctx->argv[2], true);

    if (!bridge_has_port(br, port)) {
        ctl_fatal("%s: port is not on bridge %s", port->name, br->name);
    }
    if (port->n_interfaces != 1
        || strcmp(port->interfaces[0]->type, "gre")
        || !smap_get(&port->interfaces[0]->options, "remote_ip")
        || strcmp(smap_get(&port->interfaces[0]->options, "remote_ip"),
                  "flow")
        || !smap_get(&port->interfaces[0]->options, "key")
        || strcmp(smap_get(&port->interfaces[0]->options, "key"), "flow")) {
        ctl_fatal("%s: tunnel port must be a gre interface with "
                  "options:remote_ip=flow and options:key=flow", port->name);
    }
    if (port->n_hnv_vsid) {
        ctl_fatal("%s: port is bound to VSID %"PRId64" (unbind-port it "
                  "first)", port->name, port->hnv_vsid[0]);
    }

    if (br->hnv) {
        ovsrec_hnv_set_tunnel_port(br->hnv, port->name);
    } else {
        struct ovsrec_hnv *hnv = ovsrec_hnv_insert(ctx->txn);
        ovsrec_hnv_set_tunnel_port(hnv, port->name);
        ovsrec_bridge_set_hnv(br, hnv);
    }
}

static void
cmd_disable_bridge(struct ctl_context *ctx)
{
    const struct ovsrec_bridge *br
        = find_bridge(ctx, ctx->argv[1], !has_opt(ctx, "--if-exists"));
    if (br && br->hnv) {
        ovsrec_bridge_set_hnv(br, NULL);
    }
}

static void
cmd_bind_port(struct ctl_context *ctx)
{
    const struct ovsrec_port *port = find_port(ctx, ctx->argv[1], true);
    uint32_t vsid;

    check("", hnv_parse_vsid(ctx->argv[2], &vsid));

    const struct ovsrec_bridge *br;
    OVSREC_BRIDGE_FOR_EACH (br, ctx->idl) {
        if (br->hnv && !strcmp(br->hnv->tunnel_port, port->name)
            && bridge_has_port(br, port)) {
            ctl_fatal("%s: port is the HNV tunnel port of bridge %s",
                      port->name, br->name);
        }
    }

    int64_t value = vsid;
    ovsrec_port_set_hnv_vsid(port, &value, 1);
}

static void
cmd_unbind_port(struct ctl_context *ctx)
{
    const struct ovsrec_port *port
        = find_port(ctx, ctx->argv[1], !has_opt(ctx, "--if-exists"));
    if (port && port->n_hnv_vsid) {
        ovsrec_port_set_hnv_vsid(port, NULL, 0);
    }
}

/* show. */

static int
compare_vsid_ptrs(const void *a_, const void *b_)
{
    const struct hnv_vsid *const *a = a_;
    const struct hnv_vsid *const *b = b_;
    return (*a)->vsid < (*b)->vsid ? -1 : (*a)->vsid > (*b)->vsid;
}

static void
show_ports(struct ds *s, const struct ovsrec_bridge *br, struct json *jbr)
{
    /* Ports bound to each VSID, by VSID, then name. */
    struct svec lines = SVEC_EMPTY_INITIALIZER;
    for (size_t i = 0; i < br->n_ports; i++) {
        const struct ovsrec_port *p = br->ports[i];
        if (p->n_hnv_vsid) {
            svec_add_nocopy(&lines, xasprintf("%08"PRId64" %s",
                                              p->hnv_vsid[0], p->name));
        }
    }
    svec_sort(&lines);

    struct json *jports = json_object_create();
    int64_t cur = -1;
    const char *line;
    size_t i;
    SVEC_FOR_EACH (i, line, &lines) {
        int64_t vsid = strtoll(line, NULL, 10);
        const char *name = strchr(line, ' ') + 1;
        if (vsid != cur) {
            ds_put_format(s, "%s        VSID %"PRId64":", cur >= 0 ? "\n" : "",
                          vsid);
            cur = vsid;
        }
        ds_put_format(s, " %s", name);

        char *key = xasprintf("%"PRId64, vsid);
        struct json *list = shash_find_data(json_object(jports), key);
        if (!list) {
            list = json_array_create_empty();
            json_object_put(jports, key, list);
        }
        json_array_add(list, json_string_create(name));
        free(key);
    }
    if (cur >= 0) {
        ds_put_char(s, '\n');
    }
    json_object_put(jbr, "ports", jports);
    svec_destroy(&lines);
}

static void
cmd_show(struct ctl_context *base)
{
    struct hnvctl_context *ctx = hnvctl_context_cast(base);
    struct hnv_cache *c = cache_populate(ctx);
    struct ds *s = &base->output;
    struct json *j = json_object_create();

    /* Bridges, sorted by name. */
    struct json *jbridges = json_object_create();
    struct svec names = SVEC_EMPTY_INITIALIZER;
    const struct ovsrec_bridge *br;
    OVSREC_BRIDGE_FOR_EACH (br, base->idl) {
        svec_add(&names, br->name);
    }
    svec_sort(&names);
    const char *name;
    size_t i;
    SVEC_FOR_EACH (i, name, &names) {
        br = find_bridge(base, name, true);
        bool bound = false;
        for (size_t k = 0; k < br->n_ports; k++) {
            bound |= br->ports[k]->n_hnv_vsid > 0;
        }
        if (!br->hnv && !bound) {
            continue;
        }
        struct json *jbr = json_object_create();
        ds_put_format(s, "Bridge %s%s\n", br->name,
                      br->hnv ? "" : " (HNV not enabled)");
        if (br->hnv) {
            ds_put_format(s, "    tunnel port: %s\n", br->hnv->tunnel_port);
            json_object_put_string(jbr, "tunnel_port", br->hnv->tunnel_port);
        }
        json_object_put(jbr, "enabled", json_boolean_create(br->hnv));
        if (bound) {
            ds_put_cstr(s, "    ports:\n");
        }
        show_ports(s, br, jbr);
        json_object_put(jbridges, br->name, jbr);
    }
    svec_destroy(&names);
    json_object_put(j, "bridges", jbridges);

    /* VSIDs with records or routes. */
    struct json *jvsids = json_object_create();
    size_t n_vsids = hmap_count(&c->vsids);
    struct hnv_vsid **vsids = xmalloc(n_vsids * sizeof *vsids + 1);
    size_t n = 0;
    struct hnv_vsid *v;
    HMAP_FOR_EACH (v, node, &c->vsids) {
        if (!ovs_list_is_empty(&v->records) || !shash_is_empty(&v->rdids)) {
            vsids[n++] = v;
        }
    }
    qsort(vsids, n, sizeof *vsids, compare_vsid_ptrs);
    for (i = 0; i < n; i++) {
        v = vsids[i];
        struct json *jv = json_object_create();
        size_t n_records = ovs_list_size(&v->records);

        ds_put_format(s, "VSID %"PRIu32"\n", v->vsid);
        struct shash_node *node;
        SHASH_FOR_EACH (node, &v->rdids) {
            ds_put_format(s, "    routing domain: %s\n", node->name);
            json_object_put_string(jv, "routing_domain", node->name);
        }
        ds_put_format(s, "    lookup records: %"PRIuSIZE"\n", n_records);
        json_object_put(jv, "lookup_records", json_integer_create(n_records));
        char *key = xasprintf("%"PRIu32, v->vsid);
        json_object_put(jvsids, key, jv);
        free(key);
    }
    free(vsids);
    json_object_put(j, "vsids", jvsids);

    /* Routing domains and their routes. */
    struct json *jrds = json_object_create();
    size_t n_routes;
    struct sort_item *routes = sorted_rows(base, HT_CROUTES, NULL, &n_routes);
    const char *cur_rd = NULL;
    struct json *jroutes = NULL;
    for (i = 0; i < n_routes; i++) {
        char *vals[HNV_MAX_COLUMNS];
        row_values(HT_CROUTES, routes[i].row, vals);
        if (!cur_rd || strcmp(cur_rd, routes[i].k_str)) {
            cur_rd = routes[i].k_str;
            ds_put_format(s, "Routing domain %s\n", vals[0]);
            jroutes = json_array_create_empty();
            json_object_put(jrds, vals[0], jroutes);
        }
        ds_put_format(s, "    %s -> VSID %s next hop %s metric %s\n",
                      vals[2], vals[1], vals[3], vals[4]);
        struct json *jr = json_object_create();
        json_object_put(jr, "vsid",
                        json_integer_create(strtoll(vals[1], NULL, 10)));
        json_object_put_string(jr, "destination_prefix", vals[2]);
        json_object_put_string(jr, "next_hop", vals[3]);
        json_object_put(jr, "metric",
                        json_integer_create(strtoll(vals[4], NULL, 10)));
        json_array_add(jroutes, jr);
        row_values_destroy(vals);
    }
    free(routes);
    json_object_put(j, "routing_domains", jrds);

    /* Provider addresses and routes. */
    struct json *jpas = json_array_create_empty();
    struct sort_item *items = sorted_rows(base, HT_PAS, NULL, &n);
    for (i = 0; i < n; i++) {
        char *vals[HNV_MAX_COLUMNS];
        row_values(HT_PAS, items[i].row, vals);
        ds_put_format(s, "Provider address %s/%s interface %s", vals[0],
                      vals[1], vals[2]);
        struct json *jpa = json_object_create();
        json_object_put_string(jpa, "provider_address", vals[0]);
        json_object_put(jpa, "prefix_length",
                        json_integer_create(strtoll(vals[1], NULL, 10)));
        json_object_put_string(jpa, "interface", vals[2]);
        if (vals[3]) {
            ds_put_format(s, " vlan %s", vals[3]);
            json_object_put(jpa, "vlan",
                            json_integer_create(strtoll(vals[3], NULL, 10)));
        }
        ds_put_char(s, '\n');
        json_array_add(jpas, jpa);
        row_values_destroy(vals);
    }
    free(items);
    json_object_put(j, "provider_addresses", jpas);

    struct json *jprs = json_array_create_empty();
    items = sorted_rows(base, HT_PROUTES, NULL, &n);
    for (i = 0; i < n; i++) {
        char *vals[HNV_MAX_COLUMNS];
        row_values(HT_PROUTES, items[i].row, vals);
        ds_put_format(s, "Provider route %s next hop %s interface %s "
                      "metric %s\n", vals[0], vals[1], vals[2], vals[3]);
        struct json *jpr = json_object_create();
        json_object_put_string(jpr, "destination_prefix", vals[0]);
        json_object_put_string(jpr, "next_hop", vals[1]);
        json_object_put_string(jpr, "interface", vals[2]);
        json_object_put(jpr, "metric",
                        json_integer_create(strtoll(vals[3], NULL, 10)));
        json_array_add(jprs, jpr);
        row_values_destroy(vals);
    }
    free(items);
    json_object_put(j, "provider_routes", jprs);

    if (table_style.format == TF_JSON) {
        ds_clear(s);
        json_to_ds(j, table_style.json_flags, s);
        ds_put_char(s, '\n');
    }
    json_destroy(j);
}

/* export. */

static void
put_csv_field(struct ds *s, const char *value)
{
    if (!value[0] || !value[strcspn(value, ",\"\r\n")]) {
        size_t len = strlen(value);
        if (!len || (value[0] != ' ' && value[len - 1] != ' ')) {
            ds_put_cstr(s, value);
            return;
        }
    }
    ds_put_char(s, '"');
    for (const char *p = value; *p; p++) {
        if (*p == '"') {
            ds_put_char(s, '"');
        }
        ds_put_char(s, *p);
    }
    ds_put_char(s, '"');
}

static void
cmd_export(struct ctl_context *ctx)
{
    bool csv = table_style.format == TF_CSV;
    struct ds *s = &ctx->output;

    if (!csv) {
        ds_put_cstr(s, "{\n");
    }
    for (enum hnv_table_id t = 0; t < N_HT; t++) {
        size_t n_cols = hnv_table_n_columns(t);
        size_t n;
        struct sort_item *items = sorted_rows(ctx, t, NULL, &n);

        if (csv) {
            if (t) {
                ds_put_char(s, '\n');
            }
            for (size_t c = 0; c < n_cols; c++) {
                ds_put_format(s, "%s%s", c ? "," : "",
                              hnv_tables[t].columns[c]);
            }
            ds_put_char(s, '\n');
        } else {
            ds_put_format(s, "  \"%s\": [", hnv_tables[t].name);
        }

        for (size_t i = 0; i < n; i++) {
            char *vals[HNV_MAX_COLUMNS];
            row_values(t, items[i].row, vals);
            if (csv) {
                for (size_t c = 0; c < n_cols; c++) {
                    if (c) {
                        ds_put_char(s, ',');
                    }
                    put_csv_field(s, vals[c] ? vals[c] : "");
                }
                ds_put_char(s, '\n');
            } else {
                ds_put_format(s, "%s\n    {", i ? "," : "");
                bool first = true;
                for (size_t c = 0; c < n_cols; c++) {
                    if (!vals[c]) {
                        continue;
                    }
                    ds_put_format(s, "%s\"%s\": ", first ? "" : ", ",
                                  hnv_tables[t].columns[c]);
                    if (hnv_tables[t].int_columns & (1u << c)) {
                        ds_put_cstr(s, vals[c]);
                    } else {
                        json_string_escape(vals[c], s);
                    }
                    first = false;
                }
                ds_put_char(s, '}');
            }
            row_values_destroy(vals);
        }
        if (!csv) {
            ds_put_format(s, "%s]%s\n", n ? "\n  " : "",
                          t < N_HT - 1 ? "," : "");
        }
        free(items);
    }
    if (!csv) {
        ds_put_cstr(s, "}\n");
    }
}

/* import.
 *
 * The file is read and parsed by pre_import() (before connecting to the
 * database) into a batch of items, which cmd_import() validates against the
 * policy and adds, in file order. */

struct import_item {
    enum hnv_table_id table;
    unsigned int line;
    union {
        struct record_spec record;
        struct croute_spec croute;
        struct pa_spec pa;
        struct proute_spec proute;
    };
};

struct import_batch {
    struct ovs_list node;       /* In 'import_batches'. */
    char **argv;                /* Identifies the command. */
    char *file_name;            /* For messages. */
    struct import_item *items;
    size_t n_items, allocated_items;
};

static struct ovs_list import_batches = OVS_LIST_INITIALIZER(&import_batches);

/* A reader with line numbers. */
struct import_reader {
    FILE *stream;
    const char *file_name;
    unsigned int line;          /* Current line, 1-based. */
    int peeked;                 /* EOF - 1 if none. */
};

static int
reader_getc(struct import_reader *r)
{
    int c;
    if (r->peeked != EOF - 1) {
        c = r->peeked;
        r->peeked = EOF - 1;
    } else {
        c = getc_unlocked(r->stream);
    }
    if (c == '\n') {
        r->line++;
    }
    return c;
}

static int
reader_peek(struct import_reader *r)
{
    if (r->peeked == EOF - 1) {
        r->peeked = getc_unlocked(r->stream);
    }
    return r->peeked;
}

OVS_NO_RETURN OVS_PRINTF_FORMAT(3, 4) static void
import_fatal(const struct import_reader *r, unsigned int line,
             const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *msg = xvasprintf(format, args);
    va_end(args);
    ctl_fatal("%s:%u: %s", r->file_name, line, msg);
}

static struct import_item *
batch_add(struct import_batch *b, enum hnv_table_id t, unsigned int line)
{
    if (b->n_items >= b->allocated_items) {
        b->items = x2nrealloc(b->items, &b->allocated_items,
                              sizeof *b->items);
    }
    struct import_item *item = &b->items[b->n_items++];
    memset(item, 0, sizeof *item);
    item->table = t;
    item->line = line;
    return item;
}

/* Column names accepted in import files, normalized (lowercase, without '_'
 * or ' '), including the names that the Windows NetWNV cmdlets' objects
 * have in Export-Csv and ConvertTo-Json output. */
struct import_column {
    const char *name;           /* Normalized. */
    int column;                 /* Index in hnv_tables[t].columns. */
};

static const struct import_column record_columns[] = {
    {"vsid", 0}, {"virtualsubnetid", 0},
    {"customeraddress", 1}, {"ca", 1},
    {"mac", 2}, {"macaddress", 2},
    {"provideraddress", 3}, {"pa", 3},
    {"rule", 4}, {"type", 5},
    {"customerid", 6}, {"vmname", 7}, {"context", 8},
    /* Columns of Export-Csv output that carry nothing for HNV here. */
    {"usevmmacaddress", -1}, {"pscomputername", -1}, {"cimclass", -1},
    {"ciminstanceproperties", -1}, {"cimsystemproperties", -1},
    {NULL, 0},
};

static const struct import_column croute_columns[] = {
    {"routingdomain", 0}, {"routingdomainid", 0}, {"rdid", 0},
    {"vsid", 1}, {"virtualsubnetid", 1},
    {"destinationprefix", 2}, {"nexthop", 3}, {"metric", 4},
    {"pscomputername", -1}, {"cimclass", -1},
    {"ciminstanceproperties", -1}, {"cimsystemproperties", -1},
    {NULL, 0},
};

static const struct import_column pa_columns[] = {
    {"provideraddress", 0}, {"prefixlength", 1}, {"interface", 2},
    {"vlan", 3}, {"vlanid", 3},
    {"pscomputername", -1}, {"cimclass", -1},
    {"ciminstanceproperties", -1}, {"cimsystemproperties", -1},
    {NULL, 0},
};

static const struct import_column proute_columns[] = {
    {"destinationprefix", 0}, {"nexthop", 1}, {"interface", 2},
    {"metric", 3},
    {"pscomputername", -1}, {"cimclass", -1},
    {"ciminstanceproperties", -1}, {"cimsystemproperties", -1},
    {NULL, 0},
};

static const struct import_column *const import_columns[N_HT] = {
    record_columns, croute_columns, pa_columns, proute_columns,
};

static char *
normalize_column_name(const char *s)
{
    struct ds out = DS_EMPTY_INITIALIZER;
    for (; *s; s++) {
        if (*s != '_' && *s != ' ' && *s != '-') {
            ds_put_char(&out, tolower((unsigned char) *s));
        }
    }
    return ds_steal_cstr(&out);
}

/* Returns the column index in table 't' for import column 'name', -1 for a
 * column that is ignored, -2 for an unknown one. */
static int
lookup_import_column(enum hnv_table_id t, const char *name)
{
    char *norm = normalize_column_name(name);
    int result = -2;
    for (const struct import_column *c = import_columns[t]; c->name; c++) {
        if (!strcmp(c->name, norm)) {
            result = c->column;
            break;
        }
    }
    free(norm);
    return result;
}

/* Parses one row of table 't', given as values by column index ('vals[i]'
 * NULL if absent), into 'b'. */
static void
import_row(struct import_batch *b, const struct import_reader *r,
           unsigned int line, enum hnv_table_id t,
           char *vals[HNV_MAX_COLUMNS])
{
    uint32_t required = hnv_tables[t].required_columns;
    for (size_t i = 0; i < HNV_MAX_COLUMNS; i++) {
        if (required & (1u << i) && (!vals[i] || !vals[i][0])) {
            import_fatal(r, line, "missing %s", hnv_tables[t].columns[i]);
        }
    }

    struct import_item *item = batch_add(b, t, line);
    char *error = NULL;
    switch (t) {
    case HT_RECORDS:
        error = record_spec_parse(&item->record, vals[0], vals[1], vals[2],
                                  vals[3], vals[4], vals[5], vals[6],
                                  vals[7], vals[8]);
        break;
    case HT_CROUTES:
        error = croute_spec_parse(&item->croute, vals[0], vals[1], vals[2],
                                  vals[3], vals[4]);
        break;
    case HT_PAS:
        error = pa_spec_parse(&item->pa, vals[0], vals[1], vals[2], vals[3]);
        break;
    case HT_PROUTES:
        error = proute_spec_parse(&item->proute, vals[0], vals[1], vals[2],
                                  vals[3]);
        break;
    case N_HT:
    default:
        OVS_NOT_REACHED();
    }
    if (error) {
        import_fatal(r, line, "%s", error);
    }
}

/* CSV. */

/* Reads one CSV record into 'fields'.  Returns false at end of file.  Sets
 * '*line' to the line where the record starts. */
static bool
csv_read_record(struct import_reader *r, struct svec *fields,
                unsigned int *line)
{
    struct ds field = DS_EMPTY_INITIALIZER;
    int c;

    svec_clear(fields);
    *line = r->line;
    c = reader_peek(r);
    if (c == EOF) {
        return false;
    }

    for (;;) {
        c = reader_getc(r);
        if (c == '"' && !field.length) {
            /* Quoted field. */
            for (;;) {
                c = reader_getc(r);
                if (c == EOF) {
                    import_fatal(r, *line, "unterminated quoted field");
                } else if (c == '"') {
                    if (reader_peek(r) == '"') {
                        reader_getc(r);
                        ds_put_char(&field, '"');
                    } else {
                        break;
                    }
                } else {
                    ds_put_char(&field, c);
                }
            }
            c = reader_getc(r);
            if (c != ',' && c != '\n' && c != '\r' && c != EOF) {
                import_fatal(r, *line, "unexpected text after quoted field");
            }
        }
        if (c == ',') {
            svec_add(fields, ds_cstr(&field));
            ds_clear(&field);
        } else if (c == '\n' || c == EOF) {
            svec_add(fields, ds_cstr(&field));
            break;
        } else if (c == '\r') {
            if (reader_peek(r) == '\n') {
                continue;
            }
            svec_add(fields, ds_cstr(&field));
            break;
        } else {
            ds_put_char(&field, c);
        }
    }
    ds_destroy(&field);
    return true;
}

static bool
csv_record_is_blank(const struct svec *fields)
{
    return fields->n == 1 && !fields->names[0][strspn(fields->names[0],
                                                      " \t")];
}

/* Identifies the table of a CSV header by its columns. */
static enum hnv_table_id
csv_header_table(const struct import_reader *r, unsigned int line,
                 const struct svec *fields)
{
    static const struct {
        const char *column;
        enum hnv_table_id t;
    } keys[] = {
        {"customeraddress", HT_RECORDS},
        {"ca", HT_RECORDS},
        {"routingdomainid", HT_CROUTES},
        {"routingdomain", HT_CROUTES},
        {"rdid", HT_CROUTES},
        {"prefixlength", HT_PAS},
        {"destinationprefix", HT_PROUTES},
    };

    for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
        for (size_t i = 0; i < fields->n; i++) {
            char *norm = normalize_column_name(fields->names[i]);
            bool match = !strcmp(norm, keys[k].column);
            free(norm);
            if (match) {
                return keys[k].t;
            }
        }
    }
    import_fatal(r, line, "unrecognized CSV header (expected the columns of "
                 "lookup records, customer routes, provider addresses or "
                 "provider routes)");
}

static void
import_csv(struct import_batch *b, struct import_reader *r)
{
    struct svec fields = SVEC_EMPTY_INITIALIZER;
    int map[64];                /* CSV column -> table column. */
    size_t n_map = 0;
    enum hnv_table_id t = HT_RECORDS;
    bool need_header = true;
    unsigned int line;

    while (csv_read_record(r, &fields, &line)) {
        if (csv_record_is_blank(&fields)) {
            need_header = true;
            continue;
        }
        if (fields.names[0][0] == '#') {
            continue;
        }

        if (need_header) {
            t = csv_header_table(r, line, &fields);
            if (fields.n > ARRAY_SIZE(map)) {
                import_fatal(r, line, "too many columns");
            }
            uint32_t seen = 0;
            for (size_t i = 0; i < fields.n; i++) {
                int col = lookup_import_column(t, fields.names[i]);
                if (col == -2) {
                    import_fatal(r, line, "%s: unknown column for %s",
                                 fields.names[i], hnv_tables[t].name);
                } else if (col >= 0 && seen & (1u << col)) {
                    import_fatal(r, line, "%s: duplicate column",
                                 fields.names[i]);
                } else if (col >= 0) {
                    seen |= 1u << col;
                }
                map[i] = col;
            }
            uint32_t missing = hnv_tables[t].required_columns & ~seen;
            if (missing) {
                import_fatal(r, line, "missing column %s",
                             hnv_tables[t].columns[ctz32(missing)]);
            }
            n_map = fields.n;
            need_header = false;
            continue;
        }

        if (fields.n != n_map) {
            import_fatal(r, line, "%"PRIuSIZE" fields, but the header has "
                         "%"PRIuSIZE, fields.n, n_map);
        }
        char *vals[HNV_MAX_COLUMNS] = { NULL };
        for (size_t i = 0; i < fields.n; i++) {
            if (map[i] >= 0) {
                vals[map[i]] = fields.names[i];
            }
        }
        import_row(b, r, line, t, vals);
    }
    svec_destroy(&fields);
}

/* JSON.
 *
 * The file is scanned as a stream: each row object is read as text (noting
 * the line where it starts), parsed on its own and forgotten, so that memory
 * does not grow with a whole-document tree. */

static void
json_skip_space(struct import_reader *r)
{
    while (isspace(reader_peek(r))) {
        reader_getc(r);
    }
}

/* Reads one JSON value as text, appending it to 's'. */
static void
json_read_value_text(struct import_reader *r, struct ds *s)
{
    size_t start = s->length;
    int depth = 0;
    bool in_string = false;

    for (;;) {
        int c = reader_peek(r);
        if (c == EOF) {
            if (depth || in_string) {
                import_fatal(r, r->line, "unexpected end of file");
            }
            return;
        }
        if (in_string) {
            reader_getc(r);
            ds_put_char(s, c);
            if (c == '\\') {
                c = reader_getc(r);
                if (c == EOF) {
                    import_fatal(r, r->line, "unexpected end of file");
                }
                ds_put_char(s, c);
            } else if (c == '"') {
                in_string = false;
                if (!depth) {
                    return;
                }
            }
            continue;
        }
        if (!depth && (c == ',' || c == ']' || c == '}' || isspace(c))
            && s->length > start) {
            return;
        }
        reader_getc(r);
        ds_put_char(s, c);
        if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (--depth <= 0) {
                return;
            }
        }
    }
}

static struct json *
json_read_value(struct import_reader *r, unsigned int *line)
{
    struct ds text = DS_EMPTY_INITIALIZER;

    /* json_from_string() reports a syntax error as a JSON_STRING that holds
     * the message; callers expect objects or know how to tell. */
    json_skip_space(r);
    *line = r->line;
    ds_put_char(&text, '[');
    json_read_value_text(r, &text);
    ds_put_char(&text, ']');

    /* The value is wrapped in an array because json_from_string() accepts
     * only an object or an array at top level. */
    struct json *json = json_from_string(ds_cstr(&text));
    ds_destroy(&text);
    if (json->type == JSON_ARRAY) {
        if (json_array(json)->n != 1) {
            json_destroy(json);
            import_fatal(r, *line, "syntax error: expected a value");
        }
        struct json *value = json_clone(json_array(json)->elems[0]);
        json_destroy(json);
        return value;
    }
    return json;
}

static void
json_expect(struct import_reader *r, const char *chars)
{
    json_skip_space(r);
    int c = reader_peek(r);
    if (c == EOF || !strchr(chars, c)) {
        if (c == EOF) {
            import_fatal(r, r->line, "unexpected end of file");
        }
        import_fatal(r, r->line, "syntax error: expected %s",
                     strlen(chars) > 1 ? "',' or the end of the list" :
                     chars[0] == ':' ? "':'" : chars[0] == '['
                     ? "'['" : "'{' or '['");
    }
}

/* Converts the JSON object 'row' of table 't' into 'b'.  With 'lenient',
 * unknown fields are ignored (ConvertTo-Json output of the Windows
 * cmdlets carries many). */
static void
import_json_row(struct import_batch *b, const struct import_reader *r,
                unsigned int line, enum hnv_table_id t,
                const struct json *row, bool lenient)
{
    if (row->type != JSON_OBJECT) {
        import_fatal(r, line, "%s", row->type == JSON_STRING
                     ? json_string(row)
                     : "syntax error: expected an object");
    }

    char *vals[HNV_MAX_COLUMNS] = { NULL };
    struct shash_node *node;
    SHASH_FOR_EACH (node, json_object(row)) {
        const struct json *value = node->data;
        int col = lookup_import_column(t, node->name);
        if (col == -2 && !lenient) {
            import_fatal(r, line, "%s: unknown field for %s", node->name,
                         hnv_tables[t].name);
        } else if (col < 0) {
            continue;
        }
        free(vals[col]);
        switch (value->type) {
        case JSON_STRING:
            vals[col] = xstrdup(json_string(value));
            break;
        case JSON_INTEGER:
            vals[col] = xasprintf("%"PRId64, json_integer(value));
            break;
        case JSON_NULL:
            vals[col] = NULL;
            break;
        case JSON_FALSE:
        case JSON_TRUE:
        case JSON_OBJECT:
        case JSON_ARRAY:
        case JSON_REAL:
        case JSON_SERIALIZED_OBJECT:
        case JSON_N_TYPES:
        default: {
            char *s = json_to_string(value, 0);
            import_fatal(r, line, "%s: %s must be a string or an integer",
                         s, node->name);
        }
        }
    }
    import_row(b, r, line, t, vals);
    for (size_t i = 0; i < HNV_MAX_COLUMNS; i++) {
        free(vals[i]);
    }
}

static void
import_json_array(struct import_batch *b, struct import_reader *r,
                  enum hnv_table_id t, bool lenient)
{
    json_expect(r, "[");
    reader_getc(r);
    json_skip_space(r);
    if (reader_peek(r) == ']') {
        reader_getc(r);
        return;
    }
    for (;;) {
        unsigned int line;
        struct json *row = json_read_value(r, &line);
        import_json_row(b, r, line, t, row, lenient);
        json_destroy(row);
        json_expect(r, ",]");
        if (reader_getc(r) == ']') {
            return;
        }
    }
}

static void
import_json(struct import_batch *b, struct import_reader *r)
{
    json_skip_space(r);
    if (reader_peek(r) == '[') {
        /* A bare list of lookup records, e.g.
         * Get-NetVirtualizationLookupRecord | ConvertTo-Json. */
        import_json_array(b, r, HT_RECORDS, true);
    } else {
        json_expect(r, "{");
        reader_getc(r);
        json_skip_space(r);
        if (reader_peek(r) == '}') {
            reader_getc(r);
        } else {
            for (;;) {
                unsigned int line;
                struct json *key = json_read_value(r, &line);
                if (key->type != JSON_STRING || json_string(key)[0] == '\0'
                    || !strncmp(json_string(key), "line ", 5)) {
                    import_fatal(r, line, "syntax error: expected a section "
                                 "name");
                }
                enum hnv_table_id t;
                for (t = 0; t < N_HT; t++) {
                    if (!strcmp(json_string(key), hnv_tables[t].name)) {
                        break;
                    }
                }
                if (t == N_HT) {
                    import_fatal(r, line, "%s: unknown section (expected "
                                 "lookup_records, customer_routes, "
                                 "provider_addresses or provider_routes)",
                                 json_string(key));
                }
                json_destroy(key);
                json_expect(r, ":");
                reader_getc(r);
                import_json_array(b, r, t, false);
                json_expect(r, ",}");
                if (reader_getc(r) == '}') {
                    break;
                }
            }
        }
    }
    json_skip_space(r);
    if (reader_peek(r) != EOF) {
        import_fatal(r, r->line, "syntax error: text after the end of the "
                     "document");
    }
}

static void
pre_import(struct ctl_context *ctx)
{
    const char *file_name = ctx->argc > 1 ? ctx->argv[1] : "-";
    struct import_batch *b = xzalloc(sizeof *b);
    struct import_reader r;

    pre_policy__(ctx, true);
    import_needs_records = true;

    b->argv = ctx->argv;
    b->file_name = xstrdup(!strcmp(file_name, "-") ? "stdin" : file_name);
    ovs_list_push_back(&import_batches, &b->node);

    memset(&r, 0, sizeof r);
    r.file_name = b->file_name;
    r.line = 1;
    r.peeked = EOF - 1;
    r.stream = !strcmp(file_name, "-") ? stdin : fopen(file_name, "r");
    if (!r.stream) {
        ctl_fatal("%s: open failed (%s)", file_name, ovs_strerror(errno));
    }

    json_skip_space(&r);
    int c = reader_peek(&r);
    if (c == '{' || c == '[') {
        import_json(b, &r);
    } else {
        import_csv(b, &r);
    }
    if (ferror(r.stream)) {
        ctl_fatal("%s: read failed (%s)", file_name, ovs_strerror(errno));
    }
    if (r.stream != stdin) {
        fclose(r.stream);
    }
}

static void
cmd_import(struct ctl_context *base)
{
    struct hnvctl_context *ctx = hnvctl_context_cast(base);
    bool may_exist = has_opt(base, "--may-exist");
    struct import_batch *b = NULL, *iter;

    LIST_FOR_EACH (iter, node, &import_batches) {
        if (iter->argv == base->argv) {
            b = iter;
            break;
        }
    }
    ovs_assert(b);

    if (has_opt(base, "--replace")) {
        const struct ovsrec_hnv_lookup_record *rec;
        OVSREC_HNV_LOOKUP_RECORD_FOR_EACH_SAFE (rec, base->idl) {
            ovsrec_hnv_lookup_record_delete(rec);
        }
        const struct ovsrec_hnv_customer_route *cr;
        OVSREC_HNV_CUSTOMER_ROUTE_FOR_EACH_SAFE (cr, base->idl) {
            ovsrec_hnv_customer_route_delete(cr);
        }
        const struct ovsrec_hnv_provider_address *pa;
        OVSREC_HNV_PROVIDER_ADDRESS_FOR_EACH_SAFE (pa, base->idl) {
            ovsrec_hnv_provider_address_delete(pa);
        }
        const struct ovsrec_hnv_provider_route *pr;
        OVSREC_HNV_PROVIDER_ROUTE_FOR_EACH_SAFE (pr, base->idl) {
            ovsrec_hnv_provider_route_delete(pr);
        }
        cache_clear(&ctx->cache);
    }

    for (size_t i = 0; i < b->n_items; i++) {
        const struct import_item *item = &b->items[i];
        char *where = xasprintf("%s:%u: ", b->file_name, item->line);
        switch (item->table) {
        case HT_RECORDS:
            add_lookup_record(ctx, &item->record, may_exist, where);
            break;
        case HT_CROUTES:
            add_customer_route(ctx, &item->croute, may_exist, where);
            break;
        case HT_PAS:
            add_provider_address(ctx, &item->pa, may_exist, where);
            break;
        case HT_PROUTES:
            add_provider_route(ctx, &item->proute, may_exist, where);
            break;
        case N_HT:
        default:
            OVS_NOT_REACHED();
        }
        free(where);
    }
}

/* Running commands. */

static void
hnvctl_context_init_command(struct hnvctl_context *ctx,
                            struct ctl_command *command, bool last)
{
    ctl_context_init_command(&ctx->base, command, last);
}

static void
hnvctl_context_init(struct hnvctl_context *ctx, struct ctl_command *command,
                    struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn,
                    const struct ovsrec_open_vswitch *ovs,
                    struct ovsdb_symbol_table *symtab)
{
    ctl_context_init(&ctx->base, command, idl, txn, symtab,
                     hnvctl_invalidate_cache);
    ctx->ovs = ovs;
    ctx->cache.valid = false;
}

static void
hnvctl_context_done(struct hnvctl_context *ctx, struct ctl_command *command)
{
    ctl_context_done(&ctx->base, command);
}

static void
run_prerequisites(struct ctl_command *commands, size_t n_commands,
                  struct ovsdb_idl *idl)
{
    ovsdb_idl_add_table(idl, &ovsrec_table_open_vswitch);
    if (wait_for_reload) {
        ovsdb_idl_add_column(idl, &ovsrec_open_vswitch_col_cur_cfg);
    }
    for (struct ctl_command *c = commands; c < &commands[n_commands]; c++) {
        if (c->syntax->prerequisites) {
            struct hnvctl_context ctx;

            ds_init(&c->output);
            c->table = NULL;

            hnvctl_context_init(&ctx, c, idl, NULL, NULL, NULL);
            (c->syntax->prerequisites)(&ctx.base);
            if (ctx.base.error) {
                ctl_fatal("%s", ctx.base.error);
            }
            hnvctl_context_done(&ctx, c);

            ovs_assert(!c->output.string);
            ovs_assert(!c->table);
        }

        /* A generic database command may read any row. */
        if (!find_hnv_command(c->syntax->name)) {
            need_all_records();
        }
    }

    /* "import" checks its rows against every existing record, but into an
     * empty table (a host's first policy) it needs none, and not monitoring
     * the table also spares ovsdb-server and ovs-hnvctl the echo of every
     * imported row after the commit: a third of an import's time. */
    if (import_needs_records && !records_all
        && !direct_records_table_is_empty()) {
        need_all_records();
    }

    /* Monitor only the lookup records that the commands need, unless one
     * of them needs all.  A condition with no clauses (the commands need no
     * record) fetches none. */
    if (records_monitored) {
        if (records_all) {
            ovsdb_idl_condition_clear(&records_cond);
            ovsdb_idl_condition_add_clause_true(&records_cond);
        }
        ovsrec_hnv_lookup_record_set_condition(idl, &records_cond);
    }
    ovsdb_idl_condition_destroy(&records_cond);
}

static bool
do_hnvctl(const char *args, struct ctl_command *commands, size_t n_commands,
          struct ovsdb_idl *idl)
{
    struct ovsdb_idl_txn *txn;
    const struct ovsrec_open_vswitch *ovs;
    enum ovsdb_idl_txn_status status;
    struct ovsdb_symbol_table *symtab;
    struct hnvctl_context ctx;
    struct ctl_command *c;
    struct shash_node *node;
    int64_t next_cfg = 0;

    txn = the_idl_txn = ovsdb_idl_txn_create(idl);
    if (dry_run) {
        ovsdb_idl_txn_set_dry_run(txn);
    }
    ovsdb_idl_txn_add_comment(txn, "ovs-hnvctl: %s", args);

    ovs = ovsrec_open_vswitch_first(idl);
    bool wait = wait_for_reload && ovs && !dry_run;
    if (wait) {
        ovsdb_idl_txn_increment(txn, &ovs->header_,
                                &ovsrec_open_vswitch_col_next_cfg, false);
    }

    symtab = ovsdb_symbol_table_create();
    for (c = commands; c < &commands[n_commands]; c++) {
        ds_init(&c->output);
        c->table = NULL;
    }
    hnvctl_context_init(&ctx, NULL, idl, txn, ovs, symtab);
    for (c = commands; c < &commands[n_commands]; c++) {
        hnvctl_context_init_command(&ctx, c, c == &commands[n_commands - 1]);
        if (c->syntax->run) {
            (c->syntax->run)(&ctx.base);
        }
        if (ctx.base.error) {
            ctl_fatal("%s", ctx.base.error);
        }
        ctl_context_done_command(&ctx.base, c);

        if (ctx.base.try_again) {
            hnvctl_context_done(&ctx, NULL);
            goto try_again;
        }
    }
    hnvctl_context_done(&ctx, NULL);

    SHASH_FOR_EACH (node, &symtab->sh) {
        struct ovsdb_symbol *symbol = node->data;
        if (!symbol->created) {
            ctl_fatal("row id \"%s\" is referenced but never created (e.g. "
                      "with \"-- --id=%s create ...\")",
                      node->name, node->name);
        }
    }

    status = ovsdb_idl_txn_commit_block(txn);
    if (wait && status == TXN_SUCCESS) {
        next_cfg = ovsdb_idl_txn_get_increment_new_value(txn);
    }
    if (status == TXN_UNCHANGED || status == TXN_SUCCESS) {
        for (c = commands; c < &commands[n_commands]; c++) {
            if (c->syntax->postprocess) {
                hnvctl_context_init(&ctx, c, idl, txn, ovs, symtab);
                (c->syntax->postprocess)(&ctx.base);
                if (ctx.base.error) {
                    ctl_fatal("%s", ctx.base.error);
                }
                hnvctl_context_done(&ctx, c);
            }
        }
    }

    switch (status) {
    case TXN_UNCOMMITTED:
    case TXN_INCOMPLETE:
        OVS_NOT_REACHED();

    case TXN_ABORTED:
        ctl_fatal("transaction aborted");

    case TXN_UNCHANGED:
    case TXN_SUCCESS:
        break;

    case TXN_TRY_AGAIN:
        goto try_again;

    case TXN_ERROR:
        ctl_fatal("transaction error: %s", ovsdb_idl_txn_get_error(txn));

    case TXN_NOT_LOCKED:
        ctl_fatal("database not locked");

    default:
        OVS_NOT_REACHED();
    }

    ovsdb_symbol_table_destroy(symtab);

    for (c = commands; c < &commands[n_commands]; c++) {
        if (c->table) {
            table_print(c->table, &table_style);
        } else {
            fputs(ds_cstr(&c->output), stdout);
        }
        ds_destroy(&c->output);
        table_destroy(c->table);
        free(c->table);
        shash_destroy_free_data(&c->options);
    }
    free(commands);

    if (wait && status != TXN_UNCHANGED) {
        ovsdb_idl_enable_reconnect(idl);
        for (;;) {
            ovsdb_idl_run(idl);
            OVSREC_OPEN_VSWITCH_FOR_EACH (ovs, idl) {
                if (ovs->cur_cfg >= next_cfg) {
                    goto done;
                }
            }
            ovsdb_idl_wait(idl);
            poll_block();
        }
    done: ;
    }
    ovsdb_idl_txn_destroy(txn);
    the_idl_txn = NULL;

    /* Tearing down a large IDL row by row is slow and pointless at exit. */
    return true;

try_again:
    /* The transaction must be rerun: free resources and return so that the
     * caller can try again. */
    ovsdb_idl_txn_abort(txn);
    ovsdb_idl_txn_destroy(txn);
    the_idl_txn = NULL;

    ovsdb_symbol_table_destroy(symtab);
    for (c = commands; c < &commands[n_commands]; c++) {
        ds_destroy(&c->output);
        table_destroy(c->table);
        free(c->table);
    }
    return false;
}

/* Direct record commands.
 *
 * ovsdb-server 3.1 builds the initial contents of a new monitor from the
 * whole table and only then applies the monitor's condition
 * (ovsdb_monitor_get_initial()), so the general path above costs O(table)
 * on the server for every command that monitors HNV_Lookup_Record, however
 * narrow its condition: about 6.5 s with 1,000,000 records.
 *
 * Lookup records that ovs-hnvctl inserts have row UUIDs derived from their
 * key (hnv_lookup_record_uuid()), and ovsdb-server finds a row by _uuid in
 * O(1) (ovsdb_query()).  So an invocation that is exactly one
 * set-lookup-record or del-lookup-record of a record with a non-wildcard
 * customer address -- a live migration, a VM removed -- is sent as one
 * transaction addressed by _uuid, without monitoring the table:
 *
 *     wait     HNV_Lookup_Record  _uuid == U, vsid == V, customer_address
 *              == CA [, mac == MAC]: the row exists (timeout 0)
 *     update   (or delete) the same row
 *     mutate   Open_vSwitch next_cfg += 1, and select it (unless --no-wait)
 *     comment  "ovs-hnvctl: ARGS"
 *
 * If the "wait" fails, nothing was written, and the invocation falls back to
 * the general path, which finds a record however it was created (another
 * tool may have used another UUID) or reports that it does not exist, with
 * the general path's messages.  Arguments that do not parse also fall back,
 * so that every error message comes from one place.  --dry-run, --retry and
 * a --db with several remotes always take the general path. */

/* Fills 'where' with the clauses that select the record of 'c' (argv[1]
 * VSID, argv[2] CA, optional argv[3] MAC) by its derived row UUID.  Returns
 * false if 'c' is not eligible for the direct path. */
static bool
direct_record_where(const struct ctl_command *c, struct json **wherep)
{
    struct eth_addr mac = eth_addr_zero;
    struct in6_addr ca;
    uint32_t vsid;
    char *error;

    if (c->argc < 3) {
        return false;
    }
    error = hnv_parse_vsid(c->argv[1], &vsid);
    if (!error) {
        error = hnv_parse_address(c->argv[2], &ca);
    }
    if (!error && c->argc > 3) {
        error = hnv_parse_mac(c->argv[3], &mac);
    }
    if (error) {
        free(error);
        return false;
    }
    if (hnv_address_is_wildcard(&ca)) {
        return false;
    }

    struct uuid uuid;
    hnv_lookup_record_uuid(vsid, &ca, mac, &uuid);

    char *ca_s = addr_to_string(&ca);
    struct json *where = json_array_create_empty();
    json_array_add(where, json_array_create_3(
                       json_string_create("_uuid"), json_string_create("=="),
                       json_array_create_2(
                           json_string_create("uuid"),
                           json_string_create_nocopy(
                               xasprintf(UUID_FMT, UUID_ARGS(&uuid))))));
    json_array_add(where, json_array_create_3(
                       json_string_create("vsid"), json_string_create("=="),
                       json_integer_create(vsid)));
    json_array_add(where, json_array_create_3(
                       json_string_create("customer_address"),
                       json_string_create("=="),
                       json_string_create_nocopy(ca_s)));
    if (c->argc > 3) {
        json_array_add(where, json_array_create_3(
                           json_string_create("mac"),
                           json_string_create("=="),
                           json_string_create_nocopy(mac_to_string(mac))));
    }
    *wherep = where;
    return true;
}

/* Adds to 'row' the string column 'column' set from option 'name' of 'c', if
 * given: an empty value clears the column. */
static void
direct_put_optional(struct json *row, const struct ctl_command *c,
                    const char *name, const char *column)
{
    struct shash_node *node = shash_find(&c->options, name);
    if (node) {
        const char *v = node->data;
        json_object_put(row, column,
                        v && *v ? json_string_create(v)
                                : json_array_create_2(
                                    json_string_create("set"),
                                    json_array_create_empty()));
    }
}

/* Returns the "row" of the update for set-lookup-record 'c', or NULL if 'c'
 * is not eligible for the direct path. */
static struct json *
direct_set_row(const struct ctl_command *c)
{
    const char *pa_s = shash_find_data(&c->options, "--pa");
    const char *rule_s = shash_find_data(&c->options, "--rule");
    struct json *row = json_object_create();
    struct in6_addr pa;
    enum hnv_rule rule;
    char *error = NULL;

    if (pa_s) {
        error = parse_provider_address(pa_s, &pa);
        if (!error) {
            json_object_put(row, "provider_address",
                            json_string_create_nocopy(addr_to_string(&pa)));
        }
    }
    if (!error && rule_s) {
        error = parse_rule(rule_s, &rule);
        if (!error) {
            json_object_put_string(row, "rule", hnv_rule_to_string(rule));
        }
    }
    if (error) {
        free(error);
        json_destroy(row);
        return NULL;
    }
    direct_put_optional(row, c, "--customer-id", "customer_id");
    direct_put_optional(row, c, "--vm-name", "vm_name");
    direct_put_optional(row, c, "--context", "context");
    if (shash_is_empty(json_object(row))) {
        json_destroy(row);
        return NULL;
    }
    return row;
}

/* Appends to 'txn' the operations that end every direct transaction: with
 * 'wait', the next_cfg increment and a select of its new value; the
 * comment that names the invocation. */
static void
direct_add_tail(struct json *txn, const char *args, bool wait)
{
    struct json *op;

    if (wait) {
        op = json_object_create();
        json_object_put_string(op, "op", "mutate");
        json_object_put_string(op, "table", "Open_vSwitch");
        json_object_put(op, "where", json_array_create_empty());
        json_object_put(op, "mutations", json_array_create_1(
                            json_array_create_3(json_string_create("next_cfg"),
                                                json_string_create("+="),
                                                json_integer_create(1))));
        json_array_add(txn, op);

        op = json_object_create();
        json_object_put_string(op, "op", "select");
        json_object_put_string(op, "table", "Open_vSwitch");
        json_object_put(op, "where", json_array_create_empty());
        json_object_put(op, "columns", json_array_create_1(
                            json_string_create("next_cfg")));
        json_array_add(txn, op);
    }

    op = json_object_create();
    json_object_put_string(op, "op", "comment");
    json_object_put_format(op, "comment", "ovs-hnvctl: %s", args);
    json_array_add(txn, op);
}

/* Builds the transaction for the one command in 'commands', or returns NULL
 * if the invocation is not eligible for the direct path. */
static struct json *
direct_transaction(const char *args, const struct ctl_command *commands,
                   size_t n_commands, bool wait)
{
    if (n_commands != 1) {
        return NULL;
    }

    const struct ctl_command *c = &commands[0];
    const char *name = c->syntax->name;
    bool set = !strcmp(name, "set-lookup-record");
    if (!set && (strcmp(name, "del-lookup-record")
                 || shash_find(&c->options, "--all"))) {
        return NULL;
    }

    struct json *row = NULL;
    if (set) {
        row = direct_set_row(c);
        if (!row) {
            return NULL;
        }
    }
    struct json *where;
    if (!direct_record_where(c, &where)) {
        json_destroy(row);
        return NULL;
    }

    struct json *txn = json_array_create_1(json_string_create("Open_vSwitch"));
    struct json *op = json_object_create();
    json_object_put_string(op, "op", "wait");
    json_object_put_string(op, "table", "HNV_Lookup_Record");
    json_object_put(op, "where", json_clone(where));
    json_object_put(op, "columns", json_array_create_empty());
    json_object_put_string(op, "until", "!=");
    json_object_put(op, "rows", json_array_create_empty());
    json_object_put(op, "timeout", json_integer_create(0));
    json_array_add(txn, op);

    op = json_object_create();
    json_object_put_string(op, "op", set ? "update" : "delete");
    json_object_put_string(op, "table", "HNV_Lookup_Record");
    json_object_put(op, "where", where);
    if (row) {
        json_object_put(op, "row", row);
    }
    json_array_add(txn, op);

    direct_add_tail(txn, args, wait);
    return txn;
}

/* Returns the next_cfg that the reply's last "select" read, or -1. */
static int64_t
direct_reply_next_cfg(const struct json *result)
{
    for (size_t i = 0; i < result->array.n; i++) {
        const struct json *r = result->array.elems[i];
        const struct json *rows = (r->type == JSON_OBJECT
                                   ? shash_find_data(json_object(r), "rows")
                                   : NULL);
        if (rows && rows->type == JSON_ARRAY && rows->array.n == 1) {
            const struct json *row = rows->array.elems[0];
            const struct json *next_cfg = shash_find_data(json_object(row),
                                                          "next_cfg");
            if (next_cfg && next_cfg->type == JSON_INTEGER) {
                return next_cfg->integer;
            }
        }
    }
    return -1;
}

/* Waits until ovs-vswitchd has applied configuration 'next_cfg', with an
 * IDL that monitors only Open_vSwitch's cur_cfg. */
static void
direct_wait_for_reload(int64_t next_cfg)
{
    struct ovsdb_idl *idl = ovsdb_idl_create_unconnected(&ovsrec_idl_class,
                                                        false);
    ovsdb_idl_set_remote(idl, db, false);
    ovsdb_idl_set_db_change_aware(idl, false);
    ovsdb_idl_add_table(idl, &ovsrec_table_open_vswitch);
    ovsdb_idl_add_column(idl, &ovsrec_open_vswitch_col_cur_cfg);
    for (;;) {
        ovsdb_idl_run(idl);
        const struct ovsrec_open_vswitch *ovs;
        OVSREC_OPEN_VSWITCH_FOR_EACH (ovs, idl) {
            if (ovs->cur_cfg >= next_cfg) {
                ovsdb_idl_destroy(idl);
                return;
            }
        }
        ovsdb_idl_wait(idl);
        poll_block();
    }
}

/* Sends transaction 'txn' (consumed) to the database on a connection of its
 * own and returns the reply, whose result is an array with an element per
 * operation.  Returns NULL if the database cannot be reached (the general
 * path will then report it); other failures are fatal. */
static struct jsonrpc_msg *
direct_transact(struct json *txn)
{
    struct stream *stream;
    int error = stream_open_block(jsonrpc_stream_open(db, &stream,
                                                      DSCP_DEFAULT),
                                  -1, &stream);
    if (error) {
        json_destroy(txn);
        return NULL;
    }

    struct jsonrpc *rpc = jsonrpc_open(stream);
    struct jsonrpc_msg *reply;
    error = jsonrpc_transact_block(rpc, jsonrpc_create_request("transact",
                                                               txn, NULL),
                                   &reply);
    jsonrpc_close(rpc);
    if (error) {
        ctl_fatal("%s: transaction failed (%s)", db,
                  ovs_retval_to_string(error));
    }
    if (reply->type != JSONRPC_REPLY || !reply->result
        || reply->result->type != JSON_ARRAY || !reply->result->array.n) {
        ctl_fatal("%s: unexpected reply to transaction", db);
    }
    return reply;
}

/* Returns true if the database has no lookup record.  A "wait" until the
 * table equals the empty set, with timeout 0, fails at once otherwise; it
 * sends no row back either way.  Returns false if it cannot tell. */
static bool
direct_records_table_is_empty(void)
{
    struct json *op = json_object_create();
    json_object_put_string(op, "op", "wait");
    json_object_put_string(op, "table", "HNV_Lookup_Record");
    json_object_put(op, "where", json_array_create_empty());
    json_object_put(op, "columns", json_array_create_empty());
    json_object_put_string(op, "until", "==");
    json_object_put(op, "rows", json_array_create_empty());
    json_object_put(op, "timeout", json_integer_create(0));

    struct jsonrpc_msg *reply = direct_transact(
        json_array_create_2(json_string_create("Open_vSwitch"), op));
    if (!reply) {
        return false;
    }
    const struct json *r = reply->result->array.elems[0];
    bool empty = (r->type == JSON_OBJECT
                  && !shash_find(json_object(r), "error"));
    jsonrpc_msg_destroy(reply);
    return empty;
}

/* Frees 'reply', a committed direct transaction, and waits for
 * ovs-vswitchd to apply its next_cfg unless --no-wait. */
static void
direct_finish(struct jsonrpc_msg *reply)
{
    int64_t next_cfg = direct_reply_next_cfg(reply->result);

    jsonrpc_msg_destroy(reply);
    if (wait_for_reload && next_cfg >= 0) {
        direct_wait_for_reload(next_cfg);
    }
}

/* Returns true if some operation in 'reply' failed. */
static bool
direct_reply_error(const struct jsonrpc_msg *reply)
{
    const struct json *result = reply->result;

    for (size_t i = 0; i < result->array.n; i++) {
        const struct json *r = result->array.elems[i];
        if (r->type != JSON_OBJECT || shash_find(json_object(r), "error")) {
            return true;
        }
    }
    return false;
}

/* Returns a "select" operation on 'table' for the rows where 'column' ==
 * 'value' (consumed), reading column 'result'. */
static struct json *
direct_select(const char *table, const char *column, struct json *value,
              const char *result)
{
    struct json *op = json_object_create();

    json_object_put_string(op, "op", "select");
    json_object_put_string(op, "table", table);
    json_object_put(op, "where", json_array_create_1(
                        json_array_create_3(json_string_create(column),
                                            json_string_create("=="),
                                            value)));
    json_object_put(op, "columns",
                    json_array_create_1(json_string_create(result)));
    return op;
}

/* Returns the rows of result 'i' of 'reply', or NULL on error. */
static const struct json *
direct_rows(const struct jsonrpc_msg *reply, size_t i)
{
    const struct json *r = (i < reply->result->array.n
                            ? reply->result->array.elems[i] : NULL);
    const struct json *rows = (r && r->type == JSON_OBJECT
                               ? shash_find_data(json_object(r), "rows")
                               : NULL);

    return rows && rows->type == JSON_ARRAY ? rows : NULL;
}

/* Adds to 'rdids' the canonical routing domains in the "routing_domain"
 * column of 'rows'. */
static void
direct_collect_rdids(const struct json *rows, struct sset *rdids)
{
    for (size_t i = 0; i < rows->array.n; i++) {
        const struct json *v = shash_find_data(
            json_object(rows->array.elems[i]), "routing_domain");
        char *canonical;

        if (v && v->type == JSON_STRING) {
            char *error = hnv_parse_rdid(json_string(v), &canonical);
            if (error) {
                free(error);
                sset_add(rdids, json_string(v));
            } else {
                sset_add_and_free(rdids, canonical);
            }
        }
    }
}

/* add-lookup-record of a record with a non-wildcard IPv4 customer address,
 * alone on the command line (a new VM), without monitoring the lookup
 * records:
 *
 *   1. one read: the records with that CA in any VSID ("select", a scan
 *      that sends only those rows: IPv4 text that parses is unique), and
 *      the routing domains of the VSID; if some of those records are in
 *      other VSIDs, a second read: their VSIDs' routing domains;
 *   2. if none is in the same VSID or a shared routing domain, one write:
 *      the insert with the derived row UUID, and the next_cfg increment.
 *
 * Whenever a check finds something (a conflict, an existing record, for
 * --may-exist too) or the write fails, nothing has been written and the
 * general path runs, with its checks and messages.  Returns true if the
 * record was added. */
static bool
run_direct_add(const char *args, const struct ctl_command *c)
{
    struct record_spec spec;
    struct sset rdids = SSET_INITIALIZER(&rdids);
    struct jsonrpc_msg *reply = NULL;
    bool added = false;

    if (c->argc < 5) {
        return false;
    }
    char *error = record_spec_parse(
        &spec, c->argv[1], c->argv[2], c->argv[3], c->argv[4],
        shash_find_data(&c->options, "--rule"),
        shash_find_data(&c->options, "--type"),
        shash_find_data(&c->options, "--customer-id"),
        shash_find_data(&c->options, "--vm-name"),
        shash_find_data(&c->options, "--context"));
    if (error) {
        free(error);
        return false;
    }
    if (!hnv_address_is_ipv4(&spec.ca) || hnv_address_is_wildcard(&spec.ca)) {
        goto out;
    }

    /* 1. What could conflict. */
    char *ca_s = addr_to_string(&spec.ca);
    reply = direct_transact(json_array_create_3(
        json_string_create("Open_vSwitch"),
        direct_select("HNV_Lookup_Record", "customer_address",
                      json_string_create(ca_s), "vsid"),
        direct_select("HNV_Customer_Route", "vsid",
                      json_integer_create(spec.vsid), "routing_domain")));
    free(ca_s);
    const struct json *records = reply ? direct_rows(reply, 0) : NULL;
    const struct json *routes = reply ? direct_rows(reply, 1) : NULL;
    if (!records || !routes) {
        goto out;
    }
    direct_collect_rdids(routes, &rdids);

    struct json *txn = json_array_create_1(json_string_create("Open_vSwitch"));
    for (size_t i = 0; i < records->array.n; i++) {
        const struct json *v = shash_find_data(
            json_object(records->array.elems[i]), "vsid");
        if (!v || v->type != JSON_INTEGER || v->integer == spec.vsid) {
            json_destroy(txn);
            goto out;
        }
        json_array_add(txn, direct_select("HNV_Customer_Route", "vsid",
                                          json_integer_create(v->integer),
                                          "routing_domain"));
    }
    jsonrpc_msg_destroy(reply);
    reply = NULL;
    if (txn->array.n > 1 && !sset_is_empty(&rdids)) {
        reply = direct_transact(txn);
        if (!reply) {
            goto out;
        }
        for (size_t i = 0; i < reply->result->array.n; i++) {
            struct sset other = SSET_INITIALIZER(&other);
            const struct json *rows = direct_rows(reply, i);
            bool shared = !rows;
            const char *rdid;

            if (rows) {
                direct_collect_rdids(rows, &other);
                SSET_FOR_EACH (rdid, &other) {
                    shared = shared || sset_contains(&rdids, rdid);
                }
            }
            sset_destroy(&other);
            if (shared) {
                goto out;
            }
        }
        jsonrpc_msg_destroy(reply);
        reply = NULL;
    } else {
        json_destroy(txn);
    }

    /* 2. The write. */
    struct uuid uuid;
    hnv_lookup_record_uuid(spec.vsid, &spec.ca, spec.mac, &uuid);
    struct json *row = json_object_create();
    json_object_put(row, "vsid", json_integer_create(spec.vsid));
    json_object_put(row, "customer_address",
                    json_string_create_nocopy(addr_to_string(&spec.ca)));
    json_object_put(row, "mac",
                    json_string_create_nocopy(mac_to_string(spec.mac)));
    json_object_put(row, "provider_address",
                    json_string_create_nocopy(addr_to_string(&spec.pa)));
    json_object_put_string(row, "rule", hnv_rule_to_string(spec.rule));
    json_object_put_string(row, "type", hnv_type_to_string(spec.type));
    if (spec.customer_id) {
        json_object_put_string(row, "customer_id", spec.customer_id);
    }
    if (spec.vm_name) {
        json_object_put_string(row, "vm_name", spec.vm_name);
    }
    if (spec.context) {
        json_object_put_string(row, "context", spec.context);
    }
    struct json *op = json_object_create();
    json_object_put_string(op, "op", "insert");
    json_object_put_string(op, "table", "HNV_Lookup_Record");
    json_object_put_format(op, "uuid", UUID_FMT, UUID_ARGS(&uuid));
    json_object_put(op, "row", row);

    txn = json_array_create_2(json_string_create("Open_vSwitch"), op);
    direct_add_tail(txn, args, wait_for_reload);
    reply = direct_transact(txn);
    if (reply && !direct_reply_error(reply)) {
        direct_finish(reply);
        reply = NULL;
        added = true;
    }

out:
    jsonrpc_msg_destroy(reply);
    sset_destroy(&rdids);
    record_spec_destroy(&spec);
    return added;
}

/* Runs 'commands' on the direct path if they are eligible.  Returns true if
 * they ran and succeeded, false if the general path must run them (nothing
 * has been written then). */
static bool
run_direct_commands(const char *args, const struct ctl_command *commands,
                    size_t n_commands)
{
    if (dry_run || retry || strchr(db, ',')) {
        return false;
    }
    if (n_commands == 1
        && !strcmp(commands[0].syntax->name, "add-lookup-record")) {
        return run_direct_add(args, &commands[0]);
    }

    struct json *txn = direct_transaction(args, commands, n_commands,
                                          wait_for_reload);
    if (!txn) {
        return false;
    }

    struct jsonrpc_msg *reply = direct_transact(txn);
    if (!reply) {
        return false;
    }

    /* Each operation's result is an object, with an "error" member if it
     * failed.  The first operation is the "wait": if it failed, the record
     * does not have its derived UUID, and the general path takes over. */
    const struct json *result = reply->result;
    for (size_t i = 0; i < result->array.n; i++) {
        const struct json *r = result->array.elems[i];
        const struct json *e = (r->type == JSON_OBJECT
                                ? shash_find_data(json_object(r), "error")
                                : NULL);
        if (e) {
            if (i == 0) {
                jsonrpc_msg_destroy(reply);
                return false;
            }
            char *s = json_to_string(r, 0);
            ctl_fatal("transaction error: %s", s);
        }
    }

    direct_finish(reply);
    return true;
}

static void
hnvctl_exit(int status)
{
    if (the_idl_txn) {
        ovsdb_idl_txn_abort(the_idl_txn);
        ovsdb_idl_txn_destroy(the_idl_txn);
        the_idl_txn = NULL;
    }
    exit(status);
}

static const struct ctl_command_syntax hnvctl_commands[] = {
    {"add-lookup-record", 4, 4, "VSID CA MAC PA", pre_add_lookup_record,
     cmd_add_lookup_record, NULL,
     "--rule=,--type=,--customer-id=,--vm-name=,--context=,--may-exist", RW},
    {"set-lookup-record", 2, 3, "VSID CA [MAC]", pre_lookup_record_key,
     cmd_set_lookup_record, NULL,
     "--pa=,--rule=,--customer-id=,--vm-name=,--context=,--if-exists", RW},
    {"del-lookup-record", 0, 3, "VSID CA [MAC]", pre_lookup_record_key,
     cmd_del_lookup_record, NULL, "--all,--if-exists", RW},
    {"list-lookup-records", 0, 0, "", pre_list_lookup_records,
     cmd_list_lookup_records, NULL, "--vsid=,--ca=,--pa=,--type=,--columns=",
     RO},
    {"add-customer-route", 4, 5, "RDID VSID PREFIX NEXT-HOP [METRIC]",
     pre_policy, cmd_add_customer_route, NULL, "--may-exist", RW},
    {"del-customer-route", 3, 3, "RDID VSID PREFIX", pre_policy_no_records,
     cmd_del_customer_route, NULL, "--if-exists", RW},
    {"list-customer-routes", 0, 0, "", pre_policy_no_records,
     cmd_list_customer_routes, NULL, "--rdid=,--vsid=,--columns=", RO},
    {"add-provider-address", 2, 2, "PA/PLEN INTERFACE",
     pre_policy_no_records, cmd_add_provider_address, NULL,
     "--vlan=,--may-exist", RW},
    {"del-provider-address", 1, 1, "PA", pre_policy_no_records,
     cmd_del_provider_address, NULL, "--if-exists", RW},
    {"list-provider-addresses", 0, 0, "", pre_policy_no_records,
     cmd_list_provider_addresses, NULL, "--columns=", RO},
    {"add-provider-route", 3, 4, "PREFIX NEXT-HOP INTERFACE [METRIC]",
     pre_policy_no_records, cmd_add_provider_route, NULL, "--may-exist", RW},
    {"del-provider-route", 1, 1, "PREFIX", pre_policy_no_records,
     cmd_del_provider_route, NULL, "--if-exists", RW},
    {"list-provider-routes", 0, 0, "", pre_policy_no_records,
     cmd_list_provider_routes, NULL, "--columns=", RO},
    {"enable-bridge", 2, 2, "BRIDGE PORT", pre_switch, cmd_enable_bridge,
     NULL, "", RW},
    {"disable-bridge", 1, 1, "BRIDGE", pre_switch, cmd_disable_bridge, NULL,
     "--if-exists", RW},
    {"bind-port", 2, 2, "PORT VSID", pre_switch, cmd_bind_port, NULL, "",
     RW},
    {"unbind-port", 1, 1, "PORT", pre_switch, cmd_unbind_port, NULL,
     "--if-exists", RW},
    {"import", 0, 1, "[FILE]", pre_import, cmd_import, NULL,
     "--may-exist,--replace", RW},
    {"export", 0, 0, "", pre_policy, cmd_export, NULL, "", RO},
    {"show", 0, 0, "", pre_all, cmd_show, NULL, "", RO},
    {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, RO},
};

/* Row identifiers for the generic database commands, as in ovs-vsctl, plus
 * the HNV tables that have a natural key. */
static const struct ctl_table_class tables[OVSREC_N_TABLES] = {
    [OVSREC_TABLE_BRIDGE].row_ids[0] = {&ovsrec_bridge_col_name, NULL, NULL},
    [OVSREC_TABLE_CONTROLLER].row_ids[0]
    = {&ovsrec_bridge_col_name, NULL, &ovsrec_bridge_col_controller},
    [OVSREC_TABLE_INTERFACE].row_ids[0]
    = {&ovsrec_interface_col_name, NULL, NULL},
    [OVSREC_TABLE_MIRROR].row_ids[0] = {&ovsrec_mirror_col_name, NULL, NULL},
    [OVSREC_TABLE_MANAGER].row_ids[0]
    = {&ovsrec_manager_col_target, NULL, NULL},
    [OVSREC_TABLE_NETFLOW].row_ids[0]
    = {&ovsrec_bridge_col_name, NULL, &ovsrec_bridge_col_netflow},
    [OVSREC_TABLE_PORT].row_ids[0] = {&ovsrec_port_col_name, NULL, NULL},
    [OVSREC_TABLE_QOS].row_ids[0]
    = {&ovsrec_port_col_name, NULL, &ovsrec_port_col_qos},
    [OVSREC_TABLE_SFLOW].row_ids[0]
    = {&ovsrec_bridge_col_name, NULL, &ovsrec_bridge_col_sflow},
    [OVSREC_TABLE_FLOW_TABLE].row_ids[0]
    = {&ovsrec_flow_table_col_name, NULL, NULL},
    [OVSREC_TABLE_IPFIX].row_ids[0]
    = {&ovsrec_bridge_col_name, NULL, &ovsrec_bridge_col_ipfix},
    [OVSREC_TABLE_AUTOATTACH].row_ids[0]
    = {&ovsrec_bridge_col_name, NULL, &ovsrec_bridge_col_auto_attach},
    [OVSREC_TABLE_FLOW_SAMPLE_COLLECTOR_SET].row_ids[0]
    = {&ovsrec_flow_sample_collector_set_col_id, NULL, NULL},
    [OVSREC_TABLE_HNV].row_ids[0]
    = {&ovsrec_bridge_col_name, NULL, &ovsrec_bridge_col_hnv},
    [OVSREC_TABLE_HNV_PROVIDER_ADDRESS].row_ids[0]
    = {&ovsrec_hnv_provider_address_col_provider_address, NULL, NULL},
    [OVSREC_TABLE_HNV_PROVIDER_ROUTE].row_ids[0]
    = {&ovsrec_hnv_provider_route_col_destination_prefix, NULL, NULL},
};

static void
hnvctl_cmd_init(void)
{
    ctl_init(&ovsrec_idl_class, ovsrec_table_classes, tables, NULL,
             hnvctl_exit);
    ctl_register_commands(hnvctl_commands);
}
