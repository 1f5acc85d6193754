/*
 * store_sqlite: the SQLite backend of store.h.
 *
 * Connections live in a pool (a stack guarded by a mutex) and are opened on demand, up
 * to STORE_MAX_CONN; a thread that finds none free waits. Each connection keeps its own
 * cache of prepared statements keyed by the SQL text (a hash of it, then the text
 * compared), least recently used out first when full. Extensions (the Chinese
 * FTS5 tokenizer, later) are registered in conn_setup(), the one place every connection
 * passes through.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "base/text.h"
#include "store/store.h"

/* Enough for every thread that may hold one at once (16 HTTP workers, the event threads'
 * brief generation check, the job worker, the command line), so an event thread never
 * waits for a connection. */
#define STORE_MAX_CONN 24
/* The index of the statement cache: open addressing, never more than half full. */
#define STMT_INDEX (2 * STORE_STMT_CACHE)
#define STORE_MAGIC 0x53544f52u
#define TABLE_BITS 64
#define TABLE_OTHER ((store_tables)1 << (TABLE_BITS - 1))
#define OWN_COMMITS 1024 /* commit counts remembered as this process's own (a power of two) */

extern const char ronghe_schema_sql[]; /* generated from schema.sql: version 1 */

/* The numbered migrations (src/store/migrations/NNN-what.sql, generated into a table in
 * name order): migration NNN takes a database from version NNN-1 to NNN. A migration is
 * never edited once it has shipped; a change is a new file. */
struct migration {
    const char *path;
    const unsigned char *data;
    unsigned long len;
};
extern const struct migration ronghe_migrations[]; /* ends with path NULL */

struct store_stmt {
    sqlite3_stmt *st;
    store_conn *conn;
    bool dynamic;
    store_tables reads, writes; /* as the authorizer reported them while it was prepared */
};

struct cached {
    char *sql; /* our copy of the text */
    uint64_t hash;
    uint64_t used; /* the connection's tick when last prepared: least recent goes first */
    store_stmt stmt;
};

struct store_conn {
    unsigned magic;
    store *owner;
    sqlite3 *db;
    store_conn *next_free;
    int64_t data_version;  /* as last seen by store_generation() */
    uint32_t seen_commits; /* the commit count (user_version) at that data_version */
    /* Table tracking (see "what statements read and write"): what the statement being
     * prepared reads and writes (NULL outside our prepare), what the statements stepped
     * since store_reads_start() read, and what the open transaction has written. */
    store_stmt *preparing;
    store_tables reads, tx_writes;
    bool tx_wrote;
    int ncached;
    uint64_t tick;
    struct cached cache[STORE_STMT_CACHE];
    short index[STMT_INDEX]; /* 1 + a slot of cache[], 0 where free */
};

struct store {
    unsigned magic;
    char *path;
    bool readonly; /* STORE_OPEN_READONLY: every connection read-only */
    int lock_fd;   /* shared flock on "path".lock; -1 when read-only */
    pthread_mutex_t lock;
    pthread_cond_t freed;
    store_conn *free_list;
    int nconn;
    _Atomic uint64_t generation;
    _Atomic int64_t checked_ms; /* when store_generation() last looked at the file */
    /* Table tracking: the tables' names (bit i names tables[i]; the last bit stands for
     * every table without one), the generation each last changed at, the tickets
     * generations are drawn from, and the commit counts this process wrote lately. */
    int ntables;
    char *tables[TABLE_BITS - 1];
    bool table_virtual[TABLE_BITS - 1];
    _Atomic uint64_t changed[TABLE_BITS];
    _Atomic uint64_t ticket;
    pthread_mutex_t commits_lock;
    uint32_t own_commits[OWN_COMMITS];
    void *ext; /* store_set_ext() */
};

/* ---------------------------------------------------------------- what statements read and write
 *
 * For caches finer than "anything changed" (store.h). Each table of the database has a
 * bit (tables_load(), at open; the last bit stands for any table without one) and the
 * generation at which it last changed.
 *
 * Reads: while we prepare a statement the authorizer reports every table it reads
 * (SQLITE_READ, views and triggers expanded), once, so a cached statement carries its set
 * from then on; stepping it adds the set to the connection's (store_reads()).
 * Writes: the authorizer's INSERT/UPDATE/DELETE of the statement (which also catches a
 * DELETE without WHERE, which SQLite runs without row callbacks) and, while it runs, the
 * update hook's row changes (foreign-key actions, triggers, whatever the authorizer was
 * not asked about) add up per transaction; the commit publishes them (publish()): a new
 * ticket, stored as each written table's generation and then as the store's.
 * Anything the store cannot follow (store_exec, a write outside a transaction, another
 * process) is published as every table.
 *
 * Another process's commits are seen by store_generation() through PRAGMA data_version,
 * which moves on every commit by another connection, ours included. To tell ours apart,
 * every write transaction of any ronghe process counts itself in the database header
 * (PRAGMA user_version, 32 bits, wrapping) before it commits, and this process remembers
 * the counts it wrote (own_commits): a data_version that moved while the count did not
 * (a writer that is not ronghe), or a count this process did not write, is another
 * process's commit. A writer that is not ronghe, committing in the same STORE_EXTERNAL_MS
 * as this process and the count, would go unseen: the sqlite3 shell on a serving database
 * is not supported. */

static void atomic_max(_Atomic uint64_t *a, uint64_t v)
{
    uint64_t cur = atomic_load(a);
    while (cur < v && !atomic_compare_exchange_weak(a, &cur, v))
        ;
}

/* Tables "t" changed: after the commit, never before (see store_generation()). */
static void publish(store *s, store_tables t)
{
    uint64_t ticket = atomic_fetch_add(&s->ticket, 1) + 1;
    for (int b = 0; b < TABLE_BITS; b++)
        if (t & ((store_tables)1 << b))
            atomic_max(&s->changed[b], ticket);
    atomic_max(&s->generation, ticket); /* after the tables: never ahead of them */
}

static void bump(store *s)
{
    publish(s, STORE_TABLES_ALL);
}

