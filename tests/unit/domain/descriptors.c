/*
 * Every collection's descriptor (resource.h) checked against the schema of a fresh store
 * (schema.sql and every migration): each field that is stored is a column of the
 * collection's table with the column type its kind needs (INTEGER for int, ref and bool;
 * TEXT for text, date, enum and json); a required or not-null field is a NOT NULL column;
 * each reference names a table, and the column's foreign key, where the schema has one,
 * points at that table; each enumeration has exactly the values of the column's
 * CHECK (col IN (...)), and integer bounds are those of its CHECK (BETWEEN or IN).
 * What _meta serves and what writes are validated by is then what the database holds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/resource.h"
#include "jobs/jobs.h"
#include "store/store.h"

struct fx {
    char path[64];
    store *s;
    store_conn *c;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    snprintf(f->path, sizeof f->path, "/tmp/ronghe-unit-desc-%d.db", getpid());
    unlink(f->path);
    struct rerr e = {0};
    if (store_open(f->path, STORE_CREATE_NEW, &f->s, &e) < 0)
        fail_msg("%s", e.message);
    f->c = store_acquire(f->s);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    store_release(f->c);
    store_close(f->s);
    char p[96];
    const char *suffix[] = {"", "-wal", "-shm", ".lock"};
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
        unlink(p);
    }
    free(f);
    return 0;
}

/* A column as PRAGMA table_info gives it. */
struct column {
    char type[16];
    bool notnull, found;
};

static struct column column_of(store_conn *c, const char *table, const char *name)
{
    struct column col = {0};
    store_stmt *st = store_prepare(c, "SELECT type, \"notnull\" FROM pragma_table_info(?) WHERE name = ?");
    store_bind_text(st, 1, table);
    store_bind_text(st, 2, name);
    if (store_step(st, NULL) == STORE_ROW) {
        col.found = true;
        snprintf(col.type, sizeof col.type, "%s", store_col_text(st, 0));
        col.notnull = store_col_int(st, 1) != 0;
    }
    store_done(st);
    return col;
}

