/*
 * resource.c: the generic read and write path (see resource.h).
 *
 * SQL here is assembled only from names in the resource descriptions, never from
 * input; every value is bound. Assembled statements are interned so that the store's
 * per-connection statement cache can reuse them across requests.
 */
#include "domain/resource.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/audit.h"
#include "base/jbuf.h"
#include "base/log.h"
#include "base/text.h"

#define MAX_PER_PAGE 500
#define DEFAULT_PER_PAGE 50

/* ------------------------------------------------------------------ SQL interning */

#define INTERN_SLOTS 4096
static pthread_mutex_t intern_lock = PTHREAD_MUTEX_INITIALIZER;
static const char *interned[INTERN_SLOTS];

/* Return a process-lifetime copy of "sql", the same pointer for the same text. */
static const char *sql_intern(const char *sql)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *p = sql; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    pthread_mutex_lock(&intern_lock);
    for (size_t i = 0; i < INTERN_SLOTS; i++) {
        size_t k = (h + i) % INTERN_SLOTS;
        if (!interned[k]) {
            char *copy = strdup(sql);
            if (!copy)
                die("内存不足");
            interned[k] = copy;
            pthread_mutex_unlock(&intern_lock);
            return copy;
        }
        if (!strcmp(interned[k], sql)) {
            pthread_mutex_unlock(&intern_lock);
            return interned[k];
        }
    }
    pthread_mutex_unlock(&intern_lock);
    return NULL; /* table full: the caller prepares it uncached */
}

static store_stmt *prepare_built(store_conn *c, const char *sql)
{
    const char *s = sql_intern(sql);
    return s ? store_prepare(c, s) : store_prepare_dynamic(c, sql);
}

/* ------------------------------------------------------------------ small helpers */

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

static const struct field *field_of(const struct resource *r, const char *name)
{
    for (int i = 0; i < r->nfields; i++)
        if (!strcmp(r->fields[i].name, name))
            return &r->fields[i];
    return NULL;
}

static bool word_in(const char *list, const char *w)
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

