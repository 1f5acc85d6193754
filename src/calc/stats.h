/*
 * calc/stats.h: the evaluation's statistics — 同频共振 (a rank correlation with its
 * confidence interval), rankings with tie-breaks and movement, and the small counts
 * behind the formalism signals (late entry, bursts before a deadline, implausibly
 * perfect attendance).
 *
 * Pure computation over caller-owned arrays: nothing here knows collections, records or
 * SQL. docs/evaluation-statistics.md states every definition for people, precisely
 * enough to recompute the numbers by hand.
 *
 * Determinism: every result depends only on the multiset of inputs, never on their
 * order or the thread that computes it (sorts use a total order; sums run in the sorted
 * order), so the same data give the same bits.
 *
 * Errors: a function returns 0 or a negative R_E* code (base/err.h) with a Chinese
 * message in "e"; every limit a caller's data can reach is such an error, never an
 * assertion. A result that cannot be computed from the data (too few months, a constant
 * series) is not an error: it is marked missing (缺项) with a reason.
 */
#ifndef RONGHE_CALC_STATS_H
#define RONGHE_CALC_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

/* ---- 同频共振: Spearman rank correlation ------------------------------------------ */

#define CALC_SPEARMAN_MIN_N 6   /* default minimum of months both series have */
#define CALC_SPEARMAN_FLOOR_N 4 /* never fewer, whatever the caller asks */
#define CALC_SPEARMAN_MAX_N 1000000

struct calc_corr {
    bool missing;    /* 缺项: rho, lo and hi are 0 */
    const char *why; /* when missing: a static Chinese reason; else NULL */
    int n;           /* the months both series have (the pairs used) */
    double rho;      /* Spearman's rho in [-1, 1] */
    double lo, hi;   /* the confidence interval, lo <= rho <= hi */
    double level;    /* the interval's level, e.g. 0.95 */
};

/* Spearman's rank correlation of "x" (the party-building series: the reasons name it
 * 党建) and "y" (the business series, 业务), "n" months each, over the months where
 * neither is missing: "x_missing"/"y_missing" may be NULL (nothing missing), and a value
 * that is not finite counts as missing. Each series is ranked 1..n' among the months
 * used, tied values taking the average of the ranks they span, and rho is Pearson's
 * correlation of the two rank series (so ties are handled exactly). The interval is
 * tanh(atanh(rho) ± z·sqrt(1.06/(n'-3))) with z the standard normal quantile at
 * (1+"level")/2 (Fisher's z with the Fieller–Hartley–Pearson standard error).
 *
 * "min_n" ≤ 0 means CALC_SPEARMAN_MIN_N; below CALC_SPEARMAN_FLOOR_N it is raised to
 * it. "level" 0 means 0.95; otherwise it must lie in (0, 1). The result is missing when
 * fewer than min_n months are used, or when either series is constant over them.
 * Errors: R_EINVAL for n < 0, n > CALC_SPEARMAN_MAX_N, a NULL array or a bad level. */
int calc_spearman(const double *x, const bool *x_missing, const double *y, const bool *y_missing, int n,
                  int min_n, double level, struct calc_corr *out, struct rerr *e);

/* The standard normal quantile: the z with P(Z <= z) = "p", 0 < p < 1 (Acklam's
 * approximation refined by one Halley step on erfc: about 1e-15 relative). */
double calc_normal_quantile(double p);

/* ---- rankings --------------------------------------------------------------------- */

enum calc_order { CALC_DESC = 0, CALC_ASC = 1 }; /* DESC: the larger comes first */

enum calc_move {
    CALC_MOVE_NEW,     /* ranked now, not ranked last period */
    CALC_MOVE_UP,      /* a smaller rank number than last period */
    CALC_MOVE_DOWN,    /* a larger one */
    CALC_MOVE_SAME,    /* the same rank number */
    CALC_MOVE_UNRANKED /* not ranked now (its score is 缺项) */
};

#define CALC_RANK_MAX_KEYS 16
#define CALC_RANK_MAX_N 10000000

struct calc_rank_subject {
    int64_t id;               /* the subject's id: the last tie-break, ascending; unique */
    double score;             /* the ranked value, compared exactly as given */
    bool missing;             /* the score is 缺项 (a non-finite score counts as missing) */
    const double *keys;       /* "nkeys" tie-break values (NULL when nkeys is 0) */
    const bool *keys_missing; /* "nkeys" flags, or NULL: a missing key sorts after any value */
    int prev_rank;            /* its rank last period, or 0 when it was not ranked */
};

struct calc_rank_place {
    int subject;         /* index into the caller's subjects */
    int rank;            /* competition rank (1, 2, 2, 4), or 0 when the score is missing */
    bool missing;        /* the score is 缺项: listed after every ranked subject */
    bool tied;           /* shares its rank with the subject before or after it */
    int decided_by;      /* how it was ordered after the subject before it: -1 by score,
                          * 0..nkeys-1 by that tie-break key, nkeys by id alone (a tie:
                          * same rank), -2 for the first subject and the first missing one */
    enum calc_move move; /* movement since last period */
    int delta;           /* prev_rank - rank when both are set (up is positive), else 0 */
};

