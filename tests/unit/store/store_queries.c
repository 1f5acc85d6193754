/*
 * Unit tests for src/store/store_queries.c: the meta upsert, and the dialect's spellings
 * the resource engine builds lists with, each run on a real SQLite file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

static char path[64];

static void remove_files(void)
{
    const char *ext[] = {"", "-wal", "-shm", ".lock"};
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        char p[96];
        snprintf(p, sizeof p, "%s%s", path, ext[i]);
        unlink(p);
    }
}

static int setup(void **state)
{
    snprintf(path, sizeof path, "/tmp/ronghe-queries-%d.db", getpid());
    remove_files();
    store *s;
    struct rerr e = {0};
    if (store_open(path, STORE_CREATE_NEW, &s, &e) < 0)
        fail_msg("%s", e.message);
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    store_close(*state);
    remove_files();
    return 0;
}

static const char *meta(store_conn *c, const char *key)
{
    static char buf[128];
    store_stmt *st = store_prepare(c, "SELECT value FROM meta WHERE key = ?");
    store_bind_text(st, 1, key);
    const char *v = NULL;
    if (store_step(st, NULL) == STORE_ROW) {
        snprintf(buf, sizeof buf, "%s", store_col_text(st, 0));
        v = buf;
    }
    store_done(st);
    return v;
}

static void meta_upserts(void **state)
{
    store_conn *c = store_acquire(*state);
    struct rerr e = {0};
    assert_null(meta(c, "test.key"));
    assert_int_equal(store_meta_put(c, "test.key", "一", &e), 0);
    assert_string_equal(meta(c, "test.key"), "一");
    assert_int_equal(store_meta_put(c, "test.key", "二", &e), 0); /* replaced, not a second row */
    assert_string_equal(meta(c, "test.key"), "二");
    store_stmt *st = store_prepare(c, "SELECT count(*) FROM meta WHERE key = 'test.key'");
    assert_int_equal(store_step(st, NULL), STORE_ROW);
    assert_int_equal(store_col_int(st, 0), 1);
    store_done(st);
    assert_int_equal(store_meta_put(c, "test.other", "三", &e), 0);
    assert_string_equal(meta(c, "test.key"), "二");
    store_release(c);
}

/* The rows of t(name) that "where" (binding "arg") and "order" select, joined by ",". */
static const char *names(store_conn *c, arena *a, const char *where, const char *arg, const char *order,
                         int limit, int skip)
{
    const char *sql =
        arena_printf(a, "SELECT name FROM t WHERE %s ORDER BY %s %s", where, order, store_sql_page());
    store_stmt *st;
    struct rerr e = {0};
    if (store_prepare_built(c, sql, &st, &e) < 0)
        fail_msg("%s: %s", sql, e.message);
    int i = 1;
    if (arg)
        store_bind_text(st, i++, arg);
    store_bind_int(st, i++, limit);
    store_bind_int(st, i, skip);
    char *out = "";
    while (store_step(st, NULL) == STORE_ROW)
        out = arena_printf(a, "%s%s%s", out, *out ? "," : "", store_col_text(st, 0));
    store_done(st);
    return out;
}

static void spellings(void **state)
{
    store_conn *c = store_acquire(*state);
    arena *a = arena_new();
    store_stmt *st = store_prepare(c, "CREATE TEMP TABLE t(name TEXT)");
    assert_int_equal(store_step(st, NULL), STORE_DONE);
    store_done(st);
    const char *rows[] = {"张三", "阿拉坦", "巴特尔", "李四", "100%_x"};
    for (int i = 0; i < 5; i++) {
        st = store_prepare(c, "INSERT INTO t(name) VALUES (?)");
        store_bind_text(st, 1, rows[i]);
        assert_int_equal(store_step(st, NULL), STORE_DONE);
        store_done(st);
    }
    const char *contains = store_sql_contains(a, "name");
    assert_string_equal(names(c, a, contains, "特", "name", 10, 0), "巴特尔");
    /* the bound text is matched as it is: no wildcards */
    assert_string_equal(names(c, a, contains, "%", "name", 10, 0), "100%_x");
    assert_string_equal(names(c, a, contains, "_", "name", 10, 0), "100%_x");
    assert_string_equal(names(c, a, contains, "无", "name", 10, 0), "");
    /* pinyin order: a la tan, ba te er, li si, zhang san */
    const char *order = store_sql_text_order(a, "name");
    assert_string_equal(names(c, a, contains, "", order, 10, 0), "100%_x,阿拉坦,巴特尔,李四,张三");
    assert_string_equal(names(c, a, contains, "", order, 2, 1), "阿拉坦,巴特尔");
    assert_string_equal(names(c, a, contains, "", order, 10, 4), "张三");
    arena_free(a);
    store_release(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(meta_upserts, setup, teardown),
        cmocka_unit_test_setup_teardown(spellings, setup, teardown),
    };
    return cmocka_run_group_tests_name("store/store_queries", tests, NULL, NULL);
}
