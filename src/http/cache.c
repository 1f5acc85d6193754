/*
 * A fixed table of slots, each behind one of a few striped locks; a new entry replaces
 * whatever occupied its slot. Stale generations are dropped when met.
 */
#include "http/cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"

#define SLOTS 2048
#define STRIPES 32

struct entry {
    char *key;
    uint64_t gen;
    char *body;
    size_t len;
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

static void drop(struct entry *e)
{
    if (!e->key)
        return;
    atomic_fetch_sub(&used, e->len);
    free(e->key);
    free(e->body);
    memset(e, 0, sizeof *e);
}

char *cache_get(const char *key, uint64_t gen, size_t *len)
{
    size_t i = hash(key) % SLOTS;
    pthread_mutex_t *l = &locks[i % STRIPES];
    char *copy = NULL;
    pthread_mutex_lock(l);
    struct entry *e = &slots[i];
    if (e->key && e->gen != gen) {
        drop(e);
    } else if (e->key && !strcmp(e->key, key)) {
        copy = malloc(e->len ? e->len : 1);
        if (!copy)
            die("内存不足");
        memcpy(copy, e->body, e->len);
        *len = e->len;
    }
    pthread_mutex_unlock(l);
    return copy;
}

void cache_put(const char *key, uint64_t gen, const char *body, size_t len)
{
    if (len > CACHE_ENTRY_MAX || atomic_load(&used) + len > CACHE_BYTES)
        return;
    char *k = strdup(key), *b = malloc(len ? len : 1);
    if (!k || !b)
        die("内存不足");
    memcpy(b, body, len);
    size_t i = hash(key) % SLOTS;
    pthread_mutex_t *l = &locks[i % STRIPES];
    pthread_mutex_lock(l);
    drop(&slots[i]);
    slots[i] = (struct entry){.key = k, .gen = gen, .body = b, .len = len};
    atomic_fetch_add(&used, len);
    pthread_mutex_unlock(l);
}
