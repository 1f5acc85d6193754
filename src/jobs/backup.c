/*
 * backup.c: the write-verify-rename discipline of backup.h, the generations directory
 * and restore. The copying itself is store_backup(); the checks are the store's
 * integrity check and the audit chain's own verifier, run on the copy.
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

#include "auth/audit.h"
#include "base/log.h"

static const char *const sqlite_sidecars[] = {"-journal", "-wal", "-shm"};

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

/* China time (UTC+8) as YYYYMMDD-HHMMSS. */
static void stamp(char out[32])
{
    time_t now = time(NULL) + 8 * 3600;
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 32, "%Y%m%d-%H%M%S", &tm);
}

/* ------------------------------------------------------------------ verification */

int backup_verify(const char *file, struct backup_check *chk, struct rerr *err)
{
    memset(chk, 0, sizeof *chk);
    store *s;
    if (store_open(file, STORE_OPEN_READONLY, &s, err) < 0)
        return err->rc;
    store_conn *c = store_acquire(s);
    int rc = store_integrity_check(c, err);
    struct audit_report rep;
    /* TODO(lead, with the audit helper's keyed chain): verify with the chain's key (the
     * key file beside the source database, not the copy) once audit_verify takes one. */
    if (rc == 0 && (rc = audit_verify(c, &rep, err)) == R_ECONFLICT)
        rerr_set(err, R_ECONFLICT, "audit_broken", "", "审计链校验未通过：%s（此前 %" PRId64 " 条完好）",
                 rep.reason, rep.entries);
    if (rc == 0)
        chk->audit_entries = rep.entries;
    store_release(c);
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
    char tmp[BACKUP_PATH_MAX];
    if (!join(out->file, sizeof out->file, file, "") || !join(tmp, sizeof tmp, file, ".tmp"))
        return too_long(err);
    const char *slash = strrchr(file, '/');
    snprintf(out->name, sizeof out->name, "%s", slash ? slash + 1 : file);
    struct stat sb;
    if (lstat(file, &sb) == 0)
        return rerr_set(err, R_ECONFLICT, "exists", "to", "目标文件 %s 已存在，不会覆盖", file);
    int fd;
    if (temp_create(tmp, &fd, err) < 0)
        return err->rc;
    struct pages p = {.fn = progress, .arg = arg};
    struct backup_check chk;
    int rc = store_backup(s, tmp, count_pages, &p, err);
    if (rc == 0 && (rc = backup_verify(tmp, &chk, err)) < 0)
        wrap(err, "verify_failed", "", "备份校验失败，未保留该副本：");
    /* TODO(lead, with the audit helper): include the audit head in the backup. Here the
     * copy is verified and not yet in place: write the anchor (the head of the copy's
     * chain, chk.audit_entries entries) with the function the audit helper provides, so
     * every backup carries its anchor. */
    if ((rc = temp_finish(tmp, fd, file, rc, err)) < 0)
        return rc;
    stat(file, &sb);
    out->bytes = sb.st_size;
    out->pages = p.total;
    out->audit_entries = chk.audit_entries;
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
        /* what opening the copy (ronghe audit verify, say) may have left beside it */
        unlink_with_sidecars(path);
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
        const char *tmp = strstr(e->d_name, ".db.tmp");
        if (strncmp(e->d_name, "ronghe-", 7) != 0 || !tmp)
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

static bool exists(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0;
}

/* Move database "db" and its -wal and -journal (the committed data it still holds, should
 * its server have been killed) to "kept"; its -shm (only an index of the -wal) goes. */
static int move_aside(const char *db, const char *kept, bool *wal, struct rerr *err)
{
    if (rename(db, kept) < 0)
        return rerr_set(err, R_EINTERNAL, "restore", "", "无法把 %s 改名为 %s：%s", db, kept,
                        strerror(errno));
    *wal = false;
    for (size_t i = 0; i < 2; i++) {
        char from[BACKUP_PATH_MAX + 16], to[BACKUP_PATH_MAX + 16];
        join(from, sizeof from, db, sqlite_sidecars[i]);
        join(to, sizeof to, kept, sqlite_sidecars[i]);
        if (!exists(from))
            continue;
        if (rename(from, to) < 0)
            return rerr_set(err, R_EINTERNAL, "restore", "", "无法把 %s 改名为 %s：%s", from, to,
                            strerror(errno));
        *wal |= i == 1;
    }
    char shm[BACKUP_PATH_MAX + 16];
    join(shm, sizeof shm, db, "-shm");
    unlink(shm);
    return 0;
}

static int restore_locked(const char *db, const char *from, struct restore_report *rep, struct rerr *err)
{
    char tmp[BACKUP_PATH_MAX], kept[BACKUP_PATH_MAX], ts[32];
    if (!join(tmp, sizeof tmp, db, ".restore.tmp") || strlen(db) + 48 >= BACKUP_PATH_MAX)
        return too_long(err);
    struct stat a, b;
    if (stat(from, &a) < 0)
        return rerr_set(err, R_ENOTFOUND, "not_found", "from", "备份文件 %s 不存在", from);
    if (!S_ISREG(a.st_mode))
        return rerr_set(err, R_EINVAL, "invalid_value", "from", "%s 不是普通文件", from);
    if (stat(db, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
        return rerr_set(err, R_EINVAL, "invalid_value", "from", "备份文件与要恢复的数据库是同一个文件");
    /* Ours from a restore that was killed: we hold the database's lock, so no other runs. */
    unlink_with_sidecars(tmp);
    store *src;
    char prefix[BACKUP_PATH_MAX + 64];
    if (store_open(from, STORE_OPEN_READONLY, &src, err) < 0) {
        snprintf(prefix, sizeof prefix, "%s 不是可用的备份：", from);
        return wrap(err, "bad_backup", "from", prefix);
    }
    int fd;
    int rc = temp_create(tmp, &fd, err);
    if (rc == 0) {
        rc = store_backup(src, tmp, NULL, NULL, err);
        store_close(src);
    } else {
        store_close(src);
        return rc;
    }
    struct backup_check chk;
    if (rc == 0 && (rc = backup_verify(tmp, &chk, err)) < 0) {
        snprintf(prefix, sizeof prefix, "备份 %s 校验未通过，未做任何改动：", from);
        wrap(err, "verify_failed", "from", prefix);
    }
    rep->kept[0] = 0;
    if (rc == 0 && exists(db)) {
        stamp(ts);
        snprintf(kept, sizeof kept, "%s.before-restore-%s", db, ts);
        for (int i = 2; exists(kept) && i < 100; i++)
            snprintf(kept, sizeof kept, "%s.before-restore-%s-%d", db, ts, i);
        if ((rc = move_aside(db, kept, &rep->kept_wal, err)) == 0)
            snprintf(rep->kept, sizeof rep->kept, "%s", kept);
    } else if (rc == 0) {
        /* No database, but perhaps what a lost one left: never let it meet the new file. */
        unlink_with_sidecars(db);
    }
    if ((rc = temp_finish(tmp, fd, db, rc, err)) < 0) {
        /* Moved aside but not replaced: put it back. */
        bool wal;
        struct rerr ignored;
        if (rep->kept[0] && !exists(db) && move_aside(rep->kept, db, &wal, &ignored) == 0)
            rep->kept[0] = 0;
        return rc;
    }
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
    int rc = restore_locked(db, from, rep, err);
    store_unlock(lock);
    return rc;
}
