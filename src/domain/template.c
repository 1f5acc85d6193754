/*
 * template.c: a collection's import template and the report of a rejected import, both
 * XLSX through src/sheet/sheet_write.h. The template is made from import_columns(), the
 * very list the importer matches headers against, so the two cannot drift apart.
 */
#include "domain/template.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/text.h"
#include "sheet/sheet_write.h"

static const char *const yes_no[] = {"是", "否", NULL};

/* An example value for field "f", as a person would type it. */
static const char *example_text(const struct field *f)
{
    static const struct {
        const char *name, *value;
    } by_name[] = {
        {"name", "张三"},
        {"short_name", "科尔沁区"},
        {"case_no", "通科检刑诉〔2024〕12号"},
        {"title", "王某盗窃案"},
        {"topic", "学习贯彻党的二十大精神"},
        {"number", "TL12309-2024-0001"},
        {"place", "党员活动室"},
        {"requester_name", "李某"},
        {"secretary_name", "王五"},
        {"speaker", "王五"},
        {"ethnicity", "蒙古族"},
        {"position", "检察官"},
        {"id_number", "150502198003077777"},
        {"lat", "43.6525"},
        {"period", "2025-Q1"},
        {"lng", "122.2428"},
    };
    for (size_t i = 0; i < sizeof by_name / sizeof by_name[0]; i++)
        if (!strcmp(by_name[i].name, f->name))
            return by_name[i].value;
    if (f->kind == FT_REF) {
        if (!strcmp(f->ref, "procuratorates"))
            return "科尔沁区人民检察院";
        if (!strcmp(f->ref, "branches"))
            return "科尔沁区人民检察院第三党支部";
        if (!strcmp(f->ref, "members"))
            return "张三";
        if (!strcmp(f->ref, "departments"))
            return "第一检察部";
        if (!strcmp(f->ref, "party_groups"))
            return "第一党小组";
        if (!strcmp(f->ref, "cases"))
            return "通科检刑诉〔2024〕12号";
        if (!strcmp(f->ref, "requests"))
            return "TL12309-2024-0001";
        return "1";
    }
    if (f->kind == FT_JSON)
        return "[1, 2]";
    return NULL;
}

/* How column "c" is filled in, in Chinese, into "out". */
static void describe(const struct resource *r, const struct import_column *c, char *out, size_t cap)
{
    const struct field *f = c->f;
    if (c->role == IC_REF_BIRTH) {
        snprintf(out, cap, "选填。“%s”有同名者时用以区分：该党员的出生日期（如 1980-03-01）", f->label);
        return;
    }
    if (c->role == IC_REF_IDCARD) {
        snprintf(out, cap, "选填（仅管理员）。“%s”有同名者时用以区分：该党员的身份证号", f->label);
        return;
    }
    int max = f->max_len ? f->max_len : RES_DEFAULT_MAX_LEN;
    size_t n = 0;
    switch (f->kind) {
    case FT_TEXT:
        n = (size_t)snprintf(out, cap, "文本，最多 %d 个字", max);
        break;
    case FT_INT:
        if (f->min < f->max)
            n = (size_t)snprintf(out, cap, "整数，%" PRId64 " 到 %" PRId64, f->min, f->max);
        else
            n = (size_t)snprintf(out, cap, "整数");
        break;
    case FT_DATE:
        n = (size_t)snprintf(out, cap,
                             "日期，如 2024-03-01（也可写 2024/3/1、2024.3.1、2024年3月1日、20240301）%s",
                             f->flags & FF_FUTURE ? "" : "，不能晚于今天");
        break;
    case FT_BOOL:
        n = (size_t)snprintf(out, cap, "填“是”或“否”（下拉选择）");
        break;
    case FT_ENUM: {
        n = (size_t)snprintf(out, cap, "从下拉列表中选择：");
        for (const char *const *v = f->values; *v && n < cap; v++) {
            const char *label = import_enum_label(*v);
            n += (size_t)snprintf(out + n, cap - n, "%s%s", v == f->values ? "" : "、", label ? label : *v);
        }
        break;
    }
    case FT_REF:
        n = (size_t)snprintf(out, cap, "%s", import_ref_hint(f->ref));
        break;
    case FT_JSON:
        n = (size_t)snprintf(out, cap, "JSON，如 [1, 2]（记录编号的列表）");
        break;
    }
    const struct res_required *q = res_required_of(r, f->name);
    if (q && q->when && n < cap)
        snprintf(out + n, cap - n, "。%s", q->message);
}

