/*
 * Unit tests for src/calc/similar.c: copied minutes found, their passages' offsets exact,
 * unrelated texts left alone, the same answers in any order, invalid UTF-8 skipped and
 * very long texts cut without blowing up. Expected Jaccard values and offsets were
 * computed with a brute-force python3 reference (every pair of positions, the same
 * longest-first rule), written here as decimals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calc/decimal.h"
#include "calc/similar.h"

/* Two branches' minutes: the study paragraph copied, the date, branch and names changed,
 * and the white space around it different. */
static const char *A = "2025年3月12日，第一党支部召开支部委员会。出席：张伟、李娜、王强。\n"
                       "会议学习了习近平新时代中国特色社会主义思想，围绕检察业务与党建深度融合开展讨论，"
                       "大家一致认为要把党建工作与办案质效同部署、同落实、同检查、同考核。"
                       "会议还研究了下一季度的主题党日安排。";
static const char *B = "2025年5月8日，第三党支部召开支部委员会。出席：赵敏、孙磊。\n\n  "
                       "会议学习了习近平新时代中国特色社会主义思想，围绕检察业务与党建深度融合开展讨论，"
                       "大家一致认为要把党建工作与办案质效同部署、同落实、同检查、同考核。"
                       "另外，会议通报了12309检察服务中心的接待情况。";
static const char *C = "科尔沁区人民检察院12309检察服务中心本月共接待来访群众四十二人次，"
                       "办理控告申诉案件十七件，均在七日内程序性答复。";
/* A again, another date and one name changed */
static const char *D = "2025年4月9日，第一党支部召开支部委员会。出席：刘洋、李娜、王强。\n"
                       "会议学习了习近平新时代中国特色社会主义思想，围绕检察业务与党建深度融合开展讨论，"
                       "大家一致认为要把党建工作与办案质效同部署、同落实、同检查、同考核。"
                       "会议还研究了下一季度的主题党日安排。";

static void is(double v, int places, const char *want)
{
    char buf[CALC_DECIMAL_CAP];
    calc_decimal(v, places, buf, sizeof buf);
    assert_string_equal(buf, want);
}

static void normalises(void **state)
{
    (void)state;
    char *o;
    size_t n;
    bool cut;
    const char *mixed = "Hello, World! ＡＢＣ１２３（第一）　党支部。\t“好”";
    sim_normalise(mixed, strlen(mixed), &o, &n, &cut);
    assert_string_equal(o, "helloworldabc123第一党支部好");
    assert_int_equal(n, strlen(o));
    assert_false(cut);
    free(o);
    const char *bad = "二〇二五年·第\xff\xfe一\xe4\xb8"; /* bad bytes, a cut-off character */
    sim_normalise(bad, strlen(bad), &o, NULL, NULL);
    assert_string_equal(o, "二〇二五年第一");
    free(o);
    sim_normalise(NULL, 0, &o, &n, NULL);
    assert_string_equal(o, "");
    free(o);
}

static void jaccard_of_shingles(void **state)
{
    (void)state;
    double j;
    assert_int_equal(sim_jaccard(A, strlen(A), B, strlen(B), 0, &j, NULL), 0);
    is(j, 12, "0.476821192053"); /* 72 of 151 distinct 5-shingles */
    assert_int_equal(sim_jaccard(A, strlen(A), C, strlen(C), 5, &j, NULL), 0);
    is(j, 12, "0.000000000000");
    assert_int_equal(sim_jaccard(B, strlen(B), C, strlen(C), 5, &j, NULL), 0);
    is(j, 12, "0.044585987261");
    assert_int_equal(sim_jaccard(A, strlen(A), D, strlen(D), 5, &j, NULL), 0);
    is(j, 12, "0.780487804878");
    assert_int_equal(sim_jaccard("短", 3, "短", 3, 5, &j, NULL), 0); /* fewer than k: no shingles */
    is(j, 2, "0.00");
    struct rerr e;
    assert_int_equal(sim_jaccard(A, 1, B, 1, SIM_MAX_K + 1, &j, &e), R_EINVAL);
}

