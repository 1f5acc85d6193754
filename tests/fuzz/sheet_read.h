/*
 * sheet_read: what the csv and xlsx targets check of every row a reader gives.
 */
#ifndef RONGHE_FUZZ_SHEET_READ_H
#define RONGHE_FUZZ_SHEET_READ_H

#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "sheet/sheet.h"

/* Reads "path" to its end under "opt", holding every row to sheet.h's contract (see the
 * targets' comments); the rows printed into "out" when not NULL ("LINE:" and the cells
 * joined by commas, a line each), the encoding found into "*enc". The last result of
 * sheet_next, or of sheet_open. */
static int fuzz_sheet_read(const char *path, const struct sheet_options *opt, char *out, size_t cap,
                           enum sheet_encoding *enc)
{
    sheet_reader *r;
    struct rerr err = {0};
    int rc = sheet_open(path, opt, &r, &err);
    if (rc < 0) {
        fuzz_check_rerr("sheet_open", rc, &err);
        return rc;
    }
    int max_cols = opt->limits.max_cols ? opt->limits.max_cols : SHEET_DEFAULT_MAX_COLS;
    int64_t max_rows = opt->limits.max_rows ? opt->limits.max_rows : SHEET_DEFAULT_MAX_ROWS;
    size_t max_cell =
        (size_t)(opt->limits.max_cell_bytes ? opt->limits.max_cell_bytes : SHEET_DEFAULT_MAX_CELL_BYTES);
    bool csv = sheet_format_of(r) == SHEET_CSV;
    *enc = sheet_encoding_of(r);
    int64_t last = 0;
    size_t len = 0;
    struct sheet_row row;
    while ((rc = sheet_next(r, &row, &err)) > 0) {
        if (row.line <= last || (sheet_format_of(r) == SHEET_XLSX && row.line > max_rows))
            fuzz_fail("row line %lld after %lld", (long long)row.line, (long long)last);
        last = row.line;
        if (row.ncells < 1 || row.ncells > max_cols)
            fuzz_fail("%d cells", row.ncells);
        bool any = false;
        if (out && len < cap)
            len += (size_t)snprintf(out + len, cap - len, "%lld:", (long long)row.line);
        for (int i = 0; i < row.ncells; i++) {
            const struct sheet_cell *c = &row.cells[i];
            if (!c->text || strlen(c->text) != c->len)
                fuzz_fail("cell %d of line %lld: len %zu but the text says otherwise", i, (long long)row.line,
                          c->len);
            if (c->len > max_cell && c->type != SC_DATE)
                fuzz_fail("cell of %zu bytes past the cap %zu", c->len, max_cell);
            if (!fuzz_json_text_ok(c->text))
                fuzz_fail("cell %d of line %lld is not well-formed UTF-8", i, (long long)row.line);
            if ((c->type == SC_EMPTY) != (c->len == 0))
                fuzz_fail("cell type %d with %zu bytes", c->type, c->len);
            if (csv && c->type != SC_TEXT && c->type != SC_EMPTY)
                fuzz_fail("a CSV cell of type %d", c->type);
            if (c->type < SC_EMPTY || c->type > SC_ERROR)
                fuzz_fail("cell type %d", c->type);
            char d[11];
            if (c->type == SC_BOOL && strcmp(c->text, "TRUE") && strcmp(c->text, "FALSE"))
                fuzz_fail("a boolean \"%s\"", c->text);
            if (c->type == SC_DATE && sheet_date_parse(c->text, c->len, d) < 0 &&
                strncmp(c->text, "1900-02-29", 10))
                fuzz_fail("a date \"%s\"", c->text);
            any |= c->type != SC_EMPTY;
            if (out && len < cap)
                len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? "," : "", c->text);
        }
        if (!any)
            fuzz_fail("a wholly empty row was given (line %lld)", (long long)row.line);
        if (out && len < cap)
            len += (size_t)snprintf(out + len, cap - len, "\n");
    }
    if (rc < 0) {
        fuzz_check_rerr("sheet_next", rc, &err);
        struct rerr again = {0};
        if (sheet_next(r, &row, &again) != rc || strcmp(again.code, err.code))
            fuzz_fail("an error (%s) not given again", err.code);
    }
    sheet_close(r);
    return rc;
}

#endif
