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
