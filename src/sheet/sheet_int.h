/*
 * sheet_int: what the readers of src/sheet/ share and nobody outside sees — the reader's
 * insides, the row being built (with every cap checked as it grows) and the errors.
 */
#ifndef RONGHE_SHEET_INT_H
#define RONGHE_SHEET_INT_H

#include <expat.h>
#include <zip.h>

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

/* ---- zip parts (zip.c): what each inflates to is taken from "*budget" as it comes, and
 * running past it is too_large; damage is bad_xlsx. */
struct sheet_zip_entry {
    zip_file_t *f;
    const char *name;
    int64_t *budget;
    int64_t bytes;   /* inflated so far */
    int64_t claimed; /* the size the zip says: for progress, never trusted */
};
int sheet_zip_open(int fd, zip_t **out, struct rerr *err); /* takes "fd", even on failure */
bool sheet_zip_has(zip_t *z, const char *name);
int sheet_zip_entry_open(struct sheet_zip_entry *e, zip_t *z, const char *name, int64_t *budget,
                         struct rerr *err);
int64_t sheet_zip_entry_read(struct sheet_zip_entry *e, char *buf, size_t cap, struct rerr *err); /* 0: end */
void sheet_zip_entry_close(struct sheet_zip_entry *e);

/* ---- XML parts (xml.c): expat with namespaces (names are "URI local"), no DTD. The
 * handlers' user data "ud" is a struct whose first member is a struct sheet_xml * to this
 * one. A handler that fails fills x->err and calls sheet_xml_fail(); one that has
 * something for the caller calls sheet_xml_pause(), and sheet_xml_run() returns 1. */
#define SHEET_XML_CHUNK (64 * 1024)
struct sheet_xml {
    XML_Parser p;
    struct sheet_zip_entry e;
    char *buf;
    bool final, done, suspended, dtd, in_tag;
    size_t tag_len;
    int rc;
    struct rerr err;
};
int sheet_xml_open(struct sheet_xml *x, zip_t *z, const char *part, int64_t *budget, void *ud,
                   XML_StartElementHandler start, XML_EndElementHandler end, XML_CharacterDataHandler text,
                   struct rerr *err);
int sheet_xml_run(struct sheet_xml *x, struct rerr *err); /* 1 paused, 0 at the end, <0 */
void sheet_xml_pause(struct sheet_xml *x);
void sheet_xml_fail(struct sheet_xml *x);
void sheet_xml_close(struct sheet_xml *x);
const char *sheet_xml_local(const char *name); /* "URI local" → "local" */
const char *sheet_xml_attr(const char **atts, const char *local);
/* Excel's _xHHHH_ escapes in "s" (NUL-terminated, "n" bytes) decoded in place: the new length. */
size_t sheet_xml_unescape(char *s, size_t n);

/* After sheet_row_end(): the cell at "col" (NULL past the end); a cell set to "v" (its text
 * owned by the caller, valid until the next row), padding with SC_EMPTY; whether the row
 * is wholly empty now. */
const struct sheet_cell *sheet_row_cell(const sheet_reader *r, int col);
int sheet_row_set(sheet_reader *r, int col, const struct sheet_cell *v, struct rerr *err);
bool sheet_row_empty(const sheet_reader *r);

/* ---- dates (date.c): the serial of YYYY-MM-DD "date" in the 1900 or 1904 system. */
double sheet_serial_of(const char *date, bool date1904);

/* ---- errors (sheet.c): each fills "err" and returns its rc */
int sheet_err(struct rerr *err, int rc, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int sheet_err_bytes(const sheet_reader *r, struct rerr *err);
int sheet_err_rows(const sheet_reader *r, struct rerr *err);

#endif
