/*
 * Unit tests for src/calc/scheme.c: a hand-built scheme with every kind of scoring rule
 * and a 缺项, whose every number was computed by hand (below, next to each assertion);
 * the errors of a bad scheme with their positions, in file order; limits; the default
 * scheme in docs/schemes/default.scheme.
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

#include "calc/decimal.h"
#include "calc/scheme.h"

static const char *const measure_names[] = {
    "三会一课完成率", "党员出勤率",       "办结案件数", "12309程序性答复及时率",
    "公益诉讼立案数", "党员主办案件占比", "共建成果数", "超期答复数"};
enum { M_SAN, M_CHU, M_CASES, M_12309, M_PIL, M_LED, M_JOINT, M_LATE, N_M };
static const struct expr_catalogue measures = {N_M, measure_names};

static const char *const fixture = "# 测试方案：每种计分规则和一个缺项\n"
                                   "[方案]\n"
                                   "名称 = 测试方案\n"
                                   "说明 = 单元测试用\n"
                                   "缺项 = 重新分配权重\n"
                                   "融合指数 = 0.25 * 党建 + 0.25 * 业务 + 0.5 * 融合\n"
                                   "\n"
                                   "[维度 政治]\n"
                                   "权重 = 30\n"
                                   "分组 = 党建\n"
                                   "[维度 业务]\n"
                                   "权重 = 40\n"
                                   "分组 = 业务\n"
                                   "[维度 协作]\n"
                                   "权重 = 30\n"
                                   "分组 = 融合\n"
                                   "\n"
                                   "[指标 三会一课]\n"
                                   "维度 = 政治\n"
                                   "权重 = 50\n"
                                   "公式 = 三会一课完成率\n"
                                   "计分 = 线性(值, 60%, 100%)\n"
                                   "[指标 出勤]\n"
                                   "维度 = 政治\n"
                                   "权重 = 30\n"
                                   "公式 = 党员出勤率\n"
                                   "计分 = 阈值(值, 80%, 60,\n"
                                   "             90%, 80,\n"
                                   "             95%, 100)\n"
                                   "[指标 述职评议]\n"
                                   "维度 = 政治\n"
                                   "权重 = 20\n"
                                   "手工录入 = 是\n"
                                   "计分 = 值\n"
                                   "【指标 办案】\n"
                                   "维度 ＝ 业务\n"
                                   "权重 = 40\n"
                                   "公式 = 办结案件数\n"
                                   "计分 = 目标(值, 60)\n"
                                   "[指标 答复及时]\n"
                                   "维度 = 业务\n"
                                   "权重 = 30\n"
                                   "公式 = 12309程序性答复及时率\n"
                                   "计分 = 封顶(线性(值, 80%, 95%) + 10, 100)\n"
                                   "[指标 公益诉讼增长]\n"
                                   "维度 = 业务\n"
                                   "权重 = 30\n"
                                   "公式 = 公益诉讼立案数 - 上期(公益诉讼立案数)\n"
                                   "计分 = 60 + 加分(值, 10, 40)\n"
                                   "[指标 党员主办]\n"
                                   "维度 = 协作\n"
                                   "权重 = 50\n"
                                   "公式 = 党员主办案件占比\n"
                                   "计分 = 保底(线性(值, 0.3, 0.8), 20)\n"
                                   "[指标 共建]\n"
                                   "维度 = 协作\n"
                                   "权重 = 30\n"
                                   "公式 = 共建成果数\n"
                                   "计分 = 如果(值 >= 3, 100, 最大(50, 值 * 25))\n"
                                   "[指标 超期]\n"
                                   "维度 = 协作\n"
                                   "权重 = 20\n"
                                   "公式 = 超期答复数\n"
                                   "计分 = 100 + 扣分(值, 5, 30)\n"
                                   "说明 = 每件超期答复扣 5 分，最多扣 30 分\n"
                                   "\n"
                                   "[荣誉 坚强堡垒支部]\n"
                                   "条件 = 总分 >= 80 且 融合指数 >= 70 且 排名 <= 3\n"
                                   "[荣誉 模范支部]\n"
                                   "条件 = 政治 >= 90 或 同频共振 >= 0.6\n"
                                   "\n"
                                   "[信号]\n"
                                   "纪要相似度阈值 = 0.85\n"
                                   "连续全勤月数 = 6\n";

static struct calc_value mv[N_M * 3];

static void fill_measures(void)
{
    for (int i = 0; i < N_M * 3; i++)
        mv[i] = calc_missing();
    mv[M_SAN * 3] = calc_number(0.85);
    mv[M_CHU * 3] = calc_number(0.92);
    mv[M_CASES * 3] = calc_number(42);
    mv[M_12309 * 3] = calc_number(0.9);
    mv[M_PIL * 3] = calc_number(5);
    mv[M_PIL * 3 + EXPR_PREVIOUS] = calc_number(3);
    mv[M_LED * 3] = calc_number(0.35);
    /* 共建成果数 missing: the 缺项 */
    mv[M_LATE * 3] = calc_number(2);
}

