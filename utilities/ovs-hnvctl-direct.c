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

/* ovs-hnvctl: the direct path, single-record commands sent as one raw
 * OVSDB transaction without monitoring HNV_Lookup_Record. */

#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "db-ctl-base.h"

#include "hnv/hnv-types.h"
#include "jsonrpc.h"
#include "openvswitch/json.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "ovsdb-idl.h"
#include "packets.h"
#include "sset.h"
#include "stream.h"
#include "lib/vswitch-idl.h"
#include "util.h"
#include "uuid.h"

#include "utilities/ovs-hnvctl.h"

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
        error = parse_record_pa(pa_s, &pa);
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

/* Returns a "select" of Open_vSwitch's next_cfg. */
static struct json *
direct_select_next_cfg(void)
{
    struct json *op = json_object_create();

    json_object_put_string(op, "op", "select");
    json_object_put_string(op, "table", "Open_vSwitch");
    json_object_put(op, "where", json_array_create_empty());
    json_object_put(op, "columns",
                    json_array_create_1(json_string_create("next_cfg")));
    return op;
}

/* Appends to 'txn' the operations that end every direct transaction: with
 * 'increment', the next_cfg increment and, with 'wait' too, a select of its
 * new value; the comment that names the invocation. */
static void
direct_add_tail(struct json *txn, const char *args, bool increment,
                bool wait)
{
    struct json *op;

    if (increment) {
        op = json_object_create();
        json_object_put_string(op, "op", "mutate");
        json_object_put_string(op, "table", "Open_vSwitch");
        json_object_put(op, "where", json_array_create_empty());
        json_object_put(op, "mutations", json_array_create_1(
                            json_array_create_3(json_string_create("next_cfg"),
                                                json_string_create("+="),
                                                json_integer_create(1))));
        json_array_add(txn, op);
    }
    if (increment && wait) {
        json_array_add(txn, direct_select_next_cfg());
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

    direct_add_tail(txn, args, wait, wait);
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
bool
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

/* Returns the next_cfg of the single row in 'rows' (the result of
 * direct_select_next_cfg()), or -1 if there is none. */
static int64_t
direct_rows_next_cfg(const struct json *rows)
{
    const struct json *next_cfg = NULL;

    if (rows && rows->array.n == 1
        && rows->array.elems[0]->type == JSON_OBJECT) {
        next_cfg = shash_find_data(json_object(rows->array.elems[0]),
                                   "next_cfg");
    }
    return next_cfg && next_cfg->type == JSON_INTEGER ? next_cfg->integer : -1;
}

/* Returns a "wait" that fails unless Open_vSwitch's next_cfg is still
 * 'next_cfg': the direct path's equivalent of the general path's
 * ovsrec_open_vswitch_verify_next_cfg() (see "Writers that run at once" in
 * ovs-hnvctl.c). */
static struct json *
direct_wait_next_cfg(int64_t next_cfg)
{
    struct json *row = json_object_create();
    struct json *op = json_object_create();

    json_object_put(row, "next_cfg", json_integer_create(next_cfg));
    json_object_put_string(op, "op", "wait");
    json_object_put_string(op, "table", "Open_vSwitch");
    json_object_put(op, "where", json_array_create_empty());
    json_object_put(op, "columns",
                    json_array_create_1(json_string_create("next_cfg")));
    json_object_put_string(op, "until", "==");
    json_object_put(op, "rows", json_array_create_1(row));
    json_object_put(op, "timeout", json_integer_create(0));
    return op;
}

/* Returns the "row" of the insert of 'spec'. */
static struct json *
direct_record_row(const struct record_spec *spec)
{
    struct json *row = json_object_create();

    json_object_put(row, "vsid", json_integer_create(spec->vsid));
    json_object_put(row, "customer_address",
                    json_string_create_nocopy(addr_to_string(&spec->ca)));
    json_object_put(row, "mac",
                    json_string_create_nocopy(mac_to_string(spec->mac)));
    json_object_put(row, "provider_address",
                    json_string_create_nocopy(addr_to_string(&spec->pa)));
    json_object_put_string(row, "rule", hnv_rule_to_string(spec->rule));
    json_object_put_string(row, "type", hnv_type_to_string(spec->type));
    if (spec->customer_id) {
        json_object_put_string(row, "customer_id", spec->customer_id);
    }
    if (spec->vm_name) {
        json_object_put_string(row, "vm_name", spec->vm_name);
    }
    if (spec->context) {
        json_object_put_string(row, "context", spec->context);
    }
    return row;
}

/* Inserts the record of 'spec' with its derived row UUID, provided that
 * Open_vSwitch's next_cfg is still 'next_cfg', the value read with the
 * checks: otherwise another writer has committed since, and nothing is
 * written.  The transaction increments next_cfg in any case (with or
 * without --no-wait), so that a writer that read before this one fails in
 * its turn.  Returns true if the record was inserted. */
static bool
direct_insert_record(const char *args, const struct record_spec *spec,
                     int64_t next_cfg)
{
    struct uuid uuid;

    hnv_lookup_record_uuid(spec->vsid, &spec->ca, spec->mac, &uuid);

    struct json *op = json_object_create();
    json_object_put_string(op, "op", "insert");
    json_object_put_string(op, "table", "HNV_Lookup_Record");
    json_object_put_format(op, "uuid", UUID_FMT, UUID_ARGS(&uuid));
    json_object_put(op, "row", direct_record_row(spec));

    struct json *txn = json_array_create_3(json_string_create("Open_vSwitch"),
                                           direct_wait_next_cfg(next_cfg), op);
    direct_add_tail(txn, args, true, wait_for_reload);

    struct jsonrpc_msg *reply = direct_transact(txn);
    if (!reply) {
        return false;
    } else if (direct_reply_error(reply)) {
        jsonrpc_msg_destroy(reply);
        return false;
    }
    direct_finish(reply);
    return true;
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
 *      the insert with the derived row UUID, and the next_cfg increment,
 *      on condition that next_cfg is still what the first read saw (an
 *      OVSDB "wait"), so that the checks and the write are atomic with
 *      respect to every other ovs-hnvctl writer (see "Writers that run at
 *      once" in ovs-hnvctl.c).
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
    struct json *reads = json_array_create_3(
        json_string_create("Open_vSwitch"),
        direct_select("HNV_Lookup_Record", "customer_address",
                      json_string_create(ca_s), "vsid"),
        direct_select("HNV_Customer_Route", "vsid",
                      json_integer_create(spec.vsid), "routing_domain"));
    json_array_add(reads, direct_select_next_cfg());
    reply = direct_transact(reads);
    free(ca_s);
    const struct json *records = reply ? direct_rows(reply, 0) : NULL;
    const struct json *routes = reply ? direct_rows(reply, 1) : NULL;
    int64_t next_cfg = reply ? direct_rows_next_cfg(direct_rows(reply, 2))
                             : -1;
    if (!records || !routes || next_cfg < 0) {
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

    hnvctl_test_commit_delay();

    /* 2. The write, if nothing changed since the reads. */
    added = direct_insert_record(args, &spec, next_cfg);

out:
    jsonrpc_msg_destroy(reply);
    sset_destroy(&rdids);
    record_spec_destroy(&spec);
    return added;
}

/* Runs 'commands' on the direct path if they are eligible.  Returns true if
 * they ran and succeeded, false if the general path must run them (nothing
 * has been written then). */
bool
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
