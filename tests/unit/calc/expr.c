/*
 * Unit tests for src/calc/expr.c: the formula language, every function with values
 * computed by hand, missing propagation, every error with its exact Chinese message and
 * position, the limits and determinism.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc/decimal.h"
#include "calc/expr.h"

static const char *const names[] = {
    "三会一课完成率", "党员出勤率", "12309程序性答复及时率", "办结案件数", "值", "a", "b", "m"};
enum { N_NAMES = 8, I_SAN = 0, I_CHU, I_12309, I_CASES, I_VAL, I_A, I_B, I_M };
static const struct expr_catalogue cat = {N_NAMES, names};

/* values by (name, shift); "m" and every unset one are missing */
static struct calc_value vals[N_NAMES * 3];

static void setup_vals(void)
{
    for (int i = 0; i < N_NAMES * 3; i++)
        vals[i] = calc_missing();
    vals[I_SAN * 3] = calc_number(0.85);
    vals[I_SAN * 3 + EXPR_PREVIOUS] = calc_number(0.8);
    vals[I_SAN * 3 + EXPR_YEAR_AGO] = calc_number(0.7);
    vals[I_CHU * 3] = calc_number(0.92);
    vals[I_12309 * 3] = calc_number(0.975);
    vals[I_CASES * 3] = calc_number(42);
    vals[I_VAL * 3] = calc_number(0.9);
    vals[I_A * 3] = calc_number(3);
    vals[I_B * 3] = calc_number(-2);
}

static struct calc_value eval_text(const char *text, struct expr **keep)
{
    struct expr_error err;
    struct expr *e = expr_compile(text, strlen(text), &cat, 1, 1, &err);
    if (!e)
        fail_msg("%s: %s", text, err.message);
    struct calc_value refs[EXPR_MAX_REFS];
    for (int i = 0; i < expr_nrefs(e); i++) {
        const struct expr_ref *r = expr_ref_at(e, i);
        refs[i] = vals[r->name * 3 + r->shift];
    }
    struct calc_value v = expr_eval(e, refs);
    if (keep)
        *keep = e;
    else
        expr_free(e);
    return v;
}

/* "text" evaluates to "want" (4 places, or "缺项") */
static void is(const char *text, const char *want)
{
    struct calc_value v = eval_text(text, NULL);
    char got[CALC_DECIMAL_CAP];
    if (v.missing)
        strcpy(got, "缺项");
    else
        calc_decimal(v.v, 4, got, sizeof got);
    if (strcmp(got, want))
        fail_msg("%s: got %s, want %s", text, got, want);
}

/* "text" does not compile, with exactly "message" at "line", "col" and "code" */
static void bad_at(const char *text, size_t len, int line, int col, const char *code, const char *message)
{
    struct expr_error err;
    struct expr *e = expr_compile(text, len, &cat, line, col, &err);
    if (e)
        fail_msg("%s: compiled", text);
    if (strcmp(err.message, message) || strcmp(err.code, code))
        fail_msg("%s:\n got  %s [%s]\n want %s [%s]", text, err.message, err.code, message, code);
    char pos[64];
    snprintf(pos, sizeof pos, "第 %d 行第 %d 列：", err.line, err.col);
    assert_int_equal(strncmp(err.message, pos, strlen(pos)), 0);
}

static void bad(const char *text, const char *code, const char *message)
{
    bad_at(text, strlen(text), 1, 1, code, message);
}

static void arithmetic_and_numbers(void **state)
{
    (void)state;
    setup_vals();
    is("1 + 2 * 3", "7.0000");
    is("(1 + 2) * 3", "9.0000");
    is("10 / 4 - 1", "1.5000");
    is("-a + 5", "2.0000");
    is("- -a", "3.0000");
    is("a * b", "-6.0000");
    is("95%", "0.9500");
    is("12.5%", "0.1250");
    is("0.85", "0.8500");
    is("三会一课完成率 * 100", "85.0000");
    is("12309程序性答复及时率", "0.9750");
    is("（1 + 2） × 3 ÷ 2", "4.5000"); /* full-width parentheses and × ÷ */
    is("最大（a，b）", "3.0000");      /* full-width comma */
    is("1 / 0", "缺项");               /* a rate with no denominator */
    is("a / (b + 2)", "缺项");
    is("1000000000000000 * 1000000000000000 * 1000000000000000 * 1000000000000000 * 1000000000000000 * "
       "1000000000000000 * 1000000000000000 * 1000000000000000 * 1000000000000000 * 1000000000000000 * "
       "1000000000000000 * 1000000000000000 * 1000000000000000 * 1000000000000000 * 1000000000000000 * "
       "1000000000000000 * 1000000000000000 * 1000000000000000 * 1000000000000000 * 1000000000000000 * "
       "1000000000000000 * 1000000000000000",
       "缺项"); /* overflow is not a number */
}

