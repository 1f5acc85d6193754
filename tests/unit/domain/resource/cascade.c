/*
 * Unit tests for src/domain/resource/cascade.c: dependents move with their parent, each
 * move audited, or the move is refused; a cascade that does not end is an error.
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
#include "domain/member.h"
#include "domain/resource.h"

#include "../fixture.h"

/* A cascade that does not end (a dependent of itself, which a descriptor could say) is
 * refused with an error once it is MAX_CASCADE_DEPTH deep, and changes nothing. */
static void endless_cascade_is_an_error(void **state)
{
    struct fx *f = *state;
    int64_t other = fx_create(f, "branches",
                              json_pack("{s:I,s:s,s:s}", "procuratorate_id", (json_int_t)f->county, "name",
                                        "旗院第二党支部", "kind", "党支部"));
    int64_t id =
        fx_create(f, "members", json_pack("{s:s,s:I}", "name", "其木格", "branch_id", (json_int_t)f->branch));
    static struct resource loop;
    static const struct dependent itself[] = {{&loop, "id", true}, {NULL, NULL, false}};
    loop = res_members;
    loop.deps = itself;
    int64_t before = fx_audit_count(f);
    json_t *out = NULL;
    struct rerr e = {0};
    json_t *body = json_pack("{s:i,s:I}", "version", 1, "branch_id", (json_int_t)other);
    assert_int_equal(res_update(&f->x, &loop, id, body, &out, &e), R_EINTERNAL);
    assert_string_equal(e.code, "cascade_too_deep");
    json_decref(body);
    assert_int_equal(fx_audit_count(f), before);
    assert_int_equal(res_get(&f->x, &res_members, id, &out, &e), 0);
    assert_int_equal(res_int(out, "branch_id"), f->branch);
    json_decref(out);
}

/* A brand moved to another branch takes its methods and their elements along, each
 * move audited and a version further on. */
static void dependents_move_along(void **state)
{
    struct fx *f = *state;
    int64_t other = fx_create(f, "branches",
                              json_pack("{s:I,s:s,s:s}", "procuratorate_id", (json_int_t)f->city, "name",
                                        "市院党支部", "kind", "党支部"));
    int64_t brand = fx_create(f, "brands",
                              json_pack("{s:I,s:s}", "branch_id", (json_int_t)f->branch, "name", "草原红帆"));
    int64_t method =
        fx_create(f, "methods", json_pack("{s:I,s:s}", "brand_id", (json_int_t)brand, "name", "四步工作法"));
    int64_t el = fx_create(f, "method-elements",
                           json_pack("{s:I,s:s}", "method_id", (json_int_t)method, "label", "一学"));
    int64_t audits = fx_audit_count(f);
    struct rerr e;
    assert_int_equal(fx_update(&f->x, "brands", brand,
                               json_pack("{s:i,s:I}", "version", 1, "branch_id", (json_int_t)other), &e),
                     0);
    assert_int_equal(fx_audit_count(f), audits + 3);
    const char *colls[] = {"methods", "method-elements"};
    int64_t ids[] = {method, el};
    for (int i = 0; i < 2; i++) {
        json_t *out = NULL;
        assert_int_equal(res_get(&f->x, res_find(colls[i]), ids[i], &out, &e), 0);
        assert_int_equal(res_int(out, "branch_id"), other);
        assert_int_equal(res_int(out, "procuratorate_id"), f->city);
        assert_int_equal(res_int(out, "version"), 2);
        json_decref(out);
    }
}

/* A branch with members cannot move to another procuratorate: its members would not
 * follow their own rules there. Refused whole. */
static void dependents_that_may_not_move(void **state)
{
    struct fx *f = *state;
    fx_create(f, "members", json_pack("{s:s,s:I}", "name", "其木格", "branch_id", (json_int_t)f->branch));
    int64_t audits = fx_audit_count(f);
    struct rerr e;
    assert_int_equal(fx_update(&f->x, "branches", f->branch,
                               json_pack("{s:i,s:I}", "version", 1, "procuratorate_id", (json_int_t)f->city),
                               &e),
                     R_ECONFLICT);
    assert_string_equal(e.code, "has_dependents");
    assert_non_null(strstr(e.message, "党员"));
    assert_int_equal(fx_audit_count(f), audits);
    assert_int_equal(fx_version(f, "branches", f->branch), 1);
}

int main(void)
{
    password_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(endless_cascade_is_an_error, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(dependents_move_along, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(dependents_that_may_not_move, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests_name("domain/resource/cascade", tests, NULL, NULL);
}
