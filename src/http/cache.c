/*
 * A fixed pool of CACHE_ENTRIES entries, found through a hash table of chains (SipHash
 * with a key drawn at start, so no client can choose collisions), and kept in one of two
 * lists, all under one lock (every operation is a lookup and a few pointer moves; the
 * bodies are copied outside it):
 *
 * - probation: new entries, oldest first. When room is needed the oldest one here goes.
 * - protected: entries read again while on probation. A hit only sets the entry's
 *   reference bit (no list move). While the protected part holds more than its share of
 *   the budget, the CLOCK hand passes over its oldest entry: set, the bit is cleared and
 *   the entry goes round again; clear, the entry is moved back to probation (newest), from
 *   where it is evicted only if it is not read again before its turn.
 *
 * So a scan of one-time URLs churns probation only, and an answer read often stays. An
 * entry found stale (the caller's freshness test, or its expiry) is dropped where it is
 * met; stale entries nobody asks for again lose their bit and age out the same way.
 *
 * A body is reference-counted: an answer being sent keeps it alive after the cache lets
 * go. The budget counts what the cache holds (bodies and keys), not bodies still being
 * sent after their entry went (those are bounded by the connections).
 */
#include "http/cache.h"

#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"

#define BUCKETS 16384 /* a power of two, twice CACHE_ENTRIES */
#define NONE (-1)
#define PROTECTED_BUDGET ((size_t)CACHE_BYTES / 100 * CACHE_PROTECTED_PCT)

struct cached_body {
    _Atomic int refs;
    size_t len;
    char data[];
};

enum segment { SEG_FREE, SEG_PROBATION, SEG_PROTECTED };

struct entry {
    char *key;
    uint64_t hash;
    struct cache_tag tag;
    struct cached_body *body;
    size_t cost;          /* body and key bytes, as counted against CACHE_BYTES */
    int chain;            /* next entry in the same bucket */
    int prev, next;       /* neighbours in its segment's list (free: next only) */
    enum segment segment; /* which list it is on */
    bool ref;             /* protected: read since the hand last passed */
};