/* The fixture's measures into mv, its hand values (述职评议 88, approved) into "manual"
 * (9 entries), and a result to fill. */
static struct scheme_result *fixture_inputs(struct calc_value *manual)
{
    fill_measures();
    for (int i = 0; i < 9; i++)
        manual[i] = calc_missing();
    manual[2] = calc_number(88);
    struct scheme_result *r = malloc(sizeof *r);
    assert_non_null(r);
    return r;
}

static void is(struct calc_value v, const char *want)
{
    char got[CALC_DECIMAL_CAP];
    if (v.missing)
        strcpy(got, "缺项");
    else
        calc_decimal(v.v, 4, got, sizeof got);
    assert_string_equal(got, want);
}

static void isd(double v, const char *want)
{
    is(calc_number(v), want);
}

static struct scheme *parse_ok(const char *text)
{
    struct scheme_errors errs;
    struct scheme *s = scheme_parse(text, strlen(text), &measures, &errs);
    if (!s)
        fail_msg("%d errors, first: %s", errs.n, errs.e[0].message);
    return s;
}

static char *replaced(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    assert_non_null(at);
    size_t n = strlen(text) - strlen(from) + strlen(to);
    char *out = malloc(n + 1);
    size_t k = (size_t)(at - text);
    memcpy(out, text, k);
    strcpy(out + k, to);
    strcat(out, at + strlen(from));
    return out;
}

static void parses_everything(void **state)
{
    (void)state;
    struct scheme *s = parse_ok(fixture);
    assert_string_equal(scheme_name(s), "测试方案");
    assert_string_equal(scheme_description(s), "单元测试用");
    assert_int_equal(scheme_missing_rule(s), SCHEME_REWEIGHT);
    assert_int_equal(scheme_ndims(s), 3);
    assert_string_equal(scheme_dim(s, 1)->name, "业务");
    assert_int_equal(scheme_dim(s, 1)->group, SCHEME_G_BUSINESS);
    assert_int_equal(scheme_dim(s, 2)->line, 14);
    assert_int_equal(scheme_nindicators(s), 9);
    const struct scheme_indicator *ind = scheme_indicator(s, 2);
    assert_string_equal(ind->name, "述职评议");
    assert_true(ind->manual);
    assert_null(ind->formula);
    assert_int_equal(ind->subjects, 1u << SCHEME_BRANCH);
    ind = scheme_indicator(s, 3);
    assert_string_equal(ind->name, "办案");
    assert_int_equal(ind->dim, 1);
    assert_string_equal(expr_text(ind->rule), "目标(值, 60)");
    assert_string_equal(scheme_indicator(s, 8)->description, "每件超期答复扣 5 分，最多扣 30 分");
    assert_string_equal(expr_text(scheme_indicator(s, 1)->rule),
                        "阈值(值, 80%, 60,\n             90%, 80,\n             95%, 100)");
    assert_int_equal(scheme_nhonours(s), 2);
    assert_string_equal(scheme_honour(s, 1)->name, "模范支部");
    assert_int_equal(scheme_nsignals(s), 2);
    assert_true(scheme_signal(s, "纪要相似度阈值", 0.9) == 0.85);
    assert_true(scheme_signal(s, "补录天数", 30) == 30);
    const struct expr_catalogue *rn = scheme_result_names(s);
    /* 总分 … 排名, 政治维度 业务维度 协作维度, 政治 协作 (业务 is the group), 9 indicators */
    assert_int_equal(rn->n, 7 + 3 + 2 + 9);
    assert_string_equal(rn->names[7], "政治维度");
    assert_string_equal(rn->names[10], "政治");
    assert_string_equal(rn->names[11], "协作");
    bool need[N_M * 3] = {0};
    scheme_needs(s, need);
    for (int i = 0; i < N_M * 3; i++)
        assert_int_equal(need[i], i % 3 == EXPR_NOW || i == M_PIL * 3 + EXPR_PREVIOUS);
    scheme_free(s);
}

