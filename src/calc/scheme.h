/*
 * calc/scheme.h: the evaluation scheme as text, and the computation of one subject's
 * result for one period (docs/evaluation.md 「方案文件」 gives the format and the
 * arithmetic step by step, for people).
 *
 * The file is INI-like: sections `[方案]`, `[维度 名称]`, `[指标 名称]`, `[荣誉 名称]`,
 * `[信号]` (【】 work too), lines `键 = 值` (＝ too), a value continued on the following
 * lines that start with white space (unless they start with a key of the section: keys may
 * be indented), whole-line comments starting with #, ; or ；.
 *
 * A parsed scheme is immutable and may be shared between threads. Everything it returns
 * (names, compiled formulas) is owned by it and lives until scheme_free.
 */
#ifndef RONGHE_CALC_SCHEME_H
#define RONGHE_CALC_SCHEME_H

#include <stdbool.h>
#include <stddef.h>

#include "calc/expr.h"
#include "calc/value.h"

#define SCHEME_MAX_TEXT (256 * 1024)
#define SCHEME_MAX_INDICATORS 200
#define SCHEME_MAX_DIMS 16
#define SCHEME_MAX_HONOURS 32
#define SCHEME_MAX_CONDITIONS 16 /* the conditions an honour's rule lists, joined by 且 */
#define SCHEME_MAX_SIGNALS 64
#define SCHEME_MAX_ERRORS 100

/* Whom an indicator applies to (适用 = 党支部, 党员, …); bit (1 << subject) in "subjects". */
enum scheme_subject {
    SCHEME_BRANCH,
    SCHEME_PROCURATORATE,
    SCHEME_MEMBER,
    SCHEME_PARTY_GROUP,
    SCHEME_SUBJECTS
};

/* The groups dimensions belong to (分组 = 党建 / 业务 / 融合). */
enum scheme_group { SCHEME_G_PARTY, SCHEME_G_BUSINESS, SCHEME_G_FUSION, SCHEME_GROUPS };

/* How an indicator that is 缺项 counts (缺项 = 重新分配权重 / 按 N 分计). */
enum scheme_missing_rule { SCHEME_REWEIGHT, SCHEME_FLOOR };

/* Every error of a file, in file order (line, then column); at most SCHEME_MAX_ERRORS,
 * "more" counting those left out. Codes are expr_error's (a formula's errors, at their
 * place in the file) and: too_big, too_many, syntax, unknown_section, unknown_key,
 * duplicate_key, duplicate_name, missing_key, bad_weight, weight_sum, bad_value,
 * unknown_dimension, manual_formula, no_indicators. */
struct scheme_errors {
    int n;
    int more;
    struct expr_error e[SCHEME_MAX_ERRORS];
};

struct scheme_dim {
    const char *name;
    const char *description; /* "" when none */
    double weight;           /* in the total; the dimensions' weights sum to 100 */
    int group;               /* enum scheme_group */
    int line;                /* of its section header; 0 for a default dimension */
};

struct scheme_indicator {
    const char *name;
    const char *description;    /* "" when none */
    int dim;                    /* index of its dimension */
    double weight;              /* within the dimension */
    const struct expr *formula; /* over the measure catalogue; NULL when manual */
    const struct expr *rule;    /* 计分: over the measures and 值 (index measures->n) */
    bool manual;                /* 手工录入 = 是 */
    unsigned subjects;          /* bits 1 << enum scheme_subject */
    int line;
};

struct scheme_honour {
    const char *name;
    const char *description;
    const struct expr *rule; /* over scheme_result_names() */
    /* The rule's conditions when it is "A 且 B 且 …" at its top level (no 或 there): each
     * compiled alone, so that a proposal can say which it meets and which it misses; 0
     * conditions for any other rule (then the rule is one condition). */
    const struct expr *condition[SCHEME_MAX_CONDITIONS];
    int nconditions;
    int line;
};

struct scheme_signal {
    const char *name;
    double value;
};

typedef struct scheme scheme;

/* Parse "len" bytes of scheme text against the measure catalogue "measures" (kept by
 * the scheme only as copies). Returns the scheme (owned by the caller: scheme_free), or
 * NULL with every error found in "errs" (errs->n > 0). Out of memory aborts. */
struct scheme *scheme_parse(const char *text, size_t len, const struct expr_catalogue *measures,
                            struct scheme_errors *errs);
void scheme_free(struct scheme *s);

const char *scheme_name(const struct scheme *s);
const char *scheme_description(const struct scheme *s);
int scheme_missing_rule(const struct scheme *s);     /* enum scheme_missing_rule */
double scheme_missing_floor(const struct scheme *s); /* N of 按 N 分计; 0 under 重新分配权重 */
int scheme_ndims(const struct scheme *s);
const struct scheme_dim *scheme_dim(const struct scheme *s, int i);
int scheme_nindicators(const struct scheme *s);
const struct scheme_indicator *scheme_indicator(const struct scheme *s, int i);
int scheme_nhonours(const struct scheme *s);
const struct scheme_honour *scheme_honour(const struct scheme *s, int i);
int scheme_nsignals(const struct scheme *s);
const struct scheme_signal *scheme_signal_at(const struct scheme *s, int i);
/* The number named "name" in [信号], or "dflt" when the scheme does not set it. */
double scheme_signal(const struct scheme *s, const char *name, double dflt);
/* The fusion index's expression, over scheme_group_names(). */
const struct expr *scheme_fusion(const struct scheme *s);
/* "党建", "业务", "融合" (the fusion catalogue, index = enum scheme_group). */
const struct expr_catalogue *scheme_group_names(void);
/* The names honour rules use: 总分, 融合指数, 党建, 业务, 融合, 同频共振, 排名, then each
 * dimension as "名称维度", each dimension as "名称" where that is free, each indicator's
 * name (its score). */
