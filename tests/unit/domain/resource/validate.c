/*
 * Unit tests for src/domain/resource/validate.c: request bodies checked against the
 * fields (unknown and read-only names, types, null, empty text) and the references of
 * the row they make.
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

static void bad_input_changes_nothing(void **state)
{
    struct fx *f = *state;
    int64_t before = fx_audit_count(f);
    struct {
        const char *json;
        int rc;
        const char *code;
    } cases[] = {
        {"{\"name\": 5, \"branch_id\": 1}", R_EINVAL, "invalid_type"},
        {"{\"name\": \"x\"}", R_EINVAL, "required"},
        {"{\"name\": \"x\", \"branch_id\": 99}", R_EUNPROC, "invalid_reference"},
        {"{\"name\": \"x\", \"branch_id\": 1, \"birth_date\": \"2023-02-30\"}", R_EINVAL, "invalid_date"},
        {"{\"name\": \"x\", \"branch_id\": 1, \"bogus\": 1}", R_EINVAL, "unknown_field"},
        /* an empty key once sent the ignored-names lookup into an endless loop */
        {"{\"name\": \"x\", \"branch_id\": 1, \"\": 1}", R_EINVAL, "unknown_field"},
        {"{\"name\": \"x\", \"branch_id\": 1, \"languages\": \"fr\"}", R_EINVAL, "invalid_value"},
        {"{\"name\": \"x\", \"branch_id\": 1, \"birth_date\": \"2000-01-01\", \"joined_party\": "
         "\"2010-01-01\"}",
         R_EUNPROC, "inconsistent"},
        /* FF_NOTNULL: null is refused */
        {"{\"name\": \"x\", \"branch_id\": 1, \"quota_prosecutor\": null}", R_EINVAL, "required"},
        {"{\"name\": null, \"branch_id\": 1}", R_EINVAL, "required"},
        {"[]", R_EINVAL, "invalid_type"},
        {"\"members\"", R_EINVAL, "invalid_type"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *body = json_loads(cases[i].json, JSON_DECODE_ANY, NULL);
        /* branch 1 in the fixture is the county branch */
        json_t *out = NULL;
        struct rerr e = {0};
        int rc = res_create(&f->x, res_find("members"), body, &out, &e);
        json_decref(body);
        if (rc != cases[i].rc || strcmp(e.code, cases[i].code) != 0)
            fail_msg("case %zu: got %d %s, want %d %s", i, rc, e.code, cases[i].rc, cases[i].code);
        assert_null(out);
    }
    assert_int_equal(fx_audit_count(f), before);
}

/* What a record was read as may be sent back: the read-only names are ignored, an empty
 * text clears a nullable field. */
static void read_only_names_echoed(void **state)
{
    struct fx *f = *state;
    json_t *rec = NULL;
    struct rerr e = {0};
    assert_int_equal(res_get(&f->x, res_find("branches"), f->branch, &rec, &e), 0);
    assert_non_null(json_object_get(rec, "member_count")); /* an extra, in .ignored */
    json_object_set_new(rec, "secretary_name", json_string("乌兰"));
    json_object_set_new(rec, "created_at", json_string("2000-01-01 00:00:00")); /* echoed: ignored */
    json_t *out = NULL;
    assert_int_equal(res_update(&f->x, res_find("branches"), f->branch, rec, &out, &e), 0);
    assert_string_equal(res_str(out, "secretary_name"), "乌兰");
    assert_string_not_equal(res_str(out, "created_at"), "2000-01-01 00:00:00");
    json_decref(out);
    json_decref(rec);
    assert_int_equal(fx_update(&f->x, "branches", f->branch,
                               json_pack("{s:I,s:s}", "version", (json_int_t)2, "secretary_name", ""), &e),
                     0);
    assert_int_equal(res_get(&f->x, res_find("branches"), f->branch, &rec, &e), 0);
    assert_true(json_is_null(json_object_get(rec, "secretary_name")));
    json_decref(rec);
    /* "version" is not a writable column: an update cannot set it */
    assert_int_equal(
        fx_update(&f->x, "branches", f->branch, json_pack("{s:I}", "version", (json_int_t)3), &e), 0);
    assert_int_equal(fx_version(f, "branches", f->branch), 4);
}

/* FF_SAME_PROC: a department of another procuratorate is inconsistent. */
static void references_in_the_same_procuratorate(void **state)
{
    struct fx *f = *state;
    int64_t city_dept =
        fx_create(f, "departments",
                  json_pack("{s:I,s:s}", "procuratorate_id", (json_int_t)f->city, "name", "市院办公室"));
    int64_t own =
        fx_create(f, "departments",
                  json_pack("{s:I,s:s}", "procuratorate_id", (json_int_t)f->county, "name", "旗院办公室"));
    struct rerr e;
    assert_int_equal(fx_try(&f->x, "members",
                            json_pack("{s:s,s:I,s:I}", "name", "x", "branch_id", (json_int_t)f->branch,
                                      "department_id", (json_int_t)city_dept),
                            &e),
                     R_EUNPROC);
    assert_string_equal(e.code, "inconsistent");
    assert_string_equal(e.field, "department_id");
    assert_true(fx_try(&f->x, "members",
                       json_pack("{s:s,s:I,s:I}", "name", "x", "branch_id", (json_int_t)f->branch,
                                 "department_id", (json_int_t)own),
                       &e) > 0);
    assert_int_equal(fx_try(&f->x, "members",
                            json_pack("{s:s,s:I,s:I}", "name", "y", "branch_id", (json_int_t)f->branch,
                                      "department_id", (json_int_t)9999),
                            &e),
                     R_EUNPROC);
    assert_string_equal(e.code, "invalid_reference");
}

int main(void)
{
    password_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(bad_input_changes_nothing, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(read_only_names_echoed, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(references_in_the_same_procuratorate, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests_name("domain/resource/validate", tests, NULL, NULL);
}
