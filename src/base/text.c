#include "base/text.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unicode/ucol.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "base/log.h"

/* The length in bytes of the well-formed UTF-8 sequence at "p" (1–4), or 0 when the
 * bytes there are not one (an ill-formed or overlong sequence, a surrogate, a cut-off
 * tail, or the terminating NUL). */
static size_t utf8_seq(const unsigned char *p)
{
    unsigned c = *p;
    size_t n;
    uint32_t cp;
    if (!c)
        return 0;
    if (c < 0x80)
        return 1;
    if ((c & 0xe0) == 0xc0) {
        n = 1;
        cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
        n = 2;
        cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
        n = 3;
        cp = c & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i <= n; i++) {
        if ((p[i] & 0xc0) != 0x80) /* also stops at the NUL */
            return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n + 1;
}

bool text_utf8_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p < 0x80 && ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7f))
            return false;
        size_t n = utf8_seq(p);
        if (!n)
            return false;
        if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0) /* C1 controls, U+0080–U+009F */
            return false;
        p += n;
    }
    return true;
}

void text_utf8_repair(char *s)
{
    unsigned char *p = (unsigned char *)s;
    while (*p) {
        size_t n = utf8_seq(p);
        if (n) {
            p += n;
            continue;
        }
        /* A lead byte whose sequence the NUL cut short: a tail cut off by truncation.
         * (0xc0, 0xc1 and 0xf5-0xff lead nothing: they are bad bytes wherever they are.) */
        size_t rest = strlen((char *)p);
        if (*p >= 0xc2 && *p <= 0xf4 && rest < 4) {
            bool cut = true;
            for (size_t i = 1; i < rest; i++)
                cut &= (p[i] & 0xc0) == 0x80;
            if (cut) {
                *p = 0;
                return;
            }
        }
        *p++ = '?';
    }
}

/* The "len" bytes of "s" without white space at either end (ASCII space, tab, CR, LF;
 * NBSP U+00A0; ideographic space U+3000): from "*start", "*n" bytes. */
void text_trim(const char *s, size_t len, const char **start, size_t *n)
{
    const unsigned char *p = (const unsigned char *)s, *e = p + len;
    for (;;) {
        if (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
            p++;
        else if (e - p >= 2 && p[0] == 0xC2 && p[1] == 0xA0)
            p += 2;
        else if (e - p >= 3 && p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
            p += 3;
        else
            break;
    }
    for (;;) {
        if (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
            e--;
        else if (e - p >= 2 && e[-2] == 0xC2 && e[-1] == 0xA0)
            e -= 2;
        else if (e - p >= 3 && e[-3] == 0xE3 && e[-2] == 0x80 && e[-1] == 0x80)
            e -= 3;
        else
            break;
    }
    *start = (const char *)p;
    *n = (size_t)(e - p);
}

bool text_blank(const char *s)
{
    const char *start;
    size_t n;
    if (!s)
        return true;
    text_trim(s, strlen(s), &start, &n);
    return n == 0;
}

void text_clip(const char *s, size_t max_chars, char *out, size_t size)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = 0, chars = 0;
    while (p[n] && chars < max_chars) {
        size_t k = p[n] < 0x80 ? 1 : p[n] < 0xE0 ? 2 : p[n] < 0xF0 ? 3 : 4;
        for (size_t i = 1; i < k; i++)
            if (!p[n + i]) /* cut short: stop before it */
                k = 0;
        if (!k)
            break;
        n += k;
        chars++;
    }
    bool cut = p[n] != 0;
    snprintf(out, size, "%.*s%s", (int)n, (const char *)p, cut ? "…" : "");
    text_utf8_repair(out);
}

size_t text_utf8_len(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xc0) != 0x80)
            n++;
    return n;
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int text_digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool text_date_ok(const char *s)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1)
        return false;
    int max = mdays[m - 1] + (m == 2 && is_leap(y));
    return d <= max;
}

void text_today(char out[11])
{
    time_t now = time(NULL) + 8 * 3600;
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

void text_now(char out[32])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char base[24];
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, 32, "%s.%03dZ", base, (int)(ts.tv_nsec / 1000000) % 1000);
}

/* ---- ICU ---- */

static UChar *to_u(arena *a, const char *s, int32_t *len)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = 0;
    u_strFromUTF8(NULL, 0, &n, s, -1, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
        return NULL;
    st = U_ZERO_ERROR;
    UChar *u = arena_alloc(a, ((size_t)n + 1) * sizeof(UChar));
    u_strFromUTF8(u, n + 1, len, s, -1, &st);
    return U_FAILURE(st) ? NULL : u;
}

