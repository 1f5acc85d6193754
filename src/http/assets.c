/* assets: the web interface's files, each in the smallest encoding accepted (assets.h). */
#include "http/assets.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/log.h"

struct asset {
    const char *path;
    const unsigned char *data;
    unsigned long len;
};
extern const struct asset ronghe_web_assets[]; /* generated; ends with path NULL */

#define ETAG_LEN 20 /* "\"" + 16 hex digits + "\"" + NUL, rounded up */

static const char *mime_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot)
        return "application/octet-stream";
    static const struct {
        const char *ext, *type;
    } types[] = {{".html", "text/html; charset=utf-8"},
                 {".js", "text/javascript; charset=utf-8"},
                 {".css", "text/css; charset=utf-8"},
                 {".svg", "image/svg+xml"},
                 {".png", "image/png"},
                 {".jpg", "image/jpeg"},
                 {".ico", "image/x-icon"},
                 {".woff2", "font/woff2"},
                 {".woff", "font/woff"},
                 {".ttf", "font/ttf"},
                 {".json", "application/json"},
                 {".txt", "text/plain; charset=utf-8"}};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(dot, types[i].ext))
            return types[i].type;
    return "application/octet-stream";
}

/* ---------------------------------------------------------------- Accept-Encoding */

/* A qvalue ("0", "0.5", "1.000"; RFC 9110 12.4.2) in thousandths, or -1 when it is not
 * one. "s" has "n" bytes. */
static int qvalue(const char *s, size_t n)
{
    if (n == 0 || (s[0] != '0' && s[0] != '1'))
        return -1;
    int q = (s[0] - '0') * 1000, scale = 100;
    if (n == 1)
        return q;
    if (s[1] != '.' || n > 5)
        return -1;
    for (size_t i = 2; i < n; i++, scale /= 10) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        q += (s[i] - '0') * scale;
    }
    return q <= 1000 ? q : -1;
}

/* The weight "accept" gives "coding" (or its alias), in thousandths: its own entry, else
 * "*"'s, else 0 (not acceptable). */
static int weight(const char *accept, const char *coding, const char *alias)
{
    int own = -1, any = -1;
    for (const char *p = accept; *p;) {
        p += strspn(p, " \t,");
        size_t n = strcspn(p, ",; \t");
        const char *name = p;
        p += n;
        int q = 1000;
        /* parameters: only q counts */
        for (;;) {
            p += strspn(p, " \t");
            if (*p != ';')
                break;
            p++;
            p += strspn(p, " \t");
            size_t pn = strcspn(p, ",;");
            size_t vn = pn;
            while (vn && (p[vn - 1] == ' ' || p[vn - 1] == '\t'))
                vn--;
            if (vn >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
                q = qvalue(p + 2, vn - 2);
            p += pn;
        }
        if (q < 0 || !n) /* a malformed entry says nothing */
            goto next;
        if ((strlen(coding) == n && !strncasecmp(name, coding, n)) ||
            (alias && strlen(alias) == n && !strncasecmp(name, alias, n)))
            own = own > q ? own : q;
        else if (n == 1 && name[0] == '*')
            any = q;
    next:
        p += strcspn(p, ",");
    }
    return own >= 0 ? own : any >= 0 ? any : 0;
}

const char *assets_pick_encoding(const char *accept, bool have_br, bool have_gzip)
{
    if (!accept)
        return NULL;
    int br = have_br ? weight(accept, "br", NULL) : 0;
    int gz = have_gzip ? weight(accept, "gzip", "x-gzip") : 0;
    if (br > 0 && br >= gz)
        return "br";
    if (gz > 0)
        return "gzip";
    return NULL;
}

/* ---------------------------------------------------------------- the files */

/* One file as sent: embedded bytes, or read from --web-dir (then malloc'd: "owned"). */
struct file {
    const unsigned char *data;
    size_t len;
    bool owned;
    const char *etag;
    char etag_buf[ETAG_LEN];
};

static void etag_of(const unsigned char *data, size_t len, char out[ETAG_LEN])
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ data[i]) * 1099511628211ull;
    snprintf(out, ETAG_LEN, "\"%016llx\"", (unsigned long long)h);
}

/* The embedded files' ETags, computed once. */
static char (*embedded_etags)[ETAG_LEN];
static pthread_once_t etags_once = PTHREAD_ONCE_INIT;

static void etags_compute(void)
{
    size_t n = 0;
    while (ronghe_web_assets[n].path)
        n++;
    embedded_etags = calloc(n + 1, sizeof *embedded_etags);
    if (!embedded_etags)
        die("内存不足");
    for (size_t i = 0; i < n; i++)
        etag_of(ronghe_web_assets[i].data, ronghe_web_assets[i].len, embedded_etags[i]);
}