/* Every number by hand:
 *   三会一课 线性(0.85, 0.6, 1) = (0.85−0.6)/(1−0.6)·100 = 62.5
 *   出勤 阈值(0.92; 0.8→60, 0.9→80, 0.95→100) = 80
 *   述职评议 (hand value, approved) 88
 *   政治 = (50·62.5 + 30·80 + 20·88) / 100 = (3125 + 2400 + 1760)/100 = 72.85
 *   办案 目标(42, 60) = 100·42/60 = 70
 *   答复及时 封顶(线性(0.9, 0.8, 0.95) + 10, 100) = 0.1/0.15·100 + 10 = 76.6667
 *   公益诉讼增长 值 = 5 − 3 = 2, 60 + min(2·10, 40) = 80
 *   业务 = (40·70 + 30·76.6667 + 30·80)/100 = (2800 + 2300 + 2400)/100 = 75
 *   党员主办 保底(线性(0.35, 0.3, 0.8), 20) = 保底(10, 20) = 20
 *   共建 缺项 (共建成果数 missing)
 *   超期 100 + 扣分(2, 5, 30) = 100 − 10 = 90
 *   协作 re-weighted over 50 + 20 = 70: (50·20 + 20·90)/70 = 2800/70 = 40;
 *        weights used 100·50/70 = 71.4286 and 100·20/70 = 28.5714;
 *        contributions 1000/70 = 14.2857 and 1800/70 = 25.7143
 *   总分 = (30·72.85 + 40·75 + 30·40)/100 = (2185.5 + 3000 + 1200)/100 = 63.855
 *   党建 = 72.85, 业务 = 75, 融合 = 40
 *   融合指数 = 0.25·72.85 + 0.25·75 + 0.5·40 = 18.2125 + 18.75 + 20 = 56.9625 */
