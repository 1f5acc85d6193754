/*
 * Unit tests for src/auth/session.c on a real database: login (and what it refuses, alike
 * for every reason), the token kept only as its hash, lookup and the memory in front of
 * it, the idle and lifetime ends (by the times stored in the row, and by the environment
 * overrides), the end of every session of a user whose password, disabled flag or role
 * changes (and of no other), one's own list, ending one, the others, and logging out.
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
#include <time.h>
#include <unistd.h>

#include "auth/actor.h"
#include "auth/audit.h"
#include "auth/password.h"
#include "auth/session.h"
#include "auth/throttle.h"
#include "domain/resource.h"
#include "store/store.h"

#define PW_ALICE "Qiu-Ju-Da-Guan-7"
#define PW_BOB "Lao-She-Cha-Guan-8"

static char path[64];
static store *db;
static int64_t alice_id, bob_id;

static void cleanup(void)
{
    static const char *const side[] = {"", "-wal", "-shm", ".lock", ".audit-key", ".audit-anchors"};
    char f[96];
    for (int i = 0; i < 6; i++) {
        snprintf(f, sizeof f, "%s%s", path, side[i]);
        unlink(f);
    }
}

static int64_t add_user(struct res_ctx *x, const char *username, const char *pw, const char *role,
                        int64_t proc)
{
    struct rerr e = {0};
    json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:I}", "username", username, "display_name", username,
                             "password", pw, "role", role, "procuratorate_id", (json_int_t)proc);
    json_t *out = NULL;
    if (res_create(x, res_find("users"), body, &out, &e) < 0)
        fail_msg("%s", e.message);
    int64_t id = json_integer_value(json_object_get(out, "id"));
    json_decref(body);
    json_decref(out);
    return id;
}

/* A database with one procuratorate and two users, alice (admin) and bob (viewer). */
static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/ronghe-session-%d.db", getpid());
    cleanup();
    throttle_reset();
    unsetenv("RONGHE_SESSION_IDLE_S");
    unsetenv("RONGHE_SESSION_LIFETIME_S");
    struct rerr e = {0};
    if (session_configure(&e) < 0 || store_open(path, STORE_CREATE_NEW, &db, &e) < 0 ||
        audit_open_key(db, &e) < 0)
        fail_msg("%s", e.message);
    struct actor sys;
    actor_system(&sys);
    store_conn *c = store_acquire(db);
    struct res_ctx x = {.c = c, .who = &sys, .a = arena_new()};
    json_t *org =
        json_pack("{s:s, s:s, s:i}", "name", "测试市人民检察院", "short_name", "测试市院", "level", 1);
    if (res_create(&x, res_find("procuratorates"), org, NULL, &e) < 0)
        fail_msg("%s", e.message);
    json_decref(org);
    alice_id = add_user(&x, "alice", PW_ALICE, "admin", 1);
    bob_id = add_user(&x, "bob", PW_BOB, "viewer", 1);
    arena_free(x.a);
    store_release(c);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    audit_close(db);
    store_close(db);
    cleanup();
    /* Back to the defaults (session_configure leaves a limit whose variable is unset as it was). */
    char v[16];
    snprintf(v, sizeof v, "%d", SESSION_IDLE_S);
    setenv("RONGHE_SESSION_IDLE_S", v, 1);
    snprintf(v, sizeof v, "%d", SESSION_LIFETIME_S);
    setenv("RONGHE_SESSION_LIFETIME_S", v, 1);
    struct rerr e;
    assert_int_equal(session_configure(&e), 0);
    unsetenv("RONGHE_SESSION_IDLE_S");
    unsetenv("RONGHE_SESSION_LIFETIME_S");
    return 0;
}

static int login(const char *user, const char *pw, const char *ua, struct session *out, struct rerr *e)
{
    store_conn *c = store_acquire(db);
    struct actor who;
    int rc = session_login(c, user, pw, "192.0.2.10", ua, out, &who, e);
    store_release(c);
    return rc;
}

static struct session login_ok(const char *user, const char *pw)
{
    struct session s;
    struct rerr e = {0};
    if (login(user, pw, "unit-test", &s, &e) < 0)
        fail_msg("login %s: %s", user, e.message);
    return s;
}