static void comparisons_and_logic(void **state)
{
    (void)state;
    setup_vals();
    is("a > b", "1.0000");
    is("a < b", "0.0000");
    is("a >= 3", "1.0000");
    is("a ≥ 3 且 b ≤ -2", "1.0000");
    is("a <= 2", "0.0000");
    is("a = 3", "1.0000");
    is("a == 3", "1.0000");
    is("a != 3", "0.0000");
    is("a ≠ 3", "0.0000");
    is("a <> 3", "0.0000");
    is("a ＞ 2", "1.0000");
    is("非 (a > 2)", "0.0000");
    is("!(a > 2)", "0.0000");
    is("a > 2 && b > 0", "0.0000");
    is("a > 2 || b > 0", "1.0000");
    is("a > 5 或 b < 0 且 a = 3", "1.0000"); /* 且 binds tighter than 或 */
    /* missing: comparisons give missing; 且/或 only when the other side does not decide */
    is("m > 1", "缺项");
    is("非 m", "缺项");
    is("m > 1 且 a > 5", "0.0000");
    is("m > 1 且 a > 2", "缺项");
    is("m > 1 或 a > 2", "1.0000");
    is("m > 1 或 a > 5", "缺项");
}

static void functions(void **state)
{
    (void)state;
    setup_vals();
    /* 线性: 0 at or below 下限, 满分 at or above 上限, linear between */
    is("线性(三会一课完成率, 60%, 100%)", "62.5000"); /* (0.85-0.6)/(1-0.6)·100 */
    is("线性(0.5, 60%, 100%)", "0.0000");
    is("线性(0.6, 60%, 100%)", "0.0000");
    is("线性(1.2, 60%, 100%)", "100.0000");
    is("线性(0.8, 0.6, 1, 20)", "10.0000");
    is("线性(5, 10, 0)", "50.0000"); /* lower is better: (10-5)/(10-0)·100 */
    is("线性(12, 10, 0)", "0.0000");
    is("线性(-1, 10, 0)", "100.0000");
    is("线性(3, 3, 3)", "100.0000"); /* equal bounds: a step at the bound */
    is("线性(2.9, 3, 3)", "0.0000");
    /* 目标 */
    is("目标(42, 40)", "100.0000");
    is("目标(办结案件数, 60)", "70.0000"); /* 100·42/60 */
    is("目标(30, 40, 10)", "7.5000");
    is("目标(-5, 40)", "0.0000");
    is("目标(-5, 0)", "缺项");
    /* 阈值 */
    is("阈值(0.85, 60%, 60, 80%, 80, 90%, 100)", "80.0000");
    is("阈值(0.5, 60%, 60, 80%, 80, 90%, 100)", "0.0000");
    is("阈值(0.9, 60%, 60, 80%, 80, 90%, 100)", "100.0000");
    is("阈值(0.6, 60%, 60)", "60.0000");
    is("阈值(a, b, 10, a, 20)", "20.0000");
    is("阈值(a, a, 10, b, 20)", "缺项"); /* computed thresholds that do not ascend */
    /* 封顶, 保底, 加分, 扣分 */
    is("封顶(120, 100)", "100.0000");
    is("封顶(80, 100)", "80.0000");
    is("保底(-5, 0)", "0.0000");
    is("保底(5, 0)", "5.0000");
    is("加分(3, 2, 5)", "5.0000");
    is("加分(2, 2, 5)", "4.0000");
    is("扣分(2, 1.5, 5)", "-3.0000");
    is("扣分(10, 1.5, 5)", "-5.0000");
    /* 最小, 最大 ignore missing operands */
    is("最小(a, b, 7)", "-2.0000");
    is("最大(a, b, 7)", "7.0000");
    is("最大(m, a)", "3.0000");
    is("最小(m, m)", "缺项");
    is("最大(a)", "3.0000");
    /* 如果, 缺项时 */
    is("如果(a > 2, 10, 20)", "10.0000");
    is("如果(a > 5, 10, 20)", "20.0000");
    is("如果(a > 2, 10, m)", "10.0000");
    is("如果(m, 10, 20)", "缺项");
    is("缺项时(m, 60)", "60.0000");
    is("缺项时(a, 60)", "3.0000");
    is("缺项时(m + 1, 0) + 1", "1.0000");
    /* 上期, 去年同期 */
    is("三会一课完成率 - 上期(三会一课完成率)", "0.0500");
    is("(三会一课完成率 - 去年同期(三会一课完成率)) / 去年同期(三会一课完成率)", "0.2143");
    is("上期(党员出勤率)", "缺项");
    /* missing propagates through arithmetic and the other functions */
    is("m + 1", "缺项");
    is("-m", "缺项");
    is("线性(m, 0, 1)", "缺项");
    is("目标(a, m)", "缺项");
    is("阈值(m, 1, 10)", "缺项");
    is("封顶(m, 1)", "缺项");
    is("加分(m, 1, 5)", "缺项");
    is("值 * 100", "90.0000");
}

