/*
 * export.c: see export.h. The columns are planned once (what each one reads from a
 * record and how it becomes a cell), then res_each hands over the rows one at a time and
 * each is written at once: nothing grows with the number of rows except the file. Widths
 * are measured on the way and set when a sheet is finished.
 */
#include "domain/export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "auth/audit.h"
#include "base/text.h"

#define REPORT_EVERY 2000
#define MIN_WIDTH 6
#define MAX_WIDTH 60

/* How a column's value becomes a cell. */
enum cell_kind {
    CK_ANY,   /* by the JSON type: numbers as numbers, YYYY-MM-DD as a date, else text */
    CK_TEXT,  /* text as it is */
    CK_NUM,   /* a number */
    CK_DATE,  /* YYYY-MM-DD */
    CK_STAMP, /* an ISO UTC instant, shown in Beijing time */
    CK_BOOL,  /* 是 / 否 (a JSON boolean, or 0 / 1 from the list's own is_ / has_ columns) */
    CK_ENUM,  /* an enumeration's value as its Chinese text */
    CK_JSON,  /* compact JSON text */
    CK_REF    /* a reference, as the referenced row's title */
};

struct column {
    const char *key;   /* in the record */
    const char *label; /* the header */
    enum cell_kind kind;
    const char *ref_sql; /* CK_REF: "SELECT <title> FROM <table> t WHERE t.id = ?" */
    int64_t ref_id;      /* CK_REF: the last id looked up, and its title */
    char ref_title[256];
    int width; /* the widest value of the current sheet, in display columns */
};

struct plan {
    struct column cols[EXPORT_MAX_COLUMNS];
    int n;
};

/* Stored codes of enumerations that are not written in Chinese, as the interface shows
 * them (web/src/labels.js): only these few are codes. */
static const char *const enum_texts[][2] = {
    {"zh", "中文"},
    {"mn", "蒙古语"},
    {"zh+mn", "蒙汉双语"},
    {"national", "国家级"},
    {"regional", "自治区级"},
    {"city", "市级"},
    {"county", "县（旗）级"},
    {"admin", "管理员"},
    {"secretary", "支部书记"},
    {"viewer", "党组领导（只读）"},
    {"month", "按月"},
    {"quarter", "按季度"},
};

/* Headers of the lists' own columns (r->extras) that are not a reference's name, as the
 * list pages title them (web/src/collections*.js); the page's own labels, when it sends
 * them, take precedence. */
static const char *const extra_labels[][2] = {
    {"activity_count", "活动数"},
    {"activity_held_on", "活动日期"},
    {"activity_topic", "活动"},
    {"age", "年龄"},
    {"case_no", "案号"},
    {"case_title", "案件"},
    {"due_state", "回复期限"},
    {"element_label", "要素"},
    {"has_signed_in", "登录过"},
    {"is_party_member", "党员"},
    {"is_quota_prosecutor", "员额检察官"},
    {"item_count", "关联业务数"},
    {"latest_score", "评分"},
    {"latest_status", "最新进展"},
    {"led_by_party_member", "党员主办"},
    {"matter_count", "转出线索"},
    {"member_count", "党员数"},
    {"method_period", "检查周期"},
    {"outcome_count", "成果数"},
    {"party_age", "党龄"},
    {"party_member_count", "党员人数"},
    {"patrol_on", "巡查日期"},
    {"patrol_place", "巡查地点"},
    {"project_title", "项目"},
    {"quota_prosecutor_count", "员额检察官人数"},
    {"request_number", "诉求编号"},
    {"stage", "当前阶段"},
    {"team_size", "办案组人数"},
};

static const char *extra_label(const char *name)
{
    for (size_t i = 0; i < sizeof extra_labels / sizeof extra_labels[0]; i++)
        if (!strcmp(extra_labels[i][0], name))
            return extra_labels[i][1];
    return name;
}

static const char *enum_text(const char *v)
{
    for (size_t i = 0; i < sizeof enum_texts / sizeof enum_texts[0]; i++)
        if (!strcmp(enum_texts[i][0], v))
            return enum_texts[i][1];
    return v;
}

int export_format_parse(const char *s)
{
    if (!s)
        return -1;
    if (!strcasecmp(s, "xlsx"))
        return SHEET_OUT_XLSX;
    if (!strcasecmp(s, "csv"))
        return SHEET_OUT_CSV;
    return -1;
}

