/*
 * timeline: a branch's timeline is read from timeline_events (migration 015), the rows
 * that triggers made from the descriptors keep (timeline_sync()): counted by kind and
 * paged through its indexes, the titles read from the records of the page alone. A
 * member's or a case's is one SQL statement per request — UNION ALL over every
 * collection's declared events (resource.events), each arm narrowed by the target, the
 * period and the reader's scope — counted by kind, then paged. All SQL comes from the
 * descriptors; every value is bound. The store caches the statements by their text, and
 * the tables they read make the answer's cache tag.
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

/* The condition of event "e" of "r" for a member or case target "t" (one ?), or NULL
 * when the event never concerns such a target (a branch's: timeline_events). */
static const char *condition(const struct res_event *e, enum target t)
{
    switch (t) {
    case T_BRANCH:
        return NULL;
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

/* ---------------------------------------------------------------- the branch timelines as rows */

/* Whether "r" declares an event in the branch timelines. */
static bool in_branches(const struct resource *r)
{
    for (const struct res_event *e = r->events; e && e->kind; e++)
        if (e->branch)
            return true;
    return false;
}

/* "s" as an SQL string literal. */
static const char *quoted(arena *a, const char *s)
{
    const char *out = "'";
    for (const char *p; (p = strchr(s, '\'')); s = p + 1)
        out = arena_printf(a, "%s%.*s''", out, (int)(p - s), s);
    return arena_printf(a, "%s%s'", out, s);
}

/* "sql" with its one ? (descriptors' SQL: none inside a literal) replaced by "v". */
static const char *with_value(arena *a, const char *sql, const char *v)
{
    const char *q = strchr(sql, '?');
    CHECK(q && !strchr(q + 1, '?')); /* our descriptors: res_event_dep.via */
    return arena_printf(a, "%.*s%s%s", (int)(q - sql), sql, v, q + 1);
}

/* The statements (each ending in ";") that put into timeline_events the events of the
 * rows of "r" whose ids "ids" lists (SQL for IN (…)), or of every row when NULL. */
static const char *put_rows(arena *a, const struct resource *r, const char *ids)
{
    const char *sql = "";
    int ev = 0;
    for (const struct res_event *e = r->events; e->kind; e++, ev++)
        if (e->branch)
            sql = arena_printf(
                a,
                "%sINSERT INTO timeline_events(branch_id, day, coll, row_id, ev, kind, procuratorate_id)"
                " SELECT b.id, %s, %s, t.id, %d, %s, t.procuratorate_id FROM %s t CROSS JOIN branches b"
                " WHERE %s%s%sb.id IN (%s) AND (%s) IS NOT NULL;",
                sql, e->date, quoted(a, r->name), ev, quoted(a, e->kind), r->table, ids ? "t.id IN (" : "",
                ids ? ids : "", ids ? ") AND " : "", e->branch, e->date);
    return sql;
}

/* Delete the entries of the rows "ids" of "r", then put them again. */
static const char *refresh_rows(arena *a, const struct resource *r, const char *ids)
{
    return arena_printf(a, "DELETE FROM timeline_events WHERE coll = %s AND row_id IN (%s);%s",
                        quoted(a, r->name), ids, put_rows(a, r, ids));
}

#define MAX_TRIGGERS 128
struct triggers {
    int n;
    const char *name[MAX_TRIGGERS], *sql[MAX_TRIGGERS];
};

static void add_trigger(arena *a, struct triggers *t, const char *name, const char *when, const char *body)
{
    CHECK(t->n < MAX_TRIGGERS); /* our descriptors: tests/unit/domain/timeline.c makes them */
    t->name[t->n] = name;
    t->sql[t->n++] = arena_printf(a, "CREATE TRIGGER %s AFTER %s BEGIN %s END", name, when, body);
}

/* The key of a timeline_counts row, for the timeline_events row "r" (NEW or OLD). */
#define COUNTED(r)                                                                                           \
    "branch_id = " r ".branch_id AND kind = " r ".kind AND day = " r ".day AND coll = " r                    \
    ".coll AND procuratorate_id = " r ".procuratorate_id"

/* Every trigger that keeps timeline_events and timeline_counts, from the descriptors:
 * the counts from the rows; for each collection in the branch timelines, its own rows'
 * inserts, updates and deletes, and each write to a table its events depend on
 * (res_event_dep). */
static void make_triggers(arena *a, struct triggers *t)
{
    t->n = 0;
    add_trigger(a, t, "timeline_counts_insert", "INSERT ON timeline_events",
                "INSERT INTO timeline_counts(branch_id, kind, day, coll, procuratorate_id, n)"
                " VALUES (NEW.branch_id, NEW.kind, NEW.day, NEW.coll, NEW.procuratorate_id, 1)"
                " ON CONFLICT DO UPDATE SET n = n + 1;");
    add_trigger(a, t, "timeline_counts_delete", "DELETE ON timeline_events",
                "DELETE FROM timeline_counts WHERE " COUNTED(
                    "OLD") " AND n = 1;"
                           "UPDATE timeline_counts SET n = n - 1 WHERE " COUNTED("OLD") ";");
    for (int i = 0; res_all[i]; i++) {
        const struct resource *r = res_all[i];
        if (!in_branches(r))
            continue;
        const char *tb = r->table;
        add_trigger(a, t, arena_printf(a, "timeline_%s_insert", tb), arena_printf(a, "INSERT ON %s", tb),
                    put_rows(a, r, "NEW.id"));
        add_trigger(a, t, arena_printf(a, "timeline_%s_update", tb), arena_printf(a, "UPDATE ON %s", tb),
                    refresh_rows(a, r, "OLD.id, NEW.id"));
        add_trigger(a, t, arena_printf(a, "timeline_%s_delete", tb), arena_printf(a, "DELETE ON %s", tb),
                    refresh_rows(a, r, "OLD.id"));
        for (const struct res_event_dep *d = r->event_deps; d && d->table; d++) {
            const char *nw = arena_printf(a, "NEW.%s", d->column), *od = arena_printf(a, "OLD.%s", d->column);
            if (d->via)
                nw = with_value(a, d->via, nw), od = with_value(a, d->via, od);
            const char *name = arena_printf(a, "timeline_%s_by_%s", tb, d->table);
            add_trigger(a, t, arena_printf(a, "%s_insert", name), arena_printf(a, "INSERT ON %s", d->table),
                        refresh_rows(a, r, nw));
            add_trigger(
                a, t, arena_printf(a, "%s_update", name),
                arena_printf(a, "UPDATE%s%s ON %s", d->of ? " OF " : "", d->of ? d->of : "", d->table),
                refresh_rows(a, r,
                             d->via ? arena_printf(a, "%s UNION %s", od, nw)
                                    : arena_printf(a, "%s, %s", od, nw)));
            add_trigger(a, t, arena_printf(a, "%s_delete", name), arena_printf(a, "DELETE ON %s", d->table),
                        refresh_rows(a, r, od));
        }
    }
}

/* Whether the database's timeline_* triggers are exactly "t"; *found how many it has. */
static int triggers_current(store_conn *c, const struct triggers *t, bool *current, int *found,
                            struct rerr *err)
{
    store_stmt *st = store_prepare(c, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name "
                                      "LIKE 'timeline\\_%' ESCAPE '\\'");
    int rc;
    *current = true;
    *found = 0;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        bool same = false;
        for (int i = 0; i < t->n && !same; i++)
            same = !strcmp(t->name[i], store_col_text(st, 0)) && !strcmp(t->sql[i], store_col_text(st, 1));
        ++*found;
        *current = *current && same;
    }
    store_done(st);
    *current = *current && *found == t->n;
    return rc < 0 ? rc : 0;
}

int timeline_sync(store_conn *c, struct rerr *err)
{
    arena *a = arena_new();
    struct triggers *t = arena_alloc(a, sizeof *t);
    make_triggers(a, t);
    bool current = false;
    int found = 0;
    /* Looked at under a read transaction first: an open of a database whose triggers are
     * this build's (every open but the first after an upgrade) takes no write lock, so it
     * does not wait behind, or hold up, a writer such as a running import. */
    int rc = store_begin_read(c, err);
    if (rc == 0)
        rc = triggers_current(c, t, &current, &found, err);
    store_rollback(c);
    if (rc == 0 && current) {
        arena_free(a);
        return 0;
    }
    if (rc == 0)
        rc = store_begin(c, err);
    if (rc == 0) /* again under the write lock: another process may have made them meanwhile */
        rc = triggers_current(c, t, &current, &found, err);
    if (rc == 0 && !current) {
        if (found) /* not a new database's first open: another build's events */
            log_info("timeline: the branch timelines made again from this build's events");
        const char *sql = "";
        store_stmt *st = store_prepare(
            c,
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'timeline\\_%' ESCAPE '\\'");
        while ((rc = store_step(st, err)) == STORE_ROW)
            sql = arena_printf(a, "%sDROP TRIGGER %s;", sql, store_col_text(st, 0));
        store_done(st);
        /* no trigger meanwhile: the rows in bulk, then their counts, then the triggers */
        sql = arena_printf(a, "%sDELETE FROM timeline_counts; DELETE FROM timeline_events;", sql);
        for (int i = 0; res_all[i]; i++)
            if (in_branches(res_all[i]))
                sql = arena_printf(a, "%s%s", sql, put_rows(a, res_all[i], NULL));
        sql =
            arena_printf(a,
                         "%sINSERT INTO timeline_counts(branch_id, kind, day, coll, procuratorate_id, n)"
                         " SELECT branch_id, kind, day, coll, procuratorate_id, count(*) FROM timeline_events"
                         " GROUP BY branch_id, kind, day, coll, procuratorate_id;",
                         sql);
        for (int i = 0; rc >= 0 && i < t->n; i++)
            sql = arena_printf(a, "%s%s;", sql, t->sql[i]);
        if (rc >= 0)
            rc = store_exec(c, sql, err);
    }
    if (rc >= 0)
        rc = store_commit(c, err);
    else
        store_rollback(c);
    arena_free(a);
    return rc < 0 ? rc : 0;
}

/* The WHERE of a branch's timeline, its values in "b": the branch, the period, the kind
 * (unless "any_kind"), and the reader's scope — a collection the reader may not read
 * contributes nothing, a narrowed one only the reader's procuratorate's rows. NULL when
 * the reader may read none of the collections. */
static const char *branch_where(struct res_ctx *x, const struct params *p, bool any_kind, struct bound *b)
{
    struct rerr ignored;
    const char *where = "branch_id = ?", *open = "", *scope = "";
    bind_int(b, p->id);
    if (p->from)
        where = arena_printf(x->a, "%s AND day >= ?", where), bind_text(b, p->from);
    if (p->to)
        where = arena_printf(x->a, "%s AND day <= ?", where), bind_text(b, p->to);
    if (p->kind && !any_kind)
        where = arena_printf(x->a, "%s AND kind = ?", where), bind_text(b, p->kind);
    bool all = true;
    int open_n = 0, start = b->n;
    for (int i = 0; res_all[i]; i++) { /* the open collections first: their names bound first */
        const struct resource *r = res_all[i];
        int64_t proc;
        if (!in_branches(r))
            continue;
        if (authz_read_collection(x->who, r->read, &ignored) < 0 ||
            authz_read_narrowed(x->who, r->read, &proc)) {
            all = false;
            continue;
        }
        open = arena_printf(x->a, "%s%s?", open, open_n++ ? ", " : "");
        bind_text(b, r->name);
    }
    if (all) {
        b->n = start;
        return where;
    }
    if (open_n)
        scope = arena_printf(x->a, "coll IN (%s)", open);
    for (int i = 0; res_all[i]; i++) {
        const struct resource *r = res_all[i];
        int64_t proc;
        if (!in_branches(r) || authz_read_collection(x->who, r->read, &ignored) < 0 ||
            !authz_read_narrowed(x->who, r->read, &proc))
            continue;
        scope = arena_printf(x->a, "%s%s(coll = ? AND procuratorate_id = ?)", scope, *scope ? " OR " : "");
        bind_text(b, r->name);
        bind_int(b, proc);
    }
    return *scope ? arena_printf(x->a, "%s AND (%s)", where, scope) : NULL;
}

/* The title of event "ev" of record "id" in collection "coll" (a timeline_events row):
 * the descriptor's, read from the record. */
static int title_of(struct res_ctx *x, const char *coll, int64_t ev, int64_t id, json_t *item,
                    struct rerr *err)
{
    const struct resource *r = res_find(coll);
    const struct res_event *e = r ? r->events : NULL;
    for (int64_t i = 0; e && e->kind && i < ev; i++)
        e++;
    if (!e || !e->kind || !e->branch)
        return rerr_set(err, R_EINTERNAL, "internal", "", "时间轴记录与事件定义不符：%.40s", coll);
    store_stmt *st;
    int rc = store_prepare_built(
        x->c, arena_printf(x->a, "SELECT %s FROM %s t WHERE t.id = ?", e->title, r->table), &st, err);
    if (rc < 0)
        return rc;
    store_bind_int(st, 1, id);
    if ((rc = store_step(st, err)) == STORE_ROW)
        json_object_set_new(item, "title",
                            store_col_text(st, 0) ? json_string(store_col_text(st, 0)) : json_null());
    else if (rc >= 0)
        rc = rerr_set(err, R_EINTERNAL, "internal", "", "时间轴记录已不在：%.40s %" PRId64, coll, id);
    store_done(st);
    if (rc >= 0)
        json_object_set_new(item, "label", json_string(r->label));
    return rc < 0 ? rc : 0;
}

/* A branch's timeline, in the caller's read transaction: the kinds counted over the
 * period into "kinds_out", "*total" those of p->kind (or all), the page into "items". */
static int branch_timeline(struct res_ctx *x, const struct params *p, json_t *items, json_t *kinds_out,
                           int64_t *total, struct rerr *err)
{
    struct bound *b = arena_alloc(x->a, sizeof *b);
    b->n = 0;
    const char *where = branch_where(x, p, true, b);
    if (!where)
        return 0;
    store_stmt *st;
    int rc = store_prepare_built(
        x->c,
        arena_printf(x->a, "SELECT kind, sum(n) FROM timeline_counts WHERE %s GROUP BY kind ORDER BY kind",
                     where),
        &st, err);
    if (rc < 0)
        return rc;
    bind_all(st, b);
    while ((rc = store_step(st, err)) == STORE_ROW) {
        int64_t n = store_col_int(st, 1);
        const char *k = store_col_text(st, 0);
        json_array_append_new(kinds_out, json_pack("{s:s, s:I}", "kind", k, "count", (json_int_t)n));
        if (!p->kind || !strcmp(k, p->kind))
            *total += n;
    }
    store_done(st);
    if (rc < 0 || !*total)
        return rc < 0 ? rc : 0;
    b->n = 0;
    where = branch_where(x, p, false, b);
    bind_int(b, p->per_page);
    bind_int(b, (p->page - 1) * p->per_page);
    const char *dir = p->desc ? "DESC" : "ASC";
    if ((rc = store_prepare_built(
             x->c,
             arena_printf(x->a,
                          "SELECT day, kind, coll, row_id, ev FROM timeline_events WHERE %s"
                          " ORDER BY day %s, coll, row_id %s, ev LIMIT ? OFFSET ?",
                          where, dir, dir),
             &st, err)) < 0)
        return rc;
    bind_all(st, b);
    while ((rc = store_step(st, err)) == STORE_ROW) {
        json_t *item = json_pack("{s:s, s:s, s:n, s:s, s:n, s:I}", "date", store_col_text(st, 0), "kind",
                                 store_col_text(st, 1), "title", "coll", store_col_text(st, 2), "label", "id",
                                 (json_int_t)store_col_int(st, 3));
        json_array_append_new(items, item);
        if ((rc = title_of(x, store_col_text(st, 2), store_col_int(st, 4), store_col_int(st, 3), item, err)) <
            0)
            break;
    }
    store_done(st);
    return rc < 0 ? rc : 0;
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
    json_t *items = json_array(), *kinds_out = json_array();
    int64_t total = 0;
    const char *arms = NULL;
    if (p.target == T_BRANCH)
        rc = branch_timeline(x, &p, items, kinds_out, &total, err);
    else
        arms = build_union(x, &all, 0, b);
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
    if (rc >= 0 && total && p.target != T_BRANCH) {
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
