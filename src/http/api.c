/*
 * api: the routes under /api/v1. Authentication and the CSRF check happen here once,
 * before any handler; authorisation by role and data scope happens in the domain
 * (the resource engine asks authz), so no handler can forget it.
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
#include "base/log.h"
#include "domain/attachment.h"
#include "domain/evaluation.h"
#include "domain/joint.h"
#include "domain/meta.h"
#include "domain/org.h"
#include "domain/partylife.h"
#include "domain/service.h"
#include "domain/stats.h"
#include "domain/template.h"
#include "domain/timeline.h"
#include "domain/user.h"
#include "http/cache.h"
#include "http/request.h"
#include "http/routes.h"
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
    if (me) /* whether identity numbers come whole, and ?id_number= may be used */
        json_object_set_new(me, "sees_id_numbers", json_boolean(authz_reveal_personal(who)));
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

/* ---------------------------------------------------------------- the handlers
 * One per route (or per route and method); each answers through reply_*. */

static enum MHD_Result health(struct request *rq, const struct route_call *k)
{
    return reply_json(rq, 200, json_pack("{s:b}", "ok", 1));
}

/* POST /session */
static enum MHD_Result session_open(struct request *rq, const struct route_call *k)
{
    store_conn *lc = store_acquire(rq->db);
    enum MHD_Result ret = login(rq, lc);
    store_release(lc);
    return ret;
}

