/*
 * server: libmicrohttpd glue.
 *
 * Two kinds of thread. A few event threads (one per core, epoll) read requests and
 * answer what memory alone can answer: static files, cached reads, the health check and
 * every refusal below. Everything that may wait on the database goes to a pool of
 * workers: the connection is suspended, a worker runs the handler and leaves the answer
 * in the request, the connection is resumed, and the event thread sends it. So a slow
 * request holds one worker, never an event thread, and the many fast ones never queue
 * behind it.
 *
 * Nobody holds the server without logging in:
 * - Connections: at most CONN_MAX at once (fewer if the file limit, raised to its hard
 *   limit at start, is lower), at most CONN_PER_ADDRESS from one client address, and once
 *   three quarters are in use only CONN_PER_ADDRESS_CROWDED, so the last quarter stays
 *   for addresses holding few. A connection over its address's limit is closed as soon
 *   as it is accepted (nothing can be said on it: no request has been read). A trusted
 *   proxy (proxy.h) speaks for many clients: only the limit on all applies to it.
 * - Time: a connection that has not sent a complete request is closed after
 *   TIMEOUT_REQUEST seconds of silence (TIMEOUT_CROWDED when crowded); after a signed-in
 *   request has been answered its keep-alive connection may idle TIMEOUT_SIGNED_IN.
 * - Memory: libmicrohttpd gives each connection a pool of CONN_MEMORY for headers and
 *   reading. A body is buffered only when its route takes one (POST, PATCH, PUT, DELETE of
 *   a collection under /api/v1, POST /api/v1/session) and Content-Length declares it
 *   within that route's limit, or it is chunked; it is allocated once, at the declared
 *   size or for chunked at the route's limit (malloc, owned by the request, freed in
 *   request_done), and counted so against BODY_BUDGET in all and BODY_BUDGET_PER_ADDRESS
 *   per client address (behind a trusted proxy, the one it names), with BODY_BUDGET_SMALL
 *   of the first kept for bodies up to BODY_SMALL (logins, records). Declared over the
 *   limit gets 413, past a budget 503 with Retry-After, any other transfer coding 411:
 *   each at once, before the body is read, and the connection is then closed (after a
 *   lingering close of at most LINGER_MS, so a client still sending reads the answer).
 *   A chunked body that outgrows its limit is answered 413 when it ends, or cut off
 *   BODY_OVERRUN_MAX later. A large body is a mapping of its own, returned when it is
 *   freed; what a crowd of connections left in the heap is given back (malloc_trim) once
 *   the crowd has gone.
 * So connections and bodies hold at most CONN_MAX x CONN_MEMORY + BODY_BUDGET (192 MiB)
 * beyond what the requests being answered use, and no address more than its share.
 *
 * Per request: an arena (freed in request_done) for everything else. Static files come
 * from the embedded table (web_assets.c, generated) or --web-dir (assets.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "base/log.h"
#include "base/text.h"
#include "http/assets.h"
#include "http/http.h"
#include "http/proxy.h"
#include "http/request.h"
#include "http/routes.h"
#include "jobs/jobs.h"
#include "store/files.h"

#define WORKERS 16 /* ≥ 4 × cores: slow requests may hold several at once */
#define QUEUE_MAX 4096

/* The limits described at the top. */
#define CONN_MAX 4096
#define CONN_FD_RESERVE (256 + LINGER_MAX) /* the database (3 per store connection), jobs, logs */
#define CONN_PER_ADDRESS 128
#define CONN_PER_ADDRESS_CROWDED 8
#define CONN_MEMORY (32 * 1024)
#define TIMEOUT_REQUEST 10 /* seconds */
#define TIMEOUT_CROWDED 3
#define TIMEOUT_SIGNED_IN 60
#define BODY_BUDGET ((size_t)64 << 20)
#define BODY_BUDGET_PER_ADDRESS ((size_t)8 << 20)
/* Of BODY_BUDGET, this much is kept for small bodies (a login, an ordinary record), which
 * large uploads cannot take. */
