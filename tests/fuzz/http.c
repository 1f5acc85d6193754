/*
 * http: the HTTP layer as a whole — request line, query string, headers, cookies and
 * bodies — through the real server. http_serve() runs in a thread of this process on a
 * loopback port, on a copy of the demo database with a signed-in session for each demo
 * account; each input is sent as raw bytes on a new connection, followed by a request
 * that closes it, and the answers are read to the end.
 *
 * Input: the bytes of one or more requests, with these stand-ins replaced first so that
 * mutations keep reaching the signed-in handlers:
 *   @A@ @V@ @Z@ @S@   session token of admin, viewer, zlt-admin, hlgl-sec
 *   @a@ @v@ @z@ @s@   their CSRF tokens
 *   @P@               the demo password
 *   @L@               the length of the body that follows (from the end of the next blank
 *                     line to the end of the input, or to the next @@)
 *   @BIG@             1 MiB + 1 bytes (at most twice per input)
 *   @@                ends the stretch of input a @L@ counts
 *
 * Besides crashes and sanitizer reports, a finding is an answer 500 (input never causes
 * one), and a connection still busy after 20 s. Any input that wrote to the database
 * (SQLite's data_version moved) is followed by a restart on a fresh copy, so every input
 * meets the same data.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "auth/audit.h"
#include "fuzz.h"
#include "http/http.h"
#include "http/proxy.h"

#define MAX_INPUT 16384
#define MAX_REQUEST (3u << 20)
#define BIG (HTTP_MAX_BODY + 1)
#define STALL_MS 20000

static const char *pristine;
static char live[300];
static store *db;
static pthread_t server;
static char listen_at[32];
static int port;
static store_conn *watch; /* held apart from the server's: asks whether anyone wrote */
static int64_t version_seen;
static uint64_t gen_floor;
static unsigned long inputs, restarts, quiet_ends;
static bool show;

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* ------------------------------------------------------------------ the server */

static void *serve(void *arg)
{
    (void)arg;
    /* http_serve() blocks these itself; before it does, a SIGTERM must not kill us. And
     * libFuzzer's timer (SIGALRM) is for the main thread: the server's threads, as in
     * `ronghe serve`, never see it. They inherit this mask. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGALRM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    struct http_config cfg = {.listen = listen_at};
    struct rerr err = {0};
    if (audit_anchor_start(db, &err) < 0 || http_serve(db, &cfg, &err) < 0) /* as `ronghe serve` */
        fuzz_fail("http_serve: %s", err.message);
    return NULL;
}

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sa;
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &len) < 0)
        fuzz_fail("no free port: %s", strerror(errno));
    close(fd);
    return ntohs(sa.sin_port);
}

/* A connection to the server, or -1. Not blocking: libFuzzer's timer signal interrupts
 * a blocking connect(). */
static int dial(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in sa = {
        .sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd < 0)
        fuzz_fail("socket: %s", strerror(errno));
    int rc = connect(fd, (struct sockaddr *)&sa, sizeof sa);
    if (rc < 0 && (errno == EINPROGRESS || errno == EINTR)) {
        struct pollfd p = {.fd = fd, .events = POLLOUT};
        int e = 0;
        socklen_t el = sizeof e;
        for (int i = 0; i < 500 && (rc = poll(&p, 1, 10)) <= 0; i++)
            ;
        rc = rc > 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) == 0 && e == 0 ? 0 : -1;
        if (e)
            errno = e;
    }
    if (rc < 0) {
        close(fd);
        return -1;
    }
    /* Close with a reset: no TIME_WAIT, so thousands of inputs a second never run out
     * of local ports. */
    struct linger lg = {.l_onoff = 1, .l_linger = 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    return fd;
}

/* SQLite's count of commits by connections other than "watch". */
static int64_t data_version(void)
{
    store_stmt *st = store_prepare(watch, "PRAGMA data_version");
    int64_t v = store_step(st, NULL) == STORE_ROW ? store_col_int(st, 0) : -1;
    store_done(st);
    return v;
}

struct buf {
    char *p;
    size_t n, cap;
};
static void exchange(const struct buf *req, struct buf *resp);

