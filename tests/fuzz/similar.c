/*
 * similar: src/calc/similar.c on any bytes as two texts. Bytes 0–1 choose where the rest
 * is split into a and b, byte 2 the passage length m (0: the default) and the shingle
 * length k.
 *
 * Held to the contract (similar.h): every passage lies inside both texts (and the part
 * that is read), starts at a character and ends at the end of one (character offsets
 * agree with an independent decoder), has at least m characters, and its two substrings
 * normalise to the same text of exactly len characters; passages are in the order of a
 * and overlap in neither text; the same call gives the same passages; Jaccard lies in
 * [0, 1], is symmetric, and an index of the two texts reports exactly the pair whose
 * Jaccard is positive, with that value.
 */
#include <stdlib.h>
#include <string.h>

#include "calc/similar.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_ready();
    return 0;
}

/* Well-formed UTF-8 by RFC 3629's table: the length of the character at s[0..n), or 0
 * when s[0] does not begin one. */
static size_t char_len(const uint8_t *s, size_t n)
{
    uint8_t c = s[0];
    size_t len = c < 0x80 ? 1 : c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
    if (len == 0 || len > n)
        return 0;
    uint8_t lo = 0x80, hi = 0xBF; /* the second byte's range */
    if (c == 0xE0)
        lo = 0xA0;
    else if (c == 0xED)
        hi = 0x9F;
    else if (c == 0xF0)
        lo = 0x90;
    else if (c == 0xF4)
        hi = 0x8F;
    for (size_t i = 1; i < len; i++) {
        if (s[i] < (i == 1 ? lo : 0x80) || s[i] > (i == 1 ? hi : 0xBF))
            return 0;
    }
    return len;
}

/* Character index of each byte that starts a character in "s" (n bytes read), -1 for
 * the others; index n holds the total (a passage may end there). */
static long *char_starts(const uint8_t *s, size_t n)
{
    long *at = malloc((n + 1) * sizeof *at);
    long chars = 0;
    for (size_t i = 0; i < n;) {
        size_t l = char_len(s + i, n - i);
        if (l == 0) {
            at[i++] = -1;
            continue;
        }
        at[i] = chars++;
        for (size_t j = 1; j < l; j++)
            at[i + j] = -1;
        i += l;
    }
    at[n] = chars;
    return at;
}

static size_t utf8_count(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((uint8_t)*s & 0xC0) != 0x80;
    return n;
}

static void check_side(const char *side, const uint8_t *t, size_t len, const long *at, size_t byte,
                       size_t bytes, size_t chr, size_t chars)
{
    size_t n = len < SIM_MAX_BYTES ? len : SIM_MAX_BYTES;
    if (bytes == 0 || byte + bytes > n)
        fuzz_fail("%s: passage [%zu, +%zu) outside the %zu bytes read", side, byte, bytes, n);
    if (at[byte] < 0 || (size_t)at[byte] != chr)
        fuzz_fail("%s: byte %zu is not character %zu", side, byte, chr);
    size_t end = byte + bytes;
    size_t last = end - 1; /* the last byte must close a character that starts inside */
    while (last > byte && at[last] < 0)
        last--;
    if (last + char_len(t + last, n - last) != end)
        fuzz_fail("%s: passage ends at byte %zu, inside a character", side, end);
    size_t count = 0;
    for (size_t i = byte; i < end; i++)
        count += at[i] >= 0;
    if (count != chars)
        fuzz_fail("%s: %zu characters from %zu do not end at byte %zu", side, chars, chr, end);
}

