/*
 * api: the routes under /api/v1. Authentication and the CSRF check happen here once,
 * before any handler; authorisation by role and data scope happens in the domain
 * (resource.c asks authz), so no handler can forget it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <sodium.h>

#include "auth/authz.h"
#include "auth/password.h"
#include "auth/session.h"
#include "auth/throttle.h"
#include "base/log.h"
#include "domain/meta.h"
#include "domain/org.h"
#include "domain/user.h"
#include "http/cache.h"
#include "http/request.h"
#include "jobs/jobs.h"

#define COOKIE "ronghe_session"

static enum MHD_Result fail(struct request *rq, int rc, const char *code, const char *msg)
{
    struct rerr e;
    rerr_set(&e, rc, code, "", "%s", msg);
    return reply_error(rq, &e);
}

/* Parse the body as a JSON object; 400 bad_json otherwise. */
static int body_json(struct request *rq, json_t **out, struct rerr *err)
{
    if (!rq->body_len)
        return rerr_set(err, R_EINVAL, "bad_json", "", "请求内容为空，应为 JSON 对象");
    json_error_t je;
    json_t *j = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &je);
    if (!j)
        return rerr_set(err, R_EINVAL, "bad_json", "", "JSON 格式错误（第 %d 行第 %d 列）：%s", je.line,
                        je.column, je.text);
    if (!json_is_object(j)) {
        json_decref(j);
        return rerr_set(err, R_EINVAL, "bad_json", "", "请求内容应为 JSON 对象");
    }
    *out = j;
    return 0;
}

static int parse_id(const char *s, int64_t *id)
{
    if (!s || !*s || strlen(s) > 18)
        return -1;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return -1;
    *id = strtoll(s, NULL, 10);
    return *id > 0 ? 0 : -1;
}

/* The signed-in user as the interface needs it. Names are taken whole from the row (no
 * fixed buffers: a name at its limit in four-byte characters is 160 bytes). NULL when the
 * user is gone or the JSON cannot be built; the caller answers that as an error. */
static json_t *me_json(store_conn *c, const struct actor *who, const char *csrf)
{
    store_stmt *st = store_prepare(c, "SELECT u.display_name, p.name, b.name FROM users u"
                                      " JOIN procuratorates p ON p.id = u.procuratorate_id"
                                      " LEFT JOIN branches b ON b.id = u.branch_id WHERE u.id = ?");
    store_bind_int(st, 1, who->user_id);
    json_t *me = NULL;
    if (store_step(st, NULL) == STORE_ROW) {
        const char *scope = who->scope_all ? "all" : who->role == ROLE_SECRETARY ? "branch" : "procuratorate";
        me = json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:o, s:o, s:s, s:b, s:s}", "id",
                       (json_int_t)who->user_id, "username", who->username, "display_name",
                       store_col_text(st, 0), "role", role_name(who->role), "procuratorate_id",
                       (json_int_t)who->procuratorate_id, "procuratorate_name", store_col_text(st, 1),
                       "branch_id", who->branch_id ? json_integer(who->branch_id) : json_null(),
                       "branch_name", who->branch_id ? json_string(store_col_text(st, 2)) : json_null(),
                       "scope", scope, "can_write", authz_can_write_any(who), "csrf_token", csrf);
    }
    store_done(st);
    return me;
}

