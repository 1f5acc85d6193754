/*
 * eval_manual.c: values entered by hand (eval-manual-values) for the indicators a scheme
 * marks 手工录入 — a leadership assessment, a 述职评议 result. Each names its scheme (by
 * name), indicator, subject and period, carries evidence (an attachment or a note), and
 * counts in a run only once an administrator who did not enter it approved it
 * (POST /eval-manual-values/:id/approve, or /reject); a changed value waits for approval
 * again. Every step is audited.
 *
 * The subject is any kind the indicator applies to (适用): a branch (subject_kind
 * "branch", named by branch_id), a procuratorate, a member or a party group (named by
 * subject_id). Its scope is the subject's: procuratorate_id and branch_id are derived from
 * it (a procuratorate's value is in no branch), so the roles and scope that may enter and
 * approve a branch's value may do so for the subjects of that branch and procuratorate.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/audit.h"
#include "base/log.h"
#include "base/text.h"
#include "domain/eval_internal.h"
#include "domain/evaluation.h"
#include "domain/resource.h"

static const char *const manual_states[] = {"待审核", "已通过", "已退回", NULL};
/* enum scheme_subject's order */
static const char *const subject_kinds[] = {"branch", "procuratorate", "member", "party_group", NULL};
static const char *const subject_names[] = {"党支部", "检察院", "党员", "党小组"};

/* A name quoted in a message: at most 20 characters (4 bytes each) and "…". */
enum { QUOTED_CHARS = 20, QUOTED_BYTES = QUOTED_CHARS * 4 + 4 };

/* "v" is a decimal number from 0 to 100 with at most four places. */
static bool score_text(const char *v)
{
    const char *p = v;
    int digits = 0, places = -1;
    for (; *p; p++) {
        if (*p == '.' && places < 0)
            places = 0;
        else if (isdigit((unsigned char)*p))
            places >= 0 ? places++ : digits++;
        else
            return false;
    }
    if (!digits || places == 0 || places > 4)
        return false;
    double d = strtod(v, NULL);
    return d >= 0 && d <= 100;
}

/* Whether scheme "id" has a 手工录入 indicator "indicator" that applies to subjects of
 * "kind" (enum scheme_subject); its name into row.scheme_name (the value serves every
 * edition of that name). */
static int manual_indicator(struct res_ctx *x, json_t *row, int64_t id, const char *indicator, int kind,
                            struct rerr *err)
{
    store_stmt *st = store_prepare(x->c, "SELECT text, name FROM eval_schemes WHERE id = ?");
    store_bind_int(st, 1, id);
    int rc = store_step(st, err);
    char *text = rc == STORE_ROW ? strdup(store_col_text(st, 0)) : NULL;
    if (text)
        json_object_set_new(row, "scheme_name", json_string(store_col_text(st, 1)));
    store_done(st);
    if (rc < 0)
        return rc;
    if (!text)
        return rerr_set(err, R_EUNPROC, "invalid_reference", "scheme_id",
                        "考评方案不存在（编号 %" PRId64 "）", id);
    const char *name = res_str(row, "scheme_name");
    struct scheme *s = NULL;
    rc = eval_scheme_compile(text, &s, NULL, err);
    free(text);
    if (rc < 0)
        return rc;
    bool found = false, manual = false;
    unsigned subjects = 0;
    for (int i = 0; i < scheme_nindicators(s); i++)
        if (!strcmp(scheme_indicator(s, i)->name, indicator)) {
            found = true;
            manual = scheme_indicator(s, i)->manual;
            subjects = scheme_indicator(s, i)->subjects;
        }
    scheme_free(s);
    /* names quoted clipped, so that what the message says after them fits */
    char said[QUOTED_BYTES], scheme_said[QUOTED_BYTES];
    text_clip(indicator, QUOTED_CHARS, said, sizeof said);
    text_clip(name, QUOTED_CHARS, scheme_said, sizeof scheme_said);
    if (!found)
        return rerr_set(err, R_EUNPROC, "invalid_reference", "indicator", "方案“%s”中没有指标“%s”",
                        scheme_said, said);
    if (!manual)
        return rerr_set(err, R_EUNPROC, "not_manual", "indicator", "指标“%s”由台账数据计算，不能手工录入",
                        said);
    if (!(subjects & (1u << kind))) {
        char which[64] = "";
        for (int k = 0; k < SCHEME_SUBJECTS; k++)
            if (subjects & (1u << k))
                snprintf(which + strlen(which), sizeof which - strlen(which), "%s%s", *which ? "、" : "",
                         subject_names[k]);
        return rerr_set(err, R_EUNPROC, "not_applicable", "subject_kind", "指标“%s”不适用于%s（适用：%s）",
                        said, subject_names[kind], which);
    }
    return 0;
}

