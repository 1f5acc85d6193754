/*
 * Unit tests for the fields required only in some cases (resource.required_if, checked in
 * src/domain/resource/validate.c): required under a condition on another field, or on
 * create only; refused with "required" on the field and the rule's message, on create
 * and on update, changing nothing; a descriptor whose rule is wrong is found.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <string.h>

#include "auth/password.h"
#include "fixture.h"

/* Departments as a collection of the test's own, with a rule no hook knows: a 业务
 * department states its duties. */
static const char *const kinds[] = {"综合", "业务", NULL};
static const struct field dept_fields[] = {
    {"procuratorate_id", "所属检察院", FT_REF, FF_REQUIRED | FF_WRITE, 0, NULL, "procuratorates", 0, 0},
    {"name", "部门名称", FT_TEXT, FF_REQUIRED | FF_WRITE, 60, NULL, NULL, 0, 0},
    {"kind", "部门类型", FT_ENUM, FF_WRITE | FF_NOTNULL, 0, kinds, NULL, 0, 0},
    {"duties", "职责", FT_TEXT, FF_WRITE, 1000, NULL, NULL, 0, 0},
};
static const struct res_required dept_required[] = {
    {"duties", "kind", "业务", "业务部门须填写职责"},
    {0},
};
static const struct resource depts = {
    .name = "test-departments",
    .table = "departments",
    .label = "部门",
    .fields = dept_fields,
    .nfields = sizeof dept_fields / sizeof dept_fields[0],
    .read = READ_SIGNED_IN,
    .write = WRITE_ADMIN,
    .required_if = dept_required,
};

static int count(struct fx *f, const char *table)
{
    store_stmt *st = store_prepare(f->c, arena_printf(f->x.a, "SELECT count(*) FROM %s", table));
    assert_int_equal(store_step(st, NULL), STORE_ROW);
    int n = (int)store_col_int(st, 0);
    store_done(st);
    return n;
}

/* A create of "body" (taken) refused with "required" on "field" saying "message". */
static void refused(struct fx *f, const struct resource *r, json_t *body, const char *field,
                    const char *message)
{
    int before = count(f, r->table);
    json_t *out = NULL;
    struct rerr e = {0};
    assert_int_equal(res_create(&f->x, r, body, &out, &e), R_EINVAL);
    json_decref(body);
    assert_null(out);
    assert_string_equal(e.code, "required");
    assert_string_equal(e.field, field);
    assert_string_equal(e.message, message);
    assert_int_equal(count(f, r->table), before);
}

/* An update of record "id" with "body" (taken) refused in the same way; the record keeps
 * its version. */
static void update_refused(struct fx *f, const struct resource *r, int64_t id, json_t *body,
                           const char *field, const char *message)
{
    json_t *was = NULL, *out = NULL;
    struct rerr e = {0};
    assert_int_equal(res_get(&f->x, r, id, &was, &e), 0);
    assert_int_equal(res_update(&f->x, r, id, body, &out, &e), R_EINVAL);
    json_decref(body);
    assert_string_equal(e.code, "required");
    assert_string_equal(e.field, field);
    assert_string_equal(e.message, message);
    json_t *now = NULL;
    assert_int_equal(res_get(&f->x, r, id, &now, &e), 0);
    assert_true(json_equal(was, now));
    json_decref(was);
    json_decref(now);
}

