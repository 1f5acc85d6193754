/* Unit tests for src/sheet/date.c */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "sheet/sheet.h"

static const char *parsed(const char *s)
{
    static char out[11];
    return sheet_date_parse(s, strlen(s), out) == 0 ? out : "bad";
}

static void typed_dates(void **state)
{
    (void)state;
    assert_string_equal(parsed("2024-03-01"), "2024-03-01");
    assert_string_equal(parsed("2024/3/1"), "2024-03-01");
    assert_string_equal(parsed("2024.3.1"), "2024-03-01");
    assert_string_equal(parsed("2024年3月1日"), "2024-03-01");
    assert_string_equal(parsed("2024年03月01"), "2024-03-01");
    assert_string_equal(parsed("2024年3月1号"), "2024-03-01");
    assert_string_equal(parsed("20240301"), "2024-03-01");
    assert_string_equal(parsed("  2024-3-1\t"), "2024-03-01");
    assert_string_equal(parsed("2024-03-01 08:30"), "2024-03-01");
    assert_string_equal(parsed("2024/3/1 8:30:15"), "2024-03-01");
    assert_string_equal(parsed("2024-03-01T08:30:15.250"), "2024-03-01");
    assert_string_equal(parsed("2024年3月1日 8时30分"), "2024-03-01");
    assert_string_equal(parsed("2024-02-29"), "2024-02-29");
    assert_string_equal(parsed("2000-02-29"), "2000-02-29");
    /* not real dates, or not dates */
    assert_string_equal(parsed("2024-02-30"), "bad");
    assert_string_equal(parsed("2023-02-29"), "bad");
    assert_string_equal(parsed("1900-02-29"), "bad");
    assert_string_equal(parsed("2024-13-01"), "bad");
    assert_string_equal(parsed("2024-00-10"), "bad");
    assert_string_equal(parsed("2024-04-31"), "bad");
    assert_string_equal(parsed("20240230"), "bad");
    assert_string_equal(parsed("2024-3"), "bad");
    assert_string_equal(parsed("2024/3-1"), "bad");
    assert_string_equal(parsed("2024年3月"), "bad");
    assert_string_equal(parsed("24-3-1"), "bad");
    assert_string_equal(parsed("2024-03-01x"), "bad");
    assert_string_equal(parsed("2024-03-01 25:00"), "bad");
    assert_string_equal(parsed("2024-03-01 08:61"), "bad");
    assert_string_equal(parsed("2024-03-01 "), "2024-03-01");
    assert_string_equal(parsed("0999-01-01"), "bad");
    assert_string_equal(parsed(""), "bad");
    assert_string_equal(parsed("昨天"), "bad");
    /* the length counts, not a NUL */
    char out[11];
    assert_int_equal(sheet_date_parse("2024-03-01trailing", 10, out), 0);
    assert_string_equal(out, "2024-03-01");
}

static const char *serial(double v, bool d1904)
{
    static char out[20];
    return sheet_date_from_serial(v, d1904, out) == 0 ? out : "bad";
}

static void serials(void **state)
{
    (void)state;
    assert_string_equal(serial(1, false), "1900-01-01");
    assert_string_equal(serial(59, false), "1900-02-28");
    assert_string_equal(serial(60, false), "1900-02-29"); /* Excel's day that never was */
    assert_string_equal(serial(61, false), "1900-03-01");
    assert_string_equal(serial(45352, false), "2024-03-01");
    assert_string_equal(serial(45352.5, false), "2024-03-01 12:00:00");
    assert_string_equal(serial(45352.354166666664, false), "2024-03-01 08:30:00");
    assert_string_equal(serial(0.5, false), "1899-12-31 12:00:00");
    assert_string_equal(serial(0.99999999, false), "1900-01-01"); /* rounds to the next day */
    assert_string_equal(serial(2958465, false), "9999-12-31");
    assert_string_equal(serial(2958466, false), "bad");
    assert_string_equal(serial(-1, false), "bad");
    assert_string_equal(serial(NAN, false), "bad");
    assert_string_equal(serial(INFINITY, false), "bad");
    /* 1904: day 0 is 1904-01-01, 1462 days after the 1900 system's count */
    assert_string_equal(serial(0, true), "1904-01-01");
    assert_string_equal(serial(45352 - 1462, true), "2024-03-01");
    assert_string_equal(serial(2957003, true), "9999-12-31");
    assert_string_equal(serial(2957004, true), "bad");
}

static void column_names(void **state)
{
    (void)state;
    char c[8];
    sheet_col_name(0, c);
    assert_string_equal(c, "A");
    sheet_col_name(25, c);
    assert_string_equal(c, "Z");
    sheet_col_name(26, c);
    assert_string_equal(c, "AA");
    sheet_col_name(701, c);
    assert_string_equal(c, "ZZ");
    sheet_col_name(702, c);
    assert_string_equal(c, "AAA");
    sheet_col_name(16383, c);
    assert_string_equal(c, "XFD");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(typed_dates),
        cmocka_unit_test(serials),
        cmocka_unit_test(column_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
