/*
 * pil: public-interest matters, patrols and outreach (see pil.h). The collections are
 * described here; the rules across fields are their check hooks.
 */
#include "domain/pil.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/audit.h"
#include "base/text.h"
#include "domain/member.h"
#include "domain/resource.h"

/* ================================================================ shared */

/* At most this many members on one record, and officials on one patrol. */
#define PIL_MAX_MEMBERS 50
#define PIL_MAX_OFFICIALS 20

/* "s" cut to at most "max" code points (a copy in the arena). */
static char *cut(arena *a, const char *s, size_t max)
{
    size_t n = 0, i = 0;
    for (; s[i] && n < max; n++) {
        i++;
        while ((s[i] & 0xC0) == 0x80)
            i++;
    }
    char *out = arena_alloc(a, i + 1);
    memcpy(out, s, i);
    out[i] = 0;
    return out;
}

/* Whether the actor may write "row" of "r" at all, asked first in each check hook: the
 * engine's own check comes after the hook, and the hooks' answers (a member of another
 * procuratorate, a patrol's date) are only for those who may write the row. */
static int may_write(struct res_ctx *x, const struct resource *r, json_t *row, struct rerr *err)
{
    struct row_scope s = {.procuratorate_id = res_int(row, "procuratorate_id"),
                          .branch_id = res_int(row, "branch_id")};
    return authz_write_row(x->who, r->write, &s, err);
}

/* "member_ids" of "row": an array of 1..PIL_MAX_MEMBERS distinct ids, each of a member
 * the actor may read and of the row's own procuratorate ("who" says who they are in the
 * messages: "参加巡查的党员"). */
static int check_members(struct res_ctx *x, json_t *row, const char *who, struct rerr *err)
{
    json_t *ids = json_object_get(row, "member_ids");
    if (!json_is_array(ids))
        return rerr_set(err, R_EINVAL, "invalid_type", "member_ids", "%s应为党员编号的数组", who);
    size_t n = json_array_size(ids);
    if (n == 0)
        return rerr_set(err, R_EINVAL, "required", "member_ids", "请选择%s", who);
    if (n > PIL_MAX_MEMBERS)
        return rerr_set(err, R_EINVAL, "invalid_value", "member_ids", "%s最多 %d 名", who, PIL_MAX_MEMBERS);
    int64_t proc = res_int(row, "procuratorate_id"), narrowed_to = 0;
    bool narrowed = authz_read_narrowed(x->who, res_members.read, &narrowed_to);
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(ids, i);
        if (!json_is_integer(v) || json_integer_value(v) <= 0)
            return rerr_set(err, R_EINVAL, "invalid_type", "member_ids", "%s应为党员编号（正整数）", who);
        int64_t id = json_integer_value(v);
        for (size_t j = 0; j < i; j++)
            if (json_integer_value(json_array_get(ids, j)) == id)
                return rerr_set(err, R_EINVAL, "invalid_value", "member_ids",
                                "%s中有重复的党员（编号 %" PRId64 "）", who, id);
        store_stmt *st = store_prepare(x->c, "SELECT procuratorate_id, name FROM members WHERE id = ?");
        store_bind_int(st, 1, id);
        int rc = store_step(st, err);
        if (rc < 0) {
            store_done(st);
            return rc;
        }
        int64_t mp = rc == STORE_ROW ? store_col_int(st, 0) : 0;
        char *name = rc == STORE_ROW ? arena_strdup(x->a, store_col_text(st, 1)) : NULL;
        store_done(st);
        if (!name || (narrowed && mp != narrowed_to))
            return rerr_set(err, R_EUNPROC, "invalid_reference", "member_ids", "%s不存在（编号 %" PRId64 "）",
                            who, id);
        if (mp != proc)
            return rerr_set(err, R_EUNPROC, "inconsistent", "member_ids",
                            "党员“%s”不是本检察院的党员，不能列为%s", name, who);
    }
    return 0;
}

/* A query parameter "YYYY-MM" as the first and last day of that month (11 bytes each). */
static int month_range(const char *key, const char *val, char first[11], char last[11], struct rerr *err)
{
    char d[16];
    if (strlen(val) != 7 || snprintf(d, sizeof d, "%s-01", val) != 10 || !text_date_ok(d))
        return rerr_set(err, R_EINVAL, "bad_query", key, "查询参数 %s 应为月份（YYYY-MM）", key);
    memcpy(first, d, 11);
    snprintf(last, 11, "%.7s-31", val); /* dates compare as text: no day sorts after -31 */
    return 0;
}

/* ?month=YYYY-MM on column "col", ?member_id=N through the link table "link" (its
 * columns "fk" and member_id). 1 when "key" is one of them. */
static int filter_month_member(struct res_ctx *x, const char *key, const char *val, struct query *q,
                               const char *col, const char *link, const char *fk, struct rerr *err)
{
    if (!strcmp(key, "month")) {
        char first[11], last[11];
        int rc = month_range(key, val, first, last, err);
        if (rc < 0)
            return rc;
        query_where(q, arena_printf(x->a, "t.%s BETWEEN ? AND ?", col));
        query_bind_text(q, arena_strdup(x->a, first));
        query_bind_text(q, arena_strdup(x->a, last));
        return 1;
    }
    if (!strcmp(key, "member_id")) {
        char *end;
        long long id = strtoll(val, &end, 10);
        if (*end || id <= 0)
            return rerr_set(err, R_EINVAL, "bad_query", key, "查询参数 member_id 应为正整数");
        query_where(q, arena_printf(x->a, "EXISTS (SELECT 1 FROM %s l WHERE l.%s = t.id AND l.member_id = ?)",
                                    link, fk));
        query_bind_int(q, id);
        return 1;
    }
    return 0;
}

