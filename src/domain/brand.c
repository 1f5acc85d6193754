#include "domain/brand.h"

#include <string.h>

#include "domain/resource.h"

static const struct field brand_fields[] = {
    {"branch_id", "所属党组织", FT_REF, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, "branches", 0, 0},
    RES_DERIVED_PROC_FIELD,
    {"parent_id", "上级品牌", FT_REF, FF_WRITE | FF_FILTER, 0, NULL, "brands", 0, 0},
    {"party_group_id", "党小组", FT_REF, FF_WRITE | FF_FILTER, 0, NULL, "party_groups", 0, 0},
    {"name", "品牌名称", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_SORT | FF_SEARCH, 40, NULL, NULL, 0, 0},
    {"name_mn", "蒙古文名称", FT_TEXT, FF_WRITE | FF_SEARCH, 200, NULL, NULL, 0, 0},
    {"slogan", "口号", FT_TEXT, FF_WRITE, 200, NULL, NULL, 0, 0},
    {"meaning", "品牌内涵", FT_TEXT, FF_WRITE, 2000, NULL, NULL, 0, 0},
    {"spirit", "品牌精神", FT_TEXT, FF_WRITE, 500, NULL, NULL, 0, 0},
    RES_SORT_FIELD,
    RES_SAMPLE_FIELD,
};

/* The parent and the party group must be of the same branch; no cycles. */
static int brand_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    int64_t branch = res_int(row, "branch_id"), v;
    int rc;
    int64_t group = res_int(row, "party_group_id");
    if (group) {
        if ((rc = res_lookup_int(x, "party_groups", "branch_id", group, "party_group_id", &v, err)) < 0)
            return rc;
        if (v != branch)
            return rerr_set(err, R_EUNPROC, "inconsistent", "party_group_id",
                            "党小组不属于该品牌所在的党组织");
    }
    int64_t self = before ? res_int(before, "id") : 0;
    int64_t p = res_int(row, "parent_id");
    for (int depth = 0; p && depth < 16; depth++) {
        if (p == self)
            return rerr_set(err, R_EUNPROC, "inconsistent", "parent_id", "上级品牌不能是自己或自己的下级");
        if ((rc = res_lookup_int(x, "brands", "branch_id", p, "parent_id", &v, err)) < 0)
            return rc;
        if (v != branch)
            return rerr_set(err, R_EUNPROC, "inconsistent", "parent_id", "上级品牌应属于同一党组织");
        if ((rc = res_lookup_int(x, "brands", "parent_id", p, "parent_id", &p, err)) < 0)
            return rc;
    }
    return 0;
}

/* A brand's methods (and their elements) move with it; its sub-brands must be moved
 * first, one by one, as each is a decision of its own. */
static const struct dependent brand_deps[] = {
    {&res_brands, "parent_id", false},
    {&res_methods, "brand_id", true},
    {NULL, NULL, false},
};
static const struct dependent method_deps[] = {{&res_method_elements, "method_id", true},
                                               {NULL, NULL, false}};

const struct resource res_brands = {
    .name = "brands",
    .table = "brands",
    .label = "品牌",
    .fields = brand_fields,
    .nfields = sizeof brand_fields / sizeof brand_fields[0],
    .extras = "(SELECT name FROM branches b WHERE b.id = t.branch_id) AS branch_name,"
              " (SELECT name FROM procuratorates p WHERE p.id = t.procuratorate_id) AS procuratorate_name,"
              " (SELECT name FROM party_groups g WHERE g.id = t.party_group_id) AS party_group_name",
    .ignored = "branch_name procuratorate_name party_group_name methods",
    .read = READ_SIGNED_IN,
    .write = WRITE_BRANCH,
    .export = EXPORT_READERS,
    .scope_from = "branch_id",
    .default_sort = "sort",
    .by_procuratorate = true,
    .check = brand_check,
    .deps = brand_deps,
};

static const char *const method_periods[] = {"month", "quarter", NULL};

