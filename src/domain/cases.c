/*
 * cases: cases, their teams and their 三必评 reviews (cases.h).
 *
 * Stages. Every case has the five stage columns in one order (case_stage_fields); a
 * type uses the stages of its own list (stage_lists), under its own labels (审查起诉's
 * 起诉 is 提起公诉, 民事检察监督's is 提出抗诉或再审检察建议). A stage may be skipped (a
 * 不起诉 decision goes from 审查决定 to 办结), a stage the type does not have may not be
 * dated, a date may not precede the one of an earlier stage, and none lies after today.
 *
 * Language. The interpreter (翻译人员) is required when the party does not use the
 * handling language (case_needs_interpreter).
 *
 * The team. One row per person or unit: a party member (member_id), staff who are not
 * party members (person_name, person_quota: whether 员额检察官), or an outside unit
 * (unit_name; 一案一专班 with other organs) — exactly one of the three. At most one
 * 主办检察官, who is a person, never a unit. A member of another procuratorate may be on
 * the team only when the actor may write that procuratorate's records.
 *
 * 三必评. One review per aspect (政治考量, 社会影响, 群众满意) per case, scored 0..100
 * (百分制), by the user who writes it (server-set, again on each re-scoring) and by a
 * branch of the case's procuratorate (by default the branch of the lead prosecutor):
 * that branch's secretary may write it.
 */
#include "domain/cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "domain/resource.h"

/* ------------------------------------------------------------------ stages */

const char *const case_stage_fields[CASE_NSTAGES] = {"received_on", "decided_on", "filed_on", "judged_on",
                                                     "closed_on"};
const char *const case_stage_names[CASE_NSTAGES] = {"受理", "审查决定", "起诉", "裁判", "办结"};

static const char *const case_types[] = {"审查逮捕",         "审查起诉",     "公益诉讼",
                                         "未成年人检察",     "民事检察监督", "行政检察监督",
                                         "刑事执行检察监督", "其他",         NULL};

static const struct stage_list {
    const char *type;
    const char *label[CASE_NSTAGES];
} stage_lists[] = {
    {"审查逮捕", {"受理", "作出逮捕决定", NULL, NULL, "办结"}},
    {"审查起诉", {"受理", "审查终结", "提起公诉", "法院判决", "办结"}},
    {"公益诉讼", {"受理", "诉前检察建议", "提起公益诉讼", "法院判决", "办结"}},
    {"未成年人检察", {"受理", "审查决定", "提起公诉", "法院判决", "办结"}},
    {"民事检察监督", {"受理", "审查决定", "提出抗诉或再审检察建议", "再审裁判", "办结"}},
    {"行政检察监督", {"受理", "审查决定", "提出抗诉或再审检察建议", "再审裁判", "办结"}},
    {"刑事执行检察监督", {"受理", "提出纠正意见", NULL, NULL, "办结"}},
    {"其他", {"受理", "审查决定", "起诉", "裁判", "办结"}},
};

const char *const *case_stages_of(const char *type)
{
    for (size_t i = 0; type && i < sizeof stage_lists / sizeof stage_lists[0]; i++)
        if (!strcmp(stage_lists[i].type, type))
            return stage_lists[i].label;
    return NULL;
}

/* The case's current stage by its generic name: the last one dated. One SQL expression,
 * for the answer (extras) and the filter (?stage=) alike. */
#define STAGE_SQL                                                                                                 \
    "(CASE WHEN t.closed_on IS NOT NULL THEN '办结' WHEN t.judged_on IS NOT NULL THEN '裁判'"                 \
    " WHEN t.filed_on IS NOT NULL THEN '起诉' WHEN t.decided_on IS NOT NULL THEN '审查决定' ELSE '受理' " \
    "END)"

