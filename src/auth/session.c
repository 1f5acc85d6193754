#include "auth/session.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/audit.h"
#include "auth/password.h"
#include "auth/throttle.h"
#include "base/log.h"

/* ------------------------------------------------------------------ sessions */

/* The limits in force (session_configure), and how often a session's last use is
 * written: see session_lookup_db(). */
static int idle_s = SESSION_IDLE_S, lifetime_s = SESSION_LIFETIME_S, touch_s = 60;

static int env_seconds(const char *name, int *out, struct rerr *err)
{
    const char *v = getenv(name);
    if (!v)
        return 0;
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || !*v || *end || n < 1 || n > 30L * 86400)
        return rerr_set(err, R_EINVAL, "bad_env", name, "环境变量 %s 应为 1 到 2592000 之间的秒数", name);
    *out = (int)n;
    return 0;
}

int session_configure(struct rerr *err)
{
    int rc = env_seconds("RONGHE_SESSION_IDLE_S", &idle_s, err);
    if (rc == 0)
        rc = env_seconds("RONGHE_SESSION_LIFETIME_S", &lifetime_s, err);
    /* a thirtieth of the idle time, at most a minute: see session_lookup_db() */
    touch_s = idle_s / 30 < 1 ? 1 : idle_s / 30 > 60 ? 60 : idle_s / 30;
    return rc;
}

int session_lifetime_s(void)
{
    return lifetime_s;
}

static int session_lookup_db(store_conn *c, const char th[65], struct actor *who, char csrf[33],
                             time_t *until, struct rerr *err);

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[PASSWORD_HASH_MAX];

static void make_dummy(void)
{
    char pw[33];
    token_hex(pw, 16);
    if (password_hash(pw, dummy_hash) < 0)
        die("无法生成密码哈希");
}

int actor_load(store_conn *c, int64_t user_id, struct actor *who, struct rerr *err)
{
    store_stmt *st =
        store_prepare(c, "SELECT u.username, u.role, u.procuratorate_id, coalesce(u.branch_id, 0),"
                         " p.level, u.disabled FROM users u JOIN procuratorates p"
                         " ON p.id = u.procuratorate_id WHERE u.id = ?");
    store_bind_int(st, 1, user_id);
    int rc = store_step(st, err);
    if (rc == STORE_ROW) {
        memset(who, 0, sizeof *who);
        who->user_id = user_id;
        snprintf(who->username, sizeof who->username, "%s", store_col_text(st, 0));
        who->role = role_parse(store_col_text(st, 1));
        who->procuratorate_id = store_col_int(st, 2);
        who->branch_id = who->role == ROLE_SECRETARY ? store_col_int(st, 3) : 0;
        who->scope_all = store_col_int(st, 4) == 1;
        if (store_col_int(st, 5))
            rc = rerr_set(err, R_EAUTH, "disabled", "", "账号已停用");
    } else if (rc == STORE_DONE) {
        rc = rerr_set(err, R_EAUTH, "unauthenticated", "", "账号不存在");
    }
    store_done(st);
    return rc < 0 ? rc : 0;
}

/* "t" as the sessions table writes times: ISO 8601 UTC to the second. */
static void iso_at(char out[32], time_t t)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The instant "s" names, written as iso_at() writes it (fractional seconds, which older
 * rows may carry, are ignored); 0 for anything else, which counts as long past. */
static time_t iso_parse(const char *s)
{
    struct tm tm = {0};
    int n = 0;
    if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                     &tm.tm_min, &tm.tm_sec, &n) != 6)
        return 0;
    const char *rest = s + n;
    if (*rest == '.')
        for (rest++; *rest >= '0' && *rest <= '9'; rest++)
            ;
    if (strcmp(rest, "Z") != 0 || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
        tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
        return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm);
    return t < 0 ? 0 : t;
}

/* "ua" as kept: printable ASCII (anything else becomes '?', so the text is valid UTF-8
 * and never cut inside a character), at most 200 bytes. */
static void clean_user_agent(char out[201], const char *ua)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)(ua ? ua : ""); *p && n < 200; p++)
        out[n++] = *p >= 0x20 && *p < 0x7f ? (char)*p : '?';
    out[n] = 0;
}

