/*
 * workdays.c: dates as day numbers (days since 1970-01-01, proleptic Gregorian), the
 * calendar as a sorted array of marked days, and the explanations built while walking.
 */
#include "domain/workdays.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/civil.h"
#include "base/err.h"
#include "base/text.h"

/* Years a calendar can say it covers. */
#define YEAR_LO 1900
#define YEAR_HI 2199
/* No period of 12309 walks further than this many days (a year of holidays cannot stop it). */
#define WALK_MAX 3660

struct mark {
    long day;
    int seq; /* order of marking: the last mark of a date wins */
    enum workday_kind kind;
    const char *name;
};

struct workcal {
    arena *a;
    struct mark *m;
    int n, cap;
    bool sorted;
    unsigned char covers[YEAR_HI - YEAR_LO + 1];
};

/* ---------------------------------------------------------------- day numbers */

static int parse_day(const char *s, long *day)
{
    if (!s || !text_date_ok(s))
        return R_EINVAL;
    *day = civil_days(atoi(s), atoi(s + 5), atoi(s + 8));
    return 0;
}

static void format_day(long day, char out[11])
{
    int y, m, d;
    civil_date(day, &y, &m, &d);
    char t[40];
    snprintf(t, sizeof t, "%04d-%02d-%02d", y % 10000, m, d);
    memcpy(out, t, 10);
    out[10] = 0;
}

static int year_of(long day)
{
    int y, m, d;
    civil_date(day, &y, &m, &d);
    return y;
}

/* 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
static int weekday(long day)
{
    return (int)(((day + 4) % 7 + 7) % 7);
}

static bool weekend(long day)
{
    int w = weekday(day);
    return w == 0 || w == 6;
}

static const char *weekday_name(long day)
{
    static const char *const names[] = {"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"};
    return names[weekday(day)];
}

/* ---------------------------------------------------------------- explanations */

/* A bounded text being written: appends never overrun and cut at a character. */
struct why {
    char *p;
    size_t cap, len;
};

