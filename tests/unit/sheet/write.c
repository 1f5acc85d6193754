/* Unit tests for src/sheet/write.c: each file written is read back (XLSX: its XML parts
 * through libzip; CSV: its bytes) and checked for what a spreadsheet will see. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "sheet/sheet_write.h"

static char dir[] = "/tmp/ronghe-sheetw-XXXXXX";

static const char *path_of(const char *name)
{
    static char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return p;
}

static bool exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* The entry "name" of the zip at "p", NUL-terminated (free it), or NULL. */
static char *zip_entry(const char *p, const char *name)
{
    int zerr;
    zip_t *za = zip_open(p, ZIP_RDONLY, &zerr);
    assert_non_null(za);
    zip_stat_t st;
    char *buf = NULL;
    if (zip_stat(za, name, 0, &st) == 0) {
        buf = malloc(st.size + 1);
        zip_file_t *zf = zip_fopen(za, name, 0);
        assert_non_null(zf);
        assert_int_equal(zip_fread(zf, buf, st.size), (zip_int64_t)st.size);
        buf[st.size] = '\0';
        zip_fclose(zf);
    }
    zip_discard(za);
    return buf;
}

static char *file_text(const char *p, size_t *len)
{
    FILE *fp = fopen(p, "rb");
    assert_non_null(fp);
    char *buf = malloc(1 << 20);
    *len = fread(buf, 1, (1 << 20) - 1, fp);
    buf[*len] = '\0';
    fclose(fp);
    return buf;
}

/* The style index ("s") of the cell "ref" in sheet XML "xml", or 0. */
static int style_of(const char *xml, const char *ref)
{
    char key[32];
    snprintf(key, sizeof key, "<c r=\"%s\"", ref);
    const char *c = strstr(xml, key);
    assert_non_null(c);
    const char *end = strchr(c, '>');
    const char *s = strstr(c, " s=\"");
    return s && s < end ? atoi(s + 4) : 0;
}

/* The "i"th <xf> of cellXfs in styles.xml "xml", copied up to its end. */
static void cell_xf(const char *xml, int i, char *out, size_t cap)
{
    const char *p = strstr(xml, "<cellXfs");
    assert_non_null(p);
    for (int k = 0; k <= i; k++) {
        p = strstr(p + 1, "<xf ");
        assert_non_null(p);
    }
    const char *end = strchr(p, '>');
    snprintf(out, cap, "%.*s", (int)(end - p + 1), p);
}