static void bind_json(store_stmt *st, int idx, json_t *v)
{
    if (!v || json_is_null(v))
        store_bind_null(st, idx);
    else if (json_is_integer(v))
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

/* How column "i" of the current row goes out in a record: the one set of rules for both
 * the tree (row_to_json) and the text (row_to_text) forms. */
enum col_out { OUT_SKIP, OUT_NULL, OUT_BOOL, OUT_INT, OUT_REAL, OUT_JSON, OUT_TEXT };

static enum col_out col_out(const struct resource *r, store_stmt *st, int i)
{
    const char *name = store_col_name(st, i);
    const struct field *f = field_of(r, name);
    if (f && (f->flags & FF_HIDDEN))
        return OUT_SKIP;
    switch (store_col_type(st, i)) {
    case STORE_NULL:
        return OUT_NULL;
    case STORE_INT:
        return (f && f->kind == FT_BOOL) || !strcmp(name, "sample") ? OUT_BOOL : OUT_INT;
    case STORE_REAL:
        return OUT_REAL;
    default:
        return f && f->kind == FT_JSON ? OUT_JSON : OUT_TEXT;
    }
}

/* The current row of "st" as a record of "r". */
static json_t *row_to_json(const struct resource *r, store_stmt *st)
{
    json_t *o = json_object();
    int n = store_col_count(st);
    for (int i = 0; i < n; i++) {
        json_t *v;
        switch (col_out(r, st, i)) {
        case OUT_SKIP:
            continue;
        case OUT_NULL:
            v = json_null();
            break;
        case OUT_BOOL:
            v = json_boolean(store_col_int(st, i));
            break;
        case OUT_INT:
            v = json_integer(store_col_int(st, i));
            break;
        case OUT_REAL:
            v = json_real(store_col_real(st, i));
            break;
        case OUT_JSON:
            /* stored by us as JSON; should it not parse, it is shown as the text it is */
            if ((v = json_loads(store_col_text(st, i), 0, NULL)))
                break;
            /* fall through */
        default:
            v = json_string(store_col_text(st, i));
        }
        json_object_set_new(o, store_col_name(st, i), v);
    }
    return o;
}

/* ------------------------------------------------------------------ list queries */

struct bindv {
    bool is_text;
    int64_t i;
    const char *s;
};

struct query {
    arena *a;
    char *where; /* " AND ..." clauses */
    int nb, cap; /* bound values, in the arena: bounded by the request's parameters */
    struct bindv *b;
};

void query_where(struct query *q, const char *clause)
{
    q->where = arena_printf(q->a, "%s AND (%s)", q->where, clause);
}

static struct bindv *query_bind_slot(struct query *q)
{
    if (q->nb == q->cap) {
        int cap = q->cap ? q->cap * 2 : 16;
        struct bindv *grown = arena_alloc(q->a, (size_t)cap * sizeof *grown);
        if (q->nb)
            memcpy(grown, q->b, (size_t)q->nb * sizeof *grown);
        q->b = grown;
        q->cap = cap;
    }
    return &q->b[q->nb++];
}

void query_bind_int(struct query *q, int64_t v)
{
    *query_bind_slot(q) = (struct bindv){.is_text = false, .i = v};
}

void query_bind_text(struct query *q, const char *v)
{
    *query_bind_slot(q) = (struct bindv){.is_text = true, .s = v};
}

static void query_bind_all(const struct query *q, store_stmt *st, int first)
{
    for (int i = 0; i < q->nb; i++) {
        if (q->b[i].is_text)
            store_bind_text(st, first + i, q->b[i].s);
        else
            store_bind_int(st, first + i, q->b[i].i);
    }
}

static int parse_int(const char *s, int64_t *out)
{
    if (!*s)
        return -1;
    errno = 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

static int bad_query(struct rerr *err, const char *key, const char *what)
{
    return rerr_set(err, R_EINVAL, "bad_query", key, "查询参数 %s 无效：%s", key, what);
}

static int add_filter(struct query *q, const struct field *f, const char *val, struct rerr *err)
{
    int64_t iv;
    switch (f->kind) {
    case FT_INT:
    case FT_REF:
        if (parse_int(val, &iv) < 0)
            return bad_query(err, f->name, "应为整数");
        query_where(q, arena_printf(q->a, "t.%s = ?", f->name));
        query_bind_int(q, iv);
        return 0;
    case FT_BOOL:
        if (!strcmp(val, "true") || !strcmp(val, "1"))
            iv = 1;
        else if (!strcmp(val, "false") || !strcmp(val, "0"))
            iv = 0;
        else
            return bad_query(err, f->name, "应为 true 或 false");
        query_where(q, arena_printf(q->a, "t.%s = ?", f->name));
        query_bind_int(q, iv);
        return 0;
    case FT_ENUM: {
        bool ok = false;
        for (const char *const *v = f->values; *v; v++)
            ok |= !strcmp(*v, val);
        if (!ok)
            return bad_query(err, f->name, "不是可选的值");
    }
        /* fall through */
    default:
        query_where(q, arena_printf(q->a, "t.%s = ?", f->name));
        query_bind_text(q, val);
        return 0;
    }
}

/* A list request, checked and turned into SQL. */
struct list_plan {
    struct query q;
    int64_t page, per_page;
    const char *count_sql, *page_sql;
};

static int list_plan(struct res_ctx *x, const struct resource *r, const struct res_query *qp,
                     struct list_plan *lp, struct rerr *err)
{
    int rc = authz_read_collection(x->who, r->read, err);
    if (rc < 0)
        return rc;
    struct query *q = &lp->q;
    *q = (struct query){.a = x->a, .where = ""};
    lp->page = 1;
    lp->per_page = DEFAULT_PER_PAGE;
    const char *sort = r->default_sort ? r->default_sort : "id";
    bool group = r->by_procuratorate; /* unless the client names its own order */
    int64_t proc;
    if (authz_read_narrowed(x->who, r->read, &proc)) {
        query_where(q, "t.procuratorate_id = ?");
        query_bind_int(q, proc);
    }
    for (int i = 0; i < qp->n; i++) {
        const char *k = qp->key[i], *v = qp->val[i];
        if (!text_utf8_ok(k))
            return rerr_set(err, R_EINVAL, "bad_query", "", "查询参数名含有不允许的字符");
        for (int j = 0; j < i; j++)
            if (!strcmp(qp->key[j], k))
                return rerr_set(err, R_EINVAL, "duplicate_param", k,
                                "查询参数 %s 重复出现（每个参数只能给一次）", k);
        if (!*v)
            continue; /* an empty filter is no filter */
        if (!strcmp(k, "page")) {
            if (parse_int(v, &lp->page) < 0 || lp->page < 1 || lp->page > 1000000)
                return bad_query(err, k, "应为正整数");
        } else if (!strcmp(k, "per_page")) {
            if (parse_int(v, &lp->per_page) < 0 || lp->per_page < 1 || lp->per_page > MAX_PER_PAGE)
                return bad_query(err, k, "应为 1 到 500 之间的整数");
        } else if (!strcmp(k, "sort")) {
            const struct field *f = field_of(r, v[0] == '-' ? v + 1 : v);
            bool ok = f && (f->flags & FF_SORT);
            ok |= !strcmp(v[0] == '-' ? v + 1 : v, "id");
            if (!ok)
                return bad_query(err, k, "不能按此字段排序");
            sort = v;
            group = false;
        } else if (!strcmp(k, "q")) {
            /* Search keys (hidden, stored folded) are matched with the folded query;
             * visible text as it is written, with the query only trimmed. */
            int nsearch = 0;
            char *clause = "";
            /* In characters, as every text limit: a name at its limit in four-byte
             * characters can be searched for whole. */
            if (strlen(v) > 4 * 200 || text_utf8_len(v) > 200)
                return bad_query(err, k, "搜索词过长（最多 200 个字）");
            char *folded = text_fold(x->a, v);
            char *trimmed = arena_strdup(x->a, v + strspn(v, " \t"));
            for (size_t e = strlen(trimmed); e > 0 && (trimmed[e - 1] == ' ' || trimmed[e - 1] == '\t'); e--)
                trimmed[e - 1] = 0;
            if (!folded || !text_utf8_ok(v))
                return bad_query(err, k, "搜索词无效");
            for (int j = 0; j < r->nfields; j++) {
                const struct field *f = &r->fields[j];
                if (!(f->flags & FF_SEARCH))
                    continue;
                clause = arena_printf(x->a, "%s%sinstr(t.%s, ?) > 0", clause, nsearch ? " OR " : "", f->name);
                nsearch++;
            }
            if (!nsearch)
                return bad_query(err, k, "此列表不支持搜索");
            query_where(q, clause);
            for (int j = 0; j < r->nfields; j++)
                if (r->fields[j].flags & FF_SEARCH)
                    query_bind_text(q, (r->fields[j].flags & FF_HIDDEN) ? folded : trimmed);
        } else {
            const struct field *f = field_of(r, k);
            if (f && (f->flags & FF_FILTER)) {
                if ((rc = add_filter(q, f, v, err)) < 0)
                    return rc;
            } else {
                rc = r->filter ? r->filter(x, k, v, q, err) : 0;
                if (rc < 0)
                    return rc;
                if (rc == 0)
                    return bad_query(err, k, "未知的查询参数");
            }
        }
    }
    const char *col = sort[0] == '-' ? sort + 1 : sort;
    const char *dir = sort[0] == '-' ? "DESC" : "ASC";
    const struct field *sf = field_of(r, col);
    /* Text sorts in pinyin order, the order a Chinese reader expects. */
    const char *collate = sf && (sf->kind == FT_TEXT || sf->kind == FT_ENUM) ? " COLLATE zh" : "";
    lp->count_sql = arena_printf(x->a, "SELECT count(*) FROM %s t WHERE 1=1%s", r->table, q->where);
    const char *by_proc = group ? "(SELECT p.level FROM procuratorates p WHERE p.id = t.procuratorate_id),"
                                  " (SELECT p.sort FROM procuratorates p WHERE p.id = t.procuratorate_id),"
                                  " t.procuratorate_id, "
                                : "";
    lp->page_sql = arena_printf(
        x->a, "SELECT t.*%s%s FROM %s t WHERE 1=1%s ORDER BY %st.%s%s %s, t.id LIMIT ? OFFSET ?",
        r->extras ? ", " : "", r->extras ? r->extras : "", r->table, q->where, by_proc, col, collate, dir);
    return 0;
}

/* Open a read transaction, count, and prepare the page: *st is ready to step. */
static int list_start(struct res_ctx *x, struct list_plan *lp, int64_t *total, store_stmt **st,
                      struct rerr *err)
{
    int rc = store_begin_read(x->c, err);
    if (rc < 0)
        return rc;
    store_stmt *cs = prepare_built(x->c, lp->count_sql);
    query_bind_all(&lp->q, cs, 1);
    rc = store_step(cs, err);
    *total = rc == STORE_ROW ? store_col_int(cs, 0) : 0;
    store_done(cs);
    if (rc < 0) {
        store_rollback(x->c);
        return rc;
    }
    *st = prepare_built(x->c, lp->page_sql);
    query_bind_all(&lp->q, *st, 1);
    store_bind_int(*st, lp->q.nb + 1, lp->per_page);
    store_bind_int(*st, lp->q.nb + 2, (lp->page - 1) * lp->per_page);
    return 0;
}

int res_list(struct res_ctx *x, const struct resource *r, const struct res_query *qp, json_t **out,
             struct rerr *err)
{
    struct list_plan lp;
    int64_t total;
    store_stmt *st;
    int rc = list_plan(x, r, qp, &lp, err);
    if (rc < 0 || (rc = list_start(x, &lp, &total, &st, err)) < 0)
        return rc;
    json_t *items = json_array();
    while ((rc = store_step(st, err)) == STORE_ROW)
        json_array_append_new(items, row_to_json(r, st));
    store_done(st);
    if (rc == 0 && r->expand) {
        size_t i;
        json_t *it;
        json_array_foreach(items, i, it)
        {
            if ((rc = r->expand(x, it, err)) < 0)
                break;
        }
    }
    store_rollback(x->c);
    if (rc < 0) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)total, "page",
                     (json_int_t)lp.page, "per_page", (json_int_t)lp.per_page);
    return 0;
}