static const char *required_text(const struct resource *r, const struct import_column *c)
{
    if (c->required)
        return "必填";
    const struct res_required *q = c->role == IC_FIELD ? res_required_of(r, c->f->name) : NULL;
    if (q && q->when)
        return "条件必填";
    return "选填";
}

static const char *kind_text(const struct import_column *c)
{
    if (c->role == IC_REF_BIRTH)
        return "日期";
    if (c->role == IC_REF_IDCARD)
        return "文本";
    static const char *const names[] = {"整数", "文本", "日期", "是/否", "选项", "引用", "JSON"};
    return names[c->f->kind];
}

/* Column "k" of the example row: the required columns only (optional ones combine with
 * each other by rules of their own); "nth" counts the references to the same table before
 * it (a pairing's two branches are two different ones). */
static int example_cell(sheet_writer *w, int64_t row, int k, const struct import_column *c, int nth)
{
    const struct field *f = c->f;
    if (!c->required)
        return 0;
    if (f->kind == FT_REF && nth > 0 && !strcmp(f->ref, "branches"))
        return sheet_text(w, row, k, "通辽市人民检察院第一党支部");
    switch (f->kind) {
    case FT_DATE:
        return sheet_date(w, row, k, "2024-03-01");
    case FT_BOOL:
        return sheet_text(w, row, k, "否");
    case FT_ENUM: {
        const char *label = import_enum_label(f->values[0]);
        return sheet_text(w, row, k, label ? label : f->values[0]);
    }
    case FT_INT:
        return sheet_number(w, row, k,
                            f->min < f->max ? (double)(f->min > 1 ? f->min : (f->max >= 1 ? 1 : f->min)) : 1);
    default: {
        const char *t = example_text(f);
        return sheet_text(w, row, k, t ? t : "示例");
    }
    }
}

/* The header of column "c" in the template: required ones marked *. */
static const char *header_text(const struct import_column *c, char *buf, size_t cap)
{
    if (!c->required)
        return c->header;
    snprintf(buf, cap, "%s*", c->header);
    return buf;
}

static double width_of(const struct import_column *c)
{
    double w = (double)strlen(c->header) / 3.0 * 2.2 + 4;
    if (c->f->kind == FT_REF && c->role == IC_FIELD)
        w = w < 28 ? 28 : w;
    if (c->f->kind == FT_DATE || c->role == IC_REF_BIRTH)
        w = w < 14 ? 14 : w;
    if (c->role == IC_REF_IDCARD)
        w = w < 22 ? 22 : w;
    return w < 10 ? 10 : w > 50 ? 50 : w;
}

void template_display_name(const struct resource *r, char *out, size_t cap)
{
    snprintf(out, cap, "%s导入模板.xlsx", r->label);
}

