/*
 * bench/list_read: what one list read costs inside the process, on the demo database —
 * the resource engine planning it, the store preparing (or finding) its statements, the
 * query, and the JSON text — with no HTTP around it. Each round reads N pages of each of
 * three lists (branches; members filtered by branch; members searched by name) and prints
 * microseconds per read, wall and CPU. Built and run by bench/list against this tree and
 * an earlier one (BENCH_BASE); uses only what both have.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth/actor.h"
#include "demo/demo.h"
#include "domain/resource.h"
#include "store/store.h"

static double now_us(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 5000;
    const char *db = argc > 2 ? argv[2] : NULL;
    struct rerr e = {0};
    store *s;
    if (!db || store_open(db, STORE_OPEN_EXISTING, &s, &e) < 0) {
        fprintf(stderr, "usage: list_read N DEMO.db (%s)\n", e.message);
        return 2;
    }
    store_conn *c = store_acquire(s);
    struct actor who;
    actor_system(&who);
    struct res_query lists[] = {
        {.n = 2, .key = {"per_page", "page"}, .val = {"20", "1"}},
        {.n = 2, .key = {"branch_id", "per_page"}, .val = {"3", "20"}},
        {.n = 1, .key = {"q"}, .val = {"敖登"}},
    };
    const char *coll[] = {"branches", "members", "members"};
    double t0 = now_us(CLOCK_MONOTONIC), c0 = now_us(CLOCK_PROCESS_CPUTIME_ID);
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < 3; k++) {
            struct res_ctx x = {.c = c, .who = &who, .a = arena_new()};
            char *text;
            size_t len;
            if (res_list_text(&x, res_find(coll[k]), &lists[k], &text, &len, &e) < 0)
                return fprintf(stderr, "%s\n", e.message), 1;
            free(text);
            arena_free(x.a);
        }
    }
    printf("%.2f %.2f\n", (now_us(CLOCK_MONOTONIC) - t0) / (3.0 * n),
           (now_us(CLOCK_PROCESS_CPUTIME_ID) - c0) / (3.0 * n));
    store_release(c);
    store_close(s);
    return 0;
}