/* Dates only for stages of the type, and each not before the one of an earlier stage. */
static int check_stages(json_t *row, struct rerr *err)
{
    const char *type = res_str(row, "type");
    const char *const *labels = case_stages_of(type);
    if (!labels)
        return 0; /* the enumeration has refused it already */
    const char *last = NULL, *last_label = NULL;
    for (int i = 0; i < CASE_NSTAGES; i++) {
        const char *d = res_str(row, case_stage_fields[i]);
        if (!d)
            continue;
        if (!labels[i])
            return rerr_set(err, R_EUNPROC, "inconsistent", case_stage_fields[i], "%s案件没有“%s”阶段", type,
                            case_stage_names[i]);
        if (last && strcmp(d, last) < 0)
            return rerr_set(err, R_EUNPROC, "inconsistent", case_stage_fields[i],
                            "“%s”日期（%s）不能早于“%s”日期（%s）", labels[i], d, last_label, last);
        last = d;
        last_label = labels[i];
    }
    return 0;
}

bool case_needs_interpreter(const char *language, const char *party_language)
{
    if (!party_language || !strcmp(party_language, "双语"))
        return false;
    if (!strcmp(party_language, "其他"))
        return true;
    if (!language || !strcmp(language, "双语"))
        return false;
    return strcmp(language, party_language) != 0;
}

/* ------------------------------------------------------------------ cases */

static const char *const case_languages[] = {"汉语", "蒙古语", "双语", NULL};
static const char *const case_party_languages[] = {"汉语", "蒙古语", "双语", "其他", NULL};
static const char *const case_grades[] = {"优质", "合格", "基本合格", "不合格", NULL};
static const char *const case_typical_levels[] = {"最高检", "自治区院", "市院", "本院", NULL};

static const struct field case_fields[] = {
    {"procuratorate_id", "所属检察院", FT_REF, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, "procuratorates",
     0, 0},
    {"department_id", "承办部门", FT_REF, FF_WRITE | FF_FILTER | FF_SAME_PROC, 0, NULL, "departments", 0, 0},
    {"case_no", "案号", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_SORT | FF_SEARCH, 60, NULL, NULL, 0, 0},
    {"title", "案件名称", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_SORT | FF_SEARCH, 100, NULL, NULL, 0, 0},
    {"brief", "案情简介", FT_TEXT, FF_WRITE, 2000, NULL, NULL, 0, 0},
    {"type", "案件类型", FT_ENUM, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, case_types, NULL, 0, 0},
    {"received_on", "受理日期", FT_DATE, FF_REQUIRED | FF_WRITE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"decided_on", "审查决定日期", FT_DATE, FF_WRITE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"filed_on", "起诉（抗诉）日期", FT_DATE, FF_WRITE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"judged_on", "法院裁判日期", FT_DATE, FF_WRITE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"closed_on", "办结日期", FT_DATE, FF_WRITE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"language", "办案语言", FT_ENUM, FF_WRITE | FF_NOTNULL | FF_FILTER, 0, case_languages, NULL, 0, 0},
    {"party_language", "当事人使用语言", FT_ENUM, FF_WRITE | FF_FILTER, 0, case_party_languages, NULL, 0, 0},
    {"interpreter", "翻译人员", FT_TEXT, FF_WRITE | FF_SEARCH, 60, NULL, NULL, 0, 0},
    {"grade", "质量等级", FT_ENUM, FF_WRITE | FF_FILTER, 0, case_grades, NULL, 0, 0},
    {"typical", "典型案例", FT_BOOL, FF_WRITE | FF_NOTNULL | FF_FILTER, 0, NULL, NULL, 0, 0},
    {"typical_level", "典型案例评选层级", FT_ENUM, FF_WRITE | FF_FILTER, 0, case_typical_levels, NULL, 0, 0},
    {"typical_writeup", "典型案例材料", FT_TEXT, FF_WRITE, 5000, NULL, NULL, 0, 0},
    RES_SAMPLE_FIELD,
};

static const struct res_required case_required[] = {
    {"typical_level", "typical", "true", "典型案例应选择评选层级"},
    {"typical_writeup", "typical", "true", "典型案例应填写典型案例材料"},
    {0},
};