/* Whether a list of "r" can be written straight from the rows (no nested data, no JSON
 * columns to re-check). */
static bool flat(const struct resource *r)
{
    if (r->expand)
        return false;
    for (int i = 0; i < r->nfields; i++)
        if (r->fields[i].kind == FT_JSON)
            return false;
    return true;
}

/* The current row as JSON text: the same object row_to_json() builds, written directly. */
static void row_to_text(const struct resource *r, store_stmt *st, struct jbuf *b)
{
    jbuf_lit(b, "{");
    bool first = true;
    int n = store_col_count(st);
    for (int i = 0; i < n; i++) {
        enum col_out how = col_out(r, st, i);
        if (how == OUT_SKIP)
            continue;
        CHECK(how != OUT_JSON); /* flat() sends such collections through the tree */
        if (!first)
            jbuf_lit(b, ",");
        first = false;
        jbuf_str(b, store_col_name(st, i));
        jbuf_lit(b, ":");
        switch (how) {
        case OUT_NULL:
            jbuf_lit(b, "null");
            break;
        case OUT_BOOL:
            jbuf_lit(b, store_col_int(st, i) ? "true" : "false");
            break;
        case OUT_INT:
            jbuf_int(b, store_col_int(st, i));
            break;
        case OUT_REAL:
            jbuf_real(b, store_col_real(st, i));
            break;
        default:
            jbuf_str(b, store_col_text(st, i));
        }
    }
    jbuf_lit(b, "}");
}

