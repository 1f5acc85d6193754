/*
 * joint: 四同步 pairs, method-element checks with evidence, joint-building projects,
 * 红旗结对 pairings and the city's guidance of county branches (see joint.h).
 */
#include "domain/joint.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/civil.h"
#include "base/text.h"
#include "domain/item.h"
#include "domain/resource.h"

/* ================================================================ dates */

int64_t joint_day_number(const char *s)
{
    if (!s || !text_date_ok(s))
        return INT64_MIN;
    return civil_days(atoi(s), atoi(s + 5), atoi(s + 8));
}

static int64_t today_number(void)
{
    char t[11];
    text_today(t);
    return joint_day_number(t);
}

/* ================================================================ 四同步 */

#define NSTAGES 4
static const char *const stage_names[NSTAGES] = {"同步谋划", "同步部署", "同步落实", "同步检查"};
static const char *const business_cols[NSTAGES] = {"business_plan_on", "business_deploy_on",
                                                   "business_implement_on", "business_review_on"};
static const char *const party_cols[NSTAGES] = {"party_plan_on", "party_deploy_on", "party_implement_on",
                                                "party_review_on"};

void joint_sync_stage(const char *b, const char *p, int64_t today, int64_t tolerance, struct sync_stage *out)
{
    *out = (struct sync_stage){.status = "未开始", .in_step = true};
    int64_t bd = joint_day_number(b), pd = joint_day_number(p);
    bool hb = bd != INT64_MIN, hp = pd != INT64_MIN;
    if (!hb && !hp)
        return;
    if (hb && hp) {
        int64_t diff = bd > pd ? bd - pd : pd - bd;
        if (diff <= tolerance) {
            out->status = "同步";
            out->days = diff;
            return;
        }
        out->status = "滞后";
        out->behind = bd > pd ? "business" : "party";
        out->days = diff;
        out->in_step = false;
        return;
    }
    out->status = "待完成";
    out->behind = hb ? "party" : "business";
    out->days = today - (hb ? bd : pd);
    if (out->days < 0)
        out->days = 0;
    out->in_step = out->days <= tolerance;
}

/* The SQL of a stage's lag in days: the same rule as joint_sync_stage, for ?in_step=. */
#define LAG(b, p)                                                                                            \
    "(CASE WHEN t." b " IS NULL AND t." p " IS NULL THEN 0"                                                  \
    " WHEN t." b " IS NULL THEN julianday(ronghe_today()) - julianday(t." p ")"                              \
    " WHEN t." p " IS NULL THEN julianday(ronghe_today()) - julianday(t." b ")"                              \
    " ELSE abs(julianday(t." b ") - julianday(t." p ")) END)"
#define IN_STEP_SQL                                                                                          \
    "max(" LAG("business_plan_on", "party_plan_on") ", " LAG(                                                \
        "business_deploy_on",                                                                                \
        "party_deploy_on") ", " LAG("business_implement_on",                                                 \
                                    "party_implement_on") ", " LAG("business_review_on",                     \
                                                                   "party_review_on") ") <= "                \
                                                                                      "t.tolerance_days"

/* true/false for a boolean filter, or -1. */
static int bool_param(const char *v)
{
    if (!strcmp(v, "true") || !strcmp(v, "1"))
        return 1;
    if (!strcmp(v, "false") || !strcmp(v, "0"))
        return 0;
    return -1;
}

static int bad_bool(struct rerr *err, const char *key)
{
    return rerr_set(err, R_EINVAL, "bad_query", key, "查询参数 %s 应为 true 或 false", key);
}

static const struct field sync_fields[] = {
    {"branch_id", "所属党组织", FT_REF, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, "branches", 0, 0},
    RES_DERIVED_PROC_FIELD,
    {"year", "年度", FT_INT, FF_REQUIRED | FF_WRITE | FF_FILTER | FF_SORT, 0, NULL, NULL, 2000, 2100},
    {"business_title", "业务工作", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_SEARCH | FF_SORT, 100, NULL, NULL, 0,
     0},
    {"party_title", "党建工作", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_SEARCH, 100, NULL, NULL, 0, 0},
    {"business_plan_on", "业务·同步谋划", FT_DATE, FF_WRITE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"business_deploy_on", "业务·同步部署", FT_DATE, FF_WRITE, 10, NULL, NULL, 0, 0},
    {"business_implement_on", "业务·同步落实", FT_DATE, FF_WRITE, 10, NULL, NULL, 0, 0},
    {"business_review_on", "业务·同步检查", FT_DATE, FF_WRITE, 10, NULL, NULL, 0, 0},
    {"party_plan_on", "党建·同步谋划", FT_DATE, FF_WRITE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"party_deploy_on", "党建·同步部署", FT_DATE, FF_WRITE, 10, NULL, NULL, 0, 0},
    {"party_implement_on", "党建·同步落实", FT_DATE, FF_WRITE, 10, NULL, NULL, 0, 0},
    {"party_review_on", "党建·同步检查", FT_DATE, FF_WRITE, 10, NULL, NULL, 0, 0},
    {"tolerance_days", "同步容差（天）", FT_INT, FF_WRITE | FF_NOTNULL, 0, NULL, NULL, 0, 30},
    {"note", "备注", FT_TEXT, FF_WRITE, 1000, NULL, NULL, 0, 0},
    RES_SAMPLE_FIELD,
};

/* Each side's stages in order: a stage is recorded only after the one before it, and on
 * the same day or later. */
static int side_in_order(json_t *row, const char *const *cols, const char *side, struct rerr *err)
{
    for (int i = 1; i < NSTAGES; i++) {
        const char *prev = res_str(row, cols[i - 1]), *cur = res_str(row, cols[i]);
        if (cur && !prev)
            return rerr_set(err, R_EUNPROC, "stage_order", cols[i], "%s的“%s”尚未完成，不能先填写“%s”", side,
                            stage_names[i - 1], stage_names[i]);
        if (cur && strcmp(cur, prev) < 0)
            return rerr_set(err, R_EUNPROC, "stage_order", cols[i], "%s的“%s”（%s）不能早于“%s”（%s）", side,
                            stage_names[i], cur, stage_names[i - 1], prev);
    }
    return 0;
}

static int sync_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    (void)x, (void)before;
    int rc = side_in_order(row, business_cols, "业务工作", err);
    if (rc == 0)
        rc = side_in_order(row, party_cols, "党建工作", err);
    return rc;
}

static int sync_filter(struct res_ctx *x, const char *key, const char *val, struct query *q, struct rerr *err)
{
    (void)x;
    if (strcmp(key, "in_step"))
        return 0;
    int b = bool_param(val);
    if (b < 0)
        return bad_bool(err, key);
    query_where(q, b ? "(" IN_STEP_SQL ")" : "NOT (" IN_STEP_SQL ")");
    return 1;
}