/* ---- planning the columns */

/* Whether the list's own columns (r->extras, "... AS name, ...") include "name". */
static bool extras_answer(const struct resource *r, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = r->extras; p && (p = strstr(p, " AS ")); p += 4) {
        const char *id = p + 4;
        if (!strncmp(id, name, n) && (id[n] == '\0' || id[n] == ',' || id[n] == ' '))
            return true;
    }
    return false;
}

/* What the list answers beside reference "ref" to name the row it refers to
 * ("branch_id": "branch_name", "activity_id": "activity_topic"), or NULL. */
static const char *name_beside(struct res_ctx *x, const struct resource *r, const char *ref)
{
    static const char *const names[] = {"name", "title", "topic", "no", "number", "label"};
    size_t n = strlen(ref);
    if (n < 4 || strcmp(ref + n - 3, "_id"))
        return NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *name = arena_printf(x->a, "%.*s_%s", (int)(n - 3), ref, names[i]);
        if (extras_answer(r, name))
            return name;
    }
    return NULL;
}

static int bad_column(struct rerr *err, const char *name)
{
    return rerr_set(err, R_EINVAL, "bad_column", "columns", "没有可以导出的列“%s”", name);
}

/* How a field's values become cells; a reference by the list's name beside it, by the
 * referenced row's title where that table is the organisation's own (read by everyone
 * signed in), else by its id. */
static void plan_field(struct res_ctx *x, const struct resource *r, const struct field *f, struct column *c)
{
    c->key = f->name;
    c->label = f->label;
    switch (f->kind) {
    case FT_INT:
        c->kind = CK_NUM;
        break;
    case FT_DATE:
        c->kind = CK_DATE;
        break;
    case FT_BOOL:
        c->kind = CK_BOOL;
        break;
    case FT_ENUM:
        c->kind = CK_ENUM;
        break;
    case FT_JSON:
        c->kind = CK_JSON;
        break;
    case FT_REF: {
        const char *beside = name_beside(x, r, f->name);
        const struct resource *to = f->ref ? res_of_table(f->ref) : NULL;
        if (beside) {
            c->key = beside;
            c->kind = CK_TEXT;
        } else if (to && to->read == READ_SIGNED_IN && (to->title || res_column_of(to, "name"))) {
            c->kind = CK_REF;
            c->ref_sql = arena_printf(x->a, "SELECT %s FROM %s t WHERE t.id = ?",
                                      to->title ? to->title : "t.name", to->table);
        } else {
            c->kind = CK_NUM;
        }
        break;
    }
    default:
        c->kind = !strcmp(f->name, "created_at") || !strcmp(f->name, "updated_at") ? CK_STAMP : CK_TEXT;
    }
}

static int plan_named(struct res_ctx *x, const struct resource *r, const char *name, struct column *c,
                      struct rerr *err)
{
    const struct field *f = res_column_of(r, name);
    if (f) {
        if (f->flags & (FF_HIDDEN | FF_SECRET))
            return bad_column(err, name);
        plan_field(x, r, f, c);
        return 0;
    }
    if (!extras_answer(r, name))
        return bad_column(err, name);
    c->key = name;
    c->label = extra_label(name);
    c->kind = !strncmp(name, "is_", 3) || !strncmp(name, "has_", 4) ? CK_BOOL : CK_ANY;
    /* "branch_name": the label of branch_id, when it names that reference */
    const char *us = strrchr(name, '_');
    if (us && us > name) {
        const struct field *of = res_column_of(r, arena_printf(x->a, "%.*s_id", (int)(us - name), name));
        const char *beside = of && of->kind == FT_REF ? name_beside(x, r, of->name) : NULL;
        if (beside && !strcmp(beside, name))
            c->label = of->label;
    }
    return 0;
}

static bool default_column(const struct field *f)
{
    return !(f->flags & (FF_HIDDEN | FF_SECRET)) && f->kind != FT_JSON && strcmp(f->name, "sample") != 0;
}

