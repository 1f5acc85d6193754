/*
 * Unit tests for the evaluation over a real database (src/domain/eval_run.c and the
 * calc layer under it): the hand-built fixture of issue 9, whose every number was worked
 * out on paper below, and the determinism of a run.
 *
 * The fixture: two procuratorates, three branches, period 2025-Q2 (上期 2025-Q1, 去年同期
 * 2024-Q2), the scheme FIXTURE_BODY below: every function of the formula language in a
 * formula, a scoring rule or an honour (线性 rising and falling, 阈值 over continued
 * lines, 目标, 封顶, 保底, 加分, 扣分, 最大, 最小, 如果, 缺项时, 上期, 去年同期, comparisons,
 * 且, 非, percentages), a 手工录入 indicator, an indicator only procuratorates have and one
 * only branches have, a fusion index of its own, honours over 总分, 排名, a dimension, a
 * group, an indicator's score and 同频共振 — under 重新分配权重 and under 按 50 分计.
 *
 *   A 旗院党支部   (旗院, 基层院)  members 甲, 乙
 *   B 旗院第二党支部 (旗院, 基层院)  member 丙: the weak branch, with 缺项
 *   C 市院党支部   (市院, 市院)    members 甲, 乙 of its own: the same records as A
 *
 * A's records, and C's (the same, in 市院):
 *   activities in Q2: 主题党日 04-15 (linked to case 1), 主题党日 05-15 (linked to 公益诉讼
 *     1), 学习 05-20, 支委会 06-05; outside it: 主题党日 2025-03-20, 学习 2025-07-01;
 *   attendance: 04-15 甲 出席, 乙 出席; 05-15 甲 出席, 乙 缺席;
 *   cases closed in Q2: 1 (04-20, 主办 甲), 2 (05-25, 主办 外人 with 乙 as 助理),
 *     3 (06-10, 主办 乙), 4 (06-28, 主办 甲); outside: 5 (07-15, 主办 甲);
 *   公益诉讼 filed 2025-04-10, 05-10, 06-10 (Q2) and 2025-02-15 (Q1);
 *   普法宣传 2025-04-25, 06-15 (Q2) and 2024-04-10, 05-10, 06-10 (2024-Q2).
 * B's: 主题党日 06-10 (no attendance, no link); 公益诉讼 2025-03-01 (Q1); 普法 2025-05-05.
 *
 * The determinism test builds the same fixture twice more, the records written in
 * reverse and in a shuffled order (a fixed seed; B and C made in the other order, so
 * every id differs), and compares every number of every explanation as strings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <string.h>

#include "auth/password.h"
#include "domain/evaluation.h"
#include "fixture.h"

/* ------------------------------------------------------------------ the scheme */

/* The scheme, but for its [方案] section's 名称 and 缺项 (fixture_text). */
static const char FIXTURE_BODY[] =
    "融合指数 = 0.3 * 党建 + 0.3 * 业务 + 0.4 * 融合\n"
    "[维度 政治]\n权重 = 40\n分组 = 党建\n"
    "[维度 业务]\n权重 = 40\n分组 = 业务\n"
    "[维度 协作]\n权重 = 20\n分组 = 融合\n"
    "[指标 出勤]\n适用 = 党支部、检察院\n维度 = 政治\n权重 = 40\n公式 = 党员出勤率\n"
    "计分 = 线性(值, 60%, 100%)\n"
    "[指标 主题党日]\n适用 = 党支部、检察院\n维度 = 政治\n权重 = 30\n公式 = 主题党日次数\n"
    "计分 = 阈值(值, 1, 60,\n  2, 80,\n  3, 100)\n"
    "[指标 述职评议]\n适用 = 党支部、检察院\n维度 = 政治\n权重 = 30\n手工录入 = 是\n计分 = 值\n"
    "[指标 办案]\n维度 = 业务\n权重 = 30\n公式 = 办结案件数\n计分 = 目标(值, 5)\n"
    "[指标 院办案]\n适用 = 检察院\n维度 = 业务\n权重 = 30\n公式 = 办结案件数\n计分 = 目标(值, 8)\n"
    "[指标 公益诉讼增长]\n适用 = 党支部、检察院\n维度 = 业务\n权重 = 30\n"
    "公式 = 公益诉讼立案数 - 上期(公益诉讼立案数)\n计分 = 保底(60 + 加分(值, 15, 40), 50)\n"
    "[指标 普法同比]\n适用 = 党支部、检察院\n维度 = 业务\n权重 = 40\n"
    "公式 = 普法宣传次数 - 去年同期(普法宣传次数)\n计分 = 如果(值 >= 0, 100, 最大(40, 100 + 值 * 20))\n"
    "[指标 党员主办]\n适用 = 党支部、检察院\n维度 = 协作\n权重 = 50\n"
    "公式 = 缺项时(党员主办案件占比, 0)\n计分 = 封顶(线性(值, 0.3, 0.8) + 10, 100)\n"
    "[指标 未关联业务]\n适用 = 党支部、检察院\n维度 = 协作\n权重 = 30\n"
    "公式 = 1 - 关联业务组织生活占比\n计分 = 线性(值, 80%, 20%)\n"
    "[指标 学习不足]\n适用 = 党支部、检察院\n维度 = 协作\n权重 = 20\n"
    "公式 = 最大(3 - 党员学习次数, 0)\n计分 = 100 + 扣分(值, 25, 60)\n"
    "[荣誉 坚强堡垒支部]\n条件 = 总分 >= 70 且 排名 <= 2\n"
    "[荣誉 模范支部]\n条件 = 最小(政治维度, 业务) >= 60 且 非 (协作 < 50)\n"
    "[荣誉 同频支部]\n条件 = 同频共振 > -0.1 且 总分 > 40\n";

/* The whole text of scheme "name" with "missing" as its 缺项 (in the fixture's arena). */
static const char *fixture_text(struct fx *f, const char *name, const char *missing)
{
    return arena_printf(f->x.a, "[方案]\n名称 = %s\n缺项 = %s\n%s", name, missing, FIXTURE_BODY);
}

/* ------------------------------------------------------------------ the records */

enum kind { MEMBER, ACT, CASE, PIL, OUT, ATTEND, TEAM, LINK };

/* One record of a branch's: "key" names it for the records that refer to it ("a", "b"
 * the keys of what it refers to); "day" its date. */
struct rec {
    enum kind kind;
    char branch; /* 'A', 'B' or 'C' */
    const char *key, *a, *b, *day;
};

