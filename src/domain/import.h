/*
 * import: a spreadsheet (XLSX or CSV, src/sheet/) into one collection, all or nothing.
 *
 * A collection's import columns follow from its descriptor (import_columns()): one per
 * field a body may give (FF_WRITE, neither FF_SECRET nor FF_DERIVED), headed by the
 * field's Chinese label (its API name is accepted too), plus, for a reference to
 * members, the member's 出生日期 and 身份证号 to tell namesakes apart. The header row is
 * the first of the file's first SHEET_HEADER_ROWS rows that names a column; columns are
 * found by header in any order; other columns are reported and ignored; a duplicate
 * header or a missing required column refuses the file before any row.
 *
 * Each row becomes the JSON body the API would take — cells converted by the field's
 * kind (dates as people type them or as date cells; integers; 是/否; enumerations by
 * their text or display label; references by name, by the referenced collection's key or
 * by id, resolved among the rows the importer may read) — and goes through
 * res_create_in(), or res_update_in() for a row naming an existing record by the
 * collection's import_key in update mode: the API's own validation, scope check and
 * audit, row by row, inside ONE transaction. Every rejected row is collected (line as the
 * spreadsheet shows it, column, value, the Chinese reason); if any row failed, the run
 * was a check (dry run) or it was cancelled, everything is rolled back.
 */
#ifndef RONGHE_IMPORT_H
#define RONGHE_IMPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/progress.h"
#include "domain/resource.h"
#include "sheet/sheet.h"

/* ------------------------------------------------------------------ columns */

enum import_col_role {
    IC_FIELD,     /* fills field "f" */
    IC_REF_BIRTH, /* the birth date of the member named in reference "f" */
    IC_REF_IDCARD /* the identity number of the member named in reference "f" */
};

struct import_column {
    const struct field *f;
    enum import_col_role role;
    const char *header; /* Chinese: the label (with 出生日期 / 身份证号 after it for the helpers) */
    bool required;      /* the file must have this column (FF_REQUIRED) */
};

#define IMPORT_MAX_COLUMNS 64

/* Whether "r" can be imported at all: it has fields a body may give, a write policy, no
 * prepare hook (a password is never imported) and is not immutable. */
bool import_supported(const struct resource *r);

/* The import columns of "r", in descriptor order, into "out" (IMPORT_MAX_COLUMNS);
 * their number. */
int import_columns(const struct resource *r, struct import_column *out);

/* How a reference to table "ref" is named in a cell, in Chinese (for the template's
 * 填写说明): "党组织名称或编号"… */
const char *import_ref_hint(const char *ref);

/* The display label of enumeration value "v" where it differs from the value (the
 * interface's labels: "zh" 中文), else NULL. */
const char *import_enum_label(const char *v);

/* ------------------------------------------------------------------ a run */

struct import_options {
    bool update;                     /* rows naming an existing record by the import key update it */
    bool check;                      /* validate everything, write nothing */
    const char *sheet;               /* XLSX: the sheet by name; NULL: the first */
    int64_t max_rows;                /* data rows allowed; 0: IMPORT_MAX_ROWS */
    int64_t max_bytes;               /* uncompressed bytes allowed; 0: the reader's default */
    const struct progress *progress; /* rows read and bytes for the ETA; cancellation */
};

#define IMPORT_MAX_ROWS 1000000
/* The page cache of the connection while it imports (PRAGMA cache_size: 64 MiB), so that
 * one big transaction is not spilled to the WAL page by page again and again. */
#define IMPORT_CACHE "-65536"

/* Rejections kept with their detail (every one is counted). */
#define IMPORT_MAX_ERRORS 100000

struct import_error {
    int64_t line; /* as the spreadsheet shows it; 0 for the file as a whole */
    int col;      /* the file's column (0-based), -1 when none */
    char *column; /* the header as the file has it, "" when none (malloc'd) */
    char *value;  /* the cell's text (malloc'd, at most 200 bytes) */
    char code[32];
    char *message; /* Chinese (malloc'd) */
};

/* A rejected row as the file had it, for the report (import_report_write). */
struct import_bad_row {
    int64_t line;
    int ncells;
    char **cells; /* each cell's text (malloc'd) */
};
/* Rejected rows kept whole for the report. */
#define IMPORT_REPORT_ROWS 20000

struct import_result {
    int64_t rows;  /* data rows read */
    int64_t valid; /* rows that passed */
    int64_t created, updated;
    int64_t written;     /* created + updated when committed, else 0 */
    int64_t error_count; /* rejected rows */
    bool committed;
    bool header_found;
    enum sheet_format format;
    enum sheet_encoding encoding;
    int64_t header_line;
    int ncols_file; /* the header row's cells */
    char **headers; /* the file's headers as given (ncols_file, malloc'd) */
    int nignored;
    char **ignored; /* extra columns, reported and ignored (malloc'd) */
    int nerrors;    /* kept: at most IMPORT_MAX_ERRORS */
    struct import_error *errors;
    int nbad; /* rejected rows kept whole: at most IMPORT_REPORT_ROWS */
    struct import_bad_row *bad;
};

void import_result_free(struct import_result *res);

/* A source of rows: sheet_next() over an open reader, or rows a test makes. 1 with
 * "row" filled, 0 at the end, < 0 with "err". */
typedef int import_next_fn(void *arg, struct sheet_row *row, struct rerr *err);

/* Import the rows "next" gives into "r" as x->who, on x->c (no transaction open).
 * 0 when the run finished — rows rejected or not: see res->error_count and
 * res->committed — or an error for the file as a whole (no header, a duplicate header, a
 * missing required column, an unreadable file, too many rows, "cancelled"), nothing
 * written either way unless res->committed. "bytes" (may be NULL) tells progress how
 * far through the file the run is, with "arg". */
int import_rows(struct res_ctx *x, const struct resource *r, import_next_fn *next, void *arg,
                int64_t (*bytes_done)(void *arg), int64_t bytes_total, const struct import_options *o,
                struct import_result *res, struct rerr *err);

/* The same from the file at "path" (format and encoding told from its content). */
int import_file(struct res_ctx *x, const struct resource *r, const char *path, const struct import_options *o,
                struct import_result *res, struct rerr *err);

/* The result as JSON: rows, valid, created, updated, written, error_count, committed,
 * ignored_columns, format, and the first "max_errors" errors [{line, column, value,
 * code, message}]. */
json_t *import_result_json(const struct import_result *res, int max_errors);

#endif