static int plan_columns(struct res_ctx *x, const struct export_spec *s, struct plan *pl, struct rerr *err)
{
    const struct resource *r = s->r;
    pl->n = 0;
    if (s->columns && s->ncolumns > 0) {
        if (s->ncolumns > EXPORT_MAX_COLUMNS)
            return rerr_set(err, R_EINVAL, "bad_column", "columns", "导出的列过多（最多 %d 列）",
                            EXPORT_MAX_COLUMNS);
        for (int i = 0; i < s->ncolumns; i++) {
            const char *name = s->columns[i];
            if (!name || !*name || !text_utf8_ok(name) || strlen(name) > 64)
                return bad_column(err, name ? name : "");
            struct column *c = &pl->cols[pl->n++];
            *c = (struct column){0};
            int rc = plan_named(x, r, name, c, err);
            if (rc < 0)
                return rc;
            const char *label = s->labels ? s->labels[i] : NULL;
            if (label && *label) {
                if (!text_utf8_ok(label) || text_utf8_len(label) > 60)
                    return rerr_set(err, R_EINVAL, "bad_column", "labels",
                                    "列标题无效或过长（最多 60 个字）");
                c->label = label;
            }
        }
        return 0;
    }
    /* The defaults: the procuratorate first when the list names it and it is not one
     * of the collection's fields, then the fields in the collection's order. */
    bool declared = false;
    for (int i = 0; i < r->nfields; i++)
        declared = declared || !strcmp(r->fields[i].name, "procuratorate_id");
    if (!declared && extras_answer(r, "procuratorate_name"))
        plan_named(x, r, "procuratorate_name", &pl->cols[pl->n++], err);
    for (int i = 0; i < r->nfields && pl->n < EXPORT_MAX_COLUMNS; i++)
        if (default_column(&r->fields[i])) {
            pl->cols[pl->n] = (struct column){0};
            plan_field(x, r, &r->fields[i], &pl->cols[pl->n++]);
        }
    return 0;
}

/* ---- cells */

/* Display columns of UTF-8 "s": a CJK character takes two. */
static int display_width(const char *s)
{
    int w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x80)
            w++;
        else if (*p >= 0xE0)
            w += 2;
        else if (*p >= 0xC0)
            w++;
    }
    return w;
}

static void widen(struct column *c, int w)
{
    if (w > c->width)
        c->width = w;
}

/* "2026-12-01T08:30:00.000Z" in Beijing time as "2026-12-01 16:30:00" into "out"; false
 * when it is not such an instant. */
static bool beijing_time(const char *iso, char out[20])
{
    struct tm tm = {0};
    const char *end = strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!end)
        return false;
    time_t t = timegm(&tm) + 8 * 3600;
    struct tm bj;
    gmtime_r(&t, &bj);
    return strftime(out, 20, "%Y-%m-%d %H:%M:%S", &bj) == 19;
}

/* Whether "s" is written as a date, YYYY-MM-DD: the list's own date columns. */
static bool looks_like_date(const char *s)
{
    return strlen(s) == 10 && s[4] == '-' && s[7] == '-' && text_date_ok(s);
}

static int ref_title(struct res_ctx *x, struct column *c, int64_t id, const char **out, struct rerr *err)
{
    if (c->ref_id == id) {
        *out = c->ref_title;
        return 0;
    }
    store_stmt *st;
    int rc = store_prepare_built(x->c, c->ref_sql, &st, err);
    if (rc < 0)
        return rc;
    store_bind_int(st, 1, id);
    rc = store_step(st, err);
    if (rc == STORE_ROW && store_col_text(st, 0))
        snprintf(c->ref_title, sizeof c->ref_title, "%s", store_col_text(st, 0));
    else
        snprintf(c->ref_title, sizeof c->ref_title, "%lld", (long long)id);
    store_done(st);
    if (rc < 0)
        return rc;
    text_utf8_repair(c->ref_title);
    c->ref_id = id;
    *out = c->ref_title;
    return 0;
}

static int put_text(sheet_writer *w, int64_t row, int col, struct column *c, const char *s)
{
    widen(c, display_width(s));
    return sheet_text(w, row, col, s);
}

static int put_number(sheet_writer *w, int64_t row, int col, struct column *c, json_t *v)
{
    double d = json_number_value(v);
    if (json_is_integer(v)) {
        int digits = 1;
        for (json_int_t n = json_integer_value(v); n >= 10 || n <= -10; n /= 10)
            digits++;
        widen(c, digits + (d < 0));
    } else {
        widen(c, 12);
    }
    return sheet_number(w, row, col, d);
}