/* The members of record "rec" by name, from the link table (in the order of member_ids). */
static int expand_members(struct res_ctx *x, json_t *rec, struct rerr *err)
{
    json_t *ids = json_object_get(rec, "member_ids"), *out = json_array();
    size_t i;
    json_t *v;
    int rc = 0;
    json_array_foreach(ids, i, v)
    {
        store_stmt *st = store_prepare(x->c, "SELECT m.name, b.name FROM members m"
                                             " LEFT JOIN branches b ON b.id = m.branch_id WHERE m.id = ?");
        store_bind_int(st, 1, json_integer_value(v));
        rc = store_step(st, err);
        if (rc == STORE_ROW)
            json_array_append_new(
                out, json_pack("{s:I, s:s, s:s?}", "id", (json_int_t)json_integer_value(v), "name",
                               store_col_text(st, 0), "branch_name",
                               store_col_type(st, 1) == STORE_NULL ? NULL : store_col_text(st, 1)));
        store_done(st);
        if (rc < 0)
            break;
        rc = 0;
    }
    json_object_set_new(rec, "members", out);
    return rc < 0 ? rc : 0;
}

/* ================================================================ patrols */

static const char *const patrol_kinds[] = {"党员突击队巡查", "党员+行政长官联合巡查", NULL};
#define JOINT_PATROL "党员+行政长官联合巡查"

static const struct field patrol_fields[] = {
    {"branch_id", "所属党组织", FT_REF, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, "branches", 0, 0},
    RES_DERIVED_PROC_FIELD,
    {"patrolled_on", "巡查日期", FT_DATE, FF_REQUIRED | FF_WRITE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"kind", "巡查方式", FT_ENUM, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, patrol_kinds, NULL, 0, 0},
    {"place", "巡查地点", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_SEARCH | FF_SORT, 100, NULL, NULL, 0, 0},
    {"lat", "纬度", FT_TEXT, FF_WRITE, 11, NULL, NULL, 0, 0},
    {"lng", "经度", FT_TEXT, FF_WRITE, 12, NULL, NULL, 0, 0},
    {"member_ids", "参加巡查的党员", FT_JSON, FF_REQUIRED | FF_WRITE, 0, NULL, NULL, 0, 0},
    {"officials", "同行的行政长官", FT_JSON, FF_WRITE, 0, NULL, NULL, 0, 0},
    {"problem_found", "发现问题", FT_BOOL, FF_WRITE | FF_NOTNULL | FF_FILTER, 0, NULL, NULL, 0, 0},
    {"findings", "发现情况", FT_TEXT, FF_WRITE | FF_SEARCH, 2000, NULL, NULL, 0, 0},
    RES_SAMPLE_FIELD,
};

/* A coordinate: decimal degrees, at most 7 decimals, within ±"bound". */
static int check_coordinate(json_t *row, const char *col, const char *label, int bound, struct rerr *err)
{
    const char *s = res_str(row, col);
    if (!s)
        return 0;
    const char *p = s + (*s == '-');
    size_t whole = strspn(p, "0123456789"), frac = 0;
    if (p[whole] == '.')
        frac = strspn(p + whole + 1, "0123456789");
    size_t len = whole + (p[whole] == '.' ? 1 + frac : 0);
    if (whole < 1 || whole > 3 || p[len] || (p[whole] == '.' && (frac < 1 || frac > 7)))
        return rerr_set(err, R_EINVAL, "invalid_value", col, "%s应为十进制度数（如 43.6521，最多 7 位小数）",
                        label);
    double v = strtod(s, NULL);
    if (v < -bound || v > bound)
        return rerr_set(err, R_EINVAL, "invalid_value", col, "%s应在 -%d 到 %d 之间", label, bound, bound);
    return 0;
}

/* One text member of an official: present (when "required") and at most "max" code points. */
static int official_text(json_t *o, const char *key, const char *label, size_t max, bool required,
                         struct rerr *err)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v))) {
        if (required)
            return rerr_set(err, R_EINVAL, "required", "officials", "请填写行政长官的%s", label);
        return 0;
    }
    if (!json_is_string(v) || !text_utf8_ok(json_string_value(v)) ||
        strlen(json_string_value(v)) != json_string_length(v))
        return rerr_set(err, R_EINVAL, "invalid_type", "officials", "行政长官的%s应为文本", label);
    if (text_utf8_len(json_string_value(v)) > max)
        return rerr_set(err, R_EINVAL, "too_long", "officials", "行政长官的%s不能超过 %zu 个字", label, max);
    return 0;
}

/* officials: null, or an array of {name, title, organ} (name required); a joint patrol
 * names at least one, a patrol of the task force alone none. */
