/*
 * Unit tests for src/jobs/jobs.c on a real database and worker thread: what a submission
 * refuses (a malformed body, a role or scope that may not start the kind) and what it
 * writes (a queued row, an audit entry); a backup job run to the end with its progress
 * never going back; a failing job and what each reader is told of it; a job left running
 * by a crash, and one of a kind this build does not know; who may download the result.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "auth/actor.h"
#include "auth/audit.h"
#include "auth/password.h"
#include "auth/session.h"
#include "domain/resource.h"
#include "jobs/jobs.h"
#include "store/store.h"

static char dir[64], db_path[96];
static store *db;
/* The city's administrator and viewer, and a county administrator. */
static struct actor city_admin, city_viewer, county_admin;

static void remove_tree(const char *p)
{
    DIR *d = opendir(p);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char q[512];
            snprintf(q, sizeof q, "%s/%s", p, e->d_name);
            remove_tree(q);
        }
        closedir(d);
        rmdir(p);
    } else {
        unlink(p);
    }
}

static json_t *create(struct res_ctx *x, const char *coll, json_t *body)
{
    struct rerr e = {0};
    json_t *out = NULL;
    if (res_create(x, res_find(coll), body, &out, &e) < 0)
        fail_msg("%s: %s", coll, e.message);
    json_decref(body);
    return out;
}

static void load_actor(const char *username, const char *role, int64_t proc, struct actor *who,
                       struct res_ctx *x)
{
    json_t *u = create(x, "users",
                       json_pack("{s:s, s:s, s:s, s:s, s:I}", "username", username, "display_name", username,
                                 "password", "Ren-Wu-Ce-Shi-2026", "role", role, "procuratorate_id",
                                 (json_int_t)proc));
    struct rerr e = {0};
    if (actor_load(x->c, json_integer_value(json_object_get(u, "id")), who, &e) < 0)
        fail_msg("%s", e.message);
    json_decref(u);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/ronghe-jobs-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(db_path, sizeof db_path, "%s/j.db", dir);
    struct rerr e = {0};
    if (store_open(db_path, STORE_CREATE_NEW, &db, &e) < 0 || audit_open_key(db, &e) < 0)
        fail_msg("%s", e.message);
    struct actor sys;
    actor_system(&sys);
    store_conn *c = store_acquire(db);
    struct res_ctx x = {.c = c, .who = &sys, .a = arena_new()};
    json_decref(
        create(&x, "procuratorates",
               json_pack("{s:s, s:s, s:i}", "name", "测试市人民检察院", "short_name", "市院", "level", 1)));
    json_decref(create(&x, "procuratorates",
                       json_pack("{s:s, s:s, s:i, s:i}", "name", "测试县人民检察院", "short_name", "县院",
                                 "level", 2, "parent_id", 1)));
    load_actor("city-admin", "admin", 1, &city_admin, &x);
    load_actor("city-viewer", "viewer", 1, &city_viewer, &x);
    load_actor("county-admin", "admin", 2, &county_admin, &x);
    arena_free(x.a);
    store_release(c);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    jobs_stop();
    audit_close(db);
    store_close(db);
    remove_tree(dir);
    return 0;
}

static int submit(const struct actor *who, const char *body_json, json_t **out, struct rerr *e)
{
    store_conn *c = store_acquire(db);
    struct res_ctx x = {.c = c, .who = who, .a = arena_new()};
    json_t *body = json_loads(body_json, JSON_DECODE_ANY, NULL);
    assert_non_null(body);
    int rc = jobs_submit(&x, body, out, e);
    json_decref(body);
    arena_free(x.a);
    store_release(c);
    return rc;
}

static int read_job(const struct actor *who, int64_t id, json_t **out, struct rerr *e)
{
    store_conn *c = store_acquire(db);
    struct res_ctx x = {.c = c, .who = who, .a = arena_new()};
    int rc = res_get(&x, &res_jobs, id, out, e);
    arena_free(x.a);
    store_release(c);
    return rc;
}

