/*
 * Unit tests for src/domain/eval_signals.c: the formalism signals a run raises from a
 * hand-built ledger, with thresholds from the scheme, and a rerun keeping a review.
 *
 * Two branches in 2025: 旗院党支部 (the fixture's) and 市院党支部 (the city's).
 *   纪要雷同: 市院党支部's 03-10 minutes and 旗院党支部's 08-12 copy of them (its
 *     secretary's name changed), and an unrelated minutes of 旗院党支部 on 05-06;
 *   全勤异常: 旗院党支部's monthly meetings of 2025-01..07, each with its two members
 *     present (seven perfect months, no month outside: the reference rate 0.9 gives
 *     p = min(1, (7-7+1) · 0.9^14) = 0.2288 — flagged only under a 全勤概率上限 ≥ that);
 *   补录: three 市院党支部 meetings entered 40 days after they were held (补录天数 30);
 *   突击: six 市院党支部 meetings of 12-10..15 entered on 12-29 (window 12-25..12-31,
 *     nothing in the baseline);
 *   要素无佐证: four element checks of 旗院党支部, three without evidence (share 0.75).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <string.h>

#include "domain/eval_internal.h"
#include "domain/evaluation.h"
#include "fixture.h"

static const char *const COPIED =
    "2025年3月10日，支部召开党员大会，书记张明主持会议。一、集中学习了《中国共产党支部"
    "工作条例（试行）》第三章，围绕如何把党建优势转化为办案质效展开讨论。二、通报本季度"
    "办结案件四十二件，其中党员主办三十件，一案一专班运行顺畅。三、会议决定下月开展主题"
    "党日活动，由组织委员负责筹备。四、与会党员结合岗位逐一发言，查摆了理论学习不够系统、服务群众"
    "主动性不强等问题，并逐条提出整改措施。五、会议要求各党小组对本季度未结案件逐件过筛，确保按期办结，"
    "同时做好十二三零九检察服务中心来访接待工作。";

static int64_t meeting(struct fx *f, int64_t branch, const char *kind, const char *day, const char *minutes)
{
    json_t *b = json_pack("{s:I,s:s,s:s,s:s}", "branch_id", (json_int_t)branch, "kind", kind, "held_on", day,
                          "topic", kind);
    if (minutes)
        json_object_set_new(b, "minutes", json_string(minutes));
    return fx_create(f, "activities", b);
}

static void sql(struct fx *f, const char *text)
{
    store_stmt *st;
    struct rerr e = {0};
    if (store_prepare_built(f->c, text, &st, &e) < 0 || store_step(st, &e) < 0)
        fail_msg("%s: %s", text, e.message);
    store_done(st);
}

/* Every record as if entered the day after it describes; then the exceptions. */
static void entered(struct fx *f)
{
    sql(f, "UPDATE activities SET created_at = date(held_on, '+1 day') || 'T02:00:00.000Z'");
    sql(f, "UPDATE element_checks SET created_at = date(checked_on, '+1 day') || 'T02:00:00.000Z'");
}

static int64_t new_scheme(struct fx *f, const char *signals)
{
    char text[2048];
    snprintf(
        text, sizeof text,
        "[方案]\n名称 = 信号%d\n[维度 政治]\n权重 = 100\n分组 = 党建\n[指标 出勤]\n维度 = 政治\n权重 = 100\n"
        "公式 = 党员出勤率\n计分 = 线性(值, 60%%, 100%%)\n[信号]\n%s",
        (int)(fx_audit_count(f) % 100000), signals);
    return fx_create(f, "eval-schemes",
                     json_pack("{s:I,s:s,s:s}", "procuratorate_id", (json_int_t)f->city, "name", "信号方案",
                               "text", text));
}

/* The rows of "table" (eval_signals when NULL) that "where" holds of. */
static int count_in(struct fx *f, const char *table, const char *where)
{
    char q[512];
    snprintf(q, sizeof q, "SELECT count(*) FROM %s WHERE %s", table ? table : "eval_signals", where);
    store_stmt *st = store_prepare(f->c, q);
    store_step(st, NULL);
    int n = (int)store_col_int(st, 0);
    store_done(st);
    return n;
}

