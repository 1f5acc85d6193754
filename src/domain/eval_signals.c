/*
 * eval_signals.c: the formalism signals (形式化信号) a run raises for a person to review,
 * from the ledgers of its period and its subjects (docs/evaluation.md 「形式化信号」 defines
 * each, its thresholds and their defaults; docs/evaluation-statistics.md the arithmetic).
 *
 *   纪要雷同   two meetings' minutes near-duplicates (calc/similar.h), with the passages
 *   全勤异常   a branch's attendance perfect over too many consecutive months (calc/stats.h)
 *   补录       a branch's records entered long after the day they describe (calc_lag)
 *   突击       a burst of a branch's entries just before the deadline (calc_burst)
 *   要素无佐证 a branch's method elements checked off without evidence
 *
 * Every threshold is the scheme's ([信号], scheme_signal) with the default documented
 * beside its name below. Detection reads the ledgers in a read transaction of its own
 * and computes (eval_signals_find: a run does it on a second connection while it computes
 * and writes its results), then writes the signals in one write transaction once the
 * run's results are committed (eval_signals_store: never holding the write lock while it
 * reads and compares texts), so a failure here leaves the run's results as they are.
 *
 * Keys: a signal is (kind, branch, period, record_key), record_key a 64-bit FNV-1a digest
 * of the sorted "collection:id" of the records behind it. A rerun that finds the same
 * records updates the signal's numbers and keeps its review; a different set of records
 * is a new signal; a 待审核 signal of the run's period and scope that the rerun does not
 * raise again is removed (a reviewed one stays: the decision is history).
 *
 * Scope: the run's (every branch for the city, the county's own for a county's run). For
 * 纪要雷同 the branch in scope is the later meeting's; its minutes are compared with every
 * branch's (earlier meetings of another procuratorate included), so that a city's run and
 * a county's find the same signals. Memory: the request's (malloc'd, freed here).
 */
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/audit.h"
#include "base/civil.h"
#include "base/log.h"
#include "base/text.h"
#include "calc/similar.h"
#include "calc/stats.h"
#include "domain/eval_internal.h"
#include "domain/evaluation.h"
#include "domain/measures.h"
#include "domain/resource.h"

#define MAX_RECORDS_KEPT 200 /* a signal lists at most so many records (detail counts all) */
#define MAX_PASSAGES_KEPT 30
#define STREAK_MONTHS 12 /* 全勤异常 looks at the twelve months ending with the period */

/* The ledgers whose entries 补录 and 突击 count: party-building records a person enters
 * (business records come from the business systems), with their described day and title
 * from the collection's own descriptor (resource.date, resource.title). */
static const char *const entry_colls[] = {"activities",       "element-checks", "project-outcomes",
                                          "pairing-progress", "patrols",        "outreach"};
#define NCOLLS (sizeof entry_colls / sizeof entry_colls[0])

/* ------------------------------------------------------------------ thresholds */

void eval_signal_thresholds(const struct scheme *s, struct eval_signal_thresholds *t)
{
#define T(name, dflt) scheme_signal(s, name, dflt)
    t->similarity = T("纪要相似度阈值", 0.8);
    t->min_passage = (int)T("纪要相同段落字数", SIM_DEFAULT_MIN_PASSAGE);
    t->streak_months = (int)T("连续全勤月数", 6);
    t->streak_p = T("全勤概率上限", 0.05);
    t->streak_ref = T("全勤参考出勤率", 0.9);
    t->late_days = (int)T("补录天数", 30);
    t->late_min = (int)T("补录最少条数", 3);
    t->burst_days = (int)T("突击天数", 7);
    t->burst_baseline = (int)T("突击基线天数", 60);
    t->burst_min = (int)T("突击最少条数", 5);
    t->burst_ratio = T("突击倍数", 3);
    t->burst_p = T("突击概率上限", 0.01);
    t->burst_share = T("突击记录占比", 0);
    t->burst_offset = (int)T("突击截止日延后天数", 0);
    t->burst_lag = (int)T("突击补记天数", 7);
    t->bare_min = (int)T("要素无佐证最少条数", 3);
    t->bare_share = T("要素无佐证占比", 0.3);
#undef T
}

static int bad_threshold(const char *name, const char *want, struct rerr *err)
{
    return rerr_set(err, R_EINVAL, "bad_threshold", "text", "方案 [信号] 中“%s”应为%s", name, want);
}

int eval_signal_thresholds_check(const struct eval_signal_thresholds *t, struct rerr *err)
{
    if (!(t->similarity > 0 && t->similarity <= 1))
        return bad_threshold("纪要相似度阈值", "大于 0、不大于 1 的数", err);
    if (t->min_passage < 2 || t->min_passage > 1000)
        return bad_threshold("纪要相同段落字数", " 2 至 1000 的整数", err);
    if (t->streak_months < 2 || t->streak_months > STREAK_MONTHS)
        return bad_threshold("连续全勤月数", " 2 至 12 的整数", err);
    if (!(t->streak_p >= 0 && t->streak_p <= 1))
        return bad_threshold("全勤概率上限", " 0 至 1 的数", err);
    if (!(t->streak_ref >= 0 && t->streak_ref <= 1))
        return bad_threshold("全勤参考出勤率", " 0 至 1 的数", err);
    if (t->late_days < 0 || t->late_days > 3660)
        return bad_threshold("补录天数", " 0 至 3660 的整数", err);
    if (t->late_min < 1 || t->bare_min < 1 || t->burst_min < 1)
        return bad_threshold(t->late_min < 1   ? "补录最少条数"
                             : t->bare_min < 1 ? "要素无佐证最少条数"
                                               : "突击最少条数",
                             "正整数", err);
    if (t->burst_days < 1 || t->burst_days > 366)
        return bad_threshold("突击天数", " 1 至 366 的整数", err);
    if (t->burst_baseline < 1 || t->burst_baseline > 3660)
        return bad_threshold("突击基线天数", " 1 至 3660 的整数", err);
    if (!(t->burst_ratio >= 0 && t->burst_ratio < 1e6))
        return bad_threshold("突击倍数", "不小于 0 的数", err);
    if (!(t->burst_p >= 0 && t->burst_p <= 1))
        return bad_threshold("突击概率上限", " 0 至 1 的数", err);
    if (!(t->burst_share >= 0 && t->burst_share <= 1))
        return bad_threshold("突击记录占比", " 0 至 1 的数", err);
    if (t->burst_offset < 0 || t->burst_offset > 366)
        return bad_threshold("突击截止日延后天数", " 0 至 366 的整数", err);
    if (t->burst_lag < 0 || t->burst_lag > 3660)
        return bad_threshold("突击补记天数", " 0 至 3660 的整数", err);
    if (!(t->bare_share >= 0 && t->bare_share <= 1))
        return bad_threshold("要素无佐证占比", " 0 至 1 的数", err);
    return 0;
}

