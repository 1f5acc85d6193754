/*
 * csv: RFC 4180 text read from the file in chunks, so memory stays the same whatever its
 * size: the file's bytes (raw) are decoded into UTF-8 (dec), which the record parser reads.
 *
 * Encoding, never asked: a UTF-8 BOM says UTF-8; otherwise the first non-ASCII bytes decide,
 * looking at up to DECIDE_WINDOW of them. Valid UTF-8 with characters of three or four
 * bytes (Chinese, Mongolian) is UTF-8; bytes that are not UTF-8 (or UTF-8 of two-byte
 * characters alone, which GBK text looks like far more often than real text does) are
 * GB18030, converted by iconv. Once decided, every later byte must be valid in that
 * encoding: UTF-8 then GBK (a file whose halves were saved differently) is refused with
 * bad_encoding at the line where it changes. An ASCII file is UTF-8.
 *
 * Records: commas between fields; a field in double quotes may hold commas, line breaks and
 * doubled quotes; records end at LF, CRLF or a lone CR. Line breaks inside quoted fields
 * become LF. As Excel does, a quote inside an unquoted field is text, and text after a
 * closing quote is appended ("ab"c → abc). A quote left open at the end is bad_csv.
 */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "sheet/sheet_int.h"

#define RAW_CAP (64 * 1024)
#define DEC_CAP (2 * RAW_CAP) /* GB18030 → UTF-8 grows at most 3/2 */
#define DECIDE_WINDOW (16 * 1024)

enum mode { M_ASCII, M_UTF8, M_GB };
enum bad { BAD_NONE, BAD_SWITCH, BAD_GB, BAD_NUL };
enum state { S_START, S_UNQUOTED, S_QUOTED, S_QUOTE };

struct csv {
    int fd;
    iconv_t cd;
    enum mode mode;
    enum bad bad; /* met at the end of what was decoded: the parser reports it on reaching it */
    bool eof;
    unsigned char raw[RAW_CAP];
    size_t raw_pos, raw_len;
    char dec[DEC_CAP];
    size_t dec_pos, dec_len;
    int64_t line;       /* the physical line the parser is on */
    bool skip_lf;       /* a CR ended the last line: an LF right after is part of it */
    bool quoted_cr;     /* same, inside a quoted field */
    int64_t quote_line; /* where the open quoted field began */
};

/* ---- reading and decoding */

static int read_more(sheet_reader *r, struct csv *c, struct rerr *err)
{
    if (c->raw_pos > 0) {
        memmove(c->raw, c->raw + c->raw_pos, c->raw_len - c->raw_pos);
        c->raw_len -= c->raw_pos;
        c->raw_pos = 0;
    }
    while (!c->eof && c->raw_len < RAW_CAP) {
        ssize_t n = read(c->fd, c->raw + c->raw_len, RAW_CAP - c->raw_len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return sheet_err(err, R_EINVAL, "bad_csv", "读取文件失败：%s", strerror(errno));
        if (n == 0) {
            c->eof = true;
            break;
        }
        c->raw_len += (size_t)n;
        r->bytes_read += n;
        if (r->bytes_read > r->lim.max_bytes)
            return sheet_err_bytes(r, err);
    }
    return 0;
}

/* The length of the well-formed UTF-8 sequence at "p" (of "n" bytes), 0 when it is not
 * one, -1 when it is cut off by the end. NUL is not accepted. */
static int utf8_seq(const unsigned char *p, size_t n)
{
    unsigned char b = p[0];
    if (b && b < 0x80)
        return 1;
    int len;
    unsigned char lo = 0x80, hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf)
        len = 2;
    else if (b >= 0xe0 && b <= 0xef) {
        len = 3;
        if (b == 0xe0)
            lo = 0xa0;
        if (b == 0xed)
            hi = 0x9f; /* no surrogates */
    } else if (b >= 0xf0 && b <= 0xf4) {
        len = 4;
        if (b == 0xf0)
            lo = 0x90;
        if (b == 0xf4)
            hi = 0x8f;
    } else
        return 0;
    for (int i = 1; i < len; i++) {
        if ((size_t)i >= n)
            return -1;
        unsigned char lo_i = i == 1 ? lo : 0x80, hi_i = i == 1 ? hi : 0xbf;
        if (p[i] < lo_i || p[i] > hi_i)
            return 0;
    }
    return len;
}

