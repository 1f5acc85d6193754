/*
 * meta: the descriptors of resource.h as JSON for clients (see meta.h). Nothing here is
 * decided again: limits come from struct field as the kinds' checks apply them
 * (resource/field.c), the conditions of fields required only in some cases from
 * resource.required_if as the engine checks them (resource/validate.c), the permissions
 * from authz_collection() and the actions' may.
 */
#include "domain/meta.h"

#include <stdlib.h>
#include <string.h>

#include "domain/import.h"

/* The URL name of the collection stored in "table"; the table's own name if none is
 * served. */
static const char *collection_of_table(const char *table)
{
    for (int i = 0; res_all[i]; i++)
        if (!strcmp(res_all[i]->table, table))
            return res_all[i]->name;
    return table;
}

static void set_flag(json_t *o, const char *key, const struct field *f, unsigned flag)
{
    json_object_set_new(o, key, json_boolean(f->flags & flag));
}

/* A field required only in some cases (resource.required_if): "required": "create", or
 * "required_if": {"field": the other field, "value": its value, an integer for an int, a
 * boolean for a bool}. */
static void set_required_if(json_t *o, const struct resource *r, const struct field *f)
{
    const struct res_required *q = res_required_of(r, f->name);
    if (!q)
        return;
    if (!q->when) {
        json_object_set_new(o, "required", json_string("create"));
        return;
    }
    const struct field *w = res_column_of(r, q->when);
    json_t *v = w && w->kind == FT_INT    ? json_integer(strtoll(q->is, NULL, 10))
                : w && w->kind == FT_BOOL ? json_boolean(!strcmp(q->is, "true"))
                                          : json_string(q->is);
    json_object_set_new(o, "required_if", json_pack("{s:s, s:o}", "field", q->when, "value", v));
}

static json_t *field_json(const struct resource *r, const struct field *f)
{
    json_t *o =
        json_pack("{s:s, s:s, s:s}", "name", f->name, "label", f->label, "kind", res_kind_name(f->kind));
    if (!o)
        return NULL;
    set_flag(o, "required", f, FF_REQUIRED);
    set_required_if(o, r, f);
    set_flag(o, "write", f, FF_WRITE);
    set_flag(o, "notnull", f, FF_NOTNULL);
    set_flag(o, "filter", f, FF_FILTER);
    set_flag(o, "sort", f, FF_SORT);
    set_flag(o, "search", f, FF_SEARCH);
    if (f->flags & FF_SECRET) /* write-only: never in a record (a password) */
        json_object_set_new(o, "secret", json_true());
    set_flag(o, "future", f, FF_FUTURE);
    bool textual = f->kind == FT_TEXT || f->kind == FT_DATE;
    if (textual && (f->flags & FF_WRITE)) /* the default is the kinds' (RES_DEFAULT_MAX_LEN) */
        json_object_set_new(o, "max_len", json_integer(f->max_len ? f->max_len : RES_DEFAULT_MAX_LEN));
    if (f->kind == FT_INT && f->min < f->max) {
        json_object_set_new(o, "min", json_integer(f->min));
        json_object_set_new(o, "max", json_integer(f->max));
    }
    if (f->kind == FT_ENUM && f->values) {
        json_t *v = json_array();
        for (const char *const *e = f->values; *e; e++)
            json_array_append_new(v, json_string(*e));
        json_object_set_new(o, "values", v);
    }
    if (f->kind == FT_REF && f->ref)
        json_object_set_new(o, "ref", json_string(collection_of_table(f->ref)));
    return o;
}

json_t *meta_collection(const struct actor *who, const struct resource *r)
{
    struct authz_may may;
    authz_collection(who, r->read, r->write, r->export, &may);
    may.update = may.update && !r->immutable;
    /* A collection whose records are made by an action (a job queued) may be "created"
     * by whom the action says. */
    const struct res_action *make = res_action_find(r, NULL, "POST", NULL);
    if (make && make->may)
        may.create = make->may(who);
    json_t *fields = json_array();
    bool search = false; /* ?q= is taken: some field, maybe a hidden search key, matches it */
    for (int i = 0; i < r->nfields; i++) {
        const struct field *f = &r->fields[i];
        search = search || (f->flags & FF_SEARCH);
        if ((f->flags & FF_HIDDEN) || ((f->flags & FF_SECRET) && !(f->flags & FF_WRITE)))
            continue;
        json_array_append_new(fields, field_json(r, f));
    }
    /* importable: rows come in from a spreadsheet (domain/import.h) for those who may create */
    return json_pack("{s:s, s:s, s:s?, s:b, s:b, s:{s:b, s:b, s:b, s:b, s:b}, s:o}", "name", r->name, "label",
                     r->label, "default_sort", r->default_sort, "search", search, "importable",
                     import_supported(r), "may", "read", may.read, "create", may.create, "update", may.update,
                     "delete", may.del, "export", may.export, "fields", fields);
}

int meta_json(const struct actor *who, json_t **out, struct rerr *err)
{
    json_t *list = json_array();
    for (int i = 0; res_all[i]; i++) {
        json_t *c = meta_collection(who, res_all[i]);
        if (!c || json_array_append_new(list, c) < 0) {
            json_decref(list);
            return rerr_set(err, R_EINTERNAL, "internal", "", "无法生成应答");
        }
    }
    *out = json_pack("{s:o}", "collections", list);
    return *out ? 0 : rerr_set(err, R_EINTERNAL, "internal", "", "无法生成应答");
}