/* ------------------------------------------------------------------ days */

/* Day number of "YYYY-MM-DD…", or INT_MIN when it is not a date (sscanf's "%4d-%2d-%2d"
 * reading of it; the stored form is read by hand, the detection reads 100,000s). */
static int day_of(const char *s)
{
    int y = 0, m = 0, d = 0;
    if (!s)
        return INT_MIN;
    bool plain = (y = text_digits(s, 4)) >= 0 && s[4] == '-' && (m = text_digits(s + 5, 2)) >= 0 &&
                 s[7] == '-' && (d = text_digits(s + 8, 2)) >= 0;
    if (!plain && sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return INT_MIN;
    if (m < 1 || m > 12 || d < 1 || d > 31)
        return INT_MIN;
    return (int)civil_days(y, m, d);
}

/* The day in Beijing (UTC+8) of a stored UTC timestamp "YYYY-MM-DDTHH:MM…Z". */
static int entered_day(const char *ts)
{
    int day = day_of(ts), h = 0;
    if (day == INT_MIN || strlen(ts) < 13)
        return day;
    if ((h = text_digits(ts + 11, 2)) < 0 && sscanf(ts + 11, "%2d", &h) != 1)
        return day;
    return h >= 16 ? day + 1 : day;
}

static void date_text(int day, char out[11])
{
    int y, m, d;
    civil_date(day, &y, &m, &d);
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

/* ------------------------------------------------------------------ signals being raised */

struct sig {
    const char *kind;
    int64_t branch, proc;
    char key[17];
    char *summary;
    json_t *records, *detail;
    bool sample;
};

struct sigs {
    struct sig *v;
    int n, cap;
};

static struct sig *sig_add(struct sigs *ss, const char *kind, int64_t branch, int64_t proc)
{
    if (ss->n == ss->cap) {
        ss->cap = ss->cap ? ss->cap * 2 : 32;
        ss->v = realloc(ss->v, (size_t)ss->cap * sizeof *ss->v);
        if (!ss->v)
            die("内存不足");
    }
    struct sig *g = &ss->v[ss->n++];
    *g = (struct sig){.kind = kind,
                      .branch = branch,
                      .proc = proc,
                      .records = json_array(),
                      .detail = json_object(),
                      .sample = true};
    return g;
}

static void sigs_free(struct sigs *ss)
{
    for (int i = 0; i < ss->n; i++) {
        free(ss->v[i].summary);
        json_decref(ss->v[i].records);
        json_decref(ss->v[i].detail);
    }
    free(ss->v);
}

/* One record behind a signal; "extra" (may be NULL) is merged into it (taken over). */
static void sig_record(struct sig *g, const char *coll, int64_t id, const char *title, const char *day,
                       bool sample, json_t *extra)
{
    g->sample = g->sample && sample;
    if (json_array_size(g->records) >= MAX_RECORDS_KEPT) {
        json_decref(extra);
        return;
    }
    json_t *r = json_pack("{s:s, s:I, s:s, s:s}", "collection", coll, "id", (json_int_t)id, "title",
                          title ? title : "", "day", day ? day : "");
    if (extra) {
        json_object_update(r, extra);
        json_decref(extra);
    }
    json_array_append_new(g->records, r);
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* record_key: FNV-1a 64 over the sorted "collection:id;" of "ids" (n, collection "coll"
 * each, or the per-record collections in "colls" when not NULL). */
static void sig_key(struct sig *g, const char *const *colls, const char *coll, const int64_t *ids, int n)
{
    char **parts = calloc((size_t)n + 1, sizeof *parts);
    if (!parts)
        die("内存不足");
    for (int i = 0; i < n; i++) {
        if (asprintf(&parts[i], "%s:%" PRId64 ";", colls ? colls[i] : coll, ids[i]) < 0)
            die("内存不足");
    }
    qsort(parts, (size_t)n, sizeof *parts, by_text);
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < n; i++) {
        for (const unsigned char *p = (const unsigned char *)parts[i]; *p; p++) {
            h ^= *p;
            h *= 1099511628211ull;
        }
        free(parts[i]);
    }
    free(parts);
    snprintf(g->key, sizeof g->key, "%016" PRIx64, h);
}

static void sig_summary(struct sig *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sig_summary(struct sig *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&g->summary, fmt, ap) < 0)
        die("内存不足");
    va_end(ap);
}

/* A chance as a summary reads it: four places, or 小于 0.0001 where they would show 0. */
static const char *chance(double p, char out[32])
{
    if (p < 0.00005)
        snprintf(out, 32, "小于 0.0001");
    else
        snprintf(out, 32, "%.4f", p);
    return out;
}

static json_t *num(double v, int places)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.*f", places, v);
    return json_string(buf);
}

/* ------------------------------------------------------------------ the run's context */

struct branch_name {
    int64_t id, proc;
    char name[200];
};