static store_tables table_bit(const store *s, const char *name)
{
    if (!name || !strncmp(name, "sqlite_", 7)) /* the schema, sqlite_sequence: not data */
        return 0;
    for (int i = 0; i < s->ntables; i++)
        if (!strcmp(s->tables[i], name))
            return (store_tables)1 << i;
    for (int i = 0; i < s->ntables; i++) { /* a virtual table's shadow table */
        size_t n = strlen(s->tables[i]);
        if (s->table_virtual[i] && !strncmp(name, s->tables[i], n) && name[n] == '_')
            return (store_tables)1 << i;
    }
    return TABLE_OTHER;
}

static int authorize(void *arg, int action, const char *a, const char *b, const char *db, const char *trigger)
{
    (void)b, (void)db, (void)trigger;
    store_conn *c = arg;
    switch (action) {
    case SQLITE_READ:
        if (c->preparing)
            c->preparing->reads |= table_bit(c->owner, a);
        break;
    case SQLITE_INSERT:
    case SQLITE_UPDATE:
    case SQLITE_DELETE:
        if (c->preparing)
            c->preparing->writes |= table_bit(c->owner, a);
        else /* a statement SQLite prepared on its own (sqlite3_exec, a re-prepare) */
            c->tx_writes |= table_bit(c->owner, a), c->tx_wrote = true;
        break;
    default:
        break;
    }
    return SQLITE_OK;
}

static void on_update(void *arg, int op, const char *db, const char *table, sqlite3_int64 rowid)
{
    (void)op, (void)db, (void)rowid;
    store_conn *c = arg;
    c->tx_writes |= table_bit(c->owner, table);
    c->tx_wrote = true;
}

/* Name the tables: one bit each, a virtual table's shadow tables (members_fts_data…)
 * sharing the virtual table's. At open, before the store is shared. */
static int tables_load(store *s, store_conn *c, struct rerr *err)
{
    store_stmt *st = store_prepare_dynamic(
        c, "SELECT name, sql LIKE 'CREATE VIRTUAL%' FROM sqlite_master WHERE type = 'table'"
           " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY sql LIKE 'CREATE VIRTUAL%' DESC, name");
    int rc;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        const char *name = store_col_text(st, 0);
        store_tables bit = table_bit(s, name);
        if (bit != TABLE_OTHER || s->ntables == TABLE_BITS - 1)
            continue; /* a shadow table; or, past the bits, TABLE_OTHER */
        s->table_virtual[s->ntables] = store_col_int(st, 1) != 0;
        if (!(s->tables[s->ntables++] = strdup(name)))
            die("内存不足");
    }
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

/* Prepare "sql" into "into", learning what it reads and writes. */
static int prepare_tracked(store_conn *c, const char *sql, unsigned flags, store_stmt *into)
{
    into->reads = into->writes = 0;
    c->preparing = into;
    int rc = sqlite3_prepare_v3(c->db, sql, -1, flags, &into->st, NULL);
    c->preparing = NULL;
    return rc;
}

/* Before "st" steps: what it reads counts for the caller's answer, what it writes for
 * the transaction. */
static void step_noted(store_stmt *st)
{
    store_conn *c = st->conn;
    c->reads |= st->reads;
    if (!sqlite3_stmt_readonly(st->st)) {
        c->tx_writes |= st->writes;
        c->tx_wrote = true;
    }
}

/* Inside a write transaction, just before COMMIT: count it in the header (see above).
 * *count receives the new count; false when it could not be written (then this commit
 * will look like another process's: everything changes, nothing is missed). */