static void start_server(void)
{
    /* Backups the last run made: a new one of the same job number in the same second
     * would find its name taken. */
    char backups[320];
    snprintf(backups, sizeof backups, "%s.backups", live);
    fuzz_remove_tree(backups);
    db = fuzz_open_copy(pristine, live);
    /* The response and session caches are keyed by generation: a new store must not
     * reuse numbers the last one gave answers under. */
    store_conn *c = store_acquire(db);
    while (store_generation(db) <= gen_floor)
        store_exec(c, "SELECT 1", NULL);
    store_release(c);
    watch = store_acquire(db);
    /* The sessions were opened when the process started: as used now (a session's last
     * use is written at most once a minute, and such a write would restart us). */
    if (store_exec(watch, "UPDATE sessions SET last_seen_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')", NULL) <
        0)
        fuzz_fail("cannot refresh the sessions");
    port = free_port();
    snprintf(listen_at, sizeof listen_at, "127.0.0.1:%d", port);
    if (pthread_create(&server, NULL, serve, NULL) != 0)
        fuzz_fail("pthread_create");
    for (int i = 0; i < 5000; i++) {
        int fd = dial();
        if (fd >= 0) {
            close(fd);
            /* The port takes connections as soon as it listens, before the daemon has all
             * its threads: wait for an answer (exchange() sends the health check), so that
             * nothing is half made when the next input (or a leak check) runs. */
            for (int k = 0;; k++) {
                struct buf none = {0}, resp = {0};
                exchange(&none, &resp);
                bool up = resp.n > 12 && !memcmp(resp.p + 8, " 200", 4);
                free(resp.p);
                if (up)
                    break;
                if (k == 50)
                    fuzz_fail("the server does not answer its health check");
            }
            version_seen = data_version(); /* after jobs_start(), which may have written */
            return;
        }
        usleep(1000);
    }
    fuzz_fail("the server did not start on %s", listen_at);
}

static void stop_server(void)
{
    pthread_kill(server, SIGTERM);
    pthread_join(server, NULL);
    gen_floor = store_generation(db);
    store_release(watch);
    fuzz_close(db);
    db = NULL;
}

static void stats(void)
{
    fprintf(stderr, "http: %lu inputs, %lu restarts after a write, %lu left waiting for promised bytes\n",
            inputs, restarts, quiet_ends);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    signal(SIGPIPE, SIG_IGN);
    struct rerr err = {0};
    if (session_configure(&err) < 0)
        fuzz_fail("session_configure: %s", err.message);
    /* As behind a reverse proxy on this host (--trusted-proxy 127.0.0.1): X-Forwarded-For
     * and X-Forwarded-Proto in the input are read, as a proxy would pass them on. */
    if (proxy_trust("127.0.0.1", &err) < 0)
        fuzz_fail("proxy_trust: %s", err.message);
    show = getenv("FUZZ_SHOW") != NULL;
    pristine = fuzz_demo(true);
    snprintf(live, sizeof live, "%s/live.db", fuzz_dir());
    start_server();
    atexit(stats);
    fuzz_ready();
    return 0;
}

/* ------------------------------------------------------------------ the input */

