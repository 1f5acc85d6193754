/*
 * backup.c: the write-verify-rename discipline of backup.h, the generations directory
 * and restore. The copying itself is store_backup(); the checks are the store's
 * integrity check and the audit chain's own verifier, run on the copy with the key and
 * anchors that travel with it (audit_backup_files: FILE.audit-key, FILE.audit-anchors).
 */
#include "jobs/backup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "auth/actor.h"
#include "auth/audit.h"
#include "base/log.h"

static const char *const sqlite_sidecars[] = {"-journal", "-wal", "-shm"};
/* What travels with a database file: its audit key and anchors (auth/audit.h). */
static const char *const audit_files[] = {".audit-key", ".audit-anchors"};

/* "a" then "b" into out[cap]; false when it does not fit. */
static bool join(char *out, size_t cap, const char *a, const char *b)
{
    int n = snprintf(out, cap, "%s%s", a, b);
    return n >= 0 && (size_t)n < cap;
}

static int too_long(struct rerr *err)
{
    return rerr_set(err, R_EINVAL, "path_too_long", "", "文件路径过长（上限 %d 字节）", BACKUP_PATH_MAX - 64);
}

/* Put "prefix" before the message "err" already holds (a new code and field). */
static int wrap(struct rerr *err, const char *code, const char *field, const char *prefix)
{
    char was[sizeof err->message];
    snprintf(was, sizeof was, "%s", err->message);
    return rerr_set(err, err->rc, code, field, "%s%s", prefix, was);
}

/* The directory part of "path" ("." when there is none). */
static void dir_of(const char *path, char *out, size_t cap)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(out, cap, ".");
    else if (slash == path)
        snprintf(out, cap, "/");
    else
        snprintf(out, cap, "%.*s", (int)(slash - path), path);
}

static int fsync_dir(const char *path, struct rerr *err)
{
    char dir[BACKUP_PATH_MAX];
    dir_of(path, dir, sizeof dir);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) < 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return rerr_set(err, R_EINTERNAL, "backup", "", "无法同步目录 %s：%s", dir, strerror(e));
    }
    close(fd);
    return 0;
}

/* Remove "path" and what SQLite may have left beside it. */
static void unlink_with_sidecars(const char *path)
{
    unlink(path);
    for (size_t i = 0; i < sizeof sqlite_sidecars / sizeof *sqlite_sidecars; i++) {
        char f[BACKUP_PATH_MAX + 16];
        if (join(f, sizeof f, path, sqlite_sidecars[i]))
            unlink(f);
    }
}

static bool exists(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0;
}

/* China time (UTC+8) as YYYYMMDD-HHMMSS. */
static void stamp(char out[32])
{
    time_t now = time(NULL) + 8 * 3600;
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 32, "%Y%m%d-%H%M%S", &tm);
}

/* ------------------------------------------------------------------ verification */

int backup_verify(const char *file, const char *key_path, const char *anchors_path, struct backup_check *chk,
                  struct rerr *err)
{
    memset(chk, 0, sizeof *chk);
    store *s;
    if (store_open(file, STORE_OPEN_READONLY, &s, err) < 0)
        return err->rc;
    store_conn *c = store_acquire(s);
    int rc = store_integrity_check(c, err);
    store_release(c);
    struct audit_report rep;
    if (rc == 0 && (rc = audit_verify(s, key_path, anchors_path, &rep, err)) == R_ECONFLICT)
        rerr_set(err, R_ECONFLICT, "audit_broken", "", "审计链校验未通过：%s（此前 %" PRId64 " 条完好）",
                 rep.reason, rep.entries);
    if (rc == 0) {
        chk->audit_entries = rep.entries;
        chk->keyed = rep.keyed;
        chk->anchors = rep.anchors;
    }
    store_close(s);
    return rc;
}

/* ------------------------------------------------------------------ writing a copy */

/* Create "tmp" (must not exist) and flock it: the mark of a temporary being written.
 * backup_clean_stale() unlinks a temporary only while holding its flock, so once ours is
 * taken and the name still leads to our file, nobody removes it under us. */
