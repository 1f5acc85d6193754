/*
 * A fixed table of slots, each behind one of a few striped locks; a new entry replaces
 * whatever occupied its slot. Stale generations are dropped when met. A body is
 * reference-counted: an answer being sent keeps it alive after the cache lets go.
 */
#include "http/cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"

#define SLOTS 2048
#define STRIPES 32

struct cached_body {
    _Atomic int refs;
    size_t len;
    char data[];
};

struct entry {
    char *key;
    uint64_t gen;
    struct cached_body *body;
};

static struct entry slots[SLOTS];
static pthread_mutex_t locks[STRIPES] = {[0 ... STRIPES - 1] = PTHREAD_MUTEX_INITIALIZER};
static _Atomic size_t used;

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

void cache_unref(void *p)
{
    struct cached_body *b = p;
    if (b && atomic_fetch_sub(&b->refs, 1) == 1) {
        atomic_fetch_sub(&used, b->len);
        free(b);
    }
}

const char *cache_body(const struct cached_body *b, size_t *len)
{
    *len = b->len;
    return b->data;
}

static void drop(struct entry *e)
{
    if (!e->key)
        return;
    free(e->key);
    cache_unref(e->body);
    memset(e, 0, sizeof *e);
}

struct cached_body *cache_get(const char *key, uint64_t gen)
{
    size_t i = hash(key) % SLOTS;
    pthread_mutex_t *l = &locks[i % STRIPES];
    struct cached_body *b = NULL;
    pthread_mutex_lock(l);
    struct entry *e = &slots[i];
    if (e->key && e->gen != gen) {
        drop(e);
    } else if (e->key && !strcmp(e->key, key)) {
        b = e->body;
        atomic_fetch_add(&b->refs, 1);
    }
    pthread_mutex_unlock(l);
    return b;
}

void cache_put(const char *key, uint64_t gen, const char *body, size_t len)
{
    if (len > CACHE_ENTRY_MAX || atomic_load(&used) + len > CACHE_BYTES)
        return;
    char *k = strdup(key);
    struct cached_body *b = malloc(sizeof *b + len);
    if (!k || !b)
        die("内存不足");
    atomic_init(&b->refs, 1); /* the cache's own reference */
    b->len = len;
    memcpy(b->data, body, len);
    atomic_fetch_add(&used, len);
    size_t i = hash(key) % SLOTS;
    pthread_mutex_t *l = &locks[i % STRIPES];
    pthread_mutex_lock(l);
    drop(&slots[i]);
    slots[i] = (struct entry){.key = k, .gen = gen, .body = b};
    pthread_mutex_unlock(l);
}
