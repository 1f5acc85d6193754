/*
 * list.c: list requests. The parameters (page, per_page, sort, q, filters, the
 * collection's own) are checked and turned into one count and one page query; the
 * dialect's spellings (contains, pinyin order, paging) come from the store.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "domain/resource/internal.h"

#define MAX_PER_PAGE 500
#define DEFAULT_PER_PAGE 50
#define MAX_SEARCH_CHARS 200

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

const char *query_param(const struct query *q, const char *key)
{
    for (int i = 0; q->qp && i < q->qp->n; i++)
        if (!strcmp(q->qp->key[i], key))
            return q->qp->val[i];
    return NULL;
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

int parse_int(const char *s, int64_t *out)
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

int bad_query(struct rerr *err, const char *key, const char *what)
{
    return rerr_set(err, R_EINVAL, "bad_query", key, "查询参数 %s 无效：%s", key, what);
}

/* ?q=: every FF_SEARCH field contains the text. Search keys (hidden, stored folded)
 * are matched with the folded query; visible text as it is written, only trimmed. */
static int add_search(struct res_ctx *x, const struct resource *r, struct query *q, const char *k,
                      const char *v, struct rerr *err)
{
    /* In characters, as every text limit: a name at its limit in four-byte characters
     * can be searched for whole. */
    if (strlen(v) > 4 * MAX_SEARCH_CHARS || text_utf8_len(v) > MAX_SEARCH_CHARS)
        return bad_query(err, k, "搜索词过长（最多 200 个字）");
    char *folded = text_fold(x->a, v);
    char *trimmed = arena_strdup(x->a, v + strspn(v, " \t"));
    for (size_t e = strlen(trimmed); e > 0 && (trimmed[e - 1] == ' ' || trimmed[e - 1] == '\t'); e--)
        trimmed[e - 1] = 0;
    if (!folded || !text_utf8_ok(v))
        return bad_query(err, k, "搜索词无效");
    int nsearch = 0;
    char *clause = "";
    for (int j = 0; j < r->nfields; j++) {
        const struct field *f = &r->fields[j];
        if (!(f->flags & FF_SEARCH))
            continue;
        clause = arena_printf(x->a, "%s%s%s", clause, nsearch ? " OR " : "",
                              store_sql_contains(x->a, arena_printf(x->a, "t.%s", f->name)));
        nsearch++;
    }
    if (!nsearch)
        return bad_query(err, k, "此列表不支持搜索");
    query_where(q, clause);
    for (int j = 0; j < r->nfields; j++)
        if (r->fields[j].flags & FF_SEARCH)
            query_bind_text(q, (r->fields[j].flags & FF_HIDDEN) ? folded : trimmed);
    return 0;
}

/* A list request, checked and turned into SQL. */
struct list_plan {
    struct query q;
    int64_t page, per_page, total;
    const char *count_sql, *page_sql;
    const char *all_sql; /* page_sql without the paging: every row, in the same order */
};

