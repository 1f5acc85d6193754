/*
 * timeline: one SQL statement per request — UNION ALL over every collection's declared
 * events (resource.events), each arm narrowed by the target, the period and the reader's
 * scope — counted by kind, then paged. All SQL comes from the descriptors; every value
 * is bound. The store caches the statement by its text, and the tables it reads make
 * the answer's cache tag.
 */
#include "domain/timeline.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/text.h"

enum target { T_BRANCH, T_MEMBER, T_CASE };

static const struct {
    const char *param, *coll, *label;
} targets[] = {
    [T_BRANCH] = {"branch_id", "branches", "党组织"},
    [T_MEMBER] = {"member_id", "members", "党员"},
    [T_CASE] = {"case_id", "cases", "案件"},
};

#define MAX_KINDS 64
static const char *kinds[MAX_KINDS + 1];
static pthread_once_t kinds_once = PTHREAD_ONCE_INIT;

/* Once: res_all is complete before the first request (res_register runs at startup) and
 * the descriptors never change. */
static void collect_kinds(void)
{
    int n = 0;
    for (int i = 0; res_all[i]; i++)
        for (const struct res_event *e = res_all[i]->events; e && e->kind; e++) {
            bool seen = false;
            for (int k = 0; k < n; k++)
                seen = seen || !strcmp(kinds[k], e->kind);
            if (!seen && n < MAX_KINDS)
                kinds[n++] = e->kind;
        }
    kinds[n] = NULL;
}

const char *const *timeline_kinds(void)
{
    pthread_once(&kinds_once, collect_kinds);
    return kinds;
}

/* The condition of event "e" of "r" for target "t" (one ?), or NULL when the event
 * never concerns such a target. */
static const char *condition(const struct res_event *e, enum target t)
{
    switch (t) {
    case T_BRANCH:
        return e->branch;
    case T_MEMBER:
        return e->member;
    case T_CASE:
        return e->case_;
    }
    return NULL;
}

struct params {
    enum target target;
    int64_t id;
    const char *from, *to, *kind;
    bool desc;
    int64_t page, per_page;
};

static int bad(struct rerr *err, const char *key, const char *msg)
{
    return rerr_set(err, R_EINVAL, "bad_query", key, "%s", msg);
}

static int parse_pos(const char *s, int64_t max, int64_t *out)
{
    if (!s || !*s || strlen(s) > 9)
        return -1;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return -1;
    *out = strtoll(s, NULL, 10);
    return *out >= 1 && *out <= max ? 0 : -1;
}

static int parse(const struct res_query *q, struct params *p, struct rerr *err)
{
    *p = (struct params){.target = -1, .page = 1, .per_page = 200};
    int given = 0;
    for (int i = 0; i < q->n; i++) {
        const char *k = q->key[i], *v = q->val[i];
        for (int j = i + 1; j < q->n; j++)
            if (!strcmp(q->key[j], k))
                return bad(err, k, "查询参数重复");
        bool is_target = false;
        for (int t = 0; t <= T_CASE; t++)
            if (!strcmp(k, targets[t].param)) {
                is_target = true;
                given++;
                p->target = (enum target)t;
                if (parse_pos(v, INT64_C(999999999), &p->id) < 0)
                    return bad(err, k, "编号应为正整数");
            }
        if (is_target)
            continue;
        if (!strcmp(k, "from") || !strcmp(k, "to")) {
            if (!text_date_ok(v))
                return bad(err, k, "日期格式应为 YYYY-MM-DD（如 2025-03-01）");
            *(!strcmp(k, "from") ? &p->from : &p->to) = v;
        } else if (!strcmp(k, "kind")) {
            const char *const *ks = timeline_kinds();
            for (int j = 0; ks[j]; j++)
                if (!strcmp(ks[j], v))
                    p->kind = ks[j];
            if (!p->kind)
                return bad(err, k, "没有这类事件");
        } else if (!strcmp(k, "order")) {
            if (strcmp(v, "asc") != 0 && strcmp(v, "desc") != 0)
                return bad(err, k, "order 应为 asc 或 desc");
            p->desc = !strcmp(v, "desc");
        } else if (!strcmp(k, "page")) {
            if (parse_pos(v, 1000000, &p->page) < 0)
                return bad(err, k, "页码应为正整数");
        } else if (!strcmp(k, "per_page")) {
            if (parse_pos(v, 1000, &p->per_page) < 0)
                return bad(err, k, "每页条数应为 1 至 1000");
        } else {
            return rerr_set(err, R_EINVAL, "bad_query", k, "不支持的查询参数：%.40s", k);
        }
    }
    if (given != 1)
        return bad(err, "branch_id", "请给出 branch_id、member_id 或 case_id 中的一个");
    if (p->from && p->to && strcmp(p->from, p->to) > 0)
        return bad(err, "from", "开始日期不能晚于结束日期");
    return 0;
}

