/* Unit tests for src/auth/throttle.c: the pair delays, the address and account budgets,
 * the window, refunds, unlock generations, and that neither pressure nor concurrency
 * empties it. Time is passed in (milliseconds), so nothing here sleeps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth/throttle.h"

#define T0 1000000000LL /* an arbitrary monotonic start */
#define MIN (60 * 1000LL)

static int try_at(const char *user, const char *addr, int64_t now, struct rerr *e)
{
    struct throttle_who w = {.username = user, .address = addr};
    struct throttle_ticket t;
    rerr_clear(e);
    return throttle_reserve(&w, now, &t, e); /* never ended: a failure */
}

static int succeed_at(const char *user, const char *addr, int64_t now)
{
    struct throttle_who w = {.username = user, .address = addr};
    struct throttle_ticket t;
    struct rerr e;
    int rc = throttle_reserve(&w, now, &t, &e);
    if (rc == 0)
        throttle_end(&t, true);
    return rc;
}

static int setup(void **state)
{
    (void)state;
    throttle_reset();
    return 0;
}

static void pair_delays_grow_and_cap(void **state)
{
    (void)state;
    struct rerr e;
    int64_t now = T0;
    for (int i = 0; i < THROTTLE_PAIR_FREE; i++)
        assert_int_equal(try_at("zhang", "192.0.2.1", now, &e), 0);
    assert_int_equal(try_at("zhang", "192.0.2.1", now, &e), R_ETHROTTLE);
    assert_string_equal(e.code, "throttled");
    assert_int_equal(e.retry_after, 1);
    assert_non_null(strstr(e.message, "1 秒后再试"));
    /* The owner elsewhere, and the guesser on another account, are not held up. */
    assert_int_equal(try_at("zhang", "198.51.100.7", now, &e), 0);
    assert_int_equal(try_at("li", "192.0.2.1", now, &e), 0);
    /* 1 s, 2 s, 4 s … after each failure, then 300 s at most. */
    int64_t delay = 1000;
    for (int n = THROTTLE_PAIR_FREE; n < 15; n++) {
        assert_int_equal(try_at("zhang", "192.0.2.1", now + delay - 1, &e), R_ETHROTTLE);
        assert_int_equal(e.retry_after, 1);
        now += delay;
        assert_int_equal(try_at("zhang", "192.0.2.1", now, &e), 0);
        delay = delay * 2 > THROTTLE_PAIR_CAP_S * 1000 ? THROTTLE_PAIR_CAP_S * 1000 : delay * 2;
    }
    assert_int_equal(try_at("zhang", "192.0.2.1", now, &e), R_ETHROTTLE);
    assert_int_equal(e.retry_after, THROTTLE_PAIR_CAP_S);
    assert_non_null(strstr(e.message, "5 分钟后再试"));
}

static void success_gives_its_count_back(void **state)
{
    (void)state;
    struct rerr e;
    for (int i = 0; i < 3 * THROTTLE_ADDRESS_MAX; i++)
        assert_int_equal(succeed_at("wang", "192.0.2.2", T0 + i), 0);
    for (int i = 0; i < THROTTLE_PAIR_FREE; i++)
        assert_int_equal(try_at("wang", "192.0.2.2", T0 + 100, &e), 0);
    assert_int_equal(try_at("wang", "192.0.2.2", T0 + 100, &e), R_ETHROTTLE);
}

static void address_budget_across_accounts(void **state)
{
    (void)state;
    struct rerr e;
    char user[32];
    for (int i = 0; i < THROTTLE_ADDRESS_MAX; i++) {
        snprintf(user, sizeof user, "guess%d", i);
        assert_int_equal(try_at(user, "203.0.113.9", T0, &e), 0);
    }
    assert_int_equal(try_at("another", "203.0.113.9", T0, &e), R_ETHROTTLE);
    assert_non_null(strstr(e.message, "此地址"));
    assert_in_range(e.retry_after, THROTTLE_WINDOW_MIN * 60, (THROTTLE_WINDOW_MIN + 3) * 60);
    assert_int_equal(try_at("another", "203.0.113.10", T0, &e), 0);
    /* After an unlock the account may be tried from there (grace). */
    struct throttle_who w = {.username = "another", .address = "203.0.113.9", .generation = 1, .grace = true};
    struct throttle_ticket t;
    assert_int_equal(throttle_reserve(&w, T0, &t, &e), 0);
    /* Only time lifts it: still there 15 minutes on, gone once its bucket has left. */
    assert_int_equal(try_at("another", "203.0.113.9", T0 + THROTTLE_WINDOW_MIN * MIN, &e), R_ETHROTTLE);
    assert_int_equal(try_at("another", "203.0.113.9", T0 + (THROTTLE_WINDOW_MIN + 3) * MIN + 1, &e), 0);
}

static void account_budget_spares_clean_addresses(void **state)
{
    (void)state;
    struct rerr e;
    char addr[32];
    int per = THROTTLE_PAIR_FREE - 1; /* each address below its pair limit */
    int n = 0;
    for (int a = 0; n < THROTTLE_ACCOUNT_MAX; a++)
        for (int i = 0; i < per && n < THROTTLE_ACCOUNT_MAX; i++, n++) {
            snprintf(addr, sizeof addr, "198.18.0.%d", a);
            assert_int_equal(try_at("admin", addr, T0, &e), 0);
        }
    assert_int_equal(try_at("admin", "198.18.0.0", T0, &e), R_ETHROTTLE);
    assert_non_null(strstr(e.message, "此账号"));
    /* The owner, at an address with no failure for the account, still gets to try. */
    assert_int_equal(succeed_at("admin", "192.0.2.50", T0), 0);
    assert_int_equal(succeed_at("admin", "192.0.2.50", T0), 0);
    /* A new address gets one try, not more. */
    assert_int_equal(try_at("admin", "192.0.2.51", T0, &e), 0);
    assert_int_equal(try_at("admin", "192.0.2.51", T0, &e), R_ETHROTTLE);
    /* Other accounts are not affected. */
    assert_int_equal(try_at("viewer", "198.18.0.0", T0, &e), 0);
}

