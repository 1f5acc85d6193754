/*
 * eval_run.c: a run of a scheme over a period (domain/evaluation.h) — the measures of
 * every branch and procuratorate from the grid (domain/measures.h), each subject's result
 * (calc/scheme.h), 同频共振 from its twelve monthly results (calc/stats.h), the rankings
 * and their movement, honours, all stored with the explanation of every number; and the
 * reads of results and explanations.
 *
 * Determinism: subjects are taken in id order, months in calendar order, the grid sums a
 * period's months in order, and every number is computed by calc's pure functions, so
 * the same data and scheme give the same bits however the records were written.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/audit.h"
#include "base/arena.h"
#include "base/jbuf.h"
#include "base/log.h"
#include "base/text.h"
#include "calc/decimal.h"
#include "calc/stats.h"
#include "domain/eval_internal.h"
#include "domain/evaluation.h"
#include "domain/measures.h"
#include "domain/progress.h"
#include "domain/resource.h"

#define SHIFTS EXPR_SHIFTS
#define SERIES 12 /* months of the 同频共振 series: the twelve ending with the period */

/* The 同频共振 series are the volumes of work of each side, month by month: the number
 * of the records a measure counts (its numerator for a count, its denominator for a rate:
 * docs/evaluation.md 「同频共振」). */
enum side { SIDE_PARTY, SIDE_BUSINESS };
static const struct volume {
    const char *measure;
    enum side side;
    bool den;          /* its denominator (the records a rate counts) rather than its numerator */
    const char *label; /* what the part counts */
} volumes[] = {
    {"关联业务组织生活占比", SIDE_PARTY, true, "组织生活次数"},
    {"办结案件数", SIDE_BUSINESS, false, "办结案件数"},
    {"12309办结率", SIDE_BUSINESS, true, "12309 受理件数"},
    {"公益诉讼立案数", SIDE_BUSINESS, false, "公益诉讼立案数"},
    {"普法宣传次数", SIDE_BUSINESS, false, "普法宣传次数"},
};
#define NVOLUMES ((int)(sizeof volumes / sizeof volumes[0]))

struct subject {
    int kind; /* enum scheme_subject */
    int64_t id, proc;
    int64_t branch;               /* a branch's, member's or party group's branch; 0 for a procuratorate */
    const struct measure_grid *g; /* the grid its pairs are read from */
    int level;                    /* of its procuratorate: 1 市院, 2 基层院 */
    char name[256];
    int64_t *branches; /* the branches whose pairs it sums (itself, or a procuratorate's) */
    int nbranches;
    double *pair;                    /* [measure][shift][2]: numerator, denominator */
    struct calc_value *value;        /* [measure][shift] */
    struct calc_value *manual;       /* [indicator] */
    struct scheme_result *res;       /* the period's */
    double volume[NVOLUMES][SERIES]; /* each part of the series, month by month */
    double party[SERIES], business[SERIES];
    bool party_missing[SERIES], business_missing[SERIES];
    struct calc_corr corr;
    int rank_city, rank_level, rank_proc, prev_rank, delta;
    int decided; /* calc_rank_place.decided_by in the city's ranking */
    enum calc_move move;
};

struct run {
    struct res_ctx *x;
    const struct scheme *s;
    char name[256];         /* the scheme's name as stored (its editions share it) */
    int64_t scheme_version; /* its row's version when its text was read */
    struct eval_period p, shifted[SHIFTS], months[SERIES];
    struct measure_grid *g, *gm, *gg; /* branches', members', party groups' (NULL: not computed) */
    struct subject *sub;
    int n;
    int first[SCHEME_SUBJECTS], count[SCHEME_SUBJECTS]; /* each kind's subjects, by id */
    int nmeasures;
};

/* ------------------------------------------------------------------ numbers */

static json_t *dec(struct calc_value v, int places)
{
    if (v.missing)
        return json_null();
    char buf[CALC_DECIMAL_CAP];
    calc_decimal(v.v, places, buf, sizeof buf);
    return json_string(buf);
}

static json_t *decd(double v, int places)
{
    return dec(calc_number(v), places);
}

/* ------------------------------------------------------------------ measures of subjects */

/* The pairs (when "pair" is not NULL) and values of every measure for subject "u" over
 * the periods "sh" (the period, 上期, 去年同期). */
static void fill_values(struct run *r, struct subject *u, const struct eval_period *sh, double *pair,
                        struct calc_value *value)
{
    for (int m = 0; m < r->nmeasures; m++)
        for (int k = 0; k < SHIFTS; k++) {
            double num = 0, den = 0;
            bool known = false;
            for (int b = 0; b < u->nbranches; b++) {
                double bn, bd;
                if (measure_sum(u->g, m, u->branches[b], sh[k].month_from, sh[k].month_to, &bn, &bd)) {
                    num += bn;
                    den += bd;
                    known = true;
                }
            }
            double v = 0;
            bool present = known && measure_value(measure_at(m), num, den, &v);
            size_t at = (size_t)m * SHIFTS + (size_t)k;
            if (pair) {
                pair[at * 2] = num;
                pair[at * 2 + 1] = den;
            }
            value[at] = present ? calc_number(v) : calc_missing();
        }
}

static void shifts_of(const struct eval_period *p, struct eval_period out[SHIFTS])
{
    int len = p->last - p->first + 1;
    out[EXPR_NOW] = *p;
    eval_period_back(p, 1, &out[EXPR_PREVIOUS]);
    eval_period_back(p, 12 / len, &out[EXPR_YEAR_AGO]);
}

/* ------------------------------------------------------------------ reading */

static const char *const KIND_NAME[SCHEME_SUBJECTS] = {"branch", "procuratorate", "member", "party_group"};

/* The kind named "name" as eval_results stores it, or -1. */
static int kind_of(const char *name)
{
    for (int k = 0; k < SCHEME_SUBJECTS; k++)
        if (name && !strcmp(name, KIND_NAME[k]))
            return k;
    return -1;
}