#define BODY_SMALL ((size_t)64 * 1024)
#define BODY_BUDGET_SMALL ((size_t)4 << 20)
#define BODY_OVERRUN_MAX (64 * 1024) /* a chunked body past its limit: read on this far for a 413 */
/* Uploads streamed to files at once (their bytes are on disk, not in memory): per client
 * address and in all. */
#define UPLOADS_PER_ADDRESS 4
#define UPLOADS_MAX 64
#define RETRY_AFTER 5  /* seconds, on every 503 of this file */
#define LINGER_MAX 256 /* connections drained after an early refusal, at once */
#define LINGER_MS 2000 /* for at most this long */
/* Give memory back once the connections (bodies in flight) fell to half a peak of at
 * least this many (bytes). */
#define TRIM_CONNS 256
#define TRIM_BODY ((size_t)4 << 20)

/* What one client address holds: its connections and the bytes reserved for its bodies.
 * A slot is in use while either is non-zero. */
struct peer {
    unsigned char key[16]; /* the address, IPv4 as v4-mapped IPv6 */
    bool used;
    unsigned conns;
    size_t body;
    unsigned uploads; /* streamed to files (ROUTE_FILE_BODY) */
};

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
    /* Connections and bodies by address: an open-addressing table (linear probing, keyed
     * SipHash so no client can choose collisions) of twice as many slots as there can be
     * addresses in use, so it never fills. Everything below under peers_lock. */
    pthread_mutex_t peers_lock;
    struct peer *peers;
    size_t npeers; /* a power of two */
    unsigned char peer_hash_key[crypto_shorthash_KEYBYTES];
    unsigned conns, conn_max, crowded_at, peak_conns;
    size_t body, peak_body;
    unsigned uploads;
    /* Lingering close: sockets drained by one thread (epoll) after an early refusal. A
     * slot is free when its fd is -1; its generation tells a stale event from a new fd. */
    pthread_mutex_t linger_lock;
    int linger_ep;
    struct {
        int fd;
        uint32_t gen;
        uint64_t until_ms;
    } linger[LINGER_MAX];
    atomic_bool linger_stopping;
    pthread_t linger_thread;
};

/* ---------------------------------------------------------------- connections by address */

static void peer_key(const struct sockaddr *sa, unsigned char key[16])
{
    memset(key, 0, 16);
    if (sa && sa->sa_family == AF_INET) {
        key[10] = key[11] = 0xff;
        memcpy(key + 12, &((const struct sockaddr_in *)sa)->sin_addr, 4);
    } else if (sa && sa->sa_family == AF_INET6) {
        memcpy(key, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
    }
}

/* The key of textual address "text" (as peer_key() makes them); false when it is not one. */
static bool address_key(const char *text, unsigned char key[16])
{
    memset(key, 0, 16);
    if (inet_pton(AF_INET, text, key + 12) == 1) {
        key[10] = key[11] = 0xff;
        return true;
    }
    return inet_pton(AF_INET6, text, key) == 1;
}

static void conn_peer_key(struct MHD_Connection *conn, unsigned char key[16])
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    peer_key(ci ? ci->client_addr : NULL, key);
}

static size_t peer_home(const struct server *srv, const unsigned char key[16])
{
    uint64_t h;
    crypto_shorthash((unsigned char *)&h, key, 16, srv->peer_hash_key);
    return (size_t)h & (srv->npeers - 1);
}

/* The slot of "key", or the free slot where it belongs. peers_lock held. */
static struct peer *peer_find(struct server *srv, const unsigned char key[16])
{
    size_t mask = srv->npeers - 1;
    for (size_t i = peer_home(srv, key), n = 0; n < srv->npeers; i = (i + 1) & mask, n++) {
        struct peer *p = &srv->peers[i];
        if (!p->used || !memcmp(p->key, key, 16))
            return p;
    }
    BUG("peer table full"); /* it has twice as many slots as addresses in use */
}

/* Free "p" if it holds nothing, moving later slots of its run back so that every key
 * stays reachable from its home slot. peers_lock held. */