/* Value "v" of column "c" as the cell at row, col. */
static int put_cell(struct res_ctx *x, sheet_writer *w, int64_t row, int col, struct column *c, json_t *v,
                    struct rerr *err)
{
    if (!v || json_is_null(v))
        return 0;
    const char *s = json_string_value(v);
    switch (c->kind) {
    case CK_BOOL:
        if (json_is_boolean(v) || json_is_integer(v))
            return put_text(w, row, col, c, json_is_true(v) || json_integer_value(v) ? "是" : "否");
        break;
    case CK_NUM:
        if (json_is_number(v))
            return put_number(w, row, col, c, v);
        break;
    case CK_DATE:
        if (s) {
            widen(c, 10);
            return sheet_date(w, row, col, s);
        }
        break;
    case CK_STAMP: {
        char bj[20];
        if (s && beijing_time(s, bj)) {
            widen(c, 19);
            return sheet_date(w, row, col, bj);
        }
        break;
    }
    case CK_ENUM:
        if (s)
            return put_text(w, row, col, c, enum_text(s));
        break;
    case CK_REF:
        if (json_is_integer(v)) {
            const char *title;
            int rc = ref_title(x, c, json_integer_value(v), &title, err);
            return rc < 0 ? rc : put_text(w, row, col, c, title);
        }
        break;
    case CK_ANY:
        if (json_is_number(v))
            return put_number(w, row, col, c, v);
        if (s && looks_like_date(s)) {
            widen(c, 10);
            return sheet_date(w, row, col, s);
        }
        break;
    default:
        break;
    }
    if (s)
        return put_text(w, row, col, c, s);
    if (json_is_boolean(v))
        return put_text(w, row, col, c, json_is_true(v) ? "是" : "否");
    char *j = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    int rc = put_text(w, row, col, c, j ? j : "");
    free(j);
    return rc;
}

/* ---- the run */

struct run {
    struct res_ctx *x;
    const struct export_spec *s;
    struct plan *pl;
    sheet_writer *w;
    const struct progress *p;
    int sheets;   /* sheets begun */
    int64_t base; /* the index of the first row of the current sheet */
    int64_t rows; /* rows written */
    int write_rc; /* the writer's first failure */
};

static void finish_sheet(struct run *u)
{
    for (int i = 0; i < u->pl->n; i++) {
        int w = u->pl->cols[i].width + 2;
        sheet_column(u->w, i, w < MIN_WIDTH ? MIN_WIDTH : w > MAX_WIDTH ? MAX_WIDTH : w);
    }
}

/* A sheet with its header: the collection's label, and " (2)", " (3)"... after it. */
static int begin_sheet(struct run *u)
{
    if (u->sheets)
        finish_sheet(u);
    u->sheets++;
    const char *label = u->s->r->label;
    char name[128];
    if (u->sheets == 1)
        snprintf(name, sizeof name, "%s", label);
    else
        snprintf(name, sizeof name, "%s (%d)", label, u->sheets);
    int rc = sheet_add_sheet(u->w, name);
    if (rc < 0)
        return rc;
    sheet_freeze_header(u->w);
    for (int i = 0; i < u->pl->n; i++) {
        struct column *c = &u->pl->cols[i];
        c->width = display_width(c->label);
        if ((rc = sheet_text(u->w, 0, i, c->label)) < 0)
            return rc;
    }
    return 0;
}

static int export_row(void *arg, int64_t i, int64_t total, json_t *rec, struct rerr *err)
{
    struct run *u = arg;
    if (i % REPORT_EVERY == 0) {
        if (progress_cancelled(u->p))
            return rerr_set(err, R_ECONFLICT, "cancelled", "", "导出已取消");
        progress_report(u->p, i, total, "正在导出");
    }
    int64_t row = i - u->base + 1;
    if (u->s->format == SHEET_OUT_XLSX && row >= SHEET_XLSX_MAX_ROWS) {
        u->base = i;
        row = 1;
        int rc = begin_sheet(u);
        if (rc < 0)
            return u->write_rc = rc;
    }
    for (int c = 0; c < u->pl->n; c++) {
        struct column *col = &u->pl->cols[c];
        int rc = put_cell(u->x, u->w, row, c, col, json_object_get(rec, col->key), err);
        if (rc < 0) {
            /* the writer's own error is reported by its close */
            if (!err->rc)
                u->write_rc = rc;
            return rc;
        }
    }
    u->rows++;
    return 0;
}

