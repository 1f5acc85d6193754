/*
 * eval_read.c: the results of runs as the API and the command line read them — a
 * period's ranking and one subject's explanation (domain/evaluation.h). Scoped as the
 * ledgers are (READ_SCOPED): a county reader sees its own procuratorate's results.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "domain/eval_internal.h"
#include "domain/evaluation.h"
#include "domain/resource.h"

/* A page of results: at most RESULTS_MAX_PER_PAGE (as the collections' lists), 50 unless
 * asked. */
#define RESULTS_PER_PAGE 50
#define RESULTS_MAX_PER_PAGE 500
#define RESULTS_MAX_PAGE 1000000

struct params {
    const char *period, *kind, *sort;
    int64_t scheme, branch, proc, member, group;
    int64_t page, per_page;
};

/* The orders a ranking is read in (?sort=), each the same total order the ranks were
 * given in: within the city, within each level (市院, 基层院), within each procuratorate;
 * a subject without a rank (缺项) after those with one, then by id. */
static const struct {
    const char *name, *order;
} SORTS[] = {
    {"rank_city", "t.rank_city IS NULL, t.rank_city, t.subject_id"},
    {"rank_level", "(SELECT p.level FROM procuratorates p WHERE p.id = t.procuratorate_id),"
                   " t.rank_level IS NULL, t.rank_level, t.subject_id"},
    {"rank_proc", "t.procuratorate_id, t.rank_proc IS NULL, t.rank_proc, t.subject_id"},
};

static const char *const KINDS[] = {"branch", "procuratorate", "member", "party_group"};

static int positive(const char *key, const char *v, int64_t *out, struct rerr *err)
{
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno || *end || !*v || n <= 0)
        return rerr_set(err, R_EINVAL, "bad_query", key, "%s 应为正整数", key);
    *out = n;
    return 0;
}

/* page and per_page as the collections' lists take them (resource/list.c): the same
 * bounds, the same message. */
static int page_param(const char *key, const char *v, int64_t max, int64_t *out, struct rerr *err)
{
    int rc = positive(key, v, out, err);
    if (rc == 0 && *out <= max)
        return 0;
    return rerr_set(err, R_EINVAL, "bad_query", key, "查询参数 %s 无效：应为 1 到 %" PRId64 " 之间的整数",
                    key, max);
}

/* What the parameters are read for: the endpoint decides which it takes. */
enum params_for { FOR_RESULTS, FOR_EXPLAIN, FOR_HONOURS };

/* period (required), scheme_id, and: kind, branch_id (results and honours: a branch's
 * members or party groups), page, per_page and sort (results alone: honours list every
 * branch in scope), or one of branch_id, procuratorate_id, member_id, party_group_id
 * (explain); each at most once. */
