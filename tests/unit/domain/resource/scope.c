/*
 * Unit tests for src/domain/resource/scope.c: the scope derived from the parent row, the
 * read and write checks (a row out of read scope looks like one that does not exist; in
 * read scope but not writable is 403), and the audit entry of each write.
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

#include "../fixture.h"

static void member_scope_is_derived(void **state)
{
    struct fx *f = *state;
    json_t *out = NULL;
    struct rerr e = {0};
    json_t *body = json_pack("{s:s,s:I,s:I}", "name", "巴特尔", "branch_id", (json_int_t)f->branch,
                             "procuratorate_id", (json_int_t)f->city); /* derived: ignored */
    assert_int_equal(res_create(&f->x, res_find("members"), body, &out, &e), 0);
    assert_int_equal(res_int(out, "procuratorate_id"), f->county);
    assert_int_equal(res_int(out, "version"), 1);
    assert_null(json_object_get(out, "name_key")); /* hidden column */
    json_decref(body);
    /* the audit entry names the row's procuratorate */
    store_stmt *st = store_prepare(f->c, "SELECT procuratorate_id, action, username FROM audit"
                                         " WHERE entity = 'members' AND entity_id = ?");
    store_bind_int(st, 1, res_int(out, "id"));
    assert_int_equal(store_step(st, NULL), STORE_ROW);
    assert_int_equal(store_col_int(st, 0), f->county);
    assert_string_equal(store_col_text(st, 1), "create");
    store_done(st);
    json_decref(out);
}

static void county_admin_cannot_write_city(void **state)
{
    struct fx *f = *state;
    struct actor county = {.user_id = 5, .role = ROLE_ADMIN, .procuratorate_id = f->county};
    strcpy(county.username, "county");
    struct res_ctx x = {.c = f->c, .who = &county, .a = f->x.a};
    json_t *out = NULL;
    struct rerr e = {0};
    json_t *b = json_pack("{s:I,s:s}", "procuratorate_id", (json_int_t)f->city, "name", "越权部门");
    assert_int_equal(res_create(&x, res_find("departments"), b, &out, &e), R_EFORBID);
    json_decref(b);
    b = json_pack("{s:I,s:s}", "procuratorate_id", (json_int_t)f->county, "name", "本院部门");
    assert_int_equal(res_create(&x, res_find("departments"), b, &out, &e), 0);
    json_decref(b);
    json_decref(out);
}

/* Reading, updating or deleting a row of another procuratorate is answered exactly as
 * a row that does not exist; a row one may read but not write is 403. */
static void out_of_scope_looks_absent(void **state)
{
    struct fx *f = *state;
    int64_t city_branch = fx_create(f, "branches",
                                    json_pack("{s:I,s:s,s:s}", "procuratorate_id", (json_int_t)f->city,
                                              "name", "市院党支部", "kind", "党支部"));
    int64_t there = fx_create(
        f, "members", json_pack("{s:s,s:I}", "name", "市院党员", "branch_id", (json_int_t)city_branch));
    int64_t here = fx_create(f, "members",
                             json_pack("{s:s,s:I}", "name", "旗院党员", "branch_id", (json_int_t)f->branch));
    const struct resource *m = res_find("members");
    struct actor cadmin = fx_actor(60, ROLE_ADMIN, f->county, 0, false);
    struct actor cviewer = fx_actor(61, ROLE_VIEWER, f->county, 0, false);
    struct actor city_viewer = fx_actor(62, ROLE_VIEWER, f->city, 0, true);
    struct res_ctx xa = fx_as(f, &cadmin), xv = fx_as(f, &cviewer), xcv = fx_as(f, &city_viewer);
    int64_t audits = fx_audit_count(f);
    json_t *out = NULL;
    struct rerr e = {0}, absent = {0};
    assert_int_equal(res_get(&xv, m, 99999, &out, &absent), R_ENOTFOUND);
    assert_int_equal(res_get(&xv, m, there, &out, &e), R_ENOTFOUND);
    assert_string_equal(e.code, absent.code);
    assert_null(out);
    assert_int_equal(
        fx_update(&xa, "members", there, json_pack("{s:i,s:s}", "version", 1, "position", "x"), &e),
        R_ENOTFOUND);
    assert_string_equal(e.code, "not_found");
    assert_int_equal(res_delete(&xa, m, there, 1, &e), R_ENOTFOUND);
    /* in read scope, not writable: forbidden */
    assert_int_equal(res_get(&xcv, m, here, &out, &e), 0);
    json_decref(out);
    assert_int_equal(
        fx_update(&xcv, "members", here, json_pack("{s:i,s:s}", "version", 1, "position", "x"), &e),
        R_EFORBID);
    assert_int_equal(res_delete(&xv, m, here, 1, &e), R_EFORBID);
    assert_int_equal(fx_audit_count(f), audits);
    assert_int_equal(fx_version(f, "members", there), 1);
    assert_int_equal(fx_version(f, "members", here), 1);
    /* the county's own administrator may */
    assert_int_equal(
        fx_update(&xa, "members", here, json_pack("{s:i,s:s}", "version", 1, "position", "x"), &e), 0);
    assert_int_equal(fx_audit_count(f), audits + 1);
}

/* A secretary writes the records of their own branch only. */
static void secretaries_write_their_branch(void **state)
{
    struct fx *f = *state;
    int64_t other = fx_create(f, "branches",
                              json_pack("{s:I,s:s,s:s}", "procuratorate_id", (json_int_t)f->county, "name",
                                        "旗院第二党支部", "kind", "党支部"));
    struct actor sec = fx_actor(70, ROLE_SECRETARY, f->county, f->branch, false);
    struct res_ctx x = fx_as(f, &sec);
    struct rerr e;
    assert_true(fx_try(&x, "members",
                       json_pack("{s:s,s:I}", "name", "本支部", "branch_id", (json_int_t)f->branch), &e) > 0);
    assert_int_equal(
        fx_try(&x, "members", json_pack("{s:s,s:I}", "name", "别的支部", "branch_id", (json_int_t)other), &e),
        R_EFORBID);
    int64_t id =
        fx_create(f, "members", json_pack("{s:s,s:I}", "name", "别的", "branch_id", (json_int_t)other));
    assert_int_equal(fx_update(&x, "members", id, json_pack("{s:i,s:s}", "version", 1, "position", "x"), &e),
                     R_EFORBID);
    /* nor may they move one of their own into another branch */
    int64_t own = fx_create(f, "members",
                            json_pack("{s:s,s:I}", "name", "本支部二", "branch_id", (json_int_t)f->branch));
    assert_int_equal(fx_update(&x, "members", own,
                               json_pack("{s:i,s:I}", "version", 1, "branch_id", (json_int_t)other), &e),
                     R_EFORBID);
    assert_int_equal(fx_version(f, "members", own), 1);
}

int main(void)
{
    password_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(member_scope_is_derived, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(county_admin_cannot_write_city, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(out_of_scope_looks_absent, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(secretaries_write_their_branch, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests_name("domain/resource/scope", tests, NULL, NULL);
}
