/*
 * bench/backup-methods: copy a live ronghe database one way or the other and say how long
 * the copy took, for bench/backup to compare the two ways an online copy can keep up with
 * writers (see store_backup() in src/store/store_sqlite.c):
 *
 *   backup-methods DB OUT step     store_backup(): sqlite3_backup_step() inside one read
 *                                  transaction held for the whole copy
 *   backup-methods DB OUT vacuum   VACUUM INTO OUT, on a connection of the same store
 *                                  (it needs the zh collation ronghe registers)
 *
 * Only the copy is timed (no verification). Prints "<seconds> <bytes>". OUT must not exist.
 * Built and run by bench/backup against the objects of a normal build; not part of ronghe.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "store/store.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 4 || (strcmp(argv[3], "step") != 0 && strcmp(argv[3], "vacuum") != 0)) {
        fprintf(stderr, "usage: backup-methods DB OUT step|vacuum\n");
        return 2;
    }
    const char *db = argv[1], *out = argv[2];
    if (strchr(out, '\'')) {
        fprintf(stderr, "backup-methods: OUT may not contain a quote\n");
        return 2;
    }
    store *s;
    struct rerr err = {0};
    if (store_open(db, STORE_OPEN_EXISTING, &s, &err) < 0) {
        fprintf(stderr, "backup-methods: %s\n", err.message);
        return 1;
    }
    double t0 = now();
    int rc;
    if (!strcmp(argv[3], "step")) {
        rc = store_backup(s, out, NULL, NULL, &err);
    } else {
        char sql[2048];
        snprintf(sql, sizeof sql, "VACUUM INTO '%s'", out);
        store_conn *c = store_acquire(s);
        rc = store_exec(c, sql, &err);
        store_release(c);
    }
    double t1 = now();
    store_close(s);
    if (rc < 0) {
        fprintf(stderr, "backup-methods: %s\n", err.message);
        return 1;
    }
    struct stat sb;
    stat(out, &sb);
    printf("%.3f %lld\n", t1 - t0, (long long)sb.st_size);
    return 0;
}