/* A's records; C has the same. */
static const struct rec twin[] = {
    {MEMBER, 0, "甲", NULL, NULL, NULL},
    {MEMBER, 0, "乙", NULL, NULL, NULL},
    {ACT, 0, "d1", "主题党日", NULL, "2025-04-15"},
    {ACT, 0, "d2", "主题党日", NULL, "2025-05-15"},
    {ACT, 0, "s1", "学习", NULL, "2025-05-20"},
    {ACT, 0, "w1", "支委会", NULL, "2025-06-05"},
    {ACT, 0, "d0", "主题党日", NULL, "2025-03-20"},
    {ACT, 0, "s9", "学习", NULL, "2025-07-01"},
    {ATTEND, 0, NULL, "d1", "甲", "出席"},
    {ATTEND, 0, NULL, "d1", "乙", "出席"},
    {ATTEND, 0, NULL, "d2", "甲", "出席"},
    {ATTEND, 0, NULL, "d2", "乙", "缺席"},
    {CASE, 0, "c1", NULL, NULL, "2025-04-20"},
    {CASE, 0, "c2", NULL, NULL, "2025-05-25"},
    {CASE, 0, "c3", NULL, NULL, "2025-06-10"},
    {CASE, 0, "c4", NULL, NULL, "2025-06-28"},
    {CASE, 0, "c5", NULL, NULL, "2025-07-15"},
    {TEAM, 0, NULL, "c1", "甲", "主办检察官"},
    {TEAM, 0, NULL, "c2", NULL, "主办检察官"}, /* 外人: no member */
    {TEAM, 0, NULL, "c2", "乙", "检察官助理"},
    {TEAM, 0, NULL, "c3", "乙", "主办检察官"},
    {TEAM, 0, NULL, "c4", "甲", "主办检察官"},
    {TEAM, 0, NULL, "c5", "甲", "主办检察官"},
    {PIL, 0, "p1", NULL, NULL, "2025-04-10"},
    {PIL, 0, "p2", NULL, NULL, "2025-05-10"},
    {PIL, 0, "p3", NULL, NULL, "2025-06-10"},
    {PIL, 0, "p0", NULL, NULL, "2025-02-15"},
    {OUT, 0, "o1", "甲", NULL, "2025-04-25"},
    {OUT, 0, "o2", "甲", NULL, "2025-06-15"},
    {OUT, 0, "o7", "甲", NULL, "2024-04-10"},
    {OUT, 0, "o8", "甲", NULL, "2024-05-10"},
    {OUT, 0, "o9", "甲", NULL, "2024-06-10"},
    {LINK, 0, NULL, "d1", "c1", "cases"},
    {LINK, 0, NULL, "d2", "p1", "pil-matters"},
};
#define NTWIN ((int)(sizeof twin / sizeof twin[0]))

static const struct rec weak[] = {
    {MEMBER, 'B', "丙", NULL, NULL, NULL},
    {ACT, 'B', "d1", "主题党日", NULL, "2025-06-10"},
    {PIL, 'B', "p0", NULL, NULL, "2025-03-01"},
    {OUT, 'B', "o1", "丙", NULL, "2025-05-05"},
};
#define NWEAK ((int)(sizeof weak / sizeof weak[0]))
#define NRECS (2 * NTWIN + NWEAK)

/* Which records must be written before it: members and the ledgers' own records, then
 * what refers to them. */
static int level_of(enum kind k)
{
    return k == MEMBER ? 0 : k == ATTEND || k == TEAM || k == LINK ? 2 : 1;
}

struct built {
    struct fx *f;
    int64_t a, b, c; /* the branches */
    int n;
    char keys[NRECS][32];
    int64_t ids[NRECS];
};

static int64_t id_of(struct built *w, char branch, const char *key)
{
    char k[32];
    snprintf(k, sizeof k, "%c.%s", branch, key);
    for (int i = 0; i < w->n; i++)
        if (!strcmp(w->keys[i], k))
            return w->ids[i];
    fail_msg("no record %s yet", k);
    return 0;
}

static void write_rec(struct built *w, const struct rec *r)
{
    struct fx *f = w->f;
    int64_t branch = r->branch == 'A' ? w->a : r->branch == 'B' ? w->b : w->c;
    int64_t proc = r->branch == 'C' ? f->city : f->county;
    int64_t id = 0;
    switch (r->kind) {
    case MEMBER:
        id = fx_create(f, "members",
                       json_pack("{s:s,s:I,s:s}", "name", r->key, "branch_id", (json_int_t)branch,
                                 "joined_party", "2010-01-01"));
        break;
    case ACT: {
        json_t *b = json_pack("{s:I,s:s,s:s,s:s}", "branch_id", (json_int_t)branch, "kind", r->a, "held_on",
                              r->day, "topic", r->a);
        if (!strcmp(r->a, "学习"))
            json_object_set_new(b, "study_dimension", json_string("党性锤炼"));
        id = fx_create(f, "activities", b);
        break;
    }
    case CASE: {
        char no[48];
        snprintf(no, sizeof no, "%c-%s", r->branch, r->key);
        id = fx_create(f, "cases",
                       json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s}", "procuratorate_id", (json_int_t)proc,
                                 "case_no", no, "title", "某某案", "type", "审查起诉", "received_on",
                                 "2025-01-10", "decided_on", "2025-01-20", "closed_on", r->day));
        break;
    }
    case PIL:
        id = fx_create(f, "pil-matters",
                       json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s}", "procuratorate_id", (json_int_t)proc,
                                 "branch_id", (json_int_t)branch, "title", "某公益诉讼", "source", "巡查",
                                 "field", "草原", "clue_on", "2024-12-01", "filed_on", r->day));
        break;
    case OUT:
        id = fx_create(f, "outreach",
                       json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:[I]}", "procuratorate_id",
                                 (json_int_t)proc, "branch_id", (json_int_t)branch, "held_on", r->day, "kind",
                                 "线上", "place", "嘎查", "topic", "普法", "audience", "牧民", "language",
                                 "双语", "member_ids", (json_int_t)id_of(w, r->branch, r->a)));
        break;
    case ATTEND: {
        json_t *b = json_pack("{s:I,s:I,s:s}", "activity_id", (json_int_t)id_of(w, r->branch, r->a),
                              "member_id", (json_int_t)id_of(w, r->branch, r->b), "status", r->day);
        if (!strcmp(r->day, "缺席"))
            json_object_set_new(b, "reason", json_string("病假"));
        fx_create(f, "attendance", b);
        break;
    }
    case TEAM: {
        json_t *b = json_pack("{s:I,s:s}", "case_id", (json_int_t)id_of(w, r->branch, r->a), "role", r->day);
        if (r->b)
            json_object_set_new(b, "member_id", json_integer(id_of(w, r->branch, r->b)));
        else
            json_object_set_new(b, "person_name", json_string("外人"));
        fx_create(f, "case-members", b);
        break;
    }
    case LINK:
        fx_create(f, "activity-items",
                  json_pack("{s:I,s:s,s:I}", "activity_id", (json_int_t)id_of(w, r->branch, r->a),
                            "item_coll", r->day, "item_id", (json_int_t)id_of(w, r->branch, r->b)));
        break;
    }
    if (r->key) {
        snprintf(w->keys[w->n], sizeof w->keys[w->n], "%c.%s", r->branch, r->key);
        w->ids[w->n++] = id;
    }
}

enum order { AS_LISTED, REVERSED, SHUFFLED };

/* The fixture in a fresh database, its records written in "order" (each level in that
 * order: members, then the records, then what refers to them). */
static struct built *build(const char *name, enum order order)
{
    struct built *w = calloc(1, sizeof *w);
    struct fx *f = w->f = fx_open(name);
    w->a = f->branch;
    for (int k = 0; k < 2; k++) { /* B then C, or C then B: other ids */
        bool make_b = (k == 0) == (order == AS_LISTED);
        int64_t id = fx_create(f, "branches",
                               json_pack("{s:I,s:s,s:s}", "procuratorate_id",
                                         (json_int_t)(make_b ? f->county : f->city), "name",
                                         make_b ? "旗院第二党支部" : "市院党支部", "kind", "党支部"));
        *(make_b ? &w->b : &w->c) = id;
    }
    struct rec all[NRECS];
    int n = 0;
    for (int i = 0; i < NTWIN; i++) {
        all[n] = twin[i], all[n++].branch = 'A';
        all[n] = twin[i], all[n++].branch = 'C';
    }
    for (int i = 0; i < NWEAK; i++)
        all[n++] = weak[i];
    if (order == REVERSED)
        for (int i = 0; i < n / 2; i++) {
            struct rec t = all[i];
            all[i] = all[n - 1 - i], all[n - 1 - i] = t;
        }
    if (order == SHUFFLED) { /* Fisher–Yates with a fixed linear congruential generator */
        uint32_t seed = 20250630;
        for (int i = n - 1; i > 0; i--) {
            seed = seed * 1664525u + 1013904223u;
            int j = (int)((seed >> 8) % (uint32_t)(i + 1));
            struct rec t = all[i];
            all[i] = all[j], all[j] = t;
        }
    }
    for (int level = 0; level < 3; level++)
        for (int i = 0; i < n; i++)
            if (level_of(all[i].kind) == level)
                write_rec(w, &all[i]);
    return w;
}

