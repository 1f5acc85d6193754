/*
 * Unit tests for src/domain/cases.c: the stage lists per type and the interpreter rule
 * (pure functions), and through res_create/res_update/res_list the collections' own
 * rules: stages in order, a stage the type lacks, the case number per procuratorate, the
 * team's exactly-one-of-three and single 主办检察官, a county administrator and another
 * county's member, the derived composition and the review's reviewer.
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

#include "domain/cases.h"
#include "domain/resource.h"

#include "fixture.h"

#define REFUSED(call, want_rc, want_code, want_field)                                                        \
    do {                                                                                                     \
        int64_t rc_ = (call);                                                                                \
        if (rc_ != (want_rc) || strcmp(e.code, want_code) || strcmp(e.field, want_field))                    \
            fail_msg("%s: got %lld %s (%s) %s", #call, (long long)rc_, e.code, e.field, e.message);          \
    } while (0)

static void stage_lists(void **state)
{
    (void)state;
    const char *const *l = case_stages_of("审查逮捕");
    assert_non_null(l);
    assert_string_equal(l[0], "受理");
    assert_null(l[2]);
    assert_null(l[3]);
    assert_string_equal(l[4], "办结");
    l = case_stages_of("审查起诉");
    for (int i = 0; i < CASE_NSTAGES; i++)
        assert_non_null(l[i]);
    assert_string_equal(l[2], "提起公诉");
    assert_null(case_stages_of("没有这种"));
    assert_null(case_stages_of(NULL));
    assert_string_equal(case_stage_fields[0], "received_on");
    assert_string_equal(case_stage_names[CASE_NSTAGES - 1], "办结");
}

static void interpreter_rule(void **state)
{
    (void)state;
    assert_true(case_needs_interpreter("汉语", "蒙古语"));
    assert_true(case_needs_interpreter("蒙古语", "汉语"));
    assert_true(case_needs_interpreter("双语", "其他"));
    assert_true(case_needs_interpreter("汉语", "其他"));
    assert_false(case_needs_interpreter("双语", "蒙古语"));
    assert_false(case_needs_interpreter("双语", "汉语"));
    assert_false(case_needs_interpreter("汉语", "汉语"));
    assert_false(case_needs_interpreter("蒙古语", "双语"));
    assert_false(case_needs_interpreter("汉语", NULL));
}

static int64_t new_case(struct fx *f, struct res_ctx *x, const char *no, json_t *extra, struct rerr *e)
{
    json_object_set_new(extra, "procuratorate_id", json_integer(f->county));
    json_object_set_new(extra, "case_no", json_string(no));
    json_object_set_new(extra, "title", json_string("某某盗窃案"));
    if (!json_object_get(extra, "type"))
        json_object_set_new(extra, "type", json_string("审查起诉"));
    if (!json_object_get(extra, "received_on"))
        json_object_set_new(extra, "received_on", json_string("2025-01-10"));
    return fx_try(x ? x : &f->x, "cases", extra, e);
}

static void stages_in_order(void **state)
{
    struct fx *f = *state;
    struct rerr e;
    int64_t before = fx_audit_count(f);
    REFUSED(new_case(f, NULL, "1", json_pack("{s:s}", "decided_on", "2025-01-09"), &e), R_EUNPROC,
            "inconsistent", "decided_on");
    /* against the last stage dated, skipping those not dated */
    REFUSED(new_case(f, NULL, "1",
                     json_pack("{s:s,s:s}", "decided_on", "2025-02-01", "closed_on", "2025-01-20"), &e),
            R_EUNPROC, "inconsistent", "closed_on");
    REFUSED(new_case(f, NULL, "1", json_pack("{s:s,s:s}", "type", "审查逮捕", "judged_on", "2025-02-01"), &e),
            R_EUNPROC, "inconsistent", "judged_on");
    /* after today (the date itself is real) */
    REFUSED(new_case(f, NULL, "1", json_pack("{s:s}", "closed_on", "2090-01-01"), &e), R_EINVAL,
            "invalid_date", "closed_on");
    assert_int_equal(fx_audit_count(f), before);
    int64_t id = new_case(f, NULL, "1",
                          json_pack("{s:s,s:s}", "decided_on", "2025-01-10", "closed_on", "2025-03-01"), &e);
    assert_true(id > 0);
    REFUSED(fx_update(&f->x, "cases", id, json_pack("{s:i,s:s}", "version", 1, "filed_on", "2025-03-02"), &e),
            R_EUNPROC, "inconsistent", "closed_on");
    assert_int_equal(
        fx_update(&f->x, "cases", id, json_pack("{s:i,s:s}", "version", 1, "filed_on", "2025-02-01"), &e), 0);
    /* the same number again in the procuratorate: 409 */
    REFUSED(new_case(f, NULL, "1", json_object(), &e), R_ECONFLICT, "duplicate", "case_no");
}