/* The kind "name" names (enum scheme_subject; the field's values are checked before). */
static int kind_of(const char *name)
{
    for (int k = 0; subject_kinds[k]; k++)
        if (name && !strcmp(name, subject_kinds[k]))
            return k;
    return SCHEME_BRANCH;
}

/* The value's subject, and its scope from it: a branch named by branch_id (or subject_id
 * when only that is given; on an update, whichever of the two changed), any other kind by
 * subject_id; procuratorate_id and branch_id (null for a procuratorate) set from the
 * subject's row, which must be one the actor may read. */
static int subject_scope(struct res_ctx *x, json_t *row, json_t *before, int kind, struct rerr *err)
{
    int64_t sid = res_int(row, "subject_id"), branch = res_int(row, "branch_id"), proc = 0;
    if (kind == SCHEME_BRANCH) {
        bool new_branch = branch && (!before || branch != res_int(before, "branch_id"));
        bool new_subject = sid && (!before || sid != res_int(before, "subject_id"));
        if (new_branch && new_subject && branch != sid)
            return rerr_set(err, R_EINVAL, "inconsistent", "subject_id",
                            "党支部的分值以 branch_id 指明评价对象，subject_id 应与之相同或不填");
        sid = new_subject && !new_branch ? sid : branch ? branch : sid;
        if (!sid)
            return rerr_set(err, R_EINVAL, "required", "branch_id", "请选择党组织");
    }
    if (!sid)
        return rerr_set(err, R_EINVAL, "required", "subject_id", "请选择评价对象（%s）", subject_names[kind]);
    static const char *const tables[] = {"branches", "procuratorates", "members", "party_groups"};
    int rc = res_lookup_int(x, tables[kind], kind == SCHEME_PROCURATORATE ? "id" : "procuratorate_id", sid,
                            kind == SCHEME_BRANCH ? "branch_id" : "subject_id", &proc, err);
    if (rc == 0 && kind != SCHEME_BRANCH && kind != SCHEME_PROCURATORATE)
        rc = res_lookup_int(x, tables[kind], "branch_id", sid, "subject_id", &branch, err);
    if (rc < 0)
        return rc;
    json_object_set_new(row, "subject_id", json_integer(sid));
    json_object_set_new(row, "procuratorate_id", json_integer(proc));
    json_object_set_new(row, "branch_id", kind == SCHEME_PROCURATORATE ? json_null() : json_integer(branch));
    return 0;
}

static bool changed(json_t *row, json_t *before, const char *f)
{
    json_t *a = json_object_get(row, f), *b = json_object_get(before, f);
    return !json_equal(a ? a : json_null(), b ? b : json_null());
}

static int manual_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    struct eval_period p;
    int rc = eval_period_parse(res_str(row, "period"), &p, err);
    if (rc < 0)
        return rc;
    json_object_set_new(row, "period", json_string(p.label));
    if (!score_text(res_str(row, "value")))
        return rerr_set(err, R_EINVAL, "invalid_value", "value",
                        "分值应为 0 至 100 的数，最多四位小数（如 92.5）");
    if (!res_int(row, "evidence_attachment_id") && text_blank(res_str(row, "evidence_note")))
        return rerr_set(err, R_EINVAL, "required", "evidence_note",
                        "手工录入的分值须有佐证：上传材料或填写佐证说明");
    int kind = kind_of(res_str(row, "subject_kind"));
    if ((rc = subject_scope(x, row, before, kind, err)) < 0 ||
        (rc = manual_indicator(x, row, res_int(row, "scheme_id"), res_str(row, "indicator"), kind, err)) < 0)
        return rc;
    bool again = !before;
    static const char *const watched[] = {
        "value",        "period",       "indicator",  "scheme_id",
        "branch_id",    "subject_kind", "subject_id", "evidence_attachment_id",
        "evidence_note"};
    for (size_t i = 0; before && i < sizeof watched / sizeof watched[0]; i++)
        again = again || changed(row, before, watched[i]);
    if (again) { /* entered or changed: waits for a second person */
        json_object_set_new(row, "status", json_string("待审核"));
        json_object_set_new(row, "entered_by", x->who->user_id ? json_integer(x->who->user_id) : json_null());
        json_object_set_new(row, "approved_by", json_null());
        json_object_set_new(row, "approved_at", json_null());
    }
    return 0;
}