int res_list_text(struct res_ctx *x, const struct resource *r, const struct res_query *qp, char **out,
                  size_t *len, struct rerr *err)
{
    if (!flat(r)) {
        json_t *j;
        int rc = res_list(x, r, qp, &j, err);
        if (rc < 0)
            return rc;
        *out = json_dumps(j, JSON_COMPACT);
        json_decref(j);
        if (!*out)
            return rerr_set(err, R_EINTERNAL, "internal", "", "无法生成列表应答");
        *len = strlen(*out);
        return 0;
    }
    struct list_plan lp;
    int64_t total;
    store_stmt *st;
    int rc = list_plan(x, r, qp, &lp, err);
    if (rc < 0 || (rc = list_start(x, &lp, &total, &st, err)) < 0)
        return rc;
    struct jbuf b = {0};
    jbuf_lit(&b, "{\"items\":[");
    bool first = true;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        if (!first)
            jbuf_lit(&b, ",");
        first = false;
        row_to_text(r, st, &b);
    }
    store_done(st);
    store_rollback(x->c);
    if (rc < 0) {
        jbuf_free(&b);
        return rc;
    }
    jbuf_lit(&b, "],\"total\":");
    jbuf_int(&b, total);
    jbuf_lit(&b, ",\"page\":");
    jbuf_int(&b, lp.page);
    jbuf_lit(&b, ",\"per_page\":");
    jbuf_int(&b, lp.per_page);
    jbuf_lit(&b, "}");
    *out = jbuf_take(&b, len);
    return 0;
}

/* ------------------------------------------------------------------ single records */

/* Load record "id" of "r" inside the caller's transaction; no authorisation. */
static int load(struct res_ctx *x, const struct resource *r, int64_t id, json_t **out, struct rerr *err)
{
    char *sql = arena_printf(x->a, "SELECT t.*%s%s FROM %s t WHERE t.id = ?", r->extras ? ", " : "",
                             r->extras ? r->extras : "", r->table);
    store_stmt *st = prepare_built(x->c, sql);
    store_bind_int(st, 1, id);
    int rc = store_step(st, err);
    if (rc == STORE_ROW)
        *out = row_to_json(r, st);
    store_done(st);
    if (rc < 0)
        return rc;
    if (rc == STORE_DONE)
        return rerr_set(err, R_ENOTFOUND, "not_found", "", "%s不存在（编号 %" PRId64 "）", r->label, id);
    if (r->expand && (rc = r->expand(x, *out, err)) < 0) {
        json_decref(*out);
        return rc;
    }
    return 0;
}

static struct row_scope scope_of(json_t *rec)
{
    return (struct row_scope){.procuratorate_id = res_int(rec, "procuratorate_id"),
                              .branch_id = res_int(rec, "branch_id")};
}

/* May the actor read this one record? Not found rather than forbidden for rows out of
 * scope, so that ids of other procuratorates' data are not confirmed. */
static int may_read(struct res_ctx *x, const struct resource *r, json_t *rec, struct rerr *err)
{
    int64_t proc;
    if (authz_read_narrowed(x->who, r->read, &proc) && res_int(rec, "procuratorate_id") != proc)
        return rerr_set(err, R_ENOTFOUND, "not_found", "", "%s不存在或无权查看", r->label);
    return 0;
}

