/*
 * store: the one interface to the database. Nothing outside src/store/ includes
 * sqlite3.h; a PostgreSQL backend can sit behind this same header later.
 *
 * A store is a pool of connections to one database. A thread takes a connection with
 * store_acquire() for the length of one unit of work (one request) and gives it back
 * with store_release(). Statements are prepared once per connection and cached; SQL
 * uses '?' placeholders and bound values only.
 *
 * Errors follow base/err.h; store_step() maps constraint failures to R_ECONFLICT
 * ("duplicate", "in_use") or R_EINVAL so callers can answer the user directly.
 */
#ifndef RONGHE_STORE_H
#define RONGHE_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"

typedef struct store store;
typedef struct store_conn store_conn;
typedef struct store_stmt store_stmt;

enum store_open_mode {
    STORE_OPEN_EXISTING, /* the file must exist and hold a ronghe database */
    STORE_CREATE_NEW,    /* the file must not exist; it is created and migrated */
    /* The file must exist and hold a ronghe database no newer than this binary; it is
     * only read (no migration, no lock file): a backup being checked or restored. */
    STORE_OPEN_READONLY
};

enum { STORE_DONE = 0, STORE_ROW = 1 };
enum store_type { STORE_NULL, STORE_INT, STORE_TEXT, STORE_REAL };

/* Open "path". WAL mode, foreign keys on, synchronous=FULL for committed durability.
 * Except read-only, the store holds a shared lock on "path".lock (flock) until
 * store_close(): every process that may write the database holds one, so that a restore
 * (store_lock_exclusive) can tell the database is in use. R_ECONFLICT while a restore
 * holds it. */
int store_open(const char *path, enum store_open_mode mode, store **out, struct rerr *err);
void store_close(store *s);

/* Take "path".lock exclusively without waiting, creating it (mode 0600) if need be:
 * 0 with *lock_fd set when no process has the database open, R_ECONFLICT (a Chinese
 * message naming the file) when one has. store_unlock() releases it. */
int store_lock_exclusive(const char *path, int *lock_fd, struct rerr *err);
void store_unlock(int lock_fd);

/* Open every connection the pool may hold now, so that a server never opens a file
 * while it serves (where running out of descriptors would be fatal). 0 or an error. */
int store_open_pool(store *s, struct rerr *err);

/* A free connection, waiting for one when all are busy. */
store_conn *store_acquire(store *s);
/* The same without waiting: NULL when none is free and no more may be opened (or opening
 * one fails) — for work that can as well go on with the connections it has. */
store_conn *store_try_acquire(store *s);
void store_release(store_conn *c);

/* Transactions. store_begin() takes the write lock at once (BEGIN IMMEDIATE) so that a
 * read-then-write unit never fails half-way on a lock upgrade. */
int store_begin(store_conn *c, struct rerr *err);
int store_begin_read(store_conn *c, struct rerr *err);
int store_commit(store_conn *c, struct rerr *err);
void store_rollback(store_conn *c);

/* Prepare "sql", or take the connection's cached statement for the same text: the
 * cache is keyed by the text itself (a copy is kept), so SQL built at run time is
 * cached as well as a literal. The statement is reset when prepared again;
 * store_done() resets it early. A full cache (STORE_STMT_CACHE texts) finalizes the
 * statement prepared longest ago, passing over running ones (stepped, not reset) while
 * any other can go: a statement stays valid at least until STORE_STMT_CACHE - 1 other
 * texts have been prepared on the connection, and a running one for longer. */
#define STORE_STMT_CACHE 128
/* Every connection's page cache, as PRAGMA cache_size takes it (negative: KiB). A
 * connection that writes a big transaction may raise its own for that while. */
#define STORE_CACHE "-2000"

store_stmt *store_prepare(store_conn *c, const char *sql);
/* The same for SQL assembled at run time from descriptions (the resource engine's): SQL
 * that does not prepare (a column a description misnames) is R_EINTERNAL with SQLite's
 * reason, not the crash store_prepare() makes of it (its SQL is ours, fixed). */
int store_prepare_built(store_conn *c, const char *sql, store_stmt **out, struct rerr *err);
/* Not cached (one-off SQL, tests): store_finalize() or store_done() frees it. */
store_stmt *store_prepare_dynamic(store_conn *c, const char *sql);
void store_finalize(store_stmt *st);
void store_done(store_stmt *st);
/* How many prepared statements the connection holds now (cached and dynamic): for
 * tests, which check that the count stays bounded. */
int store_stmt_count(store_conn *c);

void store_bind_int(store_stmt *st, int idx, int64_t v);
void store_bind_text(store_stmt *st, int idx, const char *v); /* NULL binds NULL */
void store_bind_null(store_stmt *st, int idx);
void store_bind_real(store_stmt *st, int idx, double v);
/* "n" bytes at "p" as a BLOB (copied at once). */
void store_bind_blob(store_stmt *st, int idx, const void *p, size_t n);

/* STORE_ROW, STORE_DONE, or a negative error with "err" filled. */
int store_step(store_stmt *st, struct rerr *err);

