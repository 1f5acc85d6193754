/*
 * Unit tests for src/domain/import*.c on a real database, the rows given as a
 * spreadsheet reader would (struct sheet_row): the columns a descriptor yields, headers
 * found in any order (extra ones ignored, duplicates and missing required ones refusing
 * the file), cells converted by kind, references by name (ambiguous and unknown names
 * explained, namesakes told apart by birth date), the engine's own refusals mapped to
 * their column, all or nothing, the dry run, re-import with and without update mode,
 * the importer's scope, and cancellation.
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

#include "domain/import.h"
#include "domain/resource.h"

#include "fixture.h"

/* ---- rows from string tables: "" is an empty cell */

#define MAXC 16
struct rows {
    int n, at;
    int64_t first_line;
    const char *(*cells)[MAXC];
    struct sheet_cell buf[MAXC];
    int cancel_after; /* rows; 0 never */
};

static int next_row(void *arg, struct sheet_row *row, struct rerr *err)
{
    struct rows *t = arg;
    if (t->at >= t->n)
        return 0;
    int nc = 0;
    for (int i = 0; i < MAXC && t->cells[t->at][i]; i++) {
        const char *s = t->cells[t->at][i];
        t->buf[i] = (struct sheet_cell){*s ? SC_TEXT : SC_EMPTY, s, strlen(s), 0};
        nc = i + 1;
    }
    *row = (struct sheet_row){t->first_line + t->at, nc, t->buf};
    t->at++;
    return 1;
}

static bool cancel_now(void *arg)
{
    struct rows *t = arg;
    return t->cancel_after && t->at > t->cancel_after;
}

static int run(struct res_ctx *x, const char *coll, const char *(*cells)[MAXC], int n, bool update,
               bool check, struct import_result *res, struct rerr *e)
{
    struct rows t = {.n = n, .first_line = 1, .cells = cells};
    struct import_options o = {.update = update, .check = check};
    *e = (struct rerr){0};
    return import_rows(x, res_find(coll), next_row, &t, NULL, 0, &o, res, e);
}

static int64_t count(struct fx *f, const char *sql)
{
    store_stmt *st = store_prepare_dynamic(f->c, sql);
    store_step(st, NULL);
    int64_t n = store_col_int(st, 0);
    store_finalize(st);
    return n;
}

/* ---- tests */

static void columns_follow_the_descriptor(void **state)
{
    (void)state;
    struct import_column cols[IMPORT_MAX_COLUMNS];
    int n = import_columns(res_find("members"), cols);
    bool name = false, branch = false, secret = false, derived = false;
    for (int i = 0; i < n; i++) {
        name |= !strcmp(cols[i].header, "姓名") && cols[i].required;
        branch |= !strcmp(cols[i].header, "所属党组织") && cols[i].required;
        secret |= !strcmp(cols[i].f->name, "confirm_duplicate") || !strcmp(cols[i].f->name, "moved_on");
        derived |= !strcmp(cols[i].f->name, "procuratorate_id") || !strcmp(cols[i].f->name, "name_key");
    }
    assert_true(name && branch);
    assert_false(secret || derived);
    /* attendance names its member, with the helper columns for namesakes */
    n = import_columns(res_find("attendance"), cols);
    bool birth = false;
    for (int i = 0; i < n; i++)
        birth |= cols[i].role == IC_REF_BIRTH && !strcmp(cols[i].header, "党员出生日期");
    assert_true(birth);
    /* headers are unique in every importable collection; users and the audit are not importable */
    for (int r = 0; res_all[r]; r++) {
        if (!import_supported(res_all[r]))
            continue;
        n = import_columns(res_all[r], cols);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
                if (!strcmp(cols[i].header, cols[j].header))
                    fail_msg("%s: header %s twice", res_all[r]->name, cols[i].header);
    }
    assert_false(import_supported(res_find("users")));
    assert_false(import_supported(res_find("audit")));
    assert_false(import_supported(res_find("attachments")));
}

