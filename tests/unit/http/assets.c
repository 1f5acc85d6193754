/*
 * Unit tests for src/http/assets.c: which encoding a request gets for its Accept-Encoding
 * (q-values, aliases, "*", identity when nothing fits), and If-None-Match against an ETag.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "http/assets.h"

static void encodings(void **state)
{
    (void)state;
    struct {
        const char *accept;
        bool br, gz;
        const char *want; /* NULL: identity */
    } cases[] = {
        {NULL, true, true, NULL},
        {"", true, true, NULL},
        {"gzip, deflate, br", true, true, "br"},
        {"gzip, deflate, br", false, true, "gzip"},
        {"gzip, deflate, br", false, false, NULL},
        {"gzip", true, true, "gzip"},
        {"br;q=0.5, gzip;q=0.8", true, true, "gzip"},
        {"br;q=0.8, gzip;q=0.8", true, true, "br"}, /* a tie: br */
        {"br;q=0, gzip", true, true, "gzip"},       /* q=0: not acceptable */
        {"br;q=0, gzip;q=0", true, true, NULL},
        {"br;q=0.001", true, true, "br"},
        {"BR", true, false, "br"},       /* case-insensitive */
        {"x-gzip", false, true, "gzip"}, /* the alias */
        {"*", true, true, "br"},
        {"*;q=0.5, br;q=0", true, true, "gzip"}, /* own entry wins over "*" */
        {"identity", true, true, NULL},
        {"br;q=2", true, true, NULL}, /* malformed entries say nothing */
        {"br;q=0.5000, gzip;q=0.1", true, true, "gzip"},
        {"br;q=abc, gzip;q=0.1", true, true, "gzip"},
        {"br ; q=0.9 , gzip ; q=1", true, true, "gzip"}, /* spaces around parameters */
        {"br;level=1;q=0.2, gzip;q=0.1", true, true, "br"},
        {"brotli, gz", true, true, NULL}, /* not the names */
        {",,, ;q=1, br", true, false, "br"},
        {"gzip;q=1.000, br;q=0.999", true, true, "gzip"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = assets_pick_encoding(cases[i].accept, cases[i].br, cases[i].gz);
        if ((got == NULL) != (cases[i].want == NULL) || (got && strcmp(got, cases[i].want)))
            fail_msg("case %zu \"%s\": got %s, want %s", i, cases[i].accept ? cases[i].accept : "(none)",
                     got ? got : "identity", cases[i].want ? cases[i].want : "identity");
    }
}

static void etags(void **state)
{
    (void)state;
    const char *tag = "\"0123456789abcdef\"";
    assert_true(assets_etag_listed(tag, tag));
    assert_true(assets_etag_listed("W/\"0123456789abcdef\"", tag));
    assert_true(assets_etag_listed("\"x\", \"0123456789abcdef\"", tag));
    assert_true(assets_etag_listed("\"x\",\"0123456789abcdef\"", tag));
    assert_true(assets_etag_listed("*", tag));
    assert_true(assets_etag_listed(" \t*", tag));
    assert_false(assets_etag_listed("", tag));
    assert_false(assets_etag_listed("\"0123456789abcde\"", tag));   /* a prefix */
    assert_false(assets_etag_listed("\"0123456789abcdef0\"", tag)); /* longer */
    assert_false(assets_etag_listed("0123456789abcdef", tag));      /* unquoted */
    assert_false(assets_etag_listed("\"x\", \"y\"", tag));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(encodings),
        cmocka_unit_test(etags),
    };
    return cmocka_run_group_tests_name("http/assets", tests, NULL, NULL);
}
