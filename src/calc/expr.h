/*
 * calc/expr.h: the formula language of the evaluation (docs/evaluation.md 「公式语言」).
 *
 * A formula such as `线性(三会一课完成率, 60%, 100%)` is compiled once against the caller's
 * catalogue of names, then evaluated many times (once per subject and period) with the
 * values of the names it refers to. Compilation checks everything a person can get wrong
 * and says so in Chinese with the line and column in the caller's file; evaluation cannot
 * fail (a value it cannot give is 缺项), allocates nothing for ordinary formulas, never
 * recurses, and gives the same bits for the same inputs.
 *
 * Names. A name is a run of letters, digits, '_' and non-ASCII characters that are not
 * punctuation (三会一课完成率, rate_a). A run that starts with a digit is a number when it
 * holds only digits (with one '.' and a final '%'), and a name as soon as it holds another
 * name character (12309程序性答复及时率, 3a). 且, 或 and 非 are operators only when they
 * stand alone (between spaces, parentheses or operators): `a 且 b`, not `a且b`.
 *
 * Limits (each an error, never a crash): text ≤ EXPR_MAX_TEXT bytes, nesting of
 * parentheses, calls and unary operators ≤ EXPR_MAX_DEPTH, distinct references ≤
 * EXPR_MAX_REFS, |number| ≤ 1e15.
 */
#ifndef RONGHE_CALC_EXPR_H
#define RONGHE_CALC_EXPR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calc/value.h"

#define EXPR_MAX_TEXT 4000
#define EXPR_MAX_DEPTH 64
#define EXPR_MAX_REFS 64

/* The names a formula may use; a reference is the index of its name in "names". The
 * caller owns the strings (well-formed UTF-8, distinct) and keeps them while it compiles;
 * a compiled expr keeps no pointer into them. */
struct expr_catalogue {
    int n;
    const char *const *names;
};

/* Which period a reference reads: this one, the previous one of the same length (上期),
 * or the same one a year before (去年同期). */
enum { EXPR_NOW = 0, EXPR_PREVIOUS = 1, EXPR_YEAR_AGO = 2, EXPR_SHIFTS = 3 };

struct expr_ref {
    int name;  /* index into the catalogue */
    int shift; /* EXPR_NOW, EXPR_PREVIOUS or EXPR_YEAR_AGO */
};

/* A compile error: where (line and column, counted in characters from 1, in the caller's
 * file), a stable code for programs and the whole Chinese sentence for a person, e.g.
 * `第 3 行第 17 列：未知指标 "12309及时率"，是否指 "12309程序性答复及时率"？`. Codes:
 * empty, too_long, too_deep, too_many_refs, bad_utf8, stray_char, bad_number,
 * number_range, unknown_name, unknown_function, arg_count, bad_argument,
 * thresholds_order, unclosed_paren, unexpected_end, unexpected_token, chained_comparison. */
struct expr_error {
    int line, col;
    char code[32];
    char message[512];
};

typedef struct expr expr;

/* Compile the "len" bytes at "text" (need not be NUL-terminated) against "cat". "line"
 * and "col" are where "text" starts in the caller's file. Returns the compiled formula
 * (owned by the caller: expr_free) or NULL with "err" filled. Out of memory aborts. */
struct expr *expr_compile(const char *text, size_t len, const struct expr_catalogue *cat, int line, int col,
                          struct expr_error *err);

/* The distinct (name, shift) references of "e" in order of first appearance: 0..n-1. */
int expr_nrefs(const struct expr *e);
const struct expr_ref *expr_ref_at(const struct expr *e, int i);

/* The formula's value when reference i has value refs[i] (refs may be NULL when there
 * are none). Booleans are 1 and 0. Thread-safe on a shared "e". */
struct calc_value expr_eval(const struct expr *e, const struct calc_value *refs);

/* The formula's text as compiled (NUL-terminated; owned by "e"). */
const char *expr_text(const struct expr *e);

/* The formula's text with each reference (a name, or a whole 上期(…)/去年同期(…) call)
 * replaced by its value from "refs" as a decimal of 4 places (calc_decimal; negative
 * values in parentheses) or by 缺项, and line breaks by spaces, so a person can recompute
 * it: `线性(0.8500, 60%, 100%)`. Writes at most "cap" - 1 bytes and a NUL (cutting only
 * between characters) and returns the length the whole text needs, as snprintf does. */
size_t expr_describe(const struct expr *e, const struct calc_value *refs, char *out, size_t cap);

void expr_free(struct expr *e);

/* True when the "len" bytes at "s" are exactly one name of the language (so a formula
 * can refer to it): not a number, not 且/或/非, no punctuation or white space. */
bool expr_is_name(const char *s, size_t len);

/* The built-in functions' names, for suggestions and documentation: n is set. */
const char *const *expr_function_names(int *n);

/* The edit distance in characters (not bytes) between UTF-8 strings "a" and "b", and the
 * best suggestion for "name" among "cand" (or -1): the closest of those within half the
 * longer one's length or holding "name" whole (2 characters or more). Shared with calc/scheme.c. */
int expr_suggest(const char *name, size_t len, const char *const *cand, int n);

/* Helpers shared with calc/scheme.c. expr_utf8_decode: the length of the well-formed UTF-8
 * character at s[i] (i < n), its code point in *cp, or 0 when the bytes are not one
 * (overlong, surrogate, beyond U+10FFFF, cut off). expr_error_vset: fill "e" with the
 * position, "code" and the message `第 L 行第 C 列：…`, cut between characters. */
int expr_utf8_decode(const char *s, size_t n, size_t i, uint32_t *cp);
void expr_error_vset(struct expr_error *e, int line, int col, const char *code, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

#endif
