/*
 * resource/internal.h: what the files of the resource engine share, and nobody else.
 * The public interface is domain/resource.h; this header is included only by
 * the files in src/domain/resource/.
 *
 * Where each job lives:
 *   field.c     the field kinds (one table of operations per kind) and the base columns
 *   encode.c    a row of a statement as a JSON record, as a tree or as text
 *   list.c      list requests: parameters checked, turned into SQL, answered
 *   read.c      single records: load, get, history, lookups of referenced rows
 *   validate.c  request bodies checked against the fields; references checked
 *   scope.c     data scope (derived, checked through authz) and the audit entry
 *   write.c     create, update, delete
 *   cascade.c   dependents moved with their parent
 *   action.c    actions that are not create/update/delete
 *
 * SQL is assembled only from names in the resource descriptions, never from input;
 * every value is bound. The store caches prepared statements by their text.
 */
#ifndef RONGHE_RESOURCE_INTERNAL_H
#define RONGHE_RESOURCE_INTERNAL_H

#include "base/jbuf.h"
#include "domain/resource.h"

/* The scope columns: every row's procuratorate, and its branch where it has one. */
#define COL_PROC "procuratorate_id"
#define COL_BRANCH "branch_id"

/* ------------------------------------------------------------------ field kinds */

/* What a kind of field does, the one place for each: check a value given in a body,
 * bind it, write a column of it out, and narrow a list by it. */
struct kind_ops {
    const char *name; /* "int", "text", "date", "bool", "enum", "ref", "json" */
    /* A non-null value given for "f" in a body: 0, or an error naming the field. */
    int (*validate)(const struct field *f, json_t *v, struct rerr *err);
    /* Bind "v" (not null: the caller binds null) at "idx". */
    void (*bind)(store_stmt *st, int idx, json_t *v);
    /* Column "i" of the current row as a JSON value (never NULL). */
    json_t *(*to_json)(store_stmt *st, int i);
    /* The same written as JSON text; NULL when the column must be parsed first (a JSON
     * column, re-checked through the tree). */
    void (*to_text)(store_stmt *st, int i, struct jbuf *b);
    /* ?name=val narrows the list to rows whose column equals "val": 0 or bad_query. */
    int (*filter)(struct query *q, const struct field *f, const char *val, struct rerr *err);
};

/* The kind's operations; untyped columns (extras) go out by their stored type. */
const struct kind_ops *kind_ops_of(enum field_kind k);
extern const struct kind_ops untyped_ops;

/* The field "name" of "r", or NULL. */
const struct field *field_of(const struct resource *r, const char *name);
/* The operations for column "name" of a row of "r": its field's kind, else a base
 * column's, else untyped. NULL when the column is never shown (FF_HIDDEN). */
const struct kind_ops *column_ops(const struct resource *r, const char *name);

/* Whether "w" is one of the space-separated words of "list". */
bool word_in(const char *list, const char *w);

/* Base columns that a body may carry back unchanged (ignored), and those the audit
 * keeps whatever the collection declares. */
bool base_echoed(const char *name);
bool base_audited(const char *name);

/* ------------------------------------------------------------------ encoding */

/* The current row of "st" as a record of "r". */
json_t *row_to_json(const struct resource *r, store_stmt *st);
/* The same record written as JSON text; R_EINTERNAL for a column that has no text form
 * (res_list_text sends such collections through the tree). */
int row_to_text(const struct resource *r, store_stmt *st, bool reveal, struct jbuf *b, struct rerr *err);
/* Replace the FF_MASKED fields of record "rec" by their masked form, unless "x"'s actor
 * may see them whole ("x" NULL: always, as the audit keeps them). "reveal" in
 * row_to_text: the same decision, made once per list. */
void mask_record(struct res_ctx *x, const struct resource *r, json_t *rec);
/* row_to_json for many rows of one statement: each column's operations found once
 * (row_plan, in arena "a"), then each row written without looking them up again. */
struct row_plan {
    int n;
    const struct kind_ops **ops; /* NULL: a column never shown */
    const char **names;
};
void row_plan(const struct resource *r, store_stmt *st, arena *a, struct row_plan *out);
json_t *row_to_json_planned(const struct row_plan *p, store_stmt *st);
/* Whether every record of "r" can be written straight from its row. */
bool row_is_flat(const struct resource *r);
/* Bind value "v" of field "f" (NULL or null binds null). */
void bind_field(store_stmt *st, int idx, const struct field *f, json_t *v);

/* ------------------------------------------------------------------ list queries */

struct bindv {
    bool is_text;
    int64_t i;
    const char *s;
};

struct query {
    arena *a;
    char *where; /* " AND ..." clauses */
    int nb, cap; /* bound values, in the arena: bounded by the request's parameters */
    struct bindv *b;
    const struct res_query *qp; /* the request's parameters, as given */
};

int parse_int(const char *s, int64_t *out);
int bad_query(struct rerr *err, const char *key, const char *what);

/* ------------------------------------------------------------------ reads */

/* Load record "id" of "r" inside the caller's transaction; no authorisation. */
int res_load(struct res_ctx *x, const struct resource *r, int64_t id, json_t **out, struct rerr *err);

/* ------------------------------------------------------------------ validation */

/* Copy the fields of "body" into "row", validating each; on create, check that every
 * required field is there; then, on create and update, the rules of r->required_if
 * against the whole of "row". */
int apply_body(const struct resource *r, json_t *body, json_t *row, bool create, struct rerr *err);
/* References must exist; FF_SAME_PROC ones must be in the row's procuratorate. */
int check_refs(struct res_ctx *x, const struct resource *r, json_t *row, struct rerr *err);
/* Whether field "f" is a column written from the row. */
bool writes_column(const struct field *f);

/* ------------------------------------------------------------------ scope and audit */

struct row_scope scope_of(json_t *rec);
/* May the actor read this one record? Not found rather than forbidden for rows out of
 * scope, so that ids of other procuratorates' data are not confirmed. */
int may_read(struct res_ctx *x, const struct resource *r, json_t *rec, struct rerr *err);
/* Fill procuratorate_id (and branch_id) from the parent row named by scope_from. */
int derive_scope(struct res_ctx *x, const struct resource *r, json_t *row, struct rerr *err);
/* Load record "id" for writing: readable and writable by the actor, else the error. */
int load_for_write(struct res_ctx *x, const struct resource *r, int64_t id, json_t **before,
                   struct rerr *err);
/* The prepare hook, run before the write transaction once the actor may write. */
int prepare_write(struct res_ctx *x, const struct resource *r, int64_t id, json_t *body, struct rerr *err);
void prepared_done(struct res_ctx *x);
/* The audit entry for a write of "r" (before and after: the stored columns only). */
int audit_write(struct res_ctx *x, const struct resource *r, const char *action, int64_t id, json_t *before,
                json_t *after, struct rerr *err);

/* ------------------------------------------------------------------ cascades */

/* Move the dependents of row "id" of "r" to scope "to" (each move audited), or refuse
 * when one of them may not move. */
int move_deps(struct res_ctx *x, const struct resource *r, int64_t id, const struct row_scope *to, int depth,
              struct rerr *err);

#endif