static void peer_release(struct server *srv, struct peer *p)
{
    if (p->conns || p->body || p->uploads)
        return;
    size_t mask = srv->npeers - 1;
    size_t hole = (size_t)(p - srv->peers);
    for (size_t j = (hole + 1) & mask; srv->peers[j].used; j = (j + 1) & mask) {
        size_t home = peer_home(srv, srv->peers[j].key);
        if (((j - home) & mask) >= ((j - hole) & mask)) { /* home not in (hole, j] */
            srv->peers[hole] = srv->peers[j];
            hole = j;
        }
    }
    memset(&srv->peers[hole], 0, sizeof srv->peers[hole]);
}

/* Whether a crowd has gone since the last time memory was given back. peers_lock held. */
static bool should_trim(struct server *srv)
{
    bool trim = false;
    if (srv->peak_conns >= TRIM_CONNS && srv->conns * 2 <= srv->peak_conns) {
        srv->peak_conns = srv->conns;
        trim = true;
    }
    if (srv->peak_body >= TRIM_BODY && srv->body * 2 <= srv->peak_body) {
        srv->peak_body = srv->body;
        trim = true;
    }
    return trim;
}

/* libmicrohttpd asks before it takes a connection on: no when the address holds its
 * share already. (Counted in on_connection, so threads accepting at the same moment may
 * pass one each over the limit.) */
static enum MHD_Result accept_policy(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
    (void)addrlen;
    struct server *srv = cls;
    unsigned char key[16];
    peer_key(addr, key);
    char text[64] = "";
    if (addr && addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)addr)->sin_addr, text, sizeof text);
    else if (addr && addr->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)addr)->sin6_addr, text, sizeof text);
    bool proxy = proxy_trusted(text); /* many clients: only the limit on all applies */
    pthread_mutex_lock(&srv->peers_lock);
    unsigned limit = srv->conns >= srv->crowded_at ? CONN_PER_ADDRESS_CROWDED : CONN_PER_ADDRESS;
    struct peer *p = peer_find(srv, key);
    bool ok = srv->conns < srv->conn_max && (proxy || !p->used || p->conns < limit);
    pthread_mutex_unlock(&srv->peers_lock);
    return ok ? MHD_YES : MHD_NO;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    struct server *srv = cls;
    unsigned char key[16];
    conn_peer_key(conn, key);
    bool trim = false, crowded = false;
    pthread_mutex_lock(&srv->peers_lock);
    struct peer *p = peer_find(srv, key);
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        if (!p->used) {
            memcpy(p->key, key, 16);
            p->used = true;
        }
        p->conns++;
        srv->conns++;
        if (srv->conns > srv->peak_conns)
            srv->peak_conns = srv->conns;
        crowded = srv->conns >= srv->crowded_at;
        *socket_context = srv; /* counted */
    } else if (*socket_context) {
        CHECK(p->used && p->conns > 0 && srv->conns > 0);
        p->conns--;
        srv->conns--;
        peer_release(srv, p);
        trim = should_trim(srv);
        *socket_context = NULL;
    }
    pthread_mutex_unlock(&srv->peers_lock);
    if (crowded)
        MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT, (unsigned)TIMEOUT_CROWDED);
    if (trim)
        malloc_trim(0);
}

/* Reserve "n" bytes for a body from the address "key": false past either budget. */
static bool body_reserve(struct server *srv, const unsigned char key[16], size_t n)
{
    pthread_mutex_lock(&srv->peers_lock);
    struct peer *p = peer_find(srv, key);
    size_t budget = n <= BODY_SMALL ? BODY_BUDGET : BODY_BUDGET - BODY_BUDGET_SMALL;
    bool ok = srv->body + n <= budget && p->body + n <= BODY_BUDGET_PER_ADDRESS;
    if (ok) {
        if (!p->used) { /* cannot happen while its connection is counted; kept correct anyway */
            memcpy(p->key, key, 16);
            p->used = true;
        }
        p->body += n;
        srv->body += n;
        if (srv->body > srv->peak_body)
            srv->peak_body = srv->body;
    }
    pthread_mutex_unlock(&srv->peers_lock);
    return ok;
}

