/*
 * Unit tests for src/domain/resource/encode.c: a row as a record, as a tree and as text,
 * the same for the same row, hidden columns left out and personal data masked.
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
#include "base/idcard.h"

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
        assert_int_equal(strlen(text), len);
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

/* res_list and res_list_text of members as "x": the one record in each, which must agree. */
static json_t *listed(struct res_ctx *x)
{
    struct res_query q = {0};
    json_t *tree;
    char *text;
    size_t len;
    struct rerr e = {0};
    assert_int_equal(res_list(x, res_find("members"), &q, &tree, &e), 0);
    assert_int_equal(res_list_text(x, res_find("members"), &q, &text, &len, &e), 0);
    json_t *parsed = json_loads(text, 0, NULL);
    if (!json_equal(parsed, tree))
        fail_msg("text and tree differ:\n%s", text);
    free(text);
    json_decref(parsed);
    json_t *rec = json_incref(json_array_get(json_object_get(tree, "items"), 0));
    json_decref(tree);
    return rec;
}

/* An identity number goes out whole to administrators, masked to everyone else, in the
 * tree and the text alike; what is hidden never goes out. */
static void masked_fields(void **state)
{
    struct fx *f = *state;
    char id[19], masked[41];
    assert_true(idcard_make("150502", "1980-01-01", 11, id));
    idcard_mask(id, masked);
    assert_string_not_equal(id, masked);
    int64_t m =
        fx_create(f, "members",
                  json_pack("{s:s,s:I,s:s,s:s,s:s}", "name", "巴特尔", "branch_id", (json_int_t)f->branch,
                            "birth_date", "1980-01-01", "gender", "男", "id_number", id));
    struct actor viewer = fx_actor(40, ROLE_VIEWER, f->county, 0, false);
    struct actor admin = fx_actor(41, ROLE_ADMIN, f->county, 0, false);
    struct res_ctx xv = fx_as(f, &viewer), xa = fx_as(f, &admin);
    json_t *rec = listed(&xv);
    assert_string_equal(res_str(rec, "id_number"), masked);
    assert_null(json_object_get(rec, "name_key"));
    json_decref(rec);
    rec = listed(&xa);
    assert_string_equal(res_str(rec, "id_number"), id);
    json_decref(rec);
    struct rerr e = {0};
    assert_int_equal(res_get(&xv, res_find("members"), m, &rec, &e), 0);
    assert_string_equal(res_str(rec, "id_number"), masked);
    json_decref(rec);
    assert_int_equal(res_get(&xa, res_find("members"), m, &rec, &e), 0);
    assert_string_equal(res_str(rec, "id_number"), id);
    json_decref(rec);
    /* the audit keeps the masked form only */
    store_stmt *st =
        store_prepare(f->c, "SELECT after FROM audit WHERE entity = 'members' AND entity_id = ?");
    store_bind_int(st, 1, m);
    assert_int_equal(store_step(st, NULL), STORE_ROW);
    assert_null(strstr(store_col_text(st, 0), id));
    assert_non_null(strstr(store_col_text(st, 0), masked));
    store_done(st);
}

int main(void)
{
    password_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(list_text_matches_tree, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(masked_fields, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests_name("domain/resource/encode", tests, NULL, NULL);
}
