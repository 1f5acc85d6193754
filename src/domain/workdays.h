/*
 * workdays: the working-day calendar and the deadline arithmetic of 12309.
 *
 * A calendar (struct workcal) holds the dates that differ from the plain week: 休 (a
 * public holiday or rest day, also a weekday) and 班 (a Saturday or Sunday worked instead,
 * 调休). A day is a working day when it is a weekday not marked 休, or a weekend day
 * marked 班. The calendar "covers" the years it has rows for; a date in another year is
 * still computed, by weekends alone, and the explanation says so.
 *
 * Every computation answers, besides its result, a Chinese explanation of how it was
 * reached ("why", written into a caller's buffer of "cap" bytes, cut at a character when
 * too small), which the 12309 pages show beside each deadline. Periods follow the rule
 * of Chinese procedure: the day a period starts from is not counted in it.
 *
 * Pure: the calendar is filled by the caller (domain/service.c reads the holidays table).
 * Dates are YYYY-MM-DD text; functions given a malformed date return R_EINVAL.
 */
#ifndef RONGHE_WORKDAYS_H
#define RONGHE_WORKDAYS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"

enum workday_kind { WD_REST, WD_WORK }; /* 休, 班 */

struct workcal;

/* An empty calendar in "a" (which owns it and everything added to it). */
struct workcal *workcal_new(arena *a);

/* Mark "date" as "kind", named "name" (春节, 国庆节调休上班; copied). A date marked twice
 * keeps the last mark. 0, or R_EINVAL for a malformed date. */
int workcal_mark(struct workcal *cal, const char *date, enum workday_kind kind, const char *name);

/* Whether the calendar has any row in "year". */
bool workcal_covers(const struct workcal *cal, int year);

/* Whether "date" is a working day; "why" (may be NULL) says why ("2025-10-11 是星期六，
 * 国庆节、中秋节调休上班，为工作日"). A malformed date is not a working day. */
bool workcal_is_working_day(const struct workcal *cal, const char *date, char *why, size_t cap);

/* The "n"th working day after "from" (n >= 1; "from" itself not counted) into "out". "why":
 * the holidays skipped, the 调休 days counted, the result ("顺延国庆节、中秋节假期
 * 10-01至10-08，10-11（星期六）调休上班，第7个工作日为 2025-10-16"). */
int workcal_add_working_days(const struct workcal *cal, const char *from, int n, char out[11], char *why,
                             size_t cap);

/* "from" plus "n" months (n >= 0), clamped to the end of a shorter month (2025-11-30 + 3
 * months = 2026-02-28). No calendar: a month is a month. */
int workcal_add_months(const char *from, int n, char out[11], char *why, size_t cap);

/* "date" itself when it is a working day, else the first working day after it: where a
 * period that ends on a holiday ends (期间届满日遇节假日顺延). "why" is "" when it did not
 * move. */
int workcal_roll_forward(const struct workcal *cal, const char *date, char out[11], char *why, size_t cap);

/* "date" plus "days" calendar days (may be negative) into "out". */
int workcal_add_days(const char *date, int days, char out[11]);

/* Working days from "from" (exclusive) to "to" (inclusive): 0 when "to" is not after
 * "from", negative (minus the working days from "to" to "from") when "to" lies before. */
int workcal_working_days_between(const struct workcal *cal, const char *from, const char *to);

#endif