/* The 填写说明 sheet: one row per column, then how the file is read. */
static int write_notes(sheet_writer *w, const struct resource *r, const struct import_column *cols, int n)
{
    int rc = sheet_add_sheet(w, "填写说明");
    if (rc < 0)
        return rc;
    static const char *const heads[] = {"列名", "是否必填", "类型", "填写要求"};
    static const double widths[] = {22, 10, 8, 90};
    for (int i = 0; i < 4; i++) {
        sheet_column(w, i, widths[i]);
        if ((rc = sheet_text(w, 0, i, heads[i])) < 0)
            return rc;
    }
    sheet_freeze_header(w);
    for (int k = 0; k < n; k++) {
        char d[1024];
        describe(r, &cols[k], d, sizeof d);
        if ((rc = sheet_text(w, k + 1, 0, cols[k].header)) < 0 ||
            (rc = sheet_text(w, k + 1, 1, required_text(r, &cols[k]))) < 0 ||
            (rc = sheet_text(w, k + 1, 2, kind_text(&cols[k]))) < 0 || (rc = sheet_text(w, k + 1, 3, d)) < 0)
            return rc;
    }
    char key[512] = "";
    size_t used = 0;
    for (const char *k = r->import_key; k && *k;) {
        size_t len = strcspn(k, " ");
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)len, k);
        const struct field *f = res_column_of(r, name);
        if (f && used < sizeof key)
            used += (size_t)snprintf(key + used, sizeof key - used, "%s“%s”", used ? "＋" : "", f->label);
        k += len + (k[len] == ' ');
    }
    char keynote[800];
    if (*key)
        snprintf(keynote, sizeof keynote,
                 "重复导入：%s相同的行视为已有的%s。普通导入时这样的行会被拒绝；选择“更新模式”时更新该记录"
                 "（空白单元格保留原值）。",
                 key, r->label);
    else
        snprintf(keynote, sizeof keynote, "重复导入：%s没有可识别的编号，每一行都会新增一条记录。", r->label);
    const char *notes[] = {
        "说明",
        "第一个工作表的第一行是表头，请勿修改列名；列的顺序可以调整，不需要的选填列可以删除，多余的列会被忽略"
        "。",
        "带 * 的列必须有；每一行都会按与网页录入相同的规则检查。",
        "整个文件全部通过检查才会导入；任何一行有错误时一行也不写入，并给出每个错误的行号、列名和原因。",
        keynote,
        "示例见工作表“示例”（只填了必填列），导入时请勿把示例行复制进来。",
    };
    int64_t row = n + 2;
    for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++)
        if ((rc = sheet_text(w, row++, 0, notes[i])) < 0)
            return rc;
    return 0;
}

int template_write(const struct resource *r, const char *path, struct rerr *err)
{
    if (!import_supported(r))
        return rerr_set(err, R_EINVAL, "not_importable", "", "%s不能从表格导入，没有导入模板", r->label);
    struct import_column cols[IMPORT_MAX_COLUMNS];
    int n = import_columns(r, cols);
    sheet_writer *w;
    int rc = sheet_writer_open(path, SHEET_OUT_XLSX, false, &w, err);
    if (rc < 0)
        return rc;
    /* the sheet the import reads: headers and drop-downs */
    if ((rc = sheet_add_sheet(w, r->label)) < 0)
        goto done;
    for (int k = 0; k < n; k++)
        sheet_column(w, k, width_of(&cols[k]));
    sheet_freeze_header(w);
    for (int k = 0; k < n && rc >= 0; k++) {
        char h[128];
        rc = sheet_text(w, 0, k, header_text(&cols[k], h, sizeof h));
        if (rc >= 0 && cols[k].role == IC_FIELD &&
            (cols[k].f->kind == FT_ENUM || cols[k].f->kind == FT_BOOL)) {
            const char *vals[32];
            int nv = 0;
            if (cols[k].f->kind == FT_BOOL)
                for (; yes_no[nv]; nv++)
                    vals[nv] = yes_no[nv];
            else
                for (const char *const *v = cols[k].f->values; *v && nv < 31; v++, nv++) {
                    const char *label = import_enum_label(*v);
                    vals[nv] = label ? label : *v;
                }
            vals[nv] = NULL;
            rc = sheet_list(w, 1, TEMPLATE_LIST_ROWS, k, vals);
        }
    }
    if (rc < 0 || (rc = write_notes(w, r, cols, n)) < 0)
        goto done;
    /* one example row, on a sheet of its own so that it is never imported by mistake */
    if ((rc = sheet_add_sheet(w, "示例")) < 0)
        goto done;
    for (int k = 0; k < n; k++)
        sheet_column(w, k, width_of(&cols[k]));
    sheet_freeze_header(w);
    for (int k = 0; k < n && rc >= 0; k++) {
        char h[128];
        int nth = 0;
        for (int i = 0; i < k; i++)
            nth += cols[i].required && cols[i].f->kind == FT_REF && cols[k].f->kind == FT_REF &&
                   !strcmp(cols[i].f->ref, cols[k].f->ref);
        if ((rc = sheet_text(w, 0, k, header_text(&cols[k], h, sizeof h))) >= 0)
            rc = example_cell(w, 1, k, &cols[k], nth);
    }
done:
    if (rc < 0 && !err->message[0])
        rerr_set(err, R_EINTERNAL, "sheet_write", "", "写入模板失败");
    {
        struct rerr e2 = {0};
        int rc2 = sheet_writer_close(w, rc < 0 ? &e2 : err);
        if (rc >= 0)
            rc = rc2;
    }
    return rc < 0 ? (err->rc ? err->rc : R_EINTERNAL) : 0;
}