static char *from_u(arena *a, const UChar *u, int32_t len)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = 0;
    u_strToUTF8(NULL, 0, &n, u, len, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
        return NULL;
    st = U_ZERO_ERROR;
    char *s = arena_alloc(a, (size_t)n + 1);
    u_strToUTF8(s, n + 1, NULL, u, len, &st);
    return U_FAILURE(st) ? NULL : s;
}

char *text_fold(arena *a, const char *s)
{
    int32_t len;
    UChar *u = to_u(a, s, &len);
    if (!u)
        return NULL;
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nf = unorm2_getNFKCCasefoldInstance(&st);
    if (U_FAILURE(st))
        return NULL;
    /* Folding can grow text far more than threefold (U+FDFA becomes 18 characters): a
     * first guess, and when ICU says it was too small, exactly the size it asks for. */
    int32_t cap = len * 3 + 16;
    UChar *out = arena_alloc(a, (size_t)cap * sizeof(UChar));
    int32_t n = unorm2_normalize(nf, u, len, out, cap, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR) {
        st = U_ZERO_ERROR;
        cap = n + 1;
        out = arena_alloc(a, (size_t)cap * sizeof(UChar));
        n = unorm2_normalize(nf, u, len, out, cap, &st);
    }
    if (U_FAILURE(st))
        return NULL;
    int32_t w = 0;
    for (int32_t i = 0; i < n; i++)
        if (!u_isUWhiteSpace(out[i]))
            out[w++] = out[i];
    return from_u(a, out, w);
}

static pthread_mutex_t pinyin_lock = PTHREAD_MUTEX_INITIALIZER;
static UTransliterator *pinyin;

/* Pinyin of "s", syllables separated by spaces, lower-case ASCII. */
static char *to_pinyin(arena *a, const char *s)
{
    int32_t len;
    UChar *u = to_u(a, s, &len);
    if (!u)
        return NULL;
    int32_t cap = len * 8 + 16;
    UChar *buf = arena_alloc(a, (size_t)cap * sizeof(UChar));
    u_memcpy(buf, u, len);
    int32_t limit = len, textlen = len;
    UErrorCode st = U_ZERO_ERROR;
    pthread_mutex_lock(&pinyin_lock);
    if (!pinyin) {
        UChar id[64];
        u_uastrcpy(id, "Han-Latin/Names; Latin-ASCII; Lower");
        pinyin = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
        if (U_FAILURE(st)) {
            pinyin = NULL;
            pthread_mutex_unlock(&pinyin_lock);
            log_warn("ICU 拼音转换不可用: %s", u_errorName(st));
            return NULL;
        }
    }
    utrans_transUChars(pinyin, buf, &textlen, cap, 0, &limit, &st);
    pthread_mutex_unlock(&pinyin_lock);
    if (U_FAILURE(st))
        return NULL;
    return from_u(a, buf, textlen);
}

void text_warm(void)
{
    arena *a = arena_new();
    to_pinyin(a, "通辽");
    arena_free(a);
}

char *text_name_key(arena *a, const char *name, const char *name_mn)
{
    const char *folded = text_fold(a, name);
    if (!folded)
        folded = "";
    const char *py = to_pinyin(a, name);
    char *joined = arena_strdup(a, py ? py : "");
    char *initials = arena_alloc(a, strlen(joined) + 1);
    /* Run the syllables together and keep each syllable's first letter. */
    size_t w = 0, k = 0;
    bool start = true;
    for (const char *p = joined; *p; p++) {
        if (*p == ' ' || *p == '-' || *p == '\'') {
            start = true;
            continue;
        }
        if (*p >= 'a' && *p <= 'z') {
            if (start)
                initials[k++] = *p;
            joined[w++] = *p;
        }
        start = false;
    }
    joined[w] = 0;
    initials[k] = 0;
    const char *mn = name_mn && *name_mn ? text_fold(a, name_mn) : NULL;
    return arena_printf(a, "%s %s %s%s%s", folded, joined, initials, mn ? " " : "", mn ? mn : "");
}

/* ---- collation ---- */

text_collator *text_collator_new(void)
{
    UErrorCode st = U_ZERO_ERROR;
    UCollator *c = ucol_open("zh", &st);
    if (U_FAILURE(st))
        return NULL;
    return (text_collator *)c;
}

void text_collator_free(void *c)
{
    if (c)
        ucol_close((UCollator *)c);
}

int text_collate(void *c, int alen, const void *a, int blen, const void *b)
{
    UErrorCode st = U_ZERO_ERROR;
    UCollationResult r = ucol_strcollUTF8((UCollator *)c, a, alen, b, blen, &st);
    if (U_FAILURE(st)) {
        int n = memcmp(a, b, (size_t)(alen < blen ? alen : blen));
        return n ? n : alen - blen;
    }
    return r == UCOL_LESS ? -1 : r == UCOL_GREATER ? 1 : 0;
}