static int check_officials(json_t *row, struct rerr *err)
{
    json_t *list = json_object_get(row, "officials");
    bool joint = !strcmp(res_str(row, "kind"), JOINT_PATROL);
    size_t n = json_is_array(list) ? json_array_size(list) : 0;
    if (list && !json_is_null(list) && !json_is_array(list))
        return rerr_set(err, R_EINVAL, "invalid_type", "officials",
                        "同行的行政长官应为数组，每人 {name 姓名, title 职务, organ 单位}");
    if (n > PIL_MAX_OFFICIALS)
        return rerr_set(err, R_EINVAL, "invalid_value", "officials", "同行的行政长官最多 %d 人",
                        PIL_MAX_OFFICIALS);
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(list, i);
        if (!json_is_object(o))
            return rerr_set(err, R_EINVAL, "invalid_type", "officials",
                            "每位行政长官应为 {name 姓名, title 职务, organ 单位}");
        const char *k;
        json_t *v;
        json_object_foreach(o, k, v)
        {
            if (strcmp(k, "name") && strcmp(k, "title") && strcmp(k, "organ"))
                return rerr_set(err, R_EINVAL, "unknown_field", "officials", "行政长官的未知字段：%s", k);
        }
        int rc;
        if ((rc = official_text(o, "name", "姓名", 30, true, err)) < 0 ||
            (rc = official_text(o, "title", "职务", 40, false, err)) < 0 ||
            (rc = official_text(o, "organ", "单位", 60, false, err)) < 0)
            return rc;
    }
    if (joint && n == 0)
        return rerr_set(err, R_EINVAL, "required", "officials", "联合巡查应填写同行的行政长官");
    if (!joint && n > 0)
        return rerr_set(err, R_EUNPROC, "inconsistent", "officials",
                        "党员突击队巡查不填写行政长官；有行政长官同行的，请选择“党员+行政长官联合巡查”");
    if (json_is_array(list) && n == 0)
        json_object_set_new(row, "officials", json_null());
    return 0;
}

static int patrol_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    int rc;
    if ((rc = may_write(x, &res_patrols, row, err)) < 0 ||
        (rc = check_coordinate(row, "lat", "纬度", 90, err)) < 0 ||
        (rc = check_coordinate(row, "lng", "经度", 180, err)) < 0)
        return rc;
    if (!res_str(row, "lat") != !res_str(row, "lng"))
        return rerr_set(err, R_EINVAL, "required", res_str(row, "lat") ? "lng" : "lat",
                        "坐标应同时填写纬度和经度");
    if ((rc = check_officials(row, err)) < 0)
        return rc;
    /* A matter raised by this patrol cannot be dated before it. */
    if (before && strcmp(res_str(row, "patrolled_on"), res_str(before, "patrolled_on")) > 0) {
        store_stmt *st = store_prepare(x->c, "SELECT min(clue_on) FROM pil_matters WHERE patrol_id = ?");
        store_bind_int(st, 1, res_int(before, "id"));
        rc = store_step(st, err);
        char *first = rc == STORE_ROW && store_col_type(st, 0) != STORE_NULL
                          ? arena_strdup(x->a, store_col_text(st, 0))
                          : NULL;
        store_done(st);
        if (rc < 0)
            return rc;
        if (first && strcmp(first, res_str(row, "patrolled_on")) < 0)
            return rerr_set(err, R_EUNPROC, "stage_order", "patrolled_on",
                            "本次巡查已转出的线索发现于 %s，巡查日期不能晚于该日", first);
    }
    return check_members(x, row, "参加巡查的党员", err);
}

static int patrol_filter(struct res_ctx *x, const char *key, const char *val, struct query *q,
                         struct rerr *err)
{
    return filter_month_member(x, key, val, q, "patrolled_on", "patrol_members", "patrol_id", err);
}

/* The matters the patrol raised, and its members by name. */
static int patrol_expand(struct res_ctx *x, json_t *rec, struct rerr *err)
{
    store_stmt *st =
        store_prepare(x->c, "SELECT id, title, field, clue_on FROM pil_matters WHERE patrol_id = ?"
                            " ORDER BY clue_on, id");
    store_bind_int(st, 1, res_int(rec, "id"));
    json_t *list = json_array();
    int rc;
    while ((rc = store_step(st, err)) == STORE_ROW)
        json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)store_col_int(st, 0),
                                              "title", store_col_text(st, 1), "field", store_col_text(st, 2),
                                              "clue_on", store_col_text(st, 3)));
    store_done(st);
    json_object_set_new(rec, "matters", list);
    return rc < 0 ? rc : expand_members(x, rec, err);
}

static int lead_action(struct res_ctx *x, int64_t id, json_t *body, json_t **out, struct rerr *err);

/* On the branch's timeline and on each member's who went. */
static const struct res_event patrol_events[] = {
    {"巡查", "t.patrolled_on",
     "t.kind || '：' || t.place || CASE WHEN t.problem_found THEN '（发现问题）' ELSE '' END",
     EVENT_OWN_BRANCH,
     "EXISTS (SELECT 1 FROM patrol_members pm WHERE pm.patrol_id = t.id AND pm.member_id = ?)", NULL},
    {0},
};

static const struct res_action patrol_actions[] = {
    {.name = "lead", .method = "POST", .status = 201, .body = true, .run = lead_action},
    {0},
};

const struct resource res_patrols = {
    .name = "patrols",
    .table = "patrols",
    .label = "巡查记录",
    .fields = patrol_fields,
    .nfields = sizeof patrol_fields / sizeof patrol_fields[0],
    .extras = "(SELECT name FROM branches b WHERE b.id = t.branch_id) AS branch_name,"
              " (SELECT name FROM procuratorates p WHERE p.id = t.procuratorate_id) AS procuratorate_name,"
              " (SELECT count(*) FROM pil_matters m WHERE m.patrol_id = t.id) AS matter_count",
    .ignored = "branch_name procuratorate_name matter_count matters members",
    .read = READ_SCOPED,
    .write = WRITE_BRANCH,
    .export = EXPORT_ADMIN,
    .scope_from = "branch_id",
    .default_sort = "-patrolled_on",
    .check = patrol_check,
    .filter = patrol_filter,
    .expand = patrol_expand,
    .actions = patrol_actions,
    .title = "t.place",
    .date = "t.patrolled_on",
    .events = patrol_events,
};

