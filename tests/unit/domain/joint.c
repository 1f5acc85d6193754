/*
 * Unit tests for src/domain/joint.c's pure rules: day numbers of dates, the 四同步 stage
 * derivation (in step within the tolerance, which side is behind and by how many days,
 * a side not yet done counted from the other's day), and the period of a method checked
 * off per month or per quarter. The rules that need a database (stage order, evidence,
 * guidance direction) are tested through the API in tests/api/joint.test.mjs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <string.h>

#include "domain/joint.h"

static void day_numbers(void **state)
{
    (void)state;
    assert_int_equal(joint_day_number("1970-01-01"), 0);
    assert_int_equal(joint_day_number("1970-01-02"), 1);
    assert_int_equal(joint_day_number("1969-12-31"), -1);
    assert_int_equal(joint_day_number("2000-03-01") - joint_day_number("2000-02-28"), 2); /* leap 2000 */
    assert_int_equal(joint_day_number("1900-03-01") - joint_day_number("1900-02-28"), 1); /* not leap */
    assert_int_equal(joint_day_number("2025-01-01") - joint_day_number("2024-01-01"), 366);
    assert_int_equal(joint_day_number("2024-03-01"), 19783);
    assert_true(joint_day_number("2025-02-29") == INT64_MIN);
    assert_true(joint_day_number("2025-3-01") == INT64_MIN);
    assert_true(joint_day_number(NULL) == INT64_MIN);
}

static void stages(void **state)
{
    (void)state;
    int64_t today = joint_day_number("2025-06-30");
    struct sync_stage s;
    joint_sync_stage(NULL, NULL, today, 7, &s);
    assert_string_equal(s.status, "未开始");
    assert_true(s.in_step);
    assert_null(s.behind);

    joint_sync_stage("2025-03-01", "2025-03-01", today, 0, &s);
    assert_string_equal(s.status, "同步");
    assert_int_equal(s.days, 0);
    assert_true(s.in_step);

    joint_sync_stage("2025-03-01", "2025-03-08", today, 7, &s); /* exactly the tolerance */
    assert_string_equal(s.status, "同步");
    assert_int_equal(s.days, 7);
    assert_null(s.behind);

    joint_sync_stage("2025-03-01", "2025-03-09", today, 7, &s); /* one day past it */
    assert_string_equal(s.status, "滞后");
    assert_string_equal(s.behind, "party");
    assert_int_equal(s.days, 8);
    assert_false(s.in_step);

    joint_sync_stage("2025-02-28", "2025-02-01", today, 7, &s);
    assert_string_equal(s.behind, "business");
    assert_int_equal(s.days, 27);

    joint_sync_stage("2025-06-25", NULL, today, 7, &s); /* waiting, within the tolerance */
    assert_string_equal(s.status, "待完成");
    assert_string_equal(s.behind, "party");
    assert_int_equal(s.days, 5);
    assert_true(s.in_step);

    joint_sync_stage(NULL, "2025-06-01", today, 7, &s);
    assert_string_equal(s.behind, "business");
    assert_int_equal(s.days, 29);
    assert_false(s.in_step);
}

static void periods(void **state)
{
    (void)state;
    int64_t start;
    assert_true(joint_period_ok("2025-03", "month", &start));
    assert_int_equal(start, joint_day_number("2025-03-01"));
    assert_true(joint_period_ok("2025-12", "month", NULL));
    assert_false(joint_period_ok("2025-13", "month", NULL));
    assert_false(joint_period_ok("2025-00", "month", NULL));
    assert_false(joint_period_ok("2025-Q1", "month", NULL));
    assert_true(joint_period_ok("2025-Q3", "quarter", &start));
    assert_int_equal(start, joint_day_number("2025-07-01"));
    assert_false(joint_period_ok("2025-Q5", "quarter", NULL));
    assert_false(joint_period_ok("2025-03", "quarter", NULL));
    assert_false(joint_period_ok("2025-3", "month", NULL));
    assert_false(joint_period_ok("20x5-03", "month", NULL));
    assert_false(joint_period_ok("2025-03", "year", NULL));
    assert_false(joint_period_ok(NULL, "month", NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(day_numbers),
        cmocka_unit_test(stages),
        cmocka_unit_test(periods),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
