/* Unit tests for src/store/store_sqlite.c: opening rules, constraint mapping, the zh
 * collation, statement reuse, online backup (also while another connection writes), the
 * lock file, read-only opening, the integrity check, and the numbered migrations (one
 * transaction each, a database newer than the binary refused, two processes upgrading
 * at once). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <pthread.h>
#include <sqlite3.h> /* to change and read files past the store, which would migrate or refuse them */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/text.h"
#include "store/store.h"

static char path[64], copy[64];

static void cleanup(const char *p)
{
    static const char *const side[] = {"-wal", "-shm", "-journal", ".lock"};
    char f[80];
    unlink(p);
    for (int i = 0; i < 4; i++) {
        snprintf(f, sizeof f, "%s%s", p, side[i]);
        unlink(f);
    }
}

static bool file_exists(const char *p, const char *suffix)
{
    char f[80];
    snprintf(f, sizeof f, "%s%s", p, suffix);
    return access(f, F_OK) == 0;
}

static int64_t count_rows(store *s, const char *sql)
{
    store_conn *c = store_acquire(s);
    struct rerr e = {0};
    store_stmt *st = store_prepare(c, sql);
    assert_int_equal(store_step(st, &e), STORE_ROW);
    int64_t n = store_col_int(st, 0);
    store_done(st);
    store_release(c);
    return n;
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

/* The same SQL text prepared twice on one connection is the same prepared statement,
 * wherever the text lies (a literal, or built at run time in two buffers). */
static void statement_reuse(void **state)
{
    (void)state;
    store *s;
    struct rerr e = {0};
    assert_int_equal(store_open(path, STORE_CREATE_NEW, &s, &e), 0);
    store_conn *c = store_acquire(s);
    char one[64], two[64];
    snprintf(one, sizeof one, "SELECT %d + ?", 40);
    snprintf(two, sizeof two, "SELECT 40 + ?");
    store_stmt *a = store_prepare(c, one);
    store_bind_int(a, 1, 2);
    assert_int_equal(store_step(a, &e), STORE_ROW);
    assert_int_equal(store_col_int(a, 0), 42);
    int live = store_stmt_count(c);
    store_stmt *b = store_prepare(c, two);
    assert_ptr_equal(a, b);                      /* not prepared again */
    assert_int_equal(store_stmt_count(c), live); /* and nothing new held */
    /* Prepared again, it is reset and its bindings cleared. */
    assert_int_equal(store_step(b, &e), STORE_ROW);
    assert_true(store_col_type(b, 0) == STORE_NULL);
    store_done(b);
    store_release(c);
    store_close(s);
}

/* More distinct texts than the cache holds: the count of prepared statements stays
 * bounded (the cache finalizes what it cannot keep), each text still answers right, and
 * a statement that is running is not taken away from under its caller. */
static void statement_cache_bounded(void **state)
{
    (void)state;
    store *s;
    struct rerr e = {0};
    assert_int_equal(store_open(path, STORE_CREATE_NEW, &s, &e), 0);
    store_conn *c = store_acquire(s);
    store_stmt *running = store_prepare(c, "WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n"
                                           " WHERE v < 3) SELECT v FROM n");
    assert_int_equal(store_step(running, &e), STORE_ROW);
    assert_int_equal(store_col_int(running, 0), 1);
    int before = store_stmt_count(c);
    enum { N = 3 * STORE_STMT_CACHE };
    static char texts[2][N][32]; /* stable, as the old contract of store_prepare required */
    for (int i = 0; i < N; i++) {
        snprintf(texts[0][i], sizeof texts[0][i], "SELECT %d", i);
        store_stmt *st = store_prepare(c, texts[0][i]);
        assert_int_equal(store_step(st, &e), STORE_ROW);
        assert_int_equal(store_col_int(st, 0), i);
        store_done(st);
        assert_true(store_stmt_count(c) <= before + STORE_STMT_CACHE);
    }
    /* The running statement goes on where it was. */
    assert_int_equal(store_step(running, &e), STORE_ROW);
    assert_int_equal(store_col_int(running, 0), 2);
    store_done(running);
    /* Statements left without store_done() (allowed: prepared again, they are reset)
     * are finalized too once the cache needs their place. */
    for (int i = 0; i < N; i++) {
        snprintf(texts[1][i], sizeof texts[1][i], "SELECT %d + 1", i);
        store_stmt *st = store_prepare(c, texts[1][i]);
        assert_int_equal(store_step(st, &e), STORE_ROW);
        assert_int_equal(store_col_int(st, 0), i + 1);
        assert_true(store_stmt_count(c) <= before + STORE_STMT_CACHE);
    }
    /* One finalized long ago is prepared anew and answers right. */
    store_stmt *st = store_prepare(c, texts[0][0]);
    assert_int_equal(store_step(st, &e), STORE_ROW);
    assert_int_equal(store_col_int(st, 0), 0);
    store_done(st);
    assert_true(store_stmt_count(c) <= before + STORE_STMT_CACHE);
    store_release(c);
    store_close(s);
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

/* ------------------------------------------------------------ backup under writes */

/* A writer commits one row at a time on its own connection for as long as "stop" is
 * unset; the backup's progress callback waits after each step until the writer has
 * committed again, so every step of the copy is followed by a write from another
 * connection: the case in which sqlite3_backup_step() used to start over. */
struct writes {
    store *s;
    atomic_int commits, failures;
    atomic_bool stop;
    int calls;          /* progress callbacks */
    int backwards;      /* times "done" went down */
    int64_t last_done;  /* as last reported */
    int64_t last_total; /* as last reported */
};

static void *writer(void *arg)
{
    struct writes *w = arg;
    store_conn *c = store_acquire(w->s);
    while (!atomic_load(&w->stop)) {
        struct rerr e = {0};
        store_stmt *st = NULL;
        /* cmocka's asserts belong to the main thread: failures are counted instead */
        if (store_begin(c, &e) < 0 ||
            (st = store_prepare(c, "INSERT INTO t(x) VALUES (randomblob(500))"), store_step(st, &e)) < 0 ||
            (store_done(st), store_commit(c, &e)) < 0) {
            store_rollback(c);
            atomic_fetch_add(&w->failures, 1);
            continue;
        }
        atomic_fetch_add(&w->commits, 1);
    }
    store_release(c);
    return NULL;
}

static void each_step(void *arg, int64_t done, int64_t total)
{
    struct writes *w = arg;
    w->calls++;
    if (done < w->last_done)
        w->backwards++;
    w->last_done = done;
    w->last_total = total;
    /* Wait for the writer's next commit (at most 2 s; and not for ever should a copy
     * keep starting over, so that the test ends and fails rather than hangs). */
    int seen = atomic_load(&w->commits);
    for (int i = 0; i < 2000 && w->calls < 1000 && atomic_load(&w->commits) == seen; i++)
        usleep(1000);
}

static void backup_while_writing(void **state)
{
    (void)state;
    store *s;
    struct rerr e = {0};
    assert_int_equal(store_open(path, STORE_CREATE_NEW, &s, &e), 0);
    store_conn *c = store_acquire(s);
    /* About 12 MB: some 3,000 pages, several steps of the copy. */
    assert_int_equal(
        store_exec(c,
                   "CREATE TABLE t(id INTEGER PRIMARY KEY, x BLOB);"
                   "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12000)"
                   " INSERT INTO t(x) SELECT randomblob(1000) FROM n",
                   &e),
        0);
    store_release(c);
    struct writes w = {.s = s};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, writer, &w), 0);
    while (atomic_load(&w.commits) < 3)
        usleep(1000);
    int64_t before = count_rows(s, "SELECT count(*) FROM t");
    assert_int_equal(store_backup(s, copy, each_step, &w, &e), 0);
    int64_t after = count_rows(s, "SELECT count(*) FROM t");
    atomic_store(&w.stop, true);
    pthread_join(th, NULL);
    assert_int_equal(atomic_load(&w.failures), 0);
    /* It finished, in one pass, and its progress never went back. */
    assert_int_equal(w.backwards, 0);
    assert_true(w.last_total > 2500);
    assert_int_equal(w.last_done, w.last_total);
    assert_true(w.calls <= w.last_total / 512 + 2);
    assert_true(after > before); /* the writer really wrote during the copy */
    store_close(s);
    /* The copy is one consistent snapshot, a single file: no -wal, no journal. */
    assert_false(file_exists(copy, "-wal"));
    assert_false(file_exists(copy, "-journal"));
    assert_int_equal(store_open(copy, STORE_OPEN_READONLY, &s, &e), 0);
    int64_t copied = count_rows(s, "SELECT count(*) FROM t");
    assert_true(copied >= before && copied <= after);
    c = store_acquire(s);
    assert_int_equal(store_integrity_check(c, &e), 0);
    store_release(c);
    store_close(s);
    assert_false(file_exists(copy, "-wal"));
    assert_false(file_exists(copy, "-shm"));
    struct stat sb;
    assert_int_equal(stat(copy, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
}

/* ------------------------------------------------------------ lock, read-only, integrity */

static void lock_file(void **state)
{
    (void)state;
    store *s, *t;
    struct rerr e = {0};
    int lock;
    assert_int_equal(store_open(path, STORE_CREATE_NEW, &s, &e), 0);
    assert_true(file_exists(path, ".lock"));
    /* Open: others may open it too, but nobody may take it exclusively. */
    assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &t, &e), 0);
    store_close(t);
    assert_int_equal(store_lock_exclusive(path, &lock, &e), R_ECONFLICT);
    assert_string_equal(e.code, "in_use");
    assert_non_null(strstr(e.message, "正在使用"));
    store_close(s);
    /* Closed: the lock is free; while held, opening is refused; then free again. */
    assert_int_equal(store_lock_exclusive(path, &lock, &e), 0);
    assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &s, &e), R_ECONFLICT);
    assert_string_equal(e.code, "restoring");
    /* A read-only open takes no lock (it is how a restore reads its source). */
    assert_int_equal(store_open(path, STORE_OPEN_READONLY, &s, &e), 0);
    store_close(s);
    store_unlock(lock);
    assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &s, &e), 0);
    store_close(s);
}

