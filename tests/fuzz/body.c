/*
 * body: a JSON body through the validation of every collection, by the resource engine
 * (src/domain/resource.h), as each of the demo's four accounts.
 *
 * Input: byte 0 chooses the collection (res_all), byte 1 the account (bits 0-1) and the
 * operation (bits 2-3), byte 2 the record an update changes (one of the collection's
 * first 64); the rest is the body, parsed as the API parses it.
 *   0  res_create_in() inside store_begin() ... store_rollback(): nothing is committed
 *   1  res_create(), the API's path (its prepare hook, its own transaction)
 *   2  res_update() with the record's current version put into the body
 *   3  res_update() with the body as it is
 * A write that committed is followed by a fresh copy of the demo, so every input meets
 * the same data.
 *
 * Besides crashes, a finding is an error that the HTTP layer could not answer as it must
 * (fuzz_check_rerr), a record answered that cannot be sent as JSON or breaks its own
 * field limits, and a write the account may not make: a viewer's, a secretary's outside
 * its branch, a county administrator's outside its procuratorate (before and after).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/text.h"
#include "domain/resource.h"
#include "fuzz.h"

#define MAX_IDS 64

static const char *pristine;
static char path[300];
static store *db;
static store_conn *c;
static int ncoll;
static int64_t ids[RES_MAX_COLLECTIONS][MAX_IDS]; /* each collection's first ids */
static int nids[RES_MAX_COLLECTIONS];

static void open_db(void)
{
    db = fuzz_open_copy(pristine, path);
    c = store_acquire(db);
}

static void reset_db(void)
{
    store_release(c);
    fuzz_close(db);
    open_db();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    pristine = fuzz_demo(false);
    snprintf(path, sizeof path, "%s/body.db", fuzz_dir());
    open_db();
    for (ncoll = 0; res_all[ncoll]; ncoll++) {
        char sql[200];
        snprintf(sql, sizeof sql, "SELECT id FROM %s ORDER BY id LIMIT %d", res_all[ncoll]->table, MAX_IDS);
        store_stmt *st = store_prepare_dynamic(c, sql);
        while (store_step(st, NULL) == STORE_ROW)
            ids[ncoll][nids[ncoll]++] = store_col_int(st, 0);
        store_finalize(st);
    }
    text_warm();
    fuzz_ready();
    return 0;
}

/* The record as it stands, read as the system (NULL when absent). */
static json_t *current(const struct resource *r, int64_t id)
{
    struct actor sys;
    actor_system(&sys);
    arena *a = arena_new();
    struct res_ctx x = {.c = c, .who = &sys, .a = a};
    json_t *rec = NULL;
    struct rerr err = {0};
    if (res_get(&x, r, id, &rec, &err) < 0)
        rec = NULL;
    arena_free(a);
    return rec;
}

/* The account may write a record in this scope at all. */
static void check_scope(const struct resource *r, const struct actor *who, json_t *rec, const char *when)
{
    if (!rec)
        return;
    int64_t proc = res_int(rec, "procuratorate_id"), branch = res_int(rec, "branch_id");
    if (who->role == ROLE_VIEWER)
        fuzz_fail("%s: the viewer wrote a record (%s)", r->name, when);
    if (who->role == ROLE_SECRETARY && branch != who->branch_id)
        fuzz_fail("%s: a secretary of branch %lld wrote a record of branch %lld (%s)", r->name,
                  (long long)who->branch_id, (long long)branch, when);
    if (who->role == ROLE_ADMIN && !who->scope_all && proc != who->procuratorate_id)
        fuzz_fail("%s: an administrator of procuratorate %lld wrote a record of %lld (%s)", r->name,
                  (long long)who->procuratorate_id, (long long)proc, when);
}

/* What the API would answer: it must be sendable, and keep the collection's limits. */
static void check_record(const struct resource *r, json_t *out)
{
    if (!json_is_object(out) || res_int(out, "id") <= 0)
        fuzz_fail("%s: a write answered no record with an id", r->name);
    char *text = json_dumps(out, JSON_COMPACT);
    if (!text)
        fuzz_fail("%s: the record cannot be written as JSON", r->name);
    free(text);
    for (int i = 0; i < r->nfields; i++) {
        const struct field *f = &r->fields[i];
        const char *s = res_str(out, f->name);
        if (f->kind != FT_TEXT || !(f->flags & FF_WRITE) || !s)
            continue;
        int max = f->max_len ? f->max_len : 200;
        if (!text_utf8_ok(s) || (int)text_utf8_len(s) > max)
            fuzz_fail("%s.%s was stored beyond its rules (%zu characters, at most %d)", r->name, f->name,
                      text_utf8_len(s), max);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return -1;
    const struct resource *r = res_all[data[0] % ncoll];
    int coll = data[0] % ncoll;
    const struct actor *who = &fuzz_accounts[data[1] & 3].who;
    int op = (data[1] >> 2) & 3;
    json_error_t je;
    json_t *body = json_loadb((const char *)data + 3, size - 3, JSON_REJECT_DUPLICATES, &je);
    if (!body)
        return -1; /* the json target covers text that does not parse */
    if (!json_is_object(body)) {
        json_decref(body);
        return -1; /* so does the API, before any collection sees it */
    }
    arena *a = arena_new();
    struct res_ctx x = {.c = c, .who = who, .a = a};
    struct rerr err = {0};
    json_t *out = NULL, *before = NULL;
    int rc;
    bool committed = false;
    int64_t id = nids[coll] ? ids[coll][((size_t)(data[1] >> 4) << 8 | data[2]) % (size_t)nids[coll]] : 1;
    switch (op) {
    case 0:
        if ((rc = store_begin(c, &err)) < 0)
            fuzz_fail("store_begin: %s", err.message);
        rc = res_create_in(&x, r, body, &out, &err);
        store_rollback(c);
        break;
    case 1:
        rc = res_create(&x, r, body, &out, &err);
        committed = rc == 0;
        break;
    default:
        before = current(r, id);
        if (op == 2 && before)
            json_object_set(body, "version", json_object_get(before, "version"));
        rc = res_update(&x, r, id, body, &out, &err);
        committed = rc == 0;
    }
    const char *what = op == 0 ? "res_create_in" : op == 1 ? "res_create" : "res_update";
    if (getenv("FUZZ_SHOW")) /* what each input got, to check the seeds */
        fprintf(stderr, "  %s %s as %s: %d %s %s %s\n", what, r->name, who->username, rc, err.code, err.field,
                err.message);
    if (rc < 0) {
        fuzz_check_rerr(what, rc, &err);
    } else {
        check_record(r, out);
        check_scope(r, who, out, "after");
        check_scope(r, who, before, "before");
    }
    json_decref(out);
    json_decref(before);
    json_decref(body);
    arena_free(a);
    if (committed)
        reset_db();
    return 0;
}
