/*
 * Unit tests for src/domain/partylife.c through the engine (res_create, res_update, the
 * actions) on a real database: periods, a member's terms kept by the members write path
 * (and rolled back with it), expected attendees, the batch of a meeting (all or none),
 * and which rule of life-rules applies to a branch.
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

#include "domain/partylife.h"
#include "domain/resource.h"

#include "fixture.h"

static int64_t count_of(struct fx *f, const char *sql, int64_t arg)
{
    store_stmt *st = store_prepare_dynamic(f->c, sql);
    store_bind_int(st, 1, arg);
    store_step(st, NULL);
    int64_t n = store_col_int(st, 0);
    store_finalize(st);
    return n;
}

static void periods(void **state)
{
    (void)state;
    char label[24];
    int first, last;
    assert_int_equal(life_period_of("月", 2025, 3, label, &first, &last), 0);
    assert_string_equal(label, "2025-03");
    assert_int_equal(first, 3);
    assert_int_equal(last, 3);
    assert_int_equal(life_period_of("季度", 2025, 8, label, &first, &last), 0);
    assert_string_equal(label, "2025-Q3");
    assert_int_equal(first, 7);
    assert_int_equal(last, 9);
    assert_int_equal(life_period_of("季度", 2025, 12, label, &first, &last), 0);
    assert_string_equal(label, "2025-Q4");
    assert_int_equal(life_period_of("年", 2024, 5, label, &first, &last), 0);
    assert_string_equal(label, "2024");
    assert_int_equal(first, 1);
    assert_int_equal(last, 12);
    assert_int_equal(life_period_of("周", 2024, 5, label, &first, &last), -1);
}

static int64_t group(struct fx *f, int64_t branch, const char *name)
{
    return fx_create(f, "party-groups",
                     json_pack("{s:I,s:s}", "branch_id", (json_int_t)branch, "name", name));
}

static void terms_follow_the_member(void **state)
{
    struct fx *f = *state;
    struct rerr e;
    int64_t other = fx_create(f, "branches",
                              json_pack("{s:I,s:s,s:s}", "procuratorate_id", (json_int_t)f->county, "name",
                                        "第二支部", "kind", "党支部"));
    int64_t g = group(f, other, "小组");
    int64_t m = fx_create(f, "members",
                          json_pack("{s:s,s:I,s:s}", "name", "甲", "branch_id", (json_int_t)f->branch,
                                    "joined_party", "2001-07-01"));
    assert_int_equal(count_of(f, "SELECT count(*) FROM member_terms WHERE member_id = ?", m), 1);
    assert_int_equal(
        count_of(f,
                 "SELECT count(*) FROM member_terms WHERE member_id = ? AND from_date = '2001-07-01'"
                 " AND to_date IS NULL",
                 m),
        1);
    /* before the open term began: refused, nothing changed */
    assert_int_equal(fx_update(&f->x, "members", m,
                               json_pack("{s:i,s:I,s:s}", "version", 1, "branch_id", (json_int_t)other,
                                         "moved_on", "2000-01-01"),
                               &e),
                     R_EUNPROC);
    assert_string_equal(e.field, "moved_on");
    /* a transfer refused later in the same write (a party group of another branch) leaves
     * the terms as they were: the hook's writes roll back with the member's */
    int64_t audit = fx_audit_count(f);
    assert_int_equal(fx_update(&f->x, "members", m,
                               json_pack("{s:i,s:I,s:s}", "version", 1, "party_group_id", (json_int_t)g,
                                         "moved_on", "2020-01-01"),
                               &e),
                     R_EUNPROC);
    assert_string_equal(e.field, "party_group_id");
    assert_int_equal(count_of(f, "SELECT count(*) FROM member_terms WHERE member_id = ?", m), 1);
    assert_int_equal(fx_audit_count(f), audit);
    /* the transfer: the old term closed on the day, the new one open from it; 3 entries */
    assert_int_equal(fx_update(&f->x, "members", m,
                               json_pack("{s:i,s:I,s:I,s:s}", "version", 1, "branch_id", (json_int_t)other,
                                         "party_group_id", (json_int_t)g, "moved_on", "2020-01-01"),
                               &e),
                     0);
    assert_int_equal(fx_audit_count(f), audit + 3);
    assert_int_equal(
        count_of(f,
                 "SELECT count(*) FROM member_terms WHERE member_id = ? AND to_date = '2020-01-01'"
                 " AND from_date = '2001-07-01'",
                 m),
        1);
    assert_int_equal(count_of(f,
                              "SELECT count(*) FROM member_terms WHERE member_id = ? AND to_date IS NULL"
                              " AND from_date = '2020-01-01' AND party_group_id IS NOT NULL",
                              m),
                     1);
    /* not a transfer: nothing */
    assert_int_equal(
        fx_update(&f->x, "members", m, json_pack("{s:i,s:s}", "version", 2, "position", "检察官"), &e), 0);
    assert_int_equal(count_of(f, "SELECT count(*) FROM member_terms WHERE member_id = ?", m), 2);
    /* the member deleted: its terms go with it */
    assert_int_equal(res_delete(&f->x, res_find("members"), m, 3, &e), 0);
    assert_int_equal(count_of(f, "SELECT count(*) FROM member_terms WHERE member_id = ?", m), 0);
}