static bool commit_count(store_conn *c, uint32_t *count)
{
    store_stmt *st = store_prepare(c, "PRAGMA user_version");
    bool ok = sqlite3_step(st->st) == SQLITE_ROW;
    uint32_t n = ok ? (uint32_t)sqlite3_column_int64(st->st, 0) + 1 : 0;
    sqlite3_reset(st->st);
    char sql[48];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %" PRId32, (int32_t)n);
    if (ok && sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        ok = false;
    *count = n;
    return ok;
}

/* After COMMIT: remember the count as ours, publish what the transaction wrote. */
static void commit_published(store_conn *c, bool counted, uint32_t count)
{
    store *s = c->owner;
    if (counted) {
        pthread_mutex_lock(&s->commits_lock);
        s->own_commits[count & (OWN_COMMITS - 1)] = count;
        pthread_mutex_unlock(&s->commits_lock);
    }
    publish(s, counted ? c->tx_writes : STORE_TABLES_ALL);
    c->tx_writes = 0;
    c->tx_wrote = false;
}

/* Whether every commit counted in (from, to] was this process's. */
static bool commits_all_own(store *s, uint32_t from, uint32_t to)
{
    if ((uint32_t)(to - from) > OWN_COMMITS)
        return false;
    bool own = true;
    pthread_mutex_lock(&s->commits_lock);
    for (uint32_t n = from + 1; own && n != to + 1; n++)
        own = s->own_commits[n & (OWN_COMMITS - 1)] == n;
    pthread_mutex_unlock(&s->commits_lock);
    return own;
}

/* Read data_version and the commit count in one snapshot. False when they cannot be
 * read. */
static bool read_versions(store_conn *c, int64_t *data_version, uint32_t *count)
{
    if (sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return false;
    store_stmt *uv = store_prepare(c, "PRAGMA user_version"); /* starts the snapshot */
    store_stmt *dv = store_prepare(c, "PRAGMA data_version");
    bool ok = sqlite3_step(uv->st) == SQLITE_ROW && sqlite3_step(dv->st) == SQLITE_ROW;
    if (ok) {
        *count = (uint32_t)sqlite3_column_int64(uv->st, 0);
        *data_version = sqlite3_column_int64(dv->st, 0);
    }
    sqlite3_reset(uv->st);
    sqlite3_reset(dv->st);
    sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    return ok;
}

/* Whether another process has committed since "c" last looked. */
static bool external_commit_seen(store_conn *c)
{
    int64_t v;
    uint32_t n;
    if (!read_versions(c, &v, &n))
        return true; /* cannot tell: assume a change */
    bool seen = false;
    if (v != c->data_version)
        seen = n == c->seen_commits || !commits_all_own(c->owner, c->seen_commits, n);
    c->data_version = v;
    c->seen_commits = n;
    return seen;
}

void store_reads_start(store_conn *c)
{
    c->reads = 0;
}

store_tables store_reads(store_conn *c)
{
    return c->reads;
}

bool store_unchanged(store *s, store_tables tables, uint64_t gen)
{
    for (int b = 0; b < TABLE_BITS; b++)
        if ((tables & ((store_tables)1 << b)) && atomic_load(&s->changed[b]) > gen)
            return false;
    return true;
}

uint64_t store_tables_generation(store *s, store_tables tables)
{
    uint64_t g = 0;
    for (int b = 0; b < TABLE_BITS; b++)
        if (tables & ((store_tables)1 << b)) {
            uint64_t t = atomic_load(&s->changed[b]);
            g = t > g ? t : g;
        }
    return g;
}

store_tables store_tables_named(store *s, const char *names)
{
    store_tables t = 0;
    char name[64];
    for (const char *p = names; *p;) {
        size_t n = strcspn(p, " ");
        CHECK(n > 0 && n < sizeof name);
        memcpy(name, p, n);
        name[n] = 0;
        store_tables bit = table_bit(s, name);
        CHECK(bit && bit != TABLE_OTHER); /* a table the database has */
        t |= bit;
        p += n + strspn(p + n, " ");
    }
    return t;
}

/* The column a UNIQUE constraint failed on, from SQLite's message ("UNIQUE constraint
 * failed: branches.procuratorate_id, branches.name"): the last one named, since a key
 * within a scope lists the scope first and the clashing value last. "" when the message
 * has another shape. Written into "out" (cap bytes). */
static void unique_column(const char *msg, char *out, size_t cap)
{
    static const char prefix[] = "UNIQUE constraint failed: ";
    out[0] = 0;
    if (strncmp(msg, prefix, sizeof prefix - 1) != 0)
        return;
    const char *last = strrchr(msg, ' ');
    const char *dot = last ? strchr(last, '.') : NULL;
    if (!dot || !dot[1] || strlen(dot + 1) >= cap)
        return;
    snprintf(out, cap, "%s", dot + 1);
}

static int map_sqlite(sqlite3 *db, int rc, struct rerr *err)
{
    const char *msg = sqlite3_errmsg(db);
    char column[64];
    switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        unique_column(msg, column, sizeof column);
        return rerr_set(err, R_ECONFLICT, "duplicate", column, "名称或编号重复，已存在相同的记录");
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        return rerr_set(err, R_ECONFLICT, "in_use", "", "该记录仍被其他记录引用，不能删除或修改");
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
        return rerr_set(err, R_EINVAL, "invalid_value", "", "数据不符合约束: %s", msg);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        /* Only after busy_timeout has been waited out: the client may try again. */
        return rerr_set(err, R_EBUSY, "busy", "", "数据库繁忙，请稍后重试");
    default:
        return rerr_set(err, R_EINTERNAL, "store", "", "数据库错误: %s", msg);
    }
}

static int binary_collate(void *unused, int alen, const void *a, int blen, const void *b)
{
    (void)unused;
    int n = memcmp(a, b, (size_t)(alen < blen ? alen : blen));
    return n ? n : alen - blen;
}

/* ---- the date functions every store provides (store.h "SQL functions") */

/* y, m, d of "s" when it is a date as we store them (YYYY-MM-DD, a real day). */
static bool date_parts(const unsigned char *s, int *y, int *m, int *d)
{
    return s && text_date_ok((const char *)s) && sscanf((const char *)s, "%4d-%2d-%2d", y, m, d) == 3;
}

static void today_parts(int *y, int *m, int *d)
{
    char today[11];
    text_today(today); /* Beijing */
    CHECK(date_parts((const unsigned char *)today, y, m, d));
}

/* ronghe_years_since(date): whole years from "date" to today (an age, a 党龄); NULL for
 * NULL or what is not a date. */
static void fn_years_since(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    int y, m, d, ty, tm, td;
    if (argc != 1 || !date_parts(sqlite3_value_text(argv[0]), &y, &m, &d)) {
        sqlite3_result_null(ctx);
        return;
    }
    today_parts(&ty, &tm, &td);
    sqlite3_result_int(ctx, ty - y - (tm * 100 + td < m * 100 + d));
}

/* ronghe_years_ago(n): the date n years before today, as YYYY-MM-DD text; on 29 February,
 * 28 February of a year that has no 29th. */
static void fn_years_ago(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    int ty, tm, td;
    today_parts(&ty, &tm, &td);
    int n = argc == 1 ? sqlite3_value_int(argv[0]) : 0;
    char out[16];
    snprintf(out, sizeof out, "%04d-%02d-%02d", ty - n, tm, td);
    if (!text_date_ok(out)) /* 29 February in a year without one */
        snprintf(out, sizeof out, "%04d-%02d-28", ty - n, tm);
    sqlite3_result_text(ctx, out, -1, SQLITE_TRANSIENT);
}

/* ronghe_today(): today in Beijing, YYYY-MM-DD. */
static void fn_today(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    char today[11];
    text_today(today);
    sqlite3_result_text(ctx, today, -1, SQLITE_TRANSIENT);
}

static void date_functions(sqlite3 *db)
{
    sqlite3_create_function_v2(db, "ronghe_years_since", 1, SQLITE_UTF8, NULL, fn_years_since, NULL, NULL,
                               NULL);
    sqlite3_create_function_v2(db, "ronghe_years_ago", 1, SQLITE_UTF8, NULL, fn_years_ago, NULL, NULL, NULL);
    sqlite3_create_function_v2(db, "ronghe_today", 0, SQLITE_UTF8, NULL, fn_today, NULL, NULL, NULL);
}

static int conn_setup(sqlite3 *db, bool readonly, struct rerr *err)
{
    /* busy_timeout first: switching to WAL (or opening the WAL another process's last
     * connection just removed) takes a lock that another opener may hold for a moment. */
    static const char *const pragmas =
        "PRAGMA busy_timeout=10000; PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"
        "PRAGMA synchronous=FULL; PRAGMA cache_size=" STORE_CACHE "; PRAGMA temp_store=MEMORY;"
        /* Reads come straight from the OS's copy of the file, shared by all connections,
         * instead of each connection keeping its own copy of the hot pages (and copying
         * each page it reads out of the kernel). Up to 2 GB, the most SQLite maps as
         * Debian builds it; past that, pages are read as before. The mapped pages are
         * the page cache's (they count in RSS as file pages, not heap). A province's first
         * evaluation of a year (bench/eval, a 1.2 GB file) took 0.77 s mapped whole against
         * 0.83 s with the first 256 MB mapped (medians of 5, alternated). */
        "PRAGMA mmap_size=2147418112;";
    /* A file only read keeps the journal mode it has (a backup: rollback, one file). */
    static const char *const pragmas_readonly =
        "PRAGMA query_only=ON; PRAGMA busy_timeout=10000;"
        " PRAGMA cache_size=" STORE_CACHE "; PRAGMA temp_store=MEMORY;";
    char *msg = NULL;
    if (sqlite3_exec(db, readonly ? pragmas_readonly : pragmas, NULL, NULL, &msg) != SQLITE_OK) {
        rerr_set(err, R_EINTERNAL, "store", "", "无法设置数据库: %s", msg ? msg : "");
        sqlite3_free(msg);
        return R_EINTERNAL;
    }
    /* COLLATE zh: pinyin order for names. Without ICU's zh data it falls back to
     * SQLite's binary order rather than failing. */
    text_collator *zh = text_collator_new();
    if (zh)
        sqlite3_create_collation_v2(db, "zh", SQLITE_UTF8, zh, text_collate, text_collator_free);
    else
        sqlite3_create_collation_v2(db, "zh", SQLITE_UTF8, NULL, binary_collate, NULL);
    date_functions(db);
    return 0;
}

static store_conn *conn_open(store *s, int flags, struct rerr *err)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(s->path, &db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        rerr_set(err, R_EINVAL, "store_open", "", "无法打开数据库 %s: %s", s->path,
                 db ? sqlite3_errmsg(db) : "内存不足");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_extended_result_codes(db, 1);
    if (conn_setup(db, s->readonly, err) < 0) {
        sqlite3_close(db);
        return NULL;
    }
    store_conn *c = calloc(1, sizeof *c);
    if (!c)
        die("内存不足");
    c->magic = STORE_MAGIC;
    c->owner = s;
    c->db = db;
    sqlite3_set_authorizer(db, authorize, c);
    sqlite3_update_hook(db, on_update, c);
    if (!read_versions(c, &c->data_version, &c->seen_commits))
        c->data_version = -1; /* the first look will count as a change */
    return c;
}

static void conn_close(store_conn *c)
{
    for (int i = 0; i < c->ncached; i++) {
        sqlite3_finalize(c->cache[i].stmt.st);
        free(c->cache[i].sql);
    }
    sqlite3_close(c->db);
    free(c);
}

const char *store_path(const store *s)
{
    return s->path;
}

void store_set_ext(store *s, void *ext)
{
    CHECK(s && s->magic == STORE_MAGIC);
    s->ext = ext;
}

void *store_ext(const store *s)
{
    CHECK(s && s->magic == STORE_MAGIC);
    return s->ext;
}

store *store_conn_owner(store_conn *c)
{
    CHECK(c && c->magic == STORE_MAGIC);
    return c->owner;
}

/* The version a migration file's name gives ("/002-sessions.sql" → 2), or 0. */
static int migration_number(const char *path)
{
    const char *name = strrchr(path, '/');
    name = name ? name + 1 : path;
    int n = 0, digits = 0;
    for (; name[digits] >= '0' && name[digits] <= '9'; digits++)
        n = n * 10 + (name[digits] - '0');
    return digits == 3 && name[3] == '-' ? n : 0;
}

int store_schema_version(void)
{
    int v = 1;
    for (const struct migration *m = ronghe_migrations; m->path; m++) {
        /* The files are numbered without gaps from 002: a build with a gap is ours to fix. */
        CHECK(migration_number(m->path) == v + 1);
        v++;
    }
    return v;
}

static int schema_version(store_conn *c, int *out, struct rerr *err)
{
    store_stmt *st = store_prepare(c, "SELECT count(*) FROM sqlite_master WHERE name='meta'");
    if (store_step(st, err) != STORE_ROW)
        return R_EINTERNAL;
    int has_meta = (int)store_col_int(st, 0);
    store_done(st);
    *out = 0;
    if (!has_meta)
        return 0;
    st = store_prepare(c, "SELECT value FROM meta WHERE key='schema_version'");
    int rc = store_step(st, err);
    if (rc == STORE_ROW)
        *out = atoi(store_col_text(st, 0));
    store_done(st);
    return rc < 0 ? rc : 0;
}

/* Fail unless every foreign key holds: migrations run with foreign_keys off (a table is
 * rebuilt by create, copy, drop, rename), so they are checked before their commit. */
static int foreign_keys_hold(store_conn *c, struct rerr *err)
{
    store_stmt *st = store_prepare(c, "PRAGMA foreign_key_check");
    int rc = store_step(st, err);
    if (rc == STORE_ROW)
        rc = rerr_set(err, R_EINTERNAL, "schema", "", "外键不成立：表 %s 第 %lld 行引用的 %s 不存在",
                      store_col_text(st, 0), (long long)store_col_int(st, 1), store_col_text(st, 2));
    store_done(st);
    return rc < 0 ? rc : 0;
}

/* Take the database from version "to" - 1 to "to" in a transaction of its own: run
 * "sql" ("len" bytes, from "name"), check the foreign keys, record "to" as the version,
 * commit. The version is read again inside the transaction (the write lock is held from
 * its start), so a process that finds another has done this step meanwhile does nothing.
 * On failure nothing of this step remains and the database keeps version "to" - 1. */
/* The triggers named "timeline_…" are not the migrations': the domain makes them from its
 * descriptions at every open for writing (domain/timeline.h, timeline_sync()), and they
 * name tables a migration may rebuild or, in a test, remove. Dropped before a migration,
 * in its transaction; made again, with what they keep, on the open that follows. */
static int drop_derived_triggers(store_conn *c, struct rerr *err)
{
    for (;;) {
        store_stmt *st = store_prepare(c, "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                                          " AND name LIKE 'timeline\\_%' ESCAPE '\\' LIMIT 1");
        int rc = store_step(st, err);
        char drop[160] = "";
        if (rc == STORE_ROW)
            snprintf(drop, sizeof drop, "DROP TRIGGER \"%.100s\"", store_col_text(st, 0));
        store_done(st);
        if (rc != STORE_ROW)
            return rc < 0 ? rc : 0;
        if ((rc = store_exec(c, drop, err)) < 0)
            return rc;
    }
}

static int migrate_step(store_conn *c, int to, const char *name, const unsigned char *sql, size_t len,
                        struct rerr *err)
{
    if (store_begin(c, err) < 0)
        return err->rc;
    int v, rc = schema_version(c, &v, err);
    if (rc < 0 || v >= to) {
        store_rollback(c);
        return rc;
    }
    CHECK(v == to - 1); /* steps are taken in order, each after the one before committed */
    char *text = malloc(len + 1);
    if (!text)
        die("内存不足");
    memcpy(text, sql, len);
    text[len] = 0;
    rc = drop_derived_triggers(c, err);
    if (rc == 0)
        rc = store_exec(c, text, err);
    free(text);
    if (rc == 0)
        rc = foreign_keys_hold(c, err);
    if (rc == 0) {
        char num[16];
        snprintf(num, sizeof num, "%d", to);
        rc = store_meta_put(c, "schema_version", num, err);
    }
    if (rc == 0)
        rc = store_commit(c, err);
    if (rc < 0) {
        store_rollback(c);
        char why[sizeof err->message];
        snprintf(why, sizeof why, "%s", err->message); /* rerr_set writes over err->message */
        return rerr_set(err, R_EINTERNAL, "schema", "", "数据库升级到版本 %d 失败（%s），仍为版本 %d：%s", to,
                        name, to - 1, why);
    }
    return 0;
}

/* Bring the database to store_schema_version(): a new file gets schema.sql (version 1),
 * then every migration it lacks, in order, each in a transaction of its own with the
 * version it reaches recorded in it; a failure leaves the versions before it applied
 * and recorded, and the next open goes on from there. Foreign keys are off meanwhile
 * (a pragma that cannot change inside a transaction) and checked before each commit.
 * A read-only store is only checked: a ronghe database, not newer than this binary. */
static int migrate(store_conn *c, bool readonly, struct rerr *err)
{
    int v;
    if (schema_version(c, &v, err) < 0)
        return R_EINTERNAL;
    int want = store_schema_version();
    if (v == want)
        return 0;
    if (v > want)
        return rerr_set(err, R_EINVAL, "schema", "", "数据库版本 %d 比本程序 (%d) 新，请升级 ronghe", v,
                        want);
    if (v < 0 || (readonly && v == 0))
        return rerr_set(err, R_EINVAL, "schema", "", "不是 ronghe 数据库（未知的数据库版本 %d）", v);
    if (readonly)
        return 0;
    int rc = store_exec(c, "PRAGMA foreign_keys=OFF", err);
    if (rc == 0)
        rc = migrate_step(c, 1, "schema.sql", (const unsigned char *)ronghe_schema_sql,
                          strlen(ronghe_schema_sql), err);
    for (const struct migration *m = ronghe_migrations; rc == 0 && m->path; m++)
        rc = migrate_step(c, migration_number(m->path), m->path, m->data, m->len, err);
    struct rerr ignored;
    if (store_exec(c, "PRAGMA foreign_keys=ON", rc < 0 ? &ignored : err) < 0 && rc == 0)
        rc = err->rc;
    return rc;
}

static int create_private(const char *path, struct rerr *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return rerr_set(err, R_EINVAL, "create", "db", "无法创建 %s: %s", path, strerror(errno));
    close(fd);
    return 0;
}

/* "path".lock, malloc'd. */
static char *lock_path(const char *path)
{
    size_t n = strlen(path) + sizeof ".lock";
    char *p = malloc(n);
    if (!p)
        die("内存不足");
    snprintf(p, n, "%s.lock", path);
    return p;
}

/* Open "path".lock and flock it with "how" (LOCK_SH or LOCK_EX), never waiting. */
static int lock_take(const char *path, int how, int *fd_out, struct rerr *err)
{
    char *lp = lock_path(path);
    int fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        rerr_set(err, R_EINVAL, "lock", "db", "无法打开锁文件 %s：%s", lp, strerror(errno));
        free(lp);
        return err->rc;
    }
    while (flock(fd, how | LOCK_NB) < 0) {
        if (errno == EINTR)
            continue;
        int e = errno;
        close(fd);
        if (e == EWOULDBLOCK && how == LOCK_EX)
            rerr_set(err, R_ECONFLICT, "in_use", "",
                     "数据库 %s 正在使用中（ronghe serve 或其他命令打开着它），拒绝覆盖；请先停止服务再恢复",
                     path);
        else if (e == EWOULDBLOCK)
            rerr_set(err, R_ECONFLICT, "restoring", "", "数据库 %s 正在恢复（ronghe restore），请稍后再试",
                     path);
        else
            rerr_set(err, R_EINTERNAL, "lock", "db", "无法锁定 %s：%s", lp, strerror(e));
        free(lp);
        return err->rc;
    }
    free(lp);
    *fd_out = fd;
    return 0;
}

int store_lock_exclusive(const char *path, int *lock_fd, struct rerr *err)
{
    return lock_take(path, LOCK_EX, lock_fd, err);
}

void store_unlock(int lock_fd)
{
    if (lock_fd >= 0)
        close(lock_fd); /* closing the last descriptor releases the flock */
}

static void sqlite_global_setup(void)
{
    /* SQLite's memory statistics take one global lock on every allocation: with many
     * threads that lock is contended. We do not read the statistics. */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int store_open(const char *path, enum store_open_mode mode, store **out, struct rerr *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sqlite_global_setup);
    struct stat sb;
    bool exists = stat(path, &sb) == 0;
    if (mode == STORE_CREATE_NEW && exists)
        return rerr_set(err, R_ECONFLICT, "exists", "db", "文件 %s 已存在，不会覆盖", path);
    /* The database holds password hashes and personal data: readable by its owner only.
     * SQLite gives its -wal and -shm files the same permissions. */
    if (mode == STORE_CREATE_NEW && create_private(path, err) < 0)
        return err->rc;
    if (mode != STORE_CREATE_NEW && !exists)
        return rerr_set(err, R_ENOTFOUND, "not_found", "db",
                        "数据库文件 %s 不存在（先运行 ronghe init 或 ronghe demo）", path);
    bool readonly = mode == STORE_OPEN_READONLY;
    int lock_fd = -1;
    if (!readonly && lock_take(path, LOCK_SH, &lock_fd, err) < 0)
        return err->rc;
    store *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path)))
        die("内存不足");
    s->magic = STORE_MAGIC;
    s->readonly = readonly;
    s->lock_fd = lock_fd;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->freed, NULL);
    pthread_mutex_init(&s->commits_lock, NULL);
    int flags = readonly ? SQLITE_OPEN_READONLY
                         : SQLITE_OPEN_READWRITE | (mode == STORE_CREATE_NEW ? SQLITE_OPEN_CREATE : 0);
    store_conn *c = conn_open(s, flags, err);
    /* A file that is not a database fails in migrate(), on the first read. */
    if (!c || migrate(c, readonly, err) < 0 || tables_load(s, c, err) < 0) {
        if (c)
            conn_close(c);
        store_unlock(lock_fd);
        free(s->path);
        free(s);
        return err->rc;
    }
    s->nconn = 1;
    s->free_list = c;
    *out = s;
    return 0;
}

