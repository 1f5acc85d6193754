/*
 * Unit tests for src/domain/brand.c through the resource engine on a real database:
 * a brand's party group and parent must be of its branch and its parents never loop; a
 * brand moved to another branch takes its methods and their elements along, but not its
 * sub-brands; a method is read with its elements in order; an element's count has a
 * limit; an honour belongs to a branch, or to a member and so to the member's branch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "auth/actor.h"
#include "auth/audit.h"
#include "domain/resource.h"
#include "store/store.h"

static char path[64];
static store *db;
static struct actor sys;
static struct res_ctx x;
/* Two procuratorates, a branch in each, a second branch in the first; a party group of
 * branch b2, a member of branch b1. */
static int64_t p2, b1, b2, b3, g2, m1;

static void cleanup(void)
{
    static const char *const side[] = {"", "-wal", "-shm", ".lock", ".audit-key", ".audit-anchors"};
    char f[96];
    for (int i = 0; i < 6; i++) {
        snprintf(f, sizeof f, "%s%s", path, side[i]);
        unlink(f);
    }
}

/* Create a record of "coll" from "body" (taken): its id, or the negative error. */
static int64_t try_create(const char *coll, json_t *body, struct rerr *e)
{
    json_t *out = NULL;
    int rc = res_create(&x, res_find(coll), body, &out, e);
    json_decref(body);
    int64_t id = rc < 0 ? rc : json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    return id;
}

static int64_t create(const char *coll, json_t *body)
{
    struct rerr e = {0};
    int64_t id = try_create(coll, body, &e);
    if (id < 0)
        fail_msg("%s: %s", coll, e.message);
    return id;
}

static json_t *get(const char *coll, int64_t id)
{
    json_t *out = NULL;
    struct rerr e = {0};
    if (res_get(&x, res_find(coll), id, &out, &e) < 0)
        fail_msg("%s %lld: %s", coll, (long long)id, e.message);
    return out;
}

static int64_t int_of(const char *coll, int64_t id, const char *key)
{
    json_t *r = get(coll, id);
    int64_t v = json_integer_value(json_object_get(r, key));
    json_decref(r);
    return v;
}

/* Update "coll" "id" with "body" (taken; its version filled in). */
static int update(const char *coll, int64_t id, json_t *body, struct rerr *e)
{
    json_object_set_new(body, "version", json_integer(int_of(coll, id, "version")));
    json_t *out = NULL;
    int rc = res_update(&x, res_find(coll), id, body, &out, e);
    json_decref(body);
    json_decref(out);
    return rc;
}

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/ronghe-brand-%d.db", getpid());
    cleanup();
    struct rerr e = {0};
    if (store_open(path, STORE_CREATE_NEW, &db, &e) < 0 || audit_open_key(db, &e) < 0)
        fail_msg("%s", e.message);
    actor_system(&sys);
    x = (struct res_ctx){.c = store_acquire(db), .who = &sys, .a = arena_new()};
    int64_t p1 = create("procuratorates", json_pack("{s:s, s:s, s:i}", "name", "甲市人民检察院", "short_name",
                                                    "甲市院", "level", 1));
    p2 = create("procuratorates", json_pack("{s:s, s:s, s:i, s:I}", "name", "乙县人民检察院", "short_name",
                                            "乙县院", "level", 2, "parent_id", (json_int_t)p1));
    b1 = create("branches", json_pack("{s:I, s:s, s:s}", "procuratorate_id", (json_int_t)p1, "name",
                                      "第一党支部", "kind", "党支部"));
    b2 = create("branches", json_pack("{s:I, s:s, s:s}", "procuratorate_id", (json_int_t)p2, "name",
                                      "乙县党支部", "kind", "党支部"));
    b3 = create("branches", json_pack("{s:I, s:s, s:s}", "procuratorate_id", (json_int_t)p1, "name",
                                      "第二党支部", "kind", "党支部"));
    g2 = create("party-groups", json_pack("{s:I, s:s}", "branch_id", (json_int_t)b2, "name", "第一党小组"));
    m1 = create("members", json_pack("{s:I, s:s}", "branch_id", (json_int_t)b1, "name", "张三"));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(x.a);
    store_release(x.c);
    audit_close(db);
    store_close(db);
    cleanup();
    return 0;
}

static int64_t brand(int64_t branch, const char *name, int64_t parent)
{
    json_t *b = json_pack("{s:I, s:s}", "branch_id", (json_int_t)branch, "name", name);
    if (parent)
        json_object_set_new(b, "parent_id", json_integer(parent));
    return create("brands", b);
}