static void readonly_and_integrity(void **state)
{
    (void)state;
    store *s;
    struct rerr e = {0};
    assert_int_equal(store_open(path, STORE_OPEN_READONLY, &s, &e), R_ENOTFOUND);
    assert_int_equal(store_open(path, STORE_CREATE_NEW, &s, &e), 0);
    store_conn *c = store_acquire(s);
    assert_int_equal(
        store_exec(c,
                   "CREATE TABLE t(id INTEGER PRIMARY KEY, x TEXT);"
                   "CREATE INDEX t_x ON t(x);"
                   "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
                   " INSERT INTO t(x) SELECT hex(randomblob(100)) FROM n",
                   &e),
        0);
    assert_int_equal(store_integrity_check(c, &e), 0);
    store_release(c);
    assert_int_equal(store_backup(s, copy, NULL, NULL, &e), 0);
    store_close(s);
    /* Read-only: reads work, writes are refused, nothing is created beside the file. */
    assert_int_equal(store_open(copy, STORE_OPEN_READONLY, &s, &e), 0);
    c = store_acquire(s);
    assert_true(store_exec(c, "DELETE FROM t", &e) < 0);
    store_release(c);
    assert_int_equal(count_rows(s, "SELECT count(*) FROM t"), 3000);
    store_close(s);
    assert_false(file_exists(copy, "-wal") || file_exists(copy, "-shm") || file_exists(copy, ".lock"));
    /* Damage the middle of the file: the integrity check names it. */
    FILE *f = fopen(copy, "r+b");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    char junk[8192];
    memset(junk, 0x5a, sizeof junk);
    fseek(f, size / 2 - (size / 2) % 4096, SEEK_SET);
    fwrite(junk, 1, sizeof junk, f);
    fclose(f);
    assert_int_equal(store_open(copy, STORE_OPEN_READONLY, &s, &e), 0);
    c = store_acquire(s);
    assert_int_equal(store_integrity_check(c, &e), R_ECONFLICT);
    assert_string_equal(e.code, "integrity");
    assert_non_null(strstr(e.message, "完整性检查未通过"));
    store_release(c);
    store_close(s);
    /* A file that is not a database is refused read-only too. */
    f = fopen(path, "w");
    fputs("not a database at all, only text, but long enough to be mistaken for a header ....", f);
    fclose(f);
    assert_true(store_open(path, STORE_OPEN_READONLY, &s, &e) < 0);
}

