/*
 * server: libmicrohttpd glue.
 *
 * Two kinds of thread. A few event threads (one per core, epoll) read requests and
 * answer what memory alone can answer: static files and cached reads. Everything that
 * may wait on the database goes to a pool of workers: the connection is suspended, a
 * worker runs the handler and leaves the answer in the request, the connection is
 * resumed, and the event thread sends it. So a slow request holds one worker, never an
 * event thread, and the many fast ones never queue behind it.
 *
 * Per request: an arena (freed in request_done) and a body buffer bounded by
 * HTTP_MAX_BODY. Static files come from the embedded table (web_assets.c, generated)
 * or --web-dir.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <malloc.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/text.h"
#include "http/http.h"
#include "http/proxy.h"
#include "http/request.h"
#include "jobs/jobs.h"

struct asset {
    const char *path;
    const unsigned char *data;
    unsigned long len;
};
extern const struct asset ronghe_web_assets[]; /* generated; ends with path NULL */

#define WORKERS 16 /* ≥ 4 × cores: slow requests may hold several at once */
#define QUEUE_MAX 4096

struct server {
    store *db;
    const struct http_config *cfg;
    const char *web_dir;
    /* the work queue: a ring of suspended requests */
    pthread_mutex_t lock;
    pthread_cond_t work;
    struct request *queue[QUEUE_MAX];
    size_t head, count;
    bool stopping;
    pthread_t workers[WORKERS];
};

static void *worker(void *arg)
{
    struct server *srv = arg;
    for (;;) {
        pthread_mutex_lock(&srv->lock);
        while (!srv->count && !srv->stopping)
            pthread_cond_wait(&srv->work, &srv->lock);
        if (!srv->count) { /* stopping, and nothing left */
            pthread_mutex_unlock(&srv->lock);
            return NULL;
        }
        struct request *rq = srv->queue[srv->head];
        srv->head = (srv->head + 1) % QUEUE_MAX;
        srv->count--;
        pthread_mutex_unlock(&srv->lock);
        CHECK(rq->deferred && !rq->pending);
        api_handle(rq);
        if (!rq->pending) /* a handler that failed to build any answer */
            reply_empty(rq, 500);
        MHD_resume_connection(rq->conn);
    }
}

/* Hand "rq" to a worker. False when the queue is full (the caller answers 503). */
static bool defer(struct server *srv, struct request *rq)
{
    pthread_mutex_lock(&srv->lock);
    if (srv->count == QUEUE_MAX) {
        pthread_mutex_unlock(&srv->lock);
        return false;
    }
    rq->deferred = true;
    MHD_suspend_connection(rq->conn);
    srv->queue[(srv->head + srv->count) % QUEUE_MAX] = rq;
    srv->count++;
    pthread_cond_signal(&srv->work);
    pthread_mutex_unlock(&srv->lock);
    return true;
}

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    struct request *rq = cls;
    if (rq->query.n == RES_MAX_PARAMS) {
        rq->query_overflow = true; /* refused with 400 before any use: see api_handle() */
        return MHD_NO;
    }
    rq->query.key[rq->query.n] = key;
    rq->query.val[rq->query.n] = value ? value : "";
    rq->query.n++;
    return MHD_YES;
}

static const char *mime_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot)
        return "application/octet-stream";
    static const struct {
        const char *ext, *type;
    } types[] = {{".html", "text/html; charset=utf-8"},
                 {".js", "text/javascript; charset=utf-8"},
                 {".css", "text/css; charset=utf-8"},
                 {".svg", "image/svg+xml"},
                 {".png", "image/png"},
                 {".jpg", "image/jpeg"},
                 {".ico", "image/x-icon"},
                 {".woff2", "font/woff2"},
                 {".woff", "font/woff"},
                 {".ttf", "font/ttf"},
                 {".json", "application/json"},
                 {".txt", "text/plain; charset=utf-8"}};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(dot, types[i].ext))
            return types[i].type;
    return "application/octet-stream";
}

