/*
 * bench/eval/reads.c — what reading the rows of bench/eval/reads.sql costs, and nothing
 * else: every statement of the file stepped to its end in one read transaction, every
 * column of every row read with the getter of its type, nothing done with the values.
 * Opened as ronghe opens a database to read it (no mutex: one thread; mapped up to 2 GB).
 *
 *   reads DATABASE SQL-FILE
 *
 * Prints to stdout one line per statement (its leading "-- name" comment, the rows, the
 * CPU seconds of this process) and a last line "total ROWS CPU-SECONDS"; exit 1 on any
 * error. Built by bench/eval/run with the system's libsqlite3 (cc -O2 … -lsqlite3).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t n = 0, cap = 1 << 16;
    char *s = malloc(cap);
    size_t got;
    while (s && (got = fread(s + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n < 2) {
            char *t = realloc(s, cap *= 2);
            if (!t)
                free(s);
            s = t;
        }
    }
    fclose(f);
    if (s)
        s[n] = '\0';
    return s;
}

/* The name of the statement starting at "sql": the text of its last "-- " line before
 * the statement, into out. */
static void name_of(const char *sql, char *out, size_t size)
{
    snprintf(out, size, "?");
    for (const char *p = sql; *p;) {
        while (*p == ' ' || *p == '\n' || *p == '\t')
            p++;
        if (strncmp(p, "--", 2) != 0)
            return;
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        snprintf(out, size, "%.*s", (int)(len > 3 ? len - 3 : 0), p + 3);
        p += len;
    }
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: reads DATABASE SQL-FILE\n");
        return 2;
    }
    char *text = slurp(argv[2]);
    sqlite3 *db = NULL;
    if (!text ||
        sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
        sqlite3_exec(db, "PRAGMA mmap_size=2147418112; BEGIN; SELECT count(*) FROM sqlite_schema", NULL, NULL,
                     NULL) != SQLITE_OK) {
        fprintf(stderr, "reads: cannot read %s or open %s: %s\n", argv[2], argv[1],
                db ? sqlite3_errmsg(db) : "");
        return 1;
    }
    long long total_rows = 0;
    double total_cpu = 0, sink = 0;
    for (const char *at = text; *at;) {
        char name[256];
        name_of(at, name, sizeof name);
        sqlite3_stmt *st = NULL;
        const char *tail = NULL;
        if (sqlite3_prepare_v2(db, at, -1, &st, &tail) != SQLITE_OK) {
            fprintf(stderr, "reads: %s: %s\n", name, sqlite3_errmsg(db));
            return 1;
        }
        at = tail;
        if (!st)
            continue; /* only comments and blanks were left */
        long long rows = 0;
        int rc, ncol = sqlite3_column_count(st);
        double c0 = cpu_now();
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            rows++;
            for (int i = 0; i < ncol; i++) {
                sqlite3_value *v = sqlite3_column_value(st, i); /* one call a column */
                switch (sqlite3_value_type(v)) {
                case SQLITE_INTEGER:
                    sink += (double)sqlite3_value_int64(v);
                    break;
                case SQLITE_FLOAT:
                    sink += sqlite3_value_double(v);
                    break;
                case SQLITE_TEXT:
                    sink += (double)sqlite3_value_bytes(v);
                    break;
                default:
                    break;
                }
            }
        }
        double c = cpu_now() - c0;
        if (rc != SQLITE_DONE) {
            fprintf(stderr, "reads: %s: %s\n", name, sqlite3_errmsg(db));
            return 1;
        }
        sqlite3_finalize(st);
        printf("%s\t%lld\t%.4f\n", name, rows, c);
        total_rows += rows;
        total_cpu += c;
    }
    printf("total\t%lld\t%.4f\n", total_rows, total_cpu);
    fprintf(stderr, "reads: (checksum %g)\n", sink); /* the values are used: nothing optimised away */
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(db);
    free(text);
    return 0;
}