static void evaluates_by_hand(void **state)
{
    (void)state;
    struct scheme *s = parse_ok(fixture);
    struct calc_value manual[9];
    struct scheme_result *r = fixture_inputs(manual);
    assert_int_equal(scheme_evaluate(s, SCHEME_BRANCH, mv, manual, r), 0);
    const char *scores[9] = {"62.5000", "80.0000", "88.0000", "70.0000", "76.6667",
                             "80.0000", "20.0000", "缺项",    "90.0000"};
    const char *weights[9] = {"50.0000", "30.0000", "20.0000", "40.0000", "30.0000",
                              "30.0000", "71.4286", "0.0000",  "28.5714"};
    const char *contrib[9] = {"31.2500", "24.0000", "17.6000", "28.0000", "23.0000",
                              "24.0000", "14.2857", "0.0000",  "25.7143"};
    for (int i = 0; i < 9; i++) {
        assert_true(r->ind[i].applicable);
        is(r->ind[i].score, scores[i]);
        isd(r->ind[i].weight_used, weights[i]);
        isd(r->ind[i].contribution, contrib[i]);
    }
    is(r->ind[5].value, "2.0000");
    is(r->ind[6].rule, "20.0000"); /* 保底 inside the rule lifts 线性's 10 to 20 */
    assert_true(r->ind[7].missing);
    assert_false(r->ind[7].floored);
    assert_false(r->ind[2].pending);
    is(r->ind[8].rule, "90.0000");
    is(r->dim[0].score, "72.8500");
    is(r->dim[1].score, "75.0000");
    is(r->dim[2].score, "40.0000");
    isd(r->dim[2].indicator_weight_sum, "70.0000");
    isd(r->dim[0].weight_used, "30.0000");
    isd(r->dim[0].contribution, "21.8550");
    isd(r->dim[1].contribution, "30.0000");
    isd(r->dim[2].contribution, "12.0000");
    isd(r->dim[2].group_weight_used, "100.0000");
    is(r->total, "63.8550");
    isd(r->total_weight_sum, "100.0000");
    is(r->group[SCHEME_G_PARTY].score, "72.8500");
    is(r->group[SCHEME_G_BUSINESS].score, "75.0000");
    is(r->group[SCHEME_G_FUSION].score, "40.0000");
    is(r->fusion, "56.9625");
    /* honours: 总分 63.855 < 80; 同频共振 0.7 ≥ 0.6 */
    is(scheme_honour_eval(s, 0, r, calc_number(0.7), calc_number(1)), "0.0000");
    is(scheme_honour_eval(s, 1, r, calc_number(0.7), calc_number(1)), "1.0000");
    is(scheme_honour_eval(s, 1, r, calc_missing(), calc_number(1)), "缺项"); /* 政治 < 90 或 缺项 */
    /* the explanation of a rule and of the fusion index */
    struct calc_value refs[EXPR_MAX_REFS];
    char out[512];
    scheme_rule_values(s, 6, mv, r->ind[6].value, refs);
    expr_describe(scheme_indicator(s, 6)->rule, refs, out, sizeof out);
    assert_string_equal(out, "保底(线性(0.3500, 0.3, 0.8), 20)");
    scheme_formula_values(s, 5, mv, refs);
    expr_describe(scheme_indicator(s, 5)->formula, refs, out, sizeof out);
    assert_string_equal(out, "5.0000 - 3.0000");
    scheme_fusion_values(s, r, refs);
    expr_describe(scheme_fusion(s), refs, out, sizeof out);
    assert_string_equal(out, "0.25 * 72.8500 + 0.25 * 75.0000 + 0.5 * 40.0000");
    scheme_honour_values(s, 0, r, calc_number(0.7), calc_number(1), refs);
    expr_describe(scheme_honour(s, 0)->rule, refs, out, sizeof out);
    assert_string_equal(out, "63.8550 >= 80 且 56.9625 >= 70 且 1.0000 <= 3");
    /* its conditions one by one: 总分 (63.855 < 80) and 融合指数 (56.9625 < 70) miss, 排名 1 ≤ 3 meets */
    const struct scheme_honour *hon = scheme_honour(s, 0);
    assert_int_equal(hon->nconditions, 3);
    assert_string_equal(expr_text(hon->condition[0]), "总分 >= 80");
    assert_string_equal(expr_text(hon->condition[2]), "排名 <= 3");
    is(scheme_condition_eval(s, hon->condition[0], r, calc_number(0.7), calc_number(1)), "0.0000");
    is(scheme_condition_eval(s, hon->condition[1], r, calc_number(0.7), calc_number(1)), "0.0000");
    is(scheme_condition_eval(s, hon->condition[2], r, calc_number(0.7), calc_number(1)), "1.0000");
    is(scheme_condition_eval(s, hon->condition[2], r, calc_number(0.7), calc_number(4)), "0.0000");
    scheme_condition_values(s, hon->condition[1], r, calc_number(0.7), calc_number(1), refs);
    expr_describe(hon->condition[1], refs, out, sizeof out);
    assert_string_equal(out, "56.9625 >= 70");
    /* a rule with 或 at its top is one condition */
    assert_int_equal(scheme_honour(s, 1)->nconditions, 0);

    /* the hand value not approved: 待审核, not counted; 政治 re-weighted over 50 + 30:
     * (3125 + 2400)/80 = 69.0625; 总分 = (30·69.0625 + 3000 + 1200)/100 = 62.71875 */
    manual[2] = calc_missing();
    scheme_evaluate(s, SCHEME_BRANCH, mv, manual, r);
    assert_true(r->ind[2].pending);
    assert_true(r->ind[2].missing);
    is(r->dim[0].score, "69.0625");
    isd(r->ind[0].weight_used, "62.5000");
    isd(r->ind[1].weight_used, "37.5000");
    is(r->total, "62.7188");
    /* a whole dimension missing: 协作 缺项, the total re-weighted over 30 + 40:
     * (2071.875 + 3000)/70 = 72.45536; 融合 group missing, so is the fusion index */
    mv[M_LED * 3] = calc_missing();
    mv[M_LATE * 3] = calc_missing();
    scheme_evaluate(s, SCHEME_BRANCH, mv, NULL, r);
    is(r->dim[2].score, "缺项");
    assert_true(r->dim[2].applicable);
    isd(r->dim[0].weight_used, "42.8571");
    isd(r->dim[1].weight_used, "57.1429");
    is(r->total, "72.4554");
    is(r->group[SCHEME_G_FUSION].score, "缺项");
    is(r->fusion, "缺项");
    /* a subject no indicator applies to */
    scheme_evaluate(s, SCHEME_MEMBER, mv, NULL, r);
    assert_false(r->ind[0].applicable);
    assert_false(r->dim[0].applicable);
    is(r->total, "缺项");
    assert_int_equal(scheme_evaluate(s, 9, mv, NULL, r), -1);
    free(r);
    scheme_free(s);
}