/* The team's lead (主办检察官) of case t, as a subquery's FROM and WHERE. */
#define LEAD_OF_T                                                                                            \
    " FROM case_members cm LEFT JOIN members m ON m.id = cm.member_id WHERE cm.case_id = t.id"               \
    " AND cm.role = '主办检察官'"

static int case_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    /* Only someone who may write the case hears what other cases there are. */
    struct row_scope s = {.procuratorate_id = res_int(row, "procuratorate_id")};
    int rc = authz_write_row(x->who, res_cases.write, &s, err);
    if (rc < 0 || (rc = check_stages(row, err)) < 0)
        return rc;
    const char *language = res_str(row, "language") ? res_str(row, "language") : "汉语";
    const char *party = res_str(row, "party_language");
    if (case_needs_interpreter(language, party) && !res_str(row, "interpreter"))
        return rerr_set(err, R_EINVAL, "required", "interpreter",
                        "当事人使用%s、案件以%s办理，应配备翻译人员", party, language);
    if (res_str(row, "grade") && !res_str(row, "closed_on"))
        return rerr_set(err, R_EUNPROC, "inconsistent", "grade",
                        "案件办结后才能评定质量等级，请先填写办结日期");
    store_stmt *q =
        store_prepare(x->c, "SELECT id FROM cases WHERE procuratorate_id = ? AND case_no = ? AND id <> ?");
    store_bind_int(q, 1, s.procuratorate_id);
    store_bind_text(q, 2, res_str(row, "case_no"));
    store_bind_int(q, 3, before ? res_int(before, "id") : 0);
    rc = store_step(q, err);
    store_done(q);
    if (rc < 0)
        return rc;
    if (rc == STORE_ROW)
        return rerr_set(err, R_ECONFLICT, "duplicate", "case_no", "本院已有案号为“%.60s”的案件",
                        res_str(row, "case_no"));
    return 0;
}

/* The stages of the case's type, with their labels and dates; the lead's party
 * membership as a boolean (null without a lead). */
static int case_expand(struct res_ctx *x, json_t *rec, struct rerr *err)
{
    (void)x;
    (void)err;
    const char *const *labels = case_stages_of(res_str(rec, "type"));
    json_t *stages = json_array();
    for (int i = 0; labels && i < CASE_NSTAGES; i++) {
        if (!labels[i])
            continue;
        const char *d = res_str(rec, case_stage_fields[i]);
        json_array_append_new(stages, json_pack("{s:s, s:s, s:s, s:o}", "field", case_stage_fields[i], "name",
                                                case_stage_names[i], "label", labels[i], "date",
                                                d ? json_string(d) : json_null()));
    }
    json_object_set_new(rec, "stages", stages);
    json_t *led = json_object_get(rec, "led_by_party_member");
    if (json_is_integer(led))
        json_object_set_new(rec, "led_by_party_member", json_boolean(json_integer_value(led)));
    return 0;
}

static int parse_bool(const char *key, const char *val, bool *out, struct rerr *err)
{
    if (!strcmp(val, "true") || !strcmp(val, "1"))
        *out = true;
    else if (!strcmp(val, "false") || !strcmp(val, "0"))
        *out = false;
    else
        return rerr_set(err, R_EINVAL, "bad_query", key, "查询参数 %s 应为 true 或 false", key);
    return 0;
}

static int parse_id(const char *key, const char *val, int64_t *out, struct rerr *err)
{
    char *end;
    long long v = strtoll(val, &end, 10);
    if (!*val || *end || v <= 0)
        return rerr_set(err, R_EINVAL, "bad_query", key, "查询参数 %s 应为正整数编号", key);
    *out = v;
    return 0;
}

/* The cases of a branch (a party member of it on the team) and of a member, as IN (…)
 * from the member's side: found through the indexes on members(branch_id) and
 * case_members(member_id) rather than by looking at every case. */
#define CASE_IN_BRANCH                                                                                       \
    "t.id IN (SELECT cm.case_id FROM members m JOIN case_members cm ON cm.member_id = m.id"                  \
    " WHERE m.branch_id = ?)"
