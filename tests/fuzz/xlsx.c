/*
 * xlsx: src/sheet/xlsx.c, zip.c and xml.c on workbooks made from the input. An input that
 * begins with "PK" is the file itself (a zip as found: damaged, lying about its sizes);
 * any other is its parts separated by NUL bytes — the sheet's XML, the shared strings,
 * styles.xml and workbook.xml (each optional; the package's rels are fixed) — put into a
 * real zip (stored, so mutations reach the XML rather than the deflate stream). Each
 * workbook is read under the default caps and under tiny ones.
 *
 * Held to the contract by fuzz_sheet_read() (sheet_read.h): every error by
 * fuzz_check_rerr() and given again; each row's line after the last and within max_rows;
 * 1..max_cols cells, not all empty; each cell's text well-formed UTF-8, NUL-terminated at
 * len; SC_EMPTY exactly when ""; SC_BOOL "TRUE" or "FALSE"; SC_DATE a date
 * sheet_date_parse takes (or Excel's 1900-02-29).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "fuzz.h"
#include "sheet/sheet.h"
#include "sheet_read.h"

static char path[300];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(path, sizeof path, "%s/in.xlsx", fuzz_dir());
    fuzz_ready();
    return 0;
}

#define REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
static const char rels[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"" REL "officeDocument\" Target=\"xl/workbook.xml\"/>"
    "</Relationships>";
static const char wb_rels[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"" REL "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"" REL "sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"" REL "styles\" Target=\"styles.xml\"/></Relationships>";
static const char wb[] = "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                         "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
                         "<sheets><sheet name=\"a\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";

static void add(zip_t *z, const char *name, const void *data, size_t n)
{
    zip_source_t *s = zip_source_buffer(z, data, n, 0);
    zip_int64_t i = s ? zip_file_add(z, name, s, ZIP_FL_OVERWRITE) : -1;
    if (i < 0 || zip_set_file_compression(z, (zip_uint64_t)i, ZIP_CM_STORE, 0) < 0)
        fuzz_fail("libzip: %s", zip_strerror(z));
}

static void write_input(const uint8_t *data, size_t size)
{
    if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
            fuzz_fail("cannot write %s", path);
        return;
    }
    int zerr;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    if (!z)
        fuzz_fail("zip_open %d", zerr);
    static const char *const names[] = {"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml",
                                        "xl/workbook.xml"};
    add(z, "_rels/.rels", rels, sizeof rels - 1);
    add(z, "xl/_rels/workbook.xml.rels", wb_rels, sizeof wb_rels - 1);
    bool have_wb = false;
    const uint8_t *p = data, *end = data + size;
    for (int k = 0; k < 4 && p <= end; k++) {
        const uint8_t *nul = memchr(p, 0, (size_t)(end - p));
        const uint8_t *e = nul ? nul : end;
        add(z, names[k], p, (size_t)(e - p));
        have_wb |= k == 3;
        p = e + 1;
    }
    if (!have_wb)
        add(z, "xl/workbook.xml", wb, sizeof wb - 1);
    if (zip_close(z) < 0)
        fuzz_fail("zip_close: %s", zip_strerror(z));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    write_input(data, size);
    struct sheet_options def = {0};
    struct sheet_options tiny = {
        .limits = {.max_rows = 5, .max_cells = 20, .max_cols = 8, .max_cell_bytes = 16, .max_bytes = 2048}};
    enum sheet_encoding enc;
    fuzz_sheet_read(path, &def, NULL, 0, &enc);
    fuzz_sheet_read(path, &tiny, NULL, 0, &enc);
    return 0;
}