static void xlsx_streaming_types_and_neutralising(void **state)
{
    (void)state;
    const char *p = path_of("a.xlsx");
    struct rerr err = {0};
    sheet_writer *w;
    assert_int_equal(sheet_writer_open(p, SHEET_OUT_XLSX, true, &w, &err), 0);
    assert_int_equal(sheet_add_sheet(w, "党员"), 0);
    sheet_column(w, 0, 12);
    sheet_column(w, 3, 30);
    sheet_freeze_header(w);
    const char *head[] = {"姓名", "出生日期", "党龄", "在职", "备注"};
    for (int c = 0; c < 5; c++)
        assert_int_equal(sheet_text(w, 0, c, head[c]), 0);
    assert_int_equal(sheet_text(w, 1, 0, "=1+1"), 0);
    assert_int_equal(sheet_date(w, 1, 1, "2024-03-01"), 0);
    assert_int_equal(sheet_number(w, 1, 2, 12.5), 0);
    assert_int_equal(sheet_bool(w, 1, 3, true), 0);
    assert_int_equal(sheet_text(w, 1, 4, "@SUM(A1)"), 0);
    assert_int_equal(sheet_text(w, 2, 0, "张某"), 0);
    assert_int_equal(sheet_date(w, 2, 1, "2024-02-30"), 0); /* not a date: text */
    assert_int_equal(sheet_text(w, 2, 2, "-5"), 0);
    assert_int_equal(sheet_text(w, 2, 3, "\tx"), 0);
    assert_int_equal(sheet_date(w, 2, 4, "2026-12-01 08:30:00"), 0);
    sheet_column(w, 4, 21); /* after the rows: the widths are written at close */
    assert_int_equal(sheet_writer_close(w, &err), 0);

    char *xml = zip_entry(p, "xl/worksheets/sheet1.xml");
    char *styles = zip_entry(p, "xl/styles.xml");
    char *book = zip_entry(p, "xl/workbook.xml");
    assert_non_null(xml);
    assert_non_null(styles);
    assert_non_null(strstr(book, "name=\"党员\""));
    /* frozen first row, widths */
    assert_non_null(strstr(xml, "<pane ySplit=\"1\""));
    assert_non_null(strstr(xml, "<col min=\"4\" max=\"4\" width=\"30"));
    assert_non_null(strstr(xml, "<col min=\"5\" max=\"5\" width=\"21"));
    /* constant memory: inline strings, not a shared-string table */
    assert_non_null(strstr(xml, "<c r=\"A1\" s=\"1\" t=\"inlineStr\"><is><t>姓名</t>"));
    char xf[256];
    cell_xf(styles, style_of(xml, "A1"), xf, sizeof xf);
    assert_non_null(strstr(styles, "<b/>"));
    /* the formula-looking texts: text cells with the quote prefix, never <f> */
    assert_null(strstr(xml, "<f>"));
    assert_non_null(strstr(xml, "<c r=\"A2\" s=\""));
    assert_non_null(strstr(xml, "<t>=1+1</t>"));
    assert_non_null(strstr(xml, "<t>@SUM(A1)</t>"));
    const char *quoted[] = {"A2", "E2", "C3", "D3"};
    for (size_t i = 0; i < 4; i++) {
        cell_xf(styles, style_of(xml, quoted[i]), xf, sizeof xf);
        assert_non_null(strstr(xf, "quotePrefix=\"1\""));
        assert_non_null(strstr(xf, "numFmtId=\"49\""));
    }
    /* plain text is not quote-prefixed */
    cell_xf(styles, style_of(xml, "A3"), xf, sizeof xf);
    assert_null(strstr(xf, "quotePrefix"));
    /* the date: serial 45352 with a yyyy-mm-dd format; the number a number; the bool */
    assert_non_null(strstr(xml, "<c r=\"B2\" s=\""));
    assert_non_null(strstr(xml, "<v>45352</v>"));
    assert_non_null(strstr(styles, "formatCode=\"yyyy-mm-dd\""));
    assert_non_null(strstr(styles, "formatCode=\"yyyy-mm-dd hh:mm:ss\""));
    cell_xf(styles, style_of(xml, "B2"), xf, sizeof xf);
    assert_non_null(strstr(xf, "applyNumberFormat=\"1\""));
    assert_non_null(strstr(xml, "<c r=\"C2\"><v>12.5</v></c>"));
    assert_non_null(strstr(xml, "<c r=\"D2\" t=\"b\"><v>1</v></c>"));
    assert_non_null(strstr(xml, "<t>2024-02-30</t>"));
    assert_non_null(strstr(xml, "<v>46357.354166")); /* 2026-12-01 08:30 */
    free(xml);
    free(styles);
    free(book);
}

/* The inline text of cell "ref" in streamed sheet XML "xml" (free it). */
static char *inline_text(const char *xml, const char *ref)
{
    char key[32];
    snprintf(key, sizeof key, "<c r=\"%s\"", ref);
    const char *c = strstr(xml, key);
    assert_non_null(c);
    const char *t = strstr(c, "<t");
    assert_non_null(t);
    t = strchr(t, '>') + 1;
    const char *end = strstr(t, "</t>");
    assert_non_null(end);
    return strndup(t, (size_t)(end - t));
}

/* UTF-16 code units of UTF-8 "s", as Excel counts a cell's characters. */
static size_t units_of(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n += (unsigned char)*s >= 0xF0 ? 2 : 1;
    return n;
}

static char *repeat(const char *piece, int n, const char *tail)
{
    size_t k = strlen(piece), t = strlen(tail);
    char *s = malloc(k * (size_t)n + t + 1);
    for (int i = 0; i < n; i++)
        memcpy(s + k * (size_t)i, piece, k);
    memcpy(s + k * (size_t)n, tail, t + 1);
    return s;
}

/* A text over Excel's 32,767 characters is cut on a character, counted as Excel counts
 * (a four-byte character is two), and says so at its end; one that fits is untouched. */