/* The version a decision is about: "body" NULL or {} (none: 0), or {"version": N}. */
static int decision_version(json_t *body, int64_t *version, struct rerr *err)
{
    *version = 0;
    const char *k;
    json_t *v;
    json_object_foreach(body, k, v)
    {
        if (strcmp(k, "version") != 0)
            return rerr_set(err, R_EINVAL, "unknown_field", k, "未知字段“%s”（可用 version）", k);
        if (!json_is_integer(v) || json_integer_value(v) < 1)
            return rerr_set(err, R_EINVAL, "invalid_type", "version", "版本号 version 应为正整数");
        *version = json_integer_value(v);
    }
    return 0;
}

/* approve / reject: an administrator of the value's scope who did not enter it; of the
 * version "body" names when it names one (the one the approver saw: a value changed
 * since is 409 version_conflict). */
static int decide(struct res_ctx *x, int64_t id, json_t *body, const char *status, const char *action,
                  json_t **out, struct rerr *err)
{
    int64_t seen;
    int rc = decision_version(body, &seen, err);
    if (rc < 0)
        return rc;
    rc = store_begin(x->c, err);
    if (rc < 0)
        return rc;
    store_stmt *st =
        store_prepare(x->c, "SELECT procuratorate_id, branch_id, status, coalesce(entered_by, 0), value,"
                            " indicator, period, version FROM eval_manual_values WHERE id = ?");
    store_bind_int(st, 1, id);
    rc = store_step(st, err);
    struct row_scope s = {0};
    int64_t entered = 0, version = 0;
    /* copied whole: an indicator's name is up to 100 characters, 400 bytes (a cut one
     * would not be UTF-8 and the audit entry would lose its "after") */
    char *state = NULL, *value = NULL, *indicator = NULL, *period = NULL;
    if (rc == STORE_ROW) {
        s.procuratorate_id = store_col_int(st, 0);
        s.branch_id = store_col_int(st, 1);
        state = strdup(store_col_text(st, 2));
        entered = store_col_int(st, 3);
        value = strdup(store_col_text(st, 4));
        indicator = strdup(store_col_text(st, 5));
        period = strdup(store_col_text(st, 6));
        version = store_col_int(st, 7);
        CHECK(state && value && indicator && period);
    }
    store_done(st);
    int64_t own;
    if (rc == STORE_DONE ||
        (rc == STORE_ROW && authz_read_narrowed(x->who, READ_SCOPED, &own) && own != s.procuratorate_id))
        rc = rerr_set(err, R_ENOTFOUND, "not_found", "", "手工录入的分值不存在（编号 %" PRId64 "）", id);
    if (rc >= 0)
        rc = authz_write_row(x->who, WRITE_ADMIN, &s, err);
    if (rc >= 0 && seen && seen != version)
        rc = rerr_set(err, R_ECONFLICT, "version_conflict", "version",
                      "该分值已被修改（现为第 %" PRId64 " 版，您看到的是第 %" PRId64 " 版），请刷新后再审核",
                      version, seen);
    if (rc >= 0 && strcmp(state, "待审核") != 0)
        rc = rerr_set(err, R_ECONFLICT, "not_pending", "status", "该分值已审核（%s），不能再审核", state);
    if (rc >= 0 && entered == x->who->user_id)
        rc =
            rerr_set(err, R_EFORBID, "same_person", "", "录入人不能审核自己录入的分值，须由另一位管理员审核");
    char now[32];
    text_now(now);
    if (rc >= 0) {
        st = store_prepare(x->c, "UPDATE eval_manual_values SET status = ?, approved_by = ?, approved_at = ?,"
                                 " updated_at = ?, version = version + 1 WHERE id = ?");
        store_bind_text(st, 1, status);
        if (x->who->user_id)
            store_bind_int(st, 2, x->who->user_id);
        else
            store_bind_null(st, 2);
        store_bind_text(st, 3, now);
        store_bind_text(st, 4, now);
        store_bind_int(st, 5, id);
        rc = store_step(st, err);
        store_done(st);
    }
    if (rc >= 0) {
        json_t *before = json_pack("{s:s}", "status", state);
        json_t *after = json_pack("{s:s, s:s, s:s, s:s, s:s}", "status", status, "value", value, "indicator",
                                  indicator, "period", period, "approved_at", now);
        rc = audit_append(x->c, x->who, action, "eval-manual-values", id, s.procuratorate_id, before, after,
                          err);
        if (rc >= 0)
            *out = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "status", status, "approved_at", now);
        json_decref(before);
        json_decref(after);
    }
    free(state);
    free(value);
    free(indicator);
    free(period);
    rc = rc >= 0 ? store_commit(x->c, err) : (store_rollback(x->c), rc);
    if (rc < 0 && *out) {
        json_decref(*out);
        *out = NULL;
    }
    return rc < 0 ? rc : 0;
}

