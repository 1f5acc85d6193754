/*
 * cascade.c: when a parent moves to another procuratorate or branch, its dependents
 * (struct dependent) move with it, each move audited, or the move is refused.
 */
#include <string.h>

#include "base/text.h"
#include "domain/resource/internal.h"

/* How deep dependents of dependents may go: the descriptors' own chains are three deep
 * (branch → brand → method → element); a cycle or a deeper chain in a future descriptor
 * is refused with an error rather than followed. */
#define MAX_CASCADE_DEPTH 8

static int move_row(struct res_ctx *x, const struct resource *r, int64_t id, const struct row_scope *to,
                    int depth, struct rerr *err)
{
    json_t *before = NULL, *after = NULL;
    int rc = res_load(x, r, id, &before, err);
    if (rc < 0)
        return rc;
    char ts[32];
    text_now(ts);
    store_stmt *st;
    const char *sql = arena_printf(x->a,
                                   "UPDATE %s SET " COL_PROC " = ?, " COL_BRANCH
                                   " = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                                   r->table);
    if ((rc = store_prepare_built(x->c, sql, &st, err)) < 0) {
        json_decref(before);
        return rc;
    }
    store_bind_int(st, 1, to->procuratorate_id);
    if (to->branch_id)
        store_bind_int(st, 2, to->branch_id);
    store_bind_text(st, 3, ts);
    store_bind_int(st, 4, id);
    rc = store_step(st, err);
    store_done(st);
    if (rc >= 0 && (rc = res_load(x, r, id, &after, err)) == 0 &&
        (rc = audit_write(x, r, "update", id, before, after, err)) == 0)
        rc = move_deps(x, r, id, to, depth + 1, err);
    json_decref(before);
    json_decref(after);
    return rc;
}

int move_deps(struct res_ctx *x, const struct resource *r, int64_t id, const struct row_scope *to, int depth,
              struct rerr *err)
{
    if (depth >= MAX_CASCADE_DEPTH)
        return rerr_set(err, R_EINTERNAL, "cascade_too_deep", "",
                        "%s的下级记录层级过深（超过 %d 层），无法移动", r->label, MAX_CASCADE_DEPTH);
    for (const struct dependent *d = r->deps; d && d->r; d++) {
        store_stmt *st;
        int rc = store_prepare_built(
            x->c, arena_printf(x->a, "SELECT id FROM %s WHERE %s = ? ORDER BY id", d->r->table, d->fk), &st,
            err);
        if (rc < 0)
            return rc;
        store_bind_int(st, 1, id);
        int64_t *ids = NULL;
        size_t n = 0, cap = 0;
        while ((rc = store_step(st, err)) == STORE_ROW) {
            if (n == cap) {
                cap = cap ? cap * 2 : 16;
                int64_t *grown = arena_alloc(x->a, cap * sizeof *ids);
                if (n)
                    memcpy(grown, ids, n * sizeof *ids);
                ids = grown;
            }
            ids[n++] = store_col_int(st, 0);
        }
        store_done(st);
        if (rc < 0)
            return rc;
        if (n && !d->cascade)
            return rerr_set(err, R_ECONFLICT, "has_dependents", "",
                            "该%s下还有%s（%zu 条），不能移到其他检察院或党组织；请先调整这些%s", r->label,
                            d->r->label, n, d->r->label);
        for (size_t i = 0; i < n; i++)
            if ((rc = move_row(x, d->r, ids[i], to, depth, err)) < 0)
                return rc;
    }
    return 0;
}
