/*
 * date: the dates people type into spreadsheets, and Excel's serial numbers.
 *
 * Serials count days from an epoch with the time of day as the fraction. The 1900 system
 * (Windows Excel, WPS) numbers 1900-01-01 as 1 and, keeping Lotus 1-2-3's mistake, has a
 * 1900-02-29 as 60, so from 61 (1900-03-01) on the epoch is really 1899-12-30. The 1904
 * system (old Mac Excel) numbers 1904-01-01 as 0.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/civil.h"
#include "sheet/sheet_int.h"

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static bool real_date(int y, int m, int d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1)
        return false;
    return d <= mdays[m - 1] + (m == 2 && leap(y));
}

/* Two digits of "v" (0–99) at "p"; YYYY-MM-DD and its NUL at "out" (y 0–9999): by hand,
 * since a million cells each pay for it. */
static void two(char *p, int v)
{
    p[0] = (char)('0' + v / 10 % 10);
    p[1] = (char)('0' + v % 10);
}

static void ymd(char out[11], int y, int m, int d)
{
    two(out, y / 100);
    two(out + 2, y % 100);
    out[4] = '-';
    two(out + 5, m);
    out[7] = '-';
    two(out + 8, d);
    out[10] = 0;
}

/* ---- typed dates */

struct scan {
    const char *p, *end;
};

static bool at(const struct scan *s, const char *lit)
{
    size_t n = strlen(lit);
    return (size_t)(s->end - s->p) >= n && !memcmp(s->p, lit, n);
}

/* Up to "max" ASCII digits (at least one) into "v"; the count, 0 when none. */
static int digits(struct scan *s, int max, int *v)
{
    int n = 0;
    *v = 0;
    while (n < max && s->p < s->end && *s->p >= '0' && *s->p <= '9') {
        *v = *v * 10 + (*s->p++ - '0');
        n++;
    }
    return n;
}

static bool space(const struct scan *s)
{
    return s->p < s->end && (*s->p == ' ' || *s->p == '\t');
}

/* A time of day after the date: H:MM or H:MM:SS (fractions of a second allowed), or the
 * same with 时 分 秒. Checked, then dropped. */
static bool time_of_day(struct scan *s)
{
    int h, mi, sec;
    if (!digits(s, 2, &h) || h > 23)
        return false;
    bool cn = at(s, "时");
    if (!cn && !at(s, ":"))
        return false;
    s->p += cn ? strlen("时") : 1;
    if (digits(s, 2, &mi) != 2 || mi > 59)
        return false;
    if (cn) {
        if (!at(s, "分"))
            return false;
        s->p += strlen("分");
        if (s->p == s->end)
            return true;
        if (digits(s, 2, &sec) != 2 || sec > 59 || !at(s, "秒"))
            return false;
        s->p += strlen("秒");
        return true;
    }
    if (at(s, ":")) {
        s->p++;
        if (digits(s, 2, &sec) != 2 || sec > 59)
            return false;
        if (at(s, ".")) {
            s->p++;
            int frac;
            if (!digits(s, 9, &frac))
                return false;
        }
    }
    return true;
}

int sheet_date_parse(const char *text, size_t len, char out[11])
{
    struct scan s = {text, text + len};
    while (space(&s))
        s.p++;
    while (s.end > s.p && (s.end[-1] == ' ' || s.end[-1] == '\t'))
        s.end--;
    int y, m, d;
    int ny = digits(&s, 8, &y);
    if (ny == 8) { /* 20240301 */
        d = y % 100;
        m = y / 100 % 100;
        y /= 10000;
    } else if (ny == 4) {
        const char *sep = at(&s, "-")    ? "-"
                          : at(&s, "/")  ? "/"
                          : at(&s, ".")  ? "."
                          : at(&s, "年") ? "年"
                                         : NULL;
        if (!sep)
            return R_EINVAL;
        s.p += strlen(sep);
        bool cn = !strcmp(sep, "年");
        if (!digits(&s, 2, &m))
            return R_EINVAL;
        const char *sep2 = cn ? "月" : sep;
        if (!at(&s, sep2))
            return R_EINVAL;
        s.p += strlen(sep2);
        if (!digits(&s, 2, &d))
            return R_EINVAL;
        if (cn && at(&s, "日"))
            s.p += strlen("日");
        else if (cn && at(&s, "号"))
            s.p += strlen("号");
    } else {
        return R_EINVAL;
    }
    if (s.p < s.end) { /* a time after a space (or ISO's T) */
        if (space(&s)) {
            while (space(&s))
                s.p++;
        } else if (*s.p == 'T') {
            s.p++;
        } else {
            return R_EINVAL;
        }
        if (!time_of_day(&s) || s.p != s.end)
            return R_EINVAL;
    }
    if (!real_date(y, m, d))
        return R_EINVAL;
    ymd(out, y, m, d);
    return 0;
}

/* ---- serials */

int sheet_date_from_serial(double serial, bool date1904, char out[20])
{
    /* 9999-12-31 is 2958465 in the 1900 system, 2957003 in 1904's. */
    if (!isfinite(serial) || serial < 0 || serial >= (date1904 ? 2957004.0 : 2958466.0))
        return R_EINVAL;
    int64_t days = (int64_t)serial; /* serial >= 0: truncation is floor, +0.5 rounds (no libm) */
    int64_t secs = (int64_t)((serial - (double)days) * 86400.0 + 0.5);
    if (secs >= 86400) {
        days++;
        secs -= 86400;
    }
    int y, m, d;
    if (date1904) {
        civil_date(civil_days(1904, 1, 1) + days, &y, &m, &d);
    } else if (days == 60) { /* the day that never was */
        y = 1900, m = 2, d = 29;
    } else {
        civil_date(civil_days(1899, 12, days < 60 ? 31 : 30) + days, &y, &m, &d);
    }
    if (y > 9999)
        return R_EINVAL;
    ymd(out, y, m, d);
    if (secs) {
        out[10] = ' ';
        two(out + 11, (int)(secs / 3600));
        out[13] = ':';
        two(out + 14, (int)(secs / 60 % 60));
        out[16] = ':';
        two(out + 17, (int)(secs % 60));
        out[19] = 0;
    }
    return 0;
}

double sheet_serial_of(const char *date, bool date1904)
{
    int y = atoi(date), m = atoi(date + 5), d = atoi(date + 8);
    int64_t days = civil_days(y, m, d);
    if (date1904)
        return (double)(days - civil_days(1904, 1, 1));
    int64_t n = days - civil_days(1899, 12, 30); /* from 1900-03-01 on */
    return (double)(n < 61 ? n - 1 : n);         /* before it, Excel's 1900-02-29 is not counted */
}