/* The subject of "kind" and "id", or NULL: each kind's subjects are in id order. */
static struct subject *find_subject(struct run *r, int kind, int64_t id)
{
    if (kind < 0)
        return NULL;
    int lo = r->first[kind], hi = r->first[kind] + r->count[kind] - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (r->sub[mid].id == id)
            return &r->sub[mid];
        if (r->sub[mid].id < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

/* Whether any indicator of the scheme applies to subjects of "kind". */
static bool applies(const struct scheme *s, int kind)
{
    for (int i = 0; i < scheme_nindicators(s); i++)
        if (scheme_indicator(s, i)->subjects & (1u << kind))
            return true;
    return false;
}

static int count_of(struct run *r, const char *sql, int64_t own, int *n, struct rerr *err)
{
    store_stmt *st = store_prepare(r->x->c, sql);
    store_bind_int(st, 1, own);
    int rc = store_step(st, err);
    *n = rc == STORE_ROW ? (int)store_col_int(st, 0) : 0;
    store_done(st);
    return rc < 0 ? rc : 0;
}

/* The subjects of one kind, in id order, from "sql" answering (id, procuratorate, its
 * level, name, branch) for the procuratorate ?1 (0: all), at most "cap" in all. */
static int load_kind(struct run *r, int kind, const struct measure_grid *g, const char *sql, int64_t own,
                     int cap, struct rerr *err)
{
    r->first[kind] = r->n;
    store_stmt *st = store_prepare(r->x->c, sql);
    store_bind_int(st, 1, own);
    int rc;
    while ((rc = store_step(st, err)) == STORE_ROW && r->n < cap) {
        struct subject *u = &r->sub[r->n++];
        u->kind = kind;
        u->g = g;
        u->id = store_col_int(st, 0);
        u->proc = store_col_int(st, 1);
        u->level = (int)store_col_int(st, 2);
        snprintf(u->name, sizeof u->name, "%s", store_col_text(st, 3) ? store_col_text(st, 3) : "");
        u->branch = store_col_int(st, 4);
        if (kind == SCHEME_PROCURATORATE)
            continue; /* its branches: below */
        u->branches = malloc(sizeof *u->branches);
        if (!u->branches)
            die("内存不足");
        u->branches[0] = u->id;
        u->nbranches = 1;
    }
    store_done(st);
    r->count[kind] = r->n - r->first[kind];
    return rc < 0 ? rc : 0;
}

/* Branches and procuratorates always; members and party groups when an indicator of the
 * scheme applies to them. Each kind in id order, inside the reader's scope. */
static int load_subjects(struct run *r, struct rerr *err)
{
    int64_t own = 0;
    if (!authz_read_narrowed(r->x->who, READ_SCOPED, &own))
        own = 0;
    bool members = applies(r->s, SCHEME_MEMBER), groups = applies(r->s, SCHEME_PARTY_GROUP);
    int nb = 0, np = 0, nm = 0, ng = 0;
    int rc = count_of(r, "SELECT count(*) FROM branches", 0, &nb, err);
    if (rc == 0)
        rc = count_of(r, "SELECT count(*) FROM procuratorates", 0, &np, err);
    if (rc == 0 && members)
        rc = count_of(r, "SELECT count(*) FROM members", 0, &nm, err);
    if (rc == 0 && groups)
        rc = count_of(r, "SELECT count(*) FROM party_groups", 0, &ng, err);
    if (rc < 0)
        return rc;
    int cap = nb + np + nm + ng;
    r->sub = calloc((size_t)cap + 1, sizeof *r->sub);
    if (!r->sub)
        die("内存不足");
    rc = load_kind(r, SCHEME_BRANCH, r->g,
                   "SELECT b.id, b.procuratorate_id, p.level, b.name, b.id FROM branches b"
                   " JOIN procuratorates p ON p.id = b.procuratorate_id"
                   " WHERE ?1 = 0 OR b.procuratorate_id = ?1 ORDER BY b.id",
                   own, cap, err);
    if (rc == 0)
        rc =
            load_kind(r, SCHEME_PROCURATORATE, r->g,
                      "SELECT id, id, level, name, 0 FROM procuratorates WHERE ?1 = 0 OR id = ?1 ORDER BY id",
                      own, cap, err);
    for (int i = r->first[SCHEME_PROCURATORATE]; rc == 0 && i < r->n; i++) {
        struct subject *u = &r->sub[i];
        u->branches = calloc((size_t)r->count[SCHEME_BRANCH] + 1, sizeof *u->branches);
        if (!u->branches)
            die("内存不足");
        for (int j = r->first[SCHEME_BRANCH]; j < r->first[SCHEME_BRANCH] + r->count[SCHEME_BRANCH]; j++)
            if (r->sub[j].proc == u->id)
                u->branches[u->nbranches++] = r->sub[j].id;
    }
    if (rc == 0 && members)
        rc = load_kind(r, SCHEME_MEMBER, r->gm,
                       "SELECT m.id, m.procuratorate_id, p.level, m.name, m.branch_id FROM members m"
                       " JOIN procuratorates p ON p.id = m.procuratorate_id"
                       " WHERE ?1 = 0 OR m.procuratorate_id = ?1 ORDER BY m.id",
                       own, cap, err);
    if (rc == 0 && groups)
        rc = load_kind(r, SCHEME_PARTY_GROUP, r->gg,
                       "SELECT g.id, g.procuratorate_id, p.level, g.name, g.branch_id FROM party_groups g"
                       " JOIN procuratorates p ON p.id = g.procuratorate_id"
                       " WHERE ?1 = 0 OR g.procuratorate_id = ?1 ORDER BY g.id",
                       own, cap, err);
    return rc;
}

/* The approved hand values of this scheme's name and period. */
static int load_manual(struct run *r, struct rerr *err)
{
    int ni = scheme_nindicators(r->s);
    for (int i = 0; i < r->n; i++) {
        r->sub[i].manual = calloc((size_t)(ni ? ni : 1), sizeof *r->sub[i].manual);
        if (!r->sub[i].manual)
            die("内存不足");
        for (int k = 0; k < ni; k++)
            r->sub[i].manual[k] = calc_missing();
    }
    store_stmt *st =
        store_prepare(r->x->c, "SELECT indicator, subject_kind, subject_id, value FROM eval_manual_values"
                               " WHERE scheme_name = ? AND period = ? AND status = '已通过'");
    store_bind_text(st, 1, r->name);
    store_bind_text(st, 2, r->p.label);
    int rc;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        const char *ind = store_col_text(st, 0);
        struct subject *u = find_subject(r, kind_of(store_col_text(st, 1)), store_col_int(st, 2));
        for (int k = 0; u && k < ni; k++)
            if (!strcmp(scheme_indicator(r->s, k)->name, ind))
                u->manual[k] = calc_number(store_col_real(st, 3));
    }
    store_done(st);
    return rc < 0 ? rc : 0;
}

/* The ranks of the last run of a scheme of this name for the period before. */
static int load_previous(struct run *r, struct rerr *err)
{
    struct eval_period prev;
    eval_period_back(&r->p, 1, &prev);
    store_stmt *st = store_prepare(
        r->x->c,
        "SELECT subject_kind, subject_id, rank_city FROM eval_results WHERE run_id = (SELECT max(r.id)"
        " FROM eval_runs r JOIN eval_schemes s ON s.id = r.scheme_id WHERE s.name = ? AND r.period = ?)");
    store_bind_text(st, 1, r->name);
    store_bind_text(st, 2, prev.label);
    int rc;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        struct subject *u = find_subject(r, kind_of(store_col_text(st, 0)), store_col_int(st, 1));
        if (u)
            u->prev_rank = (int)store_col_int(st, 2);
    }
    store_done(st);
    return rc < 0 ? rc : 0;
}

