/*
 * scope.c: whose a row is and who may touch it — the scope columns derived from the
 * parent row, the read and write checks (decided by authz, asked here), the prepare
 * hook run only once the actor may write — and the audit entry every write leaves.
 */
#include <string.h>

#include "auth/audit.h"
#include "domain/resource/internal.h"

struct row_scope scope_of(json_t *rec)
{
    return (struct row_scope){.procuratorate_id = res_int(rec, COL_PROC),
                              .branch_id = res_int(rec, COL_BRANCH)};
}

int may_read(struct res_ctx *x, const struct resource *r, json_t *rec, struct rerr *err)
{
    int64_t proc;
    if ((authz_read_narrowed(x->who, r->read, &proc) && res_int(rec, COL_PROC) != proc) ||
        (authz_read_own_rows(x->who, r->read) && res_int(rec, "created_by") != x->who->user_id))
        return rerr_set(err, R_ENOTFOUND, "not_found", "", "%s不存在或无权查看", r->label);
    return 0;
}

int derive_scope(struct res_ctx *x, const struct resource *r, json_t *row, struct rerr *err)
{
    if (!r->scope_from)
        return 0;
    const struct field *f = field_of(r, r->scope_from);
    if (!f || f->kind != FT_REF) /* a descriptor we wrote wrong; res_check_descriptor() says so too */
        return rerr_set(err, R_EINTERNAL, "internal", "", "%s的数据范围来源 %s 不是引用字段", r->label,
                        r->scope_from);
    int64_t pid = res_int(row, f->name);
    if (!pid)
        return rerr_set(err, R_EINVAL, "required", f->name, "%s为必填项", f->label);
    int64_t proc, branch = 0;
    int rc = res_lookup_int(x, f->ref, COL_PROC, pid, f->name, &proc, err);
    if (rc < 0)
        return rc;
    json_object_set_new(row, COL_PROC, json_integer(proc));
    if (strcmp(f->name, COL_BRANCH) != 0 && field_of(r, COL_BRANCH)) {
        if ((rc = res_lookup_int(x, f->ref, COL_BRANCH, pid, f->name, &branch, err)) < 0)
            return rc;
        json_object_set_new(row, COL_BRANCH, json_integer(branch));
    }
    return 0;
}

int load_for_write(struct res_ctx *x, const struct resource *r, int64_t id, json_t **before, struct rerr *err)
{
    *before = NULL;
    /* A collection closed to the role is 403 whatever the row; out of read scope looks
     * like absent (404); in read scope but not writable is 403. */
    int rc = authz_read_collection(x->who, r->read, err);
    if (rc < 0 || (rc = res_load(x, r, id, before, err)) < 0)
        return rc;
    if ((rc = may_read(x, r, *before, err)) == 0) {
        struct row_scope s = scope_of(*before);
        rc = authz_write_row(x->who, r->write, &s, err);
    }
    if (rc < 0) {
        json_decref(*before);
        *before = NULL;
    }
    return rc;
}

/* Before a write transaction: for a collection with a prepare hook, decide first that
 * the actor may write the row at all (record "id" as it stands, or for a new record the
 * scope its body names), then let the hook do its expensive work. Everything is checked
 * again inside the transaction; this only makes sure a refused request never gets as
 * far as the expensive part. */
int prepare_write(struct res_ctx *x, const struct resource *r, int64_t id, json_t *body, struct rerr *err)
{
    if (!r->prepare)
        return 0;
    if (!json_is_object(body))
        return rerr_set(err, R_EINVAL, "invalid_type", "", "请求内容应为 JSON 对象");
    int rc;
    json_t *before = NULL;
    struct row_scope s = scope_of(body);
    if (id) {
        if ((rc = store_begin_read(x->c, err)) < 0)
            return rc;
        rc = load_for_write(x, r, id, &before, err);
        store_rollback(x->c);
        if (rc < 0)
            return rc;
        if (!json_object_get(body, COL_PROC))
            s.procuratorate_id = res_int(before, COL_PROC);
        if (!json_object_get(body, COL_BRANCH))
            s.branch_id = res_int(before, COL_BRANCH);
    }
    rc = r->scope_from ? 0 : authz_write_row(x->who, r->write, &s, err);
    if (rc == 0)
        rc = r->prepare(x, body, before, err);
    json_decref(before);
    return rc;
}

void prepared_done(struct res_ctx *x)
{
    json_decref(x->prepared);
    x->prepared = NULL;
}

/* The stored columns of record "rec" (no computed names, counts or nested lists): what
 * the audit keeps, so that history shows what was written and nothing else. */
static json_t *columns_of(const struct resource *r, json_t *rec)
{
    if (!rec)
        return NULL;
    json_t *o = json_object();
    const char *k;
    json_t *v;
    json_object_foreach(rec, k, v)
    {
        const struct field *f = field_of(r, k);
        if (f ? !(f->flags & (FF_SECRET | FF_HIDDEN)) : base_audited(k))
            json_object_set(o, k, v);
    }
    mask_record(NULL, r, o);
    return o;
}

int audit_write(struct res_ctx *x, const struct resource *r, const char *action, int64_t id, json_t *before,
                json_t *after, struct rerr *err)
{
    json_t *rec = after ? after : before;
    json_t *b = columns_of(r, before), *a = columns_of(r, after);
    int rc = audit_append(x->c, x->who, action, r->name, id, res_int(rec, COL_PROC), b, a, err);
    json_decref(b);
    json_decref(a);
    return rc;
}