static int count(struct fx *f, const char *where)
{
    return count_in(f, NULL, where);
}

struct world {
    int64_t city_branch, original, copy, late[3], jia, yi;
};

static void build(struct fx *f, struct world *w)
{
    w->city_branch = fx_create(f, "branches",
                               json_pack("{s:I,s:s,s:s}", "procuratorate_id", (json_int_t)f->city, "name",
                                         "市院党支部", "kind", "党支部"));
    w->jia = fx_create(f, "members",
                       json_pack("{s:s,s:I,s:s}", "name", "甲", "branch_id", (json_int_t)f->branch,
                                 "joined_party", "2010-01-01"));
    w->yi = fx_create(f, "members",
                      json_pack("{s:s,s:I,s:s}", "name", "乙", "branch_id", (json_int_t)f->branch,
                                "joined_party", "2010-01-01"));
    w->original = meeting(f, w->city_branch, "支部党员大会", "2025-03-10", COPIED);
    char copy[1024];
    snprintf(copy, sizeof copy, "%s", COPIED);
    char *at = strstr(copy, "张明");
    memcpy(at, "李强", strlen("李强"));
    memcpy(copy, "2025年8月12日", strlen("2025年8月12日"));
    w->copy = meeting(f, f->branch, "支部党员大会", "2025-08-12", copy);
    meeting(
        f, f->branch, "支部党员大会", "2025-05-06",
        "支部召开党员大会，研究发展党员工作，讨论确定入党积极分子两名，并对下半年公益诉讼线索排查作出安排。");
    for (int m = 1; m <= 7; m++) {
        char day[16];
        snprintf(day, sizeof day, "2025-%02d-20", m);
        int64_t a = meeting(f, f->branch, "支委会", day, NULL);
        fx_create(f, "attendance",
                  json_pack("{s:I,s:I,s:s}", "activity_id", (json_int_t)a, "member_id", (json_int_t)w->jia,
                            "status", "出席"));
        fx_create(f, "attendance",
                  json_pack("{s:I,s:I,s:s}", "activity_id", (json_int_t)a, "member_id", (json_int_t)w->yi,
                            "status", "出席"));
    }
    const char *late_days[] = {"2025-04-02", "2025-04-09", "2025-04-16"};
    for (int i = 0; i < 3; i++)
        w->late[i] = meeting(f, w->city_branch, "党课", late_days[i], NULL);
    for (int i = 0; i < 6; i++) {
        char day[16];
        snprintf(day, sizeof day, "2025-12-%02d", 10 + i);
        meeting(f, w->city_branch, "主题党日", day, NULL);
    }
    int64_t brand =
        fx_create(f, "brands", json_pack("{s:I,s:s}", "branch_id", (json_int_t)f->branch, "name", "品牌"));
    int64_t method =
        fx_create(f, "methods", json_pack("{s:I,s:s}", "brand_id", (json_int_t)brand, "name", "工作法"));
    for (int i = 0; i < 4; i++) {
        char label[16], period[16], day[16];
        snprintf(label, sizeof label, "要素%d", i);
        snprintf(period, sizeof period, "2025-%02d", 2 + i);
        snprintf(day, sizeof day, "2025-%02d-25", 2 + i);
        int64_t el = fx_create(f, "method-elements",
                               json_pack("{s:I,s:s}", "method_id", (json_int_t)method, "label", label));
        int64_t check = fx_create(f, "element-checks",
                                  json_pack("{s:I,s:I,s:s,s:s}", "element_id", (json_int_t)el, "branch_id",
                                            (json_int_t)f->branch, "period", period, "checked_on", day));
        if (i == 0)
            fx_create(f, "element-evidence",
                      json_pack("{s:I,s:s,s:I}", "check_id", (json_int_t)check, "item_coll", "activities",
                                "item_id", (json_int_t)w->copy));
    }
    entered(f);
    char q[256];
    for (int i = 0; i < 3; i++) {
        snprintf(q, sizeof q,
                 "UPDATE activities SET created_at = date(held_on, '+40 days') || 'T02:00:00.000Z' WHERE id "
                 "= %lld",
                 (long long)w->late[i]);
        sql(f, q);
    }
    snprintf(q, sizeof q,
             "UPDATE activities SET created_at = '2025-12-29T03:00:00.000Z' WHERE kind = '主题党日' AND "
             "branch_id = %lld",
             (long long)w->city_branch);
    sql(f, q);
}