#define CASE_OF_MEMBER "t.id IN (SELECT cm.case_id FROM case_members cm WHERE cm.member_id = ?)"

/*
 * ?stage=受理|审查决定|起诉|裁判|办结 (the current stage), ?led_by_party_member=true|false
 * (false: led by someone who is not a party member; a team without a 主办检察官 is
 * neither), ?member_id= (that member is on the team), ?branch_id= (a party member of
 * that branch is on the team), ?from=&to= (受理日期 in that range).
 */
static int case_filter(struct res_ctx *x, const char *key, const char *val, struct query *q, struct rerr *err)
{
    int64_t id = 0;
    bool b = false;
    if (!strcmp(key, "stage")) {
        for (int i = 0; i < CASE_NSTAGES; i++)
            if (!strcmp(val, case_stage_names[i])) {
                query_where(q, STAGE_SQL " = ?");
                query_bind_text(q, case_stage_names[i]);
                return 1;
            }
        return rerr_set(err, R_EINVAL, "bad_query", key,
                        "查询参数 stage 应为 受理、审查决定、起诉、裁判 或 办结");
    }
    if (!strcmp(key, "led_by_party_member")) {
        if (parse_bool(key, val, &b, err) < 0)
            return R_EINVAL;
        query_where(q, b ? "EXISTS (SELECT 1" LEAD_OF_T " AND cm.member_id IS NOT NULL)"
                         : "EXISTS (SELECT 1" LEAD_OF_T " AND cm.member_id IS NULL)");
        return 1;
    }
    if (!strcmp(key, "member_id") || !strcmp(key, "branch_id")) {
        if (parse_id(key, val, &id, err) < 0)
            return R_EINVAL;
        query_where(q, !strcmp(key, "member_id") ? CASE_OF_MEMBER : CASE_IN_BRANCH);
        query_bind_int(q, id);
        return 1;
    }
    if (!strcmp(key, "from") || !strcmp(key, "to")) {
        if (!text_date_ok(val))
            return rerr_set(err, R_EINVAL, "bad_query", key, "查询参数 %s 应为日期（YYYY-MM-DD）", key);
        const char *from = query_param(q, "from"), *to = query_param(q, "to");
        if (from && to && text_date_ok(from) && text_date_ok(to) && strcmp(from, to) > 0)
            return rerr_set(err, R_EINVAL, "bad_query", "from", "起始日期不能晚于结束日期");
        query_where(q, !strcmp(key, "from") ? "t.received_on >= ?" : "t.received_on <= ?");
        query_bind_text(q, arena_strdup(x->a, val));
        return 1;
    }
    return 0;
}

/* A case on the timelines: one event per stage dated, on the case's own timeline, on
 * those of the party members on its team and of their branches. */
#define CASE_TITLE_SQL "t.type || '案件 ' || t.title || '（' || t.case_no || '）'"
static const struct res_event case_events[] = {
    {"案件受理", "t.received_on", "'受理' || " CASE_TITLE_SQL, CASE_IN_BRANCH, CASE_OF_MEMBER, "t.id = ?"},
    {"案件审查决定", "t.decided_on", "'审查决定：' || " CASE_TITLE_SQL, CASE_IN_BRANCH, CASE_OF_MEMBER,
     "t.id = ?"},
    {"案件起诉", "t.filed_on", "'起诉（抗诉）：' || " CASE_TITLE_SQL, CASE_IN_BRANCH, CASE_OF_MEMBER,
     "t.id = ?"},
    {"案件裁判", "t.judged_on", "'法院裁判：' || " CASE_TITLE_SQL, CASE_IN_BRANCH, CASE_OF_MEMBER,
     "t.id = ?"},
    {"案件办结", "t.closed_on",
     "'办结' || " CASE_TITLE_SQL " || coalesce('，质量等级' || t.grade, '') || (CASE WHEN t.typical THEN"
     " '，' || coalesce(t.typical_level, '') || '典型案例' ELSE '' END)",
     CASE_IN_BRANCH, CASE_OF_MEMBER, "t.id = ?"},
    {0},
};