static void built_free(struct built *w)
{
    fx_close(w->f);
    free(w);
}

/* ------------------------------------------------------------------ runs and reading */

/* The fixture's scheme as "name", 缺项 = "missing". */
static int64_t add_scheme(struct fx *f, const char *name, const char *missing)
{
    return fx_create(f, "eval-schemes",
                     json_pack("{s:I,s:s,s:s}", "procuratorate_id", (json_int_t)f->city, "name", name, "text",
                               fixture_text(f, name, missing)));
}

static int64_t run_period(struct fx *f, int64_t scheme, const char *period)
{
    json_t *summary = NULL;
    struct rerr e = {0};
    if (eval_run(&f->x, scheme, period, NULL, &summary, &e) < 0)
        fail_msg("eval_run: %s", e.message);
    int64_t id = res_int(summary, "run_id");
    json_decref(summary);
    return id;
}

static int64_t run(struct fx *f, int64_t scheme)
{
    return run_period(f, scheme, "2025-Q2");
}

/* The explanation of a subject ("branch" or "procuratorate") in the newest run of the
 * period, as GET /eval/explain answers it; the caller's. */
static json_t *explain_period(struct fx *f, const char *kind, int64_t id, const char *period)
{
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    struct res_query q = {.n = 2, .key = {"period", kind}, .val = {period, ids}};
    json_t *out = NULL;
    struct rerr e = {0};
    if (eval_explain(&f->x, &q, &out, &e) < 0)
        fail_msg("explain %s %s: %s", kind, ids, e.message);
    return out;
}

static json_t *explain(struct fx *f, const char *kind, int64_t id)
{
    return explain_period(f, kind, id, "2025-Q2");
}

/* A field as its decimal string, "缺项" for null, "true"/"false" for booleans. */
static const char *text_of(json_t *v)
{
    if (!v || json_is_null(v))
        return "缺项";
    if (json_is_boolean(v))
        return json_is_true(v) ? "true" : "false";
    if (json_is_integer(v)) {
        static char buf[8][24];
        static int at;
        at = (at + 1) % 8;
        snprintf(buf[at], sizeof buf[at], "%lld", (long long)json_integer_value(v));
        return buf[at];
    }
    return json_is_string(v) ? json_string_value(v) : "?";
}

static json_t *named(json_t *array, const char *name)
{
    size_t i;
    json_t *o;
    json_array_foreach(array, i,
                       o) if (!strcmp(json_string_value(json_object_get(o, "name")), name)) return o;
    return NULL;
}

/* "what" of "x" is "want": "total", "ranks.city", "groups.党建", "dim.政治.score",
 * "ind.出勤.value", "honour.模范支部.met". */
static void is(json_t *x, const char *who, const char *what, const char *want)
{
    char path[128];
    snprintf(path, sizeof path, "%s", what);
    char *first = strtok(path, "."), *second = strtok(NULL, "."), *third = strtok(NULL, ".");
    json_t *v = NULL;
    if (!strcmp(first, "dim") || !strcmp(first, "ind") || !strcmp(first, "honour")) {
        json_t *o = named(json_object_get(x, !strcmp(first, "dim")   ? "dimensions"
                                             : !strcmp(first, "ind") ? "indicators"
                                                                     : "honours"),
                          second);
        if (!o)
            fail_msg("%s: no %s %s", who, first, second);
        v = json_object_get(o, third);
    } else if (!strcmp(first, "groups")) {
        v = json_object_get(json_object_get(json_object_get(x, "groups"), second), "score");
    } else {
        v = json_object_get(x, first);
        if (second)
            v = json_object_get(v, second);
    }
    if (strcmp(text_of(v), want) != 0)
        fail_msg("%s %s: %s, worked out by hand %s", who, what, text_of(v), want);
}

/* ------------------------------------------------------------------ the fixture */

/* The twelve monthly values of "series" ("party" or "business") of the 同频共振 are "want". */
static void series_is(json_t *x, const char *who, const char *series, const char *const want[12])
{
    json_t *r = json_object_get(x, "resonance");
    for (int k = 0; k < 12; k++) {
        const char *got = text_of(json_array_get(json_object_get(r, series), (size_t)k));
        if (strcmp(got, want[k]) != 0)
            fail_msg("%s 同频共振 %s of %s: %s, worked out by hand %s", who, series,
                     text_of(json_array_get(json_object_get(r, "months"), (size_t)k)), got, want[k]);
    }
}

/*
 * A, with its 述职评议 approved (88), under 重新分配权重. Each line: the arithmetic.
 */
