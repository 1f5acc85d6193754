/*
 * jobs.c: one worker thread takes queued jobs in order and runs them with a store
 * connection of its own. Submission is a write like any other (authorised, audited).
 *
 * The row of a job is written when it starts and when it ends, nothing in between: the
 * progress of the running job lives here in memory (struct live), and reads of the jobs
 * collection take it from there (job_expand). Writing progress into the database being
 * backed up was what made a backup start over (and its progress go backwards).
 */
#include "jobs/jobs.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "auth/audit.h"
#include "base/log.h"
#include "base/text.h"
#include "domain/resource.h"
#include "jobs/backup.h"

struct job {
    int64_t id;
    store *s;
};

static struct jobs_config config = {.backup_keep = BACKUP_KEEP_DEFAULT};

void jobs_configure(const struct jobs_config *cfg)
{
    CHECK(cfg->backup_keep >= 1 && cfg->backup_keep <= BACKUP_KEEP_MAX);
    config = *cfg;
}

/* ------------------------------------------------------------------ kinds */

static void backup_progress(void *arg, int64_t done, int64_t total)
{
    job_progress(arg, done, total,
                 done < total ? "正在复制数据页" : "数据页已复制，正在校验备份（完整性、审计链）");
}

static int run_backup(struct job *j, store *s, json_t *params, json_t **result, struct rerr *err)
{
    (void)params;
    char tag[24];
    snprintf(tag, sizeof tag, "%" PRId64, j->id);
    struct backup_result br;
    int rc = backup_generation(s, tag, config.backup_keep, backup_progress, j, &br, err);
    if (rc < 0)
        return rc;
    /* "file" is a server path: job_expand() shows it only to whoever may start a backup. */
    *result = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:i, s:i}", "file", br.file, "name", br.name, "bytes",
                        (json_int_t)br.bytes, "pages", (json_int_t)br.pages, "audit_entries",
                        (json_int_t)br.audit_entries, "audit_anchor", (json_int_t)br.anchor_count, "removed",
                        br.removed, "keep", config.backup_keep);
    return *result ? 0 : rerr_set(err, R_EINTERNAL, "json", "", "无法生成任务结果");
}

static const struct job_kind kinds[] = {
    {"backup", "数据库备份", WRITE_CITY_ADMIN, run_backup, true},
};

static const struct job_kind *kind_find(const char *name)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcmp(kinds[i].name, name))
            return &kinds[i];
    return NULL;
}

/* ------------------------------------------------------------------ progress */

/* The progress of the job running now, or of the last one to run: kept after it ends, so
 * that a reader who saw its row still 'running' is answered with the final figures. */
static struct {
    pthread_mutex_t lock;
    int64_t id;
    int64_t done, total;
    char message[160];
} live = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void live_start(int64_t id)
{
    pthread_mutex_lock(&live.lock);
    live.id = id;
    live.done = live.total = 0;
    snprintf(live.message, sizeof live.message, "%s", "正在运行");
    pthread_mutex_unlock(&live.lock);
}

void job_progress(struct job *j, int64_t done, int64_t total, const char *message)
{
    pthread_mutex_lock(&live.lock);
    if (live.id == j->id) {
        /* Never backwards, whatever the caller reports. */
        live.total = total > live.total ? total : live.total;
        live.done = done > live.done ? done : live.done;
        live.done = live.done < live.total ? live.done : live.total;
        if (message)
            snprintf(live.message, sizeof live.message, "%s", message);
    }
    pthread_mutex_unlock(&live.lock);
}

/* Overlay the live figures on record "rec" of job "id" if it is the one they are for. */
static void live_overlay(json_t *rec, int64_t id)
{
    pthread_mutex_lock(&live.lock);
    if (live.id == id) {
        json_object_set_new(rec, "done", json_integer(live.done));
        json_object_set_new(rec, "total", json_integer(live.total));
        json_object_set_new(rec, "message", json_string(live.message));
    }
    pthread_mutex_unlock(&live.lock);
}

/* ------------------------------------------------------------------ the worker */

static struct {
    store *s;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop, started;
} W = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

/* Claim the oldest queued job: mark it running. Returns 1 with its id, kind and params,
 * 0 when there is none. */
