/*
 * Unit tests for src/calc/stats.c: 同频共振 (Spearman with ties and its interval),
 * rankings with tie-breaks and movement, and the formalism signal counts. Expected
 * values are computed by hand (shown in the comments) or with python3's standard library
 * (statistics.NormalDist, math.atanh/tanh on the average ranks), written as decimals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "calc/decimal.h"
#include "calc/stats.h"

static void is(double v, int places, const char *want)
{
    char buf[CALC_DECIMAL_CAP];
    calc_decimal(v, places, buf, sizeof buf);
    assert_string_equal(buf, want);
}

/* ==== Spearman ==== */

static struct calc_corr spear(const double *x, const double *y, int n, int min_n, double level)
{
    struct calc_corr c;
    struct rerr e;
    assert_int_equal(calc_spearman(x, NULL, y, NULL, n, min_n, level, &c, &e), 0);
    return c;
}

static void spearman_without_ties(void **state)
{
    (void)state;
    /* d = ±1 each month, Σd² = 8: rho = 1 - 6·8/(8·63) = 19/21 */
    double x[] = {1, 2, 3, 4, 5, 6, 7, 8}, y[] = {2, 1, 4, 3, 6, 5, 8, 7};
    struct calc_corr c = spear(x, y, 8, 0, 0);
    assert_false(c.missing);
    assert_int_equal(c.n, 8);
    is(c.rho, 12, "0.904761904762");
    is(c.lo, 12, "0.533790356386"); /* python3: tanh(atanh(19/21) - 1.959963984540054·sqrt(1.06/5)) */
    is(c.hi, 12, "0.983684612861");
    is(c.level, 2, "0.95");

    double xd[] = {5, 4, 3, 2, 1, 0}, yd[] = {1, 2, 3, 4, 6, 5};
    c = spear(xd, yd, 6, 0, 0); /* Σd² = 25+9+1+1+4+16... by ranks: rho = -33/35 */
    is(c.rho, 12, "-0.942857142857");
    is(c.lo, 12, "-0.994293493784");
    is(c.hi, 12, "-0.535725739487");
}

static void spearman_with_ties_is_pearson_on_average_ranks(void **state)
{
    (void)state;
    /* ranks x: 1 2.5 2.5 4 5.5 5.5 7; y: 4 1.5 5 1.5 6 7 3 */
    double x[] = {10, 20, 20, 30, 40, 40, 50}, y[] = {3, 1, 4, 1, 5, 9, 2};
    struct calc_corr c = spear(x, y, 7, 0, 0);
    is(c.rho, 12, "0.247716847153");
    is(c.lo, 12, "-0.638699612281");
    is(c.hi, 12, "0.851595905874");
    c = spear(x, y, 7, 0, 0.9);
    is(c.lo, 12, "-0.532595383087");
    is(c.hi, 12, "0.800398119129");
}

static void spearman_perfect_has_a_point_interval(void **state)
{
    (void)state;
    double x[] = {1, 2, 3, 4, 5, 6}, y[] = {10, 20, 30, 40, 50, 60};
    struct calc_corr c = spear(x, y, 6, 0, 0);
    assert_true(c.rho == 1 && c.lo == 1 && c.hi == 1);
}

