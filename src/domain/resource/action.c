/*
 * action.c: actions that are not create/update/delete (struct res_action), and the
 * check that a collection is described consistently.
 */
#include <stdio.h>
#include <stdlib.h>
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

/* A rule of r->required_if: "field" a writable field that has no other rule and is not
 * FF_REQUIRED already; "when" another field, of a kind whose values it compares, "is" a
 * value that field accepts (in its enumeration, within its bounds, "true" or "false"). */
static int check_required_rule(const struct resource *r, const struct res_required *q, struct rerr *err)
{
    const struct field *f = field_of(r, q->field);
    if (!f || !(f->flags & FF_WRITE) || (f->flags & FF_REQUIRED) || !q->message)
        return fault(err, r, "按条件必填的字段须是可写、非必填的字段，并有提示");
    if (res_required_of(r, q->field) != q)
        return fault(err, r, "一个字段只能有一条按条件必填的规则");
    if (!q->when)
        return q->is ? fault(err, r, "仅新建时必填的规则没有条件值") : 0;
    const struct field *w = field_of(r, q->when);
    if (!w || w == f || !q->is ||
        (w->kind != FT_INT && w->kind != FT_ENUM && w->kind != FT_TEXT && w->kind != FT_BOOL))
        return fault(err, r, "必填条件须是同一集合中另一个整数、枚举、文本或布尔字段的取值");
    json_t *v = NULL;
    if (w->kind == FT_BOOL) {
        if (!strcmp(q->is, "true") || !strcmp(q->is, "false"))
            v = json_boolean(!strcmp(q->is, "true"));
    } else if (w->kind == FT_INT) {
        char *end;
        long long n = strtoll(q->is, &end, 10);
        if (*q->is && !*end)
            v = json_integer(n);
    } else {
        v = json_string(q->is);
    }
    struct rerr why = {0};
    int rc = v ? kind_ops_of(w->kind)->validate(w, v, &why) : -1;
    json_decref(v);
    return rc < 0 ? fault(err, r, "必填条件的取值不是该字段允许的值") : 0;
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
    for (const struct res_required *q = r->required_if; q && q->field; q++) {
        int rc = check_required_rule(r, q, err);
        if (rc < 0)
            return rc;
    }
    for (const char *k = r->import_key; k && *k;) {
        size_t n = strcspn(k, " ");
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)n, k);
        if (!res_column_of(r, name))
            return fault(err, r, "import_key 须由字段或数据范围列组成");
        k += n + (k[n] == ' ');
    }
    for (const struct dependent *d = r->deps; d && d->r; d++)
        if (!d->fk || !field_of(d->r, d->fk))
            return fault(err, r, "下级记录的外键不是其字段");
    for (const struct res_action *a = r->actions; a && a->method; a++) {
        if (!a->run == !a->file || a->status < 200 || a->status > 299)
            return fault(err, r, "操作须有且只有一个处理函数，成功状态为 2xx");
        if (a->file && a->body)
            return fault(err, r, "文件操作不接收请求内容");
        if (a->body_optional && !a->body)
            return fault(err, r, "可以省略的请求内容须是操作接收的请求内容");
    }
    return 0;
}