void store_close(store *s)
{
    if (!s)
        return;
    CHECK(s->magic == STORE_MAGIC);
    store_conn *c = s->free_list;
    while (c) {
        store_conn *n = c->next_free;
        conn_close(c);
        c = n;
    }
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->freed);
    pthread_mutex_destroy(&s->commits_lock);
    store_unlock(s->lock_fd);
    for (int i = 0; i < s->ntables; i++)
        free(s->tables[i]);
    free(s->path);
    free(s);
}

int store_open_pool(store *s, struct rerr *err)
{
    CHECK(s && s->magic == STORE_MAGIC);
    store_conn *opened[STORE_MAX_CONN];
    int n = 0;
    pthread_mutex_lock(&s->lock);
    while (s->nconn < STORE_MAX_CONN) {
        store_conn *c = conn_open(s, s->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE, err);
        if (!c)
            break;
        s->nconn++;
        opened[n++] = c;
    }
    bool full = s->nconn == STORE_MAX_CONN;
    pthread_mutex_unlock(&s->lock);
    for (int i = 0; i < n; i++)
        store_release(opened[i]);
    return full ? 0 : err->rc;
}

store_conn *store_acquire(store *s)
{
    CHECK(s && s->magic == STORE_MAGIC);
    pthread_mutex_lock(&s->lock);
    for (;;) {
        if (s->free_list) {
            store_conn *c = s->free_list;
            s->free_list = c->next_free;
            pthread_mutex_unlock(&s->lock);
            c->next_free = NULL;
            store_reads_start(c);
            return c;
        }
        if (s->nconn < STORE_MAX_CONN) {
            s->nconn++;
            pthread_mutex_unlock(&s->lock);
            struct rerr err;
            store_conn *c = conn_open(s, s->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE, &err);
            if (!c)
                die("%s", err.message);
            return c;
        }
        pthread_cond_wait(&s->freed, &s->lock);
    }
}