static void members_by_name_all_written(void **state)
{
    struct fx *f = *state;
    struct import_result res;
    struct rerr e;
    int64_t audit0 = fx_audit_count(f);
    const char *cells[][MAXC] = {
        {"党员名册", NULL}, /* a title row above the header */
        {"姓名", "备注", "所属党组织*", "出生日期", "入党日期", "员额检察官", "工作语言", NULL},
        {"张三", "x", "旗院党支部", "1980/3/1", "2001年7月1日", "是", "中文", NULL},
        {" 李四 ", "", "旗院党支部", "1985-05-05", "", "否", "zh+mn", NULL},
        {"", "", "", "", "", "", "", NULL}, /* blank: skipped */
    };
    assert_int_equal(run(&f->x, "members", cells, 5, false, false, &res, &e), 0);
    assert_int_equal(res.rows, 2);
    assert_int_equal(res.valid, 2);
    assert_int_equal(res.error_count, 0);
    assert_true(res.committed);
    assert_int_equal(res.written, 2);
    assert_int_equal(res.header_line, 2);
    assert_int_equal(res.nignored, 1);
    assert_string_equal(res.ignored[0], "备注");
    import_result_free(&res);
    assert_int_equal(count(f,
                           "SELECT count(*) FROM members WHERE name = '张三' AND birth_date = '1980-03-01'"
                           " AND joined_party = '2001-07-01' AND quota_prosecutor = 1 AND languages = 'zh'"),
                     1);
    assert_int_equal(count(f, "SELECT count(*) FROM members WHERE name = '李四' AND languages = 'zh+mn'"), 1);
    /* each row audited by the engine (a member also writes its first term) */
    assert_true(fx_audit_count(f) >= audit0 + 2);
}

static void a_bad_row_at_the_end_writes_nothing(void **state)
{
    struct fx *f = *state;
    struct import_result res;
    struct rerr e;
    int64_t audit0 = fx_audit_count(f);
    const char *cells[][MAXC] = {
        {"所属党组织", "姓名", "出生日期", "入党日期", "员额检察官", NULL},
        {"旗院党支部", "甲", "1980-01-01", "", "", NULL},
        {"旗院党支部", "乙", "1981-01-01", "", "也许", NULL},       /* not 是/否 */
        {"旗院党支部", "丙", "1990-01-01", "2000-01-01", "", NULL}, /* under 18: the engine */
        {"旗院二支部", "丁", "1990-01-01", "", "", NULL},           /* no such branch */
        {"旗院党支部", "戊", "1990-02-30", "", "", NULL},           /* no such day */
        {"旗院党支部", "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一", "", "", "", NULL},
    };
    assert_int_equal(run(&f->x, "members", cells, 7, false, false, &res, &e), 0);
    assert_int_equal(res.rows, 6);
    assert_int_equal(res.valid, 1);
    assert_int_equal(res.error_count, 5);
    assert_false(res.committed);
    assert_int_equal(res.written, 0);
    assert_int_equal(res.nerrors, 5);
    assert_int_equal(res.errors[0].line, 3);
    assert_string_equal(res.errors[0].column, "员额检察官");
    assert_string_equal(res.errors[0].value, "也许");
    assert_int_equal(res.errors[1].line, 4);
    assert_string_equal(res.errors[1].column, "入党日期");
    assert_string_equal(res.errors[1].message, "入党日期应在年满18周岁之后"); /* the API's own message */
    assert_int_equal(res.errors[2].line, 5);
    assert_string_equal(res.errors[2].column, "所属党组织");
    assert_non_null(strstr(res.errors[2].message, "旗院二支部"));
    assert_string_equal(res.errors[3].column, "出生日期");
    assert_string_equal(res.errors[4].code, "too_long");
    assert_string_equal(res.errors[4].column, "姓名");
    import_result_free(&res);
    assert_int_equal(count(f, "SELECT count(*) FROM members"), 0);
    assert_int_equal(fx_audit_count(f), audit0);
}

static void headers_refused_before_any_row(void **state)
{
    struct fx *f = *state;
    struct import_result res;
    struct rerr e;
    const char *dup[][MAXC] = {
        {"姓名", "所属党组织", "name", NULL},
        {"甲", "旗院党支部", "甲", NULL},
    };
    assert_int_equal(run(&f->x, "members", dup, 2, false, false, &res, &e), R_EINVAL);
    assert_string_equal(e.code, "duplicate_header");
    assert_int_equal(res.rows, 0);
    import_result_free(&res);
    const char *missing[][MAXC] = {
        {"姓名", "出生日期", NULL},
        {"甲", "1980-01-01", NULL},
    };
    assert_int_equal(run(&f->x, "members", missing, 2, false, false, &res, &e), R_EINVAL);
    assert_string_equal(e.code, "missing_columns");
    assert_non_null(strstr(e.message, "所属党组织"));
    import_result_free(&res);
    const char *none[][MAXC] = {{"甲", "乙", NULL}, {"丙", "丁", NULL}};
    assert_int_equal(run(&f->x, "members", none, 2, false, false, &res, &e), R_EINVAL);
    assert_string_equal(e.code, "no_header");
    import_result_free(&res);
    assert_int_equal(count(f, "SELECT count(*) FROM members"), 0);
}

