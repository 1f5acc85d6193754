/*
 * eval_internal.h: what the evaluation's files share (eval_scheme.c the schemes, eval_run.c
 * the runs and their results), and nobody else. The interface is domain/evaluation.h.
 */
#ifndef RONGHE_EVAL_INTERNAL_H
#define RONGHE_EVAL_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "calc/expr.h"
#include "calc/scheme.h"

/* A scheme's text, in characters: so many four-byte characters still fit calc's
 * SCHEME_MAX_TEXT bytes (checked at compile time in eval_scheme.c). */
#define EVAL_SCHEME_MAX_CHARS 60000

/* The measure catalogue's names as formulas see them (domain/measures.h order). */
const struct expr_catalogue *eval_catalogue(void);

/* Parse "text": 0 with *out (the caller's: scheme_free), or R_EINVAL "bad_scheme" with
 * every error as JSON in *errors (when not NULL; the caller's). */
int eval_scheme_compile(const char *text, struct scheme **out, json_t **errors, struct rerr *err);

/* GET /eval/results (domain/evaluation.h eval_results): one page of the results "q" asks
 * for, or with "all" every one of them in the same order (page and per_page are checked,
 * then ignored: an export of any length). */
struct res_ctx;
struct res_query;
int eval_results_read(struct res_ctx *x, const struct res_query *q, bool all, json_t **out, struct rerr *err);

/* ---- formalism signals (eval_signals.c; docs/evaluation.md 「形式化信号」) ---- */

/* The thresholds of the scheme's [信号], each defaulted when the scheme does not set it. */
struct eval_signal_thresholds {
    double similarity;  /* 纪要相似度阈值 0.8: Jaccard of 5-character shingles */
    int min_passage;    /* 纪要相同段落字数 8: shortest passage shown */
    int streak_months;  /* 连续全勤月数 6 */
    double streak_p;    /* 全勤概率上限 0.05 */
    double streak_ref;  /* 全勤参考出勤率 0.9: when no month lies outside the streak */
    int late_days;      /* 补录天数 30 */
    int late_min;       /* 补录最少条数 3 */
    int burst_days;     /* 突击天数 7: the window ending on the deadline */
    int burst_baseline; /* 突击基线天数 60 */
    int burst_min;      /* 突击最少条数 5 */
    double burst_ratio; /* 突击倍数 3 */
    double burst_p;     /* 突击概率上限 0.01 */
    double burst_share; /* 突击记录占比 0: window / (window + baseline) at least */
    int burst_offset;   /* 突击截止日延后天数 0: deadline = the period's last day + this */
    int burst_lag;      /* 突击补记天数 7: entries count when entered so long after their day */
    int bare_min;       /* 要素无佐证最少条数 3 */
    double bare_share;  /* 要素无佐证占比 0.3 */
};
void eval_signal_thresholds(const struct scheme *s, struct eval_signal_thresholds *t);
/* 0, or R_EINVAL "bad_threshold" naming the first threshold out of its range. */
int eval_signal_thresholds_check(const struct eval_signal_thresholds *t, struct rerr *err);

/* Raise the signals of run "run_id" (committed) of scheme "s" over period "p", for the
 * subjects x->who's run covers: read in a read transaction, written and audited in a
 * write one (see eval_signals.c for the keys). On failure the run stays and the message
 * says so. */
struct eval_period;
int eval_signals_detect(struct res_ctx *x, const struct scheme *s, const struct eval_period *p,
                        int64_t run_id, struct rerr *err);
/* The same in two steps, so that the reading may go on beside the run's computing and
 * writing: eval_signals_find() reads in a read transaction of its own on x->c (which,
 * and x->a, it is done with on return), the findings *out the caller's to store or
 * free; eval_signals_store() writes and audits them in a write transaction on x->c (an
 * error then says the run stays, as eval_signals_detect's). A finding's records are its
 * own: store it with any connection. */
struct eval_signals;
int eval_signals_find(struct res_ctx *x, const struct scheme *s, const struct eval_period *p,
                      struct eval_signals **out, struct rerr *err);
int eval_signals_store(struct res_ctx *x, struct eval_signals *f, int64_t run_id, struct rerr *err);
void eval_signals_free(struct eval_signals *f);
/* The error "rc" (in *err) of a detection for run "run_id" logged and said as the run
 * staying saved; returns rc. */
int eval_signals_failed(int rc, int64_t run_id, struct rerr *err);

#endif
