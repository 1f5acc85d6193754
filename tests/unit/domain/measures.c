/*
 * Unit tests for src/domain/measures.c on a hand-built branch whose every measure was
 * counted by hand: the pairs, the values, 缺项 where nothing was counted, the months they
 * fall in, and the records behind a value.
 *
 * The branch 旗院党支部 in 2025 (today is later, so every period of 2025 is over):
 *   members 甲 and 乙 (joined 2010), no party groups (so 党小组会 requires nothing);
 *   meetings: 支委会 01-05 and 02-05, 支部党员大会 03-10, 党课 05-20, 主题党日 06-01,
 *   学习 07-01 — the rules ask 支部党员大会 and 党课 once a quarter, 支委会 monthly:
 *   三会一课 = (1 + 1 + 2) / (4 + 4 + 12) = 4/20;
 *   attendance: 支委会 01-05 甲 出席; 支部党员大会 甲 出席, 乙 缺席 = 2/3;
 *   cases: C1 closed 04-30 led by 甲; C2 closed 08-01 led by 外人 (no member) with 乙 as
 *   assistant; C3 still open: 办结 2, 党员主办 1/2;
 *   reviews of C1 on 05-10: 90 and 80 = 85; the 主题党日 linked to C1: 关联业务 1/6.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "domain/measures.h"
#include "domain/partylife.h"
#include "fixture.h"

static int64_t member(struct fx *f, const char *name)
{
    return fx_create(f, "members",
                     json_pack("{s:s,s:I,s:s}", "name", name, "branch_id", (json_int_t)f->branch,
                               "joined_party", "2010-01-01"));
}

static int64_t meeting_in(struct fx *f, int64_t branch, const char *kind, const char *day)
{
    json_t *b = json_pack("{s:I,s:s,s:s,s:s}", "branch_id", (json_int_t)branch, "kind", kind, "held_on", day,
                          "topic", kind);
    if (!strcmp(kind, "学习"))
        json_object_set_new(b, "study_dimension", json_string("党性锤炼"));
    return fx_create(f, "activities", b);
}

static int64_t meeting(struct fx *f, const char *kind, const char *day)
{
    return meeting_in(f, f->branch, kind, day);
}

static void attend(struct fx *f, int64_t activity, int64_t m, const char *status)
{
    json_t *b = json_pack("{s:I,s:I,s:s}", "activity_id", (json_int_t)activity, "member_id", (json_int_t)m,
                          "status", status);
    if (!strcmp(status, "缺席"))
        json_object_set_new(b, "reason", json_string("病假"));
    fx_create(f, "attendance", b);
}

static int64_t closed_case(struct fx *f, const char *no, const char *closed)
{
    char received[16] = "2025-01-10", decided[16] = "2025-01-20"; /* in the year it closed */
    if (closed) {
        memcpy(received, closed, 4);
        memcpy(decided, closed, 4);
    }
    json_t *b = json_pack("{s:I,s:s,s:s,s:s,s:s}", "procuratorate_id", (json_int_t)f->county, "case_no", no,
                          "title", "某某案", "type", "审查起诉", "received_on", received);
    if (closed) {
        json_object_set_new(b, "decided_on", json_string(decided));
        json_object_set_new(b, "closed_on", json_string(closed));
    }
    return fx_create(f, "cases", b);
}

static void pair_is(struct measure_grid *g, struct fx *f, const char *name, const char *from, const char *to,
                    double num, double den)
{
    int m = measure_find(name);
    assert_true(m >= 0);
    double n, d;
    assert_true(measure_sum(g, m, f->branch, from, to, &n, &d));
    if (n != num || d != den)
        fail_msg("%s %s..%s: (%g, %g), wanted (%g, %g)", name, from, to, n, d, num, den);
}

