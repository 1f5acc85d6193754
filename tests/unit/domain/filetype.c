/* Unit tests for src/domain/filetype.c: each allowed type from its content, whatever
 * the name says; everything else refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/filetype.h"

/* The type of the "n" bytes "p" named "name" (written to a temporary file). */
static const char *detect(const void *p, size_t n, const char *name)
{
    char path[] = "/tmp/ronghe-filetype-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    assert_int_equal(write(fd, p, n), (ssize_t)n);
    const char *t = filetype_detect(fd, (int64_t)n, name);
    close(fd);
    return t;
}
#define DETECT(lit, name) detect(lit, sizeof lit - 1, name)

static void le16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void le32(unsigned char *p, uint32_t v)
{
    le16(p, v & 0xffff);
    le16(p + 2, v >> 16);
}

/* A ZIP of empty stored entries named "names" (NULL-terminated) into "out"; its length. */
static size_t zip(const char *const *names, unsigned char *out)
{
    size_t at = 0, cd_start;
    uint32_t offs[8];
    int n = 0;
    for (; names[n]; n++) {
        offs[n] = (uint32_t)at;
        unsigned char *l = out + at;
        memset(l, 0, 30);
        memcpy(l, "PK\3\4", 4);
        le16(l + 26, (unsigned)strlen(names[n]));
        memcpy(l + 30, names[n], strlen(names[n]));
        at += 30 + strlen(names[n]);
    }
    cd_start = at;
    for (int i = 0; i < n; i++) {
        unsigned char *c = out + at;
        memset(c, 0, 46);
        memcpy(c, "PK\1\2", 4);
        le16(c + 28, (unsigned)strlen(names[i]));
        le32(c + 42, offs[i]);
        memcpy(c + 46, names[i], strlen(names[i]));
        at += 46 + strlen(names[i]);
    }
    unsigned char *e = out + at;
    memset(e, 0, 22);
    memcpy(e, "PK\5\6", 4);
    le16(e + 8, (unsigned)n);
    le16(e + 10, (unsigned)n);
    le32(e + 12, (uint32_t)(at - cd_start));
    le32(e + 16, (uint32_t)cd_start);
    return at + 22;
}

static void images_and_pdf_by_their_magic(void **state)
{
    (void)state;
    assert_string_equal(DETECT("%PDF-1.4\n...", "a.pdf"), "application/pdf");
    assert_string_equal(DETECT("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "scan.pdf"), "image/png"); /* the name lies */
    assert_string_equal(DETECT("\xff\xd8\xff\xe0\0\x10JFIF", "x"), "image/jpeg");
    assert_string_equal(DETECT("RIFF\x10\0\0\0WEBPVP8 ", "p.webp"), "image/webp");
    assert_null(DETECT("RIFF\x10\0\0\0WAVEfmt ", "a.webp")); /* a RIFF that is no WebP */
    assert_null(DETECT("\x89PNG", "short.png"));             /* cut short: not a PNG, nor text */
}

static void executables_and_markup_are_refused(void **state)
{
    (void)state;
    assert_null(DETECT("\x7f"
                       "ELF\2\1\1\0\0\0\0\0",
                       "report.pdf"));
    assert_null(DETECT("MZ\x90\0\3\0\0\0\4\0", "setup.pdf"));
    assert_null(DETECT("#!/bin/sh\nrm -rf /\0", "x.txt")); /* a NUL: not text */
    assert_null(DETECT("", "empty.txt"));
    /* OLE2 is Word or Excel only by the name: an installer (.msi) shares the container */
    assert_string_equal(DETECT("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0", "旧纪要.DOC"), "application/msword");
    assert_string_equal(DETECT("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0", "台账.xls"),
                        "application/vnd.ms-excel");
    assert_null(DETECT("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0", "setup.msi"));
}

static void office_documents_from_the_zip_directory(void **state)
{
    (void)state;
    unsigned char buf[2048];
    static const char *const docx[] = {"[Content_Types].xml", "_rels/.rels", "word/document.xml", NULL};
    static const char *const xlsx[] = {"[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml",
                                       NULL};
    static const char *const plain[] = {"readme.txt", "word/document.xml", NULL}; /* no [Content_Types].xml */
    static const char *const both[] = {"[Content_Types].xml", "word/document.xml", "xl/workbook.xml", NULL};
    assert_string_equal(detect(buf, zip(docx, buf), "a.docx"),
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    assert_string_equal(detect(buf, zip(xlsx, buf), "a.zip"),
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert_null(detect(buf, zip(plain, buf), "a.docx"));
    assert_null(detect(buf, zip(both, buf), "a.docx"));
    /* a directory pointing past the end, or cut off */
    size_t n = zip(docx, buf);
    le32(buf + n - 6, 100000);
    assert_null(detect(buf, n, "a.docx"));
    assert_null(detect(buf, zip(docx, buf) - 30, "a.docx"));
}

static void utf8_text_only(void **state)
{
    (void)state;
    assert_string_equal(DETECT("三会一课\r\n\t记录 𠀀\f", "a.txt"), "text/plain");
    assert_string_equal(DETECT("\xef\xbb\xbf带 BOM 的文本", "a"), "text/plain");
    assert_null(DETECT("\xc3\x28", "bad.txt"));           /* a broken sequence */
    assert_null(DETECT("\xc0\xaf", "overlong.txt"));      /* an overlong '/' */
    assert_null(DETECT("\xed\xa0\x80", "surrogate.txt")); /* a surrogate */
    assert_null(DETECT("abc\xe4\xb8", "cut.txt"));        /* cut at the end */
    assert_null(DETECT("bell\x07", "ctl.txt"));
    /* a character across the boundary of the 64 KiB chunks the reader takes */
    size_t n = 64 * 1024 + 8;
    char *big = malloc(n);
    memset(big, 'a', n);
    memcpy(big + 64 * 1024 - 1, "\xe4\xb8\xad", 3);
    assert_string_equal(detect(big, n, "big.txt"), "text/plain");
    big[n - 1] = 0;
    assert_null(detect(big, n, "big.txt"));
    free(big);
}

static void the_allowed_list(void **state)
{
    (void)state;
    int n = 0;
    for (const char *const *t = filetype_allowed; *t; t++, n++)
        assert_non_null(strchr(*t, '/'));
    assert_int_equal(n, 9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(images_and_pdf_by_their_magic),
        cmocka_unit_test(executables_and_markup_are_refused),
        cmocka_unit_test(office_documents_from_the_zip_directory),
        cmocka_unit_test(utf8_text_only),
        cmocka_unit_test(the_allowed_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