static enum MHD_Result serve_bytes(struct request *rq, const char *path, const void *data, size_t len,
                                   enum MHD_ResponseMemoryMode mode)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)data, mode);
    MHD_add_response_header(r, "Content-Type", mime_of(path));
    /* Hashed asset names never change content; index.html must be fetched anew. */
    MHD_add_response_header(r, "Cache-Control",
                            strstr(path, "/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
    add_security_headers(r);
    return reply_response(rq, 200, r);
}

static enum MHD_Result serve_static(struct server *srv, struct request *rq)
{
    if (strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "HEAD") != 0) {
        struct rerr e;
        rerr_set(&e, R_EMETHOD, "method_not_allowed", "", "不支持的请求方法");
        return reply_error(rq, &e);
    }
    const char *path = rq->path;
    /* The interface routes in the browser: any path without a file extension is it. */
    const char *last = strrchr(path, '/');
    if (!strcmp(path, "/") || !strchr(last ? last : path, '.'))
        path = "/index.html";
    if (strstr(path, ".."))
        path = "/index.html";
    if (srv->web_dir) {
        char *full = arena_printf(rq->a, "%s%s", srv->web_dir, path);
        FILE *f = fopen(full, "rb");
        if (f) {
            fseek(f, 0, SEEK_END);
            long n = ftell(f);
            fseek(f, 0, SEEK_SET);
            char *buf = malloc(n > 0 ? (size_t)n : 1);
            size_t got = buf ? fread(buf, 1, (size_t)n, f) : 0;
            fclose(f);
            if (buf && got == (size_t)n)
                return serve_bytes(rq, path, buf, got, MHD_RESPMEM_MUST_FREE);
            free(buf);
        }
    } else {
        for (const struct asset *a = ronghe_web_assets; a->path; a++)
            if (!strcmp(a->path, path))
                return serve_bytes(rq, path, a->data, a->len, MHD_RESPMEM_PERSISTENT);
    }
    struct rerr e;
    rerr_set(&e, R_ENOTFOUND, "not_found", "", "页面不存在");
    return reply_error(rq, &e);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size,
                                  void **con_cls)
{
    (void)version;
    struct server *srv = cls;
    struct request *rq = *con_cls;
    if (!rq) {
        arena *a = arena_new();
        rq = arena_alloc(a, sizeof *rq);
        rq->a = a;
        rq->conn = conn;
        rq->db = srv->db;
        rq->cfg = srv->cfg;
        rq->method = method;
        rq->path = url;
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        if (ci && ci->client_addr) {
            const struct sockaddr *sa = ci->client_addr;
            if (sa->sa_family == AF_INET)
                inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, rq->address,
                          sizeof rq->address);
            else if (sa->sa_family == AF_INET6)
                inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, rq->address,
                          sizeof rq->address);
        }
        rq->via_proxy = proxy_request_address(conn, rq->address); /* the client behind a trusted proxy */
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > HTTP_MAX_BODY)
            rq->too_big = true;
        *con_cls = rq;
        return MHD_YES;
    }
    if (*upload_size) {
        /* Keep reading an oversize body (so the client sees our 413) but store none of it. */
        if (!rq->too_big && rq->body_len + *upload_size > HTTP_MAX_BODY)
            rq->too_big = true;
        if (!rq->too_big) {
            if (rq->body_len + *upload_size + 1 > rq->body_cap) {
                size_t cap = rq->body_cap ? rq->body_cap : 4096;
                while (cap < rq->body_len + *upload_size + 1)
                    cap *= 2;
                char *nb = arena_alloc(rq->a, cap);
                if (rq->body_len)
                    memcpy(nb, rq->body, rq->body_len);
                rq->body = nb;
                rq->body_cap = cap;
            }
            memcpy(rq->body + rq->body_len, upload, *upload_size);
            rq->body_len += *upload_size;
            rq->body[rq->body_len] = 0;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (rq->pending) {
        /* Back from a worker: send what it prepared. */
        enum MHD_Result ret = MHD_queue_response(conn, rq->pending_status, rq->pending);
        MHD_destroy_response(rq->pending);
        rq->pending = NULL;
        return ret;
    }
    if (rq->dispatched)
        return MHD_YES; /* still with a worker */
    rq->dispatched = true;
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_query, rq);
    if (!strncmp(url, "/api/v1/", 8) || !strcmp(url, "/api/v1")) {
        enum MHD_Result ret;
        if (api_try_fast(rq, &ret))
            return ret;
        if (defer(srv, rq))
            return MHD_YES;
        json_t *busy = json_pack("{s:{s:s, s:s, s:n}}", "error", "code", "busy", "message",
                                 "服务器繁忙，请稍后重试", "field");
        return reply_json(rq, 503, busy);
    }
    if (!strncmp(url, "/api/", 5)) {
        struct rerr e;
        rerr_set(&e, R_ENOTFOUND, "not_found", "", "没有这个接口");
        return reply_error(rq, &e);
    }
    return serve_static(srv, rq);
}

