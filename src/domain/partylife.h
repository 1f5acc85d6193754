/*
 * partylife: the organisation-life ledger (组织生活) — a member's branch and party group
 * over time (member-terms), the meetings and study sessions a branch holds (activities:
 * 三会一课, 主题党日, 学习), who attended them (attendance), the business items they
 * served (activity-items), and 三会一课 completeness measured against rules kept as data
 * (life-rules).
 *
 * Expected attendees: the members whose term on the activity's date lies in the
 * activity's party group when it names one (a 党小组会 must), else in its branch. A term
 * covers from_date <= day < to_date (to_date NULL: still current), so a member who joined
 * later or left earlier is neither expected nor counted absent, and a transfer never
 * changes who was expected at an earlier meeting.
 */
#ifndef RONGHE_PARTYLIFE_H
#define RONGHE_PARTYLIFE_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"

struct res_ctx;
struct resource;
extern const struct resource res_member_terms, res_activities, res_attendance, res_activity_items,
    res_life_rules;

/* The members write path (domain/member.c). member_terms_check, from the check hook:
 * a transfer (branch or party group changed) dated "moved_on" (default today) may not
 * precede the start of the member's current term. member_terms_follow, after the row is
 * written: a new member opens a term from "moved_on", else 入党日期, else today; a
 * transfer closes the current term on the transfer day and opens the next. Each term
 * written is audited (entity "member-terms"). */
int member_terms_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err);
int member_terms_follow(struct res_ctx *x, int64_t member_id, json_t *row, json_t *before, struct rerr *err);

/* GET /life-completeness?branch_id=&year=: for each month of "year" and each kind the
 * rules (life-rules) require of branch "branch_id", what was held (activity ids), what
 * the period requires, what is missing (period over, requirement not met) and what is
 * due (the current period, not yet met); "year" 0 is this year. Read in one read transaction, scoped as
 * activities are (a branch the reader may not read is 404). *out is the caller's. */
int life_completeness(struct res_ctx *x, int64_t branch_id, int year, json_t **out, struct rerr *err);
/* The same inside the caller's read transaction, without the collection check (the
 * branch's scope is still checked: R_ENOTFOUND outside the reader's). */
int life_completeness_in(struct res_ctx *x, int64_t branch_id, int year, json_t **out, struct rerr *err);
/* What 三会一课完成率 counts of life_completeness_in's periods, for every branch the
 * reader may read ("only" 0) or branch "only" alone, without building them: each period
 * of "year" that is over, of each kind a rule requires, as fn(arg, branch, the month it
 * ends, "required", "required" − "missing"), the branches in id order. In the caller's
 * read transaction. */
typedef void life_period_fn(void *arg, int64_t branch_id, int last_month, int required, int met);
int life_periods_over(struct res_ctx *x, int year, int64_t only, life_period_fn *fn, void *arg,
                      struct rerr *err);

/* The period of kind "period" (月, 季度, 年) that month "month" (1..12) of "year" lies in:
 * its label ("2025-03", "2025-Q1", "2025") into "label" (24 bytes) and its first and last
 * month. -1 for an unknown period. */
int life_period_of(const char *period, int year, int month, char label[24], int *first, int *last);

#endif
