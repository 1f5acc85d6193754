/*
 * encode.c: a row of a statement as a record, the one set of rules for both the tree
 * (row_to_json) and the text (row_to_text) forms: each column goes out as its field's
 * kind says (field.c), hidden ones not at all.
 */
#include "domain/resource/internal.h"

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

bool row_is_flat(const struct resource *r)
{
    if (r->expand)
        return false; /* nested data is added to the tree */
    for (int i = 0; i < r->nfields; i++)
        if (!(r->fields[i].flags & FF_HIDDEN) && !kind_ops_of(r->fields[i].kind)->to_text)
            return false;
    return true;
}

int row_to_text(const struct resource *r, store_stmt *st, struct jbuf *b, struct rerr *err)
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
        k->to_text(st, i, b);
    }
    jbuf_lit(b, "}");
    return 0;
}