static void a_branch_counted_by_hand(void **state)
{
    struct fx *f = *state;
    int64_t jia = member(f, "甲"), yi = member(f, "乙");
    int64_t s1 = meeting(f, "支委会", "2025-01-05");
    meeting(f, "支委会", "2025-02-05");
    int64_t big = meeting(f, "支部党员大会", "2025-03-10");
    meeting(f, "党课", "2025-05-20");
    int64_t day = meeting(f, "主题党日", "2025-06-01");
    meeting(f, "学习", "2025-07-01");
    attend(f, s1, jia, "出席");
    attend(f, big, jia, "出席");
    attend(f, big, yi, "缺席");
    int64_t c1 = closed_case(f, "C1", "2025-04-30"), c2 = closed_case(f, "C2", "2025-08-01");
    int64_t c3 = closed_case(f, "C3", NULL);
    fx_create(f, "case-members",
              json_pack("{s:I,s:s,s:I}", "case_id", (json_int_t)c1, "role", "主办检察官", "member_id",
                        (json_int_t)jia));
    fx_create(
        f, "case-members",
        json_pack("{s:I,s:s,s:s}", "case_id", (json_int_t)c2, "role", "主办检察官", "person_name", "外人"));
    fx_create(f, "case-members",
              json_pack("{s:I,s:s,s:I}", "case_id", (json_int_t)c2, "role", "检察官助理", "member_id",
                        (json_int_t)yi));
    fx_create(f, "case-members",
              json_pack("{s:I,s:s,s:I}", "case_id", (json_int_t)c3, "role", "主办检察官", "member_id",
                        (json_int_t)jia));
    fx_create(f, "case-reviews",
              json_pack("{s:I,s:s,s:i,s:s}", "case_id", (json_int_t)c1, "aspect", "政治考量", "score", 90,
                        "reviewed_on", "2025-05-10"));
    fx_create(f, "case-reviews",
              json_pack("{s:I,s:s,s:i,s:s}", "case_id", (json_int_t)c1, "aspect", "社会影响", "score", 80,
                        "reviewed_on", "2025-05-10"));
    fx_create(f, "activity-items",
              json_pack("{s:I,s:s,s:I}", "activity_id", (json_int_t)day, "item_coll", "cases", "item_id",
                        (json_int_t)c1));

    struct rerr e = {0};
    struct measure_grid *g = NULL;
    assert_int_equal(store_begin_read(f->c, &e), 0);
    assert_int_equal(measure_grid_load(&f->x, 2024, 2025, 0, &g, &e), 0);
    pair_is(g, f, "三会一课完成率", "2025-01", "2025-12", 4, 20);
    pair_is(g, f, "三会一课完成率", "2025-01", "2025-03", 3, 5); /* Q1: 大会 1/1, 党课 0/1, 支委 2/3 */
    pair_is(g, f, "党员出勤率", "2025-01", "2025-12", 2, 3);
    pair_is(g, f, "党员出勤率", "2025-03", "2025-03", 1, 2);
    pair_is(g, f, "主题党日次数", "2025-01", "2025-12", 1, 0);
    pair_is(g, f, "党员学习次数", "2025-01", "2025-12", 1, 0);
    pair_is(g, f, "办结案件数", "2025-01", "2025-12", 2, 0);
    pair_is(g, f, "办结案件数", "2025-04", "2025-04", 1, 0);
    pair_is(g, f, "党员主办案件占比", "2025-01", "2025-12", 1, 2);
    pair_is(g, f, "三必评平均分", "2025-01", "2025-12", 170, 2);
    pair_is(g, f, "关联业务组织生活占比", "2025-01", "2025-12", 1, 6);
    pair_is(g, f, "公益诉讼立案数", "2025-01", "2025-12", 0, 0);
    /* 2024 had nothing: a count is 0, a rate 缺项 */
    pair_is(g, f, "党员出勤率", "2024-01", "2024-12", 0, 0);
    double v;
    assert_false(measure_value(measure_at(measure_find("党员出勤率")), 0, 0, &v));
    assert_true(measure_value(measure_at(measure_find("主题党日次数")), 0, 0, &v) && v == 0);
    assert_true(measure_value(measure_at(measure_find("三必评平均分")), 170, 2, &v) && v == 85);
    /* outside the grid's years: no answer */
    double n, d;
    assert_false(measure_sum(g, 0, f->branch, "2023-01", "2023-12", &n, &d));
    assert_false(measure_sum(g, 0, 999999, "2025-01", "2025-12", &n, &d));
    measure_grid_free(g);

    /* the records behind the case share: both closed cases, C1 counted in the numerator */
    json_t *recs = NULL;
    assert_int_equal(measure_records(&f->x, measure_find("党员主办案件占比"), f->branch, "2025-01-01",
                                     "2026-01-01", 50, &recs, &e),
                     0);
    assert_int_equal(json_array_size(recs), 2);
    assert_int_equal(res_int(json_array_get(recs, 0), "id"), c1);
    assert_true(json_real_value(json_object_get(json_array_get(recs, 0), "num")) == 1);
    assert_int_equal(res_int(json_array_get(recs, 1), "id"), c2);
    assert_true(json_real_value(json_object_get(json_array_get(recs, 1), "num")) == 0);
    json_decref(recs);
    store_rollback(f->c);
}

/* Every measure is named once, defined in Chinese, and its records query runs. */
static void the_catalogue_is_whole(void **state)
{
    struct fx *f = *state;
    assert_true(measure_count() >= 16);
    struct rerr e = {0};
    assert_int_equal(store_begin_read(f->c, &e), 0);
    for (int i = 0; i < measure_count(); i++) {
        const struct measure *m = measure_at(i);
        assert_int_equal(measure_find(m->name), i);
        assert_true(strlen(m->definition) > 20);
        assert_true(!strcmp(m->group, "党建") || !strcmp(m->group, "业务") || !strcmp(m->group, "融合"));
        json_t *recs = NULL;
        if (measure_records(&f->x, i, f->branch, "2025-01-01", "2026-01-01", 10, &recs, &e) < 0)
            fail_msg("%s: %s", m->name, e.message);
        json_decref(recs);
    }
    store_rollback(f->c);
    assert_int_equal(measure_find("没有这个"), -1);
    /* and docs/evaluation-measures.md lists each with its definition (make unit runs from the top) */
    FILE *doc = fopen("docs/evaluation-measures.md", "r");
    assert_non_null(doc);
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof text - 1, doc);
    fclose(doc);
    text[n] = 0;
    for (int i = 0; i < measure_count(); i++)
        if (!strstr(text, measure_at(i)->name) || !strstr(text, measure_at(i)->definition))
            fail_msg("docs/evaluation-measures.md lacks %s as the catalogue defines it", measure_at(i)->name);
    /* and, for members and party groups, the meaning each measure has for them */
    int people = 0;
    for (int i = 0; i < measure_count(); i++)
        for (enum measure_of of = MEASURE_OF_MEMBER; of <= MEASURE_OF_GROUP; of++) {
            const char *d = measure_definition(i, of);
            people += d != NULL;
            if (d && !strstr(text, d))
                fail_msg("docs/evaluation-measures.md lacks %s for %s as measures_people.c defines it",
                         measure_at(i)->name, of == MEASURE_OF_MEMBER ? "党员" : "党小组");
        }
    assert_true(people >= 10);
}

