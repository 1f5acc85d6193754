/*
 * Unit tests for src/domain/stats.c on a real SQLite file: the band edges fall on
 * birthdays in Beijing's today, 民族 past the eighth is folded into 其他, honours line up
 * with their years, and a county reader counts only its own procuratorate.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth/audit.h"
#include "domain/resource.h"
#include "domain/stats.h"
#include "store/store.h"

#include "fixture.h"

/* The fixture's county branch, and one of the city's. */
static int64_t city_branch;

static int setup(void **state)
{
    struct fx *f = fx_open("unit-stats");
    city_branch = fx_create(f, "branches",
                            json_pack("{s:I,s:s,s:s}", "procuratorate_id", (json_int_t)f->city, "name",
                                      "市院党支部", "kind", "党支部"));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx_close(*state);
    return 0;
}

/* Today in Beijing moved by "years" and "days", as YYYY-MM-DD into "out". */
static void beijing_day(int years, int days, char out[16])
{
    time_t now = time(NULL) + 8 * 3600;
    struct tm t;
    gmtime_r(&now, &t);
    t.tm_year += years;
    t.tm_mday += days;
    t.tm_hour = 12;
    time_t moved = timegm(&t); /* normalises the day */
    gmtime_r(&moved, &t);
    strftime(out, 16, "%Y-%m-%d", &t);
}

static void member(struct fx *f, int64_t branch, const char *name, const char *birth, const char *joined,
                   const char *ethnicity)
{
    json_t *b = json_pack("{s:I,s:s}", "branch_id", (json_int_t)branch, "name", name);
    if (birth)
        json_object_set_new(b, "birth_date", json_string(birth));
    if (joined) { /* "joined": 转正日期, the start of 党龄; 入党 a year before it */
        char probation[32];
        snprintf(probation, sizeof probation, "%04d%s", atoi(joined) - 1,
                 strcmp(joined + 4, "-02-29") ? joined + 4 : "-02-28");
        json_object_set_new(b, "joined_party", json_string(probation));
        json_object_set_new(b, "full_member_date", json_string(joined));
        json_object_set_new(b, "party_status", json_string("正式党员"));
    }
    if (ethnicity)
        json_object_set_new(b, "ethnicity", json_string(ethnicity));
    fx_create(f, "members", b);
}

static json_t *stats_as(struct fx *f, const struct actor *who)
{
    struct res_ctx x = {.c = f->c, .who = who, .a = f->x.a};
    json_t *out = NULL;
    struct rerr e = {0};
    if (stats_home(&x, &out, &e) < 0)
        fail_msg("stats: %s", e.message);
    return out;
}

/* The count of the band labelled "label" in list "key". */
static int64_t band(json_t *st, const char *key, const char *label)
{
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(st, key), i,
                       it) if (!strcmp(res_str(it, "label"), label)) return res_int(it, "count");
    fail_msg("no band %s in %s", label, key);
    return -1;
}

static void bands_turn_on_the_birthday(void **state)
{
    struct fx *f = *state;
    char d[16], j[16];
    beijing_day(-35, 0, d); /* 35 today */
    member(f, city_branch, "甲", d, NULL, "汉族");
    beijing_day(-35, 1, d); /* 35 tomorrow: still 青年 */
    member(f, city_branch, "乙", d, NULL, "汉族");
    beijing_day(-55, 0, d); /* 55 today */
    member(f, city_branch, "丙", d, NULL, "蒙古族");
    member(f, city_branch, "丁", NULL, NULL, NULL); /* nothing recorded */
    beijing_day(-5, 0, j);                          /* five years in the party today */
    member(f, city_branch, "戊", "1960-01-01", j, "汉族");
    beijing_day(-5, 1, j); /* five years tomorrow */
    member(f, city_branch, "己", "1960-01-01", j, "汉族");

    json_t *st = stats_as(f, &f->who);
    assert_int_equal(band(st, "age_bands", "35岁以下"), 1);
    assert_int_equal(band(st, "age_bands", "35–44岁"), 1);
    assert_int_equal(band(st, "age_bands", "45–54岁"), 0);
    assert_int_equal(band(st, "age_bands", "55岁及以上"), 3); /* 丙 and the two born in 1960 */
    assert_int_equal(band(st, "age_bands", "未填"), 1);
    assert_int_equal(band(st, "party_years", "5年以下"), 1);
    assert_int_equal(band(st, "party_years", "5–9年"), 1);
    assert_int_equal(band(st, "party_years", "预备党员或未填"), 4);
    assert_int_equal(band(st, "ethnicity", "汉族"), 4);
    assert_int_equal(band(st, "ethnicity", "蒙古族"), 1);
    assert_int_equal(band(st, "ethnicity", "未填"), 1);
    /* 青年干警 per procuratorate counts as the age band does */
    json_t *city = json_array_get(json_object_get(st, "procuratorates"), 0);
    assert_int_equal(res_int(city, "id"), f->city);
    assert_int_equal(res_int(city, "youth"), 1);
    assert_int_equal(res_int(city, "members"), 6);
    /* the last band is always 未填, whatever the counts */
    json_t *ages = json_object_get(st, "age_bands");
    assert_string_equal(res_str(json_array_get(ages, json_array_size(ages) - 1), "label"), "未填");
    json_decref(st);
}