/* The stages side by side and whether the pair is in step. */
static int sync_expand(struct res_ctx *x, json_t *rec, struct rerr *err)
{
    (void)x, (void)err;
    int64_t today = today_number(), tol = res_int(rec, "tolerance_days"), worst = 0;
    bool in_step = true;
    json_t *stages = json_array();
    for (int i = 0; i < NSTAGES; i++) {
        const char *b = res_str(rec, business_cols[i]), *p = res_str(rec, party_cols[i]);
        struct sync_stage s;
        joint_sync_stage(b, p, today, tol, &s);
        in_step = in_step && s.in_step;
        if (s.behind && s.days > worst)
            worst = s.days;
        json_array_append_new(stages, json_pack("{s:s, s:o, s:o, s:s, s:o, s:I, s:b}", "stage",
                                                stage_names[i], "business", b ? json_string(b) : json_null(),
                                                "party", p ? json_string(p) : json_null(), "status", s.status,
                                                "behind", s.behind ? json_string(s.behind) : json_null(),
                                                "days", (json_int_t)s.days, "in_step", s.in_step));
    }
    json_object_set_new(rec, "stages", stages);
    json_object_set_new(rec, "in_step", json_boolean(in_step));
    json_object_set_new(rec, "behind_days", json_integer(worst));
    return 0;
}

/* Each stage of each side is a day on the branch's timeline. */
#define SYNC_EVENT(col, side, title, stage)                                                                  \
    {                                                                                                        \
        "四同步", "t." col, "'" stage "：" side "「' || t." title " || '」'", EVENT_OWN_BRANCH, NULL, NULL   \
    }
static const struct res_event sync_events[] = {
    SYNC_EVENT("business_plan_on", "业务", "business_title", "同步谋划"),
    SYNC_EVENT("business_deploy_on", "业务", "business_title", "同步部署"),
    SYNC_EVENT("business_implement_on", "业务", "business_title", "同步落实"),
    SYNC_EVENT("business_review_on", "业务", "business_title", "同步检查"),
    SYNC_EVENT("party_plan_on", "党建", "party_title", "同步谋划"),
    SYNC_EVENT("party_deploy_on", "党建", "party_title", "同步部署"),
    SYNC_EVENT("party_implement_on", "党建", "party_title", "同步落实"),
    SYNC_EVENT("party_review_on", "党建", "party_title", "同步检查"),
    {0},
};

const struct resource res_sync_pairs = {
    .name = "sync-pairs",
    .table = "sync_pairs",
    .label = "四同步",
    .fields = sync_fields,
    .nfields = sizeof sync_fields / sizeof sync_fields[0],
    .extras = "(SELECT name FROM branches b WHERE b.id = t.branch_id) AS branch_name",
    .ignored = "branch_name stages in_step behind_days",
    .read = READ_SCOPED,
    .write = WRITE_BRANCH,
    .export = EXPORT_READERS,
    .scope_from = "branch_id",
    .default_sort = "-business_plan_on",
    .by_procuratorate = true,
    .check = sync_check,
    .filter = sync_filter,
    .expand = sync_expand,
    .title = "t.business_title || ' ⇄ ' || t.party_title",
    .date = "coalesce(t.business_plan_on, t.party_plan_on)",
    .events = sync_events,
};

/* ================================================================ element checks */

bool joint_period_ok(const char *period, const char *kind, int64_t *start)
{
    if (!period || !kind || strlen(period) != 7 || period[4] != '-')
        return false;
    for (int i = 0; i < 4; i++)
        if (period[i] < '0' || period[i] > '9')
            return false;
    int month;
    if (!strcmp(kind, "month")) {
        if (period[5] < '0' || period[5] > '1' || period[6] < '0' || period[6] > '9')
            return false;
        month = (period[5] - '0') * 10 + (period[6] - '0');
        if (month < 1 || month > 12)
            return false;
    } else if (!strcmp(kind, "quarter")) {
        if (period[5] != 'Q' || period[6] < '1' || period[6] > '4')
            return false;
        month = (period[6] - '1') * 3 + 1;
    } else {
        return false;
    }
    char d[11];
    snprintf(d, sizeof d, "%.4s-%02d-01", period, month);
    int64_t n = joint_day_number(d);
    if (n == INT64_MIN)
        return false;
    if (start)
        *start = n;
    return true;
}

static const struct field check_fields[] = {
    {"element_id", "工作法要素", FT_REF, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, "method_elements", 0,
     0},
    {"branch_id", "党组织", FT_REF, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, "branches", 0, 0},
    RES_DERIVED_PROC_FIELD,
    {"method_id", "工作法", FT_REF, FF_DERIVED | FF_FILTER, 0, NULL, "methods", 0, 0},
    {"period", "期间", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_FILTER | FF_SORT, 7, NULL, NULL, 0, 0},
    {"checked_on", "完成日期", FT_DATE, FF_WRITE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"note", "说明", FT_TEXT, FF_WRITE, 1000, NULL, NULL, 0, 0},
    RES_SAMPLE_FIELD,
};

/* The method's period kind ("month", "quarter") into buf, for element "element". */
static int method_period_of(struct res_ctx *x, int64_t method, char *buf, size_t n, struct rerr *err)
{
    store_stmt *st = store_prepare(x->c, "SELECT period FROM methods WHERE id = ?");
    store_bind_int(st, 1, method);
    int rc = store_step(st, err);
    if (rc == STORE_ROW)
        snprintf(buf, n, "%s", store_col_text(st, 0));
    store_done(st);
    if (rc < 0)
        return rc;
    if (rc != STORE_ROW)
        return rerr_set(err, R_EUNPROC, "invalid_reference", "element_id", "该要素所属的工作法不存在");
    return 0;
}

/* The method comes from the element; the period must be one of the method's (a month or
 * a quarter) and have begun; the day it was done lies in or after the period. */
static int check_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    (void)before;
    int64_t method;
    int rc = res_lookup_int(x, "method_elements", "method_id", res_int(row, "element_id"), "element_id",
                            &method, err);
    if (rc < 0)
        return rc;
    json_object_set_new(row, "method_id", json_integer(method));
    char kind[16];
    if ((rc = method_period_of(x, method, kind, sizeof kind, err)) < 0)
        return rc;
    const char *period = res_str(row, "period");
    int64_t start;
    bool quarter = !strcmp(kind, "quarter");
    if (!joint_period_ok(period, kind, &start))
        return rerr_set(err, R_EINVAL, "invalid_period", "period",
                        quarter ? "该工作法按季度检查，期间应写作“2025-Q1”这样的年份加季度"
                                : "该工作法按月检查，期间应写作“2025-03”这样的年月");
    if (start > today_number())
        return rerr_set(err, R_EUNPROC, "future_period", "period", "期间 %s 尚未开始，不能勾选", period);
    const char *on = res_str(row, "checked_on");
    if (on && joint_day_number(on) < start)
        return rerr_set(err, R_EUNPROC, "inconsistent", "checked_on", "完成日期（%s）早于期间 %s 的开始", on,
                        period);
    return 0;
}

