/*
 * csv: src/sheet/ on any bytes as a file — what sheet_open makes of them (text, a zip, a
 * binary file), and the CSV reader's records, encodings and caps. Each input is read twice:
 * under the default caps and under tiny ones (so every too_large path is reached).
 *
 * Held to the contract (sheet.h, by fuzz_sheet_read in sheet_read.h): every error by fuzz_check_rerr() and given again by the
 * next sheet_next; each row's line is after the last; 1..max_cols cells, not all empty;
 * each cell's text is well-formed UTF-8 that jansson takes, NUL-terminated at len, at most
 * max_cell_bytes, SC_EMPTY exactly when "", and (CSV) only SC_TEXT or SC_EMPTY. And an
 * oracle: UTF-8 text with no quote, CR or NUL must come back as its non-empty lines split
 * at commas.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "sheet/sheet.h"
#include "sheet_read.h"

static int fd = -1;
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fd = memfd_create("csv", 0);
    if (fd < 0)
        fuzz_fail("memfd_create");
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    fuzz_ready();
    return 0;
}

/* The rows the oracle expects, as the reader's rows are printed below. */
static char *expected(const uint8_t *d, size_t n)
{
    char *out = malloc(2 * n + 64), *o = out;
    size_t line = 1;
    for (size_t i = 0; i <= n;) {
        size_t j = i;
        while (j < n && d[j] != '\n')
            j++;
        bool empty = true;
        for (size_t k = i; k < j; k++)
            empty &= d[k] == ',';
        if (!empty && j > i) {
            o += sprintf(o, "%zu:", line);
            memcpy(o, d + i, j - i);
            o += j - i;
            *o++ = '\n';
        }
        line++;
        i = j + 1;
    }
    *o = 0;
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        fuzz_fail("memfd write");
    struct sheet_options def = {0};
    struct sheet_options tiny = {.limits = {.max_rows = 5,
                                            .max_cells = 20,
                                            .max_cols = 4,
                                            .max_cell_bytes = 16,
                                            .max_bytes = (int64_t)size / 2 + 1}};
    bool plain = size > 0 && !memchr(data, '"', size) && !memchr(data, '\r', size) &&
                 !memchr(data, 0, size) && data[0] != 'P' && data[0] < 0x80;
    char *s = plain ? fuzz_cstr(data, size) : NULL;
    if (s && !fuzz_json_text_ok(s)) {
        free(s);
        s = NULL;
    }
    size_t cap = 3 * size + 4096;
    char *got = s ? malloc(cap) : NULL;
    if (got)
        got[0] = 0;
    enum sheet_encoding enc = SHEET_ENC_NONE;
    int rc = fuzz_sheet_read(path, &def, got, cap, &enc);
    if (s && rc == 0 && enc == SHEET_ENC_UTF8) { /* (UTF-8 of two-byte characters alone is taken for GBK) */
        char *want = expected(data, size);
        if (strcmp(want, got))
            fuzz_fail("rows differ from the lines split at commas:\n--- got\n%s--- want\n%s", got, want);
        free(want);
    }
    free(got);
    free(s);
    fuzz_sheet_read(path, &tiny, NULL, 0, &enc);
    return 0;
}