static int claim(store_conn *c, int64_t *id, char kind[32], json_t **params)
{
    struct rerr err;
    if (store_begin(c, &err) < 0)
        return 0;
    store_stmt *st =
        store_prepare(c, "SELECT id, kind, coalesce(params, '{}') FROM jobs WHERE status = 'queued'"
                         " ORDER BY id LIMIT 1");
    int rc = store_step(st, &err);
    if (rc == STORE_ROW) {
        *id = store_col_int(st, 0);
        snprintf(kind, 32, "%s", store_col_text(st, 1));
        *params = json_loads(store_col_text(st, 2), 0, NULL);
    }
    store_done(st);
    if (rc != STORE_ROW) {
        store_rollback(c);
        return 0;
    }
    char ts[32];
    text_now(ts);
    st = store_prepare(c, "UPDATE jobs SET status = 'running', started_at = ?, updated_at = ? WHERE id = ?");
    store_bind_text(st, 1, ts);
    store_bind_text(st, 2, ts);
    store_bind_int(st, 3, *id);
    rc = store_step(st, &err);
    store_done(st);
    live_start(*id); /* before the commit: nobody sees the row running without figures */
    if (rc < 0 || store_commit(c, &err) < 0) {
        store_rollback(c);
        json_decref(*params);
        return 0;
    }
    return 1;
}

/* The job's second and last write: its outcome, with the progress it reached. */
static void finish(store_conn *c, int64_t id, bool ok, const char *message, json_t *result)
{
    char ts[32];
    text_now(ts);
    char *res = result ? json_dumps(result, JSON_COMPACT) : NULL;
    pthread_mutex_lock(&live.lock);
    int64_t done = live.done, total = live.total;
    pthread_mutex_unlock(&live.lock);
    store_stmt *st =
        store_prepare(c, "UPDATE jobs SET status = ?, message = ?, result = ?, done = ?, total = ?,"
                         " finished_at = ?, updated_at = ?, version = version + 1 WHERE id = ?");
    store_bind_text(st, 1, ok ? "done" : "failed");
    store_bind_text(st, 2, message);
    store_bind_text(st, 3, res);
    store_bind_int(st, 4, ok ? total : done);
    store_bind_int(st, 5, total);
    store_bind_text(st, 6, ts);
    store_bind_text(st, 7, ts);
    store_bind_int(st, 8, id);
    struct rerr err;
    if (store_step(st, &err) < 0)
        log_warn("任务 #%" PRId64 " 的结果未能写入：%s", id, err.message);
    store_done(st);
    free(res);
}

static void *worker(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&W.lock);
    while (!W.stop) {
        pthread_mutex_unlock(&W.lock);
        store_conn *c = store_acquire(W.s);
        int64_t id;
        char kind[32];
        json_t *params = NULL;
        int got = claim(c, &id, kind, &params);
        store_release(c);
        if (got) {
            struct job j = {.id = id, .s = W.s};
            log_info("任务 #%" PRId64 " (%s) 开始", id, kind);
            const struct job_kind *k = kind_find(kind);
            struct rerr err = {0};
            json_t *result = NULL;
            int rc = k ? k->run(&j, W.s, params, &result, &err)
                       : rerr_set(&err, R_EINVAL, "kind", "", "未知的任务类型 %s", kind);
            c = store_acquire(W.s);
            finish(c, id, rc == 0, rc == 0 ? "完成" : err.message, result);
            store_release(c);
            json_decref(result);
            json_decref(params);
            log_info("任务 #%" PRId64 " (%s) %s", id, kind, rc == 0 ? "完成" : err.message);
        }
        pthread_mutex_lock(&W.lock);
        if (!got && !W.stop) {
            /* Sleep until a submission wakes us, or a few seconds pass. */
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_sec += 5;
            pthread_cond_timedwait(&W.wake, &W.lock, &until);
        }
    }
    pthread_mutex_unlock(&W.lock);
    return NULL;
}

void jobs_start(store *s)
{
    CHECK(!W.started);
    jobs_register();
    /* What a backup killed half-way left: never under a final name, removed here. */
    char dir[BACKUP_PATH_MAX];
    if (backup_dir_of(store_path(s), dir, sizeof dir, NULL) == 0) {
        int n = backup_clean_stale(dir);
        if (n)
            log_info("备份目录中 %d 个未完成的临时文件已删除", n);
    }
    store_conn *c = store_acquire(s);
    store_exec(c,
               "UPDATE jobs SET status = 'failed', message = '服务重启，任务中断', version = version + 1"
               " WHERE status = 'running'",
               NULL);
    store_release(c);
    W.s = s;
    W.stop = false;
    if (pthread_create(&W.thread, NULL, worker, NULL) != 0)
        die("无法启动任务线程");
    W.started = true;
}