static const struct field method_fields[] = {
    {"brand_id", "所属品牌", FT_REF, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, "brands", 0, 0},
    RES_DERIVED_BRANCH_FIELD,
    RES_DERIVED_PROC_FIELD,
    {"name", "工作法名称", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_SORT | FF_SEARCH, 60, NULL, NULL, 0, 0},
    {"summary", "概述", FT_TEXT, FF_WRITE, 2000, NULL, NULL, 0, 0},
    /* how often its elements are checked off (element-checks, domain/joint.c) */
    {"period", "检查周期", FT_ENUM, FF_WRITE | FF_NOTNULL | FF_FILTER, 0, method_periods, NULL, 0, 0},
    RES_SORT_FIELD,
    RES_SAMPLE_FIELD,
};

static int method_expand(struct res_ctx *x, json_t *rec, struct rerr *err)
{
    store_stmt *st = store_prepare(x->c, "SELECT id, label, count, description, sort, version, sample"
                                         " FROM method_elements WHERE method_id = ? ORDER BY sort, id");
    store_bind_int(st, 1, res_int(rec, "id"));
    json_t *els = json_array();
    int rc;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        json_array_append_new(
            els,
            json_pack("{s:I, s:s, s:o, s:o, s:I, s:I, s:b}", "id", (json_int_t)store_col_int(st, 0), "label",
                      store_col_text(st, 1), "count",
                      store_col_type(st, 2) == STORE_NULL ? json_null() : json_integer(store_col_int(st, 2)),
                      "description",
                      store_col_type(st, 3) == STORE_NULL ? json_null() : json_string(store_col_text(st, 3)),
                      "sort", (json_int_t)store_col_int(st, 4), "version", (json_int_t)store_col_int(st, 5),
                      "sample", (int)store_col_int(st, 6)));
    }
    store_done(st);
    json_object_set_new(rec, "elements", els);
    return rc < 0 ? rc : 0;
}

/* A method's elements checked off per its period (element-checks, joint.c) keep it: a
 * change would leave those checks naming periods the method no longer has. */
static int method_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    const char *was = before ? res_str(before, "period") : NULL, *now = res_str(row, "period");
    if (!was || !now || !strcmp(was, now))
        return 0;
    store_stmt *st = store_prepare(x->c, "SELECT 1 FROM element_checks WHERE method_id = ? LIMIT 1");
    store_bind_int(st, 1, res_int(before, "id"));
    int rc = store_step(st, err);
    store_done(st);
    if (rc < 0)
        return rc;
    if (rc == STORE_ROW)
        return rerr_set(err, R_EUNPROC, "inconsistent", "period",
                        "该工作法已有按原周期勾选的要素完成记录，不能改变检查周期");
    return 0;
}

const struct resource res_methods = {
    .name = "methods",
    .table = "methods",
    .label = "工作法",
    .fields = method_fields,
    .nfields = sizeof method_fields / sizeof method_fields[0],
    .extras = "(SELECT name FROM brands b WHERE b.id = t.brand_id) AS brand_name,"
              " (SELECT name FROM branches b WHERE b.id = t.branch_id) AS branch_name",
    .ignored = "brand_name branch_name elements",
    .read = READ_SIGNED_IN,
    .write = WRITE_BRANCH,
    .export = EXPORT_READERS,
    .scope_from = "brand_id",
    .default_sort = "sort",
    .by_procuratorate = true,
    .check = method_check,
    .expand = method_expand,
    .deps = method_deps,
};

static const struct field element_fields[] = {
    {"method_id", "所属工作法", FT_REF, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, "methods", 0, 0},
    RES_DERIVED_BRANCH_FIELD,
    RES_DERIVED_PROC_FIELD,
    {"label", "要素名称", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_SORT | FF_SEARCH, 60, NULL, NULL, 0, 0},
    {"count", "数量", FT_INT, FF_WRITE, 0, NULL, NULL, 0, 1000},
    {"description", "说明", FT_TEXT, FF_WRITE, 1000, NULL, NULL, 0, 0},
    RES_SORT_FIELD,
    RES_SAMPLE_FIELD,
};