store_conn *store_try_acquire(store *s)
{
    CHECK(s && s->magic == STORE_MAGIC);
    pthread_mutex_lock(&s->lock);
    store_conn *c = s->free_list;
    if (c) {
        s->free_list = c->next_free;
        pthread_mutex_unlock(&s->lock);
        c->next_free = NULL;
        store_reads_start(c);
        return c;
    }
    if (s->nconn == STORE_MAX_CONN) {
        pthread_mutex_unlock(&s->lock);
        return NULL;
    }
    s->nconn++;
    pthread_mutex_unlock(&s->lock);
    struct rerr err;
    c = conn_open(s, s->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE, &err);
    if (!c) {
        pthread_mutex_lock(&s->lock);
        s->nconn--;
        pthread_cond_signal(&s->freed);
        pthread_mutex_unlock(&s->lock);
    }
    return c;
}

void store_release(store_conn *c)
{
    CHECK(c && c->magic == STORE_MAGIC);
    if (!sqlite3_get_autocommit(c->db)) {
        log_warn("store: connection released inside a transaction; rolling back");
        store_rollback(c);
    }
    store *s = c->owner;
    pthread_mutex_lock(&s->lock);
    c->next_free = s->free_list;
    s->free_list = c;
    pthread_cond_signal(&s->freed);
    pthread_mutex_unlock(&s->lock);
}