/* The length of the well-formed GB18030 sequence at "p", 0 when not one, -1 when cut off. */
static int gb_seq(const unsigned char *p, size_t n)
{
    if (p[0] && p[0] < 0x80)
        return 1;
    if (p[0] < 0x81 || p[0] > 0xfe)
        return 0;
    if (n < 2)
        return -1;
    if ((p[1] >= 0x40 && p[1] <= 0x7e) || (p[1] >= 0x80 && p[1] <= 0xfe))
        return 2;
    if (p[1] < 0x30 || p[1] > 0x39)
        return 0;
    if (n < 4)
        return -1;
    return p[2] >= 0x81 && p[2] <= 0xfe && p[3] >= 0x30 && p[3] <= 0x39 ? 4 : 0;
}

/* The first non-ASCII byte is at "p": decide the encoding from what follows (see the top). */
static enum mode decide(const unsigned char *p, size_t n)
{
    size_t i = 0, wide = 0;
    bool bad = false;
    while (i < n) {
        int k = utf8_seq(p + i, n - i);
        if (k < 0)
            break; /* cut off by the window */
        if (k == 0) {
            bad = true;
            break;
        }
        wide += k >= 3;
        i += (size_t)k;
    }
    if (bad)
        return wide >= 2 ? M_UTF8 /* and the bad byte is then reported: a change part-way */ : M_GB;
    if (wide)
        return M_UTF8;
    for (i = 0; i < n;) { /* two-byte characters only: GBK if it is GBK throughout */
        int k = gb_seq(p + i, n - i);
        if (k <= 0)
            return k < 0 ? M_GB : M_UTF8;
        i += (size_t)k;
    }
    return M_GB;
}

static int set_mode(sheet_reader *r, struct csv *c, enum mode m, struct rerr *err)
{
    c->mode = m;
    if (m != M_GB)
        return 0;
    c->cd = iconv_open("UTF-8", "GB18030");
    if (c->cd == (iconv_t)-1)
        return sheet_err(err, R_EINTERNAL, "internal", "系统缺少 GB18030 编码转换");
    r->encoding = SHEET_ENC_GB18030;
    return 0;
}

/* UTF-8 (or ASCII so far) from raw into dec, checking it. Stops before a cut-off sequence,
 * a bad one (setting c->bad), or the first non-ASCII byte while undecided. */
static void copy_utf8(struct csv *c)
{
    const unsigned char *p = c->raw + c->raw_pos, *end = c->raw + c->raw_len;
    char *out = c->dec + c->dec_len, *oend = c->dec + DEC_CAP;
    while (p < end && out < oend) {
        if (*p && *p < 0x80) {
            *out++ = (char)*p++;
            continue;
        }
        if (c->mode == M_ASCII && *p)
            break;
        int k = utf8_seq(p, (size_t)(end - p));
        if (k < 0 && !c->eof)
            break;
        if (k <= 0) {
            c->bad = *p ? BAD_SWITCH : BAD_NUL;
            break;
        }
        if (oend - out < k)
            break;
        memcpy(out, p, (size_t)k);
        out += k;
        p += k;
    }
    c->raw_pos = (size_t)(p - c->raw);
    c->dec_len = (size_t)(out - c->dec);
}

static void convert_gb(struct csv *c)
{
    char *in = (char *)c->raw + c->raw_pos, *out = c->dec + c->dec_len;
    size_t inleft = c->raw_len - c->raw_pos, outleft = DEC_CAP - c->dec_len;
    size_t rc = iconv(c->cd, &in, &inleft, &out, &outleft);
    int e = errno;
    char *from = c->dec + c->dec_len;
    char *nul = memchr(from, 0, (size_t)(out - from));
    if (nul) {
        out = nul;
        c->bad = BAD_NUL;
    } else if (rc == (size_t)-1 && (e == EILSEQ || (e == EINVAL && c->eof))) {
        c->bad = BAD_GB;
    }
    c->raw_pos = (size_t)((unsigned char *)in - c->raw);
    c->dec_len = (size_t)(out - c->dec);
}

/* Decoded text into c->dec from c->dec_pos on: 1, 0 at the end of the file, <0 on a read
 * error or too_large; a bad byte (c->bad) is left for the parser to report at its line. */
