/* Unit tests for src/store/store_sqlite.c: opening rules, constraint mapping, the zh
 * collation, statement reuse and online backup. */
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

static char path[64], copy[64];

static void cleanup(const char *p)
{
    char f[80];
    unlink(p);
    snprintf(f, sizeof f, "%s-wal", p);
    unlink(f);
    snprintf(f, sizeof f, "%s-shm", p);
    unlink(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/ronghe-store-%d.db", getpid());
    snprintf(copy, sizeof copy, "/tmp/ronghe-store-%d-copy.db", getpid());
    cleanup(path);
    cleanup(copy);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cleanup(path);
    cleanup(copy);
    return 0;
}

static void open_modes(void **state)
{
    (void)state;
    store *s;
    struct rerr e = {0};
    assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &s, &e), R_ENOTFOUND);
    assert_int_equal(store_open(path, STORE_CREATE_NEW, &s, &e), 0);
    store_close(s);
    assert_int_equal(store_open(path, STORE_CREATE_NEW, &s, &e), R_ECONFLICT);
    assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &s, &e), 0);
    store_close(s);
    /* A file that is not a database is refused with a message, not a crash. */
    FILE *f = fopen(copy, "w");
    fputs("this is not a database, just some text that is long enough to look like a header", f);
    fclose(f);
    assert_true(store_open(copy, STORE_OPEN_EXISTING, &s, &e) < 0);
    assert_true(strlen(e.message) > 0);
}

static void constraints_and_collation(void **state)
{
    (void)state;
    store *s;
    struct rerr e = {0};
    assert_int_equal(store_open(path, STORE_CREATE_NEW, &s, &e), 0);
    store_conn *c = store_acquire(s);
    assert_int_equal(store_exec(c, "CREATE TABLE t(name TEXT UNIQUE)", &e), 0);
    static const char *const names[] = {"赵", "安", "白", "陈"};
    for (int i = 0; i < 4; i++) {
        store_stmt *st = store_prepare(c, "INSERT INTO t(name) VALUES (?)");
        store_bind_text(st, 1, names[i]);
        assert_int_equal(store_step(st, &e), STORE_DONE);
        store_done(st);
    }
    store_stmt *st = store_prepare(c, "INSERT INTO t(name) VALUES (?)");
    store_bind_text(st, 1, "安");
    assert_int_equal(store_step(st, &e), R_ECONFLICT);
    assert_string_equal(e.code, "duplicate");
    store_done(st);
    /* Pinyin order: an, bai, chen, zhao. */
    st = store_prepare(c, "SELECT name FROM t ORDER BY name COLLATE zh");
    const char *want[] = {"安", "白", "陈", "赵"};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(store_step(st, &e), STORE_ROW);
        assert_string_equal(store_col_text(st, 0), want[i]);
    }
    store_done(st);
    store_release(c);
    /* Online backup gives an openable copy with the same rows. */
    assert_int_equal(store_backup(s, copy, NULL, NULL, &e), 0);
    assert_int_equal(store_backup(s, copy, NULL, NULL, &e), R_ECONFLICT); /* never overwrites */
    store_close(s);
    assert_int_equal(store_open(copy, STORE_OPEN_EXISTING, &s, &e), 0);
    c = store_acquire(s);
    st = store_prepare(c, "SELECT count(*) FROM t");
    assert_int_equal(store_step(st, &e), STORE_ROW);
    assert_int_equal(store_col_int(st, 0), 4);
    store_done(st);
    store_release(c);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(open_modes, setup, teardown),
        cmocka_unit_test_setup_teardown(constraints_and_collation, setup, teardown),
    };
    return cmocka_run_group_tests_name("store/store_sqlite", tests, NULL, NULL);
}
