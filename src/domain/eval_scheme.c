/*
 * eval_scheme.c: the schemes collection (eval-schemes) — text checked by calc/scheme.h
 * against the measure catalogue on every write, versioned by name and edition, frozen
 * once a result was computed with it — and the check a web editor calls as one types.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "calc/scheme.h"
#include "domain/eval_internal.h"
#include "domain/evaluation.h"
#include "domain/measures.h"
#include "domain/resource.h"

_Static_assert(EVAL_SCHEME_MAX_CHARS * 4 <= SCHEME_MAX_TEXT, "a scheme of the longest text must parse");

/* ------------------------------------------------------------------ the catalogue */

static const char *catalogue_names[64];
static struct expr_catalogue catalogue;
static pthread_once_t catalogue_once = PTHREAD_ONCE_INIT;

static void catalogue_fill(void)
{
    int n = measure_count();
    CHECK(n <= (int)(sizeof catalogue_names / sizeof catalogue_names[0]));
    for (int i = 0; i < n; i++)
        catalogue_names[i] = measure_at(i)->name;
    catalogue = (struct expr_catalogue){.n = n, .names = catalogue_names};
}

/* Filled once (request threads and a job's may parse schemes at the same time). */
const struct expr_catalogue *eval_catalogue(void)
{
    pthread_once(&catalogue_once, catalogue_fill);
    return &catalogue;
}

static json_t *errors_json(const struct scheme_errors *errs)
{
    json_t *a = json_array();
    for (int i = 0; i < errs->n; i++)
        json_array_append_new(a, json_pack("{s:i, s:i, s:s, s:s}", "line", errs->e[i].line, "col",
                                           errs->e[i].col, "code", errs->e[i].code, "message",
                                           errs->e[i].message));
    return a;
}

/* The line of "text" whose key is the threshold named in "message" (between “ and ”), or
 * the first line of [信号]; 1 when neither is found. */
static int signal_line(const char *text, const char *message)
{
    const char *q = strstr(message, "“"), *e = q ? strstr(q, "”") : NULL;
    size_t n = q && e ? (size_t)(e - q) - strlen("“") : 0;
    const char *name = q ? q + strlen("“") : "";
    int line = 1, section = 0;
    for (const char *p = text; *p; line++) {
        const char *t = p;
        while (*t == ' ' || *t == '\t')
            t++;
        if (n && !strncmp(t, name, n) && (t[n] == ' ' || t[n] == '=' || !strncmp(t + n, "＝", 3)))
            return line;
        if (!section &&
            (!strncmp(t, "[信号]", strlen("[信号]")) || !strncmp(t, "【信号】", strlen("【信号】"))))
            section = line;
        const char *nl = strchr(p, '\n');
        if (!nl)
            break;
        p = nl + 1;
    }
    return section ? section : 1;
}

int eval_scheme_compile(const char *text, struct scheme **out, json_t **errors, struct rerr *err)
{
    struct scheme_errors errs = {0};
    size_t len = text ? strlen(text) : 0;
    struct scheme *s = scheme_parse(text ? text : "", len, eval_catalogue(), &errs);
    if (!s || errs.n) {
        scheme_free(s);
        if (errors)
            *errors = errors_json(&errs);
        return rerr_set(err, R_EINVAL, "bad_scheme", "text", "考评方案有 %d 处错误，第一处：%s", errs.n,
                        errs.n ? errs.e[0].message : "无法解析");
    }
    /* the formalism signals' thresholds in their ranges (eval_signals.c), so that a run
     * never finds one out of range */
    struct eval_signal_thresholds t;
    eval_signal_thresholds(s, &t);
    struct rerr bad = {0};
    if (eval_signal_thresholds_check(&t, &bad) < 0) {
        scheme_free(s);
        int line = signal_line(text ? text : "", bad.message);
        char message[sizeof bad.message + 64];
        snprintf(message, sizeof message, "第 %d 行第 1 列：%s", line, bad.message);
        if (errors)
            *errors = json_pack("[{s:i, s:i, s:s, s:s}]", "line", line, "col", 1, "code", "bad_threshold",
                                "message", message);
        return rerr_set(err, R_EINVAL, "bad_scheme", "text", "考评方案有 1 处错误，第一处：%s", message);
    }
    *out = s;
    return 0;
}