/* store_col_bytes: the stored length, which a NUL inside the text makes longer than
 * strlen; store_meta_put. */
static void named_operations(void **state)
{
    (void)state;
    store *s;
    struct rerr e = {0};
    assert_int_equal(store_open(path, STORE_CREATE_NEW, &s, &e), 0);
    store_conn *c = store_acquire(s);
    store_stmt *st = store_prepare(c, "SELECT 'ab' || char(0) || 'cd', '𠮷', ''");
    assert_int_equal(store_step(st, &e), STORE_ROW);
    assert_int_equal(strlen(store_col_text(st, 0)), 2);
    assert_int_equal(store_col_bytes(st, 0), 5);
    assert_string_equal(store_col_text(st, 1), "𠮷");
    assert_int_equal(store_col_bytes(st, 1), 4);
    assert_int_equal(strlen(store_col_text(st, 2)), 0);
    assert_int_equal(store_col_bytes(st, 2), 0);
    store_done(st);
    /* store_meta_put inserts a key, then replaces its value. */
    assert_int_equal(store_meta_put(c, "test_key", "one", &e), 0);
    assert_int_equal(store_meta_put(c, "test_key", "two", &e), 0);
    st = store_prepare(c, "SELECT count(*), max(value) FROM meta WHERE key = 'test_key'");
    assert_int_equal(store_step(st, &e), STORE_ROW);
    assert_int_equal(store_col_int(st, 0), 1);
    assert_string_equal(store_col_text(st, 1), "two");
    store_done(st);
    store_release(c);
    store_close(s);
}

