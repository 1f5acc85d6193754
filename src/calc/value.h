/*
 * calc/value.h: a number of the evaluation, or 缺项 (missing). Missing is never zero: it
 * is carried through the arithmetic (calc/expr.h says where it is not) and shown as 缺项.
 * When "missing" is true "v" is 0 and means nothing.
 */
#ifndef RONGHE_CALC_VALUE_H
#define RONGHE_CALC_VALUE_H

#include <stdbool.h>

struct calc_value {
    double v;
    bool missing;
};

static inline struct calc_value calc_number(double v)
{
    return (struct calc_value){.v = v, .missing = false};
}

static inline struct calc_value calc_missing(void)
{
    return (struct calc_value){.v = 0, .missing = true};
}

#endif