/* ================================================================ public-interest matters */

static const char *const pil_sources[] = {"巡查", "大数据监督模型", "举报", "移送", "其他", NULL};
static const char *const pil_fields_of_law[] = {"生态环境和资源保护",
                                                "文物和文化遗产",
                                                "食品药品安全",
                                                "国有财产保护",
                                                "国有土地使用权出让",
                                                "草原",
                                                "英烈权益",
                                                "未成年人保护",
                                                "其他",
                                                NULL};
static const char *const pil_collaborations[] = {"检察+行政", "党员+行政长官", NULL};

static const struct field pil_fields[] = {
    {"procuratorate_id", "检察院", FT_REF, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, "procuratorates", 0,
     0},
    {"branch_id", "承办党组织", FT_REF, FF_WRITE | FF_FILTER | FF_SAME_PROC, 0, NULL, "branches", 0, 0},
    {"title", "线索名称", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_SEARCH | FF_SORT, 100, NULL, NULL, 0, 0},
    {"source", "线索来源", FT_ENUM, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, pil_sources, NULL, 0, 0},
    {"field", "领域", FT_ENUM, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, pil_fields_of_law, NULL, 0, 0},
    {"organ", "涉及的行政机关", FT_TEXT, FF_WRITE | FF_SEARCH, 100, NULL, NULL, 0, 0},
    {"collaboration", "协作方式", FT_ENUM, FF_WRITE | FF_FILTER, 0, pil_collaborations, NULL, 0, 0},
    {"mechanism", "协作机制", FT_TEXT, FF_WRITE, 100, NULL, NULL, 0, 0},
    {"partners", "协作的行政机关", FT_TEXT, FF_WRITE | FF_SEARCH, 200, NULL, NULL, 0, 0},
    {"patrol_id", "来源巡查", FT_REF, FF_WRITE | FF_FILTER | FF_SAME_PROC, 0, NULL, "patrols", 0, 0},
    {"summary", "基本情况", FT_TEXT, FF_WRITE, 2000, NULL, NULL, 0, 0},
    {"clue_on", "线索发现日期", FT_DATE, FF_REQUIRED | FF_WRITE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"filed_on", "立案日期", FT_DATE, FF_WRITE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"recommended_on", "诉前检察建议日期", FT_DATE, FF_WRITE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"reply_due", "回复期限", FT_DATE, FF_DERIVED | FF_FUTURE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"reply_on", "行政机关回复日期", FT_DATE, FF_WRITE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"rectified_on", "整改日期", FT_DATE, FF_WRITE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"sued_on", "起诉日期", FT_DATE, FF_WRITE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"revisited_on", "回访日期", FT_DATE, FF_WRITE | FF_SORT, 10, NULL, NULL, 0, 0},
    RES_SAMPLE_FIELD,
};

static const struct res_required pil_required[] = {
    {"partners", "collaboration", "检察+行政", "“检察+行政”协作应写明协作的行政机关"},
    {0},
};

/* The stage a matter has reached, over the row as "t": the latest stage with a date. */
#define PIL_STAGE_SQL                                                                                            \
    "CASE WHEN t.revisited_on IS NOT NULL THEN '回访' WHEN t.sued_on IS NOT NULL THEN '起诉'"                \
    " WHEN t.rectified_on IS NOT NULL THEN '整改' WHEN t.recommended_on IS NOT NULL THEN '诉前检察建议'" \
    " WHEN t.filed_on IS NOT NULL THEN '立案' ELSE '线索' END"
static const char *const pil_stages[] = {"线索", "立案", "诉前检察建议", "整改", "起诉", "回访", NULL};

/* Where the reply stands: 按期回复 / 逾期回复 (replied, in time or late), 逾期 (past due,
 * no reply), 即将到期 (due within PIL_DUE_SOON_DAYS), 期限内; NULL without a
 * recommendation. Depends on today (the routes cache it until midnight). */
#define STR_(n) #n
#define STR(n) STR_(n)
#define PIL_DUE_STATE_SQL                                                                                            \
    "CASE WHEN t.reply_due IS NULL THEN NULL"                                                                        \
    " WHEN t.reply_on IS NOT NULL THEN CASE WHEN t.reply_on <= t.reply_due THEN '按期回复' ELSE '逾期回复' " \
    "END"                                                                                                            \
    " WHEN t.reply_due < ronghe_today() THEN '逾期'"                                                               \
    " WHEN t.reply_due <= date(ronghe_today(), '+" STR(PIL_DUE_SOON_DAYS) " days') THEN '即将到期'"              \
                                                                          " ELSE '期限内' END"

void pil_reply_due(const char *recommended_on, char out[11])
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    unsigned y = 0, m = 0, d = 0;
    sscanf(recommended_on, "%4u-%2u-%2u", &y, &m, &d);
    /* Out of range only for a date the engine has refused before; kept printable. */
    y = y % 9999 + (m == 11 || m == 12); /* november and december: into the next year */
    m = (m % 12 + 1) % 12 + 1;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    unsigned last = (unsigned)days[m - 1] + (m == 2 && leap);
    snprintf(out, 11, "%04u-%02u-%02u", y, m, d < 1 ? 1 : d > last ? last : d);
}

