/*
 * calc/decimal.h: how the evaluation writes a number, so that a person with a calculator
 * gets the same digits.
 *
 * Arithmetic is IEEE 754 double, in an order fixed by the formula (never by the order
 * records were read), so the same data give the same bits. A number is shown by first
 * taking its shortest decimal of 15 significant digits (which drops the binary noise:
 * 2.675 is stored as 2.67499999999999982236431605997495353221893310546875 and read back
 * as 2.675), then rounding that decimal to "places" digits after the point, half away
 * from zero (2.675 → 2.68, -0.125 → -0.13), and dropping no trailing zeros (places 2:
 * 5 → "5.00"). docs/evaluation.md states the same rule for people.
 */
#ifndef RONGHE_CALC_DECIMAL_H
#define RONGHE_CALC_DECIMAL_H

#include <stddef.h>

/* Enough for any finite double at up to CALC_MAX_PLACES places. */
#define CALC_DECIMAL_CAP 352
#define CALC_MAX_PLACES 12

/* "v" (finite) as a decimal string with "places" (0..CALC_MAX_PLACES) digits after the
 * point, by the rule above, into "out" ("cap" ≥ CALC_DECIMAL_CAP). "-0.00" is written
 * "0.00". Returns the length. */
size_t calc_decimal(double v, int places, char *out, size_t cap);

/* "v" rounded by the same rule, as a double (the nearest one to the decimal). */
double calc_round(double v, int places);

#endif