/* A case's team and reviews stay with it: a case with either does not move to another
 * procuratorate (its team may not be the other's to name). */
static const struct dependent case_deps[] = {
    {&res_case_members, "case_id", false},
    {&res_case_reviews, "case_id", false},
    {NULL, NULL, false},
};

const struct resource res_cases = {
    .name = "cases",
    .table = "cases",
    .label = "案件",
    .fields = case_fields,
    .nfields = sizeof case_fields / sizeof case_fields[0],
    .extras = "(SELECT name FROM procuratorates p WHERE p.id = t.procuratorate_id) AS procuratorate_name,"
              " (SELECT name FROM departments d WHERE d.id = t.department_id) AS department_name," STAGE_SQL
              " AS stage,"
              " (SELECT count(*) FROM case_members cm WHERE cm.case_id = t.id) AS team_size,"
              " (SELECT count(*) FROM case_members cm WHERE cm.case_id = t.id AND cm.member_id IS NOT NULL)"
              " AS party_member_count,"
              " (SELECT count(*) FROM case_members cm LEFT JOIN members m ON m.id = cm.member_id"
              " WHERE cm.case_id = t.id AND coalesce(m.quota_prosecutor, cm.person_quota) = 1)"
              " AS quota_prosecutor_count,"
              " (SELECT count(*) FROM case_members cm WHERE cm.case_id = t.id AND cm.unit_name IS NOT NULL)"
              " AS unit_count,"
              " (SELECT coalesce(m.name, cm.person_name)" LEAD_OF_T ") AS lead_name,"
              " (SELECT cm.member_id" LEAD_OF_T ") AS lead_member_id,"
              " (SELECT m.branch_id" LEAD_OF_T ") AS lead_branch_id,"
              " (SELECT b.name FROM case_members cm JOIN members m ON m.id = cm.member_id"
              " JOIN branches b ON b.id = m.branch_id WHERE cm.case_id = t.id AND cm.role = '主办检察官')"
              " AS lead_branch_name,"
              " (SELECT cm.member_id IS NOT NULL" LEAD_OF_T ") AS led_by_party_member,"
              " (SELECT count(*) FROM case_reviews r WHERE r.case_id = t.id) AS review_count,"
              " (SELECT sum(score) FROM case_reviews r WHERE r.case_id = t.id) AS review_total",
    .ignored = "procuratorate_name department_name stage team_size party_member_count quota_prosecutor_count"
               " unit_count lead_name lead_member_id lead_branch_id lead_branch_name led_by_party_member"
               " review_count review_total stages",
    .read = READ_SCOPED,
    .write = WRITE_ADMIN,
    .export = EXPORT_ADMIN,
    .default_sort = "-received_on",
    .check = case_check,
    .expand = case_expand,
    .filter = case_filter,
    .required_if = case_required,
    .deps = case_deps,
    .title = "t.case_no || ' ' || t.title",
    .date = "t.received_on",
    .events = case_events,
    .import_key = "procuratorate_id case_no",
};

/* ------------------------------------------------------------------ the team */

static const char *const team_roles[] = {"主办检察官", "检察官助理", "书记员", "技术人员",
                                         "翻译",       "其他",       NULL};

static const struct field case_member_fields[] = {
    {"case_id", "所属案件", FT_REF, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, "cases", 0, 0},
    RES_DERIVED_PROC_FIELD,
    {"role", "办案角色", FT_ENUM, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, team_roles, NULL, 0, 0},
    {"member_id", "党员", FT_REF, FF_WRITE | FF_FILTER, 0, NULL, "members", 0, 0},
    {"person_name", "非党员人员姓名", FT_TEXT, FF_WRITE | FF_SEARCH, 30, NULL, NULL, 0, 0},
    {"person_quota", "非党员人员是否员额检察官", FT_BOOL, FF_WRITE | FF_NOTNULL, 0, NULL, NULL, 0, 0},
    {"unit_name", "外单位名称", FT_TEXT, FF_WRITE | FF_SEARCH, 100, NULL, NULL, 0, 0},
    {"note", "分工说明", FT_TEXT, FF_WRITE, 200, NULL, NULL, 0, 0},
    RES_SAMPLE_FIELD,
};