/* DELETE /session */
static enum MHD_Result logout(struct request *rq, const struct route_call *k)
{
    struct rerr err = {0};
    if (session_logout(k->x->c, k->token, k->x->who, &err) < 0)
        return reply_error(rq, &err);
    struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(r, "Set-Cookie",
                            served_over_https(rq) ? COOKIE
                                "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure"
                                                  : COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    add_security_headers(r);
    return reply_response(rq, 204, r);
}

/* GET /me */
static enum MHD_Result me(struct request *rq, const struct route_call *k)
{
    return reply_json(rq, 200, me_json(k->x->c, k->x->who, k->csrf));
}

/* GET /_meta: every collection's description and what "who" may do with it. */
static enum MHD_Result meta(struct request *rq, const struct route_call *k)
{
    struct rerr err = {0};
    json_t *out;
    return meta_json(k->x->who, &out, &err) < 0 ? reply_error(rq, &err) : reply_json(rq, 200, out);
}

/* GET /stats: the home page's figures (domain/stats.h). Ages and 党龄 are today's, so the
 * route caches them until midnight Beijing time. */
static enum MHD_Result stats(struct request *rq, const struct route_call *k)
{
    struct rerr err = {0};
    json_t *out;
    if (rq->query.n)
        return fail(rq, R_EINVAL, "bad_query", "统计接口不接受查询参数");
    return stats_home(k->x, &out, &err) < 0 ? reply_error(rq, &err) : reply_json(rq, 200, out);
}

/* GET /life-completeness?branch_id=N&year=YYYY (year: this year when omitted): 三会一课
 * completeness of one branch (domain/partylife.h). "due" depends on today. */
static enum MHD_Result completeness(struct request *rq, const struct route_call *k)
{
    struct rerr err = {0};
    int64_t branch = 0, year = 0;
    for (int i = 0; i < rq->query.n; i++) {
        const char *key = rq->query.key[i], *v = rq->query.val[i];
        int64_t *to = !strcmp(key, "branch_id") ? &branch : !strcmp(key, "year") ? &year : NULL;
        if (!to)
            return fail(rq, R_EINVAL, "bad_query", "未知的查询参数（可用 branch_id、year）");
        char *end;
        errno = 0;
        *to = strtoll(v, &end, 10);
        if (errno || *end || !*v || *to <= 0)
            return fail(rq, R_EINVAL, "bad_query", "branch_id 和 year 应为正整数");
    }
    if (!branch)
        return fail(rq, R_EINVAL, "bad_query", "请提供党组织 branch_id");
    json_t *out;
    return life_completeness(k->x, branch, year > 9999 ? -1 : (int)year, &out, &err) < 0
               ? reply_error(rq, &err)
               : reply_json(rq, 200, out);
}

/* The query of the evaluation's reads: branch_id (a positive integer), period, measure;
 * each at most once, no other. */
struct eval_query {
    int64_t branch;
    const char *period, *measure;
};

static int eval_query(struct request *rq, bool with_measure, struct eval_query *q, struct rerr *err)
{
    *q = (struct eval_query){0};
    for (int i = 0; i < rq->query.n; i++) {
        const char *key = rq->query.key[i], *v = rq->query.val[i];
        if (!strcmp(key, "branch_id") && !q->branch) {
            char *end;
            errno = 0;
            q->branch = strtoll(v, &end, 10);
            if (errno || *end || !*v || q->branch <= 0)
                return rerr_set(err, R_EINVAL, "bad_query", "branch_id", "branch_id 应为正整数");
        } else if (!strcmp(key, "period") && !q->period) {
            q->period = v;
        } else if (with_measure && !strcmp(key, "measure") && !q->measure) {
            q->measure = v;
        } else {
            return rerr_set(err, R_EINVAL, "bad_query", key,
                            "未知或重复的查询参数“%s”（可用 branch_id、period%s）", key,
                            with_measure ? "、measure" : "");
        }
    }
    if (!q->branch)
        return rerr_set(err, R_EINVAL, "bad_query", "branch_id", "请提供党组织 branch_id");
    if (!q->period)
        return rerr_set(err, R_EINVAL, "bad_query", "period",
                        "请提供考评期间 period（如 2025、2025-Q3、2025-07）");
    if (with_measure && !q->measure)
        return rerr_set(err, R_EINVAL, "bad_query", "measure", "请提供指标数据项 measure");
    return 0;
}

/* GET /eval/measures: the measures formulas may name (domain/measures.h). */
static enum MHD_Result eval_measures(struct request *rq, const struct route_call *k)
{
    if (rq->query.n)
        return fail(rq, R_EINVAL, "bad_query", "此接口不接受查询参数");
    return reply_json(rq, 200, eval_measures_json());
}

/* GET /eval/values?branch_id=&period=: one branch's measures for a period. */
static enum MHD_Result eval_values_get(struct request *rq, const struct route_call *k)
{
    struct rerr err = {0};
    struct eval_query q;
    json_t *out;
    if (eval_query(rq, false, &q, &err) < 0 || eval_values(k->x, q.branch, q.period, &out, &err) < 0)
        return reply_error(rq, &err);
    return reply_json(rq, 200, out);
}

/* GET /eval/records?branch_id=&period=&measure=: the records behind one value. */
static enum MHD_Result eval_records_get(struct request *rq, const struct route_call *k)
{
    struct rerr err = {0};
    struct eval_query q;
    json_t *out;
    if (eval_query(rq, true, &q, &err) < 0 ||
        eval_records(k->x, q.branch, q.period, q.measure, &out, &err) < 0)
        return reply_error(rq, &err);
    return reply_json(rq, 200, out);
}

/* POST /eval/check {"text": "..."}: a scheme's every error as one types (200 either way:
 * the answer says ok or lists them). */
static enum MHD_Result eval_check(struct request *rq, const struct route_call *k)
{
    struct rerr err = {0};
    if (!content_is_json(rq))
        return fail(rq, R_EMEDIA, "unsupported_media_type", "请求的内容类型必须是 application/json");
    json_t *body;
    if (body_json(rq, &body, &err) < 0)
        return reply_error(rq, &err);
    json_t *text = json_object_get(body, "text");
    if (!json_is_object(body) || !json_is_string(text) || json_object_size(body) != 1) {
        json_decref(body);
        return fail(rq, R_EINVAL, "invalid_value", "请求体应为 {\"text\": 方案内容}");
    }
    json_t *out = eval_scheme_check(json_string_value(text));
    json_decref(body);
    return reply_json(rq, 200, out);
}

/* GET /eval/results?period=[&scheme_id=][&kind=]: a period's ranking. */
static enum MHD_Result eval_results_get(struct request *rq, const struct route_call *k)
{
    struct rerr err = {0};
    json_t *out;
    return eval_results(k->x, &rq->query, &out, &err) < 0 ? reply_error(rq, &err) : reply_json(rq, 200, out);
}

/* GET /eval/honours?period=[&scheme_id=][&branch_id=]: honour eligibility as proposals. */
static enum MHD_Result eval_honours_get(struct request *rq, const struct route_call *k)
{
    struct rerr err = {0};
    json_t *out;
    return eval_honours(k->x, &rq->query, &out, &err) < 0 ? reply_error(rq, &err) : reply_json(rq, 200, out);
}

/* GET /eval/explain?branch_id=|procuratorate_id=&period=[&scheme_id=]: one explanation. */
static enum MHD_Result eval_explain_get(struct request *rq, const struct route_call *k)
{
    struct rerr err = {0};
    json_t *out;
    return eval_explain(k->x, &rq->query, &out, &err) < 0 ? reply_error(rq, &err) : reply_json(rq, 200, out);
}

/* GET /eval/signals?period=&status=&kind=&branch_id=: the formalism signals in scope. */
static enum MHD_Result eval_signals_get(struct request *rq, const struct route_call *k)
{
    struct rerr err = {0};
    json_t *out;
    return eval_signals_list(k->x, &rq->query, &out, &err) < 0 ? reply_error(rq, &err)
                                                                : reply_json(rq, 200, out);
}

/* GET /eval/signals/:id: one signal, its records and (copied minutes) both texts. */
static enum MHD_Result eval_signal_one(struct request *rq, const struct route_call *k)
{
    struct rerr err = {0};
    json_t *out;
    if (rq->query.n)
        return fail(rq, R_EINVAL, "bad_query", "此接口不接受查询参数");
    return eval_signal_get(k->x, k->id, &out, &err) < 0 ? reply_error(rq, &err) : reply_json(rq, 200, out);
}

/* POST /eval/signals/:id/review {decision, note, version}: a reviewer's decision. */
static enum MHD_Result eval_signal_review_post(struct request *rq, const struct route_call *k)
{
    struct rerr err = {0};
    if (!content_is_json(rq))
        return fail(rq, R_EMEDIA, "unsupported_media_type", "请求的内容类型必须是 application/json");
    json_t *body, *out = NULL;
    if (body_json(rq, &body, &err) < 0)
        return reply_error(rq, &err);
    int rc = eval_signal_review(k->x, k->id, body, &out, &err);
    json_decref(body);
    return rc < 0 ? reply_error(rq, &err) : reply_json(rq, 200, out);
}

/* GET /timeline?branch_id=|member_id=|case_id=: both ledgers in order (domain/timeline.h). */
static enum MHD_Result timeline(struct request *rq, const struct route_call *k)
{
    struct rerr err = {0};
    json_t *out;
    return timeline_get(k->x, &rq->query, &out, &err) < 0 ? reply_error(rq, &err) : reply_json(rq, 200, out);
}

/* GET /method-completion?branch_id=&method_id=&year=: a method's elements × periods for
 * one branch (domain/joint.h); a period not yet begun depends on today. */
static enum MHD_Result method_completion(struct request *rq, const struct route_call *k)
{
    struct rerr err = {0};
    json_t *out;
    return joint_method_completion(k->x, &rq->query, &out, &err) < 0 ? reply_error(rq, &err)
                                                                     : reply_json(rq, 200, out);
}

/* GET /_slow: benchmarks only (not found unless RONGHE_BENCH_SLOW is set): a request that
 * holds a store connection for "ms" milliseconds, to show it stalls nobody else. */
static enum MHD_Result slow(struct request *rq, const struct route_call *k)
{
    if (!getenv("RONGHE_BENCH_SLOW"))
        return fail(rq, R_ENOTFOUND, "not_found", "没有这个接口");
    long ms = 300;
    for (int i = 0; i < rq->query.n; i++)
        if (!strcmp(rq->query.key[i], "ms"))
            ms = strtol(rq->query.val[i], NULL, 10);
    if (ms < 0 || ms > 2000)
        ms = 300;
    usleep((useconds_t)ms * 1000);
    return reply_json(rq, 200, json_pack("{s:i}", "slept_ms", (int)ms));
}

/* GET /org-tree */
static enum MHD_Result tree(struct request *rq, const struct route_call *k)
{
    struct rerr err = {0};
    json_t *out;
    return org_tree(k->x, &out, &err) < 0 ? reply_error(rq, &err) : reply_json(rq, 200, out);
}

/* POST /me/password {current, new}: the signed-in user changes their own password. */
static enum MHD_Result own_password(struct request *rq, const struct route_call *k)
{
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
        rc = session_change_password(k->x->c, k->token, k->x->who, rq->address, cur, fresh, &err);
    json_decref(body);
    return rc < 0 ? reply_error(rq, &err) : reply_empty(rq, 204);
}

/* POST /public/progress {number, code}: the 12309 progress page's lookup, for nobody
 * signed in (domain/service.h: throttled, the same answer for every miss). JSON only, as a
 * login is, so that no other site's form can post it. */
static enum MHD_Result public_progress(struct request *rq, const struct route_call *k)
{
    struct rerr err = {0};
    if (!content_is_json(rq))
        return fail(rq, R_EMEDIA, "unsupported_media_type", "查询请求的内容类型必须是 application/json");
    json_t *body, *out = NULL;
    if (body_json(rq, &body, &err) < 0)
        return reply_error(rq, &err);
    store_conn *c = store_acquire(rq->db);
    int rc = service_progress(c, rq->address, body, &out, &err);
    store_release(c);
    json_decref(body);
    return rc < 0 ? reply_error(rq, &err) : reply_json(rq, 200, out);
}

/* GET /request-rates: the 12309 rates (domain/service.h); counted against today's date. */
static enum MHD_Result request_rates(struct request *rq, const struct route_call *k)
{
    struct rerr err = {0};
    json_t *out;
    return service_rates(k->x, &rq->query, &out, &err) < 0 ? reply_error(rq, &err) : reply_json(rq, 200, out);
}

static bool is_write(const char *m)
{
    return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0;
}

/* Content-Disposition for a file: "attachment; filename=" its ASCII name ([A-Za-z0-9._-]
 * only: struct res_file), and where it has one its real name (Chinese, say) as
 * filename*=UTF-8''… (RFC 6266, RFC 5987: every byte but the attr-chars percent-encoded),
 * which browsers prefer. */
static const char *disposition(arena *a, const struct res_file *f)
{
    const char *d = arena_printf(a, "attachment; filename=\"%s\"", f->name);
    if (!f->display_name || !*f->display_name)
        return d;
    static const char attr[] = "!#$&+-.^_`|~";
    size_t n = strlen(f->display_name);
    char *enc = arena_alloc(a, 3 * n + 1), *w = enc;
    for (const unsigned char *p = (const unsigned char *)f->display_name; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr(attr, *p))
            *w++ = (char)*p;
        else
            w += sprintf(w, "%%%02X", *p);
    }
    *w = 0;
    return arena_printf(a, "%s; filename*=UTF-8''%s", d, enc);
}

