/*
 * Unit tests for src/http/respond.c: the one table from error codes to statuses, and an
 * error answer's status and headers (Retry-After for limits that time lifts).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <string.h>

#include "http/request.h"

static void statuses(void **state)
{
    (void)state;
    struct {
        int rc;
        unsigned status;
    } t[] = {
        {R_SUCCESS, 200},   {R_EINVAL, 400},    {R_EAUTH, 401},     {R_EFORBID, 403}, {R_ENOTFOUND, 404},
        {R_EMETHOD, 405},   {R_ECONFLICT, 409}, {R_ETOOBIG, 413},   {R_EMEDIA, 415},  {R_EUNPROC, 422},
        {R_ETHROTTLE, 429}, {R_EBUSY, 503},     {R_EINTERNAL, 500}, {-99, 500},       {7, 500},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (status_of(t[i].rc) != t[i].status)
            fail_msg("rc %d: %u, want %u", t[i].rc, status_of(t[i].rc), t[i].status);
}

/* reply_error of "e" on a deferred request: the response kept for the event thread. */
static struct MHD_Response *error_reply(struct request *rq, const struct rerr *e)
{
    *rq = (struct request){.method = "GET", .path = "/api/v1/x", .deferred = true};
    assert_int_equal(reply_error(rq, e), MHD_YES);
    assert_non_null(rq->pending);
    return rq->pending;
}

static void error_answers(void **state)
{
    (void)state;
    struct request rq;
    struct rerr e = {0};
    rerr_set(&e, R_EUNPROC, "inconsistent", "parent_id", "上级检察院必须是市级检察院");
    struct MHD_Response *r = error_reply(&rq, &e);
    assert_int_equal(rq.pending_status, 422);
    assert_string_equal(MHD_get_response_header(r, "Content-Type"), "application/json; charset=utf-8");
    assert_string_equal(MHD_get_response_header(r, "Cache-Control"), "no-store");
    assert_string_equal(MHD_get_response_header(r, "X-Content-Type-Options"), "nosniff");
    assert_null(MHD_get_response_header(r, "Retry-After"));
    MHD_destroy_response(r);
    /* a limit that time lifts: Retry-After, as the error says */
    e = (struct rerr){0};
    rerr_set(&e, R_ETHROTTLE, "throttled", "", "尝试过于频繁");
    e.retry_after = 42;
    r = error_reply(&rq, &e);
    assert_int_equal(rq.pending_status, 429);
    assert_string_equal(MHD_get_response_header(r, "Retry-After"), "42");
    MHD_destroy_response(r);
    /* busy without a time: one second */
    e = (struct rerr){0};
    rerr_set(&e, R_EBUSY, "busy", "", "忙");
    r = error_reply(&rq, &e);
    assert_int_equal(rq.pending_status, 503);
    assert_string_equal(MHD_get_response_header(r, "Retry-After"), "1");
    MHD_destroy_response(r);
    /* an internal error: 500 */
    e = (struct rerr){0};
    rerr_set(&e, R_EINTERNAL, "internal", "", "内部错误");
    r = error_reply(&rq, &e);
    assert_int_equal(rq.pending_status, 500);
    MHD_destroy_response(r);
    /* an error never filled (a fault of ours) is no success either */
    e = (struct rerr){0};
    r = error_reply(&rq, &e);
    assert_int_equal(rq.pending_status, 500);
    MHD_destroy_response(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(statuses),
        cmocka_unit_test(error_answers),
    };
    return cmocka_run_group_tests_name("http/respond", tests, NULL, NULL);
}