int store_col_count(store_stmt *st);
const char *store_col_name(store_stmt *st, int i);
enum store_type store_col_type(store_stmt *st, int i);
int64_t store_col_int(store_stmt *st, int i);
double store_col_real(store_stmt *st, int i);
const char *store_col_text(store_stmt *st, int i); /* valid until the next step */
/* The length in bytes of column "i" as text, called after store_col_text(): what the
 * database holds, so a value with a NUL byte inside is longer than strlen() says. */
int64_t store_col_bytes(store_stmt *st, int i);
/* Column "i" as a BLOB, valid until the next step (NULL when empty or NULL); its length:
 * store_col_bytes() called after it. */
const void *store_col_blob(store_stmt *st, int i);

int64_t store_last_id(store_conn *c);
int store_changes(store_conn *c);

/* Run SQL with no parameters and no result (DDL, pragmas). */
int store_exec(store_conn *c, const char *sql, struct rerr *err);

/* Copy the whole database to "to" while others keep reading and writing: one consistent
 * snapshot (the data as of the moment the copy began), however much is written meanwhile.
 * "to" must not exist, or be an empty file (one the caller created to lock it); the copy
 * is created mode 0600, is one self-contained file (rollback journal mode, no -wal) and
 * is on disk (fsync) when this returns 0; its directory entry is the caller's to sync.
 * "progress" (may be NULL) is called after each step with pages done and pages in all;
 * both only grow. On failure "to" is left for the caller to remove. */
typedef void store_progress_fn(void *arg, int64_t done, int64_t total);
int store_backup(store *s, const char *to, store_progress_fn *progress, void *arg, struct rerr *err);

/* PRAGMA integrity_check: 0 when the database is sound; R_ECONFLICT with the first
 * problem SQLite names in the message otherwise. */
int store_integrity_check(store_conn *c, struct rerr *err);

/* A number that changes whenever the data may have changed: at once after every commit
 * made through this store, and within STORE_EXTERNAL_MS after a commit by another
 * process (the command line, say). Take it before reading: a result computed from reads
 * that followed the call stays current while the number stays the same, so a cache keyed
 * on it serves nothing this process wrote over, and nothing older than STORE_EXTERNAL_MS
 * of another process's writes. Cheap: it looks at the database at most every
 * STORE_EXTERNAL_MS. */
#define STORE_EXTERNAL_MS 50
uint64_t store_generation(store *s);

/* ---- What an answer read, what a commit wrote: for caches finer than one generation.
 *
 * A set of the database's tables (those in it when the store was opened; tables the
 * store cannot name share one member, so are never missed). The store learns what each
 * statement reads and writes when it is prepared, and what rows each commit changed while
 * it runs; callers only combine sets and pass them back. Use: take store_generation()
 * before reading, read, and keep (generation, store_reads()); the answer is current while
 * store_unchanged() says so. A commit here counts at once for the tables it wrote; a
 * commit by another process counts, within STORE_EXTERNAL_MS, as a change of every
 * table. */
typedef uint64_t store_tables;
#define STORE_TABLES_ALL UINT64_MAX

/* Forget the tables read on "c" so far (store_acquire() does this too). */
void store_reads_start(store_conn *c);
/* The tables read by the statements stepped on "c" since store_reads_start(). */
store_tables store_reads(store_conn *c);
/* True when none of "tables" has changed since generation "gen" (store_generation()
 * taken before the reads). Never blocks nor touches the database. */
bool store_unchanged(store *s, store_tables tables, uint64_t gen);
/* A number that moves whenever one of "tables" changes (a generation of that set alone:
 * equal numbers mean no change between). Never blocks. */
uint64_t store_tables_generation(store *s, store_tables tables);
/* The set of the tables named in "names" (separated by spaces). A name the database does
 * not have is our bug (CHECK). */
store_tables store_tables_named(store *s, const char *names);

/* The database file's path, as given to store_open(). */
const char *store_path(const store *s);

/* One pointer a layer above keeps with a store (the audit module keeps its key and
 * anchoring state there). Set it before the store is shared between threads; its owner
 * frees it before store_close(). */
void store_set_ext(store *s, void *ext);
void *store_ext(const store *s);
/* The store a connection belongs to. */
store *store_conn_owner(store_conn *c);

/* Schema version this binary expects and writes. */
int store_schema_version(void);

/* ---- Named operations (store_queries.c): statements the layers above need whose SQL
 * differs between databases, so that the dialect stays in the store. */

/* Set meta "key" to "value", inserting the row or replacing its value. */
int store_meta_put(store_conn *c, const char *key, const char *value, struct rerr *err);

/* The dialect's spelling of what the SQL the resource engine builds needs (its lists).
 * Each result is in "a".
 *   store_sql_contains:   a condition: column "col" contains the one bound text (substring)
 *   store_sql_text_order: an ORDER BY term: "col" in pinyin order (the order of names)
 *   store_sql_page:       the paging clause: two bound values, the count, then the skip */
char *store_sql_contains(arena *a, const char *col);
/* SQL functions every store provides, so that SQL above the store never spells date
 * arithmetic in a dialect. Dates are YYYY-MM-DD text; "today" is Beijing's (UTC+8), so an
 * answer using them holds until midnight there.
 *   ronghe_today()             today
 *   ronghe_years_since(date)   whole years from "date" to today (an age); NULL for NULL
 *   ronghe_years_ago(n)        the date n years before today (28 February for 29th) */
char *store_sql_text_order(arena *a, const char *col);
const char *store_sql_page(void);

#endif
