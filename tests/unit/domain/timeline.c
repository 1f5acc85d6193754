/*
 * domain/timeline: every collection's declared events are SQL that prepares against the
 * schema for each kind of target they name, the kinds are listed once, and a timeline
 * answers what the records hold, narrowed by the reader's scope.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <string.h>

#include "domain/timeline.h"
#include "fixture.h"

/* Each arm of every event, for each target it names, is SQL the store accepts; the
 * union stays within what the timeline binds. */
static void events_prepare(void **state)
{
    struct fx *f = *state;
    int arms = 0;
    for (int i = 0; res_all[i]; i++)
        for (const struct res_event *e = res_all[i]->events; e && e->kind; e++) {
            assert_non_null(e->date);
            assert_non_null(e->title);
            assert_true(e->branch || e->member || e->case_);
            if (e->branch) { /* a set, as the triggers put it (timeline.c put_rows) */
                char *sql =
                    arena_printf(f->x.a, "SELECT b.id, %s FROM %s t CROSS JOIN branches b WHERE b.id IN (%s)",
                                 e->date, res_all[i]->table, e->branch);
                store_stmt *st = store_prepare(f->c, sql);
                if (!st)
                    fail_msg("%s (%s): %s", res_all[i]->name, e->kind, sql);
                store_done(st);
            }
            const char *conds[] = {NULL, e->member, e->case_};
            for (int k = 0; k < 3; k++) {
                if (!conds[k])
                    continue;
                arms++;
                char *sql = arena_printf(
                    f->x.a, "SELECT %s, %s, t.id FROM %s t WHERE (%s) AND t.procuratorate_id = ?", e->date,
                    e->title, res_all[i]->table, conds[k]);
                store_stmt *st = store_prepare(f->c, sql);
                if (!st)
                    fail_msg("%s (%s): %s", res_all[i]->name, e->kind, sql);
                store_done(st);
            }
        }
    assert_true(arms > 0);
    assert_true(arms <= 96);
}

/* Every trigger timeline_sync() made compiles: a write to each table (theirs fire on
 * collections' own tables and on those their events depend on) prepares. SQLite
 * resolves a trigger's columns only when a statement that fires it is prepared. */
static void triggers_prepare(void **state)
{
    struct fx *f = *state;
    store_stmt *st = store_prepare_dynamic(
        f->c, "SELECT DISTINCT s.tbl_name, (SELECT name FROM pragma_table_info(s.tbl_name) WHERE cid = 0)"
              " FROM sqlite_master s WHERE s.type = 'trigger' AND s.name LIKE 'timeline%'");
    struct rerr err;
    int n = 0;
    const char *tables[64], *first[64];
    while (store_step(st, &err) == STORE_ROW && n < 64) {
        first[n] = arena_strdup(f->x.a, store_col_text(st, 1));
        tables[n++] = arena_strdup(f->x.a, store_col_text(st, 0));
    }
    store_finalize(st);
    assert_true(n >= 17); /* timeline_events, the collections in the branch timelines, what they follow */
    for (int i = 0; i < n; i++) {
        const char *w[] = {
            arena_printf(f->x.a, "INSERT INTO %s DEFAULT VALUES", tables[i]),
            arena_printf(f->x.a, "UPDATE %s SET %s = %s WHERE 0", tables[i], first[i], first[i]),
            arena_printf(f->x.a, "DELETE FROM %s WHERE 0", tables[i]),
        };
        for (int k = 0; k < 3; k++) {
            store_stmt *ws;
            if (store_prepare_built(f->c, w[k], &ws, &err) < 0)
                fail_msg("%s: %s", w[k], err.message);
            store_done(ws);
        }
    }
}

static int64_t count_of(struct fx *f, const char *sql)
{
    store_stmt *st = store_prepare_dynamic(f->c, sql);
    struct rerr err;
    assert_int_equal(store_step(st, &err), STORE_ROW);
    int64_t n = store_col_int(st, 0);
    store_finalize(st);
    return n;
}

/* timeline_sync() changes nothing when the triggers are the descriptors'; one missing
 * (or the rows lost) and it makes them again, rows and counts filled from the records. */
