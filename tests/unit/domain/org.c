/*
 * Unit tests for src/domain/org.c: the organisation's own rules, through res_create and
 * res_update: a procuratorate's level and parent, departments and branches inside their
 * procuratorate, party groups of a branch, and the tree of them all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/password.h"
#include "domain/resource.h"

#include "domain/org.h"
#include "fixture.h"

static int64_t proc(struct fx *f, struct res_ctx *x, json_t *body, struct rerr *e)
{
    static int n;
    char name[32];
    snprintf(name, sizeof name, "新院%d", ++n); /* names are unique */
    json_object_set_new(body, "name", json_string(name));
    json_object_set_new(body, "short_name", json_string(name));
    return fx_try(x ? x : &f->x, "procuratorates", body, e);
}

static void levels_and_parents(void **state)
{
    struct fx *f = *state;
    struct rerr e;
    /* the codes and fields are the contract; who says it (hook or engine) is not */
    assert_true(proc(f, NULL, json_pack("{s:i}", "level", 2), &e) < 0);
    assert_string_equal(e.code, "required");
    assert_string_equal(e.field, "parent_id");
    assert_int_equal(proc(f, NULL, json_pack("{s:i,s:I}", "level", 1, "parent_id", (json_int_t)f->city), &e),
                     R_EUNPROC);
    assert_string_equal(e.field, "parent_id");
    /* a county's parent is the city, not another county */
    assert_int_equal(
        proc(f, NULL, json_pack("{s:i,s:I}", "level", 2, "parent_id", (json_int_t)f->county), &e), R_EUNPROC);
    assert_string_equal(e.code, "inconsistent");
    assert_int_equal(proc(f, NULL, json_pack("{s:i,s:I}", "level", 2, "parent_id", (json_int_t)9999), &e),
                     R_EUNPROC);
    assert_string_equal(e.code, "invalid_reference");
    assert_int_equal(proc(f, NULL, json_pack("{s:i}", "level", 3), &e), R_EINVAL);
    assert_string_equal(e.code, "invalid_value");
    assert_true(proc(f, NULL, json_pack("{s:i,s:I}", "level", 2, "parent_id", (json_int_t)f->city), &e) > 0);
    /* not its own parent */
    assert_int_equal(
        fx_update(&f->x, "procuratorates", f->city,
                  json_pack("{s:i,s:i,s:I}", "version", 1, "level", 2, "parent_id", (json_int_t)f->city), &e),
        R_EUNPROC);
    assert_string_equal(e.code, "inconsistent");
    /* only city administrators write procuratorates */
    struct actor county = fx_actor(20, ROLE_ADMIN, f->county, 0, false);
    struct res_ctx x = fx_as(f, &county);
    assert_int_equal(proc(f, &x, json_pack("{s:i,s:I}", "level", 2, "parent_id", (json_int_t)f->city), &e),
                     R_EFORBID);
    struct actor city = fx_actor(21, ROLE_ADMIN, f->city, 0, true);
    struct res_ctx xc = fx_as(f, &city);
    assert_true(proc(f, &xc, json_pack("{s:i,s:I}", "level", 2, "parent_id", (json_int_t)f->city), &e) > 0);
}

/* A department's branch, and a party group's department, lie in its own procuratorate. */
static void departments_in_the_procuratorate(void **state)
{
    struct fx *f = *state;
    struct rerr e;
    int64_t city_branch = fx_create(f, "branches",
                                    json_pack("{s:I,s:s,s:s}", "procuratorate_id", (json_int_t)f->city,
                                              "name", "市院党支部", "kind", "党支部"));
    assert_int_equal(fx_try(&f->x, "departments",
                            json_pack("{s:I,s:s,s:I}", "procuratorate_id", (json_int_t)f->county, "name",
                                      "办公室", "branch_id", (json_int_t)city_branch),
                            &e),
                     R_EUNPROC);
    assert_string_equal(e.code, "inconsistent");
    assert_string_equal(e.field, "branch_id");
    int64_t dept = fx_try(&f->x, "departments",
                          json_pack("{s:I,s:s,s:I}", "procuratorate_id", (json_int_t)f->county, "name",
                                    "办公室", "branch_id", (json_int_t)f->branch),
                          &e);
    assert_true(dept > 0);
    int64_t city_dept =
        fx_create(f, "departments",
                  json_pack("{s:I,s:s}", "procuratorate_id", (json_int_t)f->city, "name", "市院办公室"));
    assert_int_equal(fx_try(&f->x, "party-groups",
                            json_pack("{s:I,s:s,s:I}", "branch_id", (json_int_t)f->branch, "name",
                                      "第一党小组", "department_id", (json_int_t)city_dept),
                            &e),
                     R_EUNPROC);
    assert_string_equal(e.field, "department_id");
    int64_t group = fx_try(&f->x, "party-groups",
                           json_pack("{s:I,s:s,s:I}", "branch_id", (json_int_t)f->branch, "name",
                                     "第一党小组", "department_id", (json_int_t)dept),
                           &e);
    assert_true(group > 0);
    json_t *out = NULL;
    assert_int_equal(res_get(&f->x, res_find("party-groups"), group, &out, &e), 0);
    assert_int_equal(res_int(out, "procuratorate_id"), f->county); /* from its branch */
    assert_string_equal(res_str(out, "department_name"), "办公室");
    json_decref(out);
    /* a department members name cannot move to another procuratorate */
    fx_create(f, "members",
              json_pack("{s:s,s:I,s:I}", "name", "甲", "branch_id", (json_int_t)f->branch, "department_id",
                        (json_int_t)dept));
    assert_int_equal(fx_update(&f->x, "departments", dept,
                               json_pack("{s:i,s:I,s:n}", "version", 1, "procuratorate_id",
                                         (json_int_t)f->city, "branch_id"),
                               &e),
                     R_ECONFLICT);
    assert_string_equal(e.code, "has_dependents");
}

static void the_tree(void **state)
{
    struct fx *f = *state;
    struct rerr e;
    fx_create(f, "departments",
              json_pack("{s:I,s:s}", "procuratorate_id", (json_int_t)f->county, "name", "办公室"));
    fx_create(f, "party-groups",
              json_pack("{s:I,s:s}", "branch_id", (json_int_t)f->branch, "name", "第一党小组"));
    json_t *t = NULL;
    assert_int_equal(org_tree(&f->x, &t, &e), 0);
    char *s = json_dumps(t, JSON_COMPACT);
    /* the county under the city, with its department and branch, the group under it */
    const char *in_order[] = {"市院", "旗院", "办公室", "旗院党支部", "第一党小组"};
    const char *at = s;
    for (int i = 0; i < 5; i++) {
        const char *p = strstr(at, in_order[i]);
        if (!p)
            fail_msg("%s not after the one before in %s", in_order[i], s);
        at = p;
    }
    free(s);
    json_decref(t);
}

int main(void)
{
    password_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(levels_and_parents, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(departments_in_the_procuratorate, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(the_tree, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests_name("domain/org", tests, NULL, NULL);
}
