/*
 * export_job: the "export" kind of job (transfer.h). The params become a struct
 * export_spec (domain/export.h) twice: when the job is submitted, to refuse at once what
 * would fail (no permission, an unknown filter or column), and when it runs, as the
 * submitter stands then (job_actor re-reads role and scope).
 */
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "domain/export.h"
#include "jobs/transfer.h"

/* Holds what the spec points into: "params" itself, or numbers turned to text in "a". */
struct parsed {
    struct export_spec spec;
    struct res_query query;
    const char *columns[EXPORT_MAX_COLUMNS];
    const char *labels[EXPORT_MAX_COLUMNS];
};

static int bad(struct rerr *err, const char *field, const char *message)
{
    return rerr_set(err, R_EINVAL, "invalid_value", field, "%s", message);
}

static int parse(arena *a, json_t *params, struct parsed *p, struct rerr *err)
{
    *p = (struct parsed){0};
    const char *key;
    json_t *v;
    json_object_foreach(params, key, v)
    {
        /* "kind": the stored params the worker runs with still name it */
        if (strcmp(key, "kind") && strcmp(key, "collection") && strcmp(key, "format") &&
            strcmp(key, "query") && strcmp(key, "columns") && strcmp(key, "labels"))
            return rerr_set(err, R_EINVAL, "unknown_field", key, "未知字段：%s", key);
    }
    const char *coll = json_string_value(json_object_get(params, "collection"));
    if (!coll)
        return rerr_set(err, R_EINVAL, "required", "collection", "缺少要导出的数据集（collection）");
    p->spec.r = res_find(coll);
    if (!p->spec.r || p->spec.r->export == EXPORT_NONE)
        return rerr_set(err, R_EINVAL, "invalid_value", "collection", "没有可以导出的数据集：%s", coll);
    json_t *fmt = json_object_get(params, "format");
    int f = fmt ? export_format_parse(json_string_value(fmt)) : SHEET_OUT_XLSX;
    if (f < 0)
        return bad(err, "format", "导出格式应为 xlsx 或 csv");
    p->spec.format = (enum sheet_out)f;

    json_t *q = json_object_get(params, "query");
    if (q && !json_is_object(q) && !json_is_null(q))
        return bad(err, "query", "query 应为对象（列表的筛选和排序）");
    json_object_foreach(q, key, v)
    {
        if (p->query.n == RES_MAX_PARAMS)
            return bad(err, "query", "筛选条件过多");
        const char *text = json_string_value(v);
        if (json_is_integer(v))
            text = arena_printf(a, "%lld", (long long)json_integer_value(v));
        else if (json_is_boolean(v))
            text = json_is_true(v) ? "true" : "false";
        else if (json_is_null(v))
            text = "";
        if (!text)
            return rerr_set(err, R_EINVAL, "invalid_value", key, "筛选条件 %s 应为文字或数字", key);
        p->query.key[p->query.n] = key;
        p->query.val[p->query.n++] = text;
    }
    p->spec.query = &p->query;

    json_t *cols = json_object_get(params, "columns"), *labels = json_object_get(params, "labels");
    if ((cols && !json_is_array(cols) && !json_is_null(cols)) ||
        (labels && !json_is_array(labels) && !json_is_null(labels)))
        return bad(err, "columns", "columns 和 labels 应为数组");
    if (json_array_size(cols) > EXPORT_MAX_COLUMNS)
        return bad(err, "columns", "导出的列过多");
    if (labels && json_array_size(labels) != json_array_size(cols))
        return bad(err, "labels", "labels 应与 columns 一一对应");
    for (size_t i = 0; i < json_array_size(cols); i++) {
        p->columns[i] = json_string_value(json_array_get(cols, i));
        p->labels[i] = labels ? json_string_value(json_array_get(labels, i)) : NULL;
        if (!p->columns[i] || (labels && !p->labels[i]))
            return bad(err, "columns", "列名和列标题应为文字");
    }
    p->spec.ncolumns = (int)json_array_size(cols);
    p->spec.columns = p->spec.ncolumns ? p->columns : NULL;
    p->spec.labels = labels && p->spec.ncolumns ? p->labels : NULL;
    return 0;
}

int export_job_authorize(struct res_ctx *x, json_t *params, struct rerr *err)
{
    struct parsed *p = arena_alloc(x->a, sizeof *p);
    int rc = parse(x->a, params, p, err);
    return rc < 0 ? rc : export_check(x, &p->spec, err);
}

int export_job_run(struct job *j, store *s, json_t *params, json_t **result, struct rerr *err)
{
    struct actor who;
    int rc = job_actor(j, &who, err);
    if (rc < 0)
        return rc;
    char path[4096];
    arena *a = arena_new();
    store_conn *c = store_acquire(s);
    struct res_ctx x = {.c = c, .who = &who, .a = a};
    struct parsed *p = arena_alloc(a, sizeof *p);
    struct export_result res;
    if ((rc = parse(a, params, p, err)) == 0) {
        if (job_output(j, p->spec.format == SHEET_OUT_XLSX ? "xlsx" : "csv", path, sizeof path) < 0)
            rc = rerr_set(err, R_EINTERNAL, "io", "", "无法创建导出文件");
        else
            rc = export_run(&x, &p->spec, path, job_progress_of(j), &res, err);
    }
    store_release(c);
    if (rc == 0) {
        const char *slash = strrchr(path, '/');
        *result = json_pack("{s:I, s:I, s:s, s:s, s:s}", "rows", (json_int_t)res.rows, "bytes",
                            (json_int_t)res.bytes, "name", slash ? slash + 1 : path, "display_name",
                            res.display_name, "collection", p->spec.r->name);
        if (!*result)
            rc = rerr_set(err, R_EINTERNAL, "json", "", "无法生成任务结果");
    }
    arena_free(a);
    return rc;
}
