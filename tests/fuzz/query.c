/*
 * query: the list query planner — res_list_text() with any parameters, as each demo
 * account, on every collection.
 *
 * Input: byte 0 chooses the collection (res_all), byte 1 the account (bits 0-1); the
 * rest is "key=value" pairs separated by '&', taken as they are (no %-decoding: any byte
 * can be in a key or a value) and cut at RES_MAX_PARAMS pairs, which is what the server
 * hands on (it refuses more before the planner sees them).
 *
 * Besides crashes and CHECK aborts (a limit input can reach), a finding is an error the
 * HTTP layer could not answer as it must (fuzz_check_rerr), and a list whose text form
 * (what the API sends) is not valid JSON or says something else than its tree form
 * (res_list). Each list runs in its own read transaction: nothing is written.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/text.h"
#include "domain/resource.h"
#include "fuzz.h"

static store *db;
static store_conn *c;
static int ncoll;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char path[300];
    snprintf(path, sizeof path, "%s/query.db", fuzz_dir());
    db = fuzz_open_copy(fuzz_demo(false), path);
    c = store_acquire(db);
    while (res_all[ncoll])
        ncoll++;
    text_warm();
    fuzz_ready();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return -1;
    const struct resource *r = res_all[data[0] % ncoll];
    const struct actor *who = &fuzz_accounts[data[1] & 3].who;
    arena *a = arena_new();
    struct res_query q = {0};
    const char *p = (const char *)data + 2, *end = (const char *)data + size;
    while (p < end && q.n < RES_MAX_PARAMS) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *stop = amp ? amp : end;
        const char *eq = memchr(p, '=', (size_t)(stop - p));
        q.key[q.n] = arena_strndup(a, p, (size_t)((eq ? eq : stop) - p));
        q.val[q.n] = eq ? arena_strndup(a, eq + 1, (size_t)(stop - eq - 1)) : "";
        q.n++;
        p = stop + 1;
    }
    struct res_ctx x = {.c = c, .who = who, .a = a};
    struct rerr err = {0};
    char *text = NULL;
    size_t len = 0;
    int rc = res_list_text(&x, r, &q, &text, &len, &err);
    if (rc < 0) {
        fuzz_check_rerr("res_list_text", rc, &err);
    } else {
        json_error_t je;
        json_t *sent = json_loadb(text, len, 0, &je);
        if (!sent)
            fuzz_fail("%s: the list sent is not JSON (%s at %d): %.*s", r->name, je.text, je.position,
                      (int)(len < 400 ? len : 400), text);
        json_t *tree = NULL;
        struct rerr err2 = {0};
        if (res_list(&x, r, &q, &tree, &err2) < 0)
            fuzz_fail("%s: res_list refused (%s) what res_list_text answered", r->name, err2.message);
        if (!json_equal(sent, tree)) {
            char *t = json_dumps(tree, JSON_COMPACT);
            fuzz_fail("%s: text and tree forms of one list differ:\n%.*s\n%.*s", r->name,
                      (int)(len < 600 ? len : 600), text, 600, t ? t : "");
        }
        json_decref(tree);
        json_decref(sent);
        free(text);
    }
    arena_free(a);
    return 0;
}
