/* Unit tests for src/http/routes.c and the API's table (api.c api_routes): patterns that
 * match and do not, 405 against 404, which routes cache, and the midnight expiry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <string.h>

#include "http/http.h"
#include "http/routes.h"
#include "store/files.h"
#include "jobs/jobs.h"

static enum MHD_Result h_a(struct request *rq, const struct route_call *k)
{
    return MHD_YES;
}
static enum MHD_Result h_b(struct request *rq, const struct route_call *k)
{
    return MHD_YES;
}
static enum MHD_Result h_c(struct request *rq, const struct route_call *k)
{
    return MHD_YES;
}

static const struct route table[] = {
    {RM_GET, "/jobs/:id", h_a, ROUTE_NO_CACHE, 0},
    {RM_POST, "/session", h_b, ROUTE_NO_CACHE, ROUTE_PUBLIC},
    {RM_DELETE, "/session", h_c, ROUTE_NO_CACHE, 0},
    {RM_GET | RM_HEAD, "/:coll/:id", h_b, ROUTE_CACHE, 0},
    {RM_PATCH, "/:coll/:id", h_c, ROUTE_NO_CACHE, 0},
    {RM_GET, "/:coll/:id/history", h_c, ROUTE_CACHE, 0},
    {0, NULL, NULL, ROUTE_NO_CACHE, 0},
};

/* Route "method" "path" through "t": the route, or NULL with *rc set. */
static const struct route *find(const struct route *t, const char *method, const char *path, int *rc)
{
    arena *a = arena_new();
    const char *seg[ROUTE_MAX_SEGS];
    int n = route_split(a, path, seg);
    const struct route *r = NULL;
    *rc = n < 0 ? R_ENOTFOUND : route_find(t, method, seg, n, &r);
    arena_free(a);
    return *rc == 0 ? r : NULL;
}

/* "method" "path" through "t" finds no route, with "rc". */
static void refused(const struct route *t, const char *method, const char *path, int rc)
{
    int got;
    assert_null(find(t, method, path, &got));
    assert_int_equal(got, rc);
}

static void patterns(void **state)
{
    (void)state;
    int rc;
    assert_ptr_equal(find(table, "GET", "/jobs/7", &rc), &table[0]);
    assert_ptr_equal(find(table, "GET", "//jobs//7/", &rc), &table[0]); /* empty segments do not count */
    /* a method the particular row does not take falls through to the generic one */
    assert_ptr_equal(find(table, "PATCH", "/jobs/7", &rc), &table[4]);
    assert_ptr_equal(find(table, "GET", "/members/1", &rc), &table[3]);
    assert_ptr_equal(find(table, "HEAD", "/members/1", &rc), &table[3]);
    assert_ptr_equal(find(table, "GET", "/members/1/history", &rc), &table[5]);
    assert_ptr_equal(find(table, "POST", "/session", &rc), &table[1]);
    assert_ptr_equal(find(table, "DELETE", "/session", &rc), &table[2]);
    /* :coll matches collections only; a literal only itself; the count must agree */
    refused(table, "GET", "/nosuch/1", R_ENOTFOUND);
    refused(table, "GET", "/members", R_ENOTFOUND);
    refused(table, "GET", "/members/1/history/2", R_ENOTFOUND);
    refused(table, "GET", "/members/1/histories", R_ENOTFOUND);
    refused(table, "GET", "/sessions", R_ENOTFOUND);
    refused(table, "GET", "/a/b/c/d/e", R_ENOTFOUND); /* past ROUTE_MAX_SEGS */
    refused(table, "GET", "", R_ENOTFOUND);
}

static void method_not_allowed(void **state)
{
    (void)state;
    refused(table, "GET", "/session", R_EMETHOD);
    refused(table, "DELETE", "/members/1", R_EMETHOD);
    refused(table, "POST", "/members/1/history", R_EMETHOD);
    refused(table, "BREW", "/members/1", R_EMETHOD); /* a method nobody knows */
    assert_int_equal(route_method("GET"), RM_GET);
    assert_int_equal(route_capture(&table[5], ":id"), 1);
    assert_int_equal(route_capture(&table[5], ":coll"), 0);
    assert_int_equal(route_capture(&table[1], ":id"), -1);
    assert_int_equal(route_method("get"), 0);
}