static int check_filter(struct res_ctx *x, const char *key, const char *val, struct query *q,
                        struct rerr *err)
{
    (void)x;
    if (!strcmp(key, "evidenced")) {
        int b = bool_param(val);
        if (b < 0)
            return bad_bool(err, key);
        query_where(q, b ? "EXISTS (SELECT 1 FROM element_evidence e WHERE e.check_id = t.id)"
                         : "NOT EXISTS (SELECT 1 FROM element_evidence e WHERE e.check_id = t.id)");
        return 1;
    }
    if (!strcmp(key, "year")) {
        char *end;
        long y = strtol(val, &end, 10);
        if (*end || y < 2000 || y > 2100)
            return rerr_set(err, R_EINVAL, "bad_query", key, "查询参数 year 应为 2000 到 2100 之间的年份");
        query_where(q, "substr(t.period, 1, 4) = ?");
        char ys[8];
        snprintf(ys, sizeof ys, "%04ld", y);
        query_bind_text(q, ys);
        return 1;
    }
    return 0;
}

/* A linked record as the reader may see it: its title and day only if the reader may read
 * it (a title of someone else's case is not given away by a link to it). */
static json_t *item_json(struct res_ctx *x, const char *coll, int64_t id)
{
    json_t *o = json_pack("{s:s, s:I}", "item_coll", coll, "item_id", (json_int_t)id);
    struct item_ref ref;
    struct rerr e = {0};
    const struct resource *r = res_find(coll);
    if (!r || item_describe(x, coll, id, &ref, &e) < 0) {
        json_object_set_new(o, "title", json_string("（记录已不存在）"));
        json_object_set_new(o, "gone", json_true());
        return o;
    }
    int64_t proc;
    if (authz_read_collection(x->who, r->read, &e) < 0 ||
        (authz_read_narrowed(x->who, r->read, &proc) && ref.procuratorate_id != proc)) {
        json_object_set_new(o, "label", json_string(ref.label));
        json_object_set_new(o, "title", json_string("（无权查看）"));
        json_object_set_new(o, "hidden", json_true());
        return o;
    }
    json_object_set_new(o, "label", json_string(ref.label));
    json_object_set_new(o, "title", json_string(ref.title));
    json_object_set_new(o, "date", ref.date ? json_string(ref.date) : json_null());
    return o;
}

/* Items of a link table ("table" with column "fk" = id) as item_json shows them. */
static int links_of(struct res_ctx *x, const char *sql, int64_t id, json_t **out, struct rerr *err)
{
    store_stmt *st = store_prepare(x->c, sql);
    store_bind_int(st, 1, id);
    json_t *a = json_array();
    int rc;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        json_t *it = item_json(x, store_col_text(st, 1), store_col_int(st, 2));
        json_object_set_new(it, "id", json_integer(store_col_int(st, 0)));
        json_object_set_new(it, "version", json_integer(store_col_int(st, 3)));
        const char *note = store_col_text(st, 4);
        json_object_set_new(it, "note", note ? json_string(note) : json_null());
        json_array_append_new(a, it);
    }
    store_done(st);
    if (rc < 0) {
        json_decref(a);
        return rc;
    }
    *out = a;
    return 0;
}

static int check_expand(struct res_ctx *x, json_t *rec, struct rerr *err)
{
    json_t *ev;
    int rc = links_of(x,
                      "SELECT id, item_coll, item_id, version, note FROM element_evidence WHERE check_id = ?"
                      " ORDER BY id",
                      res_int(rec, "id"), &ev, err);
    if (rc < 0)
        return rc;
    json_object_set_new(rec, "evidenced", json_boolean(json_array_size(ev) > 0));
    json_object_set_new(rec, "evidence", ev);
    return 0;
}

#define ELEMENT_LABEL_SQL "(SELECT label FROM method_elements e WHERE e.id = t.element_id)"
static const struct res_event check_events[] = {
    {"工作法要素", "t.checked_on",
     "'完成要素「' || " ELEMENT_LABEL_SQL " || '」（' || t.period || '）' ||"
     " CASE WHEN EXISTS (SELECT 1 FROM element_evidence v WHERE v.check_id = t.id) THEN '' ELSE '，无佐证' "
     "END",
     EVENT_OWN_BRANCH, NULL, NULL},
    {0},
};

const struct resource res_element_checks = {
    .name = "element-checks",
    .table = "element_checks",
    .label = "工作法要素完成",
    .fields = check_fields,
    .nfields = sizeof check_fields / sizeof check_fields[0],
    .extras = "(SELECT label FROM method_elements e WHERE e.id = t.element_id) AS element_label,"
              " (SELECT name FROM methods m WHERE m.id = t.method_id) AS method_name,"
              " (SELECT period FROM methods m WHERE m.id = t.method_id) AS method_period,"
              " (SELECT name FROM branches b WHERE b.id = t.branch_id) AS branch_name",
    .ignored = "element_label method_name method_period branch_name evidenced evidence",
    .read = READ_SCOPED,
    .write = WRITE_BRANCH,
    .export = EXPORT_READERS,
    .scope_from = "branch_id",
    .default_sort = "-period",
    .by_procuratorate = true,
    .check = check_check,
    .filter = check_filter,
    .expand = check_expand,
    .title = ELEMENT_LABEL_SQL " || '（' || t.period || '）'",
    .date = "t.checked_on",
    .events = check_events,
};

static const char *const evidence_values[] = {
    "activities", "cases", "requests", "pil-matters", "patrols", "outreach", "projects", "sync-pairs", NULL};

static const struct field evidence_fields[] = {
    {"check_id", "要素完成记录", FT_REF, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, "element_checks", 0, 0},
    RES_DERIVED_BRANCH_FIELD,
    RES_DERIVED_PROC_FIELD,
    {"item_coll", "佐证类别", FT_ENUM, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, evidence_values, NULL, 0, 0},
    {"item_id", "佐证记录", FT_INT, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, NULL, 0, 0},
    {"note", "说明", FT_TEXT, FF_WRITE, 500, NULL, NULL, 0, 0},
    RES_SAMPLE_FIELD,
};

/* A linked record must exist, be the writer's to read and be of the same procuratorate as
 * what it proves. */
static int link_check(struct res_ctx *x, json_t *row, const char *const *allowed, struct item_ref *ref,
                      struct rerr *err)
{
    int rc = item_check(x, res_str(row, "item_coll"), res_int(row, "item_id"), allowed, "item_id", ref, err);
    if (rc < 0)
        return rc;
    if (ref->procuratorate_id != res_int(row, "procuratorate_id"))
        return rerr_set(err, R_EUNPROC, "inconsistent", "item_id",
                        "关联的%s属于其他检察院，不能作为本院的记录", ref->label);
    return 0;
}