int session_login(store_conn *c, const char *username, const char *password, const char *address,
                  const char *user_agent, struct session *out, struct actor *who, struct rerr *err)
{
    struct throttle_ticket ticket; /* counted from here on; given back on success */
    int rc = throttle_begin(c, username, address, &ticket, err);
    if (rc < 0)
        return rc;

    store_stmt *st = store_prepare(c, "SELECT id, password_hash, disabled FROM users WHERE username = ?");
    store_bind_text(st, 1, username);
    rc = store_step(st, err);
    int64_t uid = 0;
    char hash[PASSWORD_HASH_MAX] = "";
    int disabled = 0;
    if (rc == STORE_ROW) {
        uid = store_col_int(st, 0);
        snprintf(hash, sizeof hash, "%s", store_col_text(st, 1));
        disabled = (int)store_col_int(st, 2);
    }
    store_done(st);
    if (rc < 0)
        return rc;
    /* Verify even for an unknown name, so timing does not tell which names exist. */
    pthread_once(&dummy_once, make_dummy);
    bool ok = password_verify(uid ? hash : dummy_hash, password);
    if (!uid || !ok || disabled) {
        throttle_end(&ticket, false);
        return rerr_set(err, R_EAUTH, "bad_credentials", "", "用户名或密码错误");
    }
    throttle_end(&ticket, true);

    if ((rc = store_begin(c, err)) < 0)
        return rc;
    if ((rc = actor_load(c, uid, who, err)) < 0)
        goto fail;
    token_hex(out->token, SESSION_TOKEN_LEN / 2);
    token_hex(out->csrf, 16);
    char th[65], now[32], exp[32], idle[32], ua[201];
    sha256_hex(out->token, th);
    time_t t = time(NULL);
    iso_at(now, t);
    iso_at(exp, t + lifetime_s);
    iso_at(idle, t - idle_s);
    clean_user_agent(ua, user_agent);
    st = store_prepare(
        c, "INSERT INTO sessions(token_hash, user_id, csrf_token, created_at, expires_at, address,"
           " last_seen_at, user_agent) VALUES (?,?,?,?,?,?,?,?)");
    store_bind_text(st, 1, th);
    store_bind_int(st, 2, uid);
    store_bind_text(st, 3, out->csrf);
    store_bind_text(st, 4, now);
    store_bind_text(st, 5, exp);
    store_bind_text(st, 6, address);
    store_bind_text(st, 7, now);
    store_bind_text(st, 8, ua);
    rc = store_step(st, err);
    store_done(st);
    if (rc < 0)
        goto fail;
    /* Ended sessions (past their lifetime or idle too long) go as new ones come. */
    st = store_prepare(c, "DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?");
    store_bind_text(st, 1, now);
    store_bind_text(st, 2, idle);
    rc = store_step(st, err);
    store_done(st);
    if (rc < 0)
        goto fail;
    json_t *after = json_pack("{s:s}", "address", address ? address : "");
    rc = audit_append(c, who, "login", "session", uid, who->procuratorate_id, NULL, after, err);
    json_decref(after);
    if (rc < 0)
        goto fail;
    return store_commit(c, err);
fail:
    store_rollback(c);
    return rc;
}

/* Sessions seen recently, by token hash: valid while the store's generation is the one
 * they were read at (any write, logout and user changes included, moves it on). */
#define SESSION_CACHE 1024
struct seen {
    char th[65];
    uint64_t gen;
    time_t until;
    struct actor who;
    char csrf[33];
};
static struct seen seen[SESSION_CACHE];
static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t seen_slot(const char *th)
{
    size_t h = 0;
    for (int i = 0; i < 8; i++)
        h = h * 16 + (size_t)(th[i] <= '9' ? th[i] - '0' : th[i] - 'a' + 10);
    return h % SESSION_CACHE;
}

static bool peek_hashed(const char th[65], uint64_t gen, struct actor *who, char csrf[33])
{
    bool hit = false;
    pthread_mutex_lock(&seen_lock);
    struct seen *s = &seen[seen_slot(th)];
    if (s->gen == gen && s->until > time(NULL) && !strcmp(s->th, th)) {
        *who = s->who;
        memcpy(csrf, s->csrf, 33);
        hit = true;
    }
    pthread_mutex_unlock(&seen_lock);
    return hit;
}

bool session_peek(const char *token, uint64_t gen, struct actor *who, char csrf[33])
{
    if (!token || strlen(token) != SESSION_TOKEN_LEN)
        return false;
    char th[65];
    sha256_hex(token, th);
    return peek_hashed(th, gen, who, csrf);
}

