/*
 * encode.c: a row of a statement as a record, the one set of rules for both the tree
 * (row_to_json) and the text (row_to_text) forms: each column goes out as its field's
 * kind says (field.c), hidden ones not at all.
 */
#include <string.h>

#include "domain/resource/internal.h"

#include "base/idcard.h"

json_t *row_to_json(const struct resource *r, store_stmt *st)
{
    json_t *o = json_object();
    int n = store_col_count(st);
    for (int i = 0; i < n; i++) {
        const struct kind_ops *k = column_ops(r, store_col_name(st, i));
        if (k)
            json_object_set_new(o, store_col_name(st, i), k->to_json(st, i));
    }
    return o;
}

void row_plan(const struct resource *r, store_stmt *st, arena *a, struct row_plan *out)
{
    out->n = store_col_count(st);
    out->ops = arena_alloc(a, (size_t)(out->n ? out->n : 1) * sizeof *out->ops);
    out->names = arena_alloc(a, (size_t)(out->n ? out->n : 1) * sizeof *out->names);
    for (int i = 0; i < out->n; i++) {
        out->names[i] = arena_strdup(a, store_col_name(st, i));
        out->ops[i] = column_ops(r, out->names[i]);
    }
}

json_t *row_to_json_planned(const struct row_plan *p, store_stmt *st)
{
    json_t *o = json_object();
    for (int i = 0; i < p->n; i++)
        if (p->ops[i])
            json_object_set_new_nocheck(o, p->names[i], p->ops[i]->to_json(st, i));
    return o;
}

bool row_is_flat(const struct resource *r)
{
    if (r->expand)
        return false; /* nested data is added to the tree */
    for (int i = 0; i < r->nfields; i++)
        if (!(r->fields[i].flags & FF_HIDDEN) && !kind_ops_of(r->fields[i].kind)->to_text)
            return false;
    return true;
}

/* A masked value into "out": an identity number as idcard_mask() shows it; a text that is
 * not ASCII (a person's name) keeps its first character, each other one becomes '*'. */
static void mask_value(const char *v, char out[41])
{
    bool ascii = true;
    for (const char *p = v; *p; p++)
        ascii = ascii && !((unsigned char)*p & 0x80);
    if (ascii) {
        idcard_mask(v, out);
        return;
    }
    size_t n = 1;
    while (v[n] && ((unsigned char)v[n] & 0xC0) == 0x80)
        n++;
    if (n > 4)
        n = 4;
    memcpy(out, v, n);
    for (const char *p = v + n; *p && n < 40; p++)
        if (((unsigned char)*p & 0xC0) != 0x80)
            out[n++] = '*';
    out[n] = 0;
}

void mask_record(struct res_ctx *x, const struct resource *r, json_t *rec)
{
    if (!rec || (x && authz_reveal_personal(x->who)))
        return;
    for (int i = 0; i < r->nfields; i++) {
        const char *v = (r->fields[i].flags & FF_MASKED) ? res_str(rec, r->fields[i].name) : NULL;
        if (v) {
            char m[41];
            mask_value(v, m);
            json_object_set_new(rec, r->fields[i].name, json_string(m));
        }
    }
}

/* Whether column "i" is an FF_MASKED field holding text, to be written masked. */
static bool masked_col(const struct resource *r, store_stmt *st, int i)
{
    const struct field *f = field_of(r, store_col_name(st, i));
    return f && (f->flags & FF_MASKED) && store_col_type(st, i) == STORE_TEXT;
}

int row_to_text(const struct resource *r, store_stmt *st, bool reveal, struct jbuf *b, struct rerr *err)
{
    jbuf_lit(b, "{");
    bool first = true;
    int n = store_col_count(st);
    for (int i = 0; i < n; i++) {
        const char *name = store_col_name(st, i);
        const struct kind_ops *k = column_ops(r, name);
        if (!k)
            continue;
        if (!k->to_text) /* row_is_flat() sends such collections through the tree */
            return rerr_set(err, R_EINTERNAL, "internal", "", "列 %s 不能直接写成文本", name);
        if (!first)
            jbuf_lit(b, ",");
        first = false;
        jbuf_str(b, name);
        jbuf_lit(b, ":");
        if (!reveal && masked_col(r, st, i)) {
            char m[41];
            mask_value(store_col_text(st, i), m);
            jbuf_str(b, m);
        } else
            k->to_text(st, i, b);
    }
    jbuf_lit(b, "}");
    return 0;
}
