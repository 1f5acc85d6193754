/*
 * routes: the API's routes as data. Each route names the methods it answers, a path
 * pattern under /api/v1, its handler, how its answers may be cached, and whether it needs
 * a session; api.c holds the table (api_routes) and dispatches from it. Internal to
 * src/http/.
 *
 * A pattern is segments separated by '/': a literal ("sessions"), or a capture (":name")
 * matching any one segment, except ":coll", which matches only the URL name of a
 * collection (domain/resource.h res_find); the dispatcher parses ":id" as a record id
 * (route_call.id). Empty segments in a path do not count
 * ("/api/v1//members/" is "/members"), and at most ROUTE_MAX_SEGS are read.
 *
 * Which route answers: the first row, in table order, whose pattern matches the path and
 * whose methods include the request's; so a row for one collection ("/jobs/:id") comes
 * before the generic one it refines ("/:coll/:id"), and a method the particular row does
 * not take falls through to the generic row. A path no pattern matches is 404 not_found;
 * a path some row matches but none with the method is 405 method_not_allowed.
 */
#ifndef RONGHE_ROUTES_H
#define RONGHE_ROUTES_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "http/request.h"

#define ROUTE_MAX_SEGS 4

/* Methods, as a set. */
enum {
    RM_GET = 1 << 0,
    RM_HEAD = 1 << 1,
    RM_POST = 1 << 2,
    RM_PUT = 1 << 3,
    RM_PATCH = 1 << 4,
    RM_DELETE = 1 << 5,
};

/* How a route's answers (200 to GET) may be kept in the response cache (http/cache.h).
 * Off unless a route says so. */
enum route_cache {
    ROUTE_NO_CACHE = 0, /* never: it reads what the store does not track (a job's progress
                         * in memory), writes (an audited download), or is cheap anyway */
    ROUTE_CACHE,        /* while no table its answer read has changed */
    ROUTE_CACHE_TODAY,  /* the same, and only until the next midnight in Beijing (UTC+8):
                         * an answer that depends on today's date (ages, 青年干警) */
};

/* Route flags. */
enum {
    ROUTE_PUBLIC = 1 << 0, /* answered without a session (the handler gets no x) */
    /* The body a request may carry, decided from the headers before any of it is read
     * (server.c); a route with neither takes none (413 if one is sent). */
    ROUTE_BODY = 1 << 1,       /* a JSON body of up to HTTP_MAX_BODY (a record) */
    ROUTE_SMALL_BODY = 1 << 2, /* up to ROUTE_SMALL_BODY_MAX (a username and passwords) */
    /* A file of up to files_max_bytes() (store/files.h: an attachment), never held in
     * memory: written to a temporary file as it arrives, the limit enforced on the way,
     * and handed to the handler as request.upload. */
    ROUTE_FILE_BODY = 1 << 3,
};
#define ROUTE_SMALL_BODY_MAX 4096

/* What a handler is given besides the request. */
struct route_call {
    const char *const *seg; /* the path's segments after /api/v1 (seg[0] is the first) */
    int nseg;
    struct res_ctx *x; /* the connection and the signed-in actor; NULL for ROUTE_PUBLIC */
    const char *token; /* the session cookie (NULL when none) */
    const char *csrf;  /* the session's CSRF token; NULL for ROUTE_PUBLIC */
    int64_t id;        /* an ":id" segment: a record id, parsed (not one: 404 before the handler) */
};

typedef enum MHD_Result route_handler(struct request *rq, const struct route_call *call);

/* One row of the table; the table ends with a row whose pattern is NULL. */
struct route {
    unsigned methods;       /* RM_*: the methods it answers */
    const char *pattern;    /* as described at the top, "/" first: "/:coll/:id/history" */
    route_handler *handler; /* answers the request (runs on a worker; may block) */
    enum route_cache cache; /* ROUTE_NO_CACHE unless the answers may be kept */
    unsigned flags;         /* ROUTE_PUBLIC */
};

/* The API's table (api.c). */
extern const struct route api_routes[];

/* The method "m" as an RM_* bit; 0 for any other. */
unsigned route_method(const char *m);

/* Split "path" (the part after /api/v1) into at most ROUTE_MAX_SEGS segments, copied into
 * "a". Returns the count, or -1 when there are more. */
int route_split(arena *a, const char *path, const char *seg[ROUTE_MAX_SEGS]);

/* The route of "table" that answers "method" on the "nseg" segments "seg": 0 with *out,
 * R_ENOTFOUND, or R_EMETHOD (see the top). */
int route_find(const struct route *table, const char *method, const char *const *seg, int nseg,
               const struct route **out);

/* The largest body "method" on "path" (the part after /api/v1) may carry, from the
 * route that answers it: 0 when it takes none, R_ENOTFOUND or R_EMETHOD when no route
 * answers (as route_find). *to_file (may be NULL) tells whether the route streams it to
 * a file (ROUTE_FILE_BODY) instead of taking it into memory. */
long route_body_limit(arena *a, const char *method, const char *path, bool *to_file);

/* The index of the segment "capture" (":id") stands for in the pattern of "r", or -1. */
int route_capture(const struct route *r, const char *capture);

/* When an answer of a route cached "c" made at "now" expires (seconds since the epoch),
 * or 0 for never. */
int64_t route_expires(enum route_cache c, time_t now);

#endif
