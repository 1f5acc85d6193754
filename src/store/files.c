/* files: content-addressed storage of attachments beside the database (see files.h). */
#include "store/files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "base/log.h"

#define FILES_MAX_LIMIT ((int64_t)1 << 30)

/* Room is left after the root for "/ab/<62 hex>", "/tmp/upload-XXXXXX" and a sweep's names. */
#define ROOT_MAX (FILES_PATH_MAX - 512)
static char root[ROOT_MAX];
static int64_t max_bytes = FILES_MAX_DEFAULT;

struct files_tmp {
    int fd;
    int64_t size;
    crypto_hash_sha256_state sha;
    char path[FILES_PATH_MAX];
};

/* fsync the directory "path": a rename or a new entry in it is durable afterwards. */
static int sync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* mkdir "path" (0700) unless it is a directory already; a new one is synced into its
 * parent "parent". */
static int ensure_dir(const char *path, const char *parent)
{
    if (mkdir(path, 0700) == 0)
        return parent ? sync_dir(parent) : 0;
    struct stat sb;
    return errno == EEXIST && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode) ? 0 : -1;
}

int files_configure(const char *db_path, int64_t max, struct rerr *err)
{
    if (max < 1 || max > FILES_MAX_LIMIT)
        return rerr_set(err, R_EINVAL, "bad_limit", "attachment-max", "附件大小上限应在 1 字节到 1 GiB 之间");
    char dir[ROOT_MAX], tmp[ROOT_MAX + 8];
    int n = snprintf(dir, sizeof dir, "%s.files", db_path);
    if (n < 0 || (size_t)n >= sizeof dir)
        return rerr_set(err, R_EINVAL, "bad_path", "db", "数据库路径过长：%s", db_path);
    snprintf(tmp, sizeof tmp, "%s/tmp", dir);
    if (sodium_init() < 0 || ensure_dir(dir, NULL) < 0 || ensure_dir(tmp, dir) < 0)
        return rerr_set(err, R_EINTERNAL, "files_dir", "", "无法创建附件目录 %s：%s", dir, strerror(errno));
    memcpy(root, dir, (size_t)n + 1);
    max_bytes = max;
    return 0;
}

const char *files_root(void)
{
    return root[0] ? root : NULL;
}

int64_t files_max_bytes(void)
{
    return max_bytes;
}