static void ethnicity_past_the_eighth_is_other(void **state)
{
    struct fx *f = *state;
    static const char *const names[] = {"汉族",     "蒙古族", "满族",   "回族", "达斡尔族",
                                        "鄂温克族", "朝鲜族", "锡伯族", "藏族", "壮族"};
    char name[32];
    /* 汉族 ×10, 蒙古族 ×9 … 壮族 ×1: the two rarest make up 其他 */
    for (int i = 0; i < 10; i++)
        for (int k = 0; k < 10 - i; k++) {
            snprintf(name, sizeof name, "人%d-%d", i, k);
            member(f, f->branch, name, NULL, NULL, names[i]);
        }
    json_t *st = stats_as(f, &f->who);
    json_t *eth = json_object_get(st, "ethnicity");
    assert_int_equal(json_array_size(eth), 10); /* eight by name, 其他, 未填 */
    assert_string_equal(res_str(json_array_get(eth, 0), "label"), "汉族");
    assert_int_equal(band(st, "ethnicity", "汉族"), 10);
    assert_int_equal(band(st, "ethnicity", "锡伯族"), 3);
    assert_int_equal(band(st, "ethnicity", "其他"), 2 + 1);
    assert_int_equal(band(st, "ethnicity", "未填"), 0);
    json_decref(st);
}

static void honours_line_up_with_years(void **state)
{
    struct fx *f = *state;
    struct {
        int year;
        const char *level;
    } hs[] = {{2020, "city"}, {2020, "city"}, {2022, "national"}, {2020, "regional"}};
    for (size_t i = 0; i < sizeof hs / sizeof hs[0]; i++)
        fx_create(f, "honours",
                  json_pack("{s:I,s:s,s:s,s:i}", "branch_id", (json_int_t)f->branch, "title", "先进", "level",
                            hs[i].level, "year", hs[i].year));
    json_t *st = stats_as(f, &f->who);
    json_t *h = json_object_get(st, "honours");
    json_t *years = json_object_get(h, "years");
    assert_int_equal(json_array_size(years), 2);
    assert_int_equal(json_integer_value(json_array_get(years, 0)), 2020);
    assert_int_equal(json_integer_value(json_array_get(years, 1)), 2022);
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(h, "levels"), i, l)
    {
        json_t *counts = json_object_get(l, "counts");
        assert_int_equal(json_array_size(counts), 2);
        int64_t want2020 = !strcmp(res_str(l, "level"), "city")       ? 2
                           : !strcmp(res_str(l, "level"), "regional") ? 1
                                                                      : 0;
        int64_t want2022 = !strcmp(res_str(l, "level"), "national") ? 1 : 0;
        assert_int_equal(json_integer_value(json_array_get(counts, 0)), want2020);
        assert_int_equal(json_integer_value(json_array_get(counts, 1)), want2022);
    }
    assert_int_equal(res_int(json_object_get(st, "totals"), "honours"), 4);
    json_decref(st);
}

static void a_county_reader_counts_its_own(void **state)
{
    struct fx *f = *state;
    member(f, city_branch, "市院党员", "1980-01-01", NULL, "汉族");
    member(f, f->branch, "旗院党员", "1990-01-01", NULL, "蒙古族");
    fx_create(f, "honours",
              json_pack("{s:I,s:s,s:s,s:i}", "branch_id", (json_int_t)city_branch, "title", "市院先进",
                        "level", "city", "year", 2021));
    struct actor county = {.user_id = 7, .role = ROLE_ADMIN, .procuratorate_id = f->county};
    json_t *st = stats_as(f, &county);
    assert_false(json_is_true(json_object_get(st, "scope_all")));
    json_t *procs = json_object_get(st, "procuratorates");
    assert_int_equal(json_array_size(procs), 1);
    assert_int_equal(res_int(json_array_get(procs, 0), "id"), f->county);
    assert_int_equal(res_int(json_object_get(st, "totals"), "members"), 1);
    assert_int_equal(res_int(json_object_get(st, "totals"), "honours"), 0);
    assert_int_equal(band(st, "ethnicity", "蒙古族"), 1);
    assert_int_equal(json_array_size(json_object_get(json_object_get(st, "honours"), "years")), 0);
    json_decref(st);

    struct actor viewer = {.user_id = 8, .role = ROLE_VIEWER, .procuratorate_id = f->city, .scope_all = true};
    st = stats_as(f, &viewer);
    assert_int_equal(json_array_size(json_object_get(st, "procuratorates")), 2);
    assert_int_equal(res_int(json_object_get(st, "totals"), "members"), 2);
    json_decref(st);

    /* nobody signed in: refused, nothing answered */
    struct actor none = {0};
    struct res_ctx x = {.c = f->c, .who = &none, .a = f->x.a};
    json_t *out = NULL;
    struct rerr e = {0};
    assert_int_equal(stats_home(&x, &out, &e), R_EAUTH);
    assert_null(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(bands_turn_on_the_birthday, setup, teardown),
        cmocka_unit_test_setup_teardown(ethnicity_past_the_eighth_is_other, setup, teardown),
        cmocka_unit_test_setup_teardown(honours_line_up_with_years, setup, teardown),
        cmocka_unit_test_setup_teardown(a_county_reader_counts_its_own, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
