/*
 * item: generic references to records of other collections (see item.h). The SQL is
 * built from the target's descriptor (table, title and date expressions), never from
 * the request: "coll" is first found among the collections the server has.
 */
#include "domain/item.h"

#include <inttypes.h>
#include <string.h>

static bool has_branch(const struct resource *r)
{
    for (int i = 0; i < r->nfields; i++)
        if (!strcmp(r->fields[i].name, "branch_id"))
            return true;
    return false;
}

static bool has_name(const struct resource *r)
{
    for (int i = 0; i < r->nfields; i++)
        if (!strcmp(r->fields[i].name, "name"))
            return true;
    return false;
}

/* Load the scope, title and date of record "id" of "r". STORE_ROW, STORE_DONE (none), or
 * a negative error. */
static int load(struct res_ctx *x, const struct resource *r, int64_t id, struct item_ref *out,
                struct rerr *err)
{
    const char *title = r->title ? r->title : has_name(r) ? "t.name" : NULL;
    char *sql = arena_printf(x->a, "SELECT t.procuratorate_id, %s, %s, %s FROM %s t WHERE t.id = ?",
                             has_branch(r) ? "t.branch_id" : "NULL", title ? title : "NULL",
                             r->date ? r->date : "NULL", r->table);
    store_stmt *st = store_prepare(x->c, sql);
    if (!st)
        return rerr_set(err, R_EINTERNAL, "internal", "", "无法读取%s（描述有误）", r->label);
    store_bind_int(st, 1, id);
    int rc = store_step(st, err);
    if (rc == STORE_ROW) {
        out->procuratorate_id = store_col_int(st, 0);
        out->branch_id = store_col_int(st, 1);
        bool titled = store_col_type(st, 2) != STORE_NULL, dated = store_col_type(st, 3) != STORE_NULL;
        out->label = r->label;
        out->title = titled ? arena_strdup(x->a, store_col_text(st, 2))
                            : arena_printf(x->a, "%s #%" PRId64, r->label, id);
        out->date = dated ? arena_strdup(x->a, store_col_text(st, 3)) : NULL;
    }
    store_done(st);
    return rc;
}

int item_check(struct res_ctx *x, const char *coll, int64_t id, const char *const *allowed, const char *field,
               struct item_ref *out, struct rerr *err)
{
    if (!coll || !*coll || id < 1)
        return rerr_set(err, R_EINVAL, "required", field, "请选择要关联的记录");
    bool listed = false;
    for (int i = 0; allowed && allowed[i]; i++)
        if (!strcmp(allowed[i], coll))
            listed = true;
    const struct resource *r = listed ? res_find(coll) : NULL;
    if (!r)
        return rerr_set(err, R_EINVAL, "invalid_value", field, "不能关联此类记录（%.40s）", coll);
    struct item_ref tmp;
    if (!out)
        out = &tmp;
    struct rerr ignored = {0};
    int64_t proc;
    int rc = load(x, r, id, out, err);
    if (rc < 0)
        return rc;
    if (rc != STORE_ROW || authz_read_collection(x->who, r->read, &ignored) < 0 ||
        (authz_read_narrowed(x->who, r->read, &proc) && out->procuratorate_id != proc))
        return rerr_set(err, R_EUNPROC, "invalid_reference", field, "关联的%s不存在（编号 %" PRId64 "）",
                        r->label, id);
    return 0;
}

int item_describe(struct res_ctx *x, const char *coll, int64_t id, struct item_ref *out, struct rerr *err)
{
    const struct resource *r = coll ? res_find(coll) : NULL;
    int rc = r ? load(x, r, id, out, err) : STORE_DONE;
    if (rc < 0)
        return rc;
    if (rc != STORE_ROW)
        return rerr_set(err, R_ENOTFOUND, "not_found", "", "关联的记录已不存在");
    return 0;
}