static const char *header(struct request *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

/* Whether this request reached us over HTTPS, so that the session cookie must be
 * Secure: `serve --secure-cookie` says every request does (TLS ends in front of us), or a
 * trusted proxy (serve --trusted-proxy) says this one did with X-Forwarded-Proto: https.
 * The header from anyone else is ignored. This is the one place that decides. */
static bool served_over_https(struct request *rq)
{
    if (rq->cfg && rq->cfg->secure_cookie)
        return true;
    /* Only a trusted proxy's word counts; the last value is the proxy's own hop. */
    const char *proto = rq->via_proxy ? header(rq, "X-Forwarded-Proto") : NULL;
    if (!proto)
        return false;
    const char *last = strrchr(proto, ',');
    last = last ? last + 1 : proto;
    last += strspn(last, " \t");
    return !strncasecmp(last, "https", 5) && (last[5] == 0 || last[5] == ' ' || last[5] == '\t');
}

/* The authority (host[:port]) the browser sent this request to: the Host header. NULL
 * when there is none. A proxy in front must pass Host through unchanged (nginx:
 * proxy_set_header Host $host); a trusted X-Forwarded-Host would be believed here. */
static const char *own_authority(struct request *rq)
{
    return header(rq, "Host");
}

/* True when "origin" (scheme://host[:port], as browsers send it) names "authority". A
 * default port on either side is the same as none. */
static bool origin_is(const char *origin, const char *authority)
{
    const char *def;
    if (!strncasecmp(origin, "http://", 7))
        origin += 7, def = ":80";
    else if (!strncasecmp(origin, "https://", 8))
        origin += 8, def = ":443";
    else
        return false; /* "null" (a sandboxed frame, a privacy redirect) or nonsense */
    if (!authority || strchr(origin, '/'))
        return false;
    size_t on = strlen(origin), an = strlen(authority), dn = strlen(def);
    if (on > dn && !strcmp(origin + on - dn, def))
        on -= dn;
    if (an > dn && !strcmp(authority + an - dn, def))
        an -= dn;
    return on == an && !strncasecmp(origin, authority, on);
}

/* Cross-site request forgery, login CSRF included: a state-changing request that a page
 * of another site made the browser send. Such a request carries an Origin that is not
 * ours, or Sec-Fetch-Site: cross-site; either is refused (403 cross_origin) before
 * anything else is looked at. A request without both (curl, an old browser) goes on to
 * the other checks: the session cookie is SameSite=Strict and every write but login
 * needs the session's X-CSRF-Token. */
static int refuse_cross_site(struct request *rq, struct rerr *err)
{
    const char *site = header(rq, "Sec-Fetch-Site");
    if (site && !strcasecmp(site, "cross-site"))
        return rerr_set(err, R_EFORBID, "cross_origin", "",
                        "拒绝来自其他网站的请求（Sec-Fetch-Site: cross-site）");
    const char *origin = header(rq, "Origin");
    if (origin && !origin_is(origin, own_authority(rq)))
        return rerr_set(err, R_EFORBID, "cross_origin", "", "拒绝来自其他网站的请求：来源 Origin 不是本系统");
    return 0;
}

/* True when the request declares a JSON body (application/json, with or without
 * parameters such as charset). */
static bool content_is_json(struct request *rq)
{
    const char *t = header(rq, "Content-Type");
    if (!t)
        return false;
    t += strspn(t, " \t");
    static const char json[] = "application/json";
    return !strncasecmp(t, json, sizeof json - 1) && strchr(" \t;", t[sizeof json - 1]);
}

static enum MHD_Result login(struct request *rq, store_conn *c)
{
    struct rerr err = {0};
    /* An HTML form can post text/plain or a urlencoded body across sites without asking
     * anyone (no CORS preflight), never application/json: only JSON logs in. */
    if (!content_is_json(rq))
        return fail(rq, R_EMEDIA, "unsupported_media_type",
                    "登录请求的内容类型必须是 application/json（Content-Type: application/json）");
    json_t *body;
    if (body_json(rq, &body, &err) < 0)
        return reply_error(rq, &err);
    const char *u = NULL, *p = NULL;
    int rc = 0;
    if (json_unpack_ex(body, NULL, JSON_STRICT, "{s:s, s:s}", "username", &u, "password", &p) < 0)
        rc = rerr_set(&err, R_EINVAL, "invalid_type", "", "请提供用户名 username 和密码 password（文本）");
    else if (!*u || strlen(u) > 64 || !password_fits(p)) /* no such password can have been set */
        rc = rerr_set(&err, R_EAUTH, "bad_credentials", "", "用户名或密码错误");
    struct session s;
    struct actor who;
    if (rc == 0)
        rc = session_login(c, u, p, rq->address, header(rq, "User-Agent"), &s, &who, &err);
    json_decref(body);
    if (rc < 0)
        return reply_error(rq, &err);
    rq->authenticated = true;
    json_t *me = me_json(c, &who, s.csrf);
    json_t *reply = me ? json_pack("{s:s, s:o}", "csrf_token", s.csrf, "user", me) : NULL;
    char *text = reply ? json_dumps(reply, JSON_COMPACT) : NULL;
    json_decref(reply);
    if (!text)
        return reply_json(rq, 500, NULL); /* answered as an error, never a crash */
    char cookie[192];
    snprintf(cookie, sizeof cookie, COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", s.token,
             session_lifetime_s(), served_over_https(rq) ? "; Secure" : "");
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "Set-Cookie", cookie);
    add_security_headers(r);
    return reply_response(rq, 200, r);
}