static void required_when_another_field_has_a_value(void **state)
{
    (void)state;
    struct fx *f = fx_open("required-if");
    json_int_t proc = (json_int_t)f->county;
    refused(f, &depts, json_pack("{s:I,s:s,s:s}", "procuratorate_id", proc, "name", "侦查部", "kind", "业务"),
            "duties", "业务部门须填写职责");
    refused(
        f, &depts,
        json_pack("{s:I,s:s,s:s,s:n}", "procuratorate_id", proc, "name", "侦查部", "kind", "业务", "duties"),
        "duties", "业务部门须填写职责");
    /* an empty text is no text */
    refused(f, &depts,
            json_pack("{s:I,s:s,s:s,s:s}", "procuratorate_id", proc, "name", "侦查部", "kind", "业务",
                      "duties", ""),
            "duties", "业务部门须填写职责");
    /* the condition does not hold: taken without it */
    int64_t id =
        fx_create(f, "departments",
                  json_pack("{s:I,s:s,s:s}", "procuratorate_id", proc, "name", "办公室", "kind", "综合"));
    /* an update that makes it hold, the record having none: refused, nothing changed */
    update_refused(f, &depts, id, json_pack("{s:i,s:s}", "version", 1, "kind", "业务"), "duties",
                   "业务部门须填写职责");
    /* with it, taken; then clearing it is refused */
    json_t *out = NULL;
    struct rerr e = {0};
    assert_int_equal(res_update(&f->x, &depts, id,
                                json_pack("{s:i,s:s,s:s}", "version", 1, "kind", "业务", "duties", "侦查"),
                                &out, &e),
                     0);
    json_decref(out);
    update_refused(f, &depts, id, json_pack("{s:i,s:n}", "version", 2, "duties"), "duties",
                   "业务部门须填写职责");
    fx_close(f);
}

/* The rules the hooks used to spell, now the descriptors': the same code, field and
 * message as before. */
static void the_collections_rules(void **state)
{
    (void)state;
    struct fx *f = fx_open("required-coll");
    const struct resource *procs = res_find("procuratorates"), *users = res_find("users");
    refused(f, procs, json_pack("{s:s,s:s,s:i}", "name", "新旗院", "short_name", "新旗", "level", 2),
            "parent_id", "基层检察院必须选择上级检察院");
    update_refused(f, procs, f->county, json_pack("{s:i,s:n}", "version", 1, "parent_id"), "parent_id",
                   "基层检察院必须选择上级检察院");
    refused(f, res_find("members"),
            json_pack("{s:s,s:I,s:s,s:s}", "name", "乌兰", "branch_id", (json_int_t)f->branch, "party_status",
                      "正式党员", "joined_party", "2000-01-01"),
            "full_member_date", "正式党员应填写转正日期");
    json_int_t county = (json_int_t)f->county;
    refused(f, users,
            json_pack("{s:s,s:s,s:s,s:I}", "username", "newuser", "display_name", "新用户", "role", "viewer",
                      "procuratorate_id", county),
            "password", "新用户必须设置密码");
    refused(f, users,
            json_pack("{s:s,s:s,s:s,s:s,s:I}", "username", "newuser", "display_name", "新用户", "password",
                      "", "role", "viewer", "procuratorate_id", county),
            "password", "新用户必须设置密码");
    refused(f, users,
            json_pack("{s:s,s:s,s:s,s:s,s:I}", "username", "sec", "display_name", "书记", "password",
                      "Xk-39-unit-Required", "role", "secretary", "procuratorate_id", county),
            "branch_id", "支部书记账号必须选择所属党组织");
    /* a password is required on create only: an update leaves it as it is, however it
     * says "none" */
    int64_t id =
        fx_create(f, "users",
                  json_pack("{s:s,s:s,s:s,s:s,s:I}", "username", "viewer2", "display_name", "观察员",
                            "password", "Xk-39-unit-Required", "role", "viewer", "procuratorate_id", county));
    json_t *out = NULL;
    struct rerr e = {0};
    assert_int_equal(
        res_update(&f->x, users, id, json_pack("{s:i,s:s}", "version", 1, "display_name", "甲"), &out, &e),
        0);
    json_decref(out);
    assert_int_equal(res_update(&f->x, users, id, json_pack("{s:i,s:n}", "version", 2, "password"), &out, &e),
                     0);
    json_decref(out);
    assert_int_equal(
        res_update(&f->x, users, id, json_pack("{s:i,s:s}", "version", 3, "password", ""), &out, &e), 0);
    json_decref(out);
    update_refused(f, users, id, json_pack("{s:i,s:s}", "version", 4, "role", "secretary"), "branch_id",
                   "支部书记账号必须选择所属党组织");
    fx_close(f);
}