/* The months of the grid (years first_year.., month k from its first January) each measure
 * is read in by this run, into want[k * nmeasures + m]: every measure's in the period;
 * those of 上期 and 去年同期 of the measures the scheme reads there (scheme_needs); the
 * twelve months of 同频共振 of the measures its volumes count. The rest of the grid is
 * neither read nor computed: a run of 2025 computes 2024 only for what it compares. */
static void months_wanted(const struct run *r, int first_year, bool *want, int nmonths)
{
    int nm = r->nmeasures;
    bool *need = calloc((size_t)nm * SHIFTS, sizeof *need);
    if (!need)
        die("内存不足");
    scheme_needs(r->s, need);
    for (int m = 0; m < nm; m++)
        need[m * SHIFTS + EXPR_NOW] = true;
    for (int m = 0; m < nm; m++)
        for (int k = 0; k < SHIFTS; k++) {
            if (!need[m * SHIFTS + k])
                continue;
            const struct eval_period *p = &r->shifted[k];
            for (int mo = p->first; mo <= p->last; mo++) {
                int at = (p->year - first_year) * 12 + mo - 1;
                if (at >= 0 && at < nmonths)
                    want[(size_t)at * (size_t)nm + (size_t)m] = true;
            }
        }
    for (int v = 0; v < NVOLUMES; v++) {
        int m = measure_find(volumes[v].measure);
        CHECK(m >= 0);
        for (int k = 0; k < SERIES; k++) {
            int at = (r->months[k].year - first_year) * 12 + r->months[k].first - 1;
            if (at >= 0 && at < nmonths)
                want[(size_t)at * (size_t)nm + (size_t)m] = true;
        }
    }
    free(need);
}

/* ------------------------------------------------------------------ computing */

static void compute_subject(struct run *r, struct subject *u)
{
    size_t nv = (size_t)r->nmeasures * SHIFTS;
    u->pair = calloc(nv * 2, sizeof *u->pair);
    u->value = calloc(nv, sizeof *u->value);
    u->res = calloc(1, sizeof *u->res);
    if (!u->pair || !u->value || !u->res)
        die("内存不足");
    fill_values(r, u, r->shifted, u->pair, u->value);
    CHECK(scheme_evaluate(r->s, u->kind, u->value, u->manual, u->res) == 0);
    /* 同频共振: the volumes of work of each side in each of the twelve months */
    for (int k = 0; k < SERIES; k++) {
        u->party[k] = u->business[k] = 0;
        bool known = false;
        for (int v = 0; v < NVOLUMES; v++) {
            int m = measure_find(volumes[v].measure);
            CHECK(m >= 0);
            double sum = 0;
            for (int b = 0; b < u->nbranches; b++) {
                double bn, bd;
                if (measure_sum(u->g, m, u->branches[b], r->months[k].month_from, r->months[k].month_to, &bn,
                                &bd)) {
                    sum += volumes[v].den ? bd : bn;
                    known = true;
                }
            }
            u->volume[v][k] = sum;
            *(volumes[v].side == SIDE_PARTY ? &u->party[k] : &u->business[k]) += sum;
        }
        u->party_missing[k] = u->business_missing[k] = !known;
    }
    struct rerr e = {0};
    int min_n = (int)scheme_signal(r->s, "同频共振最少月数", CALC_SPEARMAN_MIN_N);
    if (calc_spearman(u->party, u->party_missing, u->business, u->business_missing, SERIES, min_n, 0.95,
                      &u->corr, &e) < 0)
        u->corr = (struct calc_corr){.missing = true, .why = "无法计算"};
}

/* Rank the subjects "pick" accepts (of kind "kind", and "same" as subject "like" by
 * procuratorate or level when asked) into the field "at" of each. */
enum rank_scope { RANK_ALL, RANK_LEVEL, RANK_PROC };

static int rank(struct run *r, int kind, enum rank_scope scope, struct rerr *err)
{
    int *idx = calloc((size_t)r->n + 1, sizeof *idx);
    bool *done = calloc((size_t)r->n + 1, sizeof *done);
    struct calc_rank_subject *rs = calloc((size_t)r->n + 1, sizeof *rs);
    struct calc_rank_place *out = calloc((size_t)r->n + 1, sizeof *out);
    double *keys = calloc((size_t)r->n * 3 + 1, sizeof *keys);
    bool *keys_missing = calloc((size_t)r->n * 3 + 1, sizeof *keys_missing);
    if (!idx || !done || !rs || !out || !keys || !keys_missing)
        die("内存不足");
    static const enum calc_order key_order[3] = {CALC_DESC, CALC_DESC, CALC_DESC};
    int rc = 0;
    for (int first = 0; rc == 0 && first < r->n; first++) {
        struct subject *lead = &r->sub[first];
        if (lead->kind != kind || done[first])
            continue;
        int m = 0;
        for (int i = first; i < r->n; i++) {
            struct subject *u = &r->sub[i];
            if (u->kind != kind || done[i] || (scope == RANK_LEVEL && u->level != lead->level) ||
                (scope == RANK_PROC && u->proc != lead->proc))
                continue;
            done[i] = true;
            idx[m] = i;
            /* ties: the fusion index, then business, then fewer 缺项; then id */
            double *k = &keys[m * 3];
            bool *km = &keys_missing[m * 3];
            k[0] = calc_round(u->res->fusion.v, 2), km[0] = u->res->fusion.missing;
            k[1] = calc_round(u->res->group[SCHEME_G_BUSINESS].score.v, 2);
            km[1] = u->res->group[SCHEME_G_BUSINESS].score.missing;
            int missing = 0;
            for (int j = 0; j < u->res->nindicators; j++)
                missing += u->res->ind[j].applicable && u->res->ind[j].missing;
            k[2] = -missing, km[2] = false;
            rs[m] = (struct calc_rank_subject){.id = u->id,
                                               .score = calc_round(u->res->total.v, 2),
                                               .missing = u->res->total.missing,
                                               .keys = k,
                                               .keys_missing = km,
                                               .prev_rank = scope == RANK_ALL ? u->prev_rank : 0};
            m++;
        }
        if ((rc = calc_rank(rs, m, CALC_DESC, key_order, 3, out, err)) < 0)
            break;
        for (int j = 0; j < m; j++) {
            struct subject *u = &r->sub[idx[out[j].subject]];
            if (scope == RANK_ALL) {
                u->rank_city = out[j].rank;
                u->decided = out[j].decided_by;
                u->move = out[j].move;
                u->delta = out[j].delta;
            } else if (scope == RANK_LEVEL) {
                u->rank_level = out[j].rank;
            } else {
                u->rank_proc = out[j].rank;
            }
        }
        if (scope == RANK_ALL)
            break; /* one ranking of them all */
    }
    free(idx);
    free(done);
    free(rs);
    free(out);
    free(keys);
    free(keys_missing);
    return rc;
}