static void xlsx_long_text_cut_and_marked(void **state)
{
    (void)state;
    const char *p = path_of("long.xlsx");
    struct rerr err = {0};
    sheet_writer *w;
    char *han = repeat("汉", 40000, ""), *ext = repeat("𠀀", 20000, ""), *fit = repeat("a", 32767, ""),
         *fit4 = repeat("𠀀", 16383, "a");
    assert_int_equal(sheet_writer_open(p, SHEET_OUT_XLSX, true, &w, &err), 0);
    assert_int_equal(sheet_add_sheet(w, "长文本"), 0);
    assert_int_equal(sheet_text(w, 0, 0, han), 0);
    assert_int_equal(sheet_text(w, 0, 1, ext), 0);
    assert_int_equal(sheet_text(w, 0, 2, fit), 0);
    assert_int_equal(sheet_text(w, 0, 3, fit4), 0);
    assert_int_equal(sheet_writer_close(w, &err), 0);
    char *xml = zip_entry(p, "xl/worksheets/sheet1.xml");
    assert_non_null(xml);
    const char *mark = "（超出 Excel 单元格 32767 字符的上限，以下已截去；CSV 导出保留全文）";
    for (int c = 0; c < 2; c++) {
        char *t = inline_text(xml, c ? "B1" : "A1");
        size_t len = strlen(t), ml = strlen(mark);
        assert_true(units_of(t) <= 32767);
        assert_true(units_of(t) > 32767 - 60);
        assert_true(len > ml && !strcmp(t + len - ml, mark));
        /* what stands before the mark is a run of whole characters of the original */
        const char *piece = c ? "𠀀" : "汉";
        size_t body = len - ml - strlen("…");
        assert_int_equal(body % strlen(piece), 0);
        assert_memory_equal(t, c ? ext : han, body);
        free(t);
    }
    char *t = inline_text(xml, "C1");
    assert_string_equal(t, fit);
    free(t);
    t = inline_text(xml, "D1");
    assert_string_equal(t, fit4);
    free(t);
    free(xml);
    free(han);
    free(ext);
    free(fit);
    free(fit4);
}

static void xlsx_streaming_refuses_rows_out_of_order(void **state)
{
    (void)state;
    const char *p = path_of("b.xlsx");
    struct rerr err = {0};
    sheet_writer *w;
    assert_int_equal(sheet_writer_open(p, SHEET_OUT_XLSX, true, &w, &err), 0);
    assert_int_equal(sheet_text(w, 5, 0, "x"), 0);
    assert_int_not_equal(sheet_text(w, 4, 0, "y"), 0);
    assert_int_not_equal(sheet_number(w, 6, 0, 1), 0); /* stays failed */
    assert_int_not_equal(sheet_writer_close(w, &err), 0);
    assert_string_equal(err.code, "bad_order");
    assert_false(exists(p)); /* nothing half-written stays */
}

static void xlsx_row_limit_and_new_sheet(void **state)
{
    (void)state;
    const char *p = path_of("c.xlsx");
    struct rerr err = {0};
    sheet_writer *w;
    assert_int_equal(sheet_writer_open(p, SHEET_OUT_XLSX, true, &w, &err), 0);
    assert_int_equal(
        sheet_add_sheet(w, "a/b:c*d?e[f]g 这是一个非常非常非常长的工作表名字超过三十一个字符了吧"), 0);
    assert_int_equal(sheet_text(w, SHEET_XLSX_MAX_ROWS - 1, 0, "last"), 0);
    assert_int_equal(sheet_add_sheet(w, "第二页"), 0);
    assert_int_equal(sheet_text(w, 0, 0, "first"), 0); /* a new sheet starts at row 0 again */
    assert_int_equal(sheet_writer_close(w, &err), 0);
    char *book = zip_entry(p, "xl/workbook.xml");
    assert_non_null(strstr(book, "name=\"a_b_c_d_e_f_g 这是一个非常非常非常长的工作表名字\""));
    assert_non_null(strstr(book, "name=\"第二页\""));
    free(book);

    assert_int_equal(sheet_writer_open(p, SHEET_OUT_XLSX, true, &w, &err), 0);
    assert_int_equal(sheet_add_sheet(w, "同名"), 0);
    assert_int_equal(sheet_add_sheet(w, "同名"), R_ECONFLICT);
    assert_int_not_equal(sheet_writer_close(w, &err), 0);
    assert_false(exists(p));

    assert_int_equal(sheet_writer_open(p, SHEET_OUT_XLSX, true, &w, &err), 0);
    assert_int_equal(sheet_text(w, SHEET_XLSX_MAX_ROWS, 0, "too far"), R_ETOOBIG);
    assert_int_equal(sheet_writer_close(w, &err), R_ETOOBIG);
    assert_string_equal(err.code, "too_large");
    assert_false(exists(p));
}

