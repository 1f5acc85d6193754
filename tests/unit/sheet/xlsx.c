/* Unit tests for src/sheet/xlsx.c, zip.c and xml.c (through sheet_open / sheet_next).
 * Workbooks are made here: real ones by libxlsxwriter (what the export writes, in the
 * shape Excel saves), and hand-made ones by libzip around XML written below. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <sys/stat.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "helpers.h"

static char got[1 << 16];

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define RNS "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

struct part {
    const char *name, *data;
    size_t len; /* 0: strlen(data) */
};

static const char *write_zip(const char *name, const struct part *parts, int n)
{
    const char *path = test_path(name);
    int zerr;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    assert_non_null(z);
    for (int i = 0; i < n; i++) {
        size_t len = parts[i].len ? parts[i].len : strlen(parts[i].data);
        zip_source_t *s = zip_source_buffer(z, parts[i].data, len, 0);
        assert_non_null(s);
        assert_true(zip_file_add(z, parts[i].name, s, ZIP_FL_ENC_UTF_8) >= 0);
    }
    assert_int_equal(zip_close(z), 0);
    return path;
}

static const char rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"" REL "officeDocument\" Target=\"xl/workbook.xml\"/>"
    "</Relationships>";
static const char wb_rels[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"" REL "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId7\" Type=\"" REL "worksheet\" Target=\"/xl/worksheets/../worksheets/sheet2.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"" REL "sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"" REL "styles\" Target=\"styles.xml\"/>"
    "<Relationship Id=\"rId4\" Type=\"" REL "chartsheet\" Target=\"chartsheets/sheet1.xml\"/>"
    "</Relationships>";

/* A workbook of hand-written parts: "sheet" is sheet1's XML (the sheet 数据), "sst" the
 * shared strings, "styles" the styles, "pr" the workbookPr element. */
static const char *hand_made(const char *name, const char *sheet, const char *sst, const char *styles,
                             const char *pr)
{
    static char wb[1024];
    snprintf(wb, sizeof wb,
             "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<workbook " NS " " RNS ">%s"
             "<sheets><sheet name=\"数据\" sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"Other\" sheetId=\"2\" "
             "r:id=\"rId7\"/><sheet name=\"图表\" sheetId=\"3\" r:id=\"rId4\"/></sheets></workbook>",
             pr ? pr : "");
    struct part parts[] = {
        {"[Content_Types].xml",
         "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>", 0},
        {"_rels/.rels", rels, 0},
        {"xl/workbook.xml", wb, 0},
        {"xl/_rels/workbook.xml.rels", wb_rels, 0},
        {"xl/worksheets/sheet1.xml", sheet, 0},
        {"xl/worksheets/sheet2.xml",
         "<worksheet " NS "><sheetData><row><c t=\"inlineStr\"><is><t>other</t></is></c>"
         "</row></sheetData></worksheet>",
         0},
        {"xl/sharedStrings.xml", sst ? sst : "<sst " NS "/>", 0},
        {"xl/styles.xml", styles ? styles : "<styleSheet " NS "/>", 0},
    };
    return write_zip(name, parts, 8);
}

static int read_file(const char *path, const struct sheet_options *opt, struct rerr *err)
{
    return test_read_all(path, opt, got, sizeof got, err);
}

/* ---- real workbooks, from libxlsxwriter */

static const char *typical(const char *name, bool constant_memory)
{
    const char *path = test_path(name);
    lxw_workbook_options o = {.constant_memory = constant_memory, .tmpdir = test_dir};
    lxw_workbook *wb = workbook_new_opt(path, &o);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "考勤");
    lxw_worksheet *help = workbook_add_worksheet(wb, "说明");
    lxw_format *day = workbook_add_format(wb), *stamp = workbook_add_format(wb),
               *builtin = workbook_add_format(wb);
    lxw_format *money = workbook_add_format(wb), *title = workbook_add_format(wb);
    format_set_num_format(day, "yyyy-mm-dd");
    format_set_num_format(stamp, "yyyy/m/d h:mm");
    format_set_num_format_index(builtin, 14);
    format_set_num_format(money, "#,##0.00");
    format_set_bold(title);
    worksheet_merge_range(ws, 0, 0, 0, 2, "2024年3月考勤", title);
    /* two header rows; in row order, as constant_memory needs */
    worksheet_merge_range(ws, 1, 1, 1, 2, "时间", title);
    worksheet_merge_range(ws, 1, 0, 2, 0, "姓名", title);
    worksheet_write_string(ws, 2, 1, "日期", NULL);
    worksheet_write_string(ws, 2, 2, "签到", NULL);
    worksheet_write_string(ws, 2, 3, "时长", NULL);
    worksheet_write_string(ws, 2, 4, "出勤", NULL);
    worksheet_write_string(ws, 2, 5, "公式", NULL);
    worksheet_write_string(ws, 2, 6, "文字结果", NULL);
    lxw_datetime d1 = {2024, 3, 1, 0, 0, 0}, t1 = {2024, 3, 1, 8, 30, 0};
    worksheet_write_string(ws, 3, 0, "张三", NULL);
    worksheet_write_datetime(ws, 3, 1, &d1, day);
    worksheet_write_datetime(ws, 3, 2, &t1, stamp);
    worksheet_write_number(ws, 3, 3, 3.5, money);
    worksheet_write_boolean(ws, 3, 4, 1, NULL);
    worksheet_write_formula_num(ws, 3, 5, "=1+2", NULL, 3);
    worksheet_write_formula_str(ws, 3, 6, "=\"A\"&\"B\"", NULL, "AB");
    /* row 5 left empty; row 6 has a gap at B */
    worksheet_write_string(ws, 5, 0, "李四", NULL);
    worksheet_write_datetime(ws, 5, 2, &d1, builtin);
    worksheet_write_boolean(ws, 5, 4, 0, NULL);
    worksheet_write_string(help, 0, 0, "说明", NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    return path;
}

static const char typical_rows[] = "1:t2024年3月考勤|t2024年3月考勤|t2024年3月考勤\n"
                                   "2:t姓名|t时间|t时间\n"
                                   "3:t姓名|t日期|t签到|t时长|t出勤|t公式|t文字结果\n"
                                   "4:t张三|d2024-03-01|d2024-03-01 08:30:00|n3.5|bTRUE|n3|tAB\n"
                                   "6:t李四||d2024-03-01||bFALSE\n";

static void real_workbooks(void **state)
{
    (void)state;
    struct rerr err = {0};
    const char *p = typical("typical.xlsx", false);
    assert_int_equal(read_file(p, NULL, &err), 0);
    assert_string_equal(got, typical_rows);
    /* constant_memory: inline strings instead of the shared table */
    assert_int_equal(read_file(typical("streamed.xlsx", true), NULL, &err), 0);
    assert_string_equal(got, typical_rows);
    /* by name */
    struct sheet_options o = {.sheet = "说明"};
    assert_int_equal(read_file(p, &o, &err), 0);
    assert_string_equal(got, "1:t说明\n");
    o.sheet = "没有";
    assert_int_equal(read_file(p, &o, &err), R_EUNPROC);
    assert_string_equal(err.code, "no_such_sheet");
    assert_non_null(strstr(err.message, "“考勤”、“说明”"));

    sheet_reader *r;
    assert_int_equal(sheet_open(p, NULL, &r, &err), 0);
    assert_int_equal(sheet_format_of(r), SHEET_XLSX);
    assert_int_equal(sheet_encoding_of(r), SHEET_ENC_NONE);
    struct sheet_row row;
    while (sheet_next(r, &row, &err) > 0)
        if (row.line == 4) {
            assert_true(row.cells[1].num == 45352); /* SC_DATE keeps its serial */
            assert_true(row.cells[3].num == 3.5);
            assert_true(row.cells[4].num == 1);
        }
    assert_true(sheet_bytes_total(r) > 0);
    assert_int_equal(sheet_bytes_read(r), sheet_bytes_total(r));
    sheet_close(r);

    /* the named file is no guide: an XLSX called .csv is read as XLSX */
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    char *copy = malloc((size_t)st.st_size);
    FILE *f = fopen(p, "rb");
    assert_int_equal(fread(copy, 1, (size_t)st.st_size, f), (size_t)st.st_size);
    fclose(f);
    assert_int_equal(read_file(test_write("named.csv", copy, (size_t)st.st_size), NULL, &err), 0);
    assert_string_equal(got, typical_rows);

    /* cut short, or damaged in the middle: bad_xlsx */
    assert_int_equal(read_file(test_write("cut.xlsx", copy, (size_t)st.st_size / 2), NULL, &err), R_EINVAL);
    assert_string_equal(err.code, "bad_xlsx");
    free(copy);
}

/* ---- hand-made: every kind of cell */

static const char sst[] = "<sst " NS " count=\"5\" uniqueCount=\"4\">"
                          "<si><t>姓名</t></si>"
                          "<si><r><rPr><b/></rPr><t>富</t></r><r><t xml:space=\"preserve\"> 文本</t></r>"
                          "<rPh sb=\"0\" eb=\"1\"><t>フリガナ</t></rPh></si>"
                          "<si><t>一行_x000D_\n二行 a_x005F_x0041_b &amp; &lt;</t></si>"
                          "<si><t/></si>"
                          "</sst>";

static const char styles[] =
    "<styleSheet " NS "><numFmts count=\"6\">"
    "<numFmt numFmtId=\"164\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"0.00&quot;days&quot;\"/>"
    "<numFmt numFmtId=\"166\" formatCode=\"[Red]0.00;[Blue]\\-0.00\"/>"
    "<numFmt numFmtId=\"167\" formatCode=\"[h]:mm\"/>"
    "<numFmt numFmtId=\"168\" formatCode=\"General\"/>"
    "<numFmt numFmtId=\"169\" formatCode=\"[$-804]yyyy/m/d;@\"/>"
    "</numFmts>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
    "<cellXfs count=\"9\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/><xf "
    "numFmtId=\"166\"/>"
    "<xf numFmtId=\"167\"/><xf numFmtId=\"168\"/><xf numFmtId=\"169\"/><xf numFmtId=\"31\"/><xf "
    "numFmtId=\"4\"/>"
    "</cellXfs></styleSheet>";

static void cells(void **state)
{
    (void)state;
    struct rerr err = {0};
    const char *sheet =
        "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<x:dimension ref=\"A1:H9\"/><x:sheetData>"
        /* no r on rows or cells: counted */
        "<x:row><x:c t=\"s\"><x:v>0</x:v></x:c><x:c t=\"s\"><x:v>1</x:v></x:c><x:c "
        "t=\"s\"><x:v>2</x:v></x:c></x:row>"
        /* a gap (B), a formula's cached values, booleans, errors, t=str, an inline rich string */
        "<x:row><x:c r=\"A2\"><x:v>42</x:v></x:c><x:c r=\"C2\"><x:f>A2*2</x:f><x:v>84</x:v></x:c>"
        "<x:c r=\"D2\" t=\"b\"><x:v>1</x:v></x:c><x:c r=\"E2\" t=\"e\"><x:f>1/0</x:f><x:v>#DIV/0!</x:v></x:c>"
        "<x:c r=\"F2\" t=\"str\"><x:f>\"a\"&amp;\"b\"</x:f><x:v>ab</x:v></x:c>"
        "<x:c r=\"G2\" t=\"inlineStr\"><x:is><x:r><x:t>内</x:t></x:r><x:r><x:t>联</x:t></x:r></x:is></x:c>"
        "<x:c r=\"H2\" t=\"s\"><x:v>3</x:v></x:c></x:row>"
        /* wholly empty rows: skipped */
        "<x:row r=\"3\"/><x:row r=\"4\"><x:c r=\"A4\" s=\"1\"/><x:c r=\"B4\" "
        "t=\"s\"><x:v>3</x:v></x:c></x:row>"
        /* date formats by style: custom 年月日, not dates (quoted d, [Red]), [h]:mm, General,
           [$-804] locale, built-in 31 (Chinese), built-in 4 (#,##0.00) */
        "<x:row r=\"5\"><x:c s=\"1\"><x:v>45352</x:v></x:c><x:c s=\"2\"><x:v>45352</x:v></x:c>"
        "<x:c s=\"3\"><x:v>-1.5</x:v></x:c><x:c s=\"4\"><x:v>0.5</x:v></x:c><x:c s=\"5\"><x:v>7</x:v></x:c>"
        "<x:c s=\"6\"><x:v>45352.25</x:v></x:c><x:c s=\"7\"><x:v>45353</x:v></x:c><x:c "
        "s=\"8\"><x:v>1E-3</x:v></x:c>"
        "<x:c s=\"99\"><x:v>1</x:v></x:c></x:row>"
        /* t="d", and a negative serial under a date format (kept a number) */
        "<x:row r=\"9\"><x:c t=\"d\"><x:v>2024-03-01T08:30:00</x:v></x:c><x:c "
        "t=\"d\"><x:v>2024-03-02</x:v></x:c>"
        "<x:c s=\"1\"><x:v>-3</x:v></x:c></x:row>"
        "</x:sheetData><x:mergeCells count=\"1\"><x:mergeCell ref=\"A1:B1\"/></x:mergeCells></x:worksheet>";
    assert_int_equal(read_file(hand_made("cells.xlsx", sheet, sst, styles, NULL), NULL, &err), 0);
    assert_string_equal(
        got, "1:t姓名|t姓名|t一行\r\n二行 a_x0041_b & <\n"
             "2:n42||n84|bTRUE|e#DIV/0!|tab|t内联\n"
             "5:d2024-03-01|n45352|n-1.5|d1899-12-31 12:00:00|n7|d2024-03-01 06:00:00|d2024-03-02|n1E-3|n1\n"
             "9:d2024-03-01 08:30:00|d2024-03-02|n-3\n");
    /* rich text joined, the phonetic run left out (the merge above covered B1) */
    const char *sheet2 =
        "<worksheet " NS "><sheetData><row><c t=\"s\"><v>1</v></c></row></sheetData></worksheet>";
    assert_int_equal(read_file(hand_made("rich.xlsx", sheet2, sst, styles, NULL), NULL, &err), 0);
    assert_string_equal(got, "1:t富 文本\n");

    /* the 1904 system */
    const char *s1904 = "<worksheet " NS "><sheetData><row><c s=\"1\"><v>0</v></c><c s=\"1\"><v>43890</v></c>"
                        "<c t=\"d\"><v>2024-03-01</v></c></row></sheetData></worksheet>";
    const char *p = hand_made("1904.xlsx", s1904, sst, styles, "<workbookPr date1904=\"1\"/>");
    sheet_reader *r;
    struct sheet_row row;
    assert_int_equal(sheet_open(p, NULL, &r, &err), 0);
    assert_int_equal(sheet_next(r, &row, &err), 1);
    assert_string_equal(row.cells[0].text, "1904-01-01");
    assert_string_equal(row.cells[1].text, "2024-03-01");
    assert_true(row.cells[2].num == 43890);
    sheet_close(r);

    /* the second sheet by name (its part found through ../), the chart refused */
    struct sheet_options o = {.sheet = "other"};
    assert_int_equal(read_file(p, &o, &err), 0);
    assert_string_equal(got, "1:tother\n");
    o.sheet = "图表";
    assert_int_equal(read_file(p, &o, &err), R_EUNPROC);
    assert_string_equal(err.code, "no_such_sheet");
}

/* ---- hostile and wrong files */

static void dtd_refused(void **state)
{
    (void)state;
    struct rerr err = {0};
    const char *laughs =
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
        "<worksheet " NS "><sheetData><row><c t=\"inlineStr\"><is><t>&lol2;</t></is></c></row>"
        "</sheetData></worksheet>";
    assert_int_equal(read_file(hand_made("laughs.xlsx", laughs, NULL, NULL, NULL), NULL, &err), R_EINVAL);
    assert_string_equal(err.code, "dtd_refused");
    const char *xxe = "<?xml version=\"1.0\"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                      "<sst " NS "><si><t>&xxe;</t></si></sst>";
    const char *sheet =
        "<worksheet " NS "><sheetData><row><c t=\"s\"><v>0</v></c></row></sheetData></worksheet>";
    assert_int_equal(read_file(hand_made("xxe.xlsx", sheet, xxe, NULL, NULL), NULL, &err), R_EINVAL);
    assert_string_equal(err.code, "dtd_refused");
    /* an entity without a DTD is an error, not an expansion */
    const char *undefined =
        "<worksheet " NS "><sheetData><row><c t=\"inlineStr\"><is><t>&xxe;</t></is></c></row>"
        "</sheetData></worksheet>";
    assert_int_equal(read_file(hand_made("undef.xlsx", undefined, NULL, NULL, NULL), NULL, &err), R_EINVAL);
    assert_string_equal(err.code, "bad_xlsx");
}

/* "rows" rows of XML, each "<row><c t=\"inlineStr\"><is><t>xxxx…</t></is></c></row>". */
static char *big_sheet(int rows, size_t *len)
{
    size_t cap = (size_t)rows * 100 + 200, n = 0;
    char *s = malloc(cap);
    n += (size_t)snprintf(s + n, cap - n, "<worksheet " NS "><sheetData>");
    for (int i = 0; i < rows; i++)
        n += (size_t)snprintf(s + n, cap - n, "<row><c t=\"inlineStr\"><is><t>%040d</t></is></c></row>", 7);
    n += (size_t)snprintf(s + n, cap - n, "</sheetData></worksheet>");
    *len = n;
    return s;
}

static void bombs_and_caps(void **state)
{
    (void)state;
    struct rerr err = {0};
    /* 64 MB of XML in a zip of well under 1 MB: refused by the cap at open, before any row */
    size_t len;
    char *xml = big_sheet(1000000, &len);
    const char *wb = "<workbook " NS " " RNS
                     "><sheets><sheet name=\"a\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
    struct part parts[] = {{"_rels/.rels", rels, 0},
                           {"xl/workbook.xml", wb, 0},
                           {"xl/_rels/workbook.xml.rels", wb_rels, 0},
                           {"xl/worksheets/sheet1.xml", xml, len}};
    const char *p = write_zip("bomb.xlsx", parts, 4);
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_true(st.st_size < (1 << 20));
    struct sheet_options o = {.limits = {.max_bytes = 8 << 20}};
    sheet_reader *r;
    assert_int_equal(sheet_open(p, &o, &r, &err), R_ETOOBIG);
    assert_string_equal(err.code, "too_large");
    /* under the default byte cap it reads, until the row cap */
    o = (struct sheet_options){.limits = {.max_rows = 1000}};
    assert_int_equal(sheet_open(p, &o, &r, &err), 0);
    struct sheet_row row;
    int rc, n = 0;
    while ((rc = sheet_next(r, &row, &err)) > 0)
        n++;
    assert_int_equal(rc, R_ETOOBIG);
    assert_int_equal(n, 1000);
    assert_non_null(strstr(err.message, "1000 行"));
    sheet_close(r);

    /* damaged in the middle of the sheet's deflate data */
    char *bytes = malloc((size_t)st.st_size);
    FILE *f = fopen(p, "rb");
    assert_int_equal(fread(bytes, 1, (size_t)st.st_size, f), (size_t)st.st_size);
    fclose(f);
    for (int i = 0; i < 64; i++)
        bytes[st.st_size / 2 + i] ^= 0x5a;
    assert_int_equal(read_file(test_write("damaged.xlsx", bytes, (size_t)st.st_size), NULL, &err), R_EINVAL);
    assert_string_equal(err.code, "bad_xlsx");
    free(bytes);
    free(xml);

    /* a row number past the cap, a column past XFD, a cell past 32,767 bytes */
    const char *far =
        "<worksheet " NS "><sheetData><row r=\"1048577\"><c><v>1</v></c></row></sheetData></worksheet>";
    assert_int_equal(read_file(hand_made("far.xlsx", far, NULL, NULL, NULL), NULL, &err), R_ETOOBIG);
    const char *wide =
        "<worksheet " NS "><sheetData><row><c r=\"XFE1\"><v>1</v></c></row></sheetData></worksheet>";
    assert_int_equal(read_file(hand_made("wide.xlsx", wide, NULL, NULL, NULL), NULL, &err), R_ETOOBIG);
    char *longcell = malloc(40100);
    int k = snprintf(longcell, 40100, "<worksheet " NS "><sheetData><row><c t=\"inlineStr\"><is><t>");
    memset(longcell + k, 'z', 32768);
    snprintf(longcell + k + 32768, 40100 - (size_t)k - 32768, "</t></is></c></row></sheetData></worksheet>");
    assert_int_equal(read_file(hand_made("long.xlsx", longcell, NULL, NULL, NULL), NULL, &err), R_ETOOBIG);
    assert_non_null(strstr(err.message, "第 1 行 A 列"));
    free(longcell);
    /* rows out of order, a shared string that is not there */
    const char *back =
        "<worksheet " NS "><sheetData><row r=\"2\"><c><v>1</v></c></row><row r=\"1\"><c><v>1</v></c>"
        "</row></sheetData></worksheet>";
    assert_int_equal(read_file(hand_made("back.xlsx", back, NULL, NULL, NULL), NULL, &err), R_EINVAL);
    assert_string_equal(err.code, "bad_xlsx");
    const char *nosst =
        "<worksheet " NS "><sheetData><row><c t=\"s\"><v>7</v></c></row></sheetData></worksheet>";
    assert_int_equal(read_file(hand_made("nosst.xlsx", nosst, NULL, NULL, NULL), NULL, &err), R_EINVAL);
    assert_string_equal(err.code, "bad_xlsx");
}

static void not_workbooks(void **state)
{
    (void)state;
    struct rerr err = {0};
    struct part docx[] = {
        {"_rels/.rels",
         "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
         "<Relationship Id=\"rId1\" Type=\"" REL "officeDocument\" Target=\"word/document.xml\"/>"
         "</Relationships>",
         0},
        {"word/document.xml",
         "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
         "<w:body/></w:document>",
         0}};
    assert_int_equal(read_file(write_zip("doc.xlsx", docx, 2), NULL, &err), R_EMEDIA);
    assert_string_equal(err.code, "not_spreadsheet");
    assert_non_null(strstr(err.message, "Word"));
    struct part plain[] = {{"a.txt", "hello", 0}};
    assert_int_equal(read_file(write_zip("plain.xlsx", plain, 1), NULL, &err), R_EMEDIA);
    assert_string_equal(err.code, "not_spreadsheet");
    /* a zip's signature and nothing after it */
    assert_int_equal(read_file(test_write("sig.xlsx", "PK\3\4\0\0", 6), NULL, &err), R_EINVAL);
    assert_string_equal(err.code, "bad_xlsx");
    /* a workbook whose sheet part is missing */
    struct part nosheet[] = {{"_rels/.rels", rels, 0},
                             {"xl/workbook.xml",
                              "<workbook " NS " " RNS
                              "><sheets><sheet name=\"a\" sheetId=\"1\" r:id=\"rId1\"/>"
                              "</sheets></workbook>",
                              0},
                             {"xl/_rels/workbook.xml.rels", wb_rels, 0}};
    assert_int_equal(read_file(write_zip("nosheet.xlsx", nosheet, 3), NULL, &err), R_EINVAL);
    assert_string_equal(err.code, "bad_xlsx");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(real_workbooks), cmocka_unit_test(cells),          cmocka_unit_test(dtd_refused),
        cmocka_unit_test(not_workbooks),  cmocka_unit_test(bombs_and_caps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
