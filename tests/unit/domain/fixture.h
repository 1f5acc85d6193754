/*
 * fixture: a real, empty ronghe database for the domain tests (tests/unit/domain/), with
 * the system as actor and a little organisation in it: a city procuratorate (市院), a county
 * one under it (旗院) and the county's branch (旗院党支部). Each test opens its own with
 * fx_open() and removes every file of it with fx_close().
 */
#ifndef RONGHE_TEST_DOMAIN_FIXTURE_H
#define RONGHE_TEST_DOMAIN_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "auth/audit.h"
#include "domain/resource.h"
#include "domain/timeline.h"
#include "store/store.h"

struct fx {
    char path[80];
    store *s;
    store_conn *c;
    struct actor who; /* the system */
    struct res_ctx x;
    int64_t city, county, branch;
};

/* Create a record of "coll" from "body" (taken) as the system; fails the test otherwise. */
static int64_t fx_create(struct fx *f, const char *coll, json_t *body)
{
    json_t *out = NULL;
    struct rerr e = {0};
    int rc = res_create(&f->x, res_find(coll), body, &out, &e);
    json_decref(body);
    if (rc < 0)
        fail_msg("create %s: %s", coll, e.message);
    int64_t id = res_int(out, "id");
    json_decref(out);
    return id;
}

static void fx_remove_files(const char *path)
{
    audit_remove_files(path);
    const char *ext[] = {"", "-wal", "-shm", ".lock"};
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        char p[96];
        snprintf(p, sizeof p, "%s%s", path, ext[i]);
        unlink(p);
    }
}

/* "name" tells the test's file apart (/tmp/ronghe-NAME-PID.db). */
static struct fx *fx_open(const char *name)
{
    struct fx *f = calloc(1, sizeof *f);
    snprintf(f->path, sizeof f->path, "/tmp/ronghe-%s-%d.db", name, getpid());
    fx_remove_files(f->path);
    struct rerr e = {0};
    if (store_open(f->path, STORE_CREATE_NEW, &f->s, &e) < 0 || audit_open_key(f->s, &e) < 0)
        fail_msg("%s", e.message);
    f->c = store_acquire(f->s);
    if (timeline_sync(f->c, &e) < 0) /* as the command line's open does */
        fail_msg("%s", e.message);
    actor_system(&f->who);
    f->x = (struct res_ctx){.c = f->c, .who = &f->who, .a = arena_new()};
    f->city = fx_create(f, "procuratorates",
                        json_pack("{s:s,s:s,s:i}", "name", "市院", "short_name", "市院", "level", 1));
    f->county = fx_create(f, "procuratorates",
                          json_pack("{s:s,s:s,s:i,s:I}", "name", "旗院", "short_name", "旗院", "level", 2,
                                    "parent_id", (json_int_t)f->city));
    f->branch = fx_create(f, "branches",
                          json_pack("{s:I,s:s,s:s}", "procuratorate_id", (json_int_t)f->county, "name",
                                    "旗院党支部", "kind", "党支部"));
    return f;
}

/* The number of audit entries: a refused write leaves it as it was. */
static inline int64_t fx_audit_count(struct fx *f)
{
    store_stmt *st = store_prepare(f->c, "SELECT count(*) FROM audit");
    store_step(st, NULL);
    int64_t n = store_col_int(st, 0);
    store_done(st);
    return n;
}

/* An actor of "role" in procuratorate "proc" (branch: secretaries), user id "uid". */
static inline struct actor fx_actor(int64_t uid, enum role role, int64_t proc, int64_t branch, bool all)
{
    struct actor a = {
        .user_id = uid, .role = role, .procuratorate_id = proc, .branch_id = branch, .scope_all = all};
    snprintf(a.username, sizeof a.username, "u%lld", (long long)uid);
    return a;
}

/* A res_ctx of the fixture's connection and arena acting as "who". */
static inline struct res_ctx fx_as(struct fx *f, const struct actor *who)
{
    return (struct res_ctx){.c = f->c, .who = who, .a = f->x.a};
}

/* res_create of "body" (taken) as x; the record's id, or the error's rc (negative). */
static inline int64_t fx_try(struct res_ctx *x, const char *coll, json_t *body, struct rerr *e)
{
    json_t *out = NULL;
    *e = (struct rerr){0};
    int rc = res_create(x, res_find(coll), body, &out, e);
    json_decref(body);
    int64_t id = rc < 0 ? rc : res_int(out, "id");
    json_decref(out);
    return id;
}

/* res_update of record "id" with "body" (taken) as x: 0 or the negative rc. */
static inline int fx_update(struct res_ctx *x, const char *coll, int64_t id, json_t *body, struct rerr *e)
{
    json_t *out = NULL;
    *e = (struct rerr){0};
    int rc = res_update(x, res_find(coll), id, body, &out, e);
    json_decref(body);
    json_decref(out);
    return rc;
}

/* The current version of record "id" (as the system reads it). */
static inline int64_t fx_version(struct fx *f, const char *coll, int64_t id)
{
    json_t *out = NULL;
    struct rerr e = {0};
    if (res_get(&f->x, res_find(coll), id, &out, &e) < 0)
        fail_msg("get %s %lld: %s", coll, (long long)id, e.message);
    int64_t v = res_int(out, "version");
    json_decref(out);
    return v;
}

static void fx_close(struct fx *f);

/* cmocka setup and teardown around fx_open("unit") and fx_close(). */
static inline int fx_setup(void **state)
{
    *state = fx_open("unit");
    return 0;
}

static inline int fx_teardown(void **state)
{
    fx_close(*state);
    return 0;
}

static void fx_close(struct fx *f)
{
    arena_free(f->x.a);
    store_release(f->c);
    audit_close(f->s);
    store_close(f->s);
    fx_remove_files(f->path);
    free(f);
}

#endif
