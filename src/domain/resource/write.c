/*
 * write.c: create, update and delete — each validated, scope-checked, version-checked
 * where it changes a record, and audited in its own transaction.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/jbuf.h"
#include "base/text.h"
#include "domain/attachment.h"
#include "domain/resource/internal.h"

/* The base columns a write sets itself. */
#define SET_CREATED "created_at, updated_at"
#define SET_UPDATED "updated_at = ?, version = version + 1"

/* Bind the written columns of "row" from "idx" on; the next free index. */
static int bind_columns(store_stmt *st, int idx, const struct resource *r, json_t *row)
{
    for (int i = 0; i < r->nfields; i++) {
        const struct field *f = &r->fields[i];
        json_t *v = json_object_get(row, f->name);
        if (writes_column(f) && v)
            bind_field(st, idx++, f, v);
    }
    return idx;
}

/* "INSERT INTO table(created_at, updated_at, <the columns "row" gives>) VALUES (?, …)",
 * on the row's arena. */
static const char *insert_sql(struct res_ctx *x, const struct resource *r, json_t *row)
{
    struct jbuf b = {0};
    int n = 2;
    jbuf_lit(&b, "INSERT INTO ");
    jbuf_lit(&b, r->table);
    jbuf_lit(&b, "(" SET_CREATED);
    for (int i = 0; i < r->nfields; i++) {
        const struct field *f = &r->fields[i];
        if (writes_column(f) && json_object_get(row, f->name)) {
            jbuf_lit(&b, ", ");
            jbuf_lit(&b, f->name);
            n++;
        }
    }
    jbuf_lit(&b, ") VALUES (?");
    for (int i = 1; i < n; i++)
        jbuf_lit(&b, ", ?");
    jbuf_lit(&b, ")");
    size_t len;
    char *t = jbuf_take(&b, &len);
    char *sql = arena_strdup(x->a, t);
    free(t);
    return sql;
}

/* The stored columns of row "id" (no extras, nothing expanded): what its audit entry
 * records. */
static int load_columns(struct res_ctx *x, const struct resource *r, int64_t id, json_t **out,
                        struct rerr *err)
{
    store_stmt *st;
    int rc =
        store_prepare_built(x->c, arena_printf(x->a, "SELECT * FROM %s WHERE id = ?", r->table), &st, err);
    if (rc < 0)
        return rc;
    store_bind_int(st, 1, id);
    if ((rc = store_step(st, err)) == STORE_ROW)
        *out = row_to_json(r, st);
    else if (rc == STORE_DONE)
        rc = rerr_set(err, R_EINTERNAL, "internal", "", "%s写入后不见了（编号 %" PRId64 "）", r->label, id);
    store_done(st);
    return rc < 0 ? rc : 0;
}

int res_create_id(struct res_ctx *x, const struct resource *r, json_t *body, int64_t *id, json_t **out,
                  struct rerr *err)
{
    json_t *row = json_object();
    int rc = apply_body(r, body, row, true, err);
    if (rc == 0)
        rc = derive_scope(x, r, row, err);
    if (rc == 0 && r->check)
        rc = r->check(x, row, NULL, err);
    if (rc == 0)
        rc = check_refs(x, r, row, err);
    if (rc == 0) {
        struct row_scope s = scope_of(row);
        rc = authz_write_row(x->who, r->write, &s, err);
    }
    if (rc < 0) {
        json_decref(row);
        return rc;
    }
    char ts[32];
    text_now(ts);
    store_stmt *st;
    if ((rc = store_prepare_built(x->c, insert_sql(x, r, row), &st, err)) < 0) {
        json_decref(row);
        return rc;
    }
    store_bind_text(st, 1, ts);
    store_bind_text(st, 2, ts);
    bind_columns(st, 3, r, row);
    rc = store_step(st, err);
    *id = store_last_id(x->c);
    store_done(st);
    if (rc >= 0 && r->after_write)
        rc = r->after_write(x, *id, row, NULL, err);
    json_decref(row);
    /* The audit entry records the stored columns: read as a read would answer them when
     * the caller wants the record (or the resource adds to what it reads), else alone. */
    json_t *rec = NULL;
    if (rc >= 0)
        rc = out || r->expand ? res_load(x, r, *id, &rec, err) : load_columns(x, r, *id, &rec, err);
    if (rc >= 0)
        rc = audit_write(x, r, "create", *id, NULL, rec, err);
    if (rc >= 0 && out)
        *out = rec;
    else
        json_decref(rec);
    return rc < 0 ? rc : 0;
}

