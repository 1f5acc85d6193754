/*
 * Unit tests for src/domain/resource/action.c: actions declared by their collections, and
 * the check that a collection is described consistently.
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
#include "domain/member.h"
#include "domain/org.h"
#include "jobs/jobs.h"

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

static int run_nothing(struct res_ctx *x, int64_t id, json_t *body, json_t **out, struct rerr *err)
{
    return 0;
}

/* "r" is refused as a faulty descriptor whose message says "what". */
static void assert_fault(const struct resource *r, const char *what)
{
    struct rerr e = {0};
    assert_int_equal(res_check_descriptor(r, &e), R_EINTERNAL);
    assert_string_equal(e.code, "descriptor");
    if (!strstr(e.message, what))
        fail_msg("%s: %s", r->name, e.message);
}

/* Each fault res_check_descriptor knows, each on an otherwise sound descriptor. */
static void descriptor_faults(void **state)
{
    (void)state;
    struct field fields[64];
    const struct resource *base = &res_branches;
    assert_true(base->nfields <= 63);
    struct resource r;
#define FRESH()                                                                                              \
    do {                                                                                                     \
        memcpy(fields, base->fields, (size_t)base->nfields * sizeof fields[0]);                              \
        r = *base;                                                                                           \
        r.fields = fields;                                                                                   \
    } while (0)
    int kind = -1, ref = -1, text = -1;
    for (int i = 0; i < base->nfields; i++) {
        if (base->fields[i].kind == FT_ENUM)
            kind = i;
        if (base->fields[i].kind == FT_REF)
            ref = i;
        if (base->fields[i].kind == FT_TEXT)
            text = i;
    }
    assert_true(kind >= 0 && ref >= 0 && text >= 0);
    FRESH();
    struct rerr e = {0};
    assert_int_equal(res_check_descriptor(&r, &e), 0);
    FRESH();
    fields[kind].values = NULL;
    assert_fault(&r, "枚举");
    FRESH();
    fields[text].values = fields[kind].values;
    assert_fault(&r, "枚举");
    FRESH();
    fields[ref].ref = NULL;
    assert_fault(&r, "引用");
    FRESH();
    fields[text].flags |= FF_FUTURE;
    assert_fault(&r, "FF_FUTURE");
    FRESH();
    fields[text].kind = (enum field_kind)(FT_JSON + 1);
    assert_fault(&r, "类型未知");
    FRESH();
    fields[text].label = NULL;
    assert_fault(&r, "标签");
    FRESH();
    fields[r.nfields] = fields[0];
    r.nfields++;
    assert_fault(&r, "重复");
    FRESH();
    r.table = NULL;
    assert_fault(&r, "表名");
    FRESH();
    static const struct dependent wrong_fk[] = {{&res_members, "no_such_fk", false}, {NULL, NULL, false}};
    r.deps = wrong_fk;
    assert_fault(&r, "外键");
    FRESH();
    static const struct res_action no_handler[] = {{.name = "x", .method = "POST", .status = 200},
                                                   {.method = NULL}};
    r.actions = no_handler;
    assert_fault(&r, "处理函数");
    FRESH();
    static const struct res_action bad_status[] = {
        {.name = "x", .method = "POST", .status = 404, .run = run_nothing}, {.method = NULL}};
    r.actions = bad_status;
    assert_fault(&r, "2xx");
#undef FRESH
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
    assert_null(res_action_find(res_find("jobs"), "download", "POST", NULL));
    assert_null(res_action_find(res_find("members"), NULL, "POST", NULL)); /* created as records */
}

int main(void)
{
    password_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(descriptors_consistent, fx_setup, fx_teardown),
        cmocka_unit_test(descriptor_faults),
        cmocka_unit_test(actions_are_declared),
    };
    return cmocka_run_group_tests_name("domain/resource/action", tests, NULL, NULL);
}