static void put(struct buf *b, const void *s, size_t n)
{
    if (!n)
        return;
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n)
            cap *= 2;
        b->p = realloc(b->p, cap);
        if (!b->p)
            abort();
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static void put_s(struct buf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* One stretch between @@ markers, with every stand-in but @L@ replaced, then @L@. */
static void expand_stretch(struct buf *out, const char *s, size_t n, int *bigs)
{
    struct buf t = {0};
    for (size_t i = 0; i < n;) {
        const char *rest = s + i;
        size_t left = n - i;
        if (left >= 3 && rest[0] == '@' && rest[2] == '@') {
            const char *who = strchr("AVZSavzs", rest[1]);
            if (who && rest[1]) {
                int k = (int)((who - "AVZSavzs") % 4);
                put_s(&t, rest[1] >= 'a' ? fuzz_accounts[k].s.csrf : fuzz_accounts[k].s.token);
                i += 3;
                continue;
            }
            if (rest[1] == 'P') {
                put_s(&t, FUZZ_PASSWORD);
                i += 3;
                continue;
            }
        }
        if (left >= 5 && !memcmp(rest, "@BIG@", 5) && *bigs < 2 && out->n + t.n + BIG <= MAX_REQUEST) {
            static char xs[4096];
            memset(xs, 'x', sizeof xs);
            for (size_t k = 0; k < BIG; k += sizeof xs)
                put(&t, xs, BIG - k < sizeof xs ? BIG - k : sizeof xs);
            (*bigs)++;
            i += 5;
            continue;
        }
        put(&t, rest, 1);
        i++;
    }
    /* @L@: the bytes after the next blank line, to the end of the stretch. */
    for (size_t i = 0; i < t.n;) {
        if (i + 3 <= t.n && !memcmp(t.p + i, "@L@", 3)) {
            size_t body = t.n;
            for (size_t k = i + 3; k + 4 <= t.n; k++)
                if (!memcmp(t.p + k, "\r\n\r\n", 4)) {
                    body = k + 4;
                    break;
                }
            char num[24];
            snprintf(num, sizeof num, "%zu", t.n - body);
            put_s(out, num);
            i += 3;
            continue;
        }
        put(out, t.p + i, 1);
        i++;
    }
    free(t.p);
}

static void expand(struct buf *out, const char *s, size_t n)
{
    int bigs = 0;
    size_t start = 0;
    for (size_t i = 0; i + 2 <= n; i++) {
        if (s[i] == '@' && s[i + 1] == '@') {
            expand_stretch(out, s + start, i - start, &bigs);
            start = i + 2;
            i++;
        }
    }
    expand_stretch(out, s + start, n - start, &bigs);
}

/* What follows every input: whatever state the input left the connection in (a header
 * block not ended, a request line cut short), a blank line and then a request that asks
 * the server to close once it has answered. */
static const char sentinel[] = "\r\n\r\nGET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                               "Connection: close\r\n\r\n";

/* Send "req" and the sentinel, and read every answer until the server closes. A server
 * still waiting for bytes the input promised (a Content-Length larger than the body) is
 * left after QUIET_MS without any traffic once everything was sent and read by it. A
 * client that half-closes is no help here: libmicrohttpd either drops a suspended
 * request at once or keeps an idle connection open until its timeout. */
#define QUIET_MS 250

static void exchange(const struct buf *req, struct buf *resp)
{
    int fd = dial();
    if (fd < 0)
        fuzz_fail("cannot connect to the server: %s", strerror(errno));
    struct buf all = {0};
    put(&all, req->p, req->n);
    put(&all, sentinel, sizeof sentinel - 1);
    size_t sent = 0;
    int64_t start = now_ms(), last = start;
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN | (sent < all.n ? POLLOUT : 0)};
        int64_t now = now_ms();
        if (now - start > STALL_MS)
            fuzz_fail("no complete answer within %d ms (%zu of %zu bytes sent, %zu received)", STALL_MS, sent,
                      all.n, resp->n);
        int unread = 0;
        if (sent == all.n && ioctl(fd, SIOCOUTQ, &unread) == 0 && unread == 0 && now - last >= QUIET_MS) {
            quiet_ends++;
            break;
        }
        if (poll(&p, 1, QUIET_MS / 3) <= 0)
            continue;
        last = now_ms();
        if (p.revents & POLLOUT) {
            ssize_t w = send(fd, all.p + sent, all.n - sent, MSG_NOSIGNAL);
            if (w > 0)
                sent += (size_t)w;
            else if (w < 0 && errno != EAGAIN && errno != EINTR)
                sent = all.n; /* the server closed: nothing more to send */
        }
        if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
            char tmp[65536];
            ssize_t r = recv(fd, tmp, sizeof tmp, 0);
            if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR))
                break;
            if (r > 0 && resp->n < (8u << 20))
                put(resp, tmp, (size_t)r);
        }
    }
    close(fd);
    free(all.p);
}

/* Every status line of the answers: none may be 500. */
static void check_answers(const struct buf *resp)
{
    for (size_t i = 0; i + 12 <= resp->n; i++) {
        if ((i == 0 || (resp->p[i - 1] == '\n' && i >= 2 && resp->p[i - 2] == '\r')) &&
            !memcmp(resp->p + i, "HTTP/1.", 7) && !memcmp(resp->p + i + 8, " 500", 4)) {
            size_t end = i;
            while (end < resp->n && end - i < 2000)
                end++;
            fuzz_fail("an answer 500:\n%.*s", (int)(end - i), resp->p + i);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return -1;
    struct buf req = {0}, resp = {0};
    expand(&req, (const char *)data, size);
    int64_t t0 = now_ms();
    exchange(&req, &resp);
    if (show)
        fprintf(stderr, "  (%lld ms)\n", (long long)(now_ms() - t0));
    if (show) /* FUZZ_SHOW=1: every answer's status line and body start, to check the seeds */
        for (size_t i = 0; i + 7 <= resp.n; i++)
            if (!memcmp(resp.p + i, "HTTP/1.", 7)) {
                const char *body = memmem(resp.p + i, resp.n - i, "\r\n\r\n", 4);
                size_t bl = body ? resp.n - (size_t)(body + 4 - resp.p) : 0;
                fprintf(stderr, "  %.12s  %.*s\n", resp.p + i, (int)(bl < 160 ? bl : 160),
                        body ? body + 4 : "");
            }
    check_answers(&resp);
    free(req.p);
    free(resp.p);
    inputs++;
    if (data_version() != version_seen) {
        restarts++;
        int64_t t1 = now_ms();
        stop_server();
        int64_t t2 = now_ms();
        start_server();
        if (show)
            fprintf(stderr, "  (restart: stop %lld ms, start %lld ms)\n", (long long)(t2 - t1),
                    (long long)(now_ms() - t2));
    }
    return 0;
}