static void run(struct fx *f, int64_t s)
{
    struct rerr e = {0};
    json_t *summary = NULL;
    if (eval_run(&f->x, s, "2025", NULL, &summary, &e) < 0)
        fail_msg("run: %s", e.message);
    json_decref(summary);
}

static void each_kind_from_the_ledgers(void **state)
{
    struct fx *f = *state;
    struct world w;
    build(f, &w);
    run(f, new_scheme(f, "全勤概率上限 = 0.3\n"));
    if (getenv("SIGNALS_DUMP")) {
        store_stmt *st = store_prepare(f->c, "SELECT kind, branch_id, summary, detail FROM eval_signals");
        while (store_step(st, NULL) == STORE_ROW)
            print_message("%s %lld %s %s\n", store_col_text(st, 0), (long long)store_col_int(st, 1),
                          store_col_text(st, 2), store_col_text(st, 3));
        store_done(st);
    }
    assert_int_equal(count(f, "kind = '纪要雷同'"), 1);
    char q[256];
    snprintf(q, sizeof q,
             "kind = '纪要雷同' AND branch_id = %lld AND records LIKE '%%\"id\":%lld,%%'"
             " AND records LIKE '%%\"id\":%lld,%%' AND detail LIKE '%%\"passages\":[{%%'",
             (long long)f->branch, (long long)w.original, (long long)w.copy);
    assert_int_equal(count(f, q), 1); /* the copy's branch, both records, the passages */
    snprintf(q, sizeof q, "kind = '全勤异常' AND branch_id = %lld AND detail LIKE '%%\"streak\":7%%'",
             (long long)f->branch);
    assert_int_equal(count(f, q), 1);
    snprintf(q, sizeof q, "kind = '补录' AND branch_id = %lld AND detail LIKE '%%\"late\":3,%%'",
             (long long)w.city_branch);
    assert_int_equal(count(f, q), 1);
    snprintf(q, sizeof q, "kind = '突击' AND branch_id = %lld AND detail LIKE '%%\"in_window\":6,%%'",
             (long long)w.city_branch);
    assert_int_equal(count(f, q), 1);
    snprintf(q, sizeof q,
             "kind = '要素无佐证' AND branch_id = %lld AND detail LIKE '%%\"without_evidence\":3,%%'",
             (long long)f->branch);
    assert_int_equal(count(f, q), 1);
    assert_int_equal(count(f, "status = '待审核' AND period = '2025'"), 5);
}