int res_create_in(struct res_ctx *x, const struct resource *r, json_t *body, json_t **out, struct rerr *err)
{
    int64_t id;
    json_t *rec = NULL;
    int rc = res_create_id(x, r, body, &id, out ? &rec : NULL, err);
    if (out)
        *out = rec;
    return rc;
}

int res_create(struct res_ctx *x, const struct resource *r, json_t *body, json_t **out, struct rerr *err)
{
    int rc = prepare_write(x, r, 0, body, err);
    if (rc < 0 || (rc = store_begin(x->c, err)) < 0) {
        prepared_done(x);
        return rc;
    }
    rc = res_create_in(x, r, body, out, err);
    prepared_done(x);
    if (rc == 0)
        rc = store_commit(x->c, err);
    else
        store_rollback(x->c);
    if (rc < 0 && out && *out) {
        json_decref(*out);
        *out = NULL;
    }
    if (out && rc == 0)
        mask_record(x, r, *out);
    return rc;
}

/* An update's body: a JSON object carrying the version it changes. */
static int version_of(json_t *body, int64_t *v, struct rerr *err)
{
    if (!json_is_object(body))
        return rerr_set(err, R_EINVAL, "invalid_type", "", "请求内容应为 JSON 对象");
    json_t *jv = json_object_get(body, "version");
    if (!jv)
        return rerr_set(err, R_EINVAL, "required", "version", "修改时必须提供版本号 version");
    if (!json_is_integer(jv))
        return rerr_set(err, R_EINVAL, "invalid_type", "version", "版本号 version 应为整数");
    *v = json_integer_value(jv);
    return 0;
}

/* The update of record "id" to "version"'s successor inside the caller's transaction;
 * *out gets the record as stored. */
static int update_in(struct res_ctx *x, const struct resource *r, int64_t id, json_t *body, int64_t version,
                     json_t **out, struct rerr *err)
{
    if (r->immutable)
        return rerr_set(err, R_EUNPROC, "immutable", "", "%s创建后不能修改；如需更正，请删除后重新创建",
                        r->label);
    json_t *before = NULL, *row = NULL, *after = NULL;
    int rc;
    if ((rc = load_for_write(x, r, id, &before, err)) < 0)
        goto fail;
    if (res_int(before, "version") != version) {
        rc = rerr_set(err, R_ECONFLICT, "version_conflict", "version",
                      "该%s已被他人修改（当前版本 %" PRId64 "，提交的版本 %" PRId64 "），请刷新后重试",
                      r->label, res_int(before, "version"), version);
        goto fail;
    }
    row = json_deep_copy(before);
    if ((rc = apply_body(r, body, row, false, err)) < 0 || (rc = derive_scope(x, r, row, err)) < 0 ||
        (r->check && (rc = r->check(x, row, before, err)) < 0) || (rc = check_refs(x, r, row, err)) < 0)
        goto fail;
    struct row_scope s = scope_of(row);
    if ((rc = authz_write_row(x->who, r->write, &s, err)) < 0)
        goto fail;
    char ts[32];
    text_now(ts);
    char *sets = SET_UPDATED;
    for (int i = 0; i < r->nfields; i++) {
        const struct field *f = &r->fields[i];
        if (writes_column(f) && json_object_get(row, f->name))
            sets = arena_printf(x->a, "%s, %s = ?", sets, f->name);
    }
    store_stmt *st;
    const char *sql = arena_printf(x->a, "UPDATE %s SET %s WHERE id = ? AND version = ?", r->table, sets);
    if ((rc = store_prepare_built(x->c, sql, &st, err)) < 0)
        goto fail;
    store_bind_text(st, 1, ts);
    int idx = bind_columns(st, 2, r, row);
    store_bind_int(st, idx++, id);
    store_bind_int(st, idx, version);
    rc = store_step(st, err);
    store_done(st);
    if (rc < 0)
        goto fail;
    if (store_changes(x->c) != 1) {
        rc = rerr_set(err, R_ECONFLICT, "version_conflict", "version", "该%s已被他人修改，请刷新后重试",
                      r->label);
        goto fail;
    }
    /* A move to another procuratorate (or, for rows whose branch is derived, another
     * branch) takes the dependents along or is refused. */
    struct row_scope was = scope_of(before);
    if (was.procuratorate_id != s.procuratorate_id || (r->scope_from && was.branch_id != s.branch_id)) {
        if ((rc = move_deps(x, r, id, &s, 0, err)) < 0)
            goto fail;
    }
    if ((r->after_write && (rc = r->after_write(x, id, row, before, err)) < 0) ||
        (rc = res_load(x, r, id, &after, err)) < 0 ||
        (rc = audit_write(x, r, "update", id, before, after, err)) < 0)
        goto fail;
    json_decref(before);
    json_decref(row);
    *out = after;
    return 0;
fail:
    json_decref(before);
    json_decref(row);
    json_decref(after);
    return rc;
}