static enum MHD_Result logout(struct request *rq, store_conn *c, const char *token, const struct actor *who)
{
    struct rerr err = {0};
    if (session_logout(c, token, who, &err) < 0)
        return reply_error(rq, &err);
    struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(r, "Set-Cookie",
                            served_over_https(rq) ? COOKIE
                                "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure"
                                                  : COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    add_security_headers(r);
    return reply_response(rq, 204, r);
}

/* POST /users/<id>/unlock: lift the user's login limits (auth/throttle.h). City
 * administrators only, decided before the user is looked up so that 403 tells nothing. */
static enum MHD_Result unlock_user(struct request *rq, struct res_ctx *x, int64_t id)
{
    if (strcmp(rq->method, "POST") != 0)
        return fail(rq, R_EMETHOD, "method_not_allowed", "不支持的请求方法");
    struct rerr err = {0};
    struct row_scope anywhere = {0};
    json_t *out = NULL;
    if (authz_write_row(x->who, WRITE_CITY_ADMIN, &anywhere, &err) < 0 ||
        throttle_unlock(x->c, x->who, id, &out, &err) < 0)
        return reply_error(rq, &err);
    return reply_json(rq, 200, out);
}

/* POST /me/password {current, new}: the signed-in user changes their own password. */
static enum MHD_Result own_password(struct request *rq, store_conn *c, const char *token,
                                    const struct actor *who)
{
    if (strcmp(rq->method, "POST") != 0)
        return fail(rq, R_EMETHOD, "method_not_allowed", "不支持的请求方法");
    struct rerr err = {0};
    json_t *body;
    if (body_json(rq, &body, &err) < 0)
        return reply_error(rq, &err);
    const char *cur = NULL, *fresh = NULL;
    int rc = 0;
    if (json_unpack_ex(body, NULL, JSON_STRICT, "{s:s, s:s}", "current", &cur, "new", &fresh) < 0)
        rc = rerr_set(&err, R_EINVAL, "invalid_type", "", "请提供当前密码 current 和新密码 new（文本）");
    else if (!*cur)
        rc = rerr_set(&err, R_EINVAL, "required", "current", "请输入当前密码");
    if (rc == 0)
        rc = session_change_password(c, token, who, rq->address, cur, fresh, &err);
    json_decref(body);
    return rc < 0 ? reply_error(rq, &err) : reply_empty(rq, 204);
}

static bool is_write(const char *m)
{
    return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0;
}

/* GET /api/v1/jobs/<id>/download: the job's file (a backup), streamed from its
 * descriptor; jobs_download() decides who may and audits it. */
static enum MHD_Result download(struct request *rq, struct res_ctx *x, int64_t id)
{
    struct rerr err = {0};
    struct job_file f;
    if (jobs_download(x, id, &f, &err) < 0)
        return reply_error(rq, &err);
    struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)f.size, f.fd); /* takes the fd */
    if (!r) {
        close(f.fd);
        return fail(rq, R_EINTERNAL, "internal", "无法发送文件");
    }
    char disp[320]; /* the name is [A-Za-z0-9._-] only (backup_name_valid) */
    snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", f.name);
    MHD_add_response_header(r, "Content-Type", "application/vnd.sqlite3");
    MHD_add_response_header(r, "Content-Disposition", disp);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    add_security_headers(r);
    return reply_response(rq, 200, r);
}

static const char *query_value(const struct request *rq, const char *key)
{
    for (int i = 0; i < rq->query.n; i++)
        if (!strcmp(rq->query.key[i], key))
            return rq->query.val[i];
    return NULL;
}

/* /api/v1/sessions[/<id>]: the signed-in user's own sessions (cookie "token" is the
 * current one). Never another user's: session.c asks for "who"'s alone. */