struct det {
    struct res_ctx *x;
    const struct eval_period *p;
    struct eval_signal_thresholds t;
    int64_t own; /* the run's procuratorate when narrowed, else 0 */
    struct branch_name *br;
    int nbr;
    const char *title_sql[NCOLLS]; /* each entry collection's title by id (entry_record) */
    struct sigs out;
};

static const char *branch_name(const struct det *d, int64_t id)
{
    for (int i = 0; i < d->nbr; i++)
        if (d->br[i].id == id)
            return d->br[i].name;
    return "";
}

static bool in_scope(const struct det *d, int64_t proc)
{
    return !d->own || proc == d->own;
}

static int load_branches(struct det *d, struct rerr *err)
{
    store_stmt *st = store_prepare(d->x->c, "SELECT count(*) FROM branches");
    int rc = store_step(st, err);
    int n = rc == STORE_ROW ? (int)store_col_int(st, 0) : 0;
    store_done(st);
    if (rc < 0)
        return rc;
    d->br = calloc((size_t)n + 1, sizeof *d->br);
    if (!d->br)
        die("内存不足");
    st = store_prepare(d->x->c, "SELECT id, procuratorate_id, name FROM branches ORDER BY id");
    while ((rc = store_step(st, err)) == STORE_ROW && d->nbr < n) {
        struct branch_name *b = &d->br[d->nbr++];
        b->id = store_col_int(st, 0);
        b->proc = store_col_int(st, 1);
        snprintf(b->name, sizeof b->name, "%s", store_col_text(st, 2));
    }
    store_done(st);
    return rc < 0 ? rc : 0;
}

/* ------------------------------------------------------------------ 纪要雷同 */

struct minutes {
    int64_t id, branch, proc;
    char day[11];
    char *title, *text;
    size_t len;
    bool sample;
};

struct pair {
    int64_t a, b;
    double j;
};

struct pairs {
    struct pair *v;
    size_t n, cap;
};

static int collect_pair(void *ctx, int64_t a, int64_t b, double j)
{
    struct pairs *ps = ctx;
    if (ps->n == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 64;
        ps->v = realloc(ps->v, ps->cap * sizeof *ps->v);
        if (!ps->v)
            die("内存不足");
    }
    ps->v[ps->n++] = (struct pair){a, b, j};
    return 0;
}

static struct minutes *minutes_find(struct minutes *m, int n, int64_t id)
{
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (m[mid].id == id)
            return &m[mid];
        if (m[mid].id < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

/* The later of two meetings (by day, then id): the one that copied. */
static bool later(const struct minutes *a, const struct minutes *b)
{
    int c = strcmp(a->day, b->day);
    return c > 0 || (c == 0 && a->id > b->id);
}

/* The "bytes" bytes of "s" from "byte" (a passage, whole characters), as JSON. */
static json_t *excerpt(const char *s, size_t byte, size_t bytes)
{
    return json_stringn(s + byte, bytes);
}

static int copied_minutes(struct det *d, struct rerr *err)
{
    /* the period's minutes and the year's before it, every branch's (see the top) */
    struct eval_period back;
    eval_period_back(d->p, (12 / (d->p->last - d->p->first + 1)), &back);
    store_stmt *st =
        store_prepare(d->x->c, "SELECT id, branch_id, procuratorate_id, held_on, kind || '：' || topic,"
                               " minutes, sample FROM activities WHERE minutes IS NOT NULL"
                               " AND minutes <> '' AND held_on >= ? AND held_on < ? ORDER BY id");
    store_bind_text(st, 1, back.from);
    store_bind_text(st, 2, d->p->to);
    struct minutes *m = NULL;
    int n = 0, cap = 0, rc;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            m = realloc(m, (size_t)cap * sizeof *m);
            if (!m)
                die("内存不足");
        }
        struct minutes *u = &m[n++];
        u->id = store_col_int(st, 0);
        u->branch = store_col_int(st, 1);
        u->proc = store_col_int(st, 2);
        snprintf(u->day, sizeof u->day, "%s", store_col_text(st, 3));
        u->title = strdup(store_col_text(st, 4));
        u->text = strdup(store_col_text(st, 5));
        if (!u->title || !u->text)
            die("内存不足");
        u->len = strlen(u->text);
        u->sample = store_col_int(st, 6) != 0;
    }
    store_done(st);
    sim_index *ix = NULL;
    struct pairs ps = {0};
    if (rc >= 0)
        rc = sim_index_new(0, 0, 0, &ix, err);
    for (int i = 0; rc >= 0 && i < n; i++)
        rc = sim_add(ix, m[i].id, m[i].text, m[i].len, NULL, err);
    if (rc >= 0)
        rc = sim_pairs(ix, d->t.similarity, collect_pair, &ps, err);
    sim_index_free(ix);
    for (size_t k = 0; rc >= 0 && k < ps.n; k++) {
        struct minutes *a = minutes_find(m, n, ps.v[k].a), *b = minutes_find(m, n, ps.v[k].b);
        if (!a || !b)
            continue;
        if (later(a, b)) {
            struct minutes *t = a;
            a = b;
            b = t;
        }
        /* b copied a: b's meeting lies in the period and its branch in scope */
        if (strcmp(b->day, d->p->from) < 0 || !in_scope(d, b->proc))
            continue;
        struct sim_passage *pg = NULL;
        int np = 0;
        bool incomplete = false;
        if ((rc = sim_passages(a->text, a->len, b->text, b->len, d->t.min_passage, &pg, &np, &incomplete,
                               err)) < 0)
            break;
        struct sig *g = sig_add(&d->out, "纪要雷同", b->branch, b->proc);
        int64_t ids[2] = {a->id, b->id};
        sig_key(g, NULL, "activities", ids, 2);
        sig_record(
            g, "activities", a->id, a->title, a->day, a->sample,
            json_pack("{s:I, s:s}", "branch_id", (json_int_t)a->branch, "branch", branch_name(d, a->branch)));
        sig_record(
            g, "activities", b->id, b->title, b->day, b->sample,
            json_pack("{s:I, s:s}", "branch_id", (json_int_t)b->branch, "branch", branch_name(d, b->branch)));
        json_t *passages = json_array();
        size_t common = 0;
        for (int i = 0; i < np; i++) {
            common += pg[i].len;
            if (i < MAX_PASSAGES_KEPT)
                json_array_append_new(
                    passages,
                    json_pack("{s:I, s:I, s:I, s:I, s:I, s:o}", "a_char", (json_int_t)pg[i].a_char, "a_chars",
                              (json_int_t)pg[i].a_chars, "b_char", (json_int_t)pg[i].b_char, "b_chars",
                              (json_int_t)pg[i].b_chars, "len", (json_int_t)pg[i].len, "text",
                              excerpt(b->text, pg[i].b_byte, pg[i].b_bytes)));
        }
        free(pg);
        json_object_set_new(g->detail, "similarity", num(ps.v[k].j, 4));
        json_object_set_new(g->detail, "threshold", num(d->t.similarity, 4));
        json_object_set_new(g->detail, "passages", passages);
        json_object_set_new(g->detail, "passages_total", json_integer(np));
        json_object_set_new(g->detail, "common_chars", json_integer((json_int_t)common));
        json_object_set_new(g->detail, "incomplete", json_boolean(incomplete));
        bool same = a->branch == b->branch;
        sig_summary(g, "%s %s 的会议纪要与%s %s 的纪要相似度 %.2f（阈值 %.2f），相同段落 %d 段",
                    branch_name(d, b->branch), b->day, same ? "本支部" : branch_name(d, a->branch), a->day,
                    ps.v[k].j, d->t.similarity, np);
    }
    free(ps.v);
    for (int i = 0; i < n; i++) {
        free(m[i].title);
        free(m[i].text);
    }
    free(m);
    return rc < 0 ? rc : 0;
}

