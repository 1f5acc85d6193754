/*
 * stats: the home page's figures (see stats.h). Every query takes the scope as ?1: 0
 * for every procuratorate, else the one procuratorate the reader is narrowed to.
 */
#include "domain/stats.h"

#include <string.h>

#include "auth/authz.h"
#include "domain/resource.h"
#include "store/store.h"

/* Whole years from the date in "col" to today in Beijing; NULL when "col" is NULL. */
#define YEARS_SINCE(col) "ronghe_years_since(" col ")"

#define IN_SCOPE(col) "(?1 = 0 OR " col " = ?1)"

/* ---- one row per procuratorate */

static const char per_proc_sql[] =
    "SELECT p.id, p.name, p.short_name, p.level,"
    " (SELECT count(*) FROM branches b WHERE b.procuratorate_id = p.id),"
    " (SELECT count(*) FROM members m WHERE m.procuratorate_id = p.id),"
    " (SELECT count(*) FROM members m WHERE m.procuratorate_id = p.id AND m.quota_prosecutor = 1),"
    " (SELECT count(*) FROM members m WHERE m.procuratorate_id = p.id"
    "    AND m.birth_date > ronghe_years_ago(35)),"
    " (SELECT count(*) FROM members m WHERE m.procuratorate_id = p.id AND m.sample = 1),"
    " (SELECT count(*) FROM honours h WHERE h.procuratorate_id = p.id)"
    " FROM procuratorates p WHERE " IN_SCOPE("p.id") " ORDER BY p.level, p.sort, p.id";

static const char *const per_proc_counts[] = {"branches", "members",        "quota_prosecutors",
                                              "youth",    "sample_members", "honours"};
#define N_PER_PROC (int)(sizeof per_proc_counts / sizeof per_proc_counts[0])

static int per_procuratorate(store_conn *c, int64_t scope, json_t *procs, json_t *totals, struct rerr *err)
{
    store_stmt *st = store_prepare(c, per_proc_sql);
    store_bind_int(st, 1, scope);
    int64_t sum[N_PER_PROC] = {0};
    int rc, n = 0;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        json_t *p = json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)store_col_int(st, 0), "name",
                              store_col_text(st, 1), "short_name", store_col_text(st, 2), "level",
                              (json_int_t)store_col_int(st, 3));
        for (int i = 0; i < N_PER_PROC; i++) {
            int64_t v = store_col_int(st, 4 + i);
            sum[i] += v;
            json_object_set_new(p, per_proc_counts[i], json_integer(v));
        }
        json_array_append_new(procs, p);
        n++;
    }
    store_done(st);
    if (rc < 0)
        return rc;
    json_object_set_new(totals, "procuratorates", json_integer(n));
    for (int i = 0; i < N_PER_PROC; i++)
        json_object_set_new(totals, per_proc_counts[i], json_integer(sum[i]));
    return 0;
}

/* ---- banded distributions: the query answers (band, count) with band 0 for 未填 */

struct band {
    const char *label;
};

static int banded(store_conn *c, const char *sql, int64_t scope, const struct band *bands, int nbands,
                  json_t **out, struct rerr *err)
{
    int64_t count[16] = {0};
    store_stmt *st = store_prepare(c, sql);
    store_bind_int(st, 1, scope);
    int rc;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        int64_t b = store_col_int(st, 0);
        if (b >= 0 && b < nbands && b < 16)
            count[b] += store_col_int(st, 1);
    }
    store_done(st);
    if (rc < 0)
        return rc;
    /* The bands in order, 未填 (band 0) last. */
    json_t *a = json_array();
    for (int i = 1; i <= nbands; i++) {
        int b = i % nbands;
        json_array_append_new(
            a, json_pack("{s:s, s:I}", "label", bands[b].label, "count", (json_int_t)count[b]));
    }
    *out = a;
    return 0;
}

