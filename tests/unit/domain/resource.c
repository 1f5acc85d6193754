/*
 * Unit tests for src/domain/resource.c on a real SQLite file: validation, derived scope,
 * optimistic locking, audit in the same transaction. (The audit chain's own tests are in
 * tests/unit/auth/audit.c.)
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
#include <unistd.h>

#include "auth/audit.h"
#include "auth/password.h"
#include "domain/resource.h"
#include "store/store.h"

#define FIXTURE_NAME "resource"
#include "fixture.h"

static int64_t audit_count(struct fx *f)
{
    store_stmt *st = store_prepare(f->c, "SELECT count(*) FROM audit");
    store_step(st, NULL);
    int64_t n = store_col_int(st, 0);
    store_done(st);
    return n;
}

static void member_scope_is_derived(void **state)
{
    struct fx *f = *state;
    json_t *out = NULL;
    struct rerr e = {0};
    json_t *body = json_pack("{s:s,s:I}", "name", "巴特尔", "branch_id", (json_int_t)f->branch);
    assert_int_equal(res_create(&f->x, res_find("members"), body, &out, &e), 0);
    assert_int_equal(res_int(out, "procuratorate_id"), f->county);
    assert_int_equal(res_int(out, "version"), 1);
    assert_null(json_object_get(out, "name_key")); /* hidden column */
    json_decref(body);
    json_decref(out);
}

static void bad_input_changes_nothing(void **state)
{
    struct fx *f = *state;
    int64_t before = audit_count(f);
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
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *body = json_loads(cases[i].json, 0, NULL);
        /* branch 1 in the fixture is the county branch */
        json_t *out = NULL;
        struct rerr e = {0};
        int rc = res_create(&f->x, res_find("members"), body, &out, &e);
        json_decref(body);
        if (rc != cases[i].rc || strcmp(e.code, cases[i].code) != 0)
            fail_msg("case %zu: got %d %s, want %d %s", i, rc, e.code, cases[i].rc, cases[i].code);
        assert_null(out);
    }
    assert_int_equal(audit_count(f), before);
}

static void stale_version_conflicts(void **state)
{
    struct fx *f = *state;
    int64_t id =
        create(f, "members", json_pack("{s:s,s:I}", "name", "王芳", "branch_id", (json_int_t)f->branch));
    json_t *out = NULL;
    struct rerr e = {0};
    json_t *p1 = json_pack("{s:i,s:s}", "version", 1, "position", "检察官");
    assert_int_equal(res_update(&f->x, res_find("members"), id, p1, &out, &e), 0);
    assert_int_equal(res_int(out, "version"), 2);
    json_decref(out);
    out = NULL;
    int64_t before = audit_count(f);
    json_t *p2 = json_pack("{s:i,s:s}", "version", 1, "position", "书记员");
    assert_int_equal(res_update(&f->x, res_find("members"), id, p2, &out, &e), R_ECONFLICT);
    assert_string_equal(e.code, "version_conflict");
    assert_int_equal(audit_count(f), before);
    assert_int_equal(res_get(&f->x, res_find("members"), id, &out, &e), 0);
    assert_string_equal(res_str(out, "position"), "检察官");
    json_decref(out);
    json_decref(p1);
    json_decref(p2);
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

/* The text a list is sent as is the same JSON as the list built as a tree. */
static void list_text_matches_tree(void **state)
{
    struct fx *f = *state;
    const char *names[] = {"引号\"名", "反斜杠\\名", "换行\n名", "ᠪᠠᠲᠦ 巴特尔"};
    for (int i = 0; i < 4; i++)
        create(f, "members",
               json_pack("{s:s,s:I,s:s,s:b}", "name", names[i], "branch_id", (json_int_t)f->branch,
                         "birth_date", "1990-01-02", "quota_prosecutor", i % 2));
    const char *colls[] = {"members", "branches", "procuratorates", "users"};
    for (int i = 0; i < 4; i++) {
        struct res_query q = {.n = 1, .key = {"per_page"}, .val = {"500"}};
        json_t *tree;
        char *text;
        size_t len;
        struct rerr e = {0};
        assert_int_equal(res_list(&f->x, res_find(colls[i]), &q, &tree, &e), 0);
        assert_int_equal(res_list_text(&f->x, res_find(colls[i]), &q, &text, &len, &e), 0);
        json_t *parsed = json_loads(text, 0, NULL);
        assert_non_null(parsed);
        if (!json_equal(parsed, tree))
            fail_msg("%s: text and tree differ:\n%s", colls[i], text);
        assert_null(strstr(text, "password_hash"));
        assert_null(strstr(text, "name_key"));
        json_decref(parsed);
        json_decref(tree);
        free(text);
    }
}

int main(void)
{
    password_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(member_scope_is_derived, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_input_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(stale_version_conflicts, setup, teardown),
        cmocka_unit_test_setup_teardown(county_admin_cannot_write_city, setup, teardown),
        cmocka_unit_test_setup_teardown(list_text_matches_tree, setup, teardown),
    };
    return cmocka_run_group_tests_name("domain/resource", tests, NULL, NULL);
}