static void a_as_worked_out(json_t *x, const char *who)
{
    /* 政治 */
    is(x, who, "ind.出勤.value", "0.7500");     /* 出席 3 of 4 (04-15 甲 乙, 05-15 甲; 乙 缺席) */
    is(x, who, "ind.出勤.score", "37.50");      /* 100 × (0.75 − 0.6) ÷ (1 − 0.6) = 15 ÷ 0.4 */
    is(x, who, "ind.主题党日.value", "2.0000"); /* 04-15, 05-15 (03-20 is Q1) */
    is(x, who, "ind.主题党日.score", "80.00");  /* 2 reaches the threshold 2 → 80 */
    is(x, who, "ind.述职评议.value", "88.0000");
    is(x, who, "ind.述职评议.score", "88.00");
    is(x, who, "ind.述职评议.pending", "false");
    is(x, who, "dim.政治.score",
       "65.40"); /* (40 × 37.5 + 30 × 80 + 30 × 88) ÷ 100 = (1500 + 2400 + 2640) ÷ 100 */
    /* 业务 */
    is(x, who, "ind.办案.value", "4.0000");         /* cases 1–4 closed in Q2 (5 in July) */
    is(x, who, "ind.办案.score", "80.00");          /* 目标(4, 5) = 100 × 4 ÷ 5 */
    is(x, who, "ind.公益诉讼增长.value", "2.0000"); /* Q2 3 − Q1 1 */
    is(x, who, "ind.公益诉讼增长.score", "90.00");  /* 60 + min(2 × 15, 40) = 90, above 保底 50 */
    is(x, who, "ind.普法同比.value", "-1.0000");    /* Q2 2 − 2024-Q2 3 */
    is(x, who, "ind.普法同比.score", "80.00");      /* −1 < 0: max(40, 100 + (−1) × 20) = 80 */
    is(x, who, "dim.业务.score",
       "83.00"); /* (30 × 80 + 30 × 90 + 40 × 80) ÷ 100 = (2400 + 2700 + 3200) ÷ 100 */
    /* 协作 */
    is(x, who, "ind.党员主办.value", "0.7500"); /* members lead cases 1, 3, 4 of 1–4 */
    is(x, who, "ind.党员主办.score", "100.00"); /* 100 × (0.75 − 0.3) ÷ 0.5 + 10 = 90 + 10 = 100, 封顶 100 */
    is(x, who, "ind.未关联业务.value", "0.5000"); /* 1 − 2 linked of 4 activities in Q2 */
    is(x, who, "ind.未关联业务.score",
       "50.00"); /* lower is better: 100 × (0.8 − 0.5) ÷ (0.8 − 0.2) = 30 ÷ 0.6 */
    is(x, who, "ind.学习不足.value", "2.0000"); /* max(3 − 1 学习 in Q2, 0) (07-01 is Q3) */
    is(x, who, "ind.学习不足.score", "50.00");  /* 100 − min(2 × 25, 60) */
    is(x, who, "dim.协作.score",
       "75.00"); /* (50 × 100 + 30 × 50 + 20 × 50) ÷ 100 = (5000 + 1500 + 1000) ÷ 100 */
    /* the total, the groups, the fusion index */
    is(x, who, "total", "74.36"); /* (40 × 65.4 + 40 × 83 + 20 × 75) ÷ 100 = (2616 + 3320 + 1500) ÷ 100 */
    is(x, who, "groups.党建", "65.40");
    is(x, who, "groups.业务", "83.00");
    is(x, who, "groups.融合", "75.00");
    is(x, who, "fusion", "74.52"); /* 0.3 × 65.4 + 0.3 × 83 + 0.4 × 75 = 19.62 + 24.9 + 30 */
    is(x, who, "dim.政治.contribution", "26.1600"); /* 40 × 65.4 ÷ 100 */
    /* honours: 74.36 ≥ 70 and rank 1 ≤ 2; min(65.4, 83) = 65.4 ≥ 60 and 协作 75 ≥ 50 */
    is(x, who, "honour.坚强堡垒支部.met", "true");
    is(x, who, "honour.模范支部.met", "true");
    /* 同频共振: the volumes of work of the twelve months 2024-07 … 2025-06 (docs/evaluation.md
     * 「同频共振」): 党建 = the activities held that month; 业务 = cases closed + 12309 received +
     * 公益诉讼 filed + 普法宣传 held.
     *   党建: 2025-03 1 (主题党日), 04 1, 05 2 (主题党日, 学习), 06 1 (支委会); before: 0.
     *   业务: 2025-02 1 (公益 02-15), 03 0, 04 3 (case 1, 公益, 普法), 05 2 (case 2, 公益),
     *         06 4 (cases 3 and 4, 公益, 普法); before: 0 (2024's 普法 are before 2024-07). */
    static const char *const party[12] = {"0", "0", "0", "0", "0", "0", "0", "0", "1", "1", "2", "1"};
    static const char *const business[12] = {"0", "0", "0", "0", "0", "0", "0", "1", "0", "3", "2", "4"};
    series_is(x, who, "party", party);
    series_is(x, who, "business", business);
    /* ranks of 党建: the eight 0s share 1–8 → 4.5, the three 1s 9–11 → 10, 2 → 12; of 业务: the
     * eight 0s (2024-07 … 2025-01, 2025-03) → 4.5, 1 → 9, 2 → 10, 3 → 11, 4 → 12; r̄ = 6.5;
     * Σ(Rx − r̄)(Ry − r̄) = 7 × (−2)(−2) + (−2)(2.5) + (3.5)(−2) + (3.5)(4.5) + (5.5)(3.5) + (3.5)(5.5)
     *   = 28 − 5 − 7 + 15.75 + 19.25 + 19.25 = 70.25;
     * Σ(Rx − r̄)² = 8 × 4 + 3 × 12.25 + 30.25 = 99; Σ(Ry − r̄)² = 8 × 4 + 6.25 + 20.25 + 12.25 + 30.25
     *   = 101; ρ = 70.25 ÷ √(99 × 101) = 70.25 ÷ 99.995 = 0.70254;
     * z = atanh(ρ) = 0.87229, se = √(1.06 ÷ 9) = 0.34319, 1.959964 × se = 0.67264:
     * tanh(0.19965) = 0.1970, tanh(1.54492) = 0.9129 */
    is(x, who, "resonance.n", "12");
    is(x, who, "resonance.rho", "0.7025");
    is(x, who, "resonance.lo", "0.1970");
    is(x, who, "resonance.hi", "0.9129");
    is(x, who, "honour.同频支部.met", "true"); /* 0.7025 > −0.1 and 74.36 > 40 */
}

/*
 * B, under 重新分配权重: 出勤 缺项 (no attendance), 述职评议 待审核 (none entered).
 */