static void body_unreserve(struct server *srv, const unsigned char key[16], size_t n)
{
    pthread_mutex_lock(&srv->peers_lock);
    struct peer *p = peer_find(srv, key);
    CHECK(p->used && p->body >= n && srv->body >= n);
    p->body -= n;
    srv->body -= n;
    peer_release(srv, p);
    bool trim = should_trim(srv);
    pthread_mutex_unlock(&srv->peers_lock);
    if (trim)
        malloc_trim(0);
}

/* Count an upload in from the address "key": false past either limit. */
static bool upload_reserve(struct server *srv, const unsigned char key[16])
{
    pthread_mutex_lock(&srv->peers_lock);
    struct peer *p = peer_find(srv, key);
    bool ok = srv->uploads < UPLOADS_MAX && (!p->used || p->uploads < UPLOADS_PER_ADDRESS);
    if (ok) {
        if (!p->used) {
            memcpy(p->key, key, 16);
            p->used = true;
        }
        p->uploads++;
        srv->uploads++;
    }
    pthread_mutex_unlock(&srv->peers_lock);
    return ok;
}

static void upload_unreserve(struct server *srv, const unsigned char key[16])
{
    pthread_mutex_lock(&srv->peers_lock);
    struct peer *p = peer_find(srv, key);
    CHECK(p->used && p->uploads > 0 && srv->uploads > 0);
    p->uploads--;
    srv->uploads--;
    peer_release(srv, p);
    pthread_mutex_unlock(&srv->peers_lock);
}

/* ---------------------------------------------------------------- lingering close */

/* A request refused from its headers (411, 413, 503) is answered at once and its
 * connection closed without reading the body. A client still sending it would then get a
 * reset, which can destroy the answer before the client has read it. So, like nginx's
 * lingering close, the socket is kept open (a duplicate of libmicrohttpd's descriptor)
 * for LINGER_MS after the answer, and whatever still arrives is read and dropped; the
 * client's own close ends it sooner. At most LINGER_MAX at once: past that, no lingering. */

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Close slot "i". linger_lock held. */
static void linger_close(struct server *srv, unsigned i)
{
    close(srv->linger[i].fd);
    srv->linger[i].fd = -1;
    srv->linger[i].gen++;
}

static void linger_add(struct server *srv, struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!ci || srv->linger_ep < 0)
        return;
    pthread_mutex_lock(&srv->linger_lock);
    for (unsigned i = 0; i < LINGER_MAX; i++) {
        if (srv->linger[i].fd >= 0)
            continue;
        int fd = fcntl(ci->connect_fd, F_DUPFD_CLOEXEC, 0); /* shares O_NONBLOCK with the original */
        if (fd < 0)
            break;
        struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP,
                                 .data.u64 = (uint64_t)srv->linger[i].gen << 32 | i};
        if (epoll_ctl(srv->linger_ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
            close(fd);
            break;
        }
        srv->linger[i].fd = fd;
        srv->linger[i].until_ms = now_ms() + LINGER_MS;
        break;
    }
    pthread_mutex_unlock(&srv->linger_lock);
}

