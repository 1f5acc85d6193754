/* Unit tests for src/auth/password.c: the one password rule, the common-password list
 * shipped with it, and generated passwords (which `ronghe demo` and `init` hand out). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <ctype.h>
#include <string.h>

#include "auth/password.h"

extern const char ronghe_common_passwords[];

/* "pw" for "user" is refused, and the message holds "words". */
static void refused(const char *pw, const char *user, const char *code, const char *words)
{
    struct rerr e = {0};
    int rc = password_rule_check(pw, user, &e);
    if (rc != R_EINVAL || strcmp(e.code, code) != 0 || !strstr(e.message, words) ||
        strcmp(e.field, "password"))
        fail_msg("\"%s\" (user %s): rc %d code %s message %s", pw, user ? user : "-", rc, e.code, e.message);
}

static void accepted(const char *pw, const char *user)
{
    struct rerr e = {0};
    if (password_rule_check(pw, user, &e) != 0)
        fail_msg("\"%s\" (user %s) refused: %s", pw, user ? user : "-", e.message);
}

static void each_rule_has_its_message(void **state)
{
    (void)state;
    refused("Ab1!short", NULL, "weak_password", "至少 10 个字符");
    refused("aaaaaaaaaa", NULL, "weak_password", "同一个字符");
    refused("我我我我我我我我我我我", NULL, "weak_password", "同一个字符");
    refused("          ", NULL, "weak_password", "空白");
    refused("\u3000\u3000\u3000\u3000\u3000 \u3000\u3000\u3000\u3000", NULL, "weak_password", "空白");
    refused("zhangsan2024!", "zhangsan", "weak_password", "用户名");
    refused("X-ZhangSan-9a", "zhangsan", "weak_password", "用户名");
    refused("Passw0rd!", NULL, "weak_password", "至少 10 个字符"); /* listed, but too short first */
    refused("P@ssw0rd123", NULL, "weak_password", "常见");
    refused("WOAINI1314", NULL, "weak_password", "常见");
    refused("Aa123456789", NULL, "weak_password", "常见");
    refused("abcdefghijk", NULL, "weak_password", "至少三类");
    refused("ABCDEFGH12", NULL, "weak_password", "至少三类");
    refused("中文的密码也要三类字符", NULL, "weak_password", "至少三类");
    refused("Tab\tPass1234", NULL, "invalid_value", "控制字符");
    refused("New\nline1234A", NULL, "invalid_value", "控制字符");
    refused("Bad\xff"
            "utf8-1234",
            NULL, "invalid_value", "控制字符");
}

static void good_passwords_pass(void **state)
{
    (void)state;
    accepted("Tongliao-Jcy-7x", "admin");
    accepted("correct horse Battery9", NULL);
    accepted("党建融合Rh2026", "hlgl-sec");
    accepted("ab1!ab1!ab", "ab"); /* a two-letter username is not looked for */
    accepted("zhangsan2024!", NULL);
}

static void the_maximum_is_characters_and_bytes(void **state)
{
    (void)state;
    char pw[512];
    /* 60 three-byte characters + "Ab1!" = 64 characters, 184 bytes: the longest */
    pw[0] = 0;
    for (int i = 0; i < 60; i++)
        strcat(pw, "中");
    strcat(pw, "Ab1!");
    assert_true(password_fits(pw));
    accepted(pw, NULL);
    strcat(pw, "x"); /* 65 characters */
    assert_false(password_fits(pw));
    refused(pw, NULL, "too_long", "64");
    /* 100 Chinese characters (300 bytes): refused when set, and login refuses it alike */
    pw[0] = 0;
    for (int i = 0; i < 100; i++)
        strcat(pw, "中");
    assert_false(password_fits(pw));
    refused(pw, NULL, "too_long", "64");
    /* 64 four-byte characters are 256 bytes: within both */
    pw[0] = 0;
    for (int i = 0; i < 64; i++)
        strcat(pw, "\xf0\xa0\x80\x80");
    assert_int_equal(strlen(pw), PASSWORD_MAX_BYTES);
    assert_true(password_fits(pw));
    memset(pw, 'a', PASSWORD_MAX_LEN + 1);
    pw[PASSWORD_MAX_LEN + 1] = 0;
    assert_false(password_fits(pw));
}

/* The shipped list: one lower-case password a line, sorted, no repeats, none empty. */
static void common_list_is_normalised(void **state)
{
    (void)state;
    char prev[PASSWORD_MAX_BYTES + 1] = "";
    int n = 0;
    for (const char *line = ronghe_common_passwords; *line;) {
        size_t len = strcspn(line, "\n");
        if (line[0] != '#') {
            assert_true(len > 0 && len <= PASSWORD_MAX_BYTES);
            char cur[PASSWORD_MAX_BYTES + 1];
            memcpy(cur, line, len);
            cur[len] = 0;
            for (size_t i = 0; i < len; i++)
                if (tolower((unsigned char)cur[i]) != (unsigned char)cur[i])
                    fail_msg("not lower case: %s", cur);
            if (n && strcmp(prev, cur) >= 0)
                fail_msg("not sorted or repeated: %s after %s", cur, prev);
            memcpy(prev, cur, len + 1);
            n++;
            struct rerr e = {0};
            assert_int_not_equal(password_rule_check(cur, NULL, &e), 0); /* every entry is refused */
        }
        line += len + (line[len] == '\n');
    }
    assert_true(n >= 300);
}

static void generated_passwords_always_pass(void **state)
{
    (void)state;
    for (int i = 0; i < 20000; i++) {
        char pw[17];
        password_generate(pw, i % 2 ? "admin" : NULL);
        assert_int_equal(strlen(pw), 16);
        accepted(pw, "admin");
    }
}

int main(void)
{
    password_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_rule_has_its_message),           cmocka_unit_test(good_passwords_pass),
        cmocka_unit_test(the_maximum_is_characters_and_bytes), cmocka_unit_test(common_list_is_normalised),
        cmocka_unit_test(generated_passwords_always_pass),
    };
    return cmocka_run_group_tests_name("auth/password", tests, NULL, NULL);
}