/* Every pair of the grid "a" equals that of "b" for the branches and months given, of
 * measure "only" (a's one: measure_grid_load_one) or, when it is -1, of every measure. */
static void grids_agree(struct measure_grid *a, struct measure_grid *b, int only, const int64_t *branches,
                        int nb, const char *when)
{
    for (int m = 0; m < measure_count(); m++)
        for (int i = 0; (only < 0 || m == only) && i < nb; i++)
            for (int k = 0; k < 24; k++) {
                char ym[16];
                snprintf(ym, sizeof ym, "%04d-%02d", 2024 + k / 12, k % 12 + 1);
                double an, ad, bn, bd;
                assert_true(measure_sum(a, m, branches[i], ym, ym, &an, &ad));
                assert_true(measure_sum(b, m, branches[i], ym, ym, &bn, &bd));
                if (an != bn || ad != bd)
                    fail_msg("%s: %s of branch %lld in %s: kept (%g, %g), computed (%g, %g)", when,
                             measure_at(m)->name, (long long)branches[i], ym, an, ad, bn, bd);
            }
}

/* The grid as a run reads it (kept months, measure_keep first when "keep") against one
 * computed afresh from the ledgers. */
static void as_fresh(struct fx *f, const int64_t *branches, int nb, bool keep, const char *when)
{
    struct rerr e = {0};
    int kept = -1;
    if (keep)
        assert_int_equal(measure_keep(&f->x, 2024, 2025, &kept, &e), 0);
    struct measure_grid *a = NULL, *b = NULL;
    assert_int_equal(store_begin_read(f->c, &e), 0);
    assert_int_equal(measure_grid_load(&f->x, 2024, 2025, 0, &a, &e), 0);
    assert_int_equal(measure_grid_compute(&f->x, 2024, 2025, 0, &b, &e), 0);
    grids_agree(a, b, -1, branches, nb, when);
    /* one branch alone, as an explanation reads it (the marks of the others left out) */
    for (int i = 0; i < nb; i++) {
        struct measure_grid *one = NULL;
        assert_int_equal(measure_grid_load(&f->x, 2024, 2025, branches[i], &one, &e), 0);
        grids_agree(one, b, -1, &branches[i], 1, when);
        measure_grid_free(one);
    }
    /* each measure alone, as 全勤异常 reads 党员出勤率: the same pairs, and no other measure */
    for (int m = 0; m < measure_count(); m++) {
        struct measure_grid *one = NULL;
        assert_int_equal(measure_grid_load_one(&f->x, m, 2024, 2025, &one, &e), 0);
        grids_agree(one, b, m, branches, nb, when);
        double num, den;
        assert_false(
            measure_sum(one, (m + 1) % measure_count(), branches[0], "2025-01", "2025-12", &num, &den));
        measure_grid_free(one);
    }
    store_rollback(f->c);
    measure_grid_free(a);
    measure_grid_free(b);
}

static int64_t count_rows(struct fx *f, const char *sql)
{
    store_stmt *st = store_prepare(f->c, sql);
    store_step(st, NULL);
    int64_t n = store_col_int(st, 0);
    store_done(st);
    return n;
}

/* The rows of eval_pairs (a month of a measure each) kept whole (no branch of theirs marked
 * in eval_pairs_dirty), of measure "m" when not NULL. */
static int64_t kept_months(struct fx *f, const char *m)
{
    store_stmt *st =
        store_prepare(f->c, "SELECT count(*) FROM eval_pairs p WHERE (?1 IS NULL OR measure = ?1)"
                            " AND NOT EXISTS (SELECT 1 FROM eval_pairs_dirty d"
                            " WHERE d.month = p.month AND d.measure = p.measure)");
    store_bind_text(st, 1, m);
    store_step(st, NULL);
    int64_t n = store_col_int(st, 0);
    store_done(st);
    return n;
}

/* The kept months (migration 019) never give a number a fresh computation would not: after
 * records are added, a date moves a record to another month, records are deleted, and a
 * member moves to another branch (their cases and reviews follow them), each read both
 * before the months are kept again (the changed ones computed live) and after. */