json_t *eval_scheme_check(const char *text)
{
    struct scheme *s = NULL;
    json_t *errors = NULL;
    struct rerr e = {0};
    if (eval_scheme_compile(text, &s, &errors, &e) < 0)
        return json_pack("{s:b, s:o}", "ok", 0, "errors", errors ? errors : json_array());
    json_t *out = json_pack("{s:b, s:o, s:i, s:i}", "ok", 1, "errors", json_array(), "dimensions",
                            scheme_ndims(s), "indicators", scheme_nindicators(s));
    scheme_free(s);
    return out;
}

/* ------------------------------------------------------------------ the collection */

static int scheme_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    if (before && res_int(before, "used"))
        return rerr_set(err, R_ECONFLICT, "scheme_used", "text",
                        "方案“%s”第 %" PRId64 " 版已用于考评结果，不能修改：请以同一名称另建一版",
                        res_str(before, "name"), res_int(before, "edition"));
    bool renamed = before && strcmp(res_str(before, "name"), res_str(row, "name")) != 0;
    struct scheme *s = NULL;
    int rc = eval_scheme_compile(res_str(row, "text"), &s, NULL, err);
    scheme_free(s);
    if (rc < 0)
        return rc;
    if (!before || renamed) { /* the next edition of its name (an unused one renamed: of the new name) */
        store_stmt *st =
            store_prepare(x->c, "SELECT coalesce(max(edition), 0) + 1 FROM eval_schemes WHERE name = ?");
        store_bind_text(st, 1, res_str(row, "name"));
        if ((rc = store_step(st, err)) == STORE_ROW)
            json_object_set_new(row, "edition", json_integer(store_col_int(st, 0)));
        store_done(st);
        if (!before)
            json_object_set_new(row, "used", json_false());
    }
    return rc < 0 ? rc : 0;
}

static int scheme_removable(struct res_ctx *x, json_t *before, struct rerr *err)
{
    if (res_int(before, "used"))
        return rerr_set(err, R_ECONFLICT, "scheme_used", "", "方案已用于考评结果，不能删除");
    return 0;
}

static const struct field scheme_fields[] = {
    {"procuratorate_id", "所属检察院", FT_REF, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, "procuratorates",
     0, 0},
    {"name", "方案名称", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_FILTER | FF_SORT | FF_SEARCH, 100, NULL, NULL,
     0, 0},
    {"edition", "版本", FT_INT, FF_DERIVED | FF_SORT, 0, NULL, NULL, 0, 0},
    {"text", "方案内容", FT_TEXT, FF_REQUIRED | FF_WRITE, EVAL_SCHEME_MAX_CHARS, NULL, NULL, 0, 0},
    {"note", "说明", FT_TEXT, FF_WRITE, 500, NULL, NULL, 0, 0},
    {"used", "已使用", FT_BOOL, FF_DERIVED | FF_FILTER, 0, NULL, NULL, 0, 0},
    RES_SAMPLE_FIELD,
};

const struct resource res_eval_schemes = {
    .name = "eval-schemes",
    .table = "eval_schemes",
    .label = "考评方案",
    .fields = scheme_fields,
    .nfields = sizeof scheme_fields / sizeof scheme_fields[0],
    /* the city hands its scheme to the counties: every signed-in user reads them */
    .read = READ_SIGNED_IN,
    .write = WRITE_ADMIN,
    .export = EXPORT_READERS,
    .default_sort = "name",
    .check = scheme_check,
    .removable = scheme_removable,
};