/* What placed a subject after the one before it in the city's ranking (the keys of
 * rank(): docs/evaluation.md 「排名」), or NULL for the first (and the first 缺项). */
static const char *decided_name(int decided)
{
    static const char *const keys[] = {"融合指数", "业务", "缺项个数", "并列"};
    return decided == -1 ? "总分" : decided >= 0 && decided <= 3 ? keys[decided] : NULL;
}

static const char *move_name(enum calc_move m, bool missing)
{
    if (missing)
        return NULL;
    return m == CALC_MOVE_UP ? "上升" : m == CALC_MOVE_DOWN ? "下降" : m == CALC_MOVE_SAME ? "持平" : "新进";
}

/* ------------------------------------------------------------------ the explanation */

/* The explanation is written as JSON text straight from the results (a run stores one
 * for each of thousands of subjects): the text jansson's compact dump of the same tree
 * would give, its keys in this order. "jw" keeps, for each open object or array, whether
 * a member has been written (the comma before the next). */
#define JW_DEPTH 8
struct jw {
    struct jbuf b;
    bool more[JW_DEPTH];
    int depth;
};

/* The separator, then "key": when "key" is not NULL (a member of an object). */
static void jw_key(struct jw *w, const char *key)
{
    if (w->more[w->depth])
        jbuf_raw(&w->b, ",", 1);
    w->more[w->depth] = true;
    if (key) {
        jbuf_str(&w->b, key);
        jbuf_raw(&w->b, ":", 1);
    }
}

/* Open an object ('{') or array ('[') as member "key" (NULL: an element). */
static void jw_open(struct jw *w, const char *key, char c)
{
    jw_key(w, key);
    jbuf_raw(&w->b, &c, 1);
    CHECK(w->depth + 1 < JW_DEPTH);
    w->more[++w->depth] = false;
}

static void jw_close(struct jw *w, char c)
{
    jbuf_raw(&w->b, &c, 1);
    w->depth--;
}

static void jw_str(struct jw *w, const char *key, const char *v) /* NULL: null */
{
    jw_key(w, key);
    if (v)
        jbuf_str(&w->b, v);
    else
        jbuf_lit(&w->b, "null");
}

static void jw_int(struct jw *w, const char *key, int64_t v)
{
    jw_key(w, key);
    jbuf_int(&w->b, v);
}

static void jw_bool(struct jw *w, const char *key, bool v)
{
    jw_key(w, key);
    jbuf_lit(&w->b, v ? "true" : "false");
}

/* A rank or count, null when 0 (none). */
static void jw_int_or_null(struct jw *w, const char *key, int v)
{
    if (v)
        jw_int(w, key, v);
    else
        jw_str(w, key, NULL);
}

/* "v" as a decimal string of "places" places (dec()), null when missing. */
static void jw_dec(struct jw *w, const char *key, struct calc_value v, int places)
{
    if (v.missing) {
        jw_str(w, key, NULL);
        return;
    }
    char buf[CALC_DECIMAL_CAP];
    calc_decimal(v.v, places, buf, sizeof buf);
    jw_str(w, key, buf);
}

static void jw_decd(struct jw *w, const char *key, double v, int places)
{
    jw_dec(w, key, calc_number(v), places);
}

/* Expression "e" with the values "refs" put in (expr_describe). */
static void jw_describe(struct jw *w, const char *key, const struct expr *e, const struct calc_value *refs)
{
    char small[1024];
    size_t n = expr_describe(e, refs, small, sizeof small);
    if (n < sizeof small) {
        jw_str(w, key, small);
        return;
    }
    char *big = malloc(n + 1);
    if (!big)
        die("内存不足");
    expr_describe(e, refs, big, n + 1);
    jw_str(w, key, big);
    free(big);
}

static const char *shift_name(int k)
{
    return k == EXPR_NOW ? "本期" : k == EXPR_PREVIOUS ? "上期" : "去年同期";
}

/* The measures an expression reads, with their pairs and values: member "inputs". */
static void inputs_of(struct jw *w, struct run *r, const struct subject *u, const struct expr *e)
{
    jw_open(w, "inputs", '[');
    for (int i = 0; e && i < expr_nrefs(e); i++) {
        const struct expr_ref *ref = expr_ref_at(e, i);
        if (ref->name >= r->nmeasures)
            continue; /* 值: the indicator's own value */
        const struct measure *m = measure_at(ref->name);
        size_t at = (size_t)ref->name * SHIFTS + (size_t)ref->shift;
        jw_open(w, NULL, '{');
        jw_str(w, "measure", m->name);
        jw_str(w, "shift", shift_name(ref->shift));
        jw_str(w, "period", r->shifted[ref->shift].label);
        jw_str(w, "unit", m->unit);
        jw_decd(w, "num", u->pair[at * 2], 4);
        if (m->kind == MEASURE_COUNT)
            jw_str(w, "den", NULL);
        else
            jw_decd(w, "den", u->pair[at * 2 + 1], 4);
        jw_dec(w, "value", u->value[at], 4);
        jw_close(w, '}');
    }
    jw_close(w, ']');
}

