/*
 * Unit tests for src/domain/template.c: every importable collection's template is read
 * back by the real reader (src/sheet/) — its headers are exactly the import's columns
 * (none ignored, none missing), 填写说明 has a row per column, the 示例 row goes
 * through the import (in check mode) — and the report of a rejected import carries the
 * rejected rows under the file's headers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/import.h"
#include "domain/template.h"
#include "sheet/sheet.h"

#include "fixture.h"

/* The rows of sheet "name" of "path": the count, the first row's cells into "first". */
static int64_t rows_of(const char *path, const char *name, int *ncells)
{
    struct sheet_options o = {.sheet = name};
    sheet_reader *rd;
    struct rerr e = {0};
    if (sheet_open(path, &o, &rd, &e) < 0)
        fail_msg("%s %s: %s", path, name, e.message);
    struct sheet_row row;
    int64_t n = 0;
    while (sheet_next(rd, &row, &e) == 1) {
        if (!n)
            *ncells = row.ncells;
        n++;
    }
    sheet_close(rd);
    return n;
}

static int64_t count_members(struct fx *f)
{
    store_stmt *st = store_prepare_dynamic(f->c, "SELECT count(*) FROM members");
    store_step(st, NULL);
    int64_t n = store_col_int(st, 0);
    store_finalize(st);
    return n;
}

static void every_template_reads_back(void **state)
{
    struct fx *f = *state;
    char path[96];
    snprintf(path, sizeof path, "/tmp/ronghe-template-%d.xlsx", getpid());
    int checked = 0;
    for (int i = 0; res_all[i]; i++) {
        const struct resource *r = res_all[i];
        struct rerr e = {0};
        if (!import_supported(r)) {
            assert_int_equal(template_write(r, path, &e), R_EINVAL);
            continue;
        }
        if (template_write(r, path, &e) < 0)
            fail_msg("%s: %s", r->name, e.message);
        struct import_column cols[IMPORT_MAX_COLUMNS];
        int n = import_columns(r, cols), nc = 0;
        /* the import sheet: the header alone, every column of the import */
        assert_int_equal(rows_of(path, r->label, &nc), 1);
        assert_int_equal(nc, n);
        /* 填写说明: a header, a row per column, a blank, the notes */
        assert_true(rows_of(path, "填写说明", &nc) >= n + 1);
        /* the example: read by the importer with nothing ignored, nothing missing */
        struct import_options o = {.check = true, .sheet = "示例"};
        struct import_result res;
        int rc = import_file(&f->x, r, path, &o, &res, &e);
        if (rc < 0)
            fail_msg("%s: %s", r->name, e.message);
        assert_true(res.header_found);
        assert_int_equal(res.nignored, 0);
        assert_int_equal(res.rows, 1);
        assert_false(res.committed);
        import_result_free(&res);
        checked++;
    }
    assert_true(checked > 20);
    unlink(path);
}

static void report_has_the_rejected_rows(void **state)
{
    struct fx *f = *state;
    char csv[96], out[96];
    snprintf(csv, sizeof csv, "/tmp/ronghe-report-%d.csv", getpid());
    snprintf(out, sizeof out, "/tmp/ronghe-report-%d.xlsx", getpid());
    FILE *fp = fopen(csv, "w");
    fputs("姓名,所属党组织,备注\n甲,旗院党支部,=1+1\n乙,没有的支部,\n", fp);
    fclose(fp);
    struct import_options o = {0};
    struct import_result res;
    struct rerr e = {0};
    assert_int_equal(import_file(&f->x, res_find("members"), csv, &o, &res, &e), 0);
    assert_int_equal(res.error_count, 1);
    assert_int_equal(res.nbad, 1);
    assert_int_equal(res.bad[0].line, 3);
    assert_int_equal(import_report_write(&res, out, &e), 0);
    import_result_free(&res);
    /* read back: the header (原行号, the file's three, 错误原因) and the one row */
    sheet_reader *rd;
    struct sheet_options so = {0};
    assert_int_equal(sheet_open(out, &so, &rd, &e), 0);
    struct sheet_row row;
    assert_int_equal(sheet_next(rd, &row, &e), 1);
    assert_int_equal(row.ncells, 5);
    assert_string_equal(row.cells[0].text, "原行号");
    assert_string_equal(row.cells[2].text, "所属党组织");
    assert_string_equal(row.cells[4].text, "错误原因");
    assert_int_equal(sheet_next(rd, &row, &e), 1);
    assert_string_equal(row.cells[0].text, "3");
    assert_string_equal(row.cells[2].text, "没有的支部");
    assert_non_null(strstr(row.cells[4].text, "没有的支部"));
    assert_int_equal(sheet_next(rd, &row, &e), 0);
    sheet_close(rd);
    assert_int_equal(count_members(f), 0);
    unlink(csv);
    unlink(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(every_template_reads_back, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(report_has_the_rejected_rows, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