static enum MHD_Result own_sessions(struct request *rq, store_conn *c, const char *token,
                                    const struct actor *who, char **seg, int nseg)
{
    struct rerr err = {0};
    const char *m = rq->method;
    if (nseg > 2)
        return fail(rq, R_ENOTFOUND, "not_found", "没有这个接口");
    if (nseg == 1 && !strcmp(m, "GET")) {
        json_t *out;
        return session_list(c, token, who, &out, &err) < 0 ? reply_error(rq, &err) : reply_json(rq, 200, out);
    }
    if (nseg == 1 && !strcmp(m, "DELETE")) {
        const char *others = query_value(rq, "others");
        if (!others || strcmp(others, "1") != 0)
            return fail(rq, R_EINVAL, "bad_query", "结束其他会话请用 DELETE /api/v1/sessions?others=1");
        int64_t n;
        if (session_end_others(c, token, who, &n, &err) < 0)
            return reply_error(rq, &err);
        return reply_json(rq, 200, json_pack("{s:I}", "ended", (json_int_t)n));
    }
    if (nseg == 2 && !strcmp(m, "DELETE")) {
        int64_t id;
        if (parse_id(seg[1], &id) < 0)
            return fail(rq, R_ENOTFOUND, "not_found", "没有这个登录会话");
        return session_end(c, who, id, &err) < 0 ? reply_error(rq, &err) : reply_empty(rq, 204);
    }
    return fail(rq, R_EMETHOD, "method_not_allowed", "不支持的请求方法");
}

/* GET /api/v1/_meta: a job is started, not created (POST /jobs queues one), so whether
 * the jobs collection offers "create" is for its kinds to say. */
static json_t *meta_jobs(json_t *meta, const struct actor *who)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(meta, "collections"), i, c)
    {
        if (!strcmp(json_string_value(json_object_get(c, "name")), res_jobs.name))
            json_object_set_new(json_object_get(c, "may"), "create", json_boolean(jobs_may_submit(who)));
    }
    return meta;
}

/* /api/v1/<coll>[/<id>[/history]], /api/v1/jobs/<id>/download */
static enum MHD_Result collection(struct request *rq, struct res_ctx *x, char **seg, int nseg)
{
    const struct resource *r = res_find(seg[0]);
    if (!r)
        return fail(rq, R_ENOTFOUND, "not_found", "没有这个接口");
    struct rerr err = {0};
    json_t *out = NULL, *body = NULL;
    int rc;
    const char *m = rq->method;
    if (nseg == 1) {
        if (!strcmp(m, "GET")) {
            char *text;
            size_t len;
            rc = res_list_text(x, r, &rq->query, &text, &len, &err);
            return rc < 0 ? reply_error(rq, &err) : reply_text(rq, 200, text, len);
        }
        if (!strcmp(m, "POST")) {
            bool job = r == &res_jobs; /* a job is queued, not created as a record */
            if ((rc = body_json(rq, &body, &err)) == 0)
                rc = job ? jobs_submit(x, body, &out, &err) : res_create(x, r, body, &out, &err);
            json_decref(body);
            return rc < 0 ? reply_error(rq, &err) : reply_json(rq, job ? 202 : 201, out);
        }
        return fail(rq, R_EMETHOD, "method_not_allowed", "不支持的请求方法");
    }
    int64_t id;
    if (parse_id(seg[1], &id) < 0)
        return fail(rq, R_ENOTFOUND, "not_found", "记录编号无效");
    if (nseg > 3)
        return fail(rq, R_ENOTFOUND, "not_found", "没有这个接口");
    if (nseg == 3 && r == &res_jobs && !strcmp(seg[2], "download"))
        return !strcmp(m, "GET") ? download(rq, x, id)
                                 : fail(rq, R_EMETHOD, "method_not_allowed", "不支持的请求方法");
    if (nseg == 3 && r == &res_users && !strcmp(seg[2], "unlock"))
        return unlock_user(rq, x, id);
    if (nseg == 3) {
        if (strcmp(seg[2], "history") != 0)
            return fail(rq, R_ENOTFOUND, "not_found", "没有这个接口");
        if (strcmp(m, "GET") != 0)
            return fail(rq, R_EMETHOD, "method_not_allowed", "不支持的请求方法");
        rc = res_history(x, r, id, &out, &err);
        return rc < 0 ? reply_error(rq, &err) : reply_json(rq, 200, out);
    }
    if (!strcmp(m, "GET")) {
        rc = res_get(x, r, id, &out, &err);
        return rc < 0 ? reply_error(rq, &err) : reply_json(rq, 200, out);
    }
    if (!strcmp(m, "PATCH") || !strcmp(m, "PUT")) {
        if ((rc = body_json(rq, &body, &err)) == 0)
            rc = res_update(x, r, id, body, &out, &err);
        json_decref(body);
        return rc < 0 ? reply_error(rq, &err) : reply_json(rq, 200, out);
    }
    if (!strcmp(m, "DELETE")) {
        int64_t version = -1; /* absent */
        for (int i = 0; i < rq->query.n; i++) {
            if (!strcmp(rq->query.key[i], "version")) {
                char *end;
                errno = 0;
                version = strtoll(rq->query.val[i], &end, 10);
                if (errno || *end || !*rq->query.val[i])
                    return fail(rq, R_EINVAL, "bad_query", "版本号 version 应为整数");
            }
        }
        rc = res_delete(x, r, id, version, &err);
        return rc < 0 ? reply_error(rq, &err) : reply_empty(rq, 204);
    }
    return fail(rq, R_EMETHOD, "method_not_allowed", "不支持的请求方法");
}

