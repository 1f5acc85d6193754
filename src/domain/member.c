/*
 * member: party members. A member belongs to a branch (which fixes the procuratorate),
 * may work in a department of the same procuratorate and sit in a party group of the
 * same branch. name_key holds the folded name, pinyin and initials for search.
 *
 * The identity number (身份证号, base/idcard.c) is the authority for birth date and
 * gender: given without them it fills them in, given with them it must agree. It is
 * unique, answered masked to those authz_reveal_personal() does not allow, and only
 * they may look a member up by it (?id_number=). A second member of the same name and
 * birth date is refused with possible_duplicate until the body says
 * "confirm_duplicate": true (write-only, never stored).
 */
#include "domain/member.h"

#include <stdio.h>
#include <string.h>

#include "base/idcard.h"
#include "base/text.h"
#include "domain/brand.h"
#include "domain/partylife.h"
#include "domain/resource.h"

static const char *const genders[] = {"男", "女", NULL};
static const char *const languages[] = {"zh", "mn", "zh+mn", NULL};
/* 学历: the categories of the party's annual statistics (党内统计年报), which the
 * organisation departments report members by. */
static const char *const educations[] = {"研究生",   "大学本科",   "大学专科", "中专",
                                         "高中中技", "初中及以下", NULL};
static const char *const party_statuses[] = {"正式党员", "预备党员", NULL};

static const struct field member_fields[] = {
    {"branch_id", "所属党组织", FT_REF, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, "branches", 0, 0},
    {"procuratorate_id", "检察院", FT_REF, FF_DERIVED | FF_FILTER, 0, NULL, "procuratorates", 0, 0},
    {"department_id", "部门", FT_REF, FF_WRITE | FF_FILTER | FF_SAME_PROC, 0, NULL, "departments", 0, 0},
    {"party_group_id", "党小组", FT_REF, FF_WRITE | FF_FILTER, 0, NULL, "party_groups", 0, 0},
    {"name", "姓名", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_SORT, 30, NULL, NULL, 0, 0},
    {"name_mn", "蒙古文姓名", FT_TEXT, FF_WRITE, 100, NULL, NULL, 0, 0},
    {"name_key", "", FT_TEXT, FF_HIDDEN | FF_DERIVED | FF_SEARCH, 0, NULL, NULL, 0, 0},
    {"gender", "性别", FT_ENUM, FF_WRITE | FF_FILTER, 0, genders, NULL, 0, 0},
    {"birth_date", "出生日期", FT_DATE, FF_WRITE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"ethnicity", "民族", FT_TEXT, FF_WRITE | FF_FILTER, 20, NULL, NULL, 0, 0},
    {"joined_party", "入党日期", FT_DATE, FF_WRITE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"position", "职务", FT_TEXT, FF_WRITE | FF_FILTER, 40, NULL, NULL, 0, 0},
    {"quota_prosecutor", "员额检察官", FT_BOOL, FF_WRITE | FF_NOTNULL | FF_FILTER, 0, NULL, NULL, 0, 0},
    {"languages", "工作语言", FT_ENUM, FF_WRITE | FF_NOTNULL | FF_FILTER, 0, languages, NULL, 0, 0},
    {"id_number", "身份证号", FT_TEXT, FF_WRITE | FF_MASKED, 18, NULL, NULL, 0, 0},
    {"education", "学历", FT_ENUM, FF_WRITE | FF_FILTER, 0, educations, NULL, 0, 0},
    {"party_status", "党员类别", FT_ENUM, FF_WRITE | FF_FILTER, 0, party_statuses, NULL, 0, 0},
    {"full_member_date", "转正日期", FT_DATE, FF_WRITE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"confirm_duplicate", "确认同名同出生日期", FT_BOOL, FF_WRITE | FF_SECRET, 0, NULL, NULL, 0, 0},
    /* The day of a transfer to another branch or party group (default today), or a new
     * member's first day in the branch (default 入党日期): the member's terms
     * (partylife.h). Write-only, never stored in the member. */
    {"moved_on", "调动日期", FT_DATE, FF_WRITE | FF_SECRET, 10, NULL, NULL, 0, 0},
    RES_SAMPLE_FIELD,
};