int session_lookup(store *db, const char *token, uint64_t gen, struct actor *who, char csrf[33],
                   struct rerr *err)
{
    if (!token || strlen(token) != SESSION_TOKEN_LEN)
        return rerr_set(err, R_EAUTH, "unauthenticated", "", "请先登录");
    char th[65];
    sha256_hex(token, th);
    if (peek_hashed(th, gen, who, csrf))
        return 0;
    size_t slot = seen_slot(th);
    store_conn *c = store_acquire(db);
    time_t until = 0;
    int rc = session_lookup_db(c, th, who, csrf, &until, err);
    store_release(c);
    if (rc == 0) {
        pthread_mutex_lock(&seen_lock);
        struct seen *s = &seen[slot];
        memcpy(s->th, th, sizeof th);
        s->gen = gen; /* as taken before the reads: a write since (our touch too) drops it */
        s->until = until;
        s->who = *who;
        memcpy(s->csrf, csrf, 33);
        pthread_mutex_unlock(&seen_lock);
    }
    return rc;
}

/* Last use is written coarsely: at most once every touch_s seconds (a minute at the
 * default idle time) per session, when a request finds it older than that. Writing it on
 * every request would make every read a database write, and every commit moves the
 * store's generation on, which empties the whole read cache (http/cache.c) and this
 * table of sessions seen: a busy reader would keep everyone's cache cold. The cost is
 * precision: requests answered from memory are not written, so a session may end up to
 * two touch intervals before SESSION_IDLE_S after its last request, never after. */
static int touch(store_conn *c, int64_t id, time_t now)
{
    char ts[32];
    iso_at(ts, now);
    int rc = store_begin(c, NULL);
    if (rc < 0)
        return rc;
    store_stmt *st = store_prepare(c, "UPDATE sessions SET last_seen_at = ? WHERE id = ?");
    store_bind_text(st, 1, ts);
    store_bind_int(st, 2, id);
    rc = store_step(st, NULL);
    store_done(st);
    if (rc < 0) {
        store_rollback(c);
        return rc;
    }
    return store_commit(c, NULL);
}

/* "*until": how long the session may be answered from memory (session_peek): never past
 * its lifetime or idle end, nor longer than touch_s, so that use is written in time. */
static int session_lookup_db(store_conn *c, const char th[65], struct actor *who, char csrf[33],
                             time_t *until, struct rerr *err)
{
    store_stmt *st =
        store_prepare(c, "SELECT id, user_id, csrf_token, expires_at, coalesce(last_seen_at, created_at)"
                         " FROM sessions WHERE token_hash = ?");
    store_bind_text(st, 1, th);
    int rc = store_step(st, err);
    int64_t id = 0, uid = 0;
    time_t expires = 0, last = 0;
    if (rc == STORE_ROW) {
        id = store_col_int(st, 0);
        uid = store_col_int(st, 1);
        snprintf(csrf, 33, "%s", store_col_text(st, 2));
        expires = iso_parse(store_col_text(st, 3));
        last = iso_parse(store_col_text(st, 4));
    }
    store_done(st);
    if (rc < 0)
        return rc;
    time_t now = time(NULL);
    if (!uid)
        return rerr_set(err, R_EAUTH, "unauthenticated", "", "登录已失效，请重新登录");
    if (now >= expires)
        return rerr_set(err, R_EAUTH, "session_expired", "", "登录已超过 %d 小时，请重新登录",
                        (lifetime_s + 3599) / 3600);
    if (now - last >= idle_s)
        return rerr_set(err, R_EAUTH, "session_expired", "", "长时间未操作（%d 分钟），请重新登录",
                        (idle_s + 59) / 60);
    if ((rc = actor_load(c, uid, who, err)) < 0)
        return rc;
    if (now - last >= touch_s && touch(c, id, now) == 0) /* a failed touch is tried again next time */
        last = now;
    *until = now + touch_s;
    if (*until > expires)
        *until = expires;
    if (*until > last + idle_s)
        *until = last + idle_s;
    return 0;
}

/* ------------------------------------------------------------------ one's own sessions */

