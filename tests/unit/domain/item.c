/*
 * domain/item: a generic link is checked against the allow-list, the target's existence
 * and the reader's scope, answering a record one may not read as one that is absent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <string.h>

#include "domain/item.h"
#include "fixture.h"

static const char *const allowed[] = {"honours", "members", "no-such-collection", NULL};

static void checks(void **state)
{
    struct fx *f = *state;
    int64_t m = fx_create(f, "members",
                          json_pack("{s:I,s:s,s:s}", "branch_id", (json_int_t)f->branch, "name", "李某",
                                    "birth_date", "1985-03-04"));
    struct rerr err = {0};
    struct item_ref ref;
    assert_int_equal(item_check(&f->x, "members", m, allowed, "item_id", &ref, &err), 0);
    assert_int_equal(ref.procuratorate_id, f->county);
    assert_int_equal(ref.branch_id, f->branch);
    assert_string_equal(ref.title, "李某");
    assert_string_equal(ref.label, "党员");
    assert_null(ref.date);

    assert_int_equal(item_check(&f->x, "branches", f->branch, allowed, "item_coll", NULL, &err), R_EINVAL);
    assert_string_equal(err.code, "invalid_value");
    assert_string_equal(err.field, "item_coll");
    /* allowed but not a collection the server has */
    assert_int_equal(item_check(&f->x, "no-such-collection", 1, allowed, "item_coll", NULL, &err), R_EINVAL);
    assert_int_equal(item_check(&f->x, NULL, 1, allowed, "item_coll", NULL, &err), R_EINVAL);
    assert_string_equal(err.code, "required");
    assert_int_equal(item_check(&f->x, "members", 0, allowed, "item_id", NULL, &err), R_EINVAL);
    assert_int_equal(item_check(&f->x, "members", m + 1000, allowed, "item_id", NULL, &err), R_EUNPROC);
    assert_string_equal(err.code, "invalid_reference");

    /* the city's administrator without the whole scope reads only their own procuratorate */
    struct actor city = fx_actor(50, ROLE_ADMIN, f->city, 0, false);
    struct res_ctx cx = fx_as(f, &city);
    assert_int_equal(item_check(&cx, "members", m, allowed, "item_id", NULL, &err), R_EUNPROC);
    assert_string_equal(err.code, "invalid_reference");

    /* a known link described without the checks; gone is 404 */
    assert_int_equal(item_describe(&cx, "members", m, &ref, &err), 0);
    assert_int_equal(item_describe(&cx, "members", m + 1000, &ref, &err), R_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(checks, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests_name("domain/item", tests, NULL, NULL);
}
