/* Unit tests for src/domain/workdays.c, against the official 2024–2026 arrangements the
 * migration seeds (the marks below are the ones around each case). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "domain/workdays.h"

static void rest(struct workcal *c, const char *from, int days, const char *name)
{
    char d[11];
    for (int i = 0; i < days; i++) {
        assert_int_equal(workcal_add_days(from, i, d), 0);
        assert_int_equal(workcal_mark(c, d, WD_REST, name), 0);
    }
}

/* 2024 春节, 国庆; 2025 国庆、中秋, 劳动节; 2026 春节 (国办发明电〔2023〕7号, 〔2024〕12号, 2026年通知). */
static struct workcal *official(arena *a)
{
    struct workcal *c = workcal_new(a);
    rest(c, "2025-10-01", 8, "国庆节、中秋节");
    workcal_mark(c, "2025-09-28", WD_WORK, "国庆节、中秋节调休上班");
    workcal_mark(c, "2025-10-11", WD_WORK, "国庆节、中秋节调休上班");
    rest(c, "2025-05-01", 5, "劳动节");
    workcal_mark(c, "2025-04-27", WD_WORK, "劳动节调休上班");
    rest(c, "2024-02-10", 8, "春节");
    workcal_mark(c, "2024-02-04", WD_WORK, "春节调休上班");
    workcal_mark(c, "2024-02-18", WD_WORK, "春节调休上班");
    rest(c, "2024-10-01", 7, "国庆节");
    workcal_mark(c, "2024-09-29", WD_WORK, "国庆节调休上班");
    workcal_mark(c, "2024-10-12", WD_WORK, "国庆节调休上班");
    rest(c, "2026-02-15", 9, "春节");
    workcal_mark(c, "2026-02-14", WD_WORK, "春节调休上班");
    workcal_mark(c, "2026-02-28", WD_WORK, "春节调休上班");
    return c;
}

static void working_days_are_weekdays_not_rest_or_marked_weekends(void **state)
{
    (void)state;
    arena *a = arena_new();
    struct workcal *c = official(a);
    char why[256];
    assert_true(workcal_is_working_day(c, "2025-09-30", why, sizeof why)); /* a Tuesday */
    assert_false(workcal_is_working_day(c, "2025-10-01", why, sizeof why));
    assert_non_null(strstr(why, "国庆节、中秋节"));
    assert_true(workcal_is_working_day(c, "2025-10-11", why, sizeof why)); /* Saturday, 调休 */
    assert_string_equal(why, "2025-10-11 是星期六，国庆节、中秋节调休上班，为工作日");
    assert_false(workcal_is_working_day(c, "2025-10-12", why, sizeof why)); /* a plain Sunday */
    assert_false(workcal_is_working_day(c, "2025-13-01", why, sizeof why));
    /* a year the calendar lacks: weekends only, and said */
    assert_true(workcal_is_working_day(c, "2027-10-01", why, sizeof why));
    assert_non_null(strstr(why, "2027年不在节假日表内"));
    arena_free(a);
}

static void seven_working_days_across_national_day(void **state)
{
    (void)state;
    arena *a = arena_new();
    struct workcal *c = official(a);
    char out[11], why[512];
    /* 10-01..08 off, 10-09 Thu (1), 10-10 (2), 10-11 Sat worked (3), 10-13..16 (4..7) */
    assert_int_equal(workcal_add_working_days(c, "2025-09-30", 7, out, why, sizeof why), 0);
    assert_string_equal(out, "2025-10-16");
    assert_string_equal(
        why, "顺延国庆节、中秋节假期 10-01至10-08，10-11（星期六）调休上班，第7个工作日为 2025-10-16");
    /* 2024: received Friday 09-27; 09-29 (Sun) is worked */
    assert_int_equal(workcal_add_working_days(c, "2024-09-27", 7, out, why, sizeof why), 0);
    assert_string_equal(out, "2024-10-12"); /* the 调休 Saturday is the 7th */
    assert_non_null(strstr(why, "09-29（星期日）调休上班"));
    /* 春节 2024: 02-09 (1), 02-10..17 off, 02-18 Sunday worked (2), 02-19..23 */
    assert_int_equal(workcal_add_working_days(c, "2024-02-08", 7, out, why, sizeof why), 0);
    assert_string_equal(out, "2024-02-23");
    arena_free(a);
}

