/*
 * sheet_write: writing spreadsheets. PLACEHOLDER: the contract of /work/notes/common.md,
 * copied so that the importer's templates and reports build before the "export" branch
 * lands; that branch's sheet_write.h replaces this file at the merge.
 */
#ifndef RONGHE_SHEET_WRITE_H
#define RONGHE_SHEET_WRITE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

enum sheet_out { SHEET_OUT_XLSX = 1, SHEET_OUT_CSV };
typedef struct sheet_writer sheet_writer;
int sheet_writer_open(const char *path, enum sheet_out f, bool streaming, sheet_writer **out, struct rerr *err);
int sheet_add_sheet(sheet_writer *w, const char *name);
void sheet_column(sheet_writer *w, int col, double width);
void sheet_freeze_header(sheet_writer *w);
int sheet_text(sheet_writer *w, int64_t row, int col, const char *utf8);
int sheet_number(sheet_writer *w, int64_t row, int col, double v);
int sheet_date(sheet_writer *w, int64_t row, int col, const char *yyyy_mm_dd);
int sheet_bool(sheet_writer *w, int64_t row, int col, bool v);
int sheet_list(sheet_writer *w, int64_t first, int64_t last, int col, const char *const *values);
int sheet_mark(sheet_writer *w, int64_t row, int col, const char *text, const char *why);
int sheet_writer_close(sheet_writer *w, struct rerr *err);

#endif
