/* Unit tests for src/domain/export.c (and res_each in resource/list.c): exports of a real
 * database read back as CSV text, with the permission, the scope, the masking, the
 * neutralisation, the audit entry and cancellation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <string.h>
#include <sys/stat.h>

#include "domain/export.h"
#include "fixture.h"

static char *slurp(const char *p)
{
    FILE *fp = fopen(p, "rb");
    assert_non_null(fp);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static bool exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

struct world {
    struct fx *f;
    int64_t city_branch;
    char out[96];
};

static struct world *world_open(void)
{
    struct world *w = calloc(1, sizeof *w);
    w->f = fx_open("export");
    struct fx *f = w->f;
    snprintf(w->out, sizeof w->out, "%s.out.csv", f->path);
    w->city_branch = fx_create(f, "branches",
                               json_pack("{s:I,s:s,s:s}", "procuratorate_id", (json_int_t)f->city, "name",
                                         "市院第一党支部", "kind", "党支部"));
    fx_create(f, "members",
              json_pack("{s:s,s:I,s:s,s:s,s:b}", "name", "=1+1", "branch_id", (json_int_t)f->branch,
                        "birth_date", "1980-05-06", "id_number", "150502198005060010", "quota_prosecutor",
                        1));
    fx_create(f, "members",
              json_pack("{s:s,s:I,s:s,s:s}", "name", "@SUM(A1)", "branch_id", (json_int_t)f->branch,
                        "birth_date", "1990-01-02", "languages", "zh+mn"));
    fx_create(f, "members",
              json_pack("{s:s,s:I,s:s}", "name", "其木格", "branch_id", (json_int_t)w->city_branch,
                        "birth_date", "1985-03-04"));
    return w;
}

static void world_close(struct world *w)
{
    unlink(w->out);
    fx_close(w->f);
    free(w);
}

static int run_as(struct world *w, const struct actor *who, const struct res_query *q,
                  const char *const *cols, int ncols, const struct progress *p, struct export_result *res,
                  struct rerr *err)
{
    struct res_ctx x = fx_as(w->f, who);
    struct export_spec s = {
        .r = res_find("members"), .query = q, .columns = cols, .ncolumns = ncols, .format = SHEET_OUT_CSV};
    *err = (struct rerr){0};
    return export_run(&x, &s, w->out, p, res, err);
}

static void system_export_with_filter_sort_and_columns(void **state)
{
    (void)state;
    struct world *w = world_open();
    int64_t audits = fx_audit_count(w->f);
    struct res_query q = {.n = 2, .key = {"sort", "branch_id"}, .val = {"-birth_date", ""}};
    const char *cols[] = {"name", "branch_id", "birth_date", "quota_prosecutor", "languages", "id_number"};
    struct export_result res;
    struct rerr err;
    assert_int_equal(run_as(w, &w->f->who, &q, cols, 6, NULL, &res, &err), 0);
    assert_int_equal(res.rows, 3);
    assert_true(res.bytes > 0);
    assert_non_null(strstr(res.display_name, "党员-"));
    assert_non_null(strstr(res.display_name, ".csv"));
    const char *want = "\xEF\xBB\xBF"
                       "姓名,所属党组织,出生日期,员额检察官,工作语言,身份证号\r\n"
                       "'@SUM(A1),旗院党支部,1990-01-02,否,蒙汉双语,\r\n"
                       "其木格,市院第一党支部,1985-03-04,否,中文,\r\n"
                       "'=1+1,旗院党支部,1980-05-06,是,中文,150502198005060010\r\n";
    assert_string_equal(slurp(w->out), want);
    /* audited: one entry, with the filters, the sort and the count */
    assert_int_equal(fx_audit_count(w->f), audits + 1);
    store_stmt *st =
        store_prepare(w->f->c, "SELECT action, entity, after FROM audit ORDER BY id DESC LIMIT 1");
    assert_int_equal(store_step(st, NULL), STORE_ROW);
    assert_string_equal(store_col_text(st, 0), "export");
    assert_string_equal(store_col_text(st, 1), "members");
    json_t *after = json_loads(store_col_text(st, 2), 0, NULL);
    store_done(st);
    assert_int_equal(json_integer_value(json_object_get(after, "rows")), 3);
    assert_string_equal(json_string_value(json_object_get(after, "sort")), "-birth_date");
    assert_string_equal(json_string_value(json_object_get(after, "format")), "csv");
    assert_int_equal(json_array_size(json_object_get(after, "columns")), 6);
    json_decref(after);

    /* the filter narrows; the defaults name the branch and the procuratorate */
    char branch[24];
    snprintf(branch, sizeof branch, "%lld", (long long)w->city_branch);
    struct res_query q2 = {.n = 1, .key = {"branch_id"}, .val = {branch}};
    assert_int_equal(run_as(w, &w->f->who, &q2, NULL, 0, NULL, &res, &err), 0);
    assert_int_equal(res.rows, 1);
    const char *got = slurp(w->out);
    assert_non_null(strstr(got, "所属党组织,检察院,部门,党小组,姓名,"));
    assert_non_null(strstr(got, "市院第一党支部,市院,,,其木格,"));
    assert_null(strstr(got, "name_key"));
    assert_null(strstr(got, "示例标记"));
    world_close(w);
}