/* 按 60 分计: 共建 counts 60 and the weights stay:
 *   协作 = (50·20 + 30·60 + 20·90)/100 = 46
 *   总分 = (2185.5 + 3000 + 30·46)/100 = 65.655
 *   融合指数 = 18.2125 + 18.75 + 0.5·46 = 59.9625 */
static void evaluates_with_a_floor(void **state)
{
    (void)state;
    char *text = replaced(fixture, "缺项 = 重新分配权重", "缺项 = 按 60 分计");
    struct scheme *s = parse_ok(text);
    assert_int_equal(scheme_missing_rule(s), SCHEME_FLOOR);
    assert_true(scheme_missing_floor(s) == 60);
    struct calc_value manual[9];
    struct scheme_result *r = fixture_inputs(manual);
    scheme_evaluate(s, SCHEME_BRANCH, mv, manual, r);
    assert_true(r->ind[7].missing);
    assert_true(r->ind[7].floored);
    isd(r->ind[7].score_used, "60.0000");
    isd(r->ind[7].weight_used, "30.0000");
    isd(r->ind[7].contribution, "18.0000");
    is(r->dim[2].score, "46.0000");
    is(r->total, "65.6550");
    is(r->fusion, "59.9625");
    /* deterministic: the same inputs, the same bits */
    struct scheme_result *again = malloc(sizeof *again);
    for (int k = 0; k < 20; k++) {
        scheme_evaluate(s, SCHEME_BRANCH, mv, manual, again);
        assert_memory_equal(&again->total.v, &r->total.v, sizeof(double));
        assert_memory_equal(&again->fusion.v, &r->fusion.v, sizeof(double));
    }
    free(again);
    free(r);
    scheme_free(s);
    free(text);
}

static void bad_scheme(const char *text, const char *const *want, int n)
{
    struct scheme_errors errs;
    struct scheme *s = scheme_parse(text, strlen(text), &measures, &errs);
    assert_null(s);
    for (int i = 0; i < errs.n && i < n; i++)
        if (strcmp(errs.e[i].message, want[i]))
            fail_msg("error %d:\n got  %s\n want %s", i, errs.e[i].message, want[i]);
    if (errs.n != n) {
        for (int i = 0; i < errs.n; i++)
            print_message("%s [%s]\n", errs.e[i].message, errs.e[i].code);
        fail_msg("%d errors, want %d", errs.n, n);
    }
}