static void check_writes_nothing(void **state)
{
    struct fx *f = *state;
    struct import_result res;
    struct rerr e;
    const char *cells[][MAXC] = {{"所属党组织", "姓名", NULL}, {"旗院党支部", "甲", NULL}};
    assert_int_equal(run(&f->x, "members", cells, 2, false, true, &res, &e), 0);
    assert_int_equal(res.valid, 1);
    assert_int_equal(res.created, 1);
    assert_false(res.committed);
    assert_int_equal(res.written, 0);
    import_result_free(&res);
    assert_int_equal(count(f, "SELECT count(*) FROM members"), 0);
}

static void reimport_needs_update_mode(void **state)
{
    struct fx *f = *state;
    struct import_result res;
    struct rerr e;
    const char *first[][MAXC] = {
        {"所属检察院", "案号", "案件名称", "案件类型", "受理日期", NULL},
        {"旗院", "旗检刑诉〔2024〕1号", "张某盗窃案", "审查起诉", "2024-03-01", NULL},
    };
    assert_int_equal(run(&f->x, "cases", first, 2, false, false, &res, &e), 0);
    assert_int_equal(res.created, 1);
    assert_true(res.committed);
    import_result_free(&res);
    const char *again[][MAXC] = {
        {"案号", "所属检察院", "案件名称", "案件类型", "受理日期", NULL},
        {"旗检刑诉〔2024〕1号", "旗院", "张某盗窃案（更正）", "审查起诉", "2024-03-01", NULL},
    };
    assert_int_equal(run(&f->x, "cases", again, 2, false, false, &res, &e), 0);
    assert_int_equal(res.error_count, 1);
    assert_string_equal(res.errors[0].code, "exists");
    assert_non_null(strstr(res.errors[0].message, "更新模式"));
    assert_string_equal(res.errors[0].column, "案号");
    import_result_free(&res);
    assert_int_equal(count(f, "SELECT count(*) FROM cases"), 1);
    assert_int_equal(run(&f->x, "cases", again, 2, true, false, &res, &e), 0);
    assert_int_equal(res.updated, 1);
    assert_int_equal(res.created, 0);
    assert_true(res.committed);
    import_result_free(&res);
    assert_int_equal(
        count(f, "SELECT count(*) FROM cases WHERE title = '张某盗窃案（更正）' AND version = 2"), 1);
    /* the same key twice in one file */
    const char *twice[][MAXC] = {
        {"案号", "所属检察院", "案件名称", "案件类型", "受理日期", NULL},
        {"2号", "旗院", "甲案", "审查起诉", "2024-03-01", NULL},
        {"2号", "旗院", "乙案", "审查起诉", "2024-03-02", NULL},
    };
    assert_int_equal(run(&f->x, "cases", twice, 3, true, false, &res, &e), 0);
    assert_int_equal(res.error_count, 1);
    assert_string_equal(res.errors[0].code, "duplicate_row");
    assert_non_null(strstr(res.errors[0].message, "第 2 行"));
    import_result_free(&res);
}

static void namesakes_and_attendance(void **state)
{
    struct fx *f = *state;
    struct import_result res;
    struct rerr e;
    fx_create(f, "members",
              json_pack("{s:s,s:I,s:s,s:s}", "name", "王五", "branch_id", (json_int_t)f->branch, "birth_date",
                        "1980-01-01", "joined_party", "2000-01-01"));
    fx_create(f, "members",
              json_pack("{s:s,s:I,s:s,s:s}", "name", "王五", "branch_id", (json_int_t)f->branch, "birth_date",
                        "1982-02-02", "joined_party", "2003-01-01"));
    int64_t act = fx_create(f, "activities",
                            json_pack("{s:I,s:s,s:s,s:s}", "branch_id", (json_int_t)f->branch, "kind",
                                      "支部党员大会", "held_on", "2024-01-10", "topic", "学习"));
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)act);
    const char *amb[][MAXC] = {
        {"组织生活", "党员", "出席情况", NULL},
        {id, "王五", "出席", NULL},
        {id, "赵六", "出席", NULL},
    };
    assert_int_equal(run(&f->x, "attendance", amb, 3, false, false, &res, &e), 0);
    assert_int_equal(res.error_count, 2);
    assert_non_null(strstr(res.errors[0].message, "党员出生日期"));
    assert_non_null(strstr(res.errors[1].message, "赵六"));
    import_result_free(&res);
    const char *told[][MAXC] = {
        {"组织生活", "党员", "党员出生日期", "出席情况", "缺席原因", NULL},
        {id, "王五", "1980/1/1", "出席", "", NULL},
        {id, "王五", "1982-02-02", "缺席", "病假", NULL},
    };
    assert_int_equal(run(&f->x, "attendance", told, 3, false, false, &res, &e), 0);
    assert_int_equal(res.error_count, 0);
    assert_int_equal(res.written, 2);
    import_result_free(&res);
    assert_int_equal(count(f, "SELECT count(*) FROM attendance"), 2);
}