static int lookup(const struct session *s, struct actor *who, struct rerr *e)
{
    char csrf[33];
    int rc = session_lookup(db, s->token, store_generation(db), who, csrf, e);
    if (rc == 0)
        assert_string_equal(csrf, s->csrf);
    return rc;
}

static void exec(const char *sql)
{
    store_conn *c = store_acquire(db);
    struct rerr e = {0};
    if (store_exec(c, sql, &e) < 0)
        fail_msg("%s: %s", sql, e.message);
    store_release(c);
}

static int64_t number(const char *sql, const char *arg)
{
    store_conn *c = store_acquire(db);
    struct rerr e = {0};
    store_stmt *st = store_prepare_dynamic(c, sql);
    if (arg)
        store_bind_text(st, 1, arg);
    assert_int_equal(store_step(st, &e), STORE_ROW);
    int64_t n = store_col_int(st, 0);
    store_finalize(st);
    store_release(c);
    return n;
}

/* Set a column of the session of "s" to "value" (a time as the table keeps them). */
static void set_time(const struct session *s, const char *column, time_t t)
{
    char th[65], ts[32], sql[256];
    sha256_hex(s->token, th);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(sql, sizeof sql, "UPDATE sessions SET %s = '%s' WHERE token_hash = '%s'", column, ts, th);
    exec(sql);
}

static void set_text(const struct session *s, const char *column, const char *value)
{
    char th[65], sql[256];
    sha256_hex(s->token, th);
    snprintf(sql, sizeof sql, "UPDATE sessions SET %s = '%s' WHERE token_hash = '%s'", column, value, th);
    exec(sql);
}

/* ------------------------------------------------------------ login and lookup */

static void login_and_lookup(void **state)
{
    (void)state;
    int64_t audited = number("SELECT count(*) FROM audit WHERE action = 'login'", NULL);
    struct session s = login_ok("alice", PW_ALICE);
    assert_int_equal(strlen(s.token), SESSION_TOKEN_LEN);
    assert_int_equal(strlen(s.csrf), 32);
    assert_int_equal(strspn(s.token, "0123456789abcdef"), SESSION_TOKEN_LEN);
    /* Only the token's hash is kept. */
    char th[65];
    sha256_hex(s.token, th);
    assert_int_equal(number("SELECT count(*) FROM sessions WHERE token_hash = ?", th), 1);
    assert_int_equal(number("SELECT count(*) FROM sessions WHERE token_hash = ?", s.token), 0);
    assert_int_equal(number("SELECT count(*) FROM audit WHERE action = 'login'", NULL), audited + 1);
    struct actor who;
    struct rerr e = {0};
    assert_int_equal(lookup(&s, &who, &e), 0);
    assert_string_equal(who.username, "alice");
    assert_int_equal(who.user_id, alice_id);
    assert_int_equal(who.role, ROLE_ADMIN);
    assert_int_equal(who.procuratorate_id, 1);
    assert_true(who.scope_all);
    /* Seen at this generation: answered from memory; at another, not. */
    struct actor peeked;
    char csrf[33];
    uint64_t gen = store_generation(db);
    assert_int_equal(lookup(&s, &who, &e), 0);
    assert_true(session_peek(s.token, gen, &peeked, csrf));
    assert_string_equal(peeked.username, "alice");
    assert_false(session_peek(s.token, gen + 1, &peeked, csrf));
    /* Two logins are two sessions. */
    struct session t = login_ok("alice", PW_ALICE);
    assert_string_not_equal(t.token, s.token);
    assert_int_equal(number("SELECT count(*) FROM sessions", NULL), 2);
    /* A token that is not one, or not ours. */
    struct session bad = s;
    bad.token[0] = bad.token[0] == 'a' ? 'b' : 'a';
    assert_int_equal(lookup(&bad, &who, &e), R_EAUTH);
    assert_string_equal(e.code, "unauthenticated");
    assert_int_equal(session_lookup(db, "short", store_generation(db), &who, csrf, &e), R_EAUTH);
    assert_int_equal(session_lookup(db, NULL, store_generation(db), &who, csrf, &e), R_EAUTH);
}