const struct resource res_method_elements = {
    .name = "method-elements",
    .table = "method_elements",
    .label = "工作法要素",
    .fields = element_fields,
    .nfields = sizeof element_fields / sizeof element_fields[0],
    .extras = "(SELECT name FROM methods m WHERE m.id = t.method_id) AS method_name",
    .ignored = "method_name",
    .read = READ_SIGNED_IN,
    .write = WRITE_BRANCH,
    .export = EXPORT_READERS,
    .scope_from = "method_id",
    .default_sort = "sort",
};

static const char *const honour_levels[] = {"national", "regional", "city", "county", NULL};

static const struct field honour_fields[] = {
    {"branch_id", "所属党组织", FT_REF, FF_WRITE | FF_FILTER, 0, NULL, "branches", 0, 0},
    {"member_id", "获得者（党员）", FT_REF, FF_WRITE | FF_FILTER, 0, NULL, "members", 0, 0},
    RES_DERIVED_PROC_FIELD,
    {"title", "荣誉名称", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_SORT | FF_SEARCH, 100, NULL, NULL, 0, 0},
    {"level", "级别", FT_ENUM, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, honour_levels, NULL, 0, 0},
    {"year", "年度", FT_INT, FF_REQUIRED | FF_WRITE | FF_FILTER | FF_SORT, 0, NULL, NULL, 1949, 2100},
    {"awarded_by", "授予单位", FT_TEXT, FF_WRITE, 100, NULL, NULL, 0, 0},
    RES_SAMPLE_FIELD,
};

/* A member's honour belongs to the member's branch. */
static int honour_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    (void)before;
    int64_t member = res_int(row, "member_id");
    if (member) {
        int64_t b;
        int rc = res_lookup_int(x, "members", "branch_id", member, "member_id", &b, err);
        if (rc < 0)
            return rc;
        json_object_set_new(row, "branch_id", json_integer(b));
    }
    if (!res_int(row, "branch_id"))
        return rerr_set(err, R_EINVAL, "required", "branch_id", "请选择获得荣誉的党组织或党员");
    int64_t proc;
    int rc =
        res_lookup_int(x, "branches", "procuratorate_id", res_int(row, "branch_id"), "branch_id", &proc, err);
    if (rc < 0)
        return rc;
    json_object_set_new(row, "procuratorate_id", json_integer(proc));
    return 0;
}

/* An honour is known by its year only: it stands on the timeline at the year's end. */
#define HONOUR_LEVEL_SQL                                                                                          \
    "CASE t.level WHEN 'national' THEN '国家级' WHEN 'regional' THEN '自治区级' WHEN 'city' THEN '市级'" \
    " ELSE '县级' END"
static const struct res_event honour_events[] = {
    {"荣誉", "printf('%04d-12-31', t.year)",
     "'获' || t.title || '（' || " HONOUR_LEVEL_SQL " || coalesce('，' || t.awarded_by, '') || '）'",
     EVENT_OWN_BRANCH, "t.member_id = ?", NULL},
    {0},
};

const struct resource res_honours = {
    .name = "honours",
    .table = "honours",
    .label = "荣誉",
    .fields = honour_fields,
    .nfields = sizeof honour_fields / sizeof honour_fields[0],
    .extras = "coalesce((SELECT name FROM members m WHERE m.id = t.member_id),"
              " (SELECT name FROM branches b WHERE b.id = t.branch_id)) AS holder_name,"
              " (SELECT name FROM branches b WHERE b.id = t.branch_id) AS branch_name",
    .ignored = "holder_name branch_name",
    .read = READ_SIGNED_IN,
    .write = WRITE_BRANCH,
    .export = EXPORT_READERS,
    .default_sort = "-year",
    .by_procuratorate = true,
    .check = honour_check,
    .title = "t.title",
    .date = "printf('%04d-12-31', t.year)",
    .events = honour_events,
};
