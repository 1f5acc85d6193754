/* Unit tests for src/store/store_sqlite.c, its table tracking (store.h "What an answer
 * read, what a commit wrote"): the tables a statement reads, the tables a commit wrote,
 * and another process's commits seen as a change of everything while this process's own
 * commits on other connections are not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"

static char path[64];

static void cleanup(const char *p)
{
    static const char *const side[] = {"", "-wal", "-shm", "-journal", ".lock"};
    char f[80];
    for (int i = 0; i < 5; i++) {
        snprintf(f, sizeof f, "%s%s", p, side[i]);
        unlink(f);
    }
}

static int setup(void **state)
{
    snprintf(path, sizeof path, "/tmp/ronghe-tables-%d.db", getpid());
    cleanup(path);
    store *s;
    struct rerr e = {0};
    assert_int_equal(store_open(path, STORE_CREATE_NEW, &s, &e), 0);
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    store_close(*state);
    cleanup(path);
    return 0;
}

static void sleep_ms(int ms)
{
    struct timespec t = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* The tables "sql" (stepped to its end) read on a fresh connection. */
static store_tables reads_of(store *s, const char *sql)
{
    store_conn *c = store_acquire(s);
    store_stmt *st = store_prepare_dynamic(c, sql);
    struct rerr e = {0};
    while (store_step(st, &e) == STORE_ROW)
        ;
    store_finalize(st);
    store_tables t = store_reads(c);
    store_release(c);
    return t;
}

/* Run "sql" (bound to nothing) in a transaction of its own; commit or roll back. */
static void write_tx(store *s, const char *sql, bool commit)
{
    store_conn *c = store_acquire(s);
    struct rerr e = {0};
    assert_int_equal(store_begin(c, &e), 0);
    store_stmt *st = store_prepare_dynamic(c, sql);
    assert_int_equal(store_step(st, &e), STORE_DONE);
    store_finalize(st);
    if (commit)
        assert_int_equal(store_commit(c, &e), 0);
    else
        store_rollback(c);
    store_release(c);
}

#define NOW "'2026-01-01T00:00:00Z'"
#define INSERT_PROCURATORATE                                                                                 \
    "INSERT INTO procuratorates (name, short_name, level, created_at, updated_at)"                           \
    " VALUES ('测试院', '测试', 1, " NOW ", " NOW ")"

static void what_statements_read(void **state)
{
    store *s = *state;
    store_tables members = store_tables_named(s, "members"), branches = store_tables_named(s, "branches");
    assert_int_not_equal(members, branches);
    assert_int_equal(store_tables_named(s, "members branches"), members | branches);
    assert_int_equal(reads_of(s, "SELECT count(*) FROM members"), members); /* no column named */
    assert_int_equal(reads_of(s, "SELECT id FROM branches WHERE id = 1"), branches);
    assert_int_equal(reads_of(s, "SELECT m.name FROM members m JOIN branches b ON b.id = m.branch_id"),
                     members | branches);
    assert_int_equal(reads_of(s, "SELECT 1"), 0);
    /* a cached statement keeps its set: stepped again, it still counts */
    store_conn *c = store_acquire(s);
    for (int i = 0; i < 2; i++) {
        store_reads_start(c);
        store_stmt *st = store_prepare(c, "SELECT count(*) FROM branches");
        assert_int_equal(store_step(st, NULL), STORE_ROW);
        store_done(st);
        assert_int_equal(store_reads(c), branches);
    }
    store_release(c);
}

static void what_commits_wrote(void **state)
{
    store *s = *state;
    store_tables procs = store_tables_named(s, "procuratorates"), members = store_tables_named(s, "members"),
                 depts = store_tables_named(s, "departments");
    uint64_t g0 = store_generation(s);
    /* a trigger's own write lands in the same table; nothing else changes */
    write_tx(s, INSERT_PROCURATORATE, true);
    assert_false(store_unchanged(s, procs, g0));
    assert_true(store_unchanged(s, members | depts, g0));
    assert_true(store_generation(s) > g0);
    uint64_t g1 = store_generation(s);
    assert_true(store_unchanged(s, procs, g1));
    write_tx(s,
             "INSERT INTO departments (procuratorate_id, name, created_at, updated_at)"
             " VALUES (1, '办公室', " NOW ", " NOW ")",
             true);
    assert_false(store_unchanged(s, depts, g1));
    assert_true(store_unchanged(s, procs | members, g1));
    /* a DELETE without WHERE (SQLite truncates without row callbacks) */
    uint64_t g2 = store_generation(s);
    write_tx(s, "DELETE FROM departments", true);
    assert_false(store_unchanged(s, depts, g2));
    assert_true(store_unchanged(s, procs, g2));
    /* rolled back: nothing changed */
    uint64_t g3 = store_generation(s);
    uint64_t pg = store_tables_generation(s, procs);
    write_tx(s, "UPDATE procuratorates SET sort = 5", false);
    assert_true(store_unchanged(s, STORE_TABLES_ALL, g3));
    assert_int_equal(store_tables_generation(s, procs), pg);
    write_tx(s, "UPDATE procuratorates SET sort = 5", true);
    assert_true(store_tables_generation(s, procs) > pg);
}

/* This process's commits on other connections are not mistaken for another process's
 * (which would change every table); another store on the same file (as another process
 * would be) is seen within STORE_EXTERNAL_MS as a change of everything, a ronghe one
 * (counted) and one that is not (a write outside a transaction: uncounted) alike. */
static void other_processes(void **state)
{
    store *s = *state;
    store_tables members = store_tables_named(s, "members");
    write_tx(s, INSERT_PROCURATORATE, true); /* rows for the updates below to change */
    store_conn *held = store_acquire(s);     /* so that the writes below use other connections */
    uint64_t g0 = store_generation(s);
    for (int i = 0; i < 3; i++) {
        write_tx(s, "UPDATE procuratorates SET sort = sort + 1", true);
        sleep_ms(STORE_EXTERNAL_MS + 20);
        store_generation(s);
        assert_true(store_unchanged(s, members, g0));
    }
    store_release(held);
    store *other;
    struct rerr e = {0};
    assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &other, &e), 0);
    write_tx(other, "UPDATE procuratorates SET sort = sort + 1", true);
    sleep_ms(STORE_EXTERNAL_MS + 20);
    uint64_t g1 = store_generation(s);
    assert_false(store_unchanged(s, members, g0));
    assert_true(store_unchanged(s, members, g1));
    store_conn *c = store_acquire(other);
    assert_int_equal(store_exec(c, "UPDATE procuratorates SET sort = 0", &e), 0);
    store_release(c);
    sleep_ms(STORE_EXTERNAL_MS + 20);
    store_generation(s);
    assert_false(store_unchanged(s, members, g1));
    store_close(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(what_statements_read, setup, teardown),
        cmocka_unit_test_setup_teardown(what_commits_wrote, setup, teardown),
        cmocka_unit_test_setup_teardown(other_processes, setup, teardown),
    };
    return cmocka_run_group_tests_name("store/store_sqlite tables", tests, NULL, NULL);
}
