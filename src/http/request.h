/*
 * request: what one HTTP request carries between the server glue and the API handlers.
 * Internal to src/http/.
 */
#ifndef RONGHE_REQUEST_H
#define RONGHE_REQUEST_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdbool.h>

#include "auth/actor.h"
#include "base/arena.h"
#include "base/err.h"
#include "domain/resource.h"
#include "http/http.h"
#include "store/files.h"
#include "store/store.h"

struct request {
    struct MHD_Connection *conn;
    arena *a;
    store *db;
    const struct http_config *cfg;
    const char *method;
    const char *path;
    /* The body: allocated once at the size Content-Length declared (chunked: the route's
     * limit), within the budgets (server.c), freed in request_done; NULL when none. */
    char *body;
    size_t body_len, body_cap;
    size_t body_dropped; /* chunked past the limit: bytes dropped (answered 413) */
    /* A ROUTE_FILE_BODY body: the temporary file it is written to as it arrives (server.c;
     * body_cap is then its limit), NULL once the handler took it over or it was dropped
     * (past the limit: answered 413; the disk refused: upload_failed, 503). Whatever is
     * left is removed in request_done. */
    files_tmp *upload;
    bool upload_counted; /* counted against the uploads in flight (server.c) */
    bool upload_failed;
    bool linger;            /* refused before its body was read: drain the socket a while */
    unsigned char peer[16]; /* the client's address as server.c counts it */
    struct res_query query;
    bool query_overflow;   /* more parameters than res_query holds: answered 400 */
    char address[64];      /* the client's: the peer's, or behind a trusted proxy the one it names */
    bool via_proxy;        /* the peer is a trusted proxy: its X-Forwarded-* headers are believed */
    const char *cache_key; /* set when a 200 answer may be cached */
    int retry_after;       /* > 0: the answer carries Retry-After (seconds) */
    uint64_t cache_gen;    /* store_generation() before the answer's reads */
    int64_t cache_expires; /* the cached answer expires then (seconds since the epoch), 0: never */
    store_conn *reads_on;  /* the connection the answer is read on: its store_reads() */
    bool cache_hit;        /* answered from the cache */
    /* What api_try_fast() learnt before it handed the request on (the session was known
     * but the answer not cached), so the worker does not work it out again. */
    bool known;
    struct actor who;
    char csrf[33];
    /* Set by the API once it knows the session (or has just made one): the connection may
     * then stay open longer for the client's next request. */
    bool authenticated;
    /* Work that may wait on the database runs on a worker thread while the connection is
     * suspended; the worker leaves its answer here for the event thread to send. */
    bool deferred, dispatched;
    struct MHD_Response *pending;
    unsigned pending_status;
};

/* Send "r" (taken over) with "status": queued now on the event thread, or kept for it
 * when running on a worker. Every answer goes through here. */
enum MHD_Result reply_response(struct request *rq, unsigned status, struct MHD_Response *r);

/* Queue a JSON response; takes "body" over. Always returns MHD_YES or MHD_NO from MHD. */
enum MHD_Result reply_json(struct request *rq, unsigned status, json_t *body);
enum MHD_Result reply_error(struct request *rq, const struct rerr *err);
enum MHD_Result reply_empty(struct request *rq, unsigned status);
/* Queue JSON text (malloc'd, taken over), caching it like reply_json. */
enum MHD_Result reply_text(struct request *rq, unsigned status, char *text, size_t len);
/* Queue a cached JSON body; takes the reference over. */
struct cached_body;
enum MHD_Result reply_cached(struct request *rq, struct cached_body *body);
/* Add the security headers every response carries. */
void add_security_headers(struct MHD_Response *r);
/* HTTP status for an R_E* code. */
unsigned status_of(int rc);

/* The API: route and answer one request under /api/v1. May block on the database: runs
 * on a worker. */
enum MHD_Result api_handle(struct request *rq);
/* Whether an upload (a ROUTE_FILE_BODY request) carries what every upload that can
 * succeed carries, decided from its headers before any of the file is stored: a session
 * cookie and an X-CSRF-Token (both checked for real once the body is in). 0, or R_EAUTH
 * / R_EFORBID with "err" set: refused at once, so that nobody streams a file to disk
 * without signing in. */
int api_upload_precheck(struct request *rq, struct rerr *err);
/* Answer from memory alone (a cached read by a session seen recently), without ever
 * blocking: returns true with the answer queued, false when the request needs a worker. */
bool api_try_fast(struct request *rq, enum MHD_Result *ret);

#endif