static void every_error_in_file_order(void **state)
{
    (void)state;
    const char *text = "[方案]\n"                            /* 1 */
                       "名称 = 错误示例\n"                   /* 2 */
                       "缺项 = 不管\n"                       /* 3 */
                       "[维度 政治]\n"                       /* 4 */
                       "权重 = 三十\n"                       /* 5 */
                       "分组 = 党建\n"                       /* 6 */
                       "[维度 业务]\n"                       /* 7 */
                       "权重 = 40\n"                         /* 8 */
                       "分组 = 经济\n"                       /* 9 */
                       "颜色 = 红\n"                         /* 10 */
                       "[指标 三会一课]\n"                   /* 11 */
                       "维度 = 政冶\n"                       /* 12 */
                       "权重 = 100\n"                        /* 13 */
                       "公式 = 三会一课完成律\n"             /* 14 */
                       "计分 = 线性(值, 60%)\n"              /* 15 */
                       "[指标 办案]\n"                       /* 16 */
                       "维度 = 业务\n"                       /* 17 */
                       "权重 = 60\n"                         /* 18 */
                       "手工录入 = 是\n"                     /* 19 */
                       "公式 = 办结案件数\n"                 /* 20 */
                       "计分 = 值\n"                         /* 21 */
                       "权重 = 70\n"                         /* 22 */
                       "[指标 办案]\n"                       /* 23 */
                       "这一行没有等号\n"                    /* 24 */
                       "[指标 出勤]\n"                       /* 25 */
                       "维度 = 业务\n"                       /* 26 */
                       "权重 = 40\n"                         /* 27 */
                       "适用 = 党支部、机关\n"               /* 28 */
                       "[其他]\n"                            /* 29 */
                       "[荣誉 模范支部]\n"                   /* 30 */
                       "条件 = 总分 >= 90 且 出勤率 >= 90\n" /* 31 */
                       "[信号]\n"                            /* 32 */
                       "补录天数 = 三十\n";                  /* 33 */
    const char *const want[] = {
        ("第 3 行第 6 列：\"缺项\" 应为 \"重新分配权重\" 或 \"按 N 分计\"（N 为 0 到 100 的数），却是 "
         "\"不管\""),
        "第 4 行第 5 列：维度 \"政治\" 没有指标",
        "第 5 行第 6 列：权重应为正数，却是 \"三十\"",
        "第 9 行第 6 列：\"分组\" 应为 党建、业务 或 融合，却是 \"经济\"",
        "第 10 行第 1 列：节 [维度] 中没有 \"颜色\" 这一项，可用的有：权重、分组、说明",
        "第 12 行第 6 列：未知维度 \"政冶\"，是否指 \"政治\"？",
        "第 14 行第 6 列：未知指标 \"三会一课完成律\"，是否指 \"三会一课完成率\"？",
        "第 15 行第 6 列：函数 \"线性\" 需要 3 或 4 个参数，这里有 2 个",
        "第 20 行第 1 列：手工录入的指标不写 \"公式\"：它的值由人录入并经第二人审核",
        "第 22 行第 1 列：\"权重\" 在本节中重复（第 18 行已有）",
        "第 23 行第 5 列：指标 \"办案\" 重复（第 16 行已有）",
        "第 24 行第 1 列：此行应为 \"键 = 值\"、节标题 [……] 或以 # 开头的注释",
        "第 25 行第 5 列：指标 \"出勤\" 缺少 \"公式\"（或写 \"手工录入 = 是\"）",
        "第 25 行第 5 列：指标 \"出勤\" 缺少 \"计分\"（如 线性(值, 60%, 100%)）",
        "第 28 行第 10 列：\"适用\" 中的 \"机关\" 不是评价对象，应为 党支部、检察院、党员、党小组",
        "第 29 行第 1 列：未知的节 \"[其他]\"，应为 [方案]、[维度 名称]、[指标 名称]、[荣誉 名称] 或 [信号]",
        "第 31 行第 17 列：未知指标 \"出勤率\"，是否指 \"出勤\"？",
        "第 33 行第 8 列：信号阈值 \"补录天数\" 应为数字，却是 \"三十\"",
    };
    bad_scheme(text, want, (int)(sizeof want / sizeof *want));
}

