/*
 * template: the import template of a collection, as an XLSX (src/sheet/sheet_write.h),
 * made from the same column model the importer reads (domain/import.h), so that a
 * template always imports: a first sheet with the Chinese headers (required ones marked
 * *) and drop-down lists for enumerations and 是/否; a sheet 填写说明 that explains each
 * column (type, required or when, allowed values, format, how a reference is named) and
 * how a re-import is matched; a sheet 示例 with one example row.
 */
#ifndef RONGHE_TEMPLATE_H
#define RONGHE_TEMPLATE_H

#include "domain/import.h"
#include "domain/resource.h"

/* Rows of the first sheet that carry the drop-down lists. */
#define TEMPLATE_LIST_ROWS 5000

/* Write the template of "r" to "path" (created or replaced). 0, or R_EINVAL
 * not_importable for a collection that is not imported, or the writer's error. */
int template_write(const struct resource *r, const char *path, struct rerr *err);

/* The template's file name as a user sees it: "党员导入模板.xlsx" (into "out"). */
void template_display_name(const struct resource *r, char *out, size_t cap);

/* The template of "r" as a file to send (GET /api/v1/templates/<coll>): for those who
 * may create its records (authz_collection's create), else R_EFORBID. The caller owns
 * out->fd (the file is already unlinked). */
int template_file(struct res_ctx *x, const struct resource *r, struct res_file *out, struct rerr *err);

/* The report of a run that rejected rows: the rejected rows as the file had them, under
 * the file's own headers, with 原行号 and 错误原因 after them, each bad cell marked (red,
 * with a note saying why). 0 or the writer's error. */
int import_report_write(const struct import_result *res, const char *path, struct rerr *err);

#endif
