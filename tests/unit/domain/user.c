/*
 * Unit tests for src/domain/user.c: the users collection's own rules, through
 * res_create, res_update and res_delete: user names, a password for every new account,
 * a secretary's branch, nobody changing their own role, and an account that has signed
 * in being disabled rather than deleted.
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

#include "fixture.h"

#define PW "Caoyuan-Hongfan-2024"

static json_t *user(const char *name, const char *role, int64_t proc)
{
    return json_pack("{s:s,s:s,s:s,s:I,s:s}", "username", name, "display_name", "用户", "role", role,
                     "procuratorate_id", (json_int_t)proc, "password", PW);
}

static void names_and_passwords(void **state)
{
    struct fx *f = *state;
    struct rerr e;
    assert_int_equal(fx_try(&f->x, "users", user("bad name", "admin", f->county), &e), R_EINVAL);
    assert_string_equal(e.code, "invalid_value");
    assert_string_equal(e.field, "username");
    assert_int_equal(fx_try(&f->x, "users", user("巴特尔", "admin", f->county), &e), R_EINVAL);
    assert_string_equal(e.field, "username");
    json_t *nopw = user("nopw", "admin", f->county);
    json_object_del(nopw, "password");
    assert_int_equal(fx_try(&f->x, "users", nopw, &e), R_EINVAL);
    assert_string_equal(e.code, "required");
    assert_string_equal(e.field, "password");
    json_t *weak = user("weak", "admin", f->county);
    json_object_set_new(weak, "password", json_string("123456"));
    assert_int_equal(fx_try(&f->x, "users", weak, &e), R_EINVAL);
    assert_string_equal(e.field, "password");
    int64_t id = fx_try(&f->x, "users", user("ok.name-1_x", "admin", f->county), &e);
    assert_true(id > 0);
    json_t *out = NULL;
    assert_int_equal(res_get(&f->x, res_find("users"), id, &out, &e), 0);
    assert_null(json_object_get(out, "password"));
    assert_null(json_object_get(out, "password_hash"));
    json_decref(out);
    /* the hash is stored, and is the password's */
    store_stmt *st = store_prepare(f->c, "SELECT password_hash FROM users WHERE id = ?");
    store_bind_int(st, 1, id);
    assert_int_equal(store_step(st, NULL), STORE_ROW);
    assert_true(password_verify(store_col_text(st, 0), PW));
    store_done(st);
    /* nor does the audit keep either */
    st = store_prepare(f->c, "SELECT after FROM audit WHERE entity = 'users' AND entity_id = ?");
    store_bind_int(st, 1, id);
    assert_int_equal(store_step(st, NULL), STORE_ROW);
    assert_null(strstr(store_col_text(st, 0), "password"));
    store_done(st);
    /* an update need not give the password again */
    assert_int_equal(
        fx_update(&f->x, "users", id, json_pack("{s:i,s:s}", "version", 1, "display_name", "新名"), &e), 0);
}

static void secretary_needs_a_branch(void **state)
{
    struct fx *f = *state;
    struct rerr e;
    assert_true(fx_try(&f->x, "users", user("sec1", "secretary", f->county), &e) < 0);
    assert_string_equal(e.code, "required");
    assert_string_equal(e.field, "branch_id");
    json_t *b = user("sec2", "secretary", f->county);
    json_object_set_new(b, "branch_id", json_integer(f->branch));
    int64_t id = fx_try(&f->x, "users", b, &e);
    assert_true(id > 0);
    /* the branch must be of the user's procuratorate */
    b = user("sec3", "secretary", f->city);
    json_object_set_new(b, "branch_id", json_integer(f->branch));
    assert_int_equal(fx_try(&f->x, "users", b, &e), R_EUNPROC);
    assert_string_equal(e.field, "branch_id");
    /* nor may the branch be taken away later */
    assert_true(fx_update(&f->x, "users", id, json_pack("{s:i,s:n}", "version", 1, "branch_id"), &e) < 0);
    assert_string_equal(e.field, "branch_id");
}

static void own_role_is_not_ones_own(void **state)
{
    struct fx *f = *state;
    struct rerr e;
    int64_t id = fx_try(&f->x, "users", user("self", "admin", f->county), &e);
    assert_true(id > 0);
    struct actor me = fx_actor(id, ROLE_ADMIN, f->county, 0, false);
    struct res_ctx x = fx_as(f, &me);
    assert_int_equal(fx_update(&x, "users", id, json_pack("{s:i,s:s}", "version", 1, "role", "viewer"), &e),
                     R_EFORBID);
    assert_string_equal(e.field, "role");
    assert_int_equal(fx_update(&x, "users", id, json_pack("{s:i,s:b}", "version", 1, "disabled", 1), &e),
                     R_EFORBID);
    assert_int_equal(
        fx_update(&x, "users", id, json_pack("{s:i,s:s}", "version", 1, "display_name", "我"), &e), 0);
    /* another administrator may */
    struct actor other = fx_actor(id + 100, ROLE_ADMIN, f->county, 0, false);
    struct res_ctx xo = fx_as(f, &other);
    assert_int_equal(fx_update(&xo, "users", id, json_pack("{s:i,s:s}", "version", 2, "role", "viewer"), &e),
                     0);
    /* a county administrator makes no account outside the county */
    assert_int_equal(fx_try(&x, "users", user("cityuser", "admin", f->city), &e), R_EFORBID);
}

static void signed_in_is_not_deletable(void **state)
{
    struct fx *f = *state;
    struct rerr e;
    int64_t used = fx_try(&f->x, "users", user("used", "viewer", f->county), &e);
    int64_t unused = fx_try(&f->x, "users", user("unused", "viewer", f->county), &e);
    store_stmt *st =
        store_prepare(f->c, "INSERT INTO sessions(token_hash, user_id, csrf_token, created_at, expires_at)"
                            " VALUES ('h', ?, 'c', '2024-01-01', '2099-01-01')");
    store_bind_int(st, 1, used);
    assert_int_equal(store_step(st, NULL), STORE_DONE);
    store_done(st);
    int64_t audits = fx_audit_count(f);
    assert_int_equal(res_delete(&f->x, res_find("users"), used, 1, &e), R_ECONFLICT);
    assert_string_equal(e.code, "user_has_signed_in");
    assert_int_equal(fx_audit_count(f), audits);
    assert_int_equal(fx_version(f, "users", used), 1);
    assert_int_equal(res_delete(&f->x, res_find("users"), unused, 1, &e), 0);
}

int main(void)
{
    password_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(names_and_passwords, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(secretary_needs_a_branch, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(own_role_is_not_ones_own, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(signed_in_is_not_deletable, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests_name("domain/user", tests, NULL, NULL);
}
