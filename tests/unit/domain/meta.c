/* Unit tests for src/domain/meta.c: a descriptor written out as GET /api/v1/_meta says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <string.h>

#include "domain/meta.h"
#include "jobs/jobs.h"

static const char *const colours[] = {"红", "金", NULL};
static const struct field fields[] = {
    {"name", "名称", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_SORT, 0, NULL, NULL, 0, 0},
    {"colour", "颜色", FT_ENUM, FF_WRITE | FF_FILTER, 0, colours, NULL, 0, 0},
    {"rank", "名次", FT_INT, FF_WRITE, 0, NULL, NULL, 1, 9},
    {"count", "数量", FT_INT, FF_WRITE, 0, NULL, NULL, 0, 0},
    {"group_id", "党小组", FT_REF, FF_WRITE, 0, NULL, "party_groups", 0, 0},
    {"held_on", "日期", FT_DATE, FF_WRITE, 10, NULL, NULL, 0, 0},
    {"secret", "口令", FT_TEXT, FF_WRITE | FF_SECRET, 64, NULL, NULL, 0, 0},
    {"shadow", "", FT_TEXT, FF_SECRET, 0, NULL, NULL, 0, 0},
    {"key", "", FT_TEXT, FF_HIDDEN | FF_DERIVED | FF_SEARCH, 0, NULL, NULL, 0, 0},
    {"note", "备注", FT_TEXT, 0, 0, NULL, NULL, 0, 0},
};
static const struct res_required things_required[] = {
    {"held_on", "rank", "3", "第三名须填写日期"},
    {"group_id", "colour", "金", "金色须选择党小组"},
    {"secret", NULL, NULL, "新建时须设置口令"},
    {0},
};
static const struct resource things = {
    .required_if = things_required,
    .name = "things",
    .table = "things",
    .label = "测试",
    .fields = fields,
    .nfields = sizeof fields / sizeof fields[0],
    .read = READ_SCOPED,
    .write = WRITE_BRANCH,
    .export = EXPORT_ADMIN,
    .default_sort = "-rank",
};

static json_t *field_named(json_t *c, const char *name)
{
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(c, "fields"), i,
                       f) if (!strcmp(json_string_value(json_object_get(f, "name")), name)) return f;
    return NULL;
}

static bool flag(json_t *o, const char *k)
{
    return json_is_true(json_object_get(o, k));
}

static void a_descriptor_as_the_contract_says(void **state)
{
    (void)state;
    struct actor sec = {.role = ROLE_SECRETARY, .procuratorate_id = 3, .branch_id = 7};
    json_t *c = meta_collection(&sec, &things);
    assert_non_null(c);
    assert_string_equal(json_string_value(json_object_get(c, "label")), "测试");
    assert_string_equal(json_string_value(json_object_get(c, "default_sort")), "-rank");
    assert_true(flag(c, "search")); /* a hidden search key still makes q work */

    json_t *name = field_named(c, "name");
    assert_string_equal(json_string_value(json_object_get(name, "kind")), "text");
    assert_true(flag(name, "required") && flag(name, "write") && flag(name, "sort"));
    assert_false(flag(name, "filter") || flag(name, "future"));
    assert_int_equal(json_integer_value(json_object_get(name, "max_len")), 200); /* check_value's default */

    json_t *colour = field_named(c, "colour");
    assert_int_equal(json_array_size(json_object_get(colour, "values")), 2);
    assert_string_equal(json_string_value(json_array_get(json_object_get(colour, "values"), 1)), "金");

    json_t *rank = field_named(c, "rank"), *count = field_named(c, "count");
    assert_int_equal(json_integer_value(json_object_get(rank, "min")), 1);
    assert_int_equal(json_integer_value(json_object_get(rank, "max")), 9);
    assert_null(json_object_get(count, "min")); /* unbounded */

    /* a reference names the collection's URL name, not its table */
    assert_string_equal(json_string_value(json_object_get(field_named(c, "group_id"), "ref")),
                        "party-groups");
    assert_int_equal(json_integer_value(json_object_get(field_named(c, "held_on"), "max_len")), 10);

    /* write-only is listed and marked; secret and not writable, and hidden, are not */
    assert_true(flag(field_named(c, "secret"), "secret"));
    assert_null(field_named(c, "shadow"));
    assert_null(field_named(c, "key"));
    /* read-only text has no limit to state */
    assert_null(json_object_get(field_named(c, "note"), "max_len"));

    /* required only in some cases: the condition, its value typed as the field's; or on
     * create only */
    json_t *held = json_object_get(field_named(c, "held_on"), "required_if");
    assert_string_equal(json_string_value(json_object_get(held, "field")), "rank");
    assert_true(json_is_integer(json_object_get(held, "value")));
    assert_int_equal(json_integer_value(json_object_get(held, "value")), 3);
    json_t *group = json_object_get(field_named(c, "group_id"), "required_if");
    assert_string_equal(json_string_value(json_object_get(group, "field")), "colour");
    assert_string_equal(json_string_value(json_object_get(group, "value")), "金");
    assert_false(flag(field_named(c, "held_on"), "required"));
    assert_string_equal(json_string_value(json_object_get(field_named(c, "secret"), "required")), "create");
    assert_null(json_object_get(field_named(c, "secret"), "required_if"));
    assert_null(json_object_get(name, "required_if"));
    struct rerr e = {0};
    assert_int_equal(res_check_descriptor(&things, &e), 0);

    json_t *may = json_object_get(c, "may");
    assert_true(flag(may, "read") && flag(may, "create") && flag(may, "update") && flag(may, "delete"));
    assert_false(flag(may, "export"));
    json_decref(c);
}

static void every_collection_is_listed(void **state)
{
    (void)state;
    struct actor admin = {.role = ROLE_ADMIN, .procuratorate_id = 1, .scope_all = true};
    json_t *out = NULL;
    struct rerr e = {0};
    assert_int_equal(meta_json(&admin, &out, &e), 0);
    json_t *list = json_object_get(out, "collections");
    size_t n = 0;
    while (res_all[n])
        n++;
    assert_int_equal(json_array_size(list), n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(json_string_value(json_object_get(json_array_get(list, i), "name")),
                            res_all[i]->name);
    json_decref(out);
}

/* A collection whose records an action makes (POST /jobs queues a job): may.create is the
 * action's to say — city administrators start backups, the leadership does not. */
static bool may_create(const struct actor *who, const char *coll)
{
    json_t *c = meta_collection(who, res_find(coll));
    bool may = json_is_true(json_object_get(json_object_get(c, "may"), "create"));
    json_decref(c);
    return may;
}

static void an_action_says_who_may_create(void **state)
{
    (void)state;
    jobs_register();
    struct actor admin = {.role = ROLE_ADMIN, .procuratorate_id = 1, .scope_all = true};
    struct actor viewer = {.role = ROLE_VIEWER, .procuratorate_id = 1, .scope_all = true};
    assert_true(may_create(&admin, "jobs"));
    assert_false(may_create(&viewer, "jobs"));
    assert_true(may_create(&admin, "members"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_descriptor_as_the_contract_says),
        cmocka_unit_test(every_collection_is_listed),
        cmocka_unit_test(an_action_says_who_may_create),
    };
    return cmocka_run_group_tests_name("domain/meta", tests, NULL, NULL);
}
