/*
 * civil: days of the proleptic Gregorian calendar as numbers (days since 1970-01-01,
 * negative before), and back — for deadlines in working days, periods, Excel's serial
 * dates. Pure arithmetic (March-based years, 400-year eras of 146,097 days): no time
 * zone, no library; exact for every year an int64_t of days can hold.
 */
#ifndef RONGHE_CIVIL_H
#define RONGHE_CIVIL_H

#include <stdint.h>

/* The day number of y-m-d; m 1..12, d 1..31 (not checked against the month: the 31st
 * of April is the 1st of May). */
int64_t civil_days(int64_t y, int m, int d);

/* The date of day number "z". */
void civil_date(int64_t z, int *y, int *m, int *d);

#endif