/* The member as a team member: one the actor may read, of a procuratorate whose records
 * the actor may write. */
static int check_team_member(struct res_ctx *x, int64_t member, struct rerr *err)
{
    struct row_scope ms;
    int rc = res_lookup_int(x, "members", "procuratorate_id", member, "member_id", &ms.procuratorate_id, err);
    if (rc < 0 ||
        (rc = res_lookup_int(x, "members", "branch_id", member, "member_id", &ms.branch_id, err)) < 0)
        return rc;
    if (authz_write_row(x->who, res_case_members.write, &ms, NULL) < 0)
        return rerr_set(err, R_EFORBID, "forbidden", "member_id", "无权将该检察院的党员编入办案组");
    return 0;
}

static int case_member_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    struct row_scope s = {.procuratorate_id = res_int(row, "procuratorate_id")};
    int rc = authz_write_row(x->who, res_case_members.write, &s, err);
    if (rc < 0)
        return rc;
    static const char *const who[] = {"member_id", "person_name", "unit_name"};
    int given = 0;
    for (int i = 0; i < 3; i++) {
        json_t *v = json_object_get(row, who[i]);
        if (v && !json_is_null(v) && given++)
            return rerr_set(err, R_EUNPROC, "inconsistent", who[i],
                            "办案组成员只能是党员、非党员人员或外单位三者之一");
    }
    if (!given)
        return rerr_set(err, R_EINVAL, "required", "member_id",
                        "请选择党员，或填写非党员人员姓名或外单位名称");
    if (json_is_true(json_object_get(row, "person_quota")) && !res_str(row, "person_name"))
        return rerr_set(err, R_EUNPROC, "inconsistent", "person_quota",
                        "只有非党员人员需要标明是否员额检察官（党员的员额身份取自党员信息）");
    int64_t member = res_int(row, "member_id"), self = before ? res_int(before, "id") : 0;
    if (member && (rc = check_team_member(x, member, err)) < 0)
        return rc;
    const char *role = res_str(row, "role");
    if (role && !strcmp(role, "主办检察官") && res_str(row, "unit_name"))
        return rerr_set(err, R_EUNPROC, "inconsistent", "role", "外单位不能担任主办检察官");
    store_stmt *q = store_prepare(
        x->c, "SELECT coalesce(m.name, cm.person_name, cm.unit_name), cm.role = '主办检察官'"
              " FROM case_members cm LEFT JOIN members m ON m.id = cm.member_id"
              " WHERE cm.case_id = ? AND cm.id <> ?"
              " AND (cm.role = '主办检察官' AND ? OR cm.member_id = ?) ORDER BY 2 DESC LIMIT 1");
    store_bind_int(q, 1, res_int(row, "case_id"));
    store_bind_int(q, 2, self);
    store_bind_int(q, 3, role && !strcmp(role, "主办检察官"));
    store_bind_int(q, 4, member);
    rc = store_step(q, err);
    if (rc == STORE_ROW) {
        if (store_col_int(q, 1))
            rc = rerr_set(err, R_ECONFLICT, "duplicate", "role", "该案件已有主办检察官（%s），每案只能有一名",
                          store_col_text(q, 0));
        else
            rc = rerr_set(err, R_ECONFLICT, "duplicate", "member_id", "%s已在该案件的办案组中",
                          store_col_text(q, 0));
    }
    store_done(q);
    return rc < 0 ? rc : 0;
}