/* The date functions every store provides (store.h): ages and 党龄 in whole years to
 * Beijing's today, on the birthday and the day before; the date n years ago. */
static void date_functions(void **state)
{
    (void)state;
    store *s;
    struct rerr e = {0};
    assert_int_equal(store_open(path, STORE_CREATE_NEW, &s, &e), 0);
    store_conn *c = store_acquire(s);
    char today[11], birthday[24], eve[24], ago[24];
    text_today(today);
    int y, m, d;
    assert_int_equal(sscanf(today, "%4d-%2d-%2d", &y, &m, &d), 3);
    snprintf(birthday, sizeof birthday, "%04d%.6s", y - 30, today + 4); /* 30 today */
    /* the day after today's date, 30 years ago: 29 tomorrow (a 1 January birthday when
     * today is 31 December) */
    store_stmt *st = store_prepare(c, "SELECT date(?, '-30 years', '+1 day')");
    store_bind_text(st, 1, today);
    assert_int_equal(store_step(st, &e), STORE_ROW);
    snprintf(eve, sizeof eve, "%s", store_col_text(st, 0));
    store_done(st);
    snprintf(ago, sizeof ago, "%04d%.6s", y - 35, today + 4);
    if (m == 2 && d == 29)
        snprintf(ago, sizeof ago, "%04d-02-28", y - 35);
    st =
        store_prepare(c, "SELECT ronghe_today(), ronghe_years_since(?), ronghe_years_since(?),"
                         " ronghe_years_since(NULL), ronghe_years_since('1990-02-30'), ronghe_years_ago(35)");
    store_bind_text(st, 1, birthday);
    store_bind_text(st, 2, eve);
    assert_int_equal(store_step(st, &e), STORE_ROW);
    assert_string_equal(store_col_text(st, 0), today);
    if (!(m == 2 && d == 29)) /* no 29 February thirty years ago: the birthday is not a date */
        assert_int_equal(store_col_int(st, 1), 30);
    assert_int_equal(store_col_int(st, 2), 29);
    assert_int_equal(store_col_type(st, 3), STORE_NULL);
    assert_int_equal(store_col_type(st, 4), STORE_NULL);
    assert_string_equal(store_col_text(st, 5), ago);
    store_done(st);
    store_release(c);
    store_close(s);
}