static int evidence_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    (void)before;
    struct item_ref ref;
    return link_check(x, row, evidence_values, &ref, err);
}

static int link_expand(struct res_ctx *x, json_t *rec, struct rerr *err)
{
    (void)err;
    json_t *it = item_json(x, res_str(rec, "item_coll"), res_int(rec, "item_id"));
    json_object_set(rec, "item", it);
    json_decref(it);
    return 0;
}

const struct resource res_element_evidence = {
    .name = "element-evidence",
    .table = "element_evidence",
    .label = "要素佐证",
    .fields = evidence_fields,
    .nfields = sizeof evidence_fields / sizeof evidence_fields[0],
    .ignored = "item",
    .read = READ_SCOPED,
    .write = WRITE_BRANCH,
    .export = EXPORT_READERS,
    .scope_from = "check_id",
    .default_sort = "id",
    .check = evidence_check,
    .expand = link_expand,
};

/* ---------------------------------------------------------------- completion grid */

static int query_int(const struct res_query *q, const char *key, int64_t lo, int64_t hi, int64_t *out,
                     bool *given, struct rerr *err)
{
    *given = false;
    for (int i = 0; i < q->n; i++) {
        if (strcmp(q->key[i], key))
            continue;
        char *end;
        long long v = strtoll(q->val[i], &end, 10);
        if (!*q->val[i] || *end || v < lo || v > hi)
            return rerr_set(err, R_EINVAL, "bad_query", key, "查询参数 %s 应为整数（%lld 到 %lld）", key,
                            (long long)lo, (long long)hi);
        *out = v;
        *given = true;
    }
    return 0;
}

/* The grid, inside the caller's read transaction. */
static int completion(struct res_ctx *x, int64_t branch, int64_t method, int year, json_t *out,
                      struct rerr *err)
{
    int64_t proc = 0, narrowed_to;
    store_stmt *st = store_prepare(x->c, "SELECT name, procuratorate_id FROM branches WHERE id = ?");
    store_bind_int(st, 1, branch);
    int rc = store_step(st, err);
    if (rc == STORE_ROW) {
        json_object_set_new(out, "branch",
                            json_pack("{s:I, s:s}", "id", (json_int_t)branch, "name", store_col_text(st, 0)));
        proc = store_col_int(st, 1);
    }
    store_done(st);
    if (rc < 0)
        return rc;
    if (rc != STORE_ROW ||
        (authz_read_narrowed(x->who, res_element_checks.read, &narrowed_to) && proc != narrowed_to))
        return rerr_set(err, R_ENOTFOUND, "not_found", "branch_id", "党组织不存在或无权查看");
    st = store_prepare(x->c, "SELECT name, period FROM methods WHERE id = ?");
    store_bind_int(st, 1, method);
    char kind[16] = "";
    if ((rc = store_step(st, err)) == STORE_ROW) {
        snprintf(kind, sizeof kind, "%s", store_col_text(st, 1));
        json_object_set_new(out, "method",
                            json_pack("{s:I, s:s, s:s}", "id", (json_int_t)method, "name",
                                      store_col_text(st, 0), "period", kind));
    }
    store_done(st);
    if (rc < 0)
        return rc;
    if (rc != STORE_ROW)
        return rerr_set(err, R_ENOTFOUND, "not_found", "method_id", "工作法不存在");
    bool quarter = !strcmp(kind, "quarter");
    int np = quarter ? 4 : 12;
    char periods[12][24];
    int64_t starts[12], today = today_number();
    json_t *pj = json_array();
    for (int i = 0; i < np; i++) {
        if (quarter)
            snprintf(periods[i], sizeof periods[i], "%04d-Q%d", year, i + 1);
        else
            snprintf(periods[i], sizeof periods[i], "%04d-%02d", year, i + 1);
        joint_period_ok(periods[i], kind, &starts[i]);
        json_array_append_new(pj, json_string(periods[i]));
    }
    json_object_set_new(out, "year", json_integer(year));
    json_object_set_new(out, "periods", pj);

    json_t *els = json_array();
    st = store_prepare(x->c, "SELECT id, label FROM method_elements WHERE method_id = ? ORDER BY sort, id");
    store_bind_int(st, 1, method);
    while ((rc = store_step(st, err)) == STORE_ROW) {
        json_t *cells = json_array();
        for (int i = 0; i < np; i++)
            json_array_append_new(cells, json_pack("{s:s, s:s, s:n, s:i}", "period", periods[i], "state",
                                                   starts[i] > today ? "future" : "missing", "check_id",
                                                   "evidence", 0));
        json_array_append_new(els, json_pack("{s:I, s:s, s:o}", "id", (json_int_t)store_col_int(st, 0),
                                             "label", store_col_text(st, 1), "cells", cells));
    }
    store_done(st);
    if (rc < 0) {
        json_decref(els);
        return rc;
    }
    st = store_prepare(x->c, "SELECT c.element_id, c.period, c.id, c.checked_on,"
                             " (SELECT count(*) FROM element_evidence e WHERE e.check_id = c.id)"
                             " FROM element_checks c WHERE c.branch_id = ? AND c.method_id = ?"
                             " AND substr(c.period, 1, 4) = ?");
    char ys[8];
    snprintf(ys, sizeof ys, "%04d", year);
    store_bind_int(st, 1, branch);
    store_bind_int(st, 2, method);
    store_bind_text(st, 3, ys);
    int64_t checked = 0, evidenced = 0;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        int64_t el = store_col_int(st, 0), n = store_col_int(st, 4);
        const char *p = store_col_text(st, 1), *on = store_col_text(st, 3);
        size_t i;
        json_t *e;
        json_array_foreach(els, i, e)
        {
            if (res_int(e, "id") != el)
                continue;
            for (int k = 0; k < np; k++) {
                if (strcmp(periods[k], p))
                    continue; /* a period of another kind (the method's changed since) is not shown */
                json_t *cell = json_array_get(json_object_get(e, "cells"), (size_t)k);
                json_object_set_new(cell, "state", json_string(n ? "evidenced" : "unevidenced"));
                json_object_set_new(cell, "check_id", json_integer(store_col_int(st, 2)));
                json_object_set_new(cell, "evidence", json_integer(n));
                json_object_set_new(cell, "checked_on", on ? json_string(on) : json_null());
                checked++;
                evidenced += n > 0;
            }
        }
    }
    store_done(st);
    if (rc < 0) {
        json_decref(els);
        return rc;
    }
    int64_t due = 0;
    for (int i = 0; i < np; i++)
        due += starts[i] <= today;
    due *= (int64_t)json_array_size(els);
    json_object_set_new(out, "elements", els);
    json_object_set_new(out, "totals",
                        json_pack("{s:I, s:I, s:I, s:I, s:I}", "due", (json_int_t)due, "checked",
                                  (json_int_t)checked, "evidenced", (json_int_t)evidenced, "unevidenced",
                                  (json_int_t)(checked - evidenced), "missing", (json_int_t)(due - checked)));
    return 0;
}

