/*
 * action.c: actions that are not create/update/delete (struct res_action), and the
 * check that a collection is described consistently.
 */
#include <string.h>

#include "domain/resource/internal.h"

static bool same_name(const char *a, const char *b)
{
    return a && b ? !strcmp(a, b) : a == b;
}

const struct res_action *res_action_find(const struct resource *r, const char *name, const char *method,
                                         bool *other_method)
{
    if (other_method)
        *other_method = false;
    for (const struct res_action *a = r->actions; a && a->method; a++) {
        if (!same_name(a->name, name))
            continue;
        if (!strcmp(a->method, method))
            return a;
        if (other_method)
            *other_method = true;
    }
    return NULL;
}

static int fault(struct rerr *err, const struct resource *r, const char *what)
{
    return rerr_set(err, R_EINTERNAL, "descriptor", "", "集合 %s 的描述有误：%s", r->name, what);
}

int res_check_descriptor(const struct resource *r, struct rerr *err)
{
    if (!r->name || !r->table || !r->label || (!r->fields && r->nfields))
        return fault(err, r, "缺少名称、表名、标签或字段");
    for (int i = 0; i < r->nfields; i++) {
        const struct field *f = &r->fields[i];
        if (!f->name || !f->label || (unsigned)f->kind > FT_JSON)
            return fault(err, r, "字段缺少名称或标签，或类型未知");
        if ((f->kind == FT_ENUM) != (f->values != NULL))
            return fault(err, r, "只有枚举字段有可选值，且必须有");
        if ((f->kind == FT_REF) != (f->ref != NULL))
            return fault(err, r, "只有引用字段有被引用的表，且必须有");
        if ((f->flags & FF_FUTURE) && f->kind != FT_DATE)
            return fault(err, r, "FF_FUTURE 只用于日期字段");
        for (int j = 0; j < i; j++)
            if (!strcmp(r->fields[j].name, f->name))
                return fault(err, r, "字段名重复");
    }
    if (r->scope_from) {
        const struct field *f = field_of(r, r->scope_from);
        if (!f || f->kind != FT_REF)
            return fault(err, r, "scope_from 不是引用字段");
    }
    for (const struct dependent *d = r->deps; d && d->r; d++)
        if (!d->fk || !field_of(d->r, d->fk))
            return fault(err, r, "下级记录的外键不是其字段");
    for (const struct res_action *a = r->actions; a && a->method; a++) {
        if (!a->run == !a->file || a->status < 200 || a->status > 299)
            return fault(err, r, "操作须有且只有一个处理函数，成功状态为 2xx");
        if (a->file && a->body)
            return fault(err, r, "文件操作不接收请求内容");
    }
    return 0;
}