static int params_of(const struct res_query *q, enum params_for use, struct params *p, struct rerr *err)
{
    bool explain = use == FOR_EXPLAIN;
    *p = (struct params){.page = 1, .per_page = RESULTS_PER_PAGE, .sort = SORTS[0].order};
    bool paged = false, per_paged = false, sorted = false;
    for (int i = 0; i < q->n; i++) {
        const char *k = q->key[i], *v = q->val[i];
        bool one = !(p->proc || p->member || p->group || (explain && p->branch));
        int rc = 0;
        if (!strcmp(k, "period") && !p->period)
            p->period = v;
        else if (!strcmp(k, "scheme_id") && !p->scheme)
            rc = positive(k, v, &p->scheme, err);
        else if (!explain && !strcmp(k, "kind") && !p->kind)
            p->kind = v;
        else if (!strcmp(k, "branch_id") && !p->branch && one)
            rc = positive(k, v, &p->branch, err);
        else if (explain && !strcmp(k, "procuratorate_id") && one)
            rc = positive(k, v, &p->proc, err);
        else if (explain && !strcmp(k, "member_id") && one)
            rc = positive(k, v, &p->member, err);
        else if (explain && !strcmp(k, "party_group_id") && one)
            rc = positive(k, v, &p->group, err);
        else if (use == FOR_HONOURS && (!strcmp(k, "page") || !strcmp(k, "per_page") || !strcmp(k, "sort")))
            return rerr_set(err, R_EINVAL, "bad_query", k,
                            "荣誉评定列出范围内的全部党组织，不分页也不另行排序（查询参数 %s 不适用）", k);
        else if (!explain && !strcmp(k, "page") && !paged) {
            paged = true;
            rc = page_param(k, v, RESULTS_MAX_PAGE, &p->page, err);
        } else if (!explain && !strcmp(k, "per_page") && !per_paged) {
            per_paged = true;
            rc = page_param(k, v, RESULTS_MAX_PER_PAGE, &p->per_page, err);
        } else if (!explain && !strcmp(k, "sort") && !sorted) {
            sorted = true;
            size_t j = 0;
            while (j < sizeof SORTS / sizeof SORTS[0] && strcmp(SORTS[j].name, v) != 0)
                j++;
            if (j == sizeof SORTS / sizeof SORTS[0])
                return rerr_set(
                    err, R_EINVAL, "bad_query", k,
                    "sort 应为 rank_city（全市排名）、rank_level（同级排名）或 rank_proc（本院排名）");
            p->sort = SORTS[j].order;
        } else
            return rerr_set(err, R_EINVAL, "bad_query", k,
                            "未知或重复的查询参数“%s”（可用 period、scheme_id、%s）", k,
                            explain ? "branch_id、procuratorate_id、member_id 或 party_group_id 之一"
                            : use == FOR_HONOURS ? "kind、branch_id"
                                                 : "kind、branch_id、page、per_page、sort");
        if (rc < 0)
            return rc;
    }
    struct eval_period per;
    if (!p->period)
        return rerr_set(err, R_EINVAL, "bad_query", "period",
                        "请提供考评期间 period（如 2025、2025-Q3、2025-07）");
    int rc = eval_period_parse(p->period, &per, err);
    if (rc < 0)
        return rc;
    bool known = !p->kind;
    for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0] && !known; i++)
        known = !strcmp(p->kind, KINDS[i]);
    if (!known)
        return rerr_set(
            err, R_EINVAL, "bad_query", "kind",
            "kind 应为 branch（党组织）、procuratorate（检察院）、member（党员）或 party_group（党小组）");
    if (explain && !p->branch && !p->proc && !p->member && !p->group)
        return rerr_set(
            err, R_EINVAL, "bad_query", "branch_id",
            "请提供党组织 branch_id、检察院 procuratorate_id、党员 member_id 或党小组 party_group_id");
    if (explain)
        p->kind = p->branch ? "branch" : p->proc ? "procuratorate" : p->member ? "member" : "party_group";
    return 0;
}

/* The newest run of the period (of scheme "scheme_id" when not 0) that covers the reader:
 * for one who reads every procuratorate, one that computed them all; for a county
 * reader, one of them all or of its own (a county's run of its own branches never hides
 * the city's ranking). 0 with *run (0 when there is none). */
static int latest_run(struct res_ctx *x, const char *period, int64_t scheme_id, const char *kind,
                      int64_t *run, struct rerr *err)
{
    struct eval_period per;
    eval_period_parse(period, &per, NULL);
    int64_t own = 0;
    bool narrowed = authz_read_narrowed(x->who, READ_SCOPED, &own);
    store_stmt *st =
        store_prepare(x->c, "SELECT max(id) FROM eval_runs r WHERE period = ?1 AND (?2 = 0 OR scheme_id = ?2)"
                            " AND (scope_procuratorate_id IS NULL OR scope_procuratorate_id = ?3)"
                            " AND EXISTS (SELECT 1 FROM eval_results t WHERE t.run_id = r.id"
                            " AND t.subject_kind = ?4 AND t.total IS NOT NULL)");
    store_bind_text(st, 1, per.label);
    store_bind_int(st, 2, scheme_id);
    store_bind_int(st, 3, narrowed ? own : 0);
    store_bind_text(st, 4, kind);
    int rc = store_step(st, err);
    *run = rc == STORE_ROW ? store_col_int(st, 0) : 0;
    store_done(st);
    return rc < 0 ? rc : 0;
}

static json_t *real_or_null(store_stmt *st, int i)
{
    return (store_col_type(st, i) == STORE_NULL) ? json_null() : json_real(store_col_real(st, i));
}

static json_t *int_or_null(store_stmt *st, int i)
{
    return (store_col_type(st, i) == STORE_NULL) ? json_null() : json_integer(store_col_int(st, i));
}

static json_t *run_json(struct res_ctx *x, int64_t run, struct rerr *err)
{
    store_stmt *st =
        store_prepare(x->c, "SELECT r.id, r.period, r.computed_at, s.id, s.name, s.edition"
                            " FROM eval_runs r JOIN eval_schemes s ON s.id = r.scheme_id WHERE r.id = ?");
    store_bind_int(st, 1, run);
    json_t *o = NULL;
    if (store_step(st, err) == STORE_ROW)
        o = json_pack("{s:I, s:s, s:s, s:{s:I, s:s, s:I}}", "id", (json_int_t)store_col_int(st, 0), "period",
                      store_col_text(st, 1), "computed_at", store_col_text(st, 2), "scheme", "id",
                      (json_int_t)store_col_int(st, 3), "name", store_col_text(st, 4), "edition",
                      (json_int_t)store_col_int(st, 5));
    store_done(st);
    return o;
}