/* ------------------------------------------------------------------ 全勤异常 */

/* Each branch's twelve monthly pairs of 党员出勤率 (出席, 应到: the attendance rows of its
 * meetings of the month) are the grid's (domain/measures.h): its kept months read, the
 * others computed, so that a kept run reads no attendance. */
static int perfect_attendance(struct det *d, struct rerr *err)
{
    struct eval_period months[STREAK_MONTHS];
    for (int k = 0; k < STREAK_MONTHS; k++) {
        int at = d->p->year * 12 + (d->p->last - 1) - (STREAK_MONTHS - 1 - k);
        months[k] = (struct eval_period){.year = at / 12, .first = at % 12 + 1, .last = at % 12 + 1};
        eval_period_back(&months[k], 0, &months[k]);
    }
    int m = measure_find("党员出勤率");
    CHECK(m >= 0);
    struct measure_grid *grid = NULL;
    int rc = measure_grid_load_one(d->x, m, months[0].year, d->p->year, &grid, err);
    if (rc < 0)
        return rc;
    struct row {
        int64_t branch, proc;
        int month, expected, present;
    } *rows = NULL;
    int n = 0, cap = 0;
    for (int i = 0; i < d->nbr; i++) {
        if (!in_scope(d, d->br[i].proc))
            continue;
        for (int k = 0; k < STREAK_MONTHS; k++) {
            double num, den;
            if (!measure_sum(grid, m, d->br[i].id, months[k].month_from, months[k].month_from, &num, &den) ||
                den == 0)
                continue; /* no attendance taken that month */
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                rows = realloc(rows, (size_t)cap * sizeof *rows);
                if (!rows)
                    die("内存不足");
            }
            rows[n++] = (struct row){d->br[i].id, d->br[i].proc, k, (int)den, (int)num};
        }
    }
    measure_grid_free(grid);
    store_stmt *st;
    struct calc_streak_rule rule = {d->t.streak_months, d->t.streak_p, d->t.streak_ref};
    for (int i = 0; rc >= 0 && i < n;) {
        int j = i;
        int expected[STREAK_MONTHS] = {0}, present[STREAK_MONTHS] = {0};
        for (; j < n && rows[j].branch == rows[i].branch; j++) {
            expected[rows[j].month] = rows[j].expected;
            present[rows[j].month] = rows[j].present;
        }
        struct calc_streak s;
        rc = calc_perfect_attendance(expected, present, STREAK_MONTHS, &rule, &s, err);
        if (rc >= 0 && s.flagged) {
            int64_t branch = rows[i].branch;
            struct sig *g = sig_add(&d->out, "全勤异常", branch, rows[i].proc);
            const char *from = months[s.start].from, *to = months[s.end - 1].to;
            st = store_prepare(d->x->c, "SELECT v.id, v.kind || '：' || v.topic, v.held_on, v.sample,"
                                        " (SELECT count(*) FROM attendance a WHERE a.activity_id = v.id)"
                                        " FROM activities v WHERE v.branch_id = ? AND v.held_on >= ? AND"
                                        " v.held_on < ? AND EXISTS (SELECT 1 FROM attendance a WHERE"
                                        " a.activity_id = v.id) ORDER BY v.held_on, v.id");
            store_bind_int(st, 1, branch);
            store_bind_text(st, 2, from);
            store_bind_text(st, 3, to);
            int64_t *ids = NULL;
            int nid = 0;
            while ((rc = store_step(st, err)) == STORE_ROW) {
                ids = realloc(ids, (size_t)(nid + 1) * sizeof *ids);
                if (!ids)
                    die("内存不足");
                ids[nid++] = store_col_int(st, 0);
                sig_record(g, "activities", store_col_int(st, 0), store_col_text(st, 1),
                           store_col_text(st, 2), store_col_int(st, 3) != 0,
                           json_pack("{s:I}", "expected", (json_int_t)store_col_int(st, 4)));
            }
            store_done(st);
            sig_key(g, NULL, "activities", ids, nid);
            free(ids);
            json_t *series = json_array();
            for (int k = 0; k < STREAK_MONTHS; k++)
                json_array_append_new(series, json_pack("{s:s, s:i, s:i}", "month", months[k].month_from,
                                                        "expected", expected[k], "present", present[k]));
            json_object_set_new(g->detail, "months", series);
            json_object_set_new(g->detail, "from", json_string(months[s.start].month_from));
            json_object_set_new(g->detail, "to", json_string(months[s.end - 1].month_from));
            json_object_set_new(g->detail, "streak", json_integer(s.len));
            json_object_set_new(g->detail, "attendances", json_integer(s.attendances));
            json_object_set_new(g->detail, "rate", num(s.rate, 4));
            json_object_set_new(g->detail, "rate_is_reference", json_boolean(s.rate_is_ref));
            json_object_set_new(g->detail, "p", num(s.p, 6));
            json_object_set_new(g->detail, "min_months", json_integer(d->t.streak_months));
            char pt[32];
            sig_summary(
                g, "%s 自 %s 至 %s 连续 %d 个月全勤（应到 %ld 人次），按%s出勤率 %.2f 计偶然出现的概率 %s",
                branch_name(d, branch), months[s.start].month_from, months[s.end - 1].month_from, s.len,
                s.attendances, s.rate_is_ref ? "参考" : "其余月份的", s.rate, chance(s.p, pt));
        }
        i = j;
    }
    free(rows);
    return rc < 0 ? rc : 0;
}