static void why_add(struct why *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void why_add(struct why *w, const char *fmt, ...)
{
    if (!w->p || w->cap == 0 || w->len + 1 >= w->cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(w->p + w->len, w->cap - w->len, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= w->cap - w->len) { /* cut: back to the start of the last whole character */
        size_t end = w->cap - 1, lead = end;
        while (lead > w->len && ((unsigned char)w->p[lead - 1] & 0xC0) == 0x80)
            lead--;
        if (lead > w->len) { /* w->p[lead - 1] starts the last character: whole? */
            unsigned char c = (unsigned char)w->p[lead - 1];
            size_t need = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
            if (lead - 1 + need > end)
                end = lead - 1;
        }
        w->p[end] = 0;
        w->len = end;
        return;
    }
    w->len += (size_t)n;
}

static struct why why_start(char *p, size_t cap)
{
    if (p && cap)
        p[0] = 0;
    return (struct why){p, cap, 0};
}

/* "10-01" when "day" lies in "year", else the whole date. */
static void short_day(long day, int year, char out[11])
{
    format_day(day, out);
    if (year_of(day) == year)
        memmove(out, out + 5, 6);
}

/* ---------------------------------------------------------------- the calendar */

struct workcal *workcal_new(arena *a)
{
    struct workcal *cal = arena_alloc(a, sizeof *cal);
    cal->a = a;
    cal->sorted = true;
    return cal;
}

int workcal_mark(struct workcal *cal, const char *date, enum workday_kind kind, const char *name)
{
    long day;
    if (parse_day(date, &day) < 0)
        return R_EINVAL;
    if (cal->n == cal->cap) {
        int cap = cal->cap ? cal->cap * 2 : 128;
        struct mark *m = arena_alloc(cal->a, (size_t)cap * sizeof *m);
        if (cal->n)
            memcpy(m, cal->m, (size_t)cal->n * sizeof *m);
        cal->m = m;
        cal->cap = cap;
    }
    if (cal->n && cal->m[cal->n - 1].day >= day)
        cal->sorted = false;
    cal->m[cal->n] = (struct mark){day, cal->n, kind, arena_strdup(cal->a, name ? name : "")};
    cal->n++;
    int y = year_of(day);
    if (y >= YEAR_LO && y <= YEAR_HI)
        cal->covers[y - YEAR_LO] = 1;
    return 0;
}

static int mark_cmp(const void *pa, const void *pb)
{
    const struct mark *a = pa, *b = pb;
    return a->day < b->day ? -1 : a->day > b->day;
}

static int mark_seq_cmp(const void *pa, const void *pb)
{
    const struct mark *a = pa, *b = pb;
    int c = mark_cmp(pa, pb);
    return c ? c : (a->seq > b->seq) - (a->seq < b->seq);
}

/* Sorted, a date marked twice keeping its last mark. */
static void settle(const struct workcal *ccal)
{
    struct workcal *cal = (struct workcal *)ccal; /* sorting in place changes no answer */
    if (cal->sorted)
        return;
    qsort(cal->m, (size_t)cal->n, sizeof *cal->m, mark_seq_cmp);
    int w = 0;
    for (int i = 0; i < cal->n; i++) {
        if (w && cal->m[w - 1].day == cal->m[i].day)
            w--;
        cal->m[w++] = cal->m[i];
    }
    cal->n = w;
    cal->sorted = true;
}

static const struct mark *mark_of(const struct workcal *cal, long day)
{
    settle(cal);
    struct mark key = {.day = day};
    return bsearch(&key, cal->m, (size_t)cal->n, sizeof *cal->m, mark_cmp);
}

bool workcal_covers(const struct workcal *cal, int year)
{
    return year >= YEAR_LO && year <= YEAR_HI && cal->covers[year - YEAR_LO];
}

static bool working(const struct workcal *cal, long day)
{
    const struct mark *m = mark_of(cal, day);
    if (m)
        return m->kind == WD_WORK;
    return !weekend(day);
}

bool workcal_is_working_day(const struct workcal *cal, const char *date, char *why, size_t cap)
{
    struct why w = why_start(why, cap);
    long day;
    if (parse_day(date, &day) < 0) {
        why_add(&w, "日期格式错误");
        return false;
    }
    const struct mark *m = mark_of(cal, day);
    bool yes = m ? m->kind == WD_WORK : !weekend(day);
    why_add(&w, "%s 是%s", date, weekday_name(day));
    if (m)
        why_add(&w, "，%s，%s", m->name, yes ? "为工作日" : "不是工作日");
    else
        why_add(&w, "，%s", yes ? "为工作日" : "为周末休息日");
    if (!workcal_covers(cal, year_of(day)))
        why_add(&w, "（%d年不在节假日表内，仅按周末计算）", year_of(day));
    return yes;
}

/* The years after "from" up to "to" that the calendar lacks, said once at the end. */
static void uncovered(const struct workcal *cal, long from, long to, struct why *w)
{
    int first = 0, last = 0;
    for (int y = year_of(from); y <= year_of(to); y++)
        if (!workcal_covers(cal, y)) {
            if (!first)
                first = y;
            last = y;
        }
    if (first == last && first)
        why_add(w, "（%d年不在节假日表内，仅按周末计算）", first);
    else if (first)
        why_add(w, "（%d至%d年有年份不在节假日表内，仅按周末计算）", first, last);
}

int workcal_add_working_days(const struct workcal *cal, const char *from, int n, char out[11], char *why,
                             size_t cap)
{
    struct why w = why_start(why, cap);
    long day;
    if (parse_day(from, &day) < 0 || n < 1 || n > 1000)
        return R_EINVAL;
    int year = year_of(day);
    long start = day;
    int count = 0, said = 0;
    for (int steps = 0; count < n && steps < WALK_MAX; steps++) {
        day++;
        const struct mark *m = mark_of(cal, day);
        if (m && m->kind == WD_REST) { /* a run of rest days of one name, said once */
            long run_end = day;
            while (run_end - day < WALK_MAX) {
                const struct mark *next = mark_of(cal, run_end + 1);
                if (!next || next->kind != WD_REST || strcmp(next->name, m->name) != 0)
                    break;
                run_end++;
            }
            char a[11], b[11];
            short_day(day, year, a);
            short_day(run_end, year, b);
            if (run_end == day)
                why_add(&w, "%s顺延%s假期 %s", said++ ? "，" : "", m->name, a);
            else
                why_add(&w, "%s顺延%s假期 %s至%s", said++ ? "，" : "", m->name, a, b);
            day = run_end;
            continue;
        }
        if (m && m->kind == WD_WORK) {
            char a[11];
            short_day(day, year, a);
            why_add(&w, "%s%s（%s）调休上班", said++ ? "，" : "", a, weekday_name(day));
            count++;
            continue;
        }
        if (!weekend(day))
            count++;
    }
    if (count < n)
        return R_EINVAL; /* a calendar of nothing but holidays */
    format_day(day, out);
    why_add(&w, "%s第%d个工作日为 %s", said ? "，" : "", n, out);
    uncovered(cal, start + 1, day, &w);
    return 0;
}

int workcal_add_months(const char *from, int n, char out[11], char *why, size_t cap)
{
    struct why w = why_start(why, cap);
    if (!from || !text_date_ok(from) || n < 0 || n > 1200)
        return R_EINVAL;
    int y = atoi(from), m = atoi(from + 5), d = atoi(from + 8);
    int months = y * 12 + (m - 1) + n;
    int ny = months / 12, nm = months % 12 + 1;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int last = mdays[nm - 1] + (nm == 2 && ((ny % 4 == 0 && ny % 100 != 0) || ny % 400 == 0));
    int nd = d > last ? last : d;
    if (ny < YEAR_LO || ny > YEAR_HI)
        return R_EINVAL;
    format_day(civil_days(ny, nm, nd), out);
    why_add(&w, "%d个月后为 %s", n, out);
    if (nd != d)
        why_add(&w, "（%d月无%d日，取月末）", nm, d);
    return 0;
}

int workcal_roll_forward(const struct workcal *cal, const char *date, char out[11], char *why, size_t cap)
{
    struct why w = why_start(why, cap);
    long day;
    if (parse_day(date, &day) < 0)
        return R_EINVAL;
    long start = day;
    for (int steps = 0; !working(cal, day) && steps < WALK_MAX; steps++)
        day++;
    if (!working(cal, day))
        return R_EINVAL;
    format_day(day, out);
    if (day == start)
        return 0;
    const struct mark *m = mark_of(cal, start);
    if (m)
        why_add(&w, "落在%s假期，顺延至 %s", m->name, out);
    else
        why_add(&w, "落在%s，顺延至 %s", weekday_name(start), out);
    uncovered(cal, start, day, &w);
    return 0;
}

int workcal_add_days(const char *date, int days, char out[11])
{
    long day;
    if (parse_day(date, &day) < 0)
        return R_EINVAL;
    format_day(day + days, out);
    return 0;
}

int workcal_working_days_between(const struct workcal *cal, const char *from, const char *to)
{
    long a, b;
    if (parse_day(from, &a) < 0 || parse_day(to, &b) < 0)
        return 0;
    int sign = 1;
    if (b < a) {
        long t = a;
        a = b;
        b = t;
        sign = -1;
    }
    if (b - a > WALK_MAX)
        b = a + WALK_MAX;
    int n = 0;
    for (long d = a + 1; d <= b; d++)
        n += working(cal, d);
    return sign * n;
}
