/*
 * export: a collection's list taken away as a spreadsheet (issue 8, "Out"). The rows are
 * those of GET /api/v1/<coll> with the same parameters (filters, search, sort; never
 * paged), read through the engine's res_each in one read transaction and written row by
 * row through sheet_write in streaming mode, so memory stays flat however long the list.
 *
 * Permission: exporting is its own permission beside reading (authz_export_collection:
 * the collection's export policy); the rows are only those the exporter may read, and
 * personal data is masked as the list masks it. Each finished export is audited
 * ("export" on the collection: the filters, sort, columns, format and the number of
 * rows). It knows nothing of jobs: a job or the command line runs it and gives it a
 * struct progress.
 *
 * Cells: Chinese headers (the fields' labels, or those the caller gives), dates as date
 * cells, numbers as numbers, enumerations as their Chinese text, booleans as 是/否, a
 * reference as the name the list answers beside it (branch_id as branch_name) or, for
 * the organisation's own tables, the referenced row's title; created_at / updated_at in
 * Beijing time. An XLSX has its header row frozen and bold, widths fitted to the first
 * rows, and continues on a new sheet ("党员 (2)") past Excel's 1,048,576 rows.
 */
#ifndef RONGHE_EXPORT_H
#define RONGHE_EXPORT_H

#include <stdint.h>

#include "domain/progress.h"
#include "domain/resource.h"
#include "sheet/sheet_write.h"

#define EXPORT_MAX_COLUMNS 64

/* What to export. "columns" NULL (or ncolumns 0): the defaults, every readable field that
 * is not hidden, secret, JSON or the sample mark, references by their names; else the
 * names the list answers (fields, base columns such as id, or the list's own columns such
 * as branch_name or age), in that order. "labels" NULL, or one per column (NULL or "" for
 * the default header): the headers the page shows. */
struct export_spec {
    const struct resource *r;
    const struct res_query *query;
    const char *const *columns;
    const char *const *labels;
    int ncolumns;
    enum sheet_out format;
};

struct export_result {
    int64_t rows;
    int64_t bytes;
    char display_name[160]; /* "党员-2026-12-01.xlsx": the label, today (Beijing), the format */
};

/* Whether "x"'s actor may export what "s" asks (the export permission, the query as
 * res_list checks it, the columns known): 0, or the error (403 forbidden with a Chinese
 * message, 400 bad_query / bad_column). Cheap: for a job to refuse at submission. */
int export_check(struct res_ctx *x, const struct export_spec *s, struct rerr *err);

/* Export "s" to "path" (created or truncated). Checks as export_check first. "p" (may be
 * NULL) hears every few thousand rows and is asked whether to stop: then rerr code
 * "cancelled". On any failure the file is removed and nothing is audited. */
int export_run(struct res_ctx *x, const struct export_spec *s, const char *path, const struct progress *p,
               struct export_result *out, struct rerr *err);

/* "xlsx" or "csv" (any case) as the format, else -1. */
int export_format_parse(const char *s);

#endif