static int temp_create(const char *tmp, int *fd, struct rerr *err)
{
    *fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (*fd < 0) {
        int e = errno;
        if (e == EEXIST)
            return rerr_set(err, R_ECONFLICT, "backup", "to", "临时文件 %s 已存在（另一个备份正在写入？）",
                            tmp);
        return rerr_set(err, R_EINVAL, "backup", "to", "无法创建 %s：%s", tmp, strerror(e));
    }
    struct stat mine, named;
    if (flock(*fd, LOCK_EX | LOCK_NB) < 0 || fstat(*fd, &mine) < 0 || stat(tmp, &named) < 0 ||
        mine.st_ino != named.st_ino || mine.st_dev != named.st_dev) {
        close(*fd);
        return rerr_set(err, R_ECONFLICT, "backup", "", "临时文件 %s 被另一进程清理，请重试", tmp);
    }
    return 0;
}

/* The end of every temporary: when "rc" is 0, rename it to "final" and sync the
 * directory; when that or anything before failed, remove it. Its flock goes either way. */
static int temp_finish(const char *tmp, int fd, const char *final, int rc, struct rerr *err)
{
    if (rc == 0 && rename(tmp, final) < 0)
        rc = rerr_set(err, R_EINTERNAL, "rename", "", "无法把 %s 改名为 %s：%s", tmp, final, strerror(errno));
    if (rc == 0)
        rc = fsync_dir(final, err);
    if (rc < 0)
        unlink_with_sidecars(tmp);
    close(fd);
    return rc;
}

struct pages {
    store_progress_fn *fn;
    void *arg;
    int64_t total;
};

static void count_pages(void *arg, int64_t done, int64_t total)
{
    struct pages *p = arg;
    p->total = total;
    if (p->fn)
        p->fn(p->arg, done, total);
}

int backup_write(store *s, const char *file, store_progress_fn *progress, void *arg,
                 struct backup_result *out, struct rerr *err)
{
    memset(out, 0, sizeof *out);
    char tmp[BACKUP_PATH_MAX], key[BACKUP_PATH_MAX + 16], anchors[BACKUP_PATH_MAX + 16];
    if (!join(out->file, sizeof out->file, file, "") || !join(tmp, sizeof tmp, file, ".tmp") ||
        !join(key, sizeof key, file, audit_files[0]) || !join(anchors, sizeof anchors, file, audit_files[1]))
        return too_long(err);
    const char *slash = strrchr(file, '/');
    snprintf(out->name, sizeof out->name, "%s", slash ? slash + 1 : file);
    struct stat sb;
    if (lstat(file, &sb) == 0)
        return rerr_set(err, R_ECONFLICT, "exists", "to", "目标文件 %s 已存在，不会覆盖", file);
    int fd;
    if (temp_create(tmp, &fd, err) < 0)
        return err->rc;
    /* The audit head is anchored and the key and anchors are copied beside the final name
     * before the copy begins, so that no anchor the copy carries is newer than its chain;
     * the copy is then verified against them. Until the rename they belong to the
     * temporary (backup_clean_stale() sees it locked); on failure they go with it. */
    struct audit_anchor_info anchor = {0};
    struct pages p = {.fn = progress, .arg = arg};
    struct backup_check chk;
    int rc = audit_backup_files(s, file, &anchor, err);
    bool files = rc == 0;
    if (rc == 0)
        rc = store_backup(s, tmp, count_pages, &p, err);
    if (rc == 0 && (rc = backup_verify(tmp, key, anchors, &chk, err)) < 0)
        wrap(err, "verify_failed", "", "备份校验失败，未保留该副本：");
    if ((rc = temp_finish(tmp, fd, file, rc, err)) < 0) {
        if (files)
            audit_remove_files(file);
        return rc;
    }
    stat(file, &sb);
    out->bytes = sb.st_size;
    out->pages = p.total;
    out->audit_entries = chk.audit_entries;
    out->anchor_count = anchor.count;
    return 0;
}

/* ------------------------------------------------------------------ generations */

int backup_dir_of(const char *db, char *out, size_t cap, struct rerr *err)
{
    if (!join(out, cap, db, ".backups") || strlen(out) + 64 >= BACKUP_PATH_MAX)
        return too_long(err);
    return 0;
}