static void scope_and_roles(void **state)
{
    struct fx *f = *state;
    struct import_result res;
    struct rerr e;
    int64_t other = fx_create(f, "procuratorates",
                              json_pack("{s:s,s:s,s:i,s:I}", "name", "他院", "short_name", "他院", "level", 2,
                                        "parent_id", (json_int_t)f->city));
    fx_create(f, "branches",
              json_pack("{s:I,s:s,s:s}", "procuratorate_id", (json_int_t)other, "name", "他院党支部", "kind",
                        "党支部"));
    struct actor admin = fx_actor(7, ROLE_ADMIN, f->county, 0, false);
    struct res_ctx ax = fx_as(f, &admin);
    /* the other procuratorate's branch is not even found by a county administrator */
    const char *cells[][MAXC] = {
        {"所属党组织", "姓名", NULL},
        {"旗院党支部", "甲", NULL},
        {"他院党支部", "乙", NULL},
    };
    assert_int_equal(run(&ax, "members", cells, 3, false, false, &res, &e), 0);
    assert_int_equal(res.error_count, 1);
    assert_int_equal(res.errors[0].line, 3);
    assert_false(res.committed);
    import_result_free(&res);
    /* named by id, the engine refuses it */
    char bid[24];
    snprintf(bid, sizeof bid, "%lld",
             (long long)count(f, "SELECT id FROM branches WHERE name = '他院党支部'"));
    const char *byid[][MAXC] = {{"所属党组织", "姓名", NULL}, {bid, "乙", NULL}};
    assert_int_equal(run(&ax, "members", byid, 2, false, false, &res, &e), 0);
    assert_int_equal(res.error_count, 1);
    import_result_free(&res);
    struct actor viewer = fx_actor(8, ROLE_VIEWER, f->county, 0, false);
    struct res_ctx vx = fx_as(f, &viewer);
    const char *mine[][MAXC] = {{"所属党组织", "姓名", NULL}, {"旗院党支部", "甲", NULL}};
    assert_int_equal(run(&vx, "members", mine, 2, false, false, &res, &e), 0);
    assert_int_equal(res.error_count, 1);
    assert_string_equal(res.errors[0].code, "forbidden");
    import_result_free(&res);
    assert_int_equal(count(f, "SELECT count(*) FROM members"), 0);
}

static void cancelled_writes_nothing(void **state)
{
    struct fx *f = *state;
    enum { N = 5000 };
    const char *(*cells)[MAXC] = calloc(N + 1, sizeof *cells);
    static char names[N][16];
    cells[0][0] = "所属党组织";
    cells[0][1] = "姓名";
    for (int i = 1; i <= N; i++) {
        snprintf(names[i - 1], sizeof names[i - 1], "员%d", i);
        cells[i][0] = "旗院党支部";
        cells[i][1] = names[i - 1];
    }
    struct rows t = {.n = N + 1, .first_line = 1, .cells = cells, .cancel_after = 3000};
    struct progress p = {.cancelled = cancel_now, .arg = &t};
    struct import_options o = {.progress = &p};
    struct import_result res;
    struct rerr e = {0};
    assert_int_equal(import_rows(&f->x, res_find("members"), next_row, &t, NULL, 0, &o, &res, &e), R_EINVAL);
    assert_string_equal(e.code, "cancelled");
    import_result_free(&res);
    assert_int_equal(count(f, "SELECT count(*) FROM members"), 0);
    /* the same file, not cancelled, and too many rows for a cap of 4000 */
    t = (struct rows){.n = N + 1, .first_line = 1, .cells = cells};
    o = (struct import_options){.max_rows = 4000};
    assert_int_equal(import_rows(&f->x, res_find("members"), next_row, &t, NULL, 0, &o, &res, &e), R_ETOOBIG);
    import_result_free(&res);
    assert_int_equal(count(f, "SELECT count(*) FROM members"), 0);
    t = (struct rows){.n = N + 1, .first_line = 1, .cells = cells};
    o = (struct import_options){0};
    assert_int_equal(import_rows(&f->x, res_find("members"), next_row, &t, NULL, 0, &o, &res, &e), 0);
    assert_int_equal(res.written, N);
    import_result_free(&res);
    free(cells);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(columns_follow_the_descriptor),
        cmocka_unit_test_setup_teardown(members_by_name_all_written, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(a_bad_row_at_the_end_writes_nothing, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(headers_refused_before_any_row, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(check_writes_nothing, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(reimport_needs_update_mode, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(namesakes_and_attendance, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(scope_and_roles, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(cancelled_writes_nothing, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
