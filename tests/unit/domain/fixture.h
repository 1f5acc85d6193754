/*
 * The domain unit tests' fixture: a real SQLite file with its audit key, a system actor,
 * and a city procuratorate, a county one and a county branch. Included by the tests of
 * tests/unit/domain/ (each is its own program); FIXTURE_NAME names the file.
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
    char path[64];
    store *s;
    store_conn *c;
    struct actor who;
    struct res_ctx x;
    int64_t city, county, branch;
};

static int64_t create(struct fx *f, const char *coll, json_t *body)
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

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    snprintf(f->path, sizeof f->path, "/tmp/ronghe-unit-" FIXTURE_NAME "-%d.db", getpid());
    unlink(f->path);
    struct rerr e = {0};
    audit_remove_files(f->path);
    if (store_open(f->path, STORE_CREATE_NEW, &f->s, &e) < 0 || audit_open_key(f->s, &e) < 0)
        fail_msg("%s", e.message);
    f->c = store_acquire(f->s);
    actor_system(&f->who);
    f->x = (struct res_ctx){.c = f->c, .who = &f->who, .a = arena_new()};
    f->city = create(f, "procuratorates",
                     json_pack("{s:s,s:s,s:i}", "name", "市院", "short_name", "市院", "level", 1));
    f->county = create(f, "procuratorates",
                       json_pack("{s:s,s:s,s:i,s:I}", "name", "旗院", "short_name", "旗院", "level", 2,
                                 "parent_id", (json_int_t)f->city));
    f->branch = create(f, "branches",
                       json_pack("{s:I,s:s,s:s}", "procuratorate_id", (json_int_t)f->county, "name",
                                 "旗院党支部", "kind", "党支部"));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    arena_free(f->x.a);
    store_release(f->c);
    audit_close(f->s);
    store_close(f->s);
    unlink(f->path);
    audit_remove_files(f->path);
    char wal[80];
    snprintf(wal, sizeof wal, "%s-wal", f->path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", f->path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s.lock", f->path);
    unlink(wal);
    free(f);
    return 0;
}

#endif