/* ------------------------------------------------------------ brands */

static void brand_consistency(void **state)
{
    (void)state;
    struct rerr e = {0};
    /* Derived: the brand's procuratorate is its branch's. */
    int64_t a = brand(b2, "乙县品牌", 0);
    assert_int_equal(int_of("brands", a, "procuratorate_id"), p2);
    /* A party group of another branch. */
    assert_int_equal(try_create("brands",
                                json_pack("{s:I, s:s, s:I}", "branch_id", (json_int_t)b1, "name", "错组",
                                          "party_group_id", (json_int_t)g2),
                                &e),
                     R_EUNPROC);
    assert_string_equal(e.field, "party_group_id");
    /* A parent of another branch. */
    assert_int_equal(try_create("brands",
                                json_pack("{s:I, s:s, s:I}", "branch_id", (json_int_t)b1, "name", "错上级",
                                          "parent_id", (json_int_t)a),
                                &e),
                     R_EUNPROC);
    assert_string_equal(e.field, "parent_id");
    assert_non_null(strstr(e.message, "同一党组织"));
    /* Its own party group and parent are fine. */
    int64_t child =
        create("brands", json_pack("{s:I, s:s, s:I, s:I}", "branch_id", (json_int_t)b2, "name", "子品牌",
                                   "parent_id", (json_int_t)a, "party_group_id", (json_int_t)g2));
    int64_t grandchild = brand(b2, "孙品牌", child);
    /* No loops: not its own parent, nor a descendant's child. */
    assert_int_equal(update("brands", a, json_pack("{s:I}", "parent_id", (json_int_t)a), &e), R_EUNPROC);
    assert_non_null(strstr(e.message, "不能是自己或自己的下级"));
    assert_int_equal(update("brands", a, json_pack("{s:I}", "parent_id", (json_int_t)grandchild), &e),
                     R_EUNPROC);
    assert_string_equal(e.field, "parent_id");
    assert_int_equal(int_of("brands", a, "parent_id"), 0);
}

static void brand_moves_with_methods(void **state)
{
    (void)state;
    struct rerr e = {0};
    int64_t a = brand(b1, "会移动的品牌", 0);
    int64_t m = create("methods", json_pack("{s:I, s:s}", "brand_id", (json_int_t)a, "name", "工作法"));
    int64_t el = create("method-elements", json_pack("{s:I, s:s, s:i}", "method_id", (json_int_t)m, "label",
                                                     "要素", "count", 3));
    assert_int_equal(int_of("methods", m, "branch_id"), b1);
    assert_int_equal(int_of("method-elements", el, "branch_id"), b1);
    /* To another branch: the method and its element follow. */
    assert_int_equal(update("brands", a, json_pack("{s:I}", "branch_id", (json_int_t)b3), &e), 0);
    assert_int_equal(int_of("methods", m, "branch_id"), b3);
    assert_int_equal(int_of("method-elements", el, "branch_id"), b3);
    /* With a sub-brand it stays: that one is moved first, on its own. */
    int64_t sub = brand(b3, "下级品牌", a);
    assert_int_equal(update("brands", a, json_pack("{s:I}", "branch_id", (json_int_t)b1), &e), R_ECONFLICT);
    assert_string_equal(e.code, "has_dependents");
    assert_int_equal(int_of("brands", a, "branch_id"), b3);
    assert_int_equal(int_of("methods", m, "branch_id"), b3);
    assert_int_equal(int_of("brands", sub, "branch_id"), b3);
}

/* ------------------------------------------------------------ methods and elements */

