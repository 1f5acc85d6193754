/* Unit tests for src/sheet/csv.c (through sheet_open / sheet_next) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <iconv.h>

#include "helpers.h"

static char got[4 << 20];

static int read_text(const char *text, const struct sheet_options *opt, struct rerr *err)
{
    return test_read_all(test_write("t.csv", text, strlen(text)), opt, got, sizeof got, err);
}

/* "utf8" converted to GB18030, written to a file. */
static const char *write_gb(const char *name, const char *utf8)
{
    size_t cap = 2 * strlen(utf8) + 16;
    char *buf = malloc(cap);
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    assert_true(cd != (iconv_t)-1);
    char *in = (char *)utf8, *out = buf;
    size_t inleft = strlen(utf8), outleft = cap;
    assert_int_not_equal(iconv(cd, &in, &inleft, &out, &outleft), (size_t)-1);
    iconv_close(cd);
    const char *path = test_write(name, buf, (size_t)(out - buf));
    free(buf);
    return path;
}

static void records_and_lines(void **state)
{
    (void)state;
    struct rerr err = {0};
    assert_int_equal(read_text("a,b,c\r\n1,2,3\r\n", NULL, &err), 0);
    assert_string_equal(got, "1:ta|tb|tc\n2:t1|t2|t3\n");
    /* quotes: commas, doubled quotes, line breaks (CRLF becomes LF); lines counted inside */
    assert_int_equal(read_text("\"x, y\",\"he said \"\"hi\"\"\",\"l1\r\nl2\"\nnext,row", NULL, &err), 0);
    assert_string_equal(got, "1:tx, y|the said \"hi\"|tl1\nl2\n3:tnext|trow\n");
    /* LF, lone CR, CRLF mixed; the line numbers are the physical lines */
    assert_int_equal(read_text("a\nb\rc\r\nd", NULL, &err), 0);
    assert_string_equal(got, "1:ta\n2:tb\n3:tc\n4:td\n");
    /* wholly empty rows are skipped but counted; empty cells are SC_EMPTY */
    assert_int_equal(read_text("a,,b\n\n,,\n\"\",\"\"\nc,\n", NULL, &err), 0);
    assert_string_equal(got, "1:ta||tb\n5:tc|\n");
    /* a comma at the very end gives a last, empty cell */
    assert_int_equal(read_text("a,", NULL, &err), 0);
    assert_string_equal(got, "1:ta|\n");
    /* as Excel reads them: a quote inside an unquoted field, text after a closing quote */
    assert_int_equal(read_text("a\"b,\"ab\"c,\"q\"\n", NULL, &err), 0);
    assert_string_equal(got, "1:ta\"b|tabc|tq\n");
    /* an empty file has no rows */
    assert_int_equal(read_text("", NULL, &err), 0);
    assert_string_equal(got, "");
}

static void quote_left_open(void **state)
{
    (void)state;
    struct rerr err = {0};
    assert_int_equal(read_text("a,b\nc,\"open\nstill\nopen", NULL, &err), R_EINVAL);
    assert_string_equal(err.code, "bad_csv");
    assert_non_null(strstr(err.message, "第 2 行"));
    assert_string_equal(got, "1:ta|tb\n"); /* the rows before were given */
}

static void encodings(void **state)
{
    (void)state;
    struct rerr err = {0};
    sheet_reader *r;
    const char *bom = "\xef\xbb\xbf姓名,日期\n张三,2024/3/1\n";
    const char *p = test_write("bom.csv", bom, strlen(bom));
    assert_int_equal(sheet_open(p, NULL, &r, &err), 0);
    assert_int_equal(sheet_format_of(r), SHEET_CSV);
    assert_int_equal(sheet_encoding_of(r), SHEET_ENC_UTF8_BOM);
    struct sheet_row row;
    assert_int_equal(sheet_next(r, &row, &err), 1);
    assert_string_equal(row.cells[0].text, "姓名"); /* no BOM left in the first cell */
    sheet_close(r);

    assert_int_equal(read_text("姓名,日期\n萨日朗 ᠰᠠᠷᠠᠨᠠ,2024/3/1\n", NULL, &err), 0);
    assert_string_equal(got, "1:t姓名|t日期\n2:t萨日朗 ᠰᠠᠷᠠᠨᠠ|t2024/3/1\n");

    const char *text = "姓名,日期,备注\n张三,2024/3/1,\"第一行\n第二行\"\n李四,2024/3/2,𠀀\n";
    p = write_gb("gb.csv", text);
    assert_int_equal(sheet_open(p, NULL, &r, &err), 0);
    assert_int_equal(sheet_encoding_of(r), SHEET_ENC_GB18030);
    sheet_close(r);
    assert_int_equal(test_read_all(p, NULL, got, sizeof got, &err), 0);
    assert_string_equal(got,
                        "1:t姓名|t日期|t备注\n2:t张三|t2024/3/1|t第一行\n第二行\n4:t李四|t2024/3/2|t𠀀\n");

    /* GBK whose first characters happen to be well-formed UTF-8 (一专业: d2bb d7a8 d2b5) */
    p = write_gb("gb2.csv", "id,name\n1,一专业\n2,张三\n");
    assert_int_equal(test_read_all(p, NULL, got, sizeof got, &err), 0);
    assert_string_equal(got, "1:tid|tname\n2:t1|t一专业\n3:t2|t张三\n");
    p = write_gb("gb3.csv", "id,name\n1,一专业\n");
    assert_int_equal(test_read_all(p, NULL, got, sizeof got, &err), 0);
    assert_string_equal(got, "1:tid|tname\n2:t1|t一专业\n");

    /* ASCII alone is UTF-8 */
    p = test_write("ascii.csv", "a,b\n", 4);
    assert_int_equal(sheet_open(p, NULL, &r, &err), 0);
    assert_int_equal(sheet_encoding_of(r), SHEET_ENC_UTF8);
    sheet_close(r);
}