bool backup_name_valid(const char *name)
{
    size_t n = strlen(name);
    if (n <= 10 || n >= 200 || strncmp(name, "ronghe-", 7) != 0 || strcmp(name + n - 3, ".db") != 0)
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
              *p == '_' || *p == '.'))
            return false;
    return true;
}

struct gen {
    char name[256];
    struct timespec mtime;
};

static int gen_newest_first(const void *pa, const void *pb)
{
    const struct gen *a = pa, *b = pb;
    if (a->mtime.tv_sec != b->mtime.tv_sec)
        return a->mtime.tv_sec < b->mtime.tv_sec ? 1 : -1;
    if (a->mtime.tv_nsec != b->mtime.tv_nsec)
        return a->mtime.tv_nsec < b->mtime.tv_nsec ? 1 : -1;
    return -strcmp(a->name, b->name);
}

/* Remove all but the newest "keep" generations in "dir"; "current" is never removed.
 * Returns how many were removed. */
static int prune(const char *dir, int keep, const char *current)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct gen *g = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        char path[BACKUP_PATH_MAX + 256];
        struct stat sb;
        if (!backup_name_valid(e->d_name) ||
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path ||
            lstat(path, &sb) < 0 || !S_ISREG(sb.st_mode))
            continue;
        if (n == cap && !(g = realloc(g, (cap = cap ? cap * 2 : 16) * sizeof *g)))
            die("内存不足");
        snprintf(g[n].name, sizeof g[n].name, "%s", e->d_name);
        g[n++].mtime = sb.st_mtim;
    }
    closedir(d);
    qsort(g, n, sizeof *g, gen_newest_first);
    int removed = 0, kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(g[i].name, current) || kept < keep - 1) {
            kept += strcmp(g[i].name, current) != 0;
            continue;
        }
        char path[BACKUP_PATH_MAX + 256], lock[BACKUP_PATH_MAX + 264];
        snprintf(path, sizeof path, "%s/%s", dir, g[i].name);
        if (unlink(path) == 0) {
            removed++;
            log_info("备份：按保留 %d 份的设置删除旧备份 %s", keep, path);
        }
        /* its key and anchors, and what opening it (ronghe audit verify, say) left */
        unlink_with_sidecars(path);
        audit_remove_files(path);
        if (join(lock, sizeof lock, path, ".lock"))
            unlink(lock);
    }
    free(g);
    return removed;
}

int backup_generation(store *s, const char *tag, int keep, store_progress_fn *progress, void *arg,
                      struct backup_result *out, struct rerr *err)
{
    char dir[BACKUP_PATH_MAX], ts[32], file[BACKUP_PATH_MAX + 64];
    if (keep < 1 || keep > BACKUP_KEEP_MAX)
        return rerr_set(err, R_EINVAL, "invalid_value", "keep", "保留份数应为 1 到 %d", BACKUP_KEEP_MAX);
    if (backup_dir_of(store_path(s), dir, sizeof dir, err) < 0)
        return err->rc;
    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        return rerr_set(err, R_EINTERNAL, "backup", "", "无法创建备份目录 %s：%s", dir, strerror(errno));
    backup_clean_stale(dir);
    stamp(ts);
    snprintf(file, sizeof file, "%s/ronghe-%s-%s.db", dir, ts, tag);
    if (backup_write(s, file, progress, arg, out, err) < 0)
        return err->rc;
    out->removed = prune(dir, keep, out->name);
    return 0;
}

/* ------------------------------------------------------------------ stale temporaries */

/* Unlink "path" (a temporary, or a sidecar of temporary "base") when "base" has no
 * writer: it is gone, or nobody holds its flock. The flock is held while unlinking, so a
 * writer never loses a temporary it has locked (see temp_create). */