static void weight_sums_and_structure(void **state)
{
    (void)state;
    const char *const want1[] = {
        "第 4 行第 5 列：各维度的权重之和应为 100，现为 95（政治 30 + 业务 65）",
        "第 7 行第 5 列：维度 \"业务\" 中适用于党员的指标权重之和应为 100，现为 40",
    };
    bad_scheme(
        "[方案]\n名称 = x\n\n[维度 政治]\n权重 = 30\n分组 = 党建\n[维度 业务]\n权重 = 65\n分组 = 业务\n"
        "[指标 a]\n维度 = 政治\n权重 = 100\n公式 = 办结案件数\n计分 = 值\n"
        "[指标 b]\n维度 = 业务\n权重 = 60\n公式 = 办结案件数\n计分 = 值\n"
        "[指标 c]\n维度 = 业务\n权重 = 40\n公式 = 办结案件数\n计分 = 值\n适用 = 党支部，党员\n",
        want1, 2);
    /* no [维度]: the default four, which need indicators */
    const char *const want2[] = {
        "第 1 行第 1 列：维度 \"业务\" 没有指标",
        "第 1 行第 1 列：维度 \"创新\" 没有指标",
        "第 1 行第 1 列：维度 \"协作\" 没有指标",
        "第 2 行第 1 列：[方案] 缺少 \"名称\"",
        ("第 3 行第 5 列：指标名称 \"总分\" 与结果名称（总分、融合指数、党建、业务、融合、同频共振、排名）"
         "重复：荣誉条件中无法区分，请换一个名称"),
        ("第 8 行第 5 列：名称 \"1.5\" 不能用在公式中："
         "名称由汉字、字母、数字和下划线组成，不能是纯数字、\"且\"、\"或\"、\"非\""),
    };
    bad_scheme("\n[方案]\n[指标 总分]\n维度 = 政治\n权重 = 100\n公式 = 办结案件数\n计分 = 值\n[指标 "
               "1.5]\n维度 = 业务\n"
               "权重 = 100\n公式 = 办结案件数\n计分 = 值\n",
               want2, 6);
    const char *const want3[] = {"第 1 行第 1 列：方案文件缺少 [方案] 节（其中写 名称 = ……）",
                                 "第 1 行第 1 列：方案中没有指标（用 [指标 名称] 节写出每个指标）"};
    bad_scheme("# 空的\n", want3, 2);
    const char *const want4[] = {"第 1 行第 1 列：方案文件缺少 [方案] 节（其中写 名称 = ……）",
                                 "第 1 行第 1 列：方案中没有指标（用 [指标 名称] 节写出每个指标）",
                                 "第 2 行第 6 列：不是有效的 UTF-8 文字（方案文件的编码应为 UTF-8）",
                                 "第 3 行第 1 列：\"键 = 值\" 之前应有节标题，如 [方案]"};
    bad_scheme("# x\n名称 = \xFF\n名称 = y\n", want4, 4);
    /* a formula continued on the next line: its error at its place there */
    const char *const want5[] = {"第 5 行第 9 列：未知指标 \"出勤\"，是否指 \"党员出勤率\"？"};
    bad_scheme(
        "[方案]\n名称 = x\n[指标 a]\n公式 = 办结案件数 +\n        出勤\n维度 = 政治\n权重 = 100\n计分 = 值\n"
        "[指标 b]\n维度 = 业务\n权重 = 100\n公式 = 1\n计分 = 值\n[指标 c]\n维度 = 创新\n权重 = 100\n公式 = "
        "1\n"
        "计分 = 值\n[指标 d]\n维度 = 协作\n权重 = 100\n公式 = 1\n计分 = 值\n",
        want5, 1);
}