static void spearman_too_few_months_is_missing(void **state)
{
    (void)state;
    double x[] = {1, 2, 3, 4, 5, 6, 7, 8}, y[] = {2, 1, 4, 3, 6, 5, 8, 7};
    bool xm[] = {0, 0, 1, 0, 0, 0, 0, 0}, ym[] = {0, 0, 0, 0, 1, 0, 0, 1};
    struct calc_corr c;
    assert_int_equal(calc_spearman(x, xm, y, ym, 8, 0, 0, &c, NULL), 0);
    assert_true(c.missing);
    assert_int_equal(c.n, 5);
    assert_string_equal(c.why, "月份不足");
    assert_true(c.rho == 0);
    assert_int_equal(calc_spearman(x, xm, y, ym, 8, 5, 0, &c, NULL), 0); /* the caller's minimum */
    assert_false(c.missing);
    double nan_y[] = {2, 1, NAN, 3, INFINITY, 5, 8, 7};
    assert_int_equal(calc_spearman(x, NULL, nan_y, NULL, 8, 0, 0, &c, NULL), 0);
    assert_int_equal(c.n, 6); /* not finite counts as missing */
    /* never fewer than 4 months, whatever the caller asks */
    assert_int_equal(calc_spearman(x, NULL, y, NULL, 3, 1, 0, &c, NULL), 0);
    assert_true(c.missing);
    assert_int_equal(calc_spearman(x, NULL, y, NULL, 4, 1, 0, &c, NULL), 0);
    assert_false(c.missing);
    assert_int_equal(calc_spearman(x, NULL, y, NULL, 0, 0, 0, &c, NULL), 0);
    assert_true(c.missing);
}

static void spearman_constant_series_is_missing(void **state)
{
    (void)state;
    double x[] = {1, 2, 3, 4, 5, 6}, y[] = {7, 7, 7, 7, 7, 7};
    struct calc_corr c = spear(x, y, 6, 0, 0);
    assert_true(c.missing);
    assert_non_null(strstr(c.why, "业务序列"));
    c = spear(y, x, 6, 0, 0);
    assert_true(c.missing);
    assert_non_null(strstr(c.why, "党建序列"));
    assert_false(isnan(c.rho));
}

static void spearman_is_the_same_bits_in_any_order(void **state)
{
    (void)state;
    double x[] = {0.1, 0.7, 0.3, 0.3, 0.9, 0.2, 0.65, 0.3, 0.11, 0.5, -0.0, 0.0};
    double y[] = {3.3, 1.1, 2.2, 2.2, 9.9, 0.5, 7.0, 2.2, 3.3, 4.4, 1.0, 1.0};
    struct calc_corr a = spear(x, y, 12, 0, 0);
    double px[12], py[12];
    for (int r = 1; r < 12; r++) {
        for (int i = 0; i < 12; i++) {
            int j = (i * 5 + r) % 12; /* 5 is prime to 12: a permutation */
            px[j] = x[i];
            py[j] = y[i];
        }
        struct calc_corr b = spear(px, py, 12, 0, 0);
        assert_memory_equal(&a.rho, &b.rho, sizeof a.rho);
        assert_memory_equal(&a.lo, &b.lo, sizeof a.lo);
        assert_memory_equal(&a.hi, &b.hi, sizeof a.hi);
    }
}

static void spearman_refuses_bad_arguments(void **state)
{
    (void)state;
    double x[] = {1};
    struct calc_corr c;
    struct rerr e;
    assert_int_equal(calc_spearman(x, NULL, x, NULL, -1, 0, 0, &c, &e), R_EINVAL);
    assert_int_equal(calc_spearman(x, NULL, x, NULL, 1, 0, 1.5, &c, &e), R_EINVAL);
    assert_int_equal(calc_spearman(NULL, NULL, x, NULL, 1, 0, 0, &c, &e), R_EINVAL);
    assert_int_equal(calc_spearman(x, NULL, x, NULL, 1, 0, NAN, &c, &e), R_EINVAL);
}

static void normal_quantile(void **state)
{
    (void)state;
    is(calc_normal_quantile(0.975), 12, "1.959963984540");  /* python3: 1.9599639845400536 */
    is(calc_normal_quantile(0.95), 12, "1.644853626951");   /* 1.6448536269514715 */
    is(calc_normal_quantile(0.001), 12, "-3.090232306168"); /* -3.090232306167813 */
    assert_true(calc_normal_quantile(0.5) == 0);
}

/* ==== rankings ==== */