static enum MHD_Result send_file(struct request *rq, struct res_file *f, int status);

/* A collection's declared action (struct res_action): the domain's handler decides who
 * may and audits; here only the HTTP part — the body read, the answer sent, a file
 * streamed from its descriptor. */
static enum MHD_Result action(struct request *rq, struct res_ctx *x, const struct res_action *a, int64_t id)
{
    struct rerr err = {0};
    if (a->run) {
        json_t *body = NULL, *out = NULL;
        int rc = a->body && (rq->body_len || !a->body_optional) ? body_json(rq, &body, &err) : 0;
        if (rc == 0)
            rc = a->run(x, id, body, &out, &err);
        json_decref(body);
        return rc < 0 ? reply_error(rq, &err) : reply_json(rq, a->status, out);
    }
    struct res_file f = {0};
    if (a->file(x, id, &f, &err) < 0)
        return reply_error(rq, &err);
    return send_file(rq, &f, a->status);
}

/* Send file "f" (its descriptor taken) with "status". */
static enum MHD_Result send_file(struct request *rq, struct res_file *f, int status)
{
    struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)f->size, f->fd); /* takes the fd */
    if (!r) {
        close(f->fd);
        return fail(rq, R_EINTERNAL, "internal", "无法发送文件");
    }
    MHD_add_response_header(r, "Content-Type", f->content_type);
    MHD_add_response_header(r, "Content-Disposition", disposition(rq->a, f));
    MHD_add_response_header(r, "Cache-Control", "no-store");
    add_security_headers(r);
    return reply_response(rq, status, r);
}

