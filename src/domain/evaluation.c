/*
 * evaluation.c: periods, the measures as the API answers them, and the schemes
 * collection (domain/evaluation.h).
 */
#include "domain/evaluation.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "domain/measures.h"
#include "domain/resource.h"

/* ------------------------------------------------------------------ periods */

static void period_days(struct eval_period *p)
{
    snprintf(p->month_from, sizeof p->month_from, "%04d-%02d", p->year % 10000, p->first);
    snprintf(p->month_to, sizeof p->month_to, "%04d-%02d", p->year % 10000, p->last);
    snprintf(p->from, sizeof p->from, "%04d-%02d-01", p->year % 10000, p->first);
    if (p->last == 12)
        snprintf(p->to, sizeof p->to, "%04d-01-01", (p->year + 1) % 10000);
    else
        snprintf(p->to, sizeof p->to, "%04d-%02d-01", p->year % 10000, p->last + 1);
    int len = p->last - p->first + 1;
    if (len == 12)
        snprintf(p->label, sizeof p->label, "%04d", p->year % 10000);
    else if (len == 3)
        snprintf(p->label, sizeof p->label, "%04d-Q%d", p->year % 10000, (p->first + 2) / 3);
    else
        snprintf(p->label, sizeof p->label, "%04d-%02d", p->year % 10000, p->first);
}

int eval_period_parse(const char *text, struct eval_period *out, struct rerr *err)
{
    *out = (struct eval_period){0};
    int y = 0, n = 0, consumed = 0;
    const char *t = text ? text : "";
    size_t len = strlen(t);
    if (len == 4 && sscanf(t, "%4d%n", &y, &consumed) == 1 && consumed == 4) {
        out->first = 1, out->last = 12;
    } else if (len == 7 && sscanf(t, "%4d-Q%1d%n", &y, &n, &consumed) == 2 && consumed == 7 && n >= 1 &&
               n <= 4) {
        out->first = 3 * n - 2, out->last = 3 * n;
    } else if (len == 7 && sscanf(t, "%4d-%2d%n", &y, &n, &consumed) == 2 && consumed == 7 && n >= 1 &&
               n <= 12) {
        out->first = out->last = n;
    } else {
        return rerr_set(err, R_EINVAL, "bad_period", "period",
                        "考评期间应写作年度（2025）、季度（2025-Q3）或月份（2025-07）");
    }
    if (y < 2000 || y > 2100)
        return rerr_set(err, R_EINVAL, "bad_period", "period", "考评年度应在 2000 至 2100 之间");
    out->year = y;
    period_days(out);
    return 0;
}

void eval_period_back(const struct eval_period *p, int shift, struct eval_period *out)
{
    int len = p->last - p->first + 1;
    int start = p->year * 12 + (p->first - 1) - shift * len;
    *out = (struct eval_period){.year = start / 12, .first = start % 12 + 1};
    out->last = out->first + len - 1;
    period_days(out);
}

/* ------------------------------------------------------------------ measures */

static const char *kind_name(enum measure_kind k)
{
    return k == MEASURE_COUNT ? "计数" : k == MEASURE_RATE ? "比率" : "平均";
}

json_t *eval_measures_json(void)
{
    json_t *items = json_array();
    for (int i = 0; i < measure_count(); i++) {
        const struct measure *m = measure_at(i);
        json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", m->name, "kind",
                                               kind_name(m->kind), "unit", m->unit, "group", m->group,
                                               "definition", m->definition));
    }
    return json_pack("{s:o, s:i}", "items", items, "total", measure_count());
}

/* The branch "id" as the reader may see its ledgers (READ_SCOPED, as activities and cases
 * are read): 0, or 404 (another procuratorate's to a county reader, or none). */
static int branch_visible(struct res_ctx *x, int64_t id, struct rerr *err)
{
    int64_t proc, own;
    int rc = authz_read_collection(x->who, READ_SCOPED, err);
    if (rc < 0)
        return rc;
    rc = res_lookup_int(x, "branches", "procuratorate_id", id, "branch_id", &proc, err);
    if (rc == R_EUNPROC || (rc == 0 && authz_read_narrowed(x->who, READ_SCOPED, &own) && own != proc))
        return rerr_set(err, R_ENOTFOUND, "not_found", "branch_id", "党组织不存在或无权查看");
    return rc;
}

static json_t *number_or_null(bool present, double v)
{
    return present ? json_real(v) : json_null();
}

int eval_values(struct res_ctx *x, int64_t branch_id, const char *period, json_t **out, struct rerr *err)
{
    struct eval_period p;
    int rc = eval_period_parse(period, &p, err);
    if (rc < 0 || (rc = store_begin_read(x->c, err)) < 0)
        return rc;
    struct measure_grid *g = NULL;
    if ((rc = branch_visible(x, branch_id, err)) == 0)
        rc = measure_grid_load(x, p.year, p.year, branch_id, &g, err);
    if (rc == 0) {
        json_t *items = json_array();
        for (int i = 0; i < measure_count(); i++) {
            const struct measure *m = measure_at(i);
            double num, den, v;
            measure_sum(g, i, branch_id, p.month_from, p.month_to, &num, &den);
            bool present = measure_value(m, num, den, &v);
            json_array_append_new(items,
                                  json_pack("{s:s, s:s, s:f, s:o, s:o}", "name", m->name, "unit", m->unit,
                                            "num", num, "den", number_or_null(m->kind != MEASURE_COUNT, den),
                                            "value", number_or_null(present, v)));
        }
        *out = json_pack("{s:I, s:s, s:s, s:s, s:o}", "branch_id", (json_int_t)branch_id, "period", p.label,
                         "from", p.from, "to", p.to, "items", items);
    }
    measure_grid_free(g);
    store_rollback(x->c);
    return rc;
}

int eval_records(struct res_ctx *x, int64_t branch_id, const char *period, const char *measure, json_t **out,
                 struct rerr *err)
{
    struct eval_period p;
    int rc = eval_period_parse(period, &p, err);
    if (rc < 0)
        return rc;
    int m = measure_find(measure ? measure : "");
    if (m < 0)
        return rerr_set(err, R_EINVAL, "unknown_measure", "measure", "没有名为“%s”的指标数据项",
                        measure ? measure : "");
    if ((rc = store_begin_read(x->c, err)) < 0)
        return rc;
    json_t *items = NULL;
    if ((rc = branch_visible(x, branch_id, err)) == 0)
        rc = measure_records(x, m, branch_id, p.from, p.to, 500, &items, err);
    store_rollback(x->c);
    if (rc < 0)
        return rc;
    *out = json_pack("{s:s, s:s, s:I, s:o}", "measure", measure_at(m)->name, "period", p.label, "branch_id",
                     (json_int_t)branch_id, "items", items);
    return 0;
}
