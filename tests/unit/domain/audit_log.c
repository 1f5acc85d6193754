/*
 * Unit tests for src/domain/audit_log.c on a real SQLite file: the date filters' Beijing
 * day boundaries, the actor filter, and what each entry carries for its reader (the
 * operator's name, the names of the rows it refers to, never across scope).
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
#include <unistd.h>

#include "auth/audit.h"
#include "auth/password.h"
#include "domain/resource.h"
#include "store/store.h"

#include "fixture.h"

static int setup(void **state)
{
    *state = fx_open("unit-audit-log");
    return 0;
}

static int teardown(void **state)
{
    fx_close(*state);
    return 0;
}

/* GET /audit with "n" key=value pairs, as "who"; the list (or NULL with *err). */
static json_t *audit_list(struct fx *f, const struct actor *who, struct rerr *err, int n, ...)
{
    struct res_query q = {0};
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        q.key[i] = va_arg(ap, const char *);
        q.val[i] = va_arg(ap, const char *);
    }
    va_end(ap);
    q.n = n;
    struct res_ctx x = {.c = f->c, .who = who, .a = f->x.a};
    json_t *out = NULL;
    return res_list(&x, res_find("audit"), &q, &out, err) < 0 ? NULL : out;
}

static int64_t total_of(json_t *list)
{
    int64_t n = json_integer_value(json_object_get(list, "total"));
    json_decref(list);
    return n;
}

/* Two entries written straight into the table at either side of Beijing midnight. */
static void put_entry(struct fx *f, int64_t id, const char *ts)
{
    char *sql = arena_printf(f->x.a,
                             "INSERT INTO audit(id, ts, user_id, username, action, entity, entity_id,"
                             " procuratorate_id, prev_hash, hash, fmt) VALUES (%lld, '%s', NULL, 'clock',"
                             " 'update', 'branches', 1, 1, '', '', 2)",
                             (long long)id, ts);
    struct rerr e = {0};
    if (store_exec(f->c, sql, &e) < 0)
        fail_msg("%s", e.message);
}

static void dates_are_beijing_days(void **state)
{
    struct fx *f = *state;
    put_entry(f, 1000, "2026-03-01T15:59:59.999Z"); /* 2026-03-01 23:59:59.999 in Beijing */
    put_entry(f, 1001, "2026-03-01T16:00:00.000Z"); /* 2026-03-02 00:00 in Beijing */
    struct rerr e = {0};
    assert_int_equal(
        total_of(audit_list(f, &f->who, &e, 3, "actor", "clock", "from", "2026-03-01", "to", "2026-03-01")),
        1);
    json_t *l = audit_list(f, &f->who, &e, 2, "actor", "clock", "from", "2026-03-02");
    assert_non_null(l);
    assert_int_equal(res_int(json_array_get(json_object_get(l, "items"), 0), "id"), 1001);
    assert_int_equal(total_of(l), 1);
    assert_int_equal(total_of(audit_list(f, &f->who, &e, 2, "actor", "clock", "to", "2026-02-28")), 0);
    assert_int_equal(
        total_of(audit_list(f, &f->who, &e, 3, "actor", "clock", "from", "2026-02-28", "to", "2026-03-02")),
        2);
    /* a month boundary and a leap day are days like others */
    assert_int_equal(total_of(audit_list(f, &f->who, &e, 1, "to", "2024-02-29")), 0);
}

static void bad_dates_are_refused(void **state)
{
    struct fx *f = *state;
    const char *bad[] = {"2026-02-29", "2026-13-01", "2026-1-01", "", "x", "2026-03-01 ", "20260301"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct rerr e = {0};
        json_t *l = audit_list(f, &f->who, &e, 1, "from", bad[i]);
        if (!*bad[i]) { /* an empty filter is no filter */
            assert_non_null(l);
            json_decref(l);
            continue;
        }
        assert_null(l);
        assert_int_equal(e.rc, R_EINVAL);
        assert_string_equal(e.code, "bad_query");
        assert_string_equal(e.field, "from");
    }
}