static int list_plan(struct res_ctx *x, const struct resource *r, const struct res_query *qp,
                     struct list_plan *lp, struct rerr *err)
{
    int rc = authz_read_collection(x->who, r->read, err);
    if (rc < 0)
        return rc;
    struct query *q = &lp->q;
    *q = (struct query){.a = x->a, .where = "", .qp = qp};
    lp->page = 1;
    lp->per_page = DEFAULT_PER_PAGE;
    const char *sort = r->default_sort ? r->default_sort : "id";
    bool group = r->by_procuratorate; /* unless the client names its own order */
    int64_t proc;
    if (authz_read_narrowed(x->who, r->read, &proc)) {
        query_where(q, "t." COL_PROC " = ?");
        query_bind_int(q, proc);
    }
    if (authz_read_own_rows(x->who, r->read)) {
        query_where(q, "t.created_by = ?");
        query_bind_int(q, x->who->user_id);
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
            const struct field *f = res_column_of(r, v[0] == '-' ? v + 1 : v);
            if (!f || !(f->flags & FF_SORT) || (f->flags & FF_HIDDEN))
                return bad_query(err, k, "不能按此字段排序");
            sort = v;
            group = false;
        } else if (!strcmp(k, "q")) {
            if ((rc = add_search(x, r, q, k, v, err)) < 0)
                return rc;
        } else {
            const struct field *f = field_of(r, k);
            if (f && (f->flags & FF_FILTER)) {
                if ((rc = kind_ops_of(f->kind)->filter(q, f, v, err)) < 0)
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
    char *order = arena_printf(x->a, "t.%s", col);
    /* Text sorts in pinyin order, the order a Chinese reader expects. */
    if (sf && (sf->kind == FT_TEXT || sf->kind == FT_ENUM))
        order = store_sql_text_order(x->a, order);
    lp->count_sql = arena_printf(x->a, "SELECT count(*) FROM %s t WHERE 1=1%s", r->table, q->where);
    /* Grouped: the city first, then the counties in their order, each in "order". */
    const char *by_proc = group ? "(SELECT p.level FROM procuratorates p WHERE p.id = t." COL_PROC "),"
                                  " (SELECT p.sort FROM procuratorates p WHERE p.id = t." COL_PROC "),"
                                  " t." COL_PROC ", "
                                : "";
    lp->all_sql = arena_printf(x->a, "SELECT t.*%s%s FROM %s t WHERE 1=1%s ORDER BY %s%s %s, t.id",
                               r->extras ? ", " : "", r->extras ? r->extras : "", r->table, q->where, by_proc,
                               order, dir);
    lp->page_sql = arena_printf(x->a, "%s %s", lp->all_sql, store_sql_page());
    return 0;
}

/* Plan the list, open a read transaction, count, and prepare the page (or, "all", every
 * row): *st is ready to step, inside a read transaction the caller ends. */
static int list_start(struct res_ctx *x, const struct resource *r, const struct res_query *qp,
                      struct list_plan *lp, bool all, store_stmt **st, struct rerr *err)
{
    int rc = list_plan(x, r, qp, lp, err);
    if (rc < 0 || (rc = store_begin_read(x->c, err)) < 0)
        return rc;
    store_stmt *cs;
    if ((rc = store_prepare_built(x->c, lp->count_sql, &cs, err)) == 0) {
        query_bind_all(&lp->q, cs, 1);
        rc = store_step(cs, err);
        lp->total = rc == STORE_ROW ? store_col_int(cs, 0) : 0;
        store_done(cs);
    }
    if (rc < 0 || (rc = store_prepare_built(x->c, all ? lp->all_sql : lp->page_sql, st, err)) < 0) {
        store_rollback(x->c);
        return rc;
    }
    query_bind_all(&lp->q, *st, 1);
    if (all)
        return 0;
    store_bind_int(*st, lp->q.nb + 1, lp->per_page);
    store_bind_int(*st, lp->q.nb + 2, (lp->page - 1) * lp->per_page);
    return 0;
}

int res_list(struct res_ctx *x, const struct resource *r, const struct res_query *qp, json_t **out,
             struct rerr *err)
{
    struct list_plan lp;
    store_stmt *st;
    int rc = list_start(x, r, qp, &lp, false, &st, err);
    if (rc < 0)
        return rc;
    json_t *items = json_array();
    while ((rc = store_step(st, err)) == STORE_ROW) {
        json_t *rec = row_to_json(r, st);
        mask_record(x, r, rec);
        json_array_append_new(items, rec);
    }
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
    *out = json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)lp.total, "page",
                     (json_int_t)lp.page, "per_page", (json_int_t)lp.per_page);
    return 0;
}

int res_list_text(struct res_ctx *x, const struct resource *r, const struct res_query *qp, char **out,
                  size_t *len, struct rerr *err)
{
    if (!row_is_flat(r)) {
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
    store_stmt *st;
    int rc = list_start(x, r, qp, &lp, false, &st, err);
    if (rc < 0)
        return rc;
    struct jbuf b = {0};
    bool reveal = authz_reveal_personal(x->who);
    jbuf_lit(&b, "{\"items\":[");
    bool first = true;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        if (!first)
            jbuf_lit(&b, ",");
        first = false;
        if ((rc = row_to_text(r, st, reveal, &b, err)) < 0)
            break;
    }
    store_done(st);
    store_rollback(x->c);
    if (rc < 0) {
        jbuf_free(&b);
        return rc;
    }
    jbuf_lit(&b, "],\"total\":");
    jbuf_int(&b, lp.total);
    jbuf_lit(&b, ",\"page\":");
    jbuf_int(&b, lp.page);
    jbuf_lit(&b, ",\"per_page\":");
    jbuf_int(&b, lp.per_page);
    jbuf_lit(&b, "}");
    *out = jbuf_take(&b, len);
    return 0;
}

int res_list_check(struct res_ctx *x, const struct resource *r, const struct res_query *qp, struct rerr *err)
{
    struct list_plan lp;
    return list_plan(x, r, qp, &lp, err);
}

int res_each(struct res_ctx *x, const struct resource *r, const struct res_query *qp, res_each_fn *each,
             void *arg, struct rerr *err)
{
    struct list_plan lp;
    store_stmt *st;
    int rc = list_start(x, r, qp, &lp, true, &st, err);
    if (rc < 0)
        return rc;
    int64_t i = 0;
    struct row_plan plan;
    row_plan(r, st, x->a, &plan);
    bool reveal = authz_reveal_personal(x->who);
    while ((rc = store_step(st, err)) == STORE_ROW) {
        json_t *rec = row_to_json_planned(&plan, st);
        if (!reveal)
            mask_record(NULL, r, rec);
        rc = each(arg, i++, lp.total, rec, err);
        json_decref(rec);
        if (rc < 0)
            break;
    }
    store_done(st);
    store_rollback(x->c);
    return rc < 0 ? rc : 0;
}