/* The results "q" asks for: one page of them, or with "all" every one (page and
 * per_page checked, then ignored), in the order asked; the total counts them all. */
int eval_results_read(struct res_ctx *x, const struct res_query *q, bool all, json_t **out, struct rerr *err)
{
    struct params p;
    int rc = authz_read_collection(x->who, READ_SCOPED, err);
    if (rc < 0 || (rc = params_of(q, FOR_RESULTS, &p, err)) < 0 || (rc = store_begin_read(x->c, err)) < 0)
        return rc;
    int64_t run = 0, own = 0, total = 0;
    bool narrowed = authz_read_narrowed(x->who, READ_SCOPED, &own);
    const char *kind = p.kind ? p.kind : "branch";
    rc = latest_run(x, p.period, p.scheme, kind, &run, err);
    const char *where = " WHERE t.run_id = ?1 AND t.subject_kind = ?2 AND (?3 = 0 OR t.procuratorate_id = ?3)"
                        " AND (?4 = 0 OR t.branch_id = ?4)";
    store_stmt *st;
    if (rc >= 0 &&
        (rc = store_prepare_built(x->c, arena_printf(x->a, "SELECT count(*) FROM eval_results t%s", where),
                                  &st, err)) == 0) {
        store_bind_int(st, 1, run);
        store_bind_text(st, 2, kind);
        store_bind_int(st, 3, narrowed ? own : 0);
        store_bind_int(st, 4, p.branch);
        if ((rc = store_step(st, err)) == STORE_ROW)
            total = store_col_int(st, 0);
        store_done(st);
    }
    /* the page first, from the results alone; then the names of its rows */
    const char *sql = arena_printf(
        x->a,
        "SELECT t.subject_kind, t.subject_id, coalesce(b.name, pr.name, m.name, g.name), t.procuratorate_id,"
        " t.total, t.fusion,"
        " t.party, t.business, t.linkage, t.rank_city, t.rank_level, t.rank_proc, t.movement, t.resonance,"
        " t.resonance_lo, t.resonance_hi, t.resonance_n, t.missing, t.pending, t.stale, t.branch_id"
        " FROM (SELECT t.subject_kind, t.subject_id, t.procuratorate_id, t.total, t.fusion, t.party,"
        " t.business, t.linkage, t.rank_city, t.rank_level, t.rank_proc, t.movement, t.resonance,"
        " t.resonance_lo, t.resonance_hi, t.resonance_n, t.missing, t.pending, t.stale, t.branch_id"
        " FROM eval_results t%s ORDER BY %s LIMIT ?5 OFFSET ?6) t"
        " LEFT JOIN branches b ON t.subject_kind = 'branch' AND b.id = t.subject_id"
        " LEFT JOIN procuratorates pr ON t.subject_kind = 'procuratorate' AND pr.id = t.subject_id"
        " LEFT JOIN members m ON t.subject_kind = 'member' AND m.id = t.subject_id"
        " LEFT JOIN party_groups g ON t.subject_kind = 'party_group' AND g.id = t.subject_id"
        " ORDER BY %s",
        where, p.sort, p.sort);
    json_t *items = json_array();
    if (rc >= 0 && (rc = store_prepare_built(x->c, sql, &st, err)) == 0) {
        store_bind_int(st, 1, run);
        store_bind_text(st, 2, kind);
        store_bind_int(st, 3, narrowed ? own : 0);
        store_bind_int(st, 4, p.branch);
        store_bind_int(st, 5, all ? -1 : p.per_page);
        store_bind_int(st, 6, all ? 0 : (p.page - 1) * p.per_page);
        while ((rc = store_step(st, err)) == STORE_ROW)
            json_array_append_new(
                items,
                json_pack(
                    "{s:s, s:I, s:s, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I,"
                    " s:I, s:I, s:b, s:o}",
                    "subject_kind", store_col_text(st, 0), "subject_id", (json_int_t)store_col_int(st, 1),
                    "name", store_col_text(st, 2) ? store_col_text(st, 2) : "", "procuratorate_id",
                    (json_int_t)store_col_int(st, 3), "total", real_or_null(st, 4), "fusion",
                    real_or_null(st, 5), "party", real_or_null(st, 6), "business", real_or_null(st, 7),
                    "linkage", real_or_null(st, 8), "rank_city", int_or_null(st, 9), "rank_level",
                    int_or_null(st, 10), "rank_proc", int_or_null(st, 11), "movement",
                    (store_col_type(st, 12) == STORE_NULL) ? json_null()
                                                           : json_string(store_col_text(st, 12)),
                    "resonance", real_or_null(st, 13), "resonance_lo", real_or_null(st, 14), "resonance_hi",
                    real_or_null(st, 15), "resonance_n", (json_int_t)store_col_int(st, 16), "missing",
                    (json_int_t)store_col_int(st, 17), "pending", (json_int_t)store_col_int(st, 18), "stale",
                    store_col_int(st, 19) != 0, "branch_id", int_or_null(st, 20)));
        store_done(st);
    }
    json_t *r = rc >= 0 && run ? run_json(x, run, err) : NULL;
    store_rollback(x->c);
    if (rc < 0) {
        json_decref(items);
        json_decref(r);
        return rc;
    }
    *out = json_pack("{s:o, s:o, s:I, s:I, s:I}", "run", r ? r : json_null(), "items", items, "total",
                     (json_int_t)total, "page", (json_int_t)(all ? 1 : p.page), "per_page",
                     (json_int_t)(all ? total : p.per_page));
    return 0;
}