/* GET /eval/results/export?period=[&scheme_id=][&kind=]: the ranking as an XLSX. */
static enum MHD_Result eval_results_export(struct request *rq, const struct route_call *k)
{
    struct rerr err = {0};
    struct res_file f = {0};
    if (eval_results_file(k->x, &rq->query, &f, &err) < 0)
        return reply_error(rq, &err);
    return send_file(rq, &f, 200);
}

/* GET /templates/:coll: the collection's import template (domain/template.h), for those
 * who may create its records. */
static enum MHD_Result template_download(struct request *rq, const struct route_call *k)
{
    struct rerr err = {0};
    struct res_file f = {0};
    if (template_file(k->x, res_find(k->seg[1]), &f, &err) < 0)
        return reply_error(rq, &err);
    return send_file(rq, &f, 200);
}

static const char *query_value(const struct request *rq, const char *key)
{
    for (int i = 0; i < rq->query.n; i++)
        if (!strcmp(rq->query.key[i], key))
            return rq->query.val[i];
    return NULL;
}

/* /sessions, /sessions/<id>: the signed-in user's own sessions (cookie "token" is the
 * current one). Never another user's: session.c asks for "who"'s alone. */
static enum MHD_Result sessions_list(struct request *rq, const struct route_call *k)
{
    struct rerr err = {0};
    json_t *out;
    return session_list(k->x->c, k->token, k->x->who, &out, &err) < 0 ? reply_error(rq, &err)
                                                                      : reply_json(rq, 200, out);
}

static enum MHD_Result sessions_end_others(struct request *rq, const struct route_call *k)
{
    struct rerr err = {0};
    const char *others = query_value(rq, "others");
    if (!others || strcmp(others, "1") != 0)
        return fail(rq, R_EINVAL, "bad_query", "结束其他会话请用 DELETE /api/v1/sessions?others=1");
    int64_t n;
    if (session_end_others(k->x->c, k->token, k->x->who, &n, &err) < 0)
        return reply_error(rq, &err);
    return reply_json(rq, 200, json_pack("{s:I}", "ended", (json_int_t)n));
}

static enum MHD_Result sessions_end(struct request *rq, const struct route_call *k)
{
    struct rerr err = {0};
    int64_t id;
    if (parse_id(k->seg[1], &id) < 0)
        return fail(rq, R_ENOTFOUND, "not_found", "没有这个登录会话");
    return session_end(k->x->c, k->x->who, id, &err) < 0 ? reply_error(rq, &err) : reply_empty(rq, 204);
}

/* /<coll>: list (GET), create (POST; or the collection's own POST action: a job is
 * queued, not created as a record) */
static enum MHD_Result coll_list(struct request *rq, const struct route_call *k)
{
    struct rerr err = {0};
    char *text;
    size_t len;
    int rc = res_list_text(k->x, res_find(k->seg[0]), &rq->query, &text, &len, &err);
    return rc < 0 ? reply_error(rq, &err) : reply_text(rq, 200, text, len);
}