static void indicators_of(struct jw *w, struct run *r, const struct subject *u)
{
    const struct scheme *s = r->s;
    struct calc_value refs[EXPR_MAX_REFS + 1];
    jw_open(w, "indicators", '[');
    for (int i = 0; i < scheme_nindicators(s); i++) {
        const struct scheme_indicator *d = scheme_indicator(s, i);
        const struct scheme_indicator_result *ir = &u->res->ind[i];
        if (!ir->applicable)
            continue;
        jw_open(w, NULL, '{');
        jw_str(w, "name", d->name);
        jw_str(w, "dimension", scheme_dim(s, d->dim)->name);
        jw_decd(w, "weight", d->weight, 2);
        jw_bool(w, "manual", d->manual);
        jw_bool(w, "pending", ir->pending);
        jw_bool(w, "missing", ir->missing);
        jw_bool(w, "floored", ir->floored);
        jw_dec(w, "value", ir->value, 4);
        jw_dec(w, "score", ir->score, 2);
        jw_decd(w, "score_used", ir->score_used, 2);
        jw_decd(w, "weight_used", ir->weight_used, 4);
        jw_decd(w, "contribution", ir->contribution, 4);
        jw_str(w, "description", d->description);
        if (d->formula) {
            scheme_formula_values(s, i, u->value, refs);
            jw_str(w, "formula", expr_text(d->formula));
            jw_describe(w, "formula_values", d->formula, refs);
            inputs_of(w, r, u, d->formula);
        }
        if (d->rule) {
            scheme_rule_values(s, i, u->value, ir->value, refs);
            jw_str(w, "rule", expr_text(d->rule));
            jw_describe(w, "rule_values", d->rule, refs);
        }
        jw_close(w, '}');
    }
    jw_close(w, ']');
}

static void resonance_of(struct jw *w, struct run *r, const struct subject *u)
{
    bool none = u->corr.missing;
    jw_open(w, "resonance", '{');
    jw_bool(w, "missing", none);
    jw_int(w, "n", u->corr.n);
    if (none) {
        jw_str(w, "rho", NULL);
        jw_str(w, "lo", NULL);
        jw_str(w, "hi", NULL);
    } else {
        jw_decd(w, "rho", u->corr.rho, 4);
        jw_decd(w, "lo", u->corr.lo, 4);
        jw_decd(w, "hi", u->corr.hi, 4);
    }
    jw_str(w, "why", u->corr.why);
    jw_open(w, "months", '[');
    for (int k = 0; k < SERIES; k++)
        jw_str(w, NULL, r->months[k].label);
    jw_close(w, ']');
    jw_open(w, "party", '[');
    for (int k = 0; k < SERIES; k++)
        jw_dec(w, NULL, u->party_missing[k] ? calc_missing() : calc_number(u->party[k]), 0);
    jw_close(w, ']');
    jw_open(w, "business", '[');
    for (int k = 0; k < SERIES; k++)
        jw_dec(w, NULL, u->business_missing[k] ? calc_missing() : calc_number(u->business[k]), 0);
    jw_close(w, ']');
    jw_str(w, "party_label", "组织生活次数");
    jw_str(w, "business_label", "业务办理件次");
    jw_open(w, "parts", '[');
    for (int v = 0; v < NVOLUMES; v++) {
        jw_open(w, NULL, '{');
        jw_str(w, "side", volumes[v].side == SIDE_PARTY ? "党建" : "业务");
        jw_str(w, "measure", volumes[v].measure);
        jw_str(w, "part", volumes[v].den ? "分母" : "分子");
        jw_str(w, "label", volumes[v].label);
        jw_open(w, "values", '[');
        for (int k = 0; k < SERIES; k++)
            jw_dec(w, NULL, u->party_missing[k] ? calc_missing() : calc_number(u->volume[v][k]), 0);
        jw_close(w, ']');
        jw_close(w, '}');
    }
    jw_close(w, ']');
    jw_close(w, '}');
}

static void honours_of(struct jw *w, struct run *r, const struct subject *u)
{
    const struct scheme *s = r->s;
    const struct scheme_result *res = u->res;
    struct calc_value refs[EXPR_MAX_REFS + 1];
    struct calc_value rho = u->corr.missing ? calc_missing() : calc_number(u->corr.rho);
    struct calc_value rk = u->rank_city ? calc_number(u->rank_city) : calc_missing();
    jw_open(w, "honours", '[');
    for (int h = 0; h < scheme_nhonours(s); h++) {
        const struct scheme_honour *d = scheme_honour(s, h);
        struct calc_value met = scheme_honour_eval(s, h, res, rho, rk);
        scheme_honour_values(s, h, res, rho, rk, refs);
        jw_open(w, NULL, '{');
        jw_str(w, "name", d->name);
        jw_str(w, "description", d->description);
        jw_bool(w, "met", !met.missing && met.v != 0);
        jw_bool(w, "undecided", met.missing);
        jw_str(w, "rule", expr_text(d->rule));
        jw_describe(w, "rule_values", d->rule, refs);
        /* each condition of "A 且 B 且 …" on its own: what the proposal meets and misses */
        jw_open(w, "conditions", '[');
        for (int k = 0; k < d->nconditions; k++) {
            struct calc_value c = scheme_condition_eval(s, d->condition[k], res, rho, rk);
            struct calc_value crefs[EXPR_MAX_REFS];
            scheme_condition_values(s, d->condition[k], res, rho, rk, crefs);
            jw_open(w, NULL, '{');
            jw_str(w, "rule", expr_text(d->condition[k]));
            jw_describe(w, "rule_values", d->condition[k], crefs);
            jw_bool(w, "met", !c.missing && c.v != 0);
            jw_bool(w, "undecided", c.missing);
            jw_close(w, '}');
        }
        jw_close(w, ']');
        jw_close(w, '}');
    }
    jw_close(w, ']');
}

/* Subject "u"'s explanation (docs/evaluation.md 「得分解释」), as the text stored with its
 * result: the caller's (free). */