/* ------------------------------------------------------------------ 补录, 突击 */

struct entry {
    int64_t id, branch, proc;
    int coll;      /* index into entry_colls */
    int described; /* day number, INT_MIN when none */
    int entered;
    char day[11];
    bool sample;
};

/* Record "id" of entry collection "c" (entry_colls) as a record of signal "g", with its
 * "day" and "sample", "extra" merged in (taken over). Its title is read here, in the
 * detection's read transaction, for the records a signal lists only: of the 100,000s of
 * records read, a few are ever shown. */
static int listed_record(struct det *d, struct sig *g, int c, int64_t id, const char *day, bool sample,
                         json_t *extra, struct rerr *err)
{
    if (json_array_size(g->records) >= MAX_RECORDS_KEPT) {
        sig_record(g, entry_colls[c], id, NULL, day, sample, extra); /* counted, not listed */
        return 0;
    }
    if (!d->title_sql[c]) {
        const struct resource *r = res_find(entry_colls[c]);
        d->title_sql[c] = arena_printf(d->x->a, "SELECT %s FROM %s t WHERE t.id = ?", r->title, r->table);
    }
    store_stmt *st;
    int rc = store_prepare_built(d->x->c, d->title_sql[c], &st, err);
    if (rc < 0) {
        json_decref(extra);
        return rc;
    }
    store_bind_int(st, 1, id);
    rc = store_step(st, err);
    char *title = strdup(rc == STORE_ROW && store_col_type(st, 0) != STORE_NULL ? store_col_text(st, 0) : "");
    store_done(st);
    if (!title)
        die("内存不足");
    sig_record(g, entry_colls[c], id, title, day, sample, extra);
    free(title);
    return rc < 0 ? rc : 0;
}

static int entry_record(struct det *d, struct sig *g, const struct entry *u, json_t *extra, struct rerr *err)
{
    return listed_record(d, g, u->coll, u->id, u->day, u->sample, extra, err);
}

static int by_branch(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    if (x->branch != y->branch)
        return x->branch < y->branch ? -1 : 1;
    if (x->entered != y->entered)
        return x->entered < y->entered ? -1 : 1;
    if (x->coll != y->coll)
        return x->coll - y->coll;
    return x->id < y->id ? -1 : x->id > y->id;
}

static void late_signal(struct det *d, struct entry *e, int n, struct rerr *err, int *rc)
{
    int *entered = calloc((size_t)n + 1, sizeof *entered),
        *described = calloc((size_t)n + 1, sizeof *described);
    int *idx = calloc((size_t)n + 1, sizeof *idx), *late = calloc((size_t)n + 1, sizeof *late);
    int from = day_of(d->p->from), to = day_of(d->p->to), m = 0;
    if (!entered || !described || !idx || !late)
        die("内存不足");
    for (int i = 0; i < n; i++)
        if (e[i].described != INT_MIN && e[i].described >= from && e[i].described < to) {
            entered[m] = e[i].entered;
            described[m] = e[i].described;
            idx[m++] = i;
        }
    struct calc_lag lag;
    *rc = calc_lag(entered, described, m, d->t.late_days, &lag, late, err);
    if (*rc >= 0 && lag.late >= d->t.late_min) {
        struct sig *g = sig_add(&d->out, "补录", e[0].branch, e[0].proc);
        const char **colls = calloc((size_t)lag.late + 1, sizeof *colls);
        int64_t *ids = calloc((size_t)lag.late + 1, sizeof *ids);
        if (!colls || !ids)
            die("内存不足");
        for (int k = 0; k < lag.late; k++) {
            struct entry *u = &e[idx[late[k]]];
            colls[k] = entry_colls[u->coll];
            ids[k] = u->id;
            char on[11];
            date_text(u->entered, on);
            if (*rc >= 0)
                *rc = entry_record(
                    d, g, u, json_pack("{s:s, s:i}", "entered", on, "lag", u->entered - u->described), err);
        }
        sig_key(g, colls, NULL, ids, lag.late);
        free(colls);
        free(ids);
        json_object_set_new(g->detail, "records_total", json_integer(lag.n));
        json_object_set_new(g->detail, "late", json_integer(lag.late));
        json_object_set_new(g->detail, "share", num(lag.share, 4));
        json_object_set_new(g->detail, "max_lag", json_integer(lag.max_lag));
        json_object_set_new(g->detail, "days", json_integer(d->t.late_days));
        sig_summary(g, "%s 本期 %d 条记录中有 %d 条在所记日期 %d 天以后才录入（占 %.1f%%），最长 %d 天",
                    branch_name(d, e[0].branch), lag.n, lag.late, d->t.late_days, 100 * lag.share,
                    lag.max_lag);
    }
    free(entered);
    free(described);
    free(idx);
    free(late);
}