static int64_t number(const char *sql)
{
    store_conn *c = store_acquire(db);
    struct rerr e = {0};
    store_stmt *st = store_prepare_dynamic(c, sql);
    assert_int_equal(store_step(st, &e), STORE_ROW);
    int64_t n = store_col_int(st, 0);
    store_finalize(st);
    store_release(c);
    return n;
}

static void exec(const char *sql)
{
    store_conn *c = store_acquire(db);
    struct rerr e = {0};
    if (store_exec(c, sql, &e) < 0)
        fail_msg("%s: %s", sql, e.message);
    store_release(c);
}

/* Read job "id" as "who" until it is done or failed (at most 20 s); each (done, total)
 * seen while it runs goes to "seen" (up to "cap"), their count to *nseen. */
static json_t *wait_for(const struct actor *who, int64_t id, int64_t (*seen)[2], int cap, int *nseen)
{
    for (int i = 0; i < 20000; i++) {
        json_t *rec = NULL;
        struct rerr e = {0};
        assert_int_equal(read_job(who, id, &rec, &e), 0);
        const char *status = json_string_value(json_object_get(rec, "status"));
        if (!strcmp(status, "done") || !strcmp(status, "failed"))
            return rec;
        if (!strcmp(status, "running") && seen && *nseen < cap) {
            seen[*nseen][0] = json_integer_value(json_object_get(rec, "done"));
            seen[*nseen][1] = json_integer_value(json_object_get(rec, "total"));
            (*nseen)++;
        }
        json_decref(rec);
        usleep(1000);
    }
    fail_msg("job %lld did not finish", (long long)id);
    return NULL;
}

/* ------------------------------------------------------------ submission */

