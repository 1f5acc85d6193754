/* Unit tests for src/http/cache.c: a full cache evicts within its budget, and a scan of
 * one-time keys does not push out what is read often. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "http/cache.h"

/* Answers of a size between the branch list and a page of members: 256 of them fill the
 * budget, far fewer than there are entries, so it is the bytes that run out. */
#define BODY (32 * 1024)

static char body[CACHE_ENTRY_MAX];

/* Freshness as the server decides it: the tag's generation must be the current one. */
static uint64_t current_gen = 1;
static bool fresh(void *arg, const struct cache_tag *tag)
{
    (void)arg;
    return tag->gen == current_gen;
}

static struct cache_tag tag_now(void)
{
    return (struct cache_tag){.gen = current_gen};
}

static bool cached(const char *key)
{
    struct cached_body *b = cache_get(key, fresh, NULL);
    if (!b)
        return false;
    size_t len;
    const char *data = cache_body(b, &len);
    bool same = len <= sizeof body && !memcmp(data, body, len);
    cache_unref(b);
    assert_true(same);
    return true;
}

static void put(const char *key)
{
    struct cache_tag t = tag_now();
    cache_put(key, &t, body, BODY);
}

static size_t cache_bytes(void)
{
    size_t bytes, n;
    cache_usage(&bytes, &n);
    assert_true(n <= CACHE_ENTRIES);
    return bytes;
}

/* Put "n" keys "prefix i" (each read right after when "hot"), within the budget at
 * every step. */
static void fill(const char *prefix, size_t n, bool hot)
{
    char key[64];
    for (size_t i = 0; i < n; i++) {
        snprintf(key, sizeof key, "%s%zu", prefix, i);
        if (!hot)
            assert_false(cached(key)); /* the server asks first, then keeps the answer */
        put(key);
        if (hot)
            assert_true(cached(key));
        assert_true(cache_bytes() <= CACHE_BYTES);
    }
}

static int setup(void **state)
{
    (void)state;
    cache_clear();
    current_gen = 1;
    memset(body, 'x', sizeof body);
    return 0;
}

/* Past its budget the cache still takes new answers (the old one refused every new
 * entry once full), and never holds more than the budget. */
static void full_cache_keeps_caching(void **state)
{
    (void)state;
    fill("1 fill ", 2 * CACHE_BYTES / BODY, false);
    assert_true(cache_bytes() > CACHE_BYTES / 2); /* it did fill */
    put("1 after-full");
    assert_true(cached("1 after-full"));
    assert_true(cached("1 after-full"));
}

/* An answer read often survives a scan of ten times the budget in keys read once, and
 * an answer read often after the scan is cached too. */
static void hot_entry_survives_scan(void **state)
{
    (void)state;
    put("1 /api/v1/branches");
    for (int i = 0; i < 3; i++)
        assert_true(cached("1 /api/v1/branches"));
    fill("1 /api/v1/branches?page=", 10 * CACHE_BYTES / BODY, false);
    assert_true(cached("1 /api/v1/branches"));
    put("1 /api/v1/members?page=2");
    for (int i = 0; i < 3; i++)
        assert_true(cached("1 /api/v1/members?page=2"));
    assert_true(cached("1 /api/v1/branches"));
}

/* Many answers read often: the protected part keeps its share, the rest goes back to
 * probation and out, and the budget holds. */
static void many_hot_entries_stay_within_budget(void **state)
{
    (void)state;
    size_t n = 2 * CACHE_BYTES / BODY;
    fill("2 hot ", n, true);
    char key[64]; /* the most recent of them are still there */
    snprintf(key, sizeof key, "2 hot %zu", n - 1);
    assert_true(cached(key));
}

/* A stale entry (freshness test or expiry) is never served, and is dropped. */
static void stale_entries_are_dropped(void **state)
{
    (void)state;
    put("3 a");
    assert_true(cached("3 a"));
    size_t before = cache_bytes();
    current_gen++;
    assert_false(cached("3 a"));
    assert_true(cache_bytes() < before);
    struct cache_tag t = {.gen = current_gen, .expires = (int64_t)time(NULL) - 1};
    cache_put("3 b", &t, body, BODY);
    assert_false(cached("3 b"));
    t.expires = (int64_t)time(NULL) + 3600;
    cache_put("3 c", &t, body, BODY);
    assert_true(cached("3 c"));
}

/* One key holds one entry; a body larger than CACHE_ENTRY_MAX is not kept and takes
 * away what the key held. */
static void replace_and_oversize(void **state)
{
    (void)state;
    put("4 k");
    size_t one = cache_bytes();
    put("4 k");
    assert_int_equal(cache_bytes(), one);
    size_t bytes, n;
    cache_usage(&bytes, &n);
    assert_int_equal(n, 1);
    static char big[CACHE_ENTRY_MAX + 1];
    struct cache_tag t = tag_now();
    cache_put("4 k", &t, big, sizeof big);
    assert_false(cached("4 k"));
    cache_usage(&bytes, &n);
    assert_int_equal(n, 0);
}

/* A body handed out stays valid after its entry has been evicted. */
static void body_outlives_its_entry(void **state)
{
    (void)state;
    put("5 held");
    struct cached_body *b = cache_get("5 held", fresh, NULL);
    assert_non_null(b);
    fill("5 scan ", 3 * CACHE_BYTES / BODY, false);
    cache_clear();
    size_t len;
    const char *data = cache_body(b, &len);
    assert_int_equal(len, BODY);
    assert_memory_equal(data, body, len);
    cache_unref(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(full_cache_keeps_caching, setup),
        cmocka_unit_test_setup(hot_entry_survives_scan, setup),
        cmocka_unit_test_setup(many_hot_entries_stay_within_budget, setup),
        cmocka_unit_test_setup(stale_entries_are_dropped, setup),
        cmocka_unit_test_setup(replace_and_oversize, setup),
        cmocka_unit_test_setup(body_outlives_its_entry, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
