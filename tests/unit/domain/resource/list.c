/*
 * Unit tests for src/domain/resource/list.c: list parameters (filters, sort, paging, q
 * search, duplicates, bounds) checked and answered, on a real SQLite file.
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
#include "domain/org.h"
#include "domain/resource.h"

#include "../fixture.h"

/* res_list of "coll" with the "n" key=value pairs in "kv" (as the system unless x). */
static int list(struct res_ctx *x, const char *coll, int n, const char *const *kv, json_t **out,
                struct rerr *e)
{
    struct res_query q = {.n = n};
    for (int i = 0; i < n; i++) {
        q.key[i] = kv[2 * i];
        q.val[i] = kv[2 * i + 1];
    }
    *e = (struct rerr){0};
    *out = NULL;
    return res_list(x, res_find(coll), &q, out, e);
}

/* The "name"s of a list's items joined by ",". */
static const char *names(struct fx *f, json_t *l)
{
    char *s = "";
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(l, "items"), i, it) s =
        arena_printf(f->x.a, "%s%s%s", s, i ? "," : "", res_str(it, "name"));
    return s;
}

static void add_members(struct fx *f)
{
    const char *who[][3] = {{"张三", "男", "1980-01-01"},
                            {"李四", "女", "1985-05-05"},
                            {"王五", "男", "1990-09-09"},
                            {"巴特尔", "男", "1975-03-03"}};
    for (int i = 0; i < 4; i++)
        fx_create(f, "members",
                  json_pack("{s:s,s:I,s:s,s:s}", "name", who[i][0], "branch_id", (json_int_t)f->branch,
                            "gender", who[i][1], "birth_date", who[i][2]));
}