static void burst_signal(struct det *d, struct entry *e, int n, int deadline, struct rerr *err, int *rc)
{
    int *entered = calloc((size_t)n + 1, sizeof *entered), *win = calloc((size_t)n + 1, sizeof *win);
    int *idx = calloc((size_t)n + 1, sizeof *idx), m = 0;
    if (!entered || !win || !idx)
        die("内存不足");
    /* only entries that catch up on earlier work count: a meeting entered the week it was
     * held is not a burst, however near the deadline */
    for (int i = 0; i < n; i++)
        if (e[i].described == INT_MIN || e[i].entered - e[i].described >= d->t.burst_lag) {
            entered[m] = e[i].entered;
            idx[m++] = i;
        }
    n = m;
    struct calc_burst_rule rule = {d->t.burst_days, d->t.burst_baseline, d->t.burst_min, d->t.burst_ratio,
                                   d->t.burst_p};
    struct calc_burst b;
    *rc = calc_burst(entered, n, deadline, &rule, &b, win, err);
    double share = b.in_window + b.baseline ? (double)b.in_window / (b.in_window + b.baseline) : 0;
    if (*rc >= 0 && b.flagged && share >= d->t.burst_share) {
        struct sig *g = sig_add(&d->out, "突击", e[0].branch, e[0].proc);
        const char **colls = calloc((size_t)b.in_window + 1, sizeof *colls);
        int64_t *ids = calloc((size_t)b.in_window + 1, sizeof *ids);
        if (!colls || !ids)
            die("内存不足");
        for (int k = 0; k < b.in_window; k++) {
            struct entry *u = &e[idx[win[k]]];
            colls[k] = entry_colls[u->coll];
            ids[k] = u->id;
            char on[11];
            date_text(u->entered, on);
            if (*rc >= 0)
                *rc =
                    entry_record(d, g, u,
                                 json_pack("{s:s, s:o}", "entered", on, "lag",
                                           u->described == INT_MIN ? json_null()
                                                                   : json_integer(u->entered - u->described)),
                                 err);
        }
        sig_key(g, colls, NULL, ids, b.in_window);
        free(colls);
        free(ids);
        char dl[11], ws[11];
        date_text(deadline, dl);
        date_text(deadline - d->t.burst_days + 1, ws);
        json_object_set_new(g->detail, "deadline", json_string(dl));
        json_object_set_new(g->detail, "window_from", json_string(ws));
        json_object_set_new(g->detail, "window_days", json_integer(d->t.burst_days));
        json_object_set_new(g->detail, "baseline_days", json_integer(d->t.burst_baseline));
        json_object_set_new(g->detail, "in_window", json_integer(b.in_window));
        json_object_set_new(g->detail, "baseline", json_integer(b.baseline));
        json_object_set_new(g->detail, "expected", num(b.expected, 4));
        json_object_set_new(g->detail, "ratio", num(b.ratio, 2));
        json_object_set_new(g->detail, "p", num(b.p, 6));
        json_object_set_new(g->detail, "share", num(share, 4));
        json_object_set_new(g->detail, "catch_up_days", json_integer(d->t.burst_lag));
        char pt[32];
        sig_summary(
            g,
            "%s 在截止日 %s 前 %d 天内补记 %d 条记录（录入晚于所记日期 %d 天以上），此前 %d 天只有 %d 条"
            "（按平日节奏应约 %.1f 条，偶然出现的概率 %s）",
            branch_name(d, e[0].branch), dl, d->t.burst_days, b.in_window, d->t.burst_lag,
            d->t.burst_baseline, b.baseline, b.expected, chance(b.p, pt));
    }
    free(entered);
    free(win);
    free(idx);
}

static int entries(struct det *d, struct rerr *err)
{
    int deadline = day_of(d->p->to) - 1 + d->t.burst_offset;
    int first = deadline - d->t.burst_days - d->t.burst_baseline + 1;
    char lo[11], hi[11];
    date_text(first - 1, lo); /* a day of margin: entries are stored in UTC */
    date_text(deadline + 1, hi);
    struct entry *e = NULL;
    int n = 0, cap = 0, rc = 0;
    for (size_t c = 0; rc >= 0 && c < NCOLLS; c++) {
        const struct resource *r = res_find(entry_colls[c]);
        if (!r || !r->date || !r->title)
            continue;
        char *sql =
            arena_printf(d->x->a,
                         "SELECT t.id, t.branch_id, t.procuratorate_id, %s, t.created_at, t.sample"
                         " FROM %s t WHERE t.branch_id IS NOT NULL AND (?1 = 0 OR t.procuratorate_id = ?1)"
                         " AND ((%s >= ?2 AND %s < ?3) OR (t.created_at >= ?4 AND t.created_at < ?5))",
                         r->date, r->table, r->date, r->date);
        store_stmt *st;
        if ((rc = store_prepare_built(d->x->c, sql, &st, err)) < 0)
            break;
        store_bind_int(st, 1, d->own);
        store_bind_text(st, 2, d->p->from);
        store_bind_text(st, 3, d->p->to);
        store_bind_text(st, 4, lo);
        store_bind_text(st, 5, hi);
        while ((rc = store_step(st, err)) == STORE_ROW) {
            if (n == cap) {
                cap = cap ? cap * 2 : 1024;
                e = realloc(e, (size_t)cap * sizeof *e);
                if (!e)
                    die("内存不足");
            }
            struct entry *u = &e[n];
            const char *day = store_col_type(st, 3) == STORE_NULL ? NULL : store_col_text(st, 3);
            const char *ts = store_col_text(st, 4);
            *u = (struct entry){.id = store_col_int(st, 0),
                                .branch = store_col_int(st, 1),
                                .proc = store_col_int(st, 2),
                                .coll = (int)c,
                                .described = day_of(day),
                                .entered = entered_day(ts),
                                .sample = store_col_int(st, 5) != 0};
            if (u->entered == INT_MIN)
                continue;
            snprintf(u->day, sizeof u->day, "%s", day ? day : "");
            n++;
        }
        store_done(st);
    }
    if (n > 1)
        qsort(e, (size_t)n, sizeof *e, by_branch);
    for (int i = 0; rc >= 0 && i < n;) {
        int j = i;
        while (j < n && e[j].branch == e[i].branch)
            j++;
        late_signal(d, e + i, j - i, err, &rc);
        if (rc >= 0)
            burst_signal(d, e + i, j - i, deadline, err, &rc);
        i = j;
    }
    free(e);
    return rc < 0 ? rc : 0;
}

