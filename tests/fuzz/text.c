/*
 * text: the helpers of src/base/text.h that take text from outside — UTF-8 checking,
 * repair and counting, dates (and identity numbers, base/idcard.h), search folding, name keys (pinyin),
 * collation — and the password rule (src/auth/password.h), which judges text a user types.
 *
 * Input: the first byte chooses the helper, the rest is the text (for collation, name
 * keys and the password rule, two texts separated by the first NUL; for X-Forwarded-For,
 * header values separated by NULs, read as from peer 127.0.0.1). Each helper is also held to its
 * contract, checked against ICU or the C library doing the same job another way.
 */
#include <arpa/inet.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "auth/password.h"
#include "base/arena.h"
#include "base/idcard.h"
#include "base/text.h"
#include "fuzz.h"
#include "http/proxy.h"

static text_collator *zh;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    zh = text_collator_new();
    struct rerr err = {0};
    if (proxy_trust("127.0.0.1,10.0.0.0/8,fd00::/8", &err) < 0)
        fuzz_fail("proxy_trust: %s", err.message);
    text_warm();
    fuzz_ready();
    return 0;
}

/* Independent of text.c: ICU's UTF-8 decoder, then the rule on control characters
 * (C0 but tab, newline and carriage return; DEL; C1), counting code points. */
static bool utf8_ok_icu(const char *s, int32_t *ncp)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = 0;
    u_strFromUTF8(NULL, 0, &n, s, -1, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR && st != U_STRING_NOT_TERMINATED_WARNING && U_FAILURE(st))
        return false;
    UChar *u = malloc(((size_t)n + 1) * sizeof *u);
    st = U_ZERO_ERROR;
    u_strFromUTF8(u, n + 1, NULL, s, -1, &st);
    bool ok = U_SUCCESS(st);
    *ncp = 0;
    for (int32_t i = 0; ok && i < n; (*ncp)++) {
        UChar32 c;
        U16_NEXT(u, i, n, c);
        ok = !((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7f && c <= 0x9f));
    }
    free(u);
    return ok;
}

static void check_utf8(const char *s)
{
    int32_t ncp = 0;
    bool ours = text_utf8_ok(s), icu = utf8_ok_icu(s, &ncp);
    if (ours != icu)
        fuzz_fail("text_utf8_ok says %d, ICU says %d", ours, icu);
    if (ours && text_utf8_len(s) != (size_t)ncp)
        fuzz_fail("text_utf8_len %zu, expected %d", text_utf8_len(s), ncp);
    if (ours != fuzz_json_text_ok(s) && ours)
        fuzz_fail("text_utf8_ok accepts what jansson refuses");
}

static void check_date(const char *s)
{
    bool ok = text_date_ok(s);
    /* The same question asked of the C library: does the date survive a round trip? */
    struct tm tm = {0};
    const char *end = strlen(s) == 10 ? strptime(s, "%Y-%m-%d", &tm) : NULL;
    bool ref = end && !*end;
    for (int i = 0; ref && i < 10; i++)
        ref = i == 4 || i == 7 ? s[i] == '-' : s[i] >= '0' && s[i] <= '9';
    if (ref) {
        int y = tm.tm_year, m = tm.tm_mon, d = tm.tm_mday;
        time_t t = timegm(&tm);
        struct tm back;
        gmtime_r(&t, &back);
        ref = back.tm_year == y && back.tm_mon == m && back.tm_mday == d && y >= 0 && y <= 200;
    }
    if (ok != ref)
        fuzz_fail("text_date_ok(\"%s\") says %d, the C library says %d", s, ok, ref);
}

/* An identity number accepted is rebuilt from its parts to the same number (so its
 * check character is the one idcard_make computes), its birth date is a real day, and
 * its mask keeps the length; a refusal always has a message. */
static void check_idcard(const char *s)
{
    struct idcard c;
    enum idcard_status st = idcard_parse(s, "2026-12-01", &c);
    if (st != IDCARD_OK) {
        if (!*idcard_problem(st))
            fuzz_fail("idcard_parse(\"%s\") refused without a message", s);
        return;
    }
    char region[7], again[19], m[41];
    memcpy(region, c.number, 6);
    region[6] = 0;
    int seq = (c.number[14] - '0') * 100 + (c.number[15] - '0') * 10 + (c.number[16] - '0');
    if (strlen(c.number) != 18 || !text_date_ok(c.birth_date) ||
        !idcard_make(region, c.birth_date, seq, again) || strcmp(again, c.number) != 0 ||
        strncasecmp(s, c.number, 18) != 0 || c.male != (seq % 2 == 1))
        fuzz_fail("idcard_parse(\"%s\") accepted a number it cannot rebuild (%s)", s, c.number);
    idcard_mask(c.number, m);
    if (strlen(m) != 18 || m[0] != c.number[0] || m[17] != c.number[17] || m[8] != '*')
        fuzz_fail("idcard_mask(\"%s\") gave \"%s\"", c.number, m);
}