void jobs_stop(void)
{
    if (!W.started)
        return;
    pthread_mutex_lock(&W.lock);
    W.stop = true;
    pthread_cond_signal(&W.wake);
    pthread_mutex_unlock(&W.lock);
    pthread_join(W.thread, NULL);
    W.started = false;
}

/* ------------------------------------------------------------------ submission */

int jobs_submit(struct res_ctx *x, json_t *body, json_t **out, struct rerr *err)
{
    const char *name = NULL;
    if (!json_is_object(body) || !json_is_string(json_object_get(body, "kind")))
        return rerr_set(err, R_EINVAL, "required", "kind", "请指定任务类型 kind");
    name = json_string_value(json_object_get(body, "kind"));
    const struct job_kind *k = kind_find(name);
    if (!k)
        return rerr_set(err, R_EINVAL, "invalid_value", "kind", "未知的任务类型：%s", name);
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v) if (strcmp(key, "kind") != 0) return rerr_set(
        err, R_EINVAL, "unknown_field", key, "未知字段：%s", key);
    struct row_scope scope = {.procuratorate_id = x->who->procuratorate_id};
    int rc = authz_write_row(x->who, k->policy, &scope, err);
    if (rc < 0 || (rc = store_begin(x->c, err)) < 0)
        return rc;
    char ts[32];
    text_now(ts);
    char *params = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
    store_stmt *st =
        store_prepare(x->c, "INSERT INTO jobs(procuratorate_id, kind, status, params, created_by,"
                            " created_by_name, created_at, updated_at, message)"
                            " VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, '排队中')");
    store_bind_int(st, 1, x->who->procuratorate_id);
    store_bind_text(st, 2, k->name);
    store_bind_text(st, 3, params);
    if (x->who->user_id)
        store_bind_int(st, 4, x->who->user_id);
    store_bind_text(st, 5, x->who->username);
    store_bind_text(st, 6, ts);
    store_bind_text(st, 7, ts);
    rc = store_step(st, err);
    store_done(st);
    free(params);
    int64_t id = store_last_id(x->c);
    if (rc >= 0) {
        json_t *after =
            json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "kind", k->name, "status", "queued");
        rc = audit_append(x->c, x->who, "create", "jobs", id, x->who->procuratorate_id, NULL, after, err);
        json_decref(after);
    }
    if (rc < 0) {
        store_rollback(x->c);
        return rc;
    }
    if ((rc = store_commit(x->c, err)) < 0)
        return rc;
    pthread_mutex_lock(&W.lock);
    pthread_cond_signal(&W.wake);
    pthread_mutex_unlock(&W.lock);
    return res_get(x, &res_jobs, id, out, err);
}

/* ------------------------------------------------------------------ the collection */

static const char *const statuses[] = {"queued", "running", "done", "failed", NULL};

/* Whether "who" may start jobs of kind "k" (and so see their server paths and download
 * their files): the kind's own write policy, decided by authz like any write. */
static bool privileged(const struct actor *who, const struct job_kind *k, json_t *rec)
{
    struct row_scope scope = {.procuratorate_id = res_int(rec, "procuratorate_id")};
    return k && authz_write_row(who, k->policy, &scope, NULL) == 0;
}

bool jobs_may_submit(const struct actor *who)
{
    struct row_scope own = {.procuratorate_id = who->procuratorate_id};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (authz_write_row(who, kinds[i].policy, &own, NULL) == 0)
            return true;
    return false;
}