int export_check(struct res_ctx *x, const struct export_spec *s, struct rerr *err)
{
    if (!s->r)
        return rerr_set(err, R_ENOTFOUND, "not_found", "collection", "没有这个数据集");
    if (s->format != SHEET_OUT_XLSX && s->format != SHEET_OUT_CSV)
        return rerr_set(err, R_EINVAL, "bad_format", "format", "导出格式应为 xlsx 或 csv");
    int rc = authz_export_collection(x->who, s->r->read, s->r->export, err);
    if (rc < 0)
        return rc;
    struct res_query none = {0};
    if ((rc = res_list_check(x, s->r, s->query ? s->query : &none, err)) < 0)
        return rc;
    struct plan *pl = arena_alloc(x->a, sizeof *pl);
    return plan_columns(x, s, pl, err);
}

/* The audit entry of a finished export: what was asked and how much left. */
static int audit_export(struct res_ctx *x, const struct export_spec *s, const struct plan *pl, int64_t rows,
                        struct rerr *err)
{
    json_t *filters = json_object();
    const char *sort = NULL;
    for (int i = 0; s->query && i < s->query->n; i++) {
        const char *k = s->query->key[i], *v = s->query->val[i];
        if (!strcmp(k, "sort"))
            sort = v;
        else if (strcmp(k, "page") && strcmp(k, "per_page") && *v)
            json_object_set_new(filters, k, json_string(v));
    }
    json_t *cols = json_array();
    for (int i = 0; i < pl->n; i++)
        json_array_append_new(cols, json_string(pl->cols[i].key));
    json_t *after = json_pack("{s:o, s:s?, s:o, s:s, s:I}", "filters", filters, "sort",
                              sort && *sort ? sort : NULL, "columns", cols, "format",
                              s->format == SHEET_OUT_XLSX ? "xlsx" : "csv", "rows", (json_int_t)rows);
    int64_t proc = x->who->procuratorate_id;
    int rc = store_begin(x->c, err);
    if (rc == 0 && (rc = audit_append(x->c, x->who, "export", s->r->name, 0, proc, NULL, after, err)) == 0)
        rc = store_commit(x->c, err);
    else if (rc == 0)
        store_rollback(x->c);
    json_decref(after);
    return rc;
}

int export_run(struct res_ctx *x, const struct export_spec *s, const char *path, const struct progress *p,
               struct export_result *out, struct rerr *err)
{
    *out = (struct export_result){0};
    int rc = export_check(x, s, err);
    if (rc < 0)
        return rc;
    struct plan *pl = arena_alloc(x->a, sizeof *pl);
    if ((rc = plan_columns(x, s, pl, err)) < 0)
        return rc;
    sheet_writer *w;
    if ((rc = sheet_writer_open(path, s->format, true, &w, err)) < 0)
        return rc;
    struct run u = {.x = x, .s = s, .pl = pl, .w = w, .p = p};
    struct res_query none = {0};
    struct rerr werr = {0};
    rc = begin_sheet(&u);
    if (rc == 0)
        rc = res_each(x, s->r, s->query ? s->query : &none, export_row, &u, err);
    if (rc == 0)
        finish_sheet(&u);
    int crc = sheet_writer_close(w, &werr);
    if (rc == 0 && crc < 0) {
        *err = werr;
        rc = crc;
    } else if (rc < 0 && (u.write_rc || !err->rc) && crc < 0) {
        *err = werr; /* a cell the writer refused: its close says why */
    }
    if (rc < 0) {
        unlink(path);
        return rc;
    }
    progress_report(p, u.rows, u.rows, "导出完成");
    if ((rc = audit_export(x, s, pl, u.rows, err)) < 0) {
        unlink(path);
        return rc;
    }
    struct stat st;
    out->rows = u.rows;
    out->bytes = stat(path, &st) == 0 ? st.st_size : 0;
    char today[11];
    text_today(today);
    snprintf(out->display_name, sizeof out->display_name, "%s-%s.%s", s->r->label, today,
             s->format == SHEET_OUT_XLSX ? "xlsx" : "csv");
    return 0;
}