static void entries_carry_names_within_scope(void **state)
{
    struct fx *f = *state;
    struct rerr e = {0};
    /* the fixture's records were written by the command line's actor, which reads as the
     * system; what src/demo writes (the system, named "demo") reads as the demo */
    json_t *l = audit_list(f, &f->who, &e, 2, "entity", "procuratorates", "action", "create");
    assert_non_null(l);
    json_t *entry = json_array_get(json_object_get(l, "items"), 0);
    assert_string_equal(res_str(entry, "actor_name"), "系统（命令行）");
    json_decref(l);
    snprintf(f->who.username, sizeof f->who.username, "%s", "demo");
    fx_create(f, "branches",
              json_pack("{s:I,s:s,s:s}", "procuratorate_id", (json_int_t)f->county, "name", "示例党支部",
                        "kind", "党支部"));
    l = audit_list(f, &f->who, &e, 1, "actor", "demo");
    assert_non_null(l);
    assert_int_equal(json_integer_value(json_object_get(l, "total")), 1);
    entry = json_array_get(json_object_get(l, "items"), 0);
    assert_string_equal(res_str(entry, "actor_name"), "示例数据（系统生成）");
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)f->county);
    json_t *procs = json_object_get(json_object_get(entry, "names"), "procuratorate_id");
    assert_string_equal(json_string_value(json_object_get(procs, key)), "旗院");
    json_decref(l);

    /* a user of the county, whose display name the county's administrator may read and
     * another county's may not */
    int64_t uid = fx_create(f, "users",
                            json_pack("{s:s,s:s,s:s,s:s,s:I}", "username", "qi-admin", "display_name",
                                      "旗院管理员", "password", "Tongliao-pw-2026!", "role", "admin",
                                      "procuratorate_id", (json_int_t)f->county));
    int64_t other = fx_create(f, "procuratorates",
                              json_pack("{s:s,s:s,s:i,s:I}", "name", "县院", "short_name", "县院", "level", 2,
                                        "parent_id", (json_int_t)f->city));
    struct actor qi = {.user_id = uid, .role = ROLE_ADMIN, .procuratorate_id = f->county};
    snprintf(qi.username, sizeof qi.username, "%s", "qi-admin");
    struct actor xian = {.user_id = 0, .role = ROLE_ADMIN, .procuratorate_id = other};
    snprintf(xian.username, sizeof xian.username, "%s", "xian-admin");
    struct res_ctx x = {.c = f->c, .who = &qi, .a = f->x.a};
    json_t *out = NULL;
    json_t *body = json_pack("{s:I,s:s,s:s}", "procuratorate_id", (json_int_t)f->county, "name", "第二党支部",
                             "kind", "党支部");
    assert_int_equal(res_create(&x, res_find("branches"), body, &out, &e), 0);
    json_decref(body);
    json_decref(out);
    l = audit_list(f, &qi, &e, 1, "actor", "旗院管理员");
    assert_non_null(l);
    assert_int_equal(json_integer_value(json_object_get(l, "total")), 1);
    entry = json_array_get(json_object_get(l, "items"), 0);
    assert_string_equal(res_str(entry, "actor_name"), "旗院管理员");
    json_decref(l);
    /* the same entry, read by the city (scope_all): the name too */
    l = audit_list(f, &f->who, &e, 1, "actor", "qi-admin");
    assert_string_equal(res_str(json_array_get(json_object_get(l, "items"), 0), "actor_name"), "旗院管理员");
    json_decref(l);
    /* another county sees none of the county's entries, and cannot find them by name */
    assert_int_equal(total_of(audit_list(f, &xian, &e, 1, "actor", "旗院管理员")), 0);
}

static void a_user_who_signed_in_is_not_deleted(void **state)
{
    struct fx *f = *state;
    int64_t uid =
        fx_create(f, "users",
                  json_pack("{s:s,s:s,s:s,s:s,s:I}", "username", "used", "display_name", "用过的", "password",
                            "Horqin-pw-2026!", "role", "viewer", "procuratorate_id", (json_int_t)f->city));
    int64_t never = fx_create(f, "users",
                              json_pack("{s:s,s:s,s:s,s:s,s:I}", "username", "never", "display_name",
                                        "没用过", "password", "Jarud-pw-2026!", "role", "viewer",
                                        "procuratorate_id", (json_int_t)f->city));
    struct rerr e = {0};
    char *sql = arena_printf(f->x.a,
                             "INSERT INTO sessions(token_hash, user_id, csrf_token, created_at, expires_at)"
                             " VALUES ('t', %lld, 'c', '2026-01-01T00:00:00Z', '2026-01-01T12:00:00Z')",
                             (long long)uid);
    assert_int_equal(store_exec(f->c, sql, &e), 0);
    assert_int_equal(res_delete(&f->x, res_find("users"), uid, 1, &e), R_ECONFLICT);
    assert_string_equal(e.code, "user_has_signed_in");
    assert_non_null(strstr(e.message, "停用"));
    assert_int_equal(res_delete(&f->x, res_find("users"), never, 1, &e), 0);
}

static void lists_group_by_procuratorate(void **state)
{
    struct fx *f = *state;
    /* the county's department is made first, the city's second: the city comes first */
    fx_create(f, "departments",
              json_pack("{s:I,s:s,s:s}", "procuratorate_id", (json_int_t)f->county, "name", "办公室", "kind",
                        "综合"));
    fx_create(f, "departments",
              json_pack("{s:I,s:s,s:s}", "procuratorate_id", (json_int_t)f->city, "name", "办公室", "kind",
                        "综合"));
    struct res_query q = {0};
    json_t *out = NULL;
    struct rerr e = {0};
    assert_int_equal(res_list(&f->x, res_find("departments"), &q, &out, &e), 0);
    json_t *items = json_object_get(out, "items");
    assert_int_equal(json_array_size(items), 2);
    assert_int_equal(res_int(json_array_get(items, 0), "procuratorate_id"), f->city);
    assert_int_equal(res_int(json_array_get(items, 1), "procuratorate_id"), f->county);
    json_decref(out);
}

int main(void)
{
    password_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(dates_are_beijing_days, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_dates_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(entries_carry_names_within_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(a_user_who_signed_in_is_not_deleted, setup, teardown),
        cmocka_unit_test_setup_teardown(lists_group_by_procuratorate, setup, teardown),
    };
    return cmocka_run_group_tests_name("domain/audit_log", tests, NULL, NULL);
}