/* ------------------------------------------------------------ migrations */

/* The first column of the first row "sql" answers on "p", opened read-only (so that
 * nothing is migrated). */
static int64_t count_on(const char *p, const char *sql)
{
    store *s;
    struct rerr e = {0};
    assert_int_equal(store_open(p, STORE_OPEN_READONLY, &s, &e), 0);
    int64_t n = count_rows(s, sql);
    store_close(s);
    return n;
}

/* The version recorded in "p". */
static int recorded_version(const char *p)
{
    return (int)count_on(p, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema_version'");
}

static int bytewise(void *unused, int alen, const void *a, int blen, const void *b)
{
    (void)unused;
    int n = memcmp(a, b, (size_t)(alen < blen ? alen : blen));
    return n ? n : alen - blen;
}

/* Run "sql" on "p" past the store (which would migrate it first). ALTER TABLE reads the
 * whole schema, whose indexes name COLLATE zh: a bytewise stand-in is enough, as no
 * indexed value changes here. */
static void exec_on(const char *p, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(p, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_create_collation(db, "zh", SQLITE_UTF8, NULL, bytewise);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
    sqlite3_close(db);
}

/* Drop every schema object of "type" whose name is LIKE "pattern" (ESCAPE '\\'). */
static void drop_named(const char *p, const char *type, const char *pattern)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(p, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(
        sqlite3_prepare_v2(db,
                           "SELECT group_concat('DROP ' || type || ' ' || name, ';') FROM sqlite_master"
                           " WHERE type = ? AND name LIKE ? ESCAPE '\\'",
                           -1, &st, NULL),
        SQLITE_OK);
    sqlite3_bind_text(st, 1, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, pattern, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char *sql = sqlite3_column_text(st, 0) ? strdup((const char *)sqlite3_column_text(st, 0)) : NULL;
    sqlite3_finalize(st);
    sqlite3_close(db);
    if (sql)
        exec_on(p, sql);
    free(sql);
}

/* "p" made by this binary, then taken back to what version 2 looked like (005, 004 and 003
 * undone), except that 004's last trigger is left in place: 003 then applies, and 004
 * fails at its last statement, after it has added its column and two triggers. */
static void make_version_2_but_one_trigger(const char *p)
{
    store *s;
    struct rerr e = {0};
    assert_int_equal(store_open(p, STORE_CREATE_NEW, &s, &e), 0);
    store_close(s);
    assert_true(store_schema_version() >= 4);
    /* 019 undone: its triggers, its table (its indexes go with the ledgers dropped below);
     * 023: its table */
    drop_named(p, "trigger", "eval\\_pairs\\_%");
    exec_on(p, "DROP TABLE eval_pairs; DROP TABLE eval_pairs_dirty;");
    drop_named(p, "trigger", "eval\\_stale\\_%"); /* 016 undone: its triggers on the ledgers, its tables */
    exec_on(p, "DROP TABLE eval_signals;");       /* 018 undone */
    exec_on(p, "DROP TABLE eval_results; DROP TABLE eval_runs; DROP TABLE eval_manual_values;"
               " DROP TABLE eval_schemes;");
    exec_on(p, "DROP TABLE timeline_counts; DROP TABLE timeline_events;");               /* 015 undone */
    exec_on(p, "DROP TABLE request_replies; DROP TABLE requests; DROP TABLE holidays;"); /* 010 undone */
    exec_on(
        p,
        /* 011 (its indexes and triggers go with its tables) */
        "DROP TABLE outreach_members; DROP TABLE outreach; DROP TABLE pil_matters;"
        "DROP TABLE patrol_members; DROP TABLE patrols;"
        "DROP INDEX members_id_number; DROP INDEX members_name_birth;"
        "ALTER TABLE members DROP COLUMN id_number; ALTER TABLE members DROP COLUMN education;"
        "ALTER TABLE members DROP COLUMN party_status; ALTER TABLE members DROP COLUMN full_member_date;"
        "DROP TRIGGER users_end_sessions; DROP INDEX sessions_user;"
        "ALTER TABLE sessions DROP COLUMN user_agent; ALTER TABLE sessions DROP COLUMN last_seen_at;"
        "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; ALTER TABLE audit DROP COLUMN fmt;"
        "DROP TABLE guidance; DROP TABLE pairing_progress; DROP TABLE pairings;"
        "DROP TABLE project_outcomes; DROP TABLE project_activities; DROP TABLE project_parties;"
        "DROP TABLE projects; DROP TABLE element_evidence; DROP TABLE element_checks;"
        "DROP TABLE sync_pairs; ALTER TABLE methods DROP COLUMN period;"
        "DROP TABLE member_terms; DROP TABLE attendance; DROP TABLE activity_items; DROP TABLE activities;"
        "DROP TABLE life_rules;"
        /* 009: the cases ledger */
        "DROP TABLE case_reviews; DROP TABLE case_members; DROP TABLE cases;"
        "DROP TABLE IF EXISTS attachments;" /* 007 */
        "UPDATE meta SET value = '2' WHERE key = 'schema_version'");
    assert_int_equal(recorded_version(p), 2);
}

static void migration_failure_keeps_earlier_ones(void **state)
{
    (void)state;
    make_version_2_but_one_trigger(path);
    store *s;
    struct rerr e = {0};
    assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &s, &e), R_EINTERNAL);
    assert_string_equal(e.code, "schema");
    assert_non_null(strstr(e.message, "004-audit-keyed.sql"));
    assert_int_equal(recorded_version(path), 3);
    assert_non_null(strstr(e.message, "仍为版本 3"));
    /* 003's work is there and committed: its columns, index and trigger. */
    assert_int_equal(count_on(path, "SELECT count(*) FROM pragma_table_info('sessions')"
                                    " WHERE name IN ('last_seen_at', 'user_agent')"),
                     2);
    assert_int_equal(count_on(path, "SELECT count(*) FROM sqlite_master"
                                    " WHERE name IN ('sessions_user', 'users_end_sessions')"),
                     2);
    /* Of 004 nothing stayed: neither its column nor the triggers made before it failed. */
    assert_int_equal(count_on(path, "SELECT count(*) FROM pragma_table_info('audit') WHERE name = 'fmt'"), 0);
    assert_int_equal(count_on(path, "SELECT count(*) FROM sqlite_master"
                                    " WHERE name IN ('audit_no_update', 'audit_no_delete')"),
                     0);
}

static void migration_resumes_after_failure(void **state)
{
    (void)state;
    make_version_2_but_one_trigger(path);
    store *s;
    struct rerr e = {0};
    assert_true(store_open(path, STORE_OPEN_EXISTING, &s, &e) < 0);
    /* What blocked 004 is removed: the next open goes on from version 3. */
    exec_on(path, "DROP TRIGGER audit_head_no_delete");
    assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &s, &e), 0);
    assert_int_equal(count_rows(s, "SELECT count(*) FROM pragma_table_info('audit') WHERE name = 'fmt'"), 1);
    /* The connection that migrated has its foreign keys on again. */
    assert_int_equal(count_rows(s, "SELECT * FROM pragma_foreign_keys"), 1);
    store_close(s);
    assert_int_equal(recorded_version(path), store_schema_version());
}

