/*
 * assets: the web interface's files (embedded at build time, or read from --web-dir),
 * each sent in the smallest encoding the client accepts. The build precompresses every
 * text file beside the original (scripts/compress-assets.sh: FILE.br with brotli, FILE.gz
 * with zopfli, each kept only when smaller); a request gets br or gzip when its
 * Accept-Encoding allows (q-values honoured, br preferred on a tie), else the file as it
 * is, with Vary: Accept-Encoding whenever there was a choice. Files under /assets/ have
 * hashed names and never change: Cache-Control public, a year, immutable; everything else
 * (index.html) no-cache. Every answer carries a strong ETag of the bytes sent (so the
 * encodings differ), and If-None-Match gets 304. Internal to src/http/.
 */
#ifndef RONGHE_ASSETS_H
#define RONGHE_ASSETS_H

#include <stdbool.h>

#include "http/request.h"

/* Answer GET or HEAD of a path outside /api/ (any other method: 405): the file, or
 * index.html for a path without an extension (the interface's own routes). From
 * "web_dir" when not NULL, else the embedded files. */
enum MHD_Result assets_serve(struct request *rq, const char *web_dir);

/* The content coding to send for the Accept-Encoding header "accept" (NULL: none sent)
 * when the file exists in brotli ("have_br") and/or gzip ("have_gzip"): "br", "gzip", or
 * NULL for the file as it is. */
const char *assets_pick_encoding(const char *accept, bool have_br, bool have_gzip);

/* Whether the If-None-Match header "inm" names "etag" (a quoted strong tag), weakly
 * compared as RFC 9110 13.1.2 says: W/ ignored, "*" matches any. */
bool assets_etag_listed(const char *inm, const char *etag);

#endif