static void ranks_with_ties_and_keys(void **state)
{
    (void)state;
    /* keys: 业务 desc, 缺项 count asc */
    double k[][2] = {{80, 0}, {70, 1}, {70, 1}, {90, 2}, {60, 0}, {50, 0}, {85, 0}};
    bool km[][2] = {{0, 0}, {0, 0}, {0, 0}, {0, 0}, {1, 0}, {0, 0}, {0, 0}};
    struct calc_rank_subject s[] = {
        {.id = 11, .score = 90, .keys = k[0], .keys_missing = km[0], .prev_rank = 2},
        {.id = 12, .score = 85, .keys = k[1], .keys_missing = km[1], .prev_rank = 1},
        {.id = 13, .score = 85, .keys = k[2], .keys_missing = km[2], .prev_rank = 3},
        {.id = 14, .score = 85, .keys = k[3], .keys_missing = km[3], .prev_rank = 0},
        {.id = 15, .score = 70, .keys = k[4], .keys_missing = km[4], .prev_rank = 5},
        {.id = 16, .score = 70, .keys = k[5], .keys_missing = km[5], .prev_rank = 7},
        {.id = 17, .score = 0, .missing = true, .keys = k[6], .keys_missing = km[6], .prev_rank = 4},
    };
    enum calc_order ko[] = {CALC_DESC, CALC_ASC};
    struct calc_rank_place p[7];
    struct rerr e;
    assert_int_equal(calc_rank(s, 7, CALC_DESC, ko, 2, p, &e), 0);
    /* 90 → 1; the three 85s by 业务: 14 (90) then 12, 13 (70, 1 缺项 each: tied on every key,
     * id orders them); the 70s: 16 (业务 50) before 15 (业务 missing); 17 missing last */
    int want_subject[] = {0, 3, 1, 2, 5, 4, 6}, want_rank[] = {1, 2, 3, 3, 5, 6, 0};
    int want_by[] = {-2, -1, 0, 2, -1, 0, -2};
    bool want_tied[] = {0, 0, 1, 1, 0, 0, 0};
    enum calc_move want_move[] = {CALC_MOVE_UP, CALC_MOVE_NEW,  CALC_MOVE_DOWN,    CALC_MOVE_SAME,
                                  CALC_MOVE_UP, CALC_MOVE_DOWN, CALC_MOVE_UNRANKED};
    int want_delta[] = {1, 0, -2, 0, 2, -1, 0};
    for (int i = 0; i < 7; i++) {
        assert_int_equal(p[i].subject, want_subject[i]);
        assert_int_equal(p[i].rank, want_rank[i]);
        assert_int_equal(p[i].decided_by, want_by[i]);
        assert_int_equal(p[i].tied, want_tied[i]);
        assert_int_equal(p[i].move, want_move[i]);
        assert_int_equal(p[i].delta, want_delta[i]);
    }
    assert_true(p[6].missing);
}

static void ranks_competition_style_and_any_order(void **state)
{
    (void)state;
    struct calc_rank_subject s[] = {{.id = 4, .score = 5}, {.id = 1, .score = 9}, {.id = 3, .score = 7},
                                    {.id = 2, .score = 7}, {.id = 5, .score = 3}, {.id = 6, .score = NAN}};
    struct calc_rank_place p[6], q[6];
    assert_int_equal(calc_rank(s, 6, CALC_DESC, NULL, 0, p, NULL), 0);
    int want_id[] = {1, 2, 3, 4, 5, 6}, want_rank[] = {1, 2, 2, 4, 5, 0};
    for (int i = 0; i < 6; i++) {
        assert_int_equal(s[p[i].subject].id, want_id[i]);
        assert_int_equal(p[i].rank, want_rank[i]);
    }
    assert_true(p[5].missing);
    /* ascending: the smaller first, missing still last */
    assert_int_equal(calc_rank(s, 6, CALC_ASC, NULL, 0, q, NULL), 0);
    int asc_id[] = {5, 4, 2, 3, 1, 6}, asc_rank[] = {1, 2, 3, 3, 5, 0};
    for (int i = 0; i < 6; i++) {
        assert_int_equal(s[q[i].subject].id, asc_id[i]);
        assert_int_equal(q[i].rank, asc_rank[i]);
    }
    /* reversed input: the same order by id */
    struct calc_rank_subject r[6];
    for (int i = 0; i < 6; i++)
        r[i] = s[5 - i];
    assert_int_equal(calc_rank(r, 6, CALC_DESC, NULL, 0, q, NULL), 0);
    for (int i = 0; i < 6; i++) {
        assert_int_equal(r[q[i].subject].id, want_id[i]);
        assert_int_equal(q[i].rank, want_rank[i]);
    }
}