static void kept_months_are_what_a_fresh_grid_gives(void **state)
{
    struct fx *f = *state;
    struct rerr e = {0};
    int64_t other = fx_create(f, "branches",
                              json_pack("{s:I,s:s,s:s}", "procuratorate_id", (json_int_t)f->county, "name",
                                        "第二支部", "kind", "党支部"));
    int64_t br[2] = {f->branch, other};
    int64_t jia = member(f, "甲"), yi = member(f, "乙");
    int64_t s1 = meeting(f, "支委会", "2025-01-05");
    int64_t big = meeting(f, "支部党员大会", "2025-03-10");
    meeting(f, "党课", "2025-05-20");
    attend(f, s1, jia, "出席");
    attend(f, big, jia, "出席");
    attend(f, big, yi, "缺席");
    int64_t c1 = closed_case(f, "C1", "2025-04-30"), c2 = closed_case(f, "C2", "2025-08-01");
    fx_create(f, "case-members",
              json_pack("{s:I,s:s,s:I}", "case_id", (json_int_t)c1, "role", "主办检察官", "member_id",
                        (json_int_t)jia));
    fx_create(f, "case-members",
              json_pack("{s:I,s:s,s:I}", "case_id", (json_int_t)c2, "role", "主办检察官", "member_id",
                        (json_int_t)yi));
    int64_t rv = fx_create(f, "case-reviews",
                           json_pack("{s:I,s:s,s:i,s:s}", "case_id", (json_int_t)c2, "aspect", "政治考量",
                                     "score", 90, "reviewed_on", "2025-08-10"));
    as_fresh(f, br, 2, true, "first kept");
    assert_int_equal(kept_months(f, NULL), 24 * measure_count()); /* both years are wholly past */

    /* added: a meeting in 2025-06 (and the quarter's and year's end for 三会一课): the
     * months stay kept, this branch's cells of them marked (migration 023) */
    int64_t s2 = meeting(f, "支委会", "2025-06-03");
    attend(f, s2, yi, "出席");
    assert_true(kept_months(f, NULL) < 24 * measure_count());
    assert_int_equal(count_rows(f, "SELECT count(*) FROM eval_pairs"), 24 * measure_count());
    assert_int_equal(count_rows(f, "SELECT count(DISTINCT branch_id) FROM eval_pairs_dirty"), 1);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM eval_pairs_dirty WHERE month = '2025-06'"
                                   " AND measure = '党员出勤率'"),
                     1);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM eval_pairs_dirty WHERE measure = '三会一课完成率'"),
                     2);
    assert_int_equal(kept_months(f, "办结案件数"), 24); /* a measure the meeting does not feed */
    as_fresh(f, br, 2, false, "after an insert, not kept again");
    as_fresh(f, br, 2, true, "after an insert");
    assert_int_equal(count_rows(f, "SELECT count(*) FROM eval_pairs_dirty"), 0);
    /* both branches marked in one month (more than a quarter of them): the month computed whole */
    meeting_in(f, other, "主题党日", "2025-07-01");
    meeting(f, "主题党日", "2025-07-02");
    as_fresh(f, br, 2, false, "both branches marked, not kept again");
    as_fresh(f, br, 2, true, "both branches marked");
    assert_int_equal(count_rows(f, "SELECT count(*) FROM eval_pairs_dirty"), 0);
    /* moved: the meeting of 2025-01-05 to 2025-11-20, its attendance with it */
    assert_int_equal(
        fx_update(&f->x, "activities", s1,
                  json_pack("{s:I,s:s}", "version", fx_version(f, "activities", s1), "held_on", "2025-11-20"),
                  &e),
        0);
    as_fresh(f, br, 2, false, "after a date moved, not kept again");
    as_fresh(f, br, 2, true, "after a date moved");
    /* a case closed on another day, a review on another day */
    assert_int_equal(
        fx_update(&f->x, "cases", c1,
                  json_pack("{s:I,s:s}", "version", fx_version(f, "cases", c1), "closed_on", "2025-10-15"),
                  &e),
        0);
    assert_int_equal(fx_update(&f->x, "case-reviews", rv,
                               json_pack("{s:I,s:s}", "version", fx_version(f, "case-reviews", rv),
                                         "reviewed_on", "2025-09-01"),
                               &e),
                     0);
    /* the months the case left and came to, marked for its team's branch */
    assert_int_equal(count_rows(f, "SELECT count(*) FROM eval_pairs WHERE measure = '办结案件数'"), 24);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM eval_pairs_dirty WHERE measure = '办结案件数'"
                                   " AND month IN ('2025-04', '2025-10')"),
                     2);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM eval_pairs_dirty WHERE measure = '三必评平均分'"
                                   " AND month IN ('2025-08', '2025-09')"),
                     2);
    as_fresh(f, br, 2, false, "after a case moved, not kept again");
    as_fresh(f, br, 2, true, "after a case moved");
    /* a team changed: a member of the second branch joins the case of August (it counts
     * there now, with its review), and the first case loses its lead (no lead: out of
     * 党员主办案件占比's denominator) */
    int64_t bing = fx_create(f, "members",
                             json_pack("{s:s,s:I,s:s}", "name", "丙", "branch_id", (json_int_t)other,
                                       "joined_party", "2012-01-01"));
    fx_create(f, "case-members",
              json_pack("{s:I,s:s,s:I}", "case_id", (json_int_t)c2, "role", "检察官助理", "member_id",
                        (json_int_t)bing));
    int64_t lead = count_rows(f, "SELECT id FROM case_members WHERE role = '主办检察官' ORDER BY id LIMIT 1");
    assert_int_equal(
        res_delete(&f->x, res_find("case-members"), lead, fx_version(f, "case-members", lead), &e), 0);
    assert_true(count_rows(f, "SELECT count(DISTINCT branch_id) FROM eval_pairs_dirty") == 2);
    as_fresh(f, br, 2, false, "after a team changed, not kept again");
    as_fresh(f, br, 2, true, "after a team changed");
    /* two members of one branch on one team: the case counts there once */
    int64_t second = fx_create(f, "case-members",
                               json_pack("{s:I,s:s,s:I}", "case_id", (json_int_t)c2, "role", "书记员",
                                         "member_id", (json_int_t)jia));
    as_fresh(f, br, 2, false, "two of a branch on a team, not kept again");
    as_fresh(f, br, 2, true, "two of a branch on a team");
    struct measure_grid *two = NULL;
    assert_int_equal(store_begin_read(f->c, &e), 0);
    assert_int_equal(measure_grid_compute(&f->x, 2024, 2025, 0, &two, &e), 0);
    store_rollback(f->c);
    pair_is(two, f, "办结案件数", "2025-08", "2025-08", 1, 0);
    pair_is(two, f, "三必评平均分", "2025-09", "2025-09", 90, 1);
    measure_grid_free(two);
    assert_int_equal(
        res_delete(&f->x, res_find("case-members"), second, fx_version(f, "case-members", second), &e), 0);
    /* deleted: the review, the meeting of 2025-06 with its attendance */
    assert_int_equal(res_delete(&f->x, res_find("case-reviews"), rv, fx_version(f, "case-reviews", rv), &e),
                     0);
    assert_int_equal(res_delete(&f->x, res_find("activities"), s2, fx_version(f, "activities", s2), &e), 0);
    as_fresh(f, br, 2, false, "after deletes, not kept again");
    as_fresh(f, br, 2, true, "after deletes");
    /* a transfer: 乙 to the second branch from 2025-05-01 — the case they led, closed in
     * August, now counts there */
    assert_int_equal(fx_update(&f->x, "members", yi,
                               json_pack("{s:I,s:I,s:s}", "version", fx_version(f, "members", yi),
                                         "branch_id", (json_int_t)other, "moved_on", "2025-05-01"),
                               &e),
                     0);
    as_fresh(f, br, 2, false, "after a transfer, not kept again");
    as_fresh(f, br, 2, true, "after a transfer");
    struct measure_grid *g = NULL;
    assert_int_equal(store_begin_read(f->c, &e), 0);
    assert_int_equal(measure_grid_load(&f->x, 2024, 2025, 0, &g, &e), 0);
    store_rollback(f->c);
    pair_is(g, f, "办结案件数", "2025-08", "2025-08", 0, 0);
    double n, d;
    assert_true(measure_sum(g, measure_find("办结案件数"), other, "2025-08", "2025-08", &n, &d) && n == 1);
    measure_grid_free(g);
    /* a party group added: every month's 三会一课 may change (党小组会 per group) */
    fx_create(f, "party-groups",
              json_pack("{s:I,s:s}", "branch_id", (json_int_t)f->branch, "name", "第一党小组"));
    assert_int_equal(kept_months(f, "三会一课完成率"), 0);
    assert_int_equal(kept_months(f, "党员出勤率"), 24);
    as_fresh(f, br, 2, true, "after a party group");
}

