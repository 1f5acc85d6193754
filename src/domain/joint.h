/*
 * joint: the ledgers that tie party building to business work (issue 7).
 *
 * - sync-pairs (四同步): a business task and its party-building counterpart, each with the
 *   four stages 同步谋划, 同步部署, 同步落实, 同步检查 and the day each was done; whether the
 *   two moved in step is derived when read (joint_sync_stage), never typed.
 * - element-checks, element-evidence: a work-method element checked off for a branch and
 *   a period of its method (month or quarter), with links to the ledger records that
 *   prove it; a check without evidence is allowed and shown as such. The completion grid
 *   of one method for one branch and year is joint_method_completion.
 * - projects, project-parties, project-activities, project-outcomes (五联建, 检校联建,
 *   支部联建, 检察+行政): a project led by a branch, its other parties (branches or outside
 *   units), the ledger records done for it and its outcomes, each credited to the lead
 *   and every party.
 * - pairings, pairing-progress (红旗结对): a leading branch helps another, with progress
 *   entries over time.
 * - guidance (以机关带系统强基层): a city branch's visit, training or review of a county
 *   branch; only the city's administrators write it.
 *
 * Lists of projects, pairings and guidance take ?branch_id= as "involves this branch"
 * (either side, or any party), which is what a branch's page lists.
 */
#ifndef RONGHE_JOINT_H
#define RONGHE_JOINT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

struct resource;
struct res_ctx;
struct res_query;

extern const struct resource res_sync_pairs, res_element_checks, res_element_evidence, res_projects,
    res_project_parties, res_project_activities, res_project_outcomes, res_pairings, res_pairing_progress,
    res_guidance;

/* The day number of a valid YYYY-MM-DD date (days since 1970-01-01; earlier dates are
 * negative), or INT64_MIN when "s" is not such a date. */
int64_t joint_day_number(const char *s);

/* One stage of a 四同步 pair: "b" and "p" the days the business and the party side did it
 * (NULL: not yet), "today" a day number, "tolerance" the days apart that still count as
 * in step. */
struct sync_stage {
    const char *status; /* "同步": both done at most tolerance days apart; "滞后": both done,
                           further apart; "待完成": one side done, the other not yet;
                           "未开始": neither */
    const char *behind; /* "business" or "party": the side that did it later or not yet;
                           NULL for 同步 and 未开始 */
    int64_t days;       /* how many days behind (滞后: between the two; 待完成: since the
                           side that did it), 0 otherwise */
    bool in_step;       /* 同步, 未开始, or 待完成 for no more than tolerance days */
};
void joint_sync_stage(const char *b, const char *p, int64_t today, int64_t tolerance, struct sync_stage *out);

/* Whether "period" names a period of a method checked off per "kind" ("month":
 * "2025-03"; "quarter": "2025-Q1"); when it does, *start gets the period's first day as
 * a day number. */
bool joint_period_ok(const char *period, const char *kind, int64_t *start);

/* GET /method-completion?branch_id=&method_id=&year=: for each element of the method and
 * each period of the year (12 months or 4 quarters), whether the branch checked it off
 * and with how much evidence ("evidenced", "unevidenced", "missing", or "future" for a
 * period not yet begun). Read as element-checks are (READ_SCOPED): another
 * procuratorate's branch is 404 to a county reader. year defaults to this year. *out is
 * the caller's. */
int joint_method_completion(struct res_ctx *x, const struct res_query *q, json_t **out, struct rerr *err);

#endif
