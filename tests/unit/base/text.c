/* Unit tests for src/base/text.c */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <string.h>

#include "base/err.h"
#include "base/text.h"

static void date_validation(void **state)
{
    (void)state;
    assert_true(text_date_ok("2024-02-29"));
    assert_false(text_date_ok("2023-02-29"));
    assert_false(text_date_ok("2023-02-30"));
    assert_false(text_date_ok("2023-13-01"));
    assert_false(text_date_ok("2023-00-10"));
    assert_false(text_date_ok("2023-1-01"));
    assert_false(text_date_ok("yesterday!"));
    assert_false(text_date_ok("1899-12-31"));
    assert_true(text_date_ok("2000-02-29"));
    assert_false(text_date_ok("1900-02-29"));
    assert_false(text_date_ok(""));
}

static void digits_read(void **state)
{
    (void)state;
    assert_int_equal(text_digits("2025-07", 4), 2025);
    assert_int_equal(text_digits("07", 2), 7);
    assert_int_equal(text_digits("7-", 2), -1);
    assert_int_equal(text_digits("1", 2), -1); /* the NUL ends it */
    assert_int_equal(text_digits("", 0), 0);
}

static void utf8_validation(void **state)
{
    (void)state;
    assert_true(text_utf8_ok("萨日朗 ᠰᠠᠷᠠᠨᠠ"));
    assert_false(text_utf8_ok("\xc0\xaf"));     /* overlong '/' */
    assert_false(text_utf8_ok("\xed\xa0\x80")); /* surrogate */
    assert_false(text_utf8_ok("a\x01b"));       /* control character */
    assert_false(text_utf8_ok("\xe5\x90"));     /* truncated */
    assert_true(text_utf8_ok("line\nnext\ttab"));
    assert_int_equal(text_utf8_len("通辽ab"), 4);
}

static void fold_and_name_key(void **state)
{
    (void)state;
    arena *a = arena_new();
    assert_string_equal(text_fold(a, "Ａｂ Ｃ"), "abc"); /* full-width, case, spaces */
    char *key = text_name_key(a, "张伟", NULL);
    assert_non_null(strstr(key, "张伟"));
    assert_non_null(strstr(key, "zhangwei"));
    assert_non_null(strstr(key, " zw"));
    /* Mongolian free variation selectors (U+180B) vanish in the search form. */
    char *mn = text_fold(a, "\xe1\xa0\xb0\xe1\xa0\x8b\xe1\xa0\xa0");
    assert_string_equal(mn, "\xe1\xa0\xb0\xe1\xa0\xa0");
    /* Folding that grows text past three times its length (U+FDFA → 18 characters). */
    char *grown = text_fold(a, "ﷺﷺﷺ");
    assert_non_null(grown);
    assert_int_equal(text_utf8_len(grown), 3 * 15); /* 18 less the 3 spaces, each */
    assert_non_null(strstr(text_name_key(a, "ﷺﷺ", NULL), text_fold(a, "ﷺ")));
    assert_false(text_utf8_ok("a\xc2\x9b"
                              "b")); /* C1 control (CSI) */
    assert_true(text_utf8_ok("a\xc2\xa0"
                             "b")); /* U+00A0 is not a control */
    arena_free(a);
}

/* text_trim and text_blank: ASCII, NBSP and ideographic white space; text_clip: whole
 * characters, "…" only when cut, always within the buffer */
static void trim_blank_and_clip(void **state)
{
    (void)state;
    const char *s;
    size_t n;
    text_trim("\xc2\xa0 \xe3\x80\x80通辽\t\r\n", strlen("\xc2\xa0 \xe3\x80\x80通辽\t\r\n"), &s, &n);
    assert_int_equal(n, strlen("通辽"));
    assert_memory_equal(s, "通辽", n);
    assert_true(text_blank(NULL));
    assert_true(text_blank(""));
    assert_true(text_blank(" \t\xe3\x80\x80\xc2\xa0"));
    assert_false(text_blank(" 佐证 "));
    char out[16];
    text_clip("通辽市院", 20, out, sizeof out);
    assert_string_equal(out, "通辽市院");
    text_clip("\xf0\xa0\x80\x80\xf0\xa0\x80\x80\xf0\xa0\x80\x80", 2, out, sizeof out);
    assert_string_equal(out, "\xf0\xa0\x80\x80\xf0\xa0\x80\x80…");
    char small[6]; /* room for one four-byte character, not for the mark after it */
    text_clip("\xf0\xa0\x80\x80\xf0\xa0\x80\x80", 1, small, sizeof small);
    assert_true(text_utf8_ok(small));
    assert_true(strlen(small) < sizeof small);
}

static void arena_many_and_big(void **state)
{
    (void)state;
    arena *a = arena_new();
    for (int i = 0; i < 10000; i++) {
        char *s = arena_printf(a, "item-%d", i);
        assert_string_equal(s, arena_printf(a, "item-%d", i));
    }
    unsigned char *big = arena_alloc(a, 1 << 20);
    for (int i = 0; i < 1 << 20; i++)
        assert_int_equal(big[i], 0);
    assert_int_equal((uintptr_t)arena_alloc(a, 3) % 16, 0);
    arena_free(a);
}

static void utf8_repair_and_bounded_errors(void **state)
{
    (void)state;
    char cut[] = "ab\xe4\xb8"; /* 中 with its last byte cut off */
    text_utf8_repair(cut);
    assert_string_equal(cut, "ab");
    char four[] = "\xf0\xa0\x80"; /* 𠀀 cut */
    text_utf8_repair(four);
    assert_string_equal(four, "");
    char bad[] = "a\xff"
                 "b\xc0\xaf"
                 "c\xed\xa0\x80"
                 "d";
    text_utf8_repair(bad);
    assert_string_equal(bad, "a?b??c???d");
    char ok[] = "萨日朗 ᠰᠠᠷᠠᠨᠠ 𠀀\n";
    text_utf8_repair(ok);
    assert_string_equal(ok, "萨日朗 ᠰᠠᠷᠠᠨᠠ 𠀀\n");
    /* A message quoting long four-byte input is cut, never inside a character; a field
     * name of invalid bytes comes out well-formed. */
    char longv[4 * 100 + 1] = "";
    for (int i = 0; i < 100; i++)
        strcat(longv, "\xf0\xa0\x80\x80");
    for (int shift = 0; shift < 4; shift++) {
        struct rerr e;
        rerr_set(&e, R_EINVAL, "bad_query", "\xff\xfe", "%.*s%s", shift, "xyz", longv);
        assert_true(text_utf8_ok(e.message));
        assert_true(text_utf8_ok(e.field));
        assert_true(strlen(e.message) >= sizeof e.message - 4);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(date_validation),
        cmocka_unit_test(digits_read),
        cmocka_unit_test(utf8_validation),
        cmocka_unit_test(utf8_repair_and_bounded_errors),
        cmocka_unit_test(fold_and_name_key),
        cmocka_unit_test(arena_many_and_big),
        cmocka_unit_test(trim_blank_and_clip),
    };
    return cmocka_run_group_tests_name("base/text", tests, NULL, NULL);
}
