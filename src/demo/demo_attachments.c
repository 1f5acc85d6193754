/*
 * demo_attachments: files on the demo's records. Every honour gets a placeholder scan
 * of its certificate (a generated picture, marked 示例: the article has no scans), so
 * that the honours' pages show attachments; demo_attach() is the way other parts of the
 * demo attach their own files (a patrol's photos, a meeting's minutes).
 *
 * The picture is a PNG written here with stored (uncompressed) deflate blocks: no image
 * library, and the same bytes every time.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "demo/demo.h"
#include "domain/attachment.h"

#define W 240
#define H 170

static uint32_t crc32_of(const unsigned char *p, size_t n, uint32_t crc)
{
    crc = ~crc;
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = crc >> 1 ^ (0xedb88320u & -(crc & 1));
    }
    return ~crc;
}

static unsigned char *put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
    return p + 4;
}

/* One chunk of "type" with "n" bytes of "data" at "p"; past its end. */
static unsigned char *chunk(unsigned char *p, const char *type, const unsigned char *data, size_t n)
{
    unsigned char *start = put32(p, (uint32_t)n);
    memcpy(start, type, 4);
    if (n) /* IEND has no data (NULL) */
        memmove(start + 4, data, n);
    p = put32(start + 4 + n, crc32_of(start, n + 4, 0));
    return p;
}

/* The colour of pixel x, y of a certificate whose band is "band". */
static void pixel(int x, int y, const unsigned char band[3], unsigned char out[3])
{
    static const unsigned char paper[3] = {250, 244, 228}, red[3] = {190, 20, 30}, gold[3] = {212, 160, 23};
    const unsigned char *c = paper;
    int edge = x < y ? x : y;
    int far = W - 1 - x < H - 1 - y ? W - 1 - x : H - 1 - y;
    edge = edge < far ? edge : far;
    int dx = x - W / 2, dy = y - (H - 42);
    if (edge < 8)
        c = red;
    else if (edge == 12 || edge == 13)
        c = gold;
    else if (y >= 36 && y < 58 && x >= 40 && x < W - 40)
        c = band;
    else if (y >= 74 && y < 78 && x >= 56 && x < W - 56)
        c = gold; /* a line of text, as a scan shows it from afar */
    else if ((y >= 88 && y < 91) && x >= 70 && x < W - 70)
        c = gold;
    else if (dx * dx + dy * dy <= 18 * 18 && dx * dx + dy * dy >= 14 * 14)
        c = red; /* the seal */
    memcpy(out, c, 3);
}

/* The PNG of a certificate with band colour "band": malloc'd, its length in *n. */
static unsigned char *certificate_png(const unsigned char band[3], size_t *n)
{
    size_t raw_n = (size_t)H * (1 + 3 * W);
    unsigned char *raw = malloc(raw_n);
    size_t blocks = (raw_n + 65534) / 65535;
    size_t z_n = 2 + raw_n + 5 * blocks + 4;
    unsigned char *z = malloc(z_n);
    unsigned char *png = malloc(8 + 25 + 12 + z_n + 12);
    if (!raw || !z || !png)
        die("内存不足 (演示附件)");
    for (int y = 0; y < H; y++) {
        unsigned char *row = raw + (size_t)y * (1 + 3 * W);
        row[0] = 0; /* no filter */
        for (int x = 0; x < W; x++)
            pixel(x, y, band, row + 1 + 3 * x);
    }
    /* zlib (RFC 1950) of stored deflate blocks (RFC 1951, BTYPE 00) */
    unsigned char *w = z;
    *w++ = 0x78;
    *w++ = 0x01;
    for (size_t off = 0; off < raw_n;) {
        size_t len = raw_n - off < 65535 ? raw_n - off : 65535;
        *w++ = off + len == raw_n; /* BFINAL */
        *w++ = (unsigned char)len;
        *w++ = (unsigned char)(len >> 8);
        *w++ = (unsigned char)~len;
        *w++ = (unsigned char)(~len >> 8);
        memcpy(w, raw + off, len);
        w += len;
        off += len;
    }
    uint32_t a = 1, b = 0;
    for (size_t i = 0; i < raw_n; i++) {
        a = (a + raw[i]) % 65521;
        b = (b + a) % 65521;
    }
    w = put32(w, b << 16 | a);
    unsigned char ihdr[13] = {0};
    put32(ihdr, W);
    put32(ihdr + 4, H);
    ihdr[8] = 8; /* bit depth */
    ihdr[9] = 2; /* RGB */
    unsigned char *p = png;
    memcpy(p, "\x89PNG\r\n\x1a\n", 8);
    p = chunk(p + 8, "IHDR", ihdr, sizeof ihdr);
    p = chunk(p, "IDAT", z, (size_t)(w - z));
    p = chunk(p, "IEND", NULL, 0);
    *n = (size_t)(p - png);
    free(raw);
    free(z);
    return png;
}

int64_t demo_attach(struct demo *d, const char *coll, int64_t id, const char *name, const void *bytes,
                    size_t n)
{
    struct rerr err = {0};
    json_t *out = NULL;
    if (attachment_create_in(demo_ctx(d), coll, id, name, bytes, n, true, &out, &err) < 0)
        die("演示数据错误 (attachments): %s [%s %s]", err.message, err.code, err.field);
    int64_t aid = json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    return aid;
}

void demo_build_attachments(struct demo *d)
{
    if (!files_root())
        return; /* a demo built without a data directory (tests of other parts): no files */
    static const struct {
        const char *level;
        unsigned char band[3];
    } bands[] = {{"national", {190, 20, 30}},
                 {"regional", {200, 70, 20}},
                 {"city", {170, 40, 60}},
                 {"county", {150, 90, 40}}};
    unsigned char *png[4];
    size_t png_n[4];
    for (int i = 0; i < 4; i++)
        png[i] = certificate_png(bands[i].band, &png_n[i]);
    struct res_ctx *x = demo_ctx(d);
    store_stmt *st = store_prepare_dynamic(x->c, "SELECT id, level FROM honours ORDER BY id");
    int64_t ids[512];
    int levels[512], n = 0;
    while (n < 512 && store_step(st, NULL) == STORE_ROW) {
        ids[n] = store_col_int(st, 0);
        levels[n] = 3;
        for (int i = 0; i < 4; i++)
            if (!strcmp(store_col_text(st, 1), bands[i].level))
                levels[n] = i;
        n++;
    }
    store_finalize(st);
    for (int i = 0; i < n; i++)
        demo_attach(d, "honours", ids[i], "荣誉证书扫描件（示例）.png", png[levels[i]], png_n[levels[i]]);
    for (int i = 0; i < 4; i++)
        free(png[i]);
}