static void team_rules(void **state)
{
    struct fx *f = *state;
    struct rerr e;
    int64_t c = new_case(f, NULL, "T1", json_object(), &e);
    assert_true(c > 0);
    int64_t lead = fx_create(
        f, "members",
        json_pack("{s:I,s:s,s:b}", "branch_id", (json_int_t)f->branch, "name", "甲", "quota_prosecutor", 1));
    REFUSED(
        fx_try(&f->x, "case-members", json_pack("{s:I,s:s}", "case_id", (json_int_t)c, "role", "书记员"), &e),
        R_EINVAL, "required", "member_id");
    REFUSED(fx_try(&f->x, "case-members",
                   json_pack("{s:I,s:s,s:I,s:s}", "case_id", (json_int_t)c, "role", "书记员", "member_id",
                             (json_int_t)lead, "unit_name", "某局"),
                   &e),
            R_EUNPROC, "inconsistent", "unit_name");
    assert_true(fx_try(&f->x, "case-members",
                       json_pack("{s:I,s:s,s:I}", "case_id", (json_int_t)c, "role", "主办检察官", "member_id",
                                 (json_int_t)lead),
                       &e) > 0);
    REFUSED(fx_try(&f->x, "case-members",
                   json_pack("{s:I,s:s,s:s}", "case_id", (json_int_t)c, "role", "主办检察官", "person_name",
                             "乙"),
                   &e),
            R_ECONFLICT, "duplicate", "role");
    assert_true(fx_try(&f->x, "case-members",
                       json_pack("{s:I,s:s,s:s,s:b}", "case_id", (json_int_t)c, "role", "检察官助理",
                                 "person_name", "乙", "person_quota", 1),
                       &e) > 0);
    assert_true(
        fx_try(&f->x, "case-members",
               json_pack("{s:I,s:s,s:s}", "case_id", (json_int_t)c, "role", "其他", "unit_name", "旗文旅局"),
               &e) > 0);
    json_t *rec = NULL;
    assert_int_equal(res_get(&f->x, &res_cases, c, &rec, &e), 0);
    assert_int_equal(res_int(rec, "team_size"), 3);
    assert_int_equal(res_int(rec, "party_member_count"), 1);
    assert_int_equal(res_int(rec, "quota_prosecutor_count"), 2);
    assert_int_equal(res_int(rec, "unit_count"), 1);
    assert_true(json_is_true(json_object_get(rec, "led_by_party_member")));
    assert_string_equal(res_str(rec, "lead_name"), "甲");
    assert_int_equal(json_array_size(json_object_get(rec, "stages")), CASE_NSTAGES);
    json_decref(rec);

    /* a county administrator of another county may neither see nor name this county's member */
    int64_t other = fx_create(f, "procuratorates",
                              json_pack("{s:s,s:s,s:i,s:I}", "name", "他旗院", "short_name", "他旗", "level",
                                        2, "parent_id", (json_int_t)f->city));
    struct actor oa = fx_actor(7, ROLE_ADMIN, other, 0, false);
    struct res_ctx ox = fx_as(f, &oa);
    json_t *body = json_pack("{s:I,s:s,s:s,s:s,s:s}", "procuratorate_id", (json_int_t)other, "case_no", "O1",
                             "title", "他院案件", "type", "其他", "received_on", "2025-01-01");
    int64_t oc = fx_try(&ox, "cases", body, &e);
    assert_true(oc > 0);
    REFUSED(fx_try(&ox, "case-members",
                   json_pack("{s:I,s:s,s:I}", "case_id", (json_int_t)oc, "role", "检察官助理", "member_id",
                             (json_int_t)lead),
                   &e),
            R_EUNPROC, "invalid_reference", "member_id");
    REFUSED(fx_try(&ox, "cases",
                   json_pack("{s:I,s:s,s:s,s:s,s:s}", "procuratorate_id", (json_int_t)f->county, "case_no",
                             "T1", "title", "x", "type", "其他", "received_on", "2025-01-01"),
                   &e),
            R_EFORBID, "forbidden", "");
}