int eval_results(struct res_ctx *x, const struct res_query *q, json_t **out, struct rerr *err)
{
    return eval_results_read(x, q, false, out, err);
}

int eval_explain(struct res_ctx *x, const struct res_query *q, json_t **out, struct rerr *err)
{
    struct params p;
    int rc = authz_read_collection(x->who, READ_SCOPED, err);
    if (rc < 0 || (rc = params_of(q, FOR_EXPLAIN, &p, err)) < 0 || (rc = store_begin_read(x->c, err)) < 0)
        return rc;
    int64_t run = 0, own = 0;
    bool narrowed = authz_read_narrowed(x->who, READ_SCOPED, &own);
    rc = latest_run(x, p.period, p.scheme, p.kind, &run, err);
    store_stmt *st = store_prepare(x->c, "SELECT detail, stale, procuratorate_id FROM eval_results"
                                         " WHERE run_id = ? AND subject_kind = ? AND subject_id = ?");
    store_bind_int(st, 1, run);
    store_bind_text(st, 2, p.kind);
    store_bind_int(st, 3, p.branch ? p.branch : p.proc ? p.proc : p.member ? p.member : p.group);
    json_t *detail = NULL;
    bool stale = false;
    if (rc >= 0 && (rc = store_step(st, err)) == STORE_ROW && (!narrowed || store_col_int(st, 2) == own)) {
        detail = json_loads(store_col_text(st, 0), 0, NULL);
        stale = store_col_int(st, 1) != 0;
    }
    store_done(st);
    json_t *r = detail ? run_json(x, run, err) : NULL;
    store_rollback(x->c);
    if (rc < 0) {
        json_decref(detail);
        json_decref(r);
        return rc;
    }
    if (!detail)
        return rerr_set(err, R_ENOTFOUND, "not_found",
                        p.branch   ? "branch_id"
                        : p.proc   ? "procuratorate_id"
                        : p.member ? "member_id"
                                   : "party_group_id",
                        "该期间还没有这个%s的考评结果（或无权查看）",
                        p.branch   ? "党组织"
                        : p.proc   ? "检察院"
                        : p.member ? "党员"
                                   : "党小组");
    json_object_set_new(detail, "run", r ? r : json_null());
    json_object_set_new(detail, "stale", json_boolean(stale));
    *out = detail;
    return 0;
}

/* A candidate for honour "h" (one element of a result's detail "honours") as a proposal
 * lists it: who, where they stand, whether the rule is met and each condition with its
 * values, and the dimensions' scores behind them. */
static json_t *candidate(store_stmt *st, json_t *detail, json_t *h)
{
    json_t *dims = json_array();
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(detail, "dimensions"), i, d)
        json_array_append_new(dims, json_pack("{s:O?, s:O?}", "name", json_object_get(d, "name"), "score",
                                              json_object_get(d, "score")));
    json_t *res = json_object_get(detail, "resonance");
    /* O?: a result stored before a key existed (conditions) answers null for it */
    return json_pack("{s:I, s:s, s:I, s:o, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?}", "subject_id",
                     (json_int_t)store_col_int(st, 0), "name",
                     store_col_text(st, 1) ? store_col_text(st, 1) : "", "procuratorate_id",
                     (json_int_t)store_col_int(st, 2), "rank_city", int_or_null(st, 3), "total",
                     json_object_get(detail, "total"), "fusion", json_object_get(detail, "fusion"),
                     "resonance", json_object_get(res, "rho"), "met", json_object_get(h, "met"), "undecided",
                     json_object_get(h, "undecided"), "rule_values", json_object_get(h, "rule_values"),
                     "conditions", json_object_get(h, "conditions"), "dimensions", dims);
}