static void mixed_and_bad_encodings(void **state)
{
    (void)state;
    struct rerr err = {0};
    /* UTF-8 for four lines, then a line of GBK (张三 = d5c5 c8fd) */
    const char *mixed = "姓名,日期\n王五,2024/3/1\n赵六,2024/3/2\n钱七,2024/3/3\n\xd5\xc5\xc8\xfd,2024/3/4\n";
    assert_int_equal(read_text(mixed, NULL, &err), R_EINVAL);
    assert_string_equal(err.code, "bad_encoding");
    assert_non_null(strstr(err.message, "第 5 行"));
    assert_string_equal(got, "1:t姓名|t日期\n2:t王五|t2024/3/1\n3:t赵六|t2024/3/2\n4:t钱七|t2024/3/3\n");

    /* the same far beyond the first chunk and window: decided early, refused late */
    size_t cap = 400000, n = 0;
    char *big = malloc(cap);
    n += (size_t)snprintf(big + n, cap - n, "姓名,编号\n");
    int lines = 1;
    while (n < 300000)
        n += (size_t)snprintf(big + n, cap - n, "张三丰,%d\n", ++lines);
    n += (size_t)snprintf(big + n, cap - n, "x\xd5\xc5,1\n");
    assert_int_equal(test_read_all(test_write("mixed.csv", big, n), NULL, got, sizeof got, &err), R_EINVAL);
    assert_string_equal(err.code, "bad_encoding");
    char want[32];
    snprintf(want, sizeof want, "第 %d 行", lines + 1);
    assert_non_null(strstr(err.message, want));
    free(big);

    /* a byte that is neither (0xff) */
    assert_int_equal(read_text("a,b\nc,\xff\n", NULL, &err), R_EINVAL);
    assert_string_equal(err.code, "bad_encoding");
    assert_non_null(strstr(err.message, "第 2 行"));
    /* GBK cut off at the end of the file */
    assert_int_equal(test_read_all(test_write("cut.csv", "a,\xd5\xc5\xd5", 5), NULL, got, sizeof got, &err),
                     R_EINVAL);
    assert_string_equal(err.code, "bad_encoding");
    /* UTF-16 ("Unicode text" from Excel) */
    assert_int_equal(test_read_all(test_write("u16.csv",
                                              "\xff\xfe"
                                              "a\0,\0b\0",
                                              8),
                                   NULL, got, sizeof got, &err),
                     R_EINVAL);
    assert_string_equal(err.code, "bad_encoding");
}

static void not_spreadsheets(void **state)
{
    (void)state;
    struct rerr err = {0};
    static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
    assert_int_equal(test_read_all(test_write("x.csv", png, sizeof png - 1), NULL, got, sizeof got, &err),
                     R_EMEDIA);
    assert_string_equal(err.code, "not_spreadsheet");
    assert_int_equal(read_text("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", NULL, &err), R_EMEDIA);
    assert_string_equal(err.code, "not_spreadsheet");
    static const char ole[] = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0\0\0";
    assert_int_equal(test_read_all(test_write("x.xls", ole, sizeof ole - 1), NULL, got, sizeof got, &err),
                     R_EMEDIA);
    assert_non_null(strstr(err.message, ".xls"));
    assert_int_equal(read_text("\n<html><body><table><tr><td>1</td></tr></table>", NULL, &err), R_EMEDIA);
    assert_string_equal(err.code, "not_spreadsheet");
    /* a NUL past the first chunk: text that goes bad */
    size_t n = 200000;
    char *big = malloc(n);
    for (size_t i = 0; i < n; i++)
        big[i] = i % 10 == 9 ? '\n' : 'a';
    big[150000] = 0;
    assert_int_equal(test_read_all(test_write("nul.csv", big, n), NULL, got, sizeof got, &err), R_EINVAL);
    assert_string_equal(err.code, "bad_csv");
    assert_non_null(strstr(err.message, "第 15001 行"));
    free(big);
    /* no such file */
    sheet_reader *r;
    assert_int_equal(sheet_open(test_path("absent.csv"), NULL, &r, &err), R_ENOTFOUND);
}