/* Stage "col" ("label") given in "row" requires stage "prev" ("prev_label") and lies
 * on or after it. */
static int stage_after(json_t *row, const char *col, const char *label, const char *prev,
                       const char *prev_label, struct rerr *err)
{
    const char *d = res_str(row, col), *p = res_str(row, prev);
    if (!d)
        return 0;
    if (!p)
        return rerr_set(err, R_EUNPROC, "stage_order", col, "尚无%s，不能填写%s", prev_label, label);
    if (strcmp(d, p) < 0)
        return rerr_set(err, R_EUNPROC, "stage_order", col, "%s（%s）不能早于%s（%s）", label, d, prev_label,
                        p);
    return 0;
}

/* The stages in order, the reply after the recommendation, reply_due derived. */
static int check_stages(json_t *row, struct rerr *err)
{
    int rc;
    if ((rc = stage_after(row, "filed_on", "立案日期", "clue_on", "线索发现日期", err)) < 0 ||
        (rc = stage_after(row, "recommended_on", "诉前检察建议日期", "filed_on", "立案日期", err)) < 0 ||
        (rc = stage_after(row, "reply_on", "行政机关回复日期", "recommended_on", "诉前检察建议", err)) < 0 ||
        (rc = stage_after(row, "rectified_on", "整改日期", "recommended_on", "诉前检察建议", err)) < 0 ||
        (rc = stage_after(row, "sued_on", "起诉日期", "recommended_on", "诉前检察建议", err)) < 0)
        return rc;
    if (res_str(row, "rectified_on") && res_str(row, "sued_on"))
        return rerr_set(err, R_EUNPROC, "stage_order", "sued_on",
                        "诉前检察建议之后为整改或起诉，二者只能记录其一");
    if (res_str(row, "sued_on"))
        rc = stage_after(row, "revisited_on", "回访日期", "sued_on", "起诉日期", err);
    else if (res_str(row, "rectified_on"))
        rc = stage_after(row, "revisited_on", "回访日期", "rectified_on", "整改日期", err);
    else if (res_str(row, "revisited_on"))
        rc = rerr_set(err, R_EUNPROC, "stage_order", "revisited_on", "尚未整改或起诉，不能填写回访日期");
    if (rc < 0)
        return rc;
    const char *rec = res_str(row, "recommended_on");
    if (rec && !res_str(row, "organ"))
        return rerr_set(err, R_EINVAL, "required", "organ", "已发出诉前检察建议，请填写被建议的行政机关");
    if (rec) {
        char due[11];
        pil_reply_due(rec, due);
        json_object_set_new(row, "reply_due", json_string(due));
    } else {
        json_object_set_new(row, "reply_due", json_null());
    }
    return 0;
}

/* A matter raised by a patrol: source 巡查, not found before the patrol; its branch
 * unless another is named. */
static int check_patrol(struct res_ctx *x, json_t *row, struct rerr *err)
{
    int64_t patrol = res_int(row, "patrol_id");
    if (!patrol)
        return 0;
    int64_t proc = 0;
    bool narrowed = authz_read_narrowed(x->who, res_patrols.read, &proc);
    store_stmt *st =
        store_prepare(x->c, "SELECT procuratorate_id, branch_id, patrolled_on FROM patrols WHERE id = ?");
    store_bind_int(st, 1, patrol);
    int rc = store_step(st, err);
    bool visible = rc == STORE_ROW && (!narrowed || store_col_int(st, 0) == proc);
    int64_t p_proc = visible ? store_col_int(st, 0) : 0, branch = visible ? store_col_int(st, 1) : 0;
    char *on = visible ? arena_strdup(x->a, store_col_text(st, 2)) : NULL;
    store_done(st);
    if (rc < 0)
        return rc;
    if (!visible)
        return rerr_set(err, R_EUNPROC, "invalid_reference", "patrol_id",
                        "来源巡查不存在（编号 %" PRId64 "）", patrol);
    if (p_proc != res_int(row, "procuratorate_id"))
        return rerr_set(err, R_EUNPROC, "inconsistent", "patrol_id", "来源巡查不属于同一检察院");
    if (strcmp(res_str(row, "source"), "巡查") != 0)
        return rerr_set(err, R_EUNPROC, "inconsistent", "source", "由巡查发现的线索，来源应为“巡查”");
    if (strcmp(res_str(row, "clue_on"), on) < 0)
        return rerr_set(err, R_EUNPROC, "stage_order", "clue_on",
                        "线索发现日期（%s）不能早于来源巡查的日期（%s）", res_str(row, "clue_on"), on);
    if (!res_int(row, "branch_id"))
        json_object_set_new(row, "branch_id", json_integer(branch));
    return 0;
}

static int pil_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    (void)before;
    int rc;
    if ((rc = may_write(x, &res_pil_matters, row, err)) < 0 || (rc = check_stages(row, err)) < 0)
        return rc;
    return check_patrol(x, row, err);
}

