/*
 * eval_export.c: a period's evaluation results taken away as a spreadsheet (GET
 * /eval/results/export): the ranking as GET /eval/results answers it (the same run, the
 * same scope) on a sheet 考评结果, and every subject's indicators — value, score, weight
 * and whether 缺项 or 待审核 — on a sheet 指标得分, through the sheet writer (sheet/
 * sheet_write.h) to a temporary file whose descriptor the caller sends. Audited ("export"
 * on eval-results: the period, the run and the number of rows).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/audit.h"
#include "domain/eval_internal.h"
#include "domain/evaluation.h"
#include "domain/member.h"
#include "domain/resource.h"
#include "sheet/sheet_write.h"

static const char *const RANKING[] = {"全市名次", "同级名次", "本院名次", "类别",   "名称",     "总分",
                                      "融合指数", "党建",     "业务",     "融合",   "同频共振", "区间下限",
                                      "区间上限", "所用月数", "缺项",     "待审核", "名次变化", "需重算"};
#define NRANKING ((int)(sizeof RANKING / sizeof RANKING[0]))
static const char *const INDICATORS[] = {"类别", "名称", "维度", "指标", "权重",
                                         "值",   "得分", "状态", "说明"};
#define NINDICATORS ((int)(sizeof INDICATORS / sizeof INDICATORS[0]))

static const char *kind_label(const char *kind)
{
    return !kind                            ? "党组织"
           : !strcmp(kind, "procuratorate") ? "检察院"
           : !strcmp(kind, "member")        ? "党员"
           : !strcmp(kind, "party_group")   ? "党小组"
                                            : "党组织";
}

/* A JSON number or a decimal string as a number cell; null as an empty one. */
static int number(sheet_writer *w, int64_t row, int col, json_t *v)
{
    if (json_is_number(v))
        return sheet_number(w, row, col, json_number_value(v));
    if (json_is_string(v))
        return sheet_number(w, row, col, strtod(json_string_value(v), NULL));
    return sheet_text(w, row, col, NULL);
}

static int header(sheet_writer *w, const char *name, const char *const *cols, int n)
{
    int rc = sheet_add_sheet(w, name);
    sheet_freeze_header(w);
    for (int i = 0; i < n && rc >= 0; i++) {
        rc = sheet_text(w, 0, i, cols[i]);
        sheet_column(w, i,
                     strstr(cols[i], "名称") || strstr(cols[i], "指标") || strstr(cols[i], "说明") ? 30 : 10);
    }
    return rc;
}

static int ranking_sheet(sheet_writer *w, json_t *items)
{
    int rc = header(w, "考评结果", RANKING, NRANKING);
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        int64_t row = (int64_t)i + 1;
        static const char *const nums[] = {"rank_city", "rank_level", "rank_proc"};
        for (int c = 0; c < 3 && rc >= 0; c++)
            rc = number(w, row, c, json_object_get(it, nums[c]));
        const char *kind = json_string_value(json_object_get(it, "subject_kind"));
        if (rc >= 0)
            rc = sheet_text(w, row, 3, kind_label(kind));
        if (rc >= 0)
            rc = sheet_text(w, row, 4, json_string_value(json_object_get(it, "name")));
        static const char *const vals[] = {"total",       "fusion",    "party",        "business",
                                           "linkage",     "resonance", "resonance_lo", "resonance_hi",
                                           "resonance_n", "missing",   "pending"};
        for (int c = 0; c < (int)(sizeof vals / sizeof vals[0]) && rc >= 0; c++)
            rc = number(w, row, 5 + c, json_object_get(it, vals[c]));
        if (rc >= 0)
            rc = sheet_text(w, row, 16, json_string_value(json_object_get(it, "movement")));
        if (rc >= 0)
            rc = sheet_text(w, row, 17, json_is_true(json_object_get(it, "stale")) ? "是" : "否");
    }
    return rc;
}

