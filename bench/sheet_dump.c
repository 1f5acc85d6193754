/*
 * bench/sheet_dump: one SQL query of a SQLite database written as a spreadsheet, with
 * nothing of ronghe in between — sqlite3 and libxlsxwriter only. bench/transfer uses it
 * twice:
 *   - to make the import fixtures (attendance files of 1M and 4M rows, every row valid):
 *     CSV as UTF-8 (no BOM, CRLF, RFC 4180 quoting), XLSX with a shared-string table as
 *     Excel and WPS save it (--sst);
 *   - as the ceiling for `ronghe export`: a plain libxlsxwriter loop over the same query
 *     in constant_memory mode (the default), a bold frozen header row, numbers as
 *     numbers and, with --dates, YYYY-MM-DD text as real date cells.
 * The header row is the query's column names (so "SELECT a.id AS 组织生活" heads a column
 * 组织生活). XLSX sheets hold at most 1,048,576 rows: past that the rows go on in a new
 * sheet (Sheet2, …) under the same header, as an export of more rows must.
 *
 * usage: sheet_dump [--sst] [--dates] [--bom] DB SQL OUT.csv|OUT.xlsx
 * Prints "rows N" (data rows written) on stdout; exit 0, or 1 with the reason on stderr.
 */
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#define XLSX_MAX_ROWS 1048576

static int fail(const char *what, const char *why)
{
    fprintf(stderr, "sheet_dump: %s: %s\n", what, why);
    return 1;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && !strcmp(s + n - m, tail);
}

/* "YYYY-MM-DD" exactly (no time) into *d. */
static bool as_date(const unsigned char *s, int len, lxw_datetime *d)
{
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    d->year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    d->month = (s[5] - '0') * 10 + (s[6] - '0');
    d->day = (s[8] - '0') * 10 + (s[9] - '0');
    d->hour = d->min = 0;
    d->sec = 0;
    return d->month >= 1 && d->month <= 12 && d->day >= 1 && d->day <= 31;
}

static void csv_field(FILE *f, const unsigned char *s, int len)
{
    bool quote = false;
    for (int i = 0; i < len && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!quote) {
        fwrite(s, 1, (size_t)len, f);
        return;
    }
    putc('"', f);
    for (int i = 0; i < len; i++) {
        if (s[i] == '"')
            putc('"', f);
        putc(s[i], f);
    }
    putc('"', f);
}

static int dump_csv(sqlite3_stmt *st, const char *out, bool bom, long long *rows)
{
    FILE *f = fopen(out, "wb");
    if (!f)
        return fail(out, "cannot create");
    static char buf[1 << 20];
    setvbuf(f, buf, _IOFBF, sizeof buf);
    if (bom)
        fputs("\xEF\xBB\xBF", f);
    int n = sqlite3_column_count(st);
    for (int i = 0; i < n; i++) {
        const char *h = sqlite3_column_name(st, i);
        if (i)
            putc(',', f);
        csv_field(f, (const unsigned char *)h, (int)strlen(h));
    }
    fputs("\r\n", f);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < n; i++) {
            if (i)
                putc(',', f);
            if (sqlite3_column_type(st, i) != SQLITE_NULL)
                csv_field(f, sqlite3_column_text(st, i), sqlite3_column_bytes(st, i));
        }
        fputs("\r\n", f);
        ++*rows;
    }
    if (rc != SQLITE_DONE)
        return fclose(f), fail("query", sqlite3_errmsg(sqlite3_db_handle(st)));
    if (fclose(f) != 0)
        return fail(out, "write failed");
    return 0;
}

static lxw_worksheet *new_sheet(lxw_workbook *wb, sqlite3_stmt *st, int index, lxw_format *bold)
{
    char name[32];
    snprintf(name, sizeof name, "Sheet%d", index);
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    if (!ws)
        return NULL;
    int n = sqlite3_column_count(st);
    for (int i = 0; i < n; i++) {
        worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, 14, NULL);
        worksheet_write_string(ws, 0, (lxw_col_t)i, sqlite3_column_name(st, i), bold);
    }
    worksheet_freeze_panes(ws, 1, 0);
    return ws;
}