/* A run asks for some months only (eval_run.c months_wanted): those are kept and read as a
 * fresh grid gives them; the others are neither kept nor summed (measure_sum false), and
 * a later keep of every month computes them instead of finding zeros. */
static void only_the_months_wanted(void **state)
{
    struct fx *f = *state;
    struct rerr e = {0};
    int64_t jia = member(f, "甲");
    int64_t s1 = meeting(f, "支委会", "2024-03-05"), s2 = meeting(f, "支委会", "2025-03-05");
    attend(f, s1, jia, "出席");
    attend(f, s2, jia, "缺席");
    int64_t c1 = closed_case(f, "C1", "2024-04-30"), c2 = closed_case(f, "C2", "2025-04-30");
    for (int i = 0; i < 2; i++)
        fx_create(f, "case-members",
                  json_pack("{s:I,s:s,s:I}", "case_id", (json_int_t)(i ? c2 : c1), "role", "主办检察官",
                            "member_id", (json_int_t)jia));
    int n = measure_count(), cases = measure_find("办结案件数"), att = measure_find("党员出勤率");
    bool *want = calloc((size_t)24 * (size_t)n, sizeof *want);
    assert_non_null(want);
    for (int k = 12; k < 24; k++)
        for (int m = 0; m < n; m++)
            want[k * n + m] = true; /* 2025, every measure */
    for (int k = 0; k < 12; k++)
        want[k * n + cases] = true; /* and 2024's 办结案件数 */
    int kept = -1;
    assert_int_equal(measure_keep_wanted(&f->x, 2024, 2025, want, &kept, &e), 0);
    assert_int_equal(kept, 12 * n + 12);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM eval_pairs WHERE month < '2025-01'"), 12);
    struct measure_grid *g = NULL, *fresh = NULL;
    assert_int_equal(store_begin_read(f->c, &e), 0);
    assert_int_equal(measure_grid_load_wanted(&f->x, 2024, 2025, want, &g, &e), 0);
    assert_int_equal(measure_grid_compute(&f->x, 2024, 2025, 0, &fresh, &e), 0);
    store_rollback(f->c);
    for (int k = 0; k < 24; k++)
        for (int m = 0; m < n; m++) {
            char ym[16];
            snprintf(ym, sizeof ym, "%04d-%02d", 2024 + k / 12, k % 12 + 1);
            double an, ad, bn, bd;
            bool has = measure_sum(g, m, f->branch, ym, ym, &an, &ad);
            assert_true(measure_sum(fresh, m, f->branch, ym, ym, &bn, &bd));
            if (has != want[k * n + m] || (has && (an != bn || ad != bd)))
                fail_msg("%s in %s: wanted %d, read %d (%g, %g), fresh (%g, %g)", measure_at(m)->name, ym,
                         want[k * n + m], has, an, ad, bn, bd);
        }
    double num, den;
    assert_false(measure_sum(g, att, f->branch, "2024-12", "2025-03", &num, &den)); /* a month absent */
    assert_true(measure_sum(g, cases, f->branch, "2024-01", "2025-12", &num, &den) && num == 2);
    measure_grid_free(g);
    measure_grid_free(fresh);
    free(want);
    /* every month now: 2024's others computed (not read as zeros) and kept */
    assert_int_equal(measure_keep(&f->x, 2024, 2025, &kept, &e), 0);
    assert_int_equal(kept, 12 * (n - 1));
    assert_int_equal(store_begin_read(f->c, &e), 0);
    assert_int_equal(measure_grid_load(&f->x, 2024, 2025, 0, &g, &e), 0);
    store_rollback(f->c);
    pair_is(g, f, "党员出勤率", "2024-03", "2024-03", 1, 1);
    pair_is(g, f, "党员出勤率", "2025-03", "2025-03", 0, 1);
    measure_grid_free(g);
}

