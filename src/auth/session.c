#include "auth/session.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/audit.h"
#include "auth/password.h"
#include "auth/throttle.h"
#include "base/log.h"

/* ------------------------------------------------------------------ sessions */

static int session_lookup_db(store_conn *c, const char th[65], struct actor *who, char csrf[33],
                             time_t *expires, struct rerr *err);

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

static void time_plus_hours(char out[32], int hours)
{
    time_t t = time(NULL) + (time_t)hours * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int session_login(store_conn *c, const char *username, const char *password, const char *address,
                  struct session *out, struct actor *who, struct rerr *err)
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
    char th[65], now[32], exp[32];
    sha256_hex(out->token, th);
    time_plus_hours(now, 0);
    time_plus_hours(exp, SESSION_HOURS);
    st = store_prepare(
        c, "INSERT INTO sessions(token_hash, user_id, csrf_token, created_at, expires_at, address)"
           " VALUES (?,?,?,?,?,?)");
    store_bind_text(st, 1, th);
    store_bind_int(st, 2, uid);
    store_bind_text(st, 3, out->csrf);
    store_bind_text(st, 4, now);
    store_bind_text(st, 5, exp);
    store_bind_text(st, 6, address);
    rc = store_step(st, err);
    store_done(st);
    if (rc < 0)
        goto fail;
    /* Expired sessions go as new ones come. */
    st = store_prepare(c, "DELETE FROM sessions WHERE expires_at < ?");
    store_bind_text(st, 1, now);
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
    time_t t = time(NULL);
    store_conn *c = store_acquire(db);
    time_t expires = 0;
    int rc = session_lookup_db(c, th, who, csrf, &expires, err);
    store_release(c);
    if (rc == 0) {
        pthread_mutex_lock(&seen_lock);
        struct seen *s = &seen[slot];
        memcpy(s->th, th, sizeof th);
        s->gen = gen;
        s->until = expires < t + 60 ? expires : t + 60; /* never past the session's end */
        s->who = *who;
        memcpy(s->csrf, csrf, 33);
        pthread_mutex_unlock(&seen_lock);
    }
    return rc;
}

static int session_lookup_db(store_conn *c, const char th[65], struct actor *who, char csrf[33],
                             time_t *expires, struct rerr *err)
{
    char now[32];
    time_plus_hours(now, 0);
    store_stmt *st =
        store_prepare(c, "SELECT user_id, csrf_token, CAST(strftime('%s', expires_at) AS INTEGER)"
                         " FROM sessions WHERE token_hash = ? AND expires_at > ?");
    store_bind_text(st, 1, th);
    store_bind_text(st, 2, now);
    int rc = store_step(st, err);
    int64_t uid = 0;
    if (rc == STORE_ROW) {
        uid = store_col_int(st, 0);
        snprintf(csrf, 33, "%s", store_col_text(st, 1));
        *expires = (time_t)store_col_int(st, 2);
    }
    store_done(st);
    if (rc < 0)
        return rc;
    if (!uid)
        return rerr_set(err, R_EAUTH, "unauthenticated", "", "登录已过期，请重新登录");
    return actor_load(c, uid, who, err);
}

int session_logout(store_conn *c, const char *token, const struct actor *who, struct rerr *err)
{
    char th[65];
    sha256_hex(token, th);
    int rc = store_begin(c, err);
    if (rc < 0)
        return rc;
    store_stmt *st = store_prepare(c, "DELETE FROM sessions WHERE token_hash = ?");
    store_bind_text(st, 1, th);
    rc = store_step(st, err);
    store_done(st);
    if (rc >= 0)
        rc = audit_append(c, who, "logout", "session", who->user_id, who->procuratorate_id, NULL, NULL, err);
    if (rc < 0) {
        store_rollback(c);
        return rc;
    }
    return store_commit(c, err);
}