int session_list(store_conn *c, const char *token, const struct actor *who, json_t **out, struct rerr *err)
{
    char th[65], now[32], idle[32];
    sha256_hex(token, th);
    time_t t = time(NULL);
    iso_at(now, t);
    iso_at(idle, t - idle_s);
    store_stmt *st = store_prepare(
        c, "SELECT id, created_at, coalesce(last_seen_at, created_at), expires_at, address, user_agent,"
           " token_hash FROM sessions"
           " WHERE user_id = ? AND expires_at > ? AND coalesce(last_seen_at, created_at) > ?"
           " ORDER BY CASE WHEN token_hash = ? THEN 0 ELSE 1 END, coalesce(last_seen_at, created_at) DESC, "
           "id DESC");
    store_bind_int(st, 1, who->user_id);
    store_bind_text(st, 2, now);
    store_bind_text(st, 3, idle);
    store_bind_text(st, 4, th);
    json_t *items = json_array();
    int rc;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        char idle_end[32];
        iso_at(idle_end, iso_parse(store_col_text(st, 2)) + idle_s);
        json_t *item = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:s?, s:b}", "id",
                                 (json_int_t)store_col_int(st, 0), "created_at", store_col_text(st, 1),
                                 "last_seen_at", store_col_text(st, 2), "expires_at", store_col_text(st, 3),
                                 "idle_expires_at", idle_end, "address", store_col_text(st, 4), "user_agent",
                                 store_col_text(st, 5), "current", !strcmp(store_col_text(st, 6), th));
        CHECK(item); /* every value is ours: ASCII times, an address, a cleaned user agent */
        json_array_append_new(items, item);
    }
    store_done(st);
    if (rc < 0) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:I, s:o}", "total", (json_int_t)json_array_size(items), "items", items);
    return 0;
}

/* Delete the sessions "sql" names (bound: the user, then "arg" when not NULL) and audit
 * it as "action" with "after", in one transaction; "*n" is how many went. */
static int end_sessions(store_conn *c, const struct actor *who, const char *sql, int64_t id, const char *arg,
                        const char *action, int64_t *n, struct rerr *err)
{
    int rc = store_begin(c, err);
    if (rc < 0)
        return rc;
    store_stmt *st = store_prepare(c, sql);
    store_bind_int(st, 1, who->user_id);
    if (arg)
        store_bind_text(st, 2, arg);
    else
        store_bind_int(st, 2, id);
    rc = store_step(st, err);
    store_done(st);
    *n = rc < 0 ? 0 : store_changes(c);
    if (rc >= 0 && *n == 0 && !arg)
        rc = rerr_set(err, R_ENOTFOUND, "not_found", "", "没有这个登录会话（可能已经结束）");
    json_t *after =
        arg ? json_pack("{s:I}", "ended", (json_int_t)*n) : json_pack("{s:I}", "session_id", (json_int_t)id);
    if (rc >= 0)
        rc = audit_append(c, who, action, "session", who->user_id, who->procuratorate_id, NULL, after, err);
    json_decref(after);
    if (rc < 0) {
        store_rollback(c);
        return rc;
    }
    return store_commit(c, err);
}

int session_end(store_conn *c, const struct actor *who, int64_t id, struct rerr *err)
{
    int64_t n;
    return end_sessions(c, who, "DELETE FROM sessions WHERE user_id = ? AND id = ?", id, NULL, "session_end",
                        &n, err);
}

int session_logout(store_conn *c, const char *token, const struct actor *who, struct rerr *err)
{
    char th[65];
    sha256_hex(token, th);
    int64_t n;
    return end_sessions(c, who, "DELETE FROM sessions WHERE user_id = ? AND token_hash = ?", 0, th, "logout",
                        &n, err);
}

int session_end_others(store_conn *c, const char *token, const struct actor *who, int64_t *ended,
                       struct rerr *err)
{
    char th[65];
    sha256_hex(token, th);
    return end_sessions(c, who, "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?", 0, th,
                        "session_end_others", ended, err);
}

/* ------------------------------------------------------------------ own password */

/* The current session's row, kept across the change (users_end_sessions ends them all). */
struct kept_session {
    int64_t id;
    char csrf[33], created[32], expires[32], last_seen[32];
    char *address, *user_agent; /* malloc'd; NULL when NULL */
};

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