static void *linger_loop(void *arg)
{
    struct server *srv = arg;
    static char sink[16384]; /* what lingering clients still send, dropped */
    struct epoll_event ev[64];
    while (!atomic_load(&srv->linger_stopping)) {
        int n = epoll_wait(srv->linger_ep, ev, 64, 100);
        pthread_mutex_lock(&srv->linger_lock);
        for (int k = 0; k < n; k++) {
            unsigned i = (unsigned)(ev[k].data.u64 & 0xffffffffu);
            if (i >= LINGER_MAX || srv->linger[i].fd < 0 ||
                srv->linger[i].gen != (uint32_t)(ev[k].data.u64 >> 32))
                continue; /* closed since */
            ssize_t got = 1;
            for (int reads = 0; reads < 4 && got > 0; reads++) /* a bounded share each turn */
                got = read(srv->linger[i].fd, sink, sizeof sink);
            if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
                linger_close(srv, i); /* the client has closed too */
        }
        uint64_t now = now_ms();
        for (unsigned i = 0; i < LINGER_MAX; i++)
            if (srv->linger[i].fd >= 0 && srv->linger[i].until_ms <= now)
                linger_close(srv, i);
        pthread_mutex_unlock(&srv->linger_lock);
    }
    pthread_mutex_lock(&srv->linger_lock);
    for (unsigned i = 0; i < LINGER_MAX; i++)
        if (srv->linger[i].fd >= 0)
            linger_close(srv, i);
    pthread_mutex_unlock(&srv->linger_lock);
    return NULL;
}

static void linger_start(struct server *srv)
{
    pthread_mutex_init(&srv->linger_lock, NULL);
    for (unsigned i = 0; i < LINGER_MAX; i++)
        srv->linger[i].fd = -1;
    atomic_init(&srv->linger_stopping, false);
    srv->linger_ep = epoll_create1(EPOLL_CLOEXEC);
    if (srv->linger_ep >= 0 && pthread_create(&srv->linger_thread, NULL, linger_loop, srv) != 0) {
        close(srv->linger_ep);
        srv->linger_ep = -1; /* no lingering: refusals still answered, less reliably */
    }
}

static void linger_stop(struct server *srv)
{
    if (srv->linger_ep < 0)
        return;
    atomic_store(&srv->linger_stopping, true);
    pthread_join(srv->linger_thread, NULL);
    close(srv->linger_ep);
    srv->linger_ep = -1;
}

/* ---------------------------------------------------------------- the worker pool */

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
        /* An upload refused before its handler took it (no session, a bad token) goes
         * now, before the answer is sent: nothing of it outlives the answer. */
        files_tmp_abort(rq->upload);
        rq->upload = NULL;
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

/* ---------------------------------------------------------------- refusals and bodies */

/* Answer {"error": {"code", "message", "field": null}} with "status", like reply_error()
 * (which has no 411): a 503 also says when to try again, in Retry-After and the body. */
static enum MHD_Result refuse(struct request *rq, unsigned status, const char *code, const char *message)
{
    json_t *body = json_pack("{s:{s:s, s:s, s:n}}", "error", "code", code, "message", message, "field");
    if (status == 503 && body) {
        rq->retry_after = RETRY_AFTER;
        json_object_set_new(json_object_get(body, "error"), "retry_after", json_integer(RETRY_AFTER));
    }
    return reply_json(rq, status, body);
}

/* The largest body "method" on "url" may carry: the route table's word (routes.h) under
 * /api/v1, none elsewhere; negative (R_ENOTFOUND, R_EMETHOD) for no route. */
static long body_limit(struct request *rq, bool *to_file)
{
    *to_file = false;
    if (!strcmp(rq->method, "GET") || !strcmp(rq->method, "HEAD") || strncmp(rq->path, "/api/v1/", 8) != 0)
        return 0;
    return route_body_limit(rq->a, rq->method, rq->path + strlen("/api/v1"), to_file);
}

static enum MHD_Result refuse_too_large(struct request *rq, long limit)
{
    char msg[96];
    if (!limit)
        snprintf(msg, sizeof msg, "此请求不接受请求内容");
    else if (limit >= 1024 * 1024)
        snprintf(msg, sizeof msg, "请求内容过大（此接口上限 %ld MiB）", limit / (1024 * 1024));
    else
        snprintf(msg, sizeof msg, "请求内容过大（此接口上限 %ld KiB）", limit / 1024);
    return refuse(rq, 413, "too_large", msg);
}

/* From the headers alone, before any of it is read: may the body of "rq" be buffered?
 * Yes (true) with its buffer allocated once and reserved against the budgets, at the size
 * Content-Length declares or, for a chunked body (length unknown), at the route's limit
 * (only the pages written become resident); or when there is none. False with the
 * refusal queued in "*ret". */