static void thresholds_are_the_schemes(void **state)
{
    struct fx *f = *state;
    struct world w;
    build(f, &w);
    /* the default 全勤概率上限 0.05 keeps p = 0.2288 from being flagged; the others raised */
    run(f, new_scheme(f, "纪要相似度阈值 = 0.99\n补录天数 = 45\n突击最少条数 = 7\n要素无佐证占比 = 0.8\n"));
    assert_int_equal(count(f, "1"), 0);
    /* a threshold out of its range: the scheme is refused where it says so, so that no
     * run meets it */
    struct rerr e = {0};
    const char *bad =
        "[方案]\n名称 = 坏阈值\n[维度 政治]\n权重 = 100\n分组 = 党建\n[指标 出勤]\n维度 = 政治\n"
        "权重 = 100\n公式 = 党员出勤率\n计分 = 值\n[信号]\n补录天数 = 30\n纪要相似度阈值 = 2\n";
    int64_t id = fx_try(
        &f->x, "eval-schemes",
        json_pack("{s:I,s:s,s:s}", "procuratorate_id", (json_int_t)f->city, "name", "坏阈值", "text", bad),
        &e);
    assert_int_equal(id, R_EINVAL);
    assert_string_equal(e.code, "bad_scheme");
    assert_non_null(strstr(e.message, "第 13 行第 1 列：方案 [信号] 中“纪要相似度阈值”应为"));
    json_t *check = eval_scheme_check(bad);
    assert_false(json_is_true(json_object_get(check, "ok")));
    json_t *first = json_array_get(json_object_get(check, "errors"), 0);
    assert_int_equal(json_integer_value(json_object_get(first, "line")), 13);
    assert_string_equal(json_string_value(json_object_get(first, "code")), "bad_threshold");
    json_decref(check);
    /* the defaults, where a scheme sets nothing, are in range; each range is checked */
    struct scheme *none = NULL;
    char good[512];
    snprintf(good, sizeof good, "%.*s", (int)(strstr(bad, "补录天数") - bad), bad); /* [信号] empty */
    assert_int_equal(eval_scheme_compile(good, &none, NULL, &e), 0);
    struct eval_signal_thresholds t;
    eval_signal_thresholds(none, &t);
    scheme_free(none);
    assert_true(t.similarity == 0.8 && t.streak_months == 6 && t.late_days == 30 && t.burst_days == 7 &&
                t.burst_baseline == 60 && t.burst_lag == 7 && t.burst_offset == 0 && t.bare_min == 3);
    assert_int_equal(eval_signal_thresholds_check(&t, &e), 0);
    struct eval_signal_thresholds u = t;
    u.burst_days = 0;
    assert_int_equal(eval_signal_thresholds_check(&u, &e), R_EINVAL);
    assert_non_null(strstr(e.message, "突击天数"));
    u = t;
    u.streak_months = 13;
    assert_int_equal(eval_signal_thresholds_check(&u, &e), R_EINVAL);
    assert_non_null(strstr(e.message, "连续全勤月数"));
}

static void a_rerun_keeps_the_review(void **state)
{
    struct fx *f = *state;
    struct world w;
    build(f, &w);
    int64_t s = new_scheme(f, "全勤概率上限 = 0.3\n");
    run(f, s);
    store_stmt *st = store_prepare(f->c, "SELECT id, version FROM eval_signals WHERE kind = '补录'");
    assert_int_equal(store_step(st, NULL), STORE_ROW);
    int64_t id = store_col_int(st, 0), version = store_col_int(st, 1);
    store_done(st);
    struct rerr e = {0};
    json_t *out = NULL;
    /* 已核实 needs a note; a stale version is refused; nothing changes meanwhile */
    json_t *body = json_pack("{s:s,s:I}", "decision", "已核实", "version", (json_int_t)version);
    assert_int_equal(eval_signal_review(&f->x, id, body, &out, &e), R_EINVAL);
    assert_string_equal(e.field, "note");
    json_decref(body);
    body = json_pack("{s:s,s:s,s:I}", "decision", "属实", "note", "", "version", (json_int_t)version + 1);
    assert_int_equal(eval_signal_review(&f->x, id, body, &out, &e), R_ECONFLICT);
    json_decref(body);
    int64_t audits = fx_audit_count(f);
    body = json_pack("{s:s,s:s,s:I}", "decision", "已核实", "note", "会议记录系事后整理，已核对原始签到表",
                     "version", (json_int_t)version);
    assert_int_equal(eval_signal_review(&f->x, id, body, &out, &e), 0);
    json_decref(body);
    assert_string_equal(json_string_value(json_object_get(out, "status")), "已核实");
    json_decref(out);
    assert_int_equal(fx_audit_count(f), audits + 1);
    /* the copy is rewritten: its 纪要雷同 (pending) goes with the rerun; the review stays */
    char q[256];
    snprintf(q, sizeof q,
             "UPDATE activities SET minutes = '本次会议另行记录，内容与以往不同。' WHERE id = %lld",
             (long long)w.copy);
    sql(f, q);
    run(f, s);
    assert_int_equal(count(f, "kind = '纪要雷同'"), 0);
    snprintf(q, sizeof q, "id = %lld AND status = '已核实' AND note LIKE '会议记录%%'", (long long)id);
    assert_int_equal(count(f, q), 1);
    assert_int_equal(count(f, "kind = '补录'"), 1);
}