static void sync_again(void **state)
{
    struct fx *f = *state;
    int64_t m = fx_create(f, "members",
                          json_pack("{s:I,s:s,s:s,s:s}", "branch_id", (json_int_t)f->branch, "name", "李某",
                                    "birth_date", "1981-01-01", "joined_party", "2006-07-01"));
    fx_create(f, "honours",
              json_pack("{s:I,s:s,s:s,s:i}", "member_id", (json_int_t)m, "title", "优秀党务工作者", "level",
                        "city", "year", 2025));
    fx_create(f, "honours",
              json_pack("{s:I,s:s,s:s,s:i}", "branch_id", (json_int_t)f->branch, "title", "先进基层党组织",
                        "level", "city", "year", 2025));
    const char *rows = "SELECT count(*) FROM timeline_events WHERE coll = 'honours'";
    const char *counted = "SELECT coalesce(sum(n), 0) FROM timeline_counts WHERE kind = '荣誉'";
    assert_int_equal(count_of(f, rows), 2);
    assert_int_equal(count_of(f, counted), 2);
    const char *triggers =
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'timeline\\_%' "
        "ESCAPE '\\'";
    int64_t nt = count_of(f, triggers);
    struct rerr err;
    assert_int_equal(timeline_sync(f->c, &err), 0);
    assert_int_equal(count_of(f, triggers), nt);
    assert_int_equal(count_of(f, rows), 2);
    assert_int_equal(
        store_exec(f->c, "DROP TRIGGER timeline_honours_insert; DELETE FROM timeline_events", &err), 0);
    assert_int_equal(count_of(f, counted), 0); /* the counts follow the rows */
    assert_int_equal(timeline_sync(f->c, &err), 0);
    assert_int_equal(count_of(f, triggers), nt);
    assert_int_equal(count_of(f, rows), 2);
    assert_int_equal(count_of(f, counted), 2);
}

static void kinds_once(void **state)
{
    (void)state;
    const char *const *k = timeline_kinds();
    int n = 0;
    for (; k[n]; n++)
        for (int j = 0; j < n; j++)
            assert_string_not_equal(k[j], k[n]);
    assert_true(n >= 2);
    assert_ptr_equal(timeline_kinds(), k);
}

static json_t *timeline(struct fx *f, const struct actor *who, struct rerr *err, const char *key, int64_t id)
{
    struct res_ctx x = fx_as(f, who);
    char val[24];
    snprintf(val, sizeof val, "%lld", (long long)id);
    struct res_query q = {.n = 1, .key = {key}, .val = {val}};
    json_t *out = NULL;
    return timeline_get(&x, &q, &out, err) < 0 ? NULL : out;
}

/* A branch's honours appear in its timeline; a county reader of another procuratorate
 * gets none of a scoped collection's events and 404 for its member. */
static void branch_and_scope(void **state)
{
    struct fx *f = *state;
    int64_t m = fx_create(f, "members",
                          json_pack("{s:I,s:s,s:s,s:s}", "branch_id", (json_int_t)f->branch, "name", "张某",
                                    "birth_date", "1980-01-01", "joined_party", "2005-07-01"));
    int64_t h = fx_create(f, "honours",
                          json_pack("{s:I,s:s,s:s,s:i}", "member_id", (json_int_t)m, "title", "优秀共产党员",
                                    "level", "city", "year", 2024));
    struct rerr err = {0};
    json_t *t = timeline(f, &f->who, &err, "branch_id", f->branch);
    assert_non_null(t);
    json_t *items = json_object_get(t, "items");
    assert_int_equal(json_array_size(items), 1);
    json_t *i0 = json_array_get(items, 0);
    assert_string_equal(json_string_value(json_object_get(i0, "date")), "2024-12-31");
    assert_string_equal(json_string_value(json_object_get(i0, "coll")), "honours");
    assert_int_equal(json_integer_value(json_object_get(i0, "id")), h);
    assert_non_null(strstr(json_string_value(json_object_get(i0, "title")), "优秀共产党员"));
    json_decref(t);

    t = timeline(f, &f->who, &err, "member_id", m);
    assert_int_equal(json_integer_value(json_object_get(t, "total")), 2); /* 入党 + honour */
    json_decref(t);

    struct actor city = fx_actor(40, ROLE_ADMIN, f->city, 0, false);
    assert_null(timeline(f, &city, &err, "member_id", m));
    assert_string_equal(err.code, "not_found");
    struct actor county = fx_actor(41, ROLE_ADMIN, f->county, 0, false);
    t = timeline(f, &county, &err, "member_id", m);
    assert_non_null(t);
    assert_int_equal(json_integer_value(json_object_get(t, "total")), 2);
    json_decref(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(events_prepare, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(triggers_prepare, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(sync_again, fx_setup, fx_teardown),
        cmocka_unit_test(kinds_once),
        cmocka_unit_test_setup_teardown(branch_and_scope, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests_name("domain/timeline", tests, NULL, NULL);
}