static char *explanation(struct run *r, const struct subject *u, int64_t scheme_id, int edition)
{
    const struct scheme *s = r->s;
    const struct scheme_result *res = u->res;
    struct jw w = {.depth = 0};
    jw_open(&w, NULL, '{');
    jw_open(&w, "subject", '{');
    jw_str(&w, "kind", KIND_NAME[u->kind]);
    jw_int(&w, "id", u->id);
    jw_str(&w, "name", u->name);
    jw_close(&w, '}');
    jw_str(&w, "period", r->p.label);
    jw_str(&w, "from", r->p.from);
    jw_str(&w, "to", r->p.to);
    jw_open(&w, "scheme", '{');
    jw_int(&w, "id", scheme_id);
    jw_str(&w, "name", r->name);
    jw_str(&w, "title", scheme_name(s));
    jw_int(&w, "edition", edition);
    jw_close(&w, '}');
    jw_dec(&w, "total", res->total, 2);
    char floor_rule[64]; /* as the scheme says it: 按 60 分计 */
    snprintf(floor_rule, sizeof floor_rule, "按 %g 分计", scheme_missing_floor(s));
    jw_str(&w, "missing_rule", scheme_missing_rule(s) == SCHEME_REWEIGHT ? "重新分配权重" : floor_rule);
    jw_decd(&w, "total_weight_sum", res->total_weight_sum, 4);
    jw_dec(&w, "fusion", res->fusion, 2);
    jw_str(&w, "fusion_formula", expr_text(scheme_fusion(s)));
    struct calc_value refs[EXPR_MAX_REFS + 1];
    scheme_fusion_values(s, res, refs);
    jw_describe(&w, "fusion_values", scheme_fusion(s), refs);
    jw_open(&w, "groups", '{');
    for (int g = 0; g < SCHEME_GROUPS; g++) {
        jw_open(&w, scheme_group_name(g), '{');
        jw_dec(&w, "score", res->group[g].score, 2);
        jw_decd(&w, "weight_sum", res->group[g].weight_sum, 4);
        jw_close(&w, '}');
    }
    jw_close(&w, '}');
    jw_open(&w, "dimensions", '[');
    for (int k = 0; k < scheme_ndims(s); k++) {
        const struct scheme_dim *d = scheme_dim(s, k);
        const struct scheme_dim_result *dr = &res->dim[k];
        if (!dr->applicable)
            continue;
        jw_open(&w, NULL, '{');
        jw_str(&w, "name", d->name);
        jw_str(&w, "group", scheme_group_name(d->group));
        jw_decd(&w, "weight", d->weight, 2);
        jw_dec(&w, "score", dr->score, 2);
        jw_decd(&w, "indicator_weight_sum", dr->indicator_weight_sum, 4);
        jw_decd(&w, "weight_used", dr->weight_used, 4);
        jw_decd(&w, "contribution", dr->contribution, 4);
        jw_close(&w, '}');
    }
    jw_close(&w, ']');
    indicators_of(&w, r, u);
    resonance_of(&w, r, u);
    honours_of(&w, r, u);
    jw_open(&w, "ranks", '{');
    jw_int_or_null(&w, "city", u->rank_city);
    jw_int_or_null(&w, "level", u->rank_level);
    jw_int_or_null(&w, "procuratorate", u->rank_proc);
    jw_int_or_null(&w, "previous", u->prev_rank);
    jw_str(&w, "movement", move_name(u->move, res->total.missing));
    jw_str(&w, "decided_by", decided_name(u->decided));
    jw_close(&w, '}');
    jw_close(&w, '}');
    CHECK(w.depth == 0);
    size_t len;
    return jbuf_take(&w.b, &len);
}

/* ------------------------------------------------------------------ writing */