int res_get(struct res_ctx *x, const struct resource *r, int64_t id, json_t **out, struct rerr *err)
{
    int rc = authz_read_collection(x->who, r->read, err);
    if (rc < 0 || (rc = store_begin_read(x->c, err)) < 0)
        return rc;
    rc = load(x, r, id, out, err);
    store_rollback(x->c);
    if (rc < 0)
        return rc;
    if ((rc = may_read(x, r, *out, err)) < 0) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

/* A record's history is read from the audit: only those who may read the audit (the
 * administrators and the leadership) see it, and a county user only the history of
 * records of their own procuratorate, as with the audit itself. Others get what they
 * would for a record that does not exist. */
int res_history(struct res_ctx *x, const struct resource *r, int64_t id, json_t **out, struct rerr *err)
{
    const struct resource *audit = res_find("audit");
    CHECK(audit);
    json_t *rec;
    int rc = res_get(x, r, id, &rec, err);
    if (rc < 0)
        return rc;
    int64_t proc = 0;
    bool narrowed = authz_read_narrowed(x->who, audit->read, &proc);
    bool allowed = authz_read_collection(x->who, audit->read, NULL) == 0 &&
                   (!narrowed || res_int(rec, "procuratorate_id") == proc);
    json_decref(rec);
    if (!allowed)
        return rerr_set(err, R_ENOTFOUND, "not_found", "", "没有可查看的修改记录");
    if ((rc = store_begin_read(x->c, err)) < 0)
        return rc;
    /* Narrowed: only the entries written while the record was in the reader's scope. */
    store_stmt *st = store_prepare(x->c, "SELECT t.* FROM audit t WHERE t.entity = ? AND t.entity_id = ?"
                                         " AND (? = 0 OR t.procuratorate_id = ?)"
                                         " ORDER BY t.id DESC LIMIT 500");
    store_bind_text(st, 1, r->name);
    store_bind_int(st, 2, id);
    store_bind_int(st, 3, narrowed ? proc : 0);
    store_bind_int(st, 4, proc);
    json_t *items = json_array();
    while ((rc = store_step(st, err)) == STORE_ROW)
        json_array_append_new(items, row_to_json(audit, st));
    store_done(st);
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        if (rc == 0 && audit->expand)
            rc = audit->expand(x, it, err);
    }
    store_rollback(x->c);
    if (rc < 0) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)json_array_size(items));
    return *out ? 0 : rerr_set(err, R_EINTERNAL, "internal", "", "无法生成应答");
}

/* ------------------------------------------------------------------ validation */

static int check_value(const struct resource *r, const struct field *f, json_t *v, struct rerr *err)
{
    (void)r;
    if (json_is_null(v)) {
        if (f->flags & (FF_REQUIRED | FF_NOTNULL))
            return rerr_set(err, R_EINVAL, "required", f->name, "%s不能为空", f->label);
        return 0;
    }
    switch (f->kind) {
    case FT_INT:
    case FT_REF:
        if (!json_is_integer(v))
            return rerr_set(err, R_EINVAL, "invalid_type", f->name, "%s应为整数", f->label);
        if (f->kind == FT_INT && f->min < f->max &&
            (json_integer_value(v) < f->min || json_integer_value(v) > f->max))
            return rerr_set(err, R_EINVAL, "invalid_value", f->name, "%s应在 %" PRId64 " 到 %" PRId64 " 之间",
                            f->label, f->min, f->max);
        if (f->kind == FT_REF && json_integer_value(v) <= 0)
            return rerr_set(err, R_EUNPROC, "invalid_reference", f->name, "%s不存在", f->label);
        return 0;
    case FT_BOOL:
        if (!json_is_boolean(v))
            return rerr_set(err, R_EINVAL, "invalid_type", f->name, "%s应为 true 或 false", f->label);
        return 0;
    case FT_JSON:
        return 0;
    default:
        break;
    }
    if (!json_is_string(v))
        return rerr_set(err, R_EINVAL, "invalid_type", f->name, "%s应为文本", f->label);
    const char *s = json_string_value(v);
    if (strlen(s) != json_string_length(v) || !text_utf8_ok(s))
        return rerr_set(err, R_EINVAL, "invalid_value", f->name, "%s含有不允许的字符", f->label);
    if ((f->flags & FF_REQUIRED) && !*s)
        return rerr_set(err, R_EINVAL, "required", f->name, "%s不能为空", f->label);
    int max = f->max_len ? f->max_len : 200;
    if ((int)text_utf8_len(s) > max)
        return rerr_set(err, R_EINVAL, "too_long", f->name, "%s不能超过 %d 个字", f->label, max);
    if (f->kind == FT_DATE && *s) {
        if (!text_date_ok(s))
            return rerr_set(err, R_EINVAL, "invalid_date", f->name, "%s不是有效日期（格式 YYYY-MM-DD）",
                            f->label);
        char today[11];
        text_today(today);
        if (strcmp(s, today) > 0)
            return rerr_set(err, R_EINVAL, "invalid_date", f->name, "%s不能晚于今天", f->label);
    }
    if (f->kind == FT_ENUM) {
        for (const char *const *e = f->values; *e; e++)
            if (!strcmp(*e, s))
                return 0;
        return rerr_set(err, R_EINVAL, "invalid_value", f->name, "%s的取值“%s”无效", f->label, s);
    }
    return 0;
}

