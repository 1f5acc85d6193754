/*
 * Unit tests for src/base/err.c: rerr_set fills every part once (and nothing without a
 * struct), and what it leaves is always well-formed UTF-8 however the bounded copies cut
 * or whatever bytes the parts quoted; rerr_clear; and the one table from error codes to
 * HTTP statuses (status_of, http/respond.c), which every R_E* code must be in.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "http/request.h"

/* Well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF). */
static bool utf8_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80             ? 0
                : (*p & 0xe0) == 0xc0 ? 1
                : (*p & 0xf0) == 0xe0 ? 2
                : (*p & 0xf8) == 0xf0 ? 3
                                      : -1;
        if (n < 0 || (n == 1 && *p < 0xc2) || (n == 3 && *p > 0xf4))
            return false;
        unsigned cp = n == 0 ? *p : n == 1 ? *p & 0x1f : n == 2 ? *p & 0x0f : *p & 0x07;
        for (int i = 1; i <= n; i++) {
            if ((p[i] & 0xc0) != 0x80)
                return false;
            cp = cp << 6 | (p[i] & 0x3f);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
            return false;
        p += n + 1;
    }
    return true;
}

static void fills_every_part(void **state)
{
    (void)state;
    struct rerr e;
    memset(&e, 0x55, sizeof e);
    e.retry_after = 30;
    assert_int_equal(
        rerr_set(&e, R_ECONFLICT, "duplicate", "name", "名称「%s」已存在（第 %d 条）", "检察院", 7),
        R_ECONFLICT);
    assert_int_equal(e.rc, R_ECONFLICT);
    assert_string_equal(e.code, "duplicate");
    assert_string_equal(e.field, "name");
    assert_string_equal(e.message, "名称「检察院」已存在（第 7 条）");
    assert_int_equal(e.retry_after, 0); /* a new error says nothing of waiting */
    /* NULL code and field are empty; without a struct only the code comes back. */
    assert_int_equal(rerr_set(&e, R_EINVAL, NULL, NULL, "x"), R_EINVAL);
    assert_string_equal(e.code, "");
    assert_string_equal(e.field, "");
    assert_int_equal(rerr_set(NULL, R_ENOTFOUND, "not_found", "", "不存在"), R_ENOTFOUND);
    rerr_clear(&e);
    assert_int_equal(e.rc, R_SUCCESS);
    assert_string_equal(e.code, "");
    assert_string_equal(e.message, "");
    assert_string_equal(e.field, "");
    assert_int_equal(e.retry_after, 0);
    rerr_clear(NULL); /* does nothing, and does not crash */
}

/* Long texts of 3- and 4-byte characters, cut by the bounded copies at every offset. */
static void cut_characters_are_dropped(void **state)
{
    (void)state;
    static const char *const chars[] = {"检", "𠮷", "é"};
    for (int c = 0; c < 3; c++) {
        size_t w = strlen(chars[c]);
        for (int lead = 0; lead < 4; lead++) {
            char text[1200] = "";
            for (int i = 0; i < lead; i++)
                strcat(text, "a");
            while (strlen(text) + w < sizeof text)
                strcat(text, chars[c]);
            struct rerr e;
            rerr_set(&e, R_EINVAL, text, text, "%s", text);
            const char *parts[] = {e.code, e.field, e.message};
            size_t caps[] = {sizeof e.code, sizeof e.field, sizeof e.message};
            for (int k = 0; k < 3; k++) {
                assert_true(utf8_ok(parts[k]));
                size_t n = strlen(parts[k]);
                /* Only the cut character went: all that fits of the text, nothing else. */
                assert_true(n < caps[k] && n + w >= caps[k] - 1);
                assert_memory_equal(parts[k], text, n);
                assert_int_equal((n - (size_t)lead) % w, 0);
            }
        }
    }
}

static void bad_bytes_become_question_marks(void **state)
{
    (void)state;
    struct rerr e;
    /* A stray continuation byte, an overlong '/', a surrogate, past U+10FFFF, a lead byte
     * with no continuation in the middle, and 0xff. Control characters are kept. */
    rerr_set(&e, R_EINVAL, "c\xff", "f\x80x",
             "a\xc0\xaf"
             "b\xed\xa0\x80"
             "c\xf4\x90\x80\x80"
             "d\xe6z\t\x01%s",
             "\xfe");
    assert_true(utf8_ok(e.code));
    assert_true(utf8_ok(e.field));
    assert_true(utf8_ok(e.message));
    assert_string_equal(e.code, "c?");
    assert_string_equal(e.field, "f?x");
    assert_null(strchr(e.message, '\xed'));
    assert_non_null(strstr(e.message, "d?z\t\x01"));
    assert_int_equal(e.message[0], 'a');
    assert_int_equal(e.message[strlen(e.message) - 1], '?');
    /* Well-formed text of every length is left exactly as it is. */
    rerr_set(&e, R_EINVAL, "ok", "名称", "%s", "蒙古文 ᠮᠣᠩᠭᠣᠯ 𠮷 é ok");
    assert_string_equal(e.field, "名称");
    assert_string_equal(e.message, "蒙古文 ᠮᠣᠩᠭᠣᠯ 𠮷 é ok");
}

static void every_code_has_its_status(void **state)
{
    (void)state;
    static const struct {
        int rc;
        unsigned status;
    } table[] = {
        {R_SUCCESS, 200},   {R_EINVAL, 400},    {R_EAUTH, 401},   {R_EFORBID, 403}, {R_ENOTFOUND, 404},
        {R_EMETHOD, 405},   {R_ECONFLICT, 409}, {R_ETOOBIG, 413}, {R_EMEDIA, 415},  {R_EUNPROC, 422},
        {R_ETHROTTLE, 429}, {R_EINTERNAL, 500}, {R_EBUSY, 503},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        assert_int_equal(status_of(table[i].rc), table[i].status);
    /* Every code err.h defines (R_EINVAL down to R_EMEDIA, -1 to -12) is in the table: a
     * code without a status would answer 500 for a client's mistake. */
    for (int rc = -1; rc >= -12; rc--) {
        bool listed = false;
        for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
            listed |= table[i].rc == rc;
        assert_true(listed);
    }
    /* Anything else is ours: 500. */
    assert_int_equal(status_of(-99), 500);
    assert_int_equal(status_of(1), 500);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fills_every_part),
        cmocka_unit_test(cut_characters_are_dropped),
        cmocka_unit_test(bad_bytes_become_question_marks),
        cmocka_unit_test(every_code_has_its_status),
    };
    return cmocka_run_group_tests_name("base/err", tests, NULL, NULL);
}