/* Where the server keeps "name" (a generation of the store jobs_start() was given). */
static int job_file_path(const char *name, char *out, size_t cap)
{
    char dir[BACKUP_PATH_MAX];
    if (!W.s || !backup_name_valid(name) || backup_dir_of(store_path(W.s), dir, sizeof dir, NULL) < 0)
        return -1;
    int n = snprintf(out, cap, "%s/%s", dir, name);
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

/* Every job record that is answered passes through here: the live progress of the
 * running job; for those who may not start its kind, no server path anywhere in it; for
 * those who may, whether its file can still be downloaded. */
static int job_expand(struct res_ctx *x, json_t *rec, struct rerr *err)
{
    (void)err;
    const char *status = res_str(rec, "status");
    if (status && !strcmp(status, "running"))
        live_overlay(rec, res_int(rec, "id"));
    const char *kind = res_str(rec, "kind");
    const struct job_kind *k = kind ? kind_find(kind) : NULL;
    json_t *result = json_object_get(rec, "result");
    if (!privileged(x->who, k, rec)) {
        if (json_is_object(result))
            json_object_del(result, "file");
        const char *msg = res_str(rec, "message");
        if (msg && strchr(msg, '/'))
            json_object_set_new(rec, "message", json_string("任务失败（详细原因仅市院管理员可见）"));
        return 0;
    }
    if (k->downloadable && json_is_object(result) && status && !strcmp(status, "done")) {
        const char *name = res_str(result, "name");
        char path[BACKUP_PATH_MAX + 256];
        struct stat sb;
        bool there = name && job_file_path(name, path, sizeof path) == 0 && stat(path, &sb) == 0;
        json_object_set_new(result, "downloadable", json_boolean(there));
    }
    return 0;
}

int jobs_download(struct res_ctx *x, int64_t id, struct res_file *out, struct rerr *err)
{
    json_t *rec;
    int rc = res_get(x, &res_jobs, id, &rec, err);
    if (rc < 0)
        return rc;
    const char *kind = res_str(rec, "kind"), *status = res_str(rec, "status");
    const struct job_kind *k = kind ? kind_find(kind) : NULL;
    json_t *result = json_object_get(rec, "result");
    const char *name = json_is_object(result) ? res_str(result, "name") : NULL;
    char path[BACKUP_PATH_MAX + 256];
    int64_t proc = res_int(rec, "procuratorate_id");
    bool may = privileged(x->who, k, rec) && k->downloadable;
    bool has_file = status && !strcmp(status, "done") && name && job_file_path(name, path, sizeof path) == 0;
    json_decref(rec); /* "kind", "status" and "name" go with it */
    if (!may)
        return rerr_set(err, R_ENOTFOUND, "not_found", "", "后台任务不存在或无权查看");
    if (!has_file)
        return rerr_set(err, R_ENOTFOUND, "not_found", "", "该任务没有可下载的文件（未完成或不是备份）");
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
        if (fd >= 0)
            close(fd);
        return rerr_set(err, R_ENOTFOUND, "not_found", "", "备份文件已不存在（可能已按保留份数清理）");
    }
    out->fd = fd;
    out->size = sb.st_size;
    snprintf(out->name, sizeof out->name, "%s", strrchr(path, '/') + 1);
    out->content_type = "application/vnd.sqlite3";
    /* A copy of the whole database leaves the server: recorded like any write. */
    json_t *after = json_pack("{s:s, s:I}", "file", out->name, "bytes", (json_int_t)out->size);
    if ((rc = store_begin(x->c, err)) == 0 &&
        (rc = audit_append(x->c, x->who, "download", "jobs", id, proc, NULL, after, err)) == 0)
        rc = store_commit(x->c, err);
    else
        store_rollback(x->c);
    json_decref(after);
    if (rc < 0) {
        close(fd);
        return rc;
    }
    return 0;
}

static const struct field job_fields[] = {
    {"procuratorate_id", "检察院", FT_REF, FF_FILTER, 0, NULL, "procuratorates", 0, 0},
    {"kind", "任务类型", FT_TEXT, FF_FILTER, 0, NULL, NULL, 0, 0},
    {"status", "状态", FT_ENUM, FF_FILTER, 0, statuses, NULL, 0, 0},
    {"params", "参数", FT_JSON, 0, 0, NULL, NULL, 0, 0},
    {"result", "结果", FT_JSON, 0, 0, NULL, NULL, 0, 0},
    {"created_at", "提交时间", FT_TEXT, FF_SORT, 0, NULL, NULL, 0, 0},
};

/* POST /jobs queues a job (202: it runs later); GET /jobs/<id>/download sends its file. */
static int submit_action(struct res_ctx *x, int64_t id, json_t *body, json_t **out, struct rerr *err)
{
    return jobs_submit(x, body, out, err);
}

static const struct res_action job_actions[] = {
    {.name = NULL,
     .method = "POST",
     .status = 202,
     .body = true,
     .run = submit_action,
     .may = jobs_may_submit},
    {.name = "download", .method = "GET", .status = 200, .file = jobs_download},
    {0},
};

const struct resource res_jobs = {
    .name = "jobs",
    .table = "jobs",
    .label = "后台任务",
    .fields = job_fields,
    .nfields = sizeof job_fields / sizeof job_fields[0],
    .read = READ_ADMIN,
    .write = WRITE_NONE,
    .export = EXPORT_NONE,
    .default_sort = "-id",
    .expand = job_expand,
    .actions = job_actions,
};

void jobs_register(void)
{
    struct rerr err;
    if (res_register(&res_jobs, &err) < 0)
        die("%s", err.message);
}