/* A migration is committed only when every foreign key holds (they are off meanwhile). */
static void migration_checks_foreign_keys(void **state)
{
    (void)state;
    make_version_2_but_one_trigger(path);
    exec_on(path, "DROP TRIGGER audit_head_no_delete; PRAGMA foreign_keys = OFF;"
                  "INSERT INTO sessions(token_hash, user_id, csrf_token, created_at, expires_at)"
                  " VALUES ('t', 999, 'c', '2026-01-01', '2026-01-02')");
    store *s;
    struct rerr e = {0};
    assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &s, &e), R_EINTERNAL);
    assert_non_null(strstr(e.message, "外键不成立"));
    assert_non_null(strstr(e.message, "sessions"));
    assert_int_equal(recorded_version(path), 2);
}

/* A database newer than the binary is refused, read-write and read-only, and left as it is. */
static void newer_database_refused(void **state)
{
    (void)state;
    store *s;
    struct rerr e = {0};
    assert_int_equal(store_open(path, STORE_CREATE_NEW, &s, &e), 0);
    store_close(s);
    char sql[96];
    snprintf(sql, sizeof sql, "UPDATE meta SET value = '%d' WHERE key = 'schema_version'",
             store_schema_version() + 1);
    exec_on(path, sql);
    for (int ro = 0; ro < 2; ro++) {
        assert_int_equal(store_open(path, ro ? STORE_OPEN_READONLY : STORE_OPEN_EXISTING, &s, &e), R_EINVAL);
        assert_string_equal(e.code, "schema");
        assert_non_null(strstr(e.message, "比本程序"));
        assert_non_null(strstr(e.message, "请升级 ronghe"));
    }
    /* Still refused, still that version: nothing was written to it. */
    assert_true(store_open(path, STORE_OPEN_EXISTING, &s, &e) < 0);
    sqlite3 *db; /* read past the store, which refuses this file */
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), store_schema_version() + 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* Two processes (here two threads, each with its own store) opening an old database at
 * once: one upgrades it, the other waits for the write lock and then finds nothing to do. */