static void ranks_refuse_duplicate_ids(void **state)
{
    (void)state;
    struct calc_rank_subject s[] = {{.id = 4, .score = 5}, {.id = 4, .score = 5}};
    struct calc_rank_place p[2];
    struct rerr e;
    assert_int_equal(calc_rank(s, 2, CALC_DESC, NULL, 0, p, &e), R_EINVAL);
    assert_non_null(strstr(e.message, "重复"));
    s[1].id = 5;
    s[1].prev_rank = -1;
    assert_int_equal(calc_rank(s, 2, CALC_DESC, NULL, 0, p, &e), R_EINVAL);
    assert_int_equal(calc_rank(s, 0, CALC_DESC, NULL, 0, p, &e), 0);
}

/* ==== signals ==== */

static void lag_counts_late_records(void **state)
{
    (void)state;
    int entered[] = {100, 130, 95, 161, 120}, described[] = {99, 100, 100, 100, 90};
    int idx[5];
    struct calc_lag l;
    assert_int_equal(calc_lag(entered, described, 5, 30, &l, idx, NULL), 0);
    /* lags 1, 30, -5, 61, 30: only 61 is more than 30 days */
    assert_int_equal(l.late, 1);
    assert_int_equal(idx[0], 3);
    assert_int_equal(l.max_lag, 61);
    is(l.share, 2, "0.20");
    assert_int_equal(calc_lag(entered, described, 5, 0, &l, idx, NULL), 0);
    assert_int_equal(l.late, 4);
    assert_int_equal(calc_lag(entered, described, 5, -1, &l, idx, NULL), R_EINVAL);
}

static void poisson_upper_tail(void **state)
{
    (void)state;
    is(calc_poisson_upper(0, 2), 6, "1.000000");
    is(calc_poisson_upper(1, 2), 12, "0.864664716763");  /* 1 - e^-2 */
    is(calc_poisson_upper(3, 2), 12, "0.323323583817");  /* 1 - 5e^-2 */
    is(calc_poisson_upper(10, 2), 12, "0.000046498075"); /* python3: 1 - Σ_{i<10} e^-2 2^i/i! */
    is(calc_poisson_upper(3, 0), 6, "0.000000");
    is(calc_poisson_upper(150, 100), 10, "0.0000018842"); /* python3 decimal: 1.88421046604e-06 */
}