static int64_t meeting(struct fx *f, const char *kind, const char *day, int64_t grp)
{
    json_t *b = json_pack("{s:I,s:s,s:s,s:s}", "branch_id", (json_int_t)f->branch, "kind", kind, "held_on",
                          day, "topic", "会议");
    if (grp)
        json_object_set_new(b, "party_group_id", json_integer(grp));
    return fx_create(f, "activities", b);
}

static void expected_attendees(void **state)
{
    struct fx *f = *state;
    struct rerr e;
    int64_t g = group(f, f->branch, "一组");
    int64_t early = fx_create(f, "members",
                              json_pack("{s:s,s:I,s:I,s:s}", "name", "早", "branch_id", (json_int_t)f->branch,
                                        "party_group_id", (json_int_t)g, "joined_party", "2010-01-01"));
    int64_t late = fx_create(f, "members",
                             json_pack("{s:s,s:I,s:s}", "name", "晚", "branch_id", (json_int_t)f->branch,
                                       "joined_party", "2022-05-01"));
    int64_t a = meeting(f, "支部党员大会", "2022-04-30", 0);
    assert_true(fx_try(&f->x, "attendance",
                       json_pack("{s:I,s:I,s:s}", "activity_id", (json_int_t)a, "member_id",
                                 (json_int_t)early, "status", "出席"),
                       &e) > 0);
    assert_int_equal(fx_try(&f->x, "attendance",
                            json_pack("{s:I,s:I,s:s}", "activity_id", (json_int_t)a, "member_id",
                                      (json_int_t)early, "status", "出席"),
                            &e),
                     R_ECONFLICT);
    assert_string_equal(e.code, "duplicate");
    assert_int_equal(fx_try(&f->x, "attendance",
                            json_pack("{s:I,s:I,s:s}", "activity_id", (json_int_t)a, "member_id",
                                      (json_int_t)late, "status", "出席"),
                            &e),
                     R_EUNPROC);
    assert_string_equal(e.field, "member_id");
    assert_non_null(strstr(e.message, "晚"));
    /* a group meeting expects the group alone */
    int64_t gm = meeting(f, "党小组会", "2023-01-10", g);
    assert_int_equal(fx_try(&f->x, "attendance",
                            json_pack("{s:I,s:I,s:s}", "activity_id", (json_int_t)gm, "member_id",
                                      (json_int_t)late, "status", "出席"),
                            &e),
                     R_EUNPROC);
    assert_non_null(strstr(e.message, "党小组"));
    /* the activity answers its figures */
    json_t *rec = NULL;
    assert_int_equal(res_get(&f->x, &res_activities, a, &rec, &e), 0);
    json_t *att = json_object_get(rec, "attendance");
    assert_int_equal(res_int(att, "expected"), 1);
    assert_int_equal(res_int(att, "present"), 1);
    assert_int_equal(res_int(att, "unrecorded"), 0);
    json_decref(rec);
}

static void batch_all_or_none(void **state)
{
    struct fx *f = *state;
    struct rerr e = {0};
    int64_t m1 = fx_create(f, "members",
                           json_pack("{s:s,s:I,s:s}", "name", "一", "branch_id", (json_int_t)f->branch,
                                     "joined_party", "2010-01-01"));
    int64_t m2 = fx_create(f, "members",
                           json_pack("{s:s,s:I,s:s}", "name", "二", "branch_id", (json_int_t)f->branch,
                                     "joined_party", "2010-01-01"));
    int64_t a = meeting(f, "支委会", "2023-03-01", 0);
    const struct res_action *act = res_action_find(&res_activities, "attendance", "POST", NULL);
    assert_non_null(act);
    int64_t audit = fx_audit_count(f);
    json_t *out = NULL;
    /* the second row lacks its reason: neither is written */
    json_t *body = json_pack("{s:[{s:I,s:s},{s:I,s:s}]}", "rows", "member_id", (json_int_t)m1, "status",
                             "出席", "member_id", (json_int_t)m2, "status", "缺席");
    assert_int_equal(act->run(&f->x, a, body, &out, &e), R_EINVAL);
    json_decref(body);
    assert_string_equal(e.field, "reason");
    assert_non_null(strstr(e.message, "第 2 行"));
    assert_int_equal(count_of(f, "SELECT count(*) FROM attendance WHERE activity_id = ?", a), 0);
    assert_int_equal(fx_audit_count(f), audit);
    body = json_pack("{s:[{s:I,s:s},{s:I,s:s,s:s}]}", "rows", "member_id", (json_int_t)m1, "status", "出席",
                     "member_id", (json_int_t)m2, "status", "缺席", "reason", "病假");
    assert_int_equal(act->run(&f->x, a, body, &out, &e), 0);
    json_decref(body);
    assert_int_equal(json_array_size(json_object_get(out, "rows")), 2);
    assert_int_equal(res_int(json_object_get(json_object_get(out, "activity"), "attendance"), "absent"), 1);
    json_decref(out);
    assert_int_equal(fx_audit_count(f), audit + 2);
}

