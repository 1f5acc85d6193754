/*
 * decimal.c: numbers as decimal strings, rounded as people round (calc/decimal.h).
 */
#include "calc/decimal.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"

/* The digits of "v" (finite, ≥ 0) to 15 significant digits: "digits" (no point, no
 * leading zeros unless v is 0) and the position of the point, as v = 0.d1d2… × 10^exp. */
static int digits_slow(double v, char digits[24], int *exp)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.14e", v); /* d.dddddddddddddde±X: 15 significant digits */
    int n = 0;
    for (const char *p = buf; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            digits[n++] = *p;
    digits[n] = 0;
    *exp = atoi(strchr(buf, 'e') + 1) + 1;
    return n;
}

/* The same digits as digits_slow (what printf's %.14e gives: the exact binary value
 * rounded to 15 significant digits, ties to even), by integer arithmetic, for
 * 0 and 1e-7 <= v < 1e15 — the numbers an explanation shows, thousands of them a run, where
 * printf's arbitrary precision costs most of the time; false outside that range. With
 * v = m·2^e (m < 2^53, e < 0), v·10^k = m·10^k / 2^-e exactly, and m·10^k < 2^128 for the
 * k needed (<= 21). */
static bool digits_fast(double v, char digits[24], int *exp)
{
    if (v == 0) { /* %.14e: 0.00000000000000e+00 */
        memset(digits, '0', 15);
        digits[15] = 0;
        *exp = 1;
        return true;
    }
    if (!(v >= 1e-7 && v < 1e15))
        return false;
    if (v >= 1 && v == floor(v)) { /* a whole number of at most 15 digits: its own */
        char w[16];
        int n = 0;
        for (uint64_t u = (uint64_t)v; u; u /= 10)
            w[n++] = (char)('0' + u % 10);
        for (int i = 0; i < 15; i++)
            digits[i] = i < n ? w[n - 1 - i] : '0';
        digits[15] = 0;
        *exp = n;
        return true;
    }
    int e2;
    double f = frexp(v, &e2); /* v = f·2^e2, 0.5 <= f < 1 */
    uint64_t m = (uint64_t)ldexp(f, 53);
    int s = 53 - e2; /* v = m / 2^s */
    if (s <= 0 || s > 120)
        return false;
    static const unsigned __int128 one = 1;
    int k = 14 - (int)floor(log10(v));
    for (int tries = 0; tries < 3; tries++) {
        if (k < 0 || k > 21)
            return false;
        unsigned __int128 p10 = 1;
        for (int i = 0; i < k; i++)
            p10 *= 10;
        unsigned __int128 x = (unsigned __int128)m * p10;
        unsigned __int128 q = x >> s, r = x & ((one << s) - 1), half = one << (s - 1);
        if (q < 100000000000000ull) { /* below 15 digits: one more */
            k++;
            continue;
        }
        if (q >= 1000000000000000ull) {
            k--;
            continue;
        }
        if (r > half || (r == half && (q & 1)))
            q++;
        int ex = 15 - k;
        if (q == 1000000000000000ull) { /* rounded up to the next power of ten */
            q = 100000000000000ull;
            ex++;
        }
        uint64_t u = (uint64_t)q;
        for (int i = 14; i >= 0; i--) {
            digits[i] = (char)('0' + u % 10);
            u /= 10;
        }
        digits[15] = 0;
        *exp = ex;
        return true;
    }
    return false;
}

static int digits_of(double v, char digits[24], int *exp)
{
    if (digits_fast(v, digits, exp))
        return 15;
    return digits_slow(v, digits, exp);
}

size_t calc_decimal(double v, int places, char *out, size_t cap)
{
    CHECK(isfinite(v) && places >= 0 && places <= CALC_MAX_PLACES && cap >= CALC_DECIMAL_CAP);
    bool neg = v < 0;
    char d[24];
    int exp, n = digits_of(fabs(v), d, &exp);
    /* the integer of all digits up to "places" after the point, as a string of digits:
     * v = 0.d × 10^exp, so the kept digits are the first exp + places of them */
    int keep = exp + places;
    char kept[CALC_DECIMAL_CAP];
    int k = 0;
    if (keep > 0) {
        for (int i = 0; i < keep; i++)
            kept[k++] = i < n ? d[i] : '0';
    }
    bool up = keep >= 0 && keep < n && d[keep] >= '5';
    if (keep < 0)
        up = false; /* far below the last place shown */
    kept[k] = 0;
    if (up) { /* add one at the last kept digit, carrying */
        int i = k - 1;
        while (i >= 0 && kept[i] == '9')
            kept[i--] = '0';
        if (i >= 0) {
            kept[i]++;
        } else {
            memmove(kept + 1, kept, (size_t)k + 1);
            kept[0] = '1';
            k++;
        }
    }
    /* kept holds the value × 10^places as digits (maybe none: zero) */
    char whole[CALC_DECIMAL_CAP];
    int w = 0;
    while (k < places + 1) { /* at least one digit before the point */
        memmove(kept + 1, kept, (size_t)k + 1);
        kept[0] = '0';
        k++;
    }
    bool zero = true;
    for (int i = 0; i < k; i++)
        if (kept[i] != '0')
            zero = false;
    if (neg && !zero)
        whole[w++] = '-';
    int ip = k - places;
    memcpy(whole + w, kept, (size_t)ip);
    w += ip;
    if (places > 0) {
        whole[w++] = '.';
        memcpy(whole + w, kept + ip, (size_t)places);
        w += places;
    }
    whole[w] = 0;
    memcpy(out, whole, (size_t)w + 1); /* w < CALC_DECIMAL_CAP <= cap */
    return (size_t)w;
}

double calc_round(double v, int places)
{
    char buf[CALC_DECIMAL_CAP];
    calc_decimal(v, places, buf, sizeof buf);
    return strtod(buf, NULL);
}
