/*
 * org: the two-level organisation — procuratorates, their departments, the party
 * organisations (branches) and the party groups inside them — and the org tree.
 */
#include "domain/org.h"

#include <string.h>

#include "domain/brand.h"
#include "domain/member.h"
#include "domain/resource.h"
#include "domain/user.h"

static const char *const branch_kinds[] = {"党总支", "党支部", NULL};
static const char *const dept_kinds[] = {"综合", "业务", NULL};

static const struct field procuratorate_fields[] = {
    {"name", "名称", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_SORT | FF_SEARCH, 60, NULL, NULL, 0, 0},
    RES_NAME_MN_FIELD,
    {"short_name", "简称", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_SEARCH, 30, NULL, NULL, 0, 0},
    {"level", "层级", FT_INT, FF_REQUIRED | FF_WRITE | FF_FILTER | FF_SORT, 0, NULL, NULL, 1, 2},
    {"parent_id", "上级检察院", FT_REF, FF_WRITE | FF_FILTER, 0, NULL, "procuratorates", 0, 0},
    {"procuratorate_id", "检察院", FT_REF, FF_DERIVED, 0, NULL, "procuratorates", 0, 0},
    RES_SORT_FIELD,
    RES_SAMPLE_FIELD,
};

static const struct res_required procuratorate_required[] = {
    {"parent_id", "level", "2", "基层检察院必须选择上级检察院"},
    {0},
};

/* A 基层检察院's 上级检察院 (procuratorate_required) is a 市级检察院 other than itself; a
 * 市级检察院 has none. */
static int procuratorate_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    (void)x;
    int64_t level = res_int(row, "level"), parent = res_int(row, "parent_id");
    if (level == 1 && parent)
        return rerr_set(err, R_EUNPROC, "inconsistent", "parent_id", "市级检察院不能有上级检察院");
    if (before && parent == res_int(before, "id"))
        return rerr_set(err, R_EUNPROC, "inconsistent", "parent_id", "上级检察院不能是自己");
    if (parent) {
        int64_t plevel;
        int rc = res_lookup_int(x, "procuratorates", "level", parent, "parent_id", &plevel, err);
        if (rc < 0)
            return rc;
        if (plevel != 1)
            return rerr_set(err, R_EUNPROC, "inconsistent", "parent_id", "上级检察院必须是市级检察院");
    }
    return 0;
}

const struct resource res_procuratorates = {
    .name = "procuratorates",
    .table = "procuratorates",
    .label = "检察院",
    .fields = procuratorate_fields,
    .nfields = sizeof procuratorate_fields / sizeof procuratorate_fields[0],
    .extras = "(SELECT count(*) FROM members m WHERE m.procuratorate_id = t.id) AS member_count",
    .ignored = "member_count",
    .read = READ_SIGNED_IN,
    .write = WRITE_CITY_ADMIN,
    .export = EXPORT_READERS,
    .default_sort = "sort",
    .by_procuratorate = true,
    .check = procuratorate_check,
    .required_if = procuratorate_required,
    .import_key = "name",
};

static const struct field branch_fields[] = {
    {"procuratorate_id", "所属检察院", FT_REF, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, "procuratorates",
     0, 0},
    {"branch_id", "支部", FT_REF, FF_DERIVED, 0, NULL, "branches", 0, 0},
    {"name", "名称", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_SORT | FF_SEARCH, 60, NULL, NULL, 0, 0},
    RES_NAME_MN_FIELD,
    {"kind", "组织类型", FT_ENUM, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, branch_kinds, NULL, 0, 0},
    {"secretary_name", "书记", FT_TEXT, FF_WRITE, 30, NULL, NULL, 0, 0},
    {"founded", "成立日期", FT_DATE, FF_WRITE, 10, NULL, NULL, 0, 0},
    {"description", "简介", FT_TEXT, FF_WRITE, 2000, NULL, NULL, 0, 0},
    RES_SORT_FIELD,
    RES_SAMPLE_FIELD,
};

static const struct dependent branch_deps[] = {
    {&res_departments, "branch_id", false},
    {&res_party_groups, "branch_id", false},
    {&res_members, "branch_id", false},
    {&res_brands, "branch_id", false},
    {&res_honours, "branch_id", false},
    {&res_users, "branch_id", false},
    {NULL, NULL, false},
};

const struct resource res_branches = {
    .name = "branches",
    .table = "branches",
    .label = "党组织",
    .fields = branch_fields,
    .nfields = sizeof branch_fields / sizeof branch_fields[0],
    .extras = "(SELECT name FROM procuratorates p WHERE p.id = t.procuratorate_id) AS procuratorate_name,"
              " (SELECT count(*) FROM members m WHERE m.branch_id = t.id) AS member_count",
    .ignored = "procuratorate_name member_count",
    .read = READ_SIGNED_IN,
    .write = WRITE_ADMIN,
    .export = EXPORT_READERS,
    .default_sort = "sort",
    .by_procuratorate = true,
    .deps = branch_deps,
    .import_key = "procuratorate_id name",
};

static const struct field department_fields[] = {
    {"procuratorate_id", "所属检察院", FT_REF, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, "procuratorates",
     0, 0},
    {"branch_id", "所属党组织", FT_REF, FF_WRITE | FF_FILTER | FF_SAME_PROC, 0, NULL, "branches", 0, 0},
    {"name", "部门名称", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_SORT | FF_SEARCH, 60, NULL, NULL, 0, 0},
    RES_NAME_MN_FIELD,
    {"kind", "部门类型", FT_ENUM, FF_WRITE | FF_NOTNULL | FF_FILTER, 0, dept_kinds, NULL, 0, 0},
    {"duties", "职责", FT_TEXT, FF_WRITE, 1000, NULL, NULL, 0, 0},
    RES_SORT_FIELD,
    RES_SAMPLE_FIELD,
};

