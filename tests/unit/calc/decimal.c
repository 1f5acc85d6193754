/*
 * Unit tests for src/calc/decimal.c: numbers rounded as a person with a calculator rounds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "calc/decimal.h"

static void is(double v, int places, const char *want)
{
    char buf[CALC_DECIMAL_CAP];
    size_t n = calc_decimal(v, places, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
}

static void rounds_half_away_from_zero_on_the_decimal(void **state)
{
    (void)state;
    is(2.675, 2, "2.68"); /* binary 2.67499999…: the decimal the person typed rounds up */
    is(1.005, 2, "1.01");
    is(0.125, 2, "0.13");
    is(-0.125, 2, "-0.13");
    is(2.5, 0, "3");
    is(-2.5, 0, "-3");
    is(0.1 + 0.2, 2, "0.30");
    is(0.1 + 0.2, 12, "0.300000000000");
}

static void writes_every_place(void **state)
{
    (void)state;
    is(5, 2, "5.00");
    is(0, 2, "0.00");
    is(0, 0, "0");
    is(0, 6, "0.000000");
    is(7, 3, "7.000");
    is(999999999999999.0, 2, "999999999999999.00"); /* whole numbers: their own digits */
    is(-120, 1, "-120.0");
    is(-0.0, 2, "0.00");
    is(-0.001, 2, "0.00"); /* no "-0.00" */
    is(99.995, 2, "100.00");
    is(9.5, 0, "10");
    is(123456789.125, 2, "123456789.13");
    is(0.000123456, 4, "0.0001");
    is(0.00005, 4, "0.0001");
    is(0.00004999, 4, "0.0000");
    is(1e-300, 2, "0.00");
    is(1e20, 1, "100000000000000000000.0");
    is(62.5, 2, "62.50");
    is(17.0 / 23.0, 4, "0.7391");
}

static void round_gives_the_decimal_back(void **state)
{
    (void)state;
    assert_true(calc_round(2.675, 2) == 2.68);
    assert_true(calc_round(17.0 / 23.0, 4) == 0.7391);
    assert_true(calc_round(-0.125, 2) == -0.13);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rounds_half_away_from_zero_on_the_decimal),
        cmocka_unit_test(writes_every_place),
        cmocka_unit_test(round_gives_the_decimal_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