static bool remove_if_abandoned(const char *base, const char *path)
{
    int fd = open(base, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return errno == ENOENT && unlink(path) == 0;
    bool removed = flock(fd, LOCK_EX | LOCK_NB) == 0 && unlink(path) == 0;
    close(fd);
    return removed;
}

int backup_clean_stale(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int removed = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, "ronghe-", 7) != 0)
            continue;
        /* The key and anchors of a copy that never got its name: gone with its temporary. */
        const char *db_end = strstr(e->d_name, ".db.audit-");
        if (db_end && (!strcmp(db_end + 3, audit_files[0]) || !strcmp(db_end + 3, audit_files[1]))) {
            char path[BACKUP_PATH_MAX + 256], final[BACKUP_PATH_MAX + 256], tmpname[BACKUP_PATH_MAX + 260];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            snprintf(final, sizeof final, "%s/%.*s", dir, (int)(db_end + 3 - e->d_name), e->d_name);
            snprintf(tmpname, sizeof tmpname, "%s.tmp", final);
            if (!exists(final) && remove_if_abandoned(tmpname, path)) {
                removed++;
                log_info("备份：删除未完成的备份留下的 %s", path);
            }
            continue;
        }
        const char *tmp = strstr(e->d_name, ".db.tmp");
        if (!tmp)
            continue;
        const char *rest = tmp + strlen(".db.tmp");
        bool sidecar = false;
        for (size_t i = 0; i < sizeof sqlite_sidecars / sizeof *sqlite_sidecars; i++)
            sidecar |= !strcmp(rest, sqlite_sidecars[i]);
        if (*rest && !sidecar)
            continue;
        char path[BACKUP_PATH_MAX + 256], base[BACKUP_PATH_MAX + 256];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        snprintf(base, sizeof base, "%s/%.*s", dir, (int)(rest - e->d_name), e->d_name);
        /* A sidecar goes with its temporary; one whose temporary is gone goes too. */
        if (remove_if_abandoned(base, path)) {
            removed++;
            log_info("备份：删除未完成的临时文件 %s", path);
        }
    }
    closedir(d);
    return removed;
}

/* ------------------------------------------------------------------ restore */

/* Everything that makes up database "db" besides the file: its committed but not yet
 * checkpointed data (-wal, -journal) and its audit key and anchors. Its -shm is only an
 * index of the -wal and is never moved, only removed. */
static const char *const parts[] = {"-wal", "-journal", ".audit-key", ".audit-anchors"};

/* Rename "db" and each of its parts that exists to "to" (+ the same suffix); drop its
 * -shm. "*wal" says whether a -wal with anything in it went along. */
static int move_db(const char *db, const char *to, bool *wal, struct rerr *err)
{
    if (rename(db, to) < 0)
        return rerr_set(err, R_EINTERNAL, "restore", "", "无法把 %s 改名为 %s：%s", db, to, strerror(errno));
    *wal = false;
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        char a[BACKUP_PATH_MAX + 16], b[BACKUP_PATH_MAX + 16];
        join(a, sizeof a, db, parts[i]);
        join(b, sizeof b, to, parts[i]);
        struct stat sb;
        if (lstat(a, &sb) < 0)
            continue;
        if (rename(a, b) < 0)
            return rerr_set(err, R_EINTERNAL, "restore", "", "无法把 %s 改名为 %s：%s", a, b,
                            strerror(errno));
        *wal |= i == 0 && sb.st_size > 0;
    }
    char shm[BACKUP_PATH_MAX + 16];
    join(shm, sizeof shm, db, "-shm");
    unlink(shm);
    return 0;
}