int joint_method_completion(struct res_ctx *x, const struct res_query *q, json_t **out, struct rerr *err)
{
    for (int i = 0; i < q->n; i++)
        if (strcmp(q->key[i], "branch_id") && strcmp(q->key[i], "method_id") && strcmp(q->key[i], "year"))
            return rerr_set(err, R_EINVAL, "bad_query", q->key[i], "未知的查询参数：%s", q->key[i]);
    int64_t branch = 0, method = 0, year;
    char t[11];
    text_today(t);
    year = atoi(t);
    bool gb, gm, gy;
    int rc = authz_read_collection(x->who, res_element_checks.read, err);
    if (rc < 0 || (rc = query_int(q, "branch_id", 1, INT64_MAX, &branch, &gb, err)) < 0 ||
        (rc = query_int(q, "method_id", 1, INT64_MAX, &method, &gm, err)) < 0 ||
        (rc = query_int(q, "year", 2000, 2100, &year, &gy, err)) < 0)
        return rc;
    if (!gb)
        return rerr_set(err, R_EINVAL, "required", "branch_id", "请选择党组织（branch_id）");
    if (!gm)
        return rerr_set(err, R_EINVAL, "required", "method_id", "请选择工作法（method_id）");
    if ((rc = store_begin_read(x->c, err)) < 0)
        return rc;
    json_t *o = json_object();
    rc = completion(x, branch, method, (int)year, o, err);
    store_rollback(x->c);
    if (rc < 0) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return 0;
}

/* ================================================================ joint building */

/* ?branch_id= on a list of projects, pairings or guidance: the branch is on either side. */
static int involves_filter(struct query *q, const char *sql, const char *val, struct rerr *err)
{
    char *end;
    long long id = strtoll(val, &end, 10);
    if (*end || id < 1)
        return rerr_set(err, R_EINVAL, "bad_query", "branch_id", "查询参数 branch_id 应为正整数");
    query_where(q, sql);
    query_bind_int(q, id);
    query_bind_int(q, id);
    return 1;
}

static const char *const project_kinds[] = {"铸魂联建", "队伍联建", "平台联建",  "项目联建", "规范联建",
                                            "检校联建", "支部联建", "检察+行政", NULL};

static const struct field project_fields[] = {
    {"branch_id", "牵头党组织", FT_REF, FF_REQUIRED | FF_WRITE, 0, NULL, "branches", 0, 0},
    RES_DERIVED_PROC_FIELD,
    {"kind", "联建类型", FT_ENUM, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, project_kinds, NULL, 0, 0},
    {"title", "项目名称", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_SEARCH | FF_SORT, 100, NULL, NULL, 0, 0},
    {"goals", "目标", FT_TEXT, FF_WRITE, 2000, NULL, NULL, 0, 0},
    {"started_on", "开始日期", FT_DATE, FF_REQUIRED | FF_WRITE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"ends_on", "计划结束日期", FT_DATE, FF_WRITE | FF_FUTURE | FF_SORT, 10, NULL, NULL, 0, 0},
    RES_SAMPLE_FIELD,
};

static int ends_after_start(json_t *row, struct rerr *err)
{
    const char *s = res_str(row, "started_on"), *e = res_str(row, "ends_on");
    if (s && e && strcmp(e, s) < 0)
        return rerr_set(err, R_EUNPROC, "inconsistent", "ends_on", "结束日期（%s）不能早于开始日期（%s）", e,
                        s);
    return 0;
}

static int project_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    (void)x, (void)before;
    return ends_after_start(row, err);
}

#define PROJECT_INVOLVES                                                                                     \
    "(t.branch_id = ? OR EXISTS (SELECT 1 FROM project_parties pp WHERE pp.project_id = t.id"                \
    " AND pp.party_branch_id = ?))"

static int project_filter(struct res_ctx *x, const char *key, const char *val, struct query *q,
                          struct rerr *err)
{
    (void)x;
    return strcmp(key, "branch_id") ? 0 : involves_filter(q, PROJECT_INVOLVES, val, err);
}

/* Every party of project "id" (the lead first): whom each outcome is credited to. */
static int parties_of(struct res_ctx *x, int64_t id, json_t **out, struct rerr *err)
{
    store_stmt *st = store_prepare(
        x->c, "SELECT 'lead', p.branch_id, b.name, NULL, NULL, 0 FROM projects p JOIN branches b ON b.id = "
              "p.branch_id"
              " WHERE p.id = ?1"
              " UNION ALL SELECT CASE WHEN pp.party_branch_id IS NULL THEN 'unit' ELSE 'branch' END,"
              " pp.party_branch_id, coalesce(b.name, pp.unit_name), pp.unit_kind, pp.role, pp.id"
              " FROM project_parties pp LEFT JOIN branches b ON b.id = pp.party_branch_id"
              " WHERE pp.project_id = ?1 ORDER BY 6");
    store_bind_int(st, 1, id);
    json_t *a = json_array();
    int rc;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        json_t *p = json_pack("{s:s, s:s}", "kind", store_col_text(st, 0), "name", store_col_text(st, 2));
        if (store_col_type(st, 1) != STORE_NULL)
            json_object_set_new(p, "branch_id", json_integer(store_col_int(st, 1)));
        if (store_col_type(st, 3) != STORE_NULL)
            json_object_set_new(p, "unit_kind", json_string(store_col_text(st, 3)));
        if (store_col_type(st, 4) != STORE_NULL)
            json_object_set_new(p, "role", json_string(store_col_text(st, 4)));
        if (store_col_int(st, 5))
            json_object_set_new(p, "party_id", json_integer(store_col_int(st, 5)));
        json_array_append_new(a, p);
    }
    store_done(st);
    if (rc < 0) {
        json_decref(a);
        return rc;
    }
    *out = a;
    return 0;
}

static int project_expand(struct res_ctx *x, json_t *rec, struct rerr *err)
{
    json_t *p;
    int rc = parties_of(x, res_int(rec, "id"), &p, err);
    if (rc == 0)
        json_object_set_new(rec, "parties", p);
    return rc;
}

/* One bound value: the branch is the lead or a party of project "pid". */
/* The branches of a project: its own and those of the parties that have one. */
#define PARTIES_OF(pid)                                                                                      \
    "SELECT p0.branch_id FROM projects p0 WHERE p0.id = " pid                                                \
    " UNION SELECT pp.party_branch_id FROM project_parties pp WHERE pp.project_id = " pid
