/*
 * read.c: single records — one record, its history from the audit, and one column of a
 * referenced row.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"

#include "domain/resource/internal.h"

/* Prepare "sql" (one "?": the id), bind "id" and take the first step: STORE_ROW with *st
 * on the row, STORE_DONE, or an error. The caller calls store_done(*st) unless an error
 * came from preparing (then *st is NULL). */
static int step_by_id(struct res_ctx *x, const char *sql, int64_t id, store_stmt **st, struct rerr *err)
{
    *st = NULL;
    int rc = store_prepare_built(x->c, sql, st, err);
    if (rc < 0)
        return rc;
    store_bind_int(*st, 1, id);
    return store_step(*st, err);
}

int res_load(struct res_ctx *x, const struct resource *r, int64_t id, json_t **out, struct rerr *err)
{
    char *sql = arena_printf(x->a, "SELECT t.*%s%s FROM %s t WHERE t.id = ?", r->extras ? ", " : "",
                             r->extras ? r->extras : "", r->table);
    store_stmt *st;
    int rc = step_by_id(x, sql, id, &st, err);
    if (!st)
        return rc;
    if (rc == STORE_ROW)
        *out = row_to_json(r, st);
    store_done(st);
    if (rc < 0)
        return rc;
    if (rc == STORE_DONE)
        return rerr_set(err, R_ENOTFOUND, "not_found", "", "%s不存在（编号 %" PRId64 "）", r->label, id);
    if (r->expand && (rc = r->expand(x, *out, err)) < 0) {
        json_decref(*out);
        return rc;
    }
    return 0;
}

int res_get(struct res_ctx *x, const struct resource *r, int64_t id, json_t **out, struct rerr *err)
{
    int rc = authz_read_collection(x->who, r->read, err);
    if (rc < 0 || (rc = store_begin_read(x->c, err)) < 0)
        return rc;
    rc = res_load(x, r, id, out, err);
    store_rollback(x->c);
    if (rc < 0)
        return rc;
    if ((rc = may_read(x, r, *out, err)) < 0) {
        json_decref(*out);
        *out = NULL;
    }
    mask_record(x, r, *out);
    return rc;
}

/* A record's history is read from the audit: only those who may read the audit (the
 * administrators and the leadership) see it, and a county user only the history of
 * records of their own procuratorate, as with the audit itself. Others get what they
 * would for a record that does not exist. */
int res_history(struct res_ctx *x, const struct resource *r, int64_t id, json_t **out, struct rerr *err)
{
    const struct resource *audit = res_find("audit");
    if (!audit)
        return rerr_set(err, R_EINTERNAL, "internal", "", "审计记录不可用");
    json_t *rec;
    int rc = res_get(x, r, id, &rec, err);
    if (rc < 0)
        return rc;
    int64_t proc = 0;
    bool narrowed = authz_read_narrowed(x->who, audit->read, &proc);
    bool allowed = authz_read_collection(x->who, audit->read, NULL) == 0 &&
                   (!narrowed || res_int(rec, COL_PROC) == proc);
    json_decref(rec);
    if (!allowed)
        return rerr_set(err, R_ENOTFOUND, "not_found", "", "没有可查看的修改记录");
    if ((rc = store_begin_read(x->c, err)) < 0)
        return rc;
    /* Narrowed: only the entries written while the record was in the reader's scope. */
    store_stmt *st = store_prepare(x->c, "SELECT t.* FROM audit t WHERE t.entity = ? AND t.entity_id = ?"
                                         " AND (? = 0 OR t.procuratorate_id = ?)"
                                         " ORDER BY t.id DESC LIMIT 500");
    store_bind_text(st, 1, r->name);
    store_bind_int(st, 2, id);
    store_bind_int(st, 3, narrowed ? proc : 0);
    store_bind_int(st, 4, proc);
    json_t *items = json_array();
    while ((rc = store_step(st, err)) == STORE_ROW)
        json_array_append_new(items, row_to_json(audit, st));
    store_done(st);
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        if (rc == 0 && audit->expand) /* names, as in the audit's own list */
            rc = audit->expand(x, it, err);
    }
    store_rollback(x->c);
    if (rc < 0) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)json_array_size(items));
    return *out ? 0 : rerr_set(err, R_EINTERNAL, "internal", "", "无法生成应答");
}

const struct resource *res_of_table(const char *table)
{
    for (int i = 0; res_all[i]; i++)
        if (!strcmp(res_all[i]->table, table))
            return res_all[i];
    return NULL;
}

/* ------------------------------------------------------------------ lookups, and their memo */

#define MEMO_SLOTS 4096 /* a power of two */

struct memo_slot {
    const char *table, *col; /* by address: the callers' literals */
    int64_t id, value;
};

struct res_memo {
    const char *skip;
    struct memo_slot slot[MEMO_SLOTS];
};

struct res_memo *res_memo_new(const char *table)
{
    struct res_memo *m = calloc(1, sizeof *m);
    if (!m)
        die("内存不足");
    m->skip = table;
    return m;
}

void res_memo_free(struct res_memo *m)
{
    free(m);
}

static struct memo_slot *memo_slot(struct res_memo *m, const char *table, const char *col, int64_t id)
{
    uint64_t h = ((uint64_t)(uintptr_t)table * 31 + (uint64_t)(uintptr_t)col) * 0x9E3779B97F4A7C15ull ^
                 (uint64_t)id * 0xBF58476D1CE4E5B9ull;
    return &m->slot[(h >> 20) & (MEMO_SLOTS - 1)];
}

int res_lookup_int(struct res_ctx *x, const char *table, const char *col, int64_t id, const char *field,
                   int64_t *out, struct rerr *err)
{
    struct memo_slot *ms =
        x->memo && strcmp(table, x->memo->skip) ? memo_slot(x->memo, table, col, id) : NULL;
    if (ms && ms->table == table && ms->col == col && ms->id == id) {
        *out = ms->value;
        return 0;
    }
    const struct resource *ref = res_of_table(table);
    int64_t proc = 0;
    bool narrowed = ref && authz_read_narrowed(x->who, ref->read, &proc);
    char *sql =
        arena_printf(x->a, "SELECT %s%s FROM %s WHERE id = ?", col, narrowed ? ", " COL_PROC : "", table);
    store_stmt *st;
    int rc = step_by_id(x, sql, id, &st, err);
    if (!st)
        return rc;
    bool visible = rc == STORE_ROW && (!narrowed || store_col_int(st, 1) == proc);
    if (visible)
        *out = store_col_int(st, 0);
    store_done(st);
    if (rc < 0)
        return rc;
    if (!visible)
        return rerr_set(err, R_EUNPROC, "invalid_reference", field, "引用的记录不存在（%s = %" PRId64 "）",
                        field, id);
    if (ms)
        *ms = (struct memo_slot){.table = table, .col = col, .id = id, .value = *out};
    return 0;
}