static void login_refused_alike(void **state)
{
    (void)state;
    exec("UPDATE users SET disabled = 1 WHERE username = 'bob'");
    const char *const tries[][2] = {{"alice", "Wrong-Password-9"}, {"nobody", PW_ALICE}, {"bob", PW_BOB}};
    for (int i = 0; i < 3; i++) {
        struct session s;
        struct rerr e = {0};
        assert_int_equal(login(tries[i][0], tries[i][1], NULL, &s, &e), R_EAUTH);
        /* The same answer whatever the reason, so it tells nobody which names exist. */
        assert_string_equal(e.code, "bad_credentials");
        assert_string_equal(e.message, "用户名或密码错误");
    }
    assert_int_equal(number("SELECT count(*) FROM sessions", NULL), 0);
}

/* ------------------------------------------------------------ idle and lifetime */

static void idle_and_lifetime_by_stored_times(void **state)
{
    (void)state;
    struct session s = login_ok("alice", PW_ALICE);
    struct actor who;
    struct rerr e = {0};
    time_t now = time(NULL);
    /* Used a little less than the idle time ago: still good, and the use is written. */
    set_time(&s, "last_seen_at", now - SESSION_IDLE_S + 30);
    assert_int_equal(lookup(&s, &who, &e), 0);
    char th[65];
    sha256_hex(s.token, th);
    char ts[32];
    struct tm tm;
    time_t before = now;
    gmtime_r(&before, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    assert_int_equal(number("SELECT last_seen_at >= ? FROM sessions", ts), 1);
    /* Idle for the whole idle time: ended. */
    set_time(&s, "last_seen_at", now - SESSION_IDLE_S);
    assert_int_equal(lookup(&s, &who, &e), R_EAUTH);
    assert_string_equal(e.code, "session_expired");
    assert_non_null(strstr(e.message, "长时间未操作（30 分钟）"));
    /* Fresh use, but past its lifetime: ended. */
    set_time(&s, "last_seen_at", now);
    set_time(&s, "expires_at", now - 1);
    assert_int_equal(lookup(&s, &who, &e), R_EAUTH);
    assert_string_equal(e.code, "session_expired");
    assert_non_null(strstr(e.message, "登录已超过 12 小时"));
    /* A time the table should never hold counts as long past; fractions of a second,
     * which older rows may carry, are read. */
    set_text(&s, "expires_at", "2099-01-01T00:00:00.250Z");
    assert_int_equal(lookup(&s, &who, &e), 0);
    set_text(&s, "expires_at", "not a time");
    assert_int_equal(lookup(&s, &who, &e), R_EAUTH);
    set_text(&s, "expires_at", "2099-13-01T00:00:00Z");
    assert_int_equal(lookup(&s, &who, &e), R_EAUTH);
    /* A login clears away the sessions that have ended. */
    set_time(&s, "expires_at", now - 1);
    assert_int_equal(number("SELECT count(*) FROM sessions", NULL), 1);
    login_ok("alice", PW_ALICE);
    assert_int_equal(number("SELECT count(*) FROM sessions WHERE token_hash = ?", th), 0);
}

static void limits_from_the_environment(void **state)
{
    (void)state;
    struct rerr e = {0};
    static const char *const bad[] = {"0", "-5", "abc", "12x", "", "2592001"};
    for (int i = 0; i < 6; i++) {
        setenv("RONGHE_SESSION_IDLE_S", bad[i], 1);
        assert_int_equal(session_configure(&e), R_EINVAL);
        assert_string_equal(e.code, "bad_env");
        assert_string_equal(e.field, "RONGHE_SESSION_IDLE_S");
    }
    setenv("RONGHE_SESSION_IDLE_S", "2", 1);
    setenv("RONGHE_SESSION_LIFETIME_S", "3600", 1);
    assert_int_equal(session_configure(&e), 0);
    assert_int_equal(session_lifetime_s(), 3600);
    struct session s = login_ok("alice", PW_ALICE);
    /* The lifetime in force is the one written. */
    char th[65];
    sha256_hex(s.token, th);
    time_t now = time(NULL);
    struct tm tm;
    char ts[32];
    time_t at = now + 3600 + 2;
    gmtime_r(&at, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    assert_int_equal(number("SELECT expires_at <= ? FROM sessions", ts), 1);
    struct actor who;
    assert_int_equal(lookup(&s, &who, &e), 0);
    sleep(3); /* idle past 2 s */
    assert_int_equal(lookup(&s, &who, &e), R_EAUTH);
    assert_string_equal(e.code, "session_expired");
    assert_non_null(strstr(e.message, "长时间未操作（1 分钟）"));
}

/* ------------------------------------------------------------ a change of the user ends them */

static void user_changes_end_sessions(void **state)
{
    (void)state;
    struct actor sys, who;
    actor_system(&sys);
    struct rerr e = {0};
    struct session a1 = login_ok("alice", PW_ALICE), a2 = login_ok("alice", PW_ALICE);
    struct session b = login_ok("bob", PW_BOB);
    store_conn *c = store_acquire(db);
    struct res_ctx x = {.c = c, .who = &sys, .a = arena_new()};
    /* A change of what a session was not opened on (the display name) ends nothing. */
    json_t *body = json_pack("{s:i, s:s}", "version", 1, "display_name", "Alice"), *out = NULL;
    assert_int_equal(res_update(&x, res_find("users"), alice_id, body, &out, &e), 0);
    json_decref(body);
    json_decref(out);
    store_release(c);
    assert_int_equal(lookup(&a1, &who, &e), 0);
    /* A new password ends both of alice's sessions, and none of bob's. */
    c = store_acquire(db);
    x.c = c;
    body = json_pack("{s:i, s:s}", "version", 2, "password", "Xin-Mi-Ma-Shi-9");
    assert_int_equal(res_update(&x, res_find("users"), alice_id, body, &out, &e), 0);
    json_decref(body);
    json_decref(out);
    store_release(c);
    assert_int_equal(lookup(&a1, &who, &e), R_EAUTH);
    assert_int_equal(lookup(&a2, &who, &e), R_EAUTH);
    assert_string_equal(e.code, "unauthenticated");
    assert_int_equal(lookup(&b, &who, &e), 0);
    /* A role changed, or the account disabled, by another process's SQL alike. */
    exec("UPDATE users SET role = 'admin' WHERE username = 'bob'");
    assert_int_equal(lookup(&b, &who, &e), R_EAUTH);
    b = login_ok("bob", PW_BOB);
    assert_int_equal(lookup(&b, &who, &e), 0);
    assert_int_equal(who.role, ROLE_ADMIN);
    exec("UPDATE users SET disabled = 1 WHERE username = 'bob'");
    assert_int_equal(lookup(&b, &who, &e), R_EAUTH);
    /* Enabling the account again brings no session back. */
    exec("UPDATE users SET disabled = 0 WHERE username = 'bob'");
    assert_int_equal(lookup(&b, &who, &e), R_EAUTH);
    arena_free(x.a);
}

/* ------------------------------------------------------------ one's own sessions */

static json_t *list_of(const struct session *s, const struct actor *who)
{
    store_conn *c = store_acquire(db);
    struct rerr e = {0};
    json_t *out = NULL;
    assert_int_equal(session_list(c, s->token, who, &out, &e), 0);
    store_release(c);
    return out;
}

static void own_sessions(void **state)
{
    (void)state;
    struct rerr e = {0};
    struct session s1, s2, s3;
    char ua[400];
    memset(ua, 'M', sizeof ua - 1);
    ua[sizeof ua - 1] = 0;
    memcpy(ua, "Mo\xe6\xb5\x8f\n", 6); /* not ASCII, a control character, 399 bytes */
    assert_int_equal(login("alice", PW_ALICE, ua, &s1, &e), 0);
    assert_int_equal(login("alice", PW_ALICE, "second", &s2, &e), 0);
    assert_int_equal(login("alice", PW_ALICE, NULL, &s3, &e), 0);
    struct session b = login_ok("bob", PW_BOB);
    struct actor alice, bob;
    assert_int_equal(lookup(&s1, &alice, &e), 0);
    assert_int_equal(lookup(&b, &bob, &e), 0);
    /* s2 used longest ago, s3 most recently: the current one first, then by last use. */
    time_t now = time(NULL);
    set_time(&s2, "last_seen_at", now - 600);
    set_time(&s3, "last_seen_at", now - 5);
    set_time(&s1, "last_seen_at", now - 300);
    json_t *l = list_of(&s1, &alice);
    assert_int_equal(json_integer_value(json_object_get(l, "total")), 3);
    json_t *items = json_object_get(l, "items");
    assert_int_equal(json_array_size(items), 3);
    json_t *first = json_array_get(items, 0);
    assert_true(json_is_true(json_object_get(first, "current")));
    assert_false(json_is_true(json_object_get(json_array_get(items, 1), "current")));
    assert_false(json_is_true(json_object_get(json_array_get(items, 2), "current")));
    /* The user agent as kept: printable ASCII, at most 200 bytes. */
    const char *kept = json_string_value(json_object_get(first, "user_agent"));
    assert_int_equal(strlen(kept), 200);
    assert_memory_equal(kept, "Mo????", 6);
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 1), "user_agent")), "");
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 2), "user_agent")), "second");
    /* The idle end is the last use plus the idle time. */
    char want[32];
    struct tm tm;
    time_t idle_end = now - 300 + SESSION_IDLE_S;
    gmtime_r(&idle_end, &tm);
    strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%SZ", &tm);
    assert_string_equal(json_string_value(json_object_get(first, "idle_expires_at")), want);
    /* Never a token or its hash. */
    char *text = json_dumps(l, 0), th[65];
    sha256_hex(s1.token, th);
    assert_null(strstr(text, s1.token));
    assert_null(strstr(text, th));
    free(text);
    int64_t s2_id = json_integer_value(json_object_get(json_array_get(items, 2), "id"));
    json_decref(l);
    /* Bob's list does not show alice's; bob cannot end them. */
    l = list_of(&b, &bob);
    assert_int_equal(json_integer_value(json_object_get(l, "total")), 1);
    json_decref(l);
    store_conn *c = store_acquire(db);
    assert_int_equal(session_end(c, &bob, s2_id, &e), R_ENOTFOUND);
    assert_int_equal(session_end(c, &alice, s2_id, &e), 0);
    assert_int_equal(session_end(c, &alice, s2_id, &e), R_ENOTFOUND); /* already gone */
    store_release(c);
    struct actor who;
    assert_int_equal(lookup(&s2, &who, &e), R_EAUTH);
    assert_int_equal(lookup(&s3, &who, &e), 0);
    /* Ending the others leaves the current one (and bob's). */
    c = store_acquire(db);
    int64_t ended = -1;
    assert_int_equal(session_end_others(c, s1.token, &alice, &ended, &e), 0);
    assert_int_equal(ended, 1);
    store_release(c);
    assert_int_equal(lookup(&s3, &who, &e), R_EAUTH);
    assert_int_equal(lookup(&s1, &who, &e), 0);
    assert_int_equal(lookup(&b, &who, &e), 0);
    /* Logging out ends it. Every ending is audited. */
    c = store_acquire(db);
    assert_int_equal(session_logout(c, s1.token, &alice, &e), 0);
    store_release(c);
    assert_int_equal(lookup(&s1, &who, &e), R_EAUTH);
    assert_int_equal(number("SELECT count(*) FROM audit WHERE action IN ('session_end', 'session_end_others',"
                            " 'logout')",
                            NULL),
                     3);
}

int main(void)
{
    password_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(login_and_lookup, setup, teardown),
        cmocka_unit_test_setup_teardown(login_refused_alike, setup, teardown),
        cmocka_unit_test_setup_teardown(idle_and_lifetime_by_stored_times, setup, teardown),
        cmocka_unit_test_setup_teardown(limits_from_the_environment, setup, teardown),
        cmocka_unit_test_setup_teardown(user_changes_end_sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(own_sessions, setup, teardown),
    };
    return cmocka_run_group_tests_name("auth/session", tests, NULL, NULL);
}