/* A project's parties name branches of their own. */
static const struct res_event_dep project_event_deps[] = {
    {"project_parties", "project_id", NULL, NULL},
    {0},
};
static const struct res_event project_events[] = {
    {"联建项目", "t.started_on", "'启动联建项目「' || t.title || '」（' || t.kind || '）'",
     PARTIES_OF("t.id"), NULL, NULL},
    {0},
};

const struct resource res_projects = {
    .name = "projects",
    .table = "projects",
    .label = "联建项目",
    .fields = project_fields,
    .nfields = sizeof project_fields / sizeof project_fields[0],
    .extras = "(SELECT name FROM branches b WHERE b.id = t.branch_id) AS branch_name,"
              " (SELECT count(*) FROM project_activities a WHERE a.project_id = t.id) AS activity_count,"
              " (SELECT count(*) FROM project_outcomes o WHERE o.project_id = t.id) AS outcome_count",
    .ignored = "branch_name activity_count outcome_count parties",
    .read = READ_SIGNED_IN,
    .write = WRITE_BRANCH,
    .export = EXPORT_READERS,
    .scope_from = "branch_id",
    .default_sort = "-started_on",
    .by_procuratorate = true,
    .check = project_check,
    .filter = project_filter,
    .expand = project_expand,
    .title = "t.title",
    .date = "t.started_on",
    .events = project_events,
    .event_deps = project_event_deps,
};

static const char *const unit_kinds[] = {"学校", "行政机关", "企业", "社区", "其他", NULL};

static const struct field party_fields[] = {
    {"project_id", "联建项目", FT_REF, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, "projects", 0, 0},
    RES_DERIVED_BRANCH_FIELD,
    RES_DERIVED_PROC_FIELD,
    {"party_branch_id", "参与党组织", FT_REF, FF_WRITE | FF_FILTER, 0, NULL, "branches", 0, 0},
    {"unit_name", "外部单位名称", FT_TEXT, FF_WRITE | FF_SEARCH, 100, NULL, NULL, 0, 0},
    {"unit_kind", "单位类型", FT_ENUM, FF_WRITE | FF_FILTER, 0, unit_kinds, NULL, 0, 0},
    {"role", "分工", FT_TEXT, FF_WRITE, 200, NULL, NULL, 0, 0},
    RES_SAMPLE_FIELD,
};

/* A party is a branch or an outside unit (with its kind), not both, not the lead, once. */
static int party_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    int64_t b = res_int(row, "party_branch_id");
    const char *unit = res_str(row, "unit_name"), *kind = res_str(row, "unit_kind");
    if (!b && !unit)
        return rerr_set(err, R_EINVAL, "required", "party_branch_id",
                        "请选择参与的党组织，或填写外部单位名称");
    if (b && unit)
        return rerr_set(err, R_EINVAL, "inconsistent", "unit_name", "参与方是党组织时不填写外部单位名称");
    if (b && kind)
        return rerr_set(err, R_EINVAL, "inconsistent", "unit_kind", "参与方是党组织时不填写单位类型");
    if (unit && !kind)
        return rerr_set(err, R_EINVAL, "required", "unit_kind", "请选择外部单位的类型（学校、行政机关等）");
    if (b && b == res_int(row, "branch_id"))
        return rerr_set(err, R_EUNPROC, "inconsistent", "party_branch_id",
                        "牵头党组织已是项目的一方，无需再添加");
    store_stmt *st = store_prepare(x->c, "SELECT 1 FROM project_parties WHERE project_id = ? AND id <> ?"
                                         " AND (party_branch_id = ? OR unit_name = ?)");
    store_bind_int(st, 1, res_int(row, "project_id"));
    store_bind_int(st, 2, before ? res_int(before, "id") : 0);
    store_bind_int(st, 3, b);
    store_bind_text(st, 4, unit);
    int rc = store_step(st, err);
    store_done(st);
    if (rc < 0)
        return rc;
    if (rc == STORE_ROW)
        return rerr_set(err, R_ECONFLICT, "duplicate", b ? "party_branch_id" : "unit_name",
                        "该参与方已在项目中");
    return 0;
}

const struct resource res_project_parties = {
    .name = "project-parties",
    .table = "project_parties",
    .label = "联建参与方",
    .fields = party_fields,
    .nfields = sizeof party_fields / sizeof party_fields[0],
    .extras =
        "coalesce((SELECT name FROM branches b WHERE b.id = t.party_branch_id), t.unit_name) AS party_name",
    .ignored = "party_name",
    .read = READ_SIGNED_IN,
    .write = WRITE_BRANCH,
    .export = EXPORT_READERS,
    .scope_from = "project_id",
    .default_sort = "id",
    .check = party_check,
};

static const char *const activity_colls[] = {"activities", "outreach", "patrols",    "pil-matters",
                                             "cases",      "requests", "sync-pairs", NULL};

static const struct field project_activity_fields[] = {
    {"project_id", "联建项目", FT_REF, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, "projects", 0, 0},
    RES_DERIVED_BRANCH_FIELD,
    RES_DERIVED_PROC_FIELD,
    {"item_coll", "记录类别", FT_ENUM, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, activity_colls, NULL, 0, 0},
    {"item_id", "台账记录", FT_INT, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, NULL, 0, 0},
    {"note", "说明", FT_TEXT, FF_WRITE, 500, NULL, NULL, 0, 0},
    RES_SAMPLE_FIELD,
};

/* An activity of a project is a record of one of its parties: of the lead's procuratorate
 * or of a party branch's. */
static int activity_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    (void)before;
    struct item_ref ref;
    int rc = item_check(x, res_str(row, "item_coll"), res_int(row, "item_id"), activity_colls, "item_id",
                        &ref, err);
    if (rc < 0 || ref.procuratorate_id == res_int(row, "procuratorate_id"))
        return rc;
    store_stmt *st =
        store_prepare(x->c, "SELECT 1 FROM project_parties pp JOIN branches b ON b.id = pp.party_branch_id"
                            " WHERE pp.project_id = ? AND b.procuratorate_id = ?");
    store_bind_int(st, 1, res_int(row, "project_id"));
    store_bind_int(st, 2, ref.procuratorate_id);
    rc = store_step(st, err);
    store_done(st);
    if (rc < 0)
        return rc;
    if (rc != STORE_ROW)
        return rerr_set(err, R_EUNPROC, "inconsistent", "item_id", "关联的%s不属于项目任何一方所在的检察院",
                        ref.label);
    return 0;
}

const struct resource res_project_activities = {
    .name = "project-activities",
    .table = "project_activities",
    .label = "联建活动",
    .fields = project_activity_fields,
    .nfields = sizeof project_activity_fields / sizeof project_activity_fields[0],
    .ignored = "item",
    .read = READ_SIGNED_IN,
    .write = WRITE_BRANCH,
    .export = EXPORT_READERS,
    .scope_from = "project_id",
    .default_sort = "id",
    .check = activity_check,
    .expand = link_expand,
};

