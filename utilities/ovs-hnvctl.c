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
 * Writers that run at once
 * ========================
 *
 * The checks across rows read the database and then write: two invocations
 * that run at once, say add-lookup-record of one CA in two VSIDs of one
 * routing domain, or add-customer-route of one VSID into two routing
 * domains, could each pass its check against a database without the
 * other's row, and both commit.  So the checks and the write are made
 * atomic with respect to every other ovs-hnvctl writer through one shared
 * column, Open_vSwitch's next_cfg: an invocation with a command that checks
 * other rows (commands_check_other_rows()) verifies next_cfg in its
 * transaction (ovsrec_open_vswitch_verify_next_cfg(), an OVSDB "wait" that
 * next_cfg still has the value read) and increments it, with or without
 * --no-wait.  Of two such writers that read the same database, the second
 * to commit fails with TXN_TRY_AGAIN; it then runs its commands again on
 * the database that includes the first one's rows (the IDL monitors the
 * rows the checks read, and next_cfg changes in the same update), and its
 * check reports the conflict.  The direct add (ovs-hnvctl-direct.c) reads
 * next_cfg with its checks and writes with a "wait" on that value; if the
 * wait fails, nothing is written and the general path takes over.
 *
 * next_cfg is the column ovs-vsctl and ovs-hnvctl already increment to ask
 * ovs-vswitchd to apply a change, so this adds no schema and, without
 * --no-wait, no extra write; with --no-wait, ovs-vswitchd is asked to
 * reconfigure once more.  A writer that does not increment next_cfg
 * (ovs-vsctl, other OVSDB clients) is not serialized; the switch resolves
 * the conflicts such writers create (HNV-SPEC 2).  A database without an
 * Open_vSwitch row (never initialized) is not serialized either.
 *
 * "import" reads its whole file while the command line is checked (before
 * connecting to the database), so syntax errors are reported with their line
 * numbers before anything happens and the file is read only once even if the
 * transaction must be retried; the rows are validated and inserted in file
 * order when the transaction is built.  The file formats are documented in
 * ovs-hnvctl(8). */

#include <config.h>

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db-ctl-base.h"

#include "command-line.h"
#include "compiler.h"
#include "fatal-signal.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-data.h"
#include "ovsdb-idl.h"
#include "process.h"
#include "socket-util.h"
#include "stream.h"
#include "stream-ssl.h"
#include "lib/vswitch-idl.h"
#include "table.h"
#include "util.h"
#include "utilities/ovs-hnvctl.h"

VLOG_DEFINE_THIS_MODULE(hnvctl);

/* --db: The database server to contact. */
const char *db;

/* --dry-run: Do not commit any changes. */
bool dry_run;

/* --no-wait: Wait for ovs-vswitchd to reload its configuration? */
bool wait_for_reload = true;

/* --timeout: Time to wait for a connection to 'db'. */
static unsigned int timeout;

/* --retry: Keep trying to connect to the database forever? */
bool retry;

/* Format for table output (--format, --data, --bare...). */
struct table_style table_style = {
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
  --no-wait                   do not wait until ovs-vswitchd uses the change\n\
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
    ovsdb_idl_add_column(idl, &ovsrec_open_vswitch_col_next_cfg);
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

/* Whether some command in 'commands' checks its change against rows that
 * it does not write: a new lookup record against the records of its CA, a
 * new customer route against the VSID's routing domain and records, an
 * import against both.  Such an invocation must not commit if another
 * writer has committed since it read the database (see "Writers that run at
 * once" at the top of the file).  Changes that only remove rows or rewrite
 * a record's PA, rule or metadata cannot create a conflict and need not
 * wait for one another. */
static bool
commands_check_other_rows(const struct ctl_command *commands, size_t n)
{
    static const char *const names[] = {
        "add-lookup-record", "add-customer-route", "import",
    };

    for (const struct ctl_command *c = commands; c < &commands[n]; c++) {
        for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
            if (!strcmp(c->syntax->name, names[i])) {
                return true;
            }
        }
    }
    return false;
}

/* For the tests only: if the environment variable
 * OVS_HNVCTL_TEST_COMMIT_DELAY_MS is set, sleeps that many milliseconds
 * between reading the database and writing to it (before the commit on the
 * general path, between the reads and the write on the direct path), so
 * that a test can make two concurrent writers read the same state
 * reliably (tests/hnv-ctl.at, "concurrent writers").  Never set it
 * otherwise. */
void
hnvctl_test_commit_delay(void)
{
    const char *s = getenv("OVS_HNVCTL_TEST_COMMIT_DELAY_MS");
    if (s && *s) {
        xnanosleep(strtoull(s, NULL, 10) * 1000 * 1000);
    }
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
    bool serialize = (ovs && !dry_run
                      && commands_check_other_rows(commands, n_commands));
    if (serialize) {
        /* See "Writers that run at once" at the top of the file. */
        ovsrec_open_vswitch_verify_next_cfg(ovs);
    }
    if (wait || serialize) {
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

    hnvctl_test_commit_delay();
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
