/* Responses: the one table from error codes to statuses, JSON bodies, headers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "http/cache.h"
#include "http/request.h"

unsigned status_of(int rc)
{
    switch (rc) {
    case R_SUCCESS:
        return 200;
    case R_EINVAL:
        return 400;
    case R_EAUTH:
        return 401;
    case R_EFORBID:
        return 403;
    case R_ENOTFOUND:
        return 404;
    case R_EMETHOD:
        return 405;
    case R_ECONFLICT:
        return 409;
    case R_ETOOBIG:
        return 413;
    case R_EMEDIA:
        return 415;
    case R_EUNPROC:
        return 422;
    case R_ETHROTTLE:
        return 429;
    case R_EBUSY:
        return 503;
    default:
        return 500;
    }
}

void add_security_headers(struct MHD_Response *r)
{
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                            "script-src 'self'; font-src 'self' data:; connect-src 'self'; "
                            "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
}

enum MHD_Result reply_response(struct request *rq, unsigned status, struct MHD_Response *r)
{
    if (rq->deferred) {
        /* On a worker: the event thread queues it when the connection resumes. */
        CHECK(!rq->pending);
        rq->pending = r;
        rq->pending_status = status;
        return MHD_YES;
    }
    enum MHD_Result ret = MHD_queue_response(rq->conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result queue(struct request *rq, unsigned status, struct MHD_Response *r, size_t len)
{
    if (len)
        MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    /* Whether the server's own cache answered (hit) or kept this answer (miss); absent when
     * the route is not cached. For tests and whoever tunes it; it tells the reader nothing
     * about anyone else (the key holds the reader). */
    if (status == 200 && rq->cache_key)
        MHD_add_response_header(r, "X-Cache", rq->cache_hit ? "hit" : "miss");
    if (rq->retry_after > 0 || status == 503 || status == 429) { /* when to try again */
        char seconds[16];
        snprintf(seconds, sizeof seconds, "%d", rq->retry_after > 0 ? rq->retry_after : 1);
        MHD_add_response_header(r, "Retry-After", seconds);
    }
    add_security_headers(r);
    return reply_response(rq, status, r);
}

static enum MHD_Result send_text(struct request *rq, unsigned status, char *text, size_t len)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(text);
        return MHD_NO;
    }
    return queue(rq, status, r, len);
}

/* The answer when an answer could not be built (a NULL body from a failed json_pack,
 * text jansson refused): a 500 like any other, never a crash. */
static enum MHD_Result reply_unbuildable(struct request *rq)
{
    log_warn("%s %s: 无法生成应答（JSON 构造失败）", rq->method, rq->path);
    static const char text[] =
        "{\"error\":{\"code\":\"internal\",\"message\":\"服务器内部错误：无法生成应答\","
        "\"field\":null}}";
    struct MHD_Response *r =
        MHD_create_response_from_buffer(sizeof text - 1, (void *)text, MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    return queue(rq, 500, r, sizeof text - 1);
}

enum MHD_Result reply_json(struct request *rq, unsigned status, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (!text)
        return reply_unbuildable(rq);
    return reply_text(rq, status, text, strlen(text));
}

enum MHD_Result reply_text(struct request *rq, unsigned status, char *text, size_t len)
{
    if (status == 200 && rq->cache_key) {
        struct cache_tag tag = {.gen = rq->cache_gen,
                                /* no connection: it was answered without the database's help, or
                                 * read elsewhere: depends on everything */
                                .tables = rq->reads_on ? store_reads(rq->reads_on) : STORE_TABLES_ALL,
                                .expires = rq->cache_expires};
        cache_put(rq->cache_key, &tag, text, len);
    }
    return send_text(rq, status, text, len);
}

enum MHD_Result reply_cached(struct request *rq, struct cached_body *body)
{
    size_t len;
    const char *data = cache_body(body, &len);
    rq->cache_hit = true;
    struct MHD_Response *r = MHD_create_response_from_buffer_with_free_callback_cls(
        len, (void *)data, cache_unref, body); /* MHD only reads it */
    if (!r) {
        cache_unref(body);
        return MHD_NO;
    }
    return queue(rq, 200, r, len);
}

enum MHD_Result reply_error(struct request *rq, const struct rerr *err)
{
    /* An error never goes out as a success: a handler that failed without filling "err"
     * (rc 0) is a fault of ours, answered 500. */
    unsigned status = err->rc == R_SUCCESS ? 500 : status_of(err->rc);
    if (status == 500)
        log_warn("%s %s: %s (%s)", rq->method, rq->path, err->message, err->code);
    json_t *body = json_pack("{s:{s:s, s:s, s:o}}", "error", "code", err->code[0] ? err->code : "internal",
                             "message", err->message[0] ? err->message : "服务器内部错误", "field",
                             err->field[0] ? json_string(err->field) : json_null());
    if (err->retry_after > 0) { /* a limit that time lifts: say when, here and in Retry-After */
        json_object_set_new(json_object_get(body, "error"), "retry_after", json_integer(err->retry_after));
        rq->retry_after = err->retry_after;
    }
    return reply_json(rq, status, body);
}

enum MHD_Result reply_empty(struct request *rq, unsigned status)
{
    return send_text(rq, status, NULL, 0);
}