static enum MHD_Result coll_create(struct request *rq, const struct route_call *k)
{
    const struct resource *r = res_find(k->seg[0]);
    struct rerr err = {0};
    json_t *out = NULL, *body = NULL;
    const struct res_action *a = res_action_find(r, NULL, rq->method, NULL);
    if (a)
        return action(rq, k->x, a, 0);
    int rc = body_json(rq, &body, &err);
    if (rc == 0)
        rc = res_create(k->x, r, body, &out, &err);
    json_decref(body);
    return rc < 0 ? reply_error(rq, &err) : reply_json(rq, 201, out);
}

/* /<coll>/<id>: read (GET), update (PATCH, PUT), delete (DELETE ?version=N) */
static enum MHD_Result coll_get(struct request *rq, const struct route_call *k)
{
    struct rerr err = {0};
    json_t *out = NULL;
    int rc = res_get(k->x, res_find(k->seg[0]), k->id, &out, &err);
    return rc < 0 ? reply_error(rq, &err) : reply_json(rq, 200, out);
}

static enum MHD_Result coll_update(struct request *rq, const struct route_call *k)
{
    struct rerr err = {0};
    json_t *out = NULL, *body = NULL;
    int rc = body_json(rq, &body, &err);
    if (rc == 0)
        rc = res_update(k->x, res_find(k->seg[0]), k->id, body, &out, &err);
    json_decref(body);
    return rc < 0 ? reply_error(rq, &err) : reply_json(rq, 200, out);
}

static enum MHD_Result coll_delete(struct request *rq, const struct route_call *k)
{
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
    struct rerr err = {0};
    int rc = res_delete(k->x, res_find(k->seg[0]), k->id, version, &err);
    return rc < 0 ? reply_error(rq, &err) : reply_empty(rq, 204);
}

/* GET /<coll>/<id>/history */
static enum MHD_Result coll_history(struct request *rq, const struct route_call *k)
{
    struct rerr err = {0};
    json_t *out = NULL;
    int rc = res_history(k->x, res_find(k->seg[0]), k->id, &out, &err);
    return rc < 0 ? reply_error(rq, &err) : reply_json(rq, 200, out);
}

/* /<coll>/<id>/<action>: an action the collection declares (POST /users/N/unlock, GET
 * /jobs/N/download); 405 for one it declares with another method, 404 for none. */
static enum MHD_Result coll_action(struct request *rq, const struct route_call *k)
{
    const struct resource *r = res_find(k->seg[0]);
    bool other_method = !strcmp(k->seg[2], "history"); /* GET only (its own row) */
    const struct res_action *a =
        res_action_find(r, k->seg[2], rq->method, other_method ? NULL : &other_method);
    if (a)
        return action(rq, k->x, a, k->id);
    if (other_method)
        return fail(rq, R_EMETHOD, "method_not_allowed", "不支持的请求方法");
    return fail(rq, R_ENOTFOUND, "not_found", "没有这个接口");
}

/* Whether the body is declared a file itself (an upload, ROUTE_FILE_BODY). */
static bool octet_body(struct request *rq)
{
    const char *t = header(rq, "Content-Type");
    static const char octet[] = "application/octet-stream";
    return t && strncasecmp(t + strspn(t, " \t"), octet, sizeof octet - 1) == 0;
}

/* POST /attachments?owner_coll=&owner_id=&name= with the file itself as the body
 * (application/octet-stream), streamed to a temporary file by server.c (ROUTE_FILE_BODY);
 * the domain checks the owner, detects the type and commits the row (domain/attachment.h). */
static enum MHD_Result attachments_upload(struct request *rq, const struct route_call *k)
{
    struct rerr err = {0};
    if (!octet_body(rq))
        return fail(rq, R_EMEDIA, "unsupported_media_type",
                    "上传附件时请求内容应为文件本身（Content-Type: application/octet-stream）");
    for (int i = 0; i < rq->query.n; i++)
        if (strcmp(rq->query.key[i], "owner_coll") && strcmp(rq->query.key[i], "owner_id") &&
            strcmp(rq->query.key[i], "name"))
            return fail(rq, R_EINVAL, "bad_query", "上传附件只接受 owner_coll、owner_id、name 三个参数");
    files_tmp *up = rq->upload;
    rq->upload = NULL; /* the domain's now, whatever happens */
    json_t *out = NULL;
    int rc = attachment_upload(k->x, query_value(rq, "owner_coll"), query_value(rq, "owner_id"),
                               query_value(rq, "name"), up, &out, &err);
    return rc < 0 ? reply_error(rq, &err) : reply_json(rq, 201, out);
}

/* POST /jobs/upload?kind=import&… with a file as the body (application/octet-stream,
 * streamed to a temporary file like an attachment): a job of a kind that takes a file
 * (jobs.h "input"). The query's keys are the job's params: "true" and "false" as
 * booleans, anything else as text, for the kind's authorize hook to check. */