static int store_results(struct run *r, int64_t scheme_id, int edition, int64_t *run_id, struct rerr *err)
{
    char now[32];
    text_now(now);
    /* a run the system makes (the command line, the demo) belongs to the city */
    int64_t owner = r->x->who->procuratorate_id;
    store_stmt *st =
        store_prepare(r->x->c, "SELECT coalesce(?1, (SELECT min(id) FROM procuratorates WHERE level = 1))");
    if (owner)
        store_bind_int(st, 1, owner);
    else
        store_bind_null(st, 1);
    int rc = store_step(st, err);
    owner = rc == STORE_ROW ? store_col_int(st, 0) : 0;
    store_done(st);
    if (rc < 0)
        return rc;
    /* The scheme may not have changed since its text was read (an unused one may be
     * edited meanwhile): its results must be of the text it holds, frozen from now on. */
    st = store_prepare(r->x->c, "SELECT version FROM eval_schemes WHERE id = ?");
    store_bind_int(st, 1, scheme_id);
    rc = store_step(st, err);
    bool same = rc == STORE_ROW && store_col_int(st, 0) == r->scheme_version;
    store_done(st);
    if (rc < 0)
        return rc;
    if (!same)
        return rerr_set(err, R_ECONFLICT, "scheme_changed", "scheme_id",
                        "考评方案在计算期间被修改或删除，请重新计算");
    st = store_prepare(r->x->c, "INSERT INTO eval_runs(procuratorate_id, scheme_id, period, period_from,"
                                " period_to, subjects, computed_at, computed_by, created_at, updated_at,"
                                " scope_procuratorate_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    store_bind_int(st, 1, owner);
    store_bind_int(st, 2, scheme_id);
    store_bind_text(st, 3, r->p.label);
    store_bind_text(st, 4, r->p.from);
    store_bind_text(st, 5, r->p.to);
    int stored = 0;
    for (int i = 0; i < r->n; i++)
        stored += applies(r->s, r->sub[i].kind);
    store_bind_int(st, 6, stored);
    store_bind_text(st, 7, now);
    if (r->x->who->user_id)
        store_bind_int(st, 8, r->x->who->user_id);
    else
        store_bind_null(st, 8);
    store_bind_text(st, 9, now);
    store_bind_text(st, 10, now);
    int64_t own = 0;
    if (authz_read_narrowed(r->x->who, READ_SCOPED, &own)) /* a county's run: its own subjects only */
        store_bind_int(st, 11, own);
    else
        store_bind_null(st, 11);
    rc = store_step(st, err);
    *run_id = store_last_id(r->x->c);
    store_done(st);
    for (int i = 0; rc >= 0 && i < r->n; i++) {
        struct subject *u = &r->sub[i];
        if (!applies(r->s, u->kind))
            continue; /* no indicator of the scheme applies to its kind: no result */
        char *text = explanation(r, u, scheme_id, edition);
        int missing = 0, pending = 0;
        for (int j = 0; j < u->res->nindicators; j++) {
            missing += u->res->ind[j].applicable && u->res->ind[j].missing;
            pending += u->res->ind[j].applicable && u->res->ind[j].pending;
        }
        st = store_prepare(
            r->x->c, "INSERT INTO eval_results(run_id, procuratorate_id, branch_id, subject_kind, subject_id,"
                     " period, total, fusion, party, business, linkage, missing, pending, rank_city,"
                     " rank_level, rank_proc, movement, resonance, resonance_lo, resonance_hi, resonance_n,"
                     " detail, created_at, updated_at)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
                     " ?18, ?19, ?20, ?21, ?22, ?23, ?23)");
        store_bind_int(st, 1, *run_id);
        store_bind_int(st, 2, u->proc);
        if (u->branch)
            store_bind_int(st, 3, u->branch);
        else
            store_bind_null(st, 3);
        store_bind_text(st, 4, KIND_NAME[u->kind]);
        store_bind_int(st, 5, u->id);
        store_bind_text(st, 6, r->p.label);
        struct calc_value vals[5] = {u->res->total, u->res->fusion, u->res->group[SCHEME_G_PARTY].score,
                                     u->res->group[SCHEME_G_BUSINESS].score,
                                     u->res->group[SCHEME_G_FUSION].score};
        for (int k = 0; k < 5; k++) {
            if (vals[k].missing)
                store_bind_null(st, 7 + k);
            else
                store_bind_real(st, 7 + k, calc_round(vals[k].v, 2));
        }
        store_bind_int(st, 12, missing);
        store_bind_int(st, 13, pending);
        int ranks[3] = {u->rank_city, u->rank_level, u->rank_proc};
        for (int k = 0; k < 3; k++) {
            if (ranks[k])
                store_bind_int(st, 14 + k, ranks[k]);
            else
                store_bind_null(st, 14 + k);
        }
        const char *mv = move_name(u->move, u->res->total.missing);
        if (mv)
            store_bind_text(st, 17, mv);
        else
            store_bind_null(st, 17);
        if (u->corr.missing) {
            store_bind_null(st, 18);
            store_bind_null(st, 19);
            store_bind_null(st, 20);
        } else {
            store_bind_real(st, 18, calc_round(u->corr.rho, 4));
            store_bind_real(st, 19, calc_round(u->corr.lo, 4));
            store_bind_real(st, 20, calc_round(u->corr.hi, 4));
        }
        store_bind_int(st, 21, u->corr.n);
        store_bind_text(st, 22, text);
        store_bind_text(st, 23, now);
        rc = store_step(st, err);
        store_done(st);
        free(text);
    }
    if (rc >= 0) {
        st = store_prepare(r->x->c, "UPDATE eval_schemes SET used = 1 WHERE id = ? AND used = 0");
        store_bind_int(st, 1, scheme_id);
        rc = store_step(st, err);
        store_done(st);
    }
    if (rc >= 0) {
        json_t *after = json_pack("{s:I, s:s, s:i, s:i}", "scheme_id", (json_int_t)scheme_id, "period",
                                  r->p.label, "edition", edition, "subjects", r->n);
        rc = audit_append(r->x->c, r->x->who, "run", "eval-runs", *run_id, owner, NULL, after, err);
        json_decref(after);
    }
    return rc < 0 ? rc : 0;
}

/* ------------------------------------------------------------------ the signals beside */

/* The formalism signals are read (eval_signals_find) on a thread of their own with a
 * second connection while the run computes and writes its results, and written once the
 * results are committed; with no second connection to be had, read then, as before. They
 * read the ledgers only (not the results), each in a read transaction of its own. */
struct finder {
    const struct scheme *s;
    const struct eval_period *p;
    struct res_ctx x;
    pthread_t t;
    bool running;
    int rc;
    struct rerr err;
    struct eval_signals *found;
};

static void *find_signals(void *arg)
{
    struct finder *f = arg;
    f->rc = eval_signals_find(&f->x, f->s, f->p, &f->found, &f->err);
    return NULL;
}

static void finder_start(struct finder *f, struct res_ctx *x, const struct scheme *s,
                         const struct eval_period *p)
{
    *f = (struct finder){.s = s, .p = p, .x = {.who = x->who}};
    f->x.c = store_try_acquire(store_conn_owner(x->c));
    if (!f->x.c)
        return;
    f->x.a = arena_new();
    f->running = pthread_create(&f->t, NULL, find_signals, f) == 0;
    if (!f->running) {
        store_release(f->x.c);
        arena_free(f->x.a);
        f->x = (struct res_ctx){0};
    }
}

/* The signals found beside the run (or found now), stored for run "run_id" when "keep";
 * the finder's connection given back either way. */
static int finder_finish(struct finder *f, struct res_ctx *x, bool keep, int64_t run_id, struct rerr *err)
{
    if (f->running) {
        pthread_join(f->t, NULL);
        f->running = false;
        store_release(f->x.c);
        arena_free(f->x.a);
    } else if (keep) {
        f->rc = eval_signals_find(x, f->s, f->p, &f->found, &f->err);
    }
    int rc = 0;
    if (keep && f->rc < 0) {
        *err = f->err;
        rc = eval_signals_failed(f->rc, run_id, err);
    } else if (keep) {
        rc = eval_signals_store(x, f->found, run_id, err);
    }
    eval_signals_free(f->found);
    f->found = NULL;
    return rc;
}

static void run_free(struct run *r)
{
    for (int i = 0; r->sub && i < r->n; i++) {
        free(r->sub[i].branches);
        free(r->sub[i].pair);
        free(r->sub[i].value);
        free(r->sub[i].manual);
        free(r->sub[i].res);
    }
    free(r->sub);
    measure_grid_free(r->g);
    measure_grid_free(r->gm);
    measure_grid_free(r->gg);
}

/* qsort_r's order of subject indices into "subjects": rank (缺项 last), then id. */
static int by_rank(const void *a, const void *b, void *subjects)
{
    const struct subject *sub = subjects;
    const struct subject *x = &sub[*(const int *)a], *y = &sub[*(const int *)b];
    unsigned xr = x->rank_city ? (unsigned)x->rank_city : ~0u,
             yr = y->rank_city ? (unsigned)y->rank_city : ~0u;
    if (xr != yr)
        return xr < yr ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static json_t *summary_of(struct run *r, int64_t run_id, int64_t scheme_id)
{
    json_t *ranking = json_array();
    /* the branches in ranking order: rank (缺项 last), then id */
    int *order = calloc((size_t)r->n + 1, sizeof *order), m = 0;
    if (!order)
        die("内存不足");
    /* the branches, or the first kind of subject the scheme applies to */
    int kind = SCHEME_BRANCH;
    while (kind < SCHEME_SUBJECTS - 1 && !applies(r->s, kind))
        kind++;
    for (int i = 0; i < r->n; i++)
        if (r->sub[i].kind == kind)
            order[m++] = i;
    qsort_r(order, (size_t)m, sizeof *order, by_rank, r->sub);
    for (int j = 0; j < m; j++) {
        struct subject *u = &r->sub[order[j]];
        const char *mv = move_name(u->move, u->res->total.missing);
        json_array_append_new(ranking,
                              json_pack("{s:o, s:I, s:s, s:o, s:o, s:o, s:o}", "rank",
                                        u->rank_city ? json_integer(u->rank_city) : json_null(), "id",
                                        (json_int_t)u->id, "name", u->name, "total", dec(u->res->total, 2),
                                        "fusion", dec(u->res->fusion, 2), "resonance",
                                        u->corr.missing ? json_null() : decd(u->corr.rho, 4), "movement",
                                        mv ? json_string(mv) : json_null()));
    }
    free(order);
    return json_pack("{s:I, s:s, s:I, s:i, s:o}", "run_id", (json_int_t)run_id, "period", r->p.label,
                     "scheme_id", (json_int_t)scheme_id, "subjects", r->n, "ranking", ranking);
}

int eval_run(struct res_ctx *x, int64_t scheme_id, const char *period, const struct progress *progress,
             json_t **summary, struct rerr *err)
{
    struct run r = {.x = x, .nmeasures = measure_count()};
    int rc = eval_period_parse(period, &r.p, err);
    if (rc < 0)
        return rc;
    struct row_scope scope = {.procuratorate_id = x->who->procuratorate_id};
    if ((rc = authz_write_row(x->who, WRITE_ADMIN, &scope, err)) < 0)
        return rc;
    shifts_of(&r.p, r.shifted);
    for (int k = 0; k < SERIES; k++) { /* the twelve months ending with the period's last */
        int at = r.p.year * 12 + (r.p.last - 1) - (SERIES - 1 - k);
        struct eval_period *m = &r.months[k];
        *m = (struct eval_period){.year = at / 12, .first = at % 12 + 1, .last = at % 12 + 1};
        eval_period_back(m, 0, m); /* fills its days and label */
    }
    /* the scheme, as stored */
    char *text = NULL;
    int edition = 0;
    if ((rc = store_begin_read(x->c, err)) < 0)
        return rc;
    store_stmt *st =
        store_prepare(x->c, "SELECT text, edition, name, version FROM eval_schemes WHERE id = ?");
    store_bind_int(st, 1, scheme_id);
    if ((rc = store_step(st, err)) == STORE_ROW) {
        text = strdup(store_col_text(st, 0));
        edition = (int)store_col_int(st, 1);
        r.scheme_version = store_col_int(st, 3);
        snprintf(r.name, sizeof r.name, "%s", store_col_text(st, 2));
    } else if (rc == STORE_DONE) {
        rc = rerr_set(err, R_ENOTFOUND, "not_found", "scheme_id", "考评方案不存在（编号 %" PRId64 "）",
                      scheme_id);
    }
    store_done(st);
    store_rollback(x->c);
    if (rc < 0)
        return rc;
    struct scheme *s = NULL;
    rc = eval_scheme_compile(text, &s, NULL, err);
    free(text);
    if (rc < 0)
        return rc;
    r.s = s;
    /* keep the measures' past months (the grid then reads them), then read everything in
     * one read transaction, compute, then write in one write one. The years read are the
     * period's and the one before: all that 上期, 去年同期 and the twelve months of
     * 同频共振 reach, whatever the period (a year, a quarter, a month); of them, the months
     * months_wanted() names. */
    int first_year = r.p.year - 1, nmonths = 24;
    bool *want = calloc((size_t)nmonths * (size_t)r.nmeasures, sizeof *want);
    if (!want)
        die("内存不足");
    months_wanted(&r, first_year, want, nmonths);
    rc = measure_keep_wanted(x, first_year, r.p.year, want, NULL, err);
    if (rc == 0 && (rc = store_begin_read(x->c, err)) == 0) {
        rc = measure_grid_load_wanted(x, first_year, r.p.year, want, &r.g, err);
        if (rc == 0 && applies(s, SCHEME_MEMBER))
            rc = measure_grid_load_of(x, MEASURE_OF_MEMBER, first_year, r.p.year, 0, &r.gm, err);
        if (rc == 0 && applies(s, SCHEME_PARTY_GROUP))
            rc = measure_grid_load_of(x, MEASURE_OF_GROUP, first_year, r.p.year, 0, &r.gg, err);
        if (rc == 0)
            rc = load_subjects(&r, err);
        if (rc == 0)
            rc = load_manual(&r, err);
        if (rc == 0)
            rc = load_previous(&r, err);
        store_rollback(x->c);
    }
    free(want);
    struct finder signals;
    if (rc == 0)
        finder_start(&signals, x, s, &r.p);
    else
        signals = (struct finder){0};
    for (int i = 0; rc == 0 && i < r.n; i++) {
        compute_subject(&r, &r.sub[i]);
        if (i % 16 == 0) {
            progress_report(progress, i, r.n, "计算中");
            if (progress_cancelled(progress))
                rc = rerr_set(err, R_EINVAL, "cancelled", "", "考评计算已取消，未保存结果");
        }
    }
    if (rc == 0)
        rc = rank(&r, SCHEME_BRANCH, RANK_ALL, err);
    if (rc == 0)
        rc = rank(&r, SCHEME_BRANCH, RANK_LEVEL, err);
    if (rc == 0)
        rc = rank(&r, SCHEME_BRANCH, RANK_PROC, err);
    if (rc == 0)
        rc = rank(&r, SCHEME_PROCURATORATE, RANK_ALL, err);
    for (int kind = SCHEME_MEMBER; rc == 0 && kind <= SCHEME_PARTY_GROUP; kind++)
        for (enum rank_scope sc = RANK_ALL; rc == 0 && sc <= RANK_PROC; sc++)
            rc = rank(&r, kind, sc, err);
    int64_t run_id = 0;
    if (rc == 0 && (rc = store_begin(x->c, err)) == 0) {
        rc = store_results(&r, scheme_id, edition, &run_id, err);
        rc = rc == 0 ? store_commit(x->c, err) : (store_rollback(x->c), rc);
    }
    /* written after the commit, in a transaction of its own (eval_signals.c says why) */
    if (signals.s) {
        struct rerr serr = {0};
        int src = finder_finish(&signals, x, rc == 0, run_id, &serr);
        if (rc == 0 && src < 0) {
            rc = src;
            *err = serr;
        }
    }
    if (rc == 0) {
        progress_report(progress, r.n, r.n, "已完成");
        if (summary)
            *summary = summary_of(&r, run_id, scheme_id);
    }
    run_free(&r);
    scheme_free(s);
    return rc;
}
