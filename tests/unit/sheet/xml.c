/* Unit tests for src/sheet/xml.c's helpers (the parsing itself: tests/unit/sheet/xlsx.c) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <string.h>

#include "sheet/sheet_int.h"

static void excel_escapes(void **state)
{
    (void)state;
    char s[64];
    strcpy(s, "a_x000D_b_x000a_c");
    assert_int_equal(sheet_xml_unescape(s, strlen(s)), 5);
    assert_string_equal(s, "a\rb\nc");
    strcpy(s, "_x005F_x0041_"); /* an escaped underscore: the rest is text */
    sheet_xml_unescape(s, strlen(s));
    assert_string_equal(s, "_x0041_");
    strcpy(s, "_x4E2D__x6587_");
    sheet_xml_unescape(s, strlen(s));
    assert_string_equal(s, "中文");
    strcpy(s, "_x0000_ _xD800_ _xZZZZ_ _x12_ x_"); /* NUL, a surrogate, not hex, short: kept */
    sheet_xml_unescape(s, strlen(s));
    assert_string_equal(s, "_x0000_ _xD800_ _xZZZZ_ _x12_ x_");
}

static void names(void **state)
{
    (void)state;
    assert_string_equal(sheet_xml_local("x:row"), "row");
    assert_string_equal(sheet_xml_local("row"), "row");
    const char *atts[] = {"xmlns:r", "urn:x", "spans", "1:3", "r", "5", NULL};
    assert_string_equal(sheet_xml_attr(atts, "r"), "5"); /* not the xmlns:r declaration */
    assert_null(sheet_xml_attr(atts, "t"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(excel_escapes),
        cmocka_unit_test(names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