/* The rule of "kind" that completeness uses for "branch" in "year": its id. */
static int64_t rule_used(struct fx *f, int64_t branch, const char *kind, json_t **c)
{
    struct rerr e = {0};
    assert_int_equal(life_completeness(&f->x, branch, 2020, c, &e), 0);
    json_t *kinds = json_object_get(*c, "kinds");
    for (size_t i = 0; i < json_array_size(kinds); i++)
        if (!strcmp(res_str(json_array_get(kinds, i), "kind"), kind))
            return res_int(json_array_get(kinds, i), "rule_id");
    return 0;
}

static void the_most_specific_rule_applies(void **state)
{
    struct fx *f = *state;
    json_t *c = NULL;
    int64_t general = rule_used(f, f->branch, "党课", &c);
    assert_true(general > 0);
    json_t *s = json_object_get(json_object_get(c, "summary"), "党课");
    assert_int_equal(res_int(s, "required"), 4);
    assert_int_equal(res_int(s, "missing"), 4);
    json_decref(c);
    int64_t county2 = fx_create(
        f, "life-rules",
        json_pack("{s:i,s:s,s:s,s:i}", "level", 2, "kind", "党课", "period", "月", "required_count", 1));
    assert_int_equal(rule_used(f, f->branch, "党课", &c), county2);
    json_decref(c);
    int64_t proc = fx_create(f, "life-rules",
                             json_pack("{s:I,s:s,s:s,s:i}", "procuratorate_id", (json_int_t)f->county, "kind",
                                       "党课", "period", "年", "required_count", 2));
    assert_int_equal(rule_used(f, f->branch, "党课", &c), proc);
    s = json_object_get(json_object_get(c, "summary"), "党课");
    assert_int_equal(res_int(s, "required"), 2);
    json_decref(c);
    int64_t own = fx_create(f, "life-rules",
                            json_pack("{s:I,s:s,s:s,s:i}", "branch_id", (json_int_t)f->branch, "kind", "党课",
                                      "period", "季度", "required_count", 0));
    assert_int_equal(rule_used(f, f->branch, "党课", &c), own);
    s = json_object_get(json_object_get(c, "summary"), "党课");
    assert_int_equal(res_int(s, "required"), 0);
    json_decref(c);
    /* a rule for another procuratorate's branches does not apply */
    int64_t city_branch = fx_create(f, "branches",
                                    json_pack("{s:I,s:s,s:s}", "procuratorate_id", (json_int_t)f->city,
                                              "name", "市院支部", "kind", "党支部"));
    assert_int_equal(rule_used(f, city_branch, "党课", &c), general);
    json_decref(c);
}

static void per_party_group(void **state)
{
    struct fx *f = *state;
    int64_t g1 = group(f, f->branch, "一组"), g2 = group(f, f->branch, "二组");
    (void)g2;
    meeting(f, "党小组会", "2020-05-06", g1);
    meeting(f, "党小组会", "2020-05-20", g1); /* a second one of the same group counts once */
    json_t *c = NULL;
    rule_used(f, f->branch, "党小组会", &c);
    json_t *s = json_object_get(json_object_get(c, "summary"), "党小组会");
    assert_int_equal(res_int(s, "required"), 24);
    assert_int_equal(res_int(s, "held"), 2);
    assert_int_equal(res_int(s, "missing"), 23);
    json_t *may =
        json_array_get(json_object_get(json_array_get(json_object_get(c, "months"), 4), "cells"), 2);
    assert_string_equal(res_str(may, "kind"), "党小组会");
    assert_int_equal(res_int(may, "held"), 2);
    assert_string_equal(res_str(may, "status"), "missing");
    json_decref(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(periods),
        cmocka_unit_test_setup_teardown(terms_follow_the_member, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(expected_attendees, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(batch_all_or_none, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(the_most_specific_rule_applies, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(per_party_group, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests_name("domain/partylife", tests, NULL, NULL);
}