static int pil_filter(struct res_ctx *x, const char *key, const char *val, struct query *q, struct rerr *err)
{
    (void)x;
    if (!strcmp(key, "stage")) {
        for (const char *const *s = pil_stages; *s; s++)
            if (!strcmp(*s, val)) {
                query_where(q, "(" PIL_STAGE_SQL ") = ?");
                query_bind_text(q, *s);
                return 1;
            }
        return rerr_set(err, R_EINVAL, "bad_query", key,
                        "查询参数 stage 应为 线索、立案、诉前检察建议、整改、起诉 或 回访");
    }
    if (!strcmp(key, "due")) {
        if (!strcmp(val, "overdue"))
            query_where(q, "t.reply_due IS NOT NULL AND t.reply_on IS NULL AND t.reply_due < ronghe_today()");
        else if (!strcmp(val, "soon"))
            query_where(q, "t.reply_due IS NOT NULL AND t.reply_on IS NULL AND t.reply_due >= ronghe_today()"
                           " AND t.reply_due <= date(ronghe_today(), '+" STR(PIL_DUE_SOON_DAYS) " days')");
        else if (!strcmp(val, "pending"))
            query_where(q,
                        "t.reply_due IS NOT NULL AND t.reply_on IS NULL AND t.reply_due >= ronghe_today()");
        else if (!strcmp(val, "replied"))
            query_where(q, "t.reply_on IS NOT NULL");
        else
            return rerr_set(err, R_EINVAL, "bad_query", key,
                            "查询参数 due 应为 overdue、soon、pending 或 replied");
        return 1;
    }
    return 0;
}

/* Each stage a matter reaches, on its branch's timeline. */
static const struct res_event pil_events[] = {
    {"公益诉讼", "t.clue_on", "'发现线索（' || t.source || '）：' || t.title", EVENT_OWN_BRANCH, NULL, NULL},
    {"公益诉讼", "t.filed_on", "'立案：' || t.title", EVENT_OWN_BRANCH, NULL, NULL},
    {"公益诉讼", "t.recommended_on",
     "'向' || coalesce(t.organ, '行政机关') || '发出诉前检察建议：' || t.title", EVENT_OWN_BRANCH, NULL,
     NULL},
    {"公益诉讼", "t.reply_on", "coalesce(t.organ, '行政机关') || '回复检察建议：' || t.title",
     EVENT_OWN_BRANCH, NULL, NULL},
    {"公益诉讼", "t.rectified_on", "'整改到位：' || t.title", EVENT_OWN_BRANCH, NULL, NULL},
    {"公益诉讼", "t.sued_on", "'提起公益诉讼：' || t.title", EVENT_OWN_BRANCH, NULL, NULL},
    {"公益诉讼", "t.revisited_on", "'回访：' || t.title", EVENT_OWN_BRANCH, NULL, NULL},
    {0},
};

const struct resource res_pil_matters = {
    .name = "pil-matters",
    .table = "pil_matters",
    .label = "公益诉讼线索",
    .fields = pil_fields,
    .nfields = sizeof pil_fields / sizeof pil_fields[0],
    .extras = "(SELECT name FROM procuratorates p WHERE p.id = t.procuratorate_id) AS procuratorate_name,"
              " (SELECT name FROM branches b WHERE b.id = t.branch_id) AS branch_name,"
              " (SELECT place FROM patrols r WHERE r.id = t.patrol_id) AS patrol_place,"
              " (SELECT patrolled_on FROM patrols r WHERE r.id = t.patrol_id) AS patrol_on,"
              " " PIL_STAGE_SQL " AS stage,"
              " " PIL_DUE_STATE_SQL " AS due_state,"
              " CASE WHEN t.reply_due IS NOT NULL AND t.reply_on IS NULL"
              " THEN CAST(julianday(t.reply_due) - julianday(ronghe_today()) AS INTEGER) END AS days_left",
    .ignored = "procuratorate_name branch_name patrol_place patrol_on stage due_state days_left",
    .read = READ_SCOPED,
    .write = WRITE_BRANCH,
    .export = EXPORT_ADMIN,
    .default_sort = "-clue_on",
    .by_procuratorate = true,
    .check = pil_check,
    .filter = pil_filter,
    .required_if = pil_required,
    .title = "t.title",
    .date = "t.clue_on",
    .events = pil_events,
};

/* ---------------------------------------------------------------- a lead from a patrol */

/* Patrol "id" as the lead needs it, read inside the caller's transaction: 404 when the
 * actor may not read it (as for one that does not exist). *out: procuratorate_id,
 * branch_id, patrolled_on, kind, place, officials, problem_found, findings, sample,
 * and the number of matters it has raised ("matters") with the first one's id and title. */
static int lead_patrol(struct res_ctx *x, int64_t id, json_t **out, struct rerr *err)
{
    int rc = authz_read_collection(x->who, res_patrols.read, err);
    if (rc < 0)
        return rc;
    int64_t proc = 0;
    bool narrowed = authz_read_narrowed(x->who, res_patrols.read, &proc);
    store_stmt *st =
        store_prepare(x->c, "SELECT procuratorate_id, branch_id, patrolled_on, kind, place, officials,"
                            " problem_found, findings, sample,"
                            " (SELECT count(*) FROM pil_matters m WHERE m.patrol_id = t.id),"
                            " (SELECT id FROM pil_matters m WHERE m.patrol_id = t.id ORDER BY id LIMIT 1),"
                            " (SELECT title FROM pil_matters m WHERE m.patrol_id = t.id ORDER BY id LIMIT 1)"
                            " FROM patrols t WHERE t.id = ?");
    store_bind_int(st, 1, id);
    rc = store_step(st, err);
    bool visible = rc == STORE_ROW && (!narrowed || store_col_int(st, 0) == proc);
    if (visible) {
        json_t *officials =
            store_col_type(st, 5) == STORE_TEXT ? json_loads(store_col_text(st, 5), 0, NULL) : NULL;
        *out = json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:o, s:b, s:s?, s:b, s:I, s:I, s:s?}", "id",
                         (json_int_t)id, "procuratorate_id", (json_int_t)store_col_int(st, 0), "branch_id",
                         (json_int_t)store_col_int(st, 1), "patrolled_on", store_col_text(st, 2), "kind",
                         store_col_text(st, 3), "place", store_col_text(st, 4), "officials",
                         officials ? officials : json_null(), "problem_found", (int)store_col_int(st, 6),
                         "findings", store_col_type(st, 7) == STORE_NULL ? NULL : store_col_text(st, 7),
                         "sample", (int)store_col_int(st, 8), "matters", (json_int_t)store_col_int(st, 9),
                         "first_id", (json_int_t)store_col_int(st, 10), "first_title",
                         store_col_type(st, 11) == STORE_NULL ? NULL : store_col_text(st, 11));
    }
    store_done(st);
    if (rc < 0)
        return rc;
    if (!visible)
        return rerr_set(err, R_ENOTFOUND, "not_found", "", "巡查记录不存在或无权查看");
    return *out ? 0 : rerr_set(err, R_EINTERNAL, "internal", "", "无法读取巡查记录");
}

