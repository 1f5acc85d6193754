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
    int64_t anchor_count;  /* the anchor written for the copy (audit_backup_files) */
    int removed;           /* older generations removed (backup_generation only) */
};

/* What a verification found: integrity_check passed and the audit chain is intact. */
struct backup_check {
    int64_t audit_entries;
    int64_t anchors; /* anchors checked against the chain */
    bool keyed;      /* the chain was checked with its key */
};

/* Verify the database file "file" without changing it: integrity check, then the audit
 * chain with key "key_path" and anchors "anchors_path" (NULL: the files beside "file";
 * see audit_verify). 0 when both pass; R_ECONFLICT with a Chinese message naming what
 * failed. */
int backup_verify(const char *file, const char *key_path, const char *anchors_path, struct backup_check *chk,
                  struct rerr *err);

/* Copy "s" (opened with its audit key: audit_open_key) to "file" (which must not exist)
 * through "file".tmp: the audit head is anchored and the key and anchors are copied to
 * "file".audit-key and "file".audit-anchors first (audit_backup_files), the copy is
 * verified against them, renamed into place and the directory synced. On failure nothing
 * is left under any of those names. */
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

/* Remove temporaries in "dir" whose writer is gone, any -journal, -wal or -shm beside
 * them, and the audit key and anchors of copies that never got their name. Safe while
 * other backups run: a temporary being written is flocked. Returns the number of files
 * removed. */
int backup_clean_stale(const char *dir);

struct restore_report {
    char kept[BACKUP_PATH_MAX]; /* where the replaced database went; "" when there was none */
    bool kept_wal;              /* its -wal went along with it */
    int64_t bytes;
    int64_t audit_entries;
};

/* Put backup "from" in place of database "db": refuses (R_ECONFLICT) while any process
 * has "db" open (store_lock_exclusive); copies "from" (and "from".audit-key and
 * .audit-anchors, when there) to "db".restore.tmp and verifies that copy against them;
 * moves the current "db" with its -wal, -journal, audit key and anchors to
 * "db".before-restore-<time>, drops its -shm; renames the copy and its audit files into
 * place and syncs the directory. Then the restore is appended to the restored chain
 * (action "restore": from what, replacing what), and anchored. */
int backup_restore(const char *db, const char *from, struct restore_report *rep, struct rerr *err);

#endif