static int by_standing(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    int mx = json_is_true(json_object_get(x, "met")), my = json_is_true(json_object_get(y, "met"));
    if (mx != my)
        return my - mx;
    json_t *rx = json_object_get(x, "rank_city"), *ry = json_object_get(y, "rank_city");
    json_int_t kx = json_is_integer(rx) ? json_integer_value(rx) : INT64_MAX;
    json_int_t ky = json_is_integer(ry) ? json_integer_value(ry) : INT64_MAX;
    if (kx != ky)
        return kx < ky ? -1 : 1;
    json_int_t ix = json_integer_value(json_object_get(x, "subject_id"));
    json_int_t iy = json_integer_value(json_object_get(y, "subject_id"));
    return (ix > iy) - (ix < iy);
}

int eval_honours(struct res_ctx *x, const struct res_query *q, json_t **out, struct rerr *err)
{
    struct params p;
    int rc = authz_read_collection(x->who, READ_SCOPED, err);
    if (rc < 0 || (rc = params_of(q, FOR_HONOURS, &p, err)) < 0)
        return rc;
    if (p.kind && strcmp(p.kind, "branch") != 0)
        return rerr_set(err, R_EINVAL, "bad_query", "kind", "荣誉评定只针对党组织（kind=branch）");
    if ((rc = store_begin_read(x->c, err)) < 0)
        return rc;
    int64_t run = 0, own = 0;
    bool narrowed = authz_read_narrowed(x->who, READ_SCOPED, &own);
    rc = latest_run(x, p.period, p.scheme, "branch", &run, err);
    json_t *honours = json_array();
    store_stmt *st = store_prepare(
        x->c,
        "SELECT t.subject_id, b.name, t.procuratorate_id, t.rank_city, t.detail FROM eval_results t"
        " JOIN branches b ON b.id = t.subject_id WHERE t.run_id = ?1 AND t.subject_kind = 'branch'"
        " AND (?2 = 0 OR t.procuratorate_id = ?2) AND (?3 = 0 OR t.branch_id = ?3) ORDER BY t.subject_id");
    store_bind_int(st, 1, run);
    store_bind_int(st, 2, narrowed ? own : 0);
    store_bind_int(st, 3, p.branch);
    while (rc >= 0 && (rc = store_step(st, err)) == STORE_ROW) {
        json_t *detail = json_loads(store_col_text(st, 4), 0, NULL);
        size_t i;
        json_t *h;
        json_array_foreach(json_object_get(detail, "honours"), i, h)
        {
            json_t *entry = json_array_get(honours, i);
            if (!entry) {
                entry = json_pack("{s:O?, s:O?, s:O?, s:i, s:[]}", "name", json_object_get(h, "name"),
                                  "description", json_object_get(h, "description"), "rule",
                                  json_object_get(h, "rule"), "eligible", 0, "candidates");
                json_array_append_new(honours, entry);
            }
            json_array_append_new(json_object_get(entry, "candidates"), candidate(st, detail, h));
            if (json_is_true(json_object_get(h, "met")))
                json_object_set_new(entry, "eligible",
                                    json_integer(json_integer_value(json_object_get(entry, "eligible")) + 1));
        }
        json_decref(detail);
    }
    store_done(st);
    json_t *r = rc >= 0 && run ? run_json(x, run, err) : NULL;
    store_rollback(x->c);
    if (rc < 0) {
        json_decref(honours);
        json_decref(r);
        return rc;
    }
    /* each honour's candidates: those who meet it first, then by their place in the city */
    size_t i;
    json_t *h;
    json_array_foreach(honours, i, h)
    {
        json_t *c = json_object_get(h, "candidates");
        size_t n = json_array_size(c);
        json_t **v = calloc(n + 1, sizeof *v);
        if (!v)
            die("内存不足");
        for (size_t k = 0; k < n; k++)
            v[k] = json_incref(json_array_get(c, k));
        qsort(v, n, sizeof *v, by_standing);
        json_array_clear(c);
        for (size_t k = 0; k < n; k++)
            json_array_append_new(c, v[k]);
        free(v);
    }
    *out = json_pack("{s:o, s:o}", "run", r ? r : json_null(), "items", honours);
    return 0;
}