/* The body of the new matter, from patrol "p" (lead_patrol) and the action's "body". */
static json_t *lead_body(struct res_ctx *x, json_t *p, json_t *body)
{
    json_t *m = json_pack("{s:I, s:I, s:s, s:s, s:I, s:b}", "procuratorate_id",
                          (json_int_t)res_int(p, "procuratorate_id"), "branch_id",
                          (json_int_t)res_int(p, "branch_id"), "source", "巡查", "clue_on",
                          res_str(p, "patrolled_on"), "patrol_id", (json_int_t)res_int(p, "id"), "sample",
                          (int)res_int(p, "sample"));
    json_object_set_new(m, "title",
                        json_string(arena_printf(x->a, "巡查发现：%s", cut(x->a, res_str(p, "place"), 90))));
    if (res_str(p, "findings"))
        json_object_set_new(m, "summary", json_string(res_str(p, "findings")));
    if (!strcmp(res_str(p, "kind"), JOINT_PATROL)) {
        /* The organs of the officials who went along are the partners of the collaboration. */
        char *partners = "";
        size_t i;
        json_t *o;
        json_array_foreach(json_object_get(p, "officials"), i, o)
        {
            const char *organ = res_str(o, "organ");
            if (organ && *organ && !strstr(partners, organ))
                partners = arena_printf(x->a, "%s%s%s", partners, *partners ? "、" : "", organ);
        }
        json_object_set_new(m, "collaboration", json_string("党员+行政长官"));
        if (*partners)
            json_object_set_new(m, "partners", json_string(cut(x->a, partners, 200)));
    }
    /* What the body gives wins; the matter's own checks judge it. */
    const char *given[] = {"field", "title", "organ", "summary", "sample"};
    for (size_t i = 0; i < sizeof given / sizeof given[0]; i++)
        if (json_object_get(body, given[i]))
            json_object_set(m, given[i], json_object_get(body, given[i]));
    return m;
}

int pil_lead_in(struct res_ctx *x, int64_t patrol_id, json_t *body, json_t **out, struct rerr *err)
{
    *out = NULL;
    if (!json_is_object(body))
        return rerr_set(err, R_EINVAL, "invalid_type", "", "请求内容应为 JSON 对象");
    const char *k;
    json_t *v;
    json_object_foreach(body, k, v)
    {
        if (strcmp(k, "field") && strcmp(k, "title") && strcmp(k, "organ") && strcmp(k, "summary") &&
            strcmp(k, "sample") && strcmp(k, "again"))
            return rerr_set(err, R_EINVAL, "unknown_field", k, "未知字段：%s", k);
    }
    json_t *again = json_object_get(body, "again");
    if (again && !json_is_boolean(again))
        return rerr_set(err, R_EINVAL, "invalid_type", "again", "again 应为 true 或 false");

    json_t *p = NULL;
    int rc = lead_patrol(x, patrol_id, &p, err);
    if (rc < 0)
        return rc;
    struct row_scope s = {.procuratorate_id = res_int(p, "procuratorate_id"),
                          .branch_id = res_int(p, "branch_id")};
    if ((rc = authz_write_row(x->who, res_patrols.write, &s, err)) < 0)
        goto done;
    if (!res_int(p, "problem_found")) {
        rc = rerr_set(err, R_EUNPROC, "no_finding", "problem_found",
                      "本次巡查未记录发现问题，不能转为公益诉讼线索");
        goto done;
    }
    if (res_int(p, "matters") > 0 && !json_is_true(again)) {
        rc = rerr_set(err, R_ECONFLICT, "lead_exists", "again",
                      "该巡查发现已转为公益诉讼线索“%s”（编号 %" PRId64 "）；如确为另一问题，请选择另立线索",
                      res_str(p, "first_title"), res_int(p, "first_id"));
        goto done;
    }
    json_t *m = lead_body(x, p, body);
    rc = res_create_in(x, &res_pil_matters, m, out, err);
    json_decref(m);
    if (rc < 0)
        goto done;
    /* The patrol's own history shows what it raised. */
    json_t *after = json_pack("{s:I, s:s}", "pil_matter_id", (json_int_t)res_int(*out, "id"), "title",
                              res_str(*out, "title"));
    rc =
        audit_append(x->c, x->who, "lead", res_patrols.name, patrol_id, s.procuratorate_id, NULL, after, err);
    json_decref(after);
    if (rc < 0) {
        json_decref(*out);
        *out = NULL;
    }
done:
    json_decref(p);
    return rc;
}