static const struct res_required member_required[] = {
    {"full_member_date", "party_status", "正式党员", "正式党员应填写转正日期"},
    {0},
};

/* "date" (YYYY-MM-DD) moved by "years" whole years, into "out" (16 bytes). A 02-29
 * moved to a common year stays 02-29, which compares as the day after 02-28. */
static void add_years(const char *date, int years, char out[16])
{
    int y;
    if (sscanf(date, "%4d", &y) == 1 && y > 0 && y < 9000)
        snprintf(out, 16, "%04d%.6s", y + years, date + 4);
    else
        snprintf(out, 16, "%s", date);
}

/* The identity number: valid, agreeing with birth date and gender (which it fills in
 * when they are not given), and no other member's. */
static int check_id_number(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    const char *given = res_str(row, "id_number");
    if (!given)
        return 0;
    /* The masked form sent back unchanged (a form or a client that read it masked). */
    const char *was = before ? res_str(before, "id_number") : NULL;
    if (was && strchr(given, '*')) {
        char m[41];
        idcard_mask(was, m);
        if (!strcmp(m, given)) {
            json_object_set_new(row, "id_number", json_string(was));
            given = was;
        }
    }
    char today[11];
    text_today(today);
    struct idcard id;
    enum idcard_status st = idcard_parse(given, today, &id);
    if (st != IDCARD_OK)
        return rerr_set(err, R_EINVAL, "invalid_id_number", "id_number", "%s", idcard_problem(st));
    json_object_set_new(row, "id_number", json_string(id.number));

    const char *birth = res_str(row, "birth_date");
    if (!birth)
        json_object_set_new(row, "birth_date", json_string(id.birth_date));
    else if (strcmp(birth, id.birth_date) != 0)
        return rerr_set(err, R_EUNPROC, "inconsistent", "birth_date",
                        "出生日期与身份证号不一致（身份证号中的出生日期为 %s）", id.birth_date);
    const char *sex = id.male ? "男" : "女", *gender = res_str(row, "gender");
    if (!gender)
        json_object_set_new(row, "gender", json_string(sex));
    else if (strcmp(gender, sex) != 0)
        return rerr_set(err, R_EUNPROC, "inconsistent", "gender",
                        "性别与身份证号不一致（身份证号第 17 位表示%s）", sex);

    store_stmt *q = store_prepare(x->c, "SELECT id FROM members WHERE id_number = ? AND id <> ?");
    store_bind_text(q, 1, id.number);
    store_bind_int(q, 2, before ? res_int(before, "id") : 0);
    int rc = store_step(q, err);
    store_done(q);
    if (rc < 0)
        return rc;
    if (rc == STORE_ROW)
        return rerr_set(err, R_ECONFLICT, "duplicate", "id_number", "该身份证号已登记在另一名党员名下");
    return 0;
}

/* 党员类别 and 转正日期. The probation (预备期) is one year from 入党日期 and may be
 * extended once, by at most a year (党章 第七条): a full member's 转正日期 (required,
 * member_required) lies one to two years after 入党日期; a probationary member has none.
 * A 转正日期 without a category makes the member a full member. */
