/*
 * Unit tests for src/domain/pil.c: the reply deadline (two months on, clamped to the
 * month's end, across years and leap years); the members of a patrol mirrored into
 * patrol_members as member_ids changes, and dropped with the patrol; a lead made inside
 * a transaction that is rolled back leaves neither the matter nor its audit entry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <string.h>

#include "domain/pil.h"
#include "fixture.h"

static void reply_due_clamps_to_the_month_end(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"2024-03-15", "2024-05-15"}, {"2024-12-31", "2025-02-28"}, {"2023-12-31", "2024-02-29"},
        {"2024-12-29", "2025-02-28"}, {"2099-12-30", "2100-02-28"}, {"2399-12-30", "2400-02-29"},
        {"2024-11-30", "2025-01-30"}, {"2024-11-01", "2025-01-01"}, {"2024-07-31", "2024-09-30"},
        {"2024-08-31", "2024-10-31"}, {"2024-01-31", "2024-03-31"}, {"2024-10-31", "2024-12-31"},
        {"2024-06-30", "2024-08-30"}, {"2025-02-28", "2025-04-28"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char due[11];
        pil_reply_due(cases[i][0], due);
        assert_string_equal(due, cases[i][1]);
    }
}

static int64_t count(struct fx *f, const char *sql, int64_t id)
{
    store_stmt *st = store_prepare(f->c, sql);
    store_bind_int(st, 1, id);
    store_step(st, NULL);
    int64_t n = store_col_int(st, 0);
    store_done(st);
    return n;
}

static int64_t member(struct fx *f, const char *name)
{
    return fx_create(f, "members", json_pack("{s:I, s:s}", "branch_id", (json_int_t)f->branch, "name", name));
}

static int64_t patrol(struct fx *f, int64_t m1, int64_t m2)
{
    return fx_create(f, "patrols",
                     json_pack("{s:I, s:s, s:s, s:s, s:[I,I], s:b, s:s}", "branch_id", (json_int_t)f->branch,
                               "patrolled_on", "2024-06-01", "kind", "党员突击队巡查", "place", "草场",
                               "member_ids", (json_int_t)m1, (json_int_t)m2, "problem_found", 1, "findings",
                               "开垦草原"));
}

static void members_are_mirrored_into_the_link_table(void **state)
{
    struct fx *f = *state;
    int64_t a = member(f, "甲"), b = member(f, "乙"), c = member(f, "丙");
    int64_t p = patrol(f, a, b);
    const char *of_patrol = "SELECT count(*) FROM patrol_members WHERE patrol_id = ?";
    const char *of_member = "SELECT count(*) FROM patrol_members WHERE member_id = ?";
    assert_int_equal(count(f, of_patrol, p), 2);
    struct rerr e;
    assert_int_equal(fx_update(&f->x, "patrols", p,
                               json_pack("{s:I, s:[I]}", "version", (json_int_t)fx_version(f, "patrols", p),
                                         "member_ids", (json_int_t)c),
                               &e),
                     0);
    assert_int_equal(count(f, of_patrol, p), 1);
    assert_int_equal(count(f, of_member, a), 0);
    assert_int_equal(count(f, of_member, c), 1);
    assert_int_equal(res_delete(&f->x, res_find("patrols"), p, fx_version(f, "patrols", p), &e), 0);
    assert_int_equal(count(f, of_member, c), 0);
}

static void a_lead_rolled_back_leaves_nothing(void **state)
{
    struct fx *f = *state;
    int64_t p = patrol(f, member(f, "丁"), member(f, "戊"));
    int64_t audit = fx_audit_count(f);
    struct rerr e = {0};
    assert_int_equal(store_begin(f->c, &e), 0);
    json_t *body = json_pack("{s:s}", "field", "草原"), *out = NULL;
    assert_int_equal(pil_lead_in(&f->x, p, body, &out, &e), 0);
    assert_string_equal(res_str(out, "source"), "巡查");
    assert_string_equal(res_str(out, "clue_on"), "2024-06-01");
    assert_int_equal(res_int(out, "patrol_id"), p);
    assert_int_equal(fx_audit_count(f), audit + 2);
    json_decref(out);
    store_rollback(f->c);
    assert_int_equal(count(f, "SELECT count(*) FROM pil_matters WHERE patrol_id = ?", p), 0);
    assert_int_equal(fx_audit_count(f), audit);
    /* The second lead is refused without "again", taken with it. */
    assert_int_equal(store_begin(f->c, &e), 0);
    assert_int_equal(pil_lead_in(&f->x, p, body, &out, &e), 0);
    json_decref(out);
    assert_int_equal(pil_lead_in(&f->x, p, body, &out, &e), R_ECONFLICT);
    assert_string_equal(e.code, "lead_exists");
    json_object_set_new(body, "again", json_true());
    assert_int_equal(pil_lead_in(&f->x, p, body, &out, &e), 0);
    json_decref(out);
    assert_int_equal(store_commit(f->c, &e), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM pil_matters WHERE patrol_id = ?", p), 2);
    json_decref(body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reply_due_clamps_to_the_month_end),
        cmocka_unit_test_setup_teardown(members_are_mirrored_into_the_link_table, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(a_lead_rolled_back_leaves_nothing, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