static void unlock_generation_starts_afresh(void **state)
{
    (void)state;
    struct rerr e;
    for (int i = 0; i < THROTTLE_PAIR_FREE; i++)
        assert_int_equal(try_at("zhao", "192.0.2.3", T0, &e), 0);
    assert_int_equal(try_at("zhao", "192.0.2.3", T0, &e), R_ETHROTTLE);
    struct throttle_who w = {.username = "zhao", .address = "192.0.2.3", .generation = 1};
    struct throttle_ticket t;
    assert_int_equal(throttle_reserve(&w, T0, &t, &e), 0);
    throttle_end(&t, true);
}

static void ipv6_counts_by_its_64(void **state)
{
    (void)state;
    struct rerr e;
    for (int i = 0; i < THROTTLE_PAIR_FREE; i++)
        assert_int_equal(try_at("sun", "2001:db8:1:2::1", T0, &e), 0);
    assert_int_equal(try_at("sun", "2001:db8:1:2:ffff:ffff:ffff:ffff", T0, &e), R_ETHROTTLE);
    assert_int_equal(try_at("sun", "2001:db8:1:3::1", T0, &e), 0);
    /* IPv4-mapped IPv6 is the IPv4 address. */
    for (int i = 0; i < THROTTLE_PAIR_FREE; i++)
        assert_int_equal(try_at("zhou", "192.0.2.4", T0, &e), 0);
    assert_int_equal(try_at("zhou", "::ffff:192.0.2.4", T0, &e), R_ETHROTTLE);
}

/* A refund never takes from the bucket that reused its slot. */
static void refund_after_the_bucket_left(void **state)
{
    (void)state;
    struct rerr e;
    struct throttle_who w = {.username = "wu", .address = "192.0.2.5"};
    struct throttle_ticket old;
    assert_int_equal(throttle_reserve(&w, T0, &old, &e), 0);
    int64_t later = T0 + 18 * MIN; /* six buckets on: the same slot, a new epoch */
    for (int i = 0; i < THROTTLE_PAIR_FREE; i++)
        assert_int_equal(try_at("wu", "192.0.2.5", later, &e), 0);
    throttle_end(&old, true);
    assert_int_equal(try_at("wu", "192.0.2.5", later, &e), R_ETHROTTLE);
}

/* Pressure from elsewhere cannot make it forget: the sketch never evicts. */
static void pressure_does_not_empty_it(void **state)
{
    (void)state;
    struct rerr e;
    for (int i = 0; i < THROTTLE_PAIR_FREE; i++)
        assert_int_equal(try_at("target", "192.0.2.6", T0, &e), 0);
    char user[32], addr[32];
    for (int i = 0; i < 20000; i++) {
        snprintf(user, sizeof user, "crafted-%d", i);
        snprintf(addr, sizeof addr, "10.%d.%d.%d", i >> 16 & 255, i >> 8 & 255, i & 255);
        try_at(user, addr, T0 + 10, &e);
    }
    assert_int_equal(try_at("target", "192.0.2.6", T0 + 20, &e), R_ETHROTTLE);
    /* and the over-count it causes for others stays small */
    int spared = 0;
    for (int i = 0; i < 100; i++) {
        snprintf(user, sizeof user, "bystander-%d", i);
        snprintf(addr, sizeof addr, "172.16.0.%d", i);
        spared += succeed_at(user, addr, T0 + 20) == 0;
    }
    assert_true(spared >= 95);
}

/* 40 attempts at once: the check and the count are one step, so exactly 5 get through. */
#define RACERS 40
static pthread_barrier_t start;
static int passed;
static pthread_mutex_t passed_lock = PTHREAD_MUTEX_INITIALIZER;

static void *racer(void *arg)
{
    (void)arg;
    struct rerr e;
    pthread_barrier_wait(&start);
    if (try_at("race", "192.0.2.7", T0, &e) == 0) {
        pthread_mutex_lock(&passed_lock);
        passed++;
        pthread_mutex_unlock(&passed_lock);
    }
    return NULL;
}

static void concurrent_attempts_cannot_all_pass(void **state)
{
    (void)state;
    pthread_t th[RACERS];
    passed = 0;
    pthread_barrier_init(&start, NULL, RACERS);
    for (int i = 0; i < RACERS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, racer, NULL), 0);
    for (int i = 0; i < RACERS; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&start);
    assert_int_equal(passed, THROTTLE_PAIR_FREE);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(pair_delays_grow_and_cap, setup),
        cmocka_unit_test_setup(success_gives_its_count_back, setup),
        cmocka_unit_test_setup(address_budget_across_accounts, setup),
        cmocka_unit_test_setup(account_budget_spares_clean_addresses, setup),
        cmocka_unit_test_setup(unlock_generation_starts_afresh, setup),
        cmocka_unit_test_setup(ipv6_counts_by_its_64, setup),
        cmocka_unit_test_setup(refund_after_the_bucket_left, setup),
        cmocka_unit_test_setup(pressure_does_not_empty_it, setup),
        cmocka_unit_test_setup(concurrent_attempts_cannot_all_pass, setup),
    };
    return cmocka_run_group_tests_name("auth/throttle", tests, NULL, NULL);
}
