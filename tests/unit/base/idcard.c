/* Unit tests for src/base/idcard.c: GB 11643-1999 numbers, every way one can be wrong. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <string.h>

#include "base/idcard.h"

#define TODAY "2025-06-30"

static enum idcard_status parse(const char *s, struct idcard *c)
{
    return idcard_parse(s, TODAY, c);
}

/* The standard's own example (GB 11643-1999, appendix: 北京市朝阳区, 1949-12-31,
 * a woman, check character X), and numbers of the Tongliao form worked by hand. */
static void real_format_numbers(void **state)
{
    (void)state;
    struct idcard c;
    assert_int_equal(parse("11010519491231002X", &c), IDCARD_OK);
    assert_string_equal(c.number, "11010519491231002X");
    assert_string_equal(c.birth_date, "1949-12-31");
    assert_false(c.male);

    assert_int_equal(parse("150525198503143016", &c), IDCARD_OK); /* 奈曼旗, a man */
    assert_string_equal(c.birth_date, "1985-03-14");
    assert_true(c.male);

    assert_int_equal(parse("150502199001011232", &c), IDCARD_OK); /* 科尔沁区, 17th digit 3: a man */
    assert_true(c.male);
    assert_int_equal(parse("150502199001011240", &c), IDCARD_OK); /* 17th digit 4: a woman */
    assert_false(c.male);

    /* 2024 was a leap year: 02-29 is a real birth date. */
    assert_int_equal(parse("150521202402290029", &c), IDCARD_OK);
    assert_string_equal(c.birth_date, "2024-02-29");
}

static void lowercase_x_is_stored_as_X(void **state)
{
    (void)state;
    struct idcard c;
    assert_int_equal(parse("11010519491231002x", &c), IDCARD_OK);
    assert_string_equal(c.number, "11010519491231002X");
}

static void every_failure(void **state)
{
    (void)state;
    struct idcard c;
    /* 15 digits: the first-generation number, refused with its own message */
    assert_int_equal(parse("150525850314301", &c), IDCARD_OLD15);
    /* wrong lengths, empty included */
    assert_int_equal(parse("", &c), IDCARD_LENGTH);
    assert_int_equal(parse("15052519850314301", &c), IDCARD_LENGTH);
    assert_int_equal(parse("1505251985031430166", &c), IDCARD_LENGTH);
    assert_int_equal(parse("15052585031430", &c), IDCARD_LENGTH);                       /* 14 */
    assert_int_equal(parse("15052585031430X", &c), IDCARD_LENGTH);                      /* 15 with an X */
    assert_int_equal(parse("１５０５２５１９８５０３１４３０１６", &c), IDCARD_LENGTH); /* full-width */
    /* not digits where digits belong; X only last */
    assert_int_equal(parse("15052519850314301A", &c), IDCARD_CHARS);
    assert_int_equal(parse("1505251985031430X6", &c), IDCARD_CHARS);
    assert_int_equal(parse("15052519850314 016", &c), IDCARD_CHARS);
    assert_int_equal(parse("-50525198503143016", &c), IDCARD_CHARS);
    /* region code 0xxxxx */
    assert_int_equal(parse("050525198503143016", &c), IDCARD_REGION);
    /* impossible birth dates: month 13, day 45, 02-30, 2023-02-29, year 1899 */
    assert_int_equal(parse("150525199013453016", &c), IDCARD_DATE);
    assert_int_equal(parse("150525199002303010", &c), IDCARD_DATE);
    assert_int_equal(parse("150525202302293016", &c), IDCARD_DATE);
    assert_int_equal(parse("150525189912313016", &c), IDCARD_DATE);
    assert_int_equal(parse("150525199000003016", &c), IDCARD_DATE);
    /* born after "today" (the day after, and a year after) */
    char n[19];
    assert_true(idcard_make("150525", "2025-07-01", 301, n));
    assert_int_equal(parse(n, &c), IDCARD_FUTURE);
    assert_true(idcard_make("150525", "2025-06-30", 301, n));
    assert_int_equal(parse(n, &c), IDCARD_OK); /* born today */
    /* sequence 000 */
    assert_int_equal(parse("150525198503140000", &c), IDCARD_SEQUENCE);
    /* every wrong check character of a good number */
    const char *good = "150525198503143016";
    char bad[19];
    for (const char *k = "0123456789X"; *k; k++) {
        if (*k == '6')
            continue;
        memcpy(bad, good, 19);
        bad[17] = *k;
        assert_int_equal(parse(bad, &c), IDCARD_CHECKSUM);
    }
    /* a digit changed in the body breaks the check */
    assert_int_equal(parse("150525198503143116", &c), IDCARD_CHECKSUM);
    /* every failure has its own message */
    for (int st = IDCARD_OLD15; st <= IDCARD_CHECKSUM; st++) {
        assert_true(strlen(idcard_problem((enum idcard_status)st)) > 0);
        for (int o = IDCARD_OLD15; o < st; o++)
            assert_string_not_equal(idcard_problem((enum idcard_status)st),
                                    idcard_problem((enum idcard_status)o));
    }
}

static void check_character_table(void **state)
{
    (void)state;
    /* remainder r maps to "10X98765432"[r] */
    assert_int_equal(idcard_check_char("11010519491231002"), 'X');
    assert_int_equal(idcard_check_char("15052519850314301"), '6');
    assert_int_equal(idcard_check_char("00000000000000000"), '1'); /* sum 0 */
    assert_int_equal(idcard_check_char("10000000000000000"), '5'); /* sum 7 */
    assert_int_equal(idcard_check_char("01000000000000000"), '3'); /* sum 9 */
    assert_int_equal(idcard_check_char("00100000000000000"), '2'); /* sum 10 */
    assert_int_equal(idcard_check_char("00000010000000000"), 'X'); /* sum 2 */
    assert_int_equal(idcard_check_char("00000001000000000"), '0'); /* sum 1 */
}

static void make_and_mask(void **state)
{
    (void)state;
    char n[19], m[41];
    assert_true(idcard_make("150502", "1990-01-01", 123, n));
    assert_string_equal(n, "150502199001011232");
    struct idcard c;
    assert_int_equal(parse(n, &c), IDCARD_OK);
    assert_false(idcard_make("15050", "1990-01-01", 1, n));
    assert_false(idcard_make("150502", "1990-02-30", 1, n));
    assert_false(idcard_make("150502", "1990-01-01", 0, n));
    assert_false(idcard_make("150502", "1990-01-01", 1000, n));
    idcard_mask("11010519491231002X", m);
    assert_string_equal(m, "1101*************X");
    idcard_mask("1234", m);
    assert_string_equal(m, "****");
    idcard_mask("", m);
    assert_string_equal(m, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(real_format_numbers), cmocka_unit_test(lowercase_x_is_stored_as_X),
        cmocka_unit_test(every_failure),       cmocka_unit_test(check_character_table),
        cmocka_unit_test(make_and_mask),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