int session_change_password(store_conn *c, const char *token, const struct actor *who, const char *address,
                            const char *current, const char *fresh, struct rerr *err)
{
    /* Counted as a login attempt of this account from this address: a stolen session
     * cannot be used to guess the password faster than the login page allows. */
    struct throttle_ticket ticket;
    int rc = throttle_begin(c, who->username, address, &ticket, err);
    if (rc < 0)
        return rc;
    store_stmt *st = store_prepare(c, "SELECT password_hash FROM users WHERE id = ?");
    store_bind_int(st, 1, who->user_id);
    char old_hash[PASSWORD_HASH_MAX] = "";
    rc = store_step(st, err);
    if (rc == STORE_ROW)
        snprintf(old_hash, sizeof old_hash, "%s", store_col_text(st, 0));
    store_done(st);
    if (rc < 0) {
        throttle_end(&ticket, false);
        return rc;
    }
    if (!*old_hash || !password_fits(current) || !password_verify(old_hash, current)) {
        throttle_end(&ticket, false);
        return rerr_set(err, R_EINVAL, "wrong_password", "current", "当前密码不正确");
    }
    throttle_end(&ticket, true);
    if ((rc = password_rule_check(fresh, who->username, err)) < 0) {
        snprintf(err->field, sizeof err->field, "%s", "new");
        return rc;
    }
    if (!strcmp(fresh, current))
        return rerr_set(err, R_EINVAL, "same_password", "new", "新密码不能与当前密码相同");
    /* Hashed before the write transaction: the write lock is never held for it. */
    char new_hash[PASSWORD_HASH_MAX];
    if (password_hash(fresh, new_hash) < 0)
        return rerr_set(err, R_EINTERNAL, "internal", "", "密码处理失败");

    char th[65], now[32];
    sha256_hex(token, th);
    iso_at(now, time(NULL));
    if ((rc = store_begin(c, err)) < 0)
        return rc;
    struct kept_session k = {0};
    int64_t version = 0;
    st = store_prepare(c, "SELECT id, csrf_token, created_at, expires_at, address, last_seen_at, user_agent"
                          " FROM sessions WHERE token_hash = ? AND user_id = ?");
    store_bind_text(st, 1, th);
    store_bind_int(st, 2, who->user_id);
    if ((rc = store_step(st, err)) == STORE_ROW) {
        k.id = store_col_int(st, 0);
        snprintf(k.csrf, sizeof k.csrf, "%s", store_col_text(st, 1));
        snprintf(k.created, sizeof k.created, "%s", store_col_text(st, 2));
        snprintf(k.expires, sizeof k.expires, "%s", store_col_text(st, 3));
        k.address = dup_or_null(store_col_text(st, 4));
        snprintf(k.last_seen, sizeof k.last_seen, "%s", store_col_text(st, 5) ? store_col_text(st, 5) : now);
        k.user_agent = dup_or_null(store_col_text(st, 6));
    }
    store_done(st);
    if (rc == STORE_DONE)
        rc = rerr_set(err, R_EAUTH, "unauthenticated", "", "登录已失效，请重新登录");
    if (rc < 0)
        goto done;
    /* Only if the password is still the one just checked: two changes at once, one wins. */
    st = store_prepare(c, "UPDATE users SET password_hash = ?, version = version + 1, updated_at = ?"
                          " WHERE id = ? AND password_hash = ? RETURNING version");
    store_bind_text(st, 1, new_hash);
    store_bind_text(st, 2, now);
    store_bind_int(st, 3, who->user_id);
    store_bind_text(st, 4, old_hash);
    rc = store_step(st, err);
    if (rc == STORE_ROW)
        version = store_col_int(st, 0);
    store_done(st);
    if (rc == STORE_DONE)
        rc =
            rerr_set(err, R_ECONFLICT, "version_conflict", "current", "密码刚刚已被修改，请重新输入当前密码");
    if (rc < 0)
        goto done;
    /* The trigger ended every session of the user; this one goes on. */
    st = store_prepare(c, "INSERT INTO sessions(id, token_hash, user_id, csrf_token, created_at, expires_at,"
                          " address, last_seen_at, user_agent) VALUES (?,?,?,?,?,?,?,?,?)");
    store_bind_int(st, 1, k.id);
    store_bind_text(st, 2, th);
    store_bind_int(st, 3, who->user_id);
    store_bind_text(st, 4, k.csrf);
    store_bind_text(st, 5, k.created);
    store_bind_text(st, 6, k.expires);
    store_bind_text(st, 7, k.address);
    store_bind_text(st, 8, k.last_seen);
    store_bind_text(st, 9, k.user_agent);
    rc = store_step(st, err);
    store_done(st);
    if (rc < 0)
        goto done;
    json_t *before = json_pack("{s:I}", "version", (json_int_t)(version - 1));
    json_t *after = json_pack("{s:I, s:s}", "version", (json_int_t)version, "updated_at", now);
    rc = audit_append(c, who, "password", "users", who->user_id, who->procuratorate_id, before, after, err);
    json_decref(before);
    json_decref(after);
    if (rc == 0)
        rc = store_commit(c, err);
done:
    if (rc < 0)
        store_rollback(c);
    free(k.address);
    free(k.user_agent);
    return rc;
}