/* POST /patrols/<id>/lead: pil_lead_in() in a transaction of its own. */
static int lead_action(struct res_ctx *x, int64_t id, json_t *body, json_t **out, struct rerr *err)
{
    int rc = store_begin(x->c, err);
    if (rc < 0)
        return rc;
    rc = pil_lead_in(x, id, body, out, err);
    if (rc == 0)
        rc = store_commit(x->c, err);
    if (rc < 0) {
        store_rollback(x->c);
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

/* ================================================================ outreach */

static const char *const outreach_programmes[] = {"普法宣传", "公益法律顾问团", NULL};
static const char *const outreach_kinds[] = {"线上", "线下", NULL};
static const char *const outreach_forms[] = {"固定点位", "流动", NULL};
static const char *const outreach_audiences[] = {"学生", "牧民", "农民", "企业", "社区居民", "其他", NULL};
static const char *const outreach_languages[] = {"汉语", "蒙古语", "双语", NULL};

static const struct field outreach_fields[] = {
    {"branch_id", "所属党组织", FT_REF, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, "branches", 0, 0},
    RES_DERIVED_PROC_FIELD,
    {"held_on", "日期", FT_DATE, FF_REQUIRED | FF_WRITE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"programme", "服务类别", FT_ENUM, FF_WRITE | FF_NOTNULL | FF_FILTER, 0, outreach_programmes, NULL, 0, 0},
    {"kind", "线上/线下", FT_ENUM, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, outreach_kinds, NULL, 0, 0},
    {"form", "固定/流动", FT_ENUM, FF_WRITE | FF_FILTER, 0, outreach_forms, NULL, 0, 0},
    {"place", "地点或平台", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_SEARCH, 100, NULL, NULL, 0, 0},
    {"topic", "主题", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_SEARCH | FF_SORT, 100, NULL, NULL, 0, 0},
    {"audience", "对象", FT_ENUM, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, outreach_audiences, NULL, 0, 0},
    {"audience_size", "受众人数", FT_INT, FF_WRITE | FF_SORT, 0, NULL, NULL, 1, 1000000},
    {"language", "语言", FT_ENUM, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, outreach_languages, NULL, 0, 0},
    {"member_ids", "参加服务的党员", FT_JSON, FF_REQUIRED | FF_WRITE, 0, NULL, NULL, 0, 0},
    {"summary", "活动情况", FT_TEXT, FF_WRITE, 2000, NULL, NULL, 0, 0},
    RES_SAMPLE_FIELD,
};

static const struct res_required outreach_required[] = {
    {"form", "kind", "线下", "线下活动应选择固定点位或流动"},
    {0},
};

static int outreach_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    (void)before;
    int rc = may_write(x, &res_outreach, row, err);
    if (rc < 0)
        return rc;
    if (!strcmp(res_str(row, "kind"), "线上") && res_str(row, "form"))
        return rerr_set(err, R_EUNPROC, "inconsistent", "form", "线上活动不区分固定点位或流动");
    return check_members(x, row, "参加服务的党员", err);
}

static int outreach_filter(struct res_ctx *x, const char *key, const char *val, struct query *q,
                           struct rerr *err)
{
    return filter_month_member(x, key, val, q, "held_on", "outreach_members", "outreach_id", err);
}

/* On the branch's timeline and on each member's who served: 普法宣传 and 法律服务 (the
 * 公益法律顾问团) apart. */
#define OUTREACH_TITLE                                                                                       \
    "t.topic || '（' || t.kind || coalesce('·' || t.form, '') || '，' || t.audience ||"                   \
    " coalesce(' ' || t.audience_size || ' 人', '') || '，' || t.language || '）'"
#define OUTREACH_MEMBER                                                                                      \
    "EXISTS (SELECT 1 FROM outreach_members om WHERE om.outreach_id = t.id AND om.member_id = ?)"
static const struct res_event outreach_events[] = {
    {"普法宣传", "CASE WHEN t.programme = '普法宣传' THEN t.held_on END", OUTREACH_TITLE, EVENT_OWN_BRANCH,
     OUTREACH_MEMBER, NULL},
    {"法律服务", "CASE WHEN t.programme = '公益法律顾问团' THEN t.held_on END", OUTREACH_TITLE,
     EVENT_OWN_BRANCH, OUTREACH_MEMBER, NULL},
    {0},
};

const struct resource res_outreach = {
    .name = "outreach",
    .table = "outreach",
    .label = "法律服务与普法宣传",
    .fields = outreach_fields,
    .nfields = sizeof outreach_fields / sizeof outreach_fields[0],
    .extras = "(SELECT name FROM branches b WHERE b.id = t.branch_id) AS branch_name,"
              " (SELECT name FROM procuratorates p WHERE p.id = t.procuratorate_id) AS procuratorate_name",
    .ignored = "branch_name procuratorate_name members",
    .read = READ_SCOPED,
    .write = WRITE_BRANCH,
    .export = EXPORT_READERS,
    .scope_from = "branch_id",
    .default_sort = "-held_on",
    .check = outreach_check,
    .required_if = outreach_required,
    .filter = outreach_filter,
    .expand = expand_members,
    .title = "t.topic",
    .date = "t.held_on",
    .events = outreach_events,
};
