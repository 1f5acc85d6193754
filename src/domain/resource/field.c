/*
 * field.c: the kinds of field, each with one table of operations (validate, bind,
 * encode, filter), and the columns every table has, described once.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/text.h"
#include "domain/resource/internal.h"

/* ------------------------------------------------------------------ base columns */

/*
 * The columns every table has (the scope columns: every table that is scoped). A
 * collection declares them as fields only where it gives them a rule of its own (the
 * scope columns: required, written, derived; "sample": written); otherwise this
 * description is the one that counts.
 *   echoed:  a body may carry the value back as it was read; it is ignored.
 *   audited: the audit keeps it in a record's before and after.
 */
static const struct base_column {
    struct field f;
    bool echoed, audited;
} base_columns[] = {
    {{"id", "编号", FT_INT, FF_SORT, 0, NULL, NULL, 0, 0}, true, true},
    {{"version", "版本号", FT_INT, 0, 0, NULL, NULL, 0, 0}, false, true},
    {RES_SAMPLE_FIELD, false, true},
    {{"created_at", "创建时间", FT_TEXT, 0, 0, NULL, NULL, 0, 0}, true, true},
    {{"updated_at", "修改时间", FT_TEXT, 0, 0, NULL, NULL, 0, 0}, true, true},
    {RES_DERIVED_PROC_FIELD, false, false},
    {RES_DERIVED_BRANCH_FIELD, false, false},
};
#define NBASE ((int)(sizeof base_columns / sizeof base_columns[0]))

static const struct base_column *base_of(const char *name)
{
    for (int i = 0; i < NBASE; i++)
        if (!strcmp(base_columns[i].f.name, name))
            return &base_columns[i];
    return NULL;
}

const struct field *res_base_column(int i)
{
    return i >= 0 && i < NBASE ? &base_columns[i].f : NULL;
}

bool base_echoed(const char *name)
{
    const struct base_column *b = base_of(name);
    return b && b->echoed;
}

bool base_audited(const char *name)
{
    const struct base_column *b = base_of(name);
    return b && b->audited;
}

const struct field *field_of(const struct resource *r, const char *name)
{
    for (int i = 0; i < r->nfields; i++)
        if (!strcmp(r->fields[i].name, name))
            return &r->fields[i];
    return NULL;
}

const struct field *res_column_of(const struct resource *r, const char *name)
{
    const struct field *f = field_of(r, name);
    if (f)
        return f;
    const struct base_column *b = base_of(name);
    return b ? &b->f : NULL;
}

const struct kind_ops *column_ops(const struct resource *r, const char *name)
{
    const struct field *f = res_column_of(r, name);
    if (f && (f->flags & FF_HIDDEN))
        return NULL;
    return f ? kind_ops_of(f->kind) : &untyped_ops;
}

bool word_in(const char *list, const char *w)
{
    if (!list || !*w)
        return false; /* "" is in no list (and would never advance the search below) */
    size_t n = strlen(w);
    for (const char *p = list; (p = strstr(p, w)); p += n) {
        bool start = p == list || p[-1] == ' ';
        bool end = p[n] == 0 || p[n] == ' ';
        if (start && end)
            return true;
    }
    return false;
}

int64_t res_int(json_t *row, const char *key)
{
    json_t *v = json_object_get(row, key);
    if (json_is_integer(v))
        return json_integer_value(v);
    if (json_is_true(v))
        return 1;
    return 0;
}

