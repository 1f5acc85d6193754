/* filetype: the allow-list of file types, by their magic numbers (see filetype.h). */
#include "domain/filetype.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* The allowed types, each once; the code below names them by index. */
enum { PDF, JPEG, PNG, WEBP, DOCX, XLSX, DOC, XLS, TEXT };
const char *const filetype_allowed[] = {
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/msword",
    "application/vnd.ms-excel",
    "text/plain",
    NULL,
};
#define T(i) filetype_allowed[i]

#define HEAD 16
#define ZIP_TAIL (65535 + 22) /* the end record and the longest comment it may have */
#define ZIP_DIR_MAX (4 << 20) /* a central directory larger than this is not read */
#define TEXT_CHUNK (64 * 1024)

static bool read_at(int fd, void *buf, size_t n, int64_t off)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(fd, (char *)buf + got, n - got, (off_t)(off + (int64_t)got));
        if (r <= 0)
            return false;
        got += (size_t)r;
    }
    return true;
}

static unsigned le16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A ZIP (APPNOTE.TXT): find the end of central directory record (PK\5\6) in the last
 * ZIP_TAIL bytes, read the central directory it points to, and look at the names of its
 * entries (PK\1\2 records): an Office Open XML package has [Content_Types].xml and
 * word/document.xml (DOCX) or xl/workbook.xml (XLSX). Anything else — an ordinary
 * archive, an .apk, a .jar — is not taken. */
static const char *zip_office(int fd, int64_t size)
{
    if (size < 22)
        return NULL;
    int64_t tail_n = size < ZIP_TAIL ? size : ZIP_TAIL;
    unsigned char *tail = malloc((size_t)tail_n);
    if (!tail)
        return NULL;
    const char *type = NULL;
    unsigned char *dir = NULL;
    if (!read_at(fd, tail, (size_t)tail_n, size - tail_n))
        goto out;
    int64_t eocd = -1;
    for (int64_t i = tail_n - 22; i >= 0; i--)
        if (!memcmp(tail + i, "PK\5\6", 4)) {
            eocd = i;
            break;
        }
    if (eocd < 0)
        goto out;
    unsigned entries = le16(tail + eocd + 10);
    uint32_t dir_size = le32(tail + eocd + 12), dir_off = le32(tail + eocd + 16);
    if (dir_size > ZIP_DIR_MAX || (int64_t)dir_off + dir_size > size ||
        !(dir = malloc(dir_size ? dir_size : 1)) || !read_at(fd, dir, dir_size, dir_off))
        goto out;
    bool types = false, word = false, excel = false;
    size_t at = 0;
    for (unsigned e = 0; e < entries && at + 46 <= dir_size; e++) {
        if (memcmp(dir + at, "PK\1\2", 4) != 0)
            goto out;
        size_t nlen = le16(dir + at + 28), xlen = le16(dir + at + 30), clen = le16(dir + at + 32);
        if (at + 46 + nlen > dir_size)
            goto out;
        const char *name = (const char *)dir + at + 46;
#define IS(lit) (nlen == sizeof lit - 1 && !memcmp(name, lit, nlen))
        types |= IS("[Content_Types].xml");
        word |= IS("word/document.xml");
        excel |= IS("xl/workbook.xml");
#undef IS
        at += 46 + nlen + xlen + clen;
    }
    if (types && word != excel)
        type = word ? T(DOCX) : T(XLSX);
out:
    free(dir);
    free(tail);
    return type;
}

/* The extension of "name" (after its last dot), or "". */
static const char *extension(const char *name)
{
    const char *dot = name ? strrchr(name, '.') : NULL;
    return dot ? dot + 1 : "";
}

/* Plain text: UTF-8 (a BOM allowed), no NUL and no control character other than tab,
 * line feed, carriage return and form feed. Read in chunks; a sequence cut by a chunk's
 * end is carried into the next. */
static bool utf8_text(int fd, int64_t size)
{
    static const unsigned char bom[3] = {0xef, 0xbb, 0xbf};
    unsigned char *buf = malloc(TEXT_CHUNK + 4);
    if (!buf)
        return false;
    bool ok = true;
    size_t carry = 0;
    for (int64_t off = 0; ok && off < size;) {
        size_t n = size - off < TEXT_CHUNK ? (size_t)(size - off) : TEXT_CHUNK;
        if (!read_at(fd, buf + carry, n, off)) {
            ok = false;
            break;
        }
        size_t len = carry + n, i = off == 0 && len >= 3 && !memcmp(buf, bom, 3) ? 3 : 0;
        off += (int64_t)n;
        carry = 0;
        while (ok && i < len) {
            unsigned char c = buf[i];
            size_t k = c < 0x80             ? 1
                       : (c & 0xe0) == 0xc0 ? 2
                       : (c & 0xf0) == 0xe0 ? 3
                       : (c & 0xf8) == 0xf0 ? 4
                                            : 0;
            if (!k || (c < 0x20 && (!c || !strchr("\t\n\r\f", c))) || c == 0x7f) {
                ok = false;
                break;
            }
            if (i + k > len) { /* cut by the chunk: read on, unless the file ends here */
                if (off >= size) {
                    ok = false;
                    break;
                }
                carry = len - i;
                memmove(buf, buf + i, carry);
                break;
            }
            uint32_t cp = k == 1 ? c : c & (0x7f >> k);
            for (size_t j = 1; j < k; j++) {
                if ((buf[i + j] & 0xc0) != 0x80) {
                    ok = false;
                    break;
                }
                cp = cp << 6 | (buf[i + j] & 0x3f);
            }
            /* overlong forms, surrogates, past U+10FFFF */
            static const uint32_t least[5] = {0, 0, 0x80, 0x800, 0x10000};
            if (ok && (cp < least[k] || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff))
                ok = false;
            i += k;
        }
    }
    free(buf);
    return ok && !carry;
}

const char *filetype_detect(int fd, int64_t size, const char *name)
{
    unsigned char h[HEAD] = {0};
    size_t n = size < HEAD ? (size_t)size : HEAD;
    if (size <= 0 || !read_at(fd, h, n, 0))
        return NULL;
    if (n >= 5 && !memcmp(h, "%PDF-", 5))
        return T(PDF);
    if (n >= 8 && !memcmp(h, "\x89PNG\r\n\x1a\n", 8))
        return T(PNG);
    if (n >= 3 && !memcmp(h, "\xff\xd8\xff", 3))
        return T(JPEG);
    if (n >= 12 && !memcmp(h, "RIFF", 4) && !memcmp(h + 8, "WEBP", 4))
        return T(WEBP);
    if (n >= 4 && !memcmp(h, "PK\3\4", 4))
        return zip_office(fd, size);
    if (n >= 8 && !memcmp(h, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8)) {
        /* Word and Excel share the container (and so do .msi installers): the name says
         * which; any other name is refused. */
        const char *ext = extension(name);
        return !strcasecmp(ext, "doc") ? T(DOC) : !strcasecmp(ext, "xls") ? T(XLS) : NULL;
    }
    return utf8_text(fd, size) ? T(TEXT) : NULL;
}