static void references(void **state)
{
    (void)state;
    struct expr_error err;
    const char *t = "a + 上期(a) + b * a + 去年同期(a) + 上期(a) + 三会一课完成率";
    struct expr *e = expr_compile(t, strlen(t), &cat, 1, 1, &err);
    assert_non_null(e);
    assert_int_equal(expr_nrefs(e), 5);
    int want[5][2] = {
        {I_A, EXPR_NOW}, {I_A, EXPR_PREVIOUS}, {I_B, EXPR_NOW}, {I_A, EXPR_YEAR_AGO}, {I_SAN, EXPR_NOW}};
    for (int i = 0; i < 5; i++) {
        assert_int_equal(expr_ref_at(e, i)->name, want[i][0]);
        assert_int_equal(expr_ref_at(e, i)->shift, want[i][1]);
    }
    assert_string_equal(expr_text(e), t);
    expr_free(e);
}

static void describe(void **state)
{
    (void)state;
    setup_vals();
    struct expr *e;
    eval_text("线性(三会一课完成率, 60%, 100%) + 上期(三会一课完成率) - b\n+ m", &e);
    struct calc_value refs[4] = {calc_number(0.85), calc_number(0.8), calc_number(-2), calc_missing()};
    char out[256];
    const char *want = "线性(0.8500, 60%, 100%) + 0.8000 - (-2.0000) + 缺项";
    size_t n = expr_describe(e, refs, out, sizeof out);
    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
    /* cut short: between characters, the full length returned */
    char small[12];
    n = expr_describe(e, refs, small, sizeof small);
    assert_int_equal(n, strlen(want));
    assert_string_equal(small, "线性(0.85");
    char tiny[8];
    expr_describe(e, refs, tiny, sizeof tiny);
    assert_string_equal(tiny, "线性("); /* 7 bytes and the NUL */
    expr_free(e);
}

static void names_starting_with_digits(void **state)
{
    (void)state;
    setup_vals();
    is("12309程序性答复及时率 * 2", "1.9500");
    bad("12309及时率", "unknown_name",
        "第 1 行第 1 列：未知指标 \"12309及时率\"，是否指 \"12309程序性答复及时率\"？");
    bad("3a", "unknown_name", "第 1 行第 1 列：未知指标 \"3a\"");
    bad("1.5a", "bad_number", "第 1 行第 1 列：\"1.5a\" 既不是数字也不是名称（名称中不能有小数点）");
    bad("1.", "bad_number", "第 1 行第 1 列：数字 \"1.\" 写得不完整（小数点后应有数字）");
}

