/*
 * measures_internal.h: what measures.c (the catalogue and the grid) and measures_people.c
 * (the measures' meanings for members and party groups) share, and nobody else.
 */
#ifndef RONGHE_MEASURES_INTERNAL_H
#define RONGHE_MEASURES_INTERNAL_H

#include "domain/measures.h"

/* The query answering (subject, YYYY-MM, numerator, denominator) of measure "m" for
 * every member or party group ("of"), for days ?1 <= day < ?2; NULL when the measure
 * has no value for them. */
const char *measure_people_sql(int m, enum measure_of of);

#endif