bool files_hex_valid(const char *hex)
{
    if (!hex || strlen(hex) != FILES_HEX_LEN)
        return false;
    for (const char *p = hex; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return true;
}

int files_path(const char *r, const char *hex, char *out, size_t cap)
{
    if (!r || !files_hex_valid(hex))
        return -1;
    int n = snprintf(out, cap, "%s/%.2s/%s", r, hex, hex + 2);
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

/* ---------------------------------------------------------------- uploads */

files_tmp *files_tmp_open(struct rerr *err)
{
    if (!root[0]) {
        rerr_set(err, R_EBUSY, "no_storage", "", "服务器未配置附件存储");
        return NULL;
    }
    files_tmp *t = calloc(1, sizeof *t);
    if (!t)
        die("内存不足 (上传)");
    snprintf(t->path, sizeof t->path, "%s/tmp/upload-XXXXXX", root);
    t->fd = mkostemp(t->path, O_CLOEXEC);
    if (t->fd < 0) {
        log_warn("无法创建上传临时文件 %s：%s", t->path, strerror(errno));
        free(t);
        rerr_set(err, R_EBUSY, "no_storage", "", "服务器暂时无法保存上传的文件，请稍后重试");
        return NULL;
    }
    crypto_hash_sha256_init(&t->sha);
    return t;
}

int files_tmp_write(files_tmp *t, const void *p, size_t n)
{
    const char *c = p;
    for (size_t done = 0; done < n;) {
        ssize_t w = write(t->fd, c + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        done += (size_t)w;
    }
    crypto_hash_sha256_update(&t->sha, p, n);
    t->size += (int64_t)n;
    return 0;
}

int64_t files_tmp_size(const files_tmp *t)
{
    return t->size;
}

int files_tmp_fd(const files_tmp *t)
{
    return t->fd;
}

void files_tmp_abort(files_tmp *t)
{
    if (!t)
        return;
    close(t->fd);
    unlink(t->path);
    free(t);
}

/* The end of an upload kept (rc 0) or not (rc -1, errno saying why: logged with "dest",
 * where it was to go): its temporary file removed unless moved, "t" freed. */
static int tmp_end(files_tmp *t, int rc, const char *dest, struct rerr *err)
{
    if (rc != 0)
        log_warn("无法保存上传的文件 %s：%s", dest, strerror(errno));
    close(t->fd);
    if (t->path[0])
        unlink(t->path);
    free(t);
    return rc == 0 ? 0
                   : rerr_set(err, R_EBUSY, "no_storage", "",
                              "服务器无法保存文件（磁盘已满或不可写），请稍后重试");
}

int files_tmp_commit(files_tmp *t, char hex[FILES_HEX_LEN + 1], struct rerr *err)
{
    unsigned char sum[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&t->sha, sum);
    sodium_bin2hex(hex, FILES_HEX_LEN + 1, sum, sizeof sum);
    char dir[FILES_PATH_MAX], path[FILES_PATH_MAX];
    snprintf(dir, sizeof dir, "%s/%.2s", root, hex);
    files_path(root, hex, path, sizeof path);
    int rc = 0;
    struct stat sb;
    if (fsync(t->fd) != 0 || ensure_dir(dir, root) != 0) {
        rc = -1;
    } else if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size == t->size) {
        /* The same content is there already: keep it, and make it young again so that a
         * sweep running now does not take it from the row about to name it. */
        rc = utimensat(AT_FDCWD, path, NULL, 0);
    } else if (rename(t->path, path) != 0 || sync_dir(dir) != 0) {
        rc = -1;
    } else {
        t->path[0] = 0; /* moved: nothing to remove */
    }
    return tmp_end(t, rc, path, err);
}

int files_tmp_sync(files_tmp *t)
{
    return fsync(t->fd) == 0 ? 0 : -1;
}

int files_tmp_keep(files_tmp *t, const char *dest, struct rerr *err)
{
    char dir[FILES_PATH_MAX];
    snprintf(dir, sizeof dir, "%s", dest);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = 0;
    int rc = fsync(t->fd) == 0 && rename(t->path, dest) == 0 && (!slash || sync_dir(dir) == 0) ? 0 : -1;
    if (rc == 0)
        t->path[0] = 0; /* moved: nothing to remove */
    return tmp_end(t, rc, dest, err);
}

/* ---------------------------------------------------------------- reading, removing */

int files_open_read(const char *hex, int *fd, int64_t *size, struct rerr *err)
{
    char path[FILES_PATH_MAX];
    struct stat sb;
    int f = files_path(files_root(), hex, path, sizeof path) == 0
                ? open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
                : -1;
    if (f < 0 || fstat(f, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        if (f >= 0)
            close(f);
        return rerr_set(err, R_ENOTFOUND, "file_missing", "", "附件文件不存在（存储目录中找不到）");
    }
    *fd = f;
    *size = sb.st_size;
    return 0;
}

int files_remove(const char *hex)
{
    char path[FILES_PATH_MAX], dir[FILES_PATH_MAX];
    if (files_path(files_root(), hex, path, sizeof path) < 0)
        return -1;
    if (unlink(path) != 0)
        return errno == ENOENT ? 0 : -1;
    snprintf(dir, sizeof dir, "%s/%.2s", root, hex);
    sync_dir(dir);
    return 0;
}

/* ---------------------------------------------------------------- the sweep */

static bool older_than(const struct stat *sb, time_t now, int grace_s)
{
    return sb->st_mtime + grace_s <= now;
}

int files_sweep(int (*used)(void *arg, const char *hex), void *arg, int grace_s, int *removed,
                struct rerr *err)
{
    int gone = 0;
    if (removed)
        *removed = 0;
    if (!root[0])
        return rerr_set(err, R_EINTERNAL, "no_storage", "", "未配置附件存储");
    time_t now = time(NULL);
    DIR *top = opendir(root);
    if (!top)
        return rerr_set(err, R_EINTERNAL, "files_dir", "", "无法读取附件目录 %s", root);
    struct dirent *de;
    while ((de = readdir(top))) {
        char sub[FILES_PATH_MAX];
        bool tmp = !strcmp(de->d_name, "tmp");
        bool shard = strlen(de->d_name) == 2 && strspn(de->d_name, "0123456789abcdef") == 2;
        if (!tmp && !shard)
            continue; /* ours are tmp/ and the 256 two-digit directories: nothing else is touched */
        snprintf(sub, sizeof sub, "%s/%s", root, de->d_name);
        DIR *d = opendir(sub);
        if (!d)
            continue;
        struct dirent *fe;
        while ((fe = readdir(d))) {
            if (fe->d_name[0] == '.')
                continue;
            char path[FILES_PATH_MAX + 256], hex[FILES_HEX_LEN + 1];
            snprintf(path, sizeof path, "%s/%s", sub, fe->d_name);
            struct stat sb;
            if (lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || !older_than(&sb, now, grace_s))
                continue;
            if (!tmp) {
                if (snprintf(hex, sizeof hex, "%s%s", de->d_name, fe->d_name) != FILES_HEX_LEN ||
                    !files_hex_valid(hex) || used(arg, hex) != 0)
                    continue;
            } else if (strncmp(fe->d_name, "upload-", 7) != 0) {
                continue;
            }
            if (unlink(path) == 0) {
                gone++;
                log_info(tmp ? "已清理中断上传遗留的临时文件 %s" : "已清理无记录引用的附件文件 %s", path);
            }
        }
        closedir(d);
        if (gone)
            sync_dir(sub);
    }
    closedir(top);
    if (removed)
        *removed = gone;
    return 0;
}
