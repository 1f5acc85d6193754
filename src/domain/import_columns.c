/*
 * import_columns.c: the column model of an import — which columns a collection takes
 * (from its descriptor), how a header names one, and how a cell becomes the JSON value
 * the API would take for the field. No validation here beyond what turning a cell into a
 * value needs: limits, enumerations and rules are the engine's (res_create_in), so an
 * import says exactly what the API says.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "domain/import.h"
#include "domain/import_internal.h"

bool import_supported(const struct resource *r)
{
    if (r->write == WRITE_NONE || r->prepare || r->immutable)
        return false;
    for (int i = 0; i < r->nfields; i++)
        if (import_field_taken(&r->fields[i]))
            return true;
    return false;
}

bool import_field_taken(const struct field *f)
{
    return (f->flags & FF_WRITE) && !(f->flags & (FF_SECRET | FF_DERIVED | FF_HIDDEN));
}

int import_columns(const struct resource *r, struct import_column *out)
{
    int n = 0;
    for (int i = 0; i < r->nfields && n < IMPORT_MAX_COLUMNS - 2; i++) {
        const struct field *f = &r->fields[i];
        if (!import_field_taken(f))
            continue;
        out[n++] = (struct import_column){f, IC_FIELD, f->label, (f->flags & FF_REQUIRED) != 0};
        if (f->kind == FT_REF && !strcmp(f->ref, "members")) {
            /* namesakes told apart by birth date or identity number */
            out[n++] = (struct import_column){f, IC_REF_BIRTH, import_helper_header(f, IC_REF_BIRTH), false};
            out[n++] =
                (struct import_column){f, IC_REF_IDCARD, import_helper_header(f, IC_REF_IDCARD), false};
        }
    }
    return n;
}

/* The helper columns' headers ("党员出生日期"), made once per field (the descriptors are
 * static) and kept for the life of the process; a lock, for the job worker and the
 * request threads making templates at once. */
const char *import_helper_header(const struct field *f, enum import_col_role role)
{
    static struct {
        const struct field *f;
        char birth[96], idcard[96];
    } made[32];
    static int nmade;
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    const char *out = role == IC_REF_BIRTH ? "出生日期" : "身份证号";
    pthread_mutex_lock(&lock);
    int i = 0;
    while (i < nmade && made[i].f != f)
        i++;
    if (i == nmade && nmade < (int)(sizeof made / sizeof made[0])) {
        made[i].f = f;
        snprintf(made[i].birth, sizeof made[i].birth, "%s出生日期", f->label);
        snprintf(made[i].idcard, sizeof made[i].idcard, "%s身份证号", f->label);
        nmade++;
    }
    if (i < nmade)
        out = role == IC_REF_BIRTH ? made[i].birth : made[i].idcard;
    pthread_mutex_unlock(&lock);
    return out;
}

/* Display labels the interface shows for stored codes (web/src/labels.js): a cell may
 * give either. */
static const struct {
    const char *value, *label;
} enum_labels[] = {
    {"zh", "中文"},           {"mn", "蒙古语"},         {"zh+mn", "蒙汉双语"},
    {"national", "国家级"},   {"regional", "自治区级"}, {"city", "市级"},
    {"county", "县（旗）级"}, {"month", "每月"},        {"quarter", "每季度"},
};

const char *import_enum_label(const char *v)
{
    for (size_t i = 0; i < sizeof enum_labels / sizeof enum_labels[0]; i++)
        if (!strcmp(enum_labels[i].value, v))
            return enum_labels[i].label;
    return NULL;
}

const char *import_ref_hint(const char *ref)
{
    if (!strcmp(ref, "procuratorates"))
        return "检察院全称或简称（也可填编号）";
    if (!strcmp(ref, "members"))
        return "党员姓名（也可填编号）；有同名党员时另填出生日期或身份证号列";
    if (!strcmp(ref, "cases"))
        return "案号（也可填编号）";
    if (!strcmp(ref, "requests"))
        return "受理编号（也可填编号）";
    const struct resource *t = res_of_table(ref);
    if (t && import_name_column(t))
        return "名称（也可填编号）";
    return "编号（系统中该记录的编号）";
}

const char *import_name_column(const struct resource *t)
{
    if (!strcmp(t->table, "cases"))
        return "case_no";
    if (!strcmp(t->table, "requests"))
        return "number";
    for (int i = 0; i < t->nfields; i++)
        if (!strcmp(t->fields[i].name, "name") && t->fields[i].kind == FT_TEXT)
            return "name";
    return NULL;
}

/* ------------------------------------------------------------------ headers */

static bool header_is(const char *h, size_t n, const char *name)
{
    return name && strlen(name) == n && !memcmp(h, name, n);
}

int import_match_header(const struct import_column *cols, int ncols, const char *text, size_t len)
{
    const char *h;
    size_t n;
    text_trim(text, len, &h, &n);
    /* a required mark the template or a user added */
    if (n >= 1 && h[n - 1] == '*')
        n--;
    else if (n >= 3 && !memcmp(h + n - 3, "＊", 3))
        n -= 3;
    else if (n >= 12 && !memcmp(h + n - 12, "（必填）", 12))
        n -= 12;
    const char *h2;
    size_t n2;
    text_trim(h, n, &h2, &n2);
    for (int i = 0; i < ncols; i++) {
        if (header_is(h2, n2, cols[i].header))
            return i;
        if (cols[i].role == IC_FIELD && header_is(h2, n2, cols[i].f->name))
            return i;
    }
    return -1;
}