/* Copy the fields of "body" into "row", validating each. */
static int apply_body(const struct resource *r, json_t *body, json_t *row, bool create, struct rerr *err)
{
    if (!json_is_object(body))
        return rerr_set(err, R_EINVAL, "invalid_type", "", "请求内容应为 JSON 对象");
    const char *k;
    json_t *v;
    json_object_foreach(body, k, v)
    {
        if (!strcmp(k, "version"))
            continue;
        const struct field *f = field_of(r, k);
        if (!f || !(f->flags & FF_WRITE)) {
            if (f || word_in(r->ignored, k) || !strcmp(k, "id") || !strcmp(k, "created_at") ||
                !strcmp(k, "updated_at"))
                continue; /* a read-only value sent back: ignored */
            return rerr_set(err, R_EINVAL, "unknown_field", k, "未知字段：%s", k);
        }
        int rc = check_value(r, f, v, err);
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
    return 0;
}

/* References must exist; FF_SAME_PROC ones must be in the row's procuratorate. */
static int check_refs(struct res_ctx *x, const struct resource *r, json_t *row, struct rerr *err)
{
    for (int i = 0; i < r->nfields; i++) {
        const struct field *f = &r->fields[i];
        if (f->kind != FT_REF || !(f->flags & FF_WRITE))
            continue;
        int64_t id = res_int(row, f->name);
        if (!id)
            continue;
        int64_t proc;
        int rc = res_lookup_int(x, f->ref, "procuratorate_id", id, f->name, &proc, err);
        if (rc < 0)
            return rc;
        if ((f->flags & FF_SAME_PROC) && proc != res_int(row, "procuratorate_id"))
            return rerr_set(err, R_EUNPROC, "inconsistent", f->name, "%s不属于同一检察院", f->label);
    }
    return 0;
}

const struct resource *res_of_table(const char *table)
{
    for (int i = 0; res_all[i]; i++)
        if (!strcmp(res_all[i]->table, table))
            return res_all[i];
    return NULL;
}

int res_lookup_int(struct res_ctx *x, const char *table, const char *col, int64_t id, const char *field,
                   int64_t *out, struct rerr *err)
{
    const struct resource *ref = res_of_table(table);
    int64_t proc = 0;
    bool narrowed = ref && authz_read_narrowed(x->who, ref->read, &proc);
    char *sql = arena_printf(x->a, "SELECT %s%s FROM %s WHERE id = ?", col,
                             narrowed ? ", procuratorate_id" : "", table);
    store_stmt *st = prepare_built(x->c, sql);
    store_bind_int(st, 1, id);
    int rc = store_step(st, err);
    bool visible = rc == STORE_ROW && (!narrowed || store_col_int(st, 1) == proc);
    if (visible)
        *out = store_col_int(st, 0);
    store_done(st);
    if (rc < 0)
        return rc;
    if (!visible)
        return rerr_set(err, R_EUNPROC, "invalid_reference", field, "引用的记录不存在（%s = %" PRId64 "）",
                        field, id);
    return 0;
}

/* Fill procuratorate_id (and branch_id) from the parent row named by scope_from. */
static int derive_scope(struct res_ctx *x, const struct resource *r, json_t *row, struct rerr *err)
{
    if (!r->scope_from)
        return 0;
    const struct field *f = field_of(r, r->scope_from);
    CHECK(f && f->kind == FT_REF);
    int64_t pid = res_int(row, f->name);
    if (!pid)
        return rerr_set(err, R_EINVAL, "required", f->name, "%s为必填项", f->label);
    int64_t proc, branch = 0;
    int rc = res_lookup_int(x, f->ref, "procuratorate_id", pid, f->name, &proc, err);
    if (rc < 0)
        return rc;
    json_object_set_new(row, "procuratorate_id", json_integer(proc));
    if (strcmp(f->name, "branch_id") != 0 && field_of(r, "branch_id")) {
        if ((rc = res_lookup_int(x, f->ref, "branch_id", pid, f->name, &branch, err)) < 0)
            return rc;
        json_object_set_new(row, "branch_id", json_integer(branch));
    }
    return 0;
}

/* Columns to write: fields that are columns and present in "row". */
static bool writes_column(const struct field *f)
{
    return !(f->flags & FF_SECRET) && (f->flags & (FF_WRITE | FF_DERIVED | FF_HIDDEN));
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
        bool base = !strcmp(k, "id") || !strcmp(k, "version") || !strcmp(k, "sample") ||
                    !strcmp(k, "created_at") || !strcmp(k, "updated_at");
        if (base || (f && !(f->flags & (FF_SECRET | FF_HIDDEN))))
            json_object_set(o, k, v);
    }
    return o;
}

static int audit_write(struct res_ctx *x, const struct resource *r, const char *action, int64_t id,
                       json_t *before, json_t *after, struct rerr *err)
{
    json_t *rec = after ? after : before;
    json_t *b = columns_of(r, before), *a = columns_of(r, after);
    int rc = audit_append(x->c, x->who, action, r->name, id, res_int(rec, "procuratorate_id"), b, a, err);
    json_decref(b);
    json_decref(a);
    return rc;
}