struct pairs {
    int n;
    int64_t a[16], b[16];
    double j[16];
};

static int collect(void *ctx, int64_t a, int64_t b, double j)
{
    struct pairs *p = ctx;
    assert_true(p->n < 16);
    p->a[p->n] = a;
    p->b[p->n] = b;
    p->j[p->n] = j;
    p->n++;
    return 0;
}

static struct pairs index_pairs(const int64_t *ids, const char *const *texts, int n, double threshold)
{
    sim_index *ix;
    struct rerr e;
    assert_int_equal(sim_index_new(0, 0, 0, &ix, &e), 0);
    for (int i = 0; i < n; i++)
        assert_int_equal(sim_add(ix, ids[i], texts[i], strlen(texts[i]), NULL, &e), 0);
    struct pairs p = {0};
    assert_int_equal(sim_pairs(ix, threshold, collect, &p, &e), 0);
    sim_index_free(ix);
    return p;
}

static void index_finds_copies_not_strangers(void **state)
{
    (void)state;
    const char *texts[] = {A, B, C, D, "", "党支部"};
    int64_t ids[] = {10, 20, 30, 40, 50, 60};
    struct pairs p = index_pairs(ids, texts, 6, 0.3);
    /* A–B 0.477, A–D 0.780, B–D 0.48; C with nothing; the empty and short texts never */
    assert_int_equal(p.n, 3);
    assert_true(p.a[0] == 10 && p.b[0] == 20);
    is(p.j[0], 12, "0.476821192053");
    assert_true(p.a[1] == 10 && p.b[1] == 40);
    is(p.j[1], 12, "0.780487804878");
    assert_true(p.a[2] == 20 && p.b[2] == 40);
    is(p.j[2], 12, "0.480000000000");
    p = index_pairs(ids, texts, 6, 0.7);
    assert_int_equal(p.n, 1);
    assert_true(p.a[0] == 10 && p.b[0] == 40);
}

static void index_is_the_same_in_any_order(void **state)
{
    (void)state;
    const char *texts[] = {D, C, B, A};
    int64_t ids[] = {40, 30, 20, 10};
    struct pairs p = index_pairs(ids, texts, 4, 0.3);
    const char *fwd[] = {A, B, C, D};
    int64_t fids[] = {10, 20, 30, 40};
    struct pairs q = index_pairs(fids, fwd, 4, 0.3);
    assert_int_equal(p.n, q.n);
    for (int i = 0; i < p.n; i++) {
        assert_true(p.a[i] == q.a[i] && p.b[i] == q.b[i]);
        assert_memory_equal(&p.j[i], &q.j[i], sizeof p.j[i]);
    }
}

static void index_refuses_bad_arguments(void **state)
{
    (void)state;
    sim_index *ix;
    struct rerr e;
    assert_int_equal(sim_index_new(5, 128, 30, &ix, &e), R_EINVAL); /* 30 does not divide 128 */
    assert_null(ix);
    assert_int_equal(sim_index_new(5, SIM_MAX_HASHES * 2, 0, &ix, &e), R_EINVAL);
    assert_int_equal(sim_index_new(5, 16, 4, &ix, &e), 0);
    assert_int_equal(sim_add(ix, 1, A, strlen(A), NULL, &e), 0);
    assert_int_equal(sim_add(ix, 1, B, strlen(B), NULL, &e), 0);
    assert_int_equal(sim_add(ix, 2, NULL, 3, NULL, &e), R_EINVAL);
    struct pairs p = {0};
    assert_int_equal(sim_pairs(ix, 0, collect, &p, &e), R_EINVAL);
    assert_int_equal(sim_pairs(ix, 0.5, collect, &p, &e), R_ECONFLICT); /* id 1 twice */
    sim_index_free(ix);
}

