/*
 * Unit tests for src/domain/resource/write.c: create, update and delete, the optimistic
 * lock on "version", and that a refused write changes nothing and audits nothing.
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

static void stale_version_conflicts(void **state)
{
    struct fx *f = *state;
    int64_t id =
        fx_create(f, "members", json_pack("{s:s,s:I}", "name", "王芳", "branch_id", (json_int_t)f->branch));
    json_t *out = NULL;
    struct rerr e = {0};
    json_t *p1 = json_pack("{s:i,s:s}", "version", 1, "position", "检察官");
    assert_int_equal(res_update(&f->x, res_find("members"), id, p1, &out, &e), 0);
    assert_int_equal(res_int(out, "version"), 2);
    json_decref(out);
    out = NULL;
    int64_t before = fx_audit_count(f);
    json_t *p2 = json_pack("{s:i,s:s}", "version", 1, "position", "书记员");
    assert_int_equal(res_update(&f->x, res_find("members"), id, p2, &out, &e), R_ECONFLICT);
    assert_string_equal(e.code, "version_conflict");
    assert_int_equal(fx_audit_count(f), before);
    assert_int_equal(res_get(&f->x, res_find("members"), id, &out, &e), 0);
    assert_string_equal(res_str(out, "position"), "检察官");
    json_decref(out);
    json_decref(p1);
    json_decref(p2);
}

/* Each refused update leaves the record, its version and the audit as they were. */
static void refused_updates_change_nothing(void **state)
{
    struct fx *f = *state;
    int64_t id =
        fx_create(f, "members", json_pack("{s:s,s:I}", "name", "王芳", "branch_id", (json_int_t)f->branch));
    int64_t audits = fx_audit_count(f);
    struct {
        const char *json;
        int rc;
        const char *code;
    } cases[] = {
        {"{\"version\": 1, \"bogus\": 1}", R_EINVAL, "unknown_field"},
        {"{\"position\": \"书记员\"}", R_EINVAL, "required"}, /* no version */
        {"{\"version\": \"1\", \"position\": \"x\"}", R_EINVAL, "invalid_type"},
        {"{\"version\": 2, \"position\": \"x\"}", R_ECONFLICT, "version_conflict"}, /* ahead */
        {"{\"version\": 0, \"position\": \"x\"}", R_ECONFLICT, "version_conflict"},
        {"[1]", R_EINVAL, "invalid_type"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rerr e;
        int rc = fx_update(&f->x, "members", id, json_loads(cases[i].json, JSON_DECODE_ANY, NULL), &e);
        if (rc != cases[i].rc || strcmp(e.code, cases[i].code))
            fail_msg("case %zu: got %d %s, want %d %s", i, rc, e.code, cases[i].rc, cases[i].code);
    }
    assert_int_equal(fx_version(f, "members", id), 1);
    assert_int_equal(fx_audit_count(f), audits);
    struct rerr e;
    assert_int_equal(fx_update(&f->x, "members", 9999, json_pack("{s:i}", "version", 1), &e), R_ENOTFOUND);
    /* the right version: changed, one version on, one audit entry */
    assert_int_equal(
        fx_update(&f->x, "members", id, json_pack("{s:i,s:s}", "version", 1, "position", "x"), &e), 0);
    assert_int_equal(fx_version(f, "members", id), 2);
    assert_int_equal(fx_audit_count(f), audits + 1);
}

static void deletes(void **state)
{
    struct fx *f = *state;
    int64_t id =
        fx_create(f, "members", json_pack("{s:s,s:I}", "name", "王芳", "branch_id", (json_int_t)f->branch));
    int64_t audits = fx_audit_count(f);
    const struct resource *m = res_find("members");
    struct rerr e = {0};
    assert_int_equal(res_delete(&f->x, m, id, -1, &e), R_EINVAL); /* no version given */
    assert_string_equal(e.code, "required");
    assert_int_equal(res_delete(&f->x, m, id, 2, &e), R_ECONFLICT);
    assert_string_equal(e.code, "version_conflict");
    assert_int_equal(fx_audit_count(f), audits);
    /* a branch its members still name is in use */
    assert_int_equal(
        res_delete(&f->x, res_find("branches"), f->branch, fx_version(f, "branches", f->branch), &e),
        R_ECONFLICT);
    assert_string_equal(e.code, "in_use");
    assert_int_equal(fx_audit_count(f), audits);
    assert_int_equal(res_delete(&f->x, m, id, 1, &e), 0);
    assert_int_equal(fx_audit_count(f), audits + 1);
    json_t *out = NULL;
    assert_int_equal(res_get(&f->x, m, id, &out, &e), R_ENOTFOUND);
    assert_int_equal(res_delete(&f->x, m, id, 1, &e), R_ENOTFOUND);
}

/* Created: the columns the writer sets itself, version 1, audited. */
static void creates(void **state)
{
    struct fx *f = *state;
    int64_t audits = fx_audit_count(f);
    json_t *out = NULL;
    struct rerr e = {0};
    json_t *body =
        json_pack("{s:s,s:I,s:s}", "name", "王芳", "branch_id", (json_int_t)f->branch, "position", "");
    assert_int_equal(res_create(&f->x, res_find("members"), body, &out, &e), 0);
    json_decref(body);
    assert_int_equal(res_int(out, "version"), 1);
    assert_non_null(res_str(out, "created_at"));
    assert_string_equal(res_str(out, "created_at"), res_str(out, "updated_at"));
    assert_true(json_is_null(json_object_get(out, "position")));          /* "" clears */
    assert_false(json_is_true(json_object_get(out, "quota_prosecutor"))); /* the column default */
    json_decref(out);
    /* the member's, and its first term's, which the members' after_write hook writes and
     * audits itself (domain/partylife.h) */
    assert_int_equal(fx_audit_count(f), audits + 2);
}

int main(void)
{
    password_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(stale_version_conflicts, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(refused_updates_change_nothing, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(deletes, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(creates, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests_name("domain/resource/write", tests, NULL, NULL);
}