/* Everything the answer to a GET depends on: the reader, the path and each parameter.
 * Every part is written with its length first ("3:abc"), so no value can pass for other
 * parameters however it is spelt ("q=a&page=2" as one value is not q=a plus page=2). */
static char *cache_key(struct request *rq, int64_t user_id)
{
    size_t n = strlen(rq->path) + 48;
    for (int i = 0; i < rq->query.n; i++)
        n += strlen(rq->query.key[i]) + strlen(rq->query.val[i]) + 44;
    char *k = arena_alloc(rq->a, n);
    int w = snprintf(k, n, "%" PRId64 " %zu:%s", user_id, strlen(rq->path), rq->path);
    for (int i = 0; i < rq->query.n; i++)
        w += snprintf(k + w, n - (size_t)w, " %zu:%s %zu:%s", strlen(rq->query.key[i]), rq->query.key[i],
                      strlen(rq->query.val[i]), rq->query.val[i]);
    return k;
}

/* Not jobs: a running job's progress lives in memory, not in the database, so the
 * store's generation does not move with it; and a download is audited each time. */
static bool cacheable(const struct request *rq, const char *first)
{
    return !strcmp(rq->method, "GET") && strcmp(first, "me") != 0 && strcmp(first, "session") != 0 &&
           strcmp(first, "sessions") != 0 && strcmp(first, "_slow") != 0 && strcmp(first, "health") != 0 &&
           strcmp(first, "jobs") != 0;
}

bool api_try_fast(struct request *rq, enum MHD_Result *ret)
{
    const char *rest = rq->path + strlen("/api/v1");
    if (*rest == '/')
        rest++;
    char first[32];
    size_t n = strcspn(rest, "/");
    if (n == 0 || n >= sizeof first || rq->query_overflow)
        return false;
    memcpy(first, rest, n);
    first[n] = 0;
    if (!cacheable(rq, first))
        return false;
    const char *token = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, COOKIE);
    uint64_t gen = store_generation(rq->db);
    struct actor who;
    char csrf[33];
    if (!session_peek(token, gen, &who, csrf))
        return false;
    rq->authenticated = true;
    rq->cache_key = cache_key(rq, who.user_id);
    rq->cache_gen = gen;
    struct cached_body *body = cache_get(rq->cache_key, gen);
    if (!body) {
        rq->known = true;
        rq->who = who;
        memcpy(rq->csrf, csrf, sizeof csrf);
        return false;
    }
    *ret = reply_cached(rq, body);
    return true;
}