const struct resource res_case_members = {
    .name = "case-members",
    .table = "case_members",
    .label = "办案组成员",
    .fields = case_member_fields,
    .nfields = sizeof case_member_fields / sizeof case_member_fields[0],
    .extras = "coalesce((SELECT name FROM members m WHERE m.id = t.member_id), t.person_name, t.unit_name)"
              " AS display_name,"
              " (CASE WHEN t.member_id IS NOT NULL THEN '党员' WHEN t.person_name IS NOT NULL THEN '非党员'"
              " ELSE '外单位' END) AS kind,"
              " t.member_id IS NOT NULL AS is_party_member,"
              " coalesce((SELECT quota_prosecutor FROM members m WHERE m.id = t.member_id), t.person_quota)"
              " AS is_quota_prosecutor,"
              " (SELECT b.name FROM members m JOIN branches b ON b.id = m.branch_id WHERE m.id = t.member_id)"
              " AS member_branch_name,"
              " (SELECT d.name FROM members m JOIN departments d ON d.id = m.department_id"
              " WHERE m.id = t.member_id) AS member_department_name,"
              " (SELECT p.short_name FROM members m JOIN procuratorates p ON p.id = m.procuratorate_id"
              " WHERE m.id = t.member_id) AS member_procuratorate_name,"
              " (SELECT position FROM members m WHERE m.id = t.member_id) AS member_position,"
              " (SELECT languages FROM members m WHERE m.id = t.member_id) AS member_languages,"
              " (SELECT case_no FROM cases c WHERE c.id = t.case_id) AS case_no,"
              " (SELECT title FROM cases c WHERE c.id = t.case_id) AS case_title",
    .ignored =
        "display_name kind is_party_member is_quota_prosecutor member_branch_name member_department_name"
        " member_procuratorate_name member_position member_languages case_no case_title",
    .read = READ_SCOPED,
    .write = WRITE_ADMIN,
    .export = EXPORT_ADMIN,
    .scope_from = "case_id",
    .default_sort = "role",
    .check = case_member_check,
    .title = "coalesce((SELECT name FROM members m WHERE m.id = t.member_id), t.person_name, t.unit_name)"
             " || '（' || t.role || '）'",
};

/* ------------------------------------------------------------------ 三必评 */

static const char *const review_aspects[] = {"政治考量", "社会影响", "群众满意", NULL};

static const struct field case_review_fields[] = {
    {"case_id", "所属案件", FT_REF, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, "cases", 0, 0},
    RES_DERIVED_PROC_FIELD,
    {"branch_id", "评议党组织", FT_REF, FF_WRITE | FF_FILTER | FF_SAME_PROC, 0, NULL, "branches", 0, 0},
    {"aspect", "评议项目", FT_ENUM, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, review_aspects, NULL, 0, 0},
    {"score", "得分（百分制）", FT_INT, FF_REQUIRED | FF_WRITE | FF_SORT, 0, NULL, NULL, 0, 100},
    {"comment", "评语", FT_TEXT, FF_WRITE, 1000, NULL, NULL, 0, 0},
    {"reviewed_on", "评议日期", FT_DATE, FF_WRITE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"reviewer_id", "评议人账号", FT_REF, FF_DERIVED, 0, NULL, "users", 0, 0},
    {"reviewer_name", "评议人", FT_TEXT, FF_DERIVED, 60, NULL, NULL, 0, 0},
    RES_SAMPLE_FIELD,
};

/* Who reviews: the user writing (re-scoring makes them the reviewer), by display name. */
static int set_reviewer(struct res_ctx *x, json_t *row, struct rerr *err)
{
    const struct actor *a = x->who;
    json_object_set_new(row, "reviewer_id", a->user_id ? json_integer(a->user_id) : json_null());
    if (!a->user_id) { /* the command line; its demo named as the audit names it */
        json_object_set_new(
            row, "reviewer_name",
            json_string(!strcmp(a->username, "demo") ? "示例数据（系统生成）" : "系统（命令行）"));
        return 0;
    }
    store_stmt *q = store_prepare(x->c, "SELECT display_name FROM users WHERE id = ?");
    store_bind_int(q, 1, a->user_id);
    int rc = store_step(q, err);
    json_object_set_new(row, "reviewer_name",
                        json_string(rc == STORE_ROW ? store_col_text(q, 0) : a->username));
    store_done(q);
    return rc < 0 ? rc : 0;
}

