/*
 * bench/audit_append: the cost audit_append() adds to a write transaction, on a real
 * SQLite file. Each round appends N entries (a typical update: before and after of a few
 * hundred bytes) in transactions of B entries and prints microseconds per entry, of wall
 * time (with the commits' fsync) and of this process's CPU time (the append itself). Built
 * and run by bench/audit, against this tree and (BENCH_BASE) an earlier one: this file
 * uses only what both have (audit_open_key is weak: absent in builds before the key).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth/audit.h"
#include "store/store.h"

int audit_open_key(store *s, struct rerr *err) __attribute__((weak));
void audit_close(store *s) __attribute__((weak));

static double now_us(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 20000, batch = argc > 2 ? atoi(argv[2]) : 100;
    const char *dir = argc > 3 ? argv[3] : "/tmp";
    char path[512], cmd[1100];
    snprintf(path, sizeof path, "%s/bench-audit-%d.db", dir, getpid());
    struct rerr e = {0};
    store *s;
    if (store_open(path, STORE_CREATE_NEW, &s, &e) < 0 || (audit_open_key && audit_open_key(s, &e) < 0)) {
        fprintf(stderr, "%s\n", e.message);
        return 1;
    }
    store_conn *c = store_acquire(s);
    struct actor who = {.user_id = 1, .role = ROLE_ADMIN, .procuratorate_id = 1, .scope_all = true};
    snprintf(who.username, sizeof who.username, "admin");
    json_t *before = json_pack("{s:s, s:s, s:i, s:s, s:i}", "name", "霍林郭勒市人民检察院党支部", "kind", "党支部",
                               "procuratorate_id", 5, "duties", "负责支部日常工作、组织生活和品牌建设", "version", 3);
    json_t *after = json_deep_copy(before);
    json_object_set_new(after, "version", json_integer(4));
    double t0 = now_us(CLOCK_MONOTONIC), c0 = now_us(CLOCK_PROCESS_CPUTIME_ID);
    for (int i = 0; i < n; i += batch) {
        if (store_begin(c, &e) < 0)
            return fprintf(stderr, "%s\n", e.message), 1;
        for (int j = 0; j < batch && i + j < n; j++)
            if (audit_append(c, &who, "update", "branches", 7, 5, before, after, &e) < 0)
                return fprintf(stderr, "%s\n", e.message), 1;
        if (store_commit(c, &e) < 0)
            return fprintf(stderr, "%s\n", e.message), 1;
    }
    printf("%.2f %.2f\n", (now_us(CLOCK_MONOTONIC) - t0) / n, (now_us(CLOCK_PROCESS_CPUTIME_ID) - c0) / n);
    json_decref(before);
    json_decref(after);
    store_release(c);
    if (audit_close)
        audit_close(s);
    store_close(s);
    snprintf(cmd, sizeof cmd, "rm -f '%s' '%s'-wal '%s'-shm '%s'.audit-key '%s'.audit-anchors", path, path, path,
             path, path);
    return system(cmd) == 0 ? 0 : 1;
}