static bool admit_body(struct server *srv, struct request *rq, enum MHD_Result *ret)
{
    const char *te =
        MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
    const char *cl = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    size_t n = 0;
    if (te) {
        if (strcasecmp(te, "chunked") != 0) {
            *ret = refuse(rq, 411, "length_required",
                          "请求内容须以 Content-Length 声明长度，或以 chunked 分块传输");
            return false;
        }
    } else if (cl) {
        size_t digits = strspn(cl, "0123456789");
        if (!digits || cl[digits] || digits > 18) {
            *ret = refuse(rq, 400, "bad_request", "Content-Length 无效");
            return false;
        }
        if (!(n = (size_t)strtoull(cl, NULL, 10)))
            return true;
    } else {
        return true; /* no body (HTTP/1.1: neither length nor chunked means none) */
    }
    bool to_file;
    long limit = body_limit(rq, &to_file);
    if (limit < 0) {
        *ret = limit == R_EMETHOD ? refuse(rq, 405, "method_not_allowed", "不支持的请求方法")
                                  : refuse(rq, 404, "not_found", "没有这个接口");
        return false;
    }
    if (te ? !limit : n > (size_t)limit) {
        *ret = refuse_too_large(rq, limit);
        return false;
    }
    if (to_file) { /* onto the disk as it comes, never into memory */
        struct rerr pre = {0};
        if (api_upload_precheck(rq, &pre) < 0) {
            *ret = refuse(rq, status_of(pre.rc), pre.code, pre.message);
            return false;
        }
        if (!upload_reserve(srv, rq->peer)) {
            *ret = refuse(rq, 503, "busy", "服务器正在接收的上传过多，请稍后重试");
            return false;
        }
        struct rerr err = {0};
        if (!(rq->upload = files_tmp_open(&err))) {
            upload_unreserve(srv, rq->peer);
            *ret = refuse(rq, 503, err.code, err.message);
            return false;
        }
        rq->upload_counted = true;
        rq->body_cap = (size_t)limit;
        return true;
    }
    if (te)
        n = (size_t)limit;
    if (!body_reserve(srv, rq->peer, n)) {
        *ret = refuse(rq, 503, "busy", "服务器正在接收的上传过多，请稍后重试");
        return false;
    }
    rq->body = malloc(n + 1);
    if (!rq->body)
        die("内存不足 (请求内容 %zu 字节)", n);
    rq->body_cap = n;
    return true;
}

