/*
 * validate.c: a request body checked against the collection's fields — unknown names,
 * read-only names, types, lengths, dates, enumerations (each kind's own check, field.c)
 * — the fields required only in some cases (resource.required_if), and the references of
 * the row it makes.
 */
#include <stdio.h>
#include <string.h>

#include "domain/resource/internal.h"

static int check_value(const struct field *f, json_t *v, struct rerr *err)
{
    if (json_is_null(v)) {
        if (f->flags & (FF_REQUIRED | FF_NOTNULL))
            return rerr_set(err, R_EINVAL, "required", f->name, "%s不能为空", f->label);
        return 0;
    }
    return kind_ops_of(f->kind)->validate(f, v, err);
}

const struct res_required *res_required_of(const struct resource *r, const char *name)
{
    for (const struct res_required *q = r->required_if; q && q->field; q++)
        if (!strcmp(q->field, name))
            return q;
    return NULL;
}

/* Whether field "when" of "row" holds the value "is" (text, an integer's decimal, or
 * "true"/"false" for a boolean). */
static bool holds(json_t *row, const char *when, const char *is)
{
    json_t *v = json_object_get(row, when);
    if (json_is_boolean(v))
        return !strcmp(json_is_true(v) ? "true" : "false", is);
    if (json_is_string(v))
        return !strcmp(json_string_value(v), is);
    if (json_is_integer(v)) {
        char n[24];
        snprintf(n, sizeof n, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return !strcmp(n, is);
    }
    return false;
}

/* The rules of r->required_if, against the complete new record "row". */
static int check_required_if(const struct resource *r, json_t *row, bool create, struct rerr *err)
{
    for (const struct res_required *q = r->required_if; q && q->field; q++) {
        if (q->when ? !holds(row, q->when, q->is) : !create)
            continue;
        json_t *given = json_object_get(row, q->field);
        if (!given || json_is_null(given))
            return rerr_set(err, R_EINVAL, "required", q->field, "%s", q->message);
    }
    return 0;
}

int apply_body(const struct resource *r, json_t *body, json_t *row, bool create, struct rerr *err)
{
    if (!json_is_object(body))
        return rerr_set(err, R_EINVAL, "invalid_type", "", "请求内容应为 JSON 对象");
    const char *k;
    json_t *v;
    json_object_foreach(body, k, v)
    {
        if (!strcmp(k, "version"))
            continue; /* the optimistic lock, checked by the writer */
        const struct field *f = field_of(r, k);
        if (!f || !(f->flags & FF_WRITE)) {
            if (f || word_in(r->ignored, k) || base_echoed(k))
                continue; /* a read-only value sent back: ignored */
            return rerr_set(err, R_EINVAL, "unknown_field", k, "未知字段：%s", k);
        }
        int rc = check_value(f, v, err);
        if (rc < 0)
            return rc;
        json_object_set(row, k,
                        json_is_string(v) && !*json_string_value(v) && !(f->flags & FF_NOTNULL) ? json_null()
                                                                                                : v);
    }
    if (create) {
        for (int i = 0; i < r->nfields; i++) {
            const struct field *f = &r->fields[i];
            json_t *given = json_object_get(row, f->name);
            if ((f->flags & FF_REQUIRED) && (!given || json_is_null(given)))
                return rerr_set(err, R_EINVAL, "required", f->name, "%s为必填项", f->label);
        }
    }
    return check_required_if(r, row, create, err);
}

int check_refs(struct res_ctx *x, const struct resource *r, json_t *row, struct rerr *err)
{
    for (int i = 0; i < r->nfields; i++) {
        const struct field *f = &r->fields[i];
        if (f->kind != FT_REF || !(f->flags & FF_WRITE))
            continue;
        int64_t id = res_int(row, f->name);
        if (!id)
            continue;
        int64_t proc;
        int rc = res_lookup_int(x, f->ref, COL_PROC, id, f->name, &proc, err);
        if (rc < 0)
            return rc;
        if ((f->flags & FF_SAME_PROC) && proc != res_int(row, COL_PROC))
            return rerr_set(err, R_EUNPROC, "inconsistent", f->name, "%s不属于同一检察院", f->label);
    }
    return 0;
}

bool writes_column(const struct field *f)
{
    return !(f->flags & FF_SECRET) && (f->flags & (FF_WRITE | FF_DERIVED | FF_HIDDEN));
}
