/*
 * Unit tests for src/base/log.c: one event is one line; control characters and newlines
 * in what a line quotes cannot forge another; long text is cut at a character boundary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/text.h"

/* What log_info/log_warn("%s", text) writes to stderr; malloc'd. */
static char *logged(bool warn, const char *text)
{
    fflush(stderr);
    int saved = dup(2);
    FILE *tmp = tmpfile();
    assert_non_null(tmp);
    dup2(fileno(tmp), 2);
    if (warn)
        log_warn("请求 %s", text);
    else
        log_info("请求 %s", text);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    long n = ftell(tmp);
    rewind(tmp);
    char *out = calloc(1, (size_t)n + 1);
    assert_int_equal(fread(out, 1, (size_t)n, tmp), (size_t)n);
    fclose(tmp);
    return out;
}

static void one_line_per_event(void **state)
{
    (void)state;
    const char *forged[] = {
        "/x\n2026-01-01T00:00:00Z info 管理员 admin 登录成功",
        "/x\r\n2026-01-01T00:00:00Z warn forged",
        "\x1b[2K\x1b[1A清除上一行",
        "tab\there\x7f del \x01\x02",
    };
    for (size_t i = 0; i < sizeof forged / sizeof forged[0]; i++) {
        char *s = logged(i % 2, forged[i]);
        size_t len = strlen(s);
        assert_true(len > 0);
        assert_int_equal(s[len - 1], '\n');
        for (size_t k = 0; k + 1 < len; k++)
            if ((unsigned char)s[k] < 0x20 || s[k] == 0x7f)
                fail_msg("case %zu: control character %#x at %zu in %s", i, s[k], k, s);
        assert_non_null(strstr(s, i % 2 ? " warn 请求 " : " info 请求 "));
        free(s);
    }
    char *s = logged(false, "/x\n2026");
    assert_non_null(strstr(s, "请求 /x?2026\n"));
    free(s);
}

static void long_text_is_cut_whole(void **state)
{
    (void)state;
    size_t n = 3000;
    char *big = malloc(3 * n + 1);
    big[0] = 0;
    for (size_t i = 0; i < n; i++)
        strcat(big + 3 * i, "汉");
    char *s = logged(false, big);
    size_t len = strlen(s);
    assert_true(len < 2200);
    assert_int_equal(s[len - 1], '\n');
    s[len - 1] = 0;
    assert_true(text_utf8_ok(s));
    free(s);
    /* bytes that are not UTF-8 do not reach the log as they are */
    s = logged(false, "\xff\xfe 坏");
    s[strlen(s) - 1] = 0;
    assert_true(text_utf8_ok(s));
    free(s);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_line_per_event),
        cmocka_unit_test(long_text_is_cut_whole),
    };
    return cmocka_run_group_tests_name("base/log", tests, NULL, NULL);
}
