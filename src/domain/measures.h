/*
 * measures: the catalogue of what the evaluation measures in both ledgers — each a named
 * quantity of a branch per month, with its definition in Chinese (docs/evaluation.md
 * lists them; GET /api/v1/eval/measures answers them).
 *
 * Every measure is a pair (numerator, denominator) summed per branch and calendar month,
 * so that any period and any grouping is a sum: a count's value is its numerator (its
 * denominator unused); a rate's or an average's is Σ numerator / Σ denominator over the
 * months of the period (a ratio of sums, never an average of monthly ratios), and 缺项
 * when Σ denominator is 0. A procuratorate's value sums its branches' pairs. A record
 * counts in the month of the day the definition names (a case in the month it was
 * closed, a meeting in the month it was held …) and for the branch it belongs to (a case
 * for each branch a member of its team belonged to on that day).
 */
#ifndef RONGHE_MEASURES_H
#define RONGHE_MEASURES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

struct res_ctx;

enum measure_kind { MEASURE_COUNT, MEASURE_RATE, MEASURE_MEAN };

struct measure {
    const char *name;       /* as formulas name it: 三会一课完成率 */
    enum measure_kind kind; /* how its pair becomes a value */
    const char *unit;       /* 次, 件, 项, 比例, 分 */
    const char *group;      /* 党建, 业务 or 融合: the ledger side it reads */
    const char *definition; /* in Chinese: what is counted, on which day, for which branch */
    /* The records behind a value: rows (collection, id, title, day, numerator part,
     * denominator part) for branch ?1 and days ?2 <= day < ?3, at most a page of them. */
    const char *records_sql;
};

/* The catalogue, in its documented order; measure_count() entries. */
int measure_count(void);
const struct measure *measure_at(int i);
/* The index of the measure named "name", or -1. */
int measure_find(const char *name);

/* Whom a grid's pairs are of: branches (the catalogue's definitions), members or party
 * groups (the measures that have a meaning for them, with that meaning: the rest have
 * no value for them, 缺项). */
enum measure_of { MEASURE_OF_BRANCH, MEASURE_OF_MEMBER, MEASURE_OF_GROUP };

/* The definition of measure "m" for subjects "of", in Chinese; NULL when it has no value
 * for them. */
const char *measure_definition(int m, enum measure_of of);

/* The pairs of every measure for every branch ("branch" 0) or one branch, and every month
 * of years first..last: opaque, owned by the caller (measure_grid_free). Read in one read
 * transaction of the caller's: the months kept (measure_keep) that are wholly past are
 * read as kept, the others computed from the ledgers — the same numbers either way, since
 * a change of a record deletes the kept months it can change (migration 019). */
struct measure_grid;
int measure_grid_load(struct res_ctx *x, int first_year, int last_year, int64_t branch,
                      struct measure_grid **out, struct rerr *err);
/* The same for measure "m" alone, every branch: its kept months read, the others computed
 * (the pairs measure_grid_load gives of "m", without reading or computing the rest);
 * measure_sum() of another measure is false. */
int measure_grid_load_one(struct res_ctx *x, int m, int first_year, int last_year, struct measure_grid **out,
                          struct rerr *err);
/* The same for every branch, of the months of the measures "want" asks for: want[k *
 * measure_count() + m] true for month k of measure m (k counted from January of
 * first_year; NULL: all). The months not asked for are neither read nor computed:
 * measure_sum() over one of them is false. */
int measure_grid_load_wanted(struct res_ctx *x, int first_year, int last_year, const bool *want,
                             struct measure_grid **out, struct rerr *err);
/* The same for every member or party group ("of"; "id" 0) or one of them. */
int measure_grid_load_of(struct res_ctx *x, enum measure_of of, int first_year, int last_year, int64_t id,
                         struct measure_grid **out, struct rerr *err);
/* The same, every month computed from the ledgers (what the kept months must equal). */
int measure_grid_compute(struct res_ctx *x, int first_year, int last_year, int64_t branch,
                         struct measure_grid **out, struct rerr *err);
/* Keep the months of years first..last wholly in the past that are not kept yet: compute
 * them for every branch in a transaction of its own (call it outside any) and store them.
 * When another connection writes meanwhile nothing is kept (the next call tries again):
 * not an error. *kept (when not NULL): the months stored. */
int measure_keep(struct res_ctx *x, int first_year, int last_year, int *kept, struct rerr *err);
/* The same for the months "want" asks for (as measure_grid_load_wanted; NULL: all). */
int measure_keep_wanted(struct res_ctx *x, int first_year, int last_year, const bool *want, int *kept,
                        struct rerr *err);
void measure_grid_free(struct measure_grid *g);
/* Σ of measure "m"'s pair for branch "branch" (the grid's subject) over months from..to
 * (each "YYYY-MM", inclusive, within the grid's years): false when the grid has no such
 * subject, or the measure no value for its kind of subject. */
bool measure_sum(const struct measure_grid *g, int m, int64_t branch, const char *from, const char *to,
                 double *num, double *den);
/* The value of a pair by the measure's kind; false for 缺项 (a rate or average with no
 * denominator). */
bool measure_value(const struct measure *m, double num, double den, double *value);

/* The records behind measure "m" for "branch" and days from <= day < to, as a JSON array
 * of {coll, id, title, day, num, den}, at most "limit" of them; *out is the caller's. */
int measure_records(struct res_ctx *x, int m, int64_t branch, const char *from, const char *to, int limit,
                    json_t **out, struct rerr *err);

#endif