static void submission_refused(void **state)
{
    (void)state;
    static const struct {
        const char *body, *code, *field;
    } bad[] = {
        {"[]", "required", "kind"},
        {"{}", "required", "kind"},
        {"{\"kind\": 7}", "required", "kind"},
        {"{\"kind\": \"nosuch\"}", "invalid_value", "kind"},
        {"{\"kind\": \"backup\", \"to\": \"/etc/passwd\"}", "unknown_field", "to"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *out = NULL;
        struct rerr e = {0};
        assert_int_equal(submit(&city_admin, bad[i].body, &out, &e), R_EINVAL);
        assert_string_equal(e.code, bad[i].code);
        assert_string_equal(e.field, bad[i].field);
        assert_null(out);
    }
    /* A backup is the city administrators': a viewer and a county administrator may not. */
    const struct actor *refused[] = {&city_viewer, &county_admin};
    for (int i = 0; i < 2; i++) {
        json_t *out = NULL;
        struct rerr e = {0};
        assert_int_equal(submit(refused[i], "{\"kind\": \"backup\"}", &out, &e), R_EFORBID);
    }
    assert_int_equal(number("SELECT count(*) FROM jobs"), 0);
    assert_int_equal(number("SELECT count(*) FROM audit WHERE entity = 'jobs'"), 0);
}

static void submitted_queued_and_audited(void **state)
{
    (void)state;
    json_t *out = NULL;
    struct rerr e = {0};
    assert_int_equal(submit(&city_admin, "{\"kind\": \"backup\"}", &out, &e), 0);
    int64_t id = json_integer_value(json_object_get(out, "id"));
    assert_true(id > 0);
    assert_string_equal(json_string_value(json_object_get(out, "status")), "queued");
    assert_string_equal(json_string_value(json_object_get(out, "kind")), "backup");
    json_decref(out);
    assert_int_equal(
        number("SELECT count(*) FROM jobs WHERE status = 'queued' AND created_by_name = 'city-admin'"), 1);
    assert_int_equal(number("SELECT count(*) FROM audit WHERE entity = 'jobs' AND action = 'create'"
                            " AND username = 'city-admin'"),
                     1);
    /* The county administrator does not see the city's job; the city's viewer does. */
    assert_int_equal(read_job(&county_admin, id, &out, &e), R_ENOTFOUND);
    assert_int_equal(read_job(&city_viewer, id, &out, &e), 0);
    json_decref(out);
}

/* ------------------------------------------------------------ running */

static void backup_runs_to_the_end(void **state)
{
    (void)state;
    /* Some megabytes, so that the copy takes several steps. */
    exec("CREATE TABLE filler(x BLOB);"
         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000)"
         " INSERT INTO filler SELECT randomblob(1000) FROM n");
    jobs_start(db);
    json_t *out = NULL;
    struct rerr e = {0};
    assert_int_equal(submit(&city_admin, "{\"kind\": \"backup\"}", &out, &e), 0);
    int64_t id = json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    static int64_t seen[4096][2];
    int nseen = 0;
    json_t *rec = wait_for(&city_admin, id, seen, 4096, &nseen);
    assert_string_equal(json_string_value(json_object_get(rec, "status")), "done");
    /* The final figures: all of it done. */
    int64_t done = json_integer_value(json_object_get(rec, "done")),
            total = json_integer_value(json_object_get(rec, "total"));
    assert_true(total > 1000); /* pages */
    assert_int_equal(done, total);
    /* Whatever was seen while it ran (the live figures, from memory) never went back and
     * never passed the total. */
    bool live = false;
    for (int i = 0; i < nseen; i++)
        live |= seen[i][1] > 0;
    assert_true(live);
    for (int i = 0; i < nseen; i++) {
        assert_true(seen[i][0] <= seen[i][1]);
        if (i) {
            assert_true(seen[i][0] >= seen[i - 1][0]);
            assert_true(seen[i][1] >= seen[i - 1][1]);
        }
        assert_true(seen[i][1] <= total);
    }
    json_t *result = json_object_get(rec, "result");
    assert_true(json_is_object(result));
    char name[128];
    assert_non_null(json_string_value(json_object_get(result, "name")));
    snprintf(name, sizeof name, "%s", json_string_value(json_object_get(result, "name")));
    assert_true(json_is_true(json_object_get(result, "downloadable")));
    const char *file = json_string_value(json_object_get(result, "file"));
    assert_non_null(file);
    struct stat sb;
    assert_int_equal(stat(file, &sb), 0);
    assert_int_equal(sb.st_size, json_integer_value(json_object_get(result, "bytes")));
    json_decref(rec);
    /* The viewer reads the job, without the server's path. */
    assert_int_equal(read_job(&city_viewer, id, &rec, &e), 0);
    assert_null(json_object_get(json_object_get(rec, "result"), "file"));
    assert_non_null(json_object_get(json_object_get(rec, "result"), "name"));
    json_decref(rec);
    /* Download: the administrator (audited), nobody else. */
    store_conn *c = store_acquire(db);
    struct res_ctx x = {.c = c, .who = &city_admin, .a = arena_new()};
    struct res_file f;
    assert_int_equal(jobs_download(&x, id, &f, &e), 0);
    assert_int_equal(f.size, sb.st_size);
    assert_string_equal(f.name, name);
    close(f.fd);
    x.who = &city_viewer;
    assert_int_equal(jobs_download(&x, id, &f, &e), R_ENOTFOUND);
    x.who = &county_admin;
    assert_int_equal(jobs_download(&x, id, &f, &e), R_ENOTFOUND);
    arena_free(x.a);
    store_release(c);
    assert_int_equal(number("SELECT count(*) FROM audit WHERE entity = 'jobs' AND action = 'download'"), 1);
}

