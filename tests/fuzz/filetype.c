/*
 * filetype: src/domain/filetype.c on any content — what an upload's body is. Every input
 * is written to a file (the detector reads with pread, as from an upload's temporary
 * file) and detected under each of three names. Held to the contract: the answer is
 * NULL or one of filetype_allowed; each type's magic is really at the start (PDF, PNG,
 * JPEG, WebP, ZIP for the Office types, OLE2 for DOC/XLS, only with a .doc/.xls name);
 * and what is called text is well-formed UTF-8 to ICU, without NUL. The ZIP directory
 * walk (offsets and lengths from the input) is what the sanitizers watch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unicode/ustring.h>
#include <unistd.h>

#include "domain/filetype.h"
#include "fuzz.h"

static int fd = -1;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fd = memfd_create("filetype", 0);
    if (fd < 0)
        fuzz_fail("memfd_create");
    fuzz_ready();
    return 0;
}

static bool starts(const uint8_t *d, size_t n, const char *magic, size_t m)
{
    return n >= m && !memcmp(d, magic, m);
}

static bool utf8_icu(const uint8_t *d, size_t n)
{
    if (memchr(d, 0, n))
        return false;
    UErrorCode st = U_ZERO_ERROR;
    int32_t len = 0;
    u_strFromUTF8(NULL, 0, &len, (const char *)d, (int32_t)n, &st);
    return st == U_BUFFER_OVERFLOW_ERROR || st == U_STRING_NOT_TERMINATED_WARNING || U_SUCCESS(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        fuzz_fail("memfd write");
    static const char *const names[] = {"scan.pdf", "纪要.DOC", "台账.xls"};
    for (int k = 0; k < 3; k++) {
        const char *t = filetype_detect(fd, (int64_t)size, names[k]);
        if (!t)
            continue;
        bool known = false;
        for (int i = 0; filetype_allowed[i]; i++)
            known |= t == filetype_allowed[i];
        if (!known)
            fuzz_fail("a type not in the list: %s", t);
        bool ok = !strcmp(t, "application/pdf") ? starts(data, size, "%PDF-", 5)
                  : !strcmp(t, "image/png")     ? starts(data, size, "\x89PNG\r\n\x1a\n", 8)
                  : !strcmp(t, "image/jpeg")    ? starts(data, size, "\xff\xd8\xff", 3)
                  : !strcmp(t, "image/webp")
                      ? starts(data, size, "RIFF", 4) && size >= 12 && !memcmp(data + 8, "WEBP", 4)
                  : !strcmp(t, "application/msword")
                      ? k == 1 && starts(data, size, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8)
                  : !strcmp(t, "application/vnd.ms-excel")
                      ? k == 2 && starts(data, size, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8)
                  : !strcmp(t, "text/plain") ? utf8_icu(data, size)
                                             : starts(data, size, "PK\3\4", 4); /* DOCX, XLSX */
        if (!ok)
            fuzz_fail("%s for content that is not one (%zu bytes, name %s)", t, size, names[k]);
    }
    return 0;
}