struct seen {
    int n;
    char first_id[32];
};

/* Counts the rows and keeps the first one's id_number. */
static int each(void *arg, int64_t i, int64_t total, json_t *rec, struct rerr *e)
{
    struct seen *seen = arg;
    assert_int_equal(total, 3);
    assert_int_equal(i, seen->n);
    if (i == 0)
        snprintf(seen->first_id, sizeof seen->first_id, "%s", res_str(rec, "id_number"));
    seen->n++;
    return 0;
}

static void permission_scope_and_masking(void **state)
{
    (void)state;
    struct world *w = world_open();
    struct fx *f = w->f;
    int64_t audits = fx_audit_count(f);
    struct export_result res;
    struct rerr err;
    /* the leadership's viewer reads members and may still not take them away */
    struct actor viewer = fx_actor(20, ROLE_VIEWER, f->city, 0, true);
    assert_int_equal(run_as(w, &viewer, NULL, NULL, 0, NULL, &res, &err), R_EFORBID);
    assert_non_null(strstr(err.message, "管理员"));
    assert_false(exists(w->out));
    struct actor secretary = fx_actor(21, ROLE_SECRETARY, f->county, f->branch, false);
    assert_int_equal(run_as(w, &secretary, NULL, NULL, 0, NULL, &res, &err), R_EFORBID);
    assert_int_equal(fx_audit_count(f), audits);
    /* a county admin: only its procuratorate's rows */
    struct actor county = fx_actor(30, ROLE_ADMIN, f->county, 0, false);
    const char *cols[] = {"name"};
    assert_int_equal(run_as(w, &county, NULL, cols, 1, NULL, &res, &err), 0);
    assert_int_equal(res.rows, 2);
    assert_null(strstr(slurp(w->out), "其木格"));
    /* rows a viewer reads are masked as the list masks them (res_each) */
    struct res_ctx vx = fx_as(f, &viewer);
    struct res_query q = {.n = 1, .key = {"sort"}, .val = {"birth_date"}};
    struct seen seen = {0};
    assert_int_equal(res_each(&vx, res_find("members"), &q, each, &seen, &err), 0);
    assert_int_equal(seen.n, 3);
    assert_string_not_equal(seen.first_id, "150502198005060010");
    assert_non_null(strstr(seen.first_id, "*"));
    world_close(w);
}

static bool always(void *arg)
{
    (void)arg;
    return true;
}

static void bad_requests_and_cancelling(void **state)
{
    (void)state;
    struct world *w = world_open();
    struct fx *f = w->f;
    int64_t audits = fx_audit_count(f);
    struct export_result res;
    struct rerr err;
    const char *hidden[] = {"name_key"};
    assert_int_equal(run_as(w, &f->who, NULL, hidden, 1, NULL, &res, &err), R_EINVAL);
    assert_string_equal(err.code, "bad_column");
    const char *secret[] = {"confirm_duplicate"};
    assert_int_equal(run_as(w, &f->who, NULL, secret, 1, NULL, &res, &err), R_EINVAL);
    const char *unknown[] = {"nope"};
    assert_int_equal(run_as(w, &f->who, NULL, unknown, 1, NULL, &res, &err), R_EINVAL);
    struct res_query q = {.n = 1, .key = {"nope"}, .val = {"1"}};
    assert_int_equal(run_as(w, &f->who, &q, NULL, 0, NULL, &res, &err), R_EINVAL);
    assert_string_equal(err.code, "bad_query");
    struct res_query q2 = {.n = 1, .key = {"sort"}, .val = {"name_key"}};
    assert_int_equal(run_as(w, &f->who, &q2, NULL, 0, NULL, &res, &err), R_EINVAL);
    assert_false(exists(w->out));
    /* cancelled: nothing left, nothing audited */
    struct progress p = {.cancelled = always};
    assert_int_not_equal(run_as(w, &f->who, NULL, NULL, 0, &p, &res, &err), 0);
    assert_string_equal(err.code, "cancelled");
    assert_false(exists(w->out));
    assert_int_equal(fx_audit_count(f), audits);
    /* the list's own columns, with their headers; labels the caller gives win */
    const char *cols[] = {"name", "age", "branch_name"};
    const char *labels[] = {NULL, "年龄（岁）", ""};
    struct res_ctx x = fx_as(f, &f->who);
    struct export_spec s = {
        .r = res_find("members"), .columns = cols, .labels = labels, .ncolumns = 3, .format = SHEET_OUT_CSV};
    assert_int_equal(export_check(&x, &s, &err), 0);
    assert_int_equal(export_run(&x, &s, w->out, NULL, &res, &err), 0);
    assert_non_null(strstr(slurp(w->out), "姓名,年龄（岁）,所属党组织\r\n"));
    assert_int_equal(export_format_parse("XLSX"), SHEET_OUT_XLSX);
    assert_int_equal(export_format_parse("csv"), SHEET_OUT_CSV);
    assert_int_equal(export_format_parse("xls"), -1);
    world_close(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(system_export_with_filter_sort_and_columns),
        cmocka_unit_test(permission_scope_and_masking),
        cmocka_unit_test(bad_requests_and_cancelling),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