int res_update_in(struct res_ctx *x, const struct resource *r, int64_t id, json_t *body, json_t **out,
                  struct rerr *err)
{
    int64_t version = 0;
    int rc = version_of(body, &version, err);
    return rc < 0 ? rc : update_in(x, r, id, body, version, out, err);
}

int res_update(struct res_ctx *x, const struct resource *r, int64_t id, json_t *body, json_t **out,
               struct rerr *err)
{
    int64_t version = 0;
    int rc = version_of(body, &version, err);
    if (rc < 0 || (rc = prepare_write(x, r, id, body, err)) < 0 || (rc = store_begin(x->c, err)) < 0) {
        prepared_done(x);
        return rc;
    }
    json_t *after = NULL;
    if ((rc = update_in(x, r, id, body, version, &after, err)) < 0 || (rc = store_commit(x->c, err)) < 0) {
        store_rollback(x->c);
        json_decref(after);
        prepared_done(x);
        return rc;
    }
    prepared_done(x);
    mask_record(x, r, after);
    *out = after;
    return 0;
}

int res_delete_in(struct res_ctx *x, const struct resource *r, int64_t id, int64_t version, struct rerr *err)
{
    json_t *before = NULL;
    int rc;
    if ((rc = load_for_write(x, r, id, &before, err)) < 0)
        goto fail;
    if (version < 0) {
        rc = rerr_set(err, R_EINVAL, "required", "version",
                      "删除时必须提供版本号（?version=N），以免删除他人刚修改的记录");
        goto fail;
    }
    if (res_int(before, "version") != version) {
        rc = rerr_set(err, R_ECONFLICT, "version_conflict", "version", "该%s已被他人修改，请刷新后重试",
                      r->label);
        goto fail;
    }
    if ((r->removable && (rc = r->removable(x, before, err)) < 0) ||
        (rc = attachment_owner_removable(x, r, id, err)) < 0) /* files still on it */
        goto fail;
    store_stmt *st;
    if ((rc = store_prepare_built(x->c, arena_printf(x->a, "DELETE FROM %s WHERE id = ?", r->table), &st,
                                  err)) < 0)
        goto fail;
    store_bind_int(st, 1, id);
    rc = store_step(st, err);
    store_done(st);
    if (rc < 0) {
        if (!strcmp(err->code, "in_use"))
            rerr_set(err, R_ECONFLICT, "in_use", "", "该%s仍被其他记录引用（如党员、品牌），不能删除",
                     r->label);
        goto fail;
    }
    if ((rc = audit_write(x, r, "delete", id, before, NULL, err)) < 0)
        goto fail;
    json_decref(before);
    return 0;
fail:
    json_decref(before);
    return rc;
}

int res_delete(struct res_ctx *x, const struct resource *r, int64_t id, int64_t version, struct rerr *err)
{
    int rc = store_begin(x->c, err);
    if (rc < 0)
        return rc;
    if ((rc = res_delete_in(x, r, id, version, err)) < 0 || (rc = store_commit(x->c, err)) < 0) {
        store_rollback(x->c);
        return rc;
    }
    return 0;
}