static int dump_xlsx(sqlite3_stmt *st, const char *out, bool sst, bool dates, long long *rows)
{
    lxw_workbook_options o = {
        .constant_memory = sst ? LXW_FALSE : LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_FALSE};
    lxw_workbook *wb = workbook_new_opt(out, &o);
    if (!wb)
        return fail(out, "cannot create the workbook");
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format *datef = workbook_add_format(wb);
    format_set_num_format(datef, "yyyy-mm-dd");
    int sheets = 1;
    lxw_worksheet *ws = new_sheet(wb, st, sheets, bold);
    int n = sqlite3_column_count(st);
    lxw_row_t r = 0;
    int rc = SQLITE_DONE;
    while (ws && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (++r == XLSX_MAX_ROWS) {
            ws = new_sheet(wb, st, ++sheets, bold);
            r = 1;
            if (!ws)
                break;
        }
        for (int i = 0; i < n; i++) {
            lxw_col_t c = (lxw_col_t)i;
            lxw_error e = LXW_NO_ERROR;
            switch (sqlite3_column_type(st, i)) {
            case SQLITE_NULL:
                break;
            case SQLITE_INTEGER:
            case SQLITE_FLOAT:
                e = worksheet_write_number(ws, r, c, sqlite3_column_double(st, i), NULL);
                break;
            default: {
                const unsigned char *t = sqlite3_column_text(st, i);
                lxw_datetime d;
                if (dates && as_date(t, sqlite3_column_bytes(st, i), &d))
                    e = worksheet_write_datetime(ws, r, c, &d, datef);
                else
                    e = worksheet_write_string(ws, r, c, (const char *)t, NULL);
            }
            }
            if (e != LXW_NO_ERROR) {
                workbook_close(wb);
                return fail("worksheet", lxw_strerror(e));
            }
        }
        ++*rows;
    }
    if (!ws) {
        workbook_close(wb);
        return fail(out, "cannot add a worksheet");
    }
    if (rc != SQLITE_DONE) {
        workbook_close(wb);
        return fail("query", sqlite3_errmsg(sqlite3_db_handle(st)));
    }
    lxw_error e = workbook_close(wb);
    return e == LXW_NO_ERROR ? 0 : fail(out, lxw_strerror(e));
}

int main(int argc, char **argv)
{
    bool sst = false, dates = false, bom = false;
    int a = 1;
    for (; a < argc && !strncmp(argv[a], "--", 2); a++) {
        if (!strcmp(argv[a], "--sst"))
            sst = true;
        else if (!strcmp(argv[a], "--dates"))
            dates = true;
        else if (!strcmp(argv[a], "--bom"))
            bom = true;
        else
            return fail(argv[a], "unknown option");
    }
    if (argc - a != 3) {
        fprintf(stderr, "usage: sheet_dump [--sst] [--dates] [--bom] DB SQL OUT.csv|OUT.xlsx\n");
        return 2;
    }
    const char *dbpath = argv[a], *sql = argv[a + 1], *out = argv[a + 2];
    sqlite3 *db;
    if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return fail(dbpath, sqlite3_errmsg(db));
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return fail("query", sqlite3_errmsg(db));
    long long rows = 0;
    int rc;
    if (ends_with(out, ".csv"))
        rc = dump_csv(st, out, bom, &rows);
    else if (ends_with(out, ".xlsx"))
        rc = dump_xlsx(st, out, sst, dates, &rows);
    else
        rc = fail(out, "the name must end in .csv or .xlsx");
    sqlite3_finalize(st);
    sqlite3_close(db);
    if (rc == 0)
        printf("rows %lld\n", rows);
    return rc;
}