/* 35岁以下 is 青年干警, as the member list's youth filter counts them. */
static const struct band age_bands[] = {{"未填"}, {"35岁以下"}, {"35–44岁"}, {"45–54岁"}, {"55岁及以上"}};
static const char age_sql[] =
    "SELECT CASE WHEN age IS NULL THEN 0 WHEN age < 35 THEN 1 WHEN age < 45 THEN 2"
    " WHEN age < 55 THEN 3 ELSE 4 END AS band, count(*)"
    " FROM (SELECT " YEARS_SINCE("birth_date") " AS age FROM members"
                                               " WHERE " IN_SCOPE("procuratorate_id") ") GROUP BY band";

/* 党龄 as the member list's party_age counts it (member.c): whole years since 转正日期; a
 * probationary member, or one whose 转正日期 is not recorded, is in the first band. */
static const struct band party_bands[] = {{"预备党员或未填"}, {"5年以下"}, {"5–9年"},
                                          {"10–19年"},        {"20–29年"}, {"30年及以上"}};
static const char party_sql[] =
    "SELECT CASE WHEN y IS NULL THEN 0 WHEN y < 5 THEN 1 WHEN y < 10 THEN 2"
    " WHEN y < 20 THEN 3 WHEN y < 30 THEN 4 ELSE 5 END AS band, count(*)"
    " FROM (SELECT " YEARS_SINCE("full_member_date") " AS y FROM members"
                                                     " WHERE " IN_SCOPE("procuratorate_id") ") GROUP BY band";

static const struct band quota_bands[] = {{"其他党员"}, {"员额检察官"}};
static const char quota_sql[] = "SELECT quota_prosecutor, count(*) FROM members WHERE " IN_SCOPE(
    "procuratorate_id") " GROUP BY quota_prosecutor";

#define NB(b) (int)(sizeof b / sizeof b[0])

/* ---- 民族: the most frequent ones by name, the rest as 其他, the unrecorded as 未填 */

#define ETHNICITY_SHOWN 8

/* ... ORDER BY e IS NULL, n DESC, then e in pinyin order (the store's spelling). */
static const char ethnicity_sql[] =
    "SELECT nullif(trim(ethnicity), '') AS e, count(*) AS n FROM members WHERE " IN_SCOPE(
        "procuratorate_id") " GROUP BY e ORDER BY e IS NULL, n DESC, ";

static int ethnicity(store_conn *c, arena *ar, int64_t scope, json_t **out, struct rerr *err)
{
    store_stmt *st = store_prepare(c, arena_printf(ar, "%s%s", ethnicity_sql, store_sql_text_order(ar, "e")));
    store_bind_int(st, 1, scope);
    json_t *a = json_array();
    int64_t other = 0, missing = 0;
    int rc;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        int64_t n = store_col_int(st, 1);
        if (store_col_type(st, 0) == STORE_NULL)
            missing += n;
        else if (json_array_size(a) < ETHNICITY_SHOWN)
            json_array_append_new(
                a, json_pack("{s:s, s:I}", "label", store_col_text(st, 0), "count", (json_int_t)n));
        else
            other += n;
    }
    store_done(st);
    if (rc < 0) {
        json_decref(a);
        return rc;
    }
    if (other)
        json_array_append_new(a, json_pack("{s:s, s:I}", "label", "其他", "count", (json_int_t)other));
    json_array_append_new(a, json_pack("{s:s, s:I}", "label", "未填", "count", (json_int_t)missing));
    *out = a;
    return 0;
}

/* ---- honours by year and level: {"years": [...], "levels": [{level, label, counts}]},
 * counts[i] for years[i]; only years that have an honour are listed. */

static const struct {
    const char *level, *label;
} honour_levels[] = {
    {"national", "国家级"}, {"regional", "自治区级"}, {"city", "市级"}, {"county", "县（旗）级"}};
#define N_LEVELS (int)(sizeof honour_levels / sizeof honour_levels[0])