static void index_pairs_identical_texts_and_bounds_its_table(void **state)
{
    (void)state;
    sim_index *ix;
    struct rerr e;
    assert_int_equal(sim_index_new(0, 0, 0, &ix, &e), 0);
    for (int i = 0; i < 5; i++) /* the same minutes five times, and a changed copy */
        assert_int_equal(sim_add(ix, 100 - i, A, strlen(A), NULL, &e), 0);
    assert_int_equal(sim_add(ix, 7, D, strlen(D), NULL, &e), 0);
    struct pairs p = {0};
    assert_int_equal(sim_pairs(ix, 0.9, collect, &p, &e), 0);
    assert_int_equal(p.n, 10); /* the five choose two, J = 1 each; D stays under 0.9 */
    assert_true(p.a[0] == 96 && p.b[0] == 97 && p.j[0] == 1);
    assert_true(p.a[9] == 99 && p.b[9] == 100);
    sim_index_free(ix);

    assert_int_equal(sim_index_new(5, SIM_MAX_HASHES, SIM_MAX_HASHES, &ix, &e), 0);
    for (int i = 0; i <= SIM_MAX_BAND_ENTRIES / SIM_MAX_HASHES; i++)
        assert_int_equal(sim_add(ix, i, "", 0, NULL, &e), 0);
    assert_int_equal(sim_pairs(ix, 0.5, collect, &p, &e), R_ETOOBIG);
    sim_index_free(ix);
}

static void passage_is(const struct sim_passage *p, size_t a_byte, size_t a_bytes, size_t a_char,
                       size_t a_chars, size_t b_byte, size_t b_bytes, size_t b_char, size_t b_chars,
                       size_t len)
{
    assert_int_equal(p->a_byte, a_byte);
    assert_int_equal(p->a_bytes, a_bytes);
    assert_int_equal(p->a_char, a_char);
    assert_int_equal(p->a_chars, a_chars);
    assert_int_equal(p->b_byte, b_byte);
    assert_int_equal(p->b_bytes, b_bytes);
    assert_int_equal(p->b_char, b_char);
    assert_int_equal(p->b_chars, b_chars);
    assert_int_equal(p->len, len);
}

static void passages_of_copied_minutes(void **state)
{
    (void)state;
    struct sim_passage *p;
    int n;
    bool inc;
    assert_int_equal(sim_passages(A, strlen(A), B, strlen(B), 0, &p, &n, &inc, NULL), 0);
    assert_int_equal(n, 2);
    assert_false(inc);
    passage_is(&p[0], 25, 39, 13, 13, 24, 39, 12, 13, 12);
    assert_memory_equal(A + p[0].a_byte, "党支部召开支部委员会。出席", p[0].a_bytes);
    passage_is(&p[1], 95, 216, 37, 72, 88, 216, 36, 72, 67);
    assert_memory_equal(A + p[1].a_byte, "会议学习了", 15);
    assert_memory_equal(A + p[1].a_byte + p[1].a_bytes - 9, "同考核", 9);
    assert_memory_equal(B + p[1].b_byte, A + p[1].a_byte, p[1].a_bytes);
    free(p);
    assert_int_equal(sim_passages(B, strlen(B), C, strlen(C), 8, &p, &n, NULL, NULL), 0);
    assert_int_equal(n, 1);
    passage_is(&p[0], 331, 23, 117, 11, 27, 23, 9, 11, 11); /* 12309检察服务中心 */
    free(p);
    assert_int_equal(sim_passages(B, strlen(B), C, strlen(C), 12, &p, &n, NULL, NULL), 0);
    assert_int_equal(n, 0);
    assert_null(p);
    assert_int_equal(sim_passages(A, strlen(A), "", 0, 8, &p, &n, NULL, NULL), 0);
    assert_int_equal(n, 0);
}

static void passages_skip_invalid_bytes(void **state)
{
    (void)state;
    const char *a = "abc\xff"
                    "defgh\xc0\xafij",
               *b = "--ABCDEFGHIJ--";
    struct sim_passage *p;
    int n;
    assert_int_equal(sim_passages(a, strlen(a), b, strlen(b), 8, &p, &n, NULL, NULL), 0);
    assert_int_equal(n, 1);
    /* a: bytes 0..13 with three skipped bytes inside, 10 characters; b: "ABCDEFGHIJ" */
    passage_is(&p[0], 0, 13, 0, 10, 2, 10, 2, 10, 10);
    free(p);
}