/* ---------------------------------------------------------------- requests */

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size,
                                  void **con_cls)
{
    (void)version;
    struct server *srv = cls;
    struct request *rq = *con_cls;
    if (!rq) {
        /* The headers are in; nothing of a body has been read yet. */
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
        /* Bodies are counted by client: behind a trusted proxy, the one it names. */
        if (!rq->via_proxy || !address_key(rq->address, rq->peer))
            peer_key(ci ? ci->client_addr : NULL, rq->peer);
        *con_cls = rq;
        enum MHD_Result ret;
        if (!admit_body(srv, rq, &ret)) {
            rq->linger = true; /* answered at once; libmicrohttpd closes without reading on */
            return ret;
        }
        return MHD_YES;
    }
    if (*upload_size) {
        /* libmicrohttpd passes no more than Content-Length declares. A chunked body past
         * the route's limit is dropped and answered 413 when it ends, or, once
         * BODY_OVERRUN_MAX more has come, the connection is closed: no endless body is
         * read for ever. */
        size_t n = *upload_size;
        *upload_size = 0;
        if (rq->upload_counted) { /* a file: onto the disk, the limit enforced as it comes */
            if (rq->upload && (n > rq->body_cap - (size_t)files_tmp_size(rq->upload) ||
                               files_tmp_write(rq->upload, upload, n) < 0)) {
                rq->upload_failed = n <= rq->body_cap - (size_t)files_tmp_size(rq->upload);
                files_tmp_abort(rq->upload); /* nothing of it stays */
                rq->upload = NULL;
            }
            if (!rq->upload && !rq->upload_failed && (rq->body_dropped += n) > BODY_OVERRUN_MAX)
                return MHD_NO;
            return MHD_YES;
        }
        if (rq->body && !rq->body_dropped && n <= rq->body_cap - rq->body_len) {
            memcpy(rq->body + rq->body_len, upload, n);
            rq->body_len += n;
            rq->body[rq->body_len] = 0;
        } else if ((rq->body_dropped += n) > BODY_OVERRUN_MAX) {
            return MHD_NO;
        }
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
    bool to_file;
    if (rq->body_dropped || (rq->upload_counted && !rq->upload && !rq->upload_failed))
        return refuse_too_large(rq, body_limit(rq, &to_file));
    if (rq->upload_failed)
        return refuse(rq, 503, "no_storage", "服务器无法保存上传的文件（磁盘已满或不可写），请稍后重试");
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_query, rq);
    if (!strcmp(url, "/api/v1/health")) /* from memory, whatever the workers are doing */
        return reply_json(rq, 200, json_pack("{s:b}", "ok", 1));
    if (!strncmp(url, "/api/v1/", 8) || !strcmp(url, "/api/v1")) {
        enum MHD_Result ret;
        if (api_try_fast(rq, &ret))
            return ret;
        if (defer(srv, rq))
            return MHD_YES;
        return refuse(rq, 503, "busy", "服务器繁忙，请稍后重试");
    }
    if (!strncmp(url, "/api/", 5)) {
        struct rerr e;
        rerr_set(&e, R_ENOTFOUND, "not_found", "", "没有这个接口");
        return reply_error(rq, &e);
    }
    return assets_serve(rq, srv->web_dir);
}

static void request_done(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode t)
{
    struct server *srv = cls;
    struct request *rq = *con_cls;
    if (rq) {
        /* A client that left while a worker answered never gets its answer sent. */
        if (rq->pending)
            MHD_destroy_response(rq->pending);
        if (rq->body) {
            free(rq->body);
            body_unreserve(srv, rq->peer, rq->body_cap);
        }
        /* An upload the handler did not take (a client that hung up half-way, a refusal):
         * its temporary file goes now. */
        files_tmp_abort(rq->upload);
        if (rq->upload_counted)
            upload_unreserve(srv, rq->peer);
        if (rq->linger)
            linger_add(srv, conn);
        /* The connection now waits for its next request: long only for a signed-in client. */
        else if (t == MHD_REQUEST_TERMINATED_COMPLETED_OK)
            MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT,
                                      (unsigned)(rq->authenticated ? TIMEOUT_SIGNED_IN : TIMEOUT_REQUEST));
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

/* libmicrohttpd's messages, through our log but at most LOG_PER_MINUTE a minute: a crowd of
 * clients that hang up mid-request must not fill the disk one line each. */
#define LOG_PER_MINUTE 20
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    static time_t minute;
    static unsigned shown, dropped;
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    line[strcspn(line, "\n")] = 0;
    time_t now = time(NULL) / 60;
    pthread_mutex_lock(&lock);
    if (now != minute) {
        if (dropped)
            log_warn("libmicrohttpd：此前另有 %u 条消息未记录（每分钟至多 %d 条）", dropped, LOG_PER_MINUTE);
        minute = now;
        shown = dropped = 0;
    }
    bool show = shown < LOG_PER_MINUTE;
    if (show)
        shown++;
    else
        dropped++;
    pthread_mutex_unlock(&lock);
    if (show)
        log_warn("libmicrohttpd：%s", line);
}

/* Raise the soft limit on open files to the hard one; the connection limit that leaves
 * room for: CONN_MAX, or fewer with a low limit. */
