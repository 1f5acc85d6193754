/*
 * calc/similar.c: normalisation, shingles, MinHash/LSH and matched passages (contracts
 * in similar.h).
 *
 * A text is decoded once into a "struct norm": its normalised code points and, for each,
 * where it came from in the original (byte offset, byte length, character index), so
 * that anything found in the normalised text maps back exactly. Offsets fit in 32 bits
 * because only SIM_MAX_BYTES bytes are read.
 *
 * Hashes are fixed functions (splitmix64's finaliser over constant seeds): no state
 * from the run, the machine or the order texts were added reaches a result.
 */
#include "calc/similar.h"

#include <stdlib.h>
#include <string.h>

#include "base/log.h"

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die("calc/similar: out of memory");
    return p;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die("calc/similar: out of memory");
    return p;
}

static uint64_t mix64(uint64_t z)
{
    z ^= z >> 30;
    z *= 0xbf58476d1ce4e5b9ULL;
    z ^= z >> 27;
    z *= 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* ==== decoding and normalisation ===================================================== */

/* The well-formed UTF-8 sequence at s[0..n) (n ≥ 1): its length into *len and code
 * point as the result, or -1 when s[0] does not begin one (overlong forms, surrogates
 * and values past U+10FFFF are not well-formed). */
static int32_t utf8_next(const unsigned char *s, size_t n, int *len)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *len = 1;
        return (int32_t)c;
    }
    int need;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1, cp = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2, cp = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3, cp = c & 0x07, min = 0x10000;
    } else {
        return -1;
    }
    if ((size_t)need >= n)
        return -1;
    for (int i = 1; i <= need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *len = need + 1;
    return (int32_t)cp;
}

static bool is_drop_ascii(uint32_t c)
{
    return c <= 0x20 || c == 0x7F || (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) ||
           (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E);
}

/* The normalised form of code point "c", or 0 when it is dropped. */
static uint32_t fold_char(uint32_t c)
{
    if (c >= 0xFF01 && c <= 0xFF5E) /* full-width ASCII */
        c -= 0xFEE0;
    if (c < 0x80) {
        if (is_drop_ascii(c))
            return 0;
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }
    if (c < 0xA0 ||
        (c >= 0xA0 && c <= 0xBF && c != 0xB2 && c != 0xB3 && c != 0xB9)) /* C1, Latin-1 punctuation */
        return 0;
    if (c == 0x1680 || (c >= 0x180B && c <= 0x180F) ||
        (c >= 0x2000 && c <= 0x206F) || /* spaces, general punct. */
        (c >= 0x3000 && c <= 0x3004) || (c >= 0x3008 && c <= 0x3011) || (c >= 0x3014 && c <= 0x301F) ||
        c == 0x3030 || c == 0x303D ||
        (c >= 0xFE00 && c <= 0xFE6F) || /* selectors, vertical and small forms */
        (c >= 0xFF5F && c <= 0xFF65) || c == 0xFEFF || (c >= 0xE0100 && c <= 0xE01EF))
        return 0;
    return c;
}

struct norm {
    uint32_t *cp;   /* normalised code points */
    uint32_t *byte; /* each one's byte offset in the original */
    uint32_t *chr;  /* ... and character index */
    uint8_t *blen;  /* ... and its length in bytes there */
    size_t n;
    bool truncated;
};

static void norm_free(struct norm *t)
{
    free(t->cp);
    free(t->byte);
    free(t->chr);
    free(t->blen);
}

/* "with_map": fill byte/chr/blen too (passages need them, shingles do not). */
static void norm_make(const char *text, size_t len, bool with_map, struct norm *t)
{
    memset(t, 0, sizeof *t);
    if (!text)
        len = 0;
    t->truncated = len > SIM_MAX_BYTES;
    if (t->truncated)
        len = SIM_MAX_BYTES;
    t->cp = xmalloc(len * sizeof *t->cp);
    if (with_map) {
        t->byte = xmalloc(len * sizeof *t->byte);
        t->chr = xmalloc(len * sizeof *t->chr);
        t->blen = xmalloc(len);
    }
    const unsigned char *s = (const unsigned char *)text;
    uint32_t chars = 0;
    for (size_t i = 0; i < len;) {
        int l;
        int32_t c = utf8_next(s + i, len - i, &l);
        if (c < 0) {
            i++;
            continue;
        }
        uint32_t f = fold_char((uint32_t)c);
        if (f) {
            t->cp[t->n] = f;
            if (with_map) {
                t->byte[t->n] = (uint32_t)i;
                t->chr[t->n] = chars;
                t->blen[t->n] = (uint8_t)l;
            }
            t->n++;
        }
        chars++;
        i += (size_t)l;
    }
}