static bool table_exists(store_conn *c, const char *table)
{
    store_stmt *st = store_prepare(c, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?");
    store_bind_text(st, 1, table);
    bool yes = store_step(st, NULL) == STORE_ROW;
    store_done(st);
    return yes;
}

/* The table column "from" of "table" refers to by foreign key, into "out"; "" when none. */
static void foreign_key(store_conn *c, const char *table, const char *from, char *out, size_t cap)
{
    out[0] = 0;
    store_stmt *st = store_prepare(c, "SELECT \"table\" FROM pragma_foreign_key_list(?) WHERE \"from\" = ?");
    store_bind_text(st, 1, table);
    store_bind_text(st, 2, from);
    if (store_step(st, NULL) == STORE_ROW)
        snprintf(out, cap, "%s", store_col_text(st, 0));
    store_done(st);
}

/* The CREATE TABLE text of "table" as the schema holds it now (migrations' ALTER TABLE
 * included). malloc'd. */
static char *table_sql(store_conn *c, const char *table)
{
    store_stmt *st = store_prepare(c, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?");
    store_bind_text(st, 1, table);
    char *sql = store_step(st, NULL) == STORE_ROW ? strdup(store_col_text(st, 0)) : NULL;
    store_done(st);
    return sql;
}

/* Where "CHECK (<col> <what>" starts in "sql" (spacing as schema.sql writes it: one
 * space, or none, after CHECK), pointing just past <col> and the space after it. */
static const char *check_on(const char *sql, const char *col, const char *what)
{
    char pat[2][128];
    snprintf(pat[0], sizeof pat[0], "CHECK (%s %s", col, what);
    snprintf(pat[1], sizeof pat[1], "CHECK(%s %s", col, what);
    for (int i = 0; i < 2; i++) {
        const char *p = strstr(sql, pat[i]);
        if (p)
            return p + strlen(pat[i]);
    }
    return NULL;
}

#define MAX_VALUES 16
struct values {
    int n;
    char v[MAX_VALUES][96]; /* a MIME type of an Office document is 71 characters */
};

/* The items of "(a, 'b', ...)" starting at "p" (just after the opening parenthesis),
 * quotes removed. */
static struct values parse_in_list(const char *p)
{
    struct values out = {0};
    while (*p && *p != ')') {
        while (*p == ' ' || *p == ',' || *p == '\n')
            p++;
        if (*p == ')' || !*p)
            break;
        char *dst = out.v[out.n];
        size_t k = 0;
        if (*p == '\'') {
            for (p++; *p && *p != '\''; p++)
                if (k + 1 < sizeof out.v[0])
                    dst[k++] = *p;
            if (*p)
                p++;
        } else {
            for (; *p && *p != ',' && *p != ')' && *p != ' '; p++)
                if (k + 1 < sizeof out.v[0])
                    dst[k++] = *p;
        }
        dst[k] = 0;
        if (++out.n == MAX_VALUES)
            break;
    }
    return out;
}

static bool in_values(const struct values *vs, const char *s)
{
    for (int i = 0; i < vs->n; i++)
        if (!strcmp(vs->v[i], s))
            return true;
    return false;
}

/* Whether field "f" is stored in a column of r->table. */
static bool stored(const struct field *f)
{
    return !(f->flags & FF_SECRET);
}

static const char *column_type_for(enum field_kind k)
{
    return k == FT_INT || k == FT_REF || k == FT_BOOL ? "INTEGER" : "TEXT";
}

/* Check one field; each mismatch is printed and counted in *bad. */
static void check_field(store_conn *c, const struct resource *r, const struct field *f, const char *sql,
                        int *bad)
{
#define MISMATCH(...)                                                                                        \
    do {                                                                                                     \
        print_error("%s.%s: ", r->name, f->name);                                                            \
        print_error(__VA_ARGS__);                                                                            \
        print_error("\n");                                                                                   \
        (*bad)++;                                                                                            \
    } while (0)
    struct column col = column_of(c, r->table, f->name);
    if (!col.found) {
        MISMATCH("no such column in table %s", r->table);
        return;
    }
    if (strcmp(col.type, column_type_for(f->kind)) != 0)
        MISMATCH("column type %s, the field's kind needs %s", col.type, column_type_for(f->kind));
    if ((f->flags & (FF_REQUIRED | FF_NOTNULL)) && !col.notnull)
        MISMATCH("required or not-null field, but the column allows NULL");
    if (f->kind == FT_REF) {
        if (!f->ref || !table_exists(c, f->ref))
            MISMATCH("reference to %s, which is no table", f->ref ? f->ref : "(null)");
        char fk[64];
        foreign_key(c, r->table, f->name, fk, sizeof fk);
        if (*fk && f->ref && strcmp(fk, f->ref) != 0)
            MISMATCH("refers to %s, but the column's foreign key is to %s", f->ref, fk);
    }
    const char *in = check_on(sql, f->name, "IN (");
    if (f->kind == FT_ENUM) {
        if (!in) {
            MISMATCH("enumeration without CHECK (%s IN (...)) in the schema", f->name);
        } else {
            struct values vs = parse_in_list(in);
            int n = 0;
            for (const char *const *e = f->values; *e; e++, n++)
                if (!in_values(&vs, *e))
                    MISMATCH("value '%s' is not in the column's CHECK", *e);
            if (n != vs.n)
                MISMATCH("%d values, the column's CHECK has %d", n, vs.n);
        }
    }
    if (f->kind == FT_INT) {
        const char *between = check_on(sql, f->name, "BETWEEN ");
        int64_t lo = 0, hi = 0;
        bool bounded = false;
        if (between && sscanf(between, "%" SCNd64 " AND %" SCNd64, &lo, &hi) == 2)
            bounded = true;
        else if (in) {
            struct values vs = parse_in_list(in);
            for (int i = 0; i < vs.n; i++) {
                int64_t v = strtoll(vs.v[i], NULL, 10);
                lo = i == 0 || v < lo ? v : lo;
                hi = i == 0 || v > hi ? v : hi;
            }
            bounded = vs.n > 0;
        }
        if (bounded && (f->min != lo || f->max != hi))
            MISMATCH("bounds %" PRId64 "..%" PRId64 ", the column's CHECK allows %" PRId64 "..%" PRId64,
                     f->min, f->max, lo, hi);
    }
#undef MISMATCH
}

static void every_descriptor_matches_the_schema(void **state)
{
    struct fx *fx = *state;
    int bad = 0, fields = 0;
    jobs_register(); /* the collection a layer above adds, as a server has it */
    for (int i = 0; res_all[i]; i++) {
        const struct resource *r = res_all[i];
        char *sql = table_sql(fx->c, r->table);
        if (!sql) {
            print_error("%s: no table %s\n", r->name, r->table);
            bad++;
            continue;
        }
        for (int j = 0; j < r->nfields; j++) {
            if (!stored(&r->fields[j]))
                continue;
            check_field(fx->c, r, &r->fields[j], sql, &bad);
            fields++;
        }
        free(sql);
    }
    assert_true(fields > 50); /* every collection was looked at, not none */
    assert_int_equal(bad, 0);
}

/* A field required only in some cases (resource.required_if) names a stored, nullable
 * field of its own collection (a NOT NULL column would make it always required) and, for
 * a condition, another field of the same collection and a value that field takes: one of
 * its enumeration, an integer within its bounds, "true" or "false" for a boolean. */
static bool value_allowed(const struct field *w, const char *is)
{
    if (w->kind == FT_ENUM) {
        for (const char *const *e = w->values; *e; e++)
            if (!strcmp(*e, is))
                return true;
        return false;
    }
    if (w->kind == FT_INT) {
        char *end;
        int64_t v = strtoll(is, &end, 10);
        return *is && !*end && (w->min >= w->max || (v >= w->min && v <= w->max));
    }
    if (w->kind == FT_BOOL)
        return !strcmp(is, "true") || !strcmp(is, "false");
    return w->kind == FT_TEXT;
}

static void every_required_if_names_its_fields(void **state)
{
    struct fx *fx = *state;
    int rules = 0;
    jobs_register();
    for (int i = 0; res_all[i]; i++) {
        const struct resource *r = res_all[i];
        for (const struct res_required *q = r->required_if; q && q->field; q++, rules++) {
            const struct field *f = NULL, *w = NULL;
            for (int j = 0; j < r->nfields; j++) {
                if (!strcmp(r->fields[j].name, q->field))
                    f = &r->fields[j];
                if (q->when && !strcmp(r->fields[j].name, q->when))
                    w = &r->fields[j];
            }
            if (!f)
                fail_msg("%s: required_if names %s, no field of it", r->name, q->field);
            if (!(f->flags & FF_SECRET) && column_of(fx->c, r->table, f->name).notnull)
                fail_msg("%s.%s: required_if on a NOT NULL column", r->name, f->name);
            if (!q->message || !*q->message)
                fail_msg("%s.%s: required_if without a message", r->name, f->name);
            if (!q->when)
                continue;
            if (!w || w == f)
                fail_msg("%s.%s: required_if on %s, no other field of it", r->name, f->name, q->when);
            if (!q->is || !value_allowed(w, q->is))
                fail_msg("%s.%s: required_if %s = %s, which %s does not take", r->name, f->name, q->when,
                         q->is ? q->is : "(null)", q->when);
        }
    }
    assert_true(rules >= 4); /* 上级检察院, 转正日期, 所属党组织, 密码 */
}

/* The checker finds what it is for: a descriptor that disagrees with the schema. */
static void a_wrong_descriptor_is_found(void **state)
{
    struct fx *fx = *state;
    static const char *const wrong_levels[] = {"national", "city", "township", NULL};
    static const struct field wrong[] = {
        {"title", "荣誉名称", FT_INT, FF_WRITE, 0, NULL, NULL, 0, 0},                    /* TEXT column */
        {"nonesuch", "无", FT_TEXT, FF_WRITE, 0, NULL, NULL, 0, 0},                      /* no column */
        {"level", "级别", FT_ENUM, FF_WRITE, 0, wrong_levels, NULL, 0, 0},               /* other values */
        {"year", "年度", FT_INT, FF_WRITE, 0, NULL, NULL, 1900, 2100},                   /* other bounds */
        {"member_id", "党员", FT_REF, FF_WRITE, 0, NULL, "branches", 0, 0},              /* other table */
        {"awarded_by", "授予单位", FT_TEXT, FF_WRITE | FF_NOTNULL, 0, NULL, NULL, 0, 0}, /* NULL allowed */
    };
    struct resource r = {.name = "wrong", .table = "honours", .fields = wrong, .nfields = 6};
    char *sql = table_sql(fx->c, "honours");
    assert_non_null(sql);
    for (int j = 0; j < r.nfields; j++) {
        int bad = 0;
        check_field(fx->c, &r, &wrong[j], sql, &bad);
        if (bad == 0)
            fail_msg("%s: the mismatch was not found", wrong[j].name);
    }
    free(sql);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(every_descriptor_matches_the_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(a_wrong_descriptor_is_found, setup, teardown),
        cmocka_unit_test_setup_teardown(every_required_if_names_its_fields, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