static void method_read_with_elements(void **state)
{
    (void)state;
    struct rerr e = {0};
    int64_t a = brand(b1, "品牌", 0);
    int64_t m = create("methods", json_pack("{s:I, s:s}", "brand_id", (json_int_t)a, "name", "三个一"));
    create("method-elements", json_pack("{s:I, s:s, s:i, s:i}", "method_id", (json_int_t)m, "label", "第二",
                                        "count", 2, "sort", 2));
    create("method-elements", json_pack("{s:I, s:s, s:s, s:i}", "method_id", (json_int_t)m, "label", "第一",
                                        "description", "说明", "sort", 1));
    create("method-elements", json_pack("{s:I, s:s, s:i, s:i}", "method_id", (json_int_t)m, "label",
                                        "第二之二", "count", 0, "sort", 2));
    json_t *r = get("methods", m);
    json_t *els = json_object_get(r, "elements");
    assert_int_equal(json_array_size(els), 3);
    const char *want[] = {"第一", "第二", "第二之二"};
    for (int i = 0; i < 3; i++)
        assert_string_equal(json_string_value(json_object_get(json_array_get(els, i), "label")), want[i]);
    /* A count not given is absent (null), not zero; zero is zero. */
    assert_true(json_is_null(json_object_get(json_array_get(els, 0), "count")));
    assert_string_equal(json_string_value(json_object_get(json_array_get(els, 0), "description")), "说明");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(els, 1), "count")), 2);
    assert_true(json_is_integer(json_object_get(json_array_get(els, 2), "count")));
    assert_int_equal(json_integer_value(json_object_get(json_array_get(els, 2), "count")), 0);
    assert_true(json_is_null(json_object_get(json_array_get(els, 1), "description")));
    json_decref(r);
    /* The count's limits. */
    assert_int_equal(
        try_create("method-elements",
                   json_pack("{s:I, s:s, s:i}", "method_id", (json_int_t)m, "label", "多", "count", 1001),
                   &e),
        R_EINVAL);
    assert_string_equal(e.field, "count");
    assert_int_equal(
        try_create("method-elements",
                   json_pack("{s:I, s:s, s:i}", "method_id", (json_int_t)m, "label", "负", "count", -1), &e),
        R_EINVAL);
    /* A method without elements has an empty list. */
    int64_t bare = create("methods", json_pack("{s:I, s:s}", "brand_id", (json_int_t)a, "name", "空"));
    r = get("methods", bare);
    assert_int_equal(json_array_size(json_object_get(r, "elements")), 0);
    json_decref(r);
}

/* ------------------------------------------------------------ honours */

static void honour_holder(void **state)
{
    (void)state;
    struct rerr e = {0};
    /* Of a branch: the procuratorate follows from it. */
    int64_t h = create("honours", json_pack("{s:I, s:s, s:s, s:i}", "branch_id", (json_int_t)b2, "title",
                                            "先进基层党组织", "level", "city", "year", 2023));
    assert_int_equal(int_of("honours", h, "procuratorate_id"), p2);
    /* Of a member: the member's branch, whatever branch was given. */
    int64_t hm = create("honours",
                        json_pack("{s:I, s:I, s:s, s:s, s:i}", "member_id", (json_int_t)m1, "branch_id",
                                  (json_int_t)b2, "title", "优秀共产党员", "level", "county", "year", 2024));
    assert_int_equal(int_of("honours", hm, "branch_id"), b1);
    assert_int_equal(int_of("honours", hm, "procuratorate_id"), int_of("branches", b1, "procuratorate_id"));
    /* Of nobody. */
    assert_int_equal(try_create("honours",
                                json_pack("{s:s, s:s, s:i}", "title", "无主", "level", "city", "year", 2024),
                                &e),
                     R_EINVAL);
    assert_string_equal(e.code, "required");
    assert_string_equal(e.field, "branch_id");
    /* A level not in the list, a year out of range. */
    assert_int_equal(try_create("honours",
                                json_pack("{s:I, s:s, s:s, s:i}", "branch_id", (json_int_t)b1, "title", "t",
                                          "level", "galactic", "year", 2024),
                                &e),
                     R_EINVAL);
    assert_string_equal(e.field, "level");
    assert_int_equal(try_create("honours",
                                json_pack("{s:I, s:s, s:s, s:i}", "branch_id", (json_int_t)b1, "title", "t",
                                          "level", "city", "year", 1948),
                                &e),
                     R_EINVAL);
    assert_string_equal(e.field, "year");
    /* A member that does not exist. */
    assert_true(try_create("honours",
                           json_pack("{s:I, s:s, s:s, s:i}", "member_id", (json_int_t)999, "title", "t",
                                     "level", "city", "year", 2024),
                           &e) < 0);
    assert_string_equal(e.field, "member_id");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(brand_consistency, setup, teardown),
        cmocka_unit_test_setup_teardown(brand_moves_with_methods, setup, teardown),
        cmocka_unit_test_setup_teardown(method_read_with_elements, setup, teardown),
        cmocka_unit_test_setup_teardown(honour_holder, setup, teardown),
    };
    return cmocka_run_group_tests_name("domain/brand", tests, NULL, NULL);
}
