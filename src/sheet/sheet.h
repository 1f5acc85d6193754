/*
 * sheet: spreadsheets read row by row — XLSX (what Excel and WPS save) and CSV (UTF-8 with
 * or without BOM, GB18030/GBK) — in memory that does not grow with the file. Knows nothing
 * of collections: the importer uses it now, the supervision models' data loading later.
 *
 * The format is told from the content, never from the file's name. Every reader has caps
 * (struct sheet_limits) on rows, cells, columns, a cell's length and the bytes it will
 * read (a CSV's text, an XLSX's uncompressed XML counted while inflating), so a hostile
 * file is refused with too_large rather than by running out of memory. XML is parsed
 * without any DTD (a DOCTYPE is refused: no entities, external or expanding). Formulas are
 * never evaluated: a formula cell gives the value Excel cached in the file.
 *
 * CSV cells are SC_TEXT (or SC_EMPTY): a CSV has no types, the caller decides what "42"
 * or "2024/3/1" means (sheet_date_parse() for dates). XLSX cells carry their type.
 */
#ifndef RONGHE_SHEET_H
#define RONGHE_SHEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* Rows at the top where merged cells are filled from their range's top-left cell. */
#define SHEET_HEADER_ROWS 10

/* The caps a 0 field of struct sheet_limits takes. Rows, columns and a cell's length are
 * Excel's own limits (a cell: 32,767 characters there, bytes here). */
#define SHEET_DEFAULT_MAX_ROWS ((int64_t)1048576)
#define SHEET_DEFAULT_MAX_COLS 16384
#define SHEET_DEFAULT_MAX_CELL_BYTES 32767
#define SHEET_DEFAULT_MAX_CELLS ((int64_t)32 << 20) /* 1M rows of 32 columns */
#define SHEET_DEFAULT_MAX_BYTES ((int64_t)1 << 30)  /* 1 GiB of CSV text or uncompressed XML */
/* Not settable: the text of one row together (a row is held whole until the next). */
#define SHEET_MAX_ROW_BYTES ((size_t)16 << 20)

enum sheet_format { SHEET_XLSX = 1, SHEET_CSV };
enum sheet_encoding { SHEET_ENC_NONE = 0 /* xlsx */, SHEET_ENC_UTF8, SHEET_ENC_UTF8_BOM, SHEET_ENC_GB18030 };
enum sheet_cell_type { SC_EMPTY = 0, SC_TEXT, SC_NUMBER, SC_BOOL, SC_DATE, SC_ERROR };

struct sheet_cell {
    enum sheet_cell_type type;
    const char *text; /* always UTF-8, NUL-terminated: SC_TEXT the text; SC_NUMBER the value as
                         written in the file ("42", "3.5"); SC_BOOL "TRUE"/"FALSE"; SC_DATE
                         "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS" (a number cell whose format is a
                         date, 1900 or 1904 system applied); SC_ERROR "#N/A"…; SC_EMPTY "" */
    size_t len;
    double num; /* SC_NUMBER, SC_DATE (the serial), SC_BOOL (0/1) */
};

struct sheet_row {
    int64_t line; /* 1-based, as the spreadsheet shows it (CSV: the record's first physical line) */
    int ncells;
    const struct sheet_cell *cells;
};

struct sheet_limits {
    int64_t max_rows, max_cells, max_bytes; /* max_bytes: uncompressed XML or CSV text */
    int max_cols, max_cell_bytes;
}; /* 0 fields take SHEET_DEFAULT_* */

struct sheet_options {
    const char *sheet; /* by name; NULL: the first */
    struct sheet_limits limits;
};

typedef struct sheet_reader sheet_reader;

/* Opens "path"; the format is told from the content (a zip is XLSX; text is CSV, its
 * encoding detected: UTF-8 with or without BOM, else GB18030), never from the name. "opt"
 * may be NULL. Errors (struct rerr, base/err.h) have stable codes: not_spreadsheet (415),
 * bad_xlsx, bad_csv, bad_encoding, no_such_sheet, too_large (413: caps on rows, cells,
 * uncompressed bytes, columns, cell length), dtd_refused; messages in Chinese with the
 * line where there is one. */
int sheet_open(const char *path, const struct sheet_options *opt, sheet_reader **out, struct rerr *err);

/* The next row (cells valid until the next call): 1, 0 at the end, <0 error (and the same
 * error again on every later call). Rows that are wholly empty are skipped. Merged cells
 * in the first SHEET_HEADER_ROWS (10) rows carry their range's top-left value in every
 * cell they cover. Formulas: the cached value only, never evaluated. */
int sheet_next(sheet_reader *r, struct sheet_row *row, struct rerr *err);

enum sheet_format sheet_format_of(const sheet_reader *r);
/* CSV: what the text was found to be (a file of ASCII alone is UTF-8); XLSX: NONE. */
enum sheet_encoding sheet_encoding_of(const sheet_reader *r);
int64_t sheet_bytes_read(const sheet_reader *r); /* for progress: of sheet_bytes_total */
int64_t sheet_bytes_total(const sheet_reader *r);
void sheet_close(sheet_reader *r); /* NULL is fine */

/* Dates as people type them: 2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日, 20240301 (and
 * with a time after a space); "out" gets YYYY-MM-DD; <0 when not a real date (2024-02-30).
 * Years 1000–9999; white space around is ignored. */
int sheet_date_parse(const char *text, size_t len, char out[11]);

/* Excel serial numbers to dates (1900 system with its 1900-02-29, or 1904): "out" gets
 * YYYY-MM-DD, or YYYY-MM-DD HH:MM:SS when the serial has a time of day (to the nearest
 * second). A time alone (serial < 1) falls on the system's day 0 (1899-12-31, 1904-01-01).
 * <0 for a negative, non-finite or past-9999 serial. */
int sheet_date_from_serial(double serial, bool date1904, char out[20]);

/* Column "col" (0-based) as the spreadsheet names it: A, B, …, Z, AA, … XFD. */
void sheet_col_name(int col, char out[8]);

#endif