int res_create_in(struct res_ctx *x, const struct resource *r, json_t *body, json_t **out, struct rerr *err)
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
    char *cols = "created_at, updated_at", *qs = "?, ?";
    for (int i = 0; i < r->nfields; i++) {
        const struct field *f = &r->fields[i];
        if (writes_column(f) && json_object_get(row, f->name)) {
            cols = arena_printf(x->a, "%s, %s", cols, f->name);
            qs = arena_printf(x->a, "%s, ?", qs);
        }
    }
    store_stmt *st =
        prepare_built(x->c, arena_printf(x->a, "INSERT INTO %s(%s) VALUES (%s)", r->table, cols, qs));
    store_bind_text(st, 1, ts);
    store_bind_text(st, 2, ts);
    int idx = 3;
    for (int i = 0; i < r->nfields; i++) {
        const struct field *f = &r->fields[i];
        json_t *v = json_object_get(row, f->name);
        if (writes_column(f) && v)
            bind_json(st, idx++, v);
    }
    rc = store_step(st, err);
    store_done(st);
    json_decref(row);
    if (rc < 0)
        return rc;
    int64_t id = store_last_id(x->c);
    json_t *rec;
    if ((rc = load(x, r, id, &rec, err)) < 0)
        return rc;
    if ((rc = audit_write(x, r, "create", id, NULL, rec, err)) < 0) {
        json_decref(rec);
        return rc;
    }
    if (out)
        *out = rec;
    else
        json_decref(rec);
    return 0;
}

/* Before a write transaction: for a collection with a prepare hook, decide first that
 * the actor may write the row at all (record "id" as it stands, or for a new record the
 * scope its body names), then let the hook do its expensive work. Everything is checked
 * again inside the transaction; this only makes sure a refused request never gets as
 * far as the expensive part. */
static int load_for_write(struct res_ctx *x, const struct resource *r, int64_t id, json_t **before,
                          struct rerr *err);

static int prepare_write(struct res_ctx *x, const struct resource *r, int64_t id, json_t *body,
                         struct rerr *err)
{
    if (!r->prepare)
        return 0;
    if (!json_is_object(body))
        return rerr_set(err, R_EINVAL, "invalid_type", "", "请求内容应为 JSON 对象");
    int rc;
    json_t *before = NULL;
    struct row_scope s = {.procuratorate_id = res_int(body, "procuratorate_id"),
                          .branch_id = res_int(body, "branch_id")};
    if (id) {
        if ((rc = store_begin_read(x->c, err)) < 0)
            return rc;
        rc = load_for_write(x, r, id, &before, err);
        store_rollback(x->c);
        if (rc < 0)
            return rc;
        if (!json_object_get(body, "procuratorate_id"))
            s.procuratorate_id = res_int(before, "procuratorate_id");
        if (!json_object_get(body, "branch_id"))
            s.branch_id = res_int(before, "branch_id");
    }
    rc = r->scope_from ? 0 : authz_write_row(x->who, r->write, &s, err);
    if (rc == 0)
        rc = r->prepare(x, body, before, err);
    json_decref(before);
    return rc;
}

static void prepared_done(struct res_ctx *x)
{
    json_decref(x->prepared);
    x->prepared = NULL;
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
    return rc;
}