/* The target must exist and be readable: else 404, whether absent or not the reader's. */
static int check_target(struct res_ctx *x, const struct params *p, struct rerr *err)
{
    const struct resource *r = res_find(targets[p->target].coll);
    json_t *rec = NULL;
    int rc = r ? res_get(x, r, p->id, &rec, err) : R_ENOTFOUND;
    json_decref(rec);
    if (rc == R_ENOTFOUND || rc == R_EFORBID || !r)
        return rerr_set(err, R_ENOTFOUND, "not_found", targets[p->target].param, "%s不存在或无权查看",
                        targets[p->target].label);
    return rc;
}

/* Arms of the union at most (every collection's events together), and values bound
 * per arm at most (kind, collection, label, target, scope, from, to, limit). */
#define MAX_ARMS 96
#define BINDS_PER_ARM 8
struct bound {
    int n;
    int64_t ints[MAX_ARMS * BINDS_PER_ARM + 2];
    const char *texts[MAX_ARMS * BINDS_PER_ARM + 2];
    bool is_text[MAX_ARMS * BINDS_PER_ARM + 2];
};

static void bind_int(struct bound *b, int64_t v)
{
    b->is_text[b->n] = false;
    b->ints[b->n++] = v;
}

static void bind_text(struct bound *b, const char *v)
{
    b->is_text[b->n] = true;
    b->texts[b->n++] = v;
}

/* The union of every arm that concerns the target, in the arena; the values to bind in
 * "b". NULL when no arm does. With "limit" 0, each arm counts its events ("kind", "n");
 * else each answers its first "limit" events in the timeline's order (the events of one
 * page lie among them), through the index on its date where the table has one, so that
 * a long timeline is never sorted whole. */
static const char *build_union(struct res_ctx *x, const struct params *p, int64_t limit, struct bound *b)
{
    struct rerr ignored;
    const char *sql = NULL, *dir = p->desc ? "DESC" : "ASC";
    int arms = 0;
    for (int i = 0; res_all[i]; i++) {
        const struct resource *r = res_all[i];
        if (!r->events || authz_read_collection(x->who, r->read, &ignored) < 0)
            continue;
        int64_t proc;
        bool narrowed = authz_read_narrowed(x->who, r->read, &proc);
        for (const struct res_event *e = r->events; e->kind; e++) {
            const char *cond = condition(e, p->target);
            if (!cond || (p->kind && strcmp(p->kind, e->kind) != 0))
                continue;
            CHECK(arms++ < MAX_ARMS); /* our descriptors: tests/unit/domain/timeline.c counts them */
            const char *where =
                arena_printf(x->a, " FROM %s t WHERE (%s) AND (%s) IS NOT NULL%s%s%s", r->table, cond,
                             e->date, narrowed ? " AND t.procuratorate_id = ?" : "",
                             p->from ? arena_printf(x->a, " AND (%s) >= ?", e->date) : "",
                             p->to ? arena_printf(x->a, " AND (%s) <= ?", e->date) : "");
            const char *arm;
            bind_text(b, e->kind);
            if (!limit) {
                arm = arena_printf(x->a, "SELECT ? AS kind, count(*) AS n%s", where);
            } else {
                arm = arena_printf(
                    x->a,
                    "SELECT * FROM (SELECT %s AS d, ? AS kind, %s AS title, ? AS coll, ? AS label,"
                    " t.id AS id%s ORDER BY 1 %s, t.id %s LIMIT ?)",
                    e->date, e->title, where, dir, dir);
                bind_text(b, r->name);
                bind_text(b, r->label);
            }
            bind_int(b, p->id);
            if (narrowed)
                bind_int(b, proc);
            if (p->from)
                bind_text(b, p->from);
            if (p->to)
                bind_text(b, p->to);
            if (limit)
                bind_int(b, limit);
            sql = sql ? arena_printf(x->a, "%s UNION ALL %s", sql, arm) : arm;
        }
    }
    return sql;
}

