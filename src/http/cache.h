/*
 * cache: answers to GET requests, each kept with what it depends on (struct cache_tag:
 * the store's generation when its reads began and the tables they read, and when it
 * expires) and served while the caller's freshness test says nothing it read has changed
 * since. Keyed by the reader and the full URL, so one user's answer is never given to
 * another.
 *
 * Bounded: at most CACHE_BYTES of bodies and keys and CACHE_ENTRIES entries; an entry
 * larger than CACHE_ENTRY_MAX is not kept. A full cache evicts, and a scan of URLs read
 * once cannot push out what is read often: a new entry starts on probation and is
 * evicted first; one read again while cached is promoted to the protected part (at most
 * CACHE_PROTECTED_PCT of the budget), which is managed as a CLOCK (a reference bit per
 * entry, cleared as the hand passes) and overflows back into probation, never straight
 * out. Thread-safe.
 */
#ifndef RONGHE_CACHE_H
#define RONGHE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CACHE_BYTES (8u << 20)
#define CACHE_ENTRY_MAX (256u << 10)
#define CACHE_ENTRIES 8192
#define CACHE_PROTECTED_PCT 80

/* What a cached answer depends on. "gen" and "tables" are opaque here (the store's
 * generation before the reads, and the set of tables read: store.h); "expires" is a
 * time (seconds since the epoch) from which the answer is stale whatever else holds, or
 * 0 for none. */
struct cache_tag {
    uint64_t gen;
    uint64_t tables;
    int64_t expires;
};

/* Whether an answer tagged "tag" is still current. Called with the cache's lock held:
 * must not block nor call back into the cache. */
typedef bool cache_fresh_fn(void *arg, const struct cache_tag *tag);

/* A body kept in the cache, shared by the answers that send it. */
struct cached_body;

/* The body cached under "key" (with a reference the caller must give back with
 * cache_unref), or NULL. An entry "fresh" finds stale, or past its expiry, is dropped. */
struct cached_body *cache_get(const char *key, cache_fresh_fn *fresh, void *arg);
const char *cache_body(const struct cached_body *b, size_t *len);
void cache_unref(void *b); /* void *: usable as a free callback */
/* Keep a copy of "body" under "key" with "tag", replacing what "key" held, evicting
 * others as the budget requires. */
void cache_put(const char *key, const struct cache_tag *tag, const char *body, size_t len);

/* The bytes (bodies and keys) and the entries the cache holds now; for tests and logs. */
void cache_usage(size_t *bytes, size_t *entries);
/* Drop everything (tests). */
void cache_clear(void);

#endif