static int64_t monotonic_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

uint64_t store_generation(store *s)
{
    int64_t now = monotonic_ms(), last = atomic_load(&s->checked_ms);
    if (now - last < STORE_EXTERNAL_MS || !atomic_compare_exchange_strong(&s->checked_ms, &last, now))
        return atomic_load(&s->generation);
    /* Any pool connection will do: each remembers what it saw last (see "what statements
     * read and write" for how another process's commits are told from ours). */
    store_conn *c = store_acquire(s);
    if (external_commit_seen(c))
        bump(s);
    store_release(c);
    return atomic_load(&s->generation);
}

int store_exec(store_conn *c, const char *sql, struct rerr *err)
{
    char *msg = NULL;
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);
    c->reads = STORE_TABLES_ALL; /* not followed: may have read anything */
    if (sqlite3_get_autocommit(c->db))
        bump(c->owner); /* may have written outside a transaction */
    else
        c->tx_writes = STORE_TABLES_ALL, c->tx_wrote = true;
    if (rc != SQLITE_OK) {
        rerr_set(err, R_EINTERNAL, "store", "", "数据库错误: %s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return R_EINTERNAL;
    }
    return 0;
}

/* Transaction control runs as cached statements: no parsing on every request. */
static int run_cached(store_conn *c, const char *sql, struct rerr *err)
{
    store_stmt *st = store_prepare(c, sql);
    int rc = sqlite3_step(st->st);
    store_done(st);
    if (rc != SQLITE_DONE)
        return map_sqlite(c->db, rc, err);
    return 0;
}

int store_begin(store_conn *c, struct rerr *err)
{
    return run_cached(c, "BEGIN IMMEDIATE", err);
}

int store_begin_read(store_conn *c, struct rerr *err)
{
    return run_cached(c, "BEGIN", err);
}

int store_commit(store_conn *c, struct rerr *err)
{
    uint32_t count = 0;
    bool wrote = c->tx_wrote, counted = wrote && !c->owner->readonly && commit_count(c, &count);
    int rc = run_cached(c, "COMMIT", err);
    if (rc < 0) {
        store_rollback(c);
        return rc;
    }
    if (wrote) /* after the commit, never before: see store_generation() */
        commit_published(c, counted, count);
    return 0;
}