static void xlsx_lists_and_marks(void **state)
{
    (void)state;
    const char *p = path_of("d.xlsx");
    struct rerr err = {0};
    sheet_writer *w;
    /* not streaming: cells in any order */
    assert_int_equal(sheet_writer_open(p, SHEET_OUT_XLSX, false, &w, &err), 0);
    assert_int_equal(sheet_add_sheet(w, "导入"), 0);
    assert_int_equal(sheet_text(w, 3, 0, "later"), 0);
    assert_int_equal(sheet_text(w, 0, 0, "性别"), 0);
    const char *sex[] = {"男", "女", NULL};
    assert_int_equal(sheet_list(w, 1, 1000, 0, sex), 0);
    /* long (and with a comma): kept on a hidden sheet */
    static char names[40][32];
    const char *many[41];
    for (int i = 0; i < 40; i++) {
        snprintf(names[i], sizeof names[i], "科尔沁区第%d党支部,甲", i + 1);
        many[i] = names[i];
    }
    many[40] = NULL;
    assert_int_equal(sheet_list(w, 1, 1000, 1, many), 0);
    assert_int_equal(sheet_mark(w, 2, 1, "=bad", "所属支部不存在"), 0);
    assert_int_equal(sheet_add_sheet(w, "说明"), 0);
    assert_int_equal(sheet_text(w, 0, 0, "列"), 0);
    assert_int_equal(sheet_writer_close(w, &err), 0);

    char *xml = zip_entry(p, "xl/worksheets/sheet1.xml");
    assert_non_null(strstr(xml, "sqref=\"A2:A1001\"><formula1>\"男,女\"</formula1>"));
    assert_non_null(strstr(xml, "sqref=\"B2:B1001\"><formula1>'下拉选项'!$A$1:$AN$1</formula1>"));
    assert_non_null(strstr(xml, "error=\"请从下拉列表中选择一项。\""));
    char *sst = zip_entry(p, "xl/sharedStrings.xml"); /* not streaming: shared strings */
    assert_non_null(strstr(sst, "<t>=bad</t>"));
    free(sst);
    char *styles = zip_entry(p, "xl/styles.xml");
    char xf[256];
    cell_xf(styles, style_of(xml, "B3"), xf, sizeof xf);
    assert_non_null(strstr(xf, "quotePrefix=\"1\""));
    assert_null(strstr(xf, "fillId=\"0\""));
    assert_non_null(strstr(styles, "FFFFC7CE"));
    char *comments = zip_entry(p, "xl/comments1.xml");
    assert_non_null(comments);
    assert_non_null(strstr(comments, "ref=\"B3\""));
    assert_non_null(strstr(comments, "所属支部不存在"));
    char *book = zip_entry(p, "xl/workbook.xml");
    /* the lists sheet is hidden; the user's sheets are in the order they were added */
    assert_non_null(strstr(book, "name=\"下拉选项\" sheetId=\"2\" state=\"hidden\""));
    assert_true(strstr(book, "name=\"导入\"") < strstr(book, "name=\"说明\""));
    char *lists = zip_entry(p, "xl/worksheets/sheet2.xml");
    assert_non_null(strstr(lists, "<c r=\"AN1\" t=\"s\">"));
    sst = zip_entry(p, "xl/sharedStrings.xml");
    assert_non_null(strstr(sst, "<t>科尔沁区第40党支部,甲</t>"));
    free(sst);
    free(xml);
    free(styles);
    free(comments);
    free(book);
    free(lists);

    /* marks in streaming mode too */
    assert_int_equal(sheet_writer_open(p, SHEET_OUT_XLSX, true, &w, &err), 0);
    assert_int_equal(sheet_text(w, 0, 0, "a"), 0);
    assert_int_equal(sheet_mark(w, 1, 0, "x", "原因"), 0);
    assert_int_equal(sheet_list(w, 1, 10, 0, sex), 0);
    assert_int_equal(sheet_writer_close(w, &err), 0);
    comments = zip_entry(p, "xl/comments1.xml");
    assert_non_null(comments);
    assert_non_null(strstr(comments, "原因"));
    free(comments);
}