static int manual_approve(struct res_ctx *x, int64_t id, json_t *body, json_t **out, struct rerr *err)
{
    return decide(x, id, body, "已通过", "approve", out, err);
}

static int manual_reject(struct res_ctx *x, int64_t id, json_t *body, json_t **out, struct rerr *err)
{
    return decide(x, id, body, "已退回", "reject", out, err);
}

static const struct res_action manual_actions[] = {
    {.name = "approve",
     .method = "POST",
     .status = 200,
     .body = true,
     .body_optional = true,
     .run = manual_approve},
    {.name = "reject",
     .method = "POST",
     .status = 200,
     .body = true,
     .body_optional = true,
     .run = manual_reject},
    {0},
};

/* A value that counts (已通过) was let in by two people; taking it out takes two as well:
 * an administrator in its scope who did not enter it (as for approving it). One waiting or
 * sent back is withdrawn by whoever may write it. */
static int manual_removable(struct res_ctx *x, json_t *before, struct rerr *err)
{
    const char *state = res_str(before, "status");
    if (!state || strcmp(state, "已通过") != 0)
        return 0;
    struct row_scope s = {.procuratorate_id = res_int(before, "procuratorate_id"),
                          .branch_id = res_int(before, "branch_id")};
    int rc = authz_write_row(x->who, WRITE_ADMIN, &s, err);
    if (rc < 0)
        return rc;
    if (res_int(before, "entered_by") == x->who->user_id)
        return rerr_set(err, R_EFORBID, "same_person", "", "已通过审核的分值须由录入人以外的管理员删除");
    return 0;
}

static const struct field manual_fields[] = {
    {"subject_kind", "评价对象类型", FT_ENUM, FF_WRITE | FF_FILTER | FF_NOTNULL, 0, subject_kinds, NULL, 0,
     0},
    {"subject_id", "评价对象", FT_INT, FF_WRITE | FF_FILTER, 0, NULL, NULL, 0,
     0}, /* the subject's row is looked up */
    {"branch_id", "党组织", FT_REF, FF_WRITE | FF_FILTER, 0, NULL, "branches", 0, 0},
    RES_DERIVED_PROC_FIELD,
    {"scheme_id", "考评方案", FT_REF, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, "eval_schemes", 0, 0},
    {"scheme_name", "方案名称", FT_TEXT, FF_DERIVED | FF_FILTER, 200, NULL, NULL, 0, 0},
    {"indicator", "指标", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_FILTER, 100, NULL, NULL, 0, 0},
    {"period", "期间", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_FILTER | FF_SORT, 7, NULL, NULL, 0, 0},
    {"value", "分值", FT_TEXT, FF_REQUIRED | FF_WRITE, 12, NULL, NULL, 0, 0},
    {"evidence_attachment_id", "佐证材料", FT_REF, FF_WRITE | FF_SAME_PROC, 0, NULL, "attachments", 0, 0},
    {"evidence_note", "佐证说明", FT_TEXT, FF_WRITE, 500, NULL, NULL, 0, 0},
    {"status", "审核状态", FT_ENUM, FF_DERIVED | FF_FILTER, 0, manual_states, NULL, 0, 0},
    {"entered_by", "录入人", FT_REF, FF_DERIVED, 0, NULL, "users", 0, 0},
    {"approved_by", "审核人", FT_REF, FF_DERIVED, 0, NULL, "users", 0, 0},
    {"approved_at", "审核时间", FT_TEXT, FF_DERIVED, 32, NULL, NULL, 0, 0},
    RES_SAMPLE_FIELD,
};

const struct resource res_eval_manual_values = {
    .name = "eval-manual-values",
    .table = "eval_manual_values",
    .label = "手工录入分值",
    .fields = manual_fields,
    .nfields = sizeof manual_fields / sizeof manual_fields[0],
    /* the subject's name as it stands (one in the value's own scope: readers of the value
     * read it) */
    .extras = "(CASE t.subject_kind WHEN 'branch' THEN (SELECT name FROM branches WHERE id = t.subject_id)"
              " WHEN 'procuratorate' THEN (SELECT name FROM procuratorates WHERE id = t.subject_id)"
              " WHEN 'member' THEN (SELECT name FROM members WHERE id = t.subject_id)"
              " ELSE (SELECT name FROM party_groups WHERE id = t.subject_id) END) AS subject_name",
    .ignored = "subject_name",
    .read = READ_SCOPED,
    .write = WRITE_BRANCH,
    .export = EXPORT_READERS,
    .default_sort = "-id",
    .check = manual_check,
    .removable = manual_removable,
    .actions = manual_actions,
};
