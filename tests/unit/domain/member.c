/*
 * Unit tests for src/domain/member.c: the members collection's own rules, through
 * res_create and res_update (the public interface): 入党 at 18, the party group of the
 * member's own branch, the identity number against birth date and gender, the party
 * dates, and the namesake warning (possible_duplicate).
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

#include "auth/password.h"
#include "domain/resource.h"

#include "base/idcard.h"
#include "fixture.h"

/* A member of the fixture's branch from "extra" (taken; keys added to name and branch). */
static int64_t member(struct fx *f, struct res_ctx *x, const char *name, json_t *extra, struct rerr *e)
{
    json_object_set_new(extra, "name", json_string(name));
    json_object_set_new(extra, "branch_id", json_integer(f->branch));
    return fx_try(x ? x : &f->x, "members", extra, e);
}

#define REFUSED(call, want_rc, want_code, want_field)                                                        \
    do {                                                                                                     \
        int64_t rc_ = (call);                                                                                \
        if (rc_ != (want_rc) || strcmp(e.code, want_code) || strcmp(e.field, want_field))                    \
            fail_msg("%s: got %lld %s (%s)", #call, (long long)rc_, e.code, e.field);                        \
    } while (0)

static void joins_at_eighteen(void **state)
{
    struct fx *f = *state;
    struct rerr e;
    REFUSED(member(f, NULL, "甲",
                   json_pack("{s:s,s:s}", "birth_date", "2000-03-01", "joined_party", "2018-02-28"), &e),
            R_EUNPROC, "inconsistent", "joined_party");
    assert_true(member(f, NULL, "乙",
                       json_pack("{s:s,s:s}", "birth_date", "2000-03-01", "joined_party", "2018-03-01"),
                       &e) > 0);
    /* born on 02-29: 18 on 02-29 of a year that has none, compared as the day after 02-28 */
    REFUSED(member(f, NULL, "丙",
                   json_pack("{s:s,s:s}", "birth_date", "2000-02-29", "joined_party", "2018-02-28"), &e),
            R_EUNPROC, "inconsistent", "joined_party");
    assert_true(member(f, NULL, "丁",
                       json_pack("{s:s,s:s}", "birth_date", "2000-02-29", "joined_party", "2018-03-01"),
                       &e) > 0);
    /* on update, against the stored birth date */
    int64_t id = member(f, NULL, "戊", json_pack("{s:s}", "birth_date", "2000-03-01"), &e);
    REFUSED(fx_update(&f->x, "members", id,
                      json_pack("{s:i,s:s}", "version", 1, "joined_party", "2010-01-01"), &e),
            R_EUNPROC, "inconsistent", "joined_party");
}

static void party_group_of_the_same_branch(void **state)
{
    struct fx *f = *state;
    int64_t other = fx_create(f, "branches",
                              json_pack("{s:I,s:s,s:s}", "procuratorate_id", (json_int_t)f->county, "name",
                                        "旗院第二党支部", "kind", "党支部"));
    int64_t own_group = fx_create(
        f, "party-groups", json_pack("{s:I,s:s}", "branch_id", (json_int_t)f->branch, "name", "第一党小组"));
    int64_t their_group = fx_create(
        f, "party-groups", json_pack("{s:I,s:s}", "branch_id", (json_int_t)other, "name", "第二党小组"));
    struct rerr e;
    REFUSED(member(f, NULL, "甲", json_pack("{s:I}", "party_group_id", (json_int_t)their_group), &e),
            R_EUNPROC, "inconsistent", "party_group_id");
    int64_t id = member(f, NULL, "乙", json_pack("{s:I}", "party_group_id", (json_int_t)own_group), &e);
    assert_true(id > 0);
    /* moving to the other branch while keeping the group: refused */
    REFUSED(fx_update(&f->x, "members", id,
                      json_pack("{s:i,s:I}", "version", 1, "branch_id", (json_int_t)other), &e),
            R_EUNPROC, "inconsistent", "party_group_id");
    REFUSED(member(f, NULL, "丙", json_pack("{s:I}", "party_group_id", (json_int_t)9999), &e), R_EUNPROC,
            "invalid_reference", "party_group_id");
}

static void identity_number(void **state)
{
    struct fx *f = *state;
    char man[19], woman[19], bad[19];
    assert_true(idcard_make("150502", "1980-01-01", 11, man));
    assert_true(idcard_make("150502", "1985-06-15", 12, woman));
    strcpy(bad, man);
    bad[17] = bad[17] == '0' ? '1' : '0'; /* a wrong check character */
    struct rerr e;
    REFUSED(member(f, NULL, "甲", json_pack("{s:s}", "id_number", bad), &e), R_EINVAL, "invalid_id_number",
            "id_number");
    REFUSED(member(f, NULL, "甲", json_pack("{s:s,s:s}", "id_number", man, "birth_date", "1980-01-02"), &e),
            R_EUNPROC, "inconsistent", "birth_date");
    REFUSED(member(f, NULL, "甲", json_pack("{s:s,s:s}", "id_number", man, "gender", "女"), &e), R_EUNPROC,
            "inconsistent", "gender");
    /* birth date and gender filled in from the number */
    int64_t id = member(f, NULL, "甲", json_pack("{s:s}", "id_number", woman), &e);
    assert_true(id > 0);
    json_t *out = NULL;
    assert_int_equal(res_get(&f->x, res_find("members"), id, &out, &e), 0);
    assert_string_equal(res_str(out, "birth_date"), "1985-06-15");
    assert_string_equal(res_str(out, "gender"), "女");
    json_decref(out);
    /* nobody else's */
    REFUSED(member(f, NULL, "乙", json_pack("{s:s}", "id_number", woman), &e), R_ECONFLICT, "duplicate",
            "id_number");
    /* the masked form sent back by one who read it masked: unchanged */
    char masked[41];
    idcard_mask(woman, masked);
    assert_int_equal(
        fx_update(&f->x, "members", id,
                  json_pack("{s:i,s:s,s:s}", "version", 1, "id_number", masked, "position", "检察官"), &e),
        0);
    assert_int_equal(res_get(&f->x, res_find("members"), id, &out, &e), 0);
    assert_string_equal(res_str(out, "id_number"), woman);
    json_decref(out);
}

static void party_dates(void **state)
{
    struct fx *f = *state;
    struct rerr e;
    REFUSED(member(f, NULL, "甲",
                   json_pack("{s:s,s:s,s:s,s:s}", "birth_date", "1980-01-01", "joined_party", "2010-07-01",
                             "party_status", "预备党员", "full_member_date", "2011-07-01"),
                   &e),
            R_EUNPROC, "inconsistent", "full_member_date");
    /* a full member's 转正日期: one to two years after 入党 */
    REFUSED(member(f, NULL, "乙",
                   json_pack("{s:s,s:s,s:s}", "birth_date", "1980-01-01", "joined_party", "2010-07-01",
                             "full_member_date", "2011-06-30"),
                   &e),
            R_EUNPROC, "inconsistent", "full_member_date");
    REFUSED(member(f, NULL, "丙",
                   json_pack("{s:s,s:s,s:s}", "birth_date", "1980-01-01", "joined_party", "2010-07-01",
                             "full_member_date", "2012-07-02"),
                   &e),
            R_EUNPROC, "inconsistent", "full_member_date");
    int64_t id = member(f, NULL, "丁",
                        json_pack("{s:s,s:s,s:s}", "birth_date", "1980-01-01", "joined_party", "2010-07-01",
                                  "full_member_date", "2012-07-01"),
                        &e);
    assert_true(id > 0);
    json_t *out = NULL;
    assert_int_equal(res_get(&f->x, res_find("members"), id, &out, &e), 0);
    assert_string_equal(res_str(out, "party_status"), "正式党员"); /* implied by the date */
    json_decref(out);
    /* a full member without a 转正日期 is refused (by the hook or the engine: the code
     * and the field are the contract) */
    int64_t n = member(f, NULL, "戊",
                       json_pack("{s:s,s:s,s:s}", "birth_date", "1980-01-01", "joined_party", "2010-07-01",
                                 "party_status", "正式党员"),
                       &e);
    assert_true(n < 0);
    assert_string_equal(e.field, "full_member_date");
    assert_true(member(f, NULL, "己",
                       json_pack("{s:s,s:s,s:s}", "birth_date", "1980-01-01", "joined_party", "2025-07-01",
                                 "party_status", "预备党员"),
                       &e) > 0);
}

/* A namesake with the same birth date is refused until confirmed; the message names
 * the other's branch only to one who may read that member. */
static void possible_duplicate(void **state)
{
    struct fx *f = *state;
    struct rerr e;
    int64_t first = member(f, NULL, "巴特尔", json_pack("{s:s}", "birth_date", "1980-01-01"), &e);
    assert_true(first > 0);
    int64_t audits = fx_audit_count(f);
    REFUSED(member(f, NULL, "巴特尔", json_pack("{s:s}", "birth_date", "1980-01-01"), &e), R_ECONFLICT,
            "possible_duplicate", "name");
    assert_non_null(strstr(e.message, "旗院党支部"));
    assert_int_equal(fx_audit_count(f), audits);
    assert_true(member(f, NULL, "巴特尔", json_pack("{s:s}", "birth_date", "1980-01-02"), &e) > 0);
    assert_true(member(f, NULL, "巴特尔",
                       json_pack("{s:s,s:b}", "birth_date", "1980-01-01", "confirm_duplicate", 1), &e) > 0);
    /* an update that changes neither name nor birth date is not warned again */
    assert_int_equal(
        fx_update(&f->x, "members", first, json_pack("{s:i,s:s}", "version", 1, "position", "x"), &e), 0);
    /* another procuratorate's namesake: only that one exists elsewhere */
    int64_t city_branch = fx_create(f, "branches",
                                    json_pack("{s:I,s:s,s:s}", "procuratorate_id", (json_int_t)f->city,
                                              "name", "市院党支部", "kind", "党支部"));
    fx_create(f, "members",
              json_pack("{s:s,s:I,s:s}", "name", "其木格", "branch_id", (json_int_t)city_branch, "birth_date",
                        "1990-01-01"));
    struct actor county = fx_actor(30, ROLE_ADMIN, f->county, 0, false);
    struct res_ctx x = fx_as(f, &county);
    REFUSED(member(f, &x, "其木格", json_pack("{s:s}", "birth_date", "1990-01-01"), &e), R_ECONFLICT,
            "possible_duplicate", "name");
    assert_null(strstr(e.message, "市院党支部"));
    assert_non_null(strstr(e.message, "其他检察院"));
}

/* ?youth= and ?id_number=: the collection's own filters. */
static void own_filters(void **state)
{
    struct fx *f = *state;
    struct rerr e;
    member(f, NULL, "老", json_pack("{s:s}", "birth_date", "1960-01-01"), &e);
    member(f, NULL, "少", json_pack("{s:s}", "birth_date", "2000-01-01"), &e);
    struct res_query q = {.n = 1, .key = {"youth"}, .val = {"true"}};
    json_t *l = NULL;
    assert_int_equal(res_list(&f->x, res_find("members"), &q, &l, &e), 0);
    assert_int_equal(res_int(l, "total"), 1);
    assert_string_equal(res_str(json_array_get(json_object_get(l, "items"), 0), "name"), "少");
    json_decref(l);
    q.val[0] = "maybe";
    assert_int_equal(res_list(&f->x, res_find("members"), &q, &l, &e), R_EINVAL);
    assert_string_equal(e.code, "bad_query");
    struct actor viewer = fx_actor(31, ROLE_VIEWER, f->county, 0, false);
    struct res_ctx xv = fx_as(f, &viewer);
    struct res_query idq = {.n = 1, .key = {"id_number"}, .val = {"150502198001010011"}};
    assert_int_equal(res_list(&xv, res_find("members"), &idq, &l, &e), R_EFORBID);
    idq.val[0] = "123";
    assert_int_equal(res_list(&f->x, res_find("members"), &idq, &l, &e), R_EINVAL);
    assert_string_equal(e.code, "bad_query");
}

int main(void)
{
    password_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(joins_at_eighteen, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(party_group_of_the_same_branch, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(identity_number, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(party_dates, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(possible_duplicate, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(own_filters, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests_name("domain/member", tests, NULL, NULL);
}