struct opener {
    int rc;
    char message[256];
};

static void *open_and_close(void *arg)
{
    struct opener *o = arg;
    store *s;
    struct rerr e = {0};
    o->rc = store_open(path, STORE_OPEN_EXISTING, &s, &e);
    snprintf(o->message, sizeof o->message, "%s", e.message);
    if (o->rc == 0)
        store_close(s);
    return NULL;
}

static void concurrent_upgrades(void **state)
{
    (void)state;
    for (int round = 0; round < 5; round++) {
        cleanup(path);
        make_version_2_but_one_trigger(path);
        exec_on(path, "DROP TRIGGER audit_head_no_delete");
        struct opener o[4] = {0};
        pthread_t th[4];
        for (int i = 0; i < 4; i++)
            assert_int_equal(pthread_create(&th[i], NULL, open_and_close, &o[i]), 0);
        for (int i = 0; i < 4; i++)
            pthread_join(th[i], NULL);
        for (int i = 0; i < 4; i++)
            if (o[i].rc != 0)
                fail_msg("round %d, opener %d: %s", round, i, o[i].message);
        assert_int_equal(recorded_version(path), store_schema_version());
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(open_modes, setup, teardown),
        cmocka_unit_test_setup_teardown(statement_reuse, setup, teardown),
        cmocka_unit_test_setup_teardown(statement_cache_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(constraints_and_collation, setup, teardown),
        cmocka_unit_test_setup_teardown(backup_while_writing, setup, teardown),
        cmocka_unit_test_setup_teardown(lock_file, setup, teardown),
        cmocka_unit_test_setup_teardown(readonly_and_integrity, setup, teardown),
        cmocka_unit_test_setup_teardown(named_operations, setup, teardown),
        cmocka_unit_test_setup_teardown(date_functions, setup, teardown),
        cmocka_unit_test_setup_teardown(migration_failure_keeps_earlier_ones, setup, teardown),
        cmocka_unit_test_setup_teardown(migration_resumes_after_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(migration_checks_foreign_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(newer_database_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(concurrent_upgrades, setup, teardown),
    };
    return cmocka_run_group_tests_name("store/store_sqlite", tests, NULL, NULL);
}
