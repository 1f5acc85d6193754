/*
 * import_internal.h: what the files of the importer share (import.c the run,
 * import_columns.c the column model and cells, import_refs.c references by name and the
 * per-import cache), and nobody else. The interface is domain/import.h.
 */
#ifndef RONGHE_IMPORT_INTERNAL_H
#define RONGHE_IMPORT_INTERNAL_H

#include "domain/import.h"

/* ---- columns */

/* Whether field "f" is an import column: a body may give it (FF_WRITE) and it is neither
 * write-only (FF_SECRET) nor the server's (FF_DERIVED, FF_HIDDEN). */
bool import_field_taken(const struct field *f);
const char *import_helper_header(const struct field *f, enum import_col_role role);
/* The column of table "t" that names its rows in a cell (name, case_no, number), or NULL
 * when rows are named by id only. */
const char *import_name_column(const struct resource *t);
/* The index in "cols" of the column header "text" names, or -1. */
int import_match_header(const struct import_column *cols, int ncols, const char *text, size_t len);
/* Cell "c" as the value of field "f": 0 with *out (NULL when the cell is empty), 1 with a
 * string *out that names a referenced row (FT_REF, for import_ref_resolve), or -1 with
 * the Chinese reason in "msg". */
int import_cell_value(const struct field *f, const struct sheet_cell *c, json_t **out, char *msg, size_t cap);

/* ---- a map from text keys to two integers, for the caches of one import */

struct imap;
struct imap *imap_new(void);
void imap_free(struct imap *m);
/* The values stored under "key" ("len" bytes): true with *a, *b. */
bool imap_get(const struct imap *m, const char *key, size_t len, int64_t *a, int64_t *b);
void imap_put(struct imap *m, const char *key, size_t len, int64_t a, int64_t b);

/* ---- references */

struct import_refs;
struct import_refs *import_refs_new(struct res_ctx *x);
void import_refs_free(struct import_refs *rf);
/* Look up as "x" from now on (the row's context: its arena goes with the row). */
void import_refs_ctx(struct import_refs *rf, struct res_ctx *x);

/* Where a row lives, as far as its references tell: narrows names that repeat. */
struct import_hint {
    int64_t proc, branch;
};

/* The row of "f"'s table named "name" (birth date and identity number may be NULL),
 * among those x->who may read; "hint" picks among namesakes. 0 with *id (and the row's
 * procuratorate and branch), 1 with the reason in "msg" when there is no such row or
 * several, or an error. Cached per import. */
int import_ref_resolve(struct import_refs *rf, const struct field *f, const char *name, const char *birth,
                       const char *idcard, const struct import_hint *hint, int64_t *id, int64_t *proc,
                       int64_t *branch, char *msg, size_t cap, struct rerr *err);
/* The procuratorate and branch of row "id" of "table" (0, 0 when there is none): for the
 * hints and the derived parts of a key. Cached. */
int import_ref_scope(struct import_refs *rf, const char *table, int64_t id, int64_t *proc, int64_t *branch,
                     struct rerr *err);

#endif