static const struct field outcome_fields[] = {
    {"project_id", "联建项目", FT_REF, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, "projects", 0, 0},
    RES_DERIVED_BRANCH_FIELD,
    RES_DERIVED_PROC_FIELD,
    {"title", "成果名称", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_SEARCH | FF_SORT, 100, NULL, NULL, 0, 0},
    {"achieved_on", "取得日期", FT_DATE, FF_REQUIRED | FF_WRITE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"description", "成果说明", FT_TEXT, FF_WRITE, 2000, NULL, NULL, 0, 0},
    RES_SAMPLE_FIELD,
};

/* A record dated "field" that may not precede the started_on of the row its "parent" column
 * names in "table" (an outcome and its project, progress and its pairing): 0, or 422 on
 * "field" saying "what" and the parent's "start" with both dates. A parent without a start
 * date allows any. */
static int not_before_start(struct res_ctx *x, json_t *row, const char *table, const char *parent,
                            const char *field, const char *what, const char *start_what, struct rerr *err)
{
    store_stmt *st = store_prepare(x->c, arena_printf(x->a, "SELECT started_on FROM %s WHERE id = ?", table));
    store_bind_int(st, 1, res_int(row, parent));
    int rc = store_step(st, err);
    char start[11] = "";
    if (rc == STORE_ROW)
        snprintf(start, sizeof start, "%s", store_col_text(st, 0));
    store_done(st);
    if (rc < 0)
        return rc;
    const char *on = res_str(row, field);
    if (on && *start && strcmp(on, start) < 0)
        return rerr_set(err, R_EUNPROC, "inconsistent", field, "%s（%s）早于%s（%s）", what, on, start_what,
                        start);
    return 0;
}

static int outcome_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    (void)before;
    return not_before_start(x, row, "projects", "project_id", "achieved_on", "成果日期", "项目开始日期", err);
}

/* ?credited_branch_id=: outcomes credited to that branch (the lead or a party). */
static int outcome_filter(struct res_ctx *x, const char *key, const char *val, struct query *q,
                          struct rerr *err)
{
    (void)x;
    if (strcmp(key, "credited_branch_id"))
        return 0;
    char *end;
    long long id = strtoll(val, &end, 10);
    if (*end || id < 1)
        return rerr_set(err, R_EINVAL, "bad_query", key, "查询参数 credited_branch_id 应为正整数");
    query_where(
        q, "(t.branch_id = ? OR EXISTS (SELECT 1 FROM project_parties pp WHERE pp.project_id = t.project_id"
           " AND pp.party_branch_id = ?))");
    query_bind_int(q, id);
    query_bind_int(q, id);
    return 1;
}

static int outcome_expand(struct res_ctx *x, json_t *rec, struct rerr *err)
{
    json_t *p;
    int rc = parties_of(x, res_int(rec, "project_id"), &p, err);
    if (rc == 0)
        json_object_set_new(rec, "credited", p);
    return rc;
}

/* An outcome is in its project's branches' timelines. */
#define OUTCOMES_OF "SELECT o.id FROM project_outcomes o WHERE o.project_id = ?"
static const struct res_event_dep outcome_event_deps[] = {
    {"projects", "id", OUTCOMES_OF, "branch_id"},
    {"project_parties", "project_id", OUTCOMES_OF, NULL},
    {0},
};
static const struct res_event outcome_events[] = {
    {"联建成果", "t.achieved_on", "'联建成果「' || t.title || '」'", PARTIES_OF("t.project_id"), NULL, NULL},
    {0},
};

const struct resource res_project_outcomes = {
    .name = "project-outcomes",
    .table = "project_outcomes",
    .label = "联建成果",
    .fields = outcome_fields,
    .nfields = sizeof outcome_fields / sizeof outcome_fields[0],
    .extras = "(SELECT title FROM projects p WHERE p.id = t.project_id) AS project_title",
    .ignored = "project_title credited",
    .read = READ_SIGNED_IN,
    .write = WRITE_BRANCH,
    .export = EXPORT_READERS,
    .scope_from = "project_id",
    .default_sort = "-achieved_on",
    .check = outcome_check,
    .filter = outcome_filter,
    .expand = outcome_expand,
    .title = "t.title",
    .date = "t.achieved_on",
    .events = outcome_events,
    .event_deps = outcome_event_deps,
};

/* ---------------------------------------------------------------- 红旗结对 */

static const struct field pairing_fields[] = {
    {"leading_branch_id", "领衔党组织", FT_REF, FF_REQUIRED | FF_WRITE, 0, NULL, "branches", 0, 0},
    {"branch_id", "结对党组织", FT_REF, FF_REQUIRED | FF_WRITE, 0, NULL, "branches", 0, 0},
    RES_DERIVED_PROC_FIELD,
    {"goals", "结对目标", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_SEARCH, 2000, NULL, NULL, 0, 0},
    {"started_on", "开始日期", FT_DATE, FF_REQUIRED | FF_WRITE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"ends_on", "计划结束日期", FT_DATE, FF_WRITE | FF_FUTURE | FF_SORT, 10, NULL, NULL, 0, 0},
    RES_SAMPLE_FIELD,
};

static int pairing_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    (void)x, (void)before;
    if (res_int(row, "leading_branch_id") == res_int(row, "branch_id"))
        return rerr_set(err, R_EUNPROC, "same_branch", "branch_id", "领衔党组织与结对党组织不能是同一个");
    return ends_after_start(row, err);
}

static int pairing_filter(struct res_ctx *x, const char *key, const char *val, struct query *q,
                          struct rerr *err)
{
    (void)x;
    return strcmp(key, "branch_id")
               ? 0
               : involves_filter(q, "(t.branch_id = ? OR t.leading_branch_id = ?)", val, err);
}

#define BRANCH_NAME(col) "(SELECT name FROM branches b WHERE b.id = " col ")"
static const struct res_event pairing_events[] = {
    {"红旗结对", "t.started_on",
     "'红旗结对：' || " BRANCH_NAME("t.leading_branch_id") " || ' 带 ' || " BRANCH_NAME("t.branch_id"),
     "SELECT t.branch_id UNION SELECT t.leading_branch_id", NULL, NULL},
    {0},
};

