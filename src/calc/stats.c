/*
 * calc/stats.c: rank correlation, rankings and the signal counts (contracts in stats.h).
 *
 * Determinism note: qsort is not stable, so every comparator here is a total order on
 * what it sorts, or ties only elements whose contributions are identical (two months
 * with the same pair of values), so the sorted order — and every sum taken in it — does
 * not depend on the input order.
 */
#include "calc/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        die("calc/stats: out of memory");
    return p;
}

/* ==== Spearman ======================================================================= */

struct pair {
    double x, y;
};

static int cmp_double(double a, double b)
{
    return a < b ? -1 : a > b ? 1 : 0;
}

static int cmp_pair(const void *pa, const void *pb)
{
    const struct pair *a = pa, *b = pb;
    int c = cmp_double(a->x, b->x);
    return c ? c : cmp_double(a->y, b->y);
}

static int cmp_double_p(const void *pa, const void *pb)
{
    return cmp_double(*(const double *)pa, *(const double *)pb);
}

/* The average 1-based rank of "v" among sorted "s" (n): the mean of the positions its
 * equal values span. */
static double avg_rank(const double *s, int n, double v)
{
    int lo = 0, hi = n; /* first index with s >= v */
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (s[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    int first = lo;
    hi = n; /* first index with s > v */
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (s[mid] <= v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (first + 1 + lo) / 2.0; /* positions first+1 .. lo */
}

double calc_normal_quantile(double p)
{
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                               1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                               6.680131188771972e+01, -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                               -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                               3.754408661907416e+00};
    if (!(p > 0 && p < 1))
        return p == 0 ? -INFINITY : p == 1 ? INFINITY : NAN;
    double x;
    if (p < 0.02425) {
        double q = sqrt(-2 * log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p <= 1 - 0.02425) {
        double q = p - 0.5, r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    } else {
        double q = sqrt(-2 * log1p(-p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    /* One Halley step on Φ(x) - p, Φ(x) = erfc(-x/√2)/2. */
    double err = 0.5 * erfc(-x / sqrt(2.0)) - p;
    double u = err * sqrt(2 * M_PI) * exp(x * x / 2);
    return x - u / (1 + x * u / 2);
}

static int corr_missing(struct calc_corr *out, const char *why)
{
    out->missing = true;
    out->why = why;
    out->rho = out->lo = out->hi = 0;
    return 0;
}

int calc_spearman(const double *x, const bool *x_missing, const double *y, const bool *y_missing, int n,
                  int min_n, double level, struct calc_corr *out, struct rerr *e)
{
    if (n < 0 || n > CALC_SPEARMAN_MAX_N)
        return rerr_set(e, R_EINVAL, "bad_series", "", "序列长度 %d 超出范围（0–%d）", n,
                        CALC_SPEARMAN_MAX_N);
    if ((n > 0 && (!x || !y)) || !out)
        return rerr_set(e, R_EINVAL, "bad_series", "", "缺少序列");
    if (level == 0)
        level = 0.95;
    if (!(level > 0 && level < 1))
        return rerr_set(e, R_EINVAL, "bad_level", "level", "置信水平须在 0 与 1 之间");
    if (min_n <= 0)
        min_n = CALC_SPEARMAN_MIN_N;
    if (min_n < CALC_SPEARMAN_FLOOR_N)
        min_n = CALC_SPEARMAN_FLOOR_N;
    memset(out, 0, sizeof *out);
    out->level = level;

    struct pair *p = xcalloc((size_t)n, sizeof *p);
    int m = 0;
    for (int i = 0; i < n; i++) {
        if ((x_missing && x_missing[i]) || (y_missing && y_missing[i]) || !isfinite(x[i]) || !isfinite(y[i]))
            continue;
        p[m].x = x[i] == 0 ? 0 : x[i]; /* -0 and 0 are one value */
        p[m].y = y[i] == 0 ? 0 : y[i];
        m++;
    }
    out->n = m;
    if (m < min_n) {
        free(p);
        return corr_missing(out, "月份不足");
    }
    qsort(p, (size_t)m, sizeof *p, cmp_pair);
    double *sx = xcalloc((size_t)m, sizeof *sx), *sy = xcalloc((size_t)m, sizeof *sy);
    for (int i = 0; i < m; i++) {
        sx[i] = p[i].x;
        sy[i] = p[i].y;
    }
    qsort(sy, (size_t)m, sizeof *sy, cmp_double_p); /* sx is sorted already */
    double mean = (m + 1) / 2.0, sxy = 0, sxx = 0, syy = 0;
    for (int i = 0; i < m; i++) {
        double rx = avg_rank(sx, m, p[i].x) - mean, ry = avg_rank(sy, m, p[i].y) - mean;
        sxy += rx * ry;
        sxx += rx * rx;
        syy += ry * ry;
    }
    free(sx);
    free(sy);
    free(p);
    if (sxx == 0 || syy == 0)
        return corr_missing(out,
                            sxx == 0 ? "党建序列各月相同，无法计算相关" : "业务序列各月相同，无法计算相关");
    double rho = sxy / sqrt(sxx * syy);
    if (rho > 1)
        rho = 1;
    if (rho < -1)
        rho = -1;
    double z = atanh(rho), se = sqrt(1.06 / (m - 3)), q = calc_normal_quantile((1 + level) / 2);
    out->rho = rho;
    out->lo = fabs(rho) == 1 ? rho : tanh(z - q * se);
    out->hi = fabs(rho) == 1 ? rho : tanh(z + q * se);
    return 0;
}

/* ==== rankings ======================================================================= */

struct rank_ctx {
    const struct calc_rank_subject *s;
    enum calc_order score_order;
    const enum calc_order *key_order;
    int nkeys;
};

static bool key_missing(const struct calc_rank_subject *s, int k)
{
    return (s->keys_missing && s->keys_missing[k]) || !isfinite(s->keys[k]);
}

static bool score_missing(const struct calc_rank_subject *s)
{
    return s->missing || !isfinite(s->score);
}

/* Compare two values under "order", a missing one after any value. */
static int cmp_key(double a, bool am, double b, bool bm, enum calc_order order)
{
    if (am || bm)
        return am == bm ? 0 : am ? 1 : -1;
    int c = cmp_double(a, b);
    return order == CALC_DESC ? -c : c;
}

/* The first criterion that orders "a" and "b": -1 score (missing status first), 0..nkeys-1
 * a key, nkeys none (id alone); *c gets the comparison. */
static int rank_decide(const struct rank_ctx *ctx, const struct calc_rank_subject *a,
                       const struct calc_rank_subject *b, int *c)
{
    *c = cmp_key(a->score, score_missing(a), b->score, score_missing(b), ctx->score_order);
    if (score_missing(a) && score_missing(b))
        *c = 0;
    if (*c)
        return -1;
    for (int k = 0; k < ctx->nkeys; k++) {
        *c = cmp_key(a->keys[k], key_missing(a, k), b->keys[k], key_missing(b, k), ctx->key_order[k]);
        if (*c)
            return k;
    }
    *c = a->id < b->id ? -1 : a->id > b->id ? 1 : 0;
    return ctx->nkeys;
}

static int cmp_rank(const void *pa, const void *pb, void *arg)
{
    const struct rank_ctx *ctx = arg;
    int c;
    rank_decide(ctx, &ctx->s[*(const int *)pa], &ctx->s[*(const int *)pb], &c);
    return c;
}

int calc_rank(const struct calc_rank_subject *subjects, int n, enum calc_order score_order,
              const enum calc_order *key_order, int nkeys, struct calc_rank_place *out, struct rerr *e)
{
    if (n < 0 || n > CALC_RANK_MAX_N)
        return rerr_set(e, R_EINVAL, "bad_ranking", "", "排名对象数 %d 超出范围（0–%d）", n, CALC_RANK_MAX_N);
    if (nkeys < 0 || nkeys > CALC_RANK_MAX_KEYS)
        return rerr_set(e, R_EINVAL, "bad_ranking", "", "并列排序依据不能超过 %d 项", CALC_RANK_MAX_KEYS);
    if ((n > 0 && (!subjects || !out)) || (nkeys > 0 && !key_order))
        return rerr_set(e, R_EINVAL, "bad_ranking", "", "缺少排名数据");
    for (int i = 0; i < n; i++) {
        if (nkeys > 0 && !subjects[i].keys)
            return rerr_set(e, R_EINVAL, "bad_ranking", "", "第 %d 个排名对象缺少并列排序依据", i + 1);
        if (subjects[i].prev_rank < 0)
            return rerr_set(e, R_EINVAL, "bad_ranking", "", "第 %d 个排名对象的上期名次为负数", i + 1);
    }
    struct rank_ctx ctx = {subjects, score_order, key_order, nkeys};
    int *idx = xcalloc((size_t)n, sizeof *idx);
    for (int i = 0; i < n; i++)
        idx[i] = i;
    qsort_r(idx, (size_t)n, sizeof *idx, cmp_rank, &ctx);
    for (int i = 1; i < n; i++)
        if (subjects[idx[i]].id == subjects[idx[i - 1]].id) {
            int64_t id = subjects[idx[i]].id;
            free(idx);
            return rerr_set(e, R_EINVAL, "duplicate_id", "", "排名对象编号 %lld 重复", (long long)id);
        }
    for (int i = 0; i < n; i++) {
        const struct calc_rank_subject *s = &subjects[idx[i]];
        struct calc_rank_place *p = &out[i];
        memset(p, 0, sizeof *p);
        p->subject = idx[i];
        p->missing = score_missing(s);
        int c;
        p->decided_by = i == 0 || (p->missing && !out[i - 1].missing)
                            ? -2
                            : rank_decide(&ctx, &subjects[idx[i - 1]], s, &c);
        if (p->missing) {
            p->rank = 0;
        } else if (p->decided_by == nkeys) {
            p->rank = out[i - 1].rank;
            p->tied = out[i - 1].tied = true;
        } else {
            p->rank = i + 1;
        }
        if (p->missing) {
            p->move = CALC_MOVE_UNRANKED;
            if (p->decided_by == nkeys)
                p->tied = out[i - 1].tied = true;
        }
    }
    for (int i = 0; i < n; i++) {
        struct calc_rank_place *p = &out[i];
        int prev = subjects[p->subject].prev_rank;
        if (p->missing)
            continue;
        p->move = prev == 0        ? CALC_MOVE_NEW
                  : prev > p->rank ? CALC_MOVE_UP
                  : prev < p->rank ? CALC_MOVE_DOWN
                                   : CALC_MOVE_SAME;
        p->delta = prev == 0 ? 0 : prev - p->rank;
    }
    free(idx);
    return 0;
}

/* ==== late entry ===================================================================== */

int calc_lag(const int *entered, const int *described, int n, int max_days, struct calc_lag *out,
             int *late_idx, struct rerr *e)
{
    if (n < 0 || max_days < 0 || !out || (n > 0 && (!entered || !described)))
        return rerr_set(e, R_EINVAL, "bad_signal", "", "补录检查的参数无效");
    memset(out, 0, sizeof *out);
    out->n = n;
    for (int i = 0; i < n; i++) {
        long lag = (long)entered[i] - described[i];
        if (i == 0 || lag > out->max_lag)
            out->max_lag = (int)(lag > 2147483647L ? 2147483647L : lag < -2147483647L ? -2147483647L : lag);
        if (lag > max_days) {
            if (late_idx)
                late_idx[out->late] = i;
            out->late++;
        }
    }
    out->share = n ? (double)out->late / n : 0;
    return 0;
}

/* ==== bursts ========================================================================= */

double calc_poisson_upper(int k, double mu)
{
    if (k <= 0)
        return 1;
    if (!(mu > 0))
        return 0;
    if (k > mu) { /* the tail from k up: terms fall from the first */
        double t = exp(-mu + k * log(mu) - lgamma(k + 1.0)), sum = 0;
        for (int i = k; i < k + 100000 && t > 0; i++) {
            sum += t;
            if (t < sum * 1e-17)
                break;
            t *= mu / (i + 1);
        }
        return sum > 1 ? 1 : sum;
    }
    /* 1 - P(X <= k-1): the head from k-1 down, largest term first */
    double t = exp(-mu + (k - 1) * log(mu) - lgamma((double)k)), sum = 0;
    for (int i = k - 1; i >= 0 && t > 0; i--) {
        sum += t;
        if (t < sum * 1e-17)
            break;
        t *= i / mu;
    }
    double p = 1 - sum;
    return p < 0 ? 0 : p;
}

int calc_burst(const int *entered, int n, int deadline, const struct calc_burst_rule *rule,
               struct calc_burst *out, int *window_idx, struct rerr *e)
{
    if (n < 0 || !rule || !out || (n > 0 && !entered))
        return rerr_set(e, R_EINVAL, "bad_signal", "", "突击录入检查的参数无效");
    if (rule->window_days < 1 || rule->baseline_days < 1 || rule->min_records < 0 ||
        !(rule->min_ratio >= 0) || !(rule->max_p >= 0 && rule->max_p <= 1))
        return rerr_set(e, R_EINVAL, "bad_rule", "",
                        "突击录入阈值无效：窗口与基线天数须至少 1 天，概率须在 0 与 1 之间");
    memset(out, 0, sizeof *out);
    long w0 = (long)deadline - rule->window_days + 1, b0 = w0 - rule->baseline_days;
    for (int i = 0; i < n; i++) {
        long d = entered[i];
        if (d >= w0 && d <= deadline) {
            if (window_idx)
                window_idx[out->in_window] = i;
            out->in_window++;
        } else if (d >= b0 && d < w0) {
            out->baseline++;
        }
    }
    out->expected = (double)out->baseline / rule->baseline_days * rule->window_days;
    out->ratio = out->expected > 0 ? out->in_window / out->expected : 0;
    out->p = calc_poisson_upper(out->in_window, out->expected);
    out->flagged = out->in_window >= rule->min_records &&
                   (out->expected == 0 || out->ratio >= rule->min_ratio) && out->p <= rule->max_p;
    return 0;
}

/* ==== perfect attendance ============================================================= */

int calc_perfect_attendance(const int *expected, const int *present, int n,
                            const struct calc_streak_rule *rule, struct calc_streak *out, struct rerr *e)
{
    if (n < 0 || !rule || !out || (n > 0 && (!expected || !present)))
        return rerr_set(e, R_EINVAL, "bad_signal", "", "全勤检查的参数无效");
    if (rule->min_run < 1 || !(rule->max_p >= 0 && rule->max_p <= 1) ||
        !(rule->ref_rate >= 0 && rule->ref_rate <= 1))
        return rerr_set(e, R_EINVAL, "bad_rule", "",
                        "全勤阈值无效：最短连续次数须至少 1，概率与参考出勤率须在 0 与 1 之间");
    for (int i = 0; i < n; i++)
        if (expected[i] < 0 || present[i] < 0)
            return rerr_set(e, R_EINVAL, "bad_signal", "", "第 %d 次会议的应到或实到人数为负数", i + 1);
    memset(out, 0, sizeof *out);
    out->p = 1;
    int m = 0, run = 0, run_start = 0, last_end = 0;
    long run_att = 0;
    for (int i = 0; i < n; i++) {
        if (expected[i] == 0)
            continue;
        m++;
        if (present[i] >= expected[i]) {
            if (run == 0) {
                run_start = i;
                run_att = 0;
            }
            run++;
            run_att += expected[i];
            last_end = i + 1;
            if (run > out->len) {
                out->len = run;
                out->start = run_start;
                out->end = last_end;
                out->attendances = run_att;
            }
        } else {
            run = 0;
        }
    }
    if (out->len == 0)
        return 0;
    long long sum_exp = 0, sum_pres = 0;
    for (int i = 0; i < n; i++) {
        if (expected[i] == 0 || (i >= out->start && i < out->end))
            continue;
        sum_exp += expected[i];
        sum_pres += present[i] < expected[i] ? present[i] : expected[i];
    }
    out->rate_is_ref = sum_exp == 0;
    out->rate = sum_exp ? (double)sum_pres / (double)sum_exp : rule->ref_rate;
    double p = (m - out->len + 1) * pow(out->rate, (double)out->attendances);
    out->p = p > 1 ? 1 : p;
    out->flagged = out->len >= rule->min_run && out->p <= rule->max_p;
    return 0;
}