static const struct dependent department_deps[] = {
    {&res_members, "department_id", false},
    {&res_party_groups, "department_id", false},
    {NULL, NULL, false},
};

const struct resource res_departments = {
    .name = "departments",
    .table = "departments",
    .label = "部门",
    .fields = department_fields,
    .nfields = sizeof department_fields / sizeof department_fields[0],
    .extras = "(SELECT name FROM branches b WHERE b.id = t.branch_id) AS branch_name,"
              " (SELECT name FROM procuratorates p WHERE p.id = t.procuratorate_id) AS procuratorate_name",
    .ignored = "branch_name procuratorate_name",
    .read = READ_SIGNED_IN,
    .write = WRITE_ADMIN,
    .export = EXPORT_READERS,
    .default_sort = "sort",
    .by_procuratorate = true,
    .deps = department_deps,
    .import_key = "procuratorate_id name",
};

static const struct field party_group_fields[] = {
    {"branch_id", "所属党组织", FT_REF, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, "branches", 0, 0},
    RES_DERIVED_PROC_FIELD,
    {"department_id", "所在业务部门", FT_REF, FF_WRITE | FF_FILTER | FF_SAME_PROC, 0, NULL, "departments", 0,
     0},
    {"name", "党小组名称", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_SORT | FF_SEARCH, 60, NULL, NULL, 0, 0},
    RES_NAME_MN_FIELD,
    {"leader_name", "组长", FT_TEXT, FF_WRITE, 30, NULL, NULL, 0, 0},
    RES_SORT_FIELD,
    RES_SAMPLE_FIELD,
};

static const struct dependent party_group_deps[] = {
    {&res_members, "party_group_id", false},
    {&res_brands, "party_group_id", false},
    {NULL, NULL, false},
};

const struct resource res_party_groups = {
    .name = "party-groups",
    .table = "party_groups",
    .label = "党小组",
    .fields = party_group_fields,
    .nfields = sizeof party_group_fields / sizeof party_group_fields[0],
    .extras = "(SELECT name FROM branches b WHERE b.id = t.branch_id) AS branch_name,"
              " (SELECT name FROM departments d WHERE d.id = t.department_id) AS department_name,"
              " (SELECT count(*) FROM members m WHERE m.party_group_id = t.id) AS member_count",
    .ignored = "branch_name department_name member_count",
    .read = READ_SIGNED_IN,
    .write = WRITE_BRANCH,
    .export = EXPORT_READERS,
    .scope_from = "branch_id",
    .default_sort = "sort",
    .by_procuratorate = true,
    .deps = party_group_deps,
    .import_key = "branch_id name",
};

/* ------------------------------------------------------------------ the org tree */

static json_t *find_by_id(json_t *arr, int64_t id)
{
    size_t i;
    json_t *it;
    json_array_foreach(arr, i, it) if (res_int(it, "id") == id) return it;
    return NULL;
}

static int list_all(struct res_ctx *x, const struct resource *r, const char *sort, json_t **items,
                    struct rerr *err)
{
    struct res_query q = {.n = 2, .key = {"per_page", "sort"}, .val = {"500", sort}};
    json_t *page;
    int rc = res_list(x, r, &q, &page, err);
    if (rc < 0)
        return rc;
    *items = json_incref(json_object_get(page, "items"));
    json_decref(page);
    return 0;
}

int org_tree(struct res_ctx *x, json_t **out, struct rerr *err)
{
    json_t *procs = NULL, *depts = NULL, *branches = NULL, *groups = NULL;
    int rc;
    if ((rc = list_all(x, &res_procuratorates, "sort", &procs, err)) < 0 ||
        (rc = list_all(x, &res_departments, "sort", &depts, err)) < 0 ||
        (rc = list_all(x, &res_branches, "sort", &branches, err)) < 0 ||
        (rc = list_all(x, &res_party_groups, "sort", &groups, err)) < 0)
        goto done;
    size_t i;
    json_t *it;
    json_array_foreach(procs, i, it)
    {
        json_object_set_new(it, "departments", json_array());
        json_object_set_new(it, "branches", json_array());
        json_object_set_new(it, "children", json_array());
    }
    json_array_foreach(branches, i, it) json_object_set_new(it, "party_groups", json_array());
    json_array_foreach(groups, i, it)
    {
        json_t *b = find_by_id(branches, res_int(it, "branch_id"));
        if (b)
            json_array_append(json_object_get(b, "party_groups"), it);
    }
    json_array_foreach(depts, i, it)
    {
        json_t *p = find_by_id(procs, res_int(it, "procuratorate_id"));
        if (p)
            json_array_append(json_object_get(p, "departments"), it);
    }
    json_array_foreach(branches, i, it)
    {
        json_t *p = find_by_id(procs, res_int(it, "procuratorate_id"));
        if (p)
            json_array_append(json_object_get(p, "branches"), it);
    }
    json_t *roots = json_array();
    json_array_foreach(procs, i, it)
    {
        json_t *p = find_by_id(procs, res_int(it, "parent_id"));
        json_array_append(p ? json_object_get(p, "children") : roots, it);
    }
    *out = json_pack("{s:o}", "items", roots);
done:
    json_decref(procs);
    json_decref(depts);
    json_decref(branches);
    json_decref(groups);
    return rc;
}