/* keys may be indented; an indented line that is not a key continues the value */
static void indented_keys(void **state)
{
    (void)state;
    struct scheme *s = parse_ok("[方案]\n  名称 = 缩进\n[维度 政治]\n  权重 = 100\n  分组 = 党建\n"
                                "[指标 a]\n  维度 = 政治\n  权重 = 100\n  公式 = 办结案件数\n"
                                "     + 1\n  计分 = 值\n  [荣誉 h]\n  条件 = 总分 >= 1 且\n     总分 <= 2\n"
                                "  [信号]\n  x = 1\n  y = 2\n");
    assert_string_equal(scheme_name(s), "缩进");
    assert_string_equal(expr_text(scheme_indicator(s, 0)->formula), "办结案件数\n     + 1");
    assert_string_equal(expr_text(scheme_honour(s, 0)->rule), "总分 >= 1 且\n     总分 <= 2");
    assert_int_equal(scheme_nsignals(s), 2);
    scheme_free(s);
}

static void limits(void **state)
{
    (void)state;
    struct scheme_errors errs;
    char *big = malloc(SCHEME_MAX_TEXT + 2);
    memset(big, '#', SCHEME_MAX_TEXT + 1);
    big[SCHEME_MAX_TEXT + 1] = 0;
    assert_null(scheme_parse(big, SCHEME_MAX_TEXT + 1, &measures, &errs));
    assert_int_equal(errs.n, 1);
    assert_string_equal(errs.e[0].message, "第 1 行第 1 列：方案文件过大（262145 字节，最多 262144 字节）");
    /* 201 indicators: one error at the 201st; 150 bad lines: 100 errors and the count of the rest */
    size_t k = (size_t)sprintf(big, "[方案]\n名称 = x\n");
    for (int i = 0; i < 201; i++)
        k += (size_t)sprintf(big + k, "[指标 i%d]\n维度 = 政治\n权重 = 1\n公式 = 1\n计分 = 值\n", i);
    assert_null(scheme_parse(big, k, &measures, &errs));
    int found = 0;
    for (int i = 0; i < errs.n; i++)
        if (!strcmp(errs.e[i].code, "too_many")) {
            assert_string_equal(errs.e[i].message, "第 1003 行第 5 列：指标过多（最多 200 个）");
            found++;
        }
    assert_int_equal(found, 1);
    k = (size_t)sprintf(big, "[方案]\n名称 = x\n");
    for (int i = 0; i < 150; i++)
        k += (size_t)sprintf(big + k, "?\n");
    assert_null(scheme_parse(big, k, &measures, &errs));
    assert_int_equal(errs.n, SCHEME_MAX_ERRORS);
    assert_true(errs.more > 50);
    assert_int_equal(errs.e[0].line, 1); /* the default dimensions have no indicators */
    free(big);
}

static void default_scheme_is_valid(void **state)
{
    (void)state;
    static const char *const names[] = {"三会一课完成率",
                                        "党员出勤率",
                                        "主题党日次数",
                                        "党员学习次数",
                                        "办结案件数",
                                        "三必评平均分",
                                        "12309程序性答复及时率",
                                        "12309办结率",
                                        "公益诉讼立案数",
                                        "普法宣传次数",
                                        "党员主办案件占比",
                                        "关联业务组织生活占比",
                                        "四同步同步率",
                                        "工作法要素佐证率",
                                        "共建成果数",
                                        "荣誉数"};
    struct expr_catalogue cat = {16, names};
    FILE *f = fopen("docs/schemes/default.scheme", "rb");
    assert_non_null(f);
    static char text[SCHEME_MAX_TEXT];
    size_t n = fread(text, 1, sizeof text, f);
    fclose(f);
    struct scheme_errors errs;
    struct scheme *s = scheme_parse(text, n, &cat, &errs);
    if (!s)
        fail_msg("%s", errs.e[0].message);
    assert_int_equal(scheme_ndims(s), 4);
    assert_true(scheme_nindicators(s) >= 16);
    scheme_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_everything),
        cmocka_unit_test(evaluates_by_hand),
        cmocka_unit_test(evaluates_with_a_floor),
        cmocka_unit_test(every_error_in_file_order),
        cmocka_unit_test(weight_sums_and_structure),
        cmocka_unit_test(indented_keys),
        cmocka_unit_test(limits),
        cmocka_unit_test(default_scheme_is_valid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