static void review_rules(void **state)
{
    struct fx *f = *state;
    struct rerr e;
    int64_t c = new_case(f, NULL, "R1", json_object(), &e);
    int64_t r = fx_try(&f->x, "case-reviews",
                       json_pack("{s:I,s:s,s:i,s:s}", "case_id", (json_int_t)c, "aspect", "政治考量", "score",
                                 100, "reviewer_name", "冒名"),
                       &e);
    assert_true(r > 0);
    json_t *rec = NULL;
    assert_int_equal(res_get(&f->x, &res_case_reviews, r, &rec, &e), 0);
    assert_string_equal(res_str(rec, "reviewer_name"), "系统（命令行）");
    assert_int_equal(res_int(rec, "procuratorate_id"), f->county);
    json_decref(rec);
    REFUSED(fx_try(&f->x, "case-reviews",
                   json_pack("{s:I,s:s,s:i}", "case_id", (json_int_t)c, "aspect", "政治考量", "score", 90),
                   &e),
            R_ECONFLICT, "duplicate", "aspect");
    REFUSED(fx_try(&f->x, "case-reviews",
                   json_pack("{s:I,s:s,s:i}", "case_id", (json_int_t)c, "aspect", "社会影响", "score", 101),
                   &e),
            R_EINVAL, "invalid_value", "score");
    REFUSED(fx_try(&f->x, "case-reviews",
                   json_pack("{s:I,s:s,s:i,s:s}", "case_id", (json_int_t)c, "aspect", "社会影响", "score", 60,
                             "reviewed_on", "2025-01-09"),
                   &e),
            R_EUNPROC, "inconsistent", "reviewed_on");
}

/* required_if on a boolean: the write-up and the level while typical is true only */
static void typical_cases(void **state)
{
    struct fx *f = *state;
    struct rerr e;
    REFUSED(new_case(f, NULL, "Y1", json_pack("{s:b,s:s}", "typical", 1, "typical_level", "市院"), &e),
            R_EINVAL, "required", "typical_writeup");
    REFUSED(new_case(f, NULL, "Y1", json_pack("{s:b,s:s}", "typical", 1, "typical_writeup", "材料"), &e),
            R_EINVAL, "required", "typical_level");
    int64_t plain = new_case(f, NULL, "Y1", json_pack("{s:b}", "typical", 0), &e);
    assert_true(plain > 0);
    REFUSED(fx_update(&f->x, "cases", plain, json_pack("{s:i,s:b}", "version", 1, "typical", 1), &e),
            R_EINVAL, "required", "typical_level");
    assert_int_equal(fx_update(&f->x, "cases", plain,
                               json_pack("{s:i,s:b,s:s,s:s}", "version", 1, "typical", 1, "typical_level",
                                         "本院", "typical_writeup", "材料"),
                               &e),
                     0);
}

static void filters(void **state)
{
    struct fx *f = *state;
    struct rerr e;
    assert_true(new_case(f, NULL, "F1", json_pack("{s:s}", "decided_on", "2025-02-01"), &e) > 0);
    assert_true(new_case(f, NULL, "F2", json_object(), &e) > 0);
    struct res_query q = {.n = 1, .key = {"stage"}, .val = {"审查决定"}};
    json_t *l = NULL;
    assert_int_equal(res_list(&f->x, &res_cases, &q, &l, &e), 0);
    assert_int_equal(res_int(l, "total"), 1);
    json_decref(l);
    q.val[0] = "受理";
    assert_int_equal(res_list(&f->x, &res_cases, &q, &l, &e), 0);
    assert_int_equal(res_int(l, "total"), 1);
    json_decref(l);
    q.val[0] = "别的";
    assert_int_equal(res_list(&f->x, &res_cases, &q, &l, &e), R_EINVAL);
    struct res_query r = {.n = 2, .key = {"from", "to"}, .val = {"2025-02-01", "2025-01-01"}};
    assert_int_equal(res_list(&f->x, &res_cases, &r, &l, &e), R_EINVAL);
    assert_string_equal(e.field, "from");
    struct res_query b = {.n = 1, .key = {"led_by_party_member"}, .val = {"maybe"}};
    assert_int_equal(res_list(&f->x, &res_cases, &b, &l, &e), R_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stage_lists),
        cmocka_unit_test(interpreter_rule),
        cmocka_unit_test_setup_teardown(stages_in_order, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(team_rules, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(review_rules, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(typical_cases, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(filters, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests_name("domain/cases", tests, NULL, NULL);
}