static enum MHD_Result jobs_upload(struct request *rq, const struct route_call *k)
{
    struct rerr err = {0};
    if (!octet_body(rq))
        return fail(rq, R_EMEDIA, "unsupported_media_type",
                    "上传文件时请求内容应为文件本身（Content-Type: application/octet-stream）");
    json_t *params = json_object();
    for (int i = 0; i < rq->query.n; i++) {
        const char *v = rq->query.val[i];
        if (json_object_get(params, rq->query.key[i])) {
            json_decref(params);
            return fail(rq, R_EINVAL, "duplicate_param", "查询参数重复出现（每个参数只能给一次）");
        }
        json_t *jv = !strcmp(v, "true") ? json_true() : !strcmp(v, "false") ? json_false() : json_string(v);
        if (!jv || json_object_set_new(params, rq->query.key[i], jv) < 0) {
            json_decref(params);
            return fail(rq, R_EINVAL, "bad_query", "查询参数含有不允许的字符");
        }
    }
    files_tmp *up = rq->upload;
    rq->upload = NULL; /* the job's now, whatever happens */
    json_t *out = NULL;
    int rc = jobs_submit_file(k->x, params, up, &out, &err);
    json_decref(params);
    return rc < 0 ? reply_error(rq, &err) : reply_json(rq, 202, out);
}

/* DELETE /attachments/<id>?version=N: the row, then its file unless another names it. */
static enum MHD_Result attachments_remove(struct request *rq, const struct route_call *k)
{
    struct rerr err = {0};
    int64_t version = -1;
    const char *v = query_value(rq, "version");
    if (v) {
        char *end;
        errno = 0;
        version = strtoll(v, &end, 10);
        if (errno || *end || !*v)
            return fail(rq, R_EINVAL, "bad_query", "版本号 version 应为整数");
    }
    int rc = attachment_delete(k->x, k->id, version, &err);
    return rc < 0 ? reply_error(rq, &err) : reply_empty(rq, 204);
}

/* ---------------------------------------------------------------- the table
 * Columns (routes.h): methods, pattern, handler, caching, flags. Caching is off unless a
 * row says so: ROUTE_CACHE for answers that depend on the database alone, ROUTE_CACHE_TODAY
 * for those that also depend on today's date (members carry their age and filter by
 * 青年干警), ROUTE_NO_CACHE for the rest. The first row that matches path and method
 * answers, so the rows of a particular collection (jobs, members, users) come before the
 * generic /:coll rows they refine; a method they do not list falls through to those. The
 * flags say what body a route takes (ROUTE_BODY, ROUTE_SMALL_BODY), checked before it is
 * read. To
 * add a route: one row here and its handler above. */