/* "path" + "suffix" ("", ".br", ".gz"): found (true) into *f when "load", else only
 * looked for. */
static bool file_find(const char *web_dir, arena *a, const char *path, const char *suffix, bool load,
                      struct file *f)
{
    char *name = arena_printf(a, "%s%s", path, suffix);
    if (!web_dir) {
        pthread_once(&etags_once, etags_compute);
        for (size_t i = 0; ronghe_web_assets[i].path; i++) {
            if (strcmp(ronghe_web_assets[i].path, name) != 0)
                continue;
            if (load)
                *f = (struct file){.data = ronghe_web_assets[i].data,
                                   .len = ronghe_web_assets[i].len,
                                   .etag = embedded_etags[i]};
            return true;
        }
        return false;
    }
    char *full = arena_printf(a, "%s%s", web_dir, name);
    if (!load)
        return access(full, R_OK) == 0;
    FILE *in = fopen(full, "rb");
    if (!in)
        return false;
    fseek(in, 0, SEEK_END);
    long n = ftell(in);
    fseek(in, 0, SEEK_SET);
    unsigned char *buf = n >= 0 ? malloc(n > 0 ? (size_t)n : 1) : NULL;
    size_t got = buf ? fread(buf, 1, (size_t)n, in) : 0;
    fclose(in);
    if (!buf || got != (size_t)n) {
        free(buf);
        return false;
    }
    *f = (struct file){.data = buf, .len = got, .owned = true};
    etag_of(buf, got, f->etag_buf);
    f->etag = f->etag_buf;
    return true;
}

bool assets_etag_listed(const char *inm, const char *etag)
{
    size_t en = strlen(etag);
    for (const char *p = inm; *p;) {
        p += strspn(p, " \t,");
        if (*p == '*')
            return true;
        if (!strncmp(p, "W/", 2))
            p += 2;
        size_t n = strcspn(p, ", \t");
        if (n == en && !memcmp(p, etag, n))
            return true;
        p += n;
    }
    return false;
}

enum MHD_Result assets_serve(struct request *rq, const char *web_dir)
{
    if (strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "HEAD") != 0) {
        struct rerr e;
        rerr_set(&e, R_EMETHOD, "method_not_allowed", "", "不支持的请求方法");
        return reply_error(rq, &e);
    }
    const char *path = rq->path;
    /* The interface routes in the browser: any path without a file extension is it. */
    const char *last = strrchr(path, '/');
    if (!strcmp(path, "/progress")) /* the public 12309 page (its assets are relative: no trailing /) */
        path = "/progress.html";
    else if (!strcmp(path, "/") || !strchr(last ? last : path, '.'))
        path = "/index.html";
    if (strstr(path, ".."))
        path = "/index.html";
    if (!file_find(web_dir, rq->a, path, "", false, NULL)) {
        struct rerr e;
        rerr_set(&e, R_ENOTFOUND, "not_found", "", "页面不存在");
        return reply_error(rq, &e);
    }
    bool have_br = file_find(web_dir, rq->a, path, ".br", false, NULL),
         have_gz = file_find(web_dir, rq->a, path, ".gz", false, NULL);
    const char *enc = assets_pick_encoding(
        MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING), have_br,
        have_gz);
    struct file f;
    if (!file_find(web_dir, rq->a, path, !enc ? "" : !strcmp(enc, "br") ? ".br" : ".gz", true, &f))
        return reply_empty(rq, 500); /* it was there a moment ago (--web-dir) */
    const char *inm = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    bool unchanged = inm && assets_etag_listed(inm, f.etag);
    struct MHD_Response *r =
        unchanged ? MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT)
                  : MHD_create_response_from_buffer(f.len, (void *)f.data,
                                                    f.owned ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (unchanged && f.owned)
        free((void *)f.data);
    if (!r)
        return MHD_NO;
    if (!unchanged)
        MHD_add_response_header(r, "Content-Type", mime_of(path));
    if (enc && !unchanged)
        MHD_add_response_header(r, "Content-Encoding", enc);
    if (have_br || have_gz) /* caches must keep one answer per encoding */
        MHD_add_response_header(r, "Vary", "Accept-Encoding");
    MHD_add_response_header(r, "ETag", f.etag);
    /* Hashed asset names never change content; index.html must be fetched anew. */
    MHD_add_response_header(r, "Cache-Control",
                            !strncmp(path, "/assets/", 8) ? "public, max-age=31536000, immutable"
                                                          : "no-cache");
    add_security_headers(r);
    return reply_response(rq, unchanged ? 304 : 200, r);
}
