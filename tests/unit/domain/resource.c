/*
 * Unit tests for the resource engine (src/domain/resource/) on a real SQLite file: validation, derived scope,
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
#include <time.h>
#include <unistd.h>

#include "auth/audit.h"
#include "auth/password.h"
#include "base/text.h"
#include "domain/member.h"
#include "domain/org.h"
#include "domain/resource.h"
#include "jobs/jobs.h"
#include "store/store.h"

#include "fixture.h"

static int setup(void **state)
{
    *state = fx_open("unit");
    return 0;
}

static int teardown(void **state)
{
    fx_close(*state);
    return 0;
}

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
        fx_create(f, "members", json_pack("{s:s,s:I}", "name", "王芳", "branch_id", (json_int_t)f->branch));
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
        fx_create(f, "members",
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

/* Tomorrow in Beijing, the day the server's "today" turns over. */
static void tomorrow(char out[11])
{
    time_t t = time(NULL) + 8 * 3600 + 24 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

static int create_branch(struct fx *f, const struct resource *r, const char *founded, struct rerr *e)
{
    json_t *out = NULL;
    json_t *body = json_pack("{s:I,s:s,s:s,s:s}", "procuratorate_id", (json_int_t)f->county, "name", founded,
                             "kind", "党支部", "founded", founded);
    int rc = res_create(&f->x, r, body, &out, e);
    json_decref(body);
    json_decref(out);
    return rc;
}

/* A date after today is refused unless the field says it may lie in the future
 * (FF_FUTURE: a deadline); either way it must be a real date. */
static void future_dates(void **state)
{
    struct fx *f = *state;
    char next[11], today[11];
    tomorrow(next);
    text_today(today);
    struct rerr e = {0};
    /* Without FF_FUTURE (a branch's founding date): tomorrow is refused, today is not. */
    assert_int_equal(create_branch(f, &res_branches, next, &e), R_EINVAL);
    assert_string_equal(e.code, "invalid_date");
    assert_string_equal(e.field, "founded");
    assert_non_null(strstr(e.message, "不能晚于今天"));
    assert_int_equal(create_branch(f, &res_branches, today, &e), 0);
    /* The same collection with the field marked FF_FUTURE. */
    struct field fields[64];
    assert_true(res_branches.nfields <= 64);
    memcpy(fields, res_branches.fields, (size_t)res_branches.nfields * sizeof fields[0]);
    for (int i = 0; i < res_branches.nfields; i++)
        if (!strcmp(fields[i].name, "founded"))
            fields[i].flags |= FF_FUTURE;
    struct resource deadline = res_branches;
    deadline.fields = fields;
    assert_int_equal(res_check_descriptor(&deadline, &e), 0);
    assert_int_equal(create_branch(f, &deadline, next, &e), 0);
    assert_int_equal(create_branch(f, &deadline, "2099-12-31", &e), 0);
    assert_int_equal(create_branch(f, &deadline, "2099-02-30", &e), R_EINVAL);
    assert_string_equal(e.code, "invalid_date");
}

/* Every collection is described consistently, and a descriptor that is not is reported
 * as an error by the code that meets it, never a crash. */
static void descriptors_consistent(void **state)
{
    struct fx *f = *state;
    struct rerr e = {0};
    jobs_register();
    assert_non_null(res_find("jobs"));
    for (int i = 0; res_all[i]; i++)
        if (res_check_descriptor(res_all[i], &e) < 0)
            fail_msg("%s", e.message);
    struct resource bad = res_members;
    bad.scope_from = "name"; /* not a reference */
    assert_int_equal(res_check_descriptor(&bad, &e), R_EINTERNAL);
    json_t *out = NULL;
    json_t *body = json_pack("{s:s,s:I}", "name", "巴特尔", "branch_id", (json_int_t)f->branch);
    assert_int_equal(res_create(&f->x, &bad, body, &out, &e), R_EINTERNAL);
    assert_null(out);
    json_decref(body);
    /* SQL built from a description that names what the schema has not: an error. */
    struct resource misnamed = res_members;
    misnamed.extras = "t.no_such_column AS x";
    struct res_query q = {0};
    assert_int_equal(res_list(&f->x, &misnamed, &q, &out, &e), R_EINTERNAL);
    assert_int_equal(res_get(&f->x, &misnamed, 1, &out, &e), R_EINTERNAL);
    assert_null(out);
}

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
    int64_t before = audit_count(f);
    json_t *out = NULL;
    struct rerr e = {0};
    json_t *body = json_pack("{s:i,s:I}", "version", 1, "branch_id", (json_int_t)other);
    assert_int_equal(res_update(&f->x, &loop, id, body, &out, &e), R_EINTERNAL);
    assert_string_equal(e.code, "cascade_too_deep");
    json_decref(body);
    assert_int_equal(audit_count(f), before);
    assert_int_equal(res_get(&f->x, &res_members, id, &out, &e), 0);
    assert_int_equal(res_int(out, "branch_id"), f->branch);
    json_decref(out);
}

/* Actions other than create/update/delete are declared by their collections. */
static void actions_are_declared(void **state)
{
    (void)state;
    bool other;
    jobs_register();
    const struct res_action *a = res_action_find(res_find("users"), "unlock", "POST", &other);
    assert_non_null(a);
    assert_non_null(a->run);
    assert_null(res_action_find(res_find("users"), "unlock", "GET", &other));
    assert_true(other);
    assert_null(res_action_find(res_find("users"), "history", "GET", &other));
    assert_false(other);
    a = res_action_find(res_find("jobs"), NULL, "POST", NULL);
    assert_non_null(a);
    assert_int_equal(a->status, 202);
    a = res_action_find(res_find("jobs"), "download", "GET", NULL);
    assert_non_null(a);
    assert_non_null(a->file);
    assert_null(res_action_find(res_find("members"), NULL, "POST", NULL)); /* created as records */
}

/* The columns every table has are described once; a collection's own field wins. */
static void base_columns_described_once(void **state)
{
    (void)state;
    const char *base[] = {"id",         "version",          "sample",   "created_at",
                          "updated_at", "procuratorate_id", "branch_id"};
    int n = 0;
    while (res_base_column(n))
        n++;
    assert_int_equal(n, 7);
    for (int i = 0; i < 7; i++)
        assert_string_equal(res_base_column(i)->name, base[i]);
    const struct resource *users = res_find("users"); /* no sample field of its own */
    assert_int_equal(res_column_of(users, "sample")->kind, FT_BOOL);
    assert_string_equal(res_column_of(users, "procuratorate_id")->label, "所属检察院"); /* its own */
    assert_null(res_column_of(users, "bogus"));
    assert_string_equal(res_kind_name(FT_DATE), "date");
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
        cmocka_unit_test_setup_teardown(future_dates, setup, teardown),
        cmocka_unit_test_setup_teardown(descriptors_consistent, setup, teardown),
        cmocka_unit_test_setup_teardown(endless_cascade_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(actions_are_declared, setup, teardown),
        cmocka_unit_test_setup_teardown(base_columns_described_once, setup, teardown),
    };
    return cmocka_run_group_tests_name("domain/resource", tests, NULL, NULL);
}