const char *res_str(json_t *row, const char *key)
{
    json_t *v = json_object_get(row, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* ------------------------------------------------------------------ validate */

static int validate_int(const struct field *f, json_t *v, struct rerr *err)
{
    if (!json_is_integer(v))
        return rerr_set(err, R_EINVAL, "invalid_type", f->name, "%s应为整数", f->label);
    if (f->min < f->max && (json_integer_value(v) < f->min || json_integer_value(v) > f->max))
        return rerr_set(err, R_EINVAL, "invalid_value", f->name, "%s应在 %" PRId64 " 到 %" PRId64 " 之间",
                        f->label, f->min, f->max);
    return 0;
}

static int validate_ref(const struct field *f, json_t *v, struct rerr *err)
{
    if (!json_is_integer(v))
        return rerr_set(err, R_EINVAL, "invalid_type", f->name, "%s应为整数", f->label);
    if (json_integer_value(v) <= 0)
        return rerr_set(err, R_EUNPROC, "invalid_reference", f->name, "%s不存在", f->label);
    return 0; /* that the row exists is check_refs()'s, inside the transaction */
}

static int validate_bool(const struct field *f, json_t *v, struct rerr *err)
{
    if (!json_is_boolean(v))
        return rerr_set(err, R_EINVAL, "invalid_type", f->name, "%s应为 true 或 false", f->label);
    return 0;
}

static int validate_json(const struct field *f, json_t *v, struct rerr *err)
{
    return 0; /* any JSON value; the collection's check hook says more */
}

static int validate_text(const struct field *f, json_t *v, struct rerr *err)
{
    if (!json_is_string(v))
        return rerr_set(err, R_EINVAL, "invalid_type", f->name, "%s应为文本", f->label);
    const char *s = json_string_value(v);
    if (strlen(s) != json_string_length(v) || !text_utf8_ok(s))
        return rerr_set(err, R_EINVAL, "invalid_value", f->name, "%s含有不允许的字符", f->label);
    if ((f->flags & FF_REQUIRED) && !*s)
        return rerr_set(err, R_EINVAL, "required", f->name, "%s不能为空", f->label);
    int max = f->max_len ? f->max_len : RES_DEFAULT_MAX_LEN;
    if ((int)text_utf8_len(s) > max)
        return rerr_set(err, R_EINVAL, "too_long", f->name, "%s不能超过 %d 个字", f->label, max);
    return 0;
}

/* A real calendar date; after today only where the field says so (FF_FUTURE). */
static int validate_date(const struct field *f, json_t *v, struct rerr *err)
{
    int rc = validate_text(f, v, err);
    const char *s = rc < 0 ? "" : json_string_value(v);
    if (rc < 0 || !*s)
        return rc;
    if (!text_date_ok(s))
        return rerr_set(err, R_EINVAL, "invalid_date", f->name, "%s不是有效日期（格式 YYYY-MM-DD）",
                        f->label);
    char today[11];
    text_today(today);
    if (!(f->flags & FF_FUTURE) && strcmp(s, today) > 0)
        return rerr_set(err, R_EINVAL, "invalid_date", f->name, "%s不能晚于今天", f->label);
    return 0;
}

static bool enum_has(const struct field *f, const char *s)
{
    for (const char *const *e = f->values; e && *e; e++)
        if (!strcmp(*e, s))
            return true;
    return false;
}

static int validate_enum(const struct field *f, json_t *v, struct rerr *err)
{
    int rc = validate_text(f, v, err);
    if (rc < 0)
        return rc;
    const char *s = json_string_value(v);
    if (!enum_has(f, s))
        return rerr_set(err, R_EINVAL, "invalid_value", f->name, "%s的取值“%s”无效", f->label, s);
    return 0;
}

/* ------------------------------------------------------------------ bind */

/* By the value's own JSON type: what a hook may have put in a derived column. */
static void bind_any(store_stmt *st, int idx, json_t *v)
{
    if (json_is_integer(v))
        store_bind_int(st, idx, json_integer_value(v));
    else if (json_is_boolean(v))
        store_bind_int(st, idx, json_is_true(v));
    else if (json_is_string(v))
        store_bind_text(st, idx, json_string_value(v));
    else if (json_is_real(v))
        store_bind_real(st, idx, json_real_value(v));
    else { /* an array or object, for a JSON column: stored as its text */
        char *text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
        store_bind_text(st, idx, text);
        free(text);
    }
}

static void bind_integer(store_stmt *st, int idx, json_t *v)
{
    if (json_is_integer(v) || json_is_boolean(v))
        store_bind_int(st, idx, json_is_integer(v) ? json_integer_value(v) : json_is_true(v));
    else
        bind_any(st, idx, v);
}

static void bind_string(store_stmt *st, int idx, json_t *v)
{
    if (json_is_string(v))
        store_bind_text(st, idx, json_string_value(v));
    else
        bind_any(st, idx, v);
}

void bind_field(store_stmt *st, int idx, const struct field *f, json_t *v)
{
    if (!v || json_is_null(v))
        store_bind_null(st, idx);
    else
        kind_ops_of(f->kind)->bind(st, idx, v);
}

/* ------------------------------------------------------------------ encode */

/* By the stored type: every kind's way for the types it does not expect. */
static json_t *json_by_type(store_stmt *st, int i)
{
    switch (store_col_type(st, i)) {
    case STORE_NULL:
        return json_null();
    case STORE_INT:
        return json_integer(store_col_int(st, i));
    case STORE_REAL:
        return json_real(store_col_real(st, i));
    default:
        return json_string(store_col_text(st, i));
    }
}

static void text_by_type(store_stmt *st, int i, struct jbuf *b)
{
    switch (store_col_type(st, i)) {
    case STORE_NULL:
        jbuf_lit(b, "null");
        break;
    case STORE_INT:
        jbuf_int(b, store_col_int(st, i));
        break;
    case STORE_REAL:
        jbuf_real(b, store_col_real(st, i));
        break;
    default:
        jbuf_str(b, store_col_text(st, i));
    }
}

static json_t *json_of_bool(store_stmt *st, int i)
{
    return store_col_type(st, i) == STORE_INT ? json_boolean(store_col_int(st, i)) : json_by_type(st, i);
}

static void text_of_bool(store_stmt *st, int i, struct jbuf *b)
{
    if (store_col_type(st, i) == STORE_INT)
        jbuf_lit(b, store_col_int(st, i) ? "true" : "false");
    else
        text_by_type(st, i, b);
}

static json_t *json_of_json(store_stmt *st, int i)
{
    json_t *v;
    /* stored by us as JSON; should it not parse, it is shown as the text it is */
    if (store_col_type(st, i) == STORE_TEXT && (v = json_loads(store_col_text(st, i), 0, NULL)))
        return v;
    return json_by_type(st, i);
}

/* ------------------------------------------------------------------ filter */

static int filter_eq_int(struct query *q, const struct field *f, int64_t v)
{
    query_where(q, arena_printf(q->a, "t.%s = ?", f->name));
    query_bind_int(q, v);
    return 0;
}

static int filter_int(struct query *q, const struct field *f, const char *val, struct rerr *err)
{
    int64_t iv;
    if (parse_int(val, &iv) < 0)
        return bad_query(err, f->name, "应为整数");
    return filter_eq_int(q, f, iv);
}

static int filter_bool(struct query *q, const struct field *f, const char *val, struct rerr *err)
{
    if (!strcmp(val, "true") || !strcmp(val, "1"))
        return filter_eq_int(q, f, 1);
    if (!strcmp(val, "false") || !strcmp(val, "0"))
        return filter_eq_int(q, f, 0);
    return bad_query(err, f->name, "应为 true 或 false");
}

static int filter_text(struct query *q, const struct field *f, const char *val, struct rerr *err)
{
    query_where(q, arena_printf(q->a, "t.%s = ?", f->name));
    query_bind_text(q, val);
    return 0;
}

static int filter_enum(struct query *q, const struct field *f, const char *val, struct rerr *err)
{
    if (!enum_has(f, val))
        return bad_query(err, f->name, "不是可选的值");
    return filter_text(q, f, val, err);
}

/* ------------------------------------------------------------------ the table */

static const struct kind_ops kinds[] = {
    [FT_INT] = {"int", validate_int, bind_integer, json_by_type, text_by_type, filter_int},
    [FT_TEXT] = {"text", validate_text, bind_string, json_by_type, text_by_type, filter_text},
    [FT_DATE] = {"date", validate_date, bind_string, json_by_type, text_by_type, filter_text},
    [FT_BOOL] = {"bool", validate_bool, bind_integer, json_of_bool, text_of_bool, filter_bool},
    [FT_ENUM] = {"enum", validate_enum, bind_string, json_by_type, text_by_type, filter_enum},
    [FT_REF] = {"ref", validate_ref, bind_integer, json_by_type, text_by_type, filter_int},
    [FT_JSON] = {"json", validate_json, bind_any, json_of_json, NULL, filter_text},
};

const struct kind_ops untyped_ops = {"", validate_json, bind_any, json_by_type, text_by_type, filter_text};

const struct kind_ops *kind_ops_of(enum field_kind k)
{
    /* A kind outside the enumeration is a descriptor we wrote wrong: the unit test over
     * res_all (res_check_descriptor) finds it before any request can. */
    CHECK((unsigned)k < sizeof kinds / sizeof kinds[0] && kinds[k].validate);
    return &kinds[k];
}

const char *res_kind_name(enum field_kind k)
{
    return kind_ops_of(k)->name;
}