static int case_review_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    int64_t case_id = res_int(row, "case_id"), proc;
    int rc = res_lookup_int(x, "cases", "procuratorate_id", case_id, "case_id", &proc, err);
    if (rc < 0)
        return rc;
    json_object_set_new(row, "procuratorate_id", json_integer(proc));
    store_stmt *q = store_prepare(x->c, "SELECT t.received_on, (SELECT m.branch_id" LEAD_OF_T
                                        " AND m.procuratorate_id = t.procuratorate_id)"
                                        " FROM cases t WHERE t.id = ?");
    store_bind_int(q, 1, case_id);
    rc = store_step(q, err);
    char received[16] = "";
    int64_t lead_branch = 0;
    if (rc == STORE_ROW) {
        snprintf(received, sizeof received, "%s", store_col_text(q, 0));
        lead_branch = store_col_int(q, 1);
    }
    store_done(q);
    if (rc < 0)
        return rc;
    json_t *b = json_object_get(row, "branch_id");
    if ((!b || json_is_null(b)) && lead_branch)
        json_object_set_new(row, "branch_id", json_integer(lead_branch));
    /* The scope is known now: only someone who may write the review hears about others. */
    struct row_scope s = {.procuratorate_id = proc, .branch_id = res_int(row, "branch_id")};
    if ((rc = authz_write_row(x->who, res_case_reviews.write, &s, err)) < 0)
        return rc;
    if (!res_str(row, "reviewed_on")) {
        char today[11];
        text_today(today);
        json_object_set_new(row, "reviewed_on", json_string(today));
    }
    if (strcmp(res_str(row, "reviewed_on"), received) < 0)
        return rerr_set(err, R_EUNPROC, "inconsistent", "reviewed_on", "评议日期不能早于案件受理日期（%s）",
                        received);
    q = store_prepare(x->c,
                      "SELECT reviewer_name FROM case_reviews WHERE case_id = ? AND aspect = ? AND id <> ?");
    store_bind_int(q, 1, case_id);
    store_bind_text(q, 2, res_str(row, "aspect"));
    store_bind_int(q, 3, before ? res_int(before, "id") : 0);
    rc = store_step(q, err);
    if (rc == STORE_ROW)
        rc = rerr_set(err, R_ECONFLICT, "duplicate", "aspect", "该案件的“%s”已由%s评议，重新评分请修改原评议",
                      res_str(row, "aspect"), store_col_text(q, 0));
    store_done(q);
    return rc < 0 ? rc : set_reviewer(x, row, err);
}

/* A review on the case's timeline and on the reviewing branch's. */
static const struct res_event case_review_events[] = {
    {"三必评", "t.reviewed_on",
     "'三必评·' || t.aspect || ' ' || t.score || '分（' || t.reviewer_name || '）'", "t.branch_id = ?", NULL,
     "t.case_id = ?"},
    {0},
};

const struct resource res_case_reviews = {
    .name = "case-reviews",
    .table = "case_reviews",
    .label = "三必评",
    .fields = case_review_fields,
    .nfields = sizeof case_review_fields / sizeof case_review_fields[0],
    .extras = "(SELECT name FROM branches b WHERE b.id = t.branch_id) AS branch_name,"
              " (SELECT case_no FROM cases c WHERE c.id = t.case_id) AS case_no,"
              " (SELECT title FROM cases c WHERE c.id = t.case_id) AS case_title",
    .ignored = "branch_name case_no case_title",
    .read = READ_SCOPED,
    .write = WRITE_BRANCH,
    .export = EXPORT_ADMIN,
    .default_sort = "aspect",
    .check = case_review_check,
    .title = "'三必评·' || t.aspect || ' ' || t.score || '分'",
    .date = "t.reviewed_on",
    .events = case_review_events,
    .import_key = "case_id aspect",
};