static int record(void *ctx, int64_t a, int64_t b, double j)
{
    double *got = ctx;
    if (a != 1 || b != 2 || got[0] >= 0)
        fuzz_fail("pair (%lld, %lld) not the one expected", (long long)a, (long long)b);
    got[0] = j;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    size_t rest = size - 3, split = ((size_t)data[0] << 8 | data[1]) % (rest + 1);
    int m = data[2] & 15, k = 1 + (data[2] >> 4 & 7);
    const uint8_t *a = data + 3, *b = data + 3 + split;
    size_t alen = split, blen = rest - split;

    struct sim_passage *p, *q;
    int n, n2;
    bool inc, inc2;
    struct rerr e;
    if (sim_passages((const char *)a, alen, (const char *)b, blen, m, &p, &n, &inc, &e))
        fuzz_fail("sim_passages: %s", e.message);
    if (sim_passages((const char *)a, alen, (const char *)b, blen, m, &q, &n2, &inc2, &e))
        fuzz_fail("sim_passages again: %s", e.message);
    if (n != n2 || inc != inc2 || (n && memcmp(p, q, (size_t)n * sizeof *p)))
        fuzz_fail("the same call gave other passages");
    free(q);
    size_t na = alen < SIM_MAX_BYTES ? alen : SIM_MAX_BYTES, nb = blen < SIM_MAX_BYTES ? blen : SIM_MAX_BYTES;
    long *at_a = char_starts(a, na), *at_b = char_starts(b, nb);
    size_t mm = m ? (size_t)m : SIM_DEFAULT_MIN_PASSAGE;
    for (int i = 0; i < n; i++) {
        const struct sim_passage *x = &p[i];
        if (x->len < mm)
            fuzz_fail("passage %d of %zu characters, under %zu", i, x->len, mm);
        check_side("a", a, alen, at_a, x->a_byte, x->a_bytes, x->a_char, x->a_chars);
        check_side("b", b, blen, at_b, x->b_byte, x->b_bytes, x->b_char, x->b_chars);
        if (i > 0 && p[i - 1].a_byte + p[i - 1].a_bytes > x->a_byte)
            fuzz_fail("passages %d and %d overlap in a or are out of order", i - 1, i);
        for (int j = 0; j < i; j++)
            if (p[j].b_byte < x->b_byte + x->b_bytes && x->b_byte < p[j].b_byte + p[j].b_bytes)
                fuzz_fail("passages %d and %d overlap in b", j, i);
        char *sa, *sb;
        sim_normalise((const char *)a + x->a_byte, x->a_bytes, &sa, NULL, NULL);
        sim_normalise((const char *)b + x->b_byte, x->b_bytes, &sb, NULL, NULL);
        if (strcmp(sa, sb) || utf8_count(sa) != x->len)
            fuzz_fail("passage %d: \"%s\" and \"%s\" differ or are not %zu characters", i, sa, sb, x->len);
        free(sa);
        free(sb);
    }
    free(at_a);
    free(at_b);
    free(p);

    double jab, jba;
    if (sim_jaccard((const char *)a, alen, (const char *)b, blen, k, &jab, &e) ||
        sim_jaccard((const char *)b, blen, (const char *)a, alen, k, &jba, &e))
        fuzz_fail("sim_jaccard: %s", e.message);
    if (!(jab >= 0 && jab <= 1) || memcmp(&jab, &jba, sizeof jab))
        fuzz_fail("Jaccard %g / %g not in [0, 1] or not symmetric", jab, jba);

    sim_index *ix;
    if (sim_index_new(k, 16, 16, &ix, &e) || sim_add(ix, 2, (const char *)b, blen, NULL, &e) ||
        sim_add(ix, 1, (const char *)a, alen, NULL, &e))
        fuzz_fail("index: %s", e.message);
    double got = -1; /* one band per hash: any shared shingle likely, not certainly, a candidate */
    if (sim_pairs(ix, 1e-9, record, &got, &e))
        fuzz_fail("sim_pairs: %s", e.message);
    if (got >= 0 && memcmp(&got, &jab, sizeof got))
        fuzz_fail("the index's Jaccard %.17g is not sim_jaccard's %.17g", got, jab);
    if (got < 0 && jab == 1)
        fuzz_fail("identical shingle sets not paired");
    sim_index_free(ix);
    return 0;
}