static int check_party_dates(json_t *row, struct rerr *err)
{
    const char *status = res_str(row, "party_status"), *full = res_str(row, "full_member_date");
    const char *joined = res_str(row, "joined_party");
    if (full && !status) {
        status = "正式党员";
        json_object_set_new(row, "party_status", json_string(status));
    }
    if (!status)
        return 0;
    bool probation = !strcmp(status, "预备党员");
    if (probation && full)
        return rerr_set(err, R_EUNPROC, "inconsistent", "full_member_date",
                        "预备党员尚未转正，不应填写转正日期");
    if (!joined)
        return rerr_set(err, R_EINVAL, "required", "joined_party", "请填写入党日期");
    if (full) {
        char one[16], two[16];
        add_years(joined, 1, one);
        add_years(joined, 2, two);
        if (strcmp(full, one) < 0)
            return rerr_set(err, R_EUNPROC, "inconsistent", "full_member_date",
                            "转正日期应在入党日期满一年（预备期）之后，即不早于 %s", one);
        if (strcmp(full, two) > 0)
            return rerr_set(err, R_EUNPROC, "inconsistent", "full_member_date",
                            "转正日期不能晚于入党日期后两年（预备期最多延长一年），即不晚于 %s", two);
    }
    return 0;
}

/* Another member of the same name and birth date: probably the same person entered
 * twice (or moved branch and entered again). Refused until confirmed. The message
 * names the other member's branch when the actor may read that member, and only says
 * that one exists elsewhere when not. */
static int check_possible_duplicate(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    const char *name = res_str(row, "name"), *birth = res_str(row, "birth_date");
    if (!name || !birth || json_is_true(json_object_get(row, "confirm_duplicate")))
        return 0;
    if (before && !strcmp(name, res_str(before, "name") ? res_str(before, "name") : "") &&
        !strcmp(birth, res_str(before, "birth_date") ? res_str(before, "birth_date") : ""))
        return 0; /* neither changed: warned (and confirmed) when they were */
    store_stmt *q =
        store_prepare(x->c, "SELECT m.procuratorate_id, b.name FROM members m"
                            " JOIN branches b ON b.id = m.branch_id"
                            " WHERE m.name = ? AND m.birth_date = ? AND m.id <> ? ORDER BY m.id LIMIT 1");
    store_bind_text(q, 1, name);
    store_bind_text(q, 2, birth);
    store_bind_int(q, 3, before ? res_int(before, "id") : 0);
    int rc = store_step(q, err);
    if (rc == STORE_ROW) {
        int64_t proc;
        bool visible = !authz_read_narrowed(x->who, res_members.read, &proc) || store_col_int(q, 0) == proc;
        if (visible)
            rerr_set(err, R_ECONFLICT, "possible_duplicate", "name",
                     "“%s”已有一名同名、出生日期相同（%s）的党员“%s”。如确为另一人，请确认后再保存",
                     store_col_text(q, 1), birth, name);
        else
            rerr_set(err, R_ECONFLICT, "possible_duplicate", "name",
                     "其他检察院已有一名同名、出生日期相同（%s）的党员“%s”。如确为另一人，请确认后再保存",
                     birth, name);
        rc = R_ECONFLICT;
    }
    store_done(q);
    return rc < 0 ? rc : 0;
}

static int member_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    /* Only someone who may write this member hears what other members there are (an
     * identity number taken, a namesake): the engine's own check comes after the hook. */
    struct row_scope s = {.procuratorate_id = res_int(row, "procuratorate_id"),
                          .branch_id = res_int(row, "branch_id")};
    int rc = authz_write_row(x->who, res_members.write, &s, err);
    if (rc < 0 || (rc = check_id_number(x, row, before, err)) < 0 || (rc = check_party_dates(row, err)) < 0 ||
        (rc = member_terms_check(x, row, before, err)) < 0)
        return rc;
    const char *birth = res_str(row, "birth_date"), *joined = res_str(row, "joined_party");
    if (birth && joined) {
        /* Joining the party needs the age of 18. */
        char adult[16];
        add_years(birth, 18, adult);
        if (strcmp(joined, adult) < 0)
            return rerr_set(err, R_EUNPROC, "inconsistent", "joined_party", "入党日期应在年满18周岁之后");
    }
    int64_t group = res_int(row, "party_group_id");
    if (group) {
        int64_t gb;
        rc = res_lookup_int(x, "party_groups", "branch_id", group, "party_group_id", &gb, err);
        if (rc < 0)
            return rc;
        if (gb != res_int(row, "branch_id"))
            return rerr_set(err, R_EUNPROC, "inconsistent", "party_group_id",
                            "党小组不属于该党员所在的党组织");
    }
    const char *name = res_str(row, "name");
    if (name) {
        arena *a = x->a;
        json_object_set_new(row, "name_key", json_string(text_name_key(a, name, res_str(row, "name_mn"))));
    }
    return check_possible_duplicate(x, row, before, err);
}