enum MHD_Result api_handle(struct request *rq)
{
    /* Split the path after /api/v1/ into at most 4 segments. */
    const char *rest = rq->path + strlen("/api/v1");
    if (*rest == '/')
        rest++;
    char *copy = arena_strdup(rq->a, rest);
    char *seg[4];
    int nseg = 0;
    for (char *save = NULL, *t = strtok_r(copy, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
        if (nseg == 4)
            return fail(rq, R_ENOTFOUND, "not_found", "没有这个接口");
        seg[nseg++] = t;
    }
    if (nseg == 0)
        return fail(rq, R_ENOTFOUND, "not_found", "没有这个接口");
    if (rq->query_overflow) {
        struct rerr e;
        rerr_set(&e, R_EINVAL, "too_many_params", "", "查询参数过多（最多 %d 个）", RES_MAX_PARAMS);
        return reply_error(rq, &e);
    }
    if (nseg == 1 && !strcmp(seg[0], "health"))
        return reply_json(rq, 200, json_pack("{s:b}", "ok", 1));

    enum MHD_Result ret;
    struct rerr err = {0};
    if (is_write(rq->method) && refuse_cross_site(rq, &err) < 0)
        return reply_error(rq, &err);
    if (nseg == 1 && !strcmp(seg[0], "session") && !strcmp(rq->method, "POST")) {
        store_conn *lc = store_acquire(rq->db);
        ret = login(rq, lc);
        store_release(lc);
        return ret;
    }
    /* Everything else needs a session. */
    const char *token = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, COOKIE);
    struct actor who;
    char csrf[33];
    uint64_t gen;
    if (rq->known) { /* a cached read's session, whose answer was not cached */
        who = rq->who;
        memcpy(csrf, rq->csrf, sizeof csrf);
        gen = rq->cache_gen;
    } else {
        gen = store_generation(rq->db); /* before any read: see store.h */
        if (session_lookup(rq->db, token, gen, &who, csrf, &err) < 0)
            return reply_error(rq, &err);
    }
    rq->authenticated = true;
    if (is_write(rq->method)) {
        const char *sent = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "X-CSRF-Token");
        if (!sent || strlen(sent) != strlen(csrf) || sodium_memcmp(sent, csrf, strlen(csrf)) != 0)
            return fail(rq, R_EFORBID, "csrf", "缺少或错误的 X-CSRF-Token，请刷新页面后重试");
    }
    /* Reads of collections and the tree are answered from the cache while nothing has
     * been written since; the key holds the reader, so scope is never crossed. */
    if (cacheable(rq, seg[0]) && !rq->known) {
        rq->cache_key = cache_key(rq, who.user_id);
        rq->cache_gen = gen;
        struct cached_body *body = cache_get(rq->cache_key, gen);
        if (body)
            return reply_cached(rq, body);
    }
    store_conn *c = store_acquire(rq->db);
    struct res_ctx x = {.c = c, .who = &who, .a = rq->a};
    if (nseg == 1 && !strcmp(seg[0], "session")) {
        ret = !strcmp(rq->method, "DELETE") ? logout(rq, c, token, &who)
                                            : fail(rq, R_EMETHOD, "method_not_allowed", "不支持的请求方法");
    } else if (!strcmp(seg[0], "sessions")) {
        ret = own_sessions(rq, c, token, &who, seg, nseg);
    } else if (nseg == 1 && !strcmp(seg[0], "me")) {
        ret = reply_json(rq, 200, me_json(c, &who, csrf));
    } else if (nseg == 2 && !strcmp(seg[0], "me") && !strcmp(seg[1], "password")) {
        ret = own_password(rq, c, token, &who);
    } else if (nseg == 1 && !strcmp(seg[0], "_slow") && getenv("RONGHE_BENCH_SLOW")) {
        /* Benchmarks only (off unless RONGHE_BENCH_SLOW is set): a request that holds a
         * store connection for "ms" milliseconds, to show it stalls nobody else. */
        long ms = 300;
        for (int i = 0; i < rq->query.n; i++)
            if (!strcmp(rq->query.key[i], "ms"))
                ms = strtol(rq->query.val[i], NULL, 10);
        if (ms < 0 || ms > 2000)
            ms = 300;
        usleep((useconds_t)ms * 1000);
        ret = reply_json(rq, 200, json_pack("{s:i}", "slept_ms", (int)ms));
    } else if (nseg == 1 && !strcmp(seg[0], "_meta")) {
        json_t *out;
        if (strcmp(rq->method, "GET") != 0)
            ret = fail(rq, R_EMETHOD, "method_not_allowed", "不支持的请求方法");
        else if (meta_json(&who, &out, &err) < 0)
            ret = reply_error(rq, &err);
        else
            ret = reply_json(rq, 200, meta_jobs(out, &who));
    } else if (nseg == 1 && !strcmp(seg[0], "org-tree")) {
        json_t *out;
        ret = org_tree(&x, &out, &err) < 0 ? reply_error(rq, &err) : reply_json(rq, 200, out);
    } else {
        ret = collection(rq, &x, seg, nseg);
    }
    store_release(c);
    return ret;
}