const struct route api_routes[] = {
    {RM_GET, "/health", health, ROUTE_NO_CACHE, ROUTE_PUBLIC},
    {RM_POST, "/session", session_open, ROUTE_NO_CACHE, ROUTE_PUBLIC | ROUTE_SMALL_BODY},
    {RM_DELETE, "/session", logout, ROUTE_NO_CACHE, 0},
    {RM_GET, "/sessions", sessions_list, ROUTE_NO_CACHE, 0},
    {RM_DELETE, "/sessions", sessions_end_others, ROUTE_NO_CACHE, 0},
    {RM_DELETE, "/sessions/:session", sessions_end, ROUTE_NO_CACHE, 0},
    {RM_GET, "/me", me, ROUTE_NO_CACHE, 0},
    {RM_POST, "/me/password", own_password, ROUTE_NO_CACHE, ROUTE_SMALL_BODY},
    /* from the descriptors and the reader's role alone: reads no table, kept until restart */
    {RM_GET, "/_meta", meta, ROUTE_CACHE, 0},
    {RM_GET, "/_slow", slow, ROUTE_NO_CACHE, 0},
    {RM_GET, "/org-tree", tree, ROUTE_CACHE, 0},
    {RM_GET, "/stats", stats, ROUTE_CACHE_TODAY, 0},
    {RM_GET, "/method-completion", method_completion, ROUTE_CACHE_TODAY, 0},
    {RM_GET, "/timeline", timeline, ROUTE_CACHE, 0},
    {RM_GET, "/life-completeness", completeness, ROUTE_CACHE_TODAY, 0},
    /* the evaluation: measures are the binary's; values count 12309 deadlines against today */
    {RM_GET, "/eval/measures", eval_measures, ROUTE_CACHE, 0},
    {RM_GET, "/eval/values", eval_values_get, ROUTE_CACHE_TODAY, 0},
    {RM_GET, "/eval/records", eval_records_get, ROUTE_CACHE_TODAY, 0},
    {RM_POST, "/eval/check", eval_check, ROUTE_NO_CACHE, ROUTE_BODY},
    {RM_GET, "/eval/results", eval_results_get, ROUTE_CACHE, 0},
    {RM_GET, "/eval/results/export", eval_results_export, 0, 0},
    {RM_GET, "/eval/explain", eval_explain_get, ROUTE_CACHE, 0},
    {RM_GET, "/eval/honours", eval_honours_get, ROUTE_CACHE, 0},
    {RM_GET, "/eval/signals", eval_signals_get, ROUTE_CACHE, 0},
    {RM_GET, "/eval/signals/:id", eval_signal_one, ROUTE_CACHE, 0},
    {RM_POST, "/eval/signals/:id/review", eval_signal_review_post, ROUTE_NO_CACHE, ROUTE_BODY},
    /* a job's progress lives in memory, not in the database: never cached */
    {RM_GET, "/jobs", coll_list, ROUTE_NO_CACHE, 0},
    {RM_GET, "/jobs/:id", coll_get, ROUTE_NO_CACHE, 0},
    {RM_GET, "/jobs/:id/history", coll_history, ROUTE_NO_CACHE, 0},
    {RM_GET, "/members", coll_list, ROUTE_CACHE_TODAY, 0},
    {RM_GET, "/members/:id", coll_get, ROUTE_CACHE_TODAY, 0},
    /* a matter's reply deadline state is today's */
    {RM_GET, "/pil-matters", coll_list, ROUTE_CACHE_TODAY, 0},
    {RM_GET, "/pil-matters/:id", coll_get, ROUTE_CACHE_TODAY, 0},
    /* an upload is a file streamed to disk, not JSON; a deletion removes the file too */
    {RM_POST, "/attachments", attachments_upload, ROUTE_NO_CACHE, ROUTE_FILE_BODY},
    {RM_POST, "/jobs/upload", jobs_upload, ROUTE_NO_CACHE, ROUTE_FILE_BODY},
    {RM_DELETE, "/attachments/:id", attachments_remove, ROUTE_NO_CACHE, 0},
    /* 12309: ?due= and the rates are counted against today */
    {RM_POST, "/public/progress", public_progress, ROUTE_NO_CACHE, ROUTE_PUBLIC | ROUTE_SMALL_BODY},
    {RM_GET, "/request-rates", request_rates, ROUTE_CACHE_TODAY, 0},
    {RM_GET, "/requests", coll_list, ROUTE_CACHE_TODAY, 0},
    {RM_GET, "/templates/:coll", template_download, ROUTE_NO_CACHE, 0},
    {RM_GET, "/:coll", coll_list, ROUTE_CACHE, 0},
    {RM_POST, "/:coll", coll_create, ROUTE_NO_CACHE, ROUTE_BODY},
    {RM_GET, "/:coll/:id", coll_get, ROUTE_CACHE, 0},
    {RM_PATCH | RM_PUT, "/:coll/:id", coll_update, ROUTE_NO_CACHE, ROUTE_BODY},
    {RM_DELETE, "/:coll/:id", coll_delete, ROUTE_NO_CACHE, ROUTE_BODY},
    {RM_GET, "/:coll/:id/history", coll_history, ROUTE_CACHE, 0},
    /* declared actions (res_action): a download is audited each time, an unlock writes */
    {RM_GET | RM_POST | RM_PUT | RM_PATCH | RM_DELETE, "/:coll/:id/:action", coll_action, ROUTE_NO_CACHE,
     ROUTE_BODY},
    {0, NULL, NULL, ROUTE_NO_CACHE, 0},
};

/* ---------------------------------------------------------------- dispatch */

/* Everything the answer to a GET depends on: the reader and what decides what they may
 * see (role and scope: the answer does not depend on the users table, which may change
 * without dropping it), the path and each parameter. Every part is written with its
 * length first ("3:abc"), so no value can pass for other parameters however it is spelt
 * ("q=a&page=2" as one value is not q=a plus page=2). */
static char *cache_key(struct request *rq, const struct actor *who)
{
    size_t n = strlen(rq->path) + 128;
    for (int i = 0; i < rq->query.n; i++)
        n += strlen(rq->query.key[i]) + strlen(rq->query.val[i]) + 44;
    char *k = arena_alloc(rq->a, n);
    int w = snprintf(k, n, "%" PRId64 ".%d.%" PRId64 ".%" PRId64 ".%d %zu:%s", who->user_id, (int)who->role,
                     who->procuratorate_id, who->branch_id, (int)who->scope_all, strlen(rq->path), rq->path);
    for (int i = 0; i < rq->query.n; i++)
        w += snprintf(k + w, n - (size_t)w, " %zu:%s %zu:%s", strlen(rq->query.key[i]), rq->query.key[i],
                      strlen(rq->query.val[i]), rq->query.val[i]);
    return k;
}

/* A cached answer is current while none of the tables it read has changed since its
 * reads began. */
static bool cache_fresh(void *arg, const struct cache_tag *tag)
{
    const struct request *rq = arg;
    return store_unchanged(rq->db, tag->tables, tag->gen);
}

/* What a session seen recently depends on (session_lookup(): the session row, its user,
 * the user's procuratorate): the generation of those tables alone, so that a write
 * elsewhere leaves the sessions seen alone. */