static void failure_is_recorded(void **state)
{
    (void)state;
    /* Where the backups go is a file, not a directory: the backup cannot be written. */
    char gens[128];
    snprintf(gens, sizeof gens, "%s.backups", db_path);
    FILE *f = fopen(gens, "w");
    assert_non_null(f);
    fclose(f);
    jobs_start(db);
    json_t *out = NULL;
    struct rerr e = {0};
    assert_int_equal(submit(&city_admin, "{\"kind\": \"backup\"}", &out, &e), 0);
    int64_t id = json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    json_t *rec = wait_for(&city_admin, id, NULL, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(rec, "status")), "failed");
    const char *msg = json_string_value(json_object_get(rec, "message"));
    assert_non_null(strstr(msg, gens)); /* the administrator is told where */
    json_decref(rec);
    /* A viewer is not shown the server's paths. */
    assert_int_equal(read_job(&city_viewer, id, &rec, &e), 0);
    assert_string_equal(json_string_value(json_object_get(rec, "message")),
                        "任务失败（详细原因仅市院管理员可见）");
    json_decref(rec);
    /* A failed job has nothing to download. */
    store_conn *c = store_acquire(db);
    struct res_ctx x = {.c = c, .who = &city_admin, .a = arena_new()};
    struct res_file jf;
    assert_int_equal(jobs_download(&x, id, &jf, &e), R_ENOTFOUND);
    arena_free(x.a);
    store_release(c);
}

static void interrupted_and_unknown_jobs_fail(void **state)
{
    (void)state;
    /* Left running by a server that died, and queued by a build that knew another kind. */
    exec("INSERT INTO jobs(procuratorate_id, kind, status, created_by_name, created_at, updated_at)"
         " VALUES (1, 'backup', 'running', 'x', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),"
         " (1, 'nosuch', 'queued', 'x', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
    jobs_start(db);
    json_t *rec = wait_for(&city_admin, 2, NULL, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(rec, "status")), "failed");
    assert_non_null(strstr(json_string_value(json_object_get(rec, "message")), "未知的任务类型 nosuch"));
    json_decref(rec);
    rec = wait_for(&city_admin, 1, NULL, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(rec, "status")), "failed");
    assert_string_equal(json_string_value(json_object_get(rec, "message")), "服务重启，任务中断");
    json_decref(rec);
}

static void touch(const char *path, time_t age_s)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("x", f);
    fclose(f);
    struct timespec t[2] = {{.tv_sec = time(NULL) - age_s}, {.tv_sec = time(NULL) - age_s}};
    assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
}

/* The jobs' own files (exports, imports) are kept JOBS_KEEP_HOURS: older ones go when the
 * worker starts and every few minutes after; those an interrupted job left go at start. */
static void job_files_kept_a_day(void **state)
{
    (void)state;
    char jd[128], old[160], young[160], spent[160];
    snprintf(jd, sizeof jd, "%s.jobs", db_path);
    assert_int_equal(mkdir(jd, 0700), 0);
    snprintf(old, sizeof old, "%s/7.xlsx", jd);
    snprintf(young, sizeof young, "%s/8.csv", jd);
    snprintf(spent, sizeof spent, "%s/1.in", jd);
    touch(old, (time_t)JOBS_KEEP_HOURS * 3600 + 60);
    touch(young, 3600);
    touch(spent, 10);
    exec("INSERT INTO jobs(procuratorate_id, kind, status, created_by_name, created_at, updated_at)"
         " VALUES (1, 'backup', 'running', 'x', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
    jobs_start(db);
    assert_int_not_equal(access(old, F_OK), 0);
    assert_int_equal(access(young, F_OK), 0);
    assert_int_not_equal(access(spent, F_OK), 0); /* job 1 was interrupted */
}

int main(void)
{
    password_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(submission_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(submitted_queued_and_audited, setup, teardown),
        cmocka_unit_test_setup_teardown(backup_runs_to_the_end, setup, teardown),
        cmocka_unit_test_setup_teardown(failure_is_recorded, setup, teardown),
        cmocka_unit_test_setup_teardown(interrupted_and_unknown_jobs_fail, setup, teardown),
        cmocka_unit_test_setup_teardown(job_files_kept_a_day, setup, teardown),
    };
    return cmocka_run_group_tests_name("jobs/jobs", tests, NULL, NULL);
}