/* ------------------------------------------------------------------ cells */

static bool same_ci(const char *a, size_t n, const char *b)
{
    return strlen(b) == n && !strncasecmp(a, b, n);
}

static int bad(char *msg, size_t cap, const char *fmt, const char *label)
{
    snprintf(msg, cap, fmt, label);
    return -1;
}

/* A whole number written in "s" (optional sign, digits, an optional ".0…"): 0 with *v. */
static int parse_whole(const char *s, size_t n, long long *v)
{
    if (!n || n > 30)
        return -1;
    char buf[32];
    memcpy(buf, s, n);
    buf[n] = 0;
    char *end;
    double d = strtod(buf, &end);
    if (*end || end == buf || !isfinite(d) || d != floor(d) || fabs(d) > 9007199254740991.0)
        return -1;
    for (const char *p = buf; *p; p++)
        if (*p == 'e' || *p == 'E' || *p == 'x' || *p == 'X' || *p == 'n' || *p == 'N' || *p == 'i' ||
            *p == 'I')
            return -1;
    *v = (long long)d;
    return 0;
}

int import_cell_value(const struct field *f, const struct sheet_cell *c, json_t **out, char *msg, size_t cap)
{
    *out = NULL;
    const char *s;
    size_t n;
    text_trim(c->text ? c->text : "", c->text ? c->len : 0, &s, &n);
    if (c->type == SC_EMPTY || (n == 0 && c->type != SC_NUMBER))
        return 0; /* not given */
    if (c->type == SC_ERROR)
        return bad(msg, cap, "%s的单元格是错误值（公式出错），请改为实际的值", f->label);
    switch (f->kind) {
    case FT_TEXT:
    case FT_ENUM: {
        if (c->type == SC_BOOL) {
            *out = json_string(c->num ? "是" : "否");
            return 0;
        }
        if (f->kind == FT_ENUM) {
            /* an enumeration given by the label the interface shows */
            for (size_t i = 0; i < sizeof enum_labels / sizeof enum_labels[0]; i++)
                if (header_is(s, n, enum_labels[i].label))
                    for (const char *const *v = f->values; *v; v++)
                        if (!strcmp(*v, enum_labels[i].value)) {
                            *out = json_string(*v);
                            return 0;
                        }
        }
        /* as given (a NUL or bad UTF-8 inside is the engine's to refuse, as the API's) */
        *out = json_stringn_nocheck(s, n);
        return 0;
    }
    case FT_DATE: {
        char d[20];
        if (c->type == SC_DATE && c->len >= 10) {
            *out = json_stringn(c->text, 10);
            return 0;
        }
        if (sheet_date_parse(s, n, d) == 0) {
            *out = json_string(d);
            return 0;
        }
        /* a serial number in a cell not formatted as a date */
        if (c->type == SC_NUMBER && c->num >= 1 && c->num < 2958466 && c->num == floor(c->num) &&
            sheet_date_from_serial(c->num, false, d) == 0) {
            d[10] = 0;
            *out = json_string(d);
            return 0;
        }
        snprintf(msg, cap, "%s“%.*s”不是有效日期（可写作 2024-03-01、2024/3/1 或 2024年3月1日）", f->label,
                 (int)(n > 60 ? 60 : n), s);
        return -1;
    }
    case FT_INT:
    case FT_REF: {
        long long v;
        if (c->type == SC_NUMBER || c->type == SC_DATE ? (c->num == floor(c->num) && fabs(c->num) < 9e15)
                                                       : false) {
            *out = json_integer((json_int_t)c->num);
            return 0;
        }
        if (parse_whole(s, n, &v) == 0) {
            *out = json_integer(v);
            return 0;
        }
        if (f->kind == FT_REF) {
            /* a name: resolved by the caller */
            *out = json_stringn_nocheck(s, n);
            return 1;
        }
        /* the engine's message for a value that is not a whole number */
        *out = json_stringn_nocheck(s, n);
        return 0;
    }
    case FT_BOOL: {
        if (c->type == SC_BOOL || c->type == SC_NUMBER) {
            if (c->num == 0 || c->num == 1) {
                *out = json_boolean(c->num != 0);
                return 0;
            }
        } else if (same_ci(s, n, "是") || same_ci(s, n, "true") || same_ci(s, n, "1") || same_ci(s, n, "y") ||
                   same_ci(s, n, "yes") || same_ci(s, n, "√")) {
            *out = json_true();
            return 0;
        } else if (same_ci(s, n, "否") || same_ci(s, n, "false") || same_ci(s, n, "0") ||
                   same_ci(s, n, "n") || same_ci(s, n, "no") || same_ci(s, n, "×")) {
            *out = json_false();
            return 0;
        }
        return bad(msg, cap, "%s应填“是”或“否”", f->label);
    }
    case FT_JSON: {
        json_error_t je;
        json_t *v = json_loadb(s, n, JSON_DECODE_ANY, &je);
        if (!v)
            return bad(msg, cap, "%s应为 JSON（如 [1, 2]）", f->label);
        *out = v;
        return 0;
    }
    }
    return bad(msg, cap, "%s：不支持的字段类型", f->label);
}
