/*
 * sheet_int: what the readers of src/sheet/ share and nobody outside sees — the reader's
 * insides, the row being built (with every cap checked as it grows) and the errors.
 */
#ifndef RONGHE_SHEET_INT_H
#define RONGHE_SHEET_INT_H

#include "sheet/sheet.h"

/* A format's reader: next fills r->row (through the sheet_row_* calls below) and returns
 * 1, 0 at the end or <0 with "err" set; close frees "impl". */
struct sheet_ops {
    int (*next)(sheet_reader *r, struct rerr *err);
    void (*close)(void *impl);
};

/* The row being built: cells' text lives in one buffer (offsets until the row is done,
 * since the buffer may move as it grows). Kept between rows, so memory stays flat. */
struct sheet_rowbuf {
    struct sheet_cell *cells;
    size_t *off;
    int n, cap;
    char *text;
    size_t len, text_cap;
    size_t cell_start; /* where the open cell's text began */
    int64_t line;      /* the row's number, for errors */
};

struct sheet_reader {
    enum sheet_format format;
    enum sheet_encoding encoding;
    struct sheet_limits lim; /* defaults applied */
    int64_t bytes_read, bytes_total;
    int64_t rows, cells; /* counted against the caps */
    const struct sheet_ops *ops;
    void *impl;
    struct sheet_rowbuf row;
    bool failed; /* sticky: every later sheet_next gives "saved" again */
    struct rerr saved;
};

/* ---- opening a format (csv.c, xlsx.c): "fd" is theirs from here on, even on failure */
int sheet_csv_open(sheet_reader *r, int fd, struct rerr *err);
int sheet_xlsx_open(sheet_reader *r, int fd, const char *sheet, struct rerr *err);

/* ---- building a row (sheet.c). Each returns 0 or <0 with "err" set (too_large). */
void sheet_row_begin(sheet_reader *r, int64_t line);
int sheet_cell_begin(sheet_reader *r, struct rerr *err); /* a new cell at the end */
int sheet_cell_append(sheet_reader *r, const char *s, size_t n, struct rerr *err);
void sheet_cell_end(sheet_reader *r, enum sheet_cell_type type, double num);
/* The cell at 0-based "col", padding SC_EMPTY cells before it; "col" must be past the
 * last cell (XLSX cells come in order). Then append and end as above. */
int sheet_cell_at(sheet_reader *r, int col, struct rerr *err);
/* Drop the open cell's text (to write it again). */
void sheet_cell_clear(sheet_reader *r);
/* The row is complete: counted against max_rows and max_cells. "*empty" says every cell
 * is "" (the row is skipped, and counted all the same). */
int sheet_row_end(sheet_reader *r, bool *empty, struct rerr *err);

/* realloc that aborts when memory runs out (as arena.h does) */
void *sheet_xrealloc(void *p, size_t n);

/* ---- errors (sheet.c): each fills "err" and returns its rc */
int sheet_err(struct rerr *err, int rc, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int sheet_err_bytes(const sheet_reader *r, struct rerr *err);
int sheet_err_rows(const sheet_reader *r, struct rerr *err);

#endif
