/* Unit tests for src/base/jbuf.c: what it writes must parse back to what went in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/jbuf.h"

static void strings_round_trip(void **state)
{
    (void)state;
    const char *cases[] = {"",
                           "通辽",
                           "quote\" backslash\\ slash/",
                           "line\nbreak\ttab\rret",
                           "\x01\x1f ctl",
                           "ᠰᠠᠷᠠᠨᠠ 萨日朗",
                           "emoji \xf0\x9f\x98\x80"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct jbuf b = {0};
        jbuf_str(&b, cases[i]);
        size_t len;
        char *text = jbuf_take(&b, &len);
        assert_int_equal(strlen(text), len);
        json_t *j = json_loads(text, JSON_DECODE_ANY, NULL);
        assert_non_null(j);
        assert_string_equal(json_string_value(j), cases[i]);
        json_decref(j);
        free(text);
    }
}

static void numbers_and_growth(void **state)
{
    (void)state;
    struct jbuf b = {0};
    jbuf_lit(&b, "[");
    for (int i = 0; i < 20000; i++) {
        if (i)
            jbuf_lit(&b, ",");
        jbuf_int(&b, (int64_t)i * 1000000007LL - 5);
    }
    jbuf_lit(&b, ",");
    jbuf_int(&b, INT64_MIN);
    jbuf_lit(&b, "]");
    size_t len;
    char *text = jbuf_take(&b, &len);
    json_t *j = json_loads(text, 0, NULL);
    assert_non_null(j);
    assert_int_equal(json_array_size(j), 20001);
    assert_int_equal(json_integer_value(json_array_get(j, 19999)), 19999LL * 1000000007LL - 5);
    assert_true(json_integer_value(json_array_get(j, 20000)) == INT64_MIN);
    json_decref(j);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strings_round_trip),
        cmocka_unit_test(numbers_and_growth),
    };
    return cmocka_run_group_tests_name("base/jbuf", tests, NULL, NULL);
}
