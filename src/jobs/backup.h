/*
 * backup: copies of the database that can be trusted, and putting one back.
 *
 * A copy is written under a temporary name beside its final one ("NAME.tmp", created
 * with O_EXCL and flocked by its writer for as long as it is being written), is synced,
 * verified (PRAGMA integrity_check and the audit chain, on the copy itself) and only then
 * renamed to NAME, and the directory is synced. So a file under a final name is always a
 * whole, verified copy; a writer killed half-way leaves only a temporary, which
 * backup_clean_stale() recognises (nobody holds its flock) and removes with whatever
 * SQLite left beside it.
 *
 * The server's backups (the backup job) and `ronghe backup` without --to go to the
 * directory "<db>.backups" as generations "ronghe-YYYYMMDD-HHMMSS-<tag>.db" (China time);
 * after a new one verifies, all but the newest "keep" are removed.
 */
#ifndef RONGHE_BACKUP_H
#define RONGHE_BACKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

#define BACKUP_KEEP_DEFAULT 7
#define BACKUP_KEEP_MAX 1000
#define BACKUP_PATH_MAX 1024

struct backup_result {
    char file[BACKUP_PATH_MAX]; /* the final path */
    char name[256];             /* its last component */
    int64_t bytes;
    int64_t pages;
    int64_t audit_entries; /* entries of the copy's audit chain, all verified */
    int removed;           /* older generations removed (backup_generation only) */
};

/* What a verification found: integrity_check passed and the audit chain is intact. */
struct backup_check {
    int64_t audit_entries;
};

/* Verify the database file "file" without changing it: integrity check, then the audit
 * chain. 0 when both pass; R_ECONFLICT with a Chinese message naming what failed. */
int backup_verify(const char *file, struct backup_check *chk, struct rerr *err);

/* Copy "s" to "file" (which must not exist) through "file".tmp, verify the copy, rename
 * it into place and sync the directory. On failure nothing is left under either name. */
int backup_write(store *s, const char *file, store_progress_fn *progress, void *arg,
                 struct backup_result *out, struct rerr *err);

/* The generations directory of database "db": "<db>.backups" (not created). */
int backup_dir_of(const char *db, char *out, size_t cap, struct rerr *err);

/* A new generation of "s" in its backups directory (created mode 0700 if missing), named
 * with "tag" (a job id, "cli<pid>"); then all but the newest "keep" generations there are
 * removed. */
int backup_generation(store *s, const char *tag, int keep, store_progress_fn *progress, void *arg,
                      struct backup_result *out, struct rerr *err);

/* Whether "name" is the last component of a generation: ronghe-*.db of [A-Za-z0-9._-]
 * only, so no '/' and nothing a header would need quoted. The only names the server will
 * open for a download. */
bool backup_name_valid(const char *name);

/* Remove temporaries in "dir" whose writer is gone, and any -journal, -wal or -shm beside
 * them. Safe while other backups run: a temporary being written is flocked. Returns the
 * number of files removed. */
int backup_clean_stale(const char *dir);

struct restore_report {
    char kept[BACKUP_PATH_MAX]; /* where the replaced database went; "" when there was none */
    bool kept_wal;              /* its -wal went along with it */
    int64_t bytes;
    int64_t audit_entries;
};

/* Put backup "from" in place of database "db": refuses (R_ECONFLICT) while any process
 * has "db" open (store_lock_exclusive); copies "from" to "db".restore.tmp and verifies
 * that copy; moves the current "db" (and its -wal) to "db".before-restore-<time>, drops
 * its -shm; renames the copy into place and syncs the directory. */
int backup_restore(const char *db, const char *from, struct restore_report *rep, struct rerr *err);

#endif
