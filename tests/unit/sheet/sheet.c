/* Unit tests for src/sheet/sheet.c: opening (what is refused before any format is
 * chosen), column names, a closed reader */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <sys/stat.h>

#include "helpers.h"

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

static void opening(void **state)
{
    (void)state;
    struct rerr err = {0};
    sheet_reader *r = (sheet_reader *)&err;
    /* a folder, and a FIFO (which must not block the open) */
    assert_int_equal(sheet_open("/tmp", NULL, &r, &err), R_EMEDIA);
    assert_null(r);
    assert_string_equal(err.code, "not_spreadsheet");
    const char *fifo = test_path("fifo");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(sheet_open(fifo, NULL, &r, &err), R_EMEDIA);
    assert_int_equal(sheet_open(test_path("none.csv"), NULL, &r, &err), R_ENOTFOUND);
    assert_string_equal(err.code, "cannot_open");
    sheet_close(NULL);
    /* options may be NULL or partly set: the zero fields take the defaults */
    const char *p = test_write("a.csv", "a,b\n", 4);
    struct sheet_options o = {.limits = {.max_cols = 1}};
    assert_int_equal(sheet_open(p, &o, &r, &err), 0);
    struct sheet_row row;
    assert_int_equal(sheet_next(r, &row, &err), R_ETOOBIG);
    assert_int_equal(row.ncells, 0); /* nothing given with an error */
    sheet_close(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(column_names),
        cmocka_unit_test(opening),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
