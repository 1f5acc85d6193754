/*
 * measures_internal.h: what measures.c (the catalogue and the grid) and measures_people.c
 * (the measures' meanings for members and party groups) share, and nobody else.
 */
#ifndef RONGHE_MEASURES_INTERNAL_H
#define RONGHE_MEASURES_INTERNAL_H

#include <stdint.h>

#include "domain/measures.h"
#include "store/store.h"

/* The query answering (subject, YYYY-MM, numerator, denominator) of measure "m" for
 * every member or party group ("of"), for days ?1 <= day < ?2; NULL when the measure
 * has no value for them. */
const char *measure_people_sql(int m, enum measure_of of);

/* Which branch each member belonged to on a day (measures_terms.c): read whole from the
 * connection's current transaction, then read-only (threads may share it). */
struct member_branches;
int member_branches_load(store_conn *c, struct member_branches **out, struct rerr *err);
/* MEMBER_BRANCH(member, day) of measures.c, in C: 0 when it is NULL. */
int64_t member_branch_on(const struct member_branches *mb, int64_t member, const char *day);
void member_branches_free(struct member_branches *mb);

#endif