int template_file(struct res_ctx *x, const struct resource *r, struct res_file *out, struct rerr *err)
{
    if (!import_supported(r))
        return rerr_set(err, R_ENOTFOUND, "not_importable", "", "%s不能从表格导入，没有导入模板", r->label);
    struct authz_may may;
    authz_collection(x->who, r->read, r->write, r->export, &may);
    if (!may.create)
        return rerr_set(err, R_EFORBID, "forbidden", "", "无权导入%s", r->label);
    const char *dir = getenv("TMPDIR");
    char *path = arena_printf(x->a, "%s/ronghe-template-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return rerr_set(err, R_EINTERNAL, "internal", "", "无法创建临时文件");
    close(fd);
    int rc = template_write(r, path, err);
    fd = rc < 0 ? -1 : open(path, O_RDONLY | O_CLOEXEC);
    unlink(path);
    struct stat sb;
    if (rc == 0 && (fd < 0 || fstat(fd, &sb) < 0)) {
        if (fd >= 0)
            close(fd);
        return rerr_set(err, R_EINTERNAL, "internal", "", "无法读取生成的模板");
    }
    if (rc < 0)
        return rc;
    out->fd = fd;
    out->size = sb.st_size;
    snprintf(out->name, sizeof out->name, "template-%s.xlsx", r->name);
    char shown[160];
    template_display_name(r, shown, sizeof shown);
    out->display_name = arena_strdup(x->a, shown);
    out->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    return 0;
}

/* ------------------------------------------------------------------ the report */

int import_report_write(const struct import_result *res, const char *path, struct rerr *err)
{
    sheet_writer *w;
    int rc = sheet_writer_open(path, SHEET_OUT_XLSX, false, &w, err);
    if (rc < 0)
        return rc;
    int nc = res->ncols_file;
    if ((rc = sheet_add_sheet(w, "错误报告")) < 0)
        goto done;
    sheet_column(w, 0, 8);
    for (int i = 0; i < nc; i++)
        sheet_column(w, i + 1, 16);
    sheet_column(w, nc + 1, 60);
    sheet_freeze_header(w);
    rc = sheet_text(w, 0, 0, "原行号");
    for (int i = 0; i < nc && rc >= 0; i++)
        rc = sheet_text(w, 0, i + 1, res->headers[i]);
    if (rc >= 0)
        rc = sheet_text(w, 0, nc + 1, "错误原因");
    /* errors are in line order, as are the rows kept: walk both */
    int e = 0;
    for (int b = 0; b < res->nbad && rc >= 0; b++) {
        const struct import_bad_row *br = &res->bad[b];
        int64_t row = b + 1;
        while (e < res->nerrors && res->errors[e].line < br->line)
            e++;
        rc = sheet_number(w, row, 0, (double)br->line);
        for (int i = 0; i < br->ncells && i < nc && rc >= 0; i++)
            if (br->cells[i][0])
                rc = sheet_text(w, row, i + 1, br->cells[i]);
        char why[2048] = "";
        size_t used = 0;
        for (int k = e; k < res->nerrors && res->errors[k].line == br->line && rc >= 0; k++) {
            const struct import_error *x = &res->errors[k];
            if (used < sizeof why)
                used += (size_t)snprintf(why + used, sizeof why - used, "%s%s%s%s", used ? "；" : "",
                                         x->column[0] ? x->column : "", x->column[0] ? "：" : "", x->message);
            if (x->col >= 0 && x->col < nc)
                rc = sheet_mark(w, row, x->col + 1, x->col < br->ncells ? br->cells[x->col] : "", x->message);
        }
        text_utf8_repair(why); /* a long list is cut at the buffer's end, maybe inside a character */
        if (rc >= 0)
            rc = sheet_text(w, row, nc + 1, why);
    }
done:
    if (rc < 0 && !err->message[0])
        rerr_set(err, R_EINTERNAL, "sheet_write", "", "写入错误报告失败");
    {
        struct rerr e2 = {0};
        int rc2 = sheet_writer_close(w, rc < 0 ? &e2 : err);
        if (rc >= 0)
            rc = rc2;
    }
    return rc < 0 ? (err->rc ? err->rc : R_EINTERNAL) : 0;
}
