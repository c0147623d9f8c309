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

/* ovs-hnvctl: "export" and "import", CSV and JSON. */

#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db-ctl-base.h"

#include "compiler.h"
#include "hnv/hnv-types.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/list.h"
#include "openvswitch/shash.h"
#include "svec.h"
#include "lib/vswitch-idl.h"
#include "table.h"
#include "util.h"

#include "utilities/ovs-hnvctl.h"

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

void
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

void
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

void
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