const struct expr_catalogue *scheme_result_names(const struct scheme *s);
/* "党支部"… and "党建"… for display. */
const char *scheme_subject_name(int subject);
const char *scheme_group_name(int group);

/* ---- one subject's result for one period --------------------------------------------- */

struct scheme_indicator_result {
    bool applicable;         /* the indicator applies to the subject; else all below is 0 */
    bool pending;            /* 手工录入 and no approved value (待审核, or not yet entered) */
    bool missing;            /* 缺项: the value or its score is missing */
    bool floored;            /* missing and counted at the floor (按 N 分计) */
    struct calc_value value; /* the formula's value, or the approved hand value */
    struct calc_value rule;  /* the scoring rule's result, before it is held to 0–100 */
    struct calc_value score; /* the rule's result held to 0–100; missing when 缺项 */
    double score_used;       /* the score counted: score, or the floor; 0 when not counted */
    double weight_used;      /* 100·w / Σw over the counted indicators of its dimension */
    double contribution;     /* w·score_used / Σw: its points in the dimension's score */
};

struct scheme_dim_result {
    bool applicable;             /* at least one of its indicators applies to the subject */
    struct calc_value score;     /* Σ w·s / Σ w over its counted indicators; missing when none */
    double indicator_weight_sum; /* Σ w of the counted indicators (the denominator) */
    double weight_used;          /* 100·W / ΣW over the counted dimensions, in the total */
    double contribution;         /* W·score / ΣW: its points in the total */
    double group_weight_used;    /* 100·W / ΣW over the counted dimensions of its group */
};

struct scheme_group_result {
    struct calc_value score; /* Σ W·D / Σ W over its counted dimensions; missing when none */
    double weight_sum;       /* Σ W of those dimensions */
};

struct scheme_result {
    int subject;
    int nindicators, ndims;
    struct scheme_indicator_result ind[SCHEME_MAX_INDICATORS];
    struct scheme_dim_result dim[SCHEME_MAX_DIMS];
    struct scheme_group_result group[SCHEME_GROUPS];
    struct calc_value total;  /* Σ W·D / Σ W over the counted dimensions */
    double total_weight_sum;  /* Σ W of the counted dimensions */
    struct calc_value fusion; /* the fusion expression over the group scores */
};

/* Compute the result of one subject of kind "subject" for one period. "measures" holds
 * the value of catalogue name i at shift k (EXPR_NOW, EXPR_PREVIOUS, EXPR_YEAR_AGO) at
 * measures[i * 3 + k]; "manual" holds, per indicator, its approved hand value or missing
 * (may be NULL: none approved); entries for computed indicators are ignored. Pure and
 * deterministic. Returns 0, or R_EINVAL for an unknown "subject". */
int scheme_evaluate(const struct scheme *s, int subject, const struct calc_value *measures,
                    const struct calc_value *manual, struct scheme_result *out);

/* Which measures the scheme reads: need[i * 3 + k] is set true when some formula or
 * scoring rule refers to catalogue name i at shift k ("need" has 3 × the catalogue's
 * length entries, which the caller clears), so the caller computes only those. */
void scheme_needs(const struct scheme *s, bool *need);

/* The values of the references of indicator "i"'s formula / scoring rule (for
 * expr_describe), into "refs" (expr_nrefs of the expr entries). */
void scheme_formula_values(const struct scheme *s, int i, const struct calc_value *measures,
                           struct calc_value *refs);
void scheme_rule_values(const struct scheme *s, int i, const struct calc_value *measures,
                        struct calc_value value, struct calc_value *refs);
/* The values of the fusion expression's references. */
void scheme_fusion_values(const struct scheme *s, const struct scheme_result *r, struct calc_value *refs);

/* Honour "h"'s rule on result "r", with the caller's 同频共振 ("resonance") and 排名
 * ("rank"), either possibly missing: true (1), false (0) or missing (cannot be decided;
 * an honour whose rule is missing is not met). scheme_honour_values gives the
 * references' values for expr_describe. */
struct calc_value scheme_honour_eval(const struct scheme *s, int h, const struct scheme_result *r,
                                     struct calc_value resonance, struct calc_value rank);
void scheme_honour_values(const struct scheme *s, int h, const struct scheme_result *r,
                          struct calc_value resonance, struct calc_value rank, struct calc_value *refs);
/* The same for "e", a condition of an honour (scheme_honour()->condition[i]) or its rule. */
struct calc_value scheme_condition_eval(const struct scheme *s, const struct expr *e,
                                        const struct scheme_result *r, struct calc_value resonance,
                                        struct calc_value rank);
void scheme_condition_values(const struct scheme *s, const struct expr *e, const struct scheme_result *r,
                             struct calc_value resonance, struct calc_value rank, struct calc_value *refs);

#endif