static const char honours_sql[] = "SELECT year, level, count(*) FROM honours WHERE " IN_SCOPE(
    "procuratorate_id") " GROUP BY year, level ORDER BY year";

static int honours(store_conn *c, int64_t scope, json_t **out, struct rerr *err)
{
    json_t *years = json_array(), *levels = json_array();
    json_t *counts[N_LEVELS];
    for (int l = 0; l < N_LEVELS; l++) {
        counts[l] = json_array();
        json_array_append_new(levels, json_pack("{s:s, s:s, s:o}", "level", honour_levels[l].level, "label",
                                                honour_levels[l].label, "counts", counts[l]));
    }
    store_stmt *st = store_prepare(c, honours_sql);
    store_bind_int(st, 1, scope);
    int rc;
    int64_t year = 0;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        if (!json_array_size(years) || store_col_int(st, 0) != year) {
            year = store_col_int(st, 0);
            json_array_append_new(years, json_integer(year));
            for (int l = 0; l < N_LEVELS; l++)
                json_array_append_new(counts[l], json_integer(0));
        }
        const char *lv = store_col_text(st, 1);
        for (int l = 0; l < N_LEVELS; l++)
            if (!strcmp(lv, honour_levels[l].level)) {
                size_t last = json_array_size(counts[l]) - 1;
                json_array_set_new(counts[l], last, json_integer(store_col_int(st, 2)));
            }
    }
    store_done(st);
    if (rc < 0) {
        json_decref(years);
        json_decref(levels);
        return rc;
    }
    *out = json_pack("{s:o, s:o}", "years", years, "levels", levels);
    return 0;
}

/* ---- the answer */

static int today_beijing(store_conn *c, json_t *out, struct rerr *err)
{
    store_stmt *st = store_prepare(c, "SELECT ronghe_today()");
    int rc = store_step(st, err);
    if (rc == STORE_ROW)
        json_object_set_new(out, "as_of", json_string(store_col_text(st, 0)));
    store_done(st);
    return rc < 0 ? rc : 0;
}

int stats_home(struct res_ctx *x, json_t **out, struct rerr *err)
{
    int rc = authz_read_collection(x->who, READ_SCOPED, err);
    if (rc < 0)
        return rc;
    int64_t scope = 0;
    if (!authz_read_narrowed(x->who, READ_SCOPED, &scope))
        scope = 0;
    if ((rc = store_begin_read(x->c, err)) < 0)
        return rc;
    json_t *o = json_pack("{s:b}", "scope_all", scope == 0);
    json_t *procs = json_array(), *totals = json_object(), *part = NULL;
    json_object_set_new(o, "procuratorates", procs);
    json_object_set_new(o, "totals", totals);
    if ((rc = today_beijing(x->c, o, err)) < 0 ||
        (rc = per_procuratorate(x->c, scope, procs, totals, err)) < 0)
        goto done;
    if ((rc = banded(x->c, age_sql, scope, age_bands, NB(age_bands), &part, err)) < 0)
        goto done;
    json_object_set_new(o, "age_bands", part);
    if ((rc = banded(x->c, party_sql, scope, party_bands, NB(party_bands), &part, err)) < 0)
        goto done;
    json_object_set_new(o, "party_years", part);
    if ((rc = banded(x->c, quota_sql, scope, quota_bands, NB(quota_bands), &part, err)) < 0)
        goto done;
    json_object_set_new(o, "quota_prosecutor", part);
    if ((rc = ethnicity(x->c, x->a, scope, &part, err)) < 0)
        goto done;
    json_object_set_new(o, "ethnicity", part);
    if ((rc = honours(x->c, scope, &part, err)) < 0)
        goto done;
    json_object_set_new(o, "honours", part);
done:
    store_rollback(x->c); /* a read: nothing to keep */
    if (rc < 0) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return 0;
}