/* The kept months as (month, measure, bytes) lines, in order. */
static char *kept_rows(struct fx *f)
{
    store_stmt *st =
        store_prepare(f->c, "SELECT group_concat(month || ' ' || measure || ' ' || hex(data),"
                            " char(10)) FROM (SELECT * FROM eval_pairs ORDER BY month, measure)");
    store_step(st, NULL);
    char *out = strdup(store_col_text(st, 0) ? store_col_text(st, 0) : "");
    store_done(st);
    return out;
}

/* measure_keep computes the measures on two threads when it can have a second connection
 * and on one when it cannot (every other connection of the pool taken): the months kept
 * are the same, byte for byte. */
static void kept_months_are_the_same_on_one_thread_or_two(void **state)
{
    struct fx *f = *state;
    struct rerr e = {0};
    int64_t jia = member(f, "甲"), yi = member(f, "乙");
    for (int i = 0; i < 12; i++) {
        char day[16];
        snprintf(day, sizeof day, "2025-%02d-2%d", i + 1, i % 9);
        int64_t s1 = meeting(f, i % 3 ? "支委会" : "党课", day);
        attend(f, s1, jia, "出席");
        attend(f, s1, yi, i % 4 ? "出席" : "缺席");
        char no[8];
        snprintf(no, sizeof no, "C%d", i);
        int64_t c = closed_case(f, no, day);
        fx_create(f, "case-members",
                  json_pack("{s:I,s:s,s:I}", "case_id", (json_int_t)c, "role", "主办检察官", "member_id",
                            (json_int_t)(i % 2 ? jia : yi)));
    }
    int kept = 0;
    assert_int_equal(measure_keep(&f->x, 2024, 2025, &kept, &e), 0);
    assert_int_equal(kept, 24 * measure_count());
    char *two = kept_rows(f);
    assert_int_equal(store_exec(f->c, "DELETE FROM eval_pairs", &e), 0);
    store_conn *held[64];
    int n = 0;
    while (n < 64 && (held[n] = store_try_acquire(store_conn_owner(f->c))) != NULL)
        n++;
    assert_true(n < 64); /* the pool ran out: no second connection to be had */
    assert_int_equal(measure_keep(&f->x, 2024, 2025, &kept, &e), 0);
    assert_int_equal(kept, 24 * measure_count());
    for (int i = 0; i < n; i++)
        store_release(held[i]);
    char *one = kept_rows(f);
    assert_true(strlen(one) > 1000);
    assert_string_equal(one, two);
    free(one);
    free(two);
}

/* 三会一课完成率 as the grid computes it for every branch at once equals what the party-life
 * ledger's completeness answers branch by branch (life_completeness_in): rules of every
 * reach (everyone's, a level's, a procuratorate's, a branch's own; 月, 季度, 年; per party
 * group), meetings of groups and of none, this year's periods not over yet. */
