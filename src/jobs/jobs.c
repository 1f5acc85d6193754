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

#include <dirent.h>
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
#include "auth/session.h"
#include "base/log.h"
#include "base/text.h"
#include "domain/resource.h"
#include "jobs/backup.h"
#include "jobs/import_job.h"
#include "jobs/transfer.h"

struct job {
    int64_t id;
    store *s;
    int64_t created_by; /* 0: the system */
    char input[BACKUP_PATH_MAX + 64];
    struct progress progress;
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
    {.name = "backup",
     .label = "数据库备份",
     .policy = WRITE_CITY_ADMIN,
     .run = run_backup,
     .downloadable = true},
    {.name = "import",
     .label = "表格导入",
     .policy = WRITE_BRANCH,
     .run = import_job_run,
     .downloadable = true,
     .authorize = import_job_authorize,
     .own = true,
     .input = true},
    {.name = "export",
     .label = "导出",
     .policy = WRITE_NONE,
     .run = export_job_run,
     .authorize = export_job_authorize,
     .own = true,
     .downloadable = true},
    {.name = "eval",
     .label = "考评计算",
     .policy = WRITE_ADMIN,
     .run = eval_job_run,
     .authorize = eval_job_authorize},
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
    bool cancel;  /* asked to stop (POST /jobs/<id>/cancel) */
    bool running; /* "id" runs now (false from the moment it finishes) */
} live = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void live_start(int64_t id)
{
    pthread_mutex_lock(&live.lock);
    live.id = id;
    live.done = live.total = 0;
    live.cancel = false;
    live.running = true;
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

bool job_cancelled(struct job *j)
{
    pthread_mutex_lock(&live.lock);
    bool c = live.id == j->id && live.cancel;
    pthread_mutex_unlock(&live.lock);
    return c;
}

static void progress_to_job(void *arg, int64_t done, int64_t total, const char *message)
{
    job_progress(arg, done, total, message);
}

static bool cancelled_of_job(void *arg)
{
    return job_cancelled(arg);
}

const struct progress *job_progress_of(struct job *j)
{
    j->progress = (struct progress){.report = progress_to_job, .cancelled = cancelled_of_job, .arg = j};
    return &j->progress;
}

int job_actor(struct job *j, struct actor *out, struct rerr *err)
{
    if (!j->created_by) {
        actor_system(out);
        return 0;
    }
    store_conn *c = store_acquire(j->s);
    int rc = actor_load(c, j->created_by, out, err);
    store_release(c);
    return rc;
}

/* The directory of the jobs' own files, "<db>.jobs", into "out". */
static int jobs_dir(store *s, char *out, size_t cap)
{
    int n = s ? snprintf(out, cap, "%s.jobs", store_path(s)) : -1;
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

int job_output(struct job *j, const char *ext, char *path, size_t cap)
{
    char dir[BACKUP_PATH_MAX];
    if (jobs_dir(j->s, dir, sizeof dir) < 0 || (mkdir(dir, 0700) != 0 && errno != EEXIST))
        return -1;
    int n = snprintf(path, cap, "%s/%" PRId64 ".%s", dir, j->id, ext);
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

const char *job_input(struct job *j)
{
    return j->input[0] ? j->input : NULL;
}

/* Whether "name" is a job's uploaded input ("<id>.in"): kept, however old, while its job
 * waits in the queue; removed when the job ends. */
static bool is_input(const char *name)
{
    size_t n = strlen(name);
    return n > 3 && !strcmp(name + n - 3, ".in");
}

/* Remove from the jobs' directory: with "id" > 0 that job's files (it ended without a
 * result to keep, or its input is spent: "input_only"); with "id" 0, every file older
 * than JOBS_KEEP_HOURS. Returns how many were removed. */
static int jobs_dir_clean(store *s, int64_t id, bool input_only)
{
    char dir[BACKUP_PATH_MAX], prefix[32];
    if (jobs_dir(s, dir, sizeof dir) < 0)
        return 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    snprintf(prefix, sizeof prefix, "%" PRId64 ".", id);
    time_t now = time(NULL);
    int removed = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char path[BACKUP_PATH_MAX + 300];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
            continue;
        bool take = id > 0 ? !strncmp(e->d_name, prefix, strlen(prefix)) &&
                                 (!input_only || !strcmp(e->d_name + strlen(prefix), "in"))
                           : now - sb.st_mtime > (time_t)JOBS_KEEP_HOURS * 3600 && !is_input(e->d_name);
        if (take && unlink(path) == 0)
            removed++;
    }
    closedir(d);
    return removed;
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
    time_t swept; /* when the jobs' directory was last cleaned of files past their day */
} W = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

/* Claim the oldest queued job: mark it running. Returns 1 with its id, kind and params,
 * 0 when there is none. */
static int claim(store_conn *c, int64_t *id, char kind[32], json_t **params, int64_t *created_by)
{
    struct rerr err;
    if (store_begin(c, &err) < 0)
        return 0;
    store_stmt *st =
        store_prepare(c, "SELECT id, kind, coalesce(params, '{}'), coalesce(created_by, 0) FROM jobs"
                         " WHERE status = 'queued' ORDER BY id LIMIT 1");
    int rc = store_step(st, &err);
    if (rc == STORE_ROW) {
        *id = store_col_int(st, 0);
        snprintf(kind, 32, "%s", store_col_text(st, 1));
        *params = json_loads(store_col_text(st, 2), 0, NULL);
        *created_by = store_col_int(st, 3);
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
static void finish(store_conn *c, int64_t id, const char *status, const char *message, json_t *result)
{
    char ts[32];
    text_now(ts);
    char *res = result ? json_dumps(result, JSON_COMPACT) : NULL;
    pthread_mutex_lock(&live.lock);
    int64_t done = live.done, total = live.total;
    if (live.id == id)
        live.running = false; /* a cancel from now on finds it over */
    pthread_mutex_unlock(&live.lock);
    store_stmt *st =
        store_prepare(c, "UPDATE jobs SET status = ?, message = ?, result = ?, done = ?, total = ?,"
                         " finished_at = ?, updated_at = ?, version = version + 1 WHERE id = ?");
    bool ok = !strcmp(status, "done");
    store_bind_text(st, 1, status);
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
        int64_t id, created_by = 0;
        char kind[32];
        json_t *params = NULL;
        int got = claim(c, &id, kind, &params, &created_by);
        store_release(c);
        if (got) {
            struct job j = {.id = id, .s = W.s, .created_by = created_by};
            const struct job_kind *k = kind_find(kind);
            char dir[BACKUP_PATH_MAX];
            if (k && k->input && jobs_dir(W.s, dir, sizeof dir) == 0)
                snprintf(j.input, sizeof j.input, "%s/%" PRId64 ".in", dir, id);
            log_info("任务 #%" PRId64 " (%s) 开始", id, kind);
            struct rerr err = {0};
            json_t *result = NULL;
            int rc = k ? k->run(&j, W.s, params, &result, &err)
                       : rerr_set(&err, R_EINVAL, "kind", "", "未知的任务类型 %s", kind);
            bool cancelled = rc < 0 && !strcmp(err.code, "cancelled");
            c = store_acquire(W.s);
            finish(c, id,
                   rc == 0     ? "done"
                   : cancelled ? "cancelled"
                               : "failed",
                   rc == 0     ? "完成"
                   : cancelled ? "已取消"
                               : err.message,
                   result);
            store_release(c);
            /* Its input is spent; a job that ended without a result keeps no file. */
            jobs_dir_clean(W.s, id, rc == 0);
            json_decref(result);
            json_decref(params);
            log_info("任务 #%" PRId64 " (%s) %s", id, kind, rc == 0 ? "完成" : err.message);
        }
        time_t now = time(NULL);
        if (now - W.swept > 600) {
            W.swept = now;
            int n = jobs_dir_clean(W.s, 0, false);
            if (n)
                log_info("%d 个超过 %d 小时的任务文件已删除", n, JOBS_KEEP_HOURS);
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
    /* What interrupted jobs left (a half-written export, a spent input) goes now. */
    struct rerr ignored;
    store_stmt *st = store_prepare(c, "SELECT id FROM jobs WHERE status = 'failed' AND finished_at IS NULL");
    while (st && store_step(st, &ignored) == STORE_ROW)
        jobs_dir_clean(s, store_col_int(st, 0), false);
    store_done(st);
    store_exec(c, "UPDATE jobs SET finished_at = updated_at WHERE status = 'failed' AND finished_at IS NULL",
               NULL);
    store_release(c);
    jobs_dir_clean(s, 0, false); /* past their day; then every ten minutes (worker) */
    W.swept = time(NULL);
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

/* Queue a job of kind "k" with "params" (as given, without "kind"), authorised as the
 * kind says; with "up", that file becomes the job's input (before the commit, so that
 * the worker never claims a job whose file is not there). */
static int submit(struct res_ctx *x, const struct job_kind *k, json_t *params, files_tmp *up, json_t **out,
                  struct rerr *err)
{
    int rc;
    if (k->authorize) {
        rc = k->authorize(x, params, err);
    } else {
        const char *key;
        json_t *v;
        rc = 0;
        json_object_foreach(params, key, v)
        {
            rc = rerr_set(err, R_EINVAL, "unknown_field", key, "未知字段：%s", key);
            break;
        }
        struct row_scope scope = {.procuratorate_id = x->who->procuratorate_id};
        if (rc == 0)
            rc = authz_write_row(x->who, k->policy, &scope, err);
    }
    if (rc == 0 && k->input != (up != NULL))
        rc = rerr_set(err, R_EINVAL, "invalid_value", "kind",
                      k->input ? "%s需要随请求上传文件（POST /api/v1/jobs/upload）" : "%s不接受上传的文件",
                      k->label);
    /* the upload made durable before the write lock is taken: only its rename is inside */
    if (rc == 0 && up && files_tmp_sync(up) < 0)
        rc = rerr_set(err, R_EBUSY, "no_storage", "", "服务器无法保存上传的文件，请稍后重试");
    if (rc < 0 || (rc = store_begin(x->c, err)) < 0) {
        files_tmp_abort(up);
        return rc;
    }
    char ts[32];
    text_now(ts);
    json_t *row = json_deep_copy(params);
    json_object_set_new(row, "kind", json_string(k->name));
    char *text = json_dumps(row, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(row);
    store_stmt *st =
        store_prepare(x->c, "INSERT INTO jobs(procuratorate_id, kind, status, params, created_by,"
                            " created_by_name, created_at, updated_at, message)"
                            " VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, '排队中')");
    store_bind_int(st, 1, x->who->procuratorate_id);
    store_bind_text(st, 2, k->name);
    store_bind_text(st, 3, text);
    if (x->who->user_id)
        store_bind_int(st, 4, x->who->user_id);
    store_bind_text(st, 5, x->who->username);
    store_bind_text(st, 6, ts);
    store_bind_text(st, 7, ts);
    rc = store_step(st, err);
    store_done(st);
    free(text);
    int64_t id = store_last_id(x->c);
    char input[BACKUP_PATH_MAX + 64] = "";
    if (rc >= 0 && up) {
        struct job j = {.id = id, .s = W.s};
        if (!W.s || job_output(&j, "in", input, sizeof input) < 0) {
            files_tmp_abort(up);
            rc = rerr_set(err, R_EBUSY, "no_storage", "", "服务器无法保存上传的文件，请稍后重试");
        } else {
            rc = files_tmp_keep(up, input, err);
        }
        up = NULL;
    }
    files_tmp_abort(up);
    if (rc >= 0) {
        json_t *after = json_pack("{s:I, s:s, s:s, s:O}", "id", (json_int_t)id, "kind", k->name, "status",
                                  "queued", "params", params);
        rc = audit_append(x->c, x->who, "create", "jobs", id, x->who->procuratorate_id, NULL, after, err);
        json_decref(after);
    }
    if (rc >= 0)
        rc = store_commit(x->c, err);
    if (rc < 0) {
        store_rollback(x->c);
        if (input[0])
            unlink(input);
        return rc;
    }
    pthread_mutex_lock(&W.lock);
    pthread_cond_signal(&W.wake);
    pthread_mutex_unlock(&W.lock);
    return res_get(x, &res_jobs, id, out, err);
}

static const struct job_kind *kind_of_body(json_t *body, struct rerr *err)
{
    if (!json_is_object(body) || !json_is_string(json_object_get(body, "kind"))) {
        rerr_set(err, R_EINVAL, "required", "kind", "请指定任务类型 kind");
        return NULL;
    }
    const char *name = json_string_value(json_object_get(body, "kind"));
    const struct job_kind *k = kind_find(name);
    if (!k)
        rerr_set(err, R_EINVAL, "invalid_value", "kind", "未知的任务类型：%.40s", name);
    return k;
}

int jobs_submit(struct res_ctx *x, json_t *body, json_t **out, struct rerr *err)
{
    const struct job_kind *k = kind_of_body(body, err);
    if (!k)
        return err->rc;
    json_t *params = json_deep_copy(body);
    json_object_del(params, "kind");
    int rc = submit(x, k, params, NULL, out, err);
    json_decref(params);
    return rc;
}

int jobs_submit_file(struct res_ctx *x, json_t *params, files_tmp *up, json_t **out, struct rerr *err)
{
    const struct job_kind *k = kind_of_body(params, err);
    if (!k) {
        files_tmp_abort(up);
        return err->rc;
    }
    json_t *p = json_deep_copy(params);
    json_object_del(p, "kind");
    int rc = submit(x, k, p, up, out, err);
    json_decref(p);
    return rc;
}

/* ------------------------------------------------------------------ the collection */

static const char *const statuses[] = {"queued", "running", "done", "failed", "cancelled", NULL};

/* Whether "who" may see the server paths and download the file of job "rec" of kind
 * "k": for an "own" kind its submitter alone; else whoever may start such jobs there
 * (the kind's write policy, decided by authz like any write). */
static bool privileged(const struct actor *who, const struct job_kind *k, json_t *rec)
{
    if (k && k->own)
        return who->user_id && res_int(rec, "created_by") == who->user_id;
    struct row_scope scope = {.procuratorate_id = res_int(rec, "procuratorate_id")};
    return k && authz_write_row(who, k->policy, &scope, NULL) == 0;
}

/* Kinds a client names in POST /jobs (not those started from elsewhere: an export from
 * its list page, authorised by its own rules). */
bool jobs_may_submit(const struct actor *who)
{
    struct row_scope own = {.procuratorate_id = who->procuratorate_id};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (!kinds[i].authorize && authz_write_row(who, kinds[i].policy, &own, NULL) == 0)
            return true;
    return false;
}

/* Where the server keeps "name", the file of a job of kind "k": a backup generation of
 * the store jobs_start() was given, or a job's own file in "<db>.jobs". */
static int job_file_path(const struct job_kind *k, const char *name, char *out, size_t cap)
{
    char dir[BACKUP_PATH_MAX];
    if (!W.s || !name)
        return -1;
    if (k->own) {
        /* "<id>.<ext>", as job_output() names it */
        size_t digits = strspn(name, "0123456789");
        if (!digits || name[digits] != '.' || !name[digits + 1] ||
            strspn(name + digits + 1, "abcdefghijklmnopqrstuvwxyz") != strlen(name + digits + 1) ||
            jobs_dir(W.s, dir, sizeof dir) < 0)
            return -1;
    } else if (!backup_name_valid(name) || backup_dir_of(store_path(W.s), dir, sizeof dir, NULL) < 0) {
        return -1;
    }
    int n = snprintf(out, cap, "%s/%s", dir, name);
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

/* Every job record that is answered passes through here: the live progress of the
 * running job; for those who may not download its file, no server path or file name
 * anywhere in it; for those who may, whether its file can still be downloaded. */
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
        if (json_is_object(result)) {
            json_object_del(result, "file");
            if (k && k->own)
                json_object_del(result, "name");
        }
        const char *msg = res_str(rec, "message");
        if (msg && strchr(msg, '/'))
            json_object_set_new(rec, "message", json_string("任务失败（详细原因仅市院管理员可见）"));
        return 0;
    }
    if (k->downloadable && json_is_object(result) && status && !strcmp(status, "done")) {
        const char *name = res_str(result, "name");
        char path[BACKUP_PATH_MAX + 256];
        struct stat sb;
        bool there = name && job_file_path(k, name, path, sizeof path) == 0 && stat(path, &sb) == 0;
        json_object_set_new(result, "downloadable", json_boolean(there));
    }
    return 0;
}

static const char *content_type_of(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (dot && !strcmp(dot, ".xlsx"))
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    if (dot && !strcmp(dot, ".csv"))
        return "text/csv; charset=utf-8";
    return "application/vnd.sqlite3";
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
    const char *shown = json_is_object(result) ? res_str(result, "display_name") : NULL;
    char path[BACKUP_PATH_MAX + 256];
    int64_t proc = res_int(rec, "procuratorate_id");
    bool may = k && privileged(x->who, k, rec) && k->downloadable;
    bool has_file =
        may && status && !strcmp(status, "done") && job_file_path(k, name, path, sizeof path) == 0;
    if (shown)
        out->display_name = arena_strdup(x->a, shown);
    json_decref(rec); /* "kind", "status", "name" and "display_name" go with it */
    if (!may)
        return rerr_set(err, R_ENOTFOUND, "not_found", "", "后台任务不存在或无权查看");
    if (!has_file)
        return rerr_set(err, R_ENOTFOUND, "not_found", "", "该任务没有可下载的文件（未完成，或不产生文件）");
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
        if (fd >= 0)
            close(fd);
        return rerr_set(err, R_ENOTFOUND, "not_found", "",
                        k->own ? "文件已不存在（任务文件保留 %d 小时）"
                               : "备份文件已不存在（可能已按保留份数清理）",
                        JOBS_KEEP_HOURS);
    }
    out->fd = fd;
    out->size = sb.st_size;
    snprintf(out->name, sizeof out->name, "%s", strrchr(path, '/') + 1);
    out->content_type = content_type_of(out->name);
    /* A copy leaves the server: recorded like any write. */
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

/* POST /jobs/<id>/cancel: its submitter, or whoever may start such jobs there, stops it.
 * A queued job ends 'cancelled' at once; a running one is asked to stop (its kind checks
 * job_cancelled() and leaves nothing behind) and ends 'cancelled' when it has. */
static int cancel_action(struct res_ctx *x, int64_t id, json_t *body, json_t **out, struct rerr *err)
{
    (void)body;
    json_t *rec;
    int rc = res_get(x, &res_jobs, id, &rec, err);
    if (rc < 0)
        return rc;
    const char *kind = res_str(rec, "kind");
    const struct job_kind *k = kind ? kind_find(kind) : NULL;
    bool mine = x->who->user_id && res_int(rec, "created_by") == x->who->user_id;
    bool may = mine || (k && !k->own && privileged(x->who, k, rec));
    int64_t proc = res_int(rec, "procuratorate_id");
    json_decref(rec);
    if (!may)
        return rerr_set(err, R_EFORBID, "forbidden", "", "只有提交者可以取消这个任务");
    /* A running job hears it before the write lock is asked for: an import holds that
     * lock for as long as it runs, and would otherwise be done before it heard. */
    bool flagged = false;
    pthread_mutex_lock(&live.lock);
    if (live.id == id && live.running) /* "live" keeps the last job's figures after it ended */
        live.cancel = flagged = true;
    pthread_mutex_unlock(&live.lock);
    if ((rc = store_begin(x->c, err)) < 0) {
        /* nothing was recorded: nothing is asked either (the client may try again) */
        pthread_mutex_lock(&live.lock);
        if (flagged && live.id == id)
            live.cancel = false;
        pthread_mutex_unlock(&live.lock);
        return rc;
    }
    char ts[32];
    text_now(ts);
    store_stmt *st = store_prepare(x->c, "UPDATE jobs SET status = 'cancelled', message = '已取消',"
                                         " finished_at = ?, updated_at = ?, version = version + 1"
                                         " WHERE id = ? AND status = 'queued'");
    store_bind_text(st, 1, ts);
    store_bind_text(st, 2, ts);
    store_bind_int(st, 3, id);
    rc = store_step(st, err);
    store_done(st);
    bool was_queued = rc >= 0 && store_changes(x->c) == 1;
    bool running = false;
    if (rc >= 0 && !was_queued) {
        pthread_mutex_lock(&live.lock);
        /* The worker claims under the write lock this transaction holds: a job not
         * queued now is running (the one "live" is for) or over. */
        running = live.id == id && live.running;
        if (running)
            live.cancel = true;
        pthread_mutex_unlock(&live.lock);
        st = store_prepare(x->c, "SELECT status FROM jobs WHERE id = ?");
        store_bind_int(st, 1, id);
        if ((rc = store_step(st, err)) == STORE_ROW && strcmp(store_col_text(st, 0), "running") != 0)
            running = flagged && !strcmp(store_col_text(st, 0), "cancelled"); /* stopped as asked */
        store_done(st);
        if (rc >= 0 && !running)
            rc = rerr_set(err, R_ECONFLICT, "job_finished", "", "任务已经结束，无法取消");
    }
    if (rc >= 0) {
        json_t *after = json_pack("{s:s}", "status", was_queued ? "cancelled" : "cancelling");
        rc = audit_append(x->c, x->who, "cancel", "jobs", id, proc, NULL, after, err);
        json_decref(after);
    }
    if (rc >= 0)
        rc = store_commit(x->c, err);
    if (rc < 0) {
        store_rollback(x->c);
        return rc;
    }
    if (was_queued)
        jobs_dir_clean(W.s, id, false);
    return res_get(x, &res_jobs, id, out, err);
}

static bool signed_in(const struct actor *who)
{
    return who->role != ROLE_NONE;
}

static const struct field job_fields[] = {
    {"procuratorate_id", "检察院", FT_REF, FF_FILTER, 0, NULL, "procuratorates", 0, 0},
    {"kind", "任务类型", FT_TEXT, FF_FILTER, 0, NULL, NULL, 0, 0},
    {"status", "状态", FT_ENUM, FF_FILTER, 0, statuses, NULL, 0, 0},
    {"params", "参数", FT_JSON, 0, 0, NULL, NULL, 0, 0},
    {"result", "结果", FT_JSON, 0, 0, NULL, NULL, 0, 0},
    {"created_by", "提交者", FT_INT, FF_FILTER, 0, NULL, NULL, 0, 0},
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
    {.name = "cancel", .method = "POST", .status = 200, .run = cancel_action, .may = signed_in},
    {0},
};

const struct resource res_jobs = {
    .name = "jobs",
    .table = "jobs",
    .label = "后台任务",
    .fields = job_fields,
    .nfields = sizeof job_fields / sizeof job_fields[0],
    .read = READ_OWN,
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