static void b_as_worked_out(json_t *x, const char *who)
{
    is(x, who, "ind.出勤.value", "缺项"); /* 0 of 0: no denominator */
    is(x, who, "ind.出勤.missing", "true");
    is(x, who, "ind.出勤.weight_used", "0.0000");
    is(x, who, "ind.主题党日.value", "1.0000");
    is(x, who, "ind.主题党日.score", "60.00");          /* 1 reaches the first threshold */
    is(x, who, "ind.主题党日.weight_used", "100.0000"); /* 100 × 30 ÷ 30: the only one counted */
    is(x, who, "ind.述职评议.pending", "true");
    is(x, who, "ind.述职评议.score", "缺项");
    is(x, who, "dim.政治.score", "60.00"); /* (30 × 60) ÷ 30 */
    is(x, who, "dim.政治.indicator_weight_sum", "30.0000");
    is(x, who, "ind.办案.value", "0.0000");
    is(x, who, "ind.办案.score", "0.00");            /* 目标(0, 5) */
    is(x, who, "ind.公益诉讼增长.value", "-1.0000"); /* Q2 0 − Q1 1 */
    is(x, who, "ind.公益诉讼增长.score", "50.00");   /* 60 + min(−15, 40) = 45, 保底 50 */
    is(x, who, "ind.普法同比.value", "1.0000");      /* 1 − 0 */
    is(x, who, "ind.普法同比.score", "100.00");      /* 1 ≥ 0 */
    is(x, who, "dim.业务.score", "55.00");           /* (30 × 0 + 30 × 50 + 40 × 100) ÷ 100 */
    is(x, who, "ind.党员主办.value", "0.0000");      /* no case: 缺项时(缺项, 0) */
    is(x, who, "ind.党员主办.score", "10.00");       /* 线性(0, 0.3, 0.8) = 0, + 10 */
    is(x, who, "ind.未关联业务.value", "1.0000");    /* 1 − 0 of 1 */
    is(x, who, "ind.未关联业务.score", "0.00");      /* 1 ≥ 80%: 0 */
    is(x, who, "ind.学习不足.value", "3.0000");
    is(x, who, "ind.学习不足.score", "40.00"); /* 100 − min(3 × 25, 60) */
    is(x, who, "dim.协作.score", "13.00");     /* (50 × 10 + 30 × 0 + 20 × 40) ÷ 100 */
    is(x, who, "total", "48.60");  /* (40 × 60 + 40 × 55 + 20 × 13) ÷ 100 = (2400 + 2200 + 260) ÷ 100 */
    is(x, who, "fusion", "39.70"); /* 0.3 × 60 + 0.3 × 55 + 0.4 × 13 = 18 + 16.5 + 5.2 */
    is(x, who, "groups.党建", "60.00");
    is(x, who, "groups.业务", "55.00");
    is(x, who, "groups.融合", "13.00");
    is(x, who, "honour.坚强堡垒支部.met", "false"); /* 48.6 < 70 */
    is(x, who, "honour.模范支部.met", "false");     /* min(60, 55) = 55 < 60 */
    is(x, who, "honour.模范支部.undecided", "false");
    /* 同频共振: 党建 0 but 1 in 2025-06 (its 主题党日); 业务 0 but 1 in 2025-03 (公益) and 1 in
     * 2025-05 (普法). Ranks: 党建 the eleven 0s → 6, 1 → 12; 业务 the ten 0s → 5.5, the two 1s →
     * 11.5; r̄ = 6.5: Σ(Rx − r̄)(Ry − r̄) = (−0.5) × Σ(Ry − r̄ of 2024-07 … 2025-05) + 5.5 × (−1)
     *   = −0.5 × 1 − 5.5 = −6; Σ(Rx − r̄)² = 11 × 0.25 + 30.25 = 33; Σ(Ry − r̄)² = 10 × 1 + 2 × 25 = 60;
     * ρ = −6 ÷ √1980 = −0.13484; z = −0.13567: tanh(−0.80830) = −0.6687, tanh(0.53697) = 0.4907 */
    static const char *const party[12] = {"0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "1"};
    static const char *const business[12] = {"0", "0", "0", "0", "0", "0", "0", "0", "1", "0", "1", "0"};
    series_is(x, who, "party", party);
    series_is(x, who, "business", business);
    is(x, who, "resonance.rho", "-0.1348");
    is(x, who, "resonance.lo", "-0.6687");
    is(x, who, "resonance.hi", "0.4907");
    is(x, who, "honour.同频支部.met", "false"); /* −0.1348 ≤ −0.1 */
}

static void ranks_are(json_t *x, const char *who, const char *city, const char *level, const char *proc)
{
    is(x, who, "ranks.city", city);
    is(x, who, "ranks.level", level);
    is(x, who, "ranks.procuratorate", proc);
}

static struct actor admin_user(struct fx *f, const char *username)
{
    int64_t uid = fx_create(f, "users",
                            json_pack("{s:s,s:s,s:s,s:s,s:I}", "username", username, "display_name", username,
                                      "password", "Tongliao-pw-2026!", "role", "admin", "procuratorate_id",
                                      (json_int_t)f->city));
    return fx_actor(uid, ROLE_ADMIN, f->city, 0, true);
}

static int64_t enter_value(struct fx *f, const struct actor *who, int64_t scheme, int64_t branch,
                           const char *value)
{
    struct res_ctx x = fx_as(f, who);
    struct rerr e = {0};
    int64_t id = fx_try(&x, "eval-manual-values",
                        json_pack("{s:I,s:I,s:s,s:s,s:s,s:s}", "branch_id", (json_int_t)branch, "scheme_id",
                                  (json_int_t)scheme, "indicator", "述职评议", "period", "2025-Q2", "value",
                                  value, "evidence_note", "述职评议会记录"),
                        &e);
    if (id < 0)
        fail_msg("manual value: %s", e.message);
    return id;
}

static int approve(struct fx *f, const struct actor *who, int64_t id, struct rerr *e)
{
    struct res_ctx x = fx_as(f, who);
    const struct res_action *act = res_action_find(res_find("eval-manual-values"), "approve", "POST", NULL);
    assert_non_null(act);
    json_t *out = NULL;
    *e = (struct rerr){0};
    int rc = act->run(&x, id, NULL, &out, e);
    json_decref(out);
    return rc;
}

static void the_fixture_computes_as_by_hand(void **state)
{
    (void)state;
    struct built *w = build("eval-fixture", AS_LISTED);
    struct fx *f = w->f;
    int64_t scheme = add_scheme(f, "夹具方案", "重新分配权重");
    struct actor one = admin_user(f, "lu-yi"), two = admin_user(f, "lu-er");
    int64_t va = enter_value(f, &one, scheme, w->a, "88"), vc = enter_value(f, &one, scheme, w->c, "88");
    struct rerr e = {0};
    assert_int_equal(approve(f, &one, vc, &e), R_EFORBID); /* not by the one who entered it */
    assert_string_equal(e.code, "same_person");
    assert_int_equal(approve(f, &two, vc, &e), 0);

    /* 2025-Q1 first, for the movement of Q2's ranks (the hand values are Q2's: none here).
     * A and C: 政治 = 主题党日 03-20 → 60 (出勤 缺项, 述职评议 待审核); 业务 = (30 × 0 + 30 × 75
     * (公益 1 − 0) + 40 × 100 (普法 0 − 0)) ÷ 100 = 62.5; 协作 = (50 × 10 (no case: 0 → 10) + 30 × 0
     * (1 − 0 of 1 linked) + 20 × 40 (no 学习)) ÷ 100 = 13; 总分 = (2400 + 2500 + 260) ÷ 100 = 51.6.
     * B: 政治 = 主题党日 0 → 0; 业务 62.5 as A's; 协作: 未关联业务 缺项 (no activity: 1 − 缺项),
     * (500 + 800) ÷ 70 = 18.5714; 总分 = (0 + 2500 + 20 × 18.5714) ÷ 100 = 28.7143. */
    run_period(f, scheme, "2025-Q1");
    json_t *q1 = explain_period(f, "branch_id", w->a, "2025-Q1");
    is(q1, "A 2025-Q1", "total", "51.60");
    is(q1, "A 2025-Q1", "fusion", "41.95"); /* 0.3 × 60 + 0.3 × 62.5 + 0.4 × 13 = 18 + 18.75 + 5.2 */
    ranks_are(q1, "A 2025-Q1", "1", "1", "1");
    json_decref(q1);
    q1 = explain_period(f, "branch_id", w->b, "2025-Q1");
    is(q1, "B 2025-Q1", "ind.未关联业务.missing", "true");
    is(q1, "B 2025-Q1", "dim.协作.score", "18.57");
    is(q1, "B 2025-Q1", "total", "28.71");
    is(q1, "B 2025-Q1", "fusion", "26.18"); /* 0 + 18.75 + 0.4 × 18.5714 = 18.75 + 7.4286 */
    ranks_are(q1, "B 2025-Q1", "3", "2", "2");
    json_decref(q1);
    q1 = explain_period(f, "branch_id", w->c, "2025-Q1");
    is(q1, "C 2025-Q1", "total", "51.60");
    ranks_are(q1, "C 2025-Q1", "1", "1", "1"); /* A's equal: a tie */
    json_decref(q1);

    /* run 1: C's value approved, A's 待审核 */
    run(f, scheme);
    json_t *a = explain(f, "branch_id", w->a), *b = explain(f, "branch_id", w->b),
           *c = explain(f, "branch_id", w->c);
    a_as_worked_out(c, "C");
    b_as_worked_out(b, "B");
    /* A without its 述职评议: 政治 reweighted over 出勤 and 主题党日 */
    is(a, "A", "ind.述职评议.pending", "true");
    is(a, "A", "ind.述职评议.value", "缺项");
    is(a, "A", "ind.出勤.weight_used", "57.1429");  /* 100 × 40 ÷ 70 */
    is(a, "A", "ind.出勤.contribution", "21.4286"); /* 40 × 37.5 ÷ 70 = 1500 ÷ 70 */
    is(a, "A", "dim.政治.score", "55.71");          /* (1500 + 2400) ÷ 70 = 55.714286 */
    is(a, "A", "total", "70.49");                   /* (40 × 55.714286 + 3320 + 1500) ÷ 100 = 70.485714 */
    is(a, "A", "fusion", "71.61");                  /* 0.3 × 55.714286 + 24.9 + 30 = 71.614286 */
    is(a, "A", "honour.坚强堡垒支部.met", "true");  /* 70.49 ≥ 70, rank 2 ≤ 2 */
    /* ranks: C 74.36, A 70.49, B 48.6; 市院 has C alone, 旗院 A and B */
    ranks_are(c, "C", "1", "1", "1");
    ranks_are(a, "A", "2", "1", "1");
    ranks_are(b, "B", "3", "2", "2");
    /* against 2025-Q1's city ranks: A 1 → 2, C 1 → 1, B 3 → 3 */
    is(a, "A", "ranks.previous", "1");
    is(a, "A", "ranks.movement", "下降");
    is(c, "C", "ranks.movement", "持平");
    is(b, "B", "ranks.movement", "持平");
    /* the explanation says how: the rule with the values put in, the measures' pairs */
    json_t *att = named(json_object_get(a, "indicators"), "出勤");
    assert_string_equal(json_string_value(json_object_get(att, "rule_values")), "线性(0.7500, 60%, 100%)");
    json_t *in = json_array_get(json_object_get(att, "inputs"), 0);
    assert_string_equal(text_of(json_object_get(in, "num")), "3.0000");
    assert_string_equal(text_of(json_object_get(in, "den")), "4.0000");
    assert_string_equal(text_of(json_object_get(in, "period")), "2025-Q2");
    json_t *pil = named(json_object_get(a, "indicators"), "公益诉讼增长");
    assert_string_equal(json_string_value(json_object_get(pil, "formula_values")), "3.0000 - 1.0000");
    json_t *out = named(json_object_get(a, "indicators"), "普法同比");
    assert_string_equal(json_string_value(json_object_get(out, "formula_values")), "2.0000 - 3.0000");
    assert_string_equal(text_of(json_object_get(json_array_get(json_object_get(out, "inputs"), 1), "period")),
                        "2024-Q2");
    assert_string_equal(json_string_value(json_object_get(a, "fusion_values")),
                        "0.3 * 55.7143 + 0.3 * 83.0000 + 0.4 * 75.0000");
    json_decref(a);

    /* the procuratorates: 旗院 sums A's and B's pairs, 市院 is C's; nobody entered
     * their 述职评议 and 办案 gives way to 院办案 (适用 = 检察院) */
    json_t *qi = explain(f, "procuratorate_id", f->county), *shi = explain(f, "procuratorate_id", f->city);
    is(qi, "旗院", "ind.出勤.value", "0.7500");     /* (3 + 0) ÷ (4 + 0) */
    is(qi, "旗院", "ind.主题党日.score", "100.00"); /* 2 + 1 = 3 */
    is(qi, "旗院", "dim.政治.score", "64.29"); /* (40 × 37.5 + 30 × 100) ÷ 70 = 4500 ÷ 70 = 64.285714 */
    assert_null(named(json_object_get(qi, "indicators"), "办案"));
    is(qi, "旗院", "ind.院办案.score", "50.00");        /* 目标(4 + 0, 8) */
    is(qi, "旗院", "ind.公益诉讼增长.value", "1.0000"); /* (3 + 0) − (1 + 1) */
    is(qi, "旗院", "ind.公益诉讼增长.score", "75.00");
    is(qi, "旗院", "ind.普法同比.value", "0.0000");   /* (2 + 1) − (3 + 0) */
    is(qi, "旗院", "ind.普法同比.score", "100.00");   /* 0 ≥ 0 */
    is(qi, "旗院", "dim.业务.score", "77.50");        /* (30 × 50 + 30 × 75 + 40 × 100) ÷ 100 */
    is(qi, "旗院", "ind.党员主办.value", "0.7500");   /* (3 + 0) ÷ (4 + 0) */
    is(qi, "旗院", "ind.未关联业务.value", "0.6000"); /* 1 − (2 + 0) ÷ (4 + 1) */
    is(qi, "旗院", "ind.未关联业务.score", "33.33");  /* 100 × (0.8 − 0.6) ÷ 0.6 */
    is(qi, "旗院", "ind.学习不足.score", "50.00");    /* max(3 − 1, 0) = 2 → 50 */
    is(qi, "旗院", "dim.协作.score", "70.00");        /* (5000 + 30 × 33.3333 + 1000) ÷ 100 = 7000 ÷ 100 */
    is(qi, "旗院", "total", "70.71");  /* (40 × 64.285714 + 40 × 77.5 + 20 × 70) ÷ 100 = 70.714286 */
    is(qi, "旗院", "fusion", "70.54"); /* 0.3 × 64.285714 + 0.3 × 77.5 + 0.4 × 70 = 70.535714 */
    is(shi, "市院", "dim.政治.score", "55.71");   /* C's without 述职评议: (1500 + 2400) ÷ 70 */
    is(shi, "市院", "ind.院办案.score", "50.00"); /* 目标(4, 8) */
    is(shi, "市院", "dim.业务.score", "74.00");   /* (1500 + 2700 + 3200) ÷ 100 */
    is(shi, "市院", "total", "66.89");  /* (40 × 55.714286 + 40 × 74 + 20 × 75) ÷ 100 = 66.885714 */
    is(shi, "市院", "fusion", "68.91"); /* 0.3 × 55.714286 + 0.3 × 74 + 0.4 × 75 = 68.914286 */
    ranks_are(qi, "旗院", "1", "缺项", "缺项"); /* procuratorates are ranked among themselves only */
    ranks_are(shi, "市院", "2", "缺项", "缺项");
    json_decref(qi);
    json_decref(shi);
    json_decref(b);
    json_decref(c);

    /* run 2: A's value approved by the second person — A now equals C: a tie, 1, 1, 3 */
    assert_int_equal(approve(f, &two, va, &e), 0);
    run(f, scheme);
    a = explain(f, "branch_id", w->a);
    b = explain(f, "branch_id", w->b);
    c = explain(f, "branch_id", w->c);
    a_as_worked_out(a, "A");
    a_as_worked_out(c, "C");
    b_as_worked_out(b, "B");
    ranks_are(a, "A", "1", "1", "1");
    ranks_are(c, "C", "1", "1", "1");
    ranks_are(b, "B", "3", "2", "2");
    is(a, "A", "ranks.decided_by", "缺项"); /* the first (null) */
    is(c, "C", "ranks.decided_by", "并列"); /* equal on every key: only the id orders them */
    is(b, "B", "ranks.decided_by", "总分");
    json_decref(a);
    json_decref(b);
    json_decref(c);

    /* the scheme is used: it may not be edited (409) */
    json_t *sch = NULL;
    assert_int_equal(res_get(&f->x, res_find("eval-schemes"), scheme, &sch, &e), 0);
    int64_t version = res_int(sch, "version");
    json_decref(sch);
    assert_int_equal(fx_update(&f->x, "eval-schemes", scheme,
                               json_pack("{s:I,s:s}", "version", (json_int_t)version, "note", "改"), &e),
                     R_ECONFLICT);
    assert_string_equal(e.code, "scheme_used");
    built_free(w);
}

/* The same records under 缺项 = 按 50 分计: a 缺项 or 待审核 indicator counts 50 at its
 * full weight. Hand values belong to a scheme's name: A has none for this scheme (its
 * 述职评议 is 待审核, counted 50); C's is entered as 50 and approved, so A and C have the
 * same numbers and C has one 缺项 fewer — the last tie-break. */
static void missing_counts_at_the_floor(void **state)
{
    (void)state;
    struct built *w = build("eval-floor", AS_LISTED);
    struct fx *f = w->f;
    int64_t scheme = add_scheme(f, "夹具方案按分计", "按 50 分计");
    struct actor one = admin_user(f, "lu-yi"), two = admin_user(f, "lu-er");
    struct rerr e = {0};
    assert_int_equal(approve(f, &two, enter_value(f, &one, scheme, w->c, "50"), &e), 0);
    run(f, scheme);
    json_t *a = explain(f, "branch_id", w->a), *b = explain(f, "branch_id", w->b),
           *c = explain(f, "branch_id", w->c), *qi = explain(f, "procuratorate_id", f->county),
           *shi = explain(f, "procuratorate_id", f->city);
    is(a, "A", "missing_rule", "按 50 分计");
    is(a, "A", "ind.述职评议.pending", "true");
    is(a, "A", "ind.述职评议.floored", "true");
    is(a, "A", "ind.述职评议.score", "缺项");
    is(a, "A", "ind.述职评议.score_used", "50.00");
    is(a, "A", "ind.述职评议.weight_used", "30.0000");
    is(a, "A", "ind.述职评议.contribution", "15.0000"); /* 30 × 50 ÷ 100 */
    is(a, "A", "dim.政治.score",
       "54.00"); /* (40 × 37.5 + 30 × 80 + 30 × 50) ÷ 100 = (1500 + 2400 + 1500) ÷ 100 */
    is(a, "A", "dim.政治.indicator_weight_sum", "100.0000");
    is(a, "A", "dim.业务.score", "83.00");
    is(a, "A", "total", "69.80");  /* (40 × 54 + 40 × 83 + 20 × 75) ÷ 100 = (2160 + 3320 + 1500) ÷ 100 */
    is(a, "A", "fusion", "71.10"); /* 0.3 × 54 + 0.3 × 83 + 0.4 × 75 = 16.2 + 24.9 + 30 */
    is(c, "C", "ind.述职评议.floored", "false");
    is(c, "C", "ind.述职评议.score", "50.00");
    is(c, "C", "total", "69.80"); /* the same sums: 50 entered = 50 counted */
    is(c, "C", "fusion", "71.10");
    is(c, "C", "dim.业务.score", "83.00");
    is(b, "B", "ind.出勤.floored", "true");
    is(b, "B", "ind.出勤.weight_used", "40.0000");
    is(b, "B", "dim.政治.score",
       "53.00"); /* (40 × 50 + 30 × 60 + 30 × 50) ÷ 100 = (2000 + 1800 + 1500) ÷ 100 */
    is(b, "B", "dim.业务.score", "55.00");
    is(b, "B", "total", "45.80");  /* (40 × 53 + 40 × 55 + 20 × 13) ÷ 100 = (2120 + 2200 + 260) ÷ 100 */
    is(b, "B", "fusion", "37.60"); /* 0.3 × 53 + 0.3 × 55 + 0.4 × 13 = 15.9 + 16.5 + 5.2 */
    is(qi, "旗院", "dim.政治.score", "60.00"); /* (1500 + 30 × 100 + 30 × 50) ÷ 100 */
    is(qi, "旗院", "total", "69.00"); /* (40 × 60 + 40 × 77.5 + 20 × 70) ÷ 100 = (2400 + 3100 + 1400) ÷ 100 */
    is(qi, "旗院", "fusion", "69.25"); /* 18 + 23.25 + 28 */
    is(shi, "市院", "total", "66.20"); /* (40 × 54 + 40 × 74 + 20 × 75) ÷ 100 = (2160 + 2960 + 1500) ÷ 100 */
    is(shi, "市院", "fusion", "68.40"); /* 16.2 + 22.2 + 30 */
    /* C and A: 总分 69.80 = 69.80, 融合指数 71.10 = 71.10, 业务 83.00 = 83.00, 缺项 0 < 1 */
    ranks_are(c, "C", "1", "1", "1");
    ranks_are(a, "A", "2", "1", "1");
    ranks_are(b, "B", "3", "2", "2");
    is(a, "A", "ranks.decided_by", "缺项个数");
    is(b, "B", "ranks.decided_by", "总分");
    /* 坚强堡垒支部: 69.8 < 70 — missed now; 模范支部: min(54, 83) = 54 < 60 */
    is(a, "A", "honour.坚强堡垒支部.met", "false");
    is(a, "A", "honour.模范支部.met", "false");
    json_decref(a);
    json_decref(b);
    json_decref(c);
    json_decref(qi);
    json_decref(shi);
    built_free(w);
}

/* ------------------------------------------------------------------ staleness */

static bool stale(struct fx *f, const char *kind, int64_t id)
{
    json_t *x = explain(f, kind, id);
    bool s = json_is_true(json_object_get(x, "stale"));
    json_decref(x);
    return s;
}

/* A change of a ledger record marks the results that read it (its branch's, its
 * procuratorate's) stale; others stay; the next run is fresh. */
static void a_changed_record_makes_results_stale(void **state)
{
    (void)state;
    struct built *w = build("eval-stale", AS_LISTED);
    struct fx *f = w->f;
    int64_t scheme = add_scheme(f, "夹具方案", "重新分配权重");
    run(f, scheme);
    assert_false(stale(f, "branch_id", w->b));
    int64_t out = id_of(w, 'B', "o1");
    struct rerr e = {0};
    assert_int_equal(fx_update(&f->x, "outreach", out,
                               json_pack("{s:I,s:s}", "version", (json_int_t)fx_version(f, "outreach", out),
                                         "topic", "普法（改）"),
                               &e),
                     0);
    assert_true(stale(f, "branch_id", w->b));
    assert_true(stale(f, "procuratorate_id", f->county));
    assert_false(stale(f, "branch_id", w->a));
    assert_false(stale(f, "branch_id", w->c));
    assert_false(stale(f, "procuratorate_id", f->city));
    run(f, scheme);
    assert_false(stale(f, "branch_id", w->b));
    assert_false(stale(f, "procuratorate_id", f->county));
    /* a record deleted: C's and 市院's */
    int64_t pil = id_of(w, 'C', "p0");
    assert_int_equal(res_delete(&f->x, res_find("pil-matters"), pil, fx_version(f, "pil-matters", pil), &e),
                     0);
    assert_true(stale(f, "branch_id", w->c));
    assert_true(stale(f, "procuratorate_id", f->city));
    assert_false(stale(f, "branch_id", w->a));
    built_free(w);
}

/* A party group made, moved to another branch or deleted marks its branches' results
 * (before and after) and its procuratorate's stale; the other procuratorate's stay. */
static void a_changed_party_group_makes_results_stale(void **state)
{
    (void)state;
    struct built *w = build("eval-stale-groups", AS_LISTED);
    struct fx *f = w->f;
    int64_t scheme = add_scheme(f, "夹具方案", "重新分配权重");
    run(f, scheme);
    int64_t g = fx_create(f, "party-groups",
                          json_pack("{s:I,s:s}", "branch_id", (json_int_t)w->b, "name", "第一党小组"));
    assert_true(stale(f, "branch_id", w->b));
    assert_true(stale(f, "procuratorate_id", f->county));
    assert_false(stale(f, "branch_id", w->a)); /* the same procuratorate, another branch */
    assert_false(stale(f, "branch_id", w->c));
    assert_false(stale(f, "procuratorate_id", f->city));
    run(f, scheme);
    struct rerr e = {0};
    assert_int_equal(fx_update(&f->x, "party-groups", g,
                               json_pack("{s:I,s:I}", "version", (json_int_t)fx_version(f, "party-groups", g),
                                         "branch_id", (json_int_t)w->a),
                               &e),
                     0);
    assert_true(stale(f, "branch_id", w->a)); /* where it went */
    assert_true(stale(f, "branch_id", w->b)); /* where it was */
    assert_false(stale(f, "branch_id", w->c));
    run(f, scheme);
    assert_int_equal(res_delete(&f->x, res_find("party-groups"), g, fx_version(f, "party-groups", g), &e), 0);
    assert_true(stale(f, "branch_id", w->a));
    assert_false(stale(f, "branch_id", w->b));
    assert_false(stale(f, "procuratorate_id", f->city));
    built_free(w);
}

/* A procuratorate's 述职评议 (适用 = 党支部、检察院): entered for the 旗院 with evidence by its
 * own administrator, 待审核 (not counted) until another administrator approved it, then
 * counted; the 旗院's administrator may not enter one for the 市院, nor for a member (the
 * indicator does not apply to members). */
static void a_procuratorate_hand_value_counts_once_approved(void **state)
{
    (void)state;
    struct built *w = build("eval-manual-subjects", AS_LISTED);
    struct fx *f = w->f;
    int64_t scheme = add_scheme(f, "夹具方案", "重新分配权重");
    int64_t uid = fx_create(f, "users",
                            json_pack("{s:s,s:s,s:s,s:s,s:I}", "username", "qiyuan", "display_name",
                                      "旗院管理员", "password", "Tongliao-pw-2026!", "role", "admin",
                                      "procuratorate_id", (json_int_t)f->county));
    struct actor county = fx_actor(uid, ROLE_ADMIN, f->county, 0, false), two = admin_user(f, "second");
    struct res_ctx x = fx_as(f, &county);
    struct rerr e = {0};
#define VALUE(kind, id)                                                                                      \
    json_pack("{s:s,s:I,s:I,s:s,s:s,s:s,s:s}", "subject_kind", kind, "subject_id", (json_int_t)(id),         \
              "scheme_id", (json_int_t)scheme, "indicator", "述职评议", "period", "2025-Q2", "value", "80",  \
              "evidence_note", "旗院党组述职评议会记录")
    assert_int_equal(fx_try(&x, "eval-manual-values", VALUE("procuratorate", f->city), &e), R_EFORBID);
    assert_int_equal(fx_try(&x, "eval-manual-values", VALUE("member", id_of(w, 'A', "甲")), &e), R_EUNPROC);
    assert_string_equal(e.code, "not_applicable");
    int64_t v = fx_try(&x, "eval-manual-values", VALUE("procuratorate", f->county), &e);
    if (v < 0)
        fail_msg("manual value: %s", e.message);
#undef VALUE
    json_t *row = NULL;
    assert_int_equal(res_get(&f->x, res_find("eval-manual-values"), v, &row, &e), 0);
    assert_int_equal(res_int(row, "procuratorate_id"), f->county);
    assert_true(json_is_null(json_object_get(row, "branch_id"))); /* in no branch */
    assert_string_equal(res_str(row, "status"), "待审核");
    json_decref(row);
    run(f, scheme);
    json_t *qi = explain(f, "procuratorate_id", f->county);
    is(qi, "旗院", "ind.述职评议.pending", "true");
    is(qi, "旗院", "ind.述职评议.value", "缺项");
    is(qi, "旗院", "dim.政治.score", "64.29"); /* (40 × 37.5 + 30 × 100) ÷ 70, as without it */
    json_decref(qi);
    assert_int_equal(approve(f, &county, v, &e), R_EFORBID); /* the one who entered it */
    assert_string_equal(e.code, "same_person");
    assert_int_equal(approve(f, &two, v, &e), 0);
    run(f, scheme);
    qi = explain(f, "procuratorate_id", f->county);
    is(qi, "旗院", "ind.述职评议.pending", "false");
    is(qi, "旗院", "ind.述职评议.value", "80.0000");
    is(qi, "旗院", "dim.政治.score", "69.00"); /* (40 × 37.5 + 30 × 100 + 30 × 80) ÷ 100 = 6900 ÷ 100 */
    json_decref(qi);
    json_t *shi = explain(f, "procuratorate_id", f->city);
    is(shi, "市院", "ind.述职评议.pending", "true"); /* the 市院's own: none entered */
    json_decref(shi);
    built_free(w);
}

/* ------------------------------------------------------------------ determinism */

/* Every explanation of the newest run, keyed by subject name, ids left out: a JSON text
 * per subject, keys sorted. */
static void drop_ids(json_t *v)
{
    if (json_is_object(v)) {
        json_object_del(v, "id");
        json_object_del(v, "run");
        json_object_del(v, "stale");
        const char *k;
        json_t *m;
        json_object_foreach(v, k, m) drop_ids(m);
    } else if (json_is_array(v)) {
        size_t i;
        json_t *m;
        json_array_foreach(v, i, m) drop_ids(m);
    }
}

static json_t *every_result(struct fx *f)
{
    json_t *all = json_object();
    store_stmt *st = store_prepare(f->c, "SELECT subject_kind, subject_id, total, fusion, party, business,"
                                         " linkage, missing, pending, rank_city, rank_level, rank_proc,"
                                         " movement, resonance, resonance_lo, resonance_hi, resonance_n"
                                         " FROM eval_results WHERE run_id = (SELECT max(id) FROM eval_runs)");
    struct rerr e = {0};
    while (store_step(st, &e) == STORE_ROW) {
        json_t *x = explain(f, !strcmp(store_col_text(st, 0), "branch") ? "branch_id" : "procuratorate_id",
                            store_col_int(st, 1));
        json_t *row = json_array();
        for (int i = 2; i <= 16; i++)
            json_array_append_new(
                row, store_col_type(st, i) == STORE_NULL ? json_null() : json_string(store_col_text(st, i)));
        json_object_set_new(x, "row", row);
        drop_ids(x);
        char *text = json_dumps(x, JSON_SORT_KEYS | JSON_COMPACT);
        json_object_set_new(all, json_string_value(json_object_get(json_object_get(x, "subject"), "name")),
                            json_string(text));
        free(text);
        json_decref(x);
    }
    store_done(st);
    return all;
}

static json_t *results_built(const char *name, enum order order)
{
    struct built *w = build(name, order);
    struct fx *f = w->f;
    int64_t scheme = add_scheme(f, "夹具方案", "重新分配权重");
    struct actor one = admin_user(f, "lu-yi"), two = admin_user(f, "lu-er");
    struct rerr e = {0};
    assert_int_equal(approve(f, &two, enter_value(f, &one, scheme, w->a, "88"), &e), 0);
    run(f, scheme);
    json_t *all = every_result(f);
    built_free(w);
    return all;
}

static void the_same_data_in_any_order_gives_the_same_numbers(void **state)
{
    (void)state;
    json_t *listed = results_built("eval-listed", AS_LISTED), *reversed = results_built("eval-rev", REVERSED),
           *shuffled = results_built("eval-shuf", SHUFFLED);
    assert_int_equal(json_object_size(listed), 5); /* three branches, two procuratorates */
    const char *name;
    json_t *text;
    json_object_foreach(listed, name, text)
    {
        const char *r = json_string_value(json_object_get(reversed, name)),
                   *s = json_string_value(json_object_get(shuffled, name));
        if (!r || strcmp(r, json_string_value(text)) != 0)
            fail_msg("%s differs when the records were written in reverse:\n%s\n%s", name,
                     json_string_value(text), r ? r : "(none)");
        if (!s || strcmp(s, json_string_value(text)) != 0)
            fail_msg("%s differs when the records were shuffled:\n%s\n%s", name, json_string_value(text),
                     s ? s : "(none)");
    }
    json_decref(listed);
    json_decref(reversed);
    json_decref(shuffled);
}

int main(void)
{
    password_init(); /* the two administrators who enter and approve a hand value */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_fixture_computes_as_by_hand),
        cmocka_unit_test(missing_counts_at_the_floor),
        cmocka_unit_test(a_changed_record_makes_results_stale),
        cmocka_unit_test(a_changed_party_group_makes_results_stale),
        cmocka_unit_test(a_procuratorate_hand_value_counts_once_approved),
        cmocka_unit_test(the_same_data_in_any_order_gives_the_same_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
