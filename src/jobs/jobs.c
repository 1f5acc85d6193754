/*
 * jobs.c: one worker thread takes queued jobs in order and runs them with a store
 * connection of its own. Submission is a write like any other (authorised, audited);
 * progress updates are bookkeeping and are not audited.
 */
#include "jobs/jobs.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "auth/audit.h"
#include "base/log.h"
#include "base/text.h"
#include "domain/resource.h"

struct job {
    int64_t id;
    store *s;
    int64_t last_write_ms;
};

/* ------------------------------------------------------------------ kinds */

static void backup_progress(void *arg, int64_t done, int64_t total)
{
    job_progress(arg, done, total, "正在复制数据页");
}

static int run_backup(struct job *j, store *s, json_t *params, json_t **result, struct rerr *err)
{
    (void)params;
    char dir[1024], file[1100], ts[32];
    snprintf(dir, sizeof dir, "%s.backups", store_path(s));
    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        return rerr_set(err, R_EINTERNAL, "backup", "", "无法创建备份目录 %s", dir);
    time_t now = time(NULL) + 8 * 3600;
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(ts, sizeof ts, "%Y%m%d-%H%M%S", &tm);
    snprintf(file, sizeof file, "%s/ronghe-%s-%" PRId64 ".db", dir, ts, j->id);
    /* the audit key and anchors go with the copy, anchored before the copy begins */
    int rc = audit_backup_files(s, file, NULL, err);
    if (rc == 0 && (rc = store_backup(s, file, backup_progress, j, err)) < 0)
        audit_remove_files(file);
    if (rc < 0)
        return rc;
    struct stat sb;
    stat(file, &sb);
    *result = json_pack("{s:s, s:I}", "file", file, "bytes", (json_int_t)sb.st_size);
    return 0;
}

static const struct job_kind kinds[] = {
    {"backup", "数据库备份", WRITE_CITY_ADMIN, run_backup},
};

static const struct job_kind *kind_find(const char *name)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcmp(kinds[i].name, name))
            return &kinds[i];
    return NULL;
}

/* ------------------------------------------------------------------ progress */

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

void job_progress(struct job *j, int64_t done, int64_t total, const char *message)
{
    int64_t t = now_ms();
    if (done < total && t - j->last_write_ms < 200)
        return;
    j->last_write_ms = t;
    char ts[32];
    text_now(ts);
    store_conn *c = store_acquire(j->s);
    store_stmt *st = store_prepare(c, "UPDATE jobs SET done = ?, total = ?, message = coalesce(?, message),"
                                      " updated_at = ? WHERE id = ?");
    store_bind_int(st, 1, done);
    store_bind_int(st, 2, total);
    store_bind_text(st, 3, message);
    store_bind_text(st, 4, ts);
    store_bind_int(st, 5, j->id);
    store_step(st, NULL);
    store_done(st);
    store_release(c);
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
    if (rc < 0 || store_commit(c, &err) < 0) {
        store_rollback(c);
        json_decref(*params);
        return 0;
    }
    return 1;
}

static void finish(store_conn *c, int64_t id, bool ok, const char *message, json_t *result)
{
    char ts[32];
    text_now(ts);
    char *res = result ? json_dumps(result, JSON_COMPACT) : NULL;
    store_stmt *st = store_prepare(c, "UPDATE jobs SET status = ?, message = ?, result = ?, finished_at = ?,"
                                      " updated_at = ?, version = version + 1 WHERE id = ?");
    store_bind_text(st, 1, ok ? "done" : "failed");
    store_bind_text(st, 2, message);
    store_bind_text(st, 3, res);
    store_bind_text(st, 4, ts);
    store_bind_text(st, 5, ts);
    store_bind_int(st, 6, id);
    store_step(st, NULL);
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

static const struct field job_fields[] = {
    {"procuratorate_id", "检察院", FT_REF, FF_FILTER, 0, NULL, "procuratorates", 0, 0},
    {"kind", "任务类型", FT_TEXT, FF_FILTER, 0, NULL, NULL, 0, 0},
    {"status", "状态", FT_ENUM, FF_FILTER, 0, statuses, NULL, 0, 0},
    {"params", "参数", FT_JSON, 0, 0, NULL, NULL, 0, 0},
    {"result", "结果", FT_JSON, 0, 0, NULL, NULL, 0, 0},
    {"created_at", "提交时间", FT_TEXT, FF_SORT, 0, NULL, NULL, 0, 0},
};

const struct resource res_jobs = {
    .name = "jobs",
    .table = "jobs",
    .label = "后台任务",
    .fields = job_fields,
    .nfields = sizeof job_fields / sizeof job_fields[0],
    .read = READ_ADMIN,
    .write = WRITE_NONE,
    .default_sort = "-id",
};
