/*
 * throttle: the login limits of throttle.h, kept in a count-min sketch.
 *
 * Memory is fixed: BUCKETS time buckets of THROTTLE_ROWS × WIDTH saturating 16-bit
 * counters (3 MiB), plus one row set of "latest failure" times for the pair delays
 * (2 MiB). A key (pair, address or account) owns one counter per row, chosen by 16 bits
 * each of SipHash-2-4 (libsodium's crypto_shorthash) under a key drawn at start; its
 * count is the smallest of its rows' sums over the window. Other keys sharing a counter
 * can only raise that estimate; nothing ever lowers it but time (a bucket leaves the
 * window) and a success taking back its own count. A saturated counter stays saturated:
 * reaching 65535 failures in one counter in three minutes would take billions of them.
 *
 * All counters move under one mutex; hashing happens before it is taken.
 */
#include "auth/throttle.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/audit.h"
#include "base/log.h"
#include "base/text.h"

#define ROWS THROTTLE_ROWS
#define WIDTH 65536
#define BUCKET_MS (3 * 60 * 1000)
#define BUCKETS 6 /* the window's whole buckets, and the current one */

_Static_assert((BUCKETS - 1) * BUCKET_MS == THROTTLE_WINDOW_MIN * 60 * 1000, "window = whole buckets");
_Static_assert(crypto_shorthash_BYTES == 2 * ROWS, "16 bits of the hash per row");
_Static_assert(THROTTLE_ACCOUNT_MAX < UINT16_MAX && THROTTLE_ADDRESS_MAX < UINT16_MAX, "limits fit");

enum { K_PAIR, K_ADDRESS, K_ACCOUNT, K_COUNT };

struct bucket {
    int64_t epoch; /* the epoch counted here, plus 1; 0 when never used */
    uint16_t c[ROWS][WIDTH];
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct bucket buckets[BUCKETS];
static int64_t last_fail_ms[ROWS][WIDTH]; /* latest pair failure counted in each cell */
static unsigned char hash_key[crypto_shorthash_KEYBYTES];
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void draw_key(void)
{
    randombytes_buf(hash_key, sizeof hash_key);
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ------------------------------------------------------------------ keys */

/* "address" as the bytes counts are kept by: an IPv4 address (IPv4-mapped IPv6 too), the
 * /64 of an IPv6 address, or else the text itself. Returns the length written. */
static size_t address_bytes(const char *address, unsigned char out[64])
{
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, address, &a4) == 1) {
        out[0] = 4;
        memcpy(out + 1, &a4, 4);
        return 5;
    }
    if (inet_pton(AF_INET6, address, &a6) == 1) {
        if (IN6_IS_ADDR_V4MAPPED(&a6)) {
            out[0] = 4;
            memcpy(out + 1, a6.s6_addr + 12, 4);
            return 5;
        }
        out[0] = 6;
        memcpy(out + 1, a6.s6_addr, 8);
        return 9;
    }
    size_t n = strnlen(address, 62);
    out[0] = '?';
    memcpy(out + 1, address, n);
    return n + 1;
}

/* The counters of key "kind" for "w": one per row. Usernames longer than 256 bytes share
 * counters with their first 256 bytes (an over-count, never a miss). */
static void cells_of(int kind, const struct throttle_who *w, const unsigned char *addr, size_t alen,
                     uint16_t out[ROWS])
{
    unsigned char buf[1 + 8 + 1 + 64 + 256];
    size_t n = 0;
    buf[n++] = (unsigned char)kind;
    if (kind != K_ADDRESS) {
        uint64_t g = (uint64_t)w->generation;
        for (int i = 0; i < 8; i++)
            buf[n++] = (unsigned char)(g >> (8 * i));
    }
    if (kind != K_ACCOUNT) {
        buf[n++] = (unsigned char)alen;
        memcpy(buf + n, addr, alen);
        n += alen;
    }
    if (kind != K_ADDRESS) {
        size_t ul = strnlen(w->username, 256);
        memcpy(buf + n, w->username, ul);
        n += ul;
    }
    unsigned char h[crypto_shorthash_BYTES];
    crypto_shorthash(h, buf, n, hash_key);
    for (int r = 0; r < ROWS; r++)
        out[r] = (uint16_t)(h[2 * r] | h[2 * r + 1] << 8);
}

/* ------------------------------------------------------------------ counts (under lock) */

/* Per-row counts of "cells" in each bucket of the window ending in epoch "e", oldest
 * first ("per[0]" is e - BUCKETS + 1). */
static void window_of(const uint16_t cells[ROWS], int64_t e, uint32_t per[BUCKETS][ROWS])
{
    for (int a = 0; a < BUCKETS; a++) {
        int64_t ea = e - (BUCKETS - 1) + a;
        const struct bucket *b = ea >= 0 ? &buckets[ea % BUCKETS] : NULL;
        for (int r = 0; r < ROWS; r++)
            per[a][r] = b && b->epoch == ea + 1 ? b->c[r][cells[r]] : 0;
    }
}