static void csv_bom_crlf_quoting_and_neutralising(void **state)
{
    (void)state;
    const char *p = path_of("e.csv");
    struct rerr err = {0};
    sheet_writer *w;
    assert_int_equal(sheet_writer_open(p, SHEET_OUT_CSV, true, &w, &err), 0);
    /* the XLSX-only calls are accepted and do nothing */
    assert_int_equal(sheet_add_sheet(w, "党员"), 0);
    sheet_column(w, 0, 20);
    sheet_freeze_header(w);
    const char *sex[] = {"男", "女", NULL};
    assert_int_equal(sheet_list(w, 1, 10, 1, sex), 0);
    assert_int_equal(sheet_text(w, 0, 0, "姓名"), 0);
    assert_int_equal(sheet_text(w, 0, 1, "日期"), 0);
    assert_int_equal(sheet_text(w, 0, 2, "数"), 0);
    assert_int_equal(sheet_text(w, 0, 3, "备注"), 0);
    assert_int_equal(sheet_text(w, 1, 0, "=1+1"), 0);
    assert_int_equal(sheet_date(w, 1, 1, "2024-03-01"), 0);
    assert_int_equal(sheet_number(w, 1, 2, 0.1), 0);
    assert_int_equal(sheet_text(w, 1, 3, "a,\"b\"\r\nc"), 0);
    assert_int_equal(sheet_text(w, 2, 0, "@x,y"), 0); /* neutralised inside the quotes */
    assert_int_equal(sheet_number(w, 2, 2, -3), 0);   /* a number is a number */
    assert_int_equal(sheet_text(w, 3, 1, "+86"), 0);
    assert_int_equal(sheet_bool(w, 3, 2, false), 0);
    assert_int_equal(sheet_mark(w, 3, 3, "坏", "原因"), 0);
    assert_int_equal(sheet_text(w, 5, 0, "-"), 0); /* row 4 is empty */
    assert_int_equal(sheet_date(w, 5, 1, "2026-12-01T08:30:00Z"), 0);
    assert_int_equal(sheet_number(w, 5, 2, 1e20), 0);
    assert_int_equal(sheet_writer_close(w, &err), 0);
    size_t len;
    char *got = file_text(p, &len);
    const char *want = "\xEF\xBB\xBF"
                       "姓名,日期,数,备注\r\n"
                       "'=1+1,2024-03-01,0.1,\"a,\"\"b\"\"\r\nc\"\r\n"
                       "\"'@x,y\",,-3,\r\n"
                       ",'+86,FALSE,坏\r\n"
                       ",,,\r\n"
                       "'-,2026-12-01 08:30:00,1e+20,\r\n";
    assert_string_equal(got, want);
    assert_int_equal(len, strlen(want));
    free(got);

    assert_int_equal(sheet_writer_open(p, SHEET_OUT_CSV, true, &w, &err), 0);
    assert_int_equal(sheet_text(w, 0, 1, "b"), 0);
    assert_int_not_equal(sheet_text(w, 0, 0, "a"), 0); /* left of what was written */
    assert_int_not_equal(sheet_writer_close(w, &err), 0);
    assert_string_equal(err.code, "bad_order");
    assert_false(exists(p));
}

static void bad_paths(void **state)
{
    (void)state;
    struct rerr err = {0};
    sheet_writer *w = (sheet_writer *)1;
    assert_int_not_equal(sheet_writer_open("/nonexistent-dir/x.xlsx", SHEET_OUT_XLSX, true, &w, &err), 0);
    assert_null(w);
    assert_string_equal(err.code, "sheet_write");
    assert_int_not_equal(sheet_writer_open("/nonexistent-dir/x.csv", SHEET_OUT_CSV, true, &w, &err), 0);
    assert_int_not_equal(sheet_writer_open(path_of("x"), (enum sheet_out)7, true, &w, &err), 0);
    assert_int_equal(sheet_writer_close(NULL, &err), 0);
}

static void empty_workbook_still_opens(void **state)
{
    (void)state;
    const char *p = path_of("f.xlsx");
    struct rerr err = {0};
    sheet_writer *w;
    assert_int_equal(sheet_writer_open(p, SHEET_OUT_XLSX, true, &w, &err), 0);
    assert_int_equal(sheet_writer_close(w, &err), 0);
    char *book = zip_entry(p, "xl/workbook.xml");
    assert_non_null(strstr(book, "name=\"Sheet1\""));
    free(book);
    /* no neutralised text: styles.xml as libxlsxwriter wrote it */
    char *styles = zip_entry(p, "xl/styles.xml");
    assert_null(strstr(styles, "quotePrefix"));
    free(styles);
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(xlsx_streaming_types_and_neutralising),
        cmocka_unit_test(xlsx_long_text_cut_and_marked),
        cmocka_unit_test(xlsx_streaming_refuses_rows_out_of_order),
        cmocka_unit_test(xlsx_row_limit_and_new_sheet),
        cmocka_unit_test(xlsx_lists_and_marks),
        cmocka_unit_test(csv_bom_crlf_quoting_and_neutralising),
        cmocka_unit_test(bad_paths),
        cmocka_unit_test(empty_workbook_still_opens),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