static void check_fold(const char *s)
{
    arena *a = arena_new();
    char *f = text_fold(a, s);
    if (text_utf8_ok(s)) {
        if (!f)
            fuzz_fail("text_fold refused well-formed text");
        if (!text_utf8_ok(f))
            fuzz_fail("text_fold gave malformed text");
        for (const char *p = f; *p; p++)
            if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
                fuzz_fail("text_fold left white space");
    }
    arena_free(a);
}

static void check_name_key(const char *name, const char *mn)
{
    arena *a = arena_new();
    char *k = text_name_key(a, name, mn);
    if (!k)
        fuzz_fail("text_name_key returned NULL");
    if (text_utf8_ok(name) && text_utf8_ok(mn) && !fuzz_json_text_ok(k))
        fuzz_fail("text_name_key gave malformed text for well-formed names");
    arena_free(a);
}

static int sign(int v)
{
    return v < 0 ? -1 : v > 0;
}

static void check_collate(const char *x, size_t xl, const char *y, size_t yl)
{
    if (!zh)
        return;
    int xy = text_collate(zh, (int)xl, x, (int)yl, y), yx = text_collate(zh, (int)yl, y, (int)xl, x);
    if (sign(xy) != -sign(yx))
        fuzz_fail("text_collate is not antisymmetric (%d, %d)", xy, yx);
    if (text_collate(zh, (int)xl, x, (int)xl, x) != 0)
        fuzz_fail("text_collate(x, x) != 0");
}

/* Whatever bytes come in, what comes out is text jansson takes, never longer; and
 * text that was well-formed is left as it was. */
static void check_repair(const char *s)
{
    char *r = strdup(s);
    text_utf8_repair(r);
    if (!fuzz_json_text_ok(r) || strlen(r) > strlen(s))
        fuzz_fail("text_utf8_repair left malformed or longer text");
    if (fuzz_json_text_ok(s) && strcmp(r, s) != 0)
        fuzz_fail("text_utf8_repair changed well-formed text");
    free(r);
}

/* The client behind the proxies is one canonical IP address: the peer, or a hop. */
static void check_forwarded(const char *data, size_t n)
{
    const char *xff[PROXY_MAX_HOPS + 8];
    int k = 0;
    for (const char *p = data, *end = data + n; p < end && k < (int)(sizeof xff / sizeof xff[0]);) {
        xff[k++] = p;
        const char *nul = memchr(p, 0, (size_t)(end - p));
        p = nul ? nul + 1 : end;
    }
    char out[64];
    memset(out, 'x', sizeof out);
    proxy_client("127.0.0.1", xff, k, out);
    if (!memchr(out, 0, sizeof out))
        fuzz_fail("proxy_client left its answer unterminated");
    unsigned char bin[16];
    char back[64];
    int af = strchr(out, ':') ? AF_INET6 : AF_INET;
    if (inet_pton(af, out, bin) != 1 || !inet_ntop(af, bin, back, sizeof back) || strcmp(back, out) != 0)
        fuzz_fail("proxy_client gave \"%s\", not one canonical address", out);
}

/* A new password is accepted or refused with an error the API can answer. */
static void check_password(const char *pw, const char *username)
{
    struct rerr err = {0};
    int rc = password_rule_check(pw, username, &err);
    if (rc != 0) {
        fuzz_check_rerr("password_rule_check", rc, &err);
        if (rc != R_EINVAL)
            fuzz_fail("password_rule_check answered %d, not R_EINVAL", rc);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return -1;
    unsigned which = data[0] % 8;
    const char *body = (const char *)data + 1;
    size_t n = size - 1;
    char *s = fuzz_cstr(data + 1, n);
    switch (which) {
    case 0:
        check_utf8(s);
        break;
    case 6:
        check_repair(s);
        break;
    case 7:
        check_forwarded(s, n); /* the copy: its last piece ends in a NUL too */
        break;
    case 1:
        check_date(s);
        check_idcard(s);
        break;
    case 2:
        check_fold(s);
        break;
    case 3:
    case 5: {
        size_t nl = strlen(s);
        if (which == 3)
            check_name_key(s, nl < n ? s + nl + 1 : "");
        else
            check_password(s, nl < n ? s + nl + 1 : "");
        break;
    }
    case 4: {
        const char *nul = memchr(body, 0, n);
        size_t xl = nul ? (size_t)(nul - body) : n / 2;
        size_t yoff = nul ? xl + 1 : xl;
        check_collate(body, xl, body + yoff, n - yoff);
    }
    }
    free(s);
    return 0;
}
