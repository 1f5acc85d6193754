/* Unit tests for src/domain/attachment.c: the name as shown (the collection's rules are
 * tested against the server: tests/api/attachments.test.mjs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <string.h>

#include "domain/attachment.h"

static void names_as_shown(void **state)
{
    (void)state;
    arena *a = arena_new();
    assert_string_equal(attachment_clean_name(a, "会议纪要.pdf"), "会议纪要.pdf");
    assert_string_equal(attachment_clean_name(a, "C:\\Users\\张三\\扫描件.jpg"), "扫描件.jpg");
    assert_string_equal(attachment_clean_name(a, "../../etc/passwd"), "passwd");
    /* a right-to-left override would show "gpj.exe" as "exe.jpg"; controls go too */
    assert_string_equal(attachment_clean_name(a, "photo\xe2\x80\xaegpj.exe"), "photogpj.exe");
    assert_string_equal(attachment_clean_name(a, "a\tb\r\nc\x7f.txt"), "abc.txt");
    assert_string_equal(attachment_clean_name(a, "\xe3\x80\x80  报告 .docx  \xe3\x80\x80"), "报告 .docx");
    assert_string_equal(attachment_clean_name(a, "𠀀𠀁.png"), "𠀀𠀁.png"); /* four-byte characters kept */
    assert_string_equal(attachment_clean_name(a, "dir/"), "附件");
    assert_string_equal(attachment_clean_name(a, "\x01\x02"), "附件");
    assert_string_equal(attachment_clean_name(a, ""), "附件");
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_as_shown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