/* res_check_descriptor() finds each kind of wrong rule. */
static void a_wrong_rule_is_found(void **state)
{
    (void)state;
    struct rerr e = {0};
    assert_int_equal(res_check_descriptor(&depts, &e), 0);
    static const struct res_required wrong[][3] = {
        {{"nonesuch", "kind", "业务", "无"}, {0}},                             /* no such field */
        {{"duties", "nonesuch", "业务", "无"}, {0}},                           /* no such condition */
        {{"duties", "kind", "刑事", "无"}, {0}},                               /* not a value of kind */
        {{"duties", "duties", "x", "无"}, {0}},                                /* itself */
        {{"name", "kind", "业务", "无"}, {0}},                                 /* required anyway */
        {{"duties", "kind", "业务", NULL}, {0}},                               /* no message */
        {{"duties", NULL, "业务", "无"}, {0}},                                 /* on create, with a value */
        {{"duties", "kind", "业务", "无"}, {"duties", NULL, NULL, "无"}, {0}}, /* two rules */
        {{"duties", "procuratorate_id", "1", "无"}, {0}},                      /* a reference */
    };
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
        struct resource r = depts;
        r.required_if = wrong[i];
        if (res_check_descriptor(&r, &e) != R_EINTERNAL)
            fail_msg("wrong rule %zu not found", i);
    }
    /* an integer condition: a value within the field's bounds, in decimal */
    static const struct field ranked[] = {
        {"name", "名称", FT_TEXT, FF_WRITE, 0, NULL, NULL, 0, 0},
        {"rank", "名次", FT_INT, FF_WRITE, 0, NULL, NULL, 1, 9},
    };
    static const struct res_required ints[][2] = {
        {{"name", "rank", "3", "有"}, {0}},
        {{"name", "rank", "10", "无"}, {0}},
        {{"name", "rank", "3x", "无"}, {0}},
        {{"name", "rank", "", "无"}, {0}},
    };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        struct resource r = {
            .name = "ranked", .table = "ranked", .label = "测试", .fields = ranked, .nfields = 2};
        r.required_if = ints[i];
        assert_int_equal(res_check_descriptor(&r, &e), i == 0 ? 0 : R_EINTERNAL);
    }
    /* a boolean condition: "true" or "false", nothing else */
    static const struct field flagged[] = {
        {"name", "名称", FT_TEXT, FF_WRITE, 0, NULL, NULL, 0, 0},
        {"flag", "标记", FT_BOOL, FF_WRITE | FF_NOTNULL, 0, NULL, NULL, 0, 0},
    };
    static const struct res_required bools[][2] = {
        {{"name", "flag", "true", "有"}, {0}},
        {{"name", "flag", "false", "有"}, {0}},
        {{"name", "flag", "1", "无"}, {0}},
        {{"name", "flag", "yes", "无"}, {0}},
    };
    for (size_t i = 0; i < sizeof bools / sizeof bools[0]; i++) {
        struct resource r = {
            .name = "flagged", .table = "flagged", .label = "测试", .fields = flagged, .nfields = 2};
        r.required_if = bools[i];
        assert_int_equal(res_check_descriptor(&r, &e), i < 2 ? 0 : R_EINTERNAL);
    }
    for (int i = 0; res_all[i]; i++)
        if (res_check_descriptor(res_all[i], &e) < 0)
            fail_msg("%s", e.message);
}

int main(void)
{
    password_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(required_when_another_field_has_a_value),
        cmocka_unit_test(the_collections_rules),
        cmocka_unit_test(a_wrong_rule_is_found),
    };
    return cmocka_run_group_tests_name("domain/required", tests, NULL, NULL);
}