void store_rollback(store_conn *c)
{
    if (!sqlite3_get_autocommit(c->db))
        run_cached(c, "ROLLBACK", NULL);
    c->tx_writes = 0;
    c->tx_wrote = false;
}

static uint64_t sql_hash(const char *sql)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (const char *p = sql; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return h;
}

static void index_put(store_conn *c, int slot)
{
    size_t i = c->cache[slot].hash % STMT_INDEX;
    while (c->index[i])
        i = (i + 1) % STMT_INDEX;
    c->index[i] = (short)(slot + 1);
}

/* A slot for a new text: the next free one, else the one used longest ago (its statement
 * finalized), passing over those that are running (stepped, not yet reset) while any
 * other can go. Our callers nest a few running statements, never STORE_STMT_CACHE; when
 * every one is running, the oldest was left so by a caller that never reset it. */
static int cache_slot(store_conn *c)
{
    if (c->ncached < STORE_STMT_CACHE)
        return c->ncached++;
    int victim = -1, oldest = 0;
    for (int i = 0; i < STORE_STMT_CACHE; i++) {
        if (c->cache[i].used < c->cache[oldest].used)
            oldest = i;
        if (!sqlite3_stmt_busy(c->cache[i].stmt.st) &&
            (victim < 0 || c->cache[i].used < c->cache[victim].used))
            victim = i;
    }
    if (victim < 0)
        victim = oldest;
    sqlite3_finalize(c->cache[victim].stmt.st);
    free(c->cache[victim].sql);
    c->cache[victim].sql = NULL;
    /* Removing from open addressing: rebuild the index from the slots that stay. */
    memset(c->index, 0, sizeof c->index);
    for (int i = 0; i < STORE_STMT_CACHE; i++)
        if (i != victim)
            index_put(c, i);
    return victim;
}

int store_prepare_built(store_conn *c, const char *sql, store_stmt **out, struct rerr *err)
{
    CHECK(c && c->magic == STORE_MAGIC);
    uint64_t h = sql_hash(sql);
    for (size_t i = h % STMT_INDEX; c->index[i]; i = (i + 1) % STMT_INDEX) {
        struct cached *e = &c->cache[c->index[i] - 1];
        if (e->hash == h && !strcmp(e->sql, sql)) {
            e->used = ++c->tick;
            sqlite3_reset(e->stmt.st);
            sqlite3_clear_bindings(e->stmt.st);
            *out = &e->stmt;
            return 0;
        }
    }
    /* Prepared through prepare_tracked() so that the statement knows the tables it reads
     * and writes (see "what statements read and write"). */
    store_stmt tracked = {.conn = c, .dynamic = false};
    int rc = prepare_tracked(c, sql, SQLITE_PREPARE_PERSISTENT, &tracked);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(tracked.st);
        return rerr_set(err, R_EINTERNAL, "internal", "", "数据库语句无效：%s", sqlite3_errmsg(c->db));
    }
    int slot = cache_slot(c);
    struct cached *e = &c->cache[slot];
    e->sql = strdup(sql);
    if (!e->sql)
        die("内存不足");
    e->hash = h;
    e->used = ++c->tick;
    e->stmt = tracked;
    index_put(c, slot);
    *out = &e->stmt;
    return 0;
}

store_stmt *store_prepare(store_conn *c, const char *sql)
{
    store_stmt *st;
    struct rerr err;
    if (store_prepare_built(c, sql, &st, &err) < 0)
        die("BUG: SQL does not prepare: %s\n%s", err.message, sql);
    return st;
}

int store_stmt_count(store_conn *c)
{
    int n = 0;
    for (sqlite3_stmt *st = sqlite3_next_stmt(c->db, NULL); st; st = sqlite3_next_stmt(c->db, st))
        n++;
    return n;
}

store_stmt *store_prepare_dynamic(store_conn *c, const char *sql)
{
    store_stmt *s = calloc(1, sizeof *s);
    if (!s)
        die("内存不足");
    *s = (store_stmt){.conn = c, .dynamic = true};
    int rc = prepare_tracked(c, sql, 0, s);
    if (rc != SQLITE_OK)
        die("BUG: SQL does not prepare: %s\n%s", sqlite3_errmsg(c->db), sql);
    return s;
}

void store_finalize(store_stmt *st)
{
    if (!st)
        return;
    if (st->dynamic) {
        sqlite3_finalize(st->st);
        free(st);
    } else {
        sqlite3_reset(st->st);
    }
}

void store_done(store_stmt *st)
{
    if (st->dynamic)
        store_finalize(st);
    else
        sqlite3_reset(st->st);
}

void store_bind_int(store_stmt *st, int idx, int64_t v)
{
    sqlite3_bind_int64(st->st, idx, v);
}

void store_bind_text(store_stmt *st, int idx, const char *v)
{
    if (v)
        sqlite3_bind_text(st->st, idx, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st->st, idx);
}

void store_bind_null(store_stmt *st, int idx)
{
    sqlite3_bind_null(st->st, idx);
}

void store_bind_real(store_stmt *st, int idx, double v)
{
    sqlite3_bind_double(st->st, idx, v);
}

void store_bind_blob(store_stmt *st, int idx, const void *p, size_t n)
{
    sqlite3_bind_blob64(st->st, idx, p, (sqlite3_uint64)n, SQLITE_TRANSIENT);
}

int store_step(store_stmt *st, struct rerr *err)
{
    step_noted(st);
    int rc = sqlite3_step(st->st);
    if (rc == SQLITE_ROW)
        return STORE_ROW;
    if (rc == SQLITE_DONE) {
        /* A write outside a transaction has committed by now, uncounted (see "what
         * statements read and write"). */
        if (!sqlite3_stmt_readonly(st->st) && sqlite3_get_autocommit(st->conn->db)) {
            commit_published(st->conn, false, 0);
        }
        return STORE_DONE;
    }
    struct rerr tmp;
    map_sqlite(st->conn->db, sqlite3_extended_errcode(st->conn->db), err ? err : &tmp);
    sqlite3_reset(st->st);
    return err ? err->rc : tmp.rc;
}

int store_col_count(store_stmt *st)
{
    return sqlite3_column_count(st->st);
}

const char *store_col_name(store_stmt *st, int i)
{
    return sqlite3_column_name(st->st, i);
}

