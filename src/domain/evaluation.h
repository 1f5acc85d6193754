/*
 * evaluation: schemes (versioned text, docs/evaluation.md), runs of a scheme over a
 * period, their results for branches and procuratorates with every number explained, and
 * the measures of both ledgers they read (domain/measures.h).
 *
 * A period is a year (2025), a quarter (2025-Q3) or a month (2025-07); its previous
 * period is the one of the same length before it, its year-ago period the same one a
 * year before.
 */
#ifndef RONGHE_EVALUATION_H
#define RONGHE_EVALUATION_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"

struct res_ctx;
struct res_query;
struct resource;

extern const struct resource res_eval_schemes, res_eval_manual_values;

struct eval_period {
    char label[40];                    /* normalised: 2025, 2025-Q3, 2025-07 */
    int year, first, last;             /* its months first..last (1..12) of "year" */
    char from[40], to[40];             /* the days it covers: from <= day < to */
    char month_from[40], month_to[40]; /* its first and last month, YYYY-MM */
};

/* Parse "text" as a period; R_EINVAL with a Chinese message otherwise. */
int eval_period_parse(const char *text, struct eval_period *out, struct rerr *err);
/* The period "shift" periods before "p" (1: the previous one; for a year-ago period of
 * a month or quarter, shift by 12 or 4). */
void eval_period_back(const struct eval_period *p, int shift, struct eval_period *out);

/* GET /eval/measures: the catalogue, each measure's name, kind, unit, group and
 * definition. */
json_t *eval_measures_json(void);

/* GET /eval/values?branch_id=&period=: every measure's numerator, denominator and value
 * for one branch and period (缺项 as null), in one read transaction, scoped as the
 * branch is (another procuratorate's branch is 404 to a county reader). */
int eval_values(struct res_ctx *x, int64_t branch_id, const char *period, json_t **out, struct rerr *err);

/* GET /eval/records?branch_id=&period=&measure=: the ledger records behind one measure's
 * value (at most 500), scoped likewise. */
int eval_records(struct res_ctx *x, int64_t branch_id, const char *period, const char *measure, json_t **out,
                 struct rerr *err);

/* POST /eval/check {text}: every error of a scheme's text, with line and column, as one
 * types it: {ok, errors: [{line, col, code, message}], dimensions, indicators}. */
json_t *eval_scheme_check(const char *text);

/* Compute scheme "scheme_id" for "period" (eval_period_parse) for every branch and
 * procuratorate x->who may write in (WRITE_ADMIN: an administrator, inside their
 * scope), store the run and its results (the scheme is then used: never edited again),
 * and audit it. "progress" may be NULL. *summary (the caller's): {run_id, period,
 * scheme, subjects, ranking: [{rank, name, total, fusion, movement}…]} for the branches. */
struct progress;
int eval_run(struct res_ctx *x, int64_t scheme_id, const char *period, const struct progress *progress,
             json_t **summary, struct rerr *err);

/* GET /eval/results?period=[&scheme_id=][&kind=branch|procuratorate|member|party_group]
 * [&branch_id=][&sort=rank_city|rank_level|rank_proc][&page=][&per_page=]: the latest
 * run's results of that kind for the period (of that scheme, else of the newest run that
 * has them), ranked, each with its branch_id (null for a procuratorate); scoped as the
 * results' branches are. Paged as the collections' lists: {run, items, total, page,
 * per_page}, per_page 50 unless asked, at most 500 (else 400 bad_query); the order is the
 * ranking's (sort, default rank_city: 缺项 last, then by id), the same on every page. */
int eval_results(struct res_ctx *x, const struct res_query *q, json_t **out, struct rerr *err);

/* GET /eval/results/export?period=[&scheme_id=][&kind=][&branch_id=]: the same results
 * (the same run, the same scope) as an XLSX: the ranking on 考评结果, every subject's indicators on
 * 指标得分; *out's descriptor is the caller's to send. Audited ("export" on eval-results). */
struct res_file;
int eval_results_file(struct res_ctx *x, const struct res_query *q, struct res_file *out, struct rerr *err);

/* GET /eval/honours?period=[&scheme_id=][&branch_id=]: honour eligibility of the latest
 * branch run, as proposals: for each honour of its scheme, the rule and every branch in
 * the reader's scope with whether it meets it and each condition ("A 且 B …") met or
 * missed with its values, those who meet it first. */
int eval_honours(struct res_ctx *x, const struct res_query *q, json_t **out, struct rerr *err);

/* GET /eval/explain?branch_id=|procuratorate_id=&period=[&scheme_id=]: one subject's
 * whole explanation from the latest run (docs/evaluation.md: every number, its formula
 * with the values put in, the measures and their numerators and denominators). */
int eval_explain(struct res_ctx *x, const struct res_query *q, json_t **out, struct rerr *err);

/* ---- formalism signals (形式化信号: raised by a run, eval_signals.c; read and reviewed
 * here, eval_signals_api.c). Scoped as the ledgers are, and a secretary reads only the
 * own branch's. */

/* GET /eval/signals?period=&status=&kind=&branch_id=&page=&per_page=: {items, total,
 * counts: {待审核, 已核实, 属实}} (counts over the filters but status), pending first. */
int eval_signals_list(struct res_ctx *x, const struct res_query *q, json_t **out, struct rerr *err);

/* GET /eval/signals/:id: one signal with its detail; a 纪要雷同 also with "texts", the two
 * minutes as they stand (a meeting outside the reader's procuratorate: text null). */
int eval_signal_get(struct res_ctx *x, int64_t id, json_t **out, struct rerr *err);

/* POST /eval/signals/:id/review {decision: 已核实|属实, note, version}: an administrator in
 * the signal's scope; 已核实 needs a note; 409 on a stale version; audited. *out: the
 * signal as it now stands. */
int eval_signal_review(struct res_ctx *x, int64_t id, json_t *body, json_t **out, struct rerr *err);

#endif