static uint32_t estimate(uint32_t per[BUCKETS][ROWS], int from)
{
    uint32_t best = UINT32_MAX;
    for (int r = 0; r < ROWS; r++) {
        uint32_t s = 0;
        for (int a = from; a < BUCKETS; a++)
            s += per[a][r];
        if (s < best)
            best = s;
    }
    return best;
}

/* Milliseconds from "now" until the count drops below "limit" (0 when it is below). */
static int64_t wait_below(uint32_t per[BUCKETS][ROWS], uint32_t limit, int64_t e, int64_t now)
{
    for (int from = 0; from <= BUCKETS; from++)
        if (from == BUCKETS || estimate(per, from) < limit) {
            /* buckets before "from" have to leave: the last of them, e-BUCKETS+from, leaves
             * when epoch e+from begins */
            int64_t at = from == 0 ? now : (e + from) * (int64_t)BUCKET_MS;
            return at > now ? at - now : 0;
        }
    return 0; /* not reached */
}

static int64_t pair_delay_ms(uint32_t n)
{
    if (n < THROTTLE_PAIR_FREE)
        return 0;
    uint32_t shift = n - THROTTLE_PAIR_FREE;
    int64_t d = shift > 20 ? (int64_t)THROTTLE_PAIR_CAP_S * 1000 : (int64_t)1000 << shift;
    return d < THROTTLE_PAIR_CAP_S * 1000 ? d : THROTTLE_PAIR_CAP_S * 1000;
}

/* ------------------------------------------------------------------ the interface */

static void say_when(char *out, size_t cap, int64_t seconds)
{
    if (seconds < 60)
        snprintf(out, cap, "%lld 秒", (long long)seconds);
    else
        snprintf(out, cap, "%lld 分钟", (long long)((seconds + 59) / 60));
}

int throttle_reserve(const struct throttle_who *w, int64_t now_ms, struct throttle_ticket *t,
                     struct rerr *err)
{
    CHECK(w->username && w->address && now_ms >= 0);
    pthread_once(&key_once, draw_key);
    memset(t, 0, sizeof *t);
    unsigned char addr[64];
    size_t alen = address_bytes(w->address, addr);
    for (int k = 0; k < K_COUNT; k++)
        cells_of(k, w, addr, alen, t->cell[k]);
    snprintf(t->username, sizeof t->username, "%.64s", w->username);
    text_utf8_repair(t->username); /* a character the copy cut off is dropped */
    snprintf(t->address, sizeof t->address, "%s", w->address);

    int64_t e = now_ms / BUCKET_MS;
    uint32_t pair[BUCKETS][ROWS], address[BUCKETS][ROWS], account[BUCKETS][ROWS];
    pthread_mutex_lock(&lock);
    window_of(t->cell[K_PAIR], e, pair);
    window_of(t->cell[K_ADDRESS], e, address);
    window_of(t->cell[K_ACCOUNT], e, account);
    uint32_t n_pair = estimate(pair, 0);

    /* Each limit's wait; the attempt may go ahead only when all are zero. */
    int64_t wait[K_COUNT] = {0};
    int64_t delay = pair_delay_ms(n_pair);
    if (delay) {
        int64_t last = INT64_MAX;
        for (int r = 0; r < ROWS; r++)
            if (last_fail_ms[r][t->cell[K_PAIR][r]] < last)
                last = last_fail_ms[r][t->cell[K_PAIR][r]];
        wait[K_PAIR] = last + delay > now_ms ? last + delay - now_ms : 0;
    }
    if (!w->grace)
        wait[K_ADDRESS] = wait_below(address, THROTTLE_ADDRESS_MAX, e, now_ms);
    if (n_pair > 0 && estimate(account, 0) >= THROTTLE_ACCOUNT_MAX) {
        int64_t a = wait_below(account, THROTTLE_ACCOUNT_MAX, e, now_ms), p = wait_below(pair, 1, e, now_ms);
        wait[K_ACCOUNT] = a < p ? a : p;
    }
    int worst = K_PAIR;
    for (int k = 0; k < K_COUNT; k++)
        if (wait[k] > wait[worst])
            worst = k;
    if (wait[worst] > 0) {
        pthread_mutex_unlock(&lock);
        int64_t s = (wait[worst] + 999) / 1000;
        char when[32];
        say_when(when, sizeof when, s);
        if (worst == K_ADDRESS)
            rerr_set(err, R_ETHROTTLE, "throttled", "", "此地址登录失败次数过多，请 %s后再试", when);
        else if (worst == K_ACCOUNT)
            rerr_set(err, R_ETHROTTLE, "throttled", "",
                     "此账号近期登录失败次数过多，请 %s后再试，或请管理员解除限制", when);
        else
            rerr_set(err, R_ETHROTTLE, "throttled", "", "登录失败次数过多，请 %s后再试", when);
        if (err)
            err->retry_after = (int)s;
        return R_ETHROTTLE;
    }