/* ------------------------------------------------------------------ 要素无佐证 */

/* Whether a check's period text lies in "p". A year's checks carry a few texts (its
 * months, quarters, itself), so the answers are kept for the texts met first. */
#define WITHIN_KEPT 32
struct within_memo {
    char text[WITHIN_KEPT][40];
    bool in[WITHIN_KEPT];
    int n;
};

static bool within(const struct eval_period *p, const char *period, struct within_memo *w)
{
    for (int i = 0; i < w->n; i++)
        if (!strcmp(w->text[i], period))
            return w->in[i];
    struct eval_period q;
    struct rerr ignored = {0};
    bool in = eval_period_parse(period, &q, &ignored) == 0 && q.year == p->year && q.first >= p->first &&
              q.last <= p->last;
    if (w->n < WITHIN_KEPT && strlen(period) < sizeof w->text[0]) {
        strcpy(w->text[w->n], period);
        w->in[w->n++] = in;
    }
    return in;
}

/* A check without evidence of the branch being read. */
struct bare {
    int64_t id;
    char *period;
    char day[11];
    bool sample;
};

static int bare_signal(struct det *d, int64_t branch, int64_t proc, int total, const struct bare *v, int n,
                       struct rerr *err)
{
    double share = total ? (double)n / total : 0;
    if (!branch || n < d->t.bare_min || share < d->t.bare_share)
        return 0;
    struct sig *g = sig_add(&d->out, "要素无佐证", branch, proc);
    int c = 0;
    while (strcmp(entry_colls[c], "element-checks") != 0)
        c++;
    int64_t *ids = calloc((size_t)n + 1, sizeof *ids);
    if (!ids)
        die("内存不足");
    int rc = 0;
    for (int k = 0; k < n; k++) {
        ids[k] = v[k].id;
        if (rc >= 0)
            rc = listed_record(d, g, c, v[k].id, v[k].day, v[k].sample,
                               json_pack("{s:s}", "period", v[k].period), err);
    }
    sig_key(g, NULL, "element-checks", ids, n);
    free(ids);
    json_object_set_new(g->detail, "checks", json_integer(total));
    json_object_set_new(g->detail, "without_evidence", json_integer(n));
    json_object_set_new(g->detail, "share", num(share, 4));
    sig_summary(g, "%s 本期勾选的 %d 个工作法要素中有 %d 个没有任何佐证（占 %.1f%%）", branch_name(d, branch),
                total, n, 100 * share);
    return rc;
}

static int bare_checks(struct det *d, struct rerr *err)
{
    /* the checks of the period's year: periods are "YYYY…", so the year's are the texts
     * from "YYYY" up to the next year's */
    store_stmt *st = store_prepare(
        d->x->c,
        "SELECT t.id, t.branch_id, t.procuratorate_id, t.period, coalesce(t.checked_on, ''), t.sample,"
        " EXISTS (SELECT 1 FROM element_evidence v WHERE v.check_id = t.id) FROM element_checks t"
        " WHERE t.period >= ?2 AND t.period < ?3 AND (?1 = 0 OR t.procuratorate_id = ?1)"
        " ORDER BY t.branch_id, t.id");
    int rc;
    char year[16], next[16];
    snprintf(year, sizeof year, "%04d", d->p->year);
    snprintf(next, sizeof next, "%04d", d->p->year + 1);
    store_bind_int(st, 1, d->own);
    store_bind_text(st, 2, year);
    store_bind_text(st, 3, next);
    struct within_memo memo = {.n = 0};
    int64_t branch = 0, proc = 0;
    int total = 0, n = 0, cap = 0;
    struct bare *v = NULL; /* the bare checks of the branch being read */
    for (;;) {
        rc = store_step(st, err);
        bool row = rc == STORE_ROW;
        if (row && !within(d->p, store_col_text(st, 3), &memo))
            continue;
        if (!row || store_col_int(st, 1) != branch) {
            int brc = bare_signal(d, branch, proc, total, v, n, err); /* the branch before is complete */
            for (int k = 0; k < n; k++)
                free(v[k].period);
            n = total = 0;
            if (brc < 0) {
                rc = brc;
                break;
            }
            if (!row)
                break;
            branch = store_col_int(st, 1);
            proc = store_col_int(st, 2);
        }
        total++;
        if (store_col_int(st, 6))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            v = realloc(v, (size_t)cap * sizeof *v);
            if (!v)
                die("内存不足");
        }
        struct bare *u = &v[n++];
        u->id = store_col_int(st, 0);
        u->period = strdup(store_col_text(st, 3));
        if (!u->period)
            die("内存不足");
        snprintf(u->day, sizeof u->day, "%s", store_col_text(st, 4));
        u->sample = store_col_int(st, 5) != 0;
    }
    store_done(st);
    free(v);
    return rc < 0 ? rc : 0;
}

/* ------------------------------------------------------------------ writing */