static void limits(void **state)
{
    (void)state;
    struct rerr err = {0};
    struct sheet_options o = {.limits = {.max_rows = 3}};
    assert_int_equal(read_text("a\nb\nc\n", &o, &err), 0);
    assert_int_equal(read_text("a\nb\nc\nd\n", &o, &err), R_ETOOBIG);
    assert_string_equal(err.code, "too_large");
    assert_non_null(strstr(err.message, "3 行"));
    o = (struct sheet_options){.limits = {.max_cols = 2}};
    assert_int_equal(read_text("a,b\nc,d,e\n", &o, &err), R_ETOOBIG);
    assert_non_null(strstr(err.message, "第 2 行"));
    o = (struct sheet_options){.limits = {.max_cell_bytes = 4}};
    assert_int_equal(read_text("abcd,\"ab\"\"c\"\nx,abcde\n", &o, &err), R_ETOOBIG);
    assert_non_null(strstr(err.message, "第 2 行 B 列"));
    o = (struct sheet_options){.limits = {.max_cells = 5}};
    assert_int_equal(read_text("a,b\nc,d\ne,f\n", &o, &err), R_ETOOBIG);
    assert_string_equal(err.code, "too_large");
    o = (struct sheet_options){.limits = {.max_bytes = 10}};
    assert_int_equal(read_text("0123456789A", &o, &err), R_ETOOBIG);
    assert_string_equal(err.code, "too_large");
    assert_int_equal(read_text("0123456789", &o, &err), 0);

    /* the defaults: Excel's 16,384 columns and 32,767 bytes in a cell */
    size_t n = 16385 * 2;
    char *wide = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        wide[i] = i % 2 ? ',' : 'x';
    wide[n - 1] = '\n';
    assert_int_equal(test_read_all(test_write("wide.csv", wide, n), NULL, got, sizeof got, &err), R_ETOOBIG);
    free(wide);
    char *cell = malloc(40000);
    memset(cell, 'y', 40000);
    assert_int_equal(test_read_all(test_write("cell.csv", cell, 32767), NULL, got, sizeof got, &err), 0);
    assert_int_equal(test_read_all(test_write("cell.csv", cell, 32768), NULL, got, sizeof got, &err),
                     R_ETOOBIG);
    free(cell);
}

static void errors_stick(void **state)
{
    (void)state;
    struct rerr err = {0};
    sheet_reader *r;
    const char *p = test_write("stick.csv", "a\n\"b", 4);
    assert_int_equal(sheet_open(p, NULL, &r, &err), 0);
    struct sheet_row row;
    assert_int_equal(sheet_next(r, &row, &err), 1);
    assert_int_equal(sheet_next(r, &row, &err), R_EINVAL);
    rerr_clear(&err);
    assert_int_equal(sheet_next(r, &row, &err), R_EINVAL);
    assert_string_equal(err.code, "bad_csv");
    assert_int_equal(sheet_bytes_total(r), 4);
    assert_int_equal(sheet_bytes_read(r), 4);
    sheet_close(r);
}

/* Many rows across chunk boundaries: quoted fields, CRLF and characters of every width
 * cut by the 64 KiB reads, in UTF-8 and GB18030; every row must come back whole. */
static void chunk_boundaries(void **state)
{
    (void)state;
    size_t cap = 3 << 20, n = 0;
    char *text = malloc(cap);
    int rows = 30000;
    for (int i = 1; i <= rows; i++)
        n += (size_t)snprintf(text + n, cap - n, "%d,张三%s,\"备注,\"\"%d\"\"\r\n第二行\",%.*s\r\n", i,
                              i % 3 ? "丰" : "", i, i % 7 * 3, "ᠰᠠᠷᠠᠨᠠᠠ");
    for (int enc = 0; enc < 2; enc++) {
        const char *p = enc ? write_gb("many-gb.csv", text) : test_write("many.csv", text, n);
        sheet_reader *r;
        struct rerr err = {0};
        assert_int_equal(sheet_open(p, NULL, &r, &err), 0);
        struct sheet_row row;
        int i = 0;
        while (sheet_next(r, &row, &err) > 0) {
            i++;
            char want[64];
            assert_int_equal(row.line, 2 * i - 1);
            assert_int_equal(row.ncells, 4);
            snprintf(want, sizeof want, "%d", i);
            assert_string_equal(row.cells[0].text, want);
            assert_string_equal(row.cells[1].text, i % 3 ? "张三丰" : "张三");
            snprintf(want, sizeof want, "备注,\"%d\"\n第二行", i);
            assert_string_equal(row.cells[2].text, want);
            assert_int_equal(row.cells[3].len, (size_t)(i % 7) * 3);
        }
        assert_int_equal(err.rc, 0);
        assert_int_equal(i, rows);
        assert_int_equal(sheet_encoding_of(r), enc ? SHEET_ENC_GB18030 : SHEET_ENC_UTF8);
        assert_int_equal(sheet_bytes_read(r), sheet_bytes_total(r));
        sheet_close(r);
    }
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(records_and_lines), cmocka_unit_test(quote_left_open),
        cmocka_unit_test(encodings),         cmocka_unit_test(mixed_and_bad_encodings),
        cmocka_unit_test(not_spreadsheets),  cmocka_unit_test(limits),
        cmocka_unit_test(errors_stick),      cmocka_unit_test(chunk_boundaries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