/* A deterministic pseudo-random string of Chinese characters (U+4E00..U+9FA5). */
static char *random_han(size_t chars, uint32_t seed)
{
    char *s = malloc(3 * chars + 1), *o = s;
    for (size_t i = 0; i < chars; i++) {
        seed = seed * 1103515245u + 12345u;
        unsigned c = 0x4E00 + (seed >> 8) % 0x51A6;
        *o++ = (char)(0xE0 | c >> 12);
        *o++ = (char)(0x80 | (c >> 6 & 0x3F));
        *o++ = (char)(0x80 | (c & 0x3F));
    }
    *o = 0;
    return s;
}

static void long_texts_are_cut_and_stay_linear(void **state)
{
    (void)state;
    /* 60,000 characters (180 KB) each, sharing 1,000 characters at different places */
    char *a = random_han(60000, 1), *b = random_han(60000, 2), *shared = random_han(1000, 3);
    memcpy(a + 3 * 20000, shared, 3000);
    memcpy(b + 3 * 45000, shared, 3000);
    clock_t t0 = clock();
    struct sim_passage *p;
    int n;
    bool inc;
    assert_int_equal(sim_passages(a, strlen(a), b, strlen(b), 8, &p, &n, &inc, NULL), 0);
    assert_false(inc);
    assert_true(n >= 1);
    int found = -1;
    for (int i = 0; i < n; i++)
        if (p[i].len >= 1000)
            found = i;
    assert_true(found >= 0);
    assert_true(p[found].a_char <= 20000 && p[found].a_char + p[found].a_chars >= 21000);
    assert_true(p[found].b_char <= 45000 && p[found].b_char + p[found].b_chars >= 46000);
    free(p);
    double j;
    assert_int_equal(sim_jaccard(a, strlen(a), b, strlen(b), 5, &j, NULL), 0);
    assert_true(j > 0 && j < 0.02);

    /* over the cap: 300 KB of one repeated phrase, against itself */
    size_t big = 300 * 1024;
    char *r = malloc(big + 1);
    for (size_t i = 0; i < big; i++)
        r[i] = "同意"[i % 6];
    r[big] = 0;
    bool cut;
    char *o;
    size_t on;
    sim_normalise(r, big, &o, &on, &cut);
    assert_true(cut);
    assert_int_equal(on, SIM_MAX_BYTES / 3 * 3);
    free(o);
    assert_int_equal(sim_passages(r, big, r, big, 8, &p, &n, &inc, NULL), 0);
    assert_true(inc); /* over-common windows: the search is capped */
    for (int i = 0; i < n; i++)
        assert_true(p[i].a_byte + p[i].a_bytes <= SIM_MAX_BYTES &&
                    p[i].b_byte + p[i].b_bytes <= SIM_MAX_BYTES);
    free(p);
    sim_index *ix;
    assert_int_equal(sim_index_new(0, 0, 0, &ix, NULL), 0);
    assert_int_equal(sim_add(ix, 1, r, big, &cut, NULL), 0);
    assert_true(cut);
    assert_int_equal(sim_add(ix, 2, a, strlen(a), &cut, NULL), 0);
    assert_false(cut);
    struct pairs pp = {0};
    assert_int_equal(sim_pairs(ix, 0.1, collect, &pp, NULL), 0);
    assert_int_equal(pp.n, 0);
    sim_index_free(ix);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_true(secs < 5); /* linear: well under a second on this machine */
    free(r);
    free(a);
    free(b);
    free(shared);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(normalises),
        cmocka_unit_test(jaccard_of_shingles),
        cmocka_unit_test(index_finds_copies_not_strangers),
        cmocka_unit_test(index_is_the_same_in_any_order),
        cmocka_unit_test(index_refuses_bad_arguments),
        cmocka_unit_test(index_pairs_identical_texts_and_bounds_its_table),
        cmocka_unit_test(passages_of_copied_minutes),
        cmocka_unit_test(passages_skip_invalid_bytes),
        cmocka_unit_test(long_texts_are_cut_and_stay_linear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
