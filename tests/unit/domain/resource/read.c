/*
 * Unit tests for src/domain/resource/read.c: one record, its history (visible to whom,
 * and which entries), and lookups of referenced rows, on a real SQLite file.
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

/* The number of history entries "x" sees for member "id", or the error's rc. */
static int history(struct res_ctx *x, int64_t id, struct rerr *e)
{
    json_t *out = NULL;
    *e = (struct rerr){0};
    int rc = res_history(x, res_find("members"), id, &out, e);
    if (rc < 0) {
        assert_null(out);
        return rc;
    }
    int n = (int)json_array_size(json_object_get(out, "items"));
    assert_int_equal(res_int(out, "total"), n);
    json_decref(out);
    return n;
}

/* History is the audit's: administrators and viewers, and a county reader only the
 * entries written while the record was in their procuratorate. Others get not found. */
static void history_visibility(void **state)
{
    struct fx *f = *state;
    int64_t city_branch = fx_create(f, "branches",
                                    json_pack("{s:I,s:s,s:s}", "procuratorate_id", (json_int_t)f->city,
                                              "name", "市院党支部", "kind", "党支部"));
    int64_t id = fx_create(f, "members",
                           json_pack("{s:s,s:I}", "name", "调动者", "branch_id", (json_int_t)city_branch));
    struct rerr e;
    assert_int_equal(fx_update(&f->x, "members", id,
                               json_pack("{s:i,s:I}", "version", 1, "branch_id", (json_int_t)f->branch), &e),
                     0);
    assert_int_equal(
        fx_update(&f->x, "members", id, json_pack("{s:i,s:s}", "version", 2, "position", "检察官"), &e), 0);
    struct actor cadmin = fx_actor(80, ROLE_ADMIN, f->county, 0, false);
    struct actor cviewer = fx_actor(81, ROLE_VIEWER, f->county, 0, false);
    struct actor city = fx_actor(82, ROLE_ADMIN, f->city, 0, true);
    struct actor sec = fx_actor(83, ROLE_SECRETARY, f->county, f->branch, false);
    struct res_ctx xa = fx_as(f, &cadmin), xv = fx_as(f, &cviewer), xc = fx_as(f, &city), xs = fx_as(f, &sec);
    assert_int_equal(history(&f->x, id, &e), 3);
    assert_int_equal(history(&xc, id, &e), 3);
    assert_int_equal(history(&xa, id, &e), 2); /* not the entry written in the city */
    assert_int_equal(history(&xv, id, &e), 2);
    assert_int_equal(history(&xs, id, &e), R_ENOTFOUND); /* may read the member, not the audit */
    assert_string_equal(e.code, "not_found");
    json_t *out = NULL;
    assert_int_equal(res_get(&xs, res_find("members"), id, &out, &e), 0);
    json_decref(out);
    assert_int_equal(history(&xa, 99999, &e), R_ENOTFOUND);
    /* newest first */
    assert_int_equal(res_history(&f->x, res_find("members"), id, &out, &e), 0);
    json_t *items = json_object_get(out, "items");
    assert_true(res_int(json_array_get(items, 0), "id") > res_int(json_array_get(items, 2), "id"));
    assert_string_equal(res_str(json_array_get(items, 2), "action"), "create");
    json_decref(out);
}

static void gets(void **state)
{
    struct fx *f = *state;
    json_t *out = NULL;
    struct rerr e = {0};
    assert_int_equal(res_get(&f->x, res_find("branches"), f->branch, &out, &e), 0);
    assert_string_equal(res_str(out, "name"), "旗院党支部");
    assert_string_equal(res_str(out, "procuratorate_name"), "旗院"); /* an extra */
    json_decref(out);
    out = NULL;
    assert_int_equal(res_get(&f->x, res_find("branches"), 424242, &out, &e), R_ENOTFOUND);
    assert_string_equal(e.code, "not_found");
    assert_null(out);
    /* a collection closed to the role: forbidden, whatever the id */
    struct actor sec = fx_actor(90, ROLE_SECRETARY, f->county, f->branch, false);
    struct res_ctx xs = fx_as(f, &sec);
    assert_int_equal(res_get(&xs, res_find("users"), 424242, &out, &e), R_EFORBID);
}

/* A referenced row out of the reader's scope is answered as one that does not exist. */
static void lookups(void **state)
{
    struct fx *f = *state;
    int64_t city_branch = fx_create(f, "branches",
                                    json_pack("{s:I,s:s,s:s}", "procuratorate_id", (json_int_t)f->city,
                                              "name", "市院党支部", "kind", "党支部"));
    int64_t there = fx_create(
        f, "members", json_pack("{s:s,s:I}", "name", "市院党员", "branch_id", (json_int_t)city_branch));
    struct actor county = fx_actor(91, ROLE_VIEWER, f->county, 0, false);
    struct res_ctx x = fx_as(f, &county);
    int64_t v = -1;
    struct rerr e = {0}, absent = {0};
    assert_int_equal(res_lookup_int(&f->x, "members", "branch_id", there, "member_id", &v, &e), 0);
    assert_int_equal(v, city_branch);
    v = -1;
    assert_int_equal(res_lookup_int(&x, "members", "branch_id", there, "member_id", &v, &e), R_EUNPROC);
    assert_int_equal(res_lookup_int(&x, "members", "branch_id", 99999, "member_id", &v, &absent), R_EUNPROC);
    assert_string_equal(e.code, "invalid_reference");
    assert_string_equal(e.field, "member_id");
    assert_string_equal(absent.code, e.code);
    assert_int_equal(v, -1);
    /* branches are readable by everyone signed in: not narrowed */
    assert_int_equal(res_lookup_int(&x, "branches", "procuratorate_id", city_branch, "branch_id", &v, &e), 0);
    assert_int_equal(v, f->city);
    assert_ptr_equal(res_of_table("party_groups"), res_find("party-groups"));
    assert_null(res_of_table("nothing"));
}

int main(void)
{
    password_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(history_visibility, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(gets, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(lookups, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests_name("domain/resource/read", tests, NULL, NULL);
}
