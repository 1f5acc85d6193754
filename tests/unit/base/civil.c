/*
 * Unit tests for src/base/civil.c: day numbers of known dates (the Unix epoch, Excel's
 * epochs, leap days of century years), and the round trip over four hundred years.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <stdbool.h>

#include "base/civil.h"

static void known_days(void **state)
{
    (void)state;
    assert_int_equal(civil_days(1970, 1, 1), 0);
    assert_int_equal(civil_days(1969, 12, 31), -1);
    assert_int_equal(civil_days(1899, 12, 30), -25569); /* Excel's 1900 system, serial 0 */
    assert_int_equal(civil_days(1904, 1, 1), -24107);   /* Excel's 1904 system */
    assert_int_equal(civil_days(2000, 3, 1) - civil_days(2000, 2, 28), 2); /* 2000 is leap */
    assert_int_equal(civil_days(1900, 3, 1) - civil_days(1900, 2, 28), 1); /* 1900 is not */
    assert_int_equal(civil_days(2026, 12, 1), 20788);
}

static void round_trip(void **state)
{
    (void)state;
    int64_t from = civil_days(1800, 1, 1), to = civil_days(2200, 1, 1);
    int py = 1799, pm = 12, pd = 31;
    for (int64_t z = from; z < to; z++) {
        int y, m, d;
        civil_date(z, &y, &m, &d);
        assert_int_equal(civil_days(y, m, d), z);
        /* the next day after the previous one */
        bool next = (y == py && m == pm && d == pd + 1) || (y == py && m == pm + 1 && d == 1) ||
                    (y == py + 1 && m == 1 && d == 1 && pm == 12);
        assert_true(next);
        py = y, pm = m, pd = d;
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_days),
        cmocka_unit_test(round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