static uint64_t session_generation(store *db)
{
    return store_tables_generation(db, store_tables_named(db, "sessions users procuratorates"));
}

/* Whether the answer of "r" to this request may be cached (a GET of a caching route). */
static bool cached_route(const struct request *rq, const struct route *r)
{
    return r->cache != ROUTE_NO_CACHE && !strcmp(rq->method, "GET");
}

/* Set the request's cache key and tag for "who" reading through "r" at "gen". */
static void cache_prepare(struct request *rq, const struct route *r, const struct actor *who, uint64_t gen)
{
    rq->cache_key = cache_key(rq, who);
    rq->cache_gen = gen;
    rq->cache_expires = route_expires(r->cache, time(NULL));
}

int api_upload_precheck(struct request *rq, struct rerr *err)
{
    const char *token = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, COOKIE);
    if (!token || !*token)
        return rerr_set(err, R_EAUTH, "unauthenticated", "", "请先登录");
    const char *sent = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "X-CSRF-Token");
    if (!sent || !*sent)
        return rerr_set(err, R_EFORBID, "csrf", "", "缺少或错误的 X-CSRF-Token，请刷新页面后重试");
    return 0;
}

bool api_try_fast(struct request *rq, enum MHD_Result *ret)
{
    const struct route *r;
    const char *seg[ROUTE_MAX_SEGS];
    const char *rest = rq->path + strlen("/api/v1");
    if (rq->query_overflow || strcmp(rq->method, "GET") != 0)
        return false;
    int n = route_split(rq->a, rest, seg);
    if (n < 0 || route_find(api_routes, rq->method, seg, n, &r) < 0 || !cached_route(rq, r))
        return false;
    const char *token = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, COOKIE);
    uint64_t gen = store_generation(rq->db); /* first: it notices other processes' commits */
    struct actor who;
    char csrf[33];
    if (!session_peek(token, session_generation(rq->db), &who, csrf))
        return false;
    rq->authenticated = true;
    cache_prepare(rq, r, &who, gen);
    struct cached_body *body = cache_get(rq->cache_key, cache_fresh, rq);
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
    const char *seg[ROUTE_MAX_SEGS];
    int nseg = route_split(rq->a, rq->path + strlen("/api/v1"), seg);
    if (nseg <= 0)
        return fail(rq, R_ENOTFOUND, "not_found", "没有这个接口");
    if (rq->query_overflow) {
        struct rerr e;
        rerr_set(&e, R_EINVAL, "too_many_params", "", "查询参数过多（最多 %d 个）", RES_MAX_PARAMS);
        return reply_error(rq, &e);
    }
    const struct route *route = NULL;
    int found = route_find(api_routes, rq->method, seg, nseg, &route);
    struct route_call call = {.seg = seg, .nseg = nseg};
    struct rerr err = {0};
    if (found == 0 && route->flags & ROUTE_PUBLIC && !strcmp(rq->method, "GET"))
        return route->handler(rq, &call); /* the health check */
    if (is_write(rq->method) && refuse_cross_site(rq, &err) < 0)
        return reply_error(rq, &err);
    if (found == 0 && route->flags & ROUTE_PUBLIC)
        return route->handler(rq, &call);
    /* Everything else needs a session, a path that is no route too (401 before 404). */
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
        if (session_lookup(rq->db, token, session_generation(rq->db), &who, csrf, &err) < 0)
            return reply_error(rq, &err);
    }
    rq->authenticated = true;
    if (is_write(rq->method)) {
        const char *sent = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "X-CSRF-Token");
        if (!sent || strlen(sent) != strlen(csrf) || sodium_memcmp(sent, csrf, strlen(csrf)) != 0)
            return fail(rq, R_EFORBID, "csrf", "缺少或错误的 X-CSRF-Token，请刷新页面后重试");
    }
    if (found == R_ENOTFOUND)
        return fail(rq, R_ENOTFOUND, "not_found", "没有这个接口");
    if (found == R_EMETHOD)
        return fail(rq, R_EMETHOD, "method_not_allowed", "不支持的请求方法");
    int at = route_capture(route, ":id");
    if (at >= 0 && parse_id(seg[at], &call.id) < 0)
        return fail(rq, R_ENOTFOUND, "not_found", "记录编号无效");
    /* A caching route's read is answered from the cache while nothing it read has been
     * written since; the key holds the reader, so scope is never crossed. */
    if (cached_route(rq, route) && !rq->known) {
        cache_prepare(rq, route, &who, gen);
        struct cached_body *body = cache_get(rq->cache_key, cache_fresh, rq);
        if (body)
            return reply_cached(rq, body);
    }
    store_conn *c = store_acquire(rq->db);
    rq->reads_on = c; /* a cached answer depends on what was read on it */
    struct res_ctx x = {.c = c, .who = &who, .a = rq->a};
    call.x = &x;
    call.token = token;
    call.csrf = csrf;
    enum MHD_Result ret = route->handler(rq, &call);
    store_release(c);
    return ret;
}