static void life_as_the_ledger_answers_it(void **state)
{
    struct fx *f = *state;
    int64_t other = fx_create(f, "branches",
                              json_pack("{s:I,s:s,s:s}", "procuratorate_id", (json_int_t)f->county, "name",
                                        "第二支部", "kind", "党支部"));
    int64_t city_branch = fx_create(f, "branches",
                                    json_pack("{s:I,s:s,s:s}", "procuratorate_id", (json_int_t)f->city,
                                              "name", "市院支部", "kind", "党支部"));
    int64_t g1 =
        fx_create(f, "party-groups", json_pack("{s:I,s:s}", "branch_id", (json_int_t)other, "name", "一组"));
    int64_t g2 =
        fx_create(f, "party-groups", json_pack("{s:I,s:s}", "branch_id", (json_int_t)other, "name", "二组"));
    fx_create(
        f, "life-rules",
        json_pack("{s:i,s:s,s:s,s:i}", "level", 2, "kind", "党课", "period", "月", "required_count", 1));
    fx_create(f, "life-rules",
              json_pack("{s:I,s:s,s:s,s:i}", "procuratorate_id", (json_int_t)f->county, "kind", "主题党日",
                        "period", "年", "required_count", 6));
    fx_create(f, "life-rules",
              json_pack("{s:I,s:s,s:s,s:i}", "branch_id", (json_int_t)other, "kind", "支委会", "period",
                        "季度", "required_count", 2));
    const char *days[] = {"2025-01-05", "2025-02-11", "2025-03-30", "2025-04-01", "2025-06-30",
                          "2025-07-15", "2025-11-02", "2025-12-31", "2026-01-10", "2026-03-03"};
    const char *kinds[] = {"支委会", "党小组会", "党课", "支部党员大会", "主题党日"};
    int64_t branches[3] = {f->branch, other, city_branch};
    for (int i = 0; i < 10; i++)
        for (int b = 0; b < 3; b++)
            for (int k = 0; k < 5; k++) {
                if ((i + b + k) % 3 == 0 || (!strcmp(kinds[k], "党小组会") && branches[b] != other))
                    continue; /* (a 党小组会 needs a party group) */
                json_t *body = json_pack("{s:I,s:s,s:s,s:s}", "branch_id", (json_int_t)branches[b], "kind",
                                         kinds[k], "held_on", days[i], "topic", kinds[k]);
                if (!strcmp(kinds[k], "党小组会") && branches[b] == other)
                    json_object_set_new(body, "party_group_id", json_integer((i + k) % 3 == 0 ? g1 : g2));
                fx_create(f, "activities", body);
            }
    struct rerr e = {0};
    struct measure_grid *g = NULL;
    assert_int_equal(store_begin_read(f->c, &e), 0);
    assert_int_equal(measure_grid_compute(&f->x, 2025, 2026, 0, &g, &e), 0);
    int m = measure_find("三会一课完成率");
    for (int b = 0; b < 3; b++)
        for (int y = 2025; y <= 2026; y++) {
            double want[12][2] = {{0}};
            json_t *c = NULL;
            assert_int_equal(life_completeness_in(&f->x, branches[b], y, &c, &e), 0);
            size_t i;
            json_t *p;
            json_array_foreach(json_object_get(c, "periods"), i, p)
            {
                if (strcmp(json_string_value(json_object_get(p, "state")), "over") != 0)
                    continue;
                int last = (int)json_integer_value(json_object_get(p, "to"));
                want[last - 1][0] += (double)(json_integer_value(json_object_get(p, "required")) -
                                              json_integer_value(json_object_get(p, "missing")));
                want[last - 1][1] += (double)json_integer_value(json_object_get(p, "required"));
            }
            json_decref(c);
            for (int k = 0; k < 12; k++) {
                char ym[16];
                snprintf(ym, sizeof ym, "%04d-%02d", y, k + 1);
                double n, d;
                assert_true(measure_sum(g, m, branches[b], ym, ym, &n, &d));
                if (n != want[k][0] || d != want[k][1])
                    fail_msg("branch %lld %s: grid (%g, %g), completeness (%g, %g)", (long long)branches[b],
                             ym, n, d, want[k][0], want[k][1]);
                /* a grid of the branch alone reads it alone, to the same numbers */
                struct measure_grid *one = NULL;
                assert_int_equal(measure_grid_compute(&f->x, 2025, 2026, branches[b], &one, &e), 0);
                assert_true(measure_sum(one, m, branches[b], ym, ym, &n, &d));
                if (n != want[k][0] || d != want[k][1])
                    fail_msg("branch %lld alone %s: grid (%g, %g), completeness (%g, %g)",
                             (long long)branches[b], ym, n, d, want[k][0], want[k][1]);
                measure_grid_free(one);
            }
        }
    store_rollback(f->c);
    measure_grid_free(g);
}

static void raw(struct fx *f, const char *sql, int64_t a, int64_t b, int64_t c)
{
    store_stmt *st = store_prepare(f->c, sql);
    int n = 0;
    for (const char *q = sql; (q = strchr(q, '?')); q++)
        n++;
    int64_t v[3] = {a, b, c};
    for (int i = 0; i < n && i < 3; i++)
        store_bind_int(st, i + 1, v[i]);
    struct rerr e = {0};
    assert_true(store_step(st, &e) >= 0);
    store_done(st);
}

/* Every month of 2025 of the case measures, for branches br[0..2]: the grid's pair equals
 * the sum of the records behind the value; the numerators' total into *seen. */
static void case_measures_as_records(struct fx *f, const int64_t br[3], double *seen)
{
    struct rerr e = {0};
    const char *measures[] = {"办结案件数", "党员主办案件占比", "三必评平均分"};
    struct measure_grid *g = NULL;
    assert_int_equal(store_begin_read(f->c, &e), 0);
    assert_int_equal(measure_grid_compute(&f->x, 2025, 2025, 0, &g, &e), 0);
    *seen = 0;
    for (int i = 0; i < 3; i++) {
        int m = measure_find(measures[i]);
        for (int b = 0; b < 3; b++)
            for (int k = 1; k <= 12; k++) {
                char ym[16], from[16], to[16];
                snprintf(ym, sizeof ym, "2025-%02d", k);
                snprintf(from, sizeof from, "2025-%02d-01", k);
                snprintf(to, sizeof to, k == 12 ? "2026-01-01" : "2025-%02d-01", k + 1);
                double num, den, rn = 0, rd = 0;
                assert_true(measure_sum(g, m, br[b], ym, ym, &num, &den));
                json_t *rows = NULL;
                assert_int_equal(measure_records(&f->x, m, br[b], from, to, 10000, &rows, &e), 0);
                size_t j;
                json_t *r;
                json_array_foreach(rows, j, r)
                {
                    rn += json_real_value(json_object_get(r, "num"));
                    rd += json_real_value(json_object_get(r, "den"));
                }
                json_decref(rows);
                if (num != rn || den != rd)
                    fail_msg("%s of branch %lld in %s: grid (%g, %g), records (%g, %g)", measures[i],
                             (long long)br[b], ym, num, den, rn, rd);
                *seen += num;
            }
    }
    store_rollback(f->c);
    measure_grid_free(g);
}