/* Copy file "from" to the new file "to" (mode 0600), synced. */
static int copy_file(const char *from, const char *to, struct rerr *err)
{
    int in = open(from, O_RDONLY | O_CLOEXEC), out = -1;
    int rc = 0;
    if (in < 0 || (out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0)
        rc = rerr_set(err, R_EINTERNAL, "copy", "", "无法把 %s 复制到 %s：%s", from, to, strerror(errno));
    char buf[65536];
    ssize_t n = 0;
    while (rc == 0 && (n = read(in, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 || write(out, buf, (size_t)n) != n)
            rc = rerr_set(err, R_EINTERNAL, "copy", "", "无法把 %s 复制到 %s：%s", from, to, strerror(errno));
    }
    if (rc == 0 && fsync(out) < 0)
        rc = rerr_set(err, R_EINTERNAL, "copy", "", "无法把 %s 写入磁盘：%s", to, strerror(errno));
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    if (rc < 0 && out >= 0)
        unlink(to);
    return rc;
}

/* What the database being replaced held, for the restore's audit entry. */
struct replaced {
    bool read;
    int64_t entries;
    char head[160];
};

static void read_replaced(const char *db, struct replaced *r)
{
    memset(r, 0, sizeof *r);
    store *s;
    struct rerr ignored;
    if (!exists(db) || store_open(db, STORE_OPEN_READONLY, &s, &ignored) < 0)
        return;
    store_conn *c = store_acquire(s);
    store_stmt *st = store_prepare(c, "SELECT (SELECT count(*) FROM audit),"
                                      " (SELECT value FROM meta WHERE key = 'audit_head')");
    if (store_step(st, &ignored) == STORE_ROW) {
        r->read = true;
        r->entries = store_col_int(st, 0);
        snprintf(r->head, sizeof r->head, "%s", store_col_text(st, 1));
    }
    store_done(st);
    store_release(c);
    store_close(s);
}

/* The restore, on the record of the restored database's own chain: what it came from and
 * what it replaced (whose chain stays beside the kept file). Opened like any writer. */
static int record_restore(const char *db, const char *from, const struct replaced *old,
                          const struct restore_report *rep, struct rerr *err)
{
    store *s;
    if (store_open(db, STORE_OPEN_EXISTING, &s, err) < 0)
        return err->rc;
    int rc = audit_open_key(s, err);
    if (rc == 0) {
        struct actor who;
        actor_system(&who);
        const char *slash = strrchr(from, '/'), *kslash = strrchr(rep->kept, '/');
        json_t *after = json_pack("{s:s, s:I}", "from", slash ? slash + 1 : from, "entries",
                                  (json_int_t)rep->audit_entries);
        json_t *before = rep->kept[0] ? json_pack("{s:s}", "kept", kslash ? kslash + 1 : rep->kept) : NULL;
        if (before && old->read) {
            json_object_set_new(before, "entries", json_integer(old->entries));
            json_object_set_new(before, "head", json_string(old->head));
        }
        store_conn *c = store_acquire(s);
        if ((rc = store_begin(c, err)) == 0 &&
            (rc = audit_append(c, &who, "restore", "database", 0, 0, before, after, err)) == 0)
            rc = store_commit(c, err);
        else
            store_rollback(c);
        store_release(c);
        json_decref(before);
        json_decref(after);
    }
    audit_close(s); /* anchors the new head */
    store_close(s);
    return rc;
}

static int restore_locked(const char *db, const char *from, struct restore_report *rep, struct replaced *old,
                          struct rerr *err)
{
    char tmp[BACKUP_PATH_MAX], kept[BACKUP_PATH_MAX], ts[32];
    char key_from[BACKUP_PATH_MAX + 16], anchors_from[BACKUP_PATH_MAX + 16];
    char key_tmp[BACKUP_PATH_MAX + 32], anchors_tmp[BACKUP_PATH_MAX + 32];
    if (!join(tmp, sizeof tmp, db, ".restore.tmp") || strlen(db) + 48 >= BACKUP_PATH_MAX ||
        !join(key_from, sizeof key_from, from, audit_files[0]) ||
        !join(anchors_from, sizeof anchors_from, from, audit_files[1]))
        return too_long(err);
    snprintf(key_tmp, sizeof key_tmp, "%s.audit-key", tmp);
    snprintf(anchors_tmp, sizeof anchors_tmp, "%s.audit-anchors", tmp);
    struct stat a, b;
    if (stat(from, &a) < 0)
        return rerr_set(err, R_ENOTFOUND, "not_found", "from", "备份文件 %s 不存在", from);
    if (!S_ISREG(a.st_mode))
        return rerr_set(err, R_EINVAL, "invalid_value", "from", "%s 不是普通文件", from);
    if (stat(db, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
        return rerr_set(err, R_EINVAL, "invalid_value", "from", "备份文件与要恢复的数据库是同一个文件");
    /* Ours from a restore that was killed: we hold the database's lock, so no other runs. */
    unlink_with_sidecars(tmp);
    audit_remove_files(tmp);
    store *src;
    char prefix[BACKUP_PATH_MAX + 64];
    if (store_open(from, STORE_OPEN_READONLY, &src, err) < 0) {
        snprintf(prefix, sizeof prefix, "%s 不是可用的备份：", from);
        return wrap(err, "bad_backup", "from", prefix);
    }
    int fd;
    int rc = temp_create(tmp, &fd, err);
    if (rc < 0) {
        store_close(src);
        return rc;
    }
    rc = store_backup(src, tmp, NULL, NULL, err);
    store_close(src);
    /* The key and anchors that came with the backup (none: an unkeyed chain, which
     * verification accepts only if no entry needs a key). */
    bool keyed = exists(key_from);
    if (rc == 0 && keyed && (rc = copy_file(key_from, key_tmp, err)) == 0 && exists(anchors_from))
        rc = copy_file(anchors_from, anchors_tmp, err);
    struct backup_check chk;
    if (rc == 0 && (rc = backup_verify(tmp, keyed ? key_tmp : NULL, exists(anchors_tmp) ? anchors_tmp : NULL,
                                       &chk, err)) < 0) {
        snprintf(prefix, sizeof prefix, "备份 %s 校验未通过，未做任何改动：", from);
        wrap(err, "verify_failed", "from", prefix);
    }
    rep->kept[0] = 0;
    if (rc == 0)
        read_replaced(db, old);
    if (rc == 0 && exists(db)) {
        stamp(ts);
        snprintf(kept, sizeof kept, "%s.before-restore-%s", db, ts);
        for (int i = 2; exists(kept) && i < 100; i++)
            snprintf(kept, sizeof kept, "%s.before-restore-%s-%d", db, ts, i);
        if ((rc = move_db(db, kept, &rep->kept_wal, err)) == 0)
            snprintf(rep->kept, sizeof rep->kept, "%s", kept);
    } else if (rc == 0) {
        /* No database, but perhaps what a lost one left: never let it meet the new file. */
        unlink_with_sidecars(db);
        audit_remove_files(db);
    }
    /* The database first, then its key and anchors: nobody opens it in between (we hold
     * its lock), and should the first rename fail, the old one goes back. */
    char key_db[BACKUP_PATH_MAX + 16], anchors_db[BACKUP_PATH_MAX + 16];
    join(key_db, sizeof key_db, db, audit_files[0]);
    join(anchors_db, sizeof anchors_db, db, audit_files[1]);
    if ((rc = temp_finish(tmp, fd, db, rc, err)) < 0) {
        bool wal;
        struct rerr ignored;
        if (rep->kept[0] && !exists(db) && move_db(rep->kept, db, &wal, &ignored) == 0)
            rep->kept[0] = 0;
        audit_remove_files(tmp);
        return rc;
    }
    if ((exists(key_tmp) && rename(key_tmp, key_db) < 0) ||
        (exists(anchors_tmp) && rename(anchors_tmp, anchors_db) < 0))
        return rerr_set(err, R_EINTERNAL, "restore", "",
                        "数据库已恢复，但无法把审计密钥或锚点放到 %s 旁：%s（它们在 %s.audit-*）", db,
                        strerror(errno), tmp);
    if ((rc = fsync_dir(db, err)) < 0)
        return rc;
    stat(db, &b);
    rep->bytes = b.st_size;
    rep->audit_entries = chk.audit_entries;
    return 0;
}

int backup_restore(const char *db, const char *from, struct restore_report *rep, struct rerr *err)
{
    memset(rep, 0, sizeof *rep);
    int lock;
    if (store_lock_exclusive(db, &lock, err) < 0)
        return err->rc;
    struct replaced old;
    int rc = restore_locked(db, from, rep, &old, err);
    store_unlock(lock);
    if (rc == 0 && (rc = record_restore(db, from, &old, rep, err)) < 0)
        wrap(err, "not_recorded", "", "数据库已恢复，但未能在审计链中记下这次恢复：");
    return rc;
}