    /* Count it now, before the password is looked at. */
    struct bucket *b = &buckets[e % BUCKETS];
    if (b->epoch != e + 1) {
        memset(b->c, 0, sizeof b->c);
        b->epoch = e + 1;
    }
    for (int k = 0; k < K_COUNT; k++)
        for (int r = 0; r < ROWS; r++) {
            uint16_t *c = &b->c[r][t->cell[k][r]];
            if (*c < UINT16_MAX) {
                (*c)++;
                t->counted |= (uint16_t)(1u << (k * ROWS + r));
            }
        }
    for (int r = 0; r < ROWS; r++) {
        int64_t *l = &last_fail_ms[r][t->cell[K_PAIR][r]];
        if (*l < now_ms)
            *l = now_ms;
    }
    pthread_mutex_unlock(&lock);
    t->epoch = e;
    t->open = true;
    return 0;
}

int throttle_begin(store_conn *c, const char *username, const char *address, struct throttle_ticket *t,
                   struct rerr *err)
{
    struct throttle_who w = {.username = username, .address = address ? address : ""};
    store_stmt *st = store_prepare(c, "SELECT generation, unlocked_at FROM login_unlocks WHERE username = ?");
    store_bind_text(st, 1, username);
    int rc = store_step(st, err);
    if (rc == STORE_ROW) {
        w.generation = store_col_int(st, 0);
        int64_t since = (int64_t)time(NULL) - store_col_int(st, 1);
        w.grace = since > -60 && since < THROTTLE_GRACE_MIN * 60; /* a minute of clock skew */
    }
    store_done(st);
    if (rc < 0)
        return rc;
    return throttle_reserve(&w, mono_ms(), t, err);
}

void throttle_end(struct throttle_ticket *t, bool success)
{
    if (!t->open)
        return;
    t->open = false;
    if (!success) {
        log_warn("登录失败：用户名「%s」，地址 %s", t->username, t->address[0] ? t->address : "未知");
        return;
    }
    pthread_mutex_lock(&lock);
    struct bucket *b = &buckets[t->epoch % BUCKETS];
    if (b->epoch == t->epoch + 1) /* else the bucket has left the window, and its counts */
        for (int k = 0; k < K_COUNT; k++)
            for (int r = 0; r < ROWS; r++) {
                uint16_t *c = &b->c[r][t->cell[k][r]];
                if (t->counted & (1u << (k * ROWS + r)) && *c > 0)
                    (*c)--;
            }
    pthread_mutex_unlock(&lock);
}

int throttle_unlock(store_conn *c, const struct actor *who, int64_t user_id, json_t **out, struct rerr *err)
{
    int rc = store_begin(c, err);
    if (rc < 0)
        return rc;
    store_stmt *st = store_prepare(c, "SELECT username, procuratorate_id FROM users WHERE id = ?");
    store_bind_int(st, 1, user_id);
    rc = store_step(st, err);
    char username[128] = "";
    int64_t proc = 0;
    if (rc == STORE_ROW) {
        snprintf(username, sizeof username, "%s", store_col_text(st, 0));
        proc = store_col_int(st, 1);
    }
    store_done(st);
    if (rc == STORE_DONE)
        rc = rerr_set(err, R_ENOTFOUND, "not_found", "", "用户不存在");
    if (rc < 0)
        goto fail;
    st = store_prepare(c, "INSERT INTO login_unlocks(username, generation, unlocked_at) VALUES (?, 1, ?)"
                          " ON CONFLICT(username) DO UPDATE SET generation = generation + 1,"
                          " unlocked_at = excluded.unlocked_at RETURNING generation");
    store_bind_text(st, 1, username);
    store_bind_int(st, 2, (int64_t)time(NULL));
    rc = store_step(st, err);
    int64_t generation = rc == STORE_ROW ? store_col_int(st, 0) : 0;
    store_done(st);
    if (rc < 0)
        goto fail;
    json_t *after = json_pack("{s:s, s:I}", "username", username, "generation", (json_int_t)generation);
    if (!after) {
        rc = rerr_set(err, R_EINTERNAL, "internal", "", "内存不足");
        goto fail;
    }
    rc = audit_append(c, who, "unlock", "users", user_id, proc, NULL, after, err);
    if (rc == 0)
        rc = store_commit(c, err);
    if (rc < 0) {
        json_decref(after);
        goto fail;
    }
    if (out)
        *out = json_pack("{s:I, s:s, s:I}", "id", (json_int_t)user_id, "username", username, "generation",
                         (json_int_t)generation);
    json_decref(after);
    return 0;
fail:
    store_rollback(c);
    return rc;
}

void throttle_reset(void)
{
    pthread_once(&key_once, draw_key);
    pthread_mutex_lock(&lock);
    memset(buckets, 0, sizeof buckets);
    memset(last_fail_ms, 0, sizeof last_fail_ms);
    draw_key();
    pthread_mutex_unlock(&lock);
}