const struct resource res_pairings = {
    .name = "pairings",
    .table = "pairings",
    .label = "红旗结对",
    .fields = pairing_fields,
    .nfields = sizeof pairing_fields / sizeof pairing_fields[0],
    .extras = "(SELECT name FROM branches b WHERE b.id = t.leading_branch_id) AS leading_branch_name,"
              " (SELECT name FROM branches b WHERE b.id = t.branch_id) AS branch_name,"
              " (SELECT status FROM pairing_progress g WHERE g.pairing_id = t.id"
              "   ORDER BY g.noted_on DESC, g.id DESC LIMIT 1) AS latest_status,"
              " (SELECT score FROM pairing_progress g WHERE g.pairing_id = t.id"
              "   ORDER BY g.noted_on DESC, g.id DESC LIMIT 1) AS latest_score",
    .ignored = "leading_branch_name branch_name latest_status latest_score",
    .read = READ_SIGNED_IN,
    .write = WRITE_ADMIN,
    .export = EXPORT_READERS,
    .scope_from = "branch_id",
    .default_sort = "-started_on",
    .check = pairing_check,
    .filter = pairing_filter,
    .title =
        "'红旗结对：' || " BRANCH_NAME("t.leading_branch_id") " || ' 带 ' || " BRANCH_NAME("t.branch_id"),
    .date = "t.started_on",
    .events = pairing_events,
};

static const char *const progress_statuses[] = {"按计划", "滞后", "已达成", NULL};

static const struct field progress_fields[] = {
    {"pairing_id", "红旗结对", FT_REF, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, "pairings", 0, 0},
    RES_DERIVED_BRANCH_FIELD,
    RES_DERIVED_PROC_FIELD,
    {"noted_on", "记录日期", FT_DATE, FF_REQUIRED | FF_WRITE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"note", "进展情况", FT_TEXT, FF_REQUIRED | FF_WRITE, 1000, NULL, NULL, 0, 0},
    {"status", "状态", FT_ENUM, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, progress_statuses, NULL, 0, 0},
    {"score", "评分", FT_INT, FF_WRITE, 0, NULL, NULL, 0, 100},
    RES_SAMPLE_FIELD,
};

static int progress_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    (void)before;
    return not_before_start(x, row, "pairings", "pairing_id", "noted_on", "进展日期", "结对开始日期", err);
}

/* Progress is in the leading branch's timeline too. */
static const struct res_event_dep progress_event_deps[] = {
    {"pairings", "id", "SELECT g.id FROM pairing_progress g WHERE g.pairing_id = ?", "leading_branch_id"},
    {0},
};
static const struct res_event progress_events[] = {
    {"结对进展", "t.noted_on", "'结对进展（' || t.status || '）：' || substr(t.note, 1, 60)",
     "SELECT t.branch_id UNION SELECT p.leading_branch_id FROM pairings p WHERE p.id = t.pairing_id", NULL,
     NULL},
    {0},
};

const struct resource res_pairing_progress = {
    .name = "pairing-progress",
    .table = "pairing_progress",
    .label = "结对进展",
    .fields = progress_fields,
    .nfields = sizeof progress_fields / sizeof progress_fields[0],
    .read = READ_SIGNED_IN,
    .write = WRITE_BRANCH,
    .export = EXPORT_READERS,
    .scope_from = "pairing_id",
    .default_sort = "-noted_on",
    .check = progress_check,
    .title = "'结对进展（' || t.status || '）'",
    .date = "t.noted_on",
    .events = progress_events,
    .event_deps = progress_event_deps,
};

/* ---------------------------------------------------------------- 以机关带系统强基层 */

static const char *const guidance_kinds[] = {"走访", "培训", "评审/检查", "其他", NULL};

static const struct field guidance_fields[] = {
    {"from_branch_id", "指导党组织（市院）", FT_REF, FF_REQUIRED | FF_WRITE, 0, NULL, "branches", 0, 0},
    {"branch_id", "受指导党组织（基层院）", FT_REF, FF_REQUIRED | FF_WRITE, 0, NULL, "branches", 0, 0},
    RES_DERIVED_PROC_FIELD,
    {"kind", "指导方式", FT_ENUM, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, guidance_kinds, NULL, 0, 0},
    {"held_on", "日期", FT_DATE, FF_REQUIRED | FF_WRITE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"summary", "指导内容", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_SEARCH, 2000, NULL, NULL, 0, 0},
    RES_SAMPLE_FIELD,
};

/* The level of branch "id"'s procuratorate (1 市院, 2 基层院). */
static int branch_level(struct res_ctx *x, int64_t id, const char *field, int64_t *level, struct rerr *err)
{
    int64_t proc;
    int rc = res_lookup_int(x, "branches", "procuratorate_id", id, field, &proc, err);
    if (rc == 0)
        rc = res_lookup_int(x, "procuratorates", "level", proc, field, level, err);
    return rc;
}

/* Guidance goes from a city branch to a county branch. */
static int guidance_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    (void)before;
    int64_t from, to;
    int rc = branch_level(x, res_int(row, "from_branch_id"), "from_branch_id", &from, err);
    if (rc < 0 || (rc = branch_level(x, res_int(row, "branch_id"), "branch_id", &to, err)) < 0)
        return rc;
    if (from != 1)
        return rerr_set(err, R_EUNPROC, "direction", "from_branch_id",
                        "指导方应为市检察院的党组织（以机关带系统：由市院指导基层院）");
    if (to != 2)
        return rerr_set(err, R_EUNPROC, "direction", "branch_id",
                        "受指导方应为基层检察院的党组织（以机关带系统：由市院指导基层院）");
    return 0;
}

static int guidance_filter(struct res_ctx *x, const char *key, const char *val, struct query *q,
                           struct rerr *err)
{
    (void)x;
    return strcmp(key, "branch_id")
               ? 0
               : involves_filter(q, "(t.branch_id = ? OR t.from_branch_id = ?)", val, err);
}

static const struct res_event guidance_events[] = {
    {"指导基层", "t.held_on",
     BRANCH_NAME("t.from_branch_id") " || t.kind || ' ' || " BRANCH_NAME(
         "t.branch_id") " || '：' || substr(t.summary, 1, 60)",
     "SELECT t.branch_id UNION SELECT t.from_branch_id", NULL, NULL},
    {0},
};

const struct resource res_guidance = {
    .name = "guidance",
    .table = "guidance",
    .label = "指导基层",
    .fields = guidance_fields,
    .nfields = sizeof guidance_fields / sizeof guidance_fields[0],
    .extras = "(SELECT name FROM branches b WHERE b.id = t.from_branch_id) AS from_branch_name,"
              " (SELECT name FROM branches b WHERE b.id = t.branch_id) AS branch_name",
    .ignored = "from_branch_name branch_name",
    .read = READ_SCOPED,
    .write = WRITE_CITY_ADMIN,
    .export = EXPORT_READERS,
    .scope_from = "branch_id",
    .default_sort = "-held_on",
    .check = guidance_check,
    .filter = guidance_filter,
    .title = BRANCH_NAME("t.from_branch_id") " || t.kind || ' ' || " BRANCH_NAME("t.branch_id"),
    .date = "t.held_on",
    .events = guidance_events,
};