static void bind_all(store_stmt *st, const struct bound *b)
{
    for (int i = 0; i < b->n; i++) {
        if (b->is_text[i])
            store_bind_text(st, i + 1, b->texts[i]);
        else
            store_bind_int(st, i + 1, b->ints[i]);
    }
}

int timeline_get(struct res_ctx *x, const struct res_query *q, json_t **out, struct rerr *err)
{
    struct params p;
    int rc = parse(q, &p, err);
    if (rc < 0)
        return rc;
    /* res_get reads in a transaction of its own, before the timeline's */
    if ((rc = check_target(x, &p, err)) < 0 || (rc = store_begin_read(x->c, err)) < 0)
        return rc;
    /* kinds counted over the whole period: built without the kind filter */
    struct params all = p;
    all.kind = NULL;
    struct bound *b = arena_alloc(x->a, sizeof *b);
    b->n = 0;
    const char *arms = build_union(x, &all, 0, b);
    json_t *items = json_array(), *kinds_out = json_array();
    int64_t total = 0;
    if (arms) {
        store_stmt *st = store_prepare(
            x->c, arena_printf(x->a, "SELECT kind, sum(n) FROM (%s) GROUP BY kind HAVING sum(n) > 0", arms));
        if (!st)
            rc = rerr_set(err, R_EINTERNAL, "internal", "", "时间轴查询无法执行");
        else {
            bind_all(st, b);
            while ((rc = store_step(st, err)) == STORE_ROW) {
                int64_t n = store_col_int(st, 1);
                const char *k = store_col_text(st, 0);
                json_array_append_new(kinds_out, json_pack("{s:s, s:I}", "kind", k, "count", (json_int_t)n));
                if (!p.kind || !strcmp(k, p.kind))
                    total += n;
            }
            store_done(st);
        }
    }
    if (rc >= 0 && total) {
        b->n = 0;
        arms = build_union(x, &p, p.page * p.per_page, b);
        const char *dir = p.desc ? "DESC" : "ASC";
        bind_int(b, p.per_page);
        bind_int(b, (p.page - 1) * p.per_page);
        store_stmt *st = store_prepare(
            x->c, arena_printf(x->a,
                               "SELECT d, kind, title, coll, label, id FROM (%s) ORDER BY d %s, coll, id %s"
                               " LIMIT ? OFFSET ?",
                               arms, dir, dir));
        if (!st)
            rc = rerr_set(err, R_EINTERNAL, "internal", "", "时间轴查询无法执行");
        else {
            bind_all(st, b);
            while ((rc = store_step(st, err)) == STORE_ROW)
                json_array_append_new(items, json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:I}", "date",
                                                       store_col_text(st, 0), "kind", store_col_text(st, 1),
                                                       "title", store_col_text(st, 2), "coll",
                                                       store_col_text(st, 3), "label", store_col_text(st, 4),
                                                       "id", (json_int_t)store_col_int(st, 5)));
            store_done(st);
        }
    }
    store_rollback(x->c);
    if (rc < 0) {
        json_decref(items);
        json_decref(kinds_out);
        return rc;
    }
    *out = json_pack("{s:o, s:I, s:I, s:I, s:o}", "items", items, "total", (json_int_t)total, "page",
                     (json_int_t)p.page, "per_page", (json_int_t)p.per_page, "kinds", kinds_out);
    return 0;
}