static int member_filter(struct res_ctx *x, const char *key, const char *val, struct query *q,
                         struct rerr *err)
{
    if (!strcmp(key, "youth")) {
        /* 青年干警: under 35 today. */
        if (!strcmp(val, "true") || !strcmp(val, "1"))
            query_where(q, "t.birth_date > ronghe_years_ago(35)");
        else if (!strcmp(val, "false") || !strcmp(val, "0"))
            query_where(q, "t.birth_date <= ronghe_years_ago(35)");
        else
            return rerr_set(err, R_EINVAL, "bad_query", key, "查询参数 youth 应为 true 或 false");
        return 1;
    }
    if (!strcmp(key, "id_number")) {
        /* Exact match only, and only for those who see numbers whole (authz.h). */
        if (!authz_reveal_personal(x->who))
            return rerr_set(err, R_EFORBID, "forbidden", key, "只有管理员可以按身份证号查询");
        char today[11];
        text_today(today);
        struct idcard id;
        enum idcard_status st = idcard_parse(val, today, &id);
        if (st != IDCARD_OK)
            return rerr_set(err, R_EINVAL, "bad_query", key, "%s", idcard_problem(st));
        query_where(q, "t.id_number = ?");
        query_bind_text(q, arena_strdup(x->a, id.number));
        return 1;
    }
    return 0;
}

/* A member's honours follow the member to another branch. */
static const struct dependent member_deps[] = {{&res_honours, "member_id", true}, {NULL, NULL, false}};

/* A member's own milestones, on the member's timeline only (a branch's would fill with
 * decades-old joinings). */
static const struct res_event member_events[] = {
    {"入党", "t.joined_party", "'入党'", NULL, "t.id = ?", NULL},
    {"入党", "t.full_member_date", "'转为正式党员'", NULL, "t.id = ?", NULL},
    {0},
};

const struct resource res_members = {
    .name = "members",
    .table = "members",
    .label = "党员",
    .fields = member_fields,
    .nfields = sizeof member_fields / sizeof member_fields[0],
    .extras = "(SELECT name FROM branches b WHERE b.id = t.branch_id) AS branch_name,"
              " (SELECT name FROM departments d WHERE d.id = t.department_id) AS department_name,"
              " (SELECT name FROM party_groups g WHERE g.id = t.party_group_id) AS party_group_name,"
              " (SELECT name FROM procuratorates p WHERE p.id = t.procuratorate_id) AS procuratorate_name,"
              " ronghe_years_since(t.birth_date) AS age,"
              /* 党龄: whole years (周年) since 转正日期, Beijing time — a member's party
               * standing counts from the day the probation ended (党章 第七条), so a
               * probationary member, or one whose 转正日期 is not recorded, has none (null,
               * not 0). Depends on today: an answer holding it is good until midnight. */
              " ronghe_years_since(t.full_member_date) AS party_age",
    .ignored = "branch_name department_name party_group_name procuratorate_name age party_age",
    .read = READ_SCOPED,
    .write = WRITE_BRANCH,
    .export = EXPORT_ADMIN,
    .scope_from = "branch_id",
    .default_sort = "name",
    .check = member_check,
    .after_write = member_terms_follow,
    .required_if = member_required,
    .filter = member_filter,
    .deps = member_deps,
    .title = "t.name",
    .events = member_events,
    .import_key = "branch_id id_number",
};
