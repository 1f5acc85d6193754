/*
 * expr: src/calc/ on any bytes — the formula language (expr_compile, expr_eval,
 * expr_describe) against a small catalogue, and the scheme file (scheme_parse,
 * scheme_evaluate, the honour rules). Byte 0 chooses: even, the rest is a formula; odd, a
 * scheme file. The measures' values are drawn from the input's bytes.
 *
 * Held to the contract (calc/expr.h, calc/scheme.h): an error has a code and a message
 * that is well-formed UTF-8 and starts with its own `第 L 行第 C 列：`; a scheme's errors
 * are in file order; a compiled formula has at most EXPR_MAX_REFS references, each into
 * the catalogue, evaluates to the same bits twice, and describes itself as well-formed
 * UTF-8 of the length it reports, cut short only between characters; expr_text gives
 * the input back and compiles again to the same references. A scheme's scores, dimension
 * scores, total and group scores lie in 0–100; honours are 0, 1 or missing.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc/expr.h"
#include "calc/scheme.h"
#include "fuzz.h"

static const char *const names[] = {
    "三会一课完成率", "党员出勤率", "12309程序性答复及时率", "办结案件数", "值", "a", "b"};
enum { N = 7 };
static const struct expr_catalogue cat = {N, names};
static const double pool[8] = {0, 1, 0.5, -2, 100, 0.85, 1e15, -1e-9};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_ready();
    return 0;
}

static struct calc_value value_of(const uint8_t *d, size_t n, size_t i)
{
    uint8_t b = n ? d[i % n] : 0;
    return b & 8 ? calc_missing() : calc_number(pool[b & 7]);
}

static void check_error(const struct expr_error *e)
{
    char pos[64];
    snprintf(pos, sizeof pos, "第 %d 行第 %d 列：", e->line, e->col);
    if (e->line < 1 || e->col < 1 || !e->code[0] || strncmp(e->message, pos, strlen(pos)) ||
        !fuzz_json_text_ok(e->message) || !fuzz_json_text_ok(e->code))
        fuzz_fail("bad error: line %d col %d code %s message %s", e->line, e->col, e->code, e->message);
}

static void in_score_range(struct calc_value v, const char *what)
{
    if (!v.missing && !(v.v >= -1e-9 && v.v <= 100 + 1e-9))
        fuzz_fail("%s out of 0–100: %.17g", what, v.v);
}

static void formula(const uint8_t *d, size_t n)
{
    struct expr_error err;
    struct expr *e = expr_compile((const char *)d, n, &cat, 1 + (n & 3), 1 + (n & 7), &err);
    if (!e) {
        check_error(&err);
        return;
    }
    int nr = expr_nrefs(e);
    if (nr < 0 || nr > EXPR_MAX_REFS)
        fuzz_fail("%d references", nr);
    struct calc_value refs[EXPR_MAX_REFS];
    for (int i = 0; i < nr; i++) {
        const struct expr_ref *r = expr_ref_at(e, i);
        if (r->name < 0 || r->name >= N || r->shift < 0 || r->shift >= EXPR_SHIFTS)
            fuzz_fail("reference %d: name %d shift %d", i, r->name, r->shift);
        refs[i] = value_of(d, n, (size_t)i);
    }
    struct calc_value a = expr_eval(e, refs), b = expr_eval(e, refs);
    if (a.missing != b.missing || memcmp(&a.v, &b.v, sizeof a.v) || (!a.missing && !isfinite(a.v)))
        fuzz_fail("evaluation not deterministic or not finite");
    if (strlen(expr_text(e)) != n || memcmp(expr_text(e), d, n))
        fuzz_fail("expr_text differs from the input");
    size_t need = expr_describe(e, refs, NULL, 0);
    char *out = malloc(need + 1);
    if (expr_describe(e, refs, out, need + 1) != need || strlen(out) != need || !fuzz_json_text_ok(out))
        fuzz_fail("describe: length or UTF-8");
    char small[16];
    size_t cap = 1 + (n % sizeof small);
    expr_describe(e, refs, small, cap);
    if (strlen(small) >= cap || memcmp(small, out, strlen(small)) || !fuzz_json_text_ok(small))
        fuzz_fail("describe cut badly: %s", small);
    free(out);
    struct expr *again = expr_compile(expr_text(e), n, &cat, 1, 1, &err);
    if (!again || expr_nrefs(again) != nr)
        fuzz_fail("expr_text does not compile again to the same references");
    expr_free(again);
    expr_free(e);
}

static void scheme_file(const uint8_t *d, size_t n)
{
    struct scheme_errors errs;
    struct scheme *s = scheme_parse((const char *)d, n, &cat, &errs);
    if (!s) {
        if (errs.n < 1 || errs.n > SCHEME_MAX_ERRORS || errs.more < 0)
            fuzz_fail("no scheme and %d errors", errs.n);
        for (int i = 0; i < errs.n; i++) {
            check_error(&errs.e[i]);
            if (i && (errs.e[i].line < errs.e[i - 1].line ||
                      (errs.e[i].line == errs.e[i - 1].line && errs.e[i].col < errs.e[i - 1].col)))
                fuzz_fail("errors out of file order at %d", i);
        }
        return;
    }
    if (errs.n)
        fuzz_fail("a scheme and %d errors", errs.n);
    struct calc_value measures[N * 3], manual[SCHEME_MAX_INDICATORS];
    for (int i = 0; i < N * 3; i++)
        measures[i] = value_of(d, n, (size_t)i * 7);
    for (int i = 0; i < SCHEME_MAX_INDICATORS; i++)
        manual[i] = value_of(d, n, (size_t)i * 13 + 1);
    struct scheme_result *r = malloc(sizeof *r);
    for (int subject = 0; subject < SCHEME_SUBJECTS; subject++) {
        if (scheme_evaluate(s, subject, measures, manual, r) != 0)
            fuzz_fail("scheme_evaluate failed");
        for (int i = 0; i < scheme_nindicators(s); i++)
            in_score_range(r->ind[i].score, "indicator score");
        for (int k = 0; k < scheme_ndims(s); k++)
            in_score_range(r->dim[k].score, "dimension score");
        for (int g = 0; g < SCHEME_GROUPS; g++)
            in_score_range(r->group[g].score, "group score");
        in_score_range(r->total, "total");
        for (int h = 0; h < scheme_nhonours(s); h++) {
            struct calc_value v = scheme_honour_eval(s, h, r, value_of(d, n, 3), value_of(d, n, 5));
            if (!v.missing && v.v != 0 && v.v != 1)
                fuzz_fail("honour %d is %g", h, v.v);
        }
    }
    for (int i = 0; i < scheme_nsignals(s); i++)
        if (scheme_signal(s, scheme_signal_at(s, i)->name, NAN) != scheme_signal_at(s, i)->value)
            fuzz_fail("signal %d", i);
    free(r);
    scheme_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (data[0] & 1)
        scheme_file(data + 1, size - 1);
    else
        formula(data + 1, size - 1);
    return 0;
}