struct list {
    int head, tail; /* oldest, newest */
    size_t bytes, n;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static unsigned char hash_key[crypto_shorthash_KEYBYTES];
static struct entry entries[CACHE_ENTRIES];
static int buckets[BUCKETS];
static struct list lists[3]; /* by enum segment */

static void init(void)
{
    if (sodium_init() < 0)
        die("libsodium 初始化失败");
    randombytes_buf(hash_key, sizeof hash_key);
    for (int i = 0; i < BUCKETS; i++)
        buckets[i] = NONE;
    for (int s = 0; s < 3; s++)
        lists[s] = (struct list){.head = NONE, .tail = NONE};
    for (int i = CACHE_ENTRIES - 1; i >= 0; i--) { /* every entry on the free list */
        entries[i] = (struct entry){.chain = NONE, .prev = NONE, .next = lists[SEG_FREE].head};
        lists[SEG_FREE].head = i;
    }
    lists[SEG_FREE].n = CACHE_ENTRIES;
}

static uint64_t hash(const char *key)
{
    unsigned char h[crypto_shorthash_BYTES];
    crypto_shorthash(h, (const unsigned char *)key, strlen(key), hash_key);
    uint64_t v;
    memcpy(&v, h, sizeof v);
    return v;
}

void cache_unref(void *p)
{
    struct cached_body *b = p;
    if (b && atomic_fetch_sub(&b->refs, 1) == 1)
        free(b);
}

const char *cache_body(const struct cached_body *b, size_t *len)
{
    *len = b->len;
    return b->data;
}

/* ---------------------------------------------------------------- lists (lock held) */

static void list_remove(int i)
{
    struct entry *e = &entries[i];
    struct list *l = &lists[e->segment];
    if (e->prev != NONE)
        entries[e->prev].next = e->next;
    else
        l->head = e->next;
    if (e->next != NONE)
        entries[e->next].prev = e->prev;
    else
        l->tail = e->prev;
    l->bytes -= e->cost;
    l->n--;
    e->prev = e->next = NONE;
}

/* Append "i" (on no list) to segment "s" as its newest. */
static void list_append(int i, enum segment s)
{
    struct entry *e = &entries[i];
    struct list *l = &lists[s];
    e->segment = s;
    e->prev = l->tail;
    e->next = NONE;
    if (l->tail != NONE)
        entries[l->tail].next = i;
    else
        l->head = i;
    l->tail = i;
    l->bytes += e->cost;
    l->n++;
}

static int find(const char *key, uint64_t h)
{
    for (int i = buckets[h & (BUCKETS - 1)]; i != NONE; i = entries[i].chain)
        if (entries[i].hash == h && !strcmp(entries[i].key, key))
            return i;
    return NONE;
}

/* Take entry "i" out of the cache and give it back to the free list. */
static void drop(int i)
{
    struct entry *e = &entries[i];
    int *p = &buckets[e->hash & (BUCKETS - 1)];
    while (*p != i)
        p = &entries[*p].chain;
    *p = e->chain;
    list_remove(i);
    free(e->key);
    cache_unref(e->body);
    *e = (struct entry){.chain = NONE, .prev = NONE, .next = lists[SEG_FREE].head};
    lists[SEG_FREE].head = i;
    lists[SEG_FREE].n++;
}

/* One step of the CLOCK over the protected part: its oldest entry goes round again if
 * it was read since the last pass, else back to probation. */
static void clock_step(void)
{
    int i = lists[SEG_PROTECTED].head;
    list_remove(i);
    if (entries[i].ref) {
        entries[i].ref = false;
        list_append(i, SEG_PROTECTED);
    } else {
        list_append(i, SEG_PROBATION);
    }
}

static void keep_protected_within_share(void)
{
    while (lists[SEG_PROTECTED].bytes > PROTECTED_BUDGET)
        clock_step();
}

/* Evict until "cost" more bytes and one more entry fit. */
static void make_room(size_t cost)
{
    while (lists[SEG_PROBATION].bytes + lists[SEG_PROTECTED].bytes + cost > CACHE_BYTES ||
           lists[SEG_FREE].head == NONE) {
        while (lists[SEG_PROBATION].head == NONE) /* everything protected: demote */
            clock_step();
        drop(lists[SEG_PROBATION].head);
    }
}

/* ---------------------------------------------------------------- the interface */

struct cached_body *cache_get(const char *key, cache_fresh_fn *fresh, void *arg)
{
    pthread_once(&once, init);
    uint64_t h = hash(key);
    time_t now = time(NULL);
    struct cached_body *b = NULL;
    pthread_mutex_lock(&lock);
    int i = find(key, h);
    if (i != NONE) {
        struct entry *e = &entries[i];
        if ((e->tag.expires && now >= e->tag.expires) || !fresh(arg, &e->tag)) {
            drop(i);
        } else {
            b = e->body;
            atomic_fetch_add(&b->refs, 1);
            if (e->segment == SEG_PROBATION) { /* seen again: promoted */
                list_remove(i);
                e->ref = false;
                list_append(i, SEG_PROTECTED);
                keep_protected_within_share();
            } else {
                e->ref = true;
            }
        }
    }
    pthread_mutex_unlock(&lock);
    return b;
}

void cache_put(const char *key, const struct cache_tag *tag, const char *body, size_t len)
{
    pthread_once(&once, init);
    size_t klen = strlen(key);
    size_t cost = len + klen + 1;
    uint64_t h = hash(key);
    if (len > CACHE_ENTRY_MAX || cost > CACHE_BYTES) {
        pthread_mutex_lock(&lock); /* whatever "key" held is older than this answer */
        int old = find(key, h);
        if (old != NONE)
            drop(old);
        pthread_mutex_unlock(&lock);
        return;
    }
    char *k = malloc(klen + 1);
    struct cached_body *b = malloc(sizeof *b + len);
    if (!k || !b)
        die("内存不足");
    memcpy(k, key, klen + 1);
    atomic_init(&b->refs, 1); /* the cache's own reference */
    b->len = len;
    memcpy(b->data, body, len);
    pthread_mutex_lock(&lock);
    /* A key already cached keeps its standing: an answer read often and recomputed after
     * a write stays protected. */
    enum segment s = SEG_PROBATION;
    int old = find(key, h);
    if (old != NONE) {
        s = entries[old].segment;
        drop(old);
    }
    make_room(cost);
    int i = lists[SEG_FREE].head;
    lists[SEG_FREE].head = entries[i].next;
    lists[SEG_FREE].n--;
    entries[i] = (struct entry){.key = k, .hash = h, .tag = *tag, .body = b, .cost = cost};
    entries[i].chain = buckets[h & (BUCKETS - 1)];
    buckets[h & (BUCKETS - 1)] = i;
    list_append(i, s);
    if (s == SEG_PROTECTED)
        keep_protected_within_share();
    pthread_mutex_unlock(&lock);
}

void cache_usage(size_t *bytes, size_t *n)
{
    pthread_once(&once, init);
    pthread_mutex_lock(&lock);
    *bytes = lists[SEG_PROBATION].bytes + lists[SEG_PROTECTED].bytes;
    *n = lists[SEG_PROBATION].n + lists[SEG_PROTECTED].n;
    pthread_mutex_unlock(&lock);
}

void cache_clear(void)
{
    pthread_once(&once, init);
    pthread_mutex_lock(&lock);
    while (lists[SEG_PROBATION].head != NONE)
        drop(lists[SEG_PROBATION].head);
    while (lists[SEG_PROTECTED].head != NONE)
        drop(lists[SEG_PROTECTED].head);
    pthread_mutex_unlock(&lock);
}