static int store_signals(struct det *d, int64_t run_id, int *raised, int *removed, struct rerr *err)
{
    char now[32];
    text_now(now);
    int rc = 0;
    for (int i = 0; rc >= 0 && i < d->out.n; i++) {
        struct sig *g = &d->out.v[i];
        char *records = json_dumps(g->records, JSON_COMPACT), *detail = json_dumps(g->detail, JSON_COMPACT);
        if (!records || !detail)
            die("内存不足");
        store_stmt *st = store_prepare(
            d->x->c,
            "INSERT INTO eval_signals(procuratorate_id, branch_id, kind, period, record_key, summary, "
            "records,"
            " detail, run_id, sample, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
            "?10, ?11, ?11)"
            " ON CONFLICT (kind, branch_id, period, record_key) DO UPDATE SET"
            " version = version + (summary IS NOT excluded.summary OR records IS NOT excluded.records"
            "   OR detail IS NOT excluded.detail),"
            " updated_at = CASE WHEN summary IS NOT excluded.summary OR records IS NOT excluded.records"
            "   OR detail IS NOT excluded.detail THEN excluded.updated_at ELSE updated_at END,"
            " summary = excluded.summary, records = excluded.records, detail = excluded.detail,"
            " run_id = excluded.run_id, procuratorate_id = excluded.procuratorate_id");
        store_bind_int(st, 1, g->proc);
        store_bind_int(st, 2, g->branch);
        store_bind_text(st, 3, g->kind);
        store_bind_text(st, 4, d->p->label);
        store_bind_text(st, 5, g->key);
        store_bind_text(st, 6, g->summary ? g->summary : g->kind);
        store_bind_text(st, 7, records);
        store_bind_text(st, 8, detail);
        store_bind_int(st, 9, run_id);
        store_bind_int(st, 10, g->sample);
        store_bind_text(st, 11, now);
        rc = store_step(st, err);
        store_done(st);
        free(records);
        free(detail);
    }
    *raised = d->out.n;
    if (rc >= 0) {
        store_stmt *st =
            store_prepare(d->x->c, "DELETE FROM eval_signals WHERE period = ?2 AND status = '待审核'"
                                   " AND (?1 = 0 OR procuratorate_id = ?1)"
                                   " AND (run_id IS NULL OR run_id <> ?3)");
        store_bind_int(st, 1, d->own);
        store_bind_text(st, 2, d->p->label);
        store_bind_int(st, 3, run_id);
        rc = store_step(st, err);
        store_done(st);
        *removed = store_changes(d->x->c);
    }
    return rc < 0 ? rc : 0;
}

/* What a detection found, between its read and its write (eval_internal.h). The period
 * is copied: the finding may outlive the caller's. */
struct eval_signals {
    struct det d;
    struct eval_period p;
};

int eval_signals_failed(int rc, int64_t run_id, struct rerr *err)
{
    log_warn("形式化信号检测失败（考评 %" PRId64 "）：%s", run_id, err->message);
    struct rerr was = *err;
    return rerr_set(err, rc, was.code[0] ? was.code : "signals_failed", was.field,
                    "考评结果已保存，但形式化信号未能检测：%s", was.message);
}

int eval_signals_find(struct res_ctx *x, const struct scheme *s, const struct eval_period *p,
                      struct eval_signals **out, struct rerr *err)
{
    struct eval_signals *f = calloc(1, sizeof *f);
    if (!f)
        die("内存不足");
    f->p = *p;
    struct det *d = &f->d;
    *d = (struct det){.x = x, .p = &f->p};
    eval_signal_thresholds(s, &d->t);
    int rc = eval_signal_thresholds_check(&d->t, err);
    if (!authz_read_narrowed(x->who, READ_SCOPED, &d->own))
        d->own = 0;
    if (rc == 0 && (rc = store_begin_read(x->c, err)) == 0) {
        rc = load_branches(d, err);
        if (rc == 0)
            rc = copied_minutes(d, err);
        if (rc == 0)
            rc = perfect_attendance(d, err);
        if (rc == 0)
            rc = entries(d, err);
        if (rc == 0)
            rc = bare_checks(d, err);
        store_rollback(x->c);
    }
    d->x = NULL; /* the reader's context is done with (its arena's texts too) */
    memset(d->title_sql, 0, sizeof d->title_sql);
    if (rc < 0) {
        eval_signals_free(f);
        *out = NULL;
        return rc;
    }
    *out = f;
    return 0;
}

void eval_signals_free(struct eval_signals *f)
{
    if (!f)
        return;
    sigs_free(&f->d.out);
    free(f->d.br);
    free(f);
}

int eval_signals_store(struct res_ctx *x, struct eval_signals *f, int64_t run_id, struct rerr *err)
{
    struct det *d = &f->d;
    d->x = x;
    int raised = 0, removed = 0;
    int rc = store_begin(x->c, err);
    if (rc == 0) {
        rc = store_signals(d, run_id, &raised, &removed, err);
        int64_t owner = 0;
        if (rc == 0) {
            store_stmt *st = store_prepare(x->c, "SELECT procuratorate_id FROM eval_runs WHERE id = ?");
            store_bind_int(st, 1, run_id);
            rc = store_step(st, err);
            owner = rc == STORE_ROW ? store_col_int(st, 0) : 0;
            store_done(st);
            rc = rc < 0 ? rc : 0;
        }
        if (rc == 0) {
            json_t *after = json_pack("{s:I, s:s, s:i, s:i}", "run_id", (json_int_t)run_id, "period",
                                      f->p.label, "raised", raised, "removed", removed);
            rc = audit_append(x->c, x->who, "detect", "eval-signals", run_id, owner, NULL, after, err);
            json_decref(after);
        }
        rc = rc == 0 ? store_commit(x->c, err) : (store_rollback(x->c), rc);
    }
    d->x = NULL;
    return rc < 0 ? eval_signals_failed(rc, run_id, err) : 0;
}

int eval_signals_detect(struct res_ctx *x, const struct scheme *s, const struct eval_period *p,
                        int64_t run_id, struct rerr *err)
{
    struct eval_signals *f;
    int rc = eval_signals_find(x, s, p, &f, err);
    if (rc < 0)
        return eval_signals_failed(rc, run_id, err);
    rc = eval_signals_store(x, f, run_id, err);
    eval_signals_free(f);
    return rc;
}