static int refill(sheet_reader *r, struct csv *c, struct rerr *err)
{
    c->dec_pos = c->dec_len = 0;
    for (;;) {
        if (c->bad)
            return 0;
        if (c->raw_pos < c->raw_len) {
            if (c->mode == M_ASCII && c->raw[c->raw_pos] >= 0x80) {
                if (c->raw_len - c->raw_pos < DECIDE_WINDOW && !c->eof) {
                    int rc = read_more(r, c, err); /* a window to decide on */
                    if (rc < 0)
                        return rc;
                    continue;
                }
                int rc = set_mode(r, c, decide(c->raw + c->raw_pos, c->raw_len - c->raw_pos), err);
                if (rc < 0)
                    return rc;
            }
            if (c->mode == M_GB)
                convert_gb(c);
            else
                copy_utf8(c);
            if (c->dec_len)
                return 1;
            if (c->bad)
                return 0;
        }
        if (c->eof)
            return c->raw_pos < c->raw_len ? (c->bad = c->mode == M_GB ? BAD_GB : BAD_SWITCH, 0) : 0;
        int rc = read_more(r, c, err);
        if (rc < 0)
            return rc;
    }
}

static int bad_bytes(const struct csv *c, struct rerr *err)
{
    switch (c->bad) {
    case BAD_NUL:
        return sheet_err(err, R_EINVAL, "bad_csv", "第 %lld 行含有空字符（NUL）：这不是正常的文本表格",
                         (long long)c->line);
    case BAD_SWITCH:
        return sheet_err(err, R_EINVAL, "bad_encoding",
                         "第 %lld 行的文字不是 UTF-8 编码，而前面的内容是：文件混用了不同的编码，"
                         "请在 Excel 或 WPS 中整体另存为“CSV UTF-8”后再导入",
                         (long long)c->line);
    default:
        return sheet_err(err, R_EINVAL, "bad_encoding",
                         "第 %lld 行的文字编码无法识别（既不是 UTF-8，也不是 GB18030/GBK）："
                         "请在 Excel 或 WPS 中另存为“CSV UTF-8”后再导入",
                         (long long)c->line);
    }
}

/* ---- records */

/* The open cell's text from the parser's place up to the first "delim", CR or LF (or the
 * end of what is decoded), appended; "*stop" gets that byte, consumed, or 0. */
static int span(sheet_reader *r, struct csv *c, char delim, char *stop, struct rerr *err)
{
    const char *p = c->dec + c->dec_pos, *end = c->dec + c->dec_len, *q = p;
    while (q < end && *q != delim && *q != '\n' && *q != '\r')
        q++;
    int rc = q > p ? sheet_cell_append(r, p, (size_t)(q - p), err) : 0;
    if (rc < 0)
        return rc;
    c->dec_pos += (size_t)(q - p);
    *stop = q < end ? *q : 0;
    c->dec_pos += *stop != 0;
    return 0;
}

/* One record into r->row: 1, 0 at the end of the file (no record), <0 on error. */
static int parse_record(sheet_reader *r, struct csv *c, struct rerr *err)
{
    enum state st = S_START;
    bool started = false;
    int rc;
    for (;;) {
        if (c->dec_pos == c->dec_len) {
            rc = refill(r, c, err);
            if (rc < 0)
                return rc;
            if (rc == 0) {
                if (c->bad)
                    return bad_bytes(c, err);
                if (st == S_QUOTED)
                    return sheet_err(err, R_EINVAL, "bad_csv",
                                     "第 %lld 行开始的带引号字段直到文件结尾都没有结束引号",
                                     (long long)c->quote_line);
                if (!started)
                    return 0;
                if (st == S_START && (rc = sheet_cell_begin(r, err)) < 0) /* "a," at the end */
                    return rc;
                sheet_cell_end(r, SC_TEXT, 0);
                return 1;
            }
        }
        const char *p = c->dec + c->dec_pos;
        if (!started) {
            if (c->skip_lf) {
                c->skip_lf = false;
                if (*p == '\n') {
                    c->dec_pos++;
                    continue;
                }
            }
            sheet_row_begin(r, c->line);
            started = true;
        }
        switch (st) {
        case S_START:
            if ((rc = sheet_cell_begin(r, err)) < 0)
                return rc;
            if (*p == '"') {
                st = S_QUOTED;
                c->quote_line = c->line;
                c->quoted_cr = false;
                c->dec_pos++;
                continue;
            }
            st = S_UNQUOTED;
            /* fall through */
        case S_UNQUOTED: {
            char stop;
            if ((rc = span(r, c, ',', &stop, err)) < 0)
                return rc;
            if (!stop)
                continue;
            sheet_cell_end(r, SC_TEXT, 0);
            if (stop == ',') {
                st = S_START;
                continue;
            }
            c->line++;
            c->skip_lf = stop == '\r';
            return 1;
        }
        case S_QUOTED: {
            if (c->quoted_cr) { /* CR LF inside the field: the LF was counted with the CR */
                c->quoted_cr = false;
                if (*p == '\n') {
                    c->dec_pos++;
                    continue;
                }
            }
            char stop;
            if ((rc = span(r, c, '"', &stop, err)) < 0)
                return rc;
            if (!stop)
                continue;
            if (stop == '"') {
                st = S_QUOTE;
                continue;
            }
            if ((rc = sheet_cell_append(r, "\n", 1, err)) < 0)
                return rc;
            c->line++;
            c->quoted_cr = stop == '\r';
            continue;
        }
        case S_QUOTE: /* a quote inside a quoted field: doubled, or the field's end */
            if (*p == '"') {
                if ((rc = sheet_cell_append(r, "\"", 1, err)) < 0)
                    return rc;
                c->dec_pos++;
                st = S_QUOTED;
                continue;
            }
            st = S_UNQUOTED; /* the delimiter, or text after the quote as Excel keeps it */
            continue;
        }
    }
}