static void errors(void **state)
{
    (void)state;
    /* the example of the issue: at line 3, column 17 of the caller's file */
    const char *t = "12309及时率 >= 90%";
    bad_at(t, strlen(t), 3, 17, "unknown_name",
           "第 3 行第 17 列：未知指标 \"12309及时率\"，是否指 \"12309程序性答复及时率\"？");
    /* columns count characters: 三会一课完成率 is 7 characters, （ is one */
    bad("三会一课完成率 + （党员出勤率 * 未知）", "unknown_name", "第 1 行第 20 列：未知指标 \"未知\"");
    bad("三会一课完成率 + 党员出勤律", "unknown_name",
        "第 1 行第 11 列：未知指标 \"党员出勤律\"，是否指 \"党员出勤率\"？");
    bad("a\n  + 三会一课完成率\n  + 出勤x", "unknown_name", "第 3 行第 5 列：未知指标 \"出勤x\"");
    bad("a且b", "unknown_name", "第 1 行第 1 列：未知指标 \"a且b\"（“且”“或”“非”两边要留空格）");
    bad("线形(a, 0, 1)", "unknown_function", "第 1 行第 1 列：未知函数 \"线形\"，是否指 \"线性\"？");
    bad("a + foo(1)", "unknown_function", "第 1 行第 5 列：未知函数 \"foo\"");
    bad("线性(a, 0)", "arg_count", "第 1 行第 1 列：函数 \"线性\" 需要 3 或 4 个参数，这里有 2 个");
    bad("封顶(a)", "arg_count", "第 1 行第 1 列：函数 \"封顶\" 需要 2 个参数，这里有 1 个");
    bad("最大()", "arg_count", "第 1 行第 1 列：函数 \"最大\" 需要至少 1 个参数，这里有 0 个");
    bad("阈值(a, 1, 2, 3)", "arg_count",
        "第 1 行第 1 列：函数 \"阈值\" 需要 1 个值和成对的门槛、分数，共 3、5、7……个参数，这里有 4 个");
    bad("阈值(a, 90%, 100, 80%, 80)", "thresholds_order",
        "第 1 行第 17 列：函数 \"阈值\" 的门槛须从小到大排列：80% 不大于前一个门槛 90%");
    bad("阈值(a, -1, 1, -1, 2)", "thresholds_order",
        "第 1 行第 14 列：函数 \"阈值\" 的门槛须从小到大排列：-1 不大于前一个门槛 -1");
    bad("上期(a + 1)", "bad_argument", "第 1 行第 4 列：函数 \"上期\" 只有一个参数：一个指标名称");
    bad("上期(1)", "bad_argument", "第 1 行第 4 列：函数 \"上期\" 的参数必须是一个指标名称");
    bad("去年同期(x)", "unknown_name", "第 1 行第 6 列：未知指标 \"x\"");
    bad("（a + 1", "unclosed_paren", "第 1 行第 1 列：括号 \"(\" 没有闭合");
    bad("线性(a, 0, 1", "unclosed_paren", "第 1 行第 3 列：括号 \"(\" 没有闭合");
    bad("上期(a", "unclosed_paren", "第 1 行第 3 列：括号 \"(\" 没有闭合");
    bad("a + ", "unexpected_end", "第 1 行第 5 列：公式意外结束，此处应为数字、指标名称、函数或 \"(\"");
    bad("a + * b", "unexpected_token", "第 1 行第 5 列：此处应为数字、指标名称、函数或 \"(\"，却是 \"*\"");
    bad("a b", "unexpected_token", "第 1 行第 3 列：此处应为运算符，却是 \"b\"");
    bad("a)", "unexpected_token",
        "第 1 行第 2 列：此处应为运算符（这个 \")\" 没有对应的 \"(\"），却是 \")\"");
    bad("最大(a b)", "unexpected_token", "第 1 行第 6 列：此处应为逗号 \",\" 或右括号 \")\"，却是 \"b\"");
    bad("a < b < 1", "chained_comparison",
        "第 1 行第 7 列：比较不能连写（如 a < b < c），请用 \"且\" 连接两个比较：a < b 且 b < c");
    bad("a @ b", "stray_char", "第 1 行第 3 列：无法识别的字符 \"@\"");
    bad("三会一课完成率；", "stray_char", "第 1 行第 8 列：无法识别的字符 \"；\"");
    bad("a & b", "stray_char", "第 1 行第 3 列：无法识别的字符 \"&\"");
    bad("a\x01", "stray_char", "第 1 行第 2 列：无法识别的字符 \"\\x01\"");
    bad("", "empty", "第 1 行第 1 列：公式是空的");
    bad("  \n ", "empty", "第 1 行第 1 列：公式是空的");
    bad("2000000000000000", "number_range",
        "第 1 行第 1 列：数字 \"2000000000000000\" 超出范围（绝对值最大 1000000000000000）");
    bad("a + 1000000000000000000000000000000000000000000000000000000000000000000000", "number_range",
        "第 1 行第 5 列：数字 \"1000000000000000000000000000000000000000…\" 超出范围（绝对值最大 "
        "1000000000000000）");
    /* invalid UTF-8, after a multi-byte character */
    bad("三会 \xE4\xB8", "bad_utf8", "第 1 行第 4 列：不是有效的 UTF-8 文字（文件的编码应为 UTF-8）");
    bad("a + \xC0\x80", "bad_utf8", "第 1 行第 5 列：不是有效的 UTF-8 文字（文件的编码应为 UTF-8）");
    bad("a + \xED\xA0\x80", "bad_utf8", "第 1 行第 5 列：不是有效的 UTF-8 文字（文件的编码应为 UTF-8）");
    /* NUL inside the given length is a character like any other */
    bad_at("a\0b", 3, 1, 1, "stray_char", "第 1 行第 2 列：无法识别的字符 \"\\x00\"");
}