static void filters(void **state)
{
    struct fx *f = *state;
    add_members(f);
    json_t *l;
    struct rerr e;
    const char *women[] = {"gender", "女"};
    assert_int_equal(list(&f->x, "members", 1, women, &l, &e), 0);
    assert_string_equal(names(f, l), "李四");
    assert_int_equal(res_int(l, "total"), 1);
    json_decref(l);
    const char *men_here[] = {"gender", "男", "branch_id", "1", "sort", "birth_date"};
    char branch[24];
    snprintf(branch, sizeof branch, "%lld", (long long)f->branch);
    men_here[3] = branch;
    assert_int_equal(list(&f->x, "members", 3, men_here, &l, &e), 0);
    assert_string_equal(names(f, l), "巴特尔,张三,王五");
    json_decref(l);
    const char *empty[] = {"gender", ""}; /* an empty filter is no filter */
    assert_int_equal(list(&f->x, "members", 1, empty, &l, &e), 0);
    assert_int_equal(res_int(l, "total"), 4);
    json_decref(l);
    struct {
        const char *k, *v, *code;
    } bad[] = {
        {"gender", "未知", "bad_query"},       /* not one of the values */
        {"branch_id", "x", "bad_query"},       /* not an integer */
        {"bogus", "1", "bad_query"},           /* no such parameter */
        {"name", "张三", "bad_query"},         /* a field, but not a filter */
        {"name_key", "zhangsan", "bad_query"}, /* hidden */
        {"sort", "gender", "bad_query"},       /* not sortable */
        {"sort", "name_key", "bad_query"},     /* hidden */
        {"sort", "-bogus", "bad_query"},       {"page", "0", "bad_query"},
        {"page", "1000001", "bad_query"},      {"page", "1.5", "bad_query"},
        {"per_page", "0", "bad_query"},        {"per_page", "501", "bad_query"},
        {"per_page", "-1", "bad_query"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *kv[] = {bad[i].k, bad[i].v};
        int rc = list(&f->x, "members", 1, kv, &l, &e);
        if (rc != R_EINVAL || strcmp(e.code, bad[i].code) || strcmp(e.field, bad[i].k))
            fail_msg("%s=%s: got %d %s (%s)", bad[i].k, bad[i].v, rc, e.code, e.field);
        assert_null(l);
    }
}

static void sort_and_pages(void **state)
{
    struct fx *f = *state;
    add_members(f);
    json_t *l;
    struct rerr e;
    const char *asc[] = {"sort", "birth_date"}, *desc[] = {"sort", "-birth_date"};
    assert_int_equal(list(&f->x, "members", 1, asc, &l, &e), 0);
    assert_string_equal(names(f, l), "巴特尔,张三,李四,王五");
    json_decref(l);
    assert_int_equal(list(&f->x, "members", 1, desc, &l, &e), 0);
    assert_string_equal(names(f, l), "王五,李四,张三,巴特尔");
    json_decref(l);
    /* text sorts in pinyin order: ba, li, wang, zhang */
    const char *byname[] = {"sort", "name"};
    assert_int_equal(list(&f->x, "members", 1, byname, &l, &e), 0);
    assert_string_equal(names(f, l), "巴特尔,李四,王五,张三");
    json_decref(l);
    const char *p2[] = {"sort", "birth_date", "per_page", "3", "page", "2"};
    assert_int_equal(list(&f->x, "members", 3, p2, &l, &e), 0);
    assert_string_equal(names(f, l), "王五");
    assert_int_equal(res_int(l, "total"), 4);
    assert_int_equal(res_int(l, "page"), 2);
    assert_int_equal(res_int(l, "per_page"), 3);
    json_decref(l);
    const char *past[] = {"page", "9"}; /* past the end: no items, the total still */
    assert_int_equal(list(&f->x, "members", 1, past, &l, &e), 0);
    assert_int_equal(json_array_size(json_object_get(l, "items")), 0);
    assert_int_equal(res_int(l, "total"), 4);
    json_decref(l);
    const char *bounds[] = {"per_page", "500", "page", "1000000"};
    assert_int_equal(list(&f->x, "members", 2, bounds, &l, &e), 0);
    json_decref(l);
    assert_int_equal(list(&f->x, "members", 0, NULL, &l, &e), 0);
    assert_int_equal(res_int(l, "per_page"), 50);
    json_decref(l);
}

static void search(void **state)
{
    struct fx *f = *state;
    add_members(f);
    json_t *l;
    struct rerr e;
    const char *q1[] = {"q", "李"};
    assert_int_equal(list(&f->x, "members", 1, q1, &l, &e), 0);
    assert_string_equal(names(f, l), "李四");
    json_decref(l);
    const char *py[] = {"q", "wangwu"}; /* the folded search key: pinyin */
    assert_int_equal(list(&f->x, "members", 1, py, &l, &e), 0);
    assert_string_equal(names(f, l), "王五");
    json_decref(l);
    const char *trim[] = {"q", " 旗院 "}; /* visible text: matched trimmed */
    assert_int_equal(list(&f->x, "procuratorates", 1, trim, &l, &e), 0);
    assert_string_equal(names(f, l), "旗院");
    json_decref(l);
    /* 200 characters is the limit, counted in characters */
    char s[4 * 201 + 1] = "";
    for (int i = 0; i < 200; i++)
        strcat(s, "𠀀");
    const char *longest[] = {"q", s};
    assert_int_equal(list(&f->x, "members", 1, longest, &l, &e), 0);
    assert_int_equal(res_int(l, "total"), 0);
    json_decref(l);
    strcat(s, "a");
    assert_int_equal(list(&f->x, "members", 1, longest, &l, &e), R_EINVAL);
    assert_string_equal(e.code, "bad_query");
    /* a collection without searchable fields says so */
    struct field fields[64];
    struct resource plain = res_departments;
    memcpy(fields, plain.fields, (size_t)plain.nfields * sizeof fields[0]);
    for (int i = 0; i < plain.nfields; i++)
        fields[i].flags &= ~(unsigned)FF_SEARCH;
    plain.fields = fields;
    struct res_query nosearch = {.n = 1, .key = {"q"}, .val = {"x"}};
    assert_int_equal(res_list(&f->x, &plain, &nosearch, &l, &e), R_EINVAL);
    assert_string_equal(e.code, "bad_query");
    assert_non_null(strstr(e.message, "不支持搜索"));
}

static void duplicate_params(void **state)
{
    struct fx *f = *state;
    json_t *l;
    struct rerr e;
    const char *twice[] = {"page", "1", "gender", "男", "page", "2"};
    assert_int_equal(list(&f->x, "members", 3, twice, &l, &e), R_EINVAL);
    assert_string_equal(e.code, "duplicate_param");
    assert_string_equal(e.field, "page");
    assert_null(l);
    /* twice even when both are empty */
    const char *empties[] = {"q", "", "q", ""};
    assert_int_equal(list(&f->x, "members", 2, empties, &l, &e), R_EINVAL);
    assert_string_equal(e.code, "duplicate_param");
    /* RES_MAX_PARAMS distinct parameters are taken (each then judged on its own) */
    const char *kv[2 * RES_MAX_PARAMS];
    for (int i = 0; i < RES_MAX_PARAMS; i++) {
        kv[2 * i] = arena_printf(f->x.a, "p%d", i);
        kv[2 * i + 1] = "";
    }
    assert_int_equal(list(&f->x, "members", RES_MAX_PARAMS, kv, &l, &e), 0);
    json_decref(l);
    const char *badkey[] = {"\xff", "1"};
    assert_int_equal(list(&f->x, "members", 1, badkey, &l, &e), R_EINVAL);
    assert_string_equal(e.code, "bad_query");
}

/* A county reader's list holds its own procuratorate's rows only, whatever it asks. */
static void lists_are_narrowed(void **state)
{
    struct fx *f = *state;
    add_members(f);
    int64_t city_branch = fx_create(f, "branches",
                                    json_pack("{s:I,s:s,s:s}", "procuratorate_id", (json_int_t)f->city,
                                              "name", "市院党支部", "kind", "党支部"));
    fx_create(f, "members", json_pack("{s:s,s:I}", "name", "市院党员", "branch_id", (json_int_t)city_branch));
    struct actor county = fx_actor(50, ROLE_VIEWER, f->county, 0, false);
    struct actor city = fx_actor(51, ROLE_VIEWER, f->city, 0, true);
    struct res_ctx xc = fx_as(f, &county), xa = fx_as(f, &city);
    json_t *l;
    struct rerr e;
    char cb[24];
    snprintf(cb, sizeof cb, "%lld", (long long)city_branch);
    const char *there[] = {"branch_id", cb};
    assert_int_equal(list(&xc, "members", 1, there, &l, &e), 0);
    assert_int_equal(res_int(l, "total"), 0);
    json_decref(l);
    assert_int_equal(list(&xc, "members", 0, NULL, &l, &e), 0);
    assert_int_equal(res_int(l, "total"), 4);
    json_decref(l);
    assert_int_equal(list(&xa, "members", 0, NULL, &l, &e), 0);
    assert_int_equal(res_int(l, "total"), 5);
    json_decref(l);
    /* a secretary may not list the users at all */
    struct actor sec = fx_actor(52, ROLE_SECRETARY, f->county, f->branch, false);
    struct res_ctx xs = fx_as(f, &sec);
    assert_int_equal(list(&xs, "users", 0, NULL, &l, &e), R_EFORBID);
    assert_null(l);
}

int main(void)
{
    password_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(filters, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(sort_and_pages, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(search, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(duplicate_params, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(lists_are_narrowed, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests_name("domain/resource/list", tests, NULL, NULL);
}
