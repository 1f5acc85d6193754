/*
 * http: the web server. libmicrohttpd's epoll event threads answer what memory can
 * (static files, cached reads); everything that touches the database runs on a worker
 * pool while its connection is suspended (server.c), so a slow request never stalls
 * another. Each request gets an arena for its length. The API is under /api/v1 (api.c);
 * everything else is the embedded web interface (or, for development, --web-dir).
 */
#ifndef RONGHE_HTTP_H
#define RONGHE_HTTP_H

#include <stdbool.h>

#include "base/err.h"
#include "store/store.h"

#define HTTP_MAX_BODY (1024 * 1024)

struct http_config {
    const char *listen;  /* "HOST:PORT" */
    const char *web_dir; /* NULL: the embedded interface */
    bool secure_cookie;  /* served over HTTPS (--secure-cookie): the session cookie is Secure */
};

/* Serve until SIGINT or SIGTERM, then stop cleanly. Returns 0 or a negative error. */
int http_serve(store *s, const struct http_config *cfg, struct rerr *err);

#endif