/* Rank "n" subjects into "out" (n places, in ranking order). Ranked subjects come first,
 * ordered by score ("score_order"), then by each tie-break key in turn ("key_order"[i]
 * for key i; a missing key after any value), then by id ascending so the order is total.
 * Ranks are standard competition ranks: a subject equal to the one before it on score
 * and every key (id aside) shares its rank; the next different subject's rank is its
 * position (1, 2, 2, 4). Subjects with a missing score follow in the same key/id order
 * with rank 0. Scores are compared exactly: a caller that shows scores rounded passes
 * them rounded (calc_round) so that equal as shown means tied.
 * Errors: R_EINVAL for n < 0 or too large, nkeys outside 0..CALC_RANK_MAX_KEYS, NULL
 * arrays, a negative prev_rank or two subjects with the same id. */
int calc_rank(const struct calc_rank_subject *subjects, int n, enum calc_order score_order,
              const enum calc_order *key_order, int nkeys, struct calc_rank_place *out, struct rerr *e);

/* ---- formalism signals: records entered late --------------------------------------- */

/* Days are day numbers (days since any fixed epoch, e.g. civil.h's). */
struct calc_lag {
    int n;        /* records considered */
    int late;     /* records with entered - described > max_days */
    double share; /* late / n (0 when n is 0) */
    int max_lag;  /* the largest entered - described (0 when n is 0) */
};

/* Records "entered" on a day and describing "described" (n each). A record is late when
 * it was entered more than "max_days" (≥ 0) days after the day it describes; one entered
 * before that day (a plan) is not late. The indices of late records, in input order, go
 * to "late_idx" (n slots, or NULL). Errors: R_EINVAL for n < 0, max_days < 0, NULL. */
int calc_lag(const int *entered, const int *described, int n, int max_days, struct calc_lag *out,
             int *late_idx, struct rerr *e);

/* ---- formalism signals: a burst before a deadline ---------------------------------- */

struct calc_burst_rule {
    int window_days;   /* the window: the deadline day and the window_days-1 days before it */
    int baseline_days; /* the baseline: the baseline_days days before the window */
    int min_records;   /* flag only with at least this many records in the window */
    double min_ratio;  /* ... and at least this many times the expected count */
    double max_p;      /* ... and a Poisson upper tail of at most this */
};

struct calc_burst {
    int in_window;   /* records entered in the window */
    int baseline;    /* records entered in the baseline */
    double expected; /* baseline / baseline_days * window_days */
    double ratio;    /* in_window / expected (0 when expected is 0) */
    double p;        /* P(X >= in_window) for X ~ Poisson(expected); 1 when in_window is 0 */
    bool flagged;    /* in_window >= min_records and (expected is 0 or ratio >= min_ratio)
                      * and p <= max_p */
};

/* Records entered on days "entered" (n), against "deadline". Indices of the records in
 * the window go to "window_idx" (n slots, or NULL), in input order. Errors: R_EINVAL for
 * n < 0, NULL, window_days or baseline_days < 1, min_records < 0, min_ratio < 0, max_p
 * outside [0, 1]. */
int calc_burst(const int *entered, int n, int deadline, const struct calc_burst_rule *rule,
               struct calc_burst *out, int *window_idx, struct rerr *e);

/* P(X >= k) for X ~ Poisson(mu), mu >= 0. */
double calc_poisson_upper(int k, double mu);

/* ---- formalism signals: implausibly perfect attendance ----------------------------- */

struct calc_streak_rule {
    int min_run;     /* flag only runs of at least this many meetings */
    double max_p;    /* ... with p at most this */
    double ref_rate; /* the rate to judge by when no meeting lies outside the run
                      * (e.g. the city's rate); in [0, 1] */
};

struct calc_streak {
    int start, end;   /* the longest run of perfect meetings, input indices [start, end)
                       * (the earliest if several) */
    int len;          /* the meetings in it that count (expected > 0); 0 when none */
    long attendances; /* sum of expected members over the run */
    double rate;      /* sum of min(present, expected) / sum of expected over the
                       * counted meetings outside the run */
    bool rate_is_ref; /* no meeting outside the run: rate is ref_rate */
    double p;         /* min(1, (m - len + 1) · rate^attendances), 1 when len is 0 */
    bool flagged;     /* len >= min_run and p <= max_p */
};

/* Meetings in date order (n): "expected" members and "present" ones each. A meeting is
 * perfect when expected > 0 and present >= expected; one with expected 0 is left out
 * (it neither extends nor breaks a run, and m counts only the others). The model: each
 * expected member attends each meeting independently with the branch's rate elsewhere,
 * so a given run of meetings is perfect with probability rate^attendances, and a run
 * that long somewhere among the m meetings at most (m - len + 1) times that.
 * Errors: R_EINVAL for n < 0, NULL, a negative count, a bad rule. */
int calc_perfect_attendance(const int *expected, const int *present, int n,
                            const struct calc_streak_rule *rule, struct calc_streak *out, struct rerr *e);

#endif