/* Caching is off unless a row declares it: the API's own table. */
static void api_table_caching(void **state)
{
    (void)state;
    int rc;
    static const struct {
        const char *method, *path;
        enum route_cache cache;
    } cases[] = {
        {"GET", "/branches", ROUTE_CACHE},
        {"GET", "/branches/3", ROUTE_CACHE},
        {"GET", "/branches/3/history", ROUTE_CACHE},
        {"GET", "/org-tree", ROUTE_CACHE},
        {"GET", "/stats", ROUTE_CACHE_TODAY}, /* ages, 党龄 */
        {"POST", "/users/3/unlock", ROUTE_NO_CACHE}, /* a declared action */
        {"GET", "/_meta", ROUTE_CACHE},
        {"GET", "/members", ROUTE_CACHE_TODAY}, /* ages, 青年干警 */
        {"GET", "/members/3", ROUTE_CACHE_TODAY},
        {"GET", "/jobs", ROUTE_NO_CACHE}, /* progress in memory */
        {"GET", "/jobs/3", ROUTE_NO_CACHE},
        {"GET", "/jobs/3/download", ROUTE_NO_CACHE},
        {"GET", "/me", ROUTE_NO_CACHE},
        {"GET", "/sessions", ROUTE_NO_CACHE},
        {"GET", "/health", ROUTE_NO_CACHE},
        {"POST", "/branches", ROUTE_NO_CACHE},
        {"PATCH", "/members/3", ROUTE_NO_CACHE},
        {"GET", "/requests", ROUTE_CACHE_TODAY},
        {"GET", "/request-rates", ROUTE_CACHE_TODAY},
        {"POST", "/public/progress", ROUTE_NO_CACHE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct route *r = find(api_routes, cases[i].method, cases[i].path, &rc);
        assert_non_null(r);
        if (r->cache != cases[i].cache)
            fail_msg("%s %s: cache %d, expected %d", cases[i].method, cases[i].path, r->cache,
                     cases[i].cache);
    }
    /* every row is complete, and only login, health and the 12309 progress lookup go
     * without a session */
    for (const struct route *r = api_routes; r->pattern; r++) {
        assert_non_null(r->handler);
        assert_true(r->methods != 0);
        assert_true(r->pattern[0] == '/');
        if (r->flags & ROUTE_PUBLIC)
            assert_true(!strcmp(r->pattern, "/session") || !strcmp(r->pattern, "/health") ||
                        !strcmp(r->pattern, "/public/progress"));
        if (r->cache != ROUTE_NO_CACHE)
            assert_int_equal(r->methods & ~(RM_GET | RM_HEAD), 0); /* only reads are cached */
    }
    refused(api_routes, "PATCH", "/me", R_EMETHOD);
    refused(api_routes, "GET", "/nosuch", R_ENOTFOUND);
}

/* What body a request may carry comes from the route that answers it. */
static void body_limits(void **state)
{
    (void)state;
    arena *a = arena_new();
    assert_int_equal(route_body_limit(a, "POST", "/session", NULL), ROUTE_SMALL_BODY_MAX);
    assert_int_equal(route_body_limit(a, "POST", "/me/password", NULL), ROUTE_SMALL_BODY_MAX);
    assert_int_equal(route_body_limit(a, "POST", "/members", NULL), HTTP_MAX_BODY);
    assert_int_equal(route_body_limit(a, "PATCH", "/members/3", NULL), HTTP_MAX_BODY);
    assert_int_equal(route_body_limit(a, "DELETE", "/session", NULL), 0);
    assert_int_equal(route_body_limit(a, "PATCH", "/me/password", NULL), R_EMETHOD);
    assert_int_equal(route_body_limit(a, "POST", "/nosuch", NULL), R_ENOTFOUND);
    assert_int_equal(route_body_limit(a, "POST", "/a/b/c/d/e", NULL), R_ENOTFOUND);
    /* an upload streams to a file, up to the configured limit, and only an upload does */
    bool to_file = true;
    assert_int_equal(route_body_limit(a, "POST", "/members", &to_file), HTTP_MAX_BODY);
    assert_false(to_file);
    assert_int_equal(route_body_limit(a, "POST", "/attachments", &to_file), files_max_bytes());
    assert_true(to_file);
    assert_int_equal(route_body_limit(a, "DELETE", "/attachments/3", &to_file), 0);
    assert_false(to_file);
    arena_free(a);
}

/* ROUTE_CACHE_TODAY expires at the next midnight in Beijing (UTC+8). */
static void midnight_in_beijing(void **state)
{
    (void)state;
    /* 2026-03-01 15:59:59 UTC is 23:59:59 in Beijing: expires one second later */
    const int64_t t = 1772380799;
    assert_int_equal(route_expires(ROUTE_CACHE_TODAY, (time_t)t), t + 1);
    /* 16:00:00 UTC is midnight itself: the next one, a day on */
    assert_int_equal(route_expires(ROUTE_CACHE_TODAY, (time_t)(t + 1)), t + 1 + 86400);
    /* 2026-03-01 00:00:00 UTC is 08:00 in Beijing: 16 hours to go */
    assert_int_equal(route_expires(ROUTE_CACHE_TODAY, (time_t)(t + 1 - 16 * 3600)), t + 1);
    assert_int_equal(route_expires(ROUTE_CACHE, (time_t)t), 0);
    assert_int_equal(route_expires(ROUTE_NO_CACHE, (time_t)t), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(patterns),          cmocka_unit_test(method_not_allowed),
        cmocka_unit_test(api_table_caching), cmocka_unit_test(midnight_in_beijing),
        cmocka_unit_test(body_limits),
    };
    jobs_register(); /* as serve does: /jobs is a collection registered from above the domain */
    return cmocka_run_group_tests_name("http/routes", tests, NULL, NULL);
}