/* The indicators of each subject of run "run" that "x" may read, in the ranking's order. */
static int indicator_sheet(struct res_ctx *x, sheet_writer *w, json_t *items, int64_t run, int64_t *rows,
                           struct rerr *err)
{
    int rc = header(w, "指标得分", INDICATORS, NINDICATORS);
    if (rc < 0)
        return rc;
    if ((rc = store_begin_read(x->c, err)) < 0)
        return rc;
    int64_t row = 1;
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        const char *kind = json_string_value(json_object_get(it, "subject_kind"));
        store_stmt *st = store_prepare(x->c, "SELECT detail FROM eval_results WHERE run_id = ?"
                                             " AND subject_kind = ? AND subject_id = ?");
        store_bind_int(st, 1, run);
        store_bind_text(st, 2, kind);
        store_bind_int(st, 3, json_integer_value(json_object_get(it, "subject_id")));
        rc = store_step(st, err);
        json_t *detail = rc == STORE_ROW ? json_loads(store_col_text(st, 0), 0, NULL) : NULL;
        store_done(st);
        if (rc < 0)
            break;
        rc = 0; /* a subject gone since the list was read (its run deleted) has no rows */
        size_t k;
        json_t *ind;
        json_array_foreach(json_object_get(detail, "indicators"), k, ind)
        {
            bool pending = json_is_true(json_object_get(ind, "pending"));
            bool missing = json_is_true(json_object_get(ind, "missing"));
            const char *state = pending ? "待审核" : missing ? "缺项" : "";
            const char *text[] = {kind_label(kind), json_string_value(json_object_get(it, "name")),
                                  json_string_value(json_object_get(ind, "dimension")),
                                  json_string_value(json_object_get(ind, "name"))};
            for (int c = 0; c < 4 && rc >= 0; c++)
                rc = sheet_text(w, row, c, text[c]);
            if (rc >= 0)
                rc = number(w, row, 4, json_object_get(ind, "weight"));
            if (rc >= 0)
                rc = number(w, row, 5, json_object_get(ind, "value"));
            if (rc >= 0)
                rc = number(w, row, 6, json_object_get(ind, "score"));
            if (rc >= 0)
                rc = sheet_text(w, row, 7, state);
            if (rc >= 0)
                rc = sheet_text(w, row, 8, json_string_value(json_object_get(ind, "description")));
            row++;
        }
        json_decref(detail);
        if (rc < 0)
            break;
    }
    store_rollback(x->c);
    *rows = row - 1;
    return rc < 0 ? rc : 0;
}

static int audit_export(struct res_ctx *x, json_t *run, const char *period, int64_t rows, struct rerr *err)
{
    json_t *after =
        json_pack("{s:s, s:I, s:I, s:s}", "period", period, "run_id",
                  json_integer_value(json_object_get(run, "id")), "rows", (json_int_t)rows, "format", "xlsx");
    int rc = store_begin(x->c, err);
    if (rc == 0 && (rc = audit_append(x->c, x->who, "export", "eval-results", 0, x->who->procuratorate_id,
                                      NULL, after, err)) == 0)
        rc = store_commit(x->c, err);
    else if (rc == 0)
        store_rollback(x->c);
    json_decref(after);
    return rc;
}

int eval_results_file(struct res_ctx *x, const struct res_query *q, struct res_file *out, struct rerr *err)
{
    /* members' results are records of people: taken away by whoever may export members
     * (administrators), though the leadership may read them on the page */
    for (int i = 0; i < q->n; i++)
        if (!strcmp(q->key[i], "kind") && !strcmp(q->val[i], "member")) {
            int prc = authz_export_collection(x->who, res_members.read, res_members.export, err);
            if (prc < 0)
                return prc;
        }
    json_t *res;
    int rc = eval_results_read(x, q, true, &res, err);
    if (rc < 0)
        return rc;
    json_t *run = json_object_get(res, "run"), *items = json_object_get(res, "items");
    if (!json_is_object(run)) {
        json_decref(res);
        return rerr_set(err, R_ENOTFOUND, "not_found", "period", "该期间还没有考评结果，无可导出");
    }
    const char *period = json_string_value(json_object_get(run, "period"));
    const char *dir = getenv("TMPDIR");
    char *path = arena_printf(x->a, "%s/ronghe-eval-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        json_decref(res);
        return rerr_set(err, R_EINTERNAL, "internal", "", "无法创建临时文件");
    }
    close(fd);
    sheet_writer *w;
    int64_t rows = 0;
    rc = sheet_writer_open(path, SHEET_OUT_XLSX, false, &w, err);
    if (rc == 0) {
        rc = ranking_sheet(w, items);
        if (rc >= 0)
            rc = indicator_sheet(x, w, items, json_integer_value(json_object_get(run, "id")), &rows, err);
        struct rerr werr = {0};
        int wrc = sheet_writer_close(w, &werr);
        if (rc >= 0 && wrc < 0) {
            *err = werr;
            rc = wrc;
        }
    }
    fd = rc < 0 ? -1 : open(path, O_RDONLY | O_CLOEXEC);
    unlink(path);
    struct stat sb;
    if (rc == 0 && (fd < 0 || fstat(fd, &sb) < 0))
        rc = rerr_set(err, R_EINTERNAL, "internal", "", "无法读取生成的表格");
    if (rc == 0)
        rc = audit_export(x, run, period, (int64_t)json_array_size(items) + rows, err);
    if (rc < 0) {
        if (fd >= 0)
            close(fd);
        json_decref(res);
        return rc;
    }
    out->fd = fd;
    out->size = sb.st_size;
    snprintf(out->name, sizeof out->name, "eval-%s.xlsx", period);
    out->display_name = arena_printf(x->a, "考评结果-%s.xlsx", period);
    out->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    json_decref(res);
    return 0;
}