/* Detection alone, as a run ends, with scheme "s" for 2025 and the last run's id (its
 * signals stay): nothing is kept again first, as a run would. */
static void detect(struct fx *f, int64_t s)
{
    store_stmt *st = store_prepare(
        f->c, "SELECT e.text, (SELECT max(id) FROM eval_runs) FROM eval_schemes e WHERE e.id = ?");
    store_bind_int(st, 1, s);
    assert_int_equal(store_step(st, NULL), STORE_ROW);
    char *text = strdup(store_col_text(st, 0));
    int64_t run_id = store_col_int(st, 1);
    store_done(st);
    struct scheme *compiled = NULL;
    struct eval_period p;
    struct rerr e = {0};
    assert_int_equal(eval_scheme_compile(text, &compiled, NULL, &e), 0);
    free(text);
    assert_int_equal(eval_period_parse("2025", &p, &e), 0);
    if (eval_signals_detect(&f->x, compiled, &p, run_id, &e) < 0)
        fail_msg("detect: %s", e.message);
    scheme_free(compiled);
}

/* The months of 党员出勤率 that "where" holds of kept whole (no branch of theirs marked
 * changed: migration 023). */
static int kept_months(struct fx *f, const char *where)
{
    char q[384];
    snprintf(q, sizeof q,
             "measure = '党员出勤率' AND %s AND NOT EXISTS (SELECT 1 FROM eval_pairs_dirty d"
             " WHERE d.month = eval_pairs.month AND d.measure = eval_pairs.measure)",
             where);
    return count_in(f, "eval_pairs", q);
}

/* 全勤异常 reads the monthly pairs of 党员出勤率 a run keeps (migration 019); a branch's
 * month marked changed since (a record of it changed: migration 023) is computed from the
 * ledgers. Here one absence in March marks March; detection then finds 01..02 and 04..07 perfect
 * and March at 1 of 2: the longest run 04..07 (four months), the rate outside it
 * (2 + 2 + 1) / 6 = 0.8333, p = min(1, (7 - 4 + 1) · 0.8333^8) = 0.9302. */
static void a_stale_month_is_computed(void **state)
{
    struct fx *f = *state;
    struct world w;
    build(f, &w);
    run(f, new_scheme(f, "全勤概率上限 = 0.3\n"));
    assert_int_equal(count(f, "kind = '全勤异常' AND detail LIKE '%\"streak\":7%'"), 1);
    assert_int_equal(kept_months(f, "month BETWEEN '2025-01' AND '2025-07'"), 7);
    char q[256];
    snprintf(q, sizeof q,
             "UPDATE attendance SET status = '缺席', reason = '病假' WHERE member_id = %lld AND activity_id ="
             " (SELECT id FROM activities WHERE held_on = '2025-03-20')",
             (long long)w.yi);
    sql(f, q);
    assert_int_equal(kept_months(f, "month = '2025-03'"), 0);
    assert_int_equal(kept_months(f, "month BETWEEN '2025-01' AND '2025-07'"), 6);
    detect(f, new_scheme(f, "全勤概率上限 = 1\n连续全勤月数 = 4\n"));
    assert_int_equal(count(f, "kind = '全勤异常' AND detail LIKE '%\"from\":\"2025-04\",\"to\":\"2025-07\","
                              "\"streak\":4,\"attendances\":8,\"rate\":\"0.8333\"%'"),
                     1);
    assert_int_equal(count(f, "kind = '全勤异常' AND detail LIKE '%\"month\":\"2025-03\",\"expected\":2,"
                              "\"present\":1%'"),
                     1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(each_kind_from_the_ledgers, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(thresholds_are_the_schemes, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(a_rerun_keeps_the_review, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(a_stale_month_is_computed, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