static int csv_next(sheet_reader *r, struct rerr *err)
{
    struct csv *c = r->impl;
    for (;;) {
        int rc = parse_record(r, c, err);
        if (rc <= 0)
            return rc;
        bool empty;
        if ((rc = sheet_row_end(r, &empty, err)) < 0)
            return rc;
        if (!empty)
            return 1;
    }
}

static void csv_close(void *impl)
{
    struct csv *c = impl;
    if (!c)
        return;
    if (c->cd != (iconv_t)-1)
        iconv_close(c->cd);
    if (c->fd >= 0)
        close(c->fd);
    free(c);
}

static const struct sheet_ops csv_ops = {csv_next, csv_close};

/* ---- what the first bytes say */

static bool starts_ci(const unsigned char *p, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    return n >= k && !strncasecmp((const char *)p, lit, k);
}

/* Markup that spreadsheets get mistaken for: HTML tables and XML saved with an .xls name. */
static bool markup(const unsigned char *p, size_t n)
{
    while (n && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++, n--;
    return starts_ci(p, n, "<html") || starts_ci(p, n, "<!doctype") || starts_ci(p, n, "<?xml") ||
           starts_ci(p, n, "<table") || starts_ci(p, n, "<meta") || starts_ci(p, n, "<head");
}

static bool binary(const unsigned char *p, size_t n)
{
    if (memchr(p, 0, n) || starts_ci(p, n, "%PDF-") || starts_ci(p, n, "{\\rtf"))
        return true;
    size_t ctl = 0;
    for (size_t i = 0; i < n; i++)
        ctl += (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r' && p[i] != '\f') || p[i] == 0x7f;
    return ctl > 8 && ctl * 100 > n;
}

int sheet_csv_open(sheet_reader *r, int fd, struct rerr *err)
{
    struct csv *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    c->fd = fd;
    c->cd = (iconv_t)-1;
    c->line = 1;
    r->impl = c;
    r->ops = &csv_ops;
    r->encoding = SHEET_ENC_UTF8;
    int rc = read_more(r, c, err);
    if (rc < 0)
        return rc;
    const unsigned char *p = c->raw;
    size_t n = c->raw_len;
    if (n >= 2 && ((p[0] == 0xff && p[1] == 0xfe) || (p[0] == 0xfe && p[1] == 0xff)))
        return sheet_err(
            err, R_EINVAL, "bad_encoding",
            "这是 UTF-16（“Unicode 文本”）编码的文件：请在 Excel 或 WPS 中另存为“CSV UTF-8”后再导入");
    if (n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
        c->raw_pos = 3;
        c->mode = M_UTF8;
        r->encoding = SHEET_ENC_UTF8_BOM;
    }
    if (binary(p + c->raw_pos, n - c->raw_pos))
        return sheet_err(err, R_EMEDIA, "not_spreadsheet", "文件不是 Excel（.xlsx）表格，也不是 CSV 文本");
    if (markup(p + c->raw_pos, n - c->raw_pos))
        return sheet_err(err, R_EMEDIA, "not_spreadsheet",
                         "这是网页（HTML）或 XML 格式的文件，不是真正的 Excel 表格（即使名为 .xls）："
                         "请在 Excel 或 WPS 中打开后另存为 .xlsx 再导入");
    if (c->mode == M_ASCII) /* decided now if the first chunk says, so sheet_encoding_of() knows */
        for (size_t i = c->raw_pos; i < n; i++)
            if (p[i] >= 0x80)
                return set_mode(r, c, decide(p + i, n - i), err);
    return 0;
}
