/*
 * sheet_write: spreadsheets out, XLSX and CSV, knowing nothing of collections. The
 * exporter streams a list through it; the importer writes its templates and its reports
 * of rejected rows with it.
 *
 * XLSX goes through libxlsxwriter. With "streaming" it runs in constant_memory mode:
 * each row is flushed to a temporary file (in the output's own folder) once a later row
 * is started, so memory stays flat however many rows are written, and rows must come in
 * order (a cell on a row before the current one is refused). Without "streaming" every
 * cell is held until close and may be written in any order (templates, reports).
 * Drop-down lists and marks work in both modes, but each mark's note is held in memory
 * until close: a sheet with very many marks should not count on flat memory. An XLSX
 * sheet holds at most SHEET_XLSX_MAX_ROWS rows (header included); a cell past it is
 * refused (too_large), so a longer export starts a new sheet.
 *
 * CSV is UTF-8 with a BOM (so Excel opens it right), CRLF line ends and RFC 4180 quoting
 * (a field with a comma, a double quote or a line break is quoted, its quotes doubled).
 * Rows must come in order, cells within a row left to right; every row has as many
 * fields as the widest row before it (the header), missing cells empty. Numbers are
 * written as numbers, dates as YYYY-MM-DD, booleans as TRUE/FALSE; the XLSX-only calls
 * (sheet_list, sheet_mark's note and fill, sheet_column, sheet_freeze_header,
 * sheet_add_sheet) are accepted and ignored (sheet_mark writes its text).
 *
 * Formula neutralisation: text that begins with = + - @ TAB or CR is never written so that
 * a spreadsheet would run it. XLSX: a text cell of the text number format ("@") with the
 * quote prefix set, as Excel itself stores '=1+1 (it shows =1+1, and editing the cell
 * keeps it text). CSV: a leading ' is written before the text.
 *
 * Errors: the cell calls return 0 or a negative R_E* code and remember the first failure;
 * sheet_writer_close reports it (or its own) in "err" with a stable code (sheet_write,
 * too_large, bad_order) and a Chinese message, and then removes the unfinished file.
 */
#ifndef RONGHE_SHEET_WRITE_H
#define RONGHE_SHEET_WRITE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

enum sheet_out { SHEET_OUT_XLSX = 1, SHEET_OUT_CSV };

/* Rows in one XLSX worksheet, header included (Excel's limit). */
#define SHEET_XLSX_MAX_ROWS 1048576

typedef struct sheet_writer sheet_writer;

/* Creates (or truncates) "path" as "f". */
int sheet_writer_open(const char *path, enum sheet_out f, bool streaming, sheet_writer **out,
                      struct rerr *err);

/* XLSX: a new worksheet named "name", now current. A name too long for Excel (31
 * characters) is shortened and the characters it forbids ([]:*?/\) become '_'; a name
 * already used is refused (R_ECONFLICT). Before the first sheet_add_sheet the cells go
 * to a sheet named "Sheet1". */
int sheet_add_sheet(sheet_writer *w, const char *name);

/* The width of column "col" (0-based) of the current sheet in characters, clamped to
 * 1..255. May come after the sheet's rows (libxlsxwriter writes the widths when the file
 * is closed, in streaming mode too), so that an export can fit them to what it wrote. */
void sheet_column(sheet_writer *w, int col, double width);

/* The first row of the current sheet frozen and its cells written from now on bold. */
void sheet_freeze_header(sheet_writer *w);

/* Cells, rows 0-based (row 0 the header). Text that begins with = + - @ TAB or CR is
 * neutralised (XLSX: quote-prefixed text; CSV: a leading '), so no formula runs. "utf8"
 * NULL writes an empty cell; text over XLSX's 32,767 characters is cut there. */
int sheet_text(sheet_writer *w, int64_t row, int col, const char *utf8);
/* A number cell; a value that is not finite is written as an empty cell. */
int sheet_number(sheet_writer *w, int64_t row, int col, double v);
/* A real date cell shown as yyyy-mm-dd ("YYYY-MM-DD"), or a date and time shown as
 * yyyy-mm-dd hh:mm:ss ("YYYY-MM-DD HH:MM:SS" or with a T). Anything else, or a year
 * before 1900 (which Excel cannot hold), is written as text. */
int sheet_date(sheet_writer *w, int64_t row, int col, const char *yyyy_mm_dd);
int sheet_bool(sheet_writer *w, int64_t row, int col, bool v);

/* XLSX only (CSV ignores): a drop-down of "values" (NULL-terminated) on rows first..last
 * of "col"; a list too long for Excel's inline form (255 characters) or with a comma or
 * quote in a value is kept on a hidden sheet and referred to. */
int sheet_list(sheet_writer *w, int64_t first, int64_t last, int col, const char *const *values);
/* "text" written at row, col marked bad (red fill), with a note saying "why" (XLSX). */
int sheet_mark(sheet_writer *w, int64_t row, int col, const char *text, const char *why);

/* Finishes and closes the file and frees "w" (NULL is a no-op). On failure (this one or
 * one a cell call met) the file is removed and "err" says why. */
int sheet_writer_close(sheet_writer *w, struct rerr *err);

#endif