static unsigned connection_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return 64;
    if (rl.rlim_cur < rl.rlim_max) {
        struct rlimit up = {.rlim_cur = rl.rlim_max, .rlim_max = rl.rlim_max};
        if (setrlimit(RLIMIT_NOFILE, &up) != 0) { /* an unlimited hard limit may exceed the kernel's */
            up.rlim_cur = CONN_MAX + CONN_FD_RESERVE;
            if (up.rlim_cur > rl.rlim_cur)
                setrlimit(RLIMIT_NOFILE, &up);
        }
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < CONN_FD_RESERVE + 64)
        return 64;
    rlim_t n = rl.rlim_cur == RLIM_INFINITY ? CONN_MAX : rl.rlim_cur - CONN_FD_RESERVE;
    return n < CONN_MAX ? (unsigned)n : CONN_MAX;
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
     * its own, keeping what a big answer left behind: two arenas bound resident memory.
     * A fixed mmap threshold (glibc would otherwise raise it to the largest block freed)
     * keeps every large body and answer in its own mapping, returned whole when freed. */
    mallopt(M_ARENA_MAX, 2);
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    pthread_t warm;
    if (pthread_create(&warm, NULL, warm_up, NULL) == 0)
        pthread_detach(warm);

    jobs_start(s);
    static struct server srv; /* large (the queue); one per process */
    srv = (struct server){.db = s, .cfg = cfg, .web_dir = cfg->web_dir};
    pthread_mutex_init(&srv.lock, NULL);
    pthread_cond_init(&srv.work, NULL);
    pthread_mutex_init(&srv.peers_lock, NULL);
    srv.conn_max = connection_limit();
    srv.crowded_at = srv.conn_max / 4 * 3;
    /* Each connection's address, and each body's client (behind a proxy another address)
     * with those accepted at the same moment past the limit: at most twice the
     * connections in use at once; twice that in slots. */
    for (srv.npeers = 64; srv.npeers < 4 * ((size_t)srv.conn_max + WORKERS); srv.npeers *= 2)
        ;
    srv.peers = calloc(srv.npeers, sizeof *srv.peers);
    if (!srv.peers || sodium_init() < 0)
        die("内存不足 (连接表)");
    randombytes_buf(srv.peer_hash_key, sizeof srv.peer_hash_key);
    linger_start(&srv);
    for (int i = 0; i < WORKERS; i++)
        if (pthread_create(&srv.workers[i], NULL, worker, &srv) != 0)
            die("无法启动工作线程");
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned events = cores < 1 ? 1 : cores > 16 ? 16 : (unsigned)cores;
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG, 0,
        accept_policy, &srv, on_request, &srv, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, /* first */
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_NOTIFY_COMPLETED, request_done, &srv,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, &srv, MHD_OPTION_THREAD_POOL_SIZE, events,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)TIMEOUT_REQUEST, MHD_OPTION_CONNECTION_LIMIT, srv.conn_max,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY, MHD_OPTION_LISTENING_ADDRESS_REUSE,
        (unsigned)1, MHD_OPTION_END);
    if (!d) {
        stop_workers(&srv);
        linger_stop(&srv);
        jobs_stop();
        free(srv.peers);
        return rerr_set(err, R_EINVAL, "listen", "listen", "无法在 %s 上监听（端口被占用或无权限）",
                        cfg->listen);
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    log_info("ronghe 正在服务 http://%s:%u/", inet_ntoa(sa.sin_addr), di ? di->port : ntohs(sa.sin_port));
    log_info("连接上限 %u（每个地址 %u），请求内容缓冲上限 %zu MiB（每个地址 %zu MiB）", srv.conn_max,
             (unsigned)CONN_PER_ADDRESS, BODY_BUDGET >> 20, BODY_BUDGET_PER_ADDRESS >> 20);
    int sig = 0;
    sigwait(&set, &sig);
    log_info("收到信号 %d，正在停止", sig);
    /* No new connections; the workers finish (and resume) everything queued; then the
     * event threads send those answers and stop. */
    MHD_quiesce_daemon(d);
    stop_workers(&srv);
    MHD_stop_daemon(d);
    linger_stop(&srv);
    jobs_stop();
    free(srv.peers);
    return 0;
}
