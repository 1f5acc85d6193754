/* PLACEHOLDER until the sheetread branch lands (removed at that merge): only what the importer links against. */
#include <stdio.h>
#include <string.h>
#include "sheet/sheet.h"
#include "base/text.h"
int sheet_open(const char *path, const struct sheet_options *opt, sheet_reader **out, struct rerr *err)
{ return rerr_set(err, R_EINTERNAL, "internal", "", "stub"); }
int sheet_next(sheet_reader *r, struct sheet_row *row, struct rerr *err) { return 0; }
enum sheet_format sheet_format_of(const sheet_reader *r) { return SHEET_CSV; }
enum sheet_encoding sheet_encoding_of(const sheet_reader *r) { return SHEET_ENC_UTF8; }
int64_t sheet_bytes_read(const sheet_reader *r) { return 0; }
int64_t sheet_bytes_total(const sheet_reader *r) { return 0; }
void sheet_close(sheet_reader *r) {}
int sheet_date_parse(const char *text, size_t len, char out[11])
{
    char b[64]; if (len > 60) return -1; memcpy(b, text, len); b[len] = 0;
    int y, m, d; char c;
    if (sscanf(b, "%d-%d-%d%c", &y, &m, &d, &c) == 3 || sscanf(b, "%d/%d/%d%c", &y, &m, &d, &c) == 3 ||
        sscanf(b, "%d年%d月%d日%c", &y, &m, &d, &c) == 3) {
        if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31) return -1;
        char t[40]; snprintf(t, sizeof t, "%04d-%02d-%02d", y, m, d); memcpy(out, t, 11);
        return text_date_ok(out) ? 0 : -1;
    }
    return -1;
}
int sheet_date_from_serial(double serial, bool date1904, char out[20]) { return -1; }
#include "sheet/sheet_write.h"
int sheet_writer_open(const char *path, enum sheet_out f, bool streaming, sheet_writer **out, struct rerr *err)
{ return rerr_set(err, R_EINTERNAL, "internal", "", "stub"); }
int sheet_add_sheet(sheet_writer *w, const char *name) { return -1; }
void sheet_column(sheet_writer *w, int col, double width) {}
void sheet_freeze_header(sheet_writer *w) {}
int sheet_text(sheet_writer *w, int64_t row, int col, const char *utf8) { return -1; }
int sheet_number(sheet_writer *w, int64_t row, int col, double v) { return -1; }
int sheet_date(sheet_writer *w, int64_t row, int col, const char *yyyy_mm_dd) { return -1; }
int sheet_bool(sheet_writer *w, int64_t row, int col, bool v) { return -1; }
int sheet_list(sheet_writer *w, int64_t first, int64_t last, int col, const char *const *values) { return -1; }
int sheet_mark(sheet_writer *w, int64_t row, int col, const char *text, const char *why) { return -1; }
int sheet_writer_close(sheet_writer *w, struct rerr *err) { return 0; }
