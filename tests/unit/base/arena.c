/*
 * Unit tests for src/base/arena.c: alignment, zeroing, growth past a block, big requests
 * in blocks of their own, and strings of any size; run under ASan (make test-asan) they
 * also show every block freed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"

static void aligned_and_zeroed(void **state)
{
    (void)state;
    arena *a = arena_new();
    size_t sizes[] = {1, 3, 15, 16, 17, 100, 4095, 4096, 4097, 8191, 8192, 20000, 0, 1};
    char *prev[sizeof sizes / sizeof sizes[0]];
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        unsigned char *p = arena_alloc(a, sizes[i]);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
        for (size_t k = 0; k < sizes[i]; k++)
            if (p[k])
                fail_msg("allocation %zu of %zu bytes not zeroed at %zu", i, sizes[i], k);
        memset(p, 0xa5, sizes[i]); /* the next allocation must not overlap this one */
        prev[i] = (char *)p;
    }
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        for (size_t k = 0; k < sizes[i]; k++)
            if ((unsigned char)prev[i][k] != 0xa5)
                fail_msg("allocation %zu overwritten at %zu", i, k);
    arena_free(a);
}

/* Many small allocations fill block after block; each keeps its contents. */
static void grows_past_a_block(void **state)
{
    (void)state;
    arena *a = arena_new();
    enum { N = 5000 };
    int **p = malloc(N * sizeof *p);
    for (int i = 0; i < N; i++) {
        p[i] = arena_alloc(a, 24);
        p[i][0] = i;
        p[i][5] = -i;
        if (i % 97 == 0) /* a big one between them: its own block, the small ones go on */
            memset(arena_alloc(a, 6000), 1, 6000);
    }
    for (int i = 0; i < N; i++) {
        assert_int_equal(p[i][0], i);
        assert_int_equal(p[i][5], -i);
    }
    free(p);
    arena_free(a);
    arena_free(arena_new()); /* an arena never used */
}

static void strings(void **state)
{
    (void)state;
    arena *a = arena_new();
    assert_string_equal(arena_strdup(a, ""), "");
    assert_string_equal(arena_strdup(a, "草原"), "草原");
    assert_string_equal(arena_strndup(a, "abcdef", 3), "abc");
    assert_string_equal(arena_strndup(a, "ab", 10), "ab");
    assert_string_equal(arena_printf(a, "%s-%d", "x", 42), "x-42");
    /* past a block, and past the 1 KiB a printf first tries */
    size_t n = 3 * 8192 + 7;
    char *big = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        big[i] = (char)('a' + i % 26);
    big[n] = 0;
    char *d = arena_strdup(a, big);
    assert_string_equal(d, big);
    char *pr = arena_printf(a, "[%s|%s]", big, "尾");
    assert_int_equal(strlen(pr), 2 * 1 + n + 1 + strlen("尾"));
    assert_memory_equal(pr + 1, big, n);
    assert_string_equal(pr + 1 + n, "|尾]");
    char *nd = arena_strndup(a, big, 9000);
    assert_int_equal(strlen(nd), 9000);
    assert_memory_equal(nd, big, 9000);
    /* printf of its own earlier result, as query building does */
    char *w = "";
    for (int i = 0; i < 300; i++)
        w = arena_printf(a, "%s AND (t.c%d = ?)", w, i);
    assert_non_null(strstr(w, "t.c0 = ?"));
    assert_non_null(strstr(w, "t.c299 = ?"));
    free(big);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(aligned_and_zeroed),
        cmocka_unit_test(grows_past_a_block),
        cmocka_unit_test(strings),
    };
    return cmocka_run_group_tests_name("base/arena", tests, NULL, NULL);
}
