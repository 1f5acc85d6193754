/* Unit tests for src/http/proxy.c: the trusted list and whose X-Forwarded-For is believed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <string.h>

#include "http/proxy.h"

static const char *client(const char *peer, int n, const char *const *xff)
{
    static char out[64];
    proxy_client(peer, xff, n, out);
    return out;
}

static void the_list(void **state)
{
    (void)state;
    struct rerr e;
    assert_int_equal(proxy_trust("127.0.0.1, 10.0.0.0/8,fd00::/8 ,::1", &e), 0);
    assert_true(proxy_trusted("127.0.0.1"));
    assert_false(proxy_trusted("127.0.0.2"));
    assert_true(proxy_trusted("10.255.1.2"));
    assert_false(proxy_trusted("11.0.0.1"));
    assert_true(proxy_trusted("fd12::1"));
    assert_true(proxy_trusted("::1"));
    assert_true(proxy_trusted("::ffff:10.1.1.1")); /* IPv4-mapped is IPv4 */
    assert_false(proxy_trusted("not an address"));
    const char *bad[] = {"10.0.0.0/33", "10.0.0.1/", "10.0.0.1/x",       "::/129",    "proxy.example",
                         "1.2.3.4,",    ",1.2.3.4",  "1.2.3.4,,5.6.7.8", "256.1.1.1", "10.0.0.0/-1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(proxy_trust(bad[i], &e), R_EINVAL);
        assert_string_equal(e.code, "bad_trusted_proxy");
    }
    assert_true(proxy_trusted("127.0.0.1")); /* a refused list changes nothing */
    assert_int_equal(proxy_trust("", &e), 0);
    assert_false(proxy_trusted("127.0.0.1"));
}

static void untrusted_peers_are_taken_as_they_are(void **state)
{
    (void)state;
    struct rerr e;
    assert_int_equal(proxy_trust(NULL, &e), 0);
    const char *xff[] = {"203.0.113.1"};
    assert_string_equal(client("127.0.0.1", 1, xff), "127.0.0.1");
    assert_int_equal(proxy_trust("10.0.0.0/8", &e), 0);
    assert_string_equal(client("192.0.2.9", 1, xff), "192.0.2.9");
}

static void the_rightmost_untrusted_hop_is_the_client(void **state)
{
    (void)state;
    struct rerr e;
    assert_int_equal(proxy_trust("127.0.0.1,10.0.0.0/8", &e), 0);
    const char *one[] = {"203.0.113.1"};
    assert_string_equal(client("127.0.0.1", 1, one), "203.0.113.1");
    /* what the client wrote itself, left of the proxy's own entry, is not believed */
    const char *spoofed[] = {"198.51.100.1, 203.0.113.1"};
    assert_string_equal(client("127.0.0.1", 1, spoofed), "203.0.113.1");
    /* a chain of trusted proxies is passed over */
    const char *chain[] = {"198.51.100.1, 203.0.113.1, 10.1.2.3"};
    assert_string_equal(client("127.0.0.1", 1, chain), "203.0.113.1");
    /* several headers: the last one is the nearest */
    const char *two[] = {"198.51.100.1", "203.0.113.2,10.9.9.9"};
    assert_string_equal(client("127.0.0.1", 2, two), "203.0.113.2");
    /* ports, brackets, spaces and spellings */
    const char *ported[] = {" 203.0.113.3:4711 "};
    assert_string_equal(client("127.0.0.1", 1, ported), "203.0.113.3");
    const char *v6[] = {"[2001:DB8:0:0::1]:443"};
    assert_string_equal(client("127.0.0.1", 1, v6), "2001:db8::1");
    const char *mapped[] = {"::ffff:203.0.113.4"};
    assert_string_equal(client("127.0.0.1", 1, mapped), "203.0.113.4");
    /* no header: the proxy itself */
    assert_string_equal(client("127.0.0.1", 0, NULL), "127.0.0.1");
}

static void a_hop_that_is_no_address_stops_at_the_last_trusted(void **state)
{
    (void)state;
    struct rerr e;
    assert_int_equal(proxy_trust("127.0.0.1,10.0.0.0/8", &e), 0);
    const char *junk[] = {"203.0.113.1, unknown"};
    assert_string_equal(client("127.0.0.1", 1, junk), "127.0.0.1");
    const char *behind[] = {"203.0.113.1, garbage, 10.0.0.7"};
    assert_string_equal(client("127.0.0.1", 1, behind), "10.0.0.7");
    const char *empty[] = {""};
    assert_string_equal(client("127.0.0.1", 1, empty), "127.0.0.1");
    const char *trailing[] = {"203.0.113.1,"};
    assert_string_equal(client("127.0.0.1", 1, trailing), "127.0.0.1");
    /* a very long chain of trusted hops is not walked to its end */
    char many[PROXY_MAX_HOPS * 12 + 32] = "203.0.113.1";
    for (int i = 0; i < PROXY_MAX_HOPS + 4; i++)
        strcat(many, ", 10.0.0.1");
    const char *longchain[] = {many};
    assert_string_equal(client("127.0.0.1", 1, longchain), "10.0.0.1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_list),
        cmocka_unit_test(untrusted_peers_are_taken_as_they_are),
        cmocka_unit_test(the_rightmost_untrusted_hop_is_the_client),
        cmocka_unit_test(a_hop_that_is_no_address_stops_at_the_last_trusted),
    };
    return cmocka_run_group_tests_name("http/proxy", tests, NULL, NULL);
}