static void limits(void **state)
{
    (void)state;
    setup_vals();
    /* text */
    char *big = malloc(EXPR_MAX_TEXT + 2);
    memset(big, ' ', EXPR_MAX_TEXT + 1);
    big[0] = '1';
    big[EXPR_MAX_TEXT + 1] = 0;
    bad(big, "too_long", "第 1 行第 1 列：公式过长（4001 字节，最多 4000 字节）");
    big[EXPR_MAX_TEXT] = 0;
    is(big, "1.0000");
    /* nesting: 64 levels pass, 65 do not; 2000 do not crash */
    char deep[4001];
    for (int levels = 64; levels <= 65; levels++) {
        int k = 0;
        for (int i = 0; i < levels; i++)
            deep[k++] = '(';
        deep[k++] = '1';
        for (int i = 0; i < levels; i++)
            deep[k++] = ')';
        deep[k] = 0;
        if (levels == 64)
            is(deep, "1.0000");
        else
            bad(deep, "too_deep", "第 1 行第 65 列：公式嵌套过深（括号、函数和正负号最多嵌套 64 层）");
    }
    memset(deep, '(', 4000);
    deep[4000] = 0;
    bad(deep, "too_deep", "第 1 行第 65 列：公式嵌套过深（括号、函数和正负号最多嵌套 64 层）");
    memset(deep, '-', 3999);
    deep[3999] = '1';
    bad(deep, "too_deep", "第 1 行第 65 列：公式嵌套过深（括号、函数和正负号最多嵌套 64 层）");
    int k = 0;
    for (int i = 0; i < 65; i++)
        k += sprintf(deep + k, "最大(");
    sprintf(deep + k, "1");
    bad(deep, "too_deep", "第 1 行第 195 列：公式嵌套过深（括号、函数和正负号最多嵌套 64 层）");
    /* a long flat sum is not deep */
    k = 0;
    for (int i = 0; i < 1000; i++)
        k += sprintf(deep + k, "%sa", i ? "+" : "");
    is(deep, "3000.0000");
    /* many arguments use the heap stack */
    k = sprintf(deep, "最大(");
    for (int i = 0; i < 500; i++)
        k += sprintf(deep + k, "%s%d", i ? "," : "", i);
    sprintf(deep + k, ")");
    is(deep, "499.0000");
    /* references: 64 distinct ones at most */
    const char **many = malloc(70 * sizeof *many);
    char(*buf)[8] = malloc(70 * sizeof *buf);
    for (int i = 0; i < 70; i++) {
        snprintf(buf[i], sizeof buf[i], "x%d", i);
        many[i] = buf[i];
    }
    struct expr_catalogue mc = {70, many};
    for (int n = 64; n <= 65; n++) {
        k = 0;
        for (int i = 0; i < n; i++)
            k += sprintf(deep + k, "%sx%d", i ? "+" : "", i);
        struct expr_error err;
        struct expr *e = expr_compile(deep, (size_t)k, &mc, 1, 1, &err);
        if (n == 64) {
            assert_non_null(e);
            assert_int_equal(expr_nrefs(e), 64);
            expr_free(e);
        } else {
            assert_null(e);
            assert_string_equal(err.code, "too_many_refs");
            assert_string_equal(err.message, "第 1 行第 247 列：公式引用的指标过多（最多 64 个不同的引用）");
        }
    }
    free(many);
    free(buf);
    free(big);
}

static void deterministic(void **state)
{
    (void)state;
    setup_vals();
    const char *t =
        "线性(三会一课完成率 * 党员出勤率 / 3 + 0.1, 0.2, 0.9) * 目标(12309程序性答复及时率, 0.97)";
    struct calc_value first = eval_text(t, NULL);
    for (int i = 0; i < 100; i++) {
        struct calc_value v = eval_text(t, NULL);
        assert_memory_equal(&v.v, &first.v, sizeof v.v);
    }
    /* (0.85·0.92/3 + 0.1 − 0.2)/(0.9 − 0.2)·100 = 22.952380…; × 100 (0.975 ≥ 0.97) */
    char got[CALC_DECIMAL_CAP];
    calc_decimal(first.v, 4, got, sizeof got);
    assert_string_equal(got, "2295.2381");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arithmetic_and_numbers),
        cmocka_unit_test(comparisons_and_logic),
        cmocka_unit_test(functions),
        cmocka_unit_test(references),
        cmocka_unit_test(describe),
        cmocka_unit_test(names_starting_with_digits),
        cmocka_unit_test(errors),
        cmocka_unit_test(limits),
        cmocka_unit_test(deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