static void burst_before_a_deadline(void **state)
{
    (void)state;
    /* deadline 100, window 5 days (96..100), baseline 30 days (66..95): 6 records in the
     * baseline → 0.2 a day, 1 expected; 7 in the window */
    int entered[] = {66, 70, 75, 80, 85, 95, 96, 97, 98, 99, 100, 100, 100, 101, 50};
    struct calc_burst_rule rule = {
        .window_days = 5, .baseline_days = 30, .min_records = 5, .min_ratio = 3, .max_p = 0.01};
    struct calc_burst b;
    int idx[15];
    assert_int_equal(calc_burst(entered, 15, 100, &rule, &b, idx, NULL), 0);
    assert_int_equal(b.in_window, 7);
    assert_int_equal(b.baseline, 6);
    is(b.expected, 6, "1.000000");
    is(b.ratio, 6, "7.000000");
    is(b.p, 12, "0.000083241149"); /* 1 - e^-1 Σ_{i<7} 1/i! */
    assert_true(b.flagged);
    assert_int_equal(idx[0], 6);
    assert_int_equal(idx[6], 12);
    rule.min_records = 8; /* large but not large enough */
    assert_int_equal(calc_burst(entered, 15, 100, &rule, &b, NULL, NULL), 0);
    assert_false(b.flagged);
    rule.min_records = 5;
    rule.max_p = 0.00001; /* not unlikely enough */
    assert_int_equal(calc_burst(entered, 15, 100, &rule, &b, NULL, NULL), 0);
    assert_false(b.flagged);
    rule.window_days = 0;
    assert_int_equal(calc_burst(entered, 15, 100, &rule, &b, NULL, NULL), R_EINVAL);
}

static void perfect_attendance_streaks(void **state)
{
    (void)state;
    /* meetings: 10 expected each; perfect at 2..5 (4 meetings), one meeting with 0 expected
     * inside the run (left out) */
    int expected[] = {10, 10, 10, 10, 0, 10, 10, 10, 10, 10};
    int present[] = {8, 9, 10, 10, 0, 10, 10, 7, 10, 9};
    struct calc_streak_rule rule = {.min_run = 4, .max_p = 0.05, .ref_rate = 0.9};
    struct calc_streak s;
    assert_int_equal(calc_perfect_attendance(expected, present, 10, &rule, &s, NULL), 0);
    assert_int_equal(s.start, 2);
    assert_int_equal(s.end, 7);
    assert_int_equal(s.len, 4);
    assert_int_equal(s.attendances, 40);
    /* outside: 8+9+7+10+9 of 50 = 0.86; m = 9: p = (9-4+1)·0.86^40 */
    is(s.rate, 2, "0.86");
    assert_false(s.rate_is_ref);
    is(s.p, 12, "0.014390944561"); /* python3: 6*0.86**40 = 0.014390944560776893 */
    assert_true(s.flagged);
    /* all perfect: judged by the reference rate */
    int all[] = {10, 10, 10, 10, 10};
    assert_int_equal(calc_perfect_attendance(all, all, 5, &rule, &s, NULL), 0);
    assert_int_equal(s.len, 5);
    assert_true(s.rate_is_ref);
    is(s.p, 12, "0.005153775207"); /* 0.9^50 */
    assert_true(s.flagged);
    /* none perfect */
    int few[] = {9, 9};
    assert_int_equal(calc_perfect_attendance(all, few, 2, &rule, &s, NULL), 0);
    assert_int_equal(s.len, 0);
    assert_true(s.p == 1 && !s.flagged);
    int neg[] = {-1};
    assert_int_equal(calc_perfect_attendance(neg, neg, 1, &rule, &s, NULL), R_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spearman_without_ties),
        cmocka_unit_test(spearman_with_ties_is_pearson_on_average_ranks),
        cmocka_unit_test(spearman_perfect_has_a_point_interval),
        cmocka_unit_test(spearman_too_few_months_is_missing),
        cmocka_unit_test(spearman_constant_series_is_missing),
        cmocka_unit_test(spearman_is_the_same_bits_in_any_order),
        cmocka_unit_test(spearman_refuses_bad_arguments),
        cmocka_unit_test(normal_quantile),
        cmocka_unit_test(ranks_with_ties_and_keys),
        cmocka_unit_test(ranks_competition_style_and_any_order),
        cmocka_unit_test(ranks_refuse_duplicate_ids),
        cmocka_unit_test(lag_counts_late_records),
        cmocka_unit_test(poisson_upper_tail),
        cmocka_unit_test(burst_before_a_deadline),
        cmocka_unit_test(perfect_attendance_streaks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