static void a_worked_saturday_counts(void **state)
{
    (void)state;
    arena *a = arena_new();
    struct workcal *c = official(a);
    char out[11], why[256];
    /* Wed 2026-02-25: 02-26 (1), 02-27 (2), Saturday 02-28 worked (3) */
    assert_int_equal(workcal_add_working_days(c, "2026-02-25", 3, out, why, sizeof why), 0);
    assert_string_equal(out, "2026-02-28");
    assert_non_null(strstr(why, "02-28（星期六）调休上班"));
    /* without the mark the Saturday is a rest day */
    struct workcal *plain = workcal_new(a);
    workcal_mark(plain, "2026-01-01", WD_REST, "元旦");
    assert_int_equal(workcal_add_working_days(plain, "2026-02-25", 3, out, why, sizeof why), 0);
    assert_string_equal(out, "2026-03-02");
    /* a mark given twice keeps the last: the Saturday no longer worked */
    workcal_mark(c, "2026-02-28", WD_REST, "改为休息");
    assert_int_equal(workcal_add_working_days(c, "2026-02-25", 3, out, why, sizeof why), 0);
    assert_string_equal(out, "2026-03-02");
    arena_free(a);
}

static void outside_the_calendar_weekends_only(void **state)
{
    (void)state;
    arena *a = arena_new();
    struct workcal *c = official(a);
    char out[11], why[256];
    assert_int_equal(workcal_add_working_days(c, "2027-01-01", 1, out, why, sizeof why), 0);
    assert_string_equal(out, "2027-01-04"); /* Friday → Monday */
    assert_non_null(strstr(why, "2027年不在节假日表内，仅按周末计算"));
    assert_int_equal(workcal_add_working_days(c, "2025-05-06", 2, out, why, sizeof why), 0);
    assert_null(strstr(why, "不在节假日表内"));
    assert_int_equal(workcal_add_working_days(c, "2025-02-30", 2, out, why, sizeof why), R_EINVAL);
    assert_int_equal(workcal_add_working_days(c, "2025-02-03", 0, out, why, sizeof why), R_EINVAL);
    arena_free(a);
}

static void months_clamp_to_month_end(void **state)
{
    (void)state;
    char out[11], why[128];
    assert_int_equal(workcal_add_months("2025-11-30", 3, out, why, sizeof why), 0);
    assert_string_equal(out, "2026-02-28");
    assert_string_equal(why, "3个月后为 2026-02-28（2月无30日，取月末）");
    assert_int_equal(workcal_add_months("2023-11-30", 3, out, why, sizeof why), 0);
    assert_string_equal(out, "2024-02-29"); /* leap year */
    assert_int_equal(workcal_add_months("2025-01-31", 1, out, why, sizeof why), 0);
    assert_string_equal(out, "2025-02-28");
    assert_int_equal(workcal_add_months("2025-10-16", 3, out, why, sizeof why), 0);
    assert_string_equal(out, "2026-01-16");
    assert_string_equal(why, "3个月后为 2026-01-16");
    assert_int_equal(workcal_add_months("2025-12-31", 14, out, why, sizeof why), 0);
    assert_string_equal(out, "2027-02-28");
    assert_int_equal(workcal_add_months("nope", 1, out, why, sizeof why), R_EINVAL);
}

static void periods_ending_on_a_holiday_roll_forward(void **state)
{
    (void)state;
    arena *a = arena_new();
    struct workcal *c = official(a);
    char out[11], why[256];
    assert_int_equal(workcal_roll_forward(c, "2025-10-03", out, why, sizeof why), 0);
    assert_string_equal(out, "2025-10-09");
    assert_string_equal(why, "落在国庆节、中秋节假期，顺延至 2025-10-09");
    assert_int_equal(workcal_roll_forward(c, "2025-10-11", out, why, sizeof why), 0);
    assert_string_equal(out, "2025-10-11"); /* a worked Saturday stays */
    assert_string_equal(why, "");
    assert_int_equal(workcal_roll_forward(c, "2025-10-12", out, why, sizeof why), 0);
    assert_string_equal(out, "2025-10-13");
    assert_string_equal(why, "落在星期日，顺延至 2025-10-13");
    arena_free(a);
}

static void working_days_between_and_small_buffers(void **state)
{
    (void)state;
    arena *a = arena_new();
    struct workcal *c = official(a);
    assert_int_equal(workcal_working_days_between(c, "2025-09-30", "2025-10-16"), 7);
    assert_int_equal(workcal_working_days_between(c, "2025-10-16", "2025-09-30"), -7);
    assert_int_equal(workcal_working_days_between(c, "2025-10-01", "2025-10-08"), 0);
    char out[11], why[20]; /* cut at a character, still text */
    assert_int_equal(workcal_add_working_days(c, "2025-09-30", 7, out, why, sizeof why), 0);
    assert_string_equal(out, "2025-10-16");
    assert_true(strlen(why) < sizeof why);
    assert_string_equal(why, "顺延国庆节、"); /* 18 bytes: the next character would not fit */
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(working_days_are_weekdays_not_rest_or_marked_weekends),
        cmocka_unit_test(seven_working_days_across_national_day),
        cmocka_unit_test(a_worked_saturday_counts),
        cmocka_unit_test(outside_the_calendar_weekends_only),
        cmocka_unit_test(months_clamp_to_month_end),
        cmocka_unit_test(periods_ending_on_a_holiday_roll_forward),
        cmocka_unit_test(working_days_between_and_small_buffers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
