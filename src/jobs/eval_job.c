/*
 * eval_job: the "eval" kind of job — a run of a scheme over a period (domain/evaluation.h
 * eval_run) with the job's progress, as the submitter stands when it runs.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "domain/evaluation.h"
#include "domain/resource.h"
#include "jobs/transfer.h"

/* {"scheme_id": N, "period": "2025"}: nothing else. */
static int parse(json_t *params, int64_t *scheme, const char **period, struct rerr *err)
{
    const char *key;
    json_t *v;
    json_object_foreach(params, key, v)
    {
        if (strcmp(key, "kind") && strcmp(key, "scheme_id") && strcmp(key, "period"))
            return rerr_set(err, R_EINVAL, "unknown_field", key, "未知字段：%s", key);
    }
    json_t *s = json_object_get(params, "scheme_id");
    if (!json_is_integer(s) || json_integer_value(s) <= 0)
        return rerr_set(err, R_EINVAL, "invalid_value", "scheme_id",
                        "请选择考评方案（scheme_id 应为正整数）");
    *scheme = json_integer_value(s);
    *period = json_string_value(json_object_get(params, "period"));
    struct eval_period p;
    return eval_period_parse(*period, &p, err);
}

int eval_job_authorize(struct res_ctx *x, json_t *params, struct rerr *err)
{
    int64_t scheme;
    const char *period;
    int rc = parse(params, &scheme, &period, err);
    if (rc < 0)
        return rc;
    struct row_scope s = {.procuratorate_id = x->who->procuratorate_id};
    if ((rc = authz_write_row(x->who, WRITE_ADMIN, &s, err)) < 0)
        return rc;
    /* a scheme that is not there is refused now (422), not queued to fail later */
    int64_t found;
    if ((rc = res_lookup_int(x, "eval_schemes", "id", scheme, "scheme_id", &found, err)) == R_EUNPROC)
        rc = rerr_set(err, R_EUNPROC, "invalid_reference", "scheme_id", "考评方案不存在（编号 %" PRId64 "）",
                      scheme);
    return rc;
}

int eval_job_run(struct job *j, store *s, json_t *params, json_t **result, struct rerr *err)
{
    struct actor who;
    int rc = job_actor(j, &who, err);
    if (rc < 0)
        return rc;
    int64_t scheme;
    const char *period;
    if ((rc = parse(params, &scheme, &period, err)) < 0)
        return rc;
    arena *a = arena_new();
    store_conn *c = store_acquire(s);
    struct res_ctx x = {.c = c, .who = &who, .a = a};
    rc = eval_run(&x, scheme, period, job_progress_of(j), result, err);
    store_release(c);
    arena_free(a);
    return rc;
}