static void request_done(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode t)
{
    (void)cls;
    (void)conn;
    (void)t;
    struct request *rq = *con_cls;
    if (rq) {
        /* A client that left while a worker answered never gets its answer sent. */
        if (rq->pending)
            MHD_destroy_response(rq->pending);
        arena_free(rq->a);
    }
    *con_cls = NULL;
}

static int parse_listen(const char *listen, struct sockaddr_in *sa, struct rerr *err)
{
    const char *colon = strrchr(listen, ':');
    if (!colon)
        return rerr_set(err, R_EINVAL, "bad_listen", "listen", "监听地址应为 HOST:PORT，例如 127.0.0.1:8080");
    char host[64];
    size_t hl = (size_t)(colon - listen);
    if (hl >= sizeof host)
        return rerr_set(err, R_EINVAL, "bad_listen", "listen", "监听地址过长");
    memcpy(host, listen, hl);
    host[hl] = 0;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535 || colon[1] == 0)
        return rerr_set(err, R_EINVAL, "bad_listen", "listen", "端口无效：%s", colon + 1);
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (!strcmp(host, "localhost") || !*host)
        strcpy(host, "127.0.0.1");
    if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
        return rerr_set(err, R_EINVAL, "bad_listen", "listen", "IP 地址无效：%s", host);
    return 0;
}

static void stop_workers(struct server *srv)
{
    pthread_mutex_lock(&srv->lock);
    srv->stopping = true;
    pthread_cond_broadcast(&srv->work);
    pthread_mutex_unlock(&srv->lock);
    for (int i = 0; i < WORKERS; i++)
        pthread_join(srv->workers[i], NULL);
}

static void *warm_up(void *unused)
{
    (void)unused;
    text_warm();
    return NULL;
}

int http_serve(store *s, const struct http_config *cfg, struct rerr *err)
{
    struct sockaddr_in sa;
    int rc = parse_listen(cfg->listen, &sa, err);
    if (rc < 0 || (rc = store_open_pool(s, err)) < 0)
        return rc;
    /* Signals go to this thread's sigwait, not to the connection threads. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    /* Each of the many threads (event, worker, job) would otherwise get a malloc arena of
     * its own, keeping what a big answer left behind: two arenas bound resident memory. */
    mallopt(M_ARENA_MAX, 2);
    pthread_t warm;
    if (pthread_create(&warm, NULL, warm_up, NULL) == 0)
        pthread_detach(warm);

    jobs_start(s);
    static struct server srv; /* large (the queue); one per process */
    srv = (struct server){.db = s, .cfg = cfg, .web_dir = cfg->web_dir};
    pthread_mutex_init(&srv.lock, NULL);
    pthread_cond_init(&srv.work, NULL);
    for (int i = 0; i < WORKERS; i++)
        if (pthread_create(&srv.workers[i], NULL, worker, &srv) != 0)
            die("无法启动工作线程");
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned events = cores < 1 ? 1 : cores > 16 ? 16 : (unsigned)cores;
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG, 0,
        NULL, NULL, on_request, &srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_NOTIFY_COMPLETED, request_done, NULL, MHD_OPTION_THREAD_POOL_SIZE, events,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120, MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1, MHD_OPTION_END);
    if (!d) {
        stop_workers(&srv);
        jobs_stop();
        return rerr_set(err, R_EINVAL, "listen", "listen", "无法在 %s 上监听（端口被占用或无权限）",
                        cfg->listen);
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    log_info("ronghe 正在服务 http://%s:%u/", inet_ntoa(sa.sin_addr), di ? di->port : ntohs(sa.sin_port));
    int sig = 0;
    sigwait(&set, &sig);
    log_info("收到信号 %d，正在停止", sig);
    /* No new connections; the workers finish (and resume) everything queued; then the
     * event threads send those answers and stop. */
    MHD_quiesce_daemon(d);
    stop_workers(&srv);
    MHD_stop_daemon(d);
    jobs_stop();
    return 0;
}
