/*
 * sheet: reading spreadsheets (XLSX, CSV). PLACEHOLDER: the contract of
 * /work/notes/common.md, copied so that the importer builds before the "sheetread"
 * branch lands; that branch's sheet.h replaces this file at the merge.
 */
#ifndef RONGHE_SHEET_H
#define RONGHE_SHEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define SHEET_HEADER_ROWS 10

enum sheet_format { SHEET_XLSX = 1, SHEET_CSV };
enum sheet_encoding { SHEET_ENC_NONE = 0, SHEET_ENC_UTF8, SHEET_ENC_UTF8_BOM, SHEET_ENC_GB18030 };
enum sheet_cell_type { SC_EMPTY = 0, SC_TEXT, SC_NUMBER, SC_BOOL, SC_DATE, SC_ERROR };
struct sheet_cell {
    enum sheet_cell_type type;
    const char *text;
    size_t len;
    double num;
};
struct sheet_row {
    int64_t line;
    int ncells;
    const struct sheet_cell *cells;
};
struct sheet_limits {
    int64_t max_rows, max_cells, max_bytes;
    int max_cols, max_cell_bytes;
};
struct sheet_options {
    const char *sheet;
    struct sheet_limits limits;
};
typedef struct sheet_reader sheet_reader;
int sheet_open(const char *path, const struct sheet_options *opt, sheet_reader **out, struct rerr *err);
int sheet_next(sheet_reader *r, struct sheet_row *row, struct rerr *err);
enum sheet_format sheet_format_of(const sheet_reader *r);
enum sheet_encoding sheet_encoding_of(const sheet_reader *r);
int64_t sheet_bytes_read(const sheet_reader *r);
int64_t sheet_bytes_total(const sheet_reader *r);
void sheet_close(sheet_reader *r);
int sheet_date_parse(const char *text, size_t len, char out[11]);
int sheet_date_from_serial(double serial, bool date1904, char out[20]);

#endif
