/*
 * member: party members. A member belongs to a branch (which fixes the procuratorate),
 * may work in a department of the same procuratorate and sit in a party group of the
 * same branch. name_key holds the folded name, pinyin and initials for search.
 */
#include "domain/member.h"

#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "domain/brand.h"
#include "domain/resource.h"

static const char *const genders[] = {"男", "女", NULL};
static const char *const languages[] = {"zh", "mn", "zh+mn", NULL};

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
    RES_SAMPLE_FIELD,
};

static int member_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    (void)before;
    const char *birth = res_str(row, "birth_date"), *joined = res_str(row, "joined_party");
    if (birth && joined) {
        /* Joining the party needs the age of 18. */
        char adult[16];
        int y;
        if (sscanf(birth, "%4d", &y) == 1 && y > 0 && y < 9000) {
            snprintf(adult, sizeof adult, "%04d%.6s", y + 18, birth + 4);
            if (strcmp(joined, adult) < 0)
                return rerr_set(err, R_EUNPROC, "inconsistent", "joined_party", "入党日期应在年满18周岁之后");
        }
    }
    int64_t group = res_int(row, "party_group_id");
    if (group) {
        int64_t gb;
        int rc = res_lookup_int(x, "party_groups", "branch_id", group, "party_group_id", &gb, err);
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
    return 0;
}

static int member_filter(struct res_ctx *x, const char *key, const char *val, struct query *q,
                         struct rerr *err)
{
    (void)x;
    if (!strcmp(key, "youth")) {
        /* 青年干警: under 35 today. */
        if (!strcmp(val, "true") || !strcmp(val, "1"))
            query_where(q, "t.birth_date > date('now', '+8 hours', '-35 years')");
        else if (!strcmp(val, "false") || !strcmp(val, "0"))
            query_where(q, "t.birth_date <= date('now', '+8 hours', '-35 years')");
        else
            return rerr_set(err, R_EINVAL, "bad_query", key, "查询参数 youth 应为 true 或 false");
        return 1;
    }
    return 0;
}

/* A member's honours follow the member to another branch. */
static const struct dependent member_deps[] = {{&res_honours, "member_id", true}, {NULL, NULL, false}};

const struct resource res_members = {
    .name = "members",
    .table = "members",
    .label = "党员",
    .fields = member_fields,
    .nfields = sizeof member_fields / sizeof member_fields[0],
    .extras =
        "(SELECT name FROM branches b WHERE b.id = t.branch_id) AS branch_name,"
        " (SELECT name FROM departments d WHERE d.id = t.department_id) AS department_name,"
        " (SELECT name FROM party_groups g WHERE g.id = t.party_group_id) AS party_group_name,"
        " (SELECT name FROM procuratorates p WHERE p.id = t.procuratorate_id) AS procuratorate_name,"
        " CAST(strftime('%Y', 'now', '+8 hours') AS INTEGER) - CAST(strftime('%Y', t.birth_date) AS INTEGER)"
        " - (strftime('%m-%d', 'now', '+8 hours') < strftime('%m-%d', t.birth_date)) AS age",
    .ignored = "branch_name department_name party_group_name procuratorate_name age",
    .read = READ_SCOPED,
    .write = WRITE_BRANCH,
    .export = EXPORT_ADMIN,
    .scope_from = "branch_id",
    .default_sort = "name",
    .check = member_check,
    .filter = member_filter,
    .deps = member_deps,
};
