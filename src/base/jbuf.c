#include "base/jbuf.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"

static void reserve(struct jbuf *b, size_t more)
{
    if (b->len + more + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + more + 1)
        cap *= 2;
    char *d = realloc(b->data, cap);
    if (!d)
        die("内存不足 (jbuf)");
    b->data = d;
    b->cap = cap;
}

void jbuf_raw(struct jbuf *b, const char *s, size_t n)
{
    reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
}

void jbuf_lit(struct jbuf *b, const char *s)
{
    jbuf_raw(b, s, strlen(s));
}

void jbuf_str(struct jbuf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = strlen(s);
    reserve(b, n + 2);
    b->data[b->len++] = '"';
    const char *run = s;
    for (const char *p = s;; p++) {
        unsigned char c = (unsigned char)*p;
        if (c && c >= 0x20 && c != '"' && c != '\\')
            continue;
        jbuf_raw(b, run, (size_t)(p - run));
        if (!c)
            break;
        char esc[7] = {'\\', 0};
        size_t en = 2;
        switch (c) {
        case '"':
            esc[1] = '"';
            break;
        case '\\':
            esc[1] = '\\';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            esc[1] = 'u', esc[2] = '0', esc[3] = '0', esc[4] = hex[c >> 4], esc[5] = hex[c & 15];
            en = 6;
        }
        jbuf_raw(b, esc, en);
        run = p + 1;
    }
    jbuf_raw(b, "\"", 1);
}

void jbuf_int(struct jbuf *b, int64_t v)
{
    char num[24];
    int n = snprintf(num, sizeof num, "%" PRId64, v);
    jbuf_raw(b, num, (size_t)n);
}

void jbuf_real(struct jbuf *b, double v)
{
    if (!isfinite(v)) {
        jbuf_lit(b, "null");
        return;
    }
    char num[32];
    int n = snprintf(num, sizeof num, "%.17g", v);
    jbuf_raw(b, num, (size_t)n);
}

char *jbuf_take(struct jbuf *b, size_t *len)
{
    reserve(b, 0);
    char *d = b->data;
    *len = b->len;
    memset(b, 0, sizeof *b);
    return d;
}

void jbuf_free(struct jbuf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}
