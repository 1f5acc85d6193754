/*
 * import_job.c: an uploaded spreadsheet imported as a background job. The domain does
 * the work (import_file: the same rows through the same engine as the command line); here
 * only the job's part: its parameters, its submitter as the actor, progress and
 * cancellation through job_progress_of(), and the report file.
 */
#include "jobs/import_job.h"

#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "domain/import.h"
#include "domain/resource.h"
#include "domain/template.h"

static const struct resource *collection_of(json_t *params, struct rerr *err)
{
    json_t *c = json_object_get(params, "collection");
    if (!json_is_string(c))
        return rerr_set(err, R_EINVAL, "required", "collection", "请指定要导入的集合（collection）"), NULL;
    const struct resource *r = res_find(json_string_value(c));
    if (!r) {
        char name[128];
        text_clip(json_string_value(c), 20, name, sizeof name);
        return rerr_set(err, R_EINVAL, "invalid_value", "collection", "没有名为“%s”的集合", name), NULL;
    }
    if (!import_supported(r))
        return rerr_set(err, R_EINVAL, "invalid_value", "collection", "%s不能从表格导入", r->label), NULL;
    return r;
}

int import_job_authorize(struct res_ctx *x, json_t *params, struct rerr *err)
{
    const char *k;
    json_t *v;
    json_object_foreach(params, k, v)
    {
        if (!strcmp(k, "collection"))
            continue;
        if (!strcmp(k, "update") || !strcmp(k, "check")) {
            if (!json_is_boolean(v))
                return rerr_set(err, R_EINVAL, "invalid_type", k, "%s 应为 true 或 false", k);
            continue;
        }
        if (!strcmp(k, "sheet")) {
            if (!json_is_string(v) || !*json_string_value(v) || json_string_length(v) > 100)
                return rerr_set(err, R_EINVAL, "invalid_value", k,
                                "工作表名 sheet 应为 1 到 100 个字节的文本");
            continue;
        }
        return rerr_set(err, R_EINVAL, "unknown_field", k, "导入任务不接受参数：%s", k);
    }
    const struct resource *r = collection_of(params, err);
    if (!r)
        return err->rc;
    struct authz_may may;
    authz_collection(x->who, r->read, r->write, r->export, &may);
    if (!may.create)
        return rerr_set(err, R_EFORBID, "forbidden", "collection", "无权导入%s", r->label);
    if (json_is_true(json_object_get(params, "update")) && !may.update)
        return rerr_set(err, R_EFORBID, "forbidden", "update", "无权以更新模式导入%s", r->label);
    return 0;
}

int import_job_run(struct job *j, store *s, json_t *params, json_t **result, struct rerr *err)
{
    const struct resource *r = collection_of(params, err);
    if (!r)
        return err->rc;
    struct actor who;
    int rc = job_actor(j, &who, err);
    if (rc < 0)
        return rc;
    const char *in = job_input(j);
    if (!in)
        return rerr_set(err, R_EINVAL, "required", "", "导入任务缺少上传的文件");
    struct import_options o = {
        .update = json_is_true(json_object_get(params, "update")),
        .check = json_is_true(json_object_get(params, "check")),
        .sheet = json_string_value(json_object_get(params, "sheet")),
        .progress = job_progress_of(j),
        .max_rows = IMPORT_JOB_MAX_ROWS,
    };
    store_conn *c = store_acquire(s);
    struct res_ctx x = {.c = c, .who = &who, .a = arena_new()};
    struct import_result res;
    rc = import_file(&x, r, in, &o, &res, err);
    if (rc == 0) {
        *result = import_result_json(&res, IMPORT_JOB_ERRORS);
        json_object_set_new(*result, "collection", json_string(r->name));
        json_object_set_new(*result, "label", json_string(r->label));
        json_object_set_new(*result, "check", json_boolean(o.check));
        json_object_set_new(*result, "update", json_boolean(o.update));
        char path[4096];
        if (res.error_count && job_output(j, "xlsx", path, sizeof path) == 0) {
            struct rerr re = {0};
            if (import_report_write(&res, path, &re) == 0) {
                const char *base = strrchr(path, '/');
                char shown[160];
                snprintf(shown, sizeof shown, "%s导入错误报告.xlsx", r->label);
                json_object_set_new(*result, "name", json_string(base ? base + 1 : path));
                json_object_set_new(*result, "display_name", json_string(shown));
            }
        }
    }
    import_result_free(&res);
    arena_free(x.a);
    store_release(c);
    return rc;
}
