/* What the tests of src/sheet/ share: files written into a fresh directory, and a reader
 * run to its end. */
#ifndef RONGHE_TEST_SHEET_HELPERS_H
#define RONGHE_TEST_SHEET_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sheet/sheet.h"

static char test_dir[256];

static void test_dir_remove(void)
{
    if (getenv("SHEET_TEST_KEEP")) { /* to look at what a test wrote */
        fprintf(stderr, "kept %s\n", test_dir);
        return;
    }
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", test_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", test_dir);
}

/* A path in this test's directory (made on first use, removed at exit); static storage,
 * one of four in turn. */
static const char *test_path(const char *name)
{
    static char paths[4][300];
    static int next;
    if (!test_dir[0]) {
        snprintf(test_dir, sizeof test_dir, "/tmp/ronghe-sheet-test.XXXXXX");
        if (!mkdtemp(test_dir))
            abort();
        atexit(test_dir_remove);
    }
    char *p = paths[next++ % 4];
    snprintf(p, 300, "%s/%s", test_dir, name);
    return p;
}

static const char *test_write(const char *name, const void *data, size_t n)
{
    const char *path = test_path(name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0)
        abort();
    return path;
}

/* Every row of "path" into "out" as text: a row is its line, ':' and the cells joined by
 * '|' (types as a letter before each: t n b d e, and nothing for empty), rows by '\n'.
 * Returns sheet_next's last result (0 at a clean end) with "err" filled on error. */
static int test_read_all(const char *path, const struct sheet_options *opt, char *out, size_t cap,
                         struct rerr *err)
{
    sheet_reader *r;
    out[0] = 0;
    int rc = sheet_open(path, opt, &r, err);
    if (rc < 0)
        return rc;
    size_t len = 0;
    struct sheet_row row;
    while ((rc = sheet_next(r, &row, err)) > 0) {
        len += (size_t)snprintf(out + len, cap - len, "%lld:", (long long)row.line);
        for (int i = 0; i < row.ncells && len < cap; i++) {
            static const char letter[] = " tnbde";
            const struct sheet_cell *c = &row.cells[i];
            if (strlen(c->text) != c->len)
                abort(); /* the length must agree with the NUL */
            if (c->type == SC_EMPTY)
                len += (size_t)snprintf(out + len, cap - len, "%s", i ? "|" : "");
            else
                len +=
                    (size_t)snprintf(out + len, cap - len, "%s%c%s", i ? "|" : "", letter[c->type], c->text);
        }
        if (len < cap)
            len += (size_t)snprintf(out + len, cap - len, "\n");
        if (len >= cap)
            abort();
    }
    sheet_close(r);
    return rc;
}

#endif