/* The case measures place each team member in the branch they belonged to on the day (in
 * C: member_branch_on) exactly as the records behind a value do (in SQL: MEMBER_BRANCH):
 * members moved once and twice, on the very days cases close and reviews are made; one
 * with no term at all (their branch now); one with two terms begun the same day (the last
 * entered); teams led by a member, by an outsider, by nobody. */
static void members_placed_as_their_records_place_them(void **state)
{
    struct fx *f = *state;
    struct rerr e = {0};
    int64_t br[3] = {f->branch, 0, 0};
    const char *names[] = {"第二支部", "第三支部"};
    for (int i = 1; i < 3; i++)
        br[i] = fx_create(f, "branches",
                          json_pack("{s:I,s:s,s:s}", "procuratorate_id", (json_int_t)f->county, "name",
                                    names[i - 1], "kind", "党支部"));
    int64_t jia = member(f, "甲"), yi = member(f, "乙"), bing = member(f, "丙"), ding = member(f, "丁");
    struct {
        int64_t who;
        int to;
        const char *day;
    } moves[] = {{jia, 1, "2025-05-01"}, {yi, 1, "2025-03-01"}, {yi, 2, "2025-09-15"}};
    for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
        assert_int_equal(
            fx_update(&f->x, "members", moves[i].who,
                      json_pack("{s:I,s:I,s:s}", "version", fx_version(f, "members", moves[i].who),
                                "branch_id", (json_int_t)br[moves[i].to], "moved_on", moves[i].day),
                      &e),
            0);
    raw(f, "DELETE FROM member_terms WHERE member_id = ?", bing, 0, 0);
    /* 丁: two open-ended terms from the same day, to the second and then the third branch */
    raw(f, "UPDATE member_terms SET to_date = '2025-06-01' WHERE member_id = ? AND to_date IS NULL", ding, 0,
        0);
    for (int i = 1; i < 3; i++)
        raw(f,
            "INSERT INTO member_terms(procuratorate_id, branch_id, member_id, from_date, to_date, created_at,"
            " updated_at) VALUES (?, ?, ?, '2025-06-01', '2025-12-01', '2025-06-01', '2025-06-01')",
            f->county, br[i], ding);
    const char *days[] = {"2025-02-28", "2025-03-01", "2025-04-30", "2025-05-01", "2025-06-01",
                          "2025-09-14", "2025-09-15", "2025-12-01", "2025-12-31"};
    int64_t people[] = {jia, yi, bing, ding};
    int n = 0;
    for (size_t d = 0; d < sizeof days / sizeof days[0]; d++)
        for (int lead = 0; lead < 4; lead++) {
            char no[16];
            snprintf(no, sizeof no, "K%d", ++n);
            int64_t c = closed_case(f, no, days[d]);
            int base = (lead + (int)d) % 4;
            int64_t helper = people[(base + 1) % 4];
            if ((n % 3) == 0)
                fx_create(f, "case-members",
                          json_pack("{s:I,s:s,s:s}", "case_id", (json_int_t)c, "role", "主办检察官",
                                    "person_name", "外人"));
            else if ((n % 3) == 1)
                fx_create(f, "case-members",
                          json_pack("{s:I,s:s,s:I}", "case_id", (json_int_t)c, "role", "主办检察官",
                                    "member_id", (json_int_t)people[base]));
            fx_create(f, "case-members",
                      json_pack("{s:I,s:s,s:I}", "case_id", (json_int_t)c, "role", "检察官助理", "member_id",
                                (json_int_t)helper));
            if (n % 2)
                fx_create(f, "case-members",
                          json_pack("{s:I,s:s,s:I}", "case_id", (json_int_t)c, "role", "书记员", "member_id",
                                    (json_int_t)people[(base + 2) % 4]));
            fx_create(f, "case-reviews",
                      json_pack("{s:I,s:s,s:i,s:s}", "case_id", (json_int_t)c, "aspect", "群众满意", "score",
                                60 + n, "reviewed_on", days[(d + 1) % (sizeof days / sizeof days[0])]));
        }
    double seen = 0;
    case_measures_as_records(f, br, &seen);
    assert_true(seen > 0);
    /* a member whose id lies far from the others' (the members then found by a search, not
     * by index), with no term: their branch now; on a team with 甲 */
    raw(f,
        "INSERT INTO members(id, procuratorate_id, branch_id, name, created_at, updated_at)"
        " VALUES (9000000, ?, ?, '戊', '2025-01-01', '2025-01-01')",
        f->county, br[2], 0);
    int64_t c = closed_case(f, "K-far", "2025-07-07");
    fx_create(
        f, "case-members",
        json_pack("{s:I,s:s,s:i}", "case_id", (json_int_t)c, "role", "主办检察官", "member_id", 9000000));
    fx_create(f, "case-members",
              json_pack("{s:I,s:s,s:I}", "case_id", (json_int_t)c, "role", "检察官助理", "member_id",
                        (json_int_t)jia));
    double again = 0;
    case_measures_as_records(f, br, &again);
    /* in 戊's branch and in 甲's (the second since May): 办结 one each, 主办 one each (戊 leads) */
    if (again != seen + 4)
        fail_msg("the case of 戊 and 甲 added %g, wanted 4", again - seen);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_branch_counted_by_hand, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(the_catalogue_is_whole, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(kept_months_are_what_a_fresh_grid_gives, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(life_as_the_ledger_answers_it, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(only_the_months_wanted, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(kept_months_are_the_same_on_one_thread_or_two, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(members_placed_as_their_records_place_them, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