static int load_for_write(struct res_ctx *x, const struct resource *r, int64_t id, json_t **before,
                          struct rerr *err)
{
    *before = NULL;
    /* A collection closed to the role is 403 whatever the row; out of read scope looks
     * like absent (404); in read scope but not writable is 403. */
    int rc = authz_read_collection(x->who, r->read, err);
    if (rc < 0 || (rc = load(x, r, id, before, err)) < 0)
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

static int version_of(json_t *body, int64_t *v, struct rerr *err)
{
    json_t *jv = json_object_get(body, "version");
    if (!jv)
        return rerr_set(err, R_EINVAL, "required", "version", "修改时必须提供版本号 version");
    if (!json_is_integer(jv))
        return rerr_set(err, R_EINVAL, "invalid_type", "version", "版本号 version 应为整数");
    *v = json_integer_value(jv);
    return 0;
}

/* Move row "id" of "r" (a dependent) to scope "to", audited, and its own dependents
 * with it. */
static int move_deps(struct res_ctx *x, const struct resource *r, int64_t id, const struct row_scope *to,
                     int depth, struct rerr *err);

static int move_row(struct res_ctx *x, const struct resource *r, int64_t id, const struct row_scope *to,
                    int depth, struct rerr *err)
{
    json_t *before = NULL, *after = NULL;
    int rc = load(x, r, id, &before, err);
    if (rc < 0)
        return rc;
    char ts[32];
    text_now(ts);
    store_stmt *st =
        prepare_built(x->c, arena_printf(x->a,
                                         "UPDATE %s SET procuratorate_id = ?, branch_id = ?, updated_at = ?,"
                                         " version = version + 1 WHERE id = ?",
                                         r->table));
    store_bind_int(st, 1, to->procuratorate_id);
    if (to->branch_id)
        store_bind_int(st, 2, to->branch_id);
    store_bind_text(st, 3, ts);
    store_bind_int(st, 4, id);
    rc = store_step(st, err);
    store_done(st);
    if (rc >= 0 && (rc = load(x, r, id, &after, err)) == 0 &&
        (rc = audit_write(x, r, "update", id, before, after, err)) == 0)
        rc = move_deps(x, r, id, to, depth + 1, err);
    json_decref(before);
    json_decref(after);
    return rc;
}

static int move_deps(struct res_ctx *x, const struct resource *r, int64_t id, const struct row_scope *to,
                     int depth, struct rerr *err)
{
    CHECK(depth < 8);
    for (const struct dependent *d = r->deps; d && d->r; d++) {
        store_stmt *st = prepare_built(
            x->c, arena_printf(x->a, "SELECT id FROM %s WHERE %s = ? ORDER BY id", d->r->table, d->fk));
        store_bind_int(st, 1, id);
        int64_t *ids = NULL;
        size_t n = 0, cap = 0;
        int rc;
        while ((rc = store_step(st, err)) == STORE_ROW) {
            if (n == cap) {
                cap = cap ? cap * 2 : 16;
                int64_t *grown = arena_alloc(x->a, cap * sizeof *ids);
                if (n)
                    memcpy(grown, ids, n * sizeof *ids);
                ids = grown;
            }
            ids[n++] = store_col_int(st, 0);
        }
        store_done(st);
        if (rc < 0)
            return rc;
        if (n && !d->cascade)
            return rerr_set(err, R_ECONFLICT, "has_dependents", "",
                            "该%s下还有%s（%zu 条），不能移到其他检察院或党组织；请先调整这些%s", r->label,
                            d->r->label, n, d->r->label);
        for (size_t i = 0; i < n; i++)
            if ((rc = move_row(x, d->r, ids[i], to, depth, err)) < 0)
                return rc;
    }
    return 0;
}

int res_update(struct res_ctx *x, const struct resource *r, int64_t id, json_t *body, json_t **out,
               struct rerr *err)
{
    int64_t version = 0;
    if (!json_is_object(body))
        return rerr_set(err, R_EINVAL, "invalid_type", "", "请求内容应为 JSON 对象");
    int rc = version_of(body, &version, err);
    if (rc < 0 || (rc = prepare_write(x, r, id, body, err)) < 0 || (rc = store_begin(x->c, err)) < 0) {
        prepared_done(x);
        return rc;
    }
    json_t *before = NULL, *row = NULL, *after = NULL;
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
    char *sets = "updated_at = ?, version = version + 1";
    for (int i = 0; i < r->nfields; i++) {
        const struct field *f = &r->fields[i];
        if (writes_column(f) && json_object_get(row, f->name))
            sets = arena_printf(x->a, "%s, %s = ?", sets, f->name);
    }
    store_stmt *st = prepare_built(
        x->c, arena_printf(x->a, "UPDATE %s SET %s WHERE id = ? AND version = ?", r->table, sets));
    store_bind_text(st, 1, ts);
    int idx = 2;
    for (int i = 0; i < r->nfields; i++) {
        const struct field *f = &r->fields[i];
        json_t *v = json_object_get(row, f->name);
        if (writes_column(f) && v)
            bind_json(st, idx++, v);
    }
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
    if ((rc = load(x, r, id, &after, err)) < 0 ||
        (rc = audit_write(x, r, "update", id, before, after, err)) < 0 || (rc = store_commit(x->c, err)) < 0)
        goto fail;
    json_decref(before);
    json_decref(row);
    prepared_done(x);
    *out = after;
    return 0;
fail:
    store_rollback(x->c);
    json_decref(before);
    json_decref(row);
    json_decref(after);
    prepared_done(x);
    return rc;
}

int res_delete(struct res_ctx *x, const struct resource *r, int64_t id, int64_t version, struct rerr *err)
{
    int rc = store_begin(x->c, err);
    if (rc < 0)
        return rc;
    json_t *before = NULL;
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
    if (r->removable && (rc = r->removable(x, before, err)) < 0)
        goto fail;
    store_stmt *st = prepare_built(x->c, arena_printf(x->a, "DELETE FROM %s WHERE id = ?", r->table));
    store_bind_int(st, 1, id);
    rc = store_step(st, err);
    store_done(st);
    if (rc < 0) {
        if (!strcmp(err->code, "in_use"))
            rerr_set(err, R_ECONFLICT, "in_use", "", "该%s仍被其他记录引用（如党员、品牌），不能删除",
                     r->label);
        goto fail;
    }
    if ((rc = audit_write(x, r, "delete", id, before, NULL, err)) < 0 || (rc = store_commit(x->c, err)) < 0)
        goto fail;
    json_decref(before);
    return 0;
fail:
    store_rollback(x->c);
    json_decref(before);
    return rc;
}