static size_t utf8_put(uint32_t c, char *o)
{
    if (c < 0x80) {
        o[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (char)(0xC0 | c >> 6);
        o[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (char)(0xE0 | c >> 12);
        o[1] = (char)(0x80 | (c >> 6 & 0x3F));
        o[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | c >> 18);
    o[1] = (char)(0x80 | (c >> 12 & 0x3F));
    o[2] = (char)(0x80 | (c >> 6 & 0x3F));
    o[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

int sim_normalise(const char *text, size_t len, char **out, size_t *out_len, bool *truncated)
{
    struct norm t;
    norm_make(text, len, false, &t);
    char *o = xmalloc(4 * t.n + 1);
    size_t k = 0;
    for (size_t i = 0; i < t.n; i++)
        k += utf8_put(t.cp[i], o + k);
    o[k] = 0;
    *out = o;
    if (out_len)
        *out_len = k;
    if (truncated)
        *truncated = t.truncated;
    norm_free(&t);
    return 0;
}

/* ==== shingles ======================================================================= */

static int cmp_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return a < b ? -1 : a > b;
}

/* The sorted, distinct k-shingle hashes of "t" into *set (malloc'd, NULL when none). */
static size_t shingle_set(const struct norm *t, int k, uint64_t **set)
{
    *set = NULL;
    if (t->n < (size_t)k)
        return 0;
    size_t n = t->n - (size_t)k + 1;
    uint64_t *s = xmalloc(n * sizeof *s);
    for (size_t i = 0; i < n; i++) {
        uint64_t h = 0x9E3779B97F4A7C15ULL ^ (uint64_t)k;
        for (int j = 0; j < k; j++)
            h = mix64(h ^ t->cp[i + (size_t)j]);
        s[i] = h;
    }
    qsort(s, n, sizeof *s, cmp_u64);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || s[i] != s[u - 1])
            s[u++] = s[i];
    *set = s;
    return u;
}

static double jaccard_sets(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    if (na == 0 || nb == 0)
        return 0;
    size_t i = 0, j = 0, both = 0;
    while (i < na && j < nb) {
        if (a[i] < b[j]) {
            i++;
        } else if (a[i] > b[j]) {
            j++;
        } else {
            both++;
            i++;
            j++;
        }
    }
    return (double)both / (double)(na + nb - both);
}

static int check_k(int *k, struct rerr *e)
{
    if (*k <= 0)
        *k = SIM_DEFAULT_K;
    if (*k > SIM_MAX_K)
        return rerr_set(e, R_EINVAL, "bad_shingle", "k", "片段长度 %d 超出范围（1–%d）", *k, SIM_MAX_K);
    return 0;
}

int sim_jaccard(const char *a, size_t alen, const char *b, size_t blen, int k, double *out, struct rerr *e)
{
    int rc = check_k(&k, e);
    if (rc)
        return rc;
    struct norm ta, tb;
    norm_make(a, alen, false, &ta);
    norm_make(b, blen, false, &tb);
    uint64_t *sa, *sb;
    size_t na = shingle_set(&ta, k, &sa), nb = shingle_set(&tb, k, &sb);
    *out = jaccard_sets(sa, na, sb, nb);
    free(sa);
    free(sb);
    norm_free(&ta);
    norm_free(&tb);
    return 0;
}

/* ==== the index ====================================================================== */

struct sim_text {
    int64_t id;
    uint64_t *set; /* sorted distinct shingle hashes */
    size_t n;
    uint64_t *sig; /* "hashes" minima, NULL when n is 0 */
};

struct sim_index {
    int k, hashes, bands;
    uint64_t *seeds;
    struct sim_text *texts;
    size_t ntexts, cap;
};

int sim_index_new(int k, int hashes, int bands, sim_index **out, struct rerr *e)
{
    *out = NULL;
    int rc = check_k(&k, e);
    if (rc)
        return rc;
    if (hashes <= 0)
        hashes = SIM_DEFAULT_HASHES;
    if (bands <= 0)
        bands = hashes < SIM_DEFAULT_BANDS ? hashes : SIM_DEFAULT_BANDS;
    if (hashes > SIM_MAX_HASHES || bands > hashes || hashes % bands)
        return rerr_set(e, R_EINVAL, "bad_minhash", "", "哈希个数 %d 须在 1–%d 之间且能被分段数 %d 整除",
                        hashes, SIM_MAX_HASHES, bands);
    sim_index *ix = xmalloc(sizeof *ix);
    memset(ix, 0, sizeof *ix);
    ix->k = k;
    ix->hashes = hashes;
    ix->bands = bands;
    ix->seeds = xmalloc((size_t)hashes * sizeof *ix->seeds);
    for (int i = 0; i < hashes; i++)
        ix->seeds[i] = mix64(0x5EED5EED00000000ULL + (uint64_t)i);
    *out = ix;
    return 0;
}

void sim_index_free(sim_index *ix)
{
    if (!ix)
        return;
    for (size_t i = 0; i < ix->ntexts; i++) {
        free(ix->texts[i].set);
        free(ix->texts[i].sig);
    }
    free(ix->texts);
    free(ix->seeds);
    free(ix);
}

int sim_add(sim_index *ix, int64_t id, const char *text, size_t len, bool *truncated, struct rerr *e)
{
    CHECK(ix);
    if (!text && len > 0)
        return rerr_set(e, R_EINVAL, "bad_text", "", "缺少文本");
    if (ix->ntexts >= SIM_MAX_TEXTS)
        return rerr_set(e, R_ETOOBIG, "too_many_texts", "", "比对文本不能超过 %d 篇", SIM_MAX_TEXTS);
    if (ix->ntexts == ix->cap) {
        ix->cap = ix->cap ? 2 * ix->cap : 64;
        ix->texts = xrealloc(ix->texts, ix->cap * sizeof *ix->texts);
    }
    struct norm t;
    norm_make(text, len, false, &t);
    struct sim_text *st = &ix->texts[ix->ntexts++];
    memset(st, 0, sizeof *st);
    st->id = id;
    st->n = shingle_set(&t, ix->k, &st->set);
    if (truncated)
        *truncated = t.truncated;
    norm_free(&t);
    if (st->n) {
        st->sig = xmalloc((size_t)ix->hashes * sizeof *st->sig);
        for (int h = 0; h < ix->hashes; h++) {
            uint64_t lo = UINT64_MAX, seed = ix->seeds[h];
            for (size_t i = 0; i < st->n; i++) {
                uint64_t v = mix64(st->set[i] ^ seed);
                if (v < lo)
                    lo = v;
            }
            st->sig[h] = lo;
        }
    }
    return 0;
}

struct band_entry {
    uint64_t hash;
    uint32_t band, text; /* text: its position in id order */
};

static int cmp_band(const void *pa, const void *pb)
{
    const struct band_entry *a = pa, *b = pb;
    if (a->band != b->band)
        return a->band < b->band ? -1 : 1;
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    return a->text < b->text ? -1 : a->text > b->text;
}

static int cmp_text_id(const void *pa, const void *pb)
{
    const struct sim_text *a = *(struct sim_text *const *)pa, *b = *(struct sim_text *const *)pb;
    return a->id < b->id ? -1 : a->id > b->id;
}

int sim_pairs(sim_index *ix, double threshold, sim_pair_fn fn, void *ctx, struct rerr *e)
{
    CHECK(ix && fn);
    if (!(threshold > 0 && threshold <= 1))
        return rerr_set(e, R_EINVAL, "bad_threshold", "threshold", "相似度阈值须大于 0 且不超过 1");
    size_t nt = ix->ntexts;
    struct sim_text **by_id = xmalloc(nt * sizeof *by_id);
    for (size_t i = 0; i < nt; i++)
        by_id[i] = &ix->texts[i];
    qsort(by_id, nt, sizeof *by_id, cmp_text_id);
    for (size_t i = 1; i < nt; i++)
        if (by_id[i]->id == by_id[i - 1]->id) {
            int64_t id = by_id[i]->id;
            free(by_id);
            return rerr_set(e, R_ECONFLICT, "duplicate_id", "", "文本编号 %lld 重复加入", (long long)id);
        }

    if (nt * (size_t)ix->bands > SIM_MAX_BAND_ENTRIES) {
        free(by_id);
        return rerr_set(e, R_ETOOBIG, "too_many_texts", "", "比对文本过多：%zu 篇 × %d 段超过 %d", nt,
                        ix->bands, SIM_MAX_BAND_ENTRIES);
    }
    int rows = ix->hashes / ix->bands;
    size_t ne = 0;
    struct band_entry *be = xmalloc(nt * (size_t)ix->bands * sizeof *be);
    for (size_t t = 0; t < nt; t++) {
        if (!by_id[t]->sig)
            continue;
        for (int b = 0; b < ix->bands; b++) {
            uint64_t h = mix64(0xBA4D000000000000ULL + (uint64_t)b);
            for (int r = 0; r < rows; r++)
                h = mix64(h ^ by_id[t]->sig[b * rows + r]);
            be[ne++] = (struct band_entry){h, (uint32_t)b, (uint32_t)t};
        }
    }
    qsort(be, ne, sizeof *be, cmp_band);

    uint64_t *cand = NULL; /* (a << 32 | b), a < b in id order */
    size_t nc = 0, cc = 0;
    int rc = 0;
    for (size_t i = 0; i < ne && !rc;) {
        size_t j = i + 1;
        while (j < ne && be[j].band == be[i].band && be[j].hash == be[i].hash)
            j++;
        for (size_t x = i; x < j && !rc; x++)
            for (size_t y = x + 1; y < j; y++) {
                if (nc >= SIM_MAX_CANDIDATES) {
                    rc = rerr_set(e, R_ETOOBIG, "too_many_candidates", "",
                                  "相似候选超过 %d 对（大量文本完全相同）：请增加每段行数",
                                  SIM_MAX_CANDIDATES);
                    break;
                }
                if (nc == cc) {
                    cc = cc ? 2 * cc : 1024;
                    cand = xrealloc(cand, cc * sizeof *cand);
                }
                cand[nc++] = (uint64_t)be[x].text << 32 | be[y].text;
            }
        i = j;
    }
    free(be);
    if (!rc) {
        if (nc)
            qsort(cand, nc, sizeof *cand, cmp_u64);
        for (size_t i = 0; i < nc && !rc; i++) {
            if (i > 0 && cand[i] == cand[i - 1])
                continue;
            const struct sim_text *a = by_id[cand[i] >> 32], *b = by_id[cand[i] & 0xFFFFFFFFu];
            double j = jaccard_sets(a->set, a->n, b->set, b->n);
            if (j > 0 && j >= threshold)
                rc = fn(ctx, a->id, b->id, j);
        }
    }
    free(cand);
    free(by_id);
    return rc;
}

/* ==== passages ======================================================================= */

#define SEED_CAP 8
#define WORK_FACTOR 16

struct window {
    uint64_t hash;
    uint32_t pos;
};

static int cmp_window(const void *pa, const void *pb)
{
    const struct window *a = pa, *b = pb;
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

struct match {
    uint32_t i, j, len;
};

static int cmp_match_long_first(const void *pa, const void *pb)
{
    const struct match *a = pa, *b = pb;
    if (a->len != b->len)
        return a->len > b->len ? -1 : 1;
    if (a->i != b->i)
        return a->i < b->i ? -1 : 1;
    return a->j < b->j ? -1 : a->j > b->j;
}

static int cmp_match_in_a(const void *pa, const void *pb)
{
    const struct match *a = pa, *b = pb;
    if (a->i != b->i)
        return a->i < b->i ? -1 : 1;
    return a->j < b->j ? -1 : a->j > b->j;
}

#define WINDOW_BASE 0x100000001B3ULL /* odd: multiplication by it is invertible mod 2^64 */

/* The hash of every m-character window of "t" (t->n ≥ m): a polynomial in WINDOW_BASE,
 * rolled. */
static uint64_t *window_hashes(const struct norm *t, size_t m)
{
    size_t n = t->n - m + 1;
    uint64_t *h = xmalloc(n * sizeof *h), top = 1, v = 0;
    for (size_t i = 0; i + 1 < m; i++)
        top *= WINDOW_BASE;
    for (size_t i = 0; i < m; i++)
        v = v * WINDOW_BASE + t->cp[i];
    h[0] = v;
    for (size_t i = 1; i < n; i++) {
        v = (v - t->cp[i - 1] * top) * WINDOW_BASE + t->cp[i + m - 1];
        h[i] = v;
    }
    return h;
}

static void passage_from(const struct norm *ta, const struct norm *tb, const struct match *mt,
                         struct sim_passage *p)
{
    size_t ia = mt->i, ja = mt->i + mt->len - 1, ib = mt->j, jb = mt->j + mt->len - 1;
    p->a_byte = ta->byte[ia];
    p->a_bytes = ta->byte[ja] + ta->blen[ja] - ta->byte[ia];
    p->a_char = ta->chr[ia];
    p->a_chars = ta->chr[ja] + 1 - ta->chr[ia];
    p->b_byte = tb->byte[ib];
    p->b_bytes = tb->byte[jb] + tb->blen[jb] - tb->byte[ib];
    p->b_char = tb->chr[ib];
    p->b_chars = tb->chr[jb] + 1 - tb->chr[ib];
    p->len = mt->len;
}

int sim_passages(const char *a, size_t alen, const char *b, size_t blen, int m, struct sim_passage **out,
                 int *n, bool *incomplete, struct rerr *e)
{
    if (!out || !n || (!a && alen) || (!b && blen))
        return rerr_set(e, R_EINVAL, "bad_text", "", "缺少文本");
    *out = NULL;
    *n = 0;
    if (incomplete)
        *incomplete = false;
    if (m <= 0)
        m = SIM_DEFAULT_MIN_PASSAGE;
    struct norm ta, tb;
    norm_make(a, alen, true, &ta);
    norm_make(b, blen, true, &tb);
    size_t mm = (size_t)m;
    if (ta.n < mm || tb.n < mm) {
        norm_free(&ta);
        norm_free(&tb);
        return 0;
    }
    size_t nwa = ta.n - mm + 1, nwb = tb.n - mm + 1;
    uint64_t *ha = window_hashes(&ta, mm), *hb = window_hashes(&tb, mm);
    struct window *wb = xmalloc(nwb * sizeof *wb);
    for (size_t j = 0; j < nwb; j++)
        wb[j] = (struct window){hb[j], (uint32_t)j};
    free(hb);
    qsort(wb, nwb, sizeof *wb, cmp_window);

    size_t budget = WORK_FACTOR * (ta.n + tb.n), work = 0, nm = 0, cm = 0;
    struct match *ms = NULL;
    bool over_budget = false, capped = false;
    for (size_t i = 0; i < nwa && !over_budget; i++) {
        size_t lo = 0, hi = nwb; /* the first window of b with hash >= ha[i] */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (wb[mid].hash < ha[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        for (size_t s = lo; s < nwb && wb[s].hash == ha[i]; s++) {
            if (s - lo >= SEED_CAP) {
                capped = true; /* an over-common window: its later places are not seeds */
                break;
            }
            size_t j = wb[s].pos;
            if (i > 0 && j > 0 && ta.cp[i - 1] == tb.cp[j - 1])
                continue; /* not left-maximal: the seed one to the left covers it */
            if (memcmp(ta.cp + i, tb.cp + j, mm * sizeof *ta.cp))
                continue; /* a hash collision */
            size_t len = mm;
            while (i + len < ta.n && j + len < tb.n && ta.cp[i + len] == tb.cp[j + len])
                len++;
            work += len;
            if (nm == cm) {
                cm = cm ? 2 * cm : 64;
                ms = xrealloc(ms, cm * sizeof *ms);
            }
            ms[nm++] = (struct match){(uint32_t)i, (uint32_t)j, (uint32_t)len};
            if (work > budget) {
                over_budget = true;
                break;
            }
        }
    }
    if (incomplete)
        *incomplete = capped || over_budget;
    free(ha);
    free(wb);

    /* longest first, none overlapping a kept one in either text */
    if (nm)
        qsort(ms, nm, sizeof *ms, cmp_match_long_first);
    uint8_t *used_a = xmalloc(ta.n), *used_b = xmalloc(tb.n);
    memset(used_a, 0, ta.n);
    memset(used_b, 0, tb.n);
    size_t kept = 0;
    for (size_t x = 0; x < nm; x++) {
        struct match mt = ms[x];
        bool clash = false;
        for (size_t t = 0; t < mt.len && !clash; t++)
            clash = used_a[mt.i + t] || used_b[mt.j + t];
        if (clash)
            continue;
        memset(used_a + mt.i, 1, mt.len);
        memset(used_b + mt.j, 1, mt.len);
        ms[kept++] = mt;
    }
    free(used_a);
    free(used_b);
    if (kept)
        qsort(ms, kept, sizeof *ms, cmp_match_in_a);
    struct sim_passage *ps = kept ? xmalloc(kept * sizeof *ps) : NULL;
    for (size_t x = 0; x < kept; x++)
        passage_from(&ta, &tb, &ms[x], &ps[x]);
    free(ms);
    norm_free(&ta);
    norm_free(&tb);
    *out = ps;
    *n = (int)kept;
    return 0;
}