enum store_type store_col_type(store_stmt *st, int i)
{
    switch (sqlite3_column_type(st->st, i)) {
    case SQLITE_INTEGER:
        return STORE_INT;
    case SQLITE_FLOAT:
        return STORE_REAL;
    case SQLITE_NULL:
        return STORE_NULL;
    default:
        return STORE_TEXT;
    }
}

int64_t store_col_int(store_stmt *st, int i)
{
    return sqlite3_column_int64(st->st, i);
}

double store_col_real(store_stmt *st, int i)
{
    return sqlite3_column_double(st->st, i);
}

const char *store_col_text(store_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st->st, i);
    return t ? (const char *)t : "";
}

int64_t store_col_bytes(store_stmt *st, int i)
{
    return sqlite3_column_bytes(st->st, i);
}

const void *store_col_blob(store_stmt *st, int i)
{
    return sqlite3_column_blob(st->st, i);
}

int64_t store_last_id(store_conn *c)
{
    return sqlite3_last_insert_rowid(c->db);
}

int store_changes(store_conn *c)
{
    return sqlite3_changes(c->db);
}

int store_integrity_check(store_conn *c, struct rerr *err)
{
    store_stmt *st = store_prepare(c, "PRAGMA integrity_check(1)"); /* the first problem is enough */
    int rc = store_step(st, err);
    if (rc < 0)
        return rc;
    if (rc == STORE_ROW && !strcmp(store_col_text(st, 0), "ok")) {
        store_done(st);
        return 0;
    }
    rerr_set(err, R_ECONFLICT, "integrity", "", "数据库完整性检查未通过：%s",
             rc == STORE_ROW ? store_col_text(st, 0) : "没有结果");
    store_done(st);
    return R_ECONFLICT;
}

/* Pages copied per sqlite3_backup_step(): only the granularity of progress now that the
 * copy cannot restart (see store_backup). 512 pages of 4 KiB: 2 MiB. */
#define BACKUP_STEP_PAGES 512

static int fsync_path(const char *path, struct rerr *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) < 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return rerr_set(err, R_EINTERNAL, "backup", "", "无法把 %s 写入磁盘：%s", path, strerror(e));
    }
    close(fd);
    return 0;
}

/* The copy's header still says WAL (page 1 came from the source). Switch it to a
 * rollback journal so the backup is one file that opens read-only without leaving a
 * -wal or -shm beside it. */
static int to_rollback_mode(const char *to, struct rerr *err)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(to, &db, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        rerr_set(err, R_EINTERNAL, "backup", "", "备份失败：%s",
                 db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close(db);
    return rc == SQLITE_OK ? 0 : R_EINTERNAL;
}

/*
 * How the copy keeps up with writers. sqlite3_backup_step() starts over whenever another
 * connection changes the source between two steps, because each step opens and closes a
 * read transaction of its own; under steady writes it never finished (the job's own
 * progress updates were such writes). Here the source connection holds one read
 * transaction for the whole copy: in WAL mode that pins one snapshot, which writers do not
 * disturb (they append to the WAL; readers never block them), so every step copies from
 * the same snapshot and nothing restarts. The cost: while the copy runs, checkpoints
 * cannot move past that snapshot, so the WAL grows by what is written meanwhile and is
 * checkpointed afterwards.
 *
 * Measured (bench/backup, docs/benchmarks.md; 76 MB, copy only): this and VACUUM INTO
 * both finish under four writers, this a little faster (medians 0.14 s idle, 0.23 s under
 * writers, against 0.18 s and 0.30 s; fsync included here and not there). Chosen because
 * it copies the pages as they are (VACUUM INTO rebuilds every table and index, which
 * costs CPU on a small machine the writers share and, for the COLLATE zh indexes, needs
 * our collation on the copying connection) and reports progress page by page, which
 * VACUUM INTO cannot. The old way (a read transaction per step) had not finished after
 * 60 s under the same writers (256 of 26,579 pages; progress back 177 times).
 */
int store_backup(store *s, const char *to, store_progress_fn *progress, void *arg, struct rerr *err)
{
    struct stat sb;
    if (stat(to, &sb) == 0) {
        if (!S_ISREG(sb.st_mode) || sb.st_size > 0)
            return rerr_set(err, R_ECONFLICT, "exists", "to", "目标文件 %s 已存在，不会覆盖", to);
    } else if (create_private(to, err) < 0) {
        return err->rc;
    }
    sqlite3 *dst = NULL;
    int rc = sqlite3_open_v2(to, &dst, SQLITE_OPEN_READWRITE, NULL);
    if (rc != SQLITE_OK) {
        rerr_set(err, R_EINVAL, "backup", "to", "无法创建 %s: %s", to, sqlite3_errmsg(dst));
        sqlite3_close(dst);
        return err->rc;
    }
    store_conn *c = store_acquire(s);
    /* BEGIN is deferred: the snapshot is taken by the first read. */
    store_stmt *st = NULL;
    if (store_begin_read(c, err) < 0 ||
        (st = store_prepare(c, "SELECT count(*) FROM sqlite_master"), store_step(st, err) < 0)) {
        store_rollback(c);
        store_release(c);
        sqlite3_close(dst);
        return err->rc;
    }
    store_done(st);
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", c->db, "main");
    if (!b) {
        rerr_set(err, R_EINTERNAL, "backup", "", "备份失败: %s", sqlite3_errmsg(dst));
        store_rollback(c);
        store_release(c);
        sqlite3_close(dst);
        return err->rc;
    }
    int64_t done = 0, total = 0;
    do {
        rc = sqlite3_backup_step(b, BACKUP_STEP_PAGES);
        int64_t t = sqlite3_backup_pagecount(b), d = t - sqlite3_backup_remaining(b);
        /* Fixed by the snapshot; kept monotonic all the same, as the contract says. */
        total = t > total ? t : total;
        done = d > done ? d : done;
        if (progress)
            progress(arg, done, total);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(20);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    store_rollback(c); /* ends the snapshot */
    store_release(c);
    if (rc != SQLITE_DONE) {
        rerr_set(err, R_EINTERNAL, "backup", "", "备份失败: %s", sqlite3_errstr(rc));
        sqlite3_close(dst);
        return err->rc;
    }
    sqlite3_close(dst);
    if (to_rollback_mode(to, err) < 0 || fsync_path(to, err) < 0)
        return err->rc;
    return 0;
}
