/*
 * cache: answers to GET requests, kept while the store's generation stays the same
 * (store_generation: any commit, here or by another process, changes it). Keyed by
 * the reader and the full URL, so one user's answer is never given to another.
 * Bounded: at most CACHE_BYTES of bodies; an entry larger than CACHE_ENTRY_MAX is not
 * kept. Thread-safe.
 */
#ifndef RONGHE_CACHE_H
#define RONGHE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#define CACHE_BYTES (8u << 20)
#define CACHE_ENTRY_MAX (256u << 10)

/* A body kept in the cache, shared by the answers that send it. */
struct cached_body;

/* The body cached under "key" at generation "gen" (with a reference the caller must
 * give back with cache_unref), or NULL. */
struct cached_body *cache_get(const char *key, uint64_t gen);
const char *cache_body(const struct cached_body *b, size_t *len);
void cache_unref(void *b); /* void *: usable as a free callback */
/* Keep a copy of "body". */
void cache_put(const char *key, uint64_t gen, const char *body, size_t len);

#endif
